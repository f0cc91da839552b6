"""Campaigns' stable error codes (clients match on the code, people read the message).

Rule citation errors come from moderation's `cite_rule` with its codes (`rule_required`,
`unknown_rule`), so a missing rule reads the same on a comment and on a campaign.
"""

from __future__ import annotations

from parley.core.errors import ParleyError


class CampaignError(ParleyError):
    NOT_FOUND = "campaign_not_found"
    UNKNOWN_ACTION = "unknown_action"
    UNKNOWN_STATUS = "unknown_status"
    ALREADY_DECIDED = "already_decided"
    # The same code as comments' and moderation's access checks: one meaning, one code.
    OTHER_COMMUNITY = "not_a_moderator_here"
