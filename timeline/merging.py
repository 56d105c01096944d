"""Merge sentences that report the same happening into one timeline entry with all its sources.

A reader lists happenings, not sentences: "forces retook Lithi" is one entry whether the story
tells it in one sentence or in six (the capture, "the neighbourhood was totally liberated",
residents celebrating, "Today we came back to our house"). Merging runs in two passes over the
dated events; both passes need the events' **dates compatible** (``dates_compatible``); every
link used is recorded in ``merge_note`` (cosine, shared evidence, the cue), so a wrong merge can be traced.

Dates compatible
  Explicit intervals overlap; day-level ones may also be a day apart (``DATE_TOLERANCE_DAYS``).
  An event dated only by its article's reference date ("the fighters said they had seized ...")
  is compatible with an explicit date ending at most ``REPORT_LAG_DAYS`` before it. An anchored
  duration ("over the last 10 days", 2016-08-01..10) is a stretch, not a day: it is compatible only
  with events that start when it starts. Two *stretches* (``stretch_start``: anchored durations,
  "since August 1", "started an air campaign last week") are compatible when their start windows
  overlap. An event dated coarser than a month ("in 2015", "last summer", "in the 1990s") is
  compatible only with events as coarse: a happening told by its year and one told by its day are
  kept apart (the day-dated one is the timeline's; the year mention stays its own, low-specificity
  candidate). Without this band one "in 2015" makes every event of 2015 a single date window, and
  the pair work of merging grows with the square of a year's events instead of a few days'.

Pass 1 — within one article (same-article links; sentences of one story on compatible dates)
  * **continuation**: sentence j directly follows i (no other dated sentence in between; undated
    context may be, and so may a clause with a date of its own, which is an event but not a step of
    the thread: "said a new session would be held next week"), has cosine >= ``CONTINUATION_MIN_COSINE``
    with i and carries a discourse cue (``continuation_cue``: "They said ...", "the neighbourhood",
    "the postponement", "he said", "also", an opening quotation; or a shared rare word of the
    article, "quorum", "session"; or, with cosine >= ``SAME_PLACE_MIN_COSINE``, the same city and
    no other). The shared word and the same city count only when j names no day of its own that i
    did not name (``_dates_itself_anew``: "As of Wednesday, drones had carried out 29 strikes"
    starts a new happening after a sentence on the fighters' brigades).
    A topic-shift opener ("Meanwhile, ...", "After that, ...") or a juxtaposition ("The advance came
    as parliament failed to vote ...") cancels the cue. A juxtaposition brings a second happening in
    beside the first, whose story may go on after it: the sentence after one may also continue the
    sentence before it ("... seized a key neighbourhood on Tuesday." / "The advance came as ..." /
    "Special forces retook the Benghazi area of Lithi"). Score: cosine + ``CONTINUATION_BONUS``.
  * **retells the headline**: one of the two is the article's headline, the other shares with it a
    word that at most ``RARE_MAX_SENTENCES`` dated sentences of the article use, with cosine >=
    ``HEADLINE_MIN_COSINE``: a headline names the story's main happening, and the body sentence that
    repeats its rare word tells it ("... recapture ISIL headquarters in Sirte" / "seized control of
    the sprawling convention center that was used as ISIS's headquarters"). Scored like a continuation.
  * **same thread, not adjacent**: cosine + bonus >= ``SAME_ARTICLE_THRESHOLD`` (0.60), the bonus being
    ``SAME_ARTICLE_PLACE_BONUS`` for the same neighbourhood/landmark or ``EVIDENCE_BONUS`` for a
    content word (crudely stemmed) that at most ``RARE_MAX_SENTENCES`` dated sentences of the article
    use; vetoed when the two sentences happen in different cities (``places.scene_places``: "six
    fighters died in Derna, 300 km east of Benghazi" is located in Derna only).
  The evidence bonus is weighted by what the shared words are (``evidence weight`` below).
  Photo captions never join the text's thread (a caption is about its own day).
  Links join groups greedily from the best score down (single link: each step has its own reason);
  a non-continuation link may not join groups with members in different cities.

Pass 2 — across articles (as before): cosine of the MiniLM embeddings + ``EVIDENCE_BONUS`` when
  the two sentences share anchoring evidence (the same neighbourhood/landmark, a word or number used
  by at most ``RARE_MAX_SENTENCES`` or ``RARE_FRACTION`` of all dated sentences — a sentence and a
  clause of it count once — "29", "headquarters"
  — or the same person under any spelling of the corpus's ``[names]`` table, Kadhafi/Gaddafi in
  ``seeds/places.toml``; ``places.PlaceTable.name_of``), must reach
  ``threshold`` (+ ``COARSE_PENALTY`` when a date is coarser than a month; ``STRETCH_THRESHOLD`` for
  two stretches that began the same day). The link joins the two sentences' groups (pass-1
  happenings) if all their members are date-compatible and the mean cosine over their cross-article
  member pairs is at least ``CROSS_GROUP_MIN_COSINE`` (one strong pair may not pull two unrelated
  happenings together).

Evidence weight (both passes; ``[merging.evidence_weight]`` in ``resources/event_words.toml``)
  In a corpus of a few articles nearly every word is "rare", so rarity alone is weak evidence: a
  single shared "nearby", "combat" or "territory" would chain background statements ("Libyan
  militants returning from combat in Syria's civil war ...") into a happening. The bonus is
  ``EVIDENCE_BONUS`` x min(1, the sum of the shared words' weights), a word weighing what it is in
  either sentence (the most of any of its kinds): a proper noun, number in digits or word of a named
  entity (not a nationality) 1 ("29", "Africa"), a common noun or verb 0.5, an adjective, adverb or
  nationality 0.25 ("special", "American"); in one article a word no other article uses is the
  story's own and weighs 1 ("convention" centre). The kinds come with the events
  (``Event.word_kinds``, read in the events stage from the article's own spaCy parse): merging parses
  nothing, so it stays a cheap cross-article pass. A word an event's kinds do not list (an event
  built without a parse) weighs ``unlisted`` (0.5, a common word's). A shared person name or
  neighbourhood/landmark is full evidence. Any shared word still makes the "shares quorum" and
  "retells the headline" cues (adjacency and the headline are evidence of their own); only the bonus
  is weighted. ``merge_note`` shows a weight below 1.

Thresholds (measured on the seeds; ``python -m timeline.merging seeds`` prints the cross-article
pair scores, the same-article links and both cosine histograms):

* ``DEFAULT_THRESHOLD = 0.59`` (cross-article; clause-level events of the seeds): among
  cross-article, date-compatible pairs of day-level events, the best pairs that are different
  happenings score 0.585 ("Clashes have been sporadic" / "since the last round of fighting began")
  and 0.576 (two different casualty statements of 10 August) without evidence; reports of one
  happening score 0.762 on wording alone (001's "captured the Islamic State headquarters" / 004's
  headline "recapture ISIL headquarters") or reach the threshold with the evidence bonus (0.20;
  the US "29 strikes" pair 0.874). 0.59 sits at the bottom of that gap (narrow: a heuristic tuned
  on five articles).
* Same article: cosine separates a story's happenings even less. Among the 223 date-compatible
  pairs of the 23 February 2016 story (article 000; 385 same-article pairs in all, cosine histogram
  by 0.1: 76 99 101 55 25 13 1 2 0 0), different happenings reach 0.59 (the Sabratha and Derna
  clashes, both "fighters ... killed in clashes") while sentences of one happening sit at 0.30-0.43
  ("failed to hold a vote ... lacked a quorum" / "The required quorum was not reached": 0.427;
  Italy's drone permission / Pinotti's "any strike would be subject ...": 0.328). So the rule rests
  on discourse: adjacency + a cue. Cue-bearing adjacent pairs range from 0.07 to 0.43; the floor
  ``CONTINUATION_MIN_COSINE = 0.10`` drops the two below it (a quotation about Sirte's convention
  centre after a strike count, 0.092 — rightly; Haftar praising "the latest breakthrough", 0.070 —
  wrongly) and keeps "disappointment at the postponement" (0.113). Non-adjacent pairs (not in
  different cities, no captions): the ten links score 0.603-0.961 with (unweighted) evidence (parliament "failed
  to vote" / "failed to hold a vote" 0.853, the Lithi neighbourhood named twice 0.623), the best
  non-link 0.586 ("bombed-out shells of buildings" / "slogans on the facades of some buildings");
  ``SAME_ARTICLE_THRESHOLD = 0.60`` sits in that (narrow) gap.
* ``STRETCH_THRESHOLD = 0.35``: the US air campaign over Sirte — "36 strikes over Sirte since
  August 1" / "over the last 10 days ... heavy United States airstrikes" (0.435) / "the Pentagon
  last week announced it had started an air campaign in Sirte" (0.392) — share a start day, which
  is itself strong evidence; no other stretch pair of the seeds is compatible.

Date windows: no pair of events on incompatible dates is ever linked, so the dated events fall apart
into independent windows (``date_windows``, connected components of the date-compatible pairs); the
per-event facts that look at the whole corpus (rare words, an article's sentence order, the
embeddings) are computed once, then each window is grouped on its own (``merge_window``, a pure
function, runnable as a Dask task) with the same entries as one pass over the whole corpus.

Only dated events become entries; undated events (value None) are context and are not returned (the
pipeline keeps them in events.csv). An entry is dated by its most specific member (explicit before
report-dated, finer before coarser, then the earliest: ``_specificity``); an anchored duration is placed at the start of its stretch
(``calendar_date``: "over the last 10 days" -> "2016-08-01", day), never at "P10D".
"""
from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import get_args

