"""Merge events that report the same happening into one timeline entry with all its sources.

Two dated events are *linked* when all of these hold:

* **dates compatible** (``dates_compatible``): explicit intervals overlap or lie within
  ``DATE_TOLERANCE_DAYS`` of each other; an event dated only by its article's reference date
  ("the fighters said they had seized ...", published 11 August) is compatible with an explicitly
  dated event whose interval ends at most ``REPORT_LAG_DAYS`` before that date and does not start
  after it (wires report what happened yesterday or the day before). Events anchored by a duration
  ("over the last 10 days") describe a stretch of time, not a happening, and are never merged.
* **score >= required**, where ``score`` = cosine similarity of the MiniLM sentence embeddings
  + ``EVIDENCE_BONUS`` when the two sentences share *anchoring evidence*: the same specific place
  (a neighbourhood or landmark from the gazetteer) or a rare word or number (one that occurs in at
  most ``RARE_MAX_SENTENCES`` or ``RARE_FRACTION`` of the dated sentences, whichever is more:
  "29" strikes, "headquarters", "Ouagadougou"; dates, years and stop words do not count).
  ``required`` = ``threshold``, plus ``COARSE_PENALTY`` when either date is coarser than a month
  (two "in 2014" sentences share little just by their date, so they must say more alike things).
* **different articles** — within one article only near-identical sentences (cosine >=
  ``DUPLICATE_THRESHOLD``) are merged: one story usually tells one happening once, its other
  sentences add detail. Exception, applied after all cross-article links: a same-article pair that
  passes the other two tests may *bridge* two groups that are each already reported by two or more
  articles (an article telling the same capture in two sentences that two other reports matched
  separately); see ``_groups``.

Links are applied greedily from the highest to the lowest score (ties by event order), joining two
groups only when every event of one is date-compatible with every event of the other and their
average score is at least ``required - GROUP_MARGIN`` (no chaining of unrelated same-day sentences
through one strong pair).

Only dated events become entries; undated events (value None) are context and are not returned (the
pipeline keeps them in events.csv).

Why ``DEFAULT_THRESHOLD = 0.59`` (measured on the seeds; ``python -m timeline.merging seeds`` prints
the pair scores and the cosine histogram): among cross-article, date-compatible pairs of day-level
events, cosine alone ranks unrelated Sirte sentences of 9-11 August 2016 (0.45-0.58: two different
casualty statements 0.576, "70 percent liberated" vs. "US special forces" 0.507) above reports of
the same happening worded differently ("captured the Islamic State headquarters" vs. "seized ...
the convention center used as ISIS's headquarters": 0.405; the two "Ouagadougou centre" sentences:
0.423). No cosine threshold separates them, so shared evidence is added: with the bonus (0.20)
those pairs score 0.605 and 0.623 and the US "29 strikes" pair 0.874, while the best day-level pair
without shared evidence stays at 0.576. 0.59 is the middle of that gap (0.576-0.605). The gap is
narrow: this is a heuristic tuned on five articles, and the explanation in ``merge_note`` shows
every link's cosine and evidence so a wrong merge can be traced. For coarse dates the penalty
(0.05) keeps "since the summer of 2014 ..." apart from other 2014 background (0.60-0.62) but lets
the two "Gaddafi ousted in (October) 2011" sentences (0.68 with evidence) merge.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from .events import NEWS_RULE
from .ordering import GRANULARITY_RANK, granularity_rank, in_campaign, order_entries
from .places import gazetteer
from .records import Event, SourceRef, TimelineEntry

DEFAULT_THRESHOLD = 0.59
EVIDENCE_BONUS = 0.20
COARSE_PENALTY = 0.05  # added to the threshold when a date is coarser than a month
DUPLICATE_THRESHOLD = 0.92  # same-article merges: the same sentence pasted twice
GROUP_MARGIN = 0.10
DATE_TOLERANCE_DAYS = 1
REPORT_LAG_DAYS = 2
# A word is rare when at most this many dated sentences use it, or this share of them (so that in a
# big corpus where ten wires repeat "29 strikes", "29" still counts as evidence).
RARE_MAX_SENTENCES = 2
RARE_FRACTION = 0.02
SPECIFIC_PLACE_KINDS = frozenset({"neighbourhood", "landmark"})
_COARSE_RANK = GRANULARITY_RANK["month"]
_TERM = re.compile(r"[A-Za-z][A-Za-z]+|\d+(?:[.,]\d+)?")
_YEAR_NUMBER = re.compile(r"^(?:1[89]|20)\d\d$")


@cache
def _stop_words() -> frozenset[str]:
    path = Path(__file__).with_name("resources") / "event_words.toml"
    with open(path, "rb") as fh:
        return frozenset(tomllib.load(fh)["merging"]["stop_words"])


@dataclass(frozen=True)
class Link:
    """Why two events were merged."""

    first: int  # indices into the sorted dated events
    second: int
    cosine: float
    score: float
    evidence: tuple[str, ...]  # shared specific places / rare words that earned the bonus
    bridge: bool = False  # a same-article pair joining two groups each reported by two articles


def _is_report_dated(e: Event) -> bool:
    return e.rule == NEWS_RULE and e.timex is None


def _is_duration(e: Event) -> bool:
    return e.timex is not None and e.timex.type == "DURATION"


def dates_compatible(a: Event, b: Event) -> bool:
    """Could ``a`` and ``b`` be the same happening as far as their dates go? (symmetric)"""
    if None in (a.first_day, a.last_day, b.first_day, b.last_day) or _is_duration(a) or _is_duration(b):
        return False
    ra, rb = _is_report_dated(a), _is_report_dated(b)
    if ra and rb:
        return abs((a.first_day - b.first_day).days) <= DATE_TOLERANCE_DAYS
    if ra or rb:
        report, explicit = (a, b) if ra else (b, a)
        return (
            explicit.first_day <= report.first_day
            and (report.first_day - explicit.last_day).days <= REPORT_LAG_DAYS
        )
    return (
        (a.first_day - b.last_day).days <= DATE_TOLERANCE_DAYS
        and (b.first_day - a.last_day).days <= DATE_TOLERANCE_DAYS
    )


def _event_key(e: Event) -> tuple:
    return (e.article, e.start, e.end, e.sentence_index, e.text, e.value or "")


def _label(e: Event) -> str:
    return f"{e.article}#{e.sentence_index}"


def _specificity(e: Event) -> tuple:
    """Smaller is more specific: explicit dates before report dates, finer before coarser."""
    span = (e.last_day - e.first_day).days if e.first_day and e.last_day else 1 << 30
    return (_is_report_dated(e), granularity_rank(e.granularity), span, _event_key(e))


def _terms(e: Event) -> frozenset[str]:
    """Content words and numbers of the sentence, minus its date expression and year numbers."""
    text = e.text
    if e.timex is not None and e.timex.text in text:
        text = text.replace(e.timex.text, " ")
    stop = _stop_words()
    found = set()
    for token in _TERM.findall(text):
        word = token.lower()
        if word[0].isdigit():
            if not _YEAR_NUMBER.match(word):
                found.add(word)
        elif len(word) >= 4 and word not in stop:
            found.add(word)
    return frozenset(found)


class _Pairs:
    """Cosines, shared evidence and scores of event pairs, computed on demand.

    Only date-compatible pairs are ever scored, found with a sweep over events sorted by start
    date, so a large corpus costs (events x events on nearby dates), not (events x events).
    """

    def __init__(self, dated: list[Event], embed: Callable[[Sequence[str]], np.ndarray] | None, threshold: float):
        self.dated = dated
        self.threshold = threshold
        self.vectors = _vectors([e.text for e in dated], embed)
        terms = [_terms(e) for e in dated]
        frequency: dict[str, int] = {}
        for found in terms:
            for word in found:
                frequency[word] = frequency.get(word, 0) + 1
        limit = max(RARE_MAX_SENTENCES, int(RARE_FRACTION * len(dated)))
        self.rare = [frozenset(w for w in found if frequency[w] <= limit) for found in terms]
        places = gazetteer()
        self.specific = [
            frozenset(p for p in e.places if p in places and places[p].kind in SPECIFIC_PLACE_KINDS)
            for e in dated
        ]

    def cosine(self, i: int, j: int) -> float:
        if i == j:
            return 1.0
        # Rounded so that tie-breaking and the explanation do not depend on the last float bits.
        return round(float(self.vectors[i] @ self.vectors[j]), 4)

    def evidence(self, i: int, j: int) -> tuple[str, ...]:
        return tuple(sorted(self.specific[i] & self.specific[j]) + sorted(self.rare[i] & self.rare[j]))

    def score(self, i: int, j: int) -> float:
        bonus = EVIDENCE_BONUS if i != j and self.evidence(i, j) else 0.0
        return round(self.cosine(i, j) + bonus, 4)

    def required(self, i: int, j: int) -> float:
        return _required(self.dated[i], self.dated[j], self.threshold)

    def compatible_pairs(self) -> list[tuple[int, int]]:
        """(i, j), i < j, of every date-compatible pair."""
        dated = self.dated
        by_start = sorted(range(len(dated)), key=lambda i: (dated[i].first_day, i))
        reach = max(DATE_TOLERANCE_DAYS, REPORT_LAG_DAYS)
        pairs = []
        for pos, i in enumerate(by_start):
            for j in by_start[pos + 1:]:
                # j starts no earlier than i; every rule in dates_compatible needs j to start within
                # ``reach`` days of i's end, and later j in this order only start later.
                if (dated[j].first_day - dated[i].last_day).days > reach:
                    break
                if dates_compatible(dated[i], dated[j]):
                    pairs.append((min(i, j), max(i, j)))
        return sorted(pairs)


def _vectors(texts: list[str], embed: Callable[[Sequence[str]], np.ndarray] | None) -> np.ndarray:
    if len(texts) < 2:
        return np.ones((len(texts), 1), dtype=np.float64)
    if embed is None:
        from .embeddings import embed as default_embed

        embed = default_embed
    vectors = np.asarray(embed(texts), dtype=np.float64)
    if vectors.ndim != 2 or vectors.shape[0] != len(texts):
        raise ValueError(f"embed returned an array of shape {vectors.shape} for {len(texts)} texts")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def _required(a: Event, b: Event, threshold: float) -> float:
    coarse = max(granularity_rank(a.granularity), granularity_rank(b.granularity)) > _COARSE_RANK
    return threshold + (COARSE_PENALTY if coarse else 0.0)


def _links(pairs: _Pairs) -> list[Link]:
    candidates = []
    for i, j in pairs.compatible_pairs():
        cosine = pairs.cosine(i, j)
        if pairs.dated[i].article == pairs.dated[j].article:
            ok = cosine >= DUPLICATE_THRESHOLD
        else:
            ok = pairs.score(i, j) >= pairs.required(i, j)
        if ok:
            candidates.append(Link(i, j, cosine, pairs.score(i, j), pairs.evidence(i, j)))
    candidates.sort(key=lambda link: (-link.score, -link.cosine, link.first, link.second))
    return candidates


def _bridges(pairs: _Pairs) -> list[Link]:
    """Same-article pairs that share evidence and reach the threshold (see ``_groups``)."""
    found = []
    for i, j in pairs.compatible_pairs():
        if pairs.dated[i].article != pairs.dated[j].article or not pairs.evidence(i, j):
            continue
        if pairs.score(i, j) >= pairs.required(i, j):
            found.append(Link(i, j, pairs.cosine(i, j), pairs.score(i, j), pairs.evidence(i, j), bridge=True))
    found.sort(key=lambda link: (-link.score, -link.cosine, link.first, link.second))
    return found


def _groups(pairs: _Pairs) -> tuple[list[list[int]], dict[int, list[Link]]]:
    """Greedy grouping: cross-article links first, then same-article bridges between corroborated groups.

    Bridge pass: an article that tells one happening in two sentences ("seized the convention center
    used as ISIS's headquarters" ... "the Ouagadougou [convention] centre is in our hands") may join
    two groups when *each* group is already reported by at least two articles, all their dates are
    compatible, and the two sentences share evidence and reach the threshold. A single article is
    never the only reason for a merge.
    """
    dated = pairs.dated
    group_of = list(range(len(dated)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(dated))}
    used: dict[int, list[Link]] = {i: [] for i in range(len(dated))}

    def join(link: Link, ga: int, gb: int) -> None:
        keep, gone = min(ga, gb), max(ga, gb)  # a group is keyed by its smallest member
        members[keep] = sorted(members[keep] + members.pop(gone))
        used[keep] = used[keep] + used.pop(gone) + [link]
        for x in members[keep]:
            group_of[x] = keep

    for link in _links(pairs):
        ga, gb = group_of[link.first], group_of[link.second]
        if ga == gb:
            continue
        a, b = members[ga], members[gb]
        if not all(dates_compatible(dated[x], dated[y]) for x in a for y in b):
            continue
        required = max(pairs.required(x, y) for x in a for y in b)
        average = sum(pairs.score(x, y) for x in a for y in b) / (len(a) * len(b))
        if average < required - GROUP_MARGIN:
            continue
        join(link, ga, gb)

    for link in _bridges(pairs):
        ga, gb = group_of[link.first], group_of[link.second]
        if ga == gb:
            continue
        a, b = members[ga], members[gb]
        corroborated = all(len({dated[x].article for x in g}) >= 2 for g in (a, b))
        if corroborated and all(dates_compatible(dated[x], dated[y]) for x in a for y in b):
            join(link, ga, gb)
    return [members[g] for g in sorted(members)], used


def _places(events: Iterable[Event]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for e in sorted(events, key=_event_key):
        for place in e.places:
            seen.setdefault(place, None)
    return tuple(seen)


def _note(dated: list[Event], group: list[int], links: list[Link], anchor: Event, threshold: float) -> str:
    parts = []
    for link in sorted(links, key=lambda l: (-l.score, l.first, l.second)):
        why = f" + shared {', '.join(link.evidence)}" if link.evidence else ""
        bridge = " (same-article bridge between corroborated groups)" if link.bridge else ""
        parts.append(
            f"{_label(dated[link.first])}~{_label(dated[link.second])}: cos={link.cosine:.3f}{why} "
            f"-> score {link.score:.3f}{bridge}"
        )
    articles = len({dated[i].article for i in group})
    return (
        f"merged {len(group)} sentences from {articles} articles (threshold {threshold:.2f}, dates "
        f"compatible): " + "; ".join(parts) + f"; dated by {_label(anchor)} ({anchor.rule})"
    )


def _entry(pairs: _Pairs, group: list[int], links: list[Link]) -> TimelineEntry:
    dated, threshold = pairs.dated, pairs.threshold
    anchor_index = min(group, key=lambda i: _specificity(dated[i]))
    anchor = dated[anchor_index]
    order = [anchor_index] + sorted((i for i in group if i != anchor_index), key=lambda i: _event_key(dated[i]))
    merged = len(group) > 1
    sources = tuple(
        SourceRef(
            article=dated[i].article,
            sentence=dated[i].text,
            start=dated[i].start,
            end=dated[i].end,
            timex=dated[i].timex.text if dated[i].timex is not None else None,
            rule=dated[i].rule,
            similarity=pairs.cosine(anchor_index, i) if merged and i != anchor_index else None,
        )
        for i in order
    )
    return TimelineEntry(
        date=anchor.value,
        start=anchor.first_day,
        end=anchor.last_day,
        granularity=anchor.granularity or "",
        places=_places(dated[i] for i in group),
        sources=sources,
        in_campaign=in_campaign((anchor.first_day, anchor.last_day)),
        merge_note=_note(dated, group, links, anchor, threshold) if merged else "",
        extra={
            "events": [(dated[i].article, dated[i].sentence_index) for i in order],
            "kinds": [dated[i].kind for i in order],
        },
    )


def merge_events(
    events: Iterable[Event],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    embed: Callable[[Sequence[str]], np.ndarray] | None = None,
) -> list[TimelineEntry]:
    """Timeline entries for the dated events, same happenings merged; in ``order_entries`` order.

    ``threshold`` is the score two sentences from different articles need (see the module
    docstring); ``embed`` maps texts to vectors (default: the MiniLM embedder, loaded only when
    there are at least two dated events). Undated events are skipped. The same events in any input
    order give the same entries.
    """
    if not 0.0 <= threshold <= 2.0:
        raise ValueError(f"threshold must be between 0 and 2 (cosine + evidence bonus), got {threshold}")
    unique: dict[tuple, Event] = {}
    for e in events:
        if e.value is not None and e.first_day is not None and e.last_day is not None:
            unique.setdefault(_event_key(e), e)
    dated = [unique[k] for k in sorted(unique)]
    pairs = _Pairs(dated, embed, threshold)
    groups, used = _groups(pairs)
    entries = [_entry(pairs, group, used[group[0]]) for group in groups]
    return order_entries(entries)


@dataclass(frozen=True)
class PairScore:
    """One cross-article, date-compatible pair of dated events and how it scores (diagnostics)."""

    first: Event
    second: Event
    cosine: float
    evidence: tuple[str, ...]
    score: float
    required: float


def pair_report(
    events: Iterable[Event], *, threshold: float = DEFAULT_THRESHOLD,
    embed: Callable[[Sequence[str]], np.ndarray] | None = None,
) -> list[PairScore]:
    """All cross-article date-compatible pairs, best score first: the data behind the threshold."""
    unique = {_event_key(e): e for e in events if e.value is not None and e.first_day and e.last_day}
    dated = [unique[k] for k in sorted(unique)]
    pairs = _Pairs(dated, embed, threshold)
    rows = [
        PairScore(dated[i], dated[j], pairs.cosine(i, j), pairs.evidence(i, j), pairs.score(i, j),
                  pairs.required(i, j))
        for i, j in pairs.compatible_pairs()
        if dated[i].article != dated[j].article
    ]
    rows.sort(key=lambda r: (-r.score, -r.cosine, _event_key(r.first), _event_key(r.second)))
    return rows


def main(argv: list[str] | None = None) -> int:
    """``python -m timeline.merging FOLDER [N]``: the N best-scoring pairs of a corpus (default 30)."""
    import sys

    from .corpus import load_corpus
    from .events import extract_events
    from .refdate import reference_date_for
    from .timexes import tag

    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m timeline.merging FOLDER [N]", file=sys.stderr)
        return 2
    corpus = load_corpus(args[0])
    limit = int(args[1]) if len(args) > 1 else 30
    events = []
    for article in corpus.articles:
        refdate = reference_date_for(article)
        events.extend(extract_events(article, tag(article.body, refdate.best), refdate))
    rows = pair_report(events)
    for r in rows[:limit]:
        mark = "MERGE?" if r.score >= r.required else ""
        print(f"{r.score:.3f} (cos {r.cosine:.3f}{' +' + ','.join(r.evidence) if r.evidence else ''}) "
              f"need {r.required:.2f} {mark}\n   {_label(r.first)} {r.first.value}: {r.first.text[:90]}\n"
              f"   {_label(r.second)} {r.second.value}: {r.second.text[:90]}")
    bins = np.histogram([r.cosine for r in rows], bins=np.linspace(0, 1, 11))[0]
    print("cosine histogram (0.0-1.0 by 0.1):", " ".join(str(int(b)) for b in bins), f"({len(rows)} pairs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
