from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parley.identity.sso import mint_sso_token


class Command(BaseCommand):
    help = "Mint an SSO token signed with the configured secret (for testing an integration)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--sub", required=True)
        parser.add_argument("--given-name", default="")
        parser.add_argument("--family-name", default="")
        parser.add_argument("--email")
        parser.add_argument("--youth", action="store_true")
        parser.add_argument("--ttl", type=int, default=3600)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["sub"].strip():
            raise CommandError("--sub must not be empty")
        if options["ttl"] <= 0 or options["ttl"] > 30 * 86400:
            raise CommandError("--ttl must be between 1 and 2592000 seconds")
        if not options["youth"] and not (options["given_name"] and options["family_name"]):
            raise CommandError("--given-name and --family-name are required (or --youth)")
        self.stdout.write(
            mint_sso_token(
                subject=options["sub"],
                given_name=options["given_name"],
                family_name=options["family_name"],
                email=options["email"],
                youth=options["youth"],
                ttl_seconds=options["ttl"],
            )
        )
