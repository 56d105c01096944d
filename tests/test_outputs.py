"""Output folders: atomic files, one set replaced as a whole, checks before any work, one run at a time.

The random ``kill -9`` check of the same guarantees is ``benchmarks/kill_run.py`` (slow: 30 real runs).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from timeline import cli, exports, pipeline

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def _corpus(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True)
    rows = [ln for ln in (SEEDS / "metadata.csv").read_text(encoding="utf-8").splitlines(keepends=True)]
    keep = [rows[0]] + [r for r in rows[1:] if r.split(",", 1)[0] in names]
    (folder / "metadata.csv").write_text("".join(keep), encoding="utf-8")
    for name in names:
        shutil.copy2(SEEDS / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def two_corpora(tmp_path_factory):
    base = tmp_path_factory.mktemp("corpora")
    names = sorted(p.name for p in SEEDS.glob("*.txt"))
    return _corpus(base / "big", names[:2]), _corpus(base / "small", names[2:3])


def _run(corpus, out, figures=None):
    return pipeline.run_pipeline(corpus, out, figures, model=None, summaries=False, progress=False)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_rerun_leaves_no_file_of_the_earlier_corpus(two_corpora, tmp_path):
    big, small = two_corpora
    out = tmp_path / "out"
    _run(big, out)
    (out / "summaries.json").write_text("{}\n")  # as an earlier run with summaries left it
    assert len(list((out / "timeml").glob("*.tml"))) == 2
    _run(small, out)
    fresh = tmp_path / "fresh"
    _run(small, fresh)
    assert _files(out) == _files(fresh)  # exactly the files of a run into an empty folder
    assert sorted(p.name for p in (out / "timeml").iterdir()) == [small.glob("*.txt").__next__().stem + ".tml"]
    assert not (out / "summaries.json").exists()
    assert not list(tmp_path.glob(".out.new-*"))  # no stage folder left behind


def test_a_run_that_dies_while_writing_leaves_the_previous_set(two_corpora, tmp_path, monkeypatch):
    big, small = two_corpora
    out, figures = tmp_path / "out", tmp_path / "figures"
    _run(big, out, figures)
    before, before_figures = _files(out), _files(figures)

    def die(*args, **kwargs):
        raise KeyboardInterrupt  # stands for a kill in the middle of writing the outputs

    monkeypatch.setattr(exports, "write_tilse", die)
    with pytest.raises(KeyboardInterrupt):
        _run(small, out, figures)
    assert _files(out) == before and _files(figures) == before_figures
    assert not list(tmp_path.glob(".*.new-*"))


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "timeline.json"
    path.write_text("old\n")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        exports.write_tilse(path, [])
    assert path.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["timeline.json"]  # no temporary file left


def test_figures_are_written_atomically(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    from timeline import charts

    stem = tmp_path / "chart"
    charts.save_figure(Figure(), stem)
    old = (tmp_path / "chart.svg").read_bytes()

    def broken(fd):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(os, "fsync", broken)
    fig = Figure()
    fig.add_subplot().plot([1, 2], [3, 4])
    with pytest.raises(OSError):
        charts.save_figure(fig, stem)
    assert (tmp_path / "chart.svg").read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png", "chart.svg"]


def _main_err(argv, capsys):
    code = cli.main(argv)
    err = capsys.readouterr().err
    return code, err


def _no_work(monkeypatch):
    def fail(*a, **k):
        raise AssertionError("the pipeline ran although the outputs could not be written")

    monkeypatch.setattr(pipeline, "build_timeline", fail)


def test_out_that_is_a_file_is_refused_before_any_work(two_corpora, tmp_path, capsys, monkeypatch):
    big, _ = two_corpora
    _no_work(monkeypatch)
    target = tmp_path / "out.json"
    target.write_text("keep me\n")
    for out in (target, target / "sub"):
        code, err = _main_err(["run", str(big), "--out", str(out), "--no-figures", "--no-summaries"], capsys)
        assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
        assert "is a file" in err and str(target) in err
    assert target.read_text() == "keep me\n"


def test_figures_under_a_file_is_refused_before_any_work(two_corpora, tmp_path, capsys, monkeypatch):
    big, _ = two_corpora
    _no_work(monkeypatch)
    (tmp_path / "f").write_text("x")
    code, err = _main_err(["run", str(big), "--out", str(tmp_path / "o"), "--figures", str(tmp_path / "f" / "g"),
                           "--no-summaries"], capsys)
    assert code == 2 and "--figures" in err and "is a file" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_read_only_out_is_refused_before_any_work(two_corpora, tmp_path, capsys, monkeypatch):
    big, _ = two_corpora
    _no_work(monkeypatch)
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        code, err = _main_err(["run", str(big), "--out", str(parent / "out"), "--no-figures"], capsys)
    finally:
        parent.chmod(0o755)
    assert code == 2 and "not writable" in err


def test_out_inside_or_equal_to_the_input_is_refused(two_corpora, tmp_path, capsys, monkeypatch):
    _no_work(monkeypatch)
    corpus = tmp_path / "c"
    shutil.copytree(two_corpora[1], corpus)
    before = _files(corpus)
    for out in (corpus, corpus / "outputs", tmp_path):
        code, err = _main_err(["run", str(corpus), "--out", str(out), "--no-figures", "--no-summaries"], capsys)
        assert code == 2 and "input folder" in err and "Traceback" not in err, out
    assert _files(corpus) == before


def test_a_folder_holding_other_files_is_refused_and_left_alone(two_corpora, tmp_path, capsys, monkeypatch):
    big, _ = two_corpora
    _no_work(monkeypatch)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"precious")
    code, err = _main_err(["run", str(big), "--out", str(out), "--no-figures", "--no-summaries"], capsys)
    assert code == 2 and "thesis.docx" in err and "did not write" in err
    assert (out / "thesis.docx").read_bytes() == b"precious"


def test_a_second_run_into_the_same_out_stops_with_a_clear_message(two_corpora, tmp_path, capsys, monkeypatch):
    big, _ = two_corpora
    _no_work(monkeypatch)
    from timeline.publish import OutputLock

    out = tmp_path / "out"
    with OutputLock(out):
        code, err = _main_err(["run", str(big), "--out", str(out), "--no-figures", "--no-summaries"], capsys)
    assert code == cli.EXIT_BUSY and "another run" in err and str(os.getpid()) in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_the_lock_is_released_after_a_run(two_corpora, tmp_path):
    from timeline.publish import OutputLock

    out = tmp_path / "out"
    _run(two_corpora[1], out)
    with OutputLock(out):  # would raise OutputBusy if the finished run still held it
        pass


def test_figures_inside_out_are_published_with_it(two_corpora, tmp_path):
    out = tmp_path / "out"
    _run(two_corpora[0], out, out / "figures")
    _run(two_corpora[1], out, out / "figures")
    from timeline.publish import MANIFEST_NAME

    listed = json.loads((out / MANIFEST_NAME).read_text())["files"]
    assert "timeline.json" in listed and "figures/campaign_timeline.svg" in listed
    assert (out / "figures" / "campaign_timeline.svg").is_file()


def test_summary_cache_is_carried_into_the_new_set(two_corpora, tmp_path):
    out = tmp_path / "out"
    _run(two_corpora[1], out)
    (out / pipeline.SUMMARY_CACHE_NAME).write_text('{"format": 1, "items": {}}\n')
    _run(two_corpora[1], out)
    assert (out / pipeline.SUMMARY_CACHE_NAME).read_text() == '{"format": 1, "items": {}}\n'


def test_tag_date_outside_the_supported_years_is_one_line(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("It happened on Monday, two days ago.\n")
    for day in ("0001-01-01", "9999-12-31", "0099-06-01"):
        code, err = _main_err(["tag", str(path), "--date", day], capsys)
        assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
        assert "--date" in err and day in err
    assert cli.main(["tag", str(path), "--date", "1000-01-01"]) == 0


def test_atomic_write_text_keeps_bytes(tmp_path):
    from timeline.publish import atomic_write_text

    path = atomic_write_text(tmp_path / "x" / "a.txt", "a\r\nb\n")
    assert path.read_bytes() == b"a\r\nb\n"


def test_a_symlinked_out_folder_keeps_its_link_and_gets_the_new_set(two_corpora, tmp_path):
    real = tmp_path / "real"
    link = tmp_path / "link"
    _run(two_corpora[0], real)
    link.symlink_to(real)
    _run(two_corpora[1], link)
    assert link.is_symlink() and (link / "timeline.json").is_file()
    fresh = tmp_path / "fresh"
    _run(two_corpora[1], fresh)
    assert _files(real) == _files(fresh)
    assert not list(tmp_path.glob(".*.new-*"))
