"""GraphML and GEXF, through networkx's writers (yEd, Gephi, NetworkX read them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

import networkx as nx

from lineage.exports.attributes import edge_records, node_attributes
from lineage.exports.formats import register
from lineage.exports.subgraph import Subgraph
from lineage.xml_text import xml_text


def _xml_safe(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes with every character XML cannot carry written as ``\\uXXXX`` (lineage.xml_text): a file
    written "successfully" must not then fail to load."""
    return {name: xml_text(value) if isinstance(value, str) else value for name, value in attributes.items()}


def _networkx(subgraph: Subgraph) -> nx.MultiDiGraph[str]:
    """The subgraph for networkx's XML writers, its ids and text safe for XML; an edge's key is its own id,
    which GraphML writes as the id."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(description=xml_text(subgraph.describe()), cut=subgraph.cut)
    for node in subgraph.nodes:
        graph.add_node(xml_text(node.id), **_xml_safe(node_attributes(node)))
    for edge, said in edge_records(subgraph):
        graph.add_edge(xml_text(edge.source), xml_text(edge.target), key=xml_text(edge.id), **_xml_safe(said))
    return graph


def _graphml(subgraph: Subgraph, handle: IO[bytes]) -> None:
    nx.write_graphml(_networkx(subgraph), handle, encoding="utf-8")


def _gexf(subgraph: Subgraph, handle: IO[bytes]) -> None:
    graph = _networkx(subgraph)
    graph.graph = {"name": xml_text(subgraph.describe())}  # GEXF keeps a graph's name, not its other attributes
    for data in graph.nodes.values():  # networkx writes a "key" attribute as "networkx_key": the id holds the key
        del data["key"]
        data["label"] = data["name"]
    nx.set_edge_attributes(graph, {ends: ends[2] for ends in graph.edges(keys=True)}, "id")
    nx.write_gexf(graph, handle, encoding="utf-8")


register("graphml", {None: _graphml})
register("gexf", {None: _gexf})
