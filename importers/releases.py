"""Releases of NPD data and published volumes of flows: the two compiled public-record files.

``register-foi`` reads ``npd_register_entries_cited_in_foi.csv``: real entries of DfE's data-share
registers as quoted in FOI requests. Each row gives a Release (the share), the Organisation it names,
and only what the row itself says:

- Release key: the register reference where the row gives one (``DR170518.02``, ``DS00804``, ``R0043``);
  otherwise ``<register slug>/<date>/<organisation slug>`` (e.g.
  ``npd-third-party-requests-pre-dsap/2013-02-20/daily-telegraph``), stable as long as the row's register,
  date and organisation are. A row needs a reference, or a date and an organisation.
- SENT_TO the organisation, with the certainty the status allows: ``listed as recipient`` is confirmed;
  an ``approved`` request is taken as sent by the rule ``sent-to:approved-request``; an application only
  (``submitted for DSAP approval``, ``application referenced``) names the applicant, by the rule
  ``sent-to:named-on-application``. A ``rejected`` row released nothing and is skipped. A row that names
  no single organisation (a redacted name, "Local Authorities") keeps its Release without SENT_TO.
- An Approval (+APPROVED_BY) only where the row says so: a ``DS`` reference is a Data Sharing Approvals
  Panel case (panel DSAP, inferred by ``approval:dsap-reference``); an ``approved`` status gives a
  confirmed Approval whose panel the row does not name, so none is set. No legal gateway is ever set.
- A release approved for "tier 1 or tier 2 data" INCLUDES every DataItem of those old tiers already in
  the store, at tier level (never confirmed); the tiers are on the Release either way, and when no
  such item is in the store yet the report counts why no edge was drawn.

``sharing-figures`` reads ``npd_sharing_figures_compiled.csv``: published figures, each an AggregateFlow
(``verified`` is False for the topic ``unverified``) valid over its period where the period is a plain
``YYYY[-MM[-DD]][..YYYY[-MM[-DD]]]``. It FLOWS_TO the named body on the receiving side of the flow
(both sides of ``<->``), never to DfE itself (the holder of the NPD) and never to a group ("Police",
"third parties": see the alias table). It DRAWS_ON a Dataset or Collection only when the flow names one
that is in the store. Each figure cites its own source document and address.

Facts left out of a row that is otherwise written are counted in the report as ``not drawn: ...``
reasons (they do not count as skipped rows).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from importers import register
from importers.base import BadInput, Batch, Importer, Report, Row, parse_date, read_csv, refuse_duplicates
from importers.organisations import Organisations, Resolved, normalise
from lineage.model import (
    ALWAYS,
    CONFIRMED,
    Certainty,
    CertaintyLevel,
    Citation,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    Scalar,
    Validity,
)
from lineage.store import Store

REFERENCE = re.compile(r"^(?:DR\d{6}\.\d{2}|DS\d{5}|R\d{4})$")
TIER_LEVEL = Certainty(CertaintyLevel.TIER_LEVEL)
SENT_IF_APPROVED = Certainty(CertaintyLevel.INFERRED, "sent-to:approved-request")
SENT_IF_APPLIED = Certainty(CertaintyLevel.INFERRED, "sent-to:named-on-application")
DSAP_BY_REFERENCE = Certainty(CertaintyLevel.INFERRED, "approval:dsap-reference")


def slug(text: str) -> str:
    """Lower-case letters and digits joined by "-": a key part that survives any spelling of spaces and marks."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def release_key(reference: str, register: str, date: dt.date | None, organisation: str) -> str:
    """The Release natural key: the reference, else register/date/organisation (see the module doc)."""
    if reference:
        return reference
    return f"{slug(register)}/{date.isoformat() if date else 'undated'}/{slug(normalise(organisation))}"


def parse_tiers(text: str) -> tuple[str, ...]:
    """The old tiers (1-4) a text names: "tier 1 or tier 2 data", "Tier 1/2", or a bare list "1, 2"."""
    lowered = text.lower()
    if "tier" in lowered:
        found = [
            digit
            for span in re.findall(r"tiers?\s*([1-4](?:\s*(?:,|/|or|and|&)\s*(?:tier\s*)?[1-4])*)", lowered)
            for digit in re.findall(r"[1-4]", span)
        ]
    else:
        found = re.findall(r"\b[1-4]\b", lowered)
    return tuple(sorted(set(found)))


