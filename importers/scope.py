"""What the record says each recipient got, did not get, asked for, was refused, had returned or sent.

``scope-statements`` reads ``npd_release_scope_statements.csv``: one row per statement of one source about
the items a named organisation received (or not), in the source's own words. Each row becomes:

- a **Statement** node holding the words, the quote and the kind of statement, as sure as its source
  (``data/source_kinds.csv``: DfE and Parliament confirmed, campaigners and the press reported, a
  recipient's own words claimed);
- **ABOUT** the release or application it concerns, joined only where the record identifies one: the same
  register reference (rule ``about:same-reference``), else the organisation's one release or application
  dated within the month or year the statement names (``about:organisation-and-date``), else its one
  application cited with the same date words (``about:organisation-and-date-as-cited``); otherwise ABOUT
  the organisation itself, as sure as the statement (each of them, where the alias table says the name is of
  several bodies together: "Home Office and police");
- **REFERS_TO** the data items (or data sets) its words are taken to mean, by the rule ``scope-words`` and a
  row of ``data/scope_words.csv`` (``words, means, within, reasoning``), which each link cites beside the
  statement. A row means a concept (every alias of it), an item, a data set, or a class of items by the
  dictionary's own attributes (``class:identifiability=1|2|3``, ``class:alias~dob``: see :class:`ItemClass`),
  limited to the data sets in ``within`` and to those the statement itself names (its ``dataset_as_written``,
  read by ``data/scope_datasets.csv``). An item whose first year was not yet in the NPD by the date of the
  release the statement is about (else the statement's own date) is left out and counted
  (:func:`lineage.model.available_by`). Each link cites too the rows that put its item within reach, so that a
  reader of the claims ledger can check why it was: those placing it in its data sets (the dictionary's row, or an
  item-table rule's rows) and those the date check read (the item's first year's, else its data sets', and the
  release timetable's), a table's many rows in one citation naming them as runs (:func:`lineage.model.in_row_runs`).
  Words the table does not map keep their statement and are counted;
- **CONTRADICTS** from a statement to another that ``data/conflicts.csv`` says disagrees with it, both marked
  ``contested`` (:mod:`importers.conflicts`).

The questions read these: a ``not_released`` or ``requested_then_excluded`` statement about a release
outranks the tier rule for the items it refers to (see ``lineage.questions``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from importers import register
from importers.base import Batch, Importer, Report
from importers.conflicts import contradictions
from importers.npd import own_rows, timing_rows
from importers.organisations import Organisations, Unresolved
from importers.reading import (
    BadInput,
    Row,
    RowRead,
    applied_to_row,
    parse_date,
    parse_int,
    read_csv,
    read_dataset_names,
    read_reasoned,
    refuse_duplicates,
    refuse_other_digits,
)
from importers.releases import REFERENCE
from importers.source_kinds import bundled_source_kinds
from lineage.dates import latest_day, named_period
from lineage.errors import ModelError
from lineage.keys import normalise, slug
from lineage.model import (
    FIRST_NPD_YEAR,
    REFUSED_TO_SAY,
    STATEMENT_KINDS,
    Certainty,
    CertaintyLevel,
    Citation,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    Scalar,
    available_by,
    first_year_read,
    in_row_runs,
    kind_of,
    release_lag_read,
    weakest,
)
from lineage.resources import DATA_DIR
from lineage.store import Store

#: The statements the scope table may make: every kind but a refusal to answer (importers/onward.py's).
STATEMENTS = tuple(kind for kind in STATEMENT_KINDS if kind != REFUSED_TO_SAY)

WORDS_FILE = DATA_DIR / "scope_words.csv"
WORDS_DOCUMENT = "pupil-data lineage table of scope words and the NPD concepts they are taken to mean"
DATASETS_FILE = DATA_DIR / "scope_datasets.csv"
DATASETS_DOCUMENT = "pupil-data lineage table of the data sets statements name and the NPD data sets they mean"
DATES_FILE = DATA_DIR / "statement_dates.csv"
DATES_DOCUMENT = "pupil-data lineage table of the day a statement's source was made, where its row gives no date"
#: The first and last academic years a statement's years name, as our table reads its years_as_written.
YEARS_FILE = DATA_DIR / "statement_years.csv"
YEARS_DOCUMENT = "pupil-data lineage table of the academic years a statement's years name"
NOTES_FILE = DATA_DIR / "note_statements.csv"
NOTES_DOCUMENT = "pupil-data lineage table of statements a row's notes quote from the row's own source"

RULE_WORDS = "scope-words"
#: How far below a category its concepts are looked for: deeper than the tree (npd_category_tree_2019.csv has four
#: levels of category, the concepts beneath the last).
CATEGORY_DEPTH = 8
#: The reason counted for an item a statement's words would reach that was not yet in the NPD by its date.
WORDS_TIME_CHECK = "REFERS_TO (the item's first year was not in the NPD by the statement's date)"
BY_REFERENCE = Certainty(CertaintyLevel.INFERRED, "about:same-reference")
BY_DATE = Certainty(CertaintyLevel.INFERRED, "about:organisation-and-date")
BY_DATE_WORDS = Certainty(CertaintyLevel.INFERRED, "about:organisation-and-date-as-cited")


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


#: The dictionary's attributes a class of items is defined by, and the class's prefix in the words table.
CLASS_ATTRIBUTES = ("identifiability", "sensitivity", "alias", "description")
CLASS_PREFIX = "class:"


@dataclass(frozen=True, slots=True)
class ItemClass:
    """Items by the dictionary's own attributes: every condition holds (``identifiability=1|2|3`` is one of those
    values; ``alias~dob|date_?of_?birth`` a case-blind search of the text)."""

    values: tuple[tuple[str, frozenset[str]], ...]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def parse(cls, text: str) -> ItemClass:
        """The class a ``class:`` entry names; a ValueError says what is wrong with it."""
        values, patterns = [], []
        for condition in text.removeprefix(CLASS_PREFIX).split(";"):
            parts = re.split(r"(=|~)", condition.strip(), maxsplit=1)
            if len(parts) != 3:
                raise ValueError(f"a condition is attribute=values or attribute~pattern, not {condition!r}")
            attribute, sign, wanted = parts
            if attribute not in CLASS_ATTRIBUTES:
                raise ValueError(f"a class is defined by {', '.join(CLASS_ATTRIBUTES)}, not {attribute!r}")
            if sign == "=":
                values.append((attribute, frozenset(wanted.split("|"))))
            else:
                patterns.append((attribute, re.compile(wanted, re.IGNORECASE)))
        return cls(tuple(values), tuple(patterns))

    def holds(self, item: Node) -> bool:
        props = item.props
        return all(str(props.get(name, "")) in wanted for name, wanted in self.values) and all(
            pattern.search(str(props.get(name, ""))) for name, pattern in self.patterns
        )


@dataclass(frozen=True, slots=True)
class Meaning:
    """One row of the words table: what some words are taken to mean (a node, or a class of items), within which
    data sets (none: any), and why."""

    target: str
    within: tuple[str, ...]
    reasoning: str
    citation: Citation
    item_class: ItemClass | None = None


def load_words(path: Path = WORDS_FILE) -> dict[str, list[Meaning]]:
    """The words table by folded words; a target that is not a concept, item, data set or class is refused."""
    table: dict[str, list[Meaning]] = {}
    allowed = {NodeKind.CONCEPT, NodeKind.DATA_ITEM, NodeKind.DATASET}
    given: dict[tuple[str, str, tuple[str, ...]], int] = {}
    for row in read_csv(path, ("words", "means", "within", "reasoning")):
        # an id with a no-break space or a doubled one (a copy from a document) is the id with one space
        words, target, reasoning = (" ".join(row[column].split()) for column in ("words", "means", "reasoning"))
        if not words or not reasoning:
            raise BadInput(path, "every entry gives its words and its reasoning", row.number)
        item_class = None
        try:
            if target.startswith(CLASS_PREFIX):
                item_class = ItemClass.parse(target)
            elif kind_of(target) not in allowed:
                raise ValueError(f"{target!r} is not a Concept, DataItem, Dataset or class of items")
            within = tuple(row["within"].split())
            if any(kind_of(dataset) is not NodeKind.DATASET for dataset in within):
                raise ValueError(f"within names data sets only, not {row['within']!r}")
        except (ValueError, re.error, ModelError) as exc:
            raise BadInput(path, str(exc), row.number, "means") from None
        key = (_fold(words), target, within)
        if key in given:
            raise BadInput(path, f"these words are given this meaning twice (first on row {given[key]})", row.number)
        given[key] = row.number
        citation = Citation(WORDS_DOCUMENT, path.name, row.number, "")
        table.setdefault(_fold(words), []).append(Meaning(target, within, reasoning, citation, item_class))
    return table


def load_datasets(path: Path = DATASETS_FILE) -> dict[str, tuple[str, ...]]:
    """The data sets a statement's ``dataset_as_written`` means, by folded words (none: the whole NPD)."""
    return {_fold(words): means for words, means, _ in read_dataset_names(path, "dataset_as_written", _fold)}


