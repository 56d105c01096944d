"""Where should ``--scheduler auto`` switch from this process to a LocalCluster? Time both, by size.

    python benchmarks/bench_engine.py [--sizes 10 40 120] [--workers 2] [--stages-only]

Builds corpora of N distinct articles from real texts (the seeds and the SemEval trial articles
read from ../shared; copy k of an article gets one extra closing line naming k, so no parse is
shared), then times ``build_timeline(model=None)`` on each, each in a fresh process with an empty
cache folder (so the spaCy parse, the embeddings and the partitions are all computed):

* ``in-process``: today's path (what ``auto`` does below ``EngineSettings.local_threshold``);
* ``synchronous``: the partition tasks in this process, with Parquet partitions;
* ``local``: a LocalCluster of ``--workers`` single-threaded worker processes.

Prints wall seconds per mode and size and the ratio to in-process measured in the same run;
the size from which ``local`` wins is what ``local_threshold`` should be on this machine.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEMEVAL = ROOT.parent / "shared" / "data" / "semeval2015-trial" / "corpus"


def base_articles() -> list[tuple[str, str, str, str]]:
    """(stem, text, published, headline) of the seeds and the SemEval trial articles."""
    sys.path.insert(0, str(ROOT))
    from timeline.corpus import load_corpus
    from timeline.evaluate.semeval import read_corpus

    out = [(a.id, a.raw, a.published.isoformat() if a.published else "", a.headline or "")
           for a in load_corpus(ROOT / "seeds")]
    if SEMEVAL.is_dir():
        for doc in read_corpus(SEMEVAL).values():
            out.append((doc.doc_id, doc.text, doc.published.isoformat() if doc.published else "", doc.title))
    return out


def make_corpus(folder: Path, n: int, base) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["file", "published", "source", "headline", "note"])
    for i in range(n):
        stem, text, published, headline = base[i % len(base)]
        copy = i // len(base)
        name = f"{i:06d}_{stem}"[:90] + ".txt"
        (folder / name).write_text(text.rstrip("\n") + f"\n\nCopy {copy} of this article.\n", encoding="utf-8")
        writer.writerow([name, published, "bench", headline, ""])
    (folder / "metadata.csv").write_text(buf.getvalue(), encoding="utf-8")
    return folder


CHILD = """
import json, sys, time
from timeline.corpus import load_corpus
from timeline.pipeline import build_timeline
import timeline.cluster as c
mode, corpus, workdir, workers, stages_only = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == "1"
if workers:
    c.usable_cores = lambda: workers
t0 = time.perf_counter()
if stages_only:  # only what the scheduler choice changes: the per-article stages
    engine = c.EngineSettings(scheduler="auto", local_threshold=10**9) if mode == "in-process" else \
        c.EngineSettings(scheduler=mode, workdir=workdir)
    corpus_, _, stages, _ = c.per_article_stages(corpus, engine)
    out = {"entries": 0, "events": len(stages.events)}
elif mode == "in-process":
    result = build_timeline(load_corpus(corpus), model=None)
    out = {"entries": len(result.entries), "events": len(result.events)}
else:
    result = build_timeline(corpus, model=None, scheduler=mode, workdir=workdir)
    out = {"entries": len(result.entries), "events": len(result.events)}
out["seconds"] = time.perf_counter() - t0
print(json.dumps(out))
"""


def run(mode: str, corpus: Path, workers: int, stages_only: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-engine-cache-") as cache:
        env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
                   TIMELINE_CACHE=cache, TOKENIZERS_PARALLELISM="false")
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", CHILD, mode, str(corpus), str(Path(cache) / "work"),
                               str(workers), "1" if stages_only else "0"], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"{mode} failed:\n{done.stderr[-2000:]}")
        out = json.loads(done.stdout.strip().splitlines()[-1])
        out["process_seconds"] = time.perf_counter() - start
        return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 40, 120])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--modes", nargs="+", default=["in-process", "synchronous", "local"])
    parser.add_argument("--stages-only", action="store_true",
                        help="time only the per-article stages (what the scheduler changes), not merging and selection")
    args = parser.parse_args(argv)
    base = base_articles()
    print(f"{len(base)} base articles; cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="bench-engine-") as tmp:
        for n in args.sizes:
            corpus = make_corpus(Path(tmp) / f"c{n}", n, base)
            times = {}
            for mode in args.modes:
                r = run(mode, corpus, args.workers, args.stages_only)
                times[mode] = r["process_seconds"]
                what = "the per-article stages" if args.stages_only else "build_timeline"
                print(f"n={n:5d} {mode:12s} {r['process_seconds']:7.1f} s wall ({r['seconds']:.1f} s in "
                      f"{what}), {r['events']} events, {r['entries']} entries", flush=True)
            ref = times.get("in-process")
            if ref:
                print(f"n={n:5d} ratios to in-process: " +
                      ", ".join(f"{m} {t / ref:.2f}" for m, t in times.items()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
