"""Every API operation, fed generated input from its own OpenAPI schema, answers without a
server error: bad input gets a 4xx, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from conftest import Cast
from parley.comments.actions import post_comment

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

# Valid and deliberately invalid input (wrong types, missing fields, out-of-range values).
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)
# The stream never ends by itself; it has its own tests.
schema = schema.exclude(path_regex=r".*/stream$")


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=16,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case: Any, cast: Cast) -> None:
    # Point half the cases at rows that exist, so validation past the lookup is exercised too.
    if case.path_parameters and hash(str(case.query)) % 2 == 0:
        comment = post_comment(
            commenter=cast.other_reader, story=cast.story, body="Fuzz me", accept_terms="2026-01"
        ).comment
        known = {
            "story_id": cast.story.pk,
            "comment_id": comment.pk,
            "user_id": cast.other_reader.pk,
        }
        for name in case.path_parameters:
            if name in known:
                case.path_parameters[name] = known[name]
    for persona in ("reader", "moderator"):
        response = case.call(headers={"Authorization": f"Bearer {cast.tokens[persona]}"})
        assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.PARLEY_RATE_LIMIT_SCALE = 0


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The WSGI app is called directly, not through Django's test client, so do what the test
    client does: stop request signals from closing the connection that holds the test's
    transaction (on PostgreSQL that would end it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
