"""Moderation writes: decisions on comments, sanctions on commenters, word lists, featuring,
and applying background scores.

Every action validates first, then writes its rows and its audit row (with the rule code and
guideline version it cited) in one transaction, with `select_for_update` on the row two
moderators could race for, and announces visibility changes only after commit.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from parley.comments import events as comment_events
from parley.comments.actions import republish_counters, unpublish_counters
from parley.comments.models import Comment, CommentStatus, Report
from parley.communities.models import Community, GuidelineRule
from parley.communities.policies import find_current_rule
from parley.core import audit, clock
from parley.core.actors import Actor
from parley.core.errors import ParleyError, PermissionDenied
from parley.identity.models import Commenter
from parley.moderation.access import (
    access_comment_for_moderation,
    access_commenter_for_moderation,
    moderated_communities,
)
from parley.moderation.errors import ModerationError
from parley.moderation.models import (
    Decision,
    DecisionAction,
    FlaggedComment,
    Notice,
    NoticeKind,
    Sanction,
    SanctionKind,
    WordList,
)
from parley.realtime.publish import publish_story_event
from parley.stories.models import Story

NOTE_MAX_CHARS = 2000
BULK_MAX_ITEMS = 100
WORD_LIST_MAX_TERMS = 2000
WORD_MAX_CHARS = 100

SCORER_ACTOR = Actor(kind="system", id="scorer", label="Toxicity scoring")

_TARGET_STATUS = {
    DecisionAction.APPROVE: CommentStatus.PUBLISHED,
    DecisionAction.REJECT: CommentStatus.REJECTED,
    DecisionAction.REMOVE: CommentStatus.REMOVED,
}


@dataclass(frozen=True)
class CitedRule:
    code: str
    title: str
    guideline_version: int


def cite_rule(rule_code: str | None) -> CitedRule:
    """The rule with this code in the guidelines in force, or a refusal."""
    code = (rule_code or "").strip()
    if not code:
        raise ModerationError(
            ModerationError.RULE_REQUIRED,
            _("Every decision cites a rule of the Submission Guidelines."),
            status=422,
            errors={"rule": [_("Required.")]},
        )
    rule: GuidelineRule | None = find_current_rule(code)
    if rule is None:
        raise ModerationError(
            ModerationError.UNKNOWN_RULE,
            _("There is no rule with this code in the Submission Guidelines in force."),
            status=422,
            errors={"rule": [_("Unknown rule code.")]},
        )
    return CitedRule(code=rule.code, title=rule.title, guideline_version=rule.guideline.version)


def clean_note(note: str) -> str:
    """A moderator's optional note, stripped; refused (422), never truncated, when too long."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise ModerationError(
            ModerationError.NOTE_TOO_LONG,
            _("A note can be at most %(max)d characters long.") % {"max": NOTE_MAX_CHARS},
            status=422,
            errors={"note": [_("Too long.")]},
        )
    return note


def _already_decided() -> ModerationError:
    return ModerationError(
        ModerationError.ALREADY_DECIDED,
        _("Another decision on this comment was made first; reload to see it."),
        status=409,
    )


def _check_decidable(comment: Comment, action: str, open_reports: bool) -> None:
    """Which decisions a comment can still take. A comment needs a decision while it waits
    (pending), while a system rejection has not been reviewed, or while it is published and
    either unreviewed or reported since its last review."""
    status = comment.status
    if status == CommentStatus.WITHDRAWN:
        raise ModerationError(
            ModerationError.COMMENT_WITHDRAWN,
            _("Its author withdrew this comment."),
            status=409,
        )
    if status == CommentStatus.REMOVED:
        raise _already_decided()
    if status == CommentStatus.REJECTED and comment.moderated_at is not None:
        raise _already_decided()
    if status == CommentStatus.PUBLISHED and comment.moderated_at is not None and not open_reports:
        raise _already_decided()
    if action == DecisionAction.REMOVE and status != CommentStatus.PUBLISHED:
        raise ModerationError(
            ModerationError.NOT_PUBLISHED,
            _("Only a published comment can be removed; reject it instead."),
            status=409,
        )


