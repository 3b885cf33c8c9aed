"""What every family of questions shares: one batched hop, item lookup, related nodes, values kept per
state of the store, and dates.

Each question asks the store a fixed, small number of batched calls (:func:`follow`, and :func:`follow_chain`
for hops that start where others end), whatever the size of the answer; what a question derives from the whole
graph is kept per state of the store (:class:`PerState`).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import weakref
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, ParamSpec, TypeVar

from lineage.cache import Kept
from lineage.errors import LineageError, NotFound, RefusedText
from lineage.hops import Hop, Step
from lineage.model import Citation, Edge, EdgeKind, Node, NodeKind, Scalar, ordered_citations
from lineage.store import Store

#: The rules a question may name when it infers a step.
RULE_DATASET_SCOPE = "item-in-released-dataset"
RULE_ONWARD = "onward-sharing"
RULE_PUPIL_YEARS = "pupil-years-in-coverage"
_E = EdgeKind
T = TypeVar("T")
P = ParamSpec("P")
#: The version each store was found at, for the question under way (see at_one_state); None outside one.
_PINNED: contextvars.ContextVar[dict[int, Hashable] | None] = contextvars.ContextVar("lineage_pinned", default=None)


def quoted(words: object) -> str:
    """Words as their source gives them, in the curly quotes every answer quotes with."""
    return f"\u201c{words}\u201d"


def at_one_state(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)``, with every value kept per state (:class:`PerState`) that it consults checked
    against one reading of each store's version, taken at the first: a question that consults several asks
    the store its version once, not once each (on Neo4j a round trip each). A write by another process while
    the question runs is then seen by the next question, as one landing just after it would be."""
    token = _PINNED.set({})
    try:
        return fn(*args, **kwargs)
    finally:
        _PINNED.reset(token)


def _version(store: Store) -> Hashable:
    pinned = _PINNED.get()
    if pinned is None:
        return store.version()
    if id(store) not in pinned:
        pinned[id(store)] = store.version()
    return pinned[id(store)]


def follow(
    store: Store, ids: Collection[str], outgoing: Collection[EdgeKind] = (), incoming: Collection[EdgeKind] = ()
) -> dict[str, list[Hop]]:
    """One batched expansion, grouped by the node it starts from."""
    if not ids:
        return {}
    return _grouped(store.expand(ids, frozenset(outgoing), frozenset(incoming)))


def follow_chain(store: Store, ids: Collection[str], steps: Sequence[Step]) -> list[dict[str, list[Hop]]]:
    """A chain of dependent batched hops (Store.chain: one round trip on Neo4j), each step's hops grouped as
    :func:`follow` groups them."""
    if not ids:
        return [{} for _ in steps]
    return [_grouped(hops) for hops in store.chain(ids, steps)]


def _grouped(hops: Iterable[Hop]) -> dict[str, list[Hop]]:
    """Hops by the node they start from, each node's by far node, then edge."""
    grouped: dict[str, list[Hop]] = defaultdict(list)
    for hop in hops:
        grouped[hop.near].append(hop)
    for near in grouped.values():
        near.sort(key=lambda hop: (hop.node.id, hop.edge.id))
    return grouped


#: Pupil records as the record names them: the NPD's, or DfE's where a source names no records. What a linked data
#: set draws on, or a body was given access to, for either to be said to be of pupil records.
NPD_RECORDS = "RecordSet:National Pupil Database (NPD)"
PUPIL_RECORDS = frozenset({NPD_RECORDS, "Organisation:department for education"})


def searched(store: Store, text: str, kind: NodeKind) -> tuple[Node, ...]:
    """What a search finds of one kind, to match another case or spacing against; nothing where the text is not
    one a search takes (no letter or digit, too long): the look-up then says it found nothing, as it did."""
    try:
        return store.search(text, kinds=[kind], limit=50).items
    except RefusedText:
        return ()


def find_items(store: Store, alias: str) -> list[Node]:
    """The items with this alias, as the dictionary writes it or with other spaces around it or in another case
    (" ks4_fsm", pasted): none is refused as not found."""
    asked = alias.strip()
    items = store.find_nodes(NodeKind.DATA_ITEM, "alias", [asked]) if asked else []
    if not items and asked:
        items = [node for node in searched(store, asked, NodeKind.DATA_ITEM)
                 if str(node.props.get("alias", "")).casefold() == asked.casefold()]  # fmt: skip
    if not items:
        raise NotFound(f"no NPD data item has the alias {alias!r}")
    return items


class AskedYears:
    """An answer about the academic years asked (``years``, first and last), which readers name one by one."""

    __slots__ = ()
    years: tuple[int, int]

    @property
    def from_year(self) -> int:
        return self.years[0]

    @property
    def to_year(self) -> int:
        return self.years[1]


@dataclass(frozen=True, slots=True)
class Related:
    """A node next to the one asked about, with the link that relates them."""

    node: Node
    link: Edge


