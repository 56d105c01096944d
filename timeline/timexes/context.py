"""Per-call state of the tagger: the reference date, sentence and paragraph bounds, tense markers and
the year anchors, quarters and days the text has named so far.

``_coerce_dct`` turns the caller's reference date into a ``date`` (or says what is wrong with it);
``_Resolved`` is what a resolver returns.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, datetime

from .rules import _res


_ISO_DATE = re.compile(r"\s*(\d{4}-\d\d-\d\d)(?:[T ][\d:.+\-Z]*)?\s*")


DCT_YEARS = (100, 9899)  # room for "two centuries ago" / "in the next century" arithmetic


def _coerce_dct(dct: date | str | None) -> date | None:
    """The reference date as a ``date``; ValueError naming the problem for anything else."""
    if dct is None:
        return None
    if isinstance(dct, datetime):
        day = dct.date()
    elif isinstance(dct, date):
        day = dct
    elif isinstance(dct, str):
        m = _ISO_DATE.fullmatch(dct)
        if not m:
            raise ValueError(f"invalid dct {dct!r}: not an ISO date (expected YYYY-MM-DD, e.g. 2016-02-23)")
        try:
            day = date.fromisoformat(m.group(1))
        except ValueError as exc:
            raise ValueError(f"invalid dct {dct!r}: {exc}") from None
    else:
        raise ValueError(f"invalid dct {dct!r}: expected datetime.date, an ISO date string or None, "
                         f"got {type(dct).__name__}")
    if not DCT_YEARS[0] <= day.year <= DCT_YEARS[1]:
        raise ValueError(f"invalid dct {dct!r}: year {day.year} outside the supported {DCT_YEARS[0]}-{DCT_YEARS[1]}")
    return day


_SENTENCE_END = re.compile(r"""[.!?]["'”’)]*\s+(?=["“‘(]?[A-Z])|\n""")


_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen col lt sgt st u.s u.n no vs inc corp co ltd jr sr sen rep gov maj capt adm prof "
    "jan feb mar apr jun jul aug sep sept oct nov dec mt ft a.m p.m e.g i.e etc".split())


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if m.group(0) != "\n":
            word = re.search(r"([\w.]+)\.$", text[max(0, m.start() - 12):m.start() + 1])
            if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                continue
        starts.append(m.end())
    return starts


@dataclass(frozen=True)
class _Resolved:
    type: str
    value: str
    note: str = ""
    mod: str | None = None
    first_day: date | None = None
    last_day: date | None = None


@dataclass
class _Anchor:
    start: int
    end: int
    year: int
    granularity: str
    attributive: bool = False  # "the Dec. 21, 1988, bombing": names a background event, sets no scene
    value: str = ""  # its resolved value, once known


_FUTURE_IN_PAST = re.compile(
    r"\s+(?:still\s+)?(?:planning|going|expected|scheduled|due|set|supposed|preparing|hoping)\s+to\b", re.I)


class _Context:
    """Per-call state: the text, the reference date, sentence/paragraph bounds and year anchors."""

    def __init__(self, text: str, dct: date | None) -> None:
        self.text = text
        self.dct = dct
        self.sentences = _sentence_starts(text)
        self.paragraphs = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.anchors: list[_Anchor] = []  # in text order
        self.anchor_starts: list[int] = []
        self.relatives: list[int] = []  # starts of relative expressions (they break narrative anchoring)
        self.quarters: list[tuple[int, str]] = []  # (start, value) of resolved quarters
        self.year_spans: list[int] = []  # starts of part-year reporting spans ("the first nine months")
        self.days: list[tuple[int, date]] = []  # (end, day) of expressions resolved to one day
        self.points: list[tuple[int, str]] = []  # (start, value) of resolved calendar dates, in text order

    def day_just_before(self, start: int) -> date | None:
        """The day named by an expression ending just before ``start`` ("Monday at 9 a.m.")."""
        for end, day in reversed(self.days):
            if end <= start:
                if re.fullmatch(r"(?i),?\s*(?:at|,)?\s*", self.text[end:start]):
                    return day
                return None
        return None

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentences, pos) - 1
        end = self.sentences[i + 1] if i + 1 < len(self.sentences) else len(self.text)
        return self.sentences[i], end

    def paragraph_of(self, pos: int) -> int:
        return bisect.bisect_right(self.paragraphs, pos) - 1

    def tense(self, start: int, end: int) -> str:
        """'future' or 'past' (the news default) from the nearest tense marker in the sentence."""
        return self.tense_marker(start, end)[0] or "past"

    def tense_marker(self, start: int, end: int) -> tuple[str | None, int]:
        """Kind and distance in characters of the tense marker nearest to the expression.

        Markers before the expression count a little nearer: "will meet on Friday, officials said".
        """
        kind, distance, _ = self.tense_marker_word(start, end)
        return kind, distance

    def tense_marker_word(self, start: int, end: int) -> tuple[str | None, int, str]:
        """``tense_marker`` plus the marker itself (lower case)."""
        res = _res()
        s0, s1 = self.sentence_bounds(start)
        best: tuple[str | None, float, str] = (None, 1e9, "")
        window0 = max(s0, start - 120)
        for m in res.tense_regex.finditer(self.text, window0, start):
            kind = self._marker_kind(m)
            weight = 0.8 if not m.group("ed") else 1.6  # an -ed word may be an adjective
            if kind and (start - m.end()) * weight < best[1]:
                best = (kind, (start - m.end()) * weight, m.group(0).lower())
        for m in res.tense_regex.finditer(self.text, end, min(s1, end + 100)):
            kind = self._marker_kind(m)
            if kind == "future" and re.sub(r"\s+", " ", m.group(0).lower()) in res.future_before_only:
                continue
            if kind:
                weight = 1.0 if not m.group("ed") else 2.0
                if (m.start() - end) * weight < best[1]:
                    best = (kind, (m.start() - end) * weight, m.group(0).lower())
                break
        return best[0], int(best[1]), best[2]

    def scheduled_present(self, start: int) -> bool:
        """A present-tense verb of a scheduled event shortly before the expression, in the same clause:
        "the two leaders meet Monday", "voters go to the polls on Sunday"."""
        s0, _ = self.sentence_bounds(start)
        window = self.text[max(s0, start - 50):start]
        window = re.split(r"[,;:(]|\b(?:and|but|while|after|before|when)\b", window)[-1]
        for m in _res().present_schedule.finditer(window):
            # "at the close of business Thursday", "his visit Monday": a noun, not a verb
            if not re.search(r"(?i)\b(?:the|a|an|of|his|her|its|their|our|my|your|this|that|at|for|to|in|on|"
                             r"by|from|with|'s|’s)\s+$", window[:m.start()]):
                return True
        return False

    def past_perfect_before(self, start: int, end: int | None = None) -> bool:
        """"had been due to expire Friday", "Until Thursday, they had not called him": seen from a past
        vantage point, the deadline is over (with ``end``, the rest of the clause counts too)."""
        s0, s1 = self.sentence_bounds(start)
        if re.search(r"(?i)\bhad\b", self.text[max(s0, start - 60):start]):
            return True
        if end is None:
            return False
        after = re.split(r"[;]|\bbut\b", self.text[end:min(s1, end + 60)])[0]
        return bool(re.search(r"(?i)\bhad\b", after))

    @staticmethod
    def _marker_kind(m: re.Match) -> str | None:
        if m.group("future"):
            return "future"
        before = m.string[max(0, m.start() - 6):m.start()].lower()
        if before.endswith(("be ", "being ", "is ", "are ")):
            return None  # a passive "would be held", "is heard" says nothing about the past
        if m.group("past"):
            # "were planning to", "was expected to": a plan reported in the past tense still looks
            # ahead to its event
            if m.group("past").lower() in ("was", "were") and _FUTURE_IN_PAST.match(m.string, m.end()):
                return "future"
            return "past"
        if m.group("ed").lower() in _res().not_past_ed:
            return None
        return "past"

    def looks_forward(self, start: int, end: int | None = None) -> bool:
        """A deadline word around the expression: "payable Dec. 15", "as soon as Tuesday", "the Jan. 14
        deadline"."""
        if _res().forward_signal.search(self.text[max(0, start - 30):start]):
            return not self.past_perfect_before(start, end)
        return end is not None and bool(_res().forward_after.match(self.text, end))

    def reported_on(self, start: int) -> bool:
        """A reporting verb right before a weekday ("Castro said Sunday"): the day of the report."""
        return bool(_res().reporting_before.search(self.text[max(0, start - 30):start]))

    def signal_before(self, start: int) -> str:
        s0, _ = self.sentence_bounds(start)
        return self.text[max(s0, start - 40):start]

    def narrative_year(self, start: int) -> int | None:
        """Year of an explicit date earlier in the same paragraph that a yearless month should take.

        Guarded because news mixes background years with current events: a month/day anchor counts in
        the same paragraph; a bare year only in the same clause; any relative expression in between
        (which re-anchors the reader on the reference date) cancels it.
        """
        para = self.paragraph_of(start)
        i = bisect.bisect_left(self.anchor_starts, start)
        if i == 0:
            return None
        anchor = self.anchors[i - 1]  # the latest explicit date before the expression
        if self.paragraph_of(anchor.start) != para or anchor.attributive or start - anchor.end > 400:
            return None
        j = bisect.bisect_left(self.relatives, anchor.end)
        if j < len(self.relatives) and self.relatives[j] < start:
            return None
        if anchor.granularity in ("month", "day"):
            return anchor.year
        if anchor.granularity == "year":
            if self.sentence_bounds(anchor.start) != self.sentence_bounds(start):
                return None
            between = self.text[anchor.end:start]
            if re.search(r"(?i)\b(?:and|but|while|whereas|although|though|when|after|before|since)\b|[;:]",
                         between):
                return None
            # Past a comma, only a fronted year sets the scene for the rest of the sentence ("In 1987,
            # it bought ... in May"); a year inside a modifier does not ("a plan approved in 1987 that
            # ..., it had bought shares through Sept. 29").
            if "," in between and anchor.start - self.sentence_bounds(start)[0] > 20:
                return None
            return anchor.year
        return None
