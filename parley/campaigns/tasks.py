"""Background work for campaign detection, run by `parley worker` on the "campaigns" queue.

Each task brings this process's engine up to date with the database (see
`parley.campaigns.stream`) and records the cases that opened or changed, so a comment joins or
opens a case within seconds of being posted. Any worker process may run it.
"""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from parley.campaigns.actions import record_case
from parley.campaigns.stream import detector

logger = logging.getLogger(__name__)

QUEUE = "campaigns"


@task(queue_name=QUEUE)
def detect_campaigns_for_comment(comment_id: int) -> dict[str, Any]:
    """Feed the new comment (and any this process has not seen yet) to the engine and store
    every case update. Returns counts for the task log."""
    found = detector().observe(int(comment_id))
    opened = updated = 0
    for case, merged_keys in found.values():
        recorded = record_case(case=case, merged_keys=merged_keys)
        if recorded is None:
            continue
        if recorded.created or recorded.reopened:
            opened += 1
            logger.info(
                "campaign case %s %s: %s",
                recorded.case.pk,
                "opened" if recorded.created else "reopened",
                recorded.case.summary,
            )
        else:
            updated += 1
    return {"comment": int(comment_id), "opened": opened, "updated": updated}
