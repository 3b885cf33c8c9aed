"""Dated events: what happened to the NPD, its collections and its sharing, as the campaign page dates it.

``campaign-events`` reads ``npd_events_from_campaign_page.csv`` (``date_as_cited, kind, event, source,
quote``): one Event a row, as sure as its source (a campaign's account is ``reported``, see
``data/source_kinds.csv``), cited by the source's title (the file keeps no address). Its validity is the date
or period as cited where that is a plain ``YYYY[-MM[-DD]]``, a range ``A..B`` or an open ``A..`` (from then
on); other wording stays as words and holds always, counted. So a timeline and ``lineage(asOf:)`` read the
same dates.

An Event CONCERNS the nodes ``data/event_links.csv`` (``file, row, row_says, concerns, reasoning``) says it is
about, each link inferred by the rule ``event-links`` and citing the table's row beside the event's; a link to a
node not in the store, or from a row that no longer begins a cell with ``row_says`` (a newer copy of the file put
another row there), is counted, not drawn.

Where a row's date is not the day of the event or flow as its source gives it (an article's or a notice's date,
a year the compiler inferred), ``data/date_readings.csv`` (``file, row, date_as_cited, date_is, holds, reasoning``)
says so: the fact keeps its date, says what it is (``date_is``) and why (``dated_by``), and cites the table's row;
where the table can say when the fact holds (``holds``), that period is its validity; where it cannot, a link (a
holding, an access) holds over a period unknown (open, counted), and an event keeps its date as cited, the latest
it can have happened. A reading of a date the row no longer gives is counted, not applied. ``dated`` is that rule,
for ``onward-flows`` too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from importers import register
from importers.base import Batch, Importer, Report
from importers.figures import parse_period
from importers.reading import (
    BadInput,
    Row,
    RowRead,
    applied,
    applied_to_row,
    read_csv,
    read_reasoned,
    refuse_duplicates,
)
from importers.source_kinds import bundled_source_kinds
from lineage.errors import ModelError
from lineage.keys import slug
from lineage.model import (
    ALWAYS,
    Certainty,
    CertaintyLevel,
    Citation,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    Scalar,
    Validity,
    kind_of,
)
from lineage.resources import DATA_DIR
from lineage.store import Store

LINKS_FILE = DATA_DIR / "event_links.csv"
LINKS_DOCUMENT = "pupil-data lineage table of what dated events concern"
BY_LINK_TABLE = Certainty(CertaintyLevel.INFERRED, "event-links")
DATES_FILE = DATA_DIR / "date_readings.csv"
DATES_DOCUMENT = "pupil-data lineage table of what a row's date is, where it is not the day of the fact it gives"
UNDATED = "validity (the date as cited is not a plain date or period: kept as words)"


@dataclass(frozen=True, slots=True)
class EventLink:
    row: int
    concerns: str
    citation: Citation
    read: RowRead  # the event's row, which must still begin a cell with its words


def load_links(path: Path = LINKS_FILE) -> dict[str, list[EventLink]]:
    """The links table by the events file it is about; a target that is no node id is refused."""
    table: dict[str, list[EventLink]] = {}
    for events_file, events_row, row in read_reasoned(path, ("row_says", "concerns")):
        concerns = row["concerns"].strip()
        try:
            kind_of(concerns)
        except ModelError as exc:
            raise BadInput(path, str(exc), row.number, "concerns") from None
        read = RowRead.of(path, row, events_file, events_row)
        if any((link.row, link.concerns) == (events_row, concerns) for link in table.get(events_file, [])):
            raise BadInput(path, f"row {events_row} of {events_file} is linked to {concerns} twice", row.number, "row")
        link = EventLink(events_row, concerns, Citation(LINKS_DOCUMENT, path.name, row.number, ""), read)
        table.setdefault(events_file, []).append(link)
    return table


@cache
def _bundled_links() -> dict[str, list[EventLink]]:
    return load_links()


def applied_links(read_as: str, rows: Mapping[int, Row], report: Report) -> list[EventLink]:
    """The links table's links from this file's rows, each only while its row still begins a cell with the words
    it read; one whose row is gone or has changed is counted, naming the table's row."""
    return applied(LINKS_FILE.name, _bundled_links().get(read_as, []), rows, report.leave_out)


