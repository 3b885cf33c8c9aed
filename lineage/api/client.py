"""Run a query through the app in process, exactly as an HTTP client would (same limits, same errors)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from lineage.api.app import create_app
from lineage.store import Store


async def execute_over_http(
    store: Store, query: str, variables: dict[str, Any], operation_name: str | None = None
) -> tuple[int, dict[str, Any]]:
    """POST the query to /graphql over an in-process ASGI transport; (status, JSON body)."""
    transport = httpx.ASGITransport(app=create_app(store))
    # encoded here, as JSON escapes what httpx's encoder refuses (a lone surrogate), for the API to refuse
    request = json.dumps({"query": query, "variables": variables, "operationName": operation_name})
    async with httpx.AsyncClient(transport=transport, base_url="http://lineage.local") as client:
        response = await client.post("/graphql", content=request, headers={"content-type": "application/json"})
    return response.status_code, response.json()
