"""The whole job: a folder of articles in, a dated, ordered, summarized timeline out.

``build_timeline`` runs the stages in memory (no files written besides the summary cache, and the
partition files when a Dask scheduler runs the per-article stages: ``timeline.cluster``), so
notebooks and other programs can inspect every intermediate record. ``run_pipeline`` adds the I/O
edges: it writes every output file and figure. Each stage lives in its own module; this one only
wires them together.
"""
from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from .records import Event, ReferenceDate, Timex, TimelineEntry

if TYPE_CHECKING:
    from .embeddings import VectorTable

#: Summary cache written next to the outputs, so a rerun (or CI) never needs the model again.
SUMMARY_CACHE_NAME = "summary_cache.json"

#: Summarizer counters that describe how much work this run did (they depend on the cache's state),
#: not what it produced; they are logged, never written, so outputs depend on the input alone.
RUN_WORK_COUNTERS = frozenset({"cache_hits", "cache_misses", "generations"})


def output_stats(stats: dict) -> dict:
    """``stats`` without the per-run work counters: what report.json records."""
    out = dict(stats)
    if isinstance(out.get("summaries"), dict):
        out["summaries"] = {k: v for k, v in out["summaries"].items() if k not in RUN_WORK_COUNTERS}
    return out


@dataclass(frozen=True)
class TimelineResult:
    """Everything one run produced, stage by stage."""

    corpus: object  # timeline.corpus.Corpus
    refdates: dict[str, ReferenceDate]
    timexes: dict[str, tuple[Timex, ...]]
    events: tuple[Event, ...]
    entries: tuple[TimelineEntry, ...]
    periods: tuple = ()  # timeline.summaries.PeriodSummary, one per month
    overview: object | None = None  # PeriodSummary for the whole window
    stats: dict = field(default_factory=dict)
    predicates: tuple[Event, ...] = ()  # every clause predicate (events.extract_events); ``events`` folds them
    window: tuple | None = None  # (first, last) day of the window of interest (ordering.corpus_window)
    places: object | None = None  # the corpus's place alias table (places.PlaceTable)
    context: tuple[TimelineEntry, ...] = ()  # background before the window (timeline.selection)
    candidates: tuple[TimelineEntry, ...] = ()  # every merged entry before selection
    selection: object | None = None  # timeline.selection.Selection (noise verdicts per event)
    settings: object | None = None  # the timeline.selection.SelectionSettings used
    work: dict = field(default_factory=dict)  # what the engine did (timeline.cluster.Work): logged, never written

    def events_frame(self):
        """pandas DataFrame, one row per event (see ``timeline.frames.events_frame``)."""
        from .frames import events_frame
        return events_frame(self.events, self.corpus.articles, self.entries)

    def entries_frame(self):
        """pandas DataFrame, one row per timeline entry (see ``timeline.frames.entries_frame``)."""
        from .frames import entries_frame
        return entries_frame(self.entries, self.corpus.articles)


log = logging.getLogger(__name__)


def _log(progress: bool, message: str) -> None:
    """A progress message: INFO when ``progress`` is on, else DEBUG (``python -m timeline -v`` shows it).

    Control characters are escaped: a file name or a line quoted from an article may hold ESC, BEL...
    """
    from .exports import loggable

    log.log(logging.INFO if progress else logging.DEBUG, loggable(message))


def month_groups(entries: Sequence[TimelineEntry]) -> dict[str, list[TimelineEntry]]:
    """Campaign entries grouped by the month they start in (``YYYY-MM``), months in order.

    Entries coarser than a month (a season, a year) belong to no single month and are left to
    the campaign overview.
    """
    groups: dict[str, list[TimelineEntry]] = defaultdict(list)
    for entry in entries:
        if not entry.in_campaign or entry.granularity in {"season", "year", "quarter", "decade", "century"}:
            continue
        groups[entry.start.strftime("%Y-%m")].append(entry)
    return dict(sorted(groups.items()))


@dataclass(frozen=True)
class EventStages:
    """What the stages up to events produced (see ``event_stages``)."""

    refdates: dict[str, ReferenceDate]
    timexes: dict[str, tuple[Timex, ...]]
    events: tuple[Event, ...]
    #: the dated events' clause vectors, computed per article (``embeddings.embed_articles``);
    #: None when the stages were run without them
    vectors: VectorTable | None = None


def corpus_folder(corpus) -> Path | None:
    """The folder a loaded corpus was read from (None for an empty corpus)."""
    return Path(corpus.articles[0].path).parent if corpus.articles else None


