"""Two moderators deciding one comment at the same moment, on a database with real concurrent
writers (PostgreSQL): exactly one wins, the other is told, nothing is done twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import Cast, run_together
from parley.comments.models import Comment, CommentStatus
from parley.core.actors import SYSTEM
from parley.core.errors import ParleyError
from parley.core.models import AuditEntry
from parley.moderation.actions import apply_sanction, decide_comment
from parley.moderation.models import Decision, Notice, Sanction
from parley.moderation.tests.conftest import comment_on
from parley.stories.actions import update_story_comments

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.usefixtures("postgres_only"),
]


@pytest.mark.parametrize("attempt", range(3))
def test_approve_and_reject_at_once(cast: Cast, attempt: int) -> None:
    update_story_comments(actor=SYSTEM, story=cast.story, moderation="pre")
    cast.story.refresh_from_db()
    comment = comment_on(cast.story, cast.reader, body=f"Held {attempt}")

    def decide(action: str) -> Callable[[], Any]:
        return lambda: decide_comment(
            actor=cast.moderator, comment_id=comment.pk, action=action, rule_code="R1"
        )

    results = run_together([decide("approve"), decide("reject")])
    refused = [r for r in results if isinstance(r, ParleyError)]
    assert [(r.code, r.status) for r in refused] == [("already_decided", 409)]
    (winner,) = [r for r in results if isinstance(r, Decision)]
    comment.refresh_from_db()
    assert comment.status == winner.to_status
    assert Decision.objects.filter(comment=comment).count() == 1
    decided = AuditEntry.objects.filter(target_id=str(comment.pk), action__startswith="comment.")
    assert decided.exclude(action="comment.post").count() == 1
    cast.story.refresh_from_db()
    assert cast.story.comment_count == (1 if comment.status == CommentStatus.PUBLISHED else 0)


def test_two_removals_of_one_reply_count_once(cast: Cast) -> None:
    parent = comment_on(cast.story, cast.other_reader, body="Parent")
    reply = comment_on(cast.story, cast.reader, body="Reply", parent_id=parent.pk)
    remove = lambda: decide_comment(  # noqa: E731
        actor=cast.moderator, comment_id=reply.pk, action="remove", rule_code="R2"
    )
    results = run_together([remove, remove, remove])
    assert sorted(type(r).__name__ for r in results) == [
        "Decision",
        "ModerationError",
        "ModerationError",
    ]
    parent.refresh_from_db()
    assert parent.reply_count == 0
    assert Comment.objects.get(pk=reply.pk).status == CommentStatus.REMOVED
    assert Notice.objects.filter(comment=reply).count() == 1


def test_two_bans_at_once(cast: Cast) -> None:
    comment_on(cast.story, cast.reader)
    ban = lambda: apply_sanction(  # noqa: E731
        actor=cast.moderator, commenter_id=cast.reader.pk, kind="ban", rule_code="R4"
    )
    results = run_together([ban, ban])
    refused = [r for r in results if isinstance(r, ParleyError)]
    assert [r.code for r in refused] == ["already_sanctioned"]
    assert Sanction.objects.count() == 1
    assert AuditEntry.objects.filter(action="commenter.ban").count() == 1
