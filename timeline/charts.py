"""Figures of the timeline: campaign lanes, printable summary pages, per-article dates, mention density.

Every chart function takes records and returns matplotlib ``Figure`` objects built without pyplot,
so building a chart never touches global GUI state and works headless. ``save_figure`` writes a
PNG and an SVG whose bytes depend only on the figure (no timestamps, no software stamp, fixed SVG
hash salt), so regenerated figures diff cleanly.

Time axes: the campaign years are drawn on a true linear date axis (a week is a week wide), while
anything earlier (background such as 2001, 2011, 2012) goes to a narrow panel on the left where each
year present gets one equal slot -- a broken axis, marked with ``//`` -- so a 2001 mention does not
squash fifteen years into the plot.
"""
from __future__ import annotations

import io
import re
import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import matplotlib
import matplotlib.dates as mdates
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.textpath import TextPath
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from .datetext import reader_date, span_text
from .records import Article, ReferenceDate, Timex, TimelineEntry

#: Resolution of the PNG files; the SVGs are resolution-free.
DPI = 110
#: Internal name of the catch-all lane (entries naming no city); shown as ``catch_all_lane(entries)``.
NO_PLACE_LANE = "(no city)"
#: Fixed salt for the ids matplotlib writes into SVGs (otherwise random per run).
SVG_HASH_SALT = "timeline-figures"
#: A4 portrait, in inches, for the printable summary pages.
A4_PORTRAIT = (8.27, 11.69)

_LANE_COLOURS = (
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#7f7f7f",
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# spelled out here, not with strftime, so the figures do not depend on the process locale
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")


# --------------------------------------------------------------------------- saving

def save_figure(fig: Figure, path_stem: str | Path) -> list[Path]:
    """Write ``<stem>.png`` and ``<stem>.svg`` with bytes that depend only on the figure."""
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    png = stem.parent / f"{stem.name}.png"
    svg = stem.parent / f"{stem.name}.svg"
    from .exports import clean_text
    from .publish import atomic_write_bytes

    for artist in fig.findobj(matplotlib.text.Text):  # a control character makes the SVG invalid XML
        if _has_control(artist.get_text()):
            artist.set_text(clean_text(artist.get_text()))
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT, "svg.fonttype": "path"}):
        for path, fmt, metadata in ((png, "png", {"Software": None}), (svg, "svg", {"Date": None})):
            buffer = io.BytesIO()  # rendered whole, then written atomically: never a truncated file
            fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
            data = buffer.getvalue()
            if fmt == "svg":  # tick labels are re-made from their formatters at each save
                data = _XML_INVALID_BYTES.sub(b"", data)
            atomic_write_bytes(path, data)
    return [png, svg]


# bytes XML 1.0 cannot carry (matplotlib copies label text into SVG comments and ids as it is)
_XML_INVALID_BYTES = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _has_control(text: str) -> bool:
    return any(ord(c) < 32 and c not in "\t\n" or 0x7f <= ord(c) <= 0x9f for c in text)


