"""What moderators decide and what commenters are told.

The audit log (`parley.core.models.AuditEntry`) is the append-only record of who did what;
these tables are the domain state the queues and notices read, written in the same
transaction as the audit row.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parley.core import clock


class DecisionAction(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    REMOVE = "remove", _("Remove")


class SanctionKind(models.TextChoices):
    WARN = "warn", _("Warning")
    PREMOD = "premod", _("Pre-moderation")
    SUSPEND = "suspend", _("Suspension")
    BAN = "ban", _("Ban")


class Decision(models.Model):
    """A moderator's decision on one comment, citing a rule of a guidelines version."""

    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.CASCADE, related_name="decisions"
    )
    action = models.CharField(max_length=16, choices=DecisionAction.choices)
    rule_code = models.CharField(max_length=32)
    guideline_version = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    actor_kind = models.CharField(max_length=16)
    actor_id = models.CharField(max_length=64)
    actor_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["comment", "-created_at"], name="decision_comment_idx")]

    def __str__(self) -> str:
        return f"{self.action} comment {self.comment_id} ({self.rule_code})"


class Sanction(models.Model):
    """A sanction on a commenter. Its effect lives on the Commenter row (read by intake);
    this row says why, by whom, until when, and whether it was lifted."""

    commenter = models.ForeignKey(
        "identity.Commenter", on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=16, choices=SanctionKind.choices)
    rule_code = models.CharField(max_length=32)
    guideline_version = models.PositiveIntegerField()
    until = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    community_id = models.BigIntegerField(null=True, blank=True)
    comment = models.ForeignKey(
        "comments.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_kind = models.CharField(max_length=16)
    actor_id = models.CharField(max_length=64)
    actor_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=clock.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["commenter", "-created_at"], name="sanction_commenter_idx")]

    def __str__(self) -> str:
        return f"{self.kind} commenter {self.commenter_id} ({self.rule_code})"


class WordList(models.Model):
    """A community's word lists: banned terms reject a comment citing `reject_rule`; suspect
    terms publish it (or hold it, under pre-moderation) and flag it for the system queue."""

    community = models.OneToOneField(
        "communities.Community", on_delete=models.CASCADE, related_name="word_list"
    )
    banned = models.JSONField(default=list, blank=True)
    suspect = models.JSONField(default=list, blank=True)
    reject_rule = models.CharField(max_length=32, default="R1")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return f"word lists of community {self.community_id}"


class NoticeKind(models.TextChoices):
    COMMENT_REJECTED = "comment_rejected", _("Comment not published")
    COMMENT_REMOVED = "comment_removed", _("Comment removed")
    WARNING = "warning", _("Warning")
    PREMODERATED = "premoderated", _("Comments held for review")
    SUSPENDED = "suspended", _("Suspended")
    BANNED = "banned", _("Banned")
    SANCTION_LIFTED = "sanction_lifted", _("Sanction lifted")


class Notice(models.Model):
    """What a commenter is told about a decision or sanction that concerns them. The message
    is rendered when read (in the reader's language) from these fields."""

    commenter = models.ForeignKey(
        "identity.Commenter", on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=32, choices=NoticeKind.choices)
    comment = models.ForeignKey(
        "comments.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sanction = models.ForeignKey(
        Sanction, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    rule_code = models.CharField(max_length=32, blank=True)
    rule_title = models.CharField(max_length=200, blank=True)
    guideline_version = models.PositiveIntegerField(null=True, blank=True)
    until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["commenter", "-created_at"], name="notice_commenter_idx")]

    def __str__(self) -> str:
        return f"{self.kind} for commenter {self.commenter_id}"

    def message(self) -> str:
        """What the commenter reads, in the active language."""
        values = {
            "rule": self.rule_code,
            "title": self.rule_title,
            "version": self.guideline_version or "",
            "until": self.until.isoformat(timespec="minutes") if self.until else "",
        }
        if self.kind == NoticeKind.COMMENT_REJECTED:
            text = gettext(
                "Your comment was not published: it breaks rule %(rule)s (%(title)s) of the "
                "Submission Guidelines, version %(version)s."
            )
        elif self.kind == NoticeKind.COMMENT_REMOVED:
            text = gettext(
                "Your comment was removed: it breaks rule %(rule)s (%(title)s) of the "
                "Submission Guidelines, version %(version)s."
            )
        elif self.kind == NoticeKind.WARNING:
            text = gettext(
                "A moderator warns you about rule %(rule)s (%(title)s) of the Submission "
                "Guidelines."
            )
        elif self.kind == NoticeKind.PREMODERATED:
            text = gettext(
                "Under rule %(rule)s (%(title)s), your comments will be reviewed by a "
                "moderator before they are published."
            )
        elif self.kind == NoticeKind.SUSPENDED:
            text = gettext(
                "Under rule %(rule)s (%(title)s), you are suspended from commenting until "
                "%(until)s."
            )
        elif self.kind == NoticeKind.BANNED:
            text = gettext("Under rule %(rule)s (%(title)s), your account may no longer comment.")
        else:
            text = gettext("A moderator lifted a sanction on your account.")
        return text % values


class FlaggedComment(models.Model):
    """The system queue's index: a comment the system flagged (word list, score, campaign
    signal) that no moderator has reviewed since. Derived from the comment's `flags` and
    `moderated_at` by moderation actions, so the queue is read from a small indexed table
    instead of scanning every comment's flags."""

    comment = models.OneToOneField(
        "comments.Comment", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    community_id = models.BigIntegerField()
    created_at = models.DateTimeField()  # the comment's own, for queue order and cursors

    class Meta:
        indexes = [models.Index(fields=["created_at", "comment"], name="flagged_order_idx")]

    def __str__(self) -> str:
        return f"flagged comment {self.comment_id}"
