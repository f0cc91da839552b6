from __future__ import annotations

from django.utils.translation import gettext as _

from parley.identity.models import Commenter


def public_name(commenter: Commenter, *, youth_community: bool) -> str:
    """The name shown beside a comment. In a youth community, never the real name."""
    if commenter.erased_at is not None:
        return _("Former member")
    if youth_community or commenter.is_youth:
        return commenter.community_name or _("Community member")
    return commenter.real_name
