"""Precision and recall of the faithfulness guard on the hand-labelled pairs (tests/data/faithfulness_pairs.jsonl).

The positive class is "unfaithful": recall = share of the unfaithful summaries the guard rejects,
precision = share of the rejected summaries that are unfaithful. Two guards are scored in the same run:
the names-and-numbers guard alone (the baseline: what the project had) and the full meaning guard
(every check of resources/faithfulness.toml, given each source's actor / action / object from the parse,
as the summarizer gives them for a source without an event record). The pairs are split in two halves fixed before any rule
was scored; the first twelve checks were tuned looking at the guard's output on ``dev`` only, but
``unsupported-action``, ``date-binding`` and the attribution fix came from the misses of both halves
of the first 96 pairs, so neither half of those is blind any more. Caveat besides: every seed pair was
read (to label it) before the checks were written, and the issue itself quotes several seed
summaries. The ``fresh-small`` batch was labelled before the guard saw it and scored
blind once (recall 0.72 at precision 1.00, 26 pairs); one change followed (tests/data/README.md).

    PYTHONPATH=. HF_HUB_OFFLINE=1 python benchmarks/bench_guard.py               # both halves
    PYTHONPATH=. HF_HUB_OFFLINE=1 python benchmarks/bench_guard.py --split dev --misses

Target: recall >= 0.90 at precision >= 0.80.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline import faithfulness  # noqa: E402

PAIRS = ROOT / "tests" / "data" / "faithfulness_pairs.jsonl"
FIRST_SET = 96  # the pairs labelled first (the file's first lines); later ones were added after the checks grew


def load(split: str) -> list[dict]:
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split == "both" or r["split"] == split]


def roles(sources: list[str]) -> list[faithfulness.Roles]:
    """The sources' actor / action / object as the summarizer gives them to the guard (from the parse,
    as for a source without an event record)."""
    from timeline.summaries.grounding import happening

    return [faithfulness.Roles(h.actor, h.action, h.object) for h in map(happening, sources)]


def score(rows: list[dict], fired: list[list[str]]) -> dict:
    tp = sum(1 for r, f in zip(rows, fired) if f and not r["faithful"])
    fp = sum(1 for r, f in zip(rows, fired) if f and r["faithful"])
    fn = sum(1 for r, f in zip(rows, fired) if not f and not r["faithful"])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"pairs": len(rows), "unfaithful": tp + fn, "tp": tp, "fp": fp, "fn": fn,
            "precision": precision, "recall": recall}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["dev", "held-out", "both"], default=None,
                        help="one half (default: dev, held-out and both, each)")
    parser.add_argument("--misses", action="store_true", help="list false negatives and false positives")
    args = parser.parse_args(argv)
    for split in ([args.split] if args.split else ["dev", "held-out", "both"]):
        rows = load(split)
        full = [[str(f) for f in faithfulness.check(r["summary"], r["sources"], roles=roles(r["sources"]))]
                for r in rows]
        base = [[str(f) for f in faithfulness.check(r["summary"], r["sources"])
                 if f.check == "names-and-numbers"] for r in rows]
        for name, fired in (("names-and-numbers only", base), ("meaning guard", full)):
            s = score(rows, fired)
            print(f"{split:9s} {name:23s} pairs={s['pairs']:3d} unfaithful={s['unfaithful']:3d} "
                  f"precision={s['precision']:.2f} recall={s['recall']:.2f} (tp={s['tp']} fp={s['fp']} fn={s['fn']})")
        targeted = [k for k, r in enumerate(rows) if r["faithful"] or set(r["errors"]) - {"meaning", "fragment"}]
        s = score([rows[k] for k in targeted], [full[k] for k in targeted])
        print(f"{'':9s} {'  without meaning-only':23s} pairs={s['pairs']:3d} unfaithful={s['unfaithful']:3d} "
              f"precision={s['precision']:.2f} recall={s['recall']:.2f} (unfaithful pairs whose only errors are "
              "'meaning'/'fragment', which no check targets, left out)")
        first = {r["id"] for r in load("both")[:FIRST_SET]}
        groups = [("first 96 pairs", lambda r: r["id"] in first), ("added pairs", lambda r: r["id"] not in first)]
        groups += [(f"{origin} pairs", lambda r, o=origin: r["id"].startswith(o + "-"))
                   for origin in ("seeds", "semeval", "fresh-default", "fresh-small")]
        for origin, belongs in groups:
            picked = [k for k, r in enumerate(rows) if belongs(r)]
            if picked:
                s = score([rows[k] for k in picked], [full[k] for k in picked])
                print(f"{'':9s} {'  ' + origin:23s} pairs={s['pairs']:3d} unfaithful={s['unfaithful']:3d} "
                      f"precision={s['precision']:.2f} recall={s['recall']:.2f} (tp={s['tp']} fp={s['fp']} fn={s['fn']})")
        fired_checks = Counter(f.split(":")[0] for fs in full for f in set(x.split(":")[0] for x in fs))
        print(f"{'':9s} checks fired (pairs): {dict(sorted(fired_checks.items()))}")
        if args.misses:
            for r, f in zip(rows, full):
                if bool(f) != (not r["faithful"]):
                    kind = "FALSE POSITIVE" if f else "MISSED"
                    print(f"  [{kind}] {r['id']}: {r['summary']}\n      labels={r['errors']} {r['note']}")
                    for x in f:
                        print(f"      fired {x}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
