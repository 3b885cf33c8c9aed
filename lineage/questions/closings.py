"""The gaps in the record imports closed: the record of them each ImportRun keeps, its format written and read
here alone, and the question that reads it back.

A gap closes when a later import changes what made it one (``gaps.CLOSED_WHEN`` says what, per kind). Which
gaps a write closes is known only once it is in the store, and the store keeps no earlier state, so each import
asks after its write (``lineage.changes.GapWatch``) and records what closed on its own ImportRun
(:func:`record_closures`). The question :func:`gaps_closed` reads those records with the store as it is now:
the subject as it stands, and whether the gap is open again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from lineage.errors import DamagedRecord
from lineage.model import Citation, Node, NodeKind
from lineage.questions.gaps import CLOSED_WHEN, Gap, GapFilter, gaps
from lineage.store import RunStatus, Store

__all__ = ["CLOSED_GAPS", "ClosedGap", "GapClosed", "gaps_closed", "record_closures"]

#: The ImportRun property that records the gaps its file's imports closed (JSON, see :func:`record_closures`).
CLOSED_GAPS = "closed_gaps"


@dataclass(frozen=True, slots=True)
class ClosedGap:
    """A gap of an earlier state the store no longer has, and the sources that closed it."""

    gap: Gap
    closed_by: tuple[Citation, ...]
    gone: bool = False  # its subject left the record


def record_closures(run: Node, closed: Iterable[ClosedGap]) -> Node:
    """The finished ImportRun with ``closed`` added to the gaps its file's imports closed before (an unchanged
    file imported again is the same run, and keeps what its first import closed), each dated by the run's end.
    A record the store holds damaged is refused, never added to, and so is a run with no end time."""
    if not run.props.get("ended_at"):
        raise DamagedRecord(f"ImportRun {run.id} has no end time: the gaps it closed cannot be dated")
    added = [
        {
            "gap": c.gap.id,
            "kind": c.gap.kind,
            "subject": c.gap.subject.id,
            "subject_name": c.gap.subject.name,
            "date": c.gap.date.isoformat() if c.gap.date else None,
            "organisations": [o.id for o in c.gap.organisations],
            "authority": c.gap.authority,
            "source": run.props.get("source"),
            "path": run.props.get("path"),
            "closed_at": run.props["ended_at"],
            "closed_by": [citation.encode() for citation in c.closed_by],
        }
        for c in closed
    ]
    _records(run)
    kept = json.loads(str(run.props.get(CLOSED_GAPS) or "[]"))
    return dataclasses.replace(run, props={**run.props, CLOSED_GAPS: json.dumps(kept + added, ensure_ascii=False)})


@dataclass(frozen=True, slots=True)
class GapClosed:
    """A gap in the record an import closed: what it was, what the import did that closed it, when, and the
    import's sources about its subject. Its subject's other open questions, if any, are gaps of their own."""

    gap_id: str
    kind: str
    subject: Node | None  # as the store holds it now; none if it has left the record
    subject_name: str  # as it was named when the gap closed
    authority: str  # who held the answer
    closed_at: dt.datetime  # when the import that closed it ended (its run's ended_at), in UTC
    source: str  # the importer that closed it
    path: str  # the file it imported then (its run, keyed by content, names the file last imported with it)
    sources: tuple[Citation, ...]  # the import's sources about the subject; none if it cited nothing about it
    import_run: Node  # the ImportRun that records it
    open_again: bool  # the gap is open in the record now

    @property
    def what_closed(self) -> str:
        """What the import did to the record that closed the gap, and no more."""
        return CLOSED_WHEN.get(self.kind, "the gap closed")

    @property
    def summary(self) -> str:
        """The closing in a few sentences, as the feed and the explorer say it."""
        said = [
            f"Gap closed on {self.closed_at.date().isoformat()}: in the {self.source} import of {self.path}, "
            f"{self.what_closed}.",
            f"The gap was: {self.kind}.",
        ]
        if not self.sources:
            said.append("That import cites nothing about its subject.")
        if self.subject is None:
            said.append("Its subject is no longer in the record.")
        if self.open_again:
            said.append("The gap is open in the record now.")
        return " ".join(said)


def gaps_closed(
    store: Store,
    kinds: Collection[str] | None = None,
    organisation: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    node: str | None = None,
) -> list[GapClosed]:
    """Every gap an import closed, newest first, as the ImportRuns record them, filtered as the gaps question
    filters the open ones (by kind, organisation, period and node). A build from scratch records none."""
    keep = GapFilter.asked(store, kinds, organisation, start, end, node)
    # every run, whatever its status (a file imported again and interrupted keeps what it closed before), in one
    # round trip where a page of all nodes of a kind takes two
    records = [
        (r, run)
        for run in store.find_nodes(NodeKind.IMPORT_RUN, "status", [status.value for status in RunStatus])
        for r in _records(run)
        if keep.keeps(r.kind, r.date, r.subject, r.organisations)
    ]
    if not records:  # the common case, a build from scratch: no more round trips
        return []
    subjects = store.get_nodes(r.subject for r, _ in records)
    still = {g.id for g in gaps(store)}
    found = [
        GapClosed(
            r.gap,
            r.kind,
            subjects.get(r.subject),
            r.subject_name,
            r.authority,
            r.closed_at,
            r.source,
            r.path,
            r.closed_by,
            run,
            open_again=r.gap in still,
        )
        for r, run in records
    ]
    return sorted(found, key=lambda c: (c.closed_at, c.gap_id, c.import_run.id), reverse=True)


class _Record(NamedTuple):
    """One closing as an ImportRun's ``closed_gaps`` holds it."""

    gap: str
    kind: str
    subject: str
    subject_name: str
    date: dt.date | None
    organisations: tuple[str, ...]
    authority: str
    closed_at: dt.datetime
    source: str
    path: str
    closed_by: tuple[Citation, ...]


def _records(run: Node) -> list[_Record]:
    """The run's record of closings, each checked whole: a record the store holds damaged is refused, naming its
    run, never read in part."""
    try:
        found = []
        for r in json.loads(str(run.props.get(CLOSED_GAPS) or "[]")):
            closed_at = dt.datetime.fromisoformat(r["closed_at"])
            if closed_at.tzinfo is None:
                raise ValueError(f"closed_at {r['closed_at']!r} names no time zone")
            date = dt.date.fromisoformat(r["date"]) if r["date"] else None
            found.append(
                _Record(
                    str(r["gap"]),
                    str(r["kind"]),
                    str(r["subject"]),
                    str(r["subject_name"]),
                    date,
                    tuple(map(str, r["organisations"])),
                    str(r["authority"]),
                    closed_at,
                    str(r["source"]),
                    str(r["path"]),
                    tuple(Citation.decode(text) for text in r["closed_by"]),
                )
            )
    except (ValueError, KeyError, TypeError) as exc:
        raise DamagedRecord(f"ImportRun {run.id}: its {CLOSED_GAPS} record is unreadable ({exc})") from None
    return found
