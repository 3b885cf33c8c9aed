"""Audit reports: one release, organisation or data item traced through the graph, as one document.

An auditor hands the report on as it is, so it stands alone: HTML with its style and its flow picture
(inline SVG drawn here) inside, no script and no external file; or Markdown with the same SVG inline.
Every row says how sure it is and which numbered sources it rests on; the sources are listed at the
end with their addresses (links in HTML). Every name is escaped: the record holds quotes, ampersands
and any script. The report is built from the campaign's questions (lineage.questions), so it says
exactly what the API says.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from lineage import questions
from lineage.errors import LineageError
from lineage.files import WriteError, write_atomically
from lineage.model import (
    Certainty,
    CertaintyLevel,
    Citation,
    Edge,
    EdgeKind,
    Node,
    Scalar,
    node_props,
    ordered_citations,
    weakest,
)
from lineage.questions import Related, ReleaseTrace
from lineage.store import Store

#: What each level of certainty means, as the model defines it; every report explains it.
CERTAINTY_MEANING = {
    CertaintyLevel.CONFIRMED: "DfE's own documents or Parliament state it",
    CertaintyLevel.REPORTED: "a campaigner's, requester's or press account of the record states it",
    CertaintyLevel.CLAIMED: "the recipient's own description states it",
    CertaintyLevel.TIER_LEVEL: "holds because an approval covered a whole tier, not a listed item",
    CertaintyLevel.INFERRED: "derived from other facts by the rule named",
}


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[str, ...]
    certainty: Certainty
    citations: frozenset[Citation]


@dataclass(frozen=True, slots=True)
class Table:
    key: str  # the section's anchor
    title: str
    header: tuple[str, ...]  # the certainty and sources columns follow
    rows: tuple[Row, ...]
    empty: str  # said instead of an empty table: unknown and none are not the same


@dataclass(frozen=True, slots=True)
class Box:
    key: str
    label: str
    column: int


@dataclass(frozen=True, slots=True)
class Picture:
    """A left-to-right flow: boxes in columns, and links between them with their certainty."""

    boxes: tuple[Box, ...]
    links: tuple[tuple[str, str, Certainty], ...]


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    #: What the report is about: one node, or every item with the alias (one per table), each shown with its
    #: own facts, certainty and sources.
    records: tuple[Node, ...]
    tables: tuple[Table, ...]
    picture: Picture


# ---- the picture -----------------------------------------------------------------------------------

COLUMNS = ("items and data sets", "releases and flows", "approvals", "recipients", "onward")
DATA, RELEASE, APPROVAL, RECIPIENT, ONWARD = range(len(COLUMNS))
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


# ---- words -----------------------------------------------------------------------------------------


def certainty_text(certainty: Certainty) -> str:
    """A certainty in words: confirmed, tier level, or inferred by rule R (the rule named)."""
    if certainty.level is CertaintyLevel.INFERRED:
        return f"inferred by rule {certainty.rule}"
    return certainty.level.value.replace("_", " ")


def _value(value: Scalar | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return str(value)


def _facts(node: Node) -> tuple[tuple[str, str], ...]:
    """A node's properties in the model's order, then its validity, as (label, text)."""
    facts = [("id", node.id)]
    facts += [
        (prop.name.replace("_", " "), _value(node.props[prop.name]))
        for prop in node_props(node.kind)
        if prop.name in node.props
    ]
    if node.validity.valid_from or node.validity.valid_to:
        facts.append(("valid", f"{_value(node.validity.valid_from)} to {_value(node.validity.valid_to)}"))
    return tuple(facts)


def _cited(*sources: Node | Edge) -> frozenset[Citation]:
    return frozenset(citation for source in sources for citation in source.citations)


def _related_rows(items: Iterable[Related], cells: Callable[[Node], tuple[str, ...]]) -> tuple[Row, ...]:
    """A row per related node: its cells, the link's certainty, and the sources of the link and the node."""
    return tuple(Row(cells(r.node), r.link.certainty, _cited(r.link, r.node)) for r in items)


STATEMENT_HEADER = ("the source says", "in its words", "taken to mean", "contested by")


