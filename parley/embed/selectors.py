"""Reads for the story page and the embedded thread.

The hot path is `story_state`: one small query for what a cached page depends on (the thread
version and whether comments are open right now). Everything else (`thread_context`) runs only
when the page is rendered, in a constant number of queries whatever the thread's length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.db.models import Field
from django.utils.translation import gettext as _

from parley.comments.models import Comment
from parley.comments.selectors import encode_cursor, thread_page
from parley.communities.models import GuidelineVersion, TermsVersion
from parley.communities.policies import current_guidelines, current_terms
from parley.core import clock
from parley.core.errors import NotFound
from parley.identity.selectors import public_name
from parley.stories.models import Story

PAGE_SIZE = 20
SORTS = ("oldest", "newest")


@dataclass(frozen=True)
class StoryState:
    """What a cached page of a story depends on: enough to build its cache key and ETag."""

    story_id: int
    thread_version: int
    open_now: bool


@lru_cache(maxsize=4)
def _state_sql(vendor: str, by: str) -> str:
    """The state query as plain SQL, built once: the ORM's query compilation would cost more
    than the query itself on the hot path."""
    meta = Story._meta
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        found = meta.get_field(name)
        assert isinstance(found, Field) and found.column
        return quote(found.column)

    names = ("id", "thread_version", "comments_open", "closes_at")
    columns = ", ".join(column(name) for name in names)
    where = column(by)
    return f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {where} = %s"  # noqa: S608


def _aware(value: object) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite without a converter
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise TypeError(f"unexpected closes_at {value!r}")
    # SQLite hands back naive UTC, PostgreSQL aware datetimes.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def story_state(*, story_id: int | None = None, url: str | None = None) -> StoryState:
    """One query, no joins: the thread version and the open state at this moment."""
    by, value = ("id", story_id) if story_id is not None else ("url", url)
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(connection.vendor, by), [value])
        row = cursor.fetchone()
    if row is None:
        raise NotFound("story_not_found", _("There is no such story."))
    pk, version, comments_open, closes_at = row
    closes = _aware(closes_at)
    open_now = bool(comments_open) and (closes is None or clock.now() < closes)
    return StoryState(story_id=int(pk), thread_version=int(version), open_now=open_now)


@dataclass
class ShownComment:
    """A comment as the page shows it; the name is chosen once, by `public_name`."""

    id: int
    parent_id: int | None
    author_id: int
    display_name: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    depth: int
    replies: list[ShownComment] = field(default_factory=list)


@dataclass(frozen=True)
class ThreadContext:
    story: Story
    comments: list[ShownComment]
    next_cursor: str | None  # the page after this one, in the page's sort order
    previous_cursor: str | None  # the page before it (a `before` cursor)
    terms: TermsVersion | None
    guidelines: GuidelineVersion | None
    rules: list[tuple[str, str]]  # (code, title) of the guidelines in force


def _shown(comment: Comment, *, youth: bool) -> ShownComment:
    return ShownComment(
        id=comment.pk,
        parent_id=comment.parent_id,
        author_id=comment.author_id,
        display_name=public_name(comment.author, youth_community=youth),
        body_html=comment.body_html,
        created_at=comment.created_at,
        edited_at=comment.edited_at,
        depth=comment.depth,
    )


def thread_context(
    *, story_id: int, sort: str, cursor: str | None, before: str | None = None
) -> ThreadContext:
    """Everything a story page shows, in six queries whatever the number of comments: the
    story with its community, the top-level page, its replies, the terms, the guidelines and
    their rules.

    `cursor` pages forward (the page after that comment); `before` pages back (the page that
    ends just before that comment), read as the opposite sort from there and turned round.
    """
    story = Story.objects.select_related("community").filter(pk=story_id).first()
    if story is None:
        raise NotFound("story_not_found", _("There is no such story."))
    youth = story.community.is_youth
    if before:
        opposite = "oldest" if sort == "newest" else "newest"
        page = thread_page(story=story, sort=opposite, cursor=before, limit=PAGE_SIZE)
        roots = list(reversed(page.roots))
        more_before = page.next_cursor is not None
        next_cursor = encode_cursor(roots[-1]) if roots else None
        previous_cursor = encode_cursor(roots[0]) if roots and more_before else None
    else:
        page = thread_page(story=story, sort=sort, cursor=cursor, limit=PAGE_SIZE)
        roots = page.roots
        next_cursor = page.next_cursor
        # Keyset pages cannot tell cheaply whether anything precedes the first page's start.
        previous_cursor = encode_cursor(roots[0]) if roots and cursor else None
    comments = []
    for root in roots:
        shown = _shown(root, youth=youth)
        shown.replies = [_shown(reply, youth=youth) for reply in page.replies.get(root.pk, [])]
        comments.append(shown)
    try:
        terms: TermsVersion | None = current_terms()
    except NotFound:
        terms = None
    try:
        guidelines: GuidelineVersion | None = current_guidelines()
    except NotFound:
        guidelines = None
    rules = [(rule.code, rule.title) for rule in guidelines.rules.all()] if guidelines else []
    return ThreadContext(
        story=story,
        comments=comments,
        next_cursor=next_cursor,
        previous_cursor=previous_cursor,
        terms=terms,
        guidelines=guidelines,
        rules=rules,
    )


def story_index(limit: int = 50) -> list[Story]:
    """The newest stories, for the small index page."""
    return list(Story.objects.select_related("community").order_by("-created_at", "-id")[:limit])


def limits() -> dict[str, int]:
    return settings.PARLEY_LIMITS
