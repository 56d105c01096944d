"""Choose what goes on the timeline: happenings ranked by salience, noise kept off, user controls.

The merging stage (``timeline.merging``) has already clustered the dated clause events of every
article into *candidates*, one per happening as far as wording and dates tell (within and across
articles). This stage reads them as an editor would:

1. **Noise off the timeline** (rules in ``resources/selection.toml``, each named; the name is
   written to ``events.csv``): clauses that are site or broadcast boilerplate (``comment-notice``; a
   ``broadcast-wrap`` lead-in only stops the clause from being the entry's representative), photo
   captions and clauses that say what pictures show (``caption``: a caption is about its photo's
   scene, not the story's), a lone clause whose subject points back to a referent it never names
   (``unintroduced-referent``: "Our forces advanced significantly."; on an ``about`` timeline a
   pronoun standing for the query is introduced by the query), and entries made only of reports,
   quotes, statements and reactions in an article that has a happening on the timeline already
   (``reaction``: "UN envoy Martin Kobler voiced his disappointment at the postponement.", "...
   issued a statement praising ..."). An entry's representative (its first source) never has a
   boilerplate lead-in; on the chosen entries it is a happening clause where they have one
   (``_representative_first``).
2. **Context, not entries.** Candidates outside the window of interest (``ordering.corpus_window``
   or the user's ``since``/``until``) become a short context list, its most salient background
   first, shown in date order.
3. **Salience.** Each remaining candidate gets a score, the weighted sum of signals in 0..1
   (weights in the TOML): how many articles and named sources report it, whether a mention is an
   article's headline or in its lead (first two sentences), its centrality (mean embedding cosine
   to the other candidates, MiniLM via ``timeline.embeddings``, rank-scaled), the share of its clauses
   that are asserted happenings (not a state, report or plan — the event classes of
   ``timeline.events``), how specific its date is, and how many clauses back it. An entry all of
   whose clauses are states (``is_state``: how things are, the situation so far, or a happening
   said to recur) is an
   ongoing situation: its score is multiplied by ``state.factor``. The score and its signals are
   recorded on the entry (``salience``, ``salience_note``).
4. **User controls** (``SelectionSettings``): ``about`` keeps only candidates naming the query (the
   query's words, or a place alias of the corpus table, in its clauses, places or organisations,
   in a headline or lead sentence, in the sentence of a subjectless subordinate clause, or as
   what a pronoun subject stands for (``antecedents``);
   failing that, an embedding cosine of ``about_embedding`` to the query), each told by a source
   naming the query, at most ``about_per_article`` per article naming it up to ``about_cap``; ``granularity`` week/month
   folds every candidate of a week/month into one entry (the most salient one's text first, all
   sources kept, so the summary covers the period); ``max_entries`` keeps the most salient
   (default: ``per_article`` per article, capped at ``cap``), folding a candidate into an already
   kept one when the two are the same happening (same date or days one apart, cosine >= ``same_happening``), so
   no happening gets two entries. The result is in date order (``ordering.order_entries``).

Everything here is a pure function of the candidates, the events and the settings.
"""
from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Callable, Literal, Sequence

import numpy as np

from .merging import stop_words
from .records import Article, Event, SourceRef, TimelineEntry

Granularity = Literal["day", "week", "month"]
GRANULARITIES = ("day", "week", "month")


@dataclass(frozen=True)
class SelectionSettings:
    """The user's controls over what goes on the timeline (API, CLI and notebooks share them).

    ``max_entries`` None = the corpus default (``default_max_entries``); ``granularity`` day | week
    | month; ``about`` a query (entity or keywords) or None; ``since``/``until`` the window of
    interest (None = from the corpus, see ``ordering.corpus_window``).
    """

    max_entries: int | None = None
    granularity: Granularity = "day"
    about: str | None = None
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.granularity not in GRANULARITIES:
            raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}, got {self.granularity!r}")
        if self.max_entries is not None and (not isinstance(self.max_entries, int) or self.max_entries < 1):
            raise ValueError(f"max_entries must be a positive whole number, got {self.max_entries!r}")
        if self.about is not None and not str(self.about).strip():
            raise ValueError("about must name an entity or keywords (got an empty string)")


