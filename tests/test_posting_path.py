"""The hot write path: a POST answers from what it wrote, and a retry answers the same."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import Cast
from parley.identity.authentication import issue_session_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.PARLEY_RATE_LIMIT_SCALE = 0


def _post(client: Client, cast: Cast, token: str, key: str, body: str) -> Any:
    return client.post(
        f"/api/v1/stories/{cast.story.pk}/comments",
        data=json.dumps({"body": body, "accept_terms": "2026-01"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_the_first_answer_and_its_retry_are_the_same_and_match_a_read(
    client: Client, cast: Cast
) -> None:
    token = issue_session_token(cast.reader)
    first = _post(client, cast, token, "key-1", "A comment *with* some text.")
    retry = _post(client, cast, token, "key-1", "A comment *with* some text.")
    assert first.status_code == retry.status_code == 201
    assert first.json() == retry.json()
    read = client.get(
        f"/api/v1/comments/{first.json()['id']}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert read.json() == first.json()
    assert first.json()["consent"]["terms_version"] == "2026-01"


def test_a_post_costs_a_bounded_number_of_queries(client: Client, cast: Cast) -> None:
    token = issue_session_token(cast.reader)
    _post(client, cast, token, "warm", "Warming up the caches.")
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, cast, token, "key-2", "Counting the queries of one post.")
    assert response.status_code == 201
    # session, story, idempotency key, terms, word lists; comment, key, audit, story
    # counters (with the savepoint pair of the test transaction). Reading the comment back
    # is not among them.
    assert len(queries) <= 11, [q["sql"][:80] for q in queries.captured_queries]


def test_announcing_a_post_does_not_read_the_comment_back(
    client: Client, cast: Cast, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from parley.comments import intake

    settings.PARLEY_INTAKE_LISTENERS = []  # the listeners' own queries are theirs to count
    intake.reset_pipeline_cache()
    try:
        token = issue_session_token(cast.reader)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = _post(client, cast, token, "key-3", "Announced without a re-read.")
        assert response.status_code == 201
        with CaptureQueriesContext(connection) as queries:
            for callback in callbacks:
                callback()
        assert len(queries) == 0, [q["sql"][:80] for q in queries.captured_queries]
    finally:
        intake.reset_pipeline_cache()


def test_the_tasks_of_a_post_are_written_in_one_insert(
    client: Client, cast: Cast, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """With the production backend, scoring and campaign detection are queued by one INSERT,
    each on its own queue, as the worker reads them."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {
            "BACKEND": "parley.core.tasks.BatchingDatabaseBackend",
            "QUEUES": ["default", "campaigns"],
        }
    }
    token = issue_session_token(cast.reader)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(client, cast, token, "key-4", "Queued for the worker in one go.")
    assert response.status_code == 201
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    table = DBTaskResult._meta.db_table
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SELECT")]
    assert len(writes) == 1 and writes[0].startswith(f'INSERT INTO "{table}"'), writes
    rows = DBTaskResult.objects.filter(args_kwargs__args=[response.json()["id"]])
    assert sorted(rows.values_list("task_path", "queue_name", "status")) == [
        ("parley.campaigns.tasks.detect_campaigns_for_comment", "campaigns", "READY"),
        ("parley.moderation.tasks.score_comment", "default", "READY"),
    ]
    assert all(row.run_after is not None for row in rows)
