"""Campaign simulator: real organic reader comments plus injected coordinated campaigns.

Organic text: Globe and Mail reader comments (``socc-ctc`` and ``ucc-unhealthy-comments``, both
CC BY-NC-SA: evaluation only, never shipped). Campaign text: original (non-retweet) tweets of
Internet Research Agency accounts (``ira-troll-tweets``, CC BY 4.0, FiveThirtyEight / Linvill &
Warren), used as talking points and rewritten the way campaigns do it.

Organic traps that must NOT become cases are injected too and labelled organic: dozens of
readers posting stock phrases ("Well said.", "Great article"), readers quoting the same sentence
of the story, and organic regulars who comment a lot.

Everything is seeded; ``build(seed)`` returns a :class:`World`.
"""

from __future__ import annotations

import csv
import itertools
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from parley.campaigns.detection import CommentSignal

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
KINDS = ("copy_paste", "template", "paraphrase", "slow_drip", "cell", "coactivity")
EXTRA_KINDS = ("human_paraphrase",)
"""Opt-in (``--human-paraphrase``): crews posting real human paraphrases (PIT-2015 tweets)."""
T0 = datetime(2016, 11, 1, tzinfo=UTC)

STOCK_PHRASES = [
    "Well said.",
    "Well said!",
    "Great article",
    "Great article, thank you.",
    "Agreed.",
    "Couldn't agree more.",
    "This.",
    "Exactly right.",
    "Thank you for writing this.",
    "Spot on.",
    "Bravo!",
    "Well said, thank you.",
]

SYNONYMS = {
    "people": ["folks", "citizens", "voters", "Canadians"],
    "government": ["administration", "regime", "Ottawa", "those in power"],
    "country": ["nation", "homeland", "land"],
    "big": ["huge", "massive", "enormous"],
    "bad": ["terrible", "awful", "disastrous"],
    "good": ["great", "excellent", "fine"],
    "want": ["wish", "desire", "would like"],
    "need": ["must have", "require"],
    "never": ["not once", "at no point"],
    "lie": ["falsehood", "fabrication"],
    "lies": ["falsehoods", "fabrications", "untruths"],
    "media": ["press", "news outlets", "journalists"],
    "money": ["cash", "funds", "dollars"],
    "vote": ["cast a ballot", "show up at the polls"],
    "election": ["vote", "ballot", "race"],
    "stop": ["halt", "end", "put an end to"],
    "say": ["claim", "state", "tell us"],
    "says": ["claims", "states", "tells us"],
    "think": ["believe", "reckon", "feel"],
    "know": ["realize", "understand", "see"],
    "corrupt": ["crooked", "dishonest", "rotten"],
    "truth": ["facts", "reality"],
    "fake": ["phony", "false", "made-up"],
    "support": ["back", "stand behind", "endorse"],
    "right": ["correct", "proper"],
    "now": ["today", "right now", "at this point"],
    "again": ["once more", "one more time"],
    "really": ["truly", "honestly"],
    "america": ["the US", "the States", "our neighbours"],
    "president": ["leader", "commander in chief"],
    "police": ["cops", "officers", "law enforcement"],
    "black": ["African-American", "Black"],
    "white": ["Caucasian", "white"],
    "racist": ["bigoted", "prejudiced"],
    "attack": ["assault", "strike"],
    "destroy": ["wreck", "ruin", "tear down"],
    "jobs": ["work", "employment", "livelihoods"],
    "taxes": ["levies", "tax burden"],
    "crime": ["lawlessness", "criminality"],
    "war": ["conflict", "fighting"],
    "children": ["kids", "our young ones"],
    "everyone": ["everybody", "all of us"],
    "shameful": ["disgraceful", "a disgrace"],
    "wrong": ["mistaken", "misguided", "incorrect"],
    "why": ["how come", "for what reason"],
    "clear": ["obvious", "plain"],
    "real": ["genuine", "actual"],
    "help": ["aid", "assist"],
    "show": ["prove", "demonstrate"],
    "time": ["moment", "hour"],
    "today": ["this day", "now"],
}
OPENERS = [
    "",
    "Honestly, ",
    "Let's be real: ",
    "Wake up people. ",
    "As a taxpayer, ",
    "Facts: ",
    "I'll say it: ",
    "Nobody wants to admit it but ",
    "Simple: ",
    "Think about it. ",
]
CLOSERS = [
    "",
    " Share this.",
    " Enough is enough.",
    " Wake up!",
    " #truth",
    " Just saying.",
    " Period.",
    " Do your research.",
    " Think about it.",
]
TEMPLATES = [
    "As a {role} from {city}, I can tell you: {tp}",
    "{tp} Every {role} in {city} knows it.",
    "I'm a {role} in {city} and {tp_lower}",
    "{tp} Signed, a worried {role} from {city}.",
]
ROLES = ["nurse", "teacher", "small business owner", "veteran", "mother of three", "retiree",
         "farmer", "student", "engineer", "union member"]  # fmt: skip