def event_stages(corpus, *, table=None, vectors: bool = False) -> EventStages:
    """Reference dates, temporal expressions, one parse per article and the predicate events.

    ``table`` is the place alias table (default: ``places.toml`` in the corpus folder, if any).
    ``vectors`` also embeds each article's dated clauses (``embeddings.embed_articles``; the
    cross-article stages compare them; the on-disk vector cache spares a rerun the model).
    """
    from . import nlp, places
    from .events import extract_events
    from .refdate import reference_date_for, tag_with_reference

    if table is None:
        table = places.load_table(corpus_folder(corpus))
    refdates = {a.id: reference_date_for(a) for a in corpus.articles}
    timexes = {a.id: tuple(tag_with_reference(a.body, refdates[a.id])) for a in corpus.articles}
    docs = nlp.parse_many([a.body for a in corpus.articles])
    events: list[Event] = []
    with places.using(table):
        for article, doc in zip(corpus.articles, docs):
            events.extend(extract_events(article, timexes[article.id], refdates[article.id], doc=doc))
    table_of_vectors = None
    if vectors:
        from .embeddings import embed_articles

        by_article: dict[str, list[Event]] = {a.id: [] for a in corpus.articles}
        for e in events:
            by_article[e.article].append(e)
        table_of_vectors = embed_articles(by_article)
    return EventStages(refdates, timexes, tuple(events), table_of_vectors)


