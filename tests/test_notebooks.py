"""Every notebook runs top to bottom in a fresh kernel, headless, and through a JupyterLab server.

The notebooks use the committed summary cache (outputs/summary_cache.json), so no language model
is loaded here; if the cache no longer covers what the code asks for, the notebook fails, which is
the signal that the committed outputs are stale (rerun `make run`).
"""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

pytestmark = pytest.mark.notebook


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes_headless(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=900,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    before = _cache_digest()
    client.execute()  # raises CellExecutionError on the first failing cell
    assert _cache_digest() == before  # running a notebook never rewrites the committed summary cache
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert code_cells and all(c.execution_count for c in code_cells)
    errors = [o for c in code_cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


def test_committed_notebooks_carry_outputs_without_errors():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code_cells = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code_cells), f"{path.name} has unexecuted cells"
        assert not any(
            o.get("output_type") == "error" for c in code_cells for o in c.get("outputs", [])
        ), f"{path.name} has error outputs"


# --- parameters: one papermill cell on top; the same notebooks on another corpus ------------------

#: What every notebook's parameter cell sets.
PARAMETERS = ("CORPUS", "MODEL", "SUMMARY_CACHE", "SINCE", "UNTIL", "MAX_ENTRIES", "GRANULARITY", "ABOUT")
SEMEVAL = ROOT.parent / "shared" / "data" / "semeval2015-trial"
COMMITTED_CACHE = ROOT / "outputs" / "summary_cache.json"
#: Articles of the second corpus (the first of the 30 trial articles by id): enough for several
#: merged entries and months, few enough that the small model summarizes them in minutes on CI.
OTHER_CORPUS_SIZE = 10


def _parameters(nb) -> dict:
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first.metadata.get("tags", []), "the first code cell must be tagged 'parameters'"
    names: dict = {}
    exec(first.source, {}, names)  # plain assignments only
    return names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_first_code_cell_holds_the_parameters(path):
    names = _parameters(nbformat.read(path, as_version=4))
    assert tuple(sorted(names)) == tuple(sorted(PARAMETERS))
    assert names["CORPUS"] == "../seeds" and names["SINCE"] is None and names["UNTIL"] is None
    sources = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert "../seeds" not in sources.replace(f'CORPUS = "../seeds"', ""), "the corpus comes from the parameter only"


def _cache_digest() -> bytes | None:
    import hashlib

    return hashlib.sha256(COMMITTED_CACHE.read_bytes()).digest() if COMMITTED_CACHE.is_file() else None


def _outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            data = out.get("data", {})
            parts.append(data.get("text/plain", "") + data.get("text/html", ""))
            if "application/vnd.plotly.v1+json" in data:
                parts.append(json.dumps(data["application/vnd.plotly.v1+json"]))
    return "\n".join(parts)


def _papermill(path: Path, out: Path, **parameters):
    papermill = pytest.importorskip("papermill")
    papermill.execute_notebook(str(path), str(out), parameters=parameters, cwd=str(path.parent),
                               kernel_name="python3", progress_bar=False, log_output=False)
    nb = nbformat.read(out, as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code_cells)
    assert not [o for c in code_cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1  # papermill found the parameter cell
    return nb


@pytest.fixture(scope="module")
def other_corpus(tmp_path_factory):
    """A second corpus, not about Libya: the SemEval-2015 trial articles (Wikinews, Apple) as a .txt folder."""
    if not (SEMEVAL / "corpus").is_dir():
        pytest.skip(f"SemEval-2015 trial data not found at {SEMEVAL}")
    from timeline.evaluate.semeval import read_corpus, write_folder

    folder = tmp_path_factory.mktemp("semeval") / "articles"
    docs = dict(sorted(read_corpus(SEMEVAL).items())[:OTHER_CORPUS_SIZE])
    write_folder(docs, folder, metadata=True)
    return folder, docs, tmp_path_factory.mktemp("semeval-cache") / "summary_cache.json"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_on_another_corpus(path, other_corpus, tmp_path):
    folder, docs, cache = other_corpus
    before = _cache_digest()
    nb = _papermill(path, tmp_path / path.name, CORPUS=str(folder), MODEL="small", SUMMARY_CACHE=str(cache))
    text = _outputs_text(nb)
    # it shows the other corpus, and nothing of the seeds
    assert any(doc_id in text for doc_id in docs) or any(d.title in text for d in docs.values())
    assert "000_ebd112a8c2509409" not in text and "Benghazi" not in text
    assert _cache_digest() == before  # the committed summary cache is never touched


def test_window_parameters_narrow_what_is_shown(tmp_path):
    path = next(p for p in NOTEBOOKS if p.name.startswith("05"))
    nb = _papermill(path, tmp_path / path.name, SINCE="2016-01-01", UNTIL="2016-06-30")
    line = next(line for line in _outputs_text(nb).splitlines() if "entries in the window" in line)
    shown, total = int(line.split()[0]), int(line.split()[2])
    assert 0 < shown < total


# --- JupyterLab: launch it headless and run a notebook through its own kernel -------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(url: str, token: str, data: dict | None = None) -> dict:
    body = None if data is None else json.dumps(data).encode()
    req = urllib.request.Request(url, data=body, method="GET" if data is None else "POST")
    req.add_header("Authorization", f"token {token}")
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read().decode()
        return json.loads(text) if text.strip().startswith(("{", "[")) else {"_html": text}


def _execute(ws, session: str, code: str, timeout: float = 600) -> list[dict]:
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                           "session": session, "version": "5.3"},
                "parent_header": {},
                "metadata": {},
                "content": {"code": code, "silent": False, "store_history": True,
                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
                "channel": "shell",
                "buffers": [],
            }
        )
    )
    replies = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        replies.append(msg)
        if msg["channel"] == "shell" and msg["msg_type"] == "execute_reply":
            return replies
    raise TimeoutError(code[:80])


