"""Selection's corpus-wide steps at archive size: folding one entry per happening compares a candidate
only with entries of its own days, with the result of comparing it with every kept entry; centrality
above the matrix size ranks as the full cosine matrix does."""
from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np

from timeline import selection
from timeline.records import SourceRef, TimelineEntry


def _entries(n: int, seed: int) -> list[TimelineEntry]:
    """Candidates on a few nearby days (day, month and year values mixed), many on the same day."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        kind = rng.choice(["day", "day", "day", "month", "year"])
        day = date(2016, 8, 1) + timedelta(days=rng.randrange(12))
        value, start, end = {
            "day": (day.isoformat(), day, day),
            "month": (f"{day:%Y-%m}", day.replace(day=1), day.replace(day=28)),
            "year": ("2016", date(2016, 1, 1), date(2016, 12, 31)),
        }[kind]
        source = SourceRef(article=f"a{k % 7}", sentence=f"sentence {k}", start=k, end=k + 1, timex=None, rule="r")
        out.append(TimelineEntry(date=value, start=start, end=end, granularity=kind, places=(), sources=(source,),
                                 in_campaign=True))
    return out


def _every_kept_entry(ranked, vec_of, limit):
    """The fold as a scan over every kept entry (the definition)."""
    distinct = []
    for c in ranked:
        for i, k in enumerate(distinct):
            if selection._same_time(k, c) and float(vec_of[id(k)] @ vec_of[id(c)]) >= limit:
                distinct[i] = selection.fold(k, c, f"same happening as {c.date} '{c.sources[0].sentence[:60]}'")
                vec_of[id(distinct[i])] = vec_of[id(k)]
                break
        else:
            distinct.append(c)
    return distinct


def test_folding_by_days_equals_folding_against_every_kept_entry():
    for seed in range(5):
        ranked = _entries(300, seed)
        rng = np.random.default_rng(seed)
        topics = rng.standard_normal((6, 16))
        vectors = [topics[rng.integers(6)] + rng.standard_normal(16) * 0.3 for _ in ranked]
        vectors = [v / np.linalg.norm(v) for v in vectors]
        indexed = selection.one_per_happening(ranked, {id(c): v for c, v in zip(ranked, vectors)}, 0.8)
        reference = _every_kept_entry(ranked, {id(c): v for c, v in zip(ranked, vectors)}, 0.8)
        assert indexed == reference
        assert 20 < len(indexed) < len(ranked)  # folds happened, and not everything folded


def test_centrality_from_the_sum_vector_ranks_as_the_matrix(monkeypatch):
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((400, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    matrix = selection._centrality(vectors)
    monkeypatch.setattr(selection, "CENTRALITY_MATRIX_MAX", 10)
    summed = selection._centrality(vectors)
    assert np.array_equal(matrix, summed)
    assert len(set(summed.tolist())) == len(vectors)
