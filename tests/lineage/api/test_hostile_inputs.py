"""The hostile-input corpus (tests/hostile.py) in every string argument, cursor and page of the API, on the
embedded store and a real Neo4j side by side: the same status and the same answer on both, never an
internal error, nothing written; and the answers the API promises, checked by hand."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from lineage.api.app import create_app
from lineage.store import Store
from lineage.stores.memory import MemoryStore
from tests import fixture_graph as g
from tests import hostile

pytestmark = pytest.mark.neo4j

STRING_ARGUMENTS = {
    "node": "query ($s: ID!) { node(id: $s) { id } }",
    "lineage": "query ($s: ID!) { lineage(id: $s) { reached { totalCount } } }",
    "paths": f'query ($s: ID!) {{ paths(source: "{g.S1}", target: $s) {{ totalCount }} }}',
    "search": "query ($s: String!) { search(text: $s) { totalCount } }",
    "recipientsOfItem": "query ($s: String!) { recipientsOfItem(item: $s) { receipts { totalCount } } }",
    "releaseTrace": "query ($s: String!) { releaseTrace(reference: $s) { release { id } } }",
    "organisationReceipts": "query ($s: String!) { organisationReceipts(name: $s) { organisation { id } } }",
    "conceptAliases": "query ($s: String!) { conceptAliases(concept: $s) { concept { id } } }",
    "itemProvenance": "query ($s: String!) { itemProvenance(item: $s) { item { id } } }",
}
CURSOR_ARGUMENTS = {
    "nodes": "query ($s: String!) { nodes(kind: SCHOOL, after: $s) { totalCount } }",
    "links": f'query ($s: String!) {{ node(id: "{g.O2}") {{ links(after: $s) {{ totalCount }} }} }}',
    "search": 'query ($s: String!) { search(text: "o", after: $s) { totalCount } }',
    "lineage": f'query ($s: String!) {{ lineage(id: "{g.D2}", after: $s) {{ reached {{ totalCount }} }} }}',
}
PAGE_ARGUMENTS = {
    "nodes": "query ($n: Int!) { nodes(kind: SCHOOL, first: $n) { totalCount } }",
    "search": 'query ($n: Int!) { search(text: "o", first: $n) { totalCount } }',
    "lineage": f'query ($n: Int!) {{ lineage(id: "{g.D2}", depth: 1, first: $n) {{ reached {{ totalCount }} }} }}',
    "paths": f'query ($n: Int!) {{ paths(source: "{g.S1}", target: "{g.S3}", first: $n) {{ totalCount }} }}',
}
CASES = [(f"{field}:{text[:12]!r}", query, {"s": text}) for field, query in STRING_ARGUMENTS.items()
         for text in hostile.STRINGS]  # fmt: skip
CASES += [(f"{field}:after={c[:12]!r}", q, {"s": c}) for field, q in CURSOR_ARGUMENTS.items() for c in hostile.CURSORS]
CASES += [(f"{field}:first={n}", q, {"n": n}) for field, q in PAGE_ARGUMENTS.items() for n in hostile.PAGES]


@pytest.fixture(scope="module")
def apps(request: pytest.FixtureRequest) -> Iterator[tuple[Starlette, Starlette]]:
    neo4j: Store = request.getfixturevalue("_neo4j_store")
    neo4j.clear()
    memory = MemoryStore()
    for store in (memory, neo4j):
        store.write(g.NODES, g.EDGES)
    yield create_app(memory), create_app(neo4j)
    neo4j.clear()


@pytest.fixture
async def clients(apps: tuple[Starlette, Starlette]) -> AsyncIterator[tuple[httpx.AsyncClient, ...]]:
    memory, neo4j = (httpx.ASGITransport(app=app) for app in apps)
    async with (
        httpx.AsyncClient(transport=memory, base_url="http://memory") as on_memory,
        httpx.AsyncClient(transport=neo4j, base_url="http://neo4j") as on_neo4j,
    ):
        yield on_memory, on_neo4j


async def answer(http: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    # JSON escapes a lone surrogate ("\ud800"), as any client may send it; httpx's own encoder refuses it
    body = json.dumps({"query": query, "variables": variables})
    response = await http.post("/graphql", content=body, headers={"content-type": "application/json"})
    return response.status_code, response.json()


@pytest.mark.parametrize(("case", "query", "variables"), CASES, ids=[case for case, _, _ in CASES])
async def test_both_stores_answer_alike(clients, case: str, query: str, variables: dict[str, Any]) -> None:
    on_memory, on_neo4j = [await answer(http, query, variables) for http in clients]
    assert on_memory == on_neo4j
    status, body = on_memory
    assert status == 200
    assert all(e["extensions"]["code"] != "INTERNAL_SERVER_ERROR" for e in body.get("errors", ())), body


async def test_what_the_api_answers_to_bad_input(clients) -> None:
    for http in clients:
        status, body = await answer(http, STRING_ARGUMENTS["node"], {"s": "\ud800"})
        message = "variables.s is not valid Unicode: a lone surrogate at character 0"
        assert (status, body) == (200, {"errors": [{"message": message, "extensions": {"code": "BAD_USER_INPUT"}}]})
        overflowing = hostile.cursor("offset:99999999999999999999")
        _, body = await answer(http, CURSOR_ARGUMENTS["nodes"], {"s": overflowing})
        assert body["data"] is None
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
        assert body["errors"][0]["message"] == f"after: {overflowing!r} is not a cursor from this API"
        _, body = await answer(http, PAGE_ARGUMENTS["nodes"], {"n": 2**31})
        assert "data" not in body and body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
        assert "$n" in body["errors"][0]["message"] and "32-bit" in body["errors"][0]["message"]
        _, body = await answer(http, PAGE_ARGUMENTS["nodes"], {"n": 101})
        assert body["errors"][0]["message"] == "first must be between 0 and 100, got 101"
        _, body = await answer(http, STRING_ARGUMENTS["node"], {"s": hostile.INJECTIONS[1]})
        assert body == {"data": {"node": None}}
        _, body = await answer(http, STRING_ARGUMENTS["node"], {"s": "x" * 10_000})
        assert body == {"data": {"node": None}}
        _, body = await answer(http, STRING_ARGUMENTS["lineage"], {"s": "x" * 10_000})
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert len(body["errors"][0]["message"]) < 300  # the id is quoted, but not whole
    assert clients  # nothing was written: the same fixture graph answers the same counts below
    counts = [(await answer(http, "{ counts { totalNodes totalEdges } }", {}))[1] for http in clients]
    assert counts[0] == counts[1] == {"data": {"counts": {"totalNodes": 16, "totalEdges": 20}}}


async def test_null_for_a_variable_with_a_default_used_where_a_value_is_required_is_the_caller_s(
    clients, caplog: pytest.LogCaptureFixture
) -> None:
    """Hostile input, round three: '$f: Int = 5' given null, as a client may send it, passed null to first: Int!;
    graphql-core refused it as it executed, and the answer was a masked internal error with a traceback logged. It
    is the caller's value: refused as bad input, naming the argument and the variable, and nothing logged."""
    query = "query ($f: Int = 5) { nodes(kind: SCHOOL, first: $f) { totalCount } }"
    for http in clients:
        status, body = await answer(http, query, {"f": None})
        (error,) = body["errors"]
        assert status == 200 and error["extensions"] == {"code": "BAD_USER_INPUT"}
        assert "'first'" in error["message"] and "'$f'" in error["message"]
        _, body = await answer(http, query, {})
        assert body["data"]["nodes"]["totalCount"] > 0  # its default, left out
    assert not [r for r in caplog.records if "internal error" in r.getMessage()]