def decide_comment(
    *, actor: Actor, comment_id: int, action: str, rule_code: str | None, note: str = ""
) -> Decision:
    """Approve, reject or remove a comment, citing a rule. The second of two moderators
    deciding the same comment gets `already_decided` (409) and changes nothing."""
    if action not in DecisionAction.values:
        raise ModerationError(
            ModerationError.UNKNOWN_ACTION,
            _("action must be approve, reject or remove."),
            status=422,
            errors={"action": [_("Unknown action.")]},
        )
    note = clean_note(note)
    rule = cite_rule(rule_code)
    access_comment_for_moderation(actor, comment_id)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        open_reports = Report.objects.filter(comment=comment, resolved_at__isnull=True)
        _check_decidable(comment, action, open_reports.exists())
        community_id = Story.objects.values_list("community_id", flat=True).get(pk=comment.story_id)
        now = clock.now()
        before = comment.status
        after = _TARGET_STATUS[DecisionAction(action)]
        comment.status = after
        comment.rule_code = "" if after == CommentStatus.PUBLISHED else rule.code
        comment.guideline_version = rule.guideline_version
        comment.moderated_at = now
        comment.save(update_fields=["status", "rule_code", "guideline_version", "moderated_at"])
        if before == CommentStatus.PUBLISHED and after != CommentStatus.PUBLISHED:
            unpublish_counters(comment)
        elif before != CommentStatus.PUBLISHED and after == CommentStatus.PUBLISHED:
            republish_counters(comment)
        resolved = open_reports.update(resolved_at=now)
        FlaggedComment.objects.filter(comment_id=comment.pk).delete()
        decision = Decision.objects.create(
            comment=comment,
            action=action,
            rule_code=rule.code,
            guideline_version=rule.guideline_version,
            note=note,
            from_status=before,
            to_status=after,
            actor_kind=actor.kind,
            actor_id=actor.id,
            actor_label=actor.label[:200],
            created_at=now,
        )
        if after != CommentStatus.PUBLISHED:
            Notice.objects.create(
                commenter_id=comment.author_id,
                kind=NoticeKind.COMMENT_REMOVED
                if after == CommentStatus.REMOVED
                else NoticeKind.COMMENT_REJECTED,
                comment=comment,
                rule_code=rule.code,
                rule_title=rule.title[:200],
                guideline_version=rule.guideline_version,
                created_at=now,
            )
        audit.record(
            actor=actor,
            action=f"comment.{action}",
            target_type="comment",
            target_id=comment.pk,
            community_id=community_id,
            rule_code=rule.code,
            guideline_version=rule.guideline_version,
            data={"from": before, "to": after, "note": note, "reports_resolved": resolved},
        )
        if before != after:
            kind = "published" if after == CommentStatus.PUBLISHED else "removed"
            transaction.on_commit(lambda: comment_events.comment_changed(comment_id, kind))
    return decision


def approve_comment(*, actor: Actor, comment_id: int, rule_code: str, note: str = "") -> Decision:
    return decide_comment(
        actor=actor, comment_id=comment_id, action="approve", rule_code=rule_code, note=note
    )


def reject_comment(*, actor: Actor, comment_id: int, rule_code: str, note: str = "") -> Decision:
    return decide_comment(
        actor=actor, comment_id=comment_id, action="reject", rule_code=rule_code, note=note
    )


def remove_comment(*, actor: Actor, comment_id: int, rule_code: str, note: str = "") -> Decision:
    return decide_comment(
        actor=actor, comment_id=comment_id, action="remove", rule_code=rule_code, note=note
    )


@dataclass(frozen=True)
class BulkOutcome:
    comment_id: int
    ok: bool
    code: str = ""
    detail: str = ""


def decide_comments(
    *, actor: Actor, comment_ids: Iterable[int], action: str, rule_code: str | None, note: str = ""
) -> list[BulkOutcome]:
    """The same decision on several comments, each in its own transaction: one comment that
    another moderator decided first does not undo the rest. Input is validated as a whole
    first, so a missing or unknown rule decides nothing."""
    ids = list(dict.fromkeys(int(i) for i in comment_ids))
    if len(ids) > BULK_MAX_ITEMS:
        raise ModerationError(
            ModerationError.TOO_MANY_ITEMS,
            _("At most %(max)d comments at once.") % {"max": BULK_MAX_ITEMS},
            status=422,
        )
    cite_rule(rule_code)
    note = clean_note(note)
    outcomes = []
    for comment_id in ids:
        try:
            decide_comment(
                actor=actor, comment_id=comment_id, action=action, rule_code=rule_code, note=note
            )
        except ParleyError as error:
            outcomes.append(BulkOutcome(comment_id, False, error.code, error.message))
        else:
            outcomes.append(BulkOutcome(comment_id, True))
    return outcomes


_SANCTION_NOTICE = {
    SanctionKind.WARN: NoticeKind.WARNING,
    SanctionKind.PREMOD: NoticeKind.PREMODERATED,
    SanctionKind.SUSPEND: NoticeKind.SUSPENDED,
    SanctionKind.BAN: NoticeKind.BANNED,
}


