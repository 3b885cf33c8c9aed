"""Shared fixtures: the two stores every conformance test runs against, the real Neo4j servers behind one, and
the real graph on each.

Neo4j comes from ``tools/neo4j-dev/neo4j-dev.sh`` (embedded Neo4j with Bolt on 127.0.0.1). A test run starts
its servers once, all in one JVM, when a test first asks for one: one holds the real graph, built once and only
read (``neo4j_real``); the others are scratch servers, one for each process of the run, that every writing test
empties and fills (``empty_store``, ``_neo4j_store``, ``neo4j_uri``), so no write ever reaches the real graph
and it is never rebuilt. One JVM rather than one per server: on two cores, three JVMs each loading and compiling
Neo4j's code took more of the run than the tests they served. ``LINEAGE_NEO4J_URI`` names a scratch server to
use instead (for a run in one process), ``LINEAGE_NEO4J_REAL_URI`` a server for the real graph (it is emptied
and rebuilt there once). Without Java and Maven the Neo4j tests skip with a one-line reason; with
``LINEAGE_REQUIRE_NEO4J=1`` (set by ``.ci/run``) that skip is a failure.

Under pytest-xdist (``make test`` runs ``-n``) each worker is a session of its own: it builds the real graph in
the embedded store for itself (seconds) and uses its own scratch server, but the servers are started, and the
real graph built on Neo4j, once for the whole run, by the first worker that asks, and killed by the run's
first process when every worker is done (``LINEAGE_TEST_RUN`` names the folder they share).
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Hashable, Iterator
from pathlib import Path

import pytest
from filelock import FileLock

from importers.build import build_real_graph
from lineage.store import Store
from lineage.stores.memory import GC_THRESHOLDS, MemoryStore
from tests import fixture_graph as g

ROOT = Path(__file__).resolve().parent.parent
NEO4J_DEV = ROOT / "tools" / "neo4j-dev" / "neo4j-dev.sh"
REQUIRE_NEO4J = os.environ.get("LINEAGE_REQUIRE_NEO4J") == "1"


def _unavailable(reason: str) -> None:
    if REQUIRE_NEO4J:
        pytest.fail(f"Neo4j is required here (LINEAGE_REQUIRE_NEO4J=1) but unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


def neo4j_dev(*args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    """tools/neo4j-dev's script run with ``args``, its output captured, ``env`` set over this environment."""
    return subprocess.run(
        ["bash", str(NEO4J_DEV), *map(str, args)], capture_output=True, text=True, env={**os.environ, **env}
    )


def _start_dev_servers(state: Path, names: list[str]) -> str | None:
    """tools/neo4j-dev's servers, one per name, started in one JVM on ``state``; or why they could not be
    (Java or Maven missing, or Neo4j not starting)."""
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        return (
            f"Neo4j tests need {' and '.join(missing)} to build tools/neo4j-dev "
            "(or set LINEAGE_NEO4J_URI and LINEAGE_NEO4J_REAL_URI)"
        )
    started = neo4j_dev("start-many", state, *names, NEO4J_DEV_LEARN=os.environ.get(WHOLE_RUN, ""))
    if started.returncode != 0:
        return f"tools/neo4j-dev could not start Neo4j: {started.stderr.strip()[-500:]}"
    return None


def _kill_dev_servers(state: Path, keep_learned: bool) -> None:
    """Kill the run's servers outright: their data goes with the run, and a clean stop took 7-12 s to save what
    is then deleted. Servers learning neo4j-dev's cache stop cleanly to write it, if ``keep_learned``."""
    neo4j_dev("discard", state, NEO4J_DEV_KEEP_LEARNED="1" if keep_learned else "0")


#: The folder every process of one test run shares (xdist's workers and the process that started them).
RUN_FOLDER = "LINEAGE_TEST_RUN"
#: Set to 1 in a run of the whole suite: only its servers learn neo4j-dev's cache of Neo4j's warmed-up JVM (on
#: Java 25 and later), and keep it only if the run reached its end, so that it holds what the tests use.
WHOLE_RUN = "LINEAGE_TEST_WHOLE_RUN"


def _whole_run(config: pytest.Config) -> bool:
    """No paths, nothing deselected by name, no stop at the first failures (-x, --maxfail)."""
    chosen = (
        config.option.keyword,
        config.option.deselect,
        config.option.maxfail,
        getattr(config.option, "lf", False),
    )
    return config.args_source is pytest.Config.ArgsSource.TESTPATHS and not any(chosen)


