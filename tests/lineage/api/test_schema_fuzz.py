"""The schema fuzzed: valid queries generated from graphql/schema.graphql by hypothesis-graphql, every root field
with arguments of every type (ids, names, references, URNs and years the real graph holds, boundary numbers,
dates good and bad, the hostile corpus, and arbitrary text), sent over HTTP to the app on the real graph, and
documents with one schema violation beside them. Whatever is asked, the answer is JSON with a documented
status, and every error has a message and a code that says whose it is: never an internal error.

The default run is small and derandomized (the same examples every run, no example database); the ``slow``
variants ask many more. A fault found here gets its own regression test with the exact query."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, nodes, queries

from lineage.api.app import create_app
from lineage.api.protocol import GRAPHQL_JSON, JSON
from lineage.model import NodeKind
from lineage.store import MAX_DEPTH, Store
from tests import hostile
from tests.conftest import _Built

pytestmark = pytest.mark.heavy  # see pyproject.toml's markers: run first

SDL = (Path(__file__).resolve().parents[3] / "graphql" / "schema.graphql").read_text(encoding="utf-8")
SCHEMA = graphql.build_schema(SDL)
#: The codes README.md's Limits documents as the caller's: not ours (INTERNAL_SERVER_ERROR), and not TIMEOUT or
#: STORE_UNAVAILABLE, which no query within the limits should meet on a store that is up.
CODES = {
    "BAD_USER_INPUT", "NOT_FOUND", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED",
    "OPERATION_RESOLUTION_FAILURE", "DEPTH_LIMIT", "ALIAS_LIMIT", "TOKEN_LIMIT", "COST_LIMIT",
    "PERSISTED_QUERY_NOT_FOUND", "BAD_REQUEST",
}  # fmt: skip
#: The statuses the GraphQL-over-HTTP spec, as README.md says the app follows it, gives each media type.
STATUSES = {JSON: {200}, GRAPHQL_JSON: {200, 203, 400}}
#: Numbers an argument is likely to be wrong at: signs, page and depth bounds, 32 bits, years around the record.
BOUNDARY_INTS = sorted(
    {-(2**31), -1, 0, 1, 2, 3, 10, 20, 99, 100, 101, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 1_000, 2**31 - 1}
    | {1900, 1999, 2000, 2010, 2012, 2017, 2020, 2024, 2030, 9999}
)
BAD_DATES = ["2020-13-01", "2020-02-30", "", " ", "2020-1-1", "01/09/2020", "2020-09-01T00:00:00", "0000-01-01"]
FORMATS = ["txt", "md", "html", "json", "csv", "pdf", "TXT", ""]


@dataclass(frozen=True)
class GraphValues:
    """Strings and numbers the real graph holds: a fuzzer's arbitrary text almost never names a node."""

    strings: tuple[str, ...]
    ints: tuple[int, ...]
    #: each kind's strings and numbers, for the arguments that name a node of that kind
    by_kind: dict[NodeKind, tuple[str | int, ...]]


