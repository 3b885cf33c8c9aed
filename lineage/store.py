"""The store contract, and the lineage reads built once on top of it.

A store implements a handful of small primitives (write a validated batch atomically, fetch nodes and
edges, expand a frontier by one hop, with records or by ids alone, count). Traversal, paths and neighbours
are written once here on top of those primitives (their algorithms in lineage.walks), with two reads a store
that pays per round trip answers in one query: a whole breadth-first walk (walk) and a chain of dependent
batched hops (chain). So the embedded store
and Neo4j give the same answers by construction and the conformance suite checks the primitives under them.
The module is long because the contract, its answers' types and the reads written on it are one thing to
read: a store's author reads it whole.

Every bounded answer says whether it was cut and gives the total: a cut answer is never silent.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from lineage.errors import QueryError as QueryError  # the store contract's refusal, defined with the others
from lineage.errors import RefusedText as RefusedText
from lineage.errors import StoreError
from lineage.hops import NO_GATE, Gate, Sides
from lineage.hops import Hop as Hop
from lineage.hops import Levels as Levels
from lineage.hops import Link as Link
from lineage.hops import Path as Path
from lineage.hops import Step as Step
from lineage.merge import merge
from lineage.model import EDGE_SPECS, PASSED_ON_BY, Edge, EdgeKind, Flow, Node, NodeKind, Scalar, node_props
from lineage.model import RunStatus as RunStatus  # what unfinished_imports reads, defined with the model
from lineage.search import fold
from lineage.walks import count_shortest_paths, distances_to, enumerate_paths, frontier_walk, shortest_paths

T = TypeVar("T")

MAX_DEPTH = 10
MAX_LIMIT = 1000
#: A traversal stops expanding once it has seen this many nodes, and says its total is a lower bound.
MAX_VISITED = 200_000
MAX_SEARCH_TEXT = 200
#: No answer is longer than a 32-bit count: an offset past it is refused, never handed to a store to overflow.
MAX_OFFSET = 2**31 - 1


def check_lookup(kind: NodeKind, prop: str) -> None:
    """Refuse a lookup by a property the kind does not have: the name goes into Neo4j's query text."""
    if prop not in {p.name for p in node_props(kind)}:
        raise QueryError(f"{kind} has no property {prop!r}")


def check_text(text: str, what: str) -> None:
    """Refuse a string that is not valid Unicode (a lone surrogate, which JSON can carry): Neo4j's driver
    cannot send it, so the embedded store must not answer it either."""
    problem = not_unicode(text)
    if problem:
        raise QueryError(f"{what} {problem}")


