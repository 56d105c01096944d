"""Checks on who did what to whom, and where: the actor and object of the main action are the
source's (by the parse, or by the sources' event records: ``Roles``), no object added or place moved,
no invented participant, every action told by the sources, a date bound to its own clause, a detail
kept with the statement it belongs to, and a main verb at all."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

from .base import _agent, _clause_verb, _is_content, _passive, _patient, _stem, _stems, rules


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