@dataclass(frozen=True, slots=True)
class SourceDate:
    """The day a statement's source was made, or the latest it can have been, where its date column names no date
    but the source has one (a written answer, by the day it was answered; "last year (as reported June 2015)", by
    the end of that month): the day its words are checked against, so that they reach no item first collected
    after it. Kept only while the row still cites the same source."""

    source_url: str
    day: dt.date
    reasoning: str
    citation: Citation  # the dates table's row, which the statement cites
    read: RowRead  # the statement's row, which must still begin cells with its words


@dataclass(frozen=True, slots=True)
class StatedYears:
    """The first and last academic years a statement's years name (its ``years_as_written``, as our table reads
    them): a release it is about holds no earlier or later year's data, whatever else the NPD held by its date.
    Kept only while the row still begins its cells with the words read."""

    years_begin: int
    years_end: int
    reasoning: str
    citation: Citation
    read: RowRead


def load_years(path: Path = YEARS_FILE) -> dict[tuple[str, int], StatedYears]:
    """The stated years table by (statements file, row)."""
    table: dict[tuple[str, int], StatedYears] = {}
    years = range(FIRST_NPD_YEAR, 10_000)
    for statements_file, at, row in read_reasoned(path, ("row_says", "years_begin", "years_end"), once=True):
        begin, end = (parse_int(path, row, column, allowed=years) for column in ("years_begin", "years_end"))
        if begin is None or end is None:
            raise BadInput(path, "must not be empty", row.number, "years_begin" if begin is None else "years_end")
        if begin > end:
            raise BadInput(path, f"the years run backwards, {begin} to {end}", row.number, "years_end")
        citation = Citation(YEARS_DOCUMENT, path.name, row.number, "")
        read = RowRead.of(path, row, statements_file, at)
        table[(statements_file, at)] = StatedYears(begin, end, row["reasoning"].strip(), citation, read)
    return table