def _statement_rows(stated: Iterable[questions.Stated]) -> tuple[Row, ...]:
    """Each source's statement in its own words, what they are taken to mean (by the rule its links name), and
    the statements that contradict it, whose sources are cited in the same row."""
    rows = []
    for s in stated:
        meant = ", ".join(m.node.name for m in s.means) or "no concept or item (the words table does not map them)"
        against = "; ".join(
            f"{c.node.props.get('source_kind', c.node.name)}: {c.node.props.get('items_as_written', '')}"
            for c in s.contradicted_by
        )
        cells = (
            questions.STATEMENT_WORDS.get(s.kind, s.kind), str(s.statement.props.get("items_as_written", "")),
            meant, against or "none recorded",
        )  # fmt: skip
        links = [s.about.link, *(m.link for m in s.means), *(c.link for c in s.contradicted_by)]
        sources = _cited(s.statement, *links, *(c.node for c in s.contradicted_by))
        rows.append(Row(cells, s.statement.certainty, sources))
    return tuple(rows)


def _application_rows(applications: Iterable[questions.ApplicationTrace]) -> tuple[Row, ...]:
    """Each application with its outcome, what it asked for as far as a source says, and who commissioned it."""
    rows = []
    for a in applications:
        node = a.application
        asked = "; ".join(str(s.statement.props.get("items_as_written", "")) for s in a.statements) or "not stated"
        cells = (
            _value(node.props.get("date")) or _value(node.props.get("date_as_cited")), node.name, a.status,
            asked, ", ".join(c.node.name for c in a.commissioned_by) or "none named",
        )  # fmt: skip
        links = [*([a.made_by.link] if a.made_by else []), *(c.link for c in a.commissioned_by)]
        sources = _cited(node, *links, *(s.statement for s in a.statements))
        rows.append(Row(cells, node.certainty, sources))
    return tuple(rows)


APPLICATION_HEADER = ("date", "application", "outcome", "what it asked for, as a source says", "commissioned by")


def _organisation_cells(node: Node) -> tuple[str, ...]:
    return (node.name, _value(node.props.get("org_type")))


def _approval_cells(node: Node) -> tuple[str, ...]:
    props = node.props
    fields = ("panel", "decision_date", "legal_gateway", "access_route")
    return (node.name, *(_value(props.get(name)) or "not stated" for name in fields))


def _approval_summary(node: Node) -> str:
    gateway = node.props.get("legal_gateway")
    return f"{node.name}, under {gateway}" if gateway else node.name


APPROVAL_HEADER = ("approval", "panel", "decided", "legal gateway", "access route")


def _scope_unknown(release: Node) -> str:
    tiers = release.props.get("tiers")
    if tiers:
        return f"Approved for tier(s) {', '.join(tiers)}; no item of those tiers is linked to it in the graph."
    if release.props.get("scope_published") is False:
        return "The release's scope (data sets, items, years) is not published."
    return "No item or data set is linked to this release in the graph."


# ---- the three reports -----------------------------------------------------------------------------


def release_report(store: Store, reference: str) -> Report:
    """One release downstream: approval, recipients, what it included, onward sharing."""
    trace = questions.release_trace(store, reference)
    drawing = _Drawing()
    _draw_traces(drawing, [trace])
    sharers = {r.node.id: r.node.name for r in trace.recipients}
    onward = tuple(
        Row((sharers[r.link.source], r.node.name), r.link.certainty, _cited(r.link, r.node)) for r in trace.onward
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
              _statement_rows(trace.statements), "No source's statement of its items is recorded."),
    )  # fmt: skip
    return Report(f"Release {trace.release.name}", (trace.release,), tables, drawing.picture())


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


