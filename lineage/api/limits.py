"""Limits that make the public, anonymous endpoint safe: no query can hang or exhaust the server.

Each limit is a validation rule built by a small factory (as strawberry's ``create_validator``) from a
``Figure``: how a field's figure follows from its children's, and how siblings combine. A document is
measured bottom-up, and every fragment is measured once, after the fragments it spreads, so a spread
costs a look-up: the work is linear in the document's size, however often fragments spread each other
(strawberry's depth and alias limiters walk a fragment again at every spread, which doubles per level);
strawberry's AddValidationRules adds them.

- depth: levels of nested selections (introspection fields, the playground's, are not counted);
- aliases: aliased fields, a fragment's counted at each spread;
- cost: every field costs 1, a field with a ``first`` argument multiplies what is under it by that page
  size (its default when absent, the largest page when it comes from a variable), or, where it answers one
  object whose connections it pages (recordReach's groups' releases), each of those connections does; a
  list of paths with no page of its own by the most links its ancestors' ``maxPaths`` and ``depth`` let it
  hold (``UNPAGED_LISTS``), and a traversal adds its depth's weight;
- tokens: the parser stops at the limit (strawberry's MaxTokensLimiter), so no document longer than that is
  even parsed.

``RememberedDocuments`` keeps each query text's parse and validation, as the schema and rules are fixed. The
execution timeout and the body size limit live in the HTTP view (app.py, protocol.py), the store calls a
request runs at once in its context (context.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    TypeNameMetaFieldDef,
    ValidationContext,
    ValidationRule,
    Visitor,
    get_named_type,
    visit,
)
from graphql.language import BREAK, Token
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, SchemaExtension

from lineage.api.types import MAX_PAGE, MAX_PATHS
from lineage.cache import Kept
from lineage.store import MAX_DEPTH


@dataclass(frozen=True)
class Limits:
    max_depth: int = 12
    max_tokens: int = 2_000
    max_aliases: int = 15
    max_cost: int = 20_000
    timeout_seconds: float = 10.0
    #: fields whose ``depth`` argument multiplies their cost (a traversal visits more per level)
    depth_weight: int = 50
    #: the largest request body (or GET query string) read; a larger one answers 413
    max_body_bytes: int = 128 * 1024
    #: the store calls one request runs at once, its other fields waiting their turn: they share the GraphQL
    #: loop's threads (min(32, cores + 4): six on two cores), which fifteen aliases of a costly field took whole
    store_calls: int = 2


DEFAULT_LIMITS = Limits()
#: Lists with no page (``first``) of their own whose length the arguments of an enclosing field bound: each
#: multiplies what is under it by the product of those arguments (``lineage``'s maxPaths paths of up to
#: depth links for each node reached; up to depth links for each path of ``paths``).
UNPAGED_LISTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("ReachedNode", "paths"): ("maxPaths", "depth"),
    ("PathSet", "paths"): ("depth",),
}
#: The largest value of each argument an unpaged list is bounded by: what a variable, or a fragment measured
#: apart from the field that sets it, is taken to be.
BOUNDING_ARGUMENTS = {"maxPaths": MAX_PATHS, "depth": MAX_DEPTH}
#: The bound an answer's field (recordReach) sets for the connections in its answer with no ``first`` of their own.
PASSED_PAGE = "page"
#: The bytes of the query texts whose parse and validation are remembered, with their documents (by
#: :func:`prepared_bytes`): unique hostile texts cannot grow memory past this. By count alone (256), 2,000 texts of a
#: 126 KB comment each grew a worker by 357 MB.
REMEMBERED_BYTES = 32 * 1024 * 1024
#: What one token of a parsed document costs, its nodes included (a cookbook query of 4.4 KB and about 700 tokens
#: parsed into about 270 KB).
TOKEN_BYTES = 400


# ---- measuring a document in linear time ---------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a field is measured: its node, its definition (None for an unknown field), the type it is
    selected on, and the bounding arguments (BOUNDING_ARGUMENTS) its nearest enclosing fields set."""

    node: FieldNode
    definition: GraphQLField | None
    parent: GraphQLNamedType | None
    bounds: Mapping[str, int]


