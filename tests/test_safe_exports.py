"""Exports that are safe to open: no spreadsheet formulas, no control characters, valid XML, sane intervals."""
from __future__ import annotations

import csv
import dataclasses
import xml.etree.ElementTree as ET

import _records_fixtures as fx

from timeline import charts, exports
from timeline.timexes import tag

HOSTILE = ["=HYPERLINK(\"http://x\",\"click\")", "+1+2", "-2+3 said the army", "@SUM(A1:A9)", "\tTAB",
           "\rCR", "\x1b[31mred\x1b[0m alert\x07 \x01"]


def _events():
    base = fx.events()
    out = []
    for i, text in enumerate(HOSTILE):
        out.append(dataclasses.replace(base[i % len(base)], text=text, places=("=cmd|' /C calc'!A0",)))
    return out


def test_events_csv_neutralises_formulas_and_control_characters(tmp_path):
    path = exports.write_events_csv(tmp_path / "events.csv", _events())
    raw = path.read_text(encoding="utf-8")
    assert not any(c in raw for c in "\x1b\x07\x01")
    rows = list(csv.DictReader(raw.splitlines(keepends=True)))
    for row in rows:
        for column, cell in row.items():
            assert not cell[:1] in ("=", "+", "-", "@", "\t", "\r"), (column, cell)
    texts = [row["text"] for row in rows]
    assert texts[0] == "'=HYPERLINK(\"http://x\",\"click\")" and texts[2] == "'-2+3 said the army"
    assert texts[-1] == "[31mred[0m alert "  # the visible text is kept, the control characters go
    assert rows[0]["places"] == "'=cmd|' /C calc'!A0"


def test_tilse_text_has_no_control_characters(tmp_path):
    entries = [dataclasses.replace(e, summary="Forces\x1b[2J took\x07 Lithi.") for e in fx.entries()[:1]]
    text = exports.format_tilse(exports.tilse_blocks(entries))
    assert "Forces[2J took Lithi." in text and "\x1b" not in text and "\x07" not in text


def test_svg_stays_valid_xml_with_a_control_character_in_a_headline(tmp_path):
    articles = [dataclasses.replace(a, headline="Libya\x1b forces \x01 gains\x0c") for a in fx.articles()]
    fig = charts.article_dates(articles, fx.refdates(), fx.timexes_by_article())
    png, svg = charts.save_figure(fig, tmp_path / "article_dates")
    ET.parse(svg)  # raises ParseError on a raw control character
    assert b"\x1b" not in svg.read_bytes()


def test_log_lines_show_control_characters_escaped(caplog):
    import logging

    from timeline import pipeline

    with caplog.at_level(logging.INFO, logger="timeline"):
        pipeline._log(True, "warning: bad\x1b[31m file\x07.txt\nsecond line")
    assert caplog.messages[-1] == "warning: bad\\x1b[31m file\\x07.txt\\nsecond line"


def test_tag_cli_output_has_no_raw_control_characters(tmp_path, capsys):
    from timeline import cli

    path = tmp_path / "a.txt"
    path.write_text("In the next\x0b2\x1fdays the army moves.\n", encoding="utf-8")  # VT, US: blanks to \\s
    assert cli.main(["tag", str(path), "--date", "2016-01-06"]) == 0
    out = capsys.readouterr().out
    assert "\x0b" not in out and "\x1f" not in out and "next\\x0b2\\x1fdays" in out


def test_zero_length_anchored_duration_has_no_inverted_interval():
    for text in ("the next 0 days", "the past 0 days", "the last 0 weeks", "the next 0 years"):
        for t in tag(text, "2016-01-06"):
            assert (t.first_day is None) == (t.last_day is None)
            if t.first_day is not None:
                assert t.first_day <= t.last_day, (text, t)
    t, = tag("the next 2 days", "2016-01-06")
    assert (t.first_day.isoformat(), t.last_day.isoformat()) == ("2016-01-07", "2016-01-08")
