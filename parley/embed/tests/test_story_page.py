"""The story page, the embedded thread and their caching, as a reader and a CDN see them."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import Cast
from parley.comments.actions import post_comment
from parley.identity.actions import sign_in_with_sso
from parley.identity.models import Commenter
from parley.identity.sso import SsoClaims, verify_sso_token
from parley.ops.seed import COLUMN, DEMO_READERS, load_demo
from parley.stories.actions import update_story_comments
from parley.stories.models import Story

pytestmark = pytest.mark.django_db

CACHE_CONTROL = "public, max-age=0, s-maxage=30, stale-while-revalidate=30"


def page(client: Client, story: Story, **params: Any) -> Any:
    return client.get(f"/stories/{story.pk}/", params)


def text_of(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> Iterator[None]:
    settings.PARLEY_RATE_LIMIT_SCALE = 0  # these tests post faster than any reader may
    yield
    # LocaleMiddleware leaves the last request's language active in this thread: a French
    # request here must not make a later test's messages French.
    translation.deactivate()


def comment(cast: Cast, body: str, *, author: Commenter | None = None, **fields: Any) -> Any:
    story = Story.objects.select_related("community").get(pk=fields.pop("story", cast.story).pk)
    return post_comment(
        commenter=author or cast.reader,
        story=story,
        body=body,
        accept_terms="2026-01",
        **fields,
    ).comment


def test_story_page_shows_every_part_of_the_column_and_the_thread(client: Client) -> None:
    story = load_demo()
    response = page(client, story)
    assert response.status_code == 200
    text = text_of(response)
    for part in ("headline", "dek", "byline", "pull_quote", "author_bio", "section_note"):
        assert str(COLUMN[part]) in text, part
    photo = COLUMN["photo"]
    assert isinstance(photo, dict)
    for part in ("alt", "caption", "credit"):
        assert photo[part] in text, part
    for paragraph in COLUMN["body"]:
        assert paragraph in text
    for reader in DEMO_READERS:
        if not reader.youth:
            assert f"<bdi>{reader.given_name} {reader.family_name}</bdi>" in text
    assert (
        "By submitting a comment, you accept that News Example has the right to reproduce and "
        "publish that comment in whole or in part" in text
    )
    assert "News Example does not endorse the opinions expressed in comments." in text
    assert 'href="/guidelines/"' in text
    assert "Submission Guidelines" in text
    # The form (a template the script instantiates) carries the current terms text and version.
    assert 'data-terms-version="2026-01"' in text
    assert "in any manner the publisher chooses" in text
    assert 'data-role="compose-template"' in text


def test_replies_follow_the_comment_they_answer(client: Client, cast: Cast) -> None:
    first = comment(cast, "First top-level comment.")
    comment(cast, "Second top-level comment.", author=cast.other_reader)
    comment(cast, "A reply to the first.", author=cast.other_reader, parent_id=first.pk)
    text = text_of(page(client, cast.story))
    order = [text.index(s) for s in ("First top", "A reply to the first", "Second top")]
    assert order == sorted(order)
    assert 'class="parley-comment depth-1"' in text
    newest = text_of(page(client, cast.story, sort="newest"))
    assert newest.index("Second top") < newest.index("First top")


def test_times_are_machine_readable_with_a_server_side_fallback(client: Client, cast: Cast) -> None:
    posted = comment(cast, "A comment with a time.")
    text = text_of(page(client, cast.story))
    match = re.search(r'<time datetime="([^"]+)">([^<]+)</time>', text)
    assert match is not None
    assert match.group(1).startswith(str(posted.created_at.year))
    assert re.search(r"[+-]\d\d:\d\d$", match.group(1)), "ISO 8601 with its offset"
    assert match.group(2).strip()


def _render_queries(client: Client, story: Story) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = page(client, story)
    assert response.status_code == 200
    return len(queries)


def test_rendering_costs_the_same_queries_whatever_the_thread_length(
    client: Client, cast: Cast
) -> None:
    roots = [comment(cast, f"Root {i}") for i in range(3)]
    comment(cast, "Reply", author=cast.other_reader, parent_id=roots[0].pk)
    short = _render_queries(client, cast.story)
    for i in range(37):
        parent = roots[i % 3].pk if i % 2 else None
        comment(cast, f"More {i}", author=cast.other_reader, parent_id=parent)
    long = _render_queries(client, cast.story)
    assert short == long
    assert long == 7  # state; story, roots, replies, terms, guidelines, rules


def test_a_cached_page_costs_one_query_and_a_cache_read(client: Client, cast: Cast) -> None:
    comment(cast, "Cached comment.")
    first = page(client, cast.story)
    with CaptureQueriesContext(connection) as queries:
        second = page(client, cast.story)
    assert len(queries) <= 2
    assert second.content == first.content


def test_caching_headers_and_not_modified(client: Client, cast: Cast) -> None:
    response = page(client, cast.story)
    etag = response["ETag"]
    assert etag.startswith('W/"')
    assert response["Cache-Control"] == CACHE_CONTROL
    assert response["Surrogate-Key"] == f"story-{cast.story.pk}"
    assert "Accept-Language" in response["Vary"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(f"/stories/{cast.story.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Surrogate-Key"] == f"story-{cast.story.pk}"
    assert len(queries) == 1
    head = client.head(f"/stories/{cast.story.pk}/")
    assert (head.status_code, head["ETag"]) == (200, etag)
    other_sort = client.get(f"/stories/{cast.story.pk}/?sort=newest", HTTP_IF_NONE_MATCH=etag)
    assert other_sort.status_code == 200
    assert other_sort["ETag"] != etag


def test_a_new_comment_changes_the_etag_and_appears(client: Client, cast: Cast) -> None:
    before = page(client, cast.story)
    assert "Freshly posted" not in text_of(before)
    comment(cast, "Freshly posted comment.")
    after = client.get(f"/stories/{cast.story.pk}/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "Freshly posted comment." in text_of(after)


def test_a_pending_comment_is_not_shown_and_leaves_the_cache_alone(
    client: Client, cast: Cast
) -> None:
    update_story_comments(actor=cast.staff, story=cast.story, moderation="pre")
    before = page(client, cast.story)
    comment(cast, "Held for moderation.")
    after = page(client, cast.story)
    assert "Held for moderation." not in text_of(after)
    assert after["ETag"] == before["ETag"]


def test_a_closed_story_keeps_its_thread_and_refuses_new_comments(
    client: Client, cast: Cast
) -> None:
    comment(cast, "Said before the close.")
    open_page = page(client, cast.story)
    update_story_comments(actor=cast.staff, story=cast.story, comments_open=False)
    response = page(client, cast.story)
    text = text_of(response)
    assert response["ETag"] != open_page["ETag"]
    assert "Said before the close." in text
    assert "Comments on this story are closed." in text
    assert 'data-open="false"' in text
    assert "compose-template" not in text
    assert "<textarea" not in text.split('data-role="edit-template"')[0]
    assert "Sign in to comment" not in text


def test_a_story_past_its_scheduled_close_is_shown_closed(client: Client, cast: Cast) -> None:
    from datetime import timedelta

    from parley.core import clock

    Story.objects.filter(pk=cast.story.pk).update(closes_at=clock.now() - timedelta(minutes=1))
    text = text_of(page(client, cast.story))
    assert "Comments on this story are closed." in text


def test_the_youth_page_shows_community_names_only(client: Client, cast: Cast) -> None:
    member = sign_in_with_sso(
        claims=SsoClaims(
            subject="kid-2",
            issuer="",
            given_name="Zéphyrine",
            family_name="Quenneville",
            email="",
            youth=True,
        )
    )
    Commenter.objects.filter(pk=member.pk).update(community_name="CometChaser")
    # Youth communities premoderate; this page test wants the comment published at once.
    update_story_comments(actor=cast.staff, story=cast.youth_story, moderation="post")
    member.refresh_from_db()
    posted = comment(cast, "Comets are cool!", author=member, story=cast.youth_story)
    assert posted.status == "published", (posted.status, posted.flags)
    text = text_of(page(client, cast.youth_story))
    assert "Comets are cool!" in text
    assert "<bdi>CometChaser</bdi>" in text
    assert "Zéphyrine" not in text
    assert "Quenneville" not in text
    assert "community names, never real names" in text


def test_the_demo_youth_story_has_no_real_names(client: Client) -> None:
    load_demo()
    youth = Story.objects.get(url="https://news.example/kids/how-comets-get-their-tails")
    text = text_of(page(client, youth))
    for reader in DEMO_READERS:
        if reader.given_name:
            assert reader.given_name not in text


def test_names_are_escaped_and_bidi_isolated(client: Client, cast: Cast) -> None:
    Commenter.objects.filter(pk=cast.reader.pk).update(family_name="<b>Côté</b>")
    comment(cast, "<script>alert(1)</script>Hello")
    raw = page(client, cast.story).content.decode()
    assert "<bdi>Geneviève &lt;b&gt;Côté&lt;/b&gt;</bdi>" in raw
    assert "<script>alert" not in raw


def _link(text: str, rel: str) -> str | None:
    match = re.search(rf'<a rel="{rel}" href="(/stories/\d+/\?[^"#]+)#parley"', text)
    return match.group(1) if match else None


def test_pages_of_twenty_with_older_and_newer_links(client: Client, cast: Cast) -> None:
    for i in range(45):
        comment(cast, f"Numbered comment {i:02d}.", author=[cast.reader, cast.other_reader][i % 2])
    first = text_of(page(client, cast.story))
    assert "Numbered comment 19." in first
    assert "Numbered comment 20." not in first
    assert _link(first, "prev") is None
    second_url = _link(first, "next")
    assert second_url is not None
    second = text_of(client.get(second_url))
    assert ["Numbered comment 20." in second, "Numbered comment 39." in second] == [True, True]
    assert "Numbered comment 19." not in second
    assert "Numbered comment 40." not in second
    assert "First page" in second
    third_url = _link(second, "next")
    assert third_url is not None
    third = text_of(client.get(third_url))
    assert "Numbered comment 40." in third
    assert "Numbered comment 44." in third
    assert _link(third, "next") is None
    # Back again: the page before the third is the second, in the same order.
    back_url = _link(third, "prev")
    assert back_url is not None
    back = text_of(client.get(back_url))
    shown = re.findall(r"Numbered comment (\d\d)\.", back)
    assert shown == [f"{i:02d}" for i in range(20, 40)]
    back_again = _link(back, "prev")
    assert back_again is not None
    first_again = text_of(client.get(back_again))
    assert re.findall(r"Numbered comment (\d\d)\.", first_again) == [f"{i:02d}" for i in range(20)]
    assert _link(first_again, "prev") is None
    assert _link(first_again, "next") is not None


def test_newest_first_pages_run_backwards_in_time(client: Client, cast: Cast) -> None:
    for i in range(25):
        comment(cast, f"Numbered comment {i:02d}.", author=[cast.reader, cast.other_reader][i % 2])
    first = text_of(page(client, cast.story, sort="newest"))
    assert re.findall(r"Numbered comment (\d\d)\.", first)[0] == "24"
    older = _link(first, "next")
    assert older is not None
    assert "Older comments" in first
    second = text_of(client.get(older))
    assert re.findall(r"Numbered comment (\d\d)\.", second) == ["04", "03", "02", "01", "00"]


def test_an_invalid_cursor_is_refused(client: Client, cast: Cast) -> None:
    assert page(client, cast.story, cursor="not-a-cursor").status_code == 400
    assert page(client, cast.story, cursor="x" * 500).status_code == 400


def test_an_unknown_story_is_404(client: Client, cast: Cast) -> None:
    assert client.get("/stories/999999/").status_code == 404


def test_framing_rules(client: Client, cast: Cast, settings: Any) -> None:
    settings.PARLEY_EMBED_ORIGINS = ("https://news.example",)
    embedded = client.get("/embed/thread/", {"url": cast.story.url})
    assert embedded.status_code == 200
    assert "frame-ancestors 'self' https://news.example" in embedded["Content-Security-Policy"]
    assert "X-Frame-Options" not in embedded
    assert "script-src 'self'" in embedded["Content-Security-Policy"]
    by_id = client.get(f"/embed/stories/{cast.story.pk}/")
    assert "frame-ancestors 'self' https://news.example" in by_id["Content-Security-Policy"]
    for path in (f"/stories/{cast.story.pk}/", "/dashboard/", "/demo/login/?next=/"):
        response = client.get(path)
        assert response["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], path


def test_the_embedded_thread_is_the_thread_only(client: Client, cast: Cast) -> None:
    comment(cast, "Embedded comment.")
    response = client.get("/embed/thread/", {"url": cast.story.url})
    text = text_of(response)
    assert "Embedded comment." in text
    assert 'class="embedded"' in text
    assert "story-headline" not in text
    assert response["Surrogate-Key"] == f"story-{cast.story.pk}"
    assert client.get("/embed/thread/", {"url": "https://nowhere.example/"}).status_code == 404


def test_no_inline_scripts_or_styles(client: Client, cast: Cast) -> None:
    comment(cast, "A comment.")
    raw = page(client, cast.story).content.decode()
    for script in re.findall(r"<script[^>]*>", raw):
        assert "src=" in script
    assert "style=" not in raw
    assert "<style" not in raw
    assert re.search(r"\son[a-z]+=", raw) is None


def test_the_loader_script(client: Client) -> None:
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert "event.origin !== parleyOrigin" in body
    assert "/embed/thread/" in body


def test_the_javascript_catalogue(client: Client) -> None:
    response = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    body = response.content.decode()
    # The catalogue is JSON inside JavaScript: non-ASCII letters are \u escapes.
    assert '"Reply": "R\\u00e9pondre"' in body
    assert '"Withdraw": "Retirer"' in body


def test_french_readers_get_french_pages(client: Client) -> None:
    story = load_demo()
    response = client.get(f"/stories/{story.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    text = text_of(response)
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr"' in text
    assert "Lignes directrices" in text
    assert "ne cautionne pas" in text
    english = text_of(client.get(f"/stories/{story.pk}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "ne cautionne pas" not in english
    assert "does not endorse" in english


def test_the_index_lists_stories(client: Client) -> None:
    story = load_demo()
    text = text_of(client.get("/"))
    assert f'href="/stories/{story.pk}/"' in text
    assert str(COLUMN["headline"]) in text


def test_guidelines_and_terms_pages(client: Client, cast: Cast) -> None:
    from conftest import GUIDELINE_RULES
    from parley.communities.policies import publish_guidelines
    from parley.core.actors import SYSTEM

    publish_guidelines(actor=SYSTEM, rules=[*GUIDELINE_RULES, ("R9", "Be kind", "Just be kind.")])
    current = text_of(client.get("/guidelines/"))
    assert "Be kind" in current
    for code, title, _text in GUIDELINE_RULES:
        assert f"{code}</span> {title}" in current
    assert 'href="/guidelines/1/"' in current
    older = text_of(client.get("/guidelines/1/"))
    assert "This is an earlier version." in older
    assert "Be kind" not in older
    assert client.get("/guidelines/99/").status_code == 404
    terms = text_of(client.get("/terms/"))
    assert "By submitting a comment, you accept..." in terms
    assert "2026-01" in terms


# ---- the demo's stand-in for the publisher's login -------------------------------------------


def test_demo_login_lists_the_demo_readers(client: Client) -> None:
    load_demo()
    response = client.get("/demo/login/", {"next": "/stories/1/"})
    assert response.status_code == 200
    text = text_of(response)
    assert "csrfmiddlewaretoken" in text
    assert response["Cache-Control"] == "no-store"
    for reader in DEMO_READERS:
        assert f'value="{reader.subject}"' in text


def test_demo_login_signs_a_token_and_returns_to_the_story(client: Client) -> None:
    story = load_demo()
    response = client.post("/demo/login/", {"reader": "demo-sean", "next": f"/stories/{story.pk}/"})
    assert response.status_code == 302
    location = response["Location"]
    path, _hash, fragment = location.partition("#")
    assert path == f"/stories/{story.pk}/"
    assert fragment.startswith("sso=")
    claims = verify_sso_token(fragment[4:])
    assert (claims.subject, claims.given_name) == ("demo-sean", "Seán")


@pytest.mark.parametrize(
    "next_value",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "stories/1/",
    ],
)
def test_demo_login_refuses_a_next_off_this_site(client: Client, next_value: str) -> None:
    load_demo()
    assert client.get("/demo/login/", {"next": next_value}).status_code == 400
    response = client.post("/demo/login/", {"reader": "demo-sean", "next": next_value})
    assert response.status_code == 400
    assert "Location" not in response


def test_demo_login_needs_csrf_and_a_known_reader(cast: Cast) -> None:
    guarded = Client(enforce_csrf_checks=True)
    response = guarded.post("/demo/login/", {"reader": "demo-sean", "next": "/"})
    assert response.status_code == 403
    assert Client().post("/demo/login/", {"reader": "someone", "next": "/"}).status_code == 400


def test_demo_login_is_off_unless_enabled(client: Client, settings: Any) -> None:
    settings.PARLEY_DEMO_LOGIN = False
    assert client.get("/demo/login/").status_code == 404
    assert client.post("/demo/login/", {"reader": "demo-sean"}).status_code == 404


def test_the_story_page_links_to_the_demo_login(client: Client, cast: Cast) -> None:
    text = text_of(page(client, cast.story))
    link = re.search(r'href="(/demo/login/\?next=[^"]+)"', text)
    assert link is not None
    assert urlsplit(link.group(1)).query == f"next=/stories/{cast.story.pk}/"
