from __future__ import annotations

from django.db import transaction

from parley.communities.models import Community, IdentityMode, ModerationMode
from parley.core import audit
from parley.core.actors import Actor


def create_community(
    *,
    actor: Actor,
    slug: str,
    name: str,
    identity_mode: str = IdentityMode.REAL_NAME,
    moderation_mode: str | None = None,
    locale: str = "en",
    publisher_name: str = "The publisher",
) -> Community:
    """Create a community. Youth communities default to pre-moderation."""
    if moderation_mode is None:
        moderation_mode = (
            ModerationMode.PRE if identity_mode == IdentityMode.YOUTH else ModerationMode.POST
        )
    with transaction.atomic():
        community = Community.objects.create(
            slug=slug,
            name=name,
            identity_mode=identity_mode,
            moderation_mode=moderation_mode,
            locale=locale,
            publisher_name=publisher_name,
        )
        audit.record(
            actor=actor,
            action="community.create",
            target_type="community",
            target_id=community.pk,
            community_id=community.pk,
            data={"slug": slug, "identity_mode": identity_mode, "moderation_mode": moderation_mode},
        )
    return community
