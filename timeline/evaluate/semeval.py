"""Reader for the SemEval-2015 Task 4 ("TimeLine: cross-document event ordering") data.

The articles come as CAT XML: one ``<token t_id sentence number>`` element per token, no white space
and no paragraphs; ``<Markables>`` holds the event mentions and a TIMEX3 with
``functionInDocument="CREATION_TIME"``. Gold entity timelines are text files: the first line names the
entity, then one line per timeline slot, ``ORDER<TAB>DATE<TAB>DOCID-SENTENCE-WORD[<TAB>...]``.

Format quirks this reader meets and how it handles them:

* Sentence 0 is the title, sentence 1 the date line ("January 09, 2008"); the body starts at 2.
* The creation-time TIMEX3 can disagree with the date line; the gold dates follow the date line, so
  ``CatDocument.published`` is read from the date line (the TIMEX3 value only when the line is not a date).
* Tokens carry no spacing. ``rebuild`` joins them with single spaces except before closing punctuation
  and clitics ("Apple 's" -> "Apple's", "ca n't" -> "can't") and after opening brackets and quotes,
  and keeps every token's character span in the rebuilt text, so gold mentions map to offsets.
* A gold mention names its word, not its token id; a multi-word mention joins its words with ``_``
  ("court_case"), possibly split by an object ("taking_out" for "taking the iPod out"). ``locate``
  finds the word in the named sentence, case-insensitively (the first occurrence; the files give no
  other way to choose); a split phrasal verb is located at its first word.
* A few gold mentions name documents that are not in the corpus folder (the trial timelines cite
  articles of the full task); ``locate`` cannot place them and the evaluations report them apart.
* Gold DATE values are ``YYYY-MM-DD``, ``YYYY-MM-XX``, ``YYYY-XX-XX`` or ``XXXX-XX-XX`` (undated).
"""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path

_NO_SPACE_BEFORE = re.compile(r"^(?:[.,;:!?%)\]}”’]|'s|'S|'re|'ve|'ll|'d|'m|n't|'|\.\.\.)$")
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "“", "‘", "$", "#"})


@dataclass(frozen=True)
class Token:
    t_id: int
    sentence: int
    number: int
    text: str
    start: int = -1  # character span in the rebuilt text (-1 when the token was left out)
    end: int = -1


@dataclass(frozen=True)
class CatDocument:
    """One article of the corpus, rebuilt as plain text with token offsets."""

    doc_id: str
    name: str
    url: str
    title: str
    date_line: str
    published: date | None  # the day the date line names (the gold follows it)
    creation_time: str | None  # the TIMEX3 CREATION_TIME value as written
    text: str  # title, blank line, date line (when kept), blank line, body
    tokens: tuple[Token, ...]

    def sentence_tokens(self, sentence: int) -> list[Token]:
        return [t for t in self.tokens if t.sentence == sentence]

    @property
    def body(self) -> str:
        """The running text without title and date line."""
        first = next((t for t in self.tokens if t.sentence >= 2 and t.start >= 0), None)
        return self.text[first.start:] if first else ""


def _join(tokens: list[Token], offset: int) -> tuple[str, list[Token]]:
    out: list[str] = []
    placed: list[Token] = []
    pos = offset
    previous = None
    for tok in tokens:
        if previous is not None and not _NO_SPACE_BEFORE.match(tok.text) and previous.text not in _NO_SPACE_AFTER:
            out.append(" ")
            pos += 1
        placed.append(Token(tok.t_id, tok.sentence, tok.number, tok.text, pos, pos + len(tok.text)))
        out.append(tok.text)
        pos += len(tok.text)
        previous = tok
    return "".join(out), placed


def rebuild(tokens: list[Token], *, keep_date_line: bool = True) -> tuple[str, tuple[Token, ...]]:
    """Plain text of the tokens (title, date line, body as one paragraph) and the tokens with offsets."""
    by_sentence: dict[int, list[Token]] = {}
    for tok in sorted(tokens, key=lambda t: t.number):
        by_sentence.setdefault(tok.sentence, []).append(tok)
    parts: list[str] = []
    placed: list[Token] = []
    pos = 0
    body_started = False
    for index in sorted(by_sentence):
        group = by_sentence[index]
        if index == 1 and not keep_date_line:
            placed.extend(group)  # offsets stay -1
            continue
        if index <= 1 or not body_started:
            sep = "\n\n" if parts else ""
            body_started = index >= 2
        else:
            sep = " "
        pos += len(sep)
        text, group_placed = _join(group, pos)
        parts.append(sep + text)
        placed.extend(group_placed)
        pos += len(text)
    return "".join(parts) + "\n", tuple(sorted(placed, key=lambda t: t.number))


