"""An ImportRun tells the truth: written "started" before its data, "finished" (with the rows written) in the same
write as the last of its data, "interrupted" when a write fails; and `lineage counts` and /healthz say when an
import did not finish. Killed imports are real processes, killed with SIGKILL."""

from __future__ import annotations

import csv
import io
import os
import signal
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

import importers.base
import lineage
from importers import REGISTRY
from importers.base import Batch, Importer
from importers.reading import BadInput
from lineage.api.app import create_app
from lineage.errors import StoreError
from lineage.model import Node, NodeKind
from lineage.store import RunStatus, Store, WriteResult, unfinished_imports
from lineage.stores.memory import MemoryStore
from lineage.stores.neo4j import Neo4jStore
from tests.importers.store_state import state_of
from tests.importers.test_dry_runs import Dangling
from tests.importers.test_fault_corpus import base
from tests.lineage.stores.processes import DATA, Watched, run, until


def rows_in(text: str) -> int:
    """The data rows of a CSV text, counted with the csv module: records under the header that hold a cell."""
    return sum(1 for cells in list(csv.reader(io.StringIO(text, newline="")))[1:] if any(cells))


def only_run(store: Store) -> Node:
    (run_node,) = store.all_nodes(NodeKind.IMPORT_RUN)
    return run_node


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_importer_records_a_finished_run_with_its_rows(empty_store: Store, tmp_path: Path, name: str) -> None:
    file_name, text = base(name)
    path = tmp_path / file_name
    path.write_bytes(text.encode(REGISTRY[name].encoding))
    report = REGISTRY[name]().run(empty_store, path)
    run_node = only_run(empty_store)
    props = run_node.props
    assert props["status"] == RunStatus.FINISHED and props["error"] == ""
    assert props["ended_at"] >= props["started_at"] != ""
    assert props["rows_read"] == rows_in(text) == report.rows_read
    assert props["rows_written"] == rows_in(text) - props["rows_skipped"]
    assert unfinished_imports(empty_store) == []


