"""Permission-checked fetches for moderation. Views and the API never fetch these rows bare."""

from __future__ import annotations

from django.utils.translation import gettext as _

from parley.comments.access import access_comment_for_moderation
from parley.comments.models import Comment
from parley.communities.models import Community
from parley.core.actors import ROLE_RANK, Actor
from parley.core.errors import NotFound, PermissionDenied
from parley.identity.models import Commenter
from parley.moderation.errors import ModerationError

__all__ = [
    "access_comment_for_moderation",
    "access_commenter_for_moderation",
    "access_community_for_admin",
    "moderated_communities",
    "require_moderator",
]


def moderated_communities(actor: Actor) -> frozenset[int] | None:
    """The community ids the actor moderates; None means every community."""
    found: set[int] = set()
    for role, communities in actor.roles.items():
        if ROLE_RANK.get(role, 0) < ROLE_RANK["moderator"]:
            continue
        if communities is None:
            return None
        found.update(communities)
    return frozenset(found)


def require_moderator(actor: Actor) -> frozenset[int] | None:
    """Refuse anyone who moderates nothing (commenters, say); return their communities."""
    if not actor.has_role("moderator"):
        raise PermissionDenied("insufficient_role", _("This needs the moderator role."))
    return moderated_communities(actor)


def access_commenter_for_moderation(
    actor: Actor, commenter_id: int, *, comment: Comment | None = None
) -> Commenter:
    """A commenter the actor may sanction: one who has commented in a community the actor
    moderates (or the author of `comment`, which the actor must moderate)."""
    require_moderator(actor)
    commenter = Commenter.objects.filter(pk=commenter_id, erased_at__isnull=True).first()
    if commenter is None:
        raise NotFound("commenter_not_found", _("There is no such commenter."))
    if comment is not None:
        if comment.author_id != commenter.pk:
            raise ModerationError(
                "comment_of_other_author",
                _("That comment was written by someone else."),
                status=422,
                errors={"comment": [_("Not this commenter's comment.")]},
            )
        if not actor.has_role("moderator", comment.story.community_id):
            raise _other_community()
        return commenter
    communities = moderated_communities(actor)
    if communities is None:
        return commenter
    if not Comment.objects.filter(author=commenter, story__community_id__in=communities).exists():
        raise _other_community()
    return commenter


def _other_community() -> ModerationError:
    return ModerationError(
        ModerationError.OTHER_COMMUNITY,
        _("This commenter has not taken part in a community you moderate."),
        status=403,
    )


def access_community_for_admin(actor: Actor, slug: str) -> Community:
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        raise NotFound("community_not_found", _("There is no such community."))
    if not actor.has_role("admin", community.pk):
        raise PermissionDenied(
            ModerationError.ADMIN_ONLY, _("Only administrators change community settings.")
        )
    return community
