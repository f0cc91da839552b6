"""Account cohorts: accounts created together, first comment soon after creation, one story."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np


@dataclass(slots=True)
class AccountState:
    created_at: float | None
    first_seen: float
    last_seen: float
    stories: set[str] = field(default_factory=set)
    n_stories: int = 0
    """Distinct stories (exact up to ``MAX_STORIES``, then counts every new-looking one)."""
    comments: int = 0
    network_hash: str | None = None
    user_agent_hash: str | None = None
    sso_source: str | None = None


class AccountBook:
    """Recently active accounts (LRU bounded by ``capacity``)."""

    MAX_STORIES = 64

    def __init__(self, capacity: int = 200_000) -> None:
        self.capacity = capacity
        self._accounts: OrderedDict[str, AccountState] = OrderedDict()

    def observe(
        self,
        account_id: str,
        story_id: str,
        t: float,
        created_at: float | None,
        network_hash: str | None,
        user_agent_hash: str | None,
        sso_source: str | None,
    ) -> AccountState:
        st = self._accounts.get(account_id)
        if st is None:
            st = AccountState(created_at, t, t)
            self._accounts[account_id] = st
            if len(self._accounts) > self.capacity:
                self._accounts.popitem(last=False)
        else:
            self._accounts.move_to_end(account_id)
        st.last_seen = t
        st.comments += 1
        if created_at is not None:
            st.created_at = created_at
        if story_id not in st.stories:
            st.n_stories += 1
            if len(st.stories) < self.MAX_STORIES:
                st.stories.add(story_id)
        st.network_hash = network_hash or st.network_hash
        st.user_agent_hash = user_agent_hash or st.user_agent_hash
        st.sso_source = sso_source or st.sso_source
        return st

    def get(self, account_id: str) -> AccountState | None:
        return self._accounts.get(account_id)

    def __len__(self) -> int:
        return len(self._accounts)


@dataclass(frozen=True, slots=True)
class CohortStats:
    created_together: int
    """Largest number of accounts created within ``window_s`` of each other."""
    created_window_s: float
    fresh: int
    """Accounts whose first seen comment came within ``fresh_s`` of creation."""
    one_story: int
    known_created: int


def cohort_stats(
    accounts: Iterable[AccountState], *, window_s: float = 7200.0, fresh_s: float = 86_400.0
) -> CohortStats:
    created: list[float] = []
    fresh = one_story = 0
    for st in accounts:
        if st.created_at is not None:
            created.append(st.created_at)
            if st.first_seen - st.created_at <= fresh_s:
                fresh += 1
        if st.n_stories == 1:
            one_story += 1
    best = 0
    if created:
        arr = np.sort(np.asarray(created))
        right = np.searchsorted(arr, arr + window_s, side="right")
        best = int((right - np.arange(len(arr))).max())
    return CohortStats(best, window_s, fresh, one_story, len(created))
