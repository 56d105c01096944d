"""Articles read one at a time: the streaming side of ``load_corpus``.

``SourceStream(source)`` yields the :class:`~timeline.corpus.readers.Source` records of a folder, a
``.jsonl`` / ``.csv`` / article file or a DataFrame in reading order, each id once, without holding
the others: a folder's files are read one by one (a ``.jsonl`` or ``.csv`` file whole, since its
day/month order is decided over all its dates). ``finish()`` then gives the load problems in the
order ``load_corpus`` reports them: the readers' own, then ``metadata.csv`` rows naming no file,
then repeated ids. ``load_corpus`` is this stream, cleaned and sorted by id.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from ..records import LoadError
from .readers import Report, Source, folder_metadata, iter_folder, kind_of, read_dataframe, read_jsonl, read_table

LOOKED_FOR = (".txt / .md / .html files (any letter case), .jsonl files with one article per line, "
              ".csv tables with a text column")


def is_dataframe(source: Any) -> bool:
    return hasattr(source, "columns") and hasattr(source, "iterrows")


class SourceStream:
    """One pass over the articles of ``source``; a missing path or an unknown file kind raises at once."""

    def __init__(self, source: str | Path | Any):
        self.report = Report()
        self._meta: dict = {}
        self._meta_path: Path | None = None
        self._seen: dict[str, str] = {}  # id -> path of the first article with it
        self._repeated: list[LoadError] = []
        self._used = False
        self.folder: Path | None = None  # the folder the articles' companion files (places.toml) are in
        if is_dataframe(source):
            self.where = "the DataFrame"
            self._read = lambda: iter(read_dataframe(source, self.report))
            return
        path = Path(source)
        self.where = str(path)
        if not path.exists():
            raise FileNotFoundError(f"corpus not found: {path} (give a folder of articles, a .jsonl or .csv file)")
        if path.is_dir():
            self._meta, self._meta_path = folder_metadata(path, self.report)
            self._read = lambda: iter_folder(path, self.report, self._meta, self._meta_path)
            return
        kind = kind_of(path.name)
        if kind == "jsonl":
            self._read = lambda: iter(read_jsonl(path, self.report))
        elif kind == "table":
            self._read = lambda: iter(read_table(path, self.report) or [])
        elif kind in ("text", "html"):
            from .readers import read_article_file

            self._read = lambda: iter(filter(None, [read_article_file(path, kind, self.report)]))
        else:
            raise NotADirectoryError(f"corpus path is neither a folder nor an article file: {path} "
                                     f"(looked for {LOOKED_FOR})")

    def __iter__(self) -> Iterator[Source]:
        if self._used:
            raise RuntimeError("a SourceStream is read once; open a new one to read the corpus again")
        self._used = True
        for src in self._read():
            first = self._seen.get(src.id)
            if first is not None:
                self._repeated.append(LoadError(src.path, f"a second article with id {src.id!r} (first: {first}); "
                                                          "skipped"))
                continue
            self._seen[src.id] = src.path
            yield src

    def finish(self) -> tuple[tuple[LoadError, ...], tuple[LoadError, ...]]:
        """(errors, notices) of the whole pass; call after the stream is exhausted."""
        errors = list(self.report.errors)
        if self._meta:
            for key, row in sorted(self._meta.items(), key=lambda kv: kv[1].line):
                if key not in self._seen:
                    errors.append(LoadError(str(self._meta_path), f"line {row.line}: names {row.file!r}, but there "
                                            f"is no article file {key}.* in {Path(str(self._meta_path)).parent}"))
        return tuple(errors + self._repeated), tuple(self.report.notices)
