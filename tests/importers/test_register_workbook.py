"""external-shares: the register workbook through its column mapping, as ODS, XLSX and CSV, on both stores.

EVERYTHING HERE IS FICTIONAL: the real workbook could not be obtained, so these workbooks are built in
tmp_path from made-up rows ("Example Analytics Ltd", reference DS09999, data set "FICTIONAL_SET"). They
describe no real organisation, share or data item.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from importers import register_workbook
from importers.reading import MAX_CELL, BadInput
from importers.register_workbook import (
    CANONICAL_COLUMNS,
    MAPPING_FILE,
    MAX_MAPPING_BYTES,
    ColumnMapping,
    ExternalSharesImporter,
    load_mapping,
    read_workbook,
)
from lineage.model import Certainty, CertaintyLevel, Citation, EdgeKind, Node, NodeKind
from lineage.store import Direction, Store
from lineage.stores.memory import MemoryStore

FICTION = Citation("external-shares tests (fictional)", "tests/importers/test_register_workbook.py", None, "")
COLUMNS = [
    "Reference",
    "Organisation",
    "Date approved",
    "Data requested",
    "Tiers",
    "Purpose",
    "Legal gateway",
    "Panel",
    "Access route",
    "Status",
]
DSAP = [
    # reference, organisation, date approved, data requested, tiers, purpose, gateway, panel, route, status
    ["DS09999", "Example Analytics Ltd", dt.date(2019, 5, 14), "FICTIONAL_SET; FICTIONAL_SET/Fict_Name", "",
     "Fictional project", "Fictional gateway s.1", "", "ONS SRS", "approved"],
    ["DS09998", "Example Research Trust", "03/06/2020", "Fict_Unknown_Alias", "", "", "", "", "extract", ""],
]  # fmt: skip
PRE_2018 = [["", "Example Newspapers Ltd", "14.03.2017", "", "Tier 1 and Tier 2", "", "", "", "", "approved"]]
HOME_OFFICE = [["R9999", "Home Office", "", "", "", "Fictional tracing", "Fictional MoU", "", "", ""]]


def sheets() -> dict[str, pd.DataFrame]:
    return {
        "Classification of data": pd.DataFrame([["Tier 1", "fictional"]], columns=["Tier", "Meaning"]),
        "DSAP approved shares": pd.DataFrame(DSAP, columns=COLUMNS),
        "NPD requests before April 2018": pd.DataFrame(PRE_2018, columns=COLUMNS),
        "Home Office": pd.DataFrame(HOME_OFFICE, columns=COLUMNS),
    }


def write_workbook(path: Path, frames: dict[str, pd.DataFrame]) -> Path:
    engine = {".ods": "odf", ".xlsx": "openpyxl"}[path.suffix]
    with pd.ExcelWriter(path, engine=engine) as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return path


def fictional_items() -> list[Node]:
    cite = frozenset({FICTION})
    return [
        Node(NodeKind.DATASET, "FICTIONAL_SET", "Fictional data set", {}, cite),
        Node(NodeKind.DATA_ITEM, "FICTIONAL_SET/Fict_Name", "Fict_Name", {"alias": "Fict_Name", "old_tier": 1}, cite),
        Node(NodeKind.DATA_ITEM, "FICTIONAL_SET/Fict_Flag", "Fict_Flag", {"alias": "Fict_Flag", "old_tier": 4}, cite),
    ]


def graph(store: Store) -> tuple[set, set]:
    """The graph without import runs, with citations reduced to (sheet, row): the same rows in any file format."""
    nodes = {
        (n.id, tuple(sorted(n.props.items())), n.certainty, frozenset((c.file, c.row) for c in n.citations))
        for n in store.list_nodes(limit=1000).items
        if n.kind is not NodeKind.IMPORT_RUN
    }
    edges = set()
    for node_id, *_ in nodes:
        for hop in store.neighbours(node_id, Direction.BOTH, limit=1000).hops.items:
            e = hop.edge
            edges.add((e.id, e.certainty, frozenset((c.file, c.row) for c in e.citations)))
    return nodes, edges


def hops(store: Store, id_: str, kind: EdgeKind):
    return store.neighbours(id_, Direction.BOTH, edge_kinds=[kind]).hops.items


def test_ods_and_xlsx_import_the_same_graph(empty_store: Store, tmp_path: Path) -> None:
    graphs = []
    for suffix in (".ods", ".xlsx"):
        empty_store.clear()
        empty_store.write(fictional_items())
        report = ExternalSharesImporter().run(empty_store, write_workbook(tmp_path / f"register{suffix}", sheets()))
        assert (report.rows_read, report.rows_skipped) == (4, 0)
        graphs.append(graph(empty_store))
    assert graphs[0] == graphs[1]
    assert len(graphs[0][0]) > len(fictional_items())


def test_what_a_dsap_row_gives(empty_store: Store, tmp_path: Path) -> None:
    empty_store.write(fictional_items())
    path = write_workbook(tmp_path / "register.ods", sheets())
    report = ExternalSharesImporter().run(empty_store, path)
    cite = Citation(
        f"DfE external data shares ({path.name})", "DSAP approved shares", 2, ExternalSharesImporter.address
    )

    release = empty_store.get_node("Release:DS09999")
    assert release.citations == {cite}
    assert release.props == {
        "reference": "DS09999",
        "register": "DfE external data shares: third-party shares approved by the Data Sharing Approvals Panel",
        "date": dt.date(2019, 5, 14),
        "status": "approved",
        "purpose": "Fictional project",
        "scope_published": True,
    }
    (approval,) = hops(empty_store, release.id, EdgeKind.APPROVED_BY)
    assert approval.node.props == {
        "panel": "DSAP",  # the sheet is the DSAP part and its panel cell is empty
        "decision_date": dt.date(2019, 5, 14),
        "legal_gateway": "Fictional gateway s.1",
        "access_route": "ONS SRS",
    }
    (sent,) = hops(empty_store, release.id, EdgeKind.SENT_TO)
    assert sent.node.id == "Organisation:example analytics" and sent.edge.certainty.level is CertaintyLevel.CONFIRMED
    included = {(hop.node.id, hop.edge.certainty.level) for hop in hops(empty_store, release.id, EdgeKind.INCLUDES)}
    assert included == {
        ("Dataset:FICTIONAL_SET", CertaintyLevel.CONFIRMED),
        ("DataItem:FICTIONAL_SET/Fict_Name", CertaintyLevel.CONFIRMED),
    }
    # DS09998 names an alias no item has: counted, not guessed
    assert report.left_out["INCLUDES (no single data set or item in the store has the name the row gives)"] == 1
    assert hops(empty_store, "Release:DS09998", EdgeKind.INCLUDES) == ()
    assert empty_store.get_node("Release:DS09998").props["date"] == dt.date(2020, 6, 3)  # text date dd/mm/yyyy


def test_pre_2018_tiers_and_an_unreferenced_row(empty_store: Store, tmp_path: Path) -> None:
    empty_store.write(fictional_items())
    ExternalSharesImporter().run(empty_store, write_workbook(tmp_path / "register.xlsx", sheets()))
    key = "dfe-external-data-shares-npd-third-party-requests-approved-before-april-2018/2017-03-14/example-newspapers"
    release = empty_store.get_node(f"Release:{key}")
    assert release.props["tiers"] == ("1", "2") and release.props["scope_published"] is False
    (included,) = hops(empty_store, release.id, EdgeKind.INCLUDES)  # the tier 1 item, not the tier 4 one
    assert included.node.id == "DataItem:FICTIONAL_SET/Fict_Name"
    assert included.edge.certainty == Certainty(CertaintyLevel.TIER_LEVEL)
    (approval,) = hops(empty_store, release.id, EdgeKind.APPROVED_BY)
    assert "panel" not in approval.node.props  # the pre-2018 sheet names no panel
    home_office = empty_store.get_node("Release:R9999")
    assert home_office.props["register"] == "DfE external data shares: data shares with the Home Office"
    (approval,) = hops(empty_store, home_office.id, EdgeKind.APPROVED_BY)
    assert approval.node.props == {"legal_gateway": "Fictional MoU"}


@pytest.mark.parametrize(
    ("tiers", "read"), [("Tiers 1-4", ("1", "2", "3", "4")), ("Tier 1 to 3", ("1", "2", "3")), ("1\u20134", None)]
)
def test_a_range_of_tiers_is_read_whole(tmp_path: Path, tiers: str, read: tuple[str, ...] | None) -> None:
    """The hostile-input reading, round six: "Tiers 1-3" and "Tiers 1 to 4" were read as tier 1 alone, and a bare
    "1-4" as tiers 1 and 4, so the tier rule left out the items of the tiers between."""
    store = MemoryStore()
    store.write(fictional_items())
    rows = [[*PRE_2018[0][:4], tiers, *PRE_2018[0][5:]]]
    ExternalSharesImporter().run(store, write_workbook(tmp_path / "r.xlsx", {**sheets(), _PRE: _frame(rows)}))
    (release,) = [n for n in store.all_nodes(NodeKind.RELEASE) if n.props.get("date") == dt.date(2017, 3, 14)]
    assert release.props["tiers"] == (read or ("1", "2", "3", "4"))
    reached = {h.node.id for h in hops(store, release.id, EdgeKind.INCLUDES)}
    tier_4 = {"DataItem:FICTIONAL_SET/Fict_Flag"} if "4" in release.props["tiers"] else set()
    assert reached == {"DataItem:FICTIONAL_SET/Fict_Name", *tier_4}


@pytest.mark.parametrize(("tiers", "said"), [("Tier 12", "names tier 12"), ("not tier 1", "says 'not tier'")])
def test_a_tier_that_is_none_or_is_denied_is_refused_naming_the_cell(tmp_path: Path, tiers: str, said: str) -> None:
    """ "Tier 12" was read as tier 1, and "not tier 1" as tier 1."""
    rows = [[*PRE_2018[0][:4], tiers, *PRE_2018[0][5:]]]
    path = write_workbook(tmp_path / "r.xlsx", {**sheets(), _PRE: _frame(rows)})
    with pytest.raises(BadInput, match=rf"sheet '{_PRE}', row 2, column 'Tiers': {said}"):
        ExternalSharesImporter().run(MemoryStore(), path)


_PRE = "NPD requests before April 2018"


def _frame(rows: list[list[object]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def test_importing_twice_changes_nothing(empty_store: Store, tmp_path: Path) -> None:
    empty_store.write(fictional_items())
    path = write_workbook(tmp_path / "register.ods", sheets())
    ExternalSharesImporter().run(empty_store, path)
    before = empty_store.counts()
    again = ExternalSharesImporter().run(empty_store, path)
    assert (again.nodes_created, again.edges_created) == (0, 0)
    assert empty_store.counts() == before


def test_a_csv_sheet_and_an_edited_mapping_beside_the_workbook(tmp_path: Path) -> None:
    """An edition with its own headers, its header on row 3, as one CSV sheet, mapped by a file beside it."""
    path = tmp_path / "shares.csv"
    path.write_text(
        "Fictional edition\n\nRef,Recipient,Approved on\nDS09999,Example Analytics Ltd,2019-05-14\n", encoding="utf-8"
    )
    path.with_name("shares.columns.yaml").write_text(
        "sheets:\n  shares:\n    part: dsap\n    header_row: 3\n"
        "    columns: {Ref: reference, Recipient: organisation, Approved on: date_approved}\n",
        encoding="utf-8",
    )
    store = MemoryStore()
    ExternalSharesImporter().run(store, path)
    release = store.get_node("Release:DS09999")
    assert release.props["date"] == dt.date(2019, 5, 14)
    assert next(iter(release.citations)).row == 4


def test_a_mapping_s_keys_are_the_headers_and_sheets_as_written(tmp_path: Path) -> None:
    """The hostile-input reading, round six: YAML read the headers ``No`` and ``On`` as False and True and the
    sheet ``2019.10`` as 2019.1, so a mapping naming them was refused for a sheet "not in the column mapping" or a
    header 'False' no one wrote."""
    path = tmp_path / "2019.10.csv"
    path.write_text("No,Organisation,On\nDS09999,Example Analytics Ltd,2019-05-14\n", encoding="utf-8")
    path.with_name("2019.10.columns.yaml").write_text(
        "sheets:\n  2019.10:\n    part: dsap\n"
        "    columns: {No: reference, Organisation: organisation, On: date_approved}\n",
        encoding="utf-8",
    )
    store = MemoryStore()
    ExternalSharesImporter().run(store, path)
    release = store.get_node("Release:DS09999")
    assert release is not None and release.props["date"] == dt.date(2019, 5, 14)


def test_a_part_with_its_header_only_is_read_with_the_others(tmp_path: Path) -> None:
    """An edition may list no share in a part (no court order that quarter): a sheet with its header only is read,
    as no rows, where another sheet gives some. A workbook no sheet of which gives a row is refused."""
    frames = sheets()
    frames["Home Office"] = frames["Home Office"].iloc[:0]
    store = MemoryStore()
    report = ExternalSharesImporter().run(store, write_workbook(tmp_path / "register.xlsx", frames))
    assert report.rows_read == len(DSAP) + len(PRE_2018)
    assert store.get_node("Release:R9999") is None


def test_a_mapping_that_reads_no_sheet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shares.csv"
    path.write_text("Ref,Recipient\nDS09999,Example Analytics Ltd\n", encoding="utf-8")
    path.with_name("shares.columns.yaml").write_text("sheets:\n  shares:\n    part: ignore\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"shares\.columns\.yaml gives every sheet part: ignore: none is read"):
        ExternalSharesImporter().run(MemoryStore(), path)


# ---- bad input -------------------------------------------------------------------------------------------


def broken(kind: str) -> dict[str, pd.DataFrame]:
    frames = sheets()
    if kind == "unknown sheet":
        frames["Fictional extra sheet"] = frames["Home Office"]
    elif kind == "missing column":
        frames["Home Office"] = frames["Home Office"].rename(columns={"Legal gateway": "Gateway"})
    elif kind == "bad date":
        frames["DSAP approved shares"].loc[1, "Date approved"] = "sometime in 2020"
    elif kind == "duplicate reference":
        frames["Home Office"].loc[0, "Reference"] = "DS09999"
    elif kind == "no tier":
        frames["NPD requests before April 2018"].loc[0, "Tiers"] = "Tier 7"
    elif kind == "column named twice":
        other = pd.DataFrame([["Fictional other purpose"]], columns=["Purpose"])
        frames["Home Office"] = pd.concat([frames["Home Office"], other], axis=1)
    elif kind == "no key":
        frames["NPD requests before April 2018"].loc[0, "Date approved"] = ""
    elif kind == "empty sheet":
        frames["Home Office"] = pd.DataFrame()
    elif kind == "headers only":
        frames.update({name: frame.iloc[:0] for name, frame in frames.items() if name != "Classification of data"})
    return frames


@pytest.mark.parametrize(
    ("kind", "match"),
    [
        ("unknown sheet", r"sheet 'Fictional extra sheet': this sheet is not in the column mapping"),
        ("missing column", r"sheet 'Home Office', row 1, column 'Legal gateway': the mapped header is not"),
        ("column named twice", r"sheet 'Home Office', row 1, column 'Purpose': the header names this column twice"),
        ("bad date", r"sheet 'DSAP approved shares', row 3, column 'Date approved': expected a date"),
        (
            "no tier",
            r"sheet 'NPD requests before April 2018', row 2, column 'Tiers': names tier 7: the old tiers are 1 to 4",
        ),
        ("no key", r"sheet 'NPD requests before April 2018', row 2: a row needs a reference, or a date approved"),
        # its message had ended "(it has: )"
        (
            "empty sheet",
            r"sheet 'Home Office', row 1, column '[^']+': the mapped header is not in the header row "
            r"\(row 1 is empty: the sheet may be empty\)$",
        ),
        (
            "headers only",
            r"sheet 'DSAP approved shares', row 2: this sheet and the 2 other\(s\) the mapping reads have a header "
            r"and no data rows",
        ),
        (
            "duplicate reference",
            r"sheet 'Home Office', row 2, column 'Reference': duplicate share 'DS09999' \(first on",
        ),
    ],
)
@pytest.mark.parametrize("suffix", [".ods", ".xlsx"])
def test_bad_workbooks_name_sheet_row_and_column_and_write_nothing(
    tmp_path: Path, kind: str, match: str, suffix: str
) -> None:
    store = MemoryStore()
    path = write_workbook(tmp_path / f"register{suffix}", broken(kind))
    with pytest.raises(BadInput, match=match):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0


@pytest.mark.parametrize(
    ("suffix", "value", "problem"),
    [
        # each in a format whose writer keeps it: odfpy writes U+FFFD for a C1 control character, and openpyxl
        # cuts a cell to Excel's 32,767 characters
        (".xlsx", "Fictional\x9b tracing", r"holds the control character U\+009B"),
        (".ods", "x" * (MAX_CELL + 1), f"a cell of {MAX_CELL + 1:,} characters; the limit is {MAX_CELL:,}"),
        (".xlsx", "Fictional \u202egnicart", r"holds the invisible format character U\+202E"),
        (".ods", "Fictional trac\u00ading", r"holds the invisible format character U\+00AD"),
        (".ods", "Fictional\u2028tracing", r"holds the line separator U\+2028, a line break no spreadsheet writes"),
        (".xlsx", "Fictional\u2029tracing", r"holds the paragraph separator U\+2029, a line break no spreadsheet"),
    ],
)
@pytest.mark.filterwarnings("ignore:Cell contents too long")  # pandas warns of Excel's limit for an ODS too
def test_a_workbook_cell_is_refused_as_a_csv_cell_is(tmp_path: Path, suffix: str, value: str, problem: str) -> None:
    """The probes' cases: a cell a CSV may not hold (a control or format character, more than the limit) was
    stored from a workbook; round nine: a line or paragraph separator, from a workbook as from a CSV."""
    frames = sheets()
    frames["Home Office"].loc[0, "Purpose"] = value
    store = MemoryStore()
    with pytest.raises(BadInput, match=rf"sheet 'Home Office', row 2, column 'Purpose': {problem}"):
        ExternalSharesImporter().run(store, write_workbook(tmp_path / f"register{suffix}", frames))
    assert store.counts().total_nodes == 0


@pytest.mark.parametrize("suffix", [".ods", ".xlsx"])
def test_a_workbook_unpacking_past_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """A zip bomb's case in small: the limit is set one byte below what the workbook's parts unpack to, as its
    zip directory says (read here with zipfile), and above its size on disk. Before, only the size on disk was
    limited, and a few kilobytes of XLSX can unpack to gigabytes."""
    path = write_workbook(tmp_path / f"register{suffix}", sheets())
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(part.file_size for part in archive.infolist())
    assert path.stat().st_size < unpacked - 1
    monkeypatch.setenv("LINEAGE_MAX_IMPORT_BYTES", str(unpacked - 1))
    store = MemoryStore()
    with pytest.raises(BadInput, match=f"unpack to {unpacked:,} bytes; an import reads at most {unpacked - 1:,}"):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0
    monkeypatch.setenv("LINEAGE_MAX_IMPORT_BYTES", str(unpacked))
    ExternalSharesImporter().run(store, path)


def test_bad_files_and_mappings_are_refused(tmp_path: Path) -> None:
    store = MemoryStore()
    (tmp_path / "register.ods").write_bytes(b"not a zip at all")
    with pytest.raises(BadInput, match="cannot be read as ODS"):
        ExternalSharesImporter().run(store, tmp_path / "register.ods")
    (tmp_path / "register.txt").write_text("x", encoding="utf-8")
    with pytest.raises(BadInput, match="not an ODS, XLSX or CSV"):
        ExternalSharesImporter().run(store, tmp_path / "register.txt")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("sheets:\n  A:\n    part: dsap\n    columns: {Org: recipient}\n", encoding="utf-8")
    path = write_workbook(tmp_path / "fine.xlsx", sheets())
    with pytest.raises(BadInput, match=r"unknown canonical column.*recipient"):
        ExternalSharesImporter(mapping).run(store, path)
    mapping.write_text("sheets:\n  A:\n    part: dsap\n    columns: {Ref: reference}\n", encoding="utf-8")
    with pytest.raises(BadInput, match="no header is mapped to organisation"):
        ExternalSharesImporter(mapping).run(store, path)
    assert store.counts().total_nodes == 0
    assert MAPPING_FILE.is_file()


def test_a_name_two_data_sets_share_includes_neither(tmp_path: Path) -> None:
    store = MemoryStore()
    twins = [Node(NodeKind.DATASET, key, "Fictional twin", {}, frozenset({FICTION})) for key in ("TWIN_A", "TWIN_B")]
    store.write([*fictional_items(), *twins])
    frames = sheets()
    frames["DSAP approved shares"].loc[0, "Data requested"] = "Fictional twin; TWIN_A"
    report = ExternalSharesImporter().run(store, write_workbook(tmp_path / "register.xlsx", frames))
    (included,) = hops(store, "Release:DS09999", EdgeKind.INCLUDES)
    assert included.node.id == "Dataset:TWIN_A"  # named by its key; the shared name names neither
    assert report.left_out["INCLUDES (no single data set or item in the store has the name the row gives)"] == 2


@pytest.mark.parametrize("suffix", [".ods", ".xlsx"])
def test_a_sheet_spanning_more_cells_than_an_import_lays_out_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """A helper's finding: a 5 KB XLSX holding A1 and one cell at row 200,000, column 16,000 ran the reader out of
    memory (it pads every row to the widest), and an ODS cell repeated as often would too. Here the limit is set
    below a small sheet's span (its rows times its widest row, counted from the sheets written), and the same
    sheet imports under a limit it fits."""
    from importers import register_workbook

    written = sheets()
    path = write_workbook(tmp_path / f"register{suffix}", written)
    span = max((len(frame) + 1) * len(frame.columns) for frame in written.values())  # a header row, then its rows
    monkeypatch.setattr(register_workbook, "MAX_SHEET_CELLS", span - 1)
    store = MemoryStore()
    with pytest.raises(BadInput, match=f"columns, over the {span - 1:,} cells an import lays out"):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0
    monkeypatch.setattr(register_workbook, "MAX_SHEET_CELLS", span)
    ExternalSharesImporter().run(store, path)


def test_a_sparse_sheet_naming_a_far_cell_is_refused_without_laying_it_out(tmp_path: Path) -> None:
    """The finding itself, at its full size and the default limit: refused, naming the span, not read."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "Reference"
    sheet.cell(row=200_000, column=16_000, value="far")
    path = tmp_path / "sparse.xlsx"
    book.save(path)
    assert path.stat().st_size < 20_000
    with pytest.raises(BadInput, match="spans 200,000 rows by 16,000 columns"):
        ExternalSharesImporter().run(MemoryStore(), path)


