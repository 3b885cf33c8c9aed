"""A parent's questions as GraphQL fields, over lineage.questions.records: find a school, where a record from
it in some years may have gone (whole, its releases grouped by type of recipient), and the subject access
request that asks DfE about it.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from lineage import letter, model, questions
from lineage.api.cookbook.common import Related, related_list
from lineage.api.cookbook.pupils import SchoolChain, school_chain
from lineage.api.cookbook.statements import StatedScope, stated_scopes
from lineage.api.types import (
    DEFAULT_PAGE,
    Certainty,
    Connection,
    GraphNode,
    certainty_of,
    connection,
    graph_node,
    page_window,
    paginate,
)
from lineage.errors import LineageError


@strawberry.type(description="A school found by a search: by which of its fields, or through the school it became.")
class SchoolMatch:
    school: GraphNode
    found_by: str = strawberry.field(description="URN, name, town, postcode, or successor (found through it).")
    through: GraphNode | None = strawberry.field(description="The school found, when this one was before it.")
    links: list[Related] = strawberry.field(description="The GIAS links from this school to the one found, cited.")


def _school_match(match: questions.SchoolMatch) -> SchoolMatch:
    return SchoolMatch(
        school=graph_node(match.school),
        found_by=match.found_by,
        through=graph_node(match.through) if match.through else None,
        links=related_list(match.links),
    )


@strawberry.type(description="An NPD data set whose years overlap those asked: it may hold records of them.")
class HeldDataset:
    dataset: GraphNode
    from_year: int | None = strawberry.field(description="The first of the years asked it covers; null: not given.")
    to_year: int | None = strawberry.field(description="The last of the years asked it covers; null: not given.")
    collections: list[Related] = strawberry.field(description="The collections feeding it, each link cited.")


def _held_dataset(held: questions.records.Held) -> HeldDataset:
    return HeldDataset(
        dataset=graph_node(held.dataset),
        from_year=held.years[0] if held.years else None,
        to_year=held.years[1] if held.years else None,
        collections=related_list(held.collections),
    )


@strawberry.type(description="A release that may hold the record, its recipients cited, how sure in words.")
class RecordRelease:
    release: GraphNode
    reference: str = strawberry.field(description="How to name it to DfE: its register reference, or its entry.")
    recipients: list[Related] = strawberry.field(description="Its recipients (of this group), each SENT_TO cited.")
    matched: list[str] = strawberry.field(description="Which data sets and years matched, or why nothing can.")
    certainty_words: str = strawberry.field(
        description="confirmed, by the tier of data released, items not published, ... as a reader reads it"
    )
    basis: Certainty | None = strawberry.field(description="How sure its scope is; null: its items are not published.")
    certainty: Certainty = strawberry.field(description="With the rule that matched the years.")
    scope_published: bool


def _record_release(found: questions.RecordRelease) -> RecordRelease:
    reach = found.reach
    return RecordRelease(
        release=graph_node(reach.release),
        reference=questions.records.release_reference(reach.release),
        recipients=related_list(found.recipients),
        matched=list(reach.matched),
        certainty_words=found.certainty_words,
        basis=certainty_of(reach.basis) if reach.basis else None,
        certainty=certainty_of(reach.certainty),
        scope_published=reach.scope_published,
    )


@strawberry.type(description="The releases to one type of organisation (government departments, police, ...).")
class RecipientGroup:
    label: str
    organisation_type: str | None = strawberry.field(description="As the record gives it; null: no recipient named.")
    releases: Connection[RecordRelease]


def _recipient_group(group: questions.records.RecipientGroup, first: int, after: str | None) -> RecipientGroup:
    return RecipientGroup(
        label=group.label,
        organisation_type=group.org_type,
        releases=paginate(group.releases, first, after, _record_release),
    )


@strawberry.type(
    description="Where a record from a school in some years may have gone, whole: the school's chain, the data "
    "sets covering the years, the releases by type of recipient, and what the record says was not released."
)
class RecordReach:
    chain: SchoolChain
    from_year: int
    to_year: int
    datasets: list[HeldDataset]
    releases_count: int = strawberry.field(description="Releases that may hold the record, in every group.")
    groups: list[RecipientGroup]
    not_released: list[StatedScope] = strawberry.field(
        description="What sources say did not go to these recipients or with these releases, in their words."
    )
    applications: list[OpenApplication] = strawberry.field(
        description="Applications the record names without an outcome: never releases; a parent may ask DfE."
    )
    learner_records: LearnerRecords | None = strawberry.field(
        description="DfE's Learning Records Service (learners from age 14, not the NPD) and the oversight of its use."
    )


@strawberry.type(description="DfE's Learning Records Service, and the events that judged its use, each cited.")
class LearnerRecords:
    record_set: GraphNode
    oversight: list[Related]


def _learner_records(found: questions.records.LearnerRecords) -> LearnerRecords:
    return LearnerRecords(record_set=graph_node(found.record_set), oversight=related_list(found.oversight))


@strawberry.type(description="An application the record names without an outcome: whether data went is unknown.")
class OpenApplication:
    application: GraphNode
    applicants: list[Related] = strawberry.field(description="Who made it, each MADE_BY link cited.")


def _open_application(found: questions.records.OpenApplication) -> OpenApplication:
    return OpenApplication(application=graph_node(found.application), applicants=related_list(found.applicants))


#: Every label a group of recipients can have: the named groups, any other organisation type, and the recipients
#: the record does not name.
GROUP_LABELS = frozenset(
    {label for _, label in questions.records.ORGANISATION_GROUPS}
    | set(model.ORG_TYPES) - {org_type for org_type, _ in questions.records.ORGANISATION_GROUPS}
    | {questions.records.UNNAMED_GROUP}
)


def _record_reach(answer: questions.RecordReach, first: int, group: str | None, after: str | None) -> RecordReach:
    """The whole answer; ``group`` (a label) keeps that group alone, and ``after`` pages it. An unknown group, a
    cursor that is none of ours, or a cursor with no group to page are refused, never answered as nothing."""
    if group is not None and group not in GROUP_LABELS:
        raise LineageError(f"unknown group {group!r}: a group is one of {', '.join(sorted(GROUP_LABELS))}")
    if after is not None:
        if group is None:
            raise LineageError("after pages one group of recipients: give its label as group too")
        page_window(first, after)  # refused here even when this answer has no such group
    return RecordReach(
        chain=school_chain(answer.chain),
        from_year=answer.years[0],
        to_year=answer.years[1],
        datasets=[_held_dataset(held) for held in answer.datasets],
        releases_count=len(answer.releases),
        groups=[
            _recipient_group(g, first, after if group == g.label else None)
            for g in answer.groups
            if group is None or g.label == group
        ],
        not_released=stated_scopes(answer.not_released),
        applications=[_open_application(a) for a in answer.applications],
        learner_records=_learner_records(answer.learner_records) if answer.learner_records else None,
    )


@strawberry.type(description="A subject access request, to fill in; it holds nothing about the child.")
class Letter:
    text: str
    format: str
    media_type: str
    filename: str
    name_placeholder: str = strawberry.field(
        description="Where the child's name goes, as it stands in the text: the page puts the typed name there."
    )
    references: list[str] = strawberry.field(description="The release references it lists.")


@strawberry.type
class RecordsQuery:
    @strawberry.field(
        description="Schools by URN, name, town or postcode district, then the schools each was before (so a closed "
        "school is found through the school it became)."
    )
    async def school_search(self, info: Info, text: str, first: int = DEFAULT_PAGE) -> Connection[SchoolMatch]:
        found = await info.context.call(questions.school_search, info.context.store, text, page_window(first, None)[0])
        return connection(found, _school_match)

    @strawberry.field(
        description="Where a record from a school in some academic years may have gone, whole; group (a label) "
        "pages one group of recipients."
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
    ) -> RecordReach:
        answer = await info.context.call(questions.record_reach, info.context.store, urn, from_year, to_year)
        return _record_reach(answer, first, group, after)

    @strawberry.field(
        description="A subject access request to DfE (Article 15 UK GDPR) for the NPD record of a pupil at a school "
        "in those years and its recipients, with sources. It takes no name: the page puts the typed name in."
    )
    async def letter(self, info: Info, urn: int, from_year: int, to_year: int, format: str = "txt") -> Letter:
        answer = await info.context.call(questions.record_reach, info.context.store, urn, from_year, to_year)
        written = letter.write(answer, format)
        return Letter(
            text=written.text,
            format=format,
            media_type=written.media_type,
            filename=written.filename,
            name_placeholder=written.placeholder,
            references=list(written.references),
        )
