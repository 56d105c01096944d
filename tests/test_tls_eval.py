"""TLS evaluation: date F1 and ROUGE variants between tilse timelines."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from timeline import exports
from timeline.evaluate import tls
from timeline.evaluate.__main__ import main as evaluate_main

import _records_fixtures as fx

GOLD = {
    date(2016, 2, 23): ["Special forces retook the Benghazi area of Lithi after days of fierce clashes."],
    date(2016, 4, 20): ["Islamic State fighters retreated from long-held positions around Derna."],
    date(2016, 8, 10): ["US-backed forces captured the Islamic State headquarters in Sirte."],
}


def _all_scores(result):
    for n in (1, 2):
        for variant in ("concat", "agreement", "align_m1"):
            yield f"rouge_{n}/{variant}", result[f"rouge_{n}"][variant]
    yield "dates", result["dates"]


def test_identical_timelines_score_one():
    result = tls.evaluate_timelines(GOLD, GOLD)
    for name, scores in _all_scores(result):
        assert scores["precision"] == pytest.approx(1.0), name
        assert scores["recall"] == pytest.approx(1.0), name
        assert scores["f1"] == pytest.approx(1.0), name


def test_disjoint_timelines_score_zero():
    system = {date(2015, 1, 1): ["Parliament adjourned without quorum."], date(2015, 6, 3): ["Oil output rose."]}
    result = tls.evaluate_timelines(system, GOLD)
    for name, scores in _all_scores(result):
        assert scores["f1"] == 0.0, name


def test_shift_by_one_day_scores_in_alignment_only():
    shifted = {d + timedelta(days=1): s for d, s in GOLD.items()}
    result = tls.evaluate_timelines(shifted, GOLD)
    assert result["dates"]["f1"] == 0.0
    for n in (1, 2):
        r = result[f"rouge_{n}"]
        assert r["agreement"]["f1"] == 0.0
        assert r["concat"]["f1"] == pytest.approx(1.0)
        # same words one day off: every match weighted 1/(1+1)
        assert r["align_m1"]["precision"] == pytest.approx(0.5)
        assert r["align_m1"]["recall"] == pytest.approx(0.5)


def test_alignment_prefers_closer_date():
    near = {d + timedelta(days=1): s for d, s in GOLD.items()}
    far = {d + timedelta(days=5): s for d, s in GOLD.items()}
    near_f = tls.evaluate_timelines(near, GOLD)["rouge_1"]["align_m1"]["f1"]
    far_f = tls.evaluate_timelines(far, GOLD)["rouge_1"]["align_m1"]["f1"]
    assert near_f > far_f > 0.0


def test_partial_overlap_agreement_uses_all_ngrams_in_denominators():
    system = {date(2016, 2, 23): GOLD[date(2016, 2, 23)], date(2016, 3, 1): ["Talks resumed in Tunis."]}
    r = tls.evaluate_timelines(system, GOLD)
    assert r["dates"]["precision"] == 0.5 and r["dates"]["recall"] == pytest.approx(1 / 3)
    agreement = r["rouge_1"]["agreement"]
    assert 0.0 < agreement["recall"] < agreement["precision"] < 1.0


def test_cli_on_tilse_files(tmp_path, capsys):
    gold = tmp_path / "gold.txt"
    gold.write_text(exports.format_tilse(GOLD), encoding="utf-8")
    system = exports.write_tilse(tmp_path / "system.txt", fx.entries())
    assert evaluate_main(["tls", str(system), str(gold)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["dates"]["matched"] == 3  # 2016-02-23, 2016-04-20 and 2016-08-10 are in the fixture timeline
    assert 0.0 < out["rouge_1"]["agreement"]["f1"] < 1.0
    assert out["rouge_2"]["align_m1"]["f1"] >= out["rouge_2"]["agreement"]["f1"]


def test_cli_missing_file(tmp_path, capsys):
    assert tls.main([str(tmp_path / "nope.txt"), str(tmp_path / "gold.txt")]) == 2
    err = capsys.readouterr().err
    assert "nope.txt" in err and "Traceback" not in err