def test_notebook_runs_in_jupyterlab_server(tmp_path):
    websocket = pytest.importorskip("websocket")
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}", "--ServerApp.open_browser=False", "--allow-root"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                _request(f"{base}/api/status", token)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab server did not start")
        lab = _request(f"{base}/lab", token)
        assert "JupyterLab" in lab.get("_html", "")

        notebook = NOTEBOOKS[1]  # the temporal-expressions notebook: quick, no model
        rel = notebook.relative_to(ROOT).as_posix()
        session = _request(f"{base}/api/sessions", token,
                           {"path": rel, "type": "notebook", "name": notebook.name, "kernel": {"name": "python3"}})
        kernel_id = session["kernel"]["id"]
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels?token={token}", timeout=600
        )
        try:
            nb = nbformat.read(notebook, as_version=4)
            for cell in (c for c in nb.cells if c.cell_type == "code"):
                replies = _execute(ws, uuid.uuid4().hex, cell.source)
                reply = replies[-1]["content"]
                assert reply["status"] == "ok", f"{cell.source[:80]!r}: {reply.get('evalue')}"
        finally:
            ws.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def test_execute_joins_the_printed_outputs_the_kernel_split():
    # how a kernel splits one cell's printing into messages depends on timing; the committed
    # notebooks must not change with it
    import importlib.util

    spec = importlib.util.spec_from_file_location("nb_execute", ROOT / "notebooks" / "execute.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    split = [nbformat.v4.new_output("stream", name="stdout", text="a\n"),
             nbformat.v4.new_output("stream", name="stdout", text="b\n"),
             nbformat.v4.new_output("stream", name="stderr", text="warn\n"),
             nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=1),
             nbformat.v4.new_output("stream", name="stdout", text="c\n")]
    merged = module.merged_streams(split)
    assert [(o.output_type, o.get("name"), o.get("text")) for o in merged] == [
        ("stream", "stdout", "a\nb\n"), ("stream", "stderr", "warn\n"), ("execute_result", None, None),
        ("stream", "stdout", "c\n")]
