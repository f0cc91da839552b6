"""How API requests are authenticated: a Bearer credential (SSO token, embed session, API
key) or, for the dashboard's own scripts, the staff session cookie with its CSRF token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from parley.core.actors import Actor
from parley.core.errors import NotAuthenticated, PermissionDenied
from parley.identity.authentication import Principal, actor_for_user, authenticate_bearer
from parley.identity.models import Commenter


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Principal:
        principal = authenticate_bearer(token)
        request.principal = principal  # type: ignore[attr-defined]
        return principal


class StaffSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Principal | None:
        user = super().authenticate(request, key)
        if user is None:
            return None
        actor = actor_for_user(user)
        if actor is None:
            return None
        principal = Principal(actor=actor)
        request.principal = principal  # type: ignore[attr-defined]
        return principal


AUTH = [BearerAuth(), StaffSessionAuth()]


def optional_principal(request: HttpRequest) -> Principal | None:
    """For endpoints anyone may call, where signing in shows more (an author's own comment)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return authenticate_bearer(header[7:])
    actor = actor_for_user(request.user) if hasattr(request, "user") else None
    return Principal(actor=actor) if actor else None


def principal(request: HttpRequest) -> Principal:
    found = getattr(request, "auth", None)
    if not isinstance(found, Principal):
        raise NotAuthenticated("not_authenticated", _("Sign in first."))
    return found


def require_commenter(request: HttpRequest) -> Commenter:
    found = principal(request)
    if found.commenter is None:
        raise PermissionDenied("commenters_only", _("Only signed-in readers can do this."))
    return found.commenter


def require_role(request: HttpRequest, role: Any, community_id: int | None = None) -> Actor:
    actor = principal(request).actor
    if not actor.has_role(role, community_id):
        raise PermissionDenied(
            "insufficient_role", _("This needs the %(role)s role.") % {"role": role}
        )
    return actor
