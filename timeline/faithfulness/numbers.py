"""Checks on numbers: every number is in the sources (``names-and-numbers``), keeps its qualifier
("more than 20"), the noun and role it has there ("more than 20 loyalists died", not "killing more
than 20 fighters"), its count (``dropped-count``), and, for a running total, its "as of" date
(``running-total``; ``stretch-total`` for an entry dated where the stretch began)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

from .base import _agent, _clause_verb, _is_content, _noun_of_number, _number_value, _phrase_in, _stem, _stems, rules


def _names_and_numbers(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    from ..summaries import unsupported_tokens

    return [f"not in the sources: {t}" for t in unsupported_tokens(summary.text, [s.text for s in sources])]



def _numbers(doc: "Doc") -> list[tuple[str, "Token"]]:
    out = []
    for t in doc:
        if t.pos_ == "NUM" or t.like_num:
            value = _number_value(t)
            if value is not None and not (t.ent_type_ in {"DATE", "TIME"}):
                out.append((value, t))
    return out



def _qualifier(token: "Token") -> str | None:
    """The direction ('lower', 'upper', 'approx') of the words right before a number, else None."""
    table = rules()["checks"]["number-qualifier"]["qualifiers"]
    doc = token.doc
    start = token.i
    while start > 0 and ((doc[start - 1].dep_ in {"compound", "nummod"} and doc[start - 1].like_num)
                         or doc[start - 1].text in {"$", "£", "€", "¥", "US", "US$"}):
        start -= 1  # "around $9.99", "more than US$ 20"
    for phrase, direction in sorted(table.items(), key=lambda kv: -len(kv[0])):
        if _phrase_in(doc, phrase, start):
            return direction
    return None



def _number_qualifier(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    found = []
    source_numbers = [(v, t) for doc in sources for v, t in _numbers(doc)]
    for value, token in _numbers(summary):
        wanted = {_qualifier(t) for v, t in source_numbers if v == value}
        if not wanted or None in wanted:
            continue  # the sources give it bare at least once
        have = _qualifier(token)
        if have not in wanted:
            found.append(f"{token.text}: the sources qualify it ({', '.join(sorted(w for w in wanted if w))})")
    return found



def _counted(noun: "Token") -> bool:
    """Is a plural noun given a count or an amount ("two diplomats", "several diplomats")?"""
    amounts = set(rules()["checks"]["dropped-count"]["amount_words"])
    return any(c.dep_ == "nummod" or (c.dep_ in {"det", "amod", "quantmod"} and c.lower_ in amounts)
               for c in noun.children)



def _dropped_count(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    """A plural noun the sources always count ("including two Serbian diplomats") named in the
    summary without any count ("including Serbian diplomats"): how many is part of the fact."""
    always: dict[str, bool] = {}
    for doc in sources:
        for t in doc:
            if t.tag_ == "NNS" and t.is_alpha:
                key = t.lemma_.lower()
                always[key] = always.get(key, True) and _counted(t)
    found = []
    for t in summary:
        key = t.lemma_.lower()
        if t.tag_ == "NNS" and always.get(key) and not _counted(t):
            found.append(f"'{t.text}': the sources say how many")
    return found



def _identity_words(noun: "Token") -> set[str]:
    deps = set(rules()["checks"]["number-role"]["identity_deps"])
    words = {_stem(c) for c in noun.children if c.dep_ in deps and c.is_alpha and not c.like_num}
    for c in noun.children:  # "four of the fighters", "fighters loyal to Fajr Libya"
        if c.dep_ in {"prep", "amod"} and c.lower_ in {"of", "loyal"}:
            words |= {_stem(g) for g in c.subtree if g is not c and _is_content(g)}
    return words



def _role(number: "Token") -> tuple[str, "Token | None", "Token"]:
    """(role, agent, verb) of the thing a number counts: 'agent', 'patient' or 'other'."""
    noun = _noun_of_number(number)
    verb = _clause_verb(noun)
    harm = set(rules()["checks"]["number-role"]["harm_verbs"])
    if noun.dep_ in {"nsubj"} and verb.lemma_ in harm and not any(c.dep_ == "dobj" for c in verb.children):
        return "patient", None, verb  # "20 fighters died", "70 wounded"
    if noun.dep_ in {"nsubjpass"} or (noun is verb.head and verb.dep_ in {"acl"}) or noun.dep_ == "dobj":
        return "patient", _agent(verb), verb
    if noun.dep_ in {"nsubj", "agent"}:
        return "agent", None, verb
    return "other", None, verb



def _number_role(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    found = []
    harm = set(rules()["checks"]["number-role"]["harm_verbs"])
    source_numbers = [(v, t) for doc in sources for v, t in _numbers(doc)]
    for value, token in _numbers(summary):
        matches = [t for v, t in source_numbers if v == value]
        if not matches:
            continue
        noun = _noun_of_number(token)
        role, agent, verb = _role(token)
        ok = False
        reasons = []
        for src in matches:
            s_noun = _noun_of_number(src)
            s_role, s_agent, s_verb = _role(src)
            lost = _identity_words(s_noun) - _identity_words(noun) - _stems(summary)
            if lost:
                reasons.append(f"'{token.text} {noun.text}' drops whose they are ({', '.join(sorted(lost))})")
                continue
            if verb.lemma_ in harm and role == "patient" and agent is not None and s_agent is None:
                agent_stem = _stem(agent)
                if agent_stem not in _stems(src.doc):
                    reasons.append(f"'{token.text} {noun.text}' become victims of '{agent.text}'")
                    continue
                if s_role == "patient" and s_verb.lemma_ in harm:
                    reasons.append(f"'{token.text} {noun.text}' become victims of '{agent.text}', "
                                   "the source names no one who killed them")
                    continue
            if {role, s_role} == {"agent", "patient"} and verb.lemma_ in harm | {s_verb.lemma_}:
                reasons.append(f"'{token.text} {noun.text}': {s_role} in the source, {role} in the summary")
                continue
            ok = True
            break
        if not ok and reasons:
            found.append(reasons[0])
    return found



def _total_marker(token: "Token") -> bool:
    markers = rules()["checks"]["running-total"]["markers"]
    verb = _clause_verb(_noun_of_number(token))
    clause = set(verb.subtree)
    text = " " + " ".join(t.lower_ for t in sorted(clause, key=lambda t: t.i)) + " "
    return any(f" {m} " in text for m in markers)



def _running_total(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    markers = rules()["checks"]["running-total"]["markers"]
    text = " " + " ".join(t.lower_ for t in summary) + " "
    has_marker = any(f" {m} " in text for m in markers)
    found = []
    for value, token in _numbers(summary):
        for doc in sources:
            for v, src in _numbers(doc):
                if v == value and _total_marker(src) and not has_marker:
                    found.append(f"'{token.text} {_noun_of_number(token).text}' is a running total in the "
                                 "source ('since' / 'as of'), shown without its date")
                    break
            else:
                continue
            break
    return found



def running_totals(doc: "Doc") -> list["Token"]:
    """The numbers of ``doc`` that count up to its report's time: each whose clause says since when
    or as of when ("36" in "have carried out 36 strikes over Sirte since August 1"); words of
    [checks.running-total] markers."""
    return [token for _, token in _numbers(doc) if _total_marker(token)]



def _stretch_total(summary: "Doc", stretch_sources: Sequence["Doc"]) -> list[str]:
    """stretch-total: a number of the summary that is a running total of a sentence the entry dates
    at the start of its stretch."""
    totals = {_number_value(t) for doc in stretch_sources for t in running_totals(doc)}
    return [f"'{token.text} {_noun_of_number(token).text}' is the total counted since the entry's date, "
            "as of the report; the entry is the day it began"
            for value, token in _numbers(summary) if value in totals][:1]

