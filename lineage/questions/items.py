"""Data items: who received one (or may have, or was refused it), where it comes from, its aliases, and items
by classification.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from lineage.errors import LineageError, NotFound
from lineage.hops import Hop
from lineage.model import (
    STATE_ORG_TYPES,
    Certainty,
    CertaintyLevel,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    available_by,
    weakest,
)
from lineage.questions.common import RULE_DATASET_SCOPE, RULE_ONWARD, Related, find_items, follow, related
from lineage.questions.onward import LinkedHolding, linked_holdings
from lineage.questions.releases import MatchingRequests, matching_requests, release_walk
from lineage.questions.statements import EXCLUDING, RECEIVED, REFUSED, Stated, excluded_items, statements_about
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


@dataclass(frozen=True, slots=True)
class UnpublishedScope:
    """A release of NPD data to an organisation whose items the record does not give: it may hold the item, or
    not, and the public record cannot say which. Never a receipt."""

    release: Node
    organisation: Node
    sent: Edge  # the SENT_TO link
    statements: tuple[Stated, ...]  # what sources say of its items, where they say anything (none reach this item)

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


def recipients_of_item(store: Store, alias: str, org_types: Collection[str] | None = None) -> ItemRecipients:
    """Organisations that received the item (confirmed), may have (tier level), or received the data set
    holding it (inferred), each with its release, approval and chain of cited links; the organisations they
    shared onward with (inferred); those a source says did not get it; the releases of unpublished scope that
    may hold it; and those that ask DfE about pupils, where the record does not say the item went to them."""
    items = find_items(store, alias)
    item_ids = [item.id for item in items]
    by_item = {item.id: item for item in items}
    # release -> item, directly or through the data set holding the item
    included = follow(store, item_ids, incoming=[_E.INCLUDES, _E.HOLDS])
    routes: list[tuple[Node, Node, tuple[Edge, ...], Certainty]] = []  # item, release, chain, certainty
    datasets: dict[str, list[tuple[Node, Edge]]] = defaultdict(list)
    for item_id, hops in included.items():
        for hop in hops:
            if hop.edge.kind is _E.INCLUDES:
                routes.append((by_item[item_id], hop.node, (hop.edge,), hop.edge.certainty))
            else:
                datasets[hop.node.id].append((by_item[item_id], hop.edge))
    for dataset_id, hops in follow(store, list(datasets), incoming=[_E.INCLUDES]).items():
        for release_hop in hops:
            for item, holds in datasets[dataset_id]:
                certainty = Certainty(CertaintyLevel.INFERRED, RULE_DATASET_SCOPE)
                routes.append((item, release_hop.node, (holds, release_hop.edge), certainty))
    # what sources state about these items (released to, left out of, or refused to a named recipient), and
    # every statement about the releases reached, whose exclusions outrank the rule
    meaning, about_nodes = _stating(store, item_ids)
    releases = {release.id: release for _, release, _, _ in routes}
    releases.update((node.id, node) for node in about_nodes if node.kind is NodeKind.RELEASE)
    others = [node for node in about_nodes if node.id not in releases]
    statements = statements_about(store, [*releases.values(), *others])
    stated_about = [s for stated in statements.values() for s in stated if s.statement.id in meaning]
    excluded = {release_id: excluded_items(statements.get(release_id, ())) for release_id in releases}
    stated_routes = {
        (item.id, s.about.node.id): (item, s)
        for s in stated_about
        if s.kind in RECEIVED
        for item in s.items
        if item.id in by_item
    }
    # exclusion beats inference; a statement of the item replaces the rule's route to the same release
    routes = [
        route
        for route in routes
        if not (route[0].id in excluded.get(route[1].id, ()) and route[3].level is not CertaintyLevel.CONFIRMED)
        and (route[0].id, route[1].id) not in stated_routes
    ]
    from_release = follow(
        store, sorted([*releases, *(node.id for node in others)]), outgoing=[_E.SENT_TO, _E.APPROVED_BY, _E.MADE_BY]
    )
    receipts: list[Receipt] = []
    recipients: dict[str, list[Receipt]] = defaultdict(list)
    for item, stated in stated_routes.values():
        refers = (stated.link_to(item),)
        hops = from_release.get(stated.about.node.id, [])
        approval = next((h.node for h in hops if h.edge.kind is _E.APPROVED_BY), None)
        chain: tuple[Edge, ...] = (*refers, stated.about.link)
        for organisation, link in _recipients(stated, hops):
            certainty = weakest(
                [stated.statement.certainty, *(e.certainty for e in chain), *([link.certainty] if link else [])]
            )
            receipt = Receipt(
                item, stated.about.node, organisation, approval, (*chain, *([link] if link else [])), certainty,
                statement=stated.statement,
            )  # fmt: skip
            receipts.append(receipt)
            recipients[organisation.id].append(receipt)
    for item, release, chain, certainty in routes:
        hops = from_release.get(release.id, [])
        approval = next((h.node for h in hops if h.edge.kind is _E.APPROVED_BY), None)
        approval_edges = tuple(h.edge for h in hops if h.edge.kind is _E.APPROVED_BY)
        for hop in hops:
            if hop.edge.kind is _E.SENT_TO:
                receipt = Receipt(
                    item, release, hop.node, approval, (*chain, hop.edge, *approval_edges),
                    weakest([certainty, hop.edge.certainty]),
                )  # fmt: skip
                receipts.append(receipt)
                recipients[hop.node.id].append(receipt)
    not_received = [
        NotReceived(item, organisation, stated, (stated.link_to(item), stated.about.link))
        for stated in stated_about
        if stated.kind in EXCLUDING | REFUSED
        for item in stated.items
        if item.id in by_item
        for organisation, _ in _recipients(stated, from_release.get(stated.about.node.id, []))
    ]
    for org_id, hops in follow(store, list(recipients), outgoing=[_E.SHARES_ONWARD]).items():
        for hop in hops:
            if hop.node.id == org_id:
                continue
            for first in recipients[org_id]:
                receipts.append(
                    Receipt(
                        first.item, first.release, hop.node, first.approval, (*first.chain, hop.edge),
                        weakest([first.certainty, Certainty(CertaintyLevel.INFERRED, RULE_ONWARD)]),
                        onward_from=first.organisation,
                    )
                )  # fmt: skip
    answered = {r.release.id for r in receipts} | {n.stated.about.node.id for n in not_received}
    unpublished = _unpublished(store, items, answered)
    received = {r.organisation.id for r in receipts}
    asked = [asking for id_, asking in matching_requests(store).items() if id_ not in received]
    linked = list(linked_holdings(store))
    if org_types is not None:
        receipts = [r for r in receipts if _typed(r.organisation, org_types)]
        not_received = [n for n in not_received if n.organisation and _typed(n.organisation, org_types)]
        unpublished = [u for u in unpublished if _typed(u.organisation, org_types)]
        asked = [a for a in asked if _typed(a.organisation, org_types)]
        linked = [h for h in linked if _typed(h.organisation, org_types)]
    receipts.sort(key=_receipt_order)
    not_received.sort(
        key=lambda n: (n.organisation.name.lower() if n.organisation else "", n.stated.statement.id, n.item.id)
    )
    return ItemRecipients(
        tuple(items), tuple(receipts), tuple(not_received), tuple(unpublished), tuple(asked), tuple(linked)
    )


def _typed(organisation: Node, org_types: Collection[str]) -> bool:
    return organisation.props.get("org_type") in org_types


def _unpublished(store: Store, items: Sequence[Node], answered: Collection[str]) -> list[UnpublishedScope]:
    """Every release whose items the record does not give, to each recipient, unless it already answers for these
    items (a receipt or an exclusion) or is dated before any of them was first populated (the record cannot hold
    that it held an item not yet collected); an undated release stays, its date unknown."""
    found = []
    for traced in release_walk(store).traces:
        release = traced.release
        date = release.props.get("date")
        if traced.includes or release.id in answered:
            continue
        if isinstance(date, dt.date) and not any(available_by(item, date) for item in items):
            continue
        found += [UnpublishedScope(release, r.node, r.link, traced.statements) for r in traced.recipients]
    found.sort(key=lambda u: (u.date or dt.date.max, u.organisation.name.lower(), u.release.id))
    return found


def _stating(store: Store, item_ids: Collection[str]) -> tuple[set[str], list[Node]]:
    """The statements whose words are taken to mean these items, and the nodes those statements are about."""
    meant = sorted(item_ids)
    statement_ids = sorted({h.node.id for hops in follow(store, meant, incoming=[_E.REFERS_TO]).values() for h in hops})
    about = follow(store, statement_ids, outgoing=[_E.ABOUT])
    nodes = {h.node.id: h.node for hops in about.values() for h in hops}
    return set(statement_ids), [nodes[id_] for id_ in sorted(nodes)]


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


def item_provenance(store: Store, alias: str) -> list[ItemProvenance]:
    """Upstream of each item with the alias: data set, collections, classification, release rules, concepts
    and the other aliases of the same concepts."""
    items = find_items(store, alias)
    ids = [item.id for item in items]
    around = follow(store, ids, outgoing=[_E.CLASSIFIED_AS, _E.RESTRICTED_BY, _E.REPRESENTS], incoming=[_E.HOLDS])
    dataset_ids = sorted({h.node.id for hops in around.values() for h in hops if h.edge.kind is _E.HOLDS})
    concept_ids = sorted({h.node.id for hops in around.values() for h in hops if h.edge.kind is _E.REPRESENTS})
    upstream = follow(store, dataset_ids, outgoing=[_E.RESTRICTED_BY, _E.CLASSIFIED_AS], incoming=[_E.FEEDS])
    siblings = follow(store, concept_ids, incoming=[_E.REPRESENTS])
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
