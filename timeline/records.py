"""Plain records passed from one pipeline stage to the next.

Every stage takes records and returns new ones; nothing is mutated in place. All records are frozen
dataclasses so they can be hashed, compared and written out deterministically.
"""
from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

#: What a word of an event's sentence is in the article's spaCy parse (``events.predicates.word_kind``):
#: merging weighs shared words by it (``[merging.evidence_weight]`` in ``resources/event_words.toml``).
WordKind = Literal["nationality", "proper", "entity", "number", "content", "modifier"]


@dataclass(frozen=True)
class Span:
    """A stretch of an article's cleaned body that is not the article's own running text."""

    start: int  # offset into Article.body
    end: int
    kind: str  # "caption" (photo caption) or "link_title" (a pasted related-story title)
    text: str
    rule: str = ""  # name of the cleaning rule that marked it (resources/boilerplate.toml)


class Offsets(Sequence[int]):
    """The raw offset of each body character (``Article.offsets``), held as runs.

    A body is the raw text with boilerplate cut out and nothing rewritten, so its offsets are a few
    runs of consecutive numbers; a tuple of ints would cost some 36 bytes a character (the tuple's
    slot and an int object each), about 35 times the body itself, and a corpus of 10,000 articles
    held in one process would spend over a gigabyte on them. Reads as a sequence of ints (index,
    slice, iterate, ``len``); equal to another ``Offsets`` of the same runs or to any sequence of the
    same ints.
    """

    __slots__ = ("_at", "_first", "_len")

    def __init__(self, values: Iterable[int] = ()):
        self._set((int(value), 1) for value in values)

    @classmethod
    def from_runs(cls, runs: Iterable[Sequence[int]]) -> "Offsets":
        """From ``[first, length]`` runs (``runs()``)."""
        out = cls.__new__(cls)
        out._set((int(first), int(length)) for first, length in runs if int(length) > 0)
        return out

    def _set(self, runs: Iterable[tuple[int, int]]) -> None:
        at, first, total = array("q"), array("q"), 0
        for value, length in runs:
            if first and first[-1] + (total - at[-1]) == value:
                total += length  # continues the run before: one run, so equal offsets are equal runs
                continue
            at.append(total)
            first.append(value)
            total += length
        self._at, self._first, self._len = at, first, total

    def runs(self) -> list[list[int]]:
        """``[first, length]`` of each run of consecutive offsets."""
        ends = [*self._at[1:], self._len]
        return [[f, e - a] for f, a, e in zip(self._first, self._at, ends)]

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self._len)))
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError("offset index out of range")
        run = bisect.bisect_right(self._at, index) - 1
        return self._first[run] + index - self._at[run]

    def __iter__(self):
        for first, length in self.runs():
            yield from range(first, first + length)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Offsets):
            return self._len == other._len and self._at == other._at and self._first == other._first
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == self._len and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._len, tuple(self._at), tuple(self._first)))

    def __repr__(self) -> str:
        return f"Offsets.from_runs({self.runs()!r})"

    def __reduce__(self):
        return (Offsets.from_runs, (self.runs(),))


@dataclass(frozen=True)
class Article:
    """One news article as loaded from disk.

    ``body`` is the cleaned text: boilerplate lines removed, nothing else rewritten.
    ``offsets[i]`` is the offset in ``raw`` of ``body[i]``, so any span of the body maps back to the
    raw file (``raw[offsets[s]:offsets[e-1]+1]``); any sequence of ints given is kept as ``Offsets``.
    """

    id: str  # file stem, e.g. "000_ebd112a8c2509409"
    path: str
    headline: str | None
    source: str | None
    published: date | None  # from metadata; None when not given
    raw: str
    body: str
    offsets: Offsets
    removed: tuple[tuple[int, int, str], ...] = ()  # (raw_start, raw_end, reason) of dropped boilerplate
    spans: tuple[Span, ...] = ()  # captions and link titles inside body
    note: str | None = None  # free-text note from metadata
    url: str | None = None  # where the article was published, when the input says (metadata, JSONL, HTML)

    def __post_init__(self) -> None:
        if not isinstance(self.offsets, Offsets):
            object.__setattr__(self, "offsets", Offsets(self.offsets))

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of ``body`` to the matching span of ``raw``."""
        if start >= end:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.raw)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class LoadError:
    """A file that could not be loaded: which file and what is wrong with it."""

    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


@dataclass(frozen=True)
class Evidence:
    """One clue towards an article's reference date."""

    text: str  # the sentence or phrase the clue comes from
    start: int  # offsets into the text that was analysed
    end: int
    clue: str  # rule name, e.g. "explicit-date", "weekday-news", "last-year"
    earliest: date | None  # what this clue alone allows
    latest: date | None


