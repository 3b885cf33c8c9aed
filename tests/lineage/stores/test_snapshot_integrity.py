"""A snapshot is verified on load (its format, version, length and SHA-256 are in its first line): any damage
is one clear error, never a traceback and never a silent load; a failed or killed save leaves the snapshot
before it whole and, once the next writer has passed, no temporary file."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import re
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lineage.errors import StoreError
from lineage.stores import snapshot as snapshot_file
from lineage.stores.memory import MemoryStore
from tests import fixture_graph as g
from tests.lineage.stores.processes import DATA, lineage, one_line_error, run, until

pytestmark = pytest.mark.heavy  # see pyproject.toml's markers: run first


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    store = MemoryStore()
    store.write(g.NODES, g.EDGES)
    path = tmp_path / "graph.snapshot"
    store.save(path)
    return path


def damaged(path: Path, change: bytes) -> Path:
    path.write_bytes(change)
    return path


def test_every_single_bit_flip_is_refused_as_damage(snapshot: Path) -> None:
    """Once, of 20 flips, 9 ended in a KeyError and 3 loaded silently. Here: one flip in every 97th bit of the
    file (its header among them), each refused with a StoreError naming the file."""
    whole = snapshot.read_bytes()
    header = whole.find(b"\n") + 1  # the first line, where there is one
    positions = sorted({*range(0, len(whole) * 8, 97), *range(0, header * 8, 7)})
    assert len(positions) > 100
    for position in positions:
        flipped = bytearray(whole)
        flipped[position // 8] ^= 1 << (position % 8)
        damaged(snapshot, bytes(flipped))
        with pytest.raises(StoreError, match=str(snapshot)):
            MemoryStore.load(snapshot)


@pytest.mark.parametrize(
    ("what", "change"),
    [
        ("one letter of a name", lambda b: b.replace(b"Research", b"Researcb", 1)),
        ("cut short", lambda b: b[: len(b) * 2 // 3]),
        ("a byte more", lambda b: b + b"\0"),
        ("empty", lambda b: b""),
        ("its header only", lambda b: b[: b.index(b"\n") + 1]),
        ("an older format", lambda b: b[b.index(b"\n") + 1 :]),
    ],
)
def test_any_damage_is_one_clear_error(snapshot: Path, what: str, change) -> None:
    altered = change(snapshot.read_bytes())
    assert altered != snapshot.read_bytes(), what
    damaged(snapshot, altered)
    with pytest.raises(StoreError, match="delete it and build it again") as refused:
        MemoryStore.load(snapshot)
    assert str(snapshot) in str(refused.value)


@pytest.mark.parametrize(
    "command",
    [["counts"], ["serve", "--port", "0", "--public-url", "http://127.0.0.1:8000"], ["export", "--format", "csv"]],
)
def test_no_command_answers_from_a_damaged_snapshot(snapshot: Path, command: list[str], tmp_path: Path) -> None:
    """One changed letter once loaded, and `serve` answered from the damaged graph."""
    damaged(snapshot, snapshot.read_bytes().replace(b"Research", b"Researcb", 1))
    extra = ["--output", tmp_path / "out"] if command[0] == "export" else []
    code, out, err = run(*command, *extra, "--store", f"memory:{snapshot}", timeout=60)
    assert code == 1, (out, err)
    assert "damaged" in one_line_error(err) and not out
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("made", "kind"),
    [("fifo", "a FIFO (named pipe)"), ("device", "a character device"), ("directory", "a directory")],
)
def test_a_snapshot_path_that_is_no_file_is_refused_at_once(tmp_path: Path, made: str, kind: str) -> None:
    """`--store memory:PATH` naming a FIFO waited forever for a writer, and one naming /dev/zero read zeros until
    the memory ran out; a serve or import with it never started nor said why."""
    path = tmp_path / "graph.snapshot"
    if made == "fifo":
        os.mkfifo(path)
    elif made == "device":
        path = Path("/dev/zero")
    else:
        path.mkdir()
    code, out, err = run("counts", "--store", f"memory:{path}", timeout=30)
    assert (code, out) == (1, "")
    assert one_line_error(err) == f"lineage: {path}: cannot be read: it is {kind}, not a regular file"
    with pytest.raises(StoreError, match=re.escape(f"it is {kind}")):
        MemoryStore.load(path)


@pytest.mark.parametrize(
    "made", ["folder", "fifo", "link to a fifo", "link to nothing", "path through a link to nothing"]
)
def test_a_writer_refuses_a_snapshot_path_with_no_place_to_save_and_makes_nothing(tmp_path: Path, made: str) -> None:
    """Hostile input, round eleven: an import into `memory:LINK`, LINK a link to /dev/zero, was refused only after
    it had made /dev/zero.lock; into a folder or a FIFO, after making its lock beside it; into a link to nothing,
    it made the folders the link named, elsewhere, and saved there. Each is refused naming the path, making
    nothing, here or where the link points."""
    here, elsewhere = tmp_path / "here", tmp_path / "elsewhere"
    here.mkdir()
    elsewhere.mkdir()
    path = here / "graph.snapshot"
    if made == "folder":
        path.mkdir()
    elif made == "fifo":
        os.mkfifo(path)
    elif made == "link to a fifo":
        os.mkfifo(elsewhere / "pipe")
        path.symlink_to(elsewhere / "pipe")
    elif made == "link to nothing":
        path.symlink_to(elsewhere / "nowhere" / "graph.snapshot")
    else:
        (here / "folder").symlink_to(elsewhere / "nowhere")
        path = here / "folder" / "graph.snapshot"
    before = {p: sorted(p.iterdir()) for p in (here, elsewhere)}
    code, out, err = run("import", "npd-classifications", DATA / "npd_data_item_classifications_2018.csv",
                         "--store", f"memory:{path}", timeout=60)  # fmt: skip
    assert (code, out) == (1, "")
    assert one_line_error(err).startswith(f"lineage: {path}")
    assert {p: sorted(p.iterdir()) for p in (here, elsewhere)} == before


def test_a_failed_save_leaves_no_temporary_file_and_the_old_snapshot_whole(snapshot: Path) -> None:
    before = snapshot.read_bytes()
    store = MemoryStore.load(snapshot)
    store.write([g.NODES[0]])
    in_the_way = snapshot.parent / "in the way"
    in_the_way.mkdir()  # a directory where the snapshot should go: the final rename fails
    with pytest.raises(StoreError, match="could not be saved"):
        store.save(in_the_way)
    assert sorted(p.name for p in snapshot.parent.iterdir()) == ["graph.snapshot", "in the way"]
    assert list(in_the_way.iterdir()) == [] and snapshot.read_bytes() == before


def test_a_killed_save_leaves_the_old_snapshot_whole_and_the_next_writer_tidies_up(tmp_path: Path) -> None:
    """A real `lineage build` killed (SIGKILL) while it writes the snapshot: the one before loads whole, and
    the temporary file the killed save left goes with the next import."""
    path = tmp_path / "graph.snapshot"
    code, _, err = run("import", "npd-classifications", DATA / "npd_data_item_classifications_2018.csv", "--store",
                       f"memory:{path}")  # fmt: skip
    assert code == 0, err
    original = path.read_bytes()
    before = MemoryStore.load(path).counts()
    known = {path.name, f"{path.name}.lock"}

    def saving() -> bool:
        return any(p.name not in known for p in tmp_path.iterdir())

    for _attempt in range(5):  # the save lasts under a second: try again where the kill came too late
        build = lineage("build", "--store", f"memory:{path}")
        until(lambda: saving() or build.poll() is not None, 120)  # noqa: B023 - called within this turn
        os.kill(build.pid, signal.SIGKILL)
        build.communicate()
        if build.returncode == -signal.SIGKILL and saving():
            break
        path.write_bytes(original)
    else:
        pytest.fail("the build finished its save before it could be killed, five times")
    assert MemoryStore.load(path).counts() == before  # the snapshot before the killed save, whole
    code, _, err = run("import", "npd-datasets", DATA / "npd_datasets_overview_2018.csv", "--store", f"memory:{path}")
    assert code == 0, err
    assert {p.name for p in tmp_path.iterdir()} == known
    assert MemoryStore.load(path).counts().nodes["Dataset"] == 41


def test_a_fifo_put_where_the_snapshot_was_blocks_no_health_check(snapshot: Path) -> None:
    """The second review: /healthz reads the snapshot's first line to say whether it was saved over; a FIFO put
    there would have blocked the worker's thread on every check. It is no snapshot: nothing is said superseded."""
    import threading

    store = MemoryStore.load(snapshot)
    snapshot.unlink()
    os.mkfifo(snapshot)
    answers: list[bool] = []
    checking = threading.Thread(target=lambda: answers.append(store.superseded()), daemon=True)
    checking.start()
    checking.join(5)
    assert answers == [False]


