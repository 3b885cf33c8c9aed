"""Data items: who received one (or may have, or was refused it), where it comes from, its aliases, and items
by classification.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from lineage.errors import LineageError, NotFound
from lineage.hops import Hop, Step
from lineage.model import (
    IDENTIFIABILITY,
    SENSITIVITY,
    STATE_ORG_TYPES,
    Certainty,
    CertaintyLevel,
    Citation,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    available_by,
    gives_way_to_exclusion,
    rule_of,
    weakest,
)
from lineage.questions.common import (
    RULE_DATASET_SCOPE,
    RULE_ONWARD,
    Related,
    chain_citations,
    check_known,
    find_items,
    follow,
    follow_chain,
    related,
)
from lineage.questions.onward import LinkedHolding, linked_holdings
from lineage.questions.releases import MatchingRequests, matching_requests, release_walk
from lineage.questions.statements import EXCLUDING, RECEIVED, REFUSED, Stated, excluded_items, stated_about, stating
from lineage.store import Store

_E = EdgeKind


@dataclass(frozen=True, slots=True)
class Receipt:
    """One way an organisation received (or may have received) a data item."""

    item: Node
    release: Node
    organisation: Node
    approval: Node | None
    chain: tuple[Edge, ...]  # the links from the item to the organisation, in order
    certainty: Certainty
    onward_from: Node | None = None  # set when the organisation received it by onward sharing
    statement: Node | None = None  # set when a source's statement of the items says it went

    @property
    def date(self) -> dt.date | None:
        date = self.release.props.get("date")
        return date if isinstance(date, dt.date) else None

    @property
    def panel(self) -> str | None:
        return self.approval.text("panel") if self.approval else None

    @property
    def legal_gateway(self) -> str | None:
        return self.approval.text("legal_gateway") if self.approval else None

    @property
    def access_route(self) -> str | None:
        return self.approval.text("access_route") if self.approval else None

    @property
    def citations(self) -> tuple[Citation, ...]:
        return chain_citations(self.chain)

    @property
    def rules(self) -> tuple[str, ...]:
        """Every rule the chain rests on, once each in chain order (the tier rule as tier-level): its certainty
        names the weakest alone, so an item reached at tier level in a release taken as sent read as sure as one a
        source names."""
        return tuple(dict.fromkeys(rule for edge in self.chain if (rule := rule_of(edge.certainty)) is not None))


@dataclass(frozen=True, slots=True)
class NotReceived:
    """A statement that an organisation did not get the item: left out of its release, or refused."""

    item: Node
    organisation: Node | None
    stated: Stated
    chain: tuple[Edge, ...]  # the statement's link to the item's concept, and its ABOUT link

    @property
    def certainty(self) -> Certainty:
        """As sure as the statement's source: the words' reach to this alias is the rule on the first link."""
        return weakest([self.stated.statement.certainty, *(edge.certainty for edge in self.chain)])

    @property
    def citations(self) -> tuple[Citation, ...]:
        return chain_citations(self.chain)


@dataclass(frozen=True, slots=True)
class UnpublishedScope:
    """A release of NPD data to an organisation whose items the record does not give: it may hold the item, or
    not, and the public record cannot say which. Never a receipt."""

    release: Node
    organisation: Node
    sent: Edge  # the SENT_TO link
    statements: tuple[Stated, ...]  # what sources say of its items, where they say anything (none reach this item)
    #: what sources say went to its recipient, naming no release (DfE's written answer of what the Home Office gets
    #: back on a match, beside its monthly exchange): maybe in this release, maybe not, and never read as its items
    recipient_statements: tuple[Stated, ...] = ()

    @property
    def date(self) -> dt.date | None:
        date = self.release.props.get("date")
        return date if isinstance(date, dt.date) else None

    @property
    def certainty(self) -> Certainty:
        """As sure as the sending: that data went, not which."""
        return weakest([self.release.certainty, self.sent.certainty])


@dataclass(frozen=True, slots=True)
class ItemRecipients:
    """Who received an item, in parts that are never mixed: received it (confirmed, reported, claimed, by the tier
    rule or a named rule); received NPD data of unpublished scope; asked DfE about pupils without the record
    saying this item came back; holds a linked data set derived from pupil records, whose items the record does
    not give; and, apart, who a source says did not get it."""

    items: tuple[Node, ...]
    receipts: tuple[Receipt, ...]
    not_received: tuple[NotReceived, ...] = ()  # excluded from a release, or refused, as a source states
    unpublished_scope: tuple[UnpublishedScope, ...] = ()
    asked_about: tuple[MatchingRequests, ...] = ()
    linked_data: tuple[LinkedHolding, ...] = ()  # bodies holding a linked data set derived from pupil records


def _receipt_order(receipt: Receipt) -> tuple[dt.date, str, str, str]:
    return (receipt.date or dt.date.max, receipt.organisation.name.lower(), receipt.release.id, receipt.item.id)


class _Route(NamedTuple):
    """How the record takes an item into a release, before any recipient: the links from the item to the
    release, and how sure they make it."""

    item: Node
    release: Node
    chain: tuple[Edge, ...]
    certainty: Certainty


class _Around(NamedTuple):
    """What one chain of batched hops around the items finds (:data:`_AROUND`, one round trip on Neo4j), each
    step's hops by the node they start from."""

    into: dict[str, list[Hop]]  # item -> releases including it, data sets holding it, statements meaning it
    beyond: dict[str, list[Hop]]  # data set -> releases including it; statement -> what it is about
    about: dict[str, list[Hop]]  # release (or other node statements are about) -> the statements about it
    stated: dict[str, list[Hop]]  # statement -> what its words mean, and what contradicts it
    sent: dict[str, list[Hop]]  # release or application -> recipients, approvals, applicants
    onward: dict[str, list[Hop]]  # organisation -> those it shared onward with


