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
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

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


class Built(NamedTuple):
    counts: Counts
    seconds: float
    client_cpu: float  # this process's CPU seconds over the timed build
    peak_mb: float | None
    server_cpu: float | None  # the Neo4j server's CPU seconds over the timed build, when its process is known


def cpu_timed(build: Callable[[], Counts]) -> tuple[Counts, float, float]:
    """Counts, wall seconds and this process's CPU seconds of one build."""
    started = time.process_time()
    counts, seconds = timed(build)
    return counts, seconds, time.process_time() - started


def on_memory(build: Callable[[Store], Counts]) -> Built:
    """One build into a fresh embedded store, and the peak Python MB of another (traced, untimed)."""
    counts, seconds, cpu = cpu_timed(lambda: build(MemoryStore()))
    _, peak = traced_peak(lambda: build(MemoryStore()))
    return Built(counts, seconds, cpu, peak / MB, None)


def on_neo4j(build: Callable[[Store], Counts], uri: str | None, pid: int | None) -> Built:
    """One build into an emptied Neo4j database, with the server's peak MB and CPU when its process is known."""
    with neo4j_server(uri, pid) as server:
        store = empty_neo4j_store(server)
        server_before = server_cpu_seconds(server.pid)
        counts, seconds, cpu = cpu_timed(lambda: build(store))
        server_after = server_cpu_seconds(server.pid)
        peak = server_peak_mb(server)
        store.close()
    server_cpu = None if server_before is None or server_after is None else server_after - server_before
    return Built(counts, seconds, cpu, peak, server_cpu)


def server_cpu_seconds(pid: int | None) -> float | None:
    """The CPU seconds (user and system) a process has used, from /proc: on a machine shared with other work,
    rows per CPU second move far less with the load than rows per second do."""
    if pid is None:
        return None
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
            built = on_memory(build) if name == "memory" else on_neo4j(build, args.neo4j_uri, args.neo4j_pid)
            counts, seconds = built.counts, built.seconds
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
                    f"{built.client_cpu:.1f}",
                    "" if built.server_cpu is None else f"{built.server_cpu:.1f}",
                    "n/a" if built.peak_mb is None else f"{built.peak_mb:,.0f}",
                    "Python, tracemalloc" if name == "memory" else "server VmHWM",
                )
            )
    header = (
        "store", "graph", "nodes", "edges", "build s", "rows/s", "/embedded", "client CPU s", "server CPU s",
        "peak MB", "peak memory of",
    )  # fmt: skip
    print(format_table(header, rows))
    print()
    print(
        f"- generate(scale={args.scale:g}, seed={args.seed}): {len(batch.nodes):,} nodes, {len(batch.edges):,} "
        f"edges in {generate_s:.1f} s, {generate_peak / MB:,.0f} MB of Python memory; not in the build times above"
    )
    print("- /embedded: rows/s against the embedded store's for the same graph in this run (the baseline)")
    print(
        "- client CPU s: this process's CPU over the timed build; "
        "server CPU s: the Neo4j server's (java) CPU over the timed build, when its process is known"
    )
    print(f"- the real build runs the importers in BUILD_ORDER: {', '.join(BUILD_ORDER) or '(none registered yet)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
