"""Behaviour of the campaign engine on small, hand-made streams (no shared data needed)."""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from parley.campaigns.detection import CampaignEngine, CommentSignal, EngineConfig
from parley.campaigns.detection.neardup import MinHasher, jaccard
from parley.campaigns.detection.paraphrase import HashedTfidfBackend
from parley.campaigns.detection.text import analyse, normalise, shingle_hashes

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_ids = itertools.count()

TALKING_POINT = (
    "The carbon tax is a cash grab that will destroy thousands of jobs in Alberta, "
    "vote them out at the next election."
)
ORGANIC = [
    "I rode the new transit line this morning and the trains were on time for once.",
    "The article glosses over the cost of the pension changes for younger workers.",
    "My grandmother came here as a refugee in 1956 and built a business from nothing.",
    "Housing in Vancouver is unaffordable because of zoning, not foreign buyers alone.",
    "Interesting take, but the author ignores what happened in Ontario last spring.",
    "Hospitals in rural Manitoba have closed emergency rooms three summers running.",
    "Cycling lanes on Bloor have made my commute safer and faster, whatever the critics say.",
    "The budget surplus is an accounting trick; the deficit returns next year.",
    "Teachers in Quebec have been without a contract for two years now.",
    "Why is nobody talking about the fisheries collapse on the east coast?",
]


def engine(**overrides: object) -> CampaignEngine:
    # Tests use the cheap backend: deterministic, and torch is optional.
    return CampaignEngine(EngineConfig(embedding="hashed", **overrides), backend=None)


def signal(
    account: str,
    text: str,
    minutes: float,
    *,
    story: str = "story-1",
    created_hours_before: float | None = None,
    network: str | None = None,
    parent_text: str | None = None,
) -> CommentSignal:
    at = T0 + timedelta(minutes=minutes)
    created = at - timedelta(hours=created_hours_before) if created_hours_before else None
    return CommentSignal(
        comment_id=f"c{next(_ids)}",
        account_id=account,
        story_id=story,
        text=text,
        created_at=at,
        account_created_at=created,
        network_hash=network,
        user_agent_hash=None,
        sso_source=None,
        parent_text=parent_text,
    )


def old_account_created(i: int) -> float:
    return 24 * (400 + 37 * i)  # hours: accounts created months apart


# --------------------------------------------------------------------------------- text


def test_normalise_folds_zero_width_homoglyphs_and_case() -> None:
    plain = normalise("Vote them out")
    assert normalise("V\u200bo\u200dte\ufeff th\u0435m \u043eut") == plain  # ZW + Cyrillic e/o
    assert normalise("\uff36\uff2f\uff34\uff25 THEM OUT!!!") == plain  # full-width, punctuation
    assert normalise("Vötè them out") == plain  # diacritics


def test_normalise_bad_input() -> None:
    assert normalise("") == ""
    assert normalise(None) == ""
    assert normalise("\u200b\u200b\ufeff") == ""
    huge = "spam " * 1_000_000
    assert len(normalise(huge)) <= 10_000


def test_stock_phrases_have_no_content_words() -> None:
    for phrase in [
        "Well said.",
        "Great article",
        "Couldn't agree more.",
        "Thank you for writing this.",
    ]:
        assert analyse(phrase).content_tokens == 0, phrase
    assert analyse(TALKING_POINT).content_tokens >= 8


def test_minhash_similarity_tracks_edits() -> None:
    h = MinHasher(64)
    a = h.signature(shingle_hashes(normalise(TALKING_POINT)))
    b = h.signature(shingle_hashes(normalise(TALKING_POINT + " Share this!")))
    c = h.signature(shingle_hashes(normalise(ORGANIC[0])))
    assert jaccard(a, b) >= 0.7
    assert jaccard(a, c) <= 0.2


def test_hashed_backend_vectors_are_normalised() -> None:
    vecs = HashedTfidfBackend().encode([TALKING_POINT, ORGANIC[0], ""])
    assert vecs.shape[0] == 3
    assert np.isclose(np.linalg.norm(vecs[0]), 1.0)
    assert not vecs[2].any()


# --------------------------------------------------------------------------------- engine


def test_copy_paste_from_six_accounts_in_ten_minutes_is_one_case() -> None:
    eng = engine()
    for i, text in enumerate(ORGANIC):
        eng.add(signal(f"reader{i}", text, i * 3, created_hours_before=old_account_created(i)))
    crew = [f"crew{i}" for i in range(6)]
    for i, acc in enumerate(crew):
        eng.add(signal(acc, TALKING_POINT, 40 + i * 2, created_hours_before=3 + i * 0.2))
    cases = eng.cases()
    assert len(cases) == 1
    case = cases[0]
    assert set(case.account_ids) == set(crew)
    assert len(case.comment_ids) == 6
    assert case.score >= 0.6
    assert case.talking_points[0][1] == 6
    assert "6 accounts, 6 comments, 1 talking point" in case.summary
    assert "created within 2 hours" in case.summary
    assert case.evidence["text"]["near_identical_comments"] == 5
    assert case.case_key.startswith("cmp-")


