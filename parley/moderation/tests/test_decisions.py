"""Decisions on comments: approve, reject, remove, each citing a rule; refusals change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import Cast
from parley.comments.actions import report_comment, withdraw_comment
from parley.comments.models import Comment, CommentStatus, Report
from parley.communities.policies import publish_guidelines
from parley.core.actors import SYSTEM
from parley.core.errors import ParleyError
from parley.core.models import AuditEntry
from parley.identity.actions import sign_in_with_sso
from parley.identity.sso import SsoClaims
from parley.moderation.actions import decide_comment, decide_comments
from parley.moderation.errors import ModerationError
from parley.moderation.models import Decision, Notice
from parley.moderation.tests.conftest import comment_on, post_json
from parley.stories.actions import update_story_comments

pytestmark = pytest.mark.django_db


def decide(
    client: Client, cast: Cast, comment_id: int, persona: str = "moderator", **body: Any
) -> Any:
    return post_json(
        client, f"/api/v1/comments/{comment_id}/decision", body, **cast.bearer(persona)
    )


def snapshot(comment: Comment) -> tuple[Any, ...]:
    comment.refresh_from_db()
    return (comment.status, comment.rule_code, comment.guideline_version, comment.moderated_at)


def premoderate_story(cast: Cast) -> None:
    update_story_comments(actor=SYSTEM, story=cast.story, moderation="pre")
    cast.story.refresh_from_db()


def test_approving_a_pending_comment_publishes_it_and_records_everything(
    api_client: Client, cast: Cast, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    premoderate_story(cast)
    comment = comment_on(cast.story, cast.reader)
    assert comment.status == CommentStatus.PENDING
    events: list[tuple[int, str]] = []
    monkeypatch.setattr(
        "parley.comments.events.comment_changed", lambda cid, kind: events.append((cid, kind))
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(api_client, cast, comment.pk, action="approve", rule="R2", note="fine")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["action"] == "approve"
    assert data["rule"] == {"code": "R2", "guideline_version": 1}
    assert data["comment"]["status"] == "published"
    assert data["decided_by"] == "API key mod"
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert comment.guideline_version == 1 and comment.moderated_at is not None
    cast.story.refresh_from_db()
    assert cast.story.comment_count == 1
    assert events == [(comment.pk, "published")]
    entry = AuditEntry.objects.get(action="comment.approve", target_id=str(comment.pk))
    assert (entry.actor_kind, entry.rule_code, entry.guideline_version) == ("apikey", "R2", 1)
    assert entry.community_id == cast.opinion.pk
    assert Decision.objects.get(comment=comment).note == "fine"
    assert not Notice.objects.exists()  # approval tells nobody anything


def test_reject_tells_the_author_which_rule_it_broke(api_client: Client, cast: Cast) -> None:
    premoderate_story(cast)
    comment = comment_on(cast.story, cast.reader)
    response = decide(api_client, cast, comment.pk, action="reject", rule="R1")
    assert response.status_code == 200
    assert response.json()["comment"]["rule"] == {"code": "R1", "guideline_version": 1}
    # The author sees the status and the rule on the comment itself...
    own = api_client.get(f"/api/v1/comments/{comment.pk}", **cast.bearer("reader")).json()
    assert own["status"] == "rejected"
    assert own["rule"] == {"code": "R1", "guideline_version": 1}
    # ...and in their notices, in words.
    notices = api_client.get("/api/v1/me/notices", **cast.bearer("reader")).json()["items"]
    assert len(notices) == 1
    assert notices[0]["kind"] == "comment_rejected"
    assert notices[0]["comment_id"] == comment.pk
    assert notices[0]["rule"] == {"code": "R1", "guideline_version": 1}
    assert "not published" in notices[0]["message"] and "R1" in notices[0]["message"]
    assert "Be respectful" in notices[0]["message"]
    # Nobody else sees it.
    assert api_client.get(f"/api/v1/comments/{comment.pk}").status_code == 404
    other = api_client.get("/api/v1/me/notices", **cast.bearer("other_reader")).json()
    assert other["items"] == []


def test_removing_a_published_reply_fixes_counters_and_resolves_reports(
    api_client: Client, cast: Cast, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    parent = comment_on(cast.story, cast.reader)
    reply = comment_on(cast.story, cast.other_reader, parent_id=parent.pk)
    report_comment(reporter=cast.reader, comment=reply, reason="insulting", rule_code="R1")
    parent.refresh_from_db()
    assert parent.reply_count == 1
    events: list[tuple[int, str]] = []
    monkeypatch.setattr(
        "parley.comments.events.comment_changed", lambda cid, kind: events.append((cid, kind))
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(api_client, cast, reply.pk, action="remove", rule="R1")
    assert response.status_code == 200
    reply.refresh_from_db()
    parent.refresh_from_db()
    assert reply.status == CommentStatus.REMOVED and reply.rule_code == "R1"
    assert parent.reply_count == 0
    assert events == [(reply.pk, "removed")]
    assert Report.objects.get(comment=reply).resolved_at is not None
    assert Notice.objects.get(commenter=cast.other_reader).kind == "comment_removed"
    entry = AuditEntry.objects.get(action="comment.remove")
    assert entry.data["reports_resolved"] == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"action": "reject"}, 422, "rule_required"),
        ({"action": "reject", "rule": ""}, 422, "rule_required"),
        ({"action": "reject", "rule": "  "}, 422, "rule_required"),
        ({"action": "reject", "rule": "R99"}, 422, "unknown_rule"),
        ({"action": "ban", "rule": "R1"}, 422, "invalid_input"),
        ({"rule": "R1"}, 422, "invalid_input"),
        ({"action": "reject", "rule": "R1", "note": "n" * 2001}, 422, "invalid_input"),
    ],
)
def test_bad_decisions_change_nothing(
    api_client: Client, cast: Cast, body: dict[str, Any], status: int, code: str
) -> None:
    premoderate_story(cast)
    comment = comment_on(cast.story, cast.reader)
    before, audit_before = snapshot(comment), AuditEntry.objects.count()
    response = decide(api_client, cast, comment.pk, **body)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert snapshot(comment) == before
    assert AuditEntry.objects.count() == audit_before
    assert not Decision.objects.exists() and not Notice.objects.exists()


def test_a_rule_of_an_older_guidelines_version_is_unknown(api_client: Client, cast: Cast) -> None:
    publish_guidelines(actor=SYSTEM, rules=[("C1", "Be kind", "Kindness.")])
    premoderate_story(cast)
    comment = comment_on(cast.story, cast.reader)
    response = decide(api_client, cast, comment.pk, action="reject", rule="R1")
    assert (response.status_code, response.json()["code"]) == (422, "unknown_rule")
    response = decide(api_client, cast, comment.pk, action="reject", rule="C1")
    assert response.status_code == 200
    assert response.json()["rule"] == {"code": "C1", "guideline_version": 2}


def test_deciding_twice_is_refused_and_changes_nothing(api_client: Client, cast: Cast) -> None:
    premoderate_story(cast)
    comment = comment_on(cast.story, cast.reader)
    assert decide(api_client, cast, comment.pk, action="approve", rule="R1").status_code == 200
    before, audit_before = snapshot(comment), AuditEntry.objects.count()
    for action in ("approve", "reject", "remove"):
        response = decide(api_client, cast, comment.pk, action=action, rule="R1")
        assert response.status_code == 409
        assert response.json()["code"] == "already_decided"
    assert snapshot(comment) == before
    assert AuditEntry.objects.count() == audit_before
    assert Decision.objects.count() == 1


def test_two_moderators_at_once_one_wins_the_other_is_told(cast: Cast) -> None:
    """Both moderators loaded the item while it was pending; the action re-reads it under a
    row lock, so whichever commits second finds it decided."""
    premoderate_story(cast)
    comment = comment_on(cast.story, cast.reader)
    seen_by_both = Comment.objects.get(pk=comment.pk)
    assert seen_by_both.status == CommentStatus.PENDING
    decide_comment(actor=cast.moderator, comment_id=comment.pk, action="approve", rule_code="R1")
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ModerationError) as refused:
        decide_comment(actor=SYSTEM, comment_id=seen_by_both.pk, action="reject", rule_code="R1")
    assert (refused.value.code, refused.value.status) == ("already_decided", 409)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert AuditEntry.objects.count() == audit_before


def test_a_new_report_reopens_a_reviewed_comment(api_client: Client, cast: Cast) -> None:
    comment = comment_on(cast.story, cast.reader)
    report_comment(reporter=cast.other_reader, comment=comment, reason="rude", rule_code="R1")
    assert decide(api_client, cast, comment.pk, action="approve", rule="R1").status_code == 200
    assert decide(api_client, cast, comment.pk, action="approve", rule="R1").status_code == 409
    # A different reader reports the same comment later: it needs a decision again.
    third = sign_in_with_sso(
        claims=SsoClaims(
            subject="r3", issuer="", given_name="Ana", family_name="Lima", email="", youth=False
        )
    )
    report_comment(reporter=third, comment=comment, reason="still rude")
    assert decide(api_client, cast, comment.pk, action="remove", rule="R1").status_code == 200


def test_a_moderator_of_another_community_cannot_decide(api_client: Client, cast: Cast) -> None:
    comment = comment_on(cast.youth_story, cast.youth_member)
    assert comment.status == CommentStatus.PENDING  # youth communities pre-moderate
    before, audit_before = snapshot(comment), AuditEntry.objects.count()
    response = decide(api_client, cast, comment.pk, action="approve", rule="R1")
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_moderator_here"
    with pytest.raises(ParleyError) as refused:
        decide_comment(
            actor=cast.moderator, comment_id=comment.pk, action="approve", rule_code="R1"
        )
    assert (refused.value.status, refused.value.code) == (403, ModerationError.OTHER_COMMUNITY)
    assert snapshot(comment) == before
    assert AuditEntry.objects.count() == audit_before
    decide_comment(
        actor=cast.youth_moderator, comment_id=comment.pk, action="approve", rule_code="R1"
    )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED


def test_unknown_comment_is_404(api_client: Client, cast: Cast) -> None:
    response = decide(api_client, cast, 999999, action="approve", rule="R1")
    assert response.status_code == 404
    assert response.json()["code"] == "comment_not_found"


def test_remove_needs_a_published_comment_and_withdrawn_cannot_be_decided(
    api_client: Client, cast: Cast
) -> None:
    premoderate_story(cast)
    pending = comment_on(cast.story, cast.reader)
    before = snapshot(pending)
    response = decide(api_client, cast, pending.pk, action="remove", rule="R1")
    assert (response.status_code, response.json()["code"]) == (409, "not_published")
    assert snapshot(pending) == before
    withdrawn = comment_on(cast.story, cast.reader, body="Second thoughts.")
    withdraw_comment(commenter=cast.reader, comment=withdrawn)
    response = decide(api_client, cast, withdrawn.pk, action="reject", rule="R1")
    assert (response.status_code, response.json()["code"]) == (409, "comment_withdrawn")


def test_bulk_decisions_each_succeed_or_fail_alone(api_client: Client, cast: Cast) -> None:
    premoderate_story(cast)
    first = comment_on(cast.story, cast.reader, body="one")
    second = comment_on(cast.story, cast.reader, body="two")
    decide(api_client, cast, second.pk, action="approve", rule="R1")
    youth = comment_on(cast.youth_story, cast.youth_member)
    response = post_json(
        api_client,
        "/api/v1/moderation/decisions",
        {"comment_ids": [first.pk, second.pk, youth.pk], "action": "reject", "rule": "R3"},
        **cast.bearer("moderator"),
    )
    assert response.status_code == 200
    results = {r["comment_id"]: (r["ok"], r["code"]) for r in response.json()["results"]}
    assert results == {
        first.pk: (True, ""),
        second.pk: (False, "already_decided"),
        youth.pk: (False, "not_a_moderator_here"),
    }
    first.refresh_from_db()
    youth.refresh_from_db()
    assert (first.status, first.rule_code) == ("rejected", "R3")
    assert youth.status == "pending"


def test_bulk_without_a_valid_rule_decides_nothing(cast: Cast) -> None:
    premoderate_story(cast)
    comment = comment_on(cast.story, cast.reader)
    for rule, code in (("", "rule_required"), ("R42", "unknown_rule")):
        with pytest.raises(ModerationError) as refused:
            decide_comments(
                actor=cast.moderator, comment_ids=[comment.pk], action="reject", rule_code=rule
            )
        assert refused.value.code == code
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert not AuditEntry.objects.filter(action__startswith="comment.reject").exists()
