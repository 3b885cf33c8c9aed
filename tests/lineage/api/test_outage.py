"""A Neo4j outage and its end, on a disposable server of this test's own (tools/neo4j-dev, started on a
fixed port so it can come back where the app expects it): /healthz and GraphQL answer 503 in JSON within
2 s while it is down, and the same app, without a restart, answers again once it is back."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from benchmarks.common import free_port
from lineage.api.app import create_app
from tests import fixture_graph as g
from tests.conftest import neo4j_dev

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]
QUERY = "query ($id: ID!) { node(id: $id) { name } counts { totalNodes } }"


class DevServer:
    def __init__(self, state: Path, port: int) -> None:
        self.state, self.port = state, port

    def start(self) -> str:
        started = neo4j_dev("start", self.state, str(self.port))
        if started.returncode != 0:
            pytest.fail(f"tools/neo4j-dev could not start Neo4j: {started.stderr.strip()[-500:]}", pytrace=False)
        return started.stdout.strip().splitlines()[-1]

    def stop(self) -> None:
        neo4j_dev("stop", self.state).check_returncode()

    def discard(self) -> None:
        neo4j_dev("discard", self.state).check_returncode()


@pytest.fixture
def server(tmp_path: Path, neo4j_uri: str) -> Iterator[DevServer]:
    """neo4j_uri is asked for only to skip (or fail, in CI) where the session's Neo4j cannot run either. The
    server is killed at the end: a clean stop there spent 7 s saving what is then deleted."""
    if shutil.which("java") is None:
        pytest.skip("needs Java to run tools/neo4j-dev")
    dev = DevServer(tmp_path / "neo4j", free_port())
    try:
        yield dev
    finally:
        dev.discard()


def wait_until_it_answers(uri: str) -> None:
    """Neo4j has returned once a new connection's query is answered (Bolt listens before the database is
    up); the app's own connections are the ones under test, so this uses another driver. It asks the store's
    own version query, so that a server just started (and a machine under load) has planned it before the
    app's first request, whose health check allows it HEALTH_SECONDS."""
    import neo4j

    from lineage.stores.neo4j import VERSION_QUERY

    deadline = time.monotonic() + 120
    with neo4j.GraphDatabase.driver(uri) as driver:
        while True:
            try:
                driver.execute_query(VERSION_QUERY)
                return
            except neo4j.exceptions.DriverError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)


async def timed(call) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await call
    return response, time.monotonic() - started


async def test_an_outage_answers_503_within_2_s_and_the_app_recovers_without_a_restart(server: DevServer) -> None:
    from lineage.stores.neo4j import Neo4jStore

    uri = server.start()
    assert uri == f"bolt://127.0.0.1:{server.port}"
    store = Neo4jStore(uri)
    try:
        store.write(g.NODES, g.EDGES)
        transport = httpx.ASGITransport(app=create_app(store))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            ask = {"query": QUERY, "variables": {"id": g.O2}}
            assert (await http.get("/healthz")).json()["status"] == "ok"
            assert (await http.post("/graphql", json=ask)).json()["data"]["node"]["name"] == g.O2_NAME

            server.stop()
            health, seconds = await timed(http.get("/healthz"))
            assert seconds < 2.0
            assert health.status_code == 503 and health.headers["retry-after"]
            assert health.json() == {
                "status": "unavailable",
                "store": "neo4j",
                "reason": "the neo4j store did not answer",
            }
            answer, seconds = await timed(http.post("/graphql", json=ask))
            assert seconds < 2.0
            assert answer.status_code == 503
            codes = {e["extensions"]["code"] for e in answer.json()["errors"]}
            assert codes == {"STORE_UNAVAILABLE"}
            assert answer.json()["errors"][0]["message"] == "the graph store is unavailable: try again shortly"
            assert "bolt://" not in answer.text
            cached = await http.get("/graphql", params={"query": "{ counts { totalNodes } }"})
            assert cached.status_code == 503  # the version a GET's ETag needs is not there either

            assert server.start() == uri  # the same data, on the same port
            wait_until_it_answers(uri)
            health = await http.get("/healthz")
            assert health.status_code == 200 and health.json()["nodes"] == 16
            answer = await http.post("/graphql", json=ask)
            assert answer.status_code == 200
            assert answer.json() == {"data": {"node": {"name": g.O2_NAME}, "counts": {"totalNodes": 16}}}
    finally:
        store.close()
