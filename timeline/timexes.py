"""Temporal tagger: find TIMEX3 expressions in English news text and resolve them against a date.

Why our own engine: news needs tense- and context-aware resolution ("Tuesday" in a past-tense report
is the latest Tuesday on or before the reference date; "next week" moves forward; a year stated in the
same sentence anchors a yearless month) and TimeML extents ("Tuesday", not "on Tuesday"), which a
generic date parser does not give. The rules are data (``resources/timex_words.toml`` word tables and
``resources/timex_rules.toml`` patterns, each rule named); this module compiles them once and applies
them. ``dateparser`` parses the absolute dates a rule has already found (cached).

Public API: ``tag(text, dct=None) -> list[Timex]``.
"""
from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Callable

import numpy as np

from . import timex3
from .records import Timex

__all__ = ["tag", "rule_names"]


# ------------------------------------------------------------------------------------------ loading
def _load_toml(name: str) -> dict:
    return tomllib.loads(resources.files("timeline.resources").joinpath(name).read_text(encoding="utf-8"))


def _alternation(keys) -> str:
    parts = []
    for key in sorted(keys, key=lambda k: (-len(k), k)):
        parts.append(r"\s+".join(re.escape(word) for word in key.split()))
    return "(?:" + "|".join(parts) + ")"


_MACRO = re.compile(r"\{([A-Z][A-Z_]*)\}")


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for _ in range(10):
        new = _MACRO.sub(lambda m: macros[m.group(1)] if m.group(1) in macros else m.group(0), pattern)
        if new == pattern:
            return new
        pattern = new
    raise ValueError(f"macro expansion does not terminate: {pattern[:80]}")


@dataclass(frozen=True)
class _Rule:
    name: str
    regex: re.Pattern
    resolve: str
    priority: int
    params: dict
    capital: tuple[str, ...]
    needs: re.Pattern | None
    reject_before: re.Pattern | None
    reject_after: re.Pattern | None
    order: int
    triggers: frozenset[str] | None  # None: always tried


class _Resources:
    """Word tables and compiled rules, built once per process."""

    def __init__(self) -> None:
        words = _load_toml("timex_words.toml")
        spec = _load_toml("timex_rules.toml")
        self.words = words
        macros: dict[str, str] = {}
        for table, entries in words.items():
            if isinstance(entries, dict) and all(not isinstance(v, (list, dict)) for v in entries.values()):
                macros[table.upper()] = _alternation(entries)
        for name, pattern in spec.get("macros", {}).items():
            macros[name] = pattern
        self.macros = macros

        def compile_opt(pattern: str | None, flags: int = re.IGNORECASE) -> re.Pattern | None:
            return re.compile(_expand(pattern, macros), flags) if pattern else None

        rules = []
        names = set()
        for order, raw in enumerate(spec["rule"]):
            if raw["name"] in names:
                raise ValueError(f"timex_rules.toml: duplicate rule name {raw['name']!r}")
            names.add(raw["name"])
            try:
                regex = re.compile(_expand(raw["pattern"], macros), re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"timex_rules.toml: rule {raw['name']!r} has a bad pattern: {exc}") from exc
            params = dict(raw.get("params", {}))
            triggers = None
            if "triggers" in raw:
                words_needed: set[str] = set()
                for item in raw["triggers"]:
                    if item.startswith("@"):
                        for key in words[item[1:]]:
                            words_needed.update(re.findall(r"[a-z]+", key.lower()))
                    else:
                        words_needed.add(item)
                triggers = frozenset(words_needed)
            if "signal" in params:
                params["signal"] = re.compile(params["signal"])
            for key in [k for k in params if k.endswith("_pattern")]:
                params[key] = re.compile(_expand(params[key], macros), re.IGNORECASE)
            rules.append(_Rule(
                name=raw["name"], regex=regex, resolve=raw["resolve"], priority=int(raw.get("priority", 50)),
                params=params, capital=tuple(raw.get("capital", ())),
                needs=compile_opt(raw.get("needs")), reject_before=compile_opt(raw.get("reject_before")),
                reject_after=compile_opt(raw.get("reject_after")), order=order, triggers=triggers,
            ))
        unknown = sorted({r.resolve for r in rules} - set(RESOLVERS))
        if unknown:
            raise ValueError(f"timex_rules.toml: unknown resolver(s) {unknown}")
        self.rules = tuple(rules)
        self.rejects = tuple(re.compile(_expand(r["pattern"], macros)) for r in spec.get("reject", ()))

        tense = words["tense"]
        self.not_past_ed = frozenset(tense["not_past_ed"])
        self.not_verb_past = frozenset(tense["not_verb_past"])
        self.future_before_only = frozenset(tense["future_before_only"])
        future = _alternation(tense["future"])
        past = _alternation(tense["past"])
        self.tense_regex = re.compile(
            rf"(?<![\w'’])(?:(?P<future>{future})|(?P<past>{past})|(?P<ed>[a-z]{{2,}}ed))(?![\w'’])", re.IGNORECASE)
        self.forward_signal = re.compile(
            r"(?<![\w'’])" + _alternation(tense["forward_signals"]) + r"\s+(?:the\s+|on\s+)?$", re.IGNORECASE)
        self.forward_after = re.compile(r"\s+" + _alternation(tense["forward_after"]) + r"(?!\w)", re.IGNORECASE)
        self.present_schedule = re.compile(
            r"(?<![\w'’])" + _alternation(tense["present_schedule"]) + r"(?![\w'’])", re.IGNORECASE)
        self.reporting_before = re.compile(
            r"(?<![\w'’])" + _alternation(tense["reporting"]) + r"\s+(?:on\s+)?$", re.IGNORECASE)
        guards = words["guards"]
        self.fiscal_context = frozenset(guards["fiscal_context"])
        self.year_not_before = re.compile(
            r"^\s*" + _alternation(guards["year_not_before"]) + r"(?!\w)", re.IGNORECASE)
        self.year_not_after = re.compile(_alternation(guards["year_not_after"]) + r"\s*$", re.IGNORECASE)

    def lookup(self, table: str, text: str):
        return self.words[table].get(re.sub(r"\s+", " ", text.lower().strip()))


@lru_cache(maxsize=1)
def _res() -> _Resources:
    return _Resources()


def rule_names() -> list[str]:
    """Names of all rules, in file order (for docs and provenance checks)."""
    return [r.name for r in _res().rules]


# ------------------------------------------------------------------------------------------ helpers
@lru_cache(maxsize=4096)
def _dateparser_date(text: str) -> date | None:
    """Parse an absolute date string already found by a rule; strict, English, month-first."""
    import dateparser  # imported lazily: it is slow to import and only absolute dates need it

    parsed = dateparser.parse(
        text, languages=["en"],
        settings={"STRICT_PARSING": True, "DATE_ORDER": "MDY", "PREFER_DAY_OF_MONTH": "first",
                  "REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False},
    )
    return parsed.date() if parsed else None


_ISO_DATE = re.compile(r"\s*(\d{4}-\d\d-\d\d)(?:[T ][\d:.+\-Z]*)?\s*")


DCT_YEARS = (100, 9899)  # room for "two centuries ago" / "in the next century" arithmetic


def _coerce_dct(dct: date | str | None) -> date | None:
    """The reference date as a ``date``; ValueError naming the problem for anything else."""
    if dct is None:
        return None
    if isinstance(dct, datetime):
        day = dct.date()
    elif isinstance(dct, date):
        day = dct
    elif isinstance(dct, str):
        m = _ISO_DATE.fullmatch(dct)
        if not m:
            raise ValueError(f"invalid dct {dct!r}: not an ISO date (expected YYYY-MM-DD, e.g. 2016-02-23)")
        try:
            day = date.fromisoformat(m.group(1))
        except ValueError as exc:
            raise ValueError(f"invalid dct {dct!r}: {exc}") from None
    else:
        raise ValueError(f"invalid dct {dct!r}: expected datetime.date, an ISO date string or None, "
                         f"got {type(dct).__name__}")
    if not DCT_YEARS[0] <= day.year <= DCT_YEARS[1]:
        raise ValueError(f"invalid dct {dct!r}: year {day.year} outside the supported {DCT_YEARS[0]}-{DCT_YEARS[1]}")
    return day


def _parse_number(text: str) -> float | None:
    """'twenty four' -> 24, '5 1/2' -> 5.5, 'a' -> 1, 'two and a half' -> 2.5."""
    text = text.lower().strip()
    half = 0.0
    m = re.search(r"\s+and\s+a\s+half$", text)
    if m:
        text, half = text[:m.start()], 0.5
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?:\s+1/2)?", text)
    if m:
        return float(m.group(1)) + (0.5 if text.endswith("1/2") else 0) + half
    table = _res().words["number"]
    total = current = 0.0
    for word in re.split(r"[\s-]+", text):
        if word == "and":
            continue
        value = 1 if word in ("a", "an") else table.get(word)
        if value is None:
            return None
        if value in (100, 1000):
            current = (current or 1) * value
            if value == 1000:
                total, current = total + current, 0.0
        elif value == 0.5:
            current = (current or 1) * 0.5
        else:
            current += value
    result = total + current + half
    return result or None


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


_SENTENCE_END = re.compile(r"""[.!?]["'”’)]*\s+(?=["“‘(]?[A-Z])|\n""")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen col lt sgt st u.s u.n no vs inc corp co ltd jr sr sen rep gov maj capt adm prof "
    "jan feb mar apr jun jul aug sep sept oct nov dec mt ft a.m p.m e.g i.e etc".split())


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if m.group(0) != "\n":
            word = re.search(r"([\w.]+)\.$", text[max(0, m.start() - 12):m.start() + 1])
            if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                continue
        starts.append(m.end())
    return starts


