"""Clean one scraped article without losing a word of it (``clean_text``).

Why this stage is careful: every later stage (dates, events, summaries) quotes the article back to
the user with offsets into the raw file. So cleaning never rewrites text; it only

* drops web boilerplate (share widgets, "Advertisement", comment notices, a doubled "By By" byline),
  recording each drop in ``Article.removed`` as ``(raw_start, raw_end, rule_name)``;
* takes the headline line out of the running text (recorded in ``removed`` with reason
  ``"headline"``, its text kept in ``Article.headline``), because a headline is a verbless,
  present-tense fragment that would otherwise be read as the first sentence of the story; a date
  line just above or below it ("January 09, 2008") likewise (reason ``"date-line"``);
* marks photo captions and pasted related-story titles as :class:`~timeline.records.Span`, which stay
  in the body (later stages decide how to treat them).

``Article.offsets[i]`` is the raw offset of ``body[i]``: the body is a concatenation of raw substrings
(kept paragraphs plus the original whitespace that followed them), so the mapping is exact.

Rules live in ``resources/boilerplate.toml``; their names appear in ``removed`` and ``Span.rule``.
"""
from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..records import Span

RESOURCES = Path(__file__).resolve().parent.parent / "resources"

_TERMINAL = ".!?…"
_CLOSERS = "\"'”’»)]"
# A sentence ends at terminal punctuation (plus closing quotes/brackets) followed by space and an
# upper-case start. Good enough for finding the last clause of a sentence; not a general splitter.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=[\"“‘'(]?[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


# --------------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cleaned:
    """What :func:`clean_text` makes of one raw text (the Article fields that come from the text)."""

    headline: str | None  # the headline line found in the text, if any (taken out of the body)
    body: str
    offsets: tuple[int, ...]
    removed: tuple[tuple[int, int, str], ...]
    spans: tuple[Span, ...]


# --------------------------------------------------------------------------------------------------
# Rules (resources/boilerplate.toml)
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Rules:
    line: tuple[tuple[str, re.Pattern], ...]
    inline: tuple[tuple[str, re.Pattern], ...]
    caption_rules: tuple[tuple[str, tuple[str, ...]], ...]
    caption_min_words: int
    credit: re.Pattern
    verb_forms: dict[str, str]  # inflected form -> base, present simple only
    ing_forms: dict[str, str]  # -ing form -> base (counted after is/are)
    passive: tuple[re.Pattern, ...]
    noun_markers: frozenset[str]
    photo_date: re.Pattern
    link_lines: tuple[tuple[str, re.Pattern], ...]
    link_rule: str
    link_min_words: int
    link_max_words: int
    link_verb_within: int
    link_min_clause_words: int
    headline_verbs: frozenset[str]
    not_title_starts: frozenset[str]
    subordinate_openers: frozenset[str]


def _present_forms(base: str) -> set[str]:
    forms = {base}
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(base + "es")
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        forms.add(base[:-1] + "ies")
    else:
        forms.add(base + "s")
    return forms


def _ing_forms(base: str) -> set[str]:
    forms = {base + "ing"}
    if base.endswith("e") and not base.endswith("ee"):
        forms.add(base[:-1] + "ing")
    if base.endswith("ie"):
        forms.add(base[:-2] + "ying")
    if len(base) >= 3 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" and base[-3] not in "aeiou":
        forms.add(base + base[-1] + "ing")  # sit -> sitting
    return forms