#: The steps behind :class:`_Around`, each from the far ends of the steps it names (0: the items).
_AROUND = (
    Step(incoming=frozenset({_E.INCLUDES, _E.HOLDS, _E.REFERS_TO})),
    Step(outgoing=frozenset({_E.ABOUT}), incoming=frozenset({_E.INCLUDES}), after=(1,)),
    *stating(after=(1, 2), place=3),
    Step(outgoing=frozenset({_E.SENT_TO, _E.APPROVED_BY, _E.MADE_BY}), after=(1, 2)),
    Step(outgoing=frozenset({_E.SHARES_ONWARD}), after=(2, 5)),
)


def recipients_of_item(store: Store, alias: str, org_types: Collection[str] | None = None) -> ItemRecipients:
    """Organisations that received the item (confirmed), may have (tier level), or received the data set
    holding it (inferred), each with its release, approval and chain of cited links; the organisations they
    shared onward with (inferred); those a source says did not get it; the releases of unpublished scope that
    may hold it; and those that ask DfE about pupils, where the record does not say the item went to them."""
    items = find_items(store, alias)
    by_item = {item.id: item for item in items}
    around = _Around(*follow_chain(store, list(by_item), _AROUND))
    held_in = {item.id: [h.node for h in around.into.get(item.id, []) if h.edge.kind is _E.HOLDS] for item in items}
    routes = _routes(items, around, held_in)
    # what sources state about these items (released to, left out of, or refused to a named recipient), and
    # every statement about the releases reached, whose exclusions outrank the rule
    meaning = {hop.node.id for item in items for hop in around.into.get(item.id, []) if hop.edge.kind is _E.REFERS_TO}
    targets = _stated_targets(routes, around, meaning)
    statements = stated_about(targets, around.about, around.stated)
    of_items = [s for target in targets for s in statements.get(target, ()) if s.statement.id in meaning]
    excluded = {target: excluded_items(stated, items) for target, stated in statements.items()}

    def gives_way(item: Node, release: Node, certainty: Certainty) -> bool:
        """Exclusion beats inference and secondary accounts: the one rule (lineage.model.gives_way_to_exclusion),
        for a route by a rule and for a statement that the item went alike."""
        return item.id in excluded.get(release.id, ()) and gives_way_to_exclusion(certainty)

    # a statement that items went is as sure as its source (DfE's own word does not give way; a campaigner's does)
    stated_routes = {
        (item.id, s.about.node.id): (item, s)
        for s in of_items
        if s.kind in RECEIVED
        for item in s.items
        if item.id in by_item and not gives_way(item, s.about.node, s.statement.certainty)
    }
    # a statement of the item replaces the rule's route to the same release
    routes = [
        route
        for route in routes
        if not gives_way(route.item, route.release, route.certainty)
        and (route.item.id, route.release.id) not in stated_routes
    ]
    receipts = [*_stated_receipts(stated_routes.values(), around.sent), *_sent_receipts(routes, around.sent)]
    receipts += _onward_receipts(receipts, around.onward)
    not_received = [
        NotReceived(item, organisation, stated, (stated.link_to(item), stated.about.link))
        for stated in of_items
        if stated.kind in EXCLUDING | REFUSED
        for item in stated.items
        if item.id in by_item
        for organisation, _ in _recipients(stated, around.sent.get(stated.about.node.id, []))
    ]
    answered = {r.release.id for r in receipts} | {n.stated.about.node.id for n in not_received}
    received = {r.organisation.id for r in receipts}
    answer = ItemRecipients(
        tuple(items),
        tuple(sorted(receipts, key=_receipt_order)),
        tuple(sorted(not_received, key=_not_received_order)),
        tuple(_unpublished(store, items, held_in, answered)),
        tuple(asking for id_, asking in matching_requests(store).items() if id_ not in received),
        linked_holdings(store),
    )
    return answer if org_types is None else _of_types(answer, org_types)


