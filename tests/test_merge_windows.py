"""Merging per date window gives exactly the entries of merging the whole corpus at once, and no
date-compatible pair is ever split between two windows (cost per window: benchmarks/bench_merge.py).

The corpora are the real seed events copied into synthetic articles, each copy moved by a random
number of days (so copies overlap, touch or stand apart in time, as the stories of an archive do).
"""
from __future__ import annotations

import dataclasses
import itertools
import pickle
import random
from datetime import timedelta

import numpy as np
import pytest
from _seeds import seed_events
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import merging
from timeline.merging import dates_compatible


def shifted_copies(copies: int, max_days: int, seed: int):
    """The dated seed events in ``copies`` synthetic articles, copy k moved by a random 0..max_days days.

    Only the days move (``value`` keeps its text): merging decides on days, granularity and kind.
    """
    rng = random.Random(seed)
    out = []
    for k in range(copies):
        delta = timedelta(days=rng.randrange(max_days + 1))
        for e in seed_events():
            if e.value is None or e.first_day is None:
                continue
            out.append(dataclasses.replace(
                e, article=f"copy{k:02d}_{e.article}", first_day=e.first_day + delta, last_day=e.last_day + delta))
    return out


def fake_embed(texts):
    """A fixed vector per sentence text (copies of one sentence are near-identical) plus per-row noise."""
    rows = []
    for i, text in enumerate(texts):
        base = np.random.default_rng(sum(map(ord, text.split("|")[-1])) * 7919 % (1 << 32)).standard_normal(32)
        rows.append(base + np.random.default_rng(i).standard_normal(32) * 0.2)
    return np.array(rows)


def _dated(events):
    unique = {}
    for e in events:
        if e.value is not None and e.first_day is not None and e.last_day is not None:
            unique.setdefault(merging._event_key(e), e)
    return [unique[k] for k in sorted(unique)]


def whole_corpus_merge(events, embed):
    """Merging as one piece: every pair of the corpus scored and grouped together."""
    pairs = merging._Pairs(_dated(events), embed, merging.DEFAULT_THRESHOLD)
    return merging.order_entries(merging.merge_window(pairs))


def _key(entries):
    return [dataclasses.astuple(e) for e in entries]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(copies=st.integers(2, 4), max_days=st.sampled_from([0, 1, 3, 20, 400]), seed=st.integers(0, 10_000),
       window_events=st.sampled_from([None, 1, 50, 2000]))
def test_windowed_merge_equals_the_whole_corpus_merge(copies, max_days, seed, window_events):
    events = shifted_copies(copies, max_days, seed)
    random.Random(seed).shuffle(events)
    windowed = merging.merge_events(events, embed=fake_embed, window_events=window_events)
    assert _key(windowed) == _key(whole_corpus_merge(events, fake_embed))


def test_the_seeds_merge_the_same_per_window_and_whole():
    events = list(seed_events())
    dated = _dated(events)
    windows = merging.date_windows(dated)
    assert 1 < len(windows) < len(dated)  # the seeds do split, and some window holds several events
    assert _key(merging.merge_events(events, embed=fake_embed, window_events=None)) \
        == _key(whole_corpus_merge(events, fake_embed))


def test_copies_far_apart_merge_within_their_own_windows_only():
    events = shifted_copies(copies=4, max_days=4000, seed=11)
    dated = _dated(events)
    windows = merging.date_windows(dated)
    entries = merging.merge_events(events, embed=fake_embed, window_events=None)
    window_of = {(dated[i].article, dated[i].start, dated[i].end, dated[i].text): w
                 for w, window in enumerate(windows) for i in window}
    merged = [e for e in entries if len({s.article for s in e.sources}) > 1]
    assert merged
    for entry in merged:
        assert len({window_of[(s.article, s.start, s.end, s.sentence)] for s in entry.sources}) == 1


