"""The NPD data dictionary (DfE "NPD Data Tables", October 2018): data sets, collections, items, classes, rules.

One importer per file, each all or nothing (the per-sheet files, items and sheet notes, are read by
:mod:`importers.npd_sheets`; the keys below are theirs too). Build them in this order, so that each finds what
it links to: ``npd-classifications``, ``npd-datasets``, ``npd-items``, (``npd-category-tree`` and ``npd-concepts`` in
:mod:`importers.concepts`, which add the items only the concepts file lists), ``npd-sheet-notes`` (whose release
rules name such items), ``npd-dataset-list``, ``npd-release-timetable``. The collection lists come after every
file that titles a data set (items, sheet notes), because a FEEDS edge copies the data set's citations when it is
drawn: a title cited later would reach the edge only on the next build, and a rebuild would not be a no-op.

Keys, and why:

- **Dataset**: :func:`dataset_key` of the overview's tab name or of the items' (and notes') ``sheet``, from the name
  alone, so that one data set has one id whatever the order its files are imported in: its :func:`written_key`, where
  spaces and underscores around a hyphen are dropped and every other run of them becomes one ``_``, case kept.
  ``KS2 95-96 to 17-18`` and ``KS2_95-96_to_17-18`` both give ``KS2_95-96_to_17-18``; ``SLD-Level 3 VA``
  and ``SLD_-_Level_3_VA`` both give ``SLD-Level_3_VA``. On the 2018 files 33 of the 41 overview tabs meet
  their item sheet this way. Four more are the same name written otherwise (``Early Years Census 07-08 to 17-18`` /
  ``EarlyYearsCensus_07-08_to_17-18``, ``AP Addresses 17-18`` / ``AP addresses_17_18``, ``SLD-KS5 PT 16-17`` /
  ``SLD-KS5_PT_16_17``, ``SLD-Geo NSPD-NSPL`` / ``SLD_-_GEO_NSPD_-_NSPL``): :func:`spelling` folds case, the
  underscores between words and a year pair's underscore, and ``data/dataset_spellings.csv`` reads each such sheet as
  the overview's tab, whose key every name so spelled gets, so each is one data set, citing the table's row. A name
  spelled as a stored data set that the table does not read stays apart, counted. The
  other 4 give other years, or none (``KS4 01-02 to 17-18`` / ``KS4``, ``ISP``, ``SLD-KS2 NPD``, ``SLD-KS4 NPD``):
  no rule says which years are right, so they stay separate nodes. The overview names a data set (its tab name)
  and gives its years and description; a sheet only the items or notes name is named by its sheet.
- **DataItem**: ``<dataset key>/<name>``, the name being the NPD alias (or, where the alias is empty or
  ``N/A``, the field reference). Where a sheet repeats a name in different sub-tables, the sub-table joins
  the key (``KS4/KS4 Pupil Table/KS4_UPN``, ``KS4/KS4 Exam Table/KS4_UPN``). The file also repeats a name
  within one sub-table (``KS4_URN`` twice in the KS4 pupil table, the two files of ``SLD_-_Level_3_VA``
  whose headings the conversion lost): a row repeated word for word is the same entry stated twice and
  folds into one item cited by both rows; a differing entry under the same key is numbered in file order
  (``KS4/KS4 Pupil Table/KS4_URN #2``). No key is refused as a duplicate: the real file holds both kinds.
  A row with neither a field reference nor a description is a sub-table heading the conversion left among
  the items (``Table C``, ``n_Census_CIN_ServiceProvision``) and is skipped with its reason.
- **Collection**: a name as DfE's list of data sets or release timetable writes it (``Key Stage 2``).
  Both name census and assessment collections and a few other sources of data sets (performance tables,
  reference tables); every name becomes a collection. ``FEEDS`` goes from a collection to each data set
  whose title (the items' ``dataset_title``) is its name: confirmed where the two are equal, inferred by
  the rule ``collection-name-equals-dataset-title-ignoring-case`` where they differ only in case; a name of
  the release timetable no title gives ("Absence": the data set titled "Pupil Absence") is linked to the data
  sets ``data/timetable_datasets.csv`` says it means, inferred by ``feeds:timetable-name-table``, so that they
  are in the NPD when the timetable says; other pairs are not linked.
- **Classification**: ``scale:code`` (``old_tier:1``, ``identifiability:2``, ``sensitivity:C``).
  Definitions come from the classifications file. The old tiers 1-4 are not in it: their nodes come from
  the items that carry a tier and from the sheet notes that state one (tier 3 only from the notes), and
  they stay without a definition because the notes map a tier differently per sheet ("Old Tier 4 =
  Identifiability / Sensitivity 3D" on KS2, "3C, D" on KS3).
- **Level**: DfE's list of data sets gives each name a level; ``data/school_level_datasets.csv`` reads which data
  sets each school-level name means (few are titled with it), and those data sets carry the level and the list's name
  (``level``, ``listed_as``). A note above a sheet stating an old tier is kept on its data set verbatim
  (``tier_notes``): for the school-level sets it reads "de-identified personal level data", and the answers say both.
- **ReleaseRule**: a sheet note that mentions the ONS SRS, keyed by a slug of its text, restricting the
  note's data set and, where the note names items (``CIN_UPN``), the items of that data set with that alias.

A value that cannot be read without guessing (a ``years_populated`` of two ranges, ``2006 -``) leaves its
property unset and is counted among the reasons of the run; the row is still written.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import ClassVar

from importers import register
from importers.base import Batch, Importer, Report
from importers.reading import (
    BadInput,
    Row,
    read_csv,
    read_dataset_names,
    refuse_duplicates,
    refuse_other_digits,
    required,
)
from lineage.model import (
    CONFIRMED,
    PUPIL_LEVEL,
    SCHOOL_LEVEL,
    Certainty,
    CertaintyLevel,
    Citation,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    Scalar,
    node_id,
    node_key,
    timetable_lag,
)
from lineage.resources import DATA_DIR
from lineage.store import Store

DOCUMENT = "DfE NPD Data Tables, October 2018"
#: DfE's "Find & explore data in the NPD" service, whose test fixtures hold the workbook the CSVs come from.
ADDRESS = "https://github.com/DFE-Digital/npd-find-and-explore"
#: The per-sheet files (:mod:`importers.npd_sheets` imports them), whose rows :func:`own_rows` tells apart.
ITEMS_FILE_NAME = "npd_data_items_2018.csv"
NOTES_FILE_NAME = "npd_data_tables_sheet_notes_2018.csv"

#: The points of each classification scale, as the data tables write them.
SCALES: dict[str, tuple[str, ...]] = {
    "old_tier": ("1", "2", "3", "4"),
    "identifiability": ("1", "2", "3", "4", "5"),
    "sensitivity": ("A", "B", "C", "D", "E"),
}
_SCALE_NAMES = {"old_tier": "Old tier", "identifiability": "Identifiability", "sensitivity": "Sensitivity"}
TITLE_RULE = "collection-name-equals-dataset-title-ignoring-case"


def written_key(name: str) -> str:
    """The key a tab or sheet name gives as written: spaces and underscores around a hyphen dropped, every other run
    of them one ``_``, case kept (see the module docstring)."""
    return re.sub(r"[\s_]+", "_", re.sub(r"[\s_]*-[\s_]*", "-", name.strip()))


_YEAR_PAIR = re.compile(r"(?<!\d)(\d{2})_(\d{2})(?!\d)")


def spelling(name: str) -> str:
    """A data set's name as spelled, whatever its writing: its :func:`written_key` with a year pair's underscore read
    as the hyphen it stands for (``16_17``, as :func:`tab_years` reads it), the underscores between words dropped and
    case folded. ``SLD-KS5_PT_16_17`` and ``SLD-KS5 PT 16-17``, ``EarlyYearsCensus_07-08_to_17-18`` and ``Early Years
    Census 07-08 to 17-18`` spell one name; other years (``ISP 10-11`` / ``ISP_09-10``) or other words do not."""
    return _YEAR_PAIR.sub(r"\1-\2", written_key(name)).replace("_", "").casefold()


#: The data sets whose sheets the dictionary writes otherwise than the overview its tabs (data/dataset_spellings.csv).
SPELLINGS_FILE = DATA_DIR / "dataset_spellings.csv"
SPELLINGS_DOCUMENT = "pupil-data lineage table of the data sets the dictionary's sheets written otherwise mean"


def load_spellings(path: Path = SPELLINGS_FILE) -> dict[str, tuple[str, Citation]]:
    """Each spelling the table reads (:func:`spelling` of its sheet), with the key of the data set it means and the
    table's row; a row meaning anything but one data set spelled as its sheet is refused with its place."""
    spellings = {}
    for sheet, means, row in read_dataset_names(path, "sheet", spelling):
        key = node_key(means[0]) if len(means) == 1 else ""
        if spelling(key) != spelling(sheet):
            raise BadInput(path, f"a sheet means one data set spelled as it, not {row['means']!r}", row.number, "means")
        spellings[spelling(sheet)] = (key, Citation(SPELLINGS_DOCUMENT, path.name, row.number, ""))
    return spellings


