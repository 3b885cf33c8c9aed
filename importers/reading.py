"""Reading source files, shared by every importer: rows, cells and the refusals that name where.

A byte-order mark is dropped, line breaks become ``\n`` (inside cells too), and a file that is cut short or
badly quoted is refused naming the row and column, so stored values only ever come from whole rows of text. A
cell holding a control or format character (:mod:`lineage.characters`) or a line separator, or over
:data:`MAX_CELL` characters, is refused by one check (:func:`refuse_unfit_cells`), whether it comes from a CSV or a
workbook. The cell helpers (:func:`required`, :func:`parse_int`, :func:`parse_date`, :func:`stated`) say what a cell
gives, and refuse what it cannot.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from lineage.characters import LINE_BREAKS, LINE_SEPARATORS, UNFIT, unfit_character
from lineage.errors import MAX_MESSAGE, LineageError, ModelError
from lineage.keys import WHOLE_NUMBER, WHOLE_NUMBER_WORDS
from lineage.model import Citation, NodeKind, Scalar, kind_of
from lineage.store import not_unicode

#: A refusal's message is cut to lineage.errors' MAX_MESSAGE characters, and the column it names to these: a file
#: may put a cell of 131,072 characters, or a header of a million columns, into what would be quoted.
MAX_COLUMN_NAME = 80
#: A refusal that lists a header's columns names this many, and says how many more there are.
NAMED_COLUMNS = 10


def _clipped(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


class BadInput(LineageError):
    """A file the importer refuses, naming the file, the row and the column, in a message of bounded length.
    Nothing was written."""

    def __init__(self, path: str | Path, message: str, row: int | None = None, column: str | None = None) -> None:
        where = str(path)
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {_clipped(column, MAX_COLUMN_NAME)!r}"
        super().__init__(f"{where}: {_clipped(message, MAX_MESSAGE)}")
        self.path, self.row, self.column = str(path), row, column


@dataclass(frozen=True, slots=True)
class Row:
    """One data row of a source file: its 1-based line in the file (the header is line 1) and its cells."""

    number: int
    cells: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column]


#: The refusal of a header with nothing under it, in a CSV or in a workbook's sheets: read as no rows, a
#: download cut after its first line, or a file saved empty, was imported as a whole file that held nothing.
NO_DATA_ROWS = "a header and no data rows"

#: The longest cell any importer accepts, in characters (the csv module's own default limit). A longer one
#: is refused with its file, row and column rather than read.
MAX_CELL = 131_072
#: The UTF-8 byte-order mark. Every reader drops it from the start of a file, whatever the file's encoding:
#: spreadsheet programs add it when saving "CSV UTF-8", and it never belongs to the first column's name.
BOM = b"\xef\xbb\xbf"


#: The largest file an import reads, in bytes (a national GIAS file is about 60 MB; reading one takes memory of
#: about 14 times its size), unless the environment variable MAX_FILE_ENV says otherwise. Memory is bounded by the
#: cells read too (:func:`max_cells`): rows as short as ``a,b,c,d`` take about 45 times their size.
MAX_FILE_BYTES = 128 * 1024 * 1024
MAX_FILE_ENV = "LINEAGE_MAX_IMPORT_BYTES"


def max_file_bytes() -> int:
    """The largest file an import reads: $LINEAGE_MAX_IMPORT_BYTES, or MAX_FILE_BYTES."""
    configured = os.environ.get(MAX_FILE_ENV, "").strip()
    if not configured:
        return MAX_FILE_BYTES
    if not WHOLE_NUMBER.fullmatch(configured) or int(configured) <= 0:  # the digits 0-9 only, as our files write them
        raise LineageError(f"${MAX_FILE_ENV} must be a positive whole number of bytes, not {configured[:40]!r}")
    return int(configured)


#: What a row of a CSV costs, counted in cells, over its own cells: the list it is parsed into, then its Row and that
#: Row's mapping take the memory of about four cells (measured with tracemalloc: a row of one cell took 366 bytes in
#: all, one of four one-letter cells 372, one of twenty 844).
ROW_CELLS = 4


def max_cells() -> int:
    """The most cells a CSV is read into, each row counted as its cells and :data:`ROW_CELLS` more: an eighth of
    :func:`max_file_bytes` (16,777,216 at 128 MiB). Within the size limit, a file of short rows had taken memory of
    49 times its size (header and 16,000,000 rows ``a,b,c,d``, 128,000,031 bytes: 6.2 GB before it was refused at
    row 3). A parsed cell takes 8 to 60 bytes and a row about 370, so what is counted here stays within about ten
    times the limit, whatever a row's shape. The largest count of any bundled file is 304,218 (gias_links, 33,802
    rows of 5 cells); a national GIAS establishment file, about 60 MB of rows of 140 cells, some 9 million (a
    60 MB file of 64,000 such rows counts 9,216,144, and was read in 850 MB, as before)."""
    return max_file_bytes() // 8


def refuse_not_a_file(path: Path) -> None:
    """Refuse what is not a regular file, by its metadata alone: a FIFO would block the import until something
    wrote to it, and a device such as /dev/zero reports a size of 0 and never ends. A file whose name is not UTF-8
    is refused too: every fact cites its file by name, and the name's bytes, read as lone surrogates, had been
    stored in a snapshot that no export could write ("surrogates not allowed", naming no file or node)."""
    if not_unicode(path.name):
        raise BadInput(path, "the file's name is not UTF-8 text: rename the file (its facts cite it by name)")
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise BadInput(path, "no such file") from None
    except OSError as exc:
        raise BadInput(path, f"cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(mode):
        raise BadInput(path, "is a directory, not a file: name the file to import")
    if not stat.S_ISREG(mode):
        raise BadInput(path, "is not a regular file (a pipe, a device or a socket?): name the file to import")


def refuse_too_large(path: Path, what: str = "the file", limit: int | None = None) -> None:
    """Refuse a file over the size limit before reading any of it: memory stays bounded whatever its size. The limit
    is a source file's (:func:`max_file_bytes`) unless ``limit`` gives another (a column mapping's, the file ``what``
    names)."""
    size, most = path.stat().st_size, max_file_bytes() if limit is None else limit
    if size > most:
        setting = f" (${MAX_FILE_ENV})" if limit is None else ""
        raise BadInput(path, f"{what} is {size:,} bytes; an import reads at most {most:,}{setting}")


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """A source file's text, every line break made ``\\n`` (inside quoted cells too, so a CRLF copy of a file
    reads exactly like the original), refusing bytes that are not ``encoding`` and a NUL character (a UTF-16
    or binary file, which an 8-bit encoding would otherwise read as nonsense)."""
    raw = path.read_bytes().removeprefix(BOM)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        # the bad bytes as lone surrogates, which no decoded text holds: a U+FFFD the file spells out itself is
        # no bad byte, and had been blamed in its place
        escaped = raw.decode(encoding, errors="surrogateescape")
        row, column = first_cell(escaped, lambda cell: any("\udc80" <= char <= "\udcff" for char in cell))
        raise BadInput(path, f"not valid {encoding} text (byte {exc.start})", row, column) from exc
    if "\0" in text:
        row, column = first_cell(text, lambda cell: "\0" in cell)
        raise BadInput(path, f"holds a NUL character: not {encoding} text (UTF-16, or not text at all?)", row, column)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_csv(path: Path, text: str) -> list[list[str]]:
    """The records of CSV text (from :func:`read_text`), list index i being spreadsheet row i + 1 (a blank
    line is an empty record). Refused, naming the row and where possible the column: an unclosed quote or a
    stray one after a closing quote, a cell :func:`refuse_unfit_cells` refuses, and a file that ends inside its
    last row (no line break after it, and its last cell not closed by a quote): a file cut short.

    A file whose last row has no line break is read only when that row ends with a quoted cell (the GIAS
    links download does), since the closing quote shows the cell whole."""
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    counted, budget = 0, max_cells()
    with _cells_unbounded():
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                row = len(records) + 1
                column = _column(records, row, _partial(text, row))
                raise BadInput(
                    path, f"broken CSV: {exc} (a quote left open, or a file cut short?)", row, column
                ) from None
            refuse_unfit_cells(path, len(records) + 1, cells, records[0] if records else ())
            counted += len(cells) + ROW_CELLS
            if counted > budget:
                raise BadInput(path, _too_many_cells(budget), len(records) + 1)
            records.append(cells)
    if records and not text.endswith("\n") and not _ends_with_quoted_cell(text, records[-1]):
        row = len(records)
        raise BadInput(
            path,
            "the file ends inside this row, with no line break after it: it looks cut short (a whole file ends"
            " its last row with a line break)",
            row,
            _column(records, row, len(records[-1])),
        )
    return records


def _too_many_cells(budget: int) -> str:
    return (
        f"the file passes the {budget:,} cells an import reads at this row (each row counted as its cells and"
        f" {ROW_CELLS} more: short rows take memory of many times their size; the limit is an eighth of"
        f" ${MAX_FILE_ENV})"
    )


_UNFIT_CELL = re.compile(f"{UNFIT.pattern}|{LINE_SEPARATORS.pattern}")


def refuse_unfit_cells(where: str | Path, row: int, cells: Sequence[str], header: Sequence[str]) -> None:
    """Refuse a cell of spreadsheet row ``row`` that is longer than :data:`MAX_CELL` or holds a control or format
    character or a line separator (:mod:`lineage.characters`), naming its row and, below
    the ``header`` (row 1), its column. Every reader checks every cell here: a CSV's, and a workbook's, whose text
    comes from a library's parser rather than from :func:`read_text`."""
    joined = "\n".join(cells)  # one search for the whole row: most rows pass
    if len(joined) <= MAX_CELL and not _UNFIT_CELL.search(joined):
        return
    for index, cell in enumerate(cells):
        unfit = unfit_character(cell)
        separator = LINE_SEPARATORS.search(cell)
        if len(cell) > MAX_CELL:
            problem = f"a cell of {len(cell):,} characters; the limit is {MAX_CELL:,}"
        elif unfit:
            problem = f"holds {unfit}, which no source's text holds"
        elif separator:
            problem = (
                f"holds {LINE_BREAKS[separator.group()]}, a line break no spreadsheet writes in a cell (shown as a"
                " break, a space or nothing): type a line break or a space"
            )
        else:
            continue
        raise BadInput(where, problem, row, header[index] if row > 1 and index < len(header) else None)


