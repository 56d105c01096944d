"""Reference-date evidence outside the running text: the top lines, the URL, the file name.

Rules and their examples live in ``resources/refdate.toml`` (``[top]``, ``[[url]]``, ``[filename]``).
A day found here is taken as the writing day with the rule's confidence; a body window that
excludes it is recorded as evidence (``<rule>:outside-body-window``) and lowers the confidence.
"""
from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Callable, Sequence

from ..records import Evidence, ReferenceDate, Timex
from .body import RESOURCES, _add_months, _window_guess

@dataclass(frozen=True)
class _TopRule:
    name: str
    kind: str  # "date-line" or "dateline"
    pattern: re.Pattern | None
    confidence: float
    confidence_year_window: float
    confidence_no_year: float


@dataclass(frozen=True)
class _Top:
    lines: int
    max_chars: int
    filler: frozenset[str]
    byline: re.Pattern
    rules: tuple[_TopRule, ...]
    url: tuple[tuple[str, re.Pattern, float], ...]
    filename: tuple[str, re.Pattern, float]


@cache
def _top() -> _Top:
    with open(RESOURCES / "refdate.toml", "rb") as fh:
        data = tomllib.load(fh)
    top = data["top"]
    rules = tuple(
        _TopRule(r["name"], r["kind"], re.compile(r["pattern"]) if "pattern" in r else None, float(r["confidence"]),
                 float(r.get("confidence_year_window", r["confidence"])),
                 float(r.get("confidence_no_year", r["confidence"])))
        for r in top["rule"])
    fn = data["filename"]
    return _Top(
        lines=int(top["lines"]), max_chars=int(top["max_chars"]),
        filler=frozenset(w.lower() for w in top["filler_words"]), byline=re.compile(top["byline"]), rules=rules,
        url=tuple((u["name"], re.compile(u["pattern"]), float(u["confidence"])) for u in data["url"]),
        filename=(fn["name"], re.compile(fn["pattern"]), float(fn["confidence"])),
    )


_FULL_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH_DAY = re.compile(r"^XXXX-(\d{2})-(\d{2})$")
_FILLER_TOKEN = re.compile(r"[A-Za-z][A-Za-z.]*|\d+")


def _top_lines(text: str, count: int) -> list[tuple[int, int]]:
    """(start, end) of the first ``count`` non-blank lines of ``text``, without surrounding spaces."""
    found = []
    for m in re.finditer(r"[^\n]+", text):
        stripped = m.group().strip()
        if not stripped:
            continue
        lead = len(m.group()) - len(m.group().lstrip())
        found.append((m.start() + lead, m.start() + lead + len(stripped)))
        if len(found) == count:
            break
    return found


def _date_line(line: str, timexes: Sequence[Timex], top: _Top) -> Timex | None:
    """The day a date line states, or None when the line is anything more than a date."""
    days = [t for t in timexes if t.type == "DATE" and t.granularity == "day" and _FULL_DAY.match(t.value)]
    if len(days) != 1:
        return None
    rest = top.byline.sub("", line, count=1) if top.byline.match(line) else line
    shift = len(line) - len(rest)
    covered = [(t.start - shift, t.end - shift) for t in timexes]
    leftover = "".join(" " if any(a <= i < b for a, b in covered) else ch for i, ch in enumerate(rest))
    words = _FILLER_TOKEN.findall(leftover)
    if any(w.lower() not in top.filler for w in words):
        return None
    return days[0]


def date_line_day(line: str, tagger: Callable[[str], Sequence[Timex]] | None = None) -> date | None:
    """The day a date line states ("Thursday, April 30, 2009", "12 Feb 2015 14:03 GMT"), else None.

    The one definition of a date line: the corpus cleaner takes such a line out of the running text
    and the reference-date rule ``date-line`` reads the day from it.
    """
    top = _top()
    line = line.strip()
    if not line or len(line) > top.max_chars or not any(ch.isdigit() for ch in line):
        return None
    if tagger is None:
        from ..timexes import tag

        def tagger(t: str) -> Sequence[Timex]:
            return tag(t, dct=None)

    found = _date_line(line, tagger(line), top)
    return _day_of(found.value) if found is not None else None


