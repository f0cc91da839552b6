from __future__ import annotations

from django.utils.translation import gettext as _

from parley.core.errors import NotFound
from parley.stories.models import Story


def get_story(story_id: int) -> Story:
    try:  # by primary key: .get() needs no ORDER BY, unlike .first()
        return Story.objects.select_related("community").get(pk=story_id)
    except Story.DoesNotExist:
        raise NotFound("story_not_found", _("There is no such story.")) from None


def get_story_by_url(url: str) -> Story:
    story = Story.objects.select_related("community").filter(url=url).first()
    if story is None:
        raise NotFound("story_not_found", _("There is no story with this URL."))
    return story


def counts_for_urls(urls: list[str]) -> dict[str, int]:
    found = dict(Story.objects.filter(url__in=urls).values_list("url", "comment_count"))
    return {url: found.get(url, 0) for url in urls}
