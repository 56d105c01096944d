"""timeline: turn a folder of news articles into a dated, ordered, summarized timeline.

The temporal core is importable on its own and needs only ``dateparser``::

    import timeline
    for t in timeline.tag("Special forces retook Lithi on Tuesday.", dct="2016-02-23"):
        print(t.start, t.end, t.text, t.type, t.value, t.mod, t.rule)

Pipeline stages, one module each: ``corpus`` -> ``refdate`` -> ``timexes`` -> ``sentences``/``events``
-> ``merging`` -> ``ordering`` -> ``summaries`` -> ``charts``/``exports``; ``pipeline`` runs them all.
Heavier stages are imported lazily, so ``import timeline`` stays fast.
"""
from __future__ import annotations

import importlib
from typing import Any

from .records import (
    Article,
    Event,
    Evidence,
    LoadError,
    ReferenceDate,
    Sentence,
    SourceRef,
    Span,
    Timex,
    TimelineEntry,
)

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "load_corpus": "corpus",
    "clean_text": "corpus",
    "tag": "timexes",
    "infer_reference_date": "refdate",
    "reference_date_for": "refdate",
    "split_sentences": "sentences",
    "extract_events": "events",
    "merge_events": "merging",
    "order_entries": "ordering",
    "Summarizer": "summaries",
    "build_timeline": "pipeline",
    "run_pipeline": "pipeline",
}

__all__ = [
    "Article", "Event", "Evidence", "LoadError", "ReferenceDate", "Sentence", "SourceRef", "Span",
    "Timex", "TimelineEntry", *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'timeline' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
