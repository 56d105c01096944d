"""The seed events through the real chain (load_corpus -> reference_date_for -> tag -> extract_events),
built once per test session and shared by the test modules that need them."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from timeline.records import Event

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@cache
def seed_events() -> tuple[Event, ...]:
    from timeline.corpus import load_corpus
    from timeline.events import extract_events
    from timeline.refdate import reference_date_for
    from timeline.timexes import tag

    events: list[Event] = []
    for a in load_corpus(SEEDS).articles:
        refdate = reference_date_for(a)
        events.extend(extract_events(a, tag(a.body, refdate.best), refdate))
    return tuple(events)
