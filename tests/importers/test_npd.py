"""The NPD data-dictionary importers on both stores, against real rows of the bundled files.

Expected answers come from the CSVs themselves (read here with the csv module) or from rows quoted after
checking them by hand. Store tests import small subsets of real rows, written to tmp_path under the real
file name, so the whole suite stays fast on Neo4j; one memory-only test builds the whole bundled dictionary.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from importers.base import Importer, Report
from importers.concepts import NpdCategoryTreeImporter, NpdConceptsImporter
from importers.npd import (
    TIMETABLE_NAME_RULE,
    TITLE_RULE,
    NpdClassificationsImporter,
    NpdDatasetListImporter,
    NpdDatasetsImporter,
    NpdReleaseTimetableImporter,
)
from importers.npd_sheets import HEADING_ROW, NOTE_ALIAS_RULE, NpdItemsImporter, NpdSheetNotesImporter
from importers.reading import BadInput
from lineage.model import CertaintyLevel, Edge, EdgeKind, Node, NodeKind
from lineage.resources import DATA_DIR
from lineage.store import Direction, Store
from lineage.stores.memory import MemoryStore

Cells = dict[str, str]
Lines = list[tuple[int, Cells]]

OVERVIEW = NpdDatasetsImporter.bundled
CLASSES = NpdClassificationsImporter.bundled
ITEMS = NpdItemsImporter.bundled
LIST = NpdDatasetListImporter.bundled
TIMETABLE = NpdReleaseTimetableImporter.bundled
NOTES = NpdSheetNotesImporter.bundled
CONCEPTS = NpdConceptsImporter.bundled
TREE = NpdCategoryTreeImporter.bundled

# The item subset: whole (truncated) sheets that the other sources talk about, and a few KS4 items.
ITEM_SHEETS = {
    "KS2_95-96_to_17-18",
    "CIN_08-09_to_16-17",
    "CLA_05-06_to_16-17",
    "SC_Addresses_05-06_to_17-18_SUM",
    "AP addresses_17_18",
}
KS4_ALIASES = {"KS4_FSM", "KS4_UPN", "KS4_URN", "KS4_INCARECD", "KS4_MMSCH2", "KS4_EBACENG", "KS4_AMDFLAG"}


# ---- reading and writing CSVs ----------------------------------------------------------------------


def read(path: Path) -> tuple[list[str], Lines]:
    """A CSV's header and its rows, each with its spreadsheet row number (the header is row 1)."""
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        rows = list(enumerate(map(dict, reader), start=2))
    return list(reader.fieldnames or []), rows


@cache
def real(name: str) -> tuple[list[str], Lines]:
    return read(DATA_DIR / name)


