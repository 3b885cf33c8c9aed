"""The Starlette app: the GraphQL endpoint and playground at /graphql, the flow explorer at /explore, and /healthz.

A thin adapter over lineage.api.schema: it adds the execution timeout (a timed-out query answers 504
with a clear error, as DataHub's DEADLINE_EXCEEDED), a deliberate CORS policy (any origin may read; no
credentials are ever accepted, as the API is anonymous and read-only), and serves the playground's
front-end libraries itself, so the pages need no network beyond the app. As it starts, it prepares in the
background what the whole-graph questions share (lineage.questions.prepare). The explorer is a static page that
asks /graphql the cookbook's questions (flows, node links, search), so it needs no API of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.types import ExecutionResult

from lineage import questions
from lineage.api.context import LineageContext
from lineage.api.limits import DEFAULT_LIMITS, Limits
from lineage.api.schema import build_schema
from lineage.store import Store, unfinished_imports

LOG = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
STATIC = Path(__file__).resolve().parent / "static"
WEB_MODULES = ROOT / "web" / "node_modules"
#: The front-end files the app serves, by public name: pinned in web/package.json, installed by `make`.
VENDOR_FILES = {
    "react.js": "react/umd/react.production.min.js",
    "react-dom.js": "react-dom/umd/react-dom.production.min.js",
    "graphiql.js": "graphiql/graphiql.min.js",
    "graphiql.css": "graphiql/graphiql.min.css",
    "d3.js": "d3/dist/d3.min.js",
    "d3-sankey.js": "d3-sankey/dist/d3-sankey.min.js",
    "cytoscape.js": "cytoscape/dist/cytoscape.min.js",
}
#: The explorer's own files under /static, besides its page at /explore.
EXPLORER_FILES = ("explore.js", "explore.css")
EXAMPLE_OPERATION = "recipients-of-item"
EXAMPLE_VARIABLES = {"item": "KS4_FSM"}
COOKBOOK = ROOT / "graphql" / "queries"


class LineageGraphQL(GraphQL):
    """strawberry's ASGI view with our context, our playground and an execution timeout."""

    def __init__(self, store: Store, limits: Limits) -> None:
        super().__init__(build_schema(limits), graphql_ide="graphiql", allow_queries_via_get=True)
        self.store = store
        self.limits = limits

    async def get_context(self, request: Any, response: Any) -> LineageContext:
        return LineageContext(self.store, request, response)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(playground_html())

    def should_render_graphql_ide(self, request: Any) -> bool:
        """A browser opening an address (it asks for HTML) gets the playground even when the address carries
        a query, as the explorer's links and the playground's own shared addresses do; a script asking a
        query by GET gets its answer."""
        if request.method != "GET":
            return False
        accept = request.headers.get("accept", "")
        return "text/html" in accept or (request.query_params.get("query") is None and "*/*" in accept)

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        try:
            return await asyncio.wait_for(super().execute_single(*args, **kwargs), self.limits.timeout_seconds)
        except TimeoutError:
            kwargs["sub_response"].status_code = 504
            message = f"the query took longer than {self.limits.timeout_seconds:g} s and was stopped"
            return ExecutionResult(data=None, errors=[GraphQLError(message, extensions={"code": "TIMEOUT"})])


def playground_html() -> str:
    """The GraphiQL page, opening on the cookbook's example question."""
    example = COOKBOOK / f"{EXAMPLE_OPERATION}.graphql"
    query = example.read_text() if example.exists() else "{ counts { totalNodes totalEdges } }"
    page = (STATIC / "playground.html").read_text()
    return page.replace("__EXAMPLE_QUERY__", json.dumps(query)).replace(
        "__EXAMPLE_VARIABLES__", json.dumps(json.dumps(EXAMPLE_VARIABLES, indent=2))
    )


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        LOG.error("preparing the whole-graph questions failed", exc_info=task.exception())


def create_app(store: Store, limits: Limits = DEFAULT_LIMITS) -> Starlette:
    graphql_view = LineageGraphQL(store, limits)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # in the background: the server answers at once, and the first Sankey or pupil-reach need not wait
        preparing = asyncio.create_task(asyncio.to_thread(questions.prepare, store))
        preparing.add_done_callback(_log_failure)
        yield

    async def healthz(_: Request) -> JSONResponse:
        counts = await asyncio.to_thread(store.counts)
        unfinished = await asyncio.to_thread(unfinished_imports, store)
        return JSONResponse(
            {
                "status": "ok",
                "store": store.name,
                "nodes": counts.total_nodes,
                "edges": counts.total_edges,
                "counts": {"nodes": counts.nodes, "edges": counts.edges},
                # import runs that started and did not finish: what they wrote may be missing or partial
                "unfinished_imports": [{"id": run.id, "status": run.props.get("status")} for run in unfinished],
            }
        )

    async def vendor(request: Request) -> FileResponse | PlainTextResponse:
        relative = VENDOR_FILES.get(request.path_params["name"])
        path = WEB_MODULES / relative if relative else None
        if path is None or not path.is_file():
            return PlainTextResponse("not found (run `make` to install the front-end libraries)", status_code=404)
        return FileResponse(path)

    async def explorer(_: Request) -> FileResponse:
        return FileResponse(STATIC / "explore.html")

    async def explorer_file(request: Request) -> FileResponse | PlainTextResponse:
        name = request.path_params["name"]
        if name not in EXPLORER_FILES:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(STATIC / name)

    async def home(_: Request) -> RedirectResponse:
        return RedirectResponse("/graphql")

    return Starlette(
        lifespan=lifespan,
        routes=[
            Route("/", home),
            Route("/healthz", healthz),
            Route("/static/vendor/{name}", vendor),
            Route("/explore", explorer),
            Route("/static/{name}", explorer_file),
            Route("/graphql", graphql_view, methods=["GET", "POST"]),
        ],
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["content-type"],
                allow_credentials=False,
                max_age=600,
            )
        ],
    )
