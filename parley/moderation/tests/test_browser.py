"""The keyboard flow of the dashboard, driven in Chromium: j/k move, a approves, r then a digit
rejects citing that rule, ? shows the help, Esc cancels; a conflicting decision is reported."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from conftest import Cast
from parley.comments.models import Comment, CommentStatus
from parley.core.actors import SYSTEM
from parley.core.models import AuditEntry
from parley.moderation.actions import decide_comment
from parley.moderation.tests.conftest import comment_on
from parley.stories.actions import update_story_comments

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture
def browser_page() -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-background-networking"],
        )
        try:
            page = browser.new_page()
            yield page
        finally:
            browser.close()


def test_keyboard_flow_in_chromium(live_server: Any, cast: Cast, browser_page: Any) -> None:
    update_story_comments(actor=SYSTEM, story=cast.story, moderation="pre")
    cast.story.refresh_from_db()
    first, second, third, fourth = (
        comment_on(cast.story, author, body=f"Held comment {i}")
        for i, author in enumerate([cast.reader, cast.reader, cast.other_reader, cast.other_reader])
    )
    page = browser_page
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/dashboard/queue/pending/")
    assert "/dashboard/login/" in page.url
    page.fill("#id_username", "mod")
    page.fill("#id_password", "demo-password-1")
    page.click("button[type=submit]")
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("li.item").count() == 4
    assert page.locator("li.item.current").get_attribute("data-id") == str(first.pk)

    # j/k move the selection.
    page.keyboard.press("j")
    assert page.locator("li.item.current").get_attribute("data-id") == str(second.pk)
    page.keyboard.press("k")
    assert page.locator("li.item.current").get_attribute("data-id") == str(first.pk)

    # a approves the current item (citing its preselected rule) and moves on.
    page.keyboard.press("a")
    page.wait_for_selector(f"#item-{first.pk}", state="detached")
    assert page.locator("li.item.current").get_attribute("data-id") == str(second.pk)

    # r then 2 rejects citing the second rule (R2).
    page.keyboard.press("r")
    assert page.locator("#picker").is_visible()
    page.keyboard.press("2")
    page.wait_for_selector(f"#item-{second.pk}", state="detached")
    assert page.locator("#picker").is_hidden()

    # ? opens the help; Esc closes it; r then Esc cancels the picker without deciding.
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    page.keyboard.press("Escape")
    assert page.locator("#help").is_hidden()
    page.keyboard.press("r")
    page.keyboard.press("Escape")
    assert page.locator("#picker").is_hidden()
    assert page.locator(f"#item-{third.pk}").count() == 1

    # r then 4 rejects the third citing R4.
    page.keyboard.press("r")
    page.keyboard.press("4")
    page.wait_for_selector(f"#item-{third.pk}", state="detached")

    # Another moderator decides the last item first: this one is told, nothing changes.
    decide_comment(actor=SYSTEM, comment_id=fourth.pk, action="approve", rule_code="R5")
    page.keyboard.press("a")
    page.wait_for_selector(f"#item-{fourth.pk}", state="detached")
    assert "another decision" in page.locator("#status").inner_text().lower()

    statuses = {
        c.pk: (c.status, c.rule_code)
        for c in Comment.objects.filter(pk__in=[first.pk, second.pk, third.pk, fourth.pk])
    }
    assert statuses == {
        first.pk: (CommentStatus.PUBLISHED, ""),
        second.pk: (CommentStatus.REJECTED, "R2"),
        third.pk: (CommentStatus.REJECTED, "R4"),
        fourth.pk: (CommentStatus.PUBLISHED, ""),
    }
    decided_by_mod = AuditEntry.objects.filter(actor_label="mod").values_list("action", "rule_code")
    assert sorted(decided_by_mod) == [
        ("comment.approve", "R1"),
        ("comment.reject", "R2"),
        ("comment.reject", "R4"),
    ]
    assert (
        AuditEntry.objects.filter(action="comment.approve", target_id=str(fourth.pk)).count() == 1
    )
    # No script errors, and the CSP (script-src 'self') did not block anything.
    assert [e for e in errors if "Failed to load resource" not in e] == []
