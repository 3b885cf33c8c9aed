"""One writer per store at a time: two `lineage import` processes started together lose nothing of each other's
work and never mix real and synthetic data, on the snapshot store (an OS lock beside the snapshot) and on
Neo4j (a lock node claimed first in every write transaction, the checks made under it)."""

from __future__ import annotations

import concurrent.futures
import csv
import os
from pathlib import Path

import pytest

from importers import REGISTRY
from lineage.errors import StoreError
from lineage.model import NodeKind
from lineage.store import RunStatus, Store
from lineage.stores import neo4j as neo4j_store
from lineage.stores.memory import MemoryStore
from lineage.stores.neo4j import Neo4jStore
from lineage.stores.snapshot import lock_of
from tests.importers.store_state import state_of
from tests.lineage.stores.processes import DATA, Watched, finished, lineage, one_line_error, python, run, until

pytestmark = pytest.mark.heavy  # see pyproject.toml's markers: run first

UPSTREAM = ["npd-classifications", "npd-datasets", "npd-items"]  # what npd-concepts links its items to
TOGETHER = ["gias-links", "npd-concepts"]


def bundled(name: str) -> Path:
    return DATA / str(REGISTRY[name].bundled)


def concepts_in_the_file() -> int:
    """Concept nodes the concepts file states: every category on a path, and every named concept under one."""
    keys = set()
    with bundled("npd-concepts").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names = [row[f"category_l{level}"].strip() for level in range(4)]
            path = names[: names.index("")] if "" in names else names
            keys.update("/".join(path[: depth + 1]) for depth in range(len(path)))
            if row["concept"].strip():
                keys.add(("/".join(path), row["concept"].strip()))
    return len(keys)


def imported(store: Store, names: list[str]) -> Store:
    for name in names:
        REGISTRY[name]().run(store, bundled(name))
    return store


def runs(store: Store) -> dict[str, str]:
    return {str(run.props["source"]): str(run.props["status"]) for run in store.all_nodes(NodeKind.IMPORT_RUN)}


def test_two_imports_into_one_snapshot_at_once_lose_nothing(tmp_path: Path) -> None:
    """Once both exited 0 and the last save won: 115 concepts instead of 2,507, no REPRESENTS, no ImportRun of
    the concepts import. Now the second waits for the first, and the snapshot holds both."""
    path = tmp_path / "graph.snapshot"
    with MemoryStore.writing(path) as store:
        imported(store, UPSTREAM)
    writers = [Watched("import", name, bundled(name), "--store", f"memory:{path}") for name in TOGETHER]
    for writer in writers:
        code, _, err = writer.wait()
        assert code == 0, err
    together = MemoryStore.load(path)
    one_after_the_other = imported(MemoryStore(), [*UPSTREAM, *TOGETHER])
    assert together.counts().nodes["Concept"] == concepts_in_the_file()
    assert together.counts().edges["REPRESENTS"] > 0 and together.counts().edges["SUCCEEDED_BY"] > 0
    assert state_of(together).graph == state_of(one_after_the_other).graph
    assert runs(together) == dict.fromkeys([*UPSTREAM, *TOGETHER], RunStatus.FINISHED.value)


def test_a_writer_waits_a_bounded_time_then_names_the_one_writing(tmp_path: Path) -> None:
    path = tmp_path / "graph.snapshot"
    with MemoryStore.writing(path) as store:
        imported(store, ["npd-classifications"])
    before = path.read_bytes()
    with MemoryStore.writing(path):  # this process writes: the import must wait, then give up
        code, _, err = run("import", "npd-datasets", bundled("npd-datasets"), "--store", f"memory:{path}",
                           "--wait", "1", timeout=60)  # fmt: skip
    assert code == 1
    assert one_line_error(err) == (
        f"lineage: another writer is writing to {path} (pid {os.getpid()}); waited 1 s for it: "
        "run this one again when it has finished"
    )
    assert path.read_bytes() == before


