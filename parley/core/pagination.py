"""Cursor pagination shared by every list: opaque cursors over (time, id), and the page-size
limit. Cursors cost the same at any depth, unlike offsets."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from parley.core.errors import ParleyError


def encode_cursor(moment: datetime, pk: int) -> str:
    raw = f"{moment.isoformat()}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, pk = raw.rsplit("|", 1)
        parsed = datetime.fromisoformat(moment)
        if parsed.tzinfo is None:
            raise ValueError("naive")
        return parsed, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ParleyError(
            "invalid_cursor", _("The cursor is not valid; start again without it.")
        ) from None


def check_page_size(limit: int) -> None:
    maximum = settings.PARLEY_LIMITS["page_size_max"]
    if not 1 <= limit <= maximum:
        raise ParleyError(
            "invalid_limit",
            _("limit must be between 1 and %(max)d.") % {"max": maximum},
            errors={"limit": [_("Out of range.")]},
        )