import numpy as np

from . import timex3
from .events import is_reference_dated
from .events.predicates import WORD_PART
from .ordering import GRANULARITY_RANK, granularity_rank, in_campaign, order_entries

from . import places as place_tables
from .places import PlaceTable, city_of, scene_places
from .records import Event, SourceRef, TimelineEntry, WordKind

DEFAULT_THRESHOLD = 0.59
EVIDENCE_BONUS = 0.20
# Same-article consolidation (see "Within one article" in the module docstring).
SAME_ARTICLE_THRESHOLD = 0.60
SAME_ARTICLE_PLACE_BONUS = 0.30  # the same neighbourhood/landmark named twice in one story, same day
CONTINUATION_BONUS = 0.30
CONTINUATION_MIN_COSINE = 0.10
# A weaker cue: the next sentence is located in (some of) the same city/cities as the one before
# and names no other; it must then be at least this similar ("the Sirte mayor said the city's
# southern sections are under control" / "forces have liberated 70 percent of Sirte": 0.509).
SAME_PLACE_MIN_COSINE = 0.30
# A body sentence that shares a word rare in its article with the article's headline, on a compatible
# date, retells the headline's happening (headline "Libyan forces recapture ISIL headquarters in
# Sirte" / "The fighters said that they had seized control of the sprawling convention center that
# was used as ISIS's headquarters": 0.344, the lowest of the three such pairs in the seeds; the others
# 0.61 and 0.70); the floor keeps a headline word met in passing in an unrelated sentence out.
HEADLINE_MIN_COSINE = 0.30
ADDITIVE_WITHIN_WORDS = 4  # "Some residents also drove ...": an "also" near the start, not a late "adding ... also"
CROSS_GROUP_MIN_COSINE = 0.20
# Two reports of stretches that began on the same day ("since August 1" / "over the last 10 days"
# / "started an air campaign last week") are already tied by an unusual date coincidence; they need
# only to be about the same activity.
STRETCH_THRESHOLD = 0.35
COARSE_PENALTY = 0.05  # added to the threshold when a date is coarser than a month
DATE_TOLERANCE_DAYS = 1
STRETCH_MAX_START_DAYS = 7  # a begin verb dates a stretch's start only to within a week
WINDOW_EVENTS = 2000  # date windows are packed into merge tasks of about this many events
REPORT_LAG_DAYS = 2
# A word is rare when at most this many dated sentences use it, or this share of them (so that in a
# big corpus where ten wires repeat "29 strikes", "29" still counts as evidence).
RARE_MAX_SENTENCES = 2
RARE_FRACTION = 0.02
SPECIFIC_PLACE_KINDS = frozenset({"neighbourhood", "landmark"})
_COARSE_RANK = GRANULARITY_RANK["month"]
_TERM = WORD_PART  # the words compared, cut as the events stage cuts them for word_kinds
_YEAR_NUMBER = re.compile(r"^(?:1[89]|20)\d\d$")


@cache
def _tables() -> dict:
    path = Path(__file__).with_name("resources") / "event_words.toml"
    with open(path, "rb") as fh:
        return tomllib.load(fh)


@cache
def _evidence_weights() -> dict[str, float]:
    weights = {k: float(v) for k, v in _tables()["merging"]["evidence_weight"].items()}
    missing = sorted({*get_args(WordKind), "story", "unlisted"} - weights.keys())
    if missing:
        raise ValueError(f"resources/event_words.toml [merging.evidence_weight] has no weight for "
                         f"{', '.join(missing)}: add one line per word kind")
    return weights


def _word_weights(e: Event, table: PlaceTable) -> dict[str, float]:
    """Word (canonical name spelling) and its crude stem -> evidence weight, the most any of its
    kinds weighs (``Event.word_kinds``, read in the events stage from the article's parse; weights
    ``[merging.evidence_weight]``). Merging parses nothing: it only reads what the events carry."""
    weights = _evidence_weights()
    words: dict[str, float] = {}
    for part, kind in e.word_kinds:
        weight = weights.get(kind)
        if weight is None or kind in ("story", "unlisted"):
            raise ValueError(f"event {_label(e)}: word kind {kind!r} (of {part!r}) is not one of "
                             f"{', '.join(get_args(WordKind))}; rebuild the events with this version")
        word = table.name_of(part)
        for key in {word, _stem(word)}:
            words[key] = max(words.get(key, 0.0), weight)
    return words


@cache
def stop_words() -> frozenset[str]:
    """Words too common to tie two sentences (``event_words.toml`` [merging] stop_words)."""
    return frozenset(_tables()["merging"]["stop_words"])


@dataclass(frozen=True)
class _Discourse:
    openers: frozenset[str]
    expletive: frozenset[str]
    recap: re.Pattern[str]
    additive: frozenset[str]
    speaker: re.Pattern[str]
    quotes: tuple[str, ...]
    shift: tuple[str, ...]
    juxtaposition: tuple[str, ...]


@cache
def _discourse() -> _Discourse:
    d = _tables()["discourse"]
    alternatives = lambda words: "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    recap = re.compile(
        rf"\b({alternatives(d['recap_determiners'])})\s+(?:(?:{alternatives(d['recap_modifiers'])})\s+)?"
        rf"({alternatives(d['recap_nouns'])})\b", re.IGNORECASE)
    speaker = re.compile(
        rf"\b(?:{alternatives(d['speaker_pronouns'])})\s+(?:also\s+)?(?:{alternatives(d['speaker_verbs'])})\b",
        re.IGNORECASE)
    return _Discourse(
        openers=frozenset(d["anaphoric_openers"]), expletive=frozenset(d["expletive_after_it"]),
        recap=recap, additive=frozenset(d["additive"]), speaker=speaker, quotes=tuple(d["quote_marks"]),
        shift=tuple(p.lower() for p in d["shift_openers"] + d["time_shift_openers"]), juxtaposition=tuple(p.lower() for p in d["juxtaposition"]),
    )


