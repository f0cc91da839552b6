"""Django side of the thread benchmark: migrate, seed the demo, fill its story, mint tokens.

Run by `bench/thread/run.py` in a subprocess whose environment names the database; prints one
JSON line (story id, terms version, session tokens, the story's comment rows) on stdout.

    python bench/thread/setup_db.py fill --comments 10000 --readers 32
    python bench/thread/setup_db.py count --story 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SENTENCES = [
    "I read this twice and I still think the author is underestimating the problem.",
    "Our local paper closed its comments last year and the conversation moved to worse places.",
    "Real names did not stop the worst of it in my town, but they did make people think twice.",
    "The timing pattern described here is exactly what we saw during the municipal election.",
    "Would be good to hear from the moderators themselves about what works.",
    "A dozen accounts posting within minutes of each other is not a coincidence.",
    "Thank you for writing this; it matches my experience as a volunteer moderator.",
    "I disagree with the premise: most commenters are just ordinary readers with opinions.",
    "What about people who cannot safely use their real names, such as abuse survivors?",
    "The point about borrowed credibility is the most important one in the piece.",
    "Comment sections used to be where I learned the most, now I mostly skip them.",
    "Publishers could share data on this instead of each fighting it alone.",
    "Is there any evidence that these campaigns actually change anyone's mind?",
    "This is why I only read comments from people whose names I can look up.",
    "My father posts under his real name every day and he is perfectly civil.",
    "Closing comments is the easy answer, and the wrong one.",
    "The article could have named some of the groups involved.",
    "I appreciate that the column does not argue for shutting everything down.",
    "Moderating one comment at a time is like bailing water with a teaspoon.",
    "Interesting that the accounts vanish after one story; that should be easy to detect.",
    "Good column. I would like a follow-up with numbers from a few newsrooms.",
    "Some of us just like arguing about the news, there is nothing sinister about it.",
    "How do you tell a coordinated campaign from a group of friends who share a link?",
    "I have been commenting here for ten years and the tone has changed a lot.",
]

GIVEN = [
    "Amélie", "Bruno", "Chloé", "Daniel", "Élise", "François", "Gabrielle", "Hugo", "Isabelle",
    "Jacques", "Karine", "Louis", "Marie", "Nicolas", "Olivia", "Pierre", "Quentin", "Rosalie",
    "Samuel", "Thérèse", "Ulysse", "Valérie", "William", "Yasmine", "Zoé", "Aiden", "Brigid",
    "Connor", "Deirdre", "Eamon", "Fiona", "Grace",
]  # fmt: skip
FAMILY = [
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin",
    "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette",
    "Girard", "Simard", "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier",
    "Fournier", "Lapointe", "Leclerc", "Lefebvre", "Poulin", "Thibault", "Martin",
]  # fmt: skip


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()


def body_text(rng: random.Random) -> str:
    count = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
    return " ".join(rng.sample(SENTENCES, count))


def fill(comments: int, readers: int, seed: int) -> dict[str, object]:
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.models import F, Max

    from parley.comments.models import Comment, CommentStatus
    from parley.comments.sanitising import sanitise_body
    from parley.communities.models import TermsVersion
    from parley.core import clock
    from parley.identity.actions import sign_in_with_sso
    from parley.identity.authentication import issue_session_token
    from parley.identity.models import NameStatus
    from parley.identity.sso import SsoClaims
    from parley.ops.seed import load_demo
    from parley.stories.models import Story

    call_command("migrate", verbosity=0, interactive=False)
    story = load_demo()
    terms = TermsVersion.objects.order_by("-published_at", "-id").first()
    assert terms is not None
    people = []
    for index in range(max(readers, 16)):
        given = GIVEN[index % len(GIVEN)]
        family = FAMILY[(index * 7 + index // len(GIVEN)) % len(FAMILY)]
        commenter = sign_in_with_sso(
            claims=SsoClaims(
                subject=f"bench-{index}",
                issuer="",
                given_name=given,
                family_name=family,
                email="",
                youth=False,
            )
        )
        assert commenter.name_status == NameStatus.VERIFIED, (given, family)
        people.append(commenter)
    tokens = [issue_session_token(person) for person in people]

    rng = random.Random(seed)
    start_id = (Comment.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    start_time = clock.now() - timedelta(hours=5)
    # Every earlier comment that may still take a reply: (id, root id or None, depth).
    open_parents: list[tuple[int, int | None, int]] = [
        (c.pk, c.root_id, c.depth)
        for c in story.comments.filter(status=CommentStatus.PUBLISHED, depth__lt=3)
    ]
    reply_counts: dict[int, int] = {}
    rows = []
    roots = 0
    for offset in range(comments):
        pk = start_id + offset
        text = body_text(rng)
        parent = None
        if open_parents and rng.random() < 0.2:
            # Replies mostly answer recent comments, sometimes old ones.
            window = open_parents[-400:] if rng.random() < 0.8 else open_parents
            parent = rng.choice(window)
        created = start_time + timedelta(milliseconds=1500 * offset)
        author = rng.choice(people)
        if parent is None:
            depth, root_id, parent_id = 0, None, None
            roots += 1
        else:
            parent_id, parent_root, parent_depth = parent
            depth, root_id = parent_depth + 1, parent_root or parent_id
            reply_counts[parent_id] = reply_counts.get(parent_id, 0) + 1
        rows.append(
            Comment(
                id=pk,
                story=story,
                parent_id=parent_id,
                root_id=root_id,
                depth=depth,
                author=author,
                body_raw=text,
                body_html=sanitise_body(text),
                status=CommentStatus.PUBLISHED,
                accepted_terms=terms,
                accepted_terms_at=created,
                created_at=created,
            )
        )
        if depth < 3:
            open_parents.append((pk, root_id, depth))
    with transaction.atomic():
        Comment.objects.bulk_create(rows, batch_size=500)
        for parent_id, count in reply_counts.items():
            Comment.objects.filter(pk=parent_id).update(reply_count=F("reply_count") + count)
        Story.objects.filter(pk=story.pk).update(
            comment_count=F("comment_count") + roots, thread_version=F("thread_version") + 1
        )
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Comment]):
                cursor.execute(statement)
    story.refresh_from_db()
    return {
        "story_id": story.pk,
        "terms_version": terms.version,
        "tokens": tokens,
        "comment_rows": story.comments.count(),
        "published_roots": story.comments.filter(
            status=CommentStatus.PUBLISHED, parent__isnull=True
        ).count(),
        "comment_count": story.comment_count,
        "replies": sum(reply_counts.values()),
    }


def count(story_id: int) -> dict[str, object]:
    from parley.comments.models import Comment
    from parley.stories.models import Story

    return {
        "comment_rows": Comment.objects.filter(story_id=story_id).count(),
        "thread_version": Story.objects.get(pk=story_id).thread_version,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    fill_parser = sub.add_parser("fill")
    fill_parser.add_argument("--comments", type=int, default=10_000)
    fill_parser.add_argument("--readers", type=int, default=32)
    fill_parser.add_argument("--seed", type=int, default=7)
    count_parser = sub.add_parser("count")
    count_parser.add_argument("--story", type=int, required=True)
    args = parser.parse_args()
    _setup_django()
    if args.command == "fill":
        result = fill(args.comments, args.readers, args.seed)
    else:
        result = count(args.story)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
