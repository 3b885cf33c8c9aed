"""Data items as GraphQL fields, over lineage.questions.items: who received an item (or may have, or was
refused it), where it comes from, its aliases, and items by classification.

Receipts, releases of unpublished scope, organisations asking about pupils and refusals stay in parts of
their own, as the question keeps them, so no reader takes one for another.
"""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from lineage import questions
from lineage.api.cookbook.common import Related, related_list
from lineage.api.cookbook.releases import MatchingRequests, matching_requests
from lineage.api.cookbook.statements import StatedScope, stated_scope, stated_scopes
from lineage.api.types import (
    DEFAULT_PAGE,
    Certainty,
    Citation,
    Connection,
    GraphNode,
    Link,
    certainty_of,
    citations_of,
    graph_node,
    link,
    paginate,
)
from lineage.model import Edge


def _chain_citations(edges: tuple[Edge, ...]) -> list[Citation]:
    """Every source along a chain of links, each once, in the order the chain first cites it."""
    seen: dict[tuple[str, str, int | None, str], Citation] = {}
    for edge in edges:
        for citation in citations_of(edge.citations):
            seen.setdefault((citation.document, citation.file, citation.row, citation.address), citation)
    return list(seen.values())


@strawberry.type(description="One way an organisation received, or may have received, a data item.")
class Receipt:
    item: GraphNode
    release: GraphNode = strawberry.field(
        description="The release; where a source's statement of the items gives the receipt, what it is about "
        "(a release, an application or the organisation itself)."
    )
    organisation: GraphNode
    approval: GraphNode | None
    onward_from: GraphNode | None = strawberry.field(description="Set when it came by onward sharing.")
    date: dt.date | None = strawberry.field(description="The release's date, as cited.")
    panel: str | None
    legal_gateway: str | None = strawberry.field(description="As the source states it; never supplied by us.")
    access_route: str | None
    certainty: Certainty = strawberry.field(description="The weakest certainty along the chain.")
    citations: list[Citation] = strawberry.field(description="Every source along the chain.")
    links: list[Link] = strawberry.field(description="The chain from the item to the organisation.")
    statement: GraphNode | None = strawberry.field(
        description="Set when a source's statement of the items says it went: its words and quote."
    )


def _receipt(receipt: questions.Receipt) -> Receipt:
    approval = receipt.approval
    return Receipt(
        item=graph_node(receipt.item),
        release=graph_node(receipt.release),
        organisation=graph_node(receipt.organisation),
        approval=graph_node(receipt.approval) if receipt.approval else None,
        onward_from=graph_node(receipt.onward_from) if receipt.onward_from else None,
        date=receipt.date,
        panel=approval.text("panel") if approval else None,
        legal_gateway=approval.text("legal_gateway") if approval else None,
        access_route=approval.text("access_route") if approval else None,
        certainty=certainty_of(receipt.certainty),
        citations=_chain_citations(receipt.chain),
        links=[link(edge) for edge in receipt.chain],
        statement=graph_node(receipt.statement) if receipt.statement else None,
    )


@strawberry.type(description="A source's statement that an organisation did not get the item: excluded, or refused.")
class NotReceived:
    item: GraphNode
    organisation: GraphNode | None
    statement: StatedScope
    certainty: Certainty = strawberry.field(description="The statement's source, and the rule reaching this alias.")
    citations: list[Citation]
    links: list[Link]


def _not_received(answer: questions.NotReceived) -> NotReceived:
    return NotReceived(
        item=graph_node(answer.item),
        organisation=graph_node(answer.organisation) if answer.organisation else None,
        statement=stated_scope(answer.stated),
        certainty=certainty_of(answer.certainty),
        citations=_chain_citations(answer.chain),
        links=[link(edge) for edge in answer.chain],
    )


@strawberry.type(
    description="A release of NPD data whose items the record does not give: it may hold the item or not, and "
    "the public record cannot say which. Never a receipt."
)
class UnpublishedRelease:
    release: GraphNode
    organisation: GraphNode
    link: Link = strawberry.field(description="The release's link to the organisation, with its sources.")
    date: dt.date | None = strawberry.field(description="The release's date, as cited; null when it is unknown.")
    certainty: Certainty = strawberry.field(description="How sure it is that NPD data went (not which).")
    statements: list[StatedScope] = strawberry.field(
        description="What sources say of its items, where they say anything; none of them reach this item."
    )


def _unpublished_release(answer: questions.UnpublishedScope) -> UnpublishedRelease:
    return UnpublishedRelease(
        release=graph_node(answer.release),
        organisation=graph_node(answer.organisation),
        link=link(answer.sent),
        date=answer.date,
        certainty=certainty_of(answer.certainty),
        statements=stated_scopes(answer.statements),
    )


