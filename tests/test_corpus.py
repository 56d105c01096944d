"""Corpus loading and cleaning on the real seed articles, on bad input, and on our own paragraphs."""
from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline
from timeline.corpus import Corpus, clean_text, load_corpus, read_metadata

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
BOILERPLATE_REASONS = {"share-widget", "advertisement", "comment-suspension-notice", "newsletter-prompt",
                       "doubled-byline", "headline"}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(SEEDS)


def seed_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


def by_prefix(corpus: Corpus, prefix: str):
    return corpus[next(i for i in corpus.ids if i.startswith(prefix))]


# -- the seeds ------------------------------------------------------------------------------------
def test_seeds_load_sorted_with_metadata(corpus):
    assert corpus.errors == ()
    assert len(corpus) == 5
    assert corpus.ids == tuple(IDS)
    assert [a.id for a in corpus] == IDS
    a = corpus["000_ebd112a8c2509409"]
    assert a.published == date(2016, 2, 23)
    assert a.source == "AFP"
    assert a.headline == "Libya forces make key Benghazi gains"
    assert a.path.endswith("000_ebd112a8c2509409.txt")
    assert corpus[0] is a and "000_ebd112a8c2509409" in corpus
    with pytest.raises(KeyError, match="no article with id"):
        corpus["999_missing"]
    assert timeline.load_corpus is load_corpus


def test_share_and_advertisement_lines_are_removed(corpus):
    for prefix in ("001", "004"):
        a = by_prefix(corpus, prefix)
        assert a.raw.startswith("Share\n")
        assert not a.body.startswith("Share")
        lines = [line.strip() for line in a.body.splitlines()]
        assert "Advertisement" not in lines and "Share" not in lines
        reasons = [r for _, _, r in a.removed]
        assert reasons.count("advertisement") == a.raw.count("\nAdvertisement\n") == 2
        assert "share-widget" in reasons


def test_comment_notice_removed_but_last_sentence_kept(corpus):
    a = by_prefix(corpus, "000")
    assert "temporarily suspending article commenting" in a.raw
    assert "suspending" not in a.body and "Our goal" not in a.body
    assert a.body.endswith("a senior member of the jihadist group was also killed.")
    notice = [(s, e) for s, e, r in a.removed if r == "comment-suspension-notice"]
    assert len(notice) == 1 and a.raw[notice[0][0]:notice[0][1]].startswith("Our goal is to create")


def test_doubled_byline_keeps_one_by(corpus):
    a = by_prefix(corpus, "002")
    assert "By By Ayman" in a.raw
    assert "By By" not in a.body
    assert a.body.startswith("By Ayman al-Warfalli BENGHAZI, Libya (Reuters) - Islamic State fighters")
    (start, end, _), = [r for r in a.removed if r[2] == "doubled-byline"]
    assert a.raw[start:end] == "By "


def test_captions_and_link_titles_in_seeds(corpus):
    spans = {a.id[:3]: [(s.kind, s.text) for s in a.spans] for a in corpus}
    assert spans["000"] == [] and spans["002"] == []
    (kind1, text1), = spans["001"]
    assert kind1 == "caption" and text1.startswith("Libyans wave their national flag")
    (kind4, text4), = spans["004"]
    assert kind4 == "caption" and text4 == (
        "A man loyal to the Libyan armed forces prepares himself for clashes with Islamic State group "
        "militants west of Benghazi Libya")
    kinds3 = dict((k, t) for k, t in spans["003"])
    assert kinds3["link_title"] == "Libyan army deploys reinforcements in Benghazi"
    caption = kinds3["caption"]
    assert caption.startswith("Members of a brigade headed by field commander Salah Bogheib")
    assert "on December 17, 2014." in caption and caption.endswith("AFP")
    for a in corpus:
        for span in a.spans:
            assert a.body[span.start:span.end] == span.text
            assert span.rule, "every span names the rule that marked it"
            s, e = a.raw_span(span.start, span.end)
            assert a.raw[s:e] == span.text


def test_every_own_line_survives_and_offsets_are_exact(corpus):
    for a in corpus:
        assert len(a.offsets) == len(a.body)
        assert all(a.body[i] == a.raw[a.offsets[i]] for i in range(len(a.body)))
        assert all(x < y for x, y in zip(a.offsets, a.offsets[1:]))
        covered = set(a.offsets)
        for start, end, reason in a.removed:
            assert reason in BOILERPLATE_REASONS
            covered.update(range(start, end))
        # nothing but whitespace is dropped outside recorded removals
        assert all(ch.isspace() for i, ch in enumerate(a.raw) if i not in covered)
        whole_line_removals = {a.raw[s:e] for s, e, r in a.removed if r != "doubled-byline"}
        for line in a.raw.splitlines():
            line = line.strip()
            if line and line not in whole_line_removals:
                assert line.removeprefix("By ") in a.body, (a.id, line[:60])


