"""The HTTP API under /api/v1, its OpenAPI schema, and problem+json for every error."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from parley.api.problems import from_error, problem_response
from parley.api.routers import campaigns, comments, me, moderation, public, stories
from parley.core.errors import ParleyError

api = NinjaAPI(
    title="Parley API",
    version="1",
    description=(
        "Comments under a publisher's stories: real names, consent to the reproduction "
        "licence, moderation by published Submission Guidelines, campaign defence."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(ParleyError)
def _parley_error(request: HttpRequest, exc: ParleyError) -> HttpResponse:
    return from_error(exc)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        # ("body", "payload", "field") → "field": name the field, not ninja's plumbing.
        if location and location[0] in {"body", "query", "path", "header", "cookie"}:
            location = location[1:]
        if location and location[0] in {"payload", "params"}:
            location = location[1:]
        errors.setdefault(".".join(location) or "request", []).append(str(error.get("msg", "")))
    return problem_response(
        status=422,
        code="invalid_input",
        detail=_("Some fields are missing or not valid."),
        errors=errors,
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        status=401,
        code="not_authenticated",
        detail=_("Sign in first: send Authorization: Bearer <token>."),
    )


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem_response(
        status=413, code="request_too_large", detail=_("The request body is too large.")
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(status=404, code="not_found", detail=_("Not found."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, RequestDataTooBig):
        return _too_big(request, exc.__cause__)
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return problem_response(
            status=400, code="malformed_json", detail=_("The request body is not valid JSON.")
        )
    return problem_response(status=exc.status_code, code="http_error", detail=str(exc))


api.add_router("", public.router)
api.add_router("", stories.router)
api.add_router("", comments.router)
api.add_router("", me.router)
api.add_router("", moderation.router)
api.add_router("", campaigns.router)
