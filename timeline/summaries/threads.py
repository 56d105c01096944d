"""The threads of a window: its entries grouped by the main place or actor each is about.

The overview tells the story of a window as its threads ("in Benghazi ..., in Sirte ..."), so a
reader sees every strand and its happenings in order. An entry's thread is its main place: the
city of the first of its places (``TimelineEntry.places``, from the named-entity layer, taken in
the order its first source sentence names them) that is not the window's setting (a place named by
more than ``setting_share`` of the entries: it tells no strand apart); a neighbourhood joins its
city through the corpus place table (``timeline.places``). A country or region is too wide for a
strand: an entry with no narrower place follows its main actor instead, a name in the actor of its
sources' event records (the anchoring stage's ``Event.actor``), then its country. Entries with
none of these go to a last thread without a name.

The ``max_threads`` largest threads are kept (ties: the earlier first entry); the entries of the
others join the nameless thread, so every entry is in one thread. Each thread shows its
``per_thread`` most salient entries, in timeline order. Pure functions of the entries, the event
records and the settings (``resources/prompts.toml``, ``[threads]``).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal, Mapping, Sequence

from .. import places
from ..records import TimelineEntry


@dataclass(frozen=True)
class ThreadSettings:
    max_threads: int = 4
    per_thread: int = 3
    setting_share: float = 0.5
    fallback_per_thread: int = 2  # entries per thread in the extractive overview


@dataclass(frozen=True)
class Thread:
    """One strand of the window: the place or actor it follows ("" for the rest) and its entries."""

    name: str
    kind: Literal["place", "actor", "rest"]
    entries: tuple[TimelineEntry, ...]  # in timeline order


def settings_from(table: Mapping) -> ThreadSettings:
    return ThreadSettings(**{k: table[k] for k in ("max_threads", "per_thread", "setting_share", "fallback_per_thread")
                           if k in table})


def setting_places(entries: Sequence[TimelineEntry], share: float) -> frozenset[str]:
    """The places more than ``share`` of the entries name: the window's setting, not a strand."""
    if not entries:
        return frozenset()
    counts = Counter(p for e in entries for p in dict.fromkeys(e.places))
    return frozenset(p for p, n in counts.items() if n > share * len(entries))


def _actor_name(text: str) -> str:
    """The first named entity of an actor phrase ("Forces loyal to Libya's government" -> "Libya";
    "Khalifa Haftar's army" -> "Khalifa Haftar"), from the shared parse (``timeline.nlp``)."""
    if not text.strip():
        return ""
    from .. import nlp

    ents = [e for e in nlp.parse(text).ents if e.label_ in {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}]
    return re.sub(r"(?:'s|’s)$", "", ents[0].text).strip() if ents else ""


def _by_mention(entry: TimelineEntry) -> list[str]:
    """The entry's places in the order its first source sentence names them (the others after, as
    given): the first place a report names is the scene it is about."""
    text = entry.sources[0].sentence if entry.sources else ""

    def first(place: str) -> int:
        m = re.search(rf"\b{re.escape(place)}\b", text)
        return m.start() if m else len(text) + 1

    return sorted(entry.places, key=lambda p: (first(p), entry.places.index(p)))


def main_subject(entry: TimelineEntry, setting: frozenset[str],
                 records: Mapping[tuple[str, int, int], object]) -> tuple[str, str]:
    """(kind, name) of what ``entry`` is about: the city of its first place outside the setting (a
    neighbourhood counts as its city, through the corpus place table: "Lithi" -> "Benghazi"), else
    the name in its sources' event actors, else its first country or region, else ("rest", "")."""
    wide = ""
    for place in _by_mention(entry):
        if place in setting:
            continue
        city = places.city_of(place)
        if city is not None and city not in setting:
            return "place", city
        if places.kind_of(place) in {"country", "region", "continent"}:
            wide = wide or place
            continue
        if city is None:
            return "place", place
    for ref in entry.sources:
        record = records.get((ref.article, ref.start, ref.end))
        name = _actor_name(getattr(record, "actor", "") or "")
        if name and name not in setting:
            return "actor", name
    return ("place", wide) if wide else ("rest", "")


def threads(entries: Sequence[TimelineEntry], records: Mapping[tuple[str, int, int], object] | None = None,
            settings: ThreadSettings = ThreadSettings()) -> list[Thread]:
    """The window's threads, largest first; every entry is in exactly one (see the module docstring)."""
    records = records or {}
    setting = setting_places(entries, settings.setting_share)
    keyed = [main_subject(e, setting, records) for e in entries]
    groups: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(keyed):
        groups.setdefault(key, []).append(i)
    named = sorted((k for k in groups if k[0] != "rest"), key=lambda k: (-len(groups[k]), groups[k][0]))
    kept = named[:settings.max_threads]
    rest = sorted(i for k in groups if k not in kept for i in groups[k])
    out = [Thread(name, kind, tuple(entries[i] for i in groups[(kind, name)])) for kind, name in kept]  # type: ignore[arg-type]
    if rest:
        out.append(Thread("", "rest", tuple(entries[i] for i in rest)))
    return out


def salient(thread: Thread, per_thread: int) -> tuple[TimelineEntry, ...]:
    """The thread's ``per_thread`` most salient entries (ties: the earlier), in timeline order."""
    order = sorted(range(len(thread.entries)), key=lambda i: (-thread.entries[i].salience, i))[:per_thread]
    return tuple(thread.entries[i] for i in sorted(order))
