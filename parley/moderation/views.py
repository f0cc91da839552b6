"""The moderator dashboard: server-rendered pages over the same actions and selectors as the
API. Moderators act on queues; staff also open and close stories and feature comments;
administrators also edit word lists. Anyone else, a commenter included, gets 403."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parley.comments.models import CommentStatus
from parley.communities.models import Community, GuidelineRule
from parley.communities.policies import current_guidelines
from parley.core.actors import Actor
from parley.core.errors import NotFound, ParleyError, PermissionDenied
from parley.core.models import AuditEntry
from parley.identity.actions import decide_community_name
from parley.identity.authentication import actor_for_user
from parley.identity.models import Commenter, CommunityNameStatus
from parley.identity.selectors import public_name
from parley.moderation import actions, selectors
from parley.moderation.access import (
    access_comment_for_moderation,
    access_commenter_for_moderation,
    access_community_for_admin,
    moderated_communities,
)
from parley.moderation.models import Decision, Sanction, SanctionKind, WordList
from parley.stories.actions import update_story_comments
from parley.stories.models import Story

PAGE_SIZE = 25
View = Callable[..., HttpResponse]


def _forbidden(request: HttpRequest, detail: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"code": "forbidden", "detail": detail}, status=403)
    return render(request, "moderation/403.html", {"detail": detail}, status=403)


def dashboard_view(role: str = "moderator") -> Callable[[View], View]:
    """Signed-in dashboard users holding `role` (or higher) only. The dashboard is
    session-only: a request carrying a bearer credential (a commenter's token, an API key)
    is refused with 403, as is a signed-in user without a staff role."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                if "Authorization" in request.headers:
                    return _forbidden(request, _("The dashboard is for moderators and staff."))
                return redirect_to_login(request.get_full_path(), reverse("moderation:login"))
            actor = actor_for_user(request.user)
            if actor is None or not actor.has_role(role):  # type: ignore[arg-type]
                return _forbidden(request, _("Your account has no role that opens this page."))
            request.actor = actor  # type: ignore[attr-defined]
            try:
                return view(request, *args, **kwargs)
            except ParleyError as error:
                return _error_response(request, error)

        return wrapper

    return decorate


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _error_response(request: HttpRequest, error: ParleyError) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"code": error.code, "detail": error.message, "errors": error.errors},
            status=error.status,
        )
    if request.method == "POST":
        messages.error(request, error.message)
        return _back(request)
    if isinstance(error, PermissionDenied):
        return render(request, "moderation/403.html", {"detail": error.message}, status=403)
    return render(request, "moderation/error.html", {"detail": error.message}, status=error.status)


def _back(request: HttpRequest, default: str = "") -> HttpResponseRedirect:
    target = request.POST.get("next") or request.GET.get("next") or default
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("moderation:index")
    return HttpResponseRedirect(target)


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _rules() -> list[GuidelineRule]:
    try:
        guideline = current_guidelines()
    except NotFound:
        return []
    return list(guideline.rules.all())


def _suggested_rule(item: selectors.QueueItem, rules: list[GuidelineRule]) -> str:
    """The rule preselected for an item: a reported rule, the rule a system rejection cited,
    else the first rule."""
    codes = {rule.code for rule in rules}
    for report in item.reports:
        if report.rule_code in codes:
            return report.rule_code
    if item.comment.rule_code in codes:
        return item.comment.rule_code
    return rules[0].code if rules else ""


