"""Per-community word lists: banned terms (reject) and suspect terms (flag for review).

Matching sees through case, accents, look-alike characters (Cyrillic, Greek, Armenian,
full-width, mathematical and "small capital" letters), zero-width characters, leetspeak,
repeated letters, and punctuation or spacing inserted between letters, without flagging
innocent words that merely contain a listed one (the "Scunthorpe problem").

Pure Python, no database: build a :class:`WordListMatcher` from a community's two lists (cache
it per community) and call :meth:`WordListMatcher.find` or :meth:`WordListMatcher.verdict`.

How text is read
----------------
1. **Skeleton.** Every character of the text is case-folded, decomposed (NFKD), stripped of
   accents (combining marks; Indic nukta and virama are kept because they change the letter),
   and look-alikes are mapped to the Latin letter they imitate. Zero-width and other invisible
   characters are dropped. Each skeleton character remembers the span of the original
   character(s) it came from, so matches are reported as spans of the *original* text.
2. **Leetspeak is ambiguous**, so a digit or symbol keeps every reading: ``1`` reads as
   ``i``, ``l`` or the digit itself, ``!`` as ``i``, ``l`` or nothing (so ``"what!"`` is still
   ``what``), ``@`` as ``a``, ``$`` as ``s``, and so on. Matching tries all readings at once.
3. **Pieces.** The skeleton is cut into *pieces*: runs of letters, digits and leet symbols.
   Other punctuation and whitespace separate pieces.
4. **Word boundaries.** A single-word term matches only a whole piece, or whole consecutive
   pieces joined as described below, never a part of a piece: ``ass`` does not match
   ``assassin``, ``classic`` or ``grass``, and ``cunt`` does not match ``Scunthorpe``.
5. **Inserted punctuation** (no whitespace) joins pieces: ``f.u.c.k``, ``f-u-c-k``,
   ``fu.ck`` and ``fu_ck`` read as ``fuck``. The match must still start and end at piece
   boundaries, so ``of.uck`` is not ``fuck``.
6. **Inserted spacing** joins pieces only when *both* neighbours are a single character:
   ``f u c k`` and ``f. u. c. k.`` read as ``fuck``, but ``of uck``, ``f uck`` or ``fu ck``
   do not (joining longer pieces across spaces would bridge real words). Inside such a run of
   single letters any letter may start or end a match (``I f u c k`` matches, and so does the
   ``a s s`` in ``a s s h o l e``).
7. **Repeated letters** in the text are absorbed: ``fuuuck`` and ``fuckkk`` match ``fuck``.
   A doubled letter in a term must appear at least twice: ``ass`` matches ``asss`` but not
   ``as``.
8. **Multi-word terms** (``kill yourself``) match consecutive words separated by any spacing
   or punctuation, and also written as one word (``killyourself``, ``k i l l y o u r s e l f``).

Term syntax
-----------
* Terms go through the same skeleton, so ``Fück`` and ``FUCK`` are the same term. Digits in a
  term are literal (a list may ban ``1488``); leet symbols in a term read as their letter
  (``a$$`` is ``ass``).
* Regular English plurals are matched automatically (``idiot`` matches ``idiots``,
  ``bitch`` matches ``bitches``).
* ``*`` at the end (``fuck*``) also matches words that start with the term (``fucking``);
  at the start (``*fuck``) words that end with it (``motherfuck``); at both ends anywhere
  inside a word. Use wildcards sparingly: they bring the Scunthorpe problem back.
* Terms written only in scripts that do not separate words with spaces (Chinese, Japanese,
  Thai, Lao, Khmer, Myanmar) match anywhere, as if written ``*term*``.

Not handled, knowingly: self-censored forms with ``*`` (``f*ck`` — the writer already masked
the word), letters split unevenly across spaces (``f uck``), phonetic spellings (``phuck``),
multi-character look-alikes (``|<`` for ``k``, ``\\/`` for ``v``), and Cyrillic or Greek
letters that only resemble a Latin letter loosely.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from parley.core.confusables import LATIN_LOOKALIKES

__all__ = ["Kind", "WordListMatcher", "WordMatch"]

Kind = Literal["banned", "suspect"]


@dataclass(frozen=True)
class WordMatch:
    """One listed term found in a text; ``start:end`` is the span in the original text."""

    term: str
    kind: Kind
    start: int
    end: int


# --- character tables ---------------------------------------------------------------------------

# Look-alikes of Latin letters, applied after case folding and NFKD (so capitals, full-width and
# mathematical letters are already plain lower-case).
_CONFUSABLES = LATIN_LOOKALIKES

# Leetspeak. Digits may also be meant literally; symbols may also be plain punctuation.
_LEET_DIGITS: dict[str, str] = {
    "0": "o", "1": "il", "2": "z", "3": "e", "4": "a", "5": "s", "6": "gb", "7": "t", "8": "b",
    "9": "g",
}  # fmt: skip
_LEET_SYMBOLS: dict[str, str] = {
    "@": "a", "$": "s", "!": "il", "|": "li", "+": "t", "\u20ac": "e", "\u00a1": "i",
}  # fmt: skip

# Invisible characters that are not format characters (Cf is dropped wholesale).
_IGNORABLE = frozenset(
    "\u034f\u115f\u1160\u3164\uffa0\u17b4\u17b5\u180b\u180c\u180d\u180f"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)
_KEPT_MARK_CLASSES = frozenset({0, 7, 9})  # spacing vowel signs, nukta, virama

# Scripts written without spaces between words: terms in them match inside words.
_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")

_LETTER, _DIGIT, _LEET, _PUNCT, _SPACE = range(5)
_SEP = " "  # trie edge between the words of a multi-word term


def _strippable_mark(ch: str) -> bool:
    cat = unicodedata.category(ch)
    if cat == "Me":
        return True
    return cat == "Mn" and unicodedata.combining(ch) not in _KEPT_MARK_CLASSES


class _Skeleton:
    """The skeleton of a text, one entry per skeleton character, as parallel lists.

    ``cls`` is the character class, ``alts`` its possible readings, and ``start:end`` the span
    of the original text it came from.
    """

    __slots__ = ("alts", "cls", "end", "start")

    def __init__(self, text: str) -> None:
        self.cls: list[int] = []
        self.alts: list[tuple[str, ...]] = []
        self.start: list[int] = []
        self.end: list[int] = []
        cls, alts, start, end = self.cls, self.alts, self.start, self.end
        for i, original in enumerate(text):
            folded = _fold(original)
            if folded:
                for kind, readings in folded:
                    cls.append(kind)
                    alts.append(readings)
                    start.append(i)
                    end.append(i + 1)
            elif end and end[-1] == i:
                # An accent typed as a separate character (NFD text) or an invisible
                # character: it belongs to the span of the character before it.
                end[-1] = i + 1

    def __len__(self) -> int:
        return len(self.cls)


def _classify(ch: str) -> tuple[int, tuple[str, ...]]:
    if ch in _LEET_SYMBOLS:
        return _LEET, (*_LEET_SYMBOLS[ch], "")
    if ch.isspace():
        return _SPACE, ()
    decimal = unicodedata.decimal(ch, None)
    if decimal is not None:
        digit = str(decimal)
        return _DIGIT, (*_LEET_DIGITS[digit], digit)
    cp = ord(ch)
    if 0x1F1E6 <= cp <= 0x1F1FF:  # regional indicator letters
        return _LETTER, (chr(cp - 0x1F1E6 + ord("a")),)
    if ch.isalpha() or unicodedata.category(ch).startswith("M"):
        return _LETTER, (ch,)
    return _PUNCT, ()


@functools.lru_cache(maxsize=8192)
def _fold(original: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """The skeleton characters (class, readings) one original character becomes."""
    if original in _IGNORABLE or unicodedata.category(original) == "Cf":
        return ()
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", original).casefold())
    out: list[tuple[int, tuple[str, ...]]] = []
    for ch in folded:
        if _strippable_mark(ch) or ch in _IGNORABLE:
            continue
        out.extend(_classify(mapped) for mapped in _CONFUSABLES.get(ch, ch))
    return tuple(out)


# --- the term trie ------------------------------------------------------------------------------


class _Node:
    __slots__ = ("children", "end_terms", "free_end_terms")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.end_terms: list[tuple[str, Kind]] = []  # must end at a piece boundary
        self.free_end_terms: list[tuple[str, Kind]] = []  # "term*": may end anywhere

    def insert(self, path: str, term: tuple[str, Kind], free_end: bool) -> None:
        node = self
        for ch in path:
            node = node.children.setdefault(ch, _Node())
        target = node.free_end_terms if free_end else node.end_terms
        if term not in target:
            target.append(term)


def _plural_forms(word: str) -> list[str]:
    if not word[-1:].isalpha():
        return []
    forms = [word + "s"]
    if word.endswith(("s", "x", "z", "ch", "sh")):
        forms.append(word + "es")
    return forms


def _term_words(term: str) -> tuple[list[str], bool]:
    """The skeleton words of a term, and whether it is written in an unspaced script."""
    words: list[str] = []
    current: list[str] = []
    unspaced = False
    skeleton = _Skeleton(term)
    for unit_cls, alts in zip(skeleton.cls, skeleton.alts, strict=True):
        if unit_cls == _SPACE:
            if current:
                words.append("".join(current))
                current = []
        elif unit_cls == _LETTER:
            ch = alts[0]
            if unicodedata.name(ch, "").startswith(_UNSPACED_SCRIPTS):
                unspaced = True
            current.append(ch)
        elif unit_cls == _DIGIT:
            current.append(alts[-1])  # digits in a term are literal
        elif unit_cls == _LEET:
            current.append(alts[0])
        # other punctuation inside a term is dropped, as inserted punctuation is in text
    if current:
        words.append("".join(current))
    return words, unspaced


# --- matching -----------------------------------------------------------------------------------

_Reporter = Callable[[list[tuple[str, Kind]], int, int], None]


class WordListMatcher:
    """Finds a community's banned and suspect terms in texts. Build once, use many times.

    A term present in both lists is treated as banned.
    """

    def __init__(self, banned: Iterable[str], suspect: Iterable[str]) -> None:
        self._anchored = _Node()  # terms that start at a word boundary
        self._free = _Node()  # "*term": may start inside a word
        banned_terms = [t.strip() for t in banned if t and t.strip()]
        banned_set = set(banned_terms)
        suspect_terms = [
            t.strip() for t in suspect if t and t.strip() and t.strip() not in banned_set
        ]
        for term in banned_terms:
            self._add(term, "banned")
        for term in suspect_terms:
            self._add(term, "suspect")
        self._empty = not self._anchored.children and not self._free.children

    def _add(self, term: str, kind: Kind) -> None:
        body = term.strip("*").strip()
        free_start = term.startswith("*")
        free_end = term.endswith("*")
        words, unspaced = _term_words(body)
        if not words:
            return
        if unspaced:
            free_start = free_end = True
        paths = {_SEP.join(words)}
        if len(words) > 1:
            paths.add("".join(words))
        if not free_end:
            for path in list(paths):
                paths.update(_plural_forms(path))
        root = self._free if free_start else self._anchored
        for path in paths:
            root.insert(path, (term, kind), free_end)

    def find(self, text: str) -> list[WordMatch]:
        """Every listed term in ``text``, ordered by position (overlaps are all reported)."""
        if self._empty or not text:
            return []
        units = _Skeleton(text)
        found: set[tuple[int, int, str, Kind]] = set()

        def report(terms: list[tuple[str, Kind]], first: int, last: int) -> None:
            for term, kind in terms:
                found.add((units.start[first], units.end[last], term, kind))

        self._scan(units, _pieces(units), report)
        # The same term read two ways ("cunt" and "cunt's" read as a plural): keep the widest.
        matches: list[WordMatch] = []
        widest_end: dict[tuple[str, Kind], int] = {}
        for start, end, term, kind in sorted(found, key=lambda f: (f[0], -f[1], f[2], f[3])):
            if widest_end.get((term, kind), -1) >= end:
                continue
            widest_end[(term, kind)] = end
            matches.append(WordMatch(term=term, kind=kind, start=start, end=end))
        return matches

    def verdict(self, text: str) -> Kind | None:
        """``"banned"`` if any banned term is present, else ``"suspect"`` if any suspect term is,
        else ``None``."""
        kinds = {match.kind for match in self.find(text)}
        if "banned" in kinds:
            return "banned"
        if "suspect" in kinds:
            return "suspect"
        return None

    def _scan(
        self, units: _Skeleton, pieces: list[tuple[int, int, bool]], report: _Reporter
    ) -> None:
        """Run both tries over the text in one left-to-right pass, as an NFA over all readings.

        A state is a trie node plus the last letter read (for absorbing repeats); it carries
        the first and last skeleton positions read. Walks that reach the same state at the
        same position behave identically from there on, so they are merged, keeping the
        earliest start (the widest match). That keeps the pass linear in the text length
        even for inputs such as ``"s s s s …"`` or ``"llll…"``.
        """
        anchored = self._anchored if self._anchored.children else None
        free = self._free if self._free.children else None
        alts_of = units.alts
        carried: dict[tuple[_Node, str], tuple[int, int]] = {}
        for first_unit, end_unit, joined in pieces:
            # Crossing into this piece: join it to the previous word, or take a word break.
            states: dict[tuple[_Node, str], tuple[int, int]] = {}
            for (node, last), span in carried.items():
                if joined:
                    _keep(states, (node, last), span)
                sep = node.children.get(_SEP)
                if sep is not None:
                    _keep(states, (sep, ""), span)
            if anchored is not None:
                _keep(states, (anchored, ""), (-1, -1))
            for k in range(first_unit, end_unit):
                if free is not None:
                    _keep(states, (free, ""), (-1, -1))
                advanced: dict[tuple[_Node, str], tuple[int, int]] = {}
                for (node, last), (first_read, last_read) in states.items():
                    for alt in alts_of[k]:
                        if not alt:  # a leet symbol read as punctuation
                            _keep(advanced, (node, last), (first_read, last_read))
                            continue
                        first = first_read if first_read >= 0 else k
                        child = node.children.get(alt)
                        if child is not None:
                            _keep(advanced, (child, alt), (first, k))
                            if child.free_end_terms:
                                report(child.free_end_terms, first, k)
                        if alt == last:  # a repeated letter: "fuuuck"
                            _keep(advanced, (node, last), (first, k))
                states = advanced
            # A piece boundary: whole-word terms may end here.
            carried = {}
            for key, span in states.items():
                if span[0] < 0:
                    continue  # nothing read yet
                if key[0].end_terms:
                    report(key[0].end_terms, span[0], span[1])
                carried[key] = span


def _keep(
    states: dict[tuple[_Node, str], tuple[int, int]],
    key: tuple[_Node, str],
    span: tuple[int, int],
) -> None:
    """Add a state, merging with an existing one: earliest start, then latest end."""
    current = states.get(key)
    if current is None or span[0] < current[0] or (span[0] == current[0] and span[1] > current[1]):
        states[key] = span


def _pieces(units: _Skeleton) -> list[tuple[int, int, bool]]:
    """Runs of letters, digits and leet symbols: ``(first unit, end unit, joined)``.

    ``joined`` says whether the piece continues the previous one as the same word: only
    punctuation between them (``f.u.c.k``), or both are single characters (``f u c k``).
    """
    pieces: list[tuple[int, int, bool]] = []
    start = -1
    space_in_gap = False  # whitespace seen since the previous piece ended
    space_before = False  # ... as it was when the current piece started

    def close(end: int) -> None:
        joined = False
        if pieces:
            prev_first, prev_end, _ = pieces[-1]
            single_pair = prev_end - prev_first == 1 and end - start == 1
            joined = not space_before or single_pair
        pieces.append((start, end, joined))

    for k, unit_cls in enumerate(units.cls):
        if unit_cls <= _LEET:  # letter, digit or leet symbol
            if start < 0:
                start = k
                space_before = space_in_gap
            continue
        if start >= 0:
            close(k)
            start = -1
            space_in_gap = False
        if unit_cls == _SPACE:
            space_in_gap = True
    if start >= 0:
        close(len(units))
    return pieces
