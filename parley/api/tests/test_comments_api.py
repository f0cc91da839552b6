"""The comment endpoints, as a publisher's developer and a reader would use them."""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import Cast
from parley.comments.models import Comment, IdempotencyRecord
from parley.core.models import AuditEntry
from parley.identity.sso import mint_sso_token

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: Any, **headers: Any) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json", **headers)


def post_comment(client: Client, cast: Cast, persona: str = "reader", **fields: Any) -> Any:
    headers = {key: fields.pop(key) for key in list(fields) if key.startswith("HTTP_")}
    body = {"body": "A thoughtful comment.", "accept_terms": "2026-01", **fields}
    path = f"/api/v1/stories/{cast.story.pk}/comments"
    return post(client, path, body, **cast.bearer(persona), **headers)


def test_reader_posts_a_comment_that_records_consent(api_client: Client, cast: Cast) -> None:
    response = post_comment(api_client, cast)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "published"
    assert data["author"]["display_name"] == "Geneviève Côté-Tremblay"
    assert data["consent"]["terms_version"] == "2026-01"
    comment = Comment.objects.get(pk=data["id"])
    assert comment.accepted_terms.version == "2026-01"
    assert comment.accepted_terms_at is not None
    cast.story.refresh_from_db()
    assert cast.story.comment_count == 1
    assert AuditEntry.objects.filter(action="comment.post", target_id=str(comment.pk)).count() == 1


def test_without_accepting_terms_nothing_is_stored(api_client: Client, cast: Cast) -> None:
    audit_before = AuditEntry.objects.count()
    for accept in (None, "", "1999-01"):
        response = post_comment(api_client, cast, accept_terms=accept)
        assert response.status_code == 422
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["code"] == "terms_not_accepted"
        assert "reproduce" in problem["detail"]
        assert problem["terms_version"] == "2026-01"
    assert Comment.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before


def test_reply_is_listed_under_its_parent(api_client: Client, cast: Cast) -> None:
    parent = post_comment(api_client, cast).json()
    reply = post_comment(api_client, cast, "other_reader", parent_id=parent["id"])
    assert reply.status_code == 201
    listing = api_client.get(f"/api/v1/stories/{cast.story.pk}/comments").json()
    assert [item["id"] for item in listing["items"]] == [parent["id"]]
    assert listing["items"][0]["reply_count"] == 1
    replies = api_client.get(
        f"/api/v1/stories/{cast.story.pk}/comments?parent={parent['id']}"
    ).json()
    assert [item["id"] for item in replies["items"]] == [reply.json()["id"]]


@pytest.mark.parametrize(
    ("body", "code", "status"),
    [
        ("", "body_empty", 422),
        ("   \n\t ", "body_empty", 422),
        ("<script>alert(1)</script>", "body_empty", 422),
        ("x" * 5001, "body_too_long", 422),
    ],
)
def test_bad_bodies_are_refused(
    api_client: Client, cast: Cast, body: str, code: str, status: int
) -> None:
    response = post_comment(api_client, cast, body=body)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert Comment.objects.count() == 0


