"""Schools and pupils as GraphQL fields, over lineage.questions.pupils: a school's chain of URNs, and the
releases that may hold the record of a pupil at a school in some years (from the school and years alone).
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from lineage import questions
from lineage.api.types import (
    DEFAULT_PAGE,
    Certainty,
    Connection,
    GraphNode,
    Link,
    certainty_of,
    graph_node,
    link,
    paginate,
)
from lineage.model import Edge, Node


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


def school_chain(answer: questions.SchoolChain) -> SchoolChain:
    def steps(side: tuple[tuple[Node, int, tuple[Edge, ...]], ...]) -> list[ChainStep]:
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
    basis: Certainty | None = strawberry.field(
        description="How sure its scope is, without the rule that matched the years; null: its items are not published."
    )
    scope_published: bool


def _reach(reach: questions.Reach) -> Reach:
    return Reach(
        release=graph_node(reach.release),
        organisations=[graph_node(o) for o in reach.organisations],
        matched=list(reach.matched),
        certainty=certainty_of(reach.certainty),
        basis=certainty_of(reach.basis) if reach.basis else None,
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


def _pupil_reach(answer: questions.PupilReach, first: int, after: str | None) -> PupilReach:
    return PupilReach(
        schools=[graph_node(s) for s in answer.schools],
        from_year=answer.years[0],
        to_year=answer.years[1],
        reaches=paginate(answer.reaches, first, after, _reach),
        unpublished_scope=paginate(answer.unpublished_scope, first, after, _reach),
    )


@strawberry.type
class PupilsQuery:
    @strawberry.field(description="A school's chain of URNs through GIAS links, both directions, with dates.")
    async def school_successors(self, info: Info, urn: int) -> SchoolChain:
        answer = await info.context.call(questions.school_successors, info.context.store, urn)
        return school_chain(answer)

    @strawberry.field(
        description="Releases and organisations that may hold the record of a pupil at a school in some years."
    )
    async def pupil_reach(
        self, info: Info, urn: int, from_year: int, to_year: int, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> PupilReach:
        answer = await info.context.call(questions.pupil_reach, info.context.store, urn, from_year, to_year)
        return _pupil_reach(answer, first, after)
