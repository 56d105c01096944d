"""Resolvers of calendar dates named in the text: full and yearless dates, years, decades, centuries,
seasons, holidays, and the weeks of a month or of a date.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from ... import timex3
from ..context import _Context, _Resolved
from ..rules import _res, _Rule
from .common import (
    _dateparser_date, _edge_mod, _group, _infer_year, _month_number, _with_interval, _year_number,
)
from .quarters import _ORDINAL_QUARTER


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
