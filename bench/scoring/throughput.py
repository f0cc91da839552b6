"""Throughput of each toxicity scorer on ONE CPU core, in comments per second.

    python bench/scoring/throughput.py                  # linear, embedding, blend
    python bench/scoring/throughput.py --only linear -n 2000

The process pins itself to one core (sched_setaffinity) and limits torch / BLAS to one thread
before anything heavy is imported; `taskset -c 0 python ...` gives the same. Texts: real reader
comments from ucc-dev (../shared/data) when present, else a built-in sample of comment-like
texts (said in the output).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "TOKENIZERS_PARALLELISM"):
    os.environ[var] = "false" if var == "TOKENIZERS_PARALLELISM" else "1"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import scoring_data as D  # noqa: E402

FALLBACK = [
    "I completely disagree with this column. The numbers in the third paragraph are wrong.",
    "What a bunch of clueless idiots running this province, again.",
    "Thanks for a thoughtful piece; my family went through the same thing last year and the "
    "hospital staff were wonderful despite the wait times everyone complains about.",
    "Typical liberal nonsense.",
    "Does anyone know whether the new bylaw applies to rental properties as well?",
]


def load_texts(n: int, source: str) -> tuple[list[str], str]:
    if D.DATA.is_dir():
        texts, _ = D.evaluation_sets()[f"{source}-dev"]
        return texts[:n], f"{source}-dev comments"
    return (FALLBACK * (n // len(FALLBACK) + 1))[:n], "built-in sample (no ../shared/data)"


def make(name: str):  # type: ignore[no-untyped-def]
    if name == "linear":
        from parley.moderation.scoring.linear import LinearScorer

        return LinearScorer()
    if name in ("embedding", "blend"):
        import torch

        torch.set_num_threads(1)
        from parley.moderation.scoring import embedding

        return embedding.EmbeddingScorer() if name == "embedding" else embedding.BlendScorer()
    raise SystemExit(f"unknown scorer {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description="one-core throughput of toxicity scorers")
    parser.add_argument("--only", action="append", choices=["linear", "embedding", "blend"])
    parser.add_argument("-n", type=int, default=1000, help="comments per scorer")
    parser.add_argument("--batch", type=int, default=32, help="comments per score_many call")
    parser.add_argument(
        "--source", choices=["ucc", "socc"], default="ucc", help="socc has longer comments"
    )
    args = parser.parse_args()
    texts, origin = load_texts(args.n, args.source)
    mean_chars = sum(map(len, texts)) / len(texts)
    print(
        f"{len(texts)} texts from {origin}, mean {mean_chars:.0f} chars; "
        f"cores allowed: {sorted(os.sched_getaffinity(0))}; "
        f"{platform.processor() or platform.machine()}"
    )
    for name in args.only or ["linear", "embedding", "blend"]:
        try:
            scorer = make(name)
        except Exception as exc:
            print(f"{name}: skipped ({exc})")
            continue
        scorer.score_many(texts[: args.batch])  # warm up
        start, cpu_start = time.perf_counter(), time.process_time()
        for i in range(0, len(texts), args.batch):
            scorer.score_many(texts[i : i + args.batch])
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        print(
            f"{name}: {len(texts) / elapsed:,.1f} comments/s wall clock, "
            f"{len(texts) / cpu:,.1f} per CPU-second ({elapsed:.1f}s wall, {cpu:.1f}s CPU, "
            f"batch {args.batch}, load average {os.getloadavg()[0]:.1f})"
        )


if __name__ == "__main__":
    main()
