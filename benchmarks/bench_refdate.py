"""DCT-inference benchmark: how well does the text alone tell when a news story was written?

Usage (the data is read where it lies; never copy it into the repo):

    python benchmarks/bench_refdate.py ../shared/data/tempeval3/TimeBank [--baseline-dateparser]
    python benchmarks/bench_refdate.py --semeval ../shared/data/semeval2015-trial

SemEval-2015 trial articles (``--semeval``): each article is written as a ``.txt`` folder without
metadata (``timeline.evaluate.semeval.write_folder(..., metadata=False)``), once with its date line
kept and once with it removed, loaded with ``load_corpus`` and dated with ``reference_date_for``
exactly as ``timeline run`` does; the truth is the day the date line names. ``exact`` counts
``best`` only (a window's guess is not a claim of the day); ``guess_exact`` scores the guess.

For each TimeML document the creation date (``<DCT><TIMEX3 value=...>``) is hidden: only the
``<TEXT>`` element, with all tags stripped, is given to ``infer_reference_date`` (the DCT element and
the DOCID/EXTRAINFO header lines, which carry the date, are never read). Reported, for our inference
and for baselines measured in the same run:

* exact: share of documents whose best guess is the true day (no guess counts as wrong);
* within7 (days), year (best guess in the true year); guessed: share with any guess;
* mae_days / median_days: absolute error of the best guess, over guessed documents;
* window: share whose [earliest, latest] contains the true day (None bounds are open), and the
  share where that holds with at least one bound set (a fully open window says nothing).

Baselines: "latest-explicit" = the latest fully specified day the tagger finds in the text, taken as
the date (lower bound only); with ``--baseline-dateparser`` also dateparser's ``search_dates`` latest
full date (slow: a few seconds per document).
"""
from __future__ import annotations

import argparse
import html
import re
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timeline.refdate import infer_reference_date  # noqa: E402
from timeline.timexes import tag  # noqa: E402

_DCT = re.compile(r"<DCT>\s*<TIMEX3[^>]*\bvalue=\"(\d{4}-\d{2}-\d{2})[^\"]*\"", re.S)
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Guess:
    best: date | None
    earliest: date | None
    latest: date | None


def read_document(path: Path) -> tuple[date, str] | None:
    data = path.read_text(encoding="utf-8")
    dct, body = _DCT.search(data), _TEXT.search(data)
    if not dct or not body:
        return None
    return date.fromisoformat(dct.group(1)), html.unescape(_TAG.sub("", body.group(1)))


def ours(text: str) -> Guess:
    """Our inference: ``best`` when one day is known, else the likeliest day of the window (``guess``)."""
    ref = infer_reference_date(text)
    return Guess(ref.best or ref.guess, ref.earliest, ref.latest)


def semeval(folder: Path) -> int:
    import tempfile

    from timeline.corpus import load_corpus
    from timeline.evaluate.semeval import read_corpus, write_folder
    from timeline.refdate import reference_date_for

    rows = []
    for keep in (True, False):
        docs = read_corpus(folder, keep_date_line=keep)
        truth = {d.doc_id: d.published for d in docs.values()}
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            corpus = load_corpus(write_folder(docs, Path(tmp) / "articles", metadata=False))
            refs = {a.id: reference_date_for(a) for a in corpus}
        seconds = time.perf_counter() - started
        n = len(refs)
        exact = sum(r.best == truth[k] for k, r in refs.items())
        guess_exact = sum((r.best or r.guess) == truth[k] for k, r in refs.items())
        inside = sum((r.earliest is None or r.earliest <= truth[k]) and (r.latest is None or truth[k] <= r.latest)
                     for k, r in refs.items())
        bounded = sum(r.earliest is not None or r.latest is not None for r in refs.values())
        wrong_best = sum(r.best is not None and r.best != truth[k] for k, r in refs.items())
        methods: dict[str, int] = {}
        for r in refs.values():
            methods[r.rule] = methods.get(r.rule, 0) + 1
        rows.append((("kept" if keep else "removed"), n, exact / n, guess_exact / n, wrong_best, inside / n,
                     bounded / n, seconds, methods))
    print(f"SemEval-2015 trial articles from {folder}, no metadata")
    print(f"{'date line':10s}{'docs':>6s}{'exact':>8s}{'guess':>8s}{'wrong':>7s}{'window':>8s}{'bounded':>9s}"
          f"{'seconds':>9s}  rules")
    for name, n, exact, guess, wrong, inside, bounded, seconds, methods in rows:
        print(f"{name:10s}{n:6d}{exact:8.3f}{guess:8.3f}{wrong:7d}{inside:8.3f}{bounded:9.3f}{seconds:9.1f}  "
              + ", ".join(f"{k}={v}" for k, v in sorted(methods.items())))
    return 0


