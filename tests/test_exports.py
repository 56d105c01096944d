"""Output writers: schema, precision, round trips, well-formed XML, byte determinism."""
from __future__ import annotations

import csv
import dataclasses
import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from timeline import exports
from timeline.records import Timex

import _records_fixtures as fx


@pytest.fixture()
def entries():
    return fx.entries()


def _twice(tmp_path, writer, *args, name="out"):
    a = writer(tmp_path / "a" / name, *args)
    b = writer(tmp_path / "b" / name, *args)
    return a.read_bytes(), b.read_bytes()


# --------------------------------------------------------------------------- timeline.json

def test_timeline_json_fields_and_order(tmp_path, entries):
    shuffled = list(reversed(entries))
    path = exports.write_timeline_json(tmp_path / "timeline.json", shuffled)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data) == len(entries)
    starts = [d["start"] for d in data]
    assert starts == sorted(starts)
    required = {"date", "start", "end", "granularity", "summary", "extractive", "places", "sources",
                "in_campaign", "guarded", "merge_note"}
    for record in data:
        assert required <= set(record)
        for src in record["sources"]:
            assert {"article", "sentence", "start", "end", "timex", "rule"} <= set(src)
    lithi = next(d for d in data if "Lithi" in d["summary"])
    assert lithi["date"] == "2016-02-23" and lithi["extractive"] is True
    assert lithi["places"] == ["Benghazi"] and len(lithi["sources"]) == 2
    # the offsets point at the sentence in the raw seed file
    src = lithi["sources"][0]
    assert fx.seed_text(src["article"])[src["start"]:src["end"]] == src["sentence"]
    assert next(d for d in data if d["date"] == "2001")["in_campaign"] is False


def test_timeline_json_keeps_unicode_and_is_deterministic(tmp_path, entries):
    entries = entries + [dataclasses.replace(entries[-1], summary="Misrata’s brigades – “resting”")]
    first, second = _twice(tmp_path, exports.write_timeline_json, entries)
    assert first == second
    text = first.decode("utf-8")
    assert "Misrata’s brigades – “resting”" in text
    assert text.endswith("\n") and "\r" not in text


def test_timeline_json_equal_starts_keep_given_order(tmp_path, entries):
    same_day = [e for e in entries if e.date == "2016-02-23"]
    path = exports.write_timeline_json(tmp_path / "t.json", list(reversed(same_day)))
    places = [d["places"][0] for d in json.loads(path.read_text())]
    assert places == [e.places[0] for e in reversed(same_day)]


# --------------------------------------------------------------------------- events.csv

def test_events_csv_rows(tmp_path):
    events = fx.events()
    path = exports.write_events_csv(tmp_path / "events.csv", events)
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert len(rows) == len(events)
    assert list(rows[0]) == list(exports.EVENT_COLUMNS)
    undated = next(r for r in rows if r["kind"] == "undated")
    assert undated["value"] == "" and undated["first_day"] == ""
    assert undated["places"] == "Benghazi;Lithi"
    assert undated["text"] == 'Comma, "quoted"; text'
    tagged = next(r for r in rows if r["timex"])
    assert tagged["timex"] == "Tuesday" and tagged["value"] == "2016-02-23" and tagged["last_day"] == "2016-02-23"
    first, second = _twice(tmp_path, exports.write_events_csv, events)
    assert first == second and b"\r" not in first


# --------------------------------------------------------------------------- TimelineJS

def test_timelinejs_precision_and_spans(tmp_path, entries):
    path = exports.write_timelinejs(tmp_path / "tl.json", entries, title="Libya")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["title"]["text"]["headline"] == "Libya"
    events = doc["events"]
    assert len(events) == len(entries)

    def slide(words):  # the summary is the slide's text
        return next(e for e in events if words in e["text"]["text"])

    year = slide("The US invaded Afghanistan.")
    assert year["start_date"] == {"year": 2001} and "end_date" not in year
    month = slide("A UN-backed unity government arrived in Tripoli.")
    assert month["start_date"] == {"year": 2016, "month": 3} and "end_date" not in month
    season = slide("The recognised government")
    assert season["start_date"] == {"year": 2014, "month": 6}
    assert season["end_date"] == {"year": 2014, "month": 8}
    week = slide("Sabratha, killing")
    assert week["start_date"] == {"year": 2016, "month": 2, "day": 15}
    assert week["end_date"] == {"year": 2016, "month": 2, "day": 21}
    assert week["display_date"] == "week of 15 Feb 2016"  # a reader's date, not "2016-W07"
    day = slide("Lithi")
    assert day["start_date"] == {"year": 2016, "month": 2, "day": 23} and "end_date" not in day
    assert day["group"] == "Benghazi"
    strikes = slide("36 strikes")
    assert strikes["end_date"] == {"year": 2016, "month": 8, "day": 11}
    assert len({e["unique_id"] for e in events}) == len(events)
    assert slide("Gaddafi")["group"] == "(no place)"
    default = json.loads(exports.write_timelinejs(tmp_path / "d.json", entries).read_text(encoding="utf-8"))
    assert default["title"]["text"]["headline"] == "Timeline 2014–2016"