def _rule_options(rules: list[GuidelineRule], selected: str) -> str:
    """The rule picker's <option>s, rendered once per page and selection: every item on a
    page shows the same list, and rendering it node by node dominated the page's time."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}. {} · {}</option>',
        (
            (
                rule.code,
                mark_safe(" selected") if rule.code == selected else "",
                i,
                rule.code,
                rule.title,
            )
            for i, rule in enumerate(rules, start=1)
        ),
    )


def _item_context(
    items: list[selectors.QueueItem], rules: list[GuidelineRule]
) -> list[dict[str, Any]]:
    rows = []
    options: dict[str, str] = {}
    for item in items:
        comment = item.comment
        suggested = _suggested_rule(item, rules)
        if suggested not in options:
            options[suggested] = _rule_options(rules, suggested)
        youth = comment.story.community.is_youth
        rows.append(
            {
                "item": item,
                "comment": comment,
                "author_name": public_name(comment.author, youth_community=youth),
                "parent_name": public_name(comment.parent.author, youth_community=youth)
                if comment.parent
                else "",
                "rule_options": options[suggested],
                "scores": sorted(
                    (k, float(v)) for k, v in comment.scores.items() if isinstance(v, int | float)
                ),
                "decidable": comment.status in {CommentStatus.PENDING, CommentStatus.PUBLISHED}
                or (comment.status == CommentStatus.REJECTED and comment.moderated_at is None),
            }
        )
    return rows


def _nav(request: HttpRequest, active: str) -> dict[str, Any]:
    actor = _actor(request)
    communities = moderated_communities(actor)
    youth = Community.objects.filter(identity_mode="youth")
    if communities is not None:
        youth = youth.filter(pk__in=communities)
    admin_communities = [
        c for c in Community.objects.order_by("slug") if actor.has_role("admin", c.pk)
    ]
    return {
        "actor": actor,
        "active": active,
        "counts": selectors.queue_counts(actor=actor),
        "queues": [
            ("pending", _("Pending")),
            ("reported", _("Reported")),
            ("system", _("System-flagged")),
            ("rejected", _("Rejected")),
        ],
        "is_staff_role": actor.has_role("staff"),
        "moderates_youth": youth.exists(),
        "admin_communities": admin_communities,
    }


@require_GET
@dashboard_view()
def index(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(reverse("moderation:queue", args=["pending"]))


@require_GET
@dashboard_view()
def queue(request: HttpRequest, queue: str) -> HttpResponse:
    if queue not in selectors.QUEUES:
        return render(request, "moderation/error.html", {"detail": _("No such queue.")}, status=404)
    actor = _actor(request)
    page = selectors.queue_page(
        actor=actor, queue=queue, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE
    )
    rules = _rules()
    return render(
        request,
        "moderation/queue.html",
        {
            **_nav(request, queue),
            "queue": queue,
            "rows": _item_context(page.items, rules),
            "rules": rules,
            "next_cursor": page.next_cursor,
            "here": request.get_full_path(),
        },
    )


@require_GET
@dashboard_view()
def search(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    q = request.GET.get("q", "")[:200]
    by = "author" if request.GET.get("by") == "author" else "text"
    page = selectors.search_comments(
        actor=actor, q=q, by=by, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE
    )
    rules = _rules()
    return render(
        request,
        "moderation/search.html",
        {
            **_nav(request, "search"),
            "q": q,
            "by": by,
            "rows": _item_context(page.items, rules),
            "rules": rules,
            "next_cursor": page.next_cursor,
            "here": request.get_full_path(),
        },
    )


@require_GET
@dashboard_view()
def comment_detail(request: HttpRequest, comment_id: int) -> HttpResponse:
    actor = _actor(request)
    comment = access_comment_for_moderation(actor, comment_id)
    comment = selectors.comment_for_detail(comment_id)
    rules = _rules()
    (item,) = selectors.hydrate([comment])
    youth = comment.story.community.is_youth
    ancestors = [
        (ancestor, public_name(ancestor.author, youth_community=youth))
        for ancestor in selectors.comment_context(comment)
    ]
    return render(
        request,
        "moderation/comment.html",
        {
            **_nav(request, ""),
            "rows": _item_context([item], rules),
            "rules": rules,
            "ancestors": ancestors,
            "decisions": Decision.objects.filter(comment=comment),
            "audit": AuditEntry.objects.filter(target_type="comment", target_id=str(comment.pk)),
            "here": request.get_full_path(),
        },
    )


@require_POST
@dashboard_view()
def decide(request: HttpRequest, comment_id: int) -> HttpResponse:
    actor = _actor(request)
    decision = actions.decide_comment(
        actor=actor,
        comment_id=comment_id,
        action=request.POST.get("action", ""),
        rule_code=request.POST.get("rule", ""),
        note=request.POST.get("note", ""),
    )
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "comment": comment_id,
                "action": decision.action,
                "status": decision.to_status,
                "rule": decision.rule_code,
            }
        )
    messages.success(
        request,
        _("Comment %(id)s: %(action)s, citing %(rule)s.")
        % {"id": comment_id, "action": decision.get_action_display(), "rule": decision.rule_code},
    )
    return _back(request)


@require_POST
@dashboard_view()
def bulk(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()]
    outcomes = actions.decide_comments(
        actor=actor,
        comment_ids=ids,
        action=request.POST.get("action", ""),
        rule_code=request.POST.get("rule", ""),
        note=request.POST.get("note", ""),
    )
    done = sum(1 for outcome in outcomes if outcome.ok)
    if _wants_json(request):
        return JsonResponse(
            {
                "results": [
                    {"comment": o.comment_id, "ok": o.ok, "code": o.code, "detail": o.detail}
                    for o in outcomes
                ]
            }
        )
    messages.success(
        request, _("%(done)d of %(total)d decided.") % {"done": done, "total": len(ids)}
    )
    for outcome in outcomes:
        if not outcome.ok:
            messages.warning(
                request,
                _("Comment %(id)s: %(detail)s")
                % {"id": outcome.comment_id, "detail": outcome.detail},
            )
    return _back(request)


@require_POST
@dashboard_view("staff")
def feature(request: HttpRequest, comment_id: int) -> HttpResponse:
    featured = request.POST.get("featured", "1") == "1"
    actions.feature_comment(actor=_actor(request), comment_id=comment_id, featured=featured)
    messages.success(request, _("Featured.") if featured else _("No longer featured."))
    return _back(request)


@require_GET
@dashboard_view()
def user_detail(request: HttpRequest, commenter_id: int) -> HttpResponse:
    actor = _actor(request)
    commenter = access_commenter_for_moderation(actor, commenter_id)
    history = selectors.author_histories({commenter})[commenter.pk]
    page = selectors.search_comments(actor=actor, q=str(commenter.pk), by="author", limit=PAGE_SIZE)
    rules = _rules()
    return render(
        request,
        "moderation/user.html",
        {
            **_nav(request, ""),
            "commenter": commenter,
            "name": public_name(commenter, youth_community=commenter.is_youth),
            "history": history,
            "sanctions": Sanction.objects.filter(commenter=commenter),
            "kinds": SanctionKind.choices,
            "rows": _item_context(page.items, rules),
            "rules": rules,
            "here": request.get_full_path(),
        },
    )


def _parse_until(value: str) -> datetime | None:
    """A datetime-local value in the dashboard's time zone, or an ISO time with an offset."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ParleyError(
            "invalid_until", _("The end date is not a date and time."), status=422
        ) from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_current_timezone())
    return parsed