def csv_text(rows: Iterable[Iterable[str]]) -> str:
    """Rows (the header first, where there is one) as CSV text."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def subset(tmp_path: Path, name: str, keep: Callable[[Cells], bool] = lambda _: True) -> Path:
    """Real rows of a bundled file, written under its own name (so citations name it) to tmp_path."""
    header, rows = real(name)
    path = tmp_path / name
    path.write_text(csv_text([header, *([row[c] for c in header] for _, row in rows if keep(row))]), encoding="utf-8")
    return path


def keep_item(row: Cells) -> bool:
    return row["sheet"] in ITEM_SHEETS or (row["sheet"] == "KS4" and row["npd_alias"] in KS4_ALIASES)


def run(importer: type[Importer], store: Store, path: Path | None = None) -> Report:
    return importer().run(store, path or DATA_DIR / str(importer.bundled))


def edges_from(store: Store, node_id: str, kind: EdgeKind, direction: Direction = Direction.DOWNSTREAM) -> list[Edge]:
    return [hop.edge for hop in store.neighbours(node_id, direction, edge_kinds=[kind], limit=1000).hops.items]


def by_alias(store: Store, alias: str) -> list[Node]:
    return store.find_nodes(NodeKind.DATA_ITEM, "alias", [alias])


def only(rows: Lines, **match: str) -> tuple[int, Cells]:
    found = [(line, row) for line, row in rows if all(row[k] == v for k, v in match.items())]
    assert len(found) == 1, f"{match} matches {len(found)} rows"
    return found[0]


# ---- npd-datasets and npd-classifications ----------------------------------------------------------


def test_datasets_carry_the_years_of_their_tab_names(empty_store: Store) -> None:
    report = run(NpdDatasetsImporter, empty_store)
    _, rows = real(OVERVIEW)
    assert report.rows_read == len(rows) == 41
    assert empty_store.counts().nodes[NodeKind.DATASET] == 41
    line, row = only(rows, tab_name="KS2 95-96 to 17-18")
    ks2 = empty_store.get_node("Dataset:KS2_95-96_to_17-18")
    assert ks2 is not None and ks2.name == "KS2 95-96 to 17-18"
    assert ks2.props == {"first_year": 1995, "last_year": 2017, "description": row["description"]}
    assert {(c.file, c.row) for c in ks2.citations} == {(OVERVIEW, line)}
    assert empty_store.get_node("Dataset:AP_Addresses_17-18").props["first_year"] == 2017
    assert empty_store.get_node("Dataset:AP_Addresses_17-18").props["last_year"] == 2017
    assert "first_year" not in empty_store.get_node("Dataset:SLD-CFR").props  # "SLD-CFR" gives no years


def test_classifications_carry_their_definitions(empty_store: Store) -> None:
    run(NpdClassificationsImporter, empty_store)
    _, rows = real(CLASSES)
    for line, row in rows:
        node = empty_store.get_node(f"Classification:{row['scale']}:{row['code']}")
        assert node is not None, row
        assert node.props == {"scale": row["scale"], "code": row["code"], "definition": row["definition"]}
        assert {c.row for c in node.citations} == {line}
    assert empty_store.counts().nodes[NodeKind.CLASSIFICATION] == len(rows) == 10


# ---- npd-items -------------------------------------------------------------------------------------


def test_items_as_the_data_tables_give_them(empty_store: Store, tmp_path: Path) -> None:
    path = subset(tmp_path, ITEMS, keep_item)
    report = run(NpdItemsImporter, empty_store, path)
    _, rows = read(path)

    line, fsm = only(rows, sheet="KS4", npd_alias="KS4_FSM")
    (item,) = by_alias(empty_store, "KS4_FSM")
    assert (fsm["old_tier"], fsm["identifiability"], fsm["sensitivity"]) == ("2", "5", "C")  # checked by hand
    assert item.props["old_tier"] == 2 and item.props["identifiability"] == 5 and item.props["sensitivity"] == "C"
    assert item.props["available_from_ukds"] is True and item.props["availability"] == fsm["availability"]
    assert fsm["years_populated"] == "2006/07 -"
    assert item.props["first_year"] == 2006 and "last_year" not in item.props
    assert {(c.file, c.row) for c in item.citations} == {(ITEMS, line)}
    classes = {e.target for e in edges_from(empty_store, item.id, EdgeKind.CLASSIFIED_AS)}
    assert classes == {"Classification:old_tier:2", "Classification:identifiability:5", "Classification:sensitivity:C"}
    holders = edges_from(empty_store, item.id, EdgeKind.HOLDS, Direction.UPSTREAM)
    assert [(e.source, {c.row for c in e.citations}) for e in holders] == [("Dataset:KS4", {line})]

    _, multi = only(rows, npd_alias="KS4_MMSCH2")
    assert "\n" in multi["description"]
    assert by_alias(empty_store, "KS4_MMSCH2")[0].props["description"] == multi["description"]

    _, only_year = only(rows, npd_alias="KS2_BRDSUBNO")
    assert only_year["years_populated"] == "2014/15 only"
    assert by_alias(empty_store, "KS2_BRDSUBNO")[0].props.keys() >= {"first_year", "last_year"}
    assert by_alias(empty_store, "KS2_BRDSUBNO")[0].props["last_year"] == 2014
    _, qualified = only(rows, npd_alias="KS4_EBACENG")
    assert qualified["years_populated"] == "2009/10 (A) - 2012/13"  # a qualifier no rule reads: left unset
    assert "first_year" not in by_alias(empty_store, "KS4_EBACENG")[0].props
    unread = f"years_populated {qualified['years_populated']!r} is not a year or a range in a known form"
    assert report.left_out[f"{unread}: first/last year left unset"] == 1

    # KS4_UPN sits in two sub-tables: two items, each under its sub-table.
    sub_tables = {row["sub_table"] for _, row in rows if row["npd_alias"] == "KS4_UPN"}
    assert len(sub_tables) == 2
    assert {n.id for n in by_alias(empty_store, "KS4_UPN")} == {f"DataItem:KS4/{t}/KS4_UPN" for t in sub_tables}

    # One item per distinct row, sub-table headings aside; a row repeated word for word is the same item.
    headings = [row for _, row in rows if not row["field_reference"].strip() and not row["description"].strip()]
    assert [row["npd_alias"] for row in headings] == ["n_Census_CIN_ServiceProvision"]
    distinct = {tuple(row.values()) for _, row in rows} - {tuple(row.values()) for row in headings}
    assert empty_store.counts().nodes[NodeKind.DATA_ITEM] == len(distinct) < len(rows) - len(headings)
    assert empty_store.counts().edges[EdgeKind.HOLDS] == len(distinct)
    assert report.rows_skipped == report.skipped[HEADING_ROW] == 1


def test_a_verbatim_repeat_folds_and_a_differing_entry_under_one_key_is_numbered(
    empty_store: Store, tmp_path: Path
) -> None:
    # Real rows: CIN_PUPILID twice, word for word, in n_Census_CIN_OpenCase; KS4_URN twice in the pupil
    # table with different old aliases.
    path = subset(tmp_path, ITEMS, keep_item)
    run(NpdItemsImporter, empty_store, path)
    _, rows = read(path)
    pupil_ids = [(line, row) for line, row in rows if row["npd_alias"] == "CIN_PUPILID"]
    open_case = [(line, row) for line, row in pupil_ids if row["sub_table"] == "n_Census_CIN_OpenCase"]
    assert len(open_case) == 2 and open_case[0][1] == open_case[1][1]
    folded = empty_store.get_node("DataItem:CIN_08-09_to_16-17/n_Census_CIN_OpenCase/CIN_PUPILID")
    assert {c.row for c in folded.citations} == {line for line, _ in open_case}
    urns = [row for _, row in rows if row["npd_alias"] == "KS4_URN" and row["sub_table"] == "KS4 Pupil Table"]
    assert len(urns) == 2 and urns[0]["old_alias"] != urns[1]["old_alias"]
    assert empty_store.get_node("DataItem:KS4/KS4 Pupil Table/KS4_URN") is not None
    assert empty_store.get_node("DataItem:KS4/KS4 Pupil Table/KS4_URN #2") is not None


def test_each_typed_item_column_is_checked(empty_store: Store, tmp_path: Path) -> None:
    header, lines = real(ITEMS)
    first, second, third = (row for _, row in lines[:3])
    spoilt = {
        "old_tier": "5",
        "identifiability": "X",
        "sensitivity": "F",
        "availability": "Sometimes",
        "available_from_ukds": "Maybe",
        "sheet": "",
    }
    for column, value in spoilt.items():
        path = tmp_path / column / ITEMS
        path.parent.mkdir()
        rows = [first, second | {column: value}, third]
        path.write_text(csv_text([header, *([row[c] for c in header] for row in rows)]), encoding="utf-8")
        with pytest.raises(BadInput) as refused:
            run(NpdItemsImporter, empty_store, path)
        assert (refused.value.row, refused.value.column) == (3, column)
    assert empty_store.counts().total_nodes == 0


# ---- npd-dataset-list and npd-release-timetable ----------------------------------------------------


def test_collections_and_the_data_sets_they_feed(empty_store: Store, tmp_path: Path) -> None:
    run(NpdDatasetsImporter, empty_store)
    run(NpdItemsImporter, empty_store, subset(tmp_path, ITEMS, keep_item))
    list_report = run(NpdDatasetListImporter, empty_store)
    timetable_report = run(NpdReleaseTimetableImporter, empty_store)
    _, listed = real(LIST)
    _, timed = real(TIMETABLE)
    names = {row["dataset"] for _, row in listed} | {row["Dataset"] for _, row in timed}
    assert empty_store.counts().nodes[NodeKind.COLLECTION] == len(names)

    ks2 = empty_store.get_node("Collection:Key Stage 2")
    line, months = only(timed, Dataset="Key Stage 2")
    assert ks2.props == {"levels": ("pupil-level",), "release_months": months["Month(s) when data are released"]}
    assert line in {c.row for c in ks2.citations if c.file == TIMETABLE}
    absence = [row["level"] for _, row in listed if row["dataset"] == "Absence"]
    assert (
        empty_store.get_node("Collection:Absence").props["levels"] == tuple(absence) == ("pupil-level", "school-level")
    )

    # The items name the KS2 sheet "Key Stage 2", exactly the collection's name: confirmed.
    (feeds,) = edges_from(empty_store, "Collection:Key Stage 2", EdgeKind.FEEDS)
    assert feeds.target == "Dataset:KS2_95-96_to_17-18" and feeds.certainty.level is CertaintyLevel.CONFIRMED
    assert {c.file for c in feeds.citations} >= {LIST, TIMETABLE, ITEMS, OVERVIEW}
    # "Children In Need" (items) against "Children in Need" (list): the same but for case, so inferred.
    (cin,) = edges_from(empty_store, "Collection:Children in Need", EdgeKind.FEEDS)
    assert cin.target == "Dataset:CIN_08-09_to_16-17"
    assert (cin.certainty.level, cin.certainty.rule) == (CertaintyLevel.INFERRED, TITLE_RULE)
    # "Exclusions" titles no data set: data/timetable_datasets.csv reads it as the two exclusions tables
    exclusions = edges_from(empty_store, "Collection:Exclusions", EdgeKind.FEEDS)
    assert {e.target for e in exclusions} == {"Dataset:Exclusions_01-02_to_04-05", "Dataset:Exclusions_05-06_to_16-17"}
    assert {e.certainty.rule for e in exclusions} == {TIMETABLE_NAME_RULE}
    assert "no data set in the store is titled 'Exclusions': no FEEDS edge" not in timetable_report.left_out
    assert list_report.left_out["no data set in the store is titled 'Key Stage 3': no FEEDS edge"] == 1
    # each data set a timetable row feeds says when its data are released, citing the row, so that the time check
    # reads its months (lineage.model.release_lag)
    ks2_set = empty_store.get_node("Dataset:KS2_95-96_to_17-18")
    assert ks2_set.props["release_months"] == months["Month(s) when data are released"]
    assert line in {c.row for c in ks2_set.citations if c.file == TIMETABLE}
    assert ks2_set.name == "KS2 95-96 to 17-18" and ks2_set.props["title"] == "Key Stage 2"  # nothing else changed


def test_a_feeds_edge_cites_the_rows_naming_and_titling_its_data_set_not_the_note_of_its_tier(
    empty_store: Store, tmp_path: Path
) -> None:
    """Key Stage 2's one notes row states its sheet's old tier; the overview names the data set and the items title it,
    so its FEEDS edge cited the tier note beside them. Key Stage 1's sheet, which the items subset leaves out, is titled
    by its notes row alone: that row stays."""
    items_subset = subset(tmp_path, ITEMS, keep_item)
    run(NpdDatasetsImporter, empty_store)
    run(NpdItemsImporter, empty_store, items_subset)
    run(NpdSheetNotesImporter, empty_store)
    run(NpdDatasetListImporter, empty_store)
    _, tabs = real(OVERVIEW)
    _, items = read(items_subset)  # the subset's own rows, which the import cites
    _, notes = real(NOTES)
    _, listed = real(LIST)

    def feeds_rows(collection: str) -> set[tuple[str, int | None]]:
        (edge,) = edges_from(empty_store, f"Collection:{collection}", EdgeKind.FEEDS)
        return {(c.file, c.row) for c in edge.citations}

    ks2_note, _ = only(notes, sheet="KS2_95-96_to_17-18")
    ks2_title = min(line for line, row in items if row["sheet"] == "KS2_95-96_to_17-18")
    assert feeds_rows("Key Stage 2") == {
        (OVERVIEW, only(tabs, tab_name="KS2 95-96 to 17-18")[0]),
        (ITEMS, ks2_title),
        (LIST, only(listed, dataset="Key Stage 2")[0]),
    }
    # the data set itself still cites the note, which gives its tier_notes
    ks2 = empty_store.get_node("Dataset:KS2_95-96_to_17-18")
    assert (NOTES, ks2_note) in {(c.file, c.row) for c in ks2.citations}
    assert feeds_rows("Key Stage 1") == {
        (OVERVIEW, only(tabs, tab_name="KS1 97-98 to 17-18")[0]),
        (NOTES, only(notes, sheet="KS1_97-98_to_17-18")[0]),
        (LIST, only(listed, dataset="Key Stage 1")[0]),
    }


# ---- npd-sheet-notes -------------------------------------------------------------------------------


def test_release_rules_verbatim_restrict_their_data_sets_and_named_items(empty_store: Store, tmp_path: Path) -> None:
    run(NpdItemsImporter, empty_store, subset(tmp_path, ITEMS, keep_item))
    report = run(NpdSheetNotesImporter, empty_store)
    _, notes = real(NOTES)
    address = [(line, row) for line, row in notes if row["note_text"] == "FULL ADDRESS WILL NOT BE PROVIDED TO ONS SRS"]
    assert {row["sheet"] for _, row in address} == {"SC_Addresses_05-06_to_17-18_SUM", "AP addresses_17_18"}
    rule = empty_store.get_node("ReleaseRule:full-address-will-not-be-provided-to-ons-srs")
    assert rule.props == {"text": "FULL ADDRESS WILL NOT BE PROVIDED TO ONS SRS", "applies_to": "ONS SRS"}
    assert {c.row for c in rule.citations} == {line for line, _ in address}
    restricted = edges_from(empty_store, rule.id, EdgeKind.RESTRICTED_BY, Direction.UPSTREAM)
    # the AP sheet is the overview's tab 'AP Addresses 17-18' (row 7), whether or not the overview is imported
    assert {e.source: {c.row for c in e.citations} for e in restricted} == {
        "Dataset:SC_Addresses_05-06_to_17-18_SUM": {address[0][0]},
        "Dataset:AP_Addresses_17-18": {address[1][0]},
    }

    # The CLA note names CLA_CHILD_ID; the item's alias is cla_CHILD_ID: linked, inferred by a named rule.
    line, cla = next((line, row) for line, row in notes if row["note_text"].startswith("CLA_LA, CLA_CHILD_ID"))
    assert cla["sheet"] == "CLA_05-06_to_16-17"
    (cla_rule,) = [
        n for n in empty_store.list_nodes(NodeKind.RELEASE_RULE).items if n.props["text"] == cla["note_text"]
    ]
    sources = {e.source: e for e in edges_from(empty_store, cla_rule.id, EdgeKind.RESTRICTED_BY, Direction.UPSTREAM)}
    assert sources.keys() == {
        "Dataset:CLA_05-06_to_16-17",
        "DataItem:CLA_05-06_to_16-17/cla_CHILD_ID",
        "DataItem:CLA_05-06_to_16-17/cla_CHILD_LA_CODE",
    }
    assert sources["DataItem:CLA_05-06_to_16-17/cla_CHILD_ID"].certainty.rule == NOTE_ALIAS_RULE
    assert {c.row for e in sources.values() for c in e.citations} == {line}
    # CIN_UPN is named, but the truncated CIN sheet does not list it: no item is invented.
    assert by_alias(empty_store, "CIN_UPN") == []
    assert report.left_out["the note names 'CIN_UPN', the alias of no imported item of CIN_08-09_to_16-17"] == 1

    # Old tier 3 is stated only by the notes (no item carries it); its node cites them and defines nothing.
    tier3 = [line for line, row in notes if "old tier 3" in row["note_text"].lower()]
    node = empty_store.get_node("Classification:old_tier:3")
    assert {c.row for c in node.citations} == set(tier3) and "definition" not in node.props
    srs = [row for _, row in notes if "ONS SRS" in row["note_text"].upper()]
    tiers = [row for _, row in notes if "old tier" in row["note_text"].lower() and row not in srs]
    assert report.rows_skipped == len(notes) - len(srs) - len(tiers) == 2


# ---- every importer: idempotent, and the whole bundled dictionary ---------------------------------


#: Every NPD importer, in the order a build runs them (items before what links to items).
ORDER: tuple[type[Importer], ...] = (
    NpdClassificationsImporter,
    NpdDatasetsImporter,
    NpdItemsImporter,
    NpdCategoryTreeImporter,
    NpdConceptsImporter,
    NpdSheetNotesImporter,
    NpdDatasetListImporter,
    NpdReleaseTimetableImporter,
)


def keep_concept(row: Cells) -> bool:
    """The concept subset: the CIN/CLA sheet, two concepts stored across tables, and a row stated twice."""
    return (
        row["sheet"] == "IA_CIN-CLA"
        or row["concept"] in {"Unique Pupil Number", "Pupil postcode"}
        or row["npd_alias"] == "KS4_AMDFLAG"
    )


def npd_pipeline(tmp_path: Path) -> list[tuple[type[Importer], Path]]:
    """Every NPD importer in build order, on the real files (items and concepts as subsets)."""
    files = {ITEMS: subset(tmp_path, ITEMS, keep_item), CONCEPTS: subset(tmp_path, CONCEPTS, keep_concept)}
    return [(importer, files.get(str(importer.bundled), DATA_DIR / str(importer.bundled))) for importer in ORDER]


def test_importing_the_same_files_again_changes_nothing(empty_store: Store, tmp_path: Path) -> None:
    pipeline = npd_pipeline(tmp_path)
    first = [importer().run(empty_store, path) for importer, path in pipeline]
    assert all(report.nodes_created for report in first)
    before = empty_store.counts()
    again = [importer().run(empty_store, path) for importer, path in pipeline]
    assert [(r.nodes_created, r.edges_created) for r in again] == [(0, 0)] * len(pipeline)
    assert empty_store.counts() == before


@cache
def whole_dictionary() -> MemoryStore:
    """The whole bundled dictionary, built once in memory (read only)."""
    store = MemoryStore()
    for importer in ORDER:
        assert run(importer, store).rows_read == len(real(str(importer.bundled))[1]), importer.name
    return store


#: The sheets of the items and notes whose names the overview spells alike but writes otherwise (checked by hand),
#: and its tab: case, words run together, a year pair's underscore (rows 5, 7, 31, 39 of the overview; rows 1251,
#: 1271, 1551, 1623 of the items). The overview and the sheets had been two data sets each.
WRITTEN_OTHERWISE = {
    "EarlyYearsCensus_07-08_to_17-18": "Early Years Census 07-08 to 17-18",
    "AP addresses_17_18": "AP Addresses 17-18",
    "SLD-KS5_PT_16_17": "SLD-KS5 PT 16-17",
    "SLD_-_GEO_NSPD_-_NSPL": "SLD-Geo NSPD-NSPL",
}


def test_the_whole_bundled_dictionary_builds_in_memory() -> None:
    store = whole_dictionary()
    # 37 of the 41 overview tabs meet their item sheet; the 4 below give other years, or none (checked by hand).
    datasets = store.list_nodes(NodeKind.DATASET, limit=1000).items
    _, tabs = real(OVERVIEW)
    overview_only = {n.name for n in datasets if "title" not in n.props}
    assert overview_only == {
        "KS4 01-02 to 17-18",
        "ISP 10-11 to 12-13",
        "SLD-KS2 NPD 05-06 to 16-17",
        "SLD-KS4 NPD 05-06 to 16-17",
    }
    assert len([n for n in datasets if "description" in n.props and "title" in n.props]) == len(tabs) - 4 == 37
    # Every item row is an item, but for the 3 headings and the 10 rows that repeat another word for word.
    _, items = real(ITEMS)
    assert len(items) == 1651
    listed = [n for n in store.all_nodes(NodeKind.DATA_ITEM) if "in_dictionary" not in n.props]
    assert len(listed) == len({tuple(row.values()) for _, row in items}) - 3 == 1638
    # and every alias the concepts file names that the dictionary does not list is an item known from it alone
    _, concepts = real(CONCEPTS)
    unlisted = {row["npd_alias"] for _, row in concepts if row["concept"].strip()} - {r["npd_alias"] for _, r in items}
    assert store.counts().nodes[NodeKind.DATA_ITEM] == len(listed) + len(unlisted)
    # Tiers 1-4, identifiability 1-5 and sensitivity A-E.
    assert store.counts().nodes[NodeKind.CLASSIFICATION] == 14


def test_a_data_set_the_overview_and_its_sheet_write_otherwise_is_one() -> None:
    """Each sheet written otherwise is its tab's data set: named by the tab, titled by the sheet, holding its items,
    citing both rows; no two tabs, and no sheets of other years, become one."""
    store = whole_dictionary()
    _, tabs = real(OVERVIEW)
    _, items = real(ITEMS)
    datasets = {n.name: n for n in store.all_nodes(NodeKind.DATASET)}
    for sheet, tab in WRITTEN_OTHERWISE.items():
        tab_line, _ = only(tabs, tab_name=tab)
        item_lines = [line for line, row in items if row["sheet"] == sheet]
        dataset = datasets[tab]
        assert dataset.props["title"] == items[item_lines[0] - 2][1]["dataset_title"], sheet
        assert {(OVERVIEW, tab_line), (ITEMS, item_lines[0])} <= {(c.file, c.row) for c in dataset.citations}, sheet
        held = {e.target for e in edges_from(store, dataset.id, EdgeKind.HOLDS)}
        assert held and all(t.startswith(f"DataItem:{dataset.key}/") for t in held), sheet
        assert sheet not in datasets, sheet
    # every tab is a data set of its own, and so is each sheet no tab names, which gives other years or none (checked
    # by hand): 41 and 5, where 50 had been
    assert {row["tab_name"] for _, row in tabs} <= set(datasets)
    others = {"KS4", "ISP_09-10_to_12-13", "SLD-KS2_NPD_05-06_to_14-15", "SLD-KS4_NPD_05-06_to_15-16", "census"}
    assert others <= {row["sheet"] for _, row in items} and others <= set(datasets)
    assert len(datasets) == len(tabs) + len(others) == 46


def test_a_data_set_written_otherwise_has_one_id_whatever_the_order_its_files_are_imported_in(
    empty_store: Store, tmp_path: Path
) -> None:
    """The items and notes imported alone, then the overview, give each data set the id the overview's tab gives it
    (its spaces written ``_``, rows 5, 7, 31, 39), as a build does: the sheet's spelling had keyed it where its files
    came first, so a user importing them one by one, a diff of two builds or a link to /explore differed."""
    _, tabs = real(OVERVIEW)
    expected = {sheet: "Dataset:" + only(tabs, tab_name=tab)[1]["tab_name"].replace(" ", "_")
                for sheet, tab in WRITTEN_OTHERWISE.items()}  # fmt: skip
    files = {
        OVERVIEW: subset(tmp_path, OVERVIEW, lambda row: row["tab_name"] in WRITTEN_OTHERWISE.values()),
        ITEMS: subset(tmp_path, ITEMS, lambda row: row["sheet"] in WRITTEN_OTHERWISE),
        NOTES: subset(tmp_path, NOTES, lambda row: row["sheet"] in WRITTEN_OTHERWISE),
    }
    build_order = MemoryStore()
    for importer in (NpdClassificationsImporter, NpdDatasetsImporter, NpdItemsImporter, NpdSheetNotesImporter):
        run(importer, build_order, files.get(str(importer.bundled)))
    for importer in (NpdClassificationsImporter, NpdItemsImporter, NpdSheetNotesImporter):
        run(importer, empty_store, files.get(str(importer.bundled)))
    assert {n.id for n in empty_store.all_nodes(NodeKind.DATASET)} == set(expected.values())
    run(NpdDatasetsImporter, empty_store, files[OVERVIEW])
    ends: list[set[tuple[str, str, str]]] = []
    for store in (build_order, empty_store):
        assert {n.id for n in store.all_nodes(NodeKind.DATASET)} == set(expected.values())
        for sheet, dataset_id in expected.items():
            held = {e.target for e in edges_from(store, dataset_id, EdgeKind.HOLDS)}
            assert held and all(t.startswith(f"DataItem:{dataset_id.partition(':')[2]}/") for t in held), sheet
        hops = [store.neighbours(d, limit=1000).hops.items for d in expected.values()]
        ends.append({(hop.edge.source, hop.edge.kind, hop.edge.target) for found in hops for hop in found})
    assert ends[0] == ends[1]
    # each cites the row of data/dataset_spellings.csv that reads its sheet as the tab (rows 2-5, in the order above)
    for row, dataset_id in enumerate(expected.values(), start=2):
        dataset = empty_store.get_node(dataset_id)
        assert dataset is not None and ("dataset_spellings.csv", row) in {(c.file, c.row) for c in dataset.citations}


def test_a_name_spelled_as_a_stored_data_set_that_no_table_reads_stays_apart_and_is_counted(
    tmp_path: Path,
) -> None:
    """Spelled alike is no proof of one data set where no one has read the two: the name keeps its own key, whatever
    is stored, and the run says it met one spelled alike."""
    store = MemoryStore()
    header, rows = real(OVERVIEW)
    _, tab = only(rows, tab_name="KS2 95-96 to 17-18")
    run(NpdDatasetsImporter, store)
    other = tmp_path / OVERVIEW
    other.write_text(csv_text([header, ["ks2_95-96_to_17_18", tab["description"]]]), encoding="utf-8")
    report = run(NpdDatasetsImporter, store, other)
    assert store.get_node("Dataset:ks2_95-96_to_17_18") is not None
    assert store.get_node("Dataset:KS2_95-96_to_17-18") is not None
    assert [reason for reason in report.left_out if "'ks2_95-96_to_17_18'" in reason and "KS2_95-96_to_17-18" in reason]


def test_each_data_set_carries_the_list_s_level_and_the_note_above_its_sheet() -> None:
    """The list calls the Key Stage 2 NPD school-level (row 29; data/school_level_datasets.csv row 6 reads which data
    sets it names), the note above its sheet 'de-identified personal level data' (row 35): both on the data set."""
    store = whole_dictionary()
    _, listed = real(LIST)
    _, notes = real(NOTES)
    list_line, _ = only(listed, level="school-level", dataset="Key Stage 2 NPD aggregated")
    note_line, note = only(notes, sheet="SLD-KS2_NPD_05-06_to_14-15")
    sheet = store.get_node("Dataset:SLD-KS2_NPD_05-06_to_14-15")
    assert (sheet.props["level"], sheet.props["listed_as"]) == ("school-level", "Key Stage 2 NPD aggregated")
    assert sheet.props["tier_notes"] == (note["note_text"],)
    cited = {(c.file, c.row) for c in sheet.citations}
    assert {(LIST, list_line), (NOTES, note_line), ("school_level_datasets.csv", 6)} <= cited
    # the tab of other years the list's name means too: its level, no note (none is above a sheet of its name)
    tab = store.get_node("Dataset:SLD-KS2_NPD_05-06_to_16-17")
    assert tab.props["level"] == "school-level" and "tier_notes" not in tab.props
    # a pupil-level data set: the note above its sheet, and no level (the table reads school-level names only)
    _, ks2_note = only(notes, sheet="KS2_95-96_to_17-18")
    ks2 = store.get_node("Dataset:KS2_95-96_to_17-18")
    assert "level" not in ks2.props and ks2.props["tier_notes"] == (ks2_note["note_text"],)
    # every school-level name of the list is read, and no other
    school_level = {row["dataset"] for _, row in listed if row["level"] == "school-level"}
    assert {str(n.props["listed_as"]) for n in store.all_nodes(NodeKind.DATASET) if "level" in n.props} == school_level


# ---- bad input ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wrong:
    """A cell set to a value of the wrong kind, and the column the refusal must name."""

    column: str
    value: str
    named: str


@dataclass(frozen=True)
class Case:
    """How to break one importer's file: the column to rename, the cell to spoil, and (where the file has a
    unique key) the first row's key repeated with other text, with the column its refusal names."""

    importer: type[Importer]
    renamed: str
    wrong: Wrong
    duplicate: Callable[[Cells], Cells] | None = None
    duplicate_column: str | None = None


