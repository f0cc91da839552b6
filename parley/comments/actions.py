"""Writes about comments: posting, editing, withdrawing, reporting, erasing.

Each action validates first, then writes the comment, its consent, its audit row and its
idempotency key in one transaction, and announces the change only after commit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from parley.comments import events, intake
from parley.comments.errors import CommentError
from parley.comments.models import (
    Comment,
    CommentRevision,
    CommentStatus,
    IdempotencyRecord,
    Report,
)
from parley.comments.sanitising import sanitise_body, visible_text
from parley.communities.models import TermsVersion
from parley.communities.policies import current_terms, find_current_rule
from parley.core import audit, clock, ratelimit
from parley.core.errors import RateLimited
from parley.identity.actions import forget_identity, name_problem_error
from parley.identity.authentication import commenter_actor
from parley.identity.errors import IdentityError
from parley.identity.models import Commenter, NameStatus
from parley.stories.models import Story


@dataclass(frozen=True)
class PostResult:
    comment: Comment
    replayed: bool  # True when an Idempotency-Key retry returned the first comment


def _limits() -> dict[str, int]:
    return settings.PARLEY_LIMITS


def _clean_body(body: str) -> tuple[str, str]:
    if len(body) > _limits()["body_max_chars"]:
        raise CommentError(
            CommentError.BODY_TOO_LONG,
            _("A comment can be at most %(max)d characters long.")
            % {"max": _limits()["body_max_chars"]},
            status=422,
            errors={"body": [_("Too long.")]},
        )
    body_html = sanitise_body(body)
    if not visible_text(body_html):
        raise CommentError(
            CommentError.BODY_EMPTY,
            _("The comment is empty."),
            status=422,
            errors={"body": [_("Write something first.")]},
        )
    return body, body_html


def _check_terms(accept_terms: str | None) -> TermsVersion:
    terms = current_terms()
    if not accept_terms or accept_terms != terms.version:
        raise CommentError(
            CommentError.TERMS_NOT_ACCEPTED,
            _(
                "Submitting a comment grants the publisher the right to reproduce and publish "
                "it. Accept the current terms (version %(version)s) to post."
            )
            % {"version": terms.version},
            status=422,
            errors={"accept_terms": [_("Must be the current terms version.")]},
            extra={"terms_version": terms.version},
        )
    return terms


def check_may_post(commenter: Commenter, story: Story) -> None:
    """Everything about the person that can refuse a comment, before anything is written."""
    now = clock.now()
    if commenter.erased_at is not None:
        raise IdentityError(IdentityError.ACCOUNT_ERASED, _("This account was erased."), status=403)
    if commenter.banned_at is not None:
        raise CommentError(
            CommentError.ACCOUNT_BANNED, _("Your account may no longer comment."), status=403
        )
    if commenter.suspended_until is not None and commenter.suspended_until > now:
        raise CommentError(
            CommentError.ACCOUNT_SUSPENDED,
            _("Your account is suspended from commenting until %(until)s.")
            % {"until": commenter.suspended_until.isoformat(timespec="minutes")},
            status=403,
            extra={"until": commenter.suspended_until.isoformat()},
        )
    if not story.community.is_youth:
        if commenter.is_youth:
            raise IdentityError(
                IdentityError.YOUTH_ONLY,
                _("Youth accounts can comment in youth communities only."),
                status=403,
            )
        if commenter.name_status != NameStatus.VERIFIED:
            raise name_problem_error(commenter)


def _check_rate(commenter: Commenter, address_hash: str) -> None:
    limits = _limits()
    ok = ratelimit.hit(
        f"post:c:{commenter.pk}", limit=limits["comments_per_minute_per_account"], window_seconds=60
    )
    if ok and address_hash:
        ok = ratelimit.hit(
            f"post:a:{address_hash}",
            limit=limits["comments_per_minute_per_address"],
            window_seconds=60,
        )
    if not ok:
        raise RateLimited(
            "rate_limited", _("You are commenting too quickly. Please wait a minute."), status=429
        )


def _request_hash(story_id: int, body: str, parent_id: int | None) -> str:
    payload = json.dumps([story_id, body, parent_id], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _replay(commenter: Commenter, key: str, request_hash: str) -> Comment | None:
    try:  # (commenter, key) is unique: .get() needs no ORDER BY, unlike .first()
        record = IdempotencyRecord.objects.select_related("comment").get(
            commenter=commenter, key=key
        )
    except IdempotencyRecord.DoesNotExist:
        return None
    if record.request_hash != request_hash:
        raise CommentError(
            CommentError.IDEMPOTENCY_KEY_REUSED,
            _("This Idempotency-Key was already used for a different comment."),
            status=422,
        )
    return record.comment


def _resolve_parent(story: Story, parent_id: int | None) -> Comment | None:
    if parent_id is None:
        return None
    parent = next(iter(Comment.objects.filter(pk=parent_id)[:1]), None)  # no ORDER BY
    if parent is None:
        raise CommentError(
            CommentError.PARENT_NOT_FOUND, _("The comment you reply to does not exist."), status=422
        )
    if parent.story_id != story.pk:
        raise CommentError(
            CommentError.PARENT_OTHER_STORY,
            _("You can only reply to a comment on the same story."),
            status=422,
        )
    if parent.status != CommentStatus.PUBLISHED:
        raise CommentError(
            CommentError.PARENT_NOT_PUBLIC,
            _("The comment you reply to is no longer published."),
            status=422,
        )
    if parent.depth + 1 > _limits()["reply_max_depth"]:
        raise CommentError(
            CommentError.TOO_DEEP,
            _("Replies can be nested at most %(max)d levels deep.")
            % {"max": _limits()["reply_max_depth"]},
            status=422,
        )
    return parent


def _story_closed() -> CommentError:
    return CommentError(
        CommentError.STORY_CLOSED, _("Comments on this story are closed."), status=409
    )


def post_comment(
    *,
    commenter: Commenter,
    story: Story,
    body: str,
    accept_terms: str | None,
    parent_id: int | None = None,
    idempotency_key: str | None = None,
    address_hash: str = "",
    user_agent_hash: str = "",
) -> PostResult:
    request_hash = _request_hash(story.pk, body, parent_id)
    if idempotency_key:
        idempotency_key = idempotency_key[:128]
        replayed = _replay(commenter, idempotency_key, request_hash)
        if replayed is not None:
            return PostResult(comment=replayed, replayed=True)
    body_raw, body_html = _clean_body(body)
    terms = _check_terms(accept_terms)
    check_may_post(commenter, story)
    if not story.accepts_comments_at(clock.now()):
        raise _story_closed()
    parent = _resolve_parent(story, parent_id)
    _check_rate(commenter, address_hash)
    screening = intake.screen(
        intake.Submission(
            community_id=story.community_id,
            story_id=story.pk,
            author_id=commenter.pk,
            body_raw=body_raw,
            body_html=body_html,
        )
    )
    if screening.reject_rule:
        status = CommentStatus.REJECTED
    elif screening.hold or commenter.premoderated or story.effective_moderation == "pre":
        status = CommentStatus.PENDING
    else:
        status = CommentStatus.PUBLISHED
    try:
        with transaction.atomic():
            now = clock.now()
            comment = Comment.objects.create(
                story=story,
                parent=parent,
                root_id=(parent.root_id or parent.pk) if parent else None,
                depth=parent.depth + 1 if parent else 0,
                author=commenter,
                body_raw=body_raw,
                body_html=body_html,
                status=status,
                rule_code=screening.reject_rule,
                accepted_terms=terms,
                accepted_terms_at=now,
                created_at=now,
                address_hash=address_hash,
                user_agent_hash=user_agent_hash,
                flags=screening.flags,
            )
            if idempotency_key:
                IdempotencyRecord.objects.create(
                    commenter=commenter,
                    key=idempotency_key,
                    request_hash=request_hash,
                    comment=comment,
                )
            published = status == CommentStatus.PUBLISHED
            if published and parent is not None:
                Comment.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
            audit.record(
                actor=commenter_actor(commenter),
                action="comment.post",
                target_type="comment",
                target_id=comment.pk,
                community_id=story.community_id,
                rule_code=screening.reject_rule,
                data={
                    "story": story.pk,
                    "status": status,
                    "terms_version": terms.version,
                    "flags": screening.flags,
                },
            )
            # Last, so the story row is locked only until commit: the open check and the
            # counters are one conditional UPDATE, so a comment racing a close is decided
            # by whichever commits first, and the loser changes nothing.
            still_open = Story.objects.filter(
                Q(closes_at__isnull=True) | Q(closes_at__gt=now), pk=story.pk, comments_open=True
            ).update(
                comment_count=F("comment_count") + (1 if published and parent is None else 0),
                thread_version=F("thread_version") + (1 if published else 0),
            )
            if not still_open:
                raise _story_closed()
            comment_id = comment.pk
            known = (story.pk, status, parent.pk if parent else None)
            transaction.on_commit(
                lambda: events.comment_changed(comment_id, "created", known=known)
            )
    except IntegrityError:
        # A concurrent retry with the same Idempotency-Key committed first.
        if idempotency_key:
            replayed = _replay(commenter, idempotency_key, request_hash)
            if replayed is not None:
                return PostResult(comment=replayed, replayed=True)
        raise
    return PostResult(comment=comment, replayed=False)


def _own_comment_for_update(commenter: Commenter, comment_id: int) -> Comment:
    comment = (
        Comment.objects.select_for_update().select_related("story__community").get(pk=comment_id)
    )
    if comment.author_id != commenter.pk:
        raise CommentError(
            CommentError.NOT_AUTHOR, _("Only its author can change a comment."), status=403
        )
    return comment


def edit_comment(*, commenter: Commenter, comment: Comment, body: str) -> Comment:
    """Edit within the edit window; the previous text is kept as a revision and re-screened."""
    body_raw, body_html = _clean_body(body)
    with transaction.atomic():
        comment = _own_comment_for_update(commenter, comment.pk)
        if comment.status not in {CommentStatus.PUBLISHED, CommentStatus.PENDING}:
            raise CommentError(
                CommentError.NOT_EDITABLE, _("This comment can no longer be edited."), status=409
            )
        window = timedelta(seconds=_limits()["edit_window_seconds"])
        if clock.now() > comment.created_at + window:
            raise CommentError(
                CommentError.EDIT_WINDOW_CLOSED,
                _("Comments can be edited for %(minutes)d minutes after posting.")
                % {"minutes": window.seconds // 60},
                status=409,
            )
        screening = intake.screen(
            intake.Submission(
                community_id=comment.story.community_id,
                story_id=comment.story_id,
                author_id=commenter.pk,
                body_raw=body_raw,
                body_html=body_html,
            )
        )
        CommentRevision.objects.create(
            comment=comment, body_raw=comment.body_raw, body_html=comment.body_html
        )
        was_published = comment.status == CommentStatus.PUBLISHED
        comment.body_raw, comment.body_html = body_raw, body_html
        comment.edited_at = clock.now()
        comment.flags = screening.flags
        if screening.reject_rule:
            comment.status, comment.rule_code = CommentStatus.REJECTED, screening.reject_rule
        elif screening.hold and was_published:
            comment.status = CommentStatus.PENDING
        comment.save()
        if was_published and comment.status != CommentStatus.PUBLISHED:
            _unpublish_counters(comment)
        else:
            Story.objects.filter(pk=comment.story_id).update(thread_version=F("thread_version") + 1)
        audit.record(
            actor=commenter_actor(commenter),
            action="comment.edit",
            target_type="comment",
            target_id=comment.pk,
            community_id=comment.story.community_id,
            data={"status": comment.status, "revision": comment.revisions.count()},
        )
        comment_id = comment.pk
        transaction.on_commit(lambda: events.comment_changed(comment_id, "edited"))
    return comment


def _unpublish_counters(comment: Comment) -> None:
    """A published comment left the thread: keep counts and cached pages right."""
    Story.objects.filter(pk=comment.story_id).update(
        comment_count=F("comment_count") - (1 if comment.parent_id is None else 0),
        thread_version=F("thread_version") + 1,
    )
    if comment.parent_id is not None:
        Comment.objects.filter(pk=comment.parent_id, reply_count__gt=0).update(
            reply_count=F("reply_count") - 1
        )


def republish_counters(comment: Comment) -> None:
    """A comment entered the public thread (approval): the mirror of `_unpublish_counters`."""
    Story.objects.filter(pk=comment.story_id).update(
        comment_count=F("comment_count") + (1 if comment.parent_id is None else 0),
        thread_version=F("thread_version") + 1,
    )
    if comment.parent_id is not None:
        Comment.objects.filter(pk=comment.parent_id).update(reply_count=F("reply_count") + 1)


def unpublish_counters(comment: Comment) -> None:
    _unpublish_counters(comment)


def withdraw_comment(*, commenter: Commenter, comment: Comment) -> Comment:
    with transaction.atomic():
        comment = _own_comment_for_update(commenter, comment.pk)
        if comment.status == CommentStatus.WITHDRAWN:
            raise CommentError(
                CommentError.ALREADY_WITHDRAWN, _("This comment is already withdrawn."), status=409
            )
        was_published = comment.status == CommentStatus.PUBLISHED
        comment.status = CommentStatus.WITHDRAWN
        comment.save(update_fields=["status"])
        if was_published:
            _unpublish_counters(comment)
        audit.record(
            actor=commenter_actor(commenter),
            action="comment.withdraw",
            target_type="comment",
            target_id=comment.pk,
            community_id=comment.story.community_id,
        )
        comment_id = comment.pk
        transaction.on_commit(lambda: events.comment_changed(comment_id, "withdrawn"))
    return comment


def report_comment(
    *, reporter: Commenter, comment: Comment, reason: str, rule_code: str = ""
) -> Report:
    reason = reason.strip()
    if not reason:
        raise CommentError(
            CommentError.REASON_REQUIRED,
            _("Say why you are reporting this comment."),
            status=422,
            errors={"reason": [_("Required.")]},
        )
    if len(reason) > _limits()["report_reason_max_chars"]:
        raise CommentError(
            "reason_too_long",
            _("A report reason can be at most %(max)d characters long.")
            % {"max": _limits()["report_reason_max_chars"]},
            status=422,
            errors={"reason": [_("Too long.")]},
        )
    if rule_code and find_current_rule(rule_code) is None:
        raise CommentError(
            CommentError.UNKNOWN_RULE,
            _("There is no rule with this code in the Submission Guidelines."),
            status=422,
            errors={"rule": [_("Unknown rule code.")]},
        )
    if comment.author_id == reporter.pk:
        raise CommentError(
            CommentError.OWN_COMMENT, _("You cannot report your own comment."), status=422
        )
    if not ratelimit.hit(f"report:c:{reporter.pk}", limit=20, window_seconds=3600):
        raise RateLimited("rate_limited", _("Too many reports. Please wait a while."))
    try:
        with transaction.atomic():
            report = Report.objects.create(
                comment=comment, reporter=reporter, reason=reason, rule_code=rule_code
            )
            audit.record(
                actor=commenter_actor(reporter),
                action="comment.report",
                target_type="comment",
                target_id=comment.pk,
                community_id=comment.story.community_id,
                rule_code=rule_code,
            )
    except IntegrityError:
        raise CommentError(
            CommentError.ALREADY_REPORTED, _("You have already reported this comment."), status=409
        ) from None
    comment_id = comment.pk
    events.comment_reported(comment_id)
    return report


def erase_commenter(*, commenter: Commenter) -> None:
    """DELETE /me: remove the person's data. Their comments are withdrawn and emptied (the rows
    stay so replies keep their place in threads), and their identity is forgotten, in one
    transaction."""
    with transaction.atomic():
        commenter = Commenter.objects.select_for_update().get(pk=commenter.pk)
        erase_comments_of(commenter=commenter)
        forget_identity(commenter=commenter)


def erase_comments_of(*, commenter: Commenter) -> int:
    """Every comment is withdrawn and its text and history removed; the rows stay so replies
    keep their thread. Runs inside `erase_commenter`'s transaction."""
    erased = 0
    for comment in Comment.objects.select_for_update().filter(author=commenter):
        if comment.status == CommentStatus.PUBLISHED:
            _unpublish_counters(comment)
        comment.status = CommentStatus.WITHDRAWN
        comment.body_raw = ""
        comment.body_html = ""
        comment.address_hash = comment.user_agent_hash = ""
        comment.save(
            update_fields=["status", "body_raw", "body_html", "address_hash", "user_agent_hash"]
        )
        comment.revisions.all().delete()
        erased += 1
    return erased


ADDRESS_HASH_RETENTION = timedelta(days=90)


def expire_address_hashes() -> int:
    """Hashed address prefixes are kept for moderation and campaign detection, then dropped."""
    cutoff = clock.now() - ADDRESS_HASH_RETENTION
    return (
        Comment.objects.filter(created_at__lt=cutoff)
        .exclude(address_hash="", user_agent_hash="")
        .update(address_hash="", user_agent_hash="")
    )