def test_incremental_add_reports_case_when_threshold_is_crossed() -> None:
    eng = engine()
    results = [
        eng.add(signal(f"crew{i}", TALKING_POINT, i, created_hours_before=2)) for i in range(5)
    ]
    assert results[0] == [] and results[1] == []  # one or two accounts are not a campaign
    opened = results[2]
    assert [u.kind for u in opened] == ["opened"]
    assert len(opened[0].case.account_ids) == 3
    assert [u.kind for u in results[3]] == ["updated"]
    assert results[3][0].case.case_key == opened[0].case.case_key  # stable key
    assert len(results[4][0].case.account_ids) == 5


def test_zero_width_and_homoglyph_variants_still_match() -> None:
    eng = engine()
    variants = [
        TALKING_POINT,
        TALKING_POINT.replace(" ", " \u200b"),
        TALKING_POINT.replace("a", "\u0430").replace("o", "\u043e"),
        TALKING_POINT.upper(),
        "\u202e" + TALKING_POINT + " \U0001f621",
    ]
    for i, text in enumerate(variants):
        eng.add(signal(f"crew{i}", text, i * 3, created_hours_before=old_account_created(i)))
    cases = eng.cases()
    assert len(cases) == 1
    assert len(cases[0].account_ids) == 5


def test_forty_readers_with_stock_phrases_are_not_a_case() -> None:
    eng = engine()
    phrases = ["Well said.", "Great article", "Well said!", "Great article, thank you.", "Agreed."]
    for i in range(40):
        eng.add(
            signal(
                f"reader{i}",
                phrases[i % len(phrases)],
                i * 2,
                created_hours_before=old_account_created(i),
            )
        )
    assert eng.cases() == []


def test_quoting_the_story_is_not_coordination() -> None:
    eng = engine()
    story = (
        "Ottawa announced on Monday that the carbon levy will rise to 95 dollars a tonne in April. "
        "The finance minister said rebates would offset the cost for most households."
    )
    eng.set_story_text("story-1", story)
    quote = (
        "Ottawa announced on Monday that the carbon levy will rise to 95 dollars a tonne in April."
    )
    for i, own in enumerate(ORGANIC):
        eng.add(
            signal(
                f"reader{i}", f'"{quote}" {own}', i * 2, created_hours_before=old_account_created(i)
            )
        )
    assert eng.cases() == []


def test_quoting_the_parent_comment_is_not_coordination() -> None:
    eng = engine()
    parent = "Pipelines are safer than rail for moving crude oil across the prairies, full stop."
    for i, own in enumerate(ORGANIC[:6]):
        eng.add(signal(f"reader{i}", f"> {parent}\n{own}", i, parent_text=parent))
        eng.add(signal(f"other{i}", f"(In reply to: {parent} -- Someone) {own[::-1]}", i))
    assert eng.cases() == []


def test_empty_and_enormous_comments_do_not_crash() -> None:
    eng = engine()
    texts = ["", "   ", "\u200b\u200b", "!!!", "a" * 2_000_000, "word " * 300_000, "🙂" * 50_000]
    for i, text in enumerate(texts):
        assert eng.add(signal(f"acc{i}", text, i)) == []
    # Three accounts posting the same enormous text still form a case.
    big = " ".join(f"{TALKING_POINT} paragraph {k}." for k in range(3000))
    for i in range(3):
        eng.add(signal(f"crew{i}", big, 20 + i, created_hours_before=1 + i * 0.1))
    assert len(eng.cases()) == 1


def test_paraphrased_talking_point_with_cohort_is_a_case_without_torch() -> None:
    eng = engine()
    for i, text in enumerate(ORGANIC):
        eng.add(signal(f"reader{i}", text, i * 3, created_hours_before=old_account_created(i)))
    rewrites = [
        "The carbon tax is a cash grab that will destroy thousands of jobs in Alberta.",
        "Carbon tax = cash grab. It will destroy thousands of Alberta jobs. Vote them out!",
        "Honestly, this carbon tax is a cash grab; thousands of jobs in Alberta destroyed.",
        "Vote them out at the next election: the carbon tax cash grab destroys Alberta jobs.",
    ]
    for i, text in enumerate(rewrites):
        eng.add(
            signal(f"crew{i}", text, 40 + i * 3, created_hours_before=2 + i * 0.1, network="n1")
        )
    cases = eng.cases()
    assert len(cases) == 1
    assert set(cases[0].account_ids) == {f"crew{i}" for i in range(4)}
    assert cases[0].evidence["network"]["shared_address_prefix"] == 4


