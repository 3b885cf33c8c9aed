"""The cookbook's GraphQL types, derived from the answer dataclasses of lineage.questions: one definition per answer.

:func:`answer_type` makes a strawberry type of an answer class, field for field and property for property, by one
rule for every value (:func:`_rule`): a Node is a ``Node``, an Edge a ``Link``, a Certainty and citations as
lineage.api.types gives them, a tuple a list, another answer class its own derived type. What the API adds is kept
beside the derivation, in :class:`As`: a description, a GraphQL name, a list served as a page (a connection), or a
field left out with the reason. So a field added to an answer reaches the API with nothing else to write, and
:data:`DERIVED` says which answer class each type comes from (the tests hold every cookbook type to it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import strawberry
from strawberry.types import Info

from lineage import model
from lineage.api.types import (
    DEFAULT_PAGE,
    Certainty,
    Citation,
    Connection,
    GraphNode,
    Link,
    certainty_of,
    citation_of,
    citations_of,
    graph_node,
    link,
    paginate,
)

#: Values the API gives as they are.
_SCALARS = (str, int, float, bool, dt.date, dt.datetime)


class Page(NamedTuple):
    """The page a question's field asks for (its first and after), applied to every list its answer serves as a
    connection."""

    first: int = DEFAULT_PAGE
    after: str | None = None


#: The page a question's field asks for when it takes no first or after.
FIRST_PAGE = Page()

#: How a value of the answer becomes what the API serves, within the page asked.
Convert = Callable[[Any, Page], Any]


@dataclasses.dataclass(frozen=True)
class As:
    """What the API adds to one field of an answer: its description, its GraphQL name where that is not the
    field's own (camel-cased), whether a list is served as a connection (paged by the question's first and after,
    or its first page alone), or why it is left out (given through other fields)."""

    description: str | None = None
    name: str | None = None
    connection: bool = False
    first_page_only: bool = False
    left_out: str | None = None


#: Each derived GraphQL type, by the answer class it is derived from.
DERIVED: dict[type, type] = {}
#: How each answer class becomes an object of its GraphQL type.
_CONVERTERS: dict[type, Convert] = {}


def _same(value: Any, _page: Page) -> Any:
    return value


def _rule(hint: Any) -> tuple[Any, Convert]:
    """The GraphQL type of a value of this annotation, and how a value becomes it: the one rule for every field."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union) and type(None) in args:
        (inner,) = (arg for arg in args if arg is not type(None))
        graphql, convert = _rule(inner)
        return graphql | None, lambda value, page: None if value is None else convert(value, page)
    if (origin is tuple and len(args) == 2 and args[1] is Ellipsis) or origin in (list, frozenset):
        if args[0] is model.Citation and origin is frozenset:  # a set of citations in the one stable order
            return list[Citation], lambda value, _page: citations_of(value)
        graphql, convert = _rule(args[0])
        return list[graphql], lambda value, page: [convert(v, page) for v in value]  # type: ignore[valid-type]
    if hint in _SCALARS:
        return hint, _same
    if hint is model.Node:
        return GraphNode, lambda value, _page: graph_node(value)
    if hint is model.Edge:
        return Link, lambda value, _page: link(value)
    if hint is model.Certainty:
        return Certainty, lambda value, _page: certainty_of(value)
    if hint is model.Citation:
        return Citation, lambda value, _page: citation_of(value)
    if hint in DERIVED:
        return DERIVED[hint], _CONVERTERS[hint]
    raise TypeError(f"no GraphQL type for {hint!r}: derive its answer class first, or change the field's type")


