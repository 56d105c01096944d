"""Score ``timeline.tag`` on TempEval-3 TimeML files: extent, type and value, TempEval-3 style.

    python -m timeline.evaluate tempeval DIR [DIR...] [--errors FILE] [--limit N]

Definitions (as the TempEval-3 scorer computes them): strict extent match = same start and end;
relaxed = any overlap (one-to-one, largest overlap first). Precision/recall/F1 over expressions.
Attribute F1 (type, value) = relaxed-extent F1 x attribute accuracy over the relaxed matches.
The document creation time comes from the file's <DCT>. Data are read from the given paths only.
``diagnostics`` counts the value mismatches whose gold value is left open or malformed although the
document has a creation time ("1989-WXX", "1968-XX", "2000-W7"): a full resolution cannot match those.
"""
from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None


@dataclass(frozen=True)
class Document:
    path: str
    dct: str | None
    text: str
    timexes: tuple[GoldTimex, ...]


def read_tml(path: str | Path) -> Document:
    """Plain text of <TEXT> with the gold TIMEX3s as offsets into it, and the DCT value."""
    raw = Path(path).read_text(encoding="utf-8")
    dct_match = re.search(r"<DCT>\s*<TIMEX3[^>]*?value=\"([^\"]+)\"", raw)
    dct = dct_match.group(1)[:10] if dct_match else None
    body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    if body is None:
        raise ValueError(f"{path}: no <TEXT> element")
    source = body.group(1)
    pieces: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict]] = []
    gold: list[GoldTimex] = []
    pos = 0
    for m in _TAG.finditer(source):
        chunk = html.unescape(source[pos:m.start()])
        pieces.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, name, attrs = m.group(1), m.group(2), m.group(3)
        if name != "TIMEX3":
            continue
        if closing:
            if not open_timex:
                raise ValueError(f"{path}: </TIMEX3> without an opening tag at {m.start()}")
            start, attributes = open_timex.pop()
            text = "".join(pieces)[start:length]
            gold.append(GoldTimex(start, length, text, attributes.get("type", ""), attributes.get("value", ""),
                                  attributes.get("mod")))
        elif not m.group(4):
            open_timex.append((length, dict(_ATTR.findall(attrs))))
    tail = html.unescape(source[pos:])
    pieces.append(tail)
    return Document(str(path), dct, "".join(pieces), tuple(gold))


def _match(gold, system) -> list[tuple[int, int]]:
    """One-to-one relaxed matching, largest overlap first (ties: earlier first)."""
    pairs = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > 0:
                pairs.append((-overlap, g.start, gi, si))
    used_g, used_s, out = set(), set(), []
    for _, _, gi, si in sorted(pairs):
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        out.append((gi, si))
    return out


def _prf(correct: int, n_sys: int, n_gold: int) -> dict:
    p = correct / n_sys if n_sys else 0.0
    r = correct / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


# A gold DATE/TIME value that leaves a field open ("1989-WXX", "1968-XX", "199X", "1988-QX") or is not
# well formed ("2000-W7", "1989-11-06T17") although the document has a creation date: a normalizer that
# resolves the expression fully cannot match it. Counted as a diagnostic, never changing the score.
_OPEN_GOLD_VALUE = re.compile(r"^\d{2,4}X|^\d{4}-(?:XX|WXX|QX)|-W\d$|T\d\d$")


class Scores:
    def __init__(self) -> None:
        self.n_gold = self.n_sys = self.strict = self.relaxed = self.type_ok = self.value_ok = 0
        self.value_wrong_open_gold = 0
        self.docs = 0
        self.seconds = 0.0
        self.per_type: dict[str, Counter] = defaultdict(Counter)

    def add(self, gold, system, pairs, dct: str | None = None) -> None:
        self.docs += 1
        self.n_gold += len(gold)
        self.n_sys += len(system)
        self.relaxed += len(pairs)
        for g in gold:
            self.per_type[g.type]["gold"] += 1
        for s in system:
            self.per_type[s.type]["system"] += 1
        for gi, si in pairs:
            g, s = gold[gi], system[si]
            self.strict += (g.start, g.end) == (s.start, s.end)
            self.type_ok += g.type == s.type
            self.value_ok += g.value == s.value
            if g.value != s.value and dct and _OPEN_GOLD_VALUE.search(g.value):
                self.value_wrong_open_gold += 1
            self.per_type[g.type]["relaxed"] += 1
            self.per_type[s.type]["relaxed_as_system"] += 1
            self.per_type[g.type]["type_ok"] += g.type == s.type
            self.per_type[g.type]["value_ok"] += g.value == s.value

    def summary(self) -> dict:
        relaxed = _prf(self.relaxed, self.n_sys, self.n_gold)
        strict = _prf(self.strict, self.n_sys, self.n_gold)
        type_acc = self.type_ok / self.relaxed if self.relaxed else 0.0
        value_acc = self.value_ok / self.relaxed if self.relaxed else 0.0
        per_type = {}
        for t, c in sorted(self.per_type.items()):
            per_type[t] = {
                "gold": c["gold"], "system": c["system"], "relaxed_matches": c["relaxed"],
                "precision_relaxed": round(c["relaxed_as_system"] / c["system"], 4) if c["system"] else None,
                "recall_relaxed": round(c["relaxed"] / c["gold"], 4) if c["gold"] else None,
                "type_accuracy": round(c["type_ok"] / c["relaxed"], 4) if c["relaxed"] else None,
                "value_accuracy": round(c["value_ok"] / c["relaxed"], 4) if c["relaxed"] else None,
            }
        return {
            "documents": self.docs, "gold": self.n_gold, "system": self.n_sys,
            "strict_matches": self.strict, "relaxed_matches": self.relaxed,
            "strict": strict, "relaxed": relaxed,
            "type": {"accuracy": round(type_acc, 4), "f1": round(relaxed["f1"] * type_acc, 4)},
            "value": {"accuracy": round(value_acc, 4), "f1": round(relaxed["f1"] * value_acc, 4)},
            "ms_per_document": round(1000 * self.seconds / self.docs, 2) if self.docs else None,
            "per_type": per_type,
            "diagnostics": {
                "value_mismatches": self.relaxed - self.value_ok,
                "value_mismatches_gold_left_open": self.value_wrong_open_gold,
            },
        }


