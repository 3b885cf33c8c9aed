"""The auditor's question: where did data go from here, and how sure is each path?

From a record set (the NPD as a whole, the Learning Records Service, a linked data set), an NPD data set or an
organisation, :func:`onward_sharing` follows every path of the record's flows: a data set through each item it
holds into the releases that include that item (releases include items, not data sets), less any item a source
says a release left out (the one test, :func:`lineage.model.outranked`), and on to their recipients;
a record set to those who accessed it (live search, match and return, ...) and hold it, and into the linked data
sets derived from it; an organisation to those it shared onward with, gave
access to, or whose linked data sets use its records. Each step keeps its cited link and route; each path is as
sure as its weakest step. Beside the paths, the dated events that judged or concern any node on them (the ICO's
reprimand, an audit) and what a body on them refused to say ("was data shared further?"): asked and refused is
an answer, never an invented edge.

The walk is one chain of batched hops, a level each (one round trip on Neo4j), whatever the size of the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lineage.errors import LineageError, NotFound
from lineage.hops import Hop
from lineage.hops import Step as ChainStep
from lineage.keys import fold_name, normalise
from lineage.model import (
    CERTAINTY_WORDS,
    PASSED_ON_BY,
    REFUSED_TO_SAY,
    Certainty,
    Citation,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    ordered_citations,
    outranked,
    weakest,
)
from lineage.questions.common import (
    NPD_RECORDS,
    PUPIL_RECORDS,
    PerState,
    Related,
    chain_citations,
    follow,
    follow_chain,
    oldest_first,
    related,
)
from lineage.questions.releases import find_organisation
from lineage.questions.statements import Stated, excluded_items, stated_about, statements_about, stating
from lineage.questions.timeline import compiler_note
from lineage.store import Store, refuse_unsearchable

_E = EdgeKind
#: The deepest walk asked for, and the most paths an answer lists (it says when it lists fewer).
MAX_DEPTH = 6
MAX_PATHS = 500
#: Links a walk follows out of a node (the data go that way) and into it (the far end draws on it).
OUT = frozenset({_E.SENT_TO, _E.ACCESSED_BY, _E.HELD_BY, _E.SHARES_ONWARD, _E.HOLDS})
IN = frozenset({_E.INCLUDES, _E.DERIVED_FROM, _E.HELD_BY})
#: One level of the walk, from the far ends of the level before (a chain's step: see onward_sharing).
_ONWARD = ChainStep(outgoing=OUT, incoming=IN)
#: From the nodes on the paths: the events concerning them, the statements about them and what those mean.
_JUDGED = (ChainStep(incoming=frozenset({_E.CONCERNS})), *stating(after=(0,), place=2))
#: The kinds a walk starts from, by name.
STARTS = (NodeKind.RECORD_SET, NodeKind.DATASET)
#: The kinds a walk starts from by id: those, an organisation, and a release or data item, whose data go on. A school,
#: a statement or an import run, say, answered "no path", which reads as "nothing went anywhere".
BY_ID = (*STARTS, NodeKind.ORGANISATION, NodeKind.RELEASE, NodeKind.DATA_ITEM)
#: The route of a step whose link gives none, by the link's kind.
ROUTE_BY_KIND = {
    _E.INCLUDES: "included in a release",
    _E.DERIVED_FROM: "linkage",
    _E.SENT_TO: "release (route not stated)",
    _E.HELD_BY: "holds it",
    _E.HOLDS: "an item of it",
}
NOT_STATED = "not stated"


#: What each route gives its recipient, where it is no copy of the records: the source says searches of a live
#: system, a service built on the data, a match with what matched returned, not the records themselves.
ROUTE_WENT = {
    "live search": "searches of {records}",
    "secure access through the ONS": "secure access through the ONS to {records}",
    "match and return": "match and return against {records}",
    "linkage": "linkage with {records}",
    "service built on the data": "service built on the data of {records}",
}


def as_written(edge: Edge, name: str) -> str:
    """A flow's property in the source's words, or nothing."""
    return str(edge.props.get(name) or "")


def what_went(edge: Edge, records: str) -> str:
    """The name of what an access or onward share gave its recipient. Only an extract is a copy of the records
    (``records``: the record set, or the source's words for them); any other route is named by what the source
    says went (``what_went``: "a service built on the data of ...") or by the route ("searches of ..."), and a flow
    whose source states no route claims no copy either: the GB Group's onward share had been written as its
    recipients' copy of the LRS database, where the source says a service built on LRS data went. That route is
    said to be not stated, what the source leaves out, never "no route", which had read as a claim that none was.
    The exports and the answers' disclosures name what went by it alike."""
    route = as_written(edge, "route")
    if route == "extract":
        return records
    if edge.props.get("what_went"):
        return f"{as_written(edge, 'what_went')} of {records}"
    if route:
        return ROUTE_WENT.get(route, "{route}: {records}").format(route=route, records=records)
    return f"{records} (route {NOT_STATED} in its source)"


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a path: the node it reaches, the cited link it takes, and how the data went."""

    node: Node
    link: Edge

    @property
    def route(self) -> str:
        route = self.link.props.get("route")
        return route if isinstance(route, str) else ROUTE_BY_KIND.get(self.link.kind, NOT_STATED)


@dataclass(frozen=True, slots=True)
class OnwardPath:
    steps: tuple[Step, ...]
    ends_here: bool  # False when the depth asked stopped it with more steps beyond
    #: From a data set: the id of every item of it that goes on along the rest of the path (the first step names the
    #: first), so that a release including many of its items is one path, not one per item. Ids, not nodes: a
    #: data set's path may name hundreds, each of which a caller could otherwise ask everything of.
    items: tuple[str, ...] = ()

    @property
    def certainty(self) -> Certainty:
        """As sure as its weakest step."""
        return weakest(step.link.certainty for step in self.steps)


@dataclass(frozen=True, slots=True)
class OnwardSharing:
    start: Node
    paths: tuple[OnwardPath, ...]
    total: int  # how many paths there are (more than listed when truncated)
    truncated: bool  # fewer paths listed than there are, or a path stopped by the depth asked
    events: tuple[Related, ...]  # events concerning the start or a node on a path (oversight, agreements, ...)
    refusals: tuple[Stated, ...]  # what a body on a path was asked and refused to say
    #: why there is no path, or a kind of path is missing, where that is not "nothing went": a data set whose items
    #: the graph does not hold, or the NPD as a whole, whose releases are of its data sets
    note: str | None = None


def find_start(store: Store, name: str) -> Node:
    """A record set or NPD data set by id, name, key or its abbreviation in brackets ("LRS"), else an organisation
    by name or variant; by id, a release or data item too (:data:`BY_ID`), whose data go on, and nothing else; a
    name refused as search text is refused as such (RefusedText)."""
    if ":" in name and (node := store.get_node(name)) is not None:
        if node.kind not in BY_ID:
            kinds = ", ".join(kind.value for kind in BY_ID)
            raise LineageError(f"a walk starts from a {kinds}; {name} is a {node.kind.value}, from which no data go")
        return node
    refuse_unsearchable(name)  # before the name is read, whatever its length
    wanted = {fold_name(name), normalise(name)} - {""}
    if wanted:
        found = store.search(name, STARTS, limit=100).items
        for candidate in found:
            abbreviation = candidate.name.rpartition("(")[2].rstrip(")") if candidate.name.endswith(")") else ""
            names = {
                fold_name(candidate.name),
                fold_name(candidate.key),
                normalise(candidate.name),
                fold_name(abbreviation),
            }
            if wanted & names:
                return candidate
        # a data set by its table's name without its years ("KS2" for "KS2 95-96 to 17-18") or by its title ("Key
        # Stage 2"), where one data set has it
        stems = [c for c in found if c.kind is NodeKind.DATASET and wanted & _short_names(c)]
        if len(stems) == 1:
            return stems[0]
        if stems:
            named = "; ".join(sorted(c.name for c in stems))
            raise LineageError(f"{name!r} names several NPD data sets ({named}): ask for one of them by its name")
    try:
        return find_organisation(store, name)
    except NotFound:
        raise NotFound(f"no record set, data set or organisation is named {name!r}") from None


#: Why a data set the graph holds no item of has no path: not that its data went nowhere.
EMPTY_DATASET = (
    "the graph holds no item of this data set (the dictionary may list its items under another of its tables), so "
    "no path through its items can be drawn: this is not an answer that its data went nowhere"
)
#: Why the NPD as a whole leads to no release: a release is joined to the data sets and items its sources name (one
#: whose items are not published, to none), never to the NPD as a whole; its paths are who holds it, was given
#: access to it or linked with it. Without this, three paths read as "it went to three places".
NPD_AS_A_WHOLE = (
    "the releases of NPD data to third parties are not on these paths: the graph joins a release to the data sets "
    "and items its sources name (one whose items are not published, to none), not to the NPD as a whole, so ask "
    "from a data set (KS4, Key Stage 2), a release or a recipient; these paths are what the record says of the NPD "
    "itself: who holds it, who was given access to it, what was linked with it"
)
#: The years a data set's name ends with ("95-96 to 17-18", "05-06 to 17-18 SUM"), which its table's name is without.
_YEARS = re.compile(r"\s+\d{2}-\d{2}(\s+to\s+\d{2}-\d{2})?(\s+\w+)?$")


def _short_names(dataset: Node) -> set[str]:
    """A data set's table name without its years, and its title, folded."""
    return {fold_name(_YEARS.sub("", dataset.name)), fold_name(str(dataset.props.get("title") or ""))} - {""}


def onward_sharing(store: Store, name: str, depth: int = 3) -> OnwardSharing:
    """Every path from the named record set, data set or organisation through releases, access and onward shares,
    at most ``depth`` steps long, each with its weakest certainty; the events and refusals along them."""
    if not 1 <= depth <= MAX_DEPTH:
        raise LineageError(f"depth must be from 1 to {MAX_DEPTH}, not {depth}")
    start = find_start(store, name)
    # each level's links from every far end of the level before (a path's ends among them), and one level past the
    # last, to say whether paths go on: one chain, one round trip on Neo4j
    levels = follow_chain(store, [start.id], [_ONWARD._replace(after=(level,)) for level in range(depth + 1)])
    paths: list[tuple[Step, ...]] = [()]
    finished: list[OnwardPath] = []
    cut = False
    for level in range(depth):
        around = levels[level]
        grown: list[tuple[Step, ...]] = []
        for path in paths:
            here = path[-1].node.id if path else start.id
            seen = {start.id, *(step.node.id for step in path)}
            steps = [
                Step(h.node, h.edge)
                for h in around.get(here, [])
                if h.node.id not in seen and _leads_on(path, h.edge, here)
            ]
            if path and _at_holder(path[-1]):
                steps = []  # the record says who holds the records, not what the holder did with them
            if not steps and path and path[-1].link.kind is not _E.HOLDS:  # an item no release took is no flow
                finished.append(OnwardPath(path, ends_here=True))
            grown += [(*path, step) for step in steps]
        paths = grown
        if level == depth - 1:
            beyond = levels[depth]
            for path in paths:
                seen = {start.id, *(step.node.id for step in path)}
                more = not _at_holder(path[-1]) and any(
                    h.node.id not in seen and _leads_on(path, h.edge, h.near) for h in beyond.get(path[-1].node.id, [])
                )
                if more or path[-1].link.kind is not _E.HOLDS:
                    finished.append(OnwardPath(path, ends_here=not more))
        if cut := len(finished) + len(paths) > MAX_PATHS * 4:
            break  # a safety bound: the answer says it is cut
    finished = _less_exclusions(store, finished)
    finished.sort(key=lambda p: tuple(step.node.id for step in p.steps))
    if start.kind is NodeKind.DATASET:
        finished = _by_item(finished)
    # what judged a holder judged more than these records: a holder's events are not listed for its holding alone
    on_paths = {start.id: start} | {
        step.node.id: step.node for path in finished for step in path.steps if not _at_holder(step)
    }
    concerning, about, stated = follow_chain(store, sorted(on_paths), _JUDGED)
    holds_nothing = start.kind is NodeKind.DATASET and not any(
        h.edge.kind is _E.HOLDS for h in levels[0].get(start.id, [])
    )
    return OnwardSharing(
        start,
        tuple(finished[:MAX_PATHS]),
        len(finished),
        cut or len(finished) > MAX_PATHS or any(not p.ends_here for p in finished),
        _events(concerning),
        _refusals([on_paths[id_] for id_ in sorted(on_paths)], about, stated),
        EMPTY_DATASET if holds_nothing and not finished else NPD_AS_A_WHOLE if start.id == NPD_RECORDS else None,
    )


def _less_exclusions(store: Store, paths: list[OnwardPath]) -> list[OnwardPath]:
    """The paths less those through an inclusion a source's statement outranks (lineage.model.outranked)."""
    into = {step.node.id: step.node for path in paths for step in path.steps if step.link.kind is _E.INCLUDES}
    if not into:
        return paths
    stated = statements_about(store, list(into.values()))
    included = list(
        store.get_nodes({s.link.target for p in paths for s in p.steps if s.link.kind is _E.INCLUDES}).values()
    )
    excluded = {release: excluded_items(said, included) for release, said in stated.items()}
    return [
        path
        for path in paths
        if not any(
            step.link.kind is _E.INCLUDES and outranked(step.link, excluded.get(step.node.id, ()))
            for step in path.steps
        )
    ]


def _by_item(paths: list[OnwardPath]) -> list[OnwardPath]:
    """A data set's paths that differ only in the item they go through (and so in the link from it to the release
    including it, each as sure as the others), as one path naming each item, in order; a path through no item (a
    release including the data set itself) stays as it is."""
    grouped: dict[tuple[object, ...], list[OnwardPath]] = {}
    whole: list[OnwardPath] = []
    for path in paths:
        first, *rest = path.steps
        if first.link.kind is not _E.HOLDS:
            whole.append(path)
            continue
        into = [(step.node.id, step.link.kind, step.link.certainty) for step in rest[:1]]
        grouped.setdefault((*into, *(step.link.id for step in rest[1:])), []).append(path)
    through = [replace(same[0], items=tuple(p.steps[0].node.id for p in same)) for same in grouped.values()]
    return sorted([*whole, *through], key=lambda p: tuple(step.node.id for step in p.steps[1:]))


def _onward(edge: Edge, here: str) -> bool:
    """Whether a link leads on from ``here``: out along the data's way, or into what draws on it; a holding both
    ways (records to their holder, a holder to the records it holds)."""
    return edge.kind is _E.HELD_BY or (edge.source == here) == (edge.kind in OUT)


def _leads_on(path: tuple[Step, ...], edge: Edge, here: str) -> bool:
    """Whether a path at ``here`` goes on along ``edge``: onward (see _onward), not to a co-holder, and, through an
    organisation it reached (not one it started from), only by what that organisation passed on (PASSED_ON_BY, as
    the lineage walk goes): a release to DWP had led on to LEO, derived from DWP's own records, and its partners."""
    through = path[-1].node.kind if path else None
    if through in PASSED_ON_BY and edge.kind not in PASSED_ON_BY[through]:
        return False
    return _onward(edge, here) and not (path and _co_holder(path[-1], edge))


def _co_holder(step: Step, edge: Edge) -> bool:
    """A holding after a step from a holder to the records it holds: another holder of those records holds them
    beside it, which says nothing of the first holder's data going to it (HMRC and Jisc, both LEO's partners)."""
    return edge.kind is _E.HELD_BY and step.link.kind is _E.HELD_BY and step.node.kind is not NodeKind.ORGANISATION


def _at_holder(step: Step) -> bool:
    """A step from records to a body holding them: the record says who holds them, not what it did with them."""
    return step.link.kind is _E.HELD_BY and step.node.kind is NodeKind.ORGANISATION


def _events(concerning: dict[str, list[Hop]]) -> tuple[Related, ...]:
    found = {h.node.id: Related(h.node, h.edge) for id_ in sorted(concerning) for h in concerning[id_]}
    return tuple(sorted(found.values(), key=lambda r: oldest_first(r.node)))


def _refusals(nodes: list[Node], about: dict[str, list[Hop]], stated: dict[str, list[Hop]]) -> tuple[Stated, ...]:
    organisations = {node.id: node for node in nodes if node.kind is NodeKind.ORGANISATION}
    said = stated_about(organisations, about, stated)
    return tuple(s for id_ in organisations for s in said.get(id_, ()) if s.kind == REFUSED_TO_SAY)


LINKED = "linked data set"


@dataclass(frozen=True, slots=True)
class LinkedHolding:
    """A body holding (or party to) a linked data set derived from the NPD or from records DfE sends: it may hold
    any NPD item, or not; the record gives the linked set's items only where a source states them. Never a
    receipt."""

    record_set: Node
    organisation: Node
    held: Edge  # the HELD_BY link
    derived: tuple[Edge, ...]  # the DERIVED_FROM links to the NPD or DfE
    #: what else the set is derived from, each DERIVED_FROM link cited with the source's words (PPMD's "data from
    #: His Majesty's Revenue and Customs (HMRC) which is held by DWP"; the MoJ-DfE set's Police National Computer)
    drawn_from: tuple[Related, ...] = ()

    @property
    def _links(self) -> tuple[Edge, ...]:
        """What the holding rests on: its HELD_BY link and the links of what the set is derived from."""
        return (self.held, *self.derived, *(r.link for r in self.drawn_from))

    @property
    def _size(self) -> str:
        """The set's size as its source gives it, with what it counts (the MoJ-DfE set's "PNC 1.65 million; NPD 15
        million records"; LEO's "around 39 million individuals (as of April 2022)"), or nothing."""
        size, unit = self.record_set.props.get("size_as_written"), self.record_set.props.get("size_unit")
        return f"{size} {unit}" if size and unit else str(size or "")

    @property
    def _sized(self) -> tuple[Node, ...]:
        """The set itself, where its line gives its size: what it rests on then."""
        return (self.record_set,) if self._size else ()

    @property
    def certainty(self) -> Certainty:
        return weakest([*(edge.certainty for edge in self._links), *(node.certainty for node in self._sized)])

    @property
    def text(self) -> str:
        """The holding in words a reader quotes (the letter and /reach alike): the set, the body, its part in it
        as a source gives it, what was sent to it where the source says (LEO's identifiers, to DWP), the compiler's
        notes on it (the MoJ-DfE set's "NPD covers children born after 31 August 1985, England only": the letter had
        said the record does not say whose records are in it), what else the set draws on (PPMD's HMRC data,
        held by DWP, which the line had left out, naming DWP alone), and its size where its source gives one (the
        MoJ-DfE line gave the PNC's 1.65 million records, as the set draws on them, and not the NPD's 15 million).
        What the set draws on from the body itself is not said again where its part says it in the source's words
        (LEO's DWP line had named DWP and its Customer Information System twice)."""
        items = self.held.props.get("items_as_written")
        said = f" ({items}, as the source gives them)" if items else ""
        role = str(self.held.props.get("role") or "holds it")
        also = ""
        for r in self.drawn_from:
            words = str(r.link.props.get("as_written") or "")
            if r.node.id != self.organisation.id or not words or words not in role:
                worded = f" (as the source words it: {words})" if words else ""
                also += f"; the set also draws on {r.node.name}{worded}"
        size = f"; the set's size, as its source gives it: {self._size}" if self._size else ""
        return f"{self.record_set.name}: {self.organisation.name}, {role}{said}{compiler_note(self.held)}{also}{size}"

    @property
    def certainty_words(self) -> str:
        return CERTAINTY_WORDS[self.certainty.level]

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The sources of the holding, of what the set is derived from and of its size, in the one citation order."""
        sized = (c for node in self._sized for c in ordered_citations(node.citations))
        return tuple(dict.fromkeys((*chain_citations(self._links), *sized)))


@PerState
def linked_holdings(store: Store) -> tuple[LinkedHolding, ...]:
    """Every body other than DfE holding a linked data set derived from pupil records (:data:`PUPIL_RECORDS`),
    by record set and body: one lookup and one expansion, once per state of the store."""
    linked = store.find_nodes(NodeKind.RECORD_SET, "system", [LINKED])
    around = follow(store, [node.id for node in linked], outgoing=[_E.DERIVED_FROM, _E.HELD_BY])
    found = []
    for node in sorted(linked, key=lambda n: n.id):
        hops = around.get(node.id, [])
        derived = tuple(h.edge for h in hops if h.edge.kind is _E.DERIVED_FROM and h.node.id in PUPIL_RECORDS)
        drawn = related([h for h in hops if h.node.id not in PUPIL_RECORDS], [_E.DERIVED_FROM])
        if derived:
            found += [
                LinkedHolding(node, h.node, h.edge, derived, drawn)
                for h in hops
                if h.edge.kind is _E.HELD_BY and h.node.id not in PUPIL_RECORDS
            ]
    return tuple(found)


__all__ = [
    "ROUTE_WENT",
    "LinkedHolding",
    "OnwardPath",
    "OnwardSharing",
    "Step",
    "as_written",
    "find_start",
    "linked_holdings",
    "onward_sharing",
    "what_went",
]
