"""The importer contract: extract rows, transform them into cited nodes and edges, load them whole.

Each importer is small: it declares its name, its bundled file and the columns it needs, reads rows
(``extract``) and turns them into a :class:`Batch` (``transform``), counting in a :class:`Report` what
it read, wrote and skipped and why. Loading is shared (``run``): the whole file is validated and
transformed in memory first, so a malformed file writes nothing. Then its ImportRun is written
``started``, and the batch in one atomic store write (``load``) together with the ImportRun marked
``finished``; a write that fails marks it ``interrupted`` where the store still answers. ``dry_run`` stops
before the write, after every refusal the write would make, and still reports. Given a
:class:`~lineage.changes.GapWatch`, a run then records on its ImportRun the gaps in the record its write closed.

Reading files is shared too, in :mod:`importers.reading`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import time
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from importers.reading import BadInput, Row, refuse_not_a_file, refuse_too_large
from lineage import __version__
from lineage.changes import GapWatch
from lineage.errors import LineageError, StoreUnavailable
from lineage.model import Citation, Edge, Node, NodeKind, node_id
from lineage.questions.closings import ClosedGap, record_closures
from lineage.store import RunStatus, Store, WriteResult


@dataclass
class Batch:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


@dataclass
class Report:
    """What one run read, wrote and skipped, and why (DataHub's source report, in small)."""

    source: str
    path: str
    checksum: str = ""
    started_at: str = ""
    dry_run: bool = False
    rows_read: int = 0
    rows_skipped: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # rows not written, by why
    left_out: Counter[str] = field(default_factory=Counter)  # facts of written rows not drawn, by why
    nodes: int = 0
    edges: int = 0
    nodes_created: int = 0
    edges_created: int = 0
    closed_gaps: tuple[ClosedGap, ...] = ()  # gaps in the record its write closed

    def skip(self, reason: str) -> None:
        """A row not written, and why."""
        self.rows_skipped += 1
        self.skipped[reason] += 1

    def leave_out(self, reason: str, times: int = 1) -> None:
        """A fact of a row that is written (a link, a property) not drawn, and why: the row is not skipped."""
        self.left_out[reason] += times

    @property
    def rows_written(self) -> int:
        return self.rows_read - self.rows_skipped

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "path": self.path,
            "checksum": self.checksum,
            "started_at": self.started_at,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "rows_written": self.rows_written,
            "rows_skipped": self.rows_skipped,
            "skipped": dict(self.skipped),
            "left_out": dict(self.left_out),
            "nodes": self.nodes,
            "edges": self.edges,
            "nodes_created": self.nodes_created,
            "edges_created": self.edges_created,
            "closed_gaps": [closed.gap.id for closed in self.closed_gaps],
        }


