"""A parent's questions: find a school, and where a record from it in some years may have gone, whole.

A school is found by its URN, its name, its town or postcode district (once the GIAS establishments file is
imported); a closed school is found through the schools it became, as the school a parent knows may since have
taken another URN. Where a record may have gone is :func:`~lineage.questions.pupils.pupil_reach` with all a
reader needs beside it: the data sets that cover those years and the collections feeding them, each release's
recipients with the links that cite them, grouped by organisation type, how sure each release's scope is in
words, and what the record says was not released to those recipients. No pupil's record is ever held: the
answer is the same for every pupil at that school in those years.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from lineage.dates import those_years
from lineage.hops import Hop, Step
from lineage.keys import normalise
from lineage.model import (
    CERTAINTY_WORDS,
    REFUSED_TO_SAY,
    SCHOOL_LEVEL,
    Certainty,
    CertaintyLevel,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    academic_year,
    last_year_in_npd,
    weakest,
)
from lineage.questions.common import (
    NPD_RECORDS,
    AskedYears,
    PerState,
    Related,
    amount_as_cited,
    dated_order,
    follow,
    follow_chain,
    oldest_first,
    quoted,
    related,
)
from lineage.questions.onward import LinkedHolding, as_written, linked_holdings, what_went
from lineage.questions.pupils import Reach, SchoolChain, check_years, reaches_in_years, school_successors
from lineage.questions.releases import AGREEMENT, NO_OUTCOME, release_walk
from lineage.questions.statements import EXCLUDING, RECEIVED, REFUSED, Stated, statements_about
from lineage.questions.timeline import FIGURE, TimelineEntry, compiler_note, dated_as, figure_text
from lineage.search import fold, rank, searched_fields
from lineage.store import Bounded, Store

_E = EdgeKind

#: Statements saying something did not go: left out of a release, refused, or not available to the recipient.
NOT_RELEASED = EXCLUDING | REFUSED | {"not_available"}
#: A statement that data were to go to a body (the Home Office's 2015 MoU: nationality, "once collected"): a plan,
#: never a release.
PLANNED = "planned"
#: Outcomes that are no release, which a parent may still ask about: DfE confirmed a match to DWP as a "Y" only, for
#: one of 185 children it was asked to check (2018), and the letter had named it nowhere.
NO_RELEASE = frozenset({"match flag only"})
#: The fields a school is found by, in the words a reader knows them by.
SCHOOL_FIELDS = {"key": "URN", "name": "name", "town": "town", "postcode": "postcode"}
#: How far back a search looks for the schools a found school was before (GIAS chains are short).
PREDECESSOR_HOPS = 3
#: Organisation types (as ``data/organisation_aliases.csv`` gives them) in the groups a reader looks for, in order.
ORGANISATION_GROUPS = (
    ("government department", "Government departments"),
    ("other public body", "Other public bodies"),
    ("NHS body", "NHS bodies"),
    ("police", "Police"),
    ("court", "Courts"),
    ("commercial", "Companies"),
    ("media", "Press and broadcasters"),
    ("charity or think tank", "Charities and think tanks"),
    ("academic", "Researchers (universities)"),
    ("unknown", "Organisations of a type the record does not give"),
)
#: The words of a sheet's note calling its data pupils' ("de-identified personal level data of sensitivity level C").
PERSONAL_LEVEL = "personal level data"
#: The group of a release whose record names no recipient.
UNNAMED_GROUP = "Recipient not named in the record"
_URN = re.compile(r"\d{1,9}")


@dataclass(frozen=True, slots=True)
class SchoolMatch:
    """A school found, by which of its fields, or through the school it became (``through``, its successor)."""

    school: Node
    found_by: str  # URN, name, town or postcode (see SCHOOL_FIELDS)
    through: Node | None = None  # the school found, when this one is found as a predecessor of it
    links: tuple[Related, ...] = ()  # the GIAS links from this school to the one found, each cited


def school_search(store: Store, text: str, limit: int = 20) -> Bounded[SchoolMatch]:
    """Schools by URN (a whole number finds that URN only), name, town or postcode district, closest first,
    each followed by the schools it was before (up to :data:`PREDECESSOR_HOPS` GIAS links back), so that a closed
    school is found through the school it became: at most ``limit`` in all. The total counts the schools found
    and those they were before; where more schools were found than fetched, whose predecessors are unknown, it
    is a lower bound and says so."""
    urn = text.strip()
    if _URN.fullmatch(urn):
        school = store.get_node(f"{NodeKind.SCHOOL.value}:{int(urn)}")
        found = Bounded((school,) if school else (), 1 if school else 0)
    else:
        found = store.search(text, [NodeKind.SCHOOL], limit=limit)
    needle = fold(text)
    matches = [SchoolMatch(school, _found_by(school, needle)) for school in found.items]
    seen = {m.school.id for m in matches}
    frontier: dict[str, tuple[Node, tuple[Related, ...]]] = {m.school.id: (m.school, ()) for m in matches}
    for _ in range(PREDECESSOR_HOPS):
        back = follow(store, list(frontier), incoming=[_E.SUCCEEDED_BY])
        reached: dict[str, tuple[Node, tuple[Related, ...]]] = {}
        for id_, hops in back.items():
            through, path = frontier[id_]
            for hop in hops:
                if hop.node.id not in seen:
                    seen.add(hop.node.id)
                    chain = (Related(through, hop.edge), *path)
                    matches.append(SchoolMatch(hop.node, "successor", _found(matches, through), chain))
                    reached[hop.node.id] = (hop.node, chain)
        frontier = reached
        if not frontier:
            break
    order = {m.school.id: n for n, m in enumerate(matches[: len(found.items)])}
    grouped = sorted(matches, key=lambda m: order[(m.through or m.school).id])  # stable: each after its own
    whole = found.total_exact and len(found.items) == found.total
    return Bounded(tuple(grouped[:limit]), found.total + len(matches) - len(found.items), 0, whole)


def _found(matches: Sequence[SchoolMatch], school: Node) -> Node:
    """The school a search found directly, from which ``school`` is reached (itself, if found directly)."""
    match = next(m for m in matches if m.school.id == school.id)
    return match.through or match.school


def _found_by(school: Node, needle: str) -> str:
    """The field of the school that matches the folded query most closely."""
    fields = searched_fields(school)
    scored = []
    for field, words in SCHOOL_FIELDS.items():
        for value in fields.get(field, ()):
            score = rank(needle, fold(value))
            if score is not None:
                scored.append((score, words))
    return min(scored)[1] if scored else SCHOOL_FIELDS["key"]


@dataclass(frozen=True, slots=True)
class Held:
    """An NPD data set whose years overlap those asked: it may hold records from the school in them."""

    dataset: Node
    years: tuple[int, int] | None  # the years of it within those asked; None: the record gives it no years
    collections: tuple[Related, ...]  # the collections feeding it, each link cited

    @property
    def from_year(self) -> int | None:
        return self.years[0] if self.years else None

    @property
    def to_year(self) -> int | None:
        return self.years[1] if self.years else None

    @property
    def school_level(self) -> bool:
        """Whether DfE's 2018 list of NPD data sets calls it school-level, under the name it gives (by
        data/school_level_datasets.csv): a synthetic graph's data sets of that level are in no list."""
        return self.dataset.props.get("level") == SCHOOL_LEVEL and "listed_as" in self.dataset.props

    @property
    def records_disputed(self) -> bool:
        """Whether the sources disagree whether it holds pupils' records: DfE's list calls it school-level while the
        note above its sheet calls its data personal level data. No answer chooses between them."""
        return self.school_level and any(
            PERSONAL_LEVEL in note.casefold() for note in self.dataset.strings("tier_notes")
        )

    @property
    def level_said(self) -> str | None:
        """What the sources say of a data set DfE's list calls school-level, each in its own words (the list's, the
        overview's description, the note above its sheet), and whether they disagree; None for any other."""
        if not self.school_level:
            return None
        said = [
            f"DfE's 2018 list of NPD data sets calls it school-level (as {quoted(self.dataset.props['listed_as'])})"
        ]
        if description := self.dataset.props.get("description"):
            said.append(f"DfE's overview of the data sets describes it: {quoted(description)}")
        notes = self.dataset.strings("tier_notes")
        said.append(
            f"the note above its sheet in DfE's NPD data tables reads {' and '.join(map(quoted, notes))}"
            if notes
            else "the NPD data tables give no note above a sheet of that name"
        )
        verdict = ": the sources disagree whether it holds pupils' records" if self.records_disputed else ""
        return "; ".join(said) + verdict


