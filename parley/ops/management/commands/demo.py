from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from parley.core.actors import SYSTEM
from parley.identity.actions import create_api_key
from parley.ops.seed import DEMO_MODERATOR, load_demo


def _die_with_parent() -> None:
    """Ask the kernel to end the worker if the demo dies without cleaning up (Linux only)."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


class Command(BaseCommand):
    help = "Run the demo: migrate the SQLite database in the data folder, seed it, serve it."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="do not start a worker")
        parser.add_argument(
            "--seed-only", action="store_true", help="migrate and seed, print, then exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        import uvicorn

        port = options["port"]
        if not 1 <= port <= 65535:
            raise CommandError("--port must be between 1 and 65535")
        call_command("migrate", verbosity=0, interactive=False)
        story = load_demo()
        _key, raw_key = create_api_key(actor=SYSTEM, name="demo moderator key", role="moderator")
        base = f"http://127.0.0.1:{port}"
        username, password = DEMO_MODERATOR
        self.stdout.write(
            "\n".join(
                [
                    "",
                    "Parley demo",
                    f"  data folder:          {settings.PARLEY_DATA_DIR}",
                    f"  story page:           {base}/stories/{story.pk}/",
                    f"  sign in as a reader:  {base}/demo/login/?next=/stories/{story.pk}/",
                    f"  moderator dashboard:  {base}/dashboard/  (login {username} / {password})",
                    f"  API:                  {base}/api/v1/  (schema {base}/api/v1/openapi.json)",
                    f"  moderator API key:    {raw_key}",
                    f"  SSO secret:           {settings.PARLEY_SSO_SECRET}",
                    "",
                ]
            )
        )
        self.stdout.flush()
        if options["seed_only"]:
            return
        worker = None
        if not options["no_worker"]:
            # A real worker process, as in production: the demo exercises the same queue.
            worker = subprocess.Popen(
                [sys.executable, "-m", "parley.cli", "worker"],
                env={**os.environ},
                preexec_fn=_die_with_parent,  # even a SIGKILLed demo takes its worker along
            )

        def stop_worker(*_args: object) -> None:
            if worker is not None and worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()

        def on_signal(signum: int, _frame: object) -> None:
            # uvicorn restores this handler after its graceful shutdown and re-raises the
            # signal, so the worker ends with the demo however the demo is stopped.
            stop_worker()
            raise SystemExit(128 + signum)

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        try:
            uvicorn.run(
                "config.asgi:application",
                host="127.0.0.1",
                port=port,
                log_level="warning",
                lifespan="off",
            )
        finally:
            stop_worker()
