"""The bundled tables, read as a test reads them to work out what an answer must say: from the sources, never from
the program's own output."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def table(name: str) -> list[dict[str, str]]:
    """A bundled table's rows (its first, after the header, is the sources' row 2)."""
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def disputed_rows(file: str) -> set[int]:
    """The rows of ``file`` that data/conflicts.csv says another source disagrees with, on either side."""
    return {
        int(row[side])
        for row in table("conflicts.csv")
        if row["file"] == file
        for side in ("row", "contradicted_by_row")
    }
