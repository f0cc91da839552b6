"""Server-Sent Events for one story: published, edited and removed comments, open/close."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from parley.realtime.backends import get_backend
from parley.realtime.publish import story_channel

HEARTBEAT_SECONDS = 15.0
# Streams end after a while so that load balancers rebalance and clients pick up new code;
# EventSource reconnects on its own after `retry`.
MAX_STREAM_SECONDS = 600.0


def format_event(event_type: str, data: dict[str, Any]) -> str:
    return f"event: {event_type}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


async def story_events(
    story_id: int,
    hello: dict[str, Any],
    *,
    heartbeat: float = HEARTBEAT_SECONDS,
    max_seconds: float = MAX_STREAM_SECONDS,
) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max_seconds
    async with get_backend().subscription(story_channel(story_id)) as queue:
        # Sent once the subscription is live, so nothing published after it is missed.
        yield "retry: 5000\n" + format_event("hello", hello)
        while (remaining := deadline - loop.time()) > 0:
            try:
                event = await asyncio.wait_for(queue.get(), timeout=min(heartbeat, remaining))
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            yield format_event(str(event.get("type", "message")), event)
