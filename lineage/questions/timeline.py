"""The dated record in time: events and published figures, for "what happened when", and the applications by
outcome and year beside the published totals of them.

An Event or a figure is placed by its validity (the date or period its source gives); one with none cannot be
placed, and is counted rather than dropped silently. A period asked of the timeline keeps what overlaps it, as
``flows`` keeps the volumes of a period, and ``lineage(asOf:)`` reads the same validity.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from lineage.dates import named_period, named_year
from lineage.model import ALWAYS, Certainty, Citation, Edge, EdgeKind, Node, NodeKind, ordered_citations, value_text
from lineage.questions.common import Related, check_known, check_period, dated_order, follow, overlaps_period, related
from lineage.store import Store

_E = EdgeKind
#: The timeline kind of a published figure (an event's kind is its own, as cited).
FIGURE = "figure"


def figure_caveat(figure: Node) -> str:
    """What a figure's text must say beside it, so that no answer quotes it as an established fact: that a
    later source corrected it (the original alone), that another cited source disagrees with it, or that the
    record does not establish it."""
    props = figure.props
    if props.get("corrected_later"):
        return " (the original figure: a later source corrected it)"
    if props.get("contested"):
        part = props.get("contested_part")
        return (
            f" (contested: another cited source disagrees with {part})"
            if part
            else " (contested: another cited source disagrees)"
        )
    return " (unverified: the record does not establish it)" if props.get("verified") is False else ""


def figure_text(figure: Node) -> str:
    """A published figure in the compiler's words: its flow, measure and value, whether a later source
    corrected it or the record does not establish it (so that no answer quotes either as settled), and the
    compiler's notes on it, which say what the figure alone does not (Home Office's 20 requests: "18 granted, 2
    refused"; the register's 887: "15 rejections recorded")."""
    props = figure.props
    value = props.get("value_text") or value_text(props.get("value"))
    unit = f" {props['unit']}" if props.get("unit") and value else ""
    return (
        f"{props.get('flow', '')}: {props.get('measure', '')}"
        + (f": {value}{unit}" if value else "")
        + figure_caveat(figure)
        + compiler_note(figure)
    )


def compiler_note(fact: Node | Edge) -> str:
    """The compiler's notes on a figure or a flow, said after it: they say what the row alone does not (GB Group's
    denial of the Sunday Times's account, reported by Decision Marketing; a figure's refusals)."""
    notes = fact.props.get("notes")
    return f" (the compiler's note: {notes})" if notes else ""


def _cited_date(fact: Node | Edge) -> str:
    return str(fact.props.get("date_as_cited") or fact.props.get("period") or "")


def dated_as(fact: Node | Edge) -> str:
    """An event's, a flow's or a figure's date as its source gives it, and what that date is where it is not the
    day of the fact (an article's date, a year inferred), so that no answer dates an event by the report of it."""
    date, date_is = _cited_date(fact), fact.props.get("date_is")
    return f"{date} ({date_is})" if date and date_is else date


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    node: Node  # an Event, or a published figure (AggregateFlow) with a period
    kind: str  # the event's kind as cited, or FIGURE
    concerns: tuple[Related, ...]  # what it is about: an event's CONCERNS, a figure's bodies, data sets and collections

    @property
    def date_as_cited(self) -> str:
        return _cited_date(self.node)

    @property
    def when(self) -> str:
        """The date as cited, and what it is where it is not the event's own day."""
        return dated_as(self.node)

    @property
    def valid_from(self) -> dt.date | None:
        return self.node.validity.valid_from

    @property
    def valid_to(self) -> dt.date | None:
        return self.node.validity.valid_to

    @property
    def text(self) -> str:
        """What happened, in the compiler's words: an event's text, a figure's measure and value, and the compiler's
        notes on either ("No fine was issued" beside the ICO's considered fine)."""
        if self.node.kind is NodeKind.EVENT:
            return str(self.node.props.get("text", self.node.name)) + compiler_note(self.node)
        return figure_text(self.node)

    @property
    def certainty(self) -> Certainty:
        return self.node.certainty

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(ordered_citations(self.node.citations))