def not_unicode(text: str) -> str | None:
    """Why ``text`` is not valid Unicode (where it holds a lone surrogate), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"is not valid Unicode: a lone surrogate at character {exc.start}"
    return None


def refuse_unsearchable(text: str) -> None:
    """Refuse, as :class:`RefusedText`, a text no search takes: not valid Unicode, or too long. Before a name is
    read (normalised, folded), so that no reading of it runs over a text of any length."""
    problem = not_unicode(text)
    if problem is None and len(text) > MAX_SEARCH_TEXT:
        problem = f"is longer than {MAX_SEARCH_TEXT} characters"
    if problem:
        raise RefusedText(text, problem)


def check_search(text: str, limit: int, offset: int) -> str:
    """The folded query (see lineage.search), refusing one that is not valid Unicode, too long, out of bounds or
    with no letter or digit; a refused text as :class:`RefusedText`, which its asker may name as it knows it."""
    refuse_unsearchable(text)
    _check_bounds(limit=limit, offset=offset)
    needle = fold(text)
    if not needle:
        raise RefusedText(text, "must hold a letter or a digit")
    return needle


class Direction(StrEnum):
    DOWNSTREAM = "downstream"  # along edges, source to target
    UPSTREAM = "upstream"  # against edges, target to source
    BOTH = "both"


def edge_sides(direction: Direction, edge_kinds: Collection[EdgeKind] | None = None) -> Sides:
    """The edge kinds to follow outward and inward for a walk in ``direction``.

    Downstream follows the data: forward and context edges from source to target, backward edges
    (a release INCLUDES an item) from target to source. Upstream is the exact reverse; both follows all.
    """
    kinds = frozenset(EdgeKind if edge_kinds is None else edge_kinds)
    along = frozenset(kind for kind in kinds if EDGE_SPECS[kind].flow is not Flow.BACKWARD)
    against = kinds - along
    if direction is Direction.DOWNSTREAM:
        return along, against
    if direction is Direction.UPSTREAM:
        return against, along
    return kinds, kinds


def walk_gate(direction: Direction) -> Gate:
    """Where a walk in ``direction`` stops (lineage.hops.Gate): following the data, it goes through an
    organisation only by what it shared onward (model.PASSED_ON_BY); a walk both ways has no gate."""
    if direction is Direction.DOWNSTREAM:
        return Gate(leave=PASSED_ON_BY)
    if direction is Direction.UPSTREAM:
        return Gate(go_on=PASSED_ON_BY)
    return NO_GATE


@dataclass(frozen=True, slots=True)
class Bounded(Generic[T]):
    """A page of an answer. ``total`` counts the whole answer; ``total_exact`` is False when a safety bound
    stopped the count itself, and ``total`` is then a lower bound."""

    items: tuple[T, ...]
    total: int
    offset: int = 0
    total_exact: bool = True

    @property
    def truncated(self) -> bool:
        return self.offset + len(self.items) < self.total or not self.total_exact


@dataclass(frozen=True, slots=True)
class Reached:
    """A node reached by a traversal, at ``degree`` hops, with its shortest paths (up to a bound)."""

    node: Node
    degree: int
    paths: tuple[Path, ...]
    path_count: int


@dataclass(frozen=True, slots=True)
class Traversal:
    """The answer to a traversal. ``start`` is None when the start id is unknown: unknown is not empty."""

    start: Node | None
    reached: Bounded[Reached]


@dataclass(frozen=True, slots=True)
class Paths:
    source: Node | None
    target: Node | None
    paths: Bounded[Path]


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    start: Node | None
    hops: Bounded[Hop]


@dataclass(frozen=True, slots=True)
class Counts:
    nodes: dict[str, int] = field(default_factory=dict)
    edges: dict[str, int] = field(default_factory=dict)

    @property
    def total_nodes(self) -> int:
        return sum(self.nodes.values())

    @property
    def total_edges(self) -> int:
        return sum(self.edges.values())


@dataclass(frozen=True, slots=True)
class WriteResult:
    nodes_created: int
    edges_created: int


def _check_bounds(depth: int | None = None, limit: int | None = None, offset: int = 0) -> None:
    if depth is not None and not 1 <= depth <= MAX_DEPTH:
        raise QueryError(f"depth must be between 1 and {MAX_DEPTH}, got {depth}")
    if limit is not None and not 0 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 0 and {MAX_LIMIT}, got {limit}")
    if not 0 <= offset <= MAX_OFFSET:
        raise QueryError(f"offset must be between 0 and {MAX_OFFSET}, got {offset}")


def check_chain(steps: Sequence[Step]) -> None:
    """Refuse a chain whose step starts from itself or from a step after it: each starts from earlier ends."""
    for place, step in enumerate(steps, 1):
        if not step.after or not all(0 <= earlier < place for earlier in step.after):
            raise QueryError(f"step {place} of a chain must start from earlier steps (0 to {place - 1}): {step.after}")


def _page(items: Sequence[T], limit: int, offset: int, total_exact: bool = True) -> Bounded[T]:
    return Bounded(tuple(items[offset : offset + limit]), len(items), offset, total_exact)


class Store(ABC):
    """A lineage graph store. Subclasses implement the primitives; the reads below are shared."""

    name: str = "store"
    #: This process's writes and clears (see version)
    _changes: int = 0

    # ---- primitives -------------------------------------------------------------------------------

    @abstractmethod
    def _apply(self, nodes: Sequence[Node], edges: Sequence[Edge]) -> WriteResult:
        """Check an already validated batch against what the store holds (:func:`refuse_conflicts`) and write
        it, atomically: all of it, or nothing, with no other writer's write between the check and the write
        (two imports started together must neither mix real and synthetic data nor lose one another's work).

        Upsert semantics, the same in every store: a node or edge is matched by its id; properties
        merge (new values win, absent ones stay); citations accumulate; name, certainty and validity
        are replaced.
        """

    @abstractmethod
    def get_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        """The nodes that exist among ``ids``, by id (unknown ids are simply absent)."""

    @abstractmethod
    def existing(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are in the store (cheaper than fetching them: a write checks its edge ends)."""

    @abstractmethod
    def expand(
        self,
        ids: Collection[str],
        outgoing: frozenset[EdgeKind],
        incoming: frozenset[EdgeKind],
        as_of: dt.date | None = None,
    ) -> list[Hop]:
        """Every edge of a kind in ``outgoing`` leaving ``ids`` and of a kind in ``incoming`` arriving at them,
        valid on ``as_of`` together with its far node, as hops. A self-loop that both sides would report
        is reported once (as outgoing)."""

    def links(
        self,
        ids: Collection[str],
        outgoing: frozenset[EdgeKind],
        incoming: frozenset[EdgeKind],
        as_of: dt.date | None = None,
    ) -> list[Link]:
        """The hops :meth:`expand` gives, by ids alone. A store that pays to send records (Neo4j) sends ids."""
        return [
            Link(hop.near, hop.edge.source, hop.edge.kind, hop.edge.target, hop.node.kind)
            for hop in self.expand(ids, outgoing, incoming, as_of)
        ]

    def walk(
        self,
        ids: Collection[str],
        sides: Sides,
        depth: int,
        as_of: dt.date | None = None,
        cap: int = MAX_VISITED,
        gate: Gate = NO_GATE,
    ) -> Levels:
        """A breadth-first walk from ``ids`` by ids alone (lineage.walks.frontier_walk over :meth:`links`): the
        links of each of ``depth`` levels, as far as ``gate`` lets it go, and whether it stopped at ``cap`` nodes
        seen. A store that pays per round trip (Neo4j) walks every level in one query."""
        return frontier_walk(ids, lambda frontier: self.links(frontier, *sides, as_of), depth, cap, gate)

    def chain(self, ids: Collection[str], steps: Sequence[Step], as_of: dt.date | None = None) -> list[list[Hop]]:
        """The hops of each step of a chain of dependent batched hops (see Step), in order: each step starts from
        the far ends of the steps it names. A store that pays per round trip (Neo4j) answers the chain in one
        query."""
        check_chain(steps)
        ends: list[set[str]] = [set(ids)]
        found: list[list[Hop]] = []
        for step in steps:
            frontier = set().union(*(ends[place] for place in step.after))
            hops = self.expand(frontier, step.outgoing, step.incoming, as_of) if frontier else []
            found.append(hops)
            ends.append({hop.node.id for hop in hops})
        return found

    @abstractmethod
    def get_edges(self, keys: Iterable[tuple[str, EdgeKind, str]]) -> dict[str, Edge]:
        """The edges that exist among ``keys`` (source, kind, target), by edge id."""

    def records(
        self, ids: Iterable[str], keys: Iterable[tuple[str, EdgeKind, str]]
    ) -> tuple[dict[str, Node], dict[str, Edge]]:
        """:meth:`get_nodes` and :meth:`get_edges` at once: a store that pays per round trip (Neo4j) asks once."""
        return self.get_nodes(ids), self.get_edges(keys)

    @abstractmethod
    def list_nodes(self, kind: NodeKind | None = None, limit: int = 100, offset: int = 0) -> Bounded[Node]:
        """Nodes (of one kind), ordered by id."""

    @abstractmethod
    def find_nodes(self, kind: NodeKind, prop: str, values: Collection[Scalar]) -> list[Node]:
        """Nodes of ``kind`` whose property ``prop`` (one of the kind's model properties) equals one of
        ``values``, ordered by id. For the natural lookups: an item by alias, a release by reference."""

    @abstractmethod
    def _search_page(
        self, needle: str, kinds: Collection[NodeKind] | None, limit: int, offset: int
    ) -> tuple[int, tuple[Node, ...]]:
        """How many nodes (of these kinds) have a search text (lineage.search) holding the folded ``needle``, and
        one page of them ranked as lineage.search.rank says, then by kind and id."""

    @abstractmethod
    def counts(self) -> Counts:
        """Nodes per kind and edges per kind, without fetching them."""

    @abstractmethod
    def holds_synthetic(self, synthetic: bool) -> bool:
        """Whether any node with this synthetic flag is in the store."""

    @abstractmethod
    def _clear(self) -> None:
        """Delete everything; a clear stopped part-way leaves what is left under import runs that say they did
        not finish (unfinished_imports), never one that says finished."""

    def version(self) -> Hashable:
        """What the graph's present state is known by: it changes with every write or clear, so answers
        derived from the whole graph and kept (lineage.questions) know when they are stale. By default this
        process's changes; a database shared by several processes (Neo4j) counts all of theirs."""
        return self._changes

    def superseded(self) -> bool:
        """Whether what this store answers from has been replaced since it was opened, unseen: a snapshot rebuilt
        beside a server that loaded the old one. False where every write is seen (a database)."""
        return False

    def clear(self) -> None:
        """Delete everything (tests and rebuilds)."""
        self._clear()
        self._changes += 1

    def close(self) -> None:  # noqa: B027 - optional hook: most stores hold nothing to release
        """Release connections."""

    def prepare(self) -> None:  # noqa: B027 - optional hook: a database keeps its own indexes
        """Build what the store keeps in this process for reads (the embedded store's search index), so that
        the first reader need not wait: a server calls it as it starts."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writes -----------------------------------------------------------------------------------

    def write(self, nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> WriteResult:
        """Validate a batch against the model and the store, then write it whole, or raise and write nothing.

        Refused: a node or edge that breaks the model; an edge whose end is neither in the batch nor in
        the store; real and synthetic nodes together (synthetic data never shares a graph with real data).
        """
        result = self._apply(*_validated(nodes, edges))
        self._changes += 1
        return result

    def check(self, nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> None:
        """Make every refusal :meth:`write` would make, and write nothing: a dry run refuses what a run would."""
        refuse_conflicts(self, *_validated(nodes, edges))

    # ---- shared reads -----------------------------------------------------------------------------

    def get_node(self, id_: str) -> Node | None:
        check_text(id_, "id")
        return self.get_nodes([id_]).get(id_)

    def search(
        self,
        text: str,
        kinds: Collection[NodeKind] | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> Bounded[Node]:
        """Nodes found by ``text`` in their name, key or searched properties (see lineage.search), ignoring
        case, accents and punctuation; closest matches first (a whole field, whole words, part of a word),
        then by id. A refused ``text`` is refused as :class:`RefusedText` (see check_search)."""
        needle = check_search(text, limit, offset)
        total, page = self._search_page(needle, kinds, limit, offset)
        return Bounded(page, total, offset)

    def all_nodes(self, kind: NodeKind) -> list[Node]:
        """Every node of ``kind``, read page by page, for the questions and exports that need the whole set."""
        nodes: list[Node] = []
        while True:
            page = self.list_nodes(kind, limit=1000, offset=len(nodes))
            nodes += page.items
            if not page.items or len(nodes) >= page.total:
                return nodes

    def neighbours(
        self,
        id_: str,
        direction: Direction = Direction.BOTH,
        *,
        edge_kinds: Collection[EdgeKind] | None = None,
        node_kinds: Collection[NodeKind] | None = None,
        as_of: dt.date | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> Neighbourhood:
        """The edges at ``id_`` with their far nodes, ordered by far node then edge."""
        _check_bounds(limit=limit, offset=offset)
        start = self.get_node(id_)
        if start is None:
            return Neighbourhood(None, Bounded((), 0))
        hops = [
            hop
            for hop in self.expand([id_], *edge_sides(direction, edge_kinds), as_of)
            if node_kinds is None or hop.node.kind in node_kinds
        ]
        hops.sort(key=lambda hop: (hop.node.id, hop.edge.id))
        return Neighbourhood(start, _page(hops, limit, offset))

    def traverse(
        self,
        start_id: str,
        direction: Direction = Direction.DOWNSTREAM,
        *,
        max_depth: int = 3,
        edge_kinds: Collection[EdgeKind] | None = None,
        node_kinds: Collection[NodeKind] | None = None,
        as_of: dt.date | None = None,
        limit: int = 100,
        offset: int = 0,
        max_paths: int = 3,
    ) -> Traversal:
        """Nodes reachable from ``start_id`` within ``max_depth`` hops, breadth first, going through an
        organisation, downstream or upstream, only where it shared onward (walk_gate).

        ``edge_kinds`` limits which edges are followed; ``node_kinds`` limits which reached nodes are
        returned (the walk still passes through others, as a data set reaches organisations through
        releases). Results are ordered by degree, then kind, then id; each carries up to ``max_paths`` of
        its shortest paths and how many shortest paths there are. ``limit=0`` counts without results.
        """
        _check_bounds(max_depth, limit, offset)
        check_text(start_id, "id")
        # The start's record comes with the page's (one round trip fewer); an unknown start has no links.
        gate = walk_gate(direction)
        degree: dict[str, int] = {start_id: 0}
        parents: dict[str, list[Link]] = defaultdict(list)
        onward: dict[str, int] = {start_id: 0}  # the level at which the walk went on from each node
        through: dict[str, list[Link]] = defaultdict(list)
        kinds: dict[str, NodeKind] = {}
        levels = self.walk([start_id], edge_sides(direction, edge_kinds), max_depth, as_of, gate=gate)
        for depth, links in enumerate(levels.links, 1):
            for link in links:
                if link.far not in degree:
                    kinds[link.far] = link.far_kind
                _first_reached(degree, parents, link, depth)
                if gate.goes_on(link):
                    _first_reached(onward, through, link, depth)
        exact = not levels.cut
        wanted = [id_ for id_, kind in kinds.items() if node_kinds is None or kind in node_kinds]
        wanted.sort(key=lambda id_: (degree[id_], kinds[id_].value, id_))
        page = _page(wanted, limit, offset, exact)
        counts = count_shortest_paths(start_id, parents, through)
        shortest = {id_: shortest_paths(id_, start_id, parents, max_paths, through) for id_ in page.items}
        on_paths = {link.key for paths in shortest.values() for p in paths for link in p}
        nodes, edges = self.records([start_id, *page.items], on_paths)
        start = nodes.get(start_id)
        if start is None:
            return Traversal(None, Bounded((), 0))
        reached = tuple(
            Reached(
                nodes[id_],
                degree[id_],
                tuple(tuple(edges[link.edge_id] for link in p) for p in shortest[id_]),
                counts[id_],
            )
            for id_ in page.items
        )
        return Traversal(start, Bounded(reached, page.total, offset, exact))

    def traverse_each(
        self,
        start_id: str,
        directions: Sequence[Direction],
        *,
        max_depth: int = 3,
        edge_kinds: Collection[EdgeKind] | None = None,
        node_kinds: Collection[NodeKind] | None = None,
        as_of: dt.date | None = None,
        limit: int = 100,
        offset: int = 0,
        max_paths: int = 3,
    ) -> list[Traversal]:
        """:meth:`traverse` from one start in each of ``directions``, the same answers, for a walk whose whole
        reach is small: a school's chain of URNs, hop by hop through GIAS links. A store that pays per round
        trip (Neo4j) fetches that reach in one query, however many hops and directions, and walks it here."""
        return [
            self.traverse(
                start_id,
                direction,
                max_depth=max_depth,
                edge_kinds=edge_kinds,
                node_kinds=node_kinds,
                as_of=as_of,
                limit=limit,
                offset=offset,
                max_paths=max_paths,
            )
            for direction in directions
        ]

    def paths(
        self,
        source_id: str,
        target_id: str,
        *,
        max_depth: int = 4,
        direction: Direction = Direction.DOWNSTREAM,
        edge_kinds: Collection[EdgeKind] | None = None,
        as_of: dt.date | None = None,
        limit: int = 10,
    ) -> Paths:
        """Simple paths from source to target of at most ``max_depth`` edges, shortest first, then by the
        ids of their edges, through an organisation only where it shared onward (as traverse goes); every
        edge on them carries its citations."""
        _check_bounds(max_depth, limit)
        check_text(source_id, "source id")
        check_text(target_id, "target id")
        gate = walk_gate(direction)
        levels = self.walk([source_id], edge_sides(direction, edge_kinds), max_depth, as_of, gate=gate)
        adjacency: dict[str, list[Link]] = defaultdict(list)
        for links in levels.links:
            for link in links:
                adjacency[link.near].append(link)
        found: list[tuple[Link, ...]] = []
        to_target = distances_to(target_id, adjacency)
        exact = enumerate_paths(source_id, target_id, max_depth, adjacency, to_target, found, gate)
        found.sort(key=lambda path: (len(path), [link.edge_id for link in path]))
        page = _page(found, limit, 0, exact and not levels.cut)
        nodes, edges = self.records([source_id, target_id], {link.key for path in page.items for link in path})
        source, target = nodes.get(source_id), nodes.get(target_id)
        if source is None or target is None:
            return Paths(source, target, Bounded((), 0))
        paths = tuple(tuple(edges[link.edge_id] for link in path) for path in page.items)
        return Paths(source, target, Bounded(paths, page.total, 0, page.total_exact))


def _first_reached(depths: dict[str, int], parents: dict[str, list[Link]], link: Link, depth: int) -> None:
    """Keep ``link`` among its far end's parents if ``depth`` is the first level at which it was reached."""
    if depths.setdefault(link.far, depth) == depth:
        parents[link.far].append(link)


class Holdings(Protocol):
    """What the write checks ask of a store: a Store itself, or a view of Neo4j's open write transaction."""

    def holds_synthetic(self, synthetic: bool) -> bool: ...

    def existing(self, ids: Iterable[str]) -> set[str]: ...


def _validated(nodes: Iterable[Node], edges: Iterable[Edge]) -> tuple[list[Node], list[Edge]]:
    """A batch folded and checked against the model and itself (what needs no store): the nodes and edges to write."""
    nodes, edges = _deduplicate(nodes, edges)
    for node in nodes:
        node.validate()
    for edge in edges:
        edge.validate()
    if len({node.synthetic for node in nodes}) > 1:
        raise StoreError("a batch mixes synthetic and real nodes; synthetic data never shares a graph with real")
    return nodes, edges


def refuse_conflicts(holdings: Holdings, nodes: Sequence[Node], edges: Sequence[Edge]) -> None:
    """Refuse a validated batch that what the store holds forbids: nodes of the other kind of data than the
    store's (synthetic or real), and an edge whose end is neither in the batch nor in the store."""
    if nodes and holdings.holds_synthetic(not nodes[0].synthetic):
        kind = "real" if nodes[0].synthetic else "synthetic"
        raise StoreError(f"the store already holds {kind} data; synthetic and real data never share a graph")
    in_batch = {node.id for node in nodes}
    ends = {end for edge in edges for end in (edge.source, edge.target)} - in_batch
    missing = ends - holdings.existing(ends) if ends else set()
    if missing:
        example = next(e for e in edges if e.source in missing or e.target in missing)
        raise StoreError(f"{len(missing)} edge end(s) exist neither in the batch nor in the store, e.g. {example.id}")


def unfinished_imports(store: Store) -> list[Node]:
    """The import runs that started and did not finish (interrupted, killed, or still running), or whose data a
    clear stopped part-way was deleting, by id: what they wrote may be missing or partial until they are run
    again."""
    unfinished = [RunStatus.STARTED.value, RunStatus.INTERRUPTED.value]
    return store.find_nodes(NodeKind.IMPORT_RUN, "status", unfinished)


def _deduplicate(nodes: Iterable[Node], edges: Iterable[Edge]) -> tuple[list[Node], list[Edge]]:
    """Fold repeats within one batch the way the stores fold repeats across batches."""
    by_node: dict[str, Node] = {}
    for node in nodes:
        by_node[node.id] = merge(by_node.get(node.id), node)
    by_edge: dict[str, Edge] = {}
    for edge in edges:
        by_edge[edge.id] = merge(by_edge.get(edge.id), edge)
    return list(by_node.values()), list(by_edge.values())
