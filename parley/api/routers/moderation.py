"""Moderation endpoints: queues, decisions, sanctions, the audit log, word lists, notices."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from parley.api.auth import AUTH, principal, require_commenter
from parley.api.schemas import (
    AuditPageOut,
    BulkDecisionIn,
    BulkDecisionOut,
    CommentOut,
    DecisionIn,
    DecisionOut,
    FeatureIn,
    LiftIn,
    NoticePageOut,
    QueuePageOut,
    SanctionIn,
    SanctionList,
    SanctionOut,
    WordListIn,
    WordListOut,
)
from parley.api.serializers import comment_out
from parley.comments.access import access_comment_for_reading
from parley.comments.models import Comment
from parley.communities.models import Community
from parley.core.errors import NotFound
from parley.core.models import AuditEntry
from parley.core.pagination import check_page_size
from parley.identity.selectors import public_name
from parley.moderation import actions, selectors
from parley.moderation.access import (
    access_commenter_for_moderation,
    access_community_for_admin,
    require_moderator,
)
from parley.moderation.models import Decision, Notice, Sanction, WordList

router = Router(tags=["moderation"])


def _community_id(slug: str | None) -> int | None:
    if not slug:
        return None
    community_id = Community.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if community_id is None:
        raise NotFound("community_not_found", _("There is no such community."))
    return community_id


def sanction_out(sanction: Sanction) -> dict[str, Any]:
    from parley.core import clock

    now = clock.now()
    active = sanction.lifted_at is None and (
        sanction.kind in {"premod", "ban"}
        or (sanction.kind == "suspend" and sanction.until is not None and sanction.until > now)
    )
    return {
        "id": sanction.pk,
        "commenter_id": sanction.commenter_id,
        "kind": sanction.kind,
        "rule": {"code": sanction.rule_code, "guideline_version": sanction.guideline_version},
        "until": sanction.until,
        "note": sanction.note,
        "comment_id": sanction.comment_id,
        "created_at": sanction.created_at,
        "created_by": sanction.actor_label,
        "lifted_at": sanction.lifted_at,
        "active": active,
    }


def queue_item_out(item: selectors.QueueItem, viewer: Any) -> dict[str, Any]:
    comment = item.comment
    community = comment.story.community
    youth = community.is_youth
    parent = comment.parent
    history = item.history
    return {
        "comment": comment_out(comment, youth=youth, viewer=viewer),
        "story": {
            "id": comment.story_id,
            "title": comment.story.title,
            "url": comment.story.url,
            "community": community.slug,
        },
        "parent": None
        if parent is None
        else {
            "id": parent.pk,
            "status": parent.status,
            "author": {
                "id": parent.author_id,
                "display_name": public_name(parent.author, youth_community=youth),
            },
            "body_html": parent.body_html if parent.status != "withdrawn" else "",
        },
        "reasons": item.reasons,
        "scores": {k: float(v) for k, v in comment.scores.items() if isinstance(v, int | float)},
        "flags": [str(flag) for flag in comment.flags],
        "reports": [
            {
                "id": report.pk,
                "reporter_id": report.reporter_id,
                "reason": report.reason,
                "rule": report.rule_code,
                "created_at": report.created_at,
                "resolved_at": report.resolved_at,
            }
            for report in item.reports
        ],
        "author_history": {
            "id": comment.author_id,
            "display_name": public_name(comment.author, youth_community=youth),
            "account_created_at": history.created_at,
            "account_age_days": history.account_age_days,
            "comments": history.total,
            "by_status": history.counts,
            "premoderated": history.premoderated,
            "suspended_until": history.suspended_until if history.suspended else None,
            "banned": history.banned_at is not None,
            "sanctions": [sanction_out(s) for s in history.sanctions],
        },
    }


class QueueParams(Schema):
    community: str | None = None
    cursor: str | None = None
    limit: int = 25


@router.get(
    "/moderation/queues/{queue}",
    response=QueuePageOut,
    auth=AUTH,
    summary="A moderation queue: pending, reported, system or rejected (moderator)",
)
def queue_list(
    request: HttpRequest,
    queue: Literal["pending", "reported", "system", "rejected"],
    params: Query[QueueParams],
) -> dict[str, Any]:
    actor = principal(request).actor
    require_moderator(actor)
    check_page_size(params.limit)
    page = selectors.queue_page(
        actor=actor,
        queue=queue,
        community_id=_community_id(params.community),
        cursor=params.cursor,
        limit=params.limit,
    )
    return {
        "items": [queue_item_out(item, actor) for item in page.items],
        "next_cursor": page.next_cursor,
    }


class SearchParams(Schema):
    q: str
    by: Literal["text", "author"] = "text"
    community: str | None = None
    cursor: str | None = None
    limit: int = 25


@router.get(
    "/moderation/search",
    response=QueuePageOut,
    auth=AUTH,
    summary="Search comments by text or by author name or id (moderator)",
)
def moderation_search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    actor = principal(request).actor
    require_moderator(actor)
    check_page_size(params.limit)
    page = selectors.search_comments(
        actor=actor,
        q=params.q,
        by=params.by,
        community_id=_community_id(params.community),
        cursor=params.cursor,
        limit=params.limit,
    )
    return {
        "items": [queue_item_out(item, actor) for item in page.items],
        "next_cursor": page.next_cursor,
    }


def _decision_out(decision: Decision, viewer: Any) -> dict[str, Any]:
    comment = access_comment_for_reading(viewer, decision.comment_id)
    return {
        "id": decision.pk,
        "comment": comment_out(comment, youth=comment.story.community.is_youth, viewer=viewer),
        "action": decision.action,
        "rule": {"code": decision.rule_code, "guideline_version": decision.guideline_version},
        "note": decision.note,
        "decided_by": decision.actor_label,
        "decided_at": decision.created_at,
    }


@router.post(
    "/comments/{comment_id}/decision",
    response=DecisionOut,
    auth=AUTH,
    summary="Approve, reject or remove a comment, citing a guideline rule (moderator)",
)
def comment_decision(request: HttpRequest, comment_id: int, payload: DecisionIn) -> dict[str, Any]:
    actor = principal(request).actor
    require_moderator(actor)
    decision = actions.decide_comment(
        actor=actor,
        comment_id=comment_id,
        action=payload.action,
        rule_code=payload.rule,
        note=payload.note,
    )
    return _decision_out(decision, actor)


@router.post(
    "/moderation/decisions",
    response=BulkDecisionOut,
    auth=AUTH,
    summary="The same decision on up to 100 comments; each succeeds or fails alone (moderator)",
)
def bulk_decision(request: HttpRequest, payload: BulkDecisionIn) -> dict[str, Any]:
    actor = principal(request).actor
    require_moderator(actor)
    outcomes = actions.decide_comments(
        actor=actor,
        comment_ids=payload.comment_ids,
        action=payload.action,
        rule_code=payload.rule,
        note=payload.note,
    )
    return {
        "results": [
            {"comment_id": o.comment_id, "ok": o.ok, "code": o.code, "detail": o.detail}
            for o in outcomes
        ]
    }


@router.post(
    "/users/{commenter_id}/sanctions",
    response={201: SanctionOut},
    auth=AUTH,
    summary="Warn, pre-moderate, suspend until a date, or ban a commenter (moderator)",
)
def sanction_create(
    request: HttpRequest, commenter_id: int, payload: SanctionIn
) -> Status[dict[str, Any]]:
    actor = principal(request).actor
    require_moderator(actor)
    sanction = actions.apply_sanction(
        actor=actor,
        commenter_id=commenter_id,
        kind=payload.kind,
        rule_code=payload.rule,
        until=payload.until,
        note=payload.note,
        comment_id=payload.comment_id,
    )
    return Status(201, sanction_out(sanction))


@router.get(
    "/users/{commenter_id}/sanctions",
    response=SanctionList,
    auth=AUTH,
    summary="A commenter's sanctions, newest first (moderator)",
)
def sanction_list(request: HttpRequest, commenter_id: int) -> dict[str, Any]:
    actor = principal(request).actor
    commenter = access_commenter_for_moderation(actor, commenter_id)
    return {"items": [sanction_out(s) for s in Sanction.objects.filter(commenter=commenter)]}


@router.post(
    "/sanctions/{sanction_id}/lift",
    response=SanctionOut,
    auth=AUTH,
    summary="End a pre-moderation, suspension or ban early (moderator)",
)
def sanction_lift(request: HttpRequest, sanction_id: int, payload: LiftIn) -> dict[str, Any]:
    actor = principal(request).actor
    require_moderator(actor)
    return sanction_out(
        actions.lift_sanction(actor=actor, sanction_id=sanction_id, note=payload.note)
    )


class AuditParams(Schema):
    actor: str | None = None
    target: str | None = None
    rule: str | None = None
    action: str | None = None
    cursor: str | None = None
    limit: int = 50


def audit_entry_out(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "at": entry.at,
        "actor": entry.actor_label,
        "actor_kind": entry.actor_kind,
        "actor_id": entry.actor_id,
        "action": entry.action,
        "target": f"{entry.target_type}:{entry.target_id}",
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "community_id": entry.community_id,
        "rule": entry.rule_code or None,
        "guideline_version": entry.guideline_version,
        "data": entry.data,
    }


@router.get(
    "/audit",
    response=AuditPageOut,
    auth=AUTH,
    summary="The audit log: who did what to which comment or user, under which rule (moderator)",
)
def audit_list(request: HttpRequest, params: Query[AuditParams]) -> dict[str, Any]:
    actor = principal(request).actor
    require_moderator(actor)
    check_page_size(params.limit)
    page = selectors.audit_page(
        actor=actor,
        by=params.actor,
        target=params.target,
        rule=params.rule,
        action=params.action,
        cursor=params.cursor,
        limit=params.limit,
    )
    return {"items": [audit_entry_out(e) for e in page.items], "next_cursor": page.next_cursor}


def notice_out(notice: Notice) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "message": notice.message(),
        "comment_id": notice.comment_id,
        "rule": {"code": notice.rule_code, "guideline_version": notice.guideline_version}
        if notice.rule_code
        else None,
        "until": notice.until,
        "created_at": notice.created_at,
    }


class NoticeParams(Schema):
    cursor: str | None = None
    limit: int = 20


@router.get(
    "/me/notices",
    response=NoticePageOut,
    auth=AUTH,
    summary="Moderation decisions and sanctions that concern you (commenter)",
)
def me_notices(request: HttpRequest, params: Query[NoticeParams]) -> dict[str, Any]:
    commenter = require_commenter(request)
    check_page_size(params.limit)
    page = selectors.notices_for(commenter=commenter, cursor=params.cursor, limit=params.limit)
    return {"items": [notice_out(n) for n in page.items], "next_cursor": page.next_cursor}


def word_list_out(community: Community, word_list: WordList | None) -> dict[str, Any]:
    if word_list is None:
        word_list = WordList(community=community, version=0)
        word_list.updated_at = None  # type: ignore[assignment]
    return {
        "community": community.slug,
        "banned": word_list.banned,
        "suspect": word_list.suspect,
        "reject_rule": word_list.reject_rule,
        "version": word_list.version,
        "updated_at": word_list.updated_at,
    }


@router.get(
    "/communities/{slug}/word-lists",
    response=WordListOut,
    auth=AUTH,
    summary="A community's banned and suspect word lists (admin)",
)
def word_lists_get(request: HttpRequest, slug: str) -> dict[str, Any]:
    community = access_community_for_admin(principal(request).actor, slug)
    return word_list_out(community, WordList.objects.filter(community=community).first())


@router.put(
    "/communities/{slug}/word-lists",
    response=WordListOut,
    auth=AUTH,
    summary="Replace a community's word lists (admin)",
)
def word_lists_put(request: HttpRequest, slug: str, payload: WordListIn) -> dict[str, Any]:
    actor = principal(request).actor
    community = access_community_for_admin(actor, slug)
    word_list = actions.set_word_lists(
        actor=actor,
        community=community,
        banned=payload.banned,
        suspect=payload.suspect,
        reject_rule=payload.reject_rule,
    )
    return word_list_out(community, word_list)


@router.post(
    "/comments/{comment_id}/feature",
    response=CommentOut,
    auth=AUTH,
    summary="Feature or unfeature a published comment (staff)",
)
def comment_feature(request: HttpRequest, comment_id: int, payload: FeatureIn) -> dict[str, Any]:
    actor = principal(request).actor
    comment: Comment = actions.feature_comment(
        actor=actor, comment_id=comment_id, featured=payload.featured
    )
    comment = access_comment_for_reading(actor, comment.pk)
    return comment_out(comment, youth=comment.story.community.is_youth, viewer=actor)
