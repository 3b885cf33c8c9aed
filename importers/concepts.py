"""NPD concepts (DfE "Find & explore data in the NPD", 2019): one meaning stored under many aliases.

- ``npd-concepts`` reads the concept file: one row per (concept, NPD alias), under a category path of up to
  four levels (``category_l0`` .. ``category_l3``, each with its description). Every category on the path and
  the concept become Concept nodes, linked upward by ``BROADER`` (concept -> its category -> parent
  category). Each row links, by ``REPRESENTS``, every imported DataItem whose alias is the row's alias text
  exactly (``PRU_InCare_SPR[yy]`` matches an item aliased ``PRU_InCare_SPR[yy]``; placeholders are part of the
  text). So it reads the items from the store: import ``npd-items`` first. An alias no imported item carries
  (the items file is complete for KS4 only) becomes a DataItem known from this file alone (``in_dictionary``
  false, cited by the rows naming it), so every alias of a concept is answerable. Its table is read from the
  alias by a rule over the dictionary's own aliases, the HOLDS link inferred by the rule's name: a field-style
  alias by its census marker before ``[yy]`` (:data:`RULE_SUFFIX`: ``InCare_ab[yy]`` is the absence table's,
  as every ``_ab[yy]`` alias of the dictionary is), any other by its prefix before the first ``_``
  (:data:`RULE_PREFIX`: ``KS5_...`` is the KS5 table's), each only where the dictionary's aliases of that
  marker or prefix are all of one table; its link cites the concept rows and, in one citation, those dictionary rows
  (:func:`rows_read`). An alias its rule does not place is keyed ``unplaced/<alias>`` with
  no HOLDS link, and counted. The rules read the dictionary's items alone, and an import made again makes
  its own items again, so a rebuild places and counts them alike. A row with no concept is skipped. A row
  repeated word for word states the same link twice and folds into it; the same (concept, alias) with
  different text is refused.
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

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from importers import register
from importers.base import Batch, Report
from importers.npd import NpdImporter
from importers.reading import BadInput, Row, refuse_duplicates, required
from lineage.model import (
    UNPLACED,
    Certainty,
    CertaintyLevel,
    Citation,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    Scalar,
    in_row_runs,
    node_id,
    node_key,
)
from lineage.store import Store

CATEGORY_COLUMNS = ("category_l0", "category_l1", "category_l2", "category_l3")
CONCEPT_LEVEL = len(CATEGORY_COLUMNS)
RULE_SUFFIX = "item-table:census-marker"
RULE_PREFIX = "item-table:alias-prefix"
INFERRED = CertaintyLevel.INFERRED
NO_TABLE = "HOLDS (an alias the dictionary does not list, whose table no rule reads: keyed unplaced/<alias>)"
NO_CONCEPT = "the row names no concept"
REPEATED_LINK_ROW = "repeats an earlier row word for word: folded into the same link"


def category_path(path: Path, row: Row) -> tuple[str, ...]:
    """The category names from the top down, refusing a level given below an empty one."""
    names = [row[column].strip() for column in CATEGORY_COLUMNS]
    depth = next((i for i, name in enumerate(names) if not name), len(names))
    if depth == 0:
        raise BadInput(path, "a category path needs its top level", row.number, CATEGORY_COLUMNS[0])
    below = next((i for i in range(depth, len(names)) if names[i]), None)
    if below is not None:
        given, empty = CATEGORY_COLUMNS[below], CATEGORY_COLUMNS[depth]
        raise BadInput(path, f"{given} is given but {empty} is empty", row.number, given)
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
class NpdConceptsImporter(ConceptImporter):
    """Concepts under their categories, each linked to the data items that store it under an alias."""

    name = "npd-concepts"
    needs = ("npd-items",)
    bundled = "npd_concept_categories_2019.csv"
    columns = (
        *(c for level in CATEGORY_COLUMNS for c in (level, f"{level}_description")),
        "concept",
        "concept_description",
        "npd_alias",
    )

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        stated = self._rows(rows, path, report)
        items: dict[str, list[str]] = defaultdict(list)
        for item in store.find_nodes(NodeKind.DATA_ITEM, "alias", sorted({r.alias for r in stated})):
            if _listed(item):  # an item this file made before is made again, by the same rule
                items[str(item.props["alias"])].append(item.id)
        unlisted = _Unlisted(store, report)
        hierarchy = Hierarchy()
        represents = []
        for r in stated:
            citation = self.cite(path, r.row)
            descriptions = [r.row[f"{level}_description"].strip() for level in CATEGORY_COLUMNS]
            hierarchy.add_path(r.path, descriptions, citation)
            key = concept_key(r.path, r.concept)
            hierarchy.add(key, r.concept, CONCEPT_LEVEL, r.row["concept_description"].strip(), citation)
            hierarchy.link(key, category_key(r.path), citation)
            target = node_id(NodeKind.CONCEPT, key)
            cited = frozenset({citation})
            holders = items[r.alias] or [unlisted.item(r.alias, citation)]
            represents += [Edge(item, EdgeKind.REPRESENTS, target, citations=cited) for item in holders]
        batch = hierarchy.batch(represents)
        batch.nodes += unlisted.nodes()
        batch.edges += unlisted.edges()
        return batch

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
                report.leave_out(REPEATED_LINK_ROW)
            stated.append(ConceptRow(row, names, concept, alias))
        return stated


_MARKER = re.compile(r"_([A-Za-z]+)\[yy\]$")


def _signature(alias: str) -> tuple[str, str] | None:
    """The rule that reads an alias's table, and what it reads: the census marker of a field-style alias (``ab``
    of ``InCare_ab[yy]``), else the prefix before the first ``_`` (``ks5`` of ``KS5_LA``); None for neither."""
    marker = _MARKER.search(alias)
    if marker:
        return RULE_SUFFIX, marker.group(1).lower()
    head, sep, _ = alias.partition("_")
    return (RULE_PREFIX, head.lower()) if sep and head else None


def rows_read(signature: tuple[str, str], cited: Iterable[Citation]) -> frozenset[Citation]:
    """The rows a placement's rule read, one citation per source naming them as ranges, with what they are: each
    row its own citation had made a KS4 placement list 1,224 sources wherever it was shown.

    >>> read = [Citation("Dictionary", "items.csv", row, "https://d") for row in (5, 3, 4, 9)]
    >>> [c.document for c in rows_read((RULE_PREFIX, "ks1"), read)]
    ['Dictionary: rows 3-5, 9, every alias it lists with the prefix KS1_, all in one table']
    """
    rule, value = signature
    which = f"the census marker _{value}[yy]" if rule == RULE_SUFFIX else f"the prefix {value.upper()}_"
    return in_row_runs((c for c in cited if c.row is not None), f"every alias it lists with {which}, all in one table")


class _Unlisted:
    """Items for the aliases the dictionary does not list, each placed in a table by the rules over the
    dictionary's aliases (see the module docstring), one node per alias cited by every row naming it."""

    def __init__(self, store: Store, report: Report) -> None:
        self.report = report
        listed = [n for n in store.all_nodes(NodeKind.DATA_ITEM) if _listed(n)]
        aliases = {n.id: str(n.props.get("alias", "")) for n in listed}
        tables: dict[tuple[str, str], set[str]] = defaultdict(set)
        read: dict[tuple[str, str], set[Citation]] = defaultdict(set)
        for hop in store.expand(list(aliases), frozenset(), frozenset({EdgeKind.HOLDS})):
            signature = _signature(aliases[hop.near])
            if signature:
                tables[signature].add(hop.node.id)
                read[signature] |= hop.edge.citations
        self._tables = {signature: next(iter(ids)) for signature, ids in tables.items() if len(ids) == 1}
        # what a placement rests on: the dictionary's rows of every alias of its marker or prefix (a HOLDS link citing
        # the concept row alone had put the rule's inference on a row that names no table)
        self._read = {signature: rows_read(signature, read[signature]) for signature in self._tables}
        # where a rule reads more than one table, those tables: which of them holds the alias is not known
        self._candidates = {signature: tuple(sorted(ids)) for signature, ids in tables.items() if len(ids) > 1}
        self._placed: dict[str, tuple[str, str] | None] = {}  # alias -> (table id, rule), None when unplaced
        self._citations: dict[str, set[Citation]] = defaultdict(set)

    def item(self, alias: str, citation: Citation) -> str:
        """The id of the item for an unlisted alias, which this row cites."""
        if alias not in self._placed:
            self._placed[alias] = self._place(alias)
        self._citations[alias].add(citation)
        return node_id(NodeKind.DATA_ITEM, self._key(alias))

    def _place(self, alias: str) -> tuple[str, str] | None:
        """The one table its rule reads from the alias, with the rule's name; None (counted) when there is none."""
        signature = _signature(alias)
        table = self._tables.get(signature) if signature else None
        if signature is None or table is None:
            self.report.leave_out(NO_TABLE)
            return None
        return table, signature[0]

    def _key(self, alias: str) -> str:
        """``<table key>/<alias>``, as the dictionary's items are keyed, or ``unplaced/<alias>``."""
        placed = self._placed[alias]
        return f"{node_key(placed[0]) if placed else UNPLACED}/{alias}"

    def nodes(self) -> list[Node]:
        return [
            Node(NodeKind.DATA_ITEM, self._key(alias), alias, self._props(alias), cited)
            for alias, cited in self._cited()
        ]

    def _props(self, alias: str) -> dict[str, Scalar]:
        """An unlisted alias's properties: and, unplaced, the tables its rule reads, one of which may hold it (AP_
        the alternative provision census's two): a release bounded to other data sets holds it in none of them."""
        props: dict[str, Scalar] = {"alias": alias, "in_dictionary": False}
        signature = _signature(alias)
        if self._placed[alias] is None and signature in self._candidates:
            props["datasets_possible"] = self._candidates[signature]
        return props

    def edges(self) -> list[Edge]:
        return [
            Edge(
                placed[0],
                EdgeKind.HOLDS,
                node_id(NodeKind.DATA_ITEM, self._key(alias)),
                citations=cited | self._read[signature],
                certainty=Certainty(INFERRED, placed[1]),
            )
            for alias, cited in self._cited()
            if (placed := self._placed[alias]) and (signature := _signature(alias))
        ]

    def _cited(self) -> list[tuple[str, frozenset[Citation]]]:
        return [(alias, frozenset(self._citations[alias])) for alias in sorted(self._placed)]


def _listed(item: Node) -> bool:
    """Whether the dictionary lists the item (the rules read the tables from its items alone)."""
    return item.props.get("in_dictionary") is not False


@register
class NpdCategoryTreeImporter(ConceptImporter):
    """The category hierarchy of the concepts, on its own."""

    name = "npd-category-tree"
    bundled = "npd_category_tree_2019.csv"
    columns = CATEGORY_COLUMNS

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        paths = [(category_path(path, row), row) for row in rows]
        for depth, column in enumerate(CATEGORY_COLUMNS, start=1):
            refuse_duplicates(path, column, ((category_key(names), row) for names, row in paths if len(names) == depth))
        hierarchy = Hierarchy()
        for names, row in paths:
            hierarchy.add_path(names, [""] * len(names), self.cite(path, row))
        return hierarchy.batch()
