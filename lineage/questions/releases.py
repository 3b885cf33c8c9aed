"""Organisations and releases: one release downstream, everything an organisation received, asked for or
commissioned, and the walk over every release that the whole-graph questions share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lineage.errors import NotFound
from lineage.keys import normalise
from lineage.model import CertaintyLevel, EdgeKind, Node, NodeKind
from lineage.questions.common import PerState, Related, dated_order, follow, related
from lineage.questions.statements import Stated, excluded_items, statements_about
from lineage.store import Hop, Store

_E = EdgeKind


def find_organisation(store: Store, name: str) -> Node:
    """The organisation by name or any of its cited variants, ignoring case and punctuation."""
    key = normalise(name)
    found = store.get_node(f"{NodeKind.ORGANISATION.value}:{key}")
    if found is not None:
        return found
    for candidate in store.search(name, [NodeKind.ORGANISATION], limit=100).items:
        variants = candidate.props.get("variants", ())
        if key in {normalise(v) for v in (candidate.name, *variants)}:
            return candidate
    raise NotFound(f"no organisation is named {name!r} (or has it as a variant)")


@dataclass(frozen=True, slots=True)
class ReleaseTrace:
    release: Node
    approvals: tuple[Related, ...]
    recipients: tuple[Related, ...]
    includes: tuple[Related, ...]  # items or data sets, confirmed or at tier level
    onward: tuple[Related, ...]  # onward sharing by the recipients
    aggregate_flows: tuple[Related, ...] = ()
    statements: tuple[Stated, ...] = ()  # what sources say it held, left out, or was asked for


def trace(store: Store, releases: Sequence[Node]) -> list[ReleaseTrace]:
    """Each release downstream, its inclusions less those a statement excludes (unless confirmed)."""
    ids = [r.id for r in releases]
    out = follow(store, ids, outgoing=[_E.APPROVED_BY, _E.SENT_TO, _E.INCLUDES])
    stated = statements_about(store, releases)
    recipient_ids = sorted({h.node.id for hops in out.values() for h in hops if h.edge.kind is _E.SENT_TO})
    onward = follow(store, recipient_ids, outgoing=[_E.SHARES_ONWARD])
    traces = []
    for release in releases:
        hops = out.get(release.id, [])
        recipients = related(hops, [_E.SENT_TO])
        statements = tuple(stated.get(release.id, ()))
        excluded = excluded_items(statements)
        traces.append(
            ReleaseTrace(
                release=release,
                approvals=related(hops, [_E.APPROVED_BY]),
                recipients=recipients,
                includes=tuple(
                    r
                    for r in related(hops, [_E.INCLUDES])
                    if r.node.id not in excluded or r.link.certainty.level is CertaintyLevel.CONFIRMED
                ),
                onward=tuple(
                    Related(h.node, h.edge)
                    for r in recipients
                    for h in onward.get(r.node.id, [])
                    if h.node.id != r.node.id
                ),
                statements=statements,
            )
        )
    return traces


def release_trace(store: Store, reference: str) -> ReleaseTrace:
    """One release downstream: approval, recipient, items or tiers, onward sharing."""
    releases = store.find_nodes(NodeKind.RELEASE, "reference", [reference])
    if not releases:
        release = store.get_node(reference if reference.startswith("Release:") else f"Release:{reference}")
        releases = [release] if release else []
    if not releases:
        raise NotFound(f"no release has the reference {reference!r}")
    return trace(store, releases[:1])[0]


@dataclass(frozen=True, slots=True)
class OrganisationReceipts:
    organisation: Node
    releases: tuple[ReleaseTrace, ...]
    aggregate_flows: tuple[Related, ...]
    received_onward: tuple[Related, ...]
    shared_onward: tuple[Related, ...]  # its own onward shares, whether or not it received a release itself
    applications: tuple[ApplicationTrace, ...] = ()  # every application it made, whatever the outcome
    statements: tuple[Stated, ...] = ()  # what sources say of it where they identify no release or application


@dataclass(frozen=True, slots=True)
class ApplicationTrace:
    """An application and its outcome: its status, the release it led to if any, and what sources say of it."""

    application: Node
    made_by: Related
    releases: tuple[Related, ...]
    statements: tuple[Stated, ...]

    @property
    def status(self) -> str:
        return str(self.application.props.get("status", "not stated"))


def organisation_receipts(store: Store, name: str) -> OrganisationReceipts:
    """Everything an organisation received: releases (with their approvals, scope and what sources say of
    them), published aggregate flows to it, onward shares it received from other recipients; the onward
    shares it made; every application it made, refused and pending ones included; and what sources say of
    it where they identify no release."""
    organisation = find_organisation(store, name)
    around = follow(
        store,
        [organisation.id],
        outgoing=[_E.SHARES_ONWARD],
        incoming=[_E.SENT_TO, _E.FLOWS_TO, _E.SHARES_ONWARD, _E.MADE_BY],
    )
    hops = around.get(organisation.id, [])
    releases = [h.node for h in hops if h.edge.kind is _E.SENT_TO]
    traces = trace(store, sorted(releases, key=dated_order))
    onward = [h for h in hops if h.edge.kind is _E.SHARES_ONWARD and h.node.id != organisation.id]  # no self-loop
    made = sorted((h for h in hops if h.edge.kind is _E.MADE_BY), key=lambda h: dated_order(h.node))
    led_to = follow(store, [h.node.id for h in made], outgoing=[_E.LED_TO])
    stated = statements_about(store, [organisation, *(h.node for h in made)])
    applications = tuple(
        ApplicationTrace(
            h.node,
            Related(organisation, h.edge),
            related(led_to.get(h.node.id, []), [_E.LED_TO]),
            tuple(stated.get(h.node.id, ())),
        )
        for h in made
    )
    return OrganisationReceipts(
        organisation,
        tuple(traces),
        related(hops, [_E.FLOWS_TO]),
        tuple(Related(h.node, h.edge) for h in onward if h.edge.target == organisation.id),
        tuple(Related(h.node, h.edge) for h in onward if h.edge.source == organisation.id),
        applications,
        tuple(stated.get(organisation.id, ())),
    )


@dataclass(frozen=True, slots=True)
class ReleaseWalk:
    traces: list[ReleaseTrace]
    holders: dict[str, list[Hop]]  # item id -> the data sets holding it


@PerState
def release_walk(store: Store) -> ReleaseWalk:
    """Every release traced, and the data sets holding the items they include: what pupil-reach and flows
    both start from, walked once per state of the store (about 10 MB kept at national scale)."""
    traces = trace(store, store.all_nodes(NodeKind.RELEASE))
    item_ids = sorted({i.node.id for t in traces for i in t.includes if i.node.kind is NodeKind.DATA_ITEM})
    return ReleaseWalk(traces, follow(store, item_ids, incoming=[_E.HOLDS]))