MONTHS = "Month(s) when data are released"
BAD = {
    "npd-datasets": Case(
        NpdDatasetsImporter,
        "tab_name",
        Wrong("tab_name", " ", "tab_name"),
        lambda r: r | {"description": "x"},
        "tab_name",
    ),
    "npd-classifications": Case(
        NpdClassificationsImporter, "code", Wrong("code", "X", "code"), lambda r: r | {"definition": "x"}, "code"
    ),
    "npd-dataset-list": Case(NpdDatasetListImporter, "level", Wrong("level", "class-level", "level"), dict, "dataset"),
    "npd-release-timetable": Case(
        NpdReleaseTimetableImporter, "Dataset", Wrong(MONTHS, "", MONTHS), lambda r: r | {MONTHS: "May"}, "Dataset"
    ),
    # No key of the items file can repeat: a verbatim repeat folds, a differing one is numbered (tested above).
    "npd-items": Case(NpdItemsImporter, "identifiability", Wrong("identifiability", "X", "identifiability")),
    "npd-sheet-notes": Case(
        NpdSheetNotesImporter, "note_text", Wrong("note_text", "(Old Tier 7 = ?)", "note_text"), dict, "note_text"
    ),
}


def bad_files(header: list[str], rows: list[Cells], case: Case) -> dict[str, tuple[bytes, int | None, str | None]]:
    """Each bad-input class as the bytes of a file made from three real rows, with the row and column its
    refusal must name (None where no single column is at fault)."""

    def encoded(rows: Iterable[Iterable[str]], header: Iterable[str] = header) -> bytes:
        return csv_text([header, *rows]).encode()

    def cells(row: Mapping[str, str]) -> list[str]:
        return [row[c] for c in header]

    first, second, *rest = rows
    spoiled = second | {case.wrong.column: case.wrong.value}
    quoted = {c: "children\u2019s" for c in header}
    files = {
        "renamed header": (
            encoded(map(cells, rows), [f"{c} (renamed)" if c == case.renamed else c for c in header]),
            1,
            None,
        ),
        "wrong type": (encoded(map(cells, [first, spoiled, *rest])), 3, case.wrong.named),
        "truncated row": (encoded([cells(first), cells(second)[:-1], *map(cells, rest)]), 3, list(header)[-1]),
        "windows-1252 bytes": (
            encoded([cells(first)]) + csv_text([cells(quoted)]).encode("cp1252") + csv_text(map(cells, rest)).encode(),
            3,
            next(iter(header)),
        ),
        "empty file": (b"", 1, None),
    }
    if case.duplicate is not None:
        files["duplicated key"] = (
            encoded(map(cells, [*rows, case.duplicate(first)])),
            len(rows) + 2,
            case.duplicate_column,
        )
    return files