@cache
def _bundled_spellings() -> dict[str, tuple[str, Citation]]:
    return load_spellings()


def dataset_key(name: str) -> str:
    """The Dataset key of an overview tab name or a sheet name, from the name alone, so that one data set has one id
    whatever the order its files are imported in: that of the data set the spellings table reads the name's spelling
    as (the overview's tab), else its :func:`written_key`."""
    read = _bundled_spellings().get(spelling(name))
    return read[0] if read else written_key(name)


def spelling_read(name: str) -> Citation | None:
    """The spellings table's row keying ``name`` as a data set written otherwise, which a data set so named cites."""
    read = _bundled_spellings().get(spelling(name))
    return read[1] if read and read[0] != written_key(name) else None


def dataset_keys(store: Store, names: Iterable[str], report: Report) -> dict[str, str]:
    """The :func:`dataset_key` of each name (an overview tab, a sheet). A name spelled as a stored data set keyed
    otherwise, which the spellings table does not read as it, stays a data set apart, and is counted."""
    keys = {name: dataset_key(name) for name in names}
    stored = {spelling(node.key): node.key for node in store.all_nodes(NodeKind.DATASET)}
    for name, key in keys.items():
        alike = stored.get(spelling(name))
        if alike is not None and alike != key:
            report.leave_out(
                f"{name!r} is spelled as the data set {alike!r}, which {SPELLINGS_FILE.name} does not read it as: "
                "a data set apart"
            )
    return keys


