"""Paging on Neo4j: ``Neo4jStore.list_nodes`` (the count and the page in one record, one round trip) against the
way it was before (a count, then the page as a record per row: two round trips), in one process on one server.

    python -m benchmarks.bench_paging [--rounds 30] [--limits 1,100,1000] [--neo4j-uri bolt://...]

Two graphs, one after the other in the server's database (which is cleared): the fault corpus' baseline
(tests/importers/test_fault_corpus.py: every real importer's small file), on which it times reading every node
and the corpus' own ``state_of`` (tests/importers/store_state.py: every node page by page, then one expansion), and the
real graph, on which it times single pages of each size (every node, at the start and in the middle; one kind)
and the whole store read in pages of 1,000. The two ways are called in turn, round by round, each first in every
other round, so the machine's noise falls on both; it prints each way's median and the ratio new/old, and
stops if the two ever answer differently.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import empty_neo4j_store, neo4j_server
from importers import BUILD_ORDER
from importers.build import build_real_graph
from lineage.cli.text import format_table
from lineage.model import Node, NodeKind
from lineage.store import Bounded, Store, _check_bounds
from lineage.stores.neo4j import NODE_LABEL, Neo4jStore
from lineage.stores.neo4j_records import node_from_props
from tests.importers.store_state import every_node, state_of
from tests.importers.test_fault_corpus import Place, prepared

WARM_UP = 3


class TwoRoundTrips(Neo4jStore):
    """The baseline: list_nodes as it was up to commit c23a865."""

    def list_nodes(self, kind: NodeKind | None = None, limit: int = 100, offset: int = 0) -> Bounded[Node]:
        _check_bounds(limit=limit, offset=offset)
        label = kind.value if kind else NODE_LABEL
        total = self._run(f"MATCH (n:{label}) RETURN count(n) AS total")[0]["total"]
        records = self._run(
            f"MATCH (n:{label}) RETURN properties(n) AS n ORDER BY n.id SKIP $offset LIMIT $limit",
            offset=offset,
            limit=limit,
        )
        return Bounded(tuple(node_from_props(r["n"]) for r in records), total, offset)


def page(kind: NodeKind | None, limit: int, offset: int) -> Callable[[Store], Bounded[Node]]:
    return lambda store: store.list_nodes(kind, limit, offset)


def alternated(case: str, read: Callable[[Store], Any], old: Store, new: Store, rounds: int) -> tuple[str, ...]:
    """``read`` on each store in turn, ``rounds`` times after WARM_UP unmeasured: the row of its medians in ms."""
    times: dict[Store, list[float]] = {old: [], new: []}
    for turn in range(WARM_UP + rounds):
        answers = []
        for store in (old, new) if turn % 2 else (new, old):
            started = time.perf_counter()
            answers.append(read(store))
            if turn >= WARM_UP:
                times[store].append((time.perf_counter() - started) * 1000)
        if answers[0] != answers[1]:
            raise SystemExit(f"{case}: the two ways answered differently")
    before, after = statistics.median(times[old]), statistics.median(times[new])
    return case, f"{before:.1f}", f"{after:.1f}", f"{after / before:.2f}x"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30, help="measured calls per way and case")
    parser.add_argument("--limits", default="1,100,1000", help="comma-separated page sizes")
    parser.add_argument("--neo4j-uri", help="use this server; its database is CLEARED (default: start our own)")
    args = parser.parse_args(argv)
    limits = [int(limit) for limit in args.limits.split(",")]
    rows = []
    with neo4j_server(args.neo4j_uri) as server:
        new = empty_neo4j_store(server)
        old = TwoRoundTrips(server.uri)
        place = Place(lambda: contextlib.nullcontext(new), lambda: new, reset=new.clear)
        prepared(place, BUILD_ORDER[0], Path(tempfile.mkdtemp(prefix="lineage-bench-paging-")))
        counts = new.counts()
        print(f"fault corpus baseline: {sum(counts.nodes.values()):,} nodes, {sum(counts.edges.values()):,} edges")
        rows.append(alternated("fault corpus baseline in pages of 1,000", every_node, old, new, args.rounds))
        rows.append(alternated("state_of, fault corpus baseline", state_of, old, new, args.rounds))
        new.clear()
        started = time.perf_counter()
        build_real_graph(new)
        total = new.list_nodes(limit=0).total
        print(f"real graph: {total:,} nodes, built in {time.perf_counter() - started:.1f} s")
        for limit in limits:
            for case, kind, offset in (
                ("every node, offset 0", None, 0),
                (f"every node, offset {total // 2:,}", None, total // 2),
                ("DataItem, offset 0", NodeKind.DATA_ITEM, 0),
            ):
                rows.append(
                    alternated(f"list_nodes limit {limit:,}, {case}", page(kind, limit, offset), old, new, args.rounds)
                )
        rounds = max(1, args.rounds // 10)
        rows.append(alternated(f"the real graph in pages of 1,000 ({rounds} rounds)", every_node, old, new, rounds))
        old.close()
        new.close()
    print()
    print(format_table(("read", "old ms (median)", "new ms (median)", "new/old"), rows))
    print()
    print(
        f"- old: a count, then the page as a record per row (two round trips); new: one record. {args.rounds} "
        f"measured calls each after {WARM_UP} unmeasured, the two ways alternated call by call"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
