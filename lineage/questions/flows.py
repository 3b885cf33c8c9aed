"""Flows for a Sankey: collection, data set, classification, organisation type, organisation, each link counting
the releases through it, with the published volumes beside them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lineage.dates import named_period
from lineage.model import (
    ALWAYS,
    CONFIRMED,
    IDENTIFIABILITY,
    ORG_TYPES,
    SENSITIVITY,
    STRENGTH,
    Certainty,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    weakest,
)
from lineage.questions.common import PerState, check_known, check_period, dated_within, follow, overlaps_period
from lineage.questions.records import disclosures
from lineage.questions.releases import release_walk
from lineage.store import Store

_E = EdgeKind

#: The Sankey's columns, upstream to downstream.
FLOW_STAGES = ("collection", "dataset", "classification", "organisation type", "organisation")


@dataclass(frozen=True, slots=True)
class FlowLink:
    source: str  # "<stage>:<label>"
    target: str
    releases: int  # how many releases this link carries
    certainty: Certainty  # the weakest of the links it summarises


@dataclass(frozen=True, slots=True)
class Volume:
    """What went to an organisation other than by a release: a published figure (its period and source), or an
    access to pupil records (what was accessed, and the dated, cited access)."""

    flow: Node
    organisation: Node
    link: Edge


#: The value a release whose items the record does not give takes in the collection, data set and
#: classification columns: it stays in the picture, its scope said to be unknown.
UNPUBLISHED = "items not published"


@dataclass(frozen=True, slots=True)
class FlowClass:
    """A value of the Sankey's classification column: its label, and the scales it is of (None where it is
    of none: an old tier has no identifiability or sensitivity; "whole data set" or "unclassified" none at all).
    The flows filter selects on identifiability and sensitivity; a reader of the answer needs no label parsed."""

    label: str
    identifiability: int | None = None
    sensitivity: str | None = None
    old_tier: int | None = None


@dataclass(frozen=True, slots=True)
class Flows:
    links: tuple[FlowLink, ...]
    volumes: tuple[Volume, ...]
    releases_counted: int  # releases in the period
    releases_without_scope: int  # of them, releases whose items are not published: drawn as UNPUBLISHED
    releases_shown: int = 0  # of them, releases with a path that passes the filter: the picture draws these
    releases_hidden: int = 0  # of them, releases the filter leaves out
    # not of them: releases with no date, left out of a period asked though they may fall in it (not those whose
    # words say they began after it)
    releases_undated: int = 0
    classifications: tuple[FlowClass, ...] = ()  # the classification column's values in the links, by label
    #: figures and accesses the record gives no date, left out of a period asked as undated releases are
    volumes_undated: int = 0

    @property
    def stages(self) -> tuple[str, ...]:
        """The Sankey's columns, upstream to downstream."""
        return FLOW_STAGES


def _classification(item: Node) -> FlowClass:
    """The item's value in the Sankey's classification column."""
    sensitivity, identifiability = item.props.get("sensitivity"), item.number("identifiability")
    if sensitivity and identifiability:
        label = f"identifiability {identifiability}, sensitivity {sensitivity}"
        return FlowClass(label, identifiability, str(sensitivity))
    tier = item.number("old_tier")
    return FlowClass(f"old tier {tier}", old_tier=tier) if tier else FlowClass("unclassified")


@dataclass(frozen=True, slots=True)
class FlowFilter:
    """What `flows` may be narrowed to. A release counts on a link only through its paths that pass, so a
    filter on one column narrows the counts of every column exactly. Empty sets keep everything."""

    identifiability: frozenset[int] = frozenset()
    sensitivity: frozenset[str] = frozenset()
    organisation_types: frozenset[str] = frozenset()

    def keeps_class(self, identifiability: int | None, sensitivity: str | None) -> bool:
        """Items of those scales only: an old tier, a whole data set or no classification is not one."""
        if not (self.identifiability or self.sensitivity):
            return True
        if identifiability is None or sensitivity is None:
            return False
        return (not self.identifiability or identifiability in self.identifiability) and (
            not self.sensitivity or sensitivity in self.sensitivity
        )

    def keeps_type(self, organisation_type: str) -> bool:
        return not self.organisation_types or organisation_type in self.organisation_types

    def __bool__(self) -> bool:
        return bool(self.identifiability or self.sensitivity or self.organisation_types)


#: (collection, data set, classification, certainty of the inclusion)
_Upstream = tuple[str, str, FlowClass, Certainty]
#: (organisation type, organisation name, certainty of the sending)
_Recipient = tuple[str, str, Certainty]


@dataclass(frozen=True, slots=True)
class _ReleaseFlow:
    """One release's paths through the Sankey's columns (its upstream parts times its recipients), and its
    links with no filter, each with the weakest certainty it has there."""

    release: Node
    upstream: tuple[_Upstream, ...]
    recipients: tuple[_Recipient, ...]
    links: dict[tuple[str, str], Certainty]
    published: bool  # False when the release's scope (items, data sets) is not in the graph


def _links(upstream: Iterable[_Upstream], recipients: Sequence[_Recipient]) -> dict[tuple[str, str], Certainty]:
    """The links of every path from these upstream parts to these recipients, each at its weakest."""
    links: dict[tuple[str, str], list[Certainty]] = defaultdict(list)
    for collection, dataset_name, klass, certainty in upstream:
        source, held, classed = f"collection:{collection}", f"dataset:{dataset_name}", f"classification:{klass.label}"
        for org_type, org_name, sent in recipients:
            both = (certainty, sent)
            typed = f"organisation type:{org_type}"
            links[(source, held)] += both
            links[(held, classed)] += both
            links[(classed, typed)] += both
            links[(typed, f"organisation:{org_name}")] += both
    return {pair: weakest(certainties) for pair, certainties in links.items()}


