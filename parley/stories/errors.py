from parley.core.errors import ParleyError


class StoryError(ParleyError):
    URL_TAKEN = "story_url_taken"
    INVALID_SCHEDULE = "invalid_schedule"
    INVALID_MODERATION = "invalid_moderation_mode"
