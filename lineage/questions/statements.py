"""What the record says, statement by statement: each source's words about a release, an application or an
organisation, what they are taken to mean, and what contradicts them.

A ``not_released`` or ``requested_then_excluded`` statement outranks the tier rule for the items it reaches
(:data:`EXCLUDING`); a refused application's items are :data:`REFUSED`; the items a statement says went
(:data:`RECEIVED`) are receipts; an organisation asking DfE to match pupils says so by :data:`MATCHING`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from lineage.hops import Hop, Step
from lineage.model import (
    STATEMENT_KINDS,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    gives_way_to_exclusion,
    item_dataset,
    ordered_citations,
)
from lineage.questions.common import Related, follow_chain, quoted, related
from lineage.questions.timeline import compiler_note
from lineage.store import Store

_E = EdgeKind

#: Statements saying items did not go with a release: they outrank the tier rule for those items.
EXCLUDING = frozenset({"not_released", "requested_then_excluded"})
#: Statements saying items were asked for and not given.
REFUSED = frozenset({"requested_application_rejected"})
#: Statements saying items went to the recipient: released to it, returned to it on a match, or (its own words)
#: used by it.
RECEIVED = frozenset({"released", "returned_on_match", "recipient_describes_its_use"})
#: Statements saying an organisation asks DfE about pupils: what it sends to be matched, a match flag, what DfE
#: returns on a match.
MATCHING = frozenset({"matching_input_to_dfe", "match_flag_only", "returned_on_match"})


def statement_words(statement: Node, items: str | None = None) -> str:
    """What a statement says, in words a reader quotes: its kind, then its words (:func:`quoted_words`)."""
    kind = str(statement.props.get("statement") or "")
    said, words = STATEMENT_KINDS.get(kind, kind.replace("_", " ")), quoted_words(statement, items)
    return said + (f": {words}" if words else "")


def quoted_words(statement: Node, items: str | None = None) -> str:
    """A statement's items (``items``, where several statements of one quote are said together) and quote in its
    source's words, the years it gives where its quote does not (the Telegraph's "2008-2012", from the same page),
    and what another copy of its source reads instead."""
    props = statement.props
    quote, other = str(props.get("quote") or ""), str(props.get("another_copy_reads") or "")
    years = str(props.get("years_as_written") or "")
    items = str(props.get("items_as_written") or "") if items is None else items
    said = ": ".join(part for part in (items, quoted(quote) if quote else "") if part)
    if years and years.casefold() not in quote.casefold():
        said += f" (years, as the source gives them: {years})"
    return said + (f" (another copy of its source reads {quoted(other)})" if other else "")


def source_says(statement: Node, items: str | None = None, of: str = "") -> str:
    """A statement as a reader quotes it: the kind of source saying it (``of`` whom, where that needs saying), then
    what it says (:func:`statement_words`)."""
    source = str(statement.props.get("source_kind") or "a source")
    return f"{source} says{of}: {statement_words(statement, items)}"


#: What a statement another cited source disagrees with says after its words, wherever it is quoted.
DISPUTED = " (contested: another cited source disagrees)"


@dataclass(frozen=True, slots=True)
class Stated:
    """One source's statement about a release, an application or an organisation, in its own words, with
    what its words are taken to mean (concepts, items, data sets, each by a named rule) and the data items
    that reaches, and any statement that contradicts it."""

    statement: Node
    about: Related  # the release, application or organisation, and the ABOUT link
    means: tuple[Related, ...]
    reaches: tuple[tuple[Node, Edge], ...]  # each data item meant, and the REFERS_TO link that reaches it
    contradicted_by: tuple[Related, ...]

    @property
    def kind(self) -> str:
        return str(self.statement.props.get("statement", ""))

    @property
    def items(self) -> tuple[Node, ...]:
        return tuple(item for item, _ in self.reaches)

    @property
    def contested(self) -> bool:
        """Another cited source disagrees with it."""
        return bool(self.contradicted_by)

    @property
    def as_of(self) -> str | None:
        """When a statement about a body was made, as its source dates it (a written answer by the day it was
        answered): it says what held then, not for ever. None for one about a release or an application, which
        that dates, or where its source gives no date."""
        if self.about.node.kind is not NodeKind.ORGANISATION:
            return None
        when = self.statement.props.get("latest_date") or self.statement.props.get("date_as_cited")
        return str(when) if when else None

    @property
    def subject(self) -> str:
        """Whom or what it is about, as a reader names it: bodies in the source's own words where it gives them (one
        statement about the "Home Office and police", listed once, had named the Home Office alone), else the name."""
        written = self.statement.props.get("organisation_as_written")
        if self.about.node.kind is NodeKind.ORGANISATION and isinstance(written, str) and written.strip():
            return written
        return self.about.node.name

    def link_to(self, item: Node) -> Edge:
        """The REFERS_TO link by which the statement reaches the item."""
        return next(link for reached, link in self.reaches if reached.id == item.id)


def said_by_sources(stated: Iterable[Stated], of_recipient: bool = False) -> tuple[str, ...]:
    """What sources say, as a reader quotes it: per quote, the kind of source saying it, of whom where it is said of
    a recipient naming no release, the items it names together, its words, each distinct note of its rows as a line
    of its own gives them (compiler_note: the Cabinet Office's extraction, row 32, "link to held Cabinet Office
    entries ... NOT established"), and whether another cited source disagrees (quoting one side alone would state as
    settled what the record holds as disputed). A quote naming five items is five statements in the graph, one per
    item; quoted once each, it had filled a letter five times."""
    by_quote: dict[tuple[str, str, str, bool, str], list[Stated]] = {}
    for one in stated:
        props = one.statement.props
        source, words = str(props.get("source_kind") or "a source"), str(props.get("quote") or one.statement.id)
        by_quote.setdefault((source, one.kind, words, one.contested, one.about.node.id), []).append(one)
    said = []
    for (_, _, _, contested, _), same in by_quote.items():
        first = same[0]
        of = f" of {first.about.node.name}, naming no release" if of_recipient else ""
        named = (str(s.statement.props.get("items_as_written") or "") for s in same)
        items = "; ".join(dict.fromkeys(name for name in named if name))
        notes = "".join(dict.fromkeys(compiler_note(s.statement) for s in same))
        said.append(source_says(first.statement, items, of) + notes + (DISPUTED if contested else ""))
    return tuple(said)


def statements_about(store: Store, nodes: Collection[Node]) -> dict[str, list[Stated]]:
    """The statements about each of these nodes, by node id: one chain of two batched hops, whatever their number.
    What a statement's words reach was settled when it was imported (the items, within the data sets named, in
    the NPD by its date: see ``importers/scope.py``)."""
    targets = {node.id: node for node in nodes}
    about, around = follow_chain(store, list(targets), stating(after=(0,), place=1))
    return stated_about(targets, about, around)


def stating(after: tuple[int, ...], place: int) -> tuple[Step, Step]:
    """The two steps of a chain (Store.chain) to the statements about the far ends of the steps ``after``, then
    to what those statements mean and what contradicts them, the first being step ``place`` of the chain: so a
    question asks for statements in the same round trip as what they are about."""
    return (
        Step(incoming=frozenset({_E.ABOUT}), after=after),
        Step(outgoing=frozenset({_E.REFERS_TO, _E.CONTRADICTS}), incoming=frozenset({_E.CONTRADICTS}), after=(place,)),
    )


def stated_about(
    targets: Mapping[str, Node], about: Mapping[str, list[Hop]], around: Mapping[str, list[Hop]]
) -> dict[str, list[Stated]]:
    """The statements about each of ``targets``, by id, from the hops of :func:`stating`'s two steps, each target's
    in its sources' row order (:func:`in_row_order`)."""
    answers: dict[str, list[Stated]] = {}
    for target, node in targets.items():
        for hop in sorted(about.get(target, ()), key=lambda hop: in_row_order(hop.node)):
            near = around.get(hop.node.id, [])
            means = related(near, [_E.REFERS_TO])
            items = tuple((m.node, m.link) for m in means if m.node.kind is NodeKind.DATA_ITEM)
            contradicted = related(near, [_E.CONTRADICTS])
            answers.setdefault(target, []).append(Stated(hop.node, Related(node, hop.edge), means, items, contradicted))
    return answers


