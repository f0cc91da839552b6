from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from parley.core.net import client_address


class ClientAddressMiddleware:
    """Sets `request.client_ip` from REMOTE_ADDR and trusted proxies' X-Forwarded-For."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.client_ip = client_address(  # type: ignore[attr-defined]
            request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR")
        )
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """A Content Security Policy on every HTML page: a second layer behind sanitising.

    Embed pages may be framed by the publisher origins in PARLEY_EMBED_ORIGINS only; every
    other page (the dashboard included) cannot be framed at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        embeddable = getattr(response, "parley_embeddable", False)
        ancestors = " ".join(settings.PARLEY_EMBED_ORIGINS) if embeddable else ""
        frame_ancestors = f"'self' {ancestors}".strip() if embeddable else "'none'"
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            f"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            f"frame-ancestors {frame_ancestors}",
        )
        if not embeddable:
            # X-Frame-Options cannot express an allow-list, so embed pages rely on CSP alone.
            response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response
