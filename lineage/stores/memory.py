"""The embedded store: a NetworkX multigraph in this process, the default (nothing to install).

It keeps each node's and edge's record on the graph, an index of ids per kind, and counts per edge
kind, and saves to and loads from one snapshot file so a server restarts in well under a second.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import tempfile
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

import networkx as nx

from lineage.errors import StoreError
from lineage.merge import merge
from lineage.model import (
    NODE_SPECS,
    Certainty,
    CertaintyLevel,
    Citation,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    Scalar,
    Validity,
)
from lineage.store import (
    SEARCHABLE_PROPS,
    Bounded,
    Counts,
    Hop,
    Store,
    WriteResult,
    _page,
    check_lookup,
    check_search,
)

SNAPSHOT_FORMAT = "pupil-data-lineage/snapshot"
SNAPSHOT_VERSION = 1


class MemoryStore(Store):
    name = "memory"

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph()
        self._ids_by_kind: dict[NodeKind, set[str]] = defaultdict(set)
        self._edges_by_kind: Counter[EdgeKind] = Counter()
        self._nodes_by_flag: Counter[bool] = Counter()  # synthetic or not
        # value -> ids, for the model's indexed properties (an item's alias, a release's reference, ...)
        self._index: dict[tuple[NodeKind, str], dict[Scalar, set[str]]] = {
            (kind, prop.name): defaultdict(set)
            for kind, spec in NODE_SPECS.items()
            for prop in spec.props
            if prop.indexed
        }
        self._sorted_ids: dict[NodeKind | None, list[str]] = {}  # cache for paging; emptied by every write

    # ---- writes -----------------------------------------------------------------------------------

    def _apply(self, nodes: Sequence[Node], edges: Sequence[Edge]) -> WriteResult:
        # Everything was validated before this point, so nothing below can fail half way.
        graph = self.graph
        nodes_created = edges_created = 0
        for node in nodes:
            old = graph.nodes[node.id]["record"] if node.id in graph else None
            if old is None:
                nodes_created += 1
                self._nodes_by_flag[node.synthetic] += 1
            else:
                self._unindex(old)
            self._add_node(merge(old, node))
        for edge in edges:
            data = graph.get_edge_data(edge.source, edge.target, edge.kind)
            old = data["record"] if data else None
            if old is None:
                edges_created += 1
                self._edges_by_kind[edge.kind] += 1
            graph.add_edge(edge.source, edge.target, key=edge.kind, record=merge(old, edge))
        return WriteResult(nodes_created, edges_created)

    def _add_node(self, node: Node) -> None:
        self.graph.add_node(node.id, record=node)
        self._ids_by_kind[node.kind].add(node.id)
        self._sorted_ids.clear()
        for (kind, prop), index in self._index.items():
            if kind is node.kind and prop in node.props:
                index[node.props[prop]].add(node.id)

    def _unindex(self, node: Node) -> None:
        for (kind, prop), index in self._index.items():
            if kind is node.kind and prop in node.props:
                index[node.props[prop]].discard(node.id)

    def clear(self) -> None:
        self.__init__()

    # ---- reads ------------------------------------------------------------------------------------

    def get_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        node_data = self.graph._node  # the plain dict behind NodeView: this is the hottest read
        return {id_: node_data[id_]["record"] for id_ in ids if id_ in node_data}

    def existing(self, ids: Iterable[str]) -> set[str]:
        node_data = self.graph._node
        return {id_ for id_ in ids if id_ in node_data}

    def expand(
        self,
        ids: Collection[str],
        outgoing: frozenset[EdgeKind],
        incoming: frozenset[EdgeKind],
        as_of: dt.date | None = None,
    ) -> list[Hop]:
        graph = self.graph
        node_data = graph._node
        hops: list[Hop] = []
        sides = [(graph._succ, outgoing, False), (graph._pred, incoming, True)]
        for id_ in ids:
            for adjacency, kinds, inward in sides:
                neighbours = adjacency.get(id_) if kinds else None
                if not neighbours:
                    continue
                for far, by_kind in neighbours.items():
                    for kind, data in by_kind.items():
                        if kind not in kinds or (inward and far == id_ and kind in outgoing):
                            continue  # another kind, or a self-loop already seen outgoing
                        edge: Edge = data["record"]
                        node: Node = node_data[far]["record"]
                        if as_of is None or (edge.validity.holds_on(as_of) and node.validity.holds_on(as_of)):
                            hops.append(Hop(id_, edge, node))
        return hops

    def list_nodes(self, kind: NodeKind | None = None, limit: int = 100, offset: int = 0) -> Bounded[Node]:
        ids = self._sorted_ids.get(kind)
        if ids is None:
            ids = self._sorted_ids[kind] = sorted(self._ids_by_kind[kind] if kind else self.graph.nodes)
        page = _page(ids, limit, offset)
        nodes = self.get_nodes(page.items)
        return Bounded(tuple(nodes[id_] for id_ in page.items), page.total, offset)

    def find_nodes(self, kind: NodeKind, prop: str, values: Collection[Scalar]) -> list[Node]:
        check_lookup(kind, prop)
        index = self._index.get((kind, prop))
        if index is not None:
            ids = {id_ for value in values for id_ in index.get(value, ())}
            return [node for _, node in sorted(self.get_nodes(ids).items())]
        wanted = set(values)
        nodes = self.get_nodes(self._ids_by_kind[kind])
        return [nodes[id_] for id_ in sorted(nodes) if nodes[id_].props.get(prop) in wanted]

    def search(
        self, text: str, kinds: Collection[NodeKind] | None = None, limit: int = 20, offset: int = 0
    ) -> Bounded[Node]:
        needle = check_search(text, limit, offset)
        ids = self.graph.nodes if kinds is None else [id_ for kind in kinds for id_ in self._ids_by_kind[kind]]
        found = [node for node in self.get_nodes(ids).values() if needle in _searchable_text(node)]
        found.sort(key=lambda node: node.id)
        return _page(found, limit, offset)

    def counts(self) -> Counts:
        return Counts(
            {kind.value: len(ids) for kind, ids in sorted(self._ids_by_kind.items()) if ids},
            {kind.value: n for kind, n in sorted(self._edges_by_kind.items()) if n},
        )

    def holds_synthetic(self, synthetic: bool) -> bool:
        return self._nodes_by_flag[synthetic] > 0

    # ---- snapshot ---------------------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the whole graph to one file, atomically (a crash leaves the old snapshot in place)."""
        payload = {
            "format": SNAPSHOT_FORMAT,
            "version": SNAPSHOT_VERSION,
            "nodes": [_node_row(data["record"]) for _, data in self.graph.nodes(data=True)],
            "edges": [_edge_row(data["record"]) for _, _, data in self.graph.edges(data=True)],
        }
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=target.parent, delete=False) as out:
            pickle.dump(payload, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, target)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> MemoryStore:
        """Read a snapshot written by :meth:`save`. Only plain data and dates are accepted from the file."""
        try:
            payload = _SnapshotUnpickler(io.BytesIO(Path(path).read_bytes())).load()
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as exc:
            raise StoreError(f"{path}: not a readable lineage snapshot ({exc})") from exc
        if not isinstance(payload, dict) or payload.get("format") != SNAPSHOT_FORMAT:
            raise StoreError(f"{path}: not a lineage snapshot")
        if payload.get("version") != SNAPSHOT_VERSION:
            raise StoreError(f"{path}: snapshot version {payload.get('version')}, this code reads {SNAPSHOT_VERSION}")
        store = cls()
        graph = store.graph
        for row in payload["nodes"]:
            node = _node_from_row(row)
            store._add_node(node)
            store._nodes_by_flag[node.synthetic] += 1
        for row in payload["edges"]:
            edge = _edge_from_row(row)
            graph.add_edge(edge.source, edge.target, key=edge.kind, record=edge)
            store._edges_by_kind[edge.kind] += 1
        return store


