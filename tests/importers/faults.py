"""The fault corpus: malformed variants of a source file, as an operator's tools and accidents make them.

From one whole file (its text and encoding) :func:`variants` makes: the file cut inside its last cell, cut in
the middle of a row, cut after its header (no data rows), in the wrong encoding, with a byte-order mark, with
CRLF line breaks (inside cells too), with a cell over the documented limit, with a control character in a
cell, with an invisible format character in a cell (a soft hyphen; a byte-order mark starting a row mid-file),
with its first row repeated at the end (a duplicate key), with its header repeated mid-file (two files joined
by ``cat``), with its first column repeated at the end (a column named twice), and with a bad value in one
cell of its last row. Each says whether a correct importer refuses it (and at which row and column, where that
is certain) or reads it as the original (a BOM, CRLF: the same file in another dress).
"""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass

from importers.reading import BOM, MAX_CELL


@dataclass(frozen=True, slots=True)
class Record:
    """One CSV record of a file: its spreadsheet row, its cells, and where its text starts and ends."""

    row: int
    cells: list[str]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    content: bytes
    #: "refused", "same" (read as the original), or "folded" (accepted, adding no node or edge)
    outcome: str
    row: int | None = None  # the row a refusal must name, where it is certain
    column: str | None = None  # and the column


def records(text: str) -> list[Record]:
    """The records of CSV text with their places in it (a quoted cell may span lines)."""
    lines = io.StringIO(text, newline="").readlines()
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    reader = csv.reader(iter(lines))
    found: list[Record] = []
    consumed = 0
    for cells in reader:
        found.append(Record(len(found) + 1, cells, offsets[consumed], offsets[reader.line_num]))
        consumed = reader.line_num
    return found


def first_rows(text: str, rows: int) -> str:
    """The header and the first ``rows`` records of a file, as its text has them (quoting and line breaks
    kept), ending with a line break: a small whole copy."""
    kept = records(text)[: rows + 1]
    small = text[: kept[-1].end]
    return small if small.endswith(("\n", "\r")) else small + "\n"


def _line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def _with_cell(text: str, record: Record, index: int, value: str) -> str:
    """``text`` with one cell of one record replaced (that record written again by the csv module)."""
    cells = list(record.cells)
    cells[index] = value
    return text[: record.start] + _line(cells) + text[record.end :]


def variants(text: str, encoding: str, bad: tuple[str, str], duplicates: str = "refused") -> list[Variant]:
    """The malformed variants of a whole file (``text``, ending with a line break, read in ``encoding``).

    ``bad`` is a (column, value) that the importer refuses on any row; ``duplicates`` says what it does with
    a row repeated word for word: "refused", or "folded" into what the first one states."""
    found = records(text)
    header, last, middle = found[0].cells, found[-1], found[max(1, len(found) // 2)]
    whole = text.rstrip("\n")
    quoted = whole.endswith('"' + last.cells[-1].replace('"', '""') + '"')
    cut = (len(last.cells[-1]) + 1) // 2 + (1 if quoted else 0)
    column, value = bad
    made = [
        Variant("truncated", whole[: len(whole) - cut].encode(encoding), "refused", last.row),
        Variant(
            "cut mid-row",
            text[: middle.start + (middle.end - middle.start) // 2].encode(encoding),
            "refused",
            middle.row,
        ),
        Variant("header only", text[: found[0].end].encode(encoding), "refused", 2),
        Variant("utf-16", text.encode("utf-16"), "refused"),
        Variant("byte-order mark", BOM + text.encode(encoding), "same"),
        Variant("crlf", text.replace("\n", "\r\n").encode(encoding), "same"),
        Variant(
            "huge field",
            _with_cell(text, last, 0, "x" * (MAX_CELL + 1)).encode(encoding),
            "refused",
            last.row,
            header[0],
        ),
        Variant(
            "control character",
            _with_cell(text, last, 0, last.cells[0] + "\x01").encode(encoding),
            "refused",
            last.row,
            header[0],
        ),
        Variant(
            "format character",
            _with_cell(text, last, 0, last.cells[0][:1] + "\u00ad" + last.cells[0][1:]).encode(encoding),
            "refused",
            last.row,
            header[0],
        ),
        Variant(
            "byte-order mark mid-file",
            text[: middle.start].encode(encoding) + BOM + text[middle.start :].encode(encoding),
            "refused",
            middle.row,
            header[0],
        ),
        Variant(
            "duplicate key",
            (text + text[found[1].start : found[1].end]).encode(encoding),
            duplicates,
            last.row + 1 if duplicates == "refused" else None,
        ),
        Variant(
            "header repeated mid-file",
            (text[: middle.start] + text[: found[0].end] + text[middle.start :]).encode(encoding),
            "refused",
            middle.row,
        ),
        Variant(
            "column named twice",
            "".join(_line([*record.cells, record.cells[0]]) for record in found).encode(encoding),
            "refused",
            1,
            header[0],
        ),
        Variant(
            "bad value on the last row",
            _with_cell(text, last, header.index(column), value).encode(encoding),
            "refused",
            last.row,
        ),
    ]
    other = "cp1252" if encoding == "utf-8" else "utf-8"
    if not text.isascii():
        with contextlib.suppress(UnicodeEncodeError):  # characters the other lacks: it cannot be mistaken for it
            made.append(Variant(f"in {other}", text.encode(other), "refused"))
    return made
