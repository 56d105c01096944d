"""Readers for each input shape: a folder of article files, a JSONL file, a CSV table, a DataFrame.

Every reader turns its input into :class:`Source` records (an article's text and metadata, before
cleaning) and reports everything it does not read: unreadable files and rows go to ``errors``,
skipped files and unusual choices to ``notices``, each naming the file (and line or column).

* Folder: ``.txt`` / ``.md`` files (extensions matched case-insensitively), ``.html`` pages (article
  text, headline and date extracted with trafilatura; nothing hand-stripped), and any ``.jsonl`` or
  article ``.csv`` inside it; ``metadata.csv`` adds dates and headlines to the files it names.
  Not read, and said so: folders, symlink loops, dangling symlinks, other extensions, hidden files,
  the outputs of an earlier run written into the same folder. Symlinks that lead outside the folder
  are refused.
* JSONL (the news-tls / TLS-dataset layout): one JSON object per line with its text and date under
  any common key (``text``/``content``/``body``, ``date``/``published``/``time``/``pubdate``/
  ``published_at``, ``title``/``headline``, ``id``/``url``, ``source``); ``.jsonl.gz`` too.
* CSV / TSV with a text column, same column names. * pandas DataFrame, same column names.
"""
from __future__ import annotations

import errno
import gzip
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..records import LoadError
from .decode import Decoded, decode_bytes, normalize_newlines
from .metadata import Metadata, column_order, csv_rows, field_aliases, file_key, input_rules, parse_date, \
    read_metadata_full, resolve_fields


@dataclass(frozen=True)
class Source:
    """One article as read, before cleaning. ``text`` is what offsets will point into."""

    id: str
    path: str
    text: str
    headline: str | None = None  # a given headline (metadata, JSON title, HTML title)
    published: date | None = None
    source: str | None = None
    url: str | None = None
    note: str | None = None


@dataclass
class Report:
    errors: list[LoadError] = field(default_factory=list)
    notices: list[LoadError] = field(default_factory=list)

    def error(self, where: str, problem: str) -> None:
        self.errors.append(LoadError(where, problem))

    def notice(self, where: str, problem: str) -> None:
        self.notices.append(LoadError(where, problem))


