"""Shared network signals: hashed address prefix, user agent, SSO source."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from parley.campaigns.detection.cohort import AccountState


class FrequencyBook:
    """How many distinct accounts have been seen with each network value (bounded).

    A user-agent string that a third of all readers share says nothing; a rare one shared by a
    group does.
    """

    def __init__(self, capacity: int = 200_000) -> None:
        self.capacity = capacity
        self.counts: Counter[str] = Counter()
        self.total = 0

    def add(self, value: str | None) -> None:
        if value is None:
            return
        self.total += 1
        self.counts[value] += 1
        if len(self.counts) > self.capacity:  # drop the long tail of singletons
            for k in [k for k, v in self.counts.items() if v <= 1]:
                del self.counts[k]

    def share(self, value: str) -> float:
        return self.counts.get(value, 0) / self.total if self.total else 0.0

    def count(self, value: str) -> int:
        return self.counts.get(value, 0)


@dataclass(frozen=True, slots=True)
class NetworkStats:
    shared_network: int
    """Largest number of the group's accounts behind one address-prefix hash."""
    shared_agent: int
    """Largest number of the group's accounts with one user agent."""
    shared_sso: int
    """Largest number of the group's accounts with one SSO source."""
    network_score: float
    agent_score: float
    sso_score: float


def _concentration(values: Counter[str], book: FrequencyBook, n_accounts: int) -> tuple[int, float]:
    """Largest group count for one value, and a 0..1 score.

    The score is (share of the group on that value) x (share of all accounts ever seen on that
    value that are in this group): a prefix used only by the group scores high, a busy NAT,
    mobile carrier or the most common browser scores near zero however many members share it.
    """
    best_n, best = 0, 0.0
    for value, n in values.items():
        if n < 2:
            continue
        total = max(n, book.count(value))
        score = (n / n_accounts) * (n / total)
        if score > best:
            best_n, best = n, score
    if best_n == 0 and values:
        best_n = max(values.values())
    return best_n, best


def network_stats(
    accounts: Iterable[AccountState],
    networks: FrequencyBook,
    agents: FrequencyBook,
    ssos: FrequencyBook,
) -> NetworkStats:
    nets: Counter[str] = Counter()
    uas: Counter[str] = Counter()
    sso: Counter[str] = Counter()
    n = 0
    for st in accounts:
        n += 1
        if st.network_hash:
            nets[st.network_hash] += 1
        if st.user_agent_hash:
            uas[st.user_agent_hash] += 1
        if st.sso_source:
            sso[st.sso_source] += 1
    n = max(n, 1)
    n_net, s_net = _concentration(nets, networks, n)
    n_ua, s_ua = _concentration(uas, agents, n)
    n_sso, s_sso = _concentration(sso, ssos, n)
    return NetworkStats(n_net, n_ua, n_sso, s_net, s_ua, s_sso)
