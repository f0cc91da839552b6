"""How fast the moderation queues load with 100,000 comments.

    python -m bench.moderation_queue                       # SQLite file in a temp folder
    PARLEY_BENCH_DATABASE_URL=postgres://u:p@host/db python -m bench.moderation_queue
    python -m bench.moderation_queue --runs 50 --json bench/out/moderation_queue.json

Fills the database with bulk_create (5,000 commenters, 100,000 comments over 200 stories in two
communities; 90 % published, 4 % pending, 3 % rejected, 3 % removed; 3 % flagged by the
system, 2 % reported), then times, for each queue:

* the selector (`queue_page`, first page of 25 and a page deep in the queue via its cursor),
* the API endpoint `GET /api/v1/moderation/queues/{queue}` through the Django test client,
* the dashboard page `/dashboard/queue/{queue}/` through the Django test client (signed in),

each `--runs` times after one warm-up, and reports p50 / p99 in milliseconds. On PostgreSQL the
target database is emptied first (it must be a throwaway database).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any


def _configure() -> str:
    bench_url = os.environ.get("PARLEY_BENCH_DATABASE_URL")
    if bench_url:
        os.environ["PARLEY_TEST_DATABASE_URL"] = bench_url
        label = "postgresql"
    else:
        folder = Path(tempfile.mkdtemp(prefix="parley-bench-"))
        os.environ["PARLEY_TEST_DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
        label = "sqlite"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    if label == "sqlite":
        # As config/settings/base.py runs SQLite in production: WAL, synchronous=NORMAL (the
        # API key's last-used write on every request would otherwise wait for an fsync).
        from django.db import connections

        connections["default"].settings_dict["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return label


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "min_ms": round(min(samples), 2),
        "p50_ms": round(statistics.median(samples), 2),
        "p99_ms": round(percentile(samples, 99), 2),
        "max_ms": round(max(samples), 2),
    }


def cpu_reference_ms() -> float:
    """A fixed pure-Python workload (best of 5), to compare this machine with yours."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        best = min(best, (time.perf_counter() - start) * 1000)
    return round(best, 1)


