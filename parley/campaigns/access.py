"""Permission-checked fetches of campaign cases. Views and the API never fetch them bare.

A case is visible to a moderator who moderates every community its comments were posted in:
a campaign run across two communities goes to moderators of both (or of all communities), so
nobody sees, or decides on, comments from a community they do not moderate.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from parley.campaigns.errors import CampaignError
from parley.campaigns.models import CampaignCase, CaseComment, CaseStatus
from parley.core.actors import Actor
from parley.moderation.access import require_moderator

MAX_ID = 2**63 - 1


def _not_found() -> CampaignError:
    return CampaignError(CampaignError.NOT_FOUND, _("There is no such campaign case."), status=404)


def visible_cases(actor: Actor) -> QuerySet[CampaignCase]:
    """Cases the actor may read (merged ones excluded: their survivor holds their links).
    Refuses anyone who moderates nothing with 403 `insufficient_role`."""
    communities = require_moderator(actor)
    queryset = CampaignCase.objects.exclude(status=CaseStatus.MERGED)
    if communities is None:
        return queryset
    links = CaseComment.objects.filter(case=OuterRef("pk"))
    return queryset.filter(Exists(links.filter(community_id__in=communities))).exclude(
        Exists(links.exclude(community_id__in=communities))
    )


def access_case_for_moderation(actor: Actor, case_id: int) -> CampaignCase:
    communities = require_moderator(actor)
    if not 0 < case_id <= MAX_ID:
        raise _not_found()
    case = CampaignCase.objects.filter(pk=case_id).exclude(status=CaseStatus.MERGED).first()
    if case is None:
        raise _not_found()
    if communities is not None:
        case_communities = set(
            CaseComment.objects.filter(case=case).values_list("community_id", flat=True)
        )
        if not case_communities or not case_communities <= communities:
            raise CampaignError(
                CampaignError.OTHER_COMMUNITY,
                _("This campaign involves a community you do not moderate."),
                status=403,
            )
    return case
