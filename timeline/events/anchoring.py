"""Where a temporal expression attaches in the parse, and what it says about the predicate it reaches.

``attach`` walks the dependency path from an expression's head up to the nearest predicate
(``predicates.is_predicate``) or eventive noun, collecting the words it passes. ``relation`` then
reads that path:

* ``comparison-point:<word>`` — a comparison or reference point ("than", "compared to", "after",
  "before", "until"; "since"/"from" on a simple past): the expression dates no event (it may still
  date an eventive noun it reaches first: "after a loss yesterday" dates the loss);
* ``start`` — "since"/"from" on a perfect, present, progressive or future predicate: the start of
  the predicate's stretch ("has been closed since August 1");
* ``direct`` — anything else: the expression dates the predicate.

An eventive noun is a noun (not in ``[not_events]``) that the expression modifies directly
(compound, numeric modifier, possessive, "in"/"on" phrase): "the 2011 toppling", "its launch in
2003", "Monday's keynote". The noun's own clause predicate is dated through it only when the noun is
one of its arguments or sits in a framing phrase ("at the conference on Monday", "during the
keynote"); never through "since"/"after"/"before"/"from"/"compared to" ("since the 2011 toppling,
the chaos has fostered ..." does not date the fostering).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .predicates import VERBAL, is_predicate, words

if TYPE_CHECKING:
    from spacy.tokens import Token

_NOUN_MODIFIER_DEPS = frozenset({"compound", "nummod", "amod", "poss", "npadvmod", "nmod", "appos", "tmod"})
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd", "dative"})


@dataclass(frozen=True)
class Attachment:
    target: "Token"  # the predicate (verb or eventive noun) the expression reaches
    path: tuple[str, ...]  # lower-cased words passed between the expression and the target
    noun: bool  # the target is an eventive noun


def is_eventive_noun(tok: "Token") -> bool:
    return tok.pos_ in {"NOUN", "PROPN"} and tok.lemma_.lower() not in words().not_events and tok.ent_type_ not in {
        "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL"}


def attach(tokens: list["Token"]) -> Attachment | None:
    """Walk up from the expression made of ``tokens`` (see the module docstring)."""
    inside = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])
    adjacent = _adjacent_comparison_noun(tokens, root)
    if adjacent is not None:
        return adjacent
    path: list[str] = []
    cur = root
    for _ in range(40):  # parse trees are shallow; the bound only guards against a malformed tree
        head = cur.head
        if head.i == cur.i:
            return Attachment(cur, tuple(path), False) if cur.i not in inside else None
        if head.i in inside:
            cur = head
            continue
        if is_predicate(head) and head.pos_ in VERBAL:
            return Attachment(head, tuple(path), False)
        if head.pos_ in {"NOUN", "PROPN"} and is_eventive_noun(head) and (
            cur.dep_ in _NOUN_MODIFIER_DEPS or (cur.dep_ == "prep" and cur.lower_ in {"in", "on", "of", "at"})
        ):
            return Attachment(head, tuple(path), True)
        if is_predicate(head):  # a verbless root (headline, fragment)
            return Attachment(head, tuple(path), False)
        path.append(head.lower_ if head.pos_ != "VERB" else head.lemma_.lower())
        cur = head
    return None


def _adjacent_comparison_noun(tokens: list["Token"], root: "Token") -> Attachment | None:
    """"after a loss yesterday": a bare expression right after the object of a comparison preposition
    belongs to that object, whatever the parser attached it to."""
    if root.dep_ not in {"npadvmod", "tmod"} or tokens[0].i == 0:
        return None
    before = tokens[0].doc[tokens[0].i - 1]
    cur = before
    for _ in range(12):  # up through "the close of trading": the outermost object ending right here
        if cur.dep_ == "pobj" and cur.right_edge.i == before.i and _comparison_word((cur.head.lower_,)):
            return Attachment(cur, (), True) if is_eventive_noun(cur) else None
        if cur.head.i == cur.i or cur.head.i >= tokens[0].i or cur.head.right_edge.i != before.i:
            return None
        cur = cur.head
    return None


def _comparison_word(path) -> str | None:
    w = words()
    for word in path:
        if word in w.comparison or word in w.start_or_comparison:
            return word
    return None


def relation(att: Attachment, tense: str, progressive: bool) -> str:
    """``direct``, ``start`` or ``comparison-point:<word>`` (see the module docstring)."""
    w = words()
    for word in att.path:
        if word in w.comparison:
            return f"comparison-point:{word}"
        if word in w.start_or_comparison:
            if att.noun:
                return f"comparison-point:{word}"
            if tense in {"present-perfect", "past-perfect", "present", "future"} or progressive:
                return "start"
            return f"comparison-point:{word}"
    return "direct"


def frames(noun: "Token", *, prenominal: bool = False) -> "Token | None":
    """The predicate an eventive noun's date also dates: the noun is its argument or sits in a framing
    phrase ("at the conference on Monday"); None across a comparison word ("since the toppling").

    A date written before the noun ("violated the 1991 agreement") names which agreement, not when
    the violating happened: it dates the predicate only through a framing phrase ("in a July 16
    press conference, Jobs said"), never through an argument.
    """
    w = words()
    cur = noun
    for _ in range(8):
        if cur.dep_ in _ARGUMENT_DEPS and is_predicate(cur.head):
            return None if prenominal else cur.head
        if cur.dep_ == "pobj" and cur.head.pos_ == "ADP":
            prep = cur.head
            if prep.lower_ not in w.frame_preps:
                return None
            if is_predicate(prep.head) and prep.head.pos_ in VERBAL:
                return prep.head
            cur = prep.head
            continue
        if cur.dep_ in {"compound", "conj", "appos"}:
            cur = cur.head
            continue
        return None
    return None
