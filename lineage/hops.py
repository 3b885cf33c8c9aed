"""What a walk over the graph is made of, below the store contract (lineage.store) and the walks on it
(lineage.walks), so that both import it and neither imports the other: a hop with its records, a hop by ids
alone, a path, one batched step of a chain of dependent hops, where a walk stops, and what a breadth-first walk
found.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from lineage.model import Edge, EdgeKind, Node, NodeKind, kind_of

Path = tuple[Edge, ...]
#: The edge kinds a walk follows out of a node and into it (lineage.store.edge_sides).
Sides = tuple[frozenset[EdgeKind], frozenset[EdgeKind]]


@dataclass(frozen=True, slots=True)
class Hop:
    """One edge seen from one of its ends: ``near`` is where the walk stands, ``node`` the far end."""

    near: str
    edge: Edge
    node: Node


class Link(NamedTuple):
    """A hop by ids alone (the edge's ends and kind, the far node's kind): what a walk needs to find its way,
    without the records, which it fetches only for the nodes and edges its answer shows."""

    near: str
    source: str
    kind: EdgeKind
    target: str
    far_kind: NodeKind

    @property
    def far(self) -> str:
        return self.target if self.source == self.near else self.source

    @property
    def edge_id(self) -> str:
        return Edge.id_of(self.source, self.kind, self.target)

    @property
    def key(self) -> tuple[str, EdgeKind, str]:
        """The edge's ends and kind, as Store.get_edges and Store.records take them."""
        return self.source, self.kind, self.target


class Step(NamedTuple):
    """One batched hop of a chain (Store.chain): the edges of kinds ``outgoing`` leaving, and ``incoming``
    arriving at, the nodes it starts from. Those are the chain's starting ids (0 in ``after``) and the far ends
    of the earlier steps named by their place (1 for the first step)."""

    outgoing: frozenset[EdgeKind] = frozenset()
    incoming: frozenset[EdgeKind] = frozenset()
    after: tuple[int, ...] = (0,)


class Levels(NamedTuple):
    """What a breadth-first walk found (Store.walk): the links out of each level's frontier (the nodes the level
    before reached first, or first by a link a Gate lets it go on by), level by level (the first from the starts),
    and whether the bound on nodes seen stopped it before the depth asked."""

    links: tuple[tuple[Link, ...], ...]
    cut: bool


@dataclass(frozen=True, slots=True)
class Gate:
    """Where a walk following the data stops at a node that passes on only some of what reaches it
    (model.PASSED_ON_BY), by the node's kind. ``leave``: the only links a walk may leave such a node by, unless
    it started there (downstream, its onward links). ``go_on``: the links by which a walk must reach such a node
    to go on past it (upstream, the same links: a walk against the data reaches a node by what it passed on).
    Without either (NO_GATE), every link is taken, as a walk both ways (a neighbourhood, not a flow) takes them.
    """

    leave: Mapping[NodeKind, frozenset[EdgeKind]] = field(default_factory=dict)
    go_on: Mapping[NodeKind, frozenset[EdgeKind]] = field(default_factory=dict)

    def leaves(self, link: Link, starts: Collection[str]) -> bool:
        kinds = self.leave.get(kind_of(link.near)) if self.leave else None
        return kinds is None or link.kind in kinds or link.near in starts

    def goes_on(self, link: Link) -> bool:
        kinds = self.go_on.get(link.far_kind)
        return kinds is None or link.kind in kinds


NO_GATE = Gate()
