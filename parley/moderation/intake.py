"""Moderation's hooks into the comment intake pipeline (see parley.comments.intake).

* `word_list_screen` (PARLEY_INTAKE_SCREENS) runs inside the submission: a banned term rejects
  the comment citing the community's reject rule; a suspect term flags it for the system queue.
* `enqueue_scoring` (PARLEY_INTAKE_LISTENERS) runs after commit and hands the comment to the
  background worker for toxicity scoring; scoring never runs in the request.
"""

from __future__ import annotations

import threading

from parley.comments.intake import Screening, Submission
from parley.moderation.models import WordList
from parley.moderation.wordlists import WordListMatcher

_matchers: dict[int, tuple[int, WordListMatcher]] = {}
_lock = threading.Lock()


def _matcher(community_id: int) -> tuple[WordListMatcher, str] | None:
    """The community's matcher, rebuilt only when its lists' version changes. One indexed
    query per submission keeps every server process current without cache invalidation."""
    row = next(  # one list per community: no ORDER BY needed
        iter(
            WordList.objects.filter(community_id=community_id).values_list(
                "version", "reject_rule"
            )[:1]
        ),
        None,
    )
    if row is None:
        return None
    version, reject_rule = row
    cached = _matchers.get(community_id)
    if cached is None or cached[0] != version:
        lists = WordList.objects.filter(community_id=community_id).values("banned", "suspect").get()
        with _lock:
            _matchers[community_id] = (version, WordListMatcher(lists["banned"], lists["suspect"]))
            cached = _matchers[community_id]
    return cached[1], reject_rule


def word_list_screen(submission: Submission) -> Screening:
    found = _matcher(submission.community_id)
    if found is None:
        return Screening()
    matcher, reject_rule = found
    matches = matcher.find(submission.body_raw)
    if not matches:
        return Screening()
    banned = sorted({m.term for m in matches if m.kind == "banned"})
    suspect = sorted({m.term for m in matches if m.kind == "suspect"})
    flags = [f"wordlist:banned:{term}" for term in banned]
    flags += [f"wordlist:suspect:{term}" for term in suspect]
    return Screening(reject_rule=reject_rule if banned else "", flags=flags)


def enqueue_scoring(comment_id: int, event: str) -> None:
    """After commit: put a comment the screens flagged in the system queue at once, and hand
    it to the worker for scoring."""
    from parley.comments.models import Comment
    from parley.moderation.actions import sync_system_queue
    from parley.moderation.tasks import score_comment

    comment = next(
        iter(
            Comment.objects.select_related("story")
            .only("id", "status", "flags", "moderated_at", "created_at", "story__community_id")
            .filter(pk=comment_id)[:1]
        ),
        None,
    )
    # A comment just created is in no queue yet: without a flag there is nothing to add, and
    # nothing to remove (only later work, enqueued here, can put it in the queue).
    if comment is not None and (comment.flags or event != "created"):
        sync_system_queue(comment, comment.story.community_id)
    score_comment.enqueue(comment_id)


def reset_matchers() -> None:
    with _lock:
        _matchers.clear()