# ------------------------------------------------------------------------------------------ context
@dataclass(frozen=True)
class _Resolved:
    type: str
    value: str
    note: str = ""
    mod: str | None = None
    first_day: date | None = None
    last_day: date | None = None


@dataclass
class _Anchor:
    start: int
    end: int
    year: int
    granularity: str
    attributive: bool = False  # "the Dec. 21, 1988, bombing": names a background event, sets no scene
    value: str = ""  # its resolved value, once known


_FUTURE_IN_PAST = re.compile(
    r"\s+(?:still\s+)?(?:planning|going|expected|scheduled|due|set|supposed|preparing|hoping)\s+to\b", re.I)


class _Context:
    """Per-call state: the text, the reference date, sentence/paragraph bounds and year anchors."""

    def __init__(self, text: str, dct: date | None) -> None:
        self.text = text
        self.dct = dct
        self.sentences = _sentence_starts(text)
        self.paragraphs = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.anchors: list[_Anchor] = []  # in text order
        self.anchor_starts: list[int] = []
        self.relatives: list[int] = []  # starts of relative expressions (they break narrative anchoring)
        self.quarters: list[tuple[int, str]] = []  # (start, value) of resolved quarters
        self.year_spans: list[int] = []  # starts of part-year reporting spans ("the first nine months")
        self.days: list[tuple[int, date]] = []  # (end, day) of expressions resolved to one day
        self.points: list[tuple[int, str]] = []  # (start, value) of resolved calendar dates, in text order

    def day_just_before(self, start: int) -> date | None:
        """The day named by an expression ending just before ``start`` ("Monday at 9 a.m.")."""
        for end, day in reversed(self.days):
            if end <= start:
                if re.fullmatch(r"(?i),?\s*(?:at|,)?\s*", self.text[end:start]):
                    return day
                return None
        return None

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentences, pos) - 1
        end = self.sentences[i + 1] if i + 1 < len(self.sentences) else len(self.text)
        return self.sentences[i], end

    def paragraph_of(self, pos: int) -> int:
        return bisect.bisect_right(self.paragraphs, pos) - 1

    def tense(self, start: int, end: int) -> str:
        """'future' or 'past' (the news default) from the nearest tense marker in the sentence."""
        return self.tense_marker(start, end)[0] or "past"

    def tense_marker(self, start: int, end: int) -> tuple[str | None, int]:
        """Kind and distance in characters of the tense marker nearest to the expression.

        Markers before the expression count a little nearer: "will meet on Friday, officials said".
        """
        kind, distance, _ = self.tense_marker_word(start, end)
        return kind, distance

    def tense_marker_word(self, start: int, end: int) -> tuple[str | None, int, str]:
        """``tense_marker`` plus the marker itself (lower case)."""
        res = _res()
        s0, s1 = self.sentence_bounds(start)
        best: tuple[str | None, float, str] = (None, 1e9, "")
        window0 = max(s0, start - 120)
        for m in res.tense_regex.finditer(self.text, window0, start):
            kind = self._marker_kind(m)
            weight = 0.8 if not m.group("ed") else 1.6  # an -ed word may be an adjective
            if kind and (start - m.end()) * weight < best[1]:
                best = (kind, (start - m.end()) * weight, m.group(0).lower())
        for m in res.tense_regex.finditer(self.text, end, min(s1, end + 100)):
            kind = self._marker_kind(m)
            if kind == "future" and re.sub(r"\s+", " ", m.group(0).lower()) in res.future_before_only:
                continue
            if kind:
                weight = 1.0 if not m.group("ed") else 2.0
                if (m.start() - end) * weight < best[1]:
                    best = (kind, (m.start() - end) * weight, m.group(0).lower())
                break
        return best[0], int(best[1]), best[2]

    def scheduled_present(self, start: int) -> bool:
        """A present-tense verb of a scheduled event shortly before the expression, in the same clause:
        "the two leaders meet Monday", "voters go to the polls on Sunday"."""
        s0, _ = self.sentence_bounds(start)
        window = self.text[max(s0, start - 50):start]
        window = re.split(r"[,;:(]|\b(?:and|but|while|after|before|when)\b", window)[-1]
        for m in _res().present_schedule.finditer(window):
            # "at the close of business Thursday", "his visit Monday": a noun, not a verb
            if not re.search(r"(?i)\b(?:the|a|an|of|his|her|its|their|our|my|your|this|that|at|for|to|in|on|"
                             r"by|from|with|'s|’s)\s+$", window[:m.start()]):
                return True
        return False

    def past_perfect_before(self, start: int, end: int | None = None) -> bool:
        """"had been due to expire Friday", "Until Thursday, they had not called him": seen from a past
        vantage point, the deadline is over (with ``end``, the rest of the clause counts too)."""
        s0, s1 = self.sentence_bounds(start)
        if re.search(r"(?i)\bhad\b", self.text[max(s0, start - 60):start]):
            return True
        if end is None:
            return False
        after = re.split(r"[;]|\bbut\b", self.text[end:min(s1, end + 60)])[0]
        return bool(re.search(r"(?i)\bhad\b", after))

    @staticmethod
    def _marker_kind(m: re.Match) -> str | None:
        if m.group("future"):
            return "future"
        before = m.string[max(0, m.start() - 6):m.start()].lower()
        if before.endswith(("be ", "being ", "is ", "are ")):
            return None  # a passive "would be held", "is heard" says nothing about the past
        if m.group("past"):
            # "were planning to", "was expected to": a plan reported in the past tense still looks
            # ahead to its event
            if m.group("past").lower() in ("was", "were") and _FUTURE_IN_PAST.match(m.string, m.end()):
                return "future"
            return "past"
        if m.group("ed").lower() in _res().not_past_ed:
            return None
        return "past"

    def looks_forward(self, start: int, end: int | None = None) -> bool:
        """A deadline word around the expression: "payable Dec. 15", "as soon as Tuesday", "the Jan. 14
        deadline"."""
        if _res().forward_signal.search(self.text[max(0, start - 30):start]):
            return not self.past_perfect_before(start, end)
        return end is not None and bool(_res().forward_after.match(self.text, end))

    def reported_on(self, start: int) -> bool:
        """A reporting verb right before a weekday ("Castro said Sunday"): the day of the report."""
        return bool(_res().reporting_before.search(self.text[max(0, start - 30):start]))

    def signal_before(self, start: int) -> str:
        s0, _ = self.sentence_bounds(start)
        return self.text[max(s0, start - 40):start]

    def narrative_year(self, start: int) -> int | None:
        """Year of an explicit date earlier in the same paragraph that a yearless month should take.

        Guarded because news mixes background years with current events: a month/day anchor counts in
        the same paragraph; a bare year only in the same clause; any relative expression in between
        (which re-anchors the reader on the reference date) cancels it.
        """
        para = self.paragraph_of(start)
        i = bisect.bisect_left(self.anchor_starts, start)
        if i == 0:
            return None
        anchor = self.anchors[i - 1]  # the latest explicit date before the expression
        if self.paragraph_of(anchor.start) != para or anchor.attributive or start - anchor.end > 400:
            return None
        j = bisect.bisect_left(self.relatives, anchor.end)
        if j < len(self.relatives) and self.relatives[j] < start:
            return None
        if anchor.granularity in ("month", "day"):
            return anchor.year
        if anchor.granularity == "year":
            if self.sentence_bounds(anchor.start) != self.sentence_bounds(start):
                return None
            between = self.text[anchor.end:start]
            if re.search(r"(?i)\b(?:and|but|while|whereas|although|though|when|after|before|since)\b|[;:]",
                         between):
                return None
            # Past a comma, only a fronted year sets the scene for the rest of the sentence ("In 1987,
            # it bought ... in May"); a year inside a modifier does not ("a plan approved in 1987 that
            # ..., it had bought shares through Sept. 29").
            if "," in between and anchor.start - self.sentence_bounds(start)[0] > 20:
                return None
            return anchor.year
        return None


# ------------------------------------------------------------------------------------------ resolvers
def _edge_mod(m: re.Match) -> str | None:
    for group in ("edge", "edge2"):
        text = _group(m, group)
        if text:
            text = re.sub(r"\s+", " ", text.lower().strip(" -"))
            return _res().words["edge"].get(text) or _res().words["edge_relative"].get(text)
    return None


def _group(m: re.Match, name: str) -> str | None:
    try:
        return m.group(name)
    except IndexError:
        return None


def _with_interval(type_: str, value: str, note: str, mod: str | None = None) -> _Resolved:
    span = timex3.interval(value)
    return _Resolved(type_, value, note, mod, span[0] if span else None, span[1] if span else None)


def _part_of_day(word: str | None) -> str | None:
    if not word:
        return None
    return _res().lookup("part_of_day", word)


def _add_pod(day_value: str, pod: str | None) -> tuple[str, str]:
    code = _part_of_day(pod)
    if not code:
        return day_value, "DATE"
    return (day_value + code if code.startswith("T") else f"{day_value}T{code}"), "TIME"


def _month_number(text: str) -> int:
    return _res().lookup("month", text.rstrip(".")) or _res().lookup("month", text)


def _fronted(ctx: _Context, start: int, end: int) -> bool:
    """A date fronted as the scene of its sentence ("In January, the company hired ..."): the main
    clause's verb, after the comma, carries the tense that places it."""
    s0, _ = ctx.sentence_bounds(start)
    return bool(re.fullmatch(r"[\s\"'`(]*(?:(?:in|on|by|during|since|until|through)\s+)?(?:(?:early|late|mid)[\s-]+)?",
                             ctx.text[s0:start], re.I)) and bool(re.match(r"\s*,", ctx.text[end:]))


