"""Reference-date inference on our own news sentences and on the seed articles (metadata hidden)."""
from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

import timeline
from timeline.corpus import load_corpus
from timeline.refdate import infer_reference_date, reference_date_for

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def clues(ref) -> list[str]:
    return [e.clue for e in ref.evidence]


@pytest.fixture(scope="module")
def seeds():
    return load_corpus(SEEDS)


def hidden(article):
    return dataclasses.replace(article, published=None)


# -- our own paragraphs ---------------------------------------------------------------------------
def test_weekday_after_explicit_date():
    text = "Police said on Monday that the suspect, arrested on March 3, 2009, had confessed."
    ref = infer_reference_date(text)
    assert ref.method == "inferred"
    assert ref.earliest == date(2009, 3, 3) and ref.latest is None
    assert ref.best is None  # a window, not a day: the bound is never passed off as the day
    assert ref.guess == date(2009, 3, 9) and ref.guess.weekday() == 0  # the first Monday after the bound
    assert 0.2 <= ref.confidence <= 0.5
    assert clues(ref) == ["weekday-news:monday", "explicit-date"]  # in text order
    for e in ref.evidence:
        assert text[e.start:e.end] == e.text


def test_past_year_is_only_a_lower_bound():
    ref = infer_reference_date("The group seized the town in 2015 after weeks of fighting.")
    assert (ref.earliest, ref.latest, ref.best, ref.guess) == (date(2015, 1, 1), None, None, date(2015, 1, 1))
    assert ref.confidence <= 0.3
    assert clues(ref) == ["explicit-year"]


def test_future_date_is_an_upper_bound_not_a_lower_one():
    ref = infer_reference_date("Elections will be held on March 3, 2009, the commission said.")
    assert ref.earliest is None and ref.latest == date(2009, 3, 3)
    assert clues(ref) == ["future-date"]
    assert ref.confidence <= 0.3


@pytest.mark.parametrize("text", [
    "He said he would resign on March 3, 2009.",  # may or may not have happened
    "The firm expects 1990 earnings to fall.",  # a forecast
    "The contract runs until 2017.",  # bounds something else
    "The minister resigned after a row with his deputy.",  # no date at all
])
def test_no_bound_when_the_text_gives_none(text):
    ref = infer_reference_date(text)
    assert (ref.method, ref.best, ref.earliest, ref.latest, ref.confidence) == ("none", None, None, None, 0.0)


def test_weekdays_alone_support_no_date():
    ref = infer_reference_date("Gunmen attacked a checkpoint on Sunday, officials said on Monday.")
    assert ref.method == "none" and ref.best is None
    assert clues(ref) == ["weekday-news:sunday", "weekday-news:monday"]  # still reported as evidence


def test_last_year_next_to_an_explicit_year_fixes_the_year():
    ref = infer_reference_date("Last year's 2014 elections were marred by violence.")
    assert (ref.earliest, ref.latest) == (date(2015, 1, 1), date(2015, 12, 31))
    assert "relative-anchored" in clues(ref)
    assert ref.confidence < 0.5


def test_last_year_with_the_event_dated_elsewhere():
    text = ("Last year, rebels captured the northern town of Kidal. "
            "The rebels captured the northern town of Kidal in 2012 after heavy fighting.")
    ref = infer_reference_date(text)
    assert (ref.earliest, ref.latest) == (date(2013, 1, 1), date(2013, 12, 31))
    assert "relative-dated-elsewhere" in clues(ref)


def test_last_year_is_not_matched_to_an_unrelated_dated_sentence():
    text = ("The Israelis suffered a record 39 deaths in southern Lebanon last year. "
            "Since 1985, when the Israelis created a security zone in southern Lebanon, nearly 200 soldiers "
            "have been killed.")
    ref = infer_reference_date(text)
    assert "relative-dated-elsewhere" not in clues(ref)
    assert ref.earliest == date(1985, 1, 1) and ref.latest is None