def test_a_writer_waiting_names_the_command_writing(tmp_path: Path) -> None:
    """The hostile-input reading, round eleven: an import waiting for `lineage build` said "another import is
    writing", whatever held the snapshot. The holder writes what it is into the lock, for whoever waits."""
    path = tmp_path / "graph.snapshot"
    build = lineage("build", "--store", f"memory:{path}")
    try:
        lock = lock_of(path)
        assert until(lambda: lock.exists() and "lineage build" in lock.read_text(encoding="utf-8"), timeout=60)
        code, _, err = run("import", "npd-datasets", bundled("npd-datasets"), "--store", f"memory:{path}",
                           "--wait", "0.2", timeout=60)  # fmt: skip
    finally:
        assert finished(build)[0] == 0
    assert code == 1
    assert one_line_error(err).startswith(f"lineage: lineage build is writing to {path} (pid {build.pid}); waited")
    with MemoryStore.writing(path, by="lineage import npd-items"):  # and an import, named with its importer
        code, _, err = run("import", "npd-datasets", bundled("npd-datasets"), "--store", f"memory:{path}",
                           "--wait", "0", timeout=60)  # fmt: skip
    assert one_line_error(err).startswith(f"lineage: lineage import npd-items is writing to {path} (pid {os.getpid()})")


def test_a_snapshot_through_a_symbolic_link_is_the_one_it_links_to(tmp_path: Path) -> None:
    """The hostile-input reading, round four: an import through a link to a snapshot replaced the link with a file
    of its own, leaving the snapshot as it was, and took a lock beside the link, so it wrote while another writer
    held the snapshot's lock. The link is the snapshot: one lock, one file."""
    real = tmp_path / "real" / "graph.snapshot"
    real.parent.mkdir()
    with MemoryStore.writing(real) as store:
        imported(store, ["npd-classifications"])
    link = tmp_path / "link.snapshot"
    link.symlink_to(real)
    before, held = real.read_bytes(), MemoryStore.load(real).counts().total_nodes
    with MemoryStore.writing(real):  # another writer holds the snapshot: the import through the link must wait
        code, _, err = run("import", "npd-datasets", bundled("npd-datasets"), "--store", f"memory:{link}",
                           "--wait", "1", timeout=60)  # fmt: skip
    assert code == 1 and "another writer is writing to" in one_line_error(err)
    assert real.read_bytes() == before
    code, _, _ = run("import", "npd-datasets", bundled("npd-datasets"), "--store", f"memory:{link}", timeout=60)
    assert code == 0 and link.is_symlink()
    assert MemoryStore.load(real).counts().total_nodes > held  # saved into the snapshot the link names


def test_a_loop_of_links_for_a_snapshot_is_refused_naming_it(tmp_path: Path) -> None:
    """The review of the diff: following a link to its snapshot, a loop of links raised a traceback."""
    first, second = tmp_path / "a.snapshot", tmp_path / "b.snapshot"
    first.symlink_to(second)
    second.symlink_to(first)
    code, out, err = run("import", "npd-classifications", bundled("npd-classifications"), "--store", f"memory:{first}",
                         timeout=60)  # fmt: skip
    assert (code, out) == (1, "")
    assert one_line_error(err).startswith(f"lineage: {first}: cannot be followed to a snapshot: ")


@pytest.mark.parametrize("wait", ["nan", "-1", "inf"])
def test_a_wait_that_is_no_bounded_number_of_seconds_is_refused(tmp_path: Path, wait: str) -> None:
    """--wait nan waited forever behind another writer (no time is past a NaN deadline), and -1 said it had
    'waited -1 s'; both were taken as given."""
    path = tmp_path / "graph.snapshot"
    with MemoryStore.writing(path):  # another writer holds the lock: the import would wait for it
        code, out, err = run("import", "npd-datasets", bundled("npd-datasets"), "--store", f"memory:{path}",
                             "--wait", wait, timeout=60)  # fmt: skip
    assert (code, out) == (2, "")
    assert one_line_error(err) == f"lineage: --wait must be a number of seconds from 0 to 86400, got {wait}"
    assert MemoryStore.load(path).counts().total_nodes == 0  # what this test's own writer saved: nothing imported


