"""pandas views of a run: one row per event, one row per timeline entry, flat columns.

What a pandas user expects from ``result.events_frame()`` / ``result.entries_frame()``: every cell a
scalar (strings, numbers, booleans, timestamps; lists joined with ``"; "``), days as ``datetime64``
so the frames filter, sort and plot by date, and the sources named by their article headlines (a
reader knows "Libya forces make key Benghazi gains", not ``000_ebd112a8c2509409``); the article ids
stay in their own column for joins.

``source_titles`` and ``article_titles`` are the one place that turns article ids into readable
names; the interactive timeline and the TimelineJS export use them too.
"""
from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from .records import Article, Event, TimelineEntry

#: Separator of the values joined into one cell; sentences (which hold semicolons) use ``SENTENCE_JOIN``.
JOIN = "; "
SENTENCE_JOIN = " | "

EVENT_FRAME_COLUMNS = (
    "article", "headline", "source", "published", "sentence_index", "kind", "value", "granularity",
    "first_day", "last_day", "timex", "rule", "places", "text", "start", "end", "entry",
)

ENTRY_FRAME_COLUMNS = (
    "entry", "date", "start", "end", "granularity", "in_campaign", "places", "summary", "summary_rule",
    "extractive", "guarded", "sources", "articles", "n_sources", "n_articles", "sentences", "timexes",
    "rules", "merge_note",
)


def article_titles(articles: Iterable[Article]) -> dict[str, str]:
    """``{article id: readable name}``: the headline, else the file name (never an empty string)."""
    titles = {}
    for a in articles:
        headline = " ".join((a.headline or "").split())
        titles[a.id] = headline or a.id
    return titles


def source_titles(entry: TimelineEntry, titles: Mapping[str, str]) -> list[str]:
    """The entry's articles as readable names, in the order their sentences appear, each once."""
    seen: dict[str, None] = {}
    for ref in entry.sources:
        seen.setdefault(titles.get(ref.article, ref.article), None)
    return list(seen)


def _days(values):
    import pandas as pd

    return pd.to_datetime(pd.Series(values, dtype="object"), errors="raise").astype("datetime64[s]")


def _entry_of_events(entries: Sequence[TimelineEntry]) -> dict[tuple[str, int, int], int]:
    """(article, raw start, raw end) of each source sentence -> position of its entry.

    A sentence can hold several events (clauses with their own dates), so the sentence index alone
    does not say which entry an event went into; its raw span does.
    """
    index: dict[tuple[str, int, int], int] = {}
    for i, entry in enumerate(entries):
        for ref in entry.sources:
            index.setdefault((ref.article, ref.start, ref.end), i)
    return index


def events_frame(events: Sequence[Event], articles: Iterable[Article] = (),
                 entries: Sequence[TimelineEntry] = ()):
    """One row per event, in the pipeline's order (dated, background and undated context alike).

    ``headline``/``source``/``published`` come from the event's article; ``entry`` is the position
    in ``entries`` of the timeline entry the event was merged into (missing for undated context);
    ``start``/``end`` are offsets of the sentence in the article's raw file.
    """
    import pandas as pd

    by_id = {a.id: a for a in articles}
    entry_of = _entry_of_events(entries)
    rows = []
    for e in events:
        a = by_id.get(e.article)
        rows.append({
            "article": e.article,
            "headline": a.headline if a else None,
            "source": a.source if a else None,
            "published": a.published if a else None,
            "sentence_index": e.sentence_index,
            "kind": e.kind,
            "value": e.value,
            "granularity": e.granularity,
            "first_day": e.first_day,
            "last_day": e.last_day,
            "timex": e.timex.text if e.timex else None,
            "rule": e.rule,
            "places": JOIN.join(e.places),
            "text": e.text,
            "start": e.start,
            "end": e.end,
            "entry": entry_of.get((e.article, e.start, e.end)),
        })
    frame = pd.DataFrame(rows, columns=list(EVENT_FRAME_COLUMNS))
    for column in ("published", "first_day", "last_day"):
        frame[column] = _days(frame[column])
    frame["entry"] = frame["entry"].astype("Int64")
    frame["sentence_index"] = frame["sentence_index"].astype("int64")
    return frame


def entries_frame(entries: Sequence[TimelineEntry], articles: Iterable[Article] = ()):
    """One row per timeline entry, in timeline order.

    ``sources`` names the articles by headline (joined with ``"; "``); ``articles`` holds their ids
    in the same order; ``sentences`` (joined with ``" | "``), ``timexes`` and ``rules`` are the source sentences,
    the expressions that dated them and the dating rules, one per source, in the same order.
    """
    import pandas as pd

    titles = article_titles(articles)
    rows = []
    for i, e in enumerate(entries):
        ids = list(dict.fromkeys(s.article for s in e.sources))
        rows.append({
            "entry": i,
            "date": e.date,
            "start": e.start,
            "end": e.end,
            "granularity": e.granularity,
            "in_campaign": bool(e.in_campaign),
            "places": JOIN.join(e.places),
            "summary": e.summary,
            "summary_rule": e.extra.get("summary_rule") or "",
            "extractive": bool(e.extractive),
            "guarded": bool(e.guarded),
            "sources": JOIN.join(source_titles(e, titles)),
            "articles": JOIN.join(ids),
            "n_sources": len(e.sources),
            "n_articles": len(ids),
            "sentences": SENTENCE_JOIN.join(" ".join(s.sentence.split()) for s in e.sources),
            "timexes": JOIN.join(s.timex or "" for s in e.sources),
            "rules": JOIN.join(s.rule for s in e.sources),
            "merge_note": e.merge_note,
        })
    frame = pd.DataFrame(rows, columns=list(ENTRY_FRAME_COLUMNS))
    for column in ("start", "end"):
        frame[column] = _days(frame[column])
    return frame
