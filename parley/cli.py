"""The `parley` console script: operator commands on the database the settings name."""

from __future__ import annotations

import os
import sys

# Public command names (the contract in docs/api.md) → Django management commands.
COMMANDS = {
    "demo": "demo",
    "serve": "serve",
    "worker": "worker",
    "migrate": "migrate",
    "apikey": "apikey",
    "score": "score",
    "sso-token": "sso_token",
    "campaigns": "campaigns",
    "check": "check",
    "createsuperuser": "createsuperuser",
    "close-due-stories": "close_due_stories",
}

USAGE = """usage: parley COMMAND [options]

commands:
  demo [--port 8000]            run the demo on SQLite (seeded story, printed URLs)
  serve [--host H] [--port P] [--workers N]
                                production server (ASGI, several worker processes)
  worker                        background task worker
  migrate                       apply database migrations
  apikey create --role {moderator,staff,admin} --name NAME
  score [--community SLUG] < comments.jsonl
  sso-token --sub ID --given-name G --family-name F [--email E] [--youth] [--ttl S]
  campaigns scan                scan the archive for coordinated campaigns
  createsuperuser               create a dashboard administrator

Run `parley COMMAND --help` for a command's options.
"""


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    name = COMMANDS.get(args[0])
    if name is None:
        print(f"parley: unknown command '{args[0]}'\n\n{USAGE}", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    if name == "demo":
        # The demo's stand-in for the publisher's login (/demo/login/) exists only here.
        os.environ.setdefault("PARLEY_DEMO_LOGIN", "1")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    try:
        execute_from_command_line(["parley", name, *args[1:]])
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
