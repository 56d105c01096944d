"""Layout shared by the figures: the campaign window and the dated mass of a set of days, the
linear date axis, the equal-slot panel of earlier years with its ``//`` break, and rows for labels
that must not overlap.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Sequence

import matplotlib.dates as mdates
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter

from ..records import TimelineEntry, Timex
from .labels import literal


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _ordinal(day: date) -> float:
    return float(mdates.date2num(day))


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _quarter_end(day: date) -> date:
    month = 3 * ((day.month - 1) // 3) + 3
    return (date(day.year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)


def campaign_window(entries: Iterable[TimelineEntry]) -> tuple[date, date] | None:
    """First..last day of the in-campaign entries, widened to whole quarters (None when there are none)."""
    inside = [e for e in entries if e.in_campaign]
    if not inside:
        return None
    return _quarter_start(min(e.start for e in inside)), _quarter_end(max(e.end for e in inside))


#: A date separated from the rest of the corpus's dates by a gap longer than this is a far outlier
#: ("until the 99th century", a metadata date of 2999): it is named in a note, never drawn, so it
#: cannot stretch an axis over millennia (or make a chart of 100,000 monthly bars).
OUTLIER_GAP_DAYS = 20 * 366


def dated_mass(days: Sequence[date]) -> tuple[date, date]:
    """First and last day of the corpus's dated mass: from the median day outwards, as far as no
    gap longer than ``OUTLIER_GAP_DAYS`` separates one date from the next."""
    ordered = sorted(days)
    middle = len(ordered) // 2
    lo = hi = ordered[middle]
    for day in ordered[middle:]:
        if (day - hi).days > OUTLIER_GAP_DAYS:
            break
        hi = day
    for day in reversed(ordered[:middle]):
        if (lo - day).days > OUTLIER_GAP_DAYS:
            break
        lo = day
    return lo, hi


def _outlier_note(fig: Figure, x: float, y: float, outside: Sequence[date], lo: date, hi: date) -> None:
    """One line naming the far outliers left off the chart."""
    if not outside:
        return
    before = sorted(d for d in outside if d < lo)
    after = sorted(d for d in outside if d > hi)
    parts = []
    if before:
        parts.append(f"{len(before)} before {lo.year} (from {before[0].isoformat()})")
    if after:
        parts.append(f"{len(after)} after {hi.year} (up to {after[-1].isoformat()})")
    fig.text(x, y, "Far outlying dates not drawn: " + "; ".join(parts), fontsize=8, color="#8c564b",
             va="center", ha="right")


def _default_window(days: Sequence[date]) -> tuple[date, date]:
    """Without a campaign to follow: the three calendar years ending with the latest day."""
    latest = max(days)
    return date(latest.year - 2, 1, 1), date(latest.year, 12, 31)


def _format_date_axis(ax, first: date, last: date) -> None:
    """Quarterly labels (``Jan 2015`` at each new year), monthly minor ticks, year boundaries."""
    ax.set_xlim(_ordinal(first), _ordinal(last + timedelta(days=1)))
    span_days = (last - first).days
    if span_days > 5 * 366:
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:
        months = (1, 4, 7, 10) if span_days > 400 else tuple(range(1, 13))
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=months))
        ax.xaxis.set_minor_locator(mdates.MonthLocator())

        def fmt(x, _pos):
            d = mdates.num2date(x).date()
            return f"{_MONTHS[d.month - 1]}\n{d.year}" if d.month == 1 or _pos == 0 else _MONTHS[d.month - 1]

        ax.xaxis.set_major_formatter(FuncFormatter(fmt))
    for year in range(first.year + 1, last.year + 1):
        ax.axvline(_ordinal(date(year, 1, 1)), color="#999999", linewidth=0.8, zorder=0)
    ax.tick_params(axis="x", labelsize=8)


EARLY_PANEL_MAX_SHARE = 0.35  # of the plotting width: the window of interest keeps the rest


def early_panel_width(years: int, per_year: float, available: float) -> float:
    """Inches for the compact "before" panel of ``years`` year slots, at most
    ``EARLY_PANEL_MAX_SHARE`` of the ``available`` width: a corpus that mentions fifty earlier years
    (or a --since window late in it) must not squeeze the window of interest to nothing."""
    if years <= 0:
        return 0.0
    return min(0.55 + per_year * years, EARLY_PANEL_MAX_SHARE * available)


@dataclass(frozen=True)
class _YearSlots:
    """A compact, broken time axis: one equal-width slot per year present.

    Years with nothing to show get no slot, so the panel is not to scale across them: each such
    gap is marked with a ``//`` break on the axis between the two slots, and the panel's title
    says so (a reader must not take 2001 and 2011 side by side for neighbouring years)."""

    years: tuple[int, ...]

    def x(self, day: date) -> float:
        i = self.years.index(day.year)
        frac = (day.timetuple().tm_yday - 1) / 366
        return i + 0.1 + 0.8 * frac

    def width(self, first: date, last: date) -> float:
        """Width of a stretch inside one slot (stretches crossing years are clipped to their first year)."""
        end = last if last.year == first.year else date(first.year, 12, 31)
        return max(0.8 * ((end - first).days + 1) / 366, 0.02)

    def gaps(self) -> list[int]:
        """Slot boundaries (1..n-1) between two years that are not consecutive."""
        return [i for i in range(1, len(self.years)) if self.years[i] - self.years[i - 1] > 1]

    def title(self, what: str = "before") -> str:
        """The panel's title: plain when the slots are consecutive years, else says they are not."""
        return f"{what} (years skipped at //)" if self.gaps() else what

    def format(self, ax) -> None:
        ax.set_xlim(0, max(len(self.years), 1))
        ax.xaxis.set_major_locator(FixedLocator([i + 0.5 for i in range(len(self.years))]))
        ax.xaxis.set_major_formatter(FuncFormatter(
            lambda x, _p: str(self.years[int(x)]) if 0 <= int(x) < len(self.years) else ""))
        ax.xaxis.set_minor_locator(FixedLocator(list(range(len(self.years) + 1))))
        ax.tick_params(axis="x", which="major", length=0, labelsize=8)
        ax.tick_params(axis="x", which="minor", length=4)
        gaps = set(self.gaps())
        for i in range(1, len(self.years)):
            ax.axvline(i, color="#bbbbbb", linewidth=0.6, linestyle=":", zorder=0)
        if gaps:
            kw = dict(marker=[(-1, -1.5), (1, 1.5)], markersize=7, linestyle="none", color="k", mec="k",
                      mew=0.9, clip_on=False, zorder=6)
            xs = sorted(gaps)
            ax.plot([x - 0.04 for x in xs], [0] * len(xs), transform=ax.get_xaxis_transform(), **kw)
            ax.plot([x + 0.04 for x in xs], [0] * len(xs), transform=ax.get_xaxis_transform(), **kw)


