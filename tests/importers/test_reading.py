"""Reading source files (importers.base): a file cut short, badly quoted, holding a control character or a cell
over the limit is refused naming its place; a file over the size limit or a directory before anything is read,
and every refusal in a message of bounded length; a byte-order mark and CRLF line breaks read as nothing at all,
in every reader. Expected values come from the bundled files, read here with the csv module."""

from __future__ import annotations

import csv
import re
import tracemalloc
import unicodedata
from pathlib import Path

import pytest

from importers.gias import GiasEstablishmentsImporter
from importers.keywords import SearchKeywordsImporter
from importers.npd import NpdClassificationsImporter
from importers.npd_sheets import NpdItemsImporter
from importers.reading import BOM, MAX_CELL, BadInput, parse_int, read_csv
from importers.register_workbook import ExternalSharesImporter
from lineage.characters import FORMAT
from lineage.errors import LineageError
from lineage.model import EdgeKind, NodeKind
from lineage.resources import DATA_DIR
from lineage.store import Store
from lineage.stores.memory import MemoryStore
from tests.importers import gias_fixtures as fx
from tests.importers.store_state import every_node, state_of
from tests.importers.test_register_workbook import COLUMNS

CLASSES = DATA_DIR / str(NpdClassificationsImporter.bundled)
ITEMS = DATA_DIR / str(NpdItemsImporter.bundled)
NOTES_HEADER = "file,row,source_url,statement,data_item_as_written,quote,another_copy_reads,reasoning"
YEARS_HEADER = "file,row,row_says,years_begin,years_end,reasoning"
CONFLICTS_HEADER = "file,row,row_says,contradicted_by_row,contradicted_by_says,row_part,contradicted_by_part,reasoning"
WITHHELD_HEADER = "file,row,row_says,document,holders,reasoning"


def text_file(tmp_path: Path, text: str, name: str = "file.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("text", "row", "column", "words"),
    [
        ("a,b\n1,2\n3,fou", 3, "b", "cut short"),  # cut inside the last cell
        ("a,b\n1,2\n3,", 3, "b", "cut short"),  # cut after the last comma
        ('a,b\n1,2\n3,"four', 3, "b", "quote"),  # cut inside a quoted cell
        ('a,b\n1,"two\nlines\n3,4\n', 2, "b", "quote"),  # a quote never closed
        ('a,b\n1,"two"x\n', 2, "b", "expected after"),  # a stray character after a closing quote
        ("a,b", 1, None, "cut short"),  # a header with nothing after it, not even its line break
    ],
)
def test_a_file_cut_short_or_badly_quoted_is_refused_naming_its_row(
    tmp_path: Path, text: str, row: int, column: str | None, words: str
) -> None:
    path = text_file(tmp_path, text)
    with pytest.raises(BadInput, match=words) as refused:
        read_csv(path, ("a", "b"))
    assert (refused.value.row, refused.value.column) == (row, column)
    assert str(path) in str(refused.value)


@pytest.mark.parametrize("text", ["a,b\n", "a,b\r\n", "\ufeffa,b\n", "a,b\n\n\n"])
def test_a_header_with_no_data_rows_under_it_is_refused_at_row_2(tmp_path: Path, text: str) -> None:
    """A download cut after its first line, or a file saved with its header only, was read as no rows and
    imported without complaint: the report said only that 0 rows were read."""
    path = text_file(tmp_path, text)
    with pytest.raises(BadInput, match="the file has a header and no data rows") as refused:
        read_csv(path, ("a", "b"))
    assert (refused.value.path, refused.value.row, refused.value.column) == (str(path), 2, None)
    assert str(refused.value).startswith(f"{path}, row 2: ")


def test_a_last_row_that_ends_with_a_closing_quote_is_whole(tmp_path: Path) -> None:
    # The GIAS links download ends so: no line break after its last row, whose last cell is quoted.
    assert (DATA_DIR / "gias_links_20250422.csv").read_bytes().endswith(b'"')
    rows = read_csv(text_file(tmp_path, 'a,b\n1,"two"\n3,"four"'), ("a", "b"))
    assert [dict(row.cells) for row in rows] == [{"a": "1", "b": "two"}, {"a": "3", "b": "four"}]
    assert [dict(r.cells) for r in read_csv(text_file(tmp_path, 'a,b\n1,"say ""two"""'), ("a", "b"))] == [
        {"a": "1", "b": 'say "two"'}
    ]


