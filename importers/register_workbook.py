"""DfE's "external data shares" register workbook: one sheet per part, read through a column mapping.

The workbook (ODS as DfE publishes it, XLSX, or one sheet as CSV) could not be obtained, so its real
headers are unknown. The importer reads a canonical layout (documented in
``data/register_columns.yaml``) and the mapping file says, for the edition at hand, which part each sheet
is and which header holds each canonical column. The mapping used is the one passed to the importer,
else ``<workbook stem>.columns.yaml`` beside the workbook, else the bundled ``data/register_columns.yaml``.

Each row gives a Release (key: the reference, else ``<register slug>/<date>/<organisation slug>``, as for
``register-foi``), the Organisation it was sent to (SENT_TO, confirmed: the register lists the share),
an Approval (panel, decision date, legal gateway, access route, as the row gives them; DSAP on a
dsap sheet whose panel cell is empty) on the dsap and pre-2018 sheets or wherever the row gives an
approval fact, INCLUDES (confirmed) to each data set or item the row names that is in the store, and
INCLUDES at tier level for the old tiers it names. A name not in the store is counted as a reason, not
guessed at.

Refused with BadInput naming the sheet, the spreadsheet row and the column as headed in the sheet: a sheet the
mapping does not name, a header naming a column twice, a mapped header missing from its sheet, a date that is not a
date or is before the NPD's first data, a reference used twice, a row with neither a reference nor a date and an
organisation, a tiers cell naming no tier, a workbook whose sheets read have headers and no data rows (one such
sheet among others is read: a part may list no share in an edition). So is, naming the sheet and cell, what the
spreadsheet reader would read otherwise than the sheet shows: merged cells at or under a read sheet's header, a
shared string the workbook does not hold, a value that is not what its type says (a date serial past 9999, an ODS
date not written as ISO 8601), an ODS time cell whose words do not give its value as the reader reads them; and,
in the cells the import reads (a mapped header's column, at or under it), an error, a formula with no saved value, a
value its format shows otherwise (a percentage, read as the fraction it holds; zeros before a number, or a currency
or words beside it or a text; a date without its day or year; a time it does not show, 18:00 in dd/mm/yyyy or
seconds in h:mm, as the reader reads it, to the millisecond; a number rounded, 2.6 shown as 3, or in thousands, or
shown as a fraction other than it, 2.55 as 2 5/9; an elapsed time of a day or more, read in days; an XLSX date written
as ISO 8601 in a format showing a number; an ODS number in a date or time style; an ODS style whose maps run in a
cycle), an ODS cell with no value type or showing '#N/A', an ODS true-or-false cell whose words do not give its value
as the reader reads them ('TRUE' alone as true), or a tab; and, naming the part, a part that is not whole XML. A
broken mapping file is refused naming the mapping file, and so is one of more than :data:`MAX_MAPPING_BYTES`, or
anything but a regular file in a mapping's place beside the workbook (a FIFO, a directory, a broken symbolic link).
A run reads its mapping once."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import math
import operator
import posixpath
import re
import unicodedata
import warnings
import zipfile
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, cast
from xml.etree import ElementTree

import pandas as pd
import yaml

from importers import register
from importers.base import Batch, Importer, Report, named_sources
from importers.reading import (
    MAX_CELL,
    MAX_FILE_ENV,
    NO_DATA_ROWS,
    BadInput,
    Row,
    date_from_text,
    loose_name,
    max_file_bytes,
    parse_csv,
    read_text,
    refuse_broken_row,
    refuse_repeated_columns,
    refuse_too_large,
    refuse_unfit_cells,
)
from importers.releases import (
    Decision,
    Outcome,
    ReleaseGraph,
    Share,
    parse_tiers,
    release_key,
)
from lineage.files import read_regular
from lineage.keys import normalise
from lineage.model import ACADEMIC_YEAR_START_MONTH, CONFIRMED, FIRST_NPD_YEAR, Citation, NodeKind, node_id
from lineage.resources import DATA_DIR
from lineage.store import Store

MAPPING_FILE = DATA_DIR / "register_columns.yaml"
CANONICAL_COLUMNS = (
    "reference",
    "organisation",
    "date_approved",
    "data_requested",
    "tiers",
    "purpose",
    "legal_gateway",
    "panel",
    "access_route",
    "status",
)
PARTS = {
    "dsap": "third-party shares approved by the Data Sharing Approvals Panel",
    "agreements": "regular shares under data sharing agreements",
    "npd-pre-2018": "NPD third-party requests approved before April 2018",
    "home-office": "data shares with the Home Office",
    "police": "data shares with police and criminal investigation authorities",
    "court-orders": "data shares through court orders",
}
IGNORE = "ignore"
#: Parts whose rows are approvals by their nature (the part's own title says so).
APPROVED_PARTS = frozenset({"dsap", "npd-pre-2018"})
DEFAULT_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")
ENGINES: dict[str, Literal["odf", "openpyxl"]] = {".ods": "odf", ".xlsx": "openpyxl"}


@dataclass(frozen=True, slots=True)
class SheetMapping:
    part: str
    header_row: int = 1
    columns: Mapping[str, str] = field(default_factory=dict)  # header in the sheet -> canonical column


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    path: Path
    sheets: Mapping[str, SheetMapping]
    date_formats: tuple[str, ...] = DEFAULT_DATE_FORMATS


#: The largest column-mapping file read, in bytes. A mapping is a few kilobytes (the bundled one 3,240 bytes); its
#: YAML is parsed in pure Python at about 3.5 seconds a megabyte, and a long list beside a two-line workbook had run
#: for minutes and gigabytes (3.5 MB: 26.6 s and 300 MB; 38 MB: killed after 5 minutes at 2.4 GB).
MAX_MAPPING_BYTES = 256 * 1024


def load_mapping(path: Path) -> ColumnMapping:
    """Read and check a column-mapping file (see data/register_columns.yaml for its form): a regular file (a FIFO
    is not waited on, a directory or a device not read) of at most :data:`MAX_MAPPING_BYTES`."""
    try:
        refuse_too_large(path, "the column-mapping file", MAX_MAPPING_BYTES)
        raw = read_regular(path, MAX_MAPPING_BYTES)  # bounded still: the file may grow after its size is read
    except FileNotFoundError:
        if path.is_symlink():
            raise BadInput(path, "cannot be read as a column-mapping file: it is a symbolic link to nothing") from None
        raise BadInput(path, "no such column-mapping file") from None
    except OSError as exc:
        raise BadInput(path, f"cannot be read as a column-mapping file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
        _refuse_unplain_yaml(path, text)
        data = yaml.load(text, Loader=_OnceEach)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise BadInput(path, f"not a readable YAML mapping: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("sheets"), dict):
        raise BadInput(path, "the mapping needs a 'sheets:' table of sheet name -> part and columns")
    formats = data.get("date_formats", DEFAULT_DATE_FORMATS)
    if not isinstance(formats, list | tuple) or not all(isinstance(f, str) for f in formats):
        raise BadInput(path, "date_formats must be a list of strptime formats", column="date_formats")
    for number, form in enumerate(formats, start=1):
        _check_date_format(path, number, form)
    sheets = {str(name): _sheet_mapping(path, str(name), spec) for name, spec in data["sheets"].items()}
    return ColumnMapping(path, sheets, tuple(formats))


class _OnceEach(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping: the last had silently won (a sheet mapped
    twice took the second part; a column mapped twice was reported as not mapped at all). Each key is the text as
    written, as a sheet's name and a header are: YAML 1.1 had read the header ``No`` as False, ``On`` as True and
    the sheet ``2019.10`` as 2019.1, and the errors then named headers no one wrote."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            if isinstance(key_node, yaml.ScalarNode):
                key_node.tag = "tag:yaml.org,2002:str"
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is given twice in one mapping (lines {seen[key]} and {line})"
                )
            if isinstance(key, Hashable):
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


#: How deep a mapping file nests (the file's form: sheets, a sheet, its columns): deeper is no mapping.
MAX_MAPPING_DEPTH = 8


def _refuse_unplain_yaml(path: Path, text: str) -> None:
    """Refuse, from the parser's events (iterative, bounded), nesting past any mapping's form: a list 5,000 deep ran
    the loader out of stack. (Aliases stay: the bundled mapping uses one; what they name is checked as any value
    is, so 571 bytes of nested aliases are refused as no column's name before anything writes them out.)"""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_MAPPING_DEPTH:
                problem = f"nested over {MAX_MAPPING_DEPTH} deep at line {_line(event)}: no mapping's form is"
                raise BadInput(path, problem)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1


def _line(event: yaml.Event) -> int | str:
    return event.start_mark.line + 1 if event.start_mark else "?"


def _check_date_format(path: Path, number: int, form: str) -> None:
    """Refuse a date format that cannot read back a date it writes: an unknown directive (%Q, which was blamed on
    the first cell it failed on) or one repeated (%Y twice, which raised the pattern module's own error)."""
    sample = dt.datetime(2001, 2, 3, 4, 5, 6)
    try:
        dt.datetime.strptime(sample.strftime(form), form)
    except (ValueError, re.error) as exc:
        raise BadInput(path, f"date_formats entry {number}, {form!r}: not a date format ({exc})",
                       column="date_formats") from None  # fmt: skip


def _sheet_mapping(path: Path, name: str, spec: Any) -> SheetMapping:
    where = f"sheets.{name}"
    if not isinstance(spec, dict) or spec.get("part") not in (*PARTS, IGNORE):
        raise BadInput(path, f"{where}: part must be one of {', '.join((*PARTS, IGNORE))}", column=where)
    header_row = spec.get("header_row", 1)
    if not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1:
        raise BadInput(path, f"{where}: header_row must be a row number from 1", column=where)
    columns = spec.get("columns") or {}
    if not isinstance(columns, dict):
        raise BadInput(path, f"{where}: columns must map a sheet header to a canonical column", column=where)
    if not all(isinstance(canonical, str) for canonical in columns.values()):
        raise BadInput(path, f"{where}: each header maps to a canonical column's name", column=where)
    columns = {str(header).strip(): canonical for header, canonical in columns.items()}
    unknown = sorted(set(columns.values()) - set(CANONICAL_COLUMNS))
    if unknown:
        known = ", ".join(CANONICAL_COLUMNS)
        raise BadInput(path, f"{where}: unknown canonical column(s) {', '.join(unknown)}; known: {known}", column=where)
    if spec["part"] != IGNORE and "organisation" not in columns.values():
        raise BadInput(path, f"{where}: no header is mapped to organisation", column=where)
    if len(set(columns.values())) != len(columns):
        raise BadInput(path, f"{where}: two headers map to one canonical column", column=where)
    return SheetMapping(spec["part"], header_row, columns)


@dataclass(frozen=True, slots=True)
class SheetRow(Row):
    """A row of one sheet: ``cells`` by canonical column; ``headers`` gives each one's header in the sheet."""

    sheet: str = ""
    part: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)


