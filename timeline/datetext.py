"""Dates a reader reads: a TIMEX3 value turned into the words a timeline shows.

The data files keep the TIMEX3 value (``2016-W07-WE``, ``2016-08-10TMO``, ``2014-SU``): it is exact and
machine-comparable. A reader, though, should see "weekend of 20–21 Feb 2016" or "Wed 10 Aug 2016,
morning", so every place that shows a date to a person (summary prompts and paragraphs, chart keys,
summary pages) goes through ``reader_date``.

Two styles: ``"short"`` for tables and chart keys ("Tue 23 Feb 2016", "week of 15 Feb 2016") and
``"long"`` for running prose and prompts ("23 February 2016", "the week of 15 February 2016"; no
weekday, which a small summary model tends to copy into the wrong place). When the expression's
original text is given and it is relative ("last week", "on Tuesday", "last June") the short style
adds it in quotes, so a reader sees both the date and the words it came from:
"week of 15 Feb 2016 ('last week')".

Week values are ISO weeks (Monday first), seasons meteorological, as in ``timeline.timex3``.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Literal

from . import timex3

Style = Literal["short", "long"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
PARTS_OF_DAY = {"MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening", "NI": "night",
                "DT": "daytime"}
ORDINALS = ("first", "second", "third", "fourth")
REFS = {"PRESENT_REF": "now", "PAST_REF": "in the past", "FUTURE_REF": "in the future"}
# TIMEX3 mod -> (words before, words after)
MODS = {"APPROX": ("about ", ""), "START": ("early ", ""), "MID": ("mid-", ""), "END": ("late ", ""),
        "BEFORE": ("before ", ""), "AFTER": ("after ", ""), "ON_OR_BEFORE": ("by ", ""),
        "ON_OR_AFTER": ("from ", " on"), "LESS_THAN": ("less than ", ""), "MORE_THAN": ("more than ", ""),
        "EQUAL_OR_LESS": ("at most ", ""), "EQUAL_OR_MORE": ("at least ", "")}
_DURATION_UNITS = {"Y": "year", "M": "month", "W": "week", "D": "day", "Q": "quarter", "H": "hour",
                   "TM": "minute", "S": "second", "L": "millennium", "C": "century", "E": "decade"}
_VALUE = re.compile(r"^(?P<year>\d{4})(?:-(?P<rest>[^T]+))?(?:T(?P<time>.+))?$")


def _month(n: int, style: Style) -> str:
    name = MONTHS[n - 1]
    return name[:3] if style == "short" and len(name) > 4 else name  # "June", "July" stay whole


def day_text(day: date, style: Style = "short", *, weekday: bool | None = None) -> str:
    """"Tue 23 Feb 2016" (short) or "23 February 2016" (long)."""
    weekday = style == "short" if weekday is None else weekday
    text = f"{day.day} {_month(day.month, style)} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def span_text(first: date, last: date, style: Style = "short") -> str:
    """"20–21 Feb 2016", "30 Jan – 1 Feb 2016", "29 Dec 2015 – 2 Jan 2016"; one day: "23 Feb 2016"."""
    if first == last:
        return day_text(first, style, weekday=False)
    if first.year != last.year:
        return f"{day_text(first, style, weekday=False)} – {day_text(last, style, weekday=False)}"
    if first.month != last.month:
        return f"{first.day} {_month(first.month, style)} – {day_text(last, style, weekday=False)}"
    return f"{first.day}–{last.day} {_month(last.month, style)} {last.year}"


def _duration_text(value: str) -> str:
    """"P10D" -> "10 days", "PT3H" -> "3 hours", "P2Y6M" -> "2 years 6 months", "PXY" -> "years"."""
    body = value[1:]
    date_part, _, time_part = body.partition("T")
    parts = [(amount, unit) for amount, unit in re.findall(r"(\d+(?:\.\d+)?|X)([YMWDQLCE])", date_part)]
    parts += [(amount, "TM" if unit == "M" else unit) for amount, unit in re.findall(r"(\d+(?:\.\d+)?|X)([HMS])", time_part)]
    if not parts:
        return "some time"
    words = []
    for amount, unit in parts:
        name = _DURATION_UNITS[unit]
        plural = {"century": "centuries", "millennium": "millennia"}.get(name, name + "s")
        if amount == "X":
            words.append(plural)
        else:
            words.append(f"{amount} {name if amount == '1' else plural}")
    return " ".join(words)


def _value_text(value: str, granularity: str | None, style: Style) -> str:
    if value in REFS:
        return REFS[value]
    if timex3.is_duration(value):
        return _duration_text(value)
    granularity = granularity or timex3.granularity(value)
    span = timex3.interval(value)
    m = _VALUE.match(value)
    if span is None or m is None:
        if re.fullmatch(r"\d{3}", value):
            return f"the {value}0s"
        if re.fullmatch(r"\d{2}", value):
            return f"the {value}00s"
        return value  # underspecified ("XXXX-08"): nothing better than the value itself
    first, last = span
    rest, time = m.group("rest") or "", m.group("time")
    the = "the " if style == "long" else ""
    if time:
        base = day_text(first, style)
        return f"{base}, {PARTS_OF_DAY.get(time, time)}"
    if granularity == "day" or (rest and first == last):
        return day_text(first, style)
    if rest in SEASONS:
        if rest == "WI":
            return f"winter {first.year}–{str(last.year)[-2:]}"
        return f"{SEASONS[rest]} {first.year}"
    if granularity == "weekend" or rest.endswith("WE"):
        return f"{the}weekend of {span_text(first, last, style)}"
    if granularity == "week" or rest.startswith("W"):
        return f"{the}week of {day_text(first, style, weekday=False)}"
    if granularity == "month" or re.fullmatch(r"\d\d", rest):
        return f"{MONTHS[first.month - 1]} {first.year}"
    if rest.startswith("Q"):
        return f"{the}{ORDINALS[int(rest[1]) - 1]} quarter of {first.year}"
    if rest.startswith("H"):
        return f"{the}{ORDINALS[int(rest[1]) - 1]} half of {first.year}"
    if first.year != last.year:  # "199X"-style decades written as a year with X
        return f"the {first.year}s"
    return str(first.year)


def _is_relative(text: str) -> bool:
    """An expression a reader cannot date without the article: no year and no digits ("last week")."""
    return not re.search(r"\d", text)


def reader_date(value: str, granularity: str | None = None, text: str | None = None, *,
                style: Style = "short", mod: str | None = None) -> str:
    """The words a reader reads for TIMEX3 ``value``.

    ``granularity`` is the unit the value is stated in (``timex3.granularity(value)`` when omitted);
    ``text`` the expression as the article wrote it: in the short style a relative one is added in
    quotes ("week of 15 Feb 2016 ('last week')"). ``mod`` is a TIMEX3 mod ("APPROX" -> "about ...").

    >>> reader_date("2016-02-23")
    'Tue 23 Feb 2016'
    >>> reader_date("2016-W07", "week", "last week")
    "week of 15 Feb 2016 ('last week')"
    >>> reader_date("2014-SU", style="long")
    'summer 2014'
    >>> reader_date("2016-08-10TMO")
    'Wed 10 Aug 2016, morning'
    """
    words = _value_text(value, granularity, style)
    if mod in MODS:
        before, after = MODS[mod]
        words = f"{before}{words}{after}"
    if style == "short" and text:
        shown = " ".join(text.split())
        if shown and _is_relative(shown) and shown.lower() not in words.lower():
            words = f"{words} ('{shown}')"
    return words


def month_label(label: str, style: Style = "long") -> str:
    """A period label as a reader reads it: "2016-08" -> "August 2016"; a TIMEX3 value via ``reader_date``;
    any other label unchanged."""
    if timex3.is_valid_value(label) and not timex3.is_duration(label) and label not in REFS:
        return reader_date(label, style=style)
    return label
