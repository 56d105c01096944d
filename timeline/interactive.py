"""The interactive timeline: a plotly figure for notebooks and a self-contained HTML page.

``timeline_figure`` draws every entry in one lane per place (the lanes of the campaign chart): a
marker at the day it starts and, for a week, month, season, year or range, a bar of its true width.
Hovering a marker shows the dates, the summary, the places and the sources by article headline; the
range slider and zoom reach the background entries outside the default view. ``timeline_html``
wraps the figure in a page that also lists every entry as a plain table (readable without
JavaScript, searchable with the browser's find) and inlines plotly's JavaScript, so the file opens
offline and can be mailed as it is. Same entries, same bytes: the plot's element id is fixed.
"""
from __future__ import annotations

import html
import textwrap
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable, Sequence

from .frames import article_titles, source_titles
from .ordering import order_entries
from .records import Article, TimelineEntry

#: Lane colours (colour-blind-safe Okabe–Ito order, then greys); the catch-all lane is dark grey.
LANE_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#8c564b", "#7f7f7f",
                "#332288")
CATCH_ALL_COLOUR = "#4d4d4d"
#: Fixed id of the plot's element, so the page's bytes depend on the entries only.
PLOT_ID = "timeline-plot"
#: Width (characters) at which the hover text wraps.
HOVER_WRAP = 80
#: Vertical step between the sub-rows of one lane (lanes are 1 apart).
SUB_ROW_STEP = 0.22


def _day(d: date) -> str:
    return d.isoformat()


def _lane_order(entries: Sequence[TimelineEntry]) -> tuple[list[str], list[str]]:
    """Lanes (busiest first, ties by name, catch-all last) and each entry's lane, entry order kept."""
    from .charts import NO_PLACE_LANE, entry_lane

    own = [entry_lane(e) for e in entries]
    counts = Counter(own)
    lanes = sorted((lane for lane in counts if lane != NO_PLACE_LANE), key=lambda lane: (-counts[lane], lane))
    if NO_PLACE_LANE in counts:
        lanes.append(NO_PLACE_LANE)
    return lanes, own


def _sub_rows(spans: Sequence[tuple[date, date]], gap_days: int) -> list[int]:
    """Greedy packing: items of one lane closer than ``gap_days`` go to separate sub-rows."""
    row_ends: list[date] = []
    rows = []
    for first, last in spans:
        for r, end in enumerate(row_ends):
            if (first - end).days >= gap_days:
                row_ends[r] = last
                rows.append(r)
                break
        else:
            row_ends.append(last)
            rows.append(len(row_ends) - 1)
    return rows


def _lines(text: str, width: int = HOVER_WRAP) -> str:
    return "<br>".join(html.escape(line) for line in textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False, break_long_words=False)) or ""


def hover_text(entry: TimelineEntry, titles) -> str:
    """The hover label of one entry: dates, summary, places, sources (plotly's small HTML subset)."""
    from .charts import date_range_text, entry_label

    parts = [f"<b>{html.escape(date_range_text(entry.start, entry.end))}</b>  "
             f"({html.escape(entry.granularity)}{'' if entry.in_campaign else ', background'})",
             _lines(entry_label(entry))]
    if entry.places:
        parts.append("<i>Places:</i> " + html.escape(", ".join(entry.places)))
    sources = source_titles(entry, titles)
    if sources:
        parts.append("<i>Sources:</i> " + "<br>   ".join(html.escape(s) for s in sources))
    return "<br>".join(p for p in parts if p)