def test_malformed_json_and_missing_fields(api_client: Client, cast: Cast) -> None:
    path = f"/api/v1/stories/{cast.story.pk}/comments"
    response = api_client.post(
        path, data="{not json", content_type="application/json", **cast.bearer("reader")
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"
    response = post(api_client, path, {"accept_terms": "2026-01"}, **cast.bearer("reader"))
    assert response.status_code == 422
    assert "body" in response.json()["errors"]
    assert Comment.objects.count() == 0


def test_oversized_request_is_refused(api_client: Client, cast: Cast) -> None:
    response = post_comment(api_client, cast, body="y" * 300_000)
    assert response.status_code == 413
    assert Comment.objects.count() == 0


def test_sanitiser_keeps_the_allowed_subset_only(api_client: Client, cast: Cast) -> None:
    body = (
        'Hello <em>there</em> <a href="https://example.com" onclick="x()">link</a>'
        '<img src=x onerror=alert(1)><a href="javascript:alert(1)">bad</a>\n\nSecond'
    )
    data = post_comment(api_client, cast, body=body).json()
    html = data["body_html"]
    assert "<em>there</em>" in html
    assert 'rel="nofollow ugc noopener"' in html
    assert "onclick" not in html and "<img" not in html and "javascript:" not in html
    assert html.count("<p>") == 2


def test_plain_text_is_escaped_not_interpreted(api_client: Client, cast: Cast) -> None:
    data = post_comment(api_client, cast, body="a < b and 5 > 3 & so on").json()
    assert data["body_html"] == "<p>a &lt; b and 5 &gt; 3 &amp; so on</p>"


def test_reply_to_other_story_or_withdrawn_comment(api_client: Client, cast: Cast) -> None:
    youth_comment = post(
        api_client,
        f"/api/v1/stories/{cast.youth_story.pk}/comments",
        {"body": "Cool comets", "accept_terms": "2026-01"},
        **cast.bearer("youth_member"),
    )
    assert youth_comment.status_code == 201
    response = post_comment(api_client, cast, parent_id=youth_comment.json()["id"])
    assert response.json()["code"] == "parent_in_other_story"
    parent = post_comment(api_client, cast).json()
    assert (
        api_client.delete(f"/api/v1/comments/{parent['id']}", **cast.bearer("reader")).status_code
        == 204
    )
    response = post_comment(api_client, cast, "other_reader", parent_id=parent["id"])
    assert response.status_code == 422
    assert response.json()["code"] == "parent_not_public"
    response = post_comment(api_client, cast, parent_id=999_999)
    assert response.json()["code"] == "parent_not_found"


def test_unknown_and_closed_story(api_client: Client, cast: Cast) -> None:
    response = post(
        api_client,
        "/api/v1/stories/999999/comments",
        {"body": "x", "accept_terms": "2026-01"},
        **cast.bearer("reader"),
    )
    assert response.status_code == 404
    assert response.json()["code"] == "story_not_found"
    patch = api_client.patch(
        f"/api/v1/stories/{cast.story.pk}",
        data=json.dumps({"comments_open": False}),
        content_type="application/json",
        **cast.bearer("staff"),
    )
    assert patch.status_code == 200
    assert patch.json()["comments_open"] is False
    response = post_comment(api_client, cast)
    assert response.status_code == 409
    assert response.json()["code"] == "story_closed"
    assert Comment.objects.count() == 0


def test_idempotency_key_retry_creates_nothing_new(api_client: Client, cast: Cast) -> None:
    first = post_comment(api_client, cast, HTTP_IDEMPOTENCY_KEY="abc-123")
    second = post_comment(api_client, cast, HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Comment.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1
    reused = post_comment(api_client, cast, body="Something else", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "kind", ["expired", "wrong_key", "alg_none", "garbage", "hs_with_rs_header"]
)
def test_forged_or_expired_tokens_are_refused(api_client: Client, cast: Cast, kind: str) -> None:
    claims = {"sub": "x", "given_name": "Ann", "family_name": "Lee", "exp": 4_000_000_000}
    if kind == "expired":
        token = mint_sso_token(subject="x", given_name="Ann", family_name="Lee", ttl_seconds=-120)
    elif kind == "wrong_key":
        token = jwt.encode(claims, "another-secret-of-sufficient-length-123456", algorithm="HS256")
    elif kind == "alg_none":
        token = jwt.encode(claims, None, algorithm="none")
    elif kind == "hs_with_rs_header":
        signed = jwt.encode(
            claims, "test-sso-secret-with-enough-length-for-hs256!", algorithm="HS256"
        )
        header = base64.urlsafe_b64encode(b'{"alg":"RS256","typ":"JWT"}').rstrip(b"=").decode()
        token = header + signed[signed.index(".") :]
    else:
        token = "not-a-token"
    response = post(
        api_client,
        f"/api/v1/stories/{cast.story.pk}/comments",
        {"body": "hi", "accept_terms": "2026-01"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert Comment.objects.count() == 0


def test_editing_someone_elses_comment_is_forbidden(api_client: Client, cast: Cast) -> None:
    comment = post_comment(api_client, cast).json()
    response = api_client.patch(
        f"/api/v1/comments/{comment['id']}",
        data=json.dumps({"body": "hijacked"}),
        content_type="application/json",
        **cast.bearer("other_reader"),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_author"
    assert Comment.objects.get(pk=comment["id"]).body_raw == "A thoughtful comment."


def test_commenter_calling_staff_endpoints_gets_403(api_client: Client, cast: Cast) -> None:
    response = post(
        api_client,
        "/api/v1/stories",
        {"url": "https://news.example/x", "title": "X", "community": "opinion"},
        **cast.bearer("reader"),
    )
    assert response.status_code == 403
    response = api_client.patch(
        f"/api/v1/stories/{cast.story.pk}",
        data=json.dumps({"comments_open": False}),
        content_type="application/json",
        **cast.bearer("reader"),
    )
    assert response.status_code == 403
    cast.story.refresh_from_db()
    assert cast.story.comments_open is True


def test_thread_listing_costs_constant_queries(api_client: Client, cast: Cast) -> None:
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert (
                api_client.get(f"/api/v1/stories/{cast.story.pk}/comments?limit=50").status_code
                == 200
            )
        return len(ctx.captured_queries)

    post_comment(api_client, cast)
    few = count_queries()
    for i in range(5):
        post_comment(api_client, cast, "other_reader" if i % 2 else "reader", body=f"Comment {i}")
    assert count_queries() == few


def test_cursor_pagination_walks_every_comment_once(api_client: Client, cast: Cast) -> None:
    ids = []
    for i in range(5):
        ids.append(
            post_comment(
                api_client, cast, "reader" if i < 3 else "other_reader", body=f"n{i}"
            ).json()["id"]
        )
    seen: list[int] = []
    cursor = None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api_client.get(f"/api/v1/stories/{cast.story.pk}/comments?{query}").json()
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ids
    newest = api_client.get(
        f"/api/v1/stories/{cast.story.pk}/comments?sort=newest&limit=100"
    ).json()
    assert [item["id"] for item in newest["items"]] == list(reversed(ids))
    bad = api_client.get(f"/api/v1/stories/{cast.story.pk}/comments?cursor=%%%")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_cursor"
    assert api_client.get(f"/api/v1/stories/{cast.story.pk}/comments?limit=1000").status_code == 400


def test_withdrawn_comment_leaves_thread_and_count(api_client: Client, cast: Cast) -> None:
    comment = post_comment(api_client, cast).json()
    assert (
        api_client.delete(f"/api/v1/comments/{comment['id']}", **cast.bearer("reader")).status_code
        == 204
    )
    cast.story.refresh_from_db()
    assert cast.story.comment_count == 0
    assert api_client.get(f"/api/v1/comments/{comment['id']}").status_code == 404
    mine = api_client.get(f"/api/v1/comments/{comment['id']}", **cast.bearer("reader")).json()
    assert mine["status"] == "withdrawn"
    assert mine["body_html"] == ""
    again = api_client.delete(f"/api/v1/comments/{comment['id']}", **cast.bearer("reader"))
    assert again.status_code == 409


def test_report_needs_a_reason_and_happens_once(api_client: Client, cast: Cast) -> None:
    comment = post_comment(api_client, cast).json()
    path = f"/api/v1/comments/{comment['id']}/reports"
    assert (
        post(api_client, path, {"reason": " "}, **cast.bearer("other_reader")).json()["code"]
        == "reason_required"
    )
    assert (
        post(
            api_client, path, {"reason": "rude", "rule": "R99"}, **cast.bearer("other_reader")
        ).json()["code"]
        == "unknown_rule"
    )
    assert (
        post(api_client, path, {"reason": "mine"}, **cast.bearer("reader")).json()["code"]
        == "own_comment"
    )
    ok = post(
        api_client, path, {"reason": "Personal attack", "rule": "R1"}, **cast.bearer("other_reader")
    )
    assert ok.status_code == 201
    assert ok.json()["rule"] == "R1"
    twice = post(api_client, path, {"reason": "again"}, **cast.bearer("other_reader"))
    assert twice.status_code == 409


def test_counts_for_many_urls(api_client: Client, cast: Cast) -> None:
    post_comment(api_client, cast)
    response = api_client.get(
        "/api/v1/counts",
        {"url": [cast.story.url, cast.youth_story.url, "https://news.example/unknown"]},
    )
    assert response.json() == {
        "counts": {cast.story.url: 1, cast.youth_story.url: 0, "https://news.example/unknown": 0}
    }
    too_many = api_client.get(
        "/api/v1/counts", {"url": [f"https://x.example/{i}" for i in range(101)]}
    )
    assert too_many.status_code == 400


def test_cached_listing_follows_every_visible_change(api_client: Client, cast: Cast) -> None:
    from parley.moderation.actions import decide_comment

    path = f"/api/v1/stories/{cast.story.pk}/comments"

    def listing() -> list[tuple[int, str]]:
        items = api_client.get(path).json()["items"]
        return [(item["id"], item["body_html"]) for item in items]

    first = post_comment(api_client, cast).json()
    assert listing() == [(first["id"], "<p>A thoughtful comment.</p>")]
    with CaptureQueriesContext(connection) as hot:
        listing()
    assert len(hot.captured_queries) == 1  # the story (and its version); the page is cached
    second = post_comment(api_client, cast, "other_reader", body="Second").json()
    assert [row[0] for row in listing()] == [first["id"], second["id"]]
    api_client.patch(
        f"/api/v1/comments/{first['id']}",
        data=json.dumps({"body": "Edited"}),
        content_type="application/json",
        **cast.bearer("reader"),
    )
    assert listing()[0] == (first["id"], "<p>Edited</p>")
    decide_comment(actor=cast.moderator, comment_id=second["id"], action="remove", rule_code="R1")
    assert [row[0] for row in listing()] == [first["id"]]
    api_client.delete(f"/api/v1/comments/{first['id']}", **cast.bearer("reader"))
    assert listing() == []


def test_odd_cursors_are_refused_cleanly(api_client: Client, cast: Cast) -> None:
    # Cursors are client input and reach the page cache's key: spaces, control characters and
    # long values must give the problem, never a cache-key error.
    for cursor in ["º ª0\x7f", "x" * 400, "a b"]:
        response = api_client.get(f"/api/v1/stories/{cast.story.pk}/comments", {"cursor": cursor})
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "invalid_cursor"