def _check_until(kind: str, until: datetime | None) -> None:
    if kind != SanctionKind.SUSPEND:
        if until is not None:
            raise ModerationError(
                ModerationError.UNTIL_NOT_ALLOWED,
                _("Only a suspension has an end date."),
                status=422,
                errors={"until": [_("Only for kind 'suspend'.")]},
            )
        return
    if until is None:
        raise ModerationError(
            ModerationError.UNTIL_REQUIRED,
            _("A suspension needs an end date."),
            status=422,
            errors={"until": [_("Required for a suspension.")]},
        )
    if timezone.is_naive(until):
        raise ModerationError(
            ModerationError.UNTIL_NAIVE,
            _("until needs a time zone (for example 2026-12-01T18:00:00-05:00)."),
            status=422,
            errors={"until": [_("A time zone is required.")]},
        )
    if until <= clock.now():
        raise ModerationError(
            ModerationError.UNTIL_IN_PAST,
            _("A suspension must end in the future."),
            status=422,
            errors={"until": [_("Must be in the future.")]},
        )


def apply_sanction(
    *,
    actor: Actor,
    commenter_id: int,
    kind: str,
    rule_code: str | None,
    until: datetime | None = None,
    note: str = "",
    comment_id: int | None = None,
) -> Sanction:
    """Warn, pre-moderate, suspend until a date, or ban a commenter, citing a rule; the
    commenter is told through a notice. Sanctions apply wherever the person comments."""
    if kind not in SanctionKind.values:
        raise ModerationError(
            ModerationError.UNKNOWN_SANCTION,
            _("kind must be warn, premod, suspend or ban."),
            status=422,
            errors={"kind": [_("Unknown sanction.")]},
        )
    rule = cite_rule(rule_code)
    _check_until(kind, until)
    note = clean_note(note)
    comment = access_comment_for_moderation(actor, comment_id) if comment_id else None
    access_commenter_for_moderation(actor, commenter_id, comment=comment)
    community_id = comment.story.community_id if comment else _community_of(actor, commenter_id)
    with transaction.atomic():
        commenter = Commenter.objects.select_for_update().get(pk=commenter_id)
        now = clock.now()
        if kind == SanctionKind.BAN:
            if commenter.banned_at is not None:
                raise _already_sanctioned()
            commenter.banned_at = now
        elif kind == SanctionKind.PREMOD:
            if commenter.premoderated:
                raise _already_sanctioned()
            commenter.premoderated = True
        elif kind == SanctionKind.SUSPEND:
            commenter.suspended_until = until
        commenter.save(update_fields=["banned_at", "premoderated", "suspended_until"])
        sanction = Sanction.objects.create(
            commenter=commenter,
            kind=kind,
            rule_code=rule.code,
            guideline_version=rule.guideline_version,
            until=until,
            note=note,
            community_id=community_id,
            comment=comment,
            actor_kind=actor.kind,
            actor_id=actor.id,
            actor_label=actor.label[:200],
            created_at=now,
        )
        Notice.objects.create(
            commenter=commenter,
            kind=_SANCTION_NOTICE[SanctionKind(kind)],
            sanction=sanction,
            comment=comment,
            rule_code=rule.code,
            rule_title=rule.title[:200],
            guideline_version=rule.guideline_version,
            until=until,
            created_at=now,
        )
        audit.record(
            actor=actor,
            action=f"commenter.{kind}",
            target_type="commenter",
            target_id=commenter.pk,
            community_id=community_id,
            rule_code=rule.code,
            guideline_version=rule.guideline_version,
            data={
                "sanction": sanction.pk,
                "until": until.isoformat() if until else None,
                "note": note,
                "comment": comment.pk if comment else None,
            },
        )
    return sanction


def _already_sanctioned() -> ModerationError:
    return ModerationError(
        ModerationError.ALREADY_SANCTIONED,
        _("This commenter is already under this sanction."),
        status=409,
    )


def _community_of(actor: Actor, commenter_id: int) -> int | None:
    """The community the sanction is recorded under: the latest one where the commenter
    wrote and the actor moderates (None for an all-communities moderator without comments)."""
    comments = Comment.objects.filter(author_id=commenter_id)
    communities = moderated_communities(actor)
    if communities is not None:
        comments = comments.filter(story__community_id__in=communities)
    return comments.order_by("-created_at").values_list("story__community_id", flat=True).first()


