"""The Starlette app: the GraphQL endpoint and playground at /graphql, the flow explorer at /explore, and /healthz.

/graphql speaks GraphQL over HTTP itself (reading requests and choosing statuses: lineage.api.protocol),
over lineage.api.schema, so that every answer is JSON and says what went wrong in the caller's terms:

- a request that is not GraphQL over HTTP (not JSON, not an object, not UTF-8, too large, the wrong
  method or media type) answers 400, 405, 406, 413, 414 or 415 with a JSON error, and the connection
  stays usable;
- a document that does not parse or validate (limits included), an operation that cannot be picked and
  variables that do not coerce are request errors: 200 for ``application/json`` and 400 for
  ``application/graphql-response+json``, as the GraphQL-over-HTTP spec says, with no ``data``;
- an executed operation answers 200, or 203 with ``application/graphql-response+json`` when it has
  errors; an unavailable store answers 503 and a query over its time 504, whatever the media type, so that
  load balancers see them;
- every response carries ``X-Request-Id``, which an internal error also names: its detail goes to the log,
  once.

Validation and execution run on a loop of their own (lineage.api.context.off_loop), so /healthz answers
while a heavy query runs. For throughput: GET answers carry an ``ETag`` per store version and
``Cache-Control``, and answer 304 to ``If-None-Match`` without running anything; Apollo's automatic
persisted queries (a SHA-256 hash in ``extensions.persistedQuery``) make GET addresses short, with the
cookbook registered in advance; large answers are gzipped. CORS lets any origin read, never with
credentials. As it starts, the app prepares in the background what the whole-graph questions share.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from graphql import GraphQLError, OperationType
from graphql.execution.values import get_variable_values
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from lineage import questions
from lineage.api.context import LineageContext, off_loop
from lineage.api.limits import DEFAULT_LIMITS, Limits, with_code
from lineage.api.protocol import (
    JSON,
    GraphQLRequest,
    PersistedQueries,
    Refused,
    encode,
    error_body,
    etag_of,
    matches,
    media_type,
    not_unicode,
    pick_operation,
    read_request,
    status_of,
)
from lineage.api.schema import UNAVAILABLE_MESSAGE, LineageSchema, build_schema, shape_errors
from lineage.changes import FEED_PATH, atom_feed
from lineage.errors import StoreUnavailable
from lineage.resources import COOKBOOK, COOKBOOK_INDEX, vendor_file
from lineage.store import Store, unfinished_imports

LOG = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
#: The explorer's own files under /static, besides its page at /explore.
EXPLORER_FILES = ("explore.js", "explore.css")
#: The playground's own files under /static, besides its page at /graphql (playground.html).
PLAYGROUND_FILES = ("playground.js", "playground.css")
#: The icon every page names, also at /favicon.ico for what asks there (an SVG, drawn for the project).
FAVICON = "favicon.svg"
#: The explorer's own ES modules, under /static/explore/: each one explore.js imports, and nothing else there.
EXPLORER_MODULES = (
    "details.js", "drawing.js", "flow-list.js", "flows.js", "gaps.js", "graph.js", "node-details.js", "sankey.js",
    "search.js", "timeline.js", "volumes.js",
)  # fmt: skip
#: The ES modules the pages share, under /static/shared/: the address, asking /graphql, building the HTML.
SHARED_MODULES = ("address.js", "citations.js", "dom.js", "graphql.js", "vocabulary.js")
#: The /reach page's own files, in static/reach/ and under /reach/, besides its page: its style sheet and
#: ES modules (reach.js is the one the page loads; each other one it imports, and nothing else there).
REACH = STATIC / "reach"
REACH_FILES = ("reach.css", "reach.js", "answer.js", "letter.js", "schools.js", "sources.js", "years.js")

#: How long a browser or CDN may reuse a GET answer before asking again (with If-None-Match).
CACHE_SECONDS = 60
#: /healthz waits this long for the store's first answer before saying it is unavailable.
HEALTH_SECONDS = 1.5
RETRY_AFTER = "5"
#: GET answers kept per worker by ETag, as a shared cache would (a new visitor's first request need not run),
#: each at most ANSWER_BYTES long; a write to the store changes every ETag, so a kept answer is never stale.
ANSWERS_KEPT = 512
ANSWER_BYTES = 1024 * 1024
#: Environment variables naming the store and the public address for app_from_environment (what `lineage serve`
#: starts in each worker).
STORE_ENV = "LINEAGE_STORE"
PUBLIC_URL_ENV = "LINEAGE_PUBLIC_URL"


@dataclass
class Answer:
    """What /graphql responds: the GraphQL response, its status and headers."""

    body: dict[str, Any]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    cacheable: bool = False
    content: bytes = b""  # the body encoded, on the GraphQL loop: encoding a large answer is CPU work too


class GraphQLEndpoint:
    """/graphql: reads the request here, on the server's loop; prepares, executes and encodes the answer
    on the GraphQL loop, within the execution timeout."""

    def __init__(self, store: Store, limits: Limits) -> None:
        self.store = store
        self.limits = limits
        self.schema: LineageSchema = build_schema(limits)
        self.persisted = PersistedQueries(COOKBOOK)
        self.answers: OrderedDict[str, Answer] = OrderedDict()

    async def handle(self, request: Request) -> Response:
        request_id = secrets.token_hex(8)
        try:
            if _reads(request) and _wants_playground(request):
                return HTMLResponse(playground_html())
            media = media_type(request.headers.get("accept"))
            graphql_request = await read_request(request, self.limits)
            answer = await self._answer_in_time(graphql_request, request, media, request_id)
        except Refused as refused:
            body = error_body(refused.message, "BAD_REQUEST")
            headers = {"X-Request-Id": request_id, "Cache-Control": "no-store", **refused.headers}
            return Response(encode(body), refused.status, headers, media_type=JSON)
        headers = {"X-Request-Id": request_id, "Vary": "Accept, Accept-Encoding", **answer.headers}
        if answer.status == 304:
            return Response(status_code=304, headers=headers)
        if answer.status in (503, 504):
            headers["Retry-After"] = RETRY_AFTER
        if not answer.cacheable:
            headers["Cache-Control"] = "no-store"
        return Response(answer.content, answer.status, headers, media_type=f"{media}; charset=utf-8")

    async def _answer_in_time(self, graphql_request: GraphQLRequest, request: Request, media: str,
                              request_id: str) -> Answer:  # fmt: skip
        seconds = self.limits.timeout_seconds
        method = "GET" if _reads(request) else request.method
        if_none_match = request.headers.get("if-none-match") if method == "GET" else None
        work = self._answer(graphql_request, method, media, request_id, if_none_match)
        try:
            answer = await asyncio.wait_for(work, seconds)
        except TimeoutError:
            message = f"the query took longer than {seconds:g} s and was stopped"
            answer = Answer(error_body(message, "TIMEOUT"), 504)
        if answer.status != 304 and not answer.content:
            answer.content = encode(answer.body)
        return answer

    async def _answer(self, graphql_request: GraphQLRequest, method: str, media: str, request_id: str,
                      if_none_match: str | None) -> Answer:  # fmt: skip
        """Here, on the server's loop, what needs no GraphQL: the query a hash names, refusing input that no
        store can hold, and for a GET its ETag, which may answer 304 or an answer kept for it. Only the
        rest goes to the GraphQL loop, so a revalidation never waits behind a heavy query."""
        query, digest = self.persisted.resolve(graphql_request)
        if query is None:
            if "persistedQuery" in graphql_request.extensions:
                return self._request_error(media, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
            return self._request_error(media, "the request has no query", "BAD_REQUEST")
        for value, where in ((query, "the query"), (graphql_request.operation_name, "operationName"),
                             (graphql_request.variables, "variables")):  # fmt: skip
            problem = not_unicode(value, where)
            if problem:
                return self._request_error(media, problem, "BAD_USER_INPUT")
        etag = None
        if method == "GET":
            try:
                version = await asyncio.to_thread(self.store.version)
            except StoreUnavailable as exc:
                return self._finish(media, {"errors": [GraphQLError(str(exc), original_error=exc)]}, request_id)
            request_key = (query, graphql_request.operation_name, sorted(graphql_request.variables.items()))
            etag = etag_of(self.store.name, version, media, repr(request_key))
            if matches(if_none_match, etag):
                return Answer({}, 304, {"ETag": etag, "Cache-Control": f"public, max-age={CACHE_SECONDS}"})
            kept = self.answers.get(etag)
            if kept is not None:
                self.answers.move_to_end(etag)
                return kept
        answer = await off_loop(self._run(query, graphql_request, method, media, request_id))
        if "data" in answer.body and digest is not None:  # it parsed and validated: worth remembering
            self.persisted.learn(digest, query)
        if etag is not None and "data" in answer.body and not answer.body.get("errors"):
            answer.headers.update({"ETag": etag, "Cache-Control": f"public, max-age={CACHE_SECONDS}"})
            answer.cacheable = True
            if len(answer.content) <= ANSWER_BYTES:
                self.answers[etag] = answer
                if len(self.answers) > ANSWERS_KEPT:
                    self.answers.popitem(last=False)
        return answer

    async def _run(self, query: str, graphql_request: GraphQLRequest, method: str, media: str,
                   request_id: str) -> Answer:  # fmt: skip
        """On the GraphQL loop: the document prepared (in a thread), the operation picked, the variables
        coerced, the operation executed and its answer encoded."""
        prepared = await asyncio.to_thread(self.schema.documents.prepare, self.schema._schema, query)
        if prepared.errors or prepared.document is None:
            return self._finish(media, {"errors": list(prepared.errors)}, request_id)
        operation = pick_operation(prepared.document, graphql_request.operation_name)
        if isinstance(operation, str):
            return self._request_error(media, operation, "OPERATION_RESOLUTION_FAILURE")
        if method == "GET" and operation.operation is not OperationType.QUERY:
            raise Refused(405, "only queries may be sent by GET", {"Allow": "POST"})
        coerced = get_variable_values(self.schema._schema, operation.variable_definitions or (),
                                      graphql_request.variables, max_errors=20)  # fmt: skip
        if isinstance(coerced, list):
            return self._finish(media, {"errors": [with_code(e, "BAD_USER_INPUT") for e in coerced]}, request_id)
        context = LineageContext(self.store, request_id)
        name = operation.name.value if operation.name else None
        result = await self.schema.execute(query, graphql_request.variables, context, operation_name=name)
        answer = self._finish(media, {"data": result.data, "errors": result.errors or []}, request_id)
        answer.content = encode(answer.body)
        return answer

    def _request_error(self, media: str, message: str, code: str) -> Answer:
        body = error_body(message, code)
        return Answer(body, status_of(media, body))

    def _finish(self, media: str, result: dict[str, Any], request_id: str) -> Answer:
        """The GraphQL response (``data`` only when the operation ran), its errors shaped, and its status."""
        body: dict[str, Any] = {"data": result["data"]} if "data" in result else {}
        errors = shape_errors(result["errors"], request_id)
        if errors:
            body["errors"] = [error.formatted for error in errors]
        return Answer(body, status_of(media, body))


def _reads(request: Request) -> bool:
    """A GET, or a HEAD, which answers as a GET does (the server sends no body with it)."""
    return request.method in ("GET", "HEAD")


def _wants_playground(request: Request) -> bool:
    """A browser opening an address (it asks for HTML) gets the playground even when the address carries a
    query, as the explorer's links and the playground's own shared addresses do; a script asking a query
    by GET gets its answer."""
    accept = request.headers.get("accept", "")
    return "text/html" in accept or (request.query_params.get("query") is None and "*/*" in accept
                                     and not request.query_params.get("extensions"))  # fmt: skip


def cookbook_tabs() -> list[dict[str, Any]]:
    """The cookbook as the playground opens it, one tab each, in the README's order: the operation's name, the
    question it asks, its text and its example variables."""
    index = json.loads(COOKBOOK_INDEX.read_text(encoding="utf-8"))
    return [
        {**entry, "query": (COOKBOOK / f"{entry['name']}.graphql").read_text(encoding="utf-8")}
        for entry in index["operations"]
    ]


def playground_html() -> str:
    """The GraphiQL page, with the cookbook in it as data (JSON that no text in it can close early)."""
    data = json.dumps(cookbook_tabs(), ensure_ascii=False).replace("</", "<\\/")
    return (STATIC / "playground.html").read_text(encoding="utf-8").replace("__COOKBOOK__", data)


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        LOG.error("preparing the whole-graph questions failed", exc_info=task.exception())


async def _json_error(request: Request, exc: Exception) -> JSONResponse:
    """Starlette's own refusals (404, 405) and any failure outside /graphql, in JSON too."""
    if isinstance(exc, HTTPException):
        code = {404: "NOT_FOUND"}.get(
            exc.status_code, "BAD_REQUEST" if exc.status_code < 500 else "INTERNAL_SERVER_ERROR"
        )
        body = error_body(exc.detail, code)
        return JSONResponse(body, exc.status_code, headers=exc.headers)
    if isinstance(exc, StoreUnavailable):  # the feed's or another page's read, while the store is away
        body = error_body(UNAVAILABLE_MESSAGE, "STORE_UNAVAILABLE")
        return JSONResponse(body, 503, headers={"Retry-After": RETRY_AFTER})
    request_id = secrets.token_hex(8)
    LOG.error("request %s: internal error at %s", request_id, request.url.path, exc_info=exc)
    body = error_body(f"Internal error: the server could not answer (request {request_id}).",
                      "INTERNAL_SERVER_ERROR", requestId=request_id)  # fmt: skip
    return JSONResponse(body, 500, headers={"X-Request-Id": request_id})


