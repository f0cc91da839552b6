"""Start-up checks: a misconfigured server refuses to start instead of failing per request."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.module_loading import import_string

PLUGGABLE_SETTINGS = ("PARLEY_REALTIME_BACKEND", "PARLEY_SCORER")


@register()
def check_parley_settings(app_configs: Any, **kwargs: Any) -> list[Error | Warning]:
    problems: list[Error | Warning] = []
    for entry in settings.PARLEY_TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            problems.append(
                Error(
                    f"PARLEY_TRUSTED_PROXIES has {entry!r}, which is not an address or CIDR.",
                    id="parley.E001",
                )
            )
    for origin in settings.PARLEY_EMBED_ORIGINS:
        parts = urlsplit(origin)
        if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path not in {"", "/"}:
            problems.append(
                Error(
                    f"PARLEY_EMBED_ORIGINS has {origin!r}; give origins like https://www.example.com.",
                    id="parley.E002",
                )
            )
    if len(settings.PARLEY_SSO_SECRET or "") < 32:
        problems.append(
            Error(
                "PARLEY_SSO_SECRET is shorter than 32 characters; use a long random secret.",
                id="parley.E003",
            )
        )
    if settings.PARLEY_SSO_PUBLIC_KEY:
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        try:
            load_pem_public_key(settings.PARLEY_SSO_PUBLIC_KEY.encode())
        except ValueError:
            problems.append(
                Error("PARLEY_SSO_PUBLIC_KEY is not a PEM public key.", id="parley.E004")
            )
    for name in PLUGGABLE_SETTINGS:
        path = getattr(settings, name, None)
        if not path:
            continue
        try:
            import_string(path)
        except ImportError as error:
            problems.append(
                Error(f"{name} = {path!r} cannot be imported: {error}", id="parley.E005")
            )
    for name in ("PARLEY_INTAKE_SCREENS", "PARLEY_INTAKE_LISTENERS"):
        for path in getattr(settings, name, ()):
            try:
                import_string(path)
            except ImportError as error:
                problems.append(
                    Error(
                        f"{name} has {path!r}, which cannot be imported: {error}", id="parley.E006"
                    )
                )
    return problems