CITIES = ["Calgary", "Toronto", "Halifax", "Winnipeg", "Surrey", "Ottawa", "Regina", "Kelowna",
          "Hamilton", "Quebec City", "London", "Red Deer"]  # fmt: skip
HOMOGLYPHS = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441",
              "i": "\u0456", "x": "\u0445"}  # fmt: skip
ZW = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


@dataclass(slots=True)
class Item:
    signal: CommentSignal
    label: str
    """"organic", "trap:<kind>" (organic) or a campaign id."""


@dataclass(slots=True)
class Campaign:
    cid: str
    kind: str
    accounts: list[str] = field(default_factory=list)
    comment_ids: list[str] = field(default_factory=list)
    start: datetime | None = None


@dataclass(slots=True)
class World:
    items: list[Item]
    campaigns: dict[str, Campaign]
    story_text: dict[str, str]

    def signals(self) -> Iterator[CommentSignal]:
        return (i.signal for i in self.items)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_organic() -> list[tuple[str, str]]:
    """(story_key, text) for every DEV organic comment; UCC rows get no story (assigned later)."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for row in _read_csv(DATA / "socc-ctc" / "socc_ctc_dev.csv"):
        text = row["comment"].strip()
        if text and text.lower() not in seen:
            seen.add(text.lower())
            out.append((row["title"].strip() or "socc", text))
    for row in _read_csv(DATA / "ucc-unhealthy-comments" / "ucc_val.csv"):
        text = row["comment"].strip()
        if text and text.lower() not in seen:
            seen.add(text.lower())
            out.append(("", text))
    return out


_URL = re.compile(r"https?://\S+")


def load_talking_points(min_len: int = 60) -> list[str]:
    """Distinct original IRA tweets with enough words to be a talking point."""
    seen: set[str] = set()
    out: list[str] = []
    for path in sorted((DATA / "ira-troll-tweets").glob("ira_tweets_*.csv")):
        for row in _read_csv(path):
            if row["retweet"] != "0" or row["account_category"] in ("NonEnglish", "Commercial"):
                continue
            text = _URL.sub("", row["content"]).strip()
            # Near-identical tweets (same text, other hashtag) would be one talking point.
            key = " ".join(re.findall(r"(?<![#@\w])[A-Za-z]{3,}", text.lower()))[:60]
            if len(text) < min_len or text.startswith("RT ") or key in seen:
                continue
            if len(re.findall(r"[A-Za-z]{3,}", text)) < 8:
                continue
            seen.add(key)
            out.append(text)
    return out


def load_paraphrase_groups(min_size: int = 4) -> list[list[str]]:
    """PIT-2015 DEV: each original tweet with the tweets that >= 3 of 5 workers called its
    paraphrase (research release: evaluation only)."""
    groups: dict[str, set[str]] = {}
    path = DATA / "pit2015-twitter-paraphrase" / "dev.data"
    with path.open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            m = re.match(r"\((\d)", row[4])
            if m and int(m.group(1)) >= 3:
                groups.setdefault(row[2], set()).add(row[3])
    return [[k, *sorted(v)] for k, v in groups.items() if len(v) + 1 >= min_size]


def paraphrase(text: str, rng: random.Random, strength: float = 0.7) -> str:
    """Rule-based rewrite: synonyms, clause swap, opener/closer, dropped hashtags."""
    words = text.split()
    out = []
    for w in words:
        core = w.strip(".,!?:;\"'").lower()
        if w.startswith(("#", "@")) and rng.random() < 0.5:
            continue
        if core in SYNONYMS and rng.random() < strength:
            out.append(rng.choice(SYNONYMS[core]) + w[len(w.rstrip(".,!?:;\"'")) :])
        elif rng.random() < 0.08 * strength and len(words) > 10:
            continue  # drop a word
        else:
            out.append(w)
    s = " ".join(out)
    clauses = re.split(r"(?<=[.!?,;])\s+", s)
    if len(clauses) > 1 and rng.random() < strength:
        rng.shuffle(clauses)
        s = " ".join(clauses)
    return (rng.choice(OPENERS) + s + rng.choice(CLOSERS)).strip()


def dodge(text: str, rng: random.Random) -> str:
    """Evasion tricks a copy-paster uses: look-alike letters, zero-width characters, case."""
    r = rng.random()
    if r < 0.3:
        return "".join(HOMOGLYPHS.get(c, c) if rng.random() < 0.4 else c for c in text)
    if r < 0.55:
        return "".join(
            c + (rng.choice(ZW) if c == " " and rng.random() < 0.5 else "") for c in text
        )
    if r < 0.7:
        return text.upper()
    if r < 0.85:
        return text + rng.choice([" !!", " 😡", " 🇨🇦", "...", " #cdnpoli"])
    return text


class _Builder:
    def __init__(
        self, seed: int, n_stories: int, span_days: float = 12.0, regulars: int = 1500
    ) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.items: list[Item] = []
        self.campaigns: dict[str, Campaign] = {}
        self.n = 0
        self.accounts: dict[str, tuple[datetime, str, str, str]] = {}
        self.n_stories = n_stories
        self.story_publish = {
            f"s{i:03d}": T0 + timedelta(hours=self.rng.uniform(0, 24 * span_days))
            for i in range(n_stories)
        }
        self.stories = list(self.story_publish)
        self.uas = [f"ua{i}" for i in range(40)]
        self.ua_cum = list(itertools.accumulate(1 / (i + 1) ** 1.2 for i in range(40)))
        self.span_days = span_days
        self.regulars = range(regulars)
        self.regular_cum = list(itertools.accumulate(1 / (i + 10) for i in range(regulars)))

    def account(
        self,
        acc: str,
        created: datetime,
        net: str | None = None,
        ua: str | None = None,
        sso: str | None = None,
    ) -> str:
        rng = self.rng
        if acc not in self.accounts:
            self.accounts[acc] = (
                created,
                net or self.organic_network(),
                ua or rng.choices(self.uas, cum_weights=self.ua_cum)[0],
                sso or rng.choices(["google", "facebook", "apple", "email"], [40, 30, 10, 20])[0],
            )
        return acc

    def post(self, acc: str, story: str, text: str, at: datetime, label: str) -> str:
        created, net, ua, sso = self.accounts[acc]
        cid = f"k{self.seed}-{self.n:06d}"
        self.n += 1
        sig = CommentSignal(cid, acc, story, text, at, created, net, ua, sso)
        self.items.append(Item(sig, label))
        return cid

    def organic_network(self) -> str:
        # Most readers sit behind their own prefix; some behind a shared NAT (office, campus,
        # mobile carrier), so organic accounts do share prefixes now and then.
        rng = self.rng
        if rng.random() < 0.1:
            return f"nat{rng.randrange(40)}"
        return f"net{rng.randrange(200_000)}"

    def organic_account(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:  # regulars: a heavy-tailed (Zipf) pool
            acc = f"org-r{rng.choices(self.regulars, cum_weights=self.regular_cum)[0]}"
        else:
            acc = f"org-o{self.n}"
        created = T0 - timedelta(days=rng.uniform(30, 6 * 365))
        if rng.random() < 0.08:  # genuine newcomers
            created = T0 + timedelta(days=rng.uniform(0, self.span_days - 1))
        return self.account(acc, created)

    def organic_time(self, story: str) -> datetime:
        return self.story_publish[story] + timedelta(hours=self.rng.expovariate(1 / 5))


def build(
    seed: int = 1,
    *,
    n_stories: int = 50,
    per_kind: int = 12,
    traps: bool = True,
    human_paraphrase: bool = False,
) -> World:
    """Organic comments + traps + ``per_kind`` campaigns of each kind, sorted by time."""
    b = _Builder(seed, n_stories)
    rng = b.rng
    organic = load_organic()
    talking = load_talking_points()
    rng.shuffle(talking)
    titles = sorted({k for k, _ in organic if k})
    title_story = {t: b.stories[i] for i, t in enumerate(titles)}

    # Story text: title plus sentences from organic comments set aside for it.
    rng.shuffle(organic)
    pool = [t for k, t in organic if not k]
    story_text: dict[str, str] = {}
    for i, s in enumerate(b.stories):
        body = " ".join(pool[i * 4 : i * 4 + 4])
        title = next((t for t, st in title_story.items() if st == s), f"Story {s}")
        story_text[s] = f"{title}. {body}"
    reserved = set(pool[: len(b.stories) * 4])
    # Text for the traps and the co-activity crews: real comments, each used once, never also
    # posted as an ordinary organic comment.
    spare = pool[len(b.stories) * 4 : len(b.stories) * 4 + 600]
    reserved |= set(spare)
    organic = [(k, t) for k, t in organic if t not in reserved]
    for key, text in organic:
        story = title_story.get(key) or rng.choice(b.stories)
        acc = b.organic_account()
        b.post(acc, story, text, b.organic_time(story), "organic")

    if traps:
        # 1) 40 distinct readers with stock phrases on one story, within a couple of hours...
        s = b.stories[0]
        for _ in range(40):
            acc = b.organic_account()
            at = b.story_publish[s] + timedelta(minutes=rng.uniform(0, 120))
            b.post(acc, s, rng.choice(STOCK_PHRASES[:3]), at, "trap:stock")
        # ... and 120 more spread over every story.
        for _ in range(120):
            s = rng.choice(b.stories)
            b.post(
                b.organic_account(), s, rng.choice(STOCK_PHRASES), b.organic_time(s), "trap:stock"
            )
        # 2) readers quoting the same sentence of the story, then saying their own thing.
        for s in b.stories[1:6]:
            sentence = re.split(r"(?<=[.!?])\s+", story_text[s])[1][:300]
            for _ in range(20):
                own = spare.pop()
                b.post(
                    b.organic_account(),
                    s,
                    f'"{sentence}" {own}' if rng.random() < 0.5 else f"{own} > {sentence}",
                    b.organic_time(s),
                    "trap:quote",
                )

    pit = load_paraphrase_groups() if human_paraphrase else []
    rng.shuffle(pit)
    if traps and pit:
        # 3) real readers on a trending topic saying the same thing in their own words (PIT-2015
        #    paraphrase groups), on one story within a few hours: organic agreement.
        for group in pit[:6]:
            s = rng.choice(b.stories)
            for text in group:
                at = b.story_publish[s] + timedelta(minutes=rng.uniform(0, 240))
                b.post(b.organic_account(), s, text, at, "trap:topic")
        pit = pit[6:]

    tp_iter = iter(talking)
    kinds = KINDS + (EXTRA_KINDS if human_paraphrase else ())
    pit_iter = iter(pit)
    for kind in kinds:
        for j in range(per_kind):
            _inject(b, kind, f"{kind}-{j}", tp_iter, spare, pit_iter)

    b.items.sort(key=lambda it: it.signal.created_at)
    return World(b.items, b.campaigns, story_text)


def _crew(
    b: _Builder, cid: str, n: int, *, cohort: bool, shared_net: bool, start: datetime
) -> list[str]:
    rng = b.rng
    accs = []
    base_created = start - timedelta(hours=rng.uniform(1, 72))
    nets = [f"{cid}-net{i}" for i in range(rng.randint(1, 3))]
    for i in range(n):
        if cohort:
            created = base_created + timedelta(minutes=rng.uniform(0, 110))
        else:  # bought or long-dormant accounts
            created = T0 - timedelta(days=rng.uniform(60, 5 * 365))
        net = rng.choice(nets) if shared_net else None
        accs.append(b.account(f"{cid}-a{i}", created, net=net))
    return accs


def _inject(
    b: _Builder,
    kind: str,
    cid: str,
    tps: Iterator[str],
    organic: list[str],
    pit: Iterator[list[str]] | None = None,
) -> None:
    rng = b.rng
    camp = b.campaigns[cid] = Campaign(cid, kind)
    stories = rng.sample(b.stories, 3)
    start = b.story_publish[stories[0]] + timedelta(minutes=rng.uniform(10, 300))
    camp.start = start

    def post(acc: str, story: str, text: str, at: datetime) -> None:
        camp.comment_ids.append(b.post(acc, story, text, at, cid))
        if acc not in camp.accounts:
            camp.accounts.append(acc)

    cohort = rng.random() < 0.6
    shared_net = rng.random() < 0.4
    if kind == "copy_paste":
        accs = _crew(b, cid, rng.randint(6, 25), cohort=cohort, shared_net=shared_net, start=start)
        text = next(tps)
        span = rng.uniform(5, 45)
        for acc in accs:
            story = stories[0] if rng.random() < 0.7 else stories[1]
            post(acc, story, dodge(text, rng), start + timedelta(minutes=rng.uniform(0, span)))
    elif kind == "template":
        accs = _crew(b, cid, rng.randint(6, 20), cohort=cohort, shared_net=shared_net, start=start)
        tp = next(tps)
        tpl = rng.choice(TEMPLATES)
        for acc in accs:
            text = tpl.format(
                role=rng.choice(ROLES),
                city=rng.choice(CITIES),
                tp=tp,
                tp_lower=tp[0].lower() + tp[1:],
            )
            at = start + timedelta(minutes=rng.uniform(0, 180))
            post(acc, stories[0] if rng.random() < 0.6 else stories[1], text, at)
    elif kind == "paraphrase":
        accs = _crew(b, cid, rng.randint(6, 15), cohort=cohort, shared_net=shared_net, start=start)
        points = [next(tps) for _ in range(rng.randint(1, 3))]
        for i, acc in enumerate(accs):
            for k in range(rng.randint(1, 2)):
                tp = points[(i + k) % len(points)]
                at = start + timedelta(minutes=rng.uniform(0, 240))
                post(acc, rng.choice(stories), paraphrase(tp, rng), at)
    elif kind == "slow_drip":
        accs = _crew(b, cid, rng.randint(4, 8), cohort=False, shared_net=False, start=start)
        tp = next(tps)
        days = rng.uniform(3, 6)
        for acc in accs:
            for _ in range(rng.randint(1, 2)):
                at = start + timedelta(days=rng.uniform(0, days))
                text = tp if rng.random() < 0.5 else rng.choice(OPENERS[1:]) + tp
                post(acc, rng.choice(b.stories), dodge(text, rng), at)
    elif kind == "cell":
        accs = _crew(b, cid, rng.randint(3, 5), cohort=cohort, shared_net=shared_net, start=start)
        tp = next(tps)
        for acc in accs:
            text = tp if rng.random() < 0.5 else paraphrase(tp, rng, strength=0.4)
            post(acc, stories[0], text, start + timedelta(minutes=rng.uniform(0, 60)))
    elif kind == "coactivity":
        # Different (organic-looking) text every time, but the same 4-6 accounts turn up on the
        # same stories within minutes of each other.
        accs = _crew(b, cid, rng.randint(4, 6), cohort=False, shared_net=False, start=start)
        # Stories published within three days of the start: a crew works a news cycle.
        near = [
            s for s, t in b.story_publish.items() if abs((t - start).total_seconds()) < 3 * 86_400
        ]
        for s in rng.sample(near if len(near) >= 4 else b.stories, 4):
            t = b.story_publish[s] + timedelta(minutes=rng.uniform(5, 600))
            for acc in accs:
                post(acc, s, organic.pop(), t + timedelta(minutes=rng.uniform(0, 4)))
    elif kind == "human_paraphrase":
        assert pit is not None
        group = next(pit)
        accs = _crew(b, cid, len(group), cohort=cohort, shared_net=shared_net, start=start)
        for acc, text in zip(accs, group, strict=True):
            post(acc, stories[0], text, start + timedelta(minutes=rng.uniform(0, 90)))
    else:  # pragma: no cover
        raise ValueError(kind)


if __name__ == "__main__":
    w = build()
    print(len(w.items), "comments,", len(w.campaigns), "campaigns")
    print(sum(1 for i in w.items if i.label == "organic"), "organic")
