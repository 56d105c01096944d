"""The campaign timeline: one lane per city (busiest first, the catch-all lane last), each entry a
marker or a true-width span on the linear date axis, background years in the left panel.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Sequence

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ..datetext import reader_date
from ..records import TimelineEntry
from .labels import catch_all_lane, entry_label, entry_lane, literal, NO_PLACE_LANE, _short
from .layout import (
    early_panel_width,
    campaign_window, _default_window, _format_date_axis, _label_rows, _ordinal, _pack_rows, _YearSlots,
)


_LANE_COLOURS = (
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#7f7f7f",
)


#: At most this many named lanes; quieter places join the catch-all lane (the key still names them).
MAX_LANES = 9


def _lanes(entries: Sequence[TimelineEntry]) -> tuple[list[str], dict[int, str]]:
    """Lane order (busiest places first, ties by name, the catch-all lane last) and each entry's lane."""
    own = {id(e): entry_lane(e) for e in entries}
    counts = Counter(own.values())
    named = sorted((lane for lane in counts if lane != NO_PLACE_LANE), key=lambda lane: (-counts[lane], lane))
    kept = set(named[:MAX_LANES])
    lane_of = {k: (lane if lane in kept else NO_PLACE_LANE) for k, lane in own.items()}
    order = [lane for lane in named if lane in kept]
    if NO_PLACE_LANE in lane_of.values():
        order.append(NO_PLACE_LANE)
    return order, lane_of


def _counted(entries: Sequence[TimelineEntry]) -> str:
    """"25 entries and 8 background items": the timeline's entries apart from the context shown beside them."""
    background = sum(1 for e in entries if not e.in_campaign)
    told = f"{len(entries) - background} {'entry' if len(entries) - background == 1 else 'entries'}"
    if background:
        told += f" and {background} background {'item' if background == 1 else 'items'}"
    return told