def read_csv(
    path: Path, required: Sequence[str], *, encoding: str = "utf-8", keep: Sequence[str] | None = None
) -> list[Row]:
    """Read a CSV with one header row, refusing what :func:`read_text` and :func:`parse_csv` refuse, an empty
    file, a column named twice, a missing or renamed required column, a data row that
    :func:`refuse_broken_row` refuses, and a header with no data rows under it.

    Rows are numbered as a spreadsheet shows them (the header is row 1), so a cell that spans lines
    inside quotes does not shift the rows after it. ``keep`` names the only columns to hold in memory
    (a wide file such as GIAS's 140 columns)."""
    text = read_text(path, encoding)
    if not text.strip():
        raise BadInput(path, "the file is empty: no header row", row=1)
    records = parse_csv(path, text)
    del text  # a copy of the file: not needed past here
    records.reverse()  # popped from the end, each record's list goes as its Row is made: one of the two at a time
    header = records.pop()
    refuse_repeated_columns(path, header, 1)
    missing = [column for column in required if column not in header]
    if missing:
        problem = f"missing column(s) {', '.join(missing)}; the header has {named_columns(header)}"
        raise BadInput(path, problem + near_misses(missing, header), row=1)
    kept = [i for i, column in enumerate(header) if keep is None or column in keep]
    rows = []
    for number in range(2, len(records) + 2):
        cells = records.pop()
        if not cells:
            continue
        refuse_broken_row(path, header, number, cells)
        rows.append(Row(number, {header[i]: cells[i] for i in kept}))
    if not rows:
        problem = f"the file has {NO_DATA_ROWS} (a download cut after its first line, or saved with its header only?)"
        raise BadInput(path, problem, row=2)
    return rows


