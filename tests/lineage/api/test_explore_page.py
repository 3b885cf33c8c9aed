"""The explorer page at /explore: served by the app, with only the app's own files (no CDN), and the modules it
shares with the parents' page.

The page itself is exercised in a browser by tests/browser (slow); this checks what it loads, fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from lineage.api.app import EXPLORER_MODULES, SHARED_MODULES, STATIC
from lineage.resources import served_libraries
from lineage.stores.memory import MemoryStore

ROOT = Path(__file__).resolve().parents[3]
#: A static import of an ES module: `import { a, b } from "./x.js";` or `import "./x.js";`
IMPORT = re.compile(r'^import\s(?:[^;"]*?\sfrom\s)?"([^"]+)";', re.MULTILINE)


class Assets(HTMLParser):
    """Every address the page loads by itself: script sources, style sheets, icons."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.modules: list[str] = []  # the scripts of type module

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.urls.append(found["src"] or "")
            if found.get("type") == "module":
                self.modules.append(found["src"] or "")
        if tag == "link" and found.get("href"):
            self.urls.append(found["href"] or "")


@pytest.fixture
async def http(client_for: Callable[..., httpx.AsyncClient]) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(MemoryStore()) as client:
        yield client


async def module_graph(http: httpx.AsyncClient, entry: str) -> dict[str, str]:
    """The text of ``entry`` and of every module it imports, directly or not, by address; each must be served
    as JavaScript, or the browser refuses to run it."""
    texts: dict[str, str] = {}
    waiting = [entry]
    while waiting:
        url = waiting.pop()
        if url in texts:
            continue
        answer = await http.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["content-type"].startswith("text/javascript"), (url, answer.headers["content-type"])
        texts[url] = answer.text
        waiting += [urljoin(url, spec) for spec in IMPORT.findall(answer.text)]
    return texts


async def test_the_explorer_loads_only_the_apps_own_files_and_each_is_served(http: httpx.AsyncClient) -> None:
    page = await http.get("/explore")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    parser = Assets()
    parser.feed(page.text)
    local = [url for url in parser.urls if not url.startswith("data:")]
    assert local and all(url.startswith("/static/") for url in local), parser.urls
    vendor = {url.removeprefix("/static/vendor/") for url in local if url.startswith("/static/vendor/")}
    assert vendor == {"d3.js", "d3-sankey.js", "cytoscape.js"}
    for url in local:
        asset = await http.get(url)
        assert asset.status_code == 200 and len(asset.content) > (100 if url.endswith(".svg") else 1000), url
    assert parser.modules == ["/static/explore.js"]
    scripts = (await module_graph(http, "/static/explore.js")).values()
    assert not any(re.search(r"https?://", script) for script in scripts)  # it asks only this app's /graphql
    assert any('fetch("/graphql"' in script for script in scripts)


def imported_from(modules: dict[str, str], folder: str) -> set[str]:
    """The names of the modules under /static/FOLDER/ among ``modules``."""
    return {url.removeprefix(f"/static/{folder}/") for url in modules if url.startswith(f"/static/{folder}/")}


def on_disk(folder: str) -> set[str]:
    return {path.name for path in (STATIC / folder).glob("*.js")}


async def test_every_module_of_the_explorer_is_imported_and_served_as_javascript(http: httpx.AsyncClient) -> None:
    modules = await module_graph(http, "/static/explore.js")
    own, shared = imported_from(modules, "explore"), imported_from(modules, "shared")
    assert len(modules) == 1 + len(own) + len(shared)  # explore.js imports from these two folders only
    # a module written but not listed is never served; one listed but not imported is dead
    assert own == set(EXPLORER_MODULES) == on_disk("explore")
    assert shared <= set(SHARED_MODULES)
    for url, text in modules.items():
        assert text.startswith("// "), f"{url} opens without its header comment (what it is for, what it touches)"


async def test_every_shared_module_is_imported_by_a_page(http: httpx.AsyncClient) -> None:
    imported: set[str] = set()
    for entry in ("/static/explore.js", "/reach/reach.js", "/static/playground.js"):
        imported |= imported_from(await module_graph(http, entry), "shared")
    assert imported == set(SHARED_MODULES) == on_disk("shared")


def test_one_shared_module_writes_a_source_for_every_page() -> None:
    """A citation's parts (document, file, row, address) are read in shared/citations.js alone: two pages
    writing a source each their own way drift apart, as the explorer's and /reach's had."""
    parts = re.compile(r"\.(document|file|row|address)\b")
    readers = {path.relative_to(STATIC).as_posix() for path in STATIC.rglob("*.js") if parts.search(path.read_text())}
    assert readers == {"shared/citations.js"}
    for page in ("explore/details.js", "reach/sources.js"):
        assert '"/static/shared/citations.js"' in (STATIC / page).read_text(), page


def test_every_vendor_file_comes_from_a_pinned_package() -> None:
    pinned = json.loads((ROOT / "web" / "package.json").read_text())["dependencies"]
    for name, path in served_libraries().items():
        package = path.split("/")[0]
        assert re.fullmatch(r"\d+\.\d+\.\d+", pinned.get(package, "")), f"{name}: {package} is not pinned"


async def test_only_the_explorers_files_are_served_from_static(http: httpx.AsyncClient) -> None:
    assert (await http.get("/static/playground.html")).status_code == 404
    assert (await http.get("/static/..%2Fapp.py")).status_code == 404
    assert (await http.get("/static/vendor/nothing.js")).status_code == 404
    for name in ("nothing.js", "..%2Fexplore.js", "..%2F..%2Fapp.py", "%2Fetc%2Fpasswd", "explore.css"):
        assert (await http.get(f"/static/explore/{name}")).status_code == 404, name
        assert (await http.get(f"/static/shared/{name}")).status_code == 404, name
    assert (await http.get("/static/shared/flows.js")).status_code == 404  # each folder's own modules only
