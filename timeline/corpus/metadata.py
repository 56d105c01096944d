"""Metadata of articles: column names by their common spellings, dates in any common format.

Where the metadata comes from: ``metadata.csv`` beside ``.txt`` / ``.md`` / ``.html`` files, the
keys of a JSONL line, the columns of an article CSV or a pandas DataFrame. Field names are matched
case-insensitively against the aliases in ``resources/corpus_input.toml`` (``published``, ``date``,
``published_at``, ``pubdate``, ``time``, ``datetime`` ... for the date).

Dates: ISO dates and datetimes are read directly; anything else ("12/13/2008", "Feb 12, 2015",
"12 February 2015 14:03 GMT") with ``dateparser``. Relative words ("yesterday") are refused:
metadata has no reference date of its own. Numeric day/month order is decided once per column:
a value like 13/12/2008 settles day-first, 12/13/2008 month-first; when no value settles it the
column is read month-first and that choice is reported with the file and column. Years outside
1000-2999 are refused per row. Every unusual choice becomes a notice naming file, line and column.
"""
from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..records import LoadError

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
METADATA_NAME = "metadata.csv"
METADATA_COLUMNS = ("file", "published", "source", "headline", "note")


@cache
def input_rules() -> dict:
    """``resources/corpus_input.toml``: field aliases, file extensions, output names, date limits."""
    with open(RESOURCES / "corpus_input.toml", "rb") as fh:
        return tomllib.load(fh)


def field_aliases(name: str) -> tuple[str, ...]:
    return tuple(input_rules()["fields"][name])


# --------------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------------
def resolve_fields(columns: Sequence[str], where: str, *, fields: Iterable[str] | None = None
                   ) -> tuple[dict[str, str], list[str]]:
    """Which of ``columns`` holds each field: ({field: column as written}, notices).

    The first alias present wins; other aliases of the same field present too are reported (their
    values are kept in ``extra`` by the readers that keep extras, never silently merged).
    """
    lowered = {}
    for c in columns:
        lowered.setdefault(str(c).strip().lower(), c)
    mapping: dict[str, str] = {}
    notices: list[str] = []
    for field in fields or input_rules()["fields"]:
        present = [lowered[a] for a in field_aliases(field) if a in lowered]
        if not present:
            continue
        mapping[field] = present[0]
        if len(present) > 1 and field in ("text", "published", "headline"):
            notices.append(f"{where}: {field} read from column {present[0]!r}; "
                           f"also present and not used for it: {', '.join(repr(p) for p in present[1:])}")
    return mapping, notices


# --------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?")
_NUMERIC = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_RELATIVE = re.compile(r"(?i)\b(ago|yesterday|today|tomorrow|tonight|last|next|this|now|week|hour|minute)s?\b")


def column_order(values: Iterable[Any]) -> tuple[str, str | None]:
    """Day/month order of a column's numeric dates, and a note when no value settles it."""
    first_big = second_big = ambiguous = 0
    example = None
    for value in values:
        if not isinstance(value, str):
            continue
        m = _NUMERIC.match(value)
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            first_big += 1
        elif b > 12 >= a:
            second_big += 1
        elif a != b:
            ambiguous += 1
            example = example or value.strip()
    default = input_rules()["dates"]["default_order"]
    if first_big and not second_big:
        order = "DMY"
    elif second_big and not first_big:
        order = "MDY"
    else:
        order = default
    note = None
    if first_big and second_big:
        note = (f"numeric dates in both orders ({second_big} month-first like 12/13, {first_big} day-first like "
                f"13/12); ambiguous ones read {_order_words(order)}")
    elif ambiguous and not (first_big or second_big):
        note = (f"{ambiguous} numeric date(s) such as {example!r} could be day- or month-first and no value "
                f"settles it; read {_order_words(order)} — write YYYY-MM-DD to be sure")
    return order, note


def _order_words(order: str) -> str:
    return {"MDY": "month/day/year", "DMY": "day/month/year", "YMD": "year/month/day"}[order]


def _check_year(day: date, text: str) -> date:
    rules = input_rules()["dates"]
    if not rules["min_year"] <= day.year <= rules["max_year"]:
        raise ValueError(f"{text!r}: year {day.year} is outside {rules['min_year']}-{rules['max_year']}; "
                         "write the date as YYYY-MM-DD")
    return day