def named_columns(header: Sequence[str]) -> str:
    """The first NAMED_COLUMNS of a header, each cut short if long, and how many more there are."""
    named = ", ".join(_clipped(column, MAX_COLUMN_NAME) for column in header[:NAMED_COLUMNS])
    more = len(header) - NAMED_COLUMNS
    return f"{named} and {more:,} more" if more > 0 else named


def near_misses(missing: Sequence[str], header: Sequence[str]) -> str:
    """What of the header nearly names a missing column, quoted so that the difference shows: a space around
    it, a no-break space, another case ("; the header's ' keyword' is 'keyword' but for spaces or case"). A
    header saved so looks, unquoted in a refusal, as if it held the column."""
    by_form = {loose_name(column): column for column in reversed(header)}
    near = [(by_form[loose_name(m)], m) for m in missing if loose_name(m) in by_form]
    named = "; ".join(f"the header's {_clipped(h, MAX_COLUMN_NAME)!r} is {m!r} but for spaces or case" for h, m in near)
    return f"; {named}" if named else ""


def loose_name(column: str) -> str:
    """A column's name with its spaces (of any kind) read as single ones, trimmed, and its case ignored."""
    return " ".join(unicodedata.normalize("NFKC", column).split()).casefold()


def refuse_repeated_columns(
    where: str | Path, header: Sequence[str], number: int, read: Collection[str] | None = None
) -> None:
    """Refuse a header that names a column twice: which of its cells a row gives would be the reader's accident
    (the last in a CSV read into a mapping, the first where a workbook's header is searched). So is one naming two
    columns alike but for spaces or case (:func:`near_misses`' reading), naming both: ``notes`` was read and
    ``notes `` beside it ignored with no word. Blank names are no column anybody reads: a spreadsheet's export may
    end its header with several. Where only the columns alike some of ``read`` are read (a workbook's mapping names
    them), two others alike are no one's question: a register edition's "Comments" and "comments " had stopped it."""
    seen: dict[str, str] = {}
    wanted = None if read is None else {loose_name(column) for column in read}
    for column in header:
        if not column.strip() or (wanted is not None and loose_name(column) not in wanted):
            continue
        first = seen.get(loose_name(column))
        if first is None:
            seen[loose_name(column)] = column
            continue
        if first == column:
            raise BadInput(where, "the header names this column twice: which one is meant?", number, column)
        problem = f"the header names {first!r} and {column!r}, alike but for spaces or case: which one is meant?"
        raise BadInput(where, problem, number, column)