def campaign_timeline(entries: Sequence[TimelineEntry], *, title: str | None = None,
                      window: tuple[date, date] | None = None) -> Figure:
    """One lane per place over the campaign; numbered markers (days) and true-width bars (longer stretches).

    Entries are numbered in chronological order and listed with their date, place and label in a key
    under the plot, so labels never collide however dense the lanes get. Within a lane, items that
    would touch are moved to extra sub-rows. Entries before the campaign window are drawn in a compact
    left panel (one slot per year). ``window`` defaults to the in-campaign entries' first..last day
    widened to quarters.
    """
    entries = sorted(entries, key=lambda e: (e.start, e.end))
    if not entries:
        fig = Figure(figsize=(10, 2))
        fig.text(0.5, 0.5, literal("no timeline entries"), ha="center", va="center")
        return fig
    window = window or campaign_window(entries) or _default_window([e.end for e in entries])
    first, last = window[0], max(window[1], max(e.end for e in entries))
    early = [e for e in entries if e.start < first]
    main = [e for e in entries if e.start >= first]
    slots = _YearSlots(tuple(sorted({e.start.year for e in early})))
    lanes, lane_of = _lanes(entries)
    colours = {lane: _LANE_COLOURS[i % len(_LANE_COLOURS)] for i, lane in enumerate(lanes)}
    colours[NO_PLACE_LANE] = "#4d4d4d"
    numbers = {id(e): i for i, e in enumerate(entries, start=1)}

    # geometry in inches
    fig_w = 15.0
    left_margin = min(max(1.2, 0.3 + 0.085 * max(len(lane) for lane in lanes + [catch_all_lane(entries)])), 2.6)
    right_margin = 0.3
    early_w = early_panel_width(len(slots.years), 0.55, fig_w - left_margin - right_margin) if early else 0.0
    gap_w = 0.18 if early else 0.0
    main_w = fig_w - left_margin - right_margin - early_w - gap_w
    main_days = (last - first).days + 1
    days_per_inch = main_days / main_w
    slots_per_inch = (len(slots.years) / early_w) if early else 1.0

    def label_extent(n: int) -> float:  # inches taken by a marker and its number
        return 0.12 + 0.075 * len(str(n))

    # sub-row packing per lane, in each panel's own units
    placement: dict[int, tuple[str, int]] = {}
    rows_needed: dict[str, int] = defaultdict(lambda: 1)
    for panel, items, to_x, width, per_inch in (
        ("main", main, lambda d: float(d.toordinal()), lambda e: (e.end - e.start).days + 1, days_per_inch),
        ("early", early, slots.x, lambda e: slots.width(e.start, e.end), slots_per_inch),
    ):
        by_lane: dict[str, list[TimelineEntry]] = defaultdict(list)
        for e in items:
            by_lane[lane_of[id(e)]].append(e)
        for lane, lane_entries in by_lane.items():
            spans = []
            for e in lane_entries:
                x0 = to_x(e.start)
                bar = width(e) if e.start != e.end else 0.0
                spans.append((x0, x0 + max(bar, label_extent(numbers[id(e)]) * per_inch)))
            for e, row in zip(lane_entries, _pack_rows(spans, gap=0.06 * per_inch)):
                placement[id(e)] = (lane, row)
                rows_needed[lane] = max(rows_needed[lane], row + 1)

    row_h = 0.26  # inches per sub-row
    lane_pad = 0.5  # in sub-row units, between lanes
    lane_base: dict[str, float] = {}
    y = 0.0
    for lane in lanes:  # top lane first: y grows downwards (axis inverted)
        lane_base[lane] = y + lane_pad / 2
        y += rows_needed[lane] + lane_pad
    total_rows = y
    plot_h = total_rows * row_h
    legend_h = 0.45
    key_cols = 2
    key_rows = -(-len(entries) // key_cols)
    key_line = 0.19
    key_h = key_rows * key_line + 0.35
    top_margin, axis_h = 0.9, 0.55
    fig_h = top_margin + plot_h + axis_h + legend_h + key_h + 0.2

    fig = Figure(figsize=(fig_w, fig_h))

    def axes_at(x_in, y_top_in, w_in, h_in):
        return fig.add_axes((x_in / fig_w, 1 - (y_top_in + h_in) / fig_h, w_in / fig_w, h_in / fig_h))

    ax = axes_at(left_margin + early_w + gap_w, top_margin, main_w, plot_h)
    ax_early = axes_at(left_margin, top_margin, early_w, plot_h) if early else None

    def y_of(e) -> float:
        lane, row = placement[id(e)]
        return lane_base[lane] + row + 0.5

    def draw(axis, e, x0, bar_w):
        colour = colours[lane_of[id(e)]]
        y_mid = y_of(e)
        n = numbers[id(e)]
        hollow = not e.in_campaign
        if e.start != e.end:
            axis.add_patch(Rectangle((x0, y_mid - 0.3), bar_w, 0.6, facecolor=colour if not hollow else "white",
                                     alpha=0.35 if not hollow else 1.0, edgecolor=colour, linewidth=1.0,
                                     hatch="///" if hollow else None, zorder=2))
            axis.plot([x0], [y_mid], marker="|", markersize=9, color=colour, zorder=3)
        else:
            axis.plot([x0], [y_mid], marker="o", markersize=6.5, zorder=3, color=colour,
                      markerfacecolor="white" if hollow else colour, markeredgewidth=1.3)
        axis.annotate(str(n), (x0, y_mid), xytext=(5, 0), textcoords="offset points", ha="left",
                      va="center", fontsize=7.5, fontweight="bold", color="#222222", zorder=4)

    for e in main:
        x0 = _ordinal(e.start)
        draw(ax, e, x0, _ordinal(e.end + timedelta(days=1)) - x0)
    if ax_early is not None:
        for e in early:
            draw(ax_early, e, slots.x(e.start), slots.width(e.start, e.end))

    for axis in (ax, ax_early):
        if axis is None:
            continue
        axis.set_ylim(total_rows, 0)
        for i, lane in enumerate(lanes):
            top = lane_base[lane] - lane_pad / 2
            if i % 2 == 0:
                axis.axhspan(top, top + rows_needed[lane] + lane_pad, color="#f2f2f2", zorder=0, linewidth=0)
            axis.axhline(top, color="#dddddd", linewidth=0.6, zorder=0)
        axis.tick_params(axis="y", length=0)
    lane_ticks = [lane_base[lane] + rows_needed[lane] / 2 for lane in lanes]
    other_name = catch_all_lane(entries)
    lane_names = [other_name if lane == NO_PLACE_LANE else _short(lane, 24) for lane in lanes]
    _format_date_axis(ax, first, last)
    _label_rows(ax, ax_early, slots, lane_ticks, lane_names, fontsize=9)
    ax.grid(axis="x", which="major", color="#e0e0e0", linewidth=0.5, zorder=0)

    fig.text(left_margin / fig_w, 1 - 0.3 / fig_h,
             literal(title or f"Timeline {first.year}–{last.year}: one lane per place"), fontsize=13,
             fontweight="bold", va="center")
    fig.text(left_margin / fig_w, 1 - 0.55 / fig_h,
             literal(f"{_counted(entries)} from {len({s.article for e in entries for s in e.sources})} articles; "
                     "numbers refer to the key below"), fontsize=9, color="#444444", va="center")

    handles = [
        Line2D([], [], marker="o", linestyle="none", color="#555555", label="day"),
        Patch(facecolor="#555555", alpha=0.35, edgecolor="#555555", label="week / month / season / year (true width)"),
        Line2D([], [], marker="o", linestyle="none", color="#555555", markerfacecolor="white",
               label="background (outside the window of interest)"),
    ]
    legend_top = top_margin + plot_h + axis_h
    fig.legend(handles=handles, loc="upper left", ncol=3, fontsize=8.5, frameon=False,
               bbox_to_anchor=(left_margin / fig_w, 1 - legend_top / fig_h))

    # the key: number, date, place, label; two columns
    key_top = legend_top + legend_h
    col_w = (fig_w - 0.6) / key_cols
    chars = int(col_w / (8 * 0.55 / 72)) - 4
    for i, e in enumerate(entries):
        col, row = divmod(i, key_rows)
        x_in = 0.3 + col * col_w
        y_in = key_top + 0.2 + row * key_line
        date_text = reader_date(e.date, e.granularity)
        head = f"{numbers[id(e)]:>3}  {date_text:<16} "
        fig.text(x_in / fig_w, 1 - y_in / fig_h, literal(head), fontsize=8, family="monospace", va="center",
                 color="#222222")
        place = ", ".join(e.places[:2]) or "no place"
        body = _short(f"{place}: {entry_label(e)}", chars - len(head))
        fig.text((x_in + len(head) * 8 * 0.6 / 72) / fig_w, 1 - y_in / fig_h, literal(body), fontsize=8, va="center",
                 color=colours[lane_of[id(e)]] if e.in_campaign else "#8a8a8a",
                 style="normal" if e.in_campaign else "italic")
    return fig
