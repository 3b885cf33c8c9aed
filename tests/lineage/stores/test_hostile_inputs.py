"""The hostile-input corpus (tests/hostile.py) against the store contract, on the embedded store and a real
Neo4j side by side: every read answers each bad input identically, and a few answers are checked against
the contract by hand."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from lineage.errors import LineageError, QueryError, RefusedText
from lineage.model import NodeKind
from lineage.store import Bounded, Neighbourhood, Paths, Store, Traversal
from lineage.stores.memory import MemoryStore
from tests import fixture_graph as g
from tests import hostile

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def stores(request: pytest.FixtureRequest) -> Iterator[tuple[Store, Store]]:
    memory = MemoryStore()
    neo4j: Store = request.getfixturevalue("_neo4j_store")
    neo4j.clear()
    for store in (memory, neo4j):
        store.write(g.NODES, g.EDGES)
    yield memory, neo4j
    neo4j.clear()


def _plain(value: Any) -> Any:
    """An answer as ids and counts, to compare across stores."""
    if isinstance(value, Bounded):
        return [_plain(item) for item in value.items], value.total, value.offset, value.total_exact
    if isinstance(value, Traversal | Neighbourhood):
        start = value.start.id if value.start else None
        page = value.reached if isinstance(value, Traversal) else value.hops
        return start, _plain(page)
    if isinstance(value, Paths):
        return (value.source and value.source.id, value.target and value.target.id, value.paths.total)
    if isinstance(value, dict):
        return sorted(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return (
        getattr(value, "id", None)
        or getattr(getattr(value, "node", None), "id", None)
        or getattr(getattr(value, "edge", None), "id", value)
    )


def outcome(store: Store, read: Callable[[Store], Any]) -> tuple:
    try:
        return ("answer", _plain(read(store)))
    except LineageError as exc:
        return ("refused", type(exc).__name__, str(exc))


def _string_reads(text: str) -> dict[str, Callable[[Store], Any]]:
    reads: dict[str, Callable[[Store], Any]] = {
        "get_node": lambda s: s.get_node(text),
        "neighbours": lambda s: s.neighbours(text),
        "traverse": lambda s: s.traverse(text),
        "paths from": lambda s: s.paths(text, g.O1),
        "paths to": lambda s: s.paths(g.S1, text),
        "search": lambda s: s.search(text),
    }
    if text not in hostile.SURROGATES:  # find_nodes is a primitive each store implements; the API refuses these
        reads["find_nodes"] = lambda s: s.find_nodes(NodeKind.DATA_ITEM, "alias", [text])
    return reads


def _page_reads(offset: int, limit: int) -> dict[str, Callable[[Store], Any]]:
    return {
        "list_nodes": lambda s: s.list_nodes(NodeKind.SCHOOL, limit, offset),
        "search": lambda s: s.search("o", limit=limit, offset=offset),
        "neighbours": lambda s: s.neighbours(g.O2, limit=limit, offset=offset),
        "traverse": lambda s: s.traverse(g.D2, limit=limit, offset=offset),
    }


CASES = [(f"{name}({text[:12]!r}…)", read) for text in hostile.STRINGS for name, read in _string_reads(text).items()]
CASES += [(f"{name}(offset={o})", read) for o in hostile.OFFSETS for name, read in _page_reads(o, 10).items()]
CASES += [(f"{name}(limit={n})", read) for n in hostile.LIMITS for name, read in _page_reads(0, n).items()]


@pytest.mark.parametrize(("case", "read"), CASES, ids=[case for case, _ in CASES])
def test_both_stores_answer_a_hostile_input_alike(stores: tuple[Store, Store], case: str, read) -> None:
    memory, neo4j = stores
    assert outcome(memory, read) == outcome(neo4j, read)


def test_what_the_contract_answers(stores: tuple[Store, Store]) -> None:
    assert issubclass(RefusedText, QueryError)  # a refused search text, in the words of no caller's argument
    for store in stores:
        assert outcome(store, lambda s: s.get_node("\ud800")) == (
            "refused", "QueryError", "id is not valid Unicode: a lone surrogate at character 0"
        )  # fmt: skip
        assert outcome(store, lambda s: s.search("a\udc00b")) == (
            "refused", "RefusedText", "search text is not valid Unicode: a lone surrogate at character 1"
        )  # fmt: skip
        assert outcome(store, lambda s: s.list_nodes(NodeKind.SCHOOL, 10, 2**63)) == (
            "refused", "QueryError", f"offset must be between 0 and 2147483647, got {2**63}"
        )  # fmt: skip
        assert outcome(store, lambda s: s.search("x" * 10_000)) == (
            "refused", "RefusedText", "search text is longer than 200 characters"
        )  # fmt: skip
        for text in hostile.INJECTIONS:
            assert store.get_node(text) is None
            assert store.search(text).total == 0
        assert store.list_nodes(NodeKind.SCHOOL, 10, 2**31 - 1).items == ()  # the last offset: an empty page
    assert stores[1].counts() == stores[0].counts()  # nothing was written or deleted
