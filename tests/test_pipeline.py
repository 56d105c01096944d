"""End to end on the seeds: the main job's outputs, their determinism, and the notebook views."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import timeline
from timeline.pipeline import build_timeline, month_groups, write_outputs
from timeline.views import entries_table, events_table, highlight_timexes, refdate_table, timex_table

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def result():
    return build_timeline(SEEDS, model=None)


def test_every_article_is_used_with_its_metadata_date(result):
    assert result.stats["articles"] == 5 and result.stats["load_errors"] == 0
    assert {r.method for r in result.refdates.values()} == {"metadata"}
    assert result.refdates["003_3907a09cbc1637f9"].best.isoformat() == "2015-02-08"


def test_entries_are_chronological_and_sourced(result):
    starts = [e.start for e in result.entries]
    assert starts == sorted(starts)
    for entry in result.entries:
        assert entry.sources, entry
        assert entry.start <= entry.end
        for source in entry.sources:
            raw = result.corpus[source.article].raw
            # every source quotes the raw article at the recorded offsets (whitespace aside)
            assert " ".join(source.sentence.split()) in " ".join(raw[source.start:source.end].split())


def test_outputs_are_written_and_byte_identical_across_runs(result, tmp_path):
    first = write_outputs(result, tmp_path / "a", None)
    again = build_timeline(SEEDS, model=None)
    second = write_outputs(again, tmp_path / "b", None)
    names = sorted(p.relative_to(tmp_path / "a").as_posix() for p in first)
    assert "timexes.jsonl" in names and "timeline.json" in names and "events.csv" in names
    assert "timeml/000_ebd112a8c2509409.tml" in names
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    rows = [json.loads(line) for line in (tmp_path / "a" / "timexes.jsonl").read_text().splitlines()]
    lithi = [r for r in rows if r["article"] == "000_ebd112a8c2509409" and r["text"] == "Tuesday"]
    assert lithi and all(r["value"] == "2016-02-23" for r in lithi)
    raw = (SEEDS / "000_ebd112a8c2509409.txt").read_text(encoding="utf-8")
    assert all(raw[r["start"]:r["end"]] == r["text"] for r in rows if r["article"].startswith("000"))


def test_bad_file_in_the_folder_does_not_take_the_batch_down(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    (folder / "zz_empty.txt").write_bytes(b"")
    (folder / "zz_binary.txt").write_bytes(b"\x00\x01\xff\xfe")
    out = build_timeline(folder, model=None)
    assert out.stats["articles"] == 5
    problems = " ".join(str(e) for e in out.corpus.errors)
    assert "zz_empty.txt" in problems and "zz_binary.txt" in problems


def test_month_groups_only_hold_campaign_months(result):
    groups = month_groups(result.entries)
    assert list(groups) == sorted(groups)
    assert "2016-08" in groups and "2016-02" in groups
    assert all(e.in_campaign for group in groups.values() for e in group)
    assert not any(label.startswith(("2001", "2011", "2012")) for label in groups)


def test_injected_summarizer_fills_every_entry(result):
    class EchoSummarizer:
        """Stands in for the model: the first source sentence is the summary."""

        def summarize_entries(self, entries):
            from dataclasses import replace

            return [replace(e, summary=e.sources[0].sentence, extractive=True) for e in entries]

        def summarize_period(self, label, entries):
            from timeline.summaries import PeriodSummary

            return PeriodSummary(label=label, text=" ".join(e.summary for e in entries), extractive=True,
                                 guarded=False, sources=tuple(e.date for e in entries))

        def summarize_overview(self, entries):
            return self.summarize_period("overview", entries)

        def report(self):
            return {"fallbacks": 0}

    out = build_timeline(result.corpus, summarizer=EchoSummarizer())
    assert all(e.summary for e in out.entries)
    # the context list is summarized beside the timeline, each item from its own sources
    assert out.context and [e.summary for e in out.context] == [e.sources[0].sentence for e in out.context]
    assert [p.label for p in out.periods] == list(month_groups(out.entries))
    assert out.overview is not None and out.stats["summaries"] == {"fallbacks": 0}


def test_views_render_real_records(result):
    article = result.corpus["000_ebd112a8c2509409"]
    html = highlight_timexes(article.body, result.timexes[article.id])
    assert html.count("<mark") == len(result.timexes[article.id])
    assert "2016-W07" in html and "&lt;" not in article.body
    table = timex_table(result.timexes)
    assert len(table) == result.stats["timexes"]
    assert set(table["type"]) <= {"DATE", "TIME", "DURATION", "SET"}
    assert len(events_table(result.events)) == len(result.events)
    entries = entries_table(result.entries)
    assert list(entries["date"]) == [e.date for e in result.entries]
    inferred = {a.id: timeline.infer_reference_date(a.body) for a in result.corpus}
    refs = refdate_table(result.corpus.articles, result.refdates, inferred)
    assert list(refs["method"]) == ["metadata"] * 5
    # whatever the text alone supports must not contradict the metadata date
    for _, row in refs.iterrows():
        assert row["text_earliest"] is None or row["text_earliest"] <= row["metadata"]


def test_report_does_not_depend_on_the_summary_cache_state(result, tmp_path):
    """A cold run (cache misses) and a cached rerun of the same input write the same report.json."""
    from dataclasses import replace

    from timeline.pipeline import output_stats

    cold = replace(result, stats={**result.stats, "summaries": {"cache_misses": 9, "generations": 9, "entry_accepted": 9}})
    warm = replace(result, stats={**result.stats, "summaries": {"cache_hits": 9, "entry_accepted": 9}})
    assert output_stats(cold.stats) == output_stats(warm.stats)
    write_outputs(cold, tmp_path / "cold", None)
    write_outputs(warm, tmp_path / "warm", None)
    assert (tmp_path / "cold" / "report.json").read_bytes() == (tmp_path / "warm" / "report.json").read_bytes()
    assert json.loads((tmp_path / "warm" / "report.json").read_text())["summaries"] == {"entry_accepted": 9}


def test_committed_summaries_name_nothing_their_sources_do_not():
    """The published outputs (a real run with the default model): every generated text passes the guard."""
    import json

    from datetime import date
    from types import SimpleNamespace

    from timeline import summaries as summaries_module
    from timeline.summaries import render_label, unsupported_tokens

    outputs = Path(__file__).resolve().parents[1] / "outputs"
    entries = json.loads((outputs / "timeline.json").read_text(encoding="utf-8"))
    summaries = json.loads((outputs / "summaries.json").read_text(encoding="utf-8"))
    assert entries and all(e["summary"] for e in entries)
    def paragraph(ref: dict) -> str:
        # a summary of a clause may use the whole sentence it stands in (the prompt and the extractive
        # fallback show it): its paragraph
        raw = (ROOT / "seeds" / f"{ref['article']}.txt").read_text(encoding="utf-8")
        return raw[raw.rfind("\n", 0, ref["start"]) + 1:(raw.find("\n", ref["end"]) + 1 or len(raw) + 1) - 1]

    context = json.loads((outputs / "context.json").read_text(encoding="utf-8"))
    assert context and all(e["summary"] for e in context)  # background is summarized and guarded too
    for e in [*entries, *context]:
        shown = [s["sentence"] for s in e["sources"]] + [paragraph(s) for s in e["sources"] if s["start"] >= 0]
        assert unsupported_tokens(e["summary"], shown) == [], e["date"]
    # a paragraph may use what its prompt showed: the period's label, its entries' dates and texts
    by_date: dict[str, list[str]] = {}
    for e in entries:
        shown = SimpleNamespace(start=date.fromisoformat(e["start"]), granularity=e["granularity"], date=e["date"])
        by_date.setdefault(e["date"], []).extend(
            [summaries_module._render_date(shown), e["summary"], *(s["sentence"] for s in e["sources"])])
    # ... and the overview the name of its last thread ("Elsewhere", the project's own word)
    from timeline.summaries import prompt_config

    rest = prompt_config()["templates"]["overview"]["rest_title"]
    for paragraph in [*summaries["months"], summaries["overview"]]:
        if paragraph["rule"] == "extractive:month-digest":
            _check_digest(paragraph, [e for e in entries if e["start"].startswith(paragraph["label"])  # as month_groups
                                      and e["granularity"] not in {"season", "year", "quarter", "decade", "century"}])
            continue
        support = [render_label(paragraph["label"]), rest,
                   *(text for d in paragraph["sources"] for text in by_date[d])]
        assert unsupported_tokens(paragraph["text"], support) == [], paragraph["label"]


def _check_digest(paragraph: dict, month: list[dict]) -> None:
    """A month digest counts the month's entries, names places its entries name (each count at most
    the entries naming it), and quotes only entry summaries of the month."""
    import re

    head, _, told = paragraph["text"].partition(". The most salient: ")
    m = re.fullmatch(r"(\d+) entr(?:y|ies), [^:]+(?:: (.+))?", head)
    assert m and int(m.group(1)) == len(month), (paragraph["label"], head)
    from timeline import places

    parts = (m.group(2) or "").replace(" and ", ", ").split(", ") if m.group(2) else []
    total = 0
    with places.using(places.load_table(ROOT / "seeds")):  # a neighbourhood counts as its city
        for part in parts:
            counted = re.fullmatch(r"(\d+) (?:in (.+)|more)", part)
            assert counted, (paragraph["label"], part)
            total += int(counted.group(1))
            if counted.group(2):
                name = counted.group(2)
                naming = [e for e in month if any(name in (p, places.city_of(p)) for p in e["places"])]
                assert 1 <= int(counted.group(1)) <= len(naming), (paragraph["label"], name)
    assert not parts or total == len(month), (paragraph["label"], head)  # the counts add up
    quoted = [e["summary"] for e in month if e["summary"] in told]
    assert quoted and len(told) <= sum(len(q) for q in quoted) + 40 * len(quoted), (paragraph["label"], told)


def test_an_article_without_a_reference_date_is_named_and_counted(tmp_path, caplog):
    # its events cannot be dated, so it adds nothing to the timeline; the user must hear which one
    (tmp_path / "dated.txt").write_text(
        "Port retaken\n\nWASHINGTON, May 7, 2009 (Reuters) - Forces retook the port on Tuesday, officials said.\n",
        encoding="utf-8")
    (tmp_path / "undated.txt").write_text(
        "Talks resume\n\nNegotiators met again on Monday and said the talks would go on.\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="timeline"):
        result = build_timeline(tmp_path, model=None)
    assert result.refdates["dated"].best is not None and result.refdates["undated"].best is None
    assert result.stats["articles_without_reference_date"] == 1
    warned = [r.getMessage() for r in caplog.records if "no reference date" in r.getMessage()]
    assert len(warned) == 1 and "undated.txt" in warned[0] and "metadata.csv" in warned[0]
