"""Organisations: one natural key per body, however a source spells it, and a type the answer can explain.

Three sources name recipients (the FOI-quoted register entries, the published figures, the external data
shares workbook), each in its own spelling: "FFT Education Ltd" and "Fischer Family Trust Education
Limited (FFT)", "Ministry of Justice (MOJ)" and "MoJ". So that they meet on one node:

- :func:`lineage.keys.normalise` gives the natural key (one definition, for the questions too).
- ``data/organisation_aliases.csv`` is an editable table of variants (``variant, canonical, org_type,
  source, note``). Every entry names the data file line where the variant appears (``source``) and
  says in ``note`` why the variant maps where it does. A variant with an empty ``canonical`` names a
  group of bodies ("Police", "Local Authorities", "third parties"): no Organisation node is made for
  it, because no single body is named.
- :func:`classify` gives the type: the table wins, then the first rule that matches (:data:`RULES`),
  else "unknown", visibly.

Certainty of an Organisation node: a node carries one certainty, and on an Organisation it is the
certainty of its ``org_type`` (that the body exists and was named is what its citations confirm). A
type from a rule is ``inferred`` with the rule's name (e.g. ``org-type:company-suffix``); a type from
the table is ``inferred`` by ``org-type:alias-table``; a node whose name or type came from a table
entry also cites that table row; an ``unknown`` type infers nothing, so the node is as sure as the strongest
source naming it (what the rows' importers say of their sources, and what the store already holds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from importers.reading import BadInput, read_csv
from lineage.keys import fold_name, normalise
from lineage.model import CONFIRMED, ORG_TYPES, Certainty, CertaintyLevel, Citation, Node, NodeKind, node_id, surest
from lineage.resources import DATA_DIR
from lineage.store import Store

ALIASES_FILE = DATA_DIR / "organisation_aliases.csv"
ALIAS_COLUMNS = ("variant", "canonical", "org_type", "source", "note")
ALIAS_DOCUMENT = "pupil-data lineage organisation alias table"

TABLE_RULE = "org-type:alias-table"

#: The classification rules, tried in order on the name as cited (lower case, punctuation as spaces);
#: the first that matches gives the type. NHS comes before academic ("University Hospital NHS Trust"),
#: academic before government ("Department of Economics, University of ..."). "Trust" alone decides
#: nothing: it may be an NHS trust, a charity or an academy trust.
RULES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (name, org_type, re.compile(pattern))
    for name, org_type, pattern in (
        ("org-type:nhs", "NHS body", r"\bnhs\b"),
        ("org-type:university", "academic", r"\buniversity\b|\bcollege london\b|\bschool of economics\b"),
        ("org-type:police", "police", r"\bpolice\b|\bconstabulary\b"),
        ("org-type:court", "court", r"\bcourts?\b|\btribunals?\b"),
        (
            "org-type:council",
            "local authority",
            r"\b(?:borough|county|city|district|metropolitan borough) council\b|\blondon borough of\b",
        ),
        (
            "org-type:government-department",
            "government department",
            r"\bhome office\b|\bcabinet office\b|\bhm treasury\b|\bhmrc\b|\bhm revenue\b|\bdepartment (?:for|of)\b"
            r"|\bministry of\b",
        ),
        ("org-type:charity-name", "charity or think tank", r"\bcharity\b|\bcharitable\b"),
        ("org-type:company-suffix", "commercial", r"\b(?:ltd|limited|plc|llp)\b"),
    )
)

#: Separates the bodies a variant names together ("Home Office and police": the Home Office; Police forces).
SEVERAL = ";"


@dataclass(frozen=True, slots=True)
class AliasEntry:
    """One row of the alias table; ``canonical`` is "" for a group of bodies no single node stands for, several
    names joined by ";" for a variant naming those bodies together, and ``org_type`` "" to leave it to the rules."""

    variant: str
    canonical: str
    org_type: str
    source: str
    note: str
    row: int

    @property
    def is_group(self) -> bool:
        return not self.canonical

    @property
    def bodies(self) -> tuple[str, ...]:
        """The canonical names of the bodies the variant denotes (none for a group)."""
        return tuple(name.strip() for name in self.canonical.split(SEVERAL) if name.strip())


@dataclass(frozen=True, slots=True)
class AliasTable:
    """The alias table, indexed by the normalised variant, by the normalised canonical name, and from each body to
    the entries naming it alone (its variants as cited anywhere in the data)."""

    path: Path
    by_variant: dict[str, AliasEntry] = field(default_factory=dict)
    canonical_names: dict[str, str] = field(default_factory=dict)
    variants_of: dict[str, list[AliasEntry]] = field(default_factory=dict)

    def citation(self, entry: AliasEntry) -> Citation:
        return Citation(ALIAS_DOCUMENT, self.path.name, entry.row, "")


def load_aliases(path: Path = ALIASES_FILE) -> AliasTable:
    """Read and check the alias table: known types, no variant twice, every entry citing its source."""
    table = AliasTable(path)
    for row in read_csv(path, ALIAS_COLUMNS):
        variant, canonical, org_type, source, note = (row[column].strip() for column in ALIAS_COLUMNS)
        entry = AliasEntry(variant, canonical, org_type, source, note, row.number)
        key = normalise(entry.variant)
        if not key:
            raise BadInput(path, "a variant must name something", row.number, "variant")
        if entry.org_type and entry.org_type not in ORG_TYPES:
            raise BadInput(path, f"unknown org_type {entry.org_type!r}; one of {', '.join(ORG_TYPES)}", row.number)
        if not entry.source:
            raise BadInput(path, "every entry names where the variant appears", row.number, "source")
        if key in table.by_variant:
            first = table.by_variant[key].row
            raise BadInput(path, f"variant {entry.variant!r} is already on row {first}", row.number, "variant")
        table.by_variant[key] = entry
        if len(entry.bodies) == 1:
            table.canonical_names[normalise(entry.canonical)] = entry.canonical
            table.variants_of.setdefault(normalise(entry.canonical), []).append(entry)
    return table


@cache
def _bundled_aliases() -> AliasTable:
    return load_aliases(ALIASES_FILE)


@dataclass(frozen=True, slots=True)
class Classification:
    """An organisation type and the rule that gave it (None when nothing applied: the type is unknown)."""

    org_type: str
    rule: str | None

    @property
    def certainty(self) -> Certainty:
        return CONFIRMED if self.rule is None else Certainty(CertaintyLevel.INFERRED, self.rule)


def classify_by_rules(name: str) -> Classification:
    """The first rule of :data:`RULES` that matches the name, or unknown."""
    folded = fold_name(name)
    for rule, org_type, pattern in RULES:
        if pattern.search(folded):
            return Classification(org_type, rule)
    return Classification("unknown", None)


def classify(name: str, table: AliasTable | None = None) -> Classification:
    """The type of the organisation a name denotes: the alias table wins, then the rules, else unknown."""
    table = table or _bundled_aliases()
    entry = table.by_variant.get(normalise(name))
    if entry and entry.org_type:
        return Classification(entry.org_type, TABLE_RULE)
    return classify_by_rules(entry.canonical if entry and entry.canonical else name)


@dataclass(frozen=True, slots=True)
class Resolved:
    """The one organisation a name denotes: its key, display name and type, and the table entry used."""

    key: str
    name: str
    classification: Classification
    entry: AliasEntry | None

    @property
    def id(self) -> str:
        return node_id(NodeKind.ORGANISATION, self.key)


@dataclass(frozen=True, slots=True)
class Unresolved:
    """Why a name gives no Organisation node."""

    reason: str


NOT_NAMED = Unresolved("no organisation named")
GROUP = Unresolved("names a group of bodies, not one organisation")
SEVERAL_BODIES = Unresolved("names several organisations together")


def resolve_each(name: str, table: AliasTable | None = None) -> list[Resolved] | Unresolved:
    """The organisations a name as cited denotes (several where the table says it names them together), or why
    it denotes none (no name, or a group no node stands for)."""
    table = table or _bundled_aliases()
    key = normalise(name)
    if not key:
        return NOT_NAMED
    entry = table.by_variant.get(key)
    if entry and entry.is_group:
        return GROUP
    if entry and len(entry.bodies) > 1:
        return [_resolved(body, table, entry) for body in entry.bodies]
    if entry:
        key = normalise(entry.canonical)
    display = table.canonical_names.get(key, " ".join(name.split()))
    return [Resolved(key, display, classify(name, table), entry)]


def _resolved(body: str, table: AliasTable, via: AliasEntry) -> Resolved:
    """One of the bodies a variant names together, as its own canonical name resolves."""
    found = resolve(body, table)
    if not isinstance(found, Resolved):
        raise BadInput(table.path, f"{body!r} does not name one organisation", via.row, "canonical")
    return replace(found, entry=via)


def resolve(name: str, table: AliasTable | None = None) -> Resolved | Unresolved:
    """The one organisation a name as cited denotes, or why it denotes none (no name, a group, several)."""
    found = resolve_each(name, table)
    if isinstance(found, Unresolved):
        return found
    return found[0] if len(found) == 1 else SEVERAL_BODIES


class Organisations:
    """The Organisation nodes one import names: variants of one body fold into one node, citing every row that
    names it and every alias-table entry that gives a variant of it, and keep the variants already in the store
    (a later import never loses them)."""

    def __init__(self, table: AliasTable | None = None) -> None:
        self.table = table or _bundled_aliases()
        self._found: dict[str, Resolved] = {}
        self._variants: dict[str, set[str]] = {}
        self._citations: dict[str, set[Citation]] = {}
        self._sources: dict[str, list[Certainty]] = {}

    def add(self, name: str, citation: Citation, source: Certainty = CONFIRMED) -> Resolved | Unresolved:
        """Record a name as cited by a row (whose source is as sure as ``source``); says which one organisation
        it denotes, or why none."""
        found = self.add_each(name, citation, source)
        if isinstance(found, Unresolved):
            return found
        return found[0] if len(found) == 1 else SEVERAL_BODIES

    def add_each(self, name: str, citation: Citation, source: Certainty = CONFIRMED) -> list[Resolved] | Unresolved:
        """Record a name as cited by a row; says which organisations it denotes, or why none."""
        found = resolve_each(name, self.table)
        if isinstance(found, Unresolved):
            return found
        for body in found:
            self._found.setdefault(body.id, body)
            self._sources.setdefault(body.id, []).append(source)
            cites = self._citations.setdefault(body.id, set())
            cites.add(citation)
            if body.entry:
                cites.add(self.table.citation(body.entry))
            variants = self._variants.setdefault(body.id, set())
            if len(found) == 1:  # a name for several bodies together is the variant of none of them
                variants.add(" ".join(name.split()))
            for entry in self.table.variants_of.get(body.key, ()):
                variants.add(entry.variant)
                cites.add(self.table.citation(entry))
        return found

    def nodes(self, store: Store) -> list[Node]:
        """One node per organisation named, its variants joined with those already stored."""
        stored = store.get_nodes(self._found)
        nodes = []
        for id_, found in sorted(self._found.items()):
            old = stored.get(id_)
            variants = self._variants[id_] | set(old.strings("variants") if old else ())
            certainty = found.classification.certainty
            if found.classification.rule is None:  # as sure as the strongest source naming it, stored ones too
                named = [*self._sources[id_], *([old.certainty] if old and not old.certainty.rule else [])]
                certainty = surest(named)
            nodes.append(
                Node(
                    NodeKind.ORGANISATION,
                    found.key,
                    found.name,
                    {"org_type": found.classification.org_type, "variants": tuple(sorted(variants))},
                    frozenset(self._citations[id_]),
                    certainty,
                )
            )
        return nodes
