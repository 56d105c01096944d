"""A real headless Chromium for the tests, driven over the DevTools protocol (websocket-client).

``open_page(url)`` starts Chromium with a fresh profile, loads the page, waits until a JavaScript
condition holds, and returns what the page said: console errors, uncaught exceptions, failed
requests, every URL it asked for, and the value of a final JavaScript expression. The tests skip
with a reason when no Chromium is installed (``.ci/run`` installs Debian's ``chromium``); set
``TIMELINE_CHROMIUM`` to use another binary.
"""
from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

#: Flags for a quiet, isolated run as root in a container: no sandbox (root), no GPU, no first-run
#: UI, no background traffic of its own (so every request seen comes from the page).
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--mute-audio", "--window-size=1280,900",
)


def chromium_binary() -> str | None:
    given = os.environ.get("TIMELINE_CHROMIUM")
    if given:
        return given if Path(given).exists() or shutil.which(given) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    binary = chromium_binary()
    if binary is None:
        pytest.skip("no Chromium installed (apt-get install chromium, or set TIMELINE_CHROMIUM)")
    pytest.importorskip("websocket", reason="websocket-client is needed to drive Chromium")
    return binary


@dataclass
class PageReport:
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    value: object = None

    @property
    def problems(self) -> list[str]:
        return self.console_errors + self.exceptions + self.failed_requests


class _DevTools:
    def __init__(self, ws_url: str):
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        call_id = self.next_id
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == call_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def pump(self, seconds: float) -> None:
        """Collect events for ``seconds``."""
        import websocket

        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.ws.settimeout(left)
            try:
                self.events.append(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                break
        self.ws.settimeout(60)

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]!r}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def close(self) -> None:
        self.ws.close()


def _wait_for_port(profile: Path, proc: subprocess.Popen, timeout: float = 60) -> int:
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Chromium exited with code {proc.returncode}")
        if marker.exists():
            lines = marker.read_text().split()
            if lines:
                return int(lines[0])
        time.sleep(0.1)
    raise TimeoutError("Chromium did not open its DevTools port")


def _stop_group(proc: subprocess.Popen) -> None:
    """Terminate Chromium, then kill whatever helpers it left in its process group."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def open_page(url: str, *, ready: str, result: str, timeout: float = 60, settle: float = 1.0) -> PageReport:
    """Load ``url`` in a fresh headless Chromium; wait until the JS expression ``ready`` is true,
    let the page settle for ``settle`` seconds, then evaluate ``result`` (JSON-serialisable)."""
    binary = require_chromium()
    report = PageReport()
    # Chromium's helper processes (renderer, GPU, crashpad) can still write into the profile after
    # the browser process exits, so the whole process group is stopped and the scratch profile is
    # removed without failing the test on a file that appears during removal.
    with tempfile.TemporaryDirectory(prefix="timeline-chromium-", ignore_cleanup_errors=True) as tmp:
        profile = Path(tmp) / "profile"
        proc = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
             "--remote-debugging-address=127.0.0.1", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            port = _wait_for_port(profile, proc)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as resp:
                targets = json.loads(resp.read())
            page = next(t for t in targets if t.get("type") == "page")
            tools = _DevTools(page["webSocketDebuggerUrl"])
            try:
                for domain in ("Runtime", "Log", "Network", "Page"):
                    tools.call(f"{domain}.enable")
                tools.call("Page.navigate", url=url)
                deadline = time.monotonic() + timeout
                while True:
                    try:
                        if tools.evaluate(f"Boolean({ready})"):
                            break
                    except RuntimeError:
                        pass  # the page is still loading
                    if time.monotonic() > deadline:
                        said = [m.get("params") for m in tools.events
                                if m.get("method") in ("Runtime.consoleAPICalled", "Runtime.exceptionThrown",
                                                       "Log.entryAdded")]
                        raise TimeoutError(f"{url}: {ready!r} did not become true within {timeout} s; "
                                           f"the page said: {str(said)[:3000]}")
                    tools.pump(0.2)
                tools.pump(settle)
                report.value = tools.evaluate(result)
                tools.pump(0.2)
            finally:
                tools.close()
        finally:
            _stop_group(proc)
    for msg in tools.events:
        method, params = msg.get("method"), msg.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            report.console_errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            report.exceptions.append(details.get("exception", {}).get("description") or details.get("text", ""))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            report.console_errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}".strip())
        elif method == "Network.requestWillBeSent":
            report.requests.append(params.get("request", {}).get("url", ""))
        elif method == "Network.loadingFailed":
            report.failed_requests.append(f"{params.get('errorText')} ({params.get('requestId')})")
    return report


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


@contextmanager
def serve(folder: Path):
    """Serve ``folder`` over HTTP on 127.0.0.1 (pages that fetch data, as TimelineJS does, need http)."""
    handler = lambda *a, **kw: _QuietHandler(*a, directory=str(folder), **kw)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
