"""tools/neo4j-dev as the test runs use it: the run's servers share one JVM (``start-many``) but never their data."""

from __future__ import annotations

import os
import re
import signal
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


def _dev(*args: str, cache: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """neo4j-dev.sh with its cache of what JVMs learn in ``cache``, not the machine's."""
    env = {**os.environ, "NEO4J_DEV_CACHE": str(cache), **env}
    return subprocess.run(["bash", str(NEO4J_DEV), *args], capture_output=True, text=True, env=env)


def _java_major(java: str) -> int:
    shown = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    return int(re.search(r"java\.specification\.version = (\d+)", shown).group(1))  # type: ignore[union-attr]


@pytest.mark.slow
@pytest.mark.neo4j
def test_a_jvm_stopped_cleanly_leaves_the_cache_the_next_one_starts_from(neo4j_uri: str, tmp_path: Path) -> None:
    """From Java 25 a JVM asked to learn Neo4j's classes and hot methods writes them as it stops; the next
    starts from them (AOTMode=on: a cache it could not use would be an error, not a slower start). A Java
    older than 25 keeps no cache, and is left as it was."""
    cache = tmp_path / "cache"
    java = _dev("java", cache=cache).stdout.strip()
    first, second = tmp_path / "first", tmp_path / "second"
    assert _dev("start", str(first), cache=cache, NEO4J_DEV_LEARN="1").returncode == 0
    if _java_major(java) < 25:
        assert not (first / "learning").exists() and not cache.exists()
        _dev("discard", str(first), cache=cache)
        return
    learning = Path((first / "learning").read_text(encoding="utf-8").strip())
    assert learning.parent.parent == cache
    discarded = _dev("discard", str(first), cache=cache)
    assert discarded.returncode == 0 and not first.exists()
    assert [p.name for p in learning.parent.glob("neo4j.aot*")] == ["neo4j.aot"]
    started = _dev("start", str(second), cache=cache, NEO4J_DEV_JAVA_OPTS="-XX:AOTMode=on")
    try:
        assert started.returncode == 0, started.stderr
        assert not (second / "learning").exists()
        assert f"-XX:AOTCache={learning.parent / 'neo4j.aot'}" in Path(
            f"/proc/{(second / 'pid').read_text().strip()}/cmdline"
        ).read_text().replace("\0", " ")
    finally:
        _dev("discard", str(second), cache=cache)


@pytest.mark.slow
@pytest.mark.neo4j
def test_only_a_jvm_asked_to_learn_does_and_one_killed_while_learning_leaves_no_cache(
    neo4j_uri: str, tmp_path: Path
) -> None:
    """A cache half written, or never written, must not be found by the next JVM; nor one learned by a JVM
    nobody asked to (a developer's server, a test's own), which would hold its little work, not the tests'."""
    cache, state = tmp_path / "cache", tmp_path / "state"
    assert _dev("start", str(state), cache=cache).returncode == 0
    assert not (state / "learning").exists()
    _dev("discard", str(state), cache=cache)
    assert not list(cache.glob("*/neo4j.aot*"))
    assert _dev("start", str(state), cache=cache, NEO4J_DEV_LEARN="1").returncode == 0
    if not (state / "learning").exists():  # a Java older than 25: no cache to learn
        _dev("discard", str(state), cache=cache)
        assert not cache.exists()
        return
    os.kill(int((state / "pid").read_text()), signal.SIGKILL)
    _dev("discard", str(state), cache=cache)
    assert not state.exists()
    assert not list(cache.glob("*/neo4j.aot*"))
