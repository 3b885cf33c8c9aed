"""The record after 2018: access to pupil-record systems, onward sharing, linked data sets and oversight.

``onward-flows`` reads ``npd_flows_2018_onward.csv`` (``date_as_cited, kind, from_organisation,
to_organisation, dataset_as_written, figure, unit, items_as_written, source_kind, source_title, source_url, quote,
notes``). Every fact cites its row (the source's title, with whose words they are: "the requester's own words in
an FOI request, not an answer"), and is as sure as its source kind (``data/source_kinds.csv``: DfE, Parliament
and a regulator's own letter ``confirmed``; a regulator's finding as reported, the press, a campaigner, a
requester or a research body ``reported``; a government or Parliament page read at a third party's address, not
one of ``data/publishers.csv``'s, is a third party's copy, ``reported``, and its citation says so). Its validity is
the date or period as cited where that is a plain date or period; "undated" holds always, counted. Where
``data/date_readings.csv`` reads the date as not the fact's own day, the fact keeps it as cited and holds when the
table says it does; where the table cannot say, a link holds over a period unknown and an event stays on its date
(``importers.events.dated``, the rule for campaign events too).

``data/flow_readings.csv`` (``file, row, row_says, route, records, system, derived_from, items_of, role,
reasoning``) says, for a row that still begins a cell with ``row_says`` (else it is counted, not applied),
how the data went (one of the model's ``ACCESS_ROUTES``), which body of records it speaks of (a RecordSet: the NPD
as a whole, the Learning Records Service, a linked data set), what a linked data set is derived from, and, where
``items_of`` is ``records``, that the row's items are what the records hold, not what went (they go on the
RecordSet, never on the access); its row is cited beside the data row's on every fact it reads. By ``kind``:

- ``access_granted``: the records (or, where the row names none, the sending body) ACCESSED_BY the recipient,
  with the route, figure, items and period; the records HELD_BY the sender.
- ``onward_share``: the sender SHARES_ONWARD with the recipient, saying what went.
- ``linked_dataset``: the linked RecordSet (size and items where stated) HELD_BY each body the row names as
  its recipient, and DERIVED_FROM what the reading names (the NPD, another body's records, the sender).
- Each ACCESSED_BY, SHARES_ONWARD and HELD_BY keeps the body it links to as the row words it
  (``organisation_as_written``): "police force (not named)" is one force, though its node is the one for the police
  forces the record does not name.
- ``oversight``, ``policy_change``, ``agreement``, ``figure``: an Event, keeping the row's notes as the links do,
  its text naming the row's items and its ends ("from HMRC to Department for Education (DfE)", in the row's words)
  where it gives them, that CONCERNS the bodies the row names and its records;
  ``data/event_links.csv`` adds what else it judged (the rule ``event-links``).
- ``foi_refused``: a Statement ``refused_to_say`` ABOUT the body that refused, in the asker's words: what was
  asked and refused, never an edge for what the answer might have been.

A name that denotes no single body ("sender not named ...", a group) draws no link, counted in the report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from importers import register
from importers.base import Batch, Importer, Report
from importers.events import BY_LINK_TABLE, NOT_WHEN_IT_HOLDS, UNDATED, applied_links, dated, withheld
from importers.organisations import Organisations, Resolved
from importers.reading import (
    BadInput,
    Row,
    RowRead,
    applied,
    read_csv,
    read_reasoned,
    refuse_duplicates,
    required,
    stated,
)
from importers.source_kinds import bundled_source_kinds
from lineage.keys import normalise, slug
from lineage.merge import merge
from lineage.model import (
    ACCESS_ROUTES,
    REFUSED_TO_SAY,
    Certainty,
    Citation,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    Scalar,
    Validity,
    kind_of,
    node_key,
    surest,
)
from lineage.resources import DATA_DIR
from lineage.store import Store

READINGS_FILE = DATA_DIR / "flow_readings.csv"
READINGS_COLUMNS = (
    "file",
    "row",
    "row_says",
    "route",
    "records",
    "system",
    "derived_from",
    "items_of",
    "role",
    "reasoning",
)
#: What a row's items_as_written may be of, by the readings table: the flow (empty), or what the records hold.
ITEMS_OF = ("", "records")
READINGS_DOCUMENT = "pupil-data lineage table of how each flow after 2018 went"
#: The file's word for a row whose source gives no date.
NO_DATE = "undated"
#: The kinds of row the file holds, and what each becomes.
ACCESS, ONWARD, LINKED, REFUSED = "access_granted", "onward_share", "linked_dataset", "foi_refused"
EVENT_KINDS = frozenset({"oversight", "policy_change", "agreement", "figure"})
KINDS = frozenset({ACCESS, ONWARD, LINKED, REFUSED} | EVENT_KINDS)
#: Whose words a row's source gives, said on every citation of it.
SOURCE_WORDS = {
    "dfe_or_government": "the government's own page",
    "parliament": "Parliament",
    "regulator": "the regulator's own words",
    "regulator_as_reported": "a regulator's finding as reported, not the regulator's own page",
    "press": "a press report",
    "campaigner": "a campaigner's account",
    "requester": "the requester's own words in an FOI request, not an answer",
    "research_body": "a research body's account",
}
#: Whose words a confirmed kind of source gives where the row reads it at a third party's address (not one of
#: ``data/publishers.csv``'s domains): a third party's copy, reported, never the publisher's own page.
COPY_WORDS = {
    "dfe_or_government": "a third party's copy of a government page, not the government's own page",
    "parliament": "a third party's copy of Parliament's words, not Parliament's own page",
    "regulator": "a third party's copy of the regulator's words, not the regulator's own page",
}
#: The same, for a confirmed kind the table above does not name.
A_COPY = "a third party's copy, not its publisher's own page"
#: The role of a body a linked data set's row names beside DfE: a party to the set, as its source says, and no more.
LINKED_PARTY = "named as a party to it; the source does not say pupil records went to it"
#: A record set named only as a linked set's source, and no row's records, is another body's records.
OTHER_RECORDS = "another body's records"
#: Names that say no body is named.
UNNAMED = ("sender not named", "recipient not named")


@dataclass(frozen=True, slots=True)
class Reading:
    """One row of the readings table: how a data row's flow went, and what records it speaks of."""

    route: str
    records: str
    system: str
    derived_from: tuple[tuple[str, str], ...]  # (node id, the source's words)
    items_of_records: bool  # the row's items are what the records hold, not what went
    role: str  # what the row says of the bodies it names as recipients of a linked set, beyond a party to it
    citation: Citation
    read: RowRead  # the data row it reads, which must still begin a cell with its words


