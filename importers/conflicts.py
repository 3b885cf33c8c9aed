"""Which cited rows disagree: ``data/conflicts.csv`` (``file, row, row_says, contradicted_by_row, contradicted_by_says,
row_part, contradicted_by_part, reasoning``), our table of rows of a compiled file that another row of the same file
contradicts, and why; ``row_part`` says what of the first row is contested where that is not the whole of it (a
figure's notes, not its value), and is kept on its node as ``contested_part``, so that no answer says its value is
contested; ``contradicted_by_part`` is ``notes`` where what contradicts it is the second row's notes (the statement
``data/note_statements.csv`` reads from them), not the row's own words.

The importer of that file draws each pair's CONTRADICTS link, inferred by the rule ``contradicts:conflicts-table``
(the table's judgement that they disagree) and citing the table's row beside both rows', and marks both nodes
``contested``: the graph says that two sources disagree, never which of them is right. A row the file does not have
is counted, not drawn, and so is a pair one of whose rows no longer begins a cell with the words the table gives for
it (``row_says``, ``contradicted_by_says``): a newer copy of the file put another row there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from importers.base import Report
from importers.reading import BadInput, Row, RowRead, parse_int, read_reasoned
from lineage.model import Certainty, CertaintyLevel, Citation, Edge, EdgeKind, Node
from lineage.resources import DATA_DIR

CONFLICTS_FILE = DATA_DIR / "conflicts.csv"
CONFLICTS_DOCUMENT = "pupil-data lineage table of cited rows that contradict each other"
RULE_CONFLICTS = "contradicts:conflicts-table"
#: The part of a row that contradicts another where it is not the row's own words: what its notes quote.
NOTES = "notes"


@dataclass(frozen=True, slots=True)
class Conflict:
    row: int
    contradicted_by: int
    row_part: str  # what of the first row is contested, where not the whole of it
    by_notes: bool  # what contradicts it is the second row's notes, not its own words
    reasoning: str
    citation: Citation
    reads: tuple[RowRead, RowRead]  # both rows, which must still begin a cell with the words given for each


def load_conflicts(path: Path = CONFLICTS_FILE) -> dict[str, list[Conflict]]:
    """The conflicts table by the compiled file it is about; a pair without its reasoning is refused."""
    table: dict[str, list[Conflict]] = {}
    columns = ("row_says", "contradicted_by_row", "contradicted_by_says", "row_part", "contradicted_by_part")
    for about, first, row in read_reasoned(path, columns):
        if (second := parse_int(path, row, "contradicted_by_row")) is None:
            raise BadInput(path, "must not be empty", row.number, "contradicted_by_row")
        reads = (RowRead.of(path, row, about, first), RowRead.of(path, row, about, second, "contradicted_by_says"))
        if (by_part := row["contradicted_by_part"].strip()) not in ("", NOTES):
            raise BadInput(path, f"empty (the row's own words) or {NOTES!r}", row.number, "contradicted_by_part")
        by_notes = by_part == NOTES
        if second == first and not by_notes:
            raise BadInput(path, f"row {first} cannot contradict itself", row.number, "contradicted_by_row")
        if any((c.row, c.contradicted_by, c.by_notes) == (first, second, by_notes) for c in table.get(about, [])):
            raise BadInput(path, f"rows {first} and {second} of {about} are paired twice", row.number, "row")
        citation = Citation(CONFLICTS_DOCUMENT, path.name, row.number, "")
        part = " ".join(row["row_part"].split())
        conflict = Conflict(first, second, part, by_notes, row["reasoning"].strip(), citation, reads)
        table.setdefault(about, []).append(conflict)
    return table


@cache
def _bundled_conflicts() -> dict[str, list[Conflict]]:
    return load_conflicts()


def contradictions(
    read_as: str,
    rows: Mapping[int, Row],
    by_row: Mapping[int, Node],
    report: Report,
    notes_by_row: Mapping[int, Node] | None = None,
) -> tuple[list[Edge], dict[str, Node]]:
    """The CONTRADICTS links the table draws between the rows of the file it names ``read_as`` (``rows``, the
    file's rows by number; ``by_row``, their nodes; ``notes_by_row``, what a row's notes state, where a conflict
    names them), and the nodes they mark ``contested``, by id."""
    edges: list[Edge] = []
    contested: dict[str, Node] = {}
    for conflict in _bundled_conflicts().get(read_as, []):
        seconds = (notes_by_row or {}) if conflict.by_notes else by_row
        first, second = by_row.get(conflict.row), seconds.get(conflict.contradicted_by)
        if first is None or second is None:
            missing = "what a row's notes state, which no table reads," if first and conflict.by_notes else "a row"
            where = f"{CONFLICTS_FILE.name} row {conflict.citation.row}"
            report.leave_out(f"CONTRADICTS ({where} names {missing} this file does not have)")
            continue
        moved = [read for read in conflict.reads if not read.holds(rows[read.row])]
        if moved:
            report.leave_out(moved[0].moved(CONFLICTS_FILE.name, conflict.citation.row))
            continue
        cites = first.citations | second.citations | {conflict.citation}
        certainty = Certainty(CertaintyLevel.INFERRED, RULE_CONFLICTS)  # our table's judgement that they disagree
        edges.append(Edge(first.id, EdgeKind.CONTRADICTS, second.id, citations=cites, certainty=certainty))
        for node, part in ((first, conflict.row_part), (second, "")):
            marked = contested.get(node.id, node)
            parts = {"contested_part": part} if part else {}
            contested[node.id] = replace(marked, props={**marked.props, "contested": True, **parts})
    return edges, contested