def pytest_configure(config: pytest.Config) -> None:
    gc.set_threshold(*GC_THRESHOLDS)  # each process holds the real graph, embedded, for the whole run
    if not hasattr(config, "workerinput"):  # the run's first process; xdist's workers inherit its environment
        os.environ[RUN_FOLDER] = tempfile.mkdtemp(prefix="lineage-tests-")
        os.environ[WHOLE_RUN] = "1" if _whole_run(config) else ""


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A run interrupted, or stopped by an error outside the tests, keeps nothing its servers learned."""
    ran_to_its_end = exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
    if not hasattr(session.config, "workerinput") and not ran_to_its_end:
        os.environ[WHOLE_RUN] = ""


def pytest_unconfigure(config: pytest.Config) -> None:
    """The run's first process kills the servers once every worker has finished with them."""
    folder = None if hasattr(config, "workerinput") else os.environ.pop(RUN_FOLDER, None)
    if folder is None:
        return
    run = Path(folder)
    for state in run.glob("*/pid"):
        _kill_dev_servers(state.parent, keep_learned=os.environ.get(WHOLE_RUN) == "1")
    shutil.rmtree(run, ignore_errors=True)


#: The run's servers: the real graph's, and a scratch server for each of its processes (xdist's workers, or the
#: one process of a run without them), each left out where its variable names a server to use instead.
REAL_SERVER = "real"


def _scratch_server_names() -> list[str]:
    count = os.environ.get("PYTEST_XDIST_WORKER_COUNT")
    return [f"gw{worker}" for worker in range(int(count))] if count else ["main"]


def run_servers() -> Path:
    """The folder of the JVM the run starts for its servers (its pid, and a folder per server)."""
    return Path(os.environ[RUN_FOLDER]) / "neo4j"


def _run_server(name: str, variable: str) -> str:
    """The Bolt URI of the run's server ``name`` (the one ``variable`` names, if it is set). The first process
    to ask starts them all, under a lock the others wait on; a start that failed is remembered, so every
    process fails (or skips) for the same reason rather than trying again."""
    given = os.environ.get(variable)
    if given:
        return given
    state = run_servers()
    failed = state.with_name("neo4j.failed")
    with FileLock(state.with_name("neo4j.lock")):
        if not failed.exists() and not (state / "pid").exists():
            names = [REAL_SERVER] if not os.environ.get("LINEAGE_NEO4J_REAL_URI") else []
            names += _scratch_server_names() if not os.environ.get("LINEAGE_NEO4J_URI") else []
            reason = _start_dev_servers(state, names)
            if reason is not None:
                failed.write_text(reason, encoding="utf-8")
        if failed.exists():
            _unavailable(failed.read_text(encoding="utf-8"))
    uri = state / name / "uri"
    if not uri.exists():  # a worker xdist started again, under a name of its own
        _unavailable(f"the run's Neo4j servers were started without one for {name}")
    # the file, not standard output: a first Maven build may leave colour codes on the last line printed
    return uri.read_text(encoding="utf-8").strip()


@pytest.fixture(scope="session")
def neo4j_uri() -> str:
    """The scratch server (this worker's own, under xdist): tests write to it and empty it; the real graph is
    never there."""
    return _run_server(os.environ.get("PYTEST_XDIST_WORKER", "main"), "LINEAGE_NEO4J_URI")


@pytest.fixture(scope="session")
def _neo4j_store(neo4j_uri: str) -> Iterator[Store]:
    """A store on the scratch server, for tests that write (each empties it first)."""
    from lineage.stores.neo4j import Neo4jStore

    store = Neo4jStore(neo4j_uri)
    yield store
    store.close()


class _Built:
    """A real graph built once per session (on Neo4j, once per run), and the version it was left at: a module
    that finds another version (a test wrote to the shared graph) fails rather than reading a changed graph."""

    def __init__(self, store: Store, version: Hashable | None = None) -> None:
        self.store = store
        if version is None:
            build_real_graph(store)
            version = store.version()
        self.version: Hashable = version

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
def _neo4j_real() -> Iterator[_Built]:
    """The first worker to ask builds the graph, under a lock the others wait on; they then read the version it
    left from the run's folder."""
    from lineage.stores.neo4j import Neo4jStore

    run = Path(os.environ[RUN_FOLDER])
    version_file = run / "neo4j-real.version"
    with FileLock(run / "neo4j-real.lock"):
        store = Neo4jStore(_run_server(REAL_SERVER, "LINEAGE_NEO4J_REAL_URI"))
        if version_file.exists():
            built = _Built(store, version_file.read_text(encoding="utf-8"))
        else:
            store.clear()  # a server named by LINEAGE_NEO4J_REAL_URI may hold an older graph
            built = _Built(store)
            version_file.write_text(str(built.version), encoding="utf-8")
    try:
        yield built
    finally:
        built.store.close()


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules marked ``heavy`` first, then the rest by how many tests they hold, most first: the order
    xdist's loadscope would give them (``make test`` turns its own ordering off for this one), except that a
    module of few tests that run long no longer comes last, with one worker on it while the other waits."""

    def scope(item: pytest.Item) -> str:
        return item.nodeid.split("::", 1)[0]  # a module, as loadscope divides the work

    size = Counter(scope(item) for item in items)
    heavy = {scope(item) for item in items if item.get_closest_marker("heavy")}
    items.sort(key=lambda item: (scope(item) not in heavy, -size[scope(item)]))  # stable: a module's own order


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
