"""The first rebuild is a no-op: build the real graph, export it as CSV, build again, export again, and the files
are the same to the byte, on both stores. Once two FEEDS edges gained a citation on the second build: the
collection lists copied a data set's citations before the sheet notes had added theirs.

The clock is fixed, as the only thing a build may record differently is when its import runs happened."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers import base
from importers.build import build_real_graph
from lineage.exports import export
from lineage.store import Store


def exported(store: Store, directory: Path) -> dict[str, bytes]:
    export(store, "csv", directory)
    return {name: (directory / name).read_bytes() for name in ("nodes.csv", "edges.csv")}


# The real graph is built twice: a slow test on Neo4j.
@pytest.mark.parametrize(
    "empty_store", ["memory", pytest.param("neo4j", marks=[pytest.mark.neo4j, pytest.mark.slow])], indirect=True
)
def test_building_twice_gives_byte_identical_exports(
    empty_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = empty_store
    monkeypatch.setattr(base, "now", lambda: "2025-04-22T00:00:00+00:00")
    build_real_graph(store)
    first = exported(store, tmp_path / "first")
    build_real_graph(store)
    second = exported(store, tmp_path / "second")
    assert first["edges.csv"].count(b"\n") > 20_000  # the whole graph, not an empty one
    assert second["edges.csv"] == first["edges.csv"]
    assert second["nodes.csv"] == first["nodes.csv"]
