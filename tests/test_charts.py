"""Charts: lanes, labels, true-width spans, no overlapping labels, pages, densities, byte determinism."""
from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import matplotlib.dates as mdates
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation

from timeline import charts

import _records_fixtures as fx


@pytest.fixture(autouse=True)
def seed_place_table():
    """Lanes follow the kinds and parents of the corpus's place table; these fixtures are the seeds'."""
    from timeline import places

    with places.using(places.load_table(fx.SEEDS)):
        yield


@pytest.fixture(scope="module")
def entries():
    return fx.entries()


def _texts(fig):
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_visible())]


def _ticklabels(ax, axis="y"):
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in labels]


def _main_axes(fig):
    """The widest axes: the linear date panel."""
    return max(fig.axes, key=lambda ax: ax.get_position().width)


# --------------------------------------------------------------------------- campaign timeline

def test_campaign_lanes_panels_and_key(entries):
    fig = charts.campaign_timeline(entries)
    main = _main_axes(fig)
    early = min(fig.axes, key=lambda ax: ax.get_position().x0)
    assert early is not main
    lanes = _ticklabels(early)
    assert set(lanes) >= {"Benghazi", "Sirte", "Derna", "Sabratha", "Tripoli", "Libya / other"}
    assert lanes[-1] == "Libya / other" and lanes[0] == "Benghazi"  # busiest first, catch-all last
    FigureCanvasAgg(fig).draw()
    assert [t for t in _ticklabels(early, "x") if t] == ["2001", "2011", "2012"]
    lo, hi = (mdates.num2date(x).date() for x in main.get_xlim())
    assert lo == date(2014, 1, 1) and hi == date(2016, 10, 1)
    texts = _texts(fig)
    # every entry is numbered on the plot and listed in the key with its date and place
    numbers = {a.get_text() for a in fig.findobj(Annotation)}
    assert numbers == {str(i) for i in range(1, len(entries) + 1)}
    assert any(t.startswith(" 10  Tue 23 Feb 2016") for t in texts)  # the date a reader reads
    assert any(t.startswith("Benghazi: Special forces retook") for t in texts)
    assert any(t.startswith("Sirte: US-backed forces captured") for t in texts)


def test_campaign_spans_have_true_width(entries):
    fig = charts.campaign_timeline(entries)
    main = _main_axes(fig)
    widths = sorted(round(p.get_width()) for p in main.patches if isinstance(p, Rectangle) and p.get_height() < 1)
    # 2014 (365 days), summer 2014 (92), W07 (7), March 2016 (31), June 2016 (30), 1-11 Aug 2016 (11)
    assert widths == [7, 11, 30, 31, 92, 365]
    june = next(p for p in main.patches if round(p.get_width()) == 30)
    assert mdates.num2date(june.get_x()).date() == date(2016, 6, 1)


def test_campaign_labels_do_not_overlap_when_crowded(entries):
    # ten more Sirte entries in one August week: they must be stacked, not drawn on top of each other
    base = next(e for e in entries if e.date == "2016-08-10")
    crowded = entries + [dataclasses.replace(base, start=base.start + timedelta(days=i % 4),
                                             end=base.start + timedelta(days=i % 4), summary=f"Extra {i}")
                         for i in range(10)]
    fig = charts.campaign_timeline(crowded)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    boxes = [a.get_window_extent(renderer) for a in fig.findobj(Annotation)]
    assert len(boxes) == len(crowded)
    overlaps = [(i, j) for i in range(len(boxes)) for j in range(i) if boxes[i].overlaps(boxes[j])]
    assert overlaps == []
    # the key texts stay inside the figure
    width, height = fig.bbox.width, fig.bbox.height
    for text in fig.texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= width and box.y0 >= 0 and box.y1 <= height, text.get_text()


def test_campaign_without_background_has_one_panel(entries):
    fig = charts.campaign_timeline([e for e in entries if e.in_campaign])
    assert len(fig.axes) == 1
    assert "Sirte" in _ticklabels(fig.axes[0])


