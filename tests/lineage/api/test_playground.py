"""The playground's cookbook and the pages' icon: graphql/cookbook.json says, for every operation, the question
the README's table says it asks and example variables; the examples answer on the real graph; the page carries
them all; /favicon.ico answers. (The tabs themselves, in a browser: tests/browser/test_accessibility.py.)"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest

from lineage.api.app import STATIC
from lineage.stores.memory import MemoryStore

ROOT = Path(__file__).resolve().parents[3]
QUERIES = ROOT / "graphql" / "queries"
INDEX = json.loads((ROOT / "graphql" / "cookbook.json").read_text(encoding="utf-8"))["operations"]


def readme_table() -> list[tuple[str, str]]:
    """The README's cookbook table: (operation, what it asks), in its order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The questions (the cookbook)", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` \|[^|]*\| (.+?) \|$", section, re.MULTILINE)
    assert len(rows) > 10, "the README's cookbook table was not found"
    return rows


class Cookbook(HTMLParser):
    """The JSON the page carries in its script#cookbook."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = tag == "script" and dict(attrs).get("id") == "cookbook"

    def handle_endtag(self, tag: str) -> None:
        self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text += data


def test_the_index_asks_what_the_readme_says_for_every_operation_in_its_order() -> None:
    assert [(entry["name"], entry["asks"]) for entry in INDEX] == readme_table()
    assert {entry["name"] for entry in INDEX} == {path.stem for path in QUERIES.glob("*.graphql")}


@pytest.fixture
async def real_http(memory_real: MemoryStore, client_for: Callable[..., httpx.AsyncClient]) -> AsyncIterator[Any]:
    async with client_for(memory_real) as http:
        yield http


def answered(value: Any) -> bool:
    """Whether an answer holds something: a list with an element, or a count above zero, somewhere in it."""
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, dict):
        return any((key == "totalCount" and isinstance(v, int) and v > 0) or answered(v) for key, v in value.items())
    return False


async def test_every_example_answers_on_the_real_graph_with_something(real_http: httpx.AsyncClient) -> None:
    """As the playground's tab sends it: the README's question as its first comment, then the operation."""
    for entry in INDEX:
        query = f"# {entry['asks']}\n" + (QUERIES / f"{entry['name']}.graphql").read_text(encoding="utf-8")
        response = await real_http.post("/graphql", json={"query": query, "variables": entry["variables"]})
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), (entry["name"], body.get("errors"))
        answer, *_beside = body["data"].values()  # its question; gaps also asks gapsClosed, empty on a fresh build
        assert answered(answer), f"{entry['name']}: its example variables find nothing in the bundled data"


async def test_the_playground_page_carries_every_operation_with_its_question_and_example(
    real_http: httpx.AsyncClient,
) -> None:
    page = await real_http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "/static/playground.js" in page.text
    parser = Cookbook()
    parser.feed(page.text)
    tabs = json.loads(parser.text)
    assert [tab["name"] for tab in tabs] == [entry["name"] for entry in INDEX]
    for tab, entry in zip(tabs, INDEX, strict=True):
        assert tab["asks"] == entry["asks"] and tab["variables"] == entry["variables"]
        assert tab["query"] == (QUERIES / f"{entry['name']}.graphql").read_text(encoding="utf-8")
    for name in ("playground.js", "playground.css"):
        served = await real_http.get(f"/static/{name}")
        assert served.status_code == 200 and served.text == (STATIC / name).read_text(encoding="utf-8")
    assert (await real_http.get("/static/playground.js")).headers["content-type"].startswith("text/javascript")


async def test_the_favicon_is_served_where_browsers_ask_and_where_the_pages_name_it(
    real_http: httpx.AsyncClient,
) -> None:
    icon = (STATIC / "favicon.svg").read_bytes()
    for address in ("/favicon.ico", "/static/favicon.svg"):
        answer = await real_http.get(address)
        assert answer.status_code == 200 and answer.content == icon, address
        assert answer.headers["content-type"].startswith("image/svg+xml"), address
    for page in ("/graphql", "/explore", "/reach"):
        html = (await real_http.get(page, headers={"accept": "text/html"})).text
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />' in html, page
