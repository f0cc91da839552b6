"""The default scorer: a word + character n-gram logistic regression that ships with Parley.

The model is plain data (``model/linear-toxicity.json``: features, idf weights, coefficients),
scored here with the standard library, so it does not depend on the scikit-learn version and
needs no optional extra. ``bench/scoring/train.py`` produces the file; docs/moderation.md
describes the training data (wiki-talk-cat, CC BY-SA; toxic-spans-semeval2021, CC0).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .base import Scorer

MODEL_DIR = Path(__file__).resolve().parent / "model"
DEFAULT_MODEL = MODEL_DIR / "linear-toxicity.json"

_WORD = re.compile(r"[^\W_]+(?:['\u2019*][^\W_]+)*|[*@#$!?]+")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return _SPACE.sub(" ", text).strip()


def analyse(text: str, char_min: int = 2, char_max: int = 5) -> Counter[str]:
    """Feature counts for ``text``: word unigrams and bigrams (``w:``) and character n-grams
    inside space-padded words (``c:``). Training and scoring both use this function."""
    words = _WORD.findall(normalise(text))
    feats: Counter[str] = Counter()
    for i, w in enumerate(words):
        feats["w:" + w] += 1
        if i:
            feats["w:" + words[i - 1] + " " + w] += 1
        padded = " " + w + " "
        n_chars = len(padded)
        for n in range(char_min, min(char_max, n_chars) + 1):
            for start in range(n_chars - n + 1):
                feats["c:" + padded[start : start + n]] += 1
    return feats


class LinearModel:
    """Sublinear tf-idf, L2-normalised, then a logistic regression."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.char_min = int(data["char_min"])
        self.char_max = int(data["char_max"])
        self.intercept = float(data["intercept"])
        features: list[str] = data["features"]
        idf: list[float] = data["idf"]
        coef: list[float] = data["coef"]
        if not len(features) == len(idf) == len(coef):
            raise ValueError("corrupt linear model: feature, idf and coef lengths differ")
        self.weights: dict[str, tuple[float, float]] = {
            f: (i, c) for f, i, c in zip(features, idf, coef, strict=True)
        }

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with path.open(encoding="utf-8") as fh:
            return cls(json.load(fh))

    def decision(self, text: str) -> float:
        weights = self.weights
        sq = 0.0
        dot = 0.0
        for feat, count in analyse(text, self.char_min, self.char_max).items():
            entry = weights.get(feat)
            if entry is None:
                continue
            value = (1.0 + math.log(count)) * entry[0]
            sq += value * value
            dot += value * entry[1]
        if sq > 0.0:
            dot /= math.sqrt(sq)
        return dot + self.intercept

    def probability(self, text: str) -> float:
        z = self.decision(text)
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)


_CACHE: dict[Path, LinearModel] = {}


class LinearScorer(Scorer):
    """Default, offline scorer shipped with the base install (no torch needed)."""

    name = "linear"

    def __init__(self, model_path: Path | str | None = None) -> None:
        path = Path(model_path) if model_path is not None else DEFAULT_MODEL
        if path not in _CACHE:
            _CACHE[path] = LinearModel.load(path)
        self.model = _CACHE[path]

    def score_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [{"toxicity": self.model.probability(t)} for t in texts]