def refuse_broken_row(where: str | Path, header: Sequence[str], number: int, cells: Sequence[str]) -> None:
    """Refuse a data row with more or fewer cells than its header (a truncated or broken file, never padded), and
    one that is the header again (files joined, as ``cat a.csv b.csv`` joins them): its column names would be
    read as a row of facts, cited to the source."""
    if len(cells) != len(header):
        column = header[len(cells)] if len(cells) < len(header) else None
        problem = f"{len(cells)} cells where the header has {len(header)} (truncated or broken row)"
        raise BadInput(where, problem, number, column)
    if list(cells) == list(header):
        raise BadInput(where, "this row repeats the header: two files joined into one?", number)


def first_cell(text: str, holds: Callable[[str], bool]) -> tuple[int | None, str | None]:
    """The spreadsheet row and column of the first cell of CSV ``text`` for which ``holds`` is true, read
    leniently (the file may be broken in other ways too); (None, None) when there is none."""
    with _cells_unbounded():
        records = csv.reader(io.StringIO(text, newline=""))
        header = next(records, [])
        for number, cells in enumerate([header, *records], start=1):
            for index, cell in enumerate(cells):
                if holds(cell):
                    return number, header[index] if number > 1 and index < len(header) else None
    return None, None


@contextlib.contextmanager
def _cells_unbounded() -> Iterator[None]:
    """Lift the csv module's own cell limit while reading, so that :data:`MAX_CELL` is checked here, where the
    cell's row and column are known (the module stops with an error that names neither)."""
    old = csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _partial(text: str, row: int) -> int:
    """How many cells a lenient reading finds in the broken record ``row``: the last of them is the broken one."""
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        if number == row:
            return len(cells)
    return 0


def _column(records: Sequence[Sequence[str]], row: int, cells: int) -> str | None:
    """The header's name for the ``cells``-th cell (from 1) of ``row``, when the row is below the header."""
    if row < 2 or not records or not 1 <= cells <= len(records[0]):
        return None
    return records[0][cells - 1]


