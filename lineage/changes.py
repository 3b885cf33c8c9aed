"""What is new in the record: the difference between two builds of the graph, the gaps each import closed, and
an Atom feed of the newest releases and statements and of the gaps imports closed.

A campaigner follows the record as it grows: ``diff`` compares the releases, organisations, statements and
events of two stores (two snapshots, or a snapshot and a Neo4j), each change cited by the sources of the side
that holds it, and names each gap in the record the new build closes with the sources that closed it. An
import watches the gaps too (:class:`GapWatch`): its ImportRun records each gap its write closed, when, and
the sources that closed it, so the store keeps that history itself. The feed lists releases and statements
newest first by the date their source gives, and the gaps imports closed by the time they closed, so a feed
reader shows a new release as it enters the record and a question answered as it is. An entry the record
gives no date cannot be placed in time: the feed says how many there are rather than invent a date for them.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from lineage.errors import DamagedRecord, LineageError
from lineage.model import Citation, Edge, EdgeKind, Node, NodeKind, ordered_citations
from lineage.questions.closings import ClosedGap, GapClosed, gaps_closed
from lineage.questions.common import follow
from lineage.questions.gaps import Gap, gaps
from lineage.questions.records import release_reference
from lineage.questions.statements import statement_words
from lineage.reports.render import source_text
from lineage.store import Store
from lineage.xml_text import xml_text

_E = EdgeKind
#: The kinds a campaigner follows, and the links out of each that are part of what it says.
TRACKED: dict[NodeKind, tuple[EdgeKind, ...]] = {
    NodeKind.RELEASE: (_E.SENT_TO, _E.APPROVED_BY, _E.INCLUDES),
    NodeKind.ORGANISATION: (_E.SHARES_ONWARD, _E.ACCESSED_BY),
    NodeKind.STATEMENT: (_E.ABOUT, _E.REFERS_TO, _E.CONTRADICTS),
    NodeKind.EVENT: (_E.CONCERNS,),
    NodeKind.RECORD_SET: (_E.ACCESSED_BY, _E.HELD_BY, _E.DERIVED_FROM),
    # an application refused, or released, and a published figure corrected: what a campaigner quotes too
    NodeKind.APPLICATION: (_E.MADE_BY, _E.LED_TO, _E.COMMISSIONED_BY),
    NodeKind.AGGREGATE_FLOW: (_E.FLOWS_TO, _E.FLOWS_FROM, _E.DRAWS_ON, _E.CONTRADICTS),
}
ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True, slots=True)
class Change:
    change: str  # ADDED, REMOVED or CHANGED
    node: Node  # the new node; the old one where it was removed
    fields: tuple[str, ...] = ()  # what changed: name, a property, citations, certainty, validity, or links

    @property
    def citations(self) -> frozenset[Citation]:
        return self.node.citations


def _no_longer_open(before: Iterable[Gap], store: Store) -> list[Gap]:
    """The gaps of ``before`` that ``store`` no longer has."""
    still = {g.id for g in gaps(store)}
    return [g for g in before if g.id not in still]


def closed_gaps(before: Iterable[Gap], store: Store) -> tuple[ClosedGap, ...]:
    """The gaps of ``before`` that ``store`` no longer has, each with the sources the store now adds to its
    subject (none where it holds no new source on it, or holds it no more)."""
    closed = _no_longer_open(before, store)
    now = store.get_nodes(g.subject.id for g in closed)
    return tuple(
        ClosedGap(g, tuple(ordered_citations(now[g.subject.id].citations - g.subject.citations)))
        if g.subject.id in now
        else ClosedGap(g, (), gone=True)
        for g in closed
    )


class GapWatch:
    """The gaps open when a command began that none of its imports has closed yet. Around each write an import
    asks it for the watched subjects as they stood (``subjects``), then which watched gaps the write closed
    (``closed``), and records those on its ImportRun. A gap opened during the command is never watched: a
    build from scratch opens many and closes them as its sources arrive in order, and none of that is news."""

    def __init__(self, store: Store) -> None:
        self._open = {g.id: g for g in gaps(store)}

    def subjects(self, store: Store) -> dict[str, Node]:
        """The watched gaps' subjects as the store holds them now, just before a write."""
        return store.get_nodes(g.subject.id for g in self._open.values()) if self._open else {}

    def closed(
        self, store: Store, before: Mapping[str, Node], nodes: Iterable[Node], edges: Iterable[Edge]
    ) -> tuple[ClosedGap, ...]:
        """The watched gaps the store no longer has after a write of ``nodes`` and ``edges``, no longer watched,
        each with the write's sources about its subject: the citations the write puts on it and on the links to
        and from it, less those the subject itself had ``before``; or, where the write only restated those (a
        corrected file under the same name), all of them. (``closed_gaps``, between two builds, has no write to
        read: it gives the citations the subject gained.) On Neo4j, a gap another command closes at the same
        time is taken for this write's."""
        if not self._open:
            return ()
        closed = _no_longer_open(self._open.values(), store)
        if not closed:
            return ()
        # the write's citations on the closed gaps' subjects alone: a national file's batch is large
        wrote: dict[str, set[Citation]] = {g.subject.id: set() for g in closed}
        for node in nodes:
            if node.id in wrote:
                wrote[node.id] |= node.citations
        for edge in edges:
            for end in (edge.source, edge.target):
                if end in wrote:
                    wrote[end] |= edge.citations
        found = []
        for gap in closed:
            del self._open[gap.id]
            about = wrote[gap.subject.id]
            had = before[gap.subject.id].citations if gap.subject.id in before else frozenset()
            found.append(ClosedGap(gap, tuple(ordered_citations(about - had or about))))
        return tuple(found)


