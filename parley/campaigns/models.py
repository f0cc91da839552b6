"""Campaign cases: what the detection engine found, stored for moderators to read and decide.

A case links the comments and accounts the engine grouped. Links keep the plain ids next to
nullable foreign keys, so a case stays readable whatever happens to its members: an erased
commenter's row stays (emptied) and a story deleted with its comments leaves the ids behind.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from parley.core import clock


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a decision")
    ACTIONED = "actioned", _("Acted on")
    DISMISSED = "dismissed", _("Dismissed")
    # Folded into another case when the engine found two cases were one campaign; the
    # surviving case holds every link, this row keeps its history.
    MERGED = "merged", _("Merged into another case")


class CaseAction(models.TextChoices):
    REJECT_ALL = "reject_all", _("Reject every comment")
    PREMOD_ACCOUNTS = "premod_accounts", _("Pre-moderate every account")
    DISMISS = "dismiss", _("Dismiss: not a campaign")


class CampaignCase(models.Model):
    """One suspected coordinated campaign, as the engine last described it."""

    case_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    score = models.FloatField()
    summary = models.TextField()
    evidence = models.JSONField(default=dict, blank=True)
    # [{"text": ..., "count": n, "comment_id": source comment or null}], most frequent first.
    talking_points = models.JSONField(default=list, blank=True)
    story_ids = models.JSONField(default=list, blank=True)
    account_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    opened_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The last decision (the audit log keeps every one).
    decision = models.CharField(max_length=16, choices=CaseAction.choices, blank=True)
    rule_code = models.CharField(max_length=32, blank=True)
    guideline_version = models.PositiveIntegerField(null=True, blank=True)
    decided_by = models.CharField(max_length=200, blank=True)
    decided_by_id = models.CharField(max_length=64, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_result = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "-opened_at", "-id"], name="campaign_status_idx"),
            models.Index(fields=["-opened_at", "-id"], name="campaign_opened_idx"),
        ]

    def __str__(self) -> str:
        return f"campaign {self.case_key}"


class CaseComment(models.Model):
    case = models.ForeignKey(CampaignCase, on_delete=models.CASCADE, related_name="comment_links")
    comment = models.ForeignKey(
        "comments.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment_ref = models.BigIntegerField()
    commenter_ref = models.BigIntegerField()
    story_ref = models.BigIntegerField()
    # Denormalised so "cases in the communities I moderate" is one indexed filter.
    community_id = models.BigIntegerField()
    posted_at = models.DateTimeField()
    added_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "comment_ref"], name="casecomment_once")
        ]
        indexes = [
            models.Index(fields=["comment_ref"], name="casecomment_comment_idx"),
            models.Index(fields=["case", "community_id"], name="casecomment_community_idx"),
        ]

    def __str__(self) -> str:
        return f"comment {self.comment_ref} in case {self.case_id}"


class CaseAccount(models.Model):
    case = models.ForeignKey(CampaignCase, on_delete=models.CASCADE, related_name="account_links")
    commenter = models.ForeignKey(
        "identity.Commenter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    commenter_ref = models.BigIntegerField()
    account_created_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "commenter_ref"], name="caseaccount_once")
        ]

    def __str__(self) -> str:
        return f"commenter {self.commenter_ref} in case {self.case_id}"
