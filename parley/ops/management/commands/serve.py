from __future__ import annotations

import argparse
import importlib.util
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _available(fast: str, fallback: str) -> str:
    """The C implementation (httptools, uvloop) where it is installed, else the pure one."""
    return fast if importlib.util.find_spec(fast) is not None else fallback


class Command(BaseCommand):
    help = "Serve Parley in production: ASGI (uvicorn) with several worker processes."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1)))

    def handle(self, *args: Any, **options: Any) -> None:
        import uvicorn

        if not 1 <= options["port"] <= 65535:
            raise CommandError("--port must be between 1 and 65535")
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1")
        if pending_migrations():
            raise CommandError("the database has unapplied migrations: run `parley migrate` first")
        uvicorn.run(
            "config.asgi:application",
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            log_level="warning",
            access_log=False,  # a log line per request costs more than a cached page
            http=_available("httptools", "h11"),
            loop=_available("uvloop", "asyncio"),
            backlog=4096,
            proxy_headers=False,  # client addresses come from PARLEY_TRUSTED_PROXIES only
            lifespan="off",
        )
