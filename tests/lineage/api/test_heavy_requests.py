"""The heaviest requests the limits allow, on the real graph on each store: within the cost limit by a
hair, answered whole within the timeout, and /healthz answered while they run."""

from __future__ import annotations

import asyncio

from graphql import parse

from lineage.api.limits import DEFAULT_LIMITS, cost_figure, measure
from lineage.api.schema import build_schema
from tests.lineage.api.conftest import make_client

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
