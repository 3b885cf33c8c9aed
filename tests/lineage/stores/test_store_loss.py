"""Losing the store is one clear error within a bounded time: Neo4j killed under a real `lineage import` ends it
with one `lineage:` line naming the store and what to do, exit 1 (once: about 32 s of retries, then an
80-line ServiceUnavailable traceback). The import's transaction is whole or absent, and its run says it did
not finish. The killed server is this test's own (tools/neo4j-dev), so no other test loses its store."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lineage.store import unfinished_imports
from lineage.stores.neo4j import RETRY_SECONDS, Neo4jStore
from tests.conftest import neo4j_dev
from tests.lineage.stores.processes import DATA, Watched, one_line_error, run, until

#: A generous guard on "within a bounded time" (the driver retries for RETRY_SECONDS), far below the 32 s of old.
BOUND = 4 * RETRY_SECONDS


def start(state: Path) -> str:
    started = neo4j_dev("start", state)
    assert started.returncode == 0, started.stderr[-2000:]
    return started.stdout.strip().splitlines()[-1]


@pytest.fixture
def own_neo4j(neo4j_uri: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A Neo4j server of this test's own (``neo4j_uri`` first: it says whether Neo4j can run here at all),
    killed at the end: a clean stop spent 12 s saving what is then deleted."""
    state = tmp_path / "neo4j"
    try:
        yield start(state), state
    finally:
        neo4j_dev("discard", state)


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_killed_mid_write_is_one_clear_error_within_a_bounded_time(own_neo4j: tuple[str, Path]) -> None:
    uri, state = own_neo4j
    load = Watched("import", "gias-links", DATA / "gias_links_20250422.csv", "--store", uri)
    with Neo4jStore(uri) as watching:  # the run is written "started" just before the data's one transaction
        assert until(lambda: unfinished_imports(watching) or load.process.poll() is not None, 300, 0.1)
    time.sleep(1)  # inside that transaction, which lasts several seconds
    assert load.process.poll() is None, load.err
    os.kill(int((state / "pid").read_text()), signal.SIGKILL)
    killed = time.monotonic()
    code, out, err = load.wait(120)
    assert time.monotonic() - killed < BOUND
    assert code == 1 and not out
    error = one_line_error(err)
    assert error.startswith(f"lineage: Neo4j at {uri} stopped answering") and "start Neo4j again" in error

    # The same data, served again: the killed transaction left nothing, and the run says it did not finish.
    uri = start(state)
    with Neo4jStore(uri) as store:
        assert "School" not in store.counts().nodes
    code, out, _ = run("counts", "--store", uri)
    assert code == 0 and "unfinished import: gias-links of gias_links_20250422.csv" in out


def test_a_store_that_is_not_there_is_one_clear_error() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        uri = f"bolt://127.0.0.1:{probe.getsockname()[1]}"
    started = time.monotonic()
    code, out, err = run("counts", "--store", uri, timeout=120)
    assert time.monotonic() - started < BOUND + 10  # a process to start as well
    assert code == 1 and not out and one_line_error(err).startswith(f"lineage: Neo4j at {uri} did not answer")
