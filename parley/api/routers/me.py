from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from parley.api.auth import AUTH, require_commenter
from parley.api.schemas import MeOut, MePatch, SessionIn, SessionOut
from parley.api.serializers import me_out
from parley.comments.actions import erase_commenter
from parley.comments.selectors import export_commenter_data
from parley.core.errors import ParleyError
from parley.identity.actions import change_name, propose_community_name
from parley.identity.authentication import authenticate_bearer, issue_session_token

router = Router(tags=["me"])


@router.post("/sessions", response={201: SessionOut}, summary="Trade an SSO token for a session")
def sessions_create(request: HttpRequest, payload: SessionIn) -> Status[dict[str, Any]]:
    found = authenticate_bearer(payload.sso_token)
    if found.commenter is None or payload.sso_token.startswith(("pk_", "ps_")):
        raise ParleyError(
            "sso_token_required", _("Give the publisher's sign-in token."), status=400
        )
    return Status(
        201,
        {
            "session_token": issue_session_token(found.commenter),
            "me": me_out(found.commenter),
        },
    )


@router.get("/me", response=MeOut, auth=AUTH, summary="Your profile")
def me_get(request: HttpRequest) -> dict[str, Any]:
    return me_out(require_commenter(request))


@router.patch("/me", response=MeOut, auth=AUTH, summary="Correct your name")
def me_patch(request: HttpRequest, payload: MePatch) -> dict[str, Any]:
    commenter = require_commenter(request)
    fields = payload.model_fields_set
    if not fields:
        raise ParleyError(
            "nothing_to_change",
            _("Send given_name and family_name, or community_name."),
            status=422,
        )
    if {"given_name", "family_name"} & fields:
        if commenter.is_youth:
            raise ParleyError(
                "youth_real_name", _("Youth members use a community name instead."), status=422
            )
        commenter = change_name(
            commenter=commenter,
            given_name=payload.given_name
            if payload.given_name is not None
            else commenter.given_name,
            family_name=payload.family_name
            if payload.family_name is not None
            else commenter.family_name,
        )
    if "community_name" in fields and payload.community_name is not None:
        commenter = propose_community_name(commenter=commenter, name=payload.community_name)
    return me_out(commenter)


@router.get("/me/export", auth=AUTH, summary="Everything Parley holds about you, as JSON")
def me_export(request: HttpRequest) -> dict[str, Any]:
    return export_commenter_data(require_commenter(request))


@router.delete("/me", response={204: None}, auth=AUTH, summary="Erase your account")
def me_delete(request: HttpRequest) -> HttpResponse:
    erase_commenter(commenter=require_commenter(request))
    return HttpResponse(status=204)
