"""Campaign writes: recording what the engine found, and moderators' decisions on a case.

`record_case` is idempotent: the same engine case recorded twice (two worker processes, a
batch scan after the live stream, a scan run twice) changes one row. A case is found by its
key, by a key the engine merged into it, or by any comment it shares with a stored case.

`decide_case` applies one decision to every member through moderation's own actions, so each
comment gets a real `Decision` and each account a real `Sanction`, with their notices and
audit rows, citing the same rule of the guidelines in force.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from parley.campaigns.detection import Case
from parley.campaigns.errors import CampaignError
from parley.campaigns.models import (
    CampaignCase,
    CaseAccount,
    CaseAction,
    CaseComment,
    CaseStatus,
)
from parley.comments.models import Comment, CommentStatus
from parley.core import audit, clock
from parley.core.actors import Actor
from parley.core.errors import ParleyError
from parley.identity.models import Commenter
from parley.moderation.actions import (
    CitedRule,
    apply_sanction,
    cite_rule,
    clean_note,
    decide_comment,
)
from parley.moderation.models import SanctionKind

DETECTOR = Actor(kind="system", id="campaigns", label="Campaign detection")


# ----------------------------------------------------------------------------- recording


@dataclass(frozen=True)
class Recorded:
    case: CampaignCase
    created: bool
    reopened: bool
    added_comments: int


def _int_ids(values: Iterable[str]) -> list[int]:
    ids = []
    for value in values:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue  # not one of ours (the engine is fed only database ids)
    return ids


def _talking_points(case: Case, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The engine's talking points with the comment each text came from, so the text can be
    withheld once that comment is erased (the engine may still remember it)."""
    points = []
    for text, count in case.talking_points:
        probe = " ".join(text.split())[:60]
        source = next(
            (row["id"] for row in rows if probe and probe in " ".join(row["body_raw"].split())),
            None,
        )
        points.append({"text": text, "count": count, "comment_id": source})
    return points


def _follow_merges(case: CampaignCase) -> CampaignCase:
    seen = {case.pk}
    while (
        case.status == CaseStatus.MERGED and case.merged_into_id and case.merged_into_id not in seen
    ):
        case = CampaignCase.objects.select_for_update().get(pk=case.merged_into_id)
        seen.add(case.pk)
    return case


def _locked_matches(keys: Sequence[str], comment_ids: Sequence[int]) -> list[CampaignCase]:
    """Stored cases this engine case continues, locked, best match first."""
    by_key = list(CampaignCase.objects.select_for_update().filter(case_key__in=keys).order_by("id"))
    by_key.sort(key=lambda c: (c.case_key != keys[0], c.pk))
    overlapping = CaseComment.objects.filter(comment_ref__in=comment_ids).values("case_id")
    by_comment = list(
        CampaignCase.objects.select_for_update()
        .filter(pk__in=overlapping)
        .exclude(status=CaseStatus.MERGED)
        .order_by("id")
    )
    by_comment.sort(key=lambda c: (c.status != CaseStatus.OPEN, c.pk))
    found: dict[int, CampaignCase] = {}
    for candidate in [*by_key, *by_comment]:
        resolved = _follow_merges(candidate)
        found.setdefault(resolved.pk, resolved)
    return list(found.values())


def _link_rows(
    case: CampaignCase, comment_rows: Sequence[dict[str, Any]], account_rows: dict[int, Any]
) -> int:
    have = set(case.comment_links.values_list("comment_ref", flat=True))
    new = [row for row in comment_rows if row["id"] not in have]
    now = clock.now()
    CaseComment.objects.bulk_create(
        CaseComment(
            case=case,
            comment_id=row["id"],
            comment_ref=row["id"],
            commenter_ref=row["author_id"],
            story_ref=row["story_id"],
            community_id=row["story__community_id"],
            posted_at=row["created_at"],
            added_at=now,
        )
        for row in new
    )
    have_accounts = set(case.account_links.values_list("commenter_ref", flat=True))
    CaseAccount.objects.bulk_create(
        CaseAccount(
            case=case,
            commenter_id=commenter_id,
            commenter_ref=commenter_id,
            account_created_at=created_at,
            added_at=now,
        )
        for commenter_id, created_at in account_rows.items()
        if commenter_id not in have_accounts
    )
    return len(new)


