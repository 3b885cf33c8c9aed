"""Upsert semantics, written once: how a node or edge written again combines with what is stored.

Properties merge (new values win, absent ones stay), citations accumulate, and name, certainty and
validity are replaced; but an import run that finished stays as it is (:func:`finished_run`). The embedded
store applies this function; Neo4jStore's Cypher does the same (``SET n += props``, a citation list union, and
a finished run's record left out of the write, read under the write's lock), and the conformance suite checks
that they agree.
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar

from lineage.model import Edge, Node, NodeKind, RunStatus

Record = TypeVar("Record", Node, Edge)


def merge(old: Record | None, new: Record) -> Record:
    if old is None:
        return new
    if finished_run(old) and not finished_run(new):
        return old
    return dataclasses.replace(new, props={**old.props, **new.props}, citations=old.citations | new.citations)


def finished_run(record: Node | Edge) -> bool:
    """Whether this is an import run that finished. Its file's data were written whole then, and nothing but a
    clear deletes them (which deletes the run too, after marking it interrupted): a later run of the same file by
    the same version (the same ImportRun) still under way or cut short leaves them whole, so it leaves the record
    finished too.
    Two imports of one file at once had been reported interrupted, the file whole, when the second failed."""
    return (
        isinstance(record, Node)
        and record.kind is NodeKind.IMPORT_RUN
        and record.props.get("status") == RunStatus.FINISHED
    )