def _label_rows(ax, ax_early, slots, ticks, labels, *, fontsize: float) -> None:
    """Row labels go on the leftmost axis: the "before" panel when there is one (then the main axis
    gets none, and a break mark joins the two), else the main axis."""
    if ax_early is None:
        ax.set_yticks(ticks, [literal(label) for label in labels], fontsize=fontsize)
        return
    slots.format(ax_early)
    ax_early.set_yticks(ticks, [literal(label) for label in labels], fontsize=fontsize)
    ax.set_yticks([])
    ax_early.set_title(slots.title(), fontsize=8, color="#555555")
    _mark_break(ax_early, ax)

def _mark_break(left_ax, right_ax) -> None:
    """The ``//`` marks of a broken axis between two panels."""
    kw = dict(marker=[(-1, -1.5), (1, 1.5)], markersize=9, linestyle="none", color="k", mec="k", mew=1,
              clip_on=False)
    left_ax.plot([1, 1], [0, 1], transform=left_ax.transAxes, **kw)
    right_ax.plot([0, 0], [0, 1], transform=right_ax.transAxes, **kw)
    left_ax.spines["right"].set_visible(False)
    right_ax.spines["left"].set_visible(False)


def _pack_rows(items: Sequence[tuple[float, float]], gap: float) -> list[int]:
    """Greedy interval packing: the sub-row of each (x0, x1) so that no two in a row come closer than gap."""
    row_ends: list[float] = []
    rows: list[int] = []
    for x0, x1 in items:
        for r, end in enumerate(row_ends):
            if end + gap <= x0:
                row_ends[r] = x1
                rows.append(r)
                break
        else:
            row_ends.append(x1)
            rows.append(len(row_ends) - 1)
    return rows


def _dated(timexes: Iterable[Timex]) -> list[Timex]:
    """Resolved DATE expressions (those with a calendar stretch)."""
    return [t for t in timexes if t.type == "DATE" and t.first_day is not None and t.last_day is not None]