def _absorb(target: CampaignCase, other: CampaignCase) -> None:
    """Fold an open case into `target`: its links move over, its row stays as history."""
    links = list(
        other.comment_links.values(
            "comment_ref", "commenter_ref", "story_ref", "community_id", "posted_at"
        )
    )
    comment_exists = set(
        Comment.objects.filter(pk__in=[link["comment_ref"] for link in links]).values_list(
            "pk", flat=True
        )
    )
    rows: list[dict[str, Any]] = [
        {
            "id": link["comment_ref"],
            "author_id": link["commenter_ref"],
            "story_id": link["story_ref"],
            "story__community_id": link["community_id"],
            "created_at": link["posted_at"],
        }
        for link in links
    ]
    accounts = dict(other.account_links.values_list("commenter_ref", "account_created_at"))
    have = set(target.comment_links.values_list("comment_ref", flat=True))
    now = clock.now()
    CaseComment.objects.bulk_create(
        CaseComment(
            case=target,
            comment_id=row["id"] if row["id"] in comment_exists else None,
            comment_ref=row["id"],
            commenter_ref=row["author_id"],
            story_ref=row["story_id"],
            community_id=row["story__community_id"],
            posted_at=row["created_at"],
            added_at=now,
        )
        for row in rows
        if row["id"] not in have
    )
    have_accounts = set(target.account_links.values_list("commenter_ref", flat=True))
    commenters = set(Commenter.objects.filter(pk__in=list(accounts)).values_list("pk", flat=True))
    CaseAccount.objects.bulk_create(
        CaseAccount(
            case=target,
            commenter_id=ref if ref in commenters else None,
            commenter_ref=ref,
            account_created_at=created,
            added_at=now,
        )
        for ref, created in accounts.items()
        if ref not in have_accounts
    )
    other.status = CaseStatus.MERGED
    other.merged_into = target
    other.updated_at = now
    other.save(update_fields=["status", "merged_into", "updated_at"])
    audit.record(
        actor=DETECTOR,
        action="campaign.merge",
        target_type="campaign",
        target_id=other.pk,
        data={"into": target.pk, "case_key": other.case_key, "into_key": target.case_key},
    )


def _single_community(case: CampaignCase) -> int | None:
    communities = set(case.comment_links.values_list("community_id", flat=True))
    return communities.pop() if len(communities) == 1 else None