@dataclass(frozen=True, slots=True)
class Timeline:
    entries: tuple[TimelineEntry, ...]
    kinds: tuple[str, ...]  # every kind the graph holds, for asking again
    undated: int  # events and figures of the kinds asked whose date the record does not give as dates


def timeline(
    store: Store, start: dt.date | None = None, end: dt.date | None = None, kinds: Collection[str] | None = None
) -> Timeline:
    """Events and published figures whose dates overlap [start, end] (inclusive; open ends), oldest first, each
    with what it concerns; ``kinds`` keeps those kinds (an event's kind, or ``figure``), and an empty list keeps
    every kind, as every other filter's does. A kind the graph does not hold is refused, naming those it does:
    unknown is not none."""
    check_period(start, end)
    candidates = [*store.all_nodes(NodeKind.EVENT), *store.all_nodes(NodeKind.AGGREGATE_FLOW)]
    known = sorted({entry_kind(node) for node in candidates})
    check_known("kind of event or figure", kinds or (), known)
    asked = [node for node in candidates if not kinds or entry_kind(node) in kinds]  # no kinds, or none: every kind
    dated = [node for node in asked if node.validity != ALWAYS and overlaps_period(node, start, end)]
    around = follow(store, [n.id for n in dated], outgoing=_CONCERNING)
    entries = [TimelineEntry(node, entry_kind(node), related(around.get(node.id, []), _CONCERNING)) for node in dated]
    entries.sort(key=lambda entry: _placed(entry.node))
    return Timeline(tuple(entries), tuple(known), sum(1 for node in asked if node.validity == ALWAYS))


#: What an entry concerns: an event's CONCERNS links, a figure's bodies, data sets and collections.
_CONCERNING = (_E.CONCERNS, _E.FLOWS_TO, _E.FLOWS_FROM, _E.DRAWS_ON)


def _placed(node: Node) -> tuple[dt.date, dt.date, str]:
    """Oldest first: by start, then end (open ends at the far side), then id."""
    return (node.validity.valid_from or dt.date.min, node.validity.valid_to or dt.date.max, node.id)


def entry_kind(node: Node) -> str:
    """A timeline entry's kind: an event's kind as cited, or ``figure``."""
    return str(node.props.get("event_kind")) if node.kind is NodeKind.EVENT else FIGURE


# ---- applications by outcome and year -------------------------------------------------------------------

#: A published figure whose measure counts applications of one outcome, and the status it counts.
COUNTED_OUTCOMES = (("refused", "rejected"),)
#: A figure's value given per year, as published: "2012:9; 2013:0; 2014:3".
_PER_YEAR = re.compile(r"\b(\d{4})\s*:\s*(\d+)\b")
#: The rule by which a figure's value is read as a total per year.
RULE_PER_YEAR = "figure-per-year"
#: How many of the requests a register figure counts had one outcome, as its notes give it ("3 not pursued; 15
#: rejections recorded", "92 approved and received data; 21 not pursued; 8 rejected"), and the status it is.
_NOTED_OUTCOME = re.compile(r"(?:^|;)\s*(\d+) (rejected|rejections recorded|not pursued)\b")
_NOTED_STATUS = {"rejected": "rejected", "rejections recorded": "rejected", "not pursued": "not pursued"}
#: The measure of a figure counting a register's requests ("requests in the third-party register", "requests in
#: register for the period"), whose notes give how many had each outcome; not a claimed count of distributions
#: "logged on public register".
REGISTER_REQUESTS = re.compile(r"^requests in (?:the [a-z-]+ )?register\b")
#: The rule by which a figure's notes are read as a total of one outcome over the figure's period.
RULE_NOTES_COUNT = "figure-notes-count"


