"""One authorisation matrix over personas by the core API routes, and a guard that every route
of the API belongs to a matrix (the moderation and campaign matrices live beside their apps):
a new route that nobody put in a matrix fails the suite."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import Cast
from parley.comments.actions import post_comment
from parley.comments.models import Comment

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "reader", "youth_member", "moderator", "staff", "admin"]
OK = "ok"  # any answer that is not 401/403: the persona got past authorisation

# (method, route) → the answer per persona, in PERSONAS order.
EXPECTED: dict[tuple[str, str], tuple[int | str, ...]] = {
    ("get", "/health"): (OK, OK, OK, OK, OK, OK),
    ("get", "/guidelines/current"): (OK, OK, OK, OK, OK, OK),
    ("get", "/guidelines/{version}"): (OK, OK, OK, OK, OK, OK),
    ("get", "/terms/current"): (OK, OK, OK, OK, OK, OK),
    ("get", "/terms/{version}"): (OK, OK, OK, OK, OK, OK),
    ("get", "/stories"): (OK, OK, OK, OK, OK, OK),
    ("get", "/stories/{story_id}"): (OK, OK, OK, OK, OK, OK),
    ("get", "/counts"): (OK, OK, OK, OK, OK, OK),
    ("get", "/stories/{story_id}/comments"): (OK, OK, OK, OK, OK, OK),
    ("get", "/comments/{comment_id}"): (OK, OK, OK, OK, OK, OK),
    ("post", "/sessions"): (OK, OK, OK, OK, OK, OK),
    ("post", "/stories"): (401, 403, 403, 403, OK, OK),
    ("patch", "/stories/{story_id}"): (401, 403, 403, 403, OK, OK),
    # A youth account may not post under real-name rules (the story is in the Opinion community).
    ("post", "/stories/{story_id}/comments"): (401, OK, 403, 403, 403, 403),
    ("patch", "/comments/{comment_id}"): (401, OK, 403, 403, 403, 403),
    ("delete", "/comments/{comment_id}"): (401, OK, 403, 403, 403, 403),
    ("post", "/comments/{comment_id}/reports"): (401, OK, OK, 403, 403, 403),
    ("get", "/me"): (401, OK, OK, 403, 403, 403),
    ("patch", "/me"): (401, OK, OK, 403, 403, 403),
    ("get", "/me/export"): (401, OK, OK, 403, 403, 403),
    ("delete", "/me"): (401, OK, OK, 403, 403, 403),
}
# The stream is an endless response; its access (anyone) is tested in parley/realtime.
STREAM = ("get", "/stories/{story_id}/stream")


def _request(cast: Cast, comment: Comment, method: str, route: str) -> tuple[str, Any]:
    path = (
        route.replace("{story_id}", str(cast.story.pk))
        .replace("{comment_id}", str(comment.pk))
        .replace("{version}", "1")
    )
    query_and_bodies: dict[tuple[str, str], tuple[str, Any]] = {
        ("get", "/stories"): (f"?url={cast.story.url}", None),
        ("get", "/counts"): (f"?url={cast.story.url}", None),
        ("get", "/terms/{version}"): ("", None),
        ("post", "/sessions"): ("", {"sso_token": cast.tokens["other_reader"]}),
        ("post", "/stories"): (
            "",
            {"url": "https://news.example/matrix", "title": "Matrix", "community": "opinion"},
        ),
        ("patch", "/stories/{story_id}"): ("", {"comments_open": True}),
        ("post", "/stories/{story_id}/comments"): (
            "",
            {"body": "Matrix comment", "accept_terms": "2026-01"},
        ),
        ("patch", "/comments/{comment_id}"): ("", {"body": "Edited"}),
        ("post", "/comments/{comment_id}/reports"): ("", {"reason": "Matrix report"}),
        ("patch", "/me"): ("", {"given_name": "Geneviève", "family_name": "Côté-Tremblay"}),
    }
    suffix, body = query_and_bodies.get((method, route), ("", None))
    if route == "/terms/{version}":
        path = "/terms/2026-01"
    return "/api/v1" + path + suffix, body


def all_api_routes() -> set[tuple[str, str]]:
    from parley.api.urls import api

    return {
        (method.lower(), prefix.rstrip("/") + path)
        for prefix, router in api._routers
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }


def test_every_api_route_is_in_a_matrix() -> None:
    from parley.campaigns.tests.test_access import EXPECTED as CAMPAIGNS
    from parley.moderation.tests.test_audit_and_access import EXPECTED as MODERATION

    covered = len(EXPECTED) + len(MODERATION) + len(CAMPAIGNS) + 1  # + the stream
    routes = all_api_routes()
    core = set(EXPECTED) | {STREAM}
    assert core <= routes, core - routes
    # Every route not in the core matrix must be one of the moderation/campaign entries.
    assert len(routes) == covered, sorted(routes - core)


@pytest.mark.parametrize("route", sorted(EXPECTED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_core_authorisation_matrix(
    api_client: Client, cast: Cast, route: tuple[str, str], persona: str
) -> None:
    comment = post_comment(
        commenter=cast.reader, story=cast.story, body="Under test", accept_terms="2026-01"
    ).comment
    method, template = route
    path, body = _request(cast, comment, method, template)
    headers = {} if persona == "anonymous" else cast.bearer(persona)
    call = getattr(api_client, method)
    if body is None:
        response = call(path, **headers)
    else:
        response = call(path, data=json.dumps(body), content_type="application/json", **headers)
    expected = EXPECTED[route][PERSONAS.index(persona)]
    if expected == OK:
        assert response.status_code not in {401, 403}, (route, persona, response.content)
        assert response.status_code < 500
    else:
        assert response.status_code == expected, (route, persona, response.content)
        assert response["Content-Type"] == "application/problem+json"
