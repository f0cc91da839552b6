"""Which scorer Parley uses: the dotted path in ``settings.PARLEY_SCORER``."""

from __future__ import annotations

import threading

from .base import Scorer

DEFAULT_SCORER = "parley.moderation.scoring.linear.LinearScorer"

_lock = threading.Lock()
_cached: tuple[str, Scorer] | None = None


def _configured_path() -> str:
    from django.conf import settings

    return getattr(settings, "PARLEY_SCORER", None) or DEFAULT_SCORER


def get_scorer() -> Scorer:
    """The configured scorer instance, built once per dotted path and cached."""
    global _cached
    path = _configured_path()
    cached = _cached
    if cached is not None and cached[0] == path:
        return cached[1]
    from django.utils.module_loading import import_string

    with _lock:
        if _cached is not None and _cached[0] == path:
            return _cached[1]
        factory = import_string(path)
        scorer = factory()
        if not isinstance(scorer, Scorer):
            raise TypeError(f"PARLEY_SCORER {path!r} did not produce a Scorer: {scorer!r}")
        _cached = (path, scorer)
        return scorer


def reset_scorer_cache() -> None:
    global _cached
    with _lock:
        _cached = None
