"""Events: which date anchors a sentence, news vs background, captions, offsets into raw text."""
from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pytest

from timeline.events import NEWS_RULE, extract_events, verb_profile
from timeline.records import Article, Event, ReferenceDate, Span, Timex

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
REF = ReferenceDate(date(2016, 8, 11), date(2016, 8, 11), date(2016, 8, 11), 1.0, "metadata")


def article(body: str, spans: tuple[Span, ...] = (), raw_prefix: str = "") -> Article:
    """An article whose raw text has ``raw_prefix`` (removed boilerplate) before the body."""
    return Article(
        id="t01", path="t01.txt", headline=None, source=None, published=REF.best,
        raw=raw_prefix + body, body=body, offsets=tuple(len(raw_prefix) + i for i in range(len(body))),
        spans=spans,
    )


def timex(body: str, text: str, value: str, first: date | None, last: date | None, granularity: str | None,
          type_: str = "DATE", mod: str | None = None, occurrence: int = 0) -> Timex:
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(text, start + 1)
    return Timex(start, start + len(text), text, type_, value, mod, "hand", first, last, granularity)


def day(iso: str) -> date:
    return date.fromisoformat(iso)


# ---- hand-built timexes: the dating rules on their own -----------------------------------------

def test_a_dated_sentence_takes_its_expression_and_raw_offsets():
    body = "US drones carried out 29 strikes in Sirte on Wednesday."
    a = article(body, raw_prefix="Share\n\nAdvertisement\n\n")
    t = timex(body, "Wednesday", "2016-08-10", day("2016-08-10"), day("2016-08-10"), "day")
    (event,) = extract_events(a, [t], REF)
    assert (event.value, event.granularity, event.first_day, event.last_day) == (
        "2016-08-10", "day", day("2016-08-10"), day("2016-08-10"))
    assert event.timex == t and event.rule == "timex:hand" and event.kind == "event"
    assert a.raw[event.start:event.end] == body and event.start == len("Share\n\nAdvertisement\n\n")
    assert event.places == ("Sirte",)


def test_since_anchors_at_the_start():
    body = "US drones have carried out 36 strikes over Sirte since August 1."
    t = timex(body, "August 1", "2016-08-01", day("2016-08-01"), day("2016-08-11"), "day", mod="ON_OR_AFTER")
    (event,) = extract_events(article(body), [t], REF)
    assert (event.value, event.first_day, event.last_day) == ("2016-08-01", day("2016-08-01"), day("2016-08-01"))
    assert event.rule == "timex:hand+start"


def test_finest_expression_wins_and_fronted_date_governs_the_verb():
    body = ("In a statement on Wednesday, the command said 29 strikes had been carried out as of Tuesday. "
            "Fighting that began in 2016 flared again on Monday.")
    ts = [
        timex(body, "Wednesday", "2016-08-10", day("2016-08-10"), day("2016-08-10"), "day"),
        timex(body, "Tuesday", "2016-08-09", day("2016-08-09"), day("2016-08-09"), "day"),
        timex(body, "2016", "2016", day("2016-01-01"), day("2016-12-31"), "year"),
        timex(body, "Monday", "2016-08-08", day("2016-08-08"), day("2016-08-08"), "day"),
    ]
    first, second = extract_events(article(body), ts, REF)
    assert first.value == "2016-08-10"  # nearest to "said", the first finite verb
    assert second.value == "2016-08-08"  # the day beats the year


def test_two_dated_clauses_become_two_events():
    body = "IS seized Sirte in 2015 and pro-government forces launched an operation to retake it in June."
    ts = [timex(body, "2015", "2015", day("2015-01-01"), day("2015-12-31"), "year"),
          timex(body, "June", "2016-06", day("2016-06-01"), day("2016-06-30"), "month")]
    events = extract_events(article(body), ts, REF)
    assert [(e.value, e.text) for e in events] == [
        ("2015", "IS seized Sirte in 2015"),
        ("2016-06", "and pro-government forces launched an operation to retake it in June."),
    ]
    assert events[0].sentence_index == events[1].sentence_index == 0