@dataclass(frozen=True, slots=True)
class PublishedTotal:
    figure: Node
    value: int
    rule: str = RULE_PER_YEAR  # how the figure was read as a total of the outcome


@dataclass(frozen=True, slots=True)
class OutcomeCount:
    """The applications the record names with one outcome in one year, or in the period a published total counts,
    beside the published total for it, so a reader sees how much of each total is named."""

    status: str
    year: int | None  # None: the record gives the application no single year, or the row is of a period
    applications: tuple[Node, ...]
    published: tuple[PublishedTotal, ...]
    period: str | None = None  # the period of a published total that is not of one year, as published

    @property
    def named(self) -> int:
        """How many applications the graph names with this outcome and year."""
        return len(self.applications)


def application_outcomes(store: Store) -> list[OutcomeCount]:
    """Applications by status and calendar year (its date, or the one year its date as cited names), with the
    published totals per year of that status (PQ 57722's refusals per year, read by :data:`RULE_PER_YEAR`); and the
    totals a register figure's notes give of an outcome over its period (15 rejections recorded in 2012-2016, 8 in
    January to May 2017: :data:`RULE_NOTES_COUNT`), each beside the applications named with that outcome then."""
    named: dict[tuple[str, int | None], list[Node]] = defaultdict(list)
    for application in store.all_nodes(NodeKind.APPLICATION):
        named[(str(application.props.get("status", "not stated")), _year(application))].append(application)
    published: dict[tuple[str, int | None], list[PublishedTotal]] = defaultdict(list)
    over_periods: list[OutcomeCount] = []
    for figure in store.all_nodes(NodeKind.AGGREGATE_FLOW):
        measure = str(figure.props.get("measure", "")).lower()
        for word, status in COUNTED_OUTCOMES:
            if word in measure and "applications" in measure:
                for year, value in _PER_YEAR.findall(str(figure.props.get("value_text", ""))):
                    published[(status, int(year))].append(PublishedTotal(figure, int(value)))
        if REGISTER_REQUESTS.match(measure):  # the requests a register lists, some of each outcome
            for value, said in _NOTED_OUTCOME.findall(str(figure.props.get("notes", ""))):
                status = _NOTED_STATUS[said]
                then = [a for (s, _), apps in named.items() if s == status for a in apps if _within(a, figure)]
                total = PublishedTotal(figure, int(value), RULE_NOTES_COUNT)
                period = str(figure.props.get("period"))
                over_periods.append(OutcomeCount(status, None, tuple(sorted(then, key=dated_order)), (total,), period))
    by_year = [
        OutcomeCount(
            status,
            year,
            tuple(sorted(named.get((status, year), []), key=dated_order)),
            tuple(published[(status, year)]),
        )
        for status, year in named.keys() | published.keys()
    ]
    # by outcome: its years in order, then each period's total, then the applications of no single year
    return sorted([*by_year, *over_periods], key=lambda row: (row.status, _place(row), row.year or 0, row.period or ""))


def _place(row: OutcomeCount) -> int:
    return 0 if row.year is not None else 1 if row.period is not None else 2


def _within(application: Node, figure: Node) -> bool:
    """Whether an application's date (or its one year) lies wholly in the period of a figure."""
    lo, hi = figure.validity.valid_from, figure.validity.valid_to
    date = application.props.get("date")
    if isinstance(date, dt.date):
        first = last = date
    elif (named := named_period(str(application.props.get("date_as_cited", "")))) is not None:
        first, last = named  # its month, or its year ("February 2017" lies in January to May 2017)
    else:
        return False
    return (lo is None or lo <= first) and (hi is None or last <= hi)


def _year(application: Node) -> int | None:
    date = application.props.get("date")
    if isinstance(date, dt.date):
        return date.year
    return named_year(str(application.props.get("date_as_cited", "")))
