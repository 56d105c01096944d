"""How big the merge windows get as the benchmark corpus grows: the largest window against one copy.

    PYTHONPATH=$PWD python benchmarks/bench_windows.py [--copies 1,4,16,34]

The pool of ``bench_scale.py`` (the seeds, the SemEval trial articles, the TempEval-3 documents)
goes through the per-article stages once; its dated events are then copied, copy k moved k years,
as ``bench_scale.write_corpus`` moves its copies (here the events are moved, not the texts re-tagged,
so a run takes a minute rather than hours). For each number of copies it prints the windows that
``merging._windows_and_pairs`` finds (connected components of the date-compatible pairs), the
largest ones and the compatible pairs, and the largest window's size against one copy's: a merge
task holds one window, so that ratio is how the busiest merge task grows with the corpus.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", default="1,4,16,34", help="comma-separated numbers of copies of the pool")
    args = parser.parse_args(argv)
    copies = [int(c) for c in args.copies.split(",")]

    import bench_scale

    def moved(day: date, years: int) -> date:  # as bench_scale moves each copy's publication date
        return date.fromisoformat(bench_scale._later(day, years))

    from timeline.corpus import load_corpus
    from timeline.events import for_timeline
    from timeline.merging import _windows_and_pairs
    from timeline.pipeline import event_stages

    articles = bench_scale.pool()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pool.jsonl"
        bench_scale.write_corpus(articles, len(articles), path)
        started = time.perf_counter()
        events = list(for_timeline(event_stages(load_corpus(path)).events))
    dated = [e for e in events if e.first_day is not None and e.last_day is not None]
    print(f"pool: {len(articles)} articles, {len(dated)} dated events (per-article stages "
          f"{time.perf_counter() - started:.0f} s)")
    first = None
    for n in copies:
        batch = [dataclasses.replace(e, first_day=moved(e.first_day, k), last_day=moved(e.last_day, k),
                                     article=f"{e.article}-{k}")
                 for k in range(n) for e in dated]
        windows, pairs = _windows_and_pairs(batch)
        sizes = sorted((len(w) for w in windows), reverse=True)
        first = first or sizes[0]
        kinds = Counter(batch[i].granularity for i in max(windows, key=len)).most_common(3)
        print(f"{n:3d} copies: {len(batch):7d} events  {len(windows):5d} windows  largest {sizes[:3]} "
              f"({sizes[0] / first:.1f}x one copy's; granularities {kinds})  "
              f"compatible pairs {sum(len(p) for p in pairs)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
