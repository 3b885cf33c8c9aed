"""What a store holds, in a form two moments can be compared by: the tests that must show a refused file
changed nothing, or that a rebuild or a concurrent import lost or added nothing, compare these."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from lineage.model import EdgeKind, Node, NodeKind
from lineage.store import MAX_LIMIT, Store


@dataclass(frozen=True, slots=True)
class State:
    whole: str  # a hash of every node and edge, import runs included
    graph: str  # the same without the import runs: the lineage itself
    ids: frozenset[str]  # the ids of the graph's nodes and edges (import runs aside)
    runs: int  # how many import runs


def _record(node_or_edge: object, citations: frozenset, props: dict) -> str:
    cited = sorted((c.document, c.file, -1 if c.row is None else c.row, c.address) for c in citations)
    return repr((node_or_edge, sorted(props.items()), cited))


def every_node(store: Store) -> list[Node]:
    """The whole store by id, in pages of the most list_nodes gives."""
    nodes: list[Node] = []
    while True:
        page = store.list_nodes(limit=MAX_LIMIT, offset=len(nodes))
        nodes += page.items
        if not page.items or len(nodes) >= page.total:
            return nodes


def state_of(store: Store) -> State:
    nodes = every_node(store)
    hops = store.expand([n.id for n in nodes], frozenset(EdgeKind), frozenset()) if nodes else []
    lines: list[tuple[bool, str, str]] = []
    for node in nodes:
        identity = (node.id, node.name, node.certainty, node.validity, node.synthetic)
        lines.append((node.kind is NodeKind.IMPORT_RUN, node.id, _record(identity, node.citations, dict(node.props))))
    for hop in hops:
        edge = hop.edge
        lines.append(
            (False, edge.id, _record((edge.id, edge.certainty, edge.validity), edge.citations, dict(edge.props)))
        )
    lines.sort()
    whole = hashlib.sha256("\n".join(text for _, _, text in lines).encode()).hexdigest()
    graph = hashlib.sha256("\n".join(text for run, _, text in lines if not run).encode()).hexdigest()
    return State(whole, graph, frozenset(id_ for run, id_, _ in lines if not run), sum(run for run, _, _ in lines))
