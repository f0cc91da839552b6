from __future__ import annotations

import io
import json
import urllib.error
import urllib.parse
from typing import Any

import pytest
from django.test import override_settings

from parley.moderation.scoring.base import ScoringUnavailable
from parley.moderation.scoring.perspective import ENDPOINT, PerspectiveScorer

# Shape of a real comments:analyze response (v1alpha1).
RECORDED = {
    "attributeScores": {
        "TOXICITY": {
            "spanScores": [
                {
                    "begin": 0,
                    "end": 24,
                    "score": {"value": 0.9208521, "type": "PROBABILITY"},
                }
            ],
            "summaryScore": {"value": 0.9208521, "type": "PROBABILITY"},
        },
        "INSULT": {
            "spanScores": [
                {"begin": 0, "end": 24, "score": {"value": 0.8942, "type": "PROBABILITY"}}
            ],
            "summaryScore": {"value": 0.8942, "type": "PROBABILITY"},
        },
        "THREAT": {"summaryScore": {"value": 0.0113, "type": "PROBABILITY"}},
        "SEVERE_TOXICITY": {"summaryScore": {"value": 0.4457, "type": "PROBABILITY"}},
    },
    "languages": ["en"],
    "detectedLanguages": ["en"],
}


class FakeTransport:
    def __init__(self, responses: list[bytes | BaseException]) -> None:
        self.responses = responses
        self.calls: list[tuple[str, dict[str, Any], dict[str, str], float]] = []

    def __call__(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> bytes:
        self.calls.append((url, json.loads(body), headers, timeout))
        item = self.responses.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item


def test_parses_a_recorded_response_and_sends_a_well_formed_request() -> None:
    fake = FakeTransport([json.dumps(RECORDED).encode()])
    scorer = PerspectiveScorer(api_key="k-123", timeout=2.5, transport=fake)
    [scores] = scorer.score_many(["You are a complete idiot"])
    assert scores == {
        "toxicity": pytest.approx(0.9208521),
        "insult": pytest.approx(0.8942),
        "threat": pytest.approx(0.0113),
        "severe_toxicity": pytest.approx(0.4457),
    }
    url, body, headers, timeout = fake.calls[0]
    base, query = url.split("?", 1)
    assert base == ENDPOINT
    assert urllib.parse.parse_qs(query) == {"key": ["k-123"]}
    assert body["comment"] == {"text": "You are a complete idiot"}
    assert set(body["requestedAttributes"]) == {"TOXICITY", "SEVERE_TOXICITY", "INSULT", "THREAT"}
    assert body["doNotStore"] is True
    assert headers["Content-Type"] == "application/json"
    assert timeout == 2.5


def test_one_request_per_text_in_order() -> None:
    low = {"attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.02}}}}
    high = {"attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.97}}}}
    fake = FakeTransport([json.dumps(low).encode(), json.dumps(high).encode()])
    scores = PerspectiveScorer(api_key="k", transport=fake).score_many(["hi", "idiot"])
    assert [s["toxicity"] for s in scores] == [0.02, 0.97]
    assert [c[1]["comment"] for c in fake.calls] == [{"text": "hi"}, {"text": "idiot"}]


@pytest.mark.parametrize(
    "failure",
    [
        TimeoutError("timed out"),
        urllib.error.URLError(TimeoutError("timed out")),
        urllib.error.URLError("Name or service not known"),
        ConnectionResetError(104, "reset"),
    ],
)
def test_transport_failure_raises_scoring_unavailable(failure: BaseException) -> None:
    scorer = PerspectiveScorer(api_key="k", timeout=0.5, transport=FakeTransport([failure]))
    with pytest.raises(ScoringUnavailable, match=r"unreachable or timed out after 0\.5s"):
        scorer.score_many(["hello"])


def test_http_error_reports_status() -> None:
    err = urllib.error.HTTPError(
        ENDPOINT, 429, "Too Many Requests", {}, io.BytesIO(b'{"error": {"code": 429}}')
    )
    scorer = PerspectiveScorer(api_key="k", transport=FakeTransport([err]))
    with pytest.raises(ScoringUnavailable, match="HTTP 429"):
        scorer.score_many(["hello"])


@pytest.mark.parametrize(
    "raw",
    [
        b"<html>oops</html>",
        b"{}",
        json.dumps({"attributeScores": {"INSULT": {"summaryScore": {"value": 0.5}}}}).encode(),
        json.dumps({"attributeScores": {"TOXICITY": {"summaryScore": {"value": 7}}}}).encode(),
        json.dumps({"attributeScores": {"TOXICITY": {}}}).encode(),
    ],
)
def test_malformed_response_raises_scoring_unavailable(raw: bytes) -> None:
    scorer = PerspectiveScorer(api_key="k", transport=FakeTransport([raw]))
    with pytest.raises(ScoringUnavailable):
        scorer.score_many(["hello"])


def test_api_key_is_read_lazily_from_settings() -> None:
    ok = json.dumps({"attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.1}}}})
    fake = FakeTransport([ok.encode()])
    scorer = PerspectiveScorer(transport=fake)  # built before the key exists
    with override_settings(PARLEY_PERSPECTIVE_API_KEY="from-settings"):
        assert scorer.score_many(["hi"]) == [{"toxicity": 0.1}]
    assert "key=from-settings" in fake.calls[0][0]


def test_missing_api_key_fails_clearly_without_network() -> None:
    fake = FakeTransport([])
    with (
        override_settings(PARLEY_PERSPECTIVE_API_KEY=None),
        pytest.raises(ScoringUnavailable, match="PARLEY_PERSPECTIVE_API_KEY"),
    ):
        PerspectiveScorer(transport=fake).score_many(["hi"])
    assert fake.calls == []


def test_attributes_must_include_toxicity() -> None:
    with pytest.raises(ValueError):
        PerspectiveScorer(api_key="k", attributes=("INSULT",))
