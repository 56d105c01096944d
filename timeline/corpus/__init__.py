"""The corpus stage: articles in whatever shape they come, cleaned without losing a word.

``load_corpus(source)`` accepts a folder of ``.txt`` / ``.md`` / ``.html`` files (with an optional
``metadata.csv``), a ``.jsonl`` file (one article per line: the news-tls / TLS-dataset layout), a
``.csv`` / ``.tsv`` table with a text column, a single article file, or a pandas DataFrame. See
:mod:`timeline.corpus.readers` for what each reader accepts, :mod:`timeline.corpus.metadata` for
column names and dates, :mod:`timeline.corpus.decode` for the shared text decoder and
:mod:`timeline.corpus.cleaning` for boilerplate, headline and caption handling.

Bad input never stops a batch: each problem becomes a :class:`~timeline.records.LoadError` in
``Corpus.errors`` naming the file (and line or column) and what is wrong; files and rows not read on
purpose and unusual choices (a date order, an encoding) are in ``Corpus.notices``. An input with
no article at all raises :class:`NoArticles`, saying what was looked for and what was found.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..records import Article, LoadError
from .cleaning import Cleaned, clean_text
from .decode import Decoded, decode_bytes
from .metadata import METADATA_COLUMNS, METADATA_NAME, Metadata, parse_date, parse_published, read_metadata
from .readers import Source, read_file_text
from .stream import LOOKED_FOR, SourceStream

__all__ = [
    "Cleaned", "Corpus", "Decoded", "METADATA_COLUMNS", "METADATA_NAME", "Metadata", "NoArticles", "Source",
    "build_article", "clean_text", "decode_bytes", "load_corpus", "parse_date", "parse_published",
    "read_file_text", "read_metadata", "SourceStream",
]



@dataclass(frozen=True)
class Corpus:
    """The loaded articles (sorted by id), the problems met while loading, and what was skipped."""

    articles: tuple[Article, ...]
    errors: tuple[LoadError, ...] = ()
    notices: tuple[LoadError, ...] = ()  # skipped files, unusual choices: reported, not errors

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)

    def __getitem__(self, key: str | int) -> Article:
        """``corpus["000_ebd1..."]`` by id, or ``corpus[0]`` by position."""
        if isinstance(key, int):
            return self.articles[key]
        for article in self.articles:
            if article.id == key:
                return article
        raise KeyError(f"no article with id {key!r} (ids: {', '.join(self.ids) or 'none'})")

    def __contains__(self, key: object) -> bool:
        return any(article.id == key for article in self.articles)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(article.id for article in self.articles)


class NoArticles(ValueError):
    """The input holds no readable article; the message says what was looked for and found."""

    def __init__(self, message: str, corpus: Corpus):
        super().__init__(message)
        self.corpus = corpus


def build_article(source: Source) -> Article:
    """Clean one read article into an :class:`~timeline.records.Article`."""
    cleaned = clean_text(source.text, headline=source.headline)
    headline = source.headline or cleaned.headline
    if headline and source.path.lower().endswith((".md", ".markdown")):
        headline = headline.lstrip("#").strip() or headline
    return Article(
        id=source.id, path=source.path, headline=headline, source=source.source, published=source.published,
        raw=source.text, body=cleaned.body, offsets=cleaned.offsets, removed=cleaned.removed,
        spans=cleaned.spans, note=source.note, url=source.url,
    )


def load_corpus(source: str | Path | Any) -> Corpus:
    """Load articles from a folder, a ``.jsonl`` / ``.csv`` / article file, or a pandas DataFrame.

    Problems become ``Corpus.errors`` and skipped files ``Corpus.notices``; only a missing path or
    an input with no article at all raises. Deterministic: articles sorted by id, reports in
    reading order. Two articles with the same id keep the first; the second is reported.
    Built on :class:`~timeline.corpus.stream.SourceStream` (the per-partition engine reads the same stream).
    """
    stream = SourceStream(source)
    articles = [build_article(src) for src in stream]
    errors, notices = stream.finish()
    corpus = Corpus(tuple(sorted(articles, key=lambda a: a.id)), errors, notices)
    if not corpus.articles:
        raise no_articles(stream.where, corpus)
    return corpus


def no_articles(where: str, corpus: Corpus) -> NoArticles:
    """The error for an input without a single article: what was looked for and what was found."""
    found = [str(e) for e in corpus.errors + corpus.notices]
    detail = ("; found instead: " + "; ".join(found[:8]) + (f"; and {len(found) - 8} more" if len(found) > 8 else "")
              ) if found else "; found nothing"
    return NoArticles(f"no articles in {where}: looked for {LOOKED_FOR}{detail}", corpus)