@dataclass(frozen=True, slots=True)
class RecordRelease:
    """A release that may hold the record, with its recipients (each SENT_TO link cited)."""

    reach: Reach
    recipients: tuple[Related, ...]
    #: what sources say went in it, in their words (what they say did not go is listed apart: not_released)
    statements: tuple[Stated, ...] = ()
    #: what sources say went to its recipients, naming no release: maybe in this one, maybe not
    recipient_statements: tuple[Stated, ...] = ()

    @property
    def release(self) -> Node:
        return self.reach.release

    @property
    def reference(self) -> str:
        """How to name it to DfE."""
        return release_reference(self.reach.release)

    @property
    def listed_in(self) -> str | None:
        """The register listing it, where its reference alone names it (:func:`listed_in`)."""
        return listed_in(self.reach.release)

    @property
    def matched(self) -> tuple[str, ...]:
        return self.reach.matched

    @property
    def certainty_words(self) -> str:
        """How sure it is that the release may hold records of those years, in words."""
        return certainty_words(self.reach.basis)

    @property
    def basis(self) -> Certainty | None:
        return self.reach.basis

    @property
    def certainty(self) -> Certainty:
        return self.reach.certainty

    @property
    def scope_published(self) -> bool:
        return self.reach.scope_published


@dataclass(frozen=True, slots=True)
class RecipientGroup:
    label: str
    org_type: str | None  # None: the releases whose record names no recipient
    releases: tuple[RecordRelease, ...]  # each with its recipients of this group only