def _routes(items: Sequence[Node], around: _Around, held_in: Mapping[str, list[Node]]) -> list[_Route]:
    """The releases including each item: directly (as sure as that link), then by including the data set
    holding it (by the rule, where the item was in the NPD by the release's date)."""
    direct: list[_Route] = []
    held: dict[str, list[tuple[Node, Edge]]] = defaultdict(list)  # data set -> the items it holds, with the link
    for item in items:
        for hop in around.into.get(item.id, []):
            if hop.edge.kind is _E.INCLUDES:
                direct.append(_Route(item, hop.node, (hop.edge,), hop.edge.certainty))
            elif hop.edge.kind is _E.HOLDS:
                held[hop.node.id].append((item, hop.edge))
    by_rule = Certainty(CertaintyLevel.INFERRED, RULE_DATASET_SCOPE)
    through = [
        _Route(item, hop.node, (holds, hop.edge), by_rule)
        for dataset_id, holding in held.items()
        for hop in around.beyond.get(dataset_id, [])
        if hop.edge.kind is _E.INCLUDES
        for item, holds in holding
        if _in_npd_by(item, hop.node, held_in[item.id])
    ]
    return [*direct, *through]


def _stated_targets(routes: Sequence[_Route], around: _Around, meaning: Collection[str]) -> dict[str, Node]:
    """What statements are read about: the releases reached, and what the statements meaning the items are
    about (releases first, then the rest, by id)."""
    releases = {route.release.id: route.release for route in routes}
    about = {
        hop.node.id: hop.node for id_ in meaning for hop in around.beyond.get(id_, []) if hop.edge.kind is _E.ABOUT
    }
    nodes = [about[id_] for id_ in sorted(about)]
    releases.update((node.id, node) for node in nodes if node.kind is NodeKind.RELEASE)
    return releases | {node.id: node for node in nodes if node.id not in releases}


def _approval(hops: Sequence[Hop]) -> tuple[Node | None, tuple[Edge, ...]]:
    """A release's approval, and every APPROVED_BY link of it."""
    approvals = [hop for hop in hops if hop.edge.kind is _E.APPROVED_BY]
    return (approvals[0].node if approvals else None), tuple(hop.edge for hop in approvals)


def _stated_receipts(stated_routes: Iterable[tuple[Node, Stated]], sent: dict[str, list[Hop]]) -> list[Receipt]:
    """A receipt for each recipient of what a source's statement says went, as sure as the statement and links."""
    receipts = []
    for item, stated in stated_routes:
        hops = sent.get(stated.about.node.id, [])
        approval, _ = _approval(hops)
        chain: tuple[Edge, ...] = (stated.link_to(item), stated.about.link)
        for organisation, link in _recipients(stated, hops):
            links = (*chain, *([link] if link else []))
            certainty = weakest([stated.statement.certainty, *(edge.certainty for edge in links)])
            receipts.append(
                Receipt(item, stated.about.node, organisation, approval, links, certainty, statement=stated.statement)
            )
    return receipts


