from __future__ import annotations

from django.utils.translation import gettext as _

from parley.communities.models import Community
from parley.identity.models import Commenter, CommunityNameStatus


def public_name(commenter: Commenter, *, youth_community: bool) -> str:
    """The name shown beside a comment. In a youth community, never the real name."""
    if commenter.erased_at is not None:
        return _("Former member")
    if youth_community or commenter.is_youth:
        return commenter.community_name or _("Community member")
    return commenter.real_name


def display_name_in(commenter: Commenter, community: Community) -> str:
    return public_name(commenter, youth_community=community.is_youth)


def pending_community_names() -> list[Commenter]:
    return list(
        Commenter.objects.filter(community_name_status=CommunityNameStatus.PENDING).order_by(
            "created_at"
        )[:200]
    )


def export_commenter_data(commenter: Commenter) -> dict[str, object]:
    """GET /me/export: the person's profile, comments with their consent, edits and reports."""
    from parley.comments.models import Comment, Report  # comments depend on identity

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
