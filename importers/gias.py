"""Get Information About Schools (GIAS): schools, and the predecessor/successor links between them.

Two importers meet on the same ``School:<URN>`` nodes:

- ``gias-links`` reads the GIAS links download. A row says how ``LinkURN`` (named ``LinkName``) relates to
  ``URN``. A "Successor..." row says LinkURN succeeds URN; a "Predecessor..." row says LinkURN precedes URN
  (the words after " - " - merged, amalgamated, Split School - only qualify it). Each becomes one
  ``SUCCEEDED_BY`` edge, predecessor to successor. The same link is often stated from both ends: it is one
  edge, cited by every row that states it, its ``link_type`` collecting every wording. Other link types
  ("Result of Amalgamation", "Merged - ...", "Closure", "Expansion", "Other", "Sixth Form Centre ...") state
  no direction: such a row joins the edge of its pair when another row gives the direction, and is skipped
  (with its type as the reason) otherwise. The edge holds from the earliest date its rows give (the
  predecessor's side usually gives its closing day, the successor's side its opening day). Rows stating
  the same link again, even word for word, are harmless and fold into its one edge; a row linking a school
  to itself is skipped. Where the two ends of a pair disagree on which came first (10 pairs in the April 2025
  file, e.g. two schools merged into each other), both edges are kept, each cited by the rows that state it.
- ``gias-establishments`` reads the full establishment file (``edubasealldata*.csv``, Windows-1252) and
  gives each school its name, local authority, type, phase, status and dates. Both importers name schools
  (the links file names the linked school in ``LinkName``) and the last import wins, except that a school the
  links file does not name keeps the name it has, and is called "URN <n>" only when nothing names it.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from importers import register
from importers.base import Batch, Importer, Report
from importers.reading import BOM, BadInput, Row, first_cell, parse_date, parse_int, read_csv, refuse_duplicates, stated
from lineage.errors import LineageError
from lineage.model import Citation, Edge, EdgeKind, Node, NodeKind, Scalar, Validity, node_id
from lineage.resources import DATA_DIR
from lineage.store import Store

GIAS_DOWNLOADS = "https://get-information-schools.service.gov.uk/Downloads"
GIAS_DATE = ("%d-%m-%Y",)
#: URNs are positive whole numbers (six digits in practice).
URN_RANGE = range(1, 10**9)
#: The real header of edubasealldata*.csv, in order; the establishment importer takes its columns from it.
EDUBASEALL_COLUMNS_FILE = DATA_DIR / "gias_edubaseall_columns.csv"
#: Joins the wordings of one link, stated by several rows, into its link_type.
LINK_TYPE_SEPARATOR = "; "


def school_id(urn: int) -> str:
    return node_id(NodeKind.SCHOOL, urn)


def placeholder_name(urn: int) -> str:
    """The label of a school no source names: it says only what is known, its URN."""
    return f"URN {urn}"


def parse_urn(path: Path, row: Row, column: str) -> int:
    """A URN cell: a positive whole number, never empty."""
    urn = parse_int(path, row, column, allowed=URN_RANGE)
    if urn is None:
        raise BadInput(path, "a URN is required here, the cell is empty", row.number, column)
    return urn


# ---- gias-links ------------------------------------------------------------------------------------

LINK_COLUMNS = ("URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate")


@dataclass(frozen=True, slots=True)
class SchoolLink:
    """One validated row of the links file."""

    row: int
    urn: int
    link_urn: int
    link_name: str
    link_type: str
    established: dt.date | None

    def succession(self) -> tuple[int, int] | None:
        """(predecessor, successor) as the row words it, or None when its link type states no direction."""
        head = self.link_type.partition(" - ")[0].strip().casefold()
        if head == "successor":
            return self.urn, self.link_urn
        if head == "predecessor":
            return self.link_urn, self.urn
        return None


def parse_link(path: Path, row: Row) -> SchoolLink:
    """Validate one row of the links file whole, whatever its link type."""
    link_type = row["LinkType"].strip()
    if not link_type:
        raise BadInput(path, "the link type is empty", row.number, "LinkType")
    return SchoolLink(
        row.number,
        parse_urn(path, row, "URN"),
        parse_urn(path, row, "LinkURN"),
        row["LinkName"].strip(),
        link_type,
        parse_date(path, row, "LinkEstablishedDate", GIAS_DATE),
    )


def successions(links: Iterable[SchoolLink], report: Report) -> dict[tuple[int, int], list[SchoolLink]]:
    """The succession edges as (predecessor, successor) -> the rows that state them; counts skipped rows."""
    edges: dict[tuple[int, int], list[SchoolLink]] = defaultdict(list)
    undirected: list[SchoolLink] = []
    for link in links:
        if link.urn == link.link_urn:
            report.skip("links a school to itself")
        elif (pair := link.succession()) is not None:
            edges[pair].append(link)
        else:
            undirected.append(link)
    by_pair: dict[frozenset[int], list[tuple[int, int]]] = defaultdict(list)
    for pair in edges:
        by_pair[frozenset(pair)].append(pair)
    for link in undirected:
        pairs = by_pair.get(frozenset((link.urn, link.link_urn)))
        if not pairs:
            report.skip(f"{link.link_type!r} states no predecessor or successor, nor does any row on its pair")
            continue
        for pair in pairs:
            edges[pair].append(link)
    return edges


@register
class GiasLinksImporter(Importer):
    """Succession links between schools: pupil records continue under the successor URN."""

    name = "gias-links"
    document = "Get Information About Schools (DfE): links download, 22 April 2025"
    bundled = "gias_links_20250422.csv"
    address = GIAS_DOWNLOADS

    def extract(self, path: Path) -> list[Row]:
        return read_csv(path, LINK_COLUMNS)

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        links = [parse_link(path, row) for row in rows]
        edges = successions(links, report)
        written = {link.row: link for stating in edges.values() for link in stating}
        cite = {number: self.citation(path, number) for number in written}
        names: dict[int, str] = {}
        school_citations: dict[int, set[Citation]] = defaultdict(set)
        for link in written.values():
            if link.link_name:
                names[link.link_urn] = link.link_name
            school_citations[link.urn].add(cite[link.row])
            school_citations[link.link_urn].add(cite[link.row])
        # A school this file does not name keeps the name the store gives it (from gias-establishments).
        stored = store.get_nodes(school_id(urn) for urn in school_citations if urn not in names)
        nodes = [
            Node(NodeKind.SCHOOL, str(urn), _name(urn, names, stored), {"urn": urn}, frozenset(citations))
            for urn, citations in school_citations.items()
        ]
        return Batch(nodes, [_edge(pair, stating, cite) for pair, stating in edges.items()])


def _name(urn: int, names: Mapping[int, str], stored: Mapping[str, Node]) -> str:
    """This file's name for the school, else the store's, else its URN (never a placeholder over a name)."""
    if urn in names:
        return names[urn]
    known = stored.get(school_id(urn))
    return known.name if known is not None else placeholder_name(urn)


def _edge(pair: tuple[int, int], stating: list[SchoolLink], cite: Mapping[int, Citation]) -> Edge:
    """One succession edge: every wording of the link, every row that states it, the earliest date given."""
    dates = [link.established for link in stating if link.established is not None]
    return Edge(
        school_id(pair[0]),
        EdgeKind.SUCCEEDED_BY,
        school_id(pair[1]),
        {"link_type": LINK_TYPE_SEPARATOR.join(sorted({link.link_type for link in stating}))},
        frozenset(cite[link.row] for link in stating),
        validity=Validity(min(dates) if dates else None),
    )


# ---- gias-establishments ---------------------------------------------------------------------------

#: School property -> the edubasealldata column it comes from (text kept verbatim).
ESTABLISHMENT_TEXT = {
    "la_code": "LA (code)",
    "la_name": "LA (name)",
    "establishment_type": "TypeOfEstablishment (name)",
    "phase": "PhaseOfEducation (name)",
    "status": "EstablishmentStatus (name)",
    "town": "Town",
    "postcode": "Postcode",
}
ESTABLISHMENT_DATES = {"open_date": "OpenDate", "close_date": "CloseDate"}
ESTABLISHMENT_ENCODING = "cp1252"


@cache
def edubaseall_columns() -> tuple[str, ...]:
    """The real edubasealldata header, in order, from the bundled column list."""
    with EDUBASEALL_COLUMNS_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(record["csv_column_name"] for record in csv.DictReader(handle))


@cache
def establishment_columns() -> tuple[str, ...]:
    """The columns the establishment importer reads, in the real file's order.

    Every one must be in the real header: a name that is not is a mistake in this module, not in the input."""
    wanted = {"URN", "EstablishmentName", *ESTABLISHMENT_TEXT.values(), *ESTABLISHMENT_DATES.values()}
    real = edubaseall_columns()
    unknown = wanted.difference(real)
    if unknown:
        raise LineageError(f"{EDUBASEALL_COLUMNS_FILE.name} has no column(s) {', '.join(sorted(unknown))}")
    return tuple(column for column in real if column in wanted)


def refuse_utf8(path: Path) -> None:
    """Refuse a UTF-8 file where Windows-1252 is expected, naming the first cell that shows it.

    Windows-1252 decodes almost any bytes, so UTF-8 would be read as mojibake ("St Maryâ€™s") instead of
    failing; but Windows-1252 text with accents is practically never valid UTF-8, so valid UTF-8 with any
    byte above ASCII is taken as UTF-8. A byte-order mark is dropped first, as every reader drops it."""
    content = path.read_bytes().removeprefix(BOM)
    if content.isascii():
        return
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        # not wholly UTF-8, yet a part of it may be: "CafÃ©" beside one Windows-1252 byte was read as mojibake
        if not _UTF8_SEQUENCE.search(content):
            return
        message = "the file mixes UTF-8 with Windows-1252, in which GIAS publishes it (save it as Windows-1252)"
        text = content.decode("cp1252", errors="replace")
        row, column = first_cell(text, lambda cell: bool(_UTF8_SEQUENCE.search(cell.encode("cp1252", "replace"))))
        raise BadInput(path, f"{message}; the first cell in UTF-8 is here", row, column) from None
    message = "the file is UTF-8; GIAS publishes this file in Windows-1252 (save it as Windows-1252)"
    row, column = first_cell(text, lambda cell: not cell.isascii())
    raise BadInput(path, f"{message}; the first cell that shows it is here", row, column)


#: A character written in UTF-8 as a school's name would hold it (the lead bytes of an accented letter, C2, C3 or
#: C5, or of a curly quote or a dash, E2 80, and their continuation byte): in Windows-1252 text these pairs are two
#: letters side by side ("Ã©"), where a capital with an accent before a quote ("JOSÉ" and a curly apostrophe, C9 92)
#: is not one of them.
_UTF8_SEQUENCE = re.compile(rb"[\xC2\xC3\xC5][\x80-\xBF]|\xE2\x80[\x80-\xBF]")


@register
class GiasEstablishmentsImporter(Importer):
    """Every establishment in GIAS, with its local authority, type, phase, status and dates."""

    name = "gias-establishments"
    needs = ("gias-links",)
    document = "Get Information About Schools (DfE): all establishment data (edubasealldata)"
    bundled = None  # the ~60 MB file is not shipped; only its header is
    address = GIAS_DOWNLOADS
    encoding = ESTABLISHMENT_ENCODING

    def extract(self, path: Path) -> list[Row]:
        refuse_utf8(path)
        columns = establishment_columns()
        return read_csv(path, columns, encoding=self.encoding, keep=columns)

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        keyed = [(parse_urn(path, row, "URN"), row) for row in rows]
        refuse_duplicates(path, "URN", ((str(urn), row) for urn, row in keyed))
        return Batch([self._school(path, urn, row) for urn, row in keyed])

    def _school(self, path: Path, urn: int, row: Row) -> Node:
        name = row["EstablishmentName"].strip()
        if not name:
            raise BadInput(path, "the establishment has no name", row.number, "EstablishmentName")
        props: dict[str, Scalar] = {"urn": urn}
        props.update(stated({prop: row[column].strip() for prop, column in ESTABLISHMENT_TEXT.items()}))
        props.update(
            stated({prop: parse_date(path, row, column, GIAS_DATE) for prop, column in ESTABLISHMENT_DATES.items()})
        )
        return Node(NodeKind.SCHOOL, str(urn), name, props, frozenset({self.citation(path, row.number)}))
