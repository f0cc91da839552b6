"""Co-activity: the same accounts repeatedly commenting on the same stories within minutes."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass(slots=True)
class PairState:
    stories: dict[str, tuple[str, str]] = field(default_factory=dict)
    """story_id -> (comment id of the first account, comment id of the second)."""
    last_seen: float = 0.0


class CoActivityTracker:
    """Counts, per account pair, the stories on which both posted within ``window_s``.

    Memory is bounded: per story only the last ``per_story`` posts are kept, and pairs seen on a
    single story are pruned once older than ``pair_ttl_s`` when the table outgrows ``capacity``.
    """

    def __init__(
        self,
        window_s: float = 300.0,
        min_stories: int = 3,
        per_story: int = 40,
        capacity: int = 500_000,
        pair_ttl_s: float = 36 * 3600.0,
        busy_accounts: int = 25,
        min_share: float = 0.5,
    ) -> None:
        self.busy_accounts = busy_accounts
        self.min_share = min_share
        self.window_s = window_s
        self.min_stories = min_stories
        self.per_story = per_story
        self.capacity = capacity
        self.pair_ttl_s = pair_ttl_s
        self._recent: dict[str, deque[tuple[float, str, str]]] = {}
        self.pairs: dict[tuple[str, str], PairState] = {}

    def observe(
        self, account_id: str, story_id: str, t: float, comment_id: str
    ) -> list[tuple[str, str]]:
        """Record a post; return account pairs whose shared-story count reached the minimum now."""
        recent = self._recent.get(story_id)
        if recent is None:
            recent = self._recent[story_id] = deque(maxlen=self.per_story)
        crossed: list[tuple[str, str]] = []
        near: dict[str, str] = {}
        for t2, acc2, cid2 in reversed(recent):
            if t - t2 > self.window_s:
                break
            if acc2 != account_id and acc2 not in near:
                near[acc2] = cid2
        recent.append((t, account_id, comment_id))
        if len(near) > self.busy_accounts:
            # A busy thread: being there at the same time as others is no evidence.
            return crossed
        for acc2, cid2 in near.items():
            if account_id < acc2:
                key, pair_cids = (account_id, acc2), (comment_id, cid2)
            else:
                key, pair_cids = (acc2, account_id), (cid2, comment_id)
            ps = self.pairs.get(key)
            if ps is None:
                ps = self.pairs[key] = PairState()
            ps.last_seen = t
            if story_id not in ps.stories:
                ps.stories[story_id] = pair_cids
                if len(ps.stories) == self.min_stories:
                    crossed.append(key)
        if len(self.pairs) > self.capacity:
            self.prune(t)
        return crossed

    def prune(self, now: float) -> None:
        cutoff = now - self.pair_ttl_s
        self.pairs = {
            k: v for k, v in self.pairs.items() if len(v.stories) > 1 or v.last_seen >= cutoff
        }
        if len(self.pairs) > self.capacity:  # still too many: keep only repeated pairs
            self.pairs = {k: v for k, v in self.pairs.items() if len(v.stories) > 1}

    def forget_story(self, story_id: str) -> None:
        self._recent.pop(story_id, None)

    def strong(self, a: str, b: str, stories_a: int, stories_b: int) -> bool:
        """True when the pair met on ``min_stories`` or more and on at least ``min_share`` of the
        stories of the busier of the two accounts (heavy commenters meet everyone)."""
        shared = self.shared_stories(a, b)
        return shared >= self.min_stories and shared >= self.min_share * max(stories_a, stories_b)

    def shared_stories(self, a: str, b: str) -> int:
        ps = self.pairs.get((a, b) if a < b else (b, a))
        return len(ps.stories) if ps else 0
