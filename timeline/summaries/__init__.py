"""One-sentence entry summaries, month paragraphs and an overview, guarded for faithfulness.

The package: this module (the ``Summarizer``, its cache and the names-and-numbers guard),
``generation`` (the local causal LM behind it), ``digest`` (a month told by its counts and most
salient entries, when the model's paragraph is rejected), ``grounding`` (what the prompt is told
about each source sentence: who did what to whom, according to whom, and the words to keep, from
its event record when the caller passes ``events``), ``threads`` (the overview's strands: entries
grouped by main place or actor).

Why a guard: small instruction models readily "improve" a summary with a name or a number they
remember rather than read, and, worse, restate what they read with another meaning: roles swapped,
hedges dropped, a party's claim stated as fact. A timeline that states such things is worse than no
summary. So every generated text is checked twice: by ``unsupported_tokens`` (each number and
capitalised name must occur in the sentences it summarises) and by the meaning checks of
``timeline.faithfulness`` (rules as data in ``resources/faithfulness.toml``). A rejected answer is
retried once with a stricter prompt that names the checks that failed; if that is rejected too, an
entry falls back to a source sentence with its side clauses removed (``faithfulness.compress``), a
month paragraph to its digest (``digest.month_digest``: how many entries, over which days, where,
and its most salient entries; also when the model's paragraph says no more than one entry), the
overview to a chronology of its threads (``thread_chronology``: each thread's most salient entries
after their reader dates). The names of the checks that fired go into the provenance
(``entry.extra["summary_checks"]``, ``PeriodSummary.checks``).

Why a cache: generation is the only slow stage (seconds per entry on a CPU) and the weights are a
1 GB download. Model outputs are stored in a JSON file keyed by a hash of everything that determines
them (model id, prompt template name and version, the prompt text, decoding parameters), written
deterministically, so a rerun is instant and byte-identical and a reader or CI without the weights
reproduces the published summaries from the committed cache. The model is loaded lazily, on the
first cache miss only.

Prompts and the guard's word tables are data: ``resources/prompts.toml``, ``resources/faithfulness.toml``.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import time
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from .. import faithfulness, models
from ..datetext import month_label, reader_date
from ..records import TimelineEntry
from .generation import ChatGenerator, default_threads  # noqa: F401  (default_threads: re-exported for benchmarks)
from .grounding import facts_block, from_event, happening
from .digest import month_digest
from .threads import salient, threads
from .threads import settings_from as thread_settings

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
CACHE_FORMAT = "timeline-summary-cache/1"

#: A chat: [{"role": "system"|"user", "content": str}, ...]
Messages = list[dict[str, str]]
#: Generates one raw answer per chat, greedily: generator(chats, max_new_tokens) -> answers.
Generator = Callable[[Sequence[Messages], int], list[str]]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


@dataclass(frozen=True)
class PeriodSummary:
    """A short paragraph about a stretch of the timeline (a month, or the whole campaign)."""

    label: str  # "2016-08", or the overview's years ("2014–2016")
    text: str
    extractive: bool  # text is copied from the entries, not generated
    guarded: bool  # the guard rejected at least one generation
    sources: tuple[str, ...]  # dates (TIMEX3 values) of the entries the text was made from
    rule: str = ""  # how the text was made: "generated:<template>", "extractive:<fallback>" (overview: thread-chronology; month: month-digest) or "omitted:<why>"
    rejected: tuple[str, ...] = ()  # names/numbers the guard found unsupported in rejected answers
    #: names of the guard's checks that rejected a generation (faithfulness.toml), and
    #: "repeats-an-entry" for a month paragraph that said no more than one of its entries
    checks: tuple[str, ...] = ()


@cache
def prompt_config() -> dict:
    with open(RESOURCES / "prompts.toml", "rb") as fh:
        return tomllib.load(fh)


# --------------------------------------------------------------------------------------------------
# text normalisation and the faithfulness guard (pure functions)

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                         "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": " - ",
                         "\u2212": "-", "\u00a0": " "})
_DOTTED_ACRONYM = re.compile(r"\b[A-Z]\.(?: ?[A-Z]\.)+")  # "U.S.", "U. S.", "U.N."
_POSSESSIVE = re.compile(r"(?<=\w)'s?\b")
_POSSESSIVE_MARK = re.compile(r"(?<=\w)'s?(?=\W|$)")
# numbers with separators ("1,500", "3.5"), else words; hyphens split ("UN-backed" -> "UN", "backed")
_WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:'[^\W_]+)*")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")


def normalize(text: str) -> str:
    """Make spelling variants compare equal: "U.S." -> "US", "Libya's" -> "Libya", curly quotes and
    dashes -> ASCII, runs of spaces -> one."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", "").replace(" ", "") + " ", text)
    text = _POSSESSIVE.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def _number_value(token: str) -> str | None:
    """Canonical value of a number token ("1,500" -> "1500", "09" -> "9"), else None."""
    if _NUMBER.match(token):
        digits = token.replace(",", "")
        if "." in digits:
            whole, _, frac = digits.partition(".")
            frac = frac.rstrip("0")
            return str(int(whole)) + ("." + frac if frac else "")
        return str(int(digits))
    words = prompt_config()["guard"]["number_words"]
    if token.lower() in words:
        return str(words[token.lower()])
    return None


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence of a short text (abbreviation-aware, see prompts.toml)."""
    abbreviations = set(prompt_config()["postprocess"]["abbreviations"])
    spans, start = [], 0
    for m in re.finditer(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])", text):
        before = re.search(r"(\S+)$", text[: m.start()])
        word = before.group(1) if before else ""
        bare = word.strip("\"'([")
        if m.group(0).startswith(".") and (bare in abbreviations or re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", bare)):
            continue  # "Gen. Haftar", "U.S. officials"
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text)))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans]


def split_sentences(text: str) -> list[str]:
    """The sentences of a short generated text."""
    return [text[s:e].strip() for s, e in _sentence_spans(text)]


def _tokens(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def _is_capitalised(token: str) -> bool:
    return token[0].isupper()


def _name_runs(sentence: str, lowercase_in_sources: set[str]) -> list[list[str]]:
    """Runs of capitalised tokens in one sentence: consecutive, separated by single spaces only (so a
    comma, a possessive or a hyphen ends a run: "Sirte, Benghazi" and "Benghazi's Lithi" are two
    names each), minus a common sentence-initial word ("The", or "Forces" when the sources say
    "forces", or the "Pro" of "Pro-government")."""
    common = set(prompt_config()["guard"]["sentence_start_common_words"])
    text = _POSSESSIVE_MARK.sub("|", unicodedata.normalize("NFKC", sentence).translate(_QUOTES))
    text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", "").replace(" ", "") + " ", text)
    matches = list(_WORD.finditer(text))
    runs: list[list[str]] = []
    current: list[str] = []
    previous_end = None
    for i, m in enumerate(matches):
        token = m.group(0)
        name_like = _is_capitalised(token) and not token.isdigit() and token != "I"
        if i == 0 and name_like:
            after = text[m.end():m.end() + 2]
            if (token.lower() in common or token.lower() in lowercase_in_sources
                    or (after[:1] == "-" and after[1:2].islower())):
                name_like = False
        joined = previous_end is not None and text[previous_end:m.start()] == " "
        if current and not (name_like and joined):
            runs.append(current)
            current = []
        if name_like:
            current.append(token)
        previous_end = m.end()
    if current:
        runs.append(current)
    return runs


def _contains_run(haystack: Sequence[str], run: Sequence[str]) -> bool:
    n = len(run)
    return any(list(haystack[i:i + n]) == list(run) for i in range(len(haystack) - n + 1))


def _variant_of(word: str, known: set[str]) -> bool:
    """"Libyan" is supported by "Libya" and vice versa (endings listed in prompts.toml)."""
    for suffix in prompt_config()["guard"]["name_variant_suffixes"]:
        if word.endswith(suffix) and word[: -len(suffix)] in known and len(word) - len(suffix) >= 4:
            return True
        if len(word) >= 4 and word + suffix in known:
            return True
    return False


def _qualified_name_pattern() -> re.Pattern:
    qualifiers = "|".join(sorted(map(re.escape, prompt_config()["guard"]["name_qualifiers"]), key=len, reverse=True))
    return re.compile(rf"\b([A-Z][^\W_]*) ?- ?({qualifiers})\b")


def dropped_qualifiers(summary: str, sources: Sequence[str]) -> list[str]:
    """Names the sources only give with a hyphenated qualifier that the summary drops.

    "U.S.-backed forces captured the headquarters" must not become "U.S. forces captured ...": every
    token, numbers and names alike, is supported, yet the sentence says something else. Reported as
    "US (sources: US-backed)".
    """
    pattern = _qualified_name_pattern()
    qualified: dict[str, str] = {}
    free: set[str] = set()
    for source in sources:
        text = normalize(source)
        qualified_at = set()
        for m in pattern.finditer(text):
            qualified.setdefault(m.group(1), m.group(2))
            qualified_at.add(m.start(1))
        for m in re.finditer(r"\b[A-Z][^\W_]*\b", text):
            if m.group(0) in qualified and m.start() not in qualified_at:
                free.add(m.group(0))
    only_qualified = {name: q for name, q in qualified.items() if name not in free}
    if not only_qualified:
        return []
    text = normalize(summary)
    kept = {m.start(1) for m in pattern.finditer(text)}
    found = []
    for m in re.finditer(r"\b[A-Z][^\W_]*\b", text):
        name = m.group(0)
        if name in only_qualified and m.start() not in kept:
            note = f"{name} (sources: {name}-{only_qualified[name]})"
            if note not in found:
                found.append(note)
    return found


def unsupported_tokens(summary: str, sources: Sequence[str]) -> list[str]:
    """Numbers and capitalised names in ``summary`` that do not occur in any of ``sources``, and names
    stripped of the qualifier the sources always give them (``dropped_qualifiers``).

    Numbers: digit strings (compared by value: "1,500" = "1500", "09" = "9") and number words
    ("four" = "4"). Names: runs of capitalised words ("Government of National Accord" is checked as
    "Government", "National Accord"); each run must occur as a whole in one source. Acronyms count
    ("US", "IS", "GNA"). Spelling is normalised first ("U.S." = "US", "Libya's" = "Libya", curly
    quotes and dashes). A capitalised sentence-initial common word ("The", "Fighting") is not a name.
    Returns the offending tokens sentence by sentence (numbers, then names), each once.
    """
    source_tokens = [_tokens(s) for s in sources]
    all_tokens = {t for toks in source_tokens for t in toks}
    numbers = {v for t in all_tokens if (v := _number_value(t)) is not None}
    lowercase = {t for t in all_tokens if t.islower()}
    capitalised = {t for t in all_tokens if _is_capitalised(t)}

    found: list[str] = []
    for sentence in split_sentences(unicodedata.normalize("NFKC", summary).translate(_QUOTES)):
        for token in _tokens(sentence):
            value = _number_value(token)
            if value is not None and value not in numbers:
                found.append(token)
            elif value is None and any(c.isdigit() for c in token) and token not in all_tokens:
                found.append(token)  # "2015-16", "F-16": must be copied as is
        for run in _name_runs(sentence, lowercase):
            run = [t for t in run if _number_value(t) is None]
            if not run or any(_contains_run(toks, run) for toks in source_tokens):
                continue
            if len(run) > 1 and "".join(run) in all_tokens:
                continue  # "Apple Insider" for "AppleInsider"
            if len(run) == 1 and _variant_of(run[0], capitalised):
                continue
            # a run not found whole: report its words that are not names in the sources
            # (a new combination of known names, like "Libyan Army" from "Libyan" and "Army",
            # is reported as the run itself)
            missing = [t for t in run if t not in capitalised and not _variant_of(t, capitalised)]
            found.extend(missing if missing else [" ".join(run)])
    found.extend(dropped_qualifiers(summary, sources))
    seen: set[str] = set()
    return [t for t in found if not (t in seen or seen.add(t))]


def central_sentence(sentences: Sequence[str]) -> str:
    """The sentence sharing most content words with the others (ties: the first); for fallbacks."""
    if not sentences:
        return ""
    common = set(prompt_config()["guard"]["sentence_start_common_words"])
    bags = [{t.lower() for t in _tokens(s)} - common for s in sentences]

    def score(i: int) -> float:
        return sum(len(bags[i] & bags[j]) / (len(bags[i] | bags[j]) or 1) for j in range(len(bags)) if j != i)

    best = max(range(len(sentences)), key=lambda i: (score(i), -i))
    return sentences[best]


def guard(text: str, task) -> list[faithfulness.Finding]:
    """Every reason to reject ``text`` for ``task``: names and numbers against everything the prompt
    showed (``task.support``), then the meaning checks of ``timeline.faithfulness`` against what it
    summarises (``task.sources``: source sentences for an entry, entry texts for a paragraph)."""
    found = [faithfulness.Finding("names-and-numbers", f"not in the sources: {t}")
             for t in unsupported_tokens(text, task.support)]
    return found + faithfulness.check(text, task.sources or task.support, skip={"names-and-numbers"},
                                      roles=getattr(task, "roles", ()), other_dates=getattr(task, "other_dates", ()),
                                      other_actions=getattr(task, "other_actions", ()),
                                      own_actions=getattr(task, "own_actions", ()),
                                      claimed_by=getattr(task, "claimed_by", ()),
                                      stretch_sources=getattr(task, "stretch_sources", ()))


def feedback(checks: Sequence[str]) -> str:
    """What a retry prompt says about a rejected first answer: each failed check's name and hint."""
    if not checks:
        return ""
    lines = [f"- {name}: {faithfulness.hint(name)}" for name in checks]
    return "Your first answer was rejected by these checks:\n" + "\n".join(lines) + "\n"