def _counting(seen: list[str]) -> Callable[..., Any]:
    def wrapper(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        seen.append(sql)
        return execute(sql, *args)

    return wrapper


def fill(total: int, seed: int = 7) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from parley.comments.models import Comment, CommentStatus, Report
    from parley.communities.actions import create_community
    from parley.communities.models import IdentityMode
    from parley.communities.policies import publish_guidelines, publish_terms
    from parley.core import clock
    from parley.core.actors import SYSTEM
    from parley.identity.actions import create_api_key
    from parley.identity.models import Commenter, StaffRole
    from parley.moderation.models import FlaggedComment, Sanction
    from parley.stories.models import Story

    rng = random.Random(seed)
    terms = publish_terms(actor=SYSTEM, version="bench", text="terms")
    publish_guidelines(
        actor=SYSTEM,
        rules=[(f"R{i}", f"Rule {i}", "text") for i in range(1, 7)],
    )
    opinion = create_community(actor=SYSTEM, slug="opinion", name="Opinion")
    youth = create_community(
        actor=SYSTEM, slug="kids", name="Kids", identity_mode=IdentityMode.YOUTH
    )
    stories = Story.objects.bulk_create(
        Story(
            community=opinion if i % 10 else youth,
            url=f"https://news.example/bench/{i}",
            title=f"Bench story {i}",
        )
        for i in range(200)
    )
    now = clock.now()
    commenters = Commenter.objects.bulk_create(
        Commenter(
            sso_subject=f"bench-{i}",
            given_name=f"Given{i}",
            family_name=f"Family{i % 997}",
            sso_given_name=f"Given{i}",
            sso_family_name=f"Family{i % 997}",
            created_at=now - timedelta(days=rng.randint(0, 2000)),
        )
        for i in range(5000)
    )
    words = [
        "the",
        "council",
        "budget",
        "vote",
        "housing",
        "transit",
        "school",
        "climate",
        "policy",
        "debate",
    ]
    batch: list[Comment] = []
    for i in range(total):
        roll = rng.random()
        if roll < 0.90:
            status = CommentStatus.PUBLISHED
        elif roll < 0.94:
            status = CommentStatus.PENDING
        elif roll < 0.97:
            status = CommentStatus.REJECTED
        else:
            status = CommentStatus.REMOVED
        flagged = rng.random() < 0.03 and status in {"published", "pending"}
        body = " ".join(rng.choice(words) for _ in range(rng.randint(8, 60)))
        moment = now - timedelta(seconds=total - i)
        batch.append(
            Comment(
                story=rng.choice(stories),
                author=rng.choice(commenters),
                body_raw=body,
                body_html=f"<p>{body}</p>",
                status=status,
                rule_code="R1" if status in {"rejected", "removed"} else "",
                guideline_version=1 if status in {"rejected", "removed"} else None,
                moderated_at=moment if status in {"rejected", "removed"} else None,
                accepted_terms=terms,
                accepted_terms_at=moment,
                created_at=moment,
                scores={"toxicity": round(rng.random(), 3)},
                flags=["score:system"] if flagged else [],
            )
        )
        if len(batch) == 5000:
            Comment.objects.bulk_create(batch)
            batch = []
    if batch:
        Comment.objects.bulk_create(batch)
    # The system queue's index, as the intake listener and the scoring task maintain it.
    FlaggedComment.objects.bulk_create(
        FlaggedComment(comment_id=pk, community_id=community_id, created_at=created_at)
        for pk, community_id, created_at in Comment.objects.filter(
            status__in=["published", "pending"], moderated_at__isnull=True
        )
        .exclude(flags=[])
        .values_list("pk", "story__community_id", "created_at")
    )
    open_ids = list(
        Comment.objects.filter(status__in=["published", "pending"])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    reported = rng.sample(open_ids, k=int(total * 0.02))
    Report.objects.bulk_create(
        Report(comment_id=cid, reporter=rng.choice(commenters), reason="rude", rule_code="R1")
        for cid in reported
    )
    Sanction.objects.bulk_create(
        Sanction(
            commenter=rng.choice(commenters),
            kind="warn",
            rule_code="R1",
            guideline_version=1,
            actor_kind="system",
            actor_id="bench",
            actor_label="bench",
        )
        for _ in range(500)
    )
    user = get_user_model().objects.create_user(username="benchmod")  # force_login: no password
    StaffRole.objects.create(user=user, role="moderator", community=opinion)
    _key, raw = create_api_key(actor=SYSTEM, name="bench", role="moderator", community=opinion)
    return {"user": user, "api_key": raw, "opinion": opinion}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    args = parser.parse_args(argv)

    database = _configure()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from parley.identity.authentication import actor_for_user
    from parley.moderation import selectors

    # Not setup_test_environment(): it instruments template rendering, which would slow the
    # dashboard pages down; the test client only needs its host name allowed.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if database == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0, interactive=False)
    start = time.perf_counter()
    context = fill(args.comments)
    fill_seconds = time.perf_counter() - start
    # Planner statistics, as a live database has them (autovacuum on PostgreSQL, the
    # optimize pragma on SQLite): without them PostgreSQL picks nested loops over everything.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    actor = actor_for_user(context["user"])
    assert actor is not None
    api = Client(HTTP_AUTHORIZATION=f"Bearer {context['api_key']}")
    dashboard = Client()
    dashboard.force_login(context["user"])

    results: dict[str, Any] = {
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "cpu_reference_ms": cpu_reference_ms(),
        "database": database,
        "comments": args.comments,
        "runs": args.runs,
        "fill_seconds": round(fill_seconds, 1),
        "queues": {},
    }
    for queue in selectors.QUEUES:
        size = selectors.queue_queryset(actor=actor, queue=queue).count()
        first = selectors.queue_page(actor=actor, queue=queue, limit=25)
        cursor = first.next_cursor
        deep_cursor = cursor
        for _ in range(20):  # walk 20 pages in, to time a page deep in the queue
            if not cursor:
                break
            deep_cursor = cursor
            cursor = selectors.queue_page(
                actor=actor, queue=queue, cursor=cursor, limit=25
            ).next_cursor
        api_queries: list[str] = []
        with connection.execute_wrapper(_counting(api_queries)):
            response = api.get(f"/api/v1/moderation/queues/{queue}")
        assert response.status_code == 200, response.content[:300]
        page_queries: list[str] = []
        with connection.execute_wrapper(_counting(page_queries)):
            response = dashboard.get(f"/dashboard/queue/{queue}/")
        assert response.status_code == 200
        results["queues"][queue] = {
            "items_in_queue": size,
            "selector_first_page": timed(
                lambda q=queue: selectors.queue_page(actor=actor, queue=q, limit=25), args.runs
            ),
            "selector_page_21": timed(
                lambda q=queue, c=deep_cursor: selectors.queue_page(
                    actor=actor, queue=q, cursor=c, limit=25
                ),
                args.runs,
            ),
            "api_first_page": timed(
                lambda q=queue: api.get(f"/api/v1/moderation/queues/{q}"), args.runs
            ),
            "dashboard_page": timed(
                lambda q=queue: dashboard.get(f"/dashboard/queue/{q}/"), args.runs
            ),
            "api_queries": len(api_queries),
            "dashboard_queries": len(page_queries),
        }
    # A reference on the same machine and load: the cheapest endpoint there is.
    results["reference_health"] = timed(lambda: api.get("/api/v1/health"), args.runs)
    results["search_text"] = timed(
        lambda: selectors.search_comments(actor=actor, q="housing transit", limit=25), args.runs
    )
    results["search_author"] = timed(
        lambda: selectors.search_comments(actor=actor, q="Family42", by="author", limit=25),
        args.runs,
    )
    results["audit_page"] = timed(lambda: selectors.audit_page(actor=actor, limit=50), args.runs)

    results["load_average_at_end"] = round(os.getloadavg()[0], 2)
    print(
        f"database: {database}  comments: {args.comments:,}  runs: {args.runs}  "
        f"fill: {fill_seconds:.1f}s  load average {results['load_average_at_start']} -> "
        f"{results['load_average_at_end']}  cpu reference {results['cpu_reference_ms']} ms"
    )
    header = (
        f"{'queue':<9} {'items':>6}  {'selector min/p50/p99':>20}  {'deep min/p50/p99':>18}  "
        f"{'API min/p50/p99':>18}  {'dashboard min/p50/p99':>22}  queries API/page"
    )
    print(header)
    for queue, row in results["queues"].items():

        def cell(key: str, r: dict[str, Any] = row) -> str:
            return f"{r[key]['min_ms']:.1f}/{r[key]['p50_ms']:.1f}/{r[key]['p99_ms']:.1f}"

        print(
            f"{queue:<9} {row['items_in_queue']:>6}  {cell('selector_first_page'):>20}  "
            f"{cell('selector_page_21'):>18}  {cell('api_first_page'):>18}  "
            f"{cell('dashboard_page'):>22}  {row['api_queries']}/{row['dashboard_queries']}"
        )
    for key in ("reference_health", "search_text", "search_author", "audit_page"):
        r = results[key]
        print(f"{key:<17} min {r['min_ms']:.1f}  p50 {r['p50_ms']:.1f}  p99 {r['p99_ms']:.1f} ms")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