def test_news_without_a_date_takes_the_reference_date_but_background_stays_undated():
    body = ("The fighters said they had seized the convention center. "
            "Derna has a history of Islamism and was an early bastion for Islamic State. "
            "Losing Sirte would be a major setback. "
            "IS seized the port. "
            "Lithi had become notorious, dubbed by locals a nerve centre.")
    news, history, modal, seized, notorious = extract_events(article(body), [], REF)
    assert (news.value, news.granularity, news.rule, news.timex) == ("2016-08-11", "day", NEWS_RULE, None)
    assert seized.value == "2016-08-11"
    for e in (history, modal, notorious):
        assert e.value is None and e.kind == "undated" and e.rule.startswith("undated:background")
    assert history.places == ("Derna",)


def test_sentences_about_the_reporting_are_not_news():
    body = ("He spoke on condition of anonymity because he was not authorised to brief reporters. "
            "(Additional reporting by Ahmed Elumami in Tripoli; Editing by Peter Cooney)")
    events = extract_events(article(body), [], REF)
    assert [(e.value, e.rule) for e in events] == [(None, "undated:about-the-reporting")] * 2


def test_future_expressions_do_not_anchor_an_announcement():
    body = "Lawmaker Ali Al-Qaidi said a new session would be held next week."
    t = timex(body, "next week", "2016-W33", day("2016-08-15"), day("2016-08-21"), "week")
    (event,) = extract_events(article(body), [t], REF)
    assert event.value == "2016-08-11" and event.rule == NEWS_RULE


def test_background_with_its_own_old_date_is_a_background_event():
    body = "Libya has been wracked by turmoil since Gaddafi was ousted and killed in October 2011."
    t = timex(body, "October 2011", "2011-10", day("2011-10-01"), day("2011-10-31"), "month")
    (event,) = extract_events(article(body), [t], REF)
    assert (event.value, event.kind) == ("2011-10", "background")


def test_caption_is_one_event_dated_only_by_its_own_absolute_date():
    body = ("Troops advanced on Sunday.\n"
            "Fighters hold up their guns in Benghazi on December 17, 2014. Battles took place. AFP\n"
            "Protesters arrested last Friday wave flags in Tripoli")
    cap1 = body.index("Fighters")
    cap1_end = body.index("AFP") + 3
    cap2 = body.index("Protesters")
    spans = (Span(cap1, cap1_end, "caption", body[cap1:cap1_end]),
             Span(cap2, len(body), "caption", body[cap2:]))
    ts = [
        timex(body, "Sunday", "2016-08-07", day("2016-08-07"), day("2016-08-07"), "day"),
        timex(body, "December 17, 2014", "2014-12-17", day("2014-12-17"), day("2014-12-17"), "day"),
        timex(body, "last Friday", "2016-08-05", day("2016-08-05"), day("2016-08-05"), "day"),
    ]
    text, dated_caption, undated_caption = extract_events(article(body, spans), ts, REF)
    assert text.value == "2016-08-07"
    assert dated_caption.kind == "caption" and dated_caption.value == "2014-12-17"
    assert dated_caption.text == body[cap1:cap1_end]  # the whole caption, credit included
    # "last Friday" was resolved against the article's date, not the photo's: not an anchor, and a
    # caption never takes the article's reference date.
    assert undated_caption.value is None and undated_caption.rule == "undated:caption"


def test_link_titles_are_undated_and_every_sentence_is_kept():
    body = "A medical official said 10 people had been killed, Libyan army deploys reinforcements in Benghazi."
    start = body.index("Libyan army")
    end = body.index(" in Benghazi") + len(" in Benghazi")
    a = article(body, (Span(start, end, "link_title", body[start:end]),))
    events = extract_events(a, [], REF)
    assert [(e.kind, e.rule) for e in events] == [("event", NEWS_RULE), ("undated", "undated:link-title")]


def test_no_reference_date_means_no_news_dating():
    none = ReferenceDate(None, None, None, 0.0, "none")
    (event,) = extract_events(article("The fighters said they had won."), [], none)
    assert event.value is None and event.rule == "undated:no-reference-date"


def test_verb_profile_tells_acronyms_and_participles_from_verbs():
    assert verb_profile("IS seized Sirte.").first_kind == "past"
    assert verb_profile("The U.N. -backed government is the latest attempt.").first_kind == "present"
    assert not verb_profile("That parliament has declared itself legitimate.").is_news
    assert verb_profile("A Libyan official says forces have liberated the city.").is_news


