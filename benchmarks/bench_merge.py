"""Event merging at scale: pair generation blocked by date window against the earlier sweep and all pairs.

    python benchmarks/bench_merge.py [--events 10000] [--years 20] [--seed 0] [--profile] [--windows 1,5,20,100]

The corpus: the real events of seeds/ (load, date, tag, extract), copied into synthetic articles
until ``--events`` events, each copy moved by a whole number of years (0 .. ``--years``-1, its
values rewritten to match), so each date window holds a few copies of the same story, as a real
multi-source corpus does. Sentences are embedded with a deterministic stand-in (a fixed random unit
vector per distinct text plus a little per-copy noise): the model's speed is not what is measured.

Printed, all measured in this run:
- pair generation: date checks made, compatible pairs found and seconds, for (a) all pairs
  (n(n-1)/2 checks; time estimated from a sample), (b) the previous sweep (reproduced below as
  ``previous_compatible_pairs``, the code of merging._Pairs.compatible_pairs before the blocking),
  (c) the blocked generation now in timeline.merging;
- the whole merge_events with the previous code and with the current one, and whether the entries
  are identical;
- with ``--windows``: merge cost per event against the events per date window (``window_scaling``).
  (Besides the blocking, ``stretch_start`` is now computed once per event, not once
  per pair: it ran a regular expression over the sentence at every date check.)
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import random
import re
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from timeline import merging  # noqa: E402
from timeline.merging import DATE_TOLERANCE_DAYS, REPORT_LAG_DAYS, dates_compatible  # noqa: E402


def previous_compatible_pairs(dated) -> tuple[list[tuple[int, int]], int]:
    """The sweep merging used before date-window blocking (and how many date checks it made)."""
    by_start = sorted(range(len(dated)), key=lambda i: (dated[i].first_day, i))
    reach = max(DATE_TOLERANCE_DAYS, REPORT_LAG_DAYS)
    pairs, checks = [], 0
    for pos, i in enumerate(by_start):
        for j in by_start[pos + 1:]:
            if (dated[j].first_day - dated[i].last_day).days > reach:
                break
            checks += 1
            if dates_compatible(dated[i], dated[j]):
                pairs.append((min(i, j), max(i, j)))
    return sorted(pairs), checks


@contextlib.contextmanager
def previous_code():
    """merging as it was before: the sweep above, and ``stretch_start`` recomputed at every call."""
    saved = merging._Pairs.compatible_pairs, merging.stretch_start
    merging._Pairs.compatible_pairs = lambda self: previous_compatible_pairs(self.dated)[0]
    merging.stretch_start = getattr(merging.stretch_start, "__wrapped__", merging.stretch_start)
    try:
        yield
    finally:
        merging._Pairs.compatible_pairs, merging.stretch_start = saved


def _shift_year(day: date | None, years: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _shift_value(value: str | None, years: int) -> str | None:
    if value is None:
        return None
    return re.sub(r"^(\d{4})", lambda m: f"{int(m.group(1)) + years:04d}", value)


def synthetic_events(n: int, years: int, seed: int):
    from _seeds import seed_events

    base = list(seed_events())
    rng = random.Random(seed)
    out = []
    copy = 0
    while len(out) < n:
        shift = rng.randrange(years)
        for e in base:
            if len(out) >= n:
                break
            out.append(dataclasses.replace(
                e, article=f"syn{copy:04d}_{e.article}", value=_shift_value(e.value, shift),
                first_day=_shift_year(e.first_day, shift), last_day=_shift_year(e.last_day, shift)))
        copy += 1
    return out


def fake_embed(texts):
    vectors = []
    for text in texts:
        core = text.split("|", 1)[-1]
        seed = int.from_bytes(hashlib.sha256(core.encode()).digest()[:8], "little")
        v = np.random.default_rng(seed).standard_normal(64)
        noise = np.random.default_rng(len(vectors)).standard_normal(64) * 0.15
        vectors.append(v / np.linalg.norm(v) + noise)
    return np.array(vectors)


def _entries_key(entries):
    return [dataclasses.astuple(e) for e in entries]


def window_scaling(n: int, spreads: list[int], seed: int) -> None:
    """Cost per event against events per date window: the same number of events spread over more
    or fewer years (more years, smaller windows), merged with merge_events (windows in this process).

    Columns: the spread; windows; events per window as an event sees it (the mean size of the
    window each event sits in) and the largest; the corpus-wide part (per-event facts and vectors,
    ``_Pairs``) and the windowed part (``date_windows`` + ``merge_window`` per batch), in
    microseconds per event; last, the pair work done as one piece over the whole corpus (the
    code before the windows), for comparison.
    """
    print(f"\ncost per event vs events per window ({n} events; windows packed by merge_events)")
    print(f"{'years':>6} {'windows':>8} {'ev/window':>10} {'largest':>8} {'corpus-wide':>12} {'windows':>9} "
          f"{'total us/event':>15} {'one piece':>10}")
    for years in spreads:
        events = synthetic_events(n, years, seed)
        unique = {}
        for e in events:
            if e.value is not None and e.first_day is not None and e.last_day is not None:
                unique.setdefault(merging._event_key(e), e)
        dated = [unique[k] for k in sorted(unique)]
        merging.date_windows(dated)  # warms the per-event caches (stretch_start) for both timings
        t0 = time.perf_counter()
        pairs = merging._Pairs(dated, fake_embed, merging.DEFAULT_THRESHOLD)
        t1 = time.perf_counter()
        windows, compatible = merging._windows_and_pairs(dated)
        for batch, numbers in merging._batches(windows, merging.WINDOW_EVENTS):
            merging.merge_window(pairs.subset(batch, np.concatenate([compatible[w] for w in numbers])))
        t2 = time.perf_counter()
        merging.merge_window(pairs)  # the whole corpus as one piece, as before the windows
        t3 = time.perf_counter()
        seen = sum(len(w) ** 2 for w in windows) / len(dated)
        print(f"{years:>6} {len(windows):>8} {seen:>10.1f} {max(map(len, windows)):>8} "
              f"{1e6 * (t1 - t0) / len(dated):>12.0f} {1e6 * (t2 - t1) / len(dated):>9.0f} "
              f"{1e6 * (t2 - t0) / len(dated):>15.0f} {1e6 * (t3 - t2) / len(dated):>10.0f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--windows", default="", metavar="YEARS,...",
                        help="also print cost per event against events per window, for these spreads in years "
                             "(e.g. 1,2,5,20,100)")
    args = parser.parse_args(argv)

    events = synthetic_events(args.events, args.years, args.seed)
    unique = {}
    for e in events:
        if e.value is not None and e.first_day is not None and e.last_day is not None:
            unique.setdefault(merging._event_key(e), e)
    dated = [unique[k] for k in sorted(unique)]
    n = len(dated)
    print(f"{len(events)} events, {n} dated and distinct, over {args.years} years")

    previous = previous_code()
    previous.__enter__()
    sample = random.Random(1).sample(range(n * (n - 1) // 2), min(200_000, n * (n - 1) // 2))
    t0 = time.perf_counter()
    found = 0
    for k in sample:  # pair number k -> (i, j) with i < j
        i = int((1 + (1 + 8 * k) ** 0.5) / 2)
        j = k - i * (i - 1) // 2
        found += dates_compatible(dated[i], dated[j])
    per_check = (time.perf_counter() - t0) / len(sample)
    all_checks = n * (n - 1) // 2
    print(f"(a) all pairs:      {all_checks:>12,} date checks, ~{found / len(sample) * all_checks:>10,.0f} compatible, "
          f"~{per_check * all_checks:7.1f} s (estimated from {len(sample):,} sampled pairs)")

    t0 = time.perf_counter()
    old_pairs, old_checks = previous_compatible_pairs(dated)
    old_time = time.perf_counter() - t0
    print(f"(b) previous sweep: {old_checks:>12,} date checks, {len(old_pairs):>11,} compatible, {old_time:8.2f} s")
    previous.__exit__(None, None, None)

    shell = merging._Pairs.__new__(merging._Pairs)
    shell.dated = dated
    t0 = time.perf_counter()
    new_pairs = shell.compatible_pairs()
    new_time = time.perf_counter() - t0
    checks = getattr(shell, "date_checks", None)
    print(f"(c) blocked:        {checks if checks is not None else float('nan'):>12,} date checks, "
          f"{len(new_pairs):>11,} compatible, {new_time:8.2f} s")
    print(f"same compatible pairs: {new_pairs == old_pairs}; date checks (b)/(c): "
          f"{old_checks / max(1, checks or 1):.1f}x; time (b)/(c): {old_time / max(new_time, 1e-9):.1f}x; "
          f"all pairs/(c) checks: {all_checks / max(1, checks or 1):.0f}x")

    def merge():
        return merging.merge_events(events, embed=fake_embed)

    if args.profile:
        import cProfile
        import pstats

        cProfile.runctx("merge()", globals(), {"merge": merge}, "/tmp/bench_merge.prof")
        pstats.Stats("/tmp/bench_merge.prof").sort_stats("cumulative").print_stats(15)

    t0 = time.perf_counter()
    new_entries = merge()
    new_merge = time.perf_counter() - t0
    with previous_code():
        t0 = time.perf_counter()
        old_entries = merge()
        old_merge = time.perf_counter() - t0
    print(f"merge_events: previous sweep {old_merge:.2f} s, blocked {new_merge:.2f} s "
          f"({old_merge / max(new_merge, 1e-9):.1f}x); {len(new_entries)} entries; identical entries: "
          f"{_entries_key(new_entries) == _entries_key(old_entries)}")
    if args.windows:
        window_scaling(args.events, [int(y) for y in args.windows.split(",")], args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
