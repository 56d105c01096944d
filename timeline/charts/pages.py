"""Printable summary pages (A4 portrait): the entries in date order with their places, dates and
provenance, with the month and campaign paragraphs when the run wrote them.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Sequence

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ..datetext import reader_date
from ..records import TimelineEntry
from .labels import article_label, date_range_text, entry_label, _fit, literal


#: A4 portrait, in inches, for the printable summary pages.
A4_PORTRAIT = (8.27, 11.69)
# spelled out here, not with strftime, so the figures do not depend on the process locale
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")


PLACE_COLUMN_IN = 1.1  # room for a place name in the summary pages (the column is 1.25 in wide)


def _place_lines(entry: TimelineEntry, limit: int = 3) -> list[str]:
    """Places one per line for the narrow place column, each fitted to it; ``+N more`` when many."""
    places = list(entry.places)
    if not places:
        return ["—"]
    lines = [_fit(p, PLACE_COLUMN_IN, 9) for p in places[:limit]]
    if len(places) > limit:
        lines[-1] = f"+{len(places) - limit + 1} more"
    return lines


def _provenance_line(entry: TimelineEntry) -> str:
    articles = sorted({article_label(s.article) for s in entry.sources})
    kind = "source sentence" if entry.extractive else ("generated" if entry.summary else "no summary")
    parts = [kind]
    if entry.guarded:
        parts.append("a generation was rejected by the faithfulness guard")
    if articles:
        parts.append(("article " if len(articles) == 1 else "articles ") + ", ".join(articles))
    if not entry.in_campaign:
        parts.append("background")
    return " · ".join(parts)


def _period_note(period) -> str:
    kind = "copied from the entries" if period.extractive else "generated"
    if period.guarded:
        kind += "; a generation was rejected by the faithfulness guard"
    return kind


def _date_lines(entry: TimelineEntry) -> list[str]:
    """The date a reader reads ("Tue 23 Feb 2016", "week of 15 Feb 2016"), then, in small print, the
    article's own words when they were relative ("'last week'"), else the day range of a stretch."""
    lines = [reader_date(entry.date, entry.granularity)]
    said = next((ref.timex for ref in entry.sources if ref.timex), None)
    quoted = reader_date(entry.date, entry.granularity, said)
    if quoted != lines[0]:
        lines.append(quoted[len(lines[0]):].strip(" ()"))
    elif entry.start != entry.end:
        lines.append(date_range_text(entry.start, entry.end))
    return lines


def _month_title(label: str) -> str:
    """``2016-08`` -> ``August 2016``; other labels unchanged."""
    try:
        year, month = label.split("-")
        return f"{_MONTH_NAMES[int(month) - 1]} {int(year)}"
    except (ValueError, IndexError):
        return label


@dataclass(frozen=True)
class _Block:
    """One piece of a summary page: a heading, a period paragraph or an entry row."""

    kind: str  # "overview", "year", "period", "entry"
    lines: tuple[str, ...]  # wrapped text
    height: float  # in text lines
    entry: TimelineEntry | None = None
    title: str = ""
    note: str = ""


def _summary_units(entries, periods, overview, wrap: int, wide_wrap: int) -> list[list[_Block]]:
    """Blocks grouped into units that must not be split over two pages (a heading stays with its entry)."""
    units: list[list[_Block]] = []
    if overview is not None and getattr(overview, "text", ""):
        lines = tuple(textwrap.wrap(overview.text, width=wide_wrap))
        units.append([_Block("overview", lines, len(lines) + 2.9, title=f"Overview: {overview.label}",
                             note=_period_note(overview))])
    by_month = {p.label: p for p in periods or () if getattr(p, "text", "")}
    year = month = None
    for e in sorted(entries, key=lambda e: (e.start, e.end)):
        unit: list[_Block] = []
        if str(e.start.year) != year:
            year = str(e.start.year)
            unit.append(_Block("year", (), 2.0, title=year))
        label = e.start.strftime("%Y-%m")
        if label != month:
            month = label
            period = by_month.get(label)
            if period is not None:
                lines = tuple(textwrap.wrap(period.text, width=wide_wrap))
                unit.append(_Block("period", lines, len(lines) + 2.55, title=f"{_month_title(label)} in brief",
                                   note=_period_note(period)))
        lines = tuple(textwrap.wrap(entry_label(e), width=wrap) or [""])
        date_lines = len(_date_lines(e))
        height = max(len(lines) + 1, len(_place_lines(e)), date_lines) + 0.65
        unit.append(_Block("entry", lines, height, entry=e))
        units.append(unit)
    return units


