"""Organisations and releases: one release downstream, everything an organisation received, asked for or
commissioned, and the walk over every release that the whole-graph questions share.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lineage.errors import NotFound
from lineage.hops import Hop, Step
from lineage.keys import normalise
from lineage.model import Certainty, EdgeKind, Node, NodeKind, available_by, outranked, release_lag_read, surest
from lineage.questions.common import (
    PUPIL_RECORDS,
    PerState,
    Related,
    dated_order,
    follow,
    follow_chain,
    oldest_first,
    related,
    searched,
    tier_items,
)
from lineage.questions.statements import (
    MATCHING,
    Stated,
    as_answered,
    excluded_items,
    stated_about,
    statements_about,
    stating,
)
from lineage.store import Store, refuse_unsearchable

_E = EdgeKind


def find_organisation(store: Store, name: str) -> Node:
    """The organisation by name or any of its cited variants, ignoring case and punctuation: found once per state
    of the store, so that the questions of one request that name it (gaps and gapsClosed) ask the store once. A
    name refused as search text is refused as such (RefusedText), for its asker to name as it came."""
    return _organisation(store, name)


def _find_organisation(store: Store, name: str) -> Node:
    refuse_unsearchable(name)  # before the name is read, whatever its length
    key = normalise(name)
    found = store.get_node(f"{NodeKind.ORGANISATION.value}:{key}")
    if found is not None:
        return found
    for candidate in store.search(name, [NodeKind.ORGANISATION], limit=100).items:
        if key in {normalise(v) for v in (candidate.name, *candidate.strings("variants"))}:
            return candidate
    raise NotFound(f"no organisation is named {name!r} (or has it as a variant)")


_organisation = PerState(_find_organisation, keep=16)


@dataclass(frozen=True, slots=True)
class ReleaseTrace:
    release: Node
    approvals: tuple[Related, ...]
    recipients: tuple[Related, ...]
    includes: tuple[Related, ...]  # items or data sets, confirmed or at tier level
    onward: tuple[Related, ...]  # onward sharing by the recipients
    statements: tuple[Stated, ...] = ()  # what sources say it held, left out, or was asked for
    #: what sources say of its recipients where they identify no release or application: maybe of this release,
    #: maybe not, so shown beside it and never read as its scope (no exclusion here outranks its inclusions)
    recipient_statements: tuple[Stated, ...] = ()
    #: the items of the tiers it was approved for that were not yet in the NPD by its date (first collected later,
    #: or released later by DfE's timetable), so could not be in it: what the tier rule leaves out, by name
    not_yet_in_npd: tuple[Node, ...] = ()


def trace(store: Store, releases: Sequence[Node]) -> list[ReleaseTrace]:
    """Each release downstream, its inclusions less those a statement excludes (unless confirmed), and the items of
    its tiers that were not yet in the NPD by its date."""
    ids = [r.id for r in releases]
    out = follow(store, ids, outgoing=[_E.APPROVED_BY, _E.SENT_TO, _E.INCLUDES])
    stated = statements_about(store, releases)
    recipients_by_id = {h.node.id: h.node for hops in out.values() for h in hops if h.edge.kind is _E.SENT_TO}
    recipient_ids = sorted(recipients_by_id)
    onward = follow(store, recipient_ids, outgoing=[_E.SHARES_ONWARD])
    of_recipients = statements_about(store, [recipients_by_id[id_] for id_ in recipient_ids])
    of_tiers: dict[tuple[str, ...], list[tuple[Node, list[Node]]]] = {}  # each item with the data sets holding it
    traces = []
    for release in releases:
        hops = out.get(release.id, [])
        recipients = related(hops, [_E.SENT_TO])
        statements = as_answered(stated.get(release.id, ()))
        excluded = excluded_items(statements, (h.node for h in hops if h.edge.kind is _E.INCLUDES))
        tiers, day = release.strings("tiers"), release.props.get("date")
        late: tuple[Node, ...] = ()
        if tiers and isinstance(day, dt.date):
            if tiers not in of_tiers:
                of_tiers[tiers] = tier_items(store, tiers)
            included = {h.node.id for h in hops if h.edge.kind is _E.INCLUDES}
            late = tuple(
                sorted(
                    (i for i, holders in of_tiers[tiers] if i.id not in included and not available_by(i, day, holders)),
                    key=lambda i: i.id,
                )
            )
        traces.append(
            ReleaseTrace(
                release=release,
                approvals=related(hops, [_E.APPROVED_BY]),
                recipients=recipients,
                includes=tuple(r for r in related(hops, [_E.INCLUDES]) if not outranked(r.link, excluded)),
                onward=tuple(
                    Related(h.node, h.edge)
                    for r in recipients
                    for h in onward.get(r.node.id, [])
                    if h.node.id != r.node.id
                ),
                statements=statements,
                recipient_statements=tuple(s for r in recipients for s in of_recipients.get(r.node.id, ())),
                not_yet_in_npd=late,
            )
        )
    return traces


def release_trace(store: Store, reference: str) -> ReleaseTrace:
    """One release downstream: approval, recipient, items or tiers, onward sharing. A reference is found as the
    register writes it or with other spaces around it or in another case ("dr170518.02 ", pasted)."""
    asked = reference.strip()
    releases = store.find_nodes(NodeKind.RELEASE, "reference", [asked]) if asked else []
    if not releases and asked:
        release = store.get_node(asked if asked.startswith("Release:") else f"Release:{asked}")
        releases = [release] if release else _in_another_case(store, NodeKind.RELEASE, asked)
    if not releases:
        applied = (
            store.find_nodes(NodeKind.APPLICATION, "reference", [asked])
            or _in_another_case(store, NodeKind.APPLICATION, asked)
            if asked
            else []
        )
        if applied:  # an application is not a release: say what the record does say of it
            status = applied[0].props.get("status", "not stated")
            raise NotFound(
                f"{reference!r} is an application ({status}), not a release: the record does not say data was "
                "released under it (organisationReceipts lists it with its applicant)"
            )
        raise NotFound(f"no release has the reference {reference!r}")
    return traced(store, releases[:1])[0]


def _in_another_case(store: Store, kind: NodeKind, reference: str) -> list[Node]:
    """The nodes of this kind whose register reference is this one in another case ("dr170518.02")."""
    near = searched(store, reference, kind)
    return [node for node in near if str(node.props.get("reference", "")).casefold() == reference.casefold()]


@dataclass(frozen=True, slots=True)
class OrganisationReceipts:
    organisation: Node
    releases: tuple[ReleaseTrace, ...]
    aggregate_flows: tuple[Related, ...]  # published figures of what flowed to it (not an exchange: both_ways)
    received_onward: tuple[Related, ...]
    shared_onward: tuple[Related, ...]  # its own onward shares, whether or not it received a release itself
    applications: tuple[ApplicationTrace, ...] = ()  # every application it made, whatever the outcome
    statements: tuple[Stated, ...] = ()  # what sources say of it where they identify no release or application
    flows_from: tuple[Related, ...] = ()  # published figures of what it sent or asked DfE about (nor both_ways)
    commissioned: tuple[ApplicationTrace, ...] = ()  # applications by others that it commissioned
    accessed: tuple[Related, ...] = ()  # records it was given access to (ACCESSED_BY), each with its route
    gave_access: tuple[Related, ...] = ()  # bodies it gave access to records it does not name
    holdings: tuple[Related, ...] = ()  # record sets it holds or is named receiving (the LRS, a linked data set)
    events: tuple[Related, ...] = ()  # dated events that concern it (an audit, a reprimand, an agreement)
    both_ways: tuple[Related, ...] = ()  # published figures of an exchange both ways, each once (by FLOWS_FROM)


#: Application statuses that give no outcome: the record names the application, not whether data went; and an
#: arrangement or a policy no release came of (the Home Office's 2013 pilot study, DfE's "may also share" with the
#: ONS), which say that data may have gone, not that it did.
NO_OUTCOME = frozenset({"submitted for approval", "pending", "not stated", "arrangement", "policy"})
#: What an answer says of an application of such a status that led to no release (a gap's kind too).
OUTCOME_NOT_STATED = "outcome not stated"


@dataclass(frozen=True, slots=True)
class ApplicationTrace:
    """An application and its outcome: its status, the release it led to if any, and what sources say of it."""

    application: Node
    made_by: Related | None  # None where the entry names no single applicant
    releases: tuple[Related, ...]
    statements: tuple[Stated, ...]
    commissioned_by: tuple[Related, ...] = ()

    @property
    def status(self) -> str:
        return str(self.application.props.get("status", "not stated"))

    @property
    def outcome(self) -> str:
        """Its status, saying so where that gives no outcome and no release came of it: an organisation's report
        gave the Home Office's DS00804 as "submitted for approval" alone, as if that were where it ended."""
        if self.status in NO_OUTCOME and not self.releases:
            return f"{self.status}: {OUTCOME_NOT_STATED}"
        return self.status


