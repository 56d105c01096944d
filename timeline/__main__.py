"""``python -m timeline``: the command line (see ``timeline.cli``)."""
from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