def _searchable_text(node: Node) -> str:
    values = [node.name, node.key]
    for prop in SEARCHABLE_PROPS:
        value = node.props.get(prop)
        if isinstance(value, str):
            values.append(value)
        elif isinstance(value, tuple):
            values.extend(value)
    return "\n".join(values).lower()


class _SnapshotUnpickler(pickle.Unpickler):
    """Refuses every class but dates, so a snapshot cannot run code when loaded."""

    def find_class(self, module: str, name: str) -> type:
        if (module, name) == ("datetime", "date"):
            return dt.date
        raise pickle.UnpicklingError(f"snapshot refers to {module}.{name}, which a snapshot never holds")


def _common_row(record: Node | Edge) -> tuple:
    return (
        dict(record.props),
        [(c.document, c.file, c.row, c.address) for c in sorted(record.citations, key=Citation.encode)],
        record.certainty.level.value,
        record.certainty.rule,
        record.validity.valid_from,
        record.validity.valid_to,
    )


def _common_fields(
    props: dict, citations: list, level: str, rule: str | None, start: dt.date | None, end: dt.date | None
) -> dict:
    return {
        "props": {k: tuple(v) if isinstance(v, list) else v for k, v in props.items()},
        "citations": frozenset(Citation(*c) for c in citations),
        "certainty": Certainty(CertaintyLevel(level), rule),
        "validity": Validity(start, end),
    }


def _node_row(node: Node) -> tuple:
    return (node.kind.value, node.key, node.name, node.synthetic, *_common_row(node))


def _node_from_row(row: tuple) -> Node:
    kind, key, name, synthetic, *common = row
    return Node(NodeKind(kind), key, name, synthetic=synthetic, **_common_fields(*common))


def _edge_row(edge: Edge) -> tuple:
    return (edge.source, edge.kind.value, edge.target, *_common_row(edge))


def _edge_from_row(row: tuple) -> Edge:
    source, kind, target, *common = row
    return Edge(source, EdgeKind(kind), target, **_common_fields(*common))
