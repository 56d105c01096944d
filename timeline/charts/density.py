"""Mention density: which months the coverage talks about, each resolved DATE mention spread over
the months it covers (or counted at its start), by granularity.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Mapping, Sequence

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..records import ReferenceDate, Timex
from .labels import literal
from .layout import (
    early_panel_width,
    _dated, dated_mass, _default_window, _format_date_axis, _mark_break, _ordinal, _outlier_note, _YearSlots,
)


_DENSITY_CLASSES = (
    ("day", {"day", "time"}, "#444444"),
    ("week", {"week", "weekend"}, "#2ca02c"),
    ("month", {"month"}, "#1f77b4"),
    ("season / quarter", {"season", "quarter", "half"}, "#ff7f0e"),
    ("year or longer", {"year", "decade", "century"}, "#9467bd"),
)


def _density_class(t: Timex) -> str:
    for name, grans, _colour in _DENSITY_CLASSES:
        if (t.granularity or "") in grans:
            return name
    return "day" if t.first_day == t.last_day else "month"


def _month_key(day: date) -> tuple[int, int]:
    return day.year, day.month


def _next_month(y: int, m: int) -> tuple[int, int]:
    return (y + 1, 1) if m == 12 else (y, m + 1)


def month_weights(t: Timex, *, spread: bool = True) -> dict[tuple[int, int], float]:
    """How one mention counts per month: 1 in total, shared by days covered (``spread``) or all on its start."""
    if not spread or t.first_day == t.last_day:
        return {_month_key(t.first_day): 1.0}
    total = (t.last_day - t.first_day).days + 1
    weights: dict[tuple[int, int], float] = {}
    y, m = _month_key(t.first_day)
    while (y, m) <= _month_key(t.last_day):
        month_first = date(y, m, 1)
        ny, nm = _next_month(y, m)
        month_last = date(ny, nm, 1) - timedelta(days=1)
        overlap = (min(month_last, t.last_day) - max(month_first, t.first_day)).days + 1
        weights[(y, m)] = overlap / total
        y, m = ny, nm
    return weights


def mention_density(timexes_by_article: Mapping[str, Sequence[Timex]], *, spread: bool = True,
                    window: tuple[date, date] | None = None,
                    refdates: Mapping[str, ReferenceDate] | None = None) -> Figure:
    """Which months the coverage talks about: a monthly histogram of resolved DATE mentions.

    Each mention counts 1. With ``spread`` (the default) that 1 is shared by the months it covers in
    proportion to the days it covers there ("2014" adds 1/12 to each month of 2014; "last week"
    across a month end is split); otherwise it all goes to the month it starts in. Bars are stacked
    by the mention's granularity. Mentions before the window are totalled per year in a compact left
    panel with its own y axis (the window's monthly axis is on the right). With ``refdates``, each
    article's reference date is marked with a triangle under the bars,
    so what the coverage talks about can be compared with when it was written.
    """
    mentions = [t for ts in timexes_by_article.values() for t in _dated(ts)]
    if not mentions:
        fig = Figure(figsize=(10, 2))
        fig.text(0.5, 0.5, literal("no resolved DATE mentions"), ha="center", va="center")
        return fig
    lo, hi = dated_mass([t.last_day for t in mentions])
    outside = [t.last_day for t in mentions if not lo <= t.last_day <= hi]
    mentions = [t for t in mentions if lo <= t.last_day <= hi]
    window = window or _default_window([t.last_day for t in mentions])
    first, last = window[0], max(window[1], hi)
    monthly: dict[str, dict[tuple[int, int], float]] = {name: defaultdict(float) for name, _g, _c in _DENSITY_CLASSES}
    yearly: dict[str, dict[int, float]] = {name: defaultdict(float) for name, _g, _c in _DENSITY_CLASSES}
    for t in mentions:
        cls = _density_class(t)
        for (y, m), w in month_weights(t, spread=spread).items():
            if (y, m) > (last.year, last.month) or y < lo.year:
                continue  # the part of a long stretch ("the 21st century") beyond the dated mass
            if date(y, m, 1) < date(first.year, first.month, 1):
                yearly[cls][y] += w
            else:
                monthly[cls][(y, m)] += w
    early_years = tuple(sorted({y for per in yearly.values() for y in per}))

    fig_w, fig_h = 15.0, 6.3
    left, right, top, plot_h = 0.9, (0.8 if early_years else 0.3), 0.8, 4.0
    early_w = early_panel_width(len(early_years), 0.5, fig_w - left - right)
    gap_w = 0.18 if early_years else 0.0
    fig = Figure(figsize=(fig_w, fig_h))

    def axes_at(x_in, y_top_in, w_in, h_in):
        return fig.add_axes((x_in / fig_w, 1 - (y_top_in + h_in) / fig_h, w_in / fig_w, h_in / fig_h))

    ax = axes_at(left + early_w + gap_w, top, fig_w - left - right - early_w - gap_w, plot_h)
    ax_early = axes_at(left, top, early_w, plot_h) if early_years else None

    months = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append((y, m))
        y, m = _next_month(y, m)
    bottoms = [0.0] * len(months)
    lefts = [_ordinal(date(y, m, 1)) for y, m in months]
    widths = [_ordinal(date(*_next_month(y, m), 1)) - _ordinal(date(y, m, 1)) for y, m in months]
    for name, _grans, colour in _DENSITY_CLASSES:
        heights = [monthly[name].get(k, 0.0) for k in months]
        ax.bar(lefts, heights, width=[w * 0.9 for w in widths], bottom=bottoms, align="edge", color=colour,
               label=name, edgecolor="white", linewidth=0.3)
        bottoms = [b + h for b, h in zip(bottoms, heights)]
    peak = max(bottoms) if bottoms else 0.0
    _format_date_axis(ax, first, last)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.5, zorder=0)
    ax.set_axisbelow(True)
    ax.yaxis.set_major_locator(MaxNLocator(integer=False, nbins=6))
    counting = "each mention spread over the months it covers" if spread else "each mention counted at its start"
    ax.set_ylabel("mentions per month", fontsize=9)

    if ax_early is not None:
        slots = _YearSlots(early_years)
        ybottoms = [0.0] * len(early_years)
        for name, _grans, colour in _DENSITY_CLASSES:
            heights = [yearly[name].get(yr, 0.0) for yr in early_years]
            ax_early.bar([i + 0.2 for i in range(len(early_years))], heights, width=0.6, bottom=ybottoms,
                         align="edge", color=colour, edgecolor="white", linewidth=0.3)
            ybottoms = [b + h for b, h in zip(ybottoms, heights)]
        slots.format(ax_early)
        # Two scales, two axes: the panel counts per year, the window per month, so each has its own
        # y axis and label (one shared axis read a year's total against a month's).
        ax.set_ylim(0, peak * 1.1 or 1.0)
        ax_early.set_ylim(0, max(ybottoms) * 1.1 or 1.0)
        ax_early.set_ylabel("mentions per year", fontsize=9)
        ax.yaxis.tick_right()
        ax.yaxis.set_label_position("right")
        ax.tick_params(axis="y", labelsize=8)
        ax_early.tick_params(axis="y", labelsize=8)
        ax_early.set_title(slots.title("before, per year"), fontsize=8, color="#555555")
        ax_early.yaxis.set_major_locator(MaxNLocator(nbins=5))
        ax_early.grid(axis="y", color="#e0e0e0", linewidth=0.5, zorder=0)
        ax_early.set_axisbelow(True)
        _mark_break(ax_early, ax)
    else:
        ax.set_ylim(0, peak * 1.1 or 1.0)
    handles = [Patch(facecolor=colour, label=name) for name, _g, colour in _DENSITY_CLASSES]
    written = sorted({r.best for r in (refdates or {}).values() if r.best is not None and r.best >= first})
    if written:
        ax.plot([_ordinal(d) for d in written], [0.0] * len(written), linestyle="none", marker="^",
                markersize=9, color="#d62728", markeredgecolor="white", clip_on=False, zorder=5)
        handles.append(Line2D([], [], linestyle="none", marker="^", markersize=8, color="#d62728",
                              label="article reference date"))
    fig.legend(handles=handles, loc="upper left", fontsize=8.5, frameon=False, ncol=len(handles) + 1,
               title="granularity of the mention:", title_fontsize=8.5, alignment="left",
               bbox_to_anchor=(left / fig_w, 1 - (top + plot_h + 0.55) / fig_h))
    fig.text(left / fig_w, 1 - 0.3 / fig_h, literal("Which months the coverage talks about"), fontsize=13,
             fontweight="bold", va="center")
    fig.text(left / fig_w, 1 - 0.55 / fig_h,
             literal(f"{len(mentions)} resolved DATE mentions in {len(timexes_by_article)} articles; {counting}"),
             fontsize=9, color="#444444", va="center")
    _outlier_note(fig, 1 - right / fig_w, 1 - 0.55 / fig_h, outside, lo, hi)
    return fig
