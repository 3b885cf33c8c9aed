"""The campaign's questions, answered from any store, framework-free.

Each question is a plain function over a Store returning plain dataclasses; the GraphQL API is a thin
adapter over them. Every answer keeps the links it rests on, so each step shows its citations, and
says how sure it is: the weakest certainty along its chain, or ``inferred`` by a named rule where the
question itself adds a step (an item inside a released data set, an onward share, a pupil's years).
Each question asks the store a fixed, small number of batched calls, whatever the size of the answer.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from lineage.errors import LineageError, NotFound
from lineage.model import (
    STRENGTH,
    Certainty,
    CertaintyLevel,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    populated_by,
    weakest,
)
from lineage.store import Direction, Hop, Store

GOVERNMENT_TYPES = frozenset({"government department", "police"})
#: The rules a question may name when it infers a step.
RULE_DATASET_SCOPE = "item-in-released-dataset"
RULE_ONWARD = "onward-sharing"
RULE_PUPIL_YEARS = "pupil-years-in-coverage"
_E = EdgeKind
T = TypeVar("T")
_NONE: frozenset[EdgeKind] = frozenset()


def _follow(
    store: Store, ids: Collection[str], outgoing: Collection[EdgeKind] = (), incoming: Collection[EdgeKind] = ()
) -> dict[str, list[Hop]]:
    """One batched expansion, grouped by the node it starts from."""
    if not ids:
        return {}
    grouped: dict[str, list[Hop]] = defaultdict(list)
    for hop in store.expand(ids, frozenset(outgoing), frozenset(incoming)):
        grouped[hop.near].append(hop)
    for hops in grouped.values():
        hops.sort(key=lambda hop: (hop.node.id, hop.edge.id))
    return grouped


def _items(store: Store, alias: str) -> list[Node]:
    items = store.find_nodes(NodeKind.DATA_ITEM, "alias", [alias])
    if not items:
        raise NotFound(f"no NPD data item has the alias {alias!r}")
    return items


# ---- what the record says, statement by statement ---------------------------------------------------

#: Statements saying items did not go with a release: they outrank the tier rule for those items.
EXCLUDING = frozenset({"not_released", "requested_then_excluded"})
#: Statements saying items were asked for and not given.
REFUSED = frozenset({"requested_application_rejected"})


@dataclass(frozen=True, slots=True)
class Stated:
    """One source's statement about a release, an application or an organisation, in its own words, with
    what its words are taken to mean (concepts, items, data sets, each by a named rule) and the data items
    that reaches, and any statement that contradicts it."""

    statement: Node
    about: Related  # the release, application or organisation, and the ABOUT link
    means: tuple[Related, ...]
    reaches: tuple[tuple[Node, Edge], ...]  # each data item meant, and the REFERS_TO link that reaches it
    contradicted_by: tuple[Related, ...]

    @property
    def kind(self) -> str:
        return str(self.statement.props.get("statement", ""))

    @property
    def items(self) -> tuple[Node, ...]:
        return tuple(item for item, _ in self.reaches)

    def link_to(self, item: Node) -> Edge:
        """The REFERS_TO link by which the statement reaches the item (to it, or to a concept it represents)."""
        return next(link for reached, link in self.reaches if reached.id == item.id)


def _statements(store: Store, nodes: Collection[Node]) -> dict[str, list[Stated]]:
    """The statements about each of these nodes, by node id: three batched calls, whatever their number."""
    targets = {node.id: node for node in nodes}
    about = _follow(store, list(targets), incoming=[_E.ABOUT])
    statement_ids = sorted({h.node.id for hops in about.values() for h in hops})
    around = _follow(store, statement_ids, outgoing=[_E.REFERS_TO, _E.CONTRADICTS], incoming=[_E.CONTRADICTS])
    concept_ids = sorted({h.node.id for hops in around.values() for h in hops if h.edge.kind is _E.REFERS_TO})
    members = _follow(store, concept_ids, incoming=[_E.REPRESENTS])
    answers: dict[str, list[Stated]] = {}
    for target, hops in about.items():
        for hop in hops:
            near = around.get(hop.node.id, [])
            means = _related(near, [_E.REFERS_TO])
            reached: dict[str, tuple[Node, Edge]] = {}
            latest = hop.node.props.get("latest_date")
            for meant in means:
                if meant.node.kind is NodeKind.DATA_ITEM:
                    reached.setdefault(meant.node.id, (meant.node, meant.link))
                for member in members.get(meant.node.id, []):
                    # an alias first populated after the statement's date is not what its words meant
                    if member.node.kind is NodeKind.DATA_ITEM and (
                        not isinstance(latest, dt.date) or populated_by(member.node, latest)
                    ):
                        reached.setdefault(member.node.id, (member.node, meant.link))
            items = tuple(reached[id_] for id_ in sorted(reached))
            contradicted = _related(near, [_E.CONTRADICTS])
            answers.setdefault(target, []).append(
                Stated(hop.node, Related(targets[target], hop.edge), means, items, contradicted)
            )
    return answers


def _excluded_items(stated: Iterable[Stated]) -> set[str]:
    return {item.id for s in stated if s.kind in EXCLUDING for item in s.items}


# ---- who received an item ------------------------------------------------------------------------


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
class ItemRecipients:
    items: tuple[Node, ...]
    receipts: tuple[Receipt, ...]
    not_received: tuple[NotReceived, ...] = ()  # excluded from a release, or refused, as a source states


def _receipt_order(receipt: Receipt) -> tuple:
    return (receipt.date or dt.date.max, receipt.organisation.name.lower(), receipt.release.id, receipt.item.id)


def recipients_of_item(store: Store, alias: str, org_types: Collection[str] | None = None) -> ItemRecipients:
    """Organisations that received the item (confirmed), may have (tier level), or received the data set
    holding it (inferred), each with its release, approval and chain of cited links; and the organisations
    they shared onward with (inferred)."""
    items = _items(store, alias)
    item_ids = [item.id for item in items]
    by_item = {item.id: item for item in items}
    # release -> item, directly or through the data set holding the item
    included = _follow(store, item_ids, incoming=[_E.INCLUDES, _E.HOLDS])
    routes: list[tuple[Node, Node, tuple[Edge, ...], Certainty]] = []  # item, release, chain, certainty
    datasets: dict[str, list[tuple[Node, Edge]]] = defaultdict(list)
    for item_id, hops in included.items():
        for hop in hops:
            if hop.edge.kind is _E.INCLUDES:
                routes.append((by_item[item_id], hop.node, (hop.edge,), hop.edge.certainty))
            else:
                datasets[hop.node.id].append((by_item[item_id], hop.edge))
    for dataset_id, hops in _follow(store, list(datasets), incoming=[_E.INCLUDES]).items():
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
    statements = _statements(store, [*releases.values(), *others])
    stated_about = [s for stated in statements.values() for s in stated if s.statement.id in meaning]
    excluded = {release_id: _excluded_items(statements.get(release_id, ())) for release_id in releases}
    stated_routes = {
        (item.id, s.about.node.id): (item, s)
        for s in stated_about
        if s.kind == "released"
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
    from_release = _follow(
        store, sorted([*releases, *(node.id for node in others)]), outgoing=[_E.SENT_TO, _E.APPROVED_BY, _E.MADE_BY]
    )
    receipts: list[Receipt] = []
    recipients: dict[str, list[Receipt]] = defaultdict(list)
    for item, stated in stated_routes.values():
        refers = (stated.link_to(item),)
        hops = from_release.get(stated.about.node.id, [])
        approval = next((h.node for h in hops if h.edge.kind is _E.APPROVED_BY), None)
        chain = (*refers, stated.about.link)
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
    for org_id, hops in _follow(store, list(recipients), outgoing=[_E.SHARES_ONWARD]).items():
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
    if org_types is not None:
        receipts = [r for r in receipts if r.organisation.props.get("org_type") in org_types]
        not_received = [n for n in not_received if n.organisation and n.organisation.props.get("org_type") in org_types]
    receipts.sort(key=_receipt_order)
    not_received.sort(
        key=lambda n: (n.organisation.name.lower() if n.organisation else "", n.stated.statement.id, n.item.id)
    )
    return ItemRecipients(tuple(items), tuple(receipts), tuple(not_received))


def _stating(store: Store, item_ids: Collection[str]) -> tuple[set[str], list[Node]]:
    """The statements whose words are taken to mean these items (directly or through their concepts), and
    the nodes those statements are about."""
    concepts = _follow(store, item_ids, outgoing=[_E.REPRESENTS])
    meant = sorted(set(item_ids) | {h.node.id for hops in concepts.values() for h in hops})
    statement_ids = sorted(
        {h.node.id for hops in _follow(store, meant, incoming=[_E.REFERS_TO]).values() for h in hops}
    )
    about = _follow(store, statement_ids, outgoing=[_E.ABOUT])
    nodes = {h.node.id: h.node for hops in about.values() for h in hops}
    return set(statement_ids), [nodes[id_] for id_ in sorted(nodes)]


def _recipients(stated: Stated, hops: Sequence[Hop]) -> list[tuple[Node, Edge | None]]:
    """Who a statement is about: the organisation itself, or the recipient of the release or maker of the
    application it is about (with that link)."""
    if stated.about.node.kind is NodeKind.ORGANISATION:
        return [(stated.about.node, None)]
    return [(h.node, h.edge) for h in hops if h.edge.kind in (_E.SENT_TO, _E.MADE_BY)]


def departments_accessing_item(store: Store, alias: str) -> ItemRecipients:
    """Which other government departments (and police) accessed the item."""
    return recipients_of_item(store, alias, org_types=GOVERNMENT_TYPES)


# ---- where an item comes from ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Related:
    """A node next to the one asked about, with the link that relates them."""

    node: Node
    link: Edge


@dataclass(frozen=True, slots=True)
class ItemProvenance:
    item: Node
    datasets: tuple[Related, ...]
    collections: tuple[Related, ...]
    classifications: tuple[Related, ...]
    release_rules: tuple[Related, ...]
    concepts: tuple[Related, ...]
    other_aliases: tuple[Related, ...]  # items of the same concepts, in other tables


def _related(hops: Iterable[Hop], kinds: Collection[EdgeKind]) -> tuple[Related, ...]:
    return tuple(Related(hop.node, hop.edge) for hop in hops if hop.edge.kind in kinds)


def item_provenance(store: Store, alias: str) -> list[ItemProvenance]:
    """Upstream of each item with the alias: data set, collections, classification, release rules, concepts
    and the other aliases of the same concepts."""
    items = _items(store, alias)
    ids = [item.id for item in items]
    around = _follow(store, ids, outgoing=[_E.CLASSIFIED_AS, _E.RESTRICTED_BY, _E.REPRESENTS], incoming=[_E.HOLDS])
    dataset_ids = sorted({h.node.id for hops in around.values() for h in hops if h.edge.kind is _E.HOLDS})
    concept_ids = sorted({h.node.id for hops in around.values() for h in hops if h.edge.kind is _E.REPRESENTS})
    upstream = _follow(store, dataset_ids, outgoing=[_E.RESTRICTED_BY, _E.CLASSIFIED_AS], incoming=[_E.FEEDS])
    siblings = _follow(store, concept_ids, incoming=[_E.REPRESENTS])
    answers = []
    for item in items:
        hops = around.get(item.id, [])
        datasets = _related(hops, [_E.HOLDS])
        dataset_hops = [h for d in datasets for h in upstream.get(d.node.id, [])]
        concepts = _related(hops, [_E.REPRESENTS])
        others = [
            Related(h.node, h.edge) for c in concepts for h in siblings.get(c.node.id, []) if h.node.id != item.id
        ]
        answers.append(
            ItemProvenance(
                item=item,
                datasets=datasets,
                collections=_related(dataset_hops, [_E.FEEDS]),
                classifications=_related([*hops, *dataset_hops], [_E.CLASSIFIED_AS]),
                release_rules=_related([*hops, *dataset_hops], [_E.RESTRICTED_BY]),
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
    members = _follow(store, [c.id for c in concepts], incoming=[_E.REPRESENTS])
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
        held = _follow(store, [d.id for d in chosen], outgoing=[_E.HOLDS])
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


# ---- organisations and releases --------------------------------------------------------------------


def find_organisation(store: Store, name: str) -> Node:
    """The organisation by name or any of its cited variants, ignoring case and punctuation."""
    from importers.organisations import normalise  # the one definition of an organisation's key

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


def _trace(store: Store, releases: Sequence[Node]) -> list[ReleaseTrace]:
    """Each release downstream, its inclusions less those a statement excludes (unless confirmed)."""
    ids = [r.id for r in releases]
    out = _follow(store, ids, outgoing=[_E.APPROVED_BY, _E.SENT_TO, _E.INCLUDES])
    stated = _statements(store, releases)
    recipient_ids = sorted({h.node.id for hops in out.values() for h in hops if h.edge.kind is _E.SENT_TO})
    onward = _follow(store, recipient_ids, outgoing=[_E.SHARES_ONWARD])
    traces = []
    for release in releases:
        hops = out.get(release.id, [])
        recipients = _related(hops, [_E.SENT_TO])
        statements = tuple(stated.get(release.id, ()))
        excluded = _excluded_items(statements)
        traces.append(
            ReleaseTrace(
                release=release,
                approvals=_related(hops, [_E.APPROVED_BY]),
                recipients=recipients,
                includes=tuple(
                    r
                    for r in _related(hops, [_E.INCLUDES])
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
    return _trace(store, releases[:1])[0]


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
    around = _follow(
        store,
        [organisation.id],
        outgoing=[_E.SHARES_ONWARD],
        incoming=[_E.SENT_TO, _E.FLOWS_TO, _E.SHARES_ONWARD, _E.MADE_BY],
    )
    hops = around.get(organisation.id, [])
    releases = [h.node for h in hops if h.edge.kind is _E.SENT_TO]
    traces = _trace(store, sorted(releases, key=_dated))
    onward = [h for h in hops if h.edge.kind is _E.SHARES_ONWARD and h.node.id != organisation.id]  # no self-loop
    made = sorted((h for h in hops if h.edge.kind is _E.MADE_BY), key=lambda h: _dated(h.node))
    led_to = _follow(store, [h.node.id for h in made], outgoing=[_E.LED_TO])
    stated = _statements(store, [organisation, *(h.node for h in made)])
    applications = tuple(
        ApplicationTrace(
            h.node,
            Related(organisation, h.edge),
            _related(led_to.get(h.node.id, []), [_E.LED_TO]),
            tuple(stated.get(h.node.id, ())),
        )
        for h in made
    )
    return OrganisationReceipts(
        organisation,
        tuple(traces),
        _related(hops, [_E.FLOWS_TO]),
        tuple(Related(h.node, h.edge) for h in onward if h.edge.target == organisation.id),
        tuple(Related(h.node, h.edge) for h in onward if h.edge.source == organisation.id),
        applications,
        tuple(stated.get(organisation.id, ())),
    )


def _dated(node: Node) -> tuple:
    """Dated first, by date; then the rest by id."""
    date = node.props.get("date")
    return (date if isinstance(date, dt.date) else dt.date.max, node.id)


# ---- schools and pupils ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SchoolChain:
    school: Node
    predecessors: tuple[tuple[Node, int, tuple[Edge, ...]], ...]  # node, hops away, path
    successors: tuple[tuple[Node, int, tuple[Edge, ...]], ...]


def school_successors(store: Store, urn: int, max_depth: int = 10) -> SchoolChain:
    """A school's chain of URNs through GIAS links, both directions, each with the dated links between."""
    school = store.get_node(f"{NodeKind.SCHOOL.value}:{urn}")
    if school is None:
        raise NotFound(f"no school has the URN {urn}")
    sides = []
    for direction in (Direction.UPSTREAM, Direction.DOWNSTREAM):
        result = store.traverse(
            school.id, direction, max_depth=max_depth, edge_kinds={_E.SUCCEEDED_BY}, limit=1000, max_paths=1
        )
        sides.append(tuple((r.node, r.degree, r.paths[0] if r.paths else ()) for r in result.reached.items))
    return SchoolChain(school, sides[0], sides[1])


