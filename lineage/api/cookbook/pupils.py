"""Schools and pupils as GraphQL fields, over lineage.questions.pupils: a school's chain of URNs, and the
releases that may hold the record of a pupil at a school in some years (from the school and years alone).
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from lineage import questions
from lineage.api.cookbook.derive import As, Page, answer_type, to_graphql
from lineage.api.types import DEFAULT_PAGE
from lineage.questions.pupils import ChainStep as ChainStepAnswer

ChainStep = answer_type(ChainStepAnswer)

SchoolChain = answer_type(
    questions.SchoolChain,
    fields={
        "succeeded": As(left_out="given by the successors' links (linkType, validFrom), in words by recordReach"),
        "schools": As(left_out="given by school, predecessors and successors"),
    },
)

Reach = answer_type(
    questions.Reach,
    description="A release that may hold a pupil's record, and why.",
    fields={
        "spans": As(left_out="given in words, as matched"),
        "note": As(left_out="given in words, as matched"),
        "basis": "How sure its scope is, without the rule that matched the years; null: its items are not published.",
        "matched": "Which data sets and years matched, or why nothing can.",
    },
)

PupilReach = answer_type(
    questions.PupilReach,
    fields={
        "schools": "The school, its predecessors and successors.",
        "years": As(left_out="given as fromYear and toYear, as they are asked"),
        "reaches": As(connection=True),
        "unpublished_scope": As(
            connection=True,
            description="Releases whose scope is not published: they may hold the record; the public record cannot "
            "say.",
        ),
    },
)


@strawberry.type
class PupilsQuery:
    @strawberry.field(
        description="A school's chain of URNs through GIAS links, both directions, with dates.",
        graphql_type=SchoolChain,
    )
    async def school_successors(self, info: Info, urn: int) -> object:
        answer = await info.context.call(questions.school_successors, info.context.store, urn)
        return to_graphql(answer)

    @strawberry.field(
        description="Releases and organisations that may hold the record of a pupil at a school in some years.",
        graphql_type=PupilReach,
    )
    async def pupil_reach(
        self, info: Info, urn: int, from_year: int, to_year: int, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> object:
        answer = await info.context.call(questions.pupil_reach, info.context.store, urn, from_year, to_year)
        return to_graphql(answer, Page(first, after))