def chain_citations(chain: Iterable[Edge]) -> tuple[Citation, ...]:
    """Every source along a chain of links, each once, in the order the chain first cites it.

    >>> register, letter = Citation("DfE register", "2017.xlsx", 4), Citation("FOI answer", "letter.pdf")
    >>> chain = [Edge("Release:A", EdgeKind.SENT_TO, "Organisation:x", citations=frozenset({register, letter})),
    ...          Edge("Organisation:x", EdgeKind.SHARES_ONWARD, "Organisation:y", citations=frozenset({register}))]
    >>> [c.document for c in chain_citations(chain)]
    ['DfE register', 'FOI answer']
    """
    return tuple(dict.fromkeys(citation for edge in chain for citation in ordered_citations(edge.citations)))


def related(hops: Iterable[Hop], kinds: Collection[EdgeKind]) -> tuple[Related, ...]:
    return tuple(Related(hop.node, hop.edge) for hop in hops if hop.edge.kind in kinds)


#: States (a store at one version) whose derived values each PerState keeps at once: a process may serve
#: several stores (the tests do), and a state just left is dropped once this many newer ones are asked about.
STATES_KEPT = 4


class PerState(Generic[T]):
    """A value derived from the whole of a store (and the arguments after it), computed once per state of
    the store (its version). A caller arriving while it is computed waits for that answer rather than
    compute it again. At most ``keep`` argument sets are kept per state, the least recently asked going
    first; a store is known by a weak reference, so a closed store is not kept alive."""

    def __init__(self, compute: Callable[..., T], keep: int = 1) -> None:
        self._compute = compute
        self._keep = keep
        self._states: Kept[tuple[weakref.ref[Store], Hashable], Kept[tuple[Hashable, ...], T]] = Kept(STATES_KEPT)

    def __call__(self, store: Store, *args: Hashable) -> T:
        values = self._states.get_or_compute((weakref.ref(store), _version(store)), lambda: Kept(self._keep))
        return values.get_or_compute(args, lambda: self._compute(store, *args))


def amount_as_cited(link: Edge) -> str:
    """How much a flow of records carried, as its source gives it: the value and its unit ("22,000 learners")."""
    return " ".join(str(link.props[name]) for name in ("value_text", "unit") if link.props.get(name))


def check_period(start: dt.date | None, end: dt.date | None) -> None:
    """One rule for periods everywhere: a period that ends before it starts is refused, never answered empty.

    >>> check_period(dt.date(2015, 1, 1), None)  # an open end is a period
    >>> check_period(dt.date(2015, 1, 1), dt.date(2014, 12, 31))
    Traceback (most recent call last):
    lineage.errors.LineageError: the period's start 2015-01-01 is after its end 2014-12-31
    """
    if start is not None and end is not None and start > end:
        raise LineageError(f"the period's start {start} is after its end {end}")


def check_known(what: str, asked: Iterable[Scalar], known: Collection[Scalar]) -> None:
    """One rule for filter values everywhere: one the model does not know is refused, naming those it does, never
    answered empty (a mistyped "Government department" answered that no release went to any).

    >>> check_known("sensitivity", ["B"], "ABCDE")
    >>> check_known("sensitivity", ["b"], "ABCDE")
    Traceback (most recent call last):
    lineage.errors.LineageError: no sensitivity 'b': one of A, B, C, D, E
    """
    unknown = [value for value in dict.fromkeys(asked) if value not in known]
    if unknown:
        raise LineageError(f"no {what} {', '.join(map(repr, unknown))}: one of {', '.join(map(str, known))}")


def dated_order(node: Node) -> tuple[dt.date, str]:
    """Dated first, by date; then the rest by id."""
    date = node.props.get("date")
    return (date if isinstance(date, dt.date) else dt.date.max, node.id)


def tier_items(store: Store, tiers: Sequence[str]) -> list[tuple[Node, list[Node]]]:
    """Every data item of these old tiers (``"1"``, ``"2"``), each with the data sets holding it, by which its
    availability on a day is read (lineage.model.available_by): what the tier rule reaches, or leaves out as late."""
    found = store.find_nodes(NodeKind.DATA_ITEM, "old_tier", [int(tier) for tier in tiers])
    held = follow(store, [item.id for item in found], incoming=[EdgeKind.HOLDS])
    return [(item, [hop.node for hop in held.get(item.id, [])]) for item in found]


def oldest_first(fact: Node | Edge) -> tuple[dt.date, str]:
    """A node or link by the first day it is known to hold, undated last; then by id."""
    return (fact.validity.valid_from or dt.date.max, fact.id)


def dated_within(release: Node, start: dt.date | None, end: dt.date | None) -> bool:
    date = release.props.get("date")
    if not isinstance(date, dt.date):
        return start is None and end is None
    return (start is None or start <= date) and (end is None or date <= end)


def overlaps_period(node: Node | Edge, start: dt.date | None, end: dt.date | None) -> bool:
    lo, hi = node.validity.valid_from, node.validity.valid_to
    return (end is None or lo is None or lo <= end) and (start is None or hi is None or start <= hi)
