"""Chronological order with mixed granularity, and the window of interest derived from the corpus."""
from __future__ import annotations

import random
from datetime import date

from timeline import timex3
from timeline.ordering import corpus_window, in_campaign, order_entries
from timeline.records import Event, SourceRef, TimelineEntry


def entry(value: str, article: str = "a", start: int = 0, text: str = "x") -> TimelineEntry:
    first, last = timex3.interval(value)
    return TimelineEntry(
        date=value, start=first, end=last, granularity=timex3.granularity(value), places=(),
        sources=(SourceRef(article, text, start, start + 1, None, "test"),),
        in_campaign=in_campaign((first, last)),
    )


def dates(entries) -> list[str]:
    return [e.date for e in entries]


def test_month_opens_its_period_and_comes_before_its_later_days():
    ordered = order_entries([entry("2016-02-23"), entry("2016-03"), entry("2016-02"), entry("2016-W07")])
    # 2016-02 starts Feb 1, week 7 starts Feb 15, the day is Feb 23, March starts Mar 1.
    assert dates(ordered) == ["2016-02", "2016-W07", "2016-02-23", "2016-03"]


def test_same_start_puts_the_finer_entry_first():
    ordered = order_entries([entry("2016"), entry("2016-Q1"), entry("2016-01"), entry("2016-01-01")])
    assert dates(ordered) == ["2016-01-01", "2016-01", "2016-Q1", "2016"]


def test_year_before_the_seasons_and_days_inside_it():
    ordered = order_entries([entry("2014-10-15"), entry("2014-SU"), entry("2014"), entry("2012-09"),
                             entry("2001")])
    assert dates(ordered) == ["2001", "2012-09", "2014", "2014-SU", "2014-10-15"]


def test_ties_are_broken_by_article_then_offset_not_input_order():
    items = [entry("2016-08-10", "004", 50), entry("2016-08-10", "001", 900), entry("2016-08-10", "001", 10)]
    expected = [("001", 10), ("001", 900), ("004", 50)]
    for seed in range(5):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        assert [(e.sources[0].article, e.sources[0].start) for e in order_entries(shuffled)] == expected


WINDOW = (date(2014, 1, 1), date(2016, 12, 31))


def test_window_overlap():
    assert in_campaign(entry("2014-SU"), WINDOW) and in_campaign(entry("2016-12-31"), WINDOW)
    assert not in_campaign(entry("2011"), WINDOW) and not in_campaign(entry("2001"), WINDOW)
    assert not in_campaign(entry("2012-09"), WINDOW) and not in_campaign(entry("2017-01-01"), WINDOW)
    assert in_campaign((date(2013, 6, 1), date(2014, 2, 1)), WINDOW)  # overlapping the start counts
    assert not in_campaign((date(2013, 6, 1), date(2013, 12, 31)), WINDOW)
    assert in_campaign(entry("2001"))  # without a window every dated item is in


def _event(value: str, kind: str = "event") -> Event:
    first, last = timex3.interval(value)
    return Event("a", 0, "x", 0, 1, value, timex3.granularity(value), first, last, None, "t", kind=kind)


def test_corpus_window_follows_where_dated_mentions_concentrate():
    # Twenty finely dated events in 2008-2010, one 1985 flashback: the flashback is context.
    events = [_event(f"{2008 + i % 3}-0{1 + i % 9}-1{i % 9}") for i in range(20)] + [_event("1985-05-01")]
    window = corpus_window(events, [date(2009, 3, 1), date(2010, 10, 6)])
    assert window == (date(2008, 1, 1), date(2010, 12, 31))
    # Coarse dates (years) do not pull the window; the publication years bound it.
    assert corpus_window([_event("1976")], [date(2011, 10, 6)]) == (date(2011, 1, 1), date(2011, 12, 31))


def test_corpus_window_since_until_and_nothing():
    events = [_event("2015-06-01"), _event("2016-02-23")]
    assert corpus_window(events, [date(2016, 2, 23)], since=date(2015, 6, 1)) == (date(2015, 6, 1), date(2016, 12, 31))
    assert corpus_window(events, [], until=date(2016, 3, 1)) == (date(2015, 1, 1), date(2016, 3, 1))
    assert corpus_window([], []) is None
    try:
        corpus_window(events, [], since=date(2017, 1, 1), until=date(2016, 1, 1))
    except ValueError as error:
        assert "empty" in str(error)
    else:
        raise AssertionError("since after until must be refused")


def test_in_campaign_accepts_events_and_rejects_other_things():
    event = Event("a", 0, "x", 0, 1, "2011-10", "month", date(2011, 10, 1), date(2011, 10, 31), None, "t")
    assert not in_campaign(event, WINDOW)
    undated = Event("a", 0, "x", 0, 1, None, None, None, None, None, "undated", kind="undated")
    assert not in_campaign(undated)
    try:
        in_campaign("2015")
    except TypeError as error:
        assert "TimelineEntry" in str(error)
    else:
        raise AssertionError("a bare string must be rejected")