def dataset_id(key: str) -> str:
    return node_id(NodeKind.DATASET, key)


def start_year(first: str, second: str) -> int | None:
    """The year an academic year starts, from its halves (``95``/``96``, ``2006``/``07``, ``2006``/``2007``),
    or None when the halves are not consecutive years. Two-digit years before 50 are in the 2000s."""
    start = int(first)
    if len(first) == 2:
        start += 1900 if start >= 50 else 2000
    end = int(second)
    consecutive = end == start + 1 if len(second) == 4 else end == (start + 1) % 100
    return start if consecutive else None


_TAB_YEARS = re.compile(r"(?<!\d)(\d{2})[-_](\d{2})(?:[ _]+to[ _]+(\d{2})[-_](\d{2}))?(?!\d)")


def tab_years(path: Path, row: Row, column: str) -> dict[str, Scalar]:
    """first_year/last_year from the tab or sheet name in ``column`` (``KS2 95-96 to 17-18`` -> 1995, 2017), or
    nothing; a name holding another script's digits is refused, naming it, as every year a file gives is (\\d
    had read "SC_Pupil \u0660\u0661-\u0660\u0662" as 2001)."""
    refuse_other_digits(path, row, column)
    found = _TAB_YEARS.search(row[column])
    if found is None:
        return {}
    a, b, c, d = found.groups()
    first = start_year(a, b)
    last = first if c is None else start_year(c, d)
    if first is None or last is None or last < first:
        return {}
    return {"first_year": first, "last_year": last}


def classification_id(scale: str, code: str) -> str:
    return node_id(NodeKind.CLASSIFICATION, f"{scale}:{code}")


def classification_node(scale: str, code: str, citation: Citation, definition: str = "") -> Node:
    """One point of a scale; every importer names it the same way, so re-imports in any order agree."""
    props: dict[str, Scalar] = {"scale": scale, "code": code}
    if definition:
        props["definition"] = definition
    return Node(
        NodeKind.CLASSIFICATION, f"{scale}:{code}", f"{_SCALE_NAMES[scale]} {code}", props, frozenset({citation})
    )


def collection_id(name: str) -> str:
    return node_id(NodeKind.COLLECTION, name)


class NpdImporter(Importer):
    """An importer of one CSV of the NPD data tables: the document, its address and the columns it needs."""

    document = DOCUMENT
    address = ADDRESS
    columns: ClassVar[tuple[str, ...]]

    def extract(self, path: Path) -> list[Row]:
        return read_csv(path, self.columns)

    def cite(self, path: Path, row: Row) -> Citation:
        return self.citation(path, row.number)