def organisation_report(store: Store, name: str) -> Report:
    """All an organisation received: releases with their approvals and scope, published volumes, onward
    shares in both directions."""
    answer = questions.organisation_receipts(store, name)
    organisation = answer.organisation
    shared = answer.shared_onward
    drawing = _Drawing()
    _draw_traces(drawing, answer.releases)
    here = drawing.box(RECIPIENT, organisation)
    for partner in shared:
        drawing.link(here, drawing.box(ONWARD, partner.node), partner.link.certainty)
    for flow in answer.aggregate_flows:
        label = ", ".join(
            _value(flow.node.props.get(name)) for name in ("measure", "period") if name in flow.node.props
        )
        drawing.link(drawing.box(RELEASE, flow.node, label), here, flow.link.certainty)
    for sharer in answer.received_onward:
        drawing.link(drawing.box(RELEASE, sharer.node, f"onward from {sharer.node.name}"), here, sharer.link.certainty)
    releases = []
    for trace in answer.releases:
        link = next(r.link for r in trace.recipients if r.node.id == organisation.id)
        approvals = "; ".join(_approval_summary(a.node) for a in trace.approvals)
        cells = (
            _value(trace.release.props.get("date")), trace.release.name,
            _value(trace.release.props.get("status")), approvals or "none recorded", _includes(trace),
        )  # fmt: skip
        links = [link, *(a.link for a in trace.approvals), *(r.link for r in trace.includes)]
        sources = _cited(trace.release, *links, *(a.node for a in trace.approvals))  # a set: each source once
        releases.append(Row(cells, weakest(e.certainty for e in links), sources))
    tables = (
        Table("releases", "Releases received", ("date", "release", "status", "approval", "includes"),
              tuple(releases), "No release to this organisation is recorded."),
        Table("volumes", "Published volumes", ("figure", "period", "value", "notes"),
              _related_rows(answer.aggregate_flows, _volume_cells), "No published volume is recorded."),
        Table("received-onward", "Received onward from", ("organisation", "type"),
              _related_rows(answer.received_onward, _organisation_cells), "No onward share to it is recorded."),
        Table("shared-onward", "Shared onward with", ("organisation", "type"),
              _related_rows(shared, _organisation_cells), "No onward share by it is recorded."),
        Table("sent", "What it sent DfE or asked DfE about", ("figure", "period", "value", "notes"),
              _related_rows(answer.flows_from, _volume_cells), "No published figure of what it sent is recorded."),
        Table("applications", "Applications it made, whatever the outcome", APPLICATION_HEADER,
              _application_rows(answer.applications), "No application by it is recorded."),
        Table("commissioned", "Applications it commissioned", APPLICATION_HEADER,
              _application_rows(answer.commissioned), "No application it commissioned is recorded."),
        Table("statements", "What sources say of it", STATEMENT_HEADER,
              _statement_rows([*answer.statements, *(s for t in answer.releases for s in t.statements)]),
              "No source's statement of what it got, sent or was refused is recorded."),
    )  # fmt: skip
    return Report(f"Organisation {organisation.name}", (organisation,), tables, drawing.picture())


def _volume_cells(node: Node) -> tuple[str, ...]:
    props = node.props
    value = props.get("value_text") or " ".join(v for v in (_value(props.get("value")), _value(props.get("unit"))) if v)
    return (str(props.get("measure") or node.name), _value(props.get("period")), str(value), _value(props.get("notes")))


def item_report(store: Store, alias: str) -> Report:
    """Where an item comes from (data set, collection, classification, rules, concepts) and who received it,
    or may have, under which approval."""
    provenances = questions.item_provenance(store, alias)
    answer = questions.recipients_of_item(store, alias)
    relations = (
        ("data set", "datasets"), ("collection", "collections"), ("classification", "classifications"),
        ("release rule", "release_rules"), ("concept", "concepts"), ("same concept as", "other_aliases"),
    )  # fmt: skip
    provenance = tuple(
        row
        for p in provenances
        for relation, field in relations
        for row in _related_rows(getattr(p, field), lambda n, p=p, relation=relation: (p.item.key, relation, n.name))
    )
    datasets = {d.node.id: d.node for p in provenances for d in p.datasets}
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
              ("organisation", *STATEMENT_HEADER), _not_received_rows(answer.not_received),
              "No source says anyone did not get it."),
        Table("unpublished", "Received NPD data whose items are not published: it may hold this item, or not",
              ("date", "release", "organisation", "type"), tuple(map(_unpublished_row, answer.unpublished_scope)),
              "No release of unpublished scope that may hold it is recorded."),
        Table("asked-about", "Ask DfE about pupils, the record not saying this item came back",
              ("organisation", "what it sends and gets back, as sources say", "published figures"),
              tuple(map(_asking_row, answer.asked_about)), "No organisation asking DfE about pupils is recorded."),
    )  # fmt: skip
    return Report(title, answer.items, tables, drawing.picture())


def _not_received_rows(answers: Iterable[questions.NotReceived]) -> tuple[Row, ...]:
    return tuple(
        Row(
            (n.organisation.name if n.organisation else "organisation not named", *row.cells),
            n.certainty,
            row.citations,
        )
        for n in answers
        for row in _statement_rows([n.stated])
    )


