"""The whole pipeline (no summaries) on 1k, 10k (and optionally 100k) real articles: time per article
and peak memory per process, for the one-process path and the Dask path with 1 and 2 workers.

    python benchmarks/bench_scale.py [--sizes 1000,10000] [--with-100k] [--modes one,dask1,dask2]
    python benchmarks/bench_scale.py --sizes 100,300          # a quick run (a few minutes)

The corpus: every real article text at hand -- the seeds (seeds/*.txt, dates and headlines from
seeds/metadata.csv), the SemEval-2015 trial articles and the TempEval-3 TimeBank and AQUAINT
documents (read from ../shared/data with the readers of timeline.evaluate) -- copied until the size
is reached. Copy k of the pool is moved k whole years later: its publication date and every year
number (1800-2099) in its text, so the explicit dates move with the reference date and each copy
is a story of its own year, as an archive's stories are. The corpus is one JSONL file in a temporary
folder (never in the repository), deleted at the end unless ``--keep``.

Each (size, mode) runs in a fresh Python process, so peak RSS (``resource.getrusage``) is that
run's own; the embedding cache points at an empty temporary folder (``TIMELINE_CACHE``), so every
run computes its vectors. Modes:

- ``one``: today's one-process path, ``build_timeline(load_corpus(path), model=None)`` (a loaded
  corpus always runs in this process: the whole corpus in memory, as before the Dask engine);
- ``dask1`` / ``dask2``: the Dask engine on a ``LocalCluster(n_workers=1|2, threads_per_worker=1)``,
  ``build_timeline(path, model=None, scheduler=<its address>, workdir=<temp>)``; peak RSS of each
  worker process is read on the worker (``client.run``), and the client's own is printed beside it.
  When ``build_timeline`` has no ``scheduler`` parameter yet, these columns say so and are skipped.

Printed: per mode and size, seconds, ms/article, timeline candidates, a digest of the entries (the
modes must agree), peak RSS of the main process and of each worker; then per mode the cost per
article at the largest size relative to the smallest (goal: within 1.2x) and the peak memory per
worker process as the corpus grows (goal: flat). Times are wall-clock on a shared machine: compare
ratios within one run.
"""
from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import logging
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

MODES = ("one", "dask1", "dask2")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def pool() -> list[dict]:
    """The real articles: {"id", "title", "text", "published" (date or None)}, in a fixed shuffled order."""
    from timeline.corpus.metadata import read_metadata

    out = []
    seeds = ROOT / "seeds"
    meta, _ = read_metadata(seeds / "metadata.csv")
    for path in sorted(seeds.glob("*.txt")):
        m = meta.get(path.name) or meta.get(path.stem)
        out.append({"id": f"seed-{path.stem}", "title": getattr(m, "headline", None) or "",
                    "text": path.read_text(encoding="utf-8"), "published": getattr(m, "published", None)})
    semeval = SHARED / "semeval2015-trial" / "corpus"
    if semeval.is_dir():
        from timeline.evaluate.semeval import read_corpus

        for doc_id, doc in sorted(read_corpus(semeval, keep_date_line=False).items()):
            out.append({"id": f"semeval-{doc_id}", "title": doc.title, "text": doc.body, "published": doc.published})
    for part in ("TimeBank", "AQUAINT"):
        folder = SHARED / "tempeval3" / part
        if not folder.is_dir():
            continue
        from timeline.evaluate.tempeval import read_tml

        for path in sorted(folder.glob("*.tml")):
            doc = read_tml(path)
            published = date.fromisoformat(doc.dct) if doc.dct and re.fullmatch(r"\d{4}-\d\d-\d\d", doc.dct) else None
            out.append({"id": f"tempeval-{path.stem}", "title": "", "text": doc.text.strip(), "published": published})
    random.Random(0).shuffle(out)  # any prefix mixes the sources as the whole pool does
    return out


def _later(day: date | None, years: int) -> str | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years).isoformat()
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28).isoformat()


def write_corpus(articles: list[dict], size: int, path: Path) -> int:
    """``size`` articles (copy k of the pool moved k years) as JSONL at ``path``; returns bytes written."""
    with open(path, "w", encoding="utf-8") as fh:
        for n in range(size):
            copy, a = divmod(n, len(articles))
            base = articles[a]
            shift = lambda m: str(int(m.group(1)) + copy)  # noqa: E731
            record = {"id": f"c{copy:04d}-{base['id']}", "title": _YEAR.sub(shift, base["title"]),
                      "text": _YEAR.sub(shift, base["text"]), "published": _later(base["published"], copy)}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path.stat().st_size