@dataclass(frozen=True, slots=True)
class Diff:
    changes: tuple[Change, ...]
    compared: dict[NodeKind, tuple[int, int]]  # per kind: how many in the old store, how many in the new
    closed: tuple[ClosedGap, ...] = ()  # gaps the new build closes


def _state(store: Store, kind: NodeKind) -> dict[str, tuple[Node, frozenset[tuple[str, str, str]]]]:
    """Each node of the kind with its links out of the tracked kinds (kind, target, certainty)."""
    nodes = store.all_nodes(kind)
    out = follow(store, [n.id for n in nodes], outgoing=TRACKED[kind])
    return {
        n.id: (n, frozenset((h.edge.kind.value, h.node.id, h.edge.certainty.level.value) for h in out.get(n.id, [])))
        for n in nodes
    }


Links = frozenset[tuple[str, str, str]]


def _fields(old: Node, new: Node, old_links: Links, new_links: Links) -> tuple[str, ...]:
    fields = [f for f in ("name", "certainty", "validity", "citations") if getattr(old, f) != getattr(new, f)]
    fields += sorted(p for p in old.props.keys() | new.props.keys() if old.props.get(p) != new.props.get(p))
    fields += sorted({kind for kind, *_ in old_links ^ new_links})
    return tuple(fields)


def diff(old: Store, new: Store) -> Diff:
    """The nodes of the kinds a campaigner follows (TRACKED: releases, organisations, statements, events, record
    sets, applications, published figures) added, removed or changed from ``old`` to ``new``: two builds of the
    record, or two synthetic ones, never one of each (:func:`_refuse_real_against_synthetic`)."""
    _refuse_real_against_synthetic(old, new)
    changes: list[Change] = []
    compared = {}
    for kind in TRACKED:
        before, after = _state(old, kind), _state(new, kind)
        compared[kind] = (len(before), len(after))
        for id_ in sorted(before.keys() | after.keys()):
            if id_ not in before:
                changes.append(Change(ADDED, after[id_][0]))
            elif id_ not in after:
                changes.append(Change(REMOVED, before[id_][0]))
            elif fields := _fields(*before[id_][:1], *after[id_][:1], before[id_][1], after[id_][1]):
                changes.append(Change(CHANGED, after[id_][0], fields))
    return Diff(tuple(changes), compared, closed_gaps(gaps(old), new))