@dataclass(frozen=True)
class Selection:
    """What the stage decided: timeline entries, the context list, and why each event was left off."""

    entries: tuple[TimelineEntry, ...]
    context: tuple[TimelineEntry, ...]
    noise: dict = field(default_factory=dict, hash=False, compare=False)  # (article, start, end) -> rule name
    max_entries: int = 0


@lru_cache(maxsize=1)
def rules() -> dict:
    with resources.files("timeline.resources").joinpath("selection.toml").open("rb") as fh:
        data = tomllib.load(fh)
    data["_boilerplate"] = tuple((r["name"], re.compile(r["pattern"], re.IGNORECASE), bool(r.get("whole")))
                                 for r in data.get("boilerplate", []))
    return data


_WORD = re.compile(r"[\w][\w'’.-]*\w|\w")
_STOP = frozenset("the a an of and or in on at to for by with from about into over s".split())


def _words(text: str) -> list[str]:
    return [w.casefold().strip(".") for w in _WORD.findall(text)]


def _key(source: SourceRef) -> tuple[str, int, int]:
    return source.article, source.start, source.end


def _reaction_words(table: str = "lemmas") -> frozenset[str]:
    """The inflected forms of the ``reaction`` table's ``lemmas`` (or its ``attributing`` verbs,
    with their irregular past forms)."""
    spec = rules()["reaction"]
    out: set[str] = set(spec.get("attributing_past", [])) if table == "attributing" else set()
    for lemma in spec[table]:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        out |= {lemma, lemma + "s", lemma + "d", lemma + "ed", stem + "ed", stem + "ing", lemma + "ing"}
        if lemma.endswith("y"):
            out |= {lemma[:-1] + "ied", lemma[:-1] + "ies"}
    return frozenset(out)


# --------------------------------------------------------------------------- noise

def boilerplate_rule(text: str) -> tuple[str, bool] | None:
    """(rule name, whole clause is noise) of the first boilerplate rule matching ``text``, else None."""
    for name, pattern, whole in rules()["_boilerplate"]:
        if pattern.search(text):
            return name, whole
    return None


def _unintroduced(event: Event) -> bool:
    actor = " ".join(event.actor.casefold().split())
    if not actor:
        return False
    pronouns = rules()["referents"]["pronouns"]
    if not any(actor == p or actor.startswith(p + " ") for p in pronouns):
        return False
    if event.places or event.organisations:
        return False
    clause = event.text.strip()
    # a proper noun past the first word names the referent ("They met Haftar in Benghazi")
    return not any(w[:1].isupper() for w in clause.split()[1:] if w[:1].isalpha())


def _statement_object(event: Event) -> bool:
    """The clause's object is a statement (``reaction.statement_nouns``): "issued a video statement"."""
    words = _words(event.object)
    return bool(words) and words[-1] in set(rules()["reaction"]["statement_nouns"])


def _reactive(event: Event) -> bool:
    if _statement_object(event):
        return True
    if event.event_class == "reporting":
        after = event.text.split(event.trigger, 1)[-1] if event.trigger else event.text
        return len(after.split()) < int(rules()["reaction"]["frame_words"]) or event.role != "main"
    if event.text.lstrip()[:1] in "\"“'‘":
        return True
    return event.trigger.casefold() in _reaction_words()


def _describes_pictures(event: Event) -> bool:
    """The clause says what pictures show: it opens on one of ``caption.media_nouns`` (after any
    determiner) and has one of ``caption.media_verbs``. Read from the words, not the subject: the
    small parser often makes "shared" in "Footage shared online showed ..." the clause's verb."""
    spec = rules()["caption"]
    words = [w for w in _words(event.text) if w not in _STOP]
    return bool(words) and words[0] in set(spec["media_nouns"]) and bool(set(words) & set(spec["media_verbs"]))


def _caption(event: Event) -> bool:
    return event.kind == "caption" or event.role in {"caption", "link-title"} or _describes_pictures(event)