def parse_date(value: Any, order: str | None = None) -> tuple[date | None, str | None]:
    """A metadata date: (date or None for an empty cell, note on an unusual reading).

    Accepts ``date`` / ``datetime`` / pandas ``Timestamp`` objects, ISO text, and any other common
    written form through ``dateparser``. Raises ValueError saying what is wrong.
    """
    if value is None:
        return None, None
    if isinstance(value, float) and value != value:  # NaN from pandas
        return None, None
    if isinstance(value, datetime):
        if getattr(value, "year", None) is None or str(value) == "NaT":
            return None, None
        return _check_year(value.date(), str(value)), None
    if isinstance(value, date):
        return _check_year(value, str(value)), None
    if str(type(value).__name__) == "NaTType":
        return None, None
    text = str(value).strip()
    if not text:
        return None, None
    m = _ISO.fullmatch(text)
    if m:
        try:
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a valid calendar date ({exc})") from None
        note = None
        if m.group(6) and m.group(6) not in ("Z", "UTC", "GMT", "+00:00", "+0000", "-00:00"):
            note = f"{text!r}: the date as written is used (the time zone {m.group(6)} is not converted)"
        return _check_year(day, text), note
    if _RELATIVE.search(text) or not re.search(r"\d", text):
        raise ValueError(f"{text!r} is not a date (a metadata date must name its day, e.g. YYYY-MM-DD)")
    numeric = _NUMERIC.match(text)
    note = None
    order = order or input_rules()["dates"]["default_order"]
    if numeric and len(numeric.group(3)) == 2:
        note = f"{text!r}: two-digit year read by dateparser"
    elif not _YEAR.search(text):
        raise ValueError(f"{text!r} has no four-digit year (write it as YYYY-MM-DD)")
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={
        "DATE_ORDER": order, "REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True,
    })
    if parsed is None:
        raise ValueError(f"{text!r} is not a date dateparser can read (write it as YYYY-MM-DD)")
    return _check_year(parsed.date(), text), note


def parse_published(text: str) -> date:
    """A metadata date in any common form (see :func:`parse_date`); ValueError says what is wrong."""
    try:
        day, _ = parse_date(text)
    except ValueError as exc:
        raise ValueError(f"published {exc}") from None
    if day is None:
        raise ValueError("published date is empty")
    return day


# --------------------------------------------------------------------------------------------------
# CSV reading that never loses a row silently
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CsvRow:
    first_line: int  # physical line the row starts on (header = 1)
    line: int  # physical line it ends on
    cells: list[str]


def csv_rows(text: str, where: str, *, delimiter: str = ",") -> tuple[list[str] | None, list[CsvRow], list[LoadError]]:
    """Header, rows and errors of a CSV text. A quote left open swallows the lines after it: each
    swallowed line is reported with its number, so no row disappears without a word."""
    errors: list[LoadError] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return None, [], [LoadError(where, "file is empty (no header row)")]
    except csv.Error as exc:
        return None, [], [LoadError(where, f"line 1: unreadable header ({exc})")]
    width = len(header)
    rows: list[CsvRow] = []
    last_line = reader.line_num
    try:  # does a quoted field run into the end of the file? (the strict reader says so exactly)
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
        open_at_end = False
    except csv.Error as exc:
        open_at_end = "unexpected end of data" in str(exc)
    total_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(LoadError(where, f"line {reader.line_num}: unreadable row ({exc}); row skipped"))
            last_line = reader.line_num
            continue
        first, line = last_line + 1, reader.line_num
        last_line = line
        swallowing = [c for c in cells if "\n" in c and sum(
            part.count(delimiter) >= max(1, width - 1) for part in c.split("\n")[1:])]
        if line > first and swallowing and (len(cells) != width or (open_at_end and line >= total_lines)):
            lost = [part for part in swallowing[0].split("\n")[1:] if part.strip()]
            errors.append(LoadError(where, f"line {first}: a quote opened in this row is never closed, so it "
                                           f"swallows lines {first + 1}-{line}; this row and the {len(lost)} "
                                           "row(s) after it are not read — close the quote"))
            for offset, part in enumerate(swallowing[0].split("\n")[1:], start=1):
                if part.strip():
                    errors.append(LoadError(where, f"line {first + offset}: lost inside the unclosed quote of "
                                                   f"line {first} ({part.split(delimiter)[0]!r}); row not read"))
            continue
        rows.append(CsvRow(first, line, cells))
    return header, rows, errors


