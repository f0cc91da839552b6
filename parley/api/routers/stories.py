from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from parley.api.auth import AUTH, principal
from parley.api.schemas import CountsOut, StoryIn, StoryOut, StoryPatch
from parley.api.serializers import story_out
from parley.communities.selectors import get_community_by_slug
from parley.core import clock
from parley.core.errors import ParleyError
from parley.realtime.streams import story_events
from parley.stories.actions import create_story, update_story_comments
from parley.stories.selectors import counts_for_urls, get_story, get_story_by_url

router = Router(tags=["stories"])


@router.post("/stories", response={201: StoryOut}, auth=AUTH, summary="Create a story (staff)")
def stories_create(request: HttpRequest, payload: StoryIn) -> Status[dict[str, Any]]:
    actor = principal(request).actor
    community = get_community_by_slug(payload.community)
    _check_url(payload.url)
    story = create_story(
        actor=actor,
        community=community,
        url=payload.url,
        title=payload.title,
        dek=payload.dek,
        byline=payload.byline,
        section=payload.section,
        published_at=payload.published_at,
    )
    return Status(201, story_out(get_story(story.pk)))


def _check_url(url: str) -> None:
    if not url.startswith(("https://", "http://")):
        raise ParleyError(
            "invalid_url",
            _("A story URL must start with https:// or http://."),
            status=422,
            errors={"url": [_("Not an absolute http(s) URL.")]},
        )


@router.get("/stories", response=StoryOut, summary="Find a story by its URL")
def stories_by_url(request: HttpRequest, url: str) -> dict[str, Any]:
    return story_out(get_story_by_url(url))


@router.get("/stories/{story_id}", response=StoryOut, summary="A story and its comment state")
def stories_get(request: HttpRequest, story_id: int) -> dict[str, Any]:
    return story_out(get_story(story_id))


@router.patch(
    "/stories/{story_id}", response=StoryOut, auth=AUTH, summary="Open, close or schedule (staff)"
)
def stories_patch(request: HttpRequest, story_id: int, payload: StoryPatch) -> dict[str, Any]:
    actor = principal(request).actor
    story = get_story(story_id)
    fields = payload.model_fields_set
    update_story_comments(
        actor=actor,
        story=story,
        comments_open=payload.comments_open,
        closes_at=payload.closes_at,
        clear_closes_at="closes_at" in fields and payload.closes_at is None,
        moderation=payload.moderation,
    )
    return story_out(get_story(story_id))


@router.get("/counts", response=CountsOut, summary="Published comment counts for story URLs")
def counts(request: HttpRequest, url: list[str] = Query(...)) -> dict[str, Any]:  # noqa: B008
    maximum = settings.PARLEY_LIMITS["counts_max_urls"]
    if len(url) > maximum:
        raise ParleyError(
            "too_many_urls",
            _("Ask for at most %(max)d URLs at once.") % {"max": maximum},
            errors={"url": [_("Too many values.")]},
        )
    return {"counts": counts_for_urls(url)}


@router.get(
    "/stories/{story_id}/stream",
    summary="Live events (Server-Sent Events)",
    description=(
        "A text/event-stream of `hello` (story state), `comment.published`, `comment.edited`, "
        "`comment.removed`, `story.open` and `story.closed` events. Each event names the "
        "comment; clients fetch it from /comments/{id}. Streams end after ten minutes and "
        "EventSource reconnects on its own."
    ),
    response={200: None},
)
async def stories_stream(request: HttpRequest, story_id: int) -> Any:
    story = await sync_to_async(get_story)(story_id)
    if not isinstance(request, ASGIRequest):
        # Under WSGI an endless stream would tie up a worker (and Django would buffer it), so
        # answer 204, which tells EventSource not to reconnect. `parley serve` is ASGI.
        return HttpResponse(status=204, headers={"X-Parley-Stream": "needs-asgi"})
    hello = {
        "story": story.pk,
        "comments_open": story.accepts_comments_at(clock.now()),
        "comment_count": story.comment_count,
        "thread_version": story.thread_version,
    }
    response = StreamingHttpResponse(
        story_events(story.pk, hello), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response
