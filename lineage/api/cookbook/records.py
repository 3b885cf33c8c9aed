"""A parent's questions as GraphQL fields, over lineage.questions.records: find a school, where a record from
it in some years may have gone (whole, its releases grouped by type of recipient), and the subject access
request that asks DfE about it.
"""

from __future__ import annotations

import dataclasses

import strawberry
from strawberry.types import Info

from lineage import letter, model, questions
from lineage.api.cookbook import onward, pupils, statements, timeline  # noqa: F401  (derive the answers these hold)
from lineage.api.cookbook.derive import As, Page, answer_type, to_graphql
from lineage.api.types import DEFAULT_PAGE, Connection, connection, page_window
from lineage.errors import LineageError
from lineage.questions.records import Disclosure, Held, LearnerRecords, OpenApplication, RecipientGroup

#: A referenced release's or application's register (lineage.questions.records.listed_in).
LISTED_IN = (
    "The register listing it (its row's register), where its reference alone names it; null otherwise (an entry "
    "without a reference is named by its register already). Where it is listed, never a date of its own: an "
    "edition bounds no date."
)

SchoolMatch = answer_type(
    questions.SchoolMatch,
    description="A school found by a search: by which of its fields, or through the school it became.",
    fields={
        "found_by": "URN, name, town, postcode, or successor (found through it).",
        "through": "The school found, when this one was before it.",
        "links": "The GIAS links from this school to the one found, cited.",
    },
)

HeldDataset = answer_type(
    Held,
    name="HeldDataset",
    description="An NPD data set whose years overlap those asked: it may hold records of them.",
    fields={
        "years": As(left_out="given as fromYear and toYear"),
        "collections": "The collections feeding it, each link cited.",
        "from_year": "The first of the years asked it covers; null: not given.",
        "to_year": "The last of the years asked it covers; null: not given.",
        "school_level": "DfE's 2018 list of NPD data sets calls it school-level (data/school_level_datasets.csv reads "
        "which data set each of its names is).",
        "records_disputed": "The sources disagree whether it holds pupils' records: DfE's list calls it school-level, "
        "the note above its sheet in the NPD data tables 'personal level data'. Neither is chosen.",
        "level_said": "What the sources say of a data set the list calls school-level, each in its words (the list, "
        "the overview's description, the note above its sheet), and whether they disagree; null for any other.",
    },
)

RecordRelease = answer_type(
    questions.RecordRelease,
    description="A release that may hold the record, its recipients cited, how sure in words.",
    fields={
        "reach": As(left_out="its fields are the release's own: release, matched, basis, certainty, scopePublished"),
        "recipients": "Its recipients (of this group), each SENT_TO cited.",
        "statements": "What sources say went in it, in their words (what they say did not go: notReleased).",
        "recipient_statements": "What sources say went to its recipients, naming no release: maybe in this one, "
        "maybe not, so never read as its scope.",
        "reference": "How to name it to DfE: its register reference, or its entry.",
        "listed_in": LISTED_IN,
        "matched": "Which data sets and years matched, or why nothing can.",
        "certainty_words": "confirmed, by the tier of data released, items not published, ... as a reader reads it",
        "basis": "How sure its scope is; null: its items are not published.",
        "certainty": "With the rule that matched the years.",
    },
)

RecipientGroupType = answer_type(
    RecipientGroup,
    description="The releases to one type of organisation (government departments, police, ...).",
    fields={
        "org_type": As(name="organisationType", description="As the record gives it; null: no recipient named."),
        "releases": As(connection=True),
    },
)

OpenApplicationType = answer_type(
    OpenApplication,
    description="An application the record names without an outcome (its register gives none), or with one that is "
    "no release (a match flag): whether data went is for DfE to say, unless another source says so in its statements.",
    fields={
        "applicants": "Who made it, each MADE_BY link cited.",
        "statements": "What sources say of it, in their words (a source may say data went where its register is "
        "silent).",
        "agreements": "The agreements a source ties to it (DWP's arrangement formalised after its 2018 request), "
        "each an Event CONCERNING it by a row of data/event_links.csv, oldest first; never an agreement merely with "
        "the same body.",
        "listed_in": LISTED_IN,
        "went_before_the_years": "In a record reach: its sources date everything they say went under it before the "
        "years asked were in the NPD. Still listed, as no source says the arrangement ended; false elsewhere.",
    },
)

