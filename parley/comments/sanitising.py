"""Comment bodies: plain text or a small HTML subset in, sanitised HTML out, once, on write.

Paragraph and line-break structure is built *before* the sanitiser, and nothing runs after
it: the stored HTML is exactly what nh3 (the Ammonia sanitiser) produced.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "em", "strong", "i", "b", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def _structure(text: str) -> str:
    """Blank lines become paragraphs, single newlines line breaks. Plain text is escaped first;
    text with markup keeps it for the sanitiser to judge."""
    has_markup = bool(_TAG.search(text))
    paragraphs = [part.strip() for part in _BLANK_LINES.split(text) if part.strip()]
    rendered = []
    for part in paragraphs:
        inner = part if has_markup else html.escape(part, quote=False)
        rendered.append("<p>" + inner.replace("\n", "<br>") + "</p>")
    return "".join(rendered)


def sanitise_body(text: str) -> str:
    return nh3.clean(
        _structure(text.replace("\r\n", "\n").replace("\r", "\n")),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def visible_text(sanitised_html: str) -> str:
    """The text a reader would see, to refuse comments that are empty once sanitised."""
    return html.unescape(nh3.clean(sanitised_html, tags=set())).strip()