@dataclass(frozen=True, slots=True)
class Reach:
    """A release that may hold the record of a pupil at the school in the years asked about, and why."""

    release: Node
    organisations: tuple[Node, ...]
    spans: tuple[tuple[str, int, int], ...]  # data set (or item) name, first and last academic year matched
    certainty: Certainty
    scope_published: bool
    note: str | None = None  # why nothing can be matched, for a release whose scope is not published

    @property
    def matched(self) -> tuple[str, ...]:
        """Which data sets and years matched, in words (or why nothing can be)."""
        if self.note is not None:
            return (self.note,)
        return tuple(f"{name}: {_academic(lo)} to {_academic(hi)}" for name, lo, hi in self.spans)


@dataclass(frozen=True, slots=True)
class PupilReach:
    schools: tuple[Node, ...]
    years: tuple[int, int]
    reaches: tuple[Reach, ...]
    unpublished_scope: tuple[Reach, ...] = field(default=())


_OPEN = 10**6  # an open end of a year span


def _span(node: Node) -> tuple[int, int]:
    start, end = node.props.get("first_year"), node.props.get("last_year")
    return (start if isinstance(start, int) else -_OPEN, end if isinstance(end, int) else _OPEN)


def _academic(year: int) -> str:
    """2013 -> "2013/14", the way the NPD writes academic years."""
    return f"{year}/{(year + 1) % 100:02d}"


