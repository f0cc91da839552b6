from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from parley.core import clock


class IdentityMode(models.TextChoices):
    REAL_NAME = "real_name", _("Real names")
    YOUTH = "youth", _("Youth community (community names)")


class ModerationMode(models.TextChoices):
    PRE = "pre", _("Pre-moderation (held until approved)")
    POST = "post", _("Post-moderation (published at once)")


class Community(models.Model):
    """A group of stories that shares one policy: how members are named and how comments are
    moderated. Newsroom staff change this policy through actions, never settings."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    identity_mode = models.CharField(
        max_length=16, choices=IdentityMode.choices, default=IdentityMode.REAL_NAME
    )
    moderation_mode = models.CharField(
        max_length=8, choices=ModerationMode.choices, default=ModerationMode.POST
    )
    locale = models.CharField(max_length=8, default="en")
    publisher_name = models.CharField(max_length=200, default="The publisher")
    # Toxicity score at or above which a comment goes to the system queue, and is held.
    flag_threshold = models.FloatField(default=0.5)
    hold_threshold = models.FloatField(default=0.85)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name_plural = "communities"
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_youth(self) -> bool:
        return self.identity_mode == IdentityMode.YOUTH


class GuidelineVersion(models.Model):
    """A published version of the Submission Guidelines. Versions are never edited: a change
    is a new version, because decisions cite the version they applied."""

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200, default="Submission Guidelines")
    introduction = models.TextField(blank=True)
    published_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Guidelines v{self.version}"


class GuidelineRule(models.Model):
    guideline = models.ForeignKey(GuidelineVersion, on_delete=models.PROTECT, related_name="rules")
    code = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["guideline", "code"], name="guideline_rule_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class TermsVersion(models.Model):
    """The reproduction licence a commenter accepts by submitting. Versioned like guidelines:
    every comment's consent points at the exact text accepted."""

    version = models.CharField(max_length=32, unique=True)
    text = models.TextField()
    published_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"Terms {self.version}"
