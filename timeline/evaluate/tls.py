"""Timeline summarization scores between two tilse-format timelines: ``python -m timeline.evaluate tls SYSTEM GOLD``.

Reported, for a system timeline against one gold timeline:

* date selection: precision, recall and F1 of the set of dates;
* ROUGE-1 and ROUGE-2 precision/recall/F1 in the three variants of Martschat & Markert (EACL 2017),
  as popularised by the tilse toolkit:

  - ``concat``: all daily summaries of each timeline pooled into one document;
  - ``agreement``: n-gram matches counted only between summaries of the same date, summed over dates;
    precision divides by all system n-grams, recall by all gold n-grams;
  - ``align_m1`` (many-to-one, date costs): for precision each system date is compared with the
    closest gold date, for recall each gold date with the closest system date; every match count is
    weighted by ``1 / (1 + |days apart|)``. Equally close candidates are broken by larger overlap,
    then by the earlier date. (tilse's "align+ m:1" adds a content term to the alignment cost;
    this variant uses date distance only.)

Tokens and n-grams come from the maintained ``rouge-score`` package (its default tokenizer:
lower-cased alphanumeric tokens, Porter stemming unless ``--no-stem``; no stopword removal, unlike
the original ROUGE-1.5.5 settings used by tilse). N-grams are counted within each sentence, never
across two sentences of a day.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Mapping, Sequence

from rouge_score import rouge_scorer, scoring, tokenizers

from ..exports import read_tilse

Timeline = Mapping[date, Sequence[str]]
ORDERS = (1, 2)


def _prf(matched: float, system_total: float, gold_total: float) -> dict:
    precision = matched / system_total if system_total else 0.0
    recall = matched / gold_total if gold_total else 0.0
    return {"precision": precision, "recall": recall, "f1": scoring.fmeasure(precision, recall)}


class _Counts:
    """N-gram counts per date of one timeline, from rouge-score's tokenizer and n-gram counter."""

    def __init__(self, timeline: Timeline, tokenizer: tokenizers.Tokenizer, n: int):
        self.by_date: dict[date, Counter] = {}
        for day, sentences in timeline.items():
            counts: Counter = Counter()
            for sentence in sentences:
                counts.update(rouge_scorer._create_ngrams(tokenizer.tokenize(sentence), n))
            self.by_date[day] = counts

    def total(self, day: date | None = None) -> int:
        if day is None:
            return sum(sum(c.values()) for c in self.by_date.values())
        return sum(self.by_date[day].values())

    def pooled(self) -> Counter:
        pooled: Counter = Counter()
        for counts in self.by_date.values():
            pooled.update(counts)
        return pooled


def _overlap(a: Counter, b: Counter) -> int:
    return sum((a & b).values())


def _closest(day: date, candidates: Sequence[date], own: Counter, other: _Counts) -> date:
    """The candidate date nearest to ``day``; ties go to the larger overlap, then the earlier date."""
    return min(candidates, key=lambda c: (abs((c - day).days), -_overlap(own, other.by_date[c]), c))


def _weight(a: date, b: date) -> float:
    return 1.0 / (1.0 + abs((a - b).days))


def date_selection(system: Timeline, gold: Timeline) -> dict:
    """Precision/recall/F1 of the dates the system picked."""
    matched = len(set(system) & set(gold))
    scores = _prf(matched, len(system), len(gold))
    scores.update({"system": len(system), "gold": len(gold), "matched": matched})
    return scores


def rouge_variants(system: Timeline, gold: Timeline, n: int, tokenizer: tokenizers.Tokenizer) -> dict:
    """ROUGE-n in the concat, agreement and many-to-one alignment variants."""
    sys_counts, gold_counts = _Counts(system, tokenizer, n), _Counts(gold, tokenizer, n)
    sys_total, gold_total = sys_counts.total(), gold_counts.total()

    concat = _prf(_overlap(sys_counts.pooled(), gold_counts.pooled()), sys_total, gold_total)

    shared = set(system) & set(gold)
    agree = sum(_overlap(sys_counts.by_date[d], gold_counts.by_date[d]) for d in shared)
    agreement = _prf(agree, sys_total, gold_total)

    gold_dates, sys_dates = sorted(gold), sorted(system)
    precision_num = 0.0
    if gold_dates:
        for d in sys_dates:
            g = _closest(d, gold_dates, sys_counts.by_date[d], gold_counts)
            precision_num += _weight(d, g) * _overlap(sys_counts.by_date[d], gold_counts.by_date[g])
    recall_num = 0.0
    if sys_dates:
        for g in gold_dates:
            d = _closest(g, sys_dates, gold_counts.by_date[g], sys_counts)
            recall_num += _weight(d, g) * _overlap(sys_counts.by_date[d], gold_counts.by_date[g])
    precision = precision_num / sys_total if sys_total else 0.0
    recall = recall_num / gold_total if gold_total else 0.0
    align = {"precision": precision, "recall": recall, "f1": scoring.fmeasure(precision, recall)}
    return {"concat": concat, "agreement": agreement, "align_m1": align}


def evaluate_timelines(system: Timeline, gold: Timeline, *, stem: bool = True) -> dict:
    """All scores of ``system`` against ``gold`` (``{day: [sentence, ...]}`` each)."""
    tokenizer = tokenizers.DefaultTokenizer(use_stemmer=stem)
    result = {"dates": date_selection(system, gold)}
    for n in ORDERS:
        result[f"rouge_{n}"] = rouge_variants(system, gold, n, tokenizer)
    result["settings"] = {
        "tokenizer": "rouge-score DefaultTokenizer",
        "stemming": stem,
        "alignment": "many-to-one, closest date, weight 1/(1+|days|)",
    }
    return result


def _load(path: str, role: str) -> dict[date, list[str]]:
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"{role} timeline not found: {p}")
    return read_tilse(p)


def main(argv: list[str]) -> int:
    """``tls SYSTEM GOLD [--no-stem]``: print the scores as JSON; exit 2 on unreadable input."""
    parser = argparse.ArgumentParser(
        prog="python -m timeline.evaluate tls",
        description="Date F1 and ROUGE-1/2 (concat, agreement, many-to-one alignment) between a system "
                    "timeline and a gold timeline, both in tilse text format (a YYYY-MM-DD line, one "
                    "sentence per line, a line of dashes).",
    )
    parser.add_argument("system", metavar="SYSTEM", help="system timeline (tilse format), e.g. outputs/timeline.txt")
    parser.add_argument("gold", metavar="GOLD", help="gold timeline (tilse format)")
    parser.add_argument("--no-stem", action="store_true", help="compare unstemmed tokens")
    args = parser.parse_args(argv)
    try:
        system = _load(args.system, "system")
        gold = _load(args.gold, "gold")
    except (FileNotFoundError, ValueError, UnicodeDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = evaluate_timelines(system, gold, stem=not args.no_stem)
    result["system"] = args.system
    result["gold"] = args.gold
    try:
        print(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False))
    except BrokenPipeError:  # piped into head
        pass
    return 0
