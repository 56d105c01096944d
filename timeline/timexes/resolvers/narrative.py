"""Resolvers that count from a date the story has already named: "later that year", "the following
day", "in the morning".
"""
from __future__ import annotations

import re

from ... import timex3
from ..context import _Context, _Resolved
from ..rules import _res, _Rule
from .common import _add_pod, _edge_mod, _recent_day, _with_interval


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


def resolve_narrative_pod(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    """"in the morning" after a story has named a day ("Prices fell Friday. Dealers bought in the
    morning"): that day's morning. Declines without a day named in this or the previous sentence."""
    day = _recent_day(ctx, m.start("t"))
    if day is None:
        return None
    value, type_ = _add_pod(day.isoformat(), m.group("pod"))
    return _Resolved(type_, value, "narrative", None, day, day)
