"""Figures of the timeline: campaign lanes, printable summary pages, per-article dates, mention density.

Every chart function takes records and returns matplotlib ``Figure`` objects built without pyplot,
so building a chart never touches global GUI state and works headless. ``save_figure`` writes a
PNG and an SVG whose bytes depend only on the figure (no timestamps, no software stamp, fixed SVG
hash salt), so regenerated figures diff cleanly.

Time axes: the campaign years are drawn on a true linear date axis (a week is a week wide), while
anything earlier (background such as 2001, 2011, 2012) goes to a narrow panel on the left where each
year present gets one equal slot -- a broken axis, marked with ``//`` where it meets the window and
wherever years without items are skipped -- so a 2001 mention does not squash fifteen years into the
plot. The mention density gives that panel its own y axis (per year; the window counts per month).

Modules: ``saving`` (byte-stable PNG/SVG files), ``labels`` (text a chart draws, lanes, text fitting),
``layout`` (windows, date axes, the early-years panel, label rows), one module per figure --
``campaign``, ``pages`` (summary pages), ``articles`` (article dates), ``density`` (mention density)
-- and ``write_figures`` here, which draws them all.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from ..records import Article, ReferenceDate, TimelineEntry, Timex
from .articles import article_dates
from .campaign import MAX_LANES, campaign_timeline
from .density import mention_density, month_weights
from .labels import NO_PLACE_LANE, catch_all_lane, date_range_text, entry_label, entry_lane, literal
from .layout import OUTLIER_GAP_DAYS, campaign_window, dated_mass
from .pages import A4_PORTRAIT, PLACE_COLUMN_IN, summary_timeline
from .saving import DPI, SVG_HASH_SALT, figure_png, save_figure

__all__ = [
    "campaign_timeline", "summary_timeline", "article_dates", "mention_density", "write_figures", "save_figure",
    "figure_png", "FIGURE_NAMES", "literal", "entry_label", "entry_lane", "catch_all_lane", "date_range_text",
    "campaign_window", "dated_mass", "month_weights", "DPI", "NO_PLACE_LANE", "SVG_HASH_SALT", "A4_PORTRAIT",
    "MAX_LANES", "OUTLIER_GAP_DAYS", "PLACE_COLUMN_IN",
]


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
