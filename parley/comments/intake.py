"""The intake pipeline's extension points.

Comments do not know about moderation or campaign detection (they depend on comments, not
the reverse). Instead, the pipeline runs the *screens* named in PARLEY_INTAKE_SCREENS inside
the submission (fast, synchronous checks such as word lists) and the *listeners* named in
PARLEY_INTAKE_LISTENERS after commit (which enqueue background work such as scoring).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from parley.core.tasks import batched_enqueue


@dataclass(frozen=True)
class Submission:
    community_id: int
    story_id: int
    author_id: int
    body_raw: str
    body_html: str


@dataclass
class Screening:
    hold: bool = False
    reject_rule: str = ""
    flags: list[str] = field(default_factory=list)

    def merge(self, other: Screening) -> None:
        self.hold = self.hold or other.hold
        self.reject_rule = self.reject_rule or other.reject_rule
        self.flags.extend(other.flags)


Screen = Callable[[Submission], Screening]
Listener = Callable[[int, str], None]  # (comment_id, event: "created" | "edited")


@cache
def _screens() -> tuple[Screen, ...]:
    return tuple(import_string(path) for path in getattr(settings, "PARLEY_INTAKE_SCREENS", ()))


@cache
def _listeners() -> tuple[Listener, ...]:
    return tuple(import_string(path) for path in getattr(settings, "PARLEY_INTAKE_LISTENERS", ()))


def screen(submission: Submission) -> Screening:
    result = Screening()
    for check in _screens():
        result.merge(check(submission))
    return result


def notify(comment_id: int, event: str) -> None:
    # The tasks the listeners enqueue are written together, in one INSERT (parley.core.tasks).
    with batched_enqueue():
        for listener in _listeners():
            listener(comment_id, event)


def reset_pipeline_cache() -> None:
    _screens.cache_clear()
    _listeners.cache_clear()