@pytest.mark.neo4j
@pytest.mark.slow
def test_real_and_synthetic_imports_at_once_never_mix_on_neo4j(
    _neo4j_store: Store, neo4j_uri: str, tmp_path: Path
) -> None:
    """Once a gias-links import and a synthetic one started together both succeeded (2 of 2 tries), leaving
    29,162 real and 1,684 synthetic nodes: each checked what the store held before the other's write was
    committed. Here the synthetic import starts while gias-links is writing: one of them is refused."""
    _neo4j_store.clear()
    spec = tmp_path / "spec.csv"
    spec.write_text("scale,seed\n0.02,5\n", encoding="utf-8")
    writers = {"gias-links": Watched("import", "gias-links", bundled("gias-links"), "--store", neo4j_uri)}
    assert until(lambda: writers["gias-links"].saw("writing") or writers["gias-links"].process.poll() is not None)
    writers["synthetic"] = Watched("import", "synthetic", spec, "--store", neo4j_uri)
    results = {name: writer.wait() for name, writer in writers.items()}
    try:
        assert not (_neo4j_store.holds_synthetic(True) and _neo4j_store.holds_synthetic(False))
        refused = [name for name, (code, _, _) in results.items() if code != 0]
        assert len(refused) == 1, results
        assert "already holds" in one_line_error(results[refused[0]][2])
    finally:
        _neo4j_store.clear()


@pytest.mark.neo4j
@pytest.mark.slow
def test_two_real_imports_at_once_lose_nothing_on_neo4j(_neo4j_store: Store, neo4j_uri: str) -> None:
    """Two imports writing the same concept nodes at once (the category tree and the concepts under it) give
    what they give one after the other, in the embedded store."""
    _neo4j_store.clear()
    together = ["npd-category-tree", "npd-concepts"]
    try:
        imported(_neo4j_store, UPSTREAM)
        writers = [Watched("import", name, bundled(name), "--store", neo4j_uri) for name in together]
        for writer in writers:
            code, _, err = writer.wait()
            assert code == 0, err
        one_after_the_other = imported(MemoryStore(), [*UPSTREAM, *together])
        assert state_of(_neo4j_store).graph == state_of(one_after_the_other).graph
        assert runs(_neo4j_store) == dict.fromkeys([*UPSTREAM, *together], RunStatus.FINISHED.value)
    finally:
        _neo4j_store.clear()


@pytest.mark.parametrize("kind", ["link to a file", "link to /dev/null", "pipe"])
def test_a_lock_that_is_no_regular_file_is_refused_and_nothing_it_names_is_touched(tmp_path: Path, kind: str) -> None:
    """Hostile input, round five: the writer's lock followed a symbolic link (another user's, planted in a shared
    folder), emptying the file it named and writing a process id in it; a lock that was a pipe or a link to a
    device was a traceback. Each is refused, naming the lock, and neither it nor the snapshot changes."""
    snapshot = tmp_path / "graph.snapshot"
    lock = tmp_path / "graph.snapshot.lock"
    precious = tmp_path / "precious.txt"
    precious.write_text("precious data line 1\nline 2\n", encoding="utf-8")
    if kind == "pipe":
        os.mkfifo(lock)
    else:
        lock.symlink_to(precious if kind == "link to a file" else Path("/dev/null"))
    code, out, err = run("import", "npd-classifications", bundled("npd-classifications"), "--store",
                         f"memory:{snapshot}", timeout=60)  # fmt: skip
    assert (code, out) == (1, "")
    assert one_line_error(err).startswith(f"lineage: {lock}: the snapshot's lock cannot be taken (")
    assert precious.read_text(encoding="utf-8") == "precious data line 1\nline 2\n"
    assert not snapshot.exists()


def test_a_save_keeps_the_snapshots_permissions(tmp_path: Path) -> None:
    """Hostile input, round five: a snapshot its owner kept private (600) was readable by all (644) after the next
    import saved it, as every save writes a new file and renames it into place."""
    snapshot = tmp_path / "graph.snapshot"
    with MemoryStore.writing(snapshot) as store:
        imported(store, ["npd-classifications"])
    snapshot.chmod(0o600)
    code, _, _ = run("import", "npd-datasets", bundled("npd-datasets"), "--store", f"memory:{snapshot}", timeout=60)
    assert code == 0 and MemoryStore.load(snapshot).counts().nodes.get("Dataset")
    assert snapshot.stat().st_mode & 0o777 == 0o600


