"""Realtime fan-out backends: how an event published by one process reaches the SSE streams of
all processes. Chosen with PARLEY_REALTIME_BACKEND (a dotted path), like Django's cache
backends. Events are published after commit; losing one never loses data (clients re-fetch)."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator
from typing import Any

logger = logging.getLogger(__name__)


class RealtimeBackend:
    def publish(self, channel: str, event: dict[str, Any]) -> None:
        raise NotImplementedError

    def subscribe(self, channel: str) -> AsyncIterator[dict[str, Any]]:
        raise NotImplementedError


class LocalBackend(RealtimeBackend):
    """One process: streams in this process see events published in this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Any]]]] = {}

    def publish(self, channel: str, event: dict[str, Any]) -> None:
        with self._lock:
            targets = list(self._subscribers.get(channel, ()))
        for loop, queue in targets:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, event)
            except RuntimeError:  # the loop has closed; its subscriber is gone
                continue

    async def subscribe(self, channel: str) -> AsyncIterator[dict[str, Any]]:  # type: ignore[override]
        queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=1000)
        entry = (asyncio.get_running_loop(), queue)
        with self._lock:
            self._subscribers.setdefault(channel, set()).add(entry)
        try:
            while True:
                yield await queue.get()
        finally:
            with self._lock:
                self._subscribers.get(channel, set()).discard(entry)


class RedisBackend(RealtimeBackend):
    """Several processes or machines: Redis pub/sub. Publishing failures are logged, not raised:
    Redis is never on the durability path."""

    def __init__(self) -> None:
        from django.conf import settings

        self.url = settings.PARLEY_REDIS_URL

    def publish(self, channel: str, event: dict[str, Any]) -> None:
        import redis

        try:
            client = redis.Redis.from_url(self.url, socket_timeout=1)
            client.publish(f"parley:{channel}", json.dumps(event))
            client.close()
        except redis.RedisError:
            logger.warning("realtime publish to %s failed", channel, exc_info=True)

    async def subscribe(self, channel: str) -> AsyncIterator[dict[str, Any]]:  # type: ignore[override]
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(self.url)
        pubsub = client.pubsub()
        await pubsub.subscribe(f"parley:{channel}")
        try:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    yield json.loads(message["data"])
        finally:
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