def load_dates(path: Path = DATES_FILE) -> dict[tuple[str, int], SourceDate]:
    """The dates table by (statements file, row)."""
    table: dict[tuple[str, int], SourceDate] = {}
    for statements_file, at, row in read_reasoned(path, ("row_says", "source_url", "date"), once=True):
        if (day := parse_date(path, row, "date")) is None:
            raise BadInput(path, "must not be empty", row.number, "date")
        read = RowRead.of(path, row, statements_file, at)
        citation = Citation(DATES_DOCUMENT, path.name, row.number, "")
        table[(statements_file, at)] = SourceDate(
            row["source_url"].strip(), day, row["reasoning"].strip(), citation, read
        )
    return table


@dataclass(frozen=True, slots=True)
class NoteStatement:
    """A second statement of a row's own source that only the row's notes quote ("Same answer: request 'did not
    contain any data items that are sensitive'"): stated beside the row's, with its words as the table reads
    them. Kept only while the row still cites the same source and its notes still hold the quote."""

    source_url: str
    statement: str
    items_as_written: str
    quote: str
    reasoning: str
    citation: Citation
    #: the words another copy of the source gives in their place, where the row's notes say so (TheyWorkForYou's
    #: copy of that answer: 'highly sensitive'): a reader quoting one copy is told of the other
    another_copy_reads: str


def load_notes(path: Path = NOTES_FILE) -> dict[tuple[str, int], NoteStatement]:
    """The notes table by (statements file, row): one statement a row's notes quote, at most (conflicts.csv names
    it by its row)."""
    table: dict[tuple[str, int], NoteStatement] = {}
    columns = ("source_url", "statement", "data_item_as_written", "quote", "another_copy_reads")
    for statements_file, at, row in read_reasoned(path, columns, once=True):
        cells = {column: " ".join(row[column].split()) for column in row.cells}
        if cells["statement"] not in STATEMENTS:
            raise BadInput(path, f"unknown statement {cells['statement']!r}", row.number, "statement")
        for column in ("source_url", "data_item_as_written", "quote"):
            if not cells[column]:
                raise BadInput(path, "must not be empty", row.number, column)
        table[(statements_file, at)] = NoteStatement(
            cells["source_url"],
            cells["statement"],
            cells["data_item_as_written"],
            cells["quote"],
            cells["reasoning"],
            Citation(NOTES_DOCUMENT, path.name, row.number, ""),
            cells["another_copy_reads"],
        )
    return table


