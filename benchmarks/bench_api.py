"""The API's overhead: cookbook questions over HTTP (uvicorn) against the same questions asked of the store
directly, in the same run, on the synthetic national-scale graph in the embedded store.

    python -m benchmarks.bench_api [--scale 1.0] [--requests 200]

For `recipients-of-item`, `pupil-reach` and `lineage` at depth 3 it prints requests/s, p50 and p99 over
HTTP, the same for the direct call, and their ratio. Target: p99 under 100 ms on the embedded store.
pupil-reach asks 20 spans of years in turn: its answer is kept per span of years, so the first request
for each span (during the HTTP run, which goes first) pays for the walk over every release.
Traffic goes to 127.0.0.1 only, and every loop is bounded in count.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import AppServer, p50, p99
from importers.synthetic import write_chunked
from importers.synthetic_graph import generate
from lineage import questions
from lineage.model import NodeKind
from lineage.store import Direction
from lineage.stores.memory import MemoryStore

QUERIES = Path(__file__).resolve().parent.parent / "graphql" / "queries"


def _measure(call: Callable[[int], Any], count: int) -> tuple[float, float, float]:
    """(requests per second, p50 ms, p99 ms) over ``count`` sequential calls, after a short warm-up."""
    for i in range(min(5, count)):
        call(i)
    latencies = []
    started = time.perf_counter()
    for i in range(count):
        before = time.perf_counter()
        call(i)
        latencies.append((time.perf_counter() - before) * 1000)
    elapsed = time.perf_counter() - started
    return count / elapsed, p50(latencies), p99(latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    store = MemoryStore()
    started = time.perf_counter()
    write_chunked(store, generate(args.scale, args.seed))
    counts = store.counts()
    print(
        f"synthetic graph at scale {args.scale}: {counts.total_nodes:,} nodes, {counts.total_edges:,} edges "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )

    items = store.list_nodes(NodeKind.DATA_ITEM, limit=1000).items
    aliases = [str(item.props["alias"]) for item in items[:: max(1, len(items) // 50)]]
    schools = store.list_nodes(NodeKind.SCHOOL, limit=1000).items
    urns = [int(school.props["urn"]) for school in schools[:: max(1, len(schools) // 50)]]
    datasets = [d.id for d in store.list_nodes(NodeKind.DATASET, limit=100).items]

    def pick(values: list, i: int) -> Any:
        return values[i % len(values)]

    cases: list[tuple[str, dict[str, Any] | Callable[[int], dict[str, Any]], Callable[[int], Any]]] = [
        (
            "recipients-of-item",
            lambda i: {"item": pick(aliases, i)},
            lambda i: questions.recipients_of_item(store, pick(aliases, i)),
        ),
        (
            "pupil-reach",
            lambda i: {"urn": pick(urns, i), "fromYear": 1998 + i % 20, "toYear": 2002 + i % 20},
            lambda i: questions.pupil_reach(store, pick(urns, i), 1998 + i % 20, 2002 + i % 20),
        ),
        (
            "lineage",
            lambda i: {"id": pick(datasets, i), "direction": "DOWNSTREAM", "depth": 3},
            lambda i: store.traverse(pick(datasets, i), Direction.DOWNSTREAM, max_depth=3, limit=50),
        ),
    ]
    started = time.perf_counter()
    questions.prepare(store)  # what a server does in the background as it starts
    print(f"prepared the whole-graph questions (as a server does on start) in {time.perf_counter() - started:.1f} s")
    rows = []
    with AppServer(store) as base, httpx.Client(base_url=base, timeout=60) as client:
        for name, variables, direct in cases:
            query = (QUERIES / f"{name}.graphql").read_text()

            def over_http(i: int, name: str = name, query: str = query, variables: Any = variables) -> None:
                response = client.post("/graphql", json={"query": query, "variables": variables(i)})
                body = response.json()
                if response.status_code != 200 or body.get("errors"):
                    raise RuntimeError(f"{name}: {response.status_code} {body.get('errors')}")

            http_rate, http_p50, http_p99 = _measure(over_http, args.requests)
            direct_rate, direct_p50, direct_p99 = _measure(direct, args.requests)
            rows.append((name, http_rate, http_p50, http_p99, direct_rate, direct_p50, direct_p99))

    print(f"\n{args.requests} sequential requests each, embedded store, uvicorn on 127.0.0.1")
    header = (
        "question",
        "HTTP req/s",
        "p50 ms",
        "p99 ms",
        "direct calls/s",
        "p50 ms",
        "p99 ms",
        "p50 ratio",
        "p99 ratio",
    )
    print("  ".join(f"{h:>14}" for h in header))
    for name, hr, h50, h99, dr, d50, d99 in rows:
        cells = (name, f"{hr:.0f}", f"{h50:.1f}", f"{h99:.1f}", f"{dr:.0f}", f"{d50:.1f}", f"{d99:.1f}")
        ratios = (f"{h50 / d50:.1f}x", f"{h99 / d99:.1f}x")
        print("  ".join(f"{c:>14}" for c in (*cells, *ratios)) + ("" if h99 < 100 else "   (p99 over 100 ms)"))


if __name__ == "__main__":
    main()
