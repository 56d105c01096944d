"""The Dask engine: a real scheduler and workers give the embedded run's bytes, a killed worker does not
change them, a rerun resumes from its Parquet partitions, and records survive the Parquet round trip."""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEMEVAL = ROOT.parent / "shared" / "data" / "semeval2015-trial" / "corpus"
ENV = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
           TOKENIZERS_PARALLELISM="false")

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")


def _corpus(folder: Path, semeval: int = 3) -> Path:
    """The seeds plus the first ``semeval`` SemEval trial articles, in one folder with one metadata.csv."""
    from timeline.evaluate.semeval import read_corpus

    shutil.copytree(ROOT / "seeds", folder, ignore=shutil.ignore_patterns("summary_cache*", ".*"))
    if SEMEVAL.is_dir() and semeval:
        docs = list(read_corpus(SEMEVAL).values())[:semeval]
        with open(folder / "metadata.csv", "a", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            for doc in docs:
                (folder / f"{doc.doc_id}.txt").write_text(doc.text, encoding="utf-8")
                writer.writerow([f"{doc.doc_id}.txt", doc.published.isoformat() if doc.published else "",
                                 "Wikinews", doc.title, ""])
    return folder


def _partitions(corpus: Path, size: int) -> int:
    """How many partitions of ``size`` articles the corpus folder makes (the SemEval articles are there
    only when ../shared is)."""
    return math.ceil(len(list(corpus.glob("*.txt"))) / size)


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _run(corpus: Path, out: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "timeline", "run", str(corpus), "--out", str(out), "--no-figures",
           "--no-summaries", *args]
    return subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A ``dask scheduler`` and worker processes on localhost, killed whatever happens."""

    def __init__(self, tmp: Path, workers: int = 2):
        self.port = _free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.procs: list[subprocess.Popen] = []
        self.logs = tmp
        dask = [shutil.which("dask", path=str(Path(sys.executable).parent)) or pytest.skip("no dask command")]
        self._start("scheduler", dask + ["scheduler", "--host", "127.0.0.1", "--port", str(self.port),
                                         "--dashboard-address", "127.0.0.1:0"])
        self.workers = [self._start(f"worker{i}", dask + ["worker", self.address, "--nthreads", "1", "--no-nanny",
                                                          "--host", "127.0.0.1", "--dashboard-address", "127.0.0.1:0",
                                                          "--local-directory", str(tmp / f"w{i}")])
                        for i in range(workers)]
        self._wait_for(workers)

    def _start(self, name: str, cmd: list[str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "w")
        proc = subprocess.Popen(cmd, env=ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def _wait_for(self, n: int, timeout: float = 120) -> None:
        from distributed import Client

        deadline = time.monotonic() + timeout
        while True:
            try:
                with Client(self.address, timeout="5s") as client:
                    client.wait_for_workers(n, timeout=max(1, deadline - time.monotonic()))
                    return
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    def close(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.kill()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _corpus(tmp_path_factory.mktemp("scale") / "corpus")


@pytest.fixture(scope="module")
def embedded(corpus, tmp_path_factory) -> dict[str, str]:
    """The outputs of the default path (this process, no partition files)."""
    out = tmp_path_factory.mktemp("embedded") / "out"
    done = _run(corpus, out)
    assert done.returncode == 0, done.stderr
    assert "partitions:" not in done.stderr  # a small corpus runs in process, as before
    return _snapshot(out)


@pytest.fixture
def cluster(tmp_path):
    c = Cluster(tmp_path)
    try:
        yield c
    finally:
        c.close()


def test_a_real_scheduler_and_two_workers_give_the_embedded_bytes(corpus, embedded, cluster, tmp_path):
    out = tmp_path / "out"
    done = _run(corpus, out, "--scheduler", cluster.address, "--partition-size", "2", "--workdir", str(tmp_path / "w"))
    assert done.returncode == 0, done.stderr
    assert f"dask scheduler {cluster.address}, 2 workers" in done.stderr
    n = _partitions(corpus, 2)
    assert f"partitions: {n} (0 reused, {n} computed)" in done.stderr
    assert _snapshot(out) == embedded
    from distributed import Client

    def pipeline_loads():
        import sys

        nlp = sys.modules.get("timeline.nlp")
        return None if nlp is None else tuple(nlp.load_pipeline.cache_info()[:2])  # (hits, misses)

    with Client(cluster.address, timeout="10s") as client:
        loads = [v for v in client.run(pipeline_loads).values() if v is not None]
    assert loads, "no worker ran a partition"
    assert all(misses == 1 for _, misses in loads)  # the spaCy pipeline loaded once per worker
    assert sum(hits + misses for hits, misses in loads) > len(loads)  # ... and used by later tasks


def test_a_worker_killed_mid_run_changes_nothing(corpus, embedded, cluster, tmp_path):
    out, work = tmp_path / "out", tmp_path / "w"
    cmd = [sys.executable, "-m", "timeline", "run", str(corpus), "--out", str(out), "--no-figures", "--no-summaries",
           "--scheduler", cluster.address, "--partition-size", "1", "--workdir", str(work)]
    run = subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 600
        while not list((work / "partitions").glob("*.parquet")) and run.poll() is None:
            assert time.monotonic() < deadline, "no partition written in 10 minutes"
            time.sleep(0.2)
        victim = cluster.workers[0]
        os.killpg(victim.pid, signal.SIGKILL)  # the worker dies with whatever it was running
        _, stderr = run.communicate(timeout=900)
    finally:
        if run.poll() is None:
            run.kill()
    assert victim.wait(timeout=30) != 0
    print(f"run after the kill: exit {run.returncode}")
    if run.returncode != 0:  # Dask gave up on the task: the next start resumes from the partitions written
        done = _run(corpus, out, "--scheduler", "synchronous", "--partition-size", "1", "--workdir", str(work))
        assert done.returncode == 0, done.stderr
        assert "reused" in done.stderr and "(0 reused" not in done.stderr
    else:
        n = _partitions(corpus, 1)
        assert f"partitions: {n} (0 reused, {n} computed)" in stderr
    assert _snapshot(out) == embedded


def test_a_rerun_reuses_its_partitions_and_a_changed_article_only_its_own(corpus, tmp_path):
    from timeline.pipeline import build_timeline

    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    work = tmp_path / "work"
    first = build_timeline(folder, model=None, scheduler="synchronous", workdir=work, partition_size=3)
    n = _partitions(folder, 3)
    assert n >= 2 and (first.work["partitions"], first.work["reused"], first.work["computed"]) == (n, 0, n)
    again = build_timeline(folder, model=None, scheduler="synchronous", workdir=work, partition_size=3)
    assert (again.work["reused"], again.work["computed"]) == (n, 0)
    assert again.entries == first.entries and again.events == first.events and again.refdates == first.refdates
    # the last article by name sits in the last partition; changing it leaves the others valid
    last = sorted(p for p in folder.glob("*.txt"))[-1]
    last.write_text(last.read_text(encoding="utf-8") + "\nThe minister resigned on Friday.\n", encoding="utf-8")
    changed = build_timeline(folder, model=None, scheduler="synchronous", workdir=work, partition_size=3)
    assert (changed.work["reused"], changed.work["computed"]) == (n - 1, 1)
    assert changed.corpus[last.stem].raw.endswith("The minister resigned on Friday.\n")
    assert any(e.article == last.stem and "resigned" in e.text for e in changed.events)
    # the old version's partition is never read again: removed once the run has all its partitions;
    # a file in the workdir that is not a partition stays
    assert changed.work["pruned"] == 1 and again.work["pruned"] == 0
    assert len(list((work / "partitions").glob("*.parquet"))) == n
    (work / "partitions" / "notes.txt").write_text("mine", encoding="utf-8")
    build_timeline(folder, model=None, scheduler="synchronous", workdir=work, partition_size=3)
    assert (work / "partitions" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_default_workdir_is_one_folder_per_input(tmp_path, monkeypatch):
    from timeline.cluster import default_workdir

    monkeypatch.setenv("TIMELINE_CACHE", str(tmp_path / "cache"))
    a, b = tmp_path / "a", tmp_path / "b"
    assert default_workdir(a) != default_workdir(b)
    assert default_workdir(a) == default_workdir(tmp_path / "x" / ".." / "a")  # the same folder, however named
    assert default_workdir(a).parent == tmp_path / "cache" / "partitions-work"


def test_the_partition_path_gives_the_in_process_records(corpus, tmp_path):
    from timeline.corpus import load_corpus
    from timeline.events import apply_window
    from timeline.pipeline import build_timeline, event_stages

    loaded = load_corpus(corpus)
    inline = event_stages(loaded)
    result = build_timeline(corpus, model=None, scheduler="synchronous", workdir=tmp_path / "w", partition_size=2)
    assert result.corpus == loaded
    assert result.refdates == inline.refdates and list(result.refdates) == list(inline.refdates)
    assert result.timexes == inline.timexes
    assert result.predicates == tuple(apply_window(inline.events, result.window))


def test_records_round_trip_through_parquet(corpus, tmp_path):
    from timeline.corpus import SourceStream
    from timeline.partitions import decode_rows, from_json, read_partition, run_partition, to_json, write_partition
    from timeline.places import load_table
    from timeline.records import Offsets

    sources = list(SourceStream(corpus))[:3]
    rows = run_partition(sources, load_table(corpus))
    write_partition(tmp_path, "k" * 40, rows)
    back = decode_rows(read_partition(tmp_path, "k" * 40, 3))
    again = decode_rows(rows)
    assert back == again
    shared = decode_rows(rows, memo={})  # as the driver reads them: equal text decoded once
    assert shared == back
    events = [e for _a, _r, _t, evs in shared for e in evs]
    same_sentence = [(a, b) for a, b in zip(events, events[1:]) if a.sentence == b.sentence and a.word_kinds]
    assert same_sentence and all(a.sentence is b.sentence and a.word_kinds is b.word_kinds for a, b in same_sentence)
    for article, ref, timexes, events in back:
        assert isinstance(article.offsets, Offsets) and isinstance(timexes, tuple) and isinstance(events, tuple)
        assert to_json(article) == rows[[r["id"] for r in rows].index(article.id)]["article"]
        assert events and all(isinstance(e.places, tuple) for e in events)
        assert any(e.timex is not None for a in back for e in a[3])
        assert isinstance(ref.best, (date, type(None)))
    # every field of every record type, with tuples, dates, nested records and odd floats
    article = back[0][0]
    odd = dataclasses.replace(article, offsets=(0, 1, 2, 7, 8, 3), removed=((1, 2, "why"),), published=date(2016, 2, 29))
    assert from_json(to_json(odd)) == odd
    assert from_json(to_json({"a": (1.0000000000000002, None)})) == {"a": (1.0000000000000002, None)}
    assert read_partition(tmp_path, "k" * 40, 4) is None  # not the expected size: computed again
    (tmp_path / "partitions" / ("k" * 40 + ".parquet")).write_bytes(b"PAR1 truncated")
    assert read_partition(tmp_path, "k" * 40, 3) is None


def test_the_partitions_carry_each_articles_clause_vectors(corpus, tmp_path):
    """The workers embed: a partition holds its articles' clause vectors, the same bytes the
    in-process run computes for them, whatever else the partition or the corpus holds."""
    import numpy as np

    from timeline.corpus import SourceStream, load_corpus
    from timeline.embeddings import article_vectors
    from timeline.partitions import decode_rows, decode_vectors, read_partition, run_partition, write_partition
    from timeline.pipeline import event_stages
    from timeline.places import load_table

    sources = list(SourceStream(corpus))
    write_partition(tmp_path, "v" * 40, run_partition(sources[1:4], load_table(corpus)))
    rows = read_partition(tmp_path, "v" * 40, 3)
    stored = decode_vectors(rows)
    inline = event_stages(load_corpus(corpus), vectors=True)
    for article, _ref, _timexes, events in decode_rows(rows):
        texts, vectors = stored[article.id]
        assert texts and texts == list(dict.fromkeys(e.text for e in events if e.value is not None))
        assert vectors.shape == (len(texts), 384) and vectors.dtype == np.float32
        assert np.array_equal(vectors, article_vectors(events)[1])  # alone, as in-process: the same bytes
        mine = [t for t in texts if t in inline.vectors]
        assert np.array_equal(inline.vectors(mine), vectors[[texts.index(t) for t in mine]])


def test_the_cross_article_stages_read_the_per_article_vectors_and_embed_nothing_again(corpus):
    from dataclasses import replace

    from timeline.corpus import load_corpus
    from timeline.events import apply_window, for_timeline
    from timeline.merging import merge_events
    from timeline.ordering import corpus_window, in_campaign
    from timeline.pipeline import event_stages
    from timeline.selection import select

    loaded = load_corpus(corpus)
    stages = event_stages(loaded, vectors=True)
    window = corpus_window(stages.events, [r.best for r in stages.refdates.values()])
    events = list(for_timeline(apply_window(stages.events, window)))
    merged = merge_events(events, embed=stages.vectors)
    chosen = select([replace(e, in_campaign=in_campaign(e, window)) for e in merged], events, loaded.articles,
                    embed=stages.vectors)
    assert len(stages.vectors) >= len({e.text for e in events if e.value is not None}) > 20
    assert chosen.entries and stages.vectors.misses == 0  # no text went to the model a second time


def test_the_stream_reads_one_article_at_a_time(tmp_path):
    from timeline.corpus import SourceStream

    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(f"Headline {name}\n\nText of {name} on 3 May 2016.\n", encoding="utf-8")
    stream = iter(SourceStream(tmp_path))
    assert next(stream).id == "a"
    (tmp_path / "b.txt").write_text("Headline b\n\nRewritten after a was read.\n", encoding="utf-8")
    assert "Rewritten" in next(stream).text  # b was not read before a was handed out
    assert next(stream).id == "c"


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Headline\n\nTalks opened on 3 May 2016.\n", encoding="utf-8")
    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    done = _run(tmp_path / "in", tmp_path / "out", "--scheduler", address)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith(f"error: --scheduler {address}: no dask scheduler answers")
    assert "Traceback" not in done.stderr


def test_a_bad_scheduler_value_is_refused_before_any_work(tmp_path):
    done = _run(ROOT / "seeds", tmp_path / "out", "--scheduler", "threads")
    assert done.returncode == 2 and "expected auto, synchronous, local or tcp://HOST:PORT" in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("shape", ["jsonl", "dataframe"])
def test_jsonl_and_dataframe_inputs_stream_through_the_partitions(shape, tmp_path):
    import json

    import pandas as pd

    from timeline.corpus import load_corpus
    from timeline.pipeline import build_timeline, event_stages

    seeds = load_corpus(ROOT / "seeds")
    rows = [{"id": a.id, "title": a.headline, "date": a.published.isoformat(), "text": a.raw} for a in seeds][:3]
    if shape == "jsonl":
        source = tmp_path / "articles.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in rows) + "{not json\n", encoding="utf-8")
    else:
        source = pd.DataFrame(rows)
    loaded = load_corpus(source)
    inline = event_stages(loaded)
    result = build_timeline(source, model=None, scheduler="synchronous", workdir=tmp_path / "w", partition_size=2)
    assert result.work["partitions"] == 2
    assert result.corpus == loaded  # same articles, same load errors (the bad JSON line) and notices
    assert result.refdates == inline.refdates and result.timexes == inline.timexes
    assert (shape == "jsonl") == bool(result.corpus.errors)


def test_auto_runs_a_small_corpus_in_process_and_a_large_one_on_a_local_cluster(tmp_path):
    from timeline.cluster import EngineSettings, choose_scheduler, estimate_articles
    from timeline.corpus import load_corpus

    folder = tmp_path / "in"
    shutil.copytree(ROOT / "seeds", folder, ignore=shutil.ignore_patterns("summary_cache*", ".*"))
    assert estimate_articles(folder) == 5  # metadata.csv and places.toml are not articles
    (folder / "more.jsonl").write_text("".join(f'{{"text": "Talks {i} opened on 3 May 2016."}}\n' for i in range(7)),
                                       encoding="utf-8")
    assert estimate_articles(folder) == 12 == len(load_corpus(folder))
    assert choose_scheduler(folder, EngineSettings()) == "in-process"
    assert choose_scheduler(folder, EngineSettings(local_threshold=12)) == "local"
    assert choose_scheduler(load_corpus(folder), EngineSettings(local_threshold=12)) == "in-process"
    assert choose_scheduler(folder, EngineSettings(scheduler="synchronous")) == "synchronous"
    assert estimate_articles(folder / "more.jsonl") == 7
    with pytest.raises(ValueError, match="tcp://HOST:PORT"):
        EngineSettings(scheduler="tcp://nowhere")