@pytest.mark.parametrize(("sentence", "news"), [
    ("Gunmen attacked a checkpoint near Ajdabiya, killing three soldiers.", True),
    ("Three soldiers were killed in Sirte.", True),
    ("A car bomb exploded outside a hotel in Tripoli.", True),
    ("Haftar's forces shelled the airport.", True),
    ("The UN envoy is expected to visit Tripoli.", False),
    ("The town lies 50 km south of Tripoli.", False),
    ("Libya's internationally recognised government is based in Tobruk.", False),
    ("Fighting has flared periodically in Benghazi.", False),
    ("Losing Sirte would be a major setback.", False),
])
def test_news_or_background_on_general_sentences(sentence, news):
    assert verb_profile(sentence).is_news is news


# ---- the seeds, through load_corpus + reference_date_for + tag ---------------------------------

from _seeds import seed_events  # noqa: E402  (shared with the other seed tests)


def find(prefix: str, fragment: str) -> Event:
    matches = [e for e in seed_events() if e.article.startswith(prefix) and fragment in e.text]
    assert len(matches) == 1, (prefix, fragment, [m.text for m in matches])
    return matches[0]


seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed corpus not present")


@seeds
@pytest.mark.parametrize(
    ("prefix", "fragment", "value", "granularity"),
    [
        ("000", "retook the Benghazi area of Lithi", "2016-02-23", "day"),
        ("000", "seized a key central neighbourhood", "2016-02-23", "day"),
        ("000", "attacked an IS training camp in the western Libyan city of Sabratha", "2016-W07", "week"),
        ("000", "since the 2011 toppling", "2011", "year"),
        ("002", "retreated from long-held positions around the port city of Derna", "2016-04-20", "day"),
        ("002", "unity government arrived in Tripoli", "2016-03", "month"),
        ("002", "lost control of the city last June", "2015-06", "month"),
        ("001", "captured the Islamic State headquarters", "2016-08-10", "day"),
        ("001", "29 strikes", "2016-08-10", "day"),
        ("004", "36 strikes over Sirte since August 1", "2016-08-01", "day"),
        ("004", "29 strikes in Sirte", "2016-08-10", "day"),
        ("004", "seized control of the sprawling convention center", "2016-08-11", "day"),
        ("003", "formally joined ranks", "2014-10-15", "day"),
        ("003", "Members of a brigade", "2014-12-17", "day"),
        ("003", "September 2012 attack", "2012-09", "month"),
    ],
)
def test_seed_happenings_are_at_the_right_dates(prefix, fragment, value, granularity):
    event = find(prefix, fragment)
    assert (event.value, event.granularity) == (value, granularity)


@seeds
def test_seed_caption_and_background_handling():
    caption = find("003", "Members of a brigade")
    assert caption.kind == "caption" and caption.timex.text == "December 17, 2014"
    assert find("001", "Libyans wave their national flag").value is None  # its own date is unknown
    assert find("004", "A man loyal to the Libyan armed forces").value is None
    assert find("002", "Derna has a history of Islamism").kind == "undated"
    assert find("000", "Fighting has flared periodically").kind == "undated"
    assert find("000", "US invasion of 2001").kind == "background"
    assert find("004", "October 2011").kind == "background"


@seeds
def test_seed_events_point_at_their_raw_text_and_name_places():
    from timeline.corpus import load_corpus

    raw = {a.id: a.raw for a in load_corpus(SEEDS).articles}
    for event in seed_events():
        assert raw[event.article][event.start:event.end] == event.text
    assert find("003", "al-Leiti").places == ("Lithi", "Benghazi")
    assert "al-Fatayeh" in find("002", "400 neighborhood").places


@seeds
def test_seed_extraction_is_deterministic():
    first = seed_events()
    seed_events.cache_clear()
    assert seed_events() == first


def test_wire_datelines_are_not_part_of_the_event():
    body = ("By By Ayman al-Warfalli BENGHAZI, Libya (Reuters) - Islamic State fighters retreated from "
            "Derna on Wednesday. Forces loyal to the government (GNA) - who had fled - returned.")
    t = timex(body, "Wednesday", "2016-08-10", day("2016-08-10"), day("2016-08-10"), "day")
    a = article(body)
    first, second = extract_events(a, [t], REF)
    assert first.text == "Islamic State fighters retreated from Derna on Wednesday."
    assert a.raw[first.start:first.end] == first.text and first.places == ("Derna",)
    assert second.text.startswith("Forces loyal to the government (GNA) - who")