@dataclass(frozen=True, slots=True)
class OpenApplication:
    """An application the record names without an outcome, or with one that is no release (a match confirmed as a
    flag alone): never a release, but one a parent may ask DfE about. Its register gives no outcome of data going;
    another source may say what went under it (a campaigner's "released"), and an answer listing the application
    quotes that too, or it would say the record is silent when it is not."""

    application: Node
    applicants: tuple[Related, ...]  # each MADE_BY link, cited
    statements: tuple[Stated, ...] = ()  # what sources say of it, in their words
    commissioned_by: tuple[Related, ...] = ()  # each COMMISSIONED_BY link: a body it was made for (DS00763's)
    #: the agreements a source ties to it (DWP's arrangement "formalised" after its 2018 check), each an Event
    #: CONCERNING it by a row of data/event_links.csv, oldest first: what went on under one, a parent may ask about
    #: too. Never an agreement merely with the same body: HMRC's 2019 MoU is not said to be under DS00638
    agreements: tuple[Related, ...] = ()
    #: in a record reach: its sources date everything they say went under it before the years asked were in the
    #: NPD. It is still listed: a source may name an arrangement's early extractions only, and none says it ended.
    went_before_the_years: bool = False

    @property
    def listed_in(self) -> str | None:
        """The register listing it, where its reference alone names it (:func:`listed_in`)."""
        return listed_in(self.application)


@dataclass(frozen=True, slots=True)
class Disclosure:
    """Pupil data the record says went to a body other than by a release: a published figure of what DfE passed
    on (the police's and the Home Office's requests), an access (a police force's in November 2019), or what a
    body given access passed on (Trustopia's service to GB Group). Whether a child's record was among it the
    record does not say; a parent may ask, as about a release."""

    source: Node  # the published figure (AggregateFlow), what was accessed (DfE, a record set), or who passed it on
    to: Related  # the body it went to, and the FLOWS_TO, ACCESSED_BY or SHARES_ONWARD link, cited

    @property
    def when(self) -> str:
        """The date or period, in the source's words, and what it is where it is not the flow's own; a published
        figure's period (a record set's own date, a linked set's size's, is not the flow's)."""
        return dated_as(self.to.link) or str(self.source.props.get("period") or "date not given")

    @property
    def certainty(self) -> Certainty:
        """As sure as its weakest part: the link to the body and, for a published figure, the figure; a requester's
        own words or a campaigner's count are not DfE's."""
        figure = (self.source.certainty,) if self.source.kind is NodeKind.AGGREGATE_FLOW else ()
        return weakest((self.to.link.certainty, *figure))

    @property
    def certainty_words(self) -> str:
        """What kind of source it rests on, in the words a reader sees beside every fact."""
        return CERTAINTY_WORDS[self.certainty.level]

    @property
    def text(self) -> str:
        """What went, in the source's words, and the compiler's notes on it (GB Group's denial, as reported)."""
        if self.source.kind is NodeKind.AGGREGATE_FLOW:
            return figure_text(self.source)
        return self.words + compiler_note(self.to.link)

    @property
    def words(self) -> str:
        """What went, in the source's words alone, for a table whose own column gives the notes (a published
        figure's text, which its tables do not show this way, is one with its notes)."""
        if self.source.kind is NodeKind.AGGREGATE_FLOW:
            return figure_text(self.source)
        props = self.to.link.props
        # by a route that is no extract, what the source says went, never the system itself: the Home Office's
        # match and return had read "National Pupil Database (NPD) to Home Office (match and return): National
        # Pupil Database (NPD)", as if the NPD went (the exports' what_went)
        amount = amount_as_cited(self.to.link)
        records = as_written(self.to.link, "dataset_as_written") or "records"
        what = amount or what_went(self.to.link, records)
        # the route named where what went does not name it (beside an amount, or an extract's records): it had read
        # "(match and return): match and return against National Pupil Database (NPD)", the route named twice
        named = props.get("route") and (amount or what == records)
        route = f" ({props['route']})" if named else ""
        of = (
            f" of {props['dataset_as_written']}"
            if amount and props.get("what_went") and props.get("dataset_as_written")
            else ""
        )
        # what was passed on, in the source's words: "service built on the data" alone read as if the records
        # themselves went on, where the source says a service built on them was offered
        onward = self.to.link.kind is _E.SHARES_ONWARD and props.get("quote")
        quote = ": " + quoted(props["quote"]) if onward else ""
        return f"{self.source.name} to {self.recipient}{route}: {what}{of}{quote}"

    @property
    def recipient(self) -> str:
        """The body it went to, and the source's own words for it where they name it otherwise: one force given
        pupils' data in November 2019 ("police force (not named)") had been given as "Police forces"."""
        name, written = self.to.node.name, self.to.link.props.get("organisation_as_written")
        if isinstance(written, str) and normalise(written) != normalise(name):
            return f"{name} (as its source words it: {written})"
        return name


