"""Flows for a Sankey as a GraphQL field, over lineage.questions.flows: each link counting the releases
through it, with the published volumes beside them and how many releases the filters show and hide.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from lineage import questions
from lineage.api.types import Certainty, GraphNode, Link, certainty_of, graph_node, link


@strawberry.type
class FlowLink:
    source: str
    target: str
    releases: int
    certainty: Certainty


def _flow_link(answer: questions.FlowLink) -> FlowLink:
    return FlowLink(
        source=answer.source, target=answer.target, releases=answer.releases, certainty=certainty_of(answer.certainty)
    )


@strawberry.type(description="A value of the Sankey's classification column, with the scales it is of.")
class FlowClassification:
    label: str = strawberry.field(description="As the links name it: classification:<label>.")
    identifiability: int | None = strawberry.field(description="Null unless of the identifiability scale.")
    sensitivity: str | None = strawberry.field(description="Null unless of the sensitivity scale.")
    old_tier: int | None = strawberry.field(description="Null unless an old tier.")


def _flow_classification(answer: questions.FlowClass) -> FlowClassification:
    return FlowClassification(
        label=answer.label,
        identifiability=answer.identifiability,
        sensitivity=answer.sensitivity,
        old_tier=answer.old_tier,
    )


@strawberry.type
class Volume:
    flow: GraphNode
    organisation: GraphNode
    link: Link


def _volume(answer: questions.Volume) -> Volume:
    return Volume(flow=graph_node(answer.flow), organisation=graph_node(answer.organisation), link=link(answer.link))


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


def _flows(answer: questions.Flows) -> Flows:
    return Flows(
        stages=list(questions.FLOW_STAGES),
        links=[_flow_link(f) for f in answer.links],
        volumes=[_volume(v) for v in answer.volumes],
        releases_counted=answer.releases_counted,
        releases_without_scope=answer.releases_without_scope,
        releases_shown=answer.releases_shown,
        releases_hidden=answer.releases_hidden,
        classifications=[_flow_classification(c) for c in answer.classifications],
    )


@strawberry.type
class FlowsQuery:
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
        return _flows(answer)