def lift_sanction(*, actor: Actor, sanction_id: int, note: str = "") -> Sanction:
    """End a pre-moderation, suspension or ban early; the commenter is told."""
    note = clean_note(note)
    sanction = Sanction.objects.filter(pk=sanction_id).first()
    if sanction is None:
        raise ModerationError("sanction_not_found", _("There is no such sanction."), status=404)
    access_commenter_for_moderation(actor, sanction.commenter_id)
    with transaction.atomic():
        sanction = Sanction.objects.select_for_update().get(pk=sanction_id)
        commenter = Commenter.objects.select_for_update().get(pk=sanction.commenter_id)
        now = clock.now()
        expired = sanction.until is not None and sanction.until <= now
        if sanction.lifted_at is not None or sanction.kind == SanctionKind.WARN or expired:
            raise ModerationError(
                ModerationError.SANCTION_NOT_ACTIVE,
                _("This sanction is not in force."),
                status=409,
            )
        if sanction.kind == SanctionKind.BAN:
            commenter.banned_at = None
        elif sanction.kind == SanctionKind.PREMOD:
            commenter.premoderated = False
        elif sanction.kind == SanctionKind.SUSPEND:
            commenter.suspended_until = None
        commenter.save(update_fields=["banned_at", "premoderated", "suspended_until"])
        sanction.lifted_at = now
        sanction.lifted_by = actor.label[:200]
        sanction.save(update_fields=["lifted_at", "lifted_by"])
        Notice.objects.create(
            commenter=commenter,
            kind=NoticeKind.SANCTION_LIFTED,
            sanction=sanction,
            rule_code=sanction.rule_code,
            guideline_version=sanction.guideline_version,
            created_at=now,
        )
        audit.record(
            actor=actor,
            action="commenter.lift_sanction",
            target_type="commenter",
            target_id=commenter.pk,
            community_id=sanction.community_id,
            rule_code=sanction.rule_code,
            guideline_version=sanction.guideline_version,
            data={"sanction": sanction.pk, "kind": sanction.kind, "note": note},
        )
    return sanction


