"""The demo: an Opinion community whose story has the shape of a published column (headline,
dek, byline, photo with caption and credit, body, pull quote, author bio, section note), a
youth community with one story, a few commenters, a moderator. Loading is idempotent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from parley.comments.actions import post_comment
from parley.comments.models import Comment
from parley.communities.actions import create_community
from parley.communities.models import Community, GuidelineVersion, IdentityMode, TermsVersion
from parley.communities.policies import publish_guidelines, publish_terms
from parley.core import clock
from parley.core.actors import SYSTEM
from parley.identity.actions import sign_in_with_sso
from parley.identity.models import StaffRole
from parley.identity.sso import SsoClaims
from parley.stories.actions import create_story
from parley.stories.models import Story

DEMO_STORY_URL = "https://news.example/opinion/comment-sections-bots"
DEMO_YOUTH_STORY_URL = "https://news.example/kids/how-comets-get-their-tails"
DEMO_MODERATOR = ("moderator", "parley-demo-moderator")

TERMS_TEXT = (
    "By submitting a comment, you accept that the publisher has the right to reproduce and "
    "publish that comment in whole or in part, in any manner the publisher chooses. The "
    "publisher does not endorse the opinions expressed in comments."
)

GUIDELINES_INTRO = (
    "To encourage thoughtful and respectful conversations, first and last names appear with "
    "each submission (except in children and youth-oriented communities). Pseudonyms are not "
    "permitted. Comments are moderated according to these guidelines."
)

GUIDELINE_RULES = [
    ("R1", "Be respectful", "No personal attacks, insults, threats or harassment of anyone."),
    ("R2", "Stay on topic", "Comments must relate to the story they are posted under."),
    (
        "R3",
        "No spam or coordinated posting",
        "No advertising, repeated posting, or posting in concert with other accounts to amplify a message.",
    ),
    (
        "R4",
        "No hate speech",
        "No attacks on people for their origin, religion, gender, sexuality or disability.",
    ),
    ("R5", "Use your real name", "Post under your own first and last name; no impersonation."),
    (
        "R6",
        "Respect privacy and the law",
        "No personal information about others, no defamation, no copyrighted material beyond short quotes.",
    ),
]

COLUMN = {
    "headline": "Comment sections are where bot campaigns now pick their fights",
    "dek": "Coordinated accounts no longer need a viral post. A story's comment thread is enough.",
    "byline": "Mina Sadeghi",
    "section": "Opinion",
    "photo": {
        "alt": "A phone showing a long comment thread under a news story",
        "caption": "A comment thread under a national news story, photographed last week.",
        "credit": "Parley demo / Staff photo",
    },
    "body": [
        "For years, the fight over online manipulation was fought on social networks. Groups that wanted a message amplified bought followers, recycled hashtags and waited for an audience to catch on.",
        "That playbook has moved. The comment section under a well-read news story now offers something a hashtag cannot: an audience already reading about the very subject a group wants to shape, and the borrowed credibility of the publisher's page.",
        "The pattern is easy to miss one comment at a time. A dozen accounts, most created the same afternoon, post within minutes of one another. Their wording differs by a word or two. Each comment, read alone, is civil.",
        "Newsrooms that moderate one comment at a time will approve every one of them. What gives a campaign away is the shape of the whole: the timing, the shared talking points, accounts that appear for one story and then vanish.",
        'Real-name policies help, but only when names are checked and pseudonyms are actually refused. A newsroom that asks for first and last names and then accepts "Patriot 1776" has a policy on paper only.',
        "None of this argues for closing comments. Readers who take the time to write under a story are among a publisher's most loyal. It argues for tools that look at the conversation as a whole, and for moderators who can act on a campaign in one decision rather than forty.",
    ],
    "pull_quote": "What gives a campaign away is the shape of the whole: the timing, the shared talking points, accounts that appear for one story and then vanish.",
    "author_bio": "Mina Sadeghi is a Montréal-based writer who covers online platforms and public debate.",
    "section_note": "This column is part of our Opinion section. For more information about this section, please read our editor's note and FAQ.",
}

YOUTH_STORY = {
    "headline": "How do comets get their tails?",
    "dek": "Ice, sunlight and a push from the solar wind.",
    "byline": "Kids News desk",
    "section": "Kids News",
    "body": [
        "A comet is a ball of ice and dust. Far from the Sun it has no tail at all.",
        "As it comes closer, sunlight warms the ice, which turns to gas and carries dust away. The solar wind pushes that gas and dust into a long tail pointing away from the Sun.",
    ],
    "author_bio": "",
    "section_note": "Kids News is written for readers aged 8 to 14. Comments here use community names.",
}


@dataclass(frozen=True)
class DemoReader:
    subject: str
    given_name: str
    family_name: str
    youth: bool = False


DEMO_READERS = [
    DemoReader("demo-genevieve", "Geneviève", "Côté-Tremblay"),
    DemoReader("demo-sean", "Seán", "Ó Súilleabháin"),
    DemoReader("demo-nguyen", "Nguyễn Thị", "Minh Khai"),
    DemoReader("demo-darcy", "D'Arcy", "McGee"),
    DemoReader("demo-kid", "", "", youth=True),
]

DEMO_COMMENTS = [
    (
        "demo-genevieve",
        None,
        "The point about accounts that appear for one story and vanish matches what I have seen under local news too.",
    ),
    (
        "demo-sean",
        0,
        "Agreed, though I worry real-name rules also keep some people from speaking up at all.",
    ),
    (
        "demo-genevieve",
        1,
        "Fair, but there is a difference between protecting a source and letting anyone be anyone.",
    ),
    (
        "demo-darcy",
        None,
        "Moderating a campaign one comment at a time is exactly the problem. Good column.",
    ),
    (
        "demo-nguyen",
        None,
        "Would have liked numbers: how many newsrooms actually check the names they ask for?",
    ),
]


def _ensure_documents() -> None:
    if not TermsVersion.objects.exists():
        publish_terms(actor=SYSTEM, version="2026-01", text=TERMS_TEXT)
    if not GuidelineVersion.objects.exists():
        publish_guidelines(actor=SYSTEM, rules=GUIDELINE_RULES, introduction=GUIDELINES_INTRO)


def _ensure_community(slug: str, name: str, identity_mode: str) -> Community:
    existing = Community.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    return create_community(
        actor=SYSTEM,
        slug=slug,
        name=name,
        identity_mode=identity_mode,
        publisher_name="News Example",
    )


def _ensure_story(community: Community, url: str, content: Mapping[str, object]) -> Story:
    existing = Story.objects.filter(url=url).first()
    if existing is not None:
        return existing
    return create_story(
        actor=SYSTEM,
        community=community,
        url=url,
        title=str(content["headline"]),
        dek=str(content["dek"]),
        byline=str(content["byline"]),
        section=str(content["section"]),
        published_at=clock.now() - timedelta(hours=5),
        content=dict(content),
    )


def load_demo() -> Story:
    with transaction.atomic():
        _ensure_documents()
        opinion = _ensure_community("opinion", "Opinion", IdentityMode.REAL_NAME)
        youth = _ensure_community("kids", "Kids News", IdentityMode.YOUTH)
        story = _ensure_story(opinion, DEMO_STORY_URL, COLUMN)
        _ensure_story(youth, DEMO_YOUTH_STORY_URL, YOUTH_STORY)
        readers = {
            reader.subject: sign_in_with_sso(
                claims=SsoClaims(
                    subject=reader.subject,
                    issuer="",
                    given_name=reader.given_name,
                    family_name=reader.family_name,
                    email="",
                    youth=reader.youth,
                )
            )
            for reader in DEMO_READERS
        }
        user_model = get_user_model()
        username, password = DEMO_MODERATOR
        moderator = user_model.objects.filter(username=username).first()
        if moderator is None:
            moderator = user_model.objects.create_user(username=username, password=password)
            StaffRole.objects.create(user=moderator, role="moderator", community=None)
            StaffRole.objects.create(user=moderator, role="staff", community=None)
    if not story.comments.exists():
        terms = TermsVersion.objects.order_by("-published_at", "-id").first()
        assert terms is not None
        posted: list[Comment] = []
        for subject, parent_index, body in DEMO_COMMENTS:
            parent_id = posted[parent_index].pk if parent_index is not None else None
            result = post_comment(
                commenter=readers[subject],
                story=story,
                body=body,
                accept_terms=terms.version,
                parent_id=parent_id,
            )
            posted.append(result.comment)
    return story
