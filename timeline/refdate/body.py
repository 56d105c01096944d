"""What the running text of an article says about when it was written: a window and a guess.

The clues, each a bound on the writing date:

* a fully specified past date (or month/year) mentioned in the text is a lower bound: the article is
  written on or after it ("December 17, 2014" -> earliest 2014-12-17; "in 2015" -> 2015-01-01);
* a fully specified date in a future-tense clause is an upper bound ("will vote on March 3");
* "last year" right next to an explicit year, or "Last year, <event>" with the event dated in another
  sentence, fixes the year; "less than four years after <event dated 2011>" gives an upper bound;
* weekdays reported as news ("on Sunday") do not bound anything alone, but news is usually written
  on the weekday it reports or within the next days, so they pick the best day inside the window.

Nothing here claims more than the text gives: with only a lower bound, ``latest`` stays None and the
confidence stays low; ``best`` is set only when the bounds meet on one day (the weekday-scored
likeliest day is ``guess``); with no bound at all the method is "none".

Clue vocabularies and weights live in ``resources/refdate.toml``; each clue's name is recorded in
``ReferenceDate.evidence`` with the sentence it came from. Explicit dates come from the temporal
tagger (``timeline.tag`` with ``dct=None``: only fully specified values are absolute).
"""
from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Callable, Sequence

from .. import timex3
from ..records import Evidence, ReferenceDate, Timex

RESOURCES = Path(__file__).resolve().parent.parent / "resources"

_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=[\"“‘'(]?[A-Z0-9])|\n+")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_ABSOLUTE = re.compile(r"^\d{2,4}")


# --------------------------------------------------------------------------------------------------
# Resources
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Clues:
    before_words: int
    after_words: int
    future_before_words: int
    clause_words: int
    future_after_words: int
    future: tuple[re.Pattern, ...]
    uncertain: tuple[re.Pattern, ...]
    no_bound_before: tuple[re.Pattern, ...]
    past_markers: frozenset[str]
    irregular_past: frozenset[str]
    not_past: frozenset[str]
    reporting_verbs: frozenset[str]
    reporting_reach: int
    determiners: frozenset[str]
    passive_auxiliaries: frozenset[str]
    product_nouns: frozenset[str]
    weekday: re.Pattern
    weekday_names: tuple[str, ...]
    news_weights: tuple[float, ...]
    last_weights: tuple[float, ...]
    future_weights: tuple[float, ...]
    future_factor: float
    relative: tuple[tuple[re.Pattern, str, int], ...]
    max_gap: int
    min_shared_lower: int
    min_shared_names: int
    elapsed: re.Pattern
    numbers: dict[str, int]
    less: frozenset[str]
    more: frozenset[str]
    event_end: re.Pattern
    confidence: dict[str, float]
    stopwords: frozenset[str]


def _marker(words: str) -> re.Pattern:
    # case-sensitive on purpose: "may" is a marker, "May 2014" is a month
    body = re.escape(words).replace(r"\ ", r"\s+") + r"(?![\w'’])"
    if words[:1] in ("'", "’"):  # a clitic: "they'll"
        return re.compile(r"(?<=\w)" + body)
    return re.compile(r"(?<![\w'’])" + body)


