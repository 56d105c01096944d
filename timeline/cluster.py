"""Where the per-article stages run: in this process as today, or as Dask tasks, one per partition.

``per_article_stages(source, engine)`` is what ``pipeline.build_timeline`` calls to get the corpus
and its ``EventStages``. The scheduler (``EngineSettings.scheduler``):

* ``auto`` (the default): below ``EngineSettings.local_threshold`` articles (counted before reading,
  ``estimate_articles``), the stages run in this process exactly as before (no Dask, no partition
  files); from there on, as ``local``.
* ``synchronous``: the partition tasks run one after another in this process (Dask's synchronous
  scheduler), with partition files, so a rerun resumes.
* ``local``: a ``distributed.LocalCluster`` of one single-threaded worker process per usable core
  (``EngineSettings.workers`` to choose).
* ``tcp://HOST:PORT``: an existing Dask scheduler; its workers need this package importable.

Articles are read here (``corpus.SourceStream``), in partitions of ``partition_size``, and at most
``in_flight`` partitions per worker are queued at once, so neither this process nor a worker holds
the corpus before the cross-article stages. Each finished partition is written to
``<workdir>/partitions/`` (``timeline.partitions``) by this process, so workers need no shared
disk; a partition already there is read instead of computed. Once a run has read all its
partitions, the workdir's other partition files (older articles, settings or code) are removed;
the default workdir is one folder per input, so another corpus's partitions are never touched. A
worker that dies is replaced by Dask, which reruns its tasks elsewhere; a run killed outright
resumes from the partitions written.
"""
from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SCHEDULERS = ("auto", "synchronous", "local")


@dataclass(frozen=True)
class EngineSettings:
    """How and where the per-article stages run (see the module docstring)."""

    scheduler: str = "auto"  # auto | synchronous | local | tcp://HOST:PORT
    partition_size: int = 16  # articles per task (and per partition file)
    #: ``auto`` uses a LocalCluster from this many articles on (why this number: benchmarks/NOTES_engine.md).
    local_threshold: int = 1000
    workers: int | None = None  # LocalCluster worker processes (default: the usable cores)
    in_flight: int = 2  # partitions queued per worker at once
    workdir: Path | None = None  # partition files (default: <cache root>/partitions-work)

    def __post_init__(self) -> None:
        check_scheduler(self.scheduler)
        if self.partition_size < 1:
            raise ValueError(f"partition_size must be at least 1, got {self.partition_size}")


def check_scheduler(value: str) -> str:
    """``value`` if it names a scheduler, else ValueError saying what is accepted."""
    if value in SCHEDULERS or (value.startswith("tcp://") and value[6:].rpartition(":")[2].isdigit()):
        return value
    raise ValueError(f"scheduler {value!r}: expected auto, synchronous, local or tcp://HOST:PORT "
                     "(the address of a running dask scheduler)")


class SchedulerUnavailable(RuntimeError):
    """The dask scheduler given by address cannot be reached; the message says which and what to do."""