@strawberry.type(
    description="A body holding a linked data set derived from pupil records (the NPD, or records DfE sends): it "
    "may hold the item or not; the record gives the set's items only where a source states them. Never a receipt."
)
class LinkedHolding:
    record_set: GraphNode = strawberry.field(description="The linked data set, with its size where stated.")
    organisation: GraphNode
    held: Link = strawberry.field(description="Its link to the body, with its route, role and sources.")
    derived: list[Link] = strawberry.field(description="What the set is derived from among pupil records, cited.")
    certainty: Certainty = strawberry.field(description="The weakest of those links.")


def _linked_holding(answer: questions.LinkedHolding) -> LinkedHolding:
    return LinkedHolding(
        record_set=graph_node(answer.record_set),
        organisation=graph_node(answer.organisation),
        held=link(answer.held),
        derived=[link(edge) for edge in answer.derived],
        certainty=certainty_of(answer.certainty),
    )


@strawberry.type(
    description="Who received an item, in parts never mixed: receipts (the item, confirmed or by a named rule); "
    "releases of unpublished scope; organisations asking DfE about pupils; holders of linked data sets; and who "
    "a source says did not get it."
)
class ItemRecipients:
    items: list[GraphNode] = strawberry.field(description="The data items with this alias (one per table).")
    receipts: Connection[Receipt]
    not_received: list[NotReceived] = strawberry.field(
        description="Who a source says did not get it: left out of a release, or refused. Never also a receipt "
        "by the tier rule."
    )
    unpublished_scope: Connection[UnpublishedRelease] = strawberry.field(
        description="Releases of NPD data whose items are not published (none dated before the item was first "
        "collected): received NPD data, which items is not published."
    )
    asked_about: list[MatchingRequests] = strawberry.field(
        description="Organisations that ask DfE about pupils, where the record does not say this item went to them."
    )
    linked_data: list[LinkedHolding] = strawberry.field(
        description="Bodies holding a linked data set derived from pupil records, whose items the record does not "
        "give: they may hold the item or not."
    )


def _item_recipients(answer: questions.ItemRecipients, first: int, after: str | None) -> ItemRecipients:
    return ItemRecipients(
        items=[graph_node(i) for i in answer.items],
        receipts=paginate(answer.receipts, first, after, _receipt),
        not_received=[_not_received(n) for n in answer.not_received],
        unpublished_scope=paginate(answer.unpublished_scope, first, None, _unpublished_release),
        asked_about=[matching_requests(a) for a in answer.asked_about],
        linked_data=[_linked_holding(h) for h in answer.linked_data],
    )


@strawberry.type
class ItemProvenance:
    item: GraphNode
    datasets: list[Related]
    collections: list[Related]
    classifications: list[Related]
    release_rules: list[Related] = strawberry.field(description="Published rules restricting its release.")
    concepts: list[Related]
    other_aliases: list[Related] = strawberry.field(description="The same concepts under other aliases.")


def _item_provenance(answer: questions.ItemProvenance) -> ItemProvenance:
    return ItemProvenance(
        item=graph_node(answer.item),
        datasets=related_list(answer.datasets),
        collections=related_list(answer.collections),
        classifications=related_list(answer.classifications),
        release_rules=related_list(answer.release_rules),
        concepts=related_list(answer.concepts),
        other_aliases=related_list(answer.other_aliases),
    )


@strawberry.type
class ConceptAliases:
    concept: GraphNode
    aliases: list[Related]


def _concept_aliases(answer: questions.ConceptAliases) -> ConceptAliases:
    return ConceptAliases(concept=graph_node(answer.concept), aliases=related_list(answer.aliases))


@strawberry.type
class ItemsQuery:
    @strawberry.field(description="Organisations that received an NPD data item (by alias) or may have.")
    async def recipients_of_item(
        self, info: Info, item: str, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> ItemRecipients:
        answer = await info.context.call(questions.recipients_of_item, info.context.store, item)
        return _item_recipients(answer, first, after)

    @strawberry.field(description="Which government departments and police accessed a data item.")
    async def departments_accessing_item(
        self, info: Info, item: str, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> ItemRecipients:
        answer = await info.context.call(questions.departments_accessing_item, info.context.store, item)
        return _item_recipients(answer, first, after)

    @strawberry.field(description="Where a data item comes from, how it is classified and restricted, and its aliases.")
    async def item_provenance(self, info: Info, item: str) -> list[ItemProvenance]:
        answers = await info.context.call(questions.item_provenance, info.context.store, item)
        return [_item_provenance(answer) for answer in answers]

    @strawberry.field(description="Every alias of a concept, across NPD tables.")
    async def concept_aliases(self, info: Info, concept: str) -> list[ConceptAliases]:
        answers = await info.context.call(questions.concept_aliases, info.context.store, concept)
        return [_concept_aliases(answer) for answer in answers]

    @strawberry.field(description="Data items by identifiability and sensitivity, optionally in one data set.")
    async def items_by_classification(
        self,
        info: Info,
        dataset: str | None = None,
        identifiability: list[int] | None = None,
        sensitivity: list[str] | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[GraphNode]:
        items = await info.context.call(
            questions.items_by_classification, info.context.store, dataset, identifiability, sensitivity
        )
        return paginate(items, first, after, graph_node)
