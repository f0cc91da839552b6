from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from parley.communities.models import TermsVersion
from parley.core import clock
from parley.identity.models import Commenter
from parley.stories.models import Story


class CommentStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Waiting for moderation")
    REJECTED = "rejected", _("Not published")
    REMOVED = "removed", _("Removed by a moderator")
    WITHDRAWN = "withdrawn", _("Withdrawn by its author")


class Comment(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The top-level comment of the thread this reply belongs to: one query loads a page's
    # replies whatever their depth.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="descendants"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(Commenter, on_delete=models.PROTECT, related_name="comments")
    body_raw = models.TextField()
    body_html = models.TextField()
    status = models.CharField(max_length=16, choices=CommentStatus.choices)
    # The decision that set a non-public status, written by moderation actions.
    rule_code = models.CharField(max_length=32, blank=True)
    guideline_version = models.PositiveIntegerField(null=True, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    # Consent: which licence terms the author accepted, and when.
    accepted_terms = models.ForeignKey(TermsVersion, on_delete=models.PROTECT)
    accepted_terms_at = models.DateTimeField()
    reply_count = models.PositiveIntegerField(default=0)
    featured = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=clock.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Signals for moderation and campaign detection; addresses are only ever stored hashed.
    address_hash = models.CharField(max_length=64, blank=True)
    user_agent_hash = models.CharField(max_length=64, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    flags = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["story", "status", "parent", "created_at", "id"], name="comment_thread_idx"
            ),
            models.Index(fields=["root", "status", "created_at"], name="comment_root_idx"),
            models.Index(fields=["author", "-created_at"], name="comment_author_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_status_idx"),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk}"

    @property
    def is_public(self) -> bool:
        return self.status == CommentStatus.PUBLISHED


class CommentRevision(models.Model):
    """The text a comment had before an edit: edits keep their history."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body_raw = models.TextField()
    body_html = models.TextField()
    replaced_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["replaced_at", "id"]

    def __str__(self) -> str:
        return f"revision of comment {self.comment_id}"


class Report(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(Commenter, on_delete=models.CASCADE, related_name="reports_filed")
    reason = models.TextField()
    rule_code = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="report_once_per_reader")
        ]
        indexes = [models.Index(fields=["resolved_at", "created_at"], name="report_open_idx")]

    def __str__(self) -> str:
        return f"report on comment {self.comment_id}"


class IdempotencyRecord(models.Model):
    """A POST's Idempotency-Key, committed with the comment it created."""

    commenter = models.ForeignKey(Commenter, on_delete=models.CASCADE)
    key = models.CharField(max_length=128)
    request_hash = models.CharField(max_length=64)
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commenter", "key"], name="idempotency_unique_key")
        ]

    def __str__(self) -> str:
        return f"idempotency key {self.key}"