def _infer_year(ctx: _Context, month: int, day: int | None, start: int, end: int) -> tuple[int | None, str]:
    """Year of a yearless month or month-day: a guarded narrative anchor, else the reference date.

    News writers drop the year only for dates close to the story, so a date within about four months
    of the reference date is that occurrence unless a verb right beside it says otherwise ("ended
    Jan. 31", "will be named ... for a mission in December") or, for a date fronted before a comma, the
    main clause's verb ("In January, the company brought in ..."); further away, a nearby past or future
    verb decides; failing that, the nearest occurrence.
    """
    dct = ctx.dct
    tense, distance, marker = ctx.tense_marker_word(start, end)
    anchored = ctx.narrative_year(start)
    if anchored is not None and not (dct and tense == "future" and distance <= 60 and anchored < dct.year):
        return anchored, "anchored"
    if dct is None:
        return None, "no-dct"
    forward = ctx.looks_forward(start, end)
    if forward:
        tense = None  # a deadline: the nearest occurrence, usually ahead

    def gap_days(year: int) -> int:
        try:
            target = date(year, month, day or 15)
        except ValueError:
            return 10**6
        return abs((target - (dct if day else dct.replace(day=15))).days)

    nearest = min((dct.year - 1, dct.year, dct.year + 1), key=lambda y: (gap_days(y), y > dct.year))
    here = (month, day or 1)
    now = (dct.month, dct.day if day else 1)
    past_year = dct.year if here <= now else dct.year - 1
    future_year = dct.year if here >= now else dct.year + 1
    lead = re.search(r"(?i)\b(last|next|coming)\s+$", ctx.text[max(0, start - 8):start])
    if lead:  # "last Oct. 23", "next Jan. 5": the word says which occurrence
        return (past_year, "last") if lead.group(1).lower() == "last" else (future_year, "next")
    if tense == "past" and nearest > past_year and marker not in _res().not_verb_past:
        if distance <= 12:
            # "the fiscal year ended Jan. 31": a verb right before decides (not the "last" of "due to
            # expire last Thursday, to Nov. 6", which belongs to another expression)
            return past_year, "past-news"
        if distance <= 60 and _fronted(ctx, start, end):
            return past_year, "fronted-past"  # "In January, the company brought in ..."
    if tense == "future" and distance <= 60 and nearest < future_year:
        # "will be named commander for a mission in December" (said in March): a month ahead
        return future_year, "future"
    if gap_days(nearest) <= (120 if day else 100):
        return nearest, "nearest"
    if forward or (tense == "future" and distance <= 150):
        return future_year, "future"
    return past_year, "past-news"


_SPOKEN_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
                 "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20}


