"""Campaign reads: the case list and one case with everything a moderator needs on one screen.

A page of cases loads in a constant number of queries (cases, their comment ids, their
account ids). Withdrawn and erased text never leaves the server: a talking point whose text
came from such a comment is shown as withheld.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from parley.campaigns.access import access_case_for_moderation, visible_cases
from parley.campaigns.errors import CampaignError
from parley.campaigns.models import CampaignCase, CaseAccount, CaseComment, CaseStatus
from parley.comments.models import Comment, CommentStatus
from parley.core.actors import Actor
from parley.core.pagination import decode_cursor, encode_cursor
from parley.identity.models import Commenter
from parley.identity.selectors import public_name

LIST_STATUSES = (CaseStatus.OPEN, CaseStatus.ACTIONED, CaseStatus.DISMISSED)


@dataclass
class CaseRow:
    case: CampaignCase
    comment_ids: list[int] = field(default_factory=list)
    account_ids: list[int] = field(default_factory=list)
    talking_points: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class CasePage:
    items: list[CaseRow]
    next_cursor: str | None


def _encode(case: CampaignCase) -> str:
    return encode_cursor(case.opened_at, case.pk)


def case_page(
    *, actor: Actor, status: str | None = None, cursor: str | None = None, limit: int = 25
) -> CasePage:
    """Cases the actor may see, most recently opened first; `status` filters."""
    queryset = visible_cases(actor)
    if status:
        if status not in LIST_STATUSES:
            raise CampaignError(
                CampaignError.UNKNOWN_STATUS,
                _("status must be open, actioned or dismissed."),
                status=422,
                errors={"status": [_("Unknown status.")]},
            )
        queryset = queryset.filter(status=status)
    if cursor:
        moment, pk = decode_cursor(cursor)
        queryset = queryset.filter(Q(opened_at__lt=moment) | Q(opened_at=moment, pk__lt=pk))
    cases = list(queryset.order_by("-opened_at", "-id")[: limit + 1])
    next_cursor = _encode(cases[limit - 1]) if len(cases) > limit else None
    cases = cases[:limit]
    comments: dict[int, list[int]] = defaultdict(list)
    for case_id, ref in (
        CaseComment.objects.filter(case__in=cases)
        .order_by("posted_at", "comment_ref")
        .values_list("case_id", "comment_ref")
    ):
        comments[case_id].append(ref)
    accounts: dict[int, list[int]] = defaultdict(list)
    for case_id, ref in (
        CaseAccount.objects.filter(case__in=cases)
        .order_by("commenter_ref")
        .values_list("case_id", "commenter_ref")
    ):
        accounts[case_id].append(ref)
    sources = {point.get("comment_id") for c in cases for point in c.talking_points} - {None}
    shown = set(
        Comment.objects.filter(pk__in=sources)
        .exclude(status=CommentStatus.WITHDRAWN)
        .values_list("pk", flat=True)
    )
    return CasePage(
        items=[CaseRow(c, comments[c.pk], accounts[c.pk], _shown_points(c, shown)) for c in cases],
        next_cursor=next_cursor,
    )


def _shown_points(case: CampaignCase, shown: set[int]) -> list[dict[str, Any]]:
    """Talking points, their text withheld when the comment it came from was withdrawn,
    erased or deleted (`shown` holds the source comments that may still be quoted)."""
    out = []
    for point in case.talking_points:
        source = point.get("comment_id")
        withheld = source is not None and source not in shown
        out.append(
            {
                "text": "" if withheld else point.get("text", ""),
                "count": point.get("count", 0),
                "withheld": withheld,
            }
        )
    return out


@dataclass
class MemberComment:
    id: int
    author_id: int
    story_id: int
    posted_at: datetime
    status: str  # a comment status, or "deleted" when the row is gone
    body_html: str  # empty for withdrawn and erased comments
    author_name: str
    story_title: str


@dataclass
class MemberAccount:
    id: int
    created_at: datetime | None
    name: str
    erased: bool
    premoderated: bool
    comments: int


@dataclass
class CaseDetail:
    case: CampaignCase
    comments: list[MemberComment]
    accounts: list[MemberAccount]
    talking_points: list[dict[str, Any]]

    @property
    def comment_ids(self) -> list[int]:
        return [c.id for c in self.comments]

    @property
    def account_ids(self) -> list[int]:
        return [a.id for a in self.accounts]


def case_detail(*, actor: Actor, case_id: int) -> CaseDetail:
    case = access_case_for_moderation(actor, case_id)
    links = list(case.comment_links.order_by("posted_at", "comment_ref"))
    rows = {
        c.pk: c
        for c in Comment.objects.filter(pk__in=[link.comment_ref for link in links]).select_related(
            "author", "story__community"
        )
    }
    youth_accounts = {c.author_id for c in rows.values() if c.story.community.is_youth}
    comments = []
    per_account: dict[int, int] = defaultdict(int)
    for link in links:
        per_account[link.commenter_ref] += 1
        comment = rows.get(link.comment_ref)
        if comment is None:
            comments.append(
                MemberComment(
                    link.comment_ref,
                    link.commenter_ref,
                    link.story_ref,
                    link.posted_at,
                    "deleted",
                    "",
                    _("Unknown"),
                    "",
                )
            )
            continue
        comments.append(
            MemberComment(
                id=comment.pk,
                author_id=comment.author_id,
                story_id=comment.story_id,
                posted_at=comment.created_at,
                status=comment.status,
                body_html="" if comment.status == CommentStatus.WITHDRAWN else comment.body_html,
                author_name=public_name(
                    comment.author, youth_community=comment.story.community.is_youth
                ),
                story_title=comment.story.title,
            )
        )
    account_links = list(case.account_links.order_by("account_created_at", "commenter_ref"))
    commenters = {
        c.pk: c
        for c in Commenter.objects.filter(
            pk__in=[account_link.commenter_ref for account_link in account_links]
        )
    }
    accounts = []
    for account_link in account_links:
        commenter = commenters.get(account_link.commenter_ref)
        accounts.append(
            MemberAccount(
                id=account_link.commenter_ref,
                created_at=account_link.account_created_at,
                name=public_name(commenter, youth_community=commenter.pk in youth_accounts)
                if commenter
                else _("Former member"),
                erased=commenter is None or commenter.erased_at is not None,
                premoderated=bool(commenter and commenter.premoderated),
                comments=per_account[account_link.commenter_ref],
            )
        )
    shown = {c.id for c in comments if c.status not in {CommentStatus.WITHDRAWN, "deleted"}}
    talking_points = _shown_points(case, shown)
    return CaseDetail(
        case=case, comments=comments, accounts=accounts, talking_points=talking_points
    )
