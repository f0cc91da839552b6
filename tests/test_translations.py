"""The French catalogues are complete: no empty or fuzzy translation ships."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "parley" / "locale" / "fr" / "LC_MESSAGES"


def entries(po: Path) -> list[str]:
    return [block for block in po.read_text(encoding="utf-8").split("\n\n") if "msgid" in block]


@pytest.mark.parametrize("name", ["django.po", "djangojs.po"])
def test_catalogue_is_complete(name: str) -> None:
    problems = []
    for block in entries(LOCALE / name)[1:]:  # the first entry is the header
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.M)
        empty = any("".join(re.findall(r'"(.*)"', m)) == "" for m in msgstrs)
        if "#, fuzzy" in block or empty:
            problems.append(block.splitlines()[-1][:80])
    assert not problems, problems


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(lines: str) -> str:
    raw = "".join(re.findall(r'"(.*)"', lines))
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), raw)


@pytest.mark.parametrize("name", ["django", "djangojs"])
def test_compiled_catalogue_matches_its_source(name: str) -> None:
    """A .po edited without running compilemessages would ship stale French."""
    with open(LOCALE / f"{name}.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    checked = 0
    for block in entries(LOCALE / f"{name}.po")[1:]:
        if block.lstrip().startswith("#~") or "msgid_plural" in block or "msgctxt" in block:
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if not match:
            continue
        msgid, msgstr = _unquote(match.group(1)), _unquote(match.group(2))
        assert compiled.gettext(msgid) == msgstr, msgid
        checked += 1
    assert checked > 10