def _where(path: Path, sheet: str) -> str:
    return f"{path}, sheet {sheet!r}"


#: The significant digits a spreadsheet program shows and calculates a number to: a cell showing 0.3 may hold
#: 0.30000000000000004 (=0.1+0.2, saved to 17 digits), which had been read with its binary noise.
SHOWN_DIGITS = 15


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as text: a date cell as YYYY-MM-DD, a number to the :data:`SHOWN_DIGITS` a spreadsheet
    shows (a whole one without ".0"), empty as ""."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        shown = float(f"{value:.{SHOWN_DIGITS}g}")
        return str(int(shown)) if shown.is_integer() else str(shown)
    return str(value)


def read_workbook(path: Path, mapping: ColumnMapping | None = None) -> dict[str, list[list[str]]]:
    """Every sheet of an ODS or XLSX workbook, or a CSV as one sheet named after the file, as rows of stripped
    text; list index i is spreadsheet row i + 1. A workbook's cells are refused as a CSV's are (by
    :func:`refuse_unfit_cells`, before stripping), each naming its sheet, row and column (as its row 1 heads it);
    so are merged cells reaching a sheet's header row or the rows under it (:func:`_refuse_merged`), in a sheet
    ``mapping`` reads (in every sheet without one)."""
    suffix = path.suffix.lower()
    engine = ENGINES.get(suffix)
    if suffix == ".csv":
        tables = {path.stem: parse_csv(path, read_text(path))}
    elif engine is None:
        raise BadInput(path, "not an ODS, XLSX or CSV file (by its extension)")
    else:
        try:
            merged = _refuse_unsafe_archive(path, suffix, mapping)
            frames = _read_sheets(path, engine)
        except BadInput:
            raise
        except Exception as exc:  # the reader's own words, or what failed where it gives none (out of memory)
            raise BadInput(path, f"cannot be read as {suffix[1:].upper()}: {str(exc) or type(exc).__name__}") from None
        tables = {
            str(name): [[_cell_text(v) for v in row] for row in frame.itertuples(index=False)]
            for name, frame in frames.items()
        }
        _refuse_merged(path, merged, mapping)
        for sheet, table in tables.items():
            for number, cells in enumerate(table, start=1):
                refuse_unfit_cells(_where(path, sheet), number, cells, table[0])
    return {sheet: [[cell.strip() for cell in cells] for cells in table] for sheet, table in tables.items()}


#: openpyxl's warning that a cell formatted as a date holds a serial beyond any date (99999999, 1e400): it then
#: reads the cell as an error, which the frame gives as empty, so a share lost its date with no word.
_NO_DATE = re.compile(r"Cell (\S+) is marked as a date but the serial value (\S+) is outside the limits for dates")


def _read_sheets(path: Path, engine: Literal["odf", "openpyxl"]) -> dict[str, pd.DataFrame]:
    """Every sheet of a workbook as the reader lays it out, read one by one so that a cell formatted as a date and
    holding no date (:data:`_NO_DATE`) is refused naming its sheet and cell."""
    frames = {}
    with pd.ExcelFile(path, engine=engine) as book, warnings.catch_warnings():
        warnings.filterwarnings("error", message=_NO_DATE.pattern, category=UserWarning)
        for name in book.sheet_names:
            try:
                frames[str(name)] = pd.read_excel(book, sheet_name=name, header=None, dtype=object)
            except UserWarning as warned:
                if not (found := _NO_DATE.match(str(warned))):
                    raise
                cell, serial = found.groups()
                raise BadInput(
                    _where(path, str(name)),
                    f"cell {cell} is formatted as a date but holds {serial[:40]}, which is no date (days since 1900"
                    " past the year 9999): correct it, or type the date",
                ) from None
    return frames


#: A merged range as written ("B2:B4") and the last row it reaches; of a sheet's merged ranges, the first reaching
#: furthest down is kept (a part of 128 MB may merge some millions of ranges, and one decides).
Merge = tuple[str, int]
Merged = dict[str, Merge]


def _refuse_merged(path: Path, merged: Merged, mapping: ColumnMapping | None) -> None:
    """Refuse merged cells that reach a read sheet's header row or the rows under it: the reader gives a merged
    range's value to its first cell alone and reads the others as empty, so an organisation merged over the rows of
    its shares was given to the first share alone, and the others were imported as sent to no organisation named.
    A merged title above the header is read, as is any merge in a sheet the mapping ignores."""
    for sheet, (written, last_row) in merged.items():
        first_read = _first_row_read(sheet, mapping)
        if first_read is not None and last_row >= first_read:
            first = written.partition(":")[0]
            raise BadInput(
                _where(path, sheet),
                f"cells {written} are merged: the reader gives their value to {first} alone and reads the other"
                " cells as empty (a share would lose its organisation or date); unmerge them and type the value"
                " in each cell",
            )


def _first_row_read(sheet: str, mapping: ColumnMapping | None) -> int | None:
    """The first row of ``sheet`` an import reads, its header row (row 1 in a sheet the mapping does not name:
    it is refused, and may be mapped); None in a sheet the mapping ignores."""
    spec = mapping.sheets.get(sheet) if mapping is not None else None
    if spec is not None and spec.part == IGNORE:
        return None
    return spec.header_row if spec is not None else 1


@dataclass(slots=True)
class _CellsRead:
    """Which cells of a sheet an import reads, where a value the reader reads otherwise is judged: from its header row
    (:func:`_first_row_read`) on, those under a header the mapping names, as the header row's XML words it (a shared
    or inline string, a saved value, an ODS cell's paragraphs over each column it repeats to), matched loosely
    (spaces and case aside: never fewer columns than the reader's exact match). Every column where the mapping names
    no headers for the sheet, or where not all of them are found so (the reader words some headers otherwise, a
    date's). A column the mapping does not name ("Share of year" shown as a percentage) had stopped the import."""

    header_row: int | None
    headers: frozenset[str] | None  # loosely; None: every column
    found: list[tuple[int, int, str]] = field(default_factory=list)  # first column, past its last, header loosely
    every: bool | None = None  # below the header row, whether every column is read (known once the header is)

    @classmethod
    def of(cls, sheet: str, mapping: ColumnMapping | None) -> _CellsRead:
        spec = mapping.sheets.get(sheet) if mapping is not None else None
        headers = frozenset(map(loose_name, spec.columns)) if spec is not None else None
        return cls(_first_row_read(sheet, mapping), headers)

    def header(self, column: int, count: int, words: str) -> None:
        """See the header row's cell of ``count`` columns from ``column`` (from 1) and its ``words``."""
        if self.headers is not None and (loose := loose_name(words)) in self.headers:
            self.found.append((column, column + count, loose))

    def judged_row(self, first: int, count: int) -> int:
        """The row a row repeated ``count`` times from ``first`` (an ODS row's ``number-rows-repeated``) is judged as:
        the header row where it is among them (its copies under it are read as it is), else the first. A header row
        among repeated rows had not been seen, and every column under it was judged, as if none of its headers were
        found."""
        if self.header_row is not None and first <= self.header_row < first + count:
            return self.header_row
        return first

    def reads(self, row: int, column: int, count: int = 1) -> bool:
        """Whether the import reads the cell of ``count`` columns from ``column`` (from 1) in ``row``."""
        if self.header_row is None or row < self.header_row:
            return False
        if row > self.header_row and self.every is None:
            self.every = self.headers is None or not self.headers <= {loose for *_, loose in self.found}
        if self.headers is None or (row > self.header_row and self.every):
            return True
        return any(first < column + count and column < past for first, past, _ in self.found)


def _refuse_unsafe_archive(path: Path, suffix: str, mapping: ColumnMapping | None) -> Merged:
    """Refuse a workbook before the reader unpacks or lays out any of it: both formats are zip archives of XML.
    Its parts may unpack to more bytes than an import reads (a few kilobytes can unpack to gigabytes; the sizes
    are the archive's own word, which Python's zipfile, under openpyxl and odfpy, holds each part to), or a sheet
    may span more than :data:`MAX_SHEET_CELLS` (read from its XML, streamed, once the parts are bounded). Gives each
    sheet's merged range reaching furthest down, for :func:`_refuse_merged`."""
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(part.file_size for part in archive.infolist())
        limit = max_file_bytes()
        if unpacked > limit:
            problem = f"its parts unpack to {unpacked:,} bytes; an import reads at most {limit:,} (${MAX_FILE_ENV})"
            raise BadInput(path, problem)
        if suffix == ".xlsx":
            sheets = _sheet_parts(archive)  # the workbook's relationships, read once for both checks
            held = set(archive.namelist())
            if missing := [
                name for name in sheets if name not in held
            ]:  # the reader said "Sheet name is an empty list"
                raise BadInput(path, f"the workbook names sheet part(s) it does not hold: {', '.join(missing)}")
            spans = _xlsx_spans(archive, sheets, mapping)
        else:
            content = _parsed(archive, "content.xml", ("start", "end"))
            spans = list(_ods_spans(content, _ods_formats(archive), mapping))
        named = list(sheets.values()) if suffix == ".xlsx" else [sheet for sheet, *_ in spans]
        if twice := sorted({name for name in named if named.count(name) > 1}):
            # the reader gives one sheet a name: the other was read as the first, and its rows were lost
            raise BadInput(path, f"the workbook names more than one sheet {', '.join(map(repr, twice))}")
        for sheet, rows, columns, _, _ in spans:
            if rows * columns > MAX_SHEET_CELLS:
                problem = f"{rows:,} rows by {columns:,} columns, over the {MAX_SHEET_CELLS:,} cells an import lays out"
                raise BadInput(path, f"sheet {sheet!r} spans {problem}")
        for sheet, _, _, unread, _ in spans:
            if unread and (suffix == ".ods" or sheet in sheets):
                raise BadInput(_where(path, sheet if suffix == ".ods" else sheets[sheet]), unread)
        if suffix == ".ods":
            # a few bytes (<text:s text:c="100000000"/>) the reader writes out in full: refused before it does
            widest, total = _ods_spaces(archive)
            if widest > MAX_CELL:
                raise BadInput(path, f"a cell names {widest:,} spaces; the limit of a cell is {MAX_CELL:,} characters")
            if total > limit:
                raise BadInput(path, f"its cells name {total:,} spaces in all; an import reads at most {limit:,} bytes")
        return {
            sheet if suffix == ".ods" else sheets[sheet]: merge
            for sheet, _, _, _, merge in spans
            if merge and (suffix == ".ods" or sheet in sheets)
        }


