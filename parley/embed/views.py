"""The reader-facing pages: the story page, the embedded thread and its loader, the demo's
stand-in for the publisher's login, and the Submission Guidelines and licence terms.

Thread pages are the same HTML for every reader (signing in happens in the page's script), so
they are rendered once per (story, thread version, open state, language, sort, cursor), kept in
Django's cache, and served with an ETag and CDN caching headers. The cached path costs one
query (`story_state`) and one cache read; a matching If-None-Match costs the query alone.
"""

from __future__ import annotations

import hashlib
from functools import cache as memoise
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotModified,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from parley.communities.policies import current_guidelines, current_terms, guidelines_version
from parley.core.errors import NotFound, ParleyError
from parley.embed import selectors
from parley.identity.sso import mint_sso_token
from parley.realtime.purge import surrogate_key

PAGE_CACHE_SECONDS = 300  # terms and article edits do not bump thread_version: bound their age
CACHE_CONTROL = "public, max-age=0, s-maxage=30, stale-while-revalidate=30"
STATIC_DIR = Path(__file__).resolve().parent / "static" / "embed"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "embed"


@memoise
def build_id() -> str:
    """A digest of the templates and assets, so a deploy changes every ETag and cache key."""
    digest = hashlib.sha256()
    for folder in (TEMPLATE_DIR, STATIC_DIR):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _sort(request: HttpRequest) -> str:
    sort = request.GET.get("sort", "oldest")
    return sort if sort in selectors.SORTS else "oldest"


def _cursor(request: HttpRequest, name: str) -> str | None:
    cursor = request.GET.get(name) or None
    if cursor is not None and len(cursor) > 200:
        raise ParleyError("invalid_cursor", _("The cursor is not valid."))
    return cursor


def _page_key(
    kind: str, state: selectors.StoryState, sort: str, cursor: str | None, before: str | None
) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    position = f"c{cursor}" if cursor else (f"b{before}" if before else "")
    cursor_digest = hashlib.sha256(position.encode()).hexdigest()[:16] if position else "-"
    return ".".join(
        [
            kind,
            str(state.story_id),
            str(state.thread_version),
            "open" if state.open_now else "closed",
            language,
            sort,
            cursor_digest,
            build_id(),
        ]
    )


