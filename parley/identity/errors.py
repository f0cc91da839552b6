from __future__ import annotations

from parley.core.errors import NotAuthenticated, ParleyError


class SsoError(NotAuthenticated):
    TOKEN_INVALID = "token_invalid"
    TOKEN_EXPIRED = "token_expired"
    TOKEN_NOT_YET_VALID = "token_not_yet_valid"
    TOKEN_TOO_LARGE = "token_too_large"
    ALGORITHM_NOT_ALLOWED = "algorithm_not_allowed"
    CLAIMS_MISSING = "claims_missing"


class IdentityError(ParleyError):
    NAME_NOT_PLAUSIBLE = "name_not_plausible"
    YOUTH_ONLY = "youth_account_in_real_name_community"
    COMMUNITY_NAME_INVALID = "community_name_invalid"
    ACCOUNT_ERASED = "account_erased"
    API_KEY_INVALID = "api_key_invalid"
