"""Writers for every output format: timeline JSON, events CSV, TimelineJS3, tilse text, TimeML, JSONL.

All writers are byte-deterministic: the same records give the same file, so outputs can be committed
and diffed. JSON is written with ``ensure_ascii=False``, ``indent=2``, sorted keys inside each
record (the order of lists is meaningful and kept), ``"\\n"`` line endings and a trailing newline.
Every writer creates missing parent folders and returns the path it wrote.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Iterable, Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from .records import Article, Event, ReferenceDate, SourceRef, Timex, TimelineEntry

#: Line closing each date block of a tilse timeline file.
TILSE_SEPARATOR = "-" * 32

#: Granularities that TimelineJS shows with year precision only / with year+month precision.
_YEAR_PRECISION = {"year", "decade", "century", "millennium"}
_MONTH_PRECISION = {"month", "quarter", "half", "season"}


# --------------------------------------------------------------------------- helpers

def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text with ``\\n`` line endings, creating parent folders; atomically (a temporary
    file in the same folder, then a rename), so no reader ever sees half a file."""
    from .publish import atomic_write_text

    return atomic_write_text(path, text)


# C0 and C1 control characters and DEL, except tab and line feed: they have no place in a text output
# (ESC sequences recolour a terminal, BEL rings it, XML cannot carry most of them at all)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: First characters that make a spreadsheet read a CSV cell as a formula (OWASP: CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def clean_text(text: str) -> str:
    """``text`` without control characters (tab and line feed kept; CR LF and a lone CR become LF)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def loggable(text: str) -> str:
    """``text`` for one line of a log: control characters, CR and LF shown escaped (``\\x1b``), not raw."""
    return re.sub("[\x00-\x1f\x7f-\x9f]", lambda m: repr(m.group())[1:-1], str(text))


def csv_cell(value) -> str:
    """One CSV cell that a spreadsheet shows as text: control characters removed, and a cell that
    would start with ``= + - @``, tab or CR prefixed with a single quote (as OWASP's CSV-injection
    guidance recommends), so ``=HYPERLINK(...)`` or ``-2+3`` is shown, never evaluated."""
    text = clean_text("" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def dumps_json(obj) -> str:
    """The one JSON style of every output: sorted keys, UTF-8 text, two-space indent, final newline."""
    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def chronological(entries: Iterable[TimelineEntry]) -> list[TimelineEntry]:
    """Entries by (start, end); a stable sort, so the ordering stage's tie-breaks survive."""
    return sorted(entries, key=lambda e: (e.start, e.end))


# --------------------------------------------------------------------------- timeline.json

def source_record(ref: SourceRef) -> dict:
    """JSON-ready view of one source sentence (offsets into the article's raw text)."""
    return {
        "article": ref.article,
        "sentence": ref.sentence,
        "start": ref.start,
        "end": ref.end,
        "timex": ref.timex,
        "rule": ref.rule,
        "similarity": ref.similarity,
    }


def entry_record(entry: TimelineEntry) -> dict:
    """JSON-ready view of one timeline entry, provenance included."""
    return {
        "date": entry.date,
        "start": entry.start.isoformat(),
        "end": entry.end.isoformat(),
        "granularity": entry.granularity,
        "summary": entry.summary,
        "extractive": bool(entry.extractive),
        "guarded": bool(entry.guarded),
        "in_campaign": bool(entry.in_campaign),
        "places": list(entry.places),
        "merge_note": entry.merge_note,
        **({"summary_rule": entry.extra["summary_rule"], "summary_checks": list(entry.extra.get("summary_checks", ()))}
           if entry.extra.get("summary_rule") else {}),  # how the summary was made, which guard checks fired
        "salience": entry.salience,
        "salience_note": entry.salience_note,
        "sources": [source_record(s) for s in entry.sources],
    }


def write_timeline_json(path: str | Path, entries: Iterable[TimelineEntry]) -> Path:
    """The timeline as a JSON list of entries in chronological order."""
    return _write_text(path, dumps_json([entry_record(e) for e in chronological(entries)]))


# --------------------------------------------------------------------------- events.csv

EVENT_COLUMNS = (
    "article", "sentence_index", "kind", "value", "granularity", "first_day", "last_day",
    "timex", "rule", "places", "start", "end", "text", "selection",
)


