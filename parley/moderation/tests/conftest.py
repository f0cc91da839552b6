"""Moderation test helpers: a deterministic scorer and shortcuts over the real actions."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.test import Client, TestCase

from parley.comments.actions import post_comment
from parley.comments.models import Comment
from parley.identity.actions import sign_in_with_sso
from parley.identity.models import Commenter
from parley.identity.sso import SsoClaims
from parley.moderation.intake import reset_matchers
from parley.moderation.scoring.base import Scorer
from parley.moderation.scoring.registry import reset_scorer_cache
from parley.stories.models import Story


class KeywordScorer(Scorer):
    """Scores by marker words, so routing tests do not depend on a trained model."""

    name = "keyword"

    def score_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        out = []
        for text in texts:
            if "HOLDME" in text:
                toxicity = 0.95
            elif "FLAGME" in text:
                toxicity = 0.6
            else:
                toxicity = 0.05
            out.append({"toxicity": toxicity, "insult": toxicity / 2})
        return out


@pytest.fixture(autouse=True)
def _keyword_scorer(settings: Any) -> Iterator[None]:
    settings.PARLEY_SCORER = "parley.moderation.tests.conftest.KeywordScorer"
    reset_scorer_cache()
    reset_matchers()
    yield
    reset_scorer_cache()
    reset_matchers()


def comment_on(
    story: Story, author: Commenter, body: str = "A civil comment.", **kw: Any
) -> Comment:
    author.refresh_from_db()  # as a request would load it: sanctions apply at once
    # Run the after-commit work (listeners: scoring) as a committed request would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = post_comment(
            commenter=author, story=story, body=body, accept_terms="2026-01", **kw
        )
    comment = result.comment
    comment.refresh_from_db()
    return comment


def readers(count: int, prefix: str = "extra") -> list[Commenter]:
    """Extra verified readers, each with their own rate-limit bucket."""
    return [
        sign_in_with_sso(
            claims=SsoClaims(
                subject=f"{prefix}-{i}",
                issuer="",
                given_name="Marie",
                family_name=f"Curie{chr(97 + i % 26)}",
                email="",
                youth=False,
            )
        )
        for i in range(count)
    ]


def post_json(client: Client, path: str, body: Any, **headers: Any) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json", **headers)


def put_json(client: Client, path: str, body: Any, **headers: Any) -> Any:
    return client.put(path, data=json.dumps(body), content_type="application/json", **headers)