def summary_timeline(entries: Sequence[TimelineEntry], *, periods: Sequence = (), overview=None,
                     title: str = "Timeline summary", page_size: tuple[float, float] = A4_PORTRAIT) -> list[Figure]:
    """Printable pages (A4 portrait by default): date, place and wrapped one-sentence summary per entry.

    A grey line under each summary says whether it is a source sentence or generated, whether the
    faithfulness guard fired, and which articles it comes from. Year headings separate the years
    (repeated as "continued" at the top of a page). ``periods`` (``PeriodSummary`` records labelled
    ``YYYY-MM``) are printed as a boxed paragraph before the first entry of their month and
    ``overview`` at the top of page 1. Returns one figure per page.
    """
    width_in, height_in = page_size
    margin, top, bottom = 0.6, 0.9, 0.6
    line = 0.185  # inches per text line at 9 pt
    date_col, place_col = margin, margin + 1.75
    text_col = margin + 3.0
    char_in = 9 * 0.56 / 72
    wrap = int((width_in - text_col - margin) / char_in)
    wide_wrap = int((width_in - 2 * margin - 0.3) / char_in)
    units = _summary_units(entries, periods, overview, wrap, wide_wrap)

    capacity = (height_in - top - bottom) / line - 1.5  # in lines, under the column headings
    pages: list[list[_Block]] = [[]]
    used = 0.0
    current_year = None
    for unit in units:
        need = sum(b.height for b in unit)
        if used + need > capacity and pages[-1]:
            pages.append([])
            used = 0.0
            if unit[0].kind != "year" and current_year is not None:
                unit = [_Block("year", (), 2.0, title=f"{current_year} (continued)")] + unit
                need += 2.0
        pages[-1].extend(unit)
        used += need
        current_year = next((b.title for b in unit if b.kind == "year"), current_year)
        if current_year is not None:
            current_year = current_year.split()[0]

    figures = []
    for page_number, page in enumerate(pages, start=1):
        fig = Figure(figsize=page_size)

        def put(x_in, y_in, text, **kw):
            fig.text(x_in / width_in, 1 - y_in / height_in, literal(text), va="top", **kw)

        suffix = f" (page {page_number} of {len(pages)})" if len(pages) > 1 else ""
        put(margin, 0.45, title + suffix, fontsize=13, fontweight="bold")
        put(date_col, top - 0.05, "Date", fontsize=8.5, color="#555555", fontweight="bold")
        put(place_col, top - 0.05, "Place", fontsize=8.5, color="#555555", fontweight="bold")
        put(text_col, top - 0.05, "What happened", fontsize=8.5, color="#555555", fontweight="bold")
        y = top + 1.3 * line
        if not page:
            put(margin, y, "no timeline entries", fontsize=9)
        for block in page:
            if block.kind == "year":
                y += 0.5 * line
                put(margin, y, block.title, fontsize=11, fontweight="bold", color="#333333")
                fig.add_artist(Line2D([margin / width_in, 1 - margin / width_in],
                                      [1 - (y + line + 0.01) / height_in] * 2, color="#999999", linewidth=0.6))
                y += 1.5 * line
            elif block.kind in ("overview", "period"):
                box_h = (len(block.lines) + 2.05) * line
                fig.add_artist(Rectangle((margin / width_in, 1 - (y + box_h) / height_in),
                                         1 - 2 * margin / width_in, box_h / height_in, facecolor="#f3f6fa",
                                         edgecolor="#c5d3e3", linewidth=0.6))
                put(margin + 0.15, y + 0.25 * line, block.title, fontsize=9, fontweight="bold", color="#1f3b5a")
                for i, text in enumerate(block.lines):
                    put(margin + 0.15, y + (1.25 + i) * line, text, fontsize=9, color="#111111")
                put(margin + 0.15, y + (1.25 + len(block.lines)) * line, block.note, fontsize=6.5,
                    color="#777777", style="italic")
                y += block.height * line
            else:
                e = block.entry
                colour = "#777777" if not e.in_campaign else "#111111"
                shown, *note = _date_lines(e)
                put(date_col, y, shown, fontsize=8.5, color=colour)
                for text in note:
                    put(date_col, y + line, text, fontsize=6.5, color="#666666")
                for i, place in enumerate(_place_lines(e)):
                    put(place_col, y + i * line, place, fontsize=9, color=colour)
                for i, text in enumerate(block.lines):
                    put(text_col, y + i * line, text, fontsize=9, color=colour)
                put(text_col, y + len(block.lines) * line, _provenance_line(e), fontsize=6.5, color="#777777",
                    style="italic")
                y += block.height * line
        figures.append(fig)
    return figures
