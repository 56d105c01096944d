"""Score event anchoring against the dated event mentions of SemEval-2015 Task 4 (TimeLine).

    python -m timeline.evaluate anchoring DIR [--errors FILE]

``DIR`` holds ``corpus/*.xml`` (CAT XML) and ``timelines/*.txt`` (gold entity timelines); see
``timeline.evaluate.semeval`` for the format and its quirks. Data are read from the given path only.

What is scored. Every gold mention with a date (rows dated ``XXXX-XX-XX`` — or the quirky
``XXX-XX-XX`` — are skipped; so are mentions of documents missing from the corpus folder, reported
apart) is one item, counted once even when several timelines list it (the first date read wins; a
mention listed with two different dates is reported as a conflict and scored with the first).

How an article is rebuilt: the CAT tokens joined as plain text *without* the date line, written as a
corpus folder with ``metadata.csv`` (published = the date line's day, headline = the title), loaded by
``timeline.corpus`` and run through the project's own stages up to events
(``pipeline.event_stages``: reference date, temporal expressions, parse, events). The project's event
for a mention is the one whose trigger covers the mention's first character; failing that, the
smallest event span containing it.

Classes: **exact** — the event's value at the gold granularity equals the gold date (gold 2008-06,
event 2008-06 — both the same calendar interval); **compatible** — the two intervals nest (gold
2008-06 vs event 2008-06-09, or gold 2008-06-09 vs event 2008-06); **wrong** — a date that does
neither; **undated** — no event, or an event without a date. **Accuracy** = (exact + compatible) /
scored mentions.

Baselines, computed in the same run on the same mentions: ``publication`` — every mention at its
article's publication date; ``first-timex`` — the first DATE/TIME expression the project's tagger
finds in the mention's sentence (with a calendar interval), else the publication date.

**Ordering agreement**: over all pairs of scored mentions whose gold intervals are disjoint (one
strictly before the other), the share whose predicted intervals are ordered the same way (the
earlier gold mention's predicted interval ends before the later one's starts, or — for nested or
overlapping predictions — starts strictly earlier). A pair with an undated prediction, or with equal
predicted intervals, is not kept.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import semeval

Interval = tuple[date, date]
CLASSES = ("exact", "compatible", "wrong", "undated")


def gold_interval(value: str) -> Interval | None:
    """Calendar interval of a gold date (``YYYY-MM-DD``, ``YYYY-MM-XX``/``YYYY-MM``, ``YYYY-XX-XX``/``YYYY``)."""
    from timeline import timex3

    parts = [p for p in value.strip().split("-") if p and not set(p) <= {"X"}]
    if not parts or not parts[0].isdigit() or len(parts[0]) != 4:
        return None
    return timex3.interval("-".join(parts))


def classify(gold: Interval, predicted: Interval | None) -> str:
    if predicted is None:
        return "undated"
    if predicted == gold:
        return "exact"
    (g0, g1), (p0, p1) = gold, predicted
    if (g0 <= p0 and p1 <= g1) or (p0 <= g0 and g1 <= p1):
        return "compatible"
    return "wrong"


def before(a: Interval, b: Interval) -> bool:
    """``a`` is ordered before ``b`` (see the module docstring)."""
    if a[1] < b[0]:
        return True
    return a[0] < b[0] or (a[0] == b[0] and a[1] < b[1])


@dataclass(frozen=True)
class Item:
    doc_id: str
    sentence: int
    word: str
    gold: str
    gold_interval: Interval
    start: int  # span in the rebuilt text (= the article's raw text)
    end: int


@dataclass
class Prediction:
    interval: Interval | None
    rule: str
    text: str = ""


def _sentence_text(doc: semeval.CatDocument, sentence: int) -> str:
    tokens = [t for t in doc.sentence_tokens(sentence) if t.start >= 0]
    return doc.text[tokens[0].start:tokens[-1].end] if tokens else ""


def gold_items(docs: dict[str, semeval.CatDocument], timelines) -> tuple[list[Item], Counter]:
    seen: dict[tuple[str, int, str], Item] = {}
    notes: Counter = Counter()
    for timeline in timelines:
        for row in timeline.rows:
            interval = gold_interval(row.date)
            for m in row.mentions:
                if interval is None:
                    notes["undated gold (skipped)"] += 1
                    continue
                if m.doc_id not in docs:
                    notes["document not in corpus"] += 1
                    continue
                key = (m.doc_id, m.sentence, m.word.lower())
                if key in seen:
                    if seen[key].gold != row.date:
                        notes["listed with two dates (first kept)"] += 1
                    continue
                span = semeval.locate(m, docs[m.doc_id])
                if span is None:
                    notes["mention not located"] += 1
                    continue
                seen[key] = Item(m.doc_id, m.sentence, m.word, row.date, interval, span[0], span[1])
    items = sorted(seen.values(), key=lambda i: (i.doc_id, i.start, i.word))
    return items, notes


def _project_event(events, start: int):
    """The event whose trigger covers ``start``, else the smallest event span containing it."""
    for e in events:
        t = getattr(e, "trigger_start", None)
        if t is not None and t >= 0 and t <= start < e.trigger_end:
            return e
    holding = [e for e in events if e.start <= start < e.end]
    return min(holding, key=lambda e: (e.end - e.start, e.start)) if holding else None


def _interval_of(timex) -> Interval | None:
    if timex.type not in ("DATE", "TIME") or timex.first_day is None or timex.last_day is None:
        return None
    return timex.first_day, timex.last_day


def evaluate(folder: str | Path) -> dict:
    from timeline.corpus import load_corpus
    from timeline.pipeline import event_stages

    docs = semeval.read_corpus(folder, keep_date_line=False)
    if not docs:
        raise SystemExit(f"{folder}: no CAT XML articles (expected corpus/*.xml)")
    timelines = semeval.read_timelines(folder)
    if not timelines:
        raise SystemExit(f"{folder}: no gold timelines (expected timelines/*.txt)")
    items, notes = gold_items(docs, timelines)
    with tempfile.TemporaryDirectory(prefix="anchoring-") as tmp:
        semeval.write_folder(docs, tmp)
        corpus = load_corpus(tmp)
        stages = event_stages(corpus)
    articles = {a.id: a for a in corpus.articles}
    by_article: dict[str, list] = {}
    for e in stages.events:
        by_article.setdefault(e.article, []).append(e)

    systems = {"project": [], "publication": [], "first-timex": []}
    for item in items:
        doc, article = docs[item.doc_id], articles[item.doc_id]
        day = doc.published
        pub = Prediction((day, day) if day else None, "publication-date")
        systems["publication"].append(pub)
        # first-timex baseline: the tagger's expressions inside the mention's CAT sentence
        tokens = [t for t in doc.sentence_tokens(item.sentence) if t.start >= 0]
        s_start, s_end = (tokens[0].start, tokens[-1].end) if tokens else (0, 0)
        first = None
        for t in stages.timexes[item.doc_id]:
            raw_start, _ = article.raw_span(t.start, t.end)
            if s_start <= raw_start < s_end and _interval_of(t) is not None:
                first = t
                break
        systems["first-timex"].append(
            Prediction(_interval_of(first), f"first-timex:{first.text}") if first else pub
        )
        event = _project_event(by_article.get(item.doc_id, []), item.start)
        if event is None:
            systems["project"].append(Prediction(None, "no-event"))
        else:
            interval = (event.first_day, event.last_day) if event.first_day and event.last_day else None
            systems["project"].append(Prediction(interval, event.rule, event.text))

    report: dict = {"mentions": len(items), "notes": dict(notes), "systems": {}}
    for name, preds in systems.items():
        counts = Counter(classify(i.gold_interval, p.interval) for i, p in zip(items, preds))
        kept = total = 0
        for a in range(len(items)):
            for b in range(len(items)):
                ga, gb = items[a].gold_interval, items[b].gold_interval
                if not ga[1] < gb[0]:
                    continue
                total += 1
                pa, pb = preds[a].interval, preds[b].interval
                if pa is not None and pb is not None and before(pa, pb) and not before(pb, pa):
                    kept += 1
        n = max(len(items), 1)
        report["systems"][name] = {
            **{c: counts.get(c, 0) for c in CLASSES},
            "accuracy": (counts["exact"] + counts["compatible"]) / n,
            "ordering_pairs": total,
            "ordering_agreement": kept / total if total else 0.0,
        }
    report["_items"] = items
    report["_predictions"] = systems["project"]
    report["_docs"] = docs
    return report


def _errors_text(report: dict) -> str:
    lines = []
    docs = report["_docs"]
    for item, pred in zip(report["_items"], report["_predictions"]):
        verdict = classify(item.gold_interval, pred.interval)
        if verdict in ("exact", "compatible"):
            continue
        shown = f"{pred.interval[0]}..{pred.interval[1]}" if pred.interval else "-"
        lines.append(
            f"{verdict.upper()}\t{item.doc_id}-{item.sentence}-{item.word}\tgold={item.gold}\tproject={shown}"
            f"\trule={pred.rule}\n  sentence: {_sentence_text(docs[item.doc_id], item.sentence)}\n"
            f"  event: {pred.text}\n"
        )
    return "".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m timeline.evaluate anchoring", description=__doc__.split("\n")[0])
    parser.add_argument("dir", help="SemEval-2015 Task 4 folder with corpus/ and timelines/")
    parser.add_argument("--errors", help="write every miss (sentence, project date, rule) to this file")
    args = parser.parse_args(argv)
    if not Path(args.dir).is_dir():
        print(f"{args.dir}: no such folder", file=sys.stderr)
        return 2
    report = evaluate(args.dir)
    print(f"gold dated mentions scored: {report['mentions']}")
    for note, count in sorted(report["notes"].items()):
        print(f"  left out: {note}: {count}")
    print(f"{'system':<13}{'exact':>7}{'compat':>8}{'wrong':>7}{'undated':>9}{'accuracy':>10}{'ordering':>10}")
    for name, s in report["systems"].items():
        print(f"{name:<13}{s['exact']:>7}{s['compatible']:>8}{s['wrong']:>7}{s['undated']:>9}"
              f"{s['accuracy']:>10.3f}{s['ordering_agreement']:>10.3f}")
    best = max(report["systems"]["publication"]["accuracy"], report["systems"]["first-timex"]["accuracy"])
    print(f"project - better baseline: {report['systems']['project']['accuracy'] - best:+.3f}")
    if args.errors:
        Path(args.errors).write_text(_errors_text(report), encoding="utf-8")
        print(f"misses written to {args.errors}")
    return 0