def test_empty_inputs_give_a_figure():
    assert charts.campaign_timeline([]).texts
    assert charts.mention_density({}).texts
    assert charts.summary_timeline([])[0].texts


# --------------------------------------------------------------------------- summary pages

def test_summary_pages_are_a4_and_list_every_entry_once(entries):
    many = entries * 4
    pages = charts.summary_timeline(many)
    assert len(pages) > 1
    for fig in pages:
        assert tuple(round(x, 2) for x in fig.get_size_inches()) == charts.A4_PORTRAIT
    texts = [t for fig in pages for t in _texts(fig)]
    assert sum(t.startswith("Special forces retook") for t in texts) == 4
    assert sum(t == "summer 2014" for t in texts) == 4
    assert "(page 1 of" in " ".join(_texts(pages[0]))
    for fig in pages:  # nothing runs off the page
        renderer = FigureCanvasAgg(fig).get_renderer()
        for text in fig.texts:
            box = text.get_window_extent(renderer)
            assert box.y0 >= 0 and box.x1 <= fig.bbox.width + 1, text.get_text()


def test_long_place_names_stay_inside_their_column(entries):
    long_place = dataclasses.replace(entries[-1], places=("Ouagadougou Conference Centre", "Sirte", "Libya"))
    fig = charts.summary_timeline([long_place])[0]
    renderer = FigureCanvasAgg(fig).get_renderer()
    boxes = {t.get_text(): t.get_window_extent(renderer) for t in fig.texts}
    place_x, text_x = boxes["Place"].x0, boxes["What happened"].x0
    in_place_column = [(t, b) for t, b in boxes.items() if abs(b.x0 - place_x) < 1 and t != "Place"]
    assert any(t.startswith("Ouagadougou") and t.endswith("…") for t, _ in in_place_column)
    assert "Sirte" in dict(in_place_column)
    for text, box in in_place_column:
        assert box.x1 < text_x - 5, text


def test_summary_lines_are_wrapped_and_marked(entries):
    fig = charts.summary_timeline(entries)[0]
    texts = _texts(fig)
    assert max(len(t) for t in texts) < 80
    assert any("source sentence" in t for t in texts)
    assert any("faithfulness guard" in t for t in texts)
    every = [t for f in charts.summary_timeline(entries) for t in _texts(f)]
    # dates a reader reads, never a TIMEX3 value; a relative date shows the article's words under it
    assert "week of 15 Feb 2016" in every and "'last week'" in every
    assert "Tue 23 Feb 2016" in every and not any(t.startswith("2016-W") for t in every)


# --------------------------------------------------------------------------- article dates

def test_article_dates_rows_and_reference_markers():
    arts = fx.articles()
    fig = charts.article_dates(arts, fx.refdates(), fx.timexes_by_article())
    rows = _ticklabels(min(fig.axes, key=lambda ax: ax.get_position().x0))
    assert [r.split()[0] for r in rows] == ["000", "001", "002", "003", "004"]
    notes = [a.get_text() for a in fig.findobj(Annotation)]
    assert "2016-02-23 (metadata)" in notes
    assert "2016-04-20 (inferred, confidence 0.60)" in notes
    main = _main_axes(fig)
    dated = [t for ts in fx.timexes_by_article().values() for t in ts
             if t.type == "DATE" and t.first_day and t.first_day >= date(2014, 1, 1)]
    spans = [t for t in dated if t.first_day != t.last_day]
    assert len([p for p in main.patches if isinstance(p, Rectangle) and p.get_height() < 0.5]) == len(spans)


# --------------------------------------------------------------------------- mention density

def test_month_weights_spread_and_start():
    year = fx.timexes_by_article()[fx.A_SIRTE][4]
    assert year.value == "2014"
    spread = charts.month_weights(year)
    assert len(spread) == 12 and sum(spread.values()) == pytest.approx(1.0)
    assert spread[(2014, 2)] == pytest.approx(28 / 365)
    assert charts.month_weights(year, spread=False) == {(2014, 1): 1.0}
    week = fx.timexes_by_article()[fx.A_BENGHAZI][7]  # next week: 29 Feb - 6 Mar 2016
    assert charts.month_weights(week) == {(2016, 2): pytest.approx(1 / 7), (2016, 3): pytest.approx(6 / 7)}


