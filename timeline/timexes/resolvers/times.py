"""Resolvers of durations, clock times and sets: "for three years", "at 10:30 a.m.", "every Monday".
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from ... import timex3
from ..context import _Context, _Resolved
from ..rules import _res, _Rule
from .common import (
    _approx_mod, _group, _infer_year, _month_number, _num, _parse_number, _part_of_day, _recent_day,
    _unit_code,
)
from .relative import _weekday_date


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