def _starts_a_sentence(text: str) -> bool:
    """Does ``text`` begin as a sentence does (a capital or a digit), not as a clause cut out of one
    ("who repelled ...", "at least 10 people had been killed since Friday")?"""
    first = next((c for c in text if c.isalnum()), "")
    return first.isupper() or first.isdigit()


def _counts(sentence: str) -> bool:
    """Does ``sentence`` state a running total ("36 strikes since August 1")?"""
    from .. import nlp

    return bool(faithfulness.running_totals(nlp.parse(sentence)))


def without_opener(sentence: str) -> str:
    """``sentence`` without an opening topic-shift marker and its comma ("Meanwhile, the parliament
    ..." gives "The parliament ..."; words of event_words.toml [discourse] shift_openers): alone, as
    an entry's text, it points to a story the reader is not given. A move in time ("After that,")
    says how the happening stands to another and stays."""
    from ..events.predicates import words

    stripped = sentence.lstrip()
    lowered = stripped.lower()
    for opener in sorted(words().topic_openers, key=len, reverse=True):
        if lowered.startswith(opener + ","):
            rest = stripped[len(opener) + 1:].lstrip()
            if rest:
                return rest[0].upper() + rest[1:]
    return sentence


def fallback_sentence(sentences: Sequence[str], whole: Sequence[str] = (), without: Sequence[str] = ()) -> str:
    """The extractive fallback: the most central source sentence that reads on its own (begins as a
    sentence, no artefact, no unnamed referent) once ``faithfulness.compress`` has removed its side
    clauses; else the same from ``whole``, the full sentences a source clause was cut from; the most
    central one, compressed, when none does. Words and order are the source's (an opening
    "Meanwhile," goes: ``without_opener``). A clause carrying
    one of the ``without`` expressions (another event's time, ``other_dates``) is removed first
    where it can go (``faithfulness.without_clauses_of``)."""
    if not sentences:
        return ""
    ranked = sorted(sentences, key=lambda s: (s != central_sentence(sentences), sentences.index(s)))
    common = central_sentence(sentences)
    order = [common, *[s for s in ranked if s != common]]
    order += [w for w in dict.fromkeys(whole) if w and w not in order]
    skip = set(faithfulness.check_names()) - {"hygiene", "unintroduced-referent"}

    def shortened(sentence: str) -> str:
        kept = faithfulness.without_clauses_of(sentence, without) if without else sentence
        return without_opener(faithfulness.compress(kept))

    for sentence in order:
        short = shortened(sentence)
        if _starts_a_sentence(short) and not faithfulness.check(short, [sentence], skip=skip):
            return short
    return shortened(common)


