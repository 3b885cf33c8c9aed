"""The three audit reports built from the campaign's questions, so they say exactly what the API says: one
release downstream, all an organisation received, sent, asked for or was refused, and who received an item or
did not; each row with its certainty and citations, and the flow as a picture of boxes and links."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from lineage import questions
from lineage.dates import academic_year_text
from lineage.model import (
    STATEMENT_KINDS,
    Certainty,
    Citation,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    item_dataset,
    node_key,
    value_text,
    weakest,
)
from lineage.questions import Related, ReleaseTrace, TimelineEntry
from lineage.questions.records import Disclosure
from lineage.questions.timeline import entry_kind
from lineage.reports.document import (
    APPROVAL,
    COLUMNS,
    DATA,
    ONWARD,
    RECIPIENT,
    RELEASE,
    AuditReport,
    Box,
    Picture,
    Table,
    TableRow,
)
from lineage.reports.words import certainty_text
from lineage.store import Store

# ---- rows shared by the reports -----------------------------------------------------------------


def _cited(*sources: Node | Edge) -> frozenset[Citation]:
    return frozenset(citation for source in sources for citation in source.citations)


def _related_rows(items: Iterable[Related], cells: Callable[[Node], tuple[str, ...]]) -> tuple[TableRow, ...]:
    """A row per related node: its cells, the link's certainty, and the link's sources: what the row says is the
    link (a recipient of this release), which the node's own sources (every row naming that body) do not support."""
    return tuple(TableRow(cells(r.node), r.link.certainty, _cited(r.link)) for r in items)


STATEMENT_HEADER = ("the source says", "in its words", "taken to mean", "contested by", "notes")


def _statement_rows(store: Store, stated: Iterable[questions.Stated]) -> tuple[TableRow, ...]:
    """Each source's statement in its own words, what they are taken to mean (by the rule its links name), the
    statements that contradict it, whose sources are cited in the same row, and the compiler's notes on its row:
    they say what the words alone do not (the Cabinet Office's extraction, whose link to its register entries is
    "NOT established", npd_release_scope_statements.csv row 32)."""
    stated = list(stated)
    datasets = store.get_nodes(sorted({d for s in stated for item in s.items if (d := item_dataset(item))}))
    rows = []
    for s in stated:
        meant = _meant(s, datasets) or "no item or data set (the words table does not map them)"
        against = "; ".join(
            f"{c.node.props.get('source_kind', c.node.name)}: {c.node.props.get('items_as_written', '')}"
            for c in s.contradicted_by
        )
        cells = (
            STATEMENT_KINDS.get(s.kind, s.kind), questions.quoted_words(s.statement),
            meant, against or "none recorded", value_text(s.statement.props.get("notes")),
        )  # fmt: skip
        links = [s.about.link, *(m.link for m in s.means), *(c.link for c in s.contradicted_by)]
        sources = _cited(s.statement, *links, *(c.node for c in s.contradicted_by))
        rows.append(TableRow(cells, s.statement.certainty, sources))
    return tuple(rows)


def _meant(s: questions.Stated, datasets: Mapping[str, Node]) -> str:
    """What a statement's words are taken to mean: the data sets by name, an item the table names by its name and
    data set (:func:`_item_words`; its id had been given), and the items of the table's other meanings (a concept,
    or a class of items) with how many items each reaches."""
    named = [m.node.name for m in s.means if m.node.kind is not NodeKind.DATA_ITEM]
    items, meanings = [], Counter[str]()
    for item, link in s.reaches:
        meaning = str(link.props.get("means", ""))
        if meaning == item.id:
            items.append(_item_words(item, datasets))
        else:
            meanings[meaning.removeprefix("Concept:")] += 1
    reached = [f"{meaning} ({n} item{'s' if n != 1 else ''})" for meaning, n in sorted(meanings.items())]
    return "; ".join([*named, *sorted(items), *reached])


def _item_words(item: Node, datasets: Mapping[str, Node]) -> str:
    """An item as a reader names it: its name within its data set (after its sub-table, where its key gives one:
    ``KS4 Exam Table/KS4_UPN``) and that data set's name, or that no table is known to hold it."""
    placed = item_dataset(item)
    if placed is None:
        return f"{item.name}, not placed in a table"
    holder = datasets.get(placed)
    return f"{item.key.split('/', 1)[1]} in {holder.name if holder else node_key(placed)}"


