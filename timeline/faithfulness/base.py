"""What every check of the guard shares: its rules (``resources/faithfulness.toml``), the
``Finding`` it returns, and small helpers over spaCy tokens (lemma stems, content words, a clause's
verb, its subject, agent and patient, the noun a number counts), and whole-word matching of phrases."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    from spacy.tokens import Token


RESOURCES = Path(__file__).resolve().parents[1] / "resources"



@dataclass(frozen=True)
class Finding:
    """One check that fired: its name (as in faithfulness.toml) and what it saw."""

    check: str
    detail: str

    def __str__(self) -> str:
        return f"{self.check}: {self.detail}"



@cache
def rules() -> dict:
    with open(RESOURCES / "faithfulness.toml", "rb") as fh:
        return tomllib.load(fh)



def check_names() -> tuple[str, ...]:
    """The checks in the order they run."""
    return tuple(rules()["checks"])



def hint(check: str) -> str:
    """What the retry prompt tells the model after ``check`` fired."""
    return rules()["checks"][check]["hint"]



def _stem(token_or_text) -> str:
    lemma = (token_or_text if isinstance(token_or_text, str) else token_or_text.lemma_).lower()
    return lemma[:5] if len(lemma) > 5 else lemma



def _is_content(token: "Token") -> bool:
    return token.pos_ in {"NOUN", "PROPN", "VERB", "ADJ", "NUM"} and not token.is_stop and token.is_alpha



def _stems(tokens: Iterable["Token"]) -> set[str]:
    return {_stem(t) for t in tokens if _is_content(t)}



def _number_value(token: "Token") -> str | None:
    from ..summaries import _number_value as value  # the guard's one number table

    return value(token.text.replace(",", "")) if token.like_num or token.text.isdigit() else value(token.text)



def _phrase_in(tokens: Sequence["Token"], phrase: str, before: int) -> bool:
    """``phrase`` (words) ends right before token index ``before`` within ``tokens`` (a doc)."""
    words = phrase.split()
    start = before - len(words)
    if start < 0:
        return False
    return [t.lower_ for t in tokens[start:before]] == words



def _clause_verb(token: "Token") -> "Token":
    """The verb (or the root) governing ``token``."""
    head = token
    while head.pos_ not in {"VERB", "AUX"} and head.head.i != head.i:
        head = head.head
    return head



def _passive(verb: "Token") -> bool:
    """Is ``verb`` told of the one acted on: a passive, a participle modifying a noun, or an
    absolute construction ("with one commander killed and four soldiers wounded")?"""
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in {"acl", "amod"}) or _absolute(verb)


def _absolute(verb: "Token") -> bool:
    head = verb
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    return (verb.tag_ in {"VBD", "VBN"} and head.dep_ == "pcomp" and head.head.lower_ in rules()["checks"]["invented-agent"]["absolute_preps"]
            and not any(c.dep_ in {"aux", "dobj", "obj"} for c in verb.children))



def _subject(verb: "Token") -> "Token | None":
    for c in verb.children:
        if c.dep_ in {"nsubj", "csubj"}:
            return c
    if verb.dep_ in {"advcl", "xcomp", "conj"} and verb.tag_ in {"VBG", "VB", "VBD", "VBZ", "VBP"}:
        return _subject(verb.head) if verb.head.i != verb.i else None
    return None



def _agent(verb: "Token") -> "Token | None":
    """Who does it: the subject of an active verb, the "by" phrase of a passive one."""
    if _passive(verb):
        for c in verb.children:
            if c.dep_ == "agent":
                return next((g for g in c.children if g.dep_ == "pobj"), None)
        return None
    return _subject(verb)



def _patient(verb: "Token") -> "Token | None":
    for c in verb.children:
        if c.dep_ in ({"nsubjpass"} if _passive(verb) else {"dobj"}):
            return c
    if _passive(verb) and verb.dep_ in {"acl", "amod"}:
        return verb.head
    return None



def _noun_of_number(token: "Token") -> "Token":
    """The noun a number counts ("20" in "more than 20 loyalist fighters" -> "fighters")."""
    head = token
    while head.dep_ in {"nummod", "quantmod", "compound"} and head.head.i != head.i:
        head = head.head
    return head



def _attributes(token: "Token") -> bool:
    """``token`` says whose a claim is: a reporting verb, or a word such as "according" or "statement"."""
    rule = rules()["checks"]["attribution"]
    lemma = token.lemma_.lower()
    return (token.pos_ == "VERB" and lemma in rule["keep"]) or token.lower_ in rule["keep_words"] or lemma in rule["keep_words"]



def _whole_words(phrase: str) -> "re.Pattern[str]":
    """``phrase`` (lower case) as whole words."""
    return re.compile(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)")



def mentioned(text: str, phrases: Iterable[str]) -> list[str]:
    """The ``phrases`` that occur in ``text`` as whole words (case and spacing aside), each once."""
    flat = " ".join(text.split()).lower()
    return [phrase for phrase in dict.fromkeys(" ".join(p.split()) for p in phrases)
            if phrase and _whole_words(phrase).search(flat)]