_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def juxtaposes(text: str) -> bool:
    """``text`` ties a new happening to the one just told only in time ("The advance came as
    parliament again failed to vote ..."; phrases in ``resources/event_words.toml`` [discourse])."""
    lowered = text.strip().lower()
    return any(f" {phrase} " in f" {lowered} " for phrase in _discourse().juxtaposition)


def continuation_cue(text: str) -> str | None:
    """The discourse cue by which ``text`` continues the sentence before it, or None.

    Cues (word lists in ``resources/event_words.toml`` [discourse]): an anaphoric opening word
    ("They said ..."; not an empty "It was not clear"), a definite noun phrase naming something already
    told ("the neighbourhood", "the postponement", "their campaign"), an additive "also", a pronoun
    speaker ("he said"), an opening quotation mark. Cancelled by an opening topic-shift marker
    ("Meanwhile, ...") and by a juxtaposition ("The advance came as parliament failed ..."), which
    ties a *new* happening to the old one only in time.
    """
    d = _discourse()
    stripped = text.lstrip()
    lowered = stripped.lower()
    if any(lowered.startswith(marker) for marker in d.shift):
        return None
    if juxtaposes(text):
        return None
    if stripped[:1] in d.quotes:
        return "opening quotation"
    words = _WORD.findall(stripped)
    if words:
        first = words[0].lower()
        second = words[1].lower() if len(words) > 1 else ""
        if first in d.openers and not (first == "it" and second in d.expletive):
            return f"opens with '{words[0]}'"
    recap = d.recap.search(stripped)
    if recap:
        return f"'{recap.group(0)}' refers back"
    speaker = d.speaker.search(stripped)
    if speaker:
        return f"'{speaker.group(0)}' continues the speaker"
    for word in words[:ADDITIVE_WITHIN_WORDS]:
        if word.lower() in d.additive:
            return f"additive '{word}'"
    return None


def _stem(word: str) -> str:
    """A crude suffix stripper, enough to see "residents"/"resident", "congratulated"/"congratulating"."""
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


@dataclass(frozen=True)
class Link:
    """Why two events were merged."""

    first: int  # indices into the sorted dated events
    second: int
    cosine: float
    score: float
    evidence: tuple[str, ...]  # shared specific places / rare words that earned the bonus
    cue: str = ""  # same article: the discourse cue of a continuation ("" for other links)
    same_article: bool = False
    weight: float = 1.0  # the evidence's weight (bonus = weight x EVIDENCE_BONUS), at most 1


def _is_report_dated(e: Event) -> bool:
    return is_reference_dated(e)


def _is_duration(e: Event) -> bool:
    return e.timex is not None and e.timex.type == "DURATION"


@cache
def _begin_verbs() -> frozenset[str]:
    return frozenset(_tables()["stretch"]["begin_verbs"])


@lru_cache(maxsize=1 << 16)  # asked for every pair an event is in; the answer is the event's own
def stretch_start(e: Event) -> tuple[date, date] | None:
    """When the stretch of time ``e`` reports began, as a window (first, last), or None.

    A *stretch* is something going on from some day on, told as an anchored duration ("over the
    last 10 days": its first day), an open interval ("since August 1": that day), or a sentence whose
    verb says something began ("announced last week it had started an air campaign": some day of
    that week; verbs in ``resources/event_words.toml`` [stretch]) — only when its date is a week or
    finer: "launched an operation in 2015" says in which year, not on which day, something began.
    Exact starts get ``DATE_TOLERANCE_DAYS`` either side.
    """
    if e.first_day is None or e.last_day is None:
        return None
    if _is_duration(e) or "+start" in e.rule:
        slack = timedelta(days=DATE_TOLERANCE_DAYS)
        return e.first_day - slack, e.first_day + slack
    if (e.last_day - e.first_day).days < STRETCH_MAX_START_DAYS \
            and any(word.lower() in _begin_verbs() for word in _WORD.findall(e.text)):
        return e.first_day, e.last_day
    return None


def _same_stretch(a: Event, b: Event) -> bool:
    """Both report stretches, and their start windows overlap."""
    sa, sb = stretch_start(a), stretch_start(b)
    return sa is not None and sb is not None and sa[0] <= sb[1] and sb[0] <= sa[1]


def dates_compatible(a: Event, b: Event) -> bool:
    """Could ``a`` and ``b`` be the same happening as far as their dates go? (symmetric)"""
    if None in (a.first_day, a.last_day, b.first_day, b.last_day):
        return False
    if _coarse(a) != _coarse(b):
        return False  # a year, quarter or season is not told at the precision of a day or a month
    if _coarse(a) and not _coarse_units_fit(a, b):
        return False
    if _same_stretch(a, b):
        return True
    if _is_duration(a) or _is_duration(b):
        # "over the last 10 days" is a stretch of time: the same happening as another report only if
        # that report's own interval starts when the stretch starts ("since August 1", "last week").
        return abs((a.first_day - b.first_day).days) <= DATE_TOLERANCE_DAYS
    # a coarse date carried from an earlier sentence ("narrative:continued" of "in 2001") is that
    # year, not a report's day: it compares as a stated interval, below, with no report lag
    ra, rb = _is_report_dated(a) and not _coarse(a), _is_report_dated(b) and not _coarse(b)
    if ra and rb:
        return abs((a.first_day - b.first_day).days) <= DATE_TOLERANCE_DAYS
    if ra or rb:
        report, explicit = (a, b) if ra else (b, a)
        return (
            explicit.first_day <= report.first_day
            and (report.first_day - explicit.last_day).days <= REPORT_LAG_DAYS
        )
    # Explicit dates: the intervals overlap; day-level (or finer) dates may also be a day apart
    # (late-night fighting reported as two days). Coarser ones must overlap: "in 2014" and "in 2015"
    # touch at midnight on New Year's Eve but are not the same time.
    fine = max(granularity_rank(a.granularity), granularity_rank(b.granularity)) <= GRANULARITY_RANK["day"]
    if fine and a.article == b.article and a.timex is not None and b.timex is not None \
            and a.first_day != b.first_day:
        return False  # one article naming two days ("on Sunday", "on Saturday") means two days
    tolerance = DATE_TOLERANCE_DAYS if fine else 0
    return (a.first_day - b.last_day).days <= tolerance and (b.first_day - a.last_day).days <= tolerance


#: parts of a year: beside a year, one of them is the same time only inside it
_PART_OF_YEAR = frozenset({"quarter", "season", "half"})


def _coarse_units_fit(a: Event, b: Event) -> bool:
    """Can two coarse dates be one happening's, as far as their units go? Told at the same unit
    ("in 2015", "last year"), yes (their intervals must still overlap); a part of a year and a
    year or another part ("summer 2014", "2014"), only when one lies inside the other; a decade or
    a century beside any other unit, no: it holds too much to say when one thing happened. Without
    this, "the 1990s" joined every year of its decade, "this century" every decade, and a winter
    across New Year both its years, so that the coarse mentions of a century-long archive made one
    merge window that grew with the corpus (``benchmarks/bench_windows.py``)."""
    ga, gb = a.granularity, b.granularity
    if ga == gb:
        return True
    if {ga, gb} <= _PART_OF_YEAR | {"year"}:
        return (a.first_day <= b.first_day and b.last_day <= a.last_day) or \
            (b.first_day <= a.first_day and a.last_day <= b.last_day)
    return False


def _coarse(e: Event) -> bool:
    """Dated coarser than a month (quarter, season, half, year, decade, century); a duration is not
    (it is a stretch, see ``_is_duration``)."""
    return not _is_duration(e) and _COARSE_RANK < granularity_rank(e.granularity) <= GRANULARITY_RANK["century"]


