from typing import Any

from django.core.management.base import BaseCommand

from parley.stories.actions import close_due_stories


class Command(BaseCommand):
    help = "Close comments on stories whose scheduled close has passed (the worker does this too)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"closed {close_due_stories()} stories")
