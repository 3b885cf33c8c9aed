"""The dated record in time as GraphQL fields, over lineage.questions.timeline: events and published figures
by date, and the applications by outcome and year beside the published totals of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from lineage import questions
from lineage.api.cookbook.common import Related, related_list
from lineage.api.types import (
    DEFAULT_PAGE,
    Certainty,
    Citation,
    Connection,
    GraphNode,
    certainty_of,
    citations_of,
    graph_node,
    paginate,
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


def _timeline_entry(entry: questions.TimelineEntry) -> TimelineEntry:
    return TimelineEntry(
        node=graph_node(entry.node),
        kind=entry.kind,
        date_as_cited=entry.date_as_cited,
        valid_from=entry.node.validity.valid_from,
        valid_to=entry.node.validity.valid_to,
        text=entry.text,
        certainty=certainty_of(entry.node.certainty),
        citations=citations_of(entry.node.citations),
        concerns=related_list(entry.concerns),
    )


@strawberry.type
class Timeline:
    entries: Connection[TimelineEntry] = strawberry.field(description="Oldest first.")
    kinds: list[str] = strawberry.field(description="Every kind of event the graph holds, and figure.")
    undated: int = strawberry.field(description="Events and figures of the kinds asked that the record gives no dates.")


def _timeline(answer: questions.Timeline, first: int, after: str | None) -> Timeline:
    return Timeline(
        entries=paginate(answer.entries, first, after, _timeline_entry),
        kinds=list(answer.kinds),
        undated=answer.undated,
    )


@strawberry.type(description="A published total for one outcome in one year, and the figure that gives it.")
class PublishedTotal:
    figure: GraphNode
    value: int
    rule: str = strawberry.field(description="The rule that read the figure's value as a total per year.")


def _published_total(total: questions.PublishedTotal) -> PublishedTotal:
    return PublishedTotal(figure=graph_node(total.figure), value=total.value, rule=questions.RULE_PER_YEAR)


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


def _outcome_count(row: questions.OutcomeCount) -> OutcomeCount:
    return OutcomeCount(
        status=row.status,
        year=row.year,
        named=len(row.applications),
        applications=[graph_node(a) for a in row.applications],
        published=[_published_total(total) for total in row.published],
    )


@strawberry.type
class TimelineQuery:
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
        return _timeline(answer, first, after)

    @strawberry.field(
        description="Applications by outcome (status) and year, beside the published totals of that outcome per year."
    )
    async def application_outcomes(self, info: Info) -> list[OutcomeCount]:
        answer = await info.context.call(questions.application_outcomes, info.context.store)
        return [_outcome_count(row) for row in answer]
