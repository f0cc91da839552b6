"""A reader on a phone: reads the demo story, signs in through the demo login, posts a comment
and a reply, and sees them under their full name. Then a publisher page embeds the thread with
the one-snippet loader. Drives Debian's Chromium through Playwright against the live server."""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain sync.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from parley.ops.seed import load_demo

CHROMIUM = Path("/usr/bin/chromium")
# Screenshots for a person to look at: /tmp/story.png (phone), story-thread.png, story-desktop.png.
SHOTS = Path(tempfile.gettempdir())

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-background-networking"],
            headless=True,
        )
        try:
            yield launched
        finally:
            launched.close()


def _watch(page: Any) -> list[str]:
    """Collect script errors and CSP violations: the page must run clean under its CSP."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status}: {response.url}")
            if response.status >= 400
            else None
        ),
    )
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    return problems


def test_reader_signs_in_posts_a_comment_and_a_reply(
    live_server: Any, transactional_db: Any, browser: Any
) -> None:
    story = load_demo()
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="en-CA",
        timezone_id="America/Vancouver",
    )
    page = context.new_page()
    problems = _watch(page)
    page.goto(f"{live_server.url}/stories/{story.pk}/")
    page.wait_for_selector('#parley[data-ready="true"]')
    assert "bot campaigns" in page.locator("h1").inner_text()
    assert page.locator(".parley-comment").count() == 5
    # The server's fallback time was rewritten in the reader's own zone and language.
    published = page.locator(".story-byline time")
    assert published.inner_text() != ""

    page.get_by_role("link", name="Sign in to comment").click()
    page.wait_for_url("**/demo/login/**")
    page.get_by_label("D'Arcy McGee").check()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector('[data-role="signed-in"]:not([hidden])')
    assert "D'Arcy McGee" in page.locator('[data-role="me-name"]').inner_text()
    assert "#sso=" not in page.url, "the token must leave the address bar"

    compose = page.locator('[data-role="compose-slot"] form')
    textarea = compose.locator("textarea")
    textarea.fill("x" * 5001)
    assert compose.get_by_role("button", name="Post comment").is_disabled()
    assert "1 characters too long" in compose.locator('[data-role="error"]').inner_text()
    textarea.fill("Moderators need to see the whole pattern, not one comment at a time.")
    assert compose.locator('[data-role="error"]').is_hidden()
    assert "/ 5,000" in compose.locator('[data-role="count"]').inner_text()
    assert "reproduce and publish" in compose.inner_text()
    compose.get_by_role("button", name="Post comment").click()
    posted = page.locator(".parley-comment", has_text="Moderators need to see the whole pattern")
    posted.wait_for()
    assert posted.locator(".parley-name").inner_text() == "D'Arcy McGee"
    assert textarea.input_value() == ""

    first = page.locator(".parley-comment.depth-0").first
    first.get_by_role("button", name="Reply").click()
    reply_form = first.locator("form")
    reply_form.locator("textarea").fill("Replying from my phone: agreed.")
    reply_form.get_by_role("button", name="Post reply").click()
    reply = page.locator(".parley-comment", has_text="Replying from my phone")
    reply.wait_for()
    assert reply.locator(".parley-name").inner_text() == "D'Arcy McGee"
    assert reply.get_attribute("data-depth") == "1"

    # Both are in the cached, server-rendered page for everyone now.
    page.reload()
    page.wait_for_selector('#parley[data-ready="true"]')
    assert page.locator(".parley-comment", has_text="Moderators need to see").count() == 1
    assert page.locator(".parley-comment.depth-1", has_text="Replying from my phone").count() == 1
    own_id = page.locator(".parley-comment", has_text="Replying from my phone").get_attribute("id")
    own = page.locator(f"#{own_id}")
    assert own.get_by_role("button", name="Edit").count() == 1
    assert own.get_by_role("button", name="Withdraw").count() == 1
    other = page.locator(".parley-comment", has_text="Would have liked numbers")
    assert other.get_by_role("button", name="Report").count() == 1

    # Edit within the window, report someone else's comment, withdraw one's own.
    own.get_by_role("button", name="Edit").click()
    own.locator("form textarea").fill("Replying from my phone: agreed, edited.")
    own.get_by_role("button", name="Save changes").click()
    page.locator(".parley-comment", has_text="agreed, edited.").wait_for()
    assert own.locator(".parley-edited").count() == 1
    other.get_by_role("button", name="Report").click()
    other.locator("textarea[name=reason]").fill("This is off topic.")
    other.locator("select[name=rule]").select_option("R2")
    other.get_by_role("button", name="Send report").click()
    other.get_by_text("The moderators will review this comment.").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    own.get_by_role("button", name="Withdraw").click()
    own.get_by_text("You withdrew this comment.").wait_for()

    page.screenshot(path=SHOTS / "story.png", full_page=True)
    # Phone-sized views of the top of the page and of the thread, for a person to look at.
    page.evaluate("document.getElementById('parley').scrollIntoView()")
    page.screenshot(path=SHOTS / "story-thread.png")
    # A French reader on a desktop: French page strings, script strings and dates.
    desktop = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-CA")
    desktop.goto(f"{live_server.url}/stories/{story.pk}/")
    desktop.wait_for_selector('#parley[data-ready="true"]')
    assert desktop.locator("#parley-title").inner_text() == "Commentaires"
    assert desktop.get_by_role("link", name="Connectez-vous pour commenter").count() == 1
    assert "nov." in desktop.locator(".story-byline time").inner_text()
    desktop.screenshot(path=SHOTS / "story-desktop.png", full_page=True)
    assert problems == []
    context.close()


def test_a_publisher_page_embeds_the_thread_with_one_snippet(
    live_server: Any, transactional_db: Any, browser: Any, settings: Any
) -> None:
    story = load_demo()
    publisher_page = f"""<!doctype html><html><head><meta charset="utf-8">
    <title>Story</title></head><body><h1>A publisher's story</h1>
    <div id="parley-comments" data-story-url="{story.url}"></div>
    <script async src="{live_server.url}/embed.js"></script></body></html>""".encode()
    with _publisher_site(publisher_page) as publisher:
        settings.PARLEY_EMBED_ORIGINS = (publisher,)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        problems = _watch(page)
        page.goto(f"{publisher}/opinion/story")
        frame_element = page.wait_for_selector("#parley-comments iframe")
        frame = frame_element.content_frame()
        assert frame is not None
        frame.wait_for_selector('#parley[data-ready="true"]')
        assert frame.locator(".parley-comment").count() == 5
        # The loader sized the iframe to its content from the frame's postMessage.
        page.wait_for_function(
            "document.querySelector('#parley-comments iframe').getBoundingClientRect().height > 600"
        )
        page.screenshot(path=SHOTS / "embed.png", full_page=True)
        assert problems == []


def test_a_youth_member_sees_their_comment_wait_and_then_the_rule_it_broke(
    live_server: Any, transactional_db: Any, browser: Any
) -> None:
    from django.contrib.auth import get_user_model

    from parley.comments.models import Comment
    from parley.identity.authentication import actor_for_user
    from parley.moderation.actions import reject_comment
    from parley.ops.seed import DEMO_MODERATOR, DEMO_YOUTH_STORY_URL
    from parley.stories.models import Story

    load_demo()
    youth_story = Story.objects.get(url=DEMO_YOUTH_STORY_URL)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    problems = _watch(page)
    page.goto(f"{live_server.url}/stories/{youth_story.pk}/")
    page.get_by_role("link", name="Sign in to comment").click()
    page.get_by_label("A youth member (shown under a community name)").check()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector('[data-role="signed-in"]:not([hidden])')
    compose = page.locator('[data-role="compose-slot"] form')
    compose.locator("textarea").fill("Comets are made of ice and dust!")
    compose.get_by_role("button", name="Post comment").click()
    page.get_by_text("Your comment is waiting for moderation.").wait_for()
    assert page.locator(".parley-list .parley-comment").count() == 0

    posted = Comment.objects.get(story=youth_story)
    moderator = get_user_model().objects.get(username=DEMO_MODERATOR[0])
    actor = actor_for_user(moderator)
    assert actor is not None
    reject_comment(actor=actor, comment_id=posted.pk, rule_code="R2")
    page.reload()
    rejected = "Your comment was not published: it breaks the rule R2: Stay on topic."
    page.get_by_text(rejected).wait_for()
    assert problems == []


@contextmanager
def _publisher_site(body: bytes) -> Iterator[str]:
    """A publisher's story page on another origin (its own port on 127.0.0.1)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
