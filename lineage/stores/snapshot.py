"""The embedded store's snapshot file: the whole graph in one file, saved atomically, checked whole before it
is read, and written by one process at a time.

Kept apart from :mod:`lineage.stores.memory`, which hands its records in and takes them back: this is the
file's format, its integrity checks and the writers' lock. The file opens with a header line giving its
format, version, length and SHA-256, so that a load can tell a damaged snapshot from a whole one; its body is
a pickle of plain rows in which only dates are objects, so loading one cannot run code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import glob
import hashlib
import io
import os
import pickle
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from lineage.errors import StoreError
from lineage.files import beside_name, locked_within, not_regular, open_regular
from lineage.model import (
    ALWAYS,
    EDGE_COMMON_PROPS,
    EDGE_SPECS,
    Certainty,
    CertaintyLevel,
    Citation,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    Prop,
    Scalar,
    Validity,
    node_props,
)
from lineage.store import not_unicode

SNAPSHOT_FORMAT = "pupil-data-lineage/snapshot"
#: 3: a header with length and SHA-256 before the data
SNAPSHOT_VERSION = 3
_LENGTH_DIGITS = 16
_NO_DIGEST = "0" * 64
#: Seconds a writer waits for another writer of the same snapshot before it is refused.
LOCK_WAIT = 60.0


def save(target: Path, nodes: Iterable[Node], edges: Iterable[Edge]) -> None:
    """Write these records to one file, atomically: a failed or killed save leaves the old snapshot in place.
    A failed save removes its temporary file; one a killed save left is removed by the next writer
    (:func:`writer_lock`)."""
    rows = _SnapshotWriter()
    node_rows, edge_rows = [rows.node(node) for node in nodes], [rows.edge(edge) for edge in edges]
    payload = {**rows.tables(), "nodes": node_rows, "edges": edge_rows}
    temporary = target.with_name(f"{_leftover_prefix(target)}{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # private while written (a private snapshot's data had been readable by all until the rename)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(_header(_NO_DIGEST, 0))  # the length and checksum are known at the end
            hashing = _Hashing(out)
            pickle.dump(payload, hashing, protocol=pickle.HIGHEST_PROTOCOL)
            out.seek(0)
            out.write(_header(hashing.sha256.hexdigest(), hashing.length))
            out.flush()
            os.fsync(out.fileno())
        # the snapshot keeps its owner's choice of who may read it (600 had become 644); a new one is readable by all
        os.chmod(temporary, stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644)
        os.replace(temporary, target)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            problem = exc.strerror or str(exc)
            raise StoreError(
                f"{target}: the snapshot could not be saved ({problem}); any before it is unchanged"
            ) from exc
        raise


def load(path: Path, fill: Callable[[list[Node], list[Edge]], None]) -> str:
    """Read a snapshot written by :func:`save`, after checking its header, length and checksum, and hand its
    records to ``fill`` (an empty store's bulk load); return its SHA-256, which identifies what it holds. Any
    damage, and anything ``fill`` refuses in a whole file, is one StoreError saying what to do."""
    with _no_gc():  # building ~100k objects that live as long as the store: collecting meanwhile is waste
        return _load(path, fill)


def _load(path: Path, fill: Callable[[list[Node], list[Edge]], None]) -> str:
    # its header first, alone: a file that is no snapshot (a mistyped path to a large one) is never read whole
    try:
        with open_regular(path) as handle:
            header = handle.read(len(_header(_NO_DIGEST, 0)))
            fields = header.split()
            if len(fields) != 7 or fields[0] != SNAPSHOT_FORMAT.encode() or not header.endswith(b"\n"):
                raise StoreError(
                    f"{path}: not a lineage snapshot (or one from before format {SNAPSHOT_VERSION}): check the path "
                    f"(a snapshot's first line begins {SNAPSHOT_FORMAT!r}); an old snapshot: {_rebuild(path)}"
                )
            if fields[1] != str(SNAPSHOT_VERSION).encode():
                version = fields[1].decode(errors="replace")
                newer = version.isdigit() and int(version) > SNAPSHOT_VERSION
                advice = "a newer release of lineage wrote it: use that release" if newer else _rebuild(path)
                raise StoreError(f"{path}: snapshot format {version}, this code reads {SNAPSHOT_VERSION}; {advice}")
            body = memoryview(handle.read())
    except OSError as exc:  # not a regular file, or unreadable
        reason = f" ({exc.strerror})" if exc.strerror else f": {exc}"
        raise StoreError(f"{path}: cannot be read{reason}") from exc
    if fields[4:6] != [b"bytes", str(len(body)).zfill(_LENGTH_DIGITS).encode()]:
        raise StoreError(
            f"{path}: the snapshot is damaged (not the length its header gives: cut short?); {_rebuild(path)}"
        )
    digest = hashlib.sha256(body).hexdigest()
    if fields[2:4] != [b"sha256", digest.encode()] or fields[6] != b"end":
        raise StoreError(f"{path}: the snapshot is damaged (its checksum does not match); {_rebuild(path)}")
    try:
        payload = _SnapshotUnpickler(io.BytesIO(body)).load()
        if not isinstance(payload, dict) or not payload.keys() >= _TABLES:
            raise _BadRow(f"it holds no snapshot's tables ({', '.join(sorted(_TABLES))})")
        rows = _SnapshotReader(payload["citations"], payload["shared"])
        nodes = _read_rows("nodes", payload["nodes"], rows.node)
        edges = _read_rows("edges", payload["edges"], rows.edge)
        rows.refuse_unjoined(nodes, edges)
        if any(pattern.search(body) for pattern in _MAYBE_SURROGATE):
            _refuse_surrogates(payload)
        fill(nodes, edges)
    except _BadRow as exc:  # a row of the wrong shape or types: written by other code, or by a bug
        raise StoreError(f"{path}: the snapshot does not read: {exc}; {_rebuild(path)}") from exc
    except Exception as exc:  # a whole file that does not read: written by other code, or by a bug
        raise StoreError(f"{path}: the snapshot does not read ({type(exc).__name__}: {exc}); {_rebuild(path)}") from exc
    return digest


def digest_of(path: Path) -> str | None:
    """The SHA-256 a snapshot's header gives for what it holds (its first line alone is read); None where there
    is no snapshot there, or none whole enough to say."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO put there would block the reader
            return None
        with path.open("rb") as handle:
            fields = handle.read(len(_header(_NO_DIGEST, 0))).split()
    except OSError:
        return None
    return fields[3].decode() if len(fields) == 7 and fields[0] == SNAPSHOT_FORMAT.encode() else None


def _header(sha256: str, length: int) -> bytes:
    """The snapshot's first line, of one width whatever it says (save writes it last, over a placeholder)."""
    fields = [SNAPSHOT_FORMAT, str(SNAPSHOT_VERSION), "sha256", sha256, "bytes"]
    return " ".join([*fields, str(length).zfill(_LENGTH_DIGITS), "end"]).encode() + b"\n"


class _Hashing:
    """A file that pickle writes to, counting and hashing what passes."""

    def __init__(self, out: BinaryIO) -> None:
        self.out, self.sha256, self.length = out, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.length += len(data)
        return self.out.write(data)


def _rebuild(path: Path) -> str:
    """What the error on a damaged or unreadable snapshot tells the operator to do."""
    return f"delete it and build it again (`lineage build --store memory:{path}`)"


def _leftover_prefix(target: Path) -> str:
    """The name a save's temporary file starts with (the saving process's id follows)."""
    return beside_name(target, ".", ".saving-")


def refuse_no_place_to_save(given: Path, target: Path) -> None:
    """Refuse a writer's snapshot path (``given``, followed to ``target``) before its lock is made beside it: what
    is there and no regular file (a folder, a FIFO, a link to /dev/zero, whose lock had been made in /dev), and a
    path through a symbolic link to nothing, whose save had made the folders the link names, wherever they were."""
    dangling = next((p for p in (given, *given.parents) if p.is_symlink() and not p.exists()), None)
    if dangling is not None:
        which = "it" if dangling == given else dangling
        raise StoreError(
            f"{given}: {which} is a symbolic link to {os.readlink(dangling)}, which is not there: nothing was written; "
            "link it to a snapshot or a folder that is there, or give another path"
        )
    try:
        problem = not_regular(os.stat(target).st_mode)
    except OSError:  # nothing there: a new snapshot; or a file where a folder should be, which writer_lock names
        return
    if problem is not None:
        linked = f" (a link to {target})" if target != Path(os.path.abspath(given)) else ""
        raise StoreError(f"{given}{linked}: cannot be read: {problem}")


def lock_of(target: Path) -> Path:
    """The file beside a snapshot that its writers lock (:func:`writer_lock`)."""
    return target.with_name(beside_name(target, "", ".lock"))


@contextlib.contextmanager
def writer_lock(target: Path, wait: float = LOCK_WAIT, by: str = "another writer") -> Iterator[None]:
    """Hold an exclusive OS lock on ``<snapshot>.lock``, waiting up to ``wait`` seconds; the holder's process id
    and what it is (``by``: "lineage build") are written in it for the message of whoever waits, which had called
    every holder an import. The OS releases it if the holder dies. Only the lock's holder saves, so the temporary
    files of any other save were left by a killed one: they are removed."""
    lock = lock_of(target)
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        # never through a link: a lock linked to another file had that file emptied and written with a pid
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    except OSError as exc:  # a file where its folder should be had been "File exists", naming neither
        blocking = next((p for p in lock.parents if p.exists()), None)
        why = f"{blocking} is not a folder" if blocking is not None and not blocking.is_dir() else exc.strerror or exc
        if lock.is_symlink():
            why = "it is a symbolic link: remove it"
        raise StoreError(f"{lock}: the snapshot's lock cannot be taken ({why})") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # a pipe or a device is no lock, and cannot be written
        os.close(fd)
        raise StoreError(f"{lock}: the snapshot's lock cannot be taken (it is not a regular file: remove it)")
    try:
        if not locked_within(fd, wait, poll=0.05):
            pid, _, holder = os.pread(fd, 512, 0).decode(errors="replace").strip().partition(" ")
            holder, pid = _printable(holder) or "another writer", _printable(pid) or "unknown"
            raise StoreError(
                f"{holder} is writing to {target} (pid {pid}); waited {wait:g} s for it: "
                "run this one again when it has finished"
            )
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {by}\n".encode(), 0)
        for leftover in target.parent.glob(f"{glob.escape(_leftover_prefix(target))}*"):
            leftover.unlink(missing_ok=True)
        yield
    finally:
        os.close(fd)


def _printable(text: str) -> str:
    """What a lock file says of its holder, as a message may print it: a lock any process can write is no text to
    send a terminal whole."""
    return "".join(char for char in text if char.isprintable())[:80]


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _SnapshotUnpickler(pickle.Unpickler):
    """Refuses every class but dates, so a snapshot cannot run code when loaded."""

    def find_class(self, module: str, name: str) -> type:
        if (module, name) == ("datetime", "date"):
            return dt.date
        raise pickle.UnpicklingError(f"snapshot refers to {module}.{name}, which a snapshot never holds")


#: A snapshot's rows: a node's (kind, key, name, synthetic, ...) or an edge's (source, kind, target, ...), then
#: (props, citation indexes, shared index); a citation's (document, file, row, address); a shared
#: (certainty level, rule, valid from, valid to).
SnapshotRow = tuple[Any, ...]
CitationRow = tuple[str, str, int | None, str]
SharedRow = tuple[str, str | None, dt.date | None, dt.date | None]


class _SnapshotWriter:
    """Rows for a snapshot: citations, certainties and validities are stored once each and referred to by
    index, because thousands of records share them (every tier-level edge cites the same register row)."""

    def __init__(self) -> None:
        self.citations: dict[Citation, int] = {}
        self.shared: dict[SharedRow, int] = {}  # (certainty level, rule, valid from, valid to) -> index

    def _common(self, record: Node | Edge) -> tuple[dict[str, Scalar], tuple[int, ...], int]:
        cited = tuple(sorted(self.citations.setdefault(c, len(self.citations)) for c in record.citations))
        shared = (
            record.certainty.level.value,
            record.certainty.rule,
            record.validity.valid_from,
            record.validity.valid_to,
        )
        return (dict(record.props), cited, self.shared.setdefault(shared, len(self.shared)))

    def node(self, node: Node) -> SnapshotRow:
        return (node.kind.value, node.key, node.name, node.synthetic, *self._common(node))

    def edge(self, edge: Edge) -> SnapshotRow:
        return (edge.source, edge.kind.value, edge.target, *self._common(edge))

    def tables(self) -> dict[str, list[tuple[Any, ...]]]:
        return {
            "citations": [(c.document, c.file, c.row, c.address) for c in self.citations],
            "shared": list(self.shared),
        }


_TABLES = frozenset({"citations", "shared", "nodes", "edges"})
_T = TypeVar("_T")


class _BadRow(ValueError):
    """A snapshot's row of the wrong shape or types, or records that do not join: its message names the table and
    the row (from 1)."""


def _read_rows(table: str, rows: Any, read: Callable[[SnapshotRow], _T]) -> list[_T]:
    """Each row of a snapshot's table read, or :class:`_BadRow` naming the table and row that does not read: a node
    whose props were a list, a name a number or ``synthetic`` a word had been loaded, and answered from, as they
    were; a row too short was refused as "not enough values to unpack", naming no row."""
    if not isinstance(rows, list):
        raise _BadRow(f"its {table} are a {type(rows).__name__}, not a list of rows")
    read_rows = []
    for number, row in enumerate(rows, start=1):
        try:
            read_rows.append(read(row))
        except Exception as exc:
            problem = f"no such kind {exc}" if isinstance(exc, KeyError) else str(exc)
            raise _BadRow(f"{table} row {number:,} of {len(rows):,}: {_clipped(problem)}") from exc
    return read_rows


#: How a pickle writes a lone surrogate: as UTF-8 would were it allowed (ED, A0-BF, a continuation byte), which its
#: text opcodes let pass, or as a \u or \U escape, in its first protocol's text. Bytes holding neither hold no lone
#: surrogate: two searches of the whole body (about 3.5 ms on the real graph's 7 MB; one pattern of both, 24 ms)
#: spare looking at every string (about 140 ms, naming where), which is done only where one may be.
_MAYBE_SURROGATE = (
    re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]"),
    re.compile(rb"\\(?:u[dD][89a-fA-F]|U0000[dD][89a-fA-F])"),
)
#: The fields of each table's rows, as a refusal names them.
_FIELDS = {
    "citations": ("document", "file", "row", "address"),
    "shared": ("certainty", "rule", "valid from", "valid to"),
    "nodes": ("kind", "key", "name", "synthetic", "props", "citations", "shared"),
    "edges": ("source", "kind", "target", "props", "citations", "shared"),
}