def _unpublished_row(u: questions.UnpublishedScope) -> Row:
    cells = (
        _value(u.date) or "not given",
        u.release.name,
        u.organisation.name,
        _value(u.organisation.props.get("org_type")),
    )
    return Row(cells, u.certainty, _cited(u.release, u.sent))


def _asking_row(a: questions.MatchingRequests) -> Row:
    said = "; ".join(
        f"{questions.STATEMENT_WORDS.get(s.kind, s.kind)}: {s.statement.props.get('items_as_written', '')}"
        for s in a.statements
    )
    figures = "; ".join(
        f"{f.node.props.get('measure', f.node.name)} ({_value(f.node.props.get('period'))}): "
        f"{_value(f.node.props.get('value') or f.node.props.get('value_text'))}"
        for f in a.flows
    )
    sources = _cited(a.organisation, *(s.statement for s in a.statements), *(f.node for f in a.flows))
    return Row((a.organisation.name, said or "none stated", figures or "none published"), a.certainty, sources)


def _receipt_row(receipt: questions.Receipt) -> Row:
    route = f"onward from {receipt.onward_from.name}" if receipt.onward_from else "direct"
    cells = (
        _value(receipt.date), receipt.release.name, receipt.organisation.name,
        receipt.approval.name if receipt.approval else "none recorded", route,
    )  # fmt: skip
    return Row(cells, receipt.certainty, _cited(receipt.release, *receipt.chain))


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
SUBJECTS: dict[str, Callable[[Store, str], Report]] = {
    "release": release_report,
    "organisation": organisation_report,
    "item": item_report,
}


# ---- rendering -------------------------------------------------------------------------------------


def _sources(report: Report) -> dict[Citation, int]:
    """Every citation in the report, numbered in order of first appearance."""
    numbers: dict[Citation, int] = {}
    groups = [
        *(node.citations for node in report.records),
        *(row.citations for table in report.tables for row in table.rows),
    ]
    for group in groups:
        for citation in ordered_citations(group):
            numbers.setdefault(citation, len(numbers) + 1)
    return numbers


def _is_web(address: str) -> bool:
    return address.startswith(("https://", "http://"))


def _source_text(citation: Citation) -> str:
    return ", ".join([citation.document, citation.file, *([f"row {citation.row}"] if citation.row else [])])


_E = html.escape  # quotes too: every value may land in an attribute
_BOX_W, _BOX_H, _GAP_X, _GAP_Y, _TOP, _MARGIN = 190, 34, 56, 12, 30, 8
_LABEL_CHARS = 25
_STROKES = {
    CertaintyLevel.CONFIRMED: "",
    CertaintyLevel.REPORTED: "9 3",
    CertaintyLevel.CLAIMED: "9 3 2 3",
    CertaintyLevel.TIER_LEVEL: "7 4",
    CertaintyLevel.INFERRED: "2 3",
}
_FILLS = ("#e8f0fb", "#fdf1dc", "#eeeeee", "#e3f4e6", "#f6e6f2")


def _dashes(level: CertaintyLevel) -> str:
    dash = _STROKES[level]
    return f' stroke-dasharray="{dash}"' if dash else ""


