"""What happens after a comment change commits: live readers hear of it, background work
(scoring, campaign detection) is enqueued by the intake listeners."""

from __future__ import annotations

import logging

from parley.comments import intake
from parley.comments.models import Comment, CommentStatus
from parley.realtime.publish import publish_story_event
from parley.realtime.purge import purge_story

logger = logging.getLogger(__name__)


def comment_changed(comment_id: int, kind: str) -> None:
    comment = (
        Comment.objects.filter(pk=comment_id).only("id", "story_id", "status", "parent_id").first()
    )
    if comment is None:
        return
    if kind in {"withdrawn", "removed"} or comment.status != CommentStatus.PUBLISHED:
        event_type = "comment.removed"
    elif kind == "edited":
        event_type = "comment.edited"
    else:
        event_type = "comment.published"
    publish_story_event(
        comment.story_id,
        {"type": event_type, "comment": comment.pk, "parent": comment.parent_id},
    )
    purge_story(comment.story_id)  # the CDN's copy; Parley's cache keys on thread_version
    if kind in {"created", "edited"}:
        try:
            intake.notify(comment_id, kind)
        except Exception:
            # Background work is best effort here; the comment is already committed and
            # the worker's periodic sweep picks up anything unscored.
            logger.exception("intake listeners failed for comment %s", comment_id)


def comment_reported(comment_id: int) -> None:
    logger.info("comment %s reported", comment_id)
