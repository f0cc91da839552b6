"""Campaign test helpers: crews of fresh accounts posting through the real intake pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import TestCase
from django.utils import timezone

from parley.campaigns.stream import reset_detector
from parley.comments.actions import post_comment
from parley.comments.intake import reset_pipeline_cache
from parley.comments.models import Comment
from parley.core import clock
from parley.identity.actions import sign_in_with_sso
from parley.identity.models import Commenter
from parley.identity.sso import SsoClaims
from parley.stories.models import Story

TALKING_POINT = (
    "The carbon tax is a cash grab that will destroy thousands of jobs in Alberta, "
    "vote them out at the next election."
)
ORGANIC = [
    "I rode the new transit line this morning and the trains were on time for once.",
    "The article glosses over the cost of the pension changes for younger workers.",
    "My grandmother came here as a refugee in 1956 and built a business from nothing.",
    "Housing in Vancouver is unaffordable because of zoning, not foreign buyers alone.",
    "Interesting take, but the author ignores what happened in Ontario last spring.",
    "Hospitals in rural Manitoba have closed emergency rooms three summers running.",
]
FIRST_NAMES = ["Alice", "Bruno", "Chloé", "Dmitri", "Esther", "Farid", "Greta", "Hugo"]


@pytest.fixture(autouse=True)
def _campaigns_only(settings: Any) -> Iterator[None]:
    """Only campaign detection listens to intake here (scoring has its own tests), and each
    test starts with a fresh engine, as a fresh worker process would."""
    settings.PARLEY_INTAKE_LISTENERS = ["parley.campaigns.intake.observe_comment"]
    reset_pipeline_cache()
    reset_detector()
    # Frozen near the real time: SSO tokens minted by the cast are checked against it.
    with clock.frozen_at(timezone.now().replace(microsecond=0)):
        yield
    reset_detector()
    reset_pipeline_cache()


def new_account(sub: str, given: str, family: str = "Tremblay") -> Commenter:
    claims = SsoClaims(
        subject=sub, issuer="", given_name=given, family_name=family, email="", youth=False
    )
    return sign_in_with_sso(claims=claims)


def post(story: Story, author: Commenter, body: str, *, address: str = "") -> Comment:
    """Post as a committed request would: the after-commit listeners (detection) run."""
    author.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = post_comment(
            commenter=author,
            story=story,
            body=body,
            accept_terms="2026-01",
            address_hash=address,
        )
    return result.comment


def crew(size: int = 6, prefix: str = "crew") -> list[Commenter]:
    return [new_account(f"{prefix}-{i}", FIRST_NAMES[i % len(FIRST_NAMES)]) for i in range(size)]


def copy_paste_campaign(
    story: Story, accounts: list[Commenter], *, text: str = TALKING_POINT
) -> list[Comment]:
    """Each account posts the talking point (a word changed here and there), a minute apart."""
    comments = []
    for i, account in enumerate(accounts):
        body = text if i % 2 == 0 else text.replace("thousands of", "many thousands of")
        comments.append(post(story, account, body, address="net-a"))
        clock.advance(timedelta(minutes=1))
    return comments
