"""Campaign endpoints: detected coordinated campaigns and one decision per case (moderators)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from parley.api.auth import AUTH, principal
from parley.api.schemas import (
    CampaignDecisionIn,
    CampaignDecisionOut,
    CampaignDetailOut,
    CampaignPageOut,
)
from parley.campaigns import actions, selectors
from parley.campaigns.models import CampaignCase
from parley.core.pagination import check_page_size
from parley.moderation.access import require_moderator

router = Router(tags=["campaigns"])


def campaign_out(
    case: CampaignCase,
    comment_ids: list[int],
    account_ids: list[int],
    talking_points: list[dict[str, Any]],
) -> dict[str, Any]:
    decision = None
    if case.decision:
        decision = {
            "action": case.decision,
            "rule": {"code": case.rule_code, "guideline_version": case.guideline_version},
            "decided_by": case.decided_by,
            "decided_at": case.decided_at,
            "result": case.decision_result,
        }
    return {
        "id": case.pk,
        "case_key": case.case_key,
        "status": case.status,
        "score": case.score,
        "summary": case.summary,
        "accounts": account_ids,
        "comments": comment_ids,
        "stories": case.story_ids,
        "talking_points": talking_points,
        "evidence": case.evidence,
        "first_seen": case.first_seen,
        "last_seen": case.last_seen,
        "opened_at": case.opened_at,
        "updated_at": case.updated_at,
        "decision": decision,
    }


def campaign_detail_out(detail: selectors.CaseDetail) -> dict[str, Any]:
    data = campaign_out(detail.case, detail.comment_ids, detail.account_ids, detail.talking_points)
    data["comment_details"] = [
        {
            "id": c.id,
            "author_id": c.author_id,
            "story_id": c.story_id,
            "posted_at": c.posted_at,
            "status": c.status,
            "body_html": c.body_html,
        }
        for c in detail.comments
    ]
    data["account_details"] = [
        {
            "id": a.id,
            "display_name": a.name,
            "created_at": a.created_at,
            "erased": a.erased,
            "premoderated": a.premoderated,
            "comments": a.comments,
        }
        for a in detail.accounts
    ]
    return data


class CampaignParams(Schema):
    status: Literal["open", "actioned", "dismissed"] | None = None
    cursor: str | None = None
    limit: int = 25


@router.get(
    "/campaigns",
    response=CampaignPageOut,
    auth=AUTH,
    summary="Detected coordinated campaigns in the communities you moderate (moderator)",
)
def campaign_list(request: HttpRequest, params: Query[CampaignParams]) -> dict[str, Any]:
    actor = principal(request).actor
    require_moderator(actor)
    check_page_size(params.limit)
    page = selectors.case_page(
        actor=actor, status=params.status, cursor=params.cursor, limit=params.limit
    )
    return {
        "items": [
            campaign_out(row.case, row.comment_ids, row.account_ids, row.talking_points)
            for row in page.items
        ],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/campaigns/{campaign_id}",
    response=CampaignDetailOut,
    auth=AUTH,
    summary="One campaign case: evidence, talking points, accounts and comments (moderator)",
)
def campaign_get(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    actor = principal(request).actor
    return campaign_detail_out(selectors.case_detail(actor=actor, case_id=campaign_id))


@router.post(
    "/campaigns/{campaign_id}/decision",
    response=CampaignDecisionOut,
    auth=AUTH,
    summary="Reject every comment, pre-moderate every account, or dismiss (moderator)",
)
def campaign_decision(
    request: HttpRequest, campaign_id: int, payload: CampaignDecisionIn
) -> dict[str, Any]:
    actor = principal(request).actor
    result = actions.decide_case(
        actor=actor,
        case_id=campaign_id,
        action=payload.action,
        rule_code=payload.rule,
        note=payload.note,
    )
    detail = selectors.case_detail(actor=actor, case_id=result.case.pk)
    return {
        "campaign": campaign_out(
            detail.case, detail.comment_ids, detail.account_ids, detail.talking_points
        ),
        "action": result.action,
        "rule": {"code": result.rule.code, "guideline_version": result.rule.guideline_version},
        "target": result.target,
        "applied": result.applied,
        "skipped": result.skipped,
    }
