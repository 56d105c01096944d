"""Which optional parts of the install a job needs, checked before the job starts.

The temporal core (``load_corpus``, ``tag``, ``infer_reference_date``) needs only ``dateparser``
(``pip install timeline``). The pipeline needs the ``[pipeline]`` extra; HTML input needs
``trafilatura`` (in ``[pipeline]``, or ``[html]`` alone). A job that lacks one of them stops at the
start with :class:`MissingDependency`, whose message names every missing module and the one pip
command that installs them, instead of a ``ModuleNotFoundError`` traceback half-way through the run.
"""
from __future__ import annotations

import importlib.util
from typing import Iterable

#: The command that installs the pipeline's Python packages (from a checkout: ``pip install ".[pipeline]"``).
PIPELINE_INSTALL = 'pip install "timeline[pipeline]"'
HTML_INSTALL = 'pip install "timeline[html]"'

#: module -> distribution name, for the modules each job imports (import name differs from the
#: distribution name only where noted).
PIPELINE_MODULES = {
    "numpy": "numpy",
    "torch": "torch",
    "transformers": "transformers",
    "tokenizers": "tokenizers",
    "safetensors": "safetensors",
    "spacy": "spacy",
}
SUMMARY_MODULES = {"gguf": "gguf", "accelerate": "accelerate", "tqdm": "tqdm"}
FIGURE_MODULES = {"matplotlib": "matplotlib"}
HTML_MODULES = {"trafilatura": "trafilatura"}


class MissingDependency(ImportError):
    """An optional package the job needs is not installed; the message says how to install it."""


def missing(modules: Iterable[str]) -> list[str]:
    """The modules of ``modules`` that cannot be imported (checked without importing them)."""
    out = []
    for name in modules:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            out.append(name)
    return out


def require(modules: dict[str, str], purpose: str, command: str = PIPELINE_INSTALL) -> None:
    """Raise :class:`MissingDependency` naming every missing module of ``modules`` and ``command``."""
    absent = missing(modules)
    if absent:
        names = ", ".join(modules[m] for m in absent)
        raise MissingDependency(
            f"{purpose} needs {names}, not installed in this Python ({_python()}). Install with: {command}"
            + (' (from a source checkout: pip install ".[pipeline]")' if command == PIPELINE_INSTALL else ""))


def require_pipeline(*, summaries: bool = True, figures: bool = True) -> None:
    """Everything ``build_timeline`` / ``run_pipeline`` will import, checked before any work starts."""
    modules = dict(PIPELINE_MODULES)
    if summaries:
        modules.update(SUMMARY_MODULES)
    if figures:
        modules.update(FIGURE_MODULES)
    require(modules, "the timeline pipeline")


def _python() -> str:
    import sys

    return sys.executable or "python"