def record_case(*, case: Case, merged_keys: Sequence[str] = ()) -> Recorded | None:
    """Store (or update) the engine's case in one transaction. A new case is audited as
    `campaign.open`; an actioned case that gains new comments is reopened (`campaign.reopen`)
    so the new members reach a moderator; a dismissed case stays dismissed and keeps its
    links up to date. Returns None when none of the case's comments exist any more."""
    comment_ids = _int_ids(case.comment_ids)
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in Comment.objects.filter(pk__in=comment_ids)
        .order_by("created_at", "id")
        .values("id", "author_id", "story_id", "story__community_id", "created_at", "body_raw")
    ]
    if not rows:
        return None
    author_ids = {row["author_id"] for row in rows} | set(_int_ids(case.account_ids))
    accounts = dict(Commenter.objects.filter(pk__in=author_ids).values_list("id", "created_at"))
    talking_points = _talking_points(case, rows)
    keys = [case.case_key, *[k for k in merged_keys if k != case.case_key]]
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _record(case, keys, rows, accounts, talking_points)
        except IntegrityError:
            # Another worker created the same case first: the second try finds and updates it.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _record(
    case: Case,
    keys: list[str],
    rows: list[dict[str, Any]],
    accounts: dict[int, datetime],
    talking_points: list[dict[str, Any]],
) -> Recorded:
    now = clock.now()
    matches = _locked_matches(keys, [row["id"] for row in rows])
    created = reopened = False
    target = matches[0] if matches else None
    if target is None:
        target = CampaignCase.objects.create(
            case_key=case.case_key,
            score=case.score,
            summary=case.summary,
            evidence=case.evidence,
            talking_points=talking_points,
            first_seen=case.first_seen,
            last_seen=case.last_seen,
            opened_at=now,
            updated_at=now,
        )
        created = True
    for other in matches[1:]:
        if other.status == CaseStatus.OPEN:
            _absorb(target, other)
    known = target.comment_count
    added = _link_rows(target, rows, accounts)
    if created or len(rows) >= known:
        # A partial view (a scan of one story) never overwrites the fuller description.
        target.score = case.score
        target.summary = case.summary
        target.evidence = case.evidence
        target.talking_points = talking_points
    target.first_seen = min(target.first_seen, case.first_seen)
    target.last_seen = max(target.last_seen, case.last_seen)
    target.comment_count = target.comment_links.count()
    target.account_count = target.account_links.count()
    target.story_ids = sorted(
        set(target.comment_links.values_list("story_ref", flat=True).distinct())
    )
    if target.status == CaseStatus.MERGED or (target.status == CaseStatus.ACTIONED and added):
        target.status = CaseStatus.OPEN
        target.merged_into = None
        reopened = True
    target.updated_at = now
    target.save()
    if created or reopened:
        audit.record(
            actor=DETECTOR,
            action="campaign.open" if created else "campaign.reopen",
            target_type="campaign",
            target_id=target.pk,
            community_id=_single_community(target),
            data={
                "case_key": target.case_key,
                "score": target.score,
                "accounts": target.account_count,
                "comments": target.comment_count,
                "new_comments": added,
            },
        )
    return Recorded(case=target, created=created, reopened=reopened, added_comments=added)


# ------------------------------------------------------------------------------ deciding


@dataclass(frozen=True)
class CaseDecision:
    case: CampaignCase
    action: str
    rule: CitedRule
    target: str  # "comments", "accounts" or "" (dismiss)
    applied: list[int] = field(default_factory=list)
    skipped: dict[str, list[int]] = field(default_factory=dict)


def _reject_comments(
    actor: Actor, case: CampaignCase, rule: CitedRule, note: str
) -> tuple[list[int], dict[str, list[int]]]:
    applied: list[int] = []
    skipped: dict[str, list[int]] = {}
    links = list(case.comment_links.order_by("posted_at", "comment_ref"))
    live = {
        c.pk: c
        for c in Comment.objects.filter(pk__in=[link.comment_ref for link in links]).select_related(
            "author"
        )
    }
    for link in links:
        comment = live.get(link.comment_ref)
        if comment is None:
            skipped.setdefault("comment_deleted", []).append(link.comment_ref)
            continue
        if comment.status == CommentStatus.WITHDRAWN:
            reason = "author_erased" if comment.author.erased_at else "comment_withdrawn"
            skipped.setdefault(reason, []).append(comment.pk)
            continue
        try:
            decide_comment(
                actor=actor,
                comment_id=comment.pk,
                action="reject",
                rule_code=rule.code,
                note=note,
            )
        except ParleyError as error:
            # Already decided by a moderator, say: that decision stands and is reported.
            skipped.setdefault(error.code, []).append(comment.pk)
        else:
            applied.append(comment.pk)
    return applied, skipped


