"""A far outlying date ("until the 99th century", a metadata date of 2999) never stretches a chart's axis."""
from __future__ import annotations

import dataclasses
from datetime import date

import matplotlib.dates as mdates
import _records_fixtures as fx

from timeline import charts
from timeline.records import ReferenceDate
from timeline.timexes import tag


def _far_mentions():
    timexes = dict(fx.timexes_by_article())
    text = "The group vowed to fight until the 99th century."
    far = [t for t in tag(text, "2016-02-23") if t.first_day is not None]
    assert far and far[0].first_day.year >= 9800, far
    first = sorted(timexes)[0]
    timexes[first] = tuple(timexes[first]) + tuple(far)
    return timexes


def _main_axis_years(fig):
    ax = max(fig.axes, key=lambda a: a.get_position().width)
    lo, hi = ax.get_xlim()
    return mdates.num2date(lo).year, mdates.num2date(hi).year


def _texts(fig):
    return " ".join(t.get_text() for t in fig.texts)


def test_far_future_mention_goes_to_a_note_not_the_axis(tmp_path):
    timexes = _far_mentions()
    fig = charts.mention_density(timexes, refdates=fx.refdates())
    lo, hi = _main_axis_years(fig)
    assert hi <= 2020, (lo, hi)
    assert "Far outlying dates not drawn: 1 after" in _texts(fig)
    png, svg = charts.save_figure(fig, tmp_path / "mention_density")
    assert svg.stat().st_size < 1_000_000

    fig = charts.article_dates(fx.articles(), fx.refdates(), timexes)
    assert _main_axis_years(fig)[1] <= 2020
    assert "9899" in _texts(fig)


def test_metadata_date_of_2999_goes_to_a_note_not_the_axis():
    refdates = dict(fx.refdates())
    first = sorted(refdates)[0]
    refdates[first] = dataclasses.replace(refdates[first], best=date(2999, 1, 1), earliest=date(2999, 1, 1),
                                          latest=date(2999, 1, 1))
    fig = charts.article_dates(fx.articles(), refdates, fx.timexes_by_article())
    assert _main_axis_years(fig)[1] <= 2020
    assert "2999-01-01" in _texts(fig)
    fig = charts.mention_density(fx.timexes_by_article(), refdates=refdates)
    assert _main_axis_years(fig)[1] <= 2020


def test_dated_mass_keeps_a_genuinely_long_corpus_whole():
    days = [date(1900 + 5 * k, 6, 1) for k in range(21)]  # 1900 .. 2000 every five years
    assert charts.dated_mass(days) == (date(1900, 6, 1), date(2000, 6, 1))
    assert charts.dated_mass(days + [date(9899, 12, 31), date(1, 1, 1)]) == (date(1900, 6, 1), date(2000, 6, 1))
