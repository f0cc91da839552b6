"""Writing several background tasks in one INSERT.

`BatchingDatabaseBackend` is django_tasks_db's `DatabaseBackend` (the production backend,
see TASKS in the settings) with one addition: tasks enqueued inside `batched_enqueue()` are
kept and written together, in one multi-row INSERT, when the block ends. Posting a comment
enqueues two tasks after commit (scoring and campaign detection); batched, that is one
statement and, on PostgreSQL, one commit instead of two.

What is collected is written when the block ends, also when it ends with an exception, so a
failure after an enqueue loses nothing that the unbatched code would have written. The
`task_enqueued` signal is sent once each row is written. With any other backend (the
immediate one in tests) `batched_enqueue()` changes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django_tasks_db import DatabaseBackend
from django_tasks_db.compat import normalize_json, task_enqueued

_local = threading.local()


class BatchingDatabaseBackend(DatabaseBackend):
    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        pending: list[tuple[type, Any]] | None = getattr(_local, "pending", None)
        if pending is None:
            return super().enqueue(task, args, kwargs)
        from django_tasks_db.models import DBTaskResult, get_date_max

        self.validate_task(task)
        db_result: DBTaskResult[Any, Any] = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            # bulk_create sends no pre_save signal: what django_tasks_db's handler does.
            run_after=task.run_after if task.run_after is not None else get_date_max(),
            backend_name=self.alias,
        )
        pending.append((type(self), db_result))
        return db_result.task_result


@contextmanager
def batched_enqueue() -> Iterator[None]:
    """Tasks enqueued in this block (on this thread) are written in one INSERT at its end."""
    if getattr(_local, "pending", None) is not None:  # nested: the outer block writes
        yield
        return
    pending: list[tuple[type, Any]] = []
    _local.pending = pending
    try:
        yield
    finally:
        _local.pending = None
        if pending:
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.bulk_create([db_result for _, db_result in pending])
            for sender, db_result in pending:
                task_enqueued.send(sender, task_result=db_result.task_result)
