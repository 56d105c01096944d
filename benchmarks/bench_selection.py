"""Summary cost grows with max_entries, not with the number of articles.

    PYTHONPATH=. HF_HUB_OFFLINE=1 python benchmarks/bench_selection.py [--model small]

A counting summarizer (no model) records how many entries each build asks it to summarize, for
max_entries 5/10/20 on the seeds and on the seeds' articles repeated as a corpus twice the size
(copies under new ids, so the candidates double). With ``--model NAME`` the same builds also run
with that model from an empty cache and report seconds per build.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timeline.pipeline import build_timeline  # noqa: E402


class Counting:
    def __init__(self):
        self.entries = 0

    def summarize_entries(self, entries):
        self.entries += len(entries)
        return entries

    def summarize_periods(self, groups):
        return []

    def summarize_overview(self, entries):
        return None

    def report(self):
        return {"entries": self.entries}


def doubled(tmp: Path) -> Path:
    out = tmp / "doubled"
    out.mkdir()
    lines = (ROOT / "seeds" / "metadata.csv").read_text(encoding="utf-8").splitlines()
    meta = [lines[0]]
    for f in sorted((ROOT / "seeds").glob("*.txt")):
        for copy in ("a", "b"):
            shutil.copy(f, out / f"{copy}{f.name}")
        row = next(line for line in lines if line.startswith(f.name))
        meta += [f"a{row}", f"b{row}"]
    (out / "metadata.csv").write_text("\n".join(meta) + "\n", encoding="utf-8")
    shutil.copy(ROOT / "seeds" / "places.toml", out / "places.toml")
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpora = {"seeds (5 articles)": ROOT / "seeds", "doubled (10 articles)": doubled(Path(tmp))}
        print(f"{'corpus':<24}{'max_entries':>12}{'candidates':>12}{'summarized':>12}{'seconds':>10}")
        for name, folder in corpora.items():
            for k in (5, 10, 20):
                counter = Counting()
                r = build_timeline(folder, model=None, summarizer=counter, max_entries=k)
                seconds = ""
                if args.model:
                    start = time.perf_counter()
                    build_timeline(folder, model=args.model, summary_cache=Path(tmp) / f"c{name[:3]}{k}.json",
                                   max_entries=k)
                    seconds = f"{time.perf_counter() - start:.1f}"
                print(f"{name:<24}{k:>12}{len(r.candidates):>12}{counter.entries:>12}{seconds:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