def _contrast_with_white(hex_colour: str) -> float:
    """WCAG 2 contrast ratio of a colour against white."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_timelinejs_reads_well(tmp_path, entries):
    titles = {"000_ebd112a8c2509409": "Libya forces make key Benghazi gains"}
    doc = exports.timelinejs_document(entries, titles=titles)
    for event, entry in zip(doc["events"], exports.chronological(entries)):
        headline, text = event["text"]["headline"], event["text"]["text"]
        assert 0 < len(headline) <= exports.HEADLINE_LIMIT
        assert headline != entry.summary  # a headline, not the whole summary
        assert exports.escape(entry.summary) in text  # the summary is the text
        # every slide has a colour TimelineJS's white text can be read on, wherever its date falls
        assert _contrast_with_white(event["background"]["color"]) >= 7.0
    lithi = next(e for e in doc["events"] if "Lithi" in e["text"]["text"])
    assert "Sources:</b> <i>Libya forces make key Benghazi gains</i>" in lithi["text"]["text"]
    assert "000_ebd112a8c2509409" not in lithi["text"]["text"]
    groups = {e["group"]: e["background"]["color"] for e in doc["events"]}
    assert len(set(groups.values())) == min(len(groups), len(exports.TIMELINEJS_COLOURS))
    for colour in exports.TIMELINEJS_COLOURS:
        assert _contrast_with_white(colour) >= 7.0, colour


def test_short_headline():
    assert exports.short_headline("The US invaded Afghanistan.") == "The US invaded Afghanistan"
    assert exports.short_headline("U.S. forces retook Sirte. The city was empty.") == "U.S. forces retook Sirte"
    long = ("After launching a major Benghazi offensive at the weekend, loyalists seized Al-Marayseh port "
            "in the west of the city, as well as three army bases.")
    assert exports.short_headline(long) == "After launching a major Benghazi offensive at the weekend…"
    words = "word " * 40
    cut = exports.short_headline(words)
    assert cut.endswith("…") and len(cut) <= exports.HEADLINE_LIMIT and "  " not in cut


def test_timelinejs_csv_follows_the_sheet_template(tmp_path, entries):
    path = exports.write_timelinejs_csv(tmp_path / "tl.csv", entries, titles={})
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    with path.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == list(exports.TIMELINEJS_CSV_COLUMNS)
    assert rows[0]["Type"] == "title" and rows[0]["Headline"] == "Timeline 2014–2016"
    doc = exports.timelinejs_document(entries, titles={})
    assert len(rows) == len(doc["events"]) + 1
    for row, event in zip(rows[1:], doc["events"]):
        assert row["Headline"] == event["text"]["headline"] and row["Text"] == event["text"]["text"]
        assert int(row["Year"]) == event["start_date"]["year"]
        assert row["Month"] == str(event["start_date"].get("month", ""))
        assert row["End Year"] == (str(event["end_date"]["year"]) if "end_date" in event else "")
        assert row["Background"] == event["background"]["color"] and row["Group"] == event["group"]
    first, second = _twice(tmp_path, exports.write_timelinejs_csv, entries)
    assert first == second and b"\r" not in first


def test_timelinejs_deterministic(tmp_path, entries):
    first, second = _twice(tmp_path, exports.write_timelinejs, entries)
    assert first == second


# --------------------------------------------------------------------------- tilse

def test_tilse_round_trip_and_first_day_mapping(tmp_path, entries):
    path = exports.write_tilse(tmp_path / "timeline.txt", entries)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "2001-01-01" and lines[2] == exports.TILSE_SEPARATOR
    parsed = exports.read_tilse(path)
    assert parsed == exports.tilse_blocks(entries)
    assert list(parsed) == sorted(parsed)
    # week 2016-W07 is filed under its first day; three entries share 2016-02-23
    assert parsed[date(2016, 2, 15)] == [
        "US warplanes struck an IS training camp in Sabratha, killing more than 40 people."]
    assert len(parsed[date(2016, 2, 23)]) == 3
    assert sum(map(len, parsed.values())) == len(entries)


def test_tilse_entry_without_summary_uses_source_sentence(tmp_path, entries):
    bare = dataclasses.replace(entries[-1], summary="")
    blocks = exports.tilse_blocks([bare])
    assert blocks[bare.start] == [" ".join(bare.sources[0].sentence.split())]


def test_read_tilse_reports_bad_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("2016-02-23\nSomething happened.\n--------\nnot a date\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt:4"):
        exports.read_tilse(bad)


def test_tilse_deterministic(tmp_path, entries):
    first, second = _twice(tmp_path, exports.write_tilse, entries)
    assert first == second


# --------------------------------------------------------------------------- TimeML

@pytest.mark.parametrize("article_id", sorted(fx.PUBLISHED))
def test_timeml_well_formed_with_all_tags(tmp_path, article_id):
    article = fx.article(article_id)
    timexes = fx.timexes_by_article()[article_id]
    path = exports.write_timeml(tmp_path / f"{article_id}.tml", article, timexes, fx.PUBLISHED[article_id])
    root = ET.parse(path).getroot()
    assert root.tag == "TimeML"
    dct = root.find("DCT/TIMEX3")
    assert dct.get("value") == fx.PUBLISHED[article_id].isoformat()
    assert dct.get("functionInDocument") == "CREATION_TIME"
    body = root.find("TEXT")
    tags = body.findall("TIMEX3")
    assert len(tags) == len(timexes)
    # the text survives escaping exactly (the seeds contain '&' and quotes)
    assert "".join(body.itertext()) == article.body
    by_text = {t.text: t for t in timexes}
    for tag in tags:
        t = by_text[tag.text]
        assert tag.get("type") == t.type and tag.get("value") == t.value
        assert tag.get("mod") == t.mod
    assert len({tag.get("tid") for tag in tags}) == len(tags)


def test_timeml_escapes_and_mod(tmp_path):
    body = 'A <b> & "c" on Tuesday, almost one year.'
    article = dataclasses.replace(fx.article(fx.A_BENGHAZI), body=body)
    s1, s2 = body.index("on Tuesday"), body.index("almost")
    timexes = (
        Timex(start=s1, end=s1 + 10, text="on Tuesday", type="DATE", value="2016-02-23", rule="weekday"),
        Timex(start=s2, end=s2 + 15, text="almost one year", type="DURATION", value="P1Y", mod="APPROX", rule="d"),
    )
    path = exports.write_timeml(tmp_path / "x.tml", article, timexes, None)
    root = ET.parse(path).getroot()
    assert root.find("DCT").text is None
    tags = root.findall("TEXT/TIMEX3")
    assert [t.get("mod") for t in tags] == [None, "APPROX"]
    assert "".join(root.find("TEXT").itertext()) == article.body


def test_timeml_rejects_misplaced_timex(tmp_path):
    article = fx.article(fx.A_BENGHAZI)
    wrong = Timex(start=0, end=7, text="Tuesday", type="DATE", value="2016-02-23")
    with pytest.raises(ValueError, match=fx.A_BENGHAZI):
        exports.write_timeml(tmp_path / "x.tml", article, [wrong], date(2016, 2, 23))


def test_timeml_deterministic(tmp_path):
    article = fx.article(fx.A_SIRTE2)
    timexes = fx.timexes_by_article()[fx.A_SIRTE2]
    first, second = _twice(tmp_path, exports.write_timeml, article, timexes, date(2016, 8, 11))
    assert first == second


# --------------------------------------------------------------------------- timexes.jsonl

def test_timexes_jsonl(tmp_path):
    rows = [(aid, t) for aid, ts in sorted(fx.timexes_by_article().items()) for t in ts]
    rows[0] = rows[0] + (1000, 1007)  # raw offsets given by the pipeline
    path = exports.write_timexes_jsonl(tmp_path / "timexes.jsonl", rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(rows)
    records = [json.loads(line) for line in lines]
    keys = {"article", "start", "end", "text", "type", "value", "mod", "rule", "first_day", "last_day", "granularity"}
    assert all(keys <= set(r) for r in records)
    assert records[0]["start"] == 1000 and records[0]["body_start"] == rows[0][1].start
    duration = next(r for r in records if r["value"] == "P1Y")
    assert duration["first_day"] is None and duration["mod"] == "APPROX"
    week = next(r for r in records if r["value"] == "2016-W07")
    assert (week["first_day"], week["last_day"], week["granularity"]) == ("2016-02-15", "2016-02-21", "week")
    first, second = _twice(tmp_path, exports.write_timexes_jsonl, rows)
    assert first == second


def test_timexes_jsonl_rejects_bad_row(tmp_path):
    with pytest.raises(ValueError, match="timex row"):
        exports.write_timexes_jsonl(tmp_path / "x.jsonl", [("a", None, 1)])


def test_timeml_control_characters_keep_offsets(tmp_path):
    body = "Line one\r\nform\x0cfeed on Tuesday."
    article = dataclasses.replace(fx.article(fx.A_BENGHAZI), body=body)
    s = body.index("Tuesday")
    tx = Timex(start=s, end=s + 7, text="Tuesday", type="DATE", value="2016-02-23", rule="weekday")
    path = exports.write_timeml(tmp_path / "c.tml", article, [tx], date(2016, 2, 23))
    text = "".join(ET.parse(path).getroot().find("TEXT").itertext())
    assert text == body.replace("\x0c", "\ufffd")
    assert text.index("Tuesday") == s
