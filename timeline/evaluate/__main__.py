"""Dispatch ``python -m timeline.evaluate {tempeval,tls,anchoring,timelines} ...`` to the matching evaluator."""
from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "tempeval": "timeline.evaluate.tempeval",  # TIMEX3 extent/type/value scores on TimeML files
    "tls": "timeline.evaluate.tls",  # date F1 and ROUGE between two tilse-format timelines
    "anchoring": "timeline.evaluate.anchoring",  # event dates against SemEval-2015 Task 4 gold mentions
    "timelines": "timeline.evaluate.entity_timelines",  # selected entries against SemEval-2015 entity timelines
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in COMMANDS:
        print("usage: python -m timeline.evaluate {tempeval,tls,anchoring,timelines} ... (--help after the command)", file=sys.stderr)
        return 2
    return importlib.import_module(COMMANDS[args[0]]).main(args[1:])


if __name__ == "__main__":
    raise SystemExit(main())