@pytest.mark.parametrize(
    ("cell", "value", "said"),
    [
        ("C2", "#VALUE!", "cell C2 holds the error #VALUE!, not a value"),
        ("A3", "#N/A", "cell A3 holds the error #N/A, not a value"),
        ("B2", '="Example "&"Analytics Ltd"', "cell B2 holds a formula with no saved value"),
    ],
)
def test_a_cell_whose_value_cannot_be_read_is_refused_naming_sheet_and_cell(
    tmp_path: Path, cell: str, value: str, said: str
) -> None:
    """The hostile-input reading, round six: the reader takes an error cell (#VALUE!, #N/A) and a formula a script
    saved uncalculated for an empty cell, so a release lost its date or its reference (its key made of another
    row's cells), and an organisation so written became "no organisation named"."""
    import openpyxl

    path = write_workbook(tmp_path / "register.xlsx", sheets())
    book = openpyxl.load_workbook(path)
    book["DSAP approved shares"][cell] = value  # openpyxl writes a formula as it is, with no value calculated
    book.save(path)
    store = MemoryStore()
    with pytest.raises(BadInput, match=re.escape(f"sheet 'DSAP approved shares': {said}")):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0


def test_an_ods_cell_holding_an_error_is_refused_naming_sheet_and_cell(tmp_path: Path) -> None:
    """LibreOffice marks a formula whose result is an error; its text (#N/A) was read as an empty cell. Here the
    third cell of DS09998's row, its date approved."""
    calc = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
    error = (
        '<table:table-cell table:formula="of:=NA()" calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>'
    )

    def with_error(content: str) -> str:
        start = content.index("<table:table-cell", content.index("<table:table-cell", content.index("DS09998")) + 1)
        end = content.index("</table:table-cell>", start) + len("</table:table-cell>")
        content = content[:start] + error + content[end:]
        return content.replace("<office:document-content ", f'<office:document-content xmlns:calcext="{calc}" ', 1)

    path = _ods_rewritten(write_workbook(tmp_path / "register.ods", sheets()), with_error)
    with pytest.raises(BadInput, match=re.escape("sheet 'DSAP approved shares': cell C3 holds the error #N/A")):
        ExternalSharesImporter().run(MemoryStore(), path)


