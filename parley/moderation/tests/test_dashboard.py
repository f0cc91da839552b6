"""The server-rendered dashboard: who may open it, queues, decisions, bulk, search, audit,
sanctions, community names, stories and word lists."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from conftest import Cast
from parley.comments.actions import report_comment
from parley.comments.models import Comment, CommentStatus
from parley.core.actors import SYSTEM
from parley.core.models import AuditEntry
from parley.identity.actions import propose_community_name
from parley.identity.models import Commenter
from parley.moderation.actions import set_word_lists
from parley.moderation.models import Sanction, WordList
from parley.moderation.tests.conftest import comment_on, readers
from parley.stories.actions import update_story_comments

pytestmark = pytest.mark.django_db

USERS = {"moderator": "mod", "youth_moderator": "kidmod", "staff": "editor", "admin": "admin"}


def signed_in(persona: str) -> Client:
    client = Client()
    assert client.login(username=USERS[persona], password="demo-password-1")
    return client


@pytest.fixture
def held(cast: Cast) -> list[Comment]:
    update_story_comments(actor=SYSTEM, story=cast.story, moderation="pre")
    cast.story.refresh_from_db()
    return [comment_on(cast.story, cast.reader, body=f"Held comment {i}") for i in range(3)]


PAGES = [
    "/dashboard/",
    "/dashboard/queue/pending/",
    "/dashboard/queue/reported/",
    "/dashboard/queue/system/",
    "/dashboard/queue/rejected/",
    "/dashboard/search/?q=held",
    "/dashboard/audit/",
]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_the_login(cast: Cast, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/dashboard/login/?next=")


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("persona", ["reader", "youth_member"])
def test_commenters_get_403(cast: Cast, path: str, persona: str) -> None:
    response = Client().get(path, **cast.bearer(persona))
    assert response.status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_a_signed_in_user_without_a_role_gets_403(cast: Cast, path: str) -> None:
    get_user_model().objects.create_user(username="nobody", password="demo-password-1")
    client = Client()
    assert client.login(username="nobody", password="demo-password-1")
    assert client.get(path).status_code == 403


def test_login_page_and_sign_in(cast: Cast) -> None:
    client = Client()
    page = client.get("/dashboard/login/")
    assert page.status_code == 200
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"
    response = client.post(
        "/dashboard/login/",
        {"username": "mod", "password": "demo-password-1", "next": "/dashboard/"},
    )
    assert response.status_code == 302
    assert client.get("/dashboard/", follow=True).status_code == 200


def test_queue_page_shows_items_in_context_with_rule_picker(
    cast: Cast, held: list[Comment]
) -> None:
    response = signed_in("moderator").get("/dashboard/queue/pending/")
    assert response.status_code == 200
    html = response.content.decode()
    for comment in held:
        assert f'id="item-{comment.pk}"' in html
    assert "Geneviève Côté-Tremblay" in html
    assert cast.story.title in html
    assert html.count('<option value="R1"') >= 3
    assert '<script src="/static/moderation/dashboard.js" defer></script>' in html
    assert "<script>" not in html and " style=" not in html and "onclick" not in html
    assert '<time datetime="' in html


def test_queue_page_loads_in_a_constant_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    update_story_comments(actor=SYSTEM, story=cast.story, moderation="pre")
    cast.story.refresh_from_db()
    client = signed_in("moderator")
    authors = readers(11)
    comment_on(cast.story, authors[0], body="one")
    with django_assert_max_num_queries(20) as small:
        client.get("/dashboard/queue/pending/")
    for i, author in enumerate(authors[1:]):
        comment_on(cast.story, author, body=f"more {i}")
    with django_assert_max_num_queries(20) as large:
        client.get("/dashboard/queue/pending/")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_decide_by_form_and_by_fetch(cast: Cast, held: list[Comment]) -> None:
    client = signed_in("moderator")
    first, second, third = held
    response = client.post(
        f"/dashboard/comments/{first.pk}/decide/",
        {"action": "approve", "rule": "R1", "next": "/dashboard/queue/pending/"},
    )
    assert response.status_code == 302 and response["Location"] == "/dashboard/queue/pending/"
    first.refresh_from_db()
    assert first.status == CommentStatus.PUBLISHED
    response = client.post(
        f"/dashboard/comments/{second.pk}/decide/",
        {"action": "reject", "rule": "R4"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "comment": second.pk,
        "action": "reject",
        "status": "rejected",
        "rule": "R4",
    }
    again = client.post(
        f"/dashboard/comments/{second.pk}/decide/",
        {"action": "approve", "rule": "R4"},
        HTTP_ACCEPT="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "already_decided"
    missing_rule = client.post(
        f"/dashboard/comments/{third.pk}/decide/",
        {"action": "reject"},
        HTTP_ACCEPT="application/json",
    )
    assert missing_rule.status_code == 422 and missing_rule.json()["code"] == "rule_required"
    third.refresh_from_db()
    assert third.status == CommentStatus.PENDING
    offsite = client.post(
        f"/dashboard/comments/{third.pk}/decide/",
        {"action": "reject", "rule": "R1", "next": "https://evil.example/"},
    )
    assert offsite["Location"] == "/dashboard/"


def test_dashboard_posts_need_the_csrf_token(cast: Cast, held: list[Comment]) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="mod", password="demo-password-1")
    response = client.post(
        f"/dashboard/comments/{held[0].pk}/decide/", {"action": "approve", "rule": "R1"}
    )
    assert response.status_code == 403
    held[0].refresh_from_db()
    assert held[0].status == CommentStatus.PENDING


def test_bulk_decision(cast: Cast, held: list[Comment]) -> None:
    client = signed_in("moderator")
    ids = [str(c.pk) for c in held[:2]]
    response = client.post("/dashboard/bulk/", {"ids": ids, "action": "reject", "rule": "R3"})
    assert response.status_code == 302
    statuses = sorted(Comment.objects.filter(pk__in=ids).values_list("status", "rule_code"))
    assert statuses == [("rejected", "R3"), ("rejected", "R3")]
    assert held[2].status == CommentStatus.PENDING
    page = client.get("/dashboard/queue/pending/").content.decode()
    assert f'id="item-{held[0].pk}"' not in page and f'id="item-{held[2].pk}"' in page


def test_moderator_of_another_community_cannot_decide_from_the_dashboard(
    cast: Cast, held: list[Comment]
) -> None:
    client = signed_in("youth_moderator")
    audit_before = AuditEntry.objects.count()
    response = client.post(
        f"/dashboard/comments/{held[0].pk}/decide/",
        {"action": "approve", "rule": "R1"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 403 and response.json()["code"] == "not_a_moderator_here"
    assert AuditEntry.objects.count() == audit_before
    assert f"item-{held[0].pk}" not in client.get("/dashboard/queue/pending/").content.decode()
    assert client.get(f"/dashboard/comments/{held[0].pk}/").status_code == 403


def test_comment_detail_shows_thread_context_and_history(cast: Cast) -> None:
    parent = comment_on(cast.story, cast.other_reader, body="The original point.")
    reply = comment_on(cast.story, cast.reader, body="A sharp reply.", parent_id=parent.pk)
    report_comment(reporter=cast.other_reader, comment=reply, reason="Too sharp", rule_code="R1")
    client = signed_in("moderator")
    client.post(
        f"/dashboard/comments/{reply.pk}/decide/",
        {"action": "remove", "rule": "R1", "note": "tone"},
    )
    page = client.get(f"/dashboard/comments/{reply.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "The original point." in html and "A sharp reply." in html and "Too sharp" in html
    assert "comment.remove" in html and "tone" in html


def test_search_and_audit_pages(cast: Cast, held: list[Comment]) -> None:
    client = signed_in("moderator")
    client.post(f"/dashboard/comments/{held[0].pk}/decide/", {"action": "reject", "rule": "R2"})
    html = client.get("/dashboard/search/", {"q": "Held comment 1"}).content.decode()
    assert f'id="item-{held[1].pk}"' in html and f'id="item-{held[2].pk}"' not in html
    html = client.get("/dashboard/search/", {"q": "Côté", "by": "author"}).content.decode()
    assert all(f'id="item-{c.pk}"' in html for c in held)
    audit = client.get("/dashboard/audit/", {"rule": "R2"}).content.decode()
    assert "comment.reject" in audit and f"comment:{held[0].pk}" in audit
    assert "comment.post" not in audit  # commenters' own actions are not moderation


def test_user_page_and_sanctions(cast: Cast, held: list[Comment]) -> None:
    client = signed_in("moderator")
    page = client.get(f"/dashboard/users/{cast.reader.pk}/")
    assert page.status_code == 200 and "Geneviève Côté-Tremblay" in page.content.decode()
    past = client.post(
        f"/dashboard/users/{cast.reader.pk}/sanction/",
        {"kind": "suspend", "rule": "R1", "until": "2001-01-01T10:00"},
        HTTP_ACCEPT="application/json",
    )
    assert past.status_code == 422 and past.json()["code"] == "until_in_past"
    response = client.post(
        f"/dashboard/users/{cast.reader.pk}/sanction/",
        {"kind": "suspend", "rule": "R1", "until": "2099-01-01T10:00"},
    )
    assert response.status_code == 302
    sanction = Sanction.objects.get()
    assert sanction.until is not None and sanction.until.year == 2099
    cast.reader.refresh_from_db()
    assert cast.reader.suspended_until == sanction.until
    client.post(f"/dashboard/sanctions/{sanction.pk}/lift/")
    cast.reader.refresh_from_db()
    assert cast.reader.suspended_until is None


def test_youth_moderators_approve_community_names(cast: Cast) -> None:
    propose_community_name(commenter=cast.youth_member, name="Comet Rider")
    assert signed_in("moderator").get("/dashboard/names/").status_code == 403
    client = signed_in("youth_moderator")
    assert "Comet Rider" in client.get("/dashboard/names/").content.decode()
    client.post(f"/dashboard/names/{cast.youth_member.pk}/", {"decision": "approve"})
    member = Commenter.objects.get(pk=cast.youth_member.pk)
    assert member.community_name == "Comet Rider"
    assert AuditEntry.objects.filter(action="commenter.approve_community_name").count() == 1


def test_staff_open_and_close_stories_and_feature_comments(cast: Cast) -> None:
    comment = comment_on(cast.story, cast.reader)
    assert signed_in("moderator").get("/dashboard/stories/").status_code == 403
    moderator_feature = signed_in("moderator").post(f"/dashboard/comments/{comment.pk}/feature/")
    assert moderator_feature.status_code == 403
    client = signed_in("staff")
    assert client.get("/dashboard/stories/").status_code == 200
    client.post(f"/dashboard/stories/{cast.story.pk}/comments/", {"open": "0"})
    cast.story.refresh_from_db()
    assert cast.story.comments_open is False
    client.post(f"/dashboard/comments/{comment.pk}/feature/", {"featured": "1"})
    comment.refresh_from_db()
    assert comment.featured is True


def test_admins_edit_word_lists(cast: Cast) -> None:
    assert signed_in("moderator").get("/dashboard/settings/opinion/word-lists/").status_code == 403
    assert signed_in("staff").get("/dashboard/settings/opinion/word-lists/").status_code == 403
    client = signed_in("admin")
    assert client.get("/dashboard/settings/opinion/word-lists/").status_code == 200
    client.post(
        "/dashboard/settings/opinion/word-lists/",
        {"banned": "scumbag\n\n", "suspect": "idiot\nmoron", "reject_rule": "R4"},
    )
    word_list = WordList.objects.get(community=cast.opinion)
    assert (word_list.banned, word_list.suspect, word_list.reject_rule) == (
        ["scumbag"],
        ["idiot", "moron"],
        "R4",
    )
    set_word_lists(actor=SYSTEM, community=cast.opinion, banned=[], suspect=[])