def _view(entries: Sequence[TimelineEntry]) -> tuple[date, date]:
    """Default x range: the campaign entries (all entries when none), a little padded."""
    from .charts import campaign_window

    window = campaign_window(entries)
    if window is None:
        window = (min(e.start for e in entries), max(e.end for e in entries))
    first, last = window
    pad = timedelta(days=max(7, (last - first).days // 40))
    return first - pad, last + pad


def timeline_figure(entries: Sequence[TimelineEntry], articles: Iterable[Article] = (), *,
                    title: str | None = None):
    """A plotly ``Figure`` of the entries: one lane per place, one marker per entry, true-width bars.

    Each lane is one legend item (click to hide it); a lane is as tall as the sub-rows that keep its
    close entries apart. Entries outside the campaign window are drawn hollow and sit outside the
    initial view; the range slider under the plot reaches them. Every marker's hover label holds the
    entry's dates, summary (or first source sentence), places and sources by headline.
    """
    import plotly.graph_objects as go

    from .charts import NO_PLACE_LANE, catch_all_lane

    entries = order_entries(entries)
    titles = article_titles(articles)
    fig = go.Figure()
    if not entries:
        fig.update_layout(title=html.escape(title or "Timeline"),
                          annotations=[dict(text="no timeline entries", showarrow=False, x=0.5, y=0.5,
                                            xref="paper", yref="paper")])
        return fig
    lanes, lane_of = _lane_order(entries)
    names = {lane: (catch_all_lane(entries) if lane == NO_PLACE_LANE else lane) for lane in lanes}
    first, last = _view(entries)
    gap = max(3, (last - first).days // 60)
    # each lane as tall as its sub-rows need, so crowded lanes never run into the next one
    y_of: list[float] = [0.0] * len(entries)
    base: dict[str, float] = {}
    top = 0.0
    for lane in lanes:
        members = [i for i, own in enumerate(lane_of) if own == lane]
        rows = _sub_rows([(entries[i].start, entries[i].end) for i in members], gap)
        base[lane] = top
        for i, row in zip(members, rows):
            y_of[i] = top - row * SUB_ROW_STEP
        top -= max(1.0, (max(rows) + 1) * SUB_ROW_STEP + 0.45)
    for index, lane in enumerate(lanes):
        colour = CATCH_ALL_COLOUR if lane == NO_PLACE_LANE else LANE_COLOURS[index % len(LANE_COLOURS)]
        members = [i for i, own in enumerate(lane_of) if own == lane]
        bar_x: list = []
        bar_y: list = []
        for i in members:
            e = entries[i]
            if e.end > e.start:
                bar_x += [_day(e.start), _day(e.end + timedelta(days=1)), None]
                bar_y += [y_of[i], y_of[i], None]
        if bar_x:
            fig.add_trace(go.Scatter(
                x=bar_x, y=bar_y, mode="lines", line=dict(color=colour, width=7), opacity=0.35,
                hoverinfo="skip", legendgroup=lane, showlegend=False, name=html.escape(names[lane]),
            ))
        # campaign entries filled, background hollow; one legend item per lane (the filled one if any)
        groups = [[i for i in members if entries[i].in_campaign], [i for i in members if not entries[i].in_campaign]]
        for filled, group in zip((True, False), groups):
            if not group:
                continue
            fig.add_trace(go.Scatter(
                x=[_day(entries[i].start) for i in group],
                y=[y_of[i] for i in group],
                mode="markers",
                name=html.escape(names[lane]),
                legendgroup=lane,
                showlegend=filled or not groups[0],
                marker=dict(size=11, color=colour if filled else "white", symbol="circle",
                            line=dict(color=colour, width=2)),
                text=[hover_text(entries[i], titles) for i in group],
                customdata=[i + 1 for i in group],
                hovertemplate="%{text}<extra>#%{customdata}</extra>",
            ))
    years = sorted({y for e in entries if e.in_campaign for y in (e.start.year, e.end.year)})
    heading = title or (f"Timeline {years[0]}–{years[-1]}" if years else "Timeline")
    fig.update_layout(
        title=dict(text=html.escape(heading)),
        template="plotly_white",
        height=max(360, int(150 + 70 * -top)),
        hovermode="closest",
        hoverlabel=dict(align="left", bgcolor="white", font=dict(size=12)),
        legend=dict(title=dict(text="place"), orientation="h", y=-0.35),
        margin=dict(l=10, r=10, t=60, b=10),
        xaxis=dict(type="date", range=[_day(first), _day(last)],
                   rangeslider=dict(visible=True, thickness=0.12, bgcolor="#f7f7f7")),
        yaxis=dict(tickvals=[base[lane] for lane in lanes], ticktext=[html.escape(names[lane]) for lane in lanes],
                   range=[min(y_of) - 0.5, 0.5], zeroline=False, showgrid=True, fixedrange=True),
    )
    return fig


def _table(entries: Sequence[TimelineEntry], titles) -> str:
    from .charts import date_range_text, entry_label

    rows = []
    for n, e in enumerate(entries, start=1):
        sources = "<br>".join(html.escape(s) for s in source_titles(e, titles))
        rows.append(
            f'<tr class="entry{"" if e.in_campaign else " background"}" data-entry="{n}">'
            f"<td>{n}</td><td>{html.escape(date_range_text(e.start, e.end))}</td>"
            f"<td>{html.escape(', '.join(e.places))}</td>"
            f'<td class="summary">{html.escape(entry_label(e))}</td><td>{sources}</td></tr>'
        )
    return ("<table><thead><tr><th>#</th><th>date</th><th>places</th><th>summary</th><th>sources</th></tr>"
            "</thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>")


_STYLE = """body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{border-bottom:1px solid #ddd;padding:4px 8px;
text-align:left;vertical-align:top}tr.background td{color:#666}th{background:#f4f4f4}"""


def timeline_html(entries: Sequence[TimelineEntry], articles: Iterable[Article] = (), *,
                  title: str | None = None) -> str:
    """A complete HTML page: the interactive figure (plotly's JavaScript inlined) and the entry table."""
    articles = list(articles)
    entries = order_entries(entries)
    fig = timeline_figure(entries, articles, title=title)
    plot = fig.to_html(full_html=False, include_plotlyjs=True, div_id=PLOT_ID,
                       config={"displaylogo": False, "responsive": True})
    heading = fig.layout.title.text or "Timeline"
    count = f"{len(entries)} entries from {len(articles)} articles" if articles else f"{len(entries)} entries"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{heading}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{heading}</h1>\n<p>{count}. Hover a marker for its summary and sources; drag the slider "
        "under the plot to reach entries outside the view. Hollow markers are background.</p>\n"
        f"{plot}\n<h2>Entries</h2>\n{_table(entries, article_titles(articles))}\n</body>\n</html>\n"
    )


def write_timeline_html(path: str | Path, entries: Sequence[TimelineEntry], articles: Iterable[Article] = (),
                        *, title: str | None = None) -> Path:
    """Write ``timeline_html`` to ``path`` (UTF-8, ``\\n`` line endings); returns the path."""
    from .exports import _write_text

    return _write_text(path, timeline_html(entries, articles, title=title))
