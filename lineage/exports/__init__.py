"""Exports of the graph, whole or one node's lineage, for the tools auditors and analysts already use.

GraphML and GEXF (yEd, Gephi, NetworkX), Cytoscape JSON, CSV (a nodes file and an edges file), W3C
PROV-JSON and OpenLineage events, one module a format, each registering itself (:mod:`.formats`). Every node and
edge keeps its kind, certainty and citations, so a fact stays checkable outside the project. A node's lineage is
every node within ``depth`` hops in both directions, with every edge among them (:mod:`.subgraph`); the answer
says how many nodes lie just beyond, and whether a safety bound cut the walk. Files are written whole or not at
all (:mod:`lineage.files`).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from lineage.exports import csv_files, cytoscape, networkx_xml, openlineage, prov
from lineage.exports.formats import EXPORT_FORMATS, summary, writers
from lineage.exports.subgraph import DEFAULT_DEPTH, Subgraph, collect
from lineage.files import WriteError, write_atomically, write_directory
from lineage.store import Store

ExportError = WriteError


def output_paths(fmt: str, output: Path) -> list[Path]:
    """The files an export writes: PATH itself, or for CSV ``nodes.csv`` and ``edges.csv`` in the directory
    PATH (created if missing; its parent must exist)."""
    return [output if name is None else output / name for name in writers(fmt)]


def export(
    store: Store, fmt: str, output: Path, node_id: str | None = None, depth: int | None = None
) -> tuple[Subgraph, list[Path]]:
    """Export the whole graph or one node's lineage in ``fmt`` to ``output``: every file whole, or none."""
    found = writers(fmt)
    subgraph = collect(store, node_id, depth)
    single = found.get(None)
    if single is not None:
        write_atomically(output, partial(single, subgraph))
    else:
        write_directory(output, {name: partial(writer, subgraph) for name, writer in found.items() if name})
    return subgraph, output_paths(fmt, output)


__all__ = [
    "DEFAULT_DEPTH",
    "EXPORT_FORMATS",
    "ExportError",
    "Subgraph",
    "collect",
    "csv_files",
    "cytoscape",
    "export",
    "networkx_xml",
    "openlineage",
    "output_paths",
    "prov",
    "summary",
]  # fmt: skip
