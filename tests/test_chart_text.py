"""Chart text is drawn literally: dollar amounts and other mathtext characters are not typeset as math."""
from __future__ import annotations

import dataclasses
import io
import re
from html import unescape

import matplotlib
import pytest
from matplotlib import cbook
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from timeline import charts
from timeline.summaries import PeriodSummary

import _records_fixtures as fx

MONEY = "Spending rose from $13.4 billion in 2015 to $16.6 billion, a_b^2 {x} \\alpha."
PLACE = "Fort $Dollar"


@pytest.fixture(scope="module")
def figures():
    entries = fx.entries()
    entries[-1] = dataclasses.replace(entries[-1], summary=MONEY, places=(PLACE,) + entries[-1].places)
    articles = fx.articles()
    articles[0] = dataclasses.replace(articles[0], headline="Budget: $16.6 billion vs $13.4 billion")
    period = PeriodSummary("2016-08", MONEY, False, False, ("2016-08-10",))
    overview = PeriodSummary("2014–2016 campaign", MONEY, False, False, ())
    return {
        "campaign": [charts.campaign_timeline(entries, title="Costs in $ and $ again")],
        "summary": charts.summary_timeline(entries, periods=[period], overview=overview),
        "articles": [charts.article_dates(articles, fx.refdates(), fx.timexes_by_article())],
        "density": [charts.mention_density(fx.timexes_by_article(), refdates=fx.refdates())],
    }


def _svg_text(fig: Figure) -> str:
    """The text of every <text> element of the figure's SVG (fonts kept as text, not paths)."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg")
    return " ".join(unescape(m) for m in re.findall(r"<text[^>]*>(.*?)</text>", buffer.getvalue(), flags=re.S))


def _drawn_texts(fig: Figure) -> list[Text]:
    FigureCanvasAgg(fig).draw()  # tick labels exist only once drawn
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def test_no_text_a_chart_draws_is_mathtext(figures):
    for name, figs in figures.items():
        for fig in figs:
            for t in _drawn_texts(fig):
                assert not (t.get_parse_math() and cbook.is_math_text(t.get_text())), (name, t.get_text())


def test_dollar_amounts_render_literally(figures):
    campaign = _svg_text(figures["campaign"][0])
    assert "Costs in $ and $ again" in campaign
    assert "Fort $Dollar" in campaign
    summary = " ".join(_svg_text(fig) for fig in figures["summary"])
    assert "$13.4 billion" in summary and "$16.6 billion" in summary
    assert "a_b^2 {x} \\alpha." in summary  # mathtext's other special characters stay as typed
    assert "Fort $Dollar" in summary
    articles = _svg_text(figures["articles"][0])
    assert "Budget: $16.6 billion" in articles  # the row label (headline cut to fit)
    assert "\\$" not in campaign + summary + articles  # the escape itself is never shown


def test_the_check_can_fail_without_the_helper():
    """The same string drawn unescaped is typeset as math: the dollars vanish from the SVG."""
    fig = Figure(figsize=(6, 1))
    fig.text(0.05, 0.5, "from $13.4 billion to $16.6 billion")
    assert "$16.6" not in _svg_text(fig)
    fixed = Figure(figsize=(6, 1))
    fixed.text(0.05, 0.5, charts.literal("from $13.4 billion to $16.6 billion"))
    assert "from $13.4 billion to $16.6 billion" in _svg_text(fixed)


@pytest.mark.parametrize("text", ["$5", "$5 and $6", "\\$ already escaped $", "no dollars", "$$", "a$b$c"])
def test_literal_round_trips_through_matplotlib(text):
    fig = Figure(figsize=(6, 1))
    t = fig.text(0.05, 0.5, charts.literal(text))
    assert not cbook.is_math_text(t.get_text())
    assert text in _svg_text(fig).replace("\u00a0", " ")
