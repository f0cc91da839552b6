"""Turn scores into a moderation route."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Route = Literal["publish", "system", "hold"]


@dataclass(frozen=True)
class Thresholds:
    """``flag``: at or above it, publish but queue for a moderator ("system" flag).
    ``hold``: at or above it, keep the comment back until a moderator approves it."""

    flag: float
    hold: float

    def __post_init__(self) -> None:
        for name in ("flag", "hold"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"threshold {name}={value!r} must lie in [0, 1]")
        if self.hold < self.flag:
            raise ValueError(f"hold ({self.hold}) must be >= flag ({self.flag})")


def route_for(scores: Mapping[str, float], thresholds: Thresholds) -> Route:
    """Route on the ``toxicity`` score: ``hold`` >= thresholds.hold, ``system`` >= flag, else
    ``publish``. A missing or NaN toxicity score raises ``ValueError`` (never "publish" by
    accident)."""
    toxicity = scores.get("toxicity")
    if toxicity is None or toxicity != toxicity:
        raise ValueError("scores carry no usable 'toxicity' value")
    if toxicity >= thresholds.hold:
        return "hold"
    if toxicity >= thresholds.flag:
        return "system"
    return "publish"


# For the shipped default scorer (LinearScorer), fixed a priori rather than tuned on the
# NonCommercial evaluation sets: flag at the classifier's own decision boundary (p >= 0.5 under
# balanced classes); hold only when it is confident (p >= 0.85, also the Community model's
# default). docs/moderation.md reports precision / recall and the share of comments flagged and
# held at these values.
SHIPPED_THRESHOLDS = Thresholds(flag=0.5, hold=0.85)