def build_timeline(
    source,
    *,
    model: str | None = "default",
    summary_cache: Path | None = None,
    merge_threshold: float | None = None,
    progress: bool = False,
    summarizer=None,
    since=None,
    until=None,
    prune_cache: bool = True,
    max_entries: int | None = None,
    granularity: str = "day",
    about: str | None = None,
    settings=None,
    scheduler: str | None = None,
    workdir: Path | None = None,
    partition_size: int | None = None,
) -> TimelineResult:
    """Run corpus -> reference dates -> timexes -> parse -> events -> merging -> ordering -> summaries.

    ``source`` is a folder path or an already loaded ``Corpus``. ``model=None`` skips the
    summaries (entries keep an empty summary). A ready ``summarizer`` may be passed instead of a
    model name (tests inject one). ``since``/``until`` (dates or ISO strings) set the window of
    interest; by default it comes from the corpus (``ordering.corpus_window``). What ends before it
    is context ("background"). ``prune_cache=False`` keeps cached summaries this run did not use
    (notebooks pass it, so exploring another corpus never empties a shared cache).
    ``max_entries``, ``granularity`` (day | week | month) and ``about`` (an entity or keywords)
    choose what goes on the timeline (``timeline.selection``); they and ``since``/``until`` are
    gathered in one ``SelectionSettings`` (or pass ``settings=`` directly). Only the selected
    entries are summarized.

    ``scheduler`` (auto | synchronous | local | tcp://HOST:PORT), ``workdir`` and ``partition_size``
    choose where the per-article stages run and where their partitions are kept (``timeline.cluster``);
    the default runs a small corpus in this process as always.
    """
    from .extras import require_pipeline

    require_pipeline(summaries=model is not None or summarizer is not None, figures=False)
    from dataclasses import replace

    from . import places
    from .corpus import parse_published
    from .events import apply_window, for_timeline
    from .merging import merge_events
    from .ordering import corpus_window, in_campaign, order_entries

    from .selection import SelectionSettings, select

    since = parse_published(since) if isinstance(since, str) else since
    until = parse_published(until) if isinstance(until, str) else until
    if settings is None:
        settings = SelectionSettings(max_entries=max_entries, granularity=granularity, about=about,
                                     since=since, until=until)
    since, until = settings.since, settings.until

    from .cluster import EngineSettings, per_article_stages

    engine = EngineSettings(**{k: v for k, v in (("scheduler", scheduler), ("workdir", workdir),
                                                 ("partition_size", partition_size)) if v is not None})
    corpus, table, stages, work = per_article_stages(source, engine, progress=progress)
    from .exports import loggable

    for problem in (*corpus.errors, *getattr(corpus, "notices", ())):
        log.warning("%s", loggable(str(problem)))  # a file name may hold ESC, BEL...
    _log(progress, f"loaded {len(corpus.articles)} articles ({len(corpus.errors)} problems)")
    refdates, timexes = stages.refdates, stages.timexes
    undated = [a for a in corpus.articles if refdates[a.id].best is None]
    for a in undated:  # its events cannot be dated, so it adds nothing to the timeline: say so
        log.warning("%s: no reference date (no metadata date, date line, URL or file-name date, and the text "
                    "does not pin one): its events stay undated and off the timeline; give its date in "
                    "metadata.csv (file,published) or the input's date field", loggable(a.path))
    _log(progress, f"tagged {sum(map(len, timexes.values()))} temporal expressions")
    window = corpus_window(stages.events, [r.best for r in refdates.values()], since=since, until=until)
    predicates = apply_window(stages.events, window)
    with places.using(table):  # the folded sentences' places read the corpus's place kinds
        events = list(for_timeline(predicates))
    merge_kwargs = {} if merge_threshold is None else {"threshold": merge_threshold}
    # on a running cluster the merge windows are tasks too (the same entries either way)
    remote = engine.scheduler if engine.scheduler.startswith("tcp://") else None
    # the vectors the per-article stages computed (None: the default embedder)
    merged = merge_events(events, table=table, scheduler=remote, embed=stages.vectors, **merge_kwargs)
    candidates = order_entries(replace(e, in_campaign=in_campaign(e, window)) for e in merged)
    chosen = select(candidates, events, corpus.articles, settings, place_table=table, embed=stages.vectors)
    entries = list(chosen.entries)
    _log(progress, f"window of interest {window[0]}..{window[1]}" if window else "no window of interest")
    _log(progress, f"{len(predicates)} predicates -> {len(events)} events -> {len(candidates)} happenings"
                   f" -> {len(entries)} timeline entries (+{len(chosen.context)} context)")

    stats: dict = {
        "articles": len(corpus.articles),
        "load_errors": len(corpus.errors),
        "articles_without_reference_date": len(undated),
        "timexes": sum(map(len, timexes.values())),
        "predicates": len(predicates),
        "events": len(events),
        "dated_events": sum(1 for e in events if e.value is not None),
        "candidates": len(candidates),
        "entries": len(entries),
        "context": len(chosen.context),
        "merged_entries": sum(1 for e in entries if len({s.article for s in e.sources}) > 1),
    }
    periods: tuple = ()
    overview = None
    context = chosen.context
    if summarizer is None and model is not None:
        from .summaries import Summarizer

        summarizer = Summarizer(model, cache_path=summary_cache, progress=progress)
    if summarizer is not None:
        with_events = {"events": events} if getattr(summarizer, "takes_events", False) else {}
        # the context list is read beside the timeline, so it is summarized and guarded the same way,
        # in the same batch (one pass over the model)
        with places.using(table):  # the place kinds of "the city" (summaries.antecedents)
            both = summarizer.summarize_entries([*entries, *chosen.context], **with_events)
        entries, context = both[:len(entries)], tuple(both[len(entries):])
        groups = month_groups(entries)
        with places.using(table):  # month digests and the overview's threads roll neighbourhoods up into cities
            if hasattr(summarizer, "summarize_periods"):  # one batched call for all months
                periods = tuple(summarizer.summarize_periods(groups))
            else:
                periods = tuple(summarizer.summarize_period(label, group) for label, group in groups.items())
            overview = summarizer.summarize_overview([e for e in entries if e.in_campaign], **with_events)
        stats["summaries"] = summarizer.report()
        if prune_cache and hasattr(summarizer, "prune_cache"):  # keep only what these outputs use
            summarizer.prune_cache()

    return TimelineResult(
        corpus=corpus,
        refdates=refdates,
        timexes=timexes,
        events=tuple(events),
        entries=tuple(entries),
        periods=periods,
        overview=overview,
        stats=stats,
        predicates=tuple(predicates),
        window=window,
        places=table,
        context=context,
        candidates=tuple(candidates),
        selection=chosen,
        settings=settings,
        work=work.as_dict(),
    )


def refdate_record(article_id: str, ref: ReferenceDate) -> dict:
    """JSON-ready view of a reference date with its evidence."""
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "article": article_id,
        "best": iso(ref.best),
        "earliest": iso(ref.earliest),
        "latest": iso(ref.latest),
        "confidence": ref.confidence,
        "method": ref.method,
        "rule": ref.rule,
        "guess": iso(ref.guess),
        "evidence": [
            {"clue": e.clue, "text": e.text, "earliest": iso(e.earliest), "latest": iso(e.latest)}
            for e in ref.evidence
        ],
    }


def _write_text(path: Path, text: str) -> None:
    from .publish import atomic_write_text

    atomic_write_text(path, text)


