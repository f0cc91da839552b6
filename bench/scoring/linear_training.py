"""Fit the n-gram logistic regression and export it as plain JSON for ``LinearScorer``."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from parley.moderation.scoring.linear import LinearModel, analyse


def fit_linear(
    texts: Sequence[str],
    labels: Sequence[int],
    weights: Sequence[float] | None = None,
    *,
    char_min: int = 2,
    char_max: int = 5,
    min_df: int = 3,
    max_features: int = 60000,
    C: float = 4.0,
    class_weight: str | None = "balanced",
) -> dict[str, Any]:
    docs = [analyse(t, char_min, char_max) for t in texts]
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
    kept = [f for f, c in df.items() if c >= min_df]
    # Most frequent first; ties broken by the feature string, so the result is deterministic.
    kept.sort(key=lambda f: (-df[f], f))
    kept = kept[:max_features]
    kept.sort()
    index = {f: i for i, f in enumerate(kept)}
    n = len(docs)
    idf = np.array([math.log((1 + n) / (1 + df[f])) + 1.0 for f in kept])
    rows, cols, vals = [], [], []
    for r, d in enumerate(docs):
        for f, c in d.items():
            j = index.get(f)
            if j is not None:
                rows.append(r)
                cols.append(j)
                vals.append((1.0 + math.log(c)) * idf[j])
    X = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(kept)))
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    X = sparse.diags(1.0 / norms) @ X
    clf = LogisticRegression(C=C, class_weight=class_weight, max_iter=3000, solver="liblinear")
    clf.fit(X, np.asarray(labels), sample_weight=None if weights is None else np.asarray(weights))
    coef = clf.coef_.ravel()
    return {
        "format": "parley-linear-toxicity/1",
        "char_min": char_min,
        "char_max": char_max,
        "intercept": round(float(clf.intercept_[0]), 6),
        "features": kept,
        "idf": [round(float(v), 5) for v in idf],
        "coef": [round(float(v), 5) for v in coef],
    }


def as_model(data: dict[str, Any]) -> LinearModel:
    return LinearModel(data)
