"""Shared fixtures: the two stores every conformance test runs against, the real Neo4j behind one, and the
real graph on each.

Neo4j comes from ``tools/neo4j-dev/neo4j-dev.sh`` (embedded Neo4j with Bolt on 127.0.0.1), started once
per test session, or from ``LINEAGE_NEO4J_URI`` when set. Without Java and Maven the Neo4j tests skip
with a one-line reason; with ``LINEAGE_REQUIRE_NEO4J=1`` (set by ``.ci/run``) that skip is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from importers.build import build_real_graph
from lineage.store import Store
from lineage.stores.memory import MemoryStore

ROOT = Path(__file__).resolve().parent.parent
NEO4J_DEV = ROOT / "tools" / "neo4j-dev" / "neo4j-dev.sh"
REQUIRE_NEO4J = os.environ.get("LINEAGE_REQUIRE_NEO4J") == "1"


def _unavailable(reason: str) -> None:
    if REQUIRE_NEO4J:
        pytest.fail(f"Neo4j is required here (LINEAGE_REQUIRE_NEO4J=1) but unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    uri = os.environ.get("LINEAGE_NEO4J_URI")
    if uri:
        yield uri
        return
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        _unavailable(f"Neo4j tests need {' and '.join(missing)} to build tools/neo4j-dev (or set LINEAGE_NEO4J_URI)")
    state = tmp_path_factory.mktemp("neo4j")
    started = subprocess.run(["bash", str(NEO4J_DEV), "start", str(state)], capture_output=True, text=True)
    if started.returncode != 0:
        _unavailable(f"tools/neo4j-dev could not start Neo4j: {started.stderr.strip()[-500:]}")
    try:
        # the file, not standard output: a first Maven build may leave colour codes on the last line printed
        yield (state / "uri").read_text(encoding="utf-8").strip()
    finally:
        subprocess.run(["bash", str(NEO4J_DEV), "stop", str(state)], capture_output=True)


@pytest.fixture(scope="session")
def _neo4j_store(neo4j_uri: str) -> Iterator[Store]:
    from lineage.stores.neo4j import Neo4jStore

    store = Neo4jStore(neo4j_uri)
    yield store
    store.close()


@pytest.fixture(scope="session")
def memory_real() -> MemoryStore:
    """The real graph built from the bundled data in the embedded store, once per session: tests only read it."""
    store = MemoryStore()
    build_real_graph(store)
    return store


@pytest.fixture(scope="module")
def neo4j_real(request: pytest.FixtureRequest) -> Iterator[Store]:
    """The real graph in Neo4j for one module's tests; the server is shared, so it is emptied after them."""
    store: Store = request.getfixturevalue("_neo4j_store")
    store.clear()
    build_real_graph(store)
    yield store
    store.clear()


@pytest.fixture(scope="module", params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def real_store(request: pytest.FixtureRequest) -> Store:
    """The real graph, built from the bundled data, on each store."""
    return request.getfixturevalue("memory_real" if request.param == "memory" else "neo4j_real")


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def empty_store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """An empty store of each kind; the Neo4j one is emptied again after the test."""
    if request.param == "memory":
        yield MemoryStore()
        return
    store: Store = request.getfixturevalue("_neo4j_store")
    store.clear()
    yield store
    store.clear()


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