def graph_values(store: Store, per_kind: int = 6) -> GraphValues:
    """A spread of each kind's nodes (every nth by id, so the same every run): their ids, keys, names and short
    text properties, and their whole-number properties (URNs, years)."""
    by_kind: dict[NodeKind, tuple[str | int, ...]] = {}
    for kind in NodeKind:
        found = sorted(store.all_nodes(kind), key=lambda node: node.id)
        held: set[str | int] = set()
        for node in found[:: max(1, len(found) // per_kind)][:per_kind]:
            held |= {node.id, node.key, node.name}
            for value in node.props.values():
                if isinstance(value, str) and len(value) <= 80:
                    held.add(value)
                elif isinstance(value, tuple):
                    held |= {v for v in value if isinstance(v, str) and len(v) <= 80}
                elif isinstance(value, int) and not isinstance(value, bool):
                    held.add(value)
        by_kind[kind] = tuple(sorted(held, key=repr))
    every = {value for values in by_kind.values() for value in values}
    strings = tuple(sorted(v for v in every if isinstance(v, str)))
    ints = tuple(sorted(v for v in every if isinstance(v, int)))
    return GraphValues(strings, ints, by_kind)


def scalars(values: GraphValues) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """Strategies for every scalar argument: mostly what the graph holds and small numbers (so that most
    queries get past the arguments' checks and run), then what is likely to break, then arbitrary values."""
    held = st.sampled_from(values.strings)
    cursors = st.integers(0, 40).map(lambda offset: hostile.cursor(f"offset:{offset}"))  # as the API writes them
    bad = st.sampled_from(hostile.STRINGS + hostile.CURSORS + FORMATS)
    texts = st.one_of(held, held, held, cursors, bad, st.text(max_size=30))
    small = st.integers(0, 12)
    numbers = st.one_of(
        small, small, st.sampled_from(values.ints), st.sampled_from(BOUNDARY_INTS), st.integers(-(2**31), 2**31 - 1)
    )
    dates = st.one_of(st.dates().map(lambda day: day.isoformat()), st.sampled_from(BAD_DATES))
    return {
        "String": texts.map(nodes.String),
        "ID": texts.map(nodes.String),
        "Int": numbers.map(nodes.Int),
        "Date": dates.map(nodes.String),
        "DateTime": dates.map(nodes.String),
    }


def strategy(values: GraphValues, mode: Mode = Mode.POSITIVE) -> st.SearchStrategy[graphql.DocumentNode]:
    """A query of one root field (each as likely as any other), or of any of them together; with a schema
    violation, of one root field that takes arguments, the built-in scalars violated as hypothesis-graphql
    chooses (it cannot violate the ones given strategies here)."""
    fields = SCHEMA.query_type.fields  # type: ignore[union-attr]
    custom = scalars(values)
    if mode is Mode.NEGATIVE:
        fields = {name: field for name, field in fields.items() if field.args}
        custom = {name: custom[name] for name in ("Date", "DateTime")}
    whole = [] if mode is Mode.NEGATIVE else [None]
    return st.one_of(
        [
            queries(SCHEMA, fields=field, custom_scalars=custom, mode=mode, print_ast=lambda document: document)
            for field in [*whole, *([name] for name in fields)]
        ]
    )


#: Arguments that name a node, by the kinds it may be of ("field.argument" first, then the argument's name).
NAMED_KINDS = {
    "id": tuple(NodeKind), "source": tuple(NodeKind), "target": tuple(NodeKind), "node": tuple(NodeKind),
    "text": tuple(NodeKind), "item": (NodeKind.DATA_ITEM,), "concept": (NodeKind.CONCEPT,),
    "dataset": (NodeKind.DATASET,), "name": (NodeKind.ORGANISATION,), "organisation": (NodeKind.ORGANISATION,),
    "organisationType": (NodeKind.ORGANISATION,), "organisationTypes": (NodeKind.ORGANISATION,),
    "reference": (NodeKind.RELEASE, NodeKind.APPROVAL), "urn": (NodeKind.SCHOOL,),
    "onwardSharing.from": (NodeKind.RECORD_SET, NodeKind.DATASET, NodeKind.ORGANISATION),
    "kinds": (NodeKind.EVENT,), "sensitivity": (NodeKind.DATA_ITEM, NodeKind.CLASSIFICATION),
    "identifiability": (NodeKind.DATA_ITEM, NodeKind.CLASSIFICATION),
}  # fmt: skip
#: Arguments whose good values are few and known: pages, depths, years, formats, cursors.
NAMED_VALUES: dict[tuple[str, type], st.SearchStrategy[Any]] = {
    ("first", int): st.integers(0, 25),
    ("depth", int): st.integers(1, 6),
    ("maxPaths", int): st.integers(1, 5),
    ("fromYear", int): st.integers(2000, 2026),
    ("toYear", int): st.integers(2000, 2026),
    ("identifiability", int): st.integers(1, 5),
    ("format", str): st.sampled_from(["txt", "md", "html"]),
    ("sensitivity", str): st.sampled_from("ABCDE"),
    ("after", str): st.integers(0, 40).map(lambda offset: hostile.cursor(f"offset:{offset}")),
}


def argument_values(values: GraphValues, field: str, argument: str, want: type) -> st.SearchStrategy[Any] | None:
    """Likely good values of type ``want`` (str or int) for one argument, by its name: what the graph holds of
    the kinds it names, or its known values."""
    kinds = NAMED_KINDS.get(f"{field}.{argument}", NAMED_KINDS.get(argument, ()))
    held = sorted({v for kind in kinds for v in values.by_kind[kind] if isinstance(v, want)}, key=repr)
    choices: list[st.SearchStrategy[Any]] = [st.sampled_from(held)] if held else []
    known = NAMED_VALUES.get((argument, want))
    if known is not None and f"{field}.{argument}" not in NAMED_KINDS:
        choices.append(known)
    return st.one_of(*choices) if choices else None


def well_formed(values: GraphValues, document: graphql.DocumentNode, data: st.DataObject) -> graphql.DocumentNode:
    """The document with most of its scalar arguments replaced by likely good values of the same type (an Int
    by an int, a String by a string), so that more of each query gets past its arguments' checks and runs."""

    def replace(node: graphql.ValueNode, field: str, argument: str) -> graphql.ValueNode:
        if isinstance(node, graphql.ListValueNode):
            return graphql.ListValueNode(values=tuple(replace(item, field, argument) for item in node.values))
        if not isinstance(node, (graphql.StringValueNode, graphql.IntValueNode)):
            return node
        want = str if isinstance(node, graphql.StringValueNode) else int
        good = argument_values(values, field, argument, want)
        if good is None or not data.draw(st.sampled_from([True, True, True, False]), label=f"replace {argument}"):
            return node
        value = data.draw(good, label=f"{field}({argument})")
        return nodes.String(value) if want is str else nodes.Int(value)

    class Replacer(graphql.Visitor):
        def enter_field(self, node: graphql.FieldNode, *_: object) -> graphql.FieldNode:
            arguments = tuple(
                graphql.ArgumentNode(name=a.name, value=replace(a.value, node.name.value, a.name.value))
                for a in node.arguments or ()
            )
            return graphql.FieldNode(
                alias=node.alias, name=node.name, arguments=arguments, directives=node.directives,
                selection_set=node.selection_set,
            )  # fmt: skip

    replaced: graphql.DocumentNode = graphql.visit(document, Replacer())
    return replaced


def as_variables(document: graphql.DocumentNode, data: st.DataObject) -> tuple[graphql.DocumentNode, dict[str, Any]]:
    """The document with some of its root fields' arguments sent as variables (declared with the argument's
    type, their values as JSON), as clients send them: a variable's value is coerced by another path than a
    literal's."""
    root = SCHEMA.query_type
    assert root is not None
    variables: dict[str, Any] = {}
    definitions: list[graphql.VariableDefinitionNode] = []
    operation = document.definitions[0]
    assert isinstance(operation, graphql.OperationDefinitionNode)
    selections = []
    for selection in operation.selection_set.selections:
        if not isinstance(selection, graphql.FieldNode) or selection.name.value not in root.fields:
            selections.append(selection)
            continue
        declared = root.fields[selection.name.value].args
        arguments = []
        for argument in selection.arguments or ():
            type_ = declared[argument.name.value].type
            if not data.draw(st.booleans(), label=f"{argument.name.value} as a variable"):
                arguments.append(argument)
                continue
            name = f"v{len(definitions)}"
            variables[name] = graphql.value_from_ast_untyped(argument.value)
            type_node = graphql.parse_type(str(type_))
            definitions.append(
                graphql.VariableDefinitionNode(
                    variable=graphql.VariableNode(name=graphql.NameNode(value=name)), type=type_node
                )
            )
            arguments.append(
                graphql.ArgumentNode(name=argument.name, value=graphql.VariableNode(name=graphql.NameNode(value=name)))
            )
        selections.append(
            graphql.FieldNode(
                alias=selection.alias,
                name=selection.name,
                arguments=tuple(arguments),
                directives=selection.directives,
                selection_set=selection.selection_set,
            )
        )
    operation = graphql.OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=tuple(definitions),
        directives=operation.directives,
        selection_set=graphql.SelectionSetNode(selections=tuple(selections)),
    )
    return graphql.DocumentNode(definitions=(operation, *document.definitions[1:])), variables


@dataclass(frozen=True)
class Answer:
    status: int
    media: str
    body: Any


class Asker:
    """The app on one store over httpx's ASGI transport, asked from one event loop for the whole module."""

    def __init__(self, store: Store) -> None:
        self.runner = asyncio.Runner()
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store)), base_url="http://test")
        self.values = graph_values(store)
        self.strategies = {mode: strategy(self.values, mode) for mode in Mode}

    def ask(self, query: str, accept: str, method: str, variables: dict[str, Any] | None = None) -> Answer:
        async def send() -> httpx.Response:
            if method == "GET":  # a lone surrogate goes as the bytes of its UTF-8 form, which is not UTF-8
                address = "/graphql?query=" + quote(query, safe="", errors="surrogatepass")
                if variables:
                    address += "&variables=" + quote(json.dumps(variables), safe="")
                return await self.http.get(address, headers={"accept": accept})
            # JSON escapes a lone surrogate, as any client may send it (httpx's own encoder refuses it)
            body = json.dumps({"query": query, "variables": variables})
            return await self.http.post("/graphql", content=body, headers={"content-type": JSON, "accept": accept})

        response = self.runner.run(send())
        try:
            body = response.json()
        except ValueError:
            body = None
        return Answer(response.status_code, response.headers.get("content-type", ""), body)

    def close(self) -> None:
        self.runner.run(self.http.aclose())
        self.runner.close()