def latest_explicit(text: str) -> Guess:
    days = [t.first_day for t in tag(text, dct=None)
            if t.granularity == "day" and t.first_day is not None and t.first_day == t.last_day]
    if not days:
        return Guess(None, None, None)
    return Guess(max(days), max(days), None)


def latest_dateparser(text: str) -> Guess:
    from dateparser.search import search_dates

    found = search_dates(text, languages=["en"],
                         settings={"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False})
    days = [d.date() for _, d in found or ()]
    if not days:
        return Guess(None, None, None)
    return Guess(max(days), max(days), None)


def score(pairs: list[tuple[date, Guess]]) -> dict[str, float]:
    n = len(pairs)
    guessed = [(t, g) for t, g in pairs if g.best is not None]
    errors = [abs((g.best - t).days) for t, g in guessed]
    inside = [(g.earliest is None or g.earliest <= t) and (g.latest is None or t <= g.latest) for t, g in pairs]
    informative = [ok and (g.earliest is not None or g.latest is not None) for ok, (_, g) in zip(inside, pairs)]
    return {
        "exact": sum(e == 0 for e in errors) / n,
        "within7": sum(e <= 7 for e in errors) / n,
        "year": sum(g.best.year == t.year for t, g in guessed) / n,
        "guessed": len(guessed) / n,
        "mae_days": statistics.fmean(errors) if errors else float("nan"),
        "median_days": statistics.median(errors) if errors else float("nan"),
        "window": sum(inside) / n,
        "window_informative": sum(informative) / n,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, nargs="?", help="folder of TimeML .tml files (e.g. TempEval-3 TimeBank)")
    parser.add_argument("--semeval", type=Path, metavar="DIR",
                        help="SemEval-2015 Task 4 trial folder (corpus/ of CAT XML): date line kept and removed")
    parser.add_argument("--baseline-dateparser", action="store_true", help="also run dateparser search_dates")
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents (sorted by name)")
    args = parser.parse_args(argv)
    if args.semeval is not None:
        semeval(args.semeval)
        if args.folder is None:
            return 0
    if args.folder is None:
        parser.error("give a TimeML folder and/or --semeval DIR")
    files = sorted(args.folder.glob("*.tml"))
    if args.limit:
        files = files[: args.limit]
    docs = [d for d in (read_document(p) for p in files) if d is not None]
    if not docs:
        print(f"no TimeML documents with a DCT in {args.folder}", file=sys.stderr)
        return 1

    systems = {"ours": ours, "latest-explicit": latest_explicit}
    if args.baseline_dateparser:
        systems["dateparser"] = latest_dateparser
    results, seconds, failures = {}, {}, {}
    for name, system in systems.items():
        started = time.perf_counter()
        pairs = []
        failures[name] = 0
        for truth, text in docs:
            try:
                guess = system(text)
            except Exception as exc:  # a crash in one document is reported, counted as no guess
                failures[name] += 1
                print(f"  {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
                guess = Guess(None, None, None)
            pairs.append((truth, guess))
        results[name] = score(pairs)
        seconds[name] = time.perf_counter() - started

    print(f"{len(docs)} documents from {args.folder}")
    for name, count in failures.items():
        if count:
            print(f"  {name}: {count} documents raised an error (counted as no guess)")
    keys = ["exact", "within7", "year", "guessed", "mae_days", "median_days", "window", "window_informative"]
    print(f"{'system':16s}" + "".join(f"{k:>12s}" for k in keys[:-1]) + f"{'informative':>12s}{'seconds':>9s}")
    for name, r in results.items():
        print(f"{name:16s}" + "".join(f"{r[k]:12.3f}" for k in keys) + f"{seconds[name]:9.1f}")
    for base_name in results:
        if base_name == "ours":
            continue
        base = results[base_name]
        print(f"ratios ours / {base_name} (nan where the baseline is 0):")
        print("  " + "  ".join(f"{k}={results['ours'][k] / base[k] if base[k] else float('nan'):.3f}" for k in keys))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
