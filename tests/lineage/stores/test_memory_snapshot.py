"""The embedded store's snapshot: a faithful, safe, atomic save and load."""

from __future__ import annotations

import hashlib
import pickle

import pytest

from lineage.errors import StoreError
from lineage.store import Direction
from lineage.stores import open_store
from lineage.stores.memory import MemoryStore
from lineage.stores.snapshot import _header
from tests import fixture_graph as g


@pytest.fixture
def saved(tmp_path):
    store = MemoryStore()
    store.write(g.NODES, g.EDGES)
    path = tmp_path / "graph.snapshot"
    store.save(path)
    return store, path


def test_a_loaded_snapshot_answers_like_the_original(saved) -> None:
    store, path = saved
    loaded = MemoryStore.load(path)
    assert loaded.counts() == store.counts()
    assert loaded.get_nodes(n.id for n in g.NODES) == store.get_nodes(n.id for n in g.NODES)
    assert loaded.traverse(g.O2, Direction.UPSTREAM, max_depth=3) == store.traverse(
        g.O2, Direction.UPSTREAM, max_depth=3
    )
    assert loaded.holds_synthetic(True) and not loaded.holds_synthetic(False)


def test_open_store_loads_a_snapshot_by_address(saved) -> None:
    store, path = saved
    assert open_store(f"memory:{path}").counts() == store.counts()
    assert open_store(f"memory:{path.parent / 'absent.snapshot'}").counts().total_nodes == 0


def test_a_snapshot_that_would_run_code_is_refused(tmp_path) -> None:
    class Payload:
        def __reduce__(self):
            return (print, ("this must never run",))

    path = tmp_path / "evil.snapshot"
    body = pickle.dumps(Payload())
    path.write_bytes(_header(hashlib.sha256(body).hexdigest(), len(body)) + body)  # whole, as save writes it
    with pytest.raises(StoreError, match=r"builtins\.print"):
        MemoryStore.load(path)


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps({"format": "other"})])
def test_a_file_that_is_no_snapshot_is_refused(tmp_path, content: bytes) -> None:
    path = tmp_path / "bad.snapshot"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=str(path.name)):
        MemoryStore.load(path)


def test_saving_replaces_the_file_whole(saved) -> None:
    store, path = saved
    store.write([g.NODES[0]])
    store.save(path)
    assert [p.name for p in path.parent.iterdir()] == [path.name]
