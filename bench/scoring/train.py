"""Train Parley's shipped toxicity models from the licence-compatible development data.

    python bench/scoring/train.py               # linear model (base install)
    python bench/scoring/train.py --embeddings  # also the MiniLM head (needs parley[embeddings])

Reads ../shared/data (relative to the repository). Training uses ONLY:
  * wiki-talk-cat (Wikipedia Talk text, CC BY-SA; labels Apache-2.0), the 75% of its DEV rows
    outside the fixed evaluation bucket (see datasets.WIKI_EVAL_PERCENT);
  * toxic-spans-semeval2021 (Civil Comments posts, CC0): every post as a toxic example, plus two
    derived non-toxic examples from posts with marked spans: the post with the marked spans cut
    out, and its sentences that hold no marked character.
The NonCommercial sets (socc-ctc, ucc-unhealthy-comments) are never read here.
Outputs (deterministic) go to parley/moderation/scoring/model/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import scoring_data as D  # noqa: E402
from linear_training import fit_linear  # noqa: E402

from parley.moderation.scoring.embedding import DEFAULT_HEAD  # noqa: E402
from parley.moderation.scoring.linear import DEFAULT_MODEL  # noqa: E402

LINEAR_PARAMS = {"char_min": 2, "char_max": 5, "min_df": 3, "max_features": 60000, "C": 2.0}
HEAD_C = 0.5
CACHE = HERE.parents[1] / "bench" / "out" / "minilm-embeddings.npz"


def training_examples() -> list[D.Example]:
    variants = D.toxic_spans_variants()
    return (
        D.wiki_talk("train")
        + D.toxic_spans(sentence_negatives=False)
        + variants["masked-post"]
        + variants["clean-sentence"]
    )


def embed_texts(texts: list[str]):  # type: ignore[no-untyped-def]
    """MiniLM embeddings, cached in bench/out/ (git-ignored) by text hash."""
    import numpy as np

    from parley.moderation.scoring.embedding import load_encoder

    keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
    cache: dict[str, np.ndarray] = {}
    if CACHE.exists():
        z = np.load(CACHE)
        cache = dict(zip(z["keys"].tolist(), z["emb"], strict=True))
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in cache}.items())
    if missing:
        print(f"encoding {len(missing)} texts with all-MiniLM-L6-v2 ...", flush=True)
        enc = load_encoder().encode(
            [t for _, t in missing],
            batch_size=64,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        for (k, _), v in zip(missing, enc, strict=True):
            cache[k] = v.astype(np.float32)
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        ks = sorted(cache)
        np.savez(CACHE, keys=np.array(ks), emb=np.stack([cache[k] for k in ks]))
    return np.stack([cache[k] for k in keys]).astype(np.float64)


def write_json(path: Path, data: dict) -> None:  # type: ignore[type-arg]
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(HERE.parents[1])} ({path.stat().st_size / 1e6:.2f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--embeddings", action="store_true", help="also train the MiniLM head")
    args = parser.parse_args()
    D.require_data()
    examples = training_examples()
    texts = [e.text for e in examples]
    labels = [e.label for e in examples]
    counts: dict[str, list[int]] = {}
    for e in examples:
        counts.setdefault(e.source, [0, 0])[e.label] += 1
    print("training examples (source: [non-toxic, toxic]):", counts)

    data = fit_linear(texts, labels, **LINEAR_PARAMS)  # type: ignore[arg-type]
    data["trained_on"] = sorted(counts)
    write_json(DEFAULT_MODEL, data)

    if args.embeddings:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import numpy as np
        from sklearn.linear_model import LogisticRegression

        X = embed_texts(texts)
        clf = LogisticRegression(C=HEAD_C, class_weight="balanced", max_iter=5000)
        clf.fit(X, np.asarray(labels))
        head = {
            "format": "parley-embedding-head/1",
            "encoder": "sentence-transformers/all-MiniLM-L6-v2 (normalised)",
            "dim": int(X.shape[1]),
            "intercept": round(float(clf.intercept_[0]), 6),
            "coef": [round(float(v), 6) for v in clf.coef_.ravel()],
            "trained_on": sorted(counts),
        }
        write_json(DEFAULT_HEAD, head)


if __name__ == "__main__":
    main()
