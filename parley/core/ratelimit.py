"""Fixed-window rate limits on the shared cache (Redis in production).

If the shared cache fails, limits fall back to a per-process counter instead of failing open:
a Redis outage must not become an open door for a bot farm.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)
_local: dict[str, tuple[int, int]] = {}
_local_lock = threading.Lock()


def _local_hit(key: str, window: int) -> int:
    bucket = int(time.time()) // window
    with _local_lock:
        seen_bucket, count = _local.get(key, (bucket, 0))
        count = count + 1 if seen_bucket == bucket else 1
        _local[key] = (bucket, count)
        if len(_local) > 100_000:  # bounded memory under attack
            _local.clear()
        return count


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one event; True while the key is within its limit for the current window."""
    scale = settings.PARLEY_RATE_LIMIT_SCALE
    if scale == 0:
        return True
    limit = max(1, int(limit * scale))
    bucket_key = f"rl:{key}:{int(time.time()) // window_seconds}"
    try:
        if cache.add(bucket_key, 1, timeout=window_seconds + 1):
            count = 1
        else:
            count = cache.incr(bucket_key)
    except Exception:  # any cache failure: count locally instead
        logger.warning("rate-limit cache unavailable; using the local counter", exc_info=True)
        count = _local_hit(key, window_seconds)
    return count <= limit


def reset_local() -> None:
    with _local_lock:
        _local.clear()