def _application_rows(applications: Iterable[questions.ApplicationTrace]) -> tuple[TableRow, ...]:
    """Each application with its outcome, the tiers and what it asked for and why as far as a source says, who
    commissioned it, and the compiler's notes on its row: they say what its date is where a column gives three
    kinds of date (the University of Exeter's, npd_register_entries_more.csv row 16), and who else a source names
    in it (the Ministry of Defence's partners, row 2)."""
    rows = []
    for a in applications:
        node = a.application
        asked = "; ".join(str(s.statement.props.get("items_as_written", "")) for s in a.statements) or "not stated"
        cells = (
            value_text(node.props.get("date")) or value_text(node.props.get("date_as_cited")), node.name, a.outcome,
            ", ".join(node.strings("tiers")) or "not stated", asked,
            value_text(node.props.get("purpose")) or "not stated",
            ", ".join(c.node.name for c in a.commissioned_by) or "none named", value_text(node.props.get("notes")),
        )  # fmt: skip
        links = [*([a.made_by.link] if a.made_by else []), *(c.link for c in a.commissioned_by)]
        sources = _cited(node, *links, *(s.statement for s in a.statements))
        rows.append(TableRow(cells, node.certainty, sources))
    return tuple(rows)


APPLICATION_HEADER = (
    "date", "application", "outcome", "tiers, as cited", "what it asked for, as a source says", "purpose, as cited",
    "commissioned by", "notes",
)  # fmt: skip


def _organisation_cells(node: Node) -> tuple[str, ...]:
    return (node.name, value_text(node.props.get("org_type")))


def _approval_cells(node: Node) -> tuple[str, ...]:
    props = node.props
    fields = ("panel", "decision_date", "legal_gateway", "access_route")
    return (node.name, *(value_text(props.get(name)) or "not stated" for name in fields))


def _approval_summary(node: Node) -> str:
    gateway = node.props.get("legal_gateway")
    return f"{node.name}, under {gateway}" if gateway else node.name


APPROVAL_HEADER = ("approval", "panel", "decided", "legal gateway", "access route")


def _scope_unknown(release: Node) -> str:
    tiers = release.strings("tiers")
    if tiers:
        return f"Approved for tier(s) {', '.join(tiers)}; no item of those tiers is linked to it in the graph."
    if release.props.get("scope_published") is False:
        return "The release's scope (data sets, items, years) is not published."
    return "No item or data set is linked to this release in the graph."


# ---- the picture -----------------------------------------------------------------------------------

#: Boxes shown per column; the rest are drawn as one "+N more" box (the tables list them all).
MAX_BOXES = 12


class _Drawing:
    def __init__(self) -> None:
        self.boxes: dict[str, Box] = {}
        self.links: dict[tuple[str, str], Certainty] = {}

    def box(self, column: int, node: Node, label: str | None = None) -> str:
        key = f"{column}|{node.id}"
        one_line = " ".join((label or node.name).split())  # a blank line would end Markdown's HTML block
        self.boxes.setdefault(key, Box(key, one_line, column))
        return key

    def link(self, source: str, target: str, certainty: Certainty) -> None:
        known = self.links.get((source, target))
        self.links[(source, target)] = certainty if known is None else weakest([known, certainty])

    def picture(self) -> Picture:
        shown: list[Box] = []
        moved: dict[str, str] = {}
        for column in range(len(COLUMNS)):
            boxes = [box for box in self.boxes.values() if box.column == column]
            if len(boxes) > MAX_BOXES:
                more = Box(f"{column}|more", f"+{len(boxes) - MAX_BOXES + 1} more (see the tables)", column)
                moved.update((box.key, more.key) for box in boxes[MAX_BOXES - 1 :])
                boxes = [*boxes[: MAX_BOXES - 1], more]
            shown += boxes
        links: dict[tuple[str, str], Certainty] = {}
        for (source, target), certainty in self.links.items():
            ends = (moved.get(source, source), moved.get(target, target))
            links[ends] = weakest([links[ends], certainty]) if ends in links else certainty
        return Picture(tuple(shown), tuple((s, t, c) for (s, t), c in links.items()))