def _refuse_surrogates(payload: dict[str, Any]) -> None:
    """Refuse text that is not valid Unicode, naming its table, row and field: a snapshot holding a lone surrogate
    (written by other code, or by a bug) had loaded and answered, and every CSV, Cytoscape and OpenLineage export
    of it failed, "surrogates not allowed", naming no node. Called on rows already read, so of the right shape."""
    for table, fields in _FIELDS.items():
        rows = payload[table]
        for number, row in enumerate(rows, start=1):
            for field, value in zip(fields, row, strict=True):
                for place, text in _texts(field, value):
                    if problem := not_unicode(text):
                        raise _BadRow(f"{table} row {number:,} of {len(rows):,}: its {place} {problem}")


def _texts(field: str, value: Any) -> Iterator[tuple[str, str]]:
    """The text a row's field holds, with where: the field itself, or each of its properties' texts."""
    if isinstance(value, str):
        yield field, value
    elif isinstance(value, dict):
        for name, prop in value.items():
            for text in (prop,) if isinstance(prop, str) else prop if isinstance(prop, tuple) else ():
                yield f"property {name!r}", text


def _clipped(text: str, limit: int = 300) -> str:
    """A problem's words cut short: a row may quote a key of a million characters."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _read_citation(row: Any) -> Citation:
    document, file, number, address = _fields(row, 4)
    if not (isinstance(document, str) and isinstance(file, str) and isinstance(address, str)):
        raise ValueError("a citation's document, file and address are text")
    if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
        raise ValueError(f"a citation's row is a whole number or none, not {number!r}")
    return Citation(document, file, number, address)


def _read_shared(row: Any) -> tuple[Certainty, Validity]:
    level, rule, start, end = _fields(row, 4)
    for date in (start, end):
        if date is not None and not _is_date(date):
            raise ValueError(f"a validity's dates are dates or none, not {date!r}")
    if rule is not None and not isinstance(rule, str):
        raise ValueError(f"a certainty's rule is text or none, not {rule!r}")
    return Certainty(CertaintyLevel(level), rule), ALWAYS if start is None and end is None else Validity(start, end)


def _is_date(value: Any) -> bool:
    """Whether ``value`` is a date of the calendar: a pickle builds a date from its bytes checking the month alone,
    so 2019-02-31, 2019-02-00 and year 0 had loaded, and written out as no ISO date any reader takes."""
    if type(value) is not dt.date:
        return False
    try:
        dt.date(value.year, value.month, value.day)
    except ValueError:
        return False
    return True


#: The types a snapshot's property value may be, by the model's type for the property (a figure is a float or a
#: whole number); a tuple's every value is text, and a date one of the calendar (:func:`_is_date`).
_VALUE_TYPES: dict[type, frozenset[type]] = {
    str: frozenset({str}),
    int: frozenset({int}),
    float: frozenset({float, int}),
    bool: frozenset({bool}),
    dt.date: frozenset({dt.date}),
    tuple: frozenset({tuple}),
}


def _allowed(props: Iterable[Prop]) -> dict[str, frozenset[type]]:
    return {prop.name: _VALUE_TYPES[prop.type] for prop in props}


def _read_props(props: Any, allowed: dict[str, frozenset[type]]) -> dict[str, Scalar]:
    """A row's properties, each one its kind has and of its type: a value that was a mapping, a nested list or a date
    of no calendar had loaded whenever the checksum fitted, and failed later, in an answer or an export. By exact
    types, a look-up each: about 5% of a load (the model's own check took as long again as the load)."""
    if not isinstance(props, dict):
        raise ValueError(f"its props are a {type(props).__name__}, not a mapping")
    for name, value in props.items():
        kind = type(value)
        if kind not in allowed.get(name, ()):
            if name not in allowed:
                has = ", ".join(sorted(allowed)) or "none"
                raise ValueError(f"it has a property {_clipped(repr(name), 80)}, which its kind has not (it has {has})")
            wanted = " or ".join(sorted(t.__name__ for t in allowed[name]))
            raise ValueError(
                f"its property {name!r} holds {kind.__name__} {_clipped(repr(value), 80)}, where it holds {wanted}"
            )
        if kind is tuple and not all(type(v) is str for v in value):
            raise ValueError(f"its property {name!r} is {_clipped(repr(value), 80)}: a list of text holds text alone")
        if kind is dt.date and not _is_date(value):
            raise ValueError(f"its property {name!r} is {value.isoformat()}, no date of the calendar")
    return props


def _fields(row: Any, count: int) -> tuple[Any, ...]:
    if not isinstance(row, tuple) or len(row) != count:
        raise ValueError(f"a row of {count} fields, not {_shape(row)}")
    return row


def _shape(value: Any) -> str:
    return f"{len(value)} fields" if isinstance(value, tuple) else f"a {type(value).__name__}"


class _SnapshotReader:
    """Builds each shared value once, and each distinct set of citations once, checking each row's shape, the
    types of its fields and of its properties' values as it goes (:func:`_read_props`)."""

    def __init__(self, citations: Any, shared: Any) -> None:
        self.citations = _read_rows("citations", citations, _read_citation)
        self.shared = _read_rows("shared", shared, _read_shared)
        self.cited: dict[tuple[int, ...], frozenset[Citation]] = {}
        self.node_kinds = {kind.value: kind for kind in NodeKind}
        self.edge_kinds = {kind.value: kind for kind in EdgeKind}
        self.node_props = {kind: _allowed(node_props(kind)) for kind in NodeKind}
        self.edge_props = {kind: _allowed(EDGE_SPECS[kind].props + EDGE_COMMON_PROPS) for kind in EdgeKind}

    def _cited(self, cited: Any) -> frozenset[Citation]:
        citations = self.cited.get(cited) if isinstance(cited, tuple) else None
        if citations is None:
            if not isinstance(cited, tuple) or not all(type(i) is int and 0 <= i < len(self.citations) for i in cited):
                raise ValueError(f"its citations are not among the snapshot's {len(self.citations):,}: {cited!r}")
            citations = self.cited[cited] = frozenset(self.citations[i] for i in cited)
        return citations

    def _shared(self, shared: Any) -> tuple[Certainty, Validity]:
        if type(shared) is not int or not 0 <= shared < len(self.shared):
            raise ValueError(
                f"its certainty and validity are not among the snapshot's {len(self.shared):,}: {shared!r}"
            )
        return self.shared[shared]

    def node(self, row: SnapshotRow) -> Node:
        kind, key, name, synthetic, props, cited, shared = _fields(row, 7)
        if not isinstance(key, str) or not isinstance(name, str) or not isinstance(synthetic, bool):
            raise ValueError(f"a node's key and name are text and synthetic true or false: {row[:4]!r}")
        node_kind = self.node_kinds[kind]
        props = _read_props(props, self.node_props[node_kind])
        certainty, validity = self._shared(shared)
        return Node(node_kind, key, name, props, self._cited(cited), certainty, validity, synthetic)

    def edge(self, row: SnapshotRow) -> Edge:
        source, kind, target, props, cited, shared = _fields(row, 6)
        if not isinstance(source, str) or not isinstance(target, str):
            raise ValueError(f"an edge's ends are node ids: {row[:3]!r}")
        edge_kind = self.edge_kinds[kind]
        props = _read_props(props, self.edge_props[edge_kind])
        certainty, validity = self._shared(shared)
        return Edge(source, edge_kind, target, props, self._cited(cited), certainty, validity)

    @staticmethod
    def refuse_unjoined(nodes: list[Node], edges: list[Edge]) -> None:
        """Refuse a node given twice (the store kept the last, and counted both), an edge given twice, and an edge
        whose end is no node (an error naming only the id, where the store was filled)."""
        ids = {node.id for node in nodes}
        ends = {edge.source for edge in edges} | {edge.target for edge in edges}
        if len(ids) == len(nodes) and ends <= ids and len({edge.id for edge in edges}) == len(edges):
            return  # a whole snapshot: the sets are quicker than the loops below, which find what is wrong
        ids = set()
        for number, node in enumerate(nodes, start=1):
            if node.id in ids:
                raise _BadRow(f"nodes row {number:,} of {len(nodes):,}: node {node.id!r} is given twice")
            ids.add(node.id)
        edge_ids: set[str] = set()
        for number, edge in enumerate(edges, start=1):
            where = f"edges row {number:,} of {len(edges):,}: edge {edge.id!r}"
            if edge.source not in ids or edge.target not in ids:
                end = edge.source if edge.source not in ids else edge.target
                raise _BadRow(f"{where} joins {end!r}, which is no node of the snapshot")
            if edge.id in edge_ids:
                raise _BadRow(f"{where} is given twice")
            edge_ids.add(edge.id)
