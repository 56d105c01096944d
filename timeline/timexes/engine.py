"""The tagger's engine and ``tag``: every rule's candidates (each rule run only around its trigger
words), the longest extents chosen without overlaps, each resolved in text order (another rule on the
same stretch when the first declines) and finished as a ``Timex``.
"""
from __future__ import annotations

import bisect
import re
from array import array
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from operator import sub

from .. import timex3
from ..records import Timex
from .context import _Anchor, _coerce_dct, _Context, _Resolved
from .resolvers import RESOLVERS
from .resolvers.common import _group, _year_number
from .rules import _res, _Rule


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    rule: _Rule
    match: re.Match


#: How far a rule's match, with the context its lookarounds read, may reach from the trigger word it
#: needs, counted in characters that are not blanks (a run of spaces or line breaks costs nothing, so
#: "last <200 spaces> Thanksgiving" is still found whole). Rules are run only on the stretches of text
#: within this reach of one of their trigger words, so a long article costs each rule the few windows
#: around its words instead of a scan of the whole text (see benchmarks/bench_hostile.py). The
#: longest TempEval-3 expression is 39 characters.
TRIGGER_REACH = 200

_WORD = re.compile(r"[a-z]+")
_DIGITS = re.compile(r"\d+")


def _trigger_positions(text: str) -> dict[str, list[int]] | None:
    """Start offsets of each lower-case word (and of digit runs, as ``#digit``) in ``text``; under
    the key ``#solid`` the count of non-blank characters before each offset (an array of len + 1).

    None when lower-casing changes the text's length (offsets would not line up): scan everything.
    """
    lower = text.lower()
    if len(lower) != len(text):
        return None
    # blanks (what ``\s`` matches in a str pattern: exactly the characters str.isspace accepts) do not
    # count towards TRIGGER_REACH: offset minus the blanks before it
    solid = array("q", map(sub, range(len(text) + 1), accumulate(map(str.isspace, text), initial=0)))
    where: dict = {"#solid": solid}
    for m in _WORD.finditer(lower):
        where.setdefault(m.group(), []).append(m.start())
    digits = [m.start() for m in _DIGITS.finditer(text)]
    if digits:
        where["#digit"] = digits
    return where


def _rule_windows(where: dict, triggers: frozenset[str], size: int) -> list[tuple[int, int]]:
    """Merged ``[start, end)`` stretches within TRIGGER_REACH non-blank characters of an occurrence
    of one of ``triggers``.

    The stretches of two occurrences touch exactly when their non-blank counts are at most twice the
    reach apart (the counts step by 0 or 1), so occurrences are grouped on those counts and each
    window's bounds are two look-ups.
    """
    lists = [where[w] for w in triggers if w in where and not w.startswith("#s")]
    if not lists:
        return []
    solid = where["#solid"]
    counts = sorted({solid[position] for found in lists for position in found})
    groups: list[tuple[int, int]] = []  # (first, last) count of each run of touching occurrences
    first = last = counts[0]
    for count in counts[1:]:
        if count - last > 2 * TRIGGER_REACH:
            groups.append((first, last))
            first = count
        last = count
    groups.append((first, last))
    return [(bisect.bisect_left(solid, low - TRIGGER_REACH),
             min(bisect.bisect_right(solid, high + TRIGGER_REACH) - 1, size)) for low, high in groups]


def _matches(rule: _Rule, text: str, where: dict[str, list[int]] | None):
    """``rule.regex.finditer`` over the whole text, or over the windows around its trigger words.

    Both give the same matches: each match holds one of the rule's trigger words, lies within
    TRIGGER_REACH of it, and windows are merged when they touch, so no match is cut or started
    inside another (checked against the whole-text scan in tests/test_timex_properties.py).
    """
    if where is None or rule.triggers is None:
        yield from rule.regex.finditer(text)
        return
    windows = _rule_windows(where, rule.triggers, len(text))
    if sum(end - start for start, end in windows) > len(text) // 2:
        yield from rule.regex.finditer(text)  # most of the text anyway: one scan is cheaper
        return
    for start, end in windows:
        yield from rule.regex.finditer(text, start, end)


