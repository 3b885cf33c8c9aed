"""Data items as GraphQL fields, over lineage.questions.items: who received an item (or may have, or was
refused it), where it comes from, its aliases, and items by classification.

Receipts, releases of unpublished scope, organisations asking about pupils and refusals stay in parts of
their own, as the question keeps them, so no reader takes one for another.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from lineage import questions
from lineage.api.cookbook import onward, releases, statements  # noqa: F401  (derive the answers these hold)
from lineage.api.cookbook.derive import As, Page, answer_type, to_graphql
from lineage.api.types import DEFAULT_PAGE, Connection, GraphNode, graph_node, paginate

Receipt = answer_type(
    questions.Receipt,
    description="One way an organisation received, or may have received, a data item.",
    fields={
        "release": "The release; where a source's statement of the items gives the receipt, what it is about "
        "(a release, an application or the organisation itself).",
        "chain": As(name="links", description="The chain from the item to the organisation."),
        "certainty": "The weakest certainty along the chain.",
        "rules": "Every rule the chain rests on, in order (tier-level for the tier rule): the certainty names the "
        "weakest alone.",
        "onward_from": "Set when it came by onward sharing.",
        "statement": "Set when a source's statement of the items says it went: its words and quote.",
        "date": "The release's date, as cited.",
        "legal_gateway": "As the source states it; never supplied by us.",
        "citations": "Every source along the chain.",
    },
)

NotReceived = answer_type(
    questions.NotReceived,
    description="A source's statement that an organisation did not get the item: excluded, or refused.",
    fields={
        "stated": As(name="statement"),
        "chain": As(name="links"),
        "certainty": "The statement's source, and the rule reaching this alias.",
    },
)

UnpublishedRelease = answer_type(
    questions.UnpublishedScope,
    name="UnpublishedRelease",
    description="A release of NPD data whose items the record does not give: it may hold the item or not, and "
    "the public record cannot say which. Never a receipt.",
    fields={
        "sent": As(name="link", description="The release's link to the organisation, with its sources."),
        "statements": "What sources say of its items, where they say anything; none of them reach this item.",
        "recipient_statements": "What sources say went to its recipient, naming no release (DfE's answer of what the "
        "Home Office gets back on a match): maybe in this release, maybe not, and never read as its items.",
        "date": "The release's date, as cited; null when it is unknown.",
        "certainty": "How sure it is that NPD data went (not which).",
    },
)

ItemRecipients = answer_type(
    questions.ItemRecipients,
    description="Who received an item, in parts never mixed: receipts (the item, confirmed or by a named rule); "
    "releases of unpublished scope; organisations asking DfE about pupils; holders of linked data sets; and who "
    "a source says did not get it.",
    fields={
        "items": "The data items with this alias (one per table).",
        "receipts": As(connection=True),
        "not_received": "Who a source says did not get it: left out of a release, or refused. Never also a receipt "
        "by the tier rule.",
        "unpublished_scope": As(
            connection=True,
            first_page_only=True,
            description="Releases of NPD data whose items are not published (none dated before the item was first "
            "collected): received NPD data, which items is not published.",
        ),
        "asked_about": "Organisations that ask DfE about pupils, where the record does not say this item went to them.",
        "linked_data": "Bodies holding a linked data set derived from pupil records, whose items the record does not "
        "give: they may hold the item or not.",
    },
)

ItemProvenance = answer_type(
    questions.ItemProvenance,
    fields={
        "release_rules": "Published rules restricting its release.",
        "other_aliases": "The same concepts under other aliases.",
    },
)

ConceptAliases = answer_type(questions.ConceptAliases)


@strawberry.type
class ItemsQuery:
    @strawberry.field(
        description="Organisations that received an NPD data item (by alias) or may have.", graphql_type=ItemRecipients
    )
    async def recipients_of_item(
        self, info: Info, item: str, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> object:
        answer = await info.context.call(questions.recipients_of_item, info.context.store, item)
        return to_graphql(answer, Page(first, after))

    @strawberry.field(
        description="Which government departments and police accessed a data item.", graphql_type=ItemRecipients
    )
    async def departments_accessing_item(
        self, info: Info, item: str, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> object:
        answer = await info.context.call(questions.departments_accessing_item, info.context.store, item)
        return to_graphql(answer, Page(first, after))

    @strawberry.field(
        description="Where a data item comes from, how it is classified and restricted, and its aliases.",
        graphql_type=list[ItemProvenance],  # type: ignore[valid-type]
    )
    async def item_provenance(self, info: Info, item: str) -> object:
        answers = await info.context.call(questions.item_provenance, info.context.store, item)
        return [to_graphql(answer) for answer in answers]

    @strawberry.field(
        description="Every alias of a concept, across NPD tables.",
        graphql_type=list[ConceptAliases],  # type: ignore[valid-type]
    )
    async def concept_aliases(self, info: Info, concept: str) -> object:
        answers = await info.context.call(questions.concept_aliases, info.context.store, concept)
        return [to_graphql(answer) for answer in answers]

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