@dataclass(frozen=True, slots=True)
class _ReleaseScope:
    """What a release's published scope covers, by data set: year spans, and how sure each is."""

    release: Node
    organisations: tuple[Node, ...]
    spans: tuple[tuple[str, int, int, Certainty], ...]  # data set (or item) name, first, last year, certainty
    published: bool


class _PerState(Generic[T]):
    """A value derived from the whole of a store (and the arguments after it), computed once per state of
    the store (its version). A caller arriving while it is computed waits for that answer rather
    than compute it again. At most ``keep`` argument sets are kept per store, the least recently asked
    going first."""

    def __init__(self, compute: Callable[..., T], keep: int = 1) -> None:
        self._compute = compute
        self._keep = keep
        self._values: weakref.WeakKeyDictionary[Store, tuple[Hashable, OrderedDict[tuple, T]]] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def __call__(self, store: Store, *args: Hashable) -> T:
        with self._lock:
            current = store.version()
            cached = self._values.get(store)
            if cached is None or cached[0] != current:
                cached = self._values[store] = (current, OrderedDict())
            values = cached[1]
            if args in values:
                values.move_to_end(args)
            else:
                if len(values) >= self._keep:
                    values.popitem(last=False)
                values[args] = self._compute(store, *args)
            return values[args]


