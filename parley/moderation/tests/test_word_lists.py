"""Per-community word lists: admin management API and the intake screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import Cast
from parley.comments.models import CommentStatus
from parley.core.models import AuditEntry
from parley.moderation.models import WordList
from parley.moderation.tests.conftest import comment_on, put_json

pytestmark = pytest.mark.django_db

PATH = "/api/v1/communities/opinion/word-lists"


def put_lists(client: Client, cast: Cast, persona: str = "admin", **body: Any) -> Any:
    return put_json(client, PATH, body, **cast.bearer(persona))


def test_admin_sets_and_reads_word_lists(api_client: Client, cast: Cast) -> None:
    empty = api_client.get(PATH, **cast.bearer("admin")).json()
    assert (empty["banned"], empty["suspect"], empty["reject_rule"], empty["version"]) == (
        [],
        [],
        "R1",
        0,
    )
    response = put_lists(
        api_client,
        cast,
        banned=["scumbag", " Scumbag ", "kill yourself"],
        suspect=["idiot"],
        reject_rule="R4",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["banned"] == [
        "scumbag",
        "kill yourself",
    ]  # trimmed, case-insensitive duplicates dropped
    assert (data["suspect"], data["reject_rule"], data["version"]) == (["idiot"], "R4", 1)
    assert api_client.get(PATH, **cast.bearer("admin")).json() == data
    entry = AuditEntry.objects.get(action="community.word_lists")
    assert (entry.rule_code, entry.guideline_version, entry.data["banned"]) == ("R4", 1, 2)
    assert put_lists(api_client, cast, banned=[], suspect=[]).json()["version"] == 2


@pytest.mark.parametrize("persona", ["reader", "moderator", "staff"])
def test_only_admins_manage_word_lists(api_client: Client, cast: Cast, persona: str) -> None:
    assert api_client.get(PATH, **cast.bearer(persona)).status_code == 403
    response = put_lists(api_client, cast, persona, banned=["x"], suspect=[])
    assert response.status_code == 403
    assert not WordList.objects.exists()


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"banned": ["ok", "  "]}, "invalid_word_list", "banned"),
        ({"suspect": ["y" * 101]}, "invalid_word_list", "suspect"),
        ({"banned": ["x"], "reject_rule": "R42"}, "unknown_rule", "rule"),
    ],
)
def test_bad_word_lists_change_nothing(
    api_client: Client, cast: Cast, body: dict[str, Any], code: str, field: str
) -> None:
    put_lists(api_client, cast, banned=["keep"], suspect=[])
    audit_before = AuditEntry.objects.count()
    response = put_lists(api_client, cast, **body)
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert field in response.json()["errors"]
    word_list = WordList.objects.get()
    assert (word_list.banned, word_list.version) == (["keep"], 1)
    assert AuditEntry.objects.count() == audit_before


def test_unknown_community_is_404(api_client: Client, cast: Cast) -> None:
    response = api_client.get("/api/v1/communities/nowhere/word-lists", **cast.bearer("admin"))
    assert (response.status_code, response.json()["code"]) == (404, "community_not_found")


def test_banned_terms_reject_citing_the_rule_and_suspect_terms_flag(
    api_client: Client, cast: Cast
) -> None:
    put_lists(api_client, cast, banned=["scumbag"], suspect=["idiot"])
    rejected = comment_on(cast.story, cast.reader, body="You absolute SCUMB4G.")
    assert (rejected.status, rejected.rule_code) == (CommentStatus.REJECTED, "R1")
    assert rejected.flags == ["wordlist:banned:scumbag"]
    flagged = comment_on(cast.story, cast.reader, body="What idiots.")
    assert flagged.status == CommentStatus.PUBLISHED
    assert flagged.flags == ["wordlist:suspect:idiot"]
    clean = comment_on(
        cast.story, cast.reader, body="I visited Scunthorpe and saw a classic idiom."
    )
    assert (clean.status, clean.flags) == (CommentStatus.PUBLISHED, [])
    cast.story.refresh_from_db()
    assert cast.story.comment_count == 2
    # The lists are per community: the youth community is unaffected.
    kid = comment_on(cast.youth_story, cast.youth_member, body="scumbag")
    assert kid.status == CommentStatus.PENDING and kid.flags == []


def test_changed_lists_apply_to_the_next_comment(api_client: Client, cast: Cast) -> None:
    put_lists(api_client, cast, banned=["alpha"], suspect=[])
    assert comment_on(cast.story, cast.reader, body="alpha").status == "rejected"
    put_lists(api_client, cast, banned=["beta"], suspect=[], reject_rule="R3")
    assert comment_on(cast.story, cast.reader, body="alpha again").status == "published"
    second = comment_on(cast.story, cast.reader, body="beta")
    assert (second.status, second.rule_code) == ("rejected", "R3")


def test_rejected_author_is_told_in_the_api(api_client: Client, cast: Cast) -> None:
    put_lists(api_client, cast, banned=["scumbag"], suspect=[])
    response = api_client.post(
        f"/api/v1/stories/{cast.story.pk}/comments",
        data={"body": "scumbag", "accept_terms": "2026-01"},
        content_type="application/json",
        **cast.bearer("reader"),
    )
    assert response.status_code == 201
    assert response.json()["status"] == "rejected"
    assert response.json()["rule"]["code"] == "R1"
