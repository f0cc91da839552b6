"""These tests are pure: they need no database and no ../shared data. They run under
pytest-django (config.settings.test) and also with ``-p no:django``, where minimal settings are
configured here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings

if not settings.configured:
    settings.configure(PARLEY_PERSPECTIVE_API_KEY=None)


@pytest.fixture(autouse=True)
def _fresh_scorer_cache() -> Iterator[None]:
    from parley.moderation.scoring.registry import reset_scorer_cache

    reset_scorer_cache()
    yield
    reset_scorer_cache()
