"""The concept and category-tree importers on both stores, against real rows of the 2019 concept files."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers.concepts import (
    NO_CONCEPT,
    NO_TABLE,
    REPEATED_LINK_ROW,
    RULE_PREFIX,
    RULE_SUFFIX,
    NpdCategoryTreeImporter,
    NpdConceptsImporter,
)
from importers.npd import NpdClassificationsImporter
from importers.npd_sheets import NpdItemsImporter
from lineage.model import CertaintyLevel, EdgeKind, Node, NodeKind
from lineage.store import Direction, Store
from lineage.stores.memory import MemoryStore
from tests.importers.test_npd import (
    CONCEPTS,
    ITEMS,
    TREE,
    Case,
    Cells,
    Wrong,
    assert_refused,
    by_alias,
    edges_from,
    keep_concept,
    keep_item,
    read,
    real,
    run,
    subset,
)

LEVELS = ("category_l0", "category_l1", "category_l2", "category_l3")


def concepts_named(store: Store, name: str) -> list[Node]:
    return [n for n in store.list_nodes(NodeKind.CONCEPT, limit=1000).items if n.name == name]


def path_of(row: Cells) -> list[str]:
    return [row[level] for level in LEVELS if row[level]]


@pytest.fixture
def linked(empty_store: Store, tmp_path: Path) -> tuple[Store, Path, Path]:
    """Real item rows and real concept rows (the CIN/CLA sheet and two concepts), items imported first."""
    items = subset(tmp_path, ITEMS, keep_item)
    concepts = subset(tmp_path, CONCEPTS, keep_concept)
    run(NpdItemsImporter, empty_store, items)
    return empty_store, items, concepts


def test_a_concept_links_the_aliases_that_store_it(linked: tuple[Store, Path, Path]) -> None:
    store, items_path, concepts_path = linked
    report = run(NpdConceptsImporter, store, concepts_path)
    _, items = read(items_path)
    _, rows = read(concepts_path)
    aliases = {row["npd_alias"] for _, row in items}

    stated = {row["npd_alias"]: line for line, row in rows if row["concept"] == "Looked after on census day"}
    assert stated.keys() == {"PRU_InCare_SPR[yy]", "KS4_INCARECD", "InCare_ab[yy]"}
    assert stated.keys() & aliases == {"KS4_INCARECD"}  # the only one of the three in the items file
    (concept,) = concepts_named(store, "Looked after on census day")
    assert concept.props["level"] == 4
    represents = {e.source: e for e in edges_from(store, concept.id, EdgeKind.REPRESENTS, Direction.UPSTREAM)}
    (listed,) = by_alias(store, "KS4_INCARECD")
    # the two aliases the dictionary does not list are items known from the concepts file alone; no PRU or
    # absence item is in this store for a rule to read their tables from, so they are unplaced
    unlisted = {alias: f"DataItem:unplaced/{alias}" for alias in ("PRU_InCare_SPR[yy]", "InCare_ab[yy]")}
    assert represents.keys() == {listed.id, *unlisted.values()}
    assert {c.row for c in represents[listed.id].citations} == {stated["KS4_INCARECD"]}
    for alias, id_ in unlisted.items():
        item = store.get_node(id_)
        assert item.props == {"alias": alias, "in_dictionary": False}
        assert {c.row for c in item.citations} == {c.row for c in represents[id_].citations} == {stated[alias]}

    # Its category path, up to the top, each level with the description the file gives it.
    line, row = next((line, row) for line, row in rows if row["concept"] == "Looked after on census day")
    assert line in {c.row for c in concept.citations}
    names = path_of(row)
    assert names == ["Children in need and Children looked after", "Children looked after", "Looked after status"]
    node = concept
    for depth in reversed(range(len(names))):
        (up,) = edges_from(store, node.id, EdgeKind.BROADER)
        node = store.get_node(up.target)
        assert (node.name, node.props["level"]) == (names[depth], depth)
        assert node.props["description"] == row[f"{LEVELS[depth]}_description"]
    assert edges_from(store, node.id, EdgeKind.BROADER) == []

    # "Unique Pupil Number" links items of different data sets: KS2 and both KS4 sub-tables, and every alias the
    # concepts file gives it that the dictionary does not list.
    upn = {row["npd_alias"] for _, row in rows if row["concept"] == "Unique Pupil Number"}
    listed = {n.id for alias in upn & aliases for n in by_alias(store, alias)}
    (unique_pupil_number,) = concepts_named(store, "Unique Pupil Number")
    sources = {e.source for e in edges_from(store, unique_pupil_number.id, EdgeKind.REPRESENTS, Direction.UPSTREAM)}
    assert listed <= sources
    assert {store.get_node(id_).props["alias"] for id_ in sources} == upn
    assert {"DataItem:KS2_95-96_to_17-18/KS2_UPN", "DataItem:KS4/KS4 Pupil Table/KS4_UPN"} <= sources

    # Every alias a concept row names has an item; only rows naming no concept are skipped.
    named = [row for _, row in rows if row["concept"].strip()]
    unlisted_aliases = {row["npd_alias"] for row in named} - aliases
    found = store.find_nodes(NodeKind.DATA_ITEM, "alias", sorted(unlisted_aliases))
    assert {n.props["alias"] for n in found} == unlisted_aliases
    assert all(n.props["in_dictionary"] is False for n in found)
    assert report.skipped[NO_CONCEPT] == len(rows) - len(named) == 1
    assert report.rows_skipped == report.skipped[NO_CONCEPT]


def test_concepts_read_the_items_in_the_store_so_items_come_first(empty_store: Store, tmp_path: Path) -> None:
    """With no dictionary in the store, every alias is known from the concepts file alone and none is placed."""
    report = run(NpdConceptsImporter, empty_store, subset(tmp_path, CONCEPTS, keep_concept))
    _, rows = read(tmp_path / CONCEPTS)
    aliases = {row["npd_alias"] for _, row in rows if row["concept"].strip()}
    assert report.left_out[NO_TABLE] == len(aliases)
    items = empty_store.list_nodes(NodeKind.DATA_ITEM, limit=1000).items
    assert {n.key for n in items} == {f"unplaced/{alias}" for alias in aliases}
    assert EdgeKind.HOLDS not in empty_store.counts().edges


def _sheets_of_aliases(match: object) -> set[str]:
    """The sheets of the dictionary's aliases that ``match`` (a predicate on the alias) accepts."""
    _, items = real(ITEMS)
    return {row["sheet"] for _, row in items if match(row["npd_alias"])}