def _refuse_real_against_synthetic(old: Store, new: Store) -> None:
    """Refuse to compare a build of the record with a synthetic graph: every synthetic release had been listed as
    added to the record (or every real one as removed from it), and each real gap as closed, as if the record had
    changed so."""
    before, after = _data_held(old), _data_held(new)
    if before and after and before != after:
        raise LineageError(
            f"the old build holds {before} data and the new one {after} data: a diff compares two builds of the"
            " record, or two synthetic graphs"
        )


def _data_held(store: Store) -> str | None:
    """What a build holds: real data, synthetic data, or nothing (never both: the stores refuse to mix them)."""
    if store.holds_synthetic(True):
        return "synthetic"
    return "real" if store.holds_synthetic(False) else None


def format_diff(answer: Diff) -> str:
    """The changes, a line each with its sources; or that there is none, with what was compared."""
    compared = ", ".join(f"{new} {_plural(kind)} (were {old})" for kind, (old, new) in answer.compared.items())
    if not answer.changes and not answer.closed:
        return f"no change: {compared}\n"
    marks = {ADDED: "+", REMOVED: "-", CHANGED: "~"}
    lines = []
    for change in answer.changes:
        what = f" ({', '.join(change.fields)})" if change.fields else ""
        lines.append(f"{marks[change.change]} {change.change} {change.node.kind.value} {change.node.id}: "
                     f"{change.node.name}{what}")  # fmt: skip
        lines += [f"    source: {_source(c)}" for c in ordered_citations(change.citations)]
    for closed in answer.closed:
        lines.append(f"= closed gap {closed.gap.id}: {closed.gap.kind} of {closed.gap.subject.name}")
        lines += [f"    closed by: {_source(c)}" for c in closed.closed_by] or [
            "    closed by: its subject left the record"
            if closed.gone
            else "    closed by: no new source on its subject"
        ]
    counts = {c: sum(1 for x in answer.changes if x.change == c) for c in (ADDED, REMOVED, CHANGED)}
    counts["gaps closed"] = len(answer.closed)
    lines.append(", ".join(f"{n} {c}" for c, n in counts.items()) + f"; compared {compared}")
    return "\n".join(lines) + "\n"


def _source(citation: Citation) -> str:
    return source_text(citation) + (f": {citation.address}" if citation.address else "")


# ---- the Atom feed ---------------------------------------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "/feeds/releases.atom"
FEED_TITLE = (
    "pupil-data lineage: new releases of National Pupil Database data, statements about them, and gaps in the record "
    "closed"
)
#: Ids are the same for every server and build: a feed reader that has seen an entry knows it again.
_IDS = uuid.UUID("5b0c4f0e-6a55-4d7e-9a53-6f3f2b6d2c15")
FEED_ENTRIES = 50


@dataclass(frozen=True, slots=True)
class FeedEntry:
    key: str  # what its Atom id is made from: the same for every server and build
    link: str  # the id of the node its explorer page shows
    when: dt.datetime  # the date its source gives (a statement: the last day of the period it names), or when
    # an import closed the gap it tells of
    title: str
    summary: str
    body: str  # HTML after the summary
    sources: tuple[Citation, ...]