@dataclass(frozen=True, slots=True)
class Sheet:
    """A sheet as a file names it: its name, its title and the first row that names it."""

    name: str
    title: str
    row: Row


def sheets_of(path: Path, rows: Iterable[Row], keys: Mapping[str, str]) -> dict[str, Sheet]:
    """The sheets named in ``sheet``/``dataset_title`` by their Dataset ``keys`` (:func:`dataset_keys`), refusing a
    data set given two titles: two sheets keyed alike but titled otherwise are refused, never read as one."""
    sheets: dict[str, Sheet] = {}
    for row in rows:
        name, title = required(path, row, "sheet"), row["dataset_title"].strip()
        known = sheets.setdefault(keys[name], Sheet(name, title, row))
        if known.title != title:
            raise BadInput(
                path,
                f"sheet {name!r} is titled {known.title!r} on row {known.row.number} (sheet {known.name!r})",
                row.number,
                "dataset_title",
            )
    return sheets


def sheet_datasets(importer: NpdImporter, path: Path, sheets: Mapping[str, Sheet], store: Store) -> list[Node]:
    """Dataset nodes for the sheets a file names, cited by the first row naming each (and by the spellings table's
    row keying it as a data set written otherwise, :func:`spelling_read`).

    A data set already in the store keeps its name (the overview's tab name) and gains the title; one not
    yet there is named by its sheet, with the years its sheet name gives."""
    stored = store.get_nodes(dataset_id(key) for key in sheets)
    nodes = []
    for key, sheet in sheets.items():
        props: dict[str, Scalar] = {"title": sheet.title} if sheet.title else {}
        known = stored.get(dataset_id(key))
        if known is None:
            props |= tab_years(path, sheet.row, "sheet")
        name = known.name if known is not None else sheet.name
        cited = {importer.cite(path, sheet.row)} | ({reading} if (reading := spelling_read(sheet.name)) else set())
        nodes.append(Node(NodeKind.DATASET, key, name, props, frozenset(cited)))
    return nodes


# ---- npd-datasets ----------------------------------------------------------------------------------


@register
class NpdDatasetsImporter(NpdImporter):
    """The data sets available through the NPD application process, with the years their tab names give."""

    name = "npd-datasets"
    bundled = "npd_datasets_overview_2018.csv"
    columns = ("tab_name", "description")

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        tabs = [(required(path, row, "tab_name"), row) for row in rows]
        refuse_duplicates(path, "tab_name", ((spelling(tab), row) for tab, row in tabs))
        keys = dataset_keys(store, (tab for tab, _ in tabs), report)
        nodes = []
        for tab, row in tabs:
            props = tab_years(path, row, "tab_name")
            if description := row["description"].strip():
                props["description"] = description
            nodes.append(Node(NodeKind.DATASET, keys[tab], tab, props, frozenset({self.cite(path, row)})))
        return Batch(nodes)


# ---- npd-dataset-list and npd-release-timetable ----------------------------------------------------

DATASET_LEVELS = (PUPIL_LEVEL, SCHOOL_LEVEL)


def feeds(
    collections: Mapping[str, Iterable[Citation]],
    store: Store,
    report: Report,
    linked_elsewhere: Collection[str] = (),
) -> list[Edge]:
    """FEEDS from each named collection to the data sets in the store whose title is its name (a name
    ``linked_elsewhere`` that no title gives is not reported as unlinked).

    An edge cites the rows naming the collection and the data set's own rows (:func:`own_rows`, among them the item
    or note rows giving its title), as they stand when it is drawn: import what titles data sets first."""
    titled = [(node, str(node.props["title"])) for node in store.all_nodes(NodeKind.DATASET) if "title" in node.props]
    edges = []
    for name, naming in collections.items():
        linked = False
        for dataset, title in titled:
            if title == name:
                certainty = CONFIRMED
            elif title.casefold() == name.casefold():
                certainty = Certainty(CertaintyLevel.INFERRED, TITLE_RULE)
            else:
                continue
            linked = True
            cited = frozenset({*naming, *own_rows(dataset)})
            edges.append(Edge(collection_id(name), EdgeKind.FEEDS, dataset.id, citations=cited, certainty=certainty))
        if not linked and name not in linked_elsewhere:
            report.leave_out(f"no data set in the store is titled {name!r}: no FEEDS edge")
    return edges


