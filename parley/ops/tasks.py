"""Housekeeping the worker runs every few minutes: scheduled closes, expiring address hashes.

The task re-enqueues itself with a delay, so one `parley worker` is all an operator runs.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django_tasks import task

from parley.comments.actions import expire_address_hashes
from parley.core import clock
from parley.stories.actions import close_due_stories

logger = logging.getLogger(__name__)
HOUSEKEEPING_INTERVAL = timedelta(minutes=5)


@task()
def housekeeping() -> dict[str, int]:
    result = {"closed": close_due_stories(), "expired_address_hashes": expire_address_hashes()}
    schedule_housekeeping()
    return result


def schedule_housekeeping() -> None:
    """Enqueue the next run unless one is already waiting (several workers, restarts)."""
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=housekeeping.module_path, status="READY").exists():
        return
    housekeeping.using(run_after=clock.now() + HOUSEKEEPING_INTERVAL).enqueue()
