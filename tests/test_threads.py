"""Threads of a window (timeline.summaries.threads) on the seed events as the real chain produces them,
and the overview prompt built from them (fake generator: no model)."""
from __future__ import annotations

import re
from datetime import date

import pytest
from _seeds import SEEDS, seed_events

from timeline import places

from timeline.records import SourceRef, TimelineEntry
from timeline.summaries import Summarizer
from timeline.summaries.threads import ThreadSettings, main_subject, salient, setting_places, threads


@pytest.fixture(autouse=True)
def _seed_places():
    with places.using(places.load_table(SEEDS)):  # the corpus's place table, as the pipeline uses it
        yield


def _entries() -> tuple[list[TimelineEntry], dict]:
    """One entry per dated seed event (its clause as the source), in date order, salience by length."""
    dated = [e for e in seed_events() if e.value and e.first_day and e.kind == "event"]
    dated.sort(key=lambda e: (e.first_day, e.article, e.start))
    out = [TimelineEntry(date=e.value, start=e.first_day, end=e.last_day or e.first_day,
                         granularity=e.granularity or "day", places=e.places,
                         sources=(SourceRef(e.article, e.sentence, e.start, e.end, None, e.rule),),
                         in_campaign=True, salience=float(len(e.sentence.split())))
           for e in dated]
    return out, {(e.article, e.start, e.end): e for e in dated}


def test_every_entry_is_in_exactly_one_thread_and_the_setting_is_no_thread():
    entries, records = _entries()
    assert len(entries) > 20
    settings = ThreadSettings(max_threads=4, per_thread=3, setting_share=0.5)
    strands = threads(entries, records, settings)
    seen = [id(e) for s in strands for e in s.entries]
    assert sorted(seen) == sorted(id(e) for e in entries)
    named = [s for s in strands if s.kind != "rest"]
    assert 2 <= len(named) <= 4
    assert [len(s.entries) for s in named] == sorted((len(s.entries) for s in named), reverse=True)
    setting = setting_places(entries, 0.5)
    assert not {s.name for s in named} & setting
    for s in named:  # a place thread holds the entries one of whose places it is (or holds)
        if s.kind == "place":
            assert all(s.name in {*e.places, *(places.city_of(p) for p in e.places)} for e in s.entries)
    lithi = [e for e in entries if e.places[:1] == ("Lithi",)]
    assert lithi and all(main_subject(e, setting, records) == ("place", "Benghazi") for e in lithi)
    for s in strands:  # threads keep timeline order
        assert [e.start for e in s.entries] == sorted(e.start for e in s.entries)


def test_a_place_most_entries_name_is_the_setting():
    entries, _ = _entries()
    counts = {p: sum(p in e.places for e in entries) for e in entries for p in e.places}
    top, n = max(counts.items(), key=lambda kv: kv[1])
    assert (top in setting_places(entries, 0.5)) == (n > len(entries) / 2)
    assert setting_places(entries, 1.0) == frozenset()


def test_an_entry_without_a_place_follows_the_name_in_its_actor():
    entries, records = _entries()
    unplaced = [e for e in entries if not e.places]
    found = [(e, main_subject(e, frozenset(), records)) for e in unplaced]
    actors = [(e, name) for e, (kind, name) in found if kind == "actor"]
    assert actors, "some seed clause without a place has a named actor"
    for e, name in actors:
        record = records[(e.sources[0].article, e.sources[0].start, e.sources[0].end)]
        assert name in record.actor
    assert all(kind == "rest" for e, (kind, name) in found
               if not records[(e.sources[0].article, e.sources[0].start, e.sources[0].end)].actor)


def test_salient_picks_the_highest_and_keeps_timeline_order():
    entries, records = _entries()
    strand = max(threads(entries, records), key=lambda s: len(s.entries))
    top = salient(strand, 3)
    assert len(top) == min(3, len(strand.entries))
    assert [e.start for e in top] == sorted(e.start for e in top)
    floor = min(e.salience for e in top)
    assert sum(e.salience > floor for e in strand.entries) < 3


def test_the_overview_prompt_shows_the_threads_with_reader_dates(tmp_path):
    entries, records = _entries()
    entries = [e for e in entries if date(2016, 1, 1) <= e.start <= date(2016, 12, 31)]
    prompts = []

    def fake(chats, budget):
        prompts.extend(chat[-1]["content"] for chat in chats)
        return ["In 2016, IS took Atlantis."] * len(chats)  # fails the guard: the fallback is used

    s = Summarizer("small", cache_path=tmp_path / "c.json", generator=fake, model_id="fake", progress=False)
    events = list(records.values())
    overview = s.summarize_overview(entries, events=events)
    strands = [t for t in threads(entries, records) if t.name]
    prompt = prompts[0]
    for t in strands:
        assert f"{t.name}:\n- " in prompt
    assert not re.search(r"\b\d{4}-(?:\d{2}|W\d{2})", prompt)  # no TIMEX3 value
    assert re.search(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|"
                     r"November|December) 2016\b", prompt)
    # the guard rejected both tries: the fallback tells every thread's top entries after their reader dates
    assert overview.extractive and overview.rule == "extractive:thread-chronology"
    for t in strands:
        assert f"{t.name}: " in overview.text
        assert salient(t, 1)[0].summary in overview.text or salient(t, 1)[0].sources[0].sentence in overview.text
    assert not re.search(r"\b\d{4}-(?:\d{2}|W\d{2})", overview.text)
    assert re.search(r"\d{1,2} [A-Z][a-z]+ 2016 \u2014 ", overview.text)
    assert len(prompts) == 2 and "Atlantis" in " ".join(overview.rejected)


def test_the_scene_is_the_place_the_sentence_names_first():
    entries, records = _entries()
    derna = next(e for e in entries if e.sources[0].sentence.startswith("In the coastal city of Derna"))
    # "300 kilometres east of Benghazi" is a reference point: not among the entry's places
    assert "Derna" in derna.places and "Benghazi" not in derna.places
    # even with Benghazi listed first, the scene is the place the sentence names first
    shuffled = TimelineEntry(**{**{f: getattr(derna, f) for f in derna.__dataclass_fields__},
                                "places": ("Benghazi", *derna.places)})
    assert main_subject(shuffled, frozenset(), records) == ("place", "Derna")
