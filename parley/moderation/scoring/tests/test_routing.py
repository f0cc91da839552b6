from __future__ import annotations

import math

import pytest

from parley.moderation.scoring.routing import SHIPPED_THRESHOLDS, Thresholds, route_for

T = Thresholds(flag=0.4, hold=0.8)


@pytest.mark.parametrize(
    ("toxicity", "expected"),
    [
        (0.0, "publish"),
        (0.39999, "publish"),
        (0.4, "system"),
        (0.79, "system"),
        (0.8, "hold"),
        (1.0, "hold"),
    ],
)
def test_routes_on_toxicity(toxicity: float, expected: str) -> None:
    assert route_for({"toxicity": toxicity, "insult": 0.99}, T) == expected


def test_other_labels_do_not_route() -> None:
    assert route_for({"toxicity": 0.1, "threat": 1.0}, T) == "publish"


def test_equal_flag_and_hold_never_routes_to_system() -> None:
    t = Thresholds(flag=0.5, hold=0.5)
    assert route_for({"toxicity": 0.49}, t) == "publish"
    assert route_for({"toxicity": 0.5}, t) == "hold"


@pytest.mark.parametrize("scores", [{}, {"insult": 0.9}, {"toxicity": math.nan}])
def test_missing_or_nan_toxicity_is_an_error_not_publish(scores: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="toxicity"):
        route_for(scores, T)


@pytest.mark.parametrize(("flag", "hold"), [(0.9, 0.5), (-0.1, 0.5), (0.2, 1.5)])
def test_invalid_thresholds_rejected(flag: float, hold: float) -> None:
    with pytest.raises(ValueError):
        Thresholds(flag=flag, hold=hold)


def test_thresholds_are_frozen() -> None:
    with pytest.raises(AttributeError):
        T.flag = 0.1  # type: ignore[misc]


def test_shipped_thresholds_are_ordered() -> None:
    assert 0.0 < SHIPPED_THRESHOLDS.flag < SHIPPED_THRESHOLDS.hold < 1.0
