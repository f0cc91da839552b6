"""Adapter for Google's Perspective API (Comment Analyzer). Off by default: operators switch it
on with ``PARLEY_SCORER = "parley.moderation.scoring.perspective.PerspectiveScorer"`` and
``PARLEY_PERSPECTIVE_API_KEY``. Comment text leaves the server, so say so in the privacy notice.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

from .base import Scorer, ScoringUnavailable

ENDPOINT = "https://commentanalyzer.googleapis.com/v1alpha1/comments:analyze"

# Perspective attribute -> Parley label.
ATTRIBUTES = {
    "TOXICITY": "toxicity",
    "SEVERE_TOXICITY": "severe_toxicity",
    "INSULT": "insult",
    "THREAT": "threat",
    "IDENTITY_ATTACK": "identity_attack",
    "PROFANITY": "profanity",
}

# (url, body, headers, timeout seconds) -> response body. Raise on any transport failure.
Transport = Callable[[str, bytes, dict[str, str], float], bytes]


def urllib_transport(url: str, body: bytes, headers: dict[str, str], timeout: float) -> bytes:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        data: bytes = response.read()
        return data


class PerspectiveScorer(Scorer):
    name = "perspective"

    def __init__(
        self,
        api_key: str | None = None,
        *,
        timeout: float = 5.0,
        transport: Transport | None = None,
        attributes: Sequence[str] = ("TOXICITY", "SEVERE_TOXICITY", "INSULT", "THREAT"),
        languages: Sequence[str] | None = ("en",),
        endpoint: str = ENDPOINT,
    ) -> None:
        unknown = [a for a in attributes if a not in ATTRIBUTES]
        if "TOXICITY" not in attributes or unknown:
            raise ValueError(f"attributes must include TOXICITY and be among {sorted(ATTRIBUTES)}")
        self._api_key = api_key
        self.timeout = timeout
        self.transport: Transport = transport or urllib_transport
        self.attributes = tuple(attributes)
        self.languages = tuple(languages) if languages else None
        self.endpoint = endpoint

    def _key(self) -> str:
        if self._api_key:
            return self._api_key
        from django.conf import settings

        key = getattr(settings, "PARLEY_PERSPECTIVE_API_KEY", None)
        if not key:
            raise ScoringUnavailable(
                "Perspective scorer selected but PARLEY_PERSPECTIVE_API_KEY is not set"
            )
        return str(key)

    def request_body(self, text: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "comment": {"text": text},
            "requestedAttributes": {a: {} for a in self.attributes},
            "doNotStore": True,
        }
        if self.languages:
            body["languages"] = list(self.languages)
        return body

    def parse_response(self, raw: bytes) -> dict[str, float]:
        try:
            payload = json.loads(raw)
            attribute_scores = payload["attributeScores"]
            scores = {
                ATTRIBUTES[attr]: float(item["summaryScore"]["value"])
                for attr, item in attribute_scores.items()
                if attr in ATTRIBUTES
            }
        except (ValueError, KeyError, TypeError) as exc:
            raise ScoringUnavailable(
                f"Perspective API returned an unexpected response: {exc!r}"
            ) from exc
        if "toxicity" not in scores or not all(0.0 <= v <= 1.0 for v in scores.values()):
            raise ScoringUnavailable("Perspective API response lacks a valid TOXICITY score")
        return scores

    def score_one(self, text: str) -> dict[str, float]:
        url = self.endpoint + "?" + urllib.parse.urlencode({"key": self._key()})
        body = json.dumps(self.request_body(text)).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        try:
            raw = self.transport(url, body, headers, self.timeout)
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace") if exc.fp else ""
            raise ScoringUnavailable(f"Perspective API HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise ScoringUnavailable(
                f"Perspective API unreachable or timed out after {self.timeout}s: {exc}"
            ) from exc
        return self.parse_response(raw)

    def score_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [self.score_one(t) for t in texts]
