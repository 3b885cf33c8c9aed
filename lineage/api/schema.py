"""The public GraphQL schema: read-only, every answer cited, every list a bounded connection.

The resolvers are thin: they turn arguments into calls on the store (generic lineage reads) or on
lineage.questions (the campaign's questions), and results into the types of lineage.api.types.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Annotated, Any, TypeVar

import strawberry
from graphql import GraphQLError, ValueNode, value_from_ast_untyped
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, Info

from lineage import model
from lineage.api.cookbook import CookbookQuery
from lineage.api.limits import DEFAULT_LIMITS, Limits, schema_extensions
from lineage.api.protocol import CoercingExecutor, NamedRefusals
from lineage.api.types import (
    DEFAULT_PAGE,
    MAX_PATHS,
    NODE_TYPES,
    Connection,
    GraphNode,
    Link,
    connection,
    graph_node,
    link,
    page_window,
)
from lineage.errors import NotFound, QueryError
from lineage.store import Direction, Reached

K = TypeVar("K", model.NodeKind, model.EdgeKind)


@strawberry.type(description="A node reached by a traversal: how many hops away, and its shortest paths.")
class ReachedNode:
    node: GraphNode
    degree: int = strawberry.field(description="Hops from the start along the shortest path.")
    path_count: int = strawberry.field(description="How many shortest paths reach it.")
    paths: list[list[Link]] = strawberry.field(description="Up to maxPaths shortest paths, each a list of links.")


def _reached(reached: Reached) -> ReachedNode:
    return ReachedNode(
        node=graph_node(reached.node),
        degree=reached.degree,
        path_count=reached.path_count,
        paths=[[link(edge) for edge in path] for path in reached.paths],
    )


@strawberry.type(description="A bounded traversal from one node.")
class Lineage:
    start: GraphNode
    direction: Direction
    depth: int
    as_of: dt.date | None
    reached: Connection[ReachedNode]


@strawberry.type(description="Simple paths between two nodes, shortest first.")
class PathSet:
    source: GraphNode
    target: GraphNode
    total_count: int
    total_is_exact: bool
    truncated: bool
    paths: list[list[Link]]


@strawberry.type
class KindCount:
    kind: str
    count: int


@strawberry.type(description="What the graph holds.")
class GraphCounts:
    nodes: list[KindCount]
    edges: list[KindCount]
    total_nodes: int
    total_edges: int


#: The asOf argument of the generic walks (lineage, paths): what a date there leaves out, said where users read it.
AS_OF = strawberry.argument(
    description="Follow only the links and nodes known to hold on this date (their validFrom to validTo; an "
    "undated one holds always). A link dated only by the report that gives it (its dateIs says so) is known to hold "
    "on that date alone, unless our table of dates says when it holds (its validFrom and validTo then): on another "
    "it is left out, though it may have held then."
)


def _kinds(kinds: list[K] | None) -> set[K] | None:
    return None if kinds is None else set(kinds)


@strawberry.type
class GraphQuery:
    """Generic reads of the lineage graph."""

    @strawberry.field(description="One node by id (e.g. School:100000, DataItem:KS4/KS4_FSM).")
    async def node(self, info: Info, id: strawberry.ID) -> GraphNode | None:
        record = await info.context.record(str(id))
        return None if record is None else graph_node(record)

    @strawberry.field(description="Nodes of one kind, in id order.")
    async def nodes(
        self,
        info: Info,
        kind: model.NodeKind,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[GraphNode]:
        limit, offset = page_window(first, after)
        page = await info.context.call(info.context.store.list_nodes, model.NodeKind(kind), limit, offset)
        return connection(page, graph_node)

    @strawberry.field(
        description="A bounded traversal from any node: each result with its degree and shortest paths, "
        "whether the answer was cut, and the total. edgeKinds limits the links followed; nodeKinds the results."
    )
    async def lineage(
        self,
        info: Info,
        id: strawberry.ID,
        direction: Direction = Direction.DOWNSTREAM,
        depth: int = 2,
        as_of: Annotated[dt.date | None, AS_OF] = None,
        edge_kinds: list[model.EdgeKind] | None = None,
        node_kinds: list[model.NodeKind] | None = None,
        max_paths: int = 3,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Lineage:
        limit, offset = page_window(first, after)
        if not 0 <= max_paths <= MAX_PATHS:
            raise QueryError(f"maxPaths must be between 0 and {MAX_PATHS}, got {max_paths}")
        result = await info.context.call(
            info.context.store.traverse,
            str(id),
            Direction(direction),
            max_depth=depth,
            edge_kinds=_kinds(edge_kinds),
            node_kinds=_kinds(node_kinds),
            as_of=as_of,
            limit=limit,
            offset=offset,
            max_paths=max_paths,
        )
        if result.start is None:
            raise NotFound(f"no node {str(id)!r} in the graph")
        return Lineage(
            start=graph_node(result.start),
            direction=direction,
            depth=depth,
            as_of=as_of,
            reached=connection(result.reached, _reached),
        )

    @strawberry.field(description="Simple paths from one node to another, shortest first, each link cited.")
    async def paths(
        self,
        info: Info,
        source: strawberry.ID,
        target: strawberry.ID,
        depth: int = 4,
        direction: Direction = Direction.DOWNSTREAM,
        as_of: Annotated[dt.date | None, AS_OF] = None,
        first: int = 10,
    ) -> PathSet:
        limit, _ = page_window(first, None)
        result = await info.context.call(
            info.context.store.paths,
            str(source),
            str(target),
            max_depth=depth,
            direction=Direction(direction),
            as_of=as_of,
            limit=limit,
        )
        for id_, found in ((source, result.source), (target, result.target)):
            if found is None:
                raise NotFound(f"no node {str(id_)!r} in the graph")
        return PathSet(
            source=graph_node(result.source),
            target=graph_node(result.target),
            total_count=result.paths.total,
            total_is_exact=result.paths.total_exact,
            truncated=result.paths.truncated,
            paths=[[link(edge) for edge in path] for path in result.paths.items],
        )

    @strawberry.field(description="Find nodes of any kind by name, key or alias (case is ignored).")
    async def search(
        self,
        info: Info,
        text: str,
        kinds: list[model.NodeKind] | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[GraphNode]:
        limit, offset = page_window(first, after)
        page = await info.context.call(info.context.store.search, text, _kinds(kinds), limit=limit, offset=offset)
        return connection(page, graph_node)

    @strawberry.field(description="Nodes and links per kind.")
    async def counts(self, info: Info) -> GraphCounts:
        counts = await info.context.call(info.context.store.counts)
        return GraphCounts(
            nodes=[KindCount(kind=k, count=n) for k, n in counts.nodes.items()],
            edges=[KindCount(kind=k, count=n) for k, n in counts.edges.items()],
            total_nodes=counts.total_nodes,
            total_edges=counts.total_edges,
        )


#: A Date as the schema writes one: YYYY-MM-DD. Python's fromisoformat also reads "20200101" and a week date,
#: "2020-W01-1" (30 December 2019), which no answer writes and a reader would not expect to be taken.
CALENDAR_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date_value(value: object) -> dt.date:
    """A Date from a variable's value, an ISO date, refused in the words of strawberry's own Date."""
    if not isinstance(value, str):
        raise GraphQLError(f'Value cannot represent a Date: "{value}". Write it as a string, such as "2020-09-01"')
    if not CALENDAR_DATE.fullmatch(value):
        raise GraphQLError(f'Value cannot represent a Date: "{value}". Write it as YYYY-MM-DD, such as "2020-09-01"')
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise GraphQLError(f'Value cannot represent a Date: "{value}". {exc}') from None


def _date_literal(node: ValueNode, variables: dict[str, Any] | None = None) -> dt.date:
    """A Date written in the query text, refused at its place (line and column), as every other bad literal is:
    strawberry's Date reads a literal as a variable's value, and its refusal then names no place."""
    try:
        return _date_value(value_from_ast_untyped(node, variables))
    except GraphQLError as error:
        raise GraphQLError(error.message, node) from None


#: The Date scalar as strawberry's (same name, description and ISO text), its literals refused with their place.
DATE = strawberry.scalar(
    name="Date",
    description="Date (isoformat)",
    serialize=dt.date.isoformat,
    parse_value=_date_value,
    parse_literal=_date_literal,
)


class LineageSchema(strawberry.Schema):
    """The schema with its limits (lineage.api.limits, as strawberry extensions). Errors are shaped (coded,
    masked, logged) by the HTTP view (lineage.api.protocol.shape_errors), not by strawberry, which would log a
    refused argument or an unknown id as if it were the operator's business."""

    def __init__(self, limits: Limits) -> None:
        super().__init__(
            query=merge_types("Query", (GraphQuery, CookbookQuery)),
            types=list(NODE_TYPES.values()),
            extensions=[*schema_extensions(limits), NamedRefusals],
            execution_context_class=CoercingExecutor,
            config=StrawberryConfig(scalar_map={dt.date: DATE}),
        )

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        return None


@functools.cache
def build_schema(limits: Limits = DEFAULT_LIMITS) -> LineageSchema:
    """The read-only schema (no mutations) with the safety limits, built once per set of limits in a process:
    building it takes tenths of a second, and it holds nothing of any store, so every app on those limits
    (one per worker; the tests make hundreds) shares it and the query texts it has prepared."""
    return LineageSchema(limits)
