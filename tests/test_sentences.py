"""Sentence splitting: abbreviations, quotes, headlines, paragraphs, captions and link titles."""
from __future__ import annotations

from pathlib import Path

import pytest

from timeline.records import Article, Span
from timeline.sentences import split_sentences, split_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def texts(text: str) -> list[str]:
    return [text[s:e] for s, e in split_text(text)]


def make_article(body: str, spans: tuple[Span, ...] = ()) -> Article:
    return Article(
        id="t", path="t.txt", headline=None, source=None, published=None, raw=body, body=body,
        offsets=tuple(range(len(body))), spans=spans,
    )


def test_titles_never_split():
    text = "Forces loyal to Gen. Khalifa Haftar and Lt. Col. Ali Salem advanced. Mr. Kobler left."
    assert texts(text) == [
        "Forces loyal to Gen. Khalifa Haftar and Lt. Col. Ali Salem advanced.",
        "Mr. Kobler left.",
    ]


def test_us_and_un_inside_sentences_do_not_split():
    text = ("The U.S. Africa Command said U.S. airstrikes hit Sirte. The U.N. -backed government "
            "and the U.N.-brokered deal held.")
    assert texts(text) == [
        "The U.S. Africa Command said U.S. airstrikes hit Sirte.",
        "The U.N. -backed government and the U.N.-brokered deal held.",
    ]


def test_sentence_final_abbreviation_splits_before_a_sentence_opener():
    assert texts("The strikes were carried out by the U.S. The envoy said nothing.") == [
        "The strikes were carried out by the U.S.",
        "The envoy said nothing.",
    ]


def test_numbers_months_and_times():
    text = "Sirte fell on Aug. 10 at 9 a.m. Wednesday after 3.5 days. No. 2 Brigade led. It ended."
    assert texts(text) == [
        "Sirte fell on Aug. 10 at 9 a.m. Wednesday after 3.5 days.",
        "No. 2 Brigade led.",
        "It ended.",
    ]


def test_quotes_close_sentences_and_reported_questions_do_not():
    text = ('He said the area was "totally liberated." The council said: “It is over.” '
            '"Why now?" he asked. “We stay”, a spokesman said.')
    assert texts(text) == [
        'He said the area was "totally liberated."',
        "The council said: “It is over.”",
        '"Why now?" he asked.',
        "“We stay”, a spokesman said.",
    ]


def test_headlines_and_paragraphs_split_without_punctuation():
    text = "Libya forces make key Benghazi gains\n\n- Italy-US drone plan -\nItaly said yes.\n\nIt did"
    assert texts(text) == ["Libya forces make key Benghazi gains", "- Italy-US drone plan -",
                           "Italy said yes.", "It did"]


def test_hard_wrapped_line_continues_the_sentence():
    text = "Forces loyal to the government seized\nthe port on Tuesday.\nA new line starts here."
    assert texts(text) == ["Forces loyal to the government seized\nthe port on Tuesday.",
                           "A new line starts here."]


def test_offsets_point_into_the_text():
    text = "  First one.   Second one!\n\nThird?  "
    spans = split_text(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one!", "Third?"]
    assert split_text(text, 14) == [(s, e) for s, e in spans[1:]]


def test_link_title_inside_a_sentence_is_cut_out():
    body = ("A medical official said 10 people had been killed since Friday, Libyan army deploys "
            "reinforcements in Benghazi.\nBenghazi has been held by militias.")
    start = body.index("Libyan army")
    end = body.index(" in Benghazi.") + len(" in Benghazi")
    article = make_article(body, (Span(start, end, "link_title", body[start:end]),))
    sentences = split_sentences(article)
    assert [(s.kind, s.text) for s in sentences] == [
        ("text", "A medical official said 10 people had been killed since Friday,"),
        ("link_title", "Libyan army deploys reinforcements in Benghazi"),
        ("text", "Benghazi has been held by militias."),
    ]
    assert [s.index for s in sentences] == [0, 1, 2]
    assert all(body[s.start:s.end] == s.text for s in sentences)


def test_caption_sentences_get_the_caption_kind():
    body = "Troops advanced on Sunday.\nMen hold up guns in Benghazi on December 17, 2014. Battles raged. AFP"
    start = body.index("Men")
    article = make_article(body, (Span(start, len(body), "caption", body[start:]),))
    kinds = [(s.kind, s.text) for s in split_sentences(article)]
    assert kinds == [
        ("text", "Troops advanced on Sunday."),
        ("caption", "Men hold up guns in Benghazi on December 17, 2014."),
        ("caption", "Battles raged."),
        ("caption", "AFP"),
    ]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed corpus not present")
def test_seed_articles_split_sensibly():
    from timeline.corpus import load_corpus

    corpus = load_corpus(SEEDS)
    by_id = {a.id[:3]: a for a in corpus.articles}
    s003 = split_sentences(by_id["003"])
    assert any(s.kind == "link_title" and s.text == "Libyan army deploys reinforcements in Benghazi" for s in s003)
    s001 = [s.text for s in split_sentences(by_id["001"])]
    assert any(t.startswith("In a statement on Wednesday, the US Africa Command said 29 strikes") for t in s001)
    assert any(t.startswith("In our news wrap Wednesday, U.S. -backed forces") for t in s001)
    s002 = [s.text for s in split_sentences(by_id["002"])]
    assert any(t.startswith("Last month, a U.N.-backed unity government arrived in Tripoli") for t in s002)
    for article in corpus.articles:
        for s in split_sentences(article):
            assert article.body[s.start:s.end] == s.text
            assert s.text == s.text.strip() and s.text


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(["U.S.", "Gen.", "said.", "\n", "\n\n", " ", "“", "”", '"', "!", "?", "...",
                           "Sirte", "the", "3.5", "a.m.", "(", ")", "It", "al-Leiti", "…", "-"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=40).map(" ".join))
def test_split_text_spans_are_ordered_trimmed_and_inside_the_text(text):
    spans = split_text(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip() and any(ch.isalnum() for ch in piece)
        previous_end = end
    # no word character is lost between sentences
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    assert all(i in covered for i, ch in enumerate(text) if ch.isalnum())
