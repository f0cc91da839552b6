"""Staff open and close comments, now or on a schedule; closed threads stay readable."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Cast
from parley.comments.models import Comment
from parley.core import clock
from parley.core.models import AuditEntry
from parley.stories.actions import close_due_stories

pytestmark = pytest.mark.django_db


def patch_story(client: Client, cast: Cast, persona: str, body: dict[str, Any]) -> Any:
    return client.patch(
        f"/api/v1/stories/{cast.story.pk}",
        data=json.dumps(body),
        content_type="application/json",
        **cast.bearer(persona),
    )


def post(client: Client, cast: Cast, persona: str = "reader") -> Any:
    return client.post(
        f"/api/v1/stories/{cast.story.pk}/comments",
        data=json.dumps({"body": "Still open?", "accept_terms": "2026-01"}),
        content_type="application/json",
        **cast.bearer(persona),
    )


def test_close_now_keeps_thread_readable(api_client: Client, cast: Cast) -> None:
    assert post(api_client, cast).status_code == 201
    response = patch_story(api_client, cast, "staff", {"comments_open": False})
    assert response.status_code == 200
    assert response.json()["comments_open"] is False
    refused = post(api_client, cast, "other_reader")
    assert refused.status_code == 409
    assert refused.json()["code"] == "story_closed"
    assert refused.json()["detail"] == "Comments on this story are closed."
    listing = api_client.get(f"/api/v1/stories/{cast.story.pk}/comments").json()
    assert len(listing["items"]) == 1
    audit = AuditEntry.objects.filter(action="story.close_comments", target_id=str(cast.story.pk))
    assert audit.count() == 1
    assert patch_story(api_client, cast, "staff", {"comments_open": True}).json()["comments_open"]
    assert post(api_client, cast, "other_reader").status_code == 201


def test_scheduled_close_takes_effect_without_a_worker(api_client: Client, cast: Cast) -> None:
    start = timezone.now()
    closes_at = start + timedelta(hours=2)
    with clock.frozen_at(start):
        response = patch_story(api_client, cast, "staff", {"closes_at": closes_at.isoformat()})
        assert response.status_code == 200
        assert response.json()["comments_open"] is True
        assert post(api_client, cast).status_code == 201
        clock.advance(timedelta(hours=2))
        refused = post(api_client, cast, "other_reader")
        assert refused.status_code == 409
        assert api_client.get(f"/api/v1/stories/{cast.story.pk}").json()["comments_open"] is False
        # The worker then records the close (and tells live readers).
        assert close_due_stories() == 1
        assert close_due_stories() == 0
    assert Comment.objects.count() == 1
    assert AuditEntry.objects.filter(action="story.schedule_close").count() == 1
    assert (
        AuditEntry.objects.filter(action="story.close_comments", actor_kind="system").count() == 1
    )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"closes_at": "2020-01-01T00:00:00+00:00"}, "invalid_schedule"),
        ({"closes_at": "2099-01-01T00:00:00"}, "invalid_schedule"),
        ({"moderation": "sometimes"}, "invalid_input"),
        ({"comments_open": "perhaps"}, "invalid_input"),
    ],
)
def test_bad_story_patches_change_nothing(
    api_client: Client, cast: Cast, body: dict[str, Any], code: str
) -> None:
    audit_before = AuditEntry.objects.count()
    response = patch_story(api_client, cast, "staff", body)
    assert response.status_code in {400, 422}
    assert response.json()["code"] == code
    cast.story.refresh_from_db()
    assert cast.story.comments_open and cast.story.closes_at is None and cast.story.moderation == ""
    assert AuditEntry.objects.count() == audit_before


def test_moderator_and_reader_cannot_close(api_client: Client, cast: Cast) -> None:
    for persona in ("reader", "moderator"):
        assert patch_story(api_client, cast, persona, {"comments_open": False}).status_code == 403
    cast.story.refresh_from_db()
    assert cast.story.comments_open


def test_premoderated_story_holds_comments(api_client: Client, cast: Cast) -> None:
    assert (
        patch_story(api_client, cast, "staff", {"moderation": "pre"}).json()["moderation"] == "pre"
    )
    created = post(api_client, cast).json()
    assert created["status"] == "pending"
    assert api_client.get(f"/api/v1/stories/{cast.story.pk}/comments").json()["items"] == []
    assert api_client.get(f"/api/v1/comments/{created['id']}").status_code == 404
    mine = api_client.get(f"/api/v1/comments/{created['id']}", **cast.bearer("reader"))
    assert mine.json()["status"] == "pending"
    cast.story.refresh_from_db()
    assert cast.story.comment_count == 0


def test_youth_community_defaults_to_premoderation(api_client: Client, cast: Cast) -> None:
    response = api_client.post(
        f"/api/v1/stories/{cast.youth_story.pk}/comments",
        data=json.dumps({"body": "Comets are cool", "accept_terms": "2026-01"}),
        content_type="application/json",
        **cast.bearer("youth_member"),
    )
    assert response.json()["status"] == "pending"


def test_staff_creates_a_story(api_client: Client, cast: Cast) -> None:
    body = {"url": "https://news.example/new", "title": "New", "community": "opinion"}
    response = api_client.post(
        "/api/v1/stories",
        data=json.dumps(body),
        content_type="application/json",
        **cast.bearer("staff"),
    )
    assert response.status_code == 201
    data = response.json()
    assert data["community"] == {
        "slug": "opinion",
        "name": "Opinion",
        "identity_mode": "real_name",
        "moderation_mode": "post",
    }
    found = api_client.get("/api/v1/stories", {"url": "https://news.example/new"}).json()
    assert found["id"] == data["id"]
    again = api_client.post(
        "/api/v1/stories",
        data=json.dumps(body),
        content_type="application/json",
        **cast.bearer("staff"),
    )
    assert again.status_code == 409
    unknown = api_client.post(
        "/api/v1/stories",
        data=json.dumps({**body, "url": "https://news.example/n2", "community": "nope"}),
        content_type="application/json",
        **cast.bearer("staff"),
    )
    assert unknown.status_code == 404
    bad_url = api_client.post(
        "/api/v1/stories",
        data=json.dumps({**body, "url": "javascript:alert(1)"}),
        content_type="application/json",
        **cast.bearer("staff"),
    )
    assert bad_url.status_code == 422


def test_edit_window(api_client: Client, cast: Cast) -> None:
    start = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.get_current_timezone())
    with clock.frozen_at(start):
        created = post(api_client, cast).json()
        clock.advance(timedelta(minutes=10))
        edited = api_client.patch(
            f"/api/v1/comments/{created['id']}",
            data=json.dumps({"body": "Edited text"}),
            content_type="application/json",
            **cast.bearer("reader"),
        )
        assert edited.status_code == 200
        assert edited.json()["edited_at"] is not None
        clock.advance(timedelta(minutes=6))
        late = api_client.patch(
            f"/api/v1/comments/{created['id']}",
            data=json.dumps({"body": "Too late"}),
            content_type="application/json",
            **cast.bearer("reader"),
        )
        assert late.status_code == 409
        assert late.json()["code"] == "edit_window_closed"
    comment = Comment.objects.get(pk=created["id"])
    assert comment.body_raw == "Edited text"
    assert [rev.body_raw for rev in comment.revisions.all()] == ["Still open?"]
