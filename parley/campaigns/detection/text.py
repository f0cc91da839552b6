"""Text normalisation and cheap text features.

Normalisation is what makes evasion cheap to undo: length cap, NFKC, removal of invisible
characters (zero-width spaces, joiners, bidi controls, variation selectors, tag characters),
case folding, folding of look-alike letters from Cyrillic/Greek/IPA to Latin, removal of
diacritics, collapsing of long letter runs and of punctuation/whitespace.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

from parley.core.confusables import LATIN_LOOKALIKES

MAX_CHARS = 10_000
"""Comments are cut to this many characters before any work (an 'enormous' comment costs the
same as a long normal one)."""

_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff\U0001d173-\U0001d17a]"
)

# Look-alike letters (after casefold) that NFKC leaves alone, read as Latin.
_CONFUSABLE_TABLE = str.maketrans(LATIN_LOOKALIKES)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_LONG_RUN = re.compile(r"(.)\1{2,}")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?\n])\s+|\n+")
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
# Quotes of another comment in reply markup: "(In reply to: ... -- Name)", "> ..." lines,
# [quote]...[/quote] and <blockquote>...</blockquote>.
_REPLY_QUOTE = re.compile(
    r"\(\s*in reply to\s*:.*?\)(?=\s|$)|^\s*>.*?$|\[quote[^\]]*\].*?\[/quote\]"
    r"|<blockquote>.*?</blockquote>",
    re.IGNORECASE | re.DOTALL | re.MULTILINE,
)

# Function words and the vocabulary of stock reactions ("well said", "great article"): tokens
# that carry no talking point. Used to measure how informative a text is and to weight the
# hashed bag of words.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    im ive id dont doesnt didnt isnt arent wasnt cant wont its thats theres youre theyre were
    also even still yet ever much many well said good great article piece column agree agreed
    thank thanks thankyou yes yeah yep no nope totally completely exactly absolutely really
    lol haha wow nice excellent spot right true truth point points love like best bravo
    amen indeed one get got go going make made say says think thought people would will just
    couldn didn doesn isn aren wasn weren won wouldn shouldn haven hasn hadn don ll ve re
    couldnt more said read reading written write writing work job author sir madam op ed
    """.split()  # noqa: SIM905
)


@dataclass(frozen=True, slots=True)
class NormalisedText:
    """A comment's normalised form and its derived counts."""

    text: str
    """Folded text: lower-case ASCII-ish letters/digits separated by single spaces."""
    tokens: tuple[str, ...]
    content_tokens: int
    """Number of tokens that are not function words or stock-reaction vocabulary."""


def normalise(text: str | None, *, max_chars: int = MAX_CHARS) -> str:
    """Fold ``text`` to a canonical form for matching; never raises on odd input."""
    if not text:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = text[:max_chars]
    text = _URL.sub(" url ", text)
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = text.casefold()
    if not text.isascii():
        text = text.translate(_CONFUSABLE_TABLE)
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
        text = text.translate(_CONFUSABLE_TABLE)
    text = _LONG_RUN.sub(r"\1\1", text)
    text = _NON_WORD.sub(" ", text).strip()
    return text


def analyse(text: str | None, *, max_chars: int = MAX_CHARS) -> NormalisedText:
    norm = normalise(text, max_chars=max_chars)
    tokens = tuple(norm.split())
    content = sum(1 for t in tokens if t not in STOPWORDS and len(t) > 2)
    return NormalisedText(norm, tokens, content)


def sentences(text: str, *, max_chars: int = MAX_CHARS) -> list[str]:
    """Split raw text into sentences (cheap, punctuation based)."""
    return [s for s in _SENTENCE_SPLIT.split(text[:max_chars]) if s.strip()]


_MULT = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def shingle_hashes(norm: str, k: int = 5) -> np.ndarray:
    """Sorted unique 32-bit hashes of the character ``k``-grams of a normalised text.

    Vectorised polynomial hash over code points; deterministic across processes.
    """
    if not norm:
        return np.empty(0, dtype=np.uint64)
    if len(norm) < k:
        return np.array([zlib.crc32(norm.encode())], dtype=np.uint64)
    cps = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cps) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        h = h * _MULT + cps[j : j + n]
    h = h * _MIX
    h ^= h >> np.uint64(31)
    return np.unique(h >> np.uint64(32))


def strip_reply_quotes(text: str) -> str:
    """Remove quoted parent comments marked up as replies."""
    if "reply to" not in text.lower() and ">" not in text and "quote]" not in text.lower():
        return text
    return _REPLY_QUOTE.sub(" ", text[:MAX_CHARS])


def strip_quoted(text: str, story_shingles: np.ndarray | None, *, share: float = 0.5) -> str:
    """Drop reply-quote markup and the sentences of ``text`` that mostly quote a known source
    (the story, or the parent comment), given as shingle hashes.

    Returns the raw text that is left (possibly empty).
    """
    text = strip_reply_quotes(text)
    if story_shingles is None or story_shingles.size == 0:
        return text
    kept: list[str] = []
    for sentence in sentences(text):
        sh = shingle_hashes(normalise(sentence))
        if sh.size and np.isin(sh, story_shingles, assume_unique=True).mean() >= share:
            continue
        kept.append(sentence)
    return " ".join(kept)


def text_key(norm: str) -> int:
    """Stable 32-bit key of a normalised text (exact-duplicate index)."""
    return zlib.crc32(norm.encode())
