"""Every answer is defined once: each GraphQL type the cookbook serves is derived from an answer dataclass of the
core (lineage.api.cookbook.derive), never written by hand beside it, so no field can drift between the two.

Both sides are read from the code's structure, never from its output: the types from the schema strawberry builds
of the cookbook's query fields, the answer classes from the return annotations of the functions lineage.questions
offers, and the dataclasses their fields hold.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import typing

import pytest
import strawberry
from graphql import GraphQLObjectType

from lineage import questions
from lineage.api.cookbook import CookbookQuery
from lineage.api.cookbook.derive import DERIVED, As, answer_fields, answer_type
from lineage.questions.recipients import RecipientReleases
from lineage.questions.records import Held, RecipientGroup

#: The types the graph's own reads share with the cookbook (a node, a link, a citation, a page): made from the model
#: in lineage.api.types, not from an answer.
SHARED_MODULE = "lineage.api.types"


def not_derived(query: type) -> list[str]:
    """The object types a query's fields serve, however deep, that are neither derived from an answer class nor
    the graph's shared types: each would be a second, hand-written definition of an answer."""
    schema = strawberry.Schema(query=query)
    found = []
    for name, served in schema._schema.type_map.items():
        if not isinstance(served, GraphQLObjectType) or name.startswith("__") or served is schema._schema.query_type:
            continue
        definition = served.extensions["strawberry-definition"]
        origin = (definition.concrete_of or definition).origin
        if origin not in DERIVED.values() and origin.__module__ != SHARED_MODULE:
            found.append(name)
    return sorted(found)


def _reached(hint: object, found: set[type]) -> None:
    """Adds the answer classes a type annotation names (inside lists, tuples, unions and generics), and those
    their fields hold."""
    for argument in typing.get_args(hint):
        _reached(argument, found)
    is_answer = isinstance(hint, type) and (dataclasses.is_dataclass(hint) or issubclass(hint, tuple))
    if is_answer and hint.__module__.startswith("lineage.questions.") and hint not in found:
        found.add(hint)
        for field_hint in answer_fields(hint).values():
            _reached(field_hint, found)


def answer_classes() -> set[type]:
    """The dataclasses the questions (every public function of every module of lineage.questions) return, and
    those held in their fields, however deep."""
    found: set[type] = set()
    for module_info in pkgutil.iter_modules(questions.__path__, f"{questions.__name__}."):
        module = importlib.import_module(module_info.name)
        for name, offered in vars(module).items():
            if inspect.isfunction(offered) and offered.__module__ == module.__name__ and not name.startswith("_"):
                _reached(typing.get_type_hints(offered).get("return"), found)
    return found


def test_every_cookbook_type_is_derived_from_an_answer() -> None:
    assert not_derived(CookbookQuery) == []


@strawberry.type
class HandWritten:
    label: str


@strawberry.type
class Holder:
    inside: list[HandWritten]


@strawberry.type
class HandWrittenQuery:
    @strawberry.field
    def held(self) -> Holder:
        return Holder(inside=[])


def test_a_hand_written_type_is_found() -> None:
    """The check above can fail: a type written by hand beside the answers, however deep, is named."""
    assert not_derived(HandWrittenQuery) == ["HandWritten", "Holder"]


def test_every_answer_a_question_returns_has_its_type() -> None:
    answers = answer_classes()
    # a statement, a release's recipients group and a published total are returned by no question directly
    assert {questions.Stated, RecipientGroup, questions.PublishedTotal, Held, RecipientReleases} <= answers
    assert sorted(a.__qualname__ for a in answers - DERIVED.keys()) == []


def test_derived_types_come_from_the_core() -> None:
    assert all(not answer.__module__.startswith("lineage.api") for answer in DERIVED)


def test_a_field_left_out_or_described_must_exist() -> None:
    """Metadata for a field the answer does not have (renamed in the core, say) is refused, not left behind."""

    @dataclasses.dataclass(frozen=True)
    class Answer:
        kept: str

    with pytest.raises(TypeError, match="has no field gone"):
        answer_type(Answer, name="AnswerForTest", fields={"gone": As(left_out="renamed")})