def write_events_csv(path: str | Path, events: Iterable[Event], selection: dict | None = None) -> Path:
    """One row per event, in the order given; places joined with ``;``; empty cells for missing values.

    ``start``/``end`` are the raw-text offsets of the event's clause. ``selection`` maps
    (article, start, end) to the rule that kept the event off the timeline (``timeline.selection``);
    the ``selection`` column is empty for events on it or never dated. Text cells go through
    ``csv_cell``: no control characters, and a cell starting with ``= + - @``, tab or CR gets a
    leading ``'`` so spreadsheets do not run it as a formula (the JSON outputs keep the exact text).
    """
    selection = selection or {}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(EVENT_COLUMNS)
    for e in events:
        writer.writerow([
            csv_cell(e.article), e.sentence_index, csv_cell(e.kind), csv_cell(e.value), csv_cell(e.granularity),
            _iso(e.first_day) or "", _iso(e.last_day) or "", csv_cell(e.timex.text if e.timex else ""),
            csv_cell(e.rule), csv_cell(";".join(e.places)), e.start, e.end, csv_cell(e.text),
            csv_cell(selection.get((e.article, e.start, e.end), "")),
        ])
    return _write_text(path, buf.getvalue())


# --------------------------------------------------------------------------- TimelineJS3

#: Slide backgrounds, one per group (place), in order of how many entries a group has. TimelineJS
#: draws white, shadowed text on any coloured slide, so every colour is dark: each has a WCAG
#: contrast ratio of at least 7:1 against white (tests check it).
TIMELINEJS_COLOURS = ("#1f4e79", "#7b2d12", "#1d5631", "#4b2a7b", "#6b4400", "#0b5563", "#6b2346",
                      "#3b3b3b", "#24406e", "#5a3b1a")
#: Longest headline, in characters; longer summaries are cut at a clause or word boundary.
HEADLINE_LIMIT = 70
#: Group of entries that name no place.
NO_PLACE_GROUP = "(no place)"
#: Columns of the TimelineJS Google-sheet template, in its order.
TIMELINEJS_CSV_COLUMNS = (
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
    "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group",
    "Background",
)

_CLAUSE_BREAK = re.compile(r"\s*(?:[,;:]|\s[–—-])\s")


def short_headline(text: str, limit: int = HEADLINE_LIMIT) -> str:
    """A headline from a summary: its first sentence without the final full stop, cut to ``limit``.

    A first sentence that is too long is cut at its last clause break (comma, semicolon, colon,
    dash) that keeps at least 30 characters, else at the last word that fits, and ends with "…".
    """
    from .sentences import split_text  # the project's sentence splitter (abbreviations as data)

    text = " ".join(text.split())
    spans = split_text(text)
    first = text[spans[0][0]:spans[0][1]].strip() if spans else text
    if len(first) <= limit:
        return first[:-1] if first.endswith(".") and not first.endswith("..") else first
    head = first[: limit - 1]
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(head) if m.start() >= 30]
    if breaks:
        return head[: breaks[-1]].rstrip() + "…"
    cut = head.rsplit(" ", 1)[0] if " " in head else head
    return cut.rstrip(" ,;:–—-") + "…"


def _tljs_date(day: date, granularity: str) -> dict:
    """A TimelineJS date object at the precision the entry is known to."""
    if granularity in _YEAR_PRECISION:
        return {"year": day.year}
    if granularity in _MONTH_PRECISION:
        return {"year": day.year, "month": day.month}
    return {"year": day.year, "month": day.month, "day": day.day}


def _tljs_display(entry: TimelineEntry) -> str:
    """The entry's date as a reader reads it ("week of 15 Feb 2016", "Tue 23 Feb 2016", "March 2016");
    the TIMEX3 value stays in timeline.json."""
    from .datetext import reader_date

    return reader_date(entry.date, entry.granularity)


def _entry_text(entry: TimelineEntry) -> str:
    return " ".join((entry.summary or (entry.sources[0].sentence if entry.sources else entry.date)).split())


def _group(entry: TimelineEntry) -> str:
    return entry.places[0] if entry.places else NO_PLACE_GROUP


def timelinejs_colours(entries: Iterable[TimelineEntry]) -> dict[str, str]:
    """Background colour of each group: busiest group first (ties by name), colours reused in turn."""
    counts: dict[str, int] = defaultdict(int)
    for entry in entries:
        counts[_group(entry)] += 1
    order = sorted(counts, key=lambda g: (-counts[g], g))
    return {g: TIMELINEJS_COLOURS[i % len(TIMELINEJS_COLOURS)] for i, g in enumerate(order)}