def repeats_an_entry(paragraph: str, entry_texts: Sequence[str]) -> bool:
    """True when a paragraph says no more than one of its entries: every content word of it is in that entry."""
    words = {t.lower() for t in _tokens(paragraph)} - set(prompt_config()["guard"]["sentence_start_common_words"])
    return any(words <= {t.lower() for t in _tokens(text)} for text in entry_texts)


def clean_output(text: str, *, first_sentence: bool) -> str:
    """Strip lead-ins ("Summary:"), wrapping quotes and markup; collapse whitespace; optionally keep
    only the first sentence. For paragraphs, drop a last sentence cut off by the token limit."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"^[#*\s]+", "", text)
    changed = True
    while changed:
        changed = False
        for prefix in prompt_config()["postprocess"]["prefixes"]:
            if text.lower().startswith(prefix):
                text = text[len(prefix):].strip()
                changed = True
        if len(text) >= 2 and text[0] in "\"'\u201c" and text[-1] in "\"'\u201d" :
            text = text[1:-1].strip()
            changed = True
    text = text.replace("**", "")
    if first_sentence:  # an answer line, then often a note or a second attempt on later lines
        text = next((line for line in text.splitlines() if line.strip()), "")
    text = re.sub(r"\s+", " ", text).strip()
    sentences = split_sentences(text)
    if not sentences:
        return ""
    if first_sentence:
        text = sentences[0]
    else:
        if len(sentences) > 1 and not re.search(r"[.!?][\"')\]]*$", sentences[-1]):
            sentences = sentences[:-1]
        kept: list[str] = []
        for sentence in sentences:  # greedy decoding sometimes repeats a sentence verbatim
            if sentence not in kept:
                kept.append(sentence)
        text = " ".join(kept)
    return text.strip().strip("\"\u201c\u201d").strip()


_OPENING_QUOTES = "\"'\u201c"


def first_sentence_settled(text: str) -> bool:
    """True when no continuation of ``text`` can change ``clean_output(text, first_sentence=True)``.

    Generation of a one-sentence answer stops there (``ChatGenerator``'s ``done``): the tokens a model
    writes after its first sentence (a second sentence, a note on the next line) are discarded by
    ``clean_output`` anyway, and in a batch every row waits for the longest. Settled means: the answer
    line is non-empty and either a line break follows it or a second sentence has begun (the split
    needs the next sentence's first character, so it cannot move once seen). Never settled while the
    text, after its lead-ins, starts with a quote mark: whether ``clean_output`` unwraps the quotes
    depends on the last character of the whole answer.
    """
    text = re.sub(r"^[#*\s]+", "", unicodedata.normalize("NFKC", text))  # only the start: a final line break counts
    changed = True
    while changed:
        if text[:1] in _OPENING_QUOTES:
            return False  # includes the empty text
        changed = False
        for prefix in prompt_config()["postprocess"]["prefixes"]:
            if text.lower().startswith(prefix):
                text = text[len(prefix):].lstrip()
                changed = True
    lines = (text.replace("**", "") + "\x00").splitlines()  # the sentinel marks an unfinished last line
    lines[-1] = lines[-1][:-1]
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return False
    sentences = split_sentences(re.sub(r"\s+", " ", lines[first]).strip())
    if not sentences:
        return False
    return first < len(lines) - 1 or len(sentences) >= 2


# --------------------------------------------------------------------------------------------------
# rendering prompts


def _render_date(entry: TimelineEntry) -> str:
    """The date a prompt shows ("9 August 2016", "the week of 15 February 2016", "summer 2014"):
    ``datetext.reader_date`` in the long style, never the raw TIMEX3 value."""
    return reader_date(entry.date, entry.granularity, style="long")


def years_label(entries: Sequence[TimelineEntry]) -> str:
    """The years the entries span, from the data: "2008", "2014\u20132016" ("" without entries)."""
    years = sorted({y for e in entries for y in (e.start.year, e.end.year)})
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}\u2013{years[-1]}"


def render_label(label: str) -> str:
    """"2016-08" -> "August 2016"; other labels unchanged."""
    return month_label(label)


def _source_sentences(entry: TimelineEntry) -> list[str]:
    seen: list[str] = []
    for ref in entry.sources:
        text = re.sub(r"\s+", " ", ref.sentence).strip()
        if text and text not in seen:
            seen.append(text)
    return seen


def _is_background_state(record) -> bool:
    """A source that describes how things stand (event class "state": "the forces in Sirte are mostly
    militia fighters from Misrata") rather than what happened; a headline is never one."""
    return getattr(record, "event_class", "") == "state" and getattr(record, "role", "") != "headline"


def _told_sources(entry: TimelineEntry, records: Mapping) -> list:
    """The entry's sources that tell its happening: a state merged in beside it (it shares the
    article and the day, or the words) is context, and a summary built from both reads as one fact
    ("recaptured the headquarters, while the forces are mostly fighters from Misurata"). States stay
    only when the entry has nothing else."""
    keyed = [(ref, records.get((ref.article, ref.start, ref.end))) for ref in entry.sources]
    told = [ref for ref, record in keyed if not _is_background_state(record)]
    return told or [ref for ref, _ in keyed]


def _prompt_sentences(entry: TimelineEntry, records: Mapping) -> list[tuple[str, object | None]]:
    """What an entry's prompt shows: each source that tells the happening (``_told_sources``) as the
    whole sentence it stands in when it is a clause of one (a clause alone, "to convene on Monday",
    does not say who did it: the model would invent a doer), with the source's event record;
    duplicates once."""
    out: list[tuple[str, object | None]] = []
    for ref in _told_sources(entry, records):
        clause = re.sub(r"\s+", " ", ref.sentence).strip()
        record = records.get((ref.article, ref.start, ref.end))
        whole = re.sub(r"\s+", " ", getattr(record, "sentence", "") or "").strip()
        text = whole if whole and clause and clause in whole else clause
        if text and text not in (t for t, _ in out):
            out.append((text, record))
    return out


def _whole_sentences(entry: TimelineEntry, records: Mapping) -> list[str]:
    """The full sentences the entry's told source clauses stand in (from their event records), in order."""
    out = []
    for ref in _told_sources(entry, records):
        record = records.get((ref.article, ref.start, ref.end))
        sentence = getattr(record, "sentence", "")
        if sentence and sentence != ref.sentence:
            out.append(sentence)
    return out


@cache
def _calendar_words() -> frozenset[str]:
    """Month and weekday names (the tagger's tables): capitalised, yet never part of a person's name."""
    from ..timexes.rules import word_table

    return frozenset(k.strip(".") for table in ("month", "weekday") for k in word_table(table))


_NAME_RUN = re.compile(r"\b(?:[A-Z][a-z'’-]+ ){1,3}[A-Z][a-z'’-]+\b")
_APPOSITIVE = re.compile(r"\A, ((?:the|a|an) [^,;.()]{2,60}),")


def introductions(sentences: Sequence[str], article_sentences: Sequence[str]) -> list[str]:
    """Who a bare surname in ``sentences`` is, as the article introduced them: "Khalifa said 16
    fighters had been killed" and, earlier, "Mokhtar Khalifa, the Sirte mayor, has told ..." give
    "Mokhtar Khalifa, the Sirte mayor". A reader of one timeline entry has not read that earlier
    sentence, so the prompt shows the line and the guard (``unintroduced-referent``) holds a
    summary that names the person bare. A surname the article gives two full names for is left
    alone (which one?), as is one the sentences already give in full."""
    shown = " ".join(sentences)
    common = {w for text in (*article_sentences, *sentences) for w in re.findall(r"\b[a-z][\w'’-]*", text)}
    with_runs = [t for t in dict.fromkeys(article_sentences) if _NAME_RUN.search(t)]
    if not with_runs:
        return []
    from .. import nlp  # the one text layer: who is a person is the parse's NER

    full: dict[str, set[str]] = {}
    for sentence, doc in zip(with_runs, nlp.parse_many(with_runs)):
        people = {t.idx for t in doc if t.ent_type_ == "PERSON"}
        for m in _NAME_RUN.finditer(sentence):
            if m.end() - len(m.group(0).split(" ")[-1]) not in people:
                continue  # "Fajr Libya", "Washington Post": a name, not a person's
            words = m.group(0).split(" ")
            while len(words) > 1 and (words[0].lower() in common or words[0].lower() in _calendar_words()):
                words = words[1:]  # "On", "The" opening the sentence (words the article writes lower case), "Tuesday"
            if len(words) < 2:
                continue
            name, last = " ".join(words), words[-1]
            appos = _APPOSITIVE.match(sentence[m.end():])
            full.setdefault(last, set()).add(name + (f", {appos.group(1)}" if appos else ""))
    out = []
    for last, names in sorted(full.items()):
        if len({n.split(",")[0] for n in names}) != 1:
            continue
        if not _bare(last, shown, common) or any(n.split(",")[0] in shown for n in names):
            continue
        out.append(max(names, key=len))
    return out


def antecedents(shown: Sequence[tuple[str, object | None]], by_sentence: Mapping) -> list[str]:
    """Which place an unnamed "the city" or "there" of a shown sentence is, as its article named it
    just before: after "Eastern military forces have also been involved in heavy fighting ... in
    Benghazi", "Clashes continued there on Wednesday" gives "'there' is Benghazi". A reader of one
    entry has not read the sentence before, so the prompt shows these lines (and the guard's support
    holds the names).

    The answer is the place named earlier in the same sentence, else in the nearest of the
    ``[referents] lookback`` sentences before it (the places of their event records: the parse's
    entities read with the corpus's place table); only a sentence naming exactly one fitting place
    answers (two cities before "the city" is a guess, and none is made). A noun fits by the kind the
    place table gives (``[referents]``: "the city" takes a city, "the country" a country); "there"
    takes any place. Groups and happenings are not looked up: the small parser's entities mistake
    towns for organisations, so those are left to the guard and the fallback."""
    from .. import nlp, places

    config = prompt_config()["referents"]
    fits: dict[str, set[str]] = {noun: set(kinds) for noun, kinds in config["kinds"].items()}
    asked = [(text, record) for text, record in shown if record is not None]
    if not asked:
        return []
    out: list[str] = []
    for (text, record), doc in zip(asked, nlp.parse_many([t for t, _ in asked])):
        wanted = []
        for t, kind in faithfulness.unnamed_referents(doc):
            word = t.lower_ if t.pos_ == "ADV" else t.lemma_.lower()
            if kind == "place" and word in fits:
                wanted.append((t, fits[word]))
        if not wanted:
            continue
        before = []
        for back in range(1, int(config["lookback"]) + 1):
            events = by_sentence.get((record.article, record.sentence_index - back))
            if events:
                before.append(" ".join((events[0].sentence or events[0].text).split()))
        earlier = list(zip(before, nlp.parse_many(before))) if before else []
        for t, kinds in wanted:
            phrase = doc[min([t.i, *(c.i for c in t.lefts)]): t.i + 1].text
            # the same sentence up to the word, then the sentences before, nearest first
            for sentence, ents in [(text[:t.idx], [e for e in doc.ents if e.end_char <= t.idx]),
                                   *((b, d.ents) for b, d in earlier)]:
                named = [p for p in places.entity_places(sentence, ents)
                         if "*" in kinds or places.kind_of(p) in kinds]
                if named:
                    if len(named) == 1:
                        out.append(f"'{phrase}' is {named[0]}")
                    break
    return list(dict.fromkeys(out))


def _bare(name: str, text: str, common: set[str]) -> bool:
    """``name`` stands in ``text`` with no other name word just before or after it (a capitalised
    word that is neither written lower case elsewhere, "On", nor a weekday or month)."""
    words = re.findall(r"[\w'’-]+", text)

    def name_word(w: str) -> bool:
        return w[:1].isupper() and w.lower() not in common and w.lower() not in _calendar_words()

    for i, w in enumerate(words):
        if w != name:
            continue
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if not name_word(before) and not name_word(after):
            return True
    return False


def _article_sentences(entry: TimelineEntry, by_sentence: Mapping) -> list[str]:
    """The sentences of the entry's articles that the event records hold, in article order."""
    arts = {ref.article for ref in entry.sources}
    keys = sorted(k for k in by_sentence if k[0] in arts)
    return [re.sub(r"\s+", " ", by_sentence[k][0].sentence or by_sentence[k][0].text).strip() for k in keys]


def _events_by_source(events: Sequence) -> dict[tuple[str, int, int], object]:
    """Event records keyed as entries' sources are: (article, start, end) of the clause."""
    return {(e.article, e.start, e.end): e for e in events}


def _events_by_sentence(events: Sequence) -> dict[tuple[str, int], list]:
    """Event records grouped by (article, sentence index)."""
    out: dict[tuple[str, int], list] = {}
    for e in events:
        out.setdefault((e.article, e.sentence_index), []).append(e)
    return out


def _sentence_events(entry: TimelineEntry, records: Mapping, by_sentence: Mapping):
    """Every event of the sentences the entry's sources stand in, source by source."""
    for ref in entry.sources:
        record = records.get((ref.article, ref.start, ref.end))
        if record is not None:
            yield from by_sentence.get((record.article, record.sentence_index), ())


def other_dates(entry: TimelineEntry, records: Mapping, by_sentence: Mapping) -> tuple[str, ...]:
    """The temporal expressions the entry's sentences give to other events, at times outside the
    entry's stretch: "in June" (2016) in "IS seized Sirte in 2015 and forces launched an operation
    to retake it in June", for the 2015 entry. The guard's ``other-date`` keeps them out of its
    summary, where they would read as the entry's own time, and the fallback drops their clause."""
    own = {" ".join(ref.timex.split()).lower() for ref in entry.sources if ref.timex}
    found: list[str] = []
    for other in _sentence_events(entry, records, by_sentence):
        expression = getattr(other.timex, "text", other.timex) or ""  # a Timex on records
        phrase = " ".join(str(expression).split())
        if not phrase or phrase.lower() in own or other.first_day is None or other.last_day is None:
            continue
        if not faithfulness.mentioned(other.sentence or "", [phrase]):
            continue  # a time carried from an earlier sentence: this one does not say it
        if other.last_day < entry.start or other.first_day > entry.end:
            found.append(phrase)
    return tuple(dict.fromkeys(found))


#: an entry this many days or more before a present main clause of its sentence is of another period
#: than the one that clause describes (``other_actions``)
OTHER_FRAME_DAYS = 31


def other_actions(entry: TimelineEntry, records: Mapping, by_sentence: Mapping) -> tuple[str, ...]:
    """The verbs of what the entry's sentences say holds at their report's time, for an entry of an
    earlier period: "has fostered" in "A power vacuum since the 2011 toppling of Kadhafi has
    fostered the rise of IS", for the 2011 entry of the toppling. Such a main clause (present or
    present perfect, dated by the article's reference date) tells the reader's now, not 2011; the
    guard's ``other-frame`` keeps its verb out of the entry's summary. The entry's own sources'
    verbs never count."""
    own = {(ref.article, ref.start, ref.end) for ref in entry.sources}
    found: list[str] = []
    for other in _sentence_events(entry, records, by_sentence):
        if (other.article, other.start, other.end) in own or other.role != "main" or not other.trigger:
            continue
        if other.tense not in {"present", "present-perfect"} or not other.rule.startswith("reference-date:"):
            continue
        if other.first_day is not None and (other.first_day - entry.end).days >= OTHER_FRAME_DAYS:
            found.append(other.trigger)
    return tuple(dict.fromkeys(found))


def stretch_sentences(entry: TimelineEntry) -> tuple[str, ...]:
    """The entry's source sentences that date it at the start of the stretch they report (rule
    suffix ``+start``: "have carried out 36 strikes over Sirte since August 1", for 1 August). What
    they count holds at their report's date; the guard's ``stretch-total`` keeps those totals out of
    the summary and the fallback prefers another sentence."""
    return tuple(dict.fromkeys(" ".join(ref.sentence.split()) for ref in entry.sources
                               if "+start" in (ref.rule or "") and ref.sentence))


def claimed_by(entry: TimelineEntry, records: Mapping) -> tuple[str, ...]:
    """Who claims the happening the entry's headline states as fact, when its article's body tells
    it only as their claim: "Libyan forces recapture ISIL headquarters in Sirte" above "The fighters
    said that they had seized control of the convention center that was used as ISIS's
    headquarters". A body report of the entry that shares a content word with the headline (a noun
    or verb that names no entity, as the parse read it: ``Event.word_kinds``) gives its speaker; a
    happening the body states as fact (not reported) sharing one means the paper asserts it, and
    nothing is returned. The guard's ``headline-claim`` then wants the attribution kept."""
    keyed = [records.get((ref.article, ref.start, ref.end)) for ref in entry.sources]
    headline = next((r for r in keyed if r is not None and r.role == "headline"), None)
    if headline is None:
        return ()

    def content(record) -> set[str]:
        return {w for w, kind in record.word_kinds if kind == "content" and len(w) > 3}

    words = content(headline)
    speakers, asserted = [], False
    for r in keyed:
        if r is None or r is headline or r.article != headline.article or not words & content(r):
            continue
        if r.event_class == "reporting" and r.actor:
            speakers.append(r.actor)
        elif r.event_class == "happening" and r.tense in {"past", "present-perfect"} and not r.attribution:
            asserted = True
    return () if asserted else tuple(dict.fromkeys(speakers))


def claim_fallback(entry: TimelineEntry, records: Mapping, claimed: Sequence[str]) -> str:
    """The extractive fallback of an entry whose headline states a claim (``claimed_by``): the
    first body report of a claimer, compressed, that is free of text artefacts ("The fighters said
    that they had seized control of the sprawling convention center that was used as ISIS's
    headquarters in the coastal city."); its referents may be the article's own ("the coastal
    city"): a claim told as fact would be worse. Empty when no report reads cleanly."""
    skip = set(faithfulness.check_names()) - {"hygiene"}
    for ref in entry.sources:
        record = records.get((ref.article, ref.start, ref.end))
        if record is None or record.event_class != "reporting" or record.actor not in claimed:
            continue
        short = faithfulness.compress(" ".join((record.sentence or ref.sentence).split()))
        if _starts_a_sentence(short) and not faithfulness.check(short, [record.sentence or ref.sentence], skip=skip):
            return short
    return ""


def own_actions(entry: TimelineEntry, records: Mapping) -> tuple[str, ...]:
    """The triggers of the entry's clause sources ("toppling", "killed"): what an entry of an earlier
    period than its sentences' main clauses (``other_actions``) must tell."""
    found = []
    for ref in entry.sources:
        record = records.get((ref.article, ref.start, ref.end))
        if record is not None and record.trigger and record.role in {"subordinate", "noun", "reported"}:
            found.append(record.trigger)
    return tuple(dict.fromkeys(found))


def clause_fallback(entry: TimelineEntry, records: Mapping) -> str:
    """The extractive fallback of an entry dated by a clause of an earlier period: the clause itself
    when it reads as a label ("The 2011 toppling of dictator Moamer Kadhafi.") or, without its
    opening conjunction, as a sentence ("... wracked by turmoil since Gaddafi was ousted and killed
    in October 2011" gives "Gaddafi was ousted and killed in October 2011.", ``subordinate_clause``),
    and names no referent left unintroduced ("the attack on the consulate there"); else its whole
    sentence as written (compressing it would cut the very clause that carries the date)."""
    ref = entry.sources[0]
    clause = " ".join(ref.sentence.split()).rstrip(".,;: ")
    record = records.get((ref.article, ref.start, ref.end))
    whole = " ".join((getattr(record, "sentence", "") or ref.sentence).split())
    candidate, checks = "", {"hygiene", "unintroduced-referent"}
    if record is not None and record.role == "noun" and clause.split()[:1] and \
            clause.split()[0].lower() in {"the", "a", "an"}:
        candidate = clause[0].upper() + clause[1:] + "."
    elif record is not None:
        candidate, checks = subordinate_clause(record), checks | {"no-main-verb"}
    if candidate and (not ref.timex or ref.timex in candidate):
        if not faithfulness.check(candidate, [whole], skip=set(faithfulness.check_names()) - checks):
            return candidate
    return whole


def subordinate_clause(record) -> str:
    """The adverbial clause an event's trigger heads (through its conjuncts: "ousted and killed"), as
    a sentence of its own: the subtree of the clause's verb without its opening conjunction ("since",
    "after", "when"), up to the first comma after the trigger (what the parse hangs on the clause
    after a comma, "..., with rival governments vying for power", is often the sentence's), first
    letter capitalised. Empty when the clause is not adverbial (a reported
    clause would lose who says so), has no subject of its own or a pronoun or relative word for one
    (whose words would not stand alone), or is not finite. Words and order are the source's."""
    from .. import nlp

    sentence = record.sentence or ""
    at = record.trigger_start - record.sentence_start
    if not sentence or record.trigger_start < 0 or not 0 <= at < len(sentence):
        return ""
    doc = nlp.parse(sentence)
    verb = next((t for t in doc if t.idx <= at < t.idx + max(1, len(t.text))), None)
    while verb is not None and verb.dep_ == "conj" and verb.head.pos_ in {"VERB", "AUX"}:
        verb = verb.head
    if verb is None or verb.dep_ != "advcl":
        return ""
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    finite = any(t.tag_ in {"VBD", "VBZ", "VBP", "MD"}
                 for t in [verb, *(c for c in verb.children if c.dep_ in {"aux", "auxpass"})])
    if not subjects or not finite or any(s.pos_ == "PRON" or s.tag_ in {"WDT", "WP"} for s in subjects):
        return ""
    words = [t for t in verb.subtree
             if not (t.dep_ in {"mark", "advmod"} and t.head.i == verb.i and t.i < subjects[0].i)]
    if not words or words[-1].i - words[0].i + 1 != len(words):
        return ""  # not one stretch of the sentence once its conjunction is off
    trigger = next(t for t in doc if t.idx <= at < t.idx + max(1, len(t.text)))
    comma = next((t for t in words if t.i > trigger.i and t.text == ","), None)
    if comma is not None:  # "..., with rival governments vying for power": the parse's guess, not the clause's
        words = [t for t in words if t.i < comma.i]
    text = doc[words[0].i: words[-1].i + 1].text.rstrip(".,;: ")
    return text[:1].upper() + text[1:] + "." if len(text.split()) >= 3 else ""


def thread_chronology(strands: Sequence, template: Mapping, *, per_thread: int = 2) -> str:
    """The overview's extractive fallback: every thread's most salient entries, each after its reader
    date, under the thread's name, threads in the order their story starts.

    "Benghazi: 8 February 2015 — Troops ... launched a new offensive .... 23 February 2016 — The military
    said ...  Sirte: ..." Only entry texts (which passed the guard) and dates are used, so the fallback
    states nothing the entries do not, yet tells each strand in order with its dates.
    """
    picked = [(strand, salient(strand, per_thread)) for strand in strands]
    picked = [(strand, entries) for strand, entries in picked if entries]
    picked.sort(key=lambda se: (se[1][0].start, se[1][0].end))
    parts = []
    for strand, entries in picked:
        told = " ".join(f"{_capitalized(_render_date(e))} \u2014 {_entry_text(e)}" for e in entries)
        if len(picked) > 1:
            title = strand.name or template["rest_title"]
            told = f"{title}: {told}"
        parts.append(told)
    return " ".join(parts)


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _entry_text(entry: TimelineEntry) -> str:
    return entry.summary or central_sentence(_source_sentences(entry))


def _chat(template: dict, **fields: str) -> Messages:
    return [{"role": "system", "content": template["system"].strip()},
            {"role": "user", "content": template["user"].strip().format(**fields)}]


def _bullets(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


# --------------------------------------------------------------------------------------------------
# the cache


class SummaryCache:
    """Model outputs keyed by a hash of their inputs, in one deterministic JSON file.

    The file is only a cache, so a damaged one never stops a run: whatever cannot be read (not JSON,
    not UTF-8, another format, wrong types, a folder in its place) is ignored with one warning on
    stderr, the summaries are generated again, and the file is rewritten whole. Items of the wrong
    shape are dropped one by one and the rest kept.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.items: dict[str, dict] = {}
        self.writable = True
        if self.path.exists() or self.path.is_symlink():
            if not self.path.is_file():
                self.writable = False
                _cache_warning(f"summary cache {self.path} is not a file; summaries are not cached this run "
                               "(move it away to cache them again)")
            else:
                self.items = self._read(warn=True)
        self.dirty = False
        self.used: set[str] = set()

    def _read(self, warn: bool) -> dict[str, dict]:
        """The valid items of the file on disk; {} (and a warning) if it cannot be used at all."""
        def problem(what: str) -> dict:
            if warn:
                _cache_warning(f"summary cache {self.path} {what}; it is ignored and rebuilt")
            return {}

        try:
            data = json.loads(self.path.read_bytes().decode("utf-8"))
        except OSError as err:
            return problem(f"cannot be read ({err.strerror})")
        except UnicodeDecodeError:
            return problem("is not UTF-8 text")
        except ValueError as err:
            return problem(f"is not valid JSON ({err})")
        if not isinstance(data, dict):
            return problem(f"holds a JSON {type(data).__name__}, not an object")
        if data.get("format") != CACHE_FORMAT:
            return problem(f"has format {data.get('format')!r}, expected {CACHE_FORMAT!r}")
        items = data.get("items")
        if not isinstance(items, dict):
            return problem(f"has 'items' of type {type(items).__name__}, not an object")
        valid = {key: item for key, item in items.items() if _valid_cache_item(key, item)}
        if warn and len(valid) < len(items):
            _cache_warning(f"summary cache {self.path}: {len(items) - len(valid)} of {len(items)} items are "
                           "malformed; they are dropped and regenerated")
        return valid

    def get(self, key: str) -> str | None:
        item = self.items.get(key)
        if item is None:
            return None
        self.used.add(key)
        return item["output"]

    def put(self, key: str, output: str, **about: str) -> None:
        self.items[key] = {"output": output, **about}
        self.used.add(key)
        self.dirty = True

    def prune(self) -> int:
        """Drop every item this session neither read nor wrote; returns how many were dropped."""
        stale = [k for k in self.items if k not in self.used]
        for key in stale:
            del self.items[key]
        if stale:
            self.dirty = True
            self.save(merge=False)
        return len(stale)

    def save(self, merge: bool = True) -> None:
        """Write atomically, merging what another process may have added meanwhile."""
        if not self.dirty or not self.writable:
            return
        if merge and self.path.is_file():
            self.items = {**self._read(warn=False), **self.items}
        text = json.dumps({"format": CACHE_FORMAT, "items": self.items}, indent=1, sort_keys=True,
                          ensure_ascii=False) + "\n"
        from ..publish import atomic_write_text

        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.path, text)  # temp file beside it, fsync, rename; no leftover on failure
        self.dirty = False


def _valid_cache_item(key, item) -> bool:
    return (isinstance(key, str) and isinstance(item, dict) and isinstance(item.get("output"), str)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in item.items()))


def _cache_warning(message: str) -> None:
    import sys

    print(f"warning: {message}", file=sys.stderr, flush=True)


def cache_key(model_id: str, template: str, version: int, chat: Messages, decoding: dict) -> str:
    payload = json.dumps({"model": model_id, "template": template, "version": version, "chat": chat,
                          "decoding": decoding}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------------
# the summarizer


@dataclass(frozen=True)
class _Task:
    """One text to produce: the chats to try in order, what the guard checks, the fallback."""

    kind: str  # "entry", "period", "overview"
    templates: tuple[str, ...]  # first try, strict retry
    fields: dict
    support: tuple[str, ...]
    fallback: str
    first_sentence: bool
    max_new_tokens: int
    fallback_rule: str = "central-sentence"
    sources: tuple[str, ...] = ()  # what the meaning checks compare against (default: support)
    roles: tuple[faithfulness.Roles, ...] = ()  # the sources' actor / action / object (event records)
    other_dates: tuple[str, ...] = ()  # times the sources give to other events (``other_dates``)
    other_actions: tuple[str, ...] = ()  # verbs of what holds at the report's time (``other_actions``)
    own_actions: tuple[str, ...] = ()  # with other_actions: the entry's own triggers, one to be told
    claimed_by: tuple[str, ...] = ()  # who claims what the entry's headline states (``claimed_by``)
    stretch_sources: tuple[str, ...] = ()  # sentences dating the entry at their stretch's start


@dataclass(frozen=True)
class _Result:
    text: str
    extractive: bool
    guarded: bool
    rule: str
    rejected: tuple[str, ...]
    checks: tuple[str, ...] = ()


class Summarizer:
    """Guarded, cached summaries of timeline entries, months and the whole campaign.

    ``model`` is a registry name (``default``, ``small``), a local model folder, or a hub id already
    in the local Hugging Face cache. ``cache_path`` is the JSON cache file (default:
    ``<user cache>/summary_cache.json``). ``generator`` replaces the model (tests, other backends);
    then ``model_id`` names it for the cache. ``entry_template`` picks the entry prompt in
    prompts.toml. ``batch_size`` chats are generated together (left padding); batching changes the
    arithmetic slightly, so an uncached answer can differ in rare near-ties from an unbatched one,
    while a cached rerun is always byte-identical. An entry's answer is one sentence, so with a
    generator that can stop early (``stops_early``, as ``ChatGenerator``) each row stops once its
    first sentence is settled (``first_sentence_settled``); the cache key records that stop rule.
    """

    def __init__(self, model: str = "default", *, cache_path: Path | None = None, max_new_tokens: int = 60,
                 progress: bool = True, batch_size: int = 8, dtype: str | None = None,
                 cache_dir: Path | None = None, generator: Generator | None = None,
                 model_id: str | None = None, entry_template: str = "entry"):
        self.model = model
        self.max_new_tokens = max_new_tokens
        self.progress = progress
        self.batch_size = max(1, batch_size)
        self.entry_template = entry_template
        if generator is None:
            generator = ChatGenerator(model, cache_dir=cache_dir, dtype=dtype)
            self.model_id = model_id or models.model_id(model, dtype)
            self.cache_id = model_id or models.weights_id(model)  # the cache is keyed by weights, not dtype
        else:
            self.model_id = model_id or f"custom:{getattr(generator, '__name__', type(generator).__name__)}"
            self.cache_id = self.model_id
        self.generator = generator
        self.cache = SummaryCache(Path(cache_path) if cache_path is not None
                                  else models.cache_root(cache_dir) / "summary_cache.json")
        self.stats: Counter = Counter()
        self._generation_seconds = 0.0

    # ---- public API ------------------------------------------------------------------------------

    def summarize_entry(self, entry: TimelineEntry) -> TimelineEntry:
        """``entry`` with a one-sentence ``summary`` of its source sentences (and the guard flags)."""
        return self.summarize_entries([entry])[0]

    #: ``summarize_entries`` and ``summarize_overview`` take the event records (``events=``)
    takes_events = True

    def summarize_entries(self, entries: Sequence[TimelineEntry], events: Sequence = ()) -> list[TimelineEntry]:
        """Every entry with a guarded one-sentence summary; entries without sources are unchanged.

        ``events`` (``timeline.records.Event``) give the prompt each source's actor, action, object,
        attribution and modality as the anchoring stage read them; a source without a record is read
        from its parse. They also tell which times the sources' sentences give to other events
        (``other_dates``), which the summary must not state."""
        records, by_sentence = _events_by_source(events), _events_by_sentence(events)
        tasks = {i: self._entry_task(e, records, by_sentence) for i, e in enumerate(entries) if _source_sentences(e)}
        results = self._run(tasks, desc="entry summaries")
        out = []
        for i, entry in enumerate(entries):
            if i not in results:
                self.stats["entry_skipped"] += 1
                out.append(entry)
                continue
            r = results[i]
            extra = {**entry.extra, "summary_rule": r.rule, "summary_rejected": list(r.rejected),
                     "summary_checks": list(r.checks)}
            out.append(dataclasses.replace(entry, summary=r.text, extractive=r.extractive, guarded=r.guarded,
                                           extra=extra))
        return out

    def summarize_period(self, label: str, entries: Sequence[TimelineEntry]) -> PeriodSummary:
        """A short paragraph about ``entries`` of one period (``label`` like "2016-08")."""
        return self.summarize_periods({label: entries})[0]

    def summarize_periods(self, groups: Mapping[str, Sequence[TimelineEntry]]) -> list[PeriodSummary]:
        """``summarize_period`` for several periods at once (batched: much faster than one by one)."""
        return self._summarize_spans("period", list(groups.items()))

    def summarize_overview(self, entries: Sequence[TimelineEntry], label: str | None = None,
                           events: Sequence = ()) -> PeriodSummary:
        """A paragraph about the whole window, told as its threads (``threads.threads``: one per main
        place or actor, from the entries' places and the ``events`` records' actors); ``label``
        defaults to the entries' years ("2014\u20132016")."""
        if label is None:
            label = years_label(entries)
        return self._summarize_spans("overview", [(label, entries)], _events_by_source(events))[0]

    def report(self) -> dict[str, int]:
        """Counts so far: accepted / guarded / extractive per kind, cache hits and misses."""
        return {k: self.stats[k] for k in sorted(self.stats)}

    def prune_cache(self) -> int:
        """Remove cached outputs this Summarizer did not use (call at the end of a full run, so a
        committed cache holds exactly what the current outputs need); returns how many were removed."""
        return self.cache.prune()

    @property
    def model_loaded(self) -> bool:
        return bool(getattr(self.generator, "loaded", False))

    # ---- building tasks --------------------------------------------------------------------------

    def _entry_task(self, entry: TimelineEntry, records: Mapping | None = None,
                    by_sentence: Mapping | None = None) -> _Task:
        shown = _prompt_sentences(entry, records or {})
        elsewhen = other_dates(entry, records or {}, by_sentence or {})
        now = other_actions(entry, records or {}, by_sentence or {})
        own = own_actions(entry, records or {}) if now else ()
        claimed = claimed_by(entry, records or {})
        stretches = stretch_sentences(entry)
        sentences = [text for text, _ in shown]
        if now:  # dated by a clause of an earlier period: that clause, not its sentence's present
            fallback, fallback_rule = clause_fallback(entry, records or {}), "dating-clause"
        else:  # a headline's claim: its claimer's report first
            # a sentence counting since the entry's day tells the report's total: another one first
            counted = [s for s in sentences if " ".join(s.split()) in stretches and _counts(s)]
            fallback = (claimed and claim_fallback(entry, records or {}, claimed)) or \
                fallback_sentence([s for s in sentences if s not in counted] or sentences,
                                  _whole_sentences(entry, records or {}), elsewhen)
            fallback_rule = "compressed-sentence"
        who = introductions(sentences, _article_sentences(entry, by_sentence or {}))
        which = antecedents(shown, by_sentence or {})
        strict = "entry_strict"
        lines = prompt_config()["templates"]["entry"]
        fields = {"sources": "\n".join([_bullets(sentences), *(lines["who_line"].format(line=line) for line in who),
                                        *(lines["which_line"].format(line=line) for line in which)])}
        happenings = [from_event(record, text) if record is not None else happening(text) for text, record in shown]
        if "{facts}" in prompt_config()["templates"][self.entry_template]["user"]:
            fields["facts"] = facts_block(sentences, happenings)
        roles = tuple(faithfulness.Roles(h.actor, h.action, h.object) for h in happenings)
        return _Task(kind="entry", templates=(self.entry_template, strict),
                     fields=fields, support=tuple(sentences) + tuple(who) + tuple(which),
                     fallback=fallback,
                     first_sentence=True,
                     max_new_tokens=self.max_new_tokens, fallback_rule=fallback_rule, roles=roles,
                     other_dates=elsewhen, other_actions=now, own_actions=own, claimed_by=claimed,
                     stretch_sources=stretches)

    def _span_task(self, kind: str, label: str, entries: Sequence[TimelineEntry],
                   records: Mapping | None = None) -> tuple[_Task, tuple[str, ...]] | None:
        templates = prompt_config()["templates"]
        limit = templates[kind]["max_items"]
        usable = [(i, e) for i, e in enumerate(entries) if _entry_text(e)]
        if not usable or (kind == "period" and len(usable) < 2):
            return None  # a month paragraph needs two entries to say more than its one entry does
        if kind == "overview" and "{threads}" in templates[kind]["user"]:
            return self._threads_task(label, [e for _, e in usable], records or {})
        # the most reported entries when there are too many; then back in timeline order
        chosen = sorted(usable, key=lambda ie: (-len(ie[1].sources), ie[0]))[:limit]
        chosen = [e for _, e in sorted(chosen, key=lambda ie: ie[0])]
        shown = render_label(label)
        texts = [_entry_text(e) for e in chosen]
        items = [f"{_render_date(e)}: {text}" for e, text in zip(chosen, texts)]
        support = [shown, *(_render_date(e) for e in chosen), *texts,
                   *(s for e in chosen for s in _source_sentences(e))]
        # extractive fallback of the overview: up to three entry texts, the most central one first choice,
        # in timeline order; a month paragraph has none (repeating its entries' first lines says nothing)
        if kind == "overview":
            central = central_sentence(texts)
            ranked = sorted(range(len(texts)), key=lambda i: (texts[i] != central, i))[:3]
            fallback, fallback_rule = " ".join(texts[i] for i in sorted(ranked)), "central-entries"
        else:  # a month: its counts, days, places and most salient entries (digest.month_digest)
            fallback = month_digest([e for _, e in usable], templates[kind], _entry_text, _render_date)
            fallback_rule = "month-digest"
        task = _Task(kind=kind, templates=(kind, f"{kind}_strict"),
                     fields={"label": shown, "items": _bullets(items)}, support=tuple(support),
                     fallback=fallback, first_sentence=False,
                     max_new_tokens=templates[kind]["max_new_tokens"],
                     fallback_rule=fallback_rule, sources=tuple(texts))
        return task, tuple(e.date for e in chosen)

    def _threads_task(self, label: str, entries: Sequence[TimelineEntry],
                      records: Mapping) -> tuple[_Task, tuple[str, ...]]:
        """The overview as threads: each thread's most salient entries, with reader dates, under the
        thread's name; the fallback is each thread's most salient entry, in timeline order."""
        config = prompt_config()
        template = config["templates"]["overview"]
        settings = thread_settings(config.get("threads", {}))
        strands = threads(entries, records, settings)
        shown = render_label(label)
        blocks, chosen = [], []
        for strand in strands:
            picked = salient(strand, settings.per_thread)
            chosen.extend(picked)
            title = strand.name or template["rest_title" if len(strands) > 1 else "only_title"]
            blocks.append(f"{title}:\n" + _bullets(f"{_render_date(e)}: {_entry_text(e)}" for e in picked))
        texts = [_entry_text(e) for e in chosen]
        support = [shown, *(s.name or template["rest_title"] for s in strands), *(_render_date(e) for e in chosen), *texts,
                   *(s for e in chosen for s in _source_sentences(e))]
        order = {id(e): i for i, e in enumerate(entries)}
        fallback = thread_chronology(strands, template, per_thread=settings.fallback_per_thread)
        task = _Task(kind="overview", templates=("overview", "overview_strict"),
                     fields={"label": shown, "threads": "\n".join(blocks), "items": "\n".join(blocks)},
                     support=tuple(support), fallback=fallback, first_sentence=False,
                     max_new_tokens=template["max_new_tokens"], fallback_rule="thread-chronology", sources=tuple(texts))
        ordered = sorted(chosen, key=lambda e: order[id(e)])
        return task, tuple(e.date for e in ordered)

    def _summarize_spans(self, kind: str, groups: list[tuple[str, Sequence[TimelineEntry]]],
                         records: Mapping | None = None) -> list[PeriodSummary]:
        tasks = {i: self._span_task(kind, label, entries, records) for i, (label, entries) in enumerate(groups)}
        results = self._run({i: t[0] for i, t in tasks.items() if t is not None}, desc=f"{kind} summaries")
        out = []
        for i, (label, _) in enumerate(groups):
            if tasks[i] is None:
                rule = "omitted:fewer-than-two-entries" if kind == "period" and groups[i][1] else ""
                out.append(PeriodSummary(label, "", extractive=False, guarded=False, sources=(), rule=rule))
                continue
            r = results[i]
            if kind == "period" and r.text and not r.extractive and repeats_an_entry(r.text, tasks[i][0].sources):
                # the model said no more than one entry: the month's digest says more
                task = tasks[i][0]
                r = _Result(task.fallback, True, r.guarded, f"extractive:{task.fallback_rule}",
                            r.rejected, r.checks + ("repeats-an-entry",))
            out.append(PeriodSummary(label, r.text, extractive=r.extractive, guarded=r.guarded,
                                     sources=tasks[i][1], rule=r.rule, rejected=r.rejected, checks=r.checks))
        return out

    # ---- running tasks ---------------------------------------------------------------------------

    def _run(self, tasks: dict[int, _Task], desc: str) -> dict[int, _Result]:
        """Try every task's templates in turn (batched over tasks), guard, fall back.

        The retry prompt names what the guard rejected in the first answer (each fired check's hint
        from faithfulness.toml), so the model is told what to fix; the names of the checks that fired
        go into the result's provenance.
        """
        results: dict[int, _Result] = {}
        rejected: dict[int, list[str]] = {i: [] for i in tasks}
        checks: dict[int, list[str]] = {i: [] for i in tasks}
        pending = dict(tasks)
        bar = self._bar(len(tasks), desc)
        try:
            for attempt in range(2):
                if not pending:
                    break
                answers = self._generate({i: (t.templates[attempt], t, checks[i]) for i, t in pending.items()}, bar)
                still = {}
                for i, task in pending.items():
                    text = clean_output(answers[i], first_sentence=task.first_sentence)
                    unsupported = unsupported_tokens(text, task.support) if text else ["<empty>"]
                    findings = guard(text, task) if text else [faithfulness.Finding("names-and-numbers", "<empty>")]
                    if not findings:
                        results[i] = _Result(text, False, attempt > 0, f"generated:{task.templates[attempt]}",
                                             tuple(rejected[i]), tuple(checks[i]))
                        self.stats[f"{task.kind}_{'guarded' if attempt else 'accepted'}"] += 1
                        if bar is not None:
                            bar.update(1)
                    else:
                        rejected[i].extend(t for t in unsupported if t not in rejected[i])
                        checks[i].extend(f.check for f in findings if f.check not in checks[i])
                        for f in findings:
                            self.stats[f"check:{f.check}"] += 1
                        still[i] = task
                pending = still
            for i, task in pending.items():
                results[i] = _Result(task.fallback, bool(task.fallback), True,
                                     f"extractive:{task.fallback_rule}" if task.fallback else f"omitted:{task.fallback_rule}",
                                     tuple(rejected[i]), tuple(checks[i]))
                self.stats[f"{task.kind}_{'extractive' if task.fallback else 'omitted'}"] += 1
                if bar is not None:
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()
            self.cache.save()
        return results

    def _generate(self, jobs: dict[int, tuple[str, _Task, list[str]]], bar) -> dict[int, str]:
        """Raw answers for every job: from the cache, else from the model in batches."""
        templates = prompt_config()["templates"]
        answers: dict[int, str] = {}
        misses: dict[str, tuple[Messages, str, int, list[int], bool]] = {}  # key -> chat, template, budget, tasks, stop
        stops_early = bool(getattr(self.generator, "stops_early", False))
        for i, (name, task, failed) in jobs.items():
            template = templates[name]
            chat = _chat(template, **task.fields, feedback=feedback(failed))
            decoding = {"do_sample": False, "max_new_tokens": task.max_new_tokens}
            stop = stops_early and task.first_sentence
            if stop:  # the raw answer ends where its first sentence is settled (first_sentence_settled)
                decoding["stop"] = "first-sentence"
            key = cache_key(self.cache_id, name, template["version"], chat, decoding)
            cached = self.cache.get(key)
            if cached is not None:
                self.stats["cache_hits"] += 1
                answers[i] = cached
            elif key in misses:
                misses[key][3].append(i)  # the same prompt twice: generate once
            else:
                self.stats["cache_misses"] += 1
                misses[key] = (chat, name, task.max_new_tokens, [i], stop)
        # similar lengths together: less padding; the order is deterministic
        todo = sorted(misses.items(), key=lambda kv: (kv[1][4], kv[1][2], len(json.dumps(kv[1][0])), kv[1][3][0]))
        load = getattr(self.generator, "load", None)
        if todo and callable(load) and not self.model_loaded:
            if bar is not None:
                bar.clear()
            load()  # the model (and its one-time preparation) before the clock of the progress bar runs
            if bar is not None and bar.n == 0:
                bar.reset()
        batches = []  # one stop rule per batch
        for group in ([kv for kv in todo if not kv[1][4]], [kv for kv in todo if kv[1][4]]):
            batches += [group[start:start + self.batch_size] for start in range(0, len(group), self.batch_size)]
        for batch in batches:
            budget = max(job[2] for _, job in batch)
            began = time.perf_counter()
            if batch[0][1][4]:
                outputs = self.generator([job[0] for _, job in batch], budget, done=first_sentence_settled)
            else:
                outputs = self.generator([job[0] for _, job in batch], budget)
            self._generation_seconds += time.perf_counter() - began
            if len(outputs) != len(batch):
                raise RuntimeError(f"generator returned {len(outputs)} answers for {len(batch)} prompts")
            self.stats["generations"] += len(batch)
            if bar is not None:  # the real speed: model time per generated answer, cache hits aside
                bar.set_postfix_str(f"{self._generation_seconds / self.stats['generations']:.1f} s per generation")
            for (key, (_, name, _, indices, _)), output in zip(batch, outputs):
                for i in indices:
                    answers[i] = output
                self.cache.put(key, output, model=self.model_id, template=name)
            self.cache.save()  # an interrupted run keeps what it has generated
        return answers

    def _bar(self, total: int, desc: str):
        if not self.progress or total == 0:
            return None
        from tqdm.auto import tqdm

        return tqdm(total=total, desc=desc, unit="summary")