#: From an organisation: what it sent, received, applied for, commissioned, accessed, holds and is concerned by;
#: the applicants, commissioners and releases of those applications; the statements about it and them, and
#: what they mean (steps of one chain: one round trip on Neo4j).
_AROUND_ORGANISATION = (
    Step(
        outgoing=frozenset({_E.SHARES_ONWARD, _E.ACCESSED_BY}),
        incoming=frozenset(
            {_E.SENT_TO, _E.FLOWS_TO, _E.FLOWS_FROM, _E.SHARES_ONWARD, _E.MADE_BY, _E.COMMISSIONED_BY}
            | {_E.ACCESSED_BY, _E.HELD_BY, _E.CONCERNS}
        ),
    ),
    Step(outgoing=frozenset({_E.MADE_BY, _E.LED_TO, _E.COMMISSIONED_BY}), after=(1,)),
    *stating(after=(0, 1), place=3),
)


def organisation_receipts(store: Store, name: str) -> OrganisationReceipts:
    """Everything an organisation received: releases (with their approvals, scope and what sources say of
    them), published figures of what flowed to it, of what it sent or asked DfE about, and of an exchange both
    ways, each figure in one of the three; onward shares it received from other recipients; the onward shares it
    made; every application it made, refused and pending ones included, and those it commissioned; what sources
    say of it where they identify no release; the records it accessed or gave access to, by route, the record
    sets it holds, and the events that concern it."""
    organisation = find_organisation(store, name)
    around, applied, about, stated = follow_chain(store, [organisation.id], _AROUND_ORGANISATION)
    hops = around.get(organisation.id, [])
    to_it, from_it, both_ways = _figures_by_direction(hops)
    releases = [h.node for h in hops if h.edge.kind is _E.SENT_TO]
    traces = traced(store, sorted(releases, key=dated_order))
    onward = [h for h in hops if h.edge.kind is _E.SHARES_ONWARD and h.node.id != organisation.id]  # no self-loop
    made = [h.node for h in hops if h.edge.kind is _E.MADE_BY]
    commissioned = [h.node for h in hops if h.edge.kind is _E.COMMISSIONED_BY]
    statements = stated_about({node.id: node for node in [organisation, *made, *commissioned]}, about, stated)
    applications = applications_traced([*made, *commissioned], applied, statements)
    return OrganisationReceipts(
        organisation,
        tuple(traces),
        to_it,
        tuple(Related(h.node, h.edge) for h in onward if h.edge.target == organisation.id),
        tuple(Related(h.node, h.edge) for h in onward if h.edge.source == organisation.id),
        tuple(applications[node.id] for node in sorted(made, key=dated_order)),
        tuple(statements.get(organisation.id, ())),
        from_it,
        tuple(applications[node.id] for node in sorted(commissioned, key=dated_order)),
        tuple(
            Related(h.node, h.edge) for h in hops if h.edge.kind is _E.ACCESSED_BY and h.edge.target == organisation.id
        ),
        tuple(
            Related(h.node, h.edge) for h in hops if h.edge.kind is _E.ACCESSED_BY and h.edge.source == organisation.id
        ),
        related(hops, [_E.HELD_BY]),
        tuple(sorted(related(hops, [_E.CONCERNS]), key=lambda r: oldest_first(r.node))),
        both_ways,
    )