def test_a_file_that_is_no_snapshot_is_refused_by_its_first_line_alone(
    snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hostile input, round five: a --store naming a large file that is no snapshot (a mistyped path) was read
    whole before its header was looked at (150 MB of memory for a 150 MB file), and the error advised deleting it
    (/etc/passwd); a snapshot a newer release wrote was to be deleted too. The first line is read alone, and the
    advice fits the case."""
    from lineage import files

    read: list[int] = []
    open_regular = files.open_regular

    def counted(path: Path):  # every byte read of the file, by each read
        handle = open_regular(path)
        reading = handle.read
        handle.read = lambda size=-1: read.append(len(data := reading(size))) or data  # type: ignore[method-assign]
        return handle

    monkeypatch.setattr("lineage.stores.snapshot.open_regular", counted)
    other = tmp_path / "notes.txt"
    other.write_bytes(b"x" * 5_000_000)
    with pytest.raises(StoreError, match="not a lineage snapshot") as refused:
        MemoryStore.load(other)
    assert sum(read) < 200 and "check the path" in str(refused.value)
    whole = snapshot.read_bytes()
    newer = whole.replace(b" 3 ", b" 4 ", 1)
    assert newer != whole
    damaged(snapshot, newer)
    with pytest.raises(StoreError, match="snapshot format 4, this code reads 3; a newer release of lineage wrote it"):
        MemoryStore.load(snapshot)


def _rewritten(path: Path, change: Callable[[dict[str, Any]], None], protocol: int = pickle.HIGHEST_PROTOCOL) -> Path:
    """The snapshot with its tables changed and a header that fits them: a file written by other code, or by a bug,
    that no checksum tells from a whole one."""
    body = path.read_bytes().partition(b"\n")[2]
    payload = pickle.loads(body)
    change(payload)
    body = pickle.dumps(payload, protocol=protocol)
    path.write_bytes(snapshot_file._header(hashlib.sha256(body).hexdigest(), len(body)) + body)
    return path


def _set(table: str, row: int, field: int, value: object) -> Callable[[dict[str, Any]], None]:
    def change(payload: dict[str, Any]) -> None:
        fields = list(payload[table][row])
        fields[field] = value
        payload[table][row] = tuple(fields)

    return change


#: 31 February 2013, as a pickle builds a date from its bytes (checking its month alone).
NO_DATE = dt.date(b"\x07\xdd\x02\x1f")  # type: ignore[call-overload]
WRONG_ROWS = {
    "a node whose props are a list": (_set("nodes", 0, 4, ["x"]), "nodes row 1 of 16: its props are a list"),
    "a node whose name is a number": (_set("nodes", 1, 2, 5), "nodes row 2 of 16: a node's key and name are text"),
    "a node synthetic 'no'": (_set("nodes", 1, 3, "no"), "nodes row 2 of 16: a node's key and name are text"),
    "a node citing a citation -1": (_set("nodes", 0, 5, (-1,)), "nodes row 1 of 16: its citations are not among"),
    "an edge missing its fields": (
        lambda p: p["edges"].__setitem__(2, p["edges"][2][:2]),
        "edges row 3 of 20: a row of 6 fields, not 2 fields",
    ),
    "an edge to no node": (_set("edges", 0, 2, "School:0"), "edges row 1 of 20: edge 'School:"),
    "a node given twice": (lambda p: p["nodes"].append(p["nodes"][0]), "nodes row 17 of 17: node 'School:"),
    "an edge given twice": (lambda p: p["edges"].append(p["edges"][0]), "edges row 21 of 21: edge"),
    "a citation's row in words": (_set("citations", 0, 2, "two"), "citations row 1 of"),
    "a validity's date as text": (
        lambda p: p["shared"].__setitem__(0, ("confirmed", None, "2019-01-01", None)),
        "shared row 1 of",
    ),
    "no tables": (lambda p: p.pop("edges"), "it holds no snapshot's tables"),
    "a property that is a mapping": (
        _set("nodes", 0, 4, {"urn": {"urn": 9000001}}),
        "nodes row 1 of 16: its property 'urn' holds dict {'urn': 9000001}, where it holds int",
    ),
    "a list property holding a list": (
        _set("nodes", 3, 4, {"terms": ("autumn", ["spring"])}),
        "nodes row 4 of 16: its property 'terms' is ('autumn', ['spring']): a list of text holds text alone",
    ),
    "a date property as text": (
        _set("nodes", 10, 4, {"date": "20/02/2013"}),
        "nodes row 11 of 16: its property 'date' holds str '20/02/2013', where it holds date",
    ),
    "a date of no calendar": (
        _set("nodes", 10, 4, {"date": NO_DATE}),
        "nodes row 11 of 16: its property 'date' is 2013-02-31, no date of the calendar",
    ),
    "a property its kind has not": (
        _set("nodes", 0, 4, {"urn": 9000001, "colour": "red"}),
        "nodes row 1 of 16: it has a property 'colour', which its kind has not",
    ),
    "a link's property of the wrong type": (
        lambda p: p["edges"].__setitem__(0, (*p["edges"][0][:3], {"link_type": 3}, *p["edges"][0][4:])),
        "edges row 1 of 20: its property 'link_type' holds int 3, where it holds str",
    ),
    "a node's name holding a lone surrogate": (
        _set("nodes", 1, 2, "Bad \udc80 name"),
        "nodes row 2 of 16: its name is not valid Unicode: a lone surrogate at character 4",
    ),
    "a list property holding a lone surrogate": (
        _set("nodes", 3, 4, {"terms": ("autumn", "spr\ud800ing")}),
        "nodes row 4 of 16: its property 'terms' is not valid Unicode: a lone surrogate at character 3",
    ),
    "a citation's file holding a lone surrogate": (
        _set("citations", 0, 1, "caf\udce9.csv"),
        "citations row 1 of",
    ),
    "a validity's date of no calendar": (
        lambda p: p["shared"].__setitem__(0, ("confirmed", None, NO_DATE, None)),
        "shared row 1 of",
    ),
}


@pytest.mark.parametrize("case", list(WRONG_ROWS))
def test_a_snapshot_row_of_the_wrong_shape_or_types_is_refused_naming_the_file_and_row(
    snapshot: Path, case: str
) -> None:
    """The hostile-input reading, round eight: a whole file (its checksum fits) whose rows another program wrote
    wrongly. A node whose props were a list, whose name was a number or whose 'synthetic' was a word, one citing
    citation -1 (the last), a node given twice (counted twice), and dates as text loaded silently and failed later,
    in answers; an edge cut short was "not enough values to unpack" and an edge to no node a KeyError, naming no
    row. Round nine: a property whose value was a mapping, a nested list, a date as text or a date of no calendar
    (31 February), or a property its kind has not, loaded as silently."""
    change, said = WRONG_ROWS[case]
    _rewritten(snapshot, change)
    with pytest.raises(StoreError, match=re.escape(said)) as refused:
        MemoryStore.load(snapshot)
    assert str(refused.value).startswith(f"{snapshot}: the snapshot does not read")


def test_a_lone_surrogate_is_refused_however_the_pickle_writes_its_text(snapshot: Path) -> None:
    """The hostile-input reading, round ten: a lone surrogate is looked for only where the snapshot's bytes may
    hold one: as UTF-8's form of it, as pickle's text opcodes write one, and as an escape in the text of its
    protocol 0 (its UNICODE opcode, which a protocol-3 stream may hold too)."""
    _rewritten(snapshot, _set("nodes", 1, 2, "Bad \ud800 name"))
    with pytest.raises(StoreError, match="nodes row 2 of 16: its name is not valid Unicode"):
        MemoryStore.load(snapshot)
    _rewritten(snapshot, _set("nodes", 1, 2, "Bad X name"), protocol=3)  # no frames: an opcode can be swapped
    body = snapshot.read_bytes().partition(b"\n")[2]
    escaped = body.replace(b"X\x0a\x00\x00\x00Bad X name", b"VBad \\ud800 name\n")
    assert escaped != body and pickle.loads(escaped)["nodes"][1][2] == "Bad \ud800 name"
    snapshot.write_bytes(snapshot_file._header(hashlib.sha256(escaped).hexdigest(), len(escaped)) + escaped)
    with pytest.raises(StoreError, match="nodes row 2 of 16: its name is not valid Unicode"):
        MemoryStore.load(snapshot)