def _draw_traces(drawing: _Drawing, traces: Iterable[ReleaseTrace]) -> None:
    """Included items -> release -> approval -> recipient -> onward recipient."""
    for trace in traces:
        release = drawing.box(RELEASE, trace.release)
        for included in trace.includes:
            drawing.link(drawing.box(DATA, included.node), release, included.link.certainty)
        approvals = []
        for approval in trace.approvals:
            approvals.append(drawing.box(APPROVAL, approval.node))
            drawing.link(release, approvals[-1], approval.link.certainty)
        recipients = {}
        for recipient in trace.recipients:
            recipients[recipient.node.id] = drawing.box(RECIPIENT, recipient.node)
            for via in approvals or [release]:
                drawing.link(via, recipients[recipient.node.id], recipient.link.certainty)
        for onward in trace.onward:
            drawing.link(recipients[onward.link.source], drawing.box(ONWARD, onward.node), onward.link.certainty)


# ---- the three reports -----------------------------------------------------------------------------


def release_report(store: Store, reference: str) -> AuditReport:
    """One release downstream: approval, recipients, what it included, onward sharing."""
    trace = questions.release_trace(store, reference)
    drawing = _Drawing()
    _draw_traces(drawing, [trace])
    sharers = {r.node.id: r.node.name for r in trace.recipients}
    onward = tuple(
        TableRow((sharers[r.link.source], r.node.name), r.link.certainty, _cited(r.link)) for r in trace.onward
    )
    tables = (
        Table("approvals", "Approval", APPROVAL_HEADER, _related_rows(trace.approvals, _approval_cells),
              "No approval is recorded for this release."),
        Table("recipients", "Recipients", ("organisation", "type"),
              _related_rows(trace.recipients, _organisation_cells), "No recipient is recorded for this release."),
        Table("includes", "What it included", ("item or data set", "kind"),
              _related_rows(trace.includes, lambda n: (n.name, n.kind.value)), _scope_unknown(trace.release)),
        Table("onward", "Onward sharing by the recipients", ("from", "to"), onward,
              "No onward sharing by the recipients is recorded."),
        Table("statements", "What sources say it held, left out or was asked for", STATEMENT_HEADER,
              _statement_rows(store, trace.statements), "No source's statement of its items is tied to this release."),
        Table("not-yet-in-npd", "Items of its tiers not yet in the NPD by its date", ("item", "first year"),
              tuple(TableRow((item.name, _first_year(item)), item.certainty, item.citations)
                    for item in trace.not_yet_in_npd),
              "No item of its tiers was left out for being collected after its date."),
        Table("recipient-statements", "What sources say of the recipients, tied to no release", STATEMENT_HEADER,
              _statement_rows(store, trace.recipient_statements),
              "No source's statement about the recipients is left untied to a release."),
    )  # fmt: skip
    return AuditReport(f"Release {trace.release.name}", (trace.release,), tables, drawing.picture())


def _first_year(item: Node) -> str:
    """An item's first academic year as the dictionary gives it; one it gives none takes its data set's."""
    year = item.props.get("first_year")
    return academic_year_text(year) if isinstance(year, int) else "its data set's first"


def _includes(trace: ReleaseTrace) -> str:
    """What a release included, in words, with how sure each inclusion is: at tier level, the approval
    covered a tier, and the items are that tier's, not a list the source gives."""
    if not trace.includes:
        return _scope_unknown(trace.release)
    sureness = Counter(certainty_text(r.link.certainty) for r in trace.includes)
    if len(sureness) == 1:
        return f"{len(trace.includes)} items or data sets, {next(iter(sureness))}"
    each = ", ".join(f"{count} {text}" for text, count in sorted(sureness.items()))
    return f"{len(trace.includes)} items or data sets: {each}"


