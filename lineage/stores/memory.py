"""The embedded store: a NetworkX multigraph in this process, the default (nothing to install).

It keeps each node's and edge's record on the graph, an index of ids per kind, and counts per edge
kind, and saves to and loads from one snapshot file so a server restarts in well under a second.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gc
import glob
import hashlib
import io
import os
import pickle
import time
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx

from lineage.errors import StoreError
from lineage.merge import merge
from lineage.model import (
    ALWAYS,
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
from lineage.search import SearchIndex
from lineage.store import Bounded, Counts, Hop, Store, WriteResult, _check_bounds, _page, check_lookup, refuse_conflicts

SNAPSHOT_FORMAT = "pupil-data-lineage/snapshot"
#: 3: a header with length and SHA-256 before the data
SNAPSHOT_VERSION = 3
_LENGTH_DIGITS = 16
_NO_DIGEST = "0" * 64
#: Seconds a writer waits for another writer of the same snapshot before it is refused.
LOCK_WAIT = 60.0
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
    ) -> tuple[int, list[str]]:
        return self._search_index().page(needle, limit, offset, kinds)

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

    # ---- snapshot ---------------------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the whole graph to one file, atomically: a failed or killed save leaves the old snapshot in
        place. The file opens with a header giving its format, version, length and SHA-256, so that a load
        can tell a damaged snapshot from a whole one. A failed save removes its temporary file; one a killed
        save left is removed by the next writer (:meth:`writing`)."""
        rows = _SnapshotWriter()
        nodes = [rows.node(data["record"]) for _, data in self.graph.nodes(data=True)]
        edges = [rows.edge(data["record"]) for _, _, data in self.graph.edges(data=True)]
        payload = {**rows.tables(), "nodes": nodes, "edges": edges}
        target = Path(path)
        temporary = target.with_name(f"{_leftover_prefix(target)}{os.getpid()}")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as out:
                out.write(_header(_NO_DIGEST, 0))  # the length and checksum are known at the end
                hashing = _Hashing(out)
                pickle.dump(payload, hashing, protocol=pickle.HIGHEST_PROTOCOL)
                out.seek(0)
                out.write(_header(hashing.sha256.hexdigest(), hashing.length))
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException as exc:
            temporary.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                problem = exc.strerror or str(exc)
                raise StoreError(
                    f"{target}: the snapshot could not be saved ({problem}); any before it is unchanged"
                ) from exc
            raise

    @classmethod
    @contextlib.contextmanager
    def writing(cls, path: str | os.PathLike[str], wait: float = LOCK_WAIT) -> Iterator[MemoryStore]:
        """The store saved at ``path`` (empty where there is none yet), for one writer, saved again when the
        block ends without an error. An OS lock beside the snapshot is held from the read to the atomic
        replace, so two imports into one snapshot never lose each other's work: the second waits up to
        ``wait`` seconds for the first, then is refused, naming the process that holds the lock."""
        target = Path(path)
        with _writer_lock(target, wait):
            for leftover in target.parent.glob(f"{glob.escape(_leftover_prefix(target))}*"):
                leftover.unlink(missing_ok=True)  # only the lock's holder saves: this one's save was killed
            store = cls.load(target) if target.exists() else cls()
            yield store
            store.save(target)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> MemoryStore:
        """Read a snapshot written by :meth:`save`, after checking its header, length and checksum. Any damage
        is one StoreError saying what to do; only plain data and dates are accepted from the file."""
        with _no_gc():  # building ~100k objects that live as long as the store: collecting meanwhile is waste
            return cls._load(Path(path))

    @classmethod
    def _load(cls, path: Path) -> MemoryStore:
        try:
            content = memoryview(path.read_bytes())
        except OSError as exc:
            raise StoreError(f"{path}: cannot be read ({exc.strerror})") from exc
        header = bytes(content[: len(_header(_NO_DIGEST, 0))])
        fields = header.split()
        if len(fields) != 7 or fields[0] != SNAPSHOT_FORMAT.encode() or not header.endswith(b"\n"):
            raise StoreError(
                f"{path}: not a lineage snapshot (or one from before format {SNAPSHOT_VERSION}); {_rebuild(path)}"
            )
        if fields[1] != str(SNAPSHOT_VERSION).encode():
            version = fields[1].decode(errors="replace")
            raise StoreError(f"{path}: snapshot format {version}, this code reads {SNAPSHOT_VERSION}; {_rebuild(path)}")
        body = content[len(header) :]
        if fields[4:6] != [b"bytes", str(len(body)).zfill(_LENGTH_DIGITS).encode()]:
            raise StoreError(
                f"{path}: the snapshot is damaged (not the length its header gives: cut short?); {_rebuild(path)}"
            )
        if fields[2:4] != [b"sha256", hashlib.sha256(body).hexdigest().encode()] or fields[6] != b"end":
            raise StoreError(f"{path}: the snapshot is damaged (its checksum does not match); {_rebuild(path)}")
        try:
            payload = _SnapshotUnpickler(io.BytesIO(body)).load()
            store = cls()
            rows = _SnapshotReader(payload["citations"], payload["shared"])
            store._bulk_add([rows.node(row) for row in payload["nodes"]], [rows.edge(row) for row in payload["edges"]])
        except Exception as exc:  # a whole file that does not read: written by other code, or by a bug
            raise StoreError(
                f"{path}: the snapshot does not read ({type(exc).__name__}: {exc}); {_rebuild(path)}"
            ) from exc
        return store


