"""The gaps in the record as GraphQL fields, over lineage.questions.gaps: what the record leaves open and who holds
the answer, and the Freedom of Information request that asks for it (lineage.foi)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from lineage import foi
from lineage.api.cookbook.derive import As, answer_type, to_graphql
from lineage.api.types import DEFAULT_PAGE, Connection, paginate
from lineage.questions import closings
from lineage.questions import gaps as questions

Gap = answer_type(
    questions.Gap,
    description="A fact the record leaves open, and the public authority that holds the answer.",
    fields={
        "id": "Stable across builds: name it to foiRequest or `lineage foi --gap`.",
        "kind": "items not published, outcome not stated, date not given, ...",
        "subject": "The release, application, statement or figure it is about, or the unnamed body an access went to.",
        "known": "What sources already say of it, each as its source gives it, in words.",
        "missing": "Exactly what a request asks for.",
        "authority": "The public authority that holds the answer.",
        "organisations": "The recipients or applicants concerned.",
        "sources": As(name="citations"),
        "earlier_requests": "FOI requests on the same matter among the sources.",
        "when": As(left_out="given as date, which is the access's where the gap is about one"),
    },
)

GapClosed = answer_type(
    closings.GapClosed,
    description="A gap in the record an import closed: what it was, what that import did that closed it, when, "
    "and the import's sources about it. Its subject's other open questions, if any, are gaps of their own.",
    fields={
        "gap_id": "The id the gap had (gaps, foiRequest).",
        "kind": "What the gap was: items not published, outcome not stated, ...",
        "subject": "The release, application, statement or figure it was about, as it is now; null if it has left "
        "the record.",
        "subject_name": "Its subject's name when the gap closed.",
        "authority": "The public authority that held the answer.",
        "closed_at": "When the import that closed it ended, in UTC.",
        "source": "The importer that closed it.",
        "path": "The file it imported then (its ImportRun, known by the file's content, names the file last imported "
        "with that content).",
        "sources": As(
            name="citations", description="The import's sources about its subject; none if it wrote nothing about it."
        ),
        "import_run": "The ImportRun that closed it, and records it.",
        "open_again": "The gap is open in the record now.",
        "what_closed": "What that import did to the record that closed it, and no more.",
        "summary": "The closing in a few sentences, as the feed and the explorer say it.",
    },
)

FoiRequest = answer_type(
    foi.Drafted,
    name="FoiRequest",
    description="A request under section 1 of the Freedom of Information Act 2000; no personal data.",
)


def _filtered(question: Callable[..., Sequence[object]], answer: type, description: str, *, nullable: bool) -> Any:
    """A field asking ``question`` with the filters both gap questions take, its answer served as a connection:
    the open gaps and the closed ones are filtered and paged alike. A ``nullable`` field that fails is null with
    its error, and the operation's other fields are still answered."""

    async def resolve(
        info: Info,
        kinds: list[str] | None = None,
        organisation: str | None = None,
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = None,
        to: dt.date | None = None,
        node: str | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> object:
        found = await info.context.call(question, info.context.store, kinds, organisation, from_, to, node)
        return paginate(found, first, after, to_graphql)

    served = Connection[answer] | None if nullable else Connection[answer]  # type: ignore[valid-type]
    return strawberry.field(resolver=resolve, description=description, graphql_type=served)


@strawberry.type
class GapsQuery:
    gaps = _filtered(
        questions.gaps,
        Gap,
        "Every fact the record leaves open, each with what is known, what is missing and who holds it; kinds, "
        "organisation (a name or variant), the period (undated gaps kept) and node (an id: the gaps about it or its "
        "organisation) filter them.",
        nullable=False,
    )
    gaps_closed = _filtered(
        closings.gaps_closed,
        GapClosed,
        "The gaps in the record imports closed, newest first, each with what that import did and its sources, "
        "filtered as gaps filters the open ones. A build from scratch records none. Null, with its error, where the "
        "record of closings cannot be read, so that an operation asking gaps beside it still has them.",
        nullable=True,
    )

    @strawberry.field(description="The kinds of gap there are, in order.")
    def gap_kinds(self) -> list[str]:
        return list(questions.GAP_KINDS)

    @strawberry.field(
        description="A Freedom of Information request for these gaps (all resting with one authority), drafted "
        "to ask exactly what is missing: txt, md or html.",
        graphql_type=FoiRequest,
    )
    async def foi_request(self, info: Info, gaps: list[str], format: str = "txt") -> object:
        found = await info.context.call(questions.gaps_by_id, info.context.store, gaps)
        return to_graphql(foi.write(found, format))
