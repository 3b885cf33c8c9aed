"""Store benchmark: bulk writes, peak memory and 3-hop traversals on a generated graph, each beside the
same work done the naive way, as a ratio measured in the same run.

    python -m benchmarks.bench_stores [--scale 1.0] [--stores memory,neo4j] [--neo4j-uri bolt://...]

The graph is :func:`importers.synthetic_graph.generate` (scale 1.0: about 81k nodes and 540k edges).

- memory: ``MemoryStore.write`` in chunks (validation, merging, indexes) against one ``add_node`` /
  ``add_edge`` call per row into a plain ``nx.MultiDiGraph``; peak memory is what Python allocated for
  the graph (tracemalloc, in a separate untimed run); ``store.traverse(max_depth=3)`` against
  ``nx.bfs_edges(G, s, depth_limit=3)``.
- neo4j: ``Neo4jStore.write`` in chunks (batched ``UNWIND … MERGE``) against one ``MERGE`` query per row,
  each its own transaction, on a random sample of edges and their end nodes (the naive way is too slow
  for the whole graph; its rows/s is weighted to the whole graph's mix of nodes and edges); peak memory
  is the server's VmHWM, each way on a freshly started server; ``store.traverse(max_depth=3)`` against
  one variable-length Cypher match ``-[*1..3]->``.

Traversals start from the same random nodes (fixed seed) on every store. The store's downstream walk also
follows INCLUDES against its direction (an item's data flows to the release), so it may reach more than
the naive walks, which follow stored directions only: the "nodes reached" line shows by how much.
"""

from __future__ import annotations

import argparse
import gc
import random
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

from benchmarks.common import (
    MB,
    add_store_options,
    chosen_stores,
    empty_neo4j_store,
    latencies_ms,
    neo4j_server,
    p50,
    rss,
    server_peak_mb,
    timed,
    traced_peak,
)
from importers.base import Batch
from importers.synthetic import CHUNK, write_chunked
from importers.synthetic_graph import generate
from lineage.cli.text import format_table
from lineage.model import Edge, Node
from lineage.stores.memory import MemoryStore
from lineage.stores.neo4j import NODE_LABEL, Neo4jStore
from lineage.stores.neo4j_records import edge_params, node_params


@dataclass(frozen=True, slots=True)
class Result:
    store: str
    measure: str
    value: float | None
    naive: float | None
    naive_way: str
    digits: int = 0

    def row(self) -> tuple[str, ...]:
        ratio = f"{self.value / self.naive:.2f}x" if self.value is not None and self.naive else "n/a"
        return (self.store, self.measure, self._show(self.value), self._show(self.naive), ratio, self.naive_way)

    def _show(self, value: float | None) -> str:
        return "n/a" if value is None else f"{value:,.{self.digits}f}"


# ---- memory ---------------------------------------------------------------------------------------


def naive_graph(batch: Batch) -> nx.MultiDiGraph:
    """The naive embedded graph: one call per row, no validation, merging or indexes."""
    graph = nx.MultiDiGraph()
    for node in batch.nodes:
        graph.add_node(node.id, record=node)
    for edge in batch.edges:
        graph.add_edge(edge.source, edge.target, key=edge.kind, record=edge)
    return graph


def naive_bfs(graph: nx.MultiDiGraph, start: str) -> int:
    """A plain breadth-first walk of 3 hops along stored directions; fetches each reached node's record."""
    return len([graph.nodes[far]["record"] for _, far in nx.bfs_edges(graph, start, depth_limit=3)])


def bench_memory(batch: Batch, starts: Sequence[str], chunk: int) -> list[Result]:
    rows = len(batch.nodes) + len(batch.edges)
    _, store_peak = traced_peak(lambda: write_chunked(MemoryStore(), batch, chunk))
    _, naive_peak = traced_peak(lambda: naive_graph(batch))
    gc.collect()
    store = MemoryStore()
    _, store_s = timed(lambda: write_chunked(store, batch, chunk))
    graph, naive_s = timed(lambda: naive_graph(batch))
    store_ms, store_reached = latencies_ms(lambda s: store.traverse(s, max_depth=3).reached.total, starts)
    naive_ms, naive_reached = latencies_ms(lambda s: naive_bfs(graph, s), starts)
    per_row = "add_node/add_edge per row, plain nx.MultiDiGraph"
    return [
        Result("memory", "bulk write (rows/s)", rows / store_s, rows / naive_s, per_row),
        Result("memory", "peak memory, Python (MB)", store_peak / MB, naive_peak / MB, per_row + " (tracemalloc)"),
        Result("memory", "3-hop traversal p50 (ms)", p50(store_ms), p50(naive_ms), "nx.bfs_edges depth_limit=3", 2),
        Result("memory", "nodes reached (mean)", _mean(store_reached), _mean(naive_reached), "nx.bfs_edges", 1),
    ]


# ---- neo4j ----------------------------------------------------------------------------------------


