"""The one cache the program keeps its derived values in: bounded, least recently used first out, safe across
threads, and never computing while it holds its lock.

Every cache is one of these (answers by ETag, persisted queries, prepared documents, what a question derives
from a whole store), so eviction, thread safety and the wait for a value already being computed are written
once. It imports nothing but cachetools, so the core and the API both use it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sized
from typing import Generic, TypeVar

from cachetools import LRUCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

#: What keeping one value costs beside its own bytes (its key, the cache's entry: about 300 measured), counted by
#: a cache bounded by bytes, so that many small values are bounded too.
ENTRY_BYTES = 512


def length_and_entry(value: Sized) -> int:
    """What keeping a text or bytes costs, as a cache bounded by bytes counts it: its length and ENTRY_BYTES."""
    return len(value) + ENTRY_BYTES


class Kept(Generic[K, V]):
    """At most ``size`` values by key, or, given ``sizeof``, values of at most ``size`` together by it (the bytes
    of kept answers). ``get_or_compute`` computes a missing value outside the lock: a caller asking for a key
    another caller is computing waits for that value rather than compute it again, and callers asking for other
    keys never wait for it."""

    def __init__(self, size: int, sizeof: Callable[[V], int] | None = None) -> None:
        self._values: LRUCache[K, V] = LRUCache(maxsize=size, getsizeof=sizeof)
        self._changed = threading.Condition()
        self._computing: set[K] = set()

    def get(self, key: K) -> V | None:
        with self._changed:
            return self._values.get(key)

    def put(self, key: K, value: V) -> None:
        with self._changed:
            self._values[key] = value

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        with self._changed:
            self._changed.wait_for(lambda: key not in self._computing)
            if key in self._values:
                return self._values[key]
            self._computing.add(key)
        try:
            value = compute()
            with self._changed:
                self._values[key] = value
            return value
        finally:
            with self._changed:
                self._computing.discard(key)
                self._changed.notify_all()
