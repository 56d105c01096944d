"""Article dates: one row per article, its reference date and the dates its text mentions.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Mapping, Sequence

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ..records import Article, ReferenceDate, Timex
from .labels import article_label, literal, _short
from .layout import (
    early_panel_width,
    _dated, dated_mass, _default_window, _format_date_axis, _label_rows, _ordinal, _outlier_note, _pack_rows,
    _YearSlots,
)


def article_dates(articles: Sequence[Article], refdates: Mapping[str, ReferenceDate],
                  timexes_by_article: Mapping[str, Sequence[Timex]], *,
                  window: tuple[date, date] | None = None) -> Figure:
    """Per article: its reference date (and how it was found) and the dates its text mentions.

    Each row is one article. A black diamond is a metadata date; a red hollow diamond with a
    whisker is an inferred date and its earliest..latest range. Grey dots are single-day mentions,
    blue bars mention stretches (week, month, season, year) at true width. Mentions before the
    window sit in the compact left panel, one slot per year.
    """
    articles = list(articles)
    fig_w = 15.0
    dated = {a.id: _dated(timexes_by_article.get(a.id, ())) for a in articles}
    days = [t.last_day for ts in dated.values() for t in ts]
    days += [r.best for r in refdates.values() if r.best]
    if not articles or not days:
        fig = Figure(figsize=(10, 2))
        fig.text(0.5, 0.5, literal("no dated articles"), ha="center", va="center")
        return fig
    mass_lo, mass_hi = dated_mass(days)
    outside = sorted(d for d in days if not mass_lo <= d <= mass_hi)
    dated = {k: [t for t in ts if mass_lo <= t.last_day and t.first_day <= mass_hi] for k, ts in dated.items()}
    window = window or _default_window([d for d in days if mass_lo <= d <= mass_hi])
    first, last = window[0], max(window[1], mass_hi)
    early_years = tuple(sorted({t.first_day.year for ts in dated.values() for t in ts if t.first_day < first}))
    slots = _YearSlots(early_years)

    row_h, sub = 0.75, 4  # inches per article; sub-rows for stacked mentions
    left, right = 2.6, 0.3
    early_w = early_panel_width(len(early_years), 0.55, fig_w - left - right)
    gap_w = 0.18 if early_years else 0.0
    plot_h = row_h * len(articles)
    top, bottom_axis, legend_h = 0.8, 0.55, 0.45
    fig_h = top + plot_h + bottom_axis + legend_h
    fig = Figure(figsize=(fig_w, fig_h))

    def axes_at(x_in, y_top_in, w_in, h_in):
        return fig.add_axes((x_in / fig_w, 1 - (y_top_in + h_in) / fig_h, w_in / fig_w, h_in / fig_h))

    main_w = fig_w - left - right - early_w - gap_w
    ax = axes_at(left + early_w + gap_w, top, main_w, plot_h)
    ax_early = axes_at(left, top, early_w, plot_h) if early_years else None

    main_per_inch = ((last - first).days + 1) / main_w
    early_per_inch = len(early_years) / early_w if early_years else 1.0
    for row, a in enumerate(articles):
        mentions = sorted(dated[a.id], key=lambda t: (t.first_day, t.last_day, t.start))
        # stack overlapping mentions in sub-rows (upper part of the article's row), per panel
        placed = []
        for is_early in (True, False):
            group = [t for t in mentions if (t.first_day < first) == is_early]
            boxes = []
            for t in group:
                if is_early:
                    x0, w = slots.x(t.first_day), slots.width(t.first_day, t.last_day)
                    min_w = 0.08 * early_per_inch
                else:
                    x0 = _ordinal(t.first_day)
                    w = _ordinal(t.last_day + timedelta(days=1)) - x0
                    min_w = 0.08 * main_per_inch
                boxes.append((x0, w, max(w, min_w)))
            gap = 0.03 * (early_per_inch if is_early else main_per_inch)
            rows = _pack_rows([(x0, x0 + span) for x0, _w, span in boxes], gap=gap)
            placed += [(t, is_early, x0, w, r) for t, (x0, w, _s), r in zip(group, boxes, rows)]
        for t, is_early, x0, w, r in placed:
            y = row + 0.14 + 0.1 * (r % sub)
            axis = ax_early if is_early else ax
            if t.first_day == t.last_day:
                axis.plot([x0], [y], marker="o", markersize=4, color="#555555", alpha=0.85, zorder=3)
            else:
                axis.add_patch(Rectangle((x0, y - 0.04), w, 0.08, facecolor="#1f77b4", alpha=0.5,
                                         edgecolor="#1f77b4", linewidth=0.6, zorder=2))
        ref = refdates.get(a.id)
        y_ref = row + 0.74
        if ref is not None and ref.best is not None:
            if ref.method == "metadata":
                ax.plot([_ordinal(ref.best)], [y_ref], marker="D", markersize=7, color="black", zorder=5)
            else:
                if ref.earliest and ref.latest and ref.earliest != ref.latest:
                    lo, hi = _ordinal(ref.earliest), _ordinal(ref.latest)
                    ax.plot([lo, hi], [y_ref, y_ref], color="#d62728", linewidth=1.5, zorder=4)
                    ax.plot([lo, hi], [y_ref, y_ref], linestyle="none", marker="|", markersize=9,
                            color="#d62728", zorder=4)
                ax.plot([_ordinal(ref.best)], [y_ref], marker="D", markersize=7, color="#d62728",
                        markerfacecolor="white", markeredgewidth=1.6, zorder=5)
            text = f"{ref.best.isoformat()} ({ref.method}" + (
                f", confidence {ref.confidence:.2f}" if ref.method != "metadata" else "") + ")"
            near_right = (_ordinal(ref.best) - _ordinal(first)) / main_per_inch > main_w - 2.8
            # anchor the label beyond the whisker, on whichever side has room
            lo_day = ref.earliest if ref.method != "metadata" and ref.earliest else ref.best
            hi_day = ref.latest if ref.method != "metadata" and ref.latest else ref.best
            anchor = _ordinal(lo_day) if near_right else _ordinal(hi_day + timedelta(days=1))
            ax.annotate(literal(text), (anchor, y_ref), xytext=(-10 if near_right else 10, 0),
                        textcoords="offset points", ha="right" if near_right else "left", va="center",
                        fontsize=7.5, color="#222222" if ref.method == "metadata" else "#d62728", zorder=6)
    labels = []
    for a in articles:
        head = _short(a.headline, 30) if a.headline else ""
        labels.append(f"{article_label(a.id, 16)}  {head}".strip())
    for axis in (ax, ax_early):
        if axis is None:
            continue
        axis.set_ylim(len(articles), 0)
        for row in range(len(articles)):
            if row % 2 == 0:
                axis.axhspan(row, row + 1, color="#f2f2f2", zorder=0, linewidth=0)
        axis.tick_params(axis="y", length=0)
    _format_date_axis(ax, first, last)
    ticks = [row + 0.5 for row in range(len(articles))]
    _label_rows(ax, ax_early, slots, ticks, labels, fontsize=8.5)
    fig.text(left / fig_w, 1 - 0.3 / fig_h, literal("Reference date of each article and the dates it mentions"),
             fontsize=13, fontweight="bold", va="center")
    fig.text(left / fig_w, 1 - 0.55 / fig_h,
             literal(f"{sum(map(len, dated.values()))} resolved DATE mentions in {len(articles)} articles"),
             fontsize=9, color="#444444", va="center")
    handles = [
        Line2D([], [], marker="D", linestyle="none", color="black", label="reference date from metadata"),
        Line2D([], [], marker="D", linestyle="-", color="#d62728", markerfacecolor="white",
               label="inferred reference date (earliest–latest)"),
        Line2D([], [], marker="o", linestyle="none", color="#555555", markersize=4, label="mentioned day"),
        Patch(facecolor="#1f77b4", alpha=0.45, edgecolor="#1f77b4", label="mentioned stretch (true width)"),
    ]
    fig.legend(handles=handles, loc="upper left", ncol=4, fontsize=8.5, frameon=False,
               bbox_to_anchor=(left / fig_w, 1 - (top + plot_h + bottom_axis) / fig_h))
    _outlier_note(fig, 1 - right / fig_w, 1 - 0.55 / fig_h, outside, mass_lo, mass_hi)
    return fig
