from __future__ import annotations

from typing import Any

from django.db import models

from parley.core import clock


class AuditEntry(models.Model):
    """One row per moderation, staff or account action. Append-only: rows are never changed.

    Written by the action that made the change, inside the same transaction, so the log and
    the data cannot disagree.
    """

    at = models.DateTimeField(default=clock.now, db_index=True)
    actor_kind = models.CharField(max_length=16)
    actor_id = models.CharField(max_length=64)
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=32)
    target_id = models.CharField(max_length=64)
    community_id = models.BigIntegerField(null=True, blank=True)
    rule_code = models.CharField(max_length=32, blank=True)
    guideline_version = models.PositiveIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["actor_kind", "actor_id"], name="audit_actor_idx"),
            models.Index(fields=["community_id", "-at"], name="audit_community_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An audit log that can be edited proves nothing.
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit entries are append-only")
