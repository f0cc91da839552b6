from __future__ import annotations

import argparse
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from parley.ops.tasks import schedule_housekeeping
from parley.stories.actions import close_due_stories


class Command(BaseCommand):
    help = "Run the background task worker (scoring, campaign detection, scheduled closes)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=0.5, help="seconds between polls")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument(
            "--queue",
            default="*",
            help="queues to process, comma-separated (default: all; e.g. 'campaigns')",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        known = set(settings.TASKS["default"].get("QUEUES", ["default"]))
        queues = [q.strip() for q in options["queue"].split(",") if q.strip()]
        unknown = [q for q in queues if q != "*" and q not in known]
        if not queues or unknown:
            raise CommandError(
                f"unknown queue {', '.join(unknown) or options['queue']!r}; "
                f"known: {', '.join(sorted(known))} (or * for all)"
            )
        if options["interval"] <= 0:
            raise CommandError("--interval must be positive")
        # Closes that fell due while no worker ran are applied before the first task.
        closed = close_due_stories()
        if closed:
            self.stdout.write(f"closed {closed} stories whose scheduled close had passed")
        schedule_housekeeping()
        worker_options: dict[str, Any] = {
            "queue_name": ",".join(queues),
            "interval": options["interval"],
        }
        if options["max_tasks"] is not None:
            worker_options["max_tasks"] = options["max_tasks"]
        call_command("db_worker", **worker_options)
