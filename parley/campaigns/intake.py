"""Campaigns' hook into the comment intake pipeline (see parley.comments.intake).

`observe_comment` (PARLEY_INTAKE_LISTENERS) runs after a comment commits and hands it to the
background worker; detection never runs in the request. Edits are not re-examined: the engine
judges a comment by the text it was posted with (the edit window is short, and the edit's
history is kept for moderators).
"""

from __future__ import annotations


def observe_comment(comment_id: int, event: str) -> None:
    if event != "created":
        return
    from parley.campaigns.tasks import detect_campaigns_for_comment

    detect_campaigns_for_comment.enqueue(comment_id)
