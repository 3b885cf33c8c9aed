"""GraphQL types, generated from the one model so that a property added there appears here.

Every node kind becomes a type implementing the ``Node`` interface, with the kind's properties as
fields; every edge is a ``Link`` that shows its citations and certainty. Lists are Relay-style
connections that always give ``totalCount`` and say whether the page is less than the whole answer.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

import strawberry
from strawberry.types import Info

from lineage import model
from lineage.errors import LineageError
from lineage.model import EDGE_SPECS, NODE_SPECS
from lineage.store import MAX_OFFSET, Bounded, Direction

T = TypeVar("T")
S = TypeVar("S")

# The model's own enums are the GraphQL enums: registered here with their descriptions, then used as they are.
strawberry.enum(model.NodeKind, description="The kinds of node in the lineage graph.")
strawberry.enum(model.EdgeKind, description="The kinds of link, each reading as a sentence.")
strawberry.enum(model.CertaintyLevel, description="How sure the graph is of a fact.")
strawberry.enum(
    Direction,
    name="Direction",
    description="Downstream follows the data; upstream goes against it. Either goes through an organisation "
    "only by what it shared onward: its other links (its own records accessed or derived from) do not say they "
    "carry what reached it. Both is a neighbourhood, every link.",
)

DEFAULT_PAGE = 20
MAX_PAGE = 100
#: The most shortest paths a traversal gives for each node it reaches (its maxPaths).
MAX_PATHS = 10


class NodeLoader(Protocol):
    """What a link asks of the request's context for its ends (the context, lineage/api/context.py, builds these
    types, so they know it by this shape alone, not by import)."""

    async def node(self, id_: str) -> GraphNode: ...


@strawberry.type(description="Where a fact comes from: document, file or sheet, row, and an address to check it.")
class Citation:
    document: str
    file: str
    row: int | None
    address: str


@strawberry.type(description="How sure the graph is of a fact, and the rule that inferred it if it was inferred.")
class Certainty:
    level: model.CertaintyLevel
    rule: str | None


def citation_of(citation: model.Citation) -> Citation:
    return Citation(document=citation.document, file=citation.file, row=citation.row, address=citation.address)


def citations_of(citations: frozenset[model.Citation]) -> list[Citation]:
    return [citation_of(c) for c in model.ordered_citations(citations)]


def certainty_of(certainty: model.Certainty) -> Certainty:
    return Certainty(level=certainty.level, rule=certainty.rule)


#: A node's or link's dates, said as what they are: the span its sources give, which a report's date only bounds.
VALID_FROM = (
    "The first day it is known to hold, as its sources date it; null where they give none. Where its date is a "
    "report's (a link's dateIs says so), the first day our table of dates says it can hold (the Home Office's "
    "matching from July 2015, when the written answers' counts of its requests under the MoU begin; a set of "
    "police records up to 2021 not before 2021), else the report's date: when it began is not stated."
)
VALID_TO = "The last day it is known to hold, as its sources date it; null where they give none."


@strawberry.interface(name="Node", description="Anything in the lineage graph, with its sources and certainty.")
class GraphNode:
    id: strawberry.ID
    kind: model.NodeKind
    key: str = strawberry.field(description="The natural key: URN, NPD alias, register reference, normalised name.")
    name: str
    synthetic: bool = strawberry.field(description="True only for generated scale-test data.")
    certainty: Certainty
    citations: list[Citation]
    valid_from: dt.date | None = strawberry.field(description=VALID_FROM)
    valid_to: dt.date | None = strawberry.field(description=VALID_TO)

    @strawberry.field(description="The links at this node, with their far ends, ordered by far node then link.")
    async def links(
        self,
        info: Info,
        direction: Direction = Direction.BOTH,
        kinds: list[model.EdgeKind] | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Link]:
        limit, offset = page_window(first, after)
        edge_kinds = None if kinds is None else frozenset(model.EdgeKind(k) for k in kinds)
        # the links of every node on a page come in one batched call (the context's loader), not one per node
        hops = await info.context.hops(str(self.id), Direction(direction), edge_kinds)
        return connection(Bounded(tuple(hops[offset : offset + limit]), len(hops), offset), lambda hop: link(hop.edge))


def _node_type(spec: model.NodeSpec) -> type[GraphNode]:
    annotations: dict[str, object] = {}
    namespace: dict[str, object] = {}
    for prop in model.node_props(spec.kind):
        python_type = list[str] if prop.type is tuple else prop.type
        annotations[prop.name] = python_type | None
        namespace[prop.name] = strawberry.field(default=None, description=prop.description)
    namespace["__annotations__"] = annotations
    cls = type(spec.kind.value, (GraphNode,), namespace)
    return strawberry.type(cls, name=spec.kind.value, description=spec.description)


NODE_TYPES: dict[model.NodeKind, type[GraphNode]] = {kind: _node_type(spec) for kind, spec in NODE_SPECS.items()}


def graph_node(node: model.Node) -> GraphNode:
    """The GraphQL object for a stored node."""
    props = {name: list(value) if isinstance(value, tuple) else value for name, value in node.props.items()}
    return NODE_TYPES[node.kind](
        id=strawberry.ID(node.id),
        kind=node.kind,
        key=node.key,
        name=node.name,
        synthetic=node.synthetic,
        certainty=certainty_of(node.certainty),
        citations=citations_of(node.citations),
        valid_from=node.validity.valid_from,
        valid_to=node.validity.valid_to,
        **props,
    )


class _Link:
    """The fields every link has; :data:`LINK_PROPS` (the model's edge properties) are added to them as fields."""

    id: strawberry.ID
    kind: model.EdgeKind
    sentence: str = strawberry.field(description='Reads as "<source> <sentence> <target>".')
    source_id: strawberry.ID
    target_id: strawberry.ID
    certainty: Certainty
    citations: list[Citation]
    valid_from: dt.date | None = strawberry.field(description=VALID_FROM)
    valid_to: dt.date | None = strawberry.field(description=VALID_TO)

    @strawberry.field
    async def source(self, info: Info) -> GraphNode:
        context: NodeLoader = info.context
        return await context.node(str(self.source_id))

    @strawberry.field
    async def target(self, info: Info) -> GraphNode:
        context: NodeLoader = info.context
        return await context.node(str(self.target_id))


#: Every property an edge of some kind may carry (each text), by name: a link's fields beside its own, null where
#: its kind or its source gives none (a route on an access, what went on an onward share, a GIAS link's type).
LINK_PROPS: dict[str, model.Prop] = {
    prop.name: prop
    for props in (model.EDGE_COMMON_PROPS, *(spec.props for spec in EDGE_SPECS.values()))
    for prop in props
    if prop.type is str
}


def _link_type() -> type[_Link]:
    annotations: dict[str, object] = dict(_Link.__annotations__)
    namespace: dict[str, object] = {
        name: value for name, value in vars(_Link).items() if not name.startswith("__") or name == "__doc__"
    }
    for prop in LINK_PROPS.values():
        annotations[prop.name] = str | None
        namespace[prop.name] = strawberry.field(default=None, description=prop.description)
    namespace["__annotations__"] = annotations
    cls = type("Link", (), namespace)
    return strawberry.type(
        cls, name="Link", description="A link between two nodes: a sentence with its sources and certainty."
    )


_LINK: Any = _link_type()
if TYPE_CHECKING:  # to a type checker, a link is its fixed fields; the model's properties are added at run time
    Link = _Link
else:
    Link = _LINK


def link(edge: model.Edge) -> Link:
    props = {name: value for name, value in edge.props.items() if name in LINK_PROPS and isinstance(value, str)}
    made = _LINK(
        id=strawberry.ID(edge.id),
        kind=edge.kind,
        sentence=EDGE_SPECS[edge.kind].sentence,
        source_id=strawberry.ID(edge.source),
        target_id=strawberry.ID(edge.target),
        certainty=certainty_of(edge.certainty),
        citations=citations_of(edge.citations),
        valid_from=edge.validity.valid_from,
        valid_to=edge.validity.valid_to,
        **props,
    )
    return cast(Link, made)


# ---- connections ---------------------------------------------------------------------------------


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class ConnectionEdge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of an answer; totalCount counts the whole answer, never just this page.")
class Connection(Generic[T]):
    total_count: int = strawberry.field(description="How many there are in the whole answer.")
    total_is_exact: bool = strawberry.field(
        description="False when a safety bound stopped the count itself: totalCount is then a lower bound."
    )
    truncated: bool = strawberry.field(description="True when this page shows less than the whole answer.")
    page_info: PageInfo
    edges: list[ConnectionEdge[T]]

    @strawberry.field(description="The nodes of the edges, for when cursors are not needed.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def _cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def page_window(first: int, after: str | None) -> tuple[int, int]:
    """(limit, offset) for a connection argument pair, refusing out-of-bounds pages with a clear message."""
    if not 0 <= first <= MAX_PAGE:
        raise LineageError(f"first must be between 0 and {MAX_PAGE}, got {first}")
    if after is None:
        return first, 0
    try:
        _, _, number = base64.b64decode(after.encode(), validate=True).decode().partition(":")
        offset = int(number) + 1
        # only the very text _cursor gives: int() also reads " 3", "+3", "03", other scripts' digits and "3_0" (30), and
        # base64 spells the same bytes more than one way; an overflowing offset must not reach a store
        if after != _cursor(offset - 1) or not 1 <= offset <= MAX_OFFSET:
            raise ValueError
    except ValueError:  # bad base64, not UTF-8, not a number (however many digits), not ours, out of range
        raise LineageError(f"after: {after[:40]!r} is not a cursor from this API") from None
    return first, offset


def connection(page: Bounded[S], convert: Callable[[S], T]) -> Connection[T]:
    edges = [ConnectionEdge(cursor=_cursor(page.offset + i), node=convert(item)) for i, item in enumerate(page.items)]
    return Connection(
        total_count=page.total,
        total_is_exact=page.total_exact,
        truncated=page.truncated,
        page_info=PageInfo(
            has_next_page=page.offset + len(page.items) < page.total or not page.total_exact,
            has_previous_page=page.offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        edges=edges,
    )


def paginate(items: Sequence[S], first: int, after: str | None, convert: Callable[[S], T]) -> Connection[T]:
    """A connection over an answer computed whole (the questions' answers are bounded by construction)."""
    limit, offset = page_window(first, after)
    return connection(Bounded(tuple(items[offset : offset + limit]), len(items), offset), convert)
