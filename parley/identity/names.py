# ruff: noqa: RUF002, RUF003 - look-alike characters are this module's subject
"""Plausible personal names for real-name communities.

A real-name community refuses sign-ins whose names are not plausible personal names (handles,
digits, URLs, e-mail addresses, emoji, invisible or bidirectional control characters, stacked
combining marks, mixed-script look-alikes, a single word) with a message that says how to fix
it, while accepting real names from every culture and script.

Pure Python (``unicodedata`` and ``re`` only): no database, no Django models. The messages are
``gettext_lazy`` strings, so importing this module does not need configured settings.

Policies (see the comments where they are applied):

* **Mononyms are refused.** The rule needs a given name *and* a family name; the message says
  both are needed. A field holding only punctuation (``"."`` or ``"-"``, a common dodge) counts
  as missing.
* **One writing system per name.** Inside a word, letters must come from one script, except
  the combinations a script really uses (Japanese Han + Hiragana + Katakana, Korean Hangul +
  Han). Across the whole name (both fields) the same rule applies: ``"Maria 王"`` or
  ``"Ivan Петров"`` are refused. Real names on one identity record are written in one writing
  system; mixing is overwhelmingly spoofing (Latin/Cyrillic/Greek look-alikes) or junk, and the
  fix (write the whole name in one alphabet) is easy to explain.
* **ʻokina and modifier apostrophes are accepted.** U+02BB (Hawaiian ʻokina, Uzbek ``Gʻ``) and
  U+02BC are treated like apostrophes: script-neutral, and allowed only before a letter.
* **Joiners.** ZWNJ is accepted between two letters of an Arabic-script or Indic word (Persian
  ``علی‌رضا``); ZWJ only inside Indic words (conjunct control). Anywhere else they are refused
  like every other invisible character.
* **Styled letters are refused**: full-width, mathematical bold/italic, circled, superscript,
  Arabic presentation forms and the like (any letter whose compatibility decomposition is a
  *styling* one). Plain ``<compat>`` decompositions (Thai ``ำ``, ``ĳ``) are accepted.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parley.core.confusables import LATIN_LOOKALIKES, UPPER_LOOKALIKES

__all__ = [
    "MAX_NAME_LENGTH",
    "NameProblem",
    "bidi_isolate",
    "check_personal_name",
    "display_name",
    "name_skeleton",
    "normalise_name",
]

MAX_NAME_LENGTH = 80

GIVEN = "given_name"
FAMILY = "family_name"


@dataclass(frozen=True)
class NameProblem:
    """One reason a name is refused.

    ``code`` is stable (API clients and tests rely on it); ``field`` is ``"given_name"`` or
    ``"family_name"``; ``message`` is a lazily translated sentence telling the person how to fix
    the name.
    """

    code: str
    field: str
    message: str | Promise


# --- messages -----------------------------------------------------------------------------------

_MESSAGES: dict[str, Promise] = {
    "missing_given_name": _(
        "Enter your given (first) name. This community uses real names, so it needs both a "
        "given name and a family name; punctuation alone does not count. If you have only "
        "one name, please contact the community's moderators."
    ),
    "missing_family_name": _(
        "Enter your family (last) name. This community uses real names, so it needs both a "
        "given name and a family name; punctuation alone does not count. If you have only "
        "one name, please contact the community's moderators."
    ),
    "too_long": _("Shorten this name to 80 characters or fewer."),
    "contains_digits": _(
        "Remove the digits: names can't contain numbers. Write suffixes such as 'III' with letters."
    ),
    "looks_like_email": _("This looks like an e-mail address. Enter your name instead."),
    "looks_like_url": _("This looks like a web address. Enter your name instead."),
    "looks_like_handle": _(
        "This looks like a user name or handle. Enter your real name as it appears on official "
        "documents."
    ),
    "emoji": _("Remove the emoji and other pictographic symbols from your name."),
    "control_characters": _(
        "Remove the invisible or text-direction control characters. They often come along "
        "when a name is copied and pasted; try typing the name in again."
    ),
    "combining_marks": _(
        "Remove the extra accent marks: each letter can carry at most two accents, and an "
        "accent must follow a letter."
    ),
    "mixed_script": _(
        "Write your whole name in one alphabet. It mixes letters from different writing "
        "systems, for example Latin letters with Cyrillic or Greek look-alikes."
    ),
    "styled_characters": _(
        "Use plain letters instead of decorative, full-width or mathematical letter styles."
    ),
    "invalid_punctuation": _(
        "Use hyphens, apostrophes and full stops only next to letters and one at a time, as "
        "in 'Jean-Luc', 'O'Brien' or 'J. Smith'."
    ),
    "invalid_characters": _(
        "Use only letters, spaces, hyphens, apostrophes and full stops in your name."
    ),
}

# --- character classes --------------------------------------------------------------------------

_WHITESPACE_RE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")

ZWNJ = "\u200c"
ZWJ = "\u200d"
_APOSTROPHES = frozenset("'\u2019\u02bc\u02bb")  # ' ’ ʼ ʻ (ʻokina)
_HYPHENS = frozenset("-\u2010\u2011")  # hyphen-minus, hyphen, non-breaking hyphen
_PERIOD = "."
_MIDDLE_DOTS = frozenset("\u00b7\u30fb")  # Catalan l·l, katakana name separator

# Invisible characters that are letters or marks by category, so the category test misses them:
# Hangul fillers (blank "names"), combining grapheme joiner, Khmer inherent vowels, Mongolian
# free variation selectors, variation selectors, Arabic tatweel is handled as styling.
_INVISIBLE = frozenset(
    "\u115f\u1160\u3164\uffa0\u034f\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)
_IVS = range(0xE0100, 0xE01F0)  # ideographic variation selectors: accepted after a Han ideograph
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})

# Compatibility decompositions that only restyle a letter (full-width, mathematical, circled…).
_STYLING_TAGS = frozenset(
    {
        "<font>",
        "<wide>",
        "<narrow>",
        "<circle>",
        "<super>",
        "<sub>",
        "<square>",
        "<fraction>",
        "<small>",
        "<vertical>",
        "<isolated>",
        "<initial>",
        "<medial>",
        "<final>",
    }
)

# Scripts in which ZWNJ / ZWJ legitimately shape a word.
_INDIC_SCRIPTS = frozenset(
    {
        "DEVANAGARI",
        "BENGALI",
        "GURMUKHI",
        "GUJARATI",
        "ORIYA",
        "TAMIL",
        "TELUGU",
        "KANNADA",
        "MALAYALAM",
        "SINHALA",
    }
)
_ZWNJ_SCRIPTS = _INDIC_SCRIPTS | {"ARABIC", "SYRIAC"}

# Script sets that may share one word / one name.
_COMPATIBLE_SCRIPT_SETS = (
    frozenset({"HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"HANGUL", "HAN"}),
)

# First words of character names that are not a script.
_TWO_WORD_SCRIPTS = frozenset(
    {"OLD", "TAI", "NEW", "INSCRIPTIONAL", "CAUCASIAN", "MEETEI", "OL", "SYLOTI", "KAYAH"}
)
_SCRIPT_ALIASES = {
    "CJK": "HAN",
    "IDEOGRAPHIC": "HAN",
    "KATAKANA-HIRAGANA": "KATAKANA",
}

_MAX_MARKS_GENERIC = 2  # accents from the generic combining blocks on one base ("Zalgo" guard)
_MAX_MARKS_TOTAL = 4  # all marks on one base (Indic, Hebrew niqqud, Arabic harakat…)


def _script(ch: str) -> str:
    """The script of a letter or mark, derived from its Unicode name ("" when unknown).

    Combining marks from the generic blocks ("COMBINING …") return "INHERITED".
    """
    name = unicodedata.name(ch, "")
    if not name:
        return ""
    words = name.split()
    if words[0] == "COMBINING":
        return "INHERITED"
    if words[0] in _TWO_WORD_SCRIPTS and len(words) > 1:
        return f"{words[0]} {words[1]}"
    return _SCRIPT_ALIASES.get(words[0], words[0])


def _scripts_compatible(scripts: set[str]) -> bool:
    if len(scripts) <= 1:
        return True
    return any(scripts <= allowed for allowed in _COMPATIBLE_SCRIPT_SETS)


def _is_emoji(ch: str) -> bool:
    if not ch:
        return False
    cp = ord(ch)
    cat = unicodedata.category(ch)
    if cp == 0x20E3 or 0x1F3FB <= cp <= 0x1F3FF:  # keycap, skin tones
        return True
    if cat != "So":
        return False
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2190 <= cp <= 0x21FF
        or 0x2300 <= cp <= 0x23FF
        or 0x2600 <= cp <= 0x27BF
        or 0x2B00 <= cp <= 0x2BFF
        or ch in "\u00a9\u00ae\u2122\u3030\u303d\u3297\u3299"
    )


def _is_letter(ch: str) -> bool:
    return (
        bool(ch)
        and unicodedata.category(ch).startswith("L")
        and ch not in _APOSTROPHES
        and ch not in _INVISIBLE
    )


def _is_mark(ch: str) -> bool:
    return bool(ch) and unicodedata.category(ch).startswith("M")


def _is_styled(ch: str) -> bool:
    decomposition = unicodedata.decomposition(ch)
    if decomposition.startswith("<"):
        return decomposition.split(" ", 1)[0] in _STYLING_TAGS
    return ch == "\u0640"  # Arabic tatweel: elongation, decoration only


# --- public helpers -----------------------------------------------------------------------------


def normalise_name(value: str) -> str:
    """NFC, trim, and collapse runs of whitespace to one ASCII space.

    Forbidden characters (zero-width, bidi controls…) are kept so that they can be refused: a
    name is never silently changed into something the person did not type.
    """
    value = unicodedata.normalize("NFC", value)
    return _WHITESPACE_RE.sub(" ", value).strip(" ")


def display_name(given_name: str, family_name: str) -> str:
    """``"given family"``, normalised. Templates must still bidi-isolate it (``<bdi>``)."""
    return " ".join(p for p in (normalise_name(given_name), normalise_name(family_name)) if p)


def bidi_isolate(text: str) -> str:
    """Wrap text in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE for plain-text contexts."""
    return f"\u2068{text}\u2069"


# --- checking -----------------------------------------------------------------------------------

_EMAIL_RE = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_URL_RE = re.compile(
    r"[a-z][a-z0-9+.\-]*://|\bwww\.|"
    r"[\w\-]{2,}(?:\.[\w\-]+)*\.(?:com|net|org|edu|gov|info|biz|io|co|me|ly|app|dev|xyz|"
    r"online|site|tv|gg|uk|us|ca|au|de|fr|nl|be|ch|at|it|es|pt|ru|cn|jp|kr|in|br|ie|nz|"
    r"se|no|dk|fi|pl|cz|tk|ml|ga|cf|to|ai|club|shop|store|blog|news)\b"
)


def _looks_like_handle(value: str, folded: str) -> bool:
    if "_" in folded or "@" in folded or "#" in folded:
        return True
    for word in value.split(" "):
        # "xXgamerXx", "iPhone": a lower-case letter followed by a capital opens the word.
        if len(word) >= 2 and word[0].islower() and word[1].isupper():
            return True
        # Names have at most two inner capitals ("McDonald", "DeLaCruz"); handles have more.
        transitions = sum(1 for a, b in itertools.pairwise(word) if a.islower() and b.isupper())
        if transitions >= 3:
            return True
    return False


def _joiner_ok(value: str, i: int) -> bool:
    """ZWNJ/ZWJ between two letters (or a mark and a letter) of a script that uses them."""
    if i == 0 or i + 1 >= len(value):
        return False
    prev, nxt = value[i - 1], value[i + 1]
    if not (_is_letter(prev) or _is_mark(prev)) or not _is_letter(nxt):
        return False
    script = _script(prev)
    if script != _script(nxt):
        return False
    allowed = _ZWNJ_SCRIPTS if value[i] == ZWNJ else _INDIC_SCRIPTS
    return script in allowed


class _FieldChecker:
    def __init__(self, raw: str, field: str) -> None:
        self.value = normalise_name(raw)
        self.field = field
        self.codes: list[str] = []
        self.scripts: set[str] = set()

    def add(self, code: str) -> None:
        if code not in self.codes:
            self.codes.append(code)

    def problems(self) -> list[NameProblem]:
        return [NameProblem(code, self.field, _MESSAGES[code]) for code in self.codes]

    def run(self) -> None:
        value = self.value
        missing = "missing_given_name" if self.field == GIVEN else "missing_family_name"
        if not value:
            self.add(missing)
            return
        if len(value) > MAX_NAME_LENGTH:
            self.add("too_long")

        folded = unicodedata.normalize("NFKC", value).casefold()
        pattern_found = True
        if _EMAIL_RE.search(folded):
            self.add("looks_like_email")
        elif _URL_RE.search(folded):
            self.add("looks_like_url")
        elif _looks_like_handle(value, folded):
            self.add("looks_like_handle")
        else:
            pattern_found = False

        self._scan(value, pattern_found)
        if not any(_is_letter(ch) for ch in value):
            # "." or "-" typed to get past the form: say what is missing, not how to punctuate.
            if "invalid_punctuation" in self.codes:
                self.codes.remove("invalid_punctuation")
            self.add(missing)
        self._check_scripts(value)

    def _scan(self, value: str, pattern_found: bool) -> None:
        base: str | None = None  # the letter the following marks sit on
        generic_marks = total_marks = 0
        for i, ch in enumerate(value):
            cat = unicodedata.category(ch)
            prev = value[i - 1] if i else ""
            nxt = value[i + 1] if i + 1 < len(value) else ""

            if _is_mark(ch) and ch not in _INVISIBLE:
                if ord(ch) in _IVS:
                    if base is None or _script(base) != "HAN":
                        self.add("control_characters")
                    continue
                if cat == "Me":
                    self.add("emoji" if _is_emoji(ch) else "combining_marks")
                    continue
                if base is None:
                    self.add("combining_marks")  # an accent with no letter under it
                    continue
                total_marks += 1
                mark_script = _script(ch)
                if mark_script == "INHERITED":
                    generic_marks += 1
                elif mark_script != _script(base):
                    self.add("mixed_script")
                if generic_marks > _MAX_MARKS_GENERIC or total_marks > _MAX_MARKS_TOTAL:
                    self.add("combining_marks")
                continue

            base = None
            generic_marks = total_marks = 0

            if ch == " ":
                continue
            if ch in (ZWNJ, ZWJ) or ch in "\ufe0e\ufe0f":
                if _is_emoji(prev):
                    continue  # part of an emoji sequence, already reported as emoji
                if ch in (ZWNJ, ZWJ) and _joiner_ok(value, i):
                    continue
                self.add("control_characters")
                continue
            if ch in _INVISIBLE or cat in _BAD_CATEGORIES:
                self.add("control_characters")
                continue
            if ch in _APOSTROPHES:
                # O'Brien, d'Arcy, 't Hooft, Kaʻiulani: always directly before a letter.
                if not _is_letter(nxt) or prev in _APOSTROPHES:
                    self.add("invalid_punctuation")
                continue
            if ch in _HYPHENS:
                if not (_is_letter(prev) or _is_mark(prev)) or not _is_letter(nxt):
                    self.add("invalid_punctuation")
                continue
            if ch == _PERIOD:
                # Initials and abbreviations: "J.", "J.R.R.", "Jr."
                if pattern_found:
                    continue
                if not (_is_letter(prev) or _is_mark(prev)) or (
                    nxt not in ("", " ") and not _is_letter(nxt)
                ):
                    self.add("invalid_punctuation")
                continue
            if ch in _MIDDLE_DOTS:
                if not (_is_letter(prev) and _is_letter(nxt)):
                    self.add("invalid_punctuation")
                continue
            if cat.startswith("N"):
                if not pattern_found:
                    self.add("contains_digits")
                continue
            if cat.startswith("L"):
                if _is_styled(ch):
                    self.add("styled_characters")
                    continue
                name = unicodedata.name(ch, "")
                if name.startswith("MODIFIER LETTER"):
                    self.add("invalid_characters")
                    continue
                base = ch
                continue
            if _is_emoji(ch):
                self.add("emoji")
                continue
            if not pattern_found:
                self.add("invalid_characters")

    def _check_scripts(self, value: str) -> None:
        for word in value.split(" "):
            word_scripts = {_script(ch) for ch in word if _is_letter(ch) and not _is_styled(ch)}
            word_scripts.discard("")
            if not _scripts_compatible(word_scripts):
                self.add("mixed_script")
            self.scripts |= word_scripts
        if not _scripts_compatible(self.scripts):
            self.add("mixed_script")


def check_personal_name(given_name: str, family_name: str) -> list[NameProblem]:
    """Every reason the name is refused; an empty list means the name is acceptable.

    At most one problem per code and field. Both fields are normalised first
    (:func:`normalise_name`); callers store the normalised values.
    """
    given = _FieldChecker(given_name, GIVEN)
    family = _FieldChecker(family_name, FAMILY)
    given.run()
    family.run()
    problems = given.problems() + family.problems()
    # Each field may be fine on its own and still mix scripts together ("Maria 王").
    if (
        "mixed_script" not in given.codes
        and "mixed_script" not in family.codes
        and not _scripts_compatible(given.scripts | family.scripts)
    ):
        problems.append(NameProblem("mixed_script", FAMILY, _MESSAGES["mixed_script"]))
    return problems


# --- skeletons ----------------------------------------------------------------------------------

# Letter sequences that read as one letter (TR39: "rn" ~ "m"); capital I ~ lower-case l.
_SEQUENCE_CONFUSABLES = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("i", "l"))


def name_skeleton(given_name: str, family_name: str) -> str:
    """A confusable skeleton of the full name, for impersonation look-ups.

    In the spirit of Unicode TR39 skeletons: look-alike capitals are mapped, then the text is
    case-folded, decomposed (NFKD), stripped of combining marks, Cyrillic/Greek/Armenian and
    other look-alikes are mapped to Latin, and everything that is not a letter (spaces,
    hyphens, apostrophes, full stops, invisible characters) is dropped, so "Mary-Kate O'Neil",
    "Mary Kate ONeil" and "Mаry Kate O'Neil" (Cyrillic а) share one skeleton. Two names with
    the same skeleton look alike; the skeleton is an index key, never shown to anyone.
    """
    text = unicodedata.normalize("NFKD", f"{given_name} {family_name}")
    text = "".join(UPPER_LOOKALIKES.get(ch, ch) for ch in text)
    text = unicodedata.normalize("NFKD", text.casefold())
    out: list[str] = []
    for ch in text:
        if _is_mark(ch):
            continue
        mapped = LATIN_LOOKALIKES.get(ch, ch)
        out.extend(c for c in mapped if c.isalpha())
    skeleton = "".join(out)
    for sequence, replacement in _SEQUENCE_CONFUSABLES:
        skeleton = skeleton.replace(sequence, replacement)
    return skeleton
