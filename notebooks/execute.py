"""Execute notebooks in place, headless, so the committed copies carry current outputs (`make notebooks`).

    python notebooks/execute.py                      # every notebook in notebooks/
    python notebooks/execute.py notebooks/05_charts.ipynb

Each notebook runs top to bottom in a fresh kernel from the notebooks/ folder with its default
parameters (the seeds and the committed summary cache, so no model is loaded when the cache is
current). Nothing is written when a cell fails: the error is printed and the exit code is 1.
Timing metadata is not recorded and consecutive printed outputs are joined into one, so
re-executing unchanged code on unchanged outputs gives the same cells. To run a notebook on another
corpus without touching the committed copy, use papermill:
``papermill notebooks/03_events_merging_ordering.ipynb /tmp/out.ipynb --cwd notebooks -p CORPUS DIR``.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = Path(__file__).resolve().parent


def merged_streams(outputs: list) -> list:
    """Consecutive stdout (or stderr) outputs joined into one: how the kernel splits a cell's printing
    into messages depends on timing, so without this the same run could write different cells."""
    merged: list = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")):
            merged[-1]["text"] = merged[-1]["text"] + out["text"]
        else:
            merged.append(out)
    return merged


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=1800, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(HERE)}})
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merged_streams(cell.outputs)
    tmp = path.with_name(f".{path.name}.tmp")
    nbformat.write(nb, tmp)
    os.replace(tmp, path)


def main(argv: list[str]) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    paths = [Path(a) for a in argv] or sorted(HERE.glob("*.ipynb"))
    failed = 0
    for path in paths:
        print(f"executing {path} ...", flush=True)
        try:
            execute(path)
        except CellExecutionError as err:
            failed += 1
            print(f"{path}: a cell failed; the notebook was not rewritten\n{err}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
