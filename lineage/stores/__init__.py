"""The registry of stores: one address string picks and opens a store.

memory                    an empty embedded store
memory:PATH               the embedded store saved at PATH (a snapshot file)
bolt://HOST:PORT, neo4j://HOST:PORT (and +s / +ssc variants)
                          Neo4j; credentials from NEO4J_USER / NEO4J_PASSWORD, database NEO4J_DATABASE
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from lineage.errors import LineageError, masked
from lineage.store import Store
from lineage.stores.memory import MemoryStore


def _open_memory(address: str, existing: bool = False) -> Store:
    _, colon, path = address.partition(":")
    if colon and not path:  # memory:$SNAPSHOT with the variable unset: not the empty store it would open
        raise LineageError(f"store {address!r} names no snapshot: give memory:PATH, or memory for an empty store")
    if existing and not path:  # a reader of it answered from an empty graph, as if that were the record
        raise LineageError("memory is an empty store, kept nowhere, with no graph to read: give memory:PATH")
    if path and Path(path).exists():
        return MemoryStore.load(path)
    if path and existing:
        raise LineageError(
            f"no snapshot at {path}: check the path, or build one with `lineage build --store {address}`"
        )
    return MemoryStore()


def _open_neo4j(address: str, existing: bool = False) -> Store:
    """A database the server holds (``existing`` alike: the server says whether it is there)."""
    from lineage.stores.neo4j import Neo4jStore  # the driver is only imported when Neo4j is asked for

    user, password = os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD")
    auth = (user, password) if user and password else None
    return Neo4jStore(address, auth=auth, database=os.environ.get("NEO4J_DATABASE", "neo4j"))


#: Address scheme -> opener; an opener asked for an ``existing`` store refuses one it would create. A new store
#: registers here.
OPENERS: dict[str, Callable[[str, bool], Store]] = {
    "memory": _open_memory,
    "bolt": _open_neo4j,
    "bolt+s": _open_neo4j,
    "bolt+ssc": _open_neo4j,
    "neo4j": _open_neo4j,
    "neo4j+s": _open_neo4j,
    "neo4j+ssc": _open_neo4j,
}


def scheme_of(address: str) -> str:
    """What kind of store an address names, as OPENERS keys it (``memory`` in ``memory:PATH``)."""
    return address.split("://", 1)[0] if "://" in address else address.split(":", 1)[0]


def open_store(address: str, existing: bool = False) -> Store:
    """The store ``address`` names; ``existing`` for a reader (a command's question, a server's worker), which
    refuses a snapshot that is not there rather than answer from an empty graph as if it were the record."""
    opener = OPENERS.get(scheme_of(address))
    if opener is None:
        raise LineageError(f"unknown store {masked(address)!r}: use memory, memory:PATH, or a bolt:// or neo4j:// URI")
    return opener(address, existing)