@cache
def _rules() -> _Rules:
    with open(RESOURCES / "boilerplate.toml", "rb") as fh:
        data = tomllib.load(fh)
    cap = data["caption"]
    link = data["link_title"]
    verb_forms: dict[str, str] = {}
    ing_forms: dict[str, str] = {}
    for base in cap["description_verbs"]:
        for form in _present_forms(base):
            verb_forms.setdefault(form, base)
        for form in _ing_forms(base):
            ing_forms.setdefault(form, base)
    credits = sorted(set(cap["credits"]), key=lambda c: (-len(c), c))
    credit_alt = "|".join(re.escape(c) for c in credits)
    credit = re.compile(
        rf"(?:^|[{re.escape(_TERMINAL)}][{re.escape(_CLOSERS)}]*)\s+\(?(?:photo(?:graph)?:?\s*|image:?\s*)?"
        rf"(?:{credit_alt})(?:\s*/\s*[\w .'’-]{{1,60}})?\)?\s*$",
        re.IGNORECASE,
    )
    return _Rules(
        line=tuple((r["name"], re.compile(r["pattern"])) for r in data.get("line", ())),
        inline=tuple((r["name"], re.compile(r["pattern"])) for r in data.get("inline", ())),
        caption_rules=tuple((r["name"], tuple(r["needs"])) for r in cap["rule"]),
        caption_min_words=int(cap["min_words"]),
        credit=credit,
        verb_forms=verb_forms,
        ing_forms=ing_forms,
        passive=tuple(re.compile(p) for p in cap.get("passive_markers", ())),
        noun_markers=frozenset(w.lower() for w in cap["noun_markers"]),
        photo_date=re.compile(cap["photo_date"]),
        link_lines=tuple((r["name"], re.compile(r["pattern"])) for r in link.get("line_patterns", ())),
        link_rule=link["rule"],
        link_min_words=int(link["min_words"]),
        link_max_words=int(link["max_words"]),
        link_verb_within=int(link["verb_within"]),
        link_min_clause_words=int(link["min_clause_words"]),
        headline_verbs=frozenset(w.lower() for w in link["headline_verbs"]),
        not_title_starts=frozenset(link["not_title_starts"]),
        subordinate_openers=frozenset(link.get("subordinate_openers", ())),
    )


# --------------------------------------------------------------------------------------------------
# Cleaning
# --------------------------------------------------------------------------------------------------
def _paragraphs(raw: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, without its surrounding spaces or line break."""
    spans = []
    for m in re.finditer(r"[^\n]+", raw):
        text = m.group()
        stripped = text.strip()
        if not stripped:
            continue
        lead = len(text) - len(text.lstrip())
        spans.append((m.start() + lead, m.start() + lead + len(stripped)))
    return spans


def _normalise(text: str) -> str:
    """Letters and digits only, lower-cased: compares headlines across quote styles and spacing."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


_NOT_HEADLINE_START = re.compile(r"(?i)^(by|photo|image|updated|published|posted|copyright|©)\b")


def _is_headline(line: str, given: str | None, has_more: bool) -> bool:
    """Is the first paragraph the article's headline?

    With a metadata headline, only a line that says the same thing counts (anything else may be a
    subtitle or byline and stays in the body). Without one: a short line, no terminal punctuation,
    followed by more text.
    """
    if given is not None and given.strip():
        return _normalise(line) == _normalise(given)
    if not has_more or _NOT_HEADLINE_START.match(line):
        return False
    words = line.split()
    return 1 <= len(words) <= 25 and len(line) <= 200 and line.rstrip(_CLOSERS)[-1:] not in _TERMINAL


def _is_date_line(line: str) -> bool:
    """A line that is only a date (the rule is :func:`timeline.refdate.sources.date_line_day`)."""
    if len(line) > 100 or not any(ch.isdigit() for ch in line):
        return False
    from ..refdate.sources import date_line_day

    return date_line_day(line) is not None


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.start() + len(m.group().rstrip())))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _describes_photo(sentence: str, rules: _Rules) -> bool:
    """A present-tense description of what is shown: "Libyans wave ...", "A man prepares ..."."""
    words = _WORD.findall(sentence)
    for i, word in enumerate(words):
        if i == 0 or not word.islower():
            continue  # sentence-initial: imperative or headline; capitalised: a name ("March for Life")
        lower = word
        prev = words[i - 1].lower()
        if lower in rules.verb_forms and prev not in rules.noun_markers:
            return True
        if lower in rules.ing_forms and prev in ("is", "are"):
            return True
    return any(p.search(sentence) for p in rules.passive)


def _caption_rule(paragraph: str, rules: _Rules) -> str | None:
    """Name of the first caption rule the paragraph satisfies, else None."""
    if len(paragraph.split()) < rules.caption_min_words or paragraph.startswith(("-", "–", "—", "•")):
        return None
    sentences = _sentences(paragraph)
    first = paragraph[sentences[0][0]:sentences[0][1]]
    signals = set()
    if _describes_photo(first, rules):
        signals.add("description")
    if rules.credit.search(paragraph):
        signals.add("credit")
    if rules.photo_date.search(first.rstrip()):
        signals.add("photo-date")
    if paragraph.rstrip(_CLOSERS)[-1:] not in _TERMINAL and paragraph[-1:] not in _CLOSERS:
        signals.add("unpunctuated")
    for name, needs in rules.caption_rules:
        if signals.issuperset(needs):
            return name
    return None


