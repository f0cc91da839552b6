"""What stories announce after commit."""

from __future__ import annotations

import logging
from datetime import datetime

from django_tasks.exceptions import InvalidTaskError

from parley.realtime.publish import publish_story_event
from parley.realtime.purge import purge_story

logger = logging.getLogger(__name__)


def story_state_changed(story_id: int, *, open_now: bool) -> None:
    publish_story_event(
        story_id, {"type": "story.open" if open_now else "story.closed", "story": story_id}
    )
    purge_story(story_id)  # the CDN's copy; Parley's cache keys on thread_version


def schedule_close_announcement(story_id: int, closes_at: datetime) -> None:
    """Ask the worker to flip the story and tell live readers when the scheduled close passes."""
    from parley.stories.tasks import close_due_stories_task

    try:
        close_due_stories_task.using(run_after=closes_at).enqueue()
    except InvalidTaskError:  # a backend without deferral (tests, the immediate backend)
        logger.info("deferred close announcement unsupported by this task backend")
