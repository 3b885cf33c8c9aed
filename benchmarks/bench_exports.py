"""Exporting the whole real graph in every format, in the embedded store, beside collecting it: every export
first collects the graph (``lineage.exports.collect``), so that collection, timed in the same run, is the floor
each format's writer adds to.

    python -m benchmarks.bench_exports [--runs 3]

Each figure is the best of ``--runs``. The tests read every export back whole; how long it takes is measured here
rather than asserted there.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from importers.build import build_real_graph
from lineage.exports import EXPORT_FORMATS, collect, export
from lineage.stores.memory import MemoryStore

#: Formats of the whole graph (openlineage is a format of import events, not of the graph).
WHOLE_GRAPH_FORMATS = sorted(set(EXPORT_FORMATS) - {"openlineage"})


def best_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    store = MemoryStore()
    build_real_graph(store)
    counts = store.counts()
    floor = best_seconds(lambda: collect(store), args.runs)
    print(f"the real graph: {counts.total_nodes:,} nodes, {counts.total_edges:,} links")
    print(f"{'format':<10} {'seconds':>8} {'x collecting':>13} {'MB':>7}")
    print(f"{'(collect)':<10} {floor:8.2f} {1.0:12.1f}x {'':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for fmt in WHOLE_GRAPH_FORMATS:
            output = Path(folder) / fmt
            seconds = best_seconds(lambda fmt=fmt, output=output: export(store, fmt, output), args.runs)
            print(f"{fmt:<10} {seconds:8.2f} {seconds / floor:12.1f}x {size_of(output) / 1e6:7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