def _ends_with_quoted_cell(text: str, last: Sequence[str]) -> bool:
    """Whether ``text`` ends with the last cell of ``last`` in quotes. An unquoted cell cannot pass: its quoted
    form is longer than itself, and where ``text`` has a comma or a line break before it, that form has not."""
    return bool(last) and text.endswith('"' + last[-1].replace('"', '""') + '"')


def refuse_duplicates(path: Path, column: str, keyed_rows: Iterable[tuple[str, Row]]) -> None:
    """Refuse a file in which two rows share a key that must be unique, naming both rows."""
    seen: dict[str, int] = {}
    for key, row in keyed_rows:
        if key in seen:
            raise BadInput(path, f"duplicate key {key!r} (first on row {seen[key]})", row.number, column)
        seen[key] = row.number


def parse_int(path: Path, row: Row, column: str, *, allowed: range | None = None) -> int | None:
    """An integer cell, or None when empty; anything else is refused with its place."""
    text = row[column].strip()
    if not text:
        return None
    if not WHOLE_NUMBER.fullmatch(text):  # int() reads other scripts' digits and 1_0 too: a row "٢" was row 2
        raise BadInput(path, f"expected {WHOLE_NUMBER_WORDS}, got {text!r}", row.number, column)
    value = int(text)
    if allowed is not None and value not in allowed:
        raise BadInput(path, f"{value} is outside {allowed.start}..{allowed.stop - 1}", row.number, column)
    return value


#: A digit of another script than 0-9 (Arabic-Indic, fullwidth, Devanagari): int(), float(), strptime and a
#: pattern's \d read one as its value ("\u0661\u0662" was 12.0, a row "\u0662" row 2), where parse_int and the API
#: take 0-9 alone: one rule for every number, year and date a file gives.
OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def refuse_other_digits(path: Path, row: Row, *columns: str) -> None:
    """Refuse a cell read as a number, a year or a reference that holds a digit of another script
    (:data:`OTHER_DIGIT`), naming its file, row and column."""
    for column in columns:
        if found := OTHER_DIGIT.search(row[column]):
            problem = f"holds {found.group()!r}, a digit of another script: write numbers and years in the digits 0-9"
            raise BadInput(path, problem, row.number, column)


def date_from_text(text: str, formats: Sequence[str]) -> dt.date | None:
    """The date ``text`` gives in one of ``formats``, in the digits 0-9 (:data:`OTHER_DIGIT`); None when empty;
    ValueError saying what was expected."""
    text = text.strip()
    if not text:
        return None
    if OTHER_DIGIT.search(text):  # strptime reads them: "\u0662\u0660\u0661\u0663-02-20" was 20 February 2013
        raise ValueError(f"expected a date ({' or '.join(formats)}) in the digits 0-9, got {text!r}")
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"expected a date ({' or '.join(formats)}), got {text!r}")


R = TypeVar("R", bound="ReadsARow")

#: What joins the parts of a row's words in our tables (``row_says``): each part begins a cell of the row.
SAYS_PARTS = " | "


@dataclass(frozen=True, slots=True)
class RowRead:
    """A row of another file that one of our tables reads by its number, with words its cells begin with (one
    part, or several joined by " | ", each beginning a cell: where rows alike in one cell differ in another): the
    reading applies only while that row is the one it was written for, never to another that a newer copy of the
    file (a row added above, rows sorted) puts at that number."""

    file: str
    row: int
    says: str

    @classmethod
    def of(cls, path: Path, row: Row, file: str, at: int, column: str = "row_says") -> RowRead:
        parts = [" ".join(part.split()) for part in row[column].split(SAYS_PARTS.strip())]
        says = SAYS_PARTS.join(parts)
        if not all(parts):  # an empty cell, or a part left empty ("a | ", "a | | b")
            raise BadInput(
                path, "the words the row read begins a cell with, so no other row is read", row.number, column
            )
        return cls(file, at, says)

    def holds(self, row: Row) -> bool:
        cells = [" ".join(cell.split()).casefold() for cell in row.cells.values()]
        return all(any(cell.startswith(part) for cell in cells) for part in self.parts)

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(part.strip().casefold() for part in self.says.split(SAYS_PARTS))

    def moved(self, table: str, table_row: int | None) -> str:
        """Why a reading is not applied, for the import's report (its table and row named)."""
        return (
            f"a reading ({table} row {table_row}: {self.file} row {self.row} no longer begins a cell with "
            f"{self.says!r}; the file has changed, so the reading is not applied)"
        )


