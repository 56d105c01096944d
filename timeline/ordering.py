"""Chronological order for entries of mixed granularity, and the campaign window.

The rule (deterministic, total):

1. earlier interval start first — a month ("2016-02", starts Feb 1) therefore comes before the days
   inside it that start later ("2016-02-23"), and a year ("2015") before everything in that year:
   the coarse entry reads as the opening of its period;
2. same start: earlier interval end first, i.e. the finer entry first ("2016-02-01" before
   "2016-02", which before "2016-Q1", which before "2016");
3. same interval: finer granularity first (by ``GRANULARITY_RANK``), then the TIMEX3 value;
4. then the first source's article id and raw start offset, then the first source's text, so ties
   never depend on input order.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .records import Event, TimelineEntry

CAMPAIGN_START = date(2014, 1, 1)
CAMPAIGN_END = date(2016, 12, 31)
CAMPAIGN = (CAMPAIGN_START, CAMPAIGN_END)

GRANULARITY_RANK = {
    "time": 0, "part-of-day": 1, "day": 2, "weekend": 3, "week": 4, "month": 5, "quarter": 6,
    "season": 7, "half": 8, "year": 9, "decade": 10, "century": 11, "duration": 12,
}
UNKNOWN_RANK = 99


def granularity_rank(granularity: str | None) -> int:
    """Smaller is finer; unknown granularities sort after all known ones."""
    return GRANULARITY_RANK.get(granularity or "", UNKNOWN_RANK)


def _interval(item) -> tuple[date | None, date | None]:
    if isinstance(item, TimelineEntry):
        return item.start, item.end
    if isinstance(item, Event):
        return item.first_day, item.last_day
    if isinstance(item, tuple) and len(item) == 2:
        return item
    raise TypeError(f"in_campaign needs a TimelineEntry, an Event or a (start, end) pair, not {type(item).__name__}")


def in_campaign(item) -> bool:
    """True when the entry's/event's/interval's dates overlap the campaign window (2014-01-01..2016-12-31).

    Overlap rather than containment, so "since the summer of 2014" or "2013-2014" count, while the 2011
    uprising or the 2001 invasion are background. An undated item is not in the campaign.
    """
    start, end = _interval(item)
    if start is None and end is None:
        return False
    start = start or end
    end = end or start
    return start <= CAMPAIGN_END and end >= CAMPAIGN_START


def order_key(entry: TimelineEntry) -> tuple:
    first = entry.sources[0] if entry.sources else None
    return (
        entry.start,
        entry.end,
        granularity_rank(entry.granularity),
        entry.date,
        first.article if first else "",
        first.start if first else -1,
        first.sentence if first else "",
    )


def order_entries(entries: Iterable[TimelineEntry]) -> list[TimelineEntry]:
    """Entries sorted chronologically by the documented rule (see the module docstring)."""
    return sorted(entries, key=order_key)