def read_file_text(path: str | Path) -> Decoded:
    """A text file's content through the shared decoder (``tag`` and ``load_corpus`` both use it)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return Decoded(None, f"cannot read file: {exc.strerror or exc}")
    return decode_bytes(data)


def _suffix(name: str) -> str:
    lower = name.lower()
    files = input_rules()["files"]
    for ext in sorted(files["text"] + files["html"] + files["jsonl"] + files["table"], key=len, reverse=True):
        if lower.endswith(ext):
            return ext
    return Path(lower).suffix


def kind_of(name: str) -> str | None:
    """'text', 'html', 'jsonl', 'table' or None for a file name (case-insensitive)."""
    ext = _suffix(name)
    files = input_rules()["files"]
    for kind in ("text", "html", "jsonl", "table"):
        if ext in files[kind]:
            return kind
    return None


def safe_id(value: str) -> str:
    """An article id usable as a file name: unchanged when already safe, else a slug plus a hash."""
    value = value.strip()
    if re.fullmatch(r"[\w.-]{1,100}", value) and not value.startswith("."):
        return value
    slug = re.sub(r"[^\w.-]+", "_", re.sub(r"^[a-z]+://", "", value)).strip("._")[:60]
    return f"{slug or 'article'}-{hashlib.sha1(value.encode('utf-8')).hexdigest()[:8]}"


# --------------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------------
def html_article(html: str, where: str) -> tuple[dict | None, str | None]:
    """Article text, title, date and URL of an HTML page, extracted with trafilatura.

    Date search is limited to the page's own metadata and markup (no guessing from the running
    text, no "latest possible date" that would depend on today's date), so the same page always
    gives the same result.
    """
    from ..extras import HTML_INSTALL, HTML_MODULES, require

    require(HTML_MODULES, f"reading HTML ({where})", HTML_INSTALL)
    import logging

    import trafilatura

    # trafilatura logs its own view of a page that yields nothing; the problem is reported here instead
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False,
        date_extraction_params={"original_date": True, "extensive_search": False, "max_date": "2999-12-31"},
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        return None, "no article text found in the HTML page (trafilatura extracted nothing)"
    # trafilatura puts one paragraph per line; plain-text articles separate paragraphs by a blank line,
    # and the parse (hence the events) reads both the same only when the text is laid out the same way.
    paragraphs = [line.strip() for line in normalize_newlines(text)[0].split("\n") if line.strip()]
    return {"text": "\n\n".join(paragraphs) + "\n", "title": doc.title, "date": doc.date, "url": doc.url}, None


# --------------------------------------------------------------------------------------------------
# Records (JSONL lines, CSV rows, DataFrame rows)
# --------------------------------------------------------------------------------------------------
def _text_value(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # a list of sentences / paragraphs
        parts = [v if isinstance(v, str) else (v.get("raw") or v.get("text")) if isinstance(v, dict) else None
                 for v in value]
        if parts and all(isinstance(p, str) for p in parts):
            return "\n".join(parts)
    return None


def _cell(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def read_records(records: Iterable[tuple[int, dict]], where: str, stem: str, report: Report,
                 *, unit: str = "line") -> list[Source]:
    """Articles from dict records numbered by line/row; each bad record reported, the rest read."""
    records = list(records)
    mappings: dict[tuple[str, ...], dict[str, str]] = {}
    noted: set[str] = set()

    def fields_of(record: dict) -> dict[str, str]:
        keys = tuple(str(k) for k in record)
        if keys not in mappings:
            mapping, notes = resolve_fields(keys, where)
            mappings[keys] = mapping
            for note in notes:
                if note not in noted:
                    noted.add(note)
                    report.notice(where, note.split(": ", 1)[1])
        return mappings[keys]

    # numeric day/month order is decided once per date column, over every record that has it
    by_date_key: dict[str, list[Any]] = {}
    for _, record in records:
        key = fields_of(record).get("published")
        if key is not None:
            by_date_key.setdefault(key, []).append(record.get(key))
    orders = {}
    for key, values in by_date_key.items():
        orders[key], note = column_order(values)
        if note:
            report.notice(where, f"{key!r}: {note}")
    out = []
    for number, record in records:
        mapping = fields_of(record)
        text_key = mapping.get("text")
        if text_key is None:
            report.error(where, f"{unit} {number}: no text field: looked for {', '.join(field_aliases('text'))} "
                                f"(found {', '.join(map(str, record)) or 'nothing'}); {unit} skipped")
            continue
        text = _text_value(record.get(text_key))
        if text is None or not text.strip():
            report.error(where, f"{unit} {number}: no article text in {text_key!r}; {unit} skipped")
            continue
        published = None
        date_key = mapping.get("published")
        if date_key is not None and record.get(date_key) is not None:
            try:
                published, note = parse_date(record.get(date_key), orders.get(date_key))
                if note:
                    report.notice(where, f"{unit} {number}: {date_key!r}: {note}")
            except ValueError as exc:
                report.error(where, f"{unit} {number}: {date_key!r}: {exc}; article kept without a date")

        def get(name: str) -> str | None:
            key = mapping.get(name)
            return _cell(record.get(key)) if key is not None else None

        given_id = get("id")
        url = get("url")
        article_id = safe_id(given_id) if given_id else safe_id(url) if url else f"{stem}-{number:04d}"
        out.append(Source(article_id, f"{where}:{number}", normalize_newlines(text)[0], get("headline"), published,
                          get("source"), url, get("note")))
    return out


def read_jsonl(path: Path, report: Report) -> list[Source]:
    where = str(path)
    try:
        data = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            data = gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        report.error(where, f"cannot read file: {getattr(exc, 'strerror', None) or exc}")
        return []
    decoded = decode_bytes(data)
    if decoded.text is None:
        report.error(where, decoded.problem or "unreadable")
        return []
    records = []
    for number, line in enumerate(decoded.text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            report.error(where, f"line {number}: not valid JSON ({exc.msg} at column {exc.colno}); line skipped")
            continue
        if not isinstance(record, dict):
            report.error(where, f"line {number}: a JSON {type(record).__name__}, not an object; line skipped")
            continue
        records.append((number, record))
    if not records:
        report.error(where, "no JSON objects in the file")
        return []
    stem = file_key(path.name.removesuffix(".gz").removesuffix(".GZ"))
    return read_records(records, where, Path(stem).stem, report)


def read_table(path: Path, report: Report, *, quiet_without_text: bool = False) -> list[Source] | None:
    """Articles of a CSV/TSV table with a text column; None when it has no text column."""
    where = str(path)
    decoded = read_file_text(path)
    if decoded.text is None:
        report.error(where, decoded.problem or "unreadable")
        return []
    delimiter = "\t" if path.name.lower().endswith(".tsv") else ","
    header, rows, errors = csv_rows(decoded.text, where, delimiter=delimiter)
    report.errors.extend(errors)
    if header is None:
        return []
    mapping, _ = resolve_fields(header, where, fields=("text",))
    if "text" not in mapping:
        if not quiet_without_text:
            report.error(where, f"no text column: looked for {', '.join(field_aliases('text'))} "
                                f"(found {', '.join(header)}); nothing read")
        return None
    records = []
    for row in rows:
        if len(row.cells) != len(header):
            report.error(where, f"line {row.line}: expected {len(header)} columns, got {len(row.cells)}; row skipped")
            continue
        if all(not c.strip() for c in row.cells):
            continue
        records.append((row.line, dict(zip(header, row.cells))))
    return read_records(records, where, Path(path.name).stem, report)


def read_dataframe(frame: Any, report: Report) -> list[Source]:
    """Articles of a pandas DataFrame (one row per article, same column names as the other tables)."""
    columns = [str(c) for c in frame.columns]
    records = []
    use_index = not type(frame.index).__name__ == "RangeIndex"
    for position, (index, row) in enumerate(frame.iterrows(), start=1):
        record = {str(k): v for k, v in row.items()}
        if use_index and not any(a in [c.lower() for c in columns] for a in field_aliases("id")):
            record.setdefault("id", str(index))
        records.append((position, record))
    return read_records(records, "<DataFrame>", "row", report, unit="row")


# --------------------------------------------------------------------------------------------------
# Folder
# --------------------------------------------------------------------------------------------------
def _symlink_problem(entry: Path, root: Path) -> tuple[str | None, str | None]:
    """(error, notice) for a symlink: refused when it leaves the folder, skipped when broken."""
    try:
        os.stat(entry)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "skipped: symlink loop"
        return None, f"skipped: dangling symlink (points to {os.readlink(entry)!r}, which does not exist)"
    target = entry.resolve()
    if target != root and root not in target.parents:
        return (f"refused: symlink to {target}, outside the corpus folder {root}; copy the file into the "
                "folder to use it"), None
    return None, None


def read_article_file(path: Path, kind: str, report: Report, row: Metadata | None = None) -> Source | None:
    """One ``.txt`` / ``.md`` / ``.html`` article file, with its ``metadata.csv`` row if any."""
    where = str(path)
    decoded = read_file_text(path)
    if decoded.text is None:
        report.error(where, decoded.problem or "unreadable")
        return None
    for note in decoded.notes:
        report.notice(where, note)
    article_id = file_key(path.name)
    text, headline, published, url = decoded.text, None, None, None
    if kind == "html":
        page, problem = html_article(decoded.text, where)
        if page is None:
            report.error(where, problem or "no article text")
            return None
        text, headline, url = page["text"], page["title"], page["url"]
        if page["date"]:
            try:
                published, _ = parse_date(page["date"])
            except ValueError as exc:
                report.notice(where, f"the page's date {exc}; not used")
        if row is not None and row.published and published and row.published != published:
            report.notice(where, f"metadata.csv line {row.line} gives {row.published}, the page's own metadata "
                                 f"{published}; metadata.csv is used")
    if row is not None:
        headline = row.headline or headline
        published = row.published or published
        url = row.url or url
    return Source(article_id, where, text, headline, published, row.source if row else None, url,
                  row.note if row else None)


def folder_metadata(folder: Path, report: Report) -> tuple[dict[str, Metadata], Path]:
    """The ``metadata.csv`` rows of ``folder`` (empty when it has none) and the path it is read from."""
    rules = input_rules()["files"]
    meta: dict[str, Metadata] = {}
    meta_path = folder / rules["metadata"]
    meta_entry = next((p for p in sorted(folder.iterdir(), key=lambda p: p.name)
                       if p.name.lower() == rules["metadata"]), None)
    if meta_entry is not None and meta_entry.is_file():
        meta_path = meta_entry
        meta, errors, notices = read_metadata_full(meta_entry)
        report.errors.extend(errors)
        report.notices.extend(notices)
    return meta, meta_path


def iter_folder(folder: Path, report: Report, meta: dict[str, Metadata], meta_path: Path) -> Iterator[Source]:
    """The article files of ``folder`` (not its subfolders) one at a time, in name order, with their
    ``metadata.csv`` rows applied: only one file's text is read at a time (a ``.jsonl`` or ``.csv``
    file is read whole)."""
    rules = input_rules()["files"]
    root = folder.resolve()
    entries = sorted(folder.iterdir(), key=lambda p: p.name)
    outputs_here = any((folder / n).is_file() for n in rules["output_signature"])
    for entry in entries:
        name, where = entry.name, str(entry)
        if entry == meta_path or name in rules.get("companions", ()):
            continue
        if outputs_here and (name in rules["outputs"] or name in rules["output_folders"]):
            report.notice(where, "skipped: written by an earlier timeline run into this folder (not an article)")
            continue
        if entry.is_symlink():
            error, notice = _symlink_problem(entry, root)
            if error:
                report.error(where, error)
                continue
            if notice:
                report.notice(where, notice)
                continue
        kind = kind_of(name)
        if entry.is_dir():
            what = f"a folder named like a {kind} file" if kind else "a folder"
            report.notice(where, f"skipped: {what} (subfolders are not read; give the folder itself to read it)")
            continue
        if not entry.is_file():
            report.notice(where, "skipped: not a regular file")
            continue
        if name.startswith("."):
            report.notice(where, "skipped: hidden file")
            continue
        if kind is None:
            report.notice(where, f"skipped: {Path(name).suffix or 'no extension'} is not an article format "
                                 "(.txt, .md, .html, .jsonl, .csv; any letter case)")
            continue
        if kind == "jsonl":
            yield from read_jsonl(entry, report)
            continue
        if kind == "table":
            found = read_table(entry, report)
            if found is not None:
                yield from found
            continue
        found = read_article_file(entry, kind, report, meta.get(file_key(name)))
        if found is not None:
            yield found


def read_folder(folder: Path, report: Report) -> tuple[list[Source], dict[str, Metadata], Path | None]:
    """Every article file of ``folder`` (not its subfolders), with ``metadata.csv`` rows applied."""
    meta, meta_path = folder_metadata(folder, report)
    sources = list(iter_folder(folder, report, meta, meta_path))
    return sources, meta, meta_path if meta else None
