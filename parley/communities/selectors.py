from __future__ import annotations

from parley.communities.models import Community
from parley.core.errors import NotFound


def get_community_by_slug(slug: str) -> Community:
    try:
        return Community.objects.get(slug=slug)
    except Community.DoesNotExist:
        raise NotFound("community_not_found", f"No community with slug '{slug}'.") from None