def _clean_terms(field: str, terms: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for term in terms:
        if not isinstance(term, str):
            raise _invalid_word_list(field, _("Terms are strings."))
        value = " ".join(unicodedata.normalize("NFC", term).split())
        if not value:
            raise _invalid_word_list(field, _("Terms cannot be empty."))
        if len(value) > WORD_MAX_CHARS:
            raise _invalid_word_list(
                field, _("A term can be at most %(max)d characters.") % {"max": WORD_MAX_CHARS}
            )
        if value.casefold() not in {seen.casefold() for seen in cleaned}:
            cleaned.append(value)
    if len(cleaned) > WORD_LIST_MAX_TERMS:
        raise _invalid_word_list(
            field, _("A list can hold at most %(max)d terms.") % {"max": WORD_LIST_MAX_TERMS}
        )
    return cleaned


def _invalid_word_list(field: str, message: str) -> ModerationError:
    return ModerationError(
        ModerationError.INVALID_WORD_LIST,
        _("The word list is not valid."),
        status=422,
        errors={field: [message]},
    )


def word_list_cache_key(community_id: int) -> str:
    return f"moderation:wordlist:{community_id}"


def set_word_lists(
    *,
    actor: Actor,
    community: Community,
    banned: Iterable[str],
    suspect: Iterable[str],
    reject_rule: str | None = None,
) -> WordList:
    """Replace a community's banned and suspect lists (administrators only). Banned terms
    reject a comment citing `reject_rule`; suspect terms flag it for the system queue."""
    if not actor.has_role("admin", community.pk):
        raise PermissionDenied(
            ModerationError.ADMIN_ONLY, _("Only administrators change word lists.")
        )
    banned_terms = _clean_terms("banned", banned)
    suspect_terms = _clean_terms("suspect", suspect)
    rule = cite_rule(reject_rule) if reject_rule is not None else None
    with transaction.atomic():
        word_list = WordList.objects.select_for_update().filter(
            community=community
        ).first() or WordList(
            community=community,
            version=0,
            reject_rule=getattr(settings, "PARLEY_WORD_LIST_REJECT_RULE", "R1"),
        )
        word_list.banned = banned_terms
        word_list.suspect = suspect_terms
        if rule is not None:
            word_list.reject_rule = rule.code
        word_list.version += 1
        word_list.updated_at = clock.now()
        word_list.save()
        audit.record(
            actor=actor,
            action="community.word_lists",
            target_type="community",
            target_id=community.pk,
            community_id=community.pk,
            rule_code=word_list.reject_rule,
            guideline_version=rule.guideline_version if rule else None,
            data={
                "version": word_list.version,
                "banned": len(banned_terms),
                "suspect": len(suspect_terms),
            },
        )
        key = word_list_cache_key(community.pk)
        transaction.on_commit(lambda: cache.delete(key))
    return word_list


def feature_comment(*, actor: Actor, comment_id: int, featured: bool = True) -> Comment:
    """Newsroom staff feature (or unfeature) a published comment."""
    comment = access_comment_for_moderation(actor, comment_id)
    if not actor.has_role("staff", comment.story.community_id):
        raise PermissionDenied(
            ModerationError.STAFF_ONLY, _("Only newsroom staff feature comments.")
        )
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        if comment.status != CommentStatus.PUBLISHED:
            raise ModerationError(
                ModerationError.NOT_PUBLISHED,
                _("Only a published comment can be featured."),
                status=409,
            )
        if comment.featured != featured:
            comment.featured = featured
            comment.save(update_fields=["featured"])
            Story.objects.filter(pk=comment.story_id).update(thread_version=F("thread_version") + 1)
            audit.record(
                actor=actor,
                action="comment.feature" if featured else "comment.unfeature",
                target_type="comment",
                target_id=comment.pk,
                community_id=Story.objects.values_list("community_id", flat=True).get(
                    pk=comment.story_id
                ),
            )
            story_id = comment.story_id
            event = {"type": "comment.edited", "comment": comment.pk, "parent": comment.parent_id}
            transaction.on_commit(lambda: publish_story_event(story_id, event))
    return comment


def apply_scores(
    *,
    comment_id: int,
    scores: Mapping[str, float],
    route: str,
    scorer: str = "",
    scored_body_html: str | None = None,
) -> Comment | None:
    """Store a comment's toxicity scores and route it (called by the background task).

    "system" flags it for the system queue; "hold" also takes a published comment out of
    the thread (back to pending, counters fixed, an audit row). A comment a moderator has
    reviewed since its last edit keeps its decision; the scores are still stored. Scores of
    text that has since been edited are dropped (the edit's own job scores the new text).
    """
    with transaction.atomic():
        comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
        if comment is None or comment.status not in {
            CommentStatus.PUBLISHED,
            CommentStatus.PENDING,
        }:
            return None
        if scored_body_html is not None and comment.body_html != scored_body_html:
            return None
        comment.scores = {key: float(value) for key, value in scores.items()}
        reviewed = comment.moderated_at is not None and (
            comment.edited_at is None or comment.edited_at <= comment.moderated_at
        )
        flags = [flag for flag in comment.flags if not str(flag).startswith("score:")]
        if route in {"system", "hold"} and not reviewed:
            flags.append(f"score:{route}")
            if comment.moderated_at is not None:
                comment.moderated_at = None  # edited after review: it needs another look
        comment.flags = flags
        held = route == "hold" and not reviewed and comment.status == CommentStatus.PUBLISHED
        if held:
            comment.status = CommentStatus.PENDING
        comment.save(update_fields=["scores", "flags", "status", "moderated_at"])
        community_id = Story.objects.values_list("community_id", flat=True).get(pk=comment.story_id)
        sync_system_queue(comment, community_id)
        if held:
            unpublish_counters(comment)
            audit.record(
                actor=SCORER_ACTOR,
                action="comment.hold",
                target_type="comment",
                target_id=comment.pk,
                community_id=community_id,
                data={"scores": comment.scores, "scorer": scorer, "route": route},
            )
            transaction.on_commit(lambda: comment_events.comment_changed(comment_id, "removed"))
    return comment


def sync_system_queue(comment: Comment, community_id: int) -> None:
    """Keep the system queue's index in step with a comment: in it while the comment is open
    (published or pending), carries a flag, and has not been reviewed since."""
    belongs = (
        comment.status in {CommentStatus.PUBLISHED, CommentStatus.PENDING}
        and comment.moderated_at is None
        and bool(comment.flags)
    )
    if belongs:
        FlaggedComment.objects.update_or_create(
            comment_id=comment.pk,
            defaults={"community_id": community_id, "created_at": comment.created_at},
        )
    else:
        FlaggedComment.objects.filter(comment_id=comment.pk).delete()


def flag_comment(*, comment_id: int, flag: str) -> Comment | None:
    """Add a system flag (e.g. "campaign:12") to a comment and put it in the system queue
    unless a moderator already reviewed it. For other subsystems (campaign detection)."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
        if comment is None:
            return None
        if flag not in comment.flags:
            comment.flags = [*comment.flags, flag]
            comment.save(update_fields=["flags"])
        community_id = Story.objects.values_list("community_id", flat=True).get(pk=comment.story_id)
        sync_system_queue(comment, community_id)
    return comment
