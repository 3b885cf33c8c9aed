"""An audit report as a document, before it is rendered: its records, its tables of cited rows, its flow picture.
Built by :mod:`.build`, rendered by :mod:`.html` and :mod:`.markdown` (the picture by :mod:`.svg`)."""

from __future__ import annotations

from dataclasses import dataclass

from lineage.model import Certainty, CertaintyLevel, Citation, Node

#: What each level of certainty means, as the model defines it; every report explains it.
CERTAINTY_MEANING = {
    CertaintyLevel.CONFIRMED: "DfE's own documents or Parliament state it",
    CertaintyLevel.REPORTED: (
        "a campaigner's, requester's or press account of the record, or a third party's copy of a source, states it"
    ),
    CertaintyLevel.CLAIMED: "the recipient's own description states it",
    CertaintyLevel.TIER_LEVEL: (
        "the approval names a tier of data (the register: 'tier 1 or tier 2 data'), not a listed item: the release "
        "may not have held this item"
    ),
    CertaintyLevel.INFERRED: "derived from other facts by the rule named",
}


@dataclass(frozen=True, slots=True)
class TableRow:
    cells: tuple[str, ...]
    certainty: Certainty
    citations: frozenset[Citation]


@dataclass(frozen=True, slots=True)
class Table:
    key: str  # the section's anchor
    title: str
    header: tuple[str, ...]  # the certainty and sources columns follow
    rows: tuple[TableRow, ...]
    empty: str  # said instead of an empty table: unknown and none are not the same


@dataclass(frozen=True, slots=True)
class Box:
    key: str
    label: str
    column: int


@dataclass(frozen=True, slots=True)
class Picture:
    """A left-to-right flow: boxes in columns, and links between them with their certainty."""

    boxes: tuple[Box, ...]
    links: tuple[tuple[str, str, Certainty], ...]


@dataclass(frozen=True, slots=True)
class AuditReport:
    title: str
    #: What the report is about: one node, or every item with the alias (one per table), each shown with its
    #: own facts, certainty and sources.
    records: tuple[Node, ...]
    tables: tuple[Table, ...]
    picture: Picture


#: The picture's columns, upstream to downstream.
COLUMNS = ("items and data sets", "releases and flows", "approvals", "recipients", "onward")
DATA, RELEASE, APPROVAL, RECIPIENT, ONWARD = range(len(COLUMNS))