def load_readings(path: Path = READINGS_FILE) -> dict[str, dict[int, Reading]]:
    """The readings by the file and data row they read; an unknown route, a derivation that is no node id, or a
    row read twice is refused, naming the place."""
    readings: dict[str, dict[int, Reading]] = {}
    for read_file, number, row in read_reasoned(path, READINGS_COLUMNS[2:-1], once=True):
        route = row["route"].strip()
        if route and route not in ACCESS_ROUTES:
            raise BadInput(path, f"unknown route {route!r}; one of {', '.join(ACCESS_ROUTES)}", row.number, "route")
        records, system = row["records"].strip(), row["system"].strip()
        if bool(records) != bool(system):
            raise BadInput(path, "records and their system are given together", row.number, "system")
        derived = []
        for part in filter(None, (p.strip() for p in row["derived_from"].split(";"))):
            target, _, words = part.partition("=")
            if kind_of(target.strip()) not in (NodeKind.RECORD_SET, NodeKind.ORGANISATION, NodeKind.DATASET):
                raise BadInput(path, f"{target!r} is no record set, data set or organisation", row.number)
            derived.append((target.strip(), words.strip()))
        if (items_of := row["items_of"].strip()) not in ITEMS_OF or (items_of and not records):
            raise BadInput(path, "empty (the flow's items) or records (with the records named)", row.number, "items_of")
        citation = Citation(READINGS_DOCUMENT, path.name, row.number, "")
        role = " ".join(row["role"].split())
        read = RowRead.of(path, row, read_file, number)
        reading = Reading(route, records, system, tuple(derived), bool(items_of), role, citation, read)
        readings.setdefault(read_file, {})[number] = reading
    return readings


