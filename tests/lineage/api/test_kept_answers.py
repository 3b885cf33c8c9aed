"""Repeated POSTs answered from the kept answers, by the rule GET answers are kept by (store version, query,
variables, media type), as `lineage serve` runs the app: the store is asked once, until it changes."""

from __future__ import annotations

import asyncio
import time

import httpx

from lineage.api.app import create_app
from lineage.api.limits import Limits
from lineage.stores.memory import MemoryStore
from tests import fixture_graph as g
from tests.lineage.api.conftest import Spy

COUNTS = "query ($kind: NodeKind!) { counts { totalNodes } nodes(kind: $kind) { totalCount } }"


def serving(store: Spy, posts_from_kept: bool) -> httpx.AsyncClient:
    app = create_app(store, posts_from_kept=posts_from_kept)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_a_repeated_post_is_answered_from_the_kept_answers_until_the_store_changes() -> None:
    store = MemoryStore()
    store.write(g.NODES, g.EDGES)
    spy = Spy(store)
    schools = {"query": COUNTS, "variables": {"kind": "SCHOOL"}}
    async with serving(spy, posts_from_kept=True) as http:
        answers = [await http.post("/graphql", json=schools) for _ in range(3)]
        assert spy.calls["counts"] == 1  # the second and third POSTs were answered from the kept answer
        assert {a.text for a in answers} == {'{"data":{"counts":{"totalNodes":16},"nodes":{"totalCount":3}}}'}
        assert all(a.headers["cache-control"] == "no-store" and "etag" not in a.headers for a in answers)
        await http.post("/graphql", json={"query": COUNTS, "variables": {"kind": "ORGANISATION"}})
        assert spy.calls["counts"] == 2  # other variables: another answer
        await http.post("/graphql", json=schools, headers={"accept": "application/graphql-response+json"})
        assert spy.calls["counts"] == 3  # another media type: another answer
        got = await http.get("/graphql", params={"query": COUNTS, "variables": '{"kind": "SCHOOL"}'},
                             headers={"accept": "application/json"})  # fmt: skip
        assert spy.calls["counts"] == 3 and got.text == answers[0].text  # GET and POST keep by one rule
        store.write([g.NODES[0]])  # a write changes the store's version, so the answer may have changed
        await http.post("/graphql", json=schools)
        assert spy.calls["counts"] == 4


async def test_without_it_a_post_runs_every_time_and_reads_no_version() -> None:
    store = MemoryStore()
    store.write(g.NODES, g.EDGES)
    spy = Spy(store)
    async with serving(spy, posts_from_kept=False) as http:
        for _ in range(2):
            await http.post("/graphql", json={"query": COUNTS, "variables": {"kind": "SCHOOL"}})
    assert spy.calls["counts"] == 2 and spy.calls["version"] == 0


async def test_an_answer_with_errors_is_not_kept() -> None:
    store = MemoryStore()
    store.write(g.NODES, g.EDGES)
    spy = Spy(store)
    query = "query ($id: ID!) { counts { totalNodes } lineage(id: $id) { depth } }"
    async with serving(spy, posts_from_kept=True) as http:
        for _ in range(2):
            body = (await http.post("/graphql", json={"query": query, "variables": {"id": "School:1"}})).json()
            assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert spy.calls["counts"] == 2


async def test_requests_arriving_while_their_answer_is_computed_wait_for_it_rather_than_compute_it_again() -> None:
    """Fifty first requests for one question ran it fifty times: each found nothing kept yet. Now the first
    computes it and the rest, by POST or GET, are given its answer; a question asked otherwise still runs."""
    store = MemoryStore()
    store.write(g.NODES, g.EDGES)
    spy = Spy(store, slow="counts")  # the answer takes 1.5 s to compute: every request arrives meanwhile
    schools = {"query": COUNTS, "variables": {"kind": "SCHOOL"}}
    as_get = {"query": COUNTS, "variables": '{"kind": "SCHOOL"}'}
    async with serving(spy, posts_from_kept=True) as http:
        answers = await asyncio.gather(
            *(http.post("/graphql", json=schools) for _ in range(20)),
            *(http.get("/graphql", params=as_get, headers={"accept": "application/json"}) for _ in range(5)),
            http.post("/graphql", json={"query": COUNTS, "variables": {"kind": "ORGANISATION"}}),
        )
    assert spy.calls["counts"] == 2  # once for the schools' answer, once for the organisations'
    assert {a.text for a in answers[:25]} == {'{"data":{"counts":{"totalNodes":16},"nodes":{"totalCount":3}}}'}
    assert all(a.status_code == 200 for a in answers)


async def test_when_the_first_request_fails_those_waiting_for_it_compute_their_own_answer() -> None:
    """An answer with errors is not shared: the requests that waited for it then run the question themselves,
    after the first has failed (each call below starts once the first has ended)."""
    store = MemoryStore()
    store.write(g.NODES, g.EDGES)
    calls: list[tuple[float, float]] = []

    class FailingSlowly(Spy):
        def counts(self) -> object:
            started = time.monotonic()
            time.sleep(0.5)
            calls.append((started, time.monotonic()))
            raise RuntimeError("the store broke")

    async with serving(FailingSlowly(store), posts_from_kept=True) as http:
        answers = await asyncio.gather(*(http.post("/graphql", json={"query": COUNTS, "variables": {"kind": "SCHOOL"}})
                                         for _ in range(3)))  # fmt: skip
    assert all(a.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR" for a in answers)
    first, *waiters = sorted(calls)
    assert len(waiters) == 2 and all(started >= first[1] for started, _ in waiters)


async def test_a_timeout_is_shared_with_those_waiting_not_met_again_by_each() -> None:
    """The heaviest question timing out for the first request would have each waiting request run it again, all
    at once: they are given the same 504, which is kept for no one."""
    store = MemoryStore()
    store.write(g.NODES, g.EDGES)
    spy = Spy(store, slow="counts")  # 1.5 s, against a timeout of 0.5 s
    app = create_app(spy, limits=Limits(timeout_seconds=0.5), posts_from_kept=True)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        ask = {"query": COUNTS, "variables": {"kind": "SCHOOL"}}
        answers = await asyncio.gather(*(http.post("/graphql", json=ask) for _ in range(3)))
        assert spy.calls["counts"] == 1
        assert {a.status_code for a in answers} == {504}
        assert all(a.json()["errors"][0]["extensions"]["code"] == "TIMEOUT" for a in answers)
        assert all(a.headers["cache-control"] == "no-store" and a.headers["retry-after"] for a in answers)
        await asyncio.sleep(1.2)  # the first computation, still running in its thread, ends
        await http.post("/graphql", json=ask)
        assert spy.calls["counts"] == 2  # a timeout is not kept: the next request runs the question again
