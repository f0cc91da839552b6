"""Toxicity scoring for moderation.

* :class:`~.linear.LinearScorer`: the default, shipped with the base install, fully offline.
* :class:`~.embedding.EmbeddingScorer` / :class:`~.embedding.BlendScorer`: opt-in, need the
  ``embeddings`` extra (torch + sentence-transformers + bundled all-MiniLM-L6-v2).
* :class:`~.perspective.PerspectiveScorer`: opt-in adapter for Google's Perspective API.

Pick one with ``settings.PARLEY_SCORER`` (a dotted path); call :func:`get_scorer`.
Importing this package loads neither Django settings nor torch.
"""

from .base import Scorer, ScoringUnavailable
from .registry import DEFAULT_SCORER, get_scorer, reset_scorer_cache
from .routing import SHIPPED_THRESHOLDS, Thresholds, route_for

__all__ = [
    "DEFAULT_SCORER",
    "SHIPPED_THRESHOLDS",
    "Scorer",
    "ScoringUnavailable",
    "Thresholds",
    "get_scorer",
    "reset_scorer_cache",
    "route_for",
]
