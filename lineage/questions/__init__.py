"""The campaign's questions, answered from any store, framework-free: one module per family.

Each question is a plain function over a Store returning plain dataclasses; the GraphQL API is a thin
adapter over them. Every answer keeps the links it rests on, so each step shows its citations, and
says how sure it is: the weakest certainty along its chain, or ``inferred`` by a named rule where the
question itself adds a step (an item inside a released data set, an onward share, a pupil's years).
Each question asks the store a fixed, small number of batched calls, whatever the size of the answer.

- :mod:`.items`: who received a data item, where it comes from, its aliases, items by classification;
- :mod:`.releases`: one release downstream, everything an organisation received or asked for;
- :mod:`.pupils`: a school's chain of URNs, where a pupil's record may have gone;
- :mod:`.records`: a parent's questions: find a school, and where a record from it may have gone, whole;
- :mod:`.flows`: flows for a Sankey;
- :mod:`.timeline`: events and figures in time, and applications by outcome beside the published totals;
- :mod:`.onward`: every path from a record set, data set or organisation through releases, access and onward
  shares, with the weakest certainty along each, and the events and refusals along them;
- :mod:`.gaps`: what the record leaves open, and who holds the answer; :mod:`.closings`: the gaps imports closed;
- :mod:`.statements` and :mod:`.common`: what the families share.
"""

from __future__ import annotations

from lineage.questions.common import PerState, Related
from lineage.questions.flows import (
    FLOW_STAGES,
    FlowClass,
    FlowFilter,
    FlowLink,
    Flows,
    Volume,
    flows,
    release_flows,
)
from lineage.questions.items import (
    ConceptAliases,
    ItemProvenance,
    ItemRecipients,
    NotReceived,
    Receipt,
    UnpublishedScope,
    concept_aliases,
    departments_accessing_item,
    item_provenance,
    items_by_classification,
    recipients_of_item,
)
from lineage.questions.onward import LinkedHolding, OnwardPath, OnwardSharing, Step, linked_holdings, onward_sharing
from lineage.questions.pupils import PupilReach, Reach, SchoolChain, pupil_reach, release_scopes, school_successors
from lineage.questions.records import RecordReach, RecordRelease, SchoolMatch, record_reach, school_search
from lineage.questions.releases import (
    ApplicationTrace,
    MatchingRequests,
    OrganisationReceipts,
    ReleaseTrace,
    find_organisation,
    matching_requests,
    organisation_receipts,
    release_trace,
)
from lineage.questions.statements import Stated, quoted_words
from lineage.questions.timeline import (
    RULE_PER_YEAR,
    OutcomeCount,
    PublishedTotal,
    Timeline,
    TimelineEntry,
    application_outcomes,
    dated_as,
    figure_caveat,
    timeline,
)
from lineage.store import Store


def prepare(store: Store) -> None:
    """Computes what the questions derive from the whole graph (pupil-reach, flows, who received an item), and
    what the store keeps for reads (its search index), so their first asker need not wait: a server calls it
    as it starts."""
    store.prepare()
    release_scopes(store)
    release_flows(store)
    matching_requests(store)
    linked_holdings(store)


__all__ = [
    "FLOW_STAGES",
    "RULE_PER_YEAR",
    "ApplicationTrace",
    "ConceptAliases",
    "FlowClass",
    "FlowFilter",
    "FlowLink",
    "Flows",
    "ItemProvenance",
    "ItemRecipients",
    "LinkedHolding",
    "MatchingRequests",
    "NotReceived",
    "OnwardPath",
    "OnwardSharing",
    "OrganisationReceipts",
    "OutcomeCount",
    "PerState",
    "PublishedTotal",
    "PupilReach",
    "Reach",
    "Receipt",
    "RecordReach",
    "RecordRelease",
    "Related",
    "ReleaseTrace",
    "SchoolChain",
    "SchoolMatch",
    "Stated",
    "Step",
    "Timeline",
    "TimelineEntry",
    "UnpublishedScope",
    "Volume",
    "application_outcomes",
    "concept_aliases",
    "dated_as",
    "departments_accessing_item",
    "figure_caveat",
    "find_organisation",
    "flows",
    "item_provenance",
    "items_by_classification",
    "linked_holdings",
    "onward_sharing",
    "organisation_receipts",
    "prepare",
    "pupil_reach",
    "quoted_words",
    "recipients_of_item",
    "record_reach",
    "release_trace",
    "school_search",
    "school_successors",
    "timeline",
]