@dataclass(frozen=True, slots=True)
class _ReleaseWalk:
    traces: list[ReleaseTrace]
    holders: dict[str, list[Hop]]  # item id -> the data sets holding it


@_PerState
def _release_walk(store: Store) -> _ReleaseWalk:
    """Every release traced, and the data sets holding the items they include: what pupil-reach and flows
    both start from, walked once per state of the store (about 10 MB kept at national scale)."""
    traces = _trace(store, store.all_nodes(NodeKind.RELEASE))
    item_ids = sorted({i.node.id for t in traces for i in t.includes if i.node.kind is NodeKind.DATA_ITEM})
    return _ReleaseWalk(traces, _follow(store, item_ids, incoming=[_E.HOLDS]))


@_PerState
def _release_scopes(store: Store) -> list[_ReleaseScope]:
    """Every release's scope: the same for every pupil asked about."""
    walk = _release_walk(store)
    dataset_of = walk.holders
    scopes = []
    for trace in walk.traces:
        spans: dict[tuple[str, Certainty], list[tuple[int, int]]] = defaultdict(list)
        for included in trace.includes:
            holders = [h.node for h in dataset_of.get(included.node.id, [])] or [included.node]
            lo, hi = _span(included.node)
            for holder in holders:
                holder_lo, holder_hi = _span(holder)
                if max(lo, holder_lo) <= min(hi, holder_hi):
                    spans[(holder.name, included.link.certainty)].append((max(lo, holder_lo), min(hi, holder_hi)))
        merged = tuple(
            (name, lo, hi, certainty)
            for (name, certainty), intervals in sorted(spans.items(), key=str)
            for lo, hi in _merge(intervals)
        )
        organisations = tuple(r.node for r in trace.recipients)
        scopes.append(_ReleaseScope(trace.release, organisations, merged, bool(trace.includes)))
    return scopes


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or adjacent year spans as one: the answer only asks which years are covered."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(intervals):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def pupil_reach(store: Store, urn: int, from_year: int, to_year: int) -> PupilReach:
    """Releases and organisations that may hold the record of a pupil at this school (and its predecessors
    and successors) in these academic years (by the year they start): a release matches where an item or
    data set in its scope was populated in those years, within its data set's years. The school census
    covers every state school, so the school itself narrows nothing a release's published scope does not;
    a release whose scope is not published is listed apart, never hidden."""
    if from_year > to_year:
        raise LineageError(f"fromYear {from_year} is after toYear {to_year}")
    chain = school_successors(store, urn)
    schools = (chain.school, *(n for n, _, _ in chain.predecessors), *(n for n, _, _ in chain.successors))
    reaches, unpublished = _reaches_in_years(store, from_year, to_year)
    return PupilReach(tuple(schools), (from_year, to_year), reaches, unpublished)


