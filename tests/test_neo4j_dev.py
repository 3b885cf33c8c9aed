"""tools/neo4j-dev as the test runs use it: the run's servers share one JVM (``start-many``) but never their data."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from lineage.store import Store
from tests import fixture_graph as g
from tests.conftest import NEO4J_DEV, run_servers


@pytest.mark.neo4j
def test_a_write_to_the_scratch_server_never_reaches_the_real_graphs(neo4j_real: Store, _neo4j_store: Store) -> None:
    real_version = neo4j_real.version()
    _neo4j_store.clear()
    _neo4j_store.write(g.NODES, g.EDGES)
    fictional = g.NODES[0].id
    assert neo4j_real.version() == real_version
    assert neo4j_real.get_nodes([fictional]) == {}
    assert list(_neo4j_store.get_nodes([fictional])) == [fictional]


def test_start_many_with_no_server_named_is_refused_rather_than_reported_started(tmp_path: Path) -> None:
    started = subprocess.run(["bash", str(NEO4J_DEV), "start-many", str(tmp_path)], capture_output=True, text=True)
    assert started.returncode == 2
    assert "usage: neo4j-dev.sh start-many STATE_DIR NAME [NAME ...]" in started.stderr
    assert not (tmp_path / "pid").exists()


@pytest.mark.neo4j
def test_start_many_refuses_a_state_whose_servers_are_running(_neo4j_store: Store) -> None:
    """Started again on the run's own state, it would have replaced the pid of servers then never killed."""
    state = run_servers()
    if not (state / "pid").exists():
        pytest.skip("this run's scratch server was given (LINEAGE_NEO4J_URI), not started here")
    started = subprocess.run(
        ["bash", str(NEO4J_DEV), "start-many", str(state), "again"], capture_output=True, text=True
    )
    assert started.returncode == 1 and "are running" in started.stderr
    assert not (state / "again").exists()
    _neo4j_store.version()  # the run's servers still answer


@pytest.mark.neo4j
def test_a_server_that_cannot_start_ends_the_others_in_its_jvm(neo4j_uri: str, tmp_path: Path) -> None:
    """The first server started, the second could not (its home is a file): the launcher once left the first
    running, and its caller waiting 120 s for a port that would never answer."""
    (tmp_path / "second").mkdir()
    (tmp_path / "second" / "home").write_text("not a folder", encoding="utf-8")
    started = subprocess.run(
        ["bash", str(NEO4J_DEV), "start-many", str(tmp_path), "first", "second"], capture_output=True, text=True
    )
    try:
        assert started.returncode == 1
        assert "the server exited while starting" in started.stderr and "did not start" in started.stderr
        pid = int((tmp_path / "pid").read_text())
        assert not Path(f"/proc/{pid}").exists() or "Launcher" not in Path(f"/proc/{pid}/cmdline").read_text()
    finally:
        subprocess.run(["bash", str(NEO4J_DEV), "discard", str(tmp_path)], capture_output=True)
