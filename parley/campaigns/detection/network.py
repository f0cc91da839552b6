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


@dataclass(frozen=True, slots=True)
class NetworkStats:
    shared_network: int
    """Largest number of accounts behind one address-prefix hash."""
    shared_agent: int
    """Largest number of accounts with one rare user agent."""
    shared_sso: int
    """Largest number of accounts with one rare SSO source."""


def network_stats(
    accounts: Iterable[AccountState],
    agents: FrequencyBook,
    ssos: FrequencyBook,
    *,
    rare_share: float = 0.02,
) -> NetworkStats:
    nets: Counter[str] = Counter()
    uas: Counter[str] = Counter()
    sso: Counter[str] = Counter()
    for st in accounts:
        if st.network_hash:
            nets[st.network_hash] += 1
        if st.user_agent_hash and agents.share(st.user_agent_hash) <= rare_share:
            uas[st.user_agent_hash] += 1
        if st.sso_source and ssos.share(st.sso_source) <= rare_share:
            sso[st.sso_source] += 1

    def top(c: Counter[str]) -> int:
        return c.most_common(1)[0][1] if c else 0

    return NetworkStats(top(nets), top(uas), top(sso))
