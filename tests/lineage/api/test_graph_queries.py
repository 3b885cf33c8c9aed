"""The generic GraphQL reads (node, lineage, paths, search, counts) on both stores, answers from the
drawing in tests/fixture_graph.py."""

from __future__ import annotations

from tests import fixture_graph as g

#: maxPaths 2: with the default 3, the worst case of its variables (depth 10, first 100) costs over the limit.
LINEAGE = """
query ($id: ID!, $depth: Int!, $asOf: Date, $first: Int!) {
  lineage(id: $id, direction: UPSTREAM, depth: $depth, asOf: $asOf, maxPaths: 2, first: $first) {
    start { id name }
    reached {
      totalCount truncated totalIsExact
      pageInfo { hasNextPage endCursor }
      edges { node { degree pathCount node { id } paths { id kind certainty { level } citations { file row } } } }
    }
  }
}
"""


async def test_lineage_upstream_with_degrees_paths_and_totals(client) -> None:
    result = await client.query(LINEAGE, id=g.O2, depth=2, first=3)
    lineage = result["data"]["lineage"]
    assert lineage["start"]["name"] == g.O2_NAME
    reached = lineage["reached"]
    assert [e["node"]["node"]["id"] for e in reached["edges"]] == [g.O1, g.R2, g.I2]
    assert [e["node"]["degree"] for e in reached["edges"]] == [1, 1, 2]
    assert reached["totalCount"] == 4 and reached["truncated"] and reached["pageInfo"]["hasNextPage"]
    path = reached["edges"][2]["node"]["paths"][0]
    assert [link["id"] for link in path] == [f"{g.R2}|SENT_TO|{g.O2}", f"{g.R2}|INCLUDES|{g.I2}"]
    assert path[0]["citations"] == [{"file": "tests/fixture_graph.py", "row": 1}]


async def test_lineage_pages_with_cursors(client) -> None:
    first = await client.query(LINEAGE, id=g.O2, depth=2, first=3)
    cursor = first["data"]["lineage"]["reached"]["pageInfo"]["endCursor"]
    query = LINEAGE.replace("first: $first)", "first: $first, after: $after)").replace(
        "$first: Int!", "$first: Int!, $after: String"
    )
    rest = await client.query(query, id=g.O2, depth=2, first=3, after=cursor)
    reached = rest["data"]["lineage"]["reached"]
    assert [e["node"]["node"]["id"] for e in reached["edges"]] == [g.R1]
    assert not reached["truncated"]


async def test_lineage_as_at_a_date(client) -> None:
    result = await client.query(LINEAGE, id=g.O2, depth=2, first=10, asOf="2013-06-01")
    assert [e["node"]["node"]["id"] for e in result["data"]["lineage"]["reached"]["edges"]] == [g.R2, g.I2]


async def test_unknown_id_is_an_error_that_names_it(client) -> None:
    result = await client.query(LINEAGE, id="School:0", depth=2, first=3)
    assert result["data"] is None
    assert "no node 'School:0'" in result["errors"][0]["message"]
    node = await client.query('{ node(id: "School:0") { id } }')
    assert node == {"data": {"node": None}}


async def test_typed_node_fields_come_from_the_model(client) -> None:
    result = await client.query(
        "query ($id: ID!) { node(id: $id) { kind name ... on Release { reference date tiers } } }", id=g.R1
    )
    assert result["data"]["node"] == {
        "kind": "RELEASE", "name": "DR130220.01", "reference": "DR130220.01", "date": "2013-02-20", "tiers": ["1", "2"]
    }  # fmt: skip


async def test_links_resolve_both_ends(client) -> None:
    result = await client.query(
        "query ($id: ID!) { node(id: $id) { links { totalCount nodes { kind source { name } target { name } } } } }",
        id=g.O2,
    )
    links = result["data"]["node"]["links"]
    assert links["totalCount"] == 4
    assert [(n["source"]["name"], n["target"]["name"]) for n in links["nodes"]] == [
        (g.O1_NAME, g.O2_NAME), (g.O2_NAME, g.O1_NAME), (g.O2_NAME, g.O2_NAME), ("DS00001", g.O2_NAME)
    ]  # fmt: skip


