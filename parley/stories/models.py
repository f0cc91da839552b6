from __future__ import annotations

from datetime import datetime

from django.db import models

from parley.communities.models import Community, ModerationMode
from parley.core import clock


class Story(models.Model):
    """A publisher's article with a comment thread under it."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="stories")
    url = models.URLField(max_length=1000, unique=True)
    title = models.CharField(max_length=500)
    dek = models.CharField(max_length=1000, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    section = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The article itself, for the demo story page (the embed never needs it).
    content = models.JSONField(default=dict, blank=True)
    comments_open = models.BooleanField(default=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    moderation = models.CharField(
        max_length=8, choices=ModerationMode.choices, blank=True, default=""
    )
    comment_count = models.PositiveIntegerField(default=0)
    # Bumped in the same transaction as every change to what readers see, so cached pages
    # keyed on it can never outlive the data.
    thread_version = models.PositiveBigIntegerField(default=1)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def accepts_comments_at(self, moment: datetime) -> bool:
        return self.comments_open and (self.closes_at is None or moment < self.closes_at)

    @property
    def effective_moderation(self) -> str:
        return self.moderation or self.community.moderation_mode
