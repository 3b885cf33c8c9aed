"""Per-request context: the store, a DataLoader for nodes, and a way to call the store off the event loop.

Store calls are synchronous (the Neo4j driver, NetworkX); they run in a worker thread so that one slow
call neither blocks other requests nor escapes the execution timeout. Nodes are fetched through a
DataLoader, so a page of links asks the store for all its far ends in one call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from lineage.api.types import GraphNode, graph_node
from lineage.errors import NotFound
from lineage.model import Node
from lineage.store import Store

R = TypeVar("R")


@dataclass
class LineageContext:
    store: Store
    request: Any = None
    response: Any = None
    _nodes: DataLoader[str, Node | None] = field(init=False)

    def __post_init__(self) -> None:
        self._nodes = DataLoader(load_fn=self._load_nodes)

    async def call(self, fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        return await asyncio.to_thread(fn, *args, **kwargs)

    async def _load_nodes(self, ids: list[str]) -> list[Node | None]:
        found = await self.call(self.store.get_nodes, ids)
        return [found.get(id_) for id_ in ids]

    async def record(self, id_: str) -> Node | None:
        return await self._nodes.load(id_)

    async def node(self, id_: str) -> GraphNode:
        node = await self.record(id_)
        if node is None:
            raise NotFound(f"no node {id_!r} in the graph")
        return graph_node(node)
