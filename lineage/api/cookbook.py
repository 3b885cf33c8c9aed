"""The campaign's questions as GraphQL fields: thin adapters over lineage.questions.

Each answer keeps its chain of links, so every step shows its citations and certainty; the long
lists are connections with totalCount. graphql/queries/*.graphql holds one operation per question.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from lineage import letter, questions
from lineage.api.types import (
    DEFAULT_PAGE,
    Certainty,
    Citation,
    Connection,
    GraphNode,
    Link,
    certainty_of,
    citations_of,
    connection,
    graph_node,
    link,
    page_window,
    paginate,
)
from lineage.model import Edge


def _chain_citations(edges: tuple[Edge, ...]) -> list[Citation]:
    seen: dict[tuple, Citation] = {}
    for edge in edges:
        for citation in citations_of(edge.citations):
            seen.setdefault((citation.document, citation.file, citation.row, citation.address), citation)
    return list(seen.values())


@strawberry.type(description="A node next to the one asked about, and the link that relates them.")
class Related:
    node: GraphNode
    link: Link


def _related(related: questions.Related) -> Related:
    return Related(node=graph_node(related.node), link=link(related.link))


def _related_list(items: tuple[questions.Related, ...]) -> list[Related]:
    return [_related(r) for r in items]


@strawberry.type(
    description="What one source says of a release, an application or an organisation, in its own words, "
    "and what those words are taken to mean (each by a named rule)."
)
class StatedScope:
    statement: GraphNode = strawberry.field(description="The statement: its words, quote, kind and source.")
    kind: str = strawberry.field(description="released, not_released, requested_then_excluded, ... as the source says")
    about: Related = strawberry.field(description="The release, application or organisation it is about.")
    means: list[Related] = strawberry.field(description="The concepts, items or data sets its words are taken to mean.")
    items: list[GraphNode] = strawberry.field(description="The data items those reach (aliases of the concepts).")
    contested: bool = strawberry.field(description="Another cited source disagrees with it.")
    contradicted_by: list[Related] = strawberry.field(description="The statements that disagree, with their sources.")


def _statement(stated: questions.Stated) -> StatedScope:
    return StatedScope(
        statement=graph_node(stated.statement),
        kind=stated.kind,
        about=_related(stated.about),
        means=_related_list(stated.means),
        items=[graph_node(item) for item in stated.items],
        contested=bool(stated.contradicted_by),
        contradicted_by=_related_list(stated.contradicted_by),
    )


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
    approval = receipt.approval.props if receipt.approval else {}
    return Receipt(
        item=graph_node(receipt.item),
        release=graph_node(receipt.release),
        organisation=graph_node(receipt.organisation),
        approval=graph_node(receipt.approval) if receipt.approval else None,
        onward_from=graph_node(receipt.onward_from) if receipt.onward_from else None,
        date=receipt.date,
        panel=approval.get("panel"),  # type: ignore[arg-type]
        legal_gateway=approval.get("legal_gateway"),  # type: ignore[arg-type]
        access_route=approval.get("access_route"),  # type: ignore[arg-type]
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
        statement=_statement(answer.stated),
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


def _unpublished(answer: questions.UnpublishedScope) -> UnpublishedRelease:
    return UnpublishedRelease(
        release=graph_node(answer.release),
        organisation=graph_node(answer.organisation),
        link=link(answer.sent),
        date=answer.date,
        certainty=certainty_of(answer.certainty),
        statements=[_statement(s) for s in answer.statements],
    )


@strawberry.type(
    description="An organisation that asks DfE about pupils (sending what it knows of people to be matched against "
    "the NPD), with the statements and published figures that say what it sends, gets back and how often."
)
class MatchingRequests:
    organisation: GraphNode
    statements: list[StatedScope] = strawberry.field(description="What it sends, and what DfE returns on a match.")
    figures: list[Related] = strawberry.field(
        description="Published figures of what it asked (flowsFrom) and what came back (flowsTo), with periods."
    )
    certainty: Certainty = strawberry.field(description="That it asks: as sure as the surest source saying so.")


def _matching(answer: questions.MatchingRequests) -> MatchingRequests:
    return MatchingRequests(
        organisation=graph_node(answer.organisation),
        statements=[_statement(s) for s in answer.statements],
        figures=_related_list(answer.flows),
        certainty=certainty_of(answer.certainty),
    )


@strawberry.type(
    description="Who received an item, in parts never mixed: receipts (the item, confirmed or by a named rule); "
    "releases of unpublished scope; organisations asking DfE about pupils; and who a source says did not get it."
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


def _item_recipients(answer: questions.ItemRecipients, first: int, after: str | None) -> ItemRecipients:
    return ItemRecipients(
        items=[graph_node(i) for i in answer.items],
        receipts=paginate(answer.receipts, first, after, _receipt),
        not_received=[_not_received(n) for n in answer.not_received],
        unpublished_scope=paginate(answer.unpublished_scope, first, None, _unpublished),
        asked_about=[_matching(a) for a in answer.asked_about],
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


@strawberry.type
class ConceptAliases:
    concept: GraphNode
    aliases: list[Related]


@strawberry.type
class ReleaseTrace:
    release: GraphNode
    approvals: list[Related]
    recipients: list[Related]
    includes: Connection[Related] = strawberry.field(
        description="Items or data sets, confirmed or at tier level; never an item a statement excludes."
    )
    onward: list[Related]
    statements: list[StatedScope] = strawberry.field(
        description="What sources say it held or left out, in their words, contested ones with both sides."
    )


def _trace(trace: questions.ReleaseTrace, first: int = DEFAULT_PAGE, after: str | None = None) -> ReleaseTrace:
    return ReleaseTrace(
        release=graph_node(trace.release),
        approvals=_related_list(trace.approvals),
        recipients=_related_list(trace.recipients),
        includes=paginate(trace.includes, first, after, _related),
        onward=_related_list(trace.onward),
        statements=[_statement(s) for s in trace.statements],
    )


@strawberry.type(description="An application for NPD data, whatever its outcome, with what sources say of it.")
class ApplicationOutcome:
    application: GraphNode
    status: str = strawberry.field(
        description="approved, released, submitted for approval, pending, rejected, not pursued, arrangement, "
        "match flag only, policy, or not stated"
    )
    made_by: Related | None = strawberry.field(description="The applicant; null where the entry names none.")
    commissioned_by: list[Related] = strawberry.field(description="Who the entry says commissioned it.")
    releases: list[Related] = strawberry.field(description="The release it led to, where one is drawn.")
    statements: list[StatedScope] = strawberry.field(description="What sources say it asked for or got.")


def _application(answer: questions.ApplicationTrace) -> ApplicationOutcome:
    return ApplicationOutcome(
        application=graph_node(answer.application),
        status=answer.status,
        made_by=_related(answer.made_by) if answer.made_by else None,
        commissioned_by=_related_list(answer.commissioned_by),
        releases=_related_list(answer.releases),
        statements=[_statement(s) for s in answer.statements],
    )


@strawberry.type
class OrganisationReceipts:
    organisation: GraphNode
    releases: list[ReleaseTrace]
    aggregate_flows: list[Related] = strawberry.field(description="Published figures of what flowed to it.")
    flows_from: list[Related] = strawberry.field(
        description="Published figures of what it sent DfE or asked DfE about (requests, people to match)."
    )
    received_onward: list[Related]
    shared_onward: list[Related] = strawberry.field(description="Its own onward shares, to other organisations.")
    applications: list[ApplicationOutcome] = strawberry.field(
        description="Every application it made, refused and pending ones included: never drawn as flows."
    )
    commissioned: list[ApplicationOutcome] = strawberry.field(
        description="Applications by others that their entry says it commissioned."
    )
    statements: list[StatedScope] = strawberry.field(
        description="What sources say of it where they identify no release or application."
    )


@strawberry.type
class ChainStep:
    school: GraphNode
    hops: int
    links: list[Link]


@strawberry.type
class SchoolChain:
    school: GraphNode
    predecessors: list[ChainStep]
    successors: list[ChainStep]


def _chain(answer: questions.SchoolChain) -> SchoolChain:
    def steps(side: tuple) -> list[ChainStep]:
        return [ChainStep(school=graph_node(n), hops=d, links=[link(e) for e in p]) for n, d, p in side]

    return SchoolChain(
        school=graph_node(answer.school), predecessors=steps(answer.predecessors), successors=steps(answer.successors)
    )


@strawberry.type(description="A release that may hold a pupil's record, and why.")
class Reach:
    release: GraphNode
    organisations: list[GraphNode]
    matched: list[str] = strawberry.field(description="Which data sets and years matched, or why nothing can.")
    certainty: Certainty
    scope_published: bool


def _reach(reach: questions.Reach) -> Reach:
    return Reach(
        release=graph_node(reach.release),
        organisations=[graph_node(o) for o in reach.organisations],
        matched=list(reach.matched),
        certainty=certainty_of(reach.certainty),
        scope_published=reach.scope_published,
    )


@strawberry.type
class PupilReach:
    schools: list[GraphNode] = strawberry.field(description="The school, its predecessors and successors.")
    from_year: int
    to_year: int
    reaches: Connection[Reach]
    unpublished_scope: Connection[Reach] = strawberry.field(
        description="Releases whose scope is not published: they may hold the record; the public record cannot say."
    )


@strawberry.type
class FlowLink:
    source: str
    target: str
    releases: int
    certainty: Certainty


@strawberry.type(description="A value of the Sankey's classification column, with the scales it is of.")
class FlowClassification:
    label: str = strawberry.field(description="As the links name it: classification:<label>.")
    identifiability: int | None = strawberry.field(description="Null unless of the identifiability scale.")
    sensitivity: str | None = strawberry.field(description="Null unless of the sensitivity scale.")
    old_tier: int | None = strawberry.field(description="Null unless an old tier.")


@strawberry.type
class Volume:
    flow: GraphNode
    organisation: GraphNode
    link: Link


@strawberry.type(
    description="Flows for a Sankey: collection, data set, classification, organisation type, organisation."
)
class Flows:
    stages: list[str]
    links: list[FlowLink]
    volumes: list[Volume] = strawberry.field(description="Published aggregate volumes, with period and source.")
    releases_counted: int = strawberry.field(description="Releases in the period.")
    releases_without_scope: int = strawberry.field(
        description="Of them, releases whose items are not published: drawn as 'items not published'."
    )
    releases_shown: int = strawberry.field(description="Of them, releases drawn: a path of theirs passes the filter.")
    releases_hidden: int = strawberry.field(description="Of them, releases the filter leaves out.")
    classifications: list[FlowClassification] = strawberry.field(
        description="The classification column's values in the links, so no label need be parsed."
    )


@strawberry.type(description="An event or a published figure, placed in time by the dates its source gives.")
class TimelineEntry:
    node: GraphNode = strawberry.field(description="The Event, or the published figure (AggregateFlow).")
    kind: str = strawberry.field(description="The event's kind as cited (pause, access_model, ...), or figure.")
    date_as_cited: str = strawberry.field(description="The date or period in the source's words.")
    valid_from: dt.date | None = strawberry.field(description="The first day it holds (null: open).")
    valid_to: dt.date | None = strawberry.field(description="The last day it holds (null: open).")
    text: str = strawberry.field(description="What happened, or what was counted and how many.")
    certainty: Certainty
    citations: list[Citation]
    concerns: list[Related] = strawberry.field(description="What it is about, each link cited.")


def _entry(entry: questions.TimelineEntry) -> TimelineEntry:
    return TimelineEntry(
        node=graph_node(entry.node),
        kind=entry.kind,
        date_as_cited=entry.date_as_cited,
        valid_from=entry.node.validity.valid_from,
        valid_to=entry.node.validity.valid_to,
        text=entry.text,
        certainty=certainty_of(entry.node.certainty),
        citations=citations_of(entry.node.citations),
        concerns=_related_list(entry.concerns),
    )


@strawberry.type
class Timeline:
    entries: Connection[TimelineEntry] = strawberry.field(description="Oldest first.")
    kinds: list[str] = strawberry.field(description="Every kind of event the graph holds, and figure.")
    undated: int = strawberry.field(description="Events and figures of the kinds asked that the record gives no dates.")


@strawberry.type(description="A published total for one outcome in one year, and the figure that gives it.")
class PublishedTotal:
    figure: GraphNode
    value: int
    rule: str = strawberry.field(description="The rule that read the figure's value as a total per year.")


@strawberry.type(
    description="The applications the record names with one outcome in one year, beside the published total, so a "
    "reader sees how much of each total is named."
)
class OutcomeCount:
    status: str
    year: int | None = strawberry.field(description="The calendar year; null where the record gives no single year.")
    named: int = strawberry.field(description="How many applications the graph names with this outcome and year.")
    applications: list[GraphNode]
    published: list[PublishedTotal]


@strawberry.type(description="A school found by a search: by which of its fields, or through the school it became.")
class SchoolMatch:
    school: GraphNode
    found_by: str = strawberry.field(description="URN, name, town, postcode, or successor (found through it).")
    through: GraphNode | None = strawberry.field(description="The school found, when this one was before it.")
    links: list[Related] = strawberry.field(description="The GIAS links from this school to the one found, cited.")


def _school_match(match: questions.SchoolMatch) -> SchoolMatch:
    return SchoolMatch(
        school=graph_node(match.school),
        found_by=match.found_by,
        through=graph_node(match.through) if match.through else None,
        links=_related_list(match.links),
    )


@strawberry.type(description="An NPD data set whose years overlap those asked: it may hold records of them.")
class HeldDataset:
    dataset: GraphNode
    from_year: int | None = strawberry.field(description="The first of the years asked it covers; null: not given.")
    to_year: int | None = strawberry.field(description="The last of the years asked it covers; null: not given.")
    collections: list[Related] = strawberry.field(description="The collections feeding it, each link cited.")


@strawberry.type(description="A release that may hold the record, its recipients cited, how sure in words.")
class RecordRelease:
    release: GraphNode
    reference: str = strawberry.field(description="How to name it to DfE: its register reference, or its entry.")
    recipients: list[Related] = strawberry.field(description="Its recipients (of this group), each SENT_TO cited.")
    matched: list[str] = strawberry.field(description="Which data sets and years matched, or why nothing can.")
    certainty_words: str = strawberry.field(
        description="confirmed, by the tier of data released, items not published, ... as a reader reads it"
    )
    basis: Certainty | None = strawberry.field(description="How sure its scope is; null: its items are not published.")
    certainty: Certainty = strawberry.field(description="With the rule that matched the years.")
    scope_published: bool


def _record_release(found: questions.RecordRelease) -> RecordRelease:
    reach = found.reach
    return RecordRelease(
        release=graph_node(reach.release),
        reference=questions.records.release_reference(reach.release),
        recipients=_related_list(found.recipients),
        matched=list(reach.matched),
        certainty_words=found.certainty_words,
        basis=certainty_of(reach.basis) if reach.basis else None,
        certainty=certainty_of(reach.certainty),
        scope_published=reach.scope_published,
    )


@strawberry.type(description="The releases to one type of organisation (government departments, police, ...).")
class RecipientGroup:
    label: str
    organisation_type: str | None = strawberry.field(description="As the record gives it; null: no recipient named.")
    releases: Connection[RecordRelease]


@strawberry.type(
    description="Where a record from a school in some years may have gone, whole: the school's chain, the data "
    "sets covering the years, the releases by type of recipient, and what the record says was not released."
)
class RecordReach:
    chain: SchoolChain
    from_year: int
    to_year: int
    datasets: list[HeldDataset]
    releases_count: int = strawberry.field(description="Releases that may hold the record, in every group.")
    groups: list[RecipientGroup]
    not_released: list[StatedScope] = strawberry.field(
        description="What sources say did not go to these recipients or with these releases, in their words."
    )


@strawberry.type(description="A subject access request, to fill in; it holds nothing about the child.")
class Letter:
    text: str
    format: str
    media_type: str
    filename: str
    name_placeholder: str = strawberry.field(
        description="Where the child's name goes, as it stands in the text: the page puts the typed name there."
    )
    references: list[str] = strawberry.field(description="The release references it lists.")


@strawberry.type
class CookbookQuery:
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
        return [
            ItemProvenance(
                item=graph_node(a.item),
                datasets=_related_list(a.datasets),
                collections=_related_list(a.collections),
                classifications=_related_list(a.classifications),
                release_rules=_related_list(a.release_rules),
                concepts=_related_list(a.concepts),
                other_aliases=_related_list(a.other_aliases),
            )
            for a in answers
        ]

    @strawberry.field(description="Every alias of a concept, across NPD tables.")
    async def concept_aliases(self, info: Info, concept: str) -> list[ConceptAliases]:
        answers = await info.context.call(questions.concept_aliases, info.context.store, concept)
        return [ConceptAliases(concept=graph_node(a.concept), aliases=_related_list(a.aliases)) for a in answers]

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

    @strawberry.field(description="All that an organisation received, its name variants resolved.")
    async def organisation_receipts(self, info: Info, name: str) -> OrganisationReceipts:
        answer = await info.context.call(questions.organisation_receipts, info.context.store, name)
        return OrganisationReceipts(
            organisation=graph_node(answer.organisation),
            releases=[_trace(t) for t in answer.releases],
            aggregate_flows=_related_list(answer.aggregate_flows),
            flows_from=_related_list(answer.flows_from),
            received_onward=_related_list(answer.received_onward),
            shared_onward=_related_list(answer.shared_onward),
            applications=[_application(a) for a in answer.applications],
            commissioned=[_application(a) for a in answer.commissioned],
            statements=[_statement(s) for s in answer.statements],
        )

    @strawberry.field(description="One release downstream: approval, recipient, items or tiers, onward sharing.")
    async def release_trace(
        self, info: Info, reference: str, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> ReleaseTrace:
        answer = await info.context.call(questions.release_trace, info.context.store, reference)
        return _trace(answer, first, after)

    @strawberry.field(description="A school's chain of URNs through GIAS links, both directions, with dates.")
    async def school_successors(self, info: Info, urn: int) -> SchoolChain:
        answer = await info.context.call(questions.school_successors, info.context.store, urn)
        return _chain(answer)

    @strawberry.field(
        description="Releases and organisations that may hold the record of a pupil at a school in some years."
    )
    async def pupil_reach(
        self, info: Info, urn: int, from_year: int, to_year: int, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> PupilReach:
        answer = await info.context.call(questions.pupil_reach, info.context.store, urn, from_year, to_year)
        return PupilReach(
            schools=[graph_node(s) for s in answer.schools],
            from_year=from_year,
            to_year=to_year,
            reaches=paginate(answer.reaches, first, after, _reach),
            unpublished_scope=paginate(answer.unpublished_scope, first, after, _reach),
        )

    @strawberry.field(
        description="Events and published figures whose dates overlap the period (inclusive), oldest first, each "
        "cited, with what it concerns; kinds keeps those kinds (an event's kind, or figure)."
    )
    async def timeline(
        self,
        info: Info,
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = None,
        to: dt.date | None = None,
        kinds: list[str] | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Timeline:
        answer = await info.context.call(questions.timeline, info.context.store, from_, to, kinds)
        return Timeline(
            entries=paginate(answer.entries, first, after, _entry), kinds=list(answer.kinds), undated=answer.undated
        )

    @strawberry.field(
        description="Applications by outcome (status) and year, beside the published totals of that outcome per year."
    )
    async def application_outcomes(self, info: Info) -> list[OutcomeCount]:
        answer = await info.context.call(questions.application_outcomes, info.context.store)
        return [
            OutcomeCount(
                status=row.status,
                year=row.year,
                named=len(row.applications),
                applications=[graph_node(a) for a in row.applications],
                published=[
                    PublishedTotal(figure=graph_node(p.figure), value=p.value, rule=questions.RULE_PER_YEAR)
                    for p in row.published
                ],
            )
            for row in answer
        ]

    @strawberry.field(
        description="Aggregated flows for a Sankey, published volumes included. The filters narrow every "
        "column exactly: a release counts on a link only through its paths of those classes and types."
    )
    async def flows(
        self,
        info: Info,
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = None,
        to: dt.date | None = None,
        identifiability: list[int] | None = None,
        sensitivity: list[str] | None = None,
        organisation_types: list[str] | None = None,
    ) -> Flows:
        only = questions.FlowFilter(
            frozenset(identifiability or ()), frozenset(sensitivity or ()), frozenset(organisation_types or ())
        )
        answer = await info.context.call(questions.flows, info.context.store, from_, to, only)
        return Flows(
            stages=list(questions.FLOW_STAGES),
            links=[
                FlowLink(source=f.source, target=f.target, releases=f.releases, certainty=certainty_of(f.certainty))
                for f in answer.links
            ],
            volumes=[
                Volume(flow=graph_node(v.flow), organisation=graph_node(v.organisation), link=link(v.link))
                for v in answer.volumes
            ],
            releases_counted=answer.releases_counted,
            releases_without_scope=answer.releases_without_scope,
            releases_shown=answer.releases_shown,
            releases_hidden=answer.releases_hidden,
            classifications=[
                FlowClassification(
                    label=c.label, identifiability=c.identifiability, sensitivity=c.sensitivity, old_tier=c.old_tier
                )
                for c in answer.classifications
            ],
        )

    @strawberry.field(
        description="Schools by URN, name, town or postcode district, then the schools each was before (so a closed "
        "school is found through the school it became)."
    )
    async def school_search(self, info: Info, text: str, first: int = DEFAULT_PAGE) -> Connection[SchoolMatch]:
        found = await info.context.call(questions.school_search, info.context.store, text, page_window(first, None)[0])
        return connection(found, _school_match)

    @strawberry.field(
        description="Where a record from a school in some academic years may have gone, whole; group (a label) "
        "pages one group of recipients."
    )
    async def record_reach(
        self,
        info: Info,
        urn: int,
        from_year: int,
        to_year: int,
        first: int = DEFAULT_PAGE,
        group: str | None = None,
        after: str | None = None,
    ) -> RecordReach:
        answer = await info.context.call(questions.record_reach, info.context.store, urn, from_year, to_year)
        return RecordReach(
            chain=_chain(answer.chain),
            from_year=from_year,
            to_year=to_year,
            datasets=[
                HeldDataset(
                    dataset=graph_node(held.dataset),
                    from_year=held.years[0] if held.years else None,
                    to_year=held.years[1] if held.years else None,
                    collections=_related_list(held.collections),
                )
                for held in answer.datasets
            ],
            releases_count=len(answer.releases),
            groups=[
                RecipientGroup(
                    label=g.label,
                    organisation_type=g.org_type,
                    releases=paginate(g.releases, first, after if group == g.label else None, _record_release),
                )
                for g in answer.groups
                if group is None or g.label == group
            ],
            not_released=[_statement(s) for s in answer.not_released],
        )

    @strawberry.field(
        description="A subject access request to DfE (Article 15 UK GDPR) for the NPD record of a pupil at a school "
        "in those years and its recipients, with sources. It takes no name: the page puts the typed name in."
    )
    async def letter(self, info: Info, urn: int, from_year: int, to_year: int, format: str = "txt") -> Letter:
        answer = await info.context.call(questions.record_reach, info.context.store, urn, from_year, to_year)
        written = letter.write(answer, format)
        return Letter(
            text=written.text,
            format=format,
            media_type=written.media_type,
            filename=written.filename,
            name_placeholder=written.placeholder,
            references=list(written.references),
        )
