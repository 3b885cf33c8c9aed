"""What an export holds: the whole graph, or one node's lineage within some hops both ways, with every edge among
its nodes, what lies just beyond, and the exclusions sources state for its releases."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from lineage.errors import NotFound
from lineage.model import Edge, EdgeKind, Node, NodeKind, outranked
from lineage.questions.statements import exclusions, outranked_meanings, statements_about
from lineage.store import MAX_DEPTH, MAX_VISITED, Direction, QueryError, Store, edge_sides

DEFAULT_DEPTH = 2
#: Node ids per batched expansion of the whole graph (one Neo4j query each).
_EXPAND_BATCH = 5000


@dataclass(frozen=True, slots=True)
class Subgraph:
    """What an export holds. ``start`` is None for the whole graph. ``beyond`` counts the nodes one hop past
    ``depth`` (not exported); ``cut`` is True when the safety bound stopped the walk before ``depth``."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    start: Node | None = None
    depth: int | None = None
    beyond: int = 0
    cut: bool = False
    #: (release id, item id, the statement) for each item of the subgraph a source's statement excludes from a
    #: release of it: the tier rule's inclusion of it is outranked (see lineage.questions.statements)
    exclusions: tuple[tuple[str, str, Node], ...] = ()
    #: (link id, the ids of the statements outranking it) for each link by which a statement about a release of the
    #: subgraph says an item went that another statement about it excludes (statements.outranked_meanings)
    outranked_meanings: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: the ids of the statements about its releases that another cited source disagrees with (the Telegraph's 2013
    #: release: DfE's written answer and the accounts of its FOI letter), so what they are said to leave out says so
    contested_statements: frozenset[str] = frozenset()

    def outranked_links(self) -> dict[str, tuple[str, ...]]:
        """Each link a source's exclusion outranks (a release's INCLUDES by a rule, of an item a source says it left
        out; a secondary account's words reaching such an item), by id, with the ids of the statements that outrank
        it: what every format says beside the link, so that no one reads an outranked inclusion as a receipt (the
        claims ledger's outranked_by)."""
        stated: dict[tuple[str, str], set[str]] = {}
        excluded: dict[str, set[str]] = {}  # release -> the items statements exclude from it
        for release, item, statement in self.exclusions:
            stated.setdefault((release, item), set()).add(statement.id)
            excluded.setdefault(release, set()).add(item)
        meanings = dict(self.outranked_meanings)
        return {
            edge.id: tuple(sorted(stated[(edge.source, edge.target)])) if edge.id not in meanings else meanings[edge.id]
            for edge in self.edges
            if edge.id in meanings
            or (edge.kind is EdgeKind.INCLUDES and outranked(edge, excluded.get(edge.source, ())))
        }

    def contested(self, statements: Iterable[str]) -> tuple[str, ...]:
        """Those of ``statements`` another cited source disagrees with: what every format says beside an outranked
        link or a left-out item, so that no one quotes as settled a statement the record holds as disputed."""
        return tuple(s for s in statements if s in self.contested_statements)

    def describe(self) -> str:
        """One line that says what the export holds and whether anything was left out."""
        size = f"{len(self.nodes)} nodes and {len(self.edges)} edges"
        if self.start is None:
            return f"the whole graph: {size}"
        text = f"the lineage of {self.start.id} within {self.depth} hops, both directions: {size}"
        if self.cut:
            return f"{text}; CUT: the walk stopped at the bound of {MAX_VISITED} nodes before {self.depth} hops"
        if self.beyond:
            return f"{text}; {self.beyond} more nodes lie one hop further, not exported"
        return f"{text}; nothing lies beyond"


def collect(store: Store, node_id: str | None = None, depth: int | None = None) -> Subgraph:
    """The whole graph, or the lineage of ``node_id`` within ``depth`` hops (both directions), with the
    exclusions sources state for its releases."""
    if node_id is None:
        if depth is not None:
            raise QueryError("a depth bounds one node's lineage: give the node as well")
        found = _whole(store)
    else:
        depth = DEFAULT_DEPTH if depth is None else depth
        if not 1 <= depth <= MAX_DEPTH:
            raise QueryError(f"depth must be between 1 and {MAX_DEPTH}, got {depth}")
        found = _lineage(store, node_id, depth)
    return _with_exclusions(store, found)


def _with_exclusions(store: Store, subgraph: Subgraph) -> Subgraph:
    """The subgraph with what the statements about its releases exclude, and the secondary accounts' words that
    give way to it."""
    releases = [node for node in subgraph.nodes if node.kind is NodeKind.RELEASE]
    if not releases:
        return subgraph
    held = {node.id for node in subgraph.nodes}
    stated = statements_about(store, releases)
    nodes = {node.id: node for node in subgraph.nodes}
    included: dict[str, list[Node]] = {}
    for edge in subgraph.edges:
        if edge.kind is EdgeKind.INCLUDES and edge.target in nodes:
            included.setdefault(edge.source, []).append(nodes[edge.target])
    excluded = tuple(
        (release.id, item.id, statement)
        for release in releases
        for item, statement in exclusions(stated.get(release.id, []), included.get(release.id, []))
        if item.id in held
    )
    meanings = {link: by for release in releases for link, by in outranked_meanings(stated.get(release.id, ())).items()}
    contested = frozenset(s.statement.id for said in stated.values() for s in said if s.contested)
    outranking = tuple(sorted(meanings.items()))
    return replace(subgraph, exclusions=excluded, outranked_meanings=outranking, contested_statements=contested)


def _whole(store: Store) -> Subgraph:
    nodes = [node for kind in NodeKind for node in store.all_nodes(kind)]
    ids = [node.id for node in nodes]
    every_kind = frozenset(EdgeKind)
    edges = [
        hop.edge
        for start in range(0, len(ids), _EXPAND_BATCH)
        for hop in store.expand(ids[start : start + _EXPAND_BATCH], every_kind, frozenset())
    ]
    return Subgraph(_by_id(nodes), _by_id(edges))


def _lineage(store: Store, start_id: str, depth: int) -> Subgraph:
    """Breadth first, level by level; one level past ``depth`` is walked too, for the edges among the nodes at
    ``depth`` hops and to count what lies beyond. Then the records of what it holds, at once."""
    levels = store.walk([start_id], edge_sides(Direction.BOTH), depth + 1, cap=MAX_VISITED)
    held = {start_id}
    beyond: set[str] = set()
    keys: set[tuple[str, EdgeKind, str]] = set()
    for level, links in enumerate(levels.links):
        for link in links:
            if link.far not in held:
                if level == depth:
                    beyond.add(link.far)
                    continue
                held.add(link.far)
            keys.add(link.key)
    nodes, edges = store.records(held, keys)
    start = nodes.get(start_id)
    if start is None:
        raise NotFound(f"no node has the id {start_id!r}")
    return Subgraph(_by_id(nodes.values()), _by_id(edges.values()), start, depth, len(beyond), levels.cut)


def _by_id(records: Iterable[Node] | Iterable[Edge]) -> tuple[Any, ...]:
    return tuple(sorted(records, key=lambda record: record.id))
