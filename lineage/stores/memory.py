"""The embedded store: a NetworkX multigraph in this process, the default (nothing to install).

It keeps each node's and edge's record on the graph, an index of ids per kind, and counts per edge
kind, and saves to and loads from one snapshot file (:mod:`lineage.stores.snapshot`) so a server restarts in
well under a second.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from lineage.errors import StoreError
from lineage.hops import Hop
from lineage.merge import merge
from lineage.model import NODE_SPECS, Edge, EdgeKind, Node, NodeKind, Scalar
from lineage.search import SearchIndex
from lineage.store import Bounded, Counts, Store, WriteResult, _check_bounds, _page, check_lookup, refuse_conflicts
from lineage.stores import snapshot

#: Python's cyclic-collector thresholds for a process that holds an embedded store's graph, for whoever starts
#: the process to set (the CLI, the tests). The graph is hundreds of thousands of long-lived objects that the
#: default (700, 10, 10) walked in a full collection every second or two, finding nearly nothing to free; these
#: collect seldom, for the same memory (the real graph's build: 3.6 s of CPU with the default, 2.7 s with these).
GC_THRESHOLDS = (50_000, 50, 100)

#: Neighbours from which a node's edges are grouped by kind for walks (see MemoryStore._edges_of).
BUSY_NODE = 64


#: NetworkX's attribute dict of a node or an edge: here, {"record": the Node or Edge}.
Record = dict[str, Any]
#: node id -> its record; node id -> far node id -> edge kind (the key) -> the edge's record.
Records = dict[str, Record]
Adjacency = dict[str, dict[str, dict[EdgeKind, Record]]]


def _adjacency(graph: nx.MultiDiGraph[str]) -> tuple[Records, Adjacency, Adjacency]:
    """The plain dicts behind NetworkX's views (its node dict, successors, predecessors), which the hottest
    reads and the bulk load use directly. NetworkX documents them as its data structure; its type stubs do not
    declare them, hence the one ignore."""
    return graph._node, graph._succ, graph._pred  # type: ignore[attr-defined]


class MemoryStore(Store):
    name = "memory"

    def __init__(self) -> None:
        self._reset()
        #: The SHA-256 of the snapshot the store was loaded from (see version); None if it was not.
        self._loaded: str | None = None
        self._loaded_from: Path | None = None

    def _reset(self) -> None:
        """Empty: a new graph and every index and cache of it."""
        self.graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        self._records, self._succ, self._pred = _adjacency(self.graph)
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
        # (node id, inward) -> edge kind -> far ids, for busy nodes only, built when a walk first passes
        # through one; emptied by every write
        self._by_kind: dict[tuple[str, bool], dict[EdgeKind, list[str]]] = {}
        self._searching: SearchIndex | None = None  # once a search has asked (lineage.search)

    # ---- writes -----------------------------------------------------------------------------------

    def _apply(self, nodes: Sequence[Node], edges: Sequence[Edge]) -> WriteResult:
        # One process writes this graph (other processes wait on the snapshot's lock, see writing), so the
        # check and the write cannot be separated by another write; after the check nothing can fail half way.
        refuse_conflicts(self, nodes, edges)
        graph = self.graph
        nodes_created = edges_created = 0
        self._by_kind.clear()
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
        if self._searching is not None:
            self._searching.put(node)
        self._ids_by_kind[node.kind].add(node.id)
        self._sorted_ids.clear()
        for (kind, prop), index in self._index.items():
            if kind is node.kind and prop in node.props:
                index[node.props[prop]].add(node.id)

    def _bulk_add(self, nodes: list[Node], edges: list[Edge]) -> None:
        """Fill an empty store at load time. This writes NetworkX's adjacency dicts directly, as
        MultiDiGraph.add_edge lays them out (one key dict shared by _succ and _pred): through the API the
        real graph's load took twice as long."""
        node_data, succ, pred = self._records, self._succ, self._pred
        indexed = defaultdict(list)
        for (kind, prop), index in self._index.items():
            indexed[kind].append((prop, index))
        for node in nodes:
            node_data[node.id] = {"record": node}
            succ[node.id] = {}
            pred[node.id] = {}
            self._ids_by_kind[node.kind].add(node.id)
            self._nodes_by_flag[node.synthetic] += 1
            for prop, index in indexed.get(node.kind, ()):
                if prop in node.props:
                    index[node.props[prop]].add(node.id)
        for edge in edges:
            keys = succ[edge.source].get(edge.target)
            if keys is None:
                keys = succ[edge.source][edge.target] = pred[edge.target][edge.source] = {}
            keys[edge.kind] = {"record": edge}
            self._edges_by_kind[edge.kind] += 1

    @classmethod
    def of(cls, nodes: list[Node], edges: list[Edge]) -> MemoryStore:
        """A store holding these records as they are, unchecked (each edge's ends among ``nodes``, no repeats):
        a part of another store, fetched whole to be walked here (see Store.traverse_each)."""
        store = cls()
        store._bulk_add(nodes, edges)
        return store

    def _unindex(self, node: Node) -> None:
        for (kind, prop), index in self._index.items():
            if kind is node.kind and prop in node.props:
                index[node.props[prop]].discard(node.id)

    def _clear(self) -> None:
        self._reset()

    # ---- reads ------------------------------------------------------------------------------------

    def get_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        node_data = self._records  # the plain dict behind NodeView: this is the hottest read
        return {id_: node_data[id_]["record"] for id_ in ids if id_ in node_data}

    def get_edges(self, keys: Iterable[tuple[str, EdgeKind, str]]) -> dict[str, Edge]:
        edges: dict[str, Edge] = {}
        for source, kind, target in keys:
            data = self._succ.get(source, {}).get(target, {}).get(kind)
            if data is not None:
                edge: Edge = data["record"]
                edges[edge.id] = edge
        return edges

    def existing(self, ids: Iterable[str]) -> set[str]:
        node_data = self._records
        return {id_ for id_ in ids if id_ in node_data}

    def expand(
        self,
        ids: Collection[str],
        outgoing: frozenset[EdgeKind],
        incoming: frozenset[EdgeKind],
        as_of: dt.date | None = None,
    ) -> list[Hop]:
        node_data = self._records
        hops: list[Hop] = []
        sides = [(self._succ, outgoing, False), (self._pred, incoming, True)]
        for id_ in ids:
            for adjacency, kinds, inward in sides:
                neighbours = adjacency.get(id_) if kinds else None
                if not neighbours:
                    continue
                for far, kind, edge in self._edges_of(id_, neighbours, kinds, inward):
                    if inward and far == id_ and kind in outgoing:
                        continue  # a self-loop already seen outgoing
                    node: Node = node_data[far]["record"]
                    if as_of is None or (edge.validity.holds_on(as_of) and node.validity.holds_on(as_of)):
                        hops.append(Hop(id_, edge, node))
        return hops

    def _edges_of(
        self, id_: str, neighbours: dict[str, dict[EdgeKind, Record]], kinds: frozenset[EdgeKind], inward: bool
    ) -> Iterator[tuple[str, EdgeKind, Edge]]:
        """The node's edges of these kinds on one side. A busy node (a release including thousands of items
        is sent to one organisation) has its edges grouped by kind the first time a walk passes through, so
        a walk looking for one kind does not step over every edge of the others again."""
        if len(neighbours) < BUSY_NODE:
            for far, by_kind in neighbours.items():
                for kind, data in by_kind.items():
                    if kind in kinds:
                        yield far, kind, data["record"]
            return
        grouped = self._by_kind.get((id_, inward))
        if grouped is None:
            grouped = defaultdict(list)
            for far, by_kind in neighbours.items():
                for kind in by_kind:
                    grouped[kind].append(far)
            self._by_kind[(id_, inward)] = grouped = dict(grouped)
        for kind in kinds:
            for far in grouped.get(kind, ()):
                yield far, kind, neighbours[far][kind]["record"]

    def list_nodes(self, kind: NodeKind | None = None, limit: int = 100, offset: int = 0) -> Bounded[Node]:
        _check_bounds(limit=limit, offset=offset)
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

    def _search_page(
        self, needle: str, kinds: Collection[NodeKind] | None, limit: int, offset: int
    ) -> tuple[int, tuple[Node, ...]]:
        total, ids = self._search_index().page(needle, limit, offset, kinds)
        nodes = self.get_nodes(ids)
        return total, tuple(nodes[id_] for id_ in ids)

    def prepare(self) -> None:
        self._search_index()

    def _search_index(self) -> SearchIndex:
        """Made on the first search, and kept up to date by writes after it."""
        if self._searching is None:
            self._searching = SearchIndex(data["record"] for data in self._records.values())
        return self._searching

    def counts(self) -> Counts:
        return Counts(
            {kind.value: len(ids) for kind, ids in sorted(self._ids_by_kind.items()) if ids},
            {kind.value: n for kind, n in sorted(self._edges_by_kind.items()) if n},
        )

    def holds_synthetic(self, synthetic: bool) -> bool:
        return self._nodes_by_flag[synthetic] > 0

    def version(self) -> Hashable:
        """The snapshot it was loaded from (its SHA-256), with this process's writes since: a count of writes
        alone was 0 in every server whatever its snapshot, so one restarted on a new snapshot gave its old
        answers' ETags to new answers, and a browser kept the old answer."""
        return self._loaded, self._changes

    # ---- snapshot (the file itself: lineage.stores.snapshot) ------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the whole graph to one snapshot file, atomically: a failed or killed save leaves the old snapshot
        in place (:func:`lineage.stores.snapshot.save`)."""
        nodes = (data["record"] for data in self._records.values())
        edges = (data["record"] for _, _, data in self.graph.edges(data=True))
        snapshot.save(Path(path), nodes, edges)

    @classmethod
    @contextlib.contextmanager
    def writing(
        cls, path: str | os.PathLike[str], wait: float = snapshot.LOCK_WAIT, by: str = "another writer"
    ) -> Iterator[MemoryStore]:
        """The store saved at ``path`` (empty where there is none yet), for one writer, saved again when the
        block ends without an error. An OS lock beside the snapshot is held from the read to the atomic
        replace, so two imports into one snapshot never lose each other's work: the second waits up to
        ``wait`` seconds for the first, then is refused, naming the process that holds the lock and what it is
        (``by``: "lineage build"). A path through a
        symbolic link is the snapshot it links to: its lock, its save (the link had been replaced by a file, and a
        writer through it had taken a lock of its own beside the link while another held the snapshot's)."""
        try:
            target = Path(path).resolve()
        except (RuntimeError, OSError) as exc:  # a loop of links ("Symlink loop") had been a traceback
            raise StoreError(f"{path}: cannot be followed to a snapshot: {exc}") from None
        snapshot.refuse_no_place_to_save(Path(path), target)
        with snapshot.writer_lock(target, wait, by):
            store = cls.load(target) if target.exists() else cls()
            yield store
            store.save(target)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> MemoryStore:
        """Read a snapshot written by :meth:`save`, after checking it whole; any damage is one StoreError saying
        what to do (:func:`lineage.stores.snapshot.load`)."""
        store = cls()
        store._loaded = snapshot.load(Path(path), store._bulk_add)
        store._loaded_from = Path(path)
        return store

    def superseded(self) -> bool:
        """Whether the snapshot it was loaded from now holds another graph (a build or import saved since): this
        store answers from the one it loaded, so a server on it must be restarted to answer from the new one."""
        if self._loaded_from is None:
            return False
        return snapshot.digest_of(self._loaded_from) not in (self._loaded, None)
