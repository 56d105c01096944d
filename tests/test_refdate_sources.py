"""Reference dates from the top of the article, the URL and the file name; resolution against a window."""
from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from timeline.corpus import load_corpus
from timeline.refdate import infer_reference_date, reference_date_for, tag_with_reference
from timeline.timexes import tag

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SEMEVAL = DATA / "semeval2015-trial"

BODY = "Police said on Monday that the suspect, arrested on March 3, 2009, had confessed.\n"


@pytest.mark.parametrize("line, day", [
    ("Thursday, April 30, 2009", date(2009, 4, 30)),
    ("12 Feb 2015 14:03 GMT", date(2015, 2, 12)),
    ("January 09, 2010", date(2010, 1, 9)),
    ("Updated: 2015-02-12", date(2015, 2, 12)),
    ("By Jane Doe | February 12, 2015", date(2015, 2, 12)),
])
def test_date_line_under_the_headline_gives_the_day(line, day):
    text = f"Court hears confession\n\n{line}\n\n{BODY}"
    ref = infer_reference_date(text)
    assert (ref.best, ref.method, ref.rule) == (day, "date-line", "date-line")
    assert ref.confidence >= 0.9
    first = ref.evidence[0]
    assert text[first.start:first.end] == line


def test_running_text_that_starts_with_a_date_is_no_date_line():
    ref = infer_reference_date("January 9, 2008 was the day the company changed its plans.\n\nMore text.")
    assert ref.method != "date-line"


def test_wire_dateline_with_and_without_year():
    ref = infer_reference_date("BENGHAZI, Libya, Feb. 23, 2016 (AFP) - Forces took the port.")
    assert (ref.best, ref.rule) == (date(2016, 2, 23), "dateline:wire")
    # no year: the year comes from the body's window (a past date in March 2009 is a lower bound)
    ref = infer_reference_date("WASHINGTON, May 7 (Reuters) - The Senate voted after a hearing in March 2009.")
    assert ref.best == date(2009, 5, 7) and ref.rule == "dateline:wire:year-after-lower-bound"
    assert ref.confidence < 0.9
    # no year and no bound: no day is claimed
    ref = infer_reference_date("WASHINGTON, May 7 (Reuters) - The Senate voted.")
    assert ref.best is None and ref.evidence[0].clue.startswith("dateline:wire:no-year")


def test_url_and_file_name_dates():
    assert infer_reference_date(BODY, url="https://example.org/world/2009/03/12/confession").best == date(2009, 3, 12)
    ref = infer_reference_date(BODY, url="https://example.org/2009/03/confession.html")
    assert (ref.best, ref.earliest, ref.latest, ref.rule) == (None, date(2009, 3, 3), date(2009, 3, 31),
                                                              "url-month:ym-path")
    ref = infer_reference_date(BODY, filename="reuters_20090312.txt")
    assert (ref.best, ref.method) == (date(2009, 3, 12), "filename")
    # the date line beats the file name
    ref = infer_reference_date("Headline\n\nMarch 13, 2009\n\n" + BODY, filename="x_20090312.txt")
    assert ref.best == date(2009, 3, 13)


def test_a_day_the_body_contradicts_is_kept_but_flagged():
    ref = infer_reference_date("Headline\n\nJanuary 2, 2009\n\n" + BODY)
    assert ref.best == date(2009, 1, 2)
    assert "date-line:outside-body-window" in [e.clue for e in ref.evidence]
    assert ref.confidence < 0.9


def test_article_loaded_without_metadata_uses_its_date_line(tmp_path):
    (tmp_path / "a.txt").write_text("Court hears confession\n\nThursday, April 30, 2009\n\n" + BODY, encoding="utf-8")
    article = load_corpus(tmp_path)["a"]
    ref = reference_date_for(article)
    assert ref.best == date(2009, 4, 30) and ref.method == "date-line"


# -- a window is never a day ----------------------------------------------------------------------
def _resolved_against(t_value: str, text: str, day: date, start: int, end: int) -> bool:
    return any((t.start, t.end, t.value) == (start, end, t_value) for t in tag(text, day))