def naive_merges(store: Neo4jStore, nodes: Sequence[Node], edges: Sequence[Edge]) -> tuple[float, float]:
    """Seconds to write ``nodes`` then ``edges`` with one MERGE query, and one transaction, per row.

    Each row carries the very property map the store writes, so only the way of writing differs."""
    with store.driver.session(database=store.database) as session:

        def write_nodes() -> None:
            for node in nodes:
                query = (
                    f"MERGE (n:{NODE_LABEL} {{id: $id}}) SET n:{node.kind.value}, n += $props, n.citations = $citations"
                )
                session.run(query, node_params(node)).consume()

        def write_edges() -> None:
            for edge in edges:
                query = (
                    f"MATCH (a:{NODE_LABEL} {{id: $source}}) MATCH (b:{NODE_LABEL} {{id: $target}}) "
                    f"MERGE (a)-[e:{edge.kind.value}]->(b) SET e += $props, e.citations = $citations"
                )
                session.run(query, edge_params(edge)).consume()

        _, nodes_s = timed(write_nodes)
        _, edges_s = timed(write_edges)
    return nodes_s, edges_s


def cypher_walk(store: Neo4jStore, start: str) -> int:
    """The naive Neo4j traversal: one variable-length match along stored directions, distinct far nodes."""
    query = (
        f"MATCH (s:{NODE_LABEL} {{id: $id}})-[*1..3]->(n:{NODE_LABEL}) WHERE n <> s "
        "WITH DISTINCT n RETURN properties(n) AS n"
    )
    records, _, _ = store.driver.execute_query(query, {"id": start}, database_=store.database)
    return len(records)


def bench_neo4j(
    batch: Batch, starts: Sequence[str], chunk: int, uri: str | None, pid: int | None, sample: int, seed: int
) -> tuple[list[Result], list[str]]:
    notes = []
    rows = len(batch.nodes) + len(batch.edges)
    with neo4j_server(uri, pid) as server:
        store = empty_neo4j_store(server)
        if server.pid:
            notes.append(f"neo4j: the server's resident size before writing was {rss(server.pid) / MB:,.0f} MB")
        _, bulk_s = timed(lambda: write_chunked(store, batch, chunk))
        bulk_peak = server_peak_mb(server)
        store_ms, store_reached = latencies_ms(lambda s: store.traverse(s, max_depth=3).reached.total, starts)
        cypher_ms, cypher_reached = latencies_ms(lambda s: cypher_walk(store, s), starts)
        store.close()
    edges = random.Random(seed).sample(batch.edges, min(sample, len(batch.edges)))
    ends = {end for edge in edges for end in (edge.source, edge.target)}
    nodes = [node for node in batch.nodes if node.id in ends]
    with neo4j_server(uri, pid) as server:
        store = empty_neo4j_store(server)
        nodes_s, edges_s = naive_merges(store, nodes, edges)
        naive_peak = server_peak_mb(server) if server.own else None
        store.close()
    # The sample's rates, weighted to the whole graph's mix: the time the naive way would take for all of it.
    naive_s = len(batch.nodes) * nodes_s / len(nodes) + len(batch.edges) * edges_s / len(edges)
    notes.append(
        f"neo4j naive write: {len(nodes):,} nodes at {len(nodes) / nodes_s:,.0f} rows/s and "
        f"{len(edges):,} edges at {len(edges) / edges_s:,.0f} rows/s, one MERGE and one transaction per row, "
        f"on a fresh {'server' if server.own else 'database'}; weighted to the whole graph's mix"
    )
    if pid is None and uri:
        notes.append("neo4j: no --neo4j-pid, so the server's memory is not measured")
    elif not server.own:
        notes.append("neo4j: one given server for both ways, so the naive way's peak memory is not comparable")
    per_row = "one MERGE query per row"
    return [
        Result("neo4j", "bulk write (rows/s)", rows / bulk_s, rows / naive_s, per_row + " (sampled, see notes)"),
        Result("neo4j", "peak memory, server VmHWM (MB)", bulk_peak, naive_peak, per_row + ", on its own server"),
        Result("neo4j", "3-hop traversal p50 (ms)", p50(store_ms), p50(cypher_ms), "MATCH (s)-[*1..3]->(n)", 2),
        Result("neo4j", "nodes reached (mean)", _mean(store_reached), _mean(cypher_reached), "Cypher [*1..3]", 1),
    ], notes


def _mean(values: Sequence[int]) -> float:
    return sum(values) / len(values)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=50, help="traversal start nodes (random, fixed seed)")
    parser.add_argument("--naive-sample", type=int, default=2_500, help="edges written the naive way on Neo4j")
    add_store_options(parser, CHUNK)
    args = parser.parse_args(argv)
    stores = chosen_stores(parser, args)

    batch, generate_s = timed(lambda: generate(args.scale, args.seed))
    print(
        f"synthetic graph, scale {args.scale:g}, seed {args.seed}: {len(batch.nodes):,} nodes, "
        f"{len(batch.edges):,} edges (generated in {generate_s:.1f} s); writes of at most {args.chunk:,} rows"
    )
    starts = random.Random(args.seed).sample(sorted(node.id for node in batch.nodes), args.starts)
    results: list[Result] = []
    notes = [f"traversals: {args.starts} random start nodes (seed {args.seed}), downstream, max_depth=3"]
    if "memory" in stores:
        results += bench_memory(batch, starts, args.chunk)
    if "neo4j" in stores:
        found, more = bench_neo4j(
            batch, starts, args.chunk, args.neo4j_uri, args.neo4j_pid, args.naive_sample, args.seed
        )
        results += found
        notes += more
    print()
    header = ("store", "measure", "store's way", "naive way", "store/naive", "the naive way")
    print(format_table(header, [result.row() for result in results]))
    print()
    print("store/naive above 1 means the store is faster for rows/s and heavier or slower for memory and time.")
    for note in notes:
        print(f"- {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
