"""Applications and releases: the compiled entries of DfE's data-share registers.

``register-foi`` reads ``npd_register_entries_cited_in_foi.csv`` (real entries of DfE's data-share
registers as FOI answers gave them: DfE's word, confirmed); ``register-more`` reads
``npd_register_entries_more.csv`` (more entries and standing arrangements, each row naming its kind of
source, so a requester's or campaigner's wording is ``reported``, see ``importers/source_kinds.py``). Each
row is an Application, and says only what the row itself says:

- Key: the register reference where the row gives one (``DR170518.02``, ``DS00804``, ``R0043``);
  otherwise ``<register slug>/<date>/<organisation slug>`` (e.g.
  ``npd-third-party-requests-pre-dsap/2013-02-20/daily-telegraph``), the date being the whole date or,
  where the source gives none ("October 2013", "last year (as reported June 2015)"), its own words: a date
  is never guessed. A Release drawn from the application has the same key, so two files naming one
  reference meet on one node (what is stored stays; the new row adds its citation).
- The Application's ``status`` is what its status as cited says (:data:`OUTCOMES`): approved, released
  (listed as recipient), submitted for approval, pending, rejected, not pursued, arrangement, match flag
  only, policy, or not stated. It is MADE_BY the organisation, and named for what it is of it
  (:func:`lineage.model.party_words`): an application by it, an arrangement with it, or DfE's stated policy of
  sharing with it, which it never applied for.
- A Release (LED_TO from the application, SENT_TO the organisation) only where the record says data was
  released, approved or listed as a recipient: ``listed as recipient`` and a standing exchange are sent as
  sure as the row's source; an ``approved`` request is taken as sent by the rule ``sent-to:approved-request``.
  An application only (``submitted for DSAP approval``, ``application referenced``, an application form
  released in an FOI answer), a rejected, pending or unstated one draws no Release: it says nothing about
  data leaving DfE, and is answered as an application with its status. A row that
  names no single organisation (a redacted name, "Local Authorities") keeps its nodes without the edge. An
  application whose entry names its commissioners ("LSE commissioned by Home Office and Youth Endowment
  Fund") is COMMISSIONED_BY each, by the rule ``commissioned-by:named-in-entry``.
- An Approval (+APPROVED_BY) only where the row says the application was approved; its panel is not
  named, so none is set. No legal gateway is ever set.
- A release approved for "tier 1 or tier 2 data" INCLUDES, at tier level (never confirmed), every DataItem
  of those old tiers already in the store that was populated by the release's date (an item first
  populated in a later academic year is left out and counted: :data:`TIME_CHECK`); the tiers are on the
  Release either way, and when no such item is in the store yet the report counts why no edge was drawn.

Facts left out of a row that is otherwise written are counted in the report's ``left_out`` reasons (they
do not count as skipped rows).

Longer than most modules on purpose: what a register entry means (:class:`Share` into :class:`ReleaseGraph`)
is decided here once, for both files and for ``importers/register_workbook.py``, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from importers import register
from importers.base import Batch, Importer, Report
from importers.organisations import Organisations, Resolved
from importers.reading import (
    OTHER_DIGIT,
    BadInput,
    Row,
    date_from_text,
    read_csv,
    refuse_duplicates,
    refuse_other_digits,
    required,
    stated,
)
from importers.source_kinds import bundled_source_kinds
from lineage.keys import normalise, slug
from lineage.merge import Record, merge
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
    available_by,
    party_words,
    surest,
    weakest,
)
from lineage.questions.common import tier_items
from lineage.store import Store

REFERENCE = re.compile(r"^(?:DR\d{6}\.\d{2}|DS\d{5}|R\d{4})$")
TIER_LEVEL = Certainty(CertaintyLevel.TIER_LEVEL)
SENT_IF_APPROVED = Certainty(CertaintyLevel.INFERRED, "sent-to:approved-request")
#: An entry naming who commissioned the application, after the applicant: "LSE commissioned by Home Office and ...".
COMMISSIONED = re.compile(r"\bcommissioned by\s+(.+)$", re.IGNORECASE)
BY_COMMISSIONER = Certainty(CertaintyLevel.INFERRED, "commissioned-by:named-in-entry")
#: The reason the tier rule's time check gives for a link it leaves out (counted in the import's report).
TIME_CHECK = "INCLUDES at tier level (the item's first year was not in the NPD by the release date)"
#: Whole dates as registers cite them: "2013-02-20", "August 15, 2017".
DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y")
#: What a whole date looks like, in the register's ways or day first, so that one no format reads ("2017-02-30",
#: "February 30, 2017", "15 August 2017") is refused, never kept as words like "October 2013": it had made a dated
#: release undated, and a gap of it.
WHOLE_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|[A-Za-z]+ \d{1,2},? \d{4}|\d{1,2} [A-Za-z]+,? \d{4}")


def release_key(reference: str, register: str, date: dt.date | str | None, organisation: str) -> str:
    """The Release (and Application) natural key: the reference, else register/date/organisation, the date
    being the whole date or else the date's own words (see the module doc)."""
    if reference:
        return reference
    when = date.isoformat() if isinstance(date, dt.date) else slug(date or "") or "undated"
    return f"{slug(register)}/{when}/{slug(normalise(organisation))}"


