"""Schools and pupils: a school's chain of URNs, and where a pupil's record at a school in some years may have gone,
from the school and years alone (no pupil's record is ever held).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from lineage.dates import academic_years_text, those_years
from lineage.errors import LineageError, NotFound
from lineage.model import (
    FIRST_NPD_YEAR,
    Certainty,
    CertaintyLevel,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    academic_year,
    last_year_in_npd,
    release_lag,
    weakest,
)
from lineage.questions.common import RULE_PUPIL_YEARS, AskedYears, PerState, dated_order
from lineage.questions.releases import release_walk
from lineage.questions.statements import stated_years
from lineage.store import Direction, Store

_E = EdgeKind


class ChainStep(NamedTuple):
    """A school in another's chain of URNs: how many GIAS links away, and those links in order."""

    school: Node
    hops: int
    links: tuple[Edge, ...]


#: The words of a GIAS link type saying the school split, after which it may go on: not that it was succeeded.
SPLIT = "split school"


@dataclass(frozen=True, slots=True)
class SchoolChain:
    school: Node
    predecessors: tuple[ChainStep, ...]
    successors: tuple[ChainStep, ...]

    @property
    def schools(self) -> tuple[Node, ...]:
        """The school, then the schools it was, then those it became: every URN a pupil there may be recorded under."""
        return (self.school, *(n for n, _, _ in self.predecessors), *(n for n, _, _ in self.successors))

    @property
    def succeeded(self) -> tuple[tuple[Node, dt.date], ...]:
        """The schools GIAS records as this one's successors, with the day it dates each link, earliest first: a
        split, after which the school may go on, and an undated link are left out."""
        found = [
            (step.school, day)
            for step in self.successors
            if step.hops == 1
            and (day := step.links[0].validity.valid_from) is not None
            and not self.is_split(step.links[0])
        ]
        return tuple(sorted(found, key=lambda pair: (pair[1], pair[0].id)))

    @staticmethod
    def is_split(link: Edge) -> bool:
        """Whether a GIAS link says a school split (after which it may go on), not that it was succeeded."""
        return SPLIT in str(link.props.get("link_type", "")).lower()


def school_successors(store: Store, urn: int, max_depth: int = 10) -> SchoolChain:
    """A school's chain of URNs through GIAS links, both directions, each with the dated links between."""
    walks = store.traverse_each(
        f"{NodeKind.SCHOOL.value}:{urn}",
        (Direction.UPSTREAM, Direction.DOWNSTREAM),
        max_depth=max_depth, edge_kinds={_E.SUCCEEDED_BY}, limit=1000, max_paths=1,
    )  # fmt: skip
    school = walks[0].start
    if school is None:
        raise NotFound(f"no school has the URN {urn}")
    sides = [tuple(ChainStep(r.node, r.degree, r.paths[0] if r.paths else ()) for r in w.reached.items) for w in walks]
    return SchoolChain(school, sides[0], sides[1])


@dataclass(frozen=True, slots=True)
class Reach:
    """A release that may hold the record of a pupil at the school in the years asked about, and why."""

    release: Node
    organisations: tuple[Node, ...]
    spans: tuple[tuple[str, int, int], ...]  # data set (or item) name, first and last academic year matched
    certainty: Certainty
    scope_published: bool
    note: str | None = None  # why nothing can be matched, for a release whose scope is not published
    basis: Certainty | None = None  # how sure its scope is, without the years rule; None: the scope is not published

    @property
    def matched(self) -> tuple[str, ...]:
        """Which data sets and years matched, in words (or why nothing can be), academic years as the NPD writes them.

        >>> release = Node(NodeKind.RELEASE, "DR1", "DR1")
        >>> Reach(release, (), (("Key Stage 4", 2012, 2013),), Certainty(), True).matched
        ('Key Stage 4: 2012/13 to 2013/14',)
        >>> Reach(release, (), (("YPMAD 16-17", 2016, 2016),), Certainty(), True).matched
        ('YPMAD 16-17: 2016/17',)
        """
        if self.note is not None:
            return (self.note,)
        return tuple(f"{name}: {academic_years_text(lo, hi)}" for name, lo, hi in self.spans)


@dataclass(frozen=True, slots=True)
class PupilReach(AskedYears):
    schools: tuple[Node, ...]
    years: tuple[int, int]
    reaches: tuple[Reach, ...]
    unpublished_scope: tuple[Reach, ...] = field(default=())


_OPEN = 10**6  # an open end of a year span


def _span(node: Node) -> tuple[int, int]:
    start, end = node.props.get("first_year"), node.props.get("last_year")
    return (start if isinstance(start, int) else -_OPEN, end if isinstance(end, int) else _OPEN)


@dataclass(frozen=True, slots=True)
class _ReleaseScope:
    """What a release's published scope covers, by data set: year spans, and how sure each is."""

    release: Node
    organisations: tuple[Node, ...]
    spans: tuple[tuple[str, int, int, Certainty], ...]  # data set (or item) name, first, last year, certainty
    published: bool