def write_outputs(result: TimelineResult, out_dir: Path, figures_dir: Path | None) -> list[Path]:
    """Write every output file (and figure) of ``result``; returns the paths written."""
    from . import exports

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    articles = {a.id: a for a in result.corpus.articles}
    written: list[Path] = []

    rows = []
    for article_id, found in result.timexes.items():
        article = articles[article_id]
        for t in found:
            raw_start, raw_end = article.raw_span(t.start, t.end)
            rows.append((article_id, t, raw_start, raw_end))
    exports.write_timexes_jsonl(out_dir / "timexes.jsonl", rows)
    written.append(out_dir / "timexes.jsonl")

    _write_text(
        out_dir / "reference_dates.json",
        json.dumps([refdate_record(k, v) for k, v in result.refdates.items()], indent=2, ensure_ascii=False) + "\n",
    )
    written.append(out_dir / "reference_dates.json")

    written.append(out_dir / "timeline.json")
    exports.write_timeline_json(out_dir / "timeline.json", result.entries)
    written.append(out_dir / "events.csv")
    exports.write_events_csv(out_dir / "events.csv", result.events,
                             result.selection.noise if result.selection is not None else None)
    written.append(out_dir / "context.json")
    exports.write_context_json(out_dir / "context.json", result.context)
    from .frames import article_titles

    titles = article_titles(result.corpus.articles)
    written.append(out_dir / "timelinejs.json")
    exports.write_timelinejs(out_dir / "timelinejs.json", result.entries, titles=titles)
    written.append(out_dir / "timelinejs.csv")
    exports.write_timelinejs_csv(out_dir / "timelinejs.csv", result.entries, titles=titles)
    written.append(out_dir / "timeline.txt")
    exports.write_tilse(out_dir / "timeline.txt", result.entries)
    from .interactive import timeline_html

    _write_text(out_dir / "timeline.html", timeline_html(result.entries, result.corpus.articles))
    written.append(out_dir / "timeline.html")
    for article_id, found in result.timexes.items():
        path = out_dir / "timeml" / f"{article_id}.tml"
        exports.write_timeml(path, articles[article_id], found, result.refdates[article_id].best)
        written.append(path)

    if result.periods or result.overview is not None:
        summaries = {
            "months": [_period_record(p) for p in result.periods],
            "overview": _period_record(result.overview) if result.overview is not None else None,
        }
        _write_text(out_dir / "summaries.json", json.dumps(summaries, indent=2, ensure_ascii=False) + "\n")
        written.append(out_dir / "summaries.json")

    _write_text(out_dir / "report.json", json.dumps(output_stats(result.stats), indent=2, sort_keys=True) + "\n")
    written.append(out_dir / "report.json")

    if figures_dir is not None:
        from . import places
        from .charts import write_figures

        with places.using(result.places or places.EMPTY):
            written.extend(write_figures(
                Path(figures_dir),
                result.entries,
                result.corpus.articles,
                result.refdates,
                result.timexes,
                periods=result.periods,
                overview=result.overview,
                context=result.context,
            ))
    return written


def _period_record(period) -> dict:
    return {
        "label": period.label,
        "text": period.text,
        "extractive": period.extractive,
        "guarded": period.guarded,
        "rule": getattr(period, "rule", ""),
        "checks": list(getattr(period, "checks", ())),
        "sources": list(period.sources),
    }


#: Top-level names ``write_outputs`` may put in the out folder (with the summary cache): what a
#: folder of an earlier run may hold besides what its manifest lists.
OUTPUT_NAMES = frozenset({
    "timexes.jsonl", "reference_dates.json", "timeline.json", "events.csv", "timelinejs.json", "timeline.txt",
    "timeml", "summaries.json", "report.json", SUMMARY_CACHE_NAME, "timeline.html", "timelinejs.csv",
    "context.json",
})


def _is_output_name(name: str) -> bool:
    return name in OUTPUT_NAMES


def _is_figure_name(name: str) -> bool:
    from .charts import FIGURE_NAMES

    stem, dot, ext = name.rpartition(".")
    if not dot or ext not in ("png", "svg"):
        return False
    return stem in FIGURE_NAMES or (stem.startswith("summary_timeline_p") and stem[18:].isdigit())


@dataclass(frozen=True)
class _Target:
    """One folder the run publishes as a whole: where it lives and where its members go inside it."""

    folder: Path  # absolute
    members: dict  # "out" / "figures" -> path relative to folder ("." for the folder itself)


def _targets(out_dir: Path, figures_dir: Path | None) -> list[_Target]:
    """The folders to publish; a figures folder equal to or inside the out folder (or the reverse) is
    published together with it, as one set."""
    import os

    out = Path(os.path.realpath(out_dir))  # a symlinked folder: what it points to is replaced
    if figures_dir is None:
        return [_Target(out, {"out": Path(".")})]
    fig = Path(os.path.realpath(figures_dir))
    if fig == out or out in fig.parents:
        return [_Target(out, {"out": Path("."), "figures": fig.relative_to(out)})]
    if fig in out.parents:
        return [_Target(fig, {"figures": Path("."), "out": out.relative_to(fig)})]
    return [_Target(fig, {"figures": Path(".")}), _Target(out, {"out": Path(".")})]


