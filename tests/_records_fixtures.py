"""Hand-built records shaped like what the pipeline produces from ``seeds/``.

Used by the chart, export, CLI and TLS tests so they do not depend on the other stages. Source
sentences are copied from the seed articles; offsets are found in the real seed text, so the
records are consistent with the files they point to.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from timeline.records import Article, Event, ReferenceDate, SourceRef, Timex, TimelineEntry

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

A_BENGHAZI = "000_ebd112a8c2509409"
A_SIRTE = "001_21bb4d98245d9a53"
A_DERNA = "002_36780da908b89fd4"
A_OFFENSIVE = "003_3907a09cbc1637f9"
A_SIRTE2 = "004_daa2c2d9ccda9a28"

PUBLISHED = {
    A_BENGHAZI: date(2016, 2, 23),
    A_SIRTE: date(2016, 8, 11),
    A_DERNA: date(2016, 4, 20),
    A_OFFENSIVE: date(2015, 2, 8),
    A_SIRTE2: date(2016, 8, 11),
}


def seed_text(article_id: str) -> str:
    return (SEEDS / f"{article_id}.txt").read_text(encoding="utf-8")


def article(article_id: str) -> Article:
    """The seed file as an Article whose body is the raw text (identity offsets)."""
    raw = seed_text(article_id)
    return Article(
        id=article_id,
        path=str(SEEDS / f"{article_id}.txt"),
        headline=None,
        source=None,
        published=PUBLISHED[article_id],
        raw=raw,
        body=raw,
        offsets=tuple(range(len(raw))),
    )


def articles() -> list[Article]:
    return [article(a) for a in sorted(PUBLISHED)]


def _ref(article_id: str, sentence_start: str, timex: str | None, rule: str) -> SourceRef:
    """A SourceRef for the seed sentence starting with ``sentence_start`` (offsets into the raw file)."""
    raw = seed_text(article_id)
    start = raw.index(sentence_start)
    end = raw.index(".", start + len(sentence_start) - 1) + 1
    return SourceRef(article=article_id, sentence=raw[start:end], start=start, end=end, timex=timex, rule=rule)


def _entry(value, start, end, gran, places, sources, summary, *, in_campaign=True, extractive=False,
           guarded=False, merge_note=""):
    return TimelineEntry(
        date=value, start=start, end=end, granularity=gran, places=tuple(places), sources=tuple(sources),
        in_campaign=in_campaign, summary=summary, extractive=extractive, guarded=guarded,
        merge_note=merge_note,
    )


def entries() -> list[TimelineEntry]:
    """A realistic ordered timeline: background years, 2014-2016 campaign, spans and days."""
    return [
        _entry("2001", date(2001, 1, 1), date(2001, 12, 31), "year", ["Afghanistan"],
               [_ref(A_BENGHAZI, "Lithi had become notorious", "2001", "timex:year")],
               "The US invaded Afghanistan.", in_campaign=False),
        _entry("2011-10", date(2011, 10, 1), date(2011, 10, 31), "month", [],
               [_ref(A_SIRTE2, "Western powers are backing", "October 2011", "timex:month-year")],
               "Gaddafi was ousted and killed.", in_campaign=False),
        _entry("2012-09", date(2012, 9, 1), date(2012, 9, 30), "month", ["Benghazi"],
               [_ref(A_OFFENSIVE, "Those militias include", "September 2012", "timex:month-year")],
               "Militants attacked the US consulate in Benghazi, killing Ambassador Chris Stevens.",
               in_campaign=False),
        _entry("2014", date(2014, 1, 1), date(2014, 12, 31), "year", ["Tripoli"],
               [_ref(A_DERNA, "The eastern government was set up", "2014", "timex:year")],
               "Armed opponents took Tripoli and installed a rival administration."),
        _entry("2014-SU", date(2014, 6, 1), date(2014, 8, 31), "season", ["Tripoli"],
               [_ref(A_BENGHAZI, "Libya has had rival administrations", "the summer of 2014", "timex:season-year")],
               "The recognised government fled Tripoli after Fajr Libya overran the capital."),
        _entry("2014-10-15", date(2014, 10, 15), date(2014, 10, 15), "day", ["Benghazi"],
               [_ref(A_OFFENSIVE, "On 15 October", "15 October", "timex:day-month")],
               "Hifter formally joined ranks with Libya's elected government.", extractive=False),
        _entry("2014-12-17", date(2014, 12, 17), date(2014, 12, 17), "day", ["Benghazi"],
               [_ref(A_OFFENSIVE, "Members of a brigade", "December 17, 2014", "timex:month-day-year")],
               "Haftar-loyal brigades fought Islamist gunmen in Benghazi alongside army troops."),
        _entry("2015-02-07", date(2015, 2, 7), date(2015, 2, 7), "day", ["Benghazi"],
               [_ref(A_OFFENSIVE, "An official with the special forces", "Saturday", "timex:weekday")],
               "Government troops launched a new offensive to seize Benghazi.", guarded=True),
        _entry("2016-W07", date(2016, 2, 15), date(2016, 2, 21), "week", ["Sabratha"],
               [_ref(A_BENGHAZI, "US warplanes flying from", "last week", "timex:last-week")],
               "US warplanes struck an IS training camp in Sabratha, killing more than 40 people."),
        _entry("2016-02-23", date(2016, 2, 23), date(2016, 2, 23), "day", ["Benghazi"],
               [_ref(A_BENGHAZI, "Special forces retook", None, "reference-date:past-news"),
                _ref(A_BENGHAZI, "Forces loyal to Libya's", "Tuesday", "timex:weekday")],
               "Special forces retook the Benghazi area of Lithi, which had been a stronghold for "
               "extremist fighters including the Islamic State group, after days of fierce clashes.",
               extractive=True, merge_note="same day, same place, similarity 0.71"),
        _entry("2016-02-23", date(2016, 2, 23), date(2016, 2, 23), "day", ["Sabratha"],
               [_ref(A_BENGHAZI, "On Tuesday, a group of fighters", "On Tuesday", "timex:weekday")],
               "Fajr Libya fighters battled IS near Sabratha; four fighters were killed."),
        _entry("2016-02-23", date(2016, 2, 23), date(2016, 2, 23), "day", ["Derna"],
               [_ref(A_BENGHAZI, "In the coastal city of Derna", None, "reference-date:past-news")],
               "Six fighters died in clashes with IS in Derna."),
        _entry("2016-03", date(2016, 3, 1), date(2016, 3, 31), "month", ["Tripoli"],
               [_ref(A_DERNA, "Last month, a U.N.-backed", "Last month", "timex:last-month")],
               "A UN-backed unity government arrived in Tripoli."),
        _entry("2016-04-20", date(2016, 4, 20), date(2016, 4, 20), "day", ["Derna"],
               [_ref(A_DERNA, "By By Ayman", "Wednesday", "timex:weekday")],
               "Islamic State fighters retreated from long-held positions around Derna."),
        _entry("2016-04-20", date(2016, 4, 20), date(2016, 4, 20), "day", ["Benghazi"],
               [_ref(A_DERNA, "Clashes continued there", "Wednesday", "timex:weekday")],
               "The military said it had nearly full control of Guwarsha in Benghazi."),
        _entry("2016-06", date(2016, 6, 1), date(2016, 6, 30), "month", ["Sirte"],
               [_ref(A_SIRTE2, "Pro-GNA forces entered", "June", "timex:month")],
               "Pro-GNA forces entered Sirte."),
        _entry("2016-08-01/2016-08-11", date(2016, 8, 1), date(2016, 8, 11), "day", ["Sirte"],
               [_ref(A_SIRTE2, "US drones and fighter jets have carried", "since August 1", "timex:since-day")],
               "US drones and jets carried out 36 strikes over Sirte."),
        _entry("2016-08-10", date(2016, 8, 10), date(2016, 8, 10), "day", ["Sirte"],
               [_ref(A_SIRTE, "In our news wrap Wednesday", "Wednesday", "timex:weekday"),
                _ref(A_SIRTE2, "The fighters said that", None, "reference-date:past-news")],
               "US-backed forces captured the Islamic State headquarters in Sirte.",
               merge_note="same day, same place, similarity 0.64"),
        _entry("2016-08-11", date(2016, 8, 11), date(2016, 8, 11), "day", ["Sirte"],
               [_ref(A_SIRTE, "A Libyan official says", None, "reference-date:past-news")],
               "A Libyan official said 70 percent of Sirte had been liberated."),
    ]


def _tx(text: str, needle: str, value: str, first: date | None, last: date | None, gran: str | None,
        rule: str, type_: str = "DATE", mod: str | None = None, nth: int = 0) -> Timex:
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return Timex(start=pos, end=pos + len(needle), text=needle, type=type_, value=value, mod=mod, rule=rule,
                 first_day=first, last_day=last, granularity=gran)


def timexes_by_article() -> dict[str, tuple[Timex, ...]]:
    """Resolved expressions for each seed article (offsets into the seed text)."""
    d = date
    t0, t1, t2, t3, t4 = (seed_text(a) for a in sorted(PUBLISHED))
    return {
        A_BENGHAZI: (
            _tx(t0, "Tuesday", "2016-02-23", d(2016, 2, 23), d(2016, 2, 23), "day", "weekday"),
            _tx(t0, "the summer of 2014", "2014-SU", d(2014, 6, 1), d(2014, 8, 31), "season", "season-year"),
            _tx(t0, "2011", "2011", d(2011, 1, 1), d(2011, 12, 31), "year", "year"),
            _tx(t0, "2001", "2001", d(2001, 1, 1), d(2001, 12, 31), "year", "year"),
            _tx(t0, "Today", "2016-02-23", d(2016, 2, 23), d(2016, 2, 23), "day", "today"),
            _tx(t0, "almost one year", "P1Y", None, None, None, "duration", type_="DURATION", mod="APPROX"),
            _tx(t0, "last week", "2016-W07", d(2016, 2, 15), d(2016, 2, 21), "week", "last-week"),
            _tx(t0, "next week", "2016-W09", d(2016, 2, 29), d(2016, 3, 6), "week", "next-week"),
            _tx(t0, "at the weekend", "2016-W07-WE", d(2016, 2, 20), d(2016, 2, 21), "weekend", "weekend"),
        ),
        A_SIRTE: (
            _tx(t1, "Thursday", "2016-08-11", d(2016, 8, 11), d(2016, 8, 11), "day", "weekday"),
            _tx(t1, "Wednesday", "2016-08-10", d(2016, 8, 10), d(2016, 8, 10), "day", "weekday"),
            _tx(t1, "Tuesday", "2016-08-09", d(2016, 8, 9), d(2016, 8, 9), "day", "weekday"),
            _tx(t1, "last week", "2016-W31", d(2016, 8, 1), d(2016, 8, 7), "week", "last-week"),
            _tx(t1, "2014", "2014", d(2014, 1, 1), d(2014, 12, 31), "year", "year"),
            _tx(t1, "2015", "2015", d(2015, 1, 1), d(2015, 12, 31), "year", "year"),
            _tx(t1, "June", "2016-06", d(2016, 6, 1), d(2016, 6, 30), "month", "month"),
            _tx(t1, "last Friday", "2016-07-29", d(2016, 7, 29), d(2016, 7, 29), "day", "last-weekday"),
        ),
        A_DERNA: (
            _tx(t2, "Wednesday", "2016-04-20", d(2016, 4, 20), d(2016, 4, 20), "day", "weekday"),
            _tx(t2, "the past two years", "P2Y", None, None, None, "duration", type_="DURATION"),
            _tx(t2, "last June", "2015-06", d(2015, 6, 1), d(2015, 6, 30), "month", "last-month-name"),
            _tx(t2, "2014", "2014", d(2014, 1, 1), d(2014, 12, 31), "year", "year"),
            _tx(t2, "2011", "2011", d(2011, 1, 1), d(2011, 12, 31), "year", "year"),
            _tx(t2, "Last month", "2016-03", d(2016, 3, 1), d(2016, 3, 31), "month", "last-month"),
            _tx(t2, "Monday", "2016-04-18", d(2016, 4, 18), d(2016, 4, 18), "day", "weekday"),
        ),
        A_OFFENSIVE: (
            _tx(t3, "Sunday", "2015-02-08", d(2015, 2, 8), d(2015, 2, 8), "day", "weekday"),
            _tx(t3, "Friday", "2015-02-06", d(2015, 2, 6), d(2015, 2, 6), "day", "weekday"),
            _tx(t3, "September 2012", "2012-09", d(2012, 9, 1), d(2012, 9, 30), "month", "month-year"),
            _tx(t3, "Last year", "2014", d(2014, 1, 1), d(2014, 12, 31), "year", "last-year"),
            _tx(t3, "15 October", "2014-10-15", d(2014, 10, 15), d(2014, 10, 15), "day", "day-month"),
            _tx(t3, "December 17, 2014", "2014-12-17", d(2014, 12, 17), d(2014, 12, 17), "day",
                "month-day-year"),
            _tx(t3, "Saturday", "2015-02-07", d(2015, 2, 7), d(2015, 2, 7), "day", "weekday"),
            _tx(t3, "less than four years", "P4Y", None, None, None, "duration", type_="DURATION",
                mod="LESS_THAN"),
        ),
        A_SIRTE2: (
            _tx(t4, "Tuesday", "2016-08-09", d(2016, 8, 9), d(2016, 8, 9), "day", "weekday"),
            _tx(t4, "early May", "2016-05", d(2016, 5, 1), d(2016, 5, 10), "month", "early-month",
                mod="START"),
            _tx(t4, "Wednesday", "2016-08-10", d(2016, 8, 10), d(2016, 8, 10), "day", "weekday"),
            _tx(t4, "In recent weeks", "PAST_REF", None, None, None, "recent"),
            _tx(t4, "the last 10 days", "P10D", d(2016, 8, 1), d(2016, 8, 10), "day", "last-n-days",
                type_="DURATION"),
            _tx(t4, "June", "2016-06", d(2016, 6, 1), d(2016, 6, 30), "month", "month"),
            _tx(t4, "August 1", "2016-08-01", d(2016, 8, 1), d(2016, 8, 1), "day", "month-day"),
            _tx(t4, "today", "2016-08-11", d(2016, 8, 11), d(2016, 8, 11), "day", "today"),
            _tx(t4, "October 2011", "2011-10", d(2011, 10, 1), d(2011, 10, 31), "month", "month-year"),
        ),
    }


def refdates() -> dict[str, ReferenceDate]:
    out = {a: ReferenceDate(best=PUBLISHED[a], earliest=PUBLISHED[a], latest=PUBLISHED[a], confidence=1.0,
                            method="metadata") for a in PUBLISHED}
    # one article dated from its text, as when metadata is missing
    out[A_DERNA] = ReferenceDate(best=date(2016, 4, 20), earliest=date(2016, 4, 6), latest=date(2016, 5, 4),
                                 confidence=0.6, method="inferred")
    return out


def events() -> list[Event]:
    """A few events, one per source of some entries (dated and undated)."""
    out = []
    for i, entry in enumerate(entries()[3:10]):
        src = entry.sources[0]
        out.append(Event(article=src.article, sentence_index=i, text=src.sentence, start=src.start, end=src.end,
                         value=entry.date, granularity=entry.granularity, first_day=entry.start,
                         last_day=entry.end, timex=None, rule=src.rule, places=entry.places,
                         kind="event" if entry.in_campaign else "background"))
    raw = seed_text(A_BENGHAZI)
    s = raw.index("Residents celebrated")
    out.append(Event(article=A_BENGHAZI, sentence_index=99, text='Comma, "quoted"; text', start=s, end=s + 20,
                     value=None, granularity=None, first_day=None, last_day=None, timex=None, rule="undated",
                     places=("Benghazi", "Lithi"), kind="undated"))
    tx = timexes_by_article()[A_BENGHAZI][0]
    out.append(Event(article=A_BENGHAZI, sentence_index=1, text="Forces seized a key neighbourhood on Tuesday.",
                     start=0, end=10, value=tx.value, granularity="day", first_day=tx.first_day,
                     last_day=tx.last_day, timex=tx, rule="timex:weekday", places=("Benghazi",)))
    return out
