"""The four queues over the API: contents, context, author history, pagination, scoping, and a
constant number of queries per page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import Cast
from parley.comments.actions import report_comment
from parley.comments.models import Comment, CommentStatus
from parley.core.actors import SYSTEM
from parley.identity.models import Commenter
from parley.moderation.actions import apply_sanction, decide_comment, set_word_lists
from parley.moderation.tests.conftest import comment_on, readers
from parley.stories.actions import update_story_comments

pytestmark = pytest.mark.django_db


def get_queue(
    client: Client, cast: Cast, queue: str, persona: str = "moderator", **params: Any
) -> Any:
    return client.get(f"/api/v1/moderation/queues/{queue}", params, **cast.bearer(persona))


def test_pending_queue_shows_comment_in_context_with_author_history(
    api_client: Client, cast: Cast
) -> None:
    parent = comment_on(cast.story, cast.other_reader, body="The parent comment.")
    earlier = comment_on(cast.story, cast.reader, body="An earlier one.")
    decide_comment(actor=SYSTEM, comment_id=earlier.pk, action="remove", rule_code="R2")
    apply_sanction(actor=SYSTEM, commenter_id=cast.reader.pk, kind="warn", rule_code="R2")
    update_story_comments(actor=SYSTEM, story=cast.story, moderation="pre")
    cast.story.refresh_from_db()
    reply = comment_on(cast.story, cast.reader, body="A held reply.", parent_id=parent.pk)
    response = get_queue(api_client, cast, "pending")
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["comment"]["id"] == reply.pk
    assert item["comment"]["status"] == "pending"
    assert item["story"] == {
        "id": cast.story.pk,
        "title": cast.story.title,
        "url": cast.story.url,
        "community": "opinion",
    }
    assert item["parent"]["id"] == parent.pk
    assert item["parent"]["author"]["display_name"] == "Seán Ó Súilleabháin"
    assert "The parent comment." in item["parent"]["body_html"]
    assert item["reasons"] == ["premoderation"]
    history = item["author_history"]
    assert history["display_name"] == "Geneviève Côté-Tremblay"
    assert history["comments"] == 2
    assert history["by_status"] == {"pending": 1, "removed": 1}
    assert history["account_age_days"] == 0
    assert [s["kind"] for s in history["sanctions"]] == ["warn"]
    assert history["banned"] is False and history["premoderated"] is False


def test_reported_queue_lists_reports_with_reasons(api_client: Client, cast: Cast) -> None:
    quiet = comment_on(cast.story, cast.reader, body="Nobody minds this one.")
    loud = comment_on(cast.story, cast.reader, body="Somebody minds this one.")
    report_comment(
        reporter=cast.other_reader, comment=loud, reason="Personal attack", rule_code="R1"
    )
    items = get_queue(api_client, cast, "reported").json()["items"]
    assert [i["comment"]["id"] for i in items] == [loud.pk]
    assert items[0]["reasons"] == ["reported"]
    (report,) = items[0]["reports"]
    assert (report["reason"], report["rule"], report["resolved_at"]) == (
        "Personal attack",
        "R1",
        None,
    )
    assert quiet.pk not in [i["comment"]["id"] for i in items]
    decide_comment(actor=SYSTEM, comment_id=loud.pk, action="approve", rule_code="R1")
    assert get_queue(api_client, cast, "reported").json()["items"] == []


def test_system_and_rejected_queues(api_client: Client, cast: Cast) -> None:
    set_word_lists(actor=SYSTEM, community=cast.opinion, banned=["scumbag"], suspect=["idiot"])
    flagged = comment_on(cast.story, cast.reader, body="What an idiot take.")
    scored = comment_on(cast.story, cast.reader, body="FLAGME please")
    rejected = comment_on(cast.story, cast.reader, body="You scumbag.")
    comment_on(cast.story, cast.reader, body="Perfectly fine.")
    system = get_queue(api_client, cast, "system").json()["items"]
    assert [i["comment"]["id"] for i in system] == [flagged.pk, scored.pk]
    assert system[0]["flags"] == ["wordlist:suspect:idiot"]
    assert system[0]["reasons"] == ["wordlist:suspect"]
    assert system[1]["reasons"] == ["score:system"]
    assert system[1]["scores"]["toxicity"] == pytest.approx(0.6)
    rejected_items = get_queue(api_client, cast, "rejected").json()["items"]
    assert [i["comment"]["id"] for i in rejected_items] == [rejected.pk]
    assert rejected_items[0]["comment"]["rule"] == {"code": "R1", "guideline_version": None}
    assert "rejected_by_word_list" in rejected_items[0]["reasons"]
    # Deciding takes an item out of the system queue.
    decide_comment(actor=cast.moderator, comment_id=flagged.pk, action="approve", rule_code="R1")
    assert [i["comment"]["id"] for i in get_queue(api_client, cast, "system").json()["items"]] == [
        scored.pk
    ]


def test_cursor_pagination_walks_the_whole_queue_once(api_client: Client, cast: Cast) -> None:
    update_story_comments(actor=SYSTEM, story=cast.story, moderation="pre")
    cast.story.refresh_from_db()
    posted = [
        comment_on(cast.story, author, body=f"Held {i}").pk for i, author in enumerate(readers(7))
    ]
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = get_queue(api_client, cast, "pending", **params).json()
        seen += [i["comment"]["id"] for i in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == posted and pages == 3
    bad = get_queue(api_client, cast, "pending", cursor="not-a-cursor")
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_cursor")
    for limit in (0, 101):
        response = get_queue(api_client, cast, "pending", limit=limit)
        assert (response.status_code, response.json()["code"]) == (400, "invalid_limit")


@pytest.mark.parametrize("queue", ["pending", "reported", "system", "rejected"])
def test_queue_pages_take_a_constant_number_of_queries(
    api_client: Client, cast: Cast, queue: str
) -> None:
    set_word_lists(actor=SYSTEM, community=cast.opinion, banned=["scumbag"], suspect=[])
    update_story_comments(actor=SYSTEM, story=cast.story, moderation="pre")
    cast.story.refresh_from_db()
    authors = readers(12)
    parent = comment_on(cast.story, cast.reader)
    decide_comment(actor=SYSTEM, comment_id=parent.pk, action="approve", rule_code="R1")

    def fill(batch: list[Commenter]) -> None:
        for i, author in enumerate(batch):
            body = "FLAGME scumbag" if queue == "rejected" else "FLAGME held"
            comment = comment_on(cast.story, author, body=f"{body} {i}", parent_id=parent.pk)
            apply_sanction(actor=SYSTEM, commenter_id=author.pk, kind="warn", rule_code="R1")
            if queue in {"reported", "system"}:
                Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.PUBLISHED)
                report_comment(reporter=cast.other_reader, comment=comment, reason="why")

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = get_queue(api_client, cast, queue, limit=50)
        assert response.status_code == 200
        return len(response.json()["items"]), len(queries)

    fill(authors[:2])
    small_items, small_queries = count()
    fill(authors[2:])
    large_items, large_queries = count()
    assert (small_items, large_items) == (2, 12)
    assert large_queries == small_queries
    # API key (2: look-up, last-used), the page's ids, its comments with story, author and
    # parent, their reports, their authors' counts by status, their authors' sanctions.
    assert large_queries == 7


def test_queues_are_scoped_to_the_moderators_communities(api_client: Client, cast: Cast) -> None:
    kid = comment_on(cast.youth_story, cast.youth_member)
    update_story_comments(actor=SYSTEM, story=cast.story, moderation="pre")
    cast.story.refresh_from_db()
    adult = comment_on(cast.story, cast.reader)
    assert [i["comment"]["id"] for i in get_queue(api_client, cast, "pending").json()["items"]] == [
        adult.pk
    ]
    admin_ids = [
        i["comment"]["id"] for i in get_queue(api_client, cast, "pending", "admin").json()["items"]
    ]
    assert admin_ids == [kid.pk, adult.pk]
    only_kids = get_queue(api_client, cast, "pending", "admin", community="kids").json()["items"]
    assert [i["comment"]["id"] for i in only_kids] == [kid.pk]
    # A youth member's real name never appears, not even to moderators.
    assert only_kids[0]["author_history"]["display_name"] == cast.youth_member.community_name
    missing = get_queue(api_client, cast, "pending", community="nope")
    assert missing.status_code == 404


def test_unknown_queue_is_refused(api_client: Client, cast: Cast) -> None:
    response = get_queue(api_client, cast, "everything")
    assert response.status_code == 422


def test_search_by_text_and_author(api_client: Client, cast: Cast) -> None:
    mine = comment_on(cast.story, cast.reader, body="Bridges and tunnels")
    comment_on(cast.story, cast.other_reader, body="Only tunnels here")
    kid = comment_on(cast.youth_story, cast.youth_member, body="Bridges are cool")

    def ids(**params: Any) -> list[int]:
        response = api_client.get("/api/v1/moderation/search", params, **cast.bearer("moderator"))
        assert response.status_code == 200
        return [i["comment"]["id"] for i in response.json()["items"]]

    assert ids(q="bridges") == [mine.pk]  # the youth comment is in another community
    assert ids(q="Côté", by="author") == [mine.pk]
    assert ids(q="geneviève côté-tremblay", by="author") == [mine.pk]
    assert ids(q=str(cast.reader.pk), by="author") == [mine.pk]
    assert kid.pk not in ids(q=str(cast.youth_member.pk), by="author")


def test_system_queue_follows_flags_decisions_and_withdrawals(
    api_client: Client, cast: Cast
) -> None:
    from parley.comments.actions import withdraw_comment
    from parley.moderation.actions import flag_comment
    from parley.moderation.models import FlaggedComment

    def system_ids() -> list[int]:
        items = get_queue(api_client, cast, "system").json()["items"]
        return [i["comment"]["id"] for i in items]

    kept, decided, withdrawn = (comment_on(cast.story, cast.reader, body=f"c{i}") for i in range(3))
    for comment in (kept, decided, withdrawn):
        flag_comment(comment_id=comment.pk, flag="campaign:7")
    assert system_ids() == [kept.pk, decided.pk, withdrawn.pk]
    assert get_queue(api_client, cast, "system").json()["items"][0]["reasons"] == ["campaign:7"]
    decide_comment(actor=cast.moderator, comment_id=decided.pk, action="approve", rule_code="R1")
    withdraw_comment(commenter=cast.reader, comment=withdrawn)
    assert system_ids() == [kept.pk]
    assert not FlaggedComment.objects.filter(comment_id=decided.pk).exists()
    # Flagging a comment a moderator already reviewed does not bring it back.
    flag_comment(comment_id=decided.pk, flag="campaign:8")
    assert system_ids() == [kept.pk]
