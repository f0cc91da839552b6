"""What happens after a comment change commits: live readers hear of it, background work
(scoring, campaign detection) is enqueued by the intake listeners."""

from __future__ import annotations

import logging

from parley.comments import intake
from parley.comments.models import Comment, CommentStatus
from parley.realtime.publish import publish_story_event
from parley.realtime.purge import purge_story

logger = logging.getLogger(__name__)


def comment_changed(
    comment_id: int, kind: str, *, known: tuple[int, str, int | None] | None = None
) -> None:
    """`known` is (story_id, status, parent_id) as just committed, from a caller that has them
    in hand (posting); without it they are read back."""
    if known is None:
        row = next(
            iter(
                Comment.objects.filter(pk=comment_id).values_list(
                    "story_id", "status", "parent_id"
                )[:1]
            ),
            None,
        )
        if row is None:
            return
        known = row
    story_id, status, parent_id = known
    if kind in {"withdrawn", "removed"} or status != CommentStatus.PUBLISHED:
        event_type = "comment.removed"
    elif kind == "edited":
        event_type = "comment.edited"
    else:
        event_type = "comment.published"
    publish_story_event(
        story_id,
        {"type": event_type, "comment": comment_id, "parent": parent_id},
    )
    purge_story(story_id)  # the CDN's copy; Parley's cache keys on thread_version
    if kind in {"created", "edited"}:
        try:
            intake.notify(comment_id, kind)
        except Exception:
            # Background work is best effort here; the comment is already committed and
            # the worker's periodic sweep picks up anything unscored.
            logger.exception("intake listeners failed for comment %s", comment_id)


def comment_reported(comment_id: int) -> None:
    logger.info("comment %s reported", comment_id)
