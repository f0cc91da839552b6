"""Community names for youth communities: generated from a safe word list, or proposed by the
member and approved by a moderator. Real names never appear here."""

from __future__ import annotations

import re
import secrets

# Short, friendly, unambiguous words: no word here can combine with another into an insult.
ADJECTIVES = (
    "Brave",
    "Bright",
    "Calm",
    "Clever",
    "Curious",
    "Gentle",
    "Happy",
    "Honest",
    "Kind",
    "Lively",
    "Lucky",
    "Merry",
    "Nimble",
    "Patient",
    "Quick",
    "Quiet",
    "Sunny",
    "Swift",
    "Thoughtful",
    "Witty",
    "Cheerful",
    "Daring",
    "Eager",
    "Friendly",
    "Jolly",
    "Keen",
)
NOUNS = (
    "Otter",
    "Falcon",
    "Maple",
    "Comet",
    "Heron",
    "Lynx",
    "Puffin",
    "Beaver",
    "Cedar",
    "Orca",
    "Robin",
    "Sparrow",
    "Willow",
    "Badger",
    "Moose",
    "Loon",
    "Aurora",
    "River",
    "Meadow",
    "Pebble",
    "Harbour",
    "Glacier",
    "Prairie",
    "Canyon",
    "Marten",
    "Walrus",
)

COMMUNITY_NAME_PATTERN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ0-9 _-]{2,29}$")


def generate_community_name() -> str:
    return f"{secrets.choice(ADJECTIVES)} {secrets.choice(NOUNS)} {secrets.randbelow(900) + 100}"


def is_acceptable_community_name(value: str) -> bool:
    """Shape only: a moderator still approves a proposed name before anyone sees it."""
    return bool(COMMUNITY_NAME_PATTERN.fullmatch(value)) and "@" not in value
