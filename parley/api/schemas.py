"""Request and response shapes of the HTTP API (the only place serializers live)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema


class HealthOut(Schema):
    status: str
    database: str
    cache: str
    queue: str


class RuleOut(Schema):
    code: str
    title: str
    text: str


class GuidelinesOut(Schema):
    version: int
    title: str
    introduction: str
    published_at: datetime
    rules: list[RuleOut]


class TermsOut(Schema):
    version: str
    text: str
    published_at: datetime


class CommunityOut(Schema):
    slug: str
    name: str
    identity_mode: str
    moderation_mode: str


class StoryIn(Schema):
    url: str = Field(..., max_length=1000)
    title: str = Field(..., min_length=1, max_length=500)
    community: str = Field(..., max_length=64)
    dek: str = Field("", max_length=1000)
    byline: str = Field("", max_length=300)
    section: str = Field("", max_length=200)
    published_at: datetime | None = None


class StoryPatch(Schema):
    comments_open: bool | None = None
    closes_at: datetime | None = None
    moderation: Literal["pre", "post", ""] | None = None


class StoryOut(Schema):
    id: int
    url: str
    title: str
    community: CommunityOut
    comments_open: bool
    closes_at: datetime | None
    comment_count: int
    moderation: str


class CountsOut(Schema):
    counts: dict[str, int]


class AuthorOut(Schema):
    id: int
    display_name: str


class RuleRef(Schema):
    code: str
    guideline_version: int | None


class ConsentOut(Schema):
    terms_version: str
    accepted_at: datetime


class CommentOut(Schema):
    id: int
    story_id: int
    parent_id: int | None
    status: str
    author: AuthorOut
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    reply_count: int
    featured: bool
    rule: RuleRef | None = None
    consent: ConsentOut | None = None


class CommentPage(Schema):
    items: list[CommentOut]
    next_cursor: str | None


class CommentIn(Schema):
    body: str
    parent_id: int | None = None
    accept_terms: str | None = None


class CommentPatch(Schema):
    body: str


class ReportIn(Schema):
    reason: str
    rule: str = ""


class ReportOut(Schema):
    id: int
    comment_id: int
    reason: str
    rule: str
    created_at: datetime


class MeOut(Schema):
    id: int
    given_name: str | None
    family_name: str | None
    display_name: str
    name_status: str
    name_problems: list[dict[str, Any]]
    youth: bool
    community_name: str
    community_name_status: str
    proposed_community_name: str
    created_at: datetime


class MePatch(Schema):
    given_name: str | None = Field(None, max_length=200)
    family_name: str | None = Field(None, max_length=200)
    community_name: str | None = Field(None, max_length=100)


class SessionIn(Schema):
    sso_token: str


class SessionOut(Schema):
    session_token: str
    me: MeOut
