"""Toxicity scoring: enqueued after commit, run by the worker (never in the request), routed by
per-community thresholds; and the `parley score` command."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import Cast
from parley.comments.models import Comment, CommentStatus
from parley.core.models import AuditEntry
from parley.moderation.actions import decide_comment
from parley.moderation.tasks import score_comment
from parley.moderation.tests.conftest import comment_on
from parley.stories.actions import update_story_comments

pytestmark = pytest.mark.django_db


def test_scoring_is_only_enqueued_in_the_request(cast: Cast, settings: Any) -> None:
    """With a real queue backend, posting stores no scores: the worker does that later."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()  # type: ignore[attr-defined]
    comment = comment_on(cast.story, cast.reader, body="HOLDME now")
    assert comment.scores == {} and comment.status == CommentStatus.PUBLISHED
    results = default_task_backend.results  # type: ignore[attr-defined]
    assert [(r.task.name, r.args) for r in results] == [("score_comment", [comment.pk])]
    # The worker runs it:
    assert score_comment.call(comment.pk) == "hold"
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_low_scores_leave_the_comment_alone(cast: Cast) -> None:
    comment = comment_on(cast.story, cast.reader, body="Lovely weather.")
    assert comment.scores == {"toxicity": 0.05, "insult": 0.025}
    assert (comment.status, comment.flags) == (CommentStatus.PUBLISHED, [])


def test_flag_threshold_sends_to_the_system_queue(cast: Cast) -> None:
    comment = comment_on(cast.story, cast.reader, body="FLAGME")
    assert comment.status == CommentStatus.PUBLISHED
    assert comment.flags == ["score:system"]


def test_hold_threshold_unpublishes_with_counters_and_audit(cast: Cast) -> None:
    parent = comment_on(cast.story, cast.other_reader, body="Parent.")
    reply = comment_on(cast.story, cast.reader, body="HOLDME reply", parent_id=parent.pk)
    assert reply.status == CommentStatus.PENDING and reply.flags == ["score:hold"]
    parent.refresh_from_db()
    cast.story.refresh_from_db()
    assert parent.reply_count == 0 and cast.story.comment_count == 1
    entry = AuditEntry.objects.get(action="comment.hold")
    assert (entry.actor_kind, entry.actor_id, entry.target_id) == (
        "system",
        "scorer",
        str(reply.pk),
    )
    assert entry.data["scores"]["toxicity"] == 0.95


def test_thresholds_are_per_community(cast: Cast) -> None:
    cast.opinion.flag_threshold, cast.opinion.hold_threshold = 0.01, 0.02
    cast.opinion.save()
    strict = comment_on(cast.story, cast.reader, body="Lovely weather.")
    assert strict.status == CommentStatus.PENDING and strict.flags == ["score:hold"]
    cast.opinion.flag_threshold, cast.opinion.hold_threshold = 0.99, 1.0
    cast.opinion.save()
    lax = comment_on(cast.story, cast.reader, body="HOLDME anyway")
    assert lax.status == CommentStatus.PUBLISHED and lax.flags == []


def test_a_pending_comment_that_scores_high_stays_pending_and_flagged(cast: Cast) -> None:
    update_story_comments(actor=cast.staff, story=cast.story, moderation="pre")
    cast.story.refresh_from_db()
    comment = comment_on(cast.story, cast.reader, body="HOLDME")
    assert comment.status == CommentStatus.PENDING and comment.flags == ["score:hold"]
    assert not AuditEntry.objects.filter(action="comment.hold").exists()


def test_a_reviewed_comment_keeps_its_decision(cast: Cast) -> None:
    comment = comment_on(cast.story, cast.reader, body="HOLDME")
    decide_comment(actor=cast.moderator, comment_id=comment.pk, action="approve", rule_code="R1")
    assert score_comment.call(comment.pk) == "hold"
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert "score:hold" not in comment.flags


def test_a_failing_scorer_leaves_the_comment_unscored(cast: Cast, settings: Any) -> None:
    from parley.moderation.scoring.registry import reset_scorer_cache

    settings.PARLEY_SCORER = "parley.moderation.tests.test_scoring.BrokenScorer"
    reset_scorer_cache()
    comment = comment_on(cast.story, cast.reader, body="anything")
    assert (comment.status, comment.scores, comment.flags) == ("published", {}, [])
    assert score_comment.call(comment.pk) == "unavailable"
    assert score_comment.call(999999) == "skipped"


class BrokenScorer:
    def __init__(self) -> None:
        from parley.moderation.scoring.base import ScoringUnavailable

        raise ScoringUnavailable("no model today")


def test_score_command_reads_json_lines_and_plain_text(cast: Cast) -> None:
    stdin = io.StringIO(
        '{"id": "a", "body": "Lovely"}\n\nFLAGME plain line\n{"id": 7, "body": "HOLDME"}\n'
    )
    out = io.StringIO()
    call_command("score", stdin=stdin, stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(line["id"], line["route"]) for line in lines] == [
        ("a", "publish"),
        (3, "system"),
        (7, "hold"),
    ]
    assert lines[0]["scores"] == {"toxicity": 0.05, "insult": 0.025}


def test_score_command_uses_community_thresholds(cast: Cast) -> None:
    cast.opinion.flag_threshold, cast.opinion.hold_threshold = 0.01, 0.5
    cast.opinion.save()
    out = io.StringIO()
    call_command(
        "score", "--community", "opinion", stdin=io.StringIO("Lovely\nFLAGME\n"), stdout=out
    )
    assert [json.loads(line)["route"] for line in out.getvalue().splitlines()] == ["system", "hold"]
    with pytest.raises(CommandError):
        call_command("score", "--community", "nope", stdin=io.StringIO("x\n"), stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("score", stdin=io.StringIO('{"id": 1}\n'), stdout=io.StringIO())


def test_comment_rows_are_untouched_by_the_command(cast: Cast) -> None:
    call_command("score", stdin=io.StringIO("HOLDME\n"), stdout=io.StringIO())
    assert not Comment.objects.exists()