def _day(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def feed_entries(store: Store) -> tuple[list[FeedEntry], int, str]:
    """Releases and statements by cited date and the gaps imports closed by when, newest first; how many
    releases and statements the record gives no date; and, if the record of closings could not be read (a damaged
    ImportRun), a sentence saying those are left out."""
    releases = store.all_nodes(NodeKind.RELEASE)
    statements = store.all_nodes(NodeKind.STATEMENT)
    sent = follow(store, [r.id for r in releases], outgoing=[_E.SENT_TO])
    entries, undated = [], 0
    for release in releases:
        date = release.props.get("date")
        if not isinstance(date, dt.date):
            undated += 1
            continue
        to = ", ".join(h.node.name for h in sent.get(release.id, [])) or "a recipient the record does not name"
        status = release.props.get("status")
        summary = f"Release {release_reference(release)} to {to}, dated {date.isoformat()} in the record." + (
            f" Status as cited: {status}." if status else ""
        )
        title = f"Release {release_reference(release)} to {to}"
        entries.append(_node_entry(release, _day(date), title, summary))
    for statement in statements:
        date = statement.props.get("latest_date")
        if not isinstance(date, dt.date):
            undated += 1
            continue
        about = statement.props.get("organisation_as_written") or "an NPD recipient"
        cited = statement.props.get("date_as_cited")
        kind = str(statement.props.get("statement", "")).replace("_", " ")
        summary = f"{statement.props.get('source_kind', 'A source')} says of {about} ({cited}): {kind}."
        said = f"<p>{escape(statement_words(statement))}</p>"
        entries.append(_node_entry(statement, _day(date), f"Statement: {statement.name}", summary, said))
    try:
        entries += [_closure_entry(closed) for closed in gaps_closed(store)]
        left_out = ""
    except DamagedRecord as exc:  # the releases and statements are still news
        left_out = f" The gaps imports closed are left out: {exc}."
    entries.sort(key=lambda e: (e.when, e.key), reverse=True)
    return entries, undated, left_out


def _node_entry(node: Node, when: dt.datetime, title: str, summary: str, said: str = "") -> FeedEntry:
    body = f"{said}<p>Certainty: {escape(node.certainty.level.value)}</p>"
    return FeedEntry(node.id, node.id, when, title, summary, body, tuple(ordered_citations(node.citations)))


def _closure_entry(closed: GapClosed) -> FeedEntry:
    """A gap an import closed: what that import did, when, and its sources."""
    body = f"<p>The authority that held the answer: {escape(closed.authority)}.</p>"
    key = f"closed:{closed.gap_id}:{closed.import_run.id}:{closed.closed_at.isoformat()}"
    title = f"Gap closed: {closed.kind}, {closed.subject_name}"
    link = closed.subject.id if closed.subject else closed.import_run.id
    return FeedEntry(key, link, closed.closed_at, title, closed.summary, body, closed.sources)


def atom_feed(store: Store, base_url: str, limit: int = FEED_ENTRIES) -> str:
    """The newest entries as an Atom 1.0 document (RFC 4287), links absolute under ``base_url``."""
    base = base_url.rstrip("/")
    entries, undated, left_out = feed_entries(store)
    shown = entries[:limit]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", _urn("feed:releases"))
    _text(feed, "title", FEED_TITLE)
    _text(
        feed,
        "subtitle",
        f"The {len(shown)} newest of {len(entries)} entries: releases and statements by the date their source "
        f"gives, and gaps in the record by the day an import closed them. {undated} releases and statements have "
        f"no date in the record and are not in this feed; /explore shows them all.{left_out}",
    )
    _text(feed, "updated", _stamp(shown[0].when if shown else _day(dt.date(1970, 1, 1))))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "pupil-data lineage, from the cited public record")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=f"{base}{FEED_PATH}")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=f"{base}/reach")
    for entry in shown:
        _entry(feed, entry, base)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def _entry(feed: ET.Element, entry: FeedEntry, base: str) -> None:
    element = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _text(element, "id", _urn(entry.key))
    _text(element, "title", entry.title)
    _text(element, "updated", _stamp(entry.when))
    _text(element, "published", _stamp(entry.when))
    href = f"{base}/explore?view=node&id={quote(entry.link, safe='')}"
    ET.SubElement(element, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=href)
    _text(element, "summary", entry.summary)
    sources = "".join(f"<li>{escape(_source(c))}</li>" for c in entry.sources)
    listed = f"<p>Sources:</p><ol>{sources}</ol>" if sources else ""
    content = _text(element, "content", f"<p>{escape(entry.summary)}</p>{entry.body}{listed}")
    content.set("type", "html")


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    """An element holding ``text``, every character XML cannot carry written as ``\\uXXXX``: a name the store
    holds must not make the whole feed unreadable."""
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = xml_text(text)
    return element


def _urn(key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_IDS, key)}"


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _plural(kind: NodeKind) -> str:
    """A kind of node in words, plural: "record sets", "aggregate flows"."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", kind.value).lower() + "s"
