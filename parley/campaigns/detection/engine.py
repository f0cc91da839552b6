"""The campaign engine: incremental ``add`` and batch ``scan`` over :class:`CommentSignal`."""

from __future__ import annotations

import math
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC

import numpy as np

from parley.campaigns.detection.cases import (
    Case,
    CaseUpdate,
    Group,
    Member,
    ScoreWeights,
    Via,
    case_key_for,
    score_group,
    snapshot,
)
from parley.campaigns.detection.coactivity import CoActivityTracker
from parley.campaigns.detection.cohort import AccountBook
from parley.campaigns.detection.neardup import LSHIndex, MinHasher
from parley.campaigns.detection.network import FrequencyBook
from parley.campaigns.detection.paraphrase import EmbeddingBackend, HashedVectoriser, load_backend
from parley.campaigns.detection.signals import CommentSignal
from parley.campaigns.detection.text import analyse, normalise, shingle_hashes, strip_quoted


@dataclass(frozen=True, slots=True)
class EngineConfig:
    window_s: float = 3 * 86_400.0
    """How long a comment stays matchable (near-duplicate index, co-activity)."""
    group_ttl_s: float = 7 * 86_400.0
    """A group with no new comment for this long is retired (its case is final)."""
    capacity: int = 200_000
    """Most comments held in the near-duplicate index (ring buffer)."""
    num_perm: int = 64
    bands: int = 16
    neardup_threshold: float = 0.5
    neardup_threshold_short: float = 0.75
    min_chars: int = 8
    """Normalised texts shorter than this are not matched at all."""
    min_content_link: int = 2
    """Texts with fewer content words ("Well said.", "Great article") are never linked by text:
    stock reactions are not talking points."""
    para_min_content: int = 4
    para_candidate: float = 0.4
    """Hashed TF-IDF cosine above which a pair is a paraphrase candidate (and, with an
    embedding backend, is sent to the model). 0.25 doubled the embeddings on the bench and
    caught nothing more."""
    para_accept_hashed: float = 0.55
    """Without an embedding backend: hashed cosine needed to accept a paraphrase."""
    story_ring: int = 256
    max_story_rings: int = 600
    """Stories whose recent comments are kept for paraphrase search (least recently active go)."""
    story_idle_s: float = 86_400.0
    global_ring: int = 128
    global_ring_s: float = 3600.0
    para_top_k: int = 4
    vector_dim: int = 512
    min_accounts: int = 3
    case_threshold: float = 0.6
    coact_window_s: float = 300.0
    coact_min_stories: int = 3
    coact_min_ratio: float = 0.5
    max_group_members: int = 5000
    chunk_size: int = 2048
    """Batch scan: paraphrase candidates are verified together once per chunk."""
    embedding: str = "auto"
    """"auto" (MiniLM when installed), "minilm" or "hashed"."""


@dataclass(slots=True)
class _Record:
    comment_id: str
    account_id: str
    story_id: str
    t: float
    text: str
    content_tokens: int
    sig: np.ndarray | None
    vec: tuple[np.ndarray, np.ndarray] | None
    """Sparse (indices, float16 values) form of the hashed vector: a dense one is 4 KiB."""
    gid: int | None = None


