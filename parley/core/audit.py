"""Writing audit rows. Call `record` inside the action's transaction."""

from __future__ import annotations

from typing import Any

from parley.core.actors import Actor
from parley.core.models import AuditEntry


def record(
    *,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: object,
    community_id: int | None = None,
    rule_code: str = "",
    guideline_version: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor_kind=actor.kind,
        actor_id=actor.id,
        actor_label=actor.label[:200],
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        community_id=community_id,
        rule_code=rule_code,
        guideline_version=guideline_version,
        data=data or {},
    )