def _window_end(e: Event) -> date:
    """The latest first day of an event ``b`` starting no earlier than ``e`` that
    ``dates_compatible(e, b)`` can accept; keep in step with its rules:

    - a duration on either side, or two report-dated events: first days at most
      ``DATE_TOLERANCE_DAYS`` apart;
    - ``e`` report-dated, ``b`` explicit: ``b`` must start no later than ``e`` (a coarse ``e`` is
      compared as explicit);
    - ``e`` explicit, ``b`` report-dated: ``b`` within ``REPORT_LAG_DAYS`` of ``e``'s last day (an
      explicit ``b``: within ``DATE_TOLERANCE_DAYS``, which is less);
    - both stretches: ``b``'s start window (from ``DATE_TOLERANCE_DAYS`` before its first day)
      must open before ``e``'s closes.
    """
    end = e.first_day + timedelta(days=DATE_TOLERANCE_DAYS)
    if not _is_duration(e) and (not _is_report_dated(e) or _coarse(e)):
        end = max(end, e.last_day + timedelta(days=max(REPORT_LAG_DAYS, DATE_TOLERANCE_DAYS)))
    window = stretch_start(e)
    if window is not None:
        end = max(end, window[1] + timedelta(days=DATE_TOLERANCE_DAYS))
    return end


def _dates_itself_anew(earlier: Event, later: Event) -> bool:
    """``later`` names a time of its own that ``earlier`` did not ("As of Wednesday, U.S. drones had
    carried out 29 strikes" after "The fighters are led by brigades from nearby Misrata"): a new
    happening starts there unless a discourse cue says otherwise, so a shared word or city is no cue."""
    return later.timex is not None and (earlier.timex is None or earlier.value != later.value)


def _whole_sentence(e: Event) -> bool:
    """The event stands for its whole sentence (not a clause of it with a date of its own)."""
    return e.sentence_start < 0 or e.start == e.sentence_start


def _event_key(e: Event) -> tuple:
    return (e.article, e.start, e.end, e.sentence_index, e.text, e.value or "")


def _label(e: Event) -> str:
    return f"{e.article}#{e.sentence_index}"


def _specificity(e: Event) -> tuple:
    """Which member dates an entry (smallest first): explicit dates before report dates, finer before
    coarser, then the earliest — when a story says the capture was "on Wednesday" and a later
    sentence of the same entry quotes a mayor "on Thursday", the happening is Wednesday's."""
    span = (e.last_day - e.first_day).days if e.first_day and e.last_day else 1 << 30
    return (_is_report_dated(e), granularity_rank(e.granularity), span, e.first_day, _event_key(e))


def _terms(e: Event, table: PlaceTable) -> frozenset[str]:
    """Content words and numbers of the sentence, minus its date expression and year numbers; a
    person's name in any spelling of the corpus's ``[names]`` as its canonical one."""
    text = e.text
    if e.timex is not None and e.timex.text in text:
        text = text.replace(e.timex.text, " ")
    stop = stop_words()
    found = set()
    for token in _TERM.findall(text):
        word = table.name_of(token)
        if word[0].isdigit():
            if not _YEAR_NUMBER.match(word):
                found.add(word)
        elif len(word) >= 4 and word not in stop:
            found.add(word)
    return frozenset(found)