def in_row_order(statement: Node) -> tuple[tuple[str, int], ...]:
    """Where a statement's rows stand in its sources, file then row number, its source's row first (as citations are
    listed, ordered_citations): the rows sharing one quote are said in the order their source gives them ("SEN
    status indicator, Free School Meals indicator, Language, Ethnicity"), where the graph's order, which no source
    gives, had put Ethnicity first and the notes of the last row before the first's."""
    return tuple((c.file, c.row or 0) for c in ordered_citations(statement.citations))


def exclusions(stated: Iterable[Stated], included: Iterable[Node] = ()) -> Iterator[tuple[Node, Node]]:
    """Each item the statements about one release exclude, with each statement excluding it: by its words
    (:data:`EXCLUDING`), or, of ``included`` (what it includes, as asked), by the years or data sets one gives the
    release's data (:class:`_Bounds`, read once for the release)."""
    stated = list(stated)
    for s in stated:
        if s.kind in EXCLUDING:
            yield from ((item, s.statement) for item in s.items)
    bounds = _Bounds.of(stated)
    for item in included:
        yield from ((item, statement) for statement in bounds.outside(item))


def excluded_items(stated: Iterable[Stated], items: Iterable[Node] = ()) -> set[str]:
    """The ids of the items the statements about one release exclude (:func:`exclusions`)."""
    return {item.id for item, _ in exclusions(stated, items)}