class Importer(ABC):
    """One source. Subclasses set the class attributes and implement ``extract`` and ``transform``."""

    #: the name used on the command line: ``lineage import <name> <path>``
    name: ClassVar[str]
    #: the document the rows come from, cited on every fact
    document: ClassVar[str]
    #: the bundled file (under data/) used when the whole real graph is built, or None
    bundled: ClassVar[str | None] = None
    #: where the public can check the source
    address: ClassVar[str] = ""
    #: True only for generated scale-test data, which never shares a graph with real data
    synthetic: ClassVar[bool] = False
    #: the importers whose facts this one reads from the store (what it links to, joins or copies): they run
    #: first in a build, and the build order follows from these alone
    needs: ClassVar[tuple[str, ...]] = ()
    #: the text encoding of its files (a UTF-8 byte-order mark is dropped, whatever the encoding)
    encoding: ClassVar[str] = "utf-8"

    def read_as(self, path: Path) -> str:
        """The name our tables (conflicts, readings, links, dates) give the file this importer reads: its bundled
        file's, whatever a copy is called, as each reading holds only while its row still says what it read."""
        return self.bundled or path.name

    def citation(self, path: Path, row: int | None) -> Citation:
        return Citation(self.document, path.name, row, self.address)

    @abstractmethod
    def extract(self, path: Path) -> Iterable[Row]:
        """Read the file's rows, refusing a malformed file with :class:`BadInput`."""

    @abstractmethod
    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        """Turn rows into cited nodes and edges, counting what was skipped and why.

        ``store`` is for reading what earlier sources wrote (e.g. which items are of old tier 1);
        a transform never writes to it."""

    def run(
        self,
        store: Store,
        path: str | Path,
        *,
        dry_run: bool = False,
        progress: Progress | None = None,
        gaps: GapWatch | None = None,
    ) -> Report:
        """Extract, transform and (unless a dry run) load. ``progress`` hears of each stage: a national file
        takes long enough to read and to write that the operator should see which it is at. ``gaps`` watches
        the gaps open when the command began: those the write closed are recorded on the ImportRun."""
        path = Path(path)
        tell = progress or _silent
        refuse_not_a_file(path)
        refuse_too_large(path)
        checksum = _checksum(path)
        report = Report(self.name, str(path), checksum, now(), dry_run)
        stages = 1 if dry_run else 2
        started = time.perf_counter()
        tell(0, stages, f"reading and checking {path.name}", None)
        rows = _Counted(self.extract(path), report)
        batch = self.transform(rows, path, report, store)
        if _checksum(path) != checksum:  # its rows may be of another version than the checksum the run records
            raise BadInput(path, "the file changed while it was read: nothing was written; import it again")
        report.nodes, report.edges = len(batch.nodes), len(batch.edges)
        tell(1, stages, f"read {report.rows_read:,} rows of {path.name}", time.perf_counter() - started)
        if dry_run:
            store.check([*batch.nodes, self._run_node(path, report, RunStatus.FINISHED)], batch.edges)
            return report
        started = time.perf_counter()
        tell(1, stages, f"writing {report.nodes:,} nodes and {report.edges:,} edges", None)
        store.write([self._run_node(path, report, RunStatus.STARTED)])
        before = gaps.subjects(store) if gaps is not None else {}
        try:
            result = self.load(store, batch, lambda: self._run_node(path, report, RunStatus.FINISHED))
        except StoreUnavailable:
            raise  # nothing more can be written; the run stays "started", which says as much
        except BaseException as exc:
            self._interrupted(store, path, report, exc)
            raise
        report.nodes_created = result.nodes_created
        report.edges_created = result.edges_created
        if gaps is not None:
            self._record_closed(store, path, report, gaps, before, batch)
        tell(2, stages, f"wrote {report.nodes:,} nodes and {report.edges:,} edges", time.perf_counter() - started)
        return report

    def load(self, store: Store, batch: Batch, finished: Callable[[], Node]) -> WriteResult:
        """Write the batch together with the run's ImportRun marked finished (``finished()`` makes it, at the
        time of the write), in one store write: all of it or nothing."""
        return store.write([*batch.nodes, finished()], batch.edges)

    def _record_closed(
        self, store: Store, path: Path, report: Report, gaps: GapWatch, before: dict[str, Node], batch: Batch
    ) -> None:
        """Record on the ImportRun the watched gaps the write closed, in a write of its own: which gaps a write
        closes is known only once it is in the store. A snapshot saves both writes together or neither; in Neo4j
        a store lost between them leaves the data whole and this record out, and the error says so."""
        try:
            report.closed_gaps = gaps.closed(store, before, batch.nodes, batch.edges)
            if not report.closed_gaps:
                return
            run = store.get_node(node_id(NodeKind.IMPORT_RUN, self._run_key(report)))
            if run is None:
                raise LineageError("its ImportRun is not in the store after its write")
            store.write([record_closures(run, report.closed_gaps)])
        except LineageError as exc:
            closed = ", ".join(c.gap.id for c in report.closed_gaps) or "not known: the store could not be read"
            raise type(exc)(
                f"the record of the gaps {path.name} closed ({closed}) could not be written: {exc}. In a snapshot "
                "nothing of this import is saved (it saves only a command that ends well): import the file again. "
                "In a database its data were written whole before it, and no later import can record these gaps: "
                "`lineage diff` against an earlier build still shows them"
            ) from exc

    def _run_key(self, report: Report) -> str:
        return f"{self.name}:{__version__}:{report.checksum[:16]}"

    def _interrupted(self, store: Store, path: Path, report: Report, exc: BaseException) -> None:
        """Mark the run interrupted, saying why. Where even that write fails, the run stays "started", which
        says as plainly that it did not finish, and the first error is the one to report."""
        run = self._run_node(path, report, RunStatus.INTERRUPTED, str(exc) or type(exc).__name__)
        with contextlib.suppress(LineageError):
            store.write([run])

    def _run_node(self, path: Path, report: Report, status: RunStatus, error: str = "") -> Node:
        # One ImportRun per (source, program version, file content): re-importing an unchanged file with the
        # same program updates its run; a changed file, or another version (whose transform may draw other facts
        # from it: a synthetic load cut short by one version and finished by another had been one "finished" run
        # over both versions' facts), records a new one. Every property is written at every status, so none of
        # an earlier run of the same file is left standing; but the gaps closed, which an earlier run closed
        # for good, are only ever added to (_record_closed), and a run that finished is kept as it is by a
        # later one of the same file that does not finish: its data are whole (lineage.merge.finished_run).
        return Node(
            NodeKind.IMPORT_RUN,
            self._run_key(report),
            f"{self.name} import of {path.name}",
            {
                "source": self.name,
                "path": path.name,
                "checksum": report.checksum,
                "version": __version__,
                "started_at": report.started_at,
                "status": status.value,
                "ended_at": "" if status is RunStatus.STARTED else now(),
                "error": error,
                "rows_read": report.rows_read,
                "rows_written": report.rows_written if status is RunStatus.FINISHED else 0,
                "rows_skipped": report.rows_skipped,
                "skipped_reasons": json.dumps(dict(report.skipped), sort_keys=True),
                "left_out_reasons": json.dumps(dict(report.left_out), sort_keys=True),
            },
            frozenset({Citation("pupil-data lineage import log", path.name, None, "")}),
            synthetic=self.synthetic,
        )


