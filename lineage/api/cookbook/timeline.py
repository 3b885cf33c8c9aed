"""The dated record in time as GraphQL fields, over lineage.questions.timeline: events and published figures
by date, and the applications by outcome and year beside the published totals of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from lineage import questions
from lineage.api.cookbook import common  # noqa: F401  (derives Related, which an entry holds)
from lineage.api.cookbook.derive import As, Page, answer_type, to_graphql
from lineage.api.types import DEFAULT_PAGE

TimelineEntry = answer_type(
    questions.TimelineEntry,
    description="An event or a published figure, placed in time by the dates its source gives.",
    fields={
        "node": "The Event, or the published figure (AggregateFlow).",
        "kind": "The event's kind as cited (pause, access_model, ...), or figure.",
        "concerns": "What it is about, each link cited.",
        "date_as_cited": "The date or period in the source's words.",
        "when": "The date as cited, and what it is where it is not the event's own day (an article's date, a year "
        "inferred): the date to quote.",
        "valid_from": "The first day it holds (null: open).",
        "valid_to": "The last day it holds (null: open).",
        "text": "What happened, or what was counted and how many.",
    },
)

Timeline = answer_type(
    questions.Timeline,
    fields={
        "entries": As(connection=True, description="Oldest first."),
        "kinds": "Every kind of event the graph holds, and figure.",
        "undated": "Events and figures of the kinds asked that the record gives no dates.",
    },
)

PublishedTotal = answer_type(
    questions.PublishedTotal,
    description="A published total for one outcome in one year or one period, and the figure that gives it.",
    fields={
        "rule": "The rule that read it: figure-per-year (the figure's value, per year) or figure-notes-count (a "
        "count of one outcome its notes give, over its period)."
    },
)

OutcomeCount = answer_type(
    questions.OutcomeCount,
    description="The applications the record names with one outcome in one year, or in the period a published total "
    "counts, beside the published total, so a reader sees how much of each total is named.",
    fields={
        "year": "The calendar year; null where the record gives no single year, or the row is of a period.",
        "period": "The period of a published total that is not of one year, as published; its applications are "
        "those named with the outcome and dated in it, which the rows by year name too. Null for a row of one year, "
        "or of no single year.",
        "named": "How many applications the graph names with this outcome and year.",
    },
)


@strawberry.type
class TimelineQuery:
    @strawberry.field(
        description="Events and published figures whose dates overlap the period (inclusive), oldest first, each "
        "cited, with what it concerns; kinds keeps those kinds (an event's kind, or figure).",
        graphql_type=Timeline,
    )
    async def timeline(
        self,
        info: Info,
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = None,
        to: dt.date | None = None,
        kinds: list[str] | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> object:
        answer = await info.context.call(questions.timeline, info.context.store, from_, to, kinds)
        return to_graphql(answer, Page(first, after))

    @strawberry.field(
        description="Applications by outcome (status) and year, beside the published totals of that outcome per year "
        "and over the periods register figures count.",
        graphql_type=list[OutcomeCount],  # type: ignore[valid-type]
    )
    async def application_outcomes(self, info: Info) -> object:
        answer = await info.context.call(questions.application_outcomes, info.context.store)
        return [to_graphql(row) for row in answer]