def _digest(entries) -> str:
    h = hashlib.sha256()
    for e in entries:
        h.update(f"{e.date}|{e.start}|{e.end}|{[(s.article, s.start, s.end) for s in e.sources]}\n".encode())
    return h.hexdigest()[:12]


def _worker_peak_mb() -> float:
    import resource as r

    return r.getrusage(r.RUSAGE_SELF).ru_maxrss / 1024


def _worker_rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


class _Sampler:
    """Current RSS of each worker every ``every`` seconds while the run goes on (a thread of the child).

    Peak RSS alone cannot tell growth from a spike; the series can: flat memory per worker means the
    samples of the second half of the per-article phase are no higher than those of the first.
    """

    def __init__(self, client, every: float = 10.0):
        import threading

        self.client, self.every, self.samples = client, every, []  # (seconds since start, [MB per worker])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._t0 = time.perf_counter()
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                values = sorted(self.client.run(_worker_rss_mb).values())
            except Exception:  # the cluster is closing
                return
            self.samples.append((time.perf_counter() - self._t0, values))

    def stop(self) -> list:
        self._stop.set()
        self._thread.join()
        return self.samples


class _PhaseClock(logging.Handler):
    """Notes when the engine has read back its partitions: the end of the per-article phase."""

    def __init__(self):
        super().__init__()
        self.at: float | None = None

    def emit(self, record) -> None:
        if self.at is None and record.getMessage().startswith("partitions:"):
            self.at = time.perf_counter()


def run_one(corpus: Path, mode: str, workdir: Path) -> dict:
    """One (corpus, mode) run in this process; the numbers as a dict (printed as JSON by --child)."""
    from timeline.pipeline import build_timeline

    import logging

    kwargs: dict = {"model": None}
    cluster = client = sampler = None
    clock = _PhaseClock()
    engine_log = logging.getLogger("timeline.cluster")
    engine_log.addHandler(clock)
    engine_log.setLevel(logging.DEBUG)
    if mode != "one":
        if "scheduler" not in inspect.signature(build_timeline).parameters:
            return {"skipped": "build_timeline has no scheduler= parameter (the Dask engine is not in this branch)"}
        from dask.distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=int(mode[-1]), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
        kwargs.update(scheduler=cluster.scheduler_address, workdir=workdir)
    try:
        t0 = time.perf_counter()
        if client is not None:
            sampler = _Sampler(client)
        if mode == "one":  # a loaded Corpus always runs in this process, as before the engine
            from timeline.corpus import load_corpus

            result = build_timeline(load_corpus(corpus), **kwargs)
        else:
            result = build_timeline(str(corpus), **kwargs)
        seconds = time.perf_counter() - t0
        samples = sampler.stop() if sampler is not None else []
        workers = sorted(client.run(_worker_peak_mb).values()) if client is not None else []
    finally:
        if client is not None:
            client.close()
            cluster.close()
    return {"seconds": seconds, "candidates": len(result.candidates), "entries": len(result.entries),
            "digest": _digest(result.candidates), "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "workers_mb": workers, "per_article_s": (clock.at - t0) if clock.at is not None else None,
            "rss_series": samples}


def _series(samples: list, until: float | None) -> str:
    """Worker RSS at a quarter, half, three quarters and the end of the per-article phase."""
    everything = samples
    samples = [s for s in samples if until is None or s[0] <= until]
    if len(samples) < 4:
        return ""
    picks = [samples[max(0, round(q * len(samples)) - 1)] for q in (0.25, 0.5, 0.75, 1.0)]
    after = [max(values) for t, values in everything if until is not None and t > until]
    return "  rss over the per-article phase: " + " | ".join(
        f"{t:.0f}s {'/'.join(f'{mb:.0f}' for mb in values)}" for t, values in picks) + " MB" + (
        f"; highest worker after it (cross-article tasks): {max(after):.0f} MB" if after else "")


