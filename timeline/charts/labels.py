"""Text the charts draw: entries' labels, escaped so matplotlib draws them as given, date ranges as a
reader reads them, lanes (the city an entry's places lie in, or the catch-all lane), and text fitted
to a width.
"""
from __future__ import annotations

import re

from collections import Counter
from datetime import date
from typing import Iterable

from matplotlib.textpath import TextPath

from ..datetext import span_text
from ..records import TimelineEntry


#: Internal name of the catch-all lane (entries naming no city); shown as ``catch_all_lane(entries)``.
NO_PLACE_LANE = "(no city)"


def _short(text: str, limit: int) -> str:
    from ..exports import clean_text

    text = " ".join(clean_text(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:") + "…"


_HASH_SUFFIX = re.compile(r"[_-][0-9a-f]{8,}$")


def article_label(article_id: str, limit: int = 24) -> str:
    """A short name for an article in a chart: its id without a trailing content hash
    ("000_ebd112a8c2509409" -> "000", "apple-iphone-launch" unchanged), cut to ``limit``."""
    name = _HASH_SUFFIX.sub("", article_id) or article_id
    return name if len(name) <= limit else name[: limit - 1] + "…"


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
        from ..places import kind_of, parent_of
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
        from ..places import kind_of, parent_of
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
