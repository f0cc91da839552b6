"""Credentials to Actors: SSO tokens, embed session tokens, API keys, dashboard users."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
from django.utils.translation import gettext as _

from parley.core import clock
from parley.core.actors import Actor
from parley.core.errors import NotAuthenticated
from parley.identity.actions import hash_api_key, sign_in_with_sso
from parley.identity.errors import IdentityError
from parley.identity.models import ApiKey, Commenter, StaffRole
from parley.identity.sso import verify_sso_token

SESSION_SALT = "parley.embed.session"
SESSION_MAX_AGE = 12 * 3600


@dataclass(frozen=True)
class Principal:
    actor: Actor
    commenter: Commenter | None = None


def commenter_actor(commenter: Commenter) -> Actor:
    return Actor(
        kind="commenter",
        id=str(commenter.pk),
        label=f"commenter {commenter.pk}",
        commenter_id=commenter.pk,
    )


def issue_session_token(commenter: Commenter) -> str:
    """The embed trades an SSO token for this, so the publisher's token is sent only once."""
    return "ps_" + signing.dumps({"c": commenter.pk}, salt=SESSION_SALT, compress=True)


def _commenter_from_session(token: str) -> Commenter:
    try:
        data = signing.loads(token[3:], salt=SESSION_SALT, max_age=SESSION_MAX_AGE)
    except signing.SignatureExpired:
        raise NotAuthenticated("session_expired", _("Your session has expired.")) from None
    except signing.BadSignature:
        raise NotAuthenticated("session_invalid", _("Your session is not valid.")) from None
    try:  # by primary key: .get() needs no ORDER BY, unlike .first()
        return Commenter.objects.get(pk=data.get("c"), erased_at__isnull=True)
    except Commenter.DoesNotExist:
        raise NotAuthenticated("session_invalid", _("Your session is not valid.")) from None


def _api_key_actor(raw: str) -> Actor:
    parts = raw.split("_", 2)
    key = ApiKey.objects.filter(prefix=parts[1] if len(parts) == 3 else "").first()
    if (
        key is None
        or key.revoked_at is not None
        or not hmac.compare_digest(key.key_hash, hash_api_key(raw))
    ):
        raise NotAuthenticated(IdentityError.API_KEY_INVALID, _("The API key is not valid."))
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=clock.now())
    communities = frozenset({key.community_id}) if key.community_id else None
    return Actor(
        kind="apikey", id=str(key.pk), label=f"API key {key.name}", roles={key.role: communities}
    )


def authenticate_bearer(raw: str) -> Principal:
    raw = raw.strip()
    if raw.startswith("pk_"):
        return Principal(actor=_api_key_actor(raw))
    if raw.startswith("ps_"):
        commenter = _commenter_from_session(raw)
        return Principal(actor=commenter_actor(commenter), commenter=commenter)
    claims = verify_sso_token(raw)
    commenter = sign_in_with_sso(claims=claims)
    return Principal(actor=commenter_actor(commenter), commenter=commenter)


def actor_for_user(user: AbstractBaseUser | AnonymousUser) -> Actor | None:
    """The dashboard user's actor, or None for someone who holds no staff role."""
    if not user.is_authenticated:
        return None
    roles: dict[str, set[int] | None] = {}
    if getattr(user, "is_superuser", False):
        roles["admin"] = None
    for assignment in StaffRole.objects.filter(user_id=user.pk):
        if assignment.community_id is None:
            roles[assignment.role] = None
        elif roles.get(assignment.role, set()) is not None:
            roles.setdefault(assignment.role, set()).add(assignment.community_id)  # type: ignore[union-attr]
    if not roles:
        return None
    return Actor(
        kind="staff",
        id=str(user.pk),
        label=user.get_username(),
        roles={role: (frozenset(c) if c is not None else None) for role, c in roles.items()},
    )
