"""Rule-based sentence splitting with offsets, aware of captions and pasted link titles.

Why rules and not a trained splitter: nothing may be downloaded at run time, news English is regular
enough, and every boundary decision can be explained. The abbreviation lists live in
``resources/abbreviations.toml``.

Boundaries:

* a line break always ends a sentence (headlines, "- Subheads -" and photo credits have no final
  punctuation), except a single line break followed by a lower-case letter, which is a hard-wrapped
  continuation of the same sentence;
* ``.``, ``!``, ``?``, ``…`` or ``...`` (optionally followed by closing quotes/brackets) followed by
  white space and an upper-case letter, a digit, an opening quote or bracket end a sentence, unless
  the word before a single period is an abbreviation (see the TOML file for the three classes);
* captions and link titles marked in ``Article.spans`` are cut out as pieces of their own, so a link
  title pasted in the middle of a sentence becomes its own ``Sentence(kind="link_title")``.
"""
from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from .records import Article, Sentence

RESOURCES = Path(__file__).with_name("resources")

OPENING = "\"“‘'(["
CLOSING = "\"”’')]"
_TERMINATOR = re.compile(r"(?:\.\.\.|…|[.!?])+[" + re.escape(CLOSING) + r"]*")
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")  # "U.S" (final period stripped)
_NEXT_WORD = re.compile(r"[A-Za-z]+")


@cache
def _abbreviations() -> dict[str, frozenset[str]]:
    with open(RESOURCES / "abbreviations.toml", "rb") as fh:
        data = tomllib.load(fh)
    return {name: frozenset(table["words"]) for name, table in data.items()}


def _period_is_abbreviation(text: str, dot: int, next_start: int) -> bool:
    """True when the single period at ``text[dot]`` belongs to an abbreviation, not a sentence end."""
    begin = dot
    while begin > 0 and (text[begin - 1].isalpha() or text[begin - 1] == "."):
        begin -= 1
    token = text[begin:dot].lstrip(".")
    if not token:
        return False
    word = token.rstrip(".")
    if "." in word and not _DOTTED_ACRONYM.match(word) and word not in _abbreviations()["ambiguous"]:
        word = word.rsplit(".", 1)[-1]  # "end.Mr" -> "Mr"
    tables = _abbreviations()
    next_char = text[next_start] if next_start < len(text) else ""
    if word in tables["never_split"]:
        return True
    if word in tables["before_number"]:
        return next_char.isdigit()
    if word in tables["ambiguous"] or _DOTTED_ACRONYM.match(word) or (len(word) == 1 and word.isupper()):
        following = _NEXT_WORD.match(text, next_start)
        return not (following and following.group(0) in tables["sentence_openers"])
    return False


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` (one paragraph, no hard line breaks) at sentence-final punctuation."""
    spans: list[tuple[int, int]] = []
    sentence_start = start
    for match in _TERMINATOR.finditer(text, start, end):
        after = match.end()
        gap = after
        while gap < end and text[gap].isspace():
            gap += 1
        if gap == after or gap >= end:
            continue  # "3.5", "U.N.-backed", or the block's end
        nxt = text[gap]
        if not (nxt.isupper() or nxt.isdigit() or nxt in OPENING):
            continue  # '"Why?" he asked', "U.S. airstrikes"
        if match.group(0) == "." and _period_is_abbreviation(text, match.start(), gap):
            continue
        spans.append((sentence_start, after))
        sentence_start = gap
    spans.append((sentence_start, end))
    return spans


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraphs/lines of ``text``; a single break before a lower-case letter joins the lines."""
    blocks: list[tuple[int, int]] = []
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    current_start: int | None = None
    current_end = 0
    for i, line_start in enumerate(line_starts):
        line_end = line_starts[i + 1] - 1 if i + 1 < len(line_starts) else len(text)
        line = text[line_start:line_end]
        if not line.strip():
            if current_start is not None:
                blocks.append((current_start, current_end))
                current_start = None
            continue
        stripped_first = line.lstrip()[:1]
        previous = text[current_start:current_end].rstrip() if current_start is not None else ""
        continues = (
            current_start is not None
            and stripped_first.islower()
            and not previous.endswith((".", "!", "?", "…", "”", '"'))
        )
        if current_start is not None and not continues:
            blocks.append((current_start, current_end))
            current_start = None
        if current_start is None:
            current_start = line_start
        current_end = line_end
    if current_start is not None:
        blocks.append((current_start, current_end))
    return blocks


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if not any(ch.isalnum() for ch in text[start:end]):
        return None  # a lone "." left after cutting out a link title carries no content
    return start, end


def split_text(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """[start, end) offsets of the sentences of ``text`` (or of ``text[start:end]``), in order."""
    end = len(text) if end is None else end
    segment = text[start:end]
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(segment):
        for s, e in _split_block(segment, block_start, block_end):
            trimmed = _trim(segment, s, e)
            if trimmed:
                spans.append((trimmed[0] + start, trimmed[1] + start))
    return spans


def _regions(article: Article) -> list[tuple[int, int, str]]:
    """The body cut into running text and marked spans, in order, without overlaps."""
    regions: list[tuple[int, int, str]] = []
    position = 0
    for span in sorted(article.spans, key=lambda s: (s.start, s.end, s.kind)):
        start, end = max(span.start, position), min(span.end, len(article.body))
        if start >= end:
            continue
        if position < start:
            regions.append((position, start, "text"))
        regions.append((start, end, span.kind))
        position = end
    if position < len(article.body):
        regions.append((position, len(article.body), "text"))
    return regions


def split_sentences(article: Article) -> tuple[Sentence, ...]:
    """The sentences of ``article.body`` with body offsets; captions/link titles keep their kind."""
    sentences: list[Sentence] = []
    for start, end, kind in _regions(article):
        for s, e in split_text(article.body, start, end):
            sentences.append(Sentence(article.id, len(sentences), s, e, article.body[s:e], kind))
    return tuple(sentences)
