"""The GIAS importers, on both stores.

gias-links is checked against the real April 2025 links file: the expected edges are derived here with the
csv module from the rule the importer documents (a "Successor..." row: LinkURN succeeds URN; a
"Predecessor..." row: LinkURN precedes URN; a row of any other type joins the edge(s) of its pair, else is
skipped), and a few rows are quoted by hand. gias-establishments is checked on fictional Windows-1252 files
that carry the real 140-column header (tests/importers/gias_fixtures.py).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from importers import gias
from importers.gias import GIAS_DOWNLOADS, GiasEstablishmentsImporter, GiasLinksImporter
from importers.reading import BadInput
from lineage.errors import LineageError
from lineage.model import Citation, EdgeKind, NodeKind
from lineage.store import Direction, Store
from lineage.stores.memory import MemoryStore
from tests.importers import gias_fixtures as fx

SUCCEEDED_BY = frozenset({EdgeKind.SUCCEEDED_BY})


def school(urn: int) -> str:
    return f"School:{urn}"


def links_cite(row: int, file: str = fx.LINKS_FILE.name) -> Citation:
    return Citation(GiasLinksImporter.document, file, row, GIAS_DOWNLOADS)


def edge_rows(edge) -> set[int]:
    return {citation.row for citation in edge.citations}


def succession(store: Store, predecessor: int, successor: int):
    """The SUCCEEDED_BY edge predecessor -> successor as the store holds it, or None."""
    hops = store.neighbours(school(predecessor), Direction.DOWNSTREAM, edge_kinds=SUCCEEDED_BY).hops.items
    return next((hop.edge for hop in hops if hop.node.id == school(successor)), None)


# ---- the real links file ---------------------------------------------------------------------------


@dataclass
class Expected:
    """What the real links file says under the documented rule, worked out with the csv module."""

    rows: int = 0
    edges: dict[tuple[int, int], dict] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    skipped: Counter[str] = field(default_factory=Counter)

    def add(self, pair: tuple[int, int], line: int, record: dict[str, str]) -> None:
        edge = self.edges[pair]
        edge["types"].add(record["LinkType"])
        edge["rows"].add(line)
        if record["LinkEstablishedDate"]:
            edge["dates"].add(dt.datetime.strptime(record["LinkEstablishedDate"], "%d-%m-%Y").date())

    @property
    def schools(self) -> set[int]:
        return {urn for pair in self.edges for urn in pair}


@cache
def expected_links() -> Expected:
    expected = Expected()
    undirected = []
    with fx.LINKS_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for record in reader:
            expected.rows += 1
            urn, link_urn = int(record["URN"]), int(record["LinkURN"])
            head = record["LinkType"].split(" - ")[0]
            assert urn != link_urn, "the April 2025 file links no school to itself"
            if head == "Successor":
                expected.add((urn, link_urn), reader.line_num, record)
            elif head == "Predecessor":
                expected.add((link_urn, urn), reader.line_num, record)
            else:
                undirected.append((reader.line_num, record, urn, link_urn))
    for line, record, urn, link_urn in undirected:
        pairs = [pair for pair in ((urn, link_urn), (link_urn, urn)) if pair in expected.edges]
        for pair in pairs:
            expected.add(pair, line, record)
        if not pairs:
            expected.skipped[record["LinkType"]] += 1
    return expected


def test_the_real_links_file_on_each_store(empty_store: Store) -> None:
    expected = expected_links()
    report = GiasLinksImporter().run(empty_store, fx.LINKS_FILE)

    assert empty_store.counts().nodes == {"ImportRun": 1, "School": len(expected.schools)}
    assert empty_store.counts().edges == {"SUCCEEDED_BY": len(expected.edges)}
    assert report.rows_read == expected.rows == 33_801
    assert report.rows_skipped == sum(expected.skipped.values())
    for link_type, count in expected.skipped.items():
        assert sum(n for reason, n in report.skipped.items() if repr(link_type) in reason) == count, link_type

    # Rows checked by hand.
    # 2: 100006,134643,"CCfL Key Stage 3 PRU","Predecessor - merged","01-01-2022"
    # 19570: 134643,100006,"Heath School","Successor - merged","01-01-2022"
    edge = succession(empty_store, 134643, 100006)
    assert edge.props == {"link_type": "Predecessor - merged; Successor - merged"}
    assert edge.citations == {links_cite(2), links_cite(19570)}
    assert edge.validity.valid_from == dt.date(2022, 1, 1) and edge.validity.valid_to is None
    assert succession(empty_store, 100006, 134643) is None
    heath, pru = empty_store.get_node(school(100006)), empty_store.get_node(school(134643))
    assert (heath.name, heath.props) == ("Heath School", {"urn": 100006})
    assert pru.name == "CCfL Key Stage 3 PRU" and links_cite(2) in pru.citations and links_cite(19570) in pru.citations
    # 4: 100016,132245,"Kingsgate Primary School","Successor",""  18019: 132245,100016,...,"Predecessor",""
    edge = succession(empty_store, 100016, 132245)
    assert edge.props == {"link_type": "Predecessor; Successor"} and edge_rows(edge) == {4, 18019}
    assert edge.validity.valid_from is None
    # 3/6: Carlton Primary School (100012) merged into Rhyl Community Primary School (100021) on 31-08-2021.
    assert succession(empty_store, 100012, 100021).validity.valid_from == dt.date(2021, 8, 31)
    # The two sides give different days (31-08-2016 and 01-09-2016): the edge holds from the earlier.
    assert succession(empty_store, 100111, 143211).validity.valid_from == dt.date(2016, 8, 31)
    # 2152: 104123,104124,"Solihull School","Result of Amalgamation" joins the edge row 2153 directs.
    edge = succession(empty_store, 104123, 104124)
    assert edge.props == {"link_type": "Predecessor - amalgamated; Result of Amalgamation"}
    assert edge_rows(edge) == {2152, 2153}
    # 411/412: each of two merged schools calls the other its successor: both edges are kept.
    assert edge_rows(succession(empty_store, 101144, 101146)) == {411}
    assert edge_rows(succession(empty_store, 101146, 101144)) == {412}
    # 352: 100945 -> 100950 (no row names 100945); 355/32670: 100950 -> 150554.
    assert empty_store.get_node(school(100945)).name == "URN 100945"
    reached = empty_store.traverse(school(100945), max_depth=2, edge_kinds=SUCCEEDED_BY).reached.items
    assert {(r.node.id, r.degree) for r in reached} >= {(school(100950), 1), (school(150554), 2)}
    # 11 and 18185: LaSWAP Sixth Form (132838) is linked only as a sixth form centre: no succession, no node.
    assert empty_store.get_node(school(132838)) is None


def test_every_real_link_and_a_second_import_that_changes_nothing() -> None:
    """Every edge against the CSV, on the embedded store (the conformance suite makes Neo4j answer alike;
    importing 33,801 rows into Neo4j twice would take most of a minute)."""
    expected = expected_links()
    store = MemoryStore()
    GiasLinksImporter().run(store, fx.LINKS_FILE)
    hops = store.expand([school(urn) for urn in expected.schools], SUCCEEDED_BY, frozenset())
    found = {(int(hop.near.split(":")[1]), int(hop.node.key)): hop.edge for hop in hops}
    assert found.keys() == expected.edges.keys()
    for pair, edge in found.items():
        want = expected.edges[pair]
        assert edge.props == {"link_type": "; ".join(sorted(want["types"]))}, pair
        assert edge_rows(edge) == want["rows"], pair
        assert edge.validity.valid_from == min(want["dates"], default=None), pair

    before, node = store.counts(), store.get_node(school(100006))
    again = GiasLinksImporter().run(store, fx.LINKS_FILE)
    assert (again.nodes_created, again.edges_created) == (0, 0)
    assert store.counts() == before and store.get_node(school(100006)) == node


def write_fictional_links(path: Path) -> Path:
    st_marys = fx.ST_MARYS["EstablishmentName"]
    return fx.write_links(
        path,
        [
            ["9000003", "9000002", st_marys, "Successor", "31-03-2012"],  # 2
            ["9000003", "9000002", st_marys, "Successor", "31-03-2012"],  # 3: word for word again
            ["9000002", "9000003", "Café Lane Infant School", "Predecessor", "01-04-2012"],  # 4
            ["9000001", "9000002", st_marys, "Sixth Form Centre Link", ""],  # 5: no direction anywhere
            ["9000004", "9000004", "Birchfield School", "Successor", ""],  # 6: itself
            ["9000005", "9000006", "Elmfield Academy", "Successor - merged", "31-08-2019"],  # 7
            ["9000006", "9000005", "Fernhill School", "Successor - merged", "31-08-2019"],  # 8: disagrees with 7
            ["9000002", "9000003", "Café Lane Infant School", "Result of Amalgamation", ""],  # 9
        ],
    )


def test_repeats_fold_undirected_rows_join_or_are_skipped(empty_store: Store, tmp_path: Path) -> None:
    path = write_fictional_links(tmp_path / "links.csv")
    report = GiasLinksImporter().run(empty_store, path)
    assert (report.rows_read, report.rows_skipped) == (8, 2)
    assert sorted(report.skipped) == [
        "'Sixth Form Centre Link' states no predecessor or successor, nor does any row on its pair",
        "links a school to itself",
    ]
    assert empty_store.counts().edges == {"SUCCEEDED_BY": 3}
    edge = succession(empty_store, 9000003, 9000002)
    assert edge.props == {"link_type": "Predecessor; Result of Amalgamation; Successor"}
    assert edge.citations == {links_cite(n, path.name) for n in (2, 3, 4, 9)}
    assert edge.validity.valid_from == dt.date(2012, 3, 31)
    assert edge_rows(succession(empty_store, 9000005, 9000006)) == {7}
    assert edge_rows(succession(empty_store, 9000006, 9000005)) == {8}
    names = {node.key: node.name for node in empty_store.list_nodes(NodeKind.SCHOOL).items}
    assert names == {
        "9000002": fx.ST_MARYS["EstablishmentName"],
        "9000003": "Café Lane Infant School",
        "9000005": "Fernhill School",
        "9000006": "Elmfield Academy",
    }

    before, edge = empty_store.counts(), succession(empty_store, 9000003, 9000002)
    again = GiasLinksImporter().run(empty_store, path)
    assert (again.nodes_created, again.edges_created) == (0, 0)
    assert empty_store.counts() == before and succession(empty_store, 9000003, 9000002) == edge


GOOD_LINK = ["9000003", "9000002", "Ashgrove Academy", "Successor", "31-03-2012"]
BACK_LINK = ["9000002", "9000003", "Café Lane Infant School", "Predecessor", "01-04-2012"]


@pytest.mark.parametrize(
    ("case", "rows", "options", "row", "column", "words"),
    [
        ("renamed header", [GOOD_LINK], {"header": ("URN", "LinkURN", "LinkName", "Link Type", "Date")}, 1, None,
         "LinkType, LinkEstablishedDate"),
        ("letter in URN", [["9OOOOO3", *GOOD_LINK[1:]]], {}, 2, "URN", "whole number"),
        ("empty LinkURN", [GOOD_LINK, ["9000002", "", *BACK_LINK[2:]]], {}, 3, "LinkURN", "empty"),
        ("URN zero", [["0", *GOOD_LINK[1:]]], {}, 2, "URN", "outside"),
        ("ISO date", [[*GOOD_LINK[:4], "2012-03-31"]], {}, 2, "LinkEstablishedDate", "%d-%m-%Y"),
        ("no such day", [GOOD_LINK, [*BACK_LINK[:4], "31-02-2012"]], {}, 3, "LinkEstablishedDate", "31-02-2012"),
        ("empty type", [[*GOOD_LINK[:3], " ", GOOD_LINK[4]]], {}, 2, "LinkType", "empty"),
        ("truncated row", [GOOD_LINK, BACK_LINK[:4]], {}, 3, "LinkEstablishedDate", "4 cells"),
        ("Windows-1252", [GOOD_LINK, BACK_LINK], {"encoding": "cp1252"}, 3, "LinkName", "utf-8"),
        ("header only", [], {}, 2, None, "no data rows"),
    ],
)  # fmt: skip
def test_a_bad_links_file_is_refused_whole(
    empty_store: Store, tmp_path: Path, case: str, rows, options, row, column, words: str
) -> None:
    path = fx.write_links(tmp_path / "links.csv", rows, **options)
    with pytest.raises(BadInput) as refused:
        GiasLinksImporter().run(empty_store, path)
    message = str(refused.value)
    assert (refused.value.row, refused.value.column) == (row, column), case
    assert words in message and str(path) in message, message
    assert empty_store.counts().total_nodes == 0


def test_an_empty_links_file_is_refused(tmp_path: Path, empty_store: Store) -> None:
    path = tmp_path / "links.csv"
    path.write_bytes(b"")
    with pytest.raises(BadInput, match="empty"):
        GiasLinksImporter().run(empty_store, path)
    assert empty_store.counts().total_nodes == 0


# ---- gias-establishments ---------------------------------------------------------------------------


def est_cite(path: Path, row: int) -> Citation:
    return Citation(GiasEstablishmentsImporter.document, path.name, row, GIAS_DOWNLOADS)


def test_establishments_land_with_their_values(empty_store: Store, tmp_path: Path) -> None:
    path = fx.write_edubaseall(tmp_path / "edubasealldata20250422.csv")
    assert path.read_bytes().count(b"\x92") == 1 and b"Caf\xe9" in path.read_bytes()  # really Windows-1252
    report = GiasEstablishmentsImporter().run(empty_store, path)
    assert (report.rows_read, report.rows_skipped) == (3, 0)
    assert empty_store.counts().nodes == {"ImportRun": 1, "School": 3}
    ashgrove = empty_store.get_node("School:9000001")
    assert ashgrove.name == "Ashgrove Primary School"
    assert ashgrove.props == {
        "urn": 9000001,
        "la_code": "990",
        "la_name": "Ashgrove Borough (fictional)",
        "establishment_type": "Community school",
        "phase": "Primary",
        "status": "Open",
        "open_date": dt.date(1998, 9, 1),
        "town": fx.ASHGROVE["Town"],
        "postcode": fx.ASHGROVE["Postcode"],
    }
    assert ashgrove.citations == {est_cite(path, 2)}
    assert empty_store.get_node("School:9000002").name == "St Mary\u2019s Church of England Academy"
    cafe = empty_store.get_node("School:9000003")
    assert cafe.name == "Café Lane Infant School" and cafe.citations == {est_cite(path, 4)}
    assert (cafe.props["status"], cafe.props["close_date"]) == ("Closed", dt.date(2012, 3, 31))

    before = empty_store.counts()
    again = GiasEstablishmentsImporter().run(empty_store, path)
    assert (again.nodes_created, again.edges_created) == (0, 0)
    assert empty_store.counts() == before and empty_store.get_node("School:9000003") == cafe


def test_a_file_without_the_columns_gias_dropped_in_2025_still_imports(tmp_path: Path, empty_store: Store) -> None:
    assert len(fx.EDUBASEALL_HEADER) == 140 and len(fx.EDUBASEALL_HEADER_LATER) < 140
    path = fx.write_edubaseall(tmp_path / "edubasealldata.csv", header=fx.EDUBASEALL_HEADER_LATER)
    GiasEstablishmentsImporter().run(empty_store, path)
    assert empty_store.get_node("School:9000002").props["phase"] == "Secondary"


NEEDED = ("URN", "EstablishmentName", "LA (code)", "LA (name)", "TypeOfEstablishment (name)",
          "PhaseOfEducation (name)", "EstablishmentStatus (name)", "OpenDate", "CloseDate", "Town",
          "Postcode")  # fmt: skip


@pytest.mark.parametrize("column", NEEDED)
def test_a_missing_column_is_refused(tmp_path: Path, column: str) -> None:
    header = [name for name in fx.EDUBASEALL_HEADER if name != column]
    path = fx.write_edubaseall(tmp_path / "edubasealldata.csv", header=header)
    with pytest.raises(BadInput) as refused:
        GiasEstablishmentsImporter().run(MemoryStore(), path)
    assert refused.value.row == 1 and f"missing column(s) {column};" in str(refused.value)


def _with(school: dict[str, str], **cells: str) -> dict[str, str]:
    return {**school, **{column.replace("_", " "): value for column, value in cells.items()}}


@pytest.mark.parametrize(
    ("case", "schools", "encoding", "row", "column", "words"),
    [
        ("UTF-8", fx.FICTIONAL_SCHOOLS, "utf-8", 3, "EstablishmentName", "UTF-8"),
        # The byte-order mark is dropped, as every reader drops it; the UTF-8 under it is still refused.
        ("UTF-8 with BOM", fx.FICTIONAL_SCHOOLS, "utf-8-sig", 3, "EstablishmentName", "UTF-8"),
        ("ISO date", [fx.ASHGROVE, _with(fx.CAFE_LANE, CloseDate="2012-03-31")], "cp1252", 3, "CloseDate",
         "2012-03-31"),
        ("no such day", [_with(fx.ASHGROVE, OpenDate="30-02-1998")], "cp1252", 2, "OpenDate", "30-02-1998"),
        ("URN not a number", [fx.ASHGROVE, _with(fx.ST_MARYS, URN="9000002A")], "cp1252", 3, "URN", "whole number"),
        ("URN empty", [_with(fx.ASHGROVE, URN="")], "cp1252", 2, "URN", "empty"),
        ("duplicate URN", [fx.ASHGROVE, fx.CAFE_LANE, fx.ASHGROVE], "cp1252", 4, "URN", "first on row 2"),
        ("no name", [_with(fx.ASHGROVE, EstablishmentName=" ")], "cp1252", 2, "EstablishmentName", "no name"),
        ("header only", [], "cp1252", 2, None, "no data rows"),
    ],
)  # fmt: skip
def test_a_bad_establishment_file_is_refused_whole(
    empty_store: Store, tmp_path: Path, case: str, schools, encoding: str, row: int, column, words: str
) -> None:
    path = fx.write_edubaseall(tmp_path / "edubasealldata.csv", schools, encoding=encoding)
    with pytest.raises(BadInput) as refused:
        GiasEstablishmentsImporter().run(empty_store, path)
    assert (refused.value.row, refused.value.column) == (row, column), case
    assert words in str(refused.value), str(refused.value)
    assert empty_store.counts().total_nodes == 0


@pytest.mark.parametrize(
    ("case", "content", "words"),
    [
        ("empty", b"", "empty"),
        ("not Windows-1252", b"URN,EstablishmentName\r\n9000001,Ashgrove \x81\r\n", "cp1252"),
        # hostile input, round five: "Café" in UTF-8 beside one Windows-1252 byte had been read as mojibake
        (
            "UTF-8 beside Windows-1252",
            b"URN,EstablishmentName\r\n9000001,Mary\x92s School\r\n9000002,Caf\xc3\xa9 Lane School\r\n",
            r"row 3, column 'EstablishmentName': the file mixes UTF-8 with Windows-1252",
        ),
        ("truncated", fx.edubaseall_text(fx.FICTIONAL_SCHOOLS).encode("cp1252").rstrip(b",\r\n")[:-40], "cut short"),
    ],
)
def test_a_broken_establishment_file_is_refused(tmp_path: Path, case: str, content: bytes, words: str) -> None:
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(content)
    with pytest.raises(BadInput, match=words):
        GiasEstablishmentsImporter().run(MemoryStore(), path)


def test_links_and_establishments_meet_on_one_school_in_either_order(empty_store: Store, tmp_path: Path) -> None:
    # Row 2 of this links file names 9000002 (LinkName) but not 9000003, which appears only as URN.
    links = fx.write_links(tmp_path / "links.csv", [["9000003", "9000002", "Ashgrove Academy", "Successor", ""]])
    establishments = fx.write_edubaseall(tmp_path / "edubasealldata.csv")

    GiasEstablishmentsImporter().run(empty_store, establishments)
    GiasLinksImporter().run(empty_store, links)
    cafe = empty_store.get_node("School:9000003")
    assert cafe.name == "Café Lane Infant School"  # kept: the links file does not name it
    assert cafe.citations == {est_cite(establishments, 4), links_cite(2, links.name)}
    assert cafe.props["close_date"] == dt.date(2012, 3, 31) and cafe.props["urn"] == 9000003
    assert empty_store.get_node("School:9000002").name == "Ashgrove Academy"  # the last file to name it wins
    assert empty_store.counts().nodes == {"ImportRun": 2, "School": 3}
    assert edge_rows(succession(empty_store, 9000003, 9000002)) == {2}

    empty_store.clear()
    GiasLinksImporter().run(empty_store, links)
    assert empty_store.get_node("School:9000003").name == "URN 9000003"
    GiasEstablishmentsImporter().run(empty_store, establishments)
    assert empty_store.get_node("School:9000003") == cafe
    assert empty_store.get_node("School:9000002").name == fx.ST_MARYS["EstablishmentName"]
    assert empty_store.counts().nodes == {"ImportRun": 2, "School": 3}


def test_the_columns_read_come_from_the_real_header(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert gias.establishment_columns() == tuple(column for column in fx.EDUBASEALL_HEADER if column in NEEDED)
    # A column list without OpenDate: the importer's own column names no longer match the real header.
    columns = tmp_path / "gias_edubaseall_columns.csv"
    columns.write_text("position,csv_column_name\n" + "".join(
        f"{n},{name}\n" for n, name in enumerate(fx.EDUBASEALL_HEADER, 1) if name != "OpenDate"
    ), encoding="utf-8")  # fmt: skip
    monkeypatch.setattr(gias, "EDUBASEALL_COLUMNS_FILE", columns)
    _clear_column_caches()
    try:
        with pytest.raises(LineageError, match=r"has no column\(s\) OpenDate"):
            gias.establishment_columns()
    finally:
        monkeypatch.undo()
        _clear_column_caches()
    assert "OpenDate" in gias.establishment_columns()


def _clear_column_caches() -> None:
    gias.edubaseall_columns.cache_clear()
    gias.establishment_columns.cache_clear()


def test_windows_1252_with_an_accented_capital_before_a_quote_is_no_mixture(tmp_path: Path) -> None:
    """The review of the diff: "ST JOSÉ" and a curly apostrophe in Windows-1252 (C9 92) beside "Thérèse" was taken
    for UTF-8 beside Windows-1252 and refused."""
    from importers.gias import refuse_utf8

    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(b"URN,EstablishmentName\r\n9000001,ST JOS\xc9\x92S School\r\n9000002,Th\xe9r\xe8se\r\n")
    refuse_utf8(path)  # no refusal: the file is Windows-1252 throughout