@cache
def _bundled_readings() -> dict[str, dict[int, Reading]]:
    return load_readings()


@dataclass
class _Parts:
    """What the rows make, gathered so that a node several rows name is one node citing each of them."""

    nodes: dict[str, Node] = field(default_factory=dict)
    links: dict[str, Edge] = field(default_factory=dict)

    def node(self, node: Node) -> Node:
        old = self.nodes.get(node.id)
        if old is not None:
            props = {**node.props, **old.props}  # the first row to give a property keeps it
            # as sure as the strongest row stating it (a rule's inference stays the rule's)
            surer = surest((old.certainty, node.certainty))
            node = Node(node.kind, node.key, node.name, props, old.citations | node.citations, surer,
                        old.validity)  # fmt: skip
        self.nodes[node.id] = node
        return node

    def edge(self, edge: Edge) -> None:
        """A link several rows make is one link citing each (the shared merge: the later row's words win), except
        that a row saying what a body's part in a linked set is outranks one naming it only as a party, whichever
        comes first: LEO's partners (row 27) and the privacy notice's identifiers sent to DWP (row 28); and each
        row's notes are kept, in row order, as the link cites each row: DWP's LEO line cited row 27 and gave row
        28's notes alone, not that DWP is one of DfE's LEO partners, whose set researchers reach through the ONS."""
        old = self.links.get(edge.id)
        merged = merge(old, edge)
        roles = (edge.props.get("role"), old.props.get("role") if old else None)
        said = [role for role in roles if role is not None and role != LINKED_PARTY]
        if said:
            merged = replace(merged, props={**merged.props, "role": said[0]})
        notes = dict.fromkeys(n for n in (old.props.get("notes") if old else None, edge.props.get("notes")) if n)
        if len(notes) > 1:
            merged = replace(merged, props={**merged.props, "notes": " ".join(map(str, notes))})
        self.links[edge.id] = merged


@register
class OnwardFlowsImporter(Importer):
    name = "onward-flows"
    needs = ("npd-dataset-list", "register-more", "scope-statements", "sharing-figures")
    document = "Flows after 2018: onward sharing, linked data sets, oversight (compiled)"
    bundled = "npd_flows_2018_onward.csv"
    columns = (
        "date_as_cited",
        "kind",
        "from_organisation",
        "to_organisation",
        "dataset_as_written",
        "figure",
        "unit",
        "items_as_written",
        "source_kind",
        "source_title",
        "source_url",
        "quote",
        "notes",
    )

    def __init__(self, readings: dict[str, dict[int, Reading]] | None = None) -> None:
        self._readings = readings

    def extract(self, path: Path) -> Iterable[Row]:
        return read_csv(path, self.columns)

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        rows = list(rows)
        read_as = self.read_as(path)
        readings = (self._readings if self._readings is not None else _bundled_readings()).get(read_as, {})
        for row in rows:
            if (kind := row["kind"].strip()) not in KINDS:
                raise BadInput(path, f"unknown kind {kind!r}; one of {', '.join(sorted(KINDS))}", row.number, "kind")
        keyed = ((f"{row['kind']}|{row['date_as_cited']}|{row['source_url']}|{row['quote']}", row) for row in rows)
        refuse_duplicates(path, "kind, date_as_cited, source_url, quote", keyed)
        parts, organisations = _Parts(), Organisations()
        by_number = {row.number: row for row in rows}
        held = {r.read.row for r in applied(READINGS_FILE.name, readings.values(), by_number, report.leave_out)}
        links = applied_links(read_as, by_number, report)
        events: dict[int, Node] = {}
        for row in rows:
            reading = readings.get(row.number)
            moved = reading is not None and row.number not in held  # counted above, with the table's row
            flow = _Row(self, path, row, None if moved else reading, report, parts, organisations, moved)
            if reading is not None and not moved and reading.role and flow.kind != LINKED:
                where = f"{READINGS_FILE.name} row {reading.citation.row}"
                report.leave_out(f"role ({where}: only a linked data set's row names its parties)")
            if (event := flow.draw()) is not None:
                events[row.number] = event
        named = organisations.nodes(store)
        present = store.existing({link.concerns for link in links}) | set(parts.nodes) | {n.id for n in named}
        for link in links:
            if link.row not in events:
                continue
            if link.concerns not in present:
                report.leave_out(f"CONCERNS ({kind_of(link.concerns)} not in the store)")
                continue
            event = events[link.row]
            cites = event.citations | {link.citation}
            parts.edge(Edge(event.id, EdgeKind.CONCERNS, link.concerns, citations=cites, certainty=BY_LINK_TABLE))
        return Batch([*parts.nodes.values(), *named], list(parts.links.values()))