def _context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - 60):start].replace("\n", " ")
    right = text[end:end + 60].replace("\n", " ")
    return f"{left}[[{text[start:end]}]]{right}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m timeline.evaluate tempeval", description=__doc__.split("\n")[0])
    parser.add_argument("dirs", nargs="+", help="directories (or files) of TimeML .tml documents")
    parser.add_argument("--errors", help="write mismatches (gold vs system, with context) to this file")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N documents per directory")
    args = parser.parse_args(argv)

    from timeline.timexes import tag

    total = Scores()
    per_dir: dict[str, Scores] = {}
    errors: list[str] = []
    problems: list[str] = []
    for d in args.dirs:
        path = Path(d)
        if not path.exists():
            problems.append(f"{d}: no such file or directory")
            continue
        files = sorted(path.glob("*.tml")) if path.is_dir() else [path]
        if not files:
            problems.append(f"{d}: no .tml files")
            continue
        if args.limit is not None:
            files = files[: args.limit]
        scores = per_dir.setdefault(str(path), Scores())
        for f in files:
            try:
                doc = read_tml(f)
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                problems.append(f"{f}: {exc}")
                continue
            t0 = time.perf_counter()
            try:
                system = tag(doc.text, doc.dct)
            except Exception as exc:  # one bad document must not stop the run; it is reported
                problems.append(f"{f}: tag() failed: {type(exc).__name__}: {exc}")
                continue
            elapsed = time.perf_counter() - t0
            pairs = _match(doc.timexes, system)
            for s in (scores, total):
                s.add(doc.timexes, system, pairs, doc.dct)
                s.seconds += elapsed
            if args.errors:
                matched_g = {gi for gi, _ in pairs}
                matched_s = {si for _, si in pairs}
                name = f.name
                for gi, si in pairs:
                    g, s = doc.timexes[gi], system[si]
                    kinds = []
                    if (g.start, g.end) != (s.start, s.end):
                        kinds.append("EXTENT")
                    if g.type != s.type:
                        kinds.append("TYPE")
                    if g.value != s.value:
                        kinds.append("VALUE")
                    if kinds:
                        errors.append(f"{'+'.join(kinds)}\t{name}\tdct={doc.dct}\tgold={g.text!r} {g.type} {g.value}"
                                      f"\tsys={s.text!r} {s.type} {s.value} [{s.rule}]\t{_context(doc.text, g.start, g.end)}")
                for gi, g in enumerate(doc.timexes):
                    if gi not in matched_g:
                        errors.append(f"MISSED\t{name}\tdct={doc.dct}\tgold={g.text!r} {g.type} {g.value}\t\t"
                                      f"{_context(doc.text, g.start, g.end)}")
                for si, s in enumerate(system):
                    if si not in matched_s:
                        errors.append(f"SPURIOUS\t{name}\tdct={doc.dct}\t\tsys={s.text!r} {s.type} {s.value} [{s.rule}]"
                                      f"\t{_context(doc.text, s.start, s.end)}")
    if args.errors:
        Path(args.errors).write_text("\n".join(errors) + "\n", encoding="utf-8")
    result = {"all": total.summary(), "by_directory": {k: v.summary() for k, v in per_dir.items()}}
    if problems:
        result["problems"] = problems
    print(json.dumps(result, indent=2, sort_keys=False))
    for p in problems:
        print(p, file=sys.stderr)
    return 0 if total.docs else 1
