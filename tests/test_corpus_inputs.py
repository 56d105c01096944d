"""Input as it comes: folders of .txt/.md/.html, JSONL, CSV, DataFrames; metadata dates; what is skipped."""
from __future__ import annotations

import csv
import html
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from timeline import cli
from timeline.corpus import NoArticles, load_corpus, read_file_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ARTICLE = ("Forces retake port\n\nShare\n\nLibyan forces retook the port of Benghazi on Tuesday, officials said.\n\n"
           "Fighting had raged since October 2014 in the city.\n")


def problems(corpus) -> dict[str, str]:
    return {Path(e.path).name: e.problem for e in corpus.errors}


def notices(corpus) -> dict[str, str]:
    return {Path(e.path).name: e.problem for e in corpus.notices}


# -- the same articles in four shapes give the same timeline --------------------------------------
def _write_shapes(corpus, out: Path) -> dict[str, Path]:
    rows = []
    (out / "html").mkdir(parents=True)
    for a in corpus:
        rows.append({"id": a.id, "title": a.headline, "text": a.raw, "published_at": a.published.isoformat(),
                     "source": a.source or ""})
        # The page shows the text's own headline line as its <h1> (quote style and all); an article
        # whose text has no headline line (its headline is only in the metadata) gets a <title> only.
        cut = [(s, e) for s, e, why in a.removed if why == "headline"]
        raw = a.raw if not cut else a.raw[:cut[0][0]] + a.raw[cut[0][1]:]
        h1 = f"<h1>{html.escape(a.raw[cut[0][0]:cut[0][1]].strip())}</h1>" if cut else ""
        paragraphs = "".join(f"<p>{html.escape(line.strip())}</p>" for line in raw.splitlines() if line.strip())
        (out / "html" / f"{a.id}.html").write_text(
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(a.headline)}</title>"
            f"<meta name='date' content='{a.published.isoformat()}'></head><body><nav><a href='/'>Home</a> | "
            f"<a href='/world'>World</a></nav><article>{h1}{paragraphs}</article>"
            "<footer>Contact us</footer></body></html>", encoding="utf-8")
    with open(out / "articles.jsonl", "w", encoding="utf-8") as fh:
        for row in rows:  # news-tls keys: "time" for the date
            fh.write(json.dumps({**{k: v for k, v in row.items() if k != "published_at"},
                                 "time": row["published_at"] + " 00:00:00"}) + "\n")
    with open(out / "articles.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    # The pages keep the corpus's metadata beside them, as the text files do: a page's <title> can differ
    # from the metadata headline (quote style: "'70 percent'" vs "’70 percent’"), and the headline and
    # the source are read by the selection's signals.
    with open(out / "html" / "metadata.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "source", "headline"])  # the dates still come from <meta name="date">
        writer.writerows([f"{a.id}.html", a.source or "", a.headline] for a in corpus)
    table = SEEDS / "places.toml"  # the corpus's place aliases sit beside every shape of it
    if table.is_file():
        for folder in (out, out / "html"):
            (folder / table.name).write_bytes(table.read_bytes())
    return {"jsonl": out / "articles.jsonl", "csv": out / "articles.csv", "html": out / "html"}


def _blank_line_paragraphs(folder: Path, out: Path) -> Path:
    """A copy of a .txt corpus folder whose paragraphs are all separated by one blank line.

    HTML has no way to say whether its paragraphs were one or two line breaks apart in a text file,
    and the parse reads "\n" and "\n\n" differently; so the four shapes are written from one layout.
    Leftover HTML entities of the scrape ("us&#039") are decoded here too: trafilatura decodes a page's
    text once more after parsing it (so an escaped "&amp;#039" reads "'"), which a text file cannot say.
    """
    out.mkdir()
    for path in sorted(folder.iterdir()):
        if path.suffix == ".txt":
            text = html.unescape(path.read_text(encoding="utf-8"))
            lines = [line.rstrip() for line in text.splitlines() if line.strip()]
            (out / path.name).write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        elif path.is_file():
            (out / path.name).write_bytes(path.read_bytes())
    return out


@pytest.mark.parametrize("shape", [
    "jsonl", "csv", "html",
])
def test_txt_jsonl_csv_and_html_give_the_same_timeline(tmp_path, shape):
    pytest.importorskip("numpy")
    pytest.importorskip("trafilatura")
    from timeline.pipeline import build_timeline

    folder = _blank_line_paragraphs(SEEDS, tmp_path / "txt")
    seeds = load_corpus(folder)
    shapes = _write_shapes(seeds, tmp_path / "shapes")

    def entries(source):
        result = build_timeline(source, model=None)
        assert len(result.corpus) == len(seeds) and result.corpus.errors == ()
        assert {a.id: a.published for a in result.corpus} == {a.id: a.published for a in seeds}
        return [(e.date, e.granularity, e.places, tuple((s.article, s.sentence, s.timex, s.rule) for s in e.sources))
                for e in result.entries]

    expected = entries(folder)
    assert len(expected) > 20
    assert entries(shapes[shape]) == expected


# -- JSONL, CSV, DataFrame -----------------------------------------------------------------------
def test_jsonl_common_keys_bad_lines_and_ids(tmp_path):
    path = tmp_path / "articles.jsonl"
    lines = [
        json.dumps({"url": "https://example.org/2016/02/23/port", "headline": "Port retaken",
                    "content": "Forces retook the port on Tuesday.", "pubdate": "Feb 23, 2016"}),
        "{not json",
        json.dumps({"id": "b", "body": "", "date": "2016-02-24"}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"id": "c", "text": "Talks resumed on Monday.", "published": "0016-02-22"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = load_corpus(path)
    first, c = corpus.articles[1], corpus["c"]
    assert first.headline == "Port retaken" and first.published == date(2016, 2, 23)
    assert first.url == "https://example.org/2016/02/23/port" and "/" not in first.id
    assert c.published is None
    errors = [e.problem for e in corpus.errors]
    assert any(p.startswith("line 2: not valid JSON") for p in errors)
    assert any(p.startswith("line 3: no article text") for p in errors)
    assert any(p.startswith("line 4: a JSON list") for p in errors)
    assert any(p.startswith("line 6:") and "'published'" in p and "outside 1000-2999" in p for p in errors)
    assert all(e.path == str(path) for e in corpus.errors)


def test_csv_needs_a_text_column(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("title,date\nA,2016-02-23\n", encoding="utf-8")
    with pytest.raises(NoArticles, match="no text column: looked for text, content, body"):
        load_corpus(path)
    path.write_text("Title,Date,Text\nA,12/13/2008,Forces retook the port on Tuesday.\n", encoding="utf-8")
    corpus = load_corpus(path)
    assert corpus[0].published == date(2008, 12, 13) and corpus[0].headline == "A"


def test_dataframe_through_the_api():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"title": ["Port retaken", "Talks"], "text": ["Forces retook the port on Tuesday.",
                                                                         "Talks resumed on Monday."],
                          "published": [pd.Timestamp("2016-02-23 10:00"), None]})
    corpus = load_corpus(frame)
    assert corpus.ids == ("row-0001", "row-0002")
    assert corpus[0].published == date(2016, 2, 23) and corpus[1].published is None


# -- metadata dates -------------------------------------------------------------------------------
def test_metadata_date_column_names_formats_and_ranges(tmp_path):
    for name in "abcdef":
        (tmp_path / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(
        "file,date,headline\n"
        "a.txt,12/13/2008,\n"
        "b.txt,03/04/2008,\n"
        "c.txt,2016-02-23T23:30:00-05:00,\n"
        "d.txt,0001-01-01,\n"
        "e.txt,9999-12-31,\n"
        "f.txt,\"12 Feb 2015 14:03 GMT\",\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    got = {a.id: a.published for a in corpus}
    assert got == {"a": date(2008, 12, 13), "b": date(2008, 3, 4), "c": date(2016, 2, 23), "d": None, "e": None,
                   "f": date(2015, 2, 12)}
    errors = [e.problem for e in corpus.errors]
    assert any(p.startswith("line 5: d.txt: date") and "year 1 is outside 1000-2999" in p for p in errors)
    assert any(p.startswith("line 6: e.txt: date") and "year 9999" in p for p in errors)
    # 12/13/2008 settles month-first for the whole column, so 03/04/2008 is read as March 4: no notice
    assert not any("could be day- or month-first" in n.problem for n in corpus.notices)
    assert any("time zone -05:00 is not converted" in n.problem and "column 'date'" in n.problem
               for n in corpus.notices)


def test_an_ambiguous_date_column_is_reported_with_file_and_column(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,pubdate\na.txt,03/04/2008\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus["a"].published == date(2008, 3, 4)
    note = next(n for n in corpus.notices if "could be day- or month-first" in n.problem)
    assert note.path.endswith("metadata.csv") and "column 'pubdate'" in note.problem
    assert "month/day/year" in note.problem


def test_unclosed_quote_in_metadata_reports_every_row_it_swallows(tmp_path):
    for name in "abc":
        (tmp_path / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(
        "file,published,source,headline,note\n"
        "a.txt,2016-01-01,AFP,\"Bad quote,\n"
        "b.txt,2016-01-02,AFP,Fine,\n"
        "c.txt,2016-01-03,AFP,Fine,\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    errors = [e.problem for e in corpus.errors]
    assert any(p.startswith("line 2: a quote opened in this row is never closed") for p in errors)
    assert any(p.startswith("line 3: lost inside the unclosed quote of line 2 ('b.txt')") for p in errors)
    assert any(p.startswith("line 4: lost inside the unclosed quote of line 2 ('c.txt')") for p in errors)
    assert len(corpus) == 3  # the articles still load, without the lost metadata


# -- what is read, skipped and refused -----------------------------------------------------------
def test_skipped_and_refused_entries_are_reported(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "upper.TXT").write_text(ARTICLE, encoding="utf-8")
    (folder / "notes.Md").write_text("# Port retaken\n\n" + ARTICLE.split("\n\n", 1)[1], encoding="utf-8")
    (folder / "d.txt").mkdir()
    (folder / "picture.jpg").write_bytes(b"\xff\xd8\xff")
    os.symlink("loop.txt", folder / "loop.txt")
    os.symlink("gone.txt", folder / "dangling.txt")
    outside = tmp_path / "secret.txt"
    outside.write_text(ARTICLE, encoding="utf-8")
    os.symlink(outside, folder / "outside.txt")
    os.symlink("upper.TXT", folder / "inside.txt")
    corpus = load_corpus(folder)
    assert corpus.ids == ("inside", "notes", "upper")
    assert corpus["notes"].headline == "Port retaken"
    skipped = notices(corpus)
    assert "symlink loop" in skipped["loop.txt"]
    assert "dangling symlink" in skipped["dangling.txt"]
    assert "a folder named like a text file" in skipped["d.txt"]
    assert ".jpg is not an article format" in skipped["picture.jpg"]
    assert "outside the corpus folder" in problems(corpus)["outside.txt"]
    assert all(a.raw != outside.read_text() or a.id != "outside" for a in corpus)


def test_outputs_of_an_earlier_run_are_not_articles(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "timeline.txt").write_text("2016-02-23\nForces retook the port.\n--------\n", encoding="utf-8")
    (tmp_path / "timexes.jsonl").write_text(json.dumps({"text": "Tuesday", "article": "a"}) + "\n", encoding="utf-8")
    (tmp_path / "report.json").write_text("{}", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.ids == ("a",)
    assert "earlier timeline run" in notices(corpus)["timeline.txt"]
    assert "earlier timeline run" in notices(corpus)["timexes.jsonl"]


def test_no_articles_is_an_error_that_says_what_was_looked_for(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notes.doc").write_text("x", encoding="utf-8")
    with pytest.raises(NoArticles, match=r"looked for \.txt / \.md / \.html.*notes\.doc"):
        load_corpus(folder)
    code = cli.main(["run", str(folder), "--out", str(tmp_path / "out"), "--no-figures", "--no-summaries"])
    assert code != 0 and "no articles in" in capsys.readouterr().err
    assert not (tmp_path / "out" / "timeline.json").exists()


# -- one decoder ----------------------------------------------------------------------------------
def test_cr_only_line_endings_are_read_like_lf(tmp_path):
    (tmp_path / "lf.txt").write_text(ARTICLE, encoding="utf-8", newline="")
    (tmp_path / "cr.txt").write_bytes(ARTICLE.replace("\n", "\r").encode("utf-8"))
    corpus = load_corpus(tmp_path)
    lf, cr = corpus["lf"], corpus["cr"]
    assert cr.headline == lf.headline == "Forces retake port"
    assert [r[2] for r in cr.removed] == [r[2] for r in lf.removed] == ["headline", "share-widget"]
    assert cr.body == lf.body
    assert "CR-only line breaks" in notices(corpus)["cr.txt"]


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", True), ("utf-16-be", True), ("utf-16-le", False),
                                           ("utf-16-be", False), ("utf-8", True)])
def test_utf16_and_boms_are_decoded_the_same_by_tag_and_load_corpus(tmp_path, capsys, encoding, bom):
    marks = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-8": b"\xef\xbb\xbf"}
    path = tmp_path / "a.txt"
    path.write_bytes((marks[encoding] if bom else b"") + ARTICLE.encode(encoding))
    article = load_corpus(tmp_path)["a"]
    assert article.raw == ARTICLE
    assert read_file_text(path).text == ARTICLE
    assert cli.main(["tag", str(path), "--date", "2016-02-23", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    tuesday = next(r for r in records if r["text"] == "Tuesday")
    assert ARTICLE[tuesday["start"]:tuesday["end"]] == "Tuesday"
    assert article.raw[tuesday["start"]:tuesday["end"]] == "Tuesday"


def test_a_nul_byte_file_is_refused_by_both(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Forces retook the port\x00 on Tuesday.\x01\x02\x03")
    with pytest.raises(NoArticles, match="binary file"):
        load_corpus(tmp_path)
    assert cli.main(["tag", str(path), "--date", "2016-02-23"]) == 2
    assert "binary file" in capsys.readouterr().err


# -- the command line ------------------------------------------------------------------------------
def test_version_and_verbosity():
    proc = subprocess.run([sys.executable, "-m", "timeline", "--version"], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0 and proc.stdout.startswith("timeline 0.")
    args = cli.build_parser().parse_args(["-v", "tag", "x.txt"])
    assert args.verbose == 1
    args = cli.build_parser().parse_args(["run", "seeds", "-q"])
    assert args.quiet is True
