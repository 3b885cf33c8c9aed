"""Releases and organisations as GraphQL fields, over lineage.questions.releases: one release downstream,
and everything an organisation received, asked for or commissioned.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from lineage import questions
from lineage.api.cookbook.common import Related, related, related_list
from lineage.api.cookbook.statements import StatedScope, stated_scopes
from lineage.api.types import DEFAULT_PAGE, Certainty, Connection, GraphNode, certainty_of, graph_node, paginate


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


def _release_trace(trace: questions.ReleaseTrace, first: int = DEFAULT_PAGE, after: str | None = None) -> ReleaseTrace:
    return ReleaseTrace(
        release=graph_node(trace.release),
        approvals=related_list(trace.approvals),
        recipients=related_list(trace.recipients),
        includes=paginate(trace.includes, first, after, related),
        onward=related_list(trace.onward),
        statements=stated_scopes(trace.statements),
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


def _application_outcome(answer: questions.ApplicationTrace) -> ApplicationOutcome:
    return ApplicationOutcome(
        application=graph_node(answer.application),
        status=answer.status,
        made_by=related(answer.made_by) if answer.made_by else None,
        commissioned_by=related_list(answer.commissioned_by),
        releases=related_list(answer.releases),
        statements=stated_scopes(answer.statements),
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
    accessed: list[Related] = strawberry.field(
        description="Records it was given access to (a live search, a match and return, ...): the link says the route."
    )
    gave_access: list[Related] = strawberry.field(
        description="Bodies it gave access to records the source does not name."
    )
    holdings: list[Related] = strawberry.field(
        description="Record sets it holds or is named receiving (the LRS, a linked data set with its size)."
    )
    events: list[Related] = strawberry.field(
        description="Dated events that concern it (audits, reprimands, agreements)."
    )


def _organisation_receipts(answer: questions.OrganisationReceipts) -> OrganisationReceipts:
    return OrganisationReceipts(
        organisation=graph_node(answer.organisation),
        releases=[_release_trace(trace) for trace in answer.releases],
        aggregate_flows=related_list(answer.aggregate_flows),
        flows_from=related_list(answer.flows_from),
        received_onward=related_list(answer.received_onward),
        shared_onward=related_list(answer.shared_onward),
        applications=[_application_outcome(a) for a in answer.applications],
        commissioned=[_application_outcome(a) for a in answer.commissioned],
        statements=stated_scopes(answer.statements),
        accessed=related_list(answer.accessed),
        gave_access=related_list(answer.gave_access),
        holdings=related_list(answer.holdings),
        events=related_list(answer.events),
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


def matching_requests(answer: questions.MatchingRequests) -> MatchingRequests:
    return MatchingRequests(
        organisation=graph_node(answer.organisation),
        statements=stated_scopes(answer.statements),
        figures=related_list(answer.flows),
        certainty=certainty_of(answer.certainty),
    )


@strawberry.type
class ReleasesQuery:
    @strawberry.field(description="All that an organisation received, its name variants resolved.")
    async def organisation_receipts(self, info: Info, name: str) -> OrganisationReceipts:
        answer = await info.context.call(questions.organisation_receipts, info.context.store, name)
        return _organisation_receipts(answer)

    @strawberry.field(description="One release downstream: approval, recipient, items or tiers, onward sharing.")
    async def release_trace(
        self, info: Info, reference: str, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> ReleaseTrace:
        answer = await info.context.call(questions.release_trace, info.context.store, reference)
        return _release_trace(answer, first, after)