def test_a_write_that_fails_marks_its_run_interrupted(empty_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "organisations.csv"
    path.write_text("name\nExample Analytics Ltd\n", encoding="utf-8")
    with pytest.raises(StoreError, match="Organisation:nowhere"):
        Dangling().run(empty_store, path)
    run_node = only_run(empty_store)
    assert run_node.props["status"] == RunStatus.INTERRUPTED and "Organisation:nowhere" in run_node.props["error"]
    assert run_node.props["rows_written"] == 0 and run_node.props["ended_at"]
    assert empty_store.counts().nodes == {"ImportRun": 1}  # the run's record, and nothing of its data
    assert unfinished_imports(empty_store) == [run_node]


def test_a_run_finished_again_is_no_longer_unfinished(empty_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "spec.csv"
    path.write_text("scale,seed\n0.002,3\n", encoding="utf-8")
    importer = REGISTRY["synthetic"]()
    report = importer.run(MemoryStore(), path)
    empty_store.write([importer._run_node(path, report, RunStatus.STARTED)])  # as a killed first run leaves it
    assert [r.props["status"] for r in unfinished_imports(empty_store)] == ["started"]
    importer.run(empty_store, path)
    assert unfinished_imports(empty_store) == [] and only_run(empty_store).props["rows_written"] == 1


CLASSIFICATIONS = DATA / str(REGISTRY["npd-classifications"].bundled)


def interleaved(first: Callable[[Store], object], cut: bool) -> Importer:
    """An npd-classifications import whose write is made once ``first`` (another import of the same file) has
    run: two imports of one file at once, as they interleave. With ``cut`` its own write stops half-way (half
    its nodes written, then an error): a real half-write."""

    class Interleaved(REGISTRY["npd-classifications"]):
        def load(self, store: Store, batch: Batch, finished: Callable[[], Node]) -> WriteResult:
            first(store)
            if not cut:
                return super().load(store, batch, finished)
            store.write(batch.nodes[: len(batch.nodes) // 2])
            raise StoreError("cut short (test)")

    return Interleaved()


def cut_short(store: Store) -> None:
    with pytest.raises(StoreError, match="cut short"):
        interleaved(lambda _: None, cut=True).run(store, CLASSIFICATIONS)


def the_file_alone() -> str:
    """The graph the file gives, imported alone into an empty store."""
    alone = MemoryStore()
    REGISTRY["npd-classifications"]().run(alone, CLASSIFICATIONS)
    return state_of(alone).graph


def test_an_import_cut_short_after_one_of_the_same_file_finished_leaves_it_finished(empty_store: Store) -> None:
    """Two imports of one file at once share its ImportRun (its id is the file's content): once, the one cut short
    after the other had written the file whole marked the run "interrupted", a false alarm, the file there whole.
    A run that finished vouches for data that nothing but a clear deletes (and a clear deletes the run, or marks
    it), so a later run of the same file that does not finish leaves it finished."""
    with pytest.raises(StoreError, match="cut short"):
        interleaved(lambda store: REGISTRY["npd-classifications"]().run(store, CLASSIFICATIONS), cut=True).run(
            empty_store, CLASSIFICATIONS
        )
    assert only_run(empty_store).props["status"] == RunStatus.FINISHED and unfinished_imports(empty_store) == []
    assert state_of(empty_store).graph == the_file_alone()


def test_an_import_that_finishes_after_one_of_the_same_file_was_cut_short_hides_no_half_write(
    empty_store: Store,
) -> None:
    """The other way round: a run cut short half-way through its write, then one of the same file finishing: the
    run says finished, and the file is there whole, as the finished run wrote all of it."""
    interleaved(cut_short, cut=False).run(empty_store, CLASSIFICATIONS)
    assert only_run(empty_store).props["status"] == RunStatus.FINISHED and unfinished_imports(empty_store) == []
    assert state_of(empty_store).graph == the_file_alone()


def test_an_import_cut_short_by_another_version_stays_unfinished_when_this_one_finishes_its_file(
    empty_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run's record is its file and its program's version: the half-write of an earlier version (whose transform
    may draw other facts from the file) had become "finished" when this version imported the file whole, one run
    vouching for both versions' facts; its record now stays unfinished beside this version's, as the same
    version's run would not (the test above)."""
    monkeypatch.setattr(importers.base, "__version__", "0.20.0")
    cut_short(empty_store)
    monkeypatch.undo()
    REGISTRY["npd-classifications"]().run(empty_store, CLASSIFICATIONS)
    REGISTRY["npd-classifications"]().run(empty_store, CLASSIFICATIONS)  # this version's run again: the same run
    runs = {run.props["version"]: run.props["status"] for run in empty_store.all_nodes(NodeKind.IMPORT_RUN)}
    assert runs == {"0.20.0": RunStatus.INTERRUPTED, lineage.__version__: RunStatus.FINISHED}
    assert [run.props["version"] for run in unfinished_imports(empty_store)] == ["0.20.0"]


async def healthz(store: Store) -> dict:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store)), base_url="http://t") as http:
        return (await http.get("/healthz")).json()


@pytest.mark.neo4j
@pytest.mark.slow
async def test_a_chunked_synthetic_load_killed_half_way_says_it_is_unfinished(
    _neo4j_store: Store, neo4j_uri: str, tmp_path: Path
) -> None:
    """Once the run was written with the first chunk (rows_written=1) and nothing marked it unfinished. Here a
    real import, killed while its chunks are being written, leaves a run "started", with no rows written;
    `lineage counts` and /healthz say so, until the same spec is imported whole."""
    _neo4j_store.clear()
    spec = tmp_path / "spec.csv"
    spec.write_text("scale,seed\n0.2,5\n", encoding="utf-8")
    try:
        load = Watched("import", "synthetic", spec, "--store", neo4j_uri)
        assert until(lambda: _neo4j_store.counts().total_edges > 0 or load.process.poll() is not None, 300, 0.2)
        os.kill(load.process.pid, signal.SIGKILL)
        assert load.wait()[0] == -signal.SIGKILL
        (run_node,) = unfinished_imports(_neo4j_store)
        assert run_node.props["status"] == "started" and run_node.props["rows_written"] == 0
        assert _neo4j_store.counts().total_edges > 0  # some of its chunks are there: the run says it is not whole
        code, out, _ = run("counts", "--store", neo4j_uri)
        assert code == 0 and f"unfinished import: synthetic of spec.csv, started {run_node.props['started_at']}" in out
        assert (await healthz(_neo4j_store))["unfinished_imports"] == [{"id": run_node.id, "status": "started"}]
        code, _, err = run("import", "synthetic", spec, "--store", neo4j_uri)
        assert code == 0, err
        assert unfinished_imports(_neo4j_store) == [] and (await healthz(_neo4j_store))["unfinished_imports"] == []
        assert "unfinished" not in run("counts", "--store", neo4j_uri)[1]
    finally:
        _neo4j_store.clear()


def test_an_import_killed_while_writing_leaves_the_snapshot_as_it_was(tmp_path: Path) -> None:
    """The snapshot store writes whole files only: a killed import leaves the snapshot before it."""
    path = tmp_path / "graph.snapshot"
    spec = tmp_path / "spec.csv"
    spec.write_text("scale,seed\n0.002,3\n", encoding="utf-8")
    assert run("import", "synthetic", spec, "--store", f"memory:{path}")[0] == 0
    before = path.read_bytes()
    spec.write_text("scale,seed\n0.3,4\n", encoding="utf-8")
    load = Watched("import", "synthetic", spec, "--store", f"memory:{path}")
    assert until(lambda: load.saw("writing") or load.process.poll() is not None, 300)
    os.kill(load.process.pid, signal.SIGKILL)
    assert load.wait()[0] == -signal.SIGKILL
    assert path.read_bytes() == before
    assert unfinished_imports(MemoryStore.load(path)) == []


@pytest.mark.neo4j
@pytest.mark.slow
def test_an_import_killed_mid_file_leaves_none_of_that_file_in_neo4j(_neo4j_store: Store, neo4j_uri: str) -> None:
    """The writer, not the server, killed while its file's one transaction is writing: Neo4j rolls the
    transaction back, so none of the file's rows are there and the run says it did not finish; imported again,
    the file is there (its second row links URN 100012 to 100021)."""
    assert isinstance(_neo4j_store, Neo4jStore)
    driver = _neo4j_store.driver
    writing = "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery STARTS WITH 'UNWIND $rows' RETURN count(*) AS n"
    links = DATA / "gias_links_20250422.csv"
    _neo4j_store.clear()
    try:
        load = Watched("import", "gias-links", links, "--store", neo4j_uri)

        def file_writing() -> bool:
            """The file's rows being written: the run's own record, written the same way before them, committed
            first (a kill that caught that record's write instead left no run to find)."""
            return bool(unfinished_imports(_neo4j_store)) and driver.execute_query(writing)[0][0]["n"] > 0

        assert until(lambda: file_writing() or load.process.poll() is not None, 300)
        assert load.process.poll() is None, load.err
        os.kill(load.process.pid, signal.SIGKILL)
        assert load.wait()[0] == -signal.SIGKILL
        assert until(lambda: driver.execute_query(writing)[0][0]["n"] == 0, 60, 0.1)  # the server rolled it back
        assert "School" not in _neo4j_store.counts().nodes
        (run_node,) = unfinished_imports(_neo4j_store)
        assert run_node.props["status"] == "started"
        code, _, err = run("import", "gias-links", links, "--store", neo4j_uri)
        assert code == 0, err
        assert unfinished_imports(_neo4j_store) == []
        assert set(_neo4j_store.get_nodes(["School:100012", "School:100021"])) == {"School:100012", "School:100021"}
    finally:
        _neo4j_store.clear()


def test_a_file_that_changes_while_it_is_read_is_refused_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hostile input, round five: a file swapped for another while an import read it (9 of 400 runs with a
    thread swapping two copies) recorded the checksum of one and the rows of the other. The file is hashed again
    once its rows are read; a change refuses the run, naming the file, and the store is as it was."""
    importer = REGISTRY["npd-classifications"]()
    path = tmp_path / "classifications.csv"
    original = (DATA / importer.bundled).read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    transform = type(importer).transform

    def swapped_while_read(self, rows, *args):  # the rows are read; the file is then another
        batch = transform(self, rows, *args)
        path.write_text("\n".join(original.splitlines()[:3]) + "\n", encoding="utf-8")
        return batch

    monkeypatch.setattr(type(importer), "transform", swapped_while_read)
    store = MemoryStore()
    with pytest.raises(BadInput, match="the file changed while it was read"):
        importer.run(store, path)
    assert store.counts().total_nodes == 0
