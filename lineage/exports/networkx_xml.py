"""GraphML and GEXF, through networkx's writers (yEd, Gephi, NetworkX read them)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import IO, Any

import networkx as nx

from lineage.exports.attributes import edge_attributes, node_attributes
from lineage.exports.formats import register
from lineage.exports.subgraph import Subgraph
from lineage.files import WriteError

#: Characters XML 1.0 cannot carry, even escaped: most control characters, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(what: str, attributes: Mapping[str, Any]) -> None:
    """Refuse a value an XML reader would reject, naming the record and the property, before anything is
    written: the file would be written "successfully" and then fail to load."""
    for name, value in attributes.items():
        found = _NOT_XML.search(value) if isinstance(value, str) else None
        if found:
            raise WriteError(
                f"{what}: property {name!r} holds {found.group()!r} at position {found.start()}, "
                "a character XML cannot carry; nothing was written"
            )


def _networkx(subgraph: Subgraph) -> nx.MultiDiGraph[str]:
    """The subgraph for networkx's XML writers; an edge's key is its own id, which GraphML writes as the id."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(description=subgraph.describe(), cut=subgraph.cut)
    for node in subgraph.nodes:
        attributes = node_attributes(node)
        _xml_safe(f"node {node.id!r}", {"id": node.id, **attributes})
        graph.add_node(node.id, **attributes)
    for edge in subgraph.edges:
        attributes = edge_attributes(edge)
        _xml_safe(f"edge {edge.id!r}", {"id": edge.id, **attributes})
        graph.add_edge(edge.source, edge.target, key=edge.id, **attributes)
    return graph


def _graphml(subgraph: Subgraph, handle: IO[bytes]) -> None:
    nx.write_graphml(_networkx(subgraph), handle, encoding="utf-8")


def _gexf(subgraph: Subgraph, handle: IO[bytes]) -> None:
    graph = _networkx(subgraph)
    graph.graph = {"name": subgraph.describe()}  # GEXF keeps a graph's name, not its other attributes
    for node in subgraph.nodes:  # networkx writes a "key" attribute as "networkx_key": the id holds the key
        data = graph.nodes[node.id]
        del data["key"]
        data["label"] = node.name
    nx.set_edge_attributes(graph, {(e.source, e.target, e.id): e.id for e in subgraph.edges}, "id")
    nx.write_gexf(graph, handle, encoding="utf-8")


register("graphml", {None: _graphml})
register("gexf", {None: _gexf})