def _day_of(value: str) -> date | None:
    m = _FULL_DAY.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _year_for(month: int, day: int, body: ReferenceDate) -> tuple[date | None, str]:
    """The year of a yearless dateline day from the body's window: (day, how) or (None, reason)."""
    lo, hi = body.earliest, body.latest

    def on(year: int) -> date | None:
        try:
            return date(year, month, day)
        except ValueError:
            return None

    if lo is not None and hi is not None:
        found = [d for d in (on(y) for y in range(lo.year, hi.year + 1)) if d is not None and lo <= d <= hi]
        if len(found) == 1:
            return found[0], "year-window"
        return None, f"{len(found)} such days in the body's window"
    if lo is not None:
        for year in (lo.year, lo.year + 1):
            d = on(year)
            if d is not None and d >= lo:
                return d, "year-after-lower-bound"
        return None, "no such day after the body's lower bound"
    if hi is not None:
        for year in (hi.year, hi.year - 1):
            d = on(year)
            if d is not None and d <= hi:
                return d, "year-before-upper-bound"
    return None, "no year in the dateline and no bound in the body"


def _pinned(day: date, body: ReferenceDate, confidence: float, method: str, rule: str,
            first: Evidence) -> ReferenceDate:
    """A day from strong evidence; a body window that excludes it is recorded and lowers confidence."""
    evidence = (first,) + body.evidence
    if (body.earliest is not None and day < body.earliest) or (body.latest is not None and day > body.latest):
        conflict = Evidence(first.text, first.start, first.end, f"{rule}:outside-body-window",
                            body.earliest, body.latest)
        evidence = (first, conflict) + body.evidence
        confidence = round(confidence * 0.7, 3)
    return ReferenceDate(day, day, day, confidence, method, evidence, guess=day, rule=rule)


def _from_top(head: str, body: ReferenceDate, tagger: Callable[[str], Sequence[Timex]]) -> ReferenceDate | None:
    top = _top()
    for start, end in _top_lines(head, top.lines):
        line = head[start:end]
        for rule in top.rules:
            if rule.kind == "date-line":
                day = date_line_day(line, tagger)
                if day is not None:
                    ev = Evidence(line, start, end, rule.name, day, day)
                    return _pinned(day, body, rule.confidence, "date-line", rule.name, ev)
                continue
            m = rule.pattern.match(line[:200]) if rule.pattern is not None else None
            if m is None:
                continue
            part = m.group("date")
            found = [t for t in tagger(part) if t.type == "DATE" and t.granularity == "day"
                     and t.start == 0 and t.end == len(part.rstrip())]
            if not found:
                continue
            value = found[0].value
            day = _day_of(value)
            if day is not None:
                ev = Evidence(line[: m.end()].rstrip(), start, start + len(line[: m.end()].rstrip()), rule.name, day, day)
                return _pinned(day, body, rule.confidence, "dateline", rule.name, ev)
            md = _MONTH_DAY.match(value)
            if md is None:
                continue
            day, how = _year_for(int(md.group(1)), int(md.group(2)), body)
            text = line[: m.end()].rstrip()
            if day is None:
                ev = Evidence(text, start, start + len(text), f"{rule.name}:no-year ({how})", None, None)
                return dataclasses.replace(body, evidence=(ev,) + body.evidence)
            confidence = rule.confidence_year_window if how == "year-window" else rule.confidence_no_year
            ev = Evidence(text, start, start + len(text), f"{rule.name}:{how}", day, day)
            return _pinned(day, body, confidence, "dateline", f"{rule.name}:{how}", ev)
    return None


def _ymd(m: re.Match) -> date | None:
    try:
        return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except (ValueError, IndexError):
        return None


def _from_url(url: str | None, body: ReferenceDate) -> ReferenceDate | None:
    if not url:
        return None
    for name, pattern, confidence in _top().url:
        m = pattern.search(url)
        if m is None:
            continue
        if "d" in pattern.groupindex:
            day = _ymd(m)
            if day is None:
                continue
            ev = Evidence(url, m.start(), m.end(), name, day, day)
            return _pinned(day, body, confidence, "url", name, ev)
        try:
            lo = date(int(m.group("y")), int(m.group("m")), 1)
        except ValueError:
            continue
        hi = _add_months(lo, 1) - timedelta(days=1)
        earliest = max(lo, body.earliest) if body.earliest else lo
        latest = min(hi, body.latest) if body.latest else hi
        if earliest > latest:  # the body contradicts the URL month: keep the URL's month
            earliest, latest = lo, hi
        ev = Evidence(url, m.start(), m.end(), name, lo, hi)
        guess, _ = _window_guess(earliest, latest, ())
        best = earliest if earliest == latest else None
        return ReferenceDate(best, earliest, latest, confidence, "url", (ev,) + body.evidence, guess=guess, rule=name)
    return None


def _from_filename(name: str | None, body: ReferenceDate) -> ReferenceDate | None:
    if not name:
        return None
    rule, pattern, confidence = _top().filename
    stem = Path(name).name
    m = pattern.search(stem)
    day = _ymd(m) if m else None
    if day is None:
        return None
    return _pinned(day, body, confidence, "filename", rule, Evidence(stem, m.start(), m.end(), rule, day, day))