def test_mention_density_bars_sum_to_mentions():
    timexes = fx.timexes_by_article()
    dated = [t for ts in timexes.values() for t in ts if t.type == "DATE" and t.first_day]
    for spread in (True, False):
        fig = charts.mention_density(timexes, spread=spread)
        total = sum(p.get_height() for ax in fig.axes for p in ax.patches if isinstance(p, Rectangle))
        assert total == pytest.approx(len(dated))
    early = min(fig.axes, key=lambda ax: ax.get_position().x0)
    FigureCanvasAgg(fig).draw()
    assert [t for t in _ticklabels(early, "x") if t] == ["2001", "2011", "2012"]


def test_mention_density_panels_have_their_own_scales():
    # the "before" panel counts per year and the window per month: one shared y axis let a year's
    # total read as a month's, so each panel has its own limits and label
    fig = charts.mention_density(fx.timexes_by_article())
    FigureCanvasAgg(fig).draw()
    main = _main_axes(fig)
    early = min(fig.axes, key=lambda ax: ax.get_position().x0)

    def stack_top(ax):
        tops: dict = {}
        for p in ax.patches:
            if isinstance(p, Rectangle):
                key = round(p.get_x(), 3)
                tops[key] = tops.get(key, 0.0) + p.get_height()
        return max(tops.values())

    assert main.get_ylim()[1] == pytest.approx(stack_top(main) * 1.1)
    assert early.get_ylim()[1] == pytest.approx(stack_top(early) * 1.1)
    assert early.get_ylabel() == "mentions per year" and main.get_ylabel() == "mentions per month"
    assert main.yaxis.get_label_position() == "right"


def test_skipped_years_in_the_before_panel_are_marked():
    from timeline.charts.layout import _YearSlots

    assert _YearSlots((2001, 2011, 2012)).gaps() == [1]
    assert "skipped" in _YearSlots((2001, 2011, 2012)).title()
    assert _YearSlots((2013, 2014)).gaps() == [] and _YearSlots((2013, 2014)).title() == "before"
    fig = charts.campaign_timeline(fx.entries())  # background in 2001, 2011 and 2012
    early = min(fig.axes, key=lambda ax: ax.get_position().x0)
    assert "skipped" in early.get_title()
    # one pair of break marks on the x axis between 2001 and 2011, none between 2011 and 2012
    marks = [line for line in early.get_lines()
             if isinstance(line.get_marker(), list) and line.get_transform() is not early.transAxes]
    xs = sorted(round(float(x), 2) for line in marks for x in line.get_xdata())
    assert xs == [0.96, 1.04]


# --------------------------------------------------------------------------- files

