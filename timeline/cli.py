"""Command line: ``python -m timeline run CORPUS ...`` and ``python -m timeline tag FILE ...``.

Errors the user can fix (a missing file, a bad date, an --out that cannot take the outputs) end with
a one-line message and exit code 2, never a traceback; a missing package or weight package gives
exit code 3; another run writing the same output folder gives exit code 4. Heavy stages are imported inside the commands so ``--help`` stays instant.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date
from pathlib import Path
from typing import Sequence

EXIT_USAGE = 2
EXIT_ENVIRONMENT = 3  # a package or model weights the command needs are not installed
#: Another run is writing the same output folder (try again when it has finished).
EXIT_BUSY = 4

log = logging.getLogger("timeline")

DESCRIPTION = """\
Turn a folder of raw news articles into a dated, ordered, summarized timeline with charts.
Run "python -m timeline COMMAND --help" for the options of each command."""

EPILOG = """\
examples:
  python -m timeline run seeds --out outputs --figures figures
  python -m timeline run seeds --out outputs --no-summaries
  python -m timeline tag seeds/000_ebd112a8c2509409.txt --date 2016-02-23
  python -m timeline tag article.txt --json        (reference date inferred from the text)

evaluation: python -m timeline.evaluate {tempeval,tls} --help
"""

RUN_DESCRIPTION = """\
Build the timeline of CORPUS: a folder of .txt / .md / .html articles (optional metadata.csv
with file,published,source,headline,note), or a .jsonl file (one article per line: text, date,
title, id, url, source), or a .csv table with a text column. Then write the outputs: timeline.json,
events.csv, timelinejs.json, timelinejs.csv, timeline.html (interactive), timeline.txt (tilse format),
timexes.jsonl, reference_dates.json, timeml/*.tml,
summaries.json and report.json in --out, and the charts (PNG + SVG) in --figures.
Summaries are cached in <out>/summary_cache.json: a rerun with the cache never loads the model."""

TAG_DESCRIPTION = """\
Print the temporal expressions of a UTF-8 text file, one per line as tab-separated
start, end, text, type, value, mod, rule (offsets into the file's text), or as JSON lines with --json.
Relative expressions ("on Tuesday", "last June") are resolved against --date; without it the
reference date is inferred from the text itself and reported on stderr."""


class UsageError(Exception):
    """A problem with what the user asked for; reported in one line, exit code 2."""


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}")


def add_verbosity(parser: argparse.ArgumentParser) -> None:
    """``-v`` (debug messages), ``-q`` / ``--quiet`` (warnings and errors only); before or after the command."""
    parser.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                        help="more messages on stderr (-v: debug)")
    parser.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="only warnings and errors on stderr")


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            return f"{record.levelname.lower()}: {message}"
        return message


def configure_logging(verbose: int = 0, quiet: bool = False) -> None:
    """Messages of the ``timeline`` loggers go to stderr: INFO by default, DEBUG with -v, WARNING with -q."""
    level = logging.WARNING if quiet else logging.DEBUG if verbose > 0 else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    for old in list(log.handlers):
        if getattr(old, "_timeline_cli", False):
            log.removeHandler(old)
    handler._timeline_cli = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.setLevel(level)
    log.propagate = False


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m timeline", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    add_verbosity(parser)
    sub = parser.add_subparsers(dest="command", title="commands", metavar="{run,tag}")

    run = sub.add_parser("run", help="build the timeline of a folder of articles and write all outputs",
                         description=RUN_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("seeds_dir", metavar="CORPUS", help="folder of articles (.txt/.md/.html, metadata.csv), or a .jsonl or .csv file")
    run.add_argument("--out", default="outputs", metavar="DIR", help="folder for the output files (default: outputs)")
    run.add_argument("--figures", default="figures", metavar="DIR",
                     help="folder for the PNG/SVG charts (default: figures)")
    run.add_argument("--no-figures", action="store_true", help="do not draw the charts")
    run.add_argument("--model", default="default", metavar="NAME|PATH",
                     help="summary model: 'default' (Qwen2.5-Coder-1.5B), 'small' (SmolLM2-135M, for tests) "
                          "or a path to a model folder (default: default)")
    run.add_argument("--no-summaries", action="store_true",
                     help="skip the summary model; entries keep an empty summary")
    add_verbosity(run)
    run.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD",
                     help="first day of the window of interest (default: from the corpus; earlier is context)")
    run.add_argument("--until", type=_iso_date, metavar="YYYY-MM-DD",
                     help="last day of the window of interest (default: from the corpus)")
    run.add_argument("--max-entries", type=_positive_int, metavar="N",
                     help="timeline size: the N most salient happenings (default: a handful per article, capped)")
    run.add_argument("--granularity", choices=("day", "week", "month"), default="day",
                     help="one entry per happening (day), or one per week / month that summarizes it")
    run.add_argument("--about", metavar="QUERY",
                     help="only happenings about an entity or keywords (a name, a place, 'air strikes')")
    run.add_argument("--scheduler", default="auto", type=_scheduler, metavar="{auto,synchronous,local,tcp://HOST:PORT}",
                     help="where the per-article stages run: auto (this process for a small corpus, a local "
                          "Dask cluster for a large one), synchronous, local, or the address of a running "
                          "dask scheduler (default: auto)")
    run.add_argument("--partition-size", type=_positive_int, metavar="N",
                     help="articles per Dask task and per partition file (default: 16)")
    run.add_argument("--workdir", metavar="DIR",
                     help="where finished partitions are kept, so a rerun resumes "
                          "(default: partitions-work/<input> in the cache folder); partitions a "
                          "finished run did not use are removed from it")
    run.set_defaults(handler=_cmd_run)

    tag = sub.add_parser("tag", help="print the temporal expressions of a text file",
                         description=TAG_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    tag.add_argument("file", metavar="FILE", help="UTF-8 text file")
    tag.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD",
                     help="reference date (document creation time); inferred from the text when omitted")
    tag.add_argument("--json", action="store_true", help="one JSON object per line instead of tab-separated fields")
    add_verbosity(tag)
    tag.set_defaults(handler=_cmd_tag)
    return parser


def _cmd_run(args: argparse.Namespace) -> int:
    seeds = Path(args.seeds_dir)
    if not seeds.exists():
        raise UsageError(f"corpus not found: {seeds} (give a folder of .txt/.md/.html articles, or a .jsonl "
                         "or .csv file of articles; see python -m timeline run --help)")
    if not seeds.is_dir():
        from .corpus.readers import kind_of

        if kind_of(seeds.name) is None:
            raise UsageError(f"not a folder nor a .jsonl / .csv / article file: {seeds}")
    from .models import model_specs

    names = sorted(name for name in model_specs() if name != "embeddings")
    if args.model not in names and not Path(args.model).exists():
        raise UsageError(f"--model: not one of {', '.join(names)} nor an existing path: {args.model}")
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    from .cluster import SchedulerUnavailable
    from .pipeline import check_output_folders, run_pipeline
    from .publish import OutputBusy, OutputError

    figures = None if args.no_figures else Path(args.figures)
    try:
        check_output_folders(seeds, Path(args.out), figures)  # before any work: a bad --out is a usage error
        run_pipeline(
            seeds,
            Path(args.out),
            figures,
            model=args.model,
            summaries=not args.no_summaries,
            progress=not args.quiet,
            since=args.since,
            until=args.until,
            max_entries=args.max_entries,
            granularity=args.granularity,
            about=args.about,
            scheduler=args.scheduler,
            workdir=args.workdir,
            partition_size=args.partition_size,
        )
    except OutputBusy as exc:
        from .exports import loggable

        print(f"error: {loggable(exc)}", file=sys.stderr)
        return EXIT_BUSY
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    except SchedulerUnavailable as exc:
        raise UsageError(str(exc)) from None
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def _scheduler(text: str) -> str:
    from .cluster import check_scheduler

    try:
        return check_scheduler(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _read_text_file(path: Path) -> str:
    """The file's text through the corpus decoder, so ``tag`` offsets match ``load_corpus``'s raw text."""
    if not path.exists():
        raise UsageError(f"file not found: {path}")
    if path.is_dir():
        raise UsageError(f"is a folder, not a text file: {path}")
    from .corpus import read_file_text

    decoded = read_file_text(path)
    if decoded.text is None:
        raise UsageError(f"{path}: {decoded.problem}")
    for note in decoded.notes:
        log.warning("%s: %s", path, note)
    return decoded.text


def _tag_line(t) -> str:
    from .exports import loggable

    fields = [t.start, t.end, t.text, t.type, t.value, t.mod or "", t.rule]
    return "\t".join(loggable(str(f).replace("\t", " ").replace("\n", " ")) for f in fields)


def _cmd_tag(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if args.date is not None:
        from .timexes import DCT_YEARS

        if not DCT_YEARS[0] <= args.date.year <= DCT_YEARS[1]:
            raise UsageError(f"--date {args.date.isoformat()}: year {args.date.year} is outside the years the tagger "
                             f"can reason about ({DCT_YEARS[0]}-{DCT_YEARS[1]}); give the article's publication date")
    text = _read_text_file(path)
    import timeline

    from .records import ReferenceDate
    from .refdate import tag_with_reference

    if args.date is not None:
        ref = ReferenceDate(args.date, args.date, args.date, 1.0, "given", rule="--date")
    else:
        ref = timeline.infer_reference_date(text, filename=path.name)
        if ref.best is not None:
            log.info("%s: no --date given; inferred reference date %s from the text (%s, confidence %.2f)",
                     path, ref.best.isoformat(), ref.rule, ref.confidence)
        elif ref.earliest is not None or ref.latest is not None:
            log.warning("%s: no --date given and no reference date could be inferred as one day; the "
                        "text bounds it to [%s, %s]: relative expressions are resolved only where that "
                        "whole window agrees", path,
                        ref.earliest.isoformat() if ref.earliest else "open",
                        ref.latest.isoformat() if ref.latest else "open")
        else:
            log.warning("%s: no --date given and no reference date could be inferred; "
                        "relative expressions stay unresolved", path)
    from .exports import timex_record

    out = sys.stdout
    for t in tag_with_reference(text, ref):
        if args.json:
            record = timex_record(path.stem, t)
            record.pop("body_start")
            record.pop("body_end")
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        else:
            out.write(_tag_line(t) + "\n")
    out.flush()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m timeline`` and the ``timeline`` script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    args.verbose = getattr(args, "verbose", 0) or 0
    args.quiet = getattr(args, "quiet", False)
    configure_logging(args.verbose, args.quiet)
    if getattr(args, "handler", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.handler(args)
    except UsageError as exc:
        from .exports import loggable

        print(f"error: {loggable(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # no articles; a missing optional package or weight package: one line
        from .corpus import NoArticles
        from .extras import MissingDependency
        from .models import ModelNotInstalled

        if isinstance(exc, NoArticles):
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if not isinstance(exc, (MissingDependency, ModelNotInstalled)):
            raise
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except BrokenPipeError:  # e.g. piped into head
        return 0