DisclosureType = answer_type(
    Disclosure,
    description="Pupil data the record says went to a body other than by a release (a figure of what DfE "
    "passed on, or an access, each as sure as its source): whether a child's record was among it, the record does "
    "not say.",
    fields={
        "source": "The figure, or what was accessed (DfE, a record set).",
        "to": "The body it went to, and the FLOWS_TO or ACCESSED_BY link, cited.",
        "text": "What went, in the source's words, and the compiler's notes on it (a denial, as reported).",
        "words": "What went, in the source's words alone (text without the compiler's notes).",
        "recipient": "The body it went to, with the source's own words for it where they name it otherwise (one "
        "'police force (not named)', of the police forces the record does not name).",
        "when": "The date or period, in the source's words.",
        "certainty": "As sure as its weakest part: the link, and the published figure where it is one.",
        "certainty_words": "What kind of source it rests on, as a reader reads it.",
    },
)

LearnerRecordsType = answer_type(
    LearnerRecords,
    description="DfE's Learning Records Service (learners from age 14, not the NPD), the accesses to it and the events "
    "that judged its use, each cited.",
    fields={
        "accesses": "Who was given access to it, oldest first, whatever the years asked: here, not among the NPD's "
        "disclosures, as a record the LRS never held was never in a search of it.",
        "onward": "What those given access passed on, and those they passed it to, as the record says (each a link "
        "of one body to the next), oldest first.",
    },
)

RecordReach = answer_type(
    questions.RecordReach,
    description="Where a record from a school in some years may have gone, whole: the school's chain, the data "
    "sets covering the years, the releases by type of recipient, and what the record says was not released.",
    fields={
        "years": As(left_out="given as fromYear and toYear, as they are asked"),
        "releases": As(left_out="counted whole as releasesCount, and paged within each of the groups"),
        "not_released": "What sources say did not go to these recipients or with these releases, in their words.",
        "applications": "Applications the record names without an outcome, or with one that is no release (a match "
        "flag): never releases; a parent may ask DfE. Those whose sources date what went under them before these years "
        "are marked (wentBeforeTheYears).",
        "disclosures": "Pupil data the record says went other than by a release (figures, accesses), once these "
        "years were in the NPD.",
        "learner_records": "DfE's Learning Records Service (learners from age 14, not the NPD) and the oversight of "
        "its use.",
        "releases_count": "Releases that may hold the record, in every group.",
        "those_years": "How the page and the letter refer back to the years asked: 'that year' for one year, "
        "'those years' for more.",
        "schools": As(left_out="given by the chain"),
        "linked": "Data sets linking pupil records with other departments' (LEO, Pupil Parent Matched Data, the "
        "MoJ-DfE set), each body holding or party to one with its part as a source gives it: beyond the children a "
        "line's notes say a set covers, whose records are in them the record does not say.",
        "planned": "What sources say was planned to go to a body this answer names (the Home Office's 2015 MoU: "
        "nationality, once collected), in their words: a plan, never a release, and no source here says it went.",
        "refused_to_say": "What a body this answer names was asked and refused to say (the Home Office: whether "
        "pupil data went on beyond it), in the asker's words.",
        "ons_access": "What the record says of NPD data reached for research through the ONS (the OSR's letters: "
        "access 'made available via the ONS'; a data transfer 'will be necessary' in some cases), each event with its "
        "link to the ONS, cited, oldest first: access, not a release, and no transfer made that it names.",
        "collection_events": "What the record says of the NPD's collections, whatever the years asked (the school "
        "census's nationality and country of birth items, which DfE 'has refused to delete'), each event with its "
        "link, cited, oldest first: whether a child's record holds what one names, the record does not say.",
        "collection_figures": "The published figures of the NPD's collections' items, whatever the years asked (the "
        "school census's nationality and country of birth items, collected autumn 2016 to summer 2018), each in the "
        "compiler's words with the notes giving the record's later accounts of them (data destroyed in 2020, a "
        "campaigner's page says), cited, oldest first.",
        "ons_figures": "The published figures of the routes to NPD data for research, whatever the years asked "
        "(DfE's default route, the ONS Secure Research Service, with some data supplied directly; the MoJ-DfE linked "
        "data there as a DfE extract), each in the compiler's words with its notes, cited, oldest first: routes, not "
        "transfers made.",
        "npd_events": "What else the record says of the NPD, whatever the years asked: oversight (the ICO's "
        "compulsory audit of DfE), agreements (the Home Office's) and figures (its requests to match against the "
        "NPD), each event with its link to the NPD, cited, oldest first; the ONS's part is in onsAccess.",
        "school_note": "Where GIAS records the school as succeeded before or during the years asked, in words: its "
        "URN is not a pupil's school for those years.",
    },
)

