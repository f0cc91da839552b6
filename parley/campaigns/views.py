"""The campaigns pages of the moderator dashboard, under /dashboard/campaigns/.

They reuse the dashboard's login, base template, navigation and error handling, and the same
selectors and actions as the API: a list of cases, and one case on one screen (summary,
score, talking points, accounts, comments) with one form to decide it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parley.campaigns import actions, selectors
from parley.campaigns.models import CaseAction, CaseStatus
from parley.core.models import AuditEntry
from parley.moderation.views import _actor, _nav, _rules, dashboard_view

PAGE_SIZE = 25
STATUS_TABS = [
    (CaseStatus.OPEN, CaseStatus.OPEN.label),
    (CaseStatus.ACTIONED, CaseStatus.ACTIONED.label),
    (CaseStatus.DISMISSED, CaseStatus.DISMISSED.label),
]


@require_GET
@dashboard_view()
def case_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or CaseStatus.OPEN
    if status not in selectors.LIST_STATUSES:
        status = CaseStatus.OPEN
    page = selectors.case_page(
        actor=_actor(request),
        status=status,
        cursor=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    return render(
        request,
        "campaigns/list.html",
        {
            **_nav(request, "campaigns"),
            "rows": page.items,
            "status": status,
            "tabs": STATUS_TABS,
            "next_cursor": page.next_cursor,
        },
    )


def _evidence_facts(evidence: dict[str, Any]) -> list[tuple[str, str]]:
    """The engine's evidence as short labelled facts, for reading at a glance."""
    facts: list[tuple[str, str]] = []
    text = evidence.get("text") or {}
    timing = evidence.get("timing") or {}
    cohort = evidence.get("cohort") or {}
    network = evidence.get("network") or {}
    coactivity = evidence.get("coactivity") or {}
    if text:
        facts.append(
            (
                _("Text"),
                _("%(near)s near-identical, %(para)s paraphrased comments")
                % {
                    "near": text.get("near_identical_comments", 0),
                    "para": text.get("paraphrased_comments", 0),
                },
            )
        )
    if timing:
        facts.append(
            (
                _("Timing"),
                _("80%% of posts within %(span)s seconds; first %(first)s, last %(last)s")
                % {
                    "span": timing.get("span_80pct_s", "?"),
                    "first": timing.get("first", "?"),
                    "last": timing.get("last", "?"),
                },
            )
        )
    if cohort:
        facts.append(
            (
                _("Accounts"),
                _(
                    "%(together)s created together; %(fresh)s commented within a day of "
                    "signing up; %(one)s commented on one story only"
                )
                % {
                    "together": cohort.get("created_together", 0),
                    "fresh": cohort.get("first_comment_within_24h_of_creation", 0),
                    "one": cohort.get("one_story_accounts", 0),
                },
            )
        )
    if network:
        facts.append(
            (
                _("Network"),
                _("%(net)s share an address prefix, %(agent)s a browser")
                % {
                    "net": network.get("shared_address_prefix", 0),
                    "agent": network.get("shared_user_agent", 0),
                },
            )
        )
    if coactivity and coactivity.get("accounts"):
        facts.append(
            (
                _("Co-activity"),
                _("%(n)s accounts repeatedly comment on the same stories together")
                % {"n": coactivity.get("accounts", 0)},
            )
        )
    return facts


@require_GET
@dashboard_view()
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = _actor(request)
    detail = selectors.case_detail(actor=actor, case_id=case_id)
    return render(
        request,
        "campaigns/case.html",
        {
            **_nav(request, "campaigns"),
            "detail": detail,
            "case": detail.case,
            "facts": _evidence_facts(detail.case.evidence),
            "rules": _rules(),
            "case_actions": CaseAction.choices,
            "audit": AuditEntry.objects.filter(
                target_type="campaign", target_id=str(detail.case.pk)
            )[:50],
        },
    )


@require_POST
@dashboard_view()
def decide(request: HttpRequest, case_id: int) -> HttpResponse:
    result = actions.decide_case(
        actor=_actor(request),
        case_id=case_id,
        action=request.POST.get("action", ""),
        rule_code=request.POST.get("rule", ""),
        note=request.POST.get("note", ""),
    )
    skipped = sum(len(ids) for ids in result.skipped.values())
    messages.success(
        request,
        _("Case %(id)s: %(action)s citing %(rule)s; %(applied)d applied, %(skipped)d skipped.")
        % {
            "id": case_id,
            "action": CaseAction(result.action).label,
            "rule": result.rule.code,
            "applied": len(result.applied),
            "skipped": skipped,
        },
    )
    return HttpResponseRedirect(reverse("campaigns:case", args=[case_id]))
