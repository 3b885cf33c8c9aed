"""Headless Chromium for the explorer's browser tests and benchmark, driven through playwright-core.

Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM); playwright-core is the npm package pinned in
web/package.json, run by driver.js as a child process that takes one JSON command per line. The page may
reach only the app it is pointed at: any other request is refused and reported among the problems.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).resolve().parent / "driver.js"
PLAYWRIGHT = ROOT / "web" / "node_modules" / "playwright-core"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "artifacts" / "browser"
TIMEOUT_MS = 15_000


class BrowserError(RuntimeError):
    """A browser command failed; the message is playwright's."""


def missing() -> str | None:
    """Why the browser cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "the browser tests need Node.js (apt-get install nodejs npm)"
    if not PLAYWRIGHT.is_dir():
        return "the browser tests need web/node_modules (npm ci --prefix web, as `make` does)"
    if not CHROMIUM.is_file():
        return f"the browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


#: The window of a desktop (every test's, unless it says otherwise) and of a phone (an iPhone 14's, in CSS pixels).
DESKTOP = (1400, 900)
PHONE = (390, 844)


class Browser:
    """One headless Chromium page of ``viewport`` (width, height), allowed to reach ``origin`` only."""

    def __init__(self, origin: str, viewport: tuple[int, int] = DESKTOP) -> None:
        self.origin = origin
        # a file, not a pipe, so a chatty driver never blocks; it lives as long as the browser (see close)
        self._stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
        self._process = subprocess.Popen(
            ["node", str(DRIVER), str(CHROMIUM), origin, "x".join(map(str, viewport))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
        )

    def _call(self, op: str, **args: Any) -> Any:
        assert self._process.stdin and self._process.stdout
        self._process.stdin.write(json.dumps({"op": op, "args": args}) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            self._process.wait(timeout=10)
            self._stderr.seek(0)
            stderr = self._stderr.read()
            raise BrowserError(f"the browser driver stopped: {stderr.strip()[-2000:]}")
        answer = json.loads(line)
        if not answer["ok"]:
            raise BrowserError(f"{op}: {answer['error']}")
        return answer["result"]

    def goto(self, path: str) -> None:
        self._call("goto", url=f"{self.origin}{path}")

    def wait_for(self, selector: str, state: str = "visible", timeout: int = TIMEOUT_MS) -> None:
        self._call("waitFor", selector=selector, state=state, timeout=timeout)

    def wait_until(self, expression: str, timeout: int = TIMEOUT_MS) -> None:
        """Waits until the JavaScript ``expression`` is truthy in the page."""
        self._call("waitForFunction", expression=expression, timeout=timeout)

    def ready(self, view: str, timeout: int = TIMEOUT_MS) -> None:
        """Waits until the explorer has finished drawing ``view`` (or has shown an error)."""
        self.wait_until(
            f"document.body.dataset.view === {json.dumps(view)} && "
            "['ready', 'error'].includes(document.body.dataset.state)",
            timeout,
        )

    def count(self, selector: str) -> int:
        return int(self._call("count", selector=selector))

    def texts(self, selector: str) -> list[str]:
        return list(self._call("texts", selector=selector))

    def attributes(self, selector: str, name: str) -> list[str | None]:
        return list(self._call("attributes", selector=selector, name=name))

    def click(self, selector: str) -> None:
        self._call("click", selector=selector)

    def click_at(self, x: float, y: float) -> None:
        self._call("clickAt", x=x, y=y)

    def press(self, selector: str, key: str) -> None:
        """Focuses the first element matching ``selector`` and presses ``key`` (e.g. "Enter")."""
        self._call("press", selector=selector, key=key)

    def fill(self, selector: str, value: str) -> None:
        self._call("fill", selector=selector, value=value)

    def evaluate(self, expression: str) -> Any:
        return self._call("evaluate", expression=expression)

    def url(self) -> str:
        return str(self._call("url"))

    def screenshot(self, name: str, full_page: bool = True) -> Path:
        """A PNG under artifacts/browser/ (the full page, or what the window shows), for a person to look at."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self._call("screenshot", file=str(path), fullPage=full_page)
        return path

    def problems(self) -> list[str]:
        """Console errors, page errors, failed or refused requests since the last call."""
        return list(self._call("problems"))

    def requests(self) -> list[dict[str, str]]:
        """Every request the page made since the last call: its address and body."""
        return list(self._call("requests"))

    def download(self, selector: str, name: str) -> tuple[Path, str]:
        """Clicks what starts a download and keeps the file under artifacts/browser/: its path, and the name the
        page gave it."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / name
        return path, str(self._call("download", selector=selector, file=str(path)))

    def download_by_key(self, key: str, name: str) -> tuple[Path, str]:
        """Presses ``key`` where the focus is, which starts a download, and keeps the file as download() does."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / name
        return path, str(self._call("downloadByKey", key=key, file=str(path)))

    def select(self, selector: str, value: str) -> None:
        """Chooses the option of that value in a <select>, as a person would."""
        self._call("select", selector=selector, value=value)

    def keys(self, *keys: str) -> None:
        """Presses each key in turn (e.g. "Tab", "Shift+Tab", "Enter") wherever the focus is, as a person would."""
        self._call("keyboard", keys=list(keys))

    def type(self, text: str) -> None:
        """Types ``text`` into whatever has the focus, a key at a time."""
        self._call("type", text=text)

    def focused(self) -> str:
        """What has the focus: its id, or its tag and text when it has none."""
        return str(
            self.evaluate(
                "(() => { const e = document.activeElement; "
                "return e.id || `${e.tagName.toLowerCase()}: ${e.textContent.trim().slice(0, 60)}`; })()"
            )
        )

    def axe(self, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """The page's violations of axe-core's WCAG 2 A and AA rules (axe-core from web/node_modules, put into
        the page, not fetched), each with its rule id, impact, help and the elements at fault; ``exclude``
        names the parts of the page left out (CSS selectors)."""
        return list(self._call("axe", exclude=list(exclude)))

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._stderr.close()
