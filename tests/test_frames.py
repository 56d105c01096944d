"""result.events_frame() / result.entries_frame() on the real seeds timeline."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from timeline import frames
from timeline.pipeline import build_timeline

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def result():
    return build_timeline(SEEDS, model=None)


@pytest.fixture(scope="module")
def headlines():
    with open(SEEDS / "metadata.csv", encoding="utf-8", newline="") as fh:
        return {Path(row["file"]).stem: row["headline"] for row in csv.DictReader(fh)}


def _flat(frame: pd.DataFrame) -> None:
    for column in frame.columns:
        for value in frame[column]:
            assert not isinstance(value, (list, tuple, dict, set)), (column, value)


def test_events_frame_has_one_flat_row_per_event(result, headlines):
    frame = result.events_frame()
    assert list(frame.columns) == list(frames.EVENT_FRAME_COLUMNS)
    assert len(frame) == len(result.events)
    _flat(frame)
    assert list(frame["text"]) == [e.text for e in result.events]
    assert (frame["headline"] == frame["article"].map(headlines)).all()
    for column in ("published", "first_day", "last_day"):
        assert str(frame[column].dtype).startswith("datetime64")
    dated = frame[frame["value"].notna()]
    assert len(dated) == sum(e.value is not None for e in result.events)
    day = dated.iloc[0]
    event = result.events[int(day.name)]
    assert day["first_day"] == pd.Timestamp(event.first_day) and day["value"] == event.value
    assert day["places"] == "; ".join(event.places)
    # filtering by date works on the datetime column
    in_2016 = frame[frame["first_day"] >= "2016-01-01"]
    assert 0 < len(in_2016) < len(dated)


def test_events_point_at_the_entry_they_were_merged_into(result):
    frame = result.events_frame()
    undated = frame[frame["kind"] == "undated"]
    assert len(undated) and undated["entry"].isna().all()
    linked = frame[frame["entry"].notna()]
    assert len(linked) >= len(result.entries)  # every entry comes from at least one event
    assert set(linked["entry"]) == set(range(len(result.entries)))
    for _, row in linked.iterrows():
        entry = result.entries[int(row["entry"])]
        assert any((s.article, s.start, s.end, s.sentence) == (row["article"], row["start"], row["end"], row["text"])
                   for s in entry.sources), (row["article"], row["text"][:60])


def test_entries_frame_names_sources_by_headline(result, headlines):
    frame = result.entries_frame()
    assert list(frame.columns) == list(frames.ENTRY_FRAME_COLUMNS)
    assert len(frame) == len(result.entries)
    _flat(frame)
    assert list(frame["date"]) == [e.date for e in result.entries]
    assert list(frame["start"]) == [pd.Timestamp(e.start) for e in result.entries]
    assert frame["start"].is_monotonic_increasing
    merged = frame[frame["n_articles"] > 1]
    assert len(merged) == result.stats["merged_entries"]
    for _, row in frame.iterrows():
        ids = row["articles"].split("; ")
        assert row["sources"].split("; ") == [headlines[i] for i in ids]
        assert not any(i in row["sources"] for i in ids)  # no internal ids in the readable column
        entry = result.entries[row["entry"]]
        assert row["n_sources"] == len(entry.sources) == len(row["rules"].split("; "))
    assert frame["in_campaign"].dtype == bool  # background is the context list now (timeline.selection)


def test_articles_without_a_headline_are_named_by_file(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "report_one.txt").write_text(
        "The council met in Brussels on Tuesday, March 3, 2015, and agreed on a new budget.\n", encoding="utf-8")
    out = build_timeline(folder, model=None)
    frame = out.entries_frame()
    assert len(frame) >= 1
    titles = frames.article_titles(out.corpus.articles)
    assert frame["sources"].iloc[0] == titles["report_one"]
    assert titles["report_one"]  # a headline found in the text, or the file name, never empty


def test_frames_of_nothing_keep_their_columns():
    assert list(frames.entries_frame([]).columns) == list(frames.ENTRY_FRAME_COLUMNS)
    assert list(frames.events_frame([]).columns) == list(frames.EVENT_FRAME_COLUMNS)