@PerState
def release_flows(store: Store) -> list[_ReleaseFlow]:
    """Every release's paths: any period or filter asked of `flows` is a selection of them. Items of one
    data set and classification, sent at one certainty, make one path."""
    walk = release_walk(store)
    traces, holders = walk.traces, walk.holders
    dataset_ids = sorted({h.node.id for hops in holders.values() for h in hops} | {
        i.node.id for t in traces for i in t.includes if i.node.kind is NodeKind.DATASET
    })  # fmt: skip
    feeders = follow(store, dataset_ids, incoming=[_E.FEEDS])
    collections_of = {id_: [h.node.name for h in feeders.get(id_, [])] or ["unknown collection"] for id_ in dataset_ids}
    release_flows = []
    for trace in traces:
        upstream: set[_Upstream] = set()
        for included in trace.includes:
            if included.node.kind is NodeKind.DATASET:
                datasets, classified = [included.node], FlowClass("whole data set")
            else:
                datasets = [h.node for h in holders.get(included.node.id, [])]
                classified = _classification(included.node)
            for dataset in datasets:
                for collection in collections_of[dataset.id]:
                    upstream.add((collection, dataset.name, classified, included.link.certainty))
        if not trace.includes:  # drawn, its scope said to be unknown; the sending alone says how sure the path is
            upstream.add((UNPUBLISHED, UNPUBLISHED, FlowClass(UNPUBLISHED), CONFIRMED))
        recipients = tuple(
            (str(r.node.props.get("org_type") or "unknown"), r.node.name, r.link.certainty) for r in trace.recipients
        )
        ordered = tuple(sorted(upstream, key=str))
        release_flows.append(
            _ReleaseFlow(trace.release, ordered, recipients, _links(ordered, recipients), bool(trace.includes))
        )
    return release_flows


#: A date as cited that gives when something began: "since July 2015 (monthly)".
_SINCE = re.compile(r"(?:since|from)\s+(.+)", re.IGNORECASE)


def _begins_after(release: Node, end: dt.date | None) -> bool:
    """Whether an undated release's words say it began after ``end`` (the Home Office's exchange "since July 2015"
    cannot fall in 2013, and was counted as if it might)."""
    began = _SINCE.match(str(release.props.get("date_as_cited") or ""))
    period = named_period(began.group(1)) if began else None
    return end is not None and period is not None and period[0] > end


def flows(
    store: Store, start: dt.date | None = None, end: dt.date | None = None, only: FlowFilter = FlowFilter()
) -> Flows:
    """Releases dated in [start, end] (inclusive; undated releases only when no period is asked) summarised
    as collection -> data set -> classification -> organisation type -> organisation, each link weighted by
    the number of releases with a path through it that passes ``only`` (a release whose items are not
    published takes :data:`UNPUBLISHED` in the first three columns, so a class filter leaves it out); how many
    releases the picture shows and hides; and the published aggregate volumes (to organisations of the
    filtered types; they have no classification). A period leaves the undated releases out, and says how many:
    any of them may fall in it."""
    check_period(start, end)
    check_known("identifiability", only.identifiability, IDENTIFIABILITY)
    check_known("sensitivity", only.sensitivity, SENSITIVITY)
    check_known("organisation type", only.organisation_types, ORG_TYPES)
    every = release_flows(store)
    in_period = [f for f in every if dated_within(f.release, start, end)]
    asked = start is not None or end is not None
    undated = sum(
        asked and not isinstance(f.release.props.get("date"), dt.date) and not _begins_after(f.release, end)
        for f in every
    )
    carried: dict[tuple[str, str], int] = defaultdict(int)
    weakest_of: dict[tuple[str, str], Certainty] = {}
    classes: dict[str, FlowClass] = {}
    shown = 0
    for release_flow in in_period:
        upstream, links = release_flow.upstream, release_flow.links
        if only:
            upstream = tuple(u for u in upstream if only.keeps_class(u[2].identifiability, u[2].sensitivity))
            links = _links(upstream, [r for r in release_flow.recipients if only.keeps_type(r[0])])
        shown += bool(links)
        if links:  # every upstream part then has a path to a recipient, so its classification is drawn
            classes.update((klass.label, klass) for _, _, klass, _ in upstream)
        for pair, certainty in links.items():
            carried[pair] += 1
            known = weakest_of.get(pair)
            if known is None or STRENGTH[certainty.level] < STRENGTH[known.level]:
                weakest_of[pair] = certainty
    links_out = tuple(
        FlowLink(source, target, releases, weakest_of[(source, target)])
        for (source, target), releases in sorted(carried.items())
    )
    # what went other than by a release (records.disclosures): a published figure with a number, over its period,
    # and an access to pupil records, by its dates; one the record gives no date is left out of a period asked, and
    # counted, as an undated release is (it would have stood in every period)
    asked = start is not None or end is not None
    volumes: list[Volume] = []
    undated_volumes = 0
    for d in disclosures(store):
        if not only.keeps_type(str(d.to.node.props.get("org_type") or "unknown")):
            continue
        dated = d.source if d.source.kind is NodeKind.AGGREGATE_FLOW else d.to.link
        if asked and dated.validity == ALWAYS:
            undated_volumes += 1
        elif overlaps_period(dated, start, end):
            volumes.append(Volume(d.source, d.to.node, d.to.link))
    without_scope = sum(1 for f in in_period if not f.published)
    drawn_classes = tuple(classes[label] for label in sorted(classes))
    return Flows(
        links_out,
        tuple(volumes),
        len(in_period),
        without_scope,
        shown,
        len(in_period) - shown,
        undated,
        drawn_classes,
        volumes_undated=undated_volumes,
    )