Letter = answer_type(
    letter.Written,
    name="Letter",
    description="A subject access request, to fill in; it holds nothing about the child.",
    fields={
        "placeholder": As(
            name="namePlaceholder",
            description="Where the child's name goes, as it stands in the text: the page puts the typed name there.",
        ),
        "references": "The release references it lists.",
    },
)

#: Every label a group of recipients can have: the named groups, any other organisation type, and the recipients
#: the record does not name.
GROUP_LABELS = frozenset(
    {label for _, label in questions.records.ORGANISATION_GROUPS}
    | set(model.ORG_TYPES) - {org_type for org_type, _ in questions.records.ORGANISATION_GROUPS}
    | {questions.records.UNNAMED_GROUP}
)


def _one_group(answer: questions.RecordReach, first: int, group: str | None, after: str | None) -> object:
    """The whole answer; ``group`` (a label) keeps that group alone, and ``after`` pages it. An unknown group, a
    cursor that is none of ours, or a cursor with no group to page are refused, never answered as nothing."""
    if group is not None and group not in GROUP_LABELS:
        raise LineageError(f"unknown group {group!r}: a group is one of {', '.join(sorted(GROUP_LABELS))}")
    if after is not None:
        if group is None:
            raise LineageError("after pages one group of recipients: give its label as group too")
        page_window(first, after)  # refused here even when this answer has no such group
    kept = tuple(g for g in answer.groups if group is None or g.label == group)
    return to_graphql(dataclasses.replace(answer, groups=kept), Page(first, after))


@strawberry.type
class RecordsQuery:
    @strawberry.field(
        description="Schools by URN, name, town or postcode district, then the schools each was before (so a closed "
        "school is found through the school it became).",
        graphql_type=Connection[SchoolMatch],  # type: ignore[valid-type]
    )
    async def school_search(self, info: Info, text: str, first: int = DEFAULT_PAGE) -> object:
        found = await info.context.call(questions.school_search, info.context.store, text, page_window(first, None)[0])
        return connection(found, to_graphql)

    @strawberry.field(
        description="Where a record from a school in some academic years may have gone, whole; group (a label) "
        "pages one group of recipients.",
        graphql_type=RecordReach,
    )
    async def record_reach(
        self,
        info: Info,
        urn: int,
        from_year: int,
        to_year: int,
        first: int = DEFAULT_PAGE,
        group: str | None = None,
        after: str | None = None,
    ) -> object:
        answer = await info.context.call(questions.record_reach, info.context.store, urn, from_year, to_year)
        return _one_group(answer, first, group, after)

    @strawberry.field(
        description="A subject access request to DfE (Article 15 UK GDPR) for the NPD record of a pupil at a school "
        "in those years and its recipients, with sources. It takes no name: the page puts the typed name in.",
        graphql_type=Letter,
    )
    async def letter(self, info: Info, urn: int, from_year: int, to_year: int, format: str = "txt") -> object:
        answer = await info.context.call(questions.record_reach, info.context.store, urn, from_year, to_year)
        return to_graphql(letter.write(answer, format))