class _Pairs:
    """Cosines, shared evidence and scores of event pairs, computed on demand.

    Only date-compatible pairs are ever scored, found with a sweep over events sorted by start
    date, so a large corpus costs (events x events on nearby dates), not (events x events).
    """

    def __init__(self, dated: list[Event], embed: Callable[[Sequence[str]], np.ndarray] | None, threshold: float,
                 table: PlaceTable | None = None):
        table = place_tables.current() if table is None else table
        self.dated = dated
        self.threshold = threshold
        self.vectors = _vectors([e.text for e in dated], embed)
        terms = [_terms(e, table) for e in dated]
        # Rarity counts sentences, not events: a sentence and a clause of it with a date of its own
        # ("29 strikes had been carried out ... as of Tuesday" inside "In a statement on Wednesday,
        # ... said 29 strikes ...") are two events but one use of "29".
        sentence_of = [(e.article, e.sentence_index) for e in dated]
        in_sentence: dict[tuple[str, int], set[str]] = {}
        for key, found in zip(sentence_of, terms):
            in_sentence.setdefault(key, set()).update(found)
        frequency: dict[str, int] = {}
        for found in in_sentence.values():
            for word in found:
                frequency[word] = frequency.get(word, 0) + 1
        limit = max(RARE_MAX_SENTENCES, int(RARE_FRACTION * len(in_sentence)))
        self.rare = [frozenset(w for w in found if frequency[w] <= limit) for found in terms]
        # A person named in both sentences (any spelling in the corpus's [names]) is evidence however
        # often the corpus names them: "Gaddafi ousted in 2011" / "since Kadhafi was toppled".
        known = table.person_names()
        self.names = [frozenset(w for w in found if w in known) for found in terms]
        places = table.places
        self.specific = [
            frozenset(p for p in e.places if p in places and places[p].kind in SPECIFIC_PLACE_KINDS)
            for e in dated
        ]
        # Same-article evidence: stems that at most RARE_MAX_SENTENCES dated sentences of the
        # article use ("quorum", "session", "congratulat"), so a story's recurring words count.
        stems = [frozenset(_stem(w) for w in found if not w[0].isdigit()) | {w for w in found if w[0].isdigit()}
                 for found in terms]
        stems_in_sentence: dict[tuple[str, int], set[str]] = {}
        for key, found in zip(sentence_of, stems):
            stems_in_sentence.setdefault(key, set()).update(found)
        per_article: dict[tuple[str, str], int] = {}
        for (article, _), found in stems_in_sentence.items():
            for stem in found:
                per_article[(article, stem)] = per_article.get((article, stem), 0) + 1
        self.article_rare = [
            frozenset(w for w in found if per_article[(e.article, w)] <= RARE_MAX_SENTENCES)
            for e, found in zip(dated, stems)
        ]
        self.cities = [frozenset(c for c in map(city_of, scene_places(e.text, e.places)) if c) for e in dated]
        # Evidence weights (``evidence_weight``): a shared name or number ties two sentences, a common
        # noun or verb half as much, a modifier a quarter ("nearby", "special", "American").
        self.weights = [_word_weights(e, table) for e in dated]
        articles_of: dict[str, set[str]] = {}
        for (article, _), found in stems_in_sentence.items():
            for stem in found:
                articles_of.setdefault(stem, set()).add(article)
        self.own_stem = frozenset(stem for stem, arts in articles_of.items() if len(arts) == 1)
        self.cue = [continuation_cue(e.text) for e in dated]
        # previous[j]: the article's dated sentence just before j (undated sentences in between are
        # context and do not break the thread; a differently dated one does). The thread is made of
        # whole sentences: a clause with a date of its own ("said a new session would be held next
        # week", "since the 2011 toppling") is its own event but neither breaks nor continues it.
        self.previous: list[int | None] = [None] * len(dated)
        order = sorted((i for i in range(len(dated)) if _whole_sentence(dated[i])),
                       key=lambda i: (dated[i].article, dated[i].start, dated[i].end, i))
        for before, after in zip(order, order[1:]):
            if dated[before].article == dated[after].article:
                self.previous[after] = before
        # bridged[j]: the sentence before a juxtaposition that directly precedes j ("Forces seized a
        # key neighbourhood on Tuesday." "The advance came as parliament failed to vote ..."
        # "Special forces retook the Benghazi area of Lithi ..."): "X came as Y" brings Y in beside
        # X, and the story of X may go on after it, so j may continue either sentence.
        self.bridged: dict[int, int] = {}
        for j, before in enumerate(self.previous):
            if before is not None and self.previous[before] is not None and juxtaposes(dated[before].text):
                self.bridged[j] = self.previous[before]

    # How ``subset`` carries each attribute: indexed like ``dated`` (one value per event); lists or
    # maps of event indices (renumbered); the same for every event. An attribute in none of these
    # makes ``subset`` refuse (so a new per-event fact cannot be forgotten by the windows).
    _PER_EVENT = ("dated", "vectors", "rare", "names", "specific", "article_rare", "cities", "weights", "cue")
    _INDEX_LISTS = ("previous",)
    _INDEX_MAPS = ("bridged",)
    _SHARED = ("threshold", "own_stem")

    def subset(self, indices: Sequence[int], compatible: Sequence[tuple[int, int]] | None = None) -> "_Pairs":
        """The same pairs restricted to ``dated[indices]`` (ascending), renumbered from 0.

        Every per-event value is the corpus-wide one (rare words counted over the whole corpus,
        an article's previous dated sentence even when it lies in another window; None then), so
        the subset scores its pairs exactly as the whole does. ``compatible``: the date-compatible
        pairs among ``indices`` (as ``date_windows`` found them, in ``dated`` numbering), so the
        subset does not look for them again.
        """
        index = list(indices)
        if index != sorted(set(index)):
            raise ValueError("subset indices must be distinct and ascending")
        known = (*self._PER_EVENT, *self._INDEX_LISTS, *self._INDEX_MAPS, *self._SHARED, "date_checks", "known_pairs")
        unknown = sorted(name for name in vars(self) if name not in known)
        if unknown:
            raise TypeError(f"_Pairs.subset: attribute(s) {unknown} not declared in _PER_EVENT, _INDEX_LISTS, "
                            "_INDEX_MAPS or _SHARED")
        local = {i: k for k, i in enumerate(index)}
        part = _Pairs.__new__(_Pairs)
        for name, value in vars(self).items():
            if name in self._PER_EVENT:
                value = value[index] if isinstance(value, np.ndarray) else [value[i] for i in index]
            elif name in self._INDEX_LISTS:
                value = [local.get(value[i]) if value[i] is not None else None for i in index]
            elif name in self._INDEX_MAPS:
                value = {local[j]: local[k] for j, k in value.items() if j in local and k in local}
            elif name not in self._SHARED:
                continue
            setattr(part, name, value)
        if compatible is None:
            part.known_pairs = None
        else:
            found = np.asarray(compatible, dtype=np.int64).reshape(-1, 2)
            positions = np.asarray(index, dtype=np.int64)
            renumbered = np.searchsorted(positions, found)  # index is ascending: its position is the new number
            if found.size and not np.array_equal(positions[np.minimum(renumbered, len(positions) - 1)], found):
                raise ValueError("subset: a compatible pair names an event outside the subset")
            part.known_pairs = _pair_array(renumbered[:, 0], renumbered[:, 1])
        return part

    def cosine(self, i: int, j: int) -> float:
        if i == j:
            return 1.0
        # Rounded so that tie-breaking and the explanation do not depend on the last float bits.
        return round(float(self.vectors[i] @ self.vectors[j]), 4)

    def evidence(self, i: int, j: int) -> tuple[str, ...]:
        words = (self.rare[i] & self.rare[j]) | (self.names[i] & self.names[j])
        return tuple(sorted(self.specific[i] & self.specific[j]) + sorted(words))

    def _word_weight(self, i: int, j: int, word: str, story: bool) -> float:
        """One shared word's weight; ``story``: same-article evidence, where the story's own words count."""
        w = _evidence_weights()
        if story and word in self.own_stem:
            return w["story"]
        if word[0].isdigit():  # a number written in digits, whatever the parse says
            return w["number"]
        if word in self.names[i]:  # a person's name ([names])
            return w["proper"]
        default = w["unlisted"]  # an event built without a parse, or a word its word_kinds do not list
        return max(self.weights[i].get(word, default), self.weights[j].get(word, default))

    def weight(self, i: int, j: int) -> float:
        """How strongly the shared evidence ties i and j (0..1): the sum of the words' weights."""
        if self.specific[i] & self.specific[j]:
            return 1.0
        words = (self.rare[i] & self.rare[j]) | (self.names[i] & self.names[j])
        return round(min(1.0, sum(self._word_weight(i, j, w, False) for w in words)), 4)

    def same_article_weight(self, i: int, j: int) -> float:
        if self.specific[i] & self.specific[j]:
            return 1.0
        words = self.article_rare[i] & self.article_rare[j]
        return round(min(1.0, sum(self._word_weight(i, j, w, True) for w in words)), 4)

    def score(self, i: int, j: int) -> float:
        bonus = EVIDENCE_BONUS * self.weight(i, j) if i != j and self.evidence(i, j) else 0.0
        return round(self.cosine(i, j) + bonus, 4)

    def required(self, i: int, j: int) -> float:
        return _required(self.dated[i], self.dated[j], self.threshold)

    # ---- same article ----

    def scene_conflict(self, i: int, j: int) -> bool:
        """Both sentences are located in cities, and not in the same one (Sabratha vs. Derna)."""
        return bool(self.cities[i] and self.cities[j] and not self.cities[i] & self.cities[j])

    def same_article_evidence(self, i: int, j: int) -> tuple[str, ...]:
        return tuple(sorted(self.specific[i] & self.specific[j])
                     + sorted(self.article_rare[i] & self.article_rare[j]))

    def same_article_link(self, i: int, j: int) -> Link | None:
        """The link between two date-compatible sentences of one article, if they qualify."""
        if "caption" in (self.dated[i].kind, self.dated[j].kind):
            return None  # a photo caption is another story (its own day), never part of the text's thread
        first, second = min(i, j), max(i, j)
        cosine = self.cosine(first, second)
        evidence = self.same_article_evidence(first, second)
        bonus, weight = 0.0, 1.0
        if self.specific[first] & self.specific[second]:
            bonus = SAME_ARTICLE_PLACE_BONUS
        elif evidence:
            weight = self.same_article_weight(first, second)
            bonus = EVIDENCE_BONUS * weight
        cue = ""
        later, earlier = (j, i) if self.dated[j].start >= self.dated[i].start else (i, j)
        adjacent = self.previous[later] == earlier or self.bridged.get(later) == earlier
        if adjacent and cosine >= CONTINUATION_MIN_COSINE:
            cue = self.cue[later] or ""
            if not cue and not _dates_itself_anew(self.dated[earlier], self.dated[later]):
                cue = "shares " + ", ".join(evidence) if evidence else ""
                same_place = self.cities[later] and self.cities[later] <= self.cities[earlier]
                if not cue and same_place and cosine >= SAME_PLACE_MIN_COSINE:
                    cue = "same place: " + ", ".join(sorted(self.cities[later]))
        if not cue and evidence and cosine >= HEADLINE_MIN_COSINE \
                and "headline" in (self.dated[i].role, self.dated[j].role):
            cue = "retells the headline: shares " + ", ".join(evidence)
        score = round(cosine + bonus + (CONTINUATION_BONUS if cue else 0.0), 4)
        needed = STRETCH_THRESHOLD if _same_stretch(self.dated[i], self.dated[j]) else SAME_ARTICLE_THRESHOLD
        if cue or (score >= needed and not self.scene_conflict(i, j)):
            return Link(first, second, cosine, score, evidence, cue=cue, same_article=True, weight=weight)
        return None

    def compatible_pairs(self) -> list[tuple[int, int]]:
        """(i, j), i < j, of every date-compatible pair, blocked by date window (sorted).

        Events are swept in order of their first day; for each event i only the events j starting
        inside i's window are checked: from i's first day to ``_window_end(i)``, the last first day
        any rule of ``dates_compatible`` allows a later-starting event. So the cost grows with the
        events per window, not with the square of all events. ``date_checks`` counts the checks.
        """
        return [(i, j) for i, j in self.compatible_array().tolist()]

    def compatible_array(self) -> np.ndarray:
        """``compatible_pairs`` as an (n, 2) int32 array: a corpus has millions of pairs, and a
        Python tuple per pair would cost some fifteen times the memory."""
        if getattr(self, "known_pairs", None) is not None:  # a window's, found by date_windows
            return self.known_pairs
        from array import array

        dated = self.dated
        by_start = sorted(range(len(dated)), key=lambda i: (dated[i].first_day, i))
        starts = [dated[i].first_day.toordinal() for i in by_start]
        first, second = array("i"), array("i")
        checks = 0
        for pos, i in enumerate(by_start):
            stop = bisect.bisect_right(starts, _window_end(dated[i]).toordinal(), lo=pos + 1)
            checks += stop - pos - 1
            for j in by_start[pos + 1:stop]:
                if dates_compatible(dated[i], dated[j]):
                    first.append(min(i, j))
                    second.append(max(i, j))
        self.date_checks = checks
        return _pair_array(np.frombuffer(first, dtype=np.int32), np.frombuffer(second, dtype=np.int32))