@dataclass(frozen=True)
class ReferenceDate:
    """The date an article's relative expressions are resolved against, and where it came from."""

    best: date | None
    earliest: date | None
    latest: date | None
    confidence: float  # 0..1; 1.0 for a metadata date
    method: str  # "metadata", "date-line", "dateline", "url", "filename", "inferred" or "none"
    evidence: tuple[Evidence, ...] = ()
    #: The most likely day inside [earliest, latest] when the evidence gives only a window (weekday
    #: clues); for display and benchmarks only: relative expressions are never resolved against it.
    guess: date | None = None
    rule: str = ""  # name of the rule that decided (e.g. "date-line", "url-date:ymd-path", "text-window")


@dataclass(frozen=True)
class Timex:
    """A TIMEX3 temporal expression found in a text.

    ``start``/``end`` are character offsets into the text given to ``tag``. ``first_day``/``last_day``
    is the stretch of calendar the expression covers once resolved (None when it has none, e.g. an
    unanchored duration or an underspecified value). ``rule`` names the rule that found and resolved it.
    """

    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str  # TIMEX3 value, e.g. 2016-02-23, 2016-W07, 2015-06, 2014-SU, P10D, PAST_REF
    mod: str | None = None  # START, MID, END, APPROX, LESS_THAN, MORE_THAN, BEFORE, AFTER, ON_OR_AFTER ...
    rule: str = ""
    first_day: date | None = None
    last_day: date | None = None
    granularity: str | None = None  # day, week, month, quarter, season, year, decade, century, time, ...


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article's cleaned body."""

    article: str
    index: int
    start: int  # offsets into Article.body
    end: int
    text: str
    kind: str = "text"  # "text", "caption", "link_title"


@dataclass(frozen=True)
class Event:
    """A clause's predicate (what happens, is, is said or is planned) with the date that anchors it.

    ``text``/``start``/``end`` are the clause (raw offsets); ``sentence`` and its offsets the sentence
    it stands in; ``rule`` names every dating decision (see ``timeline.events``).
    """

    article: str
    sentence_index: int
    text: str
    start: int  # offsets into Article.raw
    end: int
    value: str | None  # TIMEX3 value of the anchoring date; None for undated context
    granularity: str | None
    first_day: date | None
    last_day: date | None
    timex: Timex | None  # the expression that dated it (None when dated by the reference date)
    rule: str  # how it was dated, e.g. "timex:<rule>", "reference-date:past-news", "undated"
    places: tuple[str, ...] = ()
    kind: str = "event"  # "event", "background" (before the window), "caption", "undated"
    # The predicate (see timeline.events): trigger word and its raw offsets, -1 when the event is a
    # whole caption or link title.
    trigger: str = ""
    trigger_start: int = -1
    trigger_end: int = -1
    tense: str = "none"  # past, past-perfect, present-perfect, present, future, none
    modality: str = "asserted"  # asserted, negated, hypothetical, planned, expected
    event_class: str = "happening"  # happening, state, reporting, plan
    role: str = "main"  # main, reported, subordinate, noun, headline, caption, link-title
    actor: str = ""  # subject (or passive agent) from the parse
    object: str = ""  # direct object (or passive subject)
    organisations: tuple[str, ...] = ()  # ORG entities of the clause
    attribution: str = ""  # who says so: the subject of the reporting predicate above
    sentence: str = ""  # the whole sentence (provenance); ``text`` is the clause
    sentence_start: int = -1  # raw offsets of the sentence
    sentence_end: int = -1
    # (word, kind) for the words of ``sentence`` as the article's parse reads them: the word lower-cased
    # as ``predicates.WORD_PART`` cuts it from a token ("al-Leiti" -> "al", "leiti"), each pair once, in
    # text order; a word may appear with two kinds. Empty for an event built without a parse.
    word_kinds: tuple[tuple[str, WordKind], ...] = ()


@dataclass(frozen=True)
class SourceRef:
    """One article sentence behind a timeline entry."""

    article: str
    sentence: str
    start: int  # offsets into the article's raw text
    end: int
    timex: str | None  # text of the temporal expression that dated it
    rule: str
    similarity: float | None = None  # similarity to the entry's first source when merged


@dataclass(frozen=True)
class TimelineEntry:
    """One dated happening on the timeline, possibly reported by several articles."""

    date: str  # TIMEX3 value
    start: date
    end: date
    granularity: str
    places: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    in_campaign: bool  # inside the corpus's window of interest (ordering.corpus_window), else context
    summary: str = ""
    extractive: bool = False  # summary is a source sentence, not generated
    guarded: bool = False  # the faithfulness guard rejected at least one generation
    merge_note: str = ""  # why these sources were merged
    salience: float = 0.0  # timeline.selection's score (0 before selection)
    salience_note: str = ""  # the signals behind ``salience``
    extra: dict = field(default_factory=dict, compare=False, hash=False)
