"""Fixtures shared by every test: a fixed cast of personas built with the real actions."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test import Client

from parley.communities.actions import create_community
from parley.communities.models import Community, IdentityMode
from parley.communities.policies import publish_guidelines, publish_terms
from parley.core.actors import SYSTEM, Actor
from parley.core.errors import ParleyError
from parley.identity.actions import create_api_key, sign_in_with_sso
from parley.identity.authentication import actor_for_user
from parley.identity.models import Commenter, StaffRole
from parley.identity.sso import SsoClaims, mint_sso_token
from parley.stories.actions import create_story
from parley.stories.models import Story

GUIDELINE_RULES = [
    ("R1", "Be respectful", "No personal attacks, insults or harassment."),
    ("R2", "Stay on topic", "Comments must relate to the story."),
    ("R3", "No spam or advertising", "No repeated, promotional or coordinated posting."),
    ("R4", "No hate speech", "No attacks on people for who they are."),
    ("R5", "Use your real name", "No impersonation or pseudonyms."),
]


@dataclass
class Cast:
    opinion: Community
    youth: Community
    story: Story
    youth_story: Story
    reader: Commenter
    other_reader: Commenter
    youth_member: Commenter
    moderator: Actor
    youth_moderator: Actor
    staff: Actor
    admin: Actor
    moderator_key: str
    staff_key: str
    admin_key: str
    tokens: dict[str, str]

    def bearer(self, persona: str) -> dict[str, Any]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[persona]}"}


def _reader(sub: str, given: str, family: str, youth: bool = False) -> tuple[Commenter, str]:
    claims = SsoClaims(
        subject=sub, issuer="", given_name=given, family_name=family, email="", youth=youth
    )
    commenter = sign_in_with_sso(claims=claims)
    token = mint_sso_token(subject=sub, given_name=given, family_name=family, youth=youth)
    return commenter, token


def _staff_actor(username: str, role: str, community: Community | None) -> Actor:
    user = get_user_model().objects.create_user(username=username, password="demo-password-1")
    StaffRole.objects.create(user=user, role=role, community=community)
    actor = actor_for_user(user)
    assert actor is not None
    return actor


@pytest.fixture
def cast(db: Any) -> Cast:
    publish_terms(actor=SYSTEM, version="2026-01", text="By submitting a comment, you accept...")
    publish_guidelines(actor=SYSTEM, rules=GUIDELINE_RULES)
    opinion = create_community(actor=SYSTEM, slug="opinion", name="Opinion")
    youth = create_community(
        actor=SYSTEM, slug="kids", name="Kids News", identity_mode=IdentityMode.YOUTH
    )
    story = create_story(
        actor=SYSTEM,
        community=opinion,
        url="https://news.example/opinion/mek",
        title="Western signs of support for Iranian dissident group will only deepen the divide",
    )
    youth_story = create_story(
        actor=SYSTEM, community=youth, url="https://news.example/kids/space", title="Space!"
    )
    reader, reader_token = _reader("reader-1", "Geneviève", "Côté-Tremblay")
    other, other_token = _reader("reader-2", "Seán", "Ó Súilleabháin")
    kid, kid_token = _reader("kid-1", "", "", youth=True)
    moderator = _staff_actor("mod", "moderator", opinion)
    youth_moderator = _staff_actor("kidmod", "moderator", youth)
    staff = _staff_actor("editor", "staff", None)
    admin = _staff_actor("admin", "admin", None)
    _key, moderator_key = create_api_key(
        actor=SYSTEM, name="mod", role="moderator", community=opinion
    )
    _key, staff_key = create_api_key(actor=SYSTEM, name="staff", role="staff")
    _key, admin_key = create_api_key(actor=SYSTEM, name="admin", role="admin")
    return Cast(
        opinion=opinion,
        youth=youth,
        story=story,
        youth_story=youth_story,
        reader=reader,
        other_reader=other,
        youth_member=kid,
        moderator=moderator,
        youth_moderator=youth_moderator,
        staff=staff,
        admin=admin,
        moderator_key=moderator_key,
        staff_key=staff_key,
        admin_key=admin_key,
        tokens={
            "reader": reader_token,
            "other_reader": other_token,
            "youth_member": kid_token,
            "moderator": moderator_key,
            "staff": staff_key,
            "admin": admin_key,
        },
    )


@pytest.fixture
def api_client() -> Client:
    return Client()


@pytest.fixture(autouse=True)
def _fresh_process_state() -> Iterator[None]:
    """Caches and rate-limit counters must not leak between tests."""
    from django.core.cache import cache

    from parley.comments.intake import reset_pipeline_cache
    from parley.core import ratelimit

    cache.clear()
    ratelimit.reset_local()
    reset_pipeline_cache()
    yield


@pytest.fixture
def postgres_only() -> None:
    """For tests of real concurrency: SQLite serialises every writer, so there is no race."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (SQLite serialises every writer)")


def run_together(calls: list[Callable[[], Any]], *, timeout: float = 60) -> list[Any]:
    """Run the calls in threads released at once; each result, or the ParleyError it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except ParleyError as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