def count_omission(report: Report, reason: str) -> None:
    """Count a fact left out of a row that is written anyway (not a skipped row)."""
    report.skipped[f"not drawn: {reason}"] += 1


@dataclass(frozen=True, slots=True)
class Share:
    """What a register says about one release."""

    key: str
    register: str
    reference: str
    date: dt.date | None
    organisation: str  # as cited
    status: str
    citation: Citation
    sent_to: Certainty = CONFIRMED
    tiers: tuple[str, ...] = ()
    purpose: str = ""
    scope_published: bool = False

    @property
    def label(self) -> str:
        return self.reference or (self.date.isoformat() if self.date else self.key)


@dataclass(frozen=True, slots=True)
class Decision:
    """What a register says about the approval of one release; empty fields are not stated."""

    panel: str = ""
    decision_date: dt.date | None = None
    legal_gateway: str = ""
    access_route: str = ""
    certainty: Certainty = CONFIRMED


class ReleaseGraph:
    """Builds the Release, Approval and Organisation nodes and their edges for one import (shared by the
    register importers); reads the store only to find items and keep organisation variants."""

    def __init__(self, store: Store, report: Report) -> None:
        self.store = store
        self.report = report
        self.organisations = Organisations()
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self._tier_items: dict[tuple[str, ...], list[str]] = {}

    def add(self, share: Share, decision: Decision | None) -> str:
        props: dict[str, Scalar] = {"register": share.register}
        props.update(_present(reference=share.reference, date=share.date, status=share.status, purpose=share.purpose))
        if share.tiers:
            props["tiers"] = share.tiers
        props["scope_published"] = share.scope_published
        cites = frozenset({share.citation})
        shown = " ".join(share.organisation.split()) or "organisation not named"
        release = Node(NodeKind.RELEASE, share.key, f"{share.label}: {shown}", props, cites)
        self.nodes.append(release)
        if decision is not None:
            self._approve(release, share, decision)
        found = self.organisations.add(share.organisation, share.citation)
        if isinstance(found, Resolved):
            self.edges.append(Edge(release.id, EdgeKind.SENT_TO, found.id, citations=cites, certainty=share.sent_to))
        else:
            count_omission(self.report, f"SENT_TO ({found.reason})")
        if share.tiers:
            self._include_tiers(release.id, share)
        return release.id

    def include(self, release_id: str, target_id: str, citation: Citation) -> None:
        """A confirmed INCLUDES: the register names this data set or item for the release."""
        self.edges.append(Edge(release_id, EdgeKind.INCLUDES, target_id, citations=frozenset({citation})))

    def batch(self) -> Batch:
        """Everything added, with the organisations folded (and their stored variants kept)."""
        return Batch([*self.nodes, *self.organisations.nodes(self.store)], self.edges)

    def _approve(self, release: Node, share: Share, decision: Decision) -> None:
        props = _present(
            panel=decision.panel,
            decision_date=decision.decision_date,
            legal_gateway=decision.legal_gateway,
            access_route=decision.access_route,
        )
        who = f"{decision.panel} approval" if decision.panel else "Approval (panel not stated)"
        approval = Node(
            NodeKind.APPROVAL,
            f"{decision.panel or 'unstated'}:{share.key}",
            f"{who} of {release.name}",
            props,
            frozenset({share.citation}),
            decision.certainty,
        )
        self.nodes.append(approval)
        self.edges.append(
            Edge(
                release.id,
                EdgeKind.APPROVED_BY,
                approval.id,
                citations=frozenset({share.citation}),
                certainty=decision.certainty,
            )
        )

    def _include_tiers(self, release_id: str, share: Share) -> None:
        items = self._tier_items.get(share.tiers)
        if items is None:
            found = self.store.find_nodes(NodeKind.DATA_ITEM, "old_tier", [int(tier) for tier in share.tiers])
            items = self._tier_items[share.tiers] = [node.id for node in found]
        if not items:
            tiers = "/".join(share.tiers)
            count_omission(self.report, f"INCLUDES at tier level (no DataItem of old tier {tiers} in the store yet)")
        cites = frozenset({share.citation})
        self.edges.extend(
            Edge(release_id, EdgeKind.INCLUDES, item, citations=cites, certainty=TIER_LEVEL) for item in items
        )


