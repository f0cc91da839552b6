"""The scorer interface shared by every toxicity scorer."""

from __future__ import annotations

import abc
from collections.abc import Sequence


class ScoringUnavailable(RuntimeError):
    """A scorer could not produce scores (missing optional dependency, remote API failure...).

    Callers should treat the comment as unscored (for example, route it by policy) rather than
    as civil.
    """


class Scorer(abc.ABC):
    """Turns comment texts into label scores.

    ``score_many`` returns one dict per input text, in order. Every dict holds ``"toxicity"``
    (a float in [0, 1], higher is more toxic); scorers may add other labels.
    """

    name: str = "scorer"

    @abc.abstractmethod
    def score_many(self, texts: Sequence[str]) -> list[dict[str, float]]: ...

    def score(self, text: str) -> dict[str, float]:
        """Score a single text."""
        return self.score_many([text])[0]
