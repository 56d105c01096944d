"""Chronological order for entries of mixed granularity, and the corpus's window of interest.

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


def in_campaign(item, window: tuple[date, date] | None = None) -> bool:
    """True when the item's dates overlap the window of interest (``corpus_window``).

    Overlap rather than containment, so "since the summer of 2014" or "2013-2014" count, while what
    ends before the window is context. An undated item is never in; without a window every dated item is.
    """
    start, end = _interval(item)
    if start is None and end is None:
        return False
    start = start or end
    end = end or start
    if window is None:
        return True
    return start <= window[1] and end >= window[0]


#: The share of a corpus's finely dated events (day, week or month) the window must hold.
WINDOW_SHARE = 0.9
FINE = frozenset({"time", "part-of-day", "day", "weekend", "week", "month"})


def corpus_window(events: Iterable[Event], published: Iterable[date | None], *,
                  since: date | None = None, until: date | None = None) -> tuple[date, date] | None:
    """The window of interest of a corpus, from its own data (or the user's ``since``/``until``).

    Rule: take the events dated finely (day, week or month) by an expression or by the report, that
    do not lie after the latest publication date. The window starts at the 1 January of the year of
    the earliest such date that leaves ``WINDOW_SHARE`` (90%) of them on or after it — where the
    corpus's dated mentions concentrate, so a lone flashback does not stretch it — and never later
    than the year of the earliest publication. It ends on the 31 December of the year of the latest
    publication (or of the latest such event when no publication date is known). ``since`` /
    ``until`` replace either end. None when nothing is dated and nothing is given.
    """
    pubs = sorted(d for d in published if d is not None)
    last_pub = pubs[-1] if pubs else None
    days = sorted(
        e.first_day for e in events
        if e.first_day is not None and e.kind in {"event", "background"} and e.granularity in FINE
        and (last_pub is None or e.first_day <= last_pub)
    )
    start = end = None
    if days:
        cut = days[int((1 - WINDOW_SHARE) * len(days))] if len(days) > 1 else days[0]
        start = date(cut.year, 1, 1)
        end = date((last_pub or days[-1]).year, 12, 31)
    if pubs:
        first_pub = date(pubs[0].year, 1, 1)
        start = min(start, first_pub) if start else first_pub
        end = end or date(pubs[-1].year, 12, 31)
    if since is not None:
        start = since
    if until is not None:
        end = until
    if start is None or end is None:
        if start is None and end is None:
            return None
        start = start or date(end.year, 1, 1)
        end = end or date(start.year, 12, 31)
    if start > end:
        raise ValueError(f"the window of interest is empty: since {start} is after until {end}")
    return start, end


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
