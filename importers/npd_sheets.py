"""The NPD data dictionary's per-sheet files: ``npd-items`` (every data item of every sheet) and
``npd-sheet-notes`` (the notes under a sheet, the release rules and old tiers they state).

The keys, and why, are :mod:`importers.npd`'s (DataItem and ReleaseRule); the items need the classifications
and data sets that file imports first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from importers import register
from importers.base import Batch, Report
from importers.npd import (
    ITEMS_FILE_NAME,
    NOTES_FILE_NAME,
    SCALES,
    NpdImporter,
    classification_code,
    classification_id,
    classification_node,
    dataset_id,
    dataset_keys,
    sheet_datasets,
    sheets_of,
    start_year,
)
from importers.reading import BadInput, Row, parse_int, refuse_duplicates, refuse_other_digits, required
from lineage.keys import slug
from lineage.model import (
    CONFIRMED,
    Certainty,
    CertaintyLevel,
    Citation,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    Scalar,
    node_id,
)
from lineage.store import Store

NOTE_ALIAS_RULE = "note-name-equals-alias-ignoring-case"
SRS = "ONS SRS"
_POPULATED = re.compile(r"(\d{4})/(\d{2}|\d{4})(?:\s+only|\s*(-)\s*(?:(\d{4})/(\d{2}|\d{4}))?)?")


def years_populated(text: str) -> tuple[int, int | None] | None:
    """(first, last) academic start years of ``2006/07 -`` (last None: still collected), ``2010/11 - 2012/13``,
    ``2013/14 only`` or ``2016/17``; None for anything else (two ranges, a bare calendar year, a qualifier)."""
    found = _POPULATED.fullmatch(text.strip())
    if found is None:
        return None
    first = start_year(found[1], found[2])
    if found[3] is None:
        return (first, first) if first is not None else None
    if found[4] is None:
        return (first, None) if first is not None else None
    last = start_year(found[4], found[5])
    if first is None or last is None or last < first:
        return None
    return first, last


# ---- npd-items -------------------------------------------------------------------------------------

ITEM_COLUMNS = (
    "sheet",
    "dataset_title",
    "availability",
    "sub_table",
    "npd_alias",
    "field_reference",
    "years_populated",
    "description",
    "collection_term",
    "old_tier",
    "available_from_ukds",
    "identifiability",
    "sensitivity",
)
AVAILABILITY = ("Default", "By request")
UKDS = {"Yes": True, "No": False}
HEADING_ROW = "sub-table heading row (no field reference, no description): not an item"
REPEATED_ITEM_ROW = "repeats an earlier row word for word: folded into the same item"
NO_ALIAS = ("", "N/A")


@dataclass(frozen=True, slots=True)
class ItemEntry:
    """One validated item row: where it sits, what it is called, its properties and its classes."""

    row: Row
    dataset: str
    sub_table: str
    name: str
    props: dict[str, Scalar]
    classes: tuple[tuple[str, str], ...]
    tier_from_note: bool = False  # its old tier is its tier note's (TIER_NOTE_RULE), its own cell being empty


def is_heading(row: Row) -> bool:
    return not row["field_reference"].strip() and not row["description"].strip()


def item_entry(path: Path, row: Row, report: Report, keys: Mapping[str, str]) -> ItemEntry:
    """Validate one item row whole and read its properties; its data set is its sheet's key among ``keys``."""
    alias = row["npd_alias"].strip()
    alias = "" if alias in NO_ALIAS else alias
    name = alias or row["field_reference"].strip()
    if not name:
        raise BadInput(path, "an item needs an alias or a field reference; both are empty", row.number, "npd_alias")
    props: dict[str, Scalar] = {"alias": alias} if alias else {}
    if row["description"].strip():
        props["description"] = row["description"]
    refuse_other_digits(path, row, "years_populated")  # read by \d, as years: "\u0662\u0660\u0660\u0666/\u0660\u0667"
    if text := row["years_populated"].strip():
        years = years_populated(text)
        if years is None:
            report.leave_out(
                f"years_populated {text!r} is not a year or a range in a known form: first/last year left unset"
            )
        else:
            props["first_year"] = years[0]
            if years[1] is not None:
                props["last_year"] = years[1]
    if term := row["collection_term"].strip():
        props["collection_term"] = term
    tier_from_note = False
    if (tier := parse_int(path, row, "old_tier", allowed=range(1, 5))) is not None:
        props["old_tier"] = tier
    elif (noted := _noted_tier(row.cells.get("tier_note", ""), alias)) is not None:  # a column not all files have
        props["old_tier"], tier_from_note = noted, True
    if (identifiability := parse_int(path, row, "identifiability", allowed=range(1, 6))) is not None:
        props["identifiability"] = identifiability
    if sensitivity := classification_code(path, row, "sensitivity", "sensitivity"):
        props["sensitivity"] = sensitivity
    availability = row["availability"].strip()
    if availability and availability not in AVAILABILITY:
        raise BadInput(path, f"expected {' or '.join(AVAILABILITY)}, got {availability!r}", row.number, "availability")
    if availability:
        props["availability"] = availability
    ukds = row["available_from_ukds"].strip()
    if ukds and ukds not in UKDS:
        raise BadInput(path, f"expected Yes or No, got {ukds!r}", row.number, "available_from_ukds")
    if ukds:
        props["available_from_ukds"] = UKDS[ukds]
    classes = tuple((scale, str(props[scale])) for scale in SCALES if scale in props)
    dataset = keys[required(path, row, "sheet")]
    return ItemEntry(row, dataset, row["sub_table"].strip(), name, props, classes, tier_from_note)


