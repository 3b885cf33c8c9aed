"""The auditor's question as a GraphQL field, over lineage.questions.onward: every path from a record set, data
set or organisation through releases, access and onward shares, each step cited with its route, each path as sure
as its weakest step; the events that judged what is on the paths, and what a body on them refused to say.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from lineage import questions
from lineage.api.cookbook import statements  # noqa: F401  (derives the refusals it holds)
from lineage.api.cookbook.derive import As, Page, answer_type, to_graphql
from lineage.api.types import DEFAULT_PAGE

LinkedHolding = answer_type(
    questions.LinkedHolding,
    description="A body holding a linked data set derived from pupil records (the NPD, or records DfE sends): it "
    "may hold the item or not; the record gives the set's items only where a source states them. Never a receipt.",
    fields={
        "record_set": "The linked data set, with its size where stated.",
        "held": "Its link to the body, with its route, role and sources.",
        "derived": "What the set is derived from among pupil records, cited.",
        "certainty": "The weakest of those links and, where its size is given, of the set.",
        "text": "The holding in words a reader quotes: the set, the body, its part in it as a source gives it, the "
        "compiler's notes on it (the children a set covers), what else the set draws on, and the set's size where "
        "its source gives one.",
        "drawn_from": "What else the set is derived from (another body's records: HMRC's data held by DWP, the "
        "Police National Computer), each DERIVED_FROM link cited with the source's words.",
        "certainty_words": "How sure it is, in words.",
        "citations": "The sources of the holding, of what the set is derived from and, where its size is given, "
        "of the set.",
    },
)

OnwardStep = answer_type(
    questions.Step,
    name="OnwardStep",
    description="One step of a path: the node it reaches, the cited link it takes, how the data went.",
    fields={
        "link": "The link, with its citations, certainty, period and the source's words.",
        "route": "live search, extract, secure access through the ONS, match and return, linkage, service built on "
        "the data; for a release or a holding, what it is; 'not stated' where the record does not say.",
    },
)

OnwardPath = answer_type(
    questions.OnwardPath,
    description="A path from where the question starts, step by step.",
    fields={
        "ends_here": "False when the depth asked stopped it with more steps beyond.",
        "certainty": "As sure as its weakest step.",
        "items": "From a data set: the id of each of its items that goes on along the rest of the path (its first "
        "step names the first), as releases include items, not data sets; empty from anywhere else.",
    },
)

OnwardSharing = answer_type(
    questions.OnwardSharing,
    fields={
        "start": "The record set, data set or organisation asked about.",
        "paths": As(connection=True, description="Every path listed, at most the depth asked."),
        "total": "How many paths there are: more than listed when a bound cut them.",
        "truncated": "A path was stopped by the depth asked, or paths were left out.",
        "events": "Events that concern the start or a node on a path (audits, reprimands, letters), oldest first.",
        "refusals": "What a body on a path was asked and refused to say.",
        "note": "Why there is no path, or a kind of path is missing, where that is not an answer that nothing went "
        "(a data set the graph holds no item of; the NPD as a whole, whose releases are joined to its data sets); "
        "null otherwise.",
    },
)


@strawberry.type
class OnwardQuery:
    @strawberry.field(
        description="Every path from a record set, data set or organisation (by name) through releases, access and "
        "onward shares, with the weakest certainty along each, the route and the sources at each step.",
        graphql_type=OnwardSharing,
    )
    async def onward_sharing(
        self,
        info: Info,
        from_: Annotated[str, strawberry.argument(name="from")],
        depth: int = 3,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> object:
        answer = await info.context.call(questions.onward_sharing, info.context.store, from_, depth)
        return to_graphql(answer, Page(first, after))
