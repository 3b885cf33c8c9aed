"""Flows for a Sankey as a GraphQL field, over lineage.questions.flows: each link counting the releases
through it, with the published volumes beside them and how many releases the filters show and hide.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from lineage import questions
from lineage.api.cookbook.derive import answer_type, to_graphql

FlowLink = answer_type(questions.FlowLink)

FlowClassification = answer_type(
    questions.FlowClass,
    name="FlowClassification",
    description="A value of the Sankey's classification column, with the scales it is of.",
    fields={
        "label": "As the links name it: classification:<label>.",
        "identifiability": "Null unless of the identifiability scale.",
        "sensitivity": "Null unless of the sensitivity scale.",
        "old_tier": "Null unless an old tier.",
    },
)

Volume = answer_type(questions.Volume)

Flows = answer_type(
    questions.Flows,
    description="Flows for a Sankey: collection, data set, classification, organisation type, organisation.",
    fields={
        "volumes": "What went other than by a release: published volumes (a figure, its period and source) and "
        "accesses to pupil records (what was accessed, the dated and cited access).",
        "releases_counted": "Releases in the period.",
        "releases_without_scope": "Of them, releases whose items are not published: drawn as 'items not published'.",
        "releases_shown": "Of them, releases drawn: a path of theirs passes the filter.",
        "releases_hidden": "Of them, releases the filter leaves out.",
        "releases_undated": "Releases whose date the record does not give, left out of the period asked (0 when "
        "none is asked: they are counted then): any of them may fall in it (one its words say began later, not).",
        "classifications": "The classification column's values in the links, so no label need be parsed.",
        "volumes_undated": "Figures and accesses whose date the record does not give, left out of the period asked "
        "(0 when none is asked: they are among the volumes then): any of them may fall in it.",
    },
)


@strawberry.type
class FlowsQuery:
    @strawberry.field(
        description="Aggregated flows for a Sankey, published volumes included. The filters narrow every "
        "column exactly: a release counts on a link only through its paths of those classes and types.",
        graphql_type=Flows,
    )
    async def flows(
        self,
        info: Info,
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = None,
        to: dt.date | None = None,
        identifiability: list[int] | None = None,
        sensitivity: list[str] | None = None,
        organisation_types: list[str] | None = None,
    ) -> object:
        only = questions.FlowFilter(
            frozenset(identifiability or ()), frozenset(sensitivity or ()), frozenset(organisation_types or ())
        )
        answer = await info.context.call(questions.flows, info.context.store, from_, to, only)
        return to_graphql(answer)
