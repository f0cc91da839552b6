"""Moderation reads: the four queues, search, the audit log, notices.

Every list is cursor-paginated and loads a page in a constant number of queries whatever its
length: the comments (with story, community, author, parent), their reports, their authors'
comment counts by status, and their authors' sanctions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from parley.comments.models import Comment, CommentStatus, Report
from parley.core import clock
from parley.core.actors import Actor
from parley.core.errors import ParleyError
from parley.core.models import AuditEntry
from parley.core.pagination import decode_cursor, encode_cursor
from parley.identity.models import Commenter
from parley.moderation.access import require_moderator
from parley.moderation.models import FlaggedComment, Notice, Sanction
from parley.stories.models import Story

QUEUES = ("pending", "reported", "system", "rejected")
OPEN_STATUSES = (CommentStatus.PUBLISHED, CommentStatus.PENDING)


@dataclass
class AuthorHistory:
    commenter_id: int
    created_at: datetime
    counts: dict[str, int] = field(default_factory=dict)
    premoderated: bool = False
    suspended_until: datetime | None = None
    banned_at: datetime | None = None
    sanctions: list[Sanction] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def account_age_days(self) -> int:
        return max(0, (clock.now() - self.created_at).days)

    @property
    def suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > clock.now()


@dataclass
class QueueItem:
    comment: Comment
    reasons: list[str]
    reports: list[Report]
    history: AuthorHistory


@dataclass
class QueuePage:
    items: list[QueueItem]
    next_cursor: str | None


def _invalid_queue() -> ParleyError:
    return ParleyError(
        "unknown_queue",
        _("The queue must be one of pending, reported, system or rejected."),
        status=404,
    )


def _community_filter(actor: Actor, community_id: int | None) -> list[int] | None:
    """The community ids to show (None: all), refusing anyone who moderates nothing."""
    communities = require_moderator(actor)
    if community_id is not None:
        if communities is not None and community_id not in communities:
            return []
        return [community_id]
    return None if communities is None else sorted(communities)


def _scoped(
    actor: Actor, queryset: QuerySet[Comment], community_id: int | None
) -> QuerySet[Comment]:
    communities = _community_filter(actor, community_id)
    if communities is not None:
        # A subquery rather than a join: the planner keeps walking the comment indexes.
        stories = Story.objects.filter(community_id__in=communities).values("pk")
        queryset = queryset.filter(story_id__in=stories)
    return queryset


def _base() -> QuerySet[Comment]:
    return Comment.objects.select_related(
        "story__community", "author", "accepted_terms", "parent__author"
    )


def _open_reports() -> QuerySet[Report]:
    return Report.objects.filter(resolved_at__isnull=True)


def _system_queue(actor: Actor, community_id: int | None) -> QuerySet[FlaggedComment]:
    communities = _community_filter(actor, community_id)
    # Still open and unreviewed (a withdrawal leaves its row behind). A correlated subquery
    # with LIMIT 1 keeps the planner on one primary-key probe per flagged row; a join let
    # PostgreSQL hash the whole comment table to count a few thousand rows.
    still_open = Comment.objects.filter(
        pk=OuterRef("comment_id"), status__in=OPEN_STATUSES, moderated_at__isnull=True
    ).values("pk")[:1]
    flagged = FlaggedComment.objects.annotate(open_id=Subquery(still_open)).filter(
        open_id__isnull=False
    )
    if communities is not None:
        flagged = flagged.filter(community_id__in=communities)
    return flagged


def queue_queryset(
    *, actor: Actor, queue: str, community_id: int | None = None
) -> QuerySet[Comment]:
    """The comments in a queue (lean: no related rows), for counting and paging ids."""
    comments = Comment.objects.all()
    if queue == "pending":
        queryset = comments.filter(status=CommentStatus.PENDING)
    elif queue == "reported":
        queryset = comments.filter(
            status__in=OPEN_STATUSES, pk__in=_open_reports().values("comment_id")
        )
    elif queue == "system":
        return comments.filter(pk__in=_system_queue(actor, community_id).values("comment_id"))
    elif queue == "rejected":
        queryset = comments.filter(status=CommentStatus.REJECTED)
    else:
        raise _invalid_queue()
    return _scoped(actor, queryset, community_id)


def _newest_first(queue: str) -> bool:
    return queue == "rejected"


def _cursor_of(created_at: datetime, pk: int) -> str:
    return encode_cursor(created_at, pk)


def _keyset(
    queryset: QuerySet[Any], *, newest: bool, cursor: str | None, limit: int, at: str, pk: str
) -> tuple[list[int], str | None]:
    """One page of ids in (time, id) order after `cursor`, and the next cursor."""
    if cursor:
        moment, last = decode_cursor(cursor)
        if newest:
            queryset = queryset.filter(
                Q(**{f"{at}__lt": moment}) | Q(**{at: moment, f"{pk}__lt": last})
            )
        else:
            queryset = queryset.filter(
                Q(**{f"{at}__gt": moment}) | Q(**{at: moment, f"{pk}__gt": last})
            )
    order = (f"-{at}", f"-{pk}") if newest else (at, pk)
    rows = list(queryset.order_by(*order).values_list(pk, at)[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        last_pk, last_at = rows[limit - 1]
        next_cursor = _cursor_of(last_at, last_pk)
    return [row[0] for row in rows[:limit]], next_cursor


def _load(ids: list[int]) -> list[Comment]:
    """The comments with what a queue item shows, in the order of `ids` (one query)."""
    found = _base().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _paginate(
    queryset: QuerySet[Comment], *, newest: bool, cursor: str | None, limit: int
) -> tuple[list[Comment], str | None]:
    ids, next_cursor = _keyset(
        queryset, newest=newest, cursor=cursor, limit=limit, at="created_at", pk="pk"
    )
    return _load(ids), next_cursor


def reasons_for(comment: Comment, reports: list[Report]) -> list[str]:
    """Why a comment is in front of a moderator, as stable codes."""
    reasons: list[str] = []
    if comment.status == CommentStatus.PENDING:
        if comment.author.premoderated:
            reasons.append("premoderated_author")
        elif comment.story.effective_moderation == "pre":
            reasons.append("premoderation")
        elif not any(str(flag).startswith("score:hold") for flag in comment.flags):
            reasons.append("held")
    if comment.status == CommentStatus.REJECTED and not comment.moderated_at:
        reasons.append("rejected_by_word_list")
    if any(report.resolved_at is None for report in reports):
        reasons.append("reported")
    for flag in comment.flags:
        code = ":".join(str(flag).split(":")[:2])
        if code not in reasons:
            reasons.append(code)
    return reasons


def hydrate(comments: list[Comment]) -> list[QueueItem]:
    """Reports, author histories and sanctions for a page of comments: three queries."""
    if not comments:
        return []
    ids = [comment.pk for comment in comments]
    reports: dict[int, list[Report]] = defaultdict(list)
    for report in Report.objects.filter(comment_id__in=ids).order_by("created_at", "pk"):
        reports[report.comment_id].append(report)
    histories = author_histories({comment.author for comment in comments})
    return [
        QueueItem(
            comment=comment,
            reasons=reasons_for(comment, reports[comment.pk]),
            reports=reports[comment.pk],
            history=histories[comment.author_id],
        )
        for comment in comments
    ]


def author_histories(authors: set[Commenter]) -> dict[int, AuthorHistory]:
    """Each author's comment counts by status and sanctions: two queries for any number."""
    histories = {
        author.pk: AuthorHistory(
            commenter_id=author.pk,
            created_at=author.created_at,
            premoderated=author.premoderated,
            suspended_until=author.suspended_until,
            banned_at=author.banned_at,
        )
        for author in authors
    }
    for row in (
        Comment.objects.filter(author_id__in=list(histories))
        .values("author_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        histories[row["author_id"]].counts[row["status"]] = row["n"]
    for sanction in Sanction.objects.filter(commenter_id__in=list(histories)):
        histories[sanction.commenter_id].sanctions.append(sanction)
    return histories


def queue_page(
    *,
    actor: Actor,
    queue: str,
    community_id: int | None = None,
    cursor: str | None = None,
    limit: int = 25,
) -> QueuePage:
    if queue == "system":
        # Paged on the small system-queue index, then the comments by id.
        ids, next_cursor = _keyset(
            _system_queue(actor, community_id),
            newest=False,
            cursor=cursor,
            limit=limit,
            at="created_at",
            pk="comment_id",
        )
        return QueuePage(items=hydrate(_load(ids)), next_cursor=next_cursor)
    queryset = queue_queryset(actor=actor, queue=queue, community_id=community_id)
    comments, next_cursor = _paginate(
        queryset, newest=_newest_first(queue), cursor=cursor, limit=limit
    )
    return QueuePage(items=hydrate(comments), next_cursor=next_cursor)


def queue_counts(*, actor: Actor, community_id: int | None = None) -> dict[str, int]:
    counts = {
        queue: queue_queryset(actor=actor, queue=queue, community_id=community_id)
        .order_by()
        .count()
        for queue in QUEUES
        if queue != "system"
    }
    counts["system"] = _system_queue(actor, community_id).count()
    return counts


def search_comments(
    *,
    actor: Actor,
    q: str,
    by: str = "text",
    community_id: int | None = None,
    cursor: str | None = None,
    limit: int = 25,
) -> QueuePage:
    """Comments in the actor's communities, newest first, whose text contains `q` (by="text")
    or whose author's name contains every word of `q` or whose author id is `q`
    (by="author")."""
    q = q.strip()
    queryset = _scoped(actor, Comment.objects.all(), community_id)
    if not q:
        return QueuePage(items=[], next_cursor=None)
    if by == "author":
        if q.lstrip("#").isdigit():
            queryset = queryset.filter(author_id=int(q.lstrip("#")))
        else:
            authors = Commenter.objects.all()
            for word in q.split()[:5]:
                authors = authors.filter(
                    Q(given_name__icontains=word)
                    | Q(family_name__icontains=word)
                    | Q(community_name__icontains=word)
                )
            queryset = queryset.filter(author_id__in=authors.values("pk"))
    else:
        queryset = queryset.filter(body_raw__icontains=q[:200])
    comments, next_cursor = _paginate(queryset, newest=True, cursor=cursor, limit=limit)
    return QueuePage(items=hydrate(comments), next_cursor=next_cursor)


def comment_for_detail(comment_id: int) -> Comment:
    """One comment with what its page shows (call after an access_* check)."""
    return _base().get(pk=comment_id)


def comment_context(comment: Comment) -> list[Comment]:
    """The comments above this one in its thread, top first (one query)."""
    if comment.parent_id is None:
        return []
    ancestors = {
        c.pk: c
        for c in Comment.objects.select_related("author").filter(
            Q(pk=comment.root_id) | Q(root_id=comment.root_id), depth__lt=comment.depth
        )
    }
    chain: list[Comment] = []
    current = ancestors.get(comment.parent_id)
    while current is not None:
        chain.append(current)
        current = ancestors.get(current.parent_id) if current.parent_id else None
    return list(reversed(chain))


# --- the audit log --------------------------------------------------------------------------------


@dataclass
class AuditPage:
    items: list[AuditEntry]
    next_cursor: str | None


def _encode_audit_cursor(entry: AuditEntry) -> str:
    return encode_cursor(entry.at, entry.pk)


def audit_page(
    *,
    actor: Actor,
    by: str | None = None,
    target: str | None = None,
    rule: str | None = None,
    action: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> AuditPage:
    """Moderation and staff actions, newest first, in the actor's communities.

    `by` is "kind:id" (e.g. "staff:3", "apikey:2") or an actor label; `target` is
    "type:id" (e.g. "comment:12", "commenter:5"); `rule` a rule code; `action` an action
    name or a prefix ending in "." (e.g. "comment.")."""
    communities = require_moderator(actor)
    queryset = AuditEntry.objects.exclude(actor_kind="commenter")
    if communities is not None:
        queryset = queryset.filter(community_id__in=communities)
    if by:
        kind, _sep, ident = by.partition(":")
        if ident and kind in {"staff", "apikey", "system", "commenter"}:
            queryset = queryset.filter(actor_kind=kind, actor_id=ident)
        else:
            queryset = queryset.filter(actor_label=by)
    if target:
        target_type, _sep, target_id = target.partition(":")
        queryset = queryset.filter(target_type=target_type, target_id=target_id)
    if rule:
        queryset = queryset.filter(rule_code=rule)
    if action:
        if action.endswith("."):
            queryset = queryset.filter(action__startswith=action)
        else:
            queryset = queryset.filter(action=action)
    if cursor:
        moment, pk = decode_cursor(cursor)
        queryset = queryset.filter(Q(at__lt=moment) | Q(at=moment, pk__lt=pk))
    rows = list(queryset.order_by("-at", "-pk")[: limit + 1])
    next_cursor = _encode_audit_cursor(rows[limit - 1]) if len(rows) > limit else None
    return AuditPage(items=rows[:limit], next_cursor=next_cursor)


# --- notices ----------------------------------------------------------------------------------


@dataclass
class NoticePage:
    items: list[Notice]
    next_cursor: str | None


def notices_for(*, commenter: Commenter, cursor: str | None = None, limit: int = 20) -> NoticePage:
    queryset = Notice.objects.filter(commenter=commenter)
    if cursor:
        moment, pk = decode_cursor(cursor)
        queryset = queryset.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk))
    rows = list(queryset.order_by("-created_at", "-pk")[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(last.created_at, last.pk)
    return NoticePage(items=rows[:limit], next_cursor=next_cursor)


__all__ = [
    "QUEUES",
    "AuditPage",
    "AuthorHistory",
    "QueueItem",
    "QueuePage",
    "audit_page",
    "author_histories",
    "comment_context",
    "comment_for_detail",
    "hydrate",
    "notices_for",
    "queue_counts",
    "queue_page",
    "reasons_for",
    "search_comments",
]
