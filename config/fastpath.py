"""The hot path for thread pages: an ASGI wrapper in front of Django.

Story pages and embedded threads (`/stories/<id>/`, `/embed/stories/<id>/`) are the same bytes
for every reader until the story's `thread_version` changes (every visible change bumps it in
the same transaction). Django renders such a page once and caches it (parley.embed.views); this
wrapper keeps the *whole* response Django produced for a GET (status 200, ETag, public
Cache-Control, no Set-Cookie): its exact headers, the security headers included, and its body,
tagged with the story state (thread version, open state) read *before* Django ran. A later GET
with the same path, query, host and language inputs is answered from that copy without the
middleware stack or the view, but only after reading the story's current state from the
database and finding it equal to the tag; anything else goes to Django, which refreshes the
copy. A matching If-None-Match gets a 304 with the same headers, less the body's.

Why this is never stale: the tag was read before Django read the state it rendered, and
versions only grow, so the copy is at least as new as its tag; serving needs the state read
now to equal the tag, so the copy is exactly current. Each request's state read starts after
the request arrived: concurrent requests share one read (one query for the stories named by
every request waiting when it starts), and a request that arrives while a read is in flight
waits for the next one. A comment acknowledged before a GET arrives is therefore on the page.

The state read is one indexed query on a connection of its own: sqlite3 on the event loop
(microseconds) for a SQLite file, an async psycopg connection for PostgreSQL, and Django's ORM
in a thread for anything else. Any error sends the request to Django.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

logger = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[Any]]
Send = Callable[[Any], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
# (thread_version, comments_open, closes_at) of one story, or None when there is no such story.
Row = tuple[int, bool, datetime | None] | None
StateFetch = Callable[[list[int]], Awaitable[dict[int, Row]]]

PAGE_PATH = re.compile(rb"^/(?:embed/)?stories/([0-9]{1,18})/$")
MAX_ENTRIES = 512
FILL_WAIT_SECONDS = 10.0  # a request waits at most this long for another's render
MAX_AGE_SECONDS = 60.0  # article and terms edits do not bump thread_version: bound their age


@dataclass(frozen=True)
class Entry:
    tag: tuple[int, bool]  # (thread_version, open now) read before Django rendered the page
    stored_at: float
    etag: bytes
    headers: list[tuple[bytes, bytes]]
    not_modified_headers: list[tuple[bytes, bytes]]
    body: bytes


def _open_now(comments_open: bool, closes_at: datetime | None) -> bool:
    from parley.core import clock

    return bool(comments_open) and (closes_at is None or clock.now() < closes_at)


def _etag_matches(header: bytes, etag: bytes) -> bool:
    """Weak comparison (RFC 9110 §8.8.3.2), as parley.embed.views does it."""
    candidates = {part.strip() for part in header.split(b",")}
    return b"*" in candidates or etag in candidates or etag.removeprefix(b"W/") in candidates


class StateBatcher:
    """Reads story states for concurrent requests in shared queries, never reusing a read that
    started before a request arrived."""

    def __init__(self, fetch: StateFetch) -> None:
        self._fetch = fetch
        self._waiting: dict[int, list[asyncio.Future[Row]]] = {}
        self._running = False

    async def state(self, story_id: int) -> Row:
        future: asyncio.Future[Row] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(story_id, []).append(future)
        if not self._running:
            self._running = True
            asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, {}
                try:
                    rows = await self._fetch(list(batch))
                except Exception as error:
                    for futures in batch.values():
                        for future in futures:
                            if not future.done():
                                future.set_exception(error)
                    continue
                for story_id, futures in batch.items():
                    row = rows.get(story_id)
                    for future in futures:
                        if not future.done():
                            future.set_result(row)
        finally:
            self._running = False


def _story_columns() -> tuple[str, str, str, str, str]:
    from parley.stories.models import Story

    meta = Story._meta
    names = [
        meta.pk.column,
        *(meta.get_field(name).column for name in ("thread_version", "comments_open", "closes_at")),  # type: ignore[union-attr]
    ]
    pk, version, comments_open, closes_at = (str(name) for name in names)
    return meta.db_table, pk, version, comments_open, closes_at


def _sqlite_fetch(path: str) -> StateFetch:
    import sqlite3

    table, pk, version, open_, closes = _story_columns()
    holder: dict[str, sqlite3.Connection] = {}

    async def fetch(ids: list[int]) -> dict[int, Row]:
        conn = holder.get("c")
        if conn is None:
            # Autocommit: every SELECT is its own read transaction and sees the latest commit.
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5)
            conn.execute("PRAGMA query_only = 1")
            holder["c"] = conn
        marks = ",".join("?" * len(ids))
        try:
            rows = conn.execute(
                f'SELECT "{pk}", "{version}", "{open_}", "{closes}" FROM "{table}" '  # noqa: S608
                f'WHERE "{pk}" IN ({marks})',
                ids,
            ).fetchall()
        except sqlite3.Error:
            holder.pop("c", None)
            conn.close()
            raise
        found: dict[int, Row] = {}
        for row_id, row_version, row_open, row_closes in rows:
            closes_at = None
            if row_closes is not None:
                closes_at = datetime.fromisoformat(str(row_closes))
                if closes_at.tzinfo is None:
                    closes_at = closes_at.replace(tzinfo=UTC)
            found[int(row_id)] = (int(row_version), bool(row_open), closes_at)
        return found

    return fetch


def _postgres_fetch(database: dict[str, Any]) -> StateFetch:
    import psycopg

    table, pk, version, open_, closes = _story_columns()
    query = (
        f'SELECT "{pk}", "{version}", "{open_}", "{closes}" FROM "{table}" '  # noqa: S608
        f'WHERE "{pk}" = ANY(%s)'
    )
    params: dict[str, Any] = {"dbname": database.get("NAME") or None}
    for key, name in (("USER", "user"), ("PASSWORD", "password"), ("HOST", "host")):
        if database.get(key):
            params[name] = database[key]
    if database.get("PORT"):
        params["port"] = int(database["PORT"])
    for key, value in (database.get("OPTIONS") or {}).items():
        # libpq options (sslmode, ...); Django's own (pool, isolation_level, ...) are not.
        if key not in {"pool", "isolation_level", "server_side_binding", "assume_role"}:
            params[key] = value
    holder: dict[str, psycopg.AsyncConnection[Any]] = {}

    async def fetch(ids: list[int]) -> dict[int, Row]:
        conn = holder.get("c")
        if conn is None or conn.closed:
            conn = await psycopg.AsyncConnection.connect(autocommit=True, **params)
            holder["c"] = conn
        try:
            cursor = await conn.execute(query, (ids,), prepare=True)
            rows = await cursor.fetchall()
        except psycopg.Error:
            holder.pop("c", None)
            await conn.close()
            raise
        return {int(r[0]): (int(r[1]), bool(r[2]), r[3]) for r in rows}

    return fetch


def _orm_fetch() -> StateFetch:
    from asgiref.sync import sync_to_async

    def read(ids: list[int]) -> dict[int, Row]:
        from parley.stories.models import Story

        rows = Story.objects.filter(pk__in=ids).values_list(
            "pk", "thread_version", "comments_open", "closes_at"
        )
        return {pk: (version, is_open, closes) for pk, version, is_open, closes in rows}

    return sync_to_async(read, thread_sensitive=True)


def state_fetch_for(database: dict[str, Any]) -> StateFetch:
    engine = database.get("ENGINE", "")
    name = str(database.get("NAME") or "")
    in_memory = ":memory:" in name or "mode=memory" in name
    if engine == "django.db.backends.sqlite3" and name and not in_memory:
        return _sqlite_fetch(name)
    if engine == "django.db.backends.postgresql":
        return _postgres_fetch(database)
    return _orm_fetch()


class ThreadPageFastPath:
    """ASGI middleware: see the module's docstring."""

    def __init__(self, app: ASGIApp, fetch: StateFetch | None = None) -> None:
        self.app = app
        self._fetch = fetch
        self._batcher: StateBatcher | None = None
        self._entries: OrderedDict[tuple[Any, ...], Entry] = OrderedDict()
        # Pages being rendered by Django right now: key -> (tag, done when the render ends).
        self._filling: dict[tuple[Any, ...], tuple[tuple[int, bool], asyncio.Future[None]]] = {}
        self._allowed_cookies: frozenset[bytes] = frozenset()

    def _setup(self) -> StateBatcher:
        from django.conf import settings

        if self._fetch is None:
            self._fetch = state_fetch_for(dict(settings.DATABASES["default"]))
        # Only these cookies may come with a page served here; their values are part of the
        # key, so a page is only ever reused for the same cookies (a page that embedded a
        # CSRF token would never be shown to someone else).
        self._allowed_cookies = frozenset(
            {settings.LANGUAGE_COOKIE_NAME.encode(), settings.CSRF_COOKIE_NAME.encode()}
        )
        self._batcher = StateBatcher(self._fetch)
        return self._batcher

    def clear(self) -> None:
        self._entries.clear()

    def _key(self, scope: Scope, story_id: int) -> tuple[Any, ...] | None:
        host = accept_language = cookies = forwarded = b""
        for name, value in scope.get("headers", ()):
            if name == b"host":
                host = value
            elif name.startswith(b"x-forwarded-") or name == b"forwarded":
                forwarded += name + b"=" + value + b";"  # proxies' headers can change a page
            elif name == b"accept-language":
                accept_language = value
            elif name == b"cookie":
                for part in value.split(b";"):
                    if part.strip().partition(b"=")[0] not in self._allowed_cookies:
                        return None  # a session or other cookie: Django decides
                cookies += value + b";"
            elif name == b"authorization":
                return None
        return (
            story_id,
            scope["path"],
            scope.get("query_string", b""),
            scope.get("scheme", "http"),
            host,
            forwarded,
            accept_language,
            cookies,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        match = PAGE_PATH.match(scope.get("raw_path") or scope["path"].encode())
        if match is None or scope.get("root_path"):
            await self.app(scope, receive, send)
            return
        batcher = self._batcher or self._setup()
        story_id = int(match.group(1))
        key = self._key(scope, story_id)
        if key is None:
            await self.app(scope, receive, send)
            return
        try:
            row = await batcher.state(story_id)
        except Exception:
            logger.warning("thread page fast path: state read failed", exc_info=True)
            await self.app(scope, receive, send)
            return
        if row is None:
            await self.app(scope, receive, send)  # no such story: Django's 404
            return
        tag = (row[0], _open_now(row[1], row[2]))
        entry = self._fresh(key, tag)
        if entry is None:
            filling = self._filling.get(key)
            if filling is not None and filling[0] == tag:
                # Another request is rendering this very version: wait for it rather than
                # render the same page again (a cold page under load would otherwise be
                # rendered by every concurrent request at once: CPU and memory spikes).
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(asyncio.shield(filling[1]), FILL_WAIT_SECONDS)
                entry = self._fresh(key, tag)
        if entry is not None:
            await self._serve(scope, send, entry)
            return
        await self._pass_and_keep(scope, receive, send, key, tag)

    def _fresh(self, key: tuple[Any, ...], tag: tuple[int, bool]) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None or entry.tag != tag:
            return None
        if time.monotonic() - entry.stored_at >= MAX_AGE_SECONDS:
            return None
        return entry

    async def _serve(self, scope: Scope, send: Send, entry: Entry) -> None:
        for name, value in scope.get("headers", ()):
            if name == b"if-none-match" and _etag_matches(value, entry.etag):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 304,
                        "headers": entry.not_modified_headers,
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return
        await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
        await send({"type": "http.response.body", "body": entry.body})

    async def _pass_and_keep(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        key: tuple[Any, ...],
        tag: tuple[int, bool],
    ) -> None:
        started: dict[str, Any] = {}
        chunks: list[bytes] = []
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        owner = key not in self._filling or self._filling[key][0] != tag
        if owner:
            self._filling[key] = (tag, done)

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._keep(key, tag, started, b"".join(chunks))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            if owner:
                current = self._filling.get(key)
                if current is not None and current[1] is done:
                    del self._filling[key]
                done.set_result(None)

    def _keep(
        self, key: tuple[Any, ...], tag: tuple[int, bool], started: dict[str, Any], body: bytes
    ) -> None:
        if started.get("status") != 200 or started.get("trailers"):
            return
        headers = [(bytes(n).lower(), bytes(v)) for n, v in started.get("headers", ())]
        names = {name for name, _ in headers}
        cache_control = b",".join(v for n, v in headers if n == b"cache-control").lower()
        etags = [v for n, v in headers if n == b"etag"]
        if (
            b"set-cookie" in names
            or b"public" not in cache_control
            or b"private" in cache_control
            or b"no-store" in cache_control
            or len(etags) != 1
        ):
            return
        kept = self._entries.get(key)
        if kept is not None and kept.tag[0] > tag[0]:
            return  # a slower render of an older version finished last: keep the newer
        vary = b",".join(v for n, v in headers if n == b"vary").lower()
        if any(
            part.strip() not in {b"accept-language", b"cookie", b""} for part in vary.split(b",")
        ):
            return
        self._entries[key] = Entry(
            tag=tag,
            stored_at=time.monotonic(),
            etag=etags[0],
            headers=headers,
            # As Django answers a matching If-None-Match: no Content-Type, an empty body.
            not_modified_headers=[
                (name, b"0" if name == b"content-length" else value)
                for name, value in headers
                if name != b"content-type"
            ],
            body=body,
        )
        self._entries.move_to_end(key)
        while len(self._entries) > MAX_ENTRIES:
            self._entries.popitem(last=False)


def wrap(app: ASGIApp, *, enabled: bool = True) -> ASGIApp:
    return ThreadPageFastPath(app) if enabled else app
