"""Moderators decide a whole case at once; each member gets a real, audited decision."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import Cast
from parley.campaigns.models import CampaignCase, CaseStatus
from parley.campaigns.tests.conftest import copy_paste_campaign, crew
from parley.comments.actions import erase_commenter
from parley.comments.models import Comment, CommentStatus
from parley.core.models import AuditEntry
from parley.identity.models import Commenter
from parley.moderation.models import Decision, Sanction
from parley.stories.models import Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(cast: Cast) -> dict[str, Any]:
    accounts = crew(6)
    comments = copy_paste_campaign(cast.story, accounts)
    return {"case": CampaignCase.objects.get(), "accounts": accounts, "comments": comments}


def decide(
    client: Client, cast: Cast, case_id: int, persona: str = "moderator", **body: Any
) -> Any:
    return client.post(
        f"/api/v1/campaigns/{case_id}/decision",
        body,
        content_type="application/json",
        **cast.bearer(persona),
    )


def snapshot() -> tuple[Any, ...]:
    """Everything a refused decision must leave unchanged."""
    return (
        list(CampaignCase.objects.values_list("pk", "status", "decision", "rule_code")),
        list(Comment.objects.order_by("pk").values_list("pk", "status", "rule_code")),
        list(Commenter.objects.order_by("pk").values_list("pk", "premoderated")),
        AuditEntry.objects.count(),
        Decision.objects.count(),
        Sanction.objects.count(),
        list(Story.objects.order_by("pk").values_list("pk", "comment_count")),
    )


def test_reject_all_rejects_every_comment_citing_the_rule(
    cast: Cast, api_client: Client, campaign: dict[str, Any]
) -> None:
    case = campaign["case"]
    assert Story.objects.get(pk=cast.story.pk).comment_count == 6

    response = decide(api_client, cast, case.pk, action="reject_all", rule="R3")

    assert response.status_code == 200, response.content
    body = response.json()
    ids = sorted(c.pk for c in campaign["comments"])
    assert sorted(body["applied"]) == ids
    assert body["skipped"] == {}
    assert body["target"] == "comments"
    assert body["rule"] == {"code": "R3", "guideline_version": 1}
    assert body["campaign"]["status"] == "actioned"
    for comment in Comment.objects.filter(pk__in=ids):
        assert (comment.status, comment.rule_code, comment.guideline_version) == (
            CommentStatus.REJECTED,
            "R3",
            1,
        )
    assert Decision.objects.filter(comment_id__in=ids, action="reject", rule_code="R3").count() == 6
    assert (
        AuditEntry.objects.filter(
            action="comment.reject",
            rule_code="R3",
            guideline_version=1,
            target_id__in=map(str, ids),
        ).count()
        == 6
    )
    entry = AuditEntry.objects.get(action="campaign.reject_all")
    assert (entry.target_id, entry.rule_code, entry.guideline_version) == (str(case.pk), "R3", 1)
    assert entry.data["applied"] == 6
    assert Story.objects.get(pk=cast.story.pk).comment_count == 0
    case.refresh_from_db()
    assert (case.status, case.decision, case.rule_code, case.decided_by) == (
        CaseStatus.ACTIONED,
        "reject_all",
        "R3",
        "API key mod",
    )


def test_premod_accounts_premoderates_every_account(
    cast: Cast, api_client: Client, campaign: dict[str, Any]
) -> None:
    case = campaign["case"]
    response = decide(api_client, cast, case.pk, action="premod_accounts", rule="R3")

    assert response.status_code == 200, response.content
    ids = sorted(a.pk for a in campaign["accounts"])
    assert sorted(response.json()["applied"]) == ids
    assert all(Commenter.objects.filter(pk__in=ids).values_list("premoderated", flat=True))
    assert Sanction.objects.filter(commenter_id__in=ids, kind="premod", rule_code="R3").count() == 6
    assert AuditEntry.objects.filter(action="commenter.premod", rule_code="R3").count() == 6
    # The comments themselves are untouched.
    assert set(
        Comment.objects.filter(pk__in=[c.pk for c in campaign["comments"]]).values_list(
            "status", flat=True
        )
    ) == {CommentStatus.PUBLISHED}


def test_dismiss_closes_the_case_and_touches_no_member(
    cast: Cast, api_client: Client, campaign: dict[str, Any]
) -> None:
    case = campaign["case"]
    response = decide(api_client, cast, case.pk, action="dismiss", rule="R3")

    assert response.status_code == 200, response.content
    assert response.json()["applied"] == []
    case.refresh_from_db()
    assert case.status == CaseStatus.DISMISSED
    assert AuditEntry.objects.filter(action="campaign.dismiss").count() == 1
    assert not Decision.objects.exists()
    assert not Sanction.objects.exists()


def test_a_second_decision_is_refused_and_changes_nothing(
    cast: Cast, api_client: Client, campaign: dict[str, Any]
) -> None:
    case = campaign["case"]
    assert decide(api_client, cast, case.pk, action="dismiss", rule="R3").status_code == 200
    before = snapshot()

    response = decide(api_client, cast, case.pk, action="reject_all", rule="R3")

    assert response.status_code == 409
    assert response.json()["code"] == "already_decided"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"action": "reject_all", "rule": "R99"}, "unknown_rule"),
        ({"action": "reject_all"}, "rule_required"),
        ({"action": "reject_all", "rule": ""}, "rule_required"),
        ({"action": "ban_everyone", "rule": "R3"}, "unknown_action"),
    ],
)
def test_invalid_decisions_are_refused_and_change_nothing(
    cast: Cast, api_client: Client, campaign: dict[str, Any], body: dict[str, Any], code: str
) -> None:
    before = snapshot()
    response = decide(api_client, cast, campaign["case"].pk, **body)
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert snapshot() == before


@pytest.mark.parametrize(
    ("persona", "status", "code"),
    [
        ("reader", 403, "insufficient_role"),
        ("youth_moderator", 403, "not_a_moderator_here"),
    ],
)
def test_who_may_decide(
    cast: Cast,
    api_client: Client,
    campaign: dict[str, Any],
    persona: str,
    status: int,
    code: str,
) -> None:
    if persona == "youth_moderator":
        api_client.force_login(_user("kidmod"))
        headers: dict[str, Any] = {}
    else:
        headers = cast.bearer(persona)
    before = snapshot()
    response = api_client.post(
        f"/api/v1/campaigns/{campaign['case'].pk}/decision",
        {"action": "reject_all", "rule": "R3"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert snapshot() == before


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_a_case_whose_accounts_were_erased_still_lists_and_decides(
    cast: Cast, api_client: Client, campaign: dict[str, Any]
) -> None:
    case = campaign["case"]
    erased = campaign["accounts"][:2]
    for account in erased:
        erase_commenter(commenter=account)
    erased_comments = sorted(
        c.pk for c in campaign["comments"] if c.author_id in {a.pk for a in erased}
    )

    listed = api_client.get("/api/v1/campaigns", **cast.bearer("moderator"))
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [case.pk]
    detail = api_client.get(f"/api/v1/campaigns/{case.pk}", **cast.bearer("moderator"))
    assert detail.status_code == 200
    data = detail.json()
    assert len(data["comments"]) == 6  # nothing lost: the ids stay
    erased_rows = [a for a in data["account_details"] if a["erased"]]
    assert sorted(a["id"] for a in erased_rows) == sorted(a.pk for a in erased)
    assert {a["display_name"] for a in erased_rows} == {"Former member"}
    for row in data["comment_details"]:
        if row["id"] in erased_comments:
            assert (row["status"], row["body_html"]) == ("withdrawn", "")

    response = decide(api_client, cast, case.pk, action="reject_all", rule="R3")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["skipped"] == {"author_erased": erased_comments}
    assert len(body["applied"]) == 4
    assert AuditEntry.objects.get(action="campaign.reject_all").data["skipped"] == {
        "author_erased": 2
    }


def test_premod_skips_erased_accounts(
    cast: Cast, api_client: Client, campaign: dict[str, Any]
) -> None:
    erase_commenter(commenter=campaign["accounts"][0])
    response = decide(api_client, cast, campaign["case"].pk, action="premod_accounts", rule="R3")
    assert response.status_code == 200, response.content
    assert response.json()["skipped"] == {"author_erased": [campaign["accounts"][0].pk]}
    assert len(response.json()["applied"]) == 5