def test_a_save_is_private_while_it_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The review of the diff: the temporary file a save writes was readable by all (644) until it was renamed
    over a private snapshot: only its owner may read it while it is written."""
    import pickle

    from lineage.stores import snapshot as snapshots

    written: list[int] = []
    dump = pickle.dump

    def watched(payload, out, protocol):  # the modes of the files beside the snapshot, as it is written
        written.extend(p.stat().st_mode & 0o777 for p in tmp_path.iterdir() if ".saving-" in p.name)
        return dump(payload, out, protocol=protocol)

    monkeypatch.setattr(snapshots.pickle, "dump", watched)
    snapshot = tmp_path / "graph.snapshot"
    snapshots.save(snapshot, [], [])
    assert written == [0o600] and snapshot.stat().st_mode & 0o777 == 0o644


@pytest.mark.neo4j
def test_an_import_during_a_clear_on_neo4j_is_whole_after_it(
    _neo4j_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by reading: a clear (`lineage build --fresh`) deleted in batches without the lock writes share, so an
    import committed between two batches kept its "finished" ImportRun while a later batch deleted its data. Here
    the clear is held at a node it deletes before some of the import's (a lock this test takes on it) while the
    import is run: the import now waits for the clear, and is then there whole."""
    assert isinstance(_neo4j_store, Neo4jStore)
    driver = _neo4j_store.driver
    _neo4j_store.clear()
    monkeypatch.setattr(neo4j_store, "CLEAR_ROWS", 100)
    driver.execute_query("UNWIND range(1, 3000) AS i CREATE (:Node:Organisation {id: 'Organisation:filler' + i})")
    imported(_neo4j_store, ["npd-classifications"])
    order = [r["id"] for r in driver.execute_query("MATCH (n:Node) RETURN n.id AS id")[0]]  # the clear's order
    last = max(place for place, id_ in enumerate(order) if "filler" not in id_)
    held = next(id_ for id_ in reversed(order[:last]) if "filler" in id_)
    blocked = "SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked' RETURN count(*) AS n"
    try:
        with (
            concurrent.futures.ThreadPoolExecutor(2) as pool,
            driver.session() as session,
            session.begin_transaction() as hold,
        ):
            hold.run("MATCH (n:Node {id: $id}) SET n.held = true", id=held).consume()
            clearing = pool.submit(_neo4j_store.clear)
            assert until(lambda: driver.execute_query(blocked)[0][0]["n"] > 0, 60)
            importing = pool.submit(imported, _neo4j_store, ["npd-classifications"])
            until(importing.done, 5)  # before: it was written at once; now it waits for the clear
            hold.rollback()
            clearing.result()
            importing.result()
        assert state_of(_neo4j_store).graph == state_of(imported(MemoryStore(), ["npd-classifications"])).graph
        assert runs(_neo4j_store) == {"npd-classifications": RunStatus.FINISHED.value}
    finally:
        _neo4j_store.clear()


#: The transactions waiting for a lock (a clear held at a node), by id.
BLOCKED_IDS = "SHOW TRANSACTIONS YIELD transactionId AS id, status WHERE status STARTS WITH 'Blocked' RETURN id"


def _two_imports_to_clear(store: Neo4jStore) -> tuple[list[str], list[str]]:
    """An empty store given two small imports for a clear to stop in: the importers' names, and the ids of the data
    (not the import runs) they wrote, in the server's order."""
    store.clear()
    names = ["npd-classifications", "npd-datasets"]
    imported(store, names)
    query = "MATCH (n:Node) WHERE NOT n:ImportRun RETURN n.id AS id"
    return names, [r["id"] for r in store.driver.execute_query(query)[0]]


