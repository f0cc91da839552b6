"""Writes about stories: creating them and opening or closing their comments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from parley.communities.models import Community, ModerationMode
from parley.core import audit, clock
from parley.core.actors import Actor
from parley.core.errors import PermissionDenied
from parley.stories import events
from parley.stories.errors import StoryError
from parley.stories.models import Story


def _require_staff(actor: Actor, community_id: int) -> None:
    if not actor.has_role("staff", community_id):
        raise PermissionDenied("staff_only", _("Only newsroom staff can do this."))


def create_story(
    *,
    actor: Actor,
    community: Community,
    url: str,
    title: str,
    dek: str = "",
    byline: str = "",
    section: str = "",
    published_at: datetime | None = None,
    content: dict[str, Any] | None = None,
) -> Story:
    _require_staff(actor, community.pk)
    with transaction.atomic():
        if Story.objects.filter(url=url).exists():
            raise StoryError(
                StoryError.URL_TAKEN, _("A story with this URL already exists."), status=409
            )
        story = Story.objects.create(
            community=community,
            url=url,
            title=title,
            dek=dek,
            byline=byline,
            section=section,
            published_at=published_at,
            content=content or {},
        )
        audit.record(
            actor=actor,
            action="story.create",
            target_type="story",
            target_id=story.pk,
            community_id=community.pk,
            data={"url": url},
        )
    return story


def update_story_comments(
    *,
    actor: Actor,
    story: Story,
    comments_open: bool | None = None,
    closes_at: datetime | None = None,
    clear_closes_at: bool = False,
    moderation: str | None = None,
) -> Story:
    """Open or close comments now, schedule a close, or set the story's moderation mode.

    A scheduled close needs no worker to take effect: every submission compares `closes_at`
    with the clock inside its transaction. The worker only announces it to live readers.
    """
    _require_staff(actor, story.community_id)
    now = clock.now()
    if closes_at is not None:
        if timezone.is_naive(closes_at):
            raise StoryError(
                StoryError.INVALID_SCHEDULE,
                _("closes_at needs a time zone (for example 2026-12-01T18:00:00-05:00)."),
                errors={"closes_at": [_("A time zone is required.")]},
            )
        if closes_at <= now:
            raise StoryError(
                StoryError.INVALID_SCHEDULE,
                _("closes_at must be in the future; to close now, set comments_open to false."),
                errors={"closes_at": [_("Must be in the future.")]},
            )
    if moderation is not None and moderation not in {"", *ModerationMode.values}:
        raise StoryError(
            StoryError.INVALID_MODERATION,
            _("moderation must be 'pre', 'post' or empty."),
            errors={"moderation": [_("Must be 'pre', 'post' or empty.")]},
        )
    with transaction.atomic():
        story = Story.objects.select_for_update().get(pk=story.pk)
        before = {
            "comments_open": story.comments_open,
            "closes_at": story.closes_at.isoformat() if story.closes_at else None,
            "moderation": story.moderation,
        }
        if comments_open is not None:
            story.comments_open = comments_open
        if clear_closes_at:
            story.closes_at = None
        if closes_at is not None:
            story.closes_at = closes_at
        if moderation is not None:
            story.moderation = moderation
        story.thread_version = F("thread_version") + 1
        story.save()
        story.refresh_from_db()
        after = {
            "comments_open": story.comments_open,
            "closes_at": story.closes_at.isoformat() if story.closes_at else None,
            "moderation": story.moderation,
        }
        opened_now = story.accepts_comments_at(now)
        action = "story.update"
        if before["comments_open"] != after["comments_open"]:
            action = "story.open_comments" if story.comments_open else "story.close_comments"
        elif before["closes_at"] != after["closes_at"]:
            action = "story.schedule_close"
        audit.record(
            actor=actor,
            action=action,
            target_type="story",
            target_id=story.pk,
            community_id=story.community_id,
            data={"before": before, "after": after},
        )
        story_id, closes = story.pk, story.closes_at
        transaction.on_commit(lambda: events.story_state_changed(story_id, open_now=opened_now))
        if closes is not None:
            transaction.on_commit(lambda: events.schedule_close_announcement(story_id, closes))
    return story


def close_due_stories() -> int:
    """Turn scheduled closes that have passed into closed stories (run by the worker)."""
    now = clock.now()
    closed = 0
    for story_id in Story.objects.filter(comments_open=True, closes_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            story = Story.objects.select_for_update().get(pk=story_id)
            if not story.comments_open or story.closes_at is None or story.closes_at > now:
                continue
            story.comments_open = False
            story.thread_version = F("thread_version") + 1
            story.save(update_fields=["comments_open", "thread_version"])
            audit.record(
                actor=Actor(kind="system", id="scheduler", label="Scheduled close"),
                action="story.close_comments",
                target_type="story",
                target_id=story.pk,
                community_id=story.community_id,
                data={"scheduled_for": story.closes_at.isoformat()},
            )
            transaction.on_commit(
                lambda sid=story.pk: events.story_state_changed(sid, open_now=False)  # type: ignore[misc]
            )
            closed += 1
    return closed
