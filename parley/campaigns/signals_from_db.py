"""Turning stored comments into the detection engine's `CommentSignal`s, and stories into the
text a comment may quote without that counting as coordination.

The engine is pure Python and knows nothing of the database; this module is the only bridge.
Ids are passed as strings (the engine's contract) and read back with `int()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from parley.campaigns.detection import CommentSignal
from parley.comments.models import Comment
from parley.stories.models import Story

CHUNK_SIZE = 2000

_FIELDS = (
    "id",
    "story_id",
    "author_id",
    "body_raw",
    "created_at",
    "address_hash",
    "user_agent_hash",
    "author__created_at",
    "author__sso_issuer",
    "parent__body_raw",
)


def detectable_comments() -> QuerySet[Comment]:
    """Every comment with text, whatever its status: a rejected or removed comment is still
    evidence of a campaign. Erased comments have no text left and are never fed."""
    return Comment.objects.exclude(body_raw="")


def signal_from_row(row: dict[str, Any]) -> CommentSignal:
    return CommentSignal(
        comment_id=str(row["id"]),
        account_id=str(row["author_id"]),
        story_id=str(row["story_id"]),
        text=row["body_raw"],
        created_at=row["created_at"],
        account_created_at=row["author__created_at"],
        network_hash=row["address_hash"] or None,
        user_agent_hash=row["user_agent_hash"] or None,
        # One publisher login for everyone says nothing; only distinct issuers are a signal.
        sso_source=row["author__sso_issuer"] or None,
        parent_text=row["parent__body_raw"] or None,
    )


def signals(
    queryset: QuerySet[Comment], *, chunk_size: int = CHUNK_SIZE
) -> Iterator[CommentSignal]:
    """Signals for `queryset` in its order, streamed from the database in chunks (an archive
    never sits in memory). Order by `created_at` for the engine's batch scan."""
    for row in queryset.values(*_FIELDS).iterator(chunk_size=chunk_size):
        yield signal_from_row(row)


def archive(*, since: datetime | None = None, story_id: int | None = None) -> QuerySet[Comment]:
    """The comments a batch scan reads, oldest first."""
    queryset = detectable_comments()
    if since is not None:
        queryset = queryset.filter(created_at__gte=since)
    if story_id is not None:
        queryset = queryset.filter(story_id=story_id)
    return queryset.order_by("created_at", "id")


def story_text(story: Story) -> str:
    """Title, dek and body paragraphs: what a reader may quote from the story itself."""
    parts = [story.title, story.dek]
    content = story.content if isinstance(story.content, dict) else {}
    body = content.get("body")
    if isinstance(body, list):
        parts.extend(p for p in body if isinstance(p, str))
    elif isinstance(body, str):
        parts.append(body)
    for key in ("pull_quote", "headline"):
        value = content.get(key)
        if isinstance(value, str) and value not in parts:
            parts.append(value)
    return "\n\n".join(p for p in parts if p)


def story_texts(story_ids: Iterable[int]) -> Iterator[tuple[str, str]]:
    """(engine story id, text) for each story, streamed."""
    ids = list({int(i) for i in story_ids})
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        for story in Story.objects.filter(pk__in=chunk).only("id", "title", "dek", "content"):
            yield str(story.pk), story_text(story)
