"""The auditor's question as a GraphQL field, over lineage.questions.onward: every path from a record set, data
set or organisation through releases, access and onward shares, each step cited with its route, each path as sure
as its weakest step; the events that judged what is on the paths, and what a body on them refused to say.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from lineage import questions
from lineage.api.cookbook.common import Related, related_list
from lineage.api.cookbook.statements import StatedScope, stated_scopes
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


@strawberry.type(description="One step of a path: the node it reaches, the cited link it takes, how the data went.")
class OnwardStep:
    node: GraphNode
    link: Link = strawberry.field(description="The link, with its citations, certainty, period and the source's words.")
    route: str = strawberry.field(
        description="live search, extract, secure access through the ONS, match and return, linkage, service built on "
        "the data; for a release or a holding, what it is; 'not stated' where the record does not say."
    )


def _step(step: questions.Step) -> OnwardStep:
    return OnwardStep(node=graph_node(step.node), link=link(step.link), route=step.route)


@strawberry.type(description="A path from where the question starts, step by step.")
class OnwardPath:
    steps: list[OnwardStep]
    certainty: Certainty = strawberry.field(description="As sure as its weakest step.")
    ends_here: bool = strawberry.field(description="False when the depth asked stopped it with more steps beyond.")


def _path(path: questions.OnwardPath) -> OnwardPath:
    return OnwardPath(
        steps=[_step(s) for s in path.steps], certainty=certainty_of(path.certainty), ends_here=path.ends_here
    )


@strawberry.type
class OnwardSharing:
    start: GraphNode = strawberry.field(description="The record set, data set or organisation asked about.")
    paths: Connection[OnwardPath] = strawberry.field(description="Every path listed, at most the depth asked.")
    total: int = strawberry.field(description="How many paths there are: more than listed when a bound cut them.")
    truncated: bool = strawberry.field(description="A path was stopped by the depth asked, or paths were left out.")
    events: list[Related] = strawberry.field(
        description="Events that concern the start or a node on a path (audits, reprimands, letters), oldest first."
    )
    refusals: list[StatedScope] = strawberry.field(description="What a body on a path was asked and refused to say.")


def _onward(answer: questions.OnwardSharing, first: int, after: str | None) -> OnwardSharing:
    return OnwardSharing(
        start=graph_node(answer.start),
        paths=paginate(answer.paths, first, after, _path),
        total=answer.total,
        truncated=answer.truncated,
        events=related_list(answer.events),
        refusals=stated_scopes(answer.refusals),
    )


@strawberry.type
class OnwardQuery:
    @strawberry.field(
        description="Every path from a record set, data set or organisation (by name) through releases, access and "
        "onward shares, with the weakest certainty along each, the route and the sources at each step."
    )
    async def onward_sharing(
        self,
        info: Info,
        from_: Annotated[str, strawberry.argument(name="from")],
        depth: int = 3,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> OnwardSharing:
        answer = await info.context.call(questions.onward_sharing, info.context.store, from_, depth)
        return _onward(answer, first, after)
