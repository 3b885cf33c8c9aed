"""The synthetic graph's way into a store: the ``synthetic`` importer (the graph of
:mod:`importers.synthetic_graph` for a spec file's scale and seed) and :func:`write_chunked`, which the
benchmarks use too. Large graphs go in chunks: each ``Store.write`` is one transaction, and a national graph
in one Neo4j transaction would need gigabytes of transaction state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from importers import register
from importers.base import Batch, Importer, Report
from importers.reading import BadInput, Row, parse_int, read_csv, refuse_other_digits
from importers.synthetic_graph import MAX_SCALE, generate
from lineage.model import Citation, Edge, Node
from lineage.store import Store, WriteResult

#: Nodes or edges per store write: one Neo4j transaction each.
CHUNK = 50_000


def write_chunked(
    store: Store, batch: Batch, chunk: int = CHUNK, last: Callable[[], Sequence[Node]] = tuple
) -> WriteResult:
    """Write ``batch`` in store writes of at most ``chunk`` nodes or edges, all nodes first, and the nodes
    ``last()`` makes in the same write as the last chunk (an import's ImportRun, marked finished only there).

    Each write is one transaction, so a national graph never needs one huge Neo4j transaction. The
    whole batch is not atomic, but the first write already refuses a store holding real data, and
    generation is deterministic, so an interrupted load is completed by writing the same batch again."""
    writes: list[tuple[list[Node], list[Edge]]] = [
        *((batch.nodes[start : start + chunk], []) for start in range(0, len(batch.nodes), chunk)),
        *(([], batch.edges[start : start + chunk]) for start in range(0, len(batch.edges), chunk)),
    ] or [([], [])]
    nodes_created = edges_created = 0
    for number, (nodes, edges) in enumerate(writes, start=1):
        result = store.write([*nodes, *last()] if number == len(writes) else nodes, edges)
        nodes_created += result.nodes_created
        edges_created += result.edges_created
    return WriteResult(nodes_created, edges_created)


#: A scale as a spec writes it: digits, one decimal point, an exponent; not float()'s underscores or words ("inf").
DECIMAL = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@register
class SyntheticImporter(Importer):
    """``lineage import synthetic SPEC.csv``: generates the graph a one-row CSV ``scale,seed`` asks for.

    Never part of the real build (it has no bundled file), and refused by a store that holds real data."""

    name = "synthetic"
    document = "synthetic generator"
    synthetic = True

    def extract(self, path: Path) -> list[Row]:
        rows = read_csv(path, ("scale", "seed"))  # refuses a spec with no row
        if len(rows) > 1:
            problem = f"a generator spec has exactly one row (scale, seed), this one has {len(rows)}"
            raise BadInput(path, problem, rows[1].number)
        return rows

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        (row,) = list(rows)
        refuse_other_digits(path, row, "scale")
        text = row["scale"].strip()
        if not DECIMAL.fullmatch(text):  # float() reads "1_0" as 10, a scale ten times what was meant by 1.0
            raise BadInput(path, f"expected a number such as 0.01, got {row['scale']!r}", row.number, "scale")
        scale = float(text)
        if not (0 < scale <= MAX_SCALE):
            raise BadInput(path, f"{scale:g} is outside (0, {MAX_SCALE:g}]", row.number, "scale")
        seed = parse_int(path, row, "seed")
        if seed is None:
            raise BadInput(path, "the seed is empty", row.number, "seed")
        return generate(scale, seed, Citation(f"synthetic generator, seed {seed}", path.name, row.number))

    def load(self, store: Store, batch: Batch, finished: Callable[[], Node]) -> WriteResult:
        """In chunks (see :func:`write_chunked`); the ImportRun is marked finished with the last of them, so a
        load cut short stays "started" (or "interrupted") until the same spec is imported again."""
        return write_chunked(store, batch, last=lambda: [finished()])
