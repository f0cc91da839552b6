"""Comments racing a close, and retries racing each other, on a real concurrent database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import Cast, run_together
from parley.comments.actions import post_comment
from parley.comments.models import Comment, CommentStatus, IdempotencyRecord
from parley.core.errors import ParleyError
from parley.core.models import AuditEntry
from parley.stories.actions import update_story_comments
from parley.stories.models import Story

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.usefixtures("postgres_only"),
]


def test_comments_racing_a_close_are_all_or_nothing(cast: Cast) -> None:
    readers = [cast.reader, cast.other_reader]

    def poster(i: int) -> Callable[[], Any]:
        return lambda: post_comment(
            commenter=readers[i % 2], story=cast.story, body=f"race {i}", accept_terms="2026-01"
        )

    def closer() -> Any:
        return update_story_comments(actor=cast.staff, story=cast.story, comments_open=False)

    results = run_together([poster(i) for i in range(6)] + [closer])
    accepted = [r for r in results[:6] if not isinstance(r, ParleyError)]
    refused = [r for r in results[:6] if isinstance(r, ParleyError)]
    assert all(r.code in {"story_closed", "rate_limited"} for r in refused)
    assert not isinstance(results[6], ParleyError)
    story = Story.objects.get(pk=cast.story.pk)
    assert story.comments_open is False
    rows = Comment.objects.filter(story=story, status=CommentStatus.PUBLISHED)
    # Every acknowledged comment is committed, every refused one left nothing behind, and the
    # counter agrees with the rows.
    assert sorted(r.comment.pk for r in accepted) == sorted(rows.values_list("pk", flat=True))
    assert story.comment_count == rows.count()
    assert AuditEntry.objects.filter(action="comment.post").count() == len(accepted)


def test_retries_with_one_idempotency_key_create_one_comment(cast: Cast) -> None:
    def attempt() -> Any:
        return post_comment(
            commenter=cast.reader,
            story=cast.story,
            body="Once only",
            accept_terms="2026-01",
            idempotency_key="same-key",
        )

    results = run_together([attempt for _ in range(4)])
    assert not any(isinstance(r, ParleyError) for r in results)
    assert len({r.comment.pk for r in results}) == 1
    assert sum(1 for r in results if not r.replayed) == 1
    assert Comment.objects.filter(story=cast.story).count() == 1
    assert IdempotencyRecord.objects.count() == 1