@dataclass(frozen=True, slots=True)
class DateReading:
    """What a row's date is, where it is not the day of the event or flow as its source gives it."""

    date_as_cited: str  # the date the row gives, so that a reading of another date is not applied to it
    date_is: str
    reasoning: str
    citation: Citation
    read: RowRead  # the row it reads, which must still begin cells with its words
    #: when the fact holds, where the table can say so though the row's date does not (a set of records up to 2021
    #: was not made before 2021): its validity in place of the date's; None where the table cannot
    holds: Validity | None = None

    @property
    def props(self) -> dict[str, str]:
        """What the fact it reads says of its date: what it is, and why (the table's row)."""
        return {"date_is": self.date_is, "dated_by": f"{DATES_FILE.name} row {self.citation.row}: {self.reasoning}"}


def load_dates(path: Path = DATES_FILE) -> dict[tuple[str, int], DateReading]:
    """The readings by (file, row) they read; a reading without its date and words, or a row read twice, is
    refused."""
    table: dict[tuple[str, int], DateReading] = {}
    for read_file, read_row, row in read_reasoned(path, ("row_says", "date_as_cited", "date_is", "holds"), once=True):
        date_as_cited, date_is, reasoning = (
            " ".join(row[c].split()) for c in ("date_as_cited", "date_is", "reasoning")
        )
        if not (date_as_cited and date_is):
            raise BadInput(path, "every reading gives the date and what it is", row.number)
        holds = parse_period(path, row, "holds") if row["holds"].strip() else None
        if holds == ALWAYS:
            raise BadInput(path, f"not a period: {row['holds'].strip()!r}", row.number, "holds")
        citation = Citation(DATES_DOCUMENT, path.name, row.number, "")
        read = RowRead.of(path, row, read_file, read_row)
        table[(read_file, read_row)] = DateReading(date_as_cited, date_is, reasoning, citation, read, holds)
    return table


@cache
def _bundled_dates() -> dict[tuple[str, int], DateReading]:
    return load_dates()


#: Counted for each link whose date the table reads as not when it holds, giving no period in which it does.
NOT_WHEN_IT_HOLDS = (
    f"validity ({DATES_FILE.name}: the date as cited is not when the link holds, and the table gives no period: it "
    "holds over a period unknown)"
)


class Dated(NamedTuple):
    """When a row's fact holds and when what it tells of happened, and the table's reading of its date, if any."""

    holds: Validity  # a link's validity (a holding, an access): never a notice's or an article's day
    happened: Validity  # an event's or a statement's: placed on its date as cited, which says what it is
    reading: DateReading | None


def dated(read_as: str, path: Path, row: Row, column: str, date_as_cited: str, report: Report) -> Dated:
    """The one rule for every importer that reads the table. Without a reading, the date or period as cited; with
    one that says when the fact holds (``holds``), that period. Where the table reads the date as not the fact's own
    day (a privacy notice's, an article's) and cannot say when it holds, a link holds over a period unknown (open):
    LEO's holders had held it only on the day a notice was updated, so lineage(asOf:) gave none; an event keeps the
    date as cited, as the latest it can have happened, and says what the date is (the reading's ``props``, the
    timeline's ``when``)."""
    own = parse_period(path, row, column)  # a date in figures written otherwise is refused, read or not
    reading = date_reading(read_as, row, date_as_cited, report)
    if reading is None:
        return Dated(own, own, None)
    if reading.holds is not None:
        return Dated(reading.holds, reading.holds, reading)
    return Dated(ALWAYS, own, reading)


def date_reading(read_as: str, row: Row, date_as_cited: str, report: Report) -> DateReading | None:
    """The table's reading of a row's date, if it has one for the row and the date it gives; a reading of another
    row (a copy's rows moved) or of a date the row no longer gives is counted, not applied."""
    reading = applied_to_row(DATES_FILE.name, _bundled_dates().get((read_as, row.number)), row, report.leave_out)
    if reading is not None and reading.date_as_cited != date_as_cited:
        report.leave_out(f"date_is ({DATES_FILE.name}: the row no longer gives {reading.date_as_cited!r})")
        return None
    return reading


