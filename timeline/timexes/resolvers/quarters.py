"""Resolvers of fiscal periods as earnings reports use them: quarters, halves, "the year-earlier
quarter", "that quarter".
"""
from __future__ import annotations

import re
from datetime import date

from ... import timex3
from ..context import _Context, _Resolved
from ..rules import _res, _Rule
from .common import _approx_mod, _group, _infer_year, _month_number, _with_interval


def _sentence_mentions_quarter(ctx: _Context, pos: int, reach: int = 0, reported: bool = False) -> str | None:
    """The quarter last named in this sentence (or, with ``reach``, within that many characters before).

    With ``reported``, only a quarter a report can be about: a year-ago comparison is made with the
    quarter being reported, not with a forecast ("losses through the third quarter of 1990") nor with an
    earlier comparison period ("the 1988 period"), which would push it back a second year.
    """
    s0, _ = ctx.sentence_bounds(pos)
    low = min(s0, pos - reach) if reach else s0
    latest_year = int(_latest_completed_quarter(ctx.dct)[:4]) if reported and ctx.dct else None
    for start, value in reversed(ctx.quarters):
        if start < low:
            break
        if start < pos:
            if latest_year is not None and value[:4].isdigit():
                year = int(value[:4])
                if year < latest_year or year > ctx.dct.year:
                    continue
                span = timex3.interval(value)
                if span and span[0] > ctx.dct:
                    continue
            return value
    return None


def _span_after_quarter(ctx: _Context, pos: int, reach: int = 0) -> bool:
    """A part-year span ("the first nine months") named after the last quarter and before ``pos``, in
    this sentence (or within ``reach`` characters): a comparison then is with that span of the year before,
    whose closest TIMEX3 value is the year."""
    s0, _ = ctx.sentence_bounds(pos)
    low = min(s0, pos - reach) if reach else s0
    spans = [start for start in ctx.year_spans if low <= start < pos]
    if not spans:
        return False
    quarters = [start for start, _ in ctx.quarters if low <= start < pos]
    return not quarters or max(spans) > max(quarters)


def resolve_year_earlier(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    period = (_group(m, "period") or "").lower()
    ctx.relatives.append(m.start("t"))
    if re.match(r"(nine|six) months", period):
        return _Resolved("DURATION", "P9M" if period.startswith("nine") else "P6M", "year-earlier-span")
    if period in ("level", "results", "result", "figures", "figure"):
        return None
    if ctx.dct is None:
        return _Resolved("DATE", "XXXX", "no-dct")
    if period != "quarter" and _span_after_quarter(ctx, m.start("t"), reach=600):
        return _with_interval("DATE", f"{ctx.dct.year - 1:04d}", "year-earlier-span-year")
    quarter = _sentence_mentions_quarter(ctx, m.start("t"), reach=600, reported=True)
    if period in ("quarter", "period") and not quarter:
        quarter = _latest_completed_quarter(ctx.dct)
    if period == "quarter":
        appositive = rule.params.get("appositive_pattern")
        renamed = appositive.match(ctx.text, m.end("t")) if appositive is not None else None
        if renamed:  # "the year-ago quarter, the second quarter ended Oct. 31": the quarter it names
            number = _ORDINAL_QUARTER[renamed.group("ord").lower()]
            year = int(quarter[:4]) if quarter else int(_latest_completed_quarter(ctx.dct)[:4])
            return _with_interval("DATE", f"{year - 1:04d}-Q{number}", "year-earlier-appositive")
    if quarter:
        return _with_interval("DATE", f"{int(quarter[:4]) - 1:04d}{quarter[4:]}", "year-earlier-quarter")
    return _with_interval("DATE", f"{ctx.dct.year - 1:04d}", "year-earlier")


def _latest_completed_quarter(dct: date) -> str:
    q = timex3.quarter_of(dct) - 1
    year = dct.year
    if q == 0:
        q, year = 4, year - 1
    return f"{year:04d}-Q{q}"


_ORDINAL_QUARTER = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                    "final": 4}


