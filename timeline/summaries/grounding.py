"""Grounding for the summary prompt: who did what to whom, according to whom, how sure.

A small model summarises better when it is told the structure it must keep. For each source sentence
this module reads the parse (``timeline.nlp``) for the main happening: its actor, action and object,
who says so (the reporting clause or "according to"), and the words that qualify it (negation,
attempt, plan or expectation, possibility, approximations such as "nearly" or "most", a running
total's "since"/"as of"). The prompt shows these as one line per sentence beside the sentences
themselves.

``Happening`` has the fields the anchoring stage's event records carry (``timeline.records.Event``:
actor, trigger, object, attribution, modality); ``from_event`` takes a record's fields, and the parse
only for the qualifier words the record does not keep ("nearly", "since August 1").
The word tables are the guard's (``resources/faithfulness.toml``): what the prompt asks the model to
keep is exactly what the guard checks.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from .. import faithfulness

if TYPE_CHECKING:
    from spacy.tokens import Token


@dataclass(frozen=True)
class Happening:
    """The structure of one sentence's main happening, as words of the sentence."""

    action: str
    actor: str = ""
    object: str = ""
    attribution: str = ""  # who says so ("the military", "Amaq news agency")
    modality: tuple[str, ...] = ()  # words that qualify it: "not", "trying to", "expected to", "nearly", "since August 1"
    status: str = ""  # the event record's modality when it is not a plain assertion: "planned", "negated", ...


def _phrase(token: "Token | None", limit: int = 8) -> str:
    if token is None:
        return ""
    drop = {g.i for t in token.subtree if t.dep_ in {"relcl", "acl", "appos", "advcl"} and t is not token
            for g in t.subtree}
    words = [t for t in sorted(token.subtree, key=lambda t: t.i) if t.i not in drop
             and not (t.is_punct and t.text not in {"-", "/", "'", "’"})]  # "Al-Qaidi" keeps its hyphen
    text = "".join(t.text_with_ws for t in words[:limit]).strip()
    return text + (" ..." if len(words) > limit else "")


def _qualifiers(sentence_tokens: Sequence["Token"], verb: "Token") -> tuple[str, ...]:
    rules = faithfulness.rules()["checks"]
    negation = set(rules["negation"]["words"])
    modality = rules["modality"]
    hedges = set(rules["hedge"]["approximators"]) | set(rules["hedge"]["quantifiers"])
    number_words = sorted(rules["number-qualifier"]["qualifiers"], key=len, reverse=True)
    totals = rules["running-total"]["markers"]
    found: list[str] = []

    def add(text: str) -> None:
        if text and text not in found:
            found.append(text)

    for t in sentence_tokens:
        lower, lemma = t.lower_, t.lemma_.lower()
        if t.dep_ == "neg" or lower in negation or lemma in negation:
            add(t.text + (" to" if any(c.dep_ == "xcomp" for c in t.children) else ""))
        elif lemma in modality["verbs"] and any(c.dep_ in {"xcomp", "ccomp"} for c in t.children):
            add(t.text + (" to" if any(c.dep_ == "xcomp" for c in t.children) else ""))
        elif t.dep_ == "aux" and lower in modality["modals"]:
            add(t.text)
        elif lower in modality["adverbs"] or lower in hedges and t.pos_ in {"ADV", "ADJ", "DET", "NOUN"}:
            add(t.text)
        elif lower in totals or any(f"{lower} {t.nbor(1).lower_}" == m for m in totals if t.i + 1 < len(t.doc)):
            span = [x.text for x in t.doc[t.i: t.i + 4] if not x.is_punct]
            add(" ".join(span))
        if t.like_num:
            text = " ".join(x.lower_ for x in t.doc[max(0, t.i - 3): t.i])
            for q in number_words:
                if text.endswith(q):
                    add(f"{q} {t.text}")
                    break
    return tuple(found[:5])


def happening(sentence: str) -> Happening:
    """The main happening of ``sentence`` read from its parse."""
    from .. import nlp

    doc = nlp.parse(sentence)
    reporting = set(faithfulness.rules()["checks"]["attribution"]["reporting_verbs"])
    sent = next(iter(doc.sents))
    root = sent.root
    attribution = ""
    verb = root
    if root.lemma_.lower() in reporting:
        claim = next((c for c in root.children if c.dep_ == "ccomp"), None)
        speaker = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if claim is not None:
            verb, attribution = claim, _phrase(speaker, 6)
    else:
        for c in root.children:
            if c.dep_ in {"parataxis", "ccomp"} and c.lemma_.lower() in reporting and c.i > root.i:
                speaker = next((g for g in c.children if g.dep_ in {"nsubj", "nsubjpass"}), None)
                attribution = _phrase(speaker, 6)
        for t in sent:
            if t.lower_ == "according" and t.dep_ == "prep":
                attribution = attribution or " ".join(x.text for x in t.subtree if not x.is_punct)[len("according to "):]
    actor = faithfulness.base._agent(verb)
    patient = faithfulness.base._patient(verb)
    action = " ".join(t.text for t in sorted([verb, *(c for c in verb.children if c.dep_ in {"prt", "neg", "aux", "auxpass"})],
                                             key=lambda t: t.i))
    return Happening(action=action, actor=_phrase(actor), object=_phrase(patient), attribution=attribution,
                     modality=_qualifiers(list(sent), verb))


def from_event(event, sentence: str | None = None) -> Happening:
    """The structure of an event record (``timeline.records.Event``): its actor, trigger, object,
    attribution and modality, with the qualifier words of its sentence read from the parse. A field
    the record leaves empty, or gives in other spacing than the sentence's, is taken from the parse."""
    text = sentence or event.sentence or event.text
    parsed = happening(text)
    status = event.modality if event.modality and event.modality != "asserted" else ""

    def words_of(phrase: str, fallback: str) -> str:
        # the record's phrase as the sentence writes it; a record joins its tokens with spaces
        # ("Ali Al - Qaidi"), which the model would copy: then the parse's phrase is shown
        return phrase if phrase and phrase in text else fallback

    return Happening(action=words_of(event.trigger, parsed.action), actor=words_of(event.actor, parsed.actor),
                     object=words_of(event.object, parsed.object),
                     attribution=words_of(event.attribution, parsed.attribution),
                     modality=parsed.modality, status=status)


def render(h: Happening) -> str:
    """One prompt line: "who: ... | did: ... | to/what: ... | says who: ... | keep: ..."."""
    parts = [f"who: {h.actor or '(not said)'}", f"did: {h.action}"]
    if h.object:
        parts.append(f"what: {h.object}")
    if h.attribution:
        parts.append(f"says who: {h.attribution}")
    if h.status:
        parts.append(f"status: {h.status}")
    if h.modality:
        parts.append("keep: " + ", ".join(f'"{m}"' for m in h.modality))
    return " | ".join(parts)


def facts_block(sentences: Iterable[str], happenings: Sequence[Happening] | None = None) -> str:
    """The prompt's structure lines, one per sentence ("- who: ... | did: ..."), from the parse or the
    given event records."""
    items = list(happenings) if happenings is not None else [happening(s) for s in sentences]
    return "\n".join(f"- {render(h)}" for h in items)
