"""The public endpoint's safety: read-only, depth/token/alias/cost limits, timeout, masked internal
errors, deliberate CORS and batched node loading (hostile inputs: test_hostile_inputs.py)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from lineage.api.limits import Limits
from tests import fixture_graph as g
from tests.lineage.api.conftest import Spy


async def post(http, query: str, **variables: Any):
    return await http.post("/graphql", json={"query": query, "variables": variables})


async def test_there_are_no_mutations(client) -> None:
    result = await client.query('mutation { write(id: "x") }')
    assert "data" not in result  # refused before anything ran
    assert result["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_depth_limit(client) -> None:
    deep = "{ node(id: $id) { links { nodes { source { links { nodes { target { links { nodes { source { links { nodes { target { id } } } } } } } } } } } } } }"  # noqa: E501
    for _ in range(2):  # validation is remembered per query text: a refusal stays a refusal
        result = await client.query(f"query ($id: ID!) {deep}", id=g.O2)
        error = result["errors"][0]
        assert error["extensions"] == {"code": "DEPTH_LIMIT", "depth": 13, "limit": 12}
        assert error["message"].startswith("query depth 13 exceeds the limit of 12")


async def test_token_limit(client) -> None:
    fields = " ".join(["id"] * 2100)
    result = await client.query("query ($id: ID!) { node(id: $id) { " + fields + " } }", id=g.S1)
    assert "token" in result["errors"][0]["message"].lower()
    assert result["errors"][0]["extensions"]["code"] == "TOKEN_LIMIT"


async def test_alias_limit(client) -> None:
    aliases = " ".join(f"a{i}: counts {{ totalNodes }}" for i in range(16))
    result = await client.query(f"{{ {aliases} }}")
    assert "aliases" in result["errors"][0]["message"].lower()
    assert result["errors"][0]["extensions"] == {"code": "ALIAS_LIMIT", "aliases": 16, "limit": 15}


async def test_cost_limit_refuses_before_anything_runs(fixture_store, client_for) -> None:
    spy = Spy(fixture_store)
    query = (
        "query ($id: ID!) { lineage(id: $id, depth: 3, first: 100) { reached { nodes { node { "
        "links(first: 100) { nodes { source { id } } } } } } } }"
    )
    async with client_for(spy) as http:
        for variables in ({"id": g.D2}, {"id": g.O1}):  # the same text again: refused again
            body = (await post(http, query, **variables)).json()
            assert body["errors"][0]["extensions"]["code"] == "COST_LIMIT"
    assert sum(spy.calls.values()) == 0


async def test_the_paths_of_a_traversal_count_toward_the_cost(client) -> None:
    """Each node a traversal reaches carries up to maxPaths paths of up to depth links. Worked out by hand:
    source { name } costs 2; paths 1 + 10 x 10 x 2 = 201; nodes 202; reached, the connection lineage's first
    pages, 1 + 100 x 202 = 20,201; lineage 1 + 10 x 50 (its depth's weight) + 20,201 = 20,702, over the limit.
    Counting the paths once, as a single object, it cost 1,001: the probe's 290-byte request of this shape
    answered 17.8 MB."""
    query = (
        "query ($id: ID!) { lineage(id: $id, depth: 10, first: 100, maxPaths: 10) "
        "{ reached { nodes { paths { source { name } } } } } }"
    )
    error = (await client.query(query, id=g.D2))["errors"][0]
    assert error["extensions"] == {"code": "COST_LIMIT", "cost": 20_702, "limit": 20_000}
    # maxPaths and depth left to their defaults (3 and 2): paths 1 + 3 x 2 x 2 = 13, reached 1 + 100 x 14,
    # lineage 1 + 100 + 1,401
    allowed = query.replace("depth: 10, ", "").replace(", maxPaths: 10", "")
    body = await client.query(allowed, id=g.D2)
    assert "errors" not in body and body["data"]["lineage"]["reached"]["nodes"]


async def test_a_slow_query_times_out_with_a_clear_error(fixture_store, client_for) -> None:
    spy = Spy(fixture_store, slow="counts")
    async with client_for(spy, Limits(timeout_seconds=0.3)) as http:
        response = await post(http, "{ counts { totalNodes } }")
    assert response.status_code == 504
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "TIMEOUT" and "0.3 s" in error["message"]


async def test_internal_errors_are_masked_and_logged_once_with_their_request_id(
    fixture_store, client_for, caplog
) -> None:
    async with client_for(Spy(fixture_store, broken="search")) as http:
        response = await post(http, '{ search(text: "x") { totalCount } }')
    assert "secret" not in response.text and "passwd" not in response.text
    request_id = response.headers["x-request-id"]
    error = response.json()["errors"][0]
    assert error["message"] == f"Internal error: the server could not answer (request {request_id})."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info and "secret internal detail" in str(logged[0].exc_info[1])


async def test_our_own_errors_reach_the_caller(client) -> None:
    result = await client.query('{ search(text: "x", first: 1000) { totalCount } }')
    assert "first must be between 0 and 100" in result["errors"][0]["message"]


async def test_cors_lets_any_origin_read_without_credentials(client) -> None:
    response = await client.http.options(
        "/graphql",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    refused = await client.http.options(
        "/graphql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "DELETE"}
    )
    assert refused.status_code == 400
    # in JSON, as every refusal: it was the one body in plain text
    assert refused.json() == {"errors": [{"message": "Disallowed CORS method", "extensions": {"code": "BAD_REQUEST"}}]}


async def test_a_page_of_links_loads_its_far_ends_in_one_store_call(fixture_store, client_for) -> None:
    spy = Spy(fixture_store)
    query = "query ($id: ID!) { node(id: $id) { links { nodes { source { name } target { name } } } } }"
    async with client_for(spy) as http:
        body = (await post(http, query, id=g.O2)).json()
    assert len(body["data"]["node"]["links"]["nodes"]) == 4
    # the start node, then its links with all their far ends in one expansion, which the far ends are read from
    assert spy.calls == Counter({"get_nodes": 1, "expand": 1})


async def test_the_links_of_every_node_on_a_page_come_in_one_store_call(fixture_store, client_for) -> None:
    spy = Spy(fixture_store)
    query = "{ nodes(kind: ORGANISATION) { nodes { id links { totalCount nodes { source { name } } } } } }"
    async with client_for(spy) as http:
        body = (await post(http, query)).json()
    found = {n["id"]: n["links"]["totalCount"] for n in body["data"]["nodes"]["nodes"]}
    assert found == {id_: fixture_store.neighbours(id_).hops.total for id_ in (g.O1, g.O2, g.O3)}
    assert spy.calls == Counter({"list_nodes": 1, "expand": 1})


#: The hostile-input reading, round four: a name one of Python's patterns backtracked over, a legal suffix after
#: another 30,000 times and a word after 120,000 spaces; each request ran 16 s, past the timeout, holding a worker.
SLOW_NAMES = ("a" + " ltd" * 30_000 + " x", "a" + " " * 120_000 + "b")


async def test_a_name_too_long_to_search_is_refused_before_it_is_read(client, monkeypatch) -> None:
    """A name longer than any search takes is refused as search text (BAD_USER_INPUT) before anything reads it:
    normalising it, in any time, came first, and only then the refusal."""
    import lineage.keys
    from lineage.questions import onward, releases

    read: list[int] = []

    def spy(name: str) -> str:
        read.append(len(name))
        return lineage.keys.normalise(name)

    for module in (releases, onward):
        monkeypatch.setattr(module, "normalise", spy)
    asked = {
        "gaps": "query ($n: String!) { gaps(organisation: $n) { totalCount } }",
        "organisationReceipts": "query ($n: String!) { organisationReceipts(name: $n) { organisation { id } } }",
        "onwardSharing": "query ($n: String!) { onwardSharing(from: $n) { start { id } } }",
    }
    for field, query in asked.items():
        for name in SLOW_NAMES:
            result = await client.query(query, n=name)
            (error,) = result["errors"]
            assert error["extensions"]["code"] == "BAD_USER_INPUT", field
            assert "longer than 200 characters" in error["message"], field
    assert read == []


def test_a_name_is_normalised_as_before_whatever_it_holds() -> None:
    """normalise now reads a name word by word (its patterns backtracked): the keys of every cell of the bundled
    files are unchanged (checked when it changed), and these names' keys are as the docstring's rules say."""
    from lineage.keys import normalise

    assert normalise(SLOW_NAMES[0]) == "a " + "ltd " * 30_000 + "x"  # a suffix before another word stays
    assert normalise(SLOW_NAMES[1]) == "a b"
    assert normalise("Ltd") == "ltd"  # a suffix is dropped after a name, never as the name
    assert normalise("The Bar LLP (BB) (CC) ") == normalise("bar") == "bar"
    assert normalise("A (b (c)) ltd") == "a b c"  # a bracket holding a bracket is no gloss


async def test_an_int_literal_too_long_to_be_an_int_is_the_callers_error(client, caplog) -> None:
    """The hostile-input reading, round four: an Int literal of 4,301 digits raised Python's own limit on reading a
    number inside graphql's rules and the cost limit's, answered as INTERNAL_SERVER_ERROR with a traceback logged;
    the cost error had repeated a 4,000-digit page in full."""
    for query in (
        "{ schoolSuccessors(urn: %s) { __typename } }" % ("1" * 4301),
        "{ nodes(kind: SCHOOL, first: %s) { totalCount } }" % ("9" * 4000),
        "{ nodes(kind: SCHOOL, first: -%s) { totalCount } }" % ("9" * 11),
    ):
        result = await client.query(query)
        (error,) = result["errors"]
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", query[:40]
        assert error["message"].startswith("Int cannot represent non 32-bit signed integer value: ")
        assert len(error["message"]) < 120  # the value clipped
    assert not [r for r in caplog.records if r.exc_info]  # nothing logged as our fault