#: The most cells a sheet may span, rows times columns as the reader lays them out (every row padded to the
#: widest): the register's sheets span some thousands; a few kilobytes can name one cell at row 200,000, column
#: 16,000 (or an ODS cell repeated as often), which the reader padded into gigabytes.
MAX_SHEET_CELLS = 5_000_000
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _parsed(
    archive: zipfile.ZipFile, name: str, events: Sequence[Literal["start", "end"]] = ("end",)
) -> Iterator[tuple[str, ElementTree.Element]]:
    """The parse events of one XML part of a workbook, refusing a part that is not whole XML by its name: one cut
    short (a truncated xl/sharedStrings.xml) had been refused as "no element found: line 1, column 378", naming no
    part of the file."""
    with archive.open(name) as part:
        try:
            yield from ElementTree.iterparse(part, events=events)
        except ElementTree.ParseError as exc:
            raise ValueError(
                f"its part {name[:80]} is not whole XML ({exc}): the file is damaged or cut short"
            ) from None


def _xlsx_spans(
    archive: zipfile.ZipFile, sheets: Mapping[str, str], mapping: ColumnMapping | None
) -> list[tuple[str, int, int, str | None, Merge | None]]:
    """Each XLSX sheet's extent, to its last row and cell (:func:`_xlsx_span`), in every part the workbook names as
    a sheet (``sheets``, under any name: xl/other/s.dat) and every XML part besides; a value the reader reads
    otherwise (an error, a format's) is judged in the cells ``mapping`` reads (:class:`_CellsRead`)."""
    spans, strings, formats = [], _shared_strings(archive), _xlsx_formats(archive)
    for name in dict.fromkeys([*sheets, *(n for n in archive.namelist() if n.lower().endswith(".xml"))]):
        read = _CellsRead.of(sheets.get(name, name), mapping)
        spans.append((name, *_xlsx_span(_parsed(archive, name, ("start", "end")), strings, formats, read)))
    return spans


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """The parts the workbook's relationships name as its sheets, as paths in the archive (a target relative to
    xl/, "./worksheets/sheet1.xml" or "../xl/...", or absolute), each with the name the workbook gives its sheet
    (the part's path where it gives none)."""
    rels = "xl/_rels/workbook.xml.rels"
    if rels not in archive.namelist():
        return {}
    parts = {}
    for _, element in _parsed(archive, rels):
        if element.tag.endswith("}Relationship") and element.get("Type", "").endswith("/worksheet"):
            target = element.get("Target", "")
            joined = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            parts[element.get("Id", "")] = posixpath.normpath(joined)
    names = {}
    if "xl/workbook.xml" in archive.namelist():
        for _, element in _parsed(archive, "xl/workbook.xml"):
            if element.tag.endswith("}sheet"):
                names[element.get(_RELATIONSHIP_ID, "")] = element.get("name", "")
    return {target: names.get(id_) or target for id_, target in parts.items()}