#: A run of tier numbers, each after "tier(s)" or bare: joined by lists ("1, 2", "1 or tier 2") or ranges ("1-3",
#: "1 to 4", "1\u20132"), read whole so that no number is taken for another ("Tier 12" is no tier 1).
_TIER_RUN = re.compile(r"(?:tiers?\s*)?\d+(?:\s*(?:,|/|or|and|&|-|\u2013|to)\s*(?:tiers?\s*)?\d+)*")
_RANGE = {"-", "\u2013", "to"}
_NEGATED = re.compile(r"\b(?:not|no|except|excluding)\s+tiers?\b")


def parse_tiers(text: str) -> tuple[str, ...]:
    """The old tiers (1-4) a text names: "tier 1 or tier 2 data", "Tier 1/2", "Tiers 1-3", or a bare list "1, 2".
    A number that is no tier ("Tier 12"), or a tier named as not given ("not tier 1"), is a ValueError saying
    so: read as tier 1, either would draw what the release did not hold, or leave out what it did.

    >>> parse_tiers("approved (tier 1 or tier 2 data)"), parse_tiers("Tiers 1 to 3"), parse_tiers("Tier 1\u20132")
    (('1', '2'), ('1', '2', '3'), ('1', '2'))
    >>> parse_tiers("Tier 12")
    Traceback (most recent call last):
    ValueError: names tier 12: the old tiers are 1 to 4
    """
    if other := OTHER_DIGIT.search(text):  # int() reads them: "Tier \u0661" had been tier 1
        raise ValueError(f"holds {other.group()!r}, a digit of another script: name the tiers in the digits 0-9")
    lowered = text.lower()
    if negated := _NEGATED.search(lowered):
        raise ValueError(f"says {negated.group(0)!r}: name the tiers given")
    runs = [m.group(0) for m in _TIER_RUN.finditer(lowered) if "tier" in m.group(0) or "tier" not in lowered]
    found: set[int] = set()
    for run in runs:
        tokens = re.findall(r"\d+|-|\u2013|\bto\b", run)
        for at, token in enumerate(tokens):
            if not token.isdigit():
                continue
            tier = int(token)
            if not 1 <= tier <= 4:
                raise ValueError(f"names tier {token}: the old tiers are 1 to 4")
            if at >= 2 and tokens[at - 1] in _RANGE and tokens[at - 2].isdigit():
                found.update(range(min(int(tokens[at - 2]), tier), max(int(tokens[at - 2]), tier) + 1))
            found.add(tier)
    return tuple(str(tier) for tier in sorted(found))


