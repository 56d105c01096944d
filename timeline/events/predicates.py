"""Clause predicates read from the spaCy parse: trigger, tense/aspect/modality, class, arguments.

A predicate is the head of a clause: the sentence root, and every verb that heads a clausal
dependent (``ccomp``, ``xcomp``, ``advcl``, ``relcl``, ``acl``, ``conj`` of a predicate,
``parataxis``, ``csubj``, ``pcomp``). A noun is a predicate when a temporal expression attaches to it
(``the 2011 toppling``, ``its launch in 2003``; see ``anchoring.attach``) or when it is the root of a
verbless headline or fragment.

Tense comes from the parse's tags and auxiliaries: ``will``/``shall`` (or ``be going to``) -> future;
``would``/``could``/``may`` ... -> hypothetical; ``has``/``have`` + participle -> present perfect;
``had`` + participle -> past perfect; a past tag (VBD) or past auxiliary -> past; a present tag ->
present. Modality: negated (a ``neg`` child), hypothetical (modal), planned (the complement of a
[plan] verb: "plans to open"), expected ("is expected to"), else asserted. Word tables:
``resources/event_words.toml``.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..records import WordKind

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

RESOURCES = Path(__file__).resolve().parents[1] / "resources"

Tense = Literal["past", "past-perfect", "present-perfect", "present", "future", "none"]
Modality = Literal["asserted", "negated", "hypothetical", "planned", "expected"]
EventClass = Literal["happening", "state", "reporting", "plan"]

CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis", "csubj",
                         "csubjpass", "pcomp"})
VERBAL = frozenset({"VERB", "AUX"})


@dataclass(frozen=True)
class Words:
    reporting: frozenset[str]
    plan: frozenset[str]
    future: frozenset[str]
    hypothetical: frozenset[str]
    states: frozenset[str]
    comparison: frozenset[str]
    start_or_comparison: frozenset[str]
    frame_preps: frozenset[str]
    not_events: frozenset[str]
    not_news: tuple[str, ...]
    shift_openers: tuple[str, ...]  # [discourse] shift_openers and time_shift_openers, shared with merging
    topic_openers: tuple[str, ...]  # [discourse] shift_openers alone: a new topic, not a move in time
    sequence_anaphors: tuple[str, ...]  # [discourse] sequence_anaphors: "After that, ..."
    past_endings: tuple[str, ...] = ()  # [tense] past_endings: "retook", "overran"


@cache
def words() -> Words:
    with open(RESOURCES / "event_words.toml", "rb") as fh:
        data = tomllib.load(fh)
    return Words(
        reporting=frozenset(data["reporting"]["lemmas"]),
        plan=frozenset(data["plan"]["lemmas"]),
        future=frozenset(data["expected"]["future"]),
        hypothetical=frozenset(data["expected"]["hypothetical"]),
        states=frozenset(data["states"]["lemmas"]),
        comparison=frozenset(data["comparison"]["always"]),
        start_or_comparison=frozenset(data["comparison"]["start_or_comparison"]),
        frame_preps=frozenset(data["frame_preps"]["words"]),
        not_events=frozenset(data["not_events"]["lemmas"]),
        not_news=tuple(p.lower() for p in data["not_news"]["phrases"]),
        shift_openers=tuple(p.lower() for p in data["discourse"]["shift_openers"] + data["discourse"]["time_shift_openers"]),
        topic_openers=tuple(p.lower() for p in data["discourse"]["shift_openers"]),
        sequence_anaphors=tuple(p.lower() for p in data["discourse"]["sequence_anaphors"]),
        past_endings=tuple(data["tense"]["past_endings"]),
    )


def is_predicate(tok: "Token") -> bool:
    """Does ``tok`` head a clause (see the module docstring)?"""
    if tok.dep_ == "ROOT":
        return tok.pos_ in VERBAL or tok.pos_ in {"NOUN", "PROPN"}
    if tok.pos_ not in VERBAL or tok.dep_ not in CLAUSE_DEPS:
        return False
    if tok.dep_ == "conj":
        return is_predicate(tok.head)
    if tok.dep_ == "acl" and tok.tag_ == "VBG" and not any(c.dep_ in {"dobj", "prep"} for c in tok.children):
        return False  # "a growing market": an adjective-like participle
    return True


def clause_head(tok: "Token") -> "Token":
    """The clause predicate a token belongs to: walk up to the nearest predicate (or the root)."""
    cur = tok
    while not is_predicate(cur) and cur.head.i != cur.i:
        cur = cur.head
    return cur


def governor(pred: "Token") -> "Token | None":
    """The predicate a clause depends on (None for the sentence root)."""
    if pred.head.i == pred.i:
        return None
    return clause_head(pred.head)


def _acronym(tok: "Token") -> bool:
    """"IS seized Sirte": a capitalised auxiliary in a mixed-case sentence is a name, not a verb."""
    return len(tok.text) > 1 and tok.text.isupper() and not tok.sent.text.isupper()


def _aux(pred: "Token") -> list["Token"]:
    found = [c for c in pred.children if c.dep_ in {"aux", "auxpass"} and not _acronym(c)]
    if pred.dep_ == "conj" and not found and pred.tag_ in {"VBN", "VB", "VBG"}:
        found = [c for c in pred.head.children if c.dep_ in {"aux", "auxpass"}]  # "will open and run"
    return found


def tense_of(pred: "Token", *, headline: bool = False) -> Tense:
    """Tense/aspect of a predicate from its tag and auxiliaries."""
    w = words()
    aux = _aux(pred)
    lowered = [a.lower_ for a in aux]
    lemmas = [a.lemma_.lower() for a in aux]
    if any(a in w.future for a in lowered):
        return "future"
    if pred.tag_ == "VB" and any(a.lower_ == "to" for a in aux) and any(
        c.lower_ == "going" for c in pred.head.subtree if c.i < pred.i and c.i >= pred.head.i
    ):
        return "future"
    if "have" in lemmas and (pred.tag_ == "VBN" or any(a.tag_ == "VBN" for a in aux)):
        has = next(a for a in aux if a.lemma_.lower() == "have")
        return "past-perfect" if has.tag_ == "VBD" or has.lower_ in {"had", "'d"} else "present-perfect"
    if pred.pos_ not in VERBAL:
        return "none"
    tensed = [a for a in aux if a.tag_ in {"VBD", "VBZ", "VBP", "MD"}] or [pred]
    first = tensed[0]
    if first.tag_ == "VBD" or "Past" in first.morph.get("Tense") and first.tag_ != "VBN":
        return "past"
    if first is pred and first.tag_ in {"VBP", "VB"} and first.lower_.endswith(w.past_endings):
        return "past"  # an irregular past the tagger does not know: "Special forces retook the area"
    if first.tag_ in {"VBZ", "VBP"}:
        return "present"
    if first.tag_ == "VBN" and pred.dep_ in {"acl", "advcl"}:
        return "past"  # "figures released April 3", "the iPhone, launched in 2008"
    if first.tag_ == "VBN" and pred.dep_ == "ROOT":
        return "past"  # a headline or fragment: "Apple sued by Beatles label"
    if first.tag_ == "VBD" or first.tag_ == "VBN":
        return "past"
    if first is pred and pred.tag_ == "VB" and not aux and any(c.dep_ in {"nsubj", "nsubjpass"} for c in pred.children):
        # A bare form with a subject and no auxiliary is finite; the tagger gives unknown past forms
        # ("The army retook the port") VB. A form that differs from its lemma is a past.
        return "past" if pred.lower_ != pred.lemma_.lower() else "present"
    if headline and first.tag_ in {"VB", "VBG"}:
        return "present"
    return "none"


def modality_of(pred: "Token") -> Modality:
    w = words()
    if any(c.dep_ == "neg" for c in pred.children) or any(
        c.dep_ == "neg" for a in _aux(pred) for c in a.children
    ):
        return "negated"
    if any(a.lower_ in w.hypothetical for a in _aux(pred)):
        head = pred.head
        if pred.dep_ == "ccomp" and any(a.lower_ in {"would", "'d"} for a in _aux(pred)) \
                and head.lemma_.lower() in w.reporting and head.tag_ == "VBD":
            return "planned"  # "said a session would be held next week": the future of a past report
        return "hypothetical"
    cur = pred
    while cur.dep_ in {"xcomp", "ccomp"} and cur.head.i != cur.i:
        head = cur.head
        if cur.dep_ == "xcomp" and head.lemma_.lower() in w.plan:
            if head.lemma_.lower() == "expect" and head.tag_ == "VBN":
                return "expected"  # "is expected to"
            return "planned"
        if head.lemma_.lower() in {"likely", "due", "poised", "slated", "scheduled", "set"}:
            return "planned"
        cur = head
        if cur.dep_ != "xcomp":
            break
    if pred.dep_ == "xcomp":
        head = pred.head
        for c in head.children:  # "is due to arrive", "is set to launch": an adjective or participle head
            if c.dep_ in {"acomp", "attr"} and c.lemma_.lower() in {"due", "likely", "set", "poised", "scheduled"}:
                return "planned"
    return "asserted"


def event_class(pred: "Token", tense: Tense, modality: Modality) -> EventClass:
    w = words()
    lemma = pred.lemma_.lower()
    if pred.pos_ in VERBAL and lemma in w.reporting:
        return "reporting"
    if tense == "future" or modality in {"planned", "expected"}:
        return "plan"
    if pred.pos_ in VERBAL and tense == "present" and (lemma in w.states or pred.lemma_ == "be"):
        return "state"
    if tense == "present" and any(c.dep_ in {"acomp", "attr"} for c in pred.children):
        return "state"
    if tense == "present" and pred.tag_ == "VBG":
        return "state"  # "Western powers are backing the GNA": an ongoing activity, true at the reference date
    return "happening"


_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_OBJECTS = frozenset({"dobj", "attr", "oprd", "dative", "acomp"})


def _phrase(tok: "Token") -> str:
    """A noun phrase, short: the token's subtree when it is short, else its compounds and head."""
    sub = list(tok.subtree)
    if len(sub) <= 6:
        return " ".join(t.text for t in sub)
    keep = [t for t in tok.lefts if t.dep_ in {"compound", "amod", "poss", "det"}] + [tok]
    return " ".join(t.text for t in sorted(keep, key=lambda t: t.i))


