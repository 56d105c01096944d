"""Kill ``python -m timeline run`` with SIGKILL at random points; the out folder must always hold a
complete earlier set or a complete new one, never a mix, a truncated file or a missing one.

    python benchmarks/kill_run.py [--trials 30] [--seed 0] [--summaries]

Two reference sets are made first by clean runs: the OLD one from the first three seed articles, the
NEW one from all five (so the two differ in every file, and OLD has fewer timeml/*.tml). Each trial
copies the OLD set into the out and figures folders, starts a run of the NEW corpus, kills it after
a random delay (uniform between 0 and 1.5 x a clean warm run's duration, so some runs finish), and
compares both folders byte for byte with the references. Runs use ``--no-summaries`` unless
``--summaries`` is given. Prints one line per trial and the tally.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``folder`` (empty if it does not exist)."""
    if not folder.is_dir():
        return {}
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def command(corpus: Path, out: Path, figures: Path, summaries: bool) -> list[str]:
    cmd = [sys.executable, "-m", "timeline", "run", str(corpus), "--out", str(out), "--figures", str(figures),
           "--quiet"]
    if not summaries:
        cmd.append("--no-summaries")
    return cmd


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--summaries", action="store_true", help="run with the summary model (slow)")
    parser.add_argument("--work", default=None, help="scratch folder (default: a new temporary one)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1")
    work = Path(args.work or tempfile.mkdtemp(prefix="timeline-kill-"))
    work.mkdir(parents=True, exist_ok=True)

    articles = sorted((ROOT / "seeds").glob("*.txt"))
    old_corpus, new_corpus = work / "corpus_old", work / "corpus_new"
    for corpus, chosen in ((old_corpus, articles[:3]), (new_corpus, articles)):
        shutil.rmtree(corpus, ignore_errors=True)
        corpus.mkdir()
        for path in chosen:
            shutil.copy2(path, corpus / path.name)
        meta = ROOT / "seeds" / "metadata.csv"
        if meta.exists():
            lines = meta.read_text(encoding="utf-8").splitlines(keepends=True)
            names = {p.name for p in chosen}
            kept = [lines[0]] + [ln for ln in lines[1:] if ln.split(",", 1)[0].strip('"') in names]
            (corpus / "metadata.csv").write_text("".join(kept), encoding="utf-8")

    refs = {}
    duration = 0.0
    for name, corpus in (("old", old_corpus), ("new", new_corpus)):
        out, figures = work / f"ref_{name}_out", work / f"ref_{name}_figures"
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(figures, ignore_errors=True)
        subprocess.run(command(corpus, out, figures, args.summaries), env=env, check=True)
        if name == "new":  # once more, timed with warm caches (parses, embeddings), as the trials run
            t0 = time.perf_counter()
            subprocess.run(command(corpus, out, figures, args.summaries), env=env, check=True)
            duration = time.perf_counter() - t0
        refs[name] = (snapshot(out), snapshot(figures))
    assert refs["old"] != refs["new"]
    print(f"reference runs done; a clean run of the new corpus takes {duration:.1f} s", flush=True)

    tally = {"old": 0, "new": 0, "MIXED": 0}
    figure_tally = {"old": 0, "new": 0, "MIXED": 0}
    during_writes = 0
    out, figures = work / "out", work / "figures"
    for trial in range(1, args.trials + 1):
        for folder, ref in ((out, work / "ref_old_out"), (figures, work / "ref_old_figures")):
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(ref, folder)
        delay = rng.uniform(0, 1.5 * duration)
        proc = subprocess.Popen(command(new_corpus, out, figures, args.summaries), env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        writing = any(p.is_dir() and any(p.iterdir()) for p in work.glob(f".*.new-{proc.pid}-*"))
        finished = proc.poll() is not None
        if not finished:
            os.kill(proc.pid, signal.SIGKILL)
        code = proc.wait()
        if finished and code != 0:
            print(f"trial {trial}: the run failed with exit code {code}", flush=True)
        during_writes += writing
        state = (snapshot(out), snapshot(figures))
        outs = "old" if state[0] == refs["old"][0] else "new" if state[0] == refs["new"][0] else "MIXED"
        figs = "old" if state[1] == refs["old"][1] else "new" if state[1] == refs["new"][1] else "MIXED"
        tally[outs] += 1
        figure_tally[figs] += 1
        print(f"trial {trial:2d}: killed after {delay:5.1f} s{' (already finished)' if finished else ''}"
              f"{' while writing' if writing else ''}: out = {outs}, figures = {figs}", flush=True)
        if outs == "MIXED":
            extra = sorted(set(state[0]) ^ set(refs["old"][0]))
            print(f"    differs from old in {extra[:8]}", flush=True)
    leftovers = sorted(p.name for p in work.glob(".*.new-*"))
    print(f"tally over {args.trials} kills: out folder complete old set {tally['old']}, complete new set "
          f"{tally['new']}, anything else {tally['MIXED']}; {during_writes} kills landed while the new set was "
          f"being written; stage folders left for the next run to remove: {len(leftovers)}")
    print(f"figures folder: complete old set {figure_tally['old']}, complete new set {figure_tally['new']}, "
          f"anything else {figure_tally['MIXED']}")
    return 0 if tally["MIXED"] == 0 and figure_tally["MIXED"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