class ReadsARow(Protocol):
    """A reading in one of our tables of one row of another file: the row, and the table's own row."""

    @property
    def read(self) -> RowRead: ...

    @property
    def citation(self) -> Citation: ...


def applied(table: str, readings: Iterable[R], rows: Mapping[int, Row], leave_out: Callable[[str], None]) -> list[R]:
    """The readings whose row is in the file and still says what each read; each other is counted, naming its
    table's row: a row the file lacks, or one a newer copy put another row in place of."""
    kept = []
    for reading in readings:
        row = rows.get(reading.read.row)
        if row is None:
            leave_out(f"a reading ({table} row {reading.citation.row}: no row {reading.read.row})")
        elif not reading.read.holds(row):
            leave_out(reading.read.moved(table, reading.citation.row))
        else:
            kept.append(reading)
    return kept


def applied_to_row(table: str, reading: R | None, row: Row, leave_out: Callable[[str], None]) -> R | None:
    """A table's reading of this row, while the row still says what it read (:func:`applied`, for one row)."""
    if reading is None:
        return None
    kept = applied(table, [reading], {row.number: row}, leave_out)
    return kept[0] if kept else None


def read_dataset_names(
    path: Path, name_column: str, key: Callable[[str], str] = str, more: Sequence[str] = ()
) -> Iterator[tuple[str, tuple[str, ...], Row]]:
    """The rows of one of our tables giving the NPD data sets a name means (``<name_column>, means, <more>,
    reasoning``): each name, the data sets it means and the row (its ``more`` columns for the caller to read); a
    row without its name or reasoning, meaning anything but data sets, or giving a name (as ``key`` folds it)
    twice, is refused with its place."""
    given: set[str] = set()
    for row in read_csv(path, (name_column, "means", *more, "reasoning")):
        name, means = " ".join(row[name_column].split()), tuple(row["means"].split())
        if not name or not row["reasoning"].strip():
            raise BadInput(path, "every entry gives its words and its reasoning", row.number)
        try:
            if any(kind_of(dataset) is not NodeKind.DATASET for dataset in means):
                raise ValueError(f"means data sets only, not {row['means']!r}")
        except (ValueError, ModelError) as exc:
            raise BadInput(path, str(exc), row.number, "means") from None
        if key(name) in given:
            raise BadInput(path, "these words are given their data sets twice", row.number, name_column)
        given.add(key(name))
        yield name, means, row


def read_reasoned(path: Path, columns: Sequence[str], once: bool = False) -> Iterator[tuple[str, int, Row]]:
    """The rows of one of our tables that reads another file's rows (``file, row, <columns>, reasoning``): the
    file each is about, that file's row, and the table's own row. A row that gives no reasoning, or no whole
    number for the row it reads, is refused with its place; so is a row of the other file read ``once`` already
    (a second reading had been taken silently, the last winning)."""
    read: set[tuple[str, int]] = set()
    for row in read_csv(path, ("file", "row", *columns, "reasoning")):
        if not row["reasoning"].strip():
            raise BadInput(path, "every row gives its reasoning", row.number, "reasoning")
        if (about := parse_int(path, row, "row")) is None:
            raise BadInput(path, "must not be empty", row.number, "row")
        file = row["file"].strip()
        if once and (file, about) in read:
            raise BadInput(path, f"{file} row {about} is read twice", row.number, "row")
        read.add((file, about))
        yield file, about, row


def parse_date(path: Path, row: Row, column: str, formats: Sequence[str] = ("%Y-%m-%d",)) -> dt.date | None:
    try:
        return date_from_text(row[column], formats)
    except ValueError as exc:
        raise BadInput(path, str(exc), row.number, column) from None


def required(path: Path, row: Row, column: str) -> str:
    """A cell that must not be empty, stripped."""
    text = row[column].strip()
    if not text:
        raise BadInput(path, "this cell must not be empty", row.number, column)
    return text


def stated(values: Mapping[str, Scalar | None]) -> dict[str, Scalar]:
    """The values the cells actually gave: an empty cell says nothing, so it sets nothing."""
    return {name: value for name, value in values.items() if value not in ("", None, ())}