def tiers_in(path: Path, row: Row, columns: str, text: str) -> tuple[str, ...]:
    """:func:`parse_tiers` of a row's cells (``columns`` names them), its refusal naming the file, row and cells."""
    try:
        return parse_tiers(text)
    except ValueError as exc:
        raise BadInput(path, f"{exc}: {text!r}", row.number, columns) from None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an application's status as cited says happened: its status in our words, whether a Release is
    drawn (and how sure its sending is), and whether the record says it was approved."""

    status: str
    sent: Certainty | None  # None: the record says no data went, or does not say that any did
    approved: bool = False


#: Status as cited (its lower-case beginning, outer quotes aside) -> what happened. Only what the record says:
#: an application named without an outcome draws no Release and no Approval.
NOT_STATED = Outcome("not stated", None)
OUTCOMES: tuple[tuple[str, Outcome], ...] = (
    ("rejected", Outcome("rejected", None)),
    ("pending", Outcome("pending", None)),
    ("not pursued", Outcome("not pursued", None)),
    ("approved", Outcome("approved", SENT_IF_APPROVED, approved=True)),
    ("listed as recipient", Outcome("released", CONFIRMED)),
    ("submitted for dsap approval", Outcome("submitted for approval", None)),
    # a reference alone, or a form an FOI answer released, says an application was made, not that it was submitted
    ("application referenced", NOT_STATED),
    ("application form released", NOT_STATED),
    ("the monthly exchange", Outcome("arrangement", CONFIRMED)),
    ("pilot study", Outcome("arrangement", None)),
    ("confirmed this to dwp as a 'y' only", Outcome("match flag only", None)),
    ("may also share", Outcome("policy", None)),
)


def outcome(path: Path, row: Row, column: str = "status_as_cited") -> Outcome:
    """The outcome a status as cited gives (none given: not stated); a status no entry knows is refused with
    its place."""
    text = " ".join(row[column].split()).lower().strip("'\"")
    if not text:
        return NOT_STATED
    for begins, found in OUTCOMES:
        if text.startswith(begins):
            return found
    known = ", ".join(repr(begins) for begins, _ in OUTCOMES)
    raise BadInput(path, f"unknown status {row[column]!r}; known beginnings: {known}", row.number, column)


@dataclass(frozen=True, slots=True)
class Share:
    """What a register says about one application, and the release it led to if any."""

    key: str
    register: str
    reference: str
    date: dt.date | None
    date_as_cited: str
    organisation: str  # as cited
    status: str  # as cited
    citation: Citation
    outcome: Outcome
    source: Certainty = CONFIRMED  # how sure the row's source is
    tiers: tuple[str, ...] = ()
    purpose: str = ""
    scope_published: bool = False
    notes: str = ""  # the compiler's notes on the row (which date a register's column of three dates gives)

    @property
    def label(self) -> str:
        """How its name begins: its reference, else its date or the date's words; "undated" (its key had stood here,
        and went into a letter and an FOI request as the heading of an entry)."""
        return self.reference or (self.date.isoformat() if self.date else self.date_as_cited or "undated")

    @property
    def sent(self) -> Certainty | None:
        """The sending's certainty: the outcome's rule, but never surer than the row's source."""
        if self.outcome.sent is None:
            return None
        return weakest([self.outcome.sent, self.source])


@dataclass(frozen=True, slots=True)
class Decision:
    """What a register says about the approval of one release; empty fields are not stated."""

    panel: str = ""
    decision_date: dt.date | None = None
    legal_gateway: str = ""
    access_route: str = ""
    certainty: Certainty = CONFIRMED


