"""Every field of every question's answer reaches the API, so nothing the questions work out is dropped on the
way to a reader without saying so.

Both sides are read from the code's structure, never from its output: the answer classes from the return
annotations of the functions lineage.questions offers, and the dataclasses their fields hold; the API type
each becomes from the annotations of the cookbook's converters (a module-level function whose first
parameter is an answer class and which returns a strawberry type); the names from the served schema. A field
the API gives under another name, or spreads over several, is in :data:`EXPOSED_AS`; one it does not give
at all is in :data:`NOT_EXPOSED`, with the reason.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
import pkgutil
import typing

from graphql import GraphQLObjectType
from strawberry.types.base import has_object_definition
from strawberry.utils.str_converters import to_camel_case

from lineage import questions
from lineage.api import cookbook
from lineage.api.schema import build_schema
from lineage.questions.records import Held, RecipientGroup

#: Fields the API gives under another name, or spreads over several fields: each name must be on the type.
EXPOSED_AS: dict[tuple[type, str], tuple[str, ...]] = {
    # the items reached; the REFERS_TO link by which each is reached is among the statement's means
    (questions.Stated, "reaches"): ("items", "means"),
    # the chain's links in order, and every source along them gathered once
    (questions.Receipt, "chain"): ("links", "citations"),
    (questions.NotReceived, "chain"): ("links", "citations"),
    (questions.NotReceived, "stated"): ("statement",),
    (questions.UnpublishedScope, "sent"): ("link",),
    # published figures; "flows" in the schema is the Sankey
    (questions.MatchingRequests, "flows"): ("figures",),
    # the data sets and years matched, in words with academic years as a reader writes them; or why none can be
    (questions.Reach, "spans"): ("matched",),
    (questions.Reach, "note"): ("matched",),
    # a pair of years, as two arguments are asked
    (questions.PupilReach, "years"): ("fromYear", "toYear"),
    (Held, "years"): ("fromYear", "toYear"),
    (questions.RecordReach, "years"): ("fromYear", "toYear"),
    # the reach's fields on the release itself; its organisations are the group's recipients
    (questions.RecordRelease, "reach"): ("release", "matched", "basis", "certainty", "scopePublished"),
    (RecipientGroup, "org_type"): ("organisationType",),
    # counted whole, and paged within each group of recipients
    (questions.RecordReach, "releases"): ("releasesCount", "groups"),
}

#: Fields no API type gives, and why.
NOT_EXPOSED: dict[tuple[type, str], str] = {}  # none today: every answer field reaches the API


def _reached(hint: object, found: set[type]) -> None:
    """Adds the answer classes a type annotation names (inside lists, tuples, unions and generics), and those
    their fields hold."""
    for argument in typing.get_args(hint):
        _reached(argument, found)
    is_answer = isinstance(hint, type) and dataclasses.is_dataclass(hint)
    if is_answer and hint.__module__.startswith("lineage.questions.") and hint not in found:
        found.add(hint)
        hints = typing.get_type_hints(hint)
        for field in dataclasses.fields(hint):
            _reached(hints[field.name], found)


def answer_classes() -> set[type]:
    """The dataclasses the questions return, and those held in their fields, however deep."""
    found: set[type] = set()
    for name in questions.__all__:
        offered = getattr(questions, name)
        if inspect.isfunction(offered):
            _reached(typing.get_type_hints(offered).get("return"), found)
    return found


def api_types() -> dict[type, set[type]]:
    """Each answer class, and the API types the cookbook's converters build from it."""
    built: dict[type, set[type]] = {}
    for module_info in pkgutil.iter_modules(cookbook.__path__, f"{cookbook.__name__}."):
        module = importlib.import_module(module_info.name)
        for function in vars(module).values():
            if not (inspect.isfunction(function) and function.__module__ == module.__name__):
                continue
            hints = typing.get_type_hints(function)
            parameters = list(inspect.signature(function).parameters)
            answer, result = hints.get(parameters[0]) if parameters else None, hints.get("return")
            if isinstance(answer, type) and has_object_definition(result):
                built.setdefault(answer, set()).add(result)
    return built


@functools.cache
def served_fields() -> dict[str, set[str]]:
    """Each object type's field names, as the served schema spells them."""
    types = build_schema()._schema.type_map
    return {name: set(served.fields) for name, served in types.items() if isinstance(served, GraphQLObjectType)}


def test_the_walk_reaches_answers_held_only_inside_others() -> None:
    # a statement, a release's recipients group and a published total are returned by no question directly
    assert {questions.Stated, RecipientGroup, questions.PublishedTotal} <= answer_classes()


def test_every_answer_field_is_in_the_api_or_said_why_not() -> None:
    built = api_types()
    missing = []
    for answer in sorted(answer_classes(), key=lambda cls: cls.__qualname__):
        assert built.get(answer), f"no cookbook converter takes {answer.__module__}.{answer.__qualname__}"
        for api_type in built[answer]:
            given = served_fields()[api_type.__strawberry_definition__.name]
            for field in dataclasses.fields(answer):
                if (answer, field.name) in NOT_EXPOSED:
                    continue
                names = EXPOSED_AS.get((answer, field.name), (to_camel_case(field.name),))
                missing += [f"{answer.__qualname__}.{field.name} -> {api_type.__name__}.{n}" for n in names
                            if n not in given]  # fmt: skip
    assert missing == []


def test_each_exception_names_a_field_not_given_by_its_own_name() -> None:
    """An entry for a field that is gone, or is now given under its own name, is stale: it would hide a change."""
    built = api_types()
    for answer, name in [*EXPOSED_AS, *NOT_EXPOSED]:
        assert name in {field.name for field in dataclasses.fields(answer)}, f"{answer.__qualname__} has no {name}"
        for api_type in built[answer]:
            assert to_camel_case(name) not in served_fields()[api_type.__strawberry_definition__.name], (
                f"{api_type.__name__} gives {name}: drop its entry"
            )
