"""Throughput and memory of the campaign engine on a large synthetic archive.

    # 1) make an archive: organic text resampled by a word-bigram model trained on the real
    #    reader comments (so no two organic comments are copies), ~1 % campaign comments
    python -m bench.campaigns.throughput generate /tmp/camp/archive-1m.jsonl --n 1000000
    # 2) batch scan, measured from outside for wall time and peak RSS
    /usr/bin/time -v python -m bench.campaigns.throughput scan /tmp/camp/archive-1m.jsonl
    # 3) incremental: per-comment latency of CampaignEngine.add
    python -m bench.campaigns.throughput incremental /tmp/camp/archive-1m.jsonl --limit 100000

``scan`` also scores the injected campaigns (labels are in the archive) after the timed part.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime

from bench.campaigns.simulate import KINDS, _Builder, _inject, load_organic, load_talking_points
from parley.campaigns.detection import CampaignEngine, CommentSignal, EngineConfig


class BigramModel:
    def __init__(self, texts: list[str], seed: int) -> None:
        self.rng = random.Random(seed)
        nxt: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        self.lengths: list[int] = []
        for t in texts:
            words = t.split()
            if not words:
                continue
            self.lengths.append(len(words))
            self.starts.append(words[0])
            for a, b in itertools.pairwise(words):
                nxt[a].append(b)
        self.nxt = dict(nxt)

    def sample(self) -> str:
        rng = self.rng
        n = rng.choice(self.lengths)
        w = rng.choice(self.starts)
        out = [w]
        for _ in range(n - 1):
            cand = self.nxt.get(w)
            w = cand[int(rng.random() * len(cand))] if cand else rng.choice(self.starts)
            out.append(w)
        return " ".join(out)


def generate(path: str, n: int, seed: int, campaign_share: float) -> None:
    t0 = time.perf_counter()
    organic = [t for _, t in load_organic()]
    model = BigramModel(organic, seed)
    talking = load_talking_points()
    random.Random(seed).shuffle(talking)
    n_stories = max(50, n // 400)
    span_days = max(12.0, n / 35_000)
    b = _Builder(seed, n_stories, span_days=span_days, regulars=max(1500, n // 20))
    rng = b.rng
    cum = list(itertools.accumulate(1 / (i + 5) for i in range(n_stories)))  # busy stories
    stories = rng.choices(b.stories, cum_weights=cum, k=int(n * (1 - campaign_share)))
    # Organic text must not repeat: a bigram model can reproduce a short source comment
    # verbatim, which would be a (fake) copy-paste by unrelated readers.
    seen = {" ".join(t.lower().split()) for t in organic}

    def fresh() -> str:
        for _ in range(20):
            text = model.sample()
            key = " ".join(text.lower().split())
            if key not in seen:
                seen.add(key)
                return text
        return text + f" ({len(seen)})"

    for s in stories:
        b.post(b.organic_account(), s, fresh(), b.organic_time(s), "organic")
    tp_iter = iter(talking * 10)
    spare = [fresh() for _ in range(20_000)]
    j = 0
    while len(b.items) < n:
        kind = KINDS[j % len(KINDS)]
        _inject(b, kind, f"{kind}-{j}", tp_iter, spare)
        j += 1
    b.items.sort(key=lambda it: it.signal.created_at)
    with open(path, "w", encoding="utf-8") as fh:
        for it in b.items:
            s = it.signal
            fh.write(
                json.dumps(
                    [
                        s.comment_id,
                        s.account_id,
                        s.story_id,
                        s.text,
                        s.created_at.isoformat(),
                        s.account_created_at.isoformat() if s.account_created_at else None,
                        s.network_hash,
                        s.user_agent_hash,
                        s.sso_source,
                        it.label,
                    ]
                )
                + "\n"
            )
    print(
        f"wrote {len(b.items)} comments, {j} campaigns to {path} in {time.perf_counter() - t0:.0f}s"
    )


def read(path: str, limit: int | None = None) -> Iterator[CommentSignal]:
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                return
            r = json.loads(line)
            yield CommentSignal(
                r[0], r[1], r[2], r[3], datetime.fromisoformat(r[4]),
                datetime.fromisoformat(r[5]) if r[5] else None, r[6], r[7], r[8],
            )  # fmt: skip


def labels(path: str, limit: int | None = None) -> dict[str, str]:
    out: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                break
            r = json.loads(line)
            out[r[0]] = r[-1]
    return out


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scan(path: str, limit: int | None, embedding: str) -> None:
    engine = CampaignEngine(EngineConfig(embedding=embedding))
    t0 = time.perf_counter()

    c0 = time.process_time()

    def progress(n: int) -> None:
        el = time.perf_counter() - t0
        cpu = time.process_time() - c0
        print(
            f"  {n:>9,} comments  wall {el:7.1f}s ({n / el:5.0f}/s)  CPU {cpu:7.1f}s "
            f"({n / cpu:5.0f}/CPU-s)  peak RSS {_rss_mib():.0f} MiB",
            flush=True,
        )

    cases = engine.scan(read(path, limit), progress=progress, progress_every=100_000)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    n = engine.stats["comments"]
    print(
        f"scan: {n:,} comments in {wall:.1f}s wall = {n / wall:.0f} comments/s "
        f"(CPU {cpu:.1f}s = {n / cpu:.0f}/CPU-s); {len(cases)} cases; "
        f"backend={engine.backend.name if engine.backend else 'hashed-tfidf'}; "
        f"stats={engine.stats}; peak RSS {_rss_mib():.0f} MiB"
    )
    # Quality on the injected campaigns (not timed).
    lab = labels(path, limit)
    camp_comments: Counter[str] = Counter(v for v in lab.values() if v != "organic")
    best: dict[str, float] = {}
    correct = 0
    organic_flagged = 0
    for c in cases:
        cnt = Counter(lab[x] for x in c.comment_ids)
        top, _ = cnt.most_common(1)[0]
        organic_flagged += cnt.get("organic", 0)
        if top != "organic":
            correct += 1
            best[top] = max(best.get(top, 0.0), cnt[top] / camp_comments[top])
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for cid in camp_comments:
        k = cid.rsplit("-", 1)[0]
        by_kind[k][0] += 1
        by_kind[k][1] += best.get(cid, 0.0) >= 0.5
    organic_total = sum(1 for v in lab.values() if v == "organic")
    print(
        f"quality: case precision {correct / max(1, len(cases)):.3f}; organic wrongly flagged "
        f"{organic_flagged}/{organic_total} = {organic_flagged / max(1, organic_total):.4%}"
    )
    for k, (tot, hit) in sorted(by_kind.items()):
        print(f"  {k:<11} recall {hit / tot:.3f} ({hit}/{tot}; >=50% of comments in one case)")


def incremental(path: str, limit: int, embedding: str) -> None:
    engine = CampaignEngine(EngineConfig(embedding=embedding))
    lat: list[float] = []
    updates = 0
    t0 = time.perf_counter()
    c0 = time.process_time()
    for s in read(path, limit):
        a = time.perf_counter()
        updates += len(engine.add(s))
        lat.append(time.perf_counter() - a)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    lat.sort()
    backend = engine.backend.name if engine.backend else "hashed-tfidf"
    print(
        f"incremental: {len(lat):,} comments in {wall:.1f}s (incl. JSON parsing) = "
        f"{len(lat) / wall:.0f} comments/s (CPU {cpu:.1f}s = {len(lat) / cpu:.0f}/CPU-s); "
        f"add() p50 {statistics.median(lat) * 1e3:.2f} ms, "
        f"p99 {lat[int(len(lat) * 0.99)] * 1e3:.2f} ms, max {lat[-1] * 1e3:.1f} ms; "
        f"{updates} case updates; backend={backend}; peak RSS {_rss_mib():.0f} MiB"
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("path")
    g.add_argument("--n", type=int, default=1_000_000)
    g.add_argument("--seed", type=int, default=7)
    g.add_argument("--campaign-share", type=float, default=0.01)
    for name in ("scan", "incremental"):
        p = sub.add_parser(name)
        p.add_argument("path")
        p.add_argument("--limit", type=int, default=None if name == "scan" else 100_000)
        p.add_argument("--embedding", choices=["auto", "hashed", "minilm"], default="auto")
    args = ap.parse_args()
    if args.cmd == "generate":
        generate(args.path, args.n, args.seed, args.campaign_share)
    elif args.cmd == "scan":
        scan(args.path, args.limit, args.embedding)
    else:
        incremental(args.path, args.limit, args.embedding)


if __name__ == "__main__":
    main()