def _sent_receipts(routes: Iterable[_Route], sent: dict[str, list[Hop]]) -> list[Receipt]:
    """A receipt for each recipient a route's release was sent to, as sure as the route and the sending."""
    receipts = []
    for route in routes:
        hops = sent.get(route.release.id, [])
        approval, approved_by = _approval(hops)
        receipts += [
            Receipt(
                route.item,
                route.release,
                hop.node,
                approval,
                (*route.chain, hop.edge, *approved_by),
                weakest([route.certainty, hop.edge.certainty]),
            )
            for hop in hops
            if hop.edge.kind is _E.SENT_TO
        ]
    return receipts


def _onward_receipts(receipts: Sequence[Receipt], onward: dict[str, list[Hop]]) -> list[Receipt]:
    """What each recipient shared onward: a receipt (by the rule) for each it shared with, for each it got."""
    by_recipient: dict[str, list[Receipt]] = defaultdict(list)
    for receipt in receipts:
        by_recipient[receipt.organisation.id].append(receipt)
    by_rule = Certainty(CertaintyLevel.INFERRED, RULE_ONWARD)
    return [
        Receipt(
            first.item,
            first.release,
            hop.node,
            first.approval,
            (*first.chain, hop.edge),
            weakest([first.certainty, by_rule]),
            onward_from=first.organisation,
        )
        for org_id, firsts in by_recipient.items()
        for hop in onward.get(org_id, [])
        if hop.node.id != org_id
        for first in firsts
    ]


def _not_received_order(not_received: NotReceived) -> tuple[str, str, str]:
    organisation = not_received.organisation
    return (organisation.name.lower() if organisation else "", not_received.stated.statement.id, not_received.item.id)


def _of_types(answer: ItemRecipients, org_types: Collection[str]) -> ItemRecipients:
    """The answer narrowed to organisations of these types, in every part."""
    return replace(
        answer,
        receipts=tuple(r for r in answer.receipts if _typed(r.organisation, org_types)),
        not_received=tuple(n for n in answer.not_received if n.organisation and _typed(n.organisation, org_types)),
        unpublished_scope=tuple(u for u in answer.unpublished_scope if _typed(u.organisation, org_types)),
        asked_about=tuple(a for a in answer.asked_about if _typed(a.organisation, org_types)),
        linked_data=tuple(h for h in answer.linked_data if _typed(h.organisation, org_types)),
    )


def _typed(organisation: Node, org_types: Collection[str]) -> bool:
    return organisation.props.get("org_type") in org_types


def _in_npd_by(item: Node, release: Node, held_in: Sequence[Node]) -> bool:
    """Whether the item's data can be in the release (an undated release: its date is unknown, not late)."""
    date = release.props.get("date")
    return not isinstance(date, dt.date) or available_by(item, date, held_in)


def _unpublished(
    store: Store, items: Sequence[Node], held_in: Mapping[str, list[Node]], answered: Collection[str]
) -> list[UnpublishedScope]:
    """Every release whose items the record does not give, to each recipient, unless it already answers for these
    items (a receipt or an exclusion) or is dated before any of them was first populated (the record cannot hold
    that it held an item not yet collected); an undated release stays, its date unknown."""
    found = []
    for traced in release_walk(store).traces:
        release = traced.release
        if traced.includes or release.id in answered:
            continue
        if not any(_in_npd_by(item, release, held_in[item.id]) for item in items):
            continue
        found += [
            UnpublishedScope(
                release,
                r.node,
                r.link,
                traced.statements,
                tuple(s for s in traced.recipient_statements if s.about.node.id == r.node.id and s.kind in RECEIVED),
            )
            for r in traced.recipients
        ]
    found.sort(key=lambda u: (u.date or dt.date.max, u.organisation.name.lower(), u.release.id))
    return found


def _recipients(stated: Stated, hops: Sequence[Hop]) -> list[tuple[Node, Edge | None]]:
    """Who a statement is about: the organisation itself, or the recipient of the release or maker of the
    application it is about (with that link)."""
    if stated.about.node.kind is NodeKind.ORGANISATION:
        return [(stated.about.node, None)]
    return [(h.node, h.edge) for h in hops if h.edge.kind in (_E.SENT_TO, _E.MADE_BY)]


def departments_accessing_item(store: Store, alias: str) -> ItemRecipients:
    """Which other government departments, public bodies, police and courts accessed the item, in the same parts
    as :func:`recipients_of_item`."""
    return recipients_of_item(store, alias, org_types=STATE_ORG_TYPES)