def _reaches(store: Store, from_year: int, to_year: int) -> tuple[tuple[Reach, ...], tuple[Reach, ...]]:
    """The releases whose scope covers these years, and those whose scope is not published: the same for
    every school, so kept per span of years. At national scale an answer holds some 4,500 releases (about
    1.2 MB), so 64 spans are kept: enough for every span a page of questions asks, bounded against a
    caller asking every span there is."""
    inferred = Certainty(CertaintyLevel.INFERRED, RULE_PUPIL_YEARS)
    reaches, unpublished = [], []
    for scope in _release_scopes(store):
        matched: dict[str, tuple[int, int]] = {}
        certainties = [inferred]
        for name, lo, hi, certainty in scope.spans:
            lo, hi = max(lo, from_year), min(hi, to_year)
            if lo <= hi:
                seen = matched.get(name, (lo, hi))
                matched[name] = (min(seen[0], lo), max(seen[1], hi))
                certainties.append(certainty)
        if matched:
            spans = tuple((name, lo, hi) for name, (lo, hi) in sorted(matched.items()))
            reaches.append(Reach(scope.release, scope.organisations, spans, weakest(certainties), True))
        elif not scope.published:
            tiers = scope.release.props.get("tiers")
            reason = (
                f"approved for tier(s) {', '.join(tiers)}, whose items are not in the graph"
                if tiers
                else "the release's scope (data sets, items, years) is not published"
            )
            unpublished.append(Reach(scope.release, scope.organisations, (), inferred, False, note=reason))
    reaches.sort(key=lambda r: _dated(r.release))
    unpublished.sort(key=lambda r: _dated(r.release))
    return tuple(reaches), tuple(unpublished)