def organisation_report(store: Store, name: str) -> AuditReport:
    """All an organisation received: releases with their approvals and scope, published volumes, onward
    shares in both directions, the records it reached or gave access to by route, the record sets it holds and
    the events that concern it (an organisation with no release may still have searched a live system)."""
    answer = questions.organisation_receipts(store, name)
    organisation = answer.organisation
    shared = answer.shared_onward
    drawing = _Drawing()
    _draw_traces(drawing, answer.releases)
    here = drawing.box(RECIPIENT, organisation)
    for partner in shared:
        drawing.link(here, drawing.box(ONWARD, partner.node), partner.link.certainty)
    for flow in (*answer.aggregate_flows, *answer.both_ways):
        label = ", ".join(
            value_text(flow.node.props.get(name)) for name in ("measure", "period") if name in flow.node.props
        )
        drawing.link(drawing.box(RELEASE, flow.node, label), here, flow.link.certainty)
    for sharer in answer.received_onward:
        drawing.link(drawing.box(RELEASE, sharer.node, f"onward from {sharer.node.name}"), here, sharer.link.certainty)
    releases = []
    for trace in answer.releases:
        link = next(r.link for r in trace.recipients if r.node.id == organisation.id)
        approvals = "; ".join(_approval_summary(a.node) for a in trace.approvals)
        cells = (
            value_text(trace.release.props.get("date")), trace.release.name,
            value_text(trace.release.props.get("status")), approvals or "none recorded", _includes(trace),
        )  # fmt: skip
        links = [link, *(a.link for a in trace.approvals), *(r.link for r in trace.includes)]
        sources = _cited(trace.release, *links, *(a.node for a in trace.approvals))  # a set: each source once
        releases.append(TableRow(cells, weakest(e.certainty for e in links), sources))
    tables = (
        Table("releases", "Releases received", ("date", "release", "status", "approval", "includes"),
              tuple(releases), "No release to this organisation is recorded."),
        Table("volumes", "Published volumes", ("figure", "period", "value", "notes"),
              _related_rows(answer.aggregate_flows, _volume_cells), "No published volume is recorded."),
        Table("both-ways", "Published figures of an exchange both ways (DfE and it)",
              ("figure", "period", "value", "notes"), _related_rows(answer.both_ways, _volume_cells),
              "No published figure of an exchange both ways is recorded."),
        Table("received-onward", "Received onward from", ONWARD_HEADER,
              _access_rows(organisation, answer.received_onward, gave=False, said=NOTES),
              "No onward share to it is recorded."),
        Table("shared-onward", "Shared onward with", ONWARD_HEADER,
              _access_rows(organisation, shared, gave=True, said=NOTES), "No onward share by it is recorded."),
        Table("sent", "What it sent DfE or asked DfE about", ("figure", "period", "value", "notes"),
              _related_rows(answer.flows_from, _volume_cells),
              "No published figure of what it sent is recorded."),
        Table("applications", "Applications it made, whatever the outcome", APPLICATION_HEADER,
              _application_rows(answer.applications), "No application by it is recorded."),
        Table("commissioned", "Applications it commissioned", APPLICATION_HEADER,
              _application_rows(answer.commissioned), "No application it commissioned is recorded."),
        Table("statements", "What sources say of it", STATEMENT_HEADER,
              _statement_rows(store, [
                  *answer.statements, *(s for t in answer.releases for s in t.statements),
                  *(s for a in (*answer.applications, *answer.commissioned) for s in a.statements),
              ]),
              "No source's statement of what it got, sent, asked for or was refused is recorded."),
        Table("accessed", "Records it reached, and by what route", ACCESS_HEADER,
              _access_rows(organisation, answer.accessed, gave=False), "No access by it to records is recorded."),
        Table("gave-access", "Bodies it gave access to records", ACCESS_HEADER,
              _access_rows(organisation, answer.gave_access, gave=True), "No access it gave is recorded."),
        Table("holdings", "Record sets it holds or is named receiving", ("record set", "its part, as a source says"),
              _holding_rows(answer.holdings), "No record set held by it is recorded."),
        Table("events", "Events that concern it", ("date", "event", "kind", "in the source's words"),
              _event_rows(organisation, answer.events), "No event concerning it is recorded."),
    )  # fmt: skip
    return AuditReport(f"Organisation {organisation.name}", (organisation,), tables, drawing.picture())


ACCESS_HEADER = ("with", "when", "what went, and by what route", "in the source's words", "notes")
#: An onward share says what went in its source's words already (Disclosure.words): beside it, the compiler's notes
#: on the row (a service built on the records, not the records; the recipient's denial).
ONWARD_HEADER = ("with", "when", "what went, and by what route", "notes")
#: What an access row says beside what went: the source's words, and the compiler's notes on the row, which say
#: what they alone do not (the LRS Trustopia searched "is not the NPD"; the police force DfE's answer would name
#: "is not in the page as read": npd_flows_2018_onward.csv rows 2 and 13). An onward row's words are in what went.
QUOTE_AND_NOTES = ("quote", "notes")
NOTES = ("notes",)


