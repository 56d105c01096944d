"""Per-article stages one partition at a time, their results kept as Parquet so a rerun resumes.

A partition is a run of consecutive articles of the stream (``corpus.SourceStream``), as read.
``run_partition`` cleans them and runs the per-article stages of ``pipeline.event_stages`` (reference
date, temporal expressions, parse, events) and the embedding of each article's dated clauses
(``embeddings.article_vectors``) on them; it is what a Dask task executes, on any worker, and
returns plain rows (one per article, each record as JSON, the vectors as float32 bytes) that the
driver writes into
``<workdir>/partitions/<key>.parquet``. The key is a hash of the partition's articles as read, of
what else the stages read (the corpus's ``places.toml``) and of the code and models that compute
them (``code_fingerprint``), so a partition whose input, settings or code changed is never reused:
a changed article invalidates only its own partition.

Records are stored as JSON with type tags (``to_json`` / ``from_json``), so ``Article``,
``ReferenceDate``, ``Timex`` and ``Event`` come back equal, tuples as tuples and dates as dates.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Sequence

from .publish import atomic_write_bytes
from .records import Article, Event, Evidence, Offsets, ReferenceDate, Span, Timex

#: Bump when what a partition file holds changes: older files are then ignored.
PARTITION_FORMAT = 2
PARTITIONS_FOLDER = "partitions"
COLUMNS = ("id", "article", "refdate", "timexes", "events", "vector_texts", "vectors")
#: columns of raw bytes (the rest are JSON text): the article's clause vectors, float32 little-endian
BINARY_COLUMNS = ("vectors",)
_RECORDS = {cls.__name__: cls for cls in (Article, Span, ReferenceDate, Evidence, Timex, Event)}


# --------------------------------------------------------------------------- records as JSON

def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _RECORDS.get(name) is not type(value):
            raise TypeError(f"not a stored record type: {type(value)!r}")
        out: dict[str, Any] = {"~record": name}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if name == "Article" and f.name == "offsets":
                out[f.name] = {"~runs": item.runs()}
            else:
                out[f.name] = _encode(item)
        return out
    if isinstance(value, datetime):
        return {"~datetime": value.isoformat()}
    if isinstance(value, date):
        return {"~date": value.isoformat()}
    if isinstance(value, tuple):
        return {"~tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"~dict": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in a partition")


def _decode(value: Any, memo: dict | None = None) -> Any:
    if isinstance(value, str):
        return value if memo is None else memo.setdefault(value, value)
    if isinstance(value, list):
        return [_decode(v, memo) for v in value]
    if not isinstance(value, dict):
        return value
    if "~record" in value:
        cls = _RECORDS[value["~record"]]
        kwargs = {}
        for key, item in value.items():
            if key == "~record":
                continue
            if isinstance(item, dict) and "~runs" in item:
                kwargs[key] = Offsets.from_runs(item["~runs"])
            else:
                kwargs[key] = _decode(item, memo)
        return cls(**kwargs)
    if "~date" in value:
        return date.fromisoformat(value["~date"])
    if "~datetime" in value:
        return datetime.fromisoformat(value["~datetime"])
    if "~tuple" in value:
        items = tuple(_decode(v, memo) for v in value["~tuple"])
        if memo is not None and items and all(type(i) is str or type(i) is tuple for i in items):
            return memo.setdefault(items, items)  # a sentence's word kinds, shared by its events
        return items
    if "~dict" in value:
        return {_decode(k, memo): _decode(v, memo) for k, v in value["~dict"]}
    raise ValueError(f"unknown stored value: {sorted(value)}")


def to_json(value: Any) -> str:
    """A record (or a tuple / list / dict of records) as JSON text that ``from_json`` reads back equal."""
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"))


def from_json(text: str, memo: dict | None = None) -> Any:
    """The value ``to_json`` wrote. With ``memo`` (one dict for a whole run), equal strings and
    tuples of strings come back as one object each: the events of a sentence repeat its text and
    its words' kinds, which would otherwise cost the driver a copy per event (about two thirds of
    an event's memory)."""
    return _decode(json.loads(text), memo)


# --------------------------------------------------------------------------- keys

@cache
def code_fingerprint() -> str:
    """Hash of the package's code and rule tables, of the parser's version and of the embedder's
    package and settings: what computes a partition."""
    from importlib import metadata

    from . import __version__, models

    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"timeline={__version__}|format={PARTITION_FORMAT}".encode())
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".toml") and p.is_file()):
        digest.update(b"\x1e" + str(path.relative_to(root)).encode() + b"\x1f" + path.read_bytes())
    try:
        spacy_version = metadata.version("spacy")
    except metadata.PackageNotFoundError:
        spacy_version = "none"
    digest.update(f"|spacy={spacy_version}|{' '.join(models.requirements('spacy'))}".encode())
    from .embeddings import MAX_TOKENS, MODEL_NAME, VECTORS_VERSION

    digest.update(f"|{' '.join(models.requirements(MODEL_NAME))}|{MAX_TOKENS}|v{VECTORS_VERSION}".encode())
    return digest.hexdigest()


def settings_fingerprint(table) -> str:
    """Hash of what the per-article stages read besides the articles: the place alias table's file."""
    path = getattr(table, "path", "") or ""
    data = Path(path).read_bytes() if path and Path(path).is_file() else b""
    return hashlib.sha256(f"places={path}|".encode() + data).hexdigest()


def partition_key(sources: Sequence, settings: str) -> str:
    """The partition's name: its articles as read (every field), the settings and the code."""
    digest = hashlib.sha256(f"{code_fingerprint()}|{settings}".encode())
    for src in sources:
        for f in dataclasses.fields(src):
            value = getattr(src, f.name)
            digest.update(b"\x1e" + (b"\x00" if value is None else str(value).encode("utf-8", "surrogatepass")))
    return digest.hexdigest()[:40]