def _source_names(entry: TimelineEntry, titles: Mapping[str, str] | None) -> list[str]:
    from .frames import source_titles

    return source_titles(entry, titles or {})


def _slide_text(entry: TimelineEntry, titles: Mapping[str, str] | None) -> str:
    """The slide's body (HTML): the summary, the places, the sources by headline."""
    parts = [f"<p>{escape(_entry_text(entry))}</p>"]
    if entry.places:
        parts.append(f"<p><b>Places:</b> {escape(', '.join(entry.places))}</p>")
    sources = _source_names(entry, titles)
    if sources:
        parts.append("<p><b>Sources:</b> " + "; ".join(f"<i>{escape(s)}</i>" for s in sources) + "</p>")
    if not entry.in_campaign:
        parts.append("<p>(background)</p>")
    return "".join(parts)


def timelinejs_event(entry: TimelineEntry, titles: Mapping[str, str] | None = None,
                     colour: str | None = None) -> dict:
    """One TimelineJS3 slide.

    Headline: ``short_headline`` of the summary (else of the first source sentence); text: the
    whole summary, the places and the sources named by ``titles`` (article id -> headline; the id
    when missing). Precision: year-like granularities give ``{"year"}``; month, quarter and season
    give ``{"year", "month"}`` for the first and last month covered; day, week, weekend and any
    explicit range give day precision. Entries covering more than one day (at their precision) get
    an ``end_date``; ``display_date`` is the date as a reader reads it (``timeline.datetext``). ``group`` is the first place
    (``(no place)`` when none), which TimelineJS draws as a row; ``colour`` (default: the first
    of ``TIMELINEJS_COLOURS``) is the slide background, dark enough for TimelineJS's white text.
    """
    start = _tljs_date(entry.start, entry.granularity)
    end = _tljs_date(entry.end, entry.granularity)
    event = {
        "start_date": start,
        "display_date": escape(_tljs_display(entry)),
        "text": {"headline": escape(short_headline(_entry_text(entry))), "text": _slide_text(entry, titles)},
        "group": _group(entry),
        "background": {"color": colour or TIMELINEJS_COLOURS[0]},
    }
    if end != start:
        event["end_date"] = end
    return event


def _timelinejs_title(entries: Sequence[TimelineEntry], title: str | None) -> str:
    if title is not None:
        return title
    years = sorted({y for e in entries if e.in_campaign for y in (e.start.year, e.end.year)})
    return f"Timeline {years[0]}–{years[-1]}" if years else "Timeline"


def timelinejs_document(entries: Iterable[TimelineEntry], title: str | None = None,
                        subtitle: str = "Built automatically from news articles",
                        titles: Mapping[str, str] | None = None) -> dict:
    """TimelineJS3 JSON (``{"title", "events"}``), events in chronological order with unique ids.

    ``title`` defaults to ``Timeline <first year>–<last year>`` of the in-campaign entries.
    """
    entries = chronological(entries)
    colours = timelinejs_colours(entries)
    events = []
    for i, entry in enumerate(entries, start=1):
        event = timelinejs_event(entry, titles, colours[_group(entry)])
        event["unique_id"] = f"entry-{i:03d}"
        events.append(event)
    heading = _timelinejs_title(entries, title)
    return {"title": {"text": {"headline": escape(heading), "text": escape(subtitle)}}, "events": events}


def write_timelinejs(path: str | Path, entries: Iterable[TimelineEntry], title: str | None = None,
                     subtitle: str = "Built automatically from news articles",
                     titles: Mapping[str, str] | None = None) -> Path:
    """Write ``timelinejs_document`` as JSON (load it with ``new TL.Timeline(id, url_or_object)``)."""
    return _write_text(path, dumps_json(timelinejs_document(entries, title, subtitle, titles)))


def _csv_date(d: dict) -> tuple[str, str, str]:
    return str(d["year"]), str(d.get("month", "")), str(d.get("day", ""))


