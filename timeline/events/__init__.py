"""Events: every clause's predicate, read from the spaCy parse, dated the way a reader dates it.

One event per predicate (``predicates``): the sentence root and every verb heading a clause, plus the
nouns a temporal expression attaches to ("the 2011 toppling") and the headline's predicates. Each
event keeps its trigger, tense/aspect/modality, class, actor and object, places and organisations
(NER; a place named only as a reference point, "300 kilometres east of Benghazi", is not where the
event happened: ``places.scene_places``), attribution, the clause and the sentence with raw offsets,
and what each word of the sentence is in the parse (``word_kinds``: proper noun, named entity, number, nationality, content word or
modifier; ``predicates.word_kind``), by which merging weighs the words two sentences share. ``for_timeline`` folds the
predicates of a sentence that share a date into one event for merging.

How a predicate is dated (``Event.rule`` names the step):

1. ``timex:<rule>`` — an expression that attaches to it (``anchoring.attach``: the dependency path
   from the expression's head to the nearest predicate). Several: the finest granularity, then the
   nearest to the trigger. Suffix ``+start`` for "since"/"from" on a perfect/present/future predicate
   (the event is the start of its stretch), ``+frame`` when the expression dates a noun the predicate
   is framed by ("at the conference on Monday"). Comparison points ("than", "compared to", "since"
   on a simple past, "after", "until") date nothing. A past happening is never dated after the
   reference date by its expression (a resolution slip); DURATIONs date only without a DATE/TIME.
2. ``inherit:<dep>`` — a dependent clause without an expression of its own (``xcomp``, ``pcomp``,
   ``conj`` of the same tense, ``acl``, ``advcl`` unless introduced by "after"/"before"/"until"...)
   takes its governor's date. The other way, ``lift:<why>`` (``_lift``): a past predicate without an
   expression takes its open complement's ("helped implant IS in 2014"), its purpose clause's
   ("launched an operation to retake it in June") or, after a coarse earlier time, its "after"
   clause's ("was set up after opponents took Tripoli in 2014").
3. ``reported:<tense>`` — a reported clause (complement of a reporting verb) in the simple past,
   present or present perfect takes the reporting verb's date when that is dated by an expression
   of the sentence or by carried narrative time: "said on Tuesday that sales rose" — the rise is
   told as of Tuesday. With a reporting verb dated only by the reference date, the clause is dated
   like a main clause (steps 4-5). A past perfect is anterior to the report and is not given its date.
4. ``narrative:carried`` — a simple-past predicate of a sentence without an expression takes the
   narrative time of its paragraph: the date of the last sentence whose main predicate was a past
   happening dated by an expression. The carry stops at a new paragraph, at a sentence whose main
   predicate is present, present perfect or future (the story is back to "now"), at a topic-shift
   opener ("Meanwhile", "Separately", "Earlier" ...) and when a new expression sets a new time.
5. ``reference-date:<why>`` — the article's reference date: ``news-report`` (simple past),
   ``present-perfect`` (news lead: "Airbus has won an order"), ``present-state`` (a present state
   holds at the reference date), ``headline`` (headlines are events at the reference date).
   Steps 4 and 5 are not taken in a sentence opened by a sequence anaphor ("After that, the
   offensive stalled") when neither the previous sentence nor the paragraph told a time: it
   happened after something the text does not date, so the lead's or the report's day would be a
   guess (``undated:unanchored-sequence``).
6. Otherwise undated (``kind="undated"``): plans without a time of their own (``undated:plan``,
   class ``plan``: never shown as a past happening), hypotheticals, past perfects without narrative
   time, sentences about the reporting itself (``[not_news]``), link titles, captions without a
   written year (relative words in a caption would be resolved against the wrong day).

A photo caption is one event (``role="caption"``); a leading wire dateline ("Benghazi (Libya) (AFP)
- ") is left out of an event's text and places. ``kind`` is "event", "caption" or "undated" here;
``apply_window`` marks events before the corpus window as "background".
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from .. import timex3
from ..ordering import granularity_rank
from ..places import entity_places, find_places, scene_places
from ..records import Article, Event, ReferenceDate, Sentence, Timex
from . import anchoring
from .predicates import (
    VERBAL,
    arguments,
    attribution,
    clause_span,
    event_class,
    governor,
    is_predicate,
    modality_of,
    tense_of,
    word_kinds,
    words,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

__all__ = ["NEWS_RULE", "extract_events", "for_timeline", "apply_window", "is_reference_dated",
           "without_dateline"]

NEWS_RULE = "reference-date:news-report"
REFERENCE_PREFIX = "reference-date:"
OPEN_START_MODS = frozenset({"ON_OR_AFTER", "AFTER", "START_ON_OR_AFTER"})
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_INHERIT_DEPS = frozenset({"xcomp", "pcomp", "conj", "acl", "advcl", "relcl", "parataxis"})
# "Benghazi (Libya) (AFP) - ", "By Ayman al-Warfalli BENGHAZI, Libya (Reuters) - ": where the story
# was filed and by whom, not part of what happened (and its place is not the event's place).
_DATELINE = re.compile(
    r"^(?:By\s+(?:By\s+)?(?:[A-Za-z][\w'.’-]*\s+){1,4}?)?"    # byline, possibly doubled by a scrape
    r"[A-Z][A-Za-z'.’-]*(?:\s+[A-Z][A-Za-z'.’-]*){0,3}"          # place
    r"(?:,\s*[A-Z][A-Za-z'.’-]*(?:\s+[A-Z][A-Za-z'.’-]*){0,2})?"  # , country
    r"\s*(?:\([^()]{1,40}\)\s*)+[-–—]+\s+"                       # (Libya) (AFP) -
)


def is_reference_dated(e: Event) -> bool:
    """Dated without an expression of its own: by the reference date, the narrative or news time,
    its governor or its reporting verb (everything but ``timex:`` rules). Merging treats such a date
    as the report's, not as a date the text states."""
    return e.value is not None and not e.rule.startswith("timex:")