_reaches_in_years = _PerState(_reaches, keep=64)


# ---- flows, for a Sankey ---------------------------------------------------------------------------

#: The Sankey's columns, upstream to downstream.
FLOW_STAGES = ("collection", "dataset", "classification", "organisation type", "organisation")


@dataclass(frozen=True, slots=True)
class FlowLink:
    source: str  # "<stage>:<label>"
    target: str
    releases: int  # how many releases this link carries
    certainty: Certainty  # the weakest of the links it summarises


@dataclass(frozen=True, slots=True)
class Volume:
    """A published aggregate volume to an organisation, with its period and source."""

    flow: Node
    organisation: Node
    link: Edge


@dataclass(frozen=True, slots=True)
class Flows:
    links: tuple[FlowLink, ...]
    volumes: tuple[Volume, ...]
    releases_counted: int
    releases_without_scope: int  # releases in the period whose items are not published: in no link


def _classification(item: Node) -> tuple[str, int | None, str | None]:
    """The item's label in the Sankey's classification column, and its identifiability and sensitivity when
    the label is of those scales (the flows filter selects on them), else None."""
    sensitivity, identifiability = item.props.get("sensitivity"), item.props.get("identifiability")
    if sensitivity and identifiability:
        label = f"identifiability {identifiability}, sensitivity {sensitivity}"
        return label, int(identifiability), str(sensitivity)
    tier = item.props.get("old_tier")
    return (f"old tier {tier}" if tier else "unclassified"), None, None


