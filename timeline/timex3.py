"""TIMEX3 value arithmetic: what calendar stretch a value covers, and how to build values.

Kept apart from the tagger so every stage (events, merging, charts) can reason about values such as
``2016-W07-WE``, ``2014-SU``, ``1998-Q3`` or ``2016-08-10TMO`` the same way, without re-tagging.
Week values are ISO weeks (Monday first); seasons are meteorological (SP = Mar-May, SU = Jun-Aug,
FA = Sep-Nov, WI = Dec of the value's year to the end of February of the next).
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}  # 13, 14 = next Jan, Feb
PART_OF_DAY = ("MO", "MI", "AF", "EV", "NI", "DT")

_DATE_VALUE = re.compile(
    r"""^(?:
        (?P<century>\d\d|XX)                                # 19 = the 1900s
      | (?P<decade>\d\d\d|XXX)                              # 199 = the 1990s
      | (?P<year>\d{4}|XXXX|\d\dXX|\d{3}X)
        (?:-(?:
             (?P<month>\d\d|XX)(?:-(?P<day>\d\d|XX))?
           | W(?P<week>\d\d|XX)(?:-(?P<wday>[1-7]|WE))?
           | Q(?P<quarter>[1-4]|X)
           | H(?P<half>[12]|X)
           | (?P<season>SP|SU|FA|WI)
        ))?
    )
    (?:T(?P<time>MO|MI|AF|EV|NI|DT|\d\d(?::\d\d(?::\d\d)?)?))?$""",
    re.VERBOSE,
)
_DURATION_VALUE = re.compile(
    r"^P(?:(?:(?:\d+(?:\.\d+)?|X)[YMWDQLCE])+(?:T(?:(?:\d+(?:\.\d+)?|X)[HMS])+)?"
    r"|T(?:(?:\d+(?:\.\d+)?|X)[HMS])+"
    r"|XX)$"  # PXX: a stretch whose length and unit are both unstated ("for a while")
)
REFS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")


def is_valid_value(value: str) -> bool:
    """True when ``value`` is a well-formed TIMEX3 value (date, time, duration, set or *_REF)."""
    if not isinstance(value, str) or not value:
        return False
    if value in REFS:
        return True
    return bool(_DATE_VALUE.match(value) or _DURATION_VALUE.match(value))


def is_duration(value: str) -> bool:
    return bool(_DURATION_VALUE.match(value))


def granularity(value: str) -> str | None:
    """The calendar unit a date/time value is stated in ('day', 'week', 'month', ...), None for others."""
    m = _DATE_VALUE.match(value) if value not in REFS else None
    if not m:
        return None
    g = m.groupdict()
    if g["time"]:
        return "part-of-day" if g["time"] in PART_OF_DAY else "time"
    if g["century"]:
        return "century"
    if g["decade"]:
        return "decade"
    if g["day"]:
        return "day"
    if g["wday"] == "WE":
        return "weekend"
    if g["wday"]:
        return "day"
    if g["week"]:
        return "week"
    if g["month"]:
        return "month"
    if g["quarter"]:
        return "quarter"
    if g["half"]:
        return "half"
    if g["season"]:
        return "season"
    if g["year"] and g["year"].endswith("X") and not g["year"].startswith("X"):
        return "decade"
    return "year"


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the end of shorter months."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def week_start(year: int, week: int) -> date:
    return date.fromisocalendar(year, week, 1)


def week_value(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def weekend_value(day: date) -> str:
    return week_value(day) + "-WE"


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def season_of(day: date) -> tuple[int, str]:
    """(year, code) of the meteorological season ``day`` falls in; Jan/Feb belong to last year's WI."""
    if day.month in (1, 2):
        return day.year - 1, "WI"
    for code, (first, last) in SEASON_MONTHS.items():
        if first <= day.month <= last:
            return day.year, code
    raise AssertionError(day)