@pytest.mark.parametrize("max_days", [0, 2, 30])
def test_windows_never_split_a_compatible_pair(max_days):
    dated = _dated(shifted_copies(copies=5, max_days=max_days, seed=max_days))
    windows = merging.date_windows(dated)
    assert sorted(i for w in windows for i in w) == list(range(len(dated)))
    assert all(w == sorted(w) for w in windows)
    window_of = {i: k for k, w in enumerate(windows) for i in w}
    compatible = [(i, j) for i, j in itertools.combinations(range(len(dated)), 2)
                  if dates_compatible(dated[i], dated[j])]
    assert compatible
    assert all(window_of[i] == window_of[j] for i, j in compatible)
    # the pairs handed to each window are exactly its compatible pairs
    _, handed = merging._windows_and_pairs(dated)
    assert sorted(tuple(p) for pairs in handed for p in pairs.tolist()) == compatible
    assert all(window_of[i] == k for k, pairs in enumerate(handed) for i, _ in pairs.tolist())
    assert all(pairs.tolist() == sorted(pairs.tolist()) for pairs in handed)
    # and each window is one piece: its events are connected through compatible pairs
    links = {k: set() for k in range(len(dated))}
    for i, j in compatible:
        links[i].add(j)
        links[j].add(i)
    for w in windows:
        seen, todo = {w[0]}, [w[0]]
        while todo:
            for j in links[todo.pop()] - seen:
                seen.add(j)
                todo.append(j)
        assert seen == set(w)


def test_window_batches_keep_windows_whole():
    windows = [[0, 3], [1], [2, 4, 5], [6]]
    assert merging.window_batches(windows, None) == windows
    assert merging.window_batches(windows, 3) == [[0, 1, 3], [2, 4, 5], [6]]
    assert merging.window_batches(windows, 100) == [[0, 1, 2, 3, 4, 5, 6]]


def test_a_dask_scheduler_gives_the_same_entries():
    pytest.importorskip("dask")
    events = shifted_copies(copies=3, max_days=10, seed=2)
    here = merging.merge_events(events, embed=fake_embed, window_events=20)
    assert len(merging.window_batches(merging.date_windows(_dated(events)), 20)) > 1
    on_dask = merging.merge_events(events, embed=fake_embed, window_events=20, scheduler="synchronous")
    assert _key(on_dask) == _key(here)


def test_a_client_gets_the_tasks_a_few_at_a_time_and_the_same_entries(monkeypatch):
    distributed = pytest.importorskip("distributed")
    events = shifted_copies(copies=3, max_days=10, seed=2)
    here = merging.merge_events(events, embed=fake_embed, window_events=10)
    batches = len(merging.window_batches(merging.date_windows(_dated(events)), 10))
    assert batches > merging.MERGE_IN_FLIGHT  # more tasks than are ever waiting at once
    most = []  # futures still pending each time a task is submitted
    submit = distributed.Client.submit

    def watched(self, *args, **kwargs):
        most.append(len([f for f in self.futures.values() if f.status == "pending"]))
        return submit(self, *args, **kwargs)

    monkeypatch.setattr(distributed.Client, "submit", watched)
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as client:
        on_dask = merging.merge_events(events, embed=fake_embed, window_events=10, scheduler=client)
    assert _key(on_dask) == _key(here)
    assert len(most) == batches and max(most) < merging.MERGE_IN_FLIGHT


def test_a_window_task_travels_to_another_process_whole():
    dated = _dated(shifted_copies(copies=3, max_days=5, seed=4))
    pairs = merging._Pairs(dated, fake_embed, merging.DEFAULT_THRESHOLD)
    window = max(merging.date_windows(dated), key=len)
    task = pairs.subset(window)
    assert _key(merging.merge_window(pickle.loads(pickle.dumps(task)))) == _key(merging.merge_window(task))


def test_a_per_event_attribute_unknown_to_subset_is_refused():
    dated = _dated(shifted_copies(copies=2, max_days=0, seed=0))
    pairs = merging._Pairs(dated, fake_embed, merging.DEFAULT_THRESHOLD)
    pairs.new_feature = [0] * len(dated)
    with pytest.raises(TypeError, match="new_feature"):
        pairs.subset([0, 1])


def test_merging_on_a_running_scheduler_beside_a_default_client_of_the_caller():
    """A caller with a client of its own (a notebook, the scale benchmark) set as default: the merge
    tasks still wait on the merge's own client (distributed.wait would use the default one's loop)."""
    distributed = pytest.importorskip("distributed")
    events = shifted_copies(copies=3, max_days=10, seed=2)
    here = merging.merge_events(events, embed=fake_embed, window_events=10)
    with distributed.LocalCluster(processes=False, protocol="tcp", n_workers=1, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster, set_as_default=True):
        on_dask = merging.merge_events(events, embed=fake_embed, window_events=10, scheduler=cluster.scheduler_address)
    assert _key(on_dask) == _key(here)