def _premoderate_accounts(
    actor: Actor, case: CampaignCase, rule: CitedRule, note: str
) -> tuple[list[int], dict[str, list[int]]]:
    applied: list[int] = []
    skipped: dict[str, list[int]] = {}
    # One comment of theirs in this case: the sanction is recorded in that comment's community.
    latest_comment: dict[int, int] = {}
    live_comments = set(
        Comment.objects.filter(
            pk__in=case.comment_links.values_list("comment_ref", flat=True)
        ).values_list("pk", flat=True)
    )
    for commenter_ref, comment_ref in case.comment_links.order_by("posted_at").values_list(
        "commenter_ref", "comment_ref"
    ):
        if comment_ref in live_comments:
            latest_comment[commenter_ref] = comment_ref
    commenters = {
        c.pk: c
        for c in Commenter.objects.filter(
            pk__in=case.account_links.values_list("commenter_ref", flat=True)
        )
    }
    for commenter_ref in case.account_links.order_by("commenter_ref").values_list(
        "commenter_ref", flat=True
    ):
        commenter = commenters.get(commenter_ref)
        if commenter is None or commenter.erased_at is not None:
            skipped.setdefault("author_erased", []).append(commenter_ref)
            continue
        if commenter.premoderated:
            skipped.setdefault("already_premoderated", []).append(commenter_ref)
            continue
        try:
            apply_sanction(
                actor=actor,
                commenter_id=commenter.pk,
                kind=SanctionKind.PREMOD,
                rule_code=rule.code,
                note=note,
                comment_id=latest_comment.get(commenter.pk),
            )
        except ParleyError as error:
            skipped.setdefault(error.code, []).append(commenter_ref)
        else:
            applied.append(commenter_ref)
    return applied, skipped


def decide_case(
    *, actor: Actor, case_id: int, action: str, rule_code: str | None, note: str = ""
) -> CaseDecision:
    """One decision on a whole case, citing a rule of the guidelines in force.

    * `reject_all`: every member comment is rejected (moderation's `decide_comment`);
    * `premod_accounts`: every member account is pre-moderated (moderation's `apply_sanction`);
    * `dismiss`: the case is closed as not a campaign; members are untouched.

    Members that cannot take the decision are skipped and reported by reason, never fatal:
    withdrawn comments, erased accounts (`author_erased`), comments another moderator already
    decided (`already_decided`), accounts already pre-moderated. Everything happens in one
    transaction with the case row locked, so the second of two moderators gets 409
    `already_decided` and changes nothing; invalid input (unknown action, missing or unknown
    rule) is refused with 422 before anything is written.
    """
    from parley.campaigns.access import access_case_for_moderation

    if action not in CaseAction.values:
        raise CampaignError(
            CampaignError.UNKNOWN_ACTION,
            _("action must be reject_all, premod_accounts or dismiss."),
            status=422,
            errors={"action": [_("Unknown action.")]},
        )
    note = clean_note(note)
    rule = cite_rule(rule_code)
    access_case_for_moderation(actor, case_id)
    with transaction.atomic():
        case = CampaignCase.objects.select_for_update().get(pk=case_id)
        if case.status != CaseStatus.OPEN:
            raise CampaignError(
                CampaignError.ALREADY_DECIDED,
                _("This case was already decided; reload to see the decision."),
                status=409,
                extra={"status": case.status},
            )
        applied: list[int] = []
        skipped: dict[str, list[int]] = {}
        target = ""
        if action == CaseAction.REJECT_ALL:
            target = "comments"
            applied, skipped = _reject_comments(actor, case, rule, note)
        elif action == CaseAction.PREMOD_ACCOUNTS:
            target = "accounts"
            applied, skipped = _premoderate_accounts(actor, case, rule, note)
        now = clock.now()
        case.status = CaseStatus.DISMISSED if action == CaseAction.DISMISS else CaseStatus.ACTIONED
        case.decision = action
        case.rule_code = rule.code
        case.guideline_version = rule.guideline_version
        case.decided_by = actor.label[:200]
        case.decided_by_id = actor.id[:64]
        case.decided_at = now
        case.decision_result = {"target": target, "applied": applied, "skipped": skipped}
        case.updated_at = now
        case.save()
        audit.record(
            actor=actor,
            action=f"campaign.{action}",
            target_type="campaign",
            target_id=case.pk,
            community_id=_single_community(case),
            rule_code=rule.code,
            guideline_version=rule.guideline_version,
            data={
                "case_key": case.case_key,
                "target": target,
                "applied": len(applied),
                "skipped": {reason: len(ids) for reason, ids in skipped.items()},
                "note": note,
            },
        )
    return CaseDecision(
        case=case, action=action, rule=rule, target=target, applied=applied, skipped=skipped
    )
