"""Shared fixtures: the two stores every conformance test runs against, the real Neo4j servers behind one, and
the real graph on each.

Neo4j comes from ``tools/neo4j-dev/neo4j-dev.sh`` (embedded Neo4j with Bolt on 127.0.0.1). Two servers are
started, each once per test session: one holds the real graph, built once and only read (``neo4j_real``), the
other is the scratch server every writing test empties and fills (``empty_store``, ``_neo4j_store``,
``neo4j_uri``), so no write ever reaches the real graph and it is never rebuilt. ``LINEAGE_NEO4J_URI`` names a
scratch server to use instead of starting one, ``LINEAGE_NEO4J_REAL_URI`` a server for the real graph (it is
emptied and rebuilt there once). Without Java and Maven the Neo4j tests skip with a one-line reason; with
``LINEAGE_REQUIRE_NEO4J=1`` (set by ``.ci/run``) that skip is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Hashable, Iterator
from pathlib import Path

import pytest

from importers.build import build_real_graph
from lineage.store import Store
from lineage.stores.memory import MemoryStore
from tests import fixture_graph as g

ROOT = Path(__file__).resolve().parent.parent
NEO4J_DEV = ROOT / "tools" / "neo4j-dev" / "neo4j-dev.sh"
REQUIRE_NEO4J = os.environ.get("LINEAGE_REQUIRE_NEO4J") == "1"


def _unavailable(reason: str) -> None:
    if REQUIRE_NEO4J:
        pytest.fail(f"Neo4j is required here (LINEAGE_REQUIRE_NEO4J=1) but unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


def _dev_server(variable: str, tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[str]:
    """The server ``variable`` names, or one of tools/neo4j-dev's started on a state directory of its own."""
    uri = os.environ.get(variable)
    if uri:
        yield uri
        return
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        _unavailable(f"Neo4j tests need {' and '.join(missing)} to build tools/neo4j-dev (or set {variable})")
    state = tmp_path_factory.mktemp(name)
    started = subprocess.run(["bash", str(NEO4J_DEV), "start", str(state)], capture_output=True, text=True)
    if started.returncode != 0:
        _unavailable(f"tools/neo4j-dev could not start Neo4j: {started.stderr.strip()[-500:]}")
    try:
        # the file, not standard output: a first Maven build may leave colour codes on the last line printed
        yield (state / "uri").read_text(encoding="utf-8").strip()
    finally:
        subprocess.run(["bash", str(NEO4J_DEV), "stop", str(state)], capture_output=True)


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The scratch server: tests write to it and empty it; the real graph is never there."""
    yield from _dev_server("LINEAGE_NEO4J_URI", tmp_path_factory, "neo4j")


@pytest.fixture(scope="session")
def _neo4j_store(neo4j_uri: str) -> Iterator[Store]:
    """A store on the scratch server, for tests that write (each empties it first)."""
    from lineage.stores.neo4j import Neo4jStore

    store = Neo4jStore(neo4j_uri)
    yield store
    store.close()


class _Built:
    """A real graph built once per session, and the version it was left at: a module that finds another
    version (a test wrote to the shared graph) fails rather than reading a changed graph."""

    def __init__(self, store: Store) -> None:
        self.store = store
        build_real_graph(store)
        self.version: Hashable = store.version()

    def unchanged(self) -> Store:
        if self.store.version() != self.version:
            pytest.fail(f"a test wrote to the shared real graph on the {self.store.name} store", pytrace=False)
        return self.store


@pytest.fixture(scope="session")
def _memory_real() -> _Built:
    return _Built(MemoryStore())


@pytest.fixture(scope="session")
def memory_real(_memory_real: _Built) -> MemoryStore:
    """The real graph built from the bundled data in the embedded store, once per session: tests only read it."""
    assert isinstance(_memory_real.store, MemoryStore)
    return _memory_real.store


@pytest.fixture(scope="session")
def _neo4j_real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Built]:
    from lineage.stores.neo4j import Neo4jStore

    for uri in _dev_server("LINEAGE_NEO4J_REAL_URI", tmp_path_factory, "neo4j-real"):
        store = Neo4jStore(uri)
        try:
            store.clear()  # a server named by LINEAGE_NEO4J_REAL_URI may hold an older graph
            yield _Built(store)
        finally:
            store.close()


@pytest.fixture(scope="session")
def neo4j_real(_neo4j_real: _Built) -> Store:
    """The real graph in Neo4j, built once per session on a server of its own: tests only read it, and no test
    that writes is given that server."""
    return _neo4j_real.store


@pytest.fixture(scope="module", params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def real_store(request: pytest.FixtureRequest) -> Store:
    """The real graph, built from the bundled data, on each store (read only: shared by every module)."""
    built: _Built = request.getfixturevalue("_memory_real" if request.param == "memory" else "_neo4j_real")
    return built.unchanged()


class _Scratch:
    """The scratch server's store, and the version it was at when it last held just the fixture graph."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.fixture_version: Hashable | None = None

    def empty(self) -> Store:
        self.store.clear()
        return self.store

    def with_fixture_graph(self) -> Store:
        """The fixture graph alone: written again only when something changed the store since it was."""
        if self.fixture_version is None or self.store.version() != self.fixture_version:
            self.store.clear()
            self.store.write(g.NODES, g.EDGES)
            self.fixture_version = self.store.version()
        return self.store


@pytest.fixture(scope="session")
def _scratch(_neo4j_store: Store) -> _Scratch:
    return _Scratch(_neo4j_store)


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def empty_store(request: pytest.FixtureRequest) -> Store:
    """An empty store of each kind; the Neo4j one is the scratch server, emptied before each test (every test
    that writes there empties it first, so none needs emptying after)."""
    if request.param == "memory":
        return MemoryStore()
    scratch: _Scratch = request.getfixturevalue("_scratch")
    return scratch.empty()


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def fixture_store(request: pytest.FixtureRequest) -> Store:
    """The fictional fixture graph (tests/fixture_graph.py) alone in a store of each kind, written for each test
    (on Neo4j, again only if the last test changed it: a write or clear anywhere changes the store's version)."""
    if request.param == "memory":
        store = MemoryStore()
        store.write(g.NODES, g.EDGES)
        return store
    scratch: _Scratch = request.getfixturevalue("_scratch")
    return scratch.with_fixture_graph()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many Neo4j tests ran, so a run that quietly skipped them is visible."""
    outcomes: dict[str, int] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "call") in ("call", "setup") and "neo4j" in getattr(report, "keywords", {}):
                if outcome == "passed" and report.when != "call":
                    continue
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
    summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items())) or "none collected"
    terminalreporter.write_line(f"Neo4j tests: {summary}")