def now() -> str:
    """The time an ImportRun records, in UTC to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


#: called as (step, steps, what is happening, seconds it took or None while it runs)
Progress = Callable[[int, int, str, float | None], None]


def _silent(step: int, steps: int, doing: str, seconds: float | None) -> None:
    """The progress of a run nobody watches."""


class _Counted(Iterator[Row]):
    """Counts rows as the transform consumes them."""

    def __init__(self, rows: Iterable[Row], report: Report) -> None:
        self._rows = iter(rows)
        self._report = report

    def __next__(self) -> Row:
        row = next(self._rows)
        self._report.rows_read += 1
        return row


def named_sources(store: Store, kinds: Iterable[NodeKind] = (NodeKind.DATASET, NodeKind.COLLECTION)) -> dict[str, str]:
    """Nodes of ``kinds`` (data sets and collections) in the store by lower-case key and name, to find the
    ones a source names. A name that several nodes share is left out: it names none of them for certain."""
    found: dict[str, set[str]] = defaultdict(set)
    for node in (node for kind in kinds for node in store.all_nodes(kind)):
        found[node.key.lower()].add(node.id)
        found[node.name.lower()].add(node.id)
    return {name: ids.pop() for name, ids in found.items() if len(ids) == 1}


def _checksum(path: Path) -> str:
    """The file's sha256, as the run records it: taken before its rows are read and again after, so that a run
    never records one version of a file and the rows of another (a file swapped while it was read)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
