"""The concept and category-tree importers on both stores, against real rows of the 2019 concept files."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers.concepts import NO_CONCEPT, NO_ITEM, REPEATED_ROW, NpdCategoryTree, NpdConcepts
from importers.npd import NpdClassifications, NpdItems
from lineage.model import EdgeKind, Node, NodeKind
from lineage.store import Direction, Store
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
    run(NpdItems, empty_store, items)
    return empty_store, items, concepts


def test_a_concept_links_the_aliases_that_store_it(linked: tuple[Store, Path, Path]) -> None:
    store, items_path, concepts_path = linked
    report = run(NpdConcepts, store, concepts_path)
    _, items = read(items_path)
    _, rows = read(concepts_path)
    aliases = {row["npd_alias"] for _, row in items}

    stated = {row["npd_alias"]: line for line, row in rows if row["concept"] == "Looked after on census day"}
    assert stated.keys() == {"PRU_InCare_SPR[yy]", "KS4_INCARECD", "InCare_ab[yy]"}
    assert stated.keys() & aliases == {"KS4_INCARECD"}  # the only one of the three in the items file
    (concept,) = concepts_named(store, "Looked after on census day")
    assert concept.props["level"] == 4
    (represents,) = edges_from(store, concept.id, EdgeKind.REPRESENTS, Direction.UPSTREAM)
    assert represents.source == by_alias(store, "KS4_INCARECD")[0].id
    assert {c.row for c in represents.citations} == {stated["KS4_INCARECD"]}

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

    # "Unique Pupil Number" links items of different data sets: KS2 and both KS4 sub-tables.
    upn = {row["npd_alias"] for _, row in rows if row["concept"] == "Unique Pupil Number"}
    expected = {n.id for alias in upn & aliases for n in by_alias(store, alias)}
    (unique_pupil_number,) = concepts_named(store, "Unique Pupil Number")
    sources = {e.source for e in edges_from(store, unique_pupil_number.id, EdgeKind.REPRESENTS, Direction.UPSTREAM)}
    assert sources == expected
    assert {"DataItem:KS2_95-96_to_17-18/KS2_UPN", "DataItem:KS4/KS4 Pupil Table/KS4_UPN"} <= sources

    # Aliases no imported item carries are counted, not invented.
    named = [row for _, row in rows if row["concept"].strip()]
    assert report.skipped[NO_ITEM] == len([row for row in named if row["npd_alias"] not in aliases])
    assert report.skipped[NO_CONCEPT] == len(rows) - len(named) == 1
    assert report.rows_skipped == report.skipped[NO_ITEM] + report.skipped[NO_CONCEPT]


def test_concepts_read_the_items_in_the_store_so_items_come_first(empty_store: Store, tmp_path: Path) -> None:
    report = run(NpdConcepts, empty_store, subset(tmp_path, CONCEPTS, keep_concept))
    _, rows = read(tmp_path / CONCEPTS)
    assert report.skipped[NO_ITEM] == len(rows) - 1
    assert EdgeKind.REPRESENTS not in empty_store.counts().edges


def test_the_category_tree(empty_store: Store) -> None:
    report = run(NpdCategoryTree, empty_store)
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
    report = run(NpdConcepts, store, concepts_path)
    _, rows = read(concepts_path)
    repeated = [(line, row) for line, row in rows if row["npd_alias"] == "KS4_AMDFLAG"]
    assert len(repeated) == 2 and repeated[0][1] == repeated[1][1] and repeated[0][1]["concept"] == "Amended"
    (item,) = by_alias(store, "KS4_AMDFLAG")
    (represents,) = edges_from(store, item.id, EdgeKind.REPRESENTS)
    assert store.get_node(represents.target).name == "Amended"
    assert {c.row for c in represents.citations} == {line for line, _ in repeated}
    assert report.skipped[REPEATED_ROW] == 1


BAD = {
    "npd-concepts": Case(
        NpdConcepts,
        "npd_alias",
        Wrong("category_l3", "Orphan level", "category_l3"),  # a level given under an empty one
        lambda r: r | {"concept_description": "other text"},
        "npd_alias",
    ),
    "npd-category-tree": Case(
        NpdCategoryTree, "category_l1", Wrong("category_l3", "Orphan level", "category_l3"), dict, "category_l1"
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_refused_by_file_row_and_column_and_writes_nothing(
    name: str, empty_store: Store, tmp_path: Path
) -> None:
    case = BAD[name]
    run(NpdClassifications, empty_store)  # something already in the store, to show it is left alone
    _, lines = real(str(case.importer.bundled))
    rows = [row for _, row in lines if not row["category_l2"]][:3]
    assert_refused(case, empty_store, tmp_path, rows)