def _year_number(text: str) -> int | None:
    """'1998' -> 1998; 'nineteen ninety-six' -> 1996; 'two thousand' -> 2000."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    words = [w for w in re.split(r"[\s-]+", text) if w != "and"]
    if words[:2] == ["two", "thousand"]:
        rest = _parse_number(" ".join(words[2:])) if words[2:] else 0
        return 2000 + int(rest or 0)
    if words and words[0] == "nineteen" and len(words) > 1:
        if words[1] in _SPOKEN_TEENS:
            return 1900 + _SPOKEN_TEENS[words[1]]
        rest = _parse_number(" ".join(words[1:]))
        return 1900 + int(rest) if rest else None
    return None


def resolve_absolute_date(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    year = _year_number(m.group("year"))
    if year is None:
        return None
    if year < 100:
        year += 2000 if year < 50 else 1900
    month_text = m.group("month")
    month = int(month_text) if month_text.isdigit() else _month_number(month_text)
    day_text = _group(m, "day")
    mod = _edge_mod(m)
    if day_text:
        day = int(re.sub(r"\D", "", day_text))
        first = min(m.start(g) for g in ("month", "day", "year"))  # leave out "early", "Friday,"
        date_text = m.string[first:m.end("t")]
        # dateparser reads the date the rule found; the rule's own fields are the fallback for forms
        # it refuses. Neither accepts "February 30, 2015".
        parsed = _dateparser_date(re.sub(r"\s+", " ", date_text))
        if parsed is not None:
            return _with_interval("DATE", parsed.isoformat(), "absolute", mod)
        try:
            ours = date(year, month, day)
        except ValueError:
            return None
        return _with_interval("DATE", ours.isoformat(), "absolute-fields", mod)
    return _with_interval("DATE", f"{year:04d}-{month:02d}", "absolute", mod)


def resolve_yearless_date(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    month_text = m.group("month")
    month = _month_number(month_text)
    params = rule.params
    if params.get("ambiguous") and len(month_text) <= 4 and not month_text.endswith(".") \
            and month_text.lower() not in ("may", "june", "july"):
        return None  # a bare "Jan" is a name more often than a month
    if month_text.lower().rstrip(".") in params.get("ambiguous", ()) and not _edge_mod(m):
        signal = params.get("signal")
        if signal is not None and not signal.search(ctx.signal_before(m.start("t"))):
            return None
    day_text = _group(m, "day")
    day = int(re.sub(r"\D", "", day_text)) if day_text else None
    relyear = _group(m, "relyear")
    start, end = m.start("t"), m.end("t")
    if relyear:
        if ctx.dct is None:
            year, note = None, "no-dct"
        else:
            year = ctx.dct.year + {"last": -1, "next": 1, "this": 0}[relyear.lower()]
            note = "relative-year"
    else:
        year, note = _infer_year(ctx, month, day, start, end)
        weekday_text = _group(m, "weekday")
        if weekday_text and day is not None and ctx.dct is not None:
            # "Tuesday, March 3": of the neighbouring years, the one where March 3 is a Tuesday
            weekday = _res().lookup("weekday", weekday_text)
            fits = []
            for y in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1):
                try:
                    if date(y, month, day).isoweekday() == weekday:
                        fits.append(y)
                except ValueError:
                    pass
            if len(fits) == 1 and fits[0] != year:
                year, note = fits[0], "weekday-fits"
    mod = _edge_mod(m)
    if day is not None:
        if year is None:
            try:
                date(2000, month, day)
            except ValueError:
                return None
            return _Resolved("DATE", f"XXXX-{month:02d}-{day:02d}", note, mod)
        try:
            d = date(year, month, day)
        except ValueError:
            return None
        return _with_interval("DATE", d.isoformat(), note, mod)
    if year is None:
        return _Resolved("DATE", f"XXXX-{month:02d}", note, mod)
    return _with_interval("DATE", f"{year:04d}-{month:02d}", note, mod)


def resolve_season(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    """Seasons: "last summer" is the latest summer that began before the current season; a bare
    "the summer" is the latest one begun by the reference date (the next one in future tense)."""
    code = _res().lookup("season", m.group("season"))
    mod = _edge_mod(m)
    year_text = _group(m, "year")
    if year_text:
        year = _year_number(year_text)
        return _with_interval("DATE", f"{year:04d}-{code}", "absolute", mod) if year else None
    dct = ctx.dct
    if dct is None:
        return _Resolved("DATE", f"XXXX-{code}", "no-dct", mod)
    rel = (_group(m, "rel") or "").lower()
    cur_year, cur_code = timex3.season_of(dct)

    def season_start(year: int, c: str) -> date:
        return timex3.season_interval(year, c)[0]

    candidates = sorted(((season_start(y, code), y) for y in (dct.year - 2, dct.year - 1, dct.year, dct.year + 1)))
    current_start = season_start(cur_year, cur_code)
    if rel == "this":
        year = dct.year - 1 if (code == "WI" and dct.month <= 2) else dct.year
        return _with_interval("DATE", f"{year:04d}-{code}", "this", mod)
    if rel in ("last", "past"):
        past = [y for s, y in candidates if s < current_start]
        return _with_interval("DATE", f"{past[-1]:04d}-{code}", "last", mod)
    if rel in ("next", "coming"):
        fut = [y for s, y in candidates if s > current_start]
        return _with_interval("DATE", f"{fut[0]:04d}-{code}", "next", mod)
    tense = ctx.tense(m.start("t"), m.end("t"))
    if tense == "future":
        fut = [y for s, y in candidates if timex3.season_interval(y, code)[1] >= dct]
        return _with_interval("DATE", f"{fut[0]:04d}-{code}", "future", mod)
    past = [y for s, y in candidates if s <= dct]
    return _with_interval("DATE", f"{past[-1]:04d}-{code}", "past-news", mod)


def resolve_year(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    res = _res()
    t_end = m.end("t")
    after = ctx.text[t_end:t_end + 30]
    before = ctx.text[max(0, m.start("t") - 20):m.start("t")]
    if not _group(m, "fiscal") and not _edge_mod(m):
        if res.year_not_before.match(after) or res.year_not_after.search(before):
            return None
        if re.match(r"\s*(?:[-–]\s*)?\d", after) and not re.match(r"\s*[-–]\s*(?:\d\d|\d{4})\b", after):
            return None
    year = _year_number(m.group("year"))
    if year is None:
        return None
    return _with_interval("DATE", f"{year:04d}", "absolute", _edge_mod(m))


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}


def resolve_decade(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    text = _group(m, "decade")
    if text:
        digits = re.sub(r"\D", "", text)
        if len(digits) == 4:
            value = digits[:3]
        else:
            tens = int(digits[0])
            ref_year = (ctx.dct or date(2000, 1, 1)).year
            century = 20 if 2000 + tens * 10 <= ref_year else 19
            value = f"{century}{tens}"
    else:
        tens = _DECADE_WORDS[m.group("decadeword").lower()]
        value = f"19{tens}"
    return _with_interval("DATE", value, "absolute", _edge_mod(m))


def resolve_century(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    word = m.group("ord").lower()
    special = {"twentieth": 20, "nineteenth": 19, "eighteenth": 18, "twenty-first": 21}
    number = special.get(word) or _res().lookup("ordinal", word)
    if number is None:
        digits = re.sub(r"\D", "", word)
        number = int(digits) if digits else None
    if not number:
        return None
    return _with_interval("DATE", f"{number - 1:02d}", "absolute", _edge_mod(m))


def resolve_deictic(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    word = (rule.params.get("deictic") or _group(m, "deictic") or rule.params.get("default_deictic")).lower()
    word = re.sub(r"\s+", " ", word)
    pod = _group(m, "pod")
    offsets = {"today": 0, "this": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0, "last": -1,
               "the day before yesterday": -2, "the day after tomorrow": 2, "overnight": 0}
    offset = offsets[word]
    if word == "tonight":
        pod = "night"
    if word == "last" and (pod or "").lower() != "night":
        return None  # "last morning" is not an expression
    ctx.relatives.append(m.start("t"))
    if ctx.dct is None:
        value, type_ = _add_pod("XXXX-XX-XX", "night" if word == "overnight" else pod)
        return _Resolved(type_, value, "no-dct", _edge_mod(m))
    if word == "overnight":  # in a report: the night before the reference date
        story_day = _recent_day(ctx, m.start("t"))
        if story_day is not None:  # "Shares closed lower Friday ... hit by overnight losses": before that day
            day = story_day - timedelta(days=1)
            return _Resolved("TIME", f"{day.isoformat()}TNI", "night-before-story-day", None, day, story_day)
        day = ctx.dct - timedelta(days=1)
        return _Resolved("TIME", f"{day.isoformat()}TNI", "night-before", None, day, ctx.dct)
    day = ctx.dct + timedelta(days=offset)
    value, type_ = _add_pod(day.isoformat(), pod)
    return _Resolved(type_, value, "dct" if offset == 0 else "dct-offset", _edge_mod(m), day, day)


def _weekday_date(ctx: _Context, weekday: int, rel: str, start: int, end: int) -> tuple[date, str]:
    dct = ctx.dct
    assert dct is not None
    if rel in ("previous", "following"):
        # "down 4.5% from the previous Friday": counted from the day the story is telling about
        story_day = _recent_day(ctx, start, reach=1500)
        if story_day is not None:
            if rel == "previous":
                return story_day - timedelta(days=(story_day.isoweekday() - weekday) % 7 or 7), "story-previous"
            return story_day + timedelta(days=(weekday - story_day.isoweekday()) % 7 or 7), "story-following"
    diff = weekday - dct.isoweekday()
    if rel in ("last", "past", "previous"):
        back = (dct.isoweekday() - weekday) % 7 or 7
        return dct - timedelta(days=back), "last"
    if rel in ("next", "coming", "following"):
        ahead = diff % 7 or 7
        return dct + timedelta(days=ahead), "next"
    if diff == 0:
        return dct, "same-as-dct"
    if ctx.looks_forward(start, end):
        return dct + timedelta(days=diff % 7), "future"
    if ctx.reported_on(start) or ctx.text.startswith(("'s", "’s"), end) or ctx.past_perfect_before(start):
        return dct - timedelta(days=(-diff) % 7), "past-news"
    kind, _ = ctx.tense_marker(start, end)
    if kind == "future" or (kind is None and ctx.scheduled_present(start)):
        return dct + timedelta(days=diff % 7), "future"
    return dct - timedelta(days=(-diff) % 7), "past-news"


def resolve_weekday(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    weekday = _res().lookup("weekday", m.group("weekday"))
    rel = re.sub(r"^this\s+", "", (_group(m, "rel") or "").lower())  # "this coming Sunday" = "coming Sunday"
    pod = _group(m, "pod")
    ctx.relatives.append(m.start("t"))
    if ctx.dct is None:
        value, type_ = _add_pod(f"XXXX-WXX-{weekday}", pod)
        return _Resolved(type_, value, "no-dct", _edge_mod(m))
    day, note = _weekday_date(ctx, weekday, rel, m.start("t"), m.end("t"))
    value, type_ = _add_pod(day.isoformat(), pod)
    return _Resolved(type_, value, note, _edge_mod(m), day, day)


def _unit_value(day: date, unit: str) -> str:
    return timex3.value_for(day, unit)


def resolve_relative_unit(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    unit_word = (rule.params.get("unit") or m.group("unit")).lower()
    unit = _res().lookup("unit", unit_word) or unit_word
    rel_word = (_group(m, "rel") or "").lower()
    mod = rule.params.get("edge") or _edge_mod(m)
    edge_text = (_group(m, "edge") or "").lower()
    if "rest of" in edge_text:
        mod = "END"
    rel_word = re.sub(r"\s+", " ", rel_word)
    if rel_word == "the":
        rel_word = "this"
    direction = _res().words["relative"].get(rel_word, 0) if rel_word else 0
    ctx.relatives.append(m.start("t"))
    if unit == "2W":
        if direction == 0:
            return None
        return _Resolved("DURATION", "P2W", "fortnight")
    if unit in ("DE", "CE") and rel_word in ("past", "last", "previous", "preceding"):
        # "the past decade" is the ten years up to now, not the 1990s
        years = 10 if unit == "DE" else 100
        if ctx.dct is None:
            return _Resolved("DURATION", f"P{years}Y", "no-dct", mod)
        first = timex3.shift(ctx.dct, -1, unit)
        return _Resolved("DURATION", f"P{years}Y", "anchored-past", mod, first, ctx.dct - timedelta(days=1))
    dct = ctx.dct
    if unit == "WE":
        if dct is None:
            return _Resolved("DATE", "XXXX-WXX-WE", "no-dct", mod)
        weekend_day = dct
        if rel_word:
            weekend_day = dct + timedelta(weeks=direction)
            note = (rel_word or "this").replace(" ", "-")
        else:
            tense = ctx.tense(m.start("t"), m.end("t"))
            if ctx.looks_forward(m.start("t"), m.end("t")):
                tense = "future"  # "ahead of the weekend", "by the weekend"
            if tense == "future" or dct.isoweekday() >= 6:
                note = "future" if tense == "future" else "same-as-dct"
            else:
                weekend_day = dct - timedelta(weeks=1)
                note = "past-news"
        return _with_interval("DATE", timex3.weekend_value(weekend_day), note, mod)
    if dct is None:
        under = {"W": "XXXX-WXX", "M": "XXXX-XX", "Y": "XXXX", "Q": "XXXX-QX", "DE": "XXX", "CE": "XX"}
        return _Resolved("DATE", under.get(unit, "XXXX"), "no-dct", mod)
    day = timex3.shift(dct, direction, unit)
    return _with_interval("DATE", _unit_value(day, unit), (rel_word or "this").replace(" ", "-"), mod)


def resolve_relative_month(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    month = _month_number(m.group("month"))
    rel = m.group("rel").lower()
    mod = _edge_mod(m)
    ctx.relatives.append(m.start("t"))
    dct = ctx.dct
    if dct is None:
        return _Resolved("DATE", f"XXXX-{month:02d}", "no-dct", mod)
    if rel in ("last", "past"):
        # "last February" written in early March: a writer meaning the month just gone says "last
        # month", so the named month is the one a year earlier (likewise for the current month)
        back = (dct.month - month) % 12 or 12
        if back == 1 and dct.day <= 15:
            back = 13
        year = dct.year - (1 if back >= dct.month else 0) - (1 if back >= dct.month + 12 else 0)
    elif rel in ("next", "coming"):
        year = dct.year if month > dct.month else dct.year + 1
    else:
        year = dct.year
    return _with_interval("DATE", f"{year:04d}-{month:02d}", rel, mod)


def _approx_mod(m: re.Match) -> str | None:
    text = _group(m, "approx")
    return _res().lookup("approx", text) if text else None


def _unit_code(m: re.Match) -> str | None:
    return _res().lookup("unit", m.group("unit"))


def _sentence_mentions_quarter(ctx: _Context, pos: int, reach: int = 0, reported: bool = False) -> str | None:
    """The quarter last named in this sentence (or, with ``reach``, within that many characters before).

    With ``reported``, only a quarter a report can be about: a year-ago comparison is made with the
    quarter being reported, not with a forecast ("losses through the third quarter of 1990") nor with an
    earlier comparison period ("the 1988 period"), which would push it back a second year.
    """
    s0, _ = ctx.sentence_bounds(pos)
    low = min(s0, pos - reach) if reach else s0
    latest_year = int(_latest_completed_quarter(ctx.dct)[:4]) if reported and ctx.dct else None
    for start, value in reversed(ctx.quarters):
        if start < low:
            break
        if start < pos:
            if latest_year is not None and value[:4].isdigit():
                year = int(value[:4])
                if year < latest_year or year > ctx.dct.year:
                    continue
                span = timex3.interval(value)
                if span and span[0] > ctx.dct:
                    continue
            return value
    return None


def _span_after_quarter(ctx: _Context, pos: int, reach: int = 0) -> bool:
    """A part-year span ("the first nine months") named after the last quarter and before ``pos``, in
    this sentence (or within ``reach`` characters): a comparison then is with that span of the year before,
    whose closest TIMEX3 value is the year."""
    s0, _ = ctx.sentence_bounds(pos)
    low = min(s0, pos - reach) if reach else s0
    spans = [start for start in ctx.year_spans if low <= start < pos]
    if not spans:
        return False
    quarters = [start for start, _ in ctx.quarters if low <= start < pos]
    return not quarters or max(spans) > max(quarters)


def resolve_ago(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    unit = _unit_code(m)
    direction = m.group("dir").lower()
    sign = 1 if direction.startswith(("from", "hence", "later")) else -1
    mod = _approx_mod(m)
    ctx.relatives.append(m.start("t"))
    if unit in ("WE", None):
        return None
    if _group(m, "fuzzy") is not None and not re.match(r"(?i)a\s+couple|couple", m.group("fuzzy")):
        return _Resolved("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "fuzzy-ago", mod)
    amount = _parse_number(m.group("num")) if _group(m, "num") else 2
    if not amount:
        return None
    if ctx.dct is None:
        under = {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "M": "XXXX-XX", "Y": "XXXX", "Q": "XXXX-QX"}
        return _Resolved("DATE", under.get(unit, "XXXX-XX-XX"), "no-dct", mod)
    if unit in ("H", "MIN", "S"):
        return _with_interval("DATE", ctx.dct.isoformat(), "ago-same-day", mod)
    if unit == "2W":
        amount, unit = amount * 2, "W"
    whole = int(amount)
    if whole != amount:
        months = {"Y": 12, "DE": 120, "CE": 1200, "Q": 3, "M": 1}.get(unit)
        if not months:
            return None
        day = timex3.add_months(ctx.dct, sign * round(amount * months))
    else:
        day = timex3.shift(ctx.dct, sign * whole, unit)
    # Earnings reports compare a quarter with "a year ago": the same quarter of the year before.
    quarter = None
    if unit == "Y" and not _span_after_quarter(ctx, m.start("t"), reach=600):
        quarter = _sentence_mentions_quarter(ctx, m.start("t"), reach=600, reported=True)
    if quarter and whole == amount:
        year = int(quarter[:4]) + sign * whole
        return _with_interval("DATE", f"{year:04d}{quarter[4:]}", "ago-quarter", mod)
    gran = {"DE": "Y", "CE": "Y"}.get(unit, unit)
    return _with_interval("DATE", timex3.value_for(day, gran), "ago", mod)


def resolve_year_earlier(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    period = (_group(m, "period") or "").lower()
    ctx.relatives.append(m.start("t"))
    if re.match(r"(nine|six) months", period):
        return _Resolved("DURATION", "P9M" if period.startswith("nine") else "P6M", "year-earlier-span")
    if period in ("level", "results", "result", "figures", "figure"):
        return None
    if ctx.dct is None:
        return _Resolved("DATE", "XXXX", "no-dct")
    if period != "quarter" and _span_after_quarter(ctx, m.start("t"), reach=600):
        return _with_interval("DATE", f"{ctx.dct.year - 1:04d}", "year-earlier-span-year")
    quarter = _sentence_mentions_quarter(ctx, m.start("t"), reach=600, reported=True)
    if period in ("quarter", "period") and not quarter:
        quarter = _latest_completed_quarter(ctx.dct)
    if period == "quarter":
        appositive = rule.params.get("appositive_pattern")
        renamed = appositive.match(ctx.text, m.end("t")) if appositive is not None else None
        if renamed:  # "the year-ago quarter, the second quarter ended Oct. 31": the quarter it names
            number = _ORDINAL_QUARTER[renamed.group("ord").lower()]
            year = int(quarter[:4]) if quarter else int(_latest_completed_quarter(ctx.dct)[:4])
            return _with_interval("DATE", f"{year - 1:04d}-Q{number}", "year-earlier-appositive")
    if quarter:
        return _with_interval("DATE", f"{int(quarter[:4]) - 1:04d}{quarter[4:]}", "year-earlier-quarter")
    return _with_interval("DATE", f"{ctx.dct.year - 1:04d}", "year-earlier")


def _latest_completed_quarter(dct: date) -> str:
    q = timex3.quarter_of(dct) - 1
    year = dct.year
    if q == 0:
        q, year = 4, year - 1
    return f"{year:04d}-Q{q}"


_ORDINAL_QUARTER = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                    "final": 4}


def resolve_quarter(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    """Fiscal quarters and halves as earnings reports use them: "the third quarter" is the latest one
    (the coming one in future tense), a bare "the quarter" the one last named or last completed (or the
    one its closing date names: "the quarter ended July 31"), "the year-ago quarter" the same quarter a
    year before. Districts ("the Latin Quarter") and halves of
    matches are left alone unless money is being talked about."""
    text = m.group("t").lower()
    unit = m.group("qunit").lower()
    ord_text = (_group(m, "ord") or "").lower()
    rels = set(re.findall(r"latest|current|recent|previous|prior|last|next|this|same|comparable|corresponding|"
                          r"year-earlier|year-ago|fiscal", text))
    if _group(m, "yearago"):
        rels.add("year-ago")  # "the quarter a year ago"
    after = ctx.text[m.end("t"):m.end("t") + 20]
    if unit == "half" and not ord_text and "last" in rels and (_group(m, "year") or _group(m, "ofrel")):
        ord_text = "second"  # "the last half of 1989"
    if unit == "half" and not ord_text:
        return None
    if unit == "period" and not (rels - {"fiscal", "this", "same"} or _group(m, "qyear") or ord_text):
        return None
    if not ord_text and re.match(r"\s+(?:of\s+(?:a|an|the|its|his|her|their)\b|of\s+(?:\d|[a-z]+\s+(?:percent|per\s+cent)))|\s*-?\s*(?:century|mile|hour|point|inch|pound)", after, re.I):
        return None
    if text.startswith(("a ", "an ")) and not ord_text:
        return None
    if unit == "quarter" and re.match(r"\s*-?\s*(?:point|percent|per\s+cent|century|mile|inch|hour)", after, re.I):
        return None
    if not (ord_text and unit == "quarter") and not (rels - {"the"}) and not (_group(m, "year") or _group(m, "qyear")
                                                                                or _group(m, "fyear") or _group(m, "ofrel")):
        # a bare "the quarter" / "the first half": a fiscal period only where money is talked about
        if not (ctx.quarters or _fiscal_context(ctx, m.start("t"))):
            return None
    if unit == "half" and re.match(r"\s+of\s+(?!(?:the\s+)?(?:year|fiscal|this|next|last|\d))", after, re.I):
        return None  # "the first half of the match"
    ctx.relatives.append(m.start("t"))
    year_text = _group(m, "year") or _group(m, "qyear") or _group(m, "fyear")
    dct = ctx.dct
    if year_text:
        year = int(year_text)
    elif dct is None:
        year = None
    else:
        year = dct.year
        ofrel = (_group(m, "ofrel") or "").lower()
        if ofrel == "last" or "last year" in text or rels & {"year-earlier", "year-ago"}:
            year -= 1
        elif ofrel == "next" or "next year" in text:
            year += 1
    if unit == "half":
        number = 1 if ord_text in ("first", "1st") else 2
        value = f"{year:04d}-H{number}" if year else f"XXXX-H{number}"
        return _with_interval("DATE", value, "half")
    if ord_text:
        number = _ORDINAL_QUARTER[ord_text]
        if year is None:
            return _Resolved("DATE", f"XXXX-Q{number}", "no-dct")
        after_comparison = rule.params.get("after_comparison_pattern")
        if not year_text and after_comparison is not None \
                and after_comparison.search(ctx.text[max(0, m.start("t") - 60):m.start("t")]):
            year -= 1  # "In the comparable year-ago quarter, the second quarter ended Oct. 31, ..."
        elif not year_text and not rels & {"year-earlier", "year-ago"} and "last year" not in text \
                and not _group(m, "ofrel") and "next year" not in text:
            current = timex3.quarter_of(dct)
            future = ctx.tense(m.start("t"), m.end("t")) == "future"
            if number > current and not future:
                year -= 1  # "the fourth quarter" said in January: the one just ended
            elif number < current - 1 and future:
                # "will rise in the first quarter" said in November: the coming one (but a company that
                # "expects to report third-quarter results" in October means the quarter just ended)
                year += 1
        value = f"{year:04d}-Q{number}"
        ctx.quarters.append((m.start("t"), value))
        return _with_interval("DATE", value, "ordinal")
    if dct is None:
        return _Resolved("DATE", "XXXX-QX", "no-dct")
    if unit == "period" and (year_text or rels & {"year-earlier", "year-ago"}) \
            and _span_after_quarter(ctx, m.start("t")):
        # "In the first nine months, net was $306 million, compared with $195 million in the 1988
        # period": the same span of that year, whose closest value is the year
        ctx.year_spans.append(m.start("t"))
        return _with_interval("DATE", f"{year:04d}", "span-year")
    ended = rule.params.get("ended_pattern")
    closing = ended.match(ctx.text, m.end("t")) if ended is not None and unit == "quarter" \
        and not (rels - {"the", "latest", "fiscal"}) and not year_text else None
    if closing:
        end_month = _month_number(closing.group("month"))
        end_day = int(re.sub(r"\D", "", closing.group("day")))
        if closing.group("year"):
            end_year = int(closing.group("year"))
        else:
            end_year, _ = _infer_year(ctx, end_month, end_day, closing.start("month"), closing.end("day"))
        if end_year is not None:
            middle_month = end_month - 1 or 12
            middle_year = end_year if end_month > 1 else end_year - 1
            value = f"{middle_year:04d}-Q{(middle_month - 1) // 3 + 1}"
            ctx.quarters.append((m.start("t"), value))
            return _with_interval("DATE", value, "ended-on")
    earlier = _sentence_mentions_quarter(ctx, m.start("t"))
    if rels & {"current", "this"} and "last year" not in text:
        value, note = f"{dct.year:04d}-Q{timex3.quarter_of(dct)}", "current"
    elif rels & {"next"}:
        d = timex3.shift(dct, 1, "Q")
        value, note = f"{d.year:04d}-Q{timex3.quarter_of(d)}", "next"
    elif rels & {"previous", "prior", "last"} and "last year" not in text:
        latest = _latest_completed_quarter(dct)
        value, note = latest, "previous"
    elif earlier and (rels & {"year-earlier", "year-ago", "same", "comparable", "corresponding"} or "last year" in text):
        value, note = f"{int(earlier[:4]) - 1:04d}{earlier[4:]}", "year-earlier-quarter"
    elif earlier and year_text:  # "the latest period ... the 1988 period": that quarter of 1988
        value, note = f"{year:04d}{earlier[4:]}", "same-quarter-of-year"
    elif earlier:
        value, note = earlier, "same-as-sentence"
    else:
        latest = _latest_completed_quarter(dct)
        if year_text or rels & {"year-earlier", "year-ago"} or "last year" in text:
            value = f"{year:04d}{latest[4:]}"
        else:
            value = latest
        note = "latest-reported"
    ctx.quarters.append((m.start("t"), value))
    return _with_interval("DATE", value, note)


def _fiscal_context(ctx: _Context, pos: int) -> bool:
    s0, s1 = ctx.sentence_bounds(pos)
    words = set(re.findall(r"[a-z%]+", ctx.text[s0:s1].lower()))
    return not words.isdisjoint(_res().fiscal_context)


def resolve_the_unit(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    text = m.group("t").lower()
    unit = _res().lookup("unit", m.group("unit"))
    rels = set(re.findall(r"current|full|latest|past|previous|fiscal|calendar", text))
    if text.startswith("the") and not rels and not rule.params.get("current"):
        return None  # "the year" alone: too often a span, not a date
    ctx.relatives.append(m.start("t"))
    offset = -1 if rels & {"past", "previous"} else 0
    if ctx.dct is None:
        return _Resolved("DATE", {"W": "XXXX-WXX", "M": "XXXX-XX", "Y": "XXXX"}[unit], "no-dct")
    day = timex3.shift(ctx.dct, offset, unit)
    return _with_interval("DATE", timex3.value_for(day, unit), "this" if offset == 0 else "previous")


def resolve_fixed(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    ctx.relatives.append(m.start("t"))
    return _Resolved(rule.params.get("type", "DATE"), rule.params["value"], "fixed")


def _easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _holiday_date(code: str, year: int) -> date | None:
    if code.startswith("EASTER"):
        return _easter(year) + timedelta(days=int(code[6:]))
    month_text, rest = code.split("-")
    month = int(month_text)
    if rest.isdigit():
        return date(year, month, int(rest))
    first = date(year, month, 1)
    if rest.startswith("TH") or rest.startswith("MO") and rest != "MOLAST":
        weekday = 4 if rest.startswith("TH") else 1
        nth = int(rest[2:])
        offset = (weekday - first.isoweekday()) % 7
        return first + timedelta(days=offset + 7 * (nth - 1))
    if rest == "MOLAST":
        last = timex3.last_day_of_month(year, month)
        return last - timedelta(days=(last.isoweekday() - 1) % 7)
    if rest == "ELECTION":  # the Tuesday after the first Monday
        monday = first + timedelta(days=(1 - first.isoweekday()) % 7)
        return monday + timedelta(days=1)
    return None


def resolve_holiday(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    code = _res().lookup("holiday", m.group("holiday").replace("’", "'"))
    if code is None:
        return None
    year_text = _group(m, "year")
    rel = (_group(m, "rel") or "").lower()
    as_week = bool(_group(m, "hweek"))  # "Easter week", "Christmas week": the ISO week of the day

    def out(day: date, note: str) -> _Resolved:
        return _with_interval("DATE", timex3.week_value(day) if as_week else day.isoformat(), note)

    if year_text:
        d = _holiday_date(code, int(year_text))
        return out(d, "absolute") if d else None
    if ctx.dct is None:
        if code.startswith("EASTER"):
            return _Resolved("DATE", "XXXX-XX-XX", "no-dct")
        month, rest = code.split("-")
        return _Resolved("DATE", f"XXXX-{month}-{rest}" if rest.isdigit() else f"XXXX-{month}", "no-dct")
    dct = ctx.dct
    options = [(y, _holiday_date(code, y)) for y in (dct.year - 1, dct.year, dct.year + 1)]
    if rel == "last":
        day = max(d for _, d in options if d < dct)
    elif rel == "next":
        day = min(d for _, d in options if d > dct)
    elif rel == "this":
        day = _holiday_date(code, dct.year)
    else:
        nearest = min((d for _, d in options), key=lambda d: abs((d - dct).days))
        tense, distance = ctx.tense_marker(m.start("t"), m.end("t"))
        if as_week and timex3.week_value(nearest) == timex3.week_value(dct):
            day = nearest
        elif abs((nearest - dct).days) <= 100 and not (tense == "past" and distance <= 12 and nearest > dct):
            day = nearest  # as with yearless dates: close to the story means this occurrence
        elif tense == "future" or ctx.looks_forward(m.start("t"), m.end("t")):
            day = min(d for _, d in options if d >= dct)
        else:
            day = max(d for _, d in options if d <= dct)
    return out(day, rel or "holiday")


def resolve_nth_week(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    """"the first week of May": the ISO week holding the month's 4th (11th, ...; "last": the 4th-last
    day), i.e. the first week with most of its days in the month."""
    month = _month_number(m.group("month"))
    year_text = _group(m, "year")
    if year_text:
        year, note = int(year_text), "absolute"
    else:
        year, note = _infer_year(ctx, month, None, m.start("t"), m.end("t"))
    ordinal = m.group("ord").lower()
    if year is None:
        return _Resolved("DATE", f"XXXX-{month:02d}", note)  # TIMEX3 has no week-of-month value
    if ordinal in ("last", "final"):
        day = timex3.last_day_of_month(year, month) - timedelta(days=3)
    else:
        day = date(year, month, 4) + timedelta(weeks=_ORDINAL_QUARTER.get(ordinal, 1) - 1)
    return _with_interval("DATE", timex3.week_value(day), note)


def resolve_week_of_date(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    """"the week of March 6": the ISO week that holds the day (its year as for any yearless date)."""
    day_value = resolve_absolute_date(m, ctx, rule) if _group(m, "year") else resolve_yearless_date(m, ctx, rule)
    if day_value is None or day_value.first_day is None:
        return None if day_value is None else _Resolved("DATE", "XXXX-WXX", day_value.note)
    return _with_interval("DATE", timex3.week_value(day_value.first_day), day_value.note)


def resolve_narrative_unit(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    """"later that year", "earlier that day": the period of the latest explicit date before it."""
    unit = m.group("unit").lower()
    need = {"year": ("year", "month", "day"), "month": ("month", "day"), "day": ("day",), "week": ("day",)}[unit]
    mod = _edge_mod(m)
    start = m.start("t")
    for anchor in reversed(ctx.anchors):
        if anchor.start >= start or not anchor.value:
            continue
        if anchor.granularity not in need:
            continue
        value = anchor.value
        if unit == "year":
            value = value[:4]
        elif unit == "month":
            value = value[:7]
        elif unit == "week":
            span = timex3.interval(value[:10])
            if not span:
                return None
            value = timex3.week_value(span[0])
        else:
            value = value[:10]
        return _with_interval("DATE", value, "narrative", mod)
    return None


_NARRATIVE_NEED = {"Y": ("year", "season", "quarter", "half", "month", "week", "day", "part-of-day", "time"),
                   "M": ("month", "week", "day", "part-of-day", "time"),
                   "W": ("week", "day", "part-of-day", "time"),
                   "D": ("day", "part-of-day", "time")}


def resolve_narrative_next(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    """"the following year", "the next morning": one unit after the latest date the story has named
    (a story's "following" counts from its own events, not from the day it was written). Without such a
    date it declines, and relative:unit reads it from the reference date."""
    unit_word = m.group("unit").lower()
    lead = m.group("lead").lower().split()[-1]
    pod = unit_word if unit_word in ("morning", "afternoon", "evening", "night") else None
    unit = "D" if pod else _res().lookup("unit", unit_word)
    if lead == "next" and unit not in ("D",):
        return None  # "the next year" is read from the reference date (relative:unit)
    start = m.start("t")
    for point_start, value in reversed(ctx.points):
        if point_start >= start or start - point_start > 1500:
            break
        if timex3.granularity(value) not in _NARRATIVE_NEED[unit]:
            continue
        span = timex3.interval(value)
        if not span:
            continue
        day = timex3.shift(span[0], 1, unit)
        ctx.relatives.append(start)  # the story has moved on: older year anchors no longer hold
        if pod:
            value, type_ = _add_pod(day.isoformat(), pod)
            return _Resolved(type_, value, "narrative", None, day, day)
        return _with_interval("DATE", timex3.value_for(day, unit), "narrative")
    return None


def resolve_year_end_point(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    """"since year-end": the last day of the year ``offset`` years from the reference year."""
    ctx.relatives.append(m.start("t"))
    if ctx.dct is None:
        return _Resolved("DATE", "XXXX-12-31", "no-dct")
    day = date(ctx.dct.year + int(rule.params.get("offset", 0)), 12, 31)
    return _Resolved("DATE", day.isoformat(), "year-end-point", None, day, day)


def resolve_half_year(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    """"the first two quarters of 1990": H1 (H2 for the last two) of the named or the reference year."""
    half = "H1" if m.group("ord").lower() == "first" else "H2"
    year_text, ofrel = _group(m, "year"), (_group(m, "ofrel") or "").lower()
    if year_text:
        year = int(year_text)
    elif ctx.dct is None:
        return _Resolved("DATE", f"XXXX-{half}", "no-dct")
    else:
        year = ctx.dct.year + {"next": 1, "last": -1}.get(ofrel, 0)
        ctx.relatives.append(m.start("t"))
    return _with_interval("DATE", f"{year:04d}-{half}", "half-year", _approx_mod(m))


def resolve_that_quarter(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    """"that quarter": the quarter last named before it (declines when none was)."""
    start = m.start("t")
    for q_start, value in reversed(ctx.quarters):
        if q_start < start and start - q_start <= 1500:
            ctx.quarters.append((start, value))
            return _with_interval("DATE", value, "narrative")
    return None


def resolve_narrative_pod(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    """"in the morning" after a story has named a day ("Prices fell Friday. Dealers bought in the
    morning"): that day's morning. Declines without a day named in this or the previous sentence."""
    day = _recent_day(ctx, m.start("t"))
    if day is None:
        return None
    value, type_ = _add_pod(day.isoformat(), m.group("pod"))
    return _Resolved(type_, value, "narrative", None, day, day)


def resolve_duration(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    unit = _unit_code(m)
    if unit is None or unit == "WE":
        return None
    after = ctx.text[m.end("t"):m.end("t") + 16]
    if unit == "Q" and re.match(r"\s+of\b", after, re.I) and not (
            _group(m, "fuzzy") and re.match(r"(?i)\s+of\s+(?!(?:the|a|an|its|his|her|their|our|all|this|that|"
                                            r"these|those)\b)[a-z]+\b", after)):
        # "a quarter of the city", "three quarters of voters": a fraction (but "after several quarters of
        # losses" is a stretch of time: a vague amount of quarters is never a fraction)
        return None
    mod = _approx_mod(m)
    if mod is None and re.search(r"(?i)\b(?:about|some|approximately|roughly|around)\s+$",
                                 ctx.text[max(0, m.start("t") - 16):m.start("t")]):
        mod = "APPROX"  # the hedge stays outside the extent (TimeBank), but the value is approximate
    fuzzy = _group(m, "fuzzy")
    amount: float | None
    if "amount" in rule.params:
        amount = float(rule.params["amount"])
    elif fuzzy is not None:
        code = _res().lookup("number_fuzzy", fuzzy)
        amount = None if code == "X" else float(code)
    elif _group(m, "num"):
        amount = _parse_number(m.group("num"))
        if amount is None:
            return None
    else:
        amount = None  # bare plural: "for years"
    if amount is not None and re.search(r"(?i)\s+and\s+a\s+half$", m.group("t")) \
            and not re.search(r"(?i)and\s+a\s+half", _group(m, "num") or ""):
        amount += 0.5  # "a year and a half", "an hour and a half"
    if unit == "2W":
        unit, amount = "W", (amount * 2 if amount is not None else None)
    value = timex3.duration_value(_num(amount) if amount is not None else None, unit)
    anchor = (_group(m, "anchor") or "").lower().replace("the ", "").strip()
    first = last = None
    note = "amount" if amount is not None else "unspecified"
    if anchor and amount is not None and ctx.dct is not None and float(amount).is_integer() and amount > 0 \
            and unit in ("D", "W", "M", "Y", "Q", "DE", "CE"):  # "the next 0 days" covers no day at all
        n = int(amount)
        if anchor in ("past", "last", "previous", "preceding"):
            first, last = timex3.shift(ctx.dct, -n, unit), ctx.dct - timedelta(days=1)
            note = "anchored-past"
        elif anchor in ("next", "coming", "following"):
            first, last = ctx.dct + timedelta(days=1), timex3.shift(ctx.dct, n, unit)
            note = "anchored-future"
    ended = re.match(r"(?i)the\s", m.group("t")) and re.match(r"(?i)\s+(?:ended|ending|through|to)\b", after)
    if unit == "M" and amount in (6, 9) and (anchor in ("first", "latest") or ended):
        # "the first nine months", "the six months ended Oct. 1": a part-year reporting period
        ctx.year_spans.append(m.start("t"))
    return _Resolved("DURATION", value, note, mod, first, last)


def resolve_clock(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    word = (_group(m, "word") or "").lower()
    if word:
        hh, mm = (12, 0) if word in ("noon", "midday") else (24, 0)
    else:
        hh = int(m.group("hour"))
        mm = int(_group(m, "minute") or 0)
        ampm = (_group(m, "ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hh < 12:
            hh += 12
        elif ampm == "am" and hh == 12:
            hh = 0
        if not ampm and not _group(m, "tz") and not re.search(r"(?i)hours|hrs|h$", m.group("t")):
            before = ctx.text[max(0, m.start("t") - 12):m.start("t")]
            if not re.search(r"(?i)\b(?:at|by|until|from|before|after|around|about)\s+$", before):
                return None  # a bare "3:2" score or ratio, not a time
    weekday = _group(m, "weekday")
    deictic = (_group(m, "deictic") or "").lower()
    month_text = _group(m, "month")
    if month_text:  # "5 p.m. EST Nov. 9": the date part decides the day
        month, day_number = _month_number(month_text), int(re.sub(r"\D", "", m.group("day")))
        year_text = _group(m, "year")
        if year_text:
            year, note = int(year_text), "absolute"
        else:
            year, note = _infer_year(ctx, month, day_number, m.start("t"), m.end("t"))
        if year is None:
            return _Resolved("TIME", f"XXXX-{month:02d}-{day_number:02d}T{hh:02d}:{mm:02d}", note)
        try:
            day = date(year, month, day_number)
        except ValueError:
            return None
        return _Resolved("TIME", f"{day.isoformat()}T{hh:02d}:{mm:02d}", note, None, day, day)
    before = ctx.day_just_before(m.start("t"))
    if before is not None:  # "on April 18, 2016 at 10:30 a.m.": the time of that day
        return _Resolved("TIME", f"{before.isoformat()}T{hh:02d}:{mm:02d}", "on-stated-day", None, before, before)
    if ctx.dct is None:
        return _Resolved("TIME", f"XXXX-XX-XXT{hh:02d}:{mm:02d}", "no-dct")
    if not weekday and not deictic:
        # "at 10:35 a.m. (0735 GMT) Friday": the day named after a parenthesis
        later = _CLOCK_PAREN_WEEKDAY.match(ctx.text, m.end("t"))
        weekday = later.group(1) if later and later.group(1)[0].isupper() else None
    if weekday:
        day, note = _weekday_date(ctx, _res().lookup("weekday", weekday), "", m.start("t"), m.end("t"))
        return _Resolved("TIME", f"{day.isoformat()}T{hh:02d}:{mm:02d}", note, None, day, day)
    if not deictic:
        story_day = _recent_day(ctx, m.start("t"))
        if story_day is not None:  # "Slepian was killed Oct. 23 ... He was shot at 10 p.m.": that day
            return _Resolved("TIME", f"{story_day.isoformat()}T{hh:02d}:{mm:02d}", "story-day", None,
                             story_day, story_day)
    day = ctx.dct + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(deictic, 0))
    return _Resolved("TIME", f"{day.isoformat()}T{hh:02d}:{mm:02d}", "dct", None, day, day)


_CLOCK_PAREN_WEEKDAY = re.compile(
    r"\s*\([^()]{1,25}\)\s*,?\s+(?:on\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", re.I)


def _recent_day(ctx: _Context, start: int, reach: int | None = None) -> date | None:
    """The day last named in this or the previous sentence (a story's day, for a bare clock time), or,
    with ``reach``, within that many characters before."""
    s0, _ = ctx.sentence_bounds(start)
    prev0, _ = ctx.sentence_bounds(max(0, s0 - 1))
    if reach is not None:
        prev0 = max(0, start - reach)
    for point_start, value in reversed(ctx.points):
        if point_start >= start:
            continue
        if point_start < prev0:
            break
        if timex3.granularity(value) != "day":
            continue
        span = timex3.interval(value)
        if span:
            return span[0]
    return None


_SET_ADVERBS = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "P1Y",
                "annually": "P1Y", "quarterly": "P3M", "hourly": "PT1H", "biweekly": "P2W",
                "semiannually": "P6M", "fortnightly": "P2W"}


def resolve_set(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    adverb = _group(m, "adverb")
    if adverb:
        return _Resolved("SET", _SET_ADVERBS[adverb.lower()], "adverb")
    weekday = _group(m, "weekday") or _group(m, "weekday2")
    if weekday:
        pod = _group(m, "pod") or _group(m, "pod2")
        code = _part_of_day(pod.rstrip("s")) if pod else None
        suffix = ("" if code is None else code if code.startswith("T") else f"T{code}")
        return _Resolved("SET", f"XXXX-WXX-{_res().lookup('weekday', weekday)}{suffix}", "every-weekday")
    month = _group(m, "month")
    if month:
        return _Resolved("SET", f"XXXX-{_month_number(month):02d}", "every-month-name")
    season = _group(m, "season")
    if season:
        return _Resolved("SET", f"XXXX-{_res().lookup('season', season)}", "every-season")
    pod = _group(m, "pod")
    if pod:
        return _Resolved("SET", f"XXXX-XX-XXT{_part_of_day(pod)}", "every-part-of-day")
    unit = _unit_code(m)
    if unit == "WE":
        return _Resolved("SET", "XXXX-WXX-WE", "every-weekend")
    num_text = (_group(m, "num") or "").lower()
    amount = 2 if num_text == "other" else _parse_number(num_text) if num_text else 1
    if not amount:
        return None
    return _Resolved("SET", timex3.duration_value(_num(amount), unit), "every")


RESOLVERS: dict[str, Callable[[re.Match, _Context, _Rule], _Resolved | None]] = {
    "absolute_date": resolve_absolute_date,
    "yearless_date": resolve_yearless_date,
    "season": resolve_season,
    "year": resolve_year,
    "decade": resolve_decade,
    "century": resolve_century,
    "deictic": resolve_deictic,
    "weekday": resolve_weekday,
    "relative_unit": resolve_relative_unit,
    "relative_month": resolve_relative_month,
    "ago": resolve_ago,
    "year_earlier": resolve_year_earlier,
    "quarter": resolve_quarter,
    "the_unit": resolve_the_unit,
    "fixed": resolve_fixed,
    "holiday": resolve_holiday,
    "narrative_unit": resolve_narrative_unit,
    "narrative_next": resolve_narrative_next,
    "narrative_pod": resolve_narrative_pod,
    "half_year": resolve_half_year,
    "that_quarter": resolve_that_quarter,
    "year_end_point": resolve_year_end_point,
    "week_of_date": resolve_week_of_date,
    "nth_week": resolve_nth_week,
    "duration": resolve_duration,
    "clock": resolve_clock,
    "set": resolve_set,
}


# ------------------------------------------------------------------------------------------ engine
@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    rule: _Rule
    match: re.Match


#: How far a rule's match, with the context its lookarounds read, may reach from the trigger word it
#: needs, counted in characters that are not blanks (a run of spaces or line breaks costs nothing, so
#: "last <200 spaces> Thanksgiving" is still found whole). Rules are run only on the stretches of text
#: within this reach of one of their trigger words, so a long article costs each rule the few windows
#: around its words instead of a scan of the whole text (see benchmarks/bench_hostile.py). The
#: longest TempEval-3 expression is 39 characters.
TRIGGER_REACH = 200

# what ``\s`` matches in a str pattern: blanks do not count towards TRIGGER_REACH
_BLANKS = np.array([ord(c) for c in map(chr, range(0x3001)) if c.isspace()] + [0x1c, 0x1d, 0x1e, 0x1f],
                   dtype=np.uint32)

_WORD = re.compile(r"[a-z]+")
_DIGITS = re.compile(r"\d+")


def _trigger_positions(text: str) -> dict[str, list[int]] | None:
    """Start offsets of each lower-case word (and of digit runs, as ``#digit``) in ``text``; under
    the key ``#solid`` the count of non-blank characters before each offset (an array of len + 1).

    None when lower-casing changes the text's length (offsets would not line up): scan everything.
    """
    lower = text.lower()
    if len(lower) != len(text):
        return None
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    solid = np.zeros(len(text) + 1, dtype=np.int64)
    np.cumsum(~np.isin(codes, _BLANKS), out=solid[1:])
    where: dict = {"#solid": solid}
    for m in _WORD.finditer(lower):
        where.setdefault(m.group(), []).append(m.start())
    digits = [m.start() for m in _DIGITS.finditer(text)]
    if digits:
        where["#digit"] = digits
    return where


def _rule_windows(where: dict, triggers: frozenset[str], size: int) -> list[tuple[int, int]]:
    """Merged ``[start, end)`` stretches within TRIGGER_REACH non-blank characters of an occurrence
    of one of ``triggers``."""
    lists = [where[w] for w in triggers if w in where and not w.startswith("#s")]
    if not lists:
        return []
    positions = np.unique(np.concatenate([np.asarray(found, dtype=np.int64) for found in lists]))
    solid = where["#solid"]
    at = solid[positions]
    starts = np.searchsorted(solid, at - TRIGGER_REACH, side="left")
    ends = np.minimum(np.searchsorted(solid, at + TRIGGER_REACH, side="right") - 1, size)
    windows: list[tuple[int, int]] = []
    for start, end in zip(starts.tolist(), ends.tolist()):
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _matches(rule: _Rule, text: str, where: dict[str, list[int]] | None):
    """``rule.regex.finditer`` over the whole text, or over the windows around its trigger words.

    Both give the same matches: each match holds one of the rule's trigger words, lies within
    TRIGGER_REACH of it, and windows are merged when they touch, so no match is cut or started
    inside another (checked against the whole-text scan in tests/test_timex_properties.py).
    """
    if where is None or rule.triggers is None:
        yield from rule.regex.finditer(text)
        return
    windows = _rule_windows(where, rule.triggers, len(text))
    if sum(end - start for start, end in windows) > len(text) // 2:
        yield from rule.regex.finditer(text)  # most of the text anyway: one scan is cheaper
        return
    for start, end in windows:
        yield from rule.regex.finditer(text, start, end)


def _candidates(text: str, use_triggers: bool = True) -> list[_Candidate]:
    res = _res()
    blocked_at = bytearray(len(text) + 1)  # 1 where no expression may start
    for regex in res.rejects:
        for m in regex.finditer(text):
            blocked_at[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    found = []
    where = _trigger_positions(text) if use_triggers else None
    tokens = set(where) - {"#solid"} if where is not None else set(re.findall(r"[a-z]+", text.lower()))
    if re.search(r"\d", text):
        tokens.add("#digit")
    for rule in res.rules:
        if use_triggers and rule.triggers is not None and tokens.isdisjoint(rule.triggers):
            continue  # none of the words this rule needs occurs: it cannot match
        for m in _matches(rule, text, where):
            try:
                start, end = m.span("t")
            except IndexError:
                start, end = m.span()
            if start < 0 or start >= end:
                continue
            if blocked_at[start]:
                continue
            if any(_group(m, g) and not m.group(g)[0].isupper() for g in rule.capital):
                continue
            sentence_text = text[max(0, start - 60):start]
            if rule.needs is not None and not rule.needs.search(sentence_text):
                continue
            if rule.reject_before is not None and rule.reject_before.search(sentence_text):
                continue
            if rule.reject_after is not None and rule.reject_after.search(text[end:end + 60]):
                continue
            found.append(_Candidate(start, end, rule, m))
    return found


def _select(cands: list[_Candidate]) -> list[_Candidate]:
    """Longest extent first, then rule priority; no two chosen extents overlap."""
    chosen: list[_Candidate] = []
    starts: list[int] = []  # chosen extents, kept sorted by start; they never overlap
    ends: list[int] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.rule.priority, c.start, c.rule.order)):
        i = bisect.bisect_left(starts, c.end)  # extents starting before c ends
        if i and ends[i - 1] > c.start:
            continue  # the nearest of them still runs into c
        starts.insert(i, c.start)
        ends.insert(i, c.end)
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def tag(text: str, dct: date | str | None = None) -> list[Timex]:
    """Find and resolve the temporal expressions in ``text``.

    ``dct`` is the reference (document creation) date; without it relative expressions get
    underspecified values (``XXXX-WXX-2``, ``XXXX-XX``...) while absolute ones still resolve.
    Raises ValueError for a dct that is not a date.
    """
    day = _coerce_dct(dct)
    if not isinstance(text, str):
        raise TypeError(f"tag() needs a str, got {type(text).__name__}")
    ctx = _Context(text, day)
    candidates = _candidates(text)
    chosen = _select(candidates)
    # Other rules that matched exactly the same stretch, best first: tried when the chosen rule's
    # resolver declines ("the year" alone is nothing, "for the year" is the reporting year).
    same_span: dict[tuple[int, int], list[_Candidate]] = {}
    for c in sorted(candidates, key=lambda c: (c.rule.priority, c.rule.order)):
        same_span.setdefault((c.start, c.end), []).append(c)
    out: list[Timex] = []
    # Explicit years go first, so a yearless month can be anchored by a year stated before it.
    for c in chosen:
        y = _group(c.match, "year")
        if y and c.rule.resolve in ("absolute_date", "year", "season") and _year_number(y):
            gran = "day" if _group(c.match, "day") else "month" if _group(c.match, "month") else "year"
            attributive = bool(re.search(r"(?i)\b(?:the|a|an|its|their|his|her|our|this|that)\s+$",
                                         text[max(0, c.start - 8):c.start]))
            ctx.anchors.append(_Anchor(c.start, c.end, _year_number(y), gran, attributive))
    anchor_at = {a.start: a for a in ctx.anchors}
    ctx.anchor_starts = [a.start for a in ctx.anchors]
    for first_choice in chosen:
        for c in same_span[(first_choice.start, first_choice.end)]:
            resolved = _resolve(c, ctx)
            if resolved is not None:
                break
        else:
            continue
        if resolved.type == "DATE" and timex3.granularity(resolved.value) == "day" and resolved.first_day:
            ctx.days.append((c.end, resolved.first_day))
        if c.start in anchor_at and resolved.type in ("DATE", "TIME"):
            anchor_at[c.start].value = resolved.value
        if resolved.type in ("DATE", "TIME") and resolved.value[:1].isdigit():
            ctx.points.append((c.start, resolved.value))
        out.append(_finish(c, resolved, ctx))
    return out


def _resolve(c: _Candidate, ctx: _Context) -> _Resolved | None:
    try:
        resolved = RESOLVERS[c.rule.resolve](c.match, ctx, c.rule)
    except OverflowError:
        return None  # "ten centuries ago" from an early reference date: no representable value
    except ValueError as exc:
        if "out of range" not in str(exc):
            raise
        return None
    if resolved is None or not timex3.is_valid_value(resolved.value):
        return None
    return resolved


def _finish(c: _Candidate, r: _Resolved, ctx: _Context) -> Timex:
    mod = r.mod
    first, last = timex3.checked_interval(r.first_day, r.last_day)
    if first is None and r.type in ("DATE", "TIME") and r.value[:1].isdigit():
        span = timex3.interval(r.value)
        if span:
            first, last = span
    # "since August 1": the expression is the start of a stretch that runs to the reference date.
    if mod is None and r.type in ("DATE", "TIME") and first is not None and ctx.dct is not None \
            and re.search(r"(?i)\bsince\s+$", ctx.text[max(0, c.start - 8):c.start]) and first <= ctx.dct:
        mod, last = "ON_OR_AFTER", max(ctx.dct, first)
        note = (r.note + "+since") if r.note else "since"
        r = _Resolved(r.type, r.value, note, r.mod, r.first_day, r.last_day)
    gran = timex3.granularity(r.value) if r.type in ("DATE", "TIME") else None
    rule = f"{c.rule.name}:{r.note}" if r.note else c.rule.name
    first, last = timex3.checked_interval(first, last)
    return Timex(start=c.start, end=c.end, text=ctx.text[c.start:c.end], type=r.type, value=r.value, mod=mod,
                 rule=rule, first_day=first, last_day=last, granularity=gran)