@dataclass(frozen=True, slots=True)
class FlowFilter:
    """What `flows` may be narrowed to. A release counts on a link only through its paths that pass, so a
    filter on one column narrows the counts of every column exactly. Empty sets keep everything."""

    identifiability: frozenset[int] = frozenset()
    sensitivity: frozenset[str] = frozenset()
    organisation_types: frozenset[str] = frozenset()

    def keeps_class(self, identifiability: int | None, sensitivity: str | None) -> bool:
        """Items of those scales only: an old tier, a whole data set or no classification is not one."""
        if not (self.identifiability or self.sensitivity):
            return True
        if identifiability is None or sensitivity is None:
            return False
        return (not self.identifiability or identifiability in self.identifiability) and (
            not self.sensitivity or sensitivity in self.sensitivity
        )

    def keeps_type(self, organisation_type: str) -> bool:
        return not self.organisation_types or organisation_type in self.organisation_types

    def __bool__(self) -> bool:
        return bool(self.identifiability or self.sensitivity or self.organisation_types)


#: (collection, data set, classification label, identifiability, sensitivity, certainty of the inclusion)
_Upstream = tuple[str, str, str, int | None, str | None, Certainty]
#: (organisation type, organisation name, certainty of the sending)
_Recipient = tuple[str, str, Certainty]


@dataclass(frozen=True, slots=True)
class _ReleaseFlow:
    """One release's paths through the Sankey's columns (its upstream parts times its recipients), and its
    links with no filter, each with the weakest certainty it has there."""

    release: Node
    upstream: tuple[_Upstream, ...]
    recipients: tuple[_Recipient, ...]
    links: dict[tuple[str, str], Certainty]
    published: bool  # False when the release's scope (items, data sets) is not in the graph


def _links(upstream: Iterable[_Upstream], recipients: Sequence[_Recipient]) -> dict[tuple[str, str], Certainty]:
    """The links of every path from these upstream parts to these recipients, each at its weakest."""
    links: dict[tuple[str, str], list[Certainty]] = defaultdict(list)
    for collection, dataset_name, klass, _, _, certainty in upstream:
        source, held, classed = f"collection:{collection}", f"dataset:{dataset_name}", f"classification:{klass}"
        for org_type, org_name, sent in recipients:
            both = (certainty, sent)
            typed = f"organisation type:{org_type}"
            links[(source, held)] += both
            links[(held, classed)] += both
            links[(classed, typed)] += both
            links[(typed, f"organisation:{org_name}")] += both
    return {pair: weakest(certainties) for pair, certainties in links.items()}