def entry_noise(entry: TimelineEntry, events: dict, happening_articles: set[str]) -> str | None:
    """Rule name when ``entry`` (a candidate) stays off the timeline, else None."""
    behind = [events.get(_key(s)) for s in entry.sources]
    behind = [e for e in behind if e is not None]
    if not behind:
        return None
    if all(_caption(e) for e in behind):
        return rules()["caption"]["name"]
    whole = [boilerplate_rule(e.text) for e in behind]
    if all(w is not None and w[1] for w in whole):
        return whole[0][0]
    if len(behind) == 1 and _unintroduced(behind[0]):
        return rules()["referents"]["name"]
    if all(_reactive(e) for e in behind) and {e.article for e in behind} & happening_articles:
        return rules()["reaction"]["name"]
    return None


# --------------------------------------------------------------------------- salience

def _content_words(event: Event) -> int:
    """Words a reporting clause carries besides its speaker and its verb: the report's content,
    before the verb ("Forces seized the district, the military said") or after it."""
    words = len(event.text.split()) - len(event.actor.split()) - len(event.trigger.split())
    return max(0, words)


def _reported_content(event: Event) -> bool:
    return _content_words(event) >= int(rules()["reaction"]["frame_words"]) and not _quote_or_reaction(event)


def _quote_or_reaction(event: Event) -> bool:
    return event.text.lstrip()[:1] in "\"“'‘" or event.trigger.casefold() in _reaction_words() - _reaction_words("attributing")


def is_state(event: Event) -> bool:
    """The clause tells how things are (an ongoing situation true at its date), not that something
    happened: a ``state`` class, or a present tense outside a headline and outside a report
    ("The pro-government forces in Sirte are mostly militia fighters from ..."), a present perfect
    with no date expression of its own past the lead (``state.lead``: the situation so far, "The
    widespread militia violence has plunged Libya into chaos"), or a happening said to recur, with
    an adverb of ``state.habitual`` ("Fighting has flared periodically")."""
    if event.event_class == "state":
        return True
    if event.event_class != "happening" or event.role == "headline":
        return False
    if event.tense == "present":
        return True
    if event.tense == "present-perfect" and not event.rule.startswith("timex:") \
            and event.sentence_index > int(rules()["state"]["lead"]):
        return True  # the situation so far, told past the lead with no date of its own
    habitual = rules()["state"]["habitual"]
    return event.tense in {"present-perfect", "past"} and any(w in habitual for w in _words(event.text))


def happening_signal(event: Event) -> float:
    """1 for an asserted happening (past tense, or a headline's present: headlines tell past news in
    the present); 0.5 for a present perfect or a report carrying content (a report's speaker and
    verb aside, at least ``reaction.frame_words`` words); 0 for a state, a plan, a negated or
    hypothetical clause, a bare report frame, a quote or a reaction."""
    if event.modality != "asserted" or event.event_class == "plan" or is_state(event):
        return 0.0
    if event.event_class == "reporting":
        return 0.5 if _reported_content(event) else 0.0
    if event.tense == "present-perfect":
        return 0.5
    return 1.0


def default_max_entries(n_articles: int, per_article: int | None = None, cap: int | None = None) -> int:
    """A handful per article, capped (``limits.per_article`` x articles, at most ``limits.cap``).

    An ``about`` timeline counts only the articles naming the query, ``limits.about_per_article``
    each, at most ``limits.about_cap``: an entity's history runs as long as the articles naming
    it, where the corpus overview is kept to one screen.
    """
    limits = rules()["limits"]
    per = int(limits["per_article"]) if per_article is None else per_article
    top = int(limits["cap"]) if cap is None else cap
    return max(1, min(top, per * max(1, n_articles)))


# Up to this many candidates the centrality sums a full cosine matrix; above it (a large archive:
# the matrix would be n x n floats) the same sums come from one sum vector, in time and memory n x dim.
CENTRALITY_MATRIX_MAX = 2048


