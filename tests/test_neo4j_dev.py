"""tools/neo4j-dev as the test runs use it: the run's servers share one JVM (``start-many``) but never their data."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from lineage.store import Store
from tests import fixture_graph as g
from tests.conftest import NEO4J_DEV

pytestmark = pytest.mark.neo4j


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
