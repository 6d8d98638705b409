"""A page kept open in a real headless Chromium, driven over the DevTools protocol.

`--dump-dom` renders a page once and exits; a test that changes things while the page watches
needs the browser to stay up. Chromium is started with `--remote-debugging-port=0` (it writes
the port it chose to DevToolsActivePort in its profile), the page's target is found through
/json, and `Runtime.evaluate` reads what the page shows.
"""

from __future__ import annotations

import base64
import json
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from serverproc import kill, launch
from websockets.sync.client import ClientConnection, connect

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1920,1080",
]

#: Generous: the test machine has two cores shared with other runs.
DEADLINE = 20.0


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RuntimeError("Chromium is needed for the web display test (.ci/run installs it)")
    return found


def wait_for(what: str, probe: Callable[[], Any], timeout: float = DEADLINE) -> Any:
    """Poll `probe` until it returns something truthy; fail with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.1)


class Page:
    """One open page: evaluate JavaScript in it, wait for what it shows, capture it."""

    def __init__(self, ws: ClientConnection) -> None:
        self._ws = ws
        self._next_id = 0

    def command(self, method: str, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        self._ws.send(json.dumps({"id": self._next_id, "method": method, "params": params}))
        while True:  # events the page sends meanwhile are not asked for: skip them
            answer: dict[str, Any] = json.loads(self._ws.recv(timeout=DEADLINE))
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer["result"]
                return result

    def evaluate(self, expression: str) -> Any:
        result = self.command("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def text(self, element_id: str) -> str:
        """The text an element shows ("" while the page has no such element yet)."""
        found = self.evaluate(
            f"(document.getElementById({json.dumps(element_id)}) || {{}}).innerText"
        )
        return str(found or "")

    def wait_text(self, element_id: str, expected: str, timeout: float = DEADLINE) -> str:
        """Wait until the element's text contains `expected`; the text it then shows."""
        shown = ""

        def probe() -> bool:
            nonlocal shown
            shown = self.text(element_id)
            return expected in shown

        try:
            wait_for(f"#{element_id} shows {expected!r}", probe, timeout)
        except AssertionError as error:
            raise AssertionError(f"{error}; it shows {shown!r}") from None
        return shown

    def screenshot(self, path: Path) -> None:
        data = self.command("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))


@contextmanager
def open_page(url: str, profile: Path) -> Iterator[Page]:
    """Chromium showing `url` until the block ends; the browser is killed afterwards."""
    profile.mkdir(parents=True, exist_ok=True)
    # Its own process group (the renderers go with it), gone if the test process dies.
    browser = launch(
        [
            chromium_path(),
            *CHROMIUM_FLAGS,
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            url,
        ],
        log_file=None,
    )
    try:
        port_file = profile / "DevToolsActivePort"

        def written_port() -> str:
            # "PORT\n/devtools/browser/ID": the port is whole once its line ends.
            first, newline, _ = (port_file.read_text() if port_file.exists() else "").partition(
                "\n"
            )
            return first if newline and first.isdigit() else ""

        port = wait_for("Chromium writes its DevTools port", written_port)

        def page_target() -> str:
            try:
                targets = httpx.get(f"http://127.0.0.1:{port}/json", timeout=2).json()
            except httpx.TransportError:
                return ""
            return next((t["webSocketDebuggerUrl"] for t in targets if t.get("type") == "page"), "")

        with connect(wait_for("Chromium lists the page", page_target), max_size=None) as ws:
            yield Page(ws)
    finally:
        kill(browser)