def _access_rows(
    organisation: Node, links: Iterable[Related], *, gave: bool, said: tuple[str, ...] = QUOTE_AND_NOTES
) -> tuple[TableRow, ...]:
    """Each access to records the organisation took (the records and the ACCESSED_BY link) or ``gave`` (the body
    given it), or each onward share to it or by it, as recipientsByType and the parents' page give it (a
    Disclosure: when, and what went by what route, in the source's words), beside the other end and the link's
    properties ``said`` (the source's words and the notes, or the notes); the link's certainty and sources."""
    rows = []
    for r in links:
        access = Disclosure(organisation, r) if gave else Disclosure(r.node, Related(organisation, r.link))
        cells = (r.node.name, access.when, access.words, *(value_text(r.link.props.get(name)) for name in said))
        rows.append(TableRow(cells, access.certainty, _cited(r.link)))
    return tuple(rows)


def _holding_rows(links: Iterable[Related]) -> tuple[TableRow, ...]:
    """A record set it holds, with its part in holding it as the source gives it (never another row's words)."""
    return tuple(
        TableRow((r.node.name, value_text(r.link.props.get("role")) or "not stated"), r.link.certainty,
                 _cited(r.link))
        for r in links
    )  # fmt: skip


def _event_rows(organisation: Node, events: Iterable[Related]) -> tuple[TableRow, ...]:
    """Each event as the timeline gives it (a TimelineEntry: its date, with what it is, and what happened), its
    kind and the source's words; the CONCERNS link's certainty and the sources of the link and the event."""
    rows = []
    for r in events:
        # the organisation it concerns, with the link: the report asks no more of what else it concerns
        entry = TimelineEntry(r.node, entry_kind(r.node), (Related(organisation, r.link),))
        cells = (entry.when, entry.text, entry.kind, value_text(r.node.props.get("quote")))
        rows.append(TableRow(cells, r.link.certainty, _cited(r.link, r.node)))
    return tuple(rows)


def _volume_cells(node: Node) -> tuple[str, ...]:
    props = node.props
    value = props.get("value_text") or " ".join(
        v for v in (value_text(props.get("value")), value_text(props.get("unit"))) if v
    )
    return (
        str(props.get("measure") or node.name),
        value_text(props.get("period")),
        f"{value}{questions.figure_caveat(node)}",
        value_text(props.get("notes")),
    )


def _provenance_cells(item: str, relation: str) -> Callable[[Node], tuple[str, ...]]:
    return lambda node: (item, relation, node.name)


def item_report(store: Store, alias: str) -> AuditReport:
    """Where an item comes from (data set, collection, classification, rules, concepts) and who received it,
    or may have, under which approval."""
    provenances = questions.item_provenance(store, alias)
    answer = questions.recipients_of_item(store, alias)
    relations = (
        ("data set", "datasets"), ("collection", "collections"), ("classification", "classifications"),
        ("release rule", "release_rules"), ("concept", "concepts"), ("same concept as", "other_aliases"),
    )  # fmt: skip
    datasets = {d.node.id: d.node for p in provenances for d in p.datasets}
    provenance = tuple(
        row
        for p in provenances
        for relation, field in relations
        for row in _related_rows(getattr(p, field), _provenance_cells(_item_words(p.item, datasets), relation))
    )
    drawing = _Drawing()
    receipts = []
    for receipt in answer.receipts:
        receipts.append(_receipt_row(receipt))
        _draw_receipt(drawing, receipt, datasets)
    title = f"Data item {alias}" + (f" ({len(answer.items)} tables)" if len(answer.items) > 1 else "")
    tables = (
        Table("provenance", "Where it comes from", ("item", "relation", "to"), provenance,
              "Nothing upstream of this item is recorded."),
        Table("recipients", "Who received it, or may have",
              ("date", "release", "organisation", "approval", "route"), tuple(receipts),
              "No release of this item, or of a data set holding it, is recorded."),
        Table("not-received", "Who a source says did not get it, or was refused it",
              ("organisation", *STATEMENT_HEADER), _not_received_rows(store, answer.not_received),
              "No source says anyone did not get it."),
        Table("unpublished", "Received NPD data whose items are not published: it may hold this item, or not",
              ("date", "release", "organisation", "type"), tuple(map(_unpublished_row, answer.unpublished_scope)),
              "No release of unpublished scope that may hold it is recorded."),
        Table("asked-about", "Ask DfE about pupils, the record not saying this item came back",
              ("organisation", "what it sends and gets back, as sources say", "published figures"),
              tuple(map(_asking_row, answer.asked_about)), "No organisation asking DfE about pupils is recorded."),
    )  # fmt: skip
    return AuditReport(title, answer.items, tables, drawing.picture())