@cache
def _clues() -> _Clues:
    with open(RESOURCES / "refdate.toml", "rb") as fh:
        data = tomllib.load(fh)
    ctx, wk, el = data["context"], data["weekday"], data["elapsed"]
    names = tuple(wk["names"])
    return _Clues(
        before_words=int(ctx["before_words"]),
        after_words=int(ctx["after_words"]),
        future_before_words=int(ctx["future_before_words"]),
        clause_words=int(ctx["clause_words"]),
        future_after_words=int(ctx["future_after_words"]),
        past_markers=frozenset(ctx["past_markers"]),
        irregular_past=frozenset(ctx["irregular_past"]),
        not_past=frozenset(ctx["not_past"]),
        reporting_verbs=frozenset(ctx["reporting_verbs"]),
        reporting_reach=int(ctx["reporting_reach"]),
        determiners=frozenset(ctx["determiners"]),
        passive_auxiliaries=frozenset(ctx["passive_auxiliaries"]),
        product_nouns=frozenset(ctx["product_nouns"]),
        future=tuple(_marker(m) for m in ctx["future_markers"]),
        uncertain=tuple(_marker(m) for m in ctx["uncertain_markers"]),
        no_bound_before=tuple(re.compile(r"(?i)(?<![\w])" + re.escape(m) + r"\s+(the\s+)?$")
                              for m in ctx["no_bound_before"]),
        weekday=re.compile(r"(?i)\b(" + "|".join(names) + r")s?\b"),
        weekday_names=names,
        news_weights=tuple(wk["news_weights"]),
        last_weights=tuple(wk["last_weights"]),
        future_weights=tuple(wk["future_weights"]),
        future_factor=float(wk["future_factor"]),
        relative=tuple((re.compile(r["phrase"]), r["unit"], int(r["shift"])) for r in data["relative"]),
        max_gap=int(data["anchoring"]["max_gap"]),
        min_shared_lower=int(data["anchoring"]["min_shared_lower"]),
        min_shared_names=int(data["anchoring"]["min_shared_names"]),
        elapsed=re.compile(el["pattern"]),
        numbers={k.lower(): int(v) for k, v in el["numbers"].items()},
        less=frozenset(el["less"]),
        more=frozenset(el["more"]),
        event_end=re.compile(el["event_end"]),
        confidence={k: float(v) for k, v in data["confidence"].items()},
        stopwords=frozenset(data["anchoring"]["stopwords"]),
    )


# --------------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------------
def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start() + len(m.group().rstrip())
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    # trim leading whitespace so evidence text starts at the sentence
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans]