def _header(sha256: str, length: int) -> bytes:
    """The snapshot's first line, of one width whatever it says (save writes it last, over a placeholder)."""
    fields = [SNAPSHOT_FORMAT, str(SNAPSHOT_VERSION), "sha256", sha256, "bytes"]
    return " ".join([*fields, str(length).zfill(_LENGTH_DIGITS), "end"]).encode() + b"\n"


class _Hashing:
    """A file that pickle writes to, counting and hashing what passes."""

    def __init__(self, out: BinaryIO) -> None:
        self.out, self.sha256, self.length = out, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.length += len(data)
        return self.out.write(data)


def _rebuild(path: Path) -> str:
    """What the error on a damaged or unreadable snapshot tells the operator to do."""
    return f"delete it and build it again (`lineage build --store memory:{path}`)"


def _leftover_prefix(target: Path) -> str:
    """The name a save's temporary file starts with (the saving process's id follows)."""
    return f".{target.name}.saving-"


@contextlib.contextmanager
def _writer_lock(target: Path, wait: float) -> Iterator[None]:
    """Hold an exclusive OS lock on ``<snapshot>.lock``, waiting up to ``wait`` seconds; the holder's process id
    is written in it for the message of whoever waits. The OS releases it if the holder dies."""
    lock = target.with_name(f"{target.name}.lock")
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"{lock}: the snapshot's lock cannot be taken ({exc.strerror or exc})") from exc
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
                    raise StoreError(
                        f"another import is writing to {target} (pid {holder}); waited {wait:g} s for it: "
                        "run this one again when it has finished"
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _SnapshotUnpickler(pickle.Unpickler):
    """Refuses every class but dates, so a snapshot cannot run code when loaded."""

    def find_class(self, module: str, name: str) -> type:
        if (module, name) == ("datetime", "date"):
            return dt.date
        raise pickle.UnpicklingError(f"snapshot refers to {module}.{name}, which a snapshot never holds")


#: A snapshot's rows: a node's (kind, key, name, synthetic, ...) or an edge's (source, kind, target, ...), then
#: (props, citation indexes, shared index); a citation's (document, file, row, address); a shared
#: (certainty level, rule, valid from, valid to).
SnapshotRow = tuple[Any, ...]
CitationRow = tuple[str, str, int | None, str]
SharedRow = tuple[str, str | None, dt.date | None, dt.date | None]


class _SnapshotWriter:
    """Rows for a snapshot: citations, certainties and validities are stored once each and referred to by
    index, because thousands of records share them (every tier-level edge cites the same register row)."""

    def __init__(self) -> None:
        self.citations: dict[Citation, int] = {}
        self.shared: dict[SharedRow, int] = {}  # (certainty level, rule, valid from, valid to) -> index

    def _common(self, record: Node | Edge) -> tuple[dict[str, Scalar], tuple[int, ...], int]:
        cited = tuple(sorted(self.citations.setdefault(c, len(self.citations)) for c in record.citations))
        shared = (
            record.certainty.level.value,
            record.certainty.rule,
            record.validity.valid_from,
            record.validity.valid_to,
        )
        return (dict(record.props), cited, self.shared.setdefault(shared, len(self.shared)))

    def node(self, node: Node) -> SnapshotRow:
        return (node.kind.value, node.key, node.name, node.synthetic, *self._common(node))

    def edge(self, edge: Edge) -> SnapshotRow:
        return (edge.source, edge.kind.value, edge.target, *self._common(edge))

    def tables(self) -> dict[str, list[tuple[Any, ...]]]:
        return {
            "citations": [(c.document, c.file, c.row, c.address) for c in self.citations],
            "shared": list(self.shared),
        }


class _SnapshotReader:
    """Builds each shared value once, and each distinct set of citations once."""

    def __init__(self, citations: list[CitationRow], shared: list[SharedRow]) -> None:
        self.citations = [Citation(*c) for c in citations]
        self.shared = [
            (Certainty(CertaintyLevel(level), rule), ALWAYS if start is None and end is None else Validity(start, end))
            for level, rule, start, end in shared
        ]
        self.cited: dict[tuple[int, ...], frozenset[Citation]] = {}
        self.node_kinds = {kind.value: kind for kind in NodeKind}
        self.edge_kinds = {kind.value: kind for kind in EdgeKind}

    def _cited(self, cited: tuple[int, ...]) -> frozenset[Citation]:
        citations = self.cited.get(cited)
        if citations is None:
            citations = self.cited[cited] = frozenset(self.citations[i] for i in cited)
        return citations

    def node(self, row: SnapshotRow) -> Node:
        kind, key, name, synthetic, props, cited, shared = row
        certainty, validity = self.shared[shared]
        return Node(self.node_kinds[kind], key, name, props, self._cited(cited), certainty, validity, synthetic)

    def edge(self, row: SnapshotRow) -> Edge:
        source, kind, target, props, cited, shared = row
        certainty, validity = self.shared[shared]
        return Edge(source, self.edge_kinds[kind], target, props, self._cited(cited), certainty, validity)