def answer_fields(answer: type) -> dict[str, Any]:
    """An answer class's fields (of a dataclass or a named tuple) and public properties, in the order they are
    written, each with its annotation: what its GraphQL type gives."""
    hints = typing.get_type_hints(answer)
    names = [f.name for f in dataclasses.fields(answer)] if dataclasses.is_dataclass(answer) else list(hints)
    found = {name: hints[name] for name in names}
    for klass in reversed(answer.__mro__):  # a base's properties first, as its fields would be
        for name, value in vars(klass).items():
            if isinstance(value, property) and not name.startswith("_"):
                found[name] = typing.get_type_hints(value.fget)["return"]
    return found


def answer_type(
    answer: type,
    *,
    name: str | None = None,
    description: str | None = None,
    fields: Mapping[str, As | str] | None = None,
) -> Any:
    """The strawberry type of an answer class (named ``name``, or as the class is), with what the API adds to its
    fields (``fields``: an :class:`As`, or a description alone). A field ``fields`` names that the class does not
    have is refused, so a rename in the core cannot leave a description behind."""
    added = {key: value if isinstance(value, As) else As(description=value) for key, value in (fields or {}).items()}
    hinted = answer_fields(answer)
    unknown = sorted(set(added) - set(hinted))
    if unknown:
        raise TypeError(f"{answer.__qualname__} has no field {', '.join(unknown)}")
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    converters: dict[str, Convert] = {}
    for field_name, hint in hinted.items():
        extra = added.get(field_name, As())
        if extra.left_out is not None:
            continue
        graphql, converter = _connection(hint, extra.first_page_only) if extra.connection else _rule(hint)
        annotations[field_name] = graphql
        namespace[field_name] = strawberry.field(name=extra.name, description=extra.description)
        converters[field_name] = converter
    namespace["__annotations__"] = annotations
    graphql_name = name or answer.__name__
    derived = strawberry.type(type(graphql_name, (), namespace), name=graphql_name, description=description)

    kept = [key for key, to in converters.items() if to is _same]  # most values go as they are: no call each
    converted = [(key, to) for key, to in converters.items() if to is not _same]

    def convert(value: Any, page: Page) -> Any:
        return derived(
            **{key: getattr(value, key) for key in kept},
            **{key: to(getattr(value, key), page) for key, to in converted},
        )

    DERIVED[answer] = derived
    _CONVERTERS[answer] = convert
    return derived


def _connection(hint: Any, first_page_only: bool) -> tuple[Any, Convert]:
    """A tuple of answers served as a connection: the page the question asks, or its first page alone."""
    element, _ = typing.get_args(hint)
    graphql, convert = _rule(element)

    def paged(value: Any, page: Page) -> Any:
        return paginate(value, page.first, None if first_page_only else page.after, lambda one: convert(one, page))

    return Connection[graphql], paged  # type: ignore[valid-type]


def to_graphql(answer: Any, page: Page = FIRST_PAGE) -> Any:
    """The GraphQL object of an answer (of a derived class), its connections paged as ``page`` asks."""
    return _CONVERTERS[type(answer)](answer, page)


def question_field(question: Callable[..., Any], *, description: str) -> Any:
    """A query field that asks ``question`` of the store: its arguments are the question's own after the store
    (each of a type GraphQL takes as it is), its type derived from the answer it returns (the answer class derived
    here when no :func:`answer_type` has described it). A new question is registered in one line."""
    hints = typing.get_type_hints(question)
    returned = hints.pop("return")
    answers = [
        arg for arg in (returned, *typing.get_args(returned)) if isinstance(arg, type) and dataclasses.is_dataclass(arg)
    ]
    for answer in answers:
        if answer not in DERIVED:
            answer_type(answer)
    graphql, convert = _rule(returned)
    _, *asked = inspect.signature(question).parameters.values()

    async def ask(info: Info, **arguments: Any) -> Any:
        answer = await info.context.call(question, info.context.store, **arguments)
        return convert(answer, FIRST_PAGE)

    info = inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info)
    ask.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [info, *(parameter.replace(annotation=hints[parameter.name]) for parameter in asked)]
    )
    return strawberry.field(resolver=ask, description=description, graphql_type=graphql)
