"""An HTTP client on the app over httpx's ASGI transport, for each store holding the fixture graph."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from lineage.api.app import create_app
from lineage.api.limits import DEFAULT_LIMITS, Limits
from lineage.store import Store

QUERIES = Path(__file__).resolve().parents[3] / "graphql" / "queries"


class Spy:
    """Wraps a store: counts the calls the API makes on it, and can make one method slow or broken, or hold
    one: each call of a held method waits until ``release`` is set, ``entered`` counting up as one begins to
    wait and ``most_held`` saying how many waited at once."""

    def __init__(
        self, store: Store, slow: str | None = None, broken: str | None = None, held: str | None = None
    ) -> None:
        self._store, self._slow, self._broken, self._held = store, slow, broken, held
        self.name = store.name
        self.calls: Counter[str] = Counter()
        self.release = threading.Event()
        self.entered = threading.Semaphore(0)
        self.most_held = 0
        self._holding = 0
        self._lock = threading.Lock()

    def _hold(self) -> None:
        with self._lock:
            self._holding += 1
            self.most_held = max(self.most_held, self._holding)
        self.entered.release()
        self.release.wait()
        with self._lock:
            self._holding -= 1

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._store, name)
        if not callable(target):
            return target

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            if name == self._slow:
                time.sleep(1.5)
            if name == self._held:
                self._hold()
            if name == self._broken:
                raise RuntimeError("secret internal detail /etc/passwd")
            return target(*args, **kwargs)

        return call


class Client:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def query(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        return response.json()


def make_client(store: Store, limits: Limits = DEFAULT_LIMITS) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store, limits)), base_url="http://test")


@pytest.fixture
async def client(fixture_store: Store) -> AsyncIterator[Client]:
    async with make_client(fixture_store) as http:
        yield Client(http)


@pytest.fixture
def client_for() -> Callable[..., httpx.AsyncClient]:
    return make_client


@pytest.fixture
async def ask(real_store: Store) -> AsyncIterator[Any]:
    """Asks a cookbook operation (graphql/queries/<name>.graphql) over HTTP, as a client would, and returns its
    data, failing on any error."""
    async with make_client(real_store) as http:

        async def run(operation: str, **variables: Any) -> dict[str, Any]:
            query = (QUERIES / f"{operation}.graphql").read_text()
            response = await http.post("/graphql", json={"query": query, "variables": variables})
            body = response.json()
            assert response.status_code == 200 and not body.get("errors"), body.get("errors")
            return body["data"]

        yield run
