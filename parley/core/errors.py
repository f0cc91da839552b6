"""Domain errors with stable codes, turned into RFC 9457 problem+json by the API and the widget.

Each app subclasses `ParleyError` and lists its codes, e.g. `CommentError.STORY_CLOSED`; the
code is what clients match on, the message is for people and is translated.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class ParleyError(Exception):
    """A refused request: nothing was written."""

    status: int = 400
    default_code: str = "invalid"

    def __init__(
        self,
        code: str | None = None,
        message: str | Promise = "",
        *,
        status: int | None = None,
        errors: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.code = code or self.default_code
        self.message = str(message)
        if status is not None:
            self.status = status
        self.errors = errors or {}
        self.extra = extra or {}
        super().__init__(f"{self.code}: {self.message}")


class NotFound(ParleyError):
    status = 404
    default_code = "not_found"


class PermissionDenied(ParleyError):
    status = 403
    default_code = "forbidden"


class NotAuthenticated(ParleyError):
    status = 401
    default_code = "not_authenticated"


class Conflict(ParleyError):
    status = 409
    default_code = "conflict"


class RateLimited(ParleyError):
    status = 429
    default_code = "rate_limited"
