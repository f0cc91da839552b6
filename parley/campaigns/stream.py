"""The live detector: one detection engine per worker process, kept in step with the database.

The engine's state (recent comments, accounts, open groups) lives in memory. Rather than make
one process own it, every process rebuilds it from the database and then keeps it current
itself: before handling a comment it *catches up* on every comment committed since the last
one it saw (by primary key), whichever process's task announced them. Two worker processes
therefore see the same stream and find the same cases, and `record_case` is idempotent, so
it does not matter which process runs a task, how many run, or whether one restarts:

* first use, or the database went backwards (a restore; tests): warm up from the comments of
  the last `PARLEY_CAMPAIGN_WINDOW_DAYS` (at most `PARLEY_CAMPAIGN_WARM_MAX`, newest kept);
* normal case: feed the comments with a larger id than the last seen, oldest first;
* a comment committed late (a lower id than one already seen) is fed when its own task runs;
* more than `PARLEY_CAMPAIGN_CATCH_UP_MAX` behind (a long-idle process): warm up again;
* the comment it last saw is gone or changed (a restore; tests): warm up again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, QuerySet

from parley.campaigns import signals_from_db
from parley.campaigns.detection import CampaignEngine, Case, CommentSignal, EngineConfig
from parley.comments.models import Comment
from parley.core import clock

SEEN_MAX = 200_000


def _setting(name: str, default: int | str) -> int | str:
    value: int | str = getattr(settings, name, default)
    return value


def new_engine() -> CampaignEngine:
    """An engine configured from settings (`PARLEY_CAMPAIGN_EMBEDDING`: auto, minilm, hashed)."""
    config = EngineConfig(embedding=str(_setting("PARLEY_CAMPAIGN_EMBEDDING", "auto")))
    return CampaignEngine(config)


Found = dict[str, tuple[Case, tuple[str, ...]]]
"""case key → (latest snapshot, keys of cases merged into it)."""


class LiveDetector:
    def __init__(self) -> None:
        self.engine: CampaignEngine | None = None
        self.watermark = 0
        # When the comment at the watermark was posted: if that row changes or vanishes,
        # the database is not the one the engine learnt from (a restore; tests).
        self._stamp: datetime | None = None
        self._seen: OrderedDict[int, None] = OrderedDict()
        self._stories: set[str] = set()
        self._lock = threading.Lock()

    def observe(self, comment_id: int) -> Found:
        """Bring the engine up to date with the database, including `comment_id`; return
        the cases opened or changed on the way."""
        with self._lock:
            high = Comment.objects.aggregate(high=Max("pk"))["high"] or 0
            if self.engine is None or high < self.watermark or not self._same_database():
                return self._warm(high)
            most = int(_setting("PARLEY_CAMPAIGN_CATCH_UP_MAX", 20_000))
            ids = list(
                Comment.objects.filter(pk__gt=self.watermark, pk__lte=high)
                .order_by("pk")
                .values_list("pk", flat=True)[: most + 1]
            )
            if len(ids) > most:
                return self._warm(high)
            if comment_id <= self.watermark and comment_id not in self._seen:
                ids.append(comment_id)  # committed after a later comment was seen
            found: Found = {}
            if ids:
                queryset = signals_from_db.detectable_comments().filter(pk__in=ids)
                self._register_stories(queryset)
                for signal in self._mark(
                    signals_from_db.signals(queryset.order_by("created_at", "id"))
                ):
                    for update in self.engine.add(signal):
                        _, merged = found.get(update.case.case_key, (None, ()))
                        found[update.case.case_key] = (
                            update.case,
                            tuple(dict.fromkeys((*merged, *update.merged_keys))),
                        )
            if high > self.watermark:
                self._set_watermark(high)
            return found

    def _set_watermark(self, high: int) -> None:
        self.watermark = high
        self._stamp = Comment.objects.filter(pk=high).values_list("created_at", flat=True).first()

    def _same_database(self) -> bool:
        if not self.watermark:
            return True
        stamp = Comment.objects.filter(pk=self.watermark).values_list("created_at", flat=True)
        return stamp.first() == self._stamp

    def _warm(self, high: int) -> Found:
        self.engine = engine = new_engine()
        self._seen.clear()
        self._stories.clear()
        days = int(_setting("PARLEY_CAMPAIGN_WINDOW_DAYS", 3))
        most = int(_setting("PARLEY_CAMPAIGN_WARM_MAX", 50_000))
        queryset = signals_from_db.detectable_comments().filter(
            pk__lte=high, created_at__gte=clock.now() - timedelta(days=days)
        )
        floor = list(queryset.order_by("-pk").values_list("pk", flat=True)[most - 1 : most])
        if floor:
            queryset = queryset.filter(pk__gte=floor[0])
        self._register_stories(queryset)
        cases = engine.scan(
            self._mark(signals_from_db.signals(queryset.order_by("created_at", "id")))
        )
        self._set_watermark(high)
        return {case.case_key: (case, ()) for case in cases}

    def _register_stories(self, queryset: QuerySet[Comment]) -> None:
        assert self.engine is not None
        story_ids = set(queryset.values_list("story_id", flat=True).distinct())
        new = {s for s in story_ids if str(s) not in self._stories}
        for story_id, text in signals_from_db.story_texts(new):
            self.engine.set_story_text(story_id, text)
            self._stories.add(story_id)

    def _mark(self, signals: Iterator[CommentSignal]) -> Iterator[CommentSignal]:
        for signal in signals:
            self._seen[int(signal.comment_id)] = None
            if len(self._seen) > SEEN_MAX:
                self._seen.popitem(last=False)
            yield signal


_detector: LiveDetector | None = None
_detector_lock = threading.Lock()


def detector() -> LiveDetector:
    global _detector
    with _detector_lock:
        if _detector is None:
            _detector = LiveDetector()
        return _detector


def reset_detector() -> None:
    """Forget the process's engine (tests; an operator changing engine settings)."""
    global _detector
    with _detector_lock:
        _detector = None
