"""The extractive fallback: a source sentence with clauses removed via the parse, never rewritten.

``compress`` removes non-restrictive clauses (relative clauses, appositions, adverbial participles
set off by commas) until the sentence is short enough, so attribution, negation, hedges and
numbers' qualifiers stay as they were; ``without_clauses_of`` removes the clause that carries the
time of another event."""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

from .base import _whole_words, mentioned, rules


_REMOVABLE = {"relcl", "appos", "advcl", "acl", "parataxis"}



def compress(sentence: str, *, max_words: int = 32, cache_dir: Path | None = None) -> str:
    """``sentence`` with non-restrictive clauses removed until it has at most ``max_words`` words.

    Removed, side remarks first (relative clauses, appositions, participial phrases), then adverbial
    clauses, which often carry a consequence ("..., killing more than 40 people"): a clause set off by a comma (so
    restrictive ones, which change what a noun refers to, stay), never a clause holding the
    sentence's reporting verb, a negation, a modal or a number's qualifier. The words kept are the
    source's own, in its order; only the spacing around removed stretches is tidied.
    """
    from .. import nlp

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
    from .. import nlp

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