@pytest.mark.neo4j
def test_a_clear_stopped_part_way_on_neo4j_leaves_its_import_runs_saying_interrupted(
    _neo4j_store: Store, neo4j_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by reading: a clear deleted every node in batches in no set order, so one stopped part-way (killed, the
    server lost) left runs saying "finished" over data it had partly deleted, or deleted the runs first, leaving a
    partial graph that said nothing. Here a clear is held at a node half-way through the data, after batches
    before it were committed, and its transaction is ended there (TERMINATE TRANSACTIONS, as an operator or a
    timeout does): the runs are all there, interrupted, `lineage counts` says so, and the store's version changed
    (it had not: a server kept answers from the whole graph for what was left)."""
    assert isinstance(_neo4j_store, Neo4jStore)
    driver = _neo4j_store.driver
    monkeypatch.setattr(neo4j_store, "CLEAR_ROWS", 10)
    names, data = _two_imports_to_clear(_neo4j_store)
    before = _neo4j_store.version()
    try:
        with (
            concurrent.futures.ThreadPoolExecutor(1) as pool,
            driver.session() as session,
            session.begin_transaction() as hold,
        ):
            hold.run("MATCH (n:Node {id: $id}) SET n.held = true", id=data[len(data) // 2]).consume()
            clearing = pool.submit(_neo4j_store.clear)
            assert until(lambda: bool(driver.execute_query(BLOCKED_IDS)[0]), 60)
            driver.execute_query(
                "TERMINATE TRANSACTIONS $ids", ids=[r["id"] for r in driver.execute_query(BLOCKED_IDS)[0]]
            )
            with pytest.raises(StoreError, match=r"^Neo4j stopped a clear \(.*\): it may have deleted part of the"):
                clearing.result()
            hold.rollback()
        left = _neo4j_store.counts()
        assert 0 < left.total_nodes - len(names) < len(data)  # part of the data deleted, part left
        assert runs(_neo4j_store) == dict.fromkeys(names, RunStatus.INTERRUPTED.value)
        assert _neo4j_store.version() != before  # answers kept from the whole graph are not taken for this one
        code, out, err = run("counts", "--store", neo4j_uri)
        assert code == 0, err
        stopped = [line for line in out.splitlines() if line.startswith("unfinished import: ")]
        assert len(stopped) == len(names) and all(f"interrupted: {neo4j_store.CLEAR_STOPPED}" in s for s in stopped)
    finally:
        _neo4j_store.clear()


#: A process that clears the store at its address, ten nodes a transaction (as the test above clears).
CLEARING = "import sys; from lineage.stores import neo4j; neo4j.CLEAR_ROWS = 10; neo4j.Neo4jStore(sys.argv[1]).clear()"


@pytest.mark.neo4j
def test_a_clearing_process_killed_part_way_on_neo4j_still_changes_the_version(
    _neo4j_store: Store, neo4j_uri: str
) -> None:
    """Found by reading: a clear replaced the state token only as its lock transaction committed, at the end, so a
    clearing process (`lineage build --fresh`) killed part-way, its transactions rolled back with its connection,
    left the version as it was over a graph it had part deleted, and a server went on answering from what it had
    kept of the whole graph. Here a real process's clear is held at a node half-way through the data, after batches
    before it were committed, and the process is killed there."""
    assert isinstance(_neo4j_store, Neo4jStore)
    driver = _neo4j_store.driver
    names, data = _two_imports_to_clear(_neo4j_store)
    before = _neo4j_store.version()
    try:
        with driver.session() as session, session.begin_transaction() as hold:
            hold.run("MATCH (n:Node {id: $id}) SET n.held = true", id=data[len(data) // 2]).consume()
            clearing = python("-c", CLEARING, neo4j_uri)
            try:
                assert until(lambda: bool(driver.execute_query(BLOCKED_IDS)[0]) or clearing.poll() is not None, 120)
                assert clearing.poll() is None, finished(clearing)
            finally:
                clearing.kill()
                clearing.communicate()
            assert until(lambda: not driver.execute_query(BLOCKED_IDS)[0], 60, 0.1)  # the server rolled it back
            hold.rollback()
        left = _neo4j_store.counts().total_nodes - len(names)
        assert 0 < left < len(data)  # part of the data deleted, part left
        assert runs(_neo4j_store) == dict.fromkeys(names, RunStatus.INTERRUPTED.value)
        assert _neo4j_store.version() != before  # it had not changed: answers kept from the whole graph stood
    finally:
        _neo4j_store.clear()