def _not_received_rows(store: Store, answers: Iterable[questions.NotReceived]) -> tuple[TableRow, ...]:
    return tuple(
        TableRow(
            (n.organisation.name if n.organisation else "organisation not named", *row.cells),
            n.certainty,
            row.citations,
        )
        for n in answers
        for row in _statement_rows(store, [n.stated])
    )


def _unpublished_row(u: questions.UnpublishedScope) -> TableRow:
    cells = (
        value_text(u.date) or "not given",
        u.release.name,
        u.organisation.name,
        value_text(u.organisation.props.get("org_type")),
    )
    return TableRow(cells, u.certainty, _cited(u.release, u.sent))


def _asking_row(a: questions.MatchingRequests) -> TableRow:
    said = "; ".join(
        f"{STATEMENT_KINDS.get(s.kind, s.kind)}: {s.statement.props.get('items_as_written', '')}" for s in a.statements
    )
    figures = "; ".join(
        f"{f.node.props.get('measure', f.node.name)} ({value_text(f.node.props.get('period'))}): "
        f"{value_text(f.node.props.get('value') or f.node.props.get('value_text'))}{questions.figure_caveat(f.node)}"
        for f in a.flows
    )
    sources = _cited(a.organisation, *(s.statement for s in a.statements), *(f.node for f in a.flows))
    return TableRow((a.organisation.name, said or "none stated", figures or "none published"), a.certainty, sources)


def _receipt_row(receipt: questions.Receipt) -> TableRow:
    route = f"onward from {receipt.onward_from.name}" if receipt.onward_from else "direct"
    if receipt.statement is not None and receipt.statement.props.get("contested"):
        route += "; contested: another cited source disagrees"
    cells = (
        value_text(receipt.date), receipt.release.name, receipt.organisation.name,
        receipt.approval.name if receipt.approval else "none recorded", route,
    )  # fmt: skip
    return TableRow(cells, receipt.certainty, _cited(receipt.release, *receipt.chain))


def _draw_receipt(drawing: _Drawing, receipt: questions.Receipt, datasets: dict[str, Node]) -> None:
    """Item (or the data set holding it) -> release -> approval -> recipient -> onward recipient. A receipt a
    source's statement gives reaches the item by its words (REFERS_TO) and its recipient through the release
    or application it is about, or through none where it is about the organisation itself."""
    edges: dict[EdgeKind, Edge] = {}
    for edge in receipt.chain:
        edges.setdefault(edge.kind, edge)

    def step(*kinds: EdgeKind) -> Certainty:
        """The certainty of the chain's first link of these kinds, else the receipt's own."""
        return next((edges[kind].certainty for kind in kinds if kind in edges), receipt.certainty)

    holds = edges.get(EdgeKind.HOLDS)
    data = datasets.get(holds.source, receipt.item) if holds else receipt.item
    release = drawing.box(RELEASE, receipt.release)
    drawing.link(drawing.box(DATA, data), release, step(EdgeKind.INCLUDES, EdgeKind.REFERS_TO))
    via = release
    if receipt.approval is not None:
        via = drawing.box(APPROVAL, receipt.approval)
        drawing.link(release, via, step(EdgeKind.APPROVED_BY))
    recipient = drawing.box(RECIPIENT, receipt.onward_from or receipt.organisation)
    drawing.link(via, recipient, step(EdgeKind.SENT_TO, EdgeKind.MADE_BY))
    if receipt.onward_from is not None:
        drawing.link(recipient, drawing.box(ONWARD, receipt.organisation), step(EdgeKind.SHARES_ONWARD))


#: The subjects a report can be about, and how to build each.
SUBJECTS: dict[str, Callable[[Store, str], AuditReport]] = {
    "release": release_report,
    "organisation": organisation_report,
    "item": item_report,
}