@require_POST
@dashboard_view()
def sanction(request: HttpRequest, commenter_id: int) -> HttpResponse:
    comment_id = request.POST.get("comment", "")
    created = actions.apply_sanction(
        actor=_actor(request),
        commenter_id=commenter_id,
        kind=request.POST.get("kind", ""),
        rule_code=request.POST.get("rule", ""),
        until=_parse_until(request.POST.get("until", "")),
        note=request.POST.get("note", ""),
        comment_id=int(comment_id) if comment_id.isdigit() else None,
    )
    messages.success(
        request,
        _("%(kind)s recorded, citing %(rule)s.")
        % {"kind": created.get_kind_display(), "rule": created.rule_code},
    )
    return _back(request, reverse("moderation:user", args=[commenter_id]))


@require_POST
@dashboard_view()
def lift(request: HttpRequest, sanction_id: int) -> HttpResponse:
    lifted = actions.lift_sanction(
        actor=_actor(request), sanction_id=sanction_id, note=request.POST.get("note", "")
    )
    messages.success(request, _("Sanction lifted."))
    return _back(request, reverse("moderation:user", args=[lifted.commenter_id]))


def _youth_moderator(actor: Actor) -> bool:
    return any(
        actor.has_role("moderator", community_id)
        for community_id in Community.objects.filter(identity_mode="youth").values_list(
            "pk", flat=True
        )
    )