def arguments(pred: "Token") -> tuple[str, str]:
    """(actor, object) of a predicate: its subject (or the passive's agent) and its object."""
    actor = obj = ""
    subject = next((c for c in pred.children if c.dep_ in _SUBJECTS), None)
    if subject is None and pred.dep_ == "conj":
        subject = next((c for c in pred.head.children if c.dep_ in _SUBJECTS), None)
    if subject is None and pred.dep_ in {"relcl", "acl"} and pred.head.pos_ in {"NOUN", "PROPN", "PRON"}:
        subject = pred.head
    agent = next((c for c in pred.children if c.dep_ == "agent"), None)
    if agent is not None:
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
        if pobj is not None:
            actor = _phrase(pobj)
            if subject is not None:
                obj = _phrase(subject)
    elif subject is not None and subject.lower_ not in {"which", "that", "who"}:
        actor = _phrase(subject)
    if pred.pos_ in {"NOUN", "PROPN"}:  # a noun event: "the toppling of Gaddafi"
        of = next((c for c in pred.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        poss = next((c for c in pred.children if c.dep_ == "poss"), None)
        return (_phrase(poss) if poss is not None else "", _phrase(pobj) if pobj is not None else "")
    if not obj:
        direct = next((c for c in pred.children if c.dep_ in _OBJECTS), None)
        if direct is not None:
            obj = _phrase(direct)
    return actor, obj


def attribution(pred: "Token") -> str:
    """Who says so: the subject of the nearest reporting predicate above (or at) this one."""
    w = words()
    cur: "Token | None" = pred
    while cur is not None:
        if cur.pos_ in VERBAL and cur.lemma_.lower() in w.reporting:
            actor, _ = arguments(cur)
            if actor:
                return actor
        # "according to X"
        for c in cur.children:
            if c.dep_ == "prep" and c.lower_ == "according":
                to = next((g for g in c.children if g.lower_ == "to"), None)
                pobj = next((g for g in (to.children if to is not None else []) if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return _phrase(pobj)
        cur = governor(cur)
    return ""


def clause_span(pred: "Token", sent: "SpacySpan") -> tuple[int, int]:
    """[start, end) token indices of a predicate's clause within its sentence (its subtree)."""
    if pred.dep_ == "ROOT":
        return sent.start, sent.end
    left, right = pred.left_edge.i, pred.right_edge.i + 1
    if pred.dep_ == "conj":  # "X rose and Y fell": the conjunct's subject is its own child
        left = min(left, pred.i)
    return max(left, sent.start), min(right, sent.end)


# ---- what the words are (for merging's evidence weights) -------------------------------------------

#: A word as merging compares them: two or more letters, or a number in digits ("29", "3.5").
WORD_PART = re.compile(r"[A-Za-z][A-Za-z]+|\d+(?:[.,]\d+)?")
_NAME_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"})


def word_kind(tok: "Token", part: str) -> WordKind:
    """What the word ``part`` of ``tok`` is: a nationality (NORP entity, whatever its tag: "American"
    qualifies, it does not name), a proper noun, a word of a named entity, a number in digits, a
    common noun or verb (content), else a modifier (adjective, adverb, spelled-out number ...)."""
    if tok.ent_type_ == "NORP":
        return "nationality"
    if tok.pos_ == "PROPN":
        return "proper"
    if tok.ent_type_ in _NAME_ENTITIES:
        return "entity"
    if part[0].isdigit():
        return "number"
    if tok.pos_ in ("NOUN", "VERB"):
        return "content"
    return "modifier"


def word_kinds(tokens: Iterable["Token"]) -> tuple[tuple[str, WordKind], ...]:
    """(lower-cased word, kind) for the ``WORD_PART`` words of ``tokens``, each pair once, in text order
    (``Event.word_kinds``): read here from the article's own parse so that merging, a cross-article
    stage, weighs shared words without parsing anything."""
    seen: dict[tuple[str, WordKind], None] = {}
    for tok in tokens:
        for part in WORD_PART.findall(tok.text):
            seen.setdefault((part.lower(), word_kind(tok, part)), None)
    return tuple(seen)