def test_an_unlisted_alias_is_placed_in_the_one_table_the_dictionary_gives_its_marker_or_prefix(
    memory_real: MemoryStore,
) -> None:
    """On the real graph: the dictionary's ``_ab[yy]`` aliases are all of one sheet, so ``InCare_ab[yy]`` is placed
    there by the census marker; its ``PRU_`` aliases likewise place ``PRU_InCare_SPR[yy]``, and its ``KS5_``
    aliases a KS5 alias by prefix; its ``AP_`` aliases span two sheets, so ``AP_Surname`` stays unplaced."""
    from importers.npd import dataset_key

    expected = {
        "InCare_ab[yy]": (_sheets_of_aliases(lambda a: a.endswith("_ab[yy]")), RULE_SUFFIX),
        "PRU_InCare_SPR[yy]": (_sheets_of_aliases(lambda a: a.endswith("_SPR[yy]")), RULE_SUFFIX),
        "KS5_LA": (_sheets_of_aliases(lambda a: a.lower().startswith("ks5_") and "[yy]" not in a), RULE_PREFIX),
    }
    _, concept_rows = real(CONCEPTS)
    _, items = real(ITEMS)
    listed = {row["npd_alias"] for _, row in items}
    for alias, (sheets, rule) in expected.items():
        assert alias not in listed and any(row["npd_alias"] == alias for _, row in concept_rows)
        (sheet,) = sheets
        (item,) = memory_real.find_nodes(NodeKind.DATA_ITEM, "alias", [alias])
        assert item.props["in_dictionary"] is False
        (holds,) = edges_from(memory_real, item.id, EdgeKind.HOLDS, Direction.UPSTREAM)
        assert holds.source == f"Dataset:{dataset_key(sheet)}"
        assert holds.certainty.level is CertaintyLevel.INFERRED and holds.certainty.rule == rule
    assert len(_sheets_of_aliases(lambda a: a.startswith("AP_"))) == 2
    (ap,) = memory_real.find_nodes(NodeKind.DATA_ITEM, "alias", ["AP_Surname"])
    assert ap.key == "unplaced/AP_Surname" and not edges_from(memory_real, ap.id, EdgeKind.HOLDS, Direction.UPSTREAM)


def test_the_category_tree(empty_store: Store) -> None:
    report = run(NpdCategoryTreeImporter, empty_store)
    _, rows = real(TREE)
    prefixes = {tuple(path_of(row)[: depth + 1]) for _, row in rows for depth in range(len(path_of(row)))}
    assert report.rows_read == len(rows) == 93
    assert empty_store.counts().nodes[NodeKind.CONCEPT] == len(prefixes)
    assert empty_store.counts().edges[EdgeKind.BROADER] == len([p for p in prefixes if len(p) > 1])
    line, row = next((line, row) for line, row in rows if row["category_l3"] == "EY Pupil Premium")
    (leaf,) = concepts_named(empty_store, "EY Pupil Premium")
    assert leaf.props == {"level": 3} and {c.row for c in leaf.citations} == {line}
    (up,) = edges_from(empty_store, leaf.id, EdgeKind.BROADER)
    assert empty_store.get_node(up.target).name == row["category_l2"] == "Early Years (Funding)"


def test_a_concept_row_repeated_word_for_word_is_one_link_cited_twice(linked: tuple[Store, Path, Path]) -> None:
    store, _, concepts_path = linked
    report = run(NpdConceptsImporter, store, concepts_path)
    _, rows = read(concepts_path)
    repeated = [(line, row) for line, row in rows if row["npd_alias"] == "KS4_AMDFLAG"]
    assert len(repeated) == 2 and repeated[0][1] == repeated[1][1] and repeated[0][1]["concept"] == "Amended"
    (item,) = by_alias(store, "KS4_AMDFLAG")
    (represents,) = edges_from(store, item.id, EdgeKind.REPRESENTS)
    assert store.get_node(represents.target).name == "Amended"
    assert {c.row for c in represents.citations} == {line for line, _ in repeated}
    assert report.left_out[REPEATED_LINK_ROW] == 1


BAD = {
    "npd-concepts": Case(
        NpdConceptsImporter,
        "npd_alias",
        Wrong("category_l3", "Orphan level", "category_l3"),  # a level given under an empty one
        lambda r: r | {"concept_description": "other text"},
        "npd_alias",
    ),
    "npd-category-tree": Case(
        NpdCategoryTreeImporter, "category_l1", Wrong("category_l3", "Orphan level", "category_l3"), dict, "category_l1"
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_refused_by_file_row_and_column_and_writes_nothing(
    name: str, empty_store: Store, tmp_path: Path
) -> None:
    case = BAD[name]
    run(NpdClassificationsImporter, empty_store)  # something already in the store, to show it is left alone
    _, lines = real(str(case.importer.bundled))
    rows = [row for _, row in lines if not row["category_l2"]][:3]
    assert_refused(case, empty_store, tmp_path, rows)
