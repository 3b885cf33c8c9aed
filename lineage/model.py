"""The one provenance model: node kinds, edge kinds, citations, certainty and validity.

Everything else derives from this module: both stores validate writes against it, Neo4j's
constraints and indexes come from it, and the GraphQL types are generated from it. Add a kind or a
property here and nowhere else.

A node is identified by ``"<Kind>:<natural key>"`` (``School:100000``, ``DataItem:KS4/KS4_FSM``,
``Organisation:home office``), so two importers that name the same thing meet on the same node.

Longer than other modules on purpose: most of it is the table of kinds and their documented properties
(:data:`NODE_SPECS`, :data:`EDGE_SPECS`), which must stay in one place to be the one definition.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from lineage.characters import consecutive_runs
from lineage.errors import ModelError

Scalar = str | int | float | bool | dt.date | tuple[str, ...]


def value_text(value: Scalar | None) -> str:
    """A property's value in the words every answer, letter and report quotes it in: a figure (a float) as its
    source wrote it, thousands grouped (a figure of 2.5 had been quoted as 2, one of 1,234.5 as 1,234), a whole
    number of another kind (a year, a count) as it is, a date as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,}"
    return str(value)


class NodeKind(StrEnum):
    SCHOOL = "School"
    COLLECTION = "Collection"
    DATASET = "Dataset"
    DATA_ITEM = "DataItem"
    CONCEPT = "Concept"
    CLASSIFICATION = "Classification"
    RELEASE_RULE = "ReleaseRule"
    RELEASE = "Release"
    APPROVAL = "Approval"
    ORGANISATION = "Organisation"
    AGGREGATE_FLOW = "AggregateFlow"
    APPLICATION = "Application"
    STATEMENT = "Statement"
    EVENT = "Event"
    IMPORT_RUN = "ImportRun"
    RECORD_SET = "RecordSet"


class EdgeKind(StrEnum):
    SUBMITS = "SUBMITS"
    FEEDS = "FEEDS"
    HOLDS = "HOLDS"
    REPRESENTS = "REPRESENTS"
    BROADER = "BROADER"
    CLASSIFIED_AS = "CLASSIFIED_AS"
    RESTRICTED_BY = "RESTRICTED_BY"
    INCLUDES = "INCLUDES"
    APPROVED_BY = "APPROVED_BY"
    SENT_TO = "SENT_TO"
    SHARES_ONWARD = "SHARES_ONWARD"
    SUCCEEDED_BY = "SUCCEEDED_BY"
    DRAWS_ON = "DRAWS_ON"
    FLOWS_TO = "FLOWS_TO"
    MADE_BY = "MADE_BY"
    LED_TO = "LED_TO"
    ABOUT = "ABOUT"
    REFERS_TO = "REFERS_TO"
    CONTRADICTS = "CONTRADICTS"
    FLOWS_FROM = "FLOWS_FROM"
    COMMISSIONED_BY = "COMMISSIONED_BY"
    CONCERNS = "CONCERNS"
    HELD_BY = "HELD_BY"
    ACCESSED_BY = "ACCESSED_BY"
    DERIVED_FROM = "DERIVED_FROM"


class RunStatus(StrEnum):
    """Where an import run stands (an ImportRun's ``status``): it is written ``started`` before its data, and
    ``finished`` in the same write as the last of its data, so a run cut short is never taken as whole."""

    STARTED = "started"
    FINISHED = "finished"
    INTERRUPTED = "interrupted"


class CertaintyLevel(StrEnum):
    """How sure the graph is of a fact, by the kind of source it rests on; every answer carries it.

    Strongest first (see :data:`STRENGTH`): a chain of facts is as sure as its weakest step."""

    CONFIRMED = "confirmed"  # DfE's own documents, Parliament or a regulator's own letter state it
    REPORTED = "reported"  # a secondary account, or a third party's copy of a confirmed source, states it
    CLAIMED = "claimed"  # the recipient's own description states it
    TIER_LEVEL = "tier_level"  # an approval names a tier of data ("tier 1 or tier 2 data"), not a listed item
    INFERRED = "inferred"  # derived by a named rule from other facts


