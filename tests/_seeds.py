"""The seed events through the real chain (load_corpus -> reference dates -> tag -> parse -> events,
with the corpus's place table and window), built once per test session and shared by the test modules."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from timeline.records import Event

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@cache
def seed_predicates() -> tuple[Event, ...]:
    """Every clause predicate of the seeds (``extract_events``), window applied."""
    from timeline.corpus import load_corpus
    from timeline.events import apply_window
    from timeline.ordering import corpus_window
    from timeline.pipeline import event_stages

    stages = event_stages(load_corpus(SEEDS))
    window = corpus_window(stages.events, [r.best for r in stages.refdates.values()])
    return apply_window(stages.events, window)


@cache
def seed_events() -> tuple[Event, ...]:
    """The seed events as the pipeline merges them (``for_timeline``: one per sentence and date)."""
    from timeline.events import for_timeline

    return for_timeline(seed_predicates())
