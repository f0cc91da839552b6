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


# --- moderation ---------------------------------------------------------------------------------


class QueueReportOut(Schema):
    id: int
    reporter_id: int
    reason: str
    rule: str
    created_at: datetime
    resolved_at: datetime | None


class SanctionOut(Schema):
    id: int
    commenter_id: int
    kind: str
    rule: RuleRef
    until: datetime | None
    note: str
    comment_id: int | None
    created_at: datetime
    created_by: str
    lifted_at: datetime | None
    active: bool


class AuthorHistoryOut(Schema):
    id: int
    display_name: str
    account_created_at: datetime
    account_age_days: int
    comments: int
    by_status: dict[str, int]
    premoderated: bool
    suspended_until: datetime | None
    banned: bool
    sanctions: list[SanctionOut]


class StoryRef(Schema):
    id: int
    title: str
    url: str
    community: str


class ParentRef(Schema):
    id: int
    status: str
    author: AuthorOut
    body_html: str


class QueueItemOut(Schema):
    comment: CommentOut
    story: StoryRef
    parent: ParentRef | None
    reasons: list[str]
    scores: dict[str, float]
    flags: list[str]
    reports: list[QueueReportOut]
    author_history: AuthorHistoryOut


class QueuePageOut(Schema):
    items: list[QueueItemOut]
    next_cursor: str | None


class DecisionIn(Schema):
    action: Literal["approve", "reject", "remove"]
    rule: str | None = Field(None, max_length=32)
    note: str = Field("", max_length=2000)


class DecisionOut(Schema):
    id: int
    comment: CommentOut
    action: str
    rule: RuleRef
    note: str
    decided_by: str
    decided_at: datetime


class BulkDecisionIn(Schema):
    comment_ids: list[int] = Field(..., min_length=1, max_length=100)
    action: Literal["approve", "reject", "remove"]
    rule: str | None = Field(None, max_length=32)
    note: str = Field("", max_length=2000)


class BulkOutcomeOut(Schema):
    comment_id: int
    ok: bool
    code: str
    detail: str


class BulkDecisionOut(Schema):
    results: list[BulkOutcomeOut]


class SanctionIn(Schema):
    kind: Literal["warn", "premod", "suspend", "ban"]
    rule: str | None = Field(None, max_length=32)
    until: datetime | None = None
    note: str = Field("", max_length=2000)
    comment_id: int | None = None


class LiftIn(Schema):
    note: str = Field("", max_length=2000)


class SanctionList(Schema):
    items: list[SanctionOut]


class AuditEntryOut(Schema):
    id: int
    at: datetime
    actor: str
    actor_kind: str
    actor_id: str
    action: str
    target: str
    target_type: str
    target_id: str
    community_id: int | None
    rule: str | None
    guideline_version: int | None
    data: dict[str, Any]


class AuditPageOut(Schema):
    items: list[AuditEntryOut]
    next_cursor: str | None


class NoticeOut(Schema):
    id: int
    kind: str
    message: str
    comment_id: int | None
    rule: RuleRef | None
    until: datetime | None
    created_at: datetime


class NoticePageOut(Schema):
    items: list[NoticeOut]
    next_cursor: str | None


class WordListIn(Schema):
    banned: list[str] = Field(default_factory=list, max_length=2000)
    suspect: list[str] = Field(default_factory=list, max_length=2000)
    reject_rule: str | None = Field(None, max_length=32)


class WordListOut(Schema):
    community: str
    banned: list[str]
    suspect: list[str]
    reject_rule: str
    version: int
    updated_at: datetime | None


class FeatureIn(Schema):
    featured: bool = True


# ---------------------------------------------------------------------------- campaigns


class TalkingPointOut(Schema):
    text: str
    count: int
    withheld: bool = False


class CampaignDecisionRecord(Schema):
    action: str
    rule: RuleRef
    decided_by: str
    decided_at: datetime | None
    result: dict[str, Any]


class CampaignOut(Schema):
    id: int
    case_key: str
    status: str
    score: float
    summary: str
    accounts: list[int]
    comments: list[int]
    stories: list[int]
    talking_points: list[TalkingPointOut]
    evidence: dict[str, Any]
    first_seen: datetime
    last_seen: datetime
    opened_at: datetime
    updated_at: datetime
    decision: CampaignDecisionRecord | None


class CampaignPageOut(Schema):
    items: list[CampaignOut]
    next_cursor: str | None


class CampaignCommentOut(Schema):
    id: int
    author_id: int
    story_id: int
    posted_at: datetime
    status: str
    body_html: str


class CampaignAccountOut(Schema):
    id: int
    display_name: str
    created_at: datetime | None
    erased: bool
    premoderated: bool
    comments: int


class CampaignDetailOut(CampaignOut):
    comment_details: list[CampaignCommentOut]
    account_details: list[CampaignAccountOut]


class CampaignDecisionIn(Schema):
    action: str = Field(..., max_length=32)
    rule: str | None = Field(None, max_length=32)
    note: str = Field("", max_length=2000)


class CampaignDecisionOut(Schema):
    campaign: CampaignOut
    action: str
    rule: RuleRef
    target: str
    applied: list[int]
    skipped: dict[str, list[int]]
