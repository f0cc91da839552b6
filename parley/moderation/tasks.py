"""Background work for moderation: toxicity scoring, run by `parley worker`."""

from __future__ import annotations

import logging

from django_tasks import task

from parley.comments.models import Comment, CommentStatus
from parley.comments.sanitising import visible_text
from parley.communities.models import Community
from parley.moderation.actions import apply_scores
from parley.moderation.scoring.base import ScoringUnavailable
from parley.moderation.scoring.registry import get_scorer
from parley.moderation.scoring.routing import SHIPPED_THRESHOLDS, Thresholds, route_for

logger = logging.getLogger(__name__)


def thresholds_for(community: Community | None) -> Thresholds:
    """The community's flag and hold thresholds (the shipped ones if none or invalid)."""
    if community is None:
        return SHIPPED_THRESHOLDS
    try:
        return Thresholds(flag=community.flag_threshold, hold=community.hold_threshold)
    except ValueError:
        logger.warning("community %s has invalid thresholds; using the shipped ones", community.pk)
        return SHIPPED_THRESHOLDS


@task()
def score_comment(comment_id: int) -> str:
    """Score one comment and route it: publish (nothing to do), system queue, or hold.
    Returns the route, or why nothing was done."""
    comment = (
        Comment.objects.select_related("story__community")
        .only("id", "status", "body_html", "story__community")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or comment.status not in {CommentStatus.PUBLISHED, CommentStatus.PENDING}:
        return "skipped"
    body_html = comment.body_html
    try:
        scorer = get_scorer()
        scores = scorer.score(visible_text(body_html))
        route = route_for(scores, thresholds_for(comment.story.community))
    except (ScoringUnavailable, ValueError, OSError):
        # Unscored is not civil: the comment stays where policy put it, and the error is
        # logged for the operator.
        logger.warning("could not score comment %s", comment_id, exc_info=True)
        return "unavailable"
    applied = apply_scores(
        comment_id=comment_id,
        scores=scores,
        route=route,
        scorer=getattr(scorer, "name", ""),
        scored_body_html=body_html,
    )
    return route if applied is not None else "skipped"