def _link_titles(paragraph: str, rules: _Rules) -> list[tuple[int, int]]:
    """Headline-style fragments pasted after a complete clause, as (start, end) in the paragraph."""
    found = []
    for s_start, s_end in _sentences(paragraph):
        sentence = paragraph[s_start:s_end]
        core = sentence.rstrip(_TERMINAL + _CLOSERS + " ")
        comma = core.rfind(", ")
        if comma < 0:
            continue
        fragment = core[comma + 2:]
        clause_words = core[:comma].split()
        words = fragment.split()
        if not (rules.link_min_words <= len(words) <= rules.link_max_words):
            continue
        if len(clause_words) < rules.link_min_clause_words or clause_words[0] in rules.subordinate_openers:
            continue
        if not words[0][:1].isupper() or words[0] in rules.not_title_starts:
            continue
        if any(q in fragment for q in "\"“”‘’") or re.search(r"[;:()]", fragment):
            continue
        verb_at = next(
            (i for i, w in enumerate(words[: rules.link_verb_within]) if i > 0 and w.lower() in rules.headline_verbs),
            None,
        )
        if verb_at is None or verb_at == len(words) - 1:
            continue  # no headline verb, or the fragment ends on it (an attribution: "..., Army says")
        start = s_start + comma + 2
        found.append((start, start + len(fragment)))
    return found


def clean_text(raw: str, headline: str | None = None) -> Cleaned:
    """Clean one scraped article: drop boilerplate, take out the headline line, mark captions/links.

    ``headline`` is the metadata headline when there is one: then only a first line saying the same
    thing is treated as the headline line. Pure function: same text in, same record out.
    """
    rules = _rules()
    removed: list[tuple[int, int, str]] = []
    kept: list[tuple[int, int]] = []
    for start, end in _paragraphs(raw):
        text = raw[start:end]
        rule = next((name for name, pattern in rules.line if pattern.fullmatch(text)), None)
        if rule is None:
            kept.append((start, end))
        else:
            removed.append((start, end, rule))

    # A date line above or below the headline ("January 09, 2008") is not running text either: it is
    # taken out (reason "date-line"; the reference-date rule of the same name reads it from the raw text).
    for index in range(min(2, len(kept) - 1)):
        if _is_date_line(raw[kept[index][0]:kept[index][1]]):
            start, end = kept.pop(index)
            removed.append((start, end, "date-line"))
            break
    text_headline = None
    if kept and _is_headline(raw[kept[0][0]:kept[0][1]], headline, has_more=len(kept) > 1):
        start, end = kept.pop(0)
        text_headline = raw[start:end]
        removed.append((start, end, "headline"))

    # Each kept paragraph, with inline drops cut out, is followed by the raw whitespace that followed
    # it, up to the next paragraph (kept or not); the last one by nothing.
    all_starts = sorted(s for s, _ in _paragraphs(raw))
    pieces: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(kept):
        cuts = []
        text = raw[start:end]
        for name, pattern in rules.inline:
            for m in pattern.finditer(text):
                if m.group("drop"):
                    cuts.append((start + m.start("drop"), start + m.end("drop"), name))
        cursor = start
        for c_start, c_end, name in sorted(cuts):
            if c_start < cursor:
                continue
            pieces.append((cursor, c_start))
            removed.append((c_start, c_end, name))
            cursor = c_end
        pieces.append((cursor, end))
        if index + 1 < len(kept):
            next_any = all_starts[bisect.bisect_right(all_starts, end)]
            pieces.append((end, next_any))
    offsets = tuple(i for a, b in pieces for i in range(a, b))
    body = "".join(raw[a:b] for a, b in pieces)

    def body_index(raw_offset: int) -> int:
        return bisect.bisect_left(offsets, raw_offset)

    spans: list[Span] = []
    for start, end in kept:
        paragraph = raw[start:end]
        b_start, b_end = body_index(start), body_index(end - 1) + 1
        b_par = body[b_start:b_end]
        line_rule = next((name for name, pattern in rules.link_lines if pattern.fullmatch(b_par)), None)
        if line_rule:
            spans.append(Span(b_start, b_end, "link_title", b_par, line_rule))
            continue
        caption = _caption_rule(paragraph, rules)
        if caption:
            spans.append(Span(b_start, b_end, "caption", b_par, caption))
            continue
        for l_start, l_end in _link_titles(paragraph, rules):
            s, e = body_index(start + l_start), body_index(start + l_end - 1) + 1
            spans.append(Span(s, e, "link_title", body[s:e], rules.link_rule))
    return Cleaned(
        headline=text_headline,
        body=body,
        offsets=offsets,
        removed=tuple(sorted(removed)),
        spans=tuple(sorted(spans, key=lambda s: (s.start, s.end))),
    )