def check_output_folders(seeds_dir: str | Path, out_dir: str | Path, figures_dir: str | Path | None) -> None:
    """Raise ``publish.OutputError`` (one line: which folder, what is wrong, what to do) when the
    outputs could not be written, before any work is done."""
    from .publish import check_target

    for target in _targets(Path(out_dir), None if figures_dir is None else Path(figures_dir)):
        nested = {str(rel).split("/")[0] for rel in target.members.values() if str(rel) != "."}
        kinds = set(target.members)

        def own(name: str, kinds=kinds, nested=nested) -> bool:
            return (name in nested or ("out" in kinds and _is_output_name(name))
                    or ("figures" in kinds and _is_figure_name(name)))

        what = "--out" if target.members.get("out") == Path(".") else "--figures"
        check_target(target.folder, what=what, input_dir=Path(seeds_dir), own=own)
        for kind, rel in target.members.items():  # a nested folder is replaced whole too
            if str(rel) != ".":
                check_target(target.folder / rel, what=f"--{kind}", input_dir=Path(seeds_dir),
                             own=_is_output_name if kind == "out" else _is_figure_name)


def run_pipeline(
    seeds_dir: str | Path,
    out_dir: str | Path = "outputs",
    figures_dir: str | Path | None = "figures",
    *,
    model: str | None = "default",
    summaries: bool = True,
    progress: bool = True,
    since=None,
    until=None,
    max_entries: int | None = None,
    granularity: str = "day",
    about: str | None = None,
    scheduler: str | None = None,
    workdir: str | Path | None = None,
    partition_size: int | None = None,
) -> TimelineResult:
    """The main job: build the timeline of ``seeds_dir`` and write outputs and figures.

    Summaries are cached in ``<out_dir>/summary_cache.json``; with that file present a rerun
    never loads the model and gives the same bytes.

    The folders are checked before any work (``check_output_folders``: a file in the way, a folder
    inside the input, files this program did not write, no write permission) and locked for the run
    (a second run into the same folder stops with ``publish.OutputBusy``). Every file is written into
    a fresh hidden sibling folder that replaces the out (figures) folder as a whole once complete: a
    killed run leaves the previous complete set, a finished one leaves no file of an earlier run.
    """
    from contextlib import ExitStack

    from .extras import require_pipeline
    from .publish import OutputLock, Staged

    require_pipeline(summaries=summaries and model is not None, figures=figures_dir is not None)
    out_dir = Path(out_dir)
    figures_dir = None if figures_dir is None else Path(figures_dir)
    check_output_folders(seeds_dir, out_dir, figures_dir)
    targets = _targets(out_dir, figures_dir)
    with ExitStack() as stack:
        for target in sorted(targets, key=lambda t: str(t.folder)):  # one order: no deadlock
            stack.enter_context(OutputLock(target.folder))
        check_output_folders(seeds_dir, out_dir, figures_dir)  # again, now that no other run can write
        stages = {}
        try:
            for target in targets:
                stages[target.folder] = Staged(target.folder)
            result = build_timeline(
                Path(seeds_dir),
                model=model if summaries else None,
                summary_cache=out_dir / SUMMARY_CACHE_NAME,
                progress=progress,
                since=since,
                until=until,
                max_entries=max_entries,
                granularity=granularity,
                about=about,
                scheduler=scheduler,
                workdir=None if workdir is None else Path(workdir),
                partition_size=partition_size,
            )
            where = {kind: (stages[t.folder].path / rel) for t in targets for kind, rel in t.members.items()}
            written = write_outputs(result, where["out"], where.get("figures"))
            for target in targets:
                if "out" in target.members:
                    stages[target.folder].carry([str(target.members["out"] / SUMMARY_CACHE_NAME)])
            for target in targets:  # figures first: the out folder's report comes last
                stage = stages[target.folder]
                mine = [f for f in written if stage.path in Path(f).parents]
                stage.publish(mine)
                del stages[target.folder]
        finally:
            for stage in stages.values():
                stage.discard()
    work = {k: v for k, v in result.stats.get("summaries", {}).items() if k in RUN_WORK_COUNTERS}
    if work:
        _log(progress, "summaries this run: " + ", ".join(f"{k}={v}" for k, v in sorted(work.items())))
    _log(progress, f"wrote {len(written)} files")
    return result
