from __future__ import annotations

from typing import Any

from parley.realtime.backends import get_backend


def story_channel(story_id: int) -> str:
    return f"story:{story_id}"


def publish_story_event(story_id: int, event: dict[str, Any]) -> None:
    """Call from transaction.on_commit only: readers must never see an uncommitted change."""
    get_backend().publish(story_channel(story_id), event)