@dataclass(frozen=True, slots=True)
class LearnerRecords:
    """DfE's Learning Records Service (learners from age 14, not the NPD), the accesses to it and the oversight
    events that judged its use: a parent whose child was 14 or over in the years asked may ask DfE for that record
    too. Its accesses are here, under that condition, not among the NPD's disclosures: a record the LRS never held
    (a child at primary school then) was never in a search of it."""

    record_set: Node
    oversight: tuple[Related, ...]  # events concerning it (the ICO's reprimand, ...), each CONCERNS link cited
    accesses: tuple[Disclosure, ...] = ()  # who was given access to it, oldest first, whatever the years asked
    #: what those given access passed on, and those they passed it to, as the record says (Trustopia's searches to
    #: GB Group, and GB Group's service to gambling companies): each a link of a body to the next, oldest first
    onward: tuple[Disclosure, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordReach(AskedYears):
    chain: SchoolChain
    years: tuple[int, int]
    datasets: tuple[Held, ...]
    releases: tuple[RecordRelease, ...]  # published scope first, then unpublished; each by date
    groups: tuple[RecipientGroup, ...]
    not_released: tuple[Stated, ...]  # what sources say did not go to these recipients, with these releases
    applications: tuple[OpenApplication, ...] = ()  # with no outcome, or none a release: apart from the releases
    learner_records: LearnerRecords | None = None  # DfE's other pupil system, where the graph holds it
    disclosures: tuple[Disclosure, ...] = ()  # figures and accesses, not releases, once these years were in the NPD
    #: data sets linking pupil records with other departments' (LEO, PPMD, MoJ-DfE), by holder: the record does not
    #: say whose records are in them, so a parent may ask
    linked: tuple[LinkedHolding, ...] = ()
    #: what a body this answer names was asked and refused to say (the Home Office: whether pupil data went on
    #: beyond it), so that no reader takes its silence for nothing having gone
    refused_to_say: tuple[Stated, ...] = ()
    #: what the record says of NPD data reached through the ONS (the OSR's letters: access for research "made
    #: available via the ONS"; a data transfer "will be necessary" where that does not meet needs), each event with
    #: its CONCERNS link to the ONS, cited: not a release, and no copy sent as far as these sources say
    ons_access: tuple[Related, ...] = ()
    #: what the record says of the NPD's collections, whatever the years (the school census's nationality and country
    #: of birth items, collected from 2016, which DfE "has refused to delete"), each event with its CONCERNS link,
    #: cited, oldest first: whether a child's record holds what an event names the record does not say
    collection_events: tuple[Related, ...] = ()
    #: what else the record says of the NPD, whatever the years: oversight (the ICO's compulsory audit of DfE and its
    #: 139 recommendations), agreements (the Home Office's, updated in 2019) and figures (the Home Office's requests
    #: to match against it), each event with its CONCERNS link to the NPD, cited, oldest first; the ONS's part is in
    #: ons_access
    npd_events: tuple[Related, ...] = ()
    #: what sources say was planned to go to a body this answer names (the Home Office's 2015 MoU: nationality "once
    #: collected"): said apart, as no source says it went, and beside what was not released, as a plan is no release
    planned: tuple[Stated, ...] = ()
    #: the published figures of the NPD's collections' items, whatever the years (the school census's nationality and
    #: country of birth items, collected autumn 2016 to summer 2018, whose notes give a campaigner's account that they
    #: were destroyed in 2020): beside collection_events, whose lines (2018: "will not be deleted"; undated: "has
    #: refused to delete") had left a reader to take the items as still held, the record saying otherwise
    collection_figures: tuple[TimelineEntry, ...] = ()
    #: the published figures of the routes to NPD data for research (DfE's default, the ONS Secure Research Service,
    #: with "some direct supply" beside it; the MoJ-DfE linked data in the SRS as a DfE extract), beside ons_access:
    #: its lines alone had let the letter say the sources on the ONS name no transfer
    ons_figures: tuple[TimelineEntry, ...] = ()

    @property
    def releases_count(self) -> int:
        return len(self.releases)

    @property
    def those_years(self) -> str:
        """How the letter and /reach refer back to the years asked (dates.those_years): one definition for both."""
        return those_years(*self.years)

    @property
    def schools(self) -> tuple[Node, ...]:
        return self.chain.schools

    @property
    def school_note(self) -> str | None:
        """Where GIAS records the school as succeeded before or during the years asked, and what its successors
        became in turn by the end of them, so that no one reads the school's own URN, or the first school it became,
        as a pupil's school for every year asked: said once, for the letter and /reach."""
        first, last = self.years
        chain = self.chain
        # the school was open on the day GIAS dates a link (31 August, as it does): the next year is its successor's
        before = {step.school.id for step in chain.predecessors}
        succeeded = [(school, day) for school, day in chain.succeeded if school.id not in before]
        if not succeeded or academic_year(succeeded[0][1]) >= last:
            return None
        schools = {chain.school.id: chain.school, **{step.school.id: step.school for step in chain.successors}}
        said = []  # a school GIAS also gives as a predecessor is left out: it links some pairs both ways
        for step in sorted(chain.successors, key=lambda s: (s.hops, s.links[-1].validity.valid_from or dt.date.max)):
            link = step.links[-1]
            day = link.validity.valid_from
            if day is None or academic_year(day) >= last or link.source not in schools or step.school.id in before:
                continue
            was, became = schools[link.source], f"{step.school.name} (URN {step.school.key})"
            split = chain.is_split(link)
            how = f"as split, {became} being a school split from it" if split else f"as succeeded by {became}"
            when = "before the years asked" if academic_year(day) < first else "during the years asked"
            said.append((f"URN {was.key} {how}, dating the link {day.day} {day:%B %Y}, {when}", split))
        became = "the school it became" + (", or after a split either school" if any(s for _, s in said) else "")
        return (
            f"Get Information About Schools records {'; '.join(text for text, _ in said)}: from each date its pupils "
            f"were at {became}, which this answer covers too."
        )


def release_reference(release: Node) -> str:
    """How a release is named to DfE: its register reference, or else its register and entry (date, recipient)."""
    reference = release.props.get("reference")
    if reference:
        return str(reference)
    register = release.props.get("register")
    return f"{register}, entry {release.name}" if register else release.name


def listed_in(node: Node) -> str | None:
    """The register listing a release or an application that its reference alone names (release_reference names the
    register of one without): the four undated 2017 references read 'no date in the record' with nothing saying they
    come from the register's August 2017 edition. Where it is listed, not when: an edition bounds no release's date
    (Locrating's extract is dated after the edition listing it)."""
    register = node.props.get("register")
    return str(register) if node.props.get("reference") and register else None


def certainty_words(basis: Certainty | None) -> str:
    """A release's scope, as sure as the record makes it: what a parent reads beside each release."""
    if basis is None:
        return "items not published"
    if basis.level is CertaintyLevel.TIER_LEVEL:
        return "by the tier of data released"
    if basis.level is CertaintyLevel.CLAIMED:
        return "claimed by the recipient"
    if basis.level is CertaintyLevel.INFERRED:
        return f"inferred, by the rule {basis.rule}" if basis.rule else "inferred"
    return basis.level.value


def record_reach(store: Store, urn: int, from_year: int, to_year: int) -> RecordReach:
    """Where a record from this school (and its predecessors and successors) in these academic years may have
    gone, with the data sets, recipients, groups and not-released statements a reader needs beside it."""
    check_years(from_year, to_year)
    chain = school_successors(store, urn)  # refuses a URN the graph lacks
    found, grouped, not_released = _released_in_years(store, from_year, to_year)
    learners = learner_records(store)
    of_learners = {d.to.link.id for d in learners.accesses} if learners else set()
    earliest = release_walk(store).earliest_lag  # what went under an application, or by an access, is not known
    disclosed = tuple(
        d
        for d in disclosures(store)
        if _after_in_npd(d.to.link, from_year, earliest) and d.to.link.id not in of_learners
    )
    linked = linked_holdings(store)
    named = {
        *(related.node.id for release in found for related in release.recipients),
        *(d.to.node.id for d in (*disclosed, *(learners.accesses + learners.onward if learners else ()))),
        *(holding.organisation.id for holding in linked),
    }
    said = stated_of_kinds(store, frozenset({REFUSED_TO_SAY, PLANNED}))

    def of_named(kind: str) -> tuple[Stated, ...]:
        return tuple(
            {s.statement.id: s for body in sorted(named) for s in said.get(body, ()) if s.kind == kind}.values()
        )

    return RecordReach(
        chain,
        (from_year, to_year),
        _held(store, from_year, to_year),
        found,
        grouped,
        not_released,
        tuple(
            _dated_against(a, from_year, earliest)
            for a in (*open_applications(store), *applications_of(store, NO_RELEASE))
        ),
        learners,
        disclosed,
        linked,
        of_named(REFUSED_TO_SAY),
        through_the_ons(store),
        collection_events(store),
        npd_events(store),
        of_named(PLANNED),
        collection_figures(store),
        ons_figures(store),
    )


@PerState
def collection_events(store: Store) -> tuple[Related, ...]:
    """Every event concerning a collection of the NPD's, once each, oldest first, with its CONCERNS link (cited by
    the row of data/event_links.csv that ties it there): the school census's nationality and country of birth
    items, kept after their collection ended, had been in no letter. Whatever the years asked: the node the events
    concern (the dataset list's "PLASC/School Census") feeds no data set the years pick, and the events' dates
    and periods are their sources' own, for a reader to read, not for this answer to match against the years."""
    collections = sorted(node.id for node in store.all_nodes(NodeKind.COLLECTION))
    around = follow(store, collections, incoming=[_E.CONCERNS])
    found = {r.node.id: r for id_ in collections for r in related(around.get(id_, []), [_E.CONCERNS])}
    return tuple(sorted(found.values(), key=lambda r: oldest_first(r.node)))


#: The topic the published figures (data/npd_sharing_figures_compiled.csv) give the items of the NPD's collections.
CENSUS_ITEMS = "census_items"


#: The topics the published figures give the routes by which researchers reach NPD data: DfE's guidance on its
#: default route for personal data, and the MoJ's on the MoJ-DfE linked data.
ACCESS_ROUTES = ("access_route", "moj_dfe")


@PerState
def collection_figures(store: Store) -> tuple[TimelineEntry, ...]:
    """Every published figure of the NPD's collections' items, oldest first, in the compiler's words with the notes
    on it: the nationality and country of birth items' collection period, whose notes give the later accounts
    (collection stopped in 2018; the data destroyed in 2020, a campaigner's page says), which no answer gave."""
    return _figures_of(store, [CENSUS_ITEMS])


@PerState
def ons_figures(store: Store) -> tuple[TimelineEntry, ...]:
    """Every published figure of the routes to NPD data for research, oldest first, in the compiler's words with the
    notes on it: the ONS Secure Research Service as DfE's default route ('some direct supply' beside it) and the
    MoJ-DfE linked data reached there as a DfE extract were in no letter, whose ONS part said the sources there name
    no transfer: none of them is a volume, so none is a disclosure."""
    return _figures_of(store, ACCESS_ROUTES)


def _figures_of(store: Store, topics: Sequence[str]) -> tuple[TimelineEntry, ...]:
    """The published figures of these topics, oldest first."""
    found = store.find_nodes(NodeKind.AGGREGATE_FLOW, "topic", list(topics))
    return tuple(TimelineEntry(figure, FIGURE, ()) for figure in sorted(found, key=oldest_first))


def _dated_against(open_application: OpenApplication, from_year: int, lag: int = 0) -> OpenApplication:
    """The application, marked where its sources date everything they say went under it ("in June 2011, and 2013
    the Cabinet Office extracted ...") before ``from_year``'s data were in the NPD, by the rule releases are listed
    by (last_year_in_npd, ``lag`` months on: the earliest any data set's timetable gives). Its own date alone marks
    nothing: data go after an application, so that date bounds a release under it from below. Marked, not left
    out: a source may name an arrangement's first extractions only."""
    went = [s.statement.props.get("latest_date") for s in open_application.statements if s.kind in RECEIVED]
    before = bool(went) and all(isinstance(day, dt.date) and last_year_in_npd(day, lag) < from_year for day in went)
    return dataclasses.replace(open_application, went_before_the_years=True) if before else open_application


def _after_in_npd(link: Edge, from_year: int, lag: int = 0) -> bool:
    """Whether a disclosure can hold data of ``from_year`` on: it ended (or, undated, may have ended) once that
    year's data were in the NPD, by the rule every answer reaches by (last_year_in_npd, ``lag`` months on: the
    earliest any data set's timetable gives, as what went is not known). A date that is not the
    flow's own (``date_is``: the day a written answer described a standing arrangement) bounds nothing: the Home
    Office's matching, described on 19 July 2019, had been left out of every letter from 2019/20 on. An open period
    has not ended: a flow since July 2015 had been taken to end on 1 July 2015.

    >>> from lineage.model import Validity
    >>> since = Edge("RecordSet:R", EdgeKind.ACCESSED_BY, "Organisation:O", validity=Validity(dt.date(2015, 7, 1)))
    >>> ended = dataclasses.replace(since, validity=Validity(dt.date(2015, 7, 1), dt.date(2016, 9, 30)))
    >>> _after_in_npd(since, 2019), _after_in_npd(ended, 2019), _after_in_npd(ended, 2015)
    (True, False, True)
    """
    end = link.validity.valid_to  # an open period ("2015-07..") has not ended
    return end is None or bool(link.props.get("date_is")) or last_year_in_npd(end, lag) >= from_year


@PerState
def disclosures(store: Store) -> tuple[Disclosure, ...]:
    """Every published figure of data going to a body (FLOWS_TO; one with a number, or a count in words with what
    it counts: an agreement's date, or the route by which researchers reach the MoJ's linked data, is no volume)
    and every access to pupil records (ACCESSED_BY), oldest first: the same for every school, found in two
    batched hops."""
    figures = [
        figure
        for figure in store.all_nodes(NodeKind.AGGREGATE_FLOW)
        if figure.props.get("value") is not None or (figure.props.get("value_text") and figure.props.get("unit"))
    ]
    holders = [*store.all_nodes(NodeKind.RECORD_SET), *store.all_nodes(NodeKind.ORGANISATION)]
    found = []
    for nodes, kind in ((figures, _E.FLOWS_TO), (holders, _E.ACCESSED_BY)):
        hops = follow(store, [node.id for node in nodes], outgoing=[kind])
        found += [Disclosure(node, to) for node in nodes for to in related(hops.get(node.id, []), [kind])]
    return tuple(sorted(found, key=lambda d: oldest_first(d.to.link)))


def _released(
    store: Store, from_year: int, to_year: int
) -> tuple[tuple[RecordRelease, ...], tuple[RecipientGroup, ...], tuple[Stated, ...]]:
    """The releases of these years with their recipients, grouped, and what was said not to go: the same for
    every school (pupil_reach's releases are), so kept per span of years as those are. At national scale this
    was nearly all of a question's time (1,250 releases' recipients fetched and grouped again for every school)."""
    reaches, unpublished = reaches_in_years(store, from_year, to_year)
    releases = [*reaches, *unpublished]
    sent = follow(store, [r.release.id for r in releases], outgoing=[_E.SENT_TO])
    traces = release_walk(store).by_release
    found = [
        RecordRelease(
            r,
            related(sent.get(r.release.id, []), [_E.SENT_TO]),
            tuple(s for s in traces[r.release.id].statements if s.kind in RECEIVED),
            tuple(s for s in traces[r.release.id].recipient_statements if s.kind in RECEIVED),
        )
        for r in releases
    ]
    recipients = {rel.node.id for r in found for rel in r.recipients}
    said = stated_of_kinds(store, NOT_RELEASED)
    not_released = {
        s.statement.id: s for target in [*(r.release.id for r in releases), *sorted(recipients)] for s in said[target]
    }
    ordered = tuple(sorted(not_released.values(), key=lambda s: (s.about.node.id, s.statement.id)))
    return tuple(found), _grouped(found), ordered


_released_in_years = PerState(_released, keep=64)


#: The system a RecordSet of DfE's Learning Records Service names (see importers/onward.py).
LRS_SYSTEM = "LRS"
#: The Office for National Statistics, through which the record says researchers reach NPD data.
ONS = "Organisation:office for national statistics"


@PerState
def _concerning_ons_and_npd(store: Store) -> dict[str, list[Hop]]:
    """What CONCERNS the ONS and the NPD, in one batched hop: through_the_ons and npd_events each read the NPD's."""
    return follow(store, [ONS, NPD_RECORDS], incoming=[_E.CONCERNS])


@PerState
def through_the_ons(store: Store) -> tuple[Related, ...]:
    """Every event concerning both the ONS and the NPD, oldest first, each with its CONCERNS link to the ONS (cited
    by the row of data/event_links.csv that ties it there): the OSR's letters, which say access to NPD data for
    research "was made available via the ONS" (2018) and that a data transfer "will be necessary" where that does
    not meet needs. The letter had named the ONS only as DfE's policy that it "may also share" with it."""
    around = _concerning_ons_and_npd(store)
    of_npd = {hop.node.id for hop in around.get(NPD_RECORDS, [])}
    found = [r for r in related(around.get(ONS, []), [_E.CONCERNS]) if r.node.id in of_npd]
    return tuple(sorted(found, key=lambda r: oldest_first(r.node)))


@PerState
def npd_events(store: Store) -> tuple[Related, ...]:
    """Every event concerning the NPD, but those of access through the ONS (:func:`through_the_ons`), oldest first,
    each with its CONCERNS link to the NPD: the ICO's compulsory audit of DfE (its assessment notice of December
    2019, and its outcome of October 2020: 139 recommendations), the Home Office's agreement and its 6,883 requests
    to match against the NPD had been in no letter."""
    through_ons = {r.node.id for r in through_the_ons(store)}
    around = _concerning_ons_and_npd(store)
    found = [r for r in related(around.get(NPD_RECORDS, []), [_E.CONCERNS]) if r.node.id not in through_ons]
    return tuple(sorted(found, key=lambda r: oldest_first(r.node)))


@PerState
def learner_records(store: Store) -> LearnerRecords | None:
    """The Learning Records Service, the accesses to it and the events concerning it, each oldest first; None where
    the graph lacks it."""
    found = store.find_nodes(NodeKind.RECORD_SET, "system", [LRS_SYSTEM])
    if not found:
        return None
    lrs = found[0]
    events = follow(store, [lrs.id], incoming=[_E.CONCERNS]).get(lrs.id, [])
    ordered = sorted(
        related(events, [_E.CONCERNS]), key=lambda r: (str(r.node.props.get("date_as_cited", "")), r.node.id)
    )
    accesses = tuple(d for d in disclosures(store) if d.source.id == lrs.id)
    return LearnerRecords(lrs, tuple(ordered), accesses, _passed_on(store, [d.to.node for d in accesses]))


def _of_the_lrs(link: Edge) -> bool:
    """Whether an onward share is of the Learning Records Service's data, as its source words them."""
    words = str(link.props.get("dataset_as_written", "")).lower()
    return "learning records service" in words or re.search(r"\blrs\b", words) is not None


def _passed_on(store: Store, bodies: Sequence[Node]) -> tuple[Disclosure, ...]:
    """Every onward share from these bodies and on from those they shared with, each once, oldest first: a round
    trip per step along the chains (the record's are two or three bodies long)."""
    found: dict[str, Disclosure] = {}
    frontier = {body.id: body for body in bodies}
    while frontier:
        hops = follow(store, sorted(frontier), outgoing=[_E.SHARES_ONWARD])
        shared = [
            Disclosure(frontier[id_], to)
            for id_, near in hops.items()
            for to in related(near, [_E.SHARES_ONWARD])
            if _of_the_lrs(to.link)  # not what else these bodies passed on: the NPD's part asks of that
        ]
        fresh = [d for d in shared if d.to.link.id not in found]
        found |= {d.to.link.id: d for d in fresh}
        frontier = {d.to.node.id: d.to.node for d in fresh}
    # by date, undated last, each undated one in the order the chain reaches it (Trustopia's before GB Group's)
    return tuple(sorted(found.values(), key=lambda d: oldest_first(d.to.link)[0]))


def open_applications(store: Store) -> tuple[OpenApplication, ...]:
    """Every application whose outcome the record does not give (submitted for approval, pending, not stated, an
    arrangement or policy with no release), oldest first: whether data went under it is unknown, so it is listed
    apart from the releases, for every school alike (record_reach marks those whose sources date what went under
    them before the years asked)."""
    return applications_of(store, NO_OUTCOME)


def _applications_of(store: Store, statuses: frozenset[str]) -> tuple[OpenApplication, ...]:
    """The applications of these statuses that led to no release, each with its applicants and what sources say of
    it, oldest first: those without an outcome (a gap each, and a question in a letter), and those whose outcome is
    no release (a question in a letter alone)."""
    named = store.find_nodes(NodeKind.APPLICATION, "status", sorted(statuses))
    # its bodies, the release it led to and the events concerning it (one round trip on Neo4j)
    (made,) = follow_chain(store, [a.id for a in named], _APPLICATION_STEPS)
    found = [a for a in named if not any(h.edge.kind is _E.LED_TO for h in made.get(a.id, []))]
    said = statements_about(store, found)
    ordered = sorted(found, key=dated_order)

    def agreements(application: Node) -> tuple[Related, ...]:
        events = [
            Related(h.node, h.edge)
            for h in made.get(application.id, [])
            if h.edge.kind is _E.CONCERNS and h.node.props.get("event_kind") == AGREEMENT
        ]
        return tuple(sorted(events, key=lambda r: oldest_first(r.node)))

    return tuple(
        OpenApplication(
            a,
            related(made.get(a.id, []), [_E.MADE_BY]),
            tuple(said.get(a.id, ())),
            related(made.get(a.id, []), [_E.COMMISSIONED_BY]),
            agreements(a),
        )
        for a in ordered
    )


#: From an application: the bodies it is made by and for, the release it led to and the events concerning it.
_APPLICATION_STEPS = (
    Step(outgoing=frozenset({_E.MADE_BY, _E.LED_TO, _E.COMMISSIONED_BY}), incoming=frozenset({_E.CONCERNS})),
)


#: Kept per set of statuses: a letter asks for two sets, and with one kept each evicted the other on every request.
applications_of = PerState(_applications_of, keep=4)


def _grouped(releases: Sequence[RecordRelease]) -> tuple[RecipientGroup, ...]:
    by_type: dict[str | None, list[RecordRelease]] = defaultdict(list)
    for release in releases:
        types: dict[str, list[Related]] = defaultdict(list)
        for recipient in release.recipients:
            types[str(recipient.node.props.get("org_type") or "unknown")].append(recipient)
        for org_type, recipients in types.items():
            ids = {r.node.id for r in recipients}  # what is said of a recipient goes with it, to its group
            said = tuple(s for s in release.recipient_statements if s.about.node.id in ids)
            by_type[org_type].append(
                dataclasses.replace(release, recipients=tuple(recipients), recipient_statements=said)
            )
        if not release.recipients:
            by_type[None].append(release)
    labels = dict(ORGANISATION_GROUPS)
    others = sorted(t for t in by_type if t is not None and t not in labels)
    order: list[str | None] = [*(t for t, _ in ORGANISATION_GROUPS), *others, None]
    return tuple(
        RecipientGroup(labels.get(t, t) if t else UNNAMED_GROUP, t, tuple(by_type[t])) for t in order if t in by_type
    )


def _stated_of_kinds(store: Store, kinds: frozenset[str]) -> dict[str, list[Stated]]:
    """What sources say of ``kinds`` (what did not go; what a body refused to say or was to be given), by the release
    or organisation it is about; a statement about an application counts for its applicant too. Once per state of the
    store, in a fixed number of batched calls."""
    statements = store.find_nodes(NodeKind.STATEMENT, "statement", sorted(kinds))
    about = follow(store, [s.id for s in statements], outgoing=[_E.ABOUT])
    targets = {h.node.id: h.node for hops in about.values() for h in hops}
    applicants = follow(store, [id_ for id_, n in targets.items() if n.kind is NodeKind.APPLICATION],
                        outgoing=[_E.MADE_BY])  # fmt: skip
    stated = statements_about(store, list(targets.values()))
    answer: dict[str, list[Stated]] = defaultdict(list)
    for target, said in stated.items():
        kept = [s for s in said if s.kind in kinds]
        answer[target].extend(kept)
        for hop in applicants.get(target, []):
            answer[hop.node.id].extend(kept)
    return answer


stated_of_kinds = PerState(_stated_of_kinds, keep=2)


def _held(store: Store, from_year: int, to_year: int) -> tuple[Held, ...]:
    """The data sets whose years overlap those asked (or whose years the record does not give)."""
    held = []
    for dataset, collections in _datasets(store):
        first, last = dataset.props.get("first_year"), dataset.props.get("last_year")
        if not isinstance(first, int) or not isinstance(last, int):
            held.append(Held(dataset, None, collections))
        elif first <= to_year and from_year <= last:
            held.append(Held(dataset, (max(first, from_year), min(last, to_year)), collections))
    return tuple(held)


@PerState
def _datasets(store: Store) -> list[tuple[Node, tuple[Related, ...]]]:
    """Every data set with the collections feeding it, by name."""
    datasets = store.all_nodes(NodeKind.DATASET)
    fed = follow(store, [d.id for d in datasets], incoming=[_E.FEEDS])
    return [(d, related(fed.get(d.id, []), [_E.FEEDS])) for d in sorted(datasets, key=lambda d: (d.name, d.id))]
