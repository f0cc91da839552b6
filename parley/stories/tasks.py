from __future__ import annotations

from django_tasks import task

from parley.stories.actions import close_due_stories


@task()
def close_due_stories_task() -> int:
    return close_due_stories()