class ReleaseGraph:
    """Builds the Application, Release, Approval and Organisation nodes and their edges for one import
    (shared by the register importers); reads the store only to find items, join what is already there and
    keep organisation variants."""

    def __init__(self, store: Store, report: Report) -> None:
        self.store = store
        self.report = report
        self.organisations = Organisations()
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self._applicants: dict[str, tuple[str, Share]] = {}  # application id -> the body the row names, the row
        self._tier_items: dict[tuple[str, ...], list[tuple[Node, list[Node]]]] = {}  # each with its data sets

    def add(self, share: Share, decision: Decision | None) -> str | None:
        """The share's Application, and its Release when the outcome says data went (or may have); the
        Release's id, or None when none is drawn."""
        cites = frozenset({share.citation})
        shown = " ".join(share.organisation.split()) or "organisation not named"
        found = self.organisations.add(share.organisation, share.citation, share.source)
        application = Node(
            NodeKind.APPLICATION,
            share.key,
            f"{share.label}: {party_words(share.outcome.status)} {shown} ({share.outcome.status})",
            stated(
                dict(
                    reference=share.reference,
                    register=share.register,
                    status=share.outcome.status,
                    status_as_cited=share.status,
                    # a group ("Local Authorities") or a redacted name draws no MADE_BY: its words say who applied
                    applicant_as_cited=None if isinstance(found, Resolved) else shown,
                    date=share.date,
                    date_as_cited=share.date_as_cited,
                    tiers=share.tiers or None,
                    purpose=share.purpose,
                    notes=share.notes,
                )
            ),
            cites,
            share.source,
        )
        self.nodes.append(application)
        if isinstance(found, Resolved):
            self.edges.append(Edge(application.id, EdgeKind.MADE_BY, found.id, citations=cites, certainty=share.source))
            self._applicants[application.id] = (found.id, share)
        else:
            self.report.leave_out(f"MADE_BY ({found.reason})")
        self._commissioners(application, share)
        sent = share.sent
        if sent is None:
            return None
        props: dict[str, Scalar] = {"register": share.register}
        props.update(
            stated(
                dict(
                    reference=share.reference,
                    date=share.date,
                    date_as_cited=share.date_as_cited if share.date is None else None,
                    status=share.status,
                    purpose=share.purpose,
                )
            )
        )
        if share.tiers:
            props["tiers"] = share.tiers
        props["scope_published"] = share.scope_published
        release = Node(NodeKind.RELEASE, share.key, f"{share.label}: {shown}", props, cites, share.source)
        self.nodes.append(release)
        self.edges.append(Edge(application.id, EdgeKind.LED_TO, release.id, citations=cites, certainty=share.source))
        if decision is not None:
            self._approve(release, share, decision)
        if isinstance(found, Resolved):
            self.edges.append(Edge(release.id, EdgeKind.SENT_TO, found.id, citations=cites, certainty=sent))
        else:
            self.report.leave_out(f"SENT_TO ({found.reason})")
        if share.tiers:
            self._include_tiers(release.id, share)
        return release.id

    def _commissioners(self, application: Node, share: Share) -> None:
        """COMMISSIONED_BY each body an entry names as commissioning the application ("LSE commissioned by Home
        Office and Youth Endowment Fund"), by the rule that reads those words."""
        named = COMMISSIONED.search(share.organisation)
        if named is None:
            return
        sure = weakest([share.source, BY_COMMISSIONER])
        for name in re.split(r",|\band\b", named.group(1)):
            found = self.organisations.add(name, share.citation, share.source)
            if isinstance(found, Resolved):
                self.edges.append(
                    Edge(
                        application.id,
                        EdgeKind.COMMISSIONED_BY,
                        found.id,
                        {"as_written": share.organisation},
                        citations=application.citations,
                        certainty=sure,
                    )
                )
            else:
                self.report.leave_out(f"COMMISSIONED_BY ({found.reason})")

    def include(self, release_id: str, target_id: str, citation: Citation) -> None:
        """A confirmed INCLUDES: the register names this data set or item for the release."""
        self.edges.append(Edge(release_id, EdgeKind.INCLUDES, target_id, citations=frozenset({citation})))

    def batch(self) -> Batch:
        """Everything added, joined with what the store already holds under the same keys (its properties
        and the surer certainty kept, citations added), with the organisations folded."""
        self._refuse_another_applicant()
        stored = self.store.get_nodes(node.id for node in self.nodes)
        nodes = [_joined(stored.get(node.id), node) for node in self.nodes]
        links = self.store.get_edges((edge.source, edge.kind, edge.target) for edge in self.edges)
        edges = [_joined(links.get(edge.id), edge) for edge in self.edges]
        return Batch([*nodes, *self.organisations.nodes(self.store)], edges)

    def _refuse_another_applicant(self) -> None:
        """Refuse a row whose reference the store already holds as another body's application: joined, the one
        application was made by both, and each body's answer listed it as its own (a copy of a register giving
        Locrating's reference to another company had been taken without a word)."""
        held = self.store.expand(sorted(self._applicants), frozenset({EdgeKind.MADE_BY}), frozenset())
        for hop in held:
            body, share = self._applicants[hop.near]
            if hop.node.id != body:
                first = ", ".join(f"{c.file} row {c.row}" for c in sorted(hop.edge.citations, key=str))
                said = f"{share.label} is already the application of {hop.node.name} ({first})"
                raise BadInput(
                    share.citation.file, f"{said}, not of {share.organisation!r}", share.citation.row, "organisation"
                )

    def _approve(self, release: Node, share: Share, decision: Decision) -> None:
        props = stated(
            dict(
                panel=decision.panel,
                decision_date=decision.decision_date,
                legal_gateway=decision.legal_gateway,
                access_route=decision.access_route,
            )
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
        """INCLUDES at tier level every item of the approved tiers that was populated by the release's date
        (an undated release keeps the rule: its date is unknown, not late)."""
        items = self._tier_items.get(share.tiers)
        if items is None:
            items = self._tier_items[share.tiers] = tier_items(self.store, share.tiers)
        if not items:
            tiers = "/".join(share.tiers)
            self.report.leave_out(f"INCLUDES at tier level (no DataItem of old tier {tiers} in the store yet)")
        day = share.date
        reached = [item for item, datasets in items if day is None or available_by(item, day, datasets)]
        if len(reached) < len(items):
            self.report.leave_out(TIME_CHECK, len(items) - len(reached))
        cites = frozenset({share.citation})
        self.edges.extend(
            Edge(release_id, EdgeKind.INCLUDES, item.id, citations=cites, certainty=TIER_LEVEL) for item in reached
        )


def _joined(stored: Record | None, new: Record) -> Record:
    """A node or link written again by another source: what is stored stays (the shared merge, with the stored
    one written over the new one), the new source adds its citations and what was not yet said, and the fact
    keeps the surer of the two certainties (as sure as the strongest source stating it, whichever file is
    imported first)."""
    if stored is None:
        return new
    return replace(merge(new, stored), certainty=surest((stored.certainty, new.certainty)))


#: The columns every register file gives (each file adds its own).
REGISTER_COLUMNS = ("register", "reference", "date_as_cited", "organisation", "status_as_cited")


class _RegisterImporter(Importer):
    """The register files: one row an application, keyed and checked alike; a subclass says how sure its
    rows' sources are and what else a row gives."""

    columns: ClassVar[tuple[str, ...]]

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
            if graph.add(share, _decision(share)) is None:
                report.leave_out(
                    f"Release (an entry {share.outcome.status}: the row gives no outcome under which data went)"
                )
        return graph.batch()

    def _source(self, path: Path, row: Row) -> Certainty:
        """How sure the row's source is: each file says (see :data:`FOI_SOURCE_KIND` and ``source_kind``)."""
        raise NotImplementedError

    def _purpose(self, row: Row) -> str:
        return ""

    def _notes(self, row: Row) -> str:
        return ""

    def _tiers(self, path: Path, row: Row, status: str) -> tuple[str, ...]:
        return tiers_in(path, row, "status_as_cited", status)

    def _share(self, path: Path, row: Row) -> Share:
        register_name = required(path, row, "register")
        status = row["status_as_cited"].strip()
        address = required(path, row, "source_url")
        refuse_other_digits(path, row, "reference", "date_as_cited")  # \d took "DR\u0661..." for a reference
        reference = row["reference"].strip()
        if reference and not REFERENCE.match(reference):
            message = f"{reference!r} is not a DRyymmdd.nn, DS00nnn or R00nn reference"
            raise BadInput(path, message, row.number, "reference")
        date_as_cited = " ".join(row["date_as_cited"].split())
        try:
            date = date_from_text(date_as_cited, DATE_FORMATS)
        except ValueError as exc:
            if WHOLE_DATE.fullmatch(date_as_cited):  # a whole date, wrongly written or no day of its month
                raise BadInput(path, str(exc), row.number, "date_as_cited") from None
            date = None  # "October 2013", "last year": kept as worded, never guessed
        organisation = row["organisation"].strip()
        if not reference and not normalise(organisation):
            raise BadInput(path, "a row needs a reference, or an organisation", row.number, "reference")
        return Share(
            release_key(reference, register_name, date or date_as_cited, organisation),
            register_name,
            reference,
            date,
            date_as_cited if date is None else "",
            organisation,
            status,
            Citation(self.document, path.name, row.number, address),
            outcome(path, row),
            self._source(path, row),
            self._tiers(path, row, status),
            self._purpose(row),
            notes=self._notes(row),
        )


#: The kind of source every row of the FOI file rests on (``data/source_kinds.csv``): each quotes a register
#: entry as a requester wrote it in a Freedom of Information request, not DfE's register or reply itself.
FOI_SOURCE_KIND = "requester quoting"


@register
class RegisterFoiImporter(_RegisterImporter):
    """DfE's register entries as FOI requests quote them: a requester's account of the register (reported,
    as ``data/source_kinds.csv`` says of a requester quoting), never DfE's own word."""

    name = "register-foi"
    needs = ("npd-items", "npd-release-timetable")
    document = "DfE data-share register entries quoted in FOI requests (compiled)"
    bundled = "npd_register_entries_cited_in_foi.csv"
    columns = (*REGISTER_COLUMNS, "cited_context", "source_url")

    def _source(self, path: Path, row: Row) -> Certainty:
        certainty = bundled_source_kinds().of(FOI_SOURCE_KIND)
        if certainty is None:
            raise BadInput(path, f"source_kinds.csv has no entry for {FOI_SOURCE_KIND!r}", row.number, "source_url")
        return certainty


@register
class RegisterMoreImporter(_RegisterImporter):
    """More register entries and sharing arrangements, each row saying what kind of source it rests on: a
    requester's or campaigner's wording is reported, never confirmed. Rows join the applications and
    releases already in the store under the same key (a DS or DR reference)."""

    name = "register-more"
    needs = ("register-foi",)
    document = "More NPD register entries and sharing arrangements (compiled)"
    bundled = "npd_register_entries_more.csv"
    columns = (*REGISTER_COLUMNS, "tier_or_scope", "purpose_as_cited", "source_kind", "source_url", "quote", "notes")

    def _source(self, path: Path, row: Row) -> Certainty:
        return bundled_source_kinds().certainty(path, row, "source_kind")

    def _purpose(self, row: Row) -> str:
        return " ".join(row["purpose_as_cited"].split())

    def _notes(self, row: Row) -> str:
        return " ".join(row["notes"].split())

    def _tiers(self, path: Path, row: Row, status: str) -> tuple[str, ...]:
        return tiers_in(path, row, "status_as_cited, tier_or_scope", f"{status} {row['tier_or_scope']}")


def _decision(share: Share) -> Decision | None:
    """An Approval only where the record says the application was approved (its panel unstated), as sure as
    the row's source."""
    return Decision(certainty=share.source) if share.outcome.approved else None
