"""What every family of questions shares: one batched hop, item lookup, related nodes, values kept per
state of the store, and dates.

Each question asks the store a fixed, small number of batched calls (:func:`follow`), whatever the size of
the answer; what a question derives from the whole graph is kept per state of the store (:class:`PerState`).
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from lineage.errors import LineageError, NotFound
from lineage.model import Edge, EdgeKind, Node, NodeKind
from lineage.store import Hop, Store

#: The rules a question may name when it infers a step.
RULE_DATASET_SCOPE = "item-in-released-dataset"
RULE_ONWARD = "onward-sharing"
RULE_PUPIL_YEARS = "pupil-years-in-coverage"
_E = EdgeKind
T = TypeVar("T")


def follow(
    store: Store, ids: Collection[str], outgoing: Collection[EdgeKind] = (), incoming: Collection[EdgeKind] = ()
) -> dict[str, list[Hop]]:
    """One batched expansion, grouped by the node it starts from."""
    if not ids:
        return {}
    grouped: dict[str, list[Hop]] = defaultdict(list)
    for hop in store.expand(ids, frozenset(outgoing), frozenset(incoming)):
        grouped[hop.near].append(hop)
    for hops in grouped.values():
        hops.sort(key=lambda hop: (hop.node.id, hop.edge.id))
    return grouped


def find_items(store: Store, alias: str) -> list[Node]:
    items = store.find_nodes(NodeKind.DATA_ITEM, "alias", [alias])
    if not items:
        raise NotFound(f"no NPD data item has the alias {alias!r}")
    return items


@dataclass(frozen=True, slots=True)
class Related:
    """A node next to the one asked about, with the link that relates them."""

    node: Node
    link: Edge


def related(hops: Iterable[Hop], kinds: Collection[EdgeKind]) -> tuple[Related, ...]:
    return tuple(Related(hop.node, hop.edge) for hop in hops if hop.edge.kind in kinds)


class PerState(Generic[T]):
    """A value derived from the whole of a store (and the arguments after it), computed once per state of
    the store (its version). A caller arriving while it is computed waits for that answer rather
    than compute it again. At most ``keep`` argument sets are kept per store, the least recently asked
    going first."""

    def __init__(self, compute: Callable[..., T], keep: int = 1) -> None:
        self._compute = compute
        self._keep = keep
        self._values: weakref.WeakKeyDictionary[Store, tuple[Hashable, OrderedDict[tuple[Hashable, ...], T]]] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def __call__(self, store: Store, *args: Hashable) -> T:
        with self._lock:
            current = store.version()
            cached = self._values.get(store)
            if cached is None or cached[0] != current:
                cached = self._values[store] = (current, OrderedDict())
            values = cached[1]
            if args in values:
                values.move_to_end(args)
            else:
                if len(values) >= self._keep:
                    values.popitem(last=False)
                values[args] = self._compute(store, *args)
            return values[args]


def check_period(start: dt.date | None, end: dt.date | None) -> None:
    """One rule for periods everywhere: a period that ends before it starts is refused, never answered empty."""
    if start is not None and end is not None and start > end:
        raise LineageError(f"the period's start {start} is after its end {end}")


def dated_order(node: Node) -> tuple[dt.date, str]:
    """Dated first, by date; then the rest by id."""
    date = node.props.get("date")
    return (date if isinstance(date, dt.date) else dt.date.max, node.id)


def dated_within(release: Node, start: dt.date | None, end: dt.date | None) -> bool:
    date = release.props.get("date")
    if not isinstance(date, dt.date):
        return start is None and end is None
    return (start is None or start <= date) and (end is None or date <= end)


def overlaps_period(node: Node, start: dt.date | None, end: dt.date | None) -> bool:
    lo, hi = node.validity.valid_from, node.validity.valid_to
    return (end is None or lo is None or lo <= end) and (start is None or hi is None or start <= hi)
