"""Resolvers of expressions counted from the reference date: "today", weekdays, "last week", "next
March", "three days ago", "the past year", fixed values and year-end points.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from ... import timex3
from ..context import _Context, _Resolved
from ..rules import _res, _Rule
from .common import (
    _add_pod, _approx_mod, _edge_mod, _group, _month_number, _parse_number, _recent_day, _unit_code,
    _with_interval,
)
from .quarters import _sentence_mentions_quarter, _span_after_quarter


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


def resolve_year_end_point(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    """"since year-end": the last day of the year ``offset`` years from the reference year."""
    ctx.relatives.append(m.start("t"))
    if ctx.dct is None:
        return _Resolved("DATE", "XXXX-12-31", "no-dct")
    day = date(ctx.dct.year + int(rule.params.get("offset", 0)), 12, 31)
    return _Resolved("DATE", day.isoformat(), "year-end-point", None, day, day)
