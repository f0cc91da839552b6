"""The ASGI fast path for thread pages (config/fastpath.py): same bytes and headers as Django,
never a stale thread, and Django still decides everything it cannot prove unchanged."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.core.asgi import get_asgi_application
from django.db import connection

from config.fastpath import Row, StateBatcher, ThreadPageFastPath, _orm_fetch, state_fetch_for
from conftest import Cast
from parley.comments.actions import post_comment, withdraw_comment
from parley.stories.actions import update_story_comments
from parley.stories.models import Story

# Committed data: Django serves each ASGI request on a thread (and connection) of its own.
pytestmark = pytest.mark.django_db(transaction=True)

SECURITY_HEADERS = (b"content-security-policy", b"x-frame-options", b"referrer-policy")


class Counting:
    """Django's ASGI app, counting the requests that reach it."""

    def __init__(self) -> None:
        self.app = get_asgi_application()
        self.calls = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls += 1
        await self.app(scope, receive, send)


def get(app: Any, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> Any:
    return async_to_sync(request)(app, path, headers)


async def request(
    app: Any, path: str, headers: list[tuple[bytes, bytes]] | None = None
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    messages: list[dict[str, Any]] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path.split("?")[0],
        "raw_path": path.split("?")[0].encode(),
        "query_string": path.partition("?")[2].encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *(headers or [])],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }

    sent = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if not sent.is_set():
            sent.set()
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    await app(scope, receive, send)
    start = messages[0]
    body = b"".join(m.get("body", b"") for m in messages[1:])
    headers_out = [(bytes(n).lower(), bytes(v)) for n, v in start["headers"]]
    return start["status"], headers_out, body


@pytest.fixture
def django_app() -> Counting:
    return Counting()


@pytest.fixture
def fast(django_app: Counting) -> ThreadPageFastPath:
    # The ORM reader runs on the test's own connection, so it sees the test's transaction on
    # any database; the SQLite and PostgreSQL readers are tested on their own below.
    return ThreadPageFastPath(django_app, fetch=_orm_fetch())


def _comment(cast: Cast, body: str) -> Any:
    story = Story.objects.select_related("community").get(pk=cast.story.pk)
    return post_comment(
        commenter=cast.reader, story=story, body=body, accept_terms="2026-01"
    ).comment


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.PARLEY_RATE_LIMIT_SCALE = 0


def test_a_kept_page_has_the_same_bytes_and_headers_as_django(
    cast: Cast, django_app: Counting, fast: ThreadPageFastPath
) -> None:
    _comment(cast, "The first comment on this story.")
    path = f"/stories/{cast.story.pk}/"
    from_django = get(django_app, path)
    calls = django_app.calls
    first = get(fast, path)  # reaches Django, and is kept
    assert django_app.calls == calls + 1
    second = get(fast, path)  # answered by the fast path
    assert django_app.calls == calls + 1
    assert first == second
    status, headers, body = second
    assert status == 200
    assert b"The first comment on this story." in body
    # Identical to Django's own response, security headers included.
    assert headers == from_django[1]
    assert body == from_django[2]
    names = {name for name, _ in headers}
    for name in (*SECURITY_HEADERS, b"etag", b"cache-control", b"surrogate-key"):
        assert name in names, name
    assert dict(headers)[b"x-frame-options"] == b"DENY"
    assert b"frame-ancestors 'none'" in dict(headers)[b"content-security-policy"]


def test_the_embedded_thread_keeps_its_own_framing_headers(
    cast: Cast, settings: Any, django_app: Counting, fast: ThreadPageFastPath
) -> None:
    settings.PARLEY_EMBED_ORIGINS = ("https://www.publisher.example",)
    path = f"/embed/stories/{cast.story.pk}/"
    from_django = get(django_app, path)
    get(fast, path)
    calls = django_app.calls
    status, headers, body = get(fast, path)
    assert django_app.calls == calls
    assert (status, headers, body) == from_django
    assert b"x-frame-options" not in dict(headers)
    assert b"https://www.publisher.example" in dict(headers)[b"content-security-policy"]


def test_a_posted_comment_is_on_the_next_page_served(
    cast: Cast, django_app: Counting, fast: ThreadPageFastPath
) -> None:
    path = f"/stories/{cast.story.pk}/"
    get(fast, path)
    _, before_headers, before_body = get(fast, path)
    calls = django_app.calls
    _comment(cast, "A comment posted after the page was kept.")
    status, headers, body = get(fast, path)
    assert status == 200
    assert django_app.calls == calls + 1  # the kept copy was not used
    assert b"A comment posted after the page was kept." in body
    assert b"A comment posted after the page was kept." not in before_body
    assert dict(headers)[b"etag"] != dict(before_headers)[b"etag"]
    # ... and the new page is kept in turn, with its security headers.
    assert get(fast, path) == (status, headers, body)
    assert django_app.calls == calls + 1
    for name in SECURITY_HEADERS:
        assert dict(headers)[name] == dict(before_headers)[name]