def test_distinct_comments_in_a_burst_from_new_accounts_are_not_a_case() -> None:
    # Timing and cohort alone do not make a campaign: readers pile onto a hot story.
    eng = engine()
    for i, text in enumerate(ORGANIC):
        eng.add(signal(f"newbie{i}", text, i * 0.5, created_hours_before=1 + i * 0.05))
    assert eng.cases() == []


def test_coactivity_without_shared_text_is_a_case() -> None:
    eng = engine()
    crew = ["x1", "x2", "x3", "x4"]
    texts = iter(ORGANIC * 2)
    for s in range(4):
        for j, acc in enumerate(crew):
            eng.add(signal(acc, next(texts) + f" #{s}{j}", s * 600 + j, story=f"story-{s}"))
    cases = eng.cases()
    assert len(cases) == 1
    assert set(cases[0].account_ids) == set(crew)
    assert cases[0].evidence["coactivity"]["accounts"] == 4


def test_batch_scan_reports_progress_and_same_cases_as_incremental() -> None:
    stream = [
        signal(f"reader{i}", t, i, created_hours_before=old_account_created(i))
        for i, t in enumerate(ORGANIC)
    ] + [signal(f"crew{i}", TALKING_POINT, 20 + i, created_hours_before=2) for i in range(7)]
    seen: list[int] = []
    cases = engine(chunk_size=4).scan(stream, progress=seen.append, progress_every=5)
    assert seen == [5, 10, 15, 17]
    inc = engine()
    for s in stream:
        inc.add(s)
    assert [c.account_ids for c in cases] == [c.account_ids for c in inc.cases()]
    assert len(cases) == 1 and len(cases[0].account_ids) == 7


def test_state_is_bounded_by_window_and_capacity() -> None:
    eng = engine(window_s=3600.0, capacity=50, group_ttl_s=3600.0)
    for i in range(400):
        eng.add(signal(f"reader{i}", f"{ORGANIC[i % 10]} number {i}", i * 5, story=f"s{i % 7}"))
    assert len(eng._records) <= 50
    assert len(eng._lsh) <= 50


def test_naive_datetimes_are_taken_as_utc() -> None:
    eng = engine()
    for i in range(3):
        s = signal(f"crew{i}", TALKING_POINT, i, created_hours_before=1)
        naive = CommentSignal(
            s.comment_id, s.account_id, s.story_id, s.text, s.created_at.replace(tzinfo=None)
        )
        eng.add(naive)
    assert len(eng.cases()) == 1


@pytest.mark.parametrize("n_accounts", [1, 2])
def test_fewer_than_three_accounts_never_make_a_case(n_accounts: int) -> None:
    eng = engine()
    for i in range(6):
        eng.add(signal(f"crew{i % n_accounts}", TALKING_POINT, i, created_hours_before=1))
    assert eng.cases() == []


class KeywordBackend:
    """Stand-in for MiniLM: texts mentioning 'pipeline' embed to one direction, others apart."""

    name = "keyword"
    threshold = 0.8

    def __init__(self) -> None:
        self.calls: list[int] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), 1001), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, 0 if "pipeline" in t.lower() else 1 + zlib.crc32(t.encode()) % 1000] = 1.0
        return out


PIPELINE_REWRITES = [
    "Build the pipeline now, Ottawa has stalled Alberta energy workers long enough.",
    "Alberta energy workers have waited long enough: Ottawa must build the pipeline now.",
    "Ottawa stalling the pipeline hurts Alberta energy workers. Build it now.",
    "Energy workers in Alberta waited long enough, the pipeline must be built now by Ottawa.",
]


def test_embedding_backend_verifies_candidates_in_batches_during_scan() -> None:
    backend = KeywordBackend()
    eng = CampaignEngine(EngineConfig(embedding="hashed", chunk_size=100), backend=backend)
    stream = [
        signal(f"crew{i}", text, i * 5, created_hours_before=2 + i * 0.1)
        for i, text in enumerate(PIPELINE_REWRITES)
    ]
    cases = eng.scan(stream)
    assert len(backend.calls) == 1  # one batch for the whole (small) chunk
    assert backend.calls[0] >= 3
    assert len(cases) == 1
    assert set(cases[0].account_ids) == {f"crew{i}" for i in range(4)}
    assert cases[0].evidence["text"]["paraphrased_comments"] >= 2


def test_embedding_backend_rejects_candidates_it_does_not_confirm() -> None:
    backend = KeywordBackend()
    eng = CampaignEngine(EngineConfig(embedding="hashed"), backend=backend)
    texts = [t.replace("pipeline", "rail line") for t in PIPELINE_REWRITES]
    for i, text in enumerate(texts):
        eng.add(signal(f"crew{i}", text, i * 5, created_hours_before=2 + i * 0.1))
    assert backend.calls  # candidates were sent to the model...
    assert all(c.evidence["text"]["paraphrased_comments"] == 0 for c in eng.cases())