def _candidates(text: str, use_triggers: bool = True) -> list[_Candidate]:
    res = _res()
    blocked_at = bytearray(len(text) + 1)  # 1 where no expression may start
    for regex in res.rejects:
        for m in regex.finditer(text):
            blocked_at[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    found = []
    where = _trigger_positions(text) if use_triggers else None
    tokens = set(where) - {"#solid"} if where is not None else set(re.findall(r"[a-z]+", text.lower()))
    if re.search(r"\d", text):
        tokens.add("#digit")
    for rule in res.rules:
        if use_triggers and rule.triggers is not None and tokens.isdisjoint(rule.triggers):
            continue  # none of the words this rule needs occurs: it cannot match
        for m in _matches(rule, text, where):
            try:
                start, end = m.span("t")
            except IndexError:
                start, end = m.span()
            if start < 0 or start >= end:
                continue
            if blocked_at[start]:
                continue
            if any(_group(m, g) and not m.group(g)[0].isupper() for g in rule.capital):
                continue
            sentence_text = text[max(0, start - 60):start]
            if rule.needs is not None and not rule.needs.search(sentence_text):
                continue
            if rule.reject_before is not None and rule.reject_before.search(sentence_text):
                continue
            if rule.reject_after is not None and rule.reject_after.search(text[end:end + 60]):
                continue
            found.append(_Candidate(start, end, rule, m))
    return found


def _select(cands: list[_Candidate]) -> list[_Candidate]:
    """Longest extent first, then rule priority; no two chosen extents overlap."""
    chosen: list[_Candidate] = []
    starts: list[int] = []  # chosen extents, kept sorted by start; they never overlap
    ends: list[int] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.rule.priority, c.start, c.rule.order)):
        i = bisect.bisect_left(starts, c.end)  # extents starting before c ends
        if i and ends[i - 1] > c.start:
            continue  # the nearest of them still runs into c
        starts.insert(i, c.start)
        ends.insert(i, c.end)
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def tag(text: str, dct: date | str | None = None) -> list[Timex]:
    """Find and resolve the temporal expressions in ``text``.

    ``dct`` is the reference (document creation) date; without it relative expressions get
    underspecified values (``XXXX-WXX-2``, ``XXXX-XX``...) while absolute ones still resolve.
    Raises ValueError for a dct that is not a date.
    """
    day = _coerce_dct(dct)
    if not isinstance(text, str):
        raise TypeError(f"tag() needs a str, got {type(text).__name__}")
    ctx = _Context(text, day)
    candidates = _candidates(text)
    chosen = _select(candidates)
    # Other rules that matched exactly the same stretch, best first: tried when the chosen rule's
    # resolver declines ("the year" alone is nothing, "for the year" is the reporting year).
    same_span: dict[tuple[int, int], list[_Candidate]] = {}
    for c in sorted(candidates, key=lambda c: (c.rule.priority, c.rule.order)):
        same_span.setdefault((c.start, c.end), []).append(c)
    out: list[Timex] = []
    # Explicit years go first, so a yearless month can be anchored by a year stated before it.
    for c in chosen:
        y = _group(c.match, "year")
        if y and c.rule.resolve in ("absolute_date", "year", "season") and _year_number(y):
            gran = "day" if _group(c.match, "day") else "month" if _group(c.match, "month") else "year"
            attributive = bool(re.search(r"(?i)\b(?:the|a|an|its|their|his|her|our|this|that)\s+$",
                                         text[max(0, c.start - 8):c.start]))
            ctx.anchors.append(_Anchor(c.start, c.end, _year_number(y), gran, attributive))
    anchor_at = {a.start: a for a in ctx.anchors}
    ctx.anchor_starts = [a.start for a in ctx.anchors]
    for first_choice in chosen:
        for c in same_span[(first_choice.start, first_choice.end)]:
            resolved = _resolve(c, ctx)
            if resolved is not None:
                break
        else:
            continue
        if resolved.type == "DATE" and timex3.granularity(resolved.value) == "day" and resolved.first_day:
            ctx.days.append((c.end, resolved.first_day))
        if c.start in anchor_at and resolved.type in ("DATE", "TIME"):
            anchor_at[c.start].value = resolved.value
        if resolved.type in ("DATE", "TIME") and resolved.value[:1].isdigit():
            ctx.points.append((c.start, resolved.value))
        out.append(_finish(c, resolved, ctx))
    return out


def _resolve(c: _Candidate, ctx: _Context) -> _Resolved | None:
    try:
        resolved = RESOLVERS[c.rule.resolve](c.match, ctx, c.rule)
    except OverflowError:
        return None  # "ten centuries ago" from an early reference date: no representable value
    except ValueError as exc:
        if "out of range" not in str(exc):
            raise
        return None
    if resolved is None or not timex3.is_valid_value(resolved.value):
        return None
    return resolved


def _finish(c: _Candidate, r: _Resolved, ctx: _Context) -> Timex:
    mod = r.mod
    first, last = timex3.checked_interval(r.first_day, r.last_day)
    if first is None and r.type in ("DATE", "TIME") and r.value[:1].isdigit():
        span = timex3.interval(r.value)
        if span:
            first, last = span
    # "since August 1": the expression is the start of a stretch that runs to the reference date.
    if mod is None and r.type in ("DATE", "TIME") and first is not None and ctx.dct is not None \
            and re.search(r"(?i)\bsince\s+$", ctx.text[max(0, c.start - 8):c.start]) and first <= ctx.dct:
        mod, last = "ON_OR_AFTER", max(ctx.dct, first)
        note = (r.note + "+since") if r.note else "since"
        r = _Resolved(r.type, r.value, note, r.mod, r.first_day, r.last_day)
    gran = timex3.granularity(r.value) if r.type in ("DATE", "TIME") else None
    rule = f"{c.rule.name}:{r.note}" if r.note else c.rule.name
    first, last = timex3.checked_interval(first, last)
    return Timex(start=c.start, end=c.end, text=ctx.text[c.start:c.end], type=r.type, value=r.value, mod=mod,
                 rule=rule, first_day=first, last_day=last, granularity=gran)