@cache
def _bundled_notes() -> dict[tuple[str, int], NoteStatement]:
    return load_notes()


@cache
def _bundled_dates() -> dict[tuple[str, int], SourceDate]:
    return load_dates()


@cache
def _bundled_years() -> dict[tuple[str, int], StatedYears]:
    return load_years()


@cache
def _bundled_words() -> dict[str, list[Meaning]]:
    return load_words()


@cache
def _bundled_datasets() -> dict[str, tuple[str, ...]]:
    return load_datasets()


@dataclass(frozen=True, slots=True)
class _Parsed:
    row: Row
    node: Node
    organisation: str
    reference: str  # a clean register reference, or ""
    citation: Citation  # the row's own: what the organisations it names cite (its node may cite tables too)


@register
class ScopeStatementsImporter(Importer):
    name = "scope-statements"
    needs = ("register-foi", "register-more", "npd-concepts", "npd-release-timetable")
    document = "Statements of what NPD recipients got, did not get, asked for or were refused (compiled)"
    bundled = "npd_release_scope_statements.csv"
    columns = (
        "organisation",
        "reference",
        "date_as_cited",
        "statement",
        "source_kind",
        "dataset_as_written",
        "data_item_as_written",
        "years_as_written",
        "source_url",
        "quote",
        "notes",
    )

    def extract(self, path: Path) -> Iterable[Row]:
        return read_csv(path, self.columns)

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        parsed = [self._statement(path, row, report) for row in rows]
        from_notes = [read for p in parsed if (read := self._from_notes(path, p, report)) is not None]
        numbers = {p.row.number for p in parsed}
        for (file, at), note in _bundled_notes().items():
            if file == self.read_as(path) and at not in numbers:
                report.leave_out(f"a statement from the notes ({NOTES_FILE.name} row {note.citation.row}: no row {at})")
        refuse_duplicates(
            path,
            "organisation, statement, data_item_as_written, source_kind",
            ((p.node.key, p.row) for p in (*parsed, *from_notes)),
        )
        organisations = Organisations()
        targets = _Targets(store)
        dictionary = _Dictionary(store)
        nodes: dict[int, Node] = {p.row.number: p.node for p in parsed}  # the rows conflicts.csv names
        edges: list[Edge] = []
        for p in (*parsed, *from_notes):
            citation = p.citation
            found = organisations.add_each(p.organisation, citation, p.node.certainty)
            if isinstance(found, Unresolved):
                report.leave_out(f"ABOUT ({found.reason})")
                found = []
            dates = []
            for body in found:
                about, how = targets.about(body.id, p.reference, str(p.node.props.get("date_as_cited", "")))
                if how is None:
                    report.leave_out("ABOUT a release or application (the record identifies none)")
                certainty = p.node.certainty if how is None else weakest([p.node.certainty, how])
                edges.append(Edge(p.node.id, EdgeKind.ABOUT, about, citations=p.node.citations, certainty=certainty))
                dates.append(targets.date_of(about))
            # the date the words are checked against: the release's (or application's), else the statement's own
            known = [day for day in dates if day is not None]
            latest = p.node.props.get("latest_date")
            day = max(known) if known else latest if isinstance(latest, dt.date) else None
            edges.extend(self._meanings(p, dictionary, day, report))
        notes_by_row = {p.row.number: p.node for p in from_notes}
        contradicting, contested = contradictions(
            self.read_as(path), {p.row.number: p.row for p in parsed}, nodes, report, notes_by_row
        )
        written = [contested.get(n.id, n) for n in (*nodes.values(), *notes_by_row.values())]
        return Batch([*written, *organisations.nodes(store)], [*edges, *contradicting])

    def _from_notes(self, path: Path, p: _Parsed, report: Report) -> _Parsed | None:
        """The statement the notes table reads from this row's notes, if any: a statement of the row's own source
        (its kind, certainty, date and subject) in the words the notes quote, citing the row and the table's row."""
        note = _bundled_notes().get((self.read_as(path), p.row.number))
        if note is None:
            return None
        cited = p.citation.address
        held = (note.quote, note.another_copy_reads)
        if note.source_url != cited or any(_fold(words) not in _fold(p.row["notes"]) for words in held if words):
            report.leave_out(
                f"a statement from the notes ({NOTES_FILE.name} row {note.citation.row}: the row no longer cites "
                "that source or quotes those words)"
            )
            return None
        cells = {**p.row.cells, "statement": note.statement, "data_item_as_written": note.items_as_written}
        read = self._statement(path, Row(p.row.number, {**cells, "quote": note.quote}), report, p.row)
        props = {**read.node.props, "read_from": f"{NOTES_FILE.name} row {note.citation.row}: {note.reasoning}"}
        if note.another_copy_reads:
            props["another_copy_reads"] = note.another_copy_reads
        return replace(read, node=replace(read.node, props=props, citations=read.node.citations | {note.citation}))

    def _statement(self, path: Path, row: Row, report: Report, read_from: Row | None = None) -> _Parsed:
        """The row's statement (``read_from``: the row of the file it is read from, where that is not ``row``, a
        statement its notes quote)."""

        def cell(column: str) -> str:
            return " ".join(row[column].split())

        # \d took "DS\u0660..." for a reference, joined to none; a date's year in them is refused as every year is
        refuse_other_digits(path, row, "reference", "date_as_cited")
        organisation, statement, items = cell("organisation"), cell("statement"), cell("data_item_as_written")
        if statement not in STATEMENTS:
            raise BadInput(
                path, f"unknown statement {statement!r}; one of {', '.join(STATEMENTS)}", row.number, "statement"
            )
        for column in ("organisation", "data_item_as_written", "source_url", "quote"):
            if not cell(column):
                raise BadInput(path, "must not be empty", row.number, column)
        certainty = bundled_source_kinds().certainty(path, row, "source_kind")
        dated = _bundled_dates().get((self.read_as(path), row.number))
        if dated is not None and not (dated.read.holds(read_from or row) and dated.source_url == cell("source_url")):
            report.leave_out(dated.read.moved(DATES_FILE.name, dated.citation.row))
            dated = None
        if dated is not None and latest_day(cell("date_as_cited")):
            dated = None  # the row gives a date of its own
        # of the row's own statement, not of another sentence its notes quote; while the row says what it read
        stated = _bundled_years().get((self.read_as(path), row.number)) if read_from is None else None
        years = applied_to_row(YEARS_FILE.name, stated, row, report.leave_out)
        props: dict[str, Scalar] = {
            name: value
            for name, value in (
                ("statement", statement),
                ("source_kind", cell("source_kind")),
                ("items_as_written", items),
                ("dataset_as_written", cell("dataset_as_written")),
                ("years_as_written", cell("years_as_written")),
                ("years_begin", years.years_begin if years else None),
                ("years_end", years.years_end if years else None),
                ("years_read_by", f"{YEARS_FILE.name} row {years.citation.row}: {years.reasoning}" if years else None),
                ("datasets_read", _bundled_datasets().get(_fold(cell("dataset_as_written"))) or None),
                ("organisation_as_written", organisation),
                ("date_as_cited", cell("date_as_cited")),
                ("latest_date", dated.day if dated else latest_day(cell("date_as_cited"))),
                ("dated_by", f"{DATES_FILE.name} row {dated.citation.row}: {dated.reasoning}" if dated else None),
                ("quote", cell("quote")),
                ("notes", cell("notes")),
            )
            if value
        }
        key = "/".join((slug(normalise(organisation)) or "unnamed", statement, slug(items), slug(cell("source_kind"))))
        citation = Citation(self.document, path.name, row.number, cell("source_url"))
        name = f"{organisation}: {statement.replace('_', ' ')}: {items}"
        # and the rows of our tables read for its years and its date, which its words are checked against
        cited = {citation, *(reading.citation for reading in (years, dated) if reading)}
        node = Node(NodeKind.STATEMENT, key, name, props, frozenset(cited), certainty)
        reference = cell("reference")
        return _Parsed(row, node, organisation, reference if REFERENCE.match(reference) else "", citation)

    def _meanings(self, p: _Parsed, dictionary: _Dictionary, day: dt.date | None, report: Report) -> list[Edge]:
        """REFERS_TO each data item (or data set) the words table maps the statement's words to, within the data
        sets the row and the statement name, and in the NPD by ``day`` (None: the date is unknown)."""
        as_written = str(p.node.props["items_as_written"])
        meanings = _bundled_words().get(_fold(as_written), [])
        if not meanings:
            report.leave_out("REFERS_TO (the words table does not map these words)")
        named = _bundled_datasets().get(_fold(str(p.node.props.get("dataset_as_written", ""))), ())
        links: dict[str, Edge] = {}
        for meaning in meanings:
            reached = dictionary.reach(meaning)
            if not reached:
                where = f"{WORDS_FILE.name} row {meaning.citation.row}"
                report.leave_out(f"REFERS_TO ({where}: the words table's meaning is not in the store)")
            for limit in (meaning.within, named):
                if limit:
                    reached = [node for node in reached if dictionary.held_by(node) & set(limit)]
            if day is not None:
                late = [n for n in reached if n.kind is NodeKind.DATA_ITEM and not dictionary.available_by(n, day)]
                if late:
                    report.leave_out(WORDS_TIME_CHECK, len(late))
                reached = [node for node in reached if node not in late]
            within = tuple(sorted({*meaning.within, *named}))
            for node in reached:
                if node.id in links:
                    continue
                props: dict[str, Scalar] = {"as_written": as_written, "means": meaning.target}
                if within:
                    props["within"] = within
                cited = p.node.citations | {meaning.citation} | dictionary.basis(meaning, node)
                # and what put the item within reach, a table's many rows in one citation each
                read = in_row_runs(dictionary.read_for(node, day) - cited)
                certainty = Certainty(CertaintyLevel.INFERRED, RULE_WORDS)
                links[node.id] = Edge(p.node.id, EdgeKind.REFERS_TO, node.id, props, cited | read, certainty)
        return list(links.values())