@dataclass(frozen=True)
class Figure:
    """How one limit measures a selection set: ``field`` gives a field's figure from its place and the
    figure of its own selections; siblings combine by ``siblings`` (sum, or max for depth)."""

    name: str
    code: str
    field: Callable[[Place, int], int]
    siblings: Callable[[list[int]], int]


@dataclass(frozen=True)
class Measured:
    """Each operation's figure, and how many selections were visited to get them (linear in the document)."""

    operations: list[tuple[OperationDefinitionNode, int]]
    visits: int


def _spread_names(selection_set: SelectionSetNode) -> Iterator[str]:
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                yield selection.name.value
            elif isinstance(selection, (FieldNode, InlineFragmentNode)) and selection.selection_set is not None:
                stack.append(selection.selection_set)


def fragments_in_order(document: DocumentNode) -> list[FragmentDefinitionNode]:
    """The document's fragments, each after every fragment it spreads, so that each is measured from
    figures already known. A cycle (which graphql's NoFragmentCycles rule refuses) is cut where it closes.
    Iterative: a chain of hundreds of fragments must not exhaust the interpreter's stack."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    order: list[FragmentDefinitionNode] = []
    seen: set[str] = set()
    for root in fragments:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, _spread_names(fragments[root].selection_set))]
        while stack:
            name, spreads = stack[-1]
            child = next(spreads, None)
            if child is None:
                stack.pop()
                order.append(fragments[name])
            elif child in fragments and child not in seen:
                seen.add(child)
                stack.append((child, _spread_names(fragments[child].selection_set)))
    return order


class _Measure:
    def __init__(self, figure: Figure, schema: GraphQLSchema) -> None:
        self.figure = figure
        self.schema = schema
        self.fragments: dict[str, int] = {}
        self.visits = 0

    def definition(self, parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
        if name == "__typename":
            return TypeNameMetaFieldDef
        if parent is not None and parent is self.schema.query_type:
            meta = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}.get(name)
            if meta is not None:
                return meta
        return getattr(parent, "fields", {}).get(name)

    def selections(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None, bounds: Mapping[str, int]
    ) -> int:
        """Recursive only along nested selections, which the parser bounds (graphql-core stops at 200)."""
        if selection_set is None:
            return self.figure.siblings([])
        values = []
        for selection in selection_set.selections:
            self.visits += 1
            if isinstance(selection, FieldNode):
                definition = self.definition(parent, selection.name.value)
                place = Place(selection, definition, parent, bounds)
                inner = 0
                if definition is not None and selection.selection_set is not None:
                    inner_bounds = {**bounds, **_bounds_set(selection, definition)}
                    inner = self.selections(selection.selection_set, get_named_type(definition.type), inner_bounds)
                values.append(self.figure.field(place, inner))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                values.append(self.selections(selection.selection_set, target, bounds))
            elif isinstance(selection, FragmentSpreadNode):
                values.append(self.fragments.get(selection.name.value, 0))
        return self.figure.siblings(values)


def measure(figure: Figure, schema: GraphQLSchema, document: DocumentNode) -> Measured:
    """Every operation's figure; every fragment is measured once, whatever spreads it and how often (apart
    from the fields that spread it, so with the largest bounding arguments)."""
    walk = _Measure(figure, schema)
    for fragment in fragments_in_order(document):
        target = schema.get_type(fragment.type_condition.name.value)
        walk.fragments[fragment.name.value] = walk.selections(fragment.selection_set, target, {})
    operations = []
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            root = schema.get_root_type(definition.operation)
            operations.append((definition, walk.selections(definition.selection_set, root, {})))
    return Measured(operations, walk.visits)


def create_validator(figure: Figure, limit: int, advice: str) -> type[ValidationRule]:
    """A validation rule refusing every operation whose figure exceeds ``limit``, saying by how much."""

    class LimitRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            for operation, value in measure(figure, context.schema, context.document).operations:
                if value > limit:
                    message = f"query {figure.name} {value} exceeds the limit of {limit}: {advice}"
                    extensions = {"code": figure.code, figure.name: value, "limit": limit}
                    context.report_error(GraphQLError(message, operation, extensions=extensions))

    LimitRule.__name__ = f"{figure.code.title().replace('_', '')}Rule"
    return LimitRule


def _bounds_set(node: FieldNode, definition: GraphQLField) -> dict[str, int]:
    """The bounding arguments this field declares, with the values it is given (the worst for a variable), and
    the page it passes to the connections in its answer (PASSED_PAGE)."""
    bounds = {name: _argument_value(node, definition, name, worst, worst)
              for name, worst in BOUNDING_ARGUMENTS.items() if name in definition.args}  # fmt: skip
    if _pages_below(definition):
        bounds[PASSED_PAGE] = _argument_value(node, definition, "first", MAX_PAGE, 1)
    return bounds


def _is_connection(type_: GraphQLNamedType) -> bool:
    return "pageInfo" in getattr(type_, "fields", {})


def _pages_below(definition: GraphQLField) -> bool:
    """Whether a field's ``first`` pages the connections in its answer rather than the answer itself: an answer
    (recordReach's) is one object, of which only each connection's nodes come ``first`` at a time."""
    if "first" not in definition.args:
        return False
    answer = get_named_type(definition.type)
    return not _is_connection(answer) and _holds_connection(answer)


@functools.cache  # a schema's types are fixed: each is walked once, not at every field of every document measured
def _holds_connection(type_: GraphQLNamedType) -> bool:
    """Whether a connection is in this type's answers, at any depth, other than under a field with its own page."""
    seen, stack = {type_.name}, [type_]
    while stack:
        for field in getattr(stack.pop(), "fields", {}).values():
            inner = get_named_type(field.type)
            if "first" in field.args or inner.name in seen:
                continue
            if _is_connection(inner):
                return True
            seen.add(inner.name)
            stack.append(inner)
    return False


def _page(place: Place) -> int:
    """What a field multiplies what is under it by: its own ``first`` (unless it pages the connections below it);
    for a connection with none of its own, the page its answer's field passes down (the largest, measured apart)."""
    node, definition = place.node, place.definition
    if definition is None:
        return 1
    if "first" in definition.args:
        return 1 if _pages_below(definition) else _argument_value(node, definition, "first", MAX_PAGE, 1)
    if _is_connection(get_named_type(definition.type)):
        return place.bounds.get(PASSED_PAGE, MAX_PAGE)
    return 1


def _argument_value(node: FieldNode, definition: GraphQLField, name: str, worst: int, fallback: int) -> int:
    """The value of an Int argument for costing: the literal, the worst case for a variable (validation
    cannot see variables), or the schema's default."""
    for argument in node.arguments or ():
        if argument.name.value == name:
            return int(argument.value.value) if isinstance(argument.value, IntValueNode) else worst
    declared = definition.args.get(name)
    if declared is None:
        return fallback
    default = declared.default_value
    return default if isinstance(default, int) else fallback


def depth_figure() -> Figure:
    def field(place: Place, inner: int) -> int:
        if place.node.name.value.startswith("__") or place.node.selection_set is None:
            return 0
        return 1 + inner

    return Figure("depth", "DEPTH_LIMIT", field, lambda values: max(values, default=0))


def alias_figure() -> Figure:
    def field(place: Place, inner: int) -> int:
        return (1 if place.node.alias else 0) + inner

    return Figure("aliases", "ALIAS_LIMIT", field, sum)


def cost_figure(depth_weight: int) -> Figure:
    def field(place: Place, inner: int) -> int:
        node, definition = place.node, place.definition
        if definition is None:  # an unknown field, which validation reports anyway
            return 1
        depth = _argument_value(node, definition, "depth", MAX_DEPTH, 0)
        return 1 + depth * depth_weight + max(_page(place), 1) * _unpaged_bound(place) * inner

    return Figure("cost", "COST_LIMIT", field, sum)


def _unpaged_bound(place: Place) -> int:
    """How many items an unpaged list (UNPAGED_LISTS) may hold, from its enclosing fields' arguments; 1 for
    any other field."""
    parent = place.parent.name if place.parent is not None else ""
    bound = 1
    for name in UNPAGED_LISTS.get((parent, place.node.name.value), ()):
        bound *= max(place.bounds.get(name, BOUNDING_ARGUMENTS[name]), 1)
    return bound


def limit_rules(limits: Limits) -> tuple[type[ValidationRule], ...]:
    return (
        create_validator(depth_figure(), limits.max_depth, "ask for fewer nested levels"),
        create_validator(alias_figure(), limits.max_aliases, "ask for fewer aliased fields"),
        create_validator(
            cost_figure(limits.depth_weight),
            limits.max_cost,
            "ask for smaller pages (first), fewer paths (maxPaths) or a smaller depth",
        ),
    )


# ---- parsing and validating each query text once -------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """A query text parsed and validated: its document and the errors (if any) that refuse it."""

    document: DocumentNode
    errors: tuple[GraphQLError, ...]


def prepared_bytes(prepared: Prepared) -> int:
    """About what keeping a parsed query costs: its text (which the document's source holds), and its tokens with
    the nodes built from them. A text that is mostly a comment is counted by its length."""
    location = prepared.document.loc
    if location is None:
        return TOKEN_BYTES
    tokens = 0
    following: Token | None = location.start_token
    while following is not None:
        tokens, following = tokens + 1, following.next
    return len(location.source.body) + tokens * TOKEN_BYTES


class RememberedDocuments(SchemaExtension):
    """Strawberry's parse and validation of a query text (graphql's rules and the limits), remembered by the
    text: a query asked again, as the cookbook's and the explorer's are, is neither parsed nor validated
    again. The schema and its rules are fixed, so the outcome is too. A text that does not parse is not
    remembered: the token limit bounds what parsing it costs."""

    def __init__(self, remembered: Kept[str, Prepared]) -> None:
        self.remembered = remembered
        self.prepared: Prepared | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        self.prepared = self.remembered.get(context.query) if context.query is not None else None
        if self.prepared is not None:
            context.graphql_document = self.prepared.document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self.prepared is not None:
            context.pre_execution_errors = list(self.prepared.errors)
        elif context.graphql_document is not None and (too_long := _overlong_int(context.graphql_document)):
            context.pre_execution_errors = [too_long]  # so validation, which would read it, does not run
        yield
        if self.prepared is None and context.query is not None and context.graphql_document is not None:
            errors = tuple(context.pre_execution_errors or ())
            self.remembered.put(context.query, Prepared(context.graphql_document, errors))


#: The most digits a GraphQL Int (32 bits, -2147483648 to 2147483647) is written in.
INT_DIGITS = 10


def _overlong_int(document: DocumentNode) -> GraphQLError | None:
    """The first Int literal too long to be an Int, as the caller's error: read by graphql's rules, one over 4,300
    digits raised Python's own limit on reading a number, answered as our fault (INTERNAL_SERVER_ERROR)."""

    class Literals(Visitor):
        found: IntValueNode | None = None

        def enter_int_value(self, node: IntValueNode, *_: object) -> object:
            if len(node.value.lstrip("-")) > INT_DIGITS:
                self.found = node
                return BREAK
            return None

    literals = Literals()
    visit(document, literals)
    if literals.found is None:
        return None
    value = literals.found.value
    # as graphql's own rule says it of a shorter one, the value clipped: the cost error had repeated 4,000 digits
    message = f"Int cannot represent non 32-bit signed integer value: {value[:12]}... ({len(value):,} characters)"
    return GraphQLError(message, literals.found, extensions={"code": "GRAPHQL_VALIDATION_FAILED"})


def schema_extensions(limits: Limits) -> list[Callable[[], SchemaExtension]]:
    """The limits as strawberry's extensions: its token limit on the parser, the figures above as validation
    rules, and each query text's outcome remembered."""
    remembered: Kept[str, Prepared] = Kept(REMEMBERED_BYTES, sizeof=prepared_bytes)
    return [
        functools.partial(MaxTokensLimiter, limits.max_tokens),
        functools.partial(AddValidationRules, list(limit_rules(limits))),
        functools.partial(RememberedDocuments, remembered),
    ]