def _pair_array(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """(first, second) as one sorted (n, 2) int32 array."""
    order = np.lexsort((second, first))
    return np.stack([first[order], second[order]], axis=1).astype(np.int32, copy=False).reshape(-1, 2)


def _vectors(texts: list[str], embed: Callable[[Sequence[str]], np.ndarray] | None) -> np.ndarray:
    if len(texts) < 2:
        return np.ones((len(texts), 1), dtype=np.float64)
    if embed is None:
        from .embeddings import embed as default_embed

        embed = default_embed
    vectors = np.asarray(embed(texts), dtype=np.float64)
    if vectors.ndim != 2 or vectors.shape[0] != len(texts):
        raise ValueError(f"embed returned an array of shape {vectors.shape} for {len(texts)} texts")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def _required(a: Event, b: Event, threshold: float) -> float:
    if _same_stretch(a, b):
        return min(threshold, STRETCH_THRESHOLD)
    coarse = max(granularity_rank(a.granularity), granularity_rank(b.granularity)) > _COARSE_RANK
    return threshold + (COARSE_PENALTY if coarse else 0.0)


def _sorted(links: list[Link]) -> list[Link]:
    return sorted(links, key=lambda link: (-link.score, -link.cosine, link.first, link.second))


def _same_article_links(pairs: _Pairs, compatible: list[tuple[int, int]]) -> list[Link]:
    found = []
    for i, j in compatible:
        if pairs.dated[i].article == pairs.dated[j].article:
            link = pairs.same_article_link(i, j)
            if link is not None:
                found.append(link)
    return _sorted(found)


def _links(pairs: _Pairs, compatible: list[tuple[int, int]]) -> list[Link]:
    candidates = []
    for i, j in compatible:
        if pairs.dated[i].article != pairs.dated[j].article and pairs.score(i, j) >= pairs.required(i, j):
            candidates.append(Link(i, j, pairs.cosine(i, j), pairs.score(i, j), pairs.evidence(i, j),
                                   weight=pairs.weight(i, j)))
    return _sorted(candidates)


def _groups(pairs: _Pairs) -> tuple[list[list[int]], dict[int, list[Link]]]:
    """Greedy grouping in two passes (each pass applies its links from the best score down).

    1. Same article: continuations join (each step of the thread has its own cue); other
       same-article links join two groups only if no member pair is located in different cities.
    2. Across articles: a link joins two groups when the mean cosine over their member pairs from
       different articles is at least ``CROSS_GROUP_MIN_COSINE``.
    Every pass requires all members of the joined group to be pairwise date-compatible.
    """
    dated = pairs.dated
    compatible = pairs.compatible_pairs()
    group_of = list(range(len(dated)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(dated))}
    used: dict[int, list[Link]] = {i: [] for i in range(len(dated))}

    def join(link: Link, ga: int, gb: int) -> None:
        keep, gone = min(ga, gb), max(ga, gb)  # a group is keyed by its smallest member
        members[keep] = sorted(members[keep] + members.pop(gone))
        used[keep] = used[keep] + used.pop(gone) + [link]
        for x in members[keep]:
            group_of[x] = keep

    def groups_of(link: Link) -> tuple[int, int, list[int], list[int]] | None:
        ga, gb = group_of[link.first], group_of[link.second]
        if ga == gb:
            return None
        a, b = members[ga], members[gb]
        if not all(dates_compatible(dated[x], dated[y]) for x in a for y in b):
            return None
        return ga, gb, a, b

    for link in _same_article_links(pairs, compatible):
        found = groups_of(link)
        if found is None:
            continue
        ga, gb, a, b = found
        if not link.cue and any(pairs.scene_conflict(x, y) for x in a for y in b):
            continue
        join(link, ga, gb)

    for link in _links(pairs, compatible):
        found = groups_of(link)
        if found is None:
            continue
        ga, gb, a, b = found
        cross = [(x, y) for x in a for y in b if dated[x].article != dated[y].article]
        if sum(pairs.cosine(x, y) for x, y in cross) / len(cross) < CROSS_GROUP_MIN_COSINE:
            continue
        join(link, ga, gb)

    return [members[g] for g in sorted(members)], used


def _places(events: Iterable[Event]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for e in sorted(events, key=_event_key):
        for place in e.places:
            seen.setdefault(place, None)
    return tuple(seen)


def _note(dated: list[Event], group: list[int], links: list[Link], anchor: Event, threshold: float) -> str:
    parts = []
    for link in sorted(links, key=lambda l: (-l.score, l.first, l.second)):
        why = f" + shared {', '.join(link.evidence)}" if link.evidence else ""
        if link.evidence and link.weight < 1.0:
            why += f" (weight {link.weight:.2f})"
        if link.cue:
            kind = f" (same article, adjacent: {link.cue})"
        elif link.same_article and _same_stretch(dated[link.first], dated[link.second]):
            kind = f" (same article, stretches begun the same day, threshold {STRETCH_THRESHOLD:.2f})"
        elif link.same_article:
            kind = f" (same article, same date, threshold {SAME_ARTICLE_THRESHOLD:.2f})"
        elif _same_stretch(dated[link.first], dated[link.second]):
            kind = f" (stretches begun the same day, threshold {STRETCH_THRESHOLD:.2f})"
        else:
            kind = ""
        parts.append(
            f"{_label(dated[link.first])}~{_label(dated[link.second])}: cos={link.cosine:.3f}{why} "
            f"-> score {link.score:.3f}{kind}"
        )
    articles = len({dated[i].article for i in group})
    plural = "article" if articles == 1 else "articles"
    return (
        f"merged {len(group)} sentences from {articles} {plural} (threshold {threshold:.2f}, dates "
        f"compatible): " + "; ".join(parts) + f"; dated by {_label(anchor)} ({anchor.rule})"
    )


_DURATION_UNIT = re.compile(r"^PT?[\dX.]*([A-Z]+)$")
_UNIT_GRANULARITY = {"D": ("D", "day"), "W": ("W", "week"), "M": ("M", "month"), "Y": ("Y", "year"),
                     "Q": ("Q", "quarter"), "H": ("D", "day"), "S": ("D", "day")}


def calendar_date(event: Event) -> tuple[str, str]:
    """(TIMEX3 calendar value, granularity) naming when ``event``'s happening is placed on the timeline.

    A date is its own value. An anchored duration ("over the last 10 days", P10D, 2016-08-01..10)
    is a stretch, not a date: the entry is placed at the *start* of the stretch, written at the
    duration's unit (P10D -> "2016-08-01", day; P2Y from 2014-04-20 -> "2014", year), and the entry's
    start/end keep the whole stretch. An entry then reads "from <date>".
    """
    if not (event.timex is not None and event.timex.type == "DURATION" and event.first_day is not None):
        return event.value, event.granularity or ""
    found = _DURATION_UNIT.match(event.value or "")
    unit, granularity = _UNIT_GRANULARITY.get(found.group(1) if found else "D", ("D", "day"))
    if found and event.value.startswith("PT"):
        unit, granularity = "D", "day"
    return timex3.value_for(event.first_day, unit), granularity


def _entry(pairs: _Pairs, group: list[int], links: list[Link]) -> TimelineEntry:
    dated, threshold = pairs.dated, pairs.threshold
    anchor_index = min(group, key=lambda i: _specificity(dated[i]))
    anchor = dated[anchor_index]
    order = [anchor_index] + sorted((i for i in group if i != anchor_index), key=lambda i: _event_key(dated[i]))
    merged = len(group) > 1
    sources = tuple(
        SourceRef(
            article=dated[i].article,
            sentence=dated[i].text,
            start=dated[i].start,
            end=dated[i].end,
            timex=dated[i].timex.text if dated[i].timex is not None else None,
            rule=dated[i].rule,
            similarity=pairs.cosine(anchor_index, i) if merged and i != anchor_index else None,
        )
        for i in order
    )
    value, granularity = calendar_date(anchor)
    extra = {
        "events": [(dated[i].article, dated[i].sentence_index) for i in order],
        "kinds": [dated[i].kind for i in order],
    }
    if value != anchor.value:
        extra["stretch"] = f"{anchor.value} from {anchor.first_day} to {anchor.last_day}"
    return TimelineEntry(
        date=value,
        start=anchor.first_day,
        end=anchor.last_day,
        granularity=granularity,
        places=_places(dated[i] for i in group),
        sources=sources,
        in_campaign=in_campaign((anchor.first_day, anchor.last_day)),
        merge_note=_note(dated, group, links, anchor, threshold) if merged else "",
        extra=extra,
    )


def merge_events(
    events: Iterable[Event],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    embed: Callable[[Sequence[str]], np.ndarray] | None = None,
    table: PlaceTable | None = None,
    window_events: int | None = WINDOW_EVENTS,
    scheduler=None,
) -> list[TimelineEntry]:
    """Timeline entries for the dated events, same happenings merged; in ``order_entries`` order.

    ``threshold`` is the score two sentences from different articles need (see the module
    docstring); ``embed`` maps texts to vectors (default: the MiniLM embedder, loaded only when
    there are at least two dated events). ``table`` is the corpus's alias table (``places.PlaceTable``:
    place kinds and parents, ``[names]`` spellings; default: the table in force, ``places.using``).
    Undated events are skipped. The same events in any input order give the same entries.

    The corpus-wide work (which words are rare, each article's sentence order, the embeddings: all
    per event) is done once; the pair work then runs per date window (``date_windows``), windows
    packed into tasks of about ``window_events`` events (``window_batches``). ``scheduler`` None
    runs the tasks in this process; otherwise each task calls ``merge_window`` on Dask: a running
    scheduler's "tcp://HOST:PORT", or whatever ``dask.compute`` takes ("synchronous", "threads",
    "processes", a ``distributed.Client``). The entries are the same either way.
    """
    if not 0.0 <= threshold <= 2.0:
        raise ValueError(f"threshold must be between 0 and 2 (cosine + evidence bonus), got {threshold}")
    unique: dict[tuple, Event] = {}
    for e in events:
        if e.value is not None and e.first_day is not None and e.last_day is not None:
            unique.setdefault(_event_key(e), e)
    dated = [unique[k] for k in sorted(unique)]
    table = place_tables.current() if table is None else table
    with place_tables.using(table):  # city_of / scene_places read the table in force
        pairs = _Pairs(dated, embed, threshold, table)
        windows, compatible = _windows_and_pairs(dated)
        batches = _batches(windows, window_events)
        tasks = (pairs.subset(batch, np.concatenate([compatible[w] for w in windows_of]))
                 for batch, windows_of in batches)  # made one at a time, as they are run or sent
        if scheduler is None or len(batches) < 2:
            merged = [merge_window(task, table) for task in tasks]
        else:
            merged = _on_dask(tasks, table, scheduler)
    return order_entries([entry for entries in merged for entry in entries])


#: merge tasks sent to a running cluster at once: each holds its windows' events and vectors, so
#: the driver (and a scheduler living in the same process) never holds them all
MERGE_IN_FLIGHT = 4


def _on_dask(tasks: Iterable["_Pairs"], table: PlaceTable, scheduler) -> list[list[TimelineEntry]]:
    """``merge_window`` of each task as Dask tasks, results in task order.

    ``scheduler`` "tcp://HOST:PORT" (a running scheduler) or a ``distributed.Client``: the tasks are
    submitted as they are made, at most ``MERGE_IN_FLIGHT`` waiting at a time. Anything else
    ("synchronous", "threads", "processes") goes to ``dask.compute`` as it is."""
    if isinstance(scheduler, str) and scheduler.startswith("tcp://"):
        from distributed import Client

        with Client(scheduler, timeout="30s", set_as_default=False) as client:
            return _submitted(client, tasks, table)
    try:
        from distributed import Client
    except ImportError:  # dask alone
        Client = ()  # noqa: N806
    if isinstance(scheduler, Client):
        return _submitted(scheduler, tasks, table)
    import dask

    delayed = [dask.delayed(merge_window, pure=True)(task, table) for task in tasks]
    return list(dask.compute(*delayed, scheduler=scheduler))


def _submitted(client, tasks: Iterable["_Pairs"], table: PlaceTable) -> list[list[TimelineEntry]]:
    # ``as_completed`` on this client's loop: ``distributed.wait`` would use the process's default
    # client, which is another one when the caller has a client of its own (a notebook, a benchmark)
    from distributed import as_completed

    results: dict[int, list[TimelineEntry]] = {}
    pending: dict = {}  # future -> task number
    running = as_completed(loop=client.loop)
    for n, task in enumerate(tasks):
        future = client.submit(merge_window, task, table, pure=False)
        pending[future] = n
        running.add(future)
        while len(pending) >= MERGE_IN_FLIGHT:
            done = next(running)
            results[pending.pop(done)] = done.result()
    for done in running:
        results[pending.pop(done)] = done.result()
    return [results[n] for n in range(len(results))]


def date_windows(dated: Sequence[Event]) -> list[list[int]]:
    """``dated`` split into independent date windows: lists of indices, each in ascending order,
    the windows ordered by their first index.

    A window is a connected component of the date-compatible pairs (``dates_compatible``, found
    with the blocked sweep of ``_Pairs.compatible_pairs``): every pair that could merge lies inside
    one window, and every step of grouping (links, joins) involves only compatible events, so
    merging each window on its own gives the entries of merging the whole corpus at once.
    """
    return _windows_and_pairs(dated)[0]


def _windows_and_pairs(dated: Sequence[Event]) -> tuple[list[list[int]], list[np.ndarray]]:
    """The date windows and, for each, its compatible pairs (an (n, 2) int32 array in ``dated``
    numbering, sorted)."""
    shell = _Pairs.__new__(_Pairs)
    shell.dated = list(dated)
    pairs = shell.compatible_array()
    parent = list(range(len(dated)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for start in range(0, len(pairs), 65536):  # a slice at a time: no Python int per pair all at once
        chunk = pairs[start:start + 65536]
        for i, j in zip(chunk[:, 0].tolist(), chunk[:, 1].tolist()):
            ri, rj = root(i), root(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
    members: dict[int, list[int]] = {}
    for i in range(len(dated)):
        members.setdefault(root(i), []).append(i)
    order = sorted(members)
    number = {r: k for k, r in enumerate(order)}
    window_of = np.array([number[root(i)] for i in range(len(dated))], dtype=np.int64)
    of_pair = window_of[pairs[:, 0]] if len(pairs) else np.zeros(0, dtype=np.int64)
    by_window = np.argsort(of_pair, kind="stable")  # stable: each window's pairs stay sorted
    bounds = np.searchsorted(of_pair[by_window], np.arange(1, len(order)))
    found = [part for part in np.split(pairs[by_window], bounds)] if order else []
    return [members[r] for r in order], found


def window_batches(windows: Sequence[Sequence[int]], target: int | None) -> list[list[int]]:
    """Consecutive windows packed into batches of at least ``target`` events (a window is never
    cut; None or 0: one batch per window), so thousands of one-sentence windows make a few tasks."""
    return [batch for batch, _ in _batches(windows, target)]


def _batches(windows: Sequence[Sequence[int]], target: int | None) -> list[tuple[list[int], list[int]]]:
    """(events of the batch, ascending; numbers of its windows) for ``window_batches``."""
    if not target:
        return [(list(w), [k]) for k, w in enumerate(windows)]
    batches: list[tuple[list[int], list[int]]] = []
    current: list[int] = []
    numbers: list[int] = []
    for k, window in enumerate(windows):
        current.extend(window)
        numbers.append(k)
        if len(current) >= target:
            batches.append((sorted(current), numbers))
            current, numbers = [], []
    if current:
        batches.append((sorted(current), numbers))
    return batches


def merge_window(pairs: "_Pairs", table: PlaceTable | None = None) -> list[TimelineEntry]:
    """The entries of one date window (or a batch of whole windows), ``pairs`` its ``_Pairs.subset``,
    with ``table`` in force (default: the one in force already): a pure function of its arguments,
    so windows run as independent tasks, in another process too."""
    with place_tables.using(place_tables.current() if table is None else table):
        groups, used = _groups(pairs)
        return [_entry(pairs, group, used[group[0]]) for group in groups]


@dataclass(frozen=True)
class PairScore:
    """One cross-article, date-compatible pair of dated events and how it scores (diagnostics)."""

    first: Event
    second: Event
    cosine: float
    evidence: tuple[str, ...]
    score: float
    required: float


def pair_report(
    events: Iterable[Event], *, threshold: float = DEFAULT_THRESHOLD,
    embed: Callable[[Sequence[str]], np.ndarray] | None = None, table: PlaceTable | None = None,
) -> list[PairScore]:
    """All cross-article date-compatible pairs, best score first: the data behind the threshold."""
    unique = {_event_key(e): e for e in events if e.value is not None and e.first_day and e.last_day}
    dated = [unique[k] for k in sorted(unique)]
    table = place_tables.current() if table is None else table
    with place_tables.using(table):
        pairs = _Pairs(dated, embed, threshold, table)
    rows = [
        PairScore(dated[i], dated[j], pairs.cosine(i, j), pairs.evidence(i, j), pairs.score(i, j),
                  pairs.required(i, j))
        for i, j in pairs.compatible_pairs()
        if dated[i].article != dated[j].article
    ]
    rows.sort(key=lambda r: (-r.score, -r.cosine, _event_key(r.first), _event_key(r.second)))
    return rows


@dataclass(frozen=True)
class SameArticlePair:
    """One same-article, date-compatible pair of dated events and how it scores (diagnostics)."""

    first: Event
    second: Event
    cosine: float
    evidence: tuple[str, ...]
    adjacent: bool  # second directly follows first among the article's dated events
    cue: str  # the continuation cue ("" when none or not adjacent)
    place_conflict: bool
    score: float | None  # None when the pair does not qualify as a link


def same_article_report(
    events: Iterable[Event], *, embed: Callable[[Sequence[str]], np.ndarray] | None = None,
    table: PlaceTable | None = None,
) -> list[SameArticlePair]:
    """All same-article date-compatible pairs, best cosine first: the data behind pass 1."""
    unique = {_event_key(e): e for e in events if e.value is not None and e.first_day and e.last_day}
    dated = [unique[k] for k in sorted(unique)]
    table = place_tables.current() if table is None else table
    with place_tables.using(table):
        pairs = _Pairs(dated, embed, DEFAULT_THRESHOLD, table)
    rows = []
    for i, j in pairs.compatible_pairs():
        if dated[i].article != dated[j].article:
            continue
        later, earlier = (j, i) if dated[j].start >= dated[i].start else (i, j)
        link = pairs.same_article_link(i, j)
        rows.append(SameArticlePair(
            dated[earlier], dated[later], pairs.cosine(i, j), pairs.same_article_evidence(i, j),
            pairs.previous[later] == earlier or pairs.bridged.get(later) == earlier, link.cue if link else "", pairs.scene_conflict(i, j),
            link.score if link else None,
        ))
    rows.sort(key=lambda r: (-r.cosine, _event_key(r.first), _event_key(r.second)))
    return rows


def main(argv: list[str] | None = None) -> int:
    """``python -m timeline.merging FOLDER [N]``: the N best-scoring pairs of a corpus (default 30),
    then every same-article link and both cosine histograms."""
    import sys

    from .corpus import load_corpus
    from .events import apply_window, for_timeline
    from .ordering import corpus_window
    from .pipeline import corpus_folder, event_stages

    args = sys.argv[1:] if argv is None else argv
    usage = "usage: python -m timeline.merging FOLDER [N]  (the N best-scoring pairs, default 30)"
    if args[:1] in (["-h"], ["--help"]):
        print(usage)
        return 0
    if not args or len(args) > 2 or (len(args) == 2 and not args[1].isdigit()):
        print(usage, file=sys.stderr)
        return 2
    try:
        corpus = load_corpus(args[0])
    except (FileNotFoundError, ValueError) as err:
        print(f"python -m timeline.merging: {err}", file=sys.stderr)
        return 2
    limit = int(args[1]) if len(args) > 1 else 30
    table = place_tables.load_table(corpus_folder(corpus))
    stages = event_stages(corpus, table=table)  # the events as the pipeline merges them
    window = corpus_window(stages.events, [r.best for r in stages.refdates.values()])
    with place_tables.using(table):  # as the pipeline folds them
        events = list(for_timeline(apply_window(stages.events, window)))
    rows = pair_report(events, table=table)
    print("== across articles")
    for r in rows[:limit]:
        mark = "MERGE?" if r.score >= r.required else ""
        print(f"{r.score:.3f} (cos {r.cosine:.3f}{' +' + ','.join(r.evidence) if r.evidence else ''}) "
              f"need {r.required:.2f} {mark}\n   {_label(r.first)} {r.first.value}: {r.first.text[:90]}\n"
              f"   {_label(r.second)} {r.second.value}: {r.second.text[:90]}")
    bins = np.histogram([r.cosine for r in rows], bins=np.linspace(0, 1, 11))[0]
    print("cosine histogram (0.0-1.0 by 0.1):", " ".join(str(int(b)) for b in bins), f"({len(rows)} pairs)")
    same = same_article_report(events, table=table)
    print("== within articles (links, and non-linked pairs with cosine >= 0.45)")
    for r in same:
        if r.score is None and r.cosine < 0.45:
            continue
        how = (f"LINK {r.score:.3f}" if r.score is not None else "no link") + (" adjacent" if r.adjacent else "")
        extra = (f" cue: {r.cue}" if r.cue else "") + (f" +{','.join(r.evidence)}" if r.evidence else "")
        extra += " [different cities]" if r.place_conflict else ""
        print(f"{how} cos {r.cosine:.3f}{extra}\n   {_label(r.first)} {r.first.value}: {r.first.text[:90]}\n"
              f"   {_label(r.second)} {r.second.value}: {r.second.text[:90]}")
    bins = np.histogram([r.cosine for r in same], bins=np.linspace(0, 1, 11))[0]
    print("same-article cosine histogram (0.0-1.0 by 0.1):", " ".join(str(int(b)) for b in bins),
          f"({len(same)} pairs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