def without_dateline(sentence: Sentence) -> Sentence:
    """The sentence minus a leading wire dateline/byline, if any (offsets moved accordingly)."""
    found = _DATELINE.match(sentence.text)
    if not found or not any(ch.isalnum() for ch in sentence.text[found.end():]):
        return sentence
    cut = found.end()
    return Sentence(sentence.article, sentence.index, sentence.start + cut, sentence.end,
                    sentence.text[cut:], sentence.kind)


# ---- dates --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Date:
    value: str
    granularity: str | None
    first: date
    last: date
    timex: Timex | None
    rule: str


def _interval(t: Timex) -> tuple[str, str | None, date, date] | None:
    """(value, granularity, first_day, last_day) an expression dates an event with, if any."""
    if t.type in ("DATE", "TIME"):
        if t.mod in OPEN_START_MODS:
            span = timex3.interval(t.value)
            if span:
                return t.value, t.granularity or timex3.granularity(t.value), span[0], span[1]
        if t.first_day is None or t.last_day is None:
            return None
        return t.value, t.granularity or timex3.granularity(t.value), t.first_day, t.last_day
    if t.type == "DURATION" and t.first_day is not None and t.last_day is not None:
        return t.value, t.granularity or "duration", t.first_day, t.last_day
    return None


def _timex_date(t: Timex, suffix: str = "") -> Date:
    value, granularity, first, last = _interval(t)
    if t.mod in OPEN_START_MODS and timex3.interval(t.value) and "+start" not in suffix:
        suffix = "+start" + suffix
    if suffix.startswith("+start") and t.type in ("DATE", "TIME"):
        span = timex3.interval(t.value)
        if span:
            first, last = span
    return Date(value, granularity, first, last, t, f"timex:{t.rule or t.type.lower()}{suffix}")


def _year_back(d: Date, t: Timex) -> Date | None:
    """A yearless date ("July 16") that a past predicate cannot have: the same day a year earlier.

    Written after the fact, "In a July 16 press conference, Jobs said ..." means the last July 16;
    an expression with a written year, or a relative one ("next week"), is left alone (None).
    """
    if _YEAR.search(t.text) or not re.match(r"^\d{4}-\d{2}(?:-\d{2})?$", d.value):
        return None
    value = f"{int(d.value[:4]) - 1:04d}{d.value[4:]}"
    span = timex3.interval(value)
    if span is None:
        return None
    return Date(value, d.granularity, span[0], span[1], t, d.rule + "+year-back")


_LATER = re.compile(r"^\s*(later|after(?:wards)?|earlier|before)\b", re.IGNORECASE)
_AMOUNT = re.compile(r"^P(\d+)([YMWD])$")


def _relative_to_narrative(t: Timex, body: str, last: Date | None) -> Timex:
    """"One year later he was fired": a duration + "later"/"earlier" counted from the narrative's
    last expressed time (the paragraph's), at that time's granularity (rule ``narrative:<n> later``)."""
    if t.type != "DURATION" or last is None or t.first_day is not None:
        return t
    found_after, amount = _LATER.match(body[t.end:t.end + 20]), _AMOUNT.match(t.value or "")
    if not found_after or not amount:
        return t
    sign = -1 if found_after.group(1).lower() in {"earlier", "before"} else 1
    n, unit = int(amount.group(1)) * sign, amount.group(2)
    granularity = last.granularity or "day"
    try:
        day = timex3.shift(last.first, n, unit)
    except (ValueError, OverflowError):
        return t
    unit_of = {"year": "Y", "month": "M", "week": "W"}.get(granularity, "D")
    value = timex3.value_for(day, unit_of)
    span = timex3.interval(value)
    if span is None:
        return t
    return replace(t, type="DATE", value=value, first_day=span[0], last_day=span[1],
                   granularity=timex3.granularity(value),
                   rule=f"narrative:{found_after.group(1).lower()}")