# --------------------------------------------------------------------------------------------------
# metadata.csv
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Metadata:
    """One row of ``metadata.csv``. Empty cells are None; unknown columns are kept in ``extra``."""

    file: str  # as written in the CSV
    line: int  # line of the CSV file the row ends on (header = line 1)
    published: date | None
    source: str | None
    headline: str | None
    note: str | None
    extra: tuple[tuple[str, str], ...] = ()
    url: str | None = None


def file_key(name: str) -> str:
    """The article id a metadata ``file`` cell names: the file name without its article extension."""
    lower = name.lower()
    files = input_rules()["files"]
    for ext in sorted(files["text"] + files["html"], key=len, reverse=True):
        if lower.endswith(ext):
            return name[: -len(ext)]
    return name


def read_metadata_full(path: str | Path) -> tuple[dict[str, Metadata], list[LoadError], list[LoadError]]:
    """``metadata.csv``: rows keyed by article id, errors, and notices (unusual choices)."""
    from .decode import decode_bytes

    path = Path(path)
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return {}, [LoadError(where, f"cannot read metadata: {exc.strerror or exc}")], []
    decoded = decode_bytes(data)
    if decoded.text is None:
        return {}, [LoadError(where, f"metadata unreadable: {decoded.problem}; no metadata used")], []
    notices = [LoadError(where, n) for n in decoded.notes]
    header, rows_in, errors = csv_rows(decoded.text, where)
    if header is None:
        return {}, [LoadError(where, e.problem + "; no metadata used") for e in errors], notices
    columns = [c.strip().lower() for c in header]
    mapping, column_notes = resolve_fields(columns, f"line 1", fields=("published", "headline", "url", "source", "note"))
    notices += [LoadError(where, n) for n in column_notes]
    file_col = next((c for c in ("file", "filename") if c in columns), None)
    if file_col is None:
        return {}, [LoadError(where, f"line 1: header has no 'file' column (found {', '.join(columns)}); "
                                     "no metadata used")], notices
    index = {name: columns.index(name) for name in set(columns)}
    date_col = mapping.get("published")
    order = "MDY"
    if date_col is not None:
        order, note = column_order(r.cells[index[date_col]] for r in rows_in if len(r.cells) == len(columns))
        if note:
            notices.append(LoadError(where, f"column {date_col!r}: {note}"))
    rows: dict[str, Metadata] = {}
    for row in rows_in:
        cells, line = row.cells, row.line
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(columns):
            errors.append(LoadError(where, f"line {line}: expected {len(columns)} columns "
                                           f"({', '.join(columns)}), got {len(cells)}; row skipped"))
            continue

        def cell(name: str | None) -> str | None:
            value = cells[index[name]].strip() if name in index else ""
            return value or None

        name = cell(file_col)
        if name is None:
            errors.append(LoadError(where, f"line {line}: no file name; row skipped"))
            continue
        if "/" in name or "\\" in name:
            errors.append(LoadError(where, f"line {line}: file {name!r} must be a plain file name in the "
                                           "corpus folder; row skipped"))
            continue
        key = file_key(name)
        if key in rows:
            errors.append(LoadError(where, f"line {line}: second row for {name!r} (first at line "
                                           f"{rows[key].line}); row skipped"))
            continue
        published = None
        raw_date = cell(date_col)
        if raw_date is not None:
            try:
                published, note = parse_date(raw_date, order)
                if note:
                    notices.append(LoadError(where, f"line {line}: column {date_col!r}: {note}"))
            except ValueError as exc:
                errors.append(LoadError(where, f"line {line}: {name}: {date_col} {exc}; article kept without a date"))
        extra = tuple((c, cells[i]) for i, c in enumerate(columns) if c not in METADATA_COLUMNS and c != file_col)
        rows[key] = Metadata(name, line, published, cell(mapping.get("source")), cell(mapping.get("headline")),
                             cell(mapping.get("note")), extra, cell(mapping.get("url")))
    return rows, errors, notices


def read_metadata(path: str | Path) -> tuple[dict[str, Metadata], tuple[LoadError, ...]]:
    """Read ``metadata.csv``: rows keyed by article id (file stem) and the problems found.

    Columns ``file`` (required) and the date, headline, source, url and note columns under any of
    their common names; extra columns are kept. A row with the wrong number of cells or no file
    name is skipped with an error; a row whose date is invalid is kept with ``published=None`` plus
    an error, so nothing else is lost. Unusual choices (see :func:`read_metadata_full`) are not errors.
    """
    rows, errors, _ = read_metadata_full(path)
    return rows, tuple(errors)
