"""The audit log answers who did what to which comment or user, when, under which rule and
guideline version; it is append-only. Plus the authorisation matrix of every moderation
endpoint for every persona."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import Cast
from parley.comments.models import CommentStatus
from parley.core.actors import SYSTEM
from parley.core.models import AuditEntry
from parley.moderation.actions import apply_sanction, decide_comment
from parley.moderation.tests.conftest import comment_on, post_json
from parley.stories.actions import update_story_comments

pytestmark = pytest.mark.django_db


def audit(client: Client, cast: Cast, persona: str = "moderator", **params: Any) -> Any:
    response = client.get("/api/v1/audit", params, **cast.bearer(persona))
    assert response.status_code == 200, response.content
    return response.json()


def test_audit_answers_who_what_which_when_rule_and_version(api_client: Client, cast: Cast) -> None:
    comment = comment_on(cast.story, cast.reader)
    decide_comment(actor=cast.moderator, comment_id=comment.pk, action="remove", rule_code="R1")
    apply_sanction(actor=cast.moderator, commenter_id=cast.reader.pk, kind="warn", rule_code="R1")
    items = audit(api_client, cast)["items"]
    assert [i["action"] for i in items][:2] == ["commenter.warn", "comment.remove"]
    removal = items[1]
    assert removal["actor"] == "mod" and (removal["actor_kind"], removal["actor_id"]) == (
        "staff",
        cast.moderator.id,
    )
    assert removal["target"] == f"comment:{comment.pk}"
    assert (removal["rule"], removal["guideline_version"]) == ("R1", 1)
    assert removal["at"] and removal["data"]["from"] == "published"
    assert items[0]["target"] == f"commenter:{cast.reader.pk}"
    # Commenters' own actions (posting) are not in the moderation log.
    assert "comment.post" not in [i["action"] for i in items]


def test_audit_filters_and_cursor(api_client: Client, cast: Cast) -> None:
    update_story_comments(actor=SYSTEM, story=cast.story, moderation="pre")
    cast.story.refresh_from_db()
    comments = [comment_on(cast.story, cast.reader, body=f"c{i}") for i in range(4)]
    for comment, rule in zip(comments, ["R1", "R2", "R1", "R3"], strict=True):
        decide_comment(actor=cast.moderator, comment_id=comment.pk, action="reject", rule_code=rule)
    assert [i["target"] for i in audit(api_client, cast, rule="R1")["items"]] == [
        f"comment:{comments[2].pk}",
        f"comment:{comments[0].pk}",
    ]
    target = audit(api_client, cast, target=f"comment:{comments[1].pk}")["items"]
    assert [(i["action"], i["rule"]) for i in target] == [("comment.reject", "R2")]
    by_mod = audit(api_client, cast, actor=f"staff:{cast.moderator.id}", action="comment.")
    assert len(by_mod["items"]) == 4
    assert audit(api_client, cast, actor="apikey:999")["items"] == []
    first = audit(api_client, cast, action="comment.reject", limit=3)
    rest = audit(api_client, cast, action="comment.reject", limit=3, cursor=first["next_cursor"])
    assert len(first["items"]) == 3 and len(rest["items"]) == 1 and rest["next_cursor"] is None
    ids = [i["id"] for i in first["items"] + rest["items"]]
    assert len(set(ids)) == 4


def test_audit_is_scoped_to_the_moderators_communities(api_client: Client, cast: Cast) -> None:
    kid = comment_on(cast.youth_story, cast.youth_member)
    decide_comment(actor=cast.youth_moderator, comment_id=kid.pk, action="approve", rule_code="R1")
    assert audit(api_client, cast, target=f"comment:{kid.pk}")["items"] == []
    assert len(audit(api_client, cast, "admin", target=f"comment:{kid.pk}")["items"]) == 1


def test_audit_rows_cannot_be_changed_or_deleted(cast: Cast) -> None:
    comment = comment_on(cast.story, cast.reader)
    decide_comment(actor=cast.moderator, comment_id=comment.pk, action="remove", rule_code="R1")
    entry = AuditEntry.objects.get(action="comment.remove")
    entry.rule_code = "R2"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).rule_code == "R1"


def test_feature_is_for_staff(api_client: Client, cast: Cast) -> None:
    comment = comment_on(cast.story, cast.reader)
    path = f"/api/v1/comments/{comment.pk}/feature"
    for persona in ("reader", "moderator"):
        response = post_json(api_client, path, {}, **cast.bearer(persona))
        assert response.status_code == 403
    response = post_json(api_client, path, {}, **cast.bearer("staff"))
    assert response.status_code == 200 and response.json()["featured"] is True
    assert AuditEntry.objects.filter(action="comment.feature").count() == 1
    response = post_json(api_client, path, {"featured": False}, **cast.bearer("staff"))
    assert response.json()["featured"] is False
    update_story_comments(actor=SYSTEM, story=cast.story, moderation="pre")
    cast.story.refresh_from_db()
    pending = comment_on(cast.story, cast.reader, body="pending")
    response = post_json(
        api_client, f"/api/v1/comments/{pending.pk}/feature", {}, **cast.bearer("staff")
    )
    assert (response.status_code, response.json()["code"]) == (409, "not_published")


def test_notices_are_for_commenters_only(api_client: Client, cast: Cast) -> None:
    assert api_client.get("/api/v1/me/notices").status_code == 401
    response = api_client.get("/api/v1/me/notices", **cast.bearer("moderator"))
    assert (response.status_code, response.json()["code"]) == (403, "commenters_only")


# --- the authorisation matrix -------------------------------------------------------------------

PERSONAS = ["anonymous", "reader", "youth_member", "moderator", "staff", "admin"]


def _requests(cast: Cast, comment_id: int, sanction_id: int) -> dict[str, tuple[str, str, Any]]:
    return {
        "queue": ("get", "/api/v1/moderation/queues/pending", None),
        "search": ("get", "/api/v1/moderation/search?q=x", None),
        "decision": (
            "post",
            f"/api/v1/comments/{comment_id}/decision",
            {"action": "approve", "rule": "R1"},
        ),
        "bulk": (
            "post",
            "/api/v1/moderation/decisions",
            {"comment_ids": [comment_id], "action": "approve", "rule": "R1"},
        ),
        "sanction": (
            "post",
            f"/api/v1/users/{cast.reader.pk}/sanctions",
            {"kind": "warn", "rule": "R1"},
        ),
        "sanctions": ("get", f"/api/v1/users/{cast.reader.pk}/sanctions", None),
        "lift": ("post", f"/api/v1/sanctions/{sanction_id}/lift", {}),
        "audit": ("get", "/api/v1/audit", None),
        "notices": ("get", "/api/v1/me/notices", None),
        "word_lists": ("get", "/api/v1/communities/opinion/word-lists", None),
        "word_lists_put": (
            "put",
            "/api/v1/communities/opinion/word-lists",
            {"banned": [], "suspect": []},
        ),
        "feature": ("post", f"/api/v1/comments/{comment_id}/feature", {}),
    }


# Expected status per endpoint: (anonymous, reader, youth_member, moderator, staff, admin)
EXPECTED = {
    "queue": (401, 403, 403, 200, 200, 200),
    "search": (401, 403, 403, 200, 200, 200),
    "decision": (401, 403, 403, 200, 200, 200),
    "bulk": (401, 403, 403, 200, 200, 200),
    "sanction": (401, 403, 403, 201, 201, 201),
    "sanctions": (401, 403, 403, 200, 200, 200),
    "lift": (401, 403, 403, 200, 200, 200),
    "audit": (401, 403, 403, 200, 200, 200),
    "notices": (401, 200, 200, 403, 403, 403),
    "word_lists": (401, 403, 403, 403, 403, 200),
    "word_lists_put": (401, 403, 403, 403, 403, 200),
    "feature": (401, 403, 403, 403, 200, 200),
}


def test_every_moderation_route_is_in_the_matrix() -> None:
    from parley.api.routers.moderation import router

    routes = {
        (method.lower(), path)
        for path, view in router.path_operations.items()
        for op in view.operations
        for method in op.methods
    }
    assert len(routes) == len(EXPECTED)


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_authorisation_matrix(api_client: Client, cast: Cast, endpoint: str, persona: str) -> None:
    update_story_comments(actor=SYSTEM, story=cast.story, moderation="pre")
    cast.story.refresh_from_db()
    comment = comment_on(cast.story, cast.reader)
    if endpoint == "feature":
        decide_comment(actor=SYSTEM, comment_id=comment.pk, action="approve", rule_code="R1")
    sanction = apply_sanction(
        actor=SYSTEM, commenter_id=cast.reader.pk, kind="premod", rule_code="R1"
    )
    method, path, body = _requests(cast, comment.pk, sanction.pk)[endpoint]
    headers = {} if persona == "anonymous" else cast.bearer(persona)
    call = getattr(api_client, method)
    if body is None:
        response = call(path, **headers)
    else:
        import json

        response = call(path, data=json.dumps(body), content_type="application/json", **headers)
    expected = EXPECTED[endpoint][PERSONAS.index(persona)]
    assert response.status_code == expected, (endpoint, persona, response.content)
    if expected >= 400:
        assert response["Content-Type"] == "application/problem+json"
    comment.refresh_from_db()
    if endpoint in {"decision", "bulk"} and expected != 200:
        assert comment.status == CommentStatus.PENDING