def _date_of_line(line: str) -> date | None:
    import dateparser

    if not re.search(r"\d{4}", line):
        return None
    parsed = dateparser.parse(line, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first",
                                                                "REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date() if parsed else None


def read_document(path: str | Path, *, keep_date_line: bool = True) -> CatDocument:
    """One CAT XML article (see the module docstring for the quirks handled)."""
    path = Path(path)
    root = ET.parse(path).getroot()
    tokens = [
        Token(int(el.get("t_id")), int(el.get("sentence")), int(el.get("number")), el.text or "")
        for el in root.iter("token")
    ]
    creation = next(
        (el.get("value") for el in root.iter("TIMEX3") if el.get("functionInDocument") == "CREATION_TIME"), None
    )
    title = " ".join(t.text for t in tokens if t.sentence == 0)
    date_line, _ = _join([t for t in tokens if t.sentence == 1], 0)
    text, placed = rebuild(tokens, keep_date_line=keep_date_line)
    published = _date_of_line(date_line)
    if published is None and creation and re.fullmatch(r"\d{4}-\d{2}-\d{2}", creation[:10]):
        published = date.fromisoformat(creation[:10])
    return CatDocument(
        doc_id=str(root.get("doc_id")), name=str(root.get("doc_name") or path.stem), url=str(root.get("src_url") or ""),
        title=_join([t for t in tokens if t.sentence == 0], 0)[0] or title, date_line=date_line,
        published=published, creation_time=creation, text=text, tokens=placed,
    )


def read_corpus(folder: str | Path, *, keep_date_line: bool = True) -> dict[str, CatDocument]:
    """Every ``*.xml`` article of ``folder`` (a ``corpus/`` folder, or its parent), keyed by doc id."""
    folder = Path(folder)
    if (folder / "corpus").is_dir():
        folder = folder / "corpus"
    docs = [read_document(p, keep_date_line=keep_date_line) for p in sorted(folder.glob("*.xml"))]
    return {d.doc_id: d for d in docs}


@dataclass(frozen=True)
class GoldMention:
    doc_id: str
    sentence: int
    word: str  # as written, "_" joining the words of a multi-word mention


@dataclass(frozen=True)
class GoldRow:
    order: int
    date: str  # YYYY-MM-DD, YYYY-MM-XX, YYYY-XX-XX or XXXX-XX-XX
    mentions: tuple[GoldMention, ...]


@dataclass(frozen=True)
class GoldTimeline:
    entity: str
    path: str
    rows: tuple[GoldRow, ...]


_MENTION = re.compile(r"^(\d+)-(\d+)-(.+)$")


def read_timeline(path: str | Path) -> GoldTimeline:
    """One gold entity timeline file; a malformed line raises ValueError naming the file and line."""
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines:
        raise ValueError(f"{path}: empty timeline file (the first line must name the entity)")
    rows: list[GoldRow] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.rstrip("\n").split("\t")
        if len(fields) < 3 or not fields[0].strip().isdigit():
            raise ValueError(f"{path}:{number}: expected ORDER<TAB>DATE<TAB>DOCID-SENTENCE-WORD, got {line!r}")
        mentions = []
        for field in fields[2:]:
            found = _MENTION.match(field.strip())
            if not found:
                raise ValueError(f"{path}:{number}: mention {field!r} is not DOCID-SENTENCE-WORD")
            mentions.append(GoldMention(found.group(1), int(found.group(2)), found.group(3)))
        rows.append(GoldRow(int(fields[0]), fields[1].strip(), tuple(mentions)))
    return GoldTimeline(lines[0].strip(), str(path), tuple(rows))


def read_timelines(folder: str | Path) -> list[GoldTimeline]:
    """Every ``*.txt`` gold timeline of ``folder`` (a ``timelines/`` folder, or its parent)."""
    folder = Path(folder)
    if (folder / "timelines").is_dir():
        folder = folder / "timelines"
    return [read_timeline(p) for p in sorted(folder.glob("*.txt"))]


def locate(mention: GoldMention, doc: CatDocument) -> tuple[int, int] | None:
    """Character span of ``mention`` in ``doc.text`` (None when it is not found or was left out)."""
    words = [w.lower() for w in mention.word.split("_")]
    sentence = [t for t in doc.sentence_tokens(mention.sentence) if t.start >= 0]
    texts = [t.text.lower() for t in sentence]
    for i in range(len(sentence) - len(words) + 1):
        if texts[i:i + len(words)] == words:
            return sentence[i].start, sentence[i + len(words) - 1].end
    for i, text in enumerate(texts):  # a phrasal verb split by its object: "taking [the iPod] out"
        if text == words[0]:
            rest = texts[i + 1:]
            if all(w in rest for w in words[1:]):
                return sentence[i].start, sentence[i].end
    return None


def write_folder(docs: dict[str, CatDocument], out_dir: str | Path, *, metadata: bool = True) -> Path:
    """Write the articles as ``<doc_id>.txt`` (+ ``metadata.csv`` with date and headline) for ``timeline run``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for doc in docs.values():
        (out / f"{doc.doc_id}.txt").write_text(doc.text, encoding="utf-8")
    if metadata:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["file", "published", "source", "headline", "note"])
        for doc in docs.values():
            writer.writerow([f"{doc.doc_id}.txt", doc.published.isoformat() if doc.published else "",
                             "Wikinews", doc.title, doc.url])
        (out / "metadata.csv").write_text(buf.getvalue(), encoding="utf-8")
    return out