def _day(day: date, rule: str) -> Date:
    return Date(day.isoformat(), "day", day, day, None, rule)


# ---- the predicates of a sentence ----------------------------------------------------------------

@dataclass
class _Pred:
    tok: "Token"
    role: str
    tense: str
    modality: str
    klass: str
    own: list  # (rank, Date) from expressions
    date: Date | None = None
    rule: str = ""


def _progressive(tok: "Token") -> bool:
    return tok.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in tok.children)


def _role(tok: "Token") -> str:
    gov = governor(tok)
    if gov is not None and tok.dep_ == "ccomp" and gov.lemma_.lower() in words().reporting:
        return "reported"
    if tok.pos_ not in VERBAL and tok.dep_ != "ROOT":
        return "noun"
    return "main" if tok.dep_ == "ROOT" or (tok.dep_ == "conj" and governor(tok) is not None
                                              and governor(tok).dep_ == "ROOT") else "subordinate"


def _timex_tokens(doc: "Doc", sent: "SpacySpan", t: Timex, offset: int) -> list["Token"]:
    span = doc.char_span(t.start - offset, t.end - offset, alignment_mode="expand")
    if span is None:
        return []
    return [tok for tok in span if sent.start <= tok.i < sent.end and not tok.is_space]


def _sentence_predicates(doc, sent, timexes: Sequence[Timex], refday: date | None, offset: int,
                         headline: bool) -> list[_Pred]:
    preds: dict[int, _Pred] = {}

    def add(tok, role=None):
        if tok.i not in preds:
            tense = tense_of(tok, headline=headline)
            modality = modality_of(tok)
            if headline and tok.dep_ in {"relcl", "acl", "xcomp", "ROOT"} and tok.tag_ == "VB" and any(
                c.lower_ == "to" for c in tok.children
            ):
                tense, modality = "future", "planned"  # headline "Apple to lower prices": a plan
            preds[tok.i] = _Pred(tok, role or ("headline" if headline else _role(tok)), tense, modality,
                                 event_class(tok, tense, modality), [])
        return preds[tok.i]

    for tok in sent:
        if is_predicate(tok):
            add(tok)
    for t in timexes:
        interval = _interval(t)
        if interval is None:
            continue
        toks = _timex_tokens(doc, sent, t, offset)
        if not toks:
            continue
        att = anchoring.attach(toks)
        if att is None:
            continue
        target = add(att.target, "noun" if att.noun else None)
        rel = anchoring.relation(att, target.tense, _progressive(att.target))
        if rel.startswith("comparison-point"):
            continue
        d = _timex_date(t, "+start" if rel == "start" else "")
        past = target.tense in {"past", "present-perfect", "past-perfect"} and target.klass != "plan"
        if refday is not None and d.first > refday and past and t.type != "DURATION":
            d = _year_back(d, t)
            if d is None:
                continue  # a past happening is not dated after the reference date
        rank = (1 if t.type == "DURATION" else 0, granularity_rank(d.granularity), abs(toks[0].i - att.target.i))
        target.own.append((rank, d))
        if att.noun:
            framed = anchoring.frames(att.target, prenominal=not att.path)
            if framed is not None and is_predicate(framed):
                holder = add(framed)
                framed_date = d if holder.tense in {"past", "none", "present-perfect"} and holder.klass != "state" else None
                if framed_date is not None and refday is not None and d.first > refday and holder.tense in {"past", "present-perfect"}:
                    framed_date = _year_back(d, t)
                if framed_date is not None:
                    holder.own.append(((2,) + rank[1:], replace(framed_date, rule=framed_date.rule + "+frame")))
    for p in preds.values():
        # A bare form the tagger could not place ("The army retook the port on Sunday": VB with a
        # subject) is a past when its own expression lies before the reference date.
        if p.tense == "present" and p.tok.tag_ == "VB" and p.own and refday is not None \
                and min(p.own, key=lambda x: (x[0], x[1].first))[1].last < refday:
            p.tense = "past"
            p.klass = event_class(p.tok, "past", p.modality)
    for p in preds.values():  # a present-tense happening at a future time is a plan: "arrives on November 11"
        if refday is not None and p.own and p.klass in {"happening", "state"} and p.tense in {"present", "none"} \
                and min(p.own, key=lambda x: (x[0], x[1].first))[1].first > refday:
            p.klass = "plan"
            if p.modality == "asserted":
                p.modality = "planned"
    return sorted(preds.values(), key=lambda p: p.tok.i)


