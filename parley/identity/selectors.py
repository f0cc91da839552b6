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
