"""Evaluate the campaign engine on simulated worlds (see simulate.py).

Runs the engine incrementally (``add``), as the worker would, over each seeded world and reports
per campaign kind: campaign-level precision, recall, F1, time to detection, and the share of
organic comments wrongly put in a case.

    python -m bench.campaigns.evaluate --seeds 1 2 3 --embedding hashed
    python -m bench.campaigns.evaluate --seeds 1 2 3 --embedding minilm

Definitions
- A case's label is the campaign (or "organic") that owns most of its comments.
- A case is correct when that label is a campaign. Precision (overall) = correct cases / cases.
  Per kind: among cases holding any comment of a campaign of that kind, the share whose label
  is a campaign of that kind.
- A campaign is detected when a correct case labelled with it holds >= 50 % of its accounts.
- Time to detection: from the campaign's first comment to the comment whose ``add`` returned the
  first update of a case labelled with it (and holding >= 3 of its comments), in simulated time.
- Organic wrongly flagged = organic comments (traps included) in any case / organic comments.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter, defaultdict
from typing import Any

from bench.campaigns.simulate import EXTRA_KINDS, KINDS, World, build
from parley.campaigns.detection import CampaignEngine, EngineConfig
from parley.campaigns.detection.paraphrase import load_backend


def evaluate_world(world: World, engine: CampaignEngine) -> dict[str, Any]:
    for s, text in world.story_text.items():
        engine.set_story_text(s, text)
    label_of = {it.signal.comment_id: it.label for it in world.items}
    account_of = {it.signal.comment_id: it.signal.account_id for it in world.items}
    detected_at: dict[str, float] = {}
    comments_until: dict[str, int] = {}
    seen_by_campaign: Counter[str] = Counter()
    t_start = time.perf_counter()
    for it in world.items:
        if it.label in world.campaigns:
            seen_by_campaign[it.label] += 1
        for upd in engine.add(it.signal):
            labels = Counter(label_of[c] for c in upd.case.comment_ids)
            top, n = labels.most_common(1)[0]
            if top in world.campaigns and n >= 3 and top not in detected_at:
                detected_at[top] = it.signal.created_at.timestamp()
                comments_until[top] = seen_by_campaign[top]
    elapsed = time.perf_counter() - t_start
    first_t: dict[str, float] = {}
    for it in world.items:
        if it.label in world.campaigns and it.label not in first_t:
            first_t[it.label] = it.signal.created_at.timestamp()

    cases = engine.cases()
    organic_total = sum(1 for it in world.items if it.label not in world.campaigns)
    organic_flagged: set[str] = set()
    trap_flagged: Counter[str] = Counter()
    per_kind: dict[str, dict[str, Any]] = defaultdict(
        lambda: {
            "campaigns": 0,
            "detected": 0,
            "cases_touching": 0,
            "cases_correct": 0,
            "ttd_s": [],
            "comments_to_detect": [],
        }
    )
    correct_cases = 0
    fp_cases = []
    best_cover: dict[str, float] = {}
    for case in cases:
        labels = Counter(label_of[c] for c in case.comment_ids)
        top, _ = labels.most_common(1)[0]
        for c in case.comment_ids:
            if label_of[c] not in world.campaigns:
                organic_flagged.add(c)
                if label_of[c].startswith("trap:"):
                    trap_flagged[label_of[c]] += 1
        kinds_touching = {world.campaigns[lab].kind for lab in labels if lab in world.campaigns}
        for k in kinds_touching:
            per_kind[k]["cases_touching"] += 1
            if top in world.campaigns and world.campaigns[top].kind == k:
                per_kind[k]["cases_correct"] += 1
        if top in world.campaigns:
            correct_cases += 1
            accs = {account_of[c] for c in case.comment_ids if label_of[c] == top}
            cover = len(accs) / len(world.campaigns[top].accounts)
            best_cover[top] = max(best_cover.get(top, 0.0), cover)
        else:
            fp_cases.append((case.summary, dict(labels.most_common(3))))
    for cid, camp in world.campaigns.items():
        pk = per_kind[camp.kind]
        pk["campaigns"] += 1
        if best_cover.get(cid, 0.0) >= 0.5:
            pk["detected"] += 1
            if cid in detected_at:
                pk["ttd_s"].append(detected_at[cid] - first_t[cid])
                pk["comments_to_detect"].append(comments_until[cid])
    return {
        "comments": len(world.items),
        "organic": organic_total,
        "organic_flagged": len(organic_flagged),
        "trap_flagged": dict(trap_flagged),
        "cases": len(cases),
        "correct_cases": correct_cases,
        "fp_cases": fp_cases,
        "per_kind": dict(per_kind),
        "seconds": elapsed,
        "stats": dict(engine.stats),
    }


def aggregate(results: list[dict[str, Any]]) -> dict[str, Any]:
    kinds: dict[str, Any] = {}
    for k in KINDS + EXTRA_KINDS:
        rows = [r["per_kind"][k] for r in results if k in r["per_kind"]]
        if not rows:
            continue
        camps = sum(r["campaigns"] for r in rows)
        det = sum(r["detected"] for r in rows)
        touch = sum(r["cases_touching"] for r in rows)
        corr = sum(r["cases_correct"] for r in rows)
        ttd = [x for r in rows for x in r["ttd_s"]]
        ctd = [x for r in rows for x in r["comments_to_detect"]]
        rec = det / camps if camps else 0.0
        prec = corr / touch if touch else 1.0
        kinds[k] = {
            "campaigns": camps,
            "recall": round(rec, 3),
            "precision": round(prec, 3),
            "f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0,
            "median_time_to_detection_min": round(statistics.median(ttd) / 60, 1) if ttd else None,
            "median_comments_to_detection": statistics.median(ctd) if ctd else None,
        }
    cases = sum(r["cases"] for r in results)
    correct = sum(r["correct_cases"] for r in results)
    organic = sum(r["organic"] for r in results)
    flagged = sum(r["organic_flagged"] for r in results)
    comments = sum(r["comments"] for r in results)
    secs = sum(r["seconds"] for r in results)
    traps: Counter[str] = Counter()
    for r in results:
        traps.update(r["trap_flagged"])
    return {
        "per_kind": kinds,
        "case_precision": round(correct / cases, 3) if cases else 1.0,
        "cases": cases,
        "organic_comments": organic,
        "organic_wrongly_flagged": flagged,
        "organic_wrongly_flagged_share": round(flagged / organic, 4) if organic else 0.0,
        "trap_comments_flagged": dict(traps),
        "incremental_comments_per_s": round(comments / secs, 1) if secs else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--per-kind", type=int, default=12)
    ap.add_argument("--embedding", choices=["auto", "hashed", "minilm"], default="hashed")
    ap.add_argument("--json", help="write the full results here")
    ap.add_argument("--show-fp", action="store_true")
    ap.add_argument(
        "--human-paraphrase",
        action="store_true",
        help="add crews posting real human paraphrases and readers doing the same (PIT-2015)",
    )
    args = ap.parse_args()
    backend = load_backend(args.embedding)
    results = []
    for seed in args.seeds:
        world = build(seed, per_kind=args.per_kind, human_paraphrase=args.human_paraphrase)
        engine = CampaignEngine(EngineConfig(embedding=args.embedding), backend=backend)
        if backend is None:
            engine.backend = None
        res = evaluate_world(world, engine)
        results.append(res)
        if args.show_fp:
            for fp in res["fp_cases"]:
                print("FP", fp)
    summary = aggregate(results)
    summary["embedding"] = backend.name if backend is not None else "hashed-tfidf (no torch)"
    summary["seeds"] = args.seeds
    print(json.dumps(summary, indent=2))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"summary": summary, "runs": results}, fh, indent=2, default=str)


if __name__ == "__main__":
    main()
