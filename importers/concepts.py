"""NPD concepts (DfE "Find & explore data in the NPD", 2019): one meaning stored under many aliases.

- ``npd-concepts`` reads the concept file: one row per (concept, NPD alias), under a category path of up to
  four levels (``category_l0`` .. ``category_l3``, each with its description). Every category on the path and
  the concept become Concept nodes, linked upward by ``BROADER`` (concept -> its category -> parent
  category). Each row links, by ``REPRESENTS``, every imported DataItem whose alias is the row's alias text
  exactly (``PRU_InCare_SPR[yy]`` matches an item aliased ``PRU_InCare_SPR[yy]``; placeholders are part of the
  text). So it reads the items from the store: import ``npd-items`` first. A row whose alias no imported item
  carries is counted as skipped with that reason (the items file is complete for KS4 only); its concept
  still stands, since the file states it. A row with no concept is skipped. A row repeated word for word
  states the same link twice and folds into it; the same (concept, alias) with different text is refused.
  Where the rows of one concept give different descriptions (4 concepts in the 2019 file), all of them are
  kept, one per line, each row that gives one cited.
- ``npd-category-tree`` reads the category hierarchy alone (``category_l0`` .. ``category_l3``): its
  categories and their ``BROADER`` links. Its spellings often differ from the concept file's ("Pupil Name" /
  "Pupil name", "Geographic" / "Location and mobility"); no rule merges them, so only identical paths meet.

Keys: a category is its path joined by ``/`` (``Demographics/Family/Siblings``); a concept is its category's
key, ``": "`` and its name (``Demographics/Age: Age at start of academic year``), so a concept never meets a
category of the same name. ``level`` is 0-3 for a category (its depth), 4 for a concept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from importers import register
from importers.base import BadInput, Batch, Report, Row, refuse_duplicates
from importers.npd import NpdImporter, note, required
from lineage.model import Citation, Edge, EdgeKind, Node, NodeKind, Scalar, node_id
from lineage.store import Store

LEVELS = ("category_l0", "category_l1", "category_l2", "category_l3")
CONCEPT_LEVEL = len(LEVELS)
NO_ITEM = "the alias is carried by no imported data item: no REPRESENTS edge"
NO_CONCEPT = "the row names no concept"
REPEATED_ROW = "repeats an earlier row word for word: folded into the same link"


def category_path(path: Path, row: Row) -> tuple[str, ...]:
    """The category names from the top down, refusing a level given below an empty one."""
    names = [row[column].strip() for column in LEVELS]
    depth = next((i for i, name in enumerate(names) if not name), len(names))
    if depth == 0:
        raise BadInput(path, "a category path needs its top level", row.number, LEVELS[0])
    below = next((i for i in range(depth, len(names)) if names[i]), None)
    if below is not None:
        raise BadInput(path, f"{LEVELS[below]} is given but {LEVELS[depth]} is empty", row.number, LEVELS[below])
    return tuple(names[:depth])


def category_key(names: Sequence[str]) -> str:
    return "/".join(names)


def concept_key(names: Sequence[str], concept: str) -> str:
    return f"{category_key(names)}: {concept}"


@dataclass
class Described:
    """A Concept node in the making: its name and level, the distinct descriptions given, the rows citing it."""

    name: str
    level: int
    descriptions: list[str] = field(default_factory=list)
    citations: set[Citation] = field(default_factory=set)

    def state(self, description: str, citation: Citation) -> None:
        """Cite the first row, and every row that gives a description not given before."""
        if not self.citations:
            self.citations.add(citation)
        if description and description not in self.descriptions:
            self.descriptions.append(description)
            self.citations.add(citation)

    def node(self, key: str) -> Node:
        props: dict[str, Scalar] = {"level": self.level}
        if self.descriptions:
            props["description"] = "\n".join(self.descriptions)
        return Node(NodeKind.CONCEPT, key, self.name, props, frozenset(self.citations))


class Hierarchy:
    """Concept nodes and the BROADER edges between them, each edge cited by the first row that states it."""

    def __init__(self) -> None:
        self.concepts: dict[str, Described] = {}
        self.broader: dict[tuple[str, str], Citation] = {}

    def add(self, key: str, name: str, level: int, description: str, citation: Citation) -> None:
        self.concepts.setdefault(key, Described(name, level)).state(description, citation)

    def link(self, narrower: str, broader: str, citation: Citation) -> None:
        self.broader.setdefault((narrower, broader), citation)

    def add_path(self, names: Sequence[str], descriptions: Sequence[str], citation: Citation) -> None:
        """Every category on a path, each linked to its parent."""
        for depth in range(len(names)):
            key = category_key(names[: depth + 1])
            self.add(key, names[depth], depth, descriptions[depth], citation)
            if depth:
                self.link(key, category_key(names[:depth]), citation)

    def batch(self, extra: Iterable[Edge] = ()) -> Batch:
        nodes = [described.node(key) for key, described in self.concepts.items()]
        edges = [
            Edge(node_id(NodeKind.CONCEPT, a), EdgeKind.BROADER, node_id(NodeKind.CONCEPT, b), citations=frozenset({c}))
            for (a, b), c in self.broader.items()
        ]
        return Batch(nodes, [*edges, *extra])


class ConceptImporter(NpdImporter):
    document = "DfE Find & explore data in the NPD: concept categories, 2019"


@dataclass(frozen=True, slots=True)
class ConceptRow:
    row: Row
    path: tuple[str, ...]
    concept: str
    alias: str


@register
class NpdConcepts(ConceptImporter):
    """Concepts under their categories, each linked to the data items that store it under an alias."""

    name = "npd-concepts"
    bundled = "npd_concept_categories_2019.csv"
    columns = (
        *(c for level in LEVELS for c in (level, f"{level}_description")),
        "concept",
        "concept_description",
        "npd_alias",
    )

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        stated = self._rows(rows, path, report)
        items: dict[str, list[str]] = defaultdict(list)
        for item in store.find_nodes(NodeKind.DATA_ITEM, "alias", sorted({r.alias for r in stated})):
            items[str(item.props["alias"])].append(item.id)
        hierarchy = Hierarchy()
        represents = []
        for r in stated:
            citation = self.cite(path, r.row)
            descriptions = [r.row[f"{level}_description"].strip() for level in LEVELS]
            hierarchy.add_path(r.path, descriptions, citation)
            key = concept_key(r.path, r.concept)
            hierarchy.add(key, r.concept, CONCEPT_LEVEL, r.row["concept_description"].strip(), citation)
            hierarchy.link(key, category_key(r.path), citation)
            target = node_id(NodeKind.CONCEPT, key)
            cited = frozenset({citation})
            represents += [Edge(item, EdgeKind.REPRESENTS, target, citations=cited) for item in items[r.alias]]
            if not items[r.alias]:
                report.skip(NO_ITEM)
        return hierarchy.batch(represents)

    def _rows(self, rows: Iterable[Row], path: Path, report: Report) -> list[ConceptRow]:
        """The validated rows that name a concept, verbatim repeats folded, conflicting repeats refused."""
        stated: list[ConceptRow] = []
        seen: dict[tuple[tuple[str, ...], str, str], Row] = {}
        for row in rows:
            names = category_path(path, row)
            concept = row["concept"].strip()
            if not concept:
                report.skip(NO_CONCEPT)
                continue
            alias = required(path, row, "npd_alias")
            first = seen.setdefault((names, concept, alias), row)
            if first is not row:
                if first.cells != row.cells:
                    raise BadInput(
                        path,
                        f"duplicate key: {concept!r} with alias {alias!r} is on row {first.number} with other text",
                        row.number,
                        "npd_alias",
                    )
                note(report, REPEATED_ROW)
            stated.append(ConceptRow(row, names, concept, alias))
        return stated


@register
class NpdCategoryTree(ConceptImporter):
    """The category hierarchy of the concepts, on its own."""

    name = "npd-category-tree"
    bundled = "npd_category_tree_2019.csv"
    columns = LEVELS

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        paths = [(category_path(path, row), row) for row in rows]
        for depth, column in enumerate(LEVELS, start=1):
            refuse_duplicates(path, column, ((category_key(names), row) for names, row in paths if len(names) == depth))
        hierarchy = Hierarchy()
        for names, row in paths:
            hierarchy.add_path(names, [""] * len(names), self.cite(path, row))
        return hierarchy.batch()
