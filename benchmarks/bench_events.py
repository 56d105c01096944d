"""Speed of the event stage per article: parse + predicates + anchoring, against the old event stage.

    python benchmarks/bench_events.py [CORPUS_DIR] [--repeat R] [--old-commit REV]

New: ``nlp.load_pipeline()(body)`` (the spaCy parse, *bypassing* the disk cache) plus
``events.extract_events(..., doc=parse)``. Old: the regex/word-list event stage as it was before the
parse-based one (``timeline/events.py`` and the modules it used, read with ``git show REV:...`` into a
temporary package and imported from there), on the same articles, reference dates and temporal
expressions, in the same run. Temporal tagging is outside both timings (it is the same for both).
Prints ms/article (median of R runs of the mean over the corpus) and the ratio, the parse also
batched as the pipeline runs it (``nlp.pipe``), and the CPU time of this process for the batched
parse and for the event stage (on a shared machine wall time mostly measures the other load).
Goal (issue #8): under 60 ms per seed-size article, parse included.
"""
from __future__ import annotations

import argparse
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: The last commit with the regex event stage (timeline/events.py before it became a package).
OLD_COMMIT = "eec4923"
OLD_FILES = ("timeline/events.py", "timeline/sentences.py", "timeline/places.py", "timeline/ordering.py",
             "timeline/records.py", "timeline/timex3.py", "timeline/resources/event_words.toml",
             "timeline/resources/gazetteer.toml", "timeline/resources/abbreviations.toml")


def _old_stage(commit: str, tmp: Path):
    """``extract_events`` of the old event stage, imported from ``git show`` copies in ``tmp``."""
    package = tmp / "oldtimeline"
    (package / "resources").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    for path in OLD_FILES:
        text = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:{path}"], check=True,
                              capture_output=True, text=True).stdout
        (package / path.removeprefix("timeline/")).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(tmp))
    return importlib.import_module("oldtimeline.events").extract_events, importlib.import_module("oldtimeline.records")


def _median_ms(fn, items, repeat: int, clock=time.perf_counter) -> float:
    runs = []
    for _ in range(repeat):
        t0 = clock()
        for item in items:
            fn(item)
        runs.append(1000 * (clock() - t0) / len(items))
    return statistics.median(runs)


def _median_batch_ms(fn, items, repeat: int, clock=time.perf_counter) -> float:
    """Like ``_median_ms`` for a function of the whole list (a batched parse)."""
    runs = []
    for _ in range(repeat):
        t0 = clock()
        fn(items)
        runs.append(1000 * (clock() - t0) / len(items))
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "seeds"), help="corpus folder (default: seeds/)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--old-commit", default=OLD_COMMIT)
    args = parser.parse_args(argv)

    from timeline import nlp, places
    from timeline.corpus import load_corpus
    from timeline.events import extract_events
    from timeline.refdate import reference_date_for
    from timeline.timexes import tag

    corpus = load_corpus(args.corpus)
    articles = list(corpus.articles)
    if not articles:
        print(f"{args.corpus}: no articles", file=sys.stderr)
        return 2
    refdates = {a.id: reference_date_for(a) for a in articles}
    timexes = {a.id: tag(a.body, refdates[a.id].best) for a in articles}
    pipeline = nlp.load_pipeline()
    table = places.load_table(args.corpus)
    words = sum(len(a.body.split()) for a in articles) / len(articles)

    def new(article):
        doc = pipeline(article.body)  # no disk cache: the parse is part of the cost
        return extract_events(article, timexes[article.id], refdates[article.id], doc=doc)

    def parse_only(article):
        return pipeline(article.body)

    def parse_batched(batch):  # as nlp.parse_many does on a cache miss: one nlp.pipe over the corpus
        return list(pipeline.pipe((a.body for a in batch), batch_size=16))

    parsed = {a.id: pipeline(a.body) for a in articles}

    def events_only(article):  # the parse given: what the event stage adds on top of it
        return extract_events(article, timexes[article.id], refdates[article.id], doc=parsed[article.id])

    with tempfile.TemporaryDirectory(prefix="bench-events-") as tmp:
        old_extract, old_records = _old_stage(args.old_commit, Path(tmp))

        def convert(article):  # the old stage's own record classes (same fields)
            return old_records.Article(**{f: getattr(article, f) for f in old_records.Article.__dataclass_fields__})

        old_articles = {a.id: convert(a) for a in articles}
        old_timexes = {k: [old_records.Timex(**vars(t)) for t in v] for k, v in timexes.items()}
        old_refdates = {k: old_records.ReferenceDate(r.best, r.earliest, r.latest, r.confidence, r.method)
                        for k, r in refdates.items()}

        def old(article):
            return old_extract(old_articles[article.id], old_timexes[article.id], old_refdates[article.id])

        with places.using(table):
            new(articles[0]), old(articles[0])  # warm up (pipeline, resource tables)
            t_old = _median_ms(old, articles, args.repeat)
            t_parse = _median_ms(parse_only, articles, args.repeat)
            t_batched = _median_batch_ms(parse_batched, articles, args.repeat)
            cpu_parse = _median_batch_ms(parse_batched, articles, args.repeat, clock=time.process_time)
            cpu_events = _median_ms(events_only, articles, args.repeat, clock=time.process_time)
            t_events = _median_ms(events_only, articles, args.repeat)
            t_new = _median_ms(new, articles, args.repeat)
    print(f"{len(articles)} articles, {words:.0f} words on average; median of {args.repeat} runs")
    print(f"old event stage (regex, sentence-level, {args.old_commit}): {t_old:8.1f} ms/article")
    print(f"new: spaCy parse alone (no cache):                 {t_parse:8.1f} ms/article")
    print(f"new: spaCy parse batched (nlp.pipe, as the pipeline): {t_batched:5.1f} ms/article")
    print(f"new: predicates + anchoring alone (parse given):   {t_events:8.1f} ms/article")
    print(f"CPU time of this process (less sensitive to other load): batched parse {cpu_parse:.1f}, "
          f"predicates + anchoring {cpu_events:.1f} ms/article")
    print(f"new: parse + predicates + anchoring:               {t_new:8.1f} ms/article  "
          f"({t_new / t_old:.1f}x the old stage; goal < 60 ms: {'met' if t_new < 60 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