def svg(picture: Picture) -> str:
    """The flow as inline SVG, left to right, one column per stage; a link's dash says its certainty.
    No blank line inside, so Markdown keeps it as one HTML block."""
    place: dict[str, tuple[int, int]] = {}
    rows = [0] * len(COLUMNS)
    for box in picture.boxes:
        x = _MARGIN + box.column * (_BOX_W + _GAP_X)
        place[box.key] = (x, _TOP + rows[box.column] * (_BOX_H + _GAP_Y))
        rows[box.column] += 1
    width = _MARGIN * 2 + len(COLUMNS) * _BOX_W + (len(COLUMNS) - 1) * _GAP_X
    legend_y = _TOP + max(max(rows), 1) * (_BOX_H + _GAP_Y) + 10
    height = legend_y + 24
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="flow, left to right" '
        'font-family="sans-serif" font-size="12">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    ]
    for column, title in enumerate(COLUMNS):
        x = _MARGIN + column * (_BOX_W + _GAP_X)
        out.append(f'<text x="{x}" y="{_TOP - 10}" font-weight="bold">{_E(title)}</text>')
        if not rows[column]:
            out.append(f'<text x="{x}" y="{_TOP + 20}" fill="#777">none recorded</text>')
    for source, target, certainty in picture.links:
        (x1, y1), (x2, y2) = place[source], place[target]
        x1, y1, y2 = x1 + _BOX_W, y1 + _BOX_H // 2, y2 + _BOX_H // 2
        out.append(
            f'<path d="M{x1},{y1} C{x1 + _GAP_X // 2},{y1} {x2 - _GAP_X // 2},{y2} {x2 - 1},{y2}" fill="none" '
            f'stroke="#555" stroke-width="1.4"{_dashes(certainty.level)} marker-end="url(#arrow)">'
            f"<title>{_E(certainty_text(certainty))}</title></path>"
        )
    for box in picture.boxes:
        x, y = place[box.key]
        label = box.label if len(box.label) <= _LABEL_CHARS else box.label[: _LABEL_CHARS - 1] + "…"
        out.append(
            f'<g><title>{_E(box.label)}</title><rect x="{x}" y="{y}" width="{_BOX_W}" height="{_BOX_H}" rx="4" '
            f'fill="{_FILLS[box.column]}" stroke="#888"/>'
            f'<text x="{x + 8}" y="{y + _BOX_H // 2 + 4}">{_E(label)}</text></g>'
        )
    x = _MARGIN
    for level in CertaintyLevel:
        out.append(f'<line x1="{x}" y1="{legend_y}" x2="{x + 36}" y2="{legend_y}" stroke="#555"{_dashes(level)}/>')
        out.append(f'<text x="{x + 42}" y="{legend_y + 4}">{_E(level.value.replace("_", " "))}</text>')
        x += 150
    out.append("</svg>")
    return "\n".join(out)


_STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
.certainty-confirmed { color: #1b5e20; }
.certainty-tier_level { color: #8a5a00; }
.certainty-inferred { color: #6a1b9a; }
.flow { overflow-x: auto; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
dt { font-weight: bold; }
"""


def to_html(report: Report) -> str:
    """One self-contained HTML document: style and picture inside, no script, links only to the sources."""
    numbers = _sources(report)

    def refs(citations: Iterable[Citation]) -> str:
        return " ".join(f'<a href="#source-{numbers[c]}">[{numbers[c]}]</a>' for c in ordered_citations(citations))

    def certainty(value: Certainty) -> str:
        return f'<span class="certainty-{value.level.value}">{_E(certainty_text(value))}</span>'

    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        f"<title>Audit report: {_E(report.title)}</title>",
        f"<style>{_STYLE}</style></head>",
        "<body><main>",
        f"<h1>Audit report: {_E(report.title)}</h1>",
        f"<p>{_E(_INTRODUCTION)}</p>",
        "<ul>"
        + "".join(
            f"<li><b>{_E(level.value.replace('_', ' '))}</b>: {_E(meaning)}</li>"
            for level, meaning in CERTAINTY_MEANING.items()
        )
        + "</ul>",
        f'<section id="subject"><h2>{_record_title(report)}</h2>',
        *(
            "<dl>"
            + "".join(f"<dt>{_E(label)}</dt><dd>{_E(text)}</dd>" for label, text in _facts(node))
            + f"<dt>certainty</dt><dd>{certainty(node.certainty)}</dd>"
            + f"<dt>sources</dt><dd>{refs(node.citations)}</dd></dl>"
            for node in report.records
        ),
        "</section>",
        f'<section id="flow"><h2>The flow</h2><div class="flow">\n{svg(report.picture)}\n</div></section>',
    ]
    for table in report.tables:
        out.append(f'<section id="{_E(table.key)}"><h2>{_E(table.title)}</h2>')
        if not table.rows:
            out.append(f'<p class="empty">{_E(table.empty)}</p></section>')
            continue
        head = "".join(f"<th>{_E(h)}</th>" for h in (*table.header, "certainty", "sources"))
        out.append(f"<table><thead><tr>{head}</tr></thead><tbody>")
        for row in table.rows:
            cells = "".join(f"<td>{_E(cell)}</td>" for cell in row.cells)
            out.append(f"<tr>{cells}<td>{certainty(row.certainty)}</td><td>{refs(row.citations)}</td></tr>")
        out.append("</tbody></table></section>")
    out.append('<section id="sources"><h2>Sources</h2><ol>')
    for citation, number in numbers.items():
        address = citation.address
        where = (
            f'<a class="citation" href="{_E(address)}" rel="noreferrer">{_E(address)}</a>'
            if _is_web(address)
            else _E(address)
        )
        out.append(f'<li id="source-{number}">{_E(_source_text(citation))}{": " if address else ""}{where}</li>')
    out += ["</ol></section>", "</main></body>", "</html>", ""]
    return "\n".join(out)


def _record_title(report: Report) -> str:
    return "The record" if len(report.records) == 1 else f"The records ({len(report.records)})"


_INTRODUCTION = (
    "What the public record, as gathered in the pupil-data lineage graph, says about this subject. Every row "
    "gives its certainty and its sources, numbered and listed at the end with their addresses."
)
_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]|#~!"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;"})
#: What GitHub-flavoured Markdown turns into a link with no markup: a scheme's "://", "www." and an
#: address's "@". A backslash before the ":", "." or "@" keeps the text and stops the link.
_AUTOLINK = re.compile(r":(?=//)|(?<=www)\.|@", re.IGNORECASE)


def _md_text(text: str) -> str:
    return " ".join(text.split()).translate(_MD_SPECIAL)


def _md(text: str) -> str:
    """Text safe in a Markdown paragraph or table cell: no markup, no HTML, no link, one line."""
    return _AUTOLINK.sub(lambda found: f"\\{found.group()}", _md_text(text))


def _md_link(address: str) -> str:
    """A cited address as a link: the one kind of link a report makes."""
    return f"[{_md_text(address)}]({quote(address, safe=':/?#[]@!$&*+,;=%~-._')})"


def to_markdown(report: Report) -> str:
    """The same report in Markdown: tables, the SVG inline as an HTML block, the sources as a list."""
    numbers = _sources(report)

    def refs(citations: Iterable[Citation]) -> str:
        return " ".join(f"\\[{numbers[c]}\\]" for c in ordered_citations(citations))

    def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
        return [
            "| " + " | ".join(map(_md, header)) + " |",
            "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in rows),
            "",
        ]

    out = [f"# Audit report: {_md(report.title)}", "", _md(_INTRODUCTION), ""]
    out += [
        f"- **{_md(level.value.replace('_', ' '))}**: {_md(meaning)}" for level, meaning in CERTAINTY_MEANING.items()
    ] + [""]
    out += [f"## {_record_title(report)}", ""]
    for node in report.records:
        facts = [(_md(label), _md(text)) for label, text in _facts(node)]
        facts += [("certainty", _md(certainty_text(node.certainty))), ("sources", refs(node.citations))]
        out += table(("property", "value"), facts)
    out += ["## The flow", "", '<div class="flow">', svg(report.picture), "</div>", ""]
    for t in report.tables:
        out += [f"## {_md(t.title)}", ""]
        if not t.rows:
            out += [_md(t.empty), ""]
            continue
        rows = [(*map(_md, row.cells), _md(certainty_text(row.certainty)), refs(row.citations)) for row in t.rows]
        out += table((*t.header, "certainty", "sources"), rows)
    out += ["## Sources", ""]
    for citation, number in numbers.items():
        address = citation.address
        where = _md_link(address) if _is_web(address) else _md(address)
        out.append(f"{number}. {_md(_source_text(citation))}{': ' if address else ''}{where}")
    return "\n".join(out) + "\n"


FORMATS: dict[str, Callable[[Report], str]] = {"html": to_html, "md": to_markdown}


def report(store: Store, subject: str, reference: str, fmt: str = "html") -> str:
    """The audit report on ``subject`` ("release", "organisation" or "item") named by ``reference``."""
    build = SUBJECTS.get(subject)
    if build is None:
        raise LineageError(f"unknown report subject {subject!r}; known: {', '.join(SUBJECTS)}")
    render = FORMATS.get(fmt)
    if render is None:
        raise LineageError(f"unknown report format {fmt!r}; known: {', '.join(FORMATS)}")
    return render(build(store, reference))


def write_report(text: str, output: Path) -> None:
    """Write a report whole, or not at all."""
    if output.is_dir():
        raise WriteError(f"cannot write the report to {output}: it is a directory")
    write_atomically(output, lambda handle: handle.write(text.encode("utf-8")))