async def test_paths_between_two_nodes(client) -> None:
    result = await client.query(
        "query ($s: ID!, $t: ID!) { paths(source: $s, target: $t, depth: 6, first: 2) "
        "{ totalCount truncated paths { kind } } }",
        s=g.S1,
        t=g.O1,
    )
    paths = result["data"]["paths"]
    assert paths["totalCount"] == 5 and paths["truncated"] and len(paths["paths"]) == 2
    assert [link["kind"] for link in paths["paths"][0]] == ["SUBMITS", "FEEDS", "HOLDS", "INCLUDES", "SENT_TO"]


async def test_search_and_counts(client) -> None:
    result = await client.query(
        '{ search(text: "ashgrove", first: 2) { totalCount truncated nodes { id } } counts { totalNodes totalEdges } }'
    )
    assert result["data"]["search"] == {"totalCount": 3, "truncated": True, "nodes": [{"id": g.S1}, {"id": g.S2}]}
    assert result["data"]["counts"] == {"totalNodes": 16, "totalEdges": 20}


async def test_healthz_reports_the_store_and_its_counts(client, fixture_store) -> None:
    response = await client.http.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["store"] == fixture_store.name and body["nodes"] == 16 and body["edges"] == 20


async def test_the_playground_opens_on_the_example_question_with_local_libraries(client) -> None:
    page = await client.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "recipients" in page.text.lower() or "counts" in page.text
    assert "unpkg.com" not in page.text and "https://" not in page.text
    for name in ("react.js", "react-dom.js", "graphiql.js", "graphiql.css"):
        assert f"/static/vendor/{name}" in page.text
        asset = await client.http.get(f"/static/vendor/{name}")
        assert asset.status_code == 200 and len(asset.content) > 1000, name


async def test_a_shared_playground_address_opens_the_playground_in_a_browser_and_answers_a_script(client) -> None:
    shared = {"query": "query ($id: ID!) { node(id: $id) { id } }", "variables": f'{{"id": "{g.O3}"}}'}
    browser = await client.http.get("/graphql", params=shared, headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.headers["content-type"].startswith("text/html") and "graphiql.js" in browser.text
    script = await client.http.get("/graphql", params=shared, headers={"Accept": "application/json"})
    assert script.json() == {"data": {"node": {"id": g.O3}}}
    anything = await client.http.get("/graphql", params=shared)  # httpx asks */*, as curl does
    assert anything.json() == {"data": {"node": {"id": g.O3}}}


async def test_healthz_says_when_the_snapshot_was_saved_again_since_the_server_loaded_it(tmp_path) -> None:
    """The hostile-input reading, round two: an import into the snapshot a server runs on was never seen by it, and
    nothing said so (the server answered node: null for what `lineage query` found). A worker answers from the
    snapshot it loaded; /healthz now says once another has been saved over it, to restart."""
    import httpx

    from lineage.api.app import create_app
    from lineage.stores.memory import MemoryStore

    path = tmp_path / "graph.snapshot"
    first = MemoryStore()
    first.write(g.NODES, g.EDGES)
    first.save(path)
    served = MemoryStore.load(path)
    transport = httpx.ASGITransport(app=create_app(served))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        assert (await http.get("/healthz")).json()["superseded"] is False
        first.save(path)  # the same graph saved again: nothing to restart for
        assert (await http.get("/healthz")).json()["superseded"] is False
        later = MemoryStore()
        later.write(g.NODES[:3])
        later.save(path)
        body = (await http.get("/healthz")).json()
        assert body["superseded"] is True and body["nodes"] == 16  # still answering from what it loaded