def _child(corpus: Path, mode: str, tmp: Path) -> dict:
    env = dict(os.environ, TIMELINE_CACHE=str(tmp / f"cache-{mode}-{corpus.stem}"), PYTHONPATH=str(ROOT),
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    workdir = tmp / f"work-{mode}-{corpus.stem}"
    done = subprocess.run([sys.executable, __file__, "--child", str(corpus), mode, str(workdir)],
                          env=env, capture_output=True, text=True)
    last = done.stdout.strip().splitlines()[-1:] if done.stdout.strip() else []
    if done.returncode != 0 or not last:
        return {"failed": f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1:] or '(no message)'}"}
    return json.loads(last[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (articles)")
    parser.add_argument("--with-100k", action="store_true", help="add a 100,000-article corpus (hours; ~1 GB disk)")
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated, of {', '.join(MODES)}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (corpora, Parquet parts)")
    parser.add_argument("--child", nargs=3, metavar=("CORPUS", "MODE", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        corpus, mode, workdir = args.child
        print(json.dumps(run_one(Path(corpus), mode, Path(workdir))))
        return 0

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()} | ({100_000} if args.with_100k else set()))
    modes = [m for m in args.modes.split(",") if m]
    unknown = [m for m in modes if m not in MODES]
    if unknown or not sizes:
        parser.error(f"unknown mode(s) {unknown}; choose from {', '.join(MODES)}" if unknown else "no sizes")
    articles = pool()
    print(f"pool: {len(articles)} real articles (seeds, SemEval trial, TempEval-3); sizes {sizes}; modes {modes}")
    tmp = Path(tempfile.mkdtemp(prefix="bench_scale-"))
    need = max(sizes) * sum(len(a["text"]) for a in articles) / len(articles) * 1.3
    if shutil.disk_usage(tmp).free < 3 * need:
        print(f"not enough disk in {tmp} for {max(sizes)} articles (~{need / 1e6:.0f} MB needed)")
        return 1
    rows: dict[tuple[int, str], dict] = {}
    try:
        for size in sizes:
            corpus = tmp / f"corpus-{size}.jsonl"
            written = write_corpus(articles, size, corpus)
            print(f"\n{size} articles ({written / 1e6:.1f} MB JSONL, {-(-size // len(articles))} copies of the pool)")
            for mode in modes:
                row = rows[(size, mode)] = _child(corpus, mode, tmp)
                if "seconds" in row:
                    workers = ", ".join(f"{mb:.0f}" for mb in row["workers_mb"]) or "-"
                    print(f"  {mode:6} {row['seconds']:8.1f} s {1000 * row['seconds'] / size:7.1f} ms/article  "
                          f"{row['candidates']:6} candidates  digest {row['digest']}  main {row['main_mb']:6.0f} MB  "
                          f"workers {workers} MB", flush=True)
                    if row.get("per_article_s") is not None:
                        cross = row["seconds"] - row["per_article_s"]
                        print(f"         per-article phase {row['per_article_s']:.1f} s "
                              f"({1000 * row['per_article_s'] / size:.1f} ms/article), cross-article "
                              f"{cross:.1f} s ({1000 * cross / size:.1f} ms/article)"
                              f"{_series(row.get('rss_series', []), row['per_article_s'])}", flush=True)
                else:
                    print(f"  {mode:6} {row.get('skipped') or row.get('failed')}", flush=True)
            digests = {rows[(size, m)].get("digest") for m in modes if "digest" in rows[(size, m)]}
            if len(digests) > 1:
                print(f"  !! the modes disagree at {size} articles: digests {sorted(digests)}")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    small, large = sizes[0], sizes[-1]
    print(f"\nper-article cost at {large} relative to {small} (goal <= 1.2x); peak MB per process as the corpus grows")
    for mode in modes:
        a, b = rows.get((small, mode), {}), rows.get((large, mode), {})
        if "seconds" not in a or "seconds" not in b:
            print(f"  {mode:6} -")
            continue
        ratio = (b["seconds"] / large) / (a["seconds"] / small)
        memory = " -> ".join(
            f"{max(rows[(s, mode)]['workers_mb'] or [rows[(s, mode)]['main_mb']]):.0f}" for s in sizes
            if "seconds" in rows.get((s, mode), {}))
        phase = ""
        if a.get("per_article_s") and b.get("per_article_s"):
            phase = f" (per-article phase {(b['per_article_s'] / large) / (a['per_article_s'] / small):.2f}x)"
        print(f"  {mode:6} {ratio:5.2f}x{phase}   peak per {'worker' if mode != 'one' else 'process'}: {memory} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
