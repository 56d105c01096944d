"""Damaged caches never stop a run: they are ignored with a warning, and rebuilt.

The summary cache (``<out>/summary_cache.json``) and the embedding cache (``.npy`` files) are only
caches, so any kind of damage (not JSON, another format, wrong types, a folder in its place, a
0-byte or NaN-filled array) must give the same result as no cache at all, plus one warning line.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from timeline import embeddings
from timeline.records import SourceRef, TimelineEntry
from timeline.summaries import CACHE_FORMAT, Summarizer

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SENTENCE = next(line for line in (SEEDS / "000_ebd112a8c2509409.txt").read_text(encoding="utf-8").splitlines()
                if line.startswith("Special forces retook"))
SUMMARY = "Special forces retook the Benghazi area of Lithi."


def _entry() -> TimelineEntry:
    day = date(2016, 2, 23)
    ref = SourceRef(article="a0", sentence=SENTENCE, start=0, end=len(SENTENCE), timex=None, rule="test")
    return TimelineEntry(date=day.isoformat(), start=day, end=day, granularity="day", places=(), sources=(ref,),
                         in_campaign=True)


class Counting:
    def __init__(self):
        self.calls = 0

    def __call__(self, chats, max_new_tokens):
        self.calls += len(chats)
        return [SUMMARY for _ in chats]


DAMAGE = {
    "a JSON list": b"[]",
    "a JSON string": b'"cache"',
    "JSON null": b"null",
    "an empty object": b"{}",
    "truncated JSON": json.dumps({"format": CACHE_FORMAT, "items": {"k": {"output": "x"}}}).encode()[:-7],
    "0 bytes": b"",
    "not UTF-8": b'{"format": "\xff\xfe"}',
    "another format": json.dumps({"format": "timeline-summary-cache/99", "items": {}}).encode(),
    "items as a list": json.dumps({"format": CACHE_FORMAT, "items": []}).encode(),
    "items as a string": json.dumps({"format": CACHE_FORMAT, "items": "x"}).encode(),
    "an item that is a number": json.dumps({"format": CACHE_FORMAT, "items": {"k": 3}}).encode(),
    "an output that is not text": json.dumps({"format": CACHE_FORMAT, "items": {"k": {"output": 7}}}).encode(),
    "an item without output": json.dumps({"format": CACHE_FORMAT, "items": {"k": {"model": "m"}}}).encode(),
}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_summary_cache_is_ignored_with_a_warning_and_rebuilt(kind, tmp_path, capsys):
    cache = tmp_path / "summary_cache.json"
    cache.write_bytes(DAMAGE[kind])
    gen = Counting()
    s = Summarizer("small", cache_path=cache, generator=gen, model_id="stub", progress=False)
    assert s.summarize_entry(_entry()).summary == SUMMARY
    err = capsys.readouterr().err
    assert "warning: summary cache" in err and str(cache) in err and "Traceback" not in err
    data = json.loads(cache.read_text(encoding="utf-8"))  # rewritten as a valid cache
    assert data["format"] == CACHE_FORMAT and isinstance(data["items"], dict) and data["items"]
    assert all(isinstance(v, dict) and isinstance(v["output"], str) for v in data["items"].values())
    again = Summarizer("small", cache_path=cache, generator=Counting(), model_id="stub", progress=False)
    assert again.summarize_entry(_entry()).summary == SUMMARY and again.report()["cache_hits"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary_cache.json"]  # no .tmp left


def test_good_items_of_a_partly_damaged_cache_are_kept(tmp_path, capsys):
    cache = tmp_path / "summary_cache.json"
    first = Summarizer("small", cache_path=cache, generator=Counting(), model_id="stub", progress=False)
    first.summarize_entry(_entry())
    data = json.loads(cache.read_text())
    data["items"]["bogus"] = {"output": None}
    cache.write_text(json.dumps(data))
    gen = Counting()
    s = Summarizer("small", cache_path=cache, generator=gen, model_id="stub", progress=False)
    assert s.summarize_entry(_entry()).summary == SUMMARY and gen.calls == 0
    assert "1 of 2 items are malformed" in capsys.readouterr().err


def test_a_folder_in_place_of_the_summary_cache_is_left_alone(tmp_path, capsys):
    cache = tmp_path / "summary_cache.json"
    cache.mkdir()
    (cache / "notes.txt").write_text("mine")
    s = Summarizer("small", cache_path=cache, generator=Counting(), model_id="stub", progress=False)
    assert s.summarize_entry(_entry()).summary == SUMMARY
    s.prune_cache()
    assert "is not a file" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary_cache.json"]  # no .tmp files
    assert (cache / "notes.txt").read_text() == "mine"


# ---- embeddings ------------------------------------------------------------------------------------

class FakeEmbedder:
    dimension = 384

    def __init__(self):
        self.calls = 0

    def __call__(self, texts):
        self.calls += 1
        rng = np.random.default_rng(len(texts))
        v = rng.standard_normal((len(texts), self.dimension)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture
def fake(monkeypatch):
    model = FakeEmbedder()
    monkeypatch.setattr(embeddings, "load_embedder", lambda: model)
    return model


TEXTS = ["Forces seized Lithi.", "The parliament failed to vote."]
BAD_ARRAYS = {
    "NaN values": np.full((2, 384), np.nan, dtype=np.float32),
    "zero rows": np.zeros((2, 384), dtype=np.float32),
    "no columns": np.zeros((2, 0), dtype=np.float32),
    "one dimension": np.ones(384, dtype=np.float32),
    "wrong row count": np.ones((3, 384), dtype=np.float32) / np.sqrt(384),
    "float64": np.ones((2, 384)) / np.sqrt(384),
}


@pytest.mark.parametrize("kind", ["0 bytes", "truncated", *sorted(BAD_ARRAYS)])
def test_damaged_embedding_cache_is_recomputed_with_a_warning(kind, tmp_path, fake, capsys):
    path = embeddings.cache_file(TEXTS, tmp_path)
    path.parent.mkdir(parents=True)
    if kind == "0 bytes":
        path.write_bytes(b"")
    elif kind == "truncated":
        np.save(path, fake(TEXTS))
        path.write_bytes(path.read_bytes()[:200])
    else:
        np.save(path, BAD_ARRAYS[kind])
    vectors = embeddings.embed(TEXTS, cache_dir=tmp_path)
    assert vectors.shape == (2, 384) and np.isfinite(vectors).all()
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    err = capsys.readouterr().err
    assert "warning: embedding cache" in err and "Traceback" not in err
    assert np.array_equal(np.load(path), vectors)  # rebuilt
    calls = fake.calls
    assert np.array_equal(embeddings.embed(TEXTS, cache_dir=tmp_path), vectors) and fake.calls == calls


def test_good_embedding_cache_is_used_without_a_warning(tmp_path, fake, capsys):
    first = embeddings.embed(TEXTS, cache_dir=tmp_path)
    calls = fake.calls
    assert np.array_equal(embeddings.embed(TEXTS, cache_dir=tmp_path), first) and fake.calls == calls
    assert capsys.readouterr().err == ""