def _etag_matches(request: HttpRequest, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    candidates = {part.strip() for part in header.split(",")}
    # Weak comparison (RFC 9110 §8.8.3.2): W/"x" matches "x".
    bare = etag.removeprefix("W/")
    return "*" in candidates or etag in candidates or bare in candidates


def _cache_headers(response: HttpResponse, etag: str, story_id: int) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    response["Surrogate-Key"] = surrogate_key(story_id)
    return response


def _cached_thread_page(
    request: HttpRequest,
    *,
    kind: str,
    state: selectors.StoryState,
    template: str,
    embeddable: bool,
) -> HttpResponse:
    sort = _sort(request)
    try:
        cursor = _cursor(request, "cursor")
        before = None if cursor else _cursor(request, "before")
    except ParleyError:
        return HttpResponseBadRequest(_("The cursor is not valid."))
    key = _page_key(kind, state, sort, cursor, before)
    etag = f'W/"{key}"'
    if _etag_matches(request, etag):
        response: HttpResponse = HttpResponseNotModified()
    else:
        cache_key = "parley:page:" + key
        body = cache.get(cache_key)
        if body is None:
            try:
                context = _thread_page_context(request, state, sort, cursor, before, kind)
            except ParleyError as error:  # an invalid cursor
                return HttpResponseBadRequest(error.message)
            body = render_to_string(template, context, request=request)
            cache.set(cache_key, body, PAGE_CACHE_SECONDS)
        response = HttpResponse(body, content_type="text/html; charset=utf-8")
        response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
    _cache_headers(response, etag, state.story_id)
    if embeddable:
        response.parley_embeddable = True  # type: ignore[attr-defined]
    return response


def _thread_page_context(
    request: HttpRequest,
    state: selectors.StoryState,
    sort: str,
    cursor: str | None,
    before: str | None,
    kind: str,
) -> dict[str, Any]:
    thread = selectors.thread_context(
        story_id=state.story_id, sort=sort, cursor=cursor, before=before
    )
    story = thread.story
    content = story.content if isinstance(story.content, dict) else {}
    limits = selectors.limits()
    paragraphs = [p for p in content.get("body", []) if isinstance(p, str)]
    # Links in a cached page must not depend on the request's other query parameters.
    view = "embed:story" if kind == "story" else "embed:embed-story"
    return {
        "story": story,
        "community": story.community,
        "article": content,
        "photo": content.get("photo") if isinstance(content.get("photo"), dict) else None,
        "paragraphs": paragraphs,
        "pull_quote_after": min(3, len(paragraphs)),
        "base_path": reverse(view, args=[story.pk]),
        "story_path": reverse("embed:story", args=[story.pk]),
        "embedded": kind != "story",
        "thread": thread,
        "comments": thread.comments,
        "open_now": state.open_now,
        "sort": sort,
        "cursor": cursor,
        "next_cursor": thread.next_cursor,
        "previous_cursor": thread.previous_cursor,
        "paged": bool(cursor or before),
        "publisher": story.community.publisher_name,
        "youth": story.community.is_youth,
        "body_max": limits["body_max_chars"],
        "edit_window": limits["edit_window_seconds"],
        "reply_max_depth": limits["reply_max_depth"],
        "demo_login": bool(getattr(settings, "PARLEY_DEMO_LOGIN", False)),
    }


@require_safe
def story_page(request: HttpRequest, story_id: int) -> HttpResponse:
    """The article with its thread and the comment form (the demo's stand-in for a
    publisher's story page). Never framed: publishers embed /embed/ pages instead."""
    try:
        state = selectors.story_state(story_id=story_id)
    except NotFound:
        raise Http404 from None
    return _cached_thread_page(
        request, kind="story", state=state, template="embed/story.html", embeddable=False
    )


@require_safe
def embed_story(request: HttpRequest, story_id: int) -> HttpResponse:
    """The thread alone, for an iframe on a publisher's page (PARLEY_EMBED_ORIGINS)."""
    try:
        state = selectors.story_state(story_id=story_id)
    except NotFound:
        raise Http404 from None
    return _cached_thread_page(
        request, kind="embed", state=state, template="embed/embed_thread.html", embeddable=True
    )


@require_safe
def embed_thread(request: HttpRequest) -> HttpResponse:
    """`/embed/thread/?url=<story url>`: the embedded thread found by the story's URL."""
    url = request.GET.get("url", "")
    if not url or len(url) > 1000:
        raise Http404
    try:
        state = selectors.story_state(url=url)
    except NotFound:
        raise Http404 from None
    return _cached_thread_page(
        request, kind="embed", state=state, template="embed/embed_thread.html", embeddable=True
    )


@require_safe
@cache_control(public=True, max_age=300)
def embed_loader(request: HttpRequest) -> HttpResponse:
    """`/embed.js`: the one script publishers include. Same for every publisher and language."""
    body = (STATIC_DIR / "loader.js").read_text(encoding="utf-8")
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = f'"{build_id()}"'
    # Publishers load it from their own pages: a cross-origin script, which CORP must allow.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """A small list of stories with links to their pages."""
    return render(request, "embed/index.html", {"stories": selectors.story_index()})


@require_safe
def guidelines(request: HttpRequest, version: int | None = None) -> HttpResponse:
    try:
        current = current_guidelines()
        shown = current if version is None else guidelines_version(version)
    except NotFound:
        raise Http404 from None
    from parley.communities.models import GuidelineVersion

    versions = list(GuidelineVersion.objects.order_by("-version").values_list("version", flat=True))
    return render(
        request,
        "embed/guidelines.html",
        {
            "guidelines": shown,
            "rules": list(shown.rules.all()),
            "is_current": shown.pk == current.pk,
            "versions": versions,
        },
    )


@require_safe
def terms(request: HttpRequest) -> HttpResponse:
    try:
        current = current_terms()
    except NotFound:
        raise Http404 from None
    return render(request, "embed/terms.html", {"terms": current})


def _local_next(request: HttpRequest, value: str) -> str | None:
    """`next` must be a path on this site: no scheme, no host, no `//` or `\\` tricks."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if "\\" in value or any(ord(ch) < 32 for ch in value):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=None, require_https=False):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@csrf_protect
@require_http_methods(["GET", "POST"])
def demo_login(request: HttpRequest) -> HttpResponse:
    """The demo's stand-in for a publisher's login: pick a demo reader, get an SSO token.

    It signs tokens for the fixed demo readers only, and exists only where PARLEY_DEMO_LOGIN
    is on (the `parley demo` command and the tests), never in a real deployment.
    """
    if not getattr(settings, "PARLEY_DEMO_LOGIN", False):
        raise Http404
    from parley.ops.seed import DEMO_READERS

    next_raw = request.POST.get("next") if request.method == "POST" else request.GET.get("next")
    next_path = _local_next(request, next_raw or "/")
    if next_path is None:
        return HttpResponseBadRequest("The next address must be a path on this site.")
    readers = {reader.subject: reader for reader in DEMO_READERS}
    if request.method == "POST":
        reader = readers.get(request.POST.get("reader", ""))
        if reader is None:
            return HttpResponseBadRequest(_("Choose one of the demo readers."))
        token = mint_sso_token(
            subject=reader.subject,
            given_name=reader.given_name,
            family_name=reader.family_name,
            youth=reader.youth,
        )
        # In the fragment: never sent to a server, never in a Referer or an access log.
        redirect = HttpResponseRedirect(next_path + "#sso=" + token)
        redirect["Cache-Control"] = "no-store"
        return redirect
    response = render(
        request,
        "embed/demo_login.html",
        {"readers": DEMO_READERS, "next": next_path, "action": reverse("embed:demo-login")},
    )
    response["Cache-Control"] = "no-store"
    return response
