"""The gaps in the record as GraphQL fields, over lineage.questions.gaps: what the record leaves open and who holds
the answer, and the Freedom of Information request that asks for it (lineage.foi)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from lineage import foi
from lineage.api.types import DEFAULT_PAGE, Citation, Connection, GraphNode, citations_of, graph_node, paginate
from lineage.questions import gaps as questions


@strawberry.type(description="A fact the record leaves open, and the public authority that holds the answer.")
class Gap:
    id: str = strawberry.field(description="Stable across builds: name it to foiRequest or `lineage foi --gap`.")
    kind: str = strawberry.field(description="items not published, outcome not stated, date not given, ...")
    subject: GraphNode = strawberry.field(description="The release, application, statement or figure it is about.")
    date: dt.date | None
    known: list[str] = strawberry.field(description="What is public already, in words.")
    missing: list[str] = strawberry.field(description="Exactly what a request asks for.")
    authority: str = strawberry.field(description="The public authority that holds the answer.")
    organisations: list[GraphNode] = strawberry.field(description="The recipients or applicants concerned.")
    citations: list[Citation]
    earlier_requests: list[str] = strawberry.field(description="FOI requests on the same matter among the sources.")


def _gap(gap: questions.Gap) -> Gap:
    return Gap(
        id=gap.id,
        kind=gap.kind,
        subject=graph_node(gap.subject),
        date=gap.date,
        known=list(gap.known),
        missing=list(gap.missing),
        authority=gap.authority,
        organisations=[graph_node(o) for o in gap.organisations],
        citations=citations_of(frozenset(gap.sources)),
        earlier_requests=list(gap.earlier_requests),
    )


@strawberry.type(description="A request under section 1 of the Freedom of Information Act 2000; no personal data.")
class FoiRequest:
    text: str
    format: str
    media_type: str
    filename: str
    authority: str
    gaps: list[str]


@strawberry.type
class GapsQuery:
    @strawberry.field(
        description="Every fact the record leaves open, each with what is known, what is missing and who holds it; "
        "kinds, organisation (a name or variant), the period (undated gaps kept) and node (an id: the gaps about it or "
        "its organisation) filter them."
    )
    async def gaps(
        self,
        info: Info,
        kinds: list[str] | None = None,
        organisation: str | None = None,
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = None,
        to: dt.date | None = None,
        node: str | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Gap]:
        found = await info.context.call(questions.gaps, info.context.store, kinds, organisation, from_, to, node)
        return paginate(found, first, after, _gap)

    @strawberry.field(description="The kinds of gap there are, in order.")
    def gap_kinds(self) -> list[str]:
        return list(questions.GAP_KINDS)

    @strawberry.field(
        description="A Freedom of Information request for these gaps (all resting with one authority), drafted "
        "to ask exactly what is missing: txt, md or html."
    )
    async def foi_request(self, info: Info, gaps: list[str], format: str = "txt") -> FoiRequest:
        found = await info.context.call(questions.gaps_by_id, info.context.store, gaps)
        drafted = foi.write(found, format)
        return FoiRequest(
            text=drafted.text,
            format=format,
            media_type=drafted.media_type,
            filename=drafted.filename,
            authority=drafted.authority,
            gaps=list(drafted.gaps),
        )
