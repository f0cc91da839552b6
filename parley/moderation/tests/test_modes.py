"""Issue rule 1: post- and pre-moderation per community and per story, and per user as a
sanction; youth communities pre-moderate by default. (Intake already enforces these; these
tests pin the behaviour the moderation queues rely on.)"""

from __future__ import annotations

import pytest

from conftest import Cast
from parley.comments.models import CommentStatus
from parley.communities.actions import create_community
from parley.communities.models import IdentityMode, ModerationMode
from parley.core.actors import SYSTEM
from parley.moderation.actions import apply_sanction
from parley.moderation.tests.conftest import comment_on
from parley.stories.actions import create_story, update_story_comments

pytestmark = pytest.mark.django_db


def test_post_moderated_community_publishes_at_once(cast: Cast) -> None:
    assert cast.opinion.moderation_mode == ModerationMode.POST
    assert comment_on(cast.story, cast.reader).status == CommentStatus.PUBLISHED


def test_youth_communities_default_to_pre_moderation(cast: Cast) -> None:
    assert cast.youth.moderation_mode == ModerationMode.PRE
    other = create_community(
        actor=SYSTEM, slug="teens", name="Teens", identity_mode=IdentityMode.YOUTH
    )
    assert other.moderation_mode == ModerationMode.PRE
    assert comment_on(cast.youth_story, cast.youth_member).status == CommentStatus.PENDING


def test_pre_moderated_community(cast: Cast) -> None:
    community = create_community(
        actor=SYSTEM, slug="letters", name="Letters", moderation_mode=ModerationMode.PRE
    )
    story = create_story(
        actor=SYSTEM, community=community, url="https://news.example/l/1", title="L"
    )
    assert comment_on(story, cast.reader).status == CommentStatus.PENDING


def test_story_overrides_its_community_both_ways(cast: Cast) -> None:
    update_story_comments(actor=SYSTEM, story=cast.story, moderation="pre")
    cast.story.refresh_from_db()
    assert comment_on(cast.story, cast.reader).status == CommentStatus.PENDING
    update_story_comments(actor=SYSTEM, story=cast.youth_story, moderation="post")
    cast.youth_story.refresh_from_db()
    assert comment_on(cast.youth_story, cast.youth_member).status == CommentStatus.PUBLISHED


def test_premoderation_sanction_holds_one_user_only(cast: Cast) -> None:
    comment_on(cast.story, cast.reader)
    apply_sanction(actor=cast.moderator, commenter_id=cast.reader.pk, kind="premod", rule_code="R1")
    assert comment_on(cast.story, cast.reader, body="Held.").status == CommentStatus.PENDING
    assert comment_on(cast.story, cast.other_reader, body="Not held.").status == "published"
