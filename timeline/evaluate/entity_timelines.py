"""Score the selected timeline against SemEval-2015 Task 4 entity timelines.

    python -m timeline.evaluate timelines DIR

``DIR`` holds ``corpus/*.xml`` (CAT XML) and ``timelines/*.txt`` (the gold entity timelines, first
line the entity; see ``timeline.evaluate.semeval``). The articles are rebuilt as a corpus folder
(text without the date line, ``metadata.csv`` with the date line's day and the title) and built
once with ``model=None``; then, for each gold timeline, ``timeline.selection.select`` runs on the
same candidates with ``about=<entity>`` and default settings otherwise.

Scores, per entity:

- **Date precision / recall / F1.** Gold dates are the distinct dates of the timeline's rows
  (``XXXX-XX-XX`` rows excluded); a month or year gold date (``2008-06-XX``, ``2008-XX-XX``) is its
  calendar interval. A system date (an entry's interval) is correct when it lies inside a gold
  date's interval; precision = correct distinct system dates / distinct system dates, recall = gold
  dates with a correct system date inside / gold dates.
- **ROUGE-1 F1** (``rouge-score``, stemmed) of the system text against the gold text. Gold text:
  the sentences holding the dated rows' mentions, each once, in timeline order. System text: each
  entry's summary, or its representative clause's whole sentence when there is no summary.

Baselines of the same run, on the same built events: ``all-dated`` — every dated event whose
sentence names the entity (its distinct dates, its distinct sentences; no selection); ``datewise``
— the k dates most often referred to by the dated events naming the entity (news-tls's datewise
date selection; k = number of gold dates), each with the first such sentence of that date.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Sequence

from . import semeval
from .anchoring import gold_interval

Interval = tuple[date, date]


@dataclass(frozen=True)
class SystemTimeline:
    dates: tuple[Interval, ...]
    text: str


def date_prf(system: Sequence[Interval], gold: Sequence[Interval]) -> dict:
    """Precision / recall / F1 of system intervals against gold intervals (see the module docstring)."""
    sys_dates, gold_dates = sorted(set(system)), sorted(set(gold))
    inside = lambda s, g: g[0] <= s[0] and s[1] <= g[1]  # noqa: E731
    correct = sum(1 for s in sys_dates if any(inside(s, g) for g in gold_dates))
    found = sum(1 for g in gold_dates if any(inside(s, g) for s in sys_dates))
    p = correct / len(sys_dates) if sys_dates else 0.0
    r = found / len(gold_dates) if gold_dates else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def rouge1(system: str, reference: str) -> float:
    from rouge_score import rouge_scorer

    if not system.strip() or not reference.strip():
        return 0.0
    return rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True).score(reference, system)["rouge1"].fmeasure


def gold_text_and_dates(timeline: semeval.GoldTimeline, docs: dict) -> tuple[list[Interval], str]:
    dates: list[Interval] = []
    seen: set = set()
    sentences: list[str] = []
    for row in timeline.rows:
        interval = gold_interval(row.date)
        if interval is None:
            continue
        dates.append(interval)
        for m in row.mentions:
            doc = docs.get(m.doc_id)
            if doc is None or (m.doc_id, m.sentence) in seen:
                continue
            seen.add((m.doc_id, m.sentence))
            sentences.append(" ".join(t.text for t in doc.sentence_tokens(m.sentence)))
    return dates, "\n".join(sentences)


def _sentence(event) -> str:
    return event.sentence or event.text


def project(result, entity: str) -> SystemTimeline:
    from timeline.selection import SelectionSettings, select

    chosen = select(result.candidates, result.events, result.corpus.articles, SelectionSettings(about=entity),
                    place_table=result.places)
    by_key = {(e.article, e.start, e.end): e for e in result.events}
    texts = []
    for entry in chosen.entries:
        s = entry.sources[0]
        e = by_key.get((s.article, s.start, s.end))
        texts.append(entry.summary or (_sentence(e) if e is not None else s.sentence))
    return SystemTimeline(tuple((e.start, e.end) for e in chosen.entries), "\n".join(texts))


def _naming(result, entity: str) -> list:
    from timeline.selection import Query

    query = Query.parse(entity, result.places)
    return [e for e in result.events
            if e.value is not None and e.first_day is not None and query.names(_sentence(e), e.places, e.organisations)]


def all_dated(result, entity: str) -> SystemTimeline:
    events = _naming(result, entity)
    sentences = list(dict.fromkeys(_sentence(e) for e in events))
    return SystemTimeline(tuple((e.first_day, e.last_day) for e in events), "\n".join(sentences))


def datewise(result, entity: str, k: int) -> SystemTimeline:
    events = _naming(result, entity)
    counts = Counter((e.first_day, e.last_day) for e in events)
    top = [d for d, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]
    first = {}
    for e in events:
        first.setdefault((e.first_day, e.last_day), _sentence(e))
    return SystemTimeline(tuple(top), "\n".join(first[d] for d in sorted(top)))


def evaluate(folder: str | Path) -> list[dict]:
    """One row per gold timeline: entity, gold dates, and P/R/F1 + ROUGE-1 for project and baselines."""
    from timeline.pipeline import build_timeline

    docs = semeval.read_corpus(folder, keep_date_line=False)
    timelines = semeval.read_timelines(folder)
    if not docs or not timelines:
        raise ValueError(f"{folder}: expected corpus/*.xml and timelines/*.txt (SemEval-2015 Task 4 layout)")
    with tempfile.TemporaryDirectory(prefix="timeline-entity-") as tmp:
        semeval.write_folder(docs, tmp)
        result = build_timeline(Path(tmp), model=None)
    rows = []
    for timeline in timelines:
        gold_dates, gold_text = gold_text_and_dates(timeline, docs)
        if not gold_dates:
            continue
        row = {"entity": timeline.entity, "gold": len(set(gold_dates))}
        systems = {
            "project": project(result, timeline.entity),
            "all-dated": all_dated(result, timeline.entity),
            "datewise": datewise(result, timeline.entity, len(set(gold_dates))),
        }
        for name, system in systems.items():
            prf = date_prf(system.dates, gold_dates)
            row[name] = {**prf, "rouge1": rouge1(system.text, gold_text), "dates": len(set(system.dates))}
        rows.append(row)
    return rows


SYSTEMS = ("project", "all-dated", "datewise")


def format_table(rows: list[dict]) -> str:
    head = f"{'entity':<22}{'gold':>5} " + " ".join(f"{s + ' n/P/R/F1/R1':>34}" for s in SYSTEMS)
    lines = [head]
    for row in rows:
        cells = [f"{row[s]['dates']:>4} {row[s]['p']:.3f} {row[s]['r']:.3f} {row[s]['f1']:.3f} {row[s]['rouge1']:.3f}"
                 for s in SYSTEMS]
        lines.append(f"{row['entity'][:21]:<22}{row['gold']:>5} " + " ".join(f"{c:>34}" for c in cells))
    if rows:
        means = []
        for s in SYSTEMS:
            m = {k: sum(r[s][k] for r in rows) / len(rows) for k in ("p", "r", "f1", "rouge1")}
            means.append(f"     {m['p']:.3f} {m['r']:.3f} {m['f1']:.3f} {m['rouge1']:.3f}")
        lines.append(f"{'mean':<22}{'':>5} " + " ".join(f"{c:>34}" for c in means))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m timeline.evaluate timelines", description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", help="folder with corpus/*.xml and timelines/*.txt")
    args = parser.parse_args(argv)
    try:
        rows = evaluate(args.dir)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