@dataclass(frozen=True, slots=True)
class ItemProvenance:
    item: Node
    datasets: tuple[Related, ...]
    collections: tuple[Related, ...]
    classifications: tuple[Related, ...]
    release_rules: tuple[Related, ...]
    concepts: tuple[Related, ...]
    other_aliases: tuple[Related, ...]  # items of the same concepts, in other tables


#: From the items: their data sets, concepts, classification and release rules; what feeds, classifies and
#: restricts those data sets; the other items of those concepts (steps of one chain: one round trip on Neo4j).
_PROVENANCE = (
    Step(outgoing=frozenset({_E.CLASSIFIED_AS, _E.RESTRICTED_BY, _E.REPRESENTS}), incoming=frozenset({_E.HOLDS})),
    Step(outgoing=frozenset({_E.RESTRICTED_BY, _E.CLASSIFIED_AS}), incoming=frozenset({_E.FEEDS}), after=(1,)),
    Step(incoming=frozenset({_E.REPRESENTS}), after=(1,)),
)


def item_provenance(store: Store, alias: str) -> list[ItemProvenance]:
    """Upstream of each item with the alias: data set, collections, classification, release rules, concepts
    and the other aliases of the same concepts."""
    items = find_items(store, alias)
    around, upstream, siblings = follow_chain(store, [item.id for item in items], _PROVENANCE)
    answers = []
    for item in items:
        hops = around.get(item.id, [])
        datasets = related(hops, [_E.HOLDS])
        dataset_hops = [h for d in datasets for h in upstream.get(d.node.id, [])]
        concepts = related(hops, [_E.REPRESENTS])
        others = [
            Related(h.node, h.edge) for c in concepts for h in siblings.get(c.node.id, []) if h.node.id != item.id
        ]
        answers.append(
            ItemProvenance(
                item=item,
                datasets=datasets,
                collections=related(dataset_hops, [_E.FEEDS]),
                classifications=related([*hops, *dataset_hops], [_E.CLASSIFIED_AS]),
                release_rules=related([*hops, *dataset_hops], [_E.RESTRICTED_BY]),
                concepts=concepts,
                other_aliases=tuple(sorted(others, key=lambda r: r.node.id)),
            )
        )
    return answers


@dataclass(frozen=True, slots=True)
class ConceptAliases:
    concept: Node
    aliases: tuple[Related, ...]


def concept_aliases(store: Store, concept: str) -> list[ConceptAliases]:
    """Every alias of a concept across tables: concepts named exactly so (ignoring case), else containing it."""
    found = store.search(concept, [NodeKind.CONCEPT], limit=100).items
    exact = [c for c in found if c.name.lower() == concept.strip().lower()]
    concepts = exact or list(found)
    if not concepts:
        raise NotFound(f"no concept is named {concept!r}")
    members = follow(store, [c.id for c in concepts], incoming=[_E.REPRESENTS])
    return [ConceptAliases(c, tuple(Related(h.node, h.edge) for h in members.get(c.id, []))) for c in concepts]


def items_by_classification(
    store: Store,
    dataset: str | None = None,
    identifiability: Collection[int] | None = None,
    sensitivity: Collection[str] | None = None,
) -> list[Node]:
    """Data items by identifiability and sensitivity, optionally within one data set (by key or name)."""
    check_known("identifiability", identifiability or (), IDENTIFIABILITY)
    check_known("sensitivity", sensitivity or (), SENSITIVITY)
    if dataset is not None:
        matches = store.search(dataset, [NodeKind.DATASET], limit=100).items
        chosen = [d for d in matches if dataset.lower() in (d.key.lower(), d.name.lower())] or list(matches)
        if not chosen:
            raise NotFound(f"no NPD data set is named {dataset!r}")
        held = follow(store, [d.id for d in chosen], outgoing=[_E.HOLDS])
        items = [h.node for hops in held.values() for h in hops]
    elif identifiability:
        items = store.find_nodes(NodeKind.DATA_ITEM, "identifiability", list(identifiability))
    elif sensitivity:
        items = store.find_nodes(NodeKind.DATA_ITEM, "sensitivity", list(sensitivity))
    else:
        raise LineageError("give a data set, identifiability scores or sensitivity letters")
    wanted = [
        item
        for item in items
        if (not identifiability or item.props.get("identifiability") in identifiability)
        and (not sensitivity or item.props.get("sensitivity") in sensitivity)
    ]
    return sorted({item.id: item for item in wanted}.values(), key=lambda item: item.id)