class _Row:
    """One data row, made into its nodes and edges."""

    def __init__(
        self,
        importer: OnwardFlowsImporter,
        path: Path,
        row: Row,
        reading: Reading | None,
        report: Report,
        parts: _Parts,
        organisations: Organisations,
        moved: bool = False,
    ) -> None:
        self.path, self.row, self.reading, self.report = path, row, reading, report
        self.moved = moved  # the table read another row at this number: this one is not read
        self.parts, self.organisations = parts, organisations
        self.kind = row["kind"].strip()
        self.source_kind = required(path, row, "source_kind")
        kinds = bundled_source_kinds()
        self.certainty: Certainty = kinds.certainty(path, row, "source_kind")
        # whose words they are, once the address is checked against the publishers' own: a copy at docslib.org of
        # a memorandum was labelled "the government's own page" beside its certainty, reported (row 16)
        if kinds.read_from_a_copy(row, "source_kind"):
            words = COPY_WORDS.get(self.source_kind, A_COPY)
        else:
            words = SOURCE_WORDS.get(self.source_kind, self.source_kind.replace("_", " "))
        document = f"{required(path, row, 'source_title')} ({words})"
        self.citation = Citation(document, path.name, row.number, required(path, row, "source_url"))
        self.date = required(path, row, "date_as_cited")
        # where the date is not the fact's day, as the dates table reads it: the fact holds when the table says, or
        # over a period unknown, never on the date (LEO's holders were held only on the day a notice was updated)
        self.dated = dated(importer.read_as(path), path, row, "date_as_cited", self.date, report)
        # where its source says the document it quotes is withheld, as the withheld documents table reads it
        self.withheld = withheld(importer.read_as(path), row, report)
        read = {c.citation for c in (reading, self.dated.reading, self.withheld) if c is not None}
        self.citations = frozenset({self.citation} | read)
        self.quote = required(path, row, "quote")

    def cell(self, column: str) -> str:
        return " ".join(self.row[column].split())

    def bodies(self, column: str) -> list[Resolved]:
        """The organisations a column names (none, counted, where it names no single body)."""
        name = self.cell(column)
        if not name:
            return []
        if normalise(name).startswith(UNNAMED):
            self.report.leave_out(f"{column} (no organisation named)")
            return []
        found = self.organisations.add_each(name, self.citation)
        if isinstance(found, list):
            return found
        self.report.leave_out(f"{column} ({found.reason})")
        return []

    def flow_props(self, **more: str) -> dict[str, Scalar]:
        props: dict[str, str] = {
            "route": self.reading.route if self.reading else "",
            "dataset_as_written": self.cell("dataset_as_written"),
            "items_as_written": self.cell("items_as_written"),
            "date_as_cited": self.date,
            "quote": self.quote,
            "notes": self.cell("notes"),
            **more,
        }
        if props["date_as_cited"] and self.dated.reading:
            props.update(self.dated.reading.props)
        return stated(props)

    def edge(
        self, source: str, kind: EdgeKind, target: str, props: dict[str, Scalar] | None = None, *, dated: bool = True
    ) -> None:
        """A link of the row, dated as what it says: what an event or a statement is about (CONCERNS, ABOUT) as the
        event or statement is, a flow or a holding when the dates table says it holds (importers.events.dated)."""
        validity = Validity()
        if dated and kind in (EdgeKind.CONCERNS, EdgeKind.ABOUT):
            validity = self.dated.happened
        elif dated:
            validity = self.dated.holds
            if self.dated.reading is not None and self.dated.reading.holds is None:
                self.report.leave_out(NOT_WHEN_IT_HOLDS)
        self.parts.edge(Edge(source, kind, target, props or {}, self.citations, self.certainty, validity))

    def held_items(self) -> dict[str, Scalar]:
        """The row's items as what its records hold, where the readings table says they are that."""
        held = self.reading is not None and self.reading.items_of_records and self.cell("items_as_written")
        return {"items_as_written": self.cell("items_as_written")} if held else {}

    def records(self) -> Node | None:
        """The record set the reading says the row speaks of, if any."""
        if not self.reading or not self.reading.records:
            return None
        return self.parts.node(
            Node(
                NodeKind.RECORD_SET,
                self.reading.records,
                self.reading.records,
                {"system": self.reading.system} | self.held_items(),
                self.citations,
                self.certainty,
            )
        )

    def draw(self) -> Node | None:
        """Draw the row's facts; the Event it is, if it is one. A flow whose reading was of another row is not
        drawn: without it, an access to the LRS was drawn as one to DfE's records (counted, naming the row)."""
        if self.moved and self.kind in (ACCESS, ONWARD, LINKED):
            self.report.leave_out(f"{self.kind} (row {self.row.number}: the reading at this number is of another row)")
            return None
        if self.kind == ACCESS:
            self.access()
        elif self.kind == ONWARD:
            self.onward()
        elif self.kind == LINKED:
            self.linked()
        elif self.kind == REFUSED:
            self.refused()
        else:
            return self.event()
        return None

    def access(self) -> None:
        senders, recipients, records = self.bodies("from_organisation"), self.bodies("to_organisation"), self.records()
        if records is not None:
            # it holds the records whenever it gave access: the period is the access's, not the holding's, and so are
            # the items (what was matched on, searched or taken), not what it holds
            said = {"role": "holds it and gave access", "organisation_as_written": self.cell("from_organisation")}
            held = self.flow_props(**said, route="", date_as_cited="", items_as_written="")
            for sender in senders:
                self.edge(records.id, EdgeKind.HELD_BY, sender.id, held, dated=False)
        source = records.id if records is not None else (senders[0].id if len(senders) == 1 else None)
        if source is None or not recipients:
            self.report.leave_out("ACCESSED_BY (no records or sender, or no recipient, named)")
            return
        figures = {"value_text": self.cell("figure"), "unit": self.cell("unit")}
        # the recipient as the row words it: "police force (not named)" is one force, drawn to the node for the police
        # forces the record does not name, which an answer would otherwise give as "Police forces" (row 13)
        figures["organisation_as_written"] = self.cell("to_organisation")
        if self.reading and self.reading.route == "match and return":
            figures["matched_on"] = self.cell("items_as_written")
            figures["items_as_written"] = ""
        if self.held_items():
            figures["items_as_written"] = ""  # on the records it searched, not on what it took
        for recipient in recipients:
            self.edge(source, EdgeKind.ACCESSED_BY, recipient.id, self.flow_props(**figures))

    def onward(self) -> None:
        senders, recipients = self.bodies("from_organisation"), self.bodies("to_organisation")
        if not senders or not recipients:
            self.report.leave_out("SHARES_ONWARD (no sender or recipient named)")
        what = (
            "a service built on the data" if self.reading and self.reading.route == "service built on the data" else ""
        )
        for sender in senders:
            for recipient in recipients:
                props = self.flow_props(what_went=what, organisation_as_written=self.cell("to_organisation"))
                self.edge(sender.id, EdgeKind.SHARES_ONWARD, recipient.id, props)

    def linked(self) -> None:
        records = self.records()
        if records is None:
            raise BadInput(self.path, "a linked data set needs its records in flow_readings.csv", self.row.number)
        # the row's items are the set's only where the readings say so: the privacy notice's identifiers are what
        # is sent to DWP to link, "removed after linkage", and stay on DWP's link (flow_props)
        size = stated(
            {"size_as_written": self.cell("figure"), "size_unit": self.cell("unit"), "date_as_cited": self.date}
        )
        size |= self.held_items()
        self.parts.node(Node(records.kind, records.key, records.name, size, self.citations, self.certainty))
        # the sender is what the set is derived from (the readings say so, where they do), not a holder of it; the
        # bodies the row names beside it are parties to the set, as its sources name them ("DfE's LEO partners", a
        # linkage whose page "does not say which way data moved"): never said to have received pupil records
        self.bodies("from_organisation")
        for body in self.bodies("to_organisation"):
            role = self.reading.role if self.reading and self.reading.role else LINKED_PARTY
            props = self.flow_props(role=role, organisation_as_written=self.cell("to_organisation"))
            self.edge(records.id, EdgeKind.HELD_BY, body.id, props)
        for target, words in self.reading.derived_from if self.reading else ():
            if kind_of(target) is NodeKind.RECORD_SET:
                key = node_key(target)
                system = {"system": OTHER_RECORDS}
                self.parts.node(Node(NodeKind.RECORD_SET, key, key, system, self.citations, self.certainty))
            # what a set is made from: no linked row dates that (its date is a size's, a coverage's or a notice's)
            self.edge(records.id, EdgeKind.DERIVED_FROM, target, stated({"as_written": words}), dated=False)

    def refused(self) -> None:
        bodies = self.bodies("from_organisation")
        if len(bodies) != 1:
            raise BadInput(self.path, "a refusal names the one body that refused", self.row.number, "from_organisation")
        body = bodies[0]
        props = stated(
            {
                "statement": REFUSED_TO_SAY,
                "source_kind": self.source_kind,
                "dataset_as_written": self.cell("dataset_as_written"),
                "organisation_as_written": self.cell("from_organisation"),
                # "undated" is the file's word for no date: a statement dated by it would be "as of undated"
                "date_as_cited": "" if self.date == NO_DATE else self.date,
                "quote": self.quote,
                "notes": self.cell("notes"),
            }
        )
        key = f"{body.key}/{REFUSED_TO_SAY}/{slug(self.quote)[:60]}/{self.source_kind}"
        name = f"{body.name}: asked, and refused to say ({self.source_kind.replace('_', ' ')})"
        statement = self.parts.node(
            Node(NodeKind.STATEMENT, key, name, props, self.citations, self.certainty, self.dated.happened)
        )
        self.edge(statement.id, EdgeKind.ABOUT, body.id)

    def event(self) -> Node:
        if self.dated.happened == Validity():
            self.report.leave_out(UNDATED)
        figure = " ".join(filter(None, (self.cell("figure"), self.cell("unit"))))
        what = self.cell("dataset_as_written") or "no records named"
        # and its items, as the row gives them: "has refused to delete information ... on approximately 8.6 million
        # children" said of the school census alone did not say it was their nationality and country of birth
        items = f" ({self.cell('items_as_written')})" if self.cell("items_as_written") else ""
        # and its ends, as the row words them: HMRC's 2019 MoU read "agreement: no records named", naming neither
        # end, so a line quoting it did not say who was to give what to whom; "from ... to ..." is the row's own
        # pair of columns, no more (an agreement is not a transfer, a figure is what its source counts)
        ends = " ".join(f"{word} {name}" for word in ("from", "to") if (name := self.cell(f"{word}_organisation")))
        text = f"{self.kind.replace('_', ' ')}{f' {ends}' if ends else ''}: {what}{items}" + (
            f"; {figure}" if figure else ""
        )
        props = stated(
            {"event_kind": self.kind, "date_as_cited": self.date, "text": text, "quote": self.quote,
             "notes": self.cell("notes"), "source": self.citation.document, "source_kind": self.source_kind,
             **(self.dated.reading.props if self.dated.reading else {}),
             **(self.withheld.props if self.withheld else {})}
        )  # fmt: skip
        event = self.parts.node(
            Node(
                NodeKind.EVENT,
                f"{slug(self.kind)}/{self.date}/{slug(self.quote)[:60]}",
                f"{self.date}: {text}",
                props,
                self.citations,
                self.certainty,
                self.dated.happened,
            )
        )
        targets = [body.id for column in ("from_organisation", "to_organisation") for body in self.bodies(column)]
        if (records := self.records()) is not None:
            targets.append(records.id)
        for target in dict.fromkeys(targets):
            self.edge(event.id, EdgeKind.CONCERNS, target)
        return event


__all__ = ["OnwardFlowsImporter", "load_readings"]