def _rewritten(source: Path, target: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    """A copy of a workbook (an XLSX or an ODS: zip archives both) with its parts changed by ``change`` (name ->
    bytes); ``target`` may be ``source``."""
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    change(parts)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def _ods_rewritten(path: Path, change: Callable[[str], str]) -> Path:
    """The ODS at ``path`` with its content.xml (every sheet) changed by ``change``, in place."""

    def content(parts: dict[str, bytes]) -> None:
        parts["content.xml"] = change(parts["content.xml"].decode("utf-8")).encode("utf-8")

    return _rewritten(path, path, content)


FAR_ROW = '<row r="200000">' + "<c/>" * 99 + '<c t="inlineStr"><is><t>x</t></is></c></row>'


FAR_ROWS = {
    "cells without their references": FAR_ROW,
    "a sheet outside xl/worksheets": FAR_ROW,
    "a sheet not named .xml": FAR_ROW,
    "cells naming row 1 in row 200,000": FAR_ROW.replace("<c/>" * 99 + "<c ", '<c r="CV1" '),
    "a row number written 2e5": FAR_ROW.replace('r="200000"', 'r="2e5"'),
}


@pytest.mark.parametrize("where", list(FAR_ROWS))
def test_a_far_sheet_span_is_refused_however_the_sheet_names_it(tmp_path: Path, where: str) -> None:
    """The hostile-input reading, round four: the span counted only cells giving their reference, in parts under
    xl/worksheets/; 100 cells without references in row 200,000, or the sheet moved elsewhere (the workbook's
    relationships name it), passed, and 20 million cells were laid out (730 MB) from a 5 KB file. The review of the
    diff: so did a sheet under any name, a row whose cells name row 1, and a row number written as 2e5."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "Reference"
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    part = "xl/worksheets/sheet1.xml"

    def far(parts: dict[str, bytes]) -> None:
        parts[part] = parts[part].replace(b"</sheetData>", FAR_ROWS[where].encode() + b"</sheetData>")
        moved = {"a sheet outside xl/worksheets": "other/s.xml", "a sheet not named .xml": "other/s.dat"}.get(where)
        if moved:
            parts[f"xl/{moved}"] = parts.pop(part)
            for name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                parts[name] = parts[name].replace(b"worksheets/sheet1.xml", moved.encode())

    path = _rewritten(plain, tmp_path / "far.xlsx", far)
    assert path.stat().st_size < 20_000
    with pytest.raises(BadInput, match="spans 200,000 rows by 100 columns"):
        ExternalSharesImporter().run(MemoryStore(), path)


@pytest.mark.parametrize(
    ("run", "cells", "refused"),
    [
        ('<text:s text:c="100000000"/>' * 8, 1, "a cell names 800,000,000 spaces"),
        ('<text:s text:c="100_000_000"/>' * 8, 1, "a cell names 800,000,000 spaces"),
        ('<text:s text:c="100000"/>', 8_000, "its cells name 800,000,000 spaces in all"),
    ],
    ids=["one cell", "a count written 100_000_000", "a cell repeated 8,000 times"],
)
def test_spaces_an_ods_names_past_what_an_import_reads_are_refused_before_they_are_written(
    tmp_path: Path, run: str, cells: int, refused: str
) -> None:
    """The review of the diff: the count of spaces was read as digits alone, where the reader's int() takes
    "100_000_000" too, and only the widest cell was bounded, so a cell of 100,000 spaces repeated 8,000 times
    (each written out) made 800 million characters."""
    plain = write_workbook(tmp_path / "register.ods", sheets())

    def spaced(parts: dict[str, bytes]) -> None:
        text = parts["content.xml"].decode()
        repeated = f' table:number-columns-repeated="{cells}"' if cells > 1 else ""
        parts["content.xml"] = re.sub(
            r"<table:table-cell([^>]*)><text:p>([^<]+)</text:p>",
            rf"<table:table-cell\1{repeated}><text:p>\2{run}</text:p>",
            text,
            count=1,
        ).encode()

    path = _rewritten(plain, tmp_path / "spaces.ods", spaced)
    with pytest.raises(BadInput, match=re.escape(refused)):
        ExternalSharesImporter().run(MemoryStore(), path)


def test_an_ods_cell_naming_more_spaces_than_a_cell_holds_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """The hostile-input reading, round four: eight <text:s text:c="100000000"/> in one cell of a 1.7 KB ODS were
    written out by the reader as 800 million characters (1.8 GB) before the cell limit refused them; out of
    memory, the message gave no reason."""
    plain = write_workbook(tmp_path / "register.ods", sheets())

    def spaced(parts: dict[str, bytes]) -> None:
        text = parts["content.xml"].decode()
        run = '<text:s text:c="100000000"/>' * 8
        parts["content.xml"] = re.sub(r"<text:p>([^<]+)</text:p>", rf"<text:p>\1{run}</text:p>", text, count=1).encode()

    path = _rewritten(plain, tmp_path / "spaces.ods", spaced)
    assert path.stat().st_size < 20_000
    with pytest.raises(BadInput, match=f"a cell names 800,000,000 spaces; the limit of a cell is {MAX_CELL:,}"):
        ExternalSharesImporter().run(MemoryStore(), path)
    ExternalSharesImporter().run(MemoryStore(), plain)  # the same workbook without them imports


GOOD_MAPPING = (
    "sheets:\n  shares:\n    part: dsap\n    columns: {Ref: reference, Recipient: organisation, Approved on: "
    "date_approved}\n"
)
LAUGHS = "".join(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 9))


@pytest.mark.parametrize(
    ("mapping", "refused"),
    [
        (
            f"a0: &a0 x\n{LAUGHS}{GOOD_MAPPING.replace('date_approved}', 'date_approved, X: *a8}')}",
            "maps to a canonical column's",
        ),
        ("sheets: " + "[" * 5000 + "]" * 5000 + "\n", "nested over 8 deep at line 1"),
        (f"{GOOD_MAPPING}date_formats: ['%Y-%m-%d (%Y)']\n", "date_formats entry 1, '%Y-%m-%d (%Y)': not a date"),
        (f"{GOOD_MAPPING}date_formats: ['%Y-%m-%Q']\n", "date_formats entry 1, '%Y-%m-%Q': not a date format"),
        (GOOD_MAPPING.replace("Recipient: organisation", "Recipient: [organisation]"), "maps to a canonical column's"),
        (f"{GOOD_MAPPING}  shares:\n    part: police\n", "'shares' is given twice in one mapping (lines 2 and 5)"),
        (GOOD_MAPPING.replace("Ref: reference", "Ref: reference, Ref: organisation"), "'Ref' is given twice"),
    ],
    ids=[
        "alias bomb",
        "nesting",
        "a directive twice",
        "an unknown directive",
        "a list for a column's name",
        "a sheet twice",
        "a column twice",
    ],
)
def test_a_hostile_or_mistaken_mapping_file_is_refused_naming_it(tmp_path: Path, mapping: str, refused: str) -> None:
    """The hostile-input reading, round four: 571 bytes of nested aliases, as a column's name, were written out
    past all memory, a list 5,000 deep ran the loader out of stack (both tracebacks), a date format naming %Y twice
    raised the pattern module's own error, and one with an unknown directive blamed the first date cell; round five:
    a sheet or a column given twice silently took the last. Each names the mapping file now."""
    path = tmp_path / "shares.csv"
    path.write_text("Ref,Recipient,Approved on\nDS09999,Example Analytics Ltd,2019-05-14\n", encoding="utf-8")
    mapped = path.with_name("shares.columns.yaml")
    mapped.write_text(mapping, encoding="utf-8")
    with pytest.raises(BadInput, match=re.escape(refused)) as caught:
        ExternalSharesImporter().run(MemoryStore(), path)
    assert str(caught.value).startswith(str(mapped))
    mapped.write_text(GOOD_MAPPING, encoding="utf-8")
    ExternalSharesImporter().run(MemoryStore(), path)  # the same file, mapped plainly, imports


def test_a_workbook_naming_a_sheet_it_does_not_hold_says_which(tmp_path: Path) -> None:
    """The hostile-input reading, round four: an XLSX whose sheet part was missing, though the workbook names it,
    was refused as 'Sheet name is an empty list', naming neither the sheet nor the part."""
    plain = write_workbook(tmp_path / "register.xlsx", sheets())

    def without_first_sheet(parts: dict[str, bytes]) -> None:
        del parts["xl/worksheets/sheet1.xml"]

    path = _rewritten(plain, tmp_path / "missing.xlsx", without_first_sheet)
    with pytest.raises(BadInput, match=re.escape("names sheet part(s) it does not hold: xl/worksheets/sheet1.xml")):
        ExternalSharesImporter().run(MemoryStore(), path)


def _cut_strings(parts: dict[str, bytes]) -> None:
    """Shared strings cut short, in the part the workbook's content types name for them."""
    parts["xl/sharedStrings.xml"] = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Exa'
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{register_workbook._SHARED_STRINGS_TYPE}"/>'
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", f"{override}</Types>".encode())


def _cut(part: str) -> Callable[[dict[str, bytes]], None]:
    def cut(parts: dict[str, bytes]) -> None:
        parts[part] = parts[part][: len(parts[part]) // 2]

    return cut


@pytest.mark.parametrize(
    ("suffix", "change", "part"),
    [
        (".xlsx", _cut_strings, "xl/sharedStrings.xml"),
        (".xlsx", _cut("xl/worksheets/sheet2.xml"), "xl/worksheets/sheet2.xml"),
        (".ods", _cut("content.xml"), "content.xml"),
    ],
    ids=["shared strings", "a sheet", "an ODS's content"],
)
def test_a_workbook_part_cut_short_is_refused_naming_the_part(
    tmp_path: Path, suffix: str, change: Callable[[dict[str, bytes]], None], part: str
) -> None:
    """The hostile-input reading, round nine: a part cut short was refused in the XML parser's words alone ("no
    element found: line 1, column 378"), naming no part of the file."""
    path = _rewritten(write_workbook(tmp_path / f"source{suffix}", sheets()), tmp_path / f"register{suffix}", change)
    store = MemoryStore()
    with pytest.raises(BadInput, match=re.escape(f"its part {part} is not whole XML (")):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0


def test_a_reader_failing_without_words_is_named_by_what_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hostile-input reading, round four: out of memory, the reader's error has no words, and the refusal said
    'cannot be read as ODS: ' and nothing after it."""

    def out_of_memory(*_: object, **__: object) -> None:
        raise MemoryError

    path = write_workbook(tmp_path / "register.xlsx", sheets())
    monkeypatch.setattr(pd, "read_excel", out_of_memory)
    with pytest.raises(BadInput, match=r"cannot be read as XLSX: MemoryError$"):
        ExternalSharesImporter().run(MemoryStore(), path)


def _sheet_xml(parts: dict[str, bytes], change: Callable[[str], str], part: str = "xl/worksheets/sheet2.xml") -> None:
    parts[part] = change(parts[part].decode("utf-8")).encode("utf-8")


#: The hostile-input reading, round seven: a workbook the reader reads otherwise than it is written, each losing or
#: moving rows with no word. How each is changed (the DSAP sheet, sheet2.xml, rows 2 and 3 its two data rows) and
#: what the refusal says.
UNORDERED = {
    "a second sheet of one name": (
        lambda parts: _sheet_xml(
            parts, lambda xml: xml.replace('"Home Office"', '"DSAP approved shares"'), "xl/workbook.xml"
        ),
        "the workbook names more than one sheet 'DSAP approved shares'",
    ),
    "a row given twice": (
        lambda parts: _sheet_xml(parts, lambda xml: xml.replace('<row r="3">', '<row r="2">')),
        "sheet 'DSAP approved shares': row 2 comes after row 2",
    ),
    "rows out of order": (
        lambda parts: _sheet_xml(parts, lambda xml: xml.replace('<row r="2">', '<row r="9">')),
        "sheet 'DSAP approved shares': row 3 comes after row 9",
    ),
    "a cell given twice": (
        lambda parts: _sheet_xml(parts, lambda xml: xml.replace('<c r="B2"', '<c r="A2"')),
        "sheet 'DSAP approved shares': cell A2 comes after cell A2 in its row",
    ),
}


@pytest.mark.parametrize("case", list(UNORDERED))
def test_an_xlsx_giving_a_sheet_row_or_cell_twice_or_out_of_order_is_refused(tmp_path: Path, case: str) -> None:
    """The reader read a second sheet of one name as the first (its rows lost), kept one of two rows of a number
    and dropped a row given before the one above it, and kept the last of two values of a cell: each import said
    'read 1' and wrote what was left."""
    change, said = UNORDERED[case]
    path = _rewritten(write_workbook(tmp_path / "source.xlsx", sheets()), tmp_path / "register.xlsx", change)
    store = MemoryStore()
    with pytest.raises(BadInput, match=re.escape(said)):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("<table:table-cell", '<table:table-cell table:number-columns-repeated="0"'), "is repeated '0' times"),
        (("<table:table-cell", '<table:table-cell table:number-columns-repeated="-1"'), "is repeated '-1' times"),
        (("<table:table-cell", '<table:table-cell table:number-columns-repeated="x1"'), "is repeated 'x1' times"),
        (("<table:table-row", '<table:table-row table:number-rows-repeated="0"'), "is repeated '0' times"),
        (('table:name="Home Office"', 'table:name="DSAP approved shares"'), "names more than one sheet"),
    ],
)
def test_an_ods_repeating_a_row_or_cell_no_whole_number_of_times_or_naming_two_sheets_alike_is_refused(
    tmp_path: Path, change: tuple[str, str], said: str
) -> None:
    """A repeat count of 0 or -1 dropped a cell, and every cell after it moved a column left (an organisation read
    as a release's reference), or dropped a row; 'x1' gave Python's words alone; two tables of one name read as one."""
    old, new = change

    def repeated(content: str) -> str:
        data_row = content.rindex("<table:table-row", 0, content.index("DS09999"))  # the DSAP sheet's first data row
        at = content.index(old, data_row if old.startswith("<") else 0)
        return content[:at] + new + content[at + len(old) :]

    path = _ods_rewritten(write_workbook(tmp_path / "register.ods", sheets()), repeated)
    store = MemoryStore()
    with pytest.raises(BadInput, match=re.escape(said)):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0


@pytest.mark.parametrize("count", [" 1", "1 ", "\t1\n"])
def test_an_ods_repeat_count_with_spaces_around_its_digits_is_read(tmp_path: Path, count: str) -> None:
    """The hostile-input reading, round eight: a count of repeats written " 1" (XML Schema's positiveInteger reads
    past white space around its digits, as the reader's int() does) was refused as no whole number."""
    cell = "<table:table-cell"

    def repeated(content: str) -> str:
        at = content.index(cell, content.rindex("<table:table-row", 0, content.index("DS09998")))
        return content[:at] + f'{cell} table:number-columns-repeated="{count}"' + content[at + len(cell) :]

    path = _ods_rewritten(write_workbook(tmp_path / "register.ods", sheets()), repeated)
    store = MemoryStore()
    store.write(fictional_items())
    assert ExternalSharesImporter().run(store, path).rows_read == 4


def _too_large(mapped: Path) -> None:
    """A good mapping and a comment, one byte past the limit."""
    mapped.write_text(f"{GOOD_MAPPING}# {'x' * (MAX_MAPPING_BYTES - len(GOOD_MAPPING) - 2)}\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("make", "refused"),
    [
        (_too_large, f"the column-mapping file is {MAX_MAPPING_BYTES + 1:,} bytes; an import reads at most 262,144"),
        (os.mkfifo, "cannot be read as a column-mapping file: it is a FIFO (named pipe), not a regular file"),
        (Path.mkdir, "cannot be read as a column-mapping file: it is a directory, not a regular file"),
        (lambda mapped: mapped.symlink_to("nowhere"), "cannot be read as a column-mapping file: it is a symbolic link"),
    ],
    ids=["past the limit", "a FIFO", "a directory", "a broken symbolic link"],
)
def test_a_mapping_beside_the_workbook_past_its_limit_or_no_regular_file_is_refused_naming_it(
    tmp_path: Path, make: Callable[[Path], object], refused: str
) -> None:
    """A reviewer's repro: a mapping had no size limit, and was parsed in pure Python twice a run (3.5 MB of a list
    beside a two-line CSV took 26.6 s and 300 MB, 38 MB was killed after 5 minutes at 2.4 GB); a FIFO, a directory
    or a broken symbolic link in the mapping's place was passed over for the bundled mapping, which then refused
    the sheet as not mapped. Each is refused naming the mapping file now, and nothing is written."""
    path = tmp_path / "shares.csv"
    path.write_text("Ref,Recipient,Approved on\nDS09999,Example Analytics Ltd,2019-05-14\n", encoding="utf-8")
    mapped = path.with_name("shares.columns.yaml")
    make(mapped)
    store = MemoryStore()
    with pytest.raises(BadInput) as caught:
        ExternalSharesImporter().run(store, path)
    assert str(caught.value).startswith(f"{mapped}: {refused}")
    assert store.counts().total_nodes == 0


def test_a_mapping_is_read_once_a_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It had been read and parsed twice a run, by extract and by transform, and a run takes one reading of it."""
    path = tmp_path / "shares.csv"
    path.write_text("Ref,Recipient,Approved on\nDS09999,Example Analytics Ltd,2019-05-14\n", encoding="utf-8")
    path.with_name("shares.columns.yaml").write_text(GOOD_MAPPING, encoding="utf-8")
    read: list[Path] = []

    def counted(mapped: Path) -> ColumnMapping:
        read.append(mapped)
        return load_mapping(mapped)

    monkeypatch.setattr(register_workbook, "load_mapping", counted)
    importer, store = ExternalSharesImporter(), MemoryStore()
    importer.run(store, path)
    assert read == [path.with_name("shares.columns.yaml")]
    importer.run(store, path)  # a second run reads it again: it may have been edited in between
    assert len(read) == 2


def _merged_xlsx(path: Path, cells: str, header_row: int = 1) -> Path:
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["DSAP approved shares"]
    if header_row > 1:
        sheet.insert_rows(1, header_row - 1)
        sheet["A1"] = "DfE external data shares (fictional)"
    for number, row in enumerate(sheet[cells]):
        for cell in row[0 if number else 1 :]:
            cell.value = None  # a merged range keeps its first cell's value alone
    sheet.merge_cells(cells)
    book.save(path)
    return path


def _merged_ods(path: Path) -> Path:
    """The DSAP sheet's organisation cell of DS09999 merged over DS09998's, as LibreOffice writes a merge."""
    first = '<table:table-cell office:value-type="string" office:string-value="Example Analytics Ltd">'
    covered = re.compile(
        r'<table:table-cell office:value-type="string" office:string-value="Example Research Trust">'
        r".*?</table:table-cell>"
    )

    def merged(content: str) -> str:
        spanning = first.replace("<table:table-cell", '<table:table-cell table:number-rows-spanned="2"')
        return covered.sub("<table:covered-table-cell/>", content.replace(first, spanning), count=1)

    return _ods_rewritten(path, merged)


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_merged_cells_in_a_sheet_read_are_refused_naming_sheet_and_range(tmp_path: Path, suffix: str) -> None:
    """The hostile-input reading, round eight: an organisation merged over the rows of two shares was read for the
    first alone (the reader gives a merged range's value to its first cell and reads the others as empty): DS09998
    was imported as sent to no organisation named, 'read 4, skipped 0'."""
    path = write_workbook(tmp_path / f"register{suffix}", sheets())
    path = _merged_xlsx(path, "B2:B3") if suffix == ".xlsx" else _merged_ods(path)
    store = MemoryStore()
    with pytest.raises(BadInput, match=re.escape("sheet 'DSAP approved shares': cells B2:B3 are merged")):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0


def test_a_merged_title_above_the_header_or_a_merge_in_an_ignored_sheet_is_read(tmp_path: Path) -> None:
    path = _merged_xlsx(write_workbook(tmp_path / "register.xlsx", sheets()), "A1:C1", header_row=2)
    import openpyxl

    book = openpyxl.load_workbook(path)
    book["Classification of data"].merge_cells("A2:B2")
    book.save(path)
    mapping = tmp_path / "register.columns.yaml"
    canonical = MAPPING_FILE.read_text(encoding="utf-8").replace(
        "  DSAP approved shares: &canonical", "  X: &canonical"
    )
    mapping.write_text(f"{canonical}  DSAP approved shares:\n    <<: *canonical\n    header_row: 2\n", encoding="utf-8")
    store = MemoryStore()
    store.write(fictional_items())
    assert ExternalSharesImporter().run(store, path).rows_read == 4


def _shared_string(
    index: str, with_part: bool = True, cell: str = "B2", words: str = "Example Analytics Ltd"
) -> Callable[[dict[str, bytes]], None]:
    """The DSAP sheet's ``cell`` (its inline string ``words``) given as shared string ``index`` of a workbook holding
    one, ``words``."""

    def change(parts: dict[str, bytes]) -> None:
        if with_part:
            parts["xl/sharedStrings.xml"] = (
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
                + f"<si><t>{words}</t></si></sst>".encode()
            )
            override = (
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
            )
            parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", override)
        inline = f'<c r="{cell}" t="inlineStr"><is><t>{words}</t></is></c>'
        _sheet_xml(parts, lambda xml: _once(xml, inline, f'<c r="{cell}" t="s"><v>{index}</v></c>'))

    return change


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (_shared_string("-1"), "cell B2 gives shared string '-1', where the workbook holds 1"),
        (_shared_string("1"), "cell B2 gives shared string '1', where the workbook holds 1"),
        (_shared_string("0", with_part=False), "cell B2 gives shared string '0', where the workbook holds 0"),
    ],
    ids=["-1", "one past the last", "in a workbook holding none"],
)
def test_a_shared_string_the_workbook_does_not_hold_is_refused_naming_sheet_and_cell(
    tmp_path: Path, change: Callable[[dict[str, bytes]], None], said: str
) -> None:
    """The hostile-input reading, round eight: shared string -1 was read as the last the workbook holds (another
    cell's words, with no word), and one past them, or in a workbook holding none, was "list index out of range",
    naming no sheet or cell."""
    path = _rewritten(write_workbook(tmp_path / "source.xlsx", sheets()), tmp_path / "register.xlsx", change)
    store = MemoryStore()
    with pytest.raises(BadInput, match=re.escape(f"sheet 'DSAP approved shares': {said}")):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0


def test_a_shared_string_the_workbook_holds_is_read(tmp_path: Path) -> None:
    path = _rewritten(
        write_workbook(tmp_path / "source.xlsx", sheets()), tmp_path / "register.xlsx", _shared_string("0")
    )
    assert register_workbook.read_workbook(path)["DSAP approved shares"][1][1] == "Example Analytics Ltd"


@pytest.mark.parametrize("serial", ["99999999", "1e20"])
def test_a_cell_formatted_as_a_date_holding_no_date_is_refused_naming_sheet_and_cell(
    tmp_path: Path, serial: str
) -> None:
    """The hostile-input reading, round eight: a date cell holding a serial past the year 9999 was read as an error,
    and so as empty: DS09999 was imported with no date, the reader's warning the only word of it."""
    path = _rewritten(
        write_workbook(tmp_path / "source.xlsx", sheets()),
        tmp_path / "register.xlsx",
        lambda parts: _sheet_xml(parts, lambda xml: xml.replace("<v>43599</v>", f"<v>{serial}</v>")),
    )
    store = MemoryStore()
    with pytest.raises(BadInput, match=re.escape("sheet 'DSAP approved shares': cell C2 is formatted as a date")):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0


ANALYTICS = (
    '<table:table-cell office:value-type="string" office:string-value="Example Analytics Ltd">'
    "<text:p>Example Analytics Ltd</text:p></table:table-cell>"
)


def _once(xml: str, old: str, new: str) -> str:
    """``xml`` with its first ``old`` made ``new``; ``old`` must be there, or the test would read the original."""
    assert old in xml
    return xml.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            ANALYTICS,
            "<table:table-cell><text:p>Example Analytics Ltd</text:p></table:table-cell>",
            "cell B2 shows 'Example Analytics Ltd' but gives no value type",
        ),
        (
            ANALYTICS,
            '<table:table-cell office:value-type="string"><text:p>Example<text:tab/>Analytics Ltd</text:p>'
            "</table:table-cell>",
            "cell B2 holds a tab, which the reader drops",
        ),
        ('office:date-value="2019-05-14"', 'office:date-value="05/06/2019"', "cell C2 gives the date '05/06/2019'"),
        ('office:date-value="2019-05-14"', 'office:date-value="2019-13-45"', "cell C2 gives the date '2019-13-45'"),
        (ANALYTICS, '<table:table-cell office:value-type="float" office:value="1e400"/>', "cell B2 gives the number"),
        (
            ANALYTICS,
            '<table:table-cell office:value-type="void"/>',
            "cell B2 gives the value type 'void', which the reader does not read",
        ),
        (
            ANALYTICS,
            '<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>WAHR</text:p>'
            "</table:table-cell>",
            "cell B2 shows 'WAHR' for the true-or-false value true: the reader reads such a cell by what it shows",
        ),
        (
            ANALYTICS,
            '<table:table-cell office:value-type="boolean" office:boolean-value="false"><text:p>TRUE</text:p>'
            "</table:table-cell>",
            "cell B2 shows 'TRUE' for the true-or-false value false",
        ),
        (
            ANALYTICS,
            '<table:table-cell office:value-type="boolean" office:boolean-value="ja"><text:p>TRUE</text:p>'
            "</table:table-cell>",
            "cell B2 gives the true-or-false value 'ja', which is neither true nor false",
        ),
        (
            ANALYTICS,
            '<table:table-cell office:value-type="string"><text:p>#N/A</text:p></table:table-cell>',
            "cell B2 shows '#N/A', which the reader reads as empty whatever its type",
        ),
        (
            ANALYTICS,
            '<table:table-cell office:value-type="time" office:time-value="PT14H30M00S"><text:p>14 Uhr 30</text:p>'
            "</table:table-cell>",
            "cell B2 shows '14 Uhr 30' for the time 'PT14H30M00S': the reader reads a time by what it shows, and reads"
            " no time there",
        ),
        (
            ANALYTICS,
            '<table:table-cell office:value-type="time" office:time-value="PT14H30M15S"><text:p>14:30</text:p>'
            "</table:table-cell>",
            "cell B2 shows '14:30' for the time 'PT14H30M15S': the reader reads a time by what it shows, and would"
            " read 14:30:00",
        ),
    ],
    ids=[
        "no value type",
        "a tab",
        "a date month first",
        "no date",
        "an infinite number",
        "a type the reader does not read",
        "true shown in German",
        "false shown as TRUE",
        "no true-or-false value",
        "#N/A as text",
        "a time in words the reader cannot read",
        "a time shown without its seconds",
    ],
)
def test_an_ods_cell_read_otherwise_than_it_shows_or_not_what_its_type_says_is_refused_naming_sheet_and_cell(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    """The hostile-input reading, round eight: a cell giving no office:value-type was read as empty whatever it
    showed (DS09999 imported as sent to no organisation named), and a tab was dropped, joining the words either
    side ("ExampleAnalytics Ltd", another organisation's key); a date-value written 05/06/2019 (ODF writes ISO 8601)
    was read month first, as 6 May, with no word; a date that is none, a number that is infinite and a type the
    reader does not read were refused in the reader's words alone ("month must be in 1..12"), naming no sheet or
    cell. Round nine: a true-or-false cell was read by what it shows, "TRUE" alone as true, not by its value (true
    shown "WAHR" was read as false, false shown "TRUE" as true), one of text "#N/A" as empty, and a time by what it
    shows too ("14:30" for 14:30:15 read as 14:30:00; "14 Uhr 30" refused naming no cell)."""
    path = _ods_rewritten(write_workbook(tmp_path / "register.ods", sheets()), lambda xml: _once(xml, old, new))
    store = MemoryStore()
    with pytest.raises(BadInput, match=re.escape(f"sheet 'DSAP approved shares': {said}")):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0


@pytest.mark.parametrize(
    ("kind", "value", "words", "read"),
    [
        ("boolean", "true", "TRUE", "True"),
        ("boolean", "false", "FALSCH", "False"),
        ("time", "PT14H30M00S", "02:30:00 PM", "14:30:00"),
        ("time", "PT09H05M30.5S", "09:05:30.5", "09:05:30.500000"),
    ],
)
def test_an_ods_true_or_false_value_or_time_the_reader_reads_right_is_read(
    tmp_path: Path, kind: str, value: str, words: str, read: str
) -> None:
    """Only what the reader would read wrongly is refused: false shown "FALSCH" is read as false, true shown "TRUE"
    as true, a time shown as its value in any form the reader parses as that time."""
    attribute = {"boolean": "boolean-value", "time": "time-value"}[kind]
    cell = (
        f'<table:table-cell office:value-type="{kind}" office:{attribute}="{value}"><text:p>{words}</text:p>'
        "</table:table-cell>"
    )
    path = _ods_rewritten(write_workbook(tmp_path / "register.ods", sheets()), lambda xml: _once(xml, ANALYTICS, cell))
    assert read_workbook(path)["DSAP approved shares"][1][1] == read


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        ('<c r="B2" t="b"><v>2</v></c>', "cell B2 gives the true-or-false value '2', which is neither 0 nor 1"),
        ('<c r="B2" t="n"><v>1e400</v></c>', "cell B2 gives the number '1e400', which is no finite number"),
        ('<c r="B2" t="n"><v>abc</v></c>', "cell B2 gives the number 'abc', which is no finite number"),
        ('<c r="B2" t="zz"><v>Evil Corp</v></c>', "cell B2 gives the type 'zz', which a workbook does not have"),
        ('<c r="B2" t="d"><v>2019-13-45</v></c>', "cell B2 gives the date '2019-13-45', not a date written as ISO"),
    ],
    ids=["true or false 2", "an infinite number", "a number in words", "no type a workbook has", "no date"],
)
def test_an_xlsx_value_that_is_not_what_its_type_says_is_refused_naming_sheet_and_cell(
    tmp_path: Path, cell: str, said: str
) -> None:
    """The hostile-input reading, round eight: a true-or-false value of 2 was read as "True", an infinite number as
    "inf" and a type no workbook has as text, each with no word; a number in words was refused in the reader's words
    alone ("invalid literal for int()"), naming no sheet or cell."""
    analytics = '<c r="B2" t="inlineStr"><is><t>Example Analytics Ltd</t></is></c>'
    path = _rewritten(
        write_workbook(tmp_path / "source.xlsx", sheets()),
        tmp_path / "register.xlsx",
        lambda parts: _sheet_xml(parts, lambda xml: xml.replace(analytics, cell)),
    )
    store = MemoryStore()
    with pytest.raises(BadInput, match=re.escape(f"sheet 'DSAP approved shares': {said}")):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0


XLSX_ANALYTICS = '<c r="B2" t="inlineStr"><is><t>Example Analytics Ltd</t></is></c>'


def _with_number(tmp_path: Path, suffix: str, value: str, kind: str = "float") -> Path:
    """The fictional register with the number ``value`` in place of DS09999's organisation (cell B2), as a
    spreadsheet program saves one (an ODS number of ``kind``: float or percentage)."""
    source = write_workbook(tmp_path / f"source{suffix}", sheets())
    if suffix == ".ods":
        cell = f'<table:table-cell office:value-type="{kind}" office:value="{value}"><text:p>x</text:p>'
        return _ods_rewritten(source, lambda xml: _once(xml, ANALYTICS, f"{cell}</table:table-cell>"))
    number = f'<c r="B2" t="n"><v>{value}</v></c>'

    def with_number(xml: str) -> str:
        return _once(xml, XLSX_ANALYTICS, number)

    return _rewritten(source, tmp_path / "register.xlsx", lambda parts: _sheet_xml(parts, with_number))


@pytest.mark.parametrize("suffix", [".ods", ".xlsx"])
@pytest.mark.parametrize(
    ("saved", "shown"),
    [("0.30000000000000004", "0.3"), ("2.9999999999999996", "3"), ("0.123456789012345", "0.123456789012345")],
)
def test_a_number_is_read_as_a_spreadsheet_shows_it(tmp_path: Path, suffix: str, saved: str, shown: str) -> None:
    """The hostile-input reading, round twelve: a program saves a number to 17 digits, and shows and calculates it
    to 15, so a cell showing 0.3 (=0.1+0.2) had been read as 0.30000000000000004, one showing 3 (=0.1*3*10) as
    2.9999999999999996: its binary noise quoted as the source's words. The 15 digits shown are kept."""
    assert read_workbook(_with_number(tmp_path, suffix, saved))["DSAP approved shares"][1][1] == shown


def test_a_number_shown_as_a_percentage_is_refused_naming_sheet_and_cell(tmp_path: Path) -> None:
    """The hostile-input reading, round twelve: the reader reads the number a percentage cell holds, never the
    percentage it shows, so a cell showing 25% had been read as 0.25, with no word: in an ODS (its value type
    says so), and in an XLSX in a built-in percentage format or one of its own (a % neither quoted nor escaped)."""
    import openpyxl

    said = "sheet 'DSAP approved shares': cell B2 shows the percentage 25% where the reader reads the number 0.25"
    with pytest.raises(BadInput, match=re.escape(said)):
        ExternalSharesImporter().run(MemoryStore(), _with_number(tmp_path, ".ods", "0.25", "percentage"))
    for number_format in ("0%", '0.0%;[Red]"minus "0.0%'):
        path = write_workbook(tmp_path / "register.xlsx", sheets())
        book = openpyxl.load_workbook(path)
        book["DSAP approved shares"]["B2"] = 0.25
        book["DSAP approved shares"]["B2"].number_format = number_format
        book.save(path)
        with pytest.raises(BadInput, match=re.escape(said)):
            ExternalSharesImporter().run(MemoryStore(), path)
    for number_format in ("0.00", "General"):
        book["DSAP approved shares"]["B2"].number_format = number_format
        book.save(path)
        assert read_workbook(path)["DSAP approved shares"][1][1] == "0.25"
    for number_format in ('0.00" %"', "0.00\\%"):  # a % quoted or escaped shows no percentage, but is shown beside it
        book["DSAP approved shares"]["B2"].number_format = number_format
        book.save(path)
        with pytest.raises(BadInput, match=re.escape("cell B2 holds the number 0.25 shown with '%' beside it")):
            read_workbook(path)


#: What a cell in a number format shows otherwise than the reader reads it, and the refusal's words: a reference's
#: zeros, an amount's currency, a date to the month or the year alone, a date without its year.
SHOWN_OTHERWISE = [
    ("A2", 123, "000000", "cell A2 holds the number 123 shown with zeros before it to 6 digits (number format "
     "'000000'), which the reader drops"),
    ("A2", 9999, '"DS"00000', "cell A2 holds the number 9999 shown with 'DS' beside it"),
    ("B2", 1234.5, '"£"#,##0.00', "cell B2 holds the number 1234.5 shown with '£' beside it"),
    ("B2", 1234.5, "[$€-407]#,##0.00", "cell B2 holds the number 1234.5 shown with '€' beside it"),
    ("C2", dt.datetime(2019, 5, 1), "mmm-yy", "cell C2 shows a date without its day (number format 'mmm-yy') where "
     "the reader reads a whole date, with a day the sheet does not show"),
    ("C2", dt.datetime(2019, 1, 1), "yyyy", "cell C2 shows a date without its day (number format 'yyyy')"),
    ("C2", dt.datetime(2019, 5, 14), "d-mmm", "cell C2 shows a date without its year (number format 'd-mmm')"),
    ("C2", dt.datetime(2019, 5, 1), "dddd, mmmm yyyy", "cell C2 shows a date without its day"),
    ("C2", dt.datetime(2019, 5, 14, 9), "h:mm", "cell C2 shows a date without its day or year (number format 'h:mm')"),
    ("A2", "DS09999", '"Ref "@', "cell A2 holds a text shown with 'Ref' beside it (number format '\"Ref \"@'), "
     "which the reader drops"),
    ("B2", 1234.5, '[>=1000]"£"#,##0;0', "cell B2 holds the number 1234.5 shown with '£' beside it"),
    ("B2", 2.6, "0", "cell B2 holds the number 2.6, which its format shows rounded to the nearest 1, as 3 (number "
     "format '0'), where the reader reads 2.6"),
    ("B2", 2.6, "#,##0", "cell B2 holds the number 2.6, which its format shows rounded to the nearest 1, as 3"),
    ("B2", 2.55, "0.0", "cell B2 holds the number 2.55, which its format shows rounded to the nearest 0.1, as 2.6"),
    ("B2", 1234.5, "0.00E+00", "cell B2 holds the number 1234.5, which its format shows rounded to the nearest 10, as "
     "1230 (number format '0.00E+00')"),
    ("B2", 12345, "##0.0E+0", "cell B2 holds the number 12345, which its format shows rounded to the nearest 100, as "
     "12300"),
    ("B2", 1234567, "#,##0,", "cell B2 holds the number 1234567, which its format shows rounded to the nearest 1000, "
     "as 1235000"),
    ("F2", dt.timedelta(hours=25, minutes=30), "[h]:mm:ss", "cell F2 holds an elapsed time read as 25.5 hours "
     "(number format '[h]:mm:ss'), which the reader gives in days and hours, as '1 day, 1:30:00'"),
    ("C2", dt.datetime(2020, 6, 18, 18), "dd/mm/yyyy", "cell C2 holds the time 18:00:00, which its format shows only "
     "to the day (number format 'dd/mm/yyyy'), where the reader reads it whole"),
    ("F2", dt.time(14, 30, 15), "h:mm", "cell F2 holds the time 14:30:15, which its format shows only to the minute "
     "(number format 'h:mm')"),
    ("F2", dt.time(14, 30, 15, 500_000), "hh:mm:ss", "cell F2 holds the time 14:30:15.500000, which its format shows "
     "only to the second"),
    ("F2", dt.timedelta(hours=14, minutes=30, seconds=15), "[h]:mm", "cell F2 holds the time 14:30:15, which its "
     "format shows only to the minute (number format '[h]:mm')"),
    ("F2", 0.999999999, "[h]:mm:ss", "cell F2 holds an elapsed time read as 24 hours (number format '[h]:mm:ss'), "
     "which the reader gives in days and hours, as '1 day, 0:00:00'"),
    ("F2", 0.999999999, "h:mm", "cell F2 shows a date without its day or year (number format 'h:mm') where the reader "
     "reads a whole date"),
    ("F2", 2.55, "# ?/?", "cell F2 holds the number 2.55, which its format shows as the fraction 2 5/9 (number format "
     "'# ?/?'), where the reader reads 2.55"),
    ("F2", 2.55, "?/?", "cell F2 holds the number 2.55, which its format shows as the fraction 23/9"),
    ("F2", 0.3, "# ??/16", "cell F2 holds the number 0.3, which its format shows as the fraction 5/16"),
    ("F2", 2.5, "00 ?/?", "cell F2 holds the number 2.5 shown with zeros before it to 2 digits (number format "
     "'00 ?/?'), which the reader drops"),
]  # fmt: skip


@pytest.mark.parametrize(("cell", "value", "number_format", "said"), SHOWN_OTHERWISE)
def test_an_xlsx_cell_shown_otherwise_than_its_value_is_refused_naming_sheet_and_cell(
    tmp_path: Path, cell: str, value: object, number_format: str, said: str
) -> None:
    """The hostile-input reading, round thirteen: the reader reads the number a cell holds, never what its format
    shows, so a reference shown as 000123 had been read as 123 (its zeros lost), £1,234.50 as 1234.5 (an amount as a
    bare number), and a date shown as May-19 as 2019-05-01: a day the sheet does not give, at a precision its source
    lacks. Each is refused, naming its sheet and cell, as a percentage is. The probe of round fourteen: a date in a
    format showing its time alone had been read whole, a text shown with words its format's text section adds read
    without them, and a number in the section its condition chose (£1,234) judged by another's. Round fourteen: a
    number its format rounds (2.6 shown as 3, 1234.5 as 1.23E+03, 1234567 in thousands as 1,235) had been read as it
    is held, and an elapsed time of a day or more (25:30:00) as '1 day, 1:30:00'. Round fifteen: a time its format
    does not show (18:00 in dd/mm/yyyy, seconds in h:mm, a half second in hh:mm:ss) had been read with the rest, a
    time just under a day (23:59:59.9999) read as a day, by the reader's rounding to the millisecond ('1 day,
    0:00:00' in [h]:mm:ss, 1900-01-01 in h:mm), and a number in a fraction format (2.55 shown as 2 5/9) as held.
    Round sixteen: zeros padding a fraction's whole part (2.5 shown as 02 1/2) had been read without them, as others
    are not."""
    import openpyxl

    path = write_workbook(tmp_path / "register.xlsx", sheets())
    book = openpyxl.load_workbook(path)
    book["DSAP approved shares"][cell] = value
    book["DSAP approved shares"][cell].number_format = number_format
    book.save(path)
    store = MemoryStore()
    with pytest.raises(BadInput, match=re.escape(f"sheet 'DSAP approved shares': {said}")):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0


@pytest.mark.parametrize(
    ("number_format", "value", "read"),
    [("dd/mm/yyyy", dt.datetime(2019, 5, 14), "2019-05-14"), ("d mmmm yyyy h:mm", dt.datetime(2019, 5, 14, 9),
     "2019-05-14 09:00:00"), ("#,##0.00_);[Red](#,##0.00)", 1234.5, "1234.5"), ("0.0E+00", 1200, "1200"),
     ("h:mm", dt.time(14, 30), "14:30:00"), ("000000", 123456, "123456"), ('0;-0;"nil"', 5, "5"),
     ('0;[Red]"minus "0', 5, "5"), ('0;-0;0;"Ref "@', 5, "5"), ('"Ref "@', 5, "5"), ("[>=100]0;0.0", 12.5, "12.5"),
     ('[<1000]0;"£"#,##0', 999, "999"), ("[$-809]dd mmmm yyyy;@", dt.datetime(2019, 5, 14), "2019-05-14"),
     ("_(* #,##0_);_(* \\(#,##0\\);_(* \"-\"_);_(@_)", 1234, "1234"), ("0", 3, "3"), ("#,##0.0", 2.5, "2.5"),
     ("0.0", 0.30000000000000004, "0.3"), ("##0.0E+0", 12300, "12300"), ("#,##0,", 1234000, "1234000"),
     ("[h]:mm:ss", dt.timedelta(hours=14, minutes=30), "14:30:00"), ("dd/mm/yyyy", dt.datetime(2020, 6, 18),
     "2020-06-18"), ("dd/mm/yyyy hh:mm", dt.datetime(2020, 6, 18, 18), "2020-06-18 18:00:00"),
     ("h:mm:ss.000", dt.time(14, 30, 15, 500_000), "14:30:15.500000"), ("h:mm", dt.time(14, 30, 0, 400), "14:30:00"),
     ("# ?/?", 2.5, "2.5"), ("# ??/16", 0.3125, "0.3125"), ("?/?", 1 / 3, "0.333333333333333"),
     ("00 ?/?", 12.5, "12.5"), ("0 ?/?", 0.5, "0.5")],
)  # fmt: skip
def test_an_xlsx_cell_in_a_format_that_shows_its_value_is_read(
    tmp_path: Path, number_format: str, value: object, read: str
) -> None:
    """A whole date, a number with separators and a negative in brackets, and a time are shown as the reader reads
    them: read, not refused. The probe of round fourteen: a number with as many digits as its format's zeros had been
    refused as padded with zeros, and one shown in a format whose other sections (for a negative number, for zero,
    for a text, or for values its condition does not choose) show words or a currency, as shown with them. Round
    fourteen: a number its format shows whole (3 in "0", 1200 in "0.0E+00", 1234000 in thousands) is read, and an
    elapsed time under a day, which the reader reads as it shows. Round fifteen: a date or time whose every part read
    its format shows (a time under the millisecond the reader rounds to is none), and a number its fraction format
    shows exactly (1/3 to the 15 digits a spreadsheet shows). Round sixteen: a fraction whose whole part has as many
    digits as its format's zeros."""
    import openpyxl

    path = write_workbook(tmp_path / "register.xlsx", sheets())
    book = openpyxl.load_workbook(path)
    book["DSAP approved shares"]["F2"] = value
    book["DSAP approved shares"]["F2"].number_format = number_format
    book.save(path)
    assert read_workbook(path)["DSAP approved shares"][1][5] == read


def _with_iso_date(tmp_path: Path, number_format: str, written: str) -> Path:
    """The fictional register with DS09999's date approved (cell C2) in ``number_format`` and given as a date written
    as ISO 8601 (``t="d"``, as a program may save one), ``written``."""
    import openpyxl

    source = write_workbook(tmp_path / "source.xlsx", sheets())
    book = openpyxl.load_workbook(source)
    book["DSAP approved shares"]["C2"].number_format = number_format
    book.save(source)

    def iso(xml: str) -> str:
        assert re.search(r'<c r="C2"[^>]* t="n"><v>43599</v></c>', xml)
        return re.sub(r'(<c r="C2"[^>]*) t="n"><v>43599</v>', rf'\1 t="d"><v>{written}</v>', xml)

    return _rewritten(source, tmp_path / "register.xlsx", lambda parts: _sheet_xml(parts, iso))


@pytest.mark.parametrize(
    ("number_format", "written", "said"),
    [
        ("0.00", "2019-05-14", "cell C2 holds the date 2019-05-14 (written as ISO 8601, t=\"d\") in a format showing"
         " a number (number format '0.00'), so the sheet shows it as a count of days where the reader reads the date"),
        ("0%", "2019-05-14", "cell C2 holds the date 2019-05-14 (written as ISO 8601, t=\"d\") in a format showing"
         " a number (number format '0%')"),
        ("[h]:mm:ss", "2019-05-14", "cell C2 shows a date without its day or year (number format '[h]:mm:ss')"),
        ("dd/mm/yyyy", "2019-05-14T18:00:00", "cell C2 holds the time 18:00:00, which its format shows only to the"
         " day (number format 'dd/mm/yyyy')"),
    ],
    ids=["a number", "a percentage", "an elapsed time", "a date hiding its time"],
)  # fmt: skip
def test_an_xlsx_iso_date_shown_otherwise_is_refused_naming_sheet_and_cell(
    tmp_path: Path, number_format: str, written: str, said: str
) -> None:
    """The hostile-input reading, round fifteen: a date written as ISO 8601 (t="d") in a format showing a number,
    which shows it as a count of days where the reader reads the date, had been refused as 'cannot be read as XLSX:
    could not convert string to float', naming no sheet or cell; in a date format hiding its time, read with it."""
    path = _with_iso_date(tmp_path, number_format, written)
    store = MemoryStore()
    with pytest.raises(BadInput, match=re.escape(f"sheet 'DSAP approved shares': {said}")):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0


def test_an_xlsx_iso_date_in_a_date_format_is_read(tmp_path: Path) -> None:
    store = MemoryStore()
    ExternalSharesImporter().run(store, _with_iso_date(tmp_path, "dd/mm/yyyy", "2019-05-14"))
    assert store.get_node("Release:DS09999").props["date"] == dt.date(2019, 5, 14)


ODS_DATE = '<table:table-cell office:value-type="date" office:date-value="2019-05-14"><text:p>05/14/19</text:p>'
_ODS_NAMESPACES = {
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
}


def _ods_styled(tmp_path: Path, styles: str, old: str, new: str, columns: str = "") -> Path:
    """The fictional register as an ODS whose content.xml holds the automatic ``styles`` and ``new`` in place of
    ``old`` in the DSAP sheet, its ``columns`` declared (a column's default cell style)."""
    source = write_workbook(tmp_path / "register.ods", sheets())

    def change(xml: str) -> str:
        for prefix, namespace in _ODS_NAMESPACES.items():  # declared by the writer only where it wrote one
            if f"xmlns:{prefix}=" not in xml:
                xml = _once(xml, "office:version", f'xmlns:{prefix}="{namespace}" office:version')
        xml = _once(xml, "<office:automatic-styles/>", f"<office:automatic-styles>{styles}</office:automatic-styles>")
        sheet = '<table:table table:name="DSAP approved shares">'
        return _once(_once(xml, sheet, sheet + columns), old, new)

    return _ods_rewritten(source, change)


MONTH_YEAR = (
    '<number:date-style style:name="N1"><number:month number:style="long"/><number:text> </number:text>'
    '<number:year number:style="long"/></number:date-style>'
    '<style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>'
    '<style:style style:name="ce2" style:family="table-cell" style:parent-style-name="ce1"/>'
)
SIX_DIGITS = (
    '<number:number-style style:name="N2"><number:number number:min-integer-digits="6"/></number:number-style>'
    '<style:style style:name="ce3" style:family="table-cell" style:data-style-name="N2"/>'
)
#: A number style as LibreOffice writes one showing a negative number in red with a sign: the style named shows
#: negative numbers (here with words, "minus"), and its map applies N6P0 to the others.
NEGATIVE_RED = (
    '<number:number-style style:name="N6P0"><number:number number:min-integer-digits="1"/></number:number-style>'
    '<number:number-style style:name="N6"><number:text>minus </number:text><number:number/>'
    '<style:map style:condition="value()&gt;=0" style:apply-style-name="N6P0"/></number:number-style>'
    '<style:style style:name="ce6" style:family="table-cell" style:data-style-name="N6"/>'
)


def _float_in(style: str, value: str, shown: str) -> str:
    return (
        f'<table:table-cell table:style-name="{style}" office:value-type="float" office:value="{value}">'
        f"<text:p>{shown}</text:p></table:table-cell>"
    )


#: A style whose map shows the numbers from 0 as a percentage.
PERCENTAGE_FROM_ZERO = NEGATIVE_RED.replace(
    '<number:number-style style:name="N6P0"><number:number number:min-integer-digits="1"/></number:number-style>',
    '<number:percentage-style style:name="N6P0"><number:number/><number:text>%</number:text></number:percentage-style>',
)


def _number_style(name: str, number: str, cell_style: str, maps: str = "") -> str:
    """An ODS number style of one number element, with the ``maps`` given, and the cell style showing by it."""
    return (
        f'<number:number-style style:name="{name}">{number}{maps}</number:number-style>'
        f'<style:style style:name="{cell_style}" style:family="table-cell" style:data-style-name="{name}"/>'
    )


def _map_to(name: str) -> str:
    return f'<style:map style:condition="value()&gt;=0" style:apply-style-name="{name}"/>'


#: Number styles as LibreOffice writes them: a whole number ("0"), a scientific number ("0.00E+00"), and thousands
#: ("#,##0,", its number divided by 1000).
WHOLE = _number_style("N3", '<number:number number:decimal-places="0" number:min-integer-digits="1"/>', "ce4")
SCIENTIFIC = _number_style(
    "N4",
    '<number:scientific-number number:decimal-places="2" number:min-integer-digits="1" '
    'number:min-exponent-digits="2"/>',
    "ce5",
)
THOUSANDS = _number_style(
    "N5", '<number:number number:decimal-places="0" number:min-integer-digits="1" number:display-factor="1000"/>', "ce7"
)
PLAIN = '<number:number number:min-integer-digits="1"/>'
#: A style whose map applies one that maps the numbers from 0 to a percentage: declared before the styles it maps to,
#: as a part may.
MAPPED_TWICE = (
    _number_style("N7", PLAIN, "ce8", _map_to("N8"))
    + f'<number:number-style style:name="N8">{PLAIN}{_map_to("N9")}</number:number-style>'
    + '<number:percentage-style style:name="N9"><number:number/><number:text>%</number:text></number:percentage-style>'
)
#: Styles whose maps apply one another, and a style followed through ten maps.
MAPPED_IN_A_CYCLE = _number_style("N10", PLAIN, "ce9", _map_to("N11")) + _number_style(
    "N11", PLAIN, "ce10", _map_to("N10")
)
MAPPED_ON_AND_ON = _number_style("N20", PLAIN, "ce20", _map_to("N21")) + "".join(
    f'<number:number-style style:name="N{n}">{PLAIN}{_map_to(f"N{n + 1}") if n < 30 else ""}</number:number-style>'
    for n in range(21, 31)
)
#: Fraction styles as LibreOffice writes them: the nearest fraction of one digit's denominator ("# ?/?"), and
#: sixteenths ("# ??/16").
FRACTION = _number_style(
    "N40", '<number:fraction number:min-integer-digits="0" number:min-numerator-digits="1" '
    'number:min-denominator-digits="1"/>', "ce40"
)  # fmt: skip
SIXTEENTHS = _number_style(
    "N41", '<number:fraction number:min-integer-digits="0" number:min-numerator-digits="2" '
    'number:min-denominator-digits="2" number:denominator-value="16"/>', "ce41"
)  # fmt: skip
#: A fraction style as LibreOffice writes "00 ?/?": its whole part padded with zeros to two digits.
PADDED_FRACTION = _number_style(
    "N45", '<number:fraction number:min-integer-digits="2" number:min-numerator-digits="1" '
    'number:min-denominator-digits="1"/>', "ce45"
)  # fmt: skip
#: Date styles showing a date to the day (14/05/2019), to the minute (14/05/2019 18:00), and a time style (18:00).
_DAY_MONTH_YEAR = (
    '<number:day number:style="long"/><number:text>/</number:text><number:month number:style="long"/>'
    '<number:text>/</number:text><number:year number:style="long"/>'
)
_HOURS_MINUTES = '<number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/>'
DAY = (
    f'<number:date-style style:name="N42">{_DAY_MONTH_YEAR}</number:date-style>'
    '<style:style style:name="ce42" style:family="table-cell" style:data-style-name="N42"/>'
)
MINUTE = (
    f'<number:date-style style:name="N43">{_DAY_MONTH_YEAR}<number:text> </number:text>{_HOURS_MINUTES}'
    '</number:date-style><style:style style:name="ce43" style:family="table-cell" style:data-style-name="N43"/>'
)
TIME_OF_DAY = (
    f'<number:time-style style:name="N44">{_HOURS_MINUTES}</number:time-style>'
    '<style:style style:name="ce44" style:family="table-cell" style:data-style-name="N44"/>'
)


#: A number style whose map shows the numbers below 0 as dates (DAY's N42).
DATED_BELOW_ZERO = DAY + _number_style(
    "N46", PLAIN, "ce46", '<style:map style:condition="value()&lt;0" style:apply-style-name="N42"/>'
)


def _date_in(style: str, value: str, shown: str) -> str:
    return (
        f'<table:table-cell table:style-name="{style}" office:value-type="date" office:date-value="{value}">'
        f"<text:p>{shown}</text:p></table:table-cell>"
    )


@pytest.mark.parametrize(
    ("styles", "old", "new", "columns", "said"),
    [
        (MONTH_YEAR, ODS_DATE,
         ODS_DATE.replace("cell ", 'cell table:style-name="ce2" ').replace("05/14/19", "May 2019"), "",
         "cell C2 shows a date without its day (shown as 'May 2019') where the reader reads a whole date"),
        (MONTH_YEAR, ODS_DATE, ODS_DATE.replace("05/14/19", "May 2019"),
         '<table:table-column table:number-columns-repeated="2"/><table:table-column '
         'table:default-cell-style-name="ce1"/>', "cell C2 shows a date without its day (shown as 'May 2019')"),
        (SIX_DIGITS, ANALYTICS, '<table:table-cell table:style-name="ce3" office:value-type="float" office:value="123">'
         "<text:p>000123</text:p></table:table-cell>", "",
         "cell B2 holds the number 123 shown with zeros before it to 6 digits (shown as '000123')"),
        ("", ANALYTICS, '<table:table-cell office:value-type="currency" office:currency="GBP" office:value="1234.5">'
         "<text:p>£1,234.50</text:p></table:table-cell>", "",
         "cell B2 holds the number 1234.5 shown with 'GBP' beside it (shown as '£1,234.50'), which the reader drops"),
        (PERCENTAGE_FROM_ZERO, ANALYTICS, _float_in("ce6", "0.25", "25%"), "",
         "cell B2 shows the percentage 25% where the reader reads the number 0.25"),
        (WHOLE, ANALYTICS, _float_in("ce4", "2.6", "3"), "", "cell B2 holds the number 2.6, which its format shows "
         "rounded to the nearest 1, as 3 (shown as '3'), where the reader reads 2.6"),
        (SCIENTIFIC, ANALYTICS, _float_in("ce5", "1234.5", "1.23E+03"), "", "cell B2 holds the number 1234.5, which "
         "its format shows rounded to the nearest 10, as 1230 (shown as '1.23E+03')"),
        (THOUSANDS, ANALYTICS, _float_in("ce7", "1234567", "1,235"), "", "cell B2 holds the number 1234567, which its "
         "format shows rounded to the nearest 1000, as 1235000"),
        (MAPPED_TWICE, ANALYTICS, _float_in("ce8", "0.25", "25%"), "",
         "cell B2 shows the percentage 25% where the reader reads the number 0.25"),
        (MAPPED_IN_A_CYCLE, ANALYTICS, _float_in("ce9", "5", "5"), "",
         "cell B2 is shown by data styles whose maps run in a cycle (N10 → N11 → N10)"),
        (MAPPED_ON_AND_ON, ANALYTICS, _float_in("ce20", "5", "5"), "",
         "cell B2 is shown by data style 'N20', whose maps run through more than 8 styles"),
        (FRACTION, ANALYTICS, _float_in("ce40", "2.55", "2 5/9"), "", "cell B2 holds the number 2.55, which its format "
         "shows as the fraction 2 5/9 (shown as '2 5/9'), where the reader reads 2.55"),
        (SIXTEENTHS, ANALYTICS, _float_in("ce41", "0.3", "05/16"), "",
         "cell B2 holds the number 0.3, which its format shows as the fraction 5/16 (shown as '05/16')"),
        (DAY, f"{ODS_DATE}</table:table-cell>", _date_in("ce42", "2019-05-14T18:00:00", "14/05/2019"), "",
         "cell C2 holds the time 18:00:00, which its format shows only to the day (shown as '14/05/2019'), where the "
         "reader reads it whole"),
        (MINUTE, f"{ODS_DATE}</table:table-cell>", _date_in("ce43", "2019-05-14T18:00:15", "14/05/2019 18:00"), "",
         "cell C2 holds the time 18:00:15, which its format shows only to the minute (shown as '14/05/2019 18:00')"),
        (TIME_OF_DAY, f"{ODS_DATE}</table:table-cell>", _date_in("ce44", "2019-05-14T18:00:00", "18:00"), "",
         "cell C2 shows a date without its day or year (shown as '18:00') where the reader reads a whole date"),
        (PADDED_FRACTION, ANALYTICS, _float_in("ce45", "2.5", "02 1/2"), "",
         "cell B2 holds the number 2.5 shown with zeros before it to 2 digits (shown as '02 1/2'), which the reader "
         "drops"),
        (DAY, ANALYTICS, _float_in("ce42", "43599", "14/05/2019"), "", "cell B2 holds the number 43599 in a date or "
         "time style (shown as '14/05/2019'), so the sheet shows a date or time where the reader reads the number"),
        (TIME_OF_DAY, ANALYTICS, _float_in("ce44", "0.75", "18:00"), "",
         "cell B2 holds the number 0.75 in a date or time style (shown as '18:00')"),
        (DATED_BELOW_ZERO, ANALYTICS, _float_in("ce46", "-43599", "14/05/2019"), "",
         "cell B2 holds the number -43599 in a date or time style (shown as '14/05/2019')"),
    ],
    ids=["month and year, by a parent style", "month and year, by its column", "zeros", "currency",
         "a percentage, by the style its map applies", "rounded", "scientific", "thousands",
         "a percentage, by the style a map's style maps to", "maps in a cycle", "maps past the bound", "a fraction",
         "sixteenths", "a date hiding its time", "a date and time hiding its seconds", "a date in a time style",
         "a fraction padded with zeros", "a number in a date style", "a number in a time style",
         "a number in the date style a map applies"],
)  # fmt: skip
def test_an_ods_cell_shown_otherwise_than_its_value_is_refused_naming_sheet_and_cell(
    tmp_path: Path, styles: str, old: str, new: str, columns: str, said: str
) -> None:
    """The hostile-input reading, round thirteen, in an ODS: a date in a style showing its month and year had been
    read as the first day of its month (2019-05-14 shown as May 2019 read as 2019-05-14: a day the sheet does not
    show), whether the cell's own style, its parent or its column's default style says so; a number in a style of
    six digits shown as 000123 read as 123; and an amount of a currency, £1,234.50, read as 1234.5. Round fourteen: a
    number its style rounds (2.6 shown as 3, 1234.5 as 1.23E+03, 1234567 in thousands as 1,235) had been read as it
    is held, and a style's map was followed one deep, so a percentage two maps down was read as its fraction; a
    style whose maps run in a cycle, or on past any that a program writes, shows what no one can say. Round fifteen:
    a number in a fraction style (2.55 shown as 2 5/9) had been read as held, and a date's time its style does not
    show (18:00 shown as 14/05/2019, seconds shown to the minute) read with the rest, as was the date of a date cell
    in a time style. Round sixteen: zeros padding a fraction's whole part (2.5 shown as 02 1/2) had been read
    without them, and a number (office:value-type="float") in a date or time style, shown as a date or time, read as
    the number."""
    path = _ods_styled(tmp_path, styles, old, new, columns)
    store = MemoryStore()
    with pytest.raises(BadInput, match=re.escape(f"sheet 'DSAP approved shares': {said}")):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0
    (tmp_path / "unused").mkdir()
    assert read_workbook(_ods_styled(tmp_path / "unused", styles, old, old))  # the same styles, no cell in them


@pytest.mark.parametrize(
    ("styles", "cell", "read"),
    [(NEGATIVE_RED, _float_in("ce6", "5", "5"), "5"), (SIX_DIGITS, _float_in("ce3", "123456", "123456"), "123456"),
     (WHOLE, _float_in("ce4", "3", "3"), "3"), (SCIENTIFIC, _float_in("ce5", "1230", "1.23E+03"), "1230"),
     (THOUSANDS, _float_in("ce7", "1234000", "1,234"), "1234000"), (MAPPED_TWICE, _float_in("ce8", "-5", "-5"), "-5"),
     (FRACTION, _float_in("ce40", "2.5", "2 1/2"), "2.5"), (SIXTEENTHS, _float_in("ce41", "-0.3125", "-05/16"),
     "-0.3125"), (DAY, _date_in("ce42", "2019-05-14", "14/05/2019"), "2019-05-14"),
     (MINUTE, _date_in("ce43", "2019-05-14T18:00:00", "14/05/2019 18:00"), "2019-05-14 18:00:00"),
     (PADDED_FRACTION, _float_in("ce45", "12.5", "12 1/2"), "12.5"),
     (DATED_BELOW_ZERO, _float_in("ce46", "5", "5"), "5")],
    ids=["a positive number by the style its map applies", "as many digits as the style's zeros", "whole",
         "scientific", "thousands", "a negative number, by a style that maps the others twice", "a fraction",
         "sixteenths", "a date", "a date and time", "a fraction whose whole part fills its zeros",
         "a number from 0 in a style mapping those below 0 to a date"],
)  # fmt: skip
def test_an_ods_number_its_style_shows_as_it_is_is_read(tmp_path: Path, styles: str, cell: str, read: str) -> None:
    """The probe of round fourteen: a positive number in a style whose map shows the others as they are had been
    refused for the words the style shows a negative number with, and 123456 in a style of six digits as padded.
    Round fifteen: a number its fraction style shows exactly, and a date whose every part its style shows. Round
    sixteen: a fraction whose whole part has as many digits as its style's zeros, and a number its style shows as a
    number, though the style shows others as dates."""
    path = _ods_styled(tmp_path, styles, ANALYTICS, cell)
    assert read_workbook(path)["DSAP approved shares"][1][1] == read


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_a_format_shown_otherwise_where_the_import_reads_no_cell_is_read(tmp_path: Path, suffix: str) -> None:
    """The probe of round fourteen: a percentage in a sheet the mapping gives part: ignore (a contents or summary
    sheet), or in a title above a sheet's header row, had stopped the import of a register whose rows read hold
    none: as a merge is, a format is judged only where the import reads."""
    frames = sheets()
    frames["Classification of data"] = pd.DataFrame([["Tier 1", 0.25]], columns=["Tier", "Share"])
    frames["DSAP approved shares"] = pd.DataFrame([[0.5, *[""] * 9], COLUMNS, *DSAP])
    path = write_workbook(tmp_path / f"register{suffix}", frames)
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path)
        for sheet, cell in (("Classification of data", "B2"), ("DSAP approved shares", "A2")):
            book[sheet][cell].number_format = "0%"
        book.save(path)
    else:
        path = _ods_rewritten(path, lambda xml: xml.replace('value-type="float"', 'value-type="percentage"'))
    _with_dsap_header_on(path, 3)
    store = MemoryStore()
    store.write(fictional_items())
    assert ExternalSharesImporter().run(store, path).rows_read == 4


def _with_dsap_header_on(path: Path, row: int, canonical: str = "") -> None:
    """Beside the workbook at ``path``, the ``canonical`` mapping (else the bundled one) but for the DSAP sheet's
    headers, on ``row``."""
    canonical = (canonical or MAPPING_FILE.read_text(encoding="utf-8")).replace("DSAP approved shares: &", "X: &")
    mapping = f"{canonical}  DSAP approved shares:\n    <<: *canonical\n    header_row: {row}\n"
    path.with_name(f"{path.stem}.columns.yaml").write_text(mapping, encoding="utf-8")


def _with_share_of_year(tmp_path: Path, form: str, cell: str = "") -> Path:
    """The fictional register whose DSAP sheet gains a column K, "Share of year", its K2 a percentage (25%), or
    ``cell`` (as the sheet's XML writes it) in its place: an XLSX whose headers are inline strings, or in ``form``
    "shared" B1's ("Organisation") a shared string; or an ODS."""
    frames = sheets()
    shares = [[*row, share] for row, share in zip(DSAP, (0.25, 0.5), strict=True)]
    frames["DSAP approved shares"] = pd.DataFrame(shares, columns=[*COLUMNS, "Share of year"])
    if form == "ods":
        percentage = '<table:table-cell office:value-type="percentage" office:value="0.25"><text:p>0.25</text:p>'
        k2 = re.compile(r'<table:table-cell [^>]*value="0.25".*?</table:table-cell>')
        path = write_workbook(tmp_path / "register.ods", frames)
        return _ods_rewritten(path, lambda xml: k2.sub(cell or f"{percentage}</table:table-cell>", xml, count=1))
    import openpyxl

    path = write_workbook(tmp_path / "source.xlsx", frames)
    book = openpyxl.load_workbook(path)
    book["DSAP approved shares"]["K2"].number_format = "0%"
    book.save(path)

    def change(parts: dict[str, bytes]) -> None:
        if form == "shared":
            _shared_string("0", cell="B1", words="Organisation")(parts)
        if cell:
            _sheet_xml(parts, lambda xml: re.sub(r'<c r="K2".*?</c>', cell, xml, count=1))

    return _rewritten(path, tmp_path / "register.xlsx", change)


@pytest.mark.parametrize("form", ["xlsx", "shared", "ods"], ids=["xlsx", "xlsx, its header shared", "ods"])
def test_a_format_shown_otherwise_in_a_column_the_import_does_not_read_is_read(tmp_path: Path, form: str) -> None:
    """The probe of round fifteen: a percentage in a column no header of the mapping names (an edition that gained
    a column, "Share of year") had stopped the import of a register none of whose columns read holds one; read, the
    row's other cells as written. Mapped to a column read, the same cell is refused, naming sheet and cell."""
    path = _with_share_of_year(tmp_path, form)
    importer = ExternalSharesImporter()
    first = next(row for row in importer.extract(path) if row.number == 2)
    assert first.cells == {column: str(value) for column, value in zip(CANONICAL_COLUMNS, DSAP[0], strict=True)}
    mapping = MAPPING_FILE.read_text(encoding="utf-8").replace("      Status: status", "      Share of year: status")
    path.with_name("register.columns.yaml").write_text(mapping, encoding="utf-8")
    said = "sheet 'DSAP approved shares': cell K2 shows the percentage 25% where the reader reads the number 0.25"
    with pytest.raises(BadInput, match=re.escape(said)):
        importer.extract(path)


@pytest.mark.parametrize(
    ("form", "cell", "said"),
    [
        ("xlsx", '<c r="K2" t="e"><v>#N/A</v></c>', "cell K2 holds the error #N/A, not a value"),
        ("xlsx", '<c r="K2"><f>VLOOKUP(A2,Z:Z,1,0)</f></c>', "cell K2 holds a formula with no saved value"),
        ("ods", '<table:table-cell office:value-type="string"><text:p>a<text:tab/>b</text:p></table:table-cell>',
         "cell K2 holds a tab, which the reader drops"),
        ("ods", "<table:table-cell><text:p>25%</text:p></table:table-cell>", "cell K2 shows '25%' but gives no value"),
        ("ods", '<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>WAHR</text:p>'
         "</table:table-cell>", "cell K2 shows 'WAHR' for the true-or-false value true"),
    ],
    ids=["an xlsx error", "an uncalculated formula", "an ods tab", "no value type", "true shown in German"],
)  # fmt: skip
def test_a_value_read_otherwise_in_a_column_the_import_does_not_read_is_read(
    tmp_path: Path, form: str, cell: str, said: str
) -> None:
    """The probe of round fifteen: as a format, an error (a lookup's #N/A), a formula saved uncalculated, a tab, a
    cell of no value type and true shown in German are read otherwise than they show, and are refused, naming sheet
    and cell, in a column the import reads alone: in a column of its own ("Share of year") they had stopped it."""
    path = _with_share_of_year(tmp_path, form, cell)
    importer = ExternalSharesImporter()
    first = next(row for row in importer.extract(path) if row.number == 2)
    assert first.cells == {column: str(value) for column, value in zip(CANONICAL_COLUMNS, DSAP[0], strict=True)}
    mapping = MAPPING_FILE.read_text(encoding="utf-8").replace("      Status: status", "      Share of year: status")
    path.with_name("register.columns.yaml").write_text(mapping, encoding="utf-8")
    with pytest.raises(BadInput, match=re.escape(f"sheet 'DSAP approved shares': {said}")):
        importer.extract(path)


def test_an_ods_header_row_among_repeated_rows_is_judged_in_the_columns_read(tmp_path: Path) -> None:
    """The probe of round fourteen: an ODS header row among rows repeated (``number-rows-repeated``: a title row
    above it giving the same words) had not been found, and every column under it was judged, as where a mapped
    header is missing: a percentage in a column no header of the mapping names ("Share of year") stopped the import.
    Judged in the columns read, as under a header row of its own; mapped, the same cell is refused, naming it."""
    path = _with_share_of_year(tmp_path, "ods")
    first = '<table:table table:name="DSAP approved shares"><table:table-row>'
    repeated = first.replace("<table:table-row>", '<table:table-row table:number-rows-repeated="2">')
    path = _ods_rewritten(path, lambda xml: _once(xml, first, repeated))
    _with_dsap_header_on(path, 2)
    store = MemoryStore()
    store.write(fictional_items())
    assert ExternalSharesImporter().run(store, path).rows_read == 4
    read = MAPPING_FILE.read_text(encoding="utf-8").replace("      Status: status", "      Share of year: status")
    _with_dsap_header_on(path, 2, read)
    empty = MemoryStore()
    said = "sheet 'DSAP approved shares': cell K3 shows the percentage 25% where the reader reads the number 0.25"
    with pytest.raises(BadInput, match=re.escape(said)):
        ExternalSharesImporter().run(empty, path)
    assert empty.counts().total_nodes == 0


def test_an_ods_table_inside_a_cell_is_refused_naming_sheet_and_cell(tmp_path: Path) -> None:
    """The hostile-input reading, round eight: the reader reads a table inside a cell as a sheet of its own, and its
    rows among the sheet's too (a share DS06666 to "Evil Corp" under DS09999, whose organisation took the inner
    table's words); the refusal had said the workbook 'names more than one sheet' of the inner table's name."""
    inner = (
        '<table:table-cell office:value-type="string"><text:p>Example Analytics Ltd</text:p>'
        '<table:table table:name="Inner"><table:table-row><table:table-cell office:value-type="string">'
        "<text:p>DS06666</text:p></table:table-cell></table:table-row></table:table></table:table-cell>"
    )
    path = _ods_rewritten(write_workbook(tmp_path / "register.ods", sheets()), lambda xml: _once(xml, ANALYTICS, inner))
    store = MemoryStore()
    with pytest.raises(
        BadInput, match=re.escape("sheet 'DSAP approved shares' holds a table ('Inner') inside its cell B2")
    ):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0


@pytest.mark.parametrize("serial", ["-5", "1"])
def test_a_share_approved_before_the_npd_s_first_data_is_refused_naming_sheet_row_and_column(
    tmp_path: Path, serial: str
) -> None:
    """The hostile-input reading, round eight: a date serial of 1 or less was read as 1900-01-01 or 1899-12-25 with no
    word, and DS09999 imported as approved then; no share of NPD data was approved before its first data (1995/96)."""
    path = _rewritten(
        write_workbook(tmp_path / "source.xlsx", sheets()),
        tmp_path / "register.xlsx",
        lambda parts: _sheet_xml(parts, lambda xml: xml.replace("<v>43599</v>", f"<v>{serial}</v>")),
    )
    store = MemoryStore()
    said = r"row 2, column 'Date approved': approved on (1899-12-25|1900-01-01), before the NPD's first data"
    with pytest.raises(BadInput, match=said):
        ExternalSharesImporter().run(store, path)
    assert store.counts().total_nodes == 0


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_two_columns_alike_but_for_case_that_the_import_does_not_read_are_read(tmp_path: Path, suffix: str) -> None:
    """The read-through of release 0.21.0: a register edition that gained two columns the mapping does not name,
    "Comments" and "comments " (alike but for spaces or case), was refused as naming one column twice though the
    import reads neither; read, each row as written. A mapped header alike another is still refused."""
    frames = sheets()
    frames["DSAP approved shares"] = pd.DataFrame(
        [[*row, "a", "b"] for row in DSAP], columns=[*COLUMNS, "Comments", "comments "]
    )
    path = write_workbook(tmp_path / f"register{suffix}", frames)
    importer = ExternalSharesImporter()
    first = next(row for row in importer.extract(path) if row.number == 2)
    assert first.cells == {column: str(value) for column, value in zip(CANONICAL_COLUMNS, DSAP[0], strict=True)}
    frames["DSAP approved shares"] = pd.DataFrame([[*row, "a"] for row in DSAP], columns=[*COLUMNS, COLUMNS[0].upper()])
    path = write_workbook(tmp_path / f"mapped{suffix}", frames)
    with pytest.raises(BadInput, match="alike but for spaces or case"):
        importer.extract(path)