def assert_refused(case: Case, store: Store, tmp_path: Path, rows: list[Cells]) -> None:
    """Every bad file is refused naming file, row and column, and leaves the store as it was."""
    before = store.counts()
    header, _ = real(str(case.importer.bundled))
    for kind, (content, row, column) in bad_files(header, rows, case).items():
        path = tmp_path / kind.replace(" ", "-") / str(case.importer.bundled)
        path.parent.mkdir()
        path.write_bytes(content)
        with pytest.raises(BadInput) as refused:
            case.importer().run(store, path)
        assert (refused.value.path, refused.value.row, refused.value.column) == (str(path), row, column), kind
        assert str(path) in str(refused.value), kind
        if kind == "renamed header":
            assert f"missing column(s) {case.renamed}" in str(refused.value), kind
    assert store.counts() == before  # writes only ever add, so no refused file wrote anything


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_refused_by_file_row_and_column_and_writes_nothing(
    name: str, empty_store: Store, tmp_path: Path
) -> None:
    case = BAD[name]
    run(NpdClassificationsImporter, empty_store)  # something already in the store, to show it is left alone
    _, lines = real(str(case.importer.bundled))
    assert_refused(case, empty_store, tmp_path, [row for _, row in lines[:3]])


@pytest.mark.parametrize(
    "means",
    ["Dataset:AP_Addresses_17-18 Dataset:KS4", "Dataset:AP_Addresses_16-17", "Collection:AP Addresses 17-18"],
)
def test_a_spellings_row_reading_a_sheet_as_other_than_one_data_set_so_spelled_is_refused(
    means: str, tmp_path: Path
) -> None:
    """The spellings table only chooses which writing keys one name: a row meaning two data sets, one of other years
    or no data set is refused, naming its row and column."""
    from importers.npd import SPELLINGS_FILE, load_spellings

    header, rows = read(SPELLINGS_FILE)
    line, _ = only(rows, sheet="AP addresses_17_18")
    edited = [[means if (n, c) == (line, "means") else r[c] for c in header] for n, r in rows]
    path = tmp_path / SPELLINGS_FILE.name
    path.write_text(csv_text([header, *edited]), encoding="utf-8")
    assert load_spellings(SPELLINGS_FILE)  # the bundled table reads
    with pytest.raises(BadInput) as refused:
        load_spellings(path)
    assert (refused.value.path, refused.value.row, refused.value.column) == (str(path), line, "means")


