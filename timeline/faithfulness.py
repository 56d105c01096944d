"""The meaning guard: does a summary say what its source sentences say?

The names-and-numbers guard (``timeline.summaries.unsupported_tokens``) checks that every name and
number of a summary occurs in its sources. The errors a reader finds are about meaning, which that
does not see: "more than 20 loyalist fighters have died" summarised as "Loyalists seized the port,
killing more than 20 fighters"; "trying to establish its authority" as "establishing its authority";
"the military said" dropped; "the apostates" adopted. This module parses the summary and its sources
with the shared text layer (``timeline.nlp``) and runs named checks over both parses:

``hygiene``, ``names-and-numbers``, ``number-role``, ``number-qualifier``, ``hedge``, ``modality``,
``negation``, ``attribution``, ``own-voice-label``, ``running-total``, ``unintroduced-referent``,
``actor-object``, ``shifted-argument``, ``resolved-pronoun``, ``no-main-verb``, ``invented-participant``,
``unsupported-action``, ``date-binding``, ``misattributed-detail`` (and ``dropped-count``,
``double-attribution``, ``invented-speaker``, ``invented-agent``; the checks that need the entry's
records are in ``CONTEXT_CHECKS``). ``unnamed_referents`` finds the words that point to what a text
never names ("the city", "there", a bare "the advance"); the summaries look those up in the article.

Every check, its example and its word tables are data (``resources/faithfulness.toml``); a check that
fires returns a ``Finding`` with its name and what it saw, and the summarizer records the names in
the entry's provenance. Checks compare what the summary *keeps*: a hedge on a clause the summary
leaves out is not required (omission is allowed, misstatement is not). Matching is by lemma stems
(the first five letters of a lemma), so "threats" matches "threatened" and "impediments" "impeded";
where a check asks whether the sources state an action at all, a small table of general English
paraphrases ("back" / "support", "set up" / "establish") stands in for a thesaurus.

``compress`` is the extractive fallback: a source sentence with its non-restrictive clauses removed
via the parse (relative clauses, appositions, adverbial participles set off by commas), never
rewritten, so attribution, negation, hedges and numbers' qualifiers stay as they were.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Literal, Sequence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

RESOURCES = Path(__file__).with_name("resources")


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


# --------------------------------------------------------------------------------------------------
# small helpers over spaCy tokens


def _stem(token_or_text) -> str:
    lemma = (token_or_text if isinstance(token_or_text, str) else token_or_text.lemma_).lower()
    return lemma[:5] if len(lemma) > 5 else lemma


def _is_content(token: "Token") -> bool:
    return token.pos_ in {"NOUN", "PROPN", "VERB", "ADJ", "NUM"} and not token.is_stop and token.is_alpha


def _stems(tokens: Iterable["Token"]) -> set[str]:
    return {_stem(t) for t in tokens if _is_content(t)}


def _number_value(token: "Token") -> str | None:
    from .summaries import _number_value as value  # the guard's one number table

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
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in {"acl", "amod"})


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


# --------------------------------------------------------------------------------------------------
# the checks: each takes (summary doc, source docs) and returns details of what fired


def _hygiene(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    found = []
    for name, pattern in rules()["checks"]["hygiene"]["patterns"].items():
        m = re.search(pattern, summary.text)
        if m:
            found.append(f"{name}: {m.group(0).strip()!r}")
    return found


def _names_and_numbers(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    from .summaries import unsupported_tokens

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


def _scope(marker: "Token") -> set["Token"]:
    """The content words a hedge, modal or negation bears on."""
    head = marker.head
    scope: set["Token"] = set()
    if marker.pos_ in {"VERB", "AUX"} and marker.dep_ not in {"aux", "auxpass"}:
        scope |= {c for c in marker.children if c.dep_ in {"xcomp", "ccomp"}}
    else:
        scope.add(head)
        if head.pos_ in {"ADJ", "ADV"}:
            scope.add(head.head)
        if head.dep_ in {"pobj"}:
            scope.add(head.head.head)
        scope |= {c for c in head.children if c.dep_ in {"xcomp", "ccomp", "csubj", "csubjpass"}}
        if marker.dep_ in {"pobj", "nsubj", "dobj", "nsubjpass"}:  # "most of the city"
            scope |= {g for c in marker.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"}
    return {t for t in scope if t is not marker}


def _kept(scope: set["Token"], summary_stems: set[str]) -> bool:
    """The summary keeps what ``scope`` says: its verb and, when it has them, one of its arguments."""
    verbs = [t for t in scope if t.pos_ in {"VERB", "AUX"}]
    others = [t for t in scope if t.pos_ not in {"VERB", "AUX"} and _is_content(t)]
    if verbs:
        for verb in verbs:
            arguments = [c for c in verb.children
                         if c.dep_ in {"dobj", "nsubj", "nsubjpass", "attr", "acomp", "pobj"} and _is_content(c)]
            arguments += [g for c in verb.children if c.dep_ == "prep" for g in c.children
                          if g.dep_ == "pobj" and _is_content(g)]
            if verb.is_stop or not _is_content(verb):  # a copula: what it joins must be kept
                if sum(_stem(a) in summary_stems for a in arguments) >= min(2, len(arguments)) > 0:
                    return True
                continue
            if _stem(verb) not in summary_stems:
                continue
            if arguments:
                if any(_stem(a) in summary_stems for a in arguments):
                    return True
                continue
            # no content arguments (a pronoun subject): the rest of its clause must be kept too
            clause = {_stem(t) for t in verb.subtree if _is_content(t) and t is not verb}
            if not clause or len(clause & summary_stems) >= max(1, len(clause) // 2):
                return True
        return False
    return any(_stem(t) in summary_stems for t in others)


def _marker_check(summary: "Doc", sources: Sequence["Doc"], markers: Callable[["Token"], bool],
                  keep: Callable[["Token"], bool], what: str) -> list[str]:
    summary_stems = _stems(summary)
    if any(keep(t) for t in summary):
        return []
    for doc in sources:
        for t in doc:
            if markers(t) and _kept(_scope(t), summary_stems):
                return [f"'{t.text}' ({what}) on '{' '.join(x.text for x in sorted(_scope(t), key=lambda x: x.i))}' is dropped"]
    return []


def _hedge(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    rule = rules()["checks"]["hedge"]
    words = set(rule["approximators"]) | set(rule["quantifiers"])

    quantifiers = set(rule["quantifiers"])

    def is_marker(t: "Token") -> bool:
        if t.lower_ not in words or t.like_num:
            return False
        nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
        if nxt is not None and (nxt.like_num or nxt.lower_ in {"than", "to"}):
            return False  # a number's qualifier: number-qualifier's business
        if t.lower_ in quantifiers:
            # "some residents celebrated", "control of most of the city": a quantifier on who or what the
            # happening is about; not one in a circumstance ("on the facades of some buildings",
            # "over the past few weeks")
            if any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children):
                return True  # a partitive: "most of the city", "parts of Benghazi"
            noun = t if t.pos_ in {"NOUN", "PRON", "ADJ"} and t.dep_ != "amod" and t.dep_ != "det" else t.head
            core = {"nsubj", "nsubjpass", "dobj", "attr"}
            if noun.dep_ in core:
                return True
            return noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.dep_ in core | {"pobj"} \
                and noun.head.head.lemma_.lower() in {"control", "most", "part", "parts", "much", "all", "half"}
        return True

    return _marker_check(summary, sources, is_marker, lambda t: t.lower_ in words, "hedge")


def _modality(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    rule = rules()["checks"]["modality"]
    verbs, nouns, modals, adverbs = (set(rule[k]) for k in ("verbs", "nouns", "modals", "adverbs"))
    keep = set(rule["keep"])

    def for_pobj(t: "Token") -> list["Token"]:  # "scheduled for public release", "due for delivery"
        return [g for c in t.children if c.dep_ == "prep" and c.lower_ == "for" for g in c.children if g.dep_ == "pobj"]

    def is_marker(t: "Token") -> bool:
        if t.lemma_.lower() in verbs and t.pos_ in {"VERB", "ADJ", "AUX"}:
            return any(c.dep_ in {"xcomp", "ccomp"} for c in t.children) or bool(for_pobj(t))
        if t.lower_ in modals and t.dep_ == "aux":
            return True
        if t.lower_ in adverbs:
            return True
        if t.lemma_.lower() in nouns and t.pos_ == "NOUN":
            return any(c.dep_ in {"acl", "relcl"} for c in t.children)
        return False

    def keeps(t: "Token") -> bool:
        return t.pos_ != "PROPN" and (t.lemma_.lower() in keep or t.lower_ in keep or t.lower_ == "'ll")

    def scope_of(t: "Token") -> set["Token"]:
        if t.lemma_.lower() in nouns:
            return {c for c in t.children if c.dep_ in {"acl", "relcl"}}
        return _scope(t) | set(for_pobj(t))

    summary_stems = _stems(summary)
    if any(keeps(t) for t in summary):
        return []
    for doc in sources:
        for t in doc:
            if is_marker(t) and _kept(scope_of(t), summary_stems):
                return [f"'{t.text}' on '{' '.join(x.text for x in sorted(scope_of(t), key=lambda x: x.i))}' is dropped"]
    return []


def _negation(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    words = set(rules()["checks"]["negation"]["words"])

    def is_marker(t: "Token") -> bool:
        return t.lower_ in words or t.lemma_.lower() in words or t.dep_ == "neg"

    return _marker_check(summary, sources, is_marker, is_marker, "negation")


def _claims(doc: "Doc") -> list[tuple["Token", "Token", list["Token"]]]:
    """(reporting verb, claim verb, speaker tokens) of every reported claim in ``doc``."""
    verbs = set(rules()["checks"]["attribution"]["reporting_verbs"])
    out = []
    for t in doc:
        if t.lemma_.lower() in verbs and t.pos_ == "VERB":
            speaker = next((c for c in t.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            claim = next((c for c in t.children if c.dep_ in {"ccomp"}), None)
            if claim is None and t.dep_ in {"parataxis", "ccomp"} and t.head.i != t.i and t.head.pos_ in {"VERB", "AUX"}:
                claim = t.head  # "IS fighters retreated ..., military forces said, ..."
            if claim is None and t.dep_ == "ROOT":  # a quoted claim: '"...," he said.'
                claim = next((c for c in t.children if c.dep_ in {"ccomp", "dobj"} and c.i < t.i), None)
            if claim is not None and speaker is not None:
                out.append((t, claim, list(speaker.subtree)))
        if t.lower_ == "according" and t.dep_ == "prep":
            pobj = [g for c in t.children for g in c.subtree if g.pos_ in {"NOUN", "PROPN"}]
            if pobj:
                out.append((t, t.head, pobj))
    return out


def _neutral(speaker: list["Token"]) -> bool:
    rule = rules()["checks"]["attribution"]
    words = {t.lemma_.lower() for t in speaker} | {t.lower_ for t in speaker}
    return bool(words & set(rule["neutral_speakers"])) and not words & set(rule["party_speakers"])


def _own_decision(claim: "Token", speaker: list["Token"]) -> bool:
    """A party announcing its own decision ("Italy said it had given permission", "Jobs announced that
    the price of Apple's iPhone will be cut"): the announcement is the decision."""
    verbs = set(rules()["checks"]["attribution"]["decision_verbs"])
    if claim.lemma_.lower() not in verbs:
        return False
    doer = _agent(claim) if not _passive(claim) else _patient(claim)
    if doer is None:
        return False
    if doer.lower_ in {"it", "they", "we", "he", "she", "i"} and not _passive(claim):
        return True
    speaker_stems = {_stem(t) for t in speaker if _is_content(t)}
    return bool({_stem(t) for t in doer.subtree if t.pos_ == "PROPN"} & speaker_stems)


def _claim_kept(claim: "Token", reporting: "Token", summary: "Doc") -> bool:
    summary_stems = _stems(summary)
    threshold = rules()["checks"]["attribution"]["overlap"]
    aside = {g.i for t in claim.subtree if t.dep_ in {"relcl", "appos"} and t is not claim for g in t.subtree}
    words = [t for t in claim.subtree if _is_content(t) and t is not reporting and t.i not in aside and t.i not in
             {s.i for s in reporting.subtree if s not in set(claim.subtree)}]
    stems = {_stem(t) for t in words}
    if not stems:
        return False
    share = len(stems & summary_stems) / len(stems)
    said = {_stem(w) for w in _paraphrases(claim.lemma_.lower())}
    if share >= threshold and (said & summary_stems or not _is_content(claim)):
        return True  # the summary repeats the claim, its action included
    # the summary has the claim's verb with one of the claim's arguments as its own argument
    arguments = {_stem(c) for c in claim.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"} and _is_content(c)}
    for t in summary:
        if _stem(t) in said:
            around = {_stem(g) for c in t.children for g in c.subtree if _is_content(g)}
            if t.dep_ in {"amod", "acl", "relcl"}:
                around.add(_stem(t.head))  # "the city seized by ...": the noun is the verb's argument
            if arguments & around:
                return True
    return False


def _attribution(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    if any(_attributes(t) for t in summary):
        return []
    for doc in sources:
        for reporting, claim, speaker in _claims(doc):
            if _neutral(speaker) or _own_decision(claim, speaker):
                continue
            if _claim_kept(claim, reporting, summary):
                who = " ".join(t.text for t in speaker)
                return [f"the claim '{claim.text} ...' is {who}'s ('{reporting.text}'), the summary states it as fact"]
    return []


def _double_attribution(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    """A reporting verb set as a trailing frame ("..., military forces said") under another
    ("The military said ..."): two speakers for one claim. Not flagged where a source has the same
    shape."""
    verbs = set(rules()["checks"]["attribution"]["reporting_verbs"])

    def doubled(doc: "Doc") -> list["Token"]:
        # a trailing frame ("..., officials said"): its subject opens after a comma, nothing it
        # reports comes after it, and a reporting verb before it already frames the sentence
        out = []
        for t in doc:
            subject = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if t.lemma_.lower() not in verbs or subject is None or subject.i > t.i or subject.left_edge.i == 0:
                continue
            if doc[subject.left_edge.i - 1].text != "," or any(c.dep_ in {"ccomp", "xcomp"} and c.i > t.i
                                                               for c in t.children):
                continue
            if any(a.lemma_.lower() in verbs and a.i < subject.left_edge.i for a in t.ancestors):
                out.append(t)
        return out

    if any(doubled(doc) for doc in sources):
        return []
    return [f"'{t.text}' under another reporting verb" for t in doubled(summary)]


def _invented_speaker(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    """The summary makes someone say what no source has them say ("Extremists said fighters battled
    IS extremists", where the mayor said so and the extremists are the ones fought)."""
    pronouns = set(rules()["checks"]["invented-speaker"]["pronouns"])

    def phrase(reporting: "Token", claim: "Token", speaker: list["Token"]) -> list["Token"]:
        # a speaker told after its claim is the phrase right before the verb ("..., the city's mayor
        # Hussein al-Dawadi said"): the parse may hang the sentence's last object onto it
        if claim.i > reporting.i:
            return speaker
        cuts = [i for i, t in enumerate(speaker) if t.text in {",", ";", "(", "—", "–"}]
        return speaker[cuts[-1] + 1:] if cuts else speaker

    said_by: set[str] = set()
    for doc in sources:
        for reporting, claim, speaker in _claims(doc):
            said_by |= _stems(phrase(reporting, claim, speaker))
    found = []
    for reporting, claim, speaker in _claims(summary):
        if reporting.lower_ == "according":
            continue
        speaker = phrase(reporting, claim, speaker)
        stems = _stems(speaker)
        if not stems or any(t.lower_ in pronouns for t in speaker):
            continue
        if not stems & said_by:
            who = " ".join(t.text for t in speaker)
            found.append(f"'{who} {reporting.text}': no source has {who} say it")
    return found


def _invented_agent(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    """The summary names a doer the sources never give: "four of the fighters were killed" (no "by")
    summarised as "Fajr Libya fighters killed IS fighters"."""
    pronouns = set(rules()["checks"]["invented-agent"]["pronouns"])
    with_doer, without = set(), set()
    for doc in sources:
        for t in doc:
            if t.pos_ != "VERB":
                continue
            if _agent(t) is not None:
                with_doer.add(t.lemma_.lower())
            elif _passive(t):
                without.add(t.lemma_.lower())
    found = []
    for t in summary:
        lemma = t.lemma_.lower()
        if t.pos_ != "VERB" or _passive(t) or lemma not in without or lemma in with_doer:
            continue
        doer = _subject(t)
        if doer is not None and doer.lower_ not in pronouns:
            found.append(f"'{doer.text} {t.text}': the sources say who was {t.text}, not who did it")
    return found


def _quoted_stems(doc: "Doc") -> set[str]:
    """Stems of the words a source puts in short quotation marks (at most four words: "resting",
    "totally liberated"): a party's own wording; long quotations are statements, left to attribution."""
    text = doc.text
    spans = [(m.start(), m.end()) for m in re.finditer(r"[\"“][^\"“”]{2,}[\"”]", text)
             if len(m.group(0).split()) <= 4]
    return {_stem(t) for t in doc if _is_content(t) and any(a < t.idx < b for a, b in spans)}


def _own_voice_label(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    rule = rules()["checks"]["own-voice-label"]
    labels = set(rule["labels"])
    attributing = set(rule["attributing"])
    quoted_in_sources = set().union(*(_quoted_stems(d) for d in sources)) if sources else set()
    quoted_here = re.compile(r"[\"“][^\"“”]*[\"”]")
    spans = [(m.start(), m.end()) for m in quoted_here.finditer(summary.text)]
    found = []
    for t in summary:
        if any(a <= t.idx < b for a, b in spans):
            continue
        is_label = t.lower_ in labels or t.lemma_.lower() in labels
        if not is_label:
            continue
        governed = any(a.lemma_.lower() in attributing for a in t.ancestors) or any(
            w.lemma_.lower() in attributing for w in summary)
        if not governed:
            found.append(f"'{t.text}' is a party's word, used unquoted")
    # words the sources only give in quotation marks and that the summary adopts unattributed
    if quoted_in_sources and not any(w.lemma_.lower() in attributing for w in summary):
        plain_in_sources = set()
        for doc in sources:
            plain = re.sub(r"[\"“][^\"“”]*[\"”]", " ", doc.text)
            plain_in_sources |= {_stem(w) for w in re.findall(r"[A-Za-z]+", plain) if len(w) > 3}
        for t in summary:
            if (_is_content(t) and t.pos_ != "PROPN" and not any(a <= t.idx < b for a, b in spans)
                    and _stem(t) in quoted_in_sources and _stem(t) not in plain_in_sources):
                found.append(f"'{t.text}' is quoted in the sources, adopted here")
                break
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


def _main_actions(doc: "Doc") -> list["Token"]:
    """The happening verbs of a doc: the root, or the claim under a reporting root."""
    verbs = set(rules()["checks"]["attribution"]["reporting_verbs"])
    out = []
    for sent in doc.sents:
        root = sent.root
        out.append(root)
        if root.lemma_.lower() in verbs:
            out.extend(c for c in root.children if c.dep_ in {"ccomp"})
    return [v for v in out if v.pos_ in {"VERB", "AUX"}]


def _same_verbs(verb: "Token", sources: Sequence["Doc"]) -> list["Token"]:
    """The source verbs with the summary verb's stem ("retreated" / "retreat")."""
    return [t for doc in sources for t in doc if t.pos_ == "VERB" and _stem(t) == _stem(verb)]


def _actor_object(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    contrary = {frozenset(p) for p in rules()["checks"]["actor-object"]["contrary_prepositions"]}
    found = []
    for verb in _main_actions(summary):
        actor, patient = _agent(verb), _patient(verb)
        for src in _same_verbs(verb, sources):
            s_actor, s_patient = _agent(src), _patient(src)
            if actor is not None and s_patient is not None and _is_content(actor) and _is_content(s_patient) \
                    and _stem(actor) == _stem(s_patient) and not (s_actor is not None and _stem(s_actor) == _stem(actor)):
                found.append(f"'{actor.text}' acts in the summary, is acted on in the source ('{src.text}')")
                break
            if patient is not None and s_actor is not None and _is_content(patient) and _is_content(s_actor) \
                    and _stem(patient) == _stem(s_actor) and not (s_patient is not None and _stem(s_patient) == _stem(patient)):
                found.append(f"'{patient.text}' is acted on in the summary, acts in the source ('{src.text}')")
                break
            # someone else acts: the summary's actor is in the source clause, but not as its actor
            if actor is not None and s_actor is not None and _is_content(actor) and _is_content(s_actor) \
                    and actor.pos_ in {"NOUN", "PROPN"} and s_actor.pos_ in {"NOUN", "PROPN"}:
                s_actor_stems = {_stem(g) for g in s_actor.subtree}
                elsewhere = {_stem(g) for g in src.subtree if g not in set(s_actor.subtree)}
                if _stem(actor) not in s_actor_stems and _stem(actor) in elsewhere and \
                        not ({_stem(g) for g in actor.subtree if _is_content(g)} & s_actor_stems):
                    found.append(f"'{actor.text}' {verb.text} in the summary; in the source '{s_actor.text}' does")
                    break
            # the object was only a place or a companion in the source
            if patient is not None and patient.pos_ == "PROPN" and s_patient is not None \
                    and _stem(s_patient) != _stem(patient):
                obliques = {_stem(g) for c in src.children if c.dep_ == "prep"
                            for g in c.subtree if g.dep_ == "pobj"}
                if _stem(patient) in obliques and _stem(patient) not in {_stem(g) for g in s_patient.subtree}:
                    found.append(f"'{patient.text}' is the object in the summary, only a circumstance in the source")
                    break
            # opposite directions on the same verb with the same place
            preps = {(c.lower_, _stem(g)) for c in verb.children if c.dep_ == "prep" for g in c.subtree if g.dep_ == "pobj"}
            s_preps = {(c.lower_, _stem(g)) for c in src.children if c.dep_ == "prep" for g in c.subtree
                       if g.pos_ in {"PROPN", "NOUN"}}
            clash = [(p, q, w) for p, w in preps for q, x in s_preps if x == w and frozenset((p, q)) in contrary]
            if clash:
                p, q, w = clash[0]
                found.append(f"'{verb.text} {p} ...' where the source says '{src.text} {q} ...'")
                break
    return found


def _conjuncts(head: "Token") -> list["Token"]:
    """The nouns conjoined to ``head`` ("port and three army bases, as well as ..."), after it."""
    out, todo = [], [head]
    while todo:
        cur = todo.pop()
        for c in cur.children:
            if c.dep_ == "conj" and c.pos_ in {"NOUN", "PROPN"}:
                out.append(c)
                todo.append(c)
    return sorted(out, key=lambda t: t.i)


def _inside_modifier(word: "Token", head: "Token", parts: set[str]) -> bool:
    """Is ``word`` (in ``head``'s subtree) a place the phrase headed by ``head`` only locates?

    True when the path up from ``word`` to ``head`` passes a preposition other than "of" ("positions
    around the city of Derna"), or "of" under a part noun ("the outskirts of Derna"); False for an
    apposition or a name phrase ("the capital, Tripoli", "the city of Benghazi").
    """
    cur = word
    while cur.i != head.i and cur.head.i != cur.i:
        up = cur.head
        if up.dep_ == "prep" or up.pos_ == "ADP":
            if up.lower_ != "of" or up.head.lemma_.lower() in parts or up.head.lower_ in parts:
                return True
        cur = up
    return False


def _shifted_argument(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    """An object the source verb does not have, or a place lifted out of a locating modifier."""
    parts = set(rules()["checks"]["shifted-argument"]["part_nouns"])
    found = []
    for verb in summary:
        if verb.pos_ != "VERB":
            continue
        same = _same_verbs(verb, sources)
        if not same:
            continue
        patient = _patient(verb)
        if patient is not None and not _passive(verb):
            s_objects = [_patient(s) for s in same if _patient(s) is not None and not _passive(s)]
            if s_objects:
                # the parse of a list varies between the two texts: an added object is one that
                # the source verb's sentence does not mention at all
                s_stems = {_stem(g) for s in same for g in s.sent}
                extra = [c for c in _conjuncts(patient) if _is_content(c) and _stem(c) not in s_stems]
                if extra:
                    found.append(f"'{extra[0].text}' is {verb.text} in the summary; the sources' "
                                 f"'{same[0].text}' sentences do not mention it")
                    continue
        lifted = next(filter(None, (_lifted_place(verb, prep, same, parts)
                                    for prep in verb.children if prep.dep_ == "prep")), None)
        if lifted:
            found.append(lifted)
    if not found:
        found.extend(_moved_places(summary, sources)[:1])
    return found


def _place_holder(place: "Token") -> "Token | None":
    """The noun a place name locates in its sentence: up through "of" ("the city of Sirte") and a
    participle ("drones based in Jordan") to the noun the place phrase modifies; None when the
    place phrase hangs off a verb (it locates the action)."""
    cur = place
    for _ in range(8):
        if cur.dep_ != "pobj" or cur.head.dep_ != "prep":
            return None
        prep, head = cur.head, cur.head.head
        if head.pos_ in {"NOUN", "PROPN"} and prep.lower_ == "of":
            cur = head  # "the city of Sirte": the city is the place
            continue
        if head.pos_ == "VERB" and head.tag_ in {"VBN", "VBG"} and head.dep_ == "acl":
            return head.head if head.head.pos_ in {"NOUN", "PROPN"} else None  # "drones based in Jordan"
        return head if head.pos_ in {"NOUN", "PROPN"} else None
    return None


def _moved_places(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    """A place the sources give to one thing ("drones based in Jordan") that the summary, which
    leaves that thing out, gives to another ("the militias in Jordan")."""
    told = _stems(summary)
    found = []
    for t in summary:
        if t.dep_ != "pobj" or t.ent_type_ not in {"GPE", "LOC", "FAC"} or t.head.dep_ != "prep":
            continue
        holders = [_place_holder(u) for doc in sources for u in doc if u.lower_ == t.lower_]
        if not holders or any(h is None or _stem(h) in told for h in holders):
            continue
        said = _stem(t.head.head)  # the summary's holder; fine when the source's is inside its phrase
        if any(said in {_stem(a) for a in h.ancestors} for h in holders):
            continue  # "drone strikes against IS in Libya" told as "drone strikes in Libya"
        found.append(f"'{t.head.head.text} {t.head.text} {t.text}': in the sources '{t.text}' is where "
                     f"'{holders[0].text}' {'are' if holders[0].tag_ == 'NNS' else 'is'}, which the summary leaves out")
    return found


def _lifted_place(verb: "Token", prep: "Token", same: Sequence["Token"], parts: set[str]) -> str | None:
    """``verb prep Name`` where a source verb has ``prep <noun> ... Name`` with the name only inside
    the noun's locating modifier ("retreated from positions around the city of Derna")."""
    obj = next((g for g in prep.children if g.dep_ == "pobj"), None)
    if obj is None or obj.pos_ != "PROPN":
        return None
    for src in same:
        s_prep = next((c for c in src.children if c.dep_ == "prep" and c.lower_ == prep.lower_), None)
        s_obj = next((g for g in s_prep.children if g.dep_ == "pobj"), None) if s_prep is not None else None
        if s_obj is None or _stem(s_obj) == _stem(obj) or s_obj.pos_ != "NOUN":
            continue
        inner = [g for g in s_obj.subtree if g.i != s_obj.i and _stem(g) == _stem(obj)]
        if inner and all(_inside_modifier(g, s_obj, parts) for g in inner):
            return (f"'{verb.text} {prep.text} {obj.text}' where the source says "
                    f"'{src.text} {s_prep.text} {s_obj.text} ... {inner[0].text}'")
    return None


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


def _invented_participant(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    """A doer, or the subject of a passive, a common noun that no source word (or a derived form, or
    a listed paraphrase) names. Names and numbers are the names-and-numbers check's."""
    general = set(rules()["checks"]["invented-participant"]["general"])
    source_words = _source_words(sources)
    found = []
    for verb in summary:
        if verb.pos_ != "VERB":
            continue
        # the doer, and the subject of a passive (an object of an active verb is often a paraphrase:
        # "regain control of", "compared the power output")
        roles = [("doer", _agent(verb))] + ([("subject", _patient(verb))] if _passive(verb) else [])
        for role, who in roles:
            if who is None or who.pos_ != "NOUN" or not who.is_alpha or who.lemma_.lower() in general:
                continue
            if _supported(who.lemma_.lower(), source_words, False) or who.lower_ in source_words:
                continue
            found.append(f"'{who.text}' ({role} of '{verb.text}') is named by no source")
    return list(dict.fromkeys(found))


def _no_main_verb(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    rule = rules()["checks"]["no-main-verb"]
    finite = set(rule["finite_tags"])

    def verbless(sent: "Span") -> bool:
        return sent.root.pos_ not in {"VERB", "AUX"} and not any(t.tag_ in finite for t in sent)

    source_sents = [s for d in sources for s in d.sents]
    # a word the sources use as a finite verb is read as one ("Members of a brigade fight against
    # ...": the tagger takes "fight" for a noun in the short summary, a verb in the source)
    finite_words = {t.text for d in sources for t in d if t.tag_ in finite and t.pos_ in {"VERB", "AUX"} and t.text.islower()}
    found = []
    for sent in summary.sents:
        words = [t for t in sent if t.is_alpha]
        if len(words) < rule["min_words"] or not verbless(sent) or any(t.text in finite_words for t in words):
            continue
        # the sentence it comes from is verbless too (a headline, a caption the tagger misreads):
        # the summary keeps the source's form
        mine = {_stem(t) for t in sent if _is_content(t)}
        closest = max(source_sents, key=lambda s: len(mine & {_stem(t) for t in s if _is_content(t)}), default=None)
        if closest is None or verbless(closest):
            continue
        found.append(f"no main verb: {sent.text.strip()[:60]!r}")
    time_preps, complements = set(rule["copula_time_preps"]), set(rule["copula_complements"])
    for sent in summary.sents:
        root = sent.root
        if root.lemma_.lower() != "be" or any(c.dep_ in complements for c in root.children):
            continue
        preps = [c for c in root.children if c.dep_ == "prep"]

        def adjunct(prep: "Token") -> bool:  # a time, or an absolute 'with X doing' clause
            return prep.lower_ in time_preps or (prep.lower_ == "with" and any(
                c.dep_ == "pcomp" or (c.dep_ == "pobj" and any(g.dep_ == "acl" for g in c.children))
                for c in prep.children))

        if any(p.lower_ in time_preps for p in preps) and all(adjunct(p) for p in preps):
            found.append(f"'{root.text}' has no complement: {sent.text.strip()[:60]!r}")
    return found


def _phrasal(token: "Token") -> str:
    """The lemma with its particle ("set up", "pull out"), lower case."""
    particle = next((c.lower_ for c in token.children if c.dep_ == "prt"), None)
    lemma = token.lemma_.lower()
    return f"{lemma} {particle}" if particle else lemma


def _verbs_of_noun(noun: str) -> set[str]:
    """The verbs a noun whose ending changes is made from (``unsupported-action.nominal_endings``):
    "invasion" -> "invade"; empty for other words (their first letters already match the verb's)."""
    out = set()
    for ending, verb_ending in rules()["checks"]["unsupported-action"]["nominal_endings"]:
        if noun.endswith(ending) and len(noun) > len(ending) + 2:
            out.add(noun[: -len(ending)] + verb_ending)
    return out


def _source_words(sources: Sequence["Doc"]) -> set[str]:
    """Every lemma, word and phrasal verb of the sources, lower case, and the verbs their nouns are
    made from ("invasion": "invade")."""
    words: set[str] = set()
    for doc in sources:
        for t in doc:
            words |= {t.lemma_.lower(), t.lower_, _phrasal(t)}
            if t.pos_ == "NOUN":
                words |= _verbs_of_noun(t.lemma_.lower())
    return words


def _paraphrases(word: str) -> set[str]:
    """``word`` and the words the paraphrase groups of faithfulness.toml give for it."""
    out = {word}
    for group in rules()["checks"]["unsupported-action"]["paraphrases"]:
        if word in group:
            out |= set(group)
    return out


def _supported(word: str, source_words: set[str], negated: bool) -> bool:
    """``word`` (a lemma) occurs in the sources: itself, a derived form (the same first letters), a
    paraphrase, or, for an "un-" adjective, its base under a negation ("unconfirmed": "could not be
    confirmed")."""
    n = rules()["checks"]["unsupported-action"]["prefix"]
    for w in _paraphrases(word):
        if w in source_words:
            return True
        if len(w) >= n and " " not in w and any(s[:n] == w[:n] and len(s) >= n for s in source_words):
            return True
    if negated and word.startswith("un") and len(word) > n + 2:
        return _supported(word[2:], source_words, False)
    return False


def _action_words(verb: "Token") -> list["Token"]:
    """What says what happened in a clause: the verb, or after a light verb the words it joins."""
    light = set(rules()["checks"]["unsupported-action"]["light_verbs"])
    if verb.lemma_.lower() not in light:
        return [verb]
    complements = [c for c in verb.children if c.dep_ in {"dobj", "attr", "acomp", "oprd", "xcomp"}]
    complements += [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "about" for g in c.children
                    if g.dep_ == "pobj"]  # "The story is about ...": what it is about
    words = [c for c in complements if _is_content(c) and c.pos_ != "PROPN" and not c.like_num]
    # "... is about a team who discovered a glitch": the happening is in the clause on the complement
    for c in complements:
        for clause in c.children:
            if clause.dep_ in {"relcl", "acl"} and clause.pos_ in {"VERB", "AUX"}:
                words.extend(_action_words(clause))
    return words


def _unsupported_action(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    words = _source_words(sources)
    negation = set(rules()["checks"]["negation"]["words"])
    negated = any(t.lower_ in negation or t.dep_ == "neg" for doc in sources for t in doc)
    actions = []
    for verb in _main_actions(summary):
        actions.append(verb)
        actions.extend(c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB")
    found = []
    for verb in actions:
        for word in _action_words(verb):
            if not _supported(_phrasal(word), words, negated) and not _supported(word.lower_, words, negated):
                found.append(f"'{word.text}' is not what the sources say happened")
    return found


def _date_binding(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    reporting = set(rules()["checks"]["attribution"]["reporting_verbs"])

    def dates(doc: "Doc") -> list[tuple[str, "Token"]]:
        return [(ent.text.lower().removeprefix("the "), _clause_verb(ent.root)) for ent in doc.ents
                if ent.label_ == "DATE"]

    found = []
    source_dates = [d for doc in sources for d in dates(doc)]
    for text, verb in dates(summary):
        if verb.pos_ not in {"VERB"}:
            continue
        bound = [v for t, v in source_dates if t == text]
        if not bound or any(v.pos_ != "VERB" or v.lemma_.lower() in reporting for v in bound):
            continue  # a date the sources give to what was said is the report's date: no binding to check
        stems = {_stem(w) for v in bound for w in _paraphrases(v.lemma_.lower())}
        # the clause the date is in, and the clause above it ("plans to launch in June")
        stems |= {_stem(c) for v in bound for c in (v.head if v.head.pos_ == "VERB" else v).subtree
                  if c.pos_ in {"VERB", "NOUN"}}
        stems |= {_stem(w) for v in bound for c in (v.head if v.head.pos_ == "VERB" else v).subtree
                  if c.pos_ == "NOUN" for w in _verbs_of_noun(c.lemma_.lower())}
        if not {_stem(w) for w in _paraphrases(verb.lemma_.lower())} & stems:
            found.append(f"'{text}' dates '{verb.text}' in the summary, '{bound[0].text}' in the sources")
    return found


def _misattributed_detail(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    """A party's statement holds only what its own sentence says: a participle phrase joined to a
    reported statement ("The Pentagon announced an air campaign ..., using US drones based in
    Jordan") whose words are not in the sentence that tells the statement, but are all in another
    source sentence, puts that other report into the party's mouth."""
    if len(sources) < 2:
        return []
    verbs = set(rules()["checks"]["attribution"]["reporting_verbs"])
    content = [_stems(d) for d in sources]
    found = []
    for sent in summary.sents:
        root = sent.root
        if root.lemma_.lower() not in verbs:
            continue
        actor = _agent(root)
        homes = [i for i, d in enumerate(sources) if any(_stem(t) == _stem(root) for t in d)
                 and (actor is None or not _is_content(actor) or _stem(actor) in content[i])]
        if len(homes) != 1:
            continue  # no one sentence tells the statement (or several do): nothing to compare with
        home = content[homes[0]]
        for t in root.subtree:
            if t.dep_ not in {"advcl", "acl"} or t.tag_ not in {"VBG", "VBN"} or t.i == root.i:
                continue
            extra = _stems(t.subtree) - home
            if extra and any(extra <= content[i] for i in range(len(sources)) if i != homes[0]):
                phrase = summary[t.left_edge.i: t.right_edge.i + 1].text
                found.append(f"'{phrase}' is not in what '{root.text}' reports; another source sentence says it")
                break
    return found


CHECKS: dict[str, Callable[["Doc", Sequence["Doc"]], list[str]]] = {
    "hygiene": _hygiene,
    "names-and-numbers": _names_and_numbers,
    "number-role": _number_role,
    "number-qualifier": _number_qualifier,
    "dropped-count": _dropped_count,
    "hedge": _hedge,
    "modality": _modality,
    "negation": _negation,
    "attribution": _attribution,
    "double-attribution": _double_attribution,
    "invented-speaker": _invented_speaker,
    "invented-agent": _invented_agent,
    "own-voice-label": _own_voice_label,
    "running-total": _running_total,
    "unintroduced-referent": _unintroduced_referent,
    "actor-object": _actor_object,
    "shifted-argument": _shifted_argument,
    "resolved-pronoun": _resolved_pronoun,
    "no-main-verb": _no_main_verb,
    "invented-participant": _invented_participant,
    "unsupported-action": _unsupported_action,
    "date-binding": _date_binding,
    "misattributed-detail": _misattributed_detail,
}

#: Checks that need more than the texts: what the caller knows of the entry (``check``'s keywords).
CONTEXT_CHECKS = ("other-date", "other-frame", "headline-claim", "stretch-total")


@dataclass(frozen=True)
class Roles:
    """Who did what to whom in a source sentence, as its event record (``timeline.records.Event``:
    actor, trigger, object) or the prompt's grounding line gives it."""

    actor: str
    action: str
    object: str


def _words(text: str) -> set[str]:
    return {_stem(w.lower()) for w in re.findall(r"[A-Za-z][\w-]+", text) if len(w) > 2}


def _against_roles(summary: "Doc", roles: Sequence[Roles]) -> list[str]:
    """actor-object against the sources' records: the summary's actor of an action is not the
    record's object of it, nor its object the record's actor."""
    found = []
    verbs = [v for m in _main_actions(summary) for v in (m, *(c for c in m.children if c.dep_ == "conj"))]
    for verb in verbs:
        said = {_stem(w) for w in _paraphrases(verb.lemma_.lower())}
        actor, patient = _agent(verb), _patient(verb)
        for r in roles:
            if not r.action or not ({_stem(w) for w in r.action.lower().split()} & said):
                continue
            by, on = _words(r.actor), _words(r.object)
            if actor is not None and _is_content(actor) and _stem(actor) in on - by:
                found.append(f"'{actor.text}' {verb.text} in the summary; the source's record has it as "
                             f"the object of '{r.action}' (actor: '{r.actor or '(none)'}')")
                break
            if patient is not None and _is_content(patient) and _stem(patient) in by - on:
                found.append(f"'{patient.text}' is acted on in the summary; the source's record has it as "
                             f"the actor of '{r.action}'")
                break
    return found


def check(summary: str, sources: Sequence[str], *, skip: Iterable[str] = (),
          cache_dir: Path | None = None, roles: Sequence[Roles] = (),
          other_dates: Sequence[str] = (), other_actions: Sequence[str] = (),
          own_actions: Sequence[str] = (), claimed_by: Sequence[str] = (),
          stretch_sources: Sequence[str] = ()) -> list[Finding]:
    """Every check of faithfulness.toml that fires on ``summary`` against ``sources`` (empty: faithful).

    ``skip`` names checks not to run (e.g. ``names-and-numbers`` when the caller runs it itself).
    ``roles`` (the sources' event records, when the caller has them) give ``actor-object`` the
    sources' actor and object of each action as the anchoring stage read them, besides the parse.
    ``other_dates`` are the temporal expressions the sources give to other events than the one
    summarised, outside its date (``other-date``: none of them may be stated in the summary);
    ``other_actions`` the verbs of what the sentences say holds at their report's time, for an entry
    of an earlier period (``other-frame``: none of them may be the summary's, and one of
    ``own_actions``, the triggers of the clauses that date the entry, or its verb, must be told);
    ``claimed_by`` who the article's body says claims what its headline states (``headline-claim``:
    the summary then says who claims it, with a reporting verb or "according to");
    ``stretch_sources`` the sentences the entry is dated at the start of the stretch they report
    ("... 36 strikes since August 1", for the 1 August entry: ``stretch-total``, none of their
    running totals may be stated).
    """
    from . import nlp

    missing = set(rules()["checks"]) ^ (set(CHECKS) | set(CONTEXT_CHECKS))
    if missing:
        raise RuntimeError(f"faithfulness.toml and the guard disagree on checks: {sorted(missing)}")
    skip = set(skip)
    docs = nlp.parse_many([summary, *sources, *stretch_sources], cache_dir=cache_dir)
    docs, stretch_docs = docs[:1 + len(sources)], docs[1 + len(sources):]
    found: list[Finding] = []
    for name, run in CHECKS.items():
        if name in skip:
            continue
        found.extend(Finding(name, detail) for detail in run(docs[0], docs[1:]))
    if roles and "actor-object" not in skip and not any(f.check == "actor-object" for f in found):
        found.extend(Finding("actor-object", detail) for detail in _against_roles(docs[0], roles))
    if "other-date" not in skip:
        found.extend(Finding("other-date", f"states {phrase!r}, the time of another event of the sentence")
                     for phrase in mentioned(summary, other_dates))
    if "other-frame" not in skip:
        found.extend(Finding("other-frame", f"tells {word!r}, what the sentence says holds at its report's time, "
                                            "not what happened at the entry's date")
                     for word in mentioned(summary, other_actions))
        told = _source_words(docs[:1]) if own_actions else set()
        if own_actions and not any(_supported(w, told, False) for a in own_actions
                                   for w in {a.lower(), *_verbs_of_noun(a.lower())}):
            found.append(Finding("other-frame", f"does not tell {own_actions[0]!r}, the happening of the entry's date"))
    if stretch_sources and "stretch-total" not in skip:
        found.extend(Finding("stretch-total", detail) for detail in _stretch_total(docs[0], stretch_docs))
    if claimed_by and "headline-claim" not in skip:
        reporting = set(rules()["checks"]["attribution"]["reporting_verbs"])
        if not any(t.lemma_.lower() in reporting for t in docs[0]) and "according to" not in summary.lower():
            found.append(Finding("headline-claim", f"states as fact what the article tells as the claim of "
                                                   f"{claimed_by[0]!r}"))
    return found


def _whole_words(phrase: str) -> "re.Pattern[str]":
    """``phrase`` (lower case) as whole words."""
    return re.compile(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)")


def mentioned(text: str, phrases: Iterable[str]) -> list[str]:
    """The ``phrases`` that occur in ``text`` as whole words (case and spacing aside), each once."""
    flat = " ".join(text.split()).lower()
    return [phrase for phrase in dict.fromkeys(" ".join(p.split()) for p in phrases)
            if phrase and _whole_words(phrase).search(flat)]


# --------------------------------------------------------------------------------------------------
# the extractive fallback


_REMOVABLE = {"relcl", "appos", "advcl", "acl", "parataxis"}


def compress(sentence: str, *, max_words: int = 32, cache_dir: Path | None = None) -> str:
    """``sentence`` with non-restrictive clauses removed until it has at most ``max_words`` words.

    Removed, side remarks first (relative clauses, appositions, participial phrases), then adverbial
    clauses, which often carry a consequence ("..., killing more than 40 people"): a clause set off by a comma (so
    restrictive ones, which change what a noun refers to, stay), never a clause holding the
    sentence's reporting verb, a negation, a modal or a number's qualifier. The words kept are the
    source's own, in its order; only the spacing around removed stretches is tidied.
    """
    from . import nlp

    doc = nlp.parse(sentence, cache_dir=cache_dir)
    words = [t for t in doc if not t.is_punct]
    if len(words) <= max_words:
        return _tidy(sentence)
    speech = set(rules()["checks"]["attribution"]["reporting_verbs"])
    protected = set(rules()["checks"]["negation"]["words"]) | set(rules()["checks"]["modality"]["modals"])
    candidates = []
    for t in doc:
        if t.dep_ not in _REMOVABLE or t.head.i == t.i:
            continue
        span = sorted(t.subtree, key=lambda x: x.i)
        first, last = span[0].i, span[-1].i
        before = doc[first - 1] if first > 0 else None
        if before is None or before.text not in {",", "(", "--", "-", "—", "–"}:
            continue  # restrictive, or sentence-initial
        if any(x.lemma_.lower() in speech and x.pos_ == "VERB" for x in span) or any(
                x.lower_ in protected for x in span):
            continue
        after = next((x for x in doc[last + 1:] if not x.is_punct), None)
        if after is not None and after.lemma_.lower() in speech and after.pos_ == "VERB":
            continue  # the clause is (part of) a speaker: "..., the city's mayor Hussein al-Dawadi said"
        candidates.append((first - 1, last, len(span), t))
    removed: set[int] = set()
    for start, end, _, clause in sorted(candidates, key=lambda c: (c[3].dep_ == "advcl", -c[2])):
        if len([t for t in doc if not t.is_punct and t.i not in removed]) <= max_words:
            break
        if any(i in removed for i in range(start, end + 1)):
            continue
        stop = end + 1
        # a clause set off on both sides: the closing comma goes too ("Haftar, who led the battle,
        # issued ..." -> "Haftar issued ..."), unless what follows is a tail of its own that takes a
        # comma: a reporting clause, a conjunction, a participle ("..., a senior official said")
        if stop + 1 < len(doc) and doc[stop].text in {",", ")", "--", "—", "–"}:
            nxt = doc[stop + 1]
            tail = list(doc[stop + 1:])
            stop_at = next((k for k, x in enumerate(tail) if x.is_punct), len(tail))
            reports = any(x.lemma_.lower() in speech and x.pos_ == "VERB" for x in tail[:stop_at])
            if not (reports or nxt.pos_ in {"CCONJ", "SCONJ"} or nxt.tag_ == "VBG"):
                stop += 1
        removed |= set(range(start, stop))
    if not removed:
        return _tidy(sentence)
    return _kept_text(doc, removed)


#: Clauses that may go when they carry another event's time: a coordinated clause ("... in 2015
#: and forces launched an operation to retake it in June"), an adverbial or a loose one. A reported
#: clause (``ccomp``) is what the sentence says, so it stays.
_DETACHABLE = {"conj", "advcl", "parataxis"}


def without_clauses_of(sentence: str, phrases: Sequence[str], *, cache_dir: Path | None = None) -> str:
    """``sentence`` without each clause that carries one of ``phrases`` (times of other events, see
    ``summaries.other_dates``): the clause directly under the sentence's root on the way from the
    phrase up, when it is a coordinated, adverbial or loose clause, with the conjunction or comma that
    joins it. The words kept are the source's own, in its order. Unchanged when no phrase occurs
    or its clause cannot go (the phrase dates the main clause, or a reported one)."""
    from . import nlp

    found = mentioned(sentence, phrases)
    if not found:
        return sentence
    doc = nlp.parse(sentence, cache_dir=cache_dir)
    removed: set[int] = set()
    flat = sentence.lower()
    for phrase in found:
        for match in _whole_words(phrase).finditer(flat):
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is None:
                continue
            path = [span.root, *span.root.ancestors]
            if len(path) < 2:
                continue
            clause = path[-2]
            if clause.dep_ in _DETACHABLE and clause.pos_ in {"VERB", "AUX"}:
                words = sorted(clause.subtree, key=lambda t: t.i)
                first, last = words[0].i, words[-1].i
            else:
                tail = _coordinated_tail(doc, span)
                if tail is None:
                    continue
                first, last = tail
            while first > 0 and (doc[first - 1].dep_ == "cc" or doc[first - 1].text in {",", ";", "--", "—", "–"}):
                first -= 1
            if first == 0 and last + 1 < len(doc) and doc[last + 1].text == ",":
                last += 1  # a leading clause goes with the comma after it
            removed |= set(range(first, last + 1))
    if not removed or all(t.i in removed for t in doc if not t.is_punct):
        return sentence
    return _kept_text(doc, removed)


_FINITE = {"VBD", "VBZ", "VBP", "MD"}


def _coordinated_tail(doc: "Doc", span: "Span") -> tuple[int, int] | None:
    """The token range of a clause joined by "and" / "but" that carries ``span``, read from the
    surface where the parse did not make it a conjunct (the small model misparses sentences such as
    "IS seized Sirte in 2015 and forces launched an operation to retake it in June", taking the
    all-caps "IS" for a verb): the nearest coordinating conjunction before ``span`` that is followed
    by a subject and a finite verb before it, and preceded by a verb of its own, up to the next
    comma, semicolon or the end. None when there is no such conjunction."""
    for c in range(span.start - 1, 0, -1):
        token = doc[c]
        if token.text in {";", ":", "—", "–", "--"} or token.dep_ == "mark":
            return None  # the phrase is in a clause of its own kind: not a conjunct
        if token.pos_ != "CCONJ" or token.lower_ not in {"and", "but"}:
            continue
        between = doc[c + 1:span.start]
        verb = next((t for t in between if t.tag_ in _FINITE), None)
        if verb is None or not any(t.pos_ in {"NOUN", "PROPN", "PRON"} for t in doc[c + 1:verb.i]):
            continue
        if not any(t.pos_ == "VERB" for t in doc[:c]):
            return None
        last = span.end - 1
        while last + 1 < len(doc) and doc[last + 1].text not in {",", ";", ":", "—", "–"} and not doc[last + 1].is_sent_end:
            last += 1
        return c, last
    return None


def _kept_text(doc: "Doc", removed: set[int]) -> str:
    """The words of ``doc`` not in ``removed``, in order, with the spacing around the gaps tidied."""
    kept = ""
    for t in doc:
        if t.i in removed:
            continue
        if kept and not kept[-1].isspace() and not t.is_punct and t.i - 1 in removed:
            kept += " "
        kept += t.text_with_ws
    return _tidy(kept)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"(?<=[\w.]) -(?=[a-z])", "-", text)  # "U.S. -backed" -> "U.S.-backed"
    text = re.sub(r",\s*([.;:!?])", r"\1", text)
    text = re.sub(r"\s+", " ", text).strip().rstrip(",;: ")
    if text and text[-1] not in ".!?\"”'’":
        text += "."
    return text
