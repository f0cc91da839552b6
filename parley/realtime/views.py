from __future__ import annotations

from asgiref.sync import sync_to_async
from django.http import HttpRequest, StreamingHttpResponse

from parley.core import clock
from parley.realtime.streams import story_events
from parley.stories.models import Story
from parley.stories.selectors import get_story


def _hello(story: Story) -> dict[str, object]:
    return {
        "story": story.pk,
        "comments_open": story.accepts_comments_at(clock.now()),
        "comment_count": story.comment_count,
        "thread_version": story.thread_version,
    }


async def story_stream(request: HttpRequest, story_id: int) -> StreamingHttpResponse:
    story = await sync_to_async(get_story)(story_id)
    response = StreamingHttpResponse(
        story_events(story.pk, _hello(story)), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response
