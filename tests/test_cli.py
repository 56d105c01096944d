"""Command line: help text, tag output, clear errors with exit code 2, run wiring."""
from __future__ import annotations

from datetime import date

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from timeline import cli

import _records_fixtures as fx

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "Special forces retook the Benghazi area of Lithi on Tuesday, a year after the summer of 2014 offensive.\n"


def test_help_lists_subcommands():
    proc = subprocess.run([sys.executable, "-m", "timeline", "--help"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=120)
    assert proc.returncode == 0
    assert "run" in proc.stdout and "tag" in proc.stdout and "python -m timeline" in proc.stdout


@pytest.mark.parametrize("command, options", [("run", ["--figures", "--no-summaries", "--model", "--out", "--scheduler",
                                                       "--partition-size", "--workdir"]),
                                              ("tag", ["--date", "--json"])])
def test_subcommand_help_is_complete(command, options, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for option in options:
        assert option in out


def test_no_command_prints_usage(capsys):
    assert cli.main([]) == 2
    assert "run" in capsys.readouterr().err


def test_tag_missing_file_exit_2(tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    assert cli.main(["tag", str(missing), "--date", "2016-02-23"]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "not found" in err and "Traceback" not in err


def test_tag_bad_date_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        cli.main(["tag", str(path), "--date", "2016-02-30"])
    assert exc.value.code == 2
    assert "2016-02-30" in capsys.readouterr().err


def test_tag_not_utf8(tmp_path, capsys):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 on Tuesday".encode("latin-1"))
    assert cli.main(["tag", str(path), "--date", "2016-02-23"]) == 2
    assert "not valid UTF-8" in capsys.readouterr().err


def test_tag_with_date_prints_expressions(tmp_path, capsys):
    path = tmp_path / "article.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    assert cli.main(["tag", str(path), "--date", "2016-02-23"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split("\t") for line in lines]
    assert all(len(r) == 7 for r in rows)
    tuesday = next(r for r in rows if r[2] == "Tuesday")
    assert SENTENCE[int(tuesday[0]):int(tuesday[1])] == "Tuesday"
    assert tuesday[3] == "DATE" and tuesday[4] == "2016-02-23" and tuesday[6]
    assert any(r[4] == "2014-SU" for r in rows)


def test_tag_json_lines(tmp_path, capsys):
    path = tmp_path / "article.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    assert cli.main(["tag", str(path), "--date", "2016-02-23", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    tuesday = next(r for r in records if r["text"] == "Tuesday")
    assert tuesday["first_day"] == "2016-02-23" and tuesday["article"] == "article"
    assert {"start", "end", "type", "value", "mod", "rule", "granularity", "last_day"} <= set(tuesday)


def test_tag_without_date_infers_it(tmp_path, capsys):
    pytest.importorskip("timeline.refdate")
    path = tmp_path / "000.txt"
    path.write_text(fx.seed_text(fx.A_BENGHAZI), encoding="utf-8")
    assert cli.main(["tag", str(path)]) == 0
    captured = capsys.readouterr()
    assert "inferred reference date" in captured.err or "no reference date could be inferred" in captured.err
    assert "Tuesday" in captured.out


def test_run_passes_selection_options(tmp_path, monkeypatch, capsys):
    import timeline.pipeline

    calls = []
    monkeypatch.setattr(timeline.pipeline, "run_pipeline", lambda *a, **k: calls.append((a, k)))
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    assert cli.main(["run", str(seeds), "--max-entries", "10", "--granularity", "month", "--about", "Sirte"]) == 0
    (_, kwargs), = calls
    assert (kwargs["max_entries"], kwargs["granularity"], kwargs["about"]) == (10, "month", "Sirte")
    with pytest.raises(SystemExit):
        cli.main(["run", str(seeds), "--max-entries", "0"])
    assert "at least 1" in capsys.readouterr().err


def test_run_missing_seeds_dir(tmp_path, capsys):
    assert cli.main(["run", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "nowhere" in err and "Traceback" not in err


def test_run_passes_options_to_pipeline(tmp_path, monkeypatch):
    import timeline.pipeline

    calls = []
    monkeypatch.setattr(timeline.pipeline, "run_pipeline", lambda *a, **k: calls.append((a, k)))
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    assert cli.main(["run", str(seeds), "--out", str(tmp_path / "o"), "--figures", str(tmp_path / "f"),
                     "--model", "small", "--no-summaries"]) == 0
    (args, kwargs), = calls
    assert args == (seeds, tmp_path / "o", tmp_path / "f")
    assert kwargs == {"model": "small", "summaries": False, "progress": True, "since": None, "until": None,
                      "max_entries": None, "granularity": "day", "about": None, "scheduler": "auto",
                      "workdir": None, "partition_size": None}
    calls.clear()
    assert cli.main(["run", str(seeds), "--no-figures", "--quiet"]) == 0
    (args, kwargs), = calls
    assert args[2] is None and kwargs["model"] == "default" and kwargs["summaries"] is True
    assert kwargs["progress"] is False
    assert cli.main(["run", str(seeds), "--since", "2015-06-01", "--until", "2016-12-31", "--quiet"]) == 0
    _args, kwargs = calls[-1]
    assert (kwargs["since"], kwargs["until"]) == (date(2015, 6, 1), date(2016, 12, 31))
    assert cli.main(["run", str(seeds), "--since", "2017-01-01", "--until", "2016-01-01"]) == 2
    assert cli.main(["run", str(seeds), "--scheduler", "tcp://10.0.0.5:8786", "--partition-size", "64",
                     "--workdir", str(tmp_path / "w"), "--quiet"]) == 0
    _args, kwargs = calls[-1]
    assert (kwargs["scheduler"], kwargs["partition_size"], kwargs["workdir"]) == ("tcp://10.0.0.5:8786", 64,
                                                                                  str(tmp_path / "w"))


def test_run_rejects_unknown_model(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    assert cli.main(["run", str(seeds), "--model", str(tmp_path / "no-model")]) == 2
    assert "--model" in capsys.readouterr().err
