"""Releases and organisations as GraphQL fields, over lineage.questions.releases: one release downstream,
and everything an organisation received, asked for or commissioned.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from lineage import questions
from lineage.api.cookbook import records, statements  # noqa: F401  (derives the disclosures and statements these hold)
from lineage.api.cookbook.derive import As, Page, answer_type, question_field, to_graphql
from lineage.api.types import DEFAULT_PAGE
from lineage.questions import recipients

ReleaseTrace = answer_type(
    questions.ReleaseTrace,
    fields={
        "includes": As(
            connection=True,
            description="Items or data sets, confirmed or at tier level; never an item a statement excludes.",
        ),
        "statements": "What sources say it held or left out, in their words, contested ones with both sides.",
        "recipient_statements": "What sources say of its recipients where they identify no release or application: "
        "they may speak of this release or of another, so they are shown beside it, never read as its scope.",
        "not_yet_in_npd": "The items of the tiers it was approved for that were not yet in the NPD by its date (first "
        "collected later, or released later by DfE's timetable), so could not be in it: what the tier rule leaves "
        "out, by name.",
    },
)

RecipientReleases = answer_type(
    recipients.RecipientReleases,
    description="An organisation of the type asked, every release the record says went to it, the onward shares "
    "that reached it and the pupil data the record says went to it otherwise.",
    fields={
        "organisation": "The organisation, of the type asked (its orgType).",
        "releases": "Each release sent to it, oldest first (undated last), with the SENT_TO link and its sources.",
        "received_onward": "Each body that shared data onward with it, with the SHARES_ONWARD link: its route says "
        "what went (the data, or a service built on it), as the source gives it.",
        "disclosures": "Pupil data that went to it other than by a release or an onward share (a published figure "
        "of what DfE passed on, an access), oldest first, each cited.",
        "certainty": "That it received pupil data: as sure as the surest of its releases, onward shares and "
        "disclosures.",
    },
)


ApplicationOutcome = answer_type(
    questions.ApplicationTrace,
    name="ApplicationOutcome",
    description="An application for NPD data, whatever its outcome, or an arrangement or DfE's stated policy of "
    "sharing with a body (its status says which; its name says 'application by', 'arrangement with' or 'DfE's "
    "stated policy of sharing with'), with what sources say of it.",
    fields={
        "made_by": "The applicant, or the body an arrangement or DfE's policy is with (the status says which); null "
        "where the entry names none.",
        "releases": "The release it led to, where one is drawn.",
        "statements": "What sources say it asked for or got.",
        "commissioned_by": "Who the entry says commissioned it.",
        "status": "approved, released, submitted for approval, pending, rejected, not pursued, arrangement, "
        "match flag only, policy, or not stated",
        "outcome": "Its status, with ': outcome not stated' where that status gives no outcome and no release came of "
        "it (as the gaps answer lists it): what to quote as where it ended.",
    },
)

OrganisationReceipts = answer_type(
    questions.OrganisationReceipts,
    fields={
        "aggregate_flows": "Published figures of what flowed to it; a figure of an exchange both ways is in bothWays, "
        "not here.",
        "shared_onward": "Its own onward shares, to other organisations.",
        "applications": "Every application it made, refused and pending ones included, and every arrangement or DfE "
        "policy of sharing that names it (the status says which): never drawn as flows.",
        "statements": "What sources say of it where they identify no release or application.",
        "flows_from": "Published figures of what it sent DfE or asked DfE about (requests, people to match); a "
        "figure of an exchange both ways is in bothWays, not here.",
        "commissioned": "Applications by others that their entry says it commissioned.",
        "accessed": "Records it was given access to (a live search, a match and return, ...): the link says the route.",
        "gave_access": "Bodies it gave access to records the source does not name.",
        "holdings": "Record sets it holds or is named receiving (the LRS, a linked data set with its size).",
        "events": "Dated events that concern it (audits, reprimands, agreements).",
        "both_ways": "Published figures of an exchange both ways with it (its flow says A <-> B, as DfE's 2015 "
        "MoU with the Home Office): one figure each, given once with its FLOWS_FROM link, never also in "
        "aggregateFlows or flowsFrom, so that no reader adds it to both or reads it as two figures.",
    },
)

MatchingRequests = answer_type(
    questions.MatchingRequests,
    description="An organisation that asks DfE about pupils (sending what it knows of people to be matched against "
    "the NPD), with the statements and published figures that say what it sends, gets back and how often.",
    fields={
        "statements": "What it sends, and what DfE returns on a match.",
        "flows": As(
            name="figures",
            description="Published figures of what it asked (flowsFrom) and what came back (flowsTo), with periods.",
        ),
        "certainty": "That it asks: as sure as the surest source saying so.",
        "accesses": "What the record says it was given access to of pupil records (the NPD's, or DfE's where the "
        "source names none), with the ACCESSED_BY link, its route, volume and period, oldest first: which items, "
        "the record does not say.",
        "agreements": "The agreements the record says it made with DfE to ask (a memorandum of understanding, a pilot "
        "formalised), each an Event that concerns it, dated where its source dates it (undated last), in its "
        "source's words.",
    },
)


@strawberry.type
class ReleasesQuery:
    @strawberry.field(
        description="All that an organisation received, its name variants resolved.", graphql_type=OrganisationReceipts
    )
    async def organisation_receipts(self, info: Info, name: str) -> object:
        answer = await info.context.call(questions.organisation_receipts, info.context.store, name)
        return to_graphql(answer)

    @strawberry.field(
        description="One release downstream: approval, recipient, items or tiers, onward sharing.",
        graphql_type=ReleaseTrace,
    )
    async def release_trace(
        self, info: Info, reference: str, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> object:
        answer = await info.context.call(questions.release_trace, info.context.store, reference)
        return to_graphql(answer, Page(first, after))

    recipients_by_type = question_field(
        recipients.recipients_by_type,
        description="Organisations of one type (commercial, media, police, ...) that releases of NPD data went to, "
        "each with its releases, oldest first, and their cited links.",
    )