#: Each level's rank, weakest lowest: a statement about the very fact (however secondary) outranks a
#: tier-wide approval, which outranks a rule's inference.
STRENGTH: dict[CertaintyLevel, int] = {level: rank for rank, level in enumerate(reversed(CertaintyLevel))}
#: Each level in the words a reader sees beside a fact (the explorer's panel and legend): what kind of source it
#: rests on, as the README's "Certainty" table says it, shortened.
CERTAINTY_WORDS: dict[CertaintyLevel, str] = {
    CertaintyLevel.CONFIRMED: "confirmed (DfE, Parliament or a regulator's letter)",
    # who may report: source_kinds.csv reads a research body's account (ADR UK's of the MoJ-DfE linked data set)
    # and a law firm's of the ICO's reprimand as reported too, which "a campaigner's ... or press account" misnamed
    CertaintyLevel.REPORTED: "reported (a campaigner's, requester's, press, law firm's or research body's account, "
    "or a third party's copy)",
    CertaintyLevel.CLAIMED: "claimed (the recipient's own words)",
    CertaintyLevel.TIER_LEVEL: "at tier level (approved for data of a tier, not for these items: it may not hold them)",
    CertaintyLevel.INFERRED: "inferred",
}


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a fact comes from: a document, the file or sheet in it, the row, and an address to check it."""

    document: str
    file: str
    row: int | None = None
    address: str = ""

    def encode(self) -> str:
        """A stable one-line form, used as the identity of a citation in both stores."""
        return json.dumps([self.document, self.file, self.row, self.address], ensure_ascii=False)

    @classmethod
    def decode(cls, text: str) -> Citation:
        document, file, row, address = json.loads(text)
        return cls(document, file, row, address)


def ordered_citations(citations: Iterable[Citation]) -> list[Citation]:
    """Citations in one stable order (document, file, row, address): every answer and file lists them alike."""
    return sorted(citations, key=lambda c: (c.document, c.file, c.row or 0, c.address))


def in_row_runs(citations: Iterable[Citation], what: str = "") -> frozenset[Citation]:
    """The citations of one source's rows as one citation naming them as runs, and ``what`` they are, where given: a
    fact resting on a table's many rows would otherwise list each of them wherever it is shown. A source cited at
    one row, with nothing to say of it, keeps that row's citation; a citation naming no row is kept as it is.

    >>> cited = [Citation("Dictionary", "items.csv", row, "https://d") for row in (5, 3, 4, 9)]
    >>> [c.document for c in in_row_runs(cited, "every alias it lists")]
    ['Dictionary: rows 3-5, 9, every alias it lists']
    >>> in_row_runs(cited[:1]) == {cited[0]}
    True
    """
    rows: dict[tuple[str, str, str], set[int]] = {}
    kept = set()
    for citation in citations:
        if citation.row is None:
            kept.add(citation)
        else:
            rows.setdefault((citation.document, citation.file, citation.address), set()).add(citation.row)
    for (document, file, address), numbers in rows.items():
        if len(numbers) == 1 and not what:
            kept.add(Citation(document, file, next(iter(numbers)), address))
            continue
        runs = consecutive_runs(sorted(numbers))
        named = ", ".join(f"{first}-{last}" if first != last else str(first) for first, last in runs)
        kept.add(Citation(f"{document}: rows {named}" + (f", {what}" if what else ""), file, None, address))
    return frozenset(kept)


@dataclass(frozen=True, slots=True)
class Certainty:
    level: CertaintyLevel = CertaintyLevel.CONFIRMED
    rule: str | None = None

    def __post_init__(self) -> None:
        if (self.level is CertaintyLevel.INFERRED) != (self.rule is not None):
            raise ModelError("certainty: an inferred fact names its rule, and only an inferred fact does")


CONFIRMED = Certainty()


#: The levels only a rule gives (a tier-wide approval, an inference): never what a source itself says.
RULE_LEVELS = frozenset({CertaintyLevel.TIER_LEVEL, CertaintyLevel.INFERRED})
#: The name the tier rule goes by wherever rules are named (the claims ledger, exports): its level names no rule.
TIER_RULE = "tier-level"


def gives_way_to_exclusion(inclusion: Certainty) -> bool:
    """Whether a source's statement that an item was not released outranks an inclusion this sure: every rule's
    (tier level, inferred) and every secondary account's does; DfE's own word that the item went does not. The
    one rule the release trace, the PROV and OpenLineage exports apply to an excluded item."""
    return inclusion.level is not CertaintyLevel.CONFIRMED


def outranked(inclusion: Edge, excluded: Collection[str]) -> bool:
    """Whether a release's INCLUDES link is outranked: a source's statement excludes its item from that release
    (``excluded``: the items the statements about the release exclude) and the inclusion gives way to it. The one
    test every answer, export and the ledger apply to an inclusion."""
    return inclusion.target in excluded and gives_way_to_exclusion(inclusion.certainty)


def rule_of(certainty: Certainty) -> str | None:
    """The rule a fact holds by, named; None for a fact a source states.

    >>> rule_of(Certainty(CertaintyLevel.TIER_LEVEL)), rule_of(CONFIRMED)
    ('tier-level', None)
    """
    if certainty.level not in RULE_LEVELS:
        return None
    return certainty.rule or TIER_RULE


def surest(certainties: Iterable[Certainty]) -> Certainty:
    """The certainty of a fact several sources state: that of the strongest of them (the first such).

    >>> surest([Certainty(CertaintyLevel.CLAIMED), Certainty(CertaintyLevel.REPORTED)]).level
    <CertaintyLevel.REPORTED: 'reported'>
    """
    return max(certainties, key=lambda certainty: STRENGTH[certainty.level])


def weakest(certainties: Iterable[Certainty]) -> Certainty:
    """The certainty of a chain: that of its weakest step (the first such step, with its rule).

    >>> weakest([CONFIRMED, Certainty(CertaintyLevel.INFERRED, "onward-sharing"), Certainty(CertaintyLevel.CLAIMED)])
    Certainty(level=<CertaintyLevel.INFERRED: 'inferred'>, rule='onward-sharing')
    >>> weakest([]) == CONFIRMED  # no step: nothing weakens it
    True
    """
    chain = list(certainties)
    if not chain:
        return CONFIRMED
    return min(chain, key=lambda certainty: STRENGTH[certainty.level])


class Flow(StrEnum):
    """Which way pupil data moves along an edge; downstream traversal follows it, upstream goes against it."""

    FORWARD = "forward"  # from source to target (a school submits to a collection)
    BACKWARD = "backward"  # from target to source (a release includes an item: the item's data moves to the release)
    CONTEXT = "context"  # no data moves; the target describes the source (an approval, a concept, a class)


#: How an Application names its body, by its status: most are applications by it; an arrangement is DfE's with it,
#: and a policy is DfE's own stated policy of sharing with it ("We may also share selected individual pupil data
#: with the Office for National Statistics"), which the body never applied for.
PARTY_WORDS: dict[str, str] = {"arrangement": "arrangement with", "policy": "DfE's stated policy of sharing with"}


def party_words(status: str) -> str:
    """What an entry of this status is of the body it names: "application by", "arrangement with", ...

    >>> party_words("rejected"), party_words("policy").split()[-1]
    ('application by', 'with')
    """
    return PARTY_WORDS.get(status, "application by")


#: What a Statement can say (its ``statement``), each in the words a reader quotes: every kind a source's
#: statement is read as, and ``refused_to_say`` (asked, and the body refused to say).
STATEMENT_KINDS: dict[str, str] = {
    "released": "released to it",
    "not_released": "not released to it",
    "requested_then_excluded": "asked for, then left out",
    "requested_application_rejected": "asked for; the application was refused",
    "returned_on_match": "returned to it on a match",
    "matching_input_to_dfe": "sent by it to DfE, to be matched",
    "match_flag_only": "a match flag only, no data",
    "planned": "planned",
    "not_available": "not available to it",
    "recipient_describes_its_use": "its own description of what it uses",
    "refused_to_say": "asked, and it refused to say",
}
#: The one kind a body's refusal to answer is kept as: never an edge for what the answer might have been.
REFUSED_TO_SAY = "refused_to_say"

#: The 2018 dictionary's scales an item is classified on (data/npd_data_item_classifications_2018.csv, which a
#: test holds these to): identifiability 1 (an instant identifier) to 5, sensitivity A to E.
IDENTIFIABILITY = (1, 2, 3, 4, 5)
SENSITIVITY = ("A", "B", "C", "D", "E")

#: The kinds of organisation, as answers group them. The first four are the state's (the campaign's "other government
#: departments"): central departments, ministerial or not; other public bodies (arm's-length bodies); police forces
#: and other criminal-investigation bodies; courts.
ORG_TYPES = (
    "government department",
    "other public body",
    "police",
    "court",
    "local authority",
    "academic",
    "commercial",
    "media",
    "charity or think tank",
    "NHS body",
    "other",
    "unknown",
)
STATE_ORG_TYPES = frozenset(ORG_TYPES[:4])

#: The ways data reach an organisation, as a flow's ``route`` names them: searches of a live system over a
#: period (the Learning Records Service), an extract sent out, secure access through the ONS (its Secure
#: Research Service), a match against the NPD with what matched returned (the Home Office's requests), a linkage
#: of records with another body's, and a service built on the data passed on to others (onward use).
ACCESS_ROUTES = (
    "live search",
    "extract",
    "secure access through the ONS",
    "match and return",
    "linkage",
    "service built on the data",
)


@dataclass(frozen=True, slots=True)
class Prop:
    name: str
    type: type
    description: str
    indexed: bool = False


@dataclass(frozen=True, slots=True)
class NodeSpec:
    kind: NodeKind
    description: str
    key: str  # what the natural key is
    props: tuple[Prop, ...] = ()


@dataclass(frozen=True, slots=True)
class EdgeSpec:
    kind: EdgeKind
    sentence: str  # reads as "<source> <sentence> <target>"
    sources: frozenset[NodeKind]
    targets: frozenset[NodeKind]
    flow: Flow
    props: tuple[Prop, ...] = ()


def _props(*items: tuple[str, type, str] | tuple[str, type, str, bool]) -> tuple[Prop, ...]:
    return tuple(Prop(*item) for item in items)


_K = NodeKind
NODE_SPECS: dict[NodeKind, NodeSpec] = {
    spec.kind: spec
    for spec in (
        NodeSpec(
            _K.SCHOOL,
            "A school or other establishment in GIAS.",
            "URN",
            _props(
                ("urn", int, "Unique Reference Number in GIAS", True),
                ("la_code", str, "local authority code"),
                ("la_name", str, "local authority name"),
                ("establishment_type", str, "type of establishment"),
                ("phase", str, "phase of education"),
                ("status", str, "open, closed, ..."),
                ("open_date", dt.date, "date opened"),
                ("close_date", dt.date, "date closed"),
                ("town", str, "town of its address, as GIAS gives it"),
                ("postcode", str, "postcode of its address, as GIAS gives it (its district finds it)"),
            ),
        ),
        NodeSpec(
            _K.COLLECTION,
            "A census or assessment collection that schools submit.",
            "collection code",
            _props(
                ("terms", tuple, "census terms collected (autumn, spring, summer)"),
                ("first_year", int, "first academic year collected (the year it starts)"),
                ("last_year", int, "last academic year collected"),
                ("levels", tuple, "pupil-level and/or school-level, as DfE's list of NPD data sets gives it"),
                ("release_months", str, "month(s) in which its data are released into the NPD, verbatim"),
            ),
        ),
        NodeSpec(
            _K.DATASET,
            "An NPD data set (table) into which collections land.",
            "NPD sheet name",
            _props(
                ("level", str, "pupil-level or school-level, as DfE's 2018 list of NPD data sets gives it"),
                ("listed_as", str, "its name in DfE's 2018 list of NPD data sets, where a table of ours reads it so"),
                (
                    "tier_notes",
                    tuple,
                    "the notes above its sheet's sections in the NPD data tables stating an old tier, verbatim (\"de-"
                    'identified personal level data of sensitivity level C")',
                ),
                ("first_year", int, "first academic year covered (the year it starts)"),
                ("last_year", int, "last academic year covered"),
                ("release_months", str, "month(s) in which the data set is released into the NPD"),
                (
                    "release_lag_months",
                    int,
                    "months after the 1 September that follows an academic year before its data can be in the NPD, "
                    "by the release timetable's first month (negative: released within the year collected)",
                ),
                ("description", str, "what the data set holds"),
                ("title", str, "its title in the NPD data tables, e.g. Key Stage 4"),
            ),
        ),
        NodeSpec(
            _K.DATA_ITEM,
            "One NPD data item (field) under its alias.",
            "sheet/alias",
            _props(
                ("alias", str, "NPD alias, e.g. KS4_FSM", True),
                ("description", str, "what the item records"),
                ("first_year", int, "first academic year populated"),
                ("last_year", int, "last academic year populated (absent while still collected)"),
                ("collection_term", str, "census term(s) collected"),
                (
                    "old_tier",
                    int,
                    "pre-2018 tier, 1 (identifiable, highly sensitive) to 4; where its row leaves it empty, the one "
                    "its row's tier note gives (its CLASSIFIED_AS link says by which rule)",
                ),
                ("identifiability", int, "1 (instant identifier) to 5 (other)"),
                ("sensitivity", str, "A (never outside DfE) to E (other)"),
                ("availability", str, "Default or By request"),
                ("available_from_ukds", bool, "available from the UK Data Service"),
                (
                    "in_dictionary",
                    bool,
                    "false for an alias only the 2019 concepts file lists: the 2018 data tables do not describe it",
                ),
                (
                    "datasets_possible",
                    tuple,
                    "for an alias no rule places: the data sets its rule reads, one of which may hold it",
                ),
            ),
        ),
        NodeSpec(
            _K.CONCEPT,
            "A concept (or category) linking aliases of one meaning across tables.",
            "concept path",
            _props(
                ("level", int, "0 for a top category, deeper numbers below, concepts last"),
                ("description", str, "what the concept means"),
            ),
        ),
        NodeSpec(
            _K.CLASSIFICATION,
            "A point on a classification scale (old tier, identifiability, sensitivity).",
            "scale:code",
            _props(
                ("scale", str, "old_tier, identifiability or sensitivity"),
                ("code", str, "the point on the scale"),
                ("definition", str, "what the point means"),
            ),
        ),
        NodeSpec(
            _K.RELEASE_RULE,
            "A published rule on what may not be released, and where.",
            "rule slug",
            _props(
                ("text", str, "the rule, verbatim"),
                ("applies_to", str, "the route it restricts, e.g. ONS SRS"),
            ),
        ),
        NodeSpec(
            _K.RELEASE,
            "A data share: one release of NPD data to a recipient.",
            "register reference",
            _props(
                ("reference", str, "register reference (DRyymmdd.nn, DS00nnn, R00nn)", True),
                ("register", str, "the register that lists it"),
                ("date", dt.date, "date as cited, where the source gives a whole date"),
                ("date_as_cited", str, "the date in the source's words, where it is not a whole date"),
                ("status", str, "status as cited"),
                ("tiers", tuple, "old tiers approved, where the source gives them"),
                ("scope_published", bool, "whether the items or data sets released are published"),
                ("purpose", str, "the purpose or project, as the register gives it"),
            ),
        ),
        NodeSpec(
            _K.APPLICATION,
            "An application (or standing arrangement) for NPD data, whatever its outcome.",
            "register reference, else register/date/organisation (a Release from it has the same key)",
            _props(
                ("reference", str, "register reference, where given", True),
                ("register", str, "the register or document that names it"),
                (
                    "status",
                    str,
                    "approved, released, submitted for approval, pending, rejected, not pursued, arrangement, "
                    "match flag only, policy, or not stated",
                    True,
                ),
                ("status_as_cited", str, "the status in the source's words"),
                ("applicant_as_cited", str, "who applied in the source's words, where it names no one body"),
                ("date", dt.date, "date as cited, where the source gives a whole date"),
                ("date_as_cited", str, "the date in the source's words"),
                ("tiers", tuple, "old tiers asked for or approved, where the source gives them"),
                ("purpose", str, "the purpose, as cited"),
                ("notes", str, "the compiler's notes on the row (a date under a column of three kinds of date)"),
            ),
        ),
        NodeSpec(
            _K.STATEMENT,
            "What one source says a recipient was released, was not released, asked for, was refused, "
            "had returned, sent, or describes using: in the source's own words.",
            "organisation/statement/words/source kind",
            _props(
                (
                    "statement",
                    str,
                    ", ".join(f"{kind} ({words})" for kind, words in STATEMENT_KINDS.items()),
                    True,
                ),
                ("source_kind", str, "what kind of source says it, in the compiler's words"),
                ("items_as_written", str, "the data items, in the source's words"),
                ("dataset_as_written", str, "the data set, in the source's words"),
                ("years_as_written", str, "the years, in the source's words"),
                (
                    "years_begin",
                    int,
                    "the first academic year (by the year it starts) its years name, as our table reads them: a "
                    "release it is about holds no earlier year's data",
                ),
                (
                    "years_end",
                    int,
                    "the last academic year (by the year it starts) its years name, as our table reads them: a "
                    "release it is about holds no later year's data",
                ),
                ("years_read_by", str, "our table's row reading its years, and why"),
                (
                    "datasets_read",
                    tuple,
                    "the data sets its data set words name, as our table reads them: a release it says went holds no "
                    "other data set's items",
                ),
                ("organisation_as_written", str, "the organisation, in the source's words"),
                ("date_as_cited", str, "the date, in the source's words"),
                ("latest_date", dt.date, "the last day of the period its date names: its words reach no later item"),
                ("dated_by", str, "where its source's own day is read, its date not given: our table's row and why"),
                ("quote", str, "the source's words (30 at most)"),
                ("notes", str, "the compiler's notes on the row"),
                (
                    "read_from",
                    str,
                    "where the words are a second sentence of the row's source that only its notes quote: our "
                    "table's row and why",
                ),
                ("another_copy_reads", str, "the words another copy of its source gives in their place"),
                ("contested", bool, "another cited source disagrees (see its CONTRADICTS links)"),
            ),
        ),
        NodeSpec(
            _K.EVENT,
            "A dated event, or a period, as a source states it: what happened to the NPD, its collections or its "
            "sharing.",
            "kind/date as cited/text",
            _props(
                ("event_kind", str, "what kind of event, in the compiler's words (pause, access_model, ...)", True),
                ("date_as_cited", str, "the date or period in the source's words; its validity gives it as dates"),
                (
                    "date_is",
                    str,
                    "what its date is, where it is not the event's own day: an article's date, a year inferred",
                ),
                ("dated_by", str, "why its date is read so: our table's row and its reasoning"),
                (
                    "withheld",
                    str,
                    "the document it quotes, where its source says the document is withheld (only others' quotes of "
                    "it are public)",
                ),
                ("withheld_by", tuple, "the bodies holding that document, each of which refused it"),
                ("text", str, "what happened, in the compiler's words"),
                ("quote", str, "the source's words"),
                ("notes", str, "the compiler's notes on the row"),
                ("source", str, "the source, as the compiler names it"),
                (
                    "source_kind",
                    str,
                    "what kind of source says it, in the compiler's words (requester, campaigner, ...)",
                ),
            ),
        ),
        NodeSpec(
            _K.APPROVAL,
            "The decision that let a release go ahead.",
            "panel:reference",
            _props(
                ("panel", str, "DMAP, DSAP, ..."),
                ("decision_date", dt.date, "date of the decision"),
                ("legal_gateway", str, "the law or agreement relied on"),
                ("access_route", str, "extract or secure setting"),
            ),
        ),
        NodeSpec(
            _K.ORGANISATION,
            "A recipient or onward recipient.",
            "normalised name",
            _props(
                ("org_type", str, ", ".join(ORG_TYPES), True),
                ("variants", tuple, "names as cited"),
            ),
        ),
        NodeSpec(
            _K.AGGREGATE_FLOW,
            "A published volume of a flow, with its period.",
            "topic:period:measure",
            _props(
                ("topic", str, "what the figure is about"),
                ("period", str, "the period, as published"),
                ("flow", str, "from -> to, as published"),
                ("measure", str, "what is counted"),
                ("value", float, "the figure"),
                ("unit", str, "unit of the figure"),
                ("verified", bool, "false where the source is not an established fact"),
                ("corrected_later", bool, "the original figure, which a later source corrected (its row says so)"),
                ("contested", bool, "another cited source disagrees with it (see its CONTRADICTS links)"),
                ("contested_part", str, "what of it another source disagrees with, where that is not its value"),
                ("value_text", str, "the figure as published when it is not one number"),
                ("notes", str, "notes on the figure, as compiled with it"),
                ("route", str, "how the data went: " + ", ".join(ACCESS_ROUTES)),
            ),
        ),
        NodeSpec(
            _K.RECORD_SET,
            "A body of pupil or learner records other than an NPD table: the NPD as a whole, another DfE system "
            "(the Learning Records Service, not the NPD), a linked data set joining NPD records with another body's, "
            "or another body's records it is linked with.",
            "name",
            _props(
                ("system", str, "NPD, LRS, linked data set, or another body's records", True),
                ("size_as_written", str, "its size, in the source's words"),
                ("size_unit", str, "what its size counts"),
                ("date_as_cited", str, "the years or date its source gives, in the source's words"),
                ("items_as_written", str, "the data items its source names, in the source's words"),
            ),
        ),
        NodeSpec(
            _K.IMPORT_RUN,
            "One run of an importer over one file.",
            "run id",
            _props(
                ("source", str, "importer name"),
                ("path", str, "file imported"),
                ("checksum", str, "sha256 of the file"),
                ("version", str, "the version of pupil-data lineage that ran it"),
                ("started_at", str, "ISO time the run started"),
                ("status", str, "started (its data not all written yet), finished, or interrupted"),
                ("ended_at", str, "ISO time the run finished or was interrupted; empty while it runs"),
                ("error", str, "why the run was interrupted; empty otherwise"),
                ("rows_read", int, "rows read"),
                ("rows_written", int, "rows written: 0 until the run has finished"),
                ("rows_skipped", int, "rows skipped"),
                ("skipped_reasons", str, "why rows were skipped (JSON)"),
                ("left_out_reasons", str, "why facts of written rows were not drawn (JSON)"),
                (
                    "closed_gaps",
                    str,
                    "the gaps in the record this file's imports closed, each with when and the "
                    "sources that closed it (JSON); absent if none",
                ),
            ),
        ),
    )
}


def _edge(
    kind: EdgeKind,
    sentence: str,
    sources: Iterable[NodeKind],
    targets: Iterable[NodeKind],
    flow: Flow,
    props: tuple[Prop, ...] = (),
) -> EdgeSpec:
    return EdgeSpec(kind, sentence, frozenset(sources), frozenset(targets), flow, props)


_E = EdgeKind
#: What every flow after a release says of itself (an access, an onward share, a holding): its route, the records
#: and items in the source's words, its date as cited (its validity gives it as dates), the source's words, and the
#: body it links to as the row words it.
_FLOW_PROPS = _props(
    ("route", str, "how the data went: " + ", ".join(ACCESS_ROUTES)),
    ("dataset_as_written", str, "the records, in the source's words"),
    ("items_as_written", str, "the data items, in the source's words"),
    ("date_as_cited", str, "the date or period, in the source's words"),
    ("date_is", str, "what its date is, where it is not the flow's own: a written answer's, a notice's"),
    ("dated_by", str, "why its date is read so: our table's row and its reasoning"),
    ("quote", str, "the source's words"),
    ("notes", str, "the compiler's notes on the row"),
    (
        "organisation_as_written",
        str,
        "the organisation it links to, in the row's words: one the record does not name is the node for such bodies "
        "(a 'police force (not named)', one force, is linked to the police forces the record does not name)",
    ),
)
EDGE_SPECS: dict[EdgeKind, EdgeSpec] = {
    spec.kind: spec
    for spec in (
        _edge(_E.SUBMITS, "submits returns to", [_K.SCHOOL], [_K.COLLECTION], Flow.FORWARD),
        _edge(_E.FEEDS, "feeds", [_K.COLLECTION], [_K.DATASET], Flow.FORWARD),
        _edge(_E.HOLDS, "holds", [_K.DATASET], [_K.DATA_ITEM], Flow.FORWARD),
        _edge(_E.REPRESENTS, "represents", [_K.DATA_ITEM], [_K.CONCEPT], Flow.CONTEXT),
        _edge(_E.BROADER, "falls under", [_K.CONCEPT], [_K.CONCEPT], Flow.CONTEXT),
        _edge(_E.CLASSIFIED_AS, "is classified as", [_K.DATA_ITEM, _K.DATASET], [_K.CLASSIFICATION], Flow.CONTEXT),
        _edge(_E.RESTRICTED_BY, "is restricted by", [_K.DATA_ITEM, _K.DATASET], [_K.RELEASE_RULE], Flow.CONTEXT),
        _edge(_E.INCLUDES, "includes", [_K.RELEASE], [_K.DATA_ITEM, _K.DATASET], Flow.BACKWARD),
        _edge(_E.APPROVED_BY, "is approved by", [_K.RELEASE], [_K.APPROVAL], Flow.CONTEXT),
        _edge(_E.SENT_TO, "is sent to", [_K.RELEASE], [_K.ORGANISATION], Flow.FORWARD),
        _edge(
            _E.SHARES_ONWARD,
            "shares onward with",
            [_K.ORGANISATION],
            [_K.ORGANISATION],
            Flow.FORWARD,
            _FLOW_PROPS + _props(("what_went", str, "what went onward (records, or a service built on them)")),
        ),
        _edge(_E.SUCCEEDED_BY, "is succeeded by", [_K.SCHOOL], [_K.SCHOOL], Flow.FORWARD),
        _edge(_E.DRAWS_ON, "draws on", [_K.AGGREGATE_FLOW], [_K.DATASET, _K.COLLECTION, _K.RECORD_SET], Flow.BACKWARD),
        _edge(_E.FLOWS_TO, "flows to", [_K.AGGREGATE_FLOW], [_K.ORGANISATION], Flow.FORWARD),
        _edge(_E.MADE_BY, "is made by", [_K.APPLICATION], [_K.ORGANISATION], Flow.CONTEXT),
        _edge(_E.LED_TO, "led to", [_K.APPLICATION], [_K.RELEASE], Flow.CONTEXT),
        _edge(_E.ABOUT, "is about", [_K.STATEMENT], [_K.RELEASE, _K.APPLICATION, _K.ORGANISATION], Flow.CONTEXT),
        _edge(
            _E.REFERS_TO,
            "is taken to mean",
            [_K.STATEMENT],
            [_K.CONCEPT, _K.DATA_ITEM, _K.DATASET],
            Flow.CONTEXT,
            _props(
                ("as_written", str, "the words of the statement this link reads"),
                ("means", str, "what the words table takes them to mean: a concept, item, data set or class of items"),
                ("within", tuple, "the data sets the meaning is limited to (by the table or the statement)"),
            ),
        ),
        _edge(
            _E.CONTRADICTS,
            "is contradicted by",
            [_K.STATEMENT, _K.AGGREGATE_FLOW],
            [_K.STATEMENT, _K.AGGREGATE_FLOW],
            Flow.CONTEXT,
        ),
        _edge(_E.FLOWS_FROM, "flows from", [_K.AGGREGATE_FLOW], [_K.ORGANISATION], Flow.BACKWARD),
        _edge(
            _E.COMMISSIONED_BY,
            "is commissioned by",
            [_K.APPLICATION],
            [_K.ORGANISATION],
            Flow.CONTEXT,
            _props(("as_written", str, "the entry's words naming who commissioned it")),
        ),
        _edge(
            _E.CONCERNS,
            "concerns",
            [_K.EVENT],
            [
                _K.COLLECTION,
                _K.DATASET,
                _K.DATA_ITEM,
                _K.ORGANISATION,
                _K.RELEASE,
                _K.APPLICATION,
                _K.AGGREGATE_FLOW,
                _K.RECORD_SET,
            ],
            Flow.CONTEXT,
        ),
        _edge(
            _E.HELD_BY,
            "is held by",
            [_K.RECORD_SET],
            [_K.ORGANISATION],
            Flow.FORWARD,
            _FLOW_PROPS + _props(("role", str, "its part in holding the records, as the source gives it")),
        ),
        _edge(
            _E.ACCESSED_BY,
            "is accessed by",
            [_K.RECORD_SET, _K.ORGANISATION],
            [_K.ORGANISATION],
            Flow.FORWARD,
            _FLOW_PROPS
            + _props(
                ("value_text", str, "how much, as the source gives it"),
                ("unit", str, "what that counts"),
                ("matched_on", str, "what the recipient sends the holder to match on, in the source's words"),
            ),
        ),
        _edge(
            _E.DERIVED_FROM,
            "is derived from",
            [_K.RECORD_SET],
            [_K.RECORD_SET, _K.DATASET, _K.ORGANISATION],
            Flow.BACKWARD,
            _props(("as_written", str, "the source's words naming what it is derived from")),
        ),
    )
}

#: The first part of the key of an item no data set is known to hold (an alias its rule does not place): an item's
#: key otherwise begins with its data set's.
UNPLACED = "unplaced"

#: The ``level``s DfE's 2018 list of NPD data sets gives a data set (a Dataset's ``level``): the importer of the list
#: writes them, and the answers tell the school-level data sets apart.
PUPIL_LEVEL = "pupil-level"
SCHOOL_LEVEL = "school-level"

#: The links by which a node of a kind passes on what reached it, where its other links out do not. An
#: organisation holds records and is sent many things, and its other links (another body's access to its own
#: records, a record set derived from its records, its own requests) do not say which of them they carry: a walk
#: following the data goes on through an organisation only where it shared onward (lineage.hops.Gate).
PASSED_ON_BY: dict[NodeKind, frozenset[EdgeKind]] = {NodeKind.ORGANISATION: frozenset({EdgeKind.SHARES_ONWARD})}

#: Properties every edge may carry, whatever its kind (e.g. a GIAS link's type).
EDGE_COMMON_PROPS: tuple[Prop, ...] = _props(("link_type", str, "the relation as the source words it"))
#: Properties every node may carry, whatever its kind.
NODE_COMMON_PROPS: tuple[Prop, ...] = _props(
    ("keywords", tuple, "words a reader may look it up by that its name does not hold (data/search_keywords.csv)")
)


def node_props(kind: NodeKind) -> tuple[Prop, ...]:
    """Every property a node of this kind may carry: its own and the common ones."""
    return NODE_SPECS[kind].props + NODE_COMMON_PROPS


def node_id(kind: NodeKind, key: str | int) -> str:
    return f"{kind.value}:{key}"


def node_key(node_id_: str) -> str:
    """The natural key of a node id: ``KS4`` of ``Dataset:KS4``."""
    return node_id_.partition(":")[2]


def kind_of(node_id_: str) -> NodeKind:
    prefix, sep, _ = node_id_.partition(":")
    try:
        if sep:
            return NodeKind(prefix)
    except ValueError:
        pass
    raise ModelError(f"node id {node_id_!r} does not start with a node kind")


def item_dataset(item: Node) -> str | None:
    """The id of the data set an item's key places it in (the key begins with the data set's), or None for an item no
    data set is known to hold (its key begins with :data:`UNPLACED`)."""
    table = item.key.split("/", 1)[0]
    return None if table == UNPLACED else node_id(NodeKind.DATASET, table)


def _check_props(what: str, props: Mapping[str, Any], specs: Iterable[Prop]) -> None:
    allowed = {p.name: p for p in specs}
    for name, value in props.items():
        spec = allowed.get(name)
        if spec is None:
            raise ModelError(f"{what}: unknown property {name!r} (allowed: {', '.join(sorted(allowed)) or 'none'})")
        ok = isinstance(value, spec.type) and not (spec.type in (int, float) and isinstance(value, bool))
        if spec.type is float and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if spec.type is dt.date and isinstance(value, dt.datetime):
            ok = False
        if spec.type is tuple and ok:
            ok = all(isinstance(v, str) for v in value)
        if not ok:
            raise ModelError(f"{what}: property {name!r} must be {spec.type.__name__}, got {value!r}")


@dataclass(frozen=True, slots=True)
class Validity:
    """The dates a fact holds between, both inclusive; None is open-ended."""

    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def __post_init__(self) -> None:
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ModelError(f"validity: {self.valid_from} is after {self.valid_to}")

    def holds_on(self, day: dt.date | None) -> bool:
        if day is None:
            return True
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


ALWAYS = Validity()


#: The month an academic year starts in (1 September).
ACADEMIC_YEAR_START_MONTH = 9
#: The first academic year any NPD data set covers (Key Stage 2 from 1995/96): no question reaches before it.
FIRST_NPD_YEAR = 1995


def academic_year(day: dt.date) -> int:
    """The academic year (by the year it starts, 1 September) a date falls in: 2012-08-08 is in 2011/12."""
    return day.year if day.month >= ACADEMIC_YEAR_START_MONTH else day.year - 1


def last_year_in_npd(day: dt.date, lag_months: int = 0) -> int:
    """The last academic year (by the year it starts) whose data can be in the NPD on ``day``: a year's data enter
    the NPD on the 1 September after it ends, ``lag_months`` later for a data set DfE releases later still
    (release_lag: Key Stage 4 in October), or earlier for one it releases within the year collected (a negative
    lag: the school census's autumn data in January), so a release dated 20 February 2013 can hold 2011/12 of Key
    Stage 4 at the latest, not 2012/13. The one rule of time every answer reaches by: the rules' items
    (available_by) and a pupil's years (pupil_reach).

    >>> last_year_in_npd(dt.date(2013, 2, 20)), last_year_in_npd(dt.date(2013, 9, 1))
    (2011, 2012)
    >>> last_year_in_npd(dt.date(2013, 9, 26), lag_months=1), last_year_in_npd(dt.date(2013, 10, 1), lag_months=1)
    (2011, 2012)
    """
    year, month = divmod(day.year * 12 + day.month - 1 - lag_months, 12)  # the month the lag goes back to
    # in whole numbers, never a date: a day in year 1 goes back past the first date there is
    return (year if month + 1 >= ACADEMIC_YEAR_START_MONTH else year - 1) - 1


#: Month names as the release timetable writes them ("October (unamended), January (amended)").
_MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}


def timetable_lag(months: str, within_year: bool = False) -> int:
    """Months after 1 September, once an academic year has ended, before a timetable row's data can be in the NPD,
    from the first month it names (Key Stage 4 "October (unamended)": 1; children in need "March": 6; exclusions
    "July": 10, the July of the next year), or before it, for a row read as released ``within_year`` collected
    (data/timetable_datasets.csv: the school census's autumn data in the January of that year, 8 months before;
    Key Stage 2's "August (unamended)", 1 month before). A row naming no month keeps 1 September.

    >>> timetable_lag("October (unamended), April (final)"), timetable_lag("July"), timetable_lag("")
    (1, 10, 0)
    >>> timetable_lag("January", within_year=True), timetable_lag("August (unamended)", within_year=True)
    (-8, -1)
    """
    words = re.findall(r"[A-Z][a-z]+", months)
    month = next((_MONTHS[word] for word in words if word in _MONTHS), None)
    if month is None:
        return 0
    after = (month - ACADEMIC_YEAR_START_MONTH) % 12
    return after - 12 if within_year else after


def release_lag(dataset: Node) -> int:
    """Months after 1 September, once an academic year has ended, before its data can be in this data set: the
    earliest its timetable rows give (its ``release_lag_months``, by :func:`timetable_lag`), or, in a store built
    before that was kept, read from its ``release_months`` (so an older snapshot keeps Key Stage 4 in October); 1
    September for a data set the timetable does not name.

    >>> release_lag(Node(NodeKind.DATASET, "KS4", "KS4", {"release_lag_months": 1}))
    1
    >>> release_lag(Node(NodeKind.DATASET, "KS4", "KS4", {"release_months": "October (unamended)"}))
    1
    >>> release_lag(Node(NodeKind.DATASET, "KS3", "KS3"))
    0
    """
    lag = dataset.props.get("release_lag_months")
    return lag if isinstance(lag, int) else timetable_lag(str(dataset.props.get("release_months", "")))


def available_by(item: Node, day: dt.date, held_in: Iterable[Node] = ()) -> bool:
    """Whether an item's data can have been released on ``day``: the one availability check of every rule (the
    tier rule, a statement's words, a release of unpublished scope), so that none links a release to data not yet
    collected. An item the dictionary gives no first year (most aliases only the 2019 concepts file lists) takes
    the earliest of the data sets ``held_in`` it (a table of 2016/17 holds nothing before it); one with neither
    is assumed available; an undated release is not checked (its date is unknown, not late). A year's data are in
    the NPD by the release timetable of the data sets holding it, the earliest any gives (:func:`release_lag_read`).

    >>> item = Node(NodeKind.DATA_ITEM, "KS4/KS4_FSM", "KS4_FSM", {"first_year": 2010})
    >>> available_by(item, dt.date(2011, 8, 31)), available_by(item, dt.date(2011, 9, 1))
    (False, True)
    >>> alias = Node(NodeKind.DATA_ITEM, "YPMAD_16-17/YPMAD_FSMEligibilityage15", "YPMAD_FSMEligibilityage15")
    >>> table = Node(NodeKind.DATASET, "YPMAD_16-17", "YPMAD 16-17", {"first_year": 2016})
    >>> available_by(alias, dt.date(2013, 2, 20), [table]), available_by(alias, dt.date(2013, 2, 20))
    (False, True)
    """
    held_in = list(held_in)
    first, _ = first_year_read(item, held_in)
    lag, _ = release_lag_read(held_in)
    return first is None or first <= last_year_in_npd(day, lag)


def first_year_read(item: Node, held_in: Iterable[Node] = ()) -> tuple[int | None, tuple[Node, ...]]:
    """The first year :func:`available_by` reads for an item, and the data sets ``held_in`` it that give that year:
    its own (given by none of them), else the earliest they give (by each giving it), else None. One choice for the
    check and for the rows a link cites as the check's, which had cited every holder giving a year.

    >>> item = Node(NodeKind.DATA_ITEM, "Any/Alias", "Alias")
    >>> held_in = [Node(NodeKind.DATASET, key, key, {"first_year": year}) for key, year in (("B", 2001), ("A", 1995))]
    >>> first, giving = first_year_read(item, held_in)
    >>> first, [dataset.key for dataset in giving]
    (1995, ['A'])
    >>> first_year_read(Node(NodeKind.DATA_ITEM, "Any/Own", "Own", {"first_year": 2010}), held_in)
    (2010, ())
    """
    own = item.props.get("first_year")
    if isinstance(own, int):
        return own, ()
    return _least([(dataset, year) for dataset in held_in if isinstance(year := dataset.props.get("first_year"), int)])


def release_lag_read(held_in: Iterable[Node]) -> tuple[int, tuple[Node, ...]]:
    """The release lag :func:`available_by` reads for an item, and the data sets ``held_in`` it that give that lag:
    the least any of them gives (the earliest any can have its data), by each giving it; 1 September (0), by none,
    where none holds it. One choice for the check and for the timetable rows a link cites as the check's, which had
    cited every holder's.

    >>> held_in = [Node(NodeKind.DATASET, key, key, {"release_lag_months": lag}) for key, lag in (("B", 1), ("A", -1))]
    >>> lag, giving = release_lag_read(held_in)
    >>> lag, [dataset.key for dataset in giving]
    (-1, ['A'])
    >>> release_lag_read([])
    (0, ())
    """
    least, giving = _least([(dataset, release_lag(dataset)) for dataset in held_in])
    return (0 if least is None else least), giving


def _least(valued: Sequence[tuple[Node, int]]) -> tuple[int | None, tuple[Node, ...]]:
    """The least of the data sets' values (None of none), and the data sets giving it: the one choice of
    :func:`first_year_read` and :func:`release_lag_read`."""
    if not valued:
        return None, ()
    least = min(value for _, value in valued)
    return least, tuple(dataset for dataset, value in valued if value == least)


@dataclass(frozen=True, slots=True)
class Node:
    kind: NodeKind
    key: str
    name: str
    props: Mapping[str, Scalar] = field(default_factory=dict)
    citations: frozenset[Citation] = frozenset()
    certainty: Certainty = CONFIRMED
    validity: Validity = ALWAYS
    synthetic: bool = False
    #: "<Kind>:<key>", computed once: ids are compared and hashed on every step of every walk
    id: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", node_id(self.kind, self.key))

    def strings(self, prop: str) -> tuple[str, ...]:
        """A list property's values, none when it is unset (the model keeps a list as a tuple of strings)."""
        value = self.props.get(prop, ())
        return value if isinstance(value, tuple) else (str(value),)

    def text(self, prop: str) -> str | None:
        """A text property, or None when it is unset or not text."""
        value = self.props.get(prop)
        return value if isinstance(value, str) else None

    def number(self, prop: str) -> int | None:
        """A whole-number property, or None when it is unset or not a number."""
        value = self.props.get(prop)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def validate(self) -> None:
        if not self.key.strip():
            raise ModelError(f"{self.kind}: a node needs a non-empty natural key")
        if not self.citations:
            raise ModelError(f"node {self.id}: every fact cites its source, and this one cites none")
        _check_props(f"node {self.id}", self.props, node_props(self.kind))


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    kind: EdgeKind
    target: str
    props: Mapping[str, Scalar] = field(default_factory=dict)
    citations: frozenset[Citation] = frozenset()
    certainty: Certainty = CONFIRMED
    validity: Validity = ALWAYS
    #: "<source>|<KIND>|<target>", computed once
    id: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", Edge.id_of(self.source, self.kind, self.target))

    @staticmethod
    def id_of(source: str, kind: EdgeKind, target: str) -> str:
        """An edge's id from its ends and kind: a walk that holds only those names the edge it will fetch."""
        return f"{source}|{kind.value}|{target}"

    def validate(self) -> None:
        spec = EDGE_SPECS[self.kind]
        source_kind, target_kind = kind_of(self.source), kind_of(self.target)
        if source_kind not in spec.sources or target_kind not in spec.targets:
            raise ModelError(
                f"edge {self.id}: {self.kind} goes from {sorted(spec.sources)} to {sorted(spec.targets)}, "
                f"not from {source_kind} to {target_kind}"
            )
        if not self.citations:
            raise ModelError(f"edge {self.id}: every fact cites its source, and this one cites none")
        _check_props(f"edge {self.id}", self.props, spec.props + EDGE_COMMON_PROPS)