def test_offsets_are_held_as_runs_and_read_as_the_ints_they_stand_for(corpus):
    """An article's offsets cost a few runs, not an int per character (a 10,000-article corpus in
    one process spent over a gigabyte on them), and read back exactly as the cleaning made them."""
    import pickle
    import sys

    from timeline.records import Offsets

    for a in corpus:
        cleaned = clean_text(a.raw, a.headline)
        assert isinstance(a.offsets, Offsets) and a.offsets == tuple(cleaned.offsets)
        assert list(a.offsets) == list(cleaned.offsets) and a.offsets[-1] == cleaned.offsets[-1]
        assert a.offsets[10:40] == tuple(cleaned.offsets[10:40])
        runs = a.offsets.runs()
        assert len(runs) < len(a.body) / 20 and sum(n for _, n in runs) == len(a.body)
        assert sys.getsizeof(a.offsets._at) + sys.getsizeof(a.offsets._first) < len(a.body)
        assert pickle.loads(pickle.dumps(a.offsets)) == a.offsets and hash(Offsets(list(a.offsets))) == hash(a.offsets)
    assert Offsets.from_runs([[5, 2], [7, 3]]) == Offsets(range(5, 10)) == (5, 6, 7, 8, 9)
    with pytest.raises(IndexError):
        Offsets([1, 2])[2]


def test_headline_line_is_out_of_body_and_recorded(corpus):
    for a in corpus:
        headline_removals = [a.raw[s:e] for s, e, r in a.removed if r == "headline"]
        if a.id.startswith("003"):  # no headline line in the text: the metadata headline is used
            assert headline_removals == []
            assert a.headline == "Troops launch new offensive to seize Benghazi"
            assert a.body.startswith("Troops loyal to Libya's internationally backed government")
        else:
            assert len(headline_removals) == 1
            assert not a.body.startswith(headline_removals[0])


def test_without_metadata_headline_comes_from_first_short_line(tmp_path):
    folder = seed_copy(tmp_path)
    (folder / "metadata.csv").unlink()
    corpus = load_corpus(folder)
    assert corpus.errors == ()
    heads = {a.id[:3]: a.headline for a in corpus}
    assert heads["000"] == "Libya forces make key Benghazi gains"
    assert heads["001"] == "Libyan official: ’70 percent’ of last IS bastion liberated"
    assert heads["002"] == "Islamic State in retreat around east Libyan city: military"
    assert heads["003"] is None  # its first line is a full sentence of the story
    assert all(a.published is None and a.source is None for a in corpus)


def test_same_input_same_output(tmp_path):
    first, second = load_corpus(SEEDS), load_corpus(SEEDS)
    assert first == second and repr(first) == repr(second)


