"""Evaluate Parley's toxicity scorers on the labelled development data.

    python bench/scoring/evaluate.py                 # every scorer that can be loaded here
    python bench/scoring/evaluate.py --only linear   # just one

Reads ../shared/data (relative to the repository). Evaluation sets:
  * ucc-dev: Unhealthy Comment Corpus validation split (CC BY-NC-SA, evaluation only);
    labels hostile, antagonize, unhealthy (= 1 - healthy), ...
  * socc-dev: SOCC constructiveness & toxicity DEV rows (CC BY-NC-SA, evaluation only);
    toxic>=2 (at least "mildly toxic" as the most popular answer), toxic>=3 ("toxic").
  * wiki-*-eval: the 25% of wiki-talk-cat DEV rows that train.py keeps out of training.
Prints a Markdown table and writes bench/out/scoring-eval.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import numpy as np  # noqa: E402
import scoring_data as D  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from parley.moderation.scoring.routing import SHIPPED_THRESHOLDS  # noqa: E402

OUT = HERE.parents[1] / "bench" / "out" / "scoring-eval.json"
REPORTED = {
    "ucc-dev": ("hostile", "antagonize", "unhealthy"),
    "socc-dev": ("toxic>=2", "toxic>=3"),
    "wiki-gn-eval": ("toxic",),
    "wiki-gc-eval": ("toxic",),
    "wiki-small-eval": ("toxic",),
    "wiki-all-eval": ("toxic",),
}


Run = Callable[[Sequence[str]], list[float]]


def embedding_logits() -> Run:
    """EmbeddingScorer logits. Texts whose MiniLM embedding train.py cached (same encoder,
    normalised) reuse it; a sample is checked against the live scorer first."""
    import hashlib

    from parley.moderation.scoring.embedding import EmbeddingScorer

    scorer = EmbeddingScorer()
    cache: dict[str, np.ndarray] = {}
    cache_file = HERE.parents[1] / "bench" / "out" / "minilm-embeddings.npz"
    if cache_file.exists():
        z = np.load(cache_file)
        cache = dict(zip(z["keys"].tolist(), z["emb"], strict=True))

    def run(texts: Sequence[str]) -> list[float]:
        keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
        out = [float("nan")] * len(texts)
        hit = [i for i, k in enumerate(keys) if k in cache]
        if hit:
            emb = np.stack([cache[keys[i]] for i in hit]).astype(np.float64)
            for i, v in zip(hit, scorer.head.decisions(emb), strict=True):
                out[i] = v
            sample = hit[:: max(1, len(hit) // 64)]
            live = scorer.decisions([texts[i] for i in sample])
            drift = max(abs(a - out[i]) for a, i in zip(live, sample, strict=True))
            if drift > 1e-3:
                raise RuntimeError(f"cached embeddings disagree with the live encoder ({drift})")
        miss = [i for i in range(len(texts)) if keys[i] not in cache]
        if miss:
            for i, v in zip(miss, scorer.decisions([texts[i] for i in miss]), strict=True):
                out[i] = v
        return out

    return run


Multi = Callable[[Sequence[str]], dict[str, list[float]]]


def scorer_factories() -> dict[str, Callable[[], Multi]]:
    """name -> factory of a function returning {scorer name: scores} for a list of texts."""

    def linear() -> Callable[[Sequence[str]], dict[str, list[float]]]:
        from parley.moderation.scoring.linear import LinearScorer

        s = LinearScorer()
        return lambda texts: {"linear": [d["toxicity"] for d in s.score_many(texts)]}

    def embedding_and_blend() -> Callable[[Sequence[str]], dict[str, list[float]]]:
        from parley.moderation.scoring.embedding import BlendScorer, _sigmoid
        from parley.moderation.scoring.linear import LinearScorer

        lin = LinearScorer().model
        emb = embedding_logits()

        def run(texts: Sequence[str]) -> dict[str, list[float]]:
            e = emb(texts)
            b = [BlendScorer.combine(lin.decision(t), v) for t, v in zip(texts, e, strict=True)]
            return {"embedding": [_sigmoid(v) for v in e], "blend": b}

        return run

    def profanity_check() -> Callable[[Sequence[str]], dict[str, list[float]]]:
        # Third-party baseline (alt-profanity-check); not shipped by Parley.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from profanity_check import predict_prob

        def run(texts: Sequence[str]) -> dict[str, list[float]]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return {"alt-profanity-check": [float(v) for v in predict_prob(list(texts))]}

        return run

    return {
        "linear": linear,
        "embedding": embedding_and_blend,
        "alt-profanity-check": profanity_check,
    }


def prf(scores: np.ndarray, y: np.ndarray, threshold: float) -> dict[str, float]:
    pred = scores >= threshold
    tp = int((pred & (y == 1)).sum())
    return {
        "precision": round(tp / pred.sum(), 3) if pred.sum() else float("nan"),
        "recall": round(tp / (y == 1).sum(), 3),
        "rate": round(float(pred.mean()), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Evaluate toxicity scorers")
    parser.add_argument(
        "--only", action="append", help="linear, embedding (+ blend), alt-profanity-check"
    )
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sets = D.evaluation_sets()
    wiki_all = [sets[k] for k in ("wiki-gn-eval", "wiki-gc-eval", "wiki-small-eval")]
    sets["wiki-all-eval"] = (
        [t for texts, _ in wiki_all for t in texts],
        {"toxic": [v for _, labs in wiki_all for v in labs["toxic"]]},
    )
    results: dict[str, dict[str, object]] = {}
    per: dict[str, object]
    for name, factory in scorer_factories().items():
        if args.only and name not in args.only:
            continue
        try:
            run = factory()
        except Exception as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)
            continue
        t0 = time.perf_counter()
        for set_name, (texts, labels) in sets.items():
            for scorer_name, raw in run(texts).items():
                scores = np.asarray(raw)
                per = results.setdefault(scorer_name, {})
                for label in REPORTED[set_name]:
                    y = np.asarray(labels[label])
                    per[f"{set_name}:{label}"] = {
                        "n": len(y),
                        "positives": int(y.sum()),
                        "roc_auc": round(float(roc_auc_score(y, scores)), 3),
                        "flag": prf(scores, y, SHIPPED_THRESHOLDS.flag),
                        "hold": prf(scores, y, SHIPPED_THRESHOLDS.hold),
                    }
        print(f"{name}: scored in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    # The wiki-talk-cat files carry Perspective TOXICITY scores stored by the dataset authors in
    # 2020: a frozen third-party reference, not something Parley runs.
    per = {}
    for set_name, key in (("wiki-gn-eval", "wiki-gn"), ("wiki-gc-eval", "wiki-gc")):
        rows = D.wiki_talk_api(key)
        y = np.asarray([r[1] for r in rows])
        per[f"{set_name}:toxic"] = {
            "n": len(y),
            "positives": int(y.sum()),
            "roc_auc": round(float(roc_auc_score(y, [r[0] for r in rows])), 3),
        }
    results["perspective-2020 (stored)"] = per

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    flag, hold = SHIPPED_THRESHOLDS.flag, SHIPPED_THRESHOLDS.hold
    print(f"\nShipped thresholds: flag >= {flag}, hold >= {hold}\n")
    print(
        "| scorer | set:label | n (pos) | ROC-AUC | P@flag | R@flag | flagged | P@hold "
        "| R@hold | held |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, per in results.items():
        for key, m in per.items():
            assert isinstance(m, dict)
            f, h = m.get("flag"), m.get("hold")
            cells = [name, key, f"{m['n']} ({m['positives']})", f"{m['roc_auc']:.3f}"]
            for part in (f, h):
                if part:
                    cells += [f"{part['precision']:.3f}", f"{part['recall']:.3f}"]
                    cells.append(f"{100 * part['rate']:.1f}%")
                else:
                    cells += ["", "", ""]
            print("| " + " | ".join(cells) + " |")
    print(f"\nwrote {OUT.relative_to(HERE.parents[1])}")


if __name__ == "__main__":
    main()