def _centrality(vectors: np.ndarray) -> np.ndarray:
    """Each row's rank (0..1) by its mean cosine to the other rows."""
    n = len(vectors)
    if n < 2:
        return np.ones(n)
    if n <= CENTRALITY_MATRIX_MAX:
        sims = vectors @ vectors.T
        mass = (sims.sum(axis=1) - np.diag(sims)) / (n - 1)
    else:  # sum_j v_i.v_j - v_i.v_i, as a product with the sum of all rows (float64)
        rows = np.asarray(vectors, dtype=np.float64)
        mass = (rows @ rows.sum(axis=0) - np.einsum("ij,ij->i", rows, rows)) / (n - 1)
    order = np.argsort(np.argsort(mass, kind="stable"), kind="stable")
    return order / (n - 1)


def salience(entry: TimelineEntry, events: dict, articles: dict[str, Article], centrality: float,
             n_articles: int) -> tuple[float, str]:
    """(score, note): the weighted signals of ``entry``, the note listing each non-zero one."""
    weights, spec = rules()["salience"], rules()["specificity"]
    behind = [events.get(_key(s)) for s in entry.sources]
    behind = [e for e in behind if e is not None]
    reporting = {s.article for s in entry.sources}
    named = {articles[a].source for a in reporting if a in articles and articles[a].source}
    signals = {
        "articles": min(1.0, (len(reporting) - 1) / 2) if n_articles > 1 else 0.0,
        "sources": min(1.0, (len(named) - 1) / 2) if named else 0.0,
        "headline": float(any(e.role == "headline" or e.sentence_index < 0 for e in behind)),
        "lead": float(any(0 <= e.sentence_index <= 1 for e in behind)),
        "centrality": float(centrality),
        "happening": sum(map(happening_signal, behind)) / len(behind) if behind else 0.0,
        "specificity": float(spec.get(entry.granularity, 0.0)),
        "mentions": min(1.0, (len(entry.sources) - 1) / 3),
    }
    score = sum(weights[k] * v for k, v in signals.items())
    note = ", ".join(f"{k} {v:.2f}" for k, v in signals.items() if v)
    state = rules()["state"]
    if behind and all(is_state(e) for e in behind):
        score *= float(state["factor"])
        note += f"; {state['name']} x{float(state['factor']):.2f}"
    return round(score, 4), f"salience {score:.2f}: {note}"


# --------------------------------------------------------------------------- about

@dataclass(frozen=True)
class Query:
    """A compiled ``about`` query: its words and the canonical place it names (if any)."""

    text: str
    words: tuple[str, ...]
    place: str | None = None

    @classmethod
    def parse(cls, text: str, place_table=None) -> "Query":
        words = tuple(w for w in _words(text) if w not in _STOP) or tuple(_words(text))
        place = place_table.canonical(text) if place_table is not None and hasattr(place_table, "canonical") else None
        return cls(text, words, place)

    def names(self, text: str, places: Sequence[str] = (), organisations: Sequence[str] = ()) -> bool:
        """The query's entity or keywords are in ``text`` (or its places / organisations).

        Matches, in order: the query's place (alias table) among ``places``; the query as a phrase
        (case-insensitive, whole words); an organisation or place written as the query; a
        contiguous part of the query covering at least two thirds of its words ("Apple Corps" for
        "Beatles Apple Corps"); for a capitalised name of several words, its last word written
        capitalised ("Jobs" for "Steve Jobs", not "jobs"); for keywords, all of them in any order.
        """
        if self.place is not None and self.place in places:
            return True
        joined = " ".join(_words(text))
        phrase = " ".join(_words(self.text))
        if phrase and re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", joined):
            return True
        for name in [*places, *organisations]:
            if " ".join(_words(name)) == phrase:
                return True
        raw = self.text.split()
        if len(raw) >= 2:
            need = math.ceil(2 * len(raw) / 3)
            for size in range(len(raw) - 1, max(need, 2) - 1, -1):
                for i in range(len(raw) - size + 1):
                    part = " ".join(_words(" ".join(raw[i:i + size])))
                    if re.search(r"(?<!\w)" + re.escape(part) + r"(?!\w)", joined):
                        return True
            if all(w[:1].isupper() for w in raw) and raw[-1][:1].isalpha():
                if re.search(r"(?<![\w-])" + re.escape(raw[-1]) + r"(?![\w-])", text):
                    return True
        if len(self.words) < 2:
            return False
        present = set(_words(text))
        return all(w in present for w in self.words)  # keywords: all of them, in any order


