"""Time per kB of ``timeline.tag`` on hostile text: does it stay flat as the input grows?

    python benchmarks/bench_hostile.py [--sizes 10 20 40 80] [--repeat 3] [--examples 12] [--big-mb 2]

Each input is a motif repeated to 10, 20, 40 and 80 kB (the sizes are in 1000 characters). The
motifs are the cases that took quadratic time before (one rule each backtracked across a long run):

- ``spaces+Monday``: ``' ' * n + 'Monday'`` (rule weekday:part-of-day-first)
- ``one...day``: ``'one ' * n + 'day'`` (duration:amount, relative:ago, duration:adjective)
- ``1...twice``: ``'1' * n + ' twice'`` (set:frequency)
- ``last....quarter``: ``'last ' * n + '. quarter'`` (relative:quarter)
- ``blank lines``: a real seed article with most of its length in blank lines

and, as the last column, motifs drawn by hypothesis (derandomized, so every run draws the same
ones) from fragments that feed repetition in the rules: blanks, number words, digits, qualifiers,
units, month and weekday names, punctuation. For those the column shows the worst ratio over all
drawn motifs. Every ratio is time per kB at that size / time per kB at the first size, measured in
this run (best of ``--repeat``, CPU time of this process, so other jobs on the machine do not
skew it); goal: <= 2.0. Finally one article of ``--big-mb`` MB on a single line
(the seed articles joined without line breaks, repeated) is tagged once; goal: under 10 s.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timeline.timexes import tag  # noqa: E402

DCT = "2016-02-23"

FRAGMENTS = (
    " ", "  ", "\n", "\n\n", "\t", "\u00a0", "-", ", ", ". ", "1", "12", "2015", "one ", "two ", "and ",
    "hundred ", "last ", "next ", "the ", "fiscal ", "quarter", "day", "days ", "week", "ago", "twice ",
    "times ", "a ", "morning ", "early ", "Monday", "March ", "of ", "since ", "year", "-long",
)


def _seed_text() -> str:
    files = sorted((ROOT / "seeds").glob("*.txt"))
    if files:
        return "\n\n".join(p.read_text(encoding="utf-8") for p in files)
    return "On Monday, the talks that began on March 3, 2015 resumed. Two days ago the army said so.\n"


def _fill(motif, size: int) -> str:
    """``motif(size)`` if callable, else the string motif repeated to ``size`` characters."""
    if callable(motif):
        return motif(size)
    return (motif * (size // max(1, len(motif)) + 1))[:size]


def fixed_motifs(seed: str) -> dict:
    article = seed[:1500]

    def blank_lines(size: int) -> str:
        blanks = max(0, size - len(article))
        return article[: len(article) // 2] + "\n" * blanks + article[len(article) // 2:]

    return {
        "spaces+Monday": lambda n: " " * (n - 6) + "Monday",
        "one...day": lambda n: "one " * ((n - 3) // 4) + "day",
        "1...twice": lambda n: "1" * (n - 6) + " twice",
        "last....quarter": lambda n: "last " * ((n - 9) // 5) + ". quarter",
        "blank lines": blank_lines,
    }


def hypothesis_motifs(count: int) -> list[str]:
    """``count`` motifs drawn by hypothesis from FRAGMENTS (derandomized: the same every run)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    drawn: list[str] = []

    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from(FRAGMENTS), min_size=2, max_size=8))
    def collect(parts):
        drawn.append("".join(parts))

    collect()
    seen: list[str] = []
    for motif in drawn:
        if motif not in seen:
            seen.append(motif)
    return seen[:count]


def ms_per_kb(text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        tag(text, DCT)
        best = min(best, time.process_time() - t0)
    return 1000 * best / (len(text) / 1000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 40, 80], help="sizes in kB")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--examples", type=int, default=12, help="hypothesis-drawn motifs")
    parser.add_argument("--big-mb", type=float, default=2.0)
    args = parser.parse_args(argv)
    sizes = [1000 * s for s in args.sizes]
    seed = _seed_text()
    tag("warm up on Monday, March 3, 2015", DCT)  # rule compilation is not part of the timing

    columns = dict(fixed_motifs(seed))
    motifs = hypothesis_motifs(args.examples)
    worst_ok = True
    header = f"{'size kB':>8} " + " ".join(f"{name:>16}" for name in columns) + f" {'hypothesis max':>16}"
    print("time per kB at each size / time per kB at the first size (goal <= 2.0)")
    print(header)
    base: dict[str, float] = {}
    rows = []
    for size in sizes:
        cells = []
        for name, motif in columns.items():
            value = ms_per_kb(_fill(motif, size), args.repeat)
            base.setdefault(name, value)
            cells.append(value / base[name])
        hyp = []
        for i, motif in enumerate(motifs):
            value = ms_per_kb(_fill(motif, size), args.repeat)
            base.setdefault(f"h{i}", value)
            hyp.append(value / base[f"h{i}"])
        cells.append(max(hyp) if hyp else float("nan"))
        rows.append(cells)
        worst_ok &= all(c <= 2.0 for c in cells)
        print(f"{size // 1000:>8} " + " ".join(f"{c:>16.2f}" for c in cells), flush=True)
    print("ms per kB at the first size: " + ", ".join(f"{k} {v:.2f}" for k, v in base.items() if not k.startswith("h")))
    if motifs:
        worst = max(range(len(motifs)), key=lambda i: max(r[-1] for r in rows))
        print(f"hypothesis motifs: {len(motifs)}; first-size ms/kB from {min(base[f'h{i}'] for i in range(len(motifs))):.2f} "
              f"to {max(base[f'h{i}'] for i in range(len(motifs))):.2f}; e.g. {motifs[worst]!r}")

    flat = " ".join(seed.split())
    big = _fill(flat + " ", int(args.big_mb * 1_000_000))
    t0, c0 = time.perf_counter(), time.process_time()
    found = tag(big, DCT)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{args.big_mb:g} MB single line: {seconds:.2f} s wall, {cpu:.2f} s CPU, {len(found)} expressions (goal < 10 s: "
          f"{'met' if cpu < 10 else 'NOT met'})")
    print("flat time per kB (all ratios <= 2.0):", "met" if worst_ok else "NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