def _present(**values: Scalar | None) -> dict[str, Scalar]:
    """The values that are stated (not empty, not None)."""
    return {name: value for name, value in values.items() if value not in ("", None)}


def _required(path: Path, row: Row, column: str) -> str:
    text = row[column].strip()
    if not text:
        raise BadInput(path, "must not be empty", row.number, column)
    return text


@register
class RegisterFoiImporter(Importer):
    name = "register-foi"
    document = "DfE data-share register entries quoted in FOI requests (compiled)"
    bundled = "npd_register_entries_cited_in_foi.csv"
    columns = (
        "register",
        "reference",
        "date_as_cited",
        "organisation",
        "status_as_cited",
        "cited_context",
        "source_url",
    )

    def extract(self, path: Path) -> Iterable[Row]:
        return read_csv(path, self.columns)

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        parsed = [(row, self._share(path, row)) for row in rows]
        refuse_duplicates(path, "reference", ((share.key, row) for row, share in parsed if share.reference))
        refuse_duplicates(
            path,
            "register, date_as_cited, organisation",
            ((share.key, row) for row, share in parsed if not share.reference),
        )
        graph = ReleaseGraph(store, report)
        for _row, share in parsed:
            if share.status.lower().startswith("rejected"):
                report.skip("rejected: no data was released")
                continue
            graph.add(share, _decision(share))
        return graph.batch()

    def _share(self, path: Path, row: Row) -> Share:
        register_name = _required(path, row, "register")
        status = _required(path, row, "status_as_cited")
        address = _required(path, row, "source_url")
        reference = row["reference"].strip()
        if reference and not REFERENCE.match(reference):
            message = f"{reference!r} is not a DRyymmdd.nn, DS00nnn or R00nn reference"
            raise BadInput(path, message, row.number, "reference")
        date = parse_date(path, row, "date_as_cited")
        organisation = row["organisation"].strip()
        if not reference and not (date and normalise(organisation)):
            raise BadInput(path, "a row needs a reference, or a date and an organisation", row.number, "reference")
        return Share(
            release_key(reference, register_name, date, organisation),
            register_name,
            reference,
            date,
            organisation,
            status,
            Citation(self.document, path.name, row.number, address),
            _sent_to(status),
            parse_tiers(status),
        )


def _sent_to(status: str) -> Certainty:
    lowered = status.lower()
    if "recipient" in lowered:
        return CONFIRMED
    if lowered.startswith("approved"):
        return SENT_IF_APPROVED
    return SENT_IF_APPLIED


def _decision(share: Share) -> Decision | None:
    if share.reference.startswith("DS"):
        return Decision(panel="DSAP", certainty=DSAP_BY_REFERENCE)
    if share.status.lower().startswith("approved"):
        return Decision()
    return None


# ---- published figures --------------------------------------------------------------------------

_PERIOD = re.compile(r"^(\d{4}(?:-\d{2}){0,2})(?:\.\.(\d{4}(?:-\d{2}){0,2}))?$")
_NUMBER = re.compile(r"^-?\d+(?:,\d{3})*(?:\.\d+)?$")
#: Names of the NPD's holder: a flow into DfE is not a flow to a recipient.
HOLDER_KEYS = frozenset({"dfe", "department for education", "npd"})


def _bound(text: str, *, end: bool) -> dt.date:
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        year, month = parts
        return dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)


def parse_period(path: Path, row: Row, column: str = "period") -> Validity:
    """The validity of a published period: ``2012-04..2016-10`` is 1 April 2012 to 31 October 2016, a single
    ``2015-12-28`` or ``2020-06`` is that day or month; any other wording holds always (kept as text)."""
    match = _PERIOD.match(row[column].strip())
    if not match:
        return ALWAYS
    start, finish = match.group(1), match.group(2) or match.group(1)
    try:
        return Validity(_bound(start, end=False), _bound(finish, end=True))
    except ValueError as exc:
        raise BadInput(path, f"not a period of real dates: {exc}", row.number, column) from None


