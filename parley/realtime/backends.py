"""Realtime fan-out backends: how an event published by one process reaches the SSE streams of
all processes. Chosen with PARLEY_REALTIME_BACKEND (a dotted path), like Django's cache
backends. Events are published after commit; losing one never loses data (clients re-fetch)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import AsyncIterator
from typing import Any

logger = logging.getLogger(__name__)

Event = dict[str, Any]


class RealtimeBackend:
    def publish(self, channel: str, event: Event) -> None:
        raise NotImplementedError

    def subscription(
        self, channel: str
    ) -> contextlib.AbstractAsyncContextManager[asyncio.Queue[Event]]:
        """An async context manager: once entered, the subscription is live and events
        published to `channel` arrive on the yielded queue."""
        raise NotImplementedError


class LocalBackend(RealtimeBackend):
    """One process: streams in this process see events published in this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[
            str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Event]]]
        ] = {}

    def publish(self, channel: str, event: Event) -> None:
        with self._lock:
            targets = list(self._subscribers.get(channel, ()))
        for loop, queue in targets:
            with contextlib.suppress(RuntimeError):  # that subscriber's loop has closed
                loop.call_soon_threadsafe(_offer, queue, event)

    @contextlib.asynccontextmanager
    async def subscription(self, channel: str) -> AsyncIterator[asyncio.Queue[Event]]:
        queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=1000)
        entry = (asyncio.get_running_loop(), queue)
        with self._lock:
            self._subscribers.setdefault(channel, set()).add(entry)
        try:
            yield queue
        finally:
            with self._lock:
                self._subscribers.get(channel, set()).discard(entry)


def _offer(queue: asyncio.Queue[Event], event: Event) -> None:
    # A reader too slow to keep 1,000 events queued misses some; it re-fetches on reconnect.
    with contextlib.suppress(asyncio.QueueFull):
        queue.put_nowait(event)


class RedisBackend(RealtimeBackend):
    """Several processes or machines: Redis pub/sub. Publishing failures are logged, not
    raised: Redis is never on the durability path."""

    def __init__(self) -> None:
        from django.conf import settings

        self.url: str = settings.PARLEY_REDIS_URL or "redis://127.0.0.1:6379/0"
        self._client: Any = None

    def _sync_client(self) -> Any:
        import redis

        if self._client is None:
            self._client = redis.Redis.from_url(
                self.url, socket_timeout=1, socket_connect_timeout=1
            )
        return self._client

    def publish(self, channel: str, event: Event) -> None:
        import redis

        try:
            self._sync_client().publish(f"parley:{channel}", json.dumps(event))
        except redis.RedisError:
            logger.warning("realtime publish to %s failed", channel, exc_info=True)

    @contextlib.asynccontextmanager
    async def subscription(self, channel: str) -> AsyncIterator[asyncio.Queue[Event]]:
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(self.url)
        pubsub = client.pubsub()
        await pubsub.subscribe(f"parley:{channel}")
        queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=1000)

        async def pump() -> None:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    _offer(queue, json.loads(message["data"]))

        task = asyncio.create_task(pump())
        try:
            yield queue
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            await pubsub.aclose()
            await client.aclose()


_backend: RealtimeBackend | None = None
_backend_lock = threading.Lock()


def get_backend() -> RealtimeBackend:
    global _backend
    with _backend_lock:
        if _backend is None:
            from django.conf import settings
            from django.utils.module_loading import import_string

            _backend = import_string(settings.PARLEY_REALTIME_BACKEND)()
        return _backend


def reset_backend() -> None:
    global _backend
    with _backend_lock:
        _backend = None
