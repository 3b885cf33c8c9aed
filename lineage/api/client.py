"""Run a query through the app in process, exactly as an HTTP client would (same limits, same errors)."""

from __future__ import annotations

from typing import Any

import httpx

from lineage.api.app import create_app
from lineage.store import Store


async def execute_over_http(store: Store, query: str, variables: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """POST the query to /graphql over an in-process ASGI transport; (status, JSON body)."""
    transport = httpx.ASGITransport(app=create_app(store))
    async with httpx.AsyncClient(transport=transport, base_url="http://lineage.local") as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables})
    return response.status_code, response.json()
