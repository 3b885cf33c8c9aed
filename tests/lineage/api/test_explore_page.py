"""The explorer page at /explore: served by the app, with only the app's own files (no CDN).

The page itself is exercised in a browser by tests/browser (slow); this checks what it loads, fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from lineage.resources import served_libraries
from lineage.stores.memory import MemoryStore

ROOT = Path(__file__).resolve().parents[3]


class Assets(HTMLParser):
    """Every address the page loads by itself: script sources, style sheets, icons."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.urls.append(found["src"] or "")
        if tag == "link" and found.get("href"):
            self.urls.append(found["href"] or "")


@pytest.fixture
async def http(client_for: Callable[..., httpx.AsyncClient]) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(MemoryStore()) as client:
        yield client


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
        assert asset.status_code == 200 and len(asset.content) > 1000, url
    script = (await http.get("/static/explore.js")).text
    assert not re.search(r"https?://", script)  # it asks only this app's /graphql
    assert 'fetch("/graphql"' in script


def test_every_vendor_file_comes_from_a_pinned_package() -> None:
    pinned = json.loads((ROOT / "web" / "package.json").read_text())["dependencies"]
    for name, path in served_libraries().items():
        package = path.split("/")[0]
        assert re.fullmatch(r"\d+\.\d+\.\d+", pinned.get(package, "")), f"{name}: {package} is not pinned"


async def test_only_the_explorers_files_are_served_from_static(http: httpx.AsyncClient) -> None:
    assert (await http.get("/static/playground.html")).status_code == 404
    assert (await http.get("/static/..%2Fapp.py")).status_code == 404
    assert (await http.get("/static/vendor/nothing.js")).status_code == 404
