"""Tell the CDN that a story's pages changed.

Story pages and embedded threads carry `Surrogate-Key: story-<id>`. Parley's own page cache is
keyed on the story's thread version, so it never serves a stale thread; a CDN in front of it
caches for `s-maxage` seconds, and this purge shortens that to the time of one request.

When the setting `PARLEY_PURGE_URL` is set, `purge_story` POSTs `{"surrogate_keys": [...]}`
there (and the same keys in a `Surrogate-Key` header, which Fastly-style purge endpoints read).
It is best effort: called after commit, with a short timeout, and a failure is only logged.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 2.0


def surrogate_key(story_id: int) -> str:
    return f"story-{story_id}"


def purge_story(story_id: int, *, wait: bool = False) -> threading.Thread | None:
    """Purge one story's cached pages at the CDN, in a background thread so the writer's
    response never waits on the CDN. Does nothing (returns None) without PARLEY_PURGE_URL."""
    url = getattr(settings, "PARLEY_PURGE_URL", None)
    if not url:
        return None
    if not url.startswith(("https://", "http://")):
        logger.warning("PARLEY_PURGE_URL must be an http(s) URL; not purging")
        return None
    worker = threading.Thread(
        target=_post_purge, args=(url, story_id), name=f"parley-purge-{story_id}", daemon=True
    )
    worker.start()
    if wait:
        worker.join(TIMEOUT_SECONDS + 1)
    return worker


def _post_purge(url: str, story_id: int) -> bool:
    key = surrogate_key(story_id)
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=json.dumps({"surrogate_keys": [key]}).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Surrogate-Key": key},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return 200 <= response.status < 300
    except Exception:
        # The page cache is already right; the CDN copy expires within s-maxage anyway.
        logger.warning("CDN purge of %s failed", key, exc_info=True)
        return False
