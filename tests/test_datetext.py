"""Dates a reader reads: every TIMEX3 value kind the tagger produces, in both styles."""
from __future__ import annotations

from datetime import date

import pytest

from timeline import timex3
from timeline.datetext import month_label, reader_date, span_text


@pytest.mark.parametrize("value, short, long", [
    ("2016-02-23", "Tue 23 Feb 2016", "23 February 2016"),
    ("2016-W07", "week of 15 Feb 2016", "the week of 15 February 2016"),
    ("2016-W07-WE", "weekend of 20–21 Feb 2016", "the weekend of 20–21 February 2016"),
    ("2015-W53-WE", "weekend of 2–3 Jan 2016", "the weekend of 2–3 January 2016"),
    ("2016-08-10TMO", "Wed 10 Aug 2016, morning", "10 August 2016, morning"),
    ("2016-08-10T14:30", "Wed 10 Aug 2016, 14:30", "10 August 2016, 14:30"),
    ("2014-SU", "summer 2014", "summer 2014"),
    ("2014-WI", "winter 2014–15", "winter 2014–15"),
    ("2016-06", "June 2016", "June 2016"),
    ("1998-Q3", "third quarter of 1998", "the third quarter of 1998"),
    ("2016-H1", "first half of 2016", "the first half of 2016"),
    ("2011", "2011", "2011"),
    ("199", "the 1990s", "the 1990s"),
    ("P10D", "10 days", "10 days"),
    ("PRESENT_REF", "now", "now"),
])
def test_values_read_as_words(value, short, long):
    assert reader_date(value) == short
    assert reader_date(value, style="long") == long
    assert reader_date(value, timex3.granularity(value)) == short


def test_relative_wording_is_quoted_beside_the_date():
    assert reader_date("2016-W07", "week", "last week") == "week of 15 Feb 2016 ('last week')"
    assert reader_date("2016-02-23", "day", "on Tuesday") == "Tue 23 Feb 2016 ('on Tuesday')"
    # an absolute expression adds nothing; prose never carries the quote
    assert reader_date("2016-02-23", "day", "23 February 2016") == "Tue 23 Feb 2016"
    assert reader_date("2016-W07", "week", "last week", style="long") == "the week of 15 February 2016"


def test_mods_and_labels():
    assert reader_date("2016-06", mod="START") == "early June 2016"
    assert reader_date("2016-06", mod="APPROX") == "about June 2016"
    assert month_label("2016-08") == "August 2016"
    assert month_label("2014–2016 campaign") == "2014–2016 campaign"
    assert reader_date("XXXX-08") == "XXXX-08"  # underspecified: nothing truer to show


def test_span_text():
    assert span_text(date(2016, 2, 15), date(2016, 2, 21)) == "15–21 Feb 2016"
    assert span_text(date(2016, 1, 30), date(2016, 2, 1)) == "30 Jan – 1 Feb 2016"
    assert span_text(date(2015, 12, 29), date(2016, 1, 2)) == "29 Dec 2015 – 2 Jan 2016"
    assert span_text(date(2016, 2, 23), date(2016, 2, 23)) == "23 Feb 2016"
