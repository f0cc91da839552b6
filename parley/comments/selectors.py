"""Reads of comments: threads with cursor pagination, single comments, exports."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from parley.comments.models import Comment, CommentStatus, Report
from parley.core.pagination import decode_cursor
from parley.core.pagination import encode_cursor as encode_position
from parley.identity.models import Commenter
from parley.stories.models import Story


@dataclass(frozen=True)
class Page:
    items: list[Comment]
    next_cursor: str | None


def encode_cursor(comment: Comment) -> str:
    return encode_position(comment.created_at, comment.pk)


def _published(story: Story) -> QuerySet[Comment]:
    return Comment.objects.filter(story=story, status=CommentStatus.PUBLISHED).select_related(
        "author"
    )


def comment_page(
    *,
    story: Story,
    parent: Comment | None = None,
    sort: str = "oldest",
    cursor: str | None = None,
    limit: int = 20,
) -> Page:
    """One page of published comments at one level: top level, or the replies to `parent`."""
    queryset = _published(story).filter(parent=parent)
    newest = sort == "newest"
    if cursor:
        moment, pk = decode_cursor(cursor)
        if newest:
            queryset = queryset.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk))
        else:
            queryset = queryset.filter(Q(created_at__gt=moment) | Q(created_at=moment, pk__gt=pk))
    order = ("-created_at", "-pk") if newest else ("created_at", "pk")
    items = list(queryset.order_by(*order)[: limit + 1])
    next_cursor = encode_cursor(items[limit - 1]) if len(items) > limit else None
    return Page(items=items[:limit], next_cursor=next_cursor)


@dataclass(frozen=True)
class ThreadPage:
    roots: list[Comment]
    replies: dict[int, list[Comment]]  # root id -> replies in thread order
    next_cursor: str | None


MAX_REPLIES_SHOWN = 50


def thread_page(
    *, story: Story, sort: str = "oldest", cursor: str | None = None, limit: int = 20
) -> ThreadPage:
    """A page of top-level comments with their replies: two queries, whatever the length."""
    page = comment_page(story=story, sort=sort, cursor=cursor, limit=limit)
    replies: dict[int, list[Comment]] = {root.pk: [] for root in page.items}
    if replies:
        for reply in (
            _published(story).filter(root_id__in=list(replies)).order_by("created_at", "pk")
        ):
            bucket = replies[reply.root_id]  # type: ignore[index]
            if len(bucket) < MAX_REPLIES_SHOWN:
                bucket.append(reply)
    return ThreadPage(roots=page.items, replies=_threaded(replies), next_cursor=page.next_cursor)


def _threaded(replies: dict[int, list[Comment]]) -> dict[int, list[Comment]]:
    """Order each root's replies depth-first, so a reply follows the comment it answers."""
    ordered: dict[int, list[Comment]] = {}
    for root_id, bucket in replies.items():
        children: dict[int, list[Comment]] = {}
        for reply in bucket:
            children.setdefault(reply.parent_id or root_id, []).append(reply)
        result: list[Comment] = []
        stack = list(reversed(children.get(root_id, [])))
        while stack:
            reply = stack.pop()
            result.append(reply)
            stack.extend(reversed(children.get(reply.pk, [])))
        ordered[root_id] = result
    return ordered


def export_commenter_data(commenter: Commenter) -> dict[str, object]:
    """GET /me/export: the person's profile, comments with their consent, edits and reports."""
    comments = []
    for comment in (
        Comment.objects.filter(author=commenter)
        .select_related("story", "accepted_terms")
        .prefetch_related("revisions")
        .order_by("created_at")
    ):
        comments.append(
            {
                "id": comment.pk,
                "story": {"id": comment.story_id, "url": comment.story.url},
                "parent_id": comment.parent_id,
                "status": comment.status,
                "body": comment.body_raw,
                "created_at": comment.created_at.isoformat(),
                "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
                "rule": comment.rule_code or None,
                "consent": {
                    "terms_version": comment.accepted_terms.version,
                    "accepted_at": comment.accepted_terms_at.isoformat(),
                },
                "revisions": [
                    {"body": rev.body_raw, "replaced_at": rev.replaced_at.isoformat()}
                    for rev in comment.revisions.all()
                ],
            }
        )
    reports = [
        {
            "comment_id": report.comment_id,
            "reason": report.reason,
            "rule": report.rule_code or None,
            "created_at": report.created_at.isoformat(),
        }
        for report in Report.objects.filter(reporter=commenter).order_by("created_at")
    ]
    return {
        "profile": {
            "id": commenter.pk,
            "given_name": commenter.given_name,
            "family_name": commenter.family_name,
            "email": commenter.email,
            "youth": commenter.is_youth,
            "community_name": commenter.community_name,
            "created_at": commenter.created_at.isoformat(),
        },
        "comments": comments,
        "reports": reports,
    }