@require_GET
@dashboard_view()
def community_names(request: HttpRequest) -> HttpResponse:
    if not _youth_moderator(_actor(request)):
        return _forbidden(request, _("You do not moderate a youth community."))
    pending = Commenter.objects.filter(
        is_youth=True, community_name_status=CommunityNameStatus.PENDING, erased_at__isnull=True
    ).order_by("created_at")[:200]
    return render(
        request,
        "moderation/names.html",
        {**_nav(request, "names"), "pending": pending, "here": request.get_full_path()},
    )


@require_POST
@dashboard_view()
def decide_name(request: HttpRequest, commenter_id: int) -> HttpResponse:
    actor = _actor(request)
    if not _youth_moderator(actor):
        return _forbidden(request, _("You do not moderate a youth community."))
    commenter = Commenter.objects.filter(pk=commenter_id, is_youth=True).first()
    if commenter is None:
        raise NotFound("commenter_not_found", _("There is no such youth member."))
    approve = request.POST.get("decision") == "approve"
    decide_community_name(actor=actor, commenter=commenter, approve=approve)
    messages.success(request, _("Name approved.") if approve else _("Name rejected."))
    return _back(request, reverse("moderation:names"))


@require_GET
@dashboard_view("staff")
def stories(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    visible = [
        story
        for story in Story.objects.select_related("community").order_by("-created_at")[:100]
        if actor.has_role("staff", story.community_id)
    ]
    return render(
        request,
        "moderation/stories.html",
        {**_nav(request, "stories"), "stories": visible, "now": timezone.now()},
    )


@require_POST
@dashboard_view("staff")
def story_comments(request: HttpRequest, story_id: int) -> HttpResponse:
    story = Story.objects.filter(pk=story_id).first()
    if story is None:
        raise NotFound("story_not_found", _("There is no such story."))
    update_story_comments(
        actor=_actor(request), story=story, comments_open=request.POST.get("open") == "1"
    )
    messages.success(request, _("Story updated."))
    return _back(request, reverse("moderation:stories"))


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@dashboard_view("admin")
def word_lists(request: HttpRequest, slug: str) -> HttpResponse:
    actor = _actor(request)
    community = access_community_for_admin(actor, slug)
    if request.method == "POST":
        actions.set_word_lists(
            actor=actor,
            community=community,
            banned=_lines(request.POST.get("banned", "")),
            suspect=_lines(request.POST.get("suspect", "")),
            reject_rule=request.POST.get("reject_rule") or None,
        )
        messages.success(request, _("Word lists saved."))
        return HttpResponseRedirect(request.path)
    word_list = WordList.objects.filter(community=community).first()
    return render(
        request,
        "moderation/word_lists.html",
        {
            **_nav(request, "settings"),
            "community": community,
            "banned": "\n".join(word_list.banned) if word_list else "",
            "suspect": "\n".join(word_list.suspect) if word_list else "",
            "reject_rule": word_list.reject_rule if word_list else "R1",
            "rules": _rules(),
        },
    )


@require_GET
@dashboard_view()
def audit_log(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    filters = {
        key: request.GET.get(key, "").strip() for key in ("actor", "target", "rule", "action")
    }
    page = selectors.audit_page(
        actor=actor,
        by=filters["actor"] or None,
        target=filters["target"] or None,
        rule=filters["rule"] or None,
        action=filters["action"] or None,
        cursor=request.GET.get("cursor") or None,
        limit=50,
    )
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "moderation/audit.html",
        {
            **_nav(request, "audit"),
            "entries": page.items,
            "filters": filters,
            "next_cursor": page.next_cursor,
            "query": query,
        },
    )
