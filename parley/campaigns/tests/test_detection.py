"""Cases reach the database as comments arrive (the incremental path, in the worker)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from conftest import Cast
from parley.campaigns.actions import decide_case
from parley.campaigns.models import CampaignCase, CaseStatus
from parley.campaigns.stream import reset_detector
from parley.campaigns.tests.conftest import (
    ORGANIC,
    TALKING_POINT,
    copy_paste_campaign,
    crew,
    new_account,
    post,
)
from parley.comments.actions import withdraw_comment
from parley.comments.models import Comment, CommentStatus
from parley.core import clock
from parley.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_copy_paste_campaign_opens_one_case(cast: Cast) -> None:
    accounts = crew(6)
    comments = copy_paste_campaign(cast.story, accounts)

    case = CampaignCase.objects.get()
    assert case.status == CaseStatus.OPEN
    assert set(case.comment_links.values_list("comment_ref", flat=True)) == {c.pk for c in comments}
    assert set(case.account_links.values_list("commenter_ref", flat=True)) == {
        a.pk for a in accounts
    }
    assert (case.comment_count, case.account_count) == (6, 6)
    assert case.story_ids == [cast.story.pk]
    assert case.score >= 0.6
    assert case.summary.startswith("6 accounts, 6 comments, 1 talking point")
    assert case.talking_points[0]["count"] == 6
    assert case.evidence["accounts"] == 6
    opened = AuditEntry.objects.filter(action="campaign.open")
    assert opened.count() == 1
    assert opened.get().target_id == str(case.pk)
    assert opened.get().community_id == cast.opinion.pk


def test_organic_comments_open_no_case(cast: Cast) -> None:
    for i, body in enumerate(ORGANIC):
        post(cast.story, new_account(f"org-{i}", "Reader"), body)
        clock.advance(timedelta(minutes=1))
    assert CampaignCase.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="campaign.").exists()


def test_a_later_comment_joins_the_open_case(cast: Cast) -> None:
    copy_paste_campaign(cast.story, crew(5))
    case = CampaignCase.objects.get()
    late = new_account("late-1", "Ingrid")
    comment = post(
        cast.story,
        late,
        "The carbon tax is a cash grab that will destroy "
        "thousands of jobs in Alberta, vote them out at the next election!",
    )
    case.refresh_from_db()
    assert CampaignCase.objects.count() == 1
    assert comment.pk in set(case.comment_links.values_list("comment_ref", flat=True))
    assert case.comment_count == 6
    assert AuditEntry.objects.filter(action="campaign.open").count() == 1


def test_a_restarted_worker_rebuilds_its_engine_from_the_database(cast: Cast) -> None:
    """Engine state is per process; a fresh process warms up from recent comments, so the
    case it finds is the same case, not a second one."""
    accounts = crew(6)
    copy_paste_campaign(cast.story, accounts[:4])
    first = CampaignCase.objects.get()
    reset_detector()  # a restart, or the next task landing on another worker process
    copy_paste_campaign(cast.story, accounts[4:])
    case = CampaignCase.objects.get()
    assert case.pk == first.pk
    assert (case.comment_count, case.account_count) == (6, 6)
    assert AuditEntry.objects.filter(action="campaign.open").count() == 1


def test_an_actioned_case_reopens_when_the_campaign_goes_on(cast: Cast) -> None:
    copy_paste_campaign(cast.story, crew(5))
    case = CampaignCase.objects.get()
    decide_case(actor=cast.moderator, case_id=case.pk, action="reject_all", rule_code="R3")
    late = post(cast.story, new_account("late-2", "Jonas"), TALKING_POINT)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert late.pk in set(case.comment_links.values_list("comment_ref", flat=True))
    assert case.decision == "reject_all"  # the last decision stays readable
    assert AuditEntry.objects.filter(action="campaign.reopen", target_id=str(case.pk)).count() == 1
    # Deciding again applies to the new comment; the earlier ones keep their decision.
    result = decide_case(actor=cast.moderator, case_id=case.pk, action="reject_all", rule_code="R3")
    assert result.applied == [late.pk]
    assert len(result.skipped["already_decided"]) == 5


def test_a_dismissed_case_stays_dismissed_as_members_join(cast: Cast) -> None:
    copy_paste_campaign(cast.story, crew(5))
    case = CampaignCase.objects.get()
    decide_case(actor=cast.moderator, case_id=case.pk, action="dismiss", rule_code="R3")
    post(cast.story, new_account("late-3", "Karin"), TALKING_POINT)
    case.refresh_from_db()
    assert case.status == CaseStatus.DISMISSED
    assert case.comment_count == 6
    assert not AuditEntry.objects.filter(action="campaign.reopen").exists()


def test_withdrawn_comments_are_skipped_and_counted(cast: Cast) -> None:
    accounts = crew(6)
    comments = copy_paste_campaign(cast.story, accounts)
    withdraw_comment(commenter=accounts[1], comment=comments[1])
    case = CampaignCase.objects.get()
    result = decide_case(actor=cast.moderator, case_id=case.pk, action="reject_all", rule_code="R3")
    assert result.skipped == {"comment_withdrawn": [comments[1].pk]}
    assert len(result.applied) == 5
    assert Comment.objects.get(pk=comments[1].pk).status == CommentStatus.WITHDRAWN
