"""Groups of linked comments, their scoring into campaign cases, evidence and summary."""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import numpy as np

from parley.campaigns.detection.coactivity import CoActivityTracker
from parley.campaigns.detection.cohort import AccountBook, AccountState, cohort_stats
from parley.campaigns.detection.neardup import jaccard
from parley.campaigns.detection.network import FrequencyBook, network_stats
from parley.campaigns.detection.paraphrase import cosine
from parley.campaigns.detection.timing import burst_score, regularity_score, tightest_span

Via = Literal["seed", "neardup", "paraphrase", "coactivity"]


@dataclass(slots=True)
class Member:
    seq: int
    comment_id: str
    account_id: str
    story_id: str
    t: float
    text: str
    content_tokens: int
    via: Via
    sim: float
    sig: np.ndarray | None
    vec: np.ndarray | None
    tp: int = -1


@dataclass(slots=True)
class TalkingPoint:
    text: str
    sig: np.ndarray | None
    vec: np.ndarray | None
    count: int = 0


@dataclass(frozen=True, slots=True)
class Case:
    """A snapshot of a campaign case, ready to store or show."""

    case_key: str
    score: float
    account_ids: tuple[str, ...]
    comment_ids: tuple[str, ...]
    story_ids: tuple[str, ...]
    talking_points: tuple[tuple[str, int], ...]
    """Representative text and number of comments, most frequent first."""
    evidence: dict[str, Any]
    summary: str
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class CaseUpdate:
    kind: Literal["opened", "updated"]
    case: Case
    merged_keys: tuple[str, ...] = ()
    """Keys of earlier cases that were folded into this one."""


def case_key_for(comment_id: str) -> str:
    return "cmp-" + hashlib.blake2b(comment_id.encode(), digest_size=6).hexdigest()


@dataclass(slots=True)
class Group:
    gid: int
    key: str
    members: list[Member] = field(default_factory=list)
    comment_ids: set[str] = field(default_factory=set)
    accounts: Counter[str] = field(default_factory=Counter)
    stories: Counter[str] = field(default_factory=Counter)
    talking_points: list[TalkingPoint] = field(default_factory=list)
    coact_pairs: set[tuple[str, str]] = field(default_factory=set)
    first_t: float = math.inf
    last_t: float = 0.0
    flagged_at: float | None = None
    score: float = 0.0
    scored_size: int = 0
    merged_keys: list[str] = field(default_factory=list)

    def add(self, m: Member, tp_jaccard: float, tp_cosine: float) -> bool:
        if m.comment_id in self.comment_ids:
            return False
        m.tp = self._talking_point(m.text, m.sig, m.vec, tp_jaccard, tp_cosine)
        self.talking_points[m.tp].count += 1
        m.sig = m.vec = None  # the talking point keeps its own copy; members stay small
        self._append(m)
        return True

    def _append(self, m: Member) -> None:
        self.members.append(m)
        self.comment_ids.add(m.comment_id)
        self.accounts[m.account_id] += 1
        self.stories[m.story_id] += 1
        self.first_t = min(self.first_t, m.t)
        self.last_t = max(self.last_t, m.t)

    def _talking_point(
        self,
        text: str,
        sig: np.ndarray | None,
        vec: np.ndarray | None,
        tp_jaccard: float,
        tp_cosine: float,
    ) -> int:
        """Index of the talking point this text belongs to (a new one if none is close)."""
        for i, tp in enumerate(self.talking_points):
            if (sig is not None and tp.sig is not None and jaccard(sig, tp.sig) >= tp_jaccard) or (
                vec is not None
                and tp.vec is not None
                and vec.any()
                and cosine(vec, tp.vec) >= tp_cosine
            ):
                return i
        self.talking_points.append(TalkingPoint(text[:280], sig, vec, 0))
        return len(self.talking_points) - 1

    def absorb(self, other: Group, tp_jaccard: float, tp_cosine: float) -> None:
        mapping = [
            self._talking_point(tp.text, tp.sig, tp.vec, tp_jaccard, tp_cosine)
            for tp in other.talking_points
        ]
        for m in other.members:
            if m.comment_id in self.comment_ids:
                continue
            m.tp = mapping[m.tp]
            self.talking_points[m.tp].count += 1
            self._append(m)
        self.coact_pairs |= other.coact_pairs
        self.merged_keys.extend(other.merged_keys)
        if other.flagged_at is not None:
            if self.flagged_at is None or other.flagged_at < self.flagged_at:
                if self.flagged_at is not None:
                    self.merged_keys.append(self.key)
                self.key, self.flagged_at = other.key, other.flagged_at
            else:
                self.merged_keys.append(other.key)


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    text: float = 0.85
    timing: float = 0.45
    cohort: float = 0.5
    network: float = 0.5
    coactivity: float = 0.8