#: Documents a row's source says exist but are withheld (``data/withheld_documents.csv``): the record gives what they
#: found only as others quote it, and whoever holds one is who to ask for it.
WITHHELD_FILE = DATA_DIR / "withheld_documents.csv"
WITHHELD_DOCUMENT = "pupil-data lineage table of documents a row's source says are withheld"


@dataclass(frozen=True, slots=True)
class Withheld:
    """A document a row's source says is withheld, and the bodies that hold it (each of whom was asked for it)."""

    document: str
    holders: tuple[str, ...]
    citation: Citation
    read: RowRead  # the row it reads, which must still begin cells with its words

    @property
    def props(self) -> dict[str, Scalar]:
        return {"withheld": self.document, "withheld_by": self.holders}


def load_withheld(path: Path = WITHHELD_FILE) -> dict[tuple[str, int], Withheld]:
    """The table by the (file, row) it reads; an entry without its document or holders, or a row read twice, is
    refused."""
    table: dict[tuple[str, int], Withheld] = {}
    for read_file, read_row, row in read_reasoned(path, ("row_says", "document", "holders"), once=True):
        document = " ".join(row["document"].split())
        holders = tuple(" ".join(h.split()) for h in row["holders"].split(";") if h.strip())
        if not (document and holders):
            raise BadInput(path, "every entry names the document and who holds it", row.number)
        citation = Citation(WITHHELD_DOCUMENT, path.name, row.number, "")
        table[(read_file, read_row)] = Withheld(document, holders, citation, RowRead.of(path, row, read_file, read_row))
    return table


@cache
def _bundled_withheld() -> dict[tuple[str, int], Withheld]:
    return load_withheld()


def withheld(read_as: str, row: Row, report: Report) -> Withheld | None:
    """What the table says is withheld of the document a row's source is about, while the row still says what the
    table read; otherwise counted, naming the table's row."""
    return applied_to_row(WITHHELD_FILE.name, _bundled_withheld().get((read_as, row.number)), row, report.leave_out)


@register
class CampaignEventsImporter(Importer):
    name = "campaign-events"
    needs = ("sharing-figures",)
    document = "defenddigitalme campaign page on the National Pupil Database (dated events, compiled)"
    bundled = "npd_events_from_campaign_page.csv"
    columns = ("date_as_cited", "kind", "event", "source", "quote")

    def extract(self, path: Path) -> Iterable[Row]:
        return read_csv(path, self.columns)

    def transform(self, rows: Iterable[Row], path: Path, report: Report, store: Store) -> Batch:
        parsed = [(row, self._event(path, row, report)) for row in rows]
        refuse_duplicates(path, "kind, date_as_cited, event", ((node.key, row) for row, node in parsed))
        events = {row.number: node for row, node in parsed}
        links = applied_links(self.read_as(path), {row.number: row for row, _ in parsed}, report)
        present = store.existing({link.concerns for link in links})
        edges = []
        for link in links:
            if link.concerns not in present:
                report.leave_out(f"CONCERNS ({kind_of(link.concerns)} not in the store)")
                continue
            event = events[link.row]
            cites = event.citations | {link.citation}
            edges.append(Edge(event.id, EdgeKind.CONCERNS, link.concerns, citations=cites, certainty=BY_LINK_TABLE))
        return Batch(list(events.values()), edges)

    def _event(self, path: Path, row: Row, report: Report) -> Node:
        def cell(column: str) -> str:
            text = " ".join(row[column].split())
            if not text and column != "quote":
                raise BadInput(path, "must not be empty", row.number, column)
            return text

        date, kind, text, source = cell("date_as_cited"), cell("kind"), cell("event"), cell("source")
        found = dated(self.read_as(path), path, row, "date_as_cited", date, report)
        validity, reading = found.happened, found.reading
        if validity == ALWAYS:
            report.leave_out(UNDATED)
        props: dict[str, Scalar] = {"event_kind": kind, "date_as_cited": date, "text": text, "source": source}
        if quote := cell("quote"):
            props["quote"] = quote
        citations = {Citation(source, path.name, row.number, "")}
        if reading is not None:
            props.update(reading.props)
            citations.add(reading.citation)
        return Node(
            NodeKind.EVENT,
            f"{slug(kind)}/{date}/{slug(text)}",
            f"{date}: {text}",
            props,
            frozenset(citations),
            bundled_source_kinds().certainty(path, row, "source"),
            validity,
        )
