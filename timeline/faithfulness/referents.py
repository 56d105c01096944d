"""Checks on what a summary points to: no referent its reader has not been given (an unnamed "the
city", "there", a bare "the advance", "our forces", a sentence-initial pronoun), and no pronoun
resolved to someone the sources do not make it."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal, Sequence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

from .base import _agent, _is_content, _patient, _stem, rules
from .actions import _same_verbs


ReferentKind = Literal["place", "group", "happening", "person", "speaker"]



def unnamed_referents(doc: "Doc") -> list[tuple["Token", ReferentKind]]:
    """The words of ``doc`` that point to something it never names, with what kind of thing they
    stand for: an unnamed "the city" (``place``) or "the group" (``group``), "there" with no place
    before it (``place``), a bare "the advance" as the main clause's subject (``happening``: the event of an
    earlier sentence), a sentence-initial "he" or "they" (``person``), "our forces" (``speaker``).
    Quoted words are the quoted party's and are left alone. Used by the ``unintroduced-referent``
    check and by the summaries, which look the referent up in the article's earlier sentences."""
    rule = rules()["checks"]["unintroduced-referent"]
    generic = set(rule["generic_nouns"])
    places = set(rule["place_nouns"])
    happenings = set(rule["event_nouns"])
    quoted = [(m.start(), m.end()) for m in re.finditer(r"[\"“][^\"“”]*[\"”]", doc.text)]
    found: list[tuple["Token", ReferentKind]] = []
    for t in doc:
        if any(a <= t.idx < b for a, b in quoted):
            continue
        if t.lower_ in rule["first_person"] and (t.text == "I" or not t.text.isupper()):  # not "US"
            found.append((t, "speaker"))
            continue
        if t.lower_ in rule["place_adverbs"] and t.dep_ == "advmod" and not any(
                u.ent_type_ in {"GPE", "LOC", "FAC"} for u in doc[: t.i]):
            found.append((t, "place"))  # not the expletive "there were" (dep expl)
            continue
        definite = t.pos_ == "NOUN" and any(c.lower_ in {"the", "this", "that"} for c in t.children if c.dep_ == "det")
        if definite and t.lemma_.lower() in happenings and t.dep_ in {"nsubj", "nsubjpass"} and t.head.dep_ == "ROOT" and \
                all(c.dep_ == "det" for c in t.children) and \
                not any(_stem(u) == _stem(t) or u.lemma_.lower() == t.lemma_.lower() for u in doc[: t.i]):
            found.append((t, "happening"))  # "The advance came as ...": which advance?
            continue
        if definite and t.lemma_.lower() in generic:
            named = any(c.pos_ == "PROPN" or c.ent_type_ for c in t.subtree if c is not t)
            named = named or t.dep_ == "appos" or any(c.dep_ == "appos" for c in t.children)
            named = named or t.head.pos_ == "PROPN" and t.dep_ in {"appos", "compound"}
            # "... advance of Islamic State ..., besieging the militants": a name of that kind given earlier
            kinds = {"GPE", "LOC", "FAC"} if t.lemma_.lower() in places else {"ORG", "NORP", "GPE"}
            named = named or any(u.pos_ == "PROPN" and u.ent_type_ in kinds and not (
                t.lemma_.lower() in places and u.dep_ in {"poss", "compound"}) for u in doc[: t.i])
            if not named:
                found.append((t, "place" if t.lemma_.lower() in places else "group"))
                continue
        if t.lower_ in rule["third_person"] and t.pos_ == "PRON" and not any(
                u.pos_ in {"NOUN", "PROPN"} for u in doc[: t.i]):
            found.append((t, "person"))
    return found



def _unintroduced_referent(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    rule = rules()["checks"]["unintroduced-referent"]
    found = []
    for t, kind in unnamed_referents(summary):
        if kind == "speaker":
            found.append(f"'{t.text}': whose?")
        elif kind == "person":
            found.append(f"'{t.text}': who?")
        elif t.lower_ in rule["place_adverbs"]:
            found.append(f"'{t.text}': where?")
        else:
            found.append(f"'the {t.text}': which?")
    # a bare surname: a one-word name the sources introduce with a first name or a title
    titles = set(rule["titles"])
    introduced: dict[str, str] = {}
    for doc in sources:
        for u in doc:
            if u.pos_ == "PROPN" and u.is_title and u.i > 0:
                before = doc[u.i - 1]
                if (before.pos_ == "PROPN" and before.is_title and before.dep_ == "compound") or \
                        before.lower_.strip(".") in titles:
                    introduced.setdefault(u.text, f"{before.text} {u.text}")
    for t in summary:
        if t.text not in introduced or t.ent_type_ in {"GPE", "NORP", "LOC", "FAC", "DATE"}:
            continue
        before = summary[t.i - 1] if t.i > 0 else None
        if before is not None and (before.pos_ == "PROPN" or before.lower_.strip(".") in titles):
            continue
        if t.i + 1 < len(summary) and summary[t.i + 1].pos_ == "PROPN" and summary[t.i + 1].is_title:
            continue  # the first name of another person ("Khalifa Haftar")
        found.append(f"'{t.text}': the sources introduce '{introduced[t.text]}'")
    return found



def _resolved_pronoun(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    """A source pronoun argument given a name the source does not give it before the pronoun."""
    pronouns = set(rules()["checks"]["resolved-pronoun"]["pronouns"])
    position = {id(d): i for i, d in enumerate(sources)}
    found = []
    for verb in summary:
        if verb.pos_ != "VERB":
            continue
        for src in _same_verbs(verb, sources):
            doc = src.doc
            earlier = {_stem(t) for d in sources[:position[id(doc)]] for t in d}
            for role in (_patient, _agent):
                mine, theirs = role(verb), role(src)
                if mine is None or theirs is None or theirs.lower_ not in pronouns:
                    continue
                if not _is_content(mine) or mine.pos_ not in {"NOUN", "PROPN"}:
                    continue
                before = {_stem(t) for t in doc[src.sent.start:theirs.i]}
                if _stem(mine) not in before and _stem(mine) not in earlier:
                    found.append(f"'{mine.text}' stands for the source's '{theirs.text}' ('{src.text} "
                                 f"{theirs.text}'), which the source does not say is the {mine.text}")
            if found:
                return found
    return found