def flow_recipients(flow: str) -> list[str]:
    """The receiving side(s) of a published flow: B in ``A -> B``, both in ``A <-> B``, none otherwise."""
    if "<->" in flow:
        return [side.strip() for side in flow.split("<->", 1)]
    if "->" in flow:
        return [flow.split("->", 1)[1].strip()]
    return []


def flow_ends(flow: str) -> list[str]:
    """Both sides of a published flow (or the whole text when it has no arrow), to find a data set it names."""
    return [side.strip() for side in re.split(r"<->|->", flow) if side.strip()]


def named_sources(store: Store, kinds: Iterable[NodeKind] = (NodeKind.DATASET, NodeKind.COLLECTION)) -> dict[str, str]:
    """Nodes of ``kinds`` (data sets and collections) in the store by lower-case key and name, to find the
    ones a source names. A name that several nodes share is left out: it names none of them for certain."""
    found: dict[str, set[str]] = defaultdict(set)
    for kind in kinds:
        offset = 0
        while True:
            page = store.list_nodes(kind, limit=1000, offset=offset)
            for node in page.items:
                found[node.key.lower()].add(node.id)
                found[node.name.lower()].add(node.id)
            offset += len(page.items)
            if not page.items or offset >= page.total:
                break
    return {name: ids.pop() for name, ids in found.items() if len(ids) == 1}


@register
class SharingFiguresImporter(Importer):
    name = "sharing-figures"
    document = "Published figures on NPD sharing (compiled)"
    bundled = "npd_sharing_figures_compiled.csv"
    columns = ("topic", "period", "flow", "measure", "value", "unit", "source", "source_url", "notes")

    def extract(self, path: Path) -> Iterable[Row]:
        return read_csv(path, self.columns)

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        rows = list(rows)
        flows = [self._flow(path, row) for row in rows]
        keyed = ((node.key, row) for node, row in zip(flows, rows, strict=True))
        refuse_duplicates(path, "topic, period, measure", keyed)
        sources = named_sources(store)
        organisations = Organisations()
        edges: list[Edge] = []
        for node, row in zip(flows, rows, strict=True):
            cites = node.citations
            if not node.props["verified"]:
                count_omission(report, "FLOWS_TO (an unverified figure)")
            else:
                for name in flow_recipients(row["flow"]):
                    if normalise(name) in HOLDER_KEYS:
                        continue
                    found = organisations.add(name, next(iter(cites)))
                    if isinstance(found, Resolved):
                        edges.append(
                            Edge(node.id, EdgeKind.FLOWS_TO, found.id, citations=cites, validity=node.validity)
                        )
                    else:
                        count_omission(report, f"FLOWS_TO ({found.reason})")
            drawn = {sources[end.lower()] for end in flow_ends(row["flow"]) if end.lower() in sources}
            if not drawn:
                count_omission(report, "DRAWS_ON (the flow names no data set or collection in the store)")
            edges.extend(Edge(node.id, EdgeKind.DRAWS_ON, target, citations=cites) for target in sorted(drawn))
        return Batch([*flows, *organisations.nodes(store)], edges)

    def _flow(self, path: Path, row: Row) -> Node:
        topic, measure = _required(path, row, "topic"), _required(path, row, "measure")
        period, flow = row["period"].strip(), row["flow"].strip()
        value = row["value"].strip()
        props: dict[str, Scalar] = {"topic": topic, "period": period, "flow": flow, "measure": measure}
        if _NUMBER.match(value):
            props["value"] = float(value.replace(",", ""))
        elif value:
            props["value_text"] = value
        props.update(_present(unit=row["unit"].strip(), notes=row["notes"].strip()))
        props["verified"] = topic != "unverified"
        citation = Citation(_required(path, row, "source"), path.name, row.number, _required(path, row, "source_url"))
        name = f"{flow or topic}: {measure}, {period or 'period not given'}"
        return Node(
            NodeKind.AGGREGATE_FLOW,
            f"{topic}:{period}:{measure}",
            name,
            props,
            frozenset({citation}),
            validity=parse_period(path, row),
        )