def _compact(vec: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    idx = np.flatnonzero(vec).astype(np.int16)
    return idx, vec[idx].astype(np.float16)


def _dense(sparse: tuple[np.ndarray, np.ndarray], dim: int) -> np.ndarray:
    out = np.zeros(dim, dtype=np.float32)
    out[sparse[0]] = sparse[1]
    return out


class _Ring:
    """Fixed-size ring of (seq, time, vector) for paraphrase candidate search."""

    __slots__ = ("fill", "last_t", "pos", "seqs", "times", "vecs")

    def __init__(self, size: int, dim: int) -> None:
        self.vecs = np.zeros((size, dim), dtype=np.float32)
        self.seqs = np.full(size, -1, dtype=np.int64)
        self.times = np.zeros(size, dtype=np.float64)
        self.pos = 0
        self.fill = 0
        self.last_t = -math.inf

    def push(self, seq: int, t: float, vec: np.ndarray) -> None:
        self.vecs[self.pos] = vec
        self.seqs[self.pos] = seq
        self.times[self.pos] = t
        self.last_t = max(self.last_t, t)
        self.pos = (self.pos + 1) % len(self.seqs)
        self.fill = min(self.fill + 1, len(self.seqs))

    def search(self, vec: np.ndarray, threshold: float, since: float) -> list[tuple[int, float]]:
        if not self.fill:
            return []
        sims = self.vecs[: self.fill] @ vec
        hit = np.nonzero((sims >= threshold) & (self.times[: self.fill] >= since))[0]
        return [(int(self.seqs[i]), float(sims[i])) for i in hit]


class CampaignEngine:
    """Detects coordinated groups of accounts in a stream of comments.

    State is bounded by ``EngineConfig.window_s``/``capacity``: memory stays flat however long
    the stream. One engine is not thread-safe; use one per worker process.
    """

    def __init__(
        self,
        config: EngineConfig | None = None,
        backend: EmbeddingBackend | None = None,
        weights: ScoreWeights | None = None,
    ) -> None:
        self.config = cfg = config or EngineConfig()
        self.weights = weights or ScoreWeights()
        self.backend = backend if backend is not None else load_backend(cfg.embedding)
        self._hasher = MinHasher(cfg.num_perm)
        self._lsh = LSHIndex(cfg.num_perm, cfg.bands, cfg.capacity)
        self._vectoriser = HashedVectoriser(cfg.vector_dim)
        self._records: dict[int, _Record] = {}
        self._order: deque[int] = deque()
        self._by_comment: dict[str, int] = {}
        self._seq = 0
        self._now = -math.inf
        self._story_shingles: dict[str, np.ndarray] = {}
        self._story_rings: OrderedDict[str, _Ring] = OrderedDict()
        self._global_ring = _Ring(cfg.global_ring, cfg.vector_dim)
        self._book = AccountBook()
        self._networks = FrequencyBook()
        self._agents = FrequencyBook()
        self._ssos = FrequencyBook()
        self._coact = CoActivityTracker(
            cfg.coact_window_s, cfg.coact_min_stories, min_share=cfg.coact_min_ratio
        )
        self._groups: dict[int, Group] = {}
        self._account_groups: dict[str, set[int]] = {}
        self._next_gid = 0
        self._retired: dict[str, Case] = {}
        self._live_cases: dict[int, Case] = {}
        self._emb_cache: OrderedDict[int, np.ndarray] = OrderedDict()
        self._pending: list[tuple[int, int, float]] = []
        self.stats = {"comments": 0, "embedded": 0, "para_candidates": 0, "neardup_links": 0}

    # ------------------------------------------------------------------ public API

    def set_story_text(self, story_id: str, text: str) -> None:
        """Register a story's own text so that quoting it is not taken as coordination."""
        self._story_shingles[story_id] = shingle_hashes(normalise(text, max_chars=200_000))

    def add(self, signal: CommentSignal) -> list[CaseUpdate]:
        """Process one comment; return the cases it opened or updated (usually none)."""
        touched = self._process(signal, defer=False)
        return self._emit(touched)

    def scan(
        self,
        signals: Iterable[CommentSignal],
        progress: Callable[[int], None] | None = None,
        progress_every: int = 10_000,
    ) -> list[Case]:
        """Process a whole archive (sorted by ``created_at``); return all cases, best first."""
        n = 0
        touched: set[int] = set()
        for signal in signals:
            touched |= self._process(signal, defer=True)
            n += 1
            if n % self.config.chunk_size == 0:
                touched |= self._flush_pending()
                self._emit(touched)
                touched = set()
            if progress is not None and n % progress_every == 0:
                progress(n)
        touched |= self._flush_pending()
        self._emit(touched, force=True)
        if progress is not None:
            progress(n)
        return self.cases()

    def cases(self) -> list[Case]:
        """Every case flagged so far (live and retired), highest score first."""
        out = dict(self._retired)
        for case in self._live_cases.values():
            out[case.case_key] = case
        return sorted(out.values(), key=lambda c: -c.score)

    # ------------------------------------------------------------------ internals

    def _process(self, s: CommentSignal, *, defer: bool) -> set[int]:
        cfg = self.config
        t = (
            s.created_at.timestamp()
            if s.created_at.tzinfo
            else s.created_at.replace(tzinfo=UTC).timestamp()
        )
        self._now = max(self._now, t)
        self._evict()
        seq = self._seq
        self._seq += 1
        self.stats["comments"] += 1

        created = None
        if s.account_created_at is not None:
            ac = s.account_created_at
            created = (ac if ac.tzinfo else ac.replace(tzinfo=UTC)).timestamp()
        is_new = self._book.get(s.account_id) is None
        self._book.observe(
            s.account_id, s.story_id, t, created, s.network_hash, s.user_agent_hash, s.sso_source
        )
        if is_new:
            self._networks.add(s.network_hash)
            self._agents.add(s.user_agent_hash)
            self._ssos.add(s.sso_source)

        raw = strip_quoted(s.text or "", self._story_shingles.get(s.story_id))
        if s.parent_text:
            raw = strip_quoted(raw, shingle_hashes(normalise(s.parent_text)))
        nt = analyse(raw)
        sig = keys = vec = None
        neighbours: list[tuple[int, float, Via]] = []
        if len(nt.text) >= cfg.min_chars and nt.content_tokens >= cfg.min_content_link:
            sig = self._hasher.signature(shingle_hashes(nt.text))
            keys = self._lsh.band_keys(sig)
            threshold = self._neardup_threshold(len(nt.text))
            for other, sim in self._lsh.query(sig, keys):
                if sim >= threshold and other in self._records:
                    neighbours.append((other, sim, "neardup"))
            self._lsh.insert(seq, sig, keys)
        candidates: list[tuple[int, float]] = []
        if nt.content_tokens >= cfg.para_min_content:
            vec = self._vectoriser.vector(nt.tokens)
            ring = self._story_rings.get(s.story_id)
            if ring is None:
                ring = self._story_rings[s.story_id] = _Ring(cfg.story_ring, cfg.vector_dim)
                self._trim_story_rings(t)
            else:
                self._story_rings.move_to_end(s.story_id)
            if not neighbours:
                since = t - cfg.window_s
                floor = cfg.para_candidate
                found = dict(ring.search(vec, floor, since))
                for other, sim in self._global_ring.search(vec, floor, t - cfg.global_ring_s):
                    found[other] = max(sim, found.get(other, 0.0))
                for other, sim in sorted(found.items(), key=lambda x: -x[1]):
                    rec = self._records.get(other)
                    if rec is not None and rec.account_id != s.account_id:
                        candidates.append((other, sim))
                    if len(candidates) >= cfg.para_top_k:
                        break
            ring.push(seq, t, vec)
            self._global_ring.push(seq, t, vec)

        rec = _Record(
            s.comment_id,
            s.account_id,
            s.story_id,
            t,
            raw[:600],
            nt.content_tokens,
            sig,
            _compact(vec) if vec is not None else None,
        )
        self._records[seq] = rec
        self._order.append(seq)
        self._by_comment[s.comment_id] = seq

        touched: set[int] = set()
        if neighbours:
            self.stats["neardup_links"] += 1
            touched |= self._link(seq, neighbours)
        if candidates:
            self.stats["para_candidates"] += len(candidates)
            if self.backend is None:
                accepted = [
                    (o, sim, "paraphrase") for o, sim in candidates if sim >= cfg.para_accept_hashed
                ]
                if accepted:
                    touched |= self._link(seq, accepted)  # type: ignore[arg-type]
            else:
                self._pending.extend((seq, o, sim) for o, sim in candidates)
                if not defer:
                    touched |= self._flush_pending()
        for a, b in self._coact.observe(s.account_id, s.story_id, t, s.comment_id):
            touched |= self._coactive(a, b)
        return touched

    def _trim_story_rings(self, now: float) -> None:
        """Keep at most ``max_story_rings`` rings, dropping stories quiet for ``story_idle_s``."""
        rings = self._story_rings
        while rings:
            story, ring = next(iter(rings.items()))
            idle = now - ring.last_t > self.config.story_idle_s
            if not idle and len(rings) <= self.config.max_story_rings:
                break
            del rings[story]

    def _neardup_threshold(self, length: int) -> float:
        """Short texts share a larger part of their shingles by chance ("Reggie Miller just said
        it on TV"): ask more of them, up to ``neardup_threshold_short`` at 40 characters."""
        cfg = self.config
        lo, hi = cfg.neardup_threshold, cfg.neardup_threshold_short
        if length >= 120:
            return lo
        if length <= 40:
            return hi
        return hi - (hi - lo) * (length - 40) / 80

    def _flush_pending(self) -> set[int]:
        """Verify paraphrase candidates with the embedding backend, all in one batch."""
        if not self._pending or self.backend is None:
            self._pending.clear()
            return set()
        pending, self._pending = self._pending, []
        need = []
        for a, b, _ in pending:
            for q in (a, b):
                if q not in self._emb_cache and q in self._records and q not in need:
                    need.append(q)
        if need:
            vecs = self.backend.encode([self._records[q].text for q in need])
            self.stats["embedded"] += len(need)
            for q, v in zip(need, vecs, strict=True):
                self._emb_cache[q] = v
            while len(self._emb_cache) > 50_000:
                self._emb_cache.popitem(last=False)
        touched: set[int] = set()
        for a, b, _ in pending:
            ea, eb = self._emb_cache.get(a), self._emb_cache.get(b)
            if ea is None or eb is None or a not in self._records or b not in self._records:
                continue
            sim = float(ea @ eb)
            if sim >= self.backend.threshold:
                touched |= self._link(a, [(b, sim, "paraphrase")])
        return touched

    def _member(self, seq: int, via: Via, sim: float) -> Member:
        r = self._records[seq]
        return Member(
            seq,
            r.comment_id,
            r.account_id,
            r.story_id,
            r.t,
            r.text,
            r.content_tokens,
            via,
            sim,
            r.sig,
            _dense(r.vec, self.config.vector_dim) if r.vec is not None else None,
        )

    def _new_group(self, seed: int) -> Group:
        gid = self._next_gid
        self._next_gid += 1
        g = Group(gid, case_key_for(self._records[seed].comment_id))
        self._groups[gid] = g
        self._add_to_group(g, seed, "seed", 1.0)
        return g

    def _add_to_group(self, g: Group, seq: int, via: Via, sim: float) -> None:
        if len(g.members) >= self.config.max_group_members:
            return
        m = self._member(seq, via, sim)
        if g.add(m, self.config.neardup_threshold, self.config.para_accept_hashed):
            self._records[seq].gid = g.gid
            self._account_groups.setdefault(m.account_id, set()).add(g.gid)

    def _merge_all(self, groups: list[Group]) -> Group:
        unique = list({g.gid: g for g in groups}.values())
        g = unique[0]
        for other in unique[1:]:
            if other.gid in self._groups:
                g = self._merge(g, other)
        return g

    def _merge(self, a: Group, b: Group) -> Group:
        if a.gid == b.gid or b.gid not in self._groups:
            return a
        if a.gid not in self._groups:
            return b
        big, small = (a, b) if len(a.members) >= len(b.members) else (b, a)
        big.absorb(small, self.config.neardup_threshold, self.config.para_accept_hashed)
        for m in small.members:
            rec = self._records.get(m.seq)
            if rec is not None:
                rec.gid = big.gid
        for acc in small.accounts:
            gids = self._account_groups.get(acc)
            if gids is not None:
                gids.discard(small.gid)
                gids.add(big.gid)
        self._live_cases.pop(small.gid, None)
        del self._groups[small.gid]
        return big

    def _link(self, seq: int, neighbours: list[tuple[int, float, Via]]) -> set[int]:
        rec = self._records[seq]
        groups = []
        for other, _, _ in neighbours:
            orec = self._records.get(other)
            if orec is not None and orec.gid is not None and orec.gid in self._groups:
                groups.append(self._groups[orec.gid])
        if rec.gid is not None and rec.gid in self._groups:
            groups.append(self._groups[rec.gid])
        if groups:
            g = self._merge_all(groups)
        else:
            first = neighbours[0][0]
            g = self._new_group(first)
        best_sim = max(sim for _, sim, _ in neighbours)
        best_via = neighbours[0][2]
        if rec.gid != g.gid:
            self._add_to_group(g, seq, best_via, best_sim)
        for other, sim, via in neighbours:
            orec = self._records.get(other)
            if orec is not None and orec.gid != g.gid:
                self._add_to_group(g, other, via, sim)
        g = self._merge_by_accounts(g)
        return {g.gid}

    def _merge_by_accounts(self, g: Group) -> Group:
        """Fold in other groups that share enough accounts (several talking points, one crew).

        Two groups that are both cases already merge on a single shared account."""
        counts: dict[int, int] = {}
        for acc in g.accounts:
            for gid in self._account_groups.get(acc, ()):
                if gid != g.gid:
                    counts[gid] = counts.get(gid, 0) + 1
        for gid, shared in counts.items():
            other = self._groups.get(gid)
            if other is None:
                continue
            smaller = min(len(other.accounts), len(g.accounts))
            both_cases = g.flagged_at is not None and other.flagged_at is not None
            if (shared >= 2 and shared >= 0.3 * smaller) or (shared >= 1 and both_cases):
                g = self._merge(g, other)
        return g

    def _coactive(self, a: str, b: str) -> set[int]:
        sa, sb = self._book.get(a), self._book.get(b)
        if sa is None or sb is None or not self._coact.strong(a, b, sa.n_stories, sb.n_stories):
            return set()
        ps = self._coact.pairs.get((a, b) if a < b else (b, a))
        if ps is None:
            return set()
        seqs = [
            self._by_comment[c]
            for pair in ps.stories.values()
            for c in pair
            if c in self._by_comment and self._by_comment[c] in self._records
        ]
        if not seqs:
            return set()
        groups = [
            self._groups[gid]
            for q in seqs
            if (gid := self._records[q].gid) is not None and gid in self._groups
        ]
        g = self._merge_all(groups) if groups else self._new_group(seqs[0])
        for q in seqs:
            if self._records[q].gid != g.gid:
                self._add_to_group(g, q, "coactivity", 1.0)
        g.coact_pairs.add((a, b) if a < b else (b, a))
        g = self._merge_by_accounts(g)
        return {g.gid}

    def _emit(self, touched: set[int], *, force: bool = False) -> list[CaseUpdate]:
        cfg = self.config
        out: list[CaseUpdate] = []
        for gid in touched:
            g = self._groups.get(gid)
            if g is None:
                continue
            n = len(g.members)
            if len(g.accounts) < cfg.min_accounts:
                continue
            if not force and g.flagged_at is None and n > 200 and n < g.scored_size * 1.1:
                continue  # big unflagged (organic) groups are rescored only as they grow
            g.scored_size = n
            score, evidence, summary = score_group(
                g, self._book, self._networks, self._agents, self._ssos, self._coact, self.weights
            )
            g.score = score
            if score < cfg.case_threshold and g.flagged_at is None:
                continue
            kind: str = "updated"
            if g.flagged_at is None:
                g.flagged_at = self._now
                kind = "opened"
                survivor = self._merge_by_accounts(g)  # the same crew's other case
                if survivor is not g:
                    if survivor.flagged_at is not None and survivor.flagged_at < g.flagged_at:
                        kind = "updated"
                    g, gid = survivor, survivor.gid
                    score, evidence, summary = score_group(
                        g, self._book, self._networks, self._agents, self._ssos, self._coact,
                        self.weights,
                    )  # fmt: skip
                    g.score = score
            case = snapshot(g, score, evidence, summary)
            self._live_cases[gid] = case
            merged = tuple(k for k in g.merged_keys if k != g.key)
            for k in merged:
                self._retired.pop(k, None)
            g.merged_keys.clear()
            out.append(CaseUpdate(kind, case, merged))  # type: ignore[arg-type]
        return out

    def _evict(self) -> None:
        cfg = self.config
        horizon = self._now - cfg.window_s
        order = self._order
        while order and (len(order) >= cfg.capacity or self._records[order[0]].t < horizon):
            seq = order.popleft()
            rec = self._records.pop(seq)
            if self._by_comment.get(rec.comment_id) == seq:
                del self._by_comment[rec.comment_id]
            self._lsh.remove(seq)
            self._emb_cache.pop(seq, None)
        if self._seq % 4096 == 0:
            self._retire_groups()

    def _retire_groups(self) -> None:
        horizon = self._now - self.config.group_ttl_s
        for gid in [gid for gid, g in self._groups.items() if g.last_t < horizon]:
            g = self._groups.pop(gid)
            case = self._live_cases.pop(gid, None)
            if case is not None:
                self._retired[case.case_key] = case
            for acc in g.accounts:
                gids = self._account_groups.get(acc)
                if gids is not None:
                    gids.discard(gid)
                    if not gids:
                        del self._account_groups[acc]