def test_less_than_n_years_after_a_dated_event():
    text = ("A Nato-backed uprising toppled Muammar Gaddafi in 2011.\n"
            "The militias have plunged Libya into chaos less than four years after a Nato-backed uprising "
            "toppled and killed Muammar Gaddafi.")
    ref = infer_reference_date(text)
    assert (ref.earliest, ref.latest) == (date(2011, 1, 1), date(2015, 12, 31))
    assert "elapsed-since-dated-event" in clues(ref)


def test_years_after_an_undated_event_gives_nothing():
    ref = infer_reference_date("Libya is in chaos less than four years after an uprising toppled its ruler.")
    assert ref.method == "none"


def test_single_day_only_when_bounds_meet():
    text = "The ceasefire took effect on March 3, 2009. Talks will resume on March 3, 2009."
    ref = infer_reference_date(text)
    assert ref.best == ref.earliest == ref.latest == date(2009, 3, 3)
    assert 0.5 < ref.confidence < 1.0


def test_contradicting_upper_bound_is_overruled():
    text = "Rebels took the city on May 5, 2012. A vote will be held in 2011."
    ref = infer_reference_date(text)
    assert ref.earliest == date(2012, 5, 5) and ref.latest is None
    assert "future-date:overruled" in clues(ref)


def test_caption_weekdays_are_not_news_but_caption_dates_bound():
    text = ("Fighting broke out on Tuesday in the capital, officials said.\n\n"
            "Fighters hold up their guns in the eastern city of Benghazi on December 17, 2014. AFP\n\n"
            "Supporters wave flags during a rally in Tripoli on Friday\n")
    ref = infer_reference_date(text)
    assert ref.earliest == date(2014, 12, 17)
    assert "weekday-news:friday" not in clues(ref)
    assert ref.guess == date(2014, 12, 23) and ref.guess.weekday() == 1  # first Tuesday on/after the bound


def test_same_text_same_result():
    text = "Police said on Monday that the suspect, arrested on March 3, 2009, had confessed."
    assert infer_reference_date(text) == infer_reference_date(text)
    assert timeline.infer_reference_date is infer_reference_date


# -- the seeds ------------------------------------------------------------------------------------
def test_metadata_date_is_used_first(seeds):
    article = seeds["000_ebd112a8c2509409"]
    ref = reference_date_for(article)
    assert (ref.method, ref.best, ref.confidence) == ("metadata", date(2016, 2, 23), 1.0)
    assert ref.earliest == ref.latest == date(2016, 2, 23)


def test_seed_003_without_metadata(seeds):
    article = seeds["003_3907a09cbc1637f9"]
    ref = reference_date_for(hidden(article))
    assert ref.method == "inferred"
    assert ref.earliest == date(2014, 12, 17) and ref.latest is None  # the caption's photo date
    caption_clue = next(e for e in ref.evidence if e.clue == "explicit-date")
    assert "December 17, 2014" in caption_clue.text
    assert article.body[caption_clue.start:caption_clue.end] == caption_clue.text
    weekdays = {c.split(":")[1] for c in clues(ref) if c.startswith("weekday-")}
    assert weekdays == {"sunday", "saturday", "friday"}
    assert ref.best is None
    assert ref.guess.weekday() == 6 and ref.guess >= ref.earliest  # a Sunday, like the true 2015-02-08
    assert ref.confidence <= 0.5


def test_seed_windows_contain_the_metadata_date(seeds):
    """Whatever the text supports must not exclude the real publication date."""
    for article in seeds:
        ref = reference_date_for(hidden(article))
        assert ref.method in ("inferred", "none")
        assert ref.earliest is None or ref.earliest <= article.published, article.id
        assert ref.latest is None or article.published <= ref.latest, article.id
        assert ref.confidence < 0.9  # none of the seeds pins a single day


def test_seed_001_caption_weekday_ignored(seeds):
    ref = reference_date_for(hidden(seeds["001_21bb4d98245d9a53"]))
    # "arrested last Friday" sits in the closing photo caption from another day
    assert not any(c.startswith("weekday-") and c.endswith("friday") for c in clues(ref))