#: A row's tier note giving its sheet's old tier but for one item ("Other than PMR this is Old Tier 1": the pupil
#: matching reference, PupilMatchingRefAnonymous, by the capitals of its alias).
_TIER_BUT = re.compile(r"\bOther than (?P<but>[A-Z]+) this is Old Tier (?P<tier>[1-4])\b")
#: The rule by which an item whose row leaves its old tier empty takes the one its own tier note gives.
TIER_NOTE_RULE = "old-tier:row-tier-note"


def _noted_tier(note: str, alias: str) -> int | None:
    """The old tier an item's own tier note gives its sheet, where the item is not the one the note excepts: the
    house number (PAON_[term][yy]) is the one address line whose old tier cell is empty."""
    said = _TIER_BUT.search(note)
    if said is None or re.sub(r"[^A-Z]", "", alias).startswith(said["but"]):
        return None
    return int(said["tier"])


def item_keys(entries: Sequence[ItemEntry], report: Report) -> list[str]:
    """The DataItem key of each entry (see the module docstring): sub-table where a sheet repeats a name
    across sub-tables, a number for a differing entry under the same key, one key for a verbatim repeat."""
    sub_tables: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in entries:
        sub_tables[entry.dataset, entry.name].add(entry.sub_table)
    contents: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    keys = []
    for entry in entries:
        split = len(sub_tables[entry.dataset, entry.name]) > 1 and entry.sub_table
        base = f"{entry.dataset}/{entry.sub_table}/{entry.name}" if split else f"{entry.dataset}/{entry.name}"
        content = tuple(entry.row.cells.values())
        seen = contents[base]
        if content in seen:
            report.leave_out(REPEATED_ITEM_ROW)
        else:
            seen.append(content)
        number = seen.index(content) + 1
        keys.append(base if number == 1 else f"{base} #{number}")
    return keys


@register
class NpdItemsImporter(NpdImporter):
    """NPD data items: each held by its data set (sheet) and classified by old tier, identifiability and
    sensitivity, as the data tables give them."""

    name = "npd-items"
    needs = ("npd-classifications", "npd-datasets")
    bundled = ITEMS_FILE_NAME
    columns = ITEM_COLUMNS

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        listed = list(rows)
        datasets = dataset_keys(store, {row["sheet"].strip() for row in listed}, report)
        entries = []
        for row in listed:
            if is_heading(row):
                report.skip(HEADING_ROW)
            else:
                entries.append(item_entry(path, row, report, datasets))
        keys = item_keys(entries, report)
        nodes = sheet_datasets(self, path, sheets_of(path, (entry.row for entry in entries), datasets), store)
        edges = []
        first_use: dict[tuple[str, str], Citation] = {}
        for key, entry in zip(keys, entries, strict=True):
            cited = frozenset({self.cite(path, entry.row)})
            item = Node(NodeKind.DATA_ITEM, key, entry.name, entry.props, cited)
            nodes.append(item)
            edges.append(Edge(dataset_id(entry.dataset), EdgeKind.HOLDS, item.id, citations=cited))
            for scale, code in entry.classes:
                first_use.setdefault((scale, code), self.cite(path, entry.row))
                noted = scale == "old_tier" and entry.tier_from_note
                sure = Certainty(CertaintyLevel.INFERRED, TIER_NOTE_RULE) if noted else CONFIRMED
                target = classification_id(scale, code)
                edges.append(Edge(item.id, EdgeKind.CLASSIFIED_AS, target, citations=cited, certainty=sure))
        nodes += [classification_node(scale, code, citation) for (scale, code), citation in first_use.items()]
        return Batch(nodes, edges)