def figure_png(fig: Figure) -> bytes:
    """The PNG bytes ``save_figure`` would write, for showing a figure inline without pyplot
    (``IPython.display.Image(figure_png(fig))``)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


# --------------------------------------------------------------------------- shared helpers

def _ordinal(day: date) -> float:
    return float(mdates.date2num(day))


def _short(text: str, limit: int) -> str:
    from .exports import clean_text

    text = " ".join(clean_text(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:") + "…"


def literal(text: str) -> str:
    """``text`` escaped so that matplotlib draws it exactly as given; every string a chart draws from
    data or from the caller (summaries, places, headlines, titles, row labels) goes through here.

    With ``text.usetex`` off (as in every chart here) the only character that changes how a string is
    drawn is ``$``: two unescaped ones switch the stretch between them to mathtext, so "$16.6 billion
    ... $13.4 billion" would lose its dollar signs and spaces and come out in italics. ``\\``, ``^``,
    ``_``, ``{`` and ``}`` mean something only inside such a stretch. Escaping every ``$`` as ``\\$``
    therefore leaves the whole string plain text; matplotlib drops the escape when it draws. The
    fixed labels written in this module hold no ``$``; tests/test_chart_text.py checks that nothing
    a chart draws is parsed as mathtext.
    """
    return text.replace("$", r"\$")


def entry_label(entry: TimelineEntry) -> str:
    """The text a chart shows for an entry: its summary, else its first source sentence."""
    if entry.summary.strip():
        return " ".join(entry.summary.split())
    if entry.sources:
        return " ".join(entry.sources[0].sentence.split())
    return entry.date


def _city_of(name: str) -> str | None:
    """The city a place lies in (itself for a city), via the gazetteer's parents; None above city level.

    Places the gazetteer does not know are taken as they are, so no place is silently dropped.
    """
    try:
        from .places import kind_of, parent_of
    except ImportError:  # gazetteer not available: every place is its own lane
        return name
    seen = set()
    current: str | None = name
    while current is not None and current not in seen:
        seen.add(current)
        kind = kind_of(current)
        if kind is None:
            return current if current == name else None
        if kind == "city":
            return current
        if kind in ("country", "region", "continent"):
            return None
        current = parent_of(current)
    return None


def _country_of(name: str) -> str | None:
    """The country a place lies in (itself for a country), via the gazetteer; None when unknown."""
    try:
        from .places import kind_of, parent_of
    except ImportError:
        return None
    seen = set()
    current: str | None = name
    while current is not None and current not in seen:
        seen.add(current)
        if kind_of(current) == "country":
            return current
        current = parent_of(current)
    return None


def catch_all_lane(entries: Iterable[TimelineEntry]) -> str:
    """Display name of the catch-all lane: ``<country> / other`` for the country the entries'
    places mostly lie in (``Libya / other`` for the seeds), else ``other``."""
    counts = Counter(c for e in entries for p in e.places if (c := _country_of(p)) is not None)
    if not counts:
        return "other"
    country = min(counts, key=lambda c: (-counts[c], c))
    return f"{country} / other"


def entry_lane(entry: TimelineEntry) -> str:
    """The lane of an entry: the first of its places that is, or lies in, a city (``Lithi`` -> Benghazi).

    Entries naming only countries or regions, or no place at all, go to the catch-all lane
    (``NO_PLACE_LANE``, labelled by ``catch_all_lane``).
    """
    for place in entry.places:
        city = _city_of(place)
        if city is not None:
            return city
    return NO_PLACE_LANE


def date_range_text(first: date, last: date) -> str:
    """``23 Feb 2016`` for one day, ``15–21 Feb 2016`` for a stretch (``datetext.span_text``)."""
    return span_text(first, last)


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


@dataclass(frozen=True)
class _YearSlots:
    """A compact, broken time axis: one equal-width slot per year present."""

    years: tuple[int, ...]

    def x(self, day: date) -> float:
        i = self.years.index(day.year)
        frac = (day.timetuple().tm_yday - 1) / 366
        return i + 0.1 + 0.8 * frac

    def width(self, first: date, last: date) -> float:
        """Width of a stretch inside one slot (stretches crossing years are clipped to their first year)."""
        end = last if last.year == first.year else date(first.year, 12, 31)
        return max(0.8 * ((end - first).days + 1) / 366, 0.02)

    def format(self, ax) -> None:
        ax.set_xlim(0, max(len(self.years), 1))
        ax.xaxis.set_major_locator(FixedLocator([i + 0.5 for i in range(len(self.years))]))
        ax.xaxis.set_major_formatter(FuncFormatter(
            lambda x, _p: str(self.years[int(x)]) if 0 <= int(x) < len(self.years) else ""))
        ax.xaxis.set_minor_locator(FixedLocator(list(range(len(self.years) + 1))))
        ax.tick_params(axis="x", which="major", length=0, labelsize=8)
        ax.tick_params(axis="x", which="minor", length=4)
        for i in range(1, len(self.years)):
            ax.axvline(i, color="#bbbbbb", linewidth=0.6, linestyle=":", zorder=0)



def _label_rows(ax, ax_early, slots, ticks, labels, *, fontsize: float) -> None:
    """Row labels go on the leftmost axis: the "before" panel when there is one (then the main axis
    gets none, and a break mark joins the two), else the main axis."""
    if ax_early is None:
        ax.set_yticks(ticks, [literal(label) for label in labels], fontsize=fontsize)
        return
    slots.format(ax_early)
    ax_early.set_yticks(ticks, [literal(label) for label in labels], fontsize=fontsize)
    ax.set_yticks([])
    ax_early.set_title("before", fontsize=8, color="#555555")
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


# --------------------------------------------------------------------------- 1. campaign timeline

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
    early_w = 0.55 + 0.55 * len(slots.years) if early else 0.0
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
             literal(title or f"Campaign timeline {first.year}–{last.year}: one lane per place"), fontsize=13,
             fontweight="bold", va="center")
    fig.text(left_margin / fig_w, 1 - 0.55 / fig_h,
             literal(f"{len(entries)} entries from {len({s.article for e in entries for s in e.sources})} articles; "
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


# --------------------------------------------------------------------------- 2. summary pages

def _text_width_in(text: str, fontsize: float) -> float:
    """Width of ``text`` drawn in the default font at ``fontsize`` points, in inches."""
    return TextPath((0, 0), literal(text), size=fontsize).get_extents().width / 72


def _fit(text: str, width_in: float, fontsize: float) -> str:
    """``text``, shortened with an ellipsis until it is at most ``width_in`` inches wide."""
    text = " ".join(text.split())
    if _text_width_in(text, fontsize) <= width_in:
        return text
    for n in range(len(text) - 1, 0, -1):
        short = text[:n].rstrip(" ,;:") + "…"
        if _text_width_in(short, fontsize) <= width_in:
            return short
    return "…"


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
    articles = sorted({s.article.split("_")[0] for s in entry.sources})
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


# --------------------------------------------------------------------------- 3. article dates

def _dated(timexes: Iterable[Timex]) -> list[Timex]:
    """Resolved DATE expressions (those with a calendar stretch)."""
    return [t for t in timexes if t.type == "DATE" and t.first_day is not None and t.last_day is not None]


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
    early_w = 0.55 + 0.55 * len(early_years) if early_years else 0.0
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
        labels.append(f"{a.id.split('_')[0]}  {head}".strip())
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


# --------------------------------------------------------------------------- 4. mention density

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
    panel. With ``refdates``, each article's reference date is marked with a triangle under the bars,
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
    left, right, top, plot_h = 0.9, 0.3, 0.8, 4.0
    early_w = 0.55 + 0.5 * len(early_years) if early_years else 0.0
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
        top_value = max(peak, max(ybottoms)) * 1.1 or 1.0
        ax.set_ylim(0, top_value)
        ax_early.set_ylim(0, top_value)
        ax_early.set_ylabel("mentions (per month; left panel: per year)", fontsize=9)
        ax.set_ylabel("")
        ax.tick_params(axis="y", labelleft=False, length=0)
        ax_early.set_title("before (per year)", fontsize=8, color="#555555")
        ax_early.yaxis.set_major_locator(MaxNLocator(nbins=6))
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


# --------------------------------------------------------------------------- all figures

FIGURE_NAMES = ("campaign_timeline", "summary_timeline", "article_dates", "mention_density")


def write_figures(out_dir: str | Path, entries: Sequence[TimelineEntry], articles: Sequence[Article],
                  refdates: Mapping[str, ReferenceDate], timexes_by_article: Mapping[str, Sequence[Timex]],
                  *, periods: Sequence = (), overview=None, context: Sequence[TimelineEntry] = ()) -> list[Path]:
    """Regenerate every figure as PNG + SVG in ``out_dir``; returns the files written.

    ``context`` (the context list of ``timeline.selection``: background before the window) is drawn
    in the campaign timeline's left "before" panel; the other charts show the timeline's entries.

    ``periods``/``overview`` (``PeriodSummary`` records) add the month and campaign paragraphs to the
    summary pages: ``summary_timeline`` (page 1), ``summary_timeline_p2``, ...; extra pages of an
    earlier, longer run are removed. All charts share the campaign window of the entries so their date
    axes line up.
    """
    out_dir = Path(out_dir)
    window = campaign_window(entries)
    written: list[Path] = []
    # pages left over from a longer earlier run would pass for part of this one
    for stale in sorted(out_dir.glob("summary_timeline_p*")):
        if stale.suffix in (".png", ".svg") and stale.stem[len("summary_timeline_p"):].isdigit():
            stale.unlink()
    fig = campaign_timeline(list(entries) + list(context), window=window)
    written += save_figure(fig, out_dir / "campaign_timeline")
    for page, fig in enumerate(summary_timeline(entries, periods=periods, overview=overview), start=1):
        written += save_figure(fig, out_dir / ("summary_timeline" if page == 1 else f"summary_timeline_p{page}"))
    written += save_figure(article_dates(articles, refdates, timexes_by_article, window=window),
                           out_dir / "article_dates")
    written += save_figure(mention_density(timexes_by_article, window=window, refdates=refdates),
                           out_dir / "mention_density")
    return written
