"""Loaders for the labelled development data under ``../shared/data`` (relative to the repo).

Training uses only sets whose licence allows a shipped model (wiki-talk-cat: CC BY-SA text;
toxic-spans-semeval2021: CC0). The NonCommercial sets (socc-ctc, ucc-unhealthy-comments) are
loaded by :func:`evaluation_sets` for evaluation only.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("PARLEY_SHARED_DATA", REPO.parent / "shared" / "data"))

# Rows of wiki-talk-cat whose bucket is below this are kept out of training and used to report
# the shipped model's quality on Wikipedia Talk text.
WIKI_EVAL_PERCENT = 25


def require_data() -> Path:
    if not DATA.is_dir():
        sys.exit(
            f"Labelled data not found at {DATA}. These scripts expect the shared data folder at "
            "../shared/data relative to the repository (or set PARLEY_SHARED_DATA)."
        )
    return DATA


def _rows(rel: str) -> list[dict[str, str]]:
    path = require_data() / rel
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _bucket(key: str) -> int:
    digest = hashlib.sha256(("parley-scoring-v1|" + key).encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % 100


@dataclass
class Example:
    text: str
    label: int
    source: str
    weight: float = 1.0


def wiki_talk(part: str) -> list[Example]:
    """wiki-talk-cat rows; ``part`` is "train" or "eval" (a fixed hash split of the DEV files)."""
    out: list[Example] = []
    for name in ("gn", "gc"):
        for r in _rows(f"wiki-talk-cat/cat_large_{name}_dev.csv"):
            is_eval = _bucket(r["id"]) < WIKI_EVAL_PERCENT
            if (part == "eval") == is_eval:
                out.append(Example(r["text"], int(r["label"]), f"wiki-{name}"))
    for r in _rows("wiki-talk-cat/cat_small_dev.csv"):
        is_eval = _bucket(r["text"] + "\t" + r["parent_text"]) < WIKI_EVAL_PERCENT
        if (part == "eval") == is_eval:
            out.append(Example(r["text"], int(r["label_oc"]), "wiki-small"))
    return out


_SENT_END = re.compile(r"(?<=[.!?])\s+")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def toxic_spans(sentence_negatives: bool = True) -> list[Example]:
    """toxic-spans posts (all toxic). With ``sentence_negatives``, each post with marked spans
    also yields its sentences that contain no marked character, as (weak) non-toxic examples
    from the same news-comment domain; sentences holding a span become extra positives."""
    out: list[Example] = []
    for rel in ("toxic-spans-semeval2021/tsd_trial.csv", "toxic-spans-semeval2021/tsd_train.csv"):
        for r in _rows(rel):
            text = r["text"]
            out.append(Example(text, 1, "spans-post"))
            if not sentence_negatives:
                continue
            marked = set(ast.literal_eval(r["spans"]))
            if not marked:
                continue
            sents = _sentences(text)
            if len(sents) < 2:
                continue
            for a, b in sents:
                hit = any(i in marked for i in range(a, b))
                sent = text[a:b].strip()
                if len(sent) < 20:
                    continue
                if not hit:
                    out.append(Example(sent, 0, "spans-clean-sentence"))
    return out


def evaluation_sets() -> dict[str, tuple[list[str], dict[str, list[int]]]]:
    """name -> (texts, {label name: 0/1 labels}). NonCommercial sets: evaluation only."""
    sets: dict[str, tuple[list[str], dict[str, list[int]]]] = {}
    ucc = _rows("ucc-unhealthy-comments/ucc_val.csv")
    labels = {
        k: [int(float(r[k])) for r in ucc]
        for k in ("hostile", "antagonize", "condescending", "dismissive", "sarcastic")
    }
    labels["unhealthy"] = [1 - int(float(r["healthy"])) for r in ucc]
    sets["ucc-dev"] = ([r["comment"] for r in ucc], labels)
    socc = _rows("socc-ctc/socc_ctc_dev.csv")
    levels = [int(r["is_toxic_popular_answer_1"]) for r in socc]
    sets["socc-dev"] = (
        [r["comment"] for r in socc],
        {
            "toxic>=2": [int(v >= 2) for v in levels],
            "toxic>=3": [int(v >= 3) for v in levels],
        },
    )
    for name in ("gn", "gc"):
        ex = [e for e in wiki_talk("eval") if e.source == f"wiki-{name}"]
        sets[f"wiki-{name}-eval"] = ([e.text for e in ex], {"toxic": [e.label for e in ex]})
    small = [e for e in wiki_talk("eval") if e.source == "wiki-small"]
    sets["wiki-small-eval"] = ([e.text for e in small], {"toxic": [e.label for e in small]})
    return sets


def toxic_spans_variants() -> dict[str, list[Example]]:
    """Experimental derived examples from toxic-spans posts with marked spans:
    ``span-sentence`` (sentences holding a marked span, positive), ``clean-sentence`` (sentences
    without one, negative), ``masked-post`` (the post with its marked spans cut out, negative)."""
    out: dict[str, list[Example]] = {"span-sentence": [], "clean-sentence": [], "masked-post": []}
    for rel in ("toxic-spans-semeval2021/tsd_trial.csv", "toxic-spans-semeval2021/tsd_train.csv"):
        for r in _rows(rel):
            text = r["text"]
            marked = set(ast.literal_eval(r["spans"]))
            if not marked:
                continue
            masked = "".join(ch for i, ch in enumerate(text) if i not in marked)
            masked = re.sub(r"\s+", " ", masked).strip()
            if len(masked) >= 20:
                out["masked-post"].append(Example(masked, 0, "masked-post"))
            sents = _sentences(text)
            if len(sents) < 2:
                continue
            for a, b in sents:
                sent = text[a:b].strip()
                hit = any(i in marked for i in range(a, b))
                if hit:
                    out["span-sentence"].append(Example(sent, 1, "span-sentence"))
                elif len(sent) >= 20:
                    out["clean-sentence"].append(Example(sent, 0, "clean-sentence"))
    return out


def wiki_talk_api(source: str) -> list[tuple[float, int]]:
    """(stored 2020 Perspective score, label) for the wiki-talk-cat evaluation rows."""
    name = source.removeprefix("wiki-")
    return [
        (float(r["api"]), int(r["label"]))
        for r in _rows(f"wiki-talk-cat/cat_large_{name}_dev.csv")
        if _bucket(r["id"]) < WIKI_EVAL_PERCENT
    ]