def test_a_school_level_name_meaning_no_data_set_is_refused_and_writes_nothing(
    empty_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hostile-input reading, round fourteen: a row of data/school_level_datasets.csv whose means is empty was
    taken, and the list's school-level name gave no data set its level, with no word; it is refused naming the
    table's row and column, as the timetable-names table refuses one, and the list's import writes nothing."""
    from importers import npd

    header, rows = read(npd.SCHOOL_LEVEL_FILE)
    line, _ = only(rows, listed_as="Level 3 value added")
    edited = [["" if (n, c) == (line, "means") else r[c] for c in header] for n, r in rows]
    path = tmp_path / npd.SCHOOL_LEVEL_FILE.name
    path.write_text(csv_text([header, *edited]), encoding="utf-8")
    run(NpdClassificationsImporter, empty_store)  # something already in the store, to show it is left alone
    before = empty_store.counts()
    monkeypatch.setattr(npd, "SCHOOL_LEVEL_FILE", path)
    npd._school_level_names.cache_clear()
    try:
        with pytest.raises(BadInput) as refused:
            run(NpdDatasetListImporter, empty_store)
    finally:
        npd._school_level_names.cache_clear()  # read again from the bundled table by the tests after
    assert (refused.value.path, refused.value.row, refused.value.column) == (str(path), line, "means")
    assert "must not be empty: a school-level name of the list means a data set" in str(refused.value)
    assert empty_store.counts() == before


def test_the_school_census_is_in_the_npd_within_the_year_it_is_taken(empty_store: Store, tmp_path: Path) -> None:
    """The parents' reading: the timetable releases the autumn census in January, the spring census in June and the
    summer census in August, months of the year each census is taken in; its data sets had no timetable row, and
    were taken to be in the NPD on the 1 September after a year ended, so FFT's release of July 2013 was not listed
    for a child's 2012/13. data/timetable_datasets.csv reads the three rows as within the year collected."""
    from importers.npd import TIMETABLE_NAMES_FILE

    run(NpdDatasetsImporter, empty_store)
    run(NpdItemsImporter, empty_store, subset(tmp_path, ITEMS, keep_item))
    run(NpdDatasetListImporter, empty_store)
    run(NpdReleaseTimetableImporter, empty_store)
    _, timed = real(TIMETABLE)
    months = {row["Dataset"]: row["Month(s) when data are released"] for _, row in timed}
    assert (months["Autumn Census"], months["Summer Census"]) == ("January", "August")
    with TIMETABLE_NAMES_FILE.open(encoding="utf-8", newline="") as handle:
        census = {r["timetable_name"]: r for r in csv.DictReader(handle) if r["timetable_name"].endswith(" Census")}
    assert set(census) == {"Autumn Census", "Spring Census", "Summer Census", "Early Years Census"}
    del census["Early Years Census"]  # its own data set, read within the year too (test_over_claims)
    assert {r["released"] for r in census.values()} == {"within the year"}
    held = {d for d in census["Autumn Census"]["means"].split() if empty_store.get_node(d) is not None}
    assert "Dataset:SC_Pupil_01-02_to_17-18_SUM" in held  # (the subset of items read here holds not every sheet)
    for name, row in census.items():
        fed = {e.target for e in edges_from(empty_store, f"Collection:{name}", EdgeKind.FEEDS)}
        assert fed == set(row["means"].split()) & held, name
    for dataset_id in held:
        dataset = empty_store.get_node(dataset_id)
        assert dataset is not None and dataset.props["release_lag_months"] == -8  # January, 8 months before 1 September
        assert all(f"{name}: {months[name]}" in dataset.props["release_months"] for name in census)
        assert {c.row for c in dataset.citations if c.file == TIMETABLE} == {
            n for n, r in timed if r["Dataset"] in census
        }
    ks4 = empty_store.get_node("Dataset:KS4")
    assert ks4 is not None and ks4.props["release_lag_months"] == 1  # October, after the year: as before
