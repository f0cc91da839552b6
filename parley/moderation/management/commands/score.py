"""`parley score [--community SLUG] < comments.jsonl`: score comments offline with the
configured scorer, for operators tuning thresholds on their own data.

Reads JSON lines `{"id": ..., "body": ...}` (or plain lines of text, numbered from 1) and
writes one JSON line each: `{"id": ..., "scores": {...}, "route": "publish"|"system"|"hold"}`.
Nothing is written to the database.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError

from parley.communities.models import Community
from parley.moderation.scoring.base import ScoringUnavailable
from parley.moderation.scoring.registry import get_scorer
from parley.moderation.scoring.routing import route_for
from parley.moderation.tasks import thresholds_for

BATCH = 64


def read_items(stream: TextIO) -> Iterator[tuple[Any, str]]:
    for number, line in enumerate(stream, start=1):
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        if text.lstrip().startswith("{"):
            try:
                data = json.loads(text)
            except ValueError:
                data = None
            if isinstance(data, dict):
                body = data.get("body", data.get("text"))
                if not isinstance(body, str):
                    raise CommandError(f"line {number}: a JSON line needs a string 'body'")
                yield data.get("id", number), body
                continue
        yield number, text


class Command(BaseCommand):
    help = "Score comments from standard input with the configured scorer (JSON lines out)."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--community", help="use this community's flag and hold thresholds for the route"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        community = None
        if options.get("community"):
            community = Community.objects.filter(slug=options["community"]).first()
            if community is None:
                raise CommandError(f"no community with slug {options['community']!r}")
        thresholds = thresholds_for(community)
        try:
            scorer = get_scorer()
        except (ScoringUnavailable, OSError, ValueError) as error:
            raise CommandError(f"the scorer could not start: {error}") from error
        out = self.stdout
        batch: list[tuple[Any, str]] = []

        def flush() -> None:
            if not batch:
                return
            try:
                results = scorer.score_many([body for _id, body in batch])
            except ScoringUnavailable as error:
                raise CommandError(f"scoring failed: {error}") from error
            for (item_id, _body), scores in zip(batch, results, strict=True):
                line = {
                    "id": item_id,
                    "scores": {k: round(float(v), 6) for k, v in scores.items()},
                    "route": route_for(scores, thresholds),
                }
                out.write(json.dumps(line, ensure_ascii=False))
            batch.clear()

        for item in read_items(options.get("stdin") or sys.stdin):
            batch.append(item)
            if len(batch) >= BATCH:
                flush()
        flush()