def _figures_by_direction(hops: Sequence[Hop]) -> tuple[tuple[Related, ...], tuple[Related, ...], tuple[Related, ...]]:
    """The published figures around an organisation: of what flowed to it (FLOWS_TO), of what it sent or asked
    (FLOWS_FROM), and of an exchange both ways ("DfE <-> Home Office"), linked both from and to it. An exchange is
    one figure: given once, by its FLOWS_FROM link as matching_requests gives it, or a reader adding up what
    flowed to it and what it sent counts it twice, or reads one figure as two."""
    to_it, from_it = related(hops, [_E.FLOWS_TO]), related(hops, [_E.FLOWS_FROM])
    exchanged = {r.node.id for r in to_it} & {r.node.id for r in from_it}
    return (
        tuple(r for r in to_it if r.node.id not in exchanged),
        tuple(r for r in from_it if r.node.id not in exchanged),
        tuple(r for r in from_it if r.node.id in exchanged),
    )


def applications_traced(
    applications: Sequence[Node], around: Mapping[str, list[Hop]], stated: Mapping[str, list[Stated]]
) -> dict[str, ApplicationTrace]:
    """Each application (by id) with its applicant, commissioners, the release it led to (from the hops
    ``around`` it) and what sources say of it (``stated``)."""
    traced = {}
    for node in applications:
        hops = around.get(node.id, [])
        traced[node.id] = ApplicationTrace(
            node,
            next((Related(h.node, h.edge) for h in hops if h.edge.kind is _E.MADE_BY), None),
            related(hops, [_E.LED_TO]),
            tuple(stated.get(node.id, ())),
            related(hops, [_E.COMMISSIONED_BY]),
        )
    return traced