def season_interval(year: int, code: str) -> tuple[date, date]:
    first, last = SEASON_MONTHS[code]
    start = date(year, first, 1)
    end = last_day_of_month(year + (last - 1) // 12, (last - 1) % 12 + 1)
    return start, end


def interval(value: str) -> tuple[date, date] | None:
    """First and last calendar day a fully specified date/time value covers; None otherwise."""
    m = _DATE_VALUE.match(value) if value not in REFS else None
    if not m:
        return None
    g = m.groupdict()
    try:
        if g["century"] == "XX" or g["decade"] == "XXX":
            return None
        if g["century"]:
            c = int(g["century"])
            return date(max(1, c * 100), 1, 1), date(c * 100 + 99, 12, 31)
        if g["decade"]:
            d = int(g["decade"])
            return date(max(1, d * 10), 1, 1), date(d * 10 + 9, 12, 31)
        year_text = g["year"]
        if "X" in year_text:
            if year_text.startswith("X") or g["month"] or g["week"] or g["quarter"] or g["half"] or g["season"]:
                return None
            base = int(year_text.replace("X", "0"))
            span = 10 ** year_text.count("X")
            return date(max(1, base), 1, 1), date(base + span - 1, 12, 31)
        year = int(year_text)
        if g["month"]:
            if g["month"] == "XX":
                return None
            month = int(g["month"])
            if g["day"]:
                if g["day"] == "XX":
                    return None
                d = date(year, month, int(g["day"]))
                return d, d
            return date(year, month, 1), last_day_of_month(year, month)
        if g["week"]:
            if g["week"] == "XX":
                return None
            monday = week_start(year, int(g["week"]))
            if g["wday"] == "WE":
                return monday + timedelta(days=5), monday + timedelta(days=6)
            if g["wday"]:
                d = monday + timedelta(days=int(g["wday"]) - 1)
                return d, d
            return monday, monday + timedelta(days=6)
        if g["quarter"]:
            if g["quarter"] == "X":
                return None
            q = int(g["quarter"])
            return date(year, 3 * q - 2, 1), last_day_of_month(year, 3 * q)
        if g["half"]:
            if g["half"] == "X":
                return None
            h = int(g["half"])
            return date(year, 6 * h - 5, 1), last_day_of_month(year, 6 * h)
        if g["season"]:
            return season_interval(year, g["season"])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


def first_day(value: str) -> date | None:
    span = interval(value)
    return span[0] if span else None


def last_day(value: str) -> date | None:
    span = interval(value)
    return span[1] if span else None


def checked_interval(first: date | None, last: date | None) -> tuple[date | None, date | None]:
    """``(first, last)`` when it is a real stretch of days (``first <= last``), else ``(None, None)``:
    an interval is never inverted, and never half known."""
    if first is None or last is None or first > last:
        return None, None
    return first, last


def duration_value(amount: float | int | None, unit: str) -> str:
    """``P10D``, ``PT3H``, ``PXY``... from an amount (None = unspecified) and a unit code.

    Unit codes: Y, M (month), W, D, Q (quarter), DE (decade, written as years), CE (century), H,
    MIN, S. Fractions of a year/hour are spelt out in the next unit down (2.5 years -> P2Y6M).
    """
    time_units = {"H": "H", "MIN": "M", "S": "S"}
    if amount is None:
        if unit == "DE":
            return "PXY"  # TimeBank spells an unknown number of decades in years
        if unit == "CE":
            return "PXC"
        return ("PTX" + time_units[unit]) if unit in time_units else f"PX{unit}"
    if unit == "DE":
        amount, unit = amount * 10, "Y"
    elif unit == "CE":
        amount, unit = amount * 100, "Y"
    whole = int(amount)
    frac = amount - whole
    if unit in time_units:
        text = f"PT{whole}{time_units[unit]}"
        if frac and unit in ("H", "MIN"):
            text += f"{round(frac * 60)}{'M' if unit == 'H' else 'S'}"
        return text
    text = f"P{whole}{unit}"
    if frac:
        if unit == "D":
            return text + f"T{round(frac * 24)}H"
        sub = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "Q": ("M", 3)}.get(unit)
        if sub:
            text += f"{round(frac * sub[1])}{sub[0]}"
    return text


def shift(day: date, amount: int, unit: str) -> date:
    """``day`` moved by ``amount`` units (Y, M, W, D, Q, DE, CE)."""
    if unit == "D":
        return day + timedelta(days=amount)
    if unit == "W":
        return day + timedelta(weeks=amount)
    months = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}[unit] * amount
    return add_months(day, months)


def value_for(day: date, unit: str) -> str:
    """The value naming the ``unit``-sized stretch that contains ``day``."""
    if unit == "D":
        return day.isoformat()
    if unit == "W":
        return week_value(day)
    if unit == "WE":
        return weekend_value(day)
    if unit == "M":
        return f"{day.year:04d}-{day.month:02d}"
    if unit == "Q":
        return f"{day.year:04d}-Q{quarter_of(day)}"
    if unit == "H2":
        return f"{day.year:04d}-H{1 if day.month <= 6 else 2}"
    if unit == "Y":
        return f"{day.year:04d}"
    if unit == "DE":
        return f"{day.year // 10:03d}"
    if unit == "CE":
        return f"{day.year // 100:02d}"
    raise ValueError(f"unknown unit {unit!r}")
