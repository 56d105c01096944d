"""Events: article sentences (or clauses) anchored to the date that governs them.

How a sentence is dated (every step's name ends up in ``Event.rule``):

1. **Its own temporal expressions.** Timexes found by ``tag(article.body, refdate.best)`` are given
   to the sentence whose body span holds their start. Anchors are resolved DATE/TIME expressions
   (a calendar interval is known); resolved DURATIONs ("the last 10 days") are used only when there
   is no DATE/TIME. Expressions pointing past the reference date ("next week") are not anchors: the
   sentence reports an announcement, dated in step 2.
   *Several anchors:* if two differently dated anchors are separated by a clause boundary (";",
   "and", "but", "while", ", then") with a finite verb on each side, the sentence is cut there and
   each clause becomes its own event ("IS seized Sirte in 2015 | and forces launched an operation
   in June"). Within a clause the finest granularity wins (day > week > month > season > year), then the anchor nearest
   to the first finite verb (a fronted "On Tuesday," or "In a statement on Wednesday," governs the
   verb that follows), then the earliest.
   *Open intervals:* "since August 1" (mod ON_OR_AFTER/AFTER) anchors at its start: the event is the
   value's own calendar stretch (2016-08-01), rule suffix ``+start``.
2. **The reference date**, for running-text sentences without an anchor that read as a news report
   (a past reporting verb anywhere, or a simple-past/present-reporting first finite verb):
   value = refdate ISO day, rule ``reference-date:news-report``, no timex.
3. Otherwise **undated** (``kind="undated"``, value None), kept as context: background statements
   ("Derna has a history of Islamism"), sentences about the reporting itself ("spoke on condition of
   anonymity", "Additional reporting by"; phrases in ``[not_news]``), link titles (another story's headline), captions without a
   date of their own.

Photo captions are never dated by the reference date (the photo is from another day). A caption is
one event, however many sentences it has. Only expressions that contain a four-digit year anchor a
caption, because relative words ("last Friday") in a caption would be resolved against the
article's date, which is not the photo's; a caption without such a date stays undated.

A leading wire dateline ("Benghazi (Libya) (AFP) - ") is left out of an event's text and places:
it says where the story was filed, not where the happening was.

``kind``: "caption" for dated captions, "background" for events that end before the campaign window
(2014-01-01), "event" for the rest, "undated" when value is None.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from . import timex3
from .ordering import CAMPAIGN_START, granularity_rank
from .places import find_places
from .records import Article, Event, ReferenceDate, Sentence, Timex
from .sentences import split_sentences

RESOURCES = Path(__file__).with_name("resources")

NEWS_RULE = "reference-date:news-report"
OPEN_START_MODS = frozenset({"ON_OR_AFTER", "AFTER", "START_ON_OR_AFTER"})
_PARTICIPLE_AFTER = frozenset({"has", "have", "had", "'ve", "be", "been", "being", "is", "are", "was", "were", "am"})
_FUNCTION_WORDS = frozenset({
    "", "what", "which", "who", "whom", "that", "the", "a", "an", "it", "he", "she", "they", "we", "there",
    "this", "these", "those", "his", "her", "their", "its", "our", "to", "and", "or", "but", "as",
})
# "Benghazi (Libya) (AFP) - ", "By Ayman al-Warfalli BENGHAZI, Libya (Reuters) - ": where the story
# was filed and by whom, not part of what happened (and its place is not the event's place).
_DATELINE = re.compile(
    r"^(?:By\s+(?:By\s+)?(?:[A-Za-z][\w'.’-]*\s+){1,4}?)?"    # byline, possibly doubled by a scrape
    r"[A-Z][A-Za-z'.’-]*(?:\s+[A-Z][A-Za-z'.’-]*){0,3}"          # place
    r"(?:,\s*[A-Z][A-Za-z'.’-]*(?:\s+[A-Z][A-Za-z'.’-]*){0,2})?"  # , country
    r"\s*(?:\([^()]{1,40}\)\s*)+[-–—]+\s+"                       # (Libya) (AFP) -
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
# Where a sentence may be cut between two differently dated clauses.
_CLAUSE_BOUNDARY = re.compile(r";\s*|,?\s+(?:and|but|while|whereas)\s+|,\s+then\s+")


@dataclass(frozen=True)
class _Words:
    past_reporting: frozenset[str]
    present_reporting: frozenset[str]
    irregular_past: frozenset[str]
    aux: dict[str, frozenset[str]]
    not_verbs: frozenset[str]
    not_after: frozenset[str]
    not_news: tuple[str, ...]


@cache
def _words() -> _Words:
    with open(RESOURCES / "event_words.toml", "rb") as fh:
        data = tomllib.load(fh)
    return _Words(
        past_reporting=frozenset(data["past_reporting"]["words"]),
        present_reporting=frozenset(data["present_reporting"]["words"]),
        irregular_past=frozenset(data["irregular_past"]["words"]),
        aux={k: frozenset(v) for k, v in data["auxiliaries"].items()},
        not_verbs=frozenset(data["regular_past"]["not_verbs"]),
        not_after=frozenset(data["regular_past"]["not_after"]),
        not_news=tuple(p.lower() for p in data["not_news"]["phrases"]),
    )


# ---- tense: news report or background? ---------------------------------------------------------

@dataclass(frozen=True)
class VerbProfile:
    """The shallow verb analysis of a sentence (see resources/event_words.toml)."""

    first_verb: int | None  # offset (in the analysed text) of the first finite verb
    first_kind: str | None  # past, past-report, present-report, past-perfect, present-perfect, present, modal
    past_report: bool  # a past reporting verb ("said") occurs anywhere

    @property
    def is_news(self) -> bool:
        return self.past_report or self.first_kind in {"past", "past-report", "present-report"}


def _plain_word(word: str) -> str:
    """Lower-cased word for the tables; acronyms ("IS", "US") become "" so they never look like verbs."""
    if len(word) > 1 and word.isupper():
        return ""
    return word.lower().replace("’", "'")


def _verb_kind(tokens: list[re.Match[str]], i: int) -> str | None:
    w = _words()
    word = tokens[i].group(0)
    low = word.lower().replace("’", "'")
    if len(word) > 1 and word.isupper():
        return None  # an acronym: "IS seized Sirte" is not the verb "is"
    start = tokens[i].start()
    if start > 0 and tokens[i].string[start - 1] == "-":
        return None  # second half of a compound: "U.N. -backed", "flag-waving"
    previous = _plain_word(tokens[i - 1].group(0)) if i > 0 else ""
    if previous in _PARTICIPLE_AFTER and (low in w.past_reporting or low.endswith("ed")):
        return None  # "has declared", "is confirmed": a participle, not a simple past
    if low in w.past_reporting:
        return "past-report"
    if low in w.present_reporting:
        return "present-report"
    if low in w.irregular_past:
        return "past"
    for kind in ("past", "past_perfect", "present_perfect", "present", "modal"):
        if low in w.aux[kind]:
            return kind.replace("_", "-")
    if (
        low.endswith("ed") and len(low) >= 5 and "-" not in low and low not in w.not_verbs
        and not (word[0].isupper() and i > 0)
        and previous not in w.not_after
        and not (i + 1 < len(tokens) and tokens[i + 1].group(0).lower() == "by")
        and not _modifies_subject(tokens, i)
    ):
        return "past"
    return None


def _modifies_subject(tokens: list[re.Match[str]], i: int) -> bool:
    """"recognised government is ...": an -ed word, one noun-like word, then an auxiliary verb."""
    if i + 2 >= len(tokens):
        return False
    middle = _plain_word(tokens[i + 1].group(0))
    after = _plain_word(tokens[i + 2].group(0))
    return middle not in _FUNCTION_WORDS and after in _auxiliaries()


@cache
def _auxiliaries() -> frozenset[str]:
    aux = _words().aux
    return frozenset().union(aux["past"], aux["past_perfect"], aux["present_perfect"], aux["modal"], {"is", "are"})


def verb_profile(text: str) -> VerbProfile:
    tokens = list(_TOKEN.finditer(text))
    first_verb = first_kind = None
    past_report = False
    for i in range(len(tokens)):
        kind = _verb_kind(tokens, i)
        if kind is None:
            continue
        if first_kind is None:
            first_verb, first_kind = tokens[i].start(), kind
        if kind == "past-report":
            past_report = True
    return VerbProfile(first_verb, first_kind, past_report)


# ---- anchors ------------------------------------------------------------------------------------

def _anchor_interval(t: Timex) -> tuple[str, str | None, date, date] | None:
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


def _candidates(timexes: Sequence[Timex], refday: date | None, *, caption: bool) -> list[Timex]:
    found = []
    for t in timexes:
        anchor = _anchor_interval(t)
        if anchor is None:
            continue
        if caption and not _YEAR.search(t.text):
            continue  # relative words in a caption would be resolved against the wrong day
        if not caption and refday is not None and anchor[2] > refday:
            continue  # "a session would be held next week": the news is the announcement
        found.append(t)
    if any(t.type != "DURATION" for t in found):
        found = [t for t in found if t.type != "DURATION"]
    return found


def _choose(cands: Sequence[Timex], text_offset: int, verb_at: int | None) -> Timex:
    """Finest granularity, then nearest to the first finite verb, then earliest."""
    def key(t: Timex):
        anchor = _anchor_interval(t)
        distance = abs(t.start - text_offset - verb_at) if verb_at is not None else 0
        return granularity_rank(anchor[1]), distance, t.start, t.end
    return min(cands, key=key)


def _clauses(sentence: Sentence, cands: Sequence[Timex]) -> list[tuple[int, int, list[Timex]]]:
    """Cut a sentence between differently dated anchors at a clause boundary; (start, end, anchors)."""
    ordered = sorted(cands, key=lambda t: (t.start, t.end))
    cuts: list[int] = []
    for a, b in zip(ordered, ordered[1:]):
        if a.value == b.value or b.start < a.end:
            continue
        text = sentence.text
        before_from = (cuts[-1] - sentence.start) if cuts else 0
        boundaries = list(_CLAUSE_BOUNDARY.finditer(text, a.end - sentence.start, b.start - sentence.start))
        for boundary in reversed(boundaries):
            # A clause boundary only if both sides have a finite verb of their own: "IS seized Sirte
            # in 2015 and forces launched ... in June" is cut, "toppled and killed in 2011" is not.
            left = verb_profile(text[before_from:boundary.start()]).first_kind
            right = verb_profile(text[boundary.end():]).first_kind
            if left is not None and right is not None:
                cuts.append(sentence.start + boundary.start())
                break
    bounds = [sentence.start, *sorted(set(cuts)), sentence.end]
    pieces = []
    for s, e in zip(bounds, bounds[1:]):
        inside = [t for t in ordered if s <= t.start < e]
        pieces.append((s, e, inside))
    return pieces


def _trimmed(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (body[start].isspace() or body[start] in ",;"):
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    # a cut at ", and" leaves the conjunction at the start of the next clause: keep it, it is text.
    return start, end


def _kind(last_day: date | None, caption: bool) -> str:
    if caption:
        return "caption"
    if last_day is not None and last_day < CAMPAIGN_START:
        return "background"
    return "event"


def _timex_event(article: Article, sentence: Sentence, start: int, end: int, t: Timex, suffix: str = "") -> Event:
    value, granularity, first, last = _anchor_interval(t)
    if t.mod in OPEN_START_MODS and timex3.interval(t.value):
        suffix = "+start" + suffix
    raw_start, raw_end = article.raw_span(start, end)
    text = article.body[start:end]
    return Event(
        article=article.id, sentence_index=sentence.index, text=text, start=raw_start, end=raw_end,
        value=value, granularity=granularity, first_day=first, last_day=last, timex=t,
        rule=f"timex:{t.rule or t.type.lower()}{suffix}", places=find_places(text),
        kind=_kind(last, sentence.kind == "caption"),
    )


def _plain_event(article: Article, sentence: Sentence, rule: str, day: date | None) -> Event:
    raw_start, raw_end = article.raw_span(sentence.start, sentence.end)
    return Event(
        article=article.id, sentence_index=sentence.index, text=sentence.text, start=raw_start,
        end=raw_end, value=day.isoformat() if day else None, granularity="day" if day else None,
        first_day=day, last_day=day, timex=None, rule=rule, places=find_places(sentence.text),
        kind=_kind(day, False) if day else "undated",
    )


def without_dateline(sentence: Sentence) -> Sentence:
    """The sentence minus a leading wire dateline/byline, if any (offsets moved accordingly)."""
    found = _DATELINE.match(sentence.text)
    if not found or not any(ch.isalnum() for ch in sentence.text[found.end():]):
        return sentence
    cut = found.end()
    return Sentence(sentence.article, sentence.index, sentence.start + cut, sentence.end,
                    sentence.text[cut:], sentence.kind)


def _caption_groups(article: Article, sentences: Sequence[Sentence]) -> dict[int, list[Sentence]]:
    """Caption sentences grouped by the caption span they belong to (keyed by first sentence index)."""
    groups: dict[int, list[Sentence]] = {}
    current: tuple[int, int] | None = None  # (span index, first sentence index)
    for sentence in sentences:
        span_index = None
        if sentence.kind == "caption":
            for i, span in enumerate(article.spans):
                if span.kind == "caption" and span.start <= sentence.start < span.end:
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


def _caption_event(article: Article, parts: list[Sentence], timexes: Sequence[Timex]) -> Event:
    """One event for a whole photo caption, dated only by an absolute date written in it."""
    start, end = parts[0].start, parts[-1].end
    whole = Sentence(article.id, parts[0].index, start, end, article.body[start:end], "caption")
    inside = [t for t in timexes if start <= t.start < end]
    cands = _candidates(inside, None, caption=True)
    if not cands:
        return _plain_event(article, whole, "undated:caption", None)
    chosen = _choose(cands, start, verb_profile(whole.text).first_verb)
    return _timex_event(article, whole, start, end, chosen)


def extract_events(article: Article, timexes: Sequence[Timex], refdate: ReferenceDate) -> tuple[Event, ...]:
    """One or more events per sentence of ``article`` (see the module docstring for the dating rules).

    ``timexes`` must come from ``tag(article.body, refdate.best)``: offsets are body offsets.
    Every sentence is covered by an event; undated ones have ``value=None``, ``kind="undated"``.
    A photo caption is one event however many sentences it has (``sentence_index`` = its first).
    """
    refday = refdate.best if refdate is not None else None
    ordered = sorted(timexes, key=lambda t: (t.start, t.end, t.value))
    sentences = split_sentences(article)
    captions = _caption_groups(article, sentences)
    in_caption = {s.index for parts in captions.values() for s in parts}
    events: list[Event] = []
    for sentence in sentences:
        if sentence.index in captions:
            events.append(_caption_event(article, captions[sentence.index], ordered))
            continue
        if sentence.index in in_caption:
            continue  # covered by its caption's event
        if sentence.kind == "link_title":
            events.append(_plain_event(article, sentence, "undated:link-title", None))
            continue
        sentence = without_dateline(sentence)
        inside = [t for t in ordered if sentence.start <= t.start < sentence.end]
        cands = _candidates(inside, refday, caption=False)
        if cands:
            for start, end, anchors in _clauses(sentence, cands):
                start, end = _trimmed(article.body, start, end)
                if not anchors or start >= end:
                    continue
                verb_at = verb_profile(article.body[start:end]).first_verb
                chosen = _choose(anchors, start, verb_at)
                events.append(_timex_event(article, sentence, start, end, chosen))
            continue
        profile = verb_profile(sentence.text)
        lowered = sentence.text.lower()
        if any(phrase in lowered for phrase in _words().not_news):
            events.append(_plain_event(article, sentence, "undated:about-the-reporting", None))
        elif profile.is_news and refday is not None:
            events.append(_plain_event(article, sentence, NEWS_RULE, refday))
        elif profile.is_news:
            events.append(_plain_event(article, sentence, "undated:no-reference-date", None))
        elif profile.first_kind is not None:
            events.append(_plain_event(article, sentence, f"undated:background-{profile.first_kind}", None))
        else:
            events.append(_plain_event(article, sentence, "undated:no-finite-verb", None))
    return tuple(events)