@dataclass(frozen=True, slots=True)
class MatchingRequests:
    """An organisation that asks DfE about pupils (sending what it knows of people, for DfE to match against the
    NPD), by the statements and the published figures that say so: what it sends, what it gets back, how many;
    with what the record says it was given access to, and the agreements it asks under."""

    organisation: Node
    statements: tuple[Stated, ...]
    flows: tuple[Related, ...]  # published figures of what it asked (FLOWS_FROM) and got back (FLOWS_TO), each once
    #: what the record says it was given access to of pupil records, with the ACCESSED_BY link (a police force's
    #: 2,136 pupils of November 2019, the Home Office's match and return), oldest first: which items, not said
    accesses: tuple[Related, ...] = ()
    #: the agreements the record says it made with DfE to ask (a memorandum of understanding, DWP's 2018 pilot
    #: formalised), each an Event that CONCERNS it, oldest first: what they let it ask, as each source gives it
    agreements: tuple[Related, ...] = ()

    @property
    def certainty(self) -> Certainty:
        """That it asks is as sure as the surest of the sources saying so."""
        sources = [s.statement.certainty for s in self.statements] + [r.link.certainty for r in self.flows]
        return surest(sources + [r.link.certainty for r in self.accesses])


#: The kind of Event that is an agreement to share (see importers/onward.py).
AGREEMENT = "agreement"


