"""Permission-checked fetches of comments. Views never call Comment.objects.get themselves."""

from __future__ import annotations

from django.utils.translation import gettext as _

from parley.comments.models import Comment
from parley.core.actors import Actor
from parley.core.errors import NotFound, PermissionDenied


def _not_found() -> NotFound:
    return NotFound("comment_not_found", _("There is no such comment."))


def access_comment_for_reading(actor: Actor | None, comment_id: int) -> Comment:
    """Public comments for anyone; a non-public one only for its author and its moderators
    (to everyone else it does not exist)."""
    comment = (
        Comment.objects.select_related("story__community", "author", "accepted_terms")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        raise _not_found()
    if comment.is_public or actor is None:
        if not comment.is_public:
            raise _not_found()
        return comment
    if actor.commenter_id == comment.author_id:
        return comment
    if actor.has_role("moderator", comment.story.community_id):
        return comment
    raise _not_found()


def access_comment_for_interaction(comment_id: int) -> Comment:
    """A comment a reader may act on (edit their own, report): it must exist."""
    comment = Comment.objects.select_related("story__community").filter(pk=comment_id).first()
    if comment is None:
        raise _not_found()
    return comment


def access_comment_for_moderation(actor: Actor, comment_id: int) -> Comment:
    comment = (
        Comment.objects.select_related("story__community", "author").filter(pk=comment_id).first()
    )
    if comment is None:
        raise _not_found()
    if not actor.has_role("moderator", comment.story.community_id):
        raise PermissionDenied(
            "not_a_moderator_here", _("You do not moderate this comment's community.")
        )
    return comment
