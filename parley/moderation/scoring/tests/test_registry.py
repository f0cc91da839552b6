from __future__ import annotations

from collections.abc import Sequence

import pytest
from django.test import override_settings

from parley.moderation.scoring.base import Scorer
from parley.moderation.scoring.linear import LinearScorer
from parley.moderation.scoring.registry import get_scorer, reset_scorer_cache


class ConstantScorer(Scorer):
    name = "constant"
    instances = 0

    def __init__(self) -> None:
        type(self).instances += 1

    def score_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [{"toxicity": 0.25} for _ in texts]


class NotAScorer:
    pass


HERE = __name__


def test_default_is_the_shipped_linear_scorer() -> None:
    with override_settings(PARLEY_SCORER=None):
        assert isinstance(get_scorer(), LinearScorer)


def test_loads_a_custom_dotted_path_and_caches_it() -> None:
    ConstantScorer.instances = 0
    with override_settings(PARLEY_SCORER=f"{HERE}.ConstantScorer"):
        first = get_scorer()
        assert isinstance(first, ConstantScorer)
        assert first.score_many(["a", "b"]) == [{"toxicity": 0.25}] * 2
        assert get_scorer() is first
        assert ConstantScorer.instances == 1
        reset_scorer_cache()
        assert get_scorer() is not first
        assert ConstantScorer.instances == 2


def test_changed_setting_is_picked_up() -> None:
    with override_settings(PARLEY_SCORER=f"{HERE}.ConstantScorer"):
        assert isinstance(get_scorer(), ConstantScorer)
    with override_settings(PARLEY_SCORER="parley.moderation.scoring.linear.LinearScorer"):
        assert isinstance(get_scorer(), LinearScorer)


def test_rejects_something_that_is_not_a_scorer() -> None:
    with (
        override_settings(PARLEY_SCORER=f"{HERE}.NotAScorer"),
        pytest.raises(TypeError, match="Scorer"),
    ):
        get_scorer()


def test_bad_path_fails_loudly() -> None:
    with override_settings(PARLEY_SCORER=f"{HERE}.Missing"), pytest.raises(ImportError):
        get_scorer()
