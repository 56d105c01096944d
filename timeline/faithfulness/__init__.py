"""The meaning guard: does a summary say what its source sentences say?

The names-and-numbers guard (``timeline.summaries.unsupported_tokens``) checks that every name and
number of a summary occurs in its sources. The errors a reader finds are about meaning, which that
does not see: "more than 20 loyalist fighters have died" summarised as "Loyalists seized the port,
killing more than 20 fighters"; "trying to establish its authority" as "establishing its authority";
"the military said" dropped; "the apostates" adopted. This package parses the summary and its sources
with the shared text layer (``timeline.nlp``) and runs named checks over both parses, a family per
module:

- ``numbers``: ``names-and-numbers``, ``number-role``, ``number-qualifier``, ``dropped-count``,
  ``running-total`` (and ``stretch-total``, which needs the entry's records);
- ``voice``: ``hedge``, ``modality``, ``negation``, ``attribution``, ``double-attribution``,
  ``invented-speaker``, ``invented-agent``, ``own-voice-label``;
- ``referents``: ``unintroduced-referent``, ``resolved-pronoun``; ``unnamed_referents`` finds the
  words that point to what a text never names ("the city", "there", a bare "the advance"), which the
  summaries look up in the article;
- ``actions``: ``actor-object``, ``shifted-argument``, ``invented-participant``, ``unsupported-action``,
  ``date-binding``, ``misattributed-detail``, ``no-main-verb``;
- here: ``hygiene``, and ``check``, which runs them all with the context checks
  (``CONTEXT_CHECKS``: ``other-date``, ``other-frame``, ``headline-claim``, ``stretch-total``).

Every check, its example and its word tables are data (``resources/faithfulness.toml``); a check that
fires returns a ``Finding`` with its name and what it saw, and the summarizer records the names in
the entry's provenance. Checks compare what the summary *keeps*: a hedge on a clause the summary
leaves out is not required (omission is allowed, misstatement is not). Matching is by lemma stems
(the first five letters of a lemma), so "threats" matches "threatened" and "impediments" "impeded";
where a check asks whether the sources state an action at all, a small table of general English
paraphrases ("back" / "support", "set up" / "establish") stands in for a thesaurus.

``compress`` is the extractive fallback (module ``compress``): a source sentence with its
non-restrictive clauses removed via the parse, never rewritten.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

if TYPE_CHECKING:
    from spacy.tokens import Doc

from .actions import (Roles, _actor_object, _against_roles, _date_binding, _invented_participant,
                      _misattributed_detail, _no_main_verb, _shifted_argument, _source_words, _supported,
                      _unsupported_action, _verbs_of_noun)
from .base import Finding, check_names, hint, mentioned, rules
from .compress import compress, without_clauses_of
from .numbers import (_dropped_count, _names_and_numbers, _number_qualifier, _number_role, _running_total,
                      _stretch_total, running_totals)
from .referents import ReferentKind, _resolved_pronoun, _unintroduced_referent, unnamed_referents
from .voice import (_attribution, _double_attribution, _hedge, _invented_agent, _invented_speaker, _modality,
                    _negation, _own_voice_label)

__all__ = ["CHECKS", "CONTEXT_CHECKS", "Finding", "ReferentKind", "Roles", "check", "check_names", "compress",
           "hint", "mentioned", "rules", "running_totals", "unnamed_referents", "without_clauses_of"]


def _hygiene(summary: "Doc", sources: Sequence["Doc"]) -> list[str]:
    found = []
    for name, pattern in rules()["checks"]["hygiene"]["patterns"].items():
        m = re.search(pattern, summary.text)
        if m:
            found.append(f"{name}: {m.group(0).strip()!r}")
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
    from .. import nlp

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

