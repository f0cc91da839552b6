"""The CDN purge hook: after a write commits, the story's surrogate key is POSTed, best effort."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import Cast
from parley.comments.actions import post_comment
from parley.realtime import purge
from parley.stories.actions import update_story_comments

pytestmark = pytest.mark.django_db


class FakeResponse:
    status = 202

    def __enter__(self) -> FakeResponse:
        return self

    def __exit__(self, *args: Any) -> None:
        return None


@pytest.fixture
def purges(monkeypatch: pytest.MonkeyPatch, settings: Any) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    def fake_urlopen(request: Any, timeout: float) -> FakeResponse:
        sent.append(
            {
                "url": request.full_url,
                "body": json.loads(request.data),
                "key": request.get_header("Surrogate-key"),
                "timeout": timeout,
            }
        )
        return FakeResponse()

    monkeypatch.setattr(purge.urllib.request, "urlopen", fake_urlopen)
    # Run the purge in the caller's thread, so the test sees it at once.
    monkeypatch.setattr(
        purge.threading,
        "Thread",
        lambda target, args, **kwargs: _Inline(target, args),
    )
    settings.PARLEY_PURGE_URL = "https://cdn.example/purge"
    return sent


class _Inline:
    def __init__(self, target: Any, args: Any) -> None:
        self.target, self.args = target, args

    def start(self) -> None:
        self.target(*self.args)

    def join(self, timeout: float | None = None) -> None:
        return None


def test_a_published_comment_purges_its_story(
    cast: Cast, purges: list[dict[str, Any]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(
            commenter=cast.reader, story=cast.story, body="Purge me.", accept_terms="2026-01"
        )
    assert purges == [
        {
            "url": "https://cdn.example/purge",
            "body": {"surrogate_keys": [f"story-{cast.story.pk}"]},
            "key": f"story-{cast.story.pk}",
            "timeout": purge.TIMEOUT_SECONDS,
        }
    ]


def test_closing_a_story_purges_it(
    cast: Cast, purges: list[dict[str, Any]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        update_story_comments(actor=cast.staff, story=cast.story, comments_open=False)
    assert [sent["key"] for sent in purges] == [f"story-{cast.story.pk}"]


def test_nothing_is_sent_without_a_purge_url(
    cast: Cast, purges: list[dict[str, Any]], settings: Any
) -> None:
    settings.PARLEY_PURGE_URL = None
    assert purge.purge_story(cast.story.pk) is None
    assert purges == []


def test_a_failing_cdn_is_only_logged(
    monkeypatch: pytest.MonkeyPatch, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(request: Any, timeout: float) -> Any:
        raise OSError("connection refused")

    monkeypatch.setattr(purge.urllib.request, "urlopen", broken)
    settings.PARLEY_PURGE_URL = "https://cdn.example/purge"
    worker = purge.purge_story(7, wait=True)
    assert worker is not None
    assert not worker.is_alive()
    assert "CDN purge of story-7 failed" in caplog.text


def test_a_non_http_purge_url_is_refused(settings: Any) -> None:
    settings.PARLEY_PURGE_URL = "file:///etc/passwd"
    assert purge.purge_story(1) is None
