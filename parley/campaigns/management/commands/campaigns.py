"""`parley campaigns scan [--since DAYS] [--story ID] [--dry-run]`: run campaign detection over
the archive in one batch, then record the cases it finds.

Recording is idempotent (a case already stored, by the live worker or an earlier scan, is
updated, never duplicated), so a scan can be re-run at any time: after an outage of the
worker, after tuning the engine, or on a newly imported archive. A text progress bar goes to
standard error; the summary to standard output.
"""

from __future__ import annotations

import argparse
import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parley.campaigns import signals_from_db
from parley.campaigns.actions import record_case
from parley.campaigns.stream import new_engine
from parley.core import clock
from parley.stories.models import Story

BAR_WIDTH = 30


class ProgressBar:
    """`scanning [#######.......]  47% 4,700/10,000 comments`, redrawn in place."""

    def __init__(self, write: Any, total: int) -> None:
        self.write = write
        self.total = total
        self.last = -1.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if done < self.total and now - self.last < 0.1:
            return  # redraw at most ten times a second
        self.last = now
        share = done / self.total if self.total else 1.0
        filled = round(BAR_WIDTH * share)
        self.write(
            f"\rscanning [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {share:4.0%} "
            f"{done:,}/{self.total:,} comments"
        )


def _cases(n: int) -> str:
    return f"{n} campaign case" if n == 1 else f"{n} campaign cases"


class Command(BaseCommand):
    help = "Detect coordinated campaigns in the comment archive and record them as cases."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="scan")
        scan = sub.add_parser("scan", help="scan the archive for coordinated campaigns")
        scan.add_argument(
            "--since", type=float, default=None, metavar="DAYS", help="only the last DAYS days"
        )
        scan.add_argument("--story", type=int, default=None, metavar="ID", help="one story only")
        scan.add_argument(
            "--dry-run", action="store_true", help="print the cases found, record nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] != "scan":
            raise CommandError("usage: parley campaigns scan [--since DAYS] [--story ID]")
        since_days = options["since"]
        if since_days is not None and not since_days > 0:
            raise CommandError("--since must be a positive number of days (for example 7).")
        story_id = options["story"]
        if story_id is not None and not Story.objects.filter(pk=story_id).exists():
            raise CommandError(f"There is no story with id {story_id}.")
        since = clock.now() - timedelta(days=since_days) if since_days is not None else None

        comments = signals_from_db.archive(since=since, story_id=story_id)
        total = comments.count()
        engine = new_engine()
        story_ids = set(comments.values_list("story_id", flat=True).distinct())
        for key, text in signals_from_db.story_texts(story_ids):
            engine.set_story_text(key, text)

        def write(text: str) -> None:
            self.stderr.write(text, ending="")
            self.stderr.flush()

        bar = ProgressBar(write, total)
        bar(0)
        cases = engine.scan(
            signals_from_db.signals(comments),
            progress=bar,
            progress_every=max(1, min(10_000, total // 100)),
        )
        bar.last = -1.0
        bar(total)
        self.stderr.write("")

        if options["dry_run"]:
            for case in cases:
                self.stdout.write(f"{case.case_key}  score {case.score:.2f}  {case.summary}")
            self.stdout.write(
                f"Scanned {total:,} comments: {_cases(len(cases))} found "
                "(dry run: nothing recorded)."
            )
            return

        new = known = added = gone = 0
        for case in cases:
            recorded = record_case(case=case)
            if recorded is None:
                gone += 1
                continue
            added += recorded.added_comments if not recorded.created else 0
            if recorded.created:
                new += 1
            else:
                known += 1
        summary = (
            f"Scanned {total:,} comments: {_cases(len(cases))} ({new} new, {known} already known"
        )
        if added:
            summary += f", {added} comments added to known cases"
        if gone:
            summary += f", {gone} whose comments no longer exist"
        self.stdout.write(summary + ").")