def check(answer: Answer, accept: str, query: str, variables: dict[str, Any]) -> None:
    """The contract, for any query: JSON, a documented status, and every error coded and not ours. A request
    that is not GraphQL over HTTP (a GET parameter that is not UTF-8) is refused before it is one: 400, with a
    JSON error, whatever the media type asked (lineage.api.app)."""
    # the query as escapes where it holds a lone surrogate: a failure's report must cross to pytest-xdist's
    # controller as UTF-8, or the run stops with an internal error that hides the failure
    shown = query.encode("utf-8", "backslashreplace").decode("utf-8")
    where = f"for the query:\n{shown}\nwith variables {variables!a}\n"
    assert answer.body is not None, f"{where}the answer (status {answer.status}) is not JSON"
    refused = answer.status == 400 and {e["extensions"]["code"] for e in answer.body["errors"]} == {"BAD_REQUEST"}
    assert refused or answer.status in STATUSES[accept], f"{where}status {answer.status}: {answer.body}"
    media = JSON if refused else accept
    assert answer.media.startswith(media), f"{where}answered as {answer.media}"
    assert isinstance(answer.body, dict) and ({"data", "errors"} & answer.body.keys()), f"{where}{answer.body}"
    for error in answer.body.get("errors") or ():
        code = (error.get("extensions") or {}).get("code")
        assert code != "INTERNAL_SERVER_ERROR", f"{where}an internal error: {error}"
        assert code in CODES, f"{where}an error without a documented code: {error}"
        assert isinstance(error.get("message"), str) and error["message"].strip(), f"{where}no message: {error}"


