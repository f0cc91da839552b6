"""Two moderators deciding one case, two workers recording one case: on a real concurrent
database (PostgreSQL), exactly one wins and nothing is done twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import Cast, run_together
from parley.campaigns import signals_from_db
from parley.campaigns.actions import decide_case, record_case
from parley.campaigns.models import CampaignCase, CaseComment, CaseStatus
from parley.campaigns.stream import new_engine
from parley.campaigns.tests.conftest import copy_paste_campaign, crew
from parley.core.errors import ParleyError
from parley.core.models import AuditEntry
from parley.moderation.models import Decision

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.usefixtures("postgres_only"),
]


def test_two_moderators_deciding_one_case(cast: Cast) -> None:
    comments = copy_paste_campaign(cast.story, crew(6))
    case = CampaignCase.objects.get()

    def decide(action: str) -> Callable[[], Any]:
        return lambda: decide_case(
            actor=cast.moderator, case_id=case.pk, action=action, rule_code="R3"
        )

    results = run_together([decide("reject_all"), decide("dismiss")])
    refused = [r for r in results if isinstance(r, ParleyError)]
    assert [r.code for r in refused] == ["already_decided"]
    case.refresh_from_db()
    assert case.status in {CaseStatus.ACTIONED, CaseStatus.DISMISSED}
    rejected = Decision.objects.filter(comment_id__in=[c.pk for c in comments]).count()
    assert rejected == (6 if case.status == CaseStatus.ACTIONED else 0)
    assert (
        AuditEntry.objects.filter(action__in=["campaign.reject_all", "campaign.dismiss"]).count()
        == 1
    )


def test_two_workers_recording_one_case(cast: Cast, settings: Any) -> None:
    settings.PARLEY_INTAKE_LISTENERS = []  # no live detection: the workers below do it
    from parley.comments.intake import reset_pipeline_cache

    reset_pipeline_cache()
    copy_paste_campaign(cast.story, crew(6))
    (found,) = new_engine().scan(signals_from_db.signals(signals_from_db.archive()))

    results = run_together([lambda: record_case(case=found), lambda: record_case(case=found)])
    assert sorted(r.created for r in results) == [False, True]
    assert CampaignCase.objects.count() == 1
    assert CaseComment.objects.count() == 6
    assert AuditEntry.objects.filter(action="campaign.open").count() == 1
