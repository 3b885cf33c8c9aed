"""Neo4j is shared by processes (a server answering, an import writing): what one store object writes,
another on the same database must see, including in the answers the questions keep (lineage.questions)."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterator

import pytest

from lineage import questions
from lineage.errors import NotFound
from lineage.store import Store
from lineage.stores.neo4j import Neo4jStore
from tests import fixture_graph as g

pytestmark = [pytest.mark.neo4j, pytest.mark.heavy]  # heavy: see pyproject.toml's markers


@pytest.fixture
def writer(_neo4j_store: Store) -> Iterator[Store]:
    _neo4j_store.clear()
    yield _neo4j_store
    _neo4j_store.clear()


@pytest.fixture
def reader(neo4j_uri: str) -> Iterator[Store]:
    store = Neo4jStore(neo4j_uri)
    yield store
    store.close()


def test_another_store_objects_writes_change_the_version(writer: Store, reader: Store) -> None:
    before = reader.version()
    writer.write(g.NODES, g.EDGES)
    assert reader.version() != before and reader.version() == writer.version()


def test_kept_answers_follow_another_processs_writes(writer: Store, reader: Store) -> None:
    writer.write(g.NODES, g.EDGES)
    assert questions.flows(reader).releases_counted == 2  # R1 and R2
    assert questions.pupil_reach(reader, 9000001, 2001, 2020).reaches
    writer.clear()
    assert questions.flows(reader).releases_counted == 0
    with pytest.raises(NotFound):  # the school went with the graph
        questions.pupil_reach(reader, 9000001, 2001, 2020)


def test_processes_opening_a_database_without_its_schema_together_all_open(writer: Store, neo4j_uri: str) -> None:
    """Found by killing a server mid-import: an import and a watcher opening a fresh database at once both
    created the schema, and the later one failed on "an equivalent index already exists". A race, so run
    a few times with several openers."""
    assert isinstance(writer, Neo4jStore)
    query = "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' AND name <> 'state_id'"
    names = [r["name"] for r in writer.driver.execute_query(query)[0]]
    for _ in range(3):
        for name in names:  # the constraints' own indexes go with the constraints
            writer.driver.execute_query(f"DROP CONSTRAINT {name} IF EXISTS")
            writer.driver.execute_query(f"DROP INDEX {name} IF EXISTS")
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            opened = list(pool.map(lambda _: Neo4jStore(neo4j_uri), range(8)))
        for store in opened:
            store.close()
        assert set(names) <= {r["name"] for r in writer.driver.execute_query("SHOW INDEXES YIELD name")[0]}
