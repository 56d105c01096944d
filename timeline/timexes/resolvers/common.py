"""Helpers shared by the resolver families: match groups, number and year words, the year of a
yearless date, the day a story last named, and ``dateparser`` for the absolute dates a rule has found
(cached; imported on first use).
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from ... import timex3
from ..context import _Context, _Resolved
from ..rules import _res


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


def _approx_mod(m: re.Match) -> str | None:
    text = _group(m, "approx")
    return _res().lookup("approx", text) if text else None


def _unit_code(m: re.Match) -> str | None:
    return _res().lookup("unit", m.group("unit"))


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
