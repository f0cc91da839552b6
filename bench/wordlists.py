"""Throughput of the word-list matcher (parley.moderation.wordlists).

Builds a matcher from a few thousand synthetic terms (plus some multi-word and wildcard
ones), then scans comment-sized texts (up to 5,000 characters) seeded with obfuscated hits,
and reports texts per second.

    python bench/wordlists.py [--terms 5000] [--texts 300] [--chars 5000] [--wildcards]
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parley.moderation.wordlists import WordListMatcher

VOCABULARY = (  # noqa: SIM905 - a readable word list
    "the a of and to in is that it for on was with as he she they be at by this have from or "
    "one had not but what all were when we there can an your which their said if do will each "
    "about how up out them then many some so these would other into has more her two like him "
    "see time could no make than first been its who now people my made over did down only way "
    "find use may water long little very after words called just where most know classic "
    "Essex therapist cockpit Scunthorpe assassin passing grassland cocktail sextant council "
    "government election minister newspaper article comment reader editor community"
).split()


def _term(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9)))


def _obfuscate(word: str, rng: random.Random) -> str:
    style = rng.randrange(5)
    if style == 0:
        return ".".join(word)
    if style == 1:
        return " ".join(word)
    if style == 2:
        return word.upper().replace("A", "4").replace("E", "3").replace("O", "0")
    if style == 3:
        return word[0] + word[1] * 3 + word[2:]
    return word.replace("o", "\u043e").replace("a", "\u0430")  # Cyrillic look-alikes


def _text(rng: random.Random, chars: int, terms: list[str]) -> str:
    words: list[str] = []
    size = 0
    while size < chars:
        if rng.random() < 0.01:
            word = _obfuscate(rng.choice(terms), rng)
        else:
            word = rng.choice(VOCABULARY)
            if rng.random() < 0.08:
                word += rng.choice(".,!?")
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:chars]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=5000)
    parser.add_argument("--texts", type=int, default=300)
    parser.add_argument("--chars", type=int, default=5000)
    parser.add_argument("--wildcards", action="store_true", help="add 100 '*term*' terms")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    banned = [_term(rng) for _ in range(args.terms // 2)]
    suspect = [_term(rng) for _ in range(args.terms - len(banned))]
    banned += ["kill yourself", "go die", "fuck", "cunt"]
    suspect += ["ass", "sex", "idiot"]
    if args.wildcards:
        banned += [f"*{_term(rng)}*" for _ in range(100)]

    started = time.perf_counter()
    matcher = WordListMatcher(banned=banned, suspect=suspect)
    build_s = time.perf_counter() - started

    texts = [_text(rng, args.chars, banned[:50] + suspect[:50]) for _ in range(args.texts)]
    timings: list[float] = []
    hits = 0
    for text in texts:
        t0 = time.perf_counter()
        hits += len(matcher.find(text))
        timings.append(time.perf_counter() - t0)
    total = sum(timings)

    print(f"terms: {len(banned) + len(suspect)}  build: {build_s * 1000:.1f} ms")
    print(f"texts: {len(texts)} x {args.chars} chars  matches: {hits}")
    print(
        f"throughput: {len(texts) / total:.1f} texts/s  "
        f"median: {statistics.median(timings) * 1000:.2f} ms  "
        f"max: {max(timings) * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
