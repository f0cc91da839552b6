"""Moderation's stable error codes (clients match on the code, people read the message)."""

from __future__ import annotations

from parley.core.errors import ParleyError


class ModerationError(ParleyError):
    RULE_REQUIRED = "rule_required"
    UNKNOWN_RULE = "unknown_rule"
    UNKNOWN_ACTION = "unknown_action"
    ALREADY_DECIDED = "already_decided"
    NOT_PUBLISHED = "not_published"
    COMMENT_WITHDRAWN = "comment_withdrawn"
    # The same code as comments' access_comment_for_moderation, so one meaning has one code.
    OTHER_COMMUNITY = "not_a_moderator_here"
    UNTIL_REQUIRED = "until_required"
    UNTIL_NOT_ALLOWED = "until_not_allowed"
    UNTIL_IN_PAST = "until_in_past"
    UNTIL_NAIVE = "until_needs_time_zone"
    ALREADY_SANCTIONED = "already_sanctioned"
    SANCTION_NOT_ACTIVE = "sanction_not_active"
    UNKNOWN_SANCTION = "unknown_sanction"
    INVALID_WORD_LIST = "invalid_word_list"
    STAFF_ONLY = "staff_only"
    ADMIN_ONLY = "admin_only"
    NOTE_TOO_LONG = "note_too_long"
    TOO_MANY_ITEMS = "too_many_items"
