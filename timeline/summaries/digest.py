"""A month paragraph that states only what its entries state: the month's digest.

When the model's month paragraph is rejected twice, or says no more than one of its entries, the
month is told by its counts and its most salient happenings instead (``extractive:month-digest``):

    "5 entries, 1–11 August 2016: 4 in Sirte and 1 more. The most salient:
    10 August 2016 — As of Wednesday, U.S. drones ... 11 August 2016 — A Libyan official says ..."

How many happenings, over which days, where (each entry counted once, at its scene: the first place
its first source names, a neighbourhood as its city through the corpus place table, a country only
when nothing narrower is named: ``threads.main_subject``; a place of one entry only when the table
knows it; the entries of no named or known place counted as "more", not "elsewhere": the sentence
may not name the place it happened in; so the counts add up to the month's) and the ``top`` most
salient entries after their reader dates, in timeline order. The texts are entry texts that passed
the guard, so the digest says more than any one entry and nothing the entries do not. Wording from
``[templates.period]`` in ``resources/prompts.toml``.
"""
from __future__ import annotations

from collections import Counter
from typing import Callable, Mapping, Sequence

from .. import places
from ..datetext import span_text
from ..records import TimelineEntry
from .threads import main_subject

def _and(items: Sequence[str], word: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def month_digest(entries: Sequence[TimelineEntry], template: Mapping, text_of: Callable[[TimelineEntry], str],
                 date_of: Callable[[TimelineEntry], str]) -> str:
    """The digest of a month's ``entries`` (timeline order); see the module docstring."""
    if not entries:
        return ""
    one, many = template["digest_count"]
    n = len(entries)
    span = span_text(min(e.start for e in entries), max(e.end for e in entries), "long")
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for i, e in enumerate(entries):
        kind, place = main_subject(e, frozenset(), {})
        if kind == "place":
            counts[place] += 1
            first_seen.setdefault(place, i)
    # a place named once and unknown to the corpus table may be a stray entity ("West" of "Western
    # powers"): only places of two entries or more, or that the table knows, are named
    named = [p for p in sorted(counts, key=lambda p: (-counts[p], first_seen[p]))
             if counts[p] > 1 or places.kind_of(p) is not None][:int(template["digest_places"])]
    told_where = [template["digest_place"].format(n=counts[p], place=p) for p in named]
    rest = n - sum(counts[p] for p in named)
    if named and rest:
        told_where.append(template["digest_rest"].format(n=rest))
    where = template["digest_where"].format(places=_and(told_where, template["digest_and"])) if named else ""
    top = sorted(range(n), key=lambda i: (-entries[i].salience, i))[:int(template["digest_top"])]
    told = " ".join(template["digest_item"].format(date=date_of(entries[i])[:1].upper() + date_of(entries[i])[1:],
                                                   text=text_of(entries[i])) for i in sorted(top))
    return template["digest"].format(count=(one if n == 1 else many).format(n=n), span=span, where=where,
                                     top=told)