def timelinejs_csv(entries: Iterable[TimelineEntry], title: str | None = None,
                   subtitle: str = "Built automatically from news articles",
                   titles: Mapping[str, str] | None = None) -> str:
    """The same timeline as rows of the TimelineJS spreadsheet template (``TIMELINEJS_CSV_COLUMNS``).

    The first row is the title slide (``Type`` = ``title``), then one row per entry, the same
    slides as the JSON export. Paste it into a copy of the template sheet, or give TimelineJS the
    CSV file's URL directly.
    """
    doc = timelinejs_document(entries, title, subtitle, titles)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(TIMELINEJS_CSV_COLUMNS)
    blank = dict.fromkeys(TIMELINEJS_CSV_COLUMNS, "")
    heading = doc["title"]["text"]
    writer.writerow({**blank, "Headline": heading["headline"], "Text": heading["text"], "Type": "title"}.values())
    for event in doc["events"]:
        row = dict(blank)
        row["Year"], row["Month"], row["Day"] = _csv_date(event["start_date"])
        if "end_date" in event:
            row["End Year"], row["End Month"], row["End Day"] = _csv_date(event["end_date"])
        row.update({"Display Date": event["display_date"], "Headline": event["text"]["headline"],
                    "Text": event["text"]["text"], "Group": event["group"],
                    "Background": event["background"]["color"]})
        writer.writerow(row.values())
    return buf.getvalue()


def write_timelinejs_csv(path: str | Path, entries: Iterable[TimelineEntry], title: str | None = None,
                         subtitle: str = "Built automatically from news articles",
                         titles: Mapping[str, str] | None = None) -> Path:
    """Write ``timelinejs_csv`` (UTF-8, ``\\n`` line endings)."""
    return _write_text(path, timelinejs_csv(entries, title, subtitle, titles))


# --------------------------------------------------------------------------- tilse

def tilse_blocks(entries: Iterable[TimelineEntry]) -> dict[date, list[str]]:
    """Summary sentences per day, as a tilse timeline holds them.

    tilse timelines are day-based: an entry of coarser granularity (week, month, season, year) or a
    range is filed under its first day. Entries without a summary contribute their first source
    sentence, so no dated entry is silently dropped. Dates come out in order; within a date, sentences
    keep the entries' order.
    """
    blocks: dict[date, list[str]] = defaultdict(list)
    for entry in chronological(entries):
        text = entry.summary or (entry.sources[0].sentence if entry.sources else "")
        text = " ".join(clean_text(text).split())  # one sentence per line: no embedded newlines
        if text:
            blocks[entry.start].append(text)
    return dict(sorted(blocks.items()))


def format_tilse(blocks: Mapping[date, Sequence[str]]) -> str:
    lines: list[str] = []
    for day in sorted(blocks):
        lines.append(day.isoformat())
        lines.extend(" ".join(s.split()) for s in blocks[day])
        lines.append(TILSE_SEPARATOR)
    return "\n".join(lines) + ("\n" if lines else "")


def write_tilse(path: str | Path, entries: Iterable[TimelineEntry]) -> Path:
    """The timeline in tilse's text format: a date line, its sentences, a dashed line; dates in order."""
    return _write_text(path, format_tilse(tilse_blocks(entries)))


def parse_tilse(text: str, *, source: str = "<text>") -> dict[date, list[str]]:
    """Parse tilse text; raises ValueError naming ``source`` and the line on malformed input."""
    result: dict[date, list[str]] = {}
    current: date | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if set(stripped) == {"-"} and len(stripped) >= 3:
            current = None
            continue
        if current is None:
            try:
                current = date.fromisoformat(stripped[:10])
            except ValueError:
                raise ValueError(f"{source}:{number}: expected a date line (YYYY-MM-DD), got {stripped[:40]!r}")
            result.setdefault(current, [])
            continue
        result[current].append(stripped)
    return dict(sorted(result.items()))


def read_tilse(path: str | Path) -> dict[date, list[str]]:
    """Read a tilse timeline file into ``{day: [sentence, ...]}`` with days in order."""
    path = Path(path)
    return parse_tilse(path.read_text(encoding="utf-8"), source=str(path))


# --------------------------------------------------------------------------- TimeML