def stated_years(stated: Iterable[Stated]) -> tuple[int, int] | None:
    """The academic years (by the years they start) a source says one release's data are of (statement_years.csv:
    the Telegraph's "5 years worth of data (2008-2012)", 2007 to 2011), by what went (:data:`RECEIVED`: not the
    years of what did not); where several do, the widest they say together; None where none does."""
    said = [years for s in stated if s.kind in RECEIVED and (years := _years(s.statement))]
    return (min(b for b, _ in said), max(e for _, e in said)) if said else None


def _years(statement: Node) -> tuple[int, int] | None:
    begin, end = statement.props.get("years_begin"), statement.props.get("years_end")
    return (begin, end) if isinstance(begin, int) and isinstance(end, int) else None


@dataclass(frozen=True, slots=True)
class _Bounds:
    """What the statements about one release say its data are of, so that no rule reaches an item outside it: the
    years they give (stated_years; the Telegraph's 2007/08 to 2011/12) and the data sets they name
    (``datasets_read``, together; its "census data for KS2, KS4 and KS5 datasets"), each with the statements giving
    it. Only statements about the release bound it: one about its recipient names no release's scope."""

    years: tuple[int, int] | None = None
    by_years: tuple[Node, ...] = ()
    datasets: frozenset[str] = frozenset()
    by_datasets: tuple[Node, ...] = ()

    @classmethod
    def of(cls, stated: Iterable[Stated]) -> _Bounds:
        received = [s for s in stated if s.kind in RECEIVED and s.about.node.kind is NodeKind.RELEASE]
        named = [s.statement for s in received if s.statement.strings("datasets_read")]
        return cls(
            stated_years(received),
            tuple(s.statement for s in received if _years(s.statement)),
            frozenset(d for statement in named for d in statement.strings("datasets_read")),
            tuple(named),
        )

    def outside(self, item: Node) -> tuple[Node, ...]:
        """The statements ``item`` falls outside: populated in none of the years (KS4_REFUGEE, 2001/02 to 2004/05),
        or held in none of the data sets (the alternative provision census's ethnicity). An item whose first year
        the dictionary does not give is not bounded by years; one no data set may hold is not bounded by them."""
        found: list[Node] = []
        first, last = item.props.get("first_year"), item.props.get("last_year")
        if self.years is not None and isinstance(first, int):
            begin, end = self.years
            if first > end or (isinstance(last, int) and last < begin):
                found += self.by_years
        # an unplaced item may be in any of the data sets its rule reads (none known: no bound)
        placed = item_dataset(item)
        held_in = (placed,) if placed else item.strings("datasets_possible")
        if self.datasets and held_in and not self.datasets.intersection(held_in):
            found += [statement for statement in self.by_datasets if statement not in found]
        return tuple(found)


def as_answered(stated: Iterable[Stated]) -> tuple[Stated, ...]:
    """The statements about one release as an answer lists them: less each link by which one saying items went
    reaches an item another excludes, where it gives way (outranked_meanings): the campaigner's "Ethnicity" for the
    Telegraph does not list children-in-need ethnicity, which DfE's answer rules out."""
    stated = tuple(stated)
    outranked = outranked_meanings(stated)
    if not outranked:
        return stated
    return tuple(
        replace(
            s,
            means=tuple(m for m in s.means if m.link.id not in outranked),
            reaches=tuple((item, link) for item, link in s.reaches if link.id not in outranked),
        )
        for s in stated
    )


def outranked_meanings(stated: Iterable[Stated]) -> dict[str, tuple[str, ...]]:
    """Of the statements about one release: each link by which one saying items went reaches an item another
    excludes, where the first gives way (gives_way_to_exclusion: a campaigner's account does, DfE's own word does
    not), by link id, with the ids of the statements excluding the item. No answer lists such a receipt
    (recipients_of_item drops it by the same test); the exports and the claims ledger say what outranks the link."""
    stated = list(stated)
    excluding: dict[str, set[str]] = {}
    # what each statement saying items went reaches, against every exclusion of the release (words and bounds)
    for item, by in exclusions(stated, (item for s in stated if s.kind in RECEIVED for item in s.items)):
        excluding.setdefault(item.id, set()).add(by.id)
    return {
        link.id: tuple(sorted(excluding[item.id]))
        for s in stated
        if s.kind in RECEIVED and gives_way_to_exclusion(s.statement.certainty)
        for item, link in s.reaches
        if item.id in excluding
    }
