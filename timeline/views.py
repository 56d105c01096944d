"""Tables and highlighted text for notebooks and reports.

Kept out of the notebooks so the tests reach it: each function turns records into a pandas
DataFrame or an HTML string and does nothing else.
"""
from __future__ import annotations

import html
from typing import Iterable, Mapping, Sequence

from .records import Article, Event, ReferenceDate, Timex, TimelineEntry

#: Background colour per TIMEX3 type in highlighted text.
TYPE_COLOURS = {"DATE": "#cfe8ff", "TIME": "#ffe1b3", "DURATION": "#d9f2d0", "SET": "#f0d4f5"}


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def highlight_timexes(text: str, timexes: Sequence[Timex]) -> str:
    """HTML of ``text`` with every expression marked and its value shown on hover and inline."""
    parts: list[str] = []
    cursor = 0
    for t in sorted(timexes, key=lambda t: (t.start, t.end)):
        if t.start < cursor:  # overlapping spans are not expected; never render text twice
            continue
        parts.append(html.escape(text[cursor:t.start]))
        colour = TYPE_COLOURS.get(t.type, "#eeeeee")
        title = html.escape(f"{t.type} {t.value} mod={t.mod} rule={t.rule}", quote=True)
        parts.append(
            f'<mark style="background:{colour}" title="{title}">{html.escape(t.text)}'
            f'<sub style="font-size:70%;color:#555"> {html.escape(t.value)}</sub></mark>'
        )
        cursor = t.end
    parts.append(html.escape(text[cursor:]))
    body = "".join(parts).replace("\n", "<br>\n")
    return f'<div style="font-family:serif;line-height:1.6">{body}</div>'


def timex_table(timexes_by_article: Mapping[str, Sequence[Timex]]):
    """One row per expression: article, span, text, type, value, mod, interval, rule."""
    import pandas as pd

    rows = [
        {
            "article": article_id,
            "start": t.start,
            "end": t.end,
            "text": t.text,
            "type": t.type,
            "value": t.value,
            "mod": t.mod,
            "granularity": t.granularity,
            "first_day": _iso(t.first_day),
            "last_day": _iso(t.last_day),
            "rule": t.rule,
        }
        for article_id, found in timexes_by_article.items()
        for t in found
    ]
    return pd.DataFrame(rows, columns=list(rows[0]) if rows else None)


def refdate_table(articles: Iterable[Article], refdates: Mapping[str, ReferenceDate], inferred=None):
    """Per article: metadata date, the date used and how, and (optionally) what the text alone supports."""
    import pandas as pd

    rows = []
    for a in articles:
        ref = refdates[a.id]
        row = {
            "article": a.id,
            "headline": a.headline,
            "metadata": _iso(a.published),
            "used": _iso(ref.best),
            "method": ref.method,
        }
        if inferred is not None:
            guess = inferred[a.id]
            row.update(
                {
                    "text_best": _iso(guess.best),
                    "text_earliest": _iso(guess.earliest),
                    "text_latest": _iso(guess.latest),
                    "text_confidence": round(guess.confidence, 2),
                    "clues": len(guess.evidence),
                }
            )
        rows.append(row)
    return pd.DataFrame(rows)


def events_table(events: Sequence[Event]):
    """One row per event, dated or not."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "article": e.article,
                "sentence": e.sentence_index,
                "kind": e.kind,
                "value": e.value,
                "granularity": e.granularity,
                "first_day": _iso(e.first_day),
                "last_day": _iso(e.last_day),
                "timex": e.timex.text if e.timex else None,
                "rule": e.rule,
                "places": ", ".join(e.places),
                "text": e.text,
            }
            for e in events
        ]
    )


def entries_table(entries: Sequence[TimelineEntry], *, with_sources: bool = True):
    """The ordered timeline: one row per entry, its sources joined."""
    import pandas as pd

    rows = []
    for e in entries:
        row = {
            "date": e.date,
            "start": _iso(e.start),
            "end": _iso(e.end),
            "granularity": e.granularity,
            "campaign": e.in_campaign,
            "places": ", ".join(e.places),
            "articles": ", ".join(sorted({s.article[:3] for s in e.sources})),
            "summary": e.summary,
            "extractive": e.extractive,
            "guarded": e.guarded,
        }
        if with_sources:
            row["sources"] = " | ".join(s.sentence for s in e.sources)
            row["merge_note"] = e.merge_note
        rows.append(row)
    return pd.DataFrame(rows)


def in_window(entries: Sequence[TimelineEntry], since=None, until=None) -> list[TimelineEntry]:
    """The entries whose interval overlaps [since, until] (``date``, ISO string or None for open).

    What the notebooks' ``SINCE``/``UNTIL`` parameters select; order kept.
    """
    from datetime import date

    first = date.fromisoformat(since) if isinstance(since, str) else since
    last = date.fromisoformat(until) if isinstance(until, str) else until
    if first and last and first > last:
        raise ValueError(f"the window starts ({first}) after it ends ({last})")
    return [e for e in entries if (last is None or e.start <= last) and (first is None or e.end >= first)]
