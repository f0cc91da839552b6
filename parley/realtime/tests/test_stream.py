"""Live readers hear about comments after they commit, through whichever backend is set."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.test import AsyncClient

from conftest import Cast
from parley.comments.actions import post_comment, withdraw_comment
from parley.realtime.backends import reset_backend
from parley.realtime.streams import story_events

pytestmark = pytest.mark.django_db(transaction=True)


def parse(chunk: bytes | str) -> tuple[str, dict[str, object]]:
    text = chunk.decode() if isinstance(chunk, bytes) else chunk
    lines = [line for line in text.splitlines() if line and not line.startswith("retry:")]
    event = next(line[7:] for line in lines if line.startswith("event: "))
    data = json.loads(next(line[6:] for line in lines if line.startswith("data: ")))
    return event, data


def test_stream_delivers_published_and_removed_comments(cast: Cast) -> None:
    reset_backend()

    async def scenario() -> list[tuple[str, dict[str, object]]]:
        response = await AsyncClient().get(f"/api/v1/stories/{cast.story.pk}/stream")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/event-stream"
        stream = response.streaming_content.__aiter__()  # type: ignore[attr-defined]
        received = [parse(await asyncio.wait_for(stream.__anext__(), 5))]
        result = await sync_to_async(post_comment)(
            commenter=cast.reader, story=cast.story, body="Live!", accept_terms="2026-01"
        )
        received.append(parse(await asyncio.wait_for(stream.__anext__(), 5)))
        await sync_to_async(withdraw_comment)(commenter=cast.reader, comment=result.comment)
        received.append(parse(await asyncio.wait_for(stream.__anext__(), 5)))
        await stream.aclose()
        await sync_to_async(connections.close_all)()
        return received

    events = asyncio.run(scenario())
    assert events[0][0] == "hello"
    assert events[0][1]["comments_open"] is True
    assert events[1][0] == "comment.published"
    assert events[2][0] == "comment.removed"
    assert events[1][1]["comment"] == events[2][1]["comment"]


def test_stream_for_unknown_story_is_a_problem(cast: Cast) -> None:
    async def scenario() -> int:
        response = await AsyncClient().get("/api/v1/stories/999999/stream")
        await sync_to_async(connections.close_all)()
        return response.status_code

    assert asyncio.run(scenario()) == 404


def test_stream_sends_keep_alives_and_ends(cast: Cast) -> None:
    reset_backend()

    async def scenario() -> list[str]:
        chunks = []
        async for chunk in story_events(
            cast.story.pk, {"story": cast.story.pk}, heartbeat=0.01, max_seconds=0.05
        ):
            chunks.append(chunk)
        return chunks

    chunks = asyncio.run(scenario())
    assert chunks[0].startswith("retry: 5000\nevent: hello")
    assert ": keep-alive\n\n" in chunks[1:]


def test_stream_under_wsgi_says_no_content_instead_of_hanging(cast: Cast) -> None:
    from django.test import Client

    response = Client().get(f"/api/v1/stories/{cast.story.pk}/stream")
    assert response.status_code == 204
    assert response["X-Parley-Stream"] == "needs-asgi"
