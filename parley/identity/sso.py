"""Verifying the publisher's single sign-on tokens.

Each key is bound to one algorithm: the shared secret verifies HS256 only, the public key
RS256 only. The algorithm named in the token header only selects which of the two to try; it
can never make a secret act as a public key (or the reverse), and `none` is never accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import jwt
from django.conf import settings
from django.utils.translation import gettext as _

from parley.core import clock
from parley.identity.errors import SsoError

LEEWAY = timedelta(seconds=30)


@dataclass(frozen=True)
class SsoClaims:
    subject: str
    issuer: str
    given_name: str
    family_name: str
    email: str
    youth: bool


def _keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    if settings.PARLEY_SSO_SECRET:
        keys["HS256"] = settings.PARLEY_SSO_SECRET
    if settings.PARLEY_SSO_PUBLIC_KEY:
        keys["RS256"] = settings.PARLEY_SSO_PUBLIC_KEY
    return keys


def verify_sso_token(token: str) -> SsoClaims:
    if len(token.encode()) > settings.PARLEY_LIMITS["sso_token_max_bytes"]:
        raise SsoError(SsoError.TOKEN_TOO_LARGE, _("The sign-in token is too large."))
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise SsoError(SsoError.TOKEN_INVALID, _("The sign-in token is malformed.")) from None
    algorithm = header.get("alg")
    key = _keys().get(algorithm) if isinstance(algorithm, str) else None
    if key is None or not isinstance(algorithm, str):
        raise SsoError(
            SsoError.ALGORITHM_NOT_ALLOWED,
            _("The sign-in token uses an algorithm this site does not accept."),
        )
    try:
        payload = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            options={"require": ["exp", "sub"], "verify_aud": False},
            leeway=LEEWAY,
        )
    except jwt.ExpiredSignatureError:
        raise SsoError(SsoError.TOKEN_EXPIRED, _("The sign-in token has expired.")) from None
    except jwt.ImmatureSignatureError:
        raise SsoError(
            SsoError.TOKEN_NOT_YET_VALID, _("The sign-in token is not valid yet.")
        ) from None
    except jwt.MissingRequiredClaimError:
        raise SsoError(
            SsoError.CLAIMS_MISSING, _("The sign-in token lacks a subject or an expiry.")
        ) from None
    except jwt.PyJWTError:
        raise SsoError(
            SsoError.TOKEN_INVALID, _("The sign-in token's signature is not valid.")
        ) from None
    subject = payload.get("sub")
    if not isinstance(subject, str) or not subject.strip() or len(subject) > 255:
        raise SsoError(SsoError.CLAIMS_MISSING, _("The sign-in token's subject is not valid."))
    youth = payload.get("youth") is True
    given = payload.get("given_name")
    family = payload.get("family_name")
    if not youth and (not isinstance(given, str) or not isinstance(family, str)):
        raise SsoError(
            SsoError.CLAIMS_MISSING,
            _("The sign-in token must carry given_name and family_name."),
        )
    email = payload.get("email")
    issuer = payload.get("iss")
    return SsoClaims(
        subject=subject,
        issuer=issuer if isinstance(issuer, str) else "",
        given_name=given if isinstance(given, str) else "",
        family_name=family if isinstance(family, str) else "",
        email=email if isinstance(email, str) else "",
        youth=youth,
    )


def mint_sso_token(
    *,
    subject: str,
    given_name: str,
    family_name: str,
    email: str | None = None,
    youth: bool = False,
    ttl_seconds: int = 3600,
) -> str:
    """Sign a token as the publisher would (the demo login and `parley sso-token`)."""
    issued = clock.now()
    payload: dict[str, object] = {
        "sub": subject,
        "given_name": given_name,
        "family_name": family_name,
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(seconds=ttl_seconds)).timestamp()),
    }
    if email:
        payload["email"] = email
    if youth:
        payload["youth"] = True
    return jwt.encode(payload, settings.PARLEY_SSO_SECRET, algorithm="HS256")