@PerState
def release_scopes(store: Store) -> list[_ReleaseScope]:
    """Every release's scope: the same for every pupil asked about."""
    walk = release_walk(store)
    dataset_of = walk.holders
    scopes = []
    for trace in walk.traces:
        spans: dict[tuple[str, Certainty], list[tuple[int, int]]] = defaultdict(list)
        date = trace.release.props.get("date")
        # the years a source says the release's data are of ("2008-2012"), where one does: no rule goes outside them
        stated_begin, stated_end = stated_years(trace.statements) or (-_OPEN, _OPEN)
        for included in trace.includes:
            holders = [h.node for h in dataset_of.get(included.node.id, [])] or [included.node]
            lo, hi = _span(included.node)
            for holder in holders:
                holder_lo, holder_hi = _span(holder)
                holder_lo, holder_hi = max(holder_lo, stated_begin), min(holder_hi, stated_end)
                if isinstance(date, dt.date):  # no year the holder's release timetable had not yet put in the NPD
                    holder_hi = min(holder_hi, last_year_in_npd(date, release_lag(holder)))
                if max(lo, holder_lo) <= min(hi, holder_hi):
                    spans[(holder.name, included.link.certainty)].append((max(lo, holder_lo), min(hi, holder_hi)))
        merged = tuple(
            (name, lo, hi, certainty)
            for (name, certainty), intervals in sorted(spans.items(), key=str)
            for lo, hi in _merge(intervals)
        )
        organisations = tuple(r.node for r in trace.recipients)
        scopes.append(_ReleaseScope(trace.release, organisations, merged, bool(trace.includes)))
    return scopes


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or adjacent year spans as one: the answer only asks which years are covered."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(intervals):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def check_years(from_year: int, to_year: int) -> None:
    """Refuse academic years (by the year they start) that run backwards, or outside the NPD's years so far."""
    if from_year > to_year:
        raise LineageError(f"fromYear {from_year} is after toYear {to_year}")
    latest = academic_year(dt.date.today())
    if from_year < FIRST_NPD_YEAR or to_year > latest:
        raise LineageError(
            f"years run from {FIRST_NPD_YEAR} (the NPD's first) to {latest} (this academic year), "
            f"not {from_year} to {to_year}"
        )


def pupil_reach(store: Store, urn: int, from_year: int, to_year: int) -> PupilReach:
    """Releases and organisations that may hold the record of a pupil at this school (and its predecessors
    and successors) in these academic years (by the year they start): a release matches where an item or
    data set in its scope was populated in those years, within its data set's years, and no later than the
    last year in its data set by the release's date (last_year_in_npd: a year's data enter the NPD once the year
    has ended, later where the release timetable says so, earlier for the school census, released within the year
    it is taken: release_lag), and within the years a source says the release's data are of. The school census
    covers every state school, so the school itself narrows nothing a release's published scope does not; a
    release whose scope is not published is listed apart, never hidden."""
    check_years(from_year, to_year)
    chain = school_successors(store, urn)
    reaches, unpublished = reaches_in_years(store, from_year, to_year)
    return PupilReach(chain.schools, (from_year, to_year), reaches, unpublished)


def _reaches(store: Store, from_year: int, to_year: int) -> tuple[tuple[Reach, ...], tuple[Reach, ...]]:
    """The releases whose scope covers these years, and those whose scope is not published: the same for
    every school, so kept per span of years. At national scale an answer holds some 4,500 releases (about
    1.2 MB), so 64 spans are kept: enough for every span a page of questions asks, bounded against a
    caller asking every span there is."""
    inferred = Certainty(CertaintyLevel.INFERRED, RULE_PUPIL_YEARS)
    reaches, unpublished = [], []
    earliest = release_walk(store).earliest_lag  # of any data set, for a release whose data sets are not known
    for scope in release_scopes(store):
        matched: dict[str, tuple[int, int]] = {}
        certainties = []
        date = scope.release.props.get("date")
        for name, lo, hi, certainty in scope.spans:  # each span ends where its data set's timetable puts it
            lo, hi = max(lo, from_year), min(hi, to_year)
            if lo <= hi:
                seen = matched.get(name, (lo, hi))
                matched[name] = (min(seen[0], lo), max(seen[1], hi))
                certainties.append(certainty)
        if matched:
            spans = tuple((name, lo, hi) for name, (lo, hi) in sorted(matched.items()))
            basis = weakest(certainties)
            certainty = weakest([inferred, basis])
            reaches.append(Reach(scope.release, scope.organisations, spans, certainty, True, None, basis))
        elif not scope.published and not (isinstance(date, dt.date) and last_year_in_npd(date, earliest) < from_year):
            # one rule for years everywhere: a release dated before the first of these years was in the NPD cannot
            # hold them
            tiers = scope.release.strings("tiers")
            reason = (
                f"approved for tier(s) {', '.join(tiers)}, whose items are not in the graph"
                if tiers
                else "the release's scope (data sets, items, years) is not published"
            )
            if not isinstance(date, dt.date):
                reason += (
                    f"; its date is not given, so whether it came after data of {those_years(from_year, to_year)} "
                    "were in the NPD is unknown"
                )
            unpublished.append(Reach(scope.release, scope.organisations, (), inferred, False, note=reason))
    reaches.sort(key=lambda r: dated_order(r.release))
    unpublished.sort(key=lambda r: dated_order(r.release))
    return tuple(reaches), tuple(unpublished)


#: The releases that reach a span of years, kept per store state (record-reach shares them).
reaches_in_years = PerState(_reaches, keep=64)
