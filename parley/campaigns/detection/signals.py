"""Input record for the campaign engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CommentSignal:
    """One comment and the account/network facts the detector may use.

    ``created_at`` and ``account_created_at`` must be timezone-aware. The network fields are
    opaque hashes (for example a keyed hash of the /24 or /64 prefix); the engine only compares
    them for equality. ``parent_text`` (optional) is the replied-to comment.
    """

    comment_id: str
    account_id: str
    story_id: str
    text: str
    created_at: datetime
    account_created_at: datetime | None = None
    network_hash: str | None = None
    user_agent_hash: str | None = None
    sso_source: str | None = None
    parent_text: str | None = None
    """Text of the comment this one replies to, if any: quoting it is not coordination."""
