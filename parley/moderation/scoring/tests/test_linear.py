from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from parley.moderation.scoring.base import Scorer
from parley.moderation.scoring.linear import DEFAULT_MODEL, LinearModel, LinearScorer, analyse

HOSTILE_VS_CIVIL = [
    (
        "You are a pathetic idiot and a liar, shut up.",
        "I think you are mistaken about the budget figures.",
    ),
    (
        "What a bunch of stupid morons running this city.",
        "The city council approved the new transit budget on Tuesday.",
    ),
    (
        "Go to hell, you disgusting bigot.",
        "Thanks for the thoughtful article, it was a good read.",
    ),
    (
        "Only an ignorant fool would believe this garbage.",
        "I respectfully disagree with the author's conclusion.",
    ),
]


@pytest.fixture(scope="module")
def scorer() -> LinearScorer:
    return LinearScorer()


def test_is_a_scorer_with_a_name(scorer: LinearScorer) -> None:
    assert isinstance(scorer, Scorer)
    assert scorer.name == "linear"


@pytest.mark.parametrize(("hostile", "civil"), HOSTILE_VS_CIVIL)
def test_hostile_scores_higher_than_civil(scorer: LinearScorer, hostile: str, civil: str) -> None:
    bad, good = scorer.score_many([hostile, civil])
    assert bad["toxicity"] > good["toxicity"]


def test_obvious_insult_above_and_civil_below_the_shipped_flag(scorer: LinearScorer) -> None:
    from parley.moderation.scoring.routing import SHIPPED_THRESHOLDS, route_for

    assert route_for(scorer.score("You are a stupid worthless idiot."), SHIPPED_THRESHOLDS) != (
        "publish"
    )
    assert route_for(scorer.score("The council meets again on Monday."), SHIPPED_THRESHOLDS) == (
        "publish"
    )


def test_scores_are_probabilities_in_input_order(scorer: LinearScorer) -> None:
    texts = ["", "   ", "ok", "Idiot!", "x" * 20000, "日本語のコメント", "👍👍"]
    scores = scorer.score_many(texts)
    assert len(scores) == len(texts)
    for s in scores:
        assert set(s) == {"toxicity"}
        assert 0.0 <= s["toxicity"] <= 1.0
    assert scorer.score_many([]) == []
    assert scorer.score("Idiot!") == scores[3]


def test_analyse_features() -> None:
    feats = analyse("Hello, WORLD world")
    assert feats["w:world"] == 2
    assert feats["w:hello world"] == 1
    assert feats["c: wo"] == 2
    assert "c:hello" in feats
    assert not any(f.startswith("c:,") for f in feats)
    # Obfuscated words keep their characters together.
    assert "w:f*ck" in analyse("f*ck this")


def test_model_math_matches_hand_computation(tmp_path: Path) -> None:
    data = {
        "format": "parley-linear-toxicity/1",
        "char_min": 2,
        "char_max": 2,
        "intercept": -1.0,
        "features": ["w:bad", "w:good"],
        "idf": [2.0, 1.0],
        "coef": [3.0, -1.0],
    }
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data))
    scorer = LinearScorer(path)
    # "bad bad good": tf-idf values (1 + ln 2) * 2 and 1 * 1, L2-normalised, dot coef, + b.
    a, b = (1 + math.log(2)) * 2.0, 1.0
    z = (a * 3.0 + b * -1.0) / math.hypot(a, b) - 1.0
    assert scorer.score("bad bad good")["toxicity"] == pytest.approx(1 / (1 + math.exp(-z)))
    # No known feature: only the intercept remains.
    assert scorer.score("neutral")["toxicity"] == pytest.approx(1 / (1 + math.e))


def test_corrupt_model_rejected() -> None:
    with pytest.raises(ValueError, match="corrupt"):
        LinearModel(
            {"char_min": 2, "char_max": 5, "intercept": 0, "features": ["a"], "idf": [], "coef": []}
        )


def test_shipped_model_is_small_plain_json() -> None:
    assert DEFAULT_MODEL.stat().st_size < 5_000_000
    data = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    assert data["format"] == "parley-linear-toxicity/1"
    assert len(data["features"]) == len(data["idf"]) == len(data["coef"]) > 1000
    # Trained only on licence-compatible sources (never the NonCommercial UCC / SOCC sets).
    allowed = ("wiki-", "spans-", "masked-", "clean-")
    assert all(src.startswith(allowed) for src in data["trained_on"])
