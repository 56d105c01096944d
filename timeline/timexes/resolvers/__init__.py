"""Resolvers: each turns one rule's match into a TIMEX3 type and value.

A rule names its resolver in ``resources/timex_rules.toml`` (``resolve = "weekday"``) by a key of
``RESOLVERS``; loading the rules fails on a name that is not here. One module per family:
``absolute`` (dates, years, seasons, holidays named in the text), ``relative`` (counted from the
reference date), ``quarters`` (fiscal periods), ``narrative`` (counted from a date the story named),
``times`` (durations, clock times, sets); ``common`` holds what they share.
"""
from __future__ import annotations

import re
from typing import Callable

from ..context import _Context, _Resolved
from ..rules import _Rule
from .absolute import (
    resolve_absolute_date, resolve_century, resolve_decade, resolve_holiday, resolve_nth_week, resolve_season,
    resolve_week_of_date, resolve_year, resolve_yearless_date,
)
from .narrative import resolve_narrative_next, resolve_narrative_pod, resolve_narrative_unit
from .quarters import resolve_half_year, resolve_quarter, resolve_that_quarter, resolve_year_earlier
from .relative import (
    resolve_ago, resolve_deictic, resolve_fixed, resolve_relative_month, resolve_relative_unit,
    resolve_the_unit, resolve_weekday, resolve_year_end_point,
)
from .times import resolve_clock, resolve_duration, resolve_set


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
