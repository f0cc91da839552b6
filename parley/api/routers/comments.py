from __future__ import annotations

import hashlib
from typing import Any, Literal

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.responses import NinjaJSONEncoder

from parley.api.auth import AUTH, optional_principal, principal, require_commenter
from parley.api.schemas import CommentIn, CommentOut, CommentPage, CommentPatch, ReportIn, ReportOut
from parley.api.serializers import comment_out
from parley.comments.access import access_comment_for_interaction, access_comment_for_reading
from parley.comments.actions import edit_comment, post_comment, report_comment, withdraw_comment
from parley.comments.selectors import comment_page
from parley.core.errors import ParleyError
from parley.core.net import hashed_prefix
from parley.core.pagination import check_page_size
from parley.stories.selectors import get_story

router = Router(tags=["comments"])
LIST_CACHE_SECONDS = 300


class ListParams(Schema):
    sort: Literal["oldest", "newest"] = "oldest"
    parent: int | None = None
    cursor: str | None = None
    limit: int = 20


@router.get("/stories/{story_id}/comments", response=CommentPage, summary="Published comments")
def comments_list(request: HttpRequest, story_id: int, params: Query[ListParams]) -> HttpResponse:
    check_page_size(params.limit)
    story = get_story(story_id)
    # Every change readers can see bumps thread_version in its own transaction, so a page
    # cached under the current version is current; the TTL bounds what does not bump it
    # (a commenter renaming themselves).
    variant = "\x1f".join(
        [
            params.sort,
            str(params.parent),
            params.cursor or "",
            str(params.limit),
            translation.get_language() or "",
        ]
    )
    # Hashed: the cursor is client input, and cache keys must stay short and plain.
    digest = hashlib.sha256(variant.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    key = f"api-comments:{story.pk}:{story.thread_version}:{digest}"
    cached = cache.get(key)
    if cached is not None:
        # The rendered bytes: a hit skips serialising and validating the page again.
        return HttpResponse(cached, content_type="application/json; charset=utf-8")
    parent = None
    if params.parent is not None:
        parent = access_comment_for_reading(None, params.parent)
        if parent.story_id != story.pk:
            raise ParleyError(
                "parent_in_other_story", _("That comment belongs to another story."), status=404
            )
    page = comment_page(
        story=story, parent=parent, sort=params.sort, cursor=params.cursor, limit=params.limit
    )
    youth = story.community.is_youth
    result = {
        "items": [comment_out(c, youth=youth) for c in page.items],
        "next_cursor": page.next_cursor,
    }
    body = NinjaJSONEncoder(ensure_ascii=False).encode(
        CommentPage.model_validate(result).model_dump(by_alias=True)
    )
    cache.set(key, body.encode(), LIST_CACHE_SECONDS)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _user_agent_hash(request: HttpRequest) -> str:
    agent = request.headers.get("User-Agent", "")[:512]
    return hashlib.sha256(agent.encode()).hexdigest()[:32] if agent else ""


@router.post(
    "/stories/{story_id}/comments",
    response={200: CommentOut, 201: CommentOut},
    auth=AUTH,
    summary="Post a comment or a reply (commenter)",
)
def comments_create(
    request: HttpRequest, story_id: int, payload: CommentIn
) -> Status[dict[str, Any]]:
    commenter = require_commenter(request)
    story = get_story(story_id)
    result = post_comment(
        commenter=commenter,
        story=story,
        body=payload.body,
        accept_terms=payload.accept_terms,
        parent_id=payload.parent_id,
        idempotency_key=request.headers.get("Idempotency-Key") or None,
        address_hash=hashed_prefix(getattr(request, "client_ip", "")),
        user_agent_hash=_user_agent_hash(request),
    )
    actor = principal(request).actor
    if result.replayed:
        comment = access_comment_for_reading(actor, result.comment.pk)
    else:
        # Just written by this reader, with its story, author and terms in hand: the same
        # answer as reading it back, without the query.
        comment = result.comment
    # A retry answers exactly as the first request did.
    return Status(201, comment_out(comment, youth=story.community.is_youth, viewer=actor))


@router.get("/comments/{comment_id}", response=CommentOut, summary="One comment")
def comments_get(request: HttpRequest, comment_id: int) -> dict[str, Any]:
    found = optional_principal(request)
    actor = found.actor if found else None
    comment = access_comment_for_reading(actor, comment_id)
    return comment_out(comment, youth=comment.story.community.is_youth, viewer=actor)


@router.patch(
    "/comments/{comment_id}", response=CommentOut, auth=AUTH, summary="Edit within the window"
)
def comments_patch(request: HttpRequest, comment_id: int, payload: CommentPatch) -> dict[str, Any]:
    commenter = require_commenter(request)
    comment = access_comment_for_interaction(comment_id)
    edit_comment(commenter=commenter, comment=comment, body=payload.body)
    actor = principal(request).actor
    comment = access_comment_for_reading(actor, comment_id)
    return comment_out(comment, youth=comment.story.community.is_youth, viewer=actor)


@router.delete(
    "/comments/{comment_id}", response={204: None}, auth=AUTH, summary="Withdraw your comment"
)
def comments_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    commenter = require_commenter(request)
    comment = access_comment_for_interaction(comment_id)
    withdraw_comment(commenter=commenter, comment=comment)
    return HttpResponse(status=204)


@router.post(
    "/comments/{comment_id}/reports",
    response={201: ReportOut},
    auth=AUTH,
    summary="Report a comment to the moderators",
)
def comments_report(
    request: HttpRequest, comment_id: int, payload: ReportIn
) -> Status[dict[str, Any]]:
    commenter = require_commenter(request)
    comment = access_comment_for_reading(None, comment_id)
    report = report_comment(
        reporter=commenter, comment=comment, reason=payload.reason, rule_code=payload.rule
    )
    return Status(
        201,
        {
            "id": report.pk,
            "comment_id": comment.pk,
            "reason": report.reason,
            "rule": report.rule_code,
            "created_at": report.created_at,
        },
    )
