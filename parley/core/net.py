"""Client addresses: taken from trusted proxies only, stored as expiring hashed prefixes."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _is_trusted(address: str, trusted: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(remote_addr: str, forwarded_for: str | None) -> str:
    """The client's address: walk X-Forwarded-For from the right while hops are trusted.

    From an untrusted peer the header is ignored entirely, so nobody can pick their own
    address (and with it their rate-limit bucket).
    """
    trusted = _networks(tuple(settings.PARLEY_TRUSTED_PROXIES))
    if not trusted or not _is_trusted(remote_addr, trusted) or not forwarded_for:
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote_addr
    return hops[0] if hops else remote_addr


def address_prefix(address: str) -> str:
    """The /24 (IPv4) or /64 (IPv6) a client sits in: one household or one phone's network."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "invalid"
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def hashed_prefix(address: str) -> str:
    """A keyed hash of the address prefix: comparable between comments, useless if leaked."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, address_prefix(address).encode(), hashlib.sha256).hexdigest()[:32]