# ---- dating ---------------------------------------------------------------------------------------

_MARKERS_APART = frozenset({"after", "before", "until", "till", "since", "once", "unless", "if", "although",
                            "though", "because"})


def _shift_opener(text: str) -> bool:
    lowered = text.lower().lstrip("\"“‘' ")
    return any(lowered.startswith(op) for op in words().shift_openers)


def _sequence_opener(text: str) -> bool:
    """Does the sentence open with a sequence anaphor ("After that, ...", "Afterwards ...")?

    A comma must follow a demonstrative ("After that, the offensive stalled"), so that "After this
    week's vote ..." (an expression of its own) is not taken for one."""
    lowered = text.lower().lstrip("\"“‘' ")
    for op in words().sequence_anaphors:
        if lowered.startswith(op):
            rest = lowered[len(op):len(op) + 1]
            if rest == "," or (op.endswith("wards") and rest in {" ", ""}):
                return True
    return False


@dataclass
class Narrative:
    """The times a clause without an expression can take (see the module docstring, step 4)."""

    news: Date | None = None  # the time of the article's lead happening
    local: Date | None = None  # the time an explicit expression set in this paragraph
    last: Date | None = None  # the last time an expression gave a main predicate (for "a year later")
    plan: Date | None = None  # the time of the paragraph's last dated plan ("will go on sale June 24")
    previous: Date | None = None  # the last time the previous sentence told, if it told one
    continues: bool = False  # the current sentence goes on about the previous one (``_continues``)
    paragraph: int = -1

    def carried(self) -> tuple[Date, str] | None:
        if self.continues and self.previous is not None:
            return self.previous, "narrative:continued"
        if self.local is not None:
            return self.local, "narrative:carried"
        if self.news is not None:
            return self.news, "narrative:news-time"
        return None


_COARSE = frozenset({"year", "season", "quarter", "half", "month", "decade", "century"})


def _lift(preds: list[_Pred], refday: date | None) -> None:
    """Date a past predicate without an expression by a dependent clause that has one (``lift:<why>``).

    Top-down inheritance (step 2) goes the other way; two constructions carry the date upwards:

    * ``lift:xcomp`` — an open complement is the governor's happening: "militants helped implant IS
      in Libya in 2014" (the helping is the implanting, in 2014); "began to withdraw on Monday".
    * ``lift:purpose`` — a to-infinitive of the predicate or of its object: "forces launched an
      operation to retake it in June" (the launch is June's; the "in June" attaches to the purpose
      clause in the parse, the reader reads it as the launch's time).
    * ``lift:after`` — a simple past framed by "after" a coarse earlier time: "the eastern government
      was set up after opponents took control of Tripoli in 2014" is background of 2014 (or soon
      after), not news of the article's day. Only year- or month-level dates of an earlier period than
      the reference date's: after a day-level time the main clause may well be today's news.

    Plans, negated and hypothetical predicates are not lifted, nor dates after the reference date
    (a complement that is planned: "agreed to hold elections in 2017").
    """
    by_token = {p.tok.i: p for p in preds}
    for q in preds:
        if q.date is None or not q.rule.startswith("timex:") or q.klass == "plan" or q.modality != "asserted":
            continue
        if refday is not None and q.date.last > refday:
            continue
        gov_tok = governor(q.tok)
        p = by_token.get(gov_tok.i) if gov_tok is not None else None
        if p is None or p.date is not None or p.tense != "past" or p.klass == "plan" or p.modality != "asserted" \
                or p.role == "noun":
            continue
        if q.tok.dep_ == "xcomp":
            p.date, p.rule = q.date, "lift:xcomp"
            continue
        if _purpose_of(q.tok, p.tok) and not q.date.value.startswith("P"):  # a point, not "for two years"
            p.date, p.rule = q.date, "lift:purpose"
            continue
        marker = next((c.lower_ for c in q.tok.children if c.dep_ == "mark"), "")
        if q.tok.dep_ == "advcl" and marker == "after" and q.date.granularity in _COARSE and refday is not None \
                and _earlier_period(q.date, refday):
            p.date, p.rule = q.date, "lift:after"


