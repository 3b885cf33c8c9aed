"""tools/neo4j-dev as the test runs use it: the run's servers share one JVM (``start-many``) but never their data."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from lineage.store import Store
from tests import fixture_graph as g
from tests.conftest import neo4j_dev, run_servers

pytestmark = pytest.mark.heavy  # see pyproject.toml's markers: run first


def _launcher_runs(pid: int) -> bool:
    """Whether ``pid`` is a launcher still running (not gone, nor a zombie its new parent has yet to reap)."""
    try:
        return "Launcher" in Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return False


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
    started = neo4j_dev("start-many", tmp_path)
    assert started.returncode == 2
    assert "usage: neo4j-dev.sh start-many STATE_DIR NAME [NAME ...]" in started.stderr
    assert not (tmp_path / "pid").exists()


@pytest.mark.neo4j
def test_start_many_refuses_a_state_whose_servers_are_running(_neo4j_store: Store) -> None:
    """Started again on the run's own state, it would have replaced the pid of servers then never killed."""
    state = run_servers()
    if not (state / "pid").exists():
        pytest.skip("this run's scratch server was given (LINEAGE_NEO4J_URI), not started here")
    started = neo4j_dev("start-many", state, "again")
    assert started.returncode == 1 and "are running" in started.stderr
    assert not (state / "again").exists()
    _neo4j_store.version()  # the run's servers still answer


@pytest.mark.neo4j
def test_a_server_that_cannot_start_ends_the_others_in_its_jvm(neo4j_uri: str, tmp_path: Path) -> None:
    """The first server started, the second could not (its home is a file): the launcher once left the first
    running, and its caller waiting 120 s for a port that would never answer."""
    (tmp_path / "second").mkdir()
    (tmp_path / "second" / "home").write_text("not a folder", encoding="utf-8")
    started = neo4j_dev("start-many", tmp_path, "first", "second")
    try:
        assert started.returncode == 1
        assert "the server exited while starting" in started.stderr and "did not start" in started.stderr
        assert not _launcher_runs(int((tmp_path / "pid").read_text()))
    finally:
        neo4j_dev("discard", tmp_path)


def _dev(*args: str, cache: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """neo4j-dev.sh with its cache of what JVMs learn in ``cache``, not the machine's, and none of the
    caller's own choices about learning (an empty setting is the script's default)."""
    own = {"NEO4J_DEV_LEARN": "", "NEO4J_DEV_KEEP_LEARNED": "", "NEO4J_DEV_JAVA_OPTS": ""}
    return neo4j_dev(*args, **{**own, "NEO4J_DEV_CACHE": str(cache), **env})


def _learns(cache: Path) -> bool:
    """Whether the Java neo4j-dev runs Neo4j with keeps a cache (25 or later)."""
    major, _java = _dev("java", cache=cache).stdout.split(" ", 1)
    return int(major) >= 25


@pytest.mark.slow
@pytest.mark.neo4j
def test_a_jvm_stopped_cleanly_leaves_the_cache_the_next_one_starts_from(neo4j_uri: str, tmp_path: Path) -> None:
    """From Java 25 a JVM asked to learn Neo4j's classes and hot methods writes them as it stops; the next
    starts from them (AOTMode=on: a cache it could not use would be an error, not a slower start). A Java
    older than 25 keeps no cache, and is left as it was."""
    cache, first, second = tmp_path / "cache", tmp_path / "first", tmp_path / "second"
    try:
        assert _dev("start", str(first), cache=cache, NEO4J_DEV_LEARN="1").returncode == 0
        if not _learns(cache):
            assert not (first / "learning").exists() and not cache.exists()
            return
        learning = Path((first / "learning").read_text(encoding="utf-8").strip())
        assert learning.parent.parent == cache
        discarded = _dev("discard", str(first), cache=cache)
        assert discarded.returncode == 0 and not first.exists()
        assert [p.name for p in learning.parent.glob("neo4j.aot*")] == ["neo4j.aot"]
        started = _dev("start", str(second), cache=cache, NEO4J_DEV_JAVA_OPTS="-XX:AOTMode=on")
        assert started.returncode == 0, started.stderr
        assert not (second / "learning").exists()
        command = Path(f"/proc/{(second / 'pid').read_text().strip()}/cmdline").read_text().split("\0")
        assert f"-XX:AOTCache={learning.parent / 'neo4j.aot'}" in command
    finally:
        _dev("discard", str(first), cache=cache, NEO4J_DEV_KEEP_LEARNED="0")
        _dev("discard", str(second), cache=cache)
        shutil.rmtree(cache, ignore_errors=True)  # a copy of Neo4j's jars, and the cache: 300 MB


@pytest.mark.slow
@pytest.mark.neo4j
def test_only_a_jvm_asked_to_learn_does_and_one_told_to_keep_nothing_leaves_no_cache(
    neo4j_uri: str, tmp_path: Path
) -> None:
    """A JVM nobody asked to learn (a developer's server, a test's own) would write a cache of its little work,
    not the tests'; one told to keep nothing (its test run stopped short) is killed, and leaves none."""
    cache, state = tmp_path / "cache", tmp_path / "state"
    try:
        assert _dev("start", str(state), cache=cache).returncode == 0
        assert not (state / "learning").exists()
        _dev("discard", str(state), cache=cache)
        assert not list(cache.glob("*/neo4j.aot*"))
        assert _dev("start", str(state), cache=cache, NEO4J_DEV_LEARN="1").returncode == 0
        assert (state / "learning").exists() == _learns(cache)
        pid = int((state / "pid").read_text())
        _dev("discard", str(state), cache=cache, NEO4J_DEV_KEEP_LEARNED="0")
        assert not state.exists() and not _launcher_runs(pid)
        assert not list(cache.glob("*/neo4j.aot*"))
    finally:
        _dev("discard", str(state), cache=cache, NEO4J_DEV_KEEP_LEARNED="0")
        shutil.rmtree(cache, ignore_errors=True)


@pytest.mark.parametrize("written_whole", [True, False])
def test_a_cache_is_kept_only_if_its_jvm_said_it_wrote_it_whole(tmp_path: Path, written_whole: bool) -> None:
    """A JVM killed while writing leaves part of a file: only the JVM's own last word makes it the cache."""
    cache, state = tmp_path / "cache" / "key", tmp_path / "state"
    cache.mkdir(parents=True)
    state.mkdir()
    learned = cache / "neo4j.aot.a1b2c3"
    learned.write_bytes(b"part of a cache")
    (state / "learning").write_text(f"{learned}\n", encoding="utf-8")
    said = f"AOTCache creation is complete: {learned} 15 bytes\n" if written_whole else "Launching child process\n"
    (state / "neo4j.log").write_text(said, encoding="utf-8")
    assert _dev("discard", str(state), cache=tmp_path / "cache").returncode == 0
    assert not state.exists()
    assert sorted(p.name for p in cache.iterdir()) == (["neo4j.aot"] if written_whole else [])
