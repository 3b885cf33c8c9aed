"""Published volumes of flows: the compiled figures on NPD sharing.

``sharing-figures`` reads ``npd_sharing_figures_compiled.csv``: published figures, each an AggregateFlow
(``verified`` is False for the topic ``unverified``; ``corrected_later`` marks an original figure its own row says
a later source corrected, "(original answer)") valid over its period where the period is a plain
``YYYY[-MM[-DD]][..YYYY[-MM[-DD]]]``, as sure as its source document (a campaigner's figure is
``reported``). It FLOWS_TO the named body on the receiving side of the flow and FLOWS_FROM the one on the
sending side (both sides of ``<->`` are both), so what the Home Office asks of DfE and what it gets back
are separate flows; never to or from DfE itself (the holder of the NPD), never to a group ("third parties":
see the alias table), and not for an unverified figure. It DRAWS_ON a Dataset or Collection only when the
flow names one that is in the store. A figure that another row's figure contradicts (``data/conflicts.csv``)
CONTRADICTS it, and both are ``contested`` (:mod:`importers.conflicts`).

Facts left out of a row that is otherwise written are counted in the report's ``left_out`` reasons.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Iterable
from pathlib import Path

from importers import register
from importers.base import Batch, Importer, Report, named_sources
from importers.conflicts import contradictions
from importers.npd import start_year
from importers.organisations import Organisations, Resolved
from importers.reading import (
    BadInput,
    Row,
    date_from_text,
    read_csv,
    refuse_duplicates,
    refuse_other_digits,
    required,
    stated,
)
from importers.source_kinds import bundled_source_kinds
from lineage.keys import normalise
from lineage.model import (
    ACADEMIC_YEAR_START_MONTH,
    ALWAYS,
    Citation,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    Scalar,
    Validity,
    ordered_citations,
)
from lineage.store import Store

_PERIOD = re.compile(r"^(\d{4}(?:-\d{2}){0,2})(\.\.(\d{4}(?:-\d{2}){0,2})?)?$")
#: An academic year as the NPD writes one ("2016/17"): 1 September to 31 August.
_ACADEMIC_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
_NUMBER = re.compile(r"^-?\d+(?:,\d{3})*(?:\.\d+)?$")
#: A row's own words for a figure a later source corrected: its measure "(original answer)", its source "original,
#: later corrected". Answers then say it is the original, never the figure alone.
_CORRECTED_LATER = re.compile(r"\(original answer\)|later corrected", re.IGNORECASE)
#: Names of the NPD's holder: a flow into DfE is not a flow to a recipient.
HOLDER_KEYS = frozenset({"dfe", "department for education", "npd"})


def _bound(text: str, *, end: bool) -> dt.date:
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        year, month = parts
        return dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)


#: A period with the compiler's note after it: an end year in brackets (``2012-04..(2016)``, its month not given),
#: a last day (``2012..2016 (to 15 Dec)``), or what the period is of (``2015-07 (MoU)``).
_NOTED = re.compile(
    r"^(?P<period>[^()]*[^()\s])\s*\((?:to (?P<last_day>\d{1,2} [a-z]{3})[a-z]*|(?P<note>[^()]+))\)$", re.IGNORECASE
)
_BRACKETED_END = re.compile(r"^(?P<start>[^()]+\.\.)\((?P<year>\d{4})\)$")


#: A date in figures written otherwise than the ISO way the periods are read by ("07/2015", "31/02/2019",
#: "15.03.2019"): taken as words, it would hold always and stand in every period asked.
_NUMBERS_AS_DATE = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{1,2}[/.]\d{4}\b")


def parse_period(path: Path, row: Row, column: str = "period") -> Validity:
    """The validity of a published period: ``2012-04..2016-10`` is 1 April 2012 to 31 October 2016, ``1996..``
    from 1 January 1996 on, a single ``2015-12-28`` or ``2020-06`` that day or month, with a note after it read
    as :data:`_NOTED` says (``2012-04..(2016)`` to the end of 2016, ``2012..2016 (to 15 Dec)`` to 15 December
    2016), an academic year ``2016/17`` from 1 September 2016 to 31 August 2017; any other wording holds always (kept
    as text), but a date in figures written otherwise (``07/2015``, ``31/02/2019``) is refused."""
    text, last_day = row[column].strip(), None
    if bracketed := _BRACKETED_END.match(text):
        text = bracketed["start"] + bracketed["year"]
    elif (noted := _NOTED.match(text)) and _PERIOD.match(noted["period"]):
        text, last_day = noted["period"], noted["last_day"]
    try:
        if (year := _ACADEMIC_YEAR.match(text)) and (first := start_year(year[1], year[2])) is not None:
            # a figure of "2016/17" had been placed in no period, and counted as undated
            ends = dt.date(first + 1, ACADEMIC_YEAR_START_MONTH, 1) - dt.timedelta(days=1)
            return Validity(dt.date(first, ACADEMIC_YEAR_START_MONTH, 1), ends)
    except ValueError as exc:  # 9999/00 ends in year 10,000
        raise BadInput(path, f"not a period of real dates: {exc}", row.number, column) from None
    match = _PERIOD.match(text)
    if not match:
        if written := _NUMBERS_AS_DATE.search(text):
            problem = f"{written.group(0)!r} is a date in figures but not as YYYY-MM-DD or YYYY-MM"
            raise BadInput(
                path, f"{problem}: write it so (2015-07, 2019-03-15), or it is read as no date", row.number, column
            )
        return ALWAYS
    start, ranged, finish = match.groups()
    try:
        end = None if ranged and not finish else _bound(finish or start, end=True)
        if end is not None and last_day:
            end = date_from_text(f"{last_day} {end.year}", ("%d %b %Y",))
        begins = _bound(start, end=False)
    except ValueError as exc:
        raise BadInput(path, f"not a period of real dates: {exc}", row.number, column) from None
    if end is not None and end < begins:
        raise BadInput(path, f"the period's start, {begins}, is after its end, {end}", row.number, column)
    return Validity(begins, end)


def flow_recipients(flow: str) -> list[str]:
    """The receiving side(s) of a published flow: B in ``A -> B``, both in ``A <-> B``, none otherwise."""
    if "<->" in flow:
        return [side.strip() for side in flow.split("<->", 1)]
    if "->" in flow:
        return [flow.split("->", 1)[1].strip()]
    return []


def flow_senders(flow: str) -> list[str]:
    """The sending side(s) of a published flow: A in ``A -> B``, both in ``A <-> B``, none otherwise."""
    if "<->" in flow:
        return flow_recipients(flow)
    if "->" in flow:
        return [flow.split("->", 1)[0].strip()]
    return []


def flow_ends(flow: str) -> list[str]:
    """Both sides of a published flow (or the whole text when it has no arrow), to find a data set it names."""
    return [side.strip() for side in re.split(r"<->|->", flow) if side.strip()]


@register
class SharingFiguresImporter(Importer):
    name = "sharing-figures"
    needs = ("npd-dataset-list", "npd-release-timetable")
    document = "Published figures on NPD sharing (compiled)"
    bundled = "npd_sharing_figures_compiled.csv"
    columns = ("topic", "period", "flow", "measure", "value", "unit", "source", "source_url", "notes")

    def extract(self, path: Path) -> Iterable[Row]:
        return read_csv(path, self.columns)

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        rows = list(rows)
        flows = [self._flow(path, row) for row in rows]
        keyed = ((node.key, row) for node, row in zip(flows, rows, strict=True))
        refuse_duplicates(path, "topic, period, measure", keyed)
        sources = named_sources(store)
        organisations = Organisations()
        edges: list[Edge] = []
        for node, row in zip(flows, rows, strict=True):
            cites = node.citations
            for kind, names in ((EdgeKind.FLOWS_TO, flow_recipients), (EdgeKind.FLOWS_FROM, flow_senders)):
                if not node.props["verified"]:
                    report.leave_out(f"{kind} (an unverified figure)")
                    continue
                for name in names(row["flow"]):
                    if normalise(name) in HOLDER_KEYS:
                        continue
                    own = next(c for c in ordered_citations(cites) if c.file == path.name)  # the row's, not a table's
                    found = organisations.add(name, own, node.certainty)
                    if isinstance(found, Resolved):
                        sure, valid = node.certainty, node.validity
                        edges.append(Edge(node.id, kind, found.id, citations=cites, certainty=sure, validity=valid))
                    else:
                        report.leave_out(f"{kind} ({found.reason})")
            drawn = {sources[end.lower()] for end in flow_ends(row["flow"]) if end.lower() in sources}
            if not drawn:
                report.leave_out("DRAWS_ON (the flow names no data set or collection in the store)")
            edges.extend(
                Edge(node.id, EdgeKind.DRAWS_ON, target, citations=cites, certainty=node.certainty)
                for target in sorted(drawn)
            )
        contradicting, contested = contradictions(
            self.read_as(path),
            {row.number: row for row in rows},
            {row.number: n for n, row in zip(flows, rows, strict=True)},
            report,
        )
        written = [contested.get(node.id, node) for node in flows]
        return Batch([*written, *organisations.nodes(store)], [*edges, *contradicting])

    def _flow(self, path: Path, row: Row) -> Node:
        refuse_other_digits(path, row, "value", "period")  # "\u0661\u0662" had been the figure 12.0
        topic, measure = required(path, row, "topic"), required(path, row, "measure")
        period, flow = row["period"].strip(), row["flow"].strip()
        value = row["value"].strip()
        props: dict[str, Scalar] = {"topic": topic, "period": period, "flow": flow, "measure": measure}
        if _NUMBER.match(value):
            number = float(value.replace(",", ""))
            if not math.isfinite(number):  # it would be stored as inf: not JSON, and no GraphQL Float
                raise BadInput(path, f"{value!r} is too large a number to store", row.number, "value")
            props["value"] = number
        elif value:
            props["value_text"] = value
        props.update(stated(dict(unit=row["unit"].strip(), notes=row["notes"].strip())))
        props["verified"] = topic != "unverified"
        if _CORRECTED_LATER.search(f"{measure} {row['source']}"):
            props["corrected_later"] = True
        citation = Citation(required(path, row, "source"), path.name, row.number, required(path, row, "source_url"))
        name = f"{flow or topic}: {measure}, {period or 'period not given'}"
        return Node(
            NodeKind.AGGREGATE_FLOW,
            f"{topic}:{period}:{measure}",
            name,
            props,
            frozenset({citation}),
            bundled_source_kinds().certainty(path, row, "source"),
            validity=parse_period(path, row),
        )
