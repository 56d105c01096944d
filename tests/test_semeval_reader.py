"""The SemEval-2015 Task 4 reader, on the real trial data (read by path from ../shared; skipped without it)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from timeline.evaluate import semeval

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "semeval2015-trial"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"SemEval-2015 trial data not found at {DATA}")


def test_articles_are_rebuilt_with_title_date_line_and_token_offsets():
    docs = semeval.read_corpus(DATA)
    assert len(docs) == 30
    doc = docs["10718"]
    assert doc.text.startswith("Apple to lower UK iTunes prices\n\nJanuary 09, 2008\n\nThe European Commission has forced")
    assert "Apple's online media shop." in doc.text
    assert doc.published == date(2008, 1, 9)
    for tok in doc.tokens:
        assert doc.text[tok.start:tok.end] == tok.text


def test_without_the_date_line_the_text_never_shows_it():
    doc = semeval.read_corpus(DATA, keep_date_line=False)["10718"]
    assert "January 09, 2008" not in doc.text
    assert doc.published == date(2008, 1, 9)  # still known, for scoring


def test_every_gold_mention_of_a_present_document_is_located():
    docs = semeval.read_corpus(DATA)
    timelines = semeval.read_timelines(DATA)
    assert {t.entity for t in timelines} >= {"Steve Jobs", "Beatles Apple Corps"}
    located = absent = 0
    for timeline in timelines:
        for row in timeline.rows:
            for m in row.mentions:
                if m.doc_id not in docs:
                    absent += 1
                    continue
                span = semeval.locate(m, docs[m.doc_id])
                assert span is not None, m
                assert docs[m.doc_id].text[span[0]:span[1]].lower() == m.word.split("_")[0].lower() or "_" in m.word
                located += 1
    assert located > 180 and absent <= 2


def test_a_malformed_timeline_line_names_file_and_line(tmp_path):
    bad = tmp_path / "x.txt"
    bad.write_text("Entity\n1\t2008-01-09\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"x.txt:2: expected ORDER"):
        semeval.read_timeline(bad)
