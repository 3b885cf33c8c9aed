"""Cytoscape.js elements JSON."""

from __future__ import annotations

import json
from typing import IO, Any

from lineage.exports.attributes import edge_records, node_attributes
from lineage.exports.formats import register
from lineage.exports.subgraph import Subgraph


def elements(subgraph: Subgraph) -> dict[str, Any]:
    """Cytoscape.js elements JSON: every field under ``data``, citations as a list of objects."""
    nodes = [{"data": {"id": n.id, "label": n.name, **node_attributes(n, flat=False)}} for n in subgraph.nodes]
    edges = [
        {"data": {"id": e.id, "source": e.source, "target": e.target, **said}}
        for e, said in edge_records(subgraph, flat=False)
    ]
    return {
        "data": {"description": subgraph.describe(), "cut": subgraph.cut},
        "elements": {"nodes": nodes, "edges": edges},
    }


def _cytoscape(subgraph: Subgraph, handle: IO[bytes]) -> None:
    handle.write(json.dumps(elements(subgraph), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


register("cytoscape", {None: _cytoscape})