def own_rows(dataset: Node) -> Iterator[Citation]:
    """A data set's rows that say what it is (its name, the years its name gives, its title), without those that say
    when its data are released (:func:`timing_rows`) or at which level DfE's list gives it, which the imports drawing
    FEEDS add: a FEEDS edge drawn again over an earlier build then cites what it did the first time.

    The notes' rows count only where the items do not name it: a notes row names and titles its sheet as the items'
    first row does, and the notes' rows a data set cites are mostly those stating its old tier (its ``tier_notes``),
    on which neither a FEEDS edge nor a date check rests (Key Stage 2's one notes row had been cited beside the
    overview's and the items' rows). Where the items do not name it, the notes' rows are what titles it."""
    not_its_own = {NpdDatasetListImporter.bundled, SCHOOL_LEVEL_FILE.name}
    if any(citation.file == ITEMS_FILE_NAME for citation in dataset.citations):
        not_its_own.add(NOTES_FILE_NAME)
    return (citation for citation in dataset.citations if not _times(citation) and citation.file not in not_its_own)


def timing_rows(dataset: Node) -> Iterator[Citation]:
    """A data set's rows that say when its data are released: the timetable's, and the table reading them, which
    the timetable's import cites on each data set it times (lineage.model.release_lag reads what they say)."""
    return (citation for citation in dataset.citations if _times(citation))


def _times(citation: Citation) -> bool:
    return citation.file in (NpdReleaseTimetableImporter.bundled, TIMETABLE_NAMES_FILE.name)


@register
class NpdDatasetListImporter(NpdImporter):
    """DfE's list of NPD data sets, pupil-level and school-level: one collection per name, with its levels."""

    name = "npd-dataset-list"
    needs = ("npd-items", "npd-sheet-notes")
    bundled = "npd_dataset_list_2018.csv"
    columns = ("level", "dataset")

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        listed = []
        for row in rows:
            level = required(path, row, "level")
            if level not in DATASET_LEVELS:
                raise BadInput(path, f"expected {' or '.join(DATASET_LEVELS)}, got {level!r}", row.number, "level")
            listed.append((level, required(path, row, "dataset"), row))
        refuse_duplicates(path, "dataset", ((f"{level}/{name}", row) for level, name, row in listed))
        levels: dict[str, list[str]] = defaultdict(list)
        citations: dict[str, set[Citation]] = defaultdict(set)
        for level, name, row in listed:
            levels[name].append(level)
            citations[name].add(self.cite(path, row))
        nodes = [
            Node(NodeKind.COLLECTION, name, name, {"levels": tuple(levels[name])}, frozenset(citations[name]))
            for name in levels
        ]
        school_level = {name: self.cite(path, row) for level, name, row in listed if level == SCHOOL_LEVEL}
        nodes += _school_level_datasets(school_level, store, report)
        return Batch(nodes, feeds(citations, store, report))


#: What the school-level names of DfE's list of data sets mean (``data/school_level_datasets.csv``).
SCHOOL_LEVEL_FILE = DATA_DIR / "school_level_datasets.csv"
SCHOOL_LEVEL_DOCUMENT = "pupil-data lineage table of the data sets DfE's list of NPD data sets calls school-level"


@cache
def _school_level_names() -> dict[str, tuple[tuple[str, ...], Citation]]:
    """Each school-level name of the list the table reads, with the data sets it means (at least one: a row meaning
    none had been taken, and the list's name given no data set's level with no word) and the table's row."""
    return {
        name: (
            _meaning_some(SCHOOL_LEVEL_FILE, row, means, "a school-level name of the list"),
            Citation(SCHOOL_LEVEL_DOCUMENT, SCHOOL_LEVEL_FILE.name, row.number, ""),
        )
        for name, means, row in read_dataset_names(SCHOOL_LEVEL_FILE, "listed_as")
    }


def _meaning_some(table: Path, row: Row, means: tuple[str, ...], named: str) -> tuple[str, ...]:
    """The data sets a row of one of our tables of names (reading.read_dataset_names) says ``named`` means, refused
    where it says none."""
    if not means:
        raise BadInput(table, f"must not be empty: {named} means a data set", row.number, "means")
    return means


