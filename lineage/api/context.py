"""Per-request context, and the event loop that GraphQL runs on, apart from the one that answers HTTP.

Store calls are synchronous (the Neo4j driver, NetworkX); they run in a worker thread so that one slow
call neither blocks other requests nor escapes the execution timeout, and a request runs only so many at
once, so that its aliases cannot take every thread and keep other requests waiting. Nodes are fetched
through a DataLoader, so a page of links asks the store for all its far ends in one call.

Validating a document, turning a large answer into GraphQL objects and encoding it are CPU work that
would hold up every other request on the same loop, /healthz included: ``off_loop`` runs them on a loop
of their own in another thread (one per process), so the server's own loop only reads and writes HTTP.
"""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from lineage.api.types import GraphNode, graph_node
from lineage.cache import Kept
from lineage.errors import NotFound
from lineage.model import EdgeKind, Node
from lineage.questions.common import at_one_state, follow
from lineage.store import Direction, Hop, Store, edge_sides

R = TypeVar("R")


@dataclass
class LineageContext:
    store: Store
    #: The store calls this request runs at once (lineage.api.limits.Limits.store_calls)
    store_calls: int
    request_id: str = "-"
    #: The operation the request names (strawberry runs the first of several when none is named; the
    #: executor, lineage.api.protocol.CoercingExecutor, picks as the spec says, by this name)
    operation_name: str | None = None
    _nodes: DataLoader[str, Node | None] = field(init=False)

    _hops: DataLoader[tuple[str, Direction, frozenset[EdgeKind] | None], list[Hop]] = field(init=False)
    _running: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self._nodes = DataLoader(load_fn=self._load_nodes)
        self._hops = DataLoader(load_fn=self._load_hops)
        self._running = asyncio.Semaphore(self.store_calls)

    async def call(self, fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        """``fn`` in a worker thread, at one state of the store (lineage.questions.common.at_one_state), when
        fewer than ``store_calls`` of this request's calls are running: the others wait here, holding no thread."""
        async with self._running:
            return await asyncio.to_thread(at_one_state, fn, *args, **kwargs)

    async def _load_nodes(self, ids: list[str]) -> list[Node | None]:
        found = await self.call(self.store.get_nodes, ids)
        return [found.get(id_) for id_ in ids]

    async def _load_hops(self, keys: list[tuple[str, Direction, frozenset[EdgeKind] | None]]) -> list[list[Hop]]:
        """Every node's hops a GraphQL answer asks for (its links field, once per node on a page), in one batched
        expansion per direction and kinds asked: three aliases' links are one query, not three."""
        groups: dict[tuple[Direction, frozenset[EdgeKind] | None], list[str]] = defaultdict(list)
        for id_, direction, kinds in keys:
            groups[(direction, kinds)].append(id_)
        found = {}
        for (direction, kinds), ids in groups.items():
            grouped = await self.call(follow, self.store, ids, *edge_sides(direction, kinds))
            found.update({(id_, direction, kinds): grouped.get(id_, []) for id_ in ids})
        return [found[key] for key in keys]

    async def hops(self, id_: str, direction: Direction, kinds: frozenset[EdgeKind] | None) -> list[Hop]:
        """A node's hops in ``direction`` (along ``kinds``, or all), ordered by far node then edge, as the store's
        neighbours orders them; its far ends are kept for this request (see known)."""
        hops = await self._hops.load((id_, direction, kinds))
        self.known(hop.node for hop in hops)
        return hops

    def known(self, nodes: Iterable[Node]) -> None:
        """Nodes an answer already holds (a page of links' far ends), kept for this request: a link's source
        and target are then read from them, not asked of the store again."""
        for node in nodes:
            self._nodes.prime(node.id, node)

    async def record(self, id_: str) -> Node | None:
        return await self._nodes.load(id_)

    async def node(self, id_: str) -> GraphNode:
        node = await self.record(id_)
        if node is None:
            raise NotFound(f"no node {id_!r} in the graph")
        return graph_node(node)


def _start_loop() -> asyncio.AbstractEventLoop:
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="lineage-graphql", daemon=True).start()
    return loop


#: The GraphQL loop: an event loop in a daemon thread, started on first use and shared by every app in the process.
_EXECUTION: Kept[str, asyncio.AbstractEventLoop] = Kept(1)


async def off_loop(work: Coroutine[Any, Any, R]) -> R:
    """Run ``work`` on the GraphQL loop and wait for it here; if this caller is cancelled (as by the
    execution timeout), the work is cancelled there too."""
    return await asyncio.wrap_future(
        asyncio.run_coroutine_threadsafe(work, _EXECUTION.get_or_compute("loop", _start_loop))
    )
