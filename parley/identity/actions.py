"""Writes about people: sign-in, names, community names, API keys, erasure."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from parley.communities.models import Community
from parley.core import audit, clock
from parley.core.actors import Actor
from parley.core.errors import ParleyError
from parley.identity.community_names import (
    generate_community_name,
    is_acceptable_community_name,
)
from parley.identity.errors import IdentityError
from parley.identity.models import ApiKey, Commenter, CommunityNameStatus, NameStatus
from parley.identity.names import check_personal_name, name_skeleton, normalise_name
from parley.identity.sso import SsoClaims

LAST_SEEN_RESOLUTION = timedelta(hours=1)


def _apply_names(commenter: Commenter, given: str, family: str) -> None:
    if commenter.is_youth:
        # Youth members' real names are never shown or returned, so they are not kept either.
        given = family = ""
    given, family = normalise_name(given), normalise_name(family)
    problems = [] if commenter.is_youth else check_personal_name(given, family)
    # Overlong values are refused by the checker; keep the stored copy within the column.
    commenter.given_name = given[:80]
    commenter.family_name = family[:80]
    commenter.name_status = NameStatus.REFUSED if problems else NameStatus.VERIFIED
    commenter.name_problems = [
        {"code": p.code, "field": p.field, "message": str(p.message)} for p in problems
    ]
    commenter.name_skeleton = "" if problems else name_skeleton(given, family)[:200]


def sign_in_with_sso(*, claims: SsoClaims) -> Commenter:
    """Find or create the commenter a verified token names; refresh names the publisher changed.

    A name that is not plausible does not block sign-in: the account exists, can read and fix
    its name with PATCH /me, but cannot post in a real-name community until it does.
    """
    # Every API call with a token signs in; the common case (known account, same names,
    # seen recently) is one indexed read and no write.
    known = Commenter.objects.filter(sso_issuer=claims.issuer, sso_subject=claims.subject).first()
    if (
        known is not None
        and known.erased_at is None
        and (known.is_youth or not claims.youth)
        and (
            known.is_youth
            or (
                claims.given_name[:80] == known.sso_given_name
                and claims.family_name[:80] == known.sso_family_name
            )
        )
        and (not claims.email or claims.email == known.email)
        and clock.now() - known.last_seen_at < LAST_SEEN_RESOLUTION
    ):
        return known
    for _attempt in range(2):
        try:
            with transaction.atomic():
                commenter = (
                    Commenter.objects.select_for_update()
                    .filter(sso_issuer=claims.issuer, sso_subject=claims.subject)
                    .first()
                )
                if commenter is None:
                    commenter = Commenter(
                        sso_issuer=claims.issuer,
                        sso_subject=claims.subject,
                        is_youth=claims.youth,
                        email=claims.email,
                        community_name=generate_community_name(),
                    )
                    if not claims.youth:
                        commenter.sso_given_name = claims.given_name[:80]
                        commenter.sso_family_name = claims.family_name[:80]
                    _apply_names(commenter, claims.given_name, claims.family_name)
                    commenter.save()
                    audit.record(
                        actor=Actor(kind="commenter", id=str(commenter.pk), label="sso"),
                        action="commenter.create",
                        target_type="commenter",
                        target_id=commenter.pk,
                        data={"youth": claims.youth, "name_status": commenter.name_status},
                    )
                    return commenter
                if commenter.erased_at is not None:
                    raise IdentityError(
                        IdentityError.ACCOUNT_ERASED,
                        _("This account was erased at its owner's request."),
                        status=403,
                    )
                changed = not commenter.is_youth and (
                    claims.given_name[:80] != commenter.sso_given_name
                    or claims.family_name[:80] != commenter.sso_family_name
                )
                if changed:
                    if not claims.youth:
                        commenter.sso_given_name = claims.given_name[:80]
                        commenter.sso_family_name = claims.family_name[:80]
                    _apply_names(commenter, claims.given_name, claims.family_name)
                commenter.is_youth = commenter.is_youth or claims.youth
                if claims.email:
                    commenter.email = claims.email
                commenter.last_seen_at = clock.now()
                commenter.save()
                return commenter
        except IntegrityError:
            # Two first sign-ins raced; the other one created the row, so read it.
            continue
    raise ParleyError("sign_in_conflict", _("Please try signing in again."), status=409)


def change_name(*, commenter: Commenter, given_name: str, family_name: str) -> Commenter:
    """PATCH /me: a name correction, re-checked by the same rule as sign-in."""
    with transaction.atomic():
        commenter = Commenter.objects.select_for_update().get(pk=commenter.pk)
        before = {"status": commenter.name_status}
        _apply_names(commenter, given_name, family_name)
        if commenter.name_status == NameStatus.REFUSED:
            raise IdentityError(
                IdentityError.NAME_NOT_PLAUSIBLE,
                _("Please give your first and last name as people know you."),
                status=422,
                errors=_problems_by_field(commenter.name_problems),
            )
        commenter.save()
        audit.record(
            actor=Actor(kind="commenter", id=str(commenter.pk), label=f"commenter {commenter.pk}"),
            action="commenter.change_name",
            target_type="commenter",
            target_id=commenter.pk,
            data={"before": before, "after": {"status": commenter.name_status}},
        )
    return commenter


def _problems_by_field(problems: list[dict[str, Any]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem["field"], []).append(problem["message"])
    return errors


def name_problem_error(commenter: Commenter) -> IdentityError:
    return IdentityError(
        IdentityError.NAME_NOT_PLAUSIBLE,
        _(
            "Comments here appear with your first and last name, and the name on your account "
            "does not look like one. Correct it with PATCH /api/v1/me (or on your profile)."
        ),
        status=403,
        errors=_problems_by_field(commenter.name_problems),
        extra={"fix": {"method": "PATCH", "path": "/api/v1/me"}},
    )


def propose_community_name(*, commenter: Commenter, name: str) -> Commenter:
    name = " ".join(name.split())
    if not is_acceptable_community_name(name):
        raise IdentityError(
            IdentityError.COMMUNITY_NAME_INVALID,
            _("A community name has 3 to 30 letters, digits, spaces, '-' or '_'."),
            status=422,
            errors={"community_name": [_("Not an acceptable community name.")]},
        )
    with transaction.atomic():
        Commenter.objects.filter(pk=commenter.pk).update(
            proposed_community_name=name, community_name_status=CommunityNameStatus.PENDING
        )
        audit.record(
            actor=Actor(kind="commenter", id=str(commenter.pk), label=f"commenter {commenter.pk}"),
            action="commenter.propose_community_name",
            target_type="commenter",
            target_id=commenter.pk,
            data={"proposed": name},
        )
    commenter.refresh_from_db()
    return commenter


def decide_community_name(*, actor: Actor, commenter: Commenter, approve: bool) -> Commenter:
    """A moderator approves (it becomes visible) or rejects a proposed community name."""
    with transaction.atomic():
        commenter = Commenter.objects.select_for_update().get(pk=commenter.pk)
        if commenter.community_name_status != CommunityNameStatus.PENDING:
            raise IdentityError(
                "no_pending_community_name", _("There is no proposed name to decide."), status=409
            )
        if approve:
            commenter.community_name = commenter.proposed_community_name
            commenter.community_name_status = CommunityNameStatus.APPROVED
        else:
            commenter.community_name_status = CommunityNameStatus.REJECTED
        proposed, commenter.proposed_community_name = commenter.proposed_community_name, ""
        commenter.save()
        audit.record(
            actor=actor,
            action="commenter.approve_community_name"
            if approve
            else "commenter.reject_community_name",
            target_type="commenter",
            target_id=commenter.pk,
            data={"proposed": proposed},
        )
    return commenter


def forget_identity(*, commenter: Commenter) -> Commenter:
    """The identity half of account erasure: names, e-mail and SSO link are removed, so a later
    sign-in with the same token starts a new, empty account. Call it through
    `parley.comments.actions.erase_commenter`, which also erases the person's comments in the
    same transaction."""
    commenter.given_name = commenter.family_name = ""
    commenter.sso_given_name = commenter.sso_family_name = ""
    commenter.email = commenter.name_skeleton = ""
    commenter.community_name = commenter.proposed_community_name = ""
    commenter.name_problems = []
    commenter.sso_subject = f"erased:{commenter.pk}:{secrets.token_hex(8)}"
    commenter.erased_at = clock.now()
    commenter.save()
    audit.record(
        actor=Actor(kind="commenter", id=str(commenter.pk), label=f"commenter {commenter.pk}"),
        action="commenter.erase",
        target_type="commenter",
        target_id=commenter.pk,
    )
    return commenter


def hash_api_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_api_key(
    *, actor: Actor, name: str, role: str, community: Community | None = None
) -> tuple[ApiKey, str]:
    """Returns the key row and the raw key, which is shown once and never stored."""
    if role not in {"moderator", "staff", "admin"}:
        raise ParleyError("invalid_role", _("Role must be moderator, staff or admin."))
    if not name.strip():
        raise ParleyError("invalid_name", _("An API key needs a name."))
    prefix = secrets.token_hex(4)
    raw = f"pk_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        key = ApiKey.objects.create(
            name=name.strip()[:200],
            role=role,
            community=community,
            prefix=prefix,
            key_hash=hash_api_key(raw),
        )
        audit.record(
            actor=actor,
            action="apikey.create",
            target_type="apikey",
            target_id=key.pk,
            community_id=community.pk if community else None,
            data={"name": key.name, "role": role},
        )
    return key, raw