def _sentence_of(spans: Sequence[tuple[int, int]], offset: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= offset < e:
            return s, e
    return offset, offset


_SPELLED_YEAR = re.compile(r"(?i)\b(nineteen|twenty|two thousand|hundred)\b")


def _states_year(t: Timex) -> bool:
    """Does the expression itself state its year ("March 12, 1997", "'97", "the 1990s")?"""
    m = re.match(r"^(\d{4})", t.value)
    if m is None:  # decade or century value: its digits must be written
        return bool(re.search(r"\d", t.text)) or bool(_SPELLED_YEAR.search(t.text))
    year = m.group(1)
    return year in t.text or f"'{year[2:]}" in t.text or f"’{year[2:]}" in t.text \
        or bool(_SPELLED_YEAR.search(t.text))


def _add_months(day: date, months: int) -> date:
    return timex3.add_months(day, months)


def _clamp(day: date, lo: date | None, hi: date | None) -> date:
    if lo is not None and day < lo:
        return lo
    if hi is not None and day > hi:
        return hi
    return day


# --------------------------------------------------------------------------------------------------
# Clue finding
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Weekday:
    weekday: int  # 0 = Monday
    kind: str  # "news", "last", "future"
    at: int  # offset of the weekday in the text
    evidence: Evidence


@dataclass(frozen=True)
class _Absolute:
    """A fully specified date mentioned in the text."""

    timex: Timex
    first: date
    last: date
    granularity: str
    sentence: tuple[int, int]


class _Finder:
    def __init__(self, text: str, timexes: Sequence[Timex], captions: Sequence[tuple[int, int]]):
        self.text = text
        self.clues = _clues()
        self.sentences = _sentence_spans(text)
        self.timexes = sorted(timexes, key=lambda t: (t.start, t.end))
        self.captions = tuple(captions)
        self.absolutes = [a for a in (self._absolute(t) for t in self.timexes) if a is not None]

    # -- helpers --
    def _evidence(self, sentence: tuple[int, int], clue: str, earliest: date | None, latest: date | None) -> Evidence:
        s, e = sentence
        return Evidence(self.text[s:e], s, e, clue, earliest, latest)

    def _absolute(self, t: Timex) -> _Absolute | None:
        if t.type not in ("DATE", "TIME") or not _ABSOLUTE.match(t.value or ""):
            return None
        first, last = t.first_day, t.last_day
        if first is None or last is None:
            span = timex3.interval(t.value)
            if span is None:
                return None
            first, last = span
        if not _states_year(t):
            return None  # the year came from elsewhere (the tagger's context), not from these words
        gran = t.granularity or timex3.granularity(t.value) or "day"
        return _Absolute(t, first, last, gran, _sentence_of(self.sentences, t.start))

    def _is_past_word(self, word: str, previous: str, distance: int) -> bool:
        c = self.clues
        lower = word.lower()
        if lower in c.past_markers:
            return True
        if not word[:1].islower():
            return False  # names ("Ahmed", "United") are not verbs
        if lower in c.reporting_verbs:
            return distance < c.reporting_reach  # "said on Tuesday", not "said it expects ... 1990"
        if previous.lower() in c.passive_auxiliaries:
            return False  # "will be held", "would be seized"
        if lower in c.irregular_past:
            return True
        return (len(lower) > 4 and lower.endswith("ed") and lower.isalpha() and lower not in c.not_past
                and previous.lower() not in c.determiners)

    def _scan_before(self, start: int, future: Sequence[re.Pattern]) -> tuple[int, str] | None:
        """The marker nearest before ``start`` in its clause: (distance in words, kind).

        Nearest wins, so "Talks will resume next Friday, after a round that ended in 2014" reads
        2014 as past ("ended" is nearer than "will"/"next").
        """
        c = self.clues
        s, _ = _sentence_of(self.sentences, start)
        before_text = self.text[s:start]
        clause = re.split(r";|:|\s--\s|\s_\s|\(", before_text)[-1]
        if len(clause) == len(before_text):
            clause = clause[:1].lower() + clause[1:]  # "Next week, ..." starts the sentence
        words = list(_TOKEN.finditer(clause))[-c.clause_words:]
        if not words:
            return None
        cut = words[0].start()
        starts = [w.start() for w in words]

        def distance(pos: int) -> int:  # words between pos and the date
            return len(starts) - bisect.bisect_left(starts, pos)

        found = []
        for kind, patterns, reach in (("future", future, c.clause_words), ("uncertain", c.uncertain, c.before_words)):
            for pattern in patterns:
                for m in pattern.finditer(clause, cut):
                    d = distance(m.end())
                    if d < reach:
                        found.append((d, 0 if kind == "future" else 1, kind))
        for index, w in enumerate(words):
            d = len(words) - 1 - index
            previous = words[index - 1].group() if index else ""
            if d < c.before_words and self._is_past_word(w.group(), previous, d):
                found.append((d, 2, "past"))
        if not found:
            return None
        d, _, kind = min(found)
        return d, kind

    def _tense(self, start: int, end: int) -> str:
        """How the clause around text[start:end] places it relative to the writing date.

        'future' (an upper bound), 'past' (a lower bound), or 'uncertain' / 'no-bound' / 'unknown'
        (no bound). Photo captions describe something already photographed: always 'past'.
        """
        c = self.clues
        if any(a <= start < b for a, b in self.captions):
            return "past"
        s, e = _sentence_of(self.sentences, start)
        if any(p.search(self.text[s:start]) for p in c.no_bound_before):
            return "no-bound"
        # after the date, only up to a comma: "invited in July 1997, will join" is not future
        after = list(_TOKEN.finditer(self.text[end:e].split(",")[0]))[: c.after_words]
        if after and after[0].group().lower() in c.product_nouns and re.fullmatch(r"\d{4}", self.text[start:end]):
            return "no-bound"  # "the 2011 version of iLife": a product's year
        if any(p.fullmatch(w.group()) for w in after[: c.future_after_words] for p in c.uncertain):
            return "uncertain"  # "trimmed his 1990 earnings projection": the year names a forecast
        nearest = self._scan_before(start, c.future)
        if nearest is not None:
            d, kind = nearest
            if kind == "future":
                # far back in the clause, a future marker still makes it uncertain ("will mean lower
                # earnings for the last half of 1989 and for 1990"), but is no upper bound
                return "future" if d < c.future_before_words else "uncertain"
            return kind
        for index, w in enumerate(after):
            word = w.group()
            if index < c.future_after_words and any(p.fullmatch(word) for p in c.future):
                return "future"
            if any(p.fullmatch(word) for p in c.uncertain):
                return "uncertain"
            if self._is_past_word(word, after[index - 1].group() if index else "", index):
                return "past"
        if any(w.lower() in c.past_markers for w in _TOKEN.findall(self.text[start:end])):
            return "past"
        return "unknown"

    def _weekday_ahead(self, start: int) -> bool:
        """A weekday in a future clause ("will meet on Tuesday", "would be held on Monday").

        Only the words before it count: "said on Tuesday it will ..." reports Tuesday as news.
        """
        nearest = self._scan_before(start, self.clues.future + (_marker("would"),))
        return nearest is not None and nearest[1] == "future" and nearest[0] < self.clues.future_before_words

    def _content_words(self, sentence: tuple[int, int]) -> tuple[set[str], set[str]]:
        """(lower-case event words, capitalised names) of a sentence, for 'same event' matching."""
        s, e = sentence
        tokens = _TOKEN.findall(self.text[s:e])
        lower, names = set(), set()
        for i, tok in enumerate(tokens):
            word = tok.strip("'’-")
            if len(word) < 4 or word.lower() in self.clues.stopwords or word.lower() in self.clues.weekday_names:
                continue
            if word[0].isupper():
                if i > 0:
                    names.add(word)
            else:
                lower.add(word.lower())
        return lower, names

    def _dated_elsewhere(self, words: tuple[set[str], set[str]], exclude: tuple[int, int]) -> _Absolute | None:
        """The one explicit date of the sentence that best shares the event's words, if unambiguous."""
        lower, names = words
        scored = []
        for sentence in self.sentences:
            if sentence == exclude:
                continue
            dated = [a for a in self.absolutes if a.sentence == sentence and a.granularity in ("year", "month", "day")]
            if len(dated) != 1:
                continue
            other_lower, other_names = self._content_words(sentence)
            shared_lower, shared_names = lower & other_lower, names & other_names
            if len(shared_lower) >= self.clues.min_shared_lower and len(shared_names) >= self.clues.min_shared_names:
                scored.append((len(shared_lower) + len(shared_names), dated[0]))
        if not scored:
            return None
        scored.sort(key=lambda x: -x[0])
        if len(scored) > 1 and scored[0][0] == scored[1][0] and scored[0][1].first != scored[1][1].first:
            return None  # two equally good, different dates: ambiguous
        return scored[0][1]

    # -- clue families --
    def explicit(self) -> list[tuple[int, Evidence]]:
        found = []
        for a in self.absolutes:
            tense = self._tense(a.timex.start, a.timex.end)
            if a.timex.mod in ("BEFORE", "ON_OR_BEFORE"):
                tense = "no-bound"  # "before 2015" bounds something else
            name = {"day": "explicit-date", "month": "explicit-month", "season": "explicit-season",
                    "year": "explicit-year"}.get(a.granularity, "explicit-period")
            if a.granularity in ("time", "part-of-day"):
                name = "explicit-date"
            if tense == "past":
                found.append((a.timex.start, self._evidence(a.sentence, name, a.first, None)))
            elif tense == "future":
                found.append((a.timex.start, self._evidence(a.sentence, "future-date", None, a.last)))
        return found

    def weekdays(self) -> list[_Weekday]:
        found = []
        for t in self.timexes:
            if self._absolute(t) is not None:
                continue  # "Tuesday, March 3, 2009" is already an explicit date
            m = self.clues.weekday.search(t.text)
            if m is None or any(s <= t.start < e for s, e in self.captions):
                continue
            if m.group(0).lower() != m.group(1).lower():
                continue  # "on Tuesdays": a habit, not news
            weekday = self.clues.weekday_names.index(m.group(1).lower())
            lowered = t.text.lower()
            sentence = _sentence_of(self.sentences, t.start)
            if re.search(r"\b(last|previous|past)\b", lowered):
                kind = "last"
            elif re.search(r"\b(next|coming|this coming)\b", lowered) or self._weekday_ahead(t.start):
                kind = "future"
            else:
                kind = "news"
            clue = f"weekday-{kind}:{self.clues.weekday_names[weekday]}"
            found.append(_Weekday(weekday, kind, t.start, self._evidence(sentence, clue, None, None)))
        return found

    def relative_anchored(self) -> list[tuple[int, Evidence]]:
        """"last year" beside an explicit year; "Last year, <event>" with the event dated elsewhere."""
        found = []
        for pattern, unit, shift in self.clues.relative:
            for m in pattern.finditer(self.text):
                sentence = _sentence_of(self.sentences, m.start())
                wanted = ("year",) if unit == "year" else ("month",)
                near = [a for a in self.absolutes if a.granularity in wanted and a.sentence == sentence and
                        (0 <= m.start() - a.timex.end <= self.clues.max_gap or
                         0 <= a.timex.start - m.end() <= self.clues.max_gap)]
                clue = "relative-anchored"
                anchor = near[0] if len(near) == 1 else None
                if anchor is None and not near and shift > 0:
                    other = self._dated_elsewhere(self._content_words(sentence), sentence)
                    if other is not None and (other.granularity == unit or unit == "year"):
                        anchor, clue = other, "relative-dated-elsewhere"
                if anchor is None:
                    continue
                if unit == "year":
                    year = anchor.first.year + shift
                    lo, hi = date(year, 1, 1), date(year, 12, 31)
                else:
                    lo = _add_months(date(anchor.first.year, anchor.first.month, 1), shift)
                    hi = _add_months(lo, 1) - timedelta(days=1)
                found.append((m.start(), self._evidence(sentence, clue, lo, hi)))
        return found

    def elapsed(self) -> list[tuple[int, Evidence]]:
        """"less than four years after <event dated Y>", "five years since ...", "in 2011, four years ago"."""
        found = []
        for m in self.clues.elapsed.finditer(self.text):
            n = self.clues.numbers.get(m.group("n").lower()) if not m.group("n").isdigit() else int(m.group("n"))
            if not n:
                continue
            unit = m.group("unit").lower().rstrip("s")
            months = n * {"year": 12, "month": 1, "decade": 120}[unit]
            mod = (m.group("mod") or "").lower()
            sentence = _sentence_of(self.sentences, m.start())
            anchor = None
            if m.group("rel").lower() == "ago":
                near = [a for a in self.absolutes if a.sentence == sentence and a.granularity in ("year", "month", "day")
                        and abs(a.timex.end - m.start()) <= 3 * self.clues.max_gap]
                anchor = near[0] if len(near) == 1 else None
            else:
                end_match = self.clues.event_end.search(self.text, m.end(), sentence[1])
                event_end = end_match.start() if end_match else sentence[1]
                inside = [a for a in self.absolutes if m.end() <= a.timex.start < event_end
                          and a.granularity in ("year", "month", "day")]
                if inside:
                    anchor = inside[0]
                else:
                    words = self._content_words((m.end(), event_end))
                    anchor = self._dated_elsewhere(words, sentence)
            if anchor is None:
                continue
            if mod in self.clues.less:
                lo, hi = anchor.first, _add_months(anchor.last, months)
                if mod in ("almost", "nearly", "not quite"):
                    lo = _add_months(anchor.first, months - max(1, months // 4))
            elif mod in self.clues.more:
                lo, hi = _add_months(anchor.first, months), None
            else:  # a round number: allow half a unit either way (at least six months for years)
                slack = max(months // (2 * n), 6 if unit != "month" else 1)
                lo, hi = _add_months(anchor.first, months - slack), _add_months(anchor.last, months + slack)
            clue = "elapsed-ago-anchored" if m.group("rel").lower() == "ago" else "elapsed-since-dated-event"
            found.append((m.start(), self._evidence(sentence, clue, lo, hi)))
        return found


# --------------------------------------------------------------------------------------------------
# Combining clues
# --------------------------------------------------------------------------------------------------
def _weekday_score(day: date, weekdays: Sequence[_Weekday], clues: _Clues) -> float:
    score = 0.0
    for w in weekdays:
        if w.kind == "future":
            score += clues.future_factor * clues.future_weights[(w.weekday - day.weekday()) % 7]
        elif w.kind == "last":
            score += clues.last_weights[(day.weekday() - w.weekday) % 7]
        else:
            score += clues.news_weights[(day.weekday() - w.weekday) % 7]
    return score


def _combine(bounds: list[tuple[int, Evidence]]) -> tuple[date | None, date | None, list[tuple[int, Evidence]]]:
    """Tightest window all bounds allow. Upper bounds that contradict a lower bound are overruled
    (lower bounds come from dates the text reports as past, which are the more reliable clues)."""
    lows = [e.earliest for _, e in bounds if e.earliest is not None]
    earliest = max(lows) if lows else None
    kept = []
    for at, ev in bounds:
        if ev.latest is not None and earliest is not None and ev.latest < earliest:
            ev = Evidence(ev.text, ev.start, ev.end, ev.clue + ":overruled", ev.earliest, ev.latest)
        kept.append((at, ev))
    highs = [e.latest for _, e in kept if e.latest is not None and not e.clue.endswith(":overruled")]
    latest = min(highs) if highs else None
    return earliest, latest, kept


def _find_captions(text: str) -> tuple[tuple[int, int], ...]:
    """Caption spans of a plain text, in its own offsets (via the corpus cleaner's offset map)."""
    from ..corpus import clean_text

    cleaned = clean_text(text)
    return tuple((cleaned.offsets[s.start], cleaned.offsets[s.end - 1] + 1)
                 for s in cleaned.spans if s.kind == "caption" and s.end > s.start)


def _body_reference(text: str, captions: Sequence[tuple[int, int]], tagger: Callable[[str], Sequence[Timex]]
                    ) -> tuple[ReferenceDate, list[_Weekday]]:
    """What the running text supports: the window from its clues, and a guess inside it.

    ``best`` is set only when the window is a single day; otherwise it stays None and the most
    likely day (weekday clues) goes to ``guess``: a bound is never passed off as the writing day.
    """
    finder = _Finder(text, tagger(text), captions)
    bounds = finder.explicit() + finder.relative_anchored() + finder.elapsed()
    weekdays = finder.weekdays()
    earliest, latest, bounds = _combine(bounds)
    ordered = sorted(bounds + [(w.at, w.evidence) for w in weekdays], key=lambda pair: (pair[0], pair[1].clue))
    evidence = tuple(ev for _, ev in ordered)
    if earliest is None and latest is None:
        return ReferenceDate(None, None, None, 0.0, "none", evidence, rule="none"), weekdays
    day_level_low = any(e.earliest == earliest and e.clue == "explicit-date" for _, e in bounds)
    guess, confidence = _window_guess(earliest, latest, weekdays, day_level_low)
    best = guess if earliest is not None and earliest == latest else None
    return ReferenceDate(best, earliest, latest, confidence, "inferred", evidence, guess=guess,
                         rule="text-day" if best else "text-window"), weekdays


def _window_guess(earliest: date | None, latest: date | None, weekdays: Sequence[_Weekday],
                  day_level_low: bool = False) -> tuple[date, float]:
    """The most likely day of a window (at least one bound set) and the confidence of that guess."""
    clues = _clues()
    if earliest is not None:
        window_end = earliest + timedelta(days=6)
        if latest is not None:
            window_end = min(window_end, latest)
        candidates = [earliest + timedelta(days=i) for i in range((window_end - earliest).days + 1)]
    else:
        assert latest is not None
        candidates = [latest - timedelta(days=i) for i in range(7)]  # nearest to the bound first
    if weekdays:
        best = max(candidates, key=lambda d: _weekday_score(d, weekdays, clues))  # first of equals wins
    else:
        best = candidates[0]
    best = _clamp(best, earliest, latest)

    c = clues.confidence
    weekday_agrees = bool(weekdays) and any(
        w.kind == "news" and (best.weekday() - w.weekday) % 7 <= 1 for w in weekdays)
    if earliest is not None and latest is not None:
        width = (latest - earliest).days
        if width == 0:
            confidence = c["pinned"]
        else:
            confidence = c["base"] + c["bounded_scale"] * 7 / (width + 7)
            confidence += c["weekday_bonus"] if weekday_agrees else 0.0
            confidence = min(confidence, c["pinned"] - 0.1)
    else:
        confidence = c["base"]
        confidence += c["weekday_bonus"] if weekday_agrees else 0.0
        confidence += c["day_bound_bonus"] if day_level_low else 0.0
        confidence = min(confidence, c["max_one_sided"])
    return best, round(confidence, 3)
