from parley.core.errors import ParleyError


class CommentError(ParleyError):
    BODY_EMPTY = "body_empty"
    BODY_TOO_LONG = "body_too_long"
    TERMS_NOT_ACCEPTED = "terms_not_accepted"
    STORY_CLOSED = "story_closed"
    PARENT_NOT_FOUND = "parent_not_found"
    PARENT_OTHER_STORY = "parent_in_other_story"
    PARENT_NOT_PUBLIC = "parent_not_public"
    TOO_DEEP = "reply_too_deep"
    NOT_AUTHOR = "not_author"
    EDIT_WINDOW_CLOSED = "edit_window_closed"
    NOT_EDITABLE = "not_editable"
    ALREADY_WITHDRAWN = "already_withdrawn"
    OWN_COMMENT = "own_comment"
    ALREADY_REPORTED = "already_reported"
    REASON_REQUIRED = "reason_required"
    UNKNOWN_RULE = "unknown_rule"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    ACCOUNT_SUSPENDED = "account_suspended"
    ACCOUNT_BANNED = "account_banned"
