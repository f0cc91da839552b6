"""The operator commands, through the same entry point as the `parley` console script."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from conftest import Cast
from parley.comments.actions import expire_address_hashes, post_comment
from parley.comments.models import Comment
from parley.core import clock
from parley.identity.sso import verify_sso_token
from parley.ops.seed import DEMO_STORY_URL, load_demo
from parley.stories.models import Story

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_apikey_create_prints_a_key_the_api_accepts(cast: Cast) -> None:
    key = run("apikey", "create", "--role", "moderator", "--name", "night shift")
    assert key.startswith("pk_")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    # A key is not a commenter: /me is for readers, but the key itself authenticated.
    assert response.status_code == 403
    assert response.json()["code"] == "commenters_only"


@pytest.mark.parametrize(
    "args",
    [
        ("apikey", "create", "--role", "overlord", "--name", "x"),
        ("apikey", "create", "--role", "staff", "--name", "   "),
        ("apikey", "create", "--role", "staff", "--name", "x", "--community", "nope"),
    ],
)
def test_apikey_bad_input(cast: Cast, args: tuple[str, ...]) -> None:
    with pytest.raises((CommandError, SystemExit)):
        run(*args)


def test_sso_token_mints_a_verifiable_token(db: None) -> None:
    token = run("sso_token", "--sub", "u1", "--given-name", "Zoë", "--family-name", "Saldaña")
    claims = verify_sso_token(token)
    assert (claims.subject, claims.given_name, claims.family_name) == ("u1", "Zoë", "Saldaña")
    with pytest.raises(CommandError):
        run("sso_token", "--sub", "u1")
    with pytest.raises(CommandError):
        run("sso_token", "--sub", "u1", "--given-name", "A", "--family-name", "B", "--ttl", "0")


def test_demo_seed_is_idempotent(db: None) -> None:
    story = load_demo()
    again = load_demo()
    assert story.pk == again.pk
    assert Story.objects.filter(url=DEMO_STORY_URL).count() == 1
    count = Comment.objects.filter(story=story).count()
    assert count >= 5
    load_demo()
    assert Comment.objects.filter(story=story).count() == count
    assert story.content["pull_quote"] in " ".join(story.content["body"])


def test_address_hashes_expire(cast: Cast) -> None:
    with clock.frozen_at(clock.now() - timedelta(days=91)):
        old = post_comment(
            commenter=cast.reader,
            story=cast.story,
            body="old",
            accept_terms="2026-01",
            address_hash="abc",
            user_agent_hash="def",
        ).comment
    new = post_comment(
        commenter=cast.other_reader,
        story=cast.story,
        body="new",
        accept_terms="2026-01",
        address_hash="abc",
    ).comment
    assert expire_address_hashes() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.address_hash, old.user_agent_hash) == ("", "")
    assert new.address_hash == "abc"


def test_cli_rejects_unknown_commands(capsys: pytest.CaptureFixture[str]) -> None:
    from parley.cli import main

    assert main(["frobnicate"]) == 2
    assert "unknown command" in capsys.readouterr().err
    assert main(["--help"]) == 0


@override_settings(PARLEY_RATE_LIMIT_SCALE=0)
def test_health_reports_dependencies(cast: Cast) -> None:
    data = json.loads(Client().get("/api/v1/health").content)
    assert data["status"] == "ok"
    assert data["database"] == "ok"
    assert data["cache"] == "ok"


@pytest.mark.parametrize("args", [("--queue", "nope"), ("--queue", " , "), ("--interval", "0")])
def test_worker_refuses_bad_options(db: None, args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError):
        run("worker", *args)


@pytest.mark.parametrize(
    "args",
    [
        ("serve", "--port", "0"),
        ("serve", "--port", "70000"),
        ("serve", "--workers", "0"),
        ("demo", "--port", "0"),
    ],
)
def test_servers_refuse_bad_options_before_starting(db: None, args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError):
        run(*args)


def test_score_command_reads_json_lines_and_plain_text(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "sys.stdin",
        io.StringIO('{"id": "a", "body": "You are an idiot"}\nThanks for the thoughtful column\n'),
    )
    lines = [json.loads(line) for line in run("score").splitlines()]
    assert [line["id"] for line in lines] == ["a", 2]
    assert lines[0]["scores"]["toxicity"] > lines[1]["scores"]["toxicity"]
    assert {line["route"] for line in lines} <= {"publish", "system", "hold"}