@pytest.fixture(scope="module")
def on_memory(_memory_real: _Built) -> Iterator[Asker]:
    asker = Asker(_memory_real.unchanged())
    yield asker
    asker.close()


@pytest.fixture(scope="module")
def on_neo4j(_neo4j_real: _Built) -> Iterator[Asker]:
    asker = Asker(_neo4j_real.unchanged())
    yield asker
    asker.close()


def fuzzing(examples: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """A test asking ``examples`` generated queries, each as GET or POST, with either media type; the same
    examples every run."""

    def decorate(test: Callable[..., None]) -> Callable[..., None]:
        given_ = given(
            data=st.data(),
            accept=st.sampled_from([JSON, GRAPHQL_JSON]),
            method=st.sampled_from(["POST", "POST", "GET"]),
        )
        return settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )(given_(test))

    return decorate


def ask_one(asker: Asker, data: st.DataObject, accept: str, method: str, mode: Mode = Mode.POSITIVE) -> None:
    document = data.draw(asker.strategies[mode], label="document")
    if mode is Mode.POSITIVE:
        document = well_formed(asker.values, document, data)
    variables: dict[str, Any] = {}
    if data.draw(st.booleans(), label="variables"):
        document, variables = as_variables(document, data)
    query = graphql.print_ast(document)
    answer = asker.ask(query, accept, method, variables)
    body = answer.body if isinstance(answer.body, dict) else {}
    codes = sorted({str((e.get("extensions") or {}).get("code")) for e in body.get("errors") or ()})
    ran = any(value is not None for value in (body.get("data") or {}).values())
    event(f"{mode.name}: {'some data' if ran else 'no data'}; {', '.join(codes) or 'no error'}")
    check(answer, accept, query, variables)


@fuzzing(200)
def test_generated_queries_on_the_embedded_store(
    on_memory: Asker, data: st.DataObject, accept: str, method: str
) -> None:
    ask_one(on_memory, data, accept, method)


@fuzzing(50)
def test_queries_with_a_schema_violation_on_the_embedded_store(
    on_memory: Asker, data: st.DataObject, accept: str, method: str
) -> None:
    ask_one(on_memory, data, accept, method, Mode.NEGATIVE)


@pytest.mark.neo4j
@fuzzing(30)
def test_generated_queries_on_neo4j(on_neo4j: Asker, data: st.DataObject, accept: str, method: str) -> None:
    ask_one(on_neo4j, data, accept, method)


@pytest.mark.slow
@fuzzing(2_000)
def test_many_generated_queries_on_the_embedded_store(
    on_memory: Asker, data: st.DataObject, accept: str, method: str
) -> None:
    ask_one(on_memory, data, accept, method)


@pytest.mark.slow
@fuzzing(500)
def test_many_queries_with_a_schema_violation_on_the_embedded_store(
    on_memory: Asker, data: st.DataObject, accept: str, method: str
) -> None:
    ask_one(on_memory, data, accept, method, Mode.NEGATIVE)


@pytest.mark.slow
@pytest.mark.neo4j
@fuzzing(300)
def test_many_generated_queries_on_neo4j(on_neo4j: Asker, data: st.DataObject, accept: str, method: str) -> None:
    ask_one(on_neo4j, data, accept, method)