def _school_level_datasets(listed: Mapping[str, Citation], store: Store, report: Report) -> list[Node]:
    """The data sets each school-level name of the list means (the table's reading, as few are titled with it), given
    that level and the list's name, citing the list's row and the table's: the answers say beside a data set the list
    calls school-level what the note above its sheet says of it, which may disagree."""
    meant = _school_level_names()
    for name in sorted(set(meant) - set(listed)):
        report.leave_out(f"{SCHOOL_LEVEL_FILE.name}: {name!r} is no school-level name of the list: not read")
    nodes = []
    for name, dataset, reading in datasets_meant(
        SCHOOL_LEVEL_FILE, meant, listed, store, report, "its level is not given"
    ):
        props = {**dataset.props, "level": SCHOOL_LEVEL, "listed_as": name}
        nodes.append(replace(dataset, props=props, citations=dataset.citations | {listed[name], reading}))
    return nodes


def datasets_meant(
    table: Path,
    meanings: Mapping[str, tuple[tuple[str, ...], Citation]],
    names: Iterable[str],
    store: Store,
    report: Report,
    not_drawn: str,
) -> Iterator[tuple[str, Node, Citation]]:
    """Each of ``names`` that ``table`` reads (its ``meanings``: the data sets a name means, and the table's row), with
    every data set it means that the store holds and that row, in one read of the store; a data set the store does
    not hold is left out, saying what is ``not_drawn``."""
    wanted = {name: meanings[name] for name in names if name in meanings}
    held = store.get_nodes(sorted({dataset for datasets, _ in wanted.values() for dataset in datasets}))
    for name, (datasets, reading) in wanted.items():
        for dataset in datasets:
            if dataset in held:
                yield name, held[dataset], reading
            else:
                report.leave_out(f"{table.name}: {dataset} is not in the store: {not_drawn}")


#: What the release timetable's names the data sets' titles do not give mean (``data/timetable_datasets.csv``).
TIMETABLE_NAMES_FILE = DATA_DIR / "timetable_datasets.csv"
TIMETABLE_NAMES_DOCUMENT = "pupil-data lineage table of the data sets the NPD release timetable's names mean"
#: The rule by which a FEEDS edge from a timetable's name follows that table.
TIMETABLE_NAME_RULE = "feeds:timetable-name-table"


@dataclass(frozen=True, slots=True)
class TimetableNames:
    """The data sets each of the release timetable's names means where no data set is titled with it ("Absence"
    means the data set titled "Pupil Absence", which the title rule leaves unlinked, so it was taken as released
    on 1 September though the timetable releases it in October) or where its months need reading (Key Stage 2's
    August, within the year of the tests), with the table row saying so."""

    path: Path
    meanings: dict[str, tuple[tuple[str, ...], Citation]]
    #: the names whose months the table reads as within the academic year collected (the school census's terms)
    within_year: frozenset[str] = frozenset()

    def feeds(self, stating: Mapping[str, Iterable[Citation]], store: Store, report: Report) -> list[Edge]:
        """FEEDS from each timetable name the table reads to the data sets it means, citing both rows."""
        edges = []
        for name, dataset, reading in datasets_meant(self.path, self.meanings, stating, store, report, "no FEEDS edge"):
            # the data set's own rows, not the timing rows a build before gave it (the census's three rows
            # feed one data set: an edge drawn again had cited the others' rows too)
            cited = frozenset({*stating[name], reading, *own_rows(dataset)})
            sure = Certainty(CertaintyLevel.INFERRED, TIMETABLE_NAME_RULE)
            edges.append(Edge(collection_id(name), EdgeKind.FEEDS, dataset.id, citations=cited, certainty=sure))
        return edges


#: When a timetable row's months fall, as the table reads them: after the academic year its data are of (the first
#: such month after it ends), or within it (the school census, released in the year it is taken).
RELEASED = {"after the year": False, "within the year": True}


def load_timetable_names(path: Path = TIMETABLE_NAMES_FILE) -> TimetableNames:
    """Read the table (reading.read_dataset_names), each name meaning at least one data set, its months read as
    falling after the year its data are of or within it."""
    meanings: dict[str, tuple[tuple[str, ...], Citation]] = {}
    within: set[str] = set()
    for name, means, row in read_dataset_names(path, "timetable_name", more=("released",)):
        _meaning_some(path, row, means, "a name of the timetable")
        released = row["released"].strip()
        if released not in RELEASED:
            raise BadInput(path, f"expected one of {', '.join(map(repr, RELEASED))}, got {released!r}",
                           row.number, "released")  # fmt: skip
        meanings[name] = (means, Citation(TIMETABLE_NAMES_DOCUMENT, path.name, row.number, ""))
        if RELEASED[released]:
            within.add(name)
    return TimetableNames(path, meanings, frozenset(within))