# --------------------------------------------------------------------------- the task

def run_partition(sources: Sequence, table) -> list[dict[str, str]]:
    """The per-article stages of ``sources`` (one partition), as rows of JSON text (see ``COLUMNS``).

    Runs on a Dask worker: the spaCy pipeline and the embedder are loaded once per worker process
    (``nlp.load_pipeline`` and ``embeddings.load_embedder`` are process-wide caches), never per
    task. The clause vectors are computed here, article by article, so the workers carry the
    embedding and the driver only looks them up; the partition file keeps them (no vector cache).
    """
    import numpy as np

    from .corpus import Corpus, build_article
    from .embeddings import article_vectors
    from .pipeline import event_stages

    articles = tuple(build_article(src) for src in sources)
    stages = event_stages(Corpus(articles), table=table)
    by_article: dict[str, list[Event]] = {a.id: [] for a in articles}
    for event in stages.events:
        by_article[event.article].append(event)
    rows = []
    for a in articles:
        texts, vectors = article_vectors(by_article[a.id], cache=False)
        rows.append({
            "id": a.id,
            "article": to_json(a),
            "refdate": to_json(stages.refdates[a.id]),
            "timexes": to_json(tuple(stages.timexes[a.id])),
            "events": to_json(tuple(by_article[a.id])),
            "vector_texts": json.dumps(texts, ensure_ascii=False),
            "vectors": np.ascontiguousarray(vectors, dtype="<f4").tobytes(),
        })
    return rows


# --------------------------------------------------------------------------- Parquet

def partition_path(workdir: Path, key: str) -> Path:
    return Path(workdir) / PARTITIONS_FOLDER / f"{key}.parquet"


def write_partition(workdir: Path, key: str, rows: list[dict[str, str]]) -> Path:
    """Write one partition's rows as Parquet, atomically (a killed run leaves no truncated file)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = partition_path(workdir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.table({c: pa.array([r[c] for r in rows], type=pa.binary() if c in BINARY_COLUMNS else pa.string())
                      for c in COLUMNS},
                     metadata={b"timeline-partition": key.encode(), b"articles": str(len(rows)).encode()})
    buffer = pa.BufferOutputStream()
    pq.write_table(table, buffer, compression="zstd")
    return atomic_write_bytes(path, buffer.getvalue().to_pybytes())


def read_partition(workdir: Path, key: str, expected: int | None = None) -> list[dict[str, str]] | None:
    """The rows of a partition written earlier; None when absent, damaged or not the expected size."""
    import pyarrow.parquet as pq

    path = partition_path(workdir, key)
    if not path.is_file():
        return None
    try:
        table = pq.read_table(path)
        meta = table.schema.metadata or {}
        if meta.get(b"timeline-partition") != key.encode() or tuple(table.column_names) != COLUMNS:
            return None
        rows = table.to_pylist()
    except Exception:  # noqa: BLE001 - any damage (truncated, foreign file) means: compute it again
        return None
    if expected is not None and len(rows) != expected:
        return None
    return rows


def has_partition(workdir: Path, key: str, expected: int) -> bool:
    """A complete partition file is there (its footer is read, not its rows)."""
    import pyarrow.parquet as pq

    path = partition_path(workdir, key)
    if not path.is_file():
        return False
    try:
        meta = pq.read_metadata(path)
    except Exception:  # noqa: BLE001
        return False
    kv = meta.metadata or {}
    return kv.get(b"timeline-partition") == key.encode() and meta.num_rows == expected


_PARTITION_FILE = re.compile(r"[0-9a-f]{40}\.parquet")
_LEFTOVER_FILE = re.compile(r"\.[0-9a-f]{40}\.parquet\..*\.tmp")  # a write cut off by a kill


def prune_partitions(workdir: Path, keep: set[str]) -> int:
    """Remove the partition files of ``workdir`` whose key is not in ``keep`` (and writes left
    unfinished by a killed run); returns how many files went.

    Called after a run has read all its partitions: what it did not use belongs to an older version
    of an article, of the settings or of the code, and would never be read again. Files that are not
    partitions are left alone, so a workdir that holds something else loses nothing of it.
    """
    folder = Path(workdir) / PARTITIONS_FOLDER
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.iterdir():
        stale = _PARTITION_FILE.fullmatch(path.name) and path.name[:-len(".parquet")] not in keep
        if (stale or _LEFTOVER_FILE.fullmatch(path.name)) and path.is_file():
            try:
                path.unlink()
                removed += 1
            except OSError:
                pass
    return removed


def decode_rows(rows: list[dict[str, str]], memo: dict | None = None) \
        -> list[tuple[Article, ReferenceDate, tuple[Timex, ...], tuple[Event, ...]]]:
    """The records of a partition's rows, in row order (``memo``: see ``from_json``)."""
    return [(from_json(r["article"], memo), from_json(r["refdate"], memo), from_json(r["timexes"], memo),
             from_json(r["events"], memo)) for r in rows]


def decode_vectors(rows: list[dict]) -> dict[str, tuple[list[str], Any]]:
    """Each article's clause texts and their vectors (a float32 array, one row per text)."""
    import numpy as np

    out = {}
    for r in rows:
        texts = json.loads(r["vector_texts"])
        flat = np.frombuffer(r["vectors"], dtype="<f4")
        out[r["id"]] = (texts, flat.reshape(len(texts), -1) if texts else np.zeros((0, 0), dtype=np.float32))
    return out