class _Dictionary:
    """The NPD dictionary as the words table reads it (items, their data sets, concepts' aliases), read from the
    store once per import."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.items = {node.id: node for node in store.all_nodes(NodeKind.DATA_ITEM)}
        self.datasets = {node.id: node for node in store.all_nodes(NodeKind.DATASET)}
        self._held: dict[str, set[str]] = {}
        self._reached: dict[str, list[Node]] = {}
        self._represents: dict[tuple[str, str], frozenset[Citation]] = {}  # (concept, item): the link's sources
        self._placed: dict[str, set[Citation]] = {}  # item: what its HOLDS links cite (a dictionary or rule's rows)
        for hop in store.expand(list(self.datasets), frozenset({EdgeKind.HOLDS}), frozenset()):
            self._held.setdefault(hop.node.id, set()).add(hop.near)
            self._placed.setdefault(hop.node.id, set()).update(hop.edge.citations)

    def held_by(self, node: Node) -> set[str]:
        """The data sets holding an item (a data set: itself)."""
        return {node.id} if node.kind is NodeKind.DATASET else self._held.get(node.id, set())

    def _holders(self, item: Node) -> list[Node]:
        return [self.datasets[d] for d in sorted(self.held_by(item)) if d in self.datasets]

    def available_by(self, item: Node, day: dt.date) -> bool:
        """:func:`lineage.model.available_by`, with the data sets holding the item."""
        return available_by(item, day, self._holders(item))

    def read_for(self, item: Node, day: dt.date | None) -> frozenset[Citation]:
        """The rows read to keep an item within a statement's reach, for an auditor to check why it was: the rows
        placing it in its data sets (the dictionary's own, or an item-table rule's), and, where it was checked against
        ``day``, those :meth:`available_by` reads: its first year's (its own row, else those of the data sets giving
        the year it takes, whose names give their years: :func:`lineage.model.first_year_read`) and when the data
        sets whose release lag it takes release their data (the timetable's: :func:`lineage.model.release_lag_read`).
        An item with no first year at all is assumed available, no lag read: no timetable row is cited for it.
        """
        if item.kind is not NodeKind.DATA_ITEM:
            return frozenset()
        read = set(self._placed.get(item.id, ()))
        if day is None:
            return frozenset(read)
        holders = self._holders(item)
        first, giving = first_year_read(item, holders)
        if first is None:
            return frozenset(read)
        if giving:
            read.update(c for d in giving for c in own_rows(d))
        else:  # its own first year, its own row's
            read |= item.citations
        _, timing = release_lag_read(holders)
        read.update(c for d in timing for c in timing_rows(d))
        return frozenset(read)

    def basis(self, meaning: Meaning, node: Node) -> frozenset[Citation]:
        """The sources that make ``node`` what the words mean, beside the statement's and the table's: the link
        making an item an alias of the concept meant, the item's own rows where a class of items is meant (the
        dictionary's attributes the class reads), or a data set's rows naming and titling it where it is meant
        (:func:`importers.npd.own_rows`: not the note stating its old tier, nor when its data are released, which
        no data set's link checks)."""
        if meaning.item_class is not None:
            return node.citations
        if node.kind is NodeKind.DATASET:
            return frozenset(own_rows(node))
        return self._represents.get((meaning.target, node.id), frozenset())

    def reach(self, meaning: Meaning) -> list[Node]:
        """The items (or the data set) a row of the words table means, before any limit."""
        if meaning.item_class is not None:
            return [item for item in self.items.values() if meaning.item_class.holds(item)]
        if meaning.target not in self._reached:  # a concept many statements mean is asked of the store once
            if kind_of(meaning.target) is NodeKind.CONCEPT:
                # a category means every concept beneath it in the category tree (narrower BROADER broader):
                # "absence and exclusion data" is the categories Absence and Exclusions, which no item represents
                below = self.store.walk([meaning.target], (frozenset(), frozenset({EdgeKind.BROADER})), CATEGORY_DEPTH)
                concepts = {meaning.target, *(link.far for level in below.links for link in level)}
                hops = self.store.expand(sorted(concepts), frozenset(), frozenset({EdgeKind.REPRESENTS}))
                items = [hop for hop in hops if hop.node.kind is NodeKind.DATA_ITEM]
                self._reached[meaning.target] = [hop.node for hop in items]
                self._represents.update(((meaning.target, hop.node.id), hop.edge.citations) for hop in items)
            else:
                self._reached[meaning.target] = list(self.store.get_nodes([meaning.target]).values())
        return self._reached[meaning.target]


class _Targets:
    """What a statement may be about, read from the store once per import."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._shares: dict[str, list[Node]] | None = None
        self._dates: dict[str, dt.date] = {}

    def _by_organisation(self) -> dict[str, list[Node]]:
        """Releases (by SENT_TO) and applications (by MADE_BY) per organisation id."""
        if self._shares is None:
            releases = self.store.all_nodes(NodeKind.RELEASE)
            applications = self.store.all_nodes(NodeKind.APPLICATION)
            by_id = {n.id: n for n in (*releases, *applications)}
            self._dates = {id_: day for id_, n in by_id.items() if isinstance(day := n.props.get("date"), dt.date)}
            shares: dict[str, list[Node]] = {}
            for hop in self.store.expand(list(by_id), frozenset({EdgeKind.SENT_TO, EdgeKind.MADE_BY}), frozenset()):
                shares.setdefault(hop.node.id, []).append(by_id[hop.near])
            self._shares = shares
        return self._shares

    def date_of(self, node_id: str) -> dt.date | None:
        """The date of a release or application a statement is about (None: an organisation, or undated)."""
        self._by_organisation()
        return self._dates.get(node_id)

    def about(self, organisation: str, reference: str, date_as_cited: str) -> tuple[str, Certainty | None]:
        """The node a statement is about, and the rule that joined it (None: the organisation itself)."""
        shares = self._by_organisation().get(organisation, [])
        if reference:
            keyed = {n.key for n in shares if n.key == reference}
            if keyed:
                return self._preferred(shares, keyed.pop()), BY_REFERENCE
        period = named_period(date_as_cited)
        if period:
            keys = {
                n.key for n in shares if isinstance(d := n.props.get("date"), dt.date) and period[0] <= d <= period[1]
            }
            if len(keys) == 1:
                return self._preferred(shares, keys.pop()), BY_DATE
        if date_as_cited:
            keys = {n.key for n in shares if _fold(str(n.props.get("date_as_cited", ""))) == _fold(date_as_cited)}
            if len(keys) == 1:
                return self._preferred(shares, keys.pop()), BY_DATE_WORDS
        return organisation, None

    @staticmethod
    def _preferred(shares: list[Node], key: str) -> str:
        """The release under a key where there is one (what a statement of items is about), else the application."""
        kinds = {n.kind: n.id for n in shares if n.key == key}
        return kinds.get(NodeKind.RELEASE) or kinds[NodeKind.APPLICATION]