def test_a_cell_over_the_limit_is_refused_naming_file_row_and_column(tmp_path: Path) -> None:
    at_limit = text_file(tmp_path, f"a,b\n1,{'x' * MAX_CELL}\n", "at.csv")
    assert len(read_csv(at_limit, ("a", "b"))[0]["b"]) == MAX_CELL
    over = text_file(tmp_path, f"a,b\n1,2\n3,{'x' * (MAX_CELL + 1)}\n", "over.csv")
    with pytest.raises(BadInput, match=f"{MAX_CELL + 1:,} characters; the limit is {MAX_CELL:,}") as refused:
        read_csv(over, ("a", "b"))
    assert (refused.value.row, refused.value.column, refused.value.path) == (3, "b", str(over))


def test_a_nul_character_is_refused_as_no_text(tmp_path: Path) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes("a,b\n1,two\n".encode("utf-16-le"))  # no BOM: every other byte a NUL
    with pytest.raises(BadInput, match="NUL") as refused:
        read_csv(path, ("a", "b"), encoding="cp1252")
    assert refused.value.row == 1


@pytest.mark.parametrize(
    ("character", "kind"),
    [
        *((control, "control") for control in ["\x01", "\x08", "\x1b", "\x7f", "\x85", "\ufffe"]),
        # a soft hyphen, a zero-width space, a right-to-left mark and override, a word joiner, a byte-order mark
        *((form, "invisible format") for form in ["\u00ad", "\u200b", "\u200f", "\u202e", "\u2060", "\ufeff"]),
    ],
)
def test_a_control_or_format_character_is_refused_naming_file_row_and_column(
    tmp_path: Path, character: str, kind: str
) -> None:
    path = text_file(tmp_path, f"a,b\n1,two\n3,fo{character}ur\n")
    with pytest.raises(BadInput, match=f"the {kind} character U\\+{ord(character):04X}") as refused:
        read_csv(path, ("a", "b"))
    assert (refused.value.path, refused.value.row, refused.value.column) == (str(path), 3, "b")
    assert read_csv(text_file(tmp_path, 'a,b\n1,"t\two\nlines"\n', "fine.csv"), ("a", "b"))[0]["b"] == "t\two\nlines"


@pytest.mark.parametrize(("separator", "name"), [("\u2028", "line"), ("\u2029", "paragraph")])
def test_a_line_separator_is_refused_naming_file_row_and_column(tmp_path: Path, separator: str, name: str) -> None:
    """The hostile-input reading, round nine: "Civi\u2028tas Research" was read, shown as "Civitas Research" or on
    two lines, and keyed "civi tas research", as if the source had a space there; a workbook's cell alike
    (test_register_workbook)."""
    path = text_file(tmp_path, f"a,b\n1,Civi{separator}tas Research\n")
    with pytest.raises(
        BadInput, match=f"holds the {name} separator U\\+{ord(separator):04X}, a line break no"
    ) as refused:
        read_csv(path, ("a", "b"))
    assert (refused.value.path, refused.value.row, refused.value.column) == (str(path), 2, "b")


#: Names that need a joiner or non-joiner to show as written: Persian (a non-joiner before a suffix), Devanagari and
#: Sinhala (a joiner after a virama makes a half form or a conjunct), and an emoji sequence.
JOINED_NAMES = ["\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0915\u094d\u200d\u0937",
                "\u0dc1\u0dca\u200d\u0dbb\u0dd3", "\U0001f469\U0001f3fd\u200d\U0001f4bb"]  # fmt: skip


def test_a_joiner_that_shapes_a_word_is_read_one_that_shows_nothing_is_refused(tmp_path: Path) -> None:
    """Every format character was refused, the joiners that Persian, Indic scripts and emoji need included: a
    Persian organisation's name, as written, could not be imported. Between Latin letters a joiner still shows
    nothing ("Ho\u200cme Office" looks like "Home Office"), and is refused naming it."""
    rows = "".join(f"{i},{name}\n" for i, name in enumerate(JOINED_NAMES))
    assert [row["b"] for row in read_csv(text_file(tmp_path, f"a,b\n{rows}"), ("a", "b"))] == JOINED_NAMES
    for joiner in ("\u200c", "\u200d"):
        path = text_file(tmp_path, f"a,b\n1,Ho{joiner}me Office\n", "latin.csv")
        with pytest.raises(BadInput, match=f"U\\+{ord(joiner):04X} \\(ZERO WIDTH (NON-)?JOINER\\), outside a wo"):
            read_csv(path, ("a", "b"))
        path = text_file(tmp_path, f"a,b\n1,{JOINED_NAMES[0]}{joiner}\n", "trailing.csv")  # after the word
        with pytest.raises(BadInput, match="outside a word of a script it shapes") as refused:
            read_csv(path, ("a", "b"))
        assert (refused.value.row, refused.value.column) == (2, "b")


