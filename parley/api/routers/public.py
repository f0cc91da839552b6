"""Health, schema-adjacent documents: guidelines and terms."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from ninja import Router

from parley.api.schemas import GuidelinesOut, HealthOut, TermsOut
from parley.communities.models import GuidelineVersion
from parley.communities.policies import current_guidelines, current_terms, guidelines_version

router = Router(tags=["public"])


@router.get("/health", response=HealthOut, summary="Liveness and the state of dependencies")
def health(request: HttpRequest) -> dict[str, str]:
    state = {"status": "ok", "database": "ok", "cache": "ok", "queue": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        state["database"] = "unavailable"
        state["status"] = "degraded"
    try:
        cache.set("parley:health", "1", 5)
        if cache.get("parley:health") != "1":
            raise RuntimeError("cache did not return the value")
    except Exception:
        # The cache is optional for correctness; report it without failing health.
        state["cache"] = "unavailable"
    try:
        from django_tasks_db.models import DBTaskResult

        backlog = DBTaskResult.objects.filter(status="READY").count()
        state["queue"] = "ok" if backlog < 10_000 else f"backlog {backlog}"
    except Exception:
        state["queue"] = "unavailable"
    return state


def _guidelines(guideline: GuidelineVersion) -> dict[str, Any]:
    return {
        "version": guideline.version,
        "title": guideline.title,
        "introduction": guideline.introduction,
        "published_at": guideline.published_at,
        "rules": [
            {"code": rule.code, "title": rule.title, "text": rule.text}
            for rule in guideline.rules.all()
        ],
    }


@router.get("/guidelines/current", response=GuidelinesOut, summary="The guidelines in force")
def guidelines_current(request: HttpRequest) -> dict[str, Any]:
    return _guidelines(current_guidelines())


@router.get(
    "/guidelines/{version}", response=GuidelinesOut, summary="An earlier guidelines version"
)
def guidelines_by_version(request: HttpRequest, version: int) -> dict[str, Any]:
    return _guidelines(guidelines_version(version))


@router.get("/terms/current", response=TermsOut, summary="The licence terms in force")
def terms_current(request: HttpRequest) -> Any:
    return current_terms()


@router.get("/terms/{version}", response=TermsOut, summary="An earlier terms version")
def terms_by_version(request: HttpRequest, version: str) -> Any:
    from parley.communities.policies import terms_version

    return terms_version(version)