@_PerState
def _release_flows(store: Store) -> list[_ReleaseFlow]:
    """Every release's paths: any period or filter asked of `flows` is a selection of them. Items of one
    data set and classification, sent at one certainty, make one path."""
    walk = _release_walk(store)
    traces, holders = walk.traces, walk.holders
    dataset_ids = sorted({h.node.id for hops in holders.values() for h in hops} | {
        i.node.id for t in traces for i in t.includes if i.node.kind is NodeKind.DATASET
    })  # fmt: skip
    feeders = _follow(store, dataset_ids, incoming=[_E.FEEDS])
    collections_of = {id_: [h.node.name for h in feeders.get(id_, [])] or ["unknown collection"] for id_ in dataset_ids}
    release_flows = []
    for trace in traces:
        upstream: set[_Upstream] = set()
        for included in trace.includes:
            if included.node.kind is NodeKind.DATASET:
                datasets, classified = [included.node], ("whole data set", None, None)
            else:
                datasets = [h.node for h in holders.get(included.node.id, [])]
                classified = _classification(included.node)
            for dataset in datasets:
                for collection in collections_of[dataset.id]:
                    upstream.add((collection, dataset.name, *classified, included.link.certainty))
        recipients = tuple(
            (str(r.node.props.get("org_type") or "unknown"), r.node.name, r.link.certainty) for r in trace.recipients
        )
        ordered = tuple(sorted(upstream, key=str))
        release_flows.append(
            _ReleaseFlow(trace.release, ordered, recipients, _links(ordered, recipients), bool(trace.includes))
        )
    return release_flows


def prepare(store: Store) -> None:
    """Computes what the whole-graph questions (pupil-reach, flows) share, so their first asker need not wait:
    a server calls it as it starts."""
    _release_scopes(store)
    _release_flows(store)


def flows(
    store: Store, start: dt.date | None = None, end: dt.date | None = None, only: FlowFilter = FlowFilter()
) -> Flows:
    """Releases dated in [start, end] (inclusive; undated releases only when no period is asked) summarised
    as collection -> data set -> classification -> organisation type -> organisation, each link weighted by
    the number of releases with a path through it that passes ``only``; and the published aggregate volumes
    (to organisations of the filtered types; they have no classification)."""
    in_period = [f for f in _release_flows(store) if _dated_within(f.release, start, end)]
    carried: dict[tuple[str, str], int] = defaultdict(int)
    weakest_of: dict[tuple[str, str], Certainty] = {}
    for release_flow in in_period:
        links = release_flow.links
        if only:
            upstream = [u for u in release_flow.upstream if only.keeps_class(u[3], u[4])]
            links = _links(upstream, [r for r in release_flow.recipients if only.keeps_type(r[0])])
        for pair, certainty in links.items():
            carried[pair] += 1
            known = weakest_of.get(pair)
            if known is None or STRENGTH[certainty.level] < STRENGTH[known.level]:
                weakest_of[pair] = certainty
    links_out = tuple(
        FlowLink(source, target, releases, weakest_of[(source, target)])
        for (source, target), releases in sorted(carried.items())
    )
    aggregates = [f for f in store.all_nodes(NodeKind.AGGREGATE_FLOW) if _overlaps_period(f, start, end)]
    targets = _follow(store, [f.id for f in aggregates], outgoing=[_E.FLOWS_TO])
    volumes = [
        Volume(flow, hop.node, hop.edge)
        for flow in aggregates
        for hop in targets.get(flow.id, [])
        if only.keeps_type(str(hop.node.props.get("org_type") or "unknown"))
    ]
    without_scope = sum(1 for f in in_period if not f.published)
    return Flows(links_out, tuple(volumes), len(in_period), without_scope)


def _dated_within(release: Node, start: dt.date | None, end: dt.date | None) -> bool:
    date = release.props.get("date")
    if not isinstance(date, dt.date):
        return start is None and end is None
    return (start is None or start <= date) and (end is None or date <= end)


def _overlaps_period(node: Node, start: dt.date | None, end: dt.date | None) -> bool:
    lo, hi = node.validity.valid_from, node.validity.valid_to
    return (end is None or lo is None or lo <= end) and (start is None or hi is None or start <= hi)
