"""Build benchmark: per store, the time and peak memory of building the whole real graph from the bundled
data, and of loading the synthetic national-scale graph.

    python -m benchmarks.bench_build [--stores memory,neo4j] [--scale 1.0] [--neo4j-uri bolt://...]

The real build is ``importers.build.build_real_graph`` (every importer in ``BUILD_ORDER``, each file in one
atomic write). The synthetic build is ``generate(scale, seed)`` then ``write_chunked``; generation is timed
once, as it does not depend on the store. Peak memory is, for the embedded store, what Python allocated
while building (tracemalloc, in a separate untimed run), and for Neo4j the server's VmHWM during the build,
each build on a freshly started server unless ``--neo4j-uri`` is given.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from benchmarks.common import (
    MB,
    add_store_options,
    chosen_stores,
    empty_neo4j_store,
    neo4j_server,
    server_peak_mb,
    timed,
    traced_peak,
)
from importers import BUILD_ORDER
from importers.base import Batch
from importers.build import build_real_graph
from importers.synthetic import CHUNK, write_chunked
from importers.synthetic_graph import generate
from lineage.cli.text import format_table
from lineage.store import Counts, Store
from lineage.stores.memory import MemoryStore


def _real(store: Store) -> Counts:
    build_real_graph(store)
    return store.counts()


def _synthetic(batch: Batch, chunk: int) -> Callable[[Store], Counts]:
    def load(store: Store) -> Counts:
        write_chunked(store, batch, chunk)
        return store.counts()

    return load


def on_memory(build: Callable[[Store], Counts]) -> tuple[Counts, float, float]:
    """Counts, seconds and peak Python MB of one build into a fresh embedded store."""
    counts, seconds = timed(lambda: build(MemoryStore()))
    _, peak = traced_peak(lambda: build(MemoryStore()))
    return counts, seconds, peak / MB


def on_neo4j(build: Callable[[Store], Counts], uri: str | None, pid: int | None) -> tuple[Counts, float, float | None]:
    """Counts, seconds and the server's peak MB of one build into an emptied Neo4j database."""
    with neo4j_server(uri, pid) as server:
        store = empty_neo4j_store(server)
        counts, seconds = timed(lambda: build(store))
        peak = server_peak_mb(server)
        store.close()
    return counts, seconds, peak


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_store_options(parser, CHUNK)
    args = parser.parse_args(argv)
    stores = chosen_stores(parser, args)

    batch, generate_s = timed(lambda: generate(args.scale, args.seed))
    _, generate_peak = traced_peak(lambda: generate(args.scale, args.seed))
    rows = []
    rates: dict[tuple[str, str], float] = {}  # (store, graph) -> rows/s, for the ratio to the embedded store
    for name in stores:
        for graph, build in (("real", _real), (f"synthetic x{args.scale:g}", _synthetic(batch, args.chunk))):
            if name == "memory":
                counts, seconds, peak = on_memory(build)
            else:
                counts, seconds, peak = on_neo4j(build, args.neo4j_uri, args.neo4j_pid)
            written = counts.total_nodes + counts.total_edges
            rates[(name, graph)] = written / seconds
            baseline = rates.get(("memory", graph))
            rows.append(
                (
                    name,
                    graph,
                    f"{counts.total_nodes:,}",
                    f"{counts.total_edges:,}",
                    f"{seconds:.1f}",
                    f"{written / seconds:,.0f}",
                    "" if baseline is None else f"{written / seconds / baseline:.2f}x",
                    "n/a" if peak is None else f"{peak:,.0f}",
                    "Python, tracemalloc" if name == "memory" else "server VmHWM",
                )
            )
    header = ("store", "graph", "nodes", "edges", "build s", "rows/s", "/embedded", "peak MB", "peak memory of")
    print(format_table(header, rows))
    print()
    print(
        f"- generate(scale={args.scale:g}, seed={args.seed}): {len(batch.nodes):,} nodes, {len(batch.edges):,} "
        f"edges in {generate_s:.1f} s, {generate_peak / MB:,.0f} MB of Python memory; not in the build times above"
    )
    print("- /embedded: rows/s against the embedded store's for the same graph in this run (the baseline)")
    print(f"- the real build runs the importers in BUILD_ORDER: {', '.join(BUILD_ORDER) or '(none registered yet)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
