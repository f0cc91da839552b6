"""Turning domain objects into response dictionaries: names are chosen here, once."""

from __future__ import annotations

from typing import Any

from parley.comments.models import Comment, CommentStatus
from parley.core import clock
from parley.core.actors import Actor
from parley.identity.models import Commenter
from parley.identity.selectors import public_name
from parley.stories.models import Story


def story_out(story: Story) -> dict[str, Any]:
    community = story.community
    return {
        "id": story.pk,
        "url": story.url,
        "title": story.title,
        "community": {
            "slug": community.slug,
            "name": community.name,
            "identity_mode": community.identity_mode,
            "moderation_mode": community.moderation_mode,
        },
        "comments_open": story.accepts_comments_at(clock.now()),
        "closes_at": story.closes_at,
        "comment_count": story.comment_count,
        "moderation": story.effective_moderation,
    }


def comment_out(comment: Comment, *, youth: bool, viewer: Actor | None = None) -> dict[str, Any]:
    """A comment as the API shows it. Withdrawn and erased text never leaves the server; the
    decision and consent are shown to the author and to moderators only."""
    public = comment.status == CommentStatus.PUBLISHED
    privileged = viewer is not None and (
        viewer.commenter_id == comment.author_id
        or viewer.has_role("moderator", comment.story.community_id)
    )
    body = (
        comment.body_html
        if (public or privileged) and comment.status != CommentStatus.WITHDRAWN
        else ""
    )
    data: dict[str, Any] = {
        "id": comment.pk,
        "story_id": comment.story_id,
        "parent_id": comment.parent_id,
        "status": comment.status,
        "author": {
            "id": comment.author_id,
            "display_name": public_name(comment.author, youth_community=youth),
        },
        "body_html": body,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "reply_count": comment.reply_count,
        "featured": comment.featured,
    }
    if privileged:
        if comment.rule_code:
            data["rule"] = {
                "code": comment.rule_code,
                "guideline_version": comment.guideline_version,
            }
        data["consent"] = {
            "terms_version": comment.accepted_terms.version,
            "accepted_at": comment.accepted_terms_at,
        }
    return data


def me_out(commenter: Commenter) -> dict[str, Any]:
    youth = commenter.is_youth
    return {
        "id": commenter.pk,
        # A youth member's real name is never returned, not even to themselves through the API.
        "given_name": None if youth else commenter.given_name,
        "family_name": None if youth else commenter.family_name,
        "display_name": public_name(commenter, youth_community=youth),
        "name_status": commenter.name_status,
        "name_problems": commenter.name_problems,
        "youth": youth,
        "community_name": commenter.community_name,
        "community_name_status": commenter.community_name_status,
        "proposed_community_name": commenter.proposed_community_name,
        "created_at": commenter.created_at,
    }