def test_write_figures_is_byte_deterministic(tmp_path, entries):
    args = (entries, fx.articles(), fx.refdates(), fx.timexes_by_article())
    first = charts.write_figures(tmp_path / "a", *args)
    second = charts.write_figures(tmp_path / "b", *args)
    names = sorted(p.name for p in first)
    for stem in charts.FIGURE_NAMES:
        assert f"{stem}.png" in names and f"{stem}.svg" in names
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    svg = (tmp_path / "a" / "campaign_timeline.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    assert (tmp_path / "a" / "campaign_timeline.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_lanes_follow_the_gazetteer(entries):
    lithi = dataclasses.replace(entries[-1], places=("Lithi",), summary="Lithi entry")
    abroad = dataclasses.replace(entries[-1], places=("Italy", "Sicily"), summary="Italy entry")
    assert charts.entry_lane(lithi) == "Benghazi"
    assert charts.entry_lane(abroad) == charts.NO_PLACE_LANE
    assert charts.entry_lane(dataclasses.replace(lithi, places=("Italy", "Derna"))) == "Derna"
    assert charts.entry_lane(dataclasses.replace(lithi, places=("Atlantis",))) == "Atlantis"  # unknown: kept


def test_lane_count_is_capped(entries):
    many = [dataclasses.replace(entries[-1], places=(f"Town {i:02d}",), summary=f"T{i}") for i in range(15)]
    fig = charts.campaign_timeline(many)
    lanes = _ticklabels(fig.axes[0])
    assert len(lanes) == charts.MAX_LANES + 1 and lanes[-1] == "other"  # no known country among the places
    # the key still names the place of an entry moved to the catch-all lane
    assert any(t.startswith("Town 14: T14") for t in _texts(fig))


def test_stale_summary_pages_are_removed(tmp_path, entries):
    (tmp_path / "summary_timeline_p9.png").write_bytes(b"old")
    (tmp_path / "notes.png").write_bytes(b"mine")
    charts.write_figures(tmp_path, entries[:2], [], {}, {})
    assert not (tmp_path / "summary_timeline_p9.png").exists()
    assert (tmp_path / "notes.png").read_bytes() == b"mine"


def test_summary_pages_carry_month_and_overview_paragraphs(entries):
    from timeline.summaries import PeriodSummary

    august = PeriodSummary("2016-08", "US aircraft struck Sirte and government forces took the IS headquarters.",
                           True, True, ("2016-08-10",))
    overview = PeriodSummary("2014–2016 campaign", "Libya's rival governments fought Islamist militias.",
                             False, False, ())
    pages = charts.summary_timeline(entries, periods=[august], overview=overview)
    first = _texts(pages[0])
    assert "Overview: 2014–2016 campaign" in first
    texts = [t for fig in pages for t in _texts(fig)]
    assert texts.count("August 2016 in brief") == 1
    # the paragraph comes right before the first August entry
    position = texts.index("August 2016 in brief")
    first_august = next(i for i, t in enumerate(texts) if t.endswith(" Aug 2016") and t[:3] in {"Mon", "Tue", "Wed", "Thu", "Fri"})
    assert position < first_august
    assert any("faithfulness guard" in t for t in texts[position:first_august])


def test_mention_density_marks_reference_dates():
    fig = charts.mention_density(fx.timexes_by_article(), refdates=fx.refdates())
    main = _main_axes(fig)
    (triangles,) = [line for line in main.get_lines() if line.get_marker() == "^"]
    days = sorted(mdates.num2date(x).date() for x in triangles.get_xdata())
    assert days == sorted(set(fx.PUBLISHED.values()))


def test_figure_png_matches_saved_file(tmp_path, entries):
    fig = charts.mention_density(fx.timexes_by_article())
    png, _svg = charts.save_figure(fig, tmp_path / "density")
    assert charts.figure_png(fig) == png.read_bytes()


def test_catch_all_lane_is_named_after_the_main_country(entries):
    assert charts.catch_all_lane(entries) == "Libya / other"  # from the gazetteer's parents, not hard-coded
    abroad = [dataclasses.replace(entries[-1], places=("Kandahar",)), dataclasses.replace(entries[-1], places=())]
    assert charts.catch_all_lane(abroad) == "Afghanistan / other"
    assert charts.catch_all_lane([]) == "other"


def test_a_late_window_and_fifty_earlier_years_leave_the_window_most_of_the_width():
    # a corpus that mentions fifty earlier years, charted for a window late in it (--since): the
    # "before" panel is capped, so the window keeps most of the width (it had none: add_axes failed)
    from timeline import tag

    arts = fx.articles()
    timexes = dict(fx.timexes_by_article())
    history = " ".join(f"In {year} it happened." for year in range(1950, 2000))
    timexes[arts[0].id] = tuple(timexes[arts[0].id]) + tuple(tag(history, dct="2016-02-23"))
    window = (date(2016, 8, 1), date(2016, 12, 31))
    for fig in (charts.article_dates(arts, fx.refdates(), timexes, window=window),
                charts.mention_density(timexes, window=window, refdates=fx.refdates())):
        FigureCanvasAgg(fig).draw()
        widths = sorted(ax.get_position().width for ax in fig.axes)
        assert widths[0] > 0
        assert _main_axes(fig).get_position().width >= 0.5