# -- bad input ------------------------------------------------------------------------------------
def test_missing_folder_raises_with_path(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(FileNotFoundError, match=re.escape(str(missing))):
        load_corpus(missing)


def test_bad_files_get_specific_errors_and_the_rest_loads(tmp_path):
    folder = seed_copy(tmp_path)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("  \n\n ", encoding="utf-8")
    (folder / "image.txt").write_bytes(bytes(range(256)))
    (folder / "latin.txt").write_bytes("Le président a déclaré mardi.".encode("latin-1"))
    (folder / "notes.doc").write_text("not an article format", encoding="utf-8")
    (folder / "page.html").write_text("<p>Share</p>", encoding="utf-8")
    corpus = load_corpus(folder)
    assert corpus.ids == tuple(IDS)
    problems = {Path(e.path).name: e.problem for e in corpus.errors}
    assert set(problems) == {"empty.txt", "blank.txt", "image.txt", "latin.txt", "page.html"}
    assert "no article text" in problems["page.html"]
    skipped = {Path(e.path).name: e.problem for e in corpus.notices}
    assert ".doc is not an article format" in skipped["notes.doc"]
    assert "empty" in problems["empty.txt"] and "0 bytes" in problems["empty.txt"]
    assert "whitespace only" in problems["blank.txt"]
    assert "binary" in problems["image.txt"]
    assert "not valid UTF-8" in problems["latin.txt"] and "0xe9" in problems["latin.txt"]
    assert str(corpus.errors[0]).startswith(str(folder))


def test_malformed_metadata_rows(tmp_path):
    folder = seed_copy(tmp_path)
    rows = (folder / "metadata.csv").read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].replace("2016-02-23", "2016-02-30")  # 000: impossible date
    rows[3] = "002_36780da908b89fd4.txt,2016-04-20,Reuters"  # wrong column count
    rows[4] = rows[4].replace("2015-02-08", "yesterday")  # 003: not a date
    rows.append(",2016-01-01,AFP,No file,")  # missing file name
    rows.append("999_missing.txt,2016-01-01,AFP,Ghost,")  # names a missing file
    (folder / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    corpus = load_corpus(folder)
    assert len(corpus) == 5  # every article still loads
    problems = [e.problem for e in corpus.errors]
    assert all(e.path.endswith("metadata.csv") for e in corpus.errors)
    assert any(p.startswith("line 2:") and "2016-02-30" in p and "not a valid calendar date" in p for p in problems)
    assert any(p.startswith("line 4:") and "expected 5 columns" in p and "got 3" in p for p in problems)
    assert any(p.startswith("line 5:") and "'yesterday'" in p and "YYYY-MM-DD" in p for p in problems)
    assert any(p.startswith("line 7:") and "no file name" in p for p in problems)
    assert any(p.startswith("line 8:") and "999_missing" in p for p in problems)
    assert len(problems) == 5
    a000, a002, a003 = (by_prefix(corpus, p) for p in ("000", "002", "003"))
    assert a000.published is None and a000.source == "AFP"  # bad date: rest of the row kept
    assert a003.published is None and a003.headline == "Troops launch new offensive to seize Benghazi"
    assert a002.published is None and a002.source is None  # skipped row: no metadata at all
    assert a002.headline == "Islamic State in retreat around east Libyan city: military"  # from the text


def test_metadata_extra_columns_and_missing_file_column(tmp_path):
    path = tmp_path / "metadata.csv"
    path.write_text("file,published,url\na.txt,2016-02-23,http://x\n", encoding="utf-8")
    rows, errors = read_metadata(path)
    assert errors == ()
    assert rows["a"].published == date(2016, 2, 23) and rows["a"].extra == (("url", "http://x"),)
    path.write_text("name,published\na.txt,2016-02-23\n", encoding="utf-8")
    rows, errors = read_metadata(path)
    assert rows == {} and "no 'file' column" in errors[0].problem


# -- our own paragraphs ---------------------------------------------------------------------------
@pytest.mark.parametrize("paragraph, rule", [
    ("Supporters of the president wave flags during a rally in Caracas on March 3, 2009.", "caption-photo-dated"),
    ("A soldier stands guard outside the defence ministry in Kabul", "caption-unpunctuated-description"),
    ("Rescue workers are searching the rubble of a collapsed building in Izmir. Reuters", "caption-agency-credit"),
])
def test_caption_rules_on_own_paragraphs(paragraph, rule):
    text = f"The army said it had retaken the town.\n\n{paragraph}\n\nFighting resumed later, officials said.\n"
    cleaned = clean_text(text)
    (span,) = cleaned.spans
    assert (span.kind, span.rule, span.text) == ("caption", rule, paragraph)


@pytest.mark.parametrize("paragraph", [
    "The soldiers fired at the crowd in Caracas on March 3, 2009.",  # past tense news, dated
    "Protesters marched through the capital on Friday, police said.",
    "- Loyalist gains -",  # a section heading
    "Meantime, agents scanned the crowd at the annual March for Life on Capitol Hill, officials said,",
    "The attack killed at least ten people in the northern city, the army said.",
    "Prices of crude oil rose sharply in early trading on Monday, Reuters reports.",
    "While demand for its machines is strong, Sun faces increasing competition from rivals.",
])
def test_ordinary_paragraphs_are_not_marked(paragraph):
    text = f"Officials gave no details.\n\n{paragraph}\n\nFighting resumed later, officials said.\n"
    assert clean_text(text).spans == ()


def test_link_title_pasted_after_a_sentence():
    text = ("Troops shelled the outskirts overnight.\n\nA hospital official said at least seven people "
            "had been killed since Monday, Syrian rebels launch counter-attack near Aleppo.\n")
    (span,) = clean_text(text).spans
    assert (span.kind, span.text) == ("link_title", "Syrian rebels launch counter-attack near Aleppo")


def test_read_more_line_is_a_link_title():
    cleaned = clean_text("Troops shelled the town.\n\nRead more: Libya's parliament rejects unity government\n\n"
                         "Officials said talks would go on.\n")
    (span,) = cleaned.spans
    assert span.kind == "link_title" and span.text.startswith("Read more:")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    "Share", "Advertisement", "By By Jane Doe", "Officials said on Tuesday.", "  ", "",
    "A man holds a flag in Tripoli", "Troops advanced, Libyan army deploys reinforcements in Benghazi.",
    "Headline without stop", "Ünïcödé text — with “quotes”.",
]), max_size=12), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_offsets_exact_on_any_mix(lines, newline):
    raw = newline.join(lines)
    cleaned = clean_text(raw)
    assert len(cleaned.offsets) == len(cleaned.body)
    assert all(cleaned.body[i] == raw[o] for i, o in enumerate(cleaned.offsets))
    covered = set(cleaned.offsets)
    for s, e, _ in cleaned.removed:
        covered.update(range(s, e))
    assert all(ch.isspace() for i, ch in enumerate(raw) if i not in covered)
    for span in cleaned.spans:
        assert cleaned.body[span.start:span.end] == span.text