def _fmt_duration(seconds: float) -> str:
    if seconds < 90:
        return _plural(max(1, round(seconds)), "second")
    if seconds < 5400:
        return f"{round(seconds / 60)} minutes"
    if seconds < 2 * 86_400:
        return f"{round(seconds / 3600)} hours"
    return f"{round(seconds / 86_400)} days"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def score_group(
    g: Group,
    book: AccountBook,
    networks: FrequencyBook,
    agents: FrequencyBook,
    ssos: FrequencyBook,
    coact: CoActivityTracker,
    weights: ScoreWeights | None = None,
) -> tuple[float, dict[str, Any], str]:
    """Combine the group's signals into a 0..1 score, an evidence dict and a summary."""
    weights = weights or ScoreWeights()
    n_acc = len(g.accounts)
    n_com = len(g.members)
    states: list[AccountState] = [s for a in g.accounts if (s := book.get(a)) is not None]
    times = [m.t for m in g.members]

    # Text: how many comments were linked by near-identical / paraphrased text, how informative
    # that text is, and how many distinct accounts posted it.
    textual = [m for m in g.members if m.via in ("seed", "neardup", "paraphrase")]
    text_accounts = len({m.account_id for m in textual})
    neardup = sum(1 for m in g.members if m.via == "neardup")
    para = sum(1 for m in g.members if m.via == "paraphrase")
    linked = max(1, neardup + para)
    content = float(np.median([m.content_tokens for m in textual])) if textual else 0.0
    info = min(1.0, max(0.0, (content - 1.0) / 5.0))
    size = 1.0 - 0.45 ** max(0, text_accounts - 1)
    para_sims = [m.sim for m in g.members if m.via == "paraphrase"]
    para_strength = float(np.mean(para_sims)) if para_sims else 0.0
    kind = (neardup + para * min(1.0, 0.3 + 0.5 * para_strength)) / linked
    s_text = info * size * kind if text_accounts >= 2 else 0.0

    # Timing.
    span = tightest_span(times)
    s_burst = burst_score(times)
    s_reg = regularity_score(times)
    s_time = max(s_burst, 0.8 * s_reg)

    # Cohort.
    co = cohort_stats(states)
    denom = max(1, n_acc)
    created_share = co.created_together / denom if co.created_together >= 3 else 0.0
    fresh_share = co.fresh / denom if co.fresh >= 3 else 0.0
    one_story_share = co.one_story / denom
    s_cohort = min(1.0, max(created_share, 0.8 * fresh_share) * (0.8 + 0.2 * one_story_share))

    # Network.
    net = network_stats(states, networks, agents, ssos)
    s_net = max(net.network_score, 0.5 * net.agent_score, 0.4 * net.sso_score)

    # Co-activity: accounts of this group that form strong pairs with each other.
    # Re-checked on every scoring: a pair that looked tight early can be diluted later.
    coact_accounts: set[str] = set()
    for a, b in g.coact_pairs:
        sa, sb = book.get(a), book.get(b)
        if sa is not None and sb is not None and coact.strong(a, b, sa.n_stories, sb.n_stories):
            coact_accounts.update((a, b))
    s_coact = len(coact_accounts) / denom if len(coact_accounts) >= 3 else 0.0

    parts = {
        "text": s_text,
        "timing": s_time,
        "cohort": s_cohort,
        "network": s_net,
        "coactivity": s_coact,
    }
    miss = 1.0
    for name, value in parts.items():
        miss *= 1.0 - getattr(weights, name) * value
    score = 1.0 - miss
    if n_acc < 3:
        score = min(score, 0.3)

    evidence: dict[str, Any] = {
        "accounts": n_acc,
        "comments": n_com,
        "stories": len(g.stories),
        "talking_points": len(g.talking_points),
        "text": {
            "near_identical_comments": neardup,
            "paraphrased_comments": para,
            "mean_paraphrase_similarity": round(para_strength, 3),
            "median_content_words": content,
            "score": round(s_text, 3),
        },
        "timing": {
            "span_80pct_s": round(span, 1),
            "burst": round(s_burst, 3),
            "regularity": round(s_reg, 3),
            "first": datetime.fromtimestamp(g.first_t, UTC).isoformat(),
            "last": datetime.fromtimestamp(g.last_t, UTC).isoformat(),
            "score": round(s_time, 3),
        },
        "cohort": {
            "created_together": co.created_together,
            "created_window_s": co.created_window_s,
            "first_comment_within_24h_of_creation": co.fresh,
            "one_story_accounts": co.one_story,
            "score": round(s_cohort, 3),
        },
        "network": {
            "shared_address_prefix": net.shared_network,
            "shared_user_agent": net.shared_agent,
            "shared_sso_source": net.shared_sso,
            "score": round(s_net, 3),
        },
        "coactivity": {
            "account_pairs": len(g.coact_pairs),
            "accounts": len(coact_accounts),
            "score": round(s_coact, 3),
        },
    }

    bits = [
        f"{_plural(n_acc, 'account')}, {_plural(n_com, 'comment')}, "
        f"{_plural(len(g.talking_points), 'talking point')}"
        + (
            f" on {_plural(len(g.stories), 'story').replace('storys', 'stories')}"
            if len(g.stories) > 1
            else ""
        )
    ]
    if co.created_together >= 3:
        bits.append(f"{co.created_together} accounts created within 2 hours")
    elif co.fresh >= 3:
        bits.append(f"{co.fresh} accounts commented within a day of signing up")
    if n_com >= 3:
        if s_reg >= 0.6 and s_reg * 0.8 > s_burst:
            bits.append(f"posts at regular intervals over {_fmt_duration(max(times) - min(times))}")
        else:
            bits.append(f"posts within {_fmt_duration(span)} of each other")
    if net.network_score >= 0.3:
        bits.append(f"{net.shared_network} accounts share an address prefix")
    if len(coact_accounts) >= 3:
        bits.append(
            f"{len(coact_accounts)} accounts repeatedly comment on the same stories together"
        )
    summary = "; ".join(bits) + "."
    return score, evidence, summary


def snapshot(g: Group, score: float, evidence: dict[str, Any], summary: str) -> Case:
    tps = sorted(((tp.text, tp.count) for tp in g.talking_points), key=lambda x: -x[1])
    return Case(
        case_key=g.key,
        score=round(score, 4),
        account_ids=tuple(sorted(g.accounts)),
        comment_ids=tuple(m.comment_id for m in sorted(g.members, key=lambda m: m.t)),
        story_ids=tuple(sorted(g.stories)),
        talking_points=tuple(tps),
        evidence=evidence,
        summary=summary,
        first_seen=datetime.fromtimestamp(g.first_t, UTC),
        last_seen=datetime.fromtimestamp(g.last_t, UTC),
    )
