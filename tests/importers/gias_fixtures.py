"""Builders of small GIAS files for the tests: fictional schools under the real headers.

The establishment rows are fictional (URNs from 9000001, made-up names and a made-up local authority) so no
test ever puts an invented fact on a real school; the header is the real one, all 140 columns in order, read
here with the csv module from the bundled column list.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"
LINKS_FILE = DATA / "gias_links_20250422.csv"
LINK_HEADER = ("URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate")

with (DATA / "gias_edubaseall_columns.csv").open(encoding="utf-8", newline="") as _handle:
    _COLUMN_RECORDS = list(csv.DictReader(_handle))
#: The real edubasealldata header, in order.
EDUBASEALL_HEADER = tuple(record["csv_column_name"] for record in _COLUMN_RECORDS)
#: The header of a file downloaded after 22 April 2025: the columns the column list says were dropped are gone.
EDUBASEALL_HEADER_LATER = tuple(
    record["csv_column_name"]
    for record in _COLUMN_RECORDS
    if "Not in files downloaded" not in record["note_from_witan_gias"]
)

RIGHT_QUOTE = "\u2019"  # Windows-1252 byte 0x92, three bytes in UTF-8

ASHGROVE = {
    "URN": "9000001",
    "EstablishmentName": "Ashgrove Primary School",
    "LA (code)": "990",
    "LA (name)": "Ashgrove Borough (fictional)",
    "TypeOfEstablishment (name)": "Community school",
    "PhaseOfEducation (name)": "Primary",
    "EstablishmentStatus (name)": "Open",
    "OpenDate": "01-09-1998",
    "CloseDate": "",
    "Town": "Ashgrove",
    "Postcode": "AG1 2XY",  # fictional, as the school is: no real district is AG1
}
ST_MARYS = {
    "URN": "9000002",
    "EstablishmentName": f"St Mary{RIGHT_QUOTE}s Church of England Academy",
    "LA (code)": "990",
    "LA (name)": "Ashgrove Borough (fictional)",
    "TypeOfEstablishment (name)": "Academy converter",
    "PhaseOfEducation (name)": "Secondary",
    "EstablishmentStatus (name)": "Open",
    "OpenDate": "01-04-2012",
}
CAFE_LANE = {
    "URN": "9000003",
    "EstablishmentName": "Café Lane Infant School",
    "LA (code)": "990",
    "LA (name)": "Ashgrove Borough (fictional)",
    "TypeOfEstablishment (name)": "Community school",
    "PhaseOfEducation (name)": "Primary",
    "EstablishmentStatus (name)": "Closed",
    "OpenDate": "01-09-1975",
    "CloseDate": "31-03-2012",
}
FICTIONAL_SCHOOLS = (ASHGROVE, ST_MARYS, CAFE_LANE)


def edubaseall_text(rows: Iterable[Mapping[str, str]], header: Sequence[str] = EDUBASEALL_HEADER) -> str:
    """An edubasealldata file as text: every header column on every row, blank unless the row gives it."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue()


def write_edubaseall(
    path: Path,
    rows: Iterable[Mapping[str, str]] = FICTIONAL_SCHOOLS,
    *,
    header: Sequence[str] = EDUBASEALL_HEADER,
    encoding: str = "cp1252",
) -> Path:
    """Write an edubasealldata file as GIAS publishes it (Windows-1252 unless told otherwise)."""
    path.write_bytes(edubaseall_text(rows, header).encode(encoding))
    return path


def write_links(
    path: Path, rows: Iterable[Sequence[str]], *, header: Sequence[str] = LINK_HEADER, encoding: str = "utf-8"
) -> Path:
    """Write a links file with the real header (all cells quoted, as in the real download)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path
