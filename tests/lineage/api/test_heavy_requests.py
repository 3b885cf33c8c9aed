"""The heaviest requests the limits allow, on the real graph on each store: within the cost limit by a
hair, answered whole within the timeout, and /healthz answered while they run; and a request of many costly
aliases leaves the threads store calls run in to others too."""

from __future__ import annotations

import asyncio

from graphql import parse

from lineage.api.limits import DEFAULT_LIMITS, cost_figure, measure
from lineage.api.schema import build_schema
from lineage.stores.memory import MemoryStore
from tests import fixture_graph as g
from tests.lineage.api.conftest import Spy, make_client

SCHEMA = build_schema()._schema


#: The heaviest request of its shape the cost limit lets through (first: 95 costs over 20,000): every link of up
#: to ten shortest paths to each of 94 nodes around the most connected item, in both directions.
HEAVIEST = (
    '{ lineage(id: "DataItem:KS4/KS4_FSM", direction: BOTH, depth: 10, first: 94, maxPaths: 10) '
    "{ reached { totalCount nodes { node { id name } paths { kind sourceId } } } } }"
)


def test_the_heaviest_request_is_within_the_cost_limit() -> None:
    cost = measure(cost_figure(DEFAULT_LIMITS.depth_weight), SCHEMA, parse(HEAVIEST)).operations[0][1]
    heavier = measure(cost_figure(DEFAULT_LIMITS.depth_weight), SCHEMA, parse(HEAVIEST.replace("94", "95")))
    assert cost <= DEFAULT_LIMITS.max_cost < heavier.operations[0][1]


async def test_healthz_answers_while_the_heaviest_requests_run(real_store) -> None:
    """Three of the heaviest requests at once (which, before paths counted, all ran into the timeout): /healthz
    is answered while they run, and each of them answers whole."""
    async with make_client(real_store) as http:
        heavy = [asyncio.create_task(http.post("/graphql", json={"query": HEAVIEST})) for _ in range(3)]
        await asyncio.sleep(0)  # the requests are sent
        health = await http.get("/healthz")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert not all(task.done() for task in heavy)  # answered while they ran
        for response in await asyncio.gather(*heavy):
            body = response.json()
            assert response.status_code == 200 and "errors" not in body, body.get("errors")
            assert len(body["data"]["lineage"]["reached"]["nodes"]) == 94


async def test_a_request_of_many_aliases_leaves_threads_for_the_next() -> None:
    """Fifteen aliases of a costly field each took a thread (all six, on two cores), so a cheap search sent
    meanwhile waited for them, nine seconds behind one request that ended in a 504. A request now runs at most
    ``store_calls`` at once: while its calls are held, the search is answered; released, it answers whole."""
    store = MemoryStore()
    store.write(g.NODES, g.EDGES)
    spy = Spy(store, held="paths")
    aliases = 15
    heavy_query = " ".join(f'a{i}: paths(source: "{g.S1}", target: "{g.S3}") {{ totalCount }}' for i in range(aliases))
    async with make_client(spy) as http:
        heavy = asyncio.create_task(http.post("/graphql", json={"query": f"{{ {heavy_query} }}"}))
        try:
            for _ in range(DEFAULT_LIMITS.store_calls):  # the heavy request's calls are running, and held
                await asyncio.to_thread(spy.entered.acquire)
            light = asyncio.create_task(http.post("/graphql", json={"query": '{ search(text: "o") { totalCount } }'}))
            done, _ = await asyncio.wait({heavy, light}, return_when=asyncio.FIRST_COMPLETED)
            assert done == {light}, "the search waited for the heavy request"  # which ended first, in its 504
            assert light.result().json() == {"data": {"search": {"totalCount": 10}}}
        finally:
            spy.release.set()
        answer = (await heavy).json()
    assert answer == {"data": {f"a{i}": {"totalCount": 1} for i in range(aliases)}}
    assert spy.most_held == DEFAULT_LIMITS.store_calls