@cache
def _bundled_timetable_names() -> TimetableNames:
    return load_timetable_names()


@register
class NpdReleaseTimetableImporter(NpdImporter):
    """The month(s) in which each collection's data are released into the NPD."""

    name = "npd-release-timetable"
    needs = ("npd-items", "npd-sheet-notes")
    bundled = "npd_release_timetable_2018.csv"
    columns = ("Dataset", "Month(s) when data are released")

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        timed = [(required(path, row, "Dataset"), required(path, row, self.columns[1]), row) for row in rows]
        refuse_duplicates(path, "Dataset", ((name, row) for name, _, row in timed))
        nodes = [
            Node(NodeKind.COLLECTION, name, name, {"release_months": months}, frozenset({self.cite(path, row)}))
            for name, months, row in timed
        ]
        stating = {name: [self.cite(path, row)] for name, _, row in timed}
        named = _bundled_timetable_names()
        drawn = {edge.id: edge for edge in feeds(stating, store, report, linked_elsewhere=named.meanings)}
        for edge in named.feeds(stating, store, report):
            titled = drawn.get(edge.id)
            # a name the table reads whose data set is titled with it (Key Stage 2) keeps the title's edge, as sure,
            # citing the table's row too, which gives when its months fall
            drawn[edge.id] = edge if titled is None else replace(titled, citations=titled.citations | edge.citations)
        edges = list(drawn.values())
        # each data set a row feeds is released when the row says, the earliest of its rows where several feed it
        # (the census's three terms), which lineage.model.release_lag reads; citing each row
        by_collection = {collection_id(name): (name, months, row) for name, months, row in timed}
        fed = store.get_nodes([edge.target for edge in edges])
        feeding: dict[str, list[tuple[str, str, Row]]] = {}
        for edge in edges:
            feeding.setdefault(edge.target, []).append(by_collection[edge.source])
        for dataset_id, fed_by in feeding.items():
            its_rows = sorted(fed_by, key=lambda fed_row: fed_row[2].number)  # in the timetable's order
            dataset = fed[dataset_id]
            said = (
                its_rows[0][1] if len(its_rows) == 1 else "; ".join(f"{name}: {months}" for name, months, _ in its_rows)
            )
            lag = min(timetable_lag(months, name in named.within_year) for name, months, _ in its_rows)
            props = {**dataset.props, "release_months": said, "release_lag_months": lag}
            # and the table's rows, where it reads when a name's months fall
            cited = {self.cite(path, row) for _, _, row in its_rows}
            cited |= {named.meanings[name][1] for name, _, _ in its_rows if name in named.meanings}
            nodes.append(replace(dataset, props=props, citations=dataset.citations | cited))
        return Batch(nodes, edges)


# ---- npd-classifications ---------------------------------------------------------------------------


def classification_code(path: Path, row: Row, scale: str, column: str) -> str | None:
    """A point of ``scale`` in a cell, or None when empty; anything off the scale is refused."""
    code = row[column].strip()
    if code and code not in SCALES[scale]:
        raise BadInput(path, f"expected one of {', '.join(SCALES[scale])}, got {code!r}", row.number, column)
    return code or None


@register
class NpdClassificationsImporter(NpdImporter):
    """The definitions of the Identifiability (1-5) and Sensitivity (A-E) scales that replaced the tiers."""

    name = "npd-classifications"
    bundled = "npd_data_item_classifications_2018.csv"
    columns = ("scale", "code", "definition")

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        points = []
        for row in rows:
            scale = required(path, row, "scale")
            if scale not in SCALES:
                raise BadInput(path, f"expected a scale among {', '.join(SCALES)}, got {scale!r}", row.number, "scale")
            code = classification_code(path, row, scale, "code")
            if code is None:
                raise BadInput(path, "this cell must not be empty", row.number, "code")
            points.append((scale, code, row))
        refuse_duplicates(path, "code", ((f"{scale}:{code}", row) for scale, code, row in points))
        nodes = [
            classification_node(scale, code, self.cite(path, row), row["definition"].strip())
            for scale, code, row in points
        ]
        return Batch(nodes)