def test_a_withdrawn_comment_and_a_closed_story_invalidate(
    cast: Cast, django_app: Counting, fast: ThreadPageFastPath
) -> None:
    comment = _comment(cast, "A comment its author will withdraw.")
    path = f"/stories/{cast.story.pk}/"
    get(fast, path)
    assert b"A comment its author will withdraw." in get(fast, path)[2]
    withdraw_comment(commenter=cast.reader, comment=comment)
    calls = django_app.calls
    assert b"A comment its author will withdraw." not in get(fast, path)[2]
    assert django_app.calls == calls + 1
    etag = dict(get(fast, path)[1])[b"etag"]
    update_story_comments(actor=cast.staff, story=cast.story, comments_open=False)
    _, headers, _ = get(fast, path)
    assert django_app.calls == calls + 2
    assert dict(headers)[b"etag"] != etag


def test_if_none_match_gets_the_same_304_as_django(
    cast: Cast, django_app: Counting, fast: ThreadPageFastPath
) -> None:
    path = f"/stories/{cast.story.pk}/"
    _, headers, _ = get(fast, path)
    etag = dict(headers)[b"etag"]
    django_304 = get(django_app, path, [(b"if-none-match", etag)])
    calls = django_app.calls
    fast_304 = get(fast, path, [(b"if-none-match", etag)])
    assert django_app.calls == calls
    assert fast_304[0] == django_304[0] == 304
    assert fast_304[2] == b""
    assert sorted(fast_304[1]) == sorted(django_304[1])


def test_sessions_credentials_and_other_methods_go_to_django(
    cast: Cast, django_app: Counting, fast: ThreadPageFastPath
) -> None:
    path = f"/stories/{cast.story.pk}/"
    get(fast, path)
    get(fast, path)
    calls = django_app.calls
    get(fast, path, [(b"cookie", b"sessionid=abc")])
    get(fast, path, [(b"authorization", b"Bearer x")])
    get(fast, f"/stories/{cast.story.pk + 1000}/")  # no such story: Django's 404
    assert django_app.calls == calls + 3
    # Another language is another page.
    get(fast, path, [(b"accept-language", b"fr")])
    assert django_app.calls == calls + 4
    # A page is reused only for the same cookies (one that held a CSRF token stays its own).
    get(fast, path, [(b"cookie", b"csrftoken=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")])
    get(fast, path, [(b"cookie", b"csrftoken=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")])
    assert django_app.calls == calls + 5
    get(fast, path, [(b"cookie", b"csrftoken=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")])
    assert django_app.calls == calls + 6


def test_a_read_never_answers_a_request_that_arrived_after_it_started() -> None:
    started: list[list[int]] = []
    release = asyncio.Event()
    version = {"v": 1}

    async def fetch(ids: list[int]) -> dict[int, Row]:
        started.append(ids)
        seen = version["v"]
        await release.wait()
        return dict.fromkeys(ids, (seen, True, None))

    async def scenario() -> tuple[Row, Row, Row]:
        batcher = StateBatcher(fetch)
        first = asyncio.create_task(batcher.state(1))
        together = asyncio.create_task(batcher.state(1))
        await asyncio.sleep(0)  # the first read starts, for both
        await asyncio.sleep(0)
        version["v"] = 2  # a write commits while that read is in flight ...
        late = asyncio.create_task(batcher.state(1))  # ... and then this request arrives
        await asyncio.sleep(0)
        release.set()
        return await first, await together, await late

    first, together, late = asyncio.run(scenario())
    assert first == together == (1, True, None)
    assert late == (2, True, None)  # a second read, started after it arrived
    assert len(started) == 2


def test_the_sqlite_reader_sees_each_commit(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    table = Story._meta.db_table
    with sqlite3.connect(path) as db:
        db.execute(
            f'CREATE TABLE "{table}" (id integer primary key, thread_version integer, '
            "comments_open bool, closes_at datetime)"
        )
        db.execute(f'INSERT INTO "{table}" VALUES (7, 3, 1, NULL)')  # noqa: S608
        db.execute(f"INSERT INTO \"{table}\" VALUES (8, 1, 1, '2030-01-01 00:00:00')")  # noqa: S608
    fetch = state_fetch_for({"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)})
    rows = asyncio.run(fetch([7, 8, 9]))
    assert rows[7] == (3, True, None)
    assert rows[8][0] == 1 and rows[8][2] is not None and rows[8][2].tzinfo is not None
    assert 9 not in rows
    with sqlite3.connect(path) as db:
        db.execute(f'UPDATE "{table}" SET thread_version = 4 WHERE id = 7')  # noqa: S608
    assert asyncio.run(fetch([7]))[7] == (4, True, None)


@pytest.mark.postgres
def test_the_postgres_reader_sees_each_commit(cast: Cast) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from django.conf import settings

    fetch = state_fetch_for(settings.DATABASES["default"])

    async def read() -> Row:
        return (await fetch([cast.story.pk]))[cast.story.pk]

    before = async_to_sync(read)()
    assert before is not None
    _comment(cast, "Committed, then read on the fast path's own connection.")
    after = async_to_sync(read)()
    assert after is not None and after[0] == before[0] + 1


def test_concurrent_requests_for_a_cold_page_render_it_once(
    cast: Cast, django_app: Counting, fast: ThreadPageFastPath
) -> None:
    path = f"/stories/{cast.story.pk}/"

    async def together() -> list[Any]:
        return list(await asyncio.gather(*(request(fast, path) for _ in range(8))))

    answers = async_to_sync(together)()
    assert django_app.calls == 1
    assert all(answer == answers[0] for answer in answers)
    assert answers[0][0] == 200