# characters XML 1.0 cannot carry at all, not even as character references
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Escaped text; characters XML forbids become U+FFFD one for one, so offsets stay valid; CR is kept."""
    return escape(_XML_INVALID.sub("\ufffd", text)).replace("\r", "&#13;")  # parsers would drop a raw CR


def _dct_value(dct: date | ReferenceDate | None) -> date | None:
    if isinstance(dct, ReferenceDate):
        return dct.best
    return dct


def timeml_document(article: Article, timexes: Sequence[Timex], dct: date | ReferenceDate | None,
                    text: str | None = None) -> str:
    """A TimeML document (TempEval-3 layout) of the article's text with TIMEX3 tags inline.

    ``text`` defaults to ``article.body``, the text the pipeline tags; timex offsets must point into
    it. Raises ValueError (naming the article) if a timex does not match the text or overlaps another,
    rather than writing a file whose tags sit on the wrong words. Control characters that XML 1.0
    cannot represent are written as U+FFFD (one for one, so offsets still line up).
    """
    text = article.body if text is None else text
    day = _dct_value(dct)
    ordered = sorted(timexes, key=lambda t: (t.start, -t.end))
    parts: list[str] = []
    cursor = 0
    for i, t in enumerate(ordered, start=1):
        if not (0 <= t.start <= t.end <= len(text)) or text[t.start:t.end] != t.text:
            raise ValueError(f"{article.id}: timex {t.text!r} at {t.start}-{t.end} does not match the text")
        if t.start < cursor:
            raise ValueError(f"{article.id}: timex {t.text!r} at {t.start}-{t.end} overlaps the previous one")
        attrs = f'tid="t{i}" type={quoteattr(t.type)} value={quoteattr(t.value)}'
        if t.mod:
            attrs += f" mod={quoteattr(t.mod)}"
        parts.append(_xml_text(text[cursor:t.start]))
        parts.append(f"<TIMEX3 {attrs}>{_xml_text(t.text)}</TIMEX3>")
        cursor = t.end
    parts.append(_xml_text(text[cursor:]))
    if day is not None:
        dct_xml = (f'<TIMEX3 tid="t0" type="DATE" value="{day.isoformat()}" temporalFunction="false" '
                   f'functionInDocument="CREATION_TIME">{day.isoformat()}</TIMEX3>')
    else:
        dct_xml = ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<TimeML>\n"
        f"<DOCID>{_xml_text(article.id)}</DOCID>\n"
        f"<DCT>{dct_xml}</DCT>\n"
        f"<TEXT>{''.join(parts)}</TEXT>\n"
        "</TimeML>\n"
    )


def write_timeml(path: str | Path, article: Article, timexes: Sequence[Timex], dct: date | ReferenceDate | None,
                 text: str | None = None) -> Path:
    """One TimeML file for one article: its DCT and its TIMEX3 tags (tid, type, value, mod)."""
    return _write_text(path, timeml_document(article, timexes, dct, text))


# --------------------------------------------------------------------------- timexes.jsonl

def timex_record(article_id: str, t: Timex, raw_start: int | None = None, raw_end: int | None = None) -> dict:
    """JSON-ready view of one expression.

    ``start``/``end`` are offsets into the article's raw file when given (``raw_start``/``raw_end``),
    else the tagged text's offsets; ``body_start``/``body_end`` always hold the tagged text's offsets.
    """
    return {
        "article": article_id,
        "start": t.start if raw_start is None else raw_start,
        "end": t.end if raw_end is None else raw_end,
        "body_start": t.start,
        "body_end": t.end,
        "text": t.text,
        "type": t.type,
        "value": t.value,
        "mod": t.mod,
        "rule": t.rule,
        "first_day": _iso(t.first_day),
        "last_day": _iso(t.last_day),
        "granularity": t.granularity,
    }


def write_timexes_jsonl(path: str | Path, rows: Iterable[tuple]) -> Path:
    """One JSON object per line, in the order given.

    Each row is ``(article_id, timex)`` or ``(article_id, timex, raw_start, raw_end)``.
    """
    lines = []
    for row in rows:
        if len(row) not in (2, 4):
            raise ValueError(f"timex row must be (article, timex) or (article, timex, raw_start, raw_end): {row!r}")
        lines.append(json.dumps(timex_record(*row), ensure_ascii=False, sort_keys=True))
    return _write_text(path, "".join(line + "\n" for line in lines))


def write_context_json(path: str | Path, entries: Iterable[TimelineEntry]) -> Path:
    """The context list (background before the window, ``timeline.selection``) in date order."""
    return _write_text(path, dumps_json([entry_record(e) for e in chronological(entries)]))
