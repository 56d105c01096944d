"""When was an article written? Metadata first; otherwise the best evidence its text carries.

Relative expressions ("on Tuesday", "last June") can only be resolved against the date the article
was written. When metadata gives that date we use it. Otherwise, best evidence first
(:func:`infer_reference_date`): a date line or wire dateline at the top, a date in the URL or the
file name (:mod:`timeline.refdate.sources`), then the clues of the running text
(:mod:`timeline.refdate.body`), which give a *window* and a guess inside it:

* a fully specified past date (or month/year) mentioned in the text is a lower bound: the article is
  written on or after it ("December 17, 2014" -> earliest 2014-12-17; "in 2015" -> 2015-01-01);
* a fully specified date in a future-tense clause is an upper bound ("will vote on March 3");
* "last year" right next to an explicit year, or "Last year, <event>" with the event dated in another
  sentence, fixes the year; "less than four years after <event dated 2011>" gives an upper bound;
* weekdays reported as news ("on Sunday") do not bound anything alone, but news is usually written
  on the weekday it reports or within the next days, so they pick the likeliest day inside the window.

Nothing here claims more than the evidence gives: a window is never passed off as a day
(``ReferenceDate.best`` is None unless one day is known; the likeliest day is ``guess``), and
:func:`tag_with_reference` resolves a relative expression only where the whole window agrees.
Clue vocabularies, rules and weights live in ``resources/refdate.toml``; each clue's name is
recorded in ``ReferenceDate.evidence`` and the deciding rule in ``ReferenceDate.rule``.
"""
from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from ..records import Article, ReferenceDate, Timex
from .body import _body_reference, _find_captions
from .sources import _from_filename, _from_top, _from_url

__all__ = ["infer_reference_date", "reference_date_for", "tag_with_reference"]


def infer_reference_date(
    text: str,
    *,
    captions: Sequence[tuple[int, int]] | None = None,
    tagger: Callable[[str], Sequence[Timex]] | None = None,
    head: str | None = None,
    url: str | None = None,
    filename: str | None = None,
) -> ReferenceDate:
    """When was ``text`` written, by the best evidence it carries: window, day, confidence, evidence.

    Tried in order, the first that gives a day wins (``ReferenceDate.rule`` names it):

    1. a date line or wire dateline among the first lines of ``head`` (the raw article; defaults to
       ``text``): "Thursday, April 30, 2009", "12 Feb 2015 14:03 GMT", "WASHINGTON, May 7 (Reuters) -"
       (a yearless dateline takes its year from the body's window);
    2. a date in ``url`` ("/2015/02/12/", "20150212"); a month-only URL gives a window;
    3. a date in ``filename`` ("2015-02-12_talks.txt");
    4. the body's clues (explicit past and future dates, weekdays, "last year" ...): a window,
       with ``best`` set only when the window is one day (the likeliest day is ``guess``).

    Evidence offsets are into the string the clue came from (``head`` for a date line, ``url``,
    the file name, else ``text``). ``captions``: (start, end) spans of photo captions in ``text``;
    found with the corpus caption rules when not given. ``tagger``: the temporal tagger (defaults to
    ``timeline.tag`` with no reference date).
    """
    if tagger is None:
        from ..timexes import tag

        def tagger(t: str) -> Sequence[Timex]:
            return tag(t, dct=None)

    if captions is None:
        captions = _find_captions(text)
    body, _ = _body_reference(text, captions, tagger)
    for found in (_from_top(text if head is None else head, body, tagger), _from_url(url, body),
                  _from_filename(filename, body)):
        if found is not None and (found.best is not None or found.earliest is not None):
            return found
        if found is not None:
            body = found  # a yearless dateline: its evidence kept, the body's window stands
    return body


def reference_date_for(article: Article) -> ReferenceDate:
    """The date to resolve an article's relative expressions against: metadata first, else inferred.

    ``method`` says which: "metadata" (confidence 1.0), "date-line", "dateline", "url",
    "filename", "inferred" or "none" (see :func:`infer_reference_date`); ``best`` is None unless
    one day is known.
    """
    if article.published is not None:
        d = article.published
        return ReferenceDate(d, d, d, 1.0, "metadata", (), guess=d, rule="metadata")
    captions = tuple((s.start, s.end) for s in article.spans if s.kind == "caption")
    from ..corpus.readers import kind_of

    name = Path(article.path).name  # a file of its own (not a line of a JSONL / CSV file)
    return infer_reference_date(article.body, captions=captions, head=article.raw, url=article.url,
                                filename=name if kind_of(name) in ("text", "html") else None)


# --------------------------------------------------------------------------------------------------
# Resolving relative expressions against a window
# --------------------------------------------------------------------------------------------------
def tag_with_reference(text: str, ref: ReferenceDate, *,
                       tagger: Callable[[str, date | None], Sequence[Timex]] | None = None) -> list[Timex]:
    """The temporal expressions of ``text`` resolved as far as ``ref`` allows, never further.

    * one day known (``ref.best``): ``tag(text, ref.best)``;
    * a two-sided window [earliest, latest]: each expression is tagged with no reference date and
      with each end of the window (and its middle) as the reference date; where every one of those
      gives the same value, the expression is resolved (rule suffix ``:window``), since resolution
      is monotone in the reference date and the whole window then agrees ("last year" in a window
      inside 2009 is 2008); everywhere else it keeps its underspecified value (``XXXX-WXX-1``);
    * only one bound, or none: no reference date at all (a bound is never used as the day).
    """
    if tagger is None:
        from ..timexes import tag as tagger
    if ref.best is not None:
        return list(tagger(text, ref.best))
    base = list(tagger(text, None))
    if ref.earliest is None or ref.latest is None:
        return base
    middle = ref.earliest + (ref.latest - ref.earliest) / 2
    probes = [{(t.start, t.end): t for t in tagger(text, day)} for day in (ref.earliest, middle, ref.latest)]
    out = []
    for t in base:
        seen = [p.get((t.start, t.end)) for p in probes]
        first = seen[0]
        same = first is not None and all(
            s is not None and (s.type, s.value, s.mod, s.first_day, s.last_day) ==
            (first.type, first.value, first.mod, first.first_day, first.last_day) for s in seen)
        if same and first.value != t.value:
            out.append(dataclasses.replace(first, rule=f"{first.rule}:window"))
        else:
            out.append(t)
    return out
