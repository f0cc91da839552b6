"""Timing signals over a group's post times (epoch seconds)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def tightest_span(times: Sequence[float], share: float = 0.8) -> float:
    """Shortest time span (s) that holds ``ceil(share * n)`` of the posts."""
    n = len(times)
    if n < 2:
        return 0.0
    t = np.sort(np.asarray(times, dtype=np.float64))
    k = max(2, math.ceil(share * n))
    return float((t[k - 1 :] - t[: n - k + 1]).min())


def burst_score(
    times: Sequence[float], *, tight_s: float = 600.0, loose_s: float = 86_400.0
) -> float:
    """1.0 when 80 % of posts fall within ``tight_s``; 0.0 at ``loose_s`` or more (log scale)."""
    if len(times) < 3:
        return 0.0
    span = max(tightest_span(times), 1.0)
    if span <= tight_s:
        return 1.0
    return max(0.0, 1.0 - math.log(span / tight_s) / math.log(loose_s / tight_s))


def regularity_score(times: Sequence[float], *, min_gap_s: float = 60.0) -> float:
    """High when posts come at regular intervals (a scheduler): 1 - coefficient of variation."""
    if len(times) < 4:
        return 0.0
    gaps = np.diff(np.sort(np.asarray(times, dtype=np.float64)))
    mean = float(gaps.mean())
    if mean < min_gap_s:
        return 0.0
    cv = float(gaps.std()) / mean
    return max(0.0, 1.0 - cv)