def test_every_format_character_is_refused() -> None:
    """Unicode's category Cf, as this Python's unicodedata has it: the pattern, written out, holds all of it."""
    missing = [
        code for code in range(0x110000) if unicodedata.category(chr(code)) == "Cf" and not FORMAT.match(chr(code))
    ]
    assert not missing, [f"U+{code:04X}" for code in missing]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(empty_store: Store, tmp_path: Path) -> None:
    """512 MiB of nothing (a sparse file: no disk, no time), four times the default limit of 128 MiB. Before the
    limit, the file was read whole, twice: a 2 GB file ended in MemoryError."""
    big = tmp_path / CLASSES.name
    with big.open("wb") as handle:
        handle.truncate(512 * 1024 * 1024)
    before = state_of(empty_store)
    tracemalloc.start()
    try:
        with pytest.raises(BadInput) as refused:
            NpdClassificationsImporter().run(empty_store, big)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    limit = "an import reads at most 134,217,728 ($LINEAGE_MAX_IMPORT_BYTES)"
    assert str(refused.value) == f"{big}: the file is 536,870,912 bytes; {limit}"
    assert peak < 1024 * 1024  # none of it was read
    assert state_of(empty_store) == before


def test_the_size_limit_is_set_by_the_environment(
    empty_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = CLASSES.stat().st_size
    monkeypatch.setenv("LINEAGE_MAX_IMPORT_BYTES", str(size - 1))
    with pytest.raises(BadInput, match=f"the file is {size:,} bytes; an import reads at most {size - 1:,}"):
        NpdClassificationsImporter().run(empty_store, CLASSES)
    monkeypatch.setenv("LINEAGE_MAX_IMPORT_BYTES", str(size))
    with CLASSES.open(encoding="utf-8", newline="") as handle:
        assert NpdClassificationsImporter().run(empty_store, CLASSES).rows_read == len(list(csv.DictReader(handle)))
    # the digits 0-9 only, as every other number we read: Arabic-Indic digits had been read as 1,000,000
    for configured in ("1 GB", "\u0661\u0660\u0660\u0660\u0660\u0660\u0660"):
        monkeypatch.setenv("LINEAGE_MAX_IMPORT_BYTES", configured)
        with pytest.raises(
            LineageError, match=f"LINEAGE_MAX_IMPORT_BYTES must be a positive whole number of bytes, not '{configured}'"
        ):
            NpdClassificationsImporter().run(empty_store, CLASSES)


def test_a_directory_is_refused_as_a_directory(empty_store: Store, tmp_path: Path) -> None:
    with pytest.raises(BadInput) as refused:
        NpdClassificationsImporter().run(empty_store, tmp_path)
    assert str(refused.value) == f"{tmp_path}: is a directory, not a file: name the file to import"
    with pytest.raises(BadInput, match="no such file"):
        NpdClassificationsImporter().run(empty_store, tmp_path / "missing.csv")


def test_a_header_of_a_million_columns_is_refused_in_a_short_message(tmp_path: Path) -> None:
    path = text_file(tmp_path, ",".join(f"c{i}" for i in range(1_000_000)) + "\n")
    with pytest.raises(BadInput) as refused:
        read_csv(path, ("a", "b"))
    first = ", ".join(f"c{i}" for i in range(10))
    assert str(refused.value) == f"{path}, row 1: missing column(s) a, b; the header has {first} and 999,990 more"


@pytest.mark.parametrize(
    ("header", "first", "second"),
    [("a,notes,notes ", "notes", "notes "), ("a,Notes,b,notes", "Notes", "notes"), ("a,notes,\u00a0notes", "notes",
     "\xa0notes"), ("a,b,c,b", "b", "b")],
)  # fmt: skip
def test_two_columns_alike_but_for_spaces_or_case_are_refused_naming_both(
    tmp_path: Path, header: str, first: str, second: str
) -> None:
    """The hostile-input reading, round thirteen: a header with both ``notes`` and ``notes `` (a trailing space) had
    been read, the first column taken and the second ignored with no word, whatever either held."""
    path = text_file(tmp_path, f"{header}\n{','.join('1' * (header.count(',') + 1))}\n")
    with pytest.raises(BadInput) as refused:
        read_csv(path, ("a",))
    said = (
        "the header names this column twice"
        if first == second
        else f"the header names {first!r} and {second!r}, alike but for spaces or case: which one is meant?"
    )
    assert str(refused.value).startswith(f"{path}, row 1, column {second!r}: {said}")


@pytest.mark.parametrize(
    ("header", "near"),
    [(" a,b", "' a'"), ("\u00a0a,b", "'\\xa0a'"), ("a,B ", "'B '"), ("a,b\t", "'b\\t'")],
)
def test_a_header_a_space_or_a_case_away_names_the_near_miss(tmp_path: Path, header: str, near: str) -> None:
    """A column saved with a space around its name (or a no-break space, or in capitals) was refused as missing
    next to a header that seemed to hold it: "missing column(s) a; the header has  a, b". The refusal now shows
    the column as it is, quoted, and says how near it is."""
    path = text_file(tmp_path, f"{header}\n1,2\n")
    with pytest.raises(BadInput) as refused:
        read_csv(path, ("a", "b"))
    missing = near.strip("'").replace("\\xa0", "").replace("\\t", "").strip().lower()
    assert f"the header's {near} is {missing!r} but for spaces or case" in str(refused.value)
    assert refused.value.row == 1


def test_a_refusal_quoting_a_huge_cell_is_of_bounded_length(tmp_path: Path) -> None:
    path = text_file(tmp_path, f"{'n' * MAX_CELL},b\n{'x' * MAX_CELL},2\n")
    row = read_csv(path, ("b",))[0]
    with pytest.raises(BadInput) as refused:
        parse_int(path, row, "n" * MAX_CELL)
    message = str(refused.value)
    assert message.startswith(
        f"{path}, row 2, column '{'n' * 79}…': expected a whole number (the digits 0-9, 18 at most), got 'xxx"
    )
    assert len(message) < len(str(path)) + 1_200


def test_a_cut_classifications_file_is_refused_and_the_stored_definition_stays(
    empty_store: Store, tmp_path: Path
) -> None:
    """Cut inside row 7, the file once replaced the definition of sensitivity A with its first 38 letters."""
    NpdClassificationsImporter().run(empty_store, CLASSES)
    lines = CLASSES.read_text(encoding="utf-8").splitlines(keepends=True)
    definition = next(csv.reader([lines[6]]))[2]
    assert definition.startswith("Public commitment this data item will never be used")
    cut = tmp_path / CLASSES.name
    cut.write_text("".join(lines[:6]) + lines[6][: lines[6].index(" will n") + len(" will n")], encoding="utf-8")
    before = state_of(empty_store)
    with pytest.raises(BadInput, match="cut short") as refused:
        NpdClassificationsImporter().run(empty_store, cut)
    assert (refused.value.row, refused.value.column) == (7, "definition")
    assert empty_store.get_node("Classification:sensitivity:A").props["definition"] == definition
    assert state_of(empty_store) == before


def test_crlf_line_breaks_inside_cells_read_as_the_original(tmp_path: Path) -> None:
    """The items file with every line break CRLF, inside its 12 multi-line descriptions too, gives the same
    descriptions: a cell's line breaks are ``\\n`` however the file ends its lines."""
    with ITEMS.open(encoding="utf-8", newline="") as handle:
        multi_line = [row for row in csv.DictReader(handle) if "\n" in row["description"]]
    assert len(multi_line) == 12
    original = MemoryStore()
    NpdItemsImporter().run(original, ITEMS)
    path = tmp_path / ITEMS.name
    path.write_bytes(ITEMS.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    copy = MemoryStore()
    NpdItemsImporter().run(copy, path)
    items = {n.id: n.props.get("description") for n in original.all_nodes(NodeKind.DATA_ITEM)}
    assert {n.id: n.props.get("description") for n in copy.all_nodes(NodeKind.DATA_ITEM)} == items
    assert not any("\r" in str(description) for description in items.values())


def test_a_byte_order_mark_is_dropped_by_every_reader(tmp_path: Path) -> None:
    """GIAS's establishment file is Windows-1252: a UTF-8 byte-order mark before it once made its first
    column "ï»¿URN"; the workbook reader and the CSV reader drop it alike."""
    (tmp_path / "plain").mkdir()
    plain = fx.write_edubaseall(tmp_path / "plain" / "edubasealldata.csv")
    marked_dir = tmp_path / "marked"
    marked_dir.mkdir()
    marked = marked_dir / "edubasealldata.csv"
    marked.write_bytes(BOM + plain.read_bytes())
    stores = [MemoryStore(), MemoryStore()]
    GiasEstablishmentsImporter().run(stores[0], plain)
    GiasEstablishmentsImporter().run(stores[1], marked)
    assert state_of(stores[0]).graph == state_of(stores[1]).graph
    assert stores[1].get_node("School:9000002").name == f"St Mary{fx.RIGHT_QUOTE}s Church of England Academy"

    sheet = marked_dir / "Home Office.csv"  # a sheet of the bundled mapping, in its canonical headers
    sheet.write_bytes(BOM + (",".join(COLUMNS) + "\nR9999,Home Office" + "," * 8 + "\n").encode())
    store = MemoryStore()
    ExternalSharesImporter().run(store, sheet)
    assert store.get_node("Release:R9999") is not None


@pytest.mark.parametrize(
    ("table", "text", "column"),
    [
        ("conflicts", f"{CONFLICTS_HEADER}\nf.csv,6,a,3,b,,,\n", "reasoning"),
        ("conflicts", f"{CONFLICTS_HEADER}\nf.csv,six,a,3,b,,,because\n", "row"),
        ("conflicts", f"{CONFLICTS_HEADER}\nf.csv,٦,a,3,b,,,because\n", "row"),
        ("conflicts", f"{CONFLICTS_HEADER}\nf.csv,6,a,1_0,b,,,because\n", "contradicted_by_row"),
        ("conflicts", f"{CONFLICTS_HEADER}\nf.csv,6,a,,b,,,because\n", "contradicted_by_row"),
        ("conflicts", f"{CONFLICTS_HEADER}\nf.csv,6,a,3,b,,its quote,because\n", "contradicted_by_part"),
        ("conflicts", f"{CONFLICTS_HEADER}\nf.csv,9,a,9,b,,,because\n", "contradicted_by_row"),
        ("conflicts", f"{CONFLICTS_HEADER}\nf.csv,6,a,3,b,,,because\nf.csv,6,a,3,b,,,again\n", "row"),
        (
            "event dates",
            "file,row,row_says,date_as_cited,date_is,holds,reasoning\nf.csv,3,a,2022,x,,why\nf.csv,3,a,2022,y,,why\n",
            "row",
        ),
        ("event links", "file,row,row_says,concerns,reasoning\nf.csv,3,a,Nowhere:x,why\n", "concerns"),
        ("event links", "file,row,row_says,concerns,reasoning\nf.csv,3, ,Event:x,why\n", "row_says"),
        ("event links", "file,row,row_says,concerns,reasoning\nf.csv,3,a | ,Event:x,why\n", "row_says"),
        ("event links", "file,row,row_says,concerns,reasoning\nf.csv,3,a | | b,Event:x,why\n", "row_says"),
        ("conflicts", f"{CONFLICTS_HEADER}\nf.csv,6,a,3,,,,because\n", "contradicted_by_says"),
        ("note statements", f"{NOTES_HEADER}\nf.csv,3,https://example.org,said_so,items,words,,why\n", "statement"),
        ("note statements", f"{NOTES_HEADER}\nf.csv,3,https://example.org,not_released,items,,,why\n", "quote"),
        (
            "note statements",
            f"{NOTES_HEADER}\nf.csv,3,u,not_released,a,a,,why\nf.csv,3,u,not_released,b,b,,why\n",
            "row",
        ),
        (
            "event links",
            "file,row,row_says,concerns,reasoning\nf.csv,3,a,Event:x,why\nf.csv,3,a,Event:x,again\n",
            "row",
        ),
        (
            "statement dates",
            "file,row,row_says,source_url,date,reasoning\nf.csv,3,a,u,2019-07-19,why\nf.csv,3,a,u,2030-01-01,why\n",
            "row",
        ),
        ("scope words", "words,means,within,reasoning\nnames,DataItem:a,,why\nNames,DataItem:a,,again\n", None),
        (
            "scope data sets",
            "dataset_as_written,means,reasoning\nKS4,Dataset:KS4,why\nks4 ,Dataset:KS2,why\n",
            "dataset_as_written",
        ),
        (
            "timetable names",
            "timetable_name,means,released,reasoning\nAbsence,Dataset:A,after the year,why\n"
            "Absence,Dataset:B,after the year,why\n",
            "timetable_name",
        ),
        (
            "timetable names",
            "timetable_name,means,released,reasoning\nAbsence,Collection:A,after the year,why\n",
            "means",
        ),
        ("timetable names", "timetable_name,means,released,reasoning\nAbsence,Dataset:A,after the year,\n", None),
        ("timetable names", "timetable_name,means,released,reasoning\nAbsence,,after the year,why\n", "means"),
        ("timetable names", "timetable_name,means,released,reasoning\nAbsence,Dataset:A,soon,why\n", "released"),
        ("statement years", f"{YEARS_HEADER}\nf.csv,9,a,2007,2008-2012,why\n", "years_end"),
        ("statement years", f"{YEARS_HEADER}\nf.csv,9,a,1066,2011,why\n", "years_begin"),
        ("statement years", f"{YEARS_HEADER}\nf.csv,9,a,2012,2011,why\n", "years_end"),
        ("statement years", f"{YEARS_HEADER}\nf.csv,9,a,2007,2011,\n", "reasoning"),
        ("withheld documents", f"{WITHHELD_HEADER}\nf.csv,3,a,the report,,why\n", None),
        ("withheld documents", f"{WITHHELD_HEADER}\nf.csv,3,a,the report,ICO,why\nf.csv,3,a,another,DfE,why\n", "row"),
    ],
)
def test_our_tables_about_other_rows_refuse_a_bad_row_naming_its_place(
    tmp_path: Path, table: str, text: str, column: str | None
) -> None:
    """conflicts.csv, date_readings.csv, event_links.csv, note_statements.csv, statement_dates.csv and
    withheld_documents.csv read other files' rows, scope_words.csv and scope_datasets.csv a statement's words,
    timetable_datasets.csv the timetable's names: a pair with no reasoning, a row that is no number, a row read twice
    or a statement of no known kind would mark the wrong fact, so each is refused at its row and column. A row given
    twice had been taken silently, the last one winning (the hostile-input reading, round two: a second date of 2030
    for a written answer)."""
    from importers.conflicts import load_conflicts
    from importers.events import load_dates, load_links, load_withheld
    from importers.npd import load_timetable_names
    from importers.scope import load_datasets, load_notes, load_words, load_years
    from importers.scope import load_dates as load_statement_dates

    path = tmp_path / "table.csv"
    path.write_text(text, encoding="utf-8")
    loader = {
        "conflicts": load_conflicts,
        "event dates": load_dates,
        "event links": load_links,
        "note statements": load_notes,
        "statement dates": load_statement_dates,
        "statement years": load_years,
        "scope words": load_words,
        "scope data sets": load_datasets,
        "timetable names": load_timetable_names,
        "withheld documents": load_withheld,
    }[table]
    with pytest.raises(BadInput) as refused:
        loader(path)
    assert refused.value.column == column and refused.value.row == text.count("\n")
    assert "table.csv" in str(refused.value)


def test_each_of_our_tables_names_files_the_project_bundles() -> None:
    """Our tables read other files' rows by the file's name: a name misspelt there matched nothing and was ignored
    without a word (the hostile-input reading), so every name they give is a file the project bundles."""
    bundled = {path.name for path in DATA_DIR.iterdir()}
    tables = (
        "conflicts.csv",
        "note_statements.csv",
        "statement_dates.csv",
        "date_readings.csv",
        "event_links.csv",
        "flow_readings.csv",
        "withheld_documents.csv",
    )
    for table in tables:
        with open(DATA_DIR / table, newline="", encoding="utf-8") as handle:
            named = {row["file"] for row in csv.DictReader(handle)}
        assert named and named <= bundled, (table, named - bundled)


def _with_a_row_added_above(source: Path, into: Path, words: tuple[str, ...]) -> Path:
    """A copy of a bundled file with its first data row repeated above it, its words in these columns changed (as
    a newer copy of the file with a row added), so each later row is one further down."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    first = dict(zip(header, next(csv.reader([lines[1]])), strict=True))
    added = [f"an added row's {column}" if column in words else cell for column, cell in first.items()]
    copy = into / source.name
    with copy.open("w", encoding="utf-8", newline="") as handle:
        handle.write(lines[0])
        csv.writer(handle, lineterminator="\n").writerow(added)
        handle.writelines(lines[1:])
    return copy


def test_a_newer_copy_with_a_row_added_above_gets_no_conflict_or_event_link_written_for_another_row(
    tmp_path: Path,
) -> None:
    """The hostile-input reading, round two: conflicts.csv and event_links.csv read rows by number alone, so a copy
    of the published figures with a row added at the top drew the conflict of the 21 and the 16 between two other
    figures, both marked contested with the wrong part, and a copy of the campaign page linked its events to what
    the row above was about, each with no word. Each is now drawn only while its rows still begin a cell with the
    words the table gives for them; the others are counted, naming the table's row."""
    from importers.events import CampaignEventsImporter
    from importers.figures import SharingFiguresImporter

    for importer, words, table, kind in (
        (SharingFiguresImporter(), ("measure", "notes"), "conflicts.csv", EdgeKind.CONTRADICTS),
        (CampaignEventsImporter(), ("event", "quote"), "event_links.csv", EdgeKind.CONCERNS),
    ):
        with open(DATA_DIR / table, newline="", encoding="utf-8") as handle:
            read = [(n, r) for n, r in enumerate(csv.DictReader(handle), start=2) if r["file"] == importer.bundled]
        store = MemoryStore()
        SharingFiguresImporter().run(store, DATA_DIR / SharingFiguresImporter.bundled)  # what events are about
        before = len(store.expand([n.id for n in every_node(store)], frozenset({kind}), frozenset()))
        report = importer.run(store, _with_a_row_added_above(DATA_DIR / importer.bundled, tmp_path, words))
        after = len(store.expand([n.id for n in every_node(store)], frozenset({kind}), frozenset()))
        said = " | ".join(report.left_out)
        assert read and all(f"{table} row {n}: {importer.bundled} row {r['row']} no longer" in said for n, r in read)
        assert after == before, (table, kind)


def test_a_meaning_with_a_no_break_space_in_its_id_is_the_id_with_a_space(tmp_path: Path) -> None:
    """The hostile-input reading, round two: the words table with a no-break space in its ids (a copy through a
    document) lost 810 of its 1,187 REFERS_TO links, each counted only as a meaning not in the store."""
    from importers.scope import load_words

    path = tmp_path / "scope_words.csv"
    target = "Concept:Demographics/Pupil name/Surname: Pupil Surname"
    pasted = target.replace(" ", "\u00a0")
    path.write_text(f"words,means,within,reasoning\nnames,{pasted},,because\n", "utf-8")
    (meaning,) = load_words(path)["names"]
    assert meaning.target == target


def test_each_of_our_readings_names_its_row_and_no_other_of_the_bundled_file() -> None:
    """The review of round two: some anchors began cells of other rows too ('Ethnicity' of three, DfE's 'It did not
    contain key identifiers' of the Telegraph's row and the BBC's), so rows sorted anew still drew the conflict
    between the wrong pair. Every reading's words, in their parts, begin cells of its own row and of no other."""
    from importers.conflicts import load_conflicts
    from importers.events import load_dates, load_links, load_withheld
    from importers.onward import load_readings
    from importers.reading import RowRead
    from importers.scope import load_dates as load_statement_dates

    reads: list[RowRead] = [
        *(r.read for by_row in load_readings().values() for r in by_row.values()),
        *(c for conflicts in load_conflicts().values() for conflict in conflicts for c in conflict.reads),
        *(link.read for links in load_links().values() for link in links),
        *(reading.read for reading in load_dates().values()),
        *(dated.read for dated in load_statement_dates().values()),
        *(document.read for document in load_withheld().values()),
    ]
    assert len(reads) > 70
    for read in reads:
        rows = read_csv(DATA_DIR / read.file, ())
        holding = [row.number for row in rows if read.holds(row)]
        assert holding == [read.row], (read.file, read.row, read.says, holding)


def _one_row(path: Path, source: Path, row: int, column: str, value: str) -> Path:
    """A copy of a bundled file with its header and one row, one cell of it replaced."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept = {**rows[row - 2], column: value}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(kept))
        writer.writeheader()
        writer.writerow(kept)
    return path


@pytest.mark.parametrize(
    ("source", "column", "value", "refused"),
    [
        ("gias-links", "URN", "7" * 5000, "expected a whole number (the digits 0-9, 18 at most)"),
        ("sharing-figures", "period", "9999/00", "not a period of real dates: year 10000 is out of range"),
        ("campaign-events", "date_as_cited", "0000/01", "not a period of real dates: year 0 is out of range"),
    ],
)
def test_a_number_or_year_out_of_any_range_is_refused_naming_its_place(
    tmp_path: Path, source: str, column: str, value: str, refused: str
) -> None:
    """The hostile-input reading, round four: a URN of 5,000 digits raised Python's own limit on reading a number,
    and an academic year 9999/00 the date module's own error, each as a traceback."""
    from importers import REGISTRY

    importer = REGISTRY[source]()
    path = _one_row(tmp_path / str(importer.bundled), DATA_DIR / str(importer.bundled), 2, column, value)
    with pytest.raises(BadInput, match=re.escape(refused)) as caught:
        importer.run(MemoryStore(), path, dry_run=True)
    assert (caught.value.row, caught.value.column) == (2, column)


def test_a_year_0000_or_a_day_in_year_1_names_no_date_and_breaks_no_rule_of_time(tmp_path: Path) -> None:
    """The hostile-input reading, round four: 'early 0000' as a statement's date, and a release dated 0001-01-01,
    raised the date module's own errors (the first reading a year 0, the second going back a year past the
    first date there is)."""
    import datetime as dt

    from importers import REGISTRY
    from lineage.dates import named_period
    from lineage.model import last_year_in_npd

    assert named_period("early 0000") is None and named_period("early 1000") is not None
    assert last_year_in_npd(dt.date(1, 1, 1)) == -1 and last_year_in_npd(dt.date(2013, 9, 1)) == 2012
    importer = REGISTRY["register-foi"]()
    path = _one_row(
        tmp_path / str(importer.bundled), DATA_DIR / str(importer.bundled), 2, "date_as_cited", "0001-01-01"
    )
    store = MemoryStore()
    REGISTRY["npd-items"]().run(store, DATA_DIR / str(REGISTRY["npd-items"].bundled))
    importer.run(store, path)
    assert [r.props["date"] for r in store.all_nodes(NodeKind.RELEASE)] == [dt.date(1, 1, 1)]


def test_bytes_that_are_not_utf8_are_found_where_they_are_not_where_the_file_writes_a_replacement_character(
    tmp_path: Path,
) -> None:
    """Hostile input, round five: a file spelling out U+FFFD in its second row and holding a byte that is not
    UTF-8 in its fourth was refused naming the second row, where nothing is wrong."""
    path = tmp_path / "classifications.csv"
    header = "scale,code,definition\n"
    path.write_bytes(
        f"{header}identifiability,1,Inst\ufffdant\nidentifiability,2,Meaningful\n".encode()
        + b"identifiability,3,Refer\xffence\n"
    )
    with pytest.raises(BadInput, match=r"row 4, column 'definition': not valid utf-8 text \(byte "):
        NpdClassificationsImporter().run(MemoryStore(), path)


def test_a_csv_of_more_cells_than_an_import_reads_is_refused_naming_the_row(
    empty_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within the size limit, a file of short rows took memory of 49 times its size: a header and 16,000,000 rows
    ``a,b,c,d`` (128,000,031 bytes) peaked at 6.2 GB before its refusal at row 3, 40 MB of them at 2.0 GB. Past an
    eighth of the size limit in cells, each row counted as its cells and four more, a file is refused naming the row
    where it passed them: here the limit is 8,000 bytes, so 1,000 cells, and a row of four takes eight, the header's
    too, so the file passes them at row 126, within its 1,608 bytes."""
    path = text_file(tmp_path, "keyword,node,reasoning,address\n" + "".join(f"k{n},n,r,a\n" for n in range(200)))
    monkeypatch.setenv("LINEAGE_MAX_IMPORT_BYTES", "8000")
    assert path.stat().st_size < 8000
    before = state_of(empty_store)
    with pytest.raises(BadInput) as refused:
        SearchKeywordsImporter().run(empty_store, path)
    assert str(refused.value).startswith(f"{path}, row 126: the file passes the 1,000 cells an import reads")
    assert state_of(empty_store) == before
    fewer = text_file(
        tmp_path, "keyword,node,reasoning,address\n" + "".join(f"k{n},n,r,a\n" for n in range(124)), "fewer.csv"
    )
    assert len(read_csv(fewer, ("keyword",))) == 124  # 125 rows of 8: 1,000 cells
    with pytest.raises(BadInput, match=r"row 126: the file passes the 1,000 cells"):  # a sheet of a workbook too
        ExternalSharesImporter().run(empty_store, path)


def test_every_bundled_file_is_far_below_the_cells_an_import_reads() -> None:
    """The cells an import reads (each row counted as its cells and four more) are an eighth of the size limit:
    16,777,216 at 128 MiB. The largest count of any bundled file, 304,218 (gias_links), is 55 times below it."""
    counts = {}
    for path in sorted(DATA_DIR.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            counts[path.name] = sum(len(cells) + 4 for cells in csv.reader(handle))
    assert max(counts.values()) == counts["gias_links_20250422.csv"] == 304_218
    assert max(counts.values()) * 50 < 128 * 1024 * 1024 // 8