def antecedents(events: Sequence[Event]) -> Callable[[Event], str]:
    """For a clause whose subject is a third-person pronoun (``about.anaphors``), the participants
    (subject ; object) of the first main clause of the nearest earlier sentence of its article
    whose subject is not itself such a pronoun, at most ``about.look_back`` sentences back; "" for
    any other clause. "Jobs, born in 1955, has built ... He started Apple in 1976 ... One year
    later he was fired": both pronouns are Jobs."""
    spec = rules()["about"]
    anaphors, back = frozenset(spec["anaphors"]), int(spec["look_back"])
    first_main: dict[tuple[str, int], Event] = {}
    for e in sorted(events, key=lambda e: (e.article, e.sentence_index, e.start, e.end)):
        if e.role in {"main", "headline"} and e.actor.strip():
            first_main.setdefault((e.article, e.sentence_index), e)
    indices: dict[str, list[int]] = {}
    for article, index in first_main:
        indices.setdefault(article, []).append(index)

    def pronoun(actor: str) -> bool:
        return " ".join(actor.casefold().split()) in anaphors

    def resolve(event: Event) -> str:
        if not (pronoun(event.actor) or (not event.actor.strip() and pronoun(event.object))):
            return ""  # a pronoun subject, or the subject of a passive ("she was fired")
        earlier = [i for i in indices.get(event.article, ()) if i < event.sentence_index][-back:]
        for index in reversed(earlier):
            main = first_main[(event.article, index)]
            if not pronoun(main.actor):
                return " ; ".join(t for t in (main.actor, main.object) if t)
        return ""

    return resolve


def matches_about(entry: TimelineEntry, events: dict, query: Query,
                  antecedent: Callable[[Event], str] | None = None) -> bool:
    """The happening is about the query: the query takes part in one of its clauses (actor or
    object, or through ``antecedent`` the one a pronoun subject stands for), or the sentence of one
    of its clauses in an article's headline or lead (``about.lead``) names it, or the sentence of
    a subordinate clause without a subject of its own names it ("prompting Apple Corps to file suit
    again in 1989"), or its representative clause names it, or at least a third of its clauses do. A clause names it through its words, places, organisations or participants (actor, object,
    who says so). A clause nested in another one (a noun or subordinate event) counts by its own
    words only: "the 2011 toppling of Kadhafi" is not about the city its sentence goes on to name."""
    if antecedent is not None and _stands_for(entry, events, query, antecedent):
        return True  # the query takes part as the referent of a pronoun subject
    hits = []
    for s in entry.sources:
        e = events.get(_key(s))
        if e is None:
            hits.append(query.names(s.sentence))
            continue
        if query.names(" ; ".join(t for t in (e.actor, e.object) if t)):
            return True  # the query takes part in one of its clauses
        if e.sentence_index <= int(rules()["about"]["lead"]) and e.sentence and \
                query.names(e.sentence, e.places, e.organisations):
            return True  # its article's headline or lead names the query
        if not e.actor.strip() and e.role in {"subordinate", "reported"} and e.sentence and \
                query.names(e.sentence, e.places, e.organisations):
            return True  # a clause without a subject of its own ("prompting Apple Corps to file suit")
        text = " ; ".join(t for t in (e.text, e.attribution) if t)
        hits.append(query.names(text, e.places, e.organisations))
    return bool(hits) and (hits[0] or 3 * sum(hits) >= len(hits))


def _stands_for(entry: TimelineEntry, events: dict, query: Query, antecedent: Callable[[Event], str]) -> bool:
    """One of the entry's clauses has a pronoun subject standing for the query."""
    for s in entry.sources:
        e = events.get(_key(s))
        if e is not None and (who := antecedent(e)) and query.names(who):
            return True
    return False


def names_query(source: SourceRef, events: dict, query: Query) -> bool:
    """The source's sentence names the query (its words, places or organisations)."""
    e = events.get(_key(source))
    if e is None:
        return query.names(source.sentence)
    return query.names(e.sentence or e.text, e.places, e.organisations)


