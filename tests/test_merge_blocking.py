"""Pair generation blocked by date window finds exactly the date-compatible pairs, and merging
gives the same entries; its date work is per event, not per pair (speed: benchmarks/bench_merge.py)."""
from __future__ import annotations

import dataclasses
import itertools
import random
import re

import numpy as np
from _seeds import seed_events

from timeline import merging
from timeline.merging import dates_compatible


def _shift(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def synthetic(copies: int, years: int, seed: int = 0):
    """The seed events copied into ``copies`` synthetic articles, each moved by whole years."""
    rng = random.Random(seed)
    out = []
    for k in range(copies):
        shift = rng.randrange(years)
        for e in seed_events():
            if e.value is None or e.first_day is None:
                continue
            out.append(dataclasses.replace(
                e, article=f"syn{k:03d}_{e.article}", first_day=_shift(e.first_day, shift),
                last_day=_shift(e.last_day, shift),
                value=re.sub(r"^(\d{4})", lambda m: f"{int(m.group(1)) + shift:04d}", e.value)))
    return out


def _dated(events):
    unique = {}
    for e in events:
        if e.value is not None and e.first_day is not None and e.last_day is not None:
            unique.setdefault(merging._event_key(e), e)
    return [unique[k] for k in sorted(unique)]


def _blocked(dated):
    shell = merging._Pairs.__new__(merging._Pairs)
    shell.dated = dated
    return shell.compatible_pairs(), shell


def _all_pairs(dated):
    return sorted((i, j) for i, j in itertools.combinations(range(len(dated)), 2)
                  if dates_compatible(dated[i], dated[j]))


def test_blocked_pairs_are_exactly_the_compatible_pairs_on_the_seeds():
    dated = _dated(seed_events())
    pairs, shell = _blocked(dated)
    assert pairs == _all_pairs(dated) and pairs
    assert shell.date_checks < len(dated) * (len(dated) - 1) // 2


def test_blocked_pairs_are_exactly_the_compatible_pairs_on_a_larger_corpus():
    dated = _dated(synthetic(copies=8, years=3))
    pairs, shell = _blocked(dated)
    assert pairs == _all_pairs(dated)
    # blocked: checks grow with events per window, a small multiple of the compatible pairs
    assert shell.date_checks <= 1.5 * len(pairs) + len(dated)


def _fake_embed(texts):
    rows = []
    for i, text in enumerate(texts):
        rng = np.random.default_rng(abs(hash(text.split("|")[-1])) % (1 << 32))
        rows.append(rng.standard_normal(32) + np.random.default_rng(i).standard_normal(32) * 0.1)
    return np.array(rows)


def test_merging_a_larger_corpus_gives_the_entries_of_all_pairs(monkeypatch):
    events = synthetic(copies=6, years=2, seed=3)
    blocked = merging.merge_events(events, embed=_fake_embed)
    monkeypatch.setattr(merging._Pairs, "compatible_array",
                        lambda self: np.asarray(_all_pairs(self.dated), dtype=np.int32).reshape(-1, 2))
    reference = merging.merge_events(events, embed=_fake_embed)
    assert [dataclasses.astuple(e) for e in blocked] == [dataclasses.astuple(e) for e in reference]
    assert len(blocked) < len(_dated(events))  # copies of one story on one date did merge


class _CountingWord:
    def __init__(self, pattern):
        self.pattern, self.calls = pattern, 0

    def findall(self, text):
        self.calls += 1
        return self.pattern.findall(text)


def test_stretch_reading_is_done_once_per_event_not_once_per_pair(monkeypatch):
    counting = _CountingWord(merging._WORD)
    monkeypatch.setattr(merging, "_WORD", counting)
    if hasattr(merging.stretch_start, "cache_clear"):
        merging.stretch_start.cache_clear()
    dated = _dated(synthetic(copies=4, years=2, seed=5))
    pairs, _ = _blocked(dated)
    assert len(pairs) > 2 * len(dated)
    assert counting.calls <= len(dated)
