"""CSV: a nodes file and an edges file in one directory, the model's properties as columns.

Analysts open these files in spreadsheets, which run a cell that starts like a formula (``=HYPERLINK(...)``):
every such cell is written with a single quote before it, as OWASP's "CSV injection" page advises, so the
spreadsheet shows it as text."""

from __future__ import annotations

import csv
import io
from typing import IO, Any

from lineage.exports.attributes import edge_records, node_attributes
from lineage.exports.formats import register
from lineage.exports.subgraph import Subgraph

#: How a cell a spreadsheet would run as a formula starts (OWASP: equals, plus, minus, at, tab, carriage return).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """The cell as a spreadsheet shows it, never runs it: one starting like a formula gets a ``'`` before it."""
    if value is None:
        return None
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else value


def _csv_table(rows: list[dict[str, Any]], first: list[str], handle: IO[bytes]) -> None:
    rest = sorted({name for row in rows for name in row} - set(first))
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    writer = csv.DictWriter(text, fieldnames=[*first, *rest])
    writer.writeheader()
    writer.writerows({name: inert(value) for name, value in row.items()} for row in rows)
    text.flush()
    text.detach()


#: The first columns of the CSV files, in this order; properties follow, sorted by name.
NODE_COLUMNS = ["id", "kind", "key", "name", "certainty", "rule", "valid_from", "valid_to", "synthetic", "citations"]
EDGE_COLUMNS = ["id", "source", "target", "kind", "certainty", "rule", "outranked_by", "contested"]
EDGE_COLUMNS += ["valid_from", "valid_to", "citations"]


def _csv_nodes(subgraph: Subgraph, handle: IO[bytes]) -> None:
    _csv_table([{"id": n.id, **node_attributes(n)} for n in subgraph.nodes], NODE_COLUMNS, handle)


def _csv_edges(subgraph: Subgraph, handle: IO[bytes]) -> None:
    rows = [{"id": e.id, "source": e.source, "target": e.target, **said} for e, said in edge_records(subgraph)]
    _csv_table(rows, EDGE_COLUMNS, handle)


register("csv", {"nodes.csv": _csv_nodes, "edges.csv": _csv_edges})