# ---- npd-sheet-notes -------------------------------------------------------------------------------

NOT_A_RULE = f"the note neither mentions the {SRS} (a release rule) nor states an old tier"
_ALIAS_LIKE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b")
_OLD_TIER = re.compile(r"\bold tier (\w+)", re.IGNORECASE)


def named_items(rule: Node, dataset: str, names: Iterable[str], items: Sequence[Node], report: Report) -> list[Edge]:
    """RESTRICTED_BY from the items of ``dataset`` whose alias a note names: confirmed when equal, inferred
    when equal ignoring case; a name no imported item carries is counted."""
    prefix = node_id(NodeKind.DATA_ITEM, f"{dataset}/")
    edges = []
    for name in names:
        found = False
        for item in items:
            alias = str(item.props.get("alias", ""))
            if not item.id.startswith(prefix) or alias.casefold() != name.casefold():
                continue
            found = True
            certainty = CONFIRMED if alias == name else Certainty(CertaintyLevel.INFERRED, NOTE_ALIAS_RULE)
            edges.append(Edge(item.id, EdgeKind.RESTRICTED_BY, rule.id, citations=rule.citations, certainty=certainty))
        if not found:
            report.leave_out(f"the note names {name!r}, the alias of no imported item of {dataset}")
    return edges


@register
class NpdSheetNotesImporter(NpdImporter):
    """The notes above each section of the data tables. A note on the ONS Secure Research Service becomes a
    release rule restricting its data set and the items it names; a note stating an old tier ("Old Tier 4 =
    Identifiability / Sensitivity 3D") cites that tier's node, without a definition (the mapping differs
    from sheet to sheet). Other notes (section headings, remarks) are skipped with their reason."""

    name = "npd-sheet-notes"
    needs = ("npd-items", "npd-concepts")
    bundled = NOTES_FILE_NAME
    columns = ("sheet", "dataset_title", "availability", "note_text")

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        notes = [(row, required(path, row, "note_text")) for row in rows]
        keys = dataset_keys(store, {row["sheet"].strip() for row, _ in notes}, report)
        sheets = sheets_of(path, (row for row, _ in notes), keys)
        refuse_duplicates(
            path, "note_text", ((f"{row['sheet']}|{row['availability']}|{text}", row) for row, text in notes)
        )
        rules, nodes = [], []
        tiered: dict[str, list[tuple[Row, str]]] = defaultdict(list)
        for row, text in notes:
            if SRS in text.upper():
                rules.append((row, text))
            elif tier := _OLD_TIER.search(text):
                if tier[1] not in SCALES["old_tier"]:
                    raise BadInput(path, f"old tier {tier[1]!r} is not one of 1-4", row.number, "note_text")
                nodes.append(classification_node("old_tier", tier[1], self.cite(path, row)))
                tiered[keys[row["sheet"].strip()]].append((row, text))
            else:
                report.skip(NOT_A_RULE)
        restricted = {keys[row["sheet"].strip()] for row, _ in rules}
        for sheet in sheet_datasets(self, path, {key: sheets[key] for key in restricted | set(tiered)}, store):
            noted = tiered.get(sheet.key, [])
            said = {**sheet.props, "tier_notes": tuple(text for _, text in noted)} if noted else sheet.props
            cited = sheet.citations | {self.cite(path, row) for row, _ in noted}
            nodes.append(replace(sheet, props=said, citations=cited))
        items = store.all_nodes(NodeKind.DATA_ITEM) if any(_ALIAS_LIKE.search(text) for _, text in rules) else []
        edges = []
        for row, text in rules:
            props: dict[str, Scalar] = {"text": text, "applies_to": SRS}
            rule = Node(NodeKind.RELEASE_RULE, slug(text), text, props, frozenset({self.cite(path, row)}))
            dataset = keys[row["sheet"].strip()]
            nodes.append(rule)
            source = dataset_id(dataset)
            edges.append(Edge(source, EdgeKind.RESTRICTED_BY, rule.id, citations=rule.citations))
            edges += named_items(rule, dataset, _ALIAS_LIKE.findall(text), items, report)
        return Batch(nodes, edges)