def _query_first(entry: TimelineEntry, events: dict, query: Query) -> TimelineEntry:
    """On an ``about`` timeline an entry is told by a source naming the query (the first such, never
    one with a boilerplate lead-in); unchanged when its representative names it already or none does."""
    if names_query(entry.sources[0], events, query):
        return entry
    first = next((s for s in entry.sources if names_query(s, events, query) and boilerplate_rule(s.sentence) is None),
                 None)
    if first is None:
        return entry
    return replace(entry, sources=(first, *[s for s in entry.sources if s is not first]))


# --------------------------------------------------------------------------- folding

def _same_time(a: TimelineEntry, b: TimelineEntry) -> bool:
    """Two candidates could be one happening by their dates: the same calendar value, or days at
    most one apart (a report dated by its publication and one by "yesterday"). A year and a day in
    it are not the same time: the merging stage already decided those."""
    if a.date == b.date:
        return True
    return (a.granularity == b.granularity == "day" and abs((a.start - b.start).days) <= 1)


def fold(kept: TimelineEntry, other: TimelineEntry, why: str) -> TimelineEntry:
    """``kept`` with ``other``'s sources appended (one happening, or one period), ``why`` noted."""
    seen = {_key(s) for s in kept.sources}
    extra_sources = tuple(s for s in other.sources if _key(s) not in seen)
    note = "; ".join(n for n in (kept.merge_note, why) if n)
    places = tuple(dict.fromkeys(kept.places + other.places))
    return replace(kept, sources=kept.sources + extra_sources, places=places, merge_note=note)


def restated(a: TimelineEntry, b: TimelineEntry, events: dict) -> str | None:
    """The verb when ``a`` and ``b`` (candidates of the same date) tell one happening twice in one
    article: a happening clause of one, in the same article as a source of the other, whose
    trigger word recurs in the sentence that other source comes from ("Militants seized control
    of the city past year" and, a paragraph on, "IS seized Sirte ... in 2015"), with places that
    do not conflict (one names none, or they share one). The clause is its sentence's main one,
    not a quote, and its verb is not one of the generic verbs of the merging stage's stop words
    ("came", "took"). A writer who restates a happening with its date reuses its verb; the
    sentences' wording differs too much for the embeddings, and the parse of the second need not
    make the verb a predicate of its own (the small model reads an all-caps "IS" as a verb). A
    sentence that reacts to the happening (``_reactive``: "It also congratulated the people on the
    liberation of the areas where Islamic State retreated") names its verb without telling it again."""
    if a.places and b.places and not set(a.places) & set(b.places):
        return None
    generic = stop_words()
    for one, other in ((a, b), (b, a)):
        for so in one.sources:
            ev = events.get(_key(so))
            if ev is None or not ev.trigger or ev.event_class != "happening" or ev.role != "main":
                continue
            verb = ev.trigger.casefold()
            if verb in generic or ev.text.lstrip()[:1] in "\"“'‘":
                continue  # "came", "took" say nothing of which happening; a quote is a witness's
            for st in other.sources:
                if st.article != so.article or (st.start, st.end) == (so.start, so.end):
                    continue
                told = events.get(_key(st))
                if told is not None and _reactive(told):
                    continue
                if verb in _words(told.sentence if told is not None and told.sentence else st.sentence):
                    return ev.trigger
    return None