def resolve_quarter(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    """Fiscal quarters and halves as earnings reports use them: "the third quarter" is the latest one
    (the coming one in future tense), a bare "the quarter" the one last named or last completed (or the
    one its closing date names: "the quarter ended July 31"), "the year-ago quarter" the same quarter a
    year before. Districts ("the Latin Quarter") and halves of
    matches are left alone unless money is being talked about."""
    text = m.group("t").lower()
    unit = m.group("qunit").lower()
    ord_text = (_group(m, "ord") or "").lower()
    rels = set(re.findall(r"latest|current|recent|previous|prior|last|next|this|same|comparable|corresponding|"
                          r"year-earlier|year-ago|fiscal", text))
    if _group(m, "yearago"):
        rels.add("year-ago")  # "the quarter a year ago"
    after = ctx.text[m.end("t"):m.end("t") + 20]
    if unit == "half" and not ord_text and "last" in rels and (_group(m, "year") or _group(m, "ofrel")):
        ord_text = "second"  # "the last half of 1989"
    if unit == "half" and not ord_text:
        return None
    if unit == "period" and not (rels - {"fiscal", "this", "same"} or _group(m, "qyear") or ord_text):
        return None
    if not ord_text and re.match(r"\s+(?:of\s+(?:a|an|the|its|his|her|their)\b|of\s+(?:\d|[a-z]+\s+(?:percent|per\s+cent)))|\s*-?\s*(?:century|mile|hour|point|inch|pound)", after, re.I):
        return None
    if text.startswith(("a ", "an ")) and not ord_text:
        return None
    if unit == "quarter" and re.match(r"\s*-?\s*(?:point|percent|per\s+cent|century|mile|inch|hour)", after, re.I):
        return None
    if not (ord_text and unit == "quarter") and not (rels - {"the"}) and not (_group(m, "year") or _group(m, "qyear")
                                                                                or _group(m, "fyear") or _group(m, "ofrel")):
        # a bare "the quarter" / "the first half": a fiscal period only where money is talked about
        if not (ctx.quarters or _fiscal_context(ctx, m.start("t"))):
            return None
    if unit == "half" and re.match(r"\s+of\s+(?!(?:the\s+)?(?:year|fiscal|this|next|last|\d))", after, re.I):
        return None  # "the first half of the match"
    ctx.relatives.append(m.start("t"))
    year_text = _group(m, "year") or _group(m, "qyear") or _group(m, "fyear")
    dct = ctx.dct
    if year_text:
        year = int(year_text)
    elif dct is None:
        year = None
    else:
        year = dct.year
        ofrel = (_group(m, "ofrel") or "").lower()
        if ofrel == "last" or "last year" in text or rels & {"year-earlier", "year-ago"}:
            year -= 1
        elif ofrel == "next" or "next year" in text:
            year += 1
    if unit == "half":
        number = 1 if ord_text in ("first", "1st") else 2
        value = f"{year:04d}-H{number}" if year else f"XXXX-H{number}"
        return _with_interval("DATE", value, "half")
    if ord_text:
        number = _ORDINAL_QUARTER[ord_text]
        if year is None:
            return _Resolved("DATE", f"XXXX-Q{number}", "no-dct")
        after_comparison = rule.params.get("after_comparison_pattern")
        if not year_text and after_comparison is not None \
                and after_comparison.search(ctx.text[max(0, m.start("t") - 60):m.start("t")]):
            year -= 1  # "In the comparable year-ago quarter, the second quarter ended Oct. 31, ..."
        elif not year_text and not rels & {"year-earlier", "year-ago"} and "last year" not in text \
                and not _group(m, "ofrel") and "next year" not in text:
            current = timex3.quarter_of(dct)
            future = ctx.tense(m.start("t"), m.end("t")) == "future"
            if number > current and not future:
                year -= 1  # "the fourth quarter" said in January: the one just ended
            elif number < current - 1 and future:
                # "will rise in the first quarter" said in November: the coming one (but a company that
                # "expects to report third-quarter results" in October means the quarter just ended)
                year += 1
        value = f"{year:04d}-Q{number}"
        ctx.quarters.append((m.start("t"), value))
        return _with_interval("DATE", value, "ordinal")
    if dct is None:
        return _Resolved("DATE", "XXXX-QX", "no-dct")
    if unit == "period" and (year_text or rels & {"year-earlier", "year-ago"}) \
            and _span_after_quarter(ctx, m.start("t")):
        # "In the first nine months, net was $306 million, compared with $195 million in the 1988
        # period": the same span of that year, whose closest value is the year
        ctx.year_spans.append(m.start("t"))
        return _with_interval("DATE", f"{year:04d}", "span-year")
    ended = rule.params.get("ended_pattern")
    closing = ended.match(ctx.text, m.end("t")) if ended is not None and unit == "quarter" \
        and not (rels - {"the", "latest", "fiscal"}) and not year_text else None
    if closing:
        end_month = _month_number(closing.group("month"))
        end_day = int(re.sub(r"\D", "", closing.group("day")))
        if closing.group("year"):
            end_year = int(closing.group("year"))
        else:
            end_year, _ = _infer_year(ctx, end_month, end_day, closing.start("month"), closing.end("day"))
        if end_year is not None:
            middle_month = end_month - 1 or 12
            middle_year = end_year if end_month > 1 else end_year - 1
            value = f"{middle_year:04d}-Q{(middle_month - 1) // 3 + 1}"
            ctx.quarters.append((m.start("t"), value))
            return _with_interval("DATE", value, "ended-on")
    earlier = _sentence_mentions_quarter(ctx, m.start("t"))
    if rels & {"current", "this"} and "last year" not in text:
        value, note = f"{dct.year:04d}-Q{timex3.quarter_of(dct)}", "current"
    elif rels & {"next"}:
        d = timex3.shift(dct, 1, "Q")
        value, note = f"{d.year:04d}-Q{timex3.quarter_of(d)}", "next"
    elif rels & {"previous", "prior", "last"} and "last year" not in text:
        latest = _latest_completed_quarter(dct)
        value, note = latest, "previous"
    elif earlier and (rels & {"year-earlier", "year-ago", "same", "comparable", "corresponding"} or "last year" in text):
        value, note = f"{int(earlier[:4]) - 1:04d}{earlier[4:]}", "year-earlier-quarter"
    elif earlier and year_text:  # "the latest period ... the 1988 period": that quarter of 1988
        value, note = f"{year:04d}{earlier[4:]}", "same-quarter-of-year"
    elif earlier:
        value, note = earlier, "same-as-sentence"
    else:
        latest = _latest_completed_quarter(dct)
        if year_text or rels & {"year-earlier", "year-ago"} or "last year" in text:
            value = f"{year:04d}{latest[4:]}"
        else:
            value = latest
        note = "latest-reported"
    ctx.quarters.append((m.start("t"), value))
    return _with_interval("DATE", value, note)


def _fiscal_context(ctx: _Context, pos: int) -> bool:
    s0, s1 = ctx.sentence_bounds(pos)
    words = set(re.findall(r"[a-z%]+", ctx.text[s0:s1].lower()))
    return not words.isdisjoint(_res().fiscal_context)


def resolve_half_year(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    """"the first two quarters of 1990": H1 (H2 for the last two) of the named or the reference year."""
    half = "H1" if m.group("ord").lower() == "first" else "H2"
    year_text, ofrel = _group(m, "year"), (_group(m, "ofrel") or "").lower()
    if year_text:
        year = int(year_text)
    elif ctx.dct is None:
        return _Resolved("DATE", f"XXXX-{half}", "no-dct")
    else:
        year = ctx.dct.year + {"next": 1, "last": -1}.get(ofrel, 0)
        ctx.relatives.append(m.start("t"))
    return _with_interval("DATE", f"{year:04d}-{half}", "half-year", _approx_mod(m))


def resolve_that_quarter(m: re.Match, ctx: _Context, rule: _Rule) -> _Resolved | None:
    """"that quarter": the quarter last named before it (declines when none was)."""
    start = m.start("t")
    for q_start, value in reversed(ctx.quarters):
        if q_start < start and start - q_start <= 1500:
            ctx.quarters.append((start, value))
            return _with_interval("DATE", value, "narrative")
    return None
