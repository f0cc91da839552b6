# ruff: noqa: RUF002 - look-alike characters are this module's subject
"""Look-alikes of Latin letters, shared by the name skeleton (identity), word-list matching
(moderation) and text normalisation for campaign detection, so that all three fold the same
characters the same way. Plain Python: no Django, so the campaign engine can use it anywhere.

Keys are lower-case (or caseless) characters as they are after case folding and NFKD;
values are their Latin reading. Capitals that only look Latin as capitals are in
``UPPER_LOOKALIKES`` (Cyrillic Н reads as H, while н reads as a small-capital H).
"""

from __future__ import annotations

UPPER_LOOKALIKES: dict[str, str] = {
    "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0396": "Z", "\u0397": "H", "\u0399": "I",
    "\u039a": "K", "\u039c": "M", "\u039d": "N", "\u039f": "O", "\u03a1": "P", "\u03a4": "T",
    "\u03a5": "Y", "\u03a7": "X", "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K",
    "\u041c": "M", "\u041d": "H", "\u041e": "O", "\u0420": "P", "\u0421": "C", "\u0422": "T",
    "\u0423": "Y", "\u0425": "X", "\u0405": "S", "\u0406": "I", "\u0408": "J", "\u04ae": "Y",
    "\u04c0": "l", "\u0500": "D", "\u051a": "Q", "\u051c": "W", "\u04ba": "H", "\u0555": "O",
    "\u054d": "U", "\u054f": "S", "\u053c": "L",
}  # fmt: skip

LATIN_LOOKALIKES: dict[str, str] = {
    # Cyrillic
    "\u0430": "a", "\u0431": "b", "\u0432": "b", "\u0433": "r", "\u0435": "e", "\u043a": "k",
    "\u043c": "m", "\u043d": "h", "\u043e": "o", "\u043f": "n", "\u0440": "p", "\u0441": "c",
    "\u0442": "t", "\u0443": "y", "\u0445": "x", "\u044c": "b", "\u0455": "s", "\u0456": "i",
    "\u0458": "j", "\u04bb": "h", "\u04cf": "l", "\u04c0": "l", "\u0501": "d", "\u051b": "q",
    "\u051d": "w", "\u04af": "y", "\u04ab": "c", "\u0451": "e", "\u0457": "i",
    # Greek
    "\u03b1": "a", "\u03b2": "b", "\u03b3": "y", "\u03b5": "e", "\u03b7": "n", "\u03b9": "i",
    "\u03ba": "k", "\u03bc": "u", "\u03bd": "v", "\u03bf": "o", "\u03c1": "p", "\u03c4": "t",
    "\u03c5": "u", "\u03c7": "x", "\u03c9": "w", "\u03f2": "c", "\u03f3": "j", "\u03c2": "s",
    "\u03c3": "o",
    # Armenian
    "\u0585": "o", "\u057d": "u", "\u0578": "n", "\u0570": "h", "\u0581": "g", "\u0566": "q",
    # Small capitals and IPA letters used by "fancy text" generators
    "\u1d00": "a", "\u0299": "b", "\u1d04": "c", "\u1d05": "d", "\u1d07": "e", "\ua730": "f",
    "\u0262": "g", "\u029c": "h", "\u026a": "i", "\u1d0a": "j", "\u1d0b": "k", "\u029f": "l",
    "\u1d0d": "m", "\u0274": "n", "\u1d0f": "o", "\u1d18": "p", "\u0280": "r", "\ua731": "s",
    "\u1d1b": "t", "\u1d1c": "u", "\u1d20": "v", "\u1d21": "w", "\u028f": "y", "\u1d22": "z",
    # Cherokee
    "\uab83": "w",
    # Latin letters and symbols without a useful decomposition
    "\u0131": "i", "\u0142": "l", "\u00f8": "o", "\u0111": "d", "\u0127": "h", "\u0167": "t",
    "\u00e6": "ae", "\u0153": "oe", "\u00fe": "th", "\u00f0": "d", "\u014b": "n", "\u0251": "a",
    "\u0261": "g", "\u0192": "f", "\u0268": "i", "\u0180": "b", "\u0188": "c", "\u00a2": "c",
    "\u0284": "f", "\u0237": "j", "\u0269": "i", "\u00df": "ss",
}  # fmt: skip
