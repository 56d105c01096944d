"""Command line: ``python -m timeline run SEEDS_DIR ...`` and ``python -m timeline tag FILE ...``.

Errors the user can fix (a missing file, a bad date) end with a one-line message and exit code 2,
never a traceback. Heavy stages are imported inside the commands so ``--help`` stays instant.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Sequence

EXIT_USAGE = 2

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
Build the timeline of SEEDS_DIR (one .txt file per article, optional metadata.csv with
file,published,source,headline,note) and write the outputs: timeline.json, events.csv,
timelinejs.json, timelinejs.csv, timeline.html (interactive), timeline.txt (tilse format),
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m timeline", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", title="commands", metavar="{run,tag}")

    run = sub.add_parser("run", help="build the timeline of a folder of articles and write all outputs",
                         description=RUN_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("seeds_dir", metavar="SEEDS_DIR", help="folder of article .txt files (and metadata.csv)")
    run.add_argument("--out", default="outputs", metavar="DIR", help="folder for the output files (default: outputs)")
    run.add_argument("--figures", default="figures", metavar="DIR",
                     help="folder for the PNG/SVG charts (default: figures)")
    run.add_argument("--no-figures", action="store_true", help="do not draw the charts")
    run.add_argument("--model", default="default", metavar="NAME|PATH",
                     help="summary model: 'default' (Qwen2.5-Coder-1.5B), 'small' (SmolLM2-135M, for tests) "
                          "or a path to a model folder (default: default)")
    run.add_argument("--no-summaries", action="store_true",
                     help="skip the summary model; entries keep an empty summary")
    run.add_argument("--quiet", action="store_true", help="no progress messages on stderr")
    run.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD",
                     help="first day of the window of interest (default: from the corpus; earlier is context)")
    run.add_argument("--until", type=_iso_date, metavar="YYYY-MM-DD",
                     help="last day of the window of interest (default: from the corpus)")
    run.add_argument("--max-entries", type=_positive_int, metavar="N",
                     help="timeline size: the N most salient happenings (default: a handful per article, capped)")
    run.add_argument("--granularity", choices=("day", "week", "month"), default="day",
                     help="one entry per happening (day), or one per week / month that summarizes it")
    run.add_argument("--about", metavar="QUERY",
                     help="only happenings about an entity or keywords ('Sirte', 'US air strikes')")
    run.set_defaults(handler=_cmd_run)

    tag = sub.add_parser("tag", help="print the temporal expressions of a text file",
                         description=TAG_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    tag.add_argument("file", metavar="FILE", help="UTF-8 text file")
    tag.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD",
                     help="reference date (document creation time); inferred from the text when omitted")
    tag.add_argument("--json", action="store_true", help="one JSON object per line instead of tab-separated fields")
    tag.set_defaults(handler=_cmd_tag)
    return parser


def _cmd_run(args: argparse.Namespace) -> int:
    seeds = Path(args.seeds_dir)
    if not seeds.exists():
        raise UsageError(f"seeds folder not found: {seeds}")
    if not seeds.is_dir():
        raise UsageError(f"not a folder: {seeds}")
    from .models import model_specs

    names = sorted(name for name in model_specs() if name != "embeddings")
    if args.model not in names and not Path(args.model).exists():
        raise UsageError(f"--model: not one of {', '.join(names)} nor an existing path: {args.model}")
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    from .pipeline import run_pipeline

    run_pipeline(
        seeds,
        Path(args.out),
        None if args.no_figures else Path(args.figures),
        model=args.model,
        summaries=not args.no_summaries,
        progress=not args.quiet,
        since=args.since,
        until=args.until,
        max_entries=args.max_entries,
        granularity=args.granularity,
        about=args.about,
    )
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def _read_text_file(path: Path) -> str:
    if not path.exists():
        raise UsageError(f"file not found: {path}")
    if path.is_dir():
        raise UsageError(f"is a folder, not a text file: {path}")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})")


def _tag_line(t) -> str:
    fields = [t.start, t.end, t.text, t.type, t.value, t.mod or "", t.rule]
    return "\t".join(str(f).replace("\t", " ").replace("\n", " ") for f in fields)


def _cmd_tag(args: argparse.Namespace) -> int:
    path = Path(args.file)
    text = _read_text_file(path)
    import timeline

    reference = args.date
    if reference is None:
        ref = timeline.infer_reference_date(text)
        reference = ref.best
        if reference is None:
            print(f"{path}: no --date given and no reference date could be inferred; "
                  "relative expressions stay unresolved", file=sys.stderr)
        else:
            print(f"{path}: no --date given; inferred reference date {reference.isoformat()} "
                  f"({ref.method}, confidence {ref.confidence:.2f})", file=sys.stderr)
    from .exports import timex_record

    out = sys.stdout
    for t in timeline.tag(text, reference):
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
    if getattr(args, "handler", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.handler(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. piped into head
        return 0