_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _typed_part(archive: zipfile.ZipFile, content_type: str) -> str | None:
    """The part the workbook's content types name for ``content_type``, as the reader finds it; None where they name
    none, or the part is not there."""
    if "[Content_Types].xml" not in archive.namelist():
        return None
    for _, element in _parsed(archive, "[Content_Types].xml"):
        if element.tag.endswith("}Override") and element.get("ContentType") == content_type:
            part = element.get("PartName", "").lstrip("/")
            return part if part in archive.namelist() else None
    return None


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The shared strings the workbook holds, in the part its content types name for them (none where there is
    none)."""
    if (part := _typed_part(archive, _SHARED_STRINGS_TYPE)) is None:
        return []
    strings = []
    for _, element in _parsed(archive, part):
        if element.tag.endswith("}si"):
            strings.append(_string_words(element))
            element.clear()
    return strings


def _string_words(item: ElementTree.Element | None) -> str:
    """The words of a shared or an inline string (``<si>``, ``<is>``) as the reader reads them: its text, or its
    runs' texts, and not its phonetic guide's."""
    if item is None:
        return ""
    return "".join(text.text or "" for text in (*item.iterfind("{*}t"), *item.iterfind("{*}r/{*}t")))


_STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
#: What a number format's code shows as it is written: "text" in quotes, a character after a backslash, and a
#: currency's symbol in a locale's brackets ([$£-809]); and what it lays out rather than shows (the width of a
#: character after _, a fill after *).
_LITERAL = re.compile(r'"([^"]*)"|\\(.)|\[\$([^-\]]*)[^\]]*\]|[_*].')
#: What a number format shows around a number without changing what it says: a sign, brackets for a negative
#: number, spaces, the separators of its digits.
_DECORATION = frozenset(" \u00a0-+()/:.,")


#: A condition on the value a format shows, as an XLSX section ([>=100]) or an ODS style:map (value()>=100) gives
#: it: the comparison and the number compared with.
Condition = tuple[str, float]
_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "=": operator.eq, "<>": operator.ne,
    "!=": operator.ne,
}  # fmt: skip
_CONDITION = r"(<=|>=|<>|!=|<|>|=)\s*(-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)"


#: Decimal places past any number a spreadsheet holds, to its first digit or its last (1.8e308, 5e-324): a format's
#: places, and the powers of ten it divides by, are counted to them (its code may name a million).
_PAST_ANY_DOUBLE = 340


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """What a cell's number format shows besides the number or date the reader reads: ``where`` names the format
    as a refusal quotes it (an XLSX format's code, or what an ODS cell shows)."""

    where: str
    percentage: bool = False
    digits: int = 1  # the fewest digits shown before the point: more pads a shorter number with zeros
    beside: str = ""  # what is shown beside the number: a currency's symbol, words
    date_lacks: tuple[str, ...] = ()  # of a date: "day", "year"
    #: The formats some values are shown in instead, each with its condition, the first that holds applying: an
    #: XLSX format's sections (0;-0;"nil" shows "nil" for 0 alone), an ODS data style's style:map.
    otherwise: tuple[tuple[Condition, NumberFormat], ...] = ()
    text_beside: str = ""  # what an XLSX format's text section shows beside a text ("Ref "@)
    #: The decimal places a number is shown to (of its mantissa, in a scientific format): "0" rounds 2.6 to 3.
    #: None where the format shows the digits a number holds (General).
    places: int | None = None
    divided_by: Decimal = Decimal(1)  # what a number is shown divided by (#,##0, shows 1,234,567 as 1,235)
    #: A scientific format's integer digits, and whether its exponent steps by them (##0.0E+0, engineering).
    scientific: tuple[int, bool] | None = None
    elapsed: bool = False  # an XLSX time the reader reads as an elapsed time ([h]:mm:ss): in days and hours
    unshown: str = ""  # why no one can say what the format shows (an ODS style whose maps run in a cycle)
    #: Of a date or time format, the finest part of a time it shows (a day for dd/mm/yyyy, a minute for h:mm): the
    #: reader reads a time to the millisecond, shown or not. None for a format showing no date or time.
    time_shown_to: dt.timedelta | None = None
    fraction: FractionShown | None = None  # how a fraction format (# ?/?) shows a number

    @property
    def hides(self) -> bool:
        shown = self.percentage or self.digits > 1 or bool(self.beside) or bool(self.date_lacks)
        rounds = self.places is not None or self.elapsed or bool(self.unshown) or self.fraction is not None
        dated = self.time_shown_to is not None  # a time the cell holds may be hidden: judged by the value held
        return shown or rounds or dated or bool(self.text_beside) or any(other.hides for _, other in self.otherwise)

    def rounded(self, number: Decimal) -> tuple[Decimal, Decimal]:
        """``number`` as the format shows it, rounded as a spreadsheet program rounds (a half away from zero),
        and the step it is rounded to (1 for "0", 0.1 for "0.0", 10 for 1234.5 in "0.00E+00")."""
        if self.places is None or not number:
            return number, Decimal(0)
        step = self.divided_by.scaleb(-min(self.places, _PAST_ANY_DOUBLE))
        if self.scientific is not None:
            width, stepped = self.scientific
            magnitude = number.adjusted()
            exponent = magnitude // width * width if stepped else magnitude - (width - 1)
            step = Decimal(1).scaleb(exponent - self.places)
        return (number / step).to_integral_value(ROUND_HALF_UP) * step, step

    def for_value(self, value: float) -> NumberFormat:
        """The format ``value`` is shown in (:attr:`otherwise`), named as this one is."""
        for (comparison, bound), other in self.otherwise:
            if _COMPARISONS[comparison](value, bound):
                return dataclasses.replace(other.for_value(value), where=self.where)
        return self


@dataclass(frozen=True, slots=True)
class FractionShown:
    """How a fraction format shows a number: as the nearest fraction whose denominator is at most ``denominator``
    (9 for # ?/?: 2.55 as 2 5/9), or over ``denominator`` alone where it is ``fixed`` (16 for # ??/16); after its
    ``whole`` part (2 5/9), or not (?/?: 23/9)."""

    denominator: int
    fixed: bool = False
    whole: bool = True

    def of(self, number: float) -> Fraction:
        """``number`` as the format shows it (a half over a fixed denominator rounded away from zero)."""
        held = Fraction(abs(number))
        if self.fixed:
            shown = Fraction(math.floor(held * self.denominator + Fraction(1, 2)), self.denominator)
        else:
            shown = held.limit_denominator(self.denominator)
        return -shown if number < 0 else shown

    def words(self, shown: Fraction) -> str:
        """``shown`` in the format's words: 2 5/9, 23/9, 8/16."""
        denominator = self.denominator if self.fixed else shown.denominator
        numerator = int(abs(shown) * denominator)
        whole, numerator = divmod(numerator, denominator) if self.whole else (0, numerator)
        parts = [str(whole)] * bool(whole or not numerator) + [f"{numerator}/{denominator}"] * bool(numerator)
        return "-" * (shown < 0) + " ".join(parts)


def _xlsx_format(code: str) -> NumberFormat:
    """What an XLSX number format's code shows besides its number or date (:class:`NumberFormat`), section by
    section: the first for positive numbers and zero, the second for negative ones, the third for zero (with
    conditions, [>=100]0;0.0, the first whose condition holds), and a text section (with @) for a text alone."""
    from openpyxl.styles.numbers import is_date_format, is_timedelta_format  # the reader's own tests

    where = f"number format {code[:80]!r}"
    sections = _sections(code)
    numbers = [section for section in sections if not _TEXT_SECTION.fullmatch(_LITERAL.sub("", section))]
    text = "".join(_xlsx_section(s, where, False).beside for s in sections if s not in numbers)
    is_date, elapsed = is_date_format(code), is_date_format(code) and is_timedelta_format(code)
    shown = [_xlsx_section(section, where, is_date, elapsed) for section in numbers] or [NumberFormat(where)]
    conditions = [_condition(section) for section in numbers]
    if not any(conditions[:2]) and len(numbers) > 1:  # Excel's own: positive and zero; negative; zero
        defaults: list[Condition | None] = [(">=", 0.0)] if len(numbers) == 2 else [(">", 0.0), ("<", 0.0)]
        conditions = [*defaults, None][: len(numbers)]
    otherwise = tuple((condition, format_) for condition, format_ in zip(conditions, shown, strict=False) if condition)
    last = next((format_ for condition, format_ in zip(conditions, shown, strict=False) if not condition), shown[-1])
    return dataclasses.replace(last, otherwise=otherwise + last.otherwise, text_beside=text)


#: A section for a text: an @ and no place for a digit (openpyxl's table writes built-in format 44 without its ';').
_TEXT_SECTION = re.compile(r"[^0#?]*@[^0#?]*")


def _sections(code: str) -> list[str]:
    """An XLSX number format's sections, split at each ';' neither quoted nor escaped."""
    sections, current = [], ""
    for token in re.findall(r'"[^"]*"?|\\.?|[^"\\;]+|;', code):
        if token == ";":
            sections.append(current)
            current = ""
        else:
            current += token
    return [*sections, current]


def _condition(section: str) -> Condition | None:
    found = re.search(rf"\[{_CONDITION}\]", section)
    return (found.group(1), float(found.group(2))) if found else None


def _xlsx_section(section: str, where: str, is_date: bool, elapsed: bool = False) -> NumberFormat:
    """What one section of an XLSX number format shows besides its number or date (:func:`_xlsx_format`): of a
    number, the decimal places it is rounded to or the fraction it is shown as, and of a format the reader reads as an
    ``elapsed`` time ([h]:mm:ss), that it does, whatever the section; of a date or time, the finest part of a time
    it shows."""
    literal = (found.group(1) or found.group(2) or found.group(3) or "" for found in _LITERAL.finditer(section))
    beside = "".join(literal)
    bare = re.sub(r"\[[^\]]*\]", "", _LITERAL.sub("", section))  # colours and conditions ([Red], [<0]): no text
    if elapsed:  # no date shown: one read (an ISO 8601 date cell's) is shown without its day or year
        return NumberFormat(where, date_lacks=("day", "year"), elapsed=True, time_shown_to=_xlsx_time_shown_to(section))
    if is_date:
        lower = bare.lower()
        lacks = ("day",) * (re.search(r"(?<!d)d{1,2}(?!d)", lower) is None) + ("year",) * ("y" not in lower)
        return NumberFormat(where, date_lacks=lacks, time_shown_to=_xlsx_time_shown_to(section))
    beside += "".join(ch for ch in bare if unicodedata.category(ch) == "Sc")  # a bare $ or £ is shown as it is
    mantissa = re.split(r"[eE][-+]", bare)[0]
    integer, _, decimals = mantissa.partition(".")
    # a fraction (# ?/?) is no number of decimal places; General, a text's or a word's section shows no digit
    rounds = _PLACEHOLDER.search(mantissa) is not None and "/" not in mantissa
    fraction = _xlsx_fraction(mantissa)
    whole = _fraction_whole(mantissa) if fraction is not None else integer  # a fraction's zeros pad its whole part
    thousands = re.search(r"[0#?.](,+)[^0#?]*$", mantissa)  # commas after the last digit: 1,000 each
    width = len(_PLACEHOLDER.findall(integer))
    return NumberFormat(
        where,
        percentage="%" in bare,
        digits=whole.count("0") if mantissa == bare else 1,  # a scientific number's: none
        beside="".join(ch for ch in beside if ch not in _DECORATION),
        places=len(_PLACEHOLDER.findall(decimals)) if rounds else None,
        divided_by=Decimal(1000) ** min(len(thousands.group(1)) if thousands else 0, _PAST_ANY_DOUBLE // 3),
        scientific=None if mantissa == bare else (max(width, 1), width > 1 and bool(re.search(r"[#?]", integer))),
        fraction=fraction,
    )


#: Where a number format shows a digit.
_PLACEHOLDER = re.compile(r"[0#?]")


def _xlsx_fraction(mantissa: str) -> FractionShown | None:
    """How a section of an XLSX number format shows a number as a fraction, if it does: over the denominator it
    names (# ??/16), else the nearest with as many digits as its denominator's places (# ?/?: to 9), after a whole
    part where a group of places comes before the numerator's."""
    above, slash, below = mantissa.partition("/")
    if not slash or not _PLACEHOLDER.search(above):
        return None
    whole = _PLACEHOLDER.search(_fraction_whole(mantissa)) is not None
    if fixed := re.match(r"\s*([1-9]\d*)", below):
        return FractionShown(int(fixed.group(1)), fixed=True, whole=whole)
    digits = below.lstrip()
    places = len(digits) - len(digits.lstrip("0#?"))
    return FractionShown(10 ** min(max(places, 1), SHOWN_DIGITS) - 1, whole=whole)


def _fraction_whole(mantissa: str) -> str:
    """The whole part of a section of an XLSX fraction format: what comes before its numerator's places ("00 " of
    "00 ?/?"; none of "?/?")."""
    return re.sub(r"[0#?]+\s*$", "", mantissa.partition("/")[0])


def _finest_time_shown(hours: bool, minutes: bool, second_places: int | None) -> dt.timedelta:
    """The finest part of a time a date or time format shows, of the parts it shows: a part of a second to its
    ``second_places`` (None where it shows no seconds), a minute, an hour, else a day."""
    if second_places is not None:
        return dt.timedelta(seconds=1) / int(10 ** min(max(second_places, 0), 6))
    return dt.timedelta(minutes=1) if minutes else dt.timedelta(hours=1) if hours else dt.timedelta(days=1)


def _xlsx_time_shown_to(section: str) -> dt.timedelta:
    """The finest part of a time a section of an XLSX date or time format shows (:func:`_finest_time_shown`): its
    seconds (ss, to the places after them: ss.000), minutes (an m after an h: h:mm), hours ([h], h)."""
    code = re.sub(r"\[([hms])\1*\]", r"\1", _LITERAL.sub("", section).lower())  # [h]: hours, elapsed
    code = re.sub(r"\[[^\]]*\]|am/pm|a/p", "", code)
    parts = [found.group(0) for found in re.finditer(r"([a-z])\1*|\.0+", code)]
    letters = [part[0] for part in parts]
    places = next((len(part) - 1 for part in parts if part.startswith(".")), 0)
    minutes = any(letter == "m" and letters[at - 1 : at] == ["h"] for at, letter in enumerate(letters))
    return _finest_time_shown("h" in letters, minutes, places if "s" in letters else None)


def _xlsx_formats(archive: zipfile.ZipFile) -> dict[str, NumberFormat]:
    """The cell styles (``s``, numbered from 0 in the styles part's cellXfs) whose number format shows something
    besides the number the reader reads (:class:`NumberFormat`), each with its format."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    if (part := _typed_part(archive, _STYLES_TYPE)) is None:
        return {}
    codes: dict[str, str] = {str(number): code for number, code in BUILTIN_FORMATS.items()}
    styles = {}
    for _, element in _parsed(archive, part):
        local = element.tag.rpartition("}")[2]
        if local == "numFmt":
            codes[element.get("numFmtId", "")] = element.get("formatCode", "")
        elif local == "cellXfs":
            read: dict[str, NumberFormat] = {}  # each format read once, however many styles name it
            for index, xf in enumerate(xf for xf in element if xf.tag.endswith("}xf")):
                code = codes.get(xf.get("numFmtId", "0"), "General")
                if code not in read:
                    read[code] = _xlsx_format(code)
                if read[code].hides:
                    styles[str(index)] = read[code]
    return styles


#: A date or time as the reader reads it: a date, a date and time, a time of day, an elapsed time.
Moment = dt.date | dt.time | dt.timedelta


def _moment_shown_otherwise(reference: str, read: Moment, shown: NumberFormat) -> str | None:
    """Why a date or time cell is refused whose format shows it otherwise than the reader reads it (``read``, by the
    reader's own conversion, rounding included), if it does; both formats. A date shown as May-19 had been read as
    2019-05-01, a day the sheet does not give, and 25:30:00 (an elapsed time) as '1 day, 1:30:00'; round fifteen: a
    time the format does not show (18:00 in dd/mm/yyyy, 14:30:15 in h:mm) read with the rest, and a time just under a
    day (23:59:59.9999) read as the next day ('1 day, 0:00:00', or 1900-01-01 in h:mm) though shown as a time."""
    if shown.date_lacks and isinstance(read, dt.date):
        lacks = " or ".join(shown.date_lacks)
        return (
            f"cell {reference} shows a date without its {lacks} ({shown.where}) where the reader reads a whole date,"
            f" with a {lacks} the sheet does not show: type the date whole, or as text"
        )
    if isinstance(read, dt.timedelta) and not dt.timedelta(0) <= read < dt.timedelta(days=1):
        return (
            f"cell {reference} holds an elapsed time read as {read / dt.timedelta(hours=1):.{SHOWN_DIGITS}g} hours"
            f" ({shown.where}), which the reader gives in days and hours, as {_cell_text(read)!r}: type the time as"
            " text"
        )
    time = _time_of(read)
    if shown.time_shown_to is not None and time % shown.time_shown_to:
        finest = _TIME_PARTS.get(shown.time_shown_to, f"{shown.time_shown_to.total_seconds():g} second")
        return (
            f"cell {reference} holds the time {time}, which its format shows only to the {finest} ({shown.where}),"
            " where the reader reads it whole: type the value as shown, or give the cell a format showing its time"
        )
    return None


_TIME_PARTS = {dt.timedelta(days=1): "day", dt.timedelta(hours=1): "hour", dt.timedelta(minutes=1): "minute",
               dt.timedelta(seconds=1): "second"}  # fmt: skip


def _time_of(read: Moment) -> dt.timedelta:
    """The time a date or time gives: of its day (none of a date alone), or the elapsed time itself."""
    if isinstance(read, dt.timedelta):
        return read
    if isinstance(read, dt.datetime | dt.time):
        return dt.timedelta(hours=read.hour, minutes=read.minute, seconds=read.second, microseconds=read.microsecond)
    return dt.timedelta(0)


def _shown_otherwise(reference: str, given: str, shown: NumberFormat) -> str | None:
    """Why a cell is refused whose format shows its number otherwise than the reader reads it, if it does; both
    formats. The reader reads the number a cell holds, never what it shows: a cell showing 25% had been read as
    0.25, 000123 (a reference's zeros) as 123, £1,234.50 as 1234.5 (an amount as a bare number), 3 (2.6 in the
    format "0") as 2.6, and (round fifteen) 2 5/9 (2.55 in the format "# ?/?") as 2.55."""
    if shown.percentage:
        return (
            f"cell {reference} shows the percentage {float(given) * 100:.{SHOWN_DIGITS}g}% where the reader reads the"
            f" number {given[:40]}: type the percentage as text"
        )
    if shown.beside:
        return (
            f"cell {reference} holds the number {given[:40]} shown with {shown.beside[:40]!r} beside it"
            f" ({shown.where}), which the reader drops: type the value as text"
        )
    if shown.digits > 1 and shown.digits > len(str(int(abs(float(given))))):  # 123456 in 000000 is shown as it is
        return (
            f"cell {reference} holds the number {given[:40]} shown with zeros before it to {shown.digits} digits"
            f" ({shown.where}), which the reader drops: type the value as text (a reference keeps its zeros)"
        )
    if shown.fraction is not None:
        fraction = shown.fraction.of(float(given))
        if _cell_text(float(fraction)) != _cell_text(float(given)):  # 1/3 shows 0.333333333333333 (to 15 digits)
            return (
                f"cell {reference} holds the number {_cell_text(float(given))}, which its format shows as the fraction"
                f" {shown.fraction.words(fraction)} ({shown.where}), where the reader reads {_cell_text(float(given))}:"
                " type the value as shown, or give the cell a format showing its every digit"
            )
    if shown.places is None:  # shown with the digits it holds, as the reader reads it
        return None
    read = Decimal(_cell_text(float(given)))
    rounded, step = shown.rounded(read)
    if rounded != read:
        return (
            f"cell {reference} holds the number {read}, which its format shows rounded to the nearest {step:f}, as"
            f" {rounded:f} ({shown.where}), where the reader reads {read}: type the value as shown, or give the cell"
            " a format showing its every digit"
        )
    return None


#: The types an XLSX cell may give (``t``): any other the reader read as text; a true-or-false value other than
#: 0 or 1 as true, and a number that is none was refused in its words alone, naming no sheet or cell.
_XLSX_TYPES = frozenset({"b", "d", "e", "inlineStr", "n", "s", "str"})


def _no_number(reference: str, given: str) -> str | None:
    """Why a cell's number cannot be read, if it cannot: it is none, or infinite (read as 'inf'). Both formats."""
    try:
        if math.isfinite(float(given)):
            return None
    except ValueError:
        pass
    return f"cell {reference} gives the number {given[:40]!r}, which is no finite number"


def _no_date(reference: str, given: str) -> str | None:
    """Why a cell's date cannot be read, if it cannot: it is not written as ISO 8601, as both formats write one."""
    if _iso_date(given):
        return None
    return f"cell {reference} gives the date {given[:40]!r}, not a date written as ISO 8601 (YYYY-MM-DD)"


def _unread_cell(
    cell: ElementTree.Element, reference: str, strings: int, formats: Mapping[str, NumberFormat], judged: bool
) -> str | None:
    """Why an XLSX cell's value cannot be read, if it cannot: the reader takes an error (#VALUE!, #N/A) and a
    formula the saving program never calculated for an empty cell, so the row would say its source named nothing;
    it reads shared string -1 as the last of the ``strings`` the workbook holds (another cell's words), and
    one past them as an error that names no sheet or cell; and it reads a number or date in a style of ``formats`` as
    it holds it, not as the style shows it (:func:`_shown_otherwise`). What the reader reads as another value (an
    error, a formula's, a format's) is ``judged`` where the import reads the cell alone; what it cannot read at all,
    everywhere."""
    children = {child.tag.rpartition("}")[2]: child for child in cell}
    saved = children["v"].text if "v" in children else None
    if cell.get("t") == "e":
        return _error_cell(reference, saved) if judged else None
    if cell.get("t") == "s" and saved is not None:
        try:
            index: int | None = int(saved)
        except ValueError:
            index = None
        if index is None or not 0 <= index < strings:
            return (
                f"cell {reference} gives shared string {saved[:40]!r}, where the workbook holds {strings:,}"
                " (numbered from 0): the file is damaged, or was not written by a spreadsheet program"
            )
    kind = cell.get("t", "n")
    if kind not in _XLSX_TYPES:
        return f"cell {reference} gives the type {kind[:40]!r}, which a workbook does not have"
    if saved is not None and kind == "b" and saved.strip() not in ("0", "1"):
        return f"cell {reference} gives the true-or-false value {saved[:40]!r}, which is neither 0 nor 1"
    if saved is not None and kind == "n" and (why := _no_number(reference, saved)):
        return why
    if saved is not None and kind == "d" and (why := _no_date(reference, saved)):
        return why
    shown = formats.get(cell.get("s", "0")) if judged else None
    if shown and (why := _xlsx_shown_otherwise(reference, kind, saved, shown)):
        return why
    if judged and "f" in children and not saved and cell.get("t") != "str":  # a formula's empty text: t="str"
        return (
            f"cell {reference} holds a formula with no saved value (the program that saved the workbook did not "
            "calculate it): open and save it in a spreadsheet program, or type the value"
        )
    return None


#: The day before an XLSX date serial's day 1 (1900-01-01, counting Excel's 29 February 1900): its serials past 60.
_SERIAL_ZERO = dt.datetime(1899, 12, 30)


def _xlsx_shown_otherwise(reference: str, kind: str, saved: str | None, shown: NumberFormat) -> str | None:
    """Why an XLSX cell of a readable ``kind`` and value is refused for what its format shows of it, if it is: a
    number or date as the format's section for its value shows it (:func:`_shown_otherwise`,
    :func:`_moment_shown_otherwise`), a date written as ISO 8601 (``t="d"``) in a format showing a number, a text
    (shared, inline or a formula's) with the words its text section shows beside it ("Ref "@), which the reader
    drops."""
    if kind in ("n", "d") and saved:
        serial = float(saved) if kind == "n" else (dt.datetime.fromisoformat(saved) - _SERIAL_ZERO) / dt.timedelta(1)
        shown = shown.for_value(serial)
        if shown.time_shown_to is not None:
            read = _xlsx_moment(kind, saved, shown.elapsed)
            return _moment_shown_otherwise(reference, read, shown) if read is not None else None
        if kind == "d":  # had been refused as "cannot be read as XLSX: could not convert string to float"
            return (
                f'cell {reference} holds the date {saved[:40]} (written as ISO 8601, t="d") in a format showing a'
                f" number ({shown.where}), so the sheet shows it as a count of days where the reader reads the date:"
                " give the cell a date format, or type the number it shows"
            )
        return _shown_otherwise(reference, saved, shown)
    if kind in ("s", "inlineStr", "str") and shown.text_beside:
        return (
            f"cell {reference} holds a text shown with {shown.text_beside[:40]!r} beside it ({shown.where}), which"
            " the reader drops: type those words in the cell, or give it a format without them"
        )
    return None


def _xlsx_moment(kind: str, saved: str, elapsed: bool) -> Moment | None:
    """What the reader reads of an XLSX cell in a date or time format, by its own conversion: a serial to the
    millisecond (0.999999999 in h:mm read as a date, 1900-01-01; just under a day in [h]:mm:ss read as '1 day,
    0:00:00'), a date written as ISO 8601 (``t="d"``) as written. None where it reads none (a serial past the year
    9999, refused as the reader reads it: :data:`_NO_DATE`)."""
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    try:
        if kind == "d":
            return cast(Moment, from_ISO8601(saved))  # type: ignore[no-untyped-call]
        return cast(Moment, from_excel(float(saved), timedelta=elapsed))
    except (OverflowError, ValueError):
        return None


def _error_cell(reference: str, error: str | None) -> str:
    return f"cell {reference} holds the error {error or 'value'}, not a value: correct its formula or type the value"


def _xlsx_words(cell: ElementTree.Element, strings: Sequence[str]) -> str:
    """The words of an XLSX cell, for its header (:class:`_CellsRead`): its shared or inline string, else its saved
    value (a formula's text, a number as saved)."""
    if cell.get("t") == "inlineStr":
        return _string_words(cell.find("{*}is"))
    saved = cell.findtext("{*}v") or ""
    if cell.get("t") == "s":
        digits = saved.strip()
        index = int(digits) if digits.isascii() and digits.isdigit() else len(strings)
        return strings[index] if index < len(strings) else ""
    return saved


def _column_letters(column: int) -> str:
    """A spreadsheet column's letters from its number (1 is A, 27 is AA)."""
    letters = ""
    while column > 0:
        column, left = divmod(column - 1, 26)
        letters = chr(65 + left) + letters
    return letters


def _xlsx_span(
    events: Iterable[tuple[str, ElementTree.Element]],
    strings: Sequence[str],
    formats: Mapping[str, NumberFormat],
    read: _CellsRead,
) -> tuple[int, int, str | None, Merge | None]:
    """The last row and column an XLSX sheet's rows and cells reach: by their references (``<row r="200000">``,
    ``<c r="XFD200000">``: the further of a row's and its cells'), or, where a row or cell gives none, one after
    the row or cell before it, as the reader places it (a cell without its reference was not counted, so 100 of
    them after row 200,000 passed as no cells at all); and the first cell whose value cannot be read, saying why
    (:func:`_unread_cell`, of a workbook of ``strings`` shared strings and ``formats``, these in the cells the
    import reads, ``read``); and the merged range (``<mergeCell ref="B2:B4"/>``) reaching furthest down."""
    rows = columns = row = column = 0
    unread = None
    merged: Merge | None = None
    for event, element in events:
        local = element.tag.rpartition("}")[2] if "spreadsheetml" in element.tag else ""
        if event == "end" and local in ("v", "f", "is", "r", "t"):
            continue  # read with their cell, and cleared with it
        if event == "end":
            if local == "c" and unread is None:
                reference = element.get("r") or f"{_column_letters(column)}{row}"
                if row == read.header_row:
                    read.header(column, 1, _xlsx_words(element, strings))
                unread = _unread_cell(element, reference, len(strings), formats, read.reads(row, column))
            element.clear()
        elif local == "mergeCell":
            written = element.get("ref", "")
            first, _, end = written.replace("$", "").partition(":")
            last = _CELL_REF.fullmatch(end)
            reaches = _number(last.group(2), 0) if last else _PAST_ANY_LIMIT
            if end and end != first and (merged is None or reaches > merged[1]):  # "B2" or "B2:B2" merges nothing
                merged = (written, reaches)
        elif local == "row":
            number = _number(element.get("r"), row + 1)
            if number <= row and unread is None:  # the reader keeps one of two rows of a number, or drops the earlier
                unread = f"row {number} comes after row {row}: a sheet gives each row once, in order"
            row, column = number, 0
            rows = max(rows, row)
        elif local == "c":
            if found := _CELL_REF.fullmatch(element.get("r", "")):
                letters, digits = found.groups()
                placed = 0
                for letter in letters:  # A..Z, AA.. as a number base 26 from 1
                    placed = placed * 26 + ord(letter) - 64
                if placed <= column and unread is None:  # the reader keeps the last value given a cell
                    before = f"{_column_letters(column)}{row}"
                    unread = f"cell {letters}{digits} comes after cell {before} in its row: a row gives each cell once"
                column = placed
                rows = max(rows, _number(digits, row))
            else:
                column += 1
            rows, columns = max(rows, row), max(columns, column)
    return rows, columns, unread, merged


#: Past any limit: a number too large to be a row or a count of anything an import lays out.
_PAST_ANY_LIMIT = 10**9


def _number(text: str | None, otherwise: int) -> int:
    """A count or a row's number as a reader reads it (int() takes "1_000", " 8" and other scripts' digits, and a
    spreadsheet reader "3e4"), capped past any limit; ``otherwise`` where it gives none."""
    if text is None or not text.strip():
        return otherwise
    try:
        value = float(text.strip().replace("_", "")) if not text.strip().isdigit() else int(text)
    except (ValueError, OverflowError):
        return otherwise
    return int(min(value, _PAST_ANY_LIMIT)) if value == value else otherwise  # NaN names no number


def _ods_spaces(archive: zipfile.ZipFile) -> tuple[int, int]:
    """The most spaces one ODS cell's text names by count (``<text:s text:c="8"/>``, a run of 8), and all its cells'
    together: each is written out in full by the reader."""
    widest = spaces = total = 0
    rows_repeated = cells_repeated = 1  # a repeated row or cell is written out as often as it is repeated
    for event, element in _parsed(archive, "content.xml", ("start", "end")):
        if event == "start" and element.tag == f"{_TABLE}table-row":
            rows_repeated = _number(element.get(f"{_TABLE}number-rows-repeated"), 1)
        elif event == "start" and element.tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
            spaces, cells_repeated = 0, _number(element.get(f"{_TABLE}number-columns-repeated"), 1)
        elif event == "start" and element.tag == f"{_TEXT}s":
            run = _number(element.get(f"{_TEXT}c"), 1)
            spaces, total = spaces + run, total + run * rows_repeated * cells_repeated
            widest = max(widest, spaces)
        elif event == "end":
            element.clear()
    return widest, total


def _ods_spans(
    events: Iterable[tuple[str, ElementTree.Element]],
    formats: Mapping[str, NumberFormat],
    mapping: ColumnMapping | None,
) -> Iterable[tuple[str, int, int, str | None, Merge | None]]:
    """Each ODS sheet's extent, its first cell holding an error where a value should be (the reader takes
    it for an empty cell, as it does an XLSX's) or a value its cell style (its own, else its row's or its column's
    default: ``formats``) shows otherwise than the reader reads it, in the cells ``mapping`` reads
    (:class:`_CellsRead`), and the merged range (a cell spanning more than
    one row or column, ``number-rows-spanned``) reaching furthest down."""
    name, rows, columns, row, width, used, unread = "", 0, 0, 0, 0, 0, None
    merged: Merge | None = None
    column_styles: list[tuple[int, str]] = []  # each run of columns' default cell style, by the column after it
    row_style, judged_row = "", 0  # judged_row: the row the cells of the row at hand are judged as
    read = _CellsRead.of("", None)
    inside = False  # within a table: another starting there is a table inside a cell
    for event, element in events:
        if event == "start" and element.tag == f"{_TABLE}table" and inside:
            # the reader reads a table inside a cell as a sheet of its own, and its rows among this sheet's too
            inner = element.get(f"{_TABLE}name", "")
            raise ValueError(
                f"sheet {name!r} holds a table ({inner[:40]!r}) inside its cell {_column_letters(width + 1)}{row + 1}:"
                " the reader reads that table's rows as the sheet's own"
            )
        if event == "start" and element.tag == f"{_TABLE}table":
            name, rows, columns, row, unread, merged = element.get(f"{_TABLE}name", ""), 0, 0, 0, None, None
            inside, column_styles, read = True, [], _CellsRead.of(name, mapping)
        elif event == "start" and element.tag == f"{_TABLE}table-column":
            after = (column_styles[-1][0] if column_styles else 0) + min(
                _repeated(element, "columns", "")[0], _PAST_ANY_LIMIT
            )
            column_styles.append((after, element.get(f"{_TABLE}default-cell-style-name", "")))
        elif event == "start" and element.tag == f"{_TABLE}table-row":
            width = used = 0
            row_style = element.get(f"{_TABLE}default-cell-style-name", "")
            judged_row = read.judged_row(row + 1, _repeated(element, "rows", "")[0])
        elif event == "end" and element.tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
            reference = f"{_column_letters(width + 1)}{row + 1}"
            repeated, wrong = _repeated(element, "columns", f"cell {reference}")
            if judged_row == read.header_row:
                read.header(width + 1, repeated, _ods_words(element))
            judged = read.reads(judged_row, width + 1, repeated)
            if unread is None and judged and element.get(_CALC_VALUE_TYPE) == "error":
                unread = _error_cell(reference, "".join(element.itertext()).strip())
            if unread is None and element.tag == f"{_TABLE}table-cell":
                style = element.get(f"{_TABLE}style-name") or row_style or _column_style(column_styles, width)
                unread = _unread_ods_text(element, reference, formats.get(style), judged)
            unread = unread or wrong
            down = _number(element.get(f"{_TABLE}number-rows-spanned"), 1)
            across = _number(element.get(f"{_TABLE}number-columns-spanned"), 1)
            if down > 1 or across > 1:
                last = f"{_column_letters(width + min(across, _PAST_ANY_LIMIT))}{row + down}"
                if merged is None or row + down > merged[1]:
                    merged = (f"{reference}:{last}", row + down)
            width += repeated
            if len(element) or element.attrib.keys() - {f"{_TABLE}number-columns-repeated", f"{_TABLE}style-name"}:
                used = width  # holds something: the row is laid out to here
            element.clear()
        elif event == "end" and element.tag == f"{_TABLE}table-row":
            repeated, wrong = _repeated(element, "rows", f"row {row + 1}")
            unread = unread or wrong
            row += repeated
            if used:
                rows, columns = row, max(columns, used)
            element.clear()
        elif event == "end" and element.tag == f"{_TABLE}table":
            yield name, rows, columns, unread, merged
            inside = False


def _column_style(column_styles: Sequence[tuple[int, str]], column: int) -> str:
    """The default cell style of a sheet's ``column`` (from 0), of its columns' runs (:func:`_ods_spans`)."""
    at = bisect.bisect_right(column_styles, column, key=lambda run: run[0])
    return column_styles[at][1] if at < len(column_styles) else ""


_NUMBER = "{urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"


def _ods_formats(archive: zipfile.ZipFile) -> dict[str, NumberFormat]:
    """The cell styles whose data style shows a value otherwise than the reader reads it (:class:`NumberFormat`), by
    name: those of styles.xml and content.xml's own, each with the data style it names or its parent style names,
    and the data styles its style:map shows some values in instead (LibreOffice's own for a negative number's red:
    the style named shows negative numbers, and its map names the one for the others)."""
    data_styles: dict[str, NumberFormat] = {}
    maps: dict[str, list[tuple[Condition, str]]] = {}  # data style -> (condition, the data style it applies)
    cell_styles: dict[str, tuple[str, str]] = {}  # name -> (data style, parent style)
    for part in ("styles.xml", "content.xml"):
        if part not in archive.namelist():
            continue
        for event, element in _parsed(archive, part, ("start", "end")):
            if event == "start":
                if element.tag == f"{_OFFICE}body":
                    break  # the sheets: every style is given before them
                continue
            if element.tag.startswith(_NUMBER) and element.get(f"{_STYLE}name"):
                data_styles[element.get(f"{_STYLE}name", "")] = _ods_format(element)
                maps[element.get(f"{_STYLE}name", "")] = [
                    ((found.group(1), float(found.group(2))), rule.get(f"{_STYLE}apply-style-name", ""))
                    for rule in element.iter(f"{_STYLE}map")
                    if (found := re.fullmatch(rf"\s*value\(\)\s*{_CONDITION}\s*", rule.get(f"{_STYLE}condition", "")))
                ]
            elif element.tag == f"{_STYLE}style" and element.get(f"{_STYLE}family") == "table-cell":
                said = (element.get(f"{_STYLE}data-style-name", ""), element.get(f"{_STYLE}parent-style-name", ""))
                cell_styles[element.get(f"{_STYLE}name", "")] = said
    mapped, hiding = _mapped(data_styles, maps)
    formats = {}
    for name in cell_styles:
        seen, at = set(), name
        while at in cell_styles and at not in seen and not cell_styles[at][0]:
            seen.add(at)
            at = cell_styles[at][1]
        data_style = cell_styles[at][0] if at in cell_styles else ""
        if hiding.get(data_style):
            formats[name] = mapped[data_style]
    return formats


#: The most data styles an ODS data style's maps are followed through (LibreOffice maps to a style that maps none).
MAX_STYLE_MAPS = 8


def _mapped(
    data_styles: Mapping[str, NumberFormat], maps: Mapping[str, Sequence[tuple[Condition, str]]]
) -> tuple[dict[str, NumberFormat], dict[str, bool]]:
    """Each data style with the styles its maps apply (:attr:`NumberFormat.otherwise`), followed down their own maps
    (they had been followed one map deep: a percentage two maps down was read as the fraction it holds),
    and whether it shows some value otherwise than the reader reads it. A style whose maps come back to it, or run
    through more than :data:`MAX_STYLE_MAPS` styles, shows what no one can say (:attr:`NumberFormat.unshown`), as does
    one mapping to it. Walked without recursion, each style once: a part may name many thousands."""
    applied = {
        name: [(condition, style) for condition, style in maps.get(name, ()) if style in data_styles]
        for name in data_styles
    }
    mapped: dict[str, NumberFormat] = {}
    hiding: dict[str, bool] = {}
    depth: dict[str, int] = {}
    for top in data_styles:
        path, ahead = [top], [iter(applied[top])]  # the styles being followed, each with the maps it has yet to
        followed = {top}
        while path:
            name = path[-1]
            style = next((style for _, style in ahead[-1] if style not in mapped), None)
            if style in followed:
                cycle = " → ".join((*path[path.index(style) :], style))
                mapped[name] = NumberFormat("", unshown=f"data styles whose maps run in a cycle ({cycle})")
                hiding[name], depth[name] = True, 0
            elif style is not None:
                path.append(style)
                ahead.append(iter(applied[style]))
                followed.add(style)
                continue
            elif name not in mapped:
                rules = applied[name]
                depth[name] = 1 + max((depth[style] for _, style in rules), default=-1)
                shown = dataclasses.replace(data_styles[name], otherwise=tuple((c, mapped[s]) for c, s in rules))
                unshown = next((mapped[s] for _, s in rules if mapped[s].unshown), None)
                if depth[name] > MAX_STYLE_MAPS:
                    many = f"data style {name!r}, whose maps run through more than {MAX_STYLE_MAPS} styles"
                    unshown = NumberFormat("", unshown=many)
                mapped[name] = unshown or shown
                hiding[name] = unshown is not None or data_styles[name].hides or any(hiding[s] for _, s in rules)
            followed.discard(path.pop())
            ahead.pop()
    return mapped, hiding


def _ods_format(style: ElementTree.Element) -> NumberFormat:
    """What an ODS data style shows besides the value the reader reads: a date or time style without its day or
    year, and the finest part of a time it shows, a number style's zeros before the number (``min-integer-digits``),
    the text or currency symbol it shows, the decimal places it rounds a number to (``decimal-places``: none given,
    as many as it holds), of the number divided by its ``display-factor`` or of a scientific number's mantissa, and
    the fraction it shows a number as (``number:fraction``)."""
    kind = style.tag.removeprefix(_NUMBER)
    parts = [child.tag.removeprefix(_NUMBER) for child in style]
    if kind in ("date-style", "time-style"):  # a date cell in a time style is shown without its day and year
        seconds = style.find(f"{_NUMBER}seconds")
        second_places = _number(seconds.get(f"{_NUMBER}decimal-places"), 0) if seconds is not None else None
        return NumberFormat(
            "",
            date_lacks=("day",) * ("day" not in parts) + ("year",) * ("year" not in parts),
            time_shown_to=_finest_time_shown("hours" in parts, "minutes" in parts, second_places),
        )
    if kind not in ("number-style", "currency-style", "percentage-style"):
        return NumberFormat("")
    fraction = style.find(f"{_NUMBER}fraction")
    number = style.find(f"{_NUMBER}number")
    scientific = style.find(f"{_NUMBER}scientific-number")
    shown = number if number is not None else scientific
    whole = number if number is not None else fraction  # a fraction's zeros pad its whole part
    digits = _number(whole.get(f"{_NUMBER}min-integer-digits"), 1) if whole is not None else 1
    beside = "".join(
        child.text or "" for child in style if child.tag in (f"{_NUMBER}text", f"{_NUMBER}currency-symbol")
    )
    places = shown.get(f"{_NUMBER}decimal-places") if shown is not None else None
    factor = number.get(f"{_NUMBER}display-factor", "1") if number is not None else "1"
    if (divided_by := _display_factor(factor)) is None:
        return NumberFormat("", unshown=f"a data style dividing numbers by {factor[:40]!r}, no number above 0")
    return NumberFormat(
        "",
        percentage=kind == "percentage-style",
        digits=digits,
        beside="".join(ch for ch in beside if ch not in _DECORATION),
        places=max(_number(places, 0), 0) if places is not None else None,
        divided_by=divided_by,
        scientific=_ods_scientific(scientific) if scientific is not None else None,
        fraction=_ods_fraction(fraction) if fraction is not None else None,
    )


def _ods_fraction(fraction: ElementTree.Element) -> FractionShown:
    """How an ODS ``number:fraction`` shows a number: over its ``denominator-value``, else the nearest fraction whose
    denominator is at most its ``max-denominator-value`` (ODF 1.3's, or LibreOffice's own before it), else has its
    ``min-denominator-digits``; after a whole part where it gives ``min-integer-digits`` (# ?/?, not ?/?)."""
    whole = fraction.get(f"{_NUMBER}min-integer-digits") is not None
    if (fixed := _number(fraction.get(f"{_NUMBER}denominator-value"), 0)) >= 1:
        return FractionShown(fixed, fixed=True, whole=whole)
    largest = fraction.get(f"{_NUMBER}max-denominator-value") or fraction.get(f"{_LOEXT}max-denominator-value")
    places = min(max(_number(fraction.get(f"{_NUMBER}min-denominator-digits"), 1), 1), SHOWN_DIGITS)
    return FractionShown(max(_number(largest, 10**places - 1), 1), whole=whole)


_LOEXT = "{urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0}"


def _display_factor(given: str) -> Decimal | None:
    """What an ODS number style divides a number by before showing it (LibreOffice's 1000 for #,##0,); None where
    that is no number above 0 (that a spreadsheet holds)."""
    try:
        factor = Decimal(given.strip())
        return factor if 0 < float(factor) < math.inf else None
    except (ArithmeticError, ValueError):  # no number; a signalling NaN
        return None


def _ods_scientific(number: ElementTree.Element) -> tuple[int, bool]:
    """A scientific number's integer digits, and whether its exponent steps by them: by its ``exponent-interval``
    (ODF 1.3's, or LibreOffice's own before it), else by its ``min-integer-digits``, fixed."""
    interval = number.get(f"{_NUMBER}exponent-interval") or number.get(f"{_LOEXT}exponent-interval")
    if _number(interval, 1) > 1:
        return _number(interval, 1), True
    return max(_number(number.get(f"{_NUMBER}min-integer-digits"), 1), 1), False


def _repeated(element: ElementTree.Element, what: str, where: str) -> tuple[int, str | None]:
    """How often an ODS row or cell is repeated (``number-rows-repeated``, ``number-columns-repeated``), and why
    that cannot be read where it is no whole number from 1: a count of 0 or -1 dropped the cell, and the cells
    after it moved a column left (an organisation read as a reference), or dropped the row. Spaces around the
    digits are read past, as XML Schema reads a positiveInteger (and the reader's int() does): " 8" is 8."""
    given = element.get(f"{_TABLE}number-{what}-repeated")
    if given is None:
        return 1, None
    digits = given.strip(" \t\r\n")  # XML's own white space: int() reads past a no-break space and others too
    if digits.isascii() and digits.isdigit() and int(digits) >= 1:
        return int(digits), None
    return 1, f"{where} is repeated {given!r} times: a count of repeats is a whole number from 1"


def _unread_ods_text(cell: ElementTree.Element, reference: str, style: NumberFormat | None, judged: bool) -> str | None:
    """Why the words an ODS cell shows are not what the reader reads, if they are not: a cell that gives no value
    type (``office:value-type``) is read as empty, whatever it shows, and a tab (``<text:tab/>``) is dropped, the
    words either side of it joined ("Example<tab/>Analytics Ltd" read as "ExampleAnalytics Ltd", another
    organisation's key), and a cell whose text is "#N/A", typed as text, is read as empty too, as an error would be.
    ``style`` is what the cell's data style shows besides its value, if anything (:func:`_ods_formats`). What the
    cell shows, read as something else, is ``judged`` where the import reads the cell alone; a value the reader
    cannot read at all (:func:`_unread_ods_value`), everywhere."""
    if not judged:
        return _unread_ods_value(cell, reference, None)
    paragraphs = [child for child in cell if child.tag == f"{_TEXT}p"]
    shown = _ods_words(cell).strip()
    if shown and cell.get(f"{_OFFICE}value-type") is None:
        return (
            f"cell {reference} shows {shown[:40]!r} but gives no value type (office:value-type), so it is read as"
            " empty: save the workbook from a spreadsheet program"
        )
    if any(paragraph.find(f".//{_TEXT}tab") is not None for paragraph in paragraphs):
        return f"cell {reference} holds a tab, which the reader drops, joining the words either side: type a space"
    if "".join(cell.itertext()) == "#N/A":  # all the cell's text, as the reader compares it
        return f"cell {reference} shows '#N/A', which the reader reads as empty whatever its type: type what it means"
    shown_as = dataclasses.replace(style or NumberFormat(""), where=f"shown as {shown[:40]!r}")
    return _unread_ods_value(cell, reference, shown_as)


def _ods_words(cell: ElementTree.Element) -> str:
    """The words an ODS cell shows, a line each paragraph, as the reader reads a text (but for the spaces
    ``<text:s/>`` adds to one)."""
    return "\n".join("".join(child.itertext()) for child in cell if child.tag == f"{_TEXT}p")


_ODS_TYPES = frozenset({"float", "percentage", "currency", "date", "time", "boolean", "string"})


def _unread_ods_value(cell: ElementTree.Element, reference: str, shown: NumberFormat | None) -> str | None:
    """Why an ODS cell's typed value cannot be read, if it cannot: a date not written as ISO 8601, as ODF writes
    one (the reader took "05/06/2019" as 6 May, month first), a number that is none or is infinite, or a type the
    reader does not read ("void"); each had been refused in the reader's words alone ("month must be in 1..12"),
    naming no sheet or cell. So is a value ``shown`` otherwise than the reader reads it (:func:`_shown_otherwise`):
    a percentage or an amount of a currency, as its value type says, or as its data style shows it, a number in a
    date or time style (shown as a date or time where the reader reads the number), and a true-or-false value shown
    otherwise (:func:`_unread_ods_boolean`): neither judged where ``shown`` is None."""
    kind = cell.get(f"{_OFFICE}value-type")
    if kind is None:
        return None
    if kind not in _ODS_TYPES:
        read = ", ".join(sorted(_ODS_TYPES))
        return f"cell {reference} gives the value type {kind[:40]!r}, which the reader does not read (it reads {read})"
    if kind == "date":
        given = cell.get(f"{_OFFICE}date-value") or ""
        if (why := _no_date(reference, given)) or shown is None or shown.time_shown_to is None:
            return why
        try:
            moment = pd.Timestamp(given)  # as the reader reads it
        except ValueError:  # past the reader's years (pandas' own): refused as the reader reads it
            return None
        return _moment_shown_otherwise(reference, moment, shown)
    if kind in ("float", "percentage", "currency"):
        given = cell.get(f"{_OFFICE}value") or ""
        currency = (cell.get(f"{_OFFICE}currency") or "a currency") if kind == "currency" else ""
        if (why := _no_number(reference, given)) or shown is None:
            return why
        if shown.unshown:
            return (
                f"cell {reference} is shown by {shown.unshown}, so no one can say what it shows: save the workbook"
                " from a spreadsheet program"
            )
        shown = shown.for_value(float(given))
        if shown.time_shown_to is not None:  # a date or time style: the number is shown as a date or time
            return (
                f"cell {reference} holds the number {_cell_text(float(given))} in a date or time style"
                f" ({shown.where}), so the sheet shows a date or time where the reader reads the number: give the"
                " cell a number style, or enter it again as the date it shows"
            )
        as_number = dataclasses.replace(shown, percentage=shown.percentage or kind == "percentage",
                                        beside=shown.beside or currency)  # fmt: skip
        return _shown_otherwise(reference, given, as_number)
    if kind == "boolean" and shown is not None:  # read by its words, never refused by the reader
        return _unread_ods_boolean(reference, cell.get(f"{_OFFICE}boolean-value") or "", "".join(cell.itertext()))
    if kind == "time":
        return _unread_ods_time(reference, cell.get(f"{_OFFICE}time-value") or "", "".join(cell.itertext()))
    return None


def _unread_ods_boolean(reference: str, given: str, shown: str) -> str | None:
    """Why an ODS true-or-false value is not what the reader reads, if it is not: the reader reads such a cell by the
    words it shows, "TRUE" alone as true, never by its office:boolean-value, so a cell showing true in another
    language ("WAHR", "VRAI") was read as false, and one showing "TRUE" for the value false as true, with no word."""
    if given not in ("true", "false", "1", "0"):  # XML Schema's boolean
        return f"cell {reference} gives the true-or-false value {given[:40]!r}, which is neither true nor false"
    if (shown == "TRUE") != (given in ("true", "1")):
        return (
            f"cell {reference} shows {shown[:40]!r} for the true-or-false value {given}: the reader reads such a cell"
            " by what it shows ('TRUE' alone as true), so it would read the other value: type the value as text"
        )
    return None


#: A time of day as ODF writes one (an ISO 8601 duration): PT14H30M00S, its seconds maybe with a fraction.
_ODS_TIME = re.compile(r"PT(\d+)H(\d+)M(\d+)(?:\.(\d+))?S")


def _unread_ods_time(reference: str, given: str, shown: str) -> str | None:
    """Why an ODS time is not what the reader reads, if it is not: the reader reads a time by the words the cell
    shows, never by its office:time-value, so a time shown in words it cannot parse ("14 Uhr 30") was refused in its
    words alone, naming no cell, and one shown otherwise than its value (seconds hidden) was read as shown."""
    try:
        read: dt.time | None = pd.Timestamp(shown).time()
    except ValueError:  # pandas' own, and NaT's for a cell showing nothing
        read = None
    found = _ODS_TIME.fullmatch(given)
    if found and read is not None:
        hours, minutes, seconds, fraction = found.groups()
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        if (int(hours), int(minutes), int(seconds), micro) == (read.hour, read.minute, read.second, read.microsecond):
            return None
    return (
        f"cell {reference} shows {shown[:40]!r} for the time {given[:40]!r}: the reader reads a time by what it shows,"
        f" {f'and would read {read}' if read is not None else 'and reads no time there'}: type the time as text"
    )


def _iso_date(text: str) -> bool:
    """Whether ``text`` is a date, or a date and time, written as ISO 8601 (as both formats write one)."""
    try:
        return bool(_ISO_DATE.fullmatch(text)) and bool(dt.datetime.fromisoformat(text))
    except ValueError:
        return False


_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?)?")


#: LibreOffice's mark of a formula cell whose result is an error (its text, "#N/A", is no value).
_CALC_VALUE_TYPE = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}value-type"


def sheet_rows(path: Path, mapping: ColumnMapping, sheets: Mapping[str, list[list[str]]]) -> list[SheetRow]:
    """The non-empty data rows of every mapped sheet, by canonical column; refuses an unmapped sheet, a header
    naming a column twice, a mapped header that its sheet lacks, and a workbook that gives no data row."""
    rows: list[SheetRow] = []
    if not any(any(cells) for table in sheets.values() for cells in table):
        raise BadInput(path, "the workbook is empty")
    for sheet, table in sheets.items():
        spec = mapping.sheets.get(sheet)
        if spec is None:
            raise BadInput(
                _where(path, sheet),
                f"this sheet is not in the column mapping {mapping.path.name}; map it, or give it part: ignore",
            )
        if spec.part == IGNORE:
            continue
        header = table[spec.header_row - 1] if len(table) >= spec.header_row else []
        refuse_repeated_columns(_where(path, sheet), header, spec.header_row, read=spec.columns)
        positions = {}
        for source, canonical in spec.columns.items():
            if source not in header:
                present = ", ".join(h for h in header if h)
                has = f"it has: {present}" if present else f"row {spec.header_row} is empty: the sheet may be empty"
                raise BadInput(
                    _where(path, sheet),
                    f"the mapped header is not in the header row ({has})",
                    spec.header_row,
                    source,
                )
            positions[canonical] = header.index(source)
        headers = {canonical: source for source, canonical in spec.columns.items()}
        for index in range(spec.header_row, len(table)):
            cells = table[index]
            if cells:
                refuse_broken_row(_where(path, sheet), header, index + 1, cells)
            values = {c: cells[i] if i < len(cells) else "" for c, i in positions.items()}
            if any(values.values()):
                rows.append(SheetRow(index + 1, values, sheet, spec.part, headers))
    if not rows:
        raise _no_data_rows(path, mapping, sheets)
    return rows


def _no_data_rows(path: Path, mapping: ColumnMapping, sheets: Iterable[str]) -> BadInput:
    """The refusal of a workbook none of whose read sheets has a row under its header, naming the first of them.
    One such sheet among others is read: a part of the register may list no share in an edition."""
    read = [(sheet, mapping.sheets[sheet]) for sheet in sheets if mapping.sheets[sheet].part != IGNORE]
    if not read:
        return BadInput(path, f"the column mapping {mapping.path.name} gives every sheet part: ignore: none is read")
    (sheet, spec), others = read[0], len(read) - 1
    where = f"this sheet and the {others} other(s) the mapping reads have" if others else "the sheet has"
    return BadInput(_where(path, sheet), f"{where} {NO_DATA_ROWS} (saved with its headers only?)", spec.header_row + 1)


@register
class ExternalSharesImporter(Importer):
    name = "external-shares"
    needs = ("npd-items", "npd-dataset-list", "npd-release-timetable")
    document = "DfE external data shares"
    bundled = None
    address = "https://www.gov.uk/government/publications/dfe-external-data-shares"

    def __init__(self, mapping: Path | None = None) -> None:
        self.mapping_path = mapping
        self._mapping: tuple[Path, ColumnMapping] | None = None  # the workbook read last, and its mapping

    def mapping_for(self, path: Path) -> ColumnMapping:
        """The mapping given, else the one beside the workbook, else the bundled one. Whatever is beside the
        workbook under the mapping's name is read as its mapping, and refused if it is no regular file (a FIFO, a
        directory, a broken symbolic link): the bundled mapping had silently been read in its place."""
        beside = path.with_name(f"{path.stem}.columns.yaml")
        return load_mapping(self.mapping_path or (beside if _something_at(beside) else MAPPING_FILE))

    def extract(self, path: Path) -> Iterable[Row]:
        mapping = self.mapping_for(path)
        self._mapping = (path, mapping)  # read once a run: transform, next, takes it from here
        return sheet_rows(path, mapping, read_workbook(path, mapping))

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        read, mapping = self._mapping or (None, None)
        formats = (mapping if read == path and mapping is not None else self.mapping_for(path)).date_formats
        entries = [self._entry(path, cast(SheetRow, row), formats) for row in rows]
        _refuse_duplicate_keys(path, entries)
        targets = _Targets(store, [name for entry in entries for name in entry.named])
        graph = ReleaseGraph(store, report)
        for entry in entries:
            release_id = graph.add(entry.share, entry.decision)
            assert release_id is not None, "a register row always draws its release"
            for name in entry.named:
                target, reason = targets.find(name)
                if target:
                    graph.include(release_id, target, entry.share.citation)
                else:
                    report.leave_out(f"INCLUDES ({reason})")
        return graph.batch()

    def _entry(self, path: Path, row: SheetRow, formats: Sequence[str]) -> _Entry:
        where = _where(path, row.sheet)
        cell = row.cells.get
        date = _parse_date(where, row, formats)
        reference, organisation = cell("reference", ""), cell("organisation", "")
        if not reference and not (date and normalise(organisation)):
            raise BadInput(where, "a row needs a reference, or a date approved and an organisation", row.number)
        try:
            tiers = parse_tiers(cell("tiers", ""))
        except ValueError as exc:
            raise BadInput(where, f"{exc}: {cell('tiers')!r}", row.number, row.headers["tiers"]) from None
        if cell("tiers") and not tiers:
            raise BadInput(where, f"names no old tier 1-4: {cell('tiers')!r}", row.number, row.headers["tiers"])
        register_name = f"DfE external data shares: {PARTS[row.part]}"
        requested = cell("data_requested", "")
        named = tuple(dict.fromkeys(n.strip() for n in requested.replace("\n", ";").split(";") if n.strip()))
        stated = {name: cell(name, "") for name in ("panel", "legal_gateway", "access_route")}
        if row.part == "dsap" and not stated["panel"]:
            stated["panel"] = "DSAP"
        decision = None
        if row.part in APPROVED_PARTS or date or any(stated.values()):
            decision = Decision(stated["panel"], date, stated["legal_gateway"], stated["access_route"])
        share = Share(
            key=release_key(reference, register_name, date, organisation),
            register=register_name,
            reference=reference,
            date=date,
            date_as_cited="",
            organisation=organisation,
            status=cell("status", ""),
            citation=Citation(f"{self.document} ({path.name})", row.sheet, row.number, self.address),
            # the register publishes the shares DfE made: each row was sent
            outcome=Outcome("approved" if decision else "released", CONFIRMED, approved=decision is not None),
            tiers=tiers,
            purpose=cell("purpose", ""),
            scope_published=bool(named),
        )
        return _Entry(row, share, decision, named)


def _something_at(path: Path) -> bool:
    """Whether anything is at ``path``, a broken symbolic link included (``exists`` follows the link)."""
    try:
        path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    return True


@dataclass(frozen=True, slots=True)
class _Entry:
    row: SheetRow
    share: Share
    decision: Decision | None
    named: tuple[str, ...]


#: No share of NPD data was approved before its first data: a date before is a slip, or an XLSX date serial of
#: 1 or less, which the reader reads as 1900-01-01 or 1899-12-25 with no word.
_FIRST_DATA = dt.date(FIRST_NPD_YEAR, ACADEMIC_YEAR_START_MONTH, 1)


def _parse_date(where: str, row: SheetRow, formats: Sequence[str]) -> dt.date | None:
    try:
        date = date_from_text(row.cells.get("date_approved", ""), formats)
    except ValueError as exc:
        raise BadInput(where, str(exc), row.number, row.headers["date_approved"]) from None
    if date is not None and date < _FIRST_DATA:
        problem = f"approved on {date}, before the NPD's first data ({_FIRST_DATA}): no share of NPD data was"
        raise BadInput(where, problem, row.number, row.headers["date_approved"])
    return date


def _refuse_duplicate_keys(path: Path, entries: list[_Entry]) -> None:
    seen: dict[str, SheetRow] = {}
    for entry in entries:
        row, key = entry.row, entry.share.key
        first = seen.setdefault(key, row)
        if first is not row:
            column = row.headers["reference"] if entry.share.reference else row.headers["organisation"]
            raise BadInput(
                _where(path, row.sheet),
                f"duplicate share {key!r} (first on sheet {first.sheet!r}, row {first.number})",
                row.number,
                column,
            )


class _Targets:
    """Finds what a row's data_requested names: an item as sheet/alias, a data set by sheet name or title,
    or an item by its alias when exactly one item has it."""

    def __init__(self, store: Store, names: Sequence[str]) -> None:
        wanted = set(names)
        self.items = set(store.get_nodes(node_id(NodeKind.DATA_ITEM, name) for name in wanted))
        self.datasets = named_sources(store, (NodeKind.DATASET,))
        self.by_alias: dict[str, list[str]] = defaultdict(list)
        for node in store.find_nodes(NodeKind.DATA_ITEM, "alias", wanted) if wanted else ():
            self.by_alias[str(node.props["alias"])].append(node.id)

    def find(self, name: str) -> tuple[str | None, str]:
        """The id of the node ``name`` denotes, or None and why not."""
        item = node_id(NodeKind.DATA_ITEM, name)
        if item in self.items:
            return item, ""
        if name.lower() in self.datasets:
            return self.datasets[name.lower()], ""
        matches = self.by_alias.get(name, [])
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            return None, "an alias held by several data sets: name the item as sheet/alias"
        return None, "no single data set or item in the store has the name the row gives"
