"""The interactive timeline (timeline.html): the figure's content, and the page in a real headless Chromium."""
from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path

import pytest

from timeline import interactive
from timeline.frames import article_titles
from timeline.ordering import order_entries
from timeline.pipeline import build_timeline, write_outputs

import _browser

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
TRICKY = 'Costs rose from $13.4 billion to $16.6 billion <b>not bold</b> & "quoted" </td>'


@pytest.fixture(scope="module")
def result():
    return build_timeline(SEEDS, model=None)


@pytest.fixture(scope="module")
def entries(result):
    """The seeds entries, one of them with a summary full of characters HTML and plotly treat specially."""
    entries = list(result.entries)
    entries[3] = dataclasses.replace(entries[3], summary=TRICKY)
    return entries


def _markers(fig):
    return [t for t in fig.data if t.mode == "markers"]


def test_figure_has_one_marker_per_entry_with_readable_hover(result, entries):
    fig = interactive.timeline_figure(entries, result.corpus.articles)
    markers = _markers(fig)
    assert sum(len(t.x) for t in markers) == len(entries)
    hovers = [h for t in markers for h in t.text]
    titles = article_titles(result.corpus.articles)
    flat = [re.sub(r"<br>\s*", " ", h) for h in hovers]
    from timeline.charts import date_range_text, entry_label

    for entry in entries:  # each entry's full label (escaped) is in a hover of its own dates, as a reader reads them
        day = html.escape(date_range_text(entry.start, entry.end))
        assert any(html.escape(entry_label(entry)) in h and day in h for h in flat), entry.date
    for t in markers:
        for h in t.text:
            assert "Sources:" in h
            assert not any(article_id in h for article_id in titles)  # headlines, never internal ids
    assert any(titles["000_ebd112a8c2509409"] in h for h in hovers)
    tricky = next(h for h in hovers if "16.6 billion" in h)
    assert "&lt;b&gt;not bold&lt;/b&gt;" in tricky and "<b>not bold" not in tricky
    # background entries are hollow, campaign entries filled
    hollow = sum(len(t.x) for t in markers if t.marker.color == "white")
    assert hollow == sum(not e.in_campaign for e in entries)  # background entries: the context list now


def test_page_is_self_contained_and_deterministic(result, entries, tmp_path):
    a = interactive.write_timeline_html(tmp_path / "a.html", entries, result.corpus.articles)
    b = interactive.write_timeline_html(tmp_path / "b.html", list(reversed(entries)), result.corpus.articles)
    assert a.read_bytes() == b.read_bytes()
    page = a.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", page) and not re.search(r"<link[^>]+href=", page)
    assert "Plotly.newPlot" in page and len(page) > 1_000_000  # plotly.js is inlined
    assert page.count('<tr class="entry') == len(entries)


def test_write_outputs_writes_the_page(result, tmp_path):
    written = write_outputs(result, tmp_path / "out", None)
    page = tmp_path / "out" / "timeline.html"
    assert page in written and page.read_text(encoding="utf-8").count('<tr class="entry') == len(result.entries)


def test_page_loads_offline_in_headless_chromium_and_shows_every_entry(result, entries, tmp_path):
    _browser.require_chromium()
    page = interactive.write_timeline_html(tmp_path / "timeline.html", entries, result.corpus.articles)
    report = _browser.open_page(
        page.resolve().as_uri(),
        ready="document.querySelectorAll('#timeline-plot .scatterlayer .point').length > 0",
        result="""(() => {
            const gd = document.getElementById('timeline-plot');
            const markers = gd.data.filter(t => t.mode === 'markers');
            const first = gd.data.indexOf(markers[0]);
            Plotly.Fx.hover(gd, [{curveNumber: first, pointNumber: 0}]);
            return {
                points: Array.from(document.querySelectorAll('#timeline-plot .scatterlayer .point'))
                             .filter(p => !p.closest('.rangeslider-container')).length,
                overview_points: Array.from(document.querySelectorAll('#timeline-plot .rangeslider-container .point')).length,
                data_points: markers.reduce((n, t) => n + t.x.length, 0),
                lanes: Array.from(document.querySelectorAll('#timeline-plot .ytick text')).map(t => t.textContent),
                legend: document.querySelectorAll('#timeline-plot .legend .traces').length,
                summaries: Array.from(document.querySelectorAll('td.summary')).map(td => td.textContent),
                hover: Array.from(document.querySelectorAll('#timeline-plot .hoverlayer .hovertext text'))
                             .map(t => t.textContent).join(' '),
            };
        })()""",
    )
    assert report.problems == [], report.problems
    assert all(u.startswith(("file:", "data:", "blob:", "about:")) for u in report.requests), report.requests
    seen = report.value
    assert seen["points"] == seen["data_points"] == seen["overview_points"] == len(entries)
    assert len(seen["summaries"]) == len(entries)
    from timeline.charts import entry_label

    expected = [entry_label(e) for e in order_entries(entries)]
    assert seen["summaries"] == expected  # every entry, in order, text shown literally
    assert TRICKY in seen["summaries"]
    assert seen["legend"] == len(seen["lanes"]) >= 2
    assert "Sources:" in seen["hover"] and json.dumps(seen["hover"])  # hovering shows a label


def test_no_entries_still_give_a_page():
    page = interactive.timeline_html([], [])
    assert "0 entries" in page and '<tr class="entry' not in page and "Plotly.newPlot" in page
