"""Sentences of an article, read from the spaCy parse (the one text layer, ``timeline.nlp``).

The parser's sentence boundaries are used as they are, with three cuts on top, because scraped news
is laid out in lines the parser does not see as boundaries:

* a line break ends a sentence (headlines, "- Subheads -" and photo credits have no final
  punctuation), except a single line break followed by a lower-case word, which is a hard-wrapped
  continuation;
* captions and link titles marked in ``Article.spans`` are pieces of their own, so a link title
  pasted in the middle of a sentence becomes its own ``Sentence(kind="link_title")``;
* leading and trailing white space is trimmed, and a piece without a letter or digit is dropped.

``parsed_sentences`` also returns the spaCy ``Span`` of each sentence, for the event stage.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .records import Article, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan


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


def _hard_break(doc: "Doc", i: int) -> bool:
    """Is token ``i`` white space holding a line break that ends a sentence?"""
    tok = doc[i]
    if not tok.is_space or "\n" not in tok.text:
        return False
    if tok.text.count("\n") == 1 and i + 1 < len(doc) and doc[i + 1].text[:1].islower():
        return False
    return True


def _pieces(doc: "Doc", start_char: int, end_char: int, sents=None) -> list[tuple[int, int]]:
    """Token ranges [a, b) of the sentences inside a character region (``sents``: ``doc.sents`` as
    a list, when the caller has it)."""
    out: list[tuple[int, int]] = []
    for sent in (doc.sents if sents is None else sents):
        if sent.end_char <= start_char or sent.start_char >= end_char:
            continue  # wholly outside the region: no token of it would be kept
        a, b = sent.start, sent.end
        while a < b and doc[a].idx < start_char:
            a += 1
        while b > a and doc[b - 1].idx >= end_char:
            b -= 1
        if a >= b:
            continue
        cur = a
        for i in range(a, b):
            if _hard_break(doc, i):
                if cur < i:
                    out.append((cur, i))
                cur = i + 1
        if cur < b:
            out.append((cur, b))
    trimmed = []
    for a, b in out:
        while a < b and doc[a].is_space:
            a += 1
        while b > a and doc[b - 1].is_space:
            b -= 1
        if a < b and any(ch.isalnum() for ch in doc[a:b].text):
            trimmed.append((a, b))
    return trimmed


def parsed_sentences(article: Article, doc: "Doc | None" = None) -> list[tuple[Sentence, "SpacySpan"]]:
    """``(Sentence, spaCy span)`` pairs of ``article.body`` in order (``doc`` = its parse, made if not given)."""
    if doc is None:
        from . import nlp

        doc = nlp.parse(article.body)
    if doc.text != article.body:
        raise ValueError(f"{article.id}: the parse given is not a parse of this article's body")
    found: list[tuple[Sentence, "SpacySpan"]] = []
    sents = list(doc.sents)  # once: every region looks through them
    for start, end, kind in _regions(article):
        for a, b in _pieces(doc, start, end, sents):
            span = doc[a:b]
            s, e = span.start_char, min(span.end_char, end)
            found.append((Sentence(article.id, len(found), s, e, article.body[s:e], kind), span))
    return found


def split_sentences(article: Article, doc: "Doc | None" = None) -> tuple[Sentence, ...]:
    """The sentences of ``article.body`` with body offsets; captions/link titles keep their kind."""
    return tuple(s for s, _ in parsed_sentences(article, doc))


def split_text(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """[start, end) offsets of the sentences of ``text`` (or of ``text[start:end]``), in order."""
    from . import nlp

    end = len(text) if end is None else end
    doc = nlp.parse(text)
    return [(doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)) for a, b in _pieces(doc, start, end)]