#: The media types of the static files whose type a browser insists on (not guessed: see _static_files).
MEDIA_TYPES = {".js": "text/javascript", ".svg": "image/svg+xml"}


def _static_files(names: tuple[str, ...], folder: Path = STATIC) -> Callable[[Request], Awaitable[Response]]:
    """A handler serving these files of ``folder`` by name, and nothing else there."""

    async def serve(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in names:
            raise HTTPException(404, "no such file here")
        # a browser runs a module only if it comes as JavaScript, and what mimetypes guesses for .js depends on
        # the machine (Python 3.11's own table, a mime.types file, Windows' registry): so it is not guessed
        return FileResponse(folder / name, media_type=MEDIA_TYPES.get(Path(name).suffix))

    return serve


def create_app(
    store: Store, limits: Limits = DEFAULT_LIMITS, close_store: bool = False, public_url: str | None = None
) -> Starlette:
    """The app over ``store``; with ``close_store`` it closes the store as it shuts down (one per worker).
    ``public_url`` (checked by public_base_url) is the address its absolute links and redirects name, never
    the Host header a client sends."""
    endpoint = GraphQLEndpoint(store, limits)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # in the background: the server answers at once, and the first Sankey or pupil-reach need not wait
        preparing = asyncio.create_task(asyncio.to_thread(questions.prepare, store))
        preparing.add_done_callback(_log_failure)
        yield
        if close_store:
            store.close()

    async def healthz(_: Request) -> JSONResponse:
        """Whether the store answers (its version: one small read, bounded by HEALTH_SECONDS), then what it
        holds (many reads, slow on a server just started: bounded by the execution timeout)."""
        try:
            await asyncio.wait_for(asyncio.to_thread(store.version), HEALTH_SECONDS)
            counts = await asyncio.wait_for(asyncio.to_thread(store.counts), limits.timeout_seconds)
            unfinished = await asyncio.wait_for(asyncio.to_thread(unfinished_imports, store), limits.timeout_seconds)
        except (StoreUnavailable, TimeoutError) as exc:
            LOG.warning("healthz: %s", exc or f"no answer within {HEALTH_SECONDS:g} s")
            body = {"status": "unavailable", "store": store.name, "reason": f"the {store.name} store did not answer"}
            return JSONResponse(body, 503, headers={"Retry-After": RETRY_AFTER, "Cache-Control": "no-store"})
        return JSONResponse(
            {
                "status": "ok",
                "store": store.name,
                "nodes": counts.total_nodes,
                "edges": counts.total_edges,
                "counts": {"nodes": counts.nodes, "edges": counts.edges},
                # import runs that started and did not finish: what they wrote may be missing or partial
                "unfinished_imports": [{"id": run.id, "status": run.props.get("status")} for run in unfinished],
            },
            headers={"Cache-Control": "no-store"},
        )

    async def vendor(request: Request) -> FileResponse:
        path = vendor_file(request.path_params["name"])
        if path is None:
            raise HTTPException(404, "no such file here (run `make` to install the front-end libraries)")
        return FileResponse(path)

    async def explorer(_: Request) -> FileResponse:
        return FileResponse(STATIC / "explore.html")

    page_file = _static_files(EXPLORER_FILES + PLAYGROUND_FILES + (FAVICON,))

    async def favicon(_: Request) -> FileResponse:
        return FileResponse(STATIC / FAVICON, media_type=MEDIA_TYPES[".svg"])

    explorer_module = _static_files(EXPLORER_MODULES, STATIC / "explore")
    shared_module = _static_files(SHARED_MODULES, STATIC / "shared")

    async def reach(_: Request) -> FileResponse:
        """The page for parents; what is typed for the letter stays in the browser (see reach/letter.js)."""
        return FileResponse(REACH / "reach.html")

    reach_file = _static_files(REACH_FILES, REACH)

    async def releases_feed(request: Request) -> Response:
        """The newest releases and statements as Atom, its links under the public address (``public_url``; only
        without one, the address the reader asked)."""
        text = await asyncio.to_thread(atom_feed, store, public_url or str(request.base_url))
        return Response(text, media_type="application/atom+xml; charset=utf-8")

    operations = {path.name for path in COOKBOOK.glob("*.graphql")}

    async def cookbook(request: Request) -> PlainTextResponse:
        """One cookbook operation's text: the explorer asks the cookbook's questions, not copies of them. Only
        the cookbook's own names reach the file system."""
        name = request.path_params["name"]
        if name not in operations:
            raise HTTPException(404, "no cookbook operation of that name (see /cookbook/<operation>.graphql)")
        return PlainTextResponse((COOKBOOK / name).read_text(encoding="utf-8"), media_type="application/graphql")

    async def home(_: Request) -> RedirectResponse:
        return RedirectResponse(f"{public_url or ''}/graphql")

    app = Starlette(
        lifespan=lifespan,
        routes=[
            Route("/", home),
            Route("/healthz", healthz),
            Route("/static/vendor/{name}", vendor),
            Route("/explore", explorer),
            Route("/favicon.ico", favicon),
            Route("/static/{name}", page_file),
            Route("/static/explore/{name}", explorer_module),
            Route("/static/shared/{name}", shared_module),
            Route("/cookbook/{name}", cookbook),
            Route("/reach", reach),
            Route("/reach/{name}", reach_file),
            Route(FEED_PATH, releases_feed),
            Route("/graphql", endpoint.handle, methods=["GET", "POST"]),
        ],
        exception_handlers={HTTPException: _json_error, Exception: _json_error},
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["content-type"],
                expose_headers=["x-request-id", "etag"],
                allow_credentials=False,
                max_age=600,
            ),
            Middleware(GZipMiddleware, minimum_size=1024, compresslevel=6),
        ],
    )
    app.router.redirect_slashes = False  # its redirect would name the client's Host: "/explore/" answers 404
    return app


def app_from_environment() -> Starlette:
    """The app over the store that $LINEAGE_STORE names, opened by this process: what each of `lineage
    serve`'s workers runs (uvicorn's app factory)."""
    from lineage.stores import open_store

    public_url = os.environ.get(PUBLIC_URL_ENV) or None
    return create_app(open_store(os.environ[STORE_ENV]), close_store=True, public_url=public_url)


def public_base_url(text: str) -> str:
    """An address the app may name in its links and redirects: http(s), a host, perhaps a port and a path; no
    query, fragment or credentials. Without its final slash."""
    address = urlsplit(text.strip())
    if address.scheme not in ("http", "https") or not address.hostname or address.query or address.fragment:
        raise ValueError(f"{text[:200]!r} is not a public address such as https://lineage.example.org")
    if address.username is not None or address.password is not None:
        raise ValueError(f"{text[:200]!r} holds credentials: a public address must not")
    return urlunsplit((address.scheme, address.netloc, address.path.rstrip("/"), "", ""))
