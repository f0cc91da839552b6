from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parley.communities.models import Community
from parley.core.actors import Actor
from parley.core.errors import ParleyError
from parley.identity.actions import create_api_key

OPERATOR = Actor(kind="system", id="cli", label="parley apikey", roles={"admin": None})


class Command(BaseCommand):
    help = "Manage API keys. `apikey create --role ROLE --name NAME` prints a new key once."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("--role", required=True, choices=["moderator", "staff", "admin"])
        parser.add_argument("--name", required=True)
        parser.add_argument("--community", help="limit the key to one community (slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        community = None
        if options["community"]:
            community = Community.objects.filter(slug=options["community"]).first()
            if community is None:
                raise CommandError(f"no community with slug '{options['community']}'")
        try:
            _key, raw = create_api_key(
                actor=OPERATOR, name=options["name"], role=options["role"], community=community
            )
        except ParleyError as error:
            raise CommandError(error.message) from None
        self.stdout.write(raw)
