"""Sanctions: warn, pre-moderate, suspend until a date, ban; each cites a rule, the commenter
is told, intake enforces them; refusals change nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from conftest import Cast
from parley.comments.errors import CommentError
from parley.comments.models import CommentStatus
from parley.core import clock
from parley.core.models import AuditEntry
from parley.identity.models import Commenter
from parley.moderation.actions import apply_sanction
from parley.moderation.models import Notice, Sanction
from parley.moderation.tests.conftest import comment_on, post_json

pytestmark = pytest.mark.django_db


def sanction(
    client: Client, cast: Cast, commenter_id: int, persona: str = "moderator", **body: Any
) -> Any:
    return post_json(
        client, f"/api/v1/users/{commenter_id}/sanctions", body, **cast.bearer(persona)
    )


def state(commenter: Commenter) -> tuple[Any, ...]:
    commenter.refresh_from_db()
    return (commenter.premoderated, commenter.suspended_until, commenter.banned_at)


@pytest.fixture
def active_reader(cast: Cast) -> Commenter:
    """A reader who has commented in the Opinion community (so its moderators may act)."""
    comment_on(cast.story, cast.reader)
    return cast.reader


def test_warning_records_and_tells(
    api_client: Client, cast: Cast, active_reader: Commenter
) -> None:
    response = sanction(api_client, cast, active_reader.pk, kind="warn", rule="R2")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["kind"], data["rule"], data["active"]) == (
        "warn",
        {"code": "R2", "guideline_version": 1},
        False,
    )
    assert state(active_reader) == (False, None, None)
    notice = api_client.get("/api/v1/me/notices", **cast.bearer("reader")).json()["items"][0]
    assert notice["kind"] == "warning" and "R2" in notice["message"]
    entry = AuditEntry.objects.get(action="commenter.warn")
    assert (entry.target_type, entry.target_id) == ("commenter", str(active_reader.pk))
    assert (entry.rule_code, entry.guideline_version, entry.community_id) == (
        "R2",
        1,
        cast.opinion.pk,
    )


def test_premoderation_holds_the_next_comment(
    api_client: Client, cast: Cast, active_reader: Commenter
) -> None:
    assert sanction(api_client, cast, active_reader.pk, kind="premod", rule="R3").status_code == 201
    assert state(active_reader)[0] is True
    held = comment_on(cast.story, active_reader, body="After the sanction.")
    assert held.status == CommentStatus.PENDING
    queue = api_client.get("/api/v1/moderation/queues/pending", **cast.bearer("moderator")).json()
    assert [item["comment"]["id"] for item in queue["items"]] == [held.pk]
    assert "premoderated_author" in queue["items"][0]["reasons"]
    again = sanction(api_client, cast, active_reader.pk, kind="premod", rule="R3")
    assert (again.status_code, again.json()["code"]) == (409, "already_sanctioned")


def test_suspension_until_a_date_blocks_posting_until_then(
    api_client: Client, cast: Cast, active_reader: Commenter
) -> None:
    until = clock.now() + timedelta(days=3)
    response = sanction(
        api_client, cast, active_reader.pk, kind="suspend", rule="R1", until=until.isoformat()
    )
    assert response.status_code == 201
    assert response.json()["active"] is True
    with pytest.raises(CommentError) as refused:
        comment_on(cast.story, active_reader, body="Can I still post?")
    assert refused.value.code == "account_suspended"
    notice = Notice.objects.get(commenter=active_reader)
    assert notice.kind == "suspended" and notice.until == until
    assert (
        "suspended" in notice.message() and until.isoformat(timespec="minutes") in notice.message()
    )
    with clock.frozen_at(until + timedelta(minutes=1)):
        assert comment_on(cast.story, active_reader, body="Back again.").status == "published"


def test_ban_blocks_posting_and_can_be_lifted(
    api_client: Client, cast: Cast, active_reader: Commenter
) -> None:
    response = sanction(api_client, cast, active_reader.pk, kind="ban", rule="R4")
    assert response.status_code == 201
    with pytest.raises(CommentError) as refused:
        comment_on(cast.story, active_reader, body="Hello?")
    assert refused.value.code == "account_banned"
    again = sanction(api_client, cast, active_reader.pk, kind="ban", rule="R4")
    assert (again.status_code, again.json()["code"]) == (409, "already_sanctioned")
    sanction_id = response.json()["id"]
    lifted = post_json(
        api_client, f"/api/v1/sanctions/{sanction_id}/lift", {}, **cast.bearer("moderator")
    )
    assert lifted.status_code == 200
    assert lifted.json()["active"] is False and lifted.json()["lifted_at"]
    assert state(active_reader) == (False, None, None)
    assert comment_on(cast.story, active_reader, body="Thanks.").status == "published"
    assert AuditEntry.objects.filter(action="commenter.lift_sanction", rule_code="R4").count() == 1
    twice = post_json(
        api_client, f"/api/v1/sanctions/{sanction_id}/lift", {}, **cast.bearer("moderator")
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "sanction_not_active")
    kinds = [
        n["kind"]
        for n in api_client.get("/api/v1/me/notices", **cast.bearer("reader")).json()["items"]
    ]
    assert kinds == ["sanction_lifted", "banned"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (
            {"kind": "suspend", "rule": "R1", "until": "2020-01-01T00:00:00+00:00"},
            422,
            "until_in_past",
        ),
        (
            {"kind": "suspend", "rule": "R1", "until": "2031-01-01T00:00:00"},
            422,
            "until_needs_time_zone",
        ),
        ({"kind": "suspend", "rule": "R1"}, 422, "until_required"),
        (
            {"kind": "ban", "rule": "R1", "until": "2031-01-01T00:00:00+00:00"},
            422,
            "until_not_allowed",
        ),
        ({"kind": "ban"}, 422, "rule_required"),
        ({"kind": "ban", "rule": "R77"}, 422, "unknown_rule"),
        ({"kind": "exile", "rule": "R1"}, 422, "invalid_input"),
        ({"kind": "suspend", "rule": "R1", "until": "next tuesday"}, 422, "invalid_input"),
    ],
)
def test_bad_sanctions_change_nothing(
    api_client: Client,
    cast: Cast,
    active_reader: Commenter,
    body: dict[str, Any],
    status: int,
    code: str,
) -> None:
    before, audit_before = state(active_reader), AuditEntry.objects.count()
    response = sanction(api_client, cast, active_reader.pk, **body)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert state(active_reader) == before
    assert AuditEntry.objects.count() == audit_before
    assert not Sanction.objects.exists() and not Notice.objects.exists()


def test_a_moderator_cannot_sanction_outside_their_communities(
    api_client: Client, cast: Cast
) -> None:
    youth_comment = comment_on(cast.youth_story, cast.youth_member)
    before, audit_before = state(cast.youth_member), AuditEntry.objects.count()
    response = sanction(api_client, cast, cast.youth_member.pk, kind="ban", rule="R1")
    assert (response.status_code, response.json()["code"]) == (403, "not_a_moderator_here")
    # Nor through a comment in the other community.
    response = sanction(
        api_client, cast, cast.youth_member.pk, kind="ban", rule="R1", comment_id=youth_comment.pk
    )
    assert (response.status_code, response.json()["code"]) == (403, "not_a_moderator_here")
    assert state(cast.youth_member) == before
    assert AuditEntry.objects.count() == audit_before
    created = apply_sanction(
        actor=cast.youth_moderator, commenter_id=cast.youth_member.pk, kind="premod", rule_code="R1"
    )
    assert created.community_id == cast.youth.pk


def test_commenters_cannot_sanction_and_unknown_users_are_404(
    api_client: Client, cast: Cast, active_reader: Commenter
) -> None:
    response = sanction(api_client, cast, cast.other_reader.pk, "reader", kind="ban", rule="R1")
    assert (response.status_code, response.json()["code"]) == (403, "insufficient_role")
    response = sanction(api_client, cast, 987654, kind="ban", rule="R1")
    assert (response.status_code, response.json()["code"]) == (404, "commenter_not_found")
    assert not Sanction.objects.exists()


def test_sanction_list(api_client: Client, cast: Cast, active_reader: Commenter) -> None:
    sanction(api_client, cast, active_reader.pk, kind="warn", rule="R2")
    sanction(api_client, cast, active_reader.pk, kind="premod", rule="R3")
    listing = api_client.get(
        f"/api/v1/users/{active_reader.pk}/sanctions", **cast.bearer("moderator")
    )
    assert listing.status_code == 200
    assert [s["kind"] for s in listing.json()["items"]] == ["premod", "warn"]
