"""The gaps in the record imports closed: the record of them each ImportRun keeps, written and read here, and
the question that reads it back.

A gap closes when a later import changes what made it one (``gaps.CLOSED_WHEN`` says what, per kind). Which
gaps a write closes is known only once it is in the store, and the store keeps no earlier state, so each import
asks after its write (``lineage.changes.GapWatch``) and records what closed on its own ImportRun
(:func:`record_closures`). The question :func:`gaps_closed` reads those records with the store as it is now:
the subject, and whether a later import opened the gap again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from lineage.errors import LineageError
from lineage.model import Citation, Node, NodeKind
from lineage.questions.gaps import CLOSED_WHEN, Gap, check_kinds, gaps
from lineage.store import Store

__all__ = ["CLOSED_GAPS", "GapClosed", "gaps_closed", "record_closures"]

#: The ImportRun property that records the gaps its file's imports closed (JSON, see :func:`record_closures`).
CLOSED_GAPS = "closed_gaps"


def record_closures(run: Node, closed: Iterable[tuple[Gap, Iterable[Citation]]]) -> Node:
    """The finished ImportRun with ``closed`` (each gap, and the sources that closed it) added to the gaps its
    file's imports closed before (an unchanged file imported again is the same run, and keeps what its first
    import closed), each dated by the run's end."""
    added = [
        {
            "gap": gap.id,
            "kind": gap.kind,
            "subject": gap.subject.id,
            "subject_name": gap.subject.name,
            "authority": gap.authority,
            "closed_at": run.props["ended_at"],
            "closed_by": [citation.encode() for citation in sources],
        }
        for gap, sources in closed
    ]
    kept = json.loads(str(run.props.get(CLOSED_GAPS) or "[]"))
    return dataclasses.replace(run, props={**run.props, CLOSED_GAPS: json.dumps(kept + added, ensure_ascii=False)})


@dataclass(frozen=True, slots=True)
class GapClosed:
    """A gap in the record an import closed: what it was, what the record now says instead, when, and the
    import's sources about its subject. Its other open questions, if any, are still gaps of their own."""

    gap_id: str
    kind: str
    subject: Node | None  # as the store holds it now; none if it has left the record
    subject_name: str  # as it was named when the gap closed
    authority: str  # who held the answer
    closed_at: dt.datetime  # when the import that closed it ended (its run's ended_at), in UTC
    sources: tuple[Citation, ...]  # the import's sources about the subject; none if it wrote nothing about it
    import_run: Node  # the ImportRun that records it
    open_again: bool  # a later import opened it again: it is open in the record now

    @property
    def now_said(self) -> str:
        """What the record says now that closed the gap, and no more."""
        return CLOSED_WHEN.get(self.kind, "the gap is closed")


def gaps_closed(store: Store, kinds: list[str] | None = None, node: str | None = None) -> list[GapClosed]:
    """Every gap an import closed, newest first, as the ImportRuns record them; ``kinds`` and ``node`` (the id
    of the release, application, statement or figure it was about) filter them."""
    check_kinds(kinds)
    records = [
        (record, run)
        for run in store.all_nodes(NodeKind.IMPORT_RUN)
        for record in _records(run)
        if (not kinds or record.kind in kinds) and (node is None or record.subject == node)
    ]
    if not records:  # the common case, a build from scratch: no more round trips
        return []
    subjects = store.get_nodes(record.subject for record, _ in records)
    still = {g.id for g in gaps(store)}
    found = [
        GapClosed(
            r.gap,
            r.kind,
            subjects.get(r.subject),
            r.subject_name,
            r.authority,
            r.closed_at,
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
    authority: str
    closed_at: dt.datetime
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
            names = (str(r["gap"]), str(r["kind"]), str(r["subject"]), str(r["subject_name"]), str(r["authority"]))
            found.append(_Record(*names, closed_at, tuple(Citation.decode(text) for text in r["closed_by"])))
    except (ValueError, KeyError, TypeError) as exc:
        raise LineageError(f"ImportRun {run.id}: its {CLOSED_GAPS} record is unreadable ({exc})") from None
    return found