@PerState
def matching_requests(store: Store) -> dict[str, MatchingRequests]:
    """Every organisation the record says asks DfE about pupils, by id: a statement of what it sends to match on,
    a match flag or what DfE returns on a match (:data:`MATCHING`), or a published figure of requests flowing
    from it to DfE alone; with the accesses to pupil records given to it (:data:`PUPIL_RECORDS`), where it asks,
    and the agreements that concern it. A fixed number of batched calls, once per state of the store."""
    statements = store.find_nodes(NodeKind.STATEMENT, "statement", sorted(MATCHING))
    about = {h.node.id: h.node for hops in follow(store, [s.id for s in statements], outgoing=[_E.ABOUT]).values()
             for h in hops}  # fmt: skip
    # a statement about a release or an application asks for its recipient or applicant
    owners = follow(store, [id_ for id_, n in about.items() if n.kind is not NodeKind.ORGANISATION],
                    outgoing=[_E.SENT_TO, _E.MADE_BY])  # fmt: skip
    targets = {id_: n for id_, n in about.items() if n.kind is NodeKind.ORGANISATION}
    targets.update((h.node.id, h.node) for hops in owners.values() for h in hops)
    figures = store.all_nodes(NodeKind.AGGREGATE_FLOW)
    ends = follow(store, [f.id for f in figures], outgoing=[_E.FLOWS_FROM, _E.FLOWS_TO])
    for hops in ends.values():
        if all(h.edge.kind is _E.FLOWS_FROM for h in hops):  # a request to DfE, not an exchange
            targets.update((h.node.id, h.node) for h in hops)
    # what it was given access to: of the NPD's records, or DfE's where the source names no records (not the LRS's,
    # which is not the NPD, nor a linked data set's, which linkedData gives)
    pupil_records = store.get_nodes(sorted(PUPIL_RECORDS))
    accessed = follow(store, sorted(pupil_records), outgoing=[_E.ACCESSED_BY])
    accesses: dict[str, list[Related]] = defaultdict(list)
    for id_, hops in accessed.items():
        for hop in hops:
            accesses[hop.node.id].append(Related(pupil_records[id_], hop.edge))
    concerned = follow(store, sorted(targets), incoming=[_E.CONCERNS])
    agreements = {
        id_: sorted((Related(h.node, h.edge) for h in hops if h.node.props.get("event_kind") == AGREEMENT),
                    key=lambda r: oldest_first(r.node))
        for id_, hops in concerned.items()
    }  # fmt: skip
    stated = statements_about(store, [*targets.values(), *(about[id_] for id_ in owners)])
    for id_, hops in owners.items():  # what is said of one of its releases or applications is said of it
        for hop in hops:
            stated.setdefault(hop.node.id, []).extend(stated.get(id_, ()))
    flows: dict[str, list[Related]] = defaultdict(list)
    for figure in figures:
        # a figure of an exchange both ways ("DfE <-> Home Office") is linked twice, from and to the body: it is
        # one figure, given once (by its FLOWS_FROM link; its flow says both ways), or a reader counts it twice
        given: set[str] = set()
        for hop in sorted(ends.get(figure.id, []), key=lambda h: (h.edge.kind is not _E.FLOWS_FROM, h.edge.id)):
            if hop.node.id in targets and hop.node.id not in given:
                given.add(hop.node.id)
                flows[hop.node.id].append(Related(figure, hop.edge))
    return {
        id_: MatchingRequests(
            organisation,
            tuple(s for s in stated.get(id_, ()) if s.kind in MATCHING),
            tuple(sorted(flows[id_], key=lambda r: (r.node.validity.valid_from or dt.date.min, r.node.id))),
            tuple(sorted(accesses[id_], key=lambda r: oldest_first(r.link))),
            tuple(agreements.get(id_, ())),
        )
        for id_, organisation in sorted(targets.items())
    }


@dataclass(frozen=True, slots=True)
class ReleaseWalk:
    traces: list[ReleaseTrace]
    holders: dict[str, list[Hop]]  # item id -> the data sets holding it
    by_release: dict[str, ReleaseTrace]  # the traces by release id
    #: the fewest months after 1 September, once a year has ended, before any of its data sets' data can be in the
    #: NPD (lineage.model.release_lag_read, as an item's date check takes it among its holders: the school census's,
    #: 8 before it): where what went is not known (a release of unpublished scope, an access), the year it can hold
    #: at the latest is by this. Read once per walk, not at every letter from every holder again
    earliest_lag: int = 0


def traced(store: Store, releases: Sequence[Node]) -> list[ReleaseTrace]:
    """Each release's trace (see trace), from the walk of every release kept per state of the store: no round
    trip to the store where that walk is kept. A release it does not hold (written since) is traced afresh."""
    kept = release_walk(store).by_release
    afresh = {t.release.id: t for t in trace(store, [r for r in releases if r.id not in kept])}
    return [kept.get(r.id) or afresh[r.id] for r in releases]


@PerState
def release_walk(store: Store) -> ReleaseWalk:
    """Every release traced, and the data sets holding the items they include: what pupil-reach and flows
    both start from, walked once per state of the store (about 10 MB kept at national scale)."""
    traces = trace(store, store.all_nodes(NodeKind.RELEASE))
    item_ids = sorted({i.node.id for t in traces for i in t.includes if i.node.kind is NodeKind.DATA_ITEM})
    holders = follow(store, item_ids, incoming=[_E.HOLDS])
    earliest, _ = release_lag_read(h.node for hops in holders.values() for h in hops)
    return ReleaseWalk(traces, holders, {t.release.id: t for t in traces}, earliest)