def one_per_happening(ranked: Sequence[TimelineEntry], vec_of: dict, same_happening: float,
                      events: dict | None = None) -> list[TimelineEntry]:
    """``ranked`` (most salient first) with each candidate folded into the first kept entry of the
    same time (``_same_time``) whose vector has cosine >= ``same_happening`` with its own, or that
    it restates (``restated``, when ``events`` maps source keys to events); ``vec_of`` maps
    ``id(entry)`` to its vector (updated for the folded entries).

    Kept entries are indexed by calendar value and, for day entries, by day: the only ones
    ``_same_time`` can accept (a fold keeps the kept entry's date), so a candidate is compared with
    the entries of its own days, first kept first, not with the whole timeline.
    """
    distinct: list[TimelineEntry] = []
    by_value: dict[str, list[int]] = {}
    by_day: dict[int, list[int]] = {}
    for c in ranked:
        near = set(by_value.get(c.date, ()))
        day = c.start.toordinal() if c.granularity == "day" and c.start is not None else None
        if day is not None:
            near.update(i for d in (day - 1, day, day + 1) for i in by_day.get(d, ()))
        for i in sorted(near):
            k = distinct[i]
            if not _same_time(k, c):
                continue
            if float(vec_of[id(k)] @ vec_of[id(c)]) >= same_happening:
                why = f"same happening as {c.date} '{c.sources[0].sentence[:60]}'"
            elif events is not None and k.date == c.date and (verb := restated(k, c, events)) is not None:
                why = f"restated ('{verb}') as {c.date} '{c.sources[0].sentence[:60]}'"
            else:
                continue
            distinct[i] = fold(k, c, why)
            vec_of[id(distinct[i])] = vec_of[id(k)]
            break
        else:
            by_value.setdefault(c.date, []).append(len(distinct))
            if day is not None:
                by_day.setdefault(day, []).append(len(distinct))
            distinct.append(c)
    return distinct


def _period(entry: TimelineEntry, granularity: str) -> tuple[str, date, date] | None:
    if granularity == "day":
        return None
    start = entry.start
    if granularity == "month":
        if (entry.end - entry.start).days > 31:
            return None
        last = (date(start.year + (start.month == 12), start.month % 12 + 1, 1) - timedelta(days=1))
        return f"{start:%Y-%m}", start.replace(day=1), last
    if (entry.end - entry.start).days > 7:
        return None
    year, week, weekday = start.isocalendar()
    monday = start - timedelta(days=weekday - 1)
    return f"{year}-W{week:02d}", monday, monday + timedelta(days=6)


def by_period(ranked: list[TimelineEntry], granularity: str) -> list[TimelineEntry]:
    """One entry per week/month: the period's most salient candidate first, the others folded in."""
    if granularity == "day":
        return ranked
    periods: dict[str, TimelineEntry] = {}
    for entry in ranked:  # most salient first
        period = _period(entry, granularity)
        if period is None:
            continue  # coarser than the period: belongs to none
        label, first, last = period
        if label in periods:
            kept = periods[label]
            periods[label] = replace(fold(kept, entry, ""), salience=round(kept.salience + 0.1 * entry.salience, 4))
        else:
            periods[label] = replace(entry, date=label, start=first, end=last, granularity=granularity,
                                     salience_note=entry.salience_note + f"; one entry for {label}")
    return sorted(periods.values(), key=lambda e: -e.salience)


# --------------------------------------------------------------------------- the stage