def _purpose_of(clause: "Token", verb: "Token") -> bool:
    """Is ``clause`` a to-infinitive of ``verb`` or of its object ("launched an operation to retake
    it in June", "moved troops to secure the port on Monday")?"""
    if clause.dep_ not in {"acl", "relcl", "advcl"} or not any(
            c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
        return False
    if clause.dep_ == "advcl":
        return clause.head.i == verb.i
    return clause.head.dep_ in {"dobj", "obj", "attr"} and clause.head.head.i == verb.i


def _earlier_period(d: Date, refday: date) -> bool:
    """Is ``d`` wholly before the reference date's month (a month) or year (coarser)?"""
    if d.granularity == "month":
        return d.last < refday.replace(day=1)
    return d.last < refday.replace(month=1, day=1)


def _date_sentence(preds: list[_Pred], refday: date | None, narrative: Narrative, not_news: bool,
                   headline: bool, unanchored: bool = False) -> None:
    by_token = {p.tok.i: p for p in preds}
    for p in preds:
        if p.own:
            p.date = min(p.own, key=lambda x: (x[0], x[1].first))[1]
            p.rule = p.date.rule
    _lift(preds, refday)
    # governors before dependents: sort by depth
    def depth(p):
        d, cur = 0, p.tok
        while cur.head.i != cur.i:
            cur, d = cur.head, d + 1
        return d

    for p in sorted(preds, key=depth):
        if p.date is not None:
            continue
        gov_tok = governor(p.tok) if p.role != "noun" else None
        gov = by_token.get(gov_tok.i) if gov_tok is not None else None
        if p.modality == "hypothetical":
            p.rule = "undated:hypothetical"
            continue
        if p.role == "noun":
            p.rule = "undated:noun"
            continue
        if gov is not None and gov.date is not None and p.tok.dep_ in _INHERIT_DEPS:
            marker = next((c.lower_ for c in p.tok.children if c.dep_ == "mark"), "")
            same_tense = p.tok.dep_ not in {"conj", "relcl", "parataxis"} or p.tense == gov.tense or p.tense == "none"
            if marker not in _MARKERS_APART and same_tense and not (p.klass == "plan") == (gov.klass != "plan"):
                p.date, p.rule = gov.date, f"inherit:{p.tok.dep_}"
                continue
        if p.role == "reported" and gov is not None and gov.date is not None and not gov.rule.startswith(
                REFERENCE_PREFIX) and p.tense in {"past", "present", "present-perfect"} and p.klass != "plan":
            p.date, p.rule = gov.date, f"reported:{p.tense}"
            continue
        if p.klass == "plan" and narrative.plan is not None and p.tense == "future" and narrative.continues:
            p.date, p.rule = narrative.plan, "narrative:plan-time"  # "... June 24. It will cost $199."
            continue
        if p.klass == "plan":
            p.rule = "undated:plan"
            continue
        if not_news:
            p.rule = "undated:about-the-reporting"
            continue
        if headline:
            if refday is not None:
                p.date, p.rule = _day(refday, "reference-date:headline"), "reference-date:headline"
            else:
                p.rule = "undated:no-reference-date"
            continue
        if unanchored:  # "After that, ..." with no time told before it: no day a reader could give
            p.rule = "undated:unanchored-sequence"
            continue
        carried = narrative.carried()
        if p.tense == "past" and carried is not None and p.klass in {"happening", "state", "reporting"}:
            p.date, p.rule = carried
            continue
        if p.tense == "present-perfect" and narrative.news is not None and p.klass == "happening":
            p.date, p.rule = narrative.news, "narrative:news-time"  # "has lost a visionary": the lead's news
            continue
        if p.tense == "past-perfect":
            p.rule = "undated:past-perfect"
            continue
        why = {"past": "news-report", "present-perfect": "present-perfect", "present": "present-state"}.get(p.tense)
        if why is None and p.tok.pos_ not in VERBAL and p.tok.dep_ == "ROOT":
            p.rule = "undated:no-predicate"
            continue
        if why is None:
            why = "news-report" if p.klass != "state" else "present-state"
        if refday is None:
            p.rule = "undated:no-reference-date"
            continue
        rule = REFERENCE_PREFIX + why
        p.date, p.rule = _day(refday, rule), rule


_ANAPHORIC_SUBJECTS = frozenset({"he", "she", "it", "they", "this", "these", "its", "their", "his", "her"})


def _continues(preds: list[_Pred]) -> bool:
    """Does the sentence go on about what the previous one told (a pronoun subject, "also", "then")?"""
    main = next((p for p in preds if p.role == "main"), None)
    if main is None:
        return False
    subject = next((c for c in main.tok.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    first = next((t for t in main.tok.sent if not t.is_punct and not t.is_space), None)
    return bool(
        (subject is not None and subject.lower_ in _ANAPHORIC_SUBJECTS)
        or (first is not None and first.lower_ in {"then", "also", "later", "afterwards", "there"})
    )


def _narrative_after(preds: list[_Pred], narrative: Narrative, refday: date | None) -> None:
    """Update the narrative times after a sentence (module docstring, step 4)."""
    main = [p for p in preds if p.role in {"main", "headline"}]
    root = main[0] if main else None
    expressed = [p for p in main if p.date is not None and p.date.timex is not None]
    narrative.previous = expressed[-1].date if expressed else None
    if expressed:
        narrative.last = expressed[-1].date  # the last time the sentence told
    plans = [p for p in main if p.klass == "plan" and p.date is not None and p.date.timex is not None]
    if plans:
        narrative.plan = plans[-1].date
    if root is not None and root.date is not None and root.date.timex is not None \
            and root.tense in {"past", "present-perfect"} \
            and root.klass != "plan" and (refday is None or root.date.last <= refday) \
            and root.date.granularity in {"day", "time", "part-of-day"}:
        close = refday is not None and 0 <= (refday - root.date.first).days <= 7
        if narrative.news is None and close:
            narrative.news = root.date
            narrative.local = None
        elif narrative.news is not None and root.date.value == narrative.news.value:
            narrative.local = None
        else:
            narrative.local = root.date
        return
    if root is not None and root.date is not None and root.date.timex is not None:
        narrative.local = None  # a coarse or future time: nothing to carry
        return
    if narrative.local is not None and not _continues(preds):
        narrative.local = None


# ---- records -------------------------------------------------------------------------------------

def _event(article: Article, sentence: Sentence, p: _Pred, doc_offset: int, raw_map, sent, all_ents=None,
           kinds: tuple = ()) -> Event:
    a, b = clause_span(p.tok, sent)
    if p.role == "noun":
        a, b = p.tok.left_edge.i, p.tok.right_edge.i + 1
        a, b = max(a, sent.start), min(b, sent.end)
    doc = p.tok.doc
    start = doc[a].idx + doc_offset
    end = doc[b - 1].idx + len(doc[b - 1].text) + doc_offset
    start, end = max(start, sentence.start), min(end, sentence.end)
    if start >= end:
        start, end = sentence.start, sentence.end
    raw_start, raw_end = raw_map(start, end)
    t_start, t_end = raw_map(p.tok.idx + doc_offset, p.tok.idx + doc_offset + len(p.tok.text))
    s_start, s_end = raw_map(sentence.start, sentence.end)
    text = sentence.text[start - sentence.start:end - sentence.start]
    if all_ents is None:
        all_ents = list(doc.ents)
    ents = [e for e in all_ents if a <= e.start and e.end <= b and e.start_char + doc_offset >= start]
    actor, obj = arguments(p.tok)
    d = p.date
    return Event(
        article=article.id, sentence_index=sentence.index, text=text, start=raw_start, end=raw_end,
        value=d.value if d else None, granularity=d.granularity if d else None,
        first_day=d.first if d else None, last_day=d.last if d else None, timex=d.timex if d else None,
        rule=p.rule, places=scene_places(text, entity_places(text, ents)),
        kind="event" if d else "undated", trigger=p.tok.text, trigger_start=t_start, trigger_end=t_end,
        tense=p.tense, modality=p.modality, event_class=p.klass, role=p.role, actor=actor, object=obj,
        organisations=tuple(dict.fromkeys(e.text for e in ents if e.label_ == "ORG")),
        attribution=attribution(p.tok), sentence=sentence.text, sentence_start=s_start, sentence_end=s_end,
        word_kinds=kinds,
    )


def _whole(article: Article, sentence: Sentence, rule: str, d: Date | None, role: str, kinds: tuple = ()) -> Event:
    raw_start, raw_end = article.raw_span(sentence.start, sentence.end)
    return Event(
        article=article.id, sentence_index=sentence.index, text=sentence.text, start=raw_start, end=raw_end,
        value=d.value if d else None, granularity=d.granularity if d else None,
        first_day=d.first if d else None, last_day=d.last if d else None, timex=d.timex if d else None,
        rule=rule, places=scene_places(sentence.text, find_places(sentence.text)),
        kind=("caption" if role == "caption" else "event") if d else "undated", role=role,
        sentence=sentence.text, sentence_start=raw_start, sentence_end=raw_end, word_kinds=kinds,
    )


def _caption_groups(article: Article, sentences: Sequence[Sentence]) -> dict[int, list[Sentence]]:
    """Caption sentences grouped by the caption span they belong to (keyed by first sentence index)."""
    groups: dict[int, list[Sentence]] = {}
    current: tuple[int, int] | None = None
    for sentence in sentences:
        span_index = None
        if sentence.kind == "caption":
            for i, span in enumerate(article.spans):
                if span.kind == "caption" and span.start <= sentence.start < span.end and _caption_sized(span, sentences):
                    span_index = i
                    break
        if span_index is None:
            current = None
            continue
        if current is None or current[0] != span_index:
            current = (span_index, sentence.index)
            groups[sentence.index] = []
        groups[current[1]].append(sentence)
    return groups


CAPTION_MAX_SENTENCES = 4


def _caption_sized(span, sentences: Sequence[Sentence]) -> bool:
    """A photo caption is a few sentences; a longer span marked as one is running text (read as such)."""
    return sum(1 for s in sentences if span.start <= s.start < span.end) <= CAPTION_MAX_SENTENCES


def _caption_event(article: Article, parts: list[Sentence], timexes: Sequence[Timex], doc: "Doc") -> Event:
    """One event for a whole photo caption, dated only by an absolute date written in it."""
    start, end = parts[0].start, parts[-1].end
    whole = Sentence(article.id, parts[0].index, start, end, article.body[start:end], "caption")
    kinds = _kinds_between(doc, start, end)
    cands = [t for t in timexes if start <= t.start < end and _interval(t) and t.type != "DURATION"
             and _YEAR.search(t.text)]
    if not cands:
        return _whole(article, whole, "undated:caption", None, "caption", kinds)
    chosen = min(cands, key=lambda t: (granularity_rank(_interval(t)[1]), t.start))
    d = _timex_date(chosen)
    return _whole(article, whole, d.rule, d, "caption", kinds)


def _kinds_between(tokens, start: int, end: int) -> tuple:
    """``Event.word_kinds`` of the tokens that begin inside [start, end) (body offsets)."""
    return word_kinds(tok for tok in tokens if start <= tok.idx < end)


def _paragraph_of(body: str, position: int, starts: list[int]) -> int:
    import bisect

    return bisect.bisect_right(starts, position)


def _headline_events(article: Article, refday: date | None) -> list[Event]:
    spans = [(s, e) for s, e, why in article.removed if why == "headline"]
    if not spans or not article.headline:
        return []
    from .. import nlp

    raw_start, raw_end = spans[0]
    text = article.raw[raw_start:raw_end]
    doc = nlp.parse(text)
    sentence = Sentence(article.id, -1, 0, len(text), text, "headline")
    kinds = word_kinds(doc)  # an event's sentence is the whole headline
    out = []
    for sent in doc.sents:
        preds = _sentence_predicates(doc, sent, (), refday, 0, True)
        _date_sentence(preds, refday, Narrative(), False, True)
        for p in preds:
            out.append(_event(article, sentence, p, 0, lambda s, e: (raw_start + s, raw_start + e), sent,
                              kinds=kinds))
    return out


def extract_events(article: Article, timexes: Sequence[Timex], refdate: ReferenceDate | None,
                   doc: "Doc | None" = None) -> tuple[Event, ...]:
    """Every predicate of ``article`` as an event, dated (see the module docstring).

    ``timexes`` must come from ``tag(article.body, refdate.best)`` (body offsets); ``doc`` is the
    parse of ``article.body`` (``nlp.parse``; made here when not given). Headline predicates come
    first (``sentence_index=-1``), then the body's in text order.
    """
    from ..sentences import parsed_sentences

    if doc is None:
        from .. import nlp

        doc = nlp.parse(article.body)
    refday = refdate.best if refdate is not None else None
    ordered = sorted(timexes, key=lambda t: (t.start, t.end, t.value))
    pairs = parsed_sentences(article, doc)
    sentences = [s for s, _ in pairs]
    captions = _caption_groups(article, sentences)
    in_caption = {s.index for parts in captions.values() for s in parts}
    paragraph_starts = [m.end() for m in re.finditer(r"\n\s*", article.body)]
    events: list[Event] = _headline_events(article, refday)
    narrative = Narrative()
    ents = list(doc.ents)  # once: Doc.ents builds every span anew on each access
    for sentence, sent in pairs:
        if sentence.index in captions:
            events.append(_caption_event(article, captions[sentence.index], ordered, doc))
            continue
        if sentence.index in in_caption:
            continue
        if sentence.kind == "link_title":
            events.append(_whole(article, sentence, "undated:link-title", None, "link-title",
                                 _kinds_between(sent, sentence.start, sentence.end)))
            continue
        here = _paragraph_of(article.body, sentence.start, paragraph_starts)
        if here != narrative.paragraph:
            narrative.local = narrative.plan = narrative.last = narrative.previous = None
            narrative.paragraph = here
        unanchored = _sequence_opener(sentence.text) and narrative.previous is None and narrative.local is None
        if _shift_opener(sentence.text):
            narrative.local = narrative.plan = None
        inside = [t for t in ordered if sentence.start <= t.start < sentence.end]
        inside = [_relative_to_narrative(t, article.body, narrative.last) for t in inside]
        trimmed = without_dateline(sentence)
        kinds = _kinds_between(sent, trimmed.start, trimmed.end)  # the words of the event's sentence
        preds = _sentence_predicates(doc, sent, inside, refday, 0, False)
        not_news = any(phrase in sentence.text.lower() for phrase in words().not_news)
        narrative.continues = _continues(preds)
        sentence_ents = [e for e in ents if sent.start <= e.start < sent.end]
        _date_sentence(preds, refday, narrative, not_news, False, unanchored)
        _narrative_after(preds, narrative, refday)
        for p in preds:
            event = _event(article, trimmed, p, 0, article.raw_span, sent, sentence_ents, kinds)
            events.append(event)
        if not preds:
            events.append(_whole(article, trimmed, "undated:no-predicate", None, "main", kinds))
    return tuple(events)


# ---- from predicates to timeline events ------------------------------------------------------------

def for_timeline(events: Sequence[Event]) -> tuple[Event, ...]:
    """The events the timeline is built from: one per sentence, plus one per clause with a date of its own.

    A sentence's predicates fold into its main event (the headline's or the main clause's, with the
    whole sentence as text), except a predicate dated by an expression of its own to another date
    than the main one ("said on Tuesday that sales rose in February": the rise is its own event,
    with its clause as text; "since the 2011 toppling": the toppling). A predicate dated only by
    inheritance, narrative time or the reference date is part of its sentence's happening, not a
    timeline event of its own. A reported or subordinate clause event that names no place takes its
    sentence's places (the happening told by "an official in Benghazi said ..." is placed in
    Benghazi). Captions and link titles pass through.
    """
    order = {"headline": 0, "main": 1, "caption": 1, "link-title": 1, "reported": 2, "subordinate": 3, "noun": 4}
    sentences: dict[tuple[str, int], list[Event]] = {}
    for e in events:
        sentences.setdefault((e.article, e.sentence_index), []).append(e)
    out: list[Event] = []
    for group in sentences.values():
        main = min(group, key=lambda e: (order.get(e.role, 5), e.trigger_start, e.start))
        key_of_main = (main.value, main.first_day, main.last_day)
        parts: dict[tuple, list[Event]] = {key_of_main: []}
        for e in group:
            key = (e.value, e.first_day, e.last_day)
            own = e.rule.startswith("timex:") and e.value is not None
            parts.setdefault(key if own else key_of_main, []).append(e)
        for key, members in parts.items():
            if not members:
                continue
            if key == key_of_main:
                top = main
                if top.sentence and top.role not in {"caption", "link-title"}:
                    top = replace(top, text=top.sentence, start=top.sentence_start, end=top.sentence_end)
                dated_by = next((e for e in members if e.rule.startswith("timex:") and e.timex is not None), None)
                if dated_by is not None and (top.timex is None or is_reference_dated(top)):
                    # the expression dates the sentence ("On Tuesday, fighters battled ..., the mayor
                    # said": the saying's narrative time is the same day, but the sentence states it)
                    top = replace(top, timex=dated_by.timex, rule=dated_by.rule)
            else:
                top = min(members, key=lambda e: (order.get(e.role, 5), e.trigger_start, e.start))
            places = tuple(dict.fromkeys(p for e in members for p in e.places)) or top.places
            if key == key_of_main and len(places) > 1:
                # a country one clause names only as an owner, where another clause names the scene
                # ("men belonging to Italy's special forces are in Libya"): read on the whole text
                places = scene_places(top.text, places)
            if not places and key != key_of_main and top.role in {"reported", "subordinate"} \
                    and top.event_class != "reporting":
                # a clause dated on its own that names no place happened where its sentence says:
                # "A medical official at a hospital in Benghazi said at least 10 people had been
                # killed since Friday" -- the killing is in Benghazi. Not a noun ("the 2011 toppling"
                # in a sentence about Sirte is not in Sirte) nor a report (where a paper reported).
                places = tuple(dict.fromkeys(p for e in parts[key_of_main] for p in e.places))
            top = replace(top, places=places)
            out.append(top)
    out.sort(key=lambda e: (e.article, e.sentence_index, e.start, e.end, e.value or ""))
    return tuple(out)


def apply_window(events: Sequence[Event], window: tuple[date, date] | None) -> tuple[Event, ...]:
    """Dated events that end before the window of interest become ``kind="background"``."""
    if window is None:
        return tuple(events)
    return tuple(
        replace(e, kind="background") if e.kind == "event" and e.last_day is not None and e.last_day < window[0]
        else e
        for e in events
    )