@dataclass
class Work:
    """What the engine did this run (logged, never written into the outputs)."""

    scheduler: str = "in-process"
    partitions: int = 0
    reused: int = 0
    computed: int = 0
    pruned: int = 0  # partition files of older articles, settings or code removed after the run
    workers: int = 0
    dashboard: str | None = None
    keys: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"scheduler": self.scheduler, "partitions": self.partitions, "reused": self.reused,
                "computed": self.computed, "pruned": self.pruned, "workers": self.workers}


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def estimate_articles(source: Any, *, stop_at: int | None = None) -> int:
    """How many articles ``source`` holds, counted without reading them: article files, plus lines of
    ``.jsonl`` / ``.csv`` files. Counting stops at ``stop_at`` (enough to choose a scheduler)."""
    from .corpus import Corpus
    from .corpus.readers import kind_of
    from .corpus.stream import is_dataframe

    if isinstance(source, Corpus) or is_dataframe(source):
        return len(source)
    from .corpus.metadata import input_rules

    rules = input_rules()["files"]
    path = Path(source)
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    total = 0
    for entry in files:
        if entry.name.lower() == rules["metadata"] or entry.name in rules.get("companions", ()):
            continue
        kind = kind_of(entry.name)
        if kind in ("text", "html") and not entry.name.startswith("."):
            total += 1
        elif kind in ("jsonl", "table") and entry.is_file():
            try:
                with open(entry, "rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        total += block.count(b"\n")
                        if stop_at is not None and total >= stop_at:
                            return total
            except OSError:
                pass
        if stop_at is not None and total >= stop_at:
            return total
    return total


def default_workdir(source: Any = None) -> Path:
    """``<cache root>/partitions-work/<source>``: one folder per input (a hash of its resolved path;
    ``in-memory`` for a DataFrame), so that pruning after a run (``partitions.prune_partitions``)
    never touches another corpus's partitions."""
    from .corpus.stream import is_dataframe
    from .models import cache_root

    root = cache_root() / "partitions-work"
    if source is None or is_dataframe(source):
        return root / "in-memory"
    name = str(Path(source).resolve())
    return root / hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def choose_scheduler(source: Any, engine: EngineSettings) -> str:
    """``in-process`` (today's path, no Dask), or the scheduler ``engine`` names; ``auto`` picks
    ``local`` from ``engine.local_threshold`` articles on (a loaded Corpus always runs in process)."""
    from .corpus import Corpus

    if engine.scheduler != "auto":
        return engine.scheduler
    if isinstance(source, Corpus):
        return "in-process"
    small = estimate_articles(source, stop_at=engine.local_threshold) < engine.local_threshold
    return "in-process" if small else "local"


def per_article_stages(source: Any, engine: EngineSettings, *, progress: bool = False):
    """(corpus, place table, EventStages, Work) of ``source`` (a path, a DataFrame or a loaded Corpus)."""
    from . import places
    from .corpus import Corpus, load_corpus
    from .pipeline import corpus_folder, event_stages

    scheduler = choose_scheduler(source, engine)
    if scheduler == "in-process":
        corpus = source if isinstance(source, Corpus) else load_corpus(source)
        table = places.load_table(corpus_folder(corpus))
        return corpus, table, event_stages(corpus, table=table, vectors=True), Work()
    return _partitioned(source, engine, scheduler, progress=progress)


def _chunks(stream, size: int):
    chunk: list = []
    for src in stream:
        chunk.append(src)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Progress:
    """One bar over the articles of the run (partitions reused or computed), with a remaining-time estimate."""

    def __init__(self, enabled: bool, total: int):
        self.bar = None
        if enabled:
            try:
                from tqdm import tqdm

                self.bar = tqdm(total=total or None, unit="article", desc="per-article stages", leave=True,
                                dynamic_ncols=True, mininterval=0.5)
            except ImportError:
                self.bar = None

    def add(self, n: int, *, reused: int, computed: int) -> None:
        if self.bar is not None:
            if self.bar.total is not None and self.bar.n + n > self.bar.total:
                self.bar.total = self.bar.n + n
            self.bar.set_postfix_str(f"partitions: {reused} reused, {computed} computed", refresh=False)
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _client(scheduler: str, engine: EngineSettings, work: Work):
    """(client, cluster or None) for ``local`` or ``tcp://``; logs the dashboard address."""
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler == "local":
        n = engine.workers or usable_cores()
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise SchedulerUnavailable(
                f"--scheduler {scheduler}: no dask scheduler answers there ({exc}); start one "
                f"(dask scheduler, then dask worker {scheduler}) or use --scheduler auto") from None
    info = client.scheduler_info()
    work.workers = len(info.get("workers", {}))
    if "dashboard" in info.get("services", {}):
        import importlib.util

        work.dashboard = client.dashboard_link
        if importlib.util.find_spec("bokeh") is None:
            work.dashboard += " (its pages need bokeh, not installed here)"
    return client, cluster


def _partitioned(source: Any, engine: EngineSettings, scheduler: str, *, progress: bool):
    from . import places
    from .corpus import Corpus
    from .corpus.stream import SourceStream
    from .exports import loggable
    from .embeddings import VectorTable
    from .partitions import decode_rows, decode_vectors, has_partition, partition_key, prune_partitions, read_partition, \
        run_partition, settings_fingerprint, write_partition
    from .pipeline import EventStages

    if isinstance(source, Corpus):
        raise TypeError("a loaded Corpus runs in this process; give the folder or file to run it on Dask")
    workdir = Path(engine.workdir) if engine.workdir is not None else default_workdir(source)
    stream = SourceStream(source)
    work = Work(scheduler=scheduler)
    level = logging.INFO if progress else logging.DEBUG
    table = None
    settings = ""
    client = cluster = None
    bar = None
    sizes: dict[str, int] = {}
    try:
        if scheduler != "synchronous":
            client, cluster = _client(scheduler, engine, work)
            log.log(level, "dask scheduler %s, %d workers; dashboard: %s", client.scheduler.address, work.workers,
                    work.dashboard or "off")
        bar = _Progress(progress, estimate_articles(source))
        limit = max(1, work.workers or 1) * engine.in_flight
        pending: dict = {}  # future -> key

        def collect(done_future) -> None:
            key = pending.pop(done_future)
            write_partition(workdir, key, done_future.result())
            work.computed += 1
            bar.add(sizes[key], reused=work.reused, computed=work.computed)

        if client is not None:
            from distributed import as_completed

            running = as_completed(loop=client.loop)  # this client's, not the process's default one
        for chunk in _chunks(stream, engine.partition_size):
            if table is None:  # the companion files sit beside the first article (pipeline.corpus_folder)
                table = places.load_table(Path(chunk[0].path).parent)
                settings = settings_fingerprint(table)
            key = partition_key(chunk, settings)
            work.keys.append(key)
            sizes[key] = len(chunk)
            if has_partition(workdir, key, len(chunk)):
                work.reused += 1
                bar.add(len(chunk), reused=work.reused, computed=work.computed)
                continue
            if client is None:
                import dask

                rows = dask.delayed(run_partition, pure=True)(chunk, table).compute(scheduler="synchronous")
                write_partition(workdir, key, rows)
                work.computed += 1
                bar.add(len(chunk), reused=work.reused, computed=work.computed)
                continue
            future = client.submit(run_partition, chunk, table, key=f"timeline-partition-{key}")
            pending[future] = key
            running.add(future)
            while len(pending) >= limit:
                collect(next(running))
        while client is not None and pending:
            collect(next(running))
    finally:
        if bar is not None:
            bar.close()
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    errors, notices = stream.finish()
    work.partitions = len(work.keys)
    log.log(level, "partitions: %d (%d reused, %d computed) in %s", work.partitions, work.reused, work.computed,
            loggable(str(workdir)))
    records = []
    memo: dict = {}  # equal strings and word-kind tuples decoded once for the whole run
    vectors: dict[str, tuple[list[str], Any]] = {}
    for key in work.keys:
        rows = read_partition(workdir, key, sizes[key])
        if rows is None:
            raise RuntimeError(f"partition {key} in {workdir} vanished or was damaged during the run; run again")
        records.extend(decode_rows(rows, memo))
        vectors.update(decode_vectors(rows))
    del memo
    work.pruned = prune_partitions(workdir, set(work.keys))  # every partition this run needs is read
    if work.pruned:
        log.log(level, "removed %d partition files no longer used (older articles, settings or code)", work.pruned)
    records.sort(key=lambda r: r[0].id)
    corpus = Corpus(tuple(r[0] for r in records), errors, notices)
    if not corpus.articles:
        from .corpus import no_articles

        raise no_articles(stream.where, corpus)
    table_of_vectors = VectorTable()
    for article_id in sorted(vectors):  # in id order, as embeddings.embed_articles adds them
        table_of_vectors.add(*vectors[article_id])
    stages = EventStages({r[0].id: r[1] for r in records}, {r[0].id: r[2] for r in records},
                         tuple(e for r in records for e in r[3]), table_of_vectors)
    return corpus, table if table is not None else places.EMPTY, stages, work