def test_a_lower_bound_is_never_used_as_the_day():
    text = BODY + "Today the court meets. The trial starts on June 1, officials said on Tuesday."
    ref = infer_reference_date(text)
    assert ref.best is None and ref.earliest == date(2009, 3, 3) and ref.latest is None
    found = {t.text: t for t in tag_with_reference(text, ref)}
    # resolved against the bound these would be 2009-03-03 / 2009-06-01 / 2009-03-03 (the old failure)
    assert found["Today"].value == "XXXX-XX-XX"
    assert found["June 1"].value == "XXXX-06-01"
    assert found["Monday"].value.startswith("XXXX")
    assert found["March 3, 2009"].value == "2009-03-03"  # absolute expressions still resolve


def test_a_two_sided_window_resolves_only_what_the_whole_window_agrees_on():
    text = ("The bank opened in 2008 and said on Monday it will close on June 30, 2009. "
            "Last year it lost money. Profits rose today.")
    ref = infer_reference_date(text)
    assert ref.best is None and ref.earliest.year == 2008 and ref.latest == date(2009, 6, 30)
    found = {t.text: t for t in tag_with_reference(text, ref)}
    # the window spans two calendar years: "last year" is 2007 or 2008, so it stays open
    assert not found["Last year"].value[:4].isdigit()
    assert found["today"].value == "XXXX-XX-XX"
    narrow = dataclasses.replace(ref, earliest=date(2009, 2, 1), latest=date(2009, 6, 30))
    found = {t.text: t for t in tag_with_reference(text, narrow)}
    assert found["Last year"].value == "2008" and found["Last year"].rule.endswith(":window")
    assert found["today"].value == "XXXX-XX-XX"


# -- SemEval-2015 trial articles, no metadata ---------------------------------------------------
@pytest.fixture(scope="module")
def semeval_refs(tmp_path_factory):
    if not (SEMEVAL / "corpus").is_dir():
        pytest.skip(f"SemEval-2015 trial data not found at {SEMEVAL}")
    from timeline.evaluate.semeval import read_corpus, write_folder

    out = {}
    for keep in (True, False):
        docs = read_corpus(SEMEVAL, keep_date_line=keep)
        folder = write_folder(docs, tmp_path_factory.mktemp("kept" if keep else "removed"), metadata=False)
        corpus = load_corpus(folder)
        out[keep] = [(a, reference_date_for(a), docs[a.id].published) for a in corpus]
    return out


def test_semeval_date_line_kept_gives_the_exact_day(semeval_refs):
    rows = semeval_refs[True]
    exact = sum(ref.best == truth for _, ref, truth in rows)
    assert len(rows) == 30 and exact / len(rows) >= 0.95


def test_semeval_date_line_removed_window_contains_the_day_and_nothing_resolves_against_a_bound(semeval_refs):
    for article, ref, truth in semeval_refs[False]:
        assert ref.earliest is None or ref.earliest <= truth, article.id
        assert ref.latest is None or truth <= ref.latest, article.id
        assert ref.best is None or ref.earliest == ref.latest, article.id
        if ref.best is not None:
            continue
        unresolved = {(t.start, t.end): t.value for t in tag(article.body, None)}
        bounds = [d for d in (ref.earliest, ref.latest) if d is not None]
        probes = [{(t.start, t.end): t.value for t in tag(article.body, d)} for d in bounds]
        if ref.earliest is not None and ref.latest is not None:
            days = [ref.earliest + timedelta(days=i) for i in range(0, (ref.latest - ref.earliest).days + 1, 7)]
            probes += [{(t.start, t.end): t.value for t in tag(article.body, d)} for d in days]
        for t in tag_with_reference(article.body, ref):
            if t.value == unresolved.get((t.start, t.end)):
                continue  # left as the text gives it
            # anything resolved holds for every day of the window, not just for one bound
            assert ref.earliest is not None and ref.latest is not None, (article.id, t)
            assert all(p.get((t.start, t.end)) == t.value for p in probes), (article.id, t)


def test_the_date_line_leaves_the_body_but_still_dates_the_article(tmp_path):
    (tmp_path / "a.txt").write_text("Court hears confession\n\nJanuary 09, 2010\n\n" + BODY, encoding="utf-8")
    article = load_corpus(tmp_path)["a"]
    assert article.headline == "Court hears confession"
    assert [r[2] for r in article.removed] == ["headline", "date-line"]
    assert "2010" not in article.body
    assert reference_date_for(article).best == date(2010, 1, 9)
