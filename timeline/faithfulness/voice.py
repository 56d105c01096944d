"""Checks on how a thing is told: hedges and quantifiers survive ("nearly", "most", "trying to"),
modality and negation survive, a party's claim keeps who claims it, with one speaker and not an
invented one, an action keeps its agent, and a label in a party's own voice ("the apostates") is
quoted or attributed, never adopted."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

from .base import _agent, _attributes, _is_content, _passive, _patient, _stem, _stems, _subject, rules
from .actions import _paraphrases


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