def select(
    candidates: Sequence[TimelineEntry],
    events: Sequence[Event],
    articles: Sequence[Article],
    settings: SelectionSettings = SelectionSettings(),
    *,
    embed: Callable[[Sequence[str]], np.ndarray] | None = None,
    place_table=None,
) -> Selection:
    """The timeline entries (date order), the context list (date order) and the noise verdicts.

    ``candidates`` are merged entries (``merging.merge_events``) with ``in_campaign`` set; ``events``
    the events they were made from; ``embed`` maps texts to unit vectors (default MiniLM).
    """
    from .ordering import order_entries

    if embed is None:
        from .embeddings import embed as embed_texts
        embed = embed_texts
    by_key = {(e.article, e.start, e.end): e for e in events}
    arts = {a.id: a for a in articles}
    limits = rules()["limits"]

    # 1. noise, in two passes: the reaction rule needs to know which articles have happenings
    first = {id(c): entry_noise(c, by_key, set()) for c in candidates}
    happening_articles = {s.article for c in candidates if first[id(c)] is None and c.in_campaign
                          for s in c.sources
                          if (e := by_key.get(_key(s))) is not None and not _reactive(e)}
    noise: dict = {}
    kept: list[TimelineEntry] = []
    query = Query.parse(settings.about, place_table) if settings.about else None
    resolve = antecedents(events) if settings.about else None
    for c in candidates:
        rule = entry_noise(c, by_key, happening_articles)
        if rule == rules()["referents"]["name"] and query is not None and _stands_for(c, by_key, query, resolve):
            rule = None  # on a timeline about X, the "she" who stands for X needs no introduction
        if rule is not None:
            for s in c.sources:
                noise[_key(s)] = rule
            continue
        kept.append(_representative_first(c, by_key))

    # 2. salience (centrality among all kept candidates, in and out of the window)
    texts = [c.sources[0].sentence for c in kept]
    vectors = embed(texts) if len(kept) > 1 else np.ones((len(kept), 1), dtype=np.float32)
    central = _centrality(vectors)
    scored = []
    for c, cen in zip(kept, central):
        score, note = salience(c, by_key, arts, float(cen), len(arts))
        scored.append(replace(c, salience=score, salience_note=note))
    vec_of = {id(c): v for c, v in zip(scored, vectors)}

    # 3. about
    if settings.about:
        named = [c for c in scored if matches_about(c, by_key, query, resolve)]
        if not named and len(scored) > 0:
            qv = embed([settings.about])[0]
            named = [c for c in scored if float(vec_of[id(c)] @ qv) >= float(limits["about_embedding"])]
        keep = {id(c) for c in named}
        for c in scored:
            if id(c) not in keep:
                for s in c.sources:
                    noise.setdefault(_key(s), "not-about")
        scored = named

    rank = lambda c: (-c.salience, c.start, c.date, c.sources[0].article, c.sources[0].start)  # noqa: E731
    # An ``about`` query without a window the user set asks for the entity's own history: the
    # corpus's window (where the whole corpus's story is) does not bound it.
    whole_history = bool(settings.about) and settings.since is None and settings.until is None
    on_timeline = lambda c: c.in_campaign or whole_history  # noqa: E731
    context_pool = sorted((c for c in scored if not on_timeline(c)), key=rank)
    timeline_pool = sorted((c for c in scored if on_timeline(c)), key=rank)
    context = order_entries(context_pool[: int(limits["context"])])

    # 4. one entry per happening, then per period, then the size
    distinct = one_per_happening(timeline_pool, vec_of, float(limits["same_happening"]), by_key)
    distinct = by_period(distinct, settings.granularity)
    n_reporting = len({s.article for c in distinct for s in c.sources}) or len(arts)
    if settings.about:
        size = settings.max_entries or default_max_entries(n_reporting, int(limits["about_per_article"]),
                                                           int(limits["about_cap"]))
    else:
        size = settings.max_entries or default_max_entries(n_reporting)
    chosen = distinct[:size]
    for c in distinct[size:]:
        for s in c.sources:
            noise.setdefault(_key(s), "below-max-entries")
    chosen = [_representative_first(c, by_key, happening=True) for c in chosen]
    if settings.about:
        chosen = [_query_first(c, by_key, query) for c in chosen]
    return Selection(tuple(order_entries(chosen)), tuple(context), noise, size)


def _representative_first(entry: TimelineEntry, events: dict, *, happening: bool = False) -> TimelineEntry:
    """Sources reordered so the representative (the first, the entry's text without a summary) is
    told cleanly: never a clause with a boilerplate lead-in; with ``happening``, also a clause that
    is a happening (``happening_signal`` above 0: not a state, a quote, a bare report frame) before
    one that is not, and among those a headline or lead clause first. Otherwise the merging stage's
    order (its first source is the one that dates the entry) is kept. Salience and folding read the
    boilerplate-free representative; the happening preference applies to the chosen entries only."""
    def rank(item):
        i, s = item
        e = events.get(_key(s))
        if not happening:
            return (boilerplate_rule(s.sentence) is not None, i)
        told = e is not None and happening_signal(e) > 0
        lead = e is not None and (e.role == "headline" or e.sentence_index <= 1)
        return (boilerplate_rule(s.sentence) is not None, not told, not lead, i)
    order = [s for _, s in sorted(enumerate(entry.sources), key=rank)]
    if order[0] is entry.sources[0]:
        return entry
    return replace(entry, sources=(order[0], *[s for s in entry.sources if s is not order[0]]))
