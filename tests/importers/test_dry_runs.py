"""A dry run makes every refusal the real run would make, the store's own included, and writes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from importers import REGISTRY
from importers.base import Batch, Importer, Report
from importers.reading import Row, read_csv
from lineage.errors import StoreError
from lineage.model import Citation, Edge, EdgeKind, Node, NodeKind
from lineage.store import Store
from lineage.stores.memory import MemoryStore
from tests.importers.store_state import state_of
from tests.lineage.stores.processes import DATA, one_line_error, run


class Dangling(Importer):
    """An importer whose one edge points at a node no file gives: the store refuses its write."""

    name = "dangling (test)"
    document = "tests/importers/test_dry_runs.py (fictional)"

    def extract(self, path: Path) -> list[Row]:
        return read_csv(path, ("name",))

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        cited = frozenset({self.citation(path, 2)})
        nodes = [Node(NodeKind.ORGANISATION, row["name"].lower(), row["name"], {}, cited) for row in rows]
        return Batch(nodes, [Edge(nodes[0].id, EdgeKind.SHARES_ONWARD, "Organisation:nowhere", citations=cited)])


REAL = Node(NodeKind.ORGANISATION, "home office", "Home Office", citations=frozenset({Citation("doc", "f.csv", 2)}))


def spec(tmp_path: Path) -> Path:
    path = tmp_path / "spec.csv"
    path.write_text("scale,seed\n0.002,3\n", encoding="utf-8")
    return path


def test_a_synthetic_dry_run_into_a_real_store_is_refused(empty_store: Store, tmp_path: Path) -> None:
    empty_store.write([REAL])
    before = state_of(empty_store)
    with pytest.raises(StoreError, match="already holds real"):
        REGISTRY["synthetic"]().run(empty_store, spec(tmp_path), dry_run=True)
    assert state_of(empty_store) == before


def test_a_real_dry_run_into_a_synthetic_store_is_refused(empty_store: Store, tmp_path: Path) -> None:
    REGISTRY["synthetic"]().run(empty_store, spec(tmp_path))
    before = state_of(empty_store)
    with pytest.raises(StoreError, match="already holds synthetic"):
        REGISTRY["npd-classifications"]().run(
            empty_store, DATA / "npd_data_item_classifications_2018.csv", dry_run=True
        )
    assert state_of(empty_store) == before


def test_a_dry_run_refuses_an_edge_to_nowhere(empty_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "organisations.csv"
    path.write_text("name\nExample Analytics Ltd\n", encoding="utf-8")
    with pytest.raises(StoreError, match="Organisation:nowhere"):
        Dangling().run(empty_store, path, dry_run=True)
    assert empty_store.counts().total_nodes == 0


def test_a_dry_run_that_passes_writes_nothing(empty_store: Store) -> None:
    report = REGISTRY["npd-classifications"]().run(empty_store, DATA / "npd_data_item_classifications_2018.csv",
                                                   dry_run=True)  # fmt: skip
    assert report.rows_read == 10 and report.dry_run
    assert empty_store.counts().total_nodes == 0


def test_the_command_refuses_a_synthetic_dry_run_into_a_real_snapshot(tmp_path: Path) -> None:
    """Once it exited 0."""
    path = tmp_path / "graph.snapshot"
    with MemoryStore.writing(path) as store:
        store.write([REAL])
    before = path.read_bytes()
    code, _, err = run("import", "synthetic", spec(tmp_path), "--dry-run", "--store", f"memory:{path}")
    assert code == 1 and "already holds real data" in one_line_error(err)
    assert path.read_bytes() == before
