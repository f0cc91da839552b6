from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parley.core import clock


class NameStatus(models.TextChoices):
    VERIFIED = "verified", _("Plausible personal name")
    REFUSED = "refused", _("Not a plausible personal name")


class CommunityNameStatus(models.TextChoices):
    GENERATED = "generated", _("Generated from the safe word list")
    PENDING = "pending", _("Waiting for a moderator")
    APPROVED = "approved", _("Approved by a moderator")
    REJECTED = "rejected", _("Rejected by a moderator")


class Commenter(models.Model):
    """A reader who signed in through the publisher's single sign-on.

    The real name is what the publisher's login vouched for (NFC-normalised). In a youth
    community it is never shown or returned: the community name is.
    """

    sso_subject = models.CharField(max_length=255)
    sso_issuer = models.CharField(max_length=255, blank=True, default="")
    given_name = models.CharField(max_length=80, blank=True)
    family_name = models.CharField(max_length=80, blank=True)
    # The names as last received from SSO: a PATCH /me correction survives later sign-ins
    # unless the publisher's record itself changes.
    sso_given_name = models.CharField(max_length=80, blank=True)
    sso_family_name = models.CharField(max_length=80, blank=True)
    name_status = models.CharField(
        max_length=16, choices=NameStatus.choices, default=NameStatus.VERIFIED
    )
    name_problems = models.JSONField(default=list, blank=True)
    name_skeleton = models.CharField(max_length=200, blank=True, db_index=True)
    email = models.EmailField(blank=True)
    is_youth = models.BooleanField(default=False)
    community_name = models.CharField(max_length=40, blank=True)
    community_name_status = models.CharField(
        max_length=16, choices=CommunityNameStatus.choices, default=CommunityNameStatus.GENERATED
    )
    proposed_community_name = models.CharField(max_length=40, blank=True)
    # Sanction state, written by moderation actions; read on every submission.
    premoderated = models.BooleanField(default=False)
    suspended_until = models.DateTimeField(null=True, blank=True)
    banned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    last_seen_at = models.DateTimeField(default=clock.now)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sso_issuer", "sso_subject"], name="commenter_unique_sso_subject"
            )
        ]

    def __str__(self) -> str:
        return f"commenter {self.pk}"

    @property
    def real_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class Role(models.TextChoices):
    MODERATOR = "moderator", _("Moderator")
    STAFF = "staff", _("Newsroom staff")
    ADMIN = "admin", _("Administrator")


class StaffRole(models.Model):
    """A dashboard user's role, in one community or (community empty) in all of them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="parley_roles"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "community"], name="staffrole_unique_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role}"


class ApiKey(models.Model):
    """A key for staff tools and scripts. Only a hash is stored; the key is shown once."""

    name = models.CharField(max_length=200)
    role = models.CharField(max_length=16, choices=Role.choices)
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE
    )
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=clock.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"
