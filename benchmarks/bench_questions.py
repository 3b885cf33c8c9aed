"""Every cookbook question on the real graph, on Neo4j beside the embedded store, in the same run.

    python -m benchmarks.bench_questions [--requests 30] [--neo4j-uri bolt://...]

The real graph is built from the bundled data into both stores. Each cookbook operation
(graphql/queries/) is asked with the example variables below through the app in process (the ASGI
transport: parsing, limits and the answer's JSON included, no sockets), first a few times unmeasured, as a
server warms up, then ``--requests`` times in turn on each store. It prints p50 and p99 per store, the
ratio Neo4j/embedded, and whether the issue's goals hold: Neo4j's p50 at most twice the embedded one's,
and its p99 under 100 ms. The embedded store is the baseline; the two are measured in alternation, one
request each, so the machine's noise falls on both alike.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Sequence
from typing import Any

import httpx

from benchmarks.common import empty_neo4j_store, neo4j_server, p50, p99
from importers.build import build_real_graph
from lineage.api.app import create_app
from lineage.cli.text import format_table
from lineage.resources import COOKBOOK
from lineage.store import Store
from lineage.stores.memory import MemoryStore

#: The cookbook's questions, each with the example the README and the cookbook tests use.
EXAMPLES: dict[str, dict[str, Any]] = {
    "recipients-of-item": {"item": "KS4_FSM"},
    "departments-accessing-item": {"item": "KS4_FSM"},
    "item-provenance": {"item": "KS4_FSM"},
    "concept-aliases": {"concept": "Looked after on census day"},
    "items-by-classification": {"identifiability": [1, 2], "sensitivity": ["B"]},
    "organisation-receipts": {"name": "Home Office"},
    "recipients-by-type": {"type": "media"},
    "release-trace": {"reference": "DR170518.02"},
    "school-successors": {"urn": 100012},
    "pupil-reach": {"urn": 100012, "fromYear": 2012, "toYear": 2016},
    "school-search": {"text": "Hackney"},
    "record-reach": {"urn": 100012, "fromYear": 2012, "toYear": 2016},
    "letter": {"urn": 100012, "fromYear": 2012, "toYear": 2016},
    "flows": {"from": "2013-01-01", "to": "2018-12-31"},
    "lineage": {"id": "Dataset:KS4", "direction": "DOWNSTREAM", "depth": 3},
    "node-links": {"id": "Organisation:home office"},
    "search": {"text": "Home Office"},
    "timeline": {"from": "2012-01-01", "to": "2018-12-31"},
    "application-outcomes": {},
    "gaps": {"organisation": "Ministry of Justice"},
    "foi-request": {"gaps": ["outcome-not-stated:Application:DS00804"], "format": "txt"},
    "onward-sharing": {"from": "Learning Records Service", "depth": 4},
}
WARM_UP = 3
JSON = {"content-type": "application/json"}
GOAL_RATIO, GOAL_P99_MS = 2.0, 100.0


class Asker:
    """One store's app, asked in process; each answer is checked to have come without errors."""

    def __init__(self, store: Store) -> None:
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store)), base_url="http://b")

    async def ms(self, operation: str) -> float:
        request = {"query": (COOKBOOK / f"{operation}.graphql").read_text(), "variables": EXAMPLES[operation]}
        started = time.perf_counter()
        response = await self.client.post("/graphql", content=json.dumps(request), headers=JSON)
        elapsed = (time.perf_counter() - started) * 1000
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise SystemExit(f"{operation}: {response.status_code} {body.get('errors')}")
        return elapsed


async def measure(askers: dict[str, Asker], requests: int) -> list[tuple[str, ...]]:
    rows = []
    for operation in sorted(EXAMPLES):
        times: dict[str, list[float]] = {name: [] for name in askers}
        for turn in range(WARM_UP + requests):
            for name, asker in askers.items():
                elapsed = await asker.ms(operation)
                if turn >= WARM_UP:
                    times[name].append(elapsed)
        memory, neo4j = times["memory"], times["neo4j"]
        ratio = p50(neo4j) / p50(memory)
        met = ratio <= GOAL_RATIO and p99(neo4j) < GOAL_P99_MS
        rows.append(
            (
                operation,
                f"{p50(memory):.1f}",
                f"{p99(memory):.1f}",
                f"{p50(neo4j):.1f}",
                f"{p99(neo4j):.1f}",
                f"{ratio:.1f}x",
                "yes" if met else "no",
            )
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="measured requests per question and store")
    parser.add_argument("--neo4j-uri", help="use this server; its database is CLEARED (default: start our own)")
    args = parser.parse_args(argv)
    missing = {path.stem for path in COOKBOOK.glob("*.graphql")} ^ set(EXAMPLES)
    if missing:
        parser.error(f"the cookbook and this benchmark's examples differ: {', '.join(sorted(missing))}")
    with neo4j_server(args.neo4j_uri) as server:
        stores: dict[str, Store] = {"memory": MemoryStore(), "neo4j": empty_neo4j_store(server)}
        for name, store in stores.items():
            started = time.perf_counter()
            build_real_graph(store)
            print(f"{name}: the real graph built in {time.perf_counter() - started:.1f} s")
        rows = asyncio.run(measure({name: Asker(store) for name, store in stores.items()}, args.requests))
        stores["neo4j"].close()
    print()
    header = ("question", "embedded p50", "p99", "neo4j p50", "p99", "neo4j/embedded p50", "goal met")
    print(format_table(header, rows))
    print()
    print(
        f"- ms per request through the app in process, {args.requests} measured after {WARM_UP} unmeasured, "
        "the two stores in alternation"
    )
    print(f"- goal: Neo4j p50 at most {GOAL_RATIO:g}x the embedded store's, and Neo4j p99 under {GOAL_P99_MS:g} ms")
    met = sum(row[-1] == "yes" for row in rows)
    print(f"- {met} of {len(rows)} questions meet it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
