"""The Starlette app: the GraphQL endpoint and playground at /graphql, the flow explorer at /explore, and /healthz.

/graphql is strawberry's ASGI view (``GraphQLView``) over lineage.api.schema, with its hooks doing what it
leaves to the app (lineage.api.protocol), so that every answer is JSON and says what went wrong in the
caller's terms:

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

Execution runs on a loop of its own (lineage.api.context.off_loop), so /healthz answers while a heavy query
runs. For throughput: answers are kept by store version, query, variables and media type, so a repeated
question (GET or POST) is answered without running; a GET answer carries that key as its ``ETag``, with
``Cache-Control``, and answers 304 to ``If-None-Match``; Apollo's automatic persisted queries (a SHA-256 hash
in ``extensions.persistedQuery``) make GET addresses short, with the cookbook registered in advance; large
answers are gzipped. CORS lets any origin read, never with credentials. As it starts, the app prepares in the
background what the whole-graph questions share.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, cast
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from cross_web import AsyncHTTPRequestAdapter
from cross_web import HTTPException as ViewRefusal
from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from lineage import questions
from lineage.api.context import LineageContext, off_loop
from lineage.api.limits import DEFAULT_LIMITS, Limits
from lineage.api.protocol import (
    JSON,
    UNAVAILABLE_MESSAGE,
    PersistedQueries,
    Refused,
    bounded_receive,
    check_parameters,
    decode_json,
    encode,
    error_body,
    error_codes,
    etag_of,
    matches,
    media_type,
    not_unicode,
    require_json,
    shape_errors,
    status_of,
)
from lineage.api.schema import build_schema
from lineage.cache import Kept, length_and_entry
from lineage.changes import FEED_PATH, atom_feed
from lineage.errors import LineageError, StoreUnavailable
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
SHARED_MODULES = ("address.js", "characters.js", "citations.js", "dom.js", "graphql.js", "vocabulary.js")
#: The /reach page's own files, in static/reach/ and under /reach/, besides its page: its style sheet and
#: ES modules (reach.js is the one the page loads; each other one it imports, and nothing else there).
REACH = STATIC / "reach"
REACH_FILES = ("reach.css", "reach.js", "answer.js", "letter.js", "schools.js", "sources.js", "years.js")

#: How long a browser or CDN may reuse a GET answer before asking again (with If-None-Match).
CACHE_SECONDS = 60
#: /healthz waits this long for the store's first answer before saying it is unavailable.
HEALTH_SECONDS = 1.5
RETRY_AFTER = "5"
#: Answers kept per worker by their key (store version, query, variables, media type), as a shared cache
#: would keep them (a new visitor's first request need not run), each at most ANSWER_BYTES long and at most
#: ANSWERS_KEPT_BYTES together (by count alone, 512 answers of nearly 1 MB, anyone could grow a worker by half a
#: gigabyte in half a minute); a write to the store changes every key, so a kept answer is never stale.
ANSWERS_KEPT_BYTES = 64 * 1024 * 1024
ANSWER_BYTES = 1024 * 1024
#: Environment variables naming the store and the public address for app_from_environment (what `lineage serve`
#: starts in each worker).
STORE_ENV = "LINEAGE_STORE"
PUBLIC_URL_ENV = "LINEAGE_PUBLIC_URL"
#: Where in the request's scope its id is, for every hook that answers it, and its Reply.
REQUEST_ID = "lineage.request_id"
REPLY = "lineage.reply"


class Shared(NamedTuple):
    """An answer one request computed for those that asked the same meanwhile: its body and status."""

    content: bytes
    status: int


#: The only errors an answer shared with waiting requests may carry: the store's absence and the timeout, which
#: would be theirs too (and name no request); an answer with any other error is theirs to compute.
SHARED_ERRORS = frozenset({"STORE_UNAVAILABLE", "TIMEOUT"})


@dataclass
class Asked(GraphQLRequestData):
    """A request's parameters, and the request error that stops it before anything runs, if any."""

    refusal: GraphQLError | None = None


class Reply(Response):
    """The answer's HTTP side as the hooks learn it, before it is written: the media type asked for, the
    request's id, the key its answer is kept by (for a GET, its ETag), and an answer already kept."""

    def __init__(self, request: Request) -> None:
        super().__init__()
        self.method = request.method
        self.request_id: str = request.scope[REQUEST_ID]
        self.answer_media = JSON if _wants_playground(request) else media_type(request.headers.get("accept"))
        self.if_none_match = request.headers.get("if-none-match")
        self.key: str | None = None
        self.kept: bytes | None = None
        self.kept_status = 200
        self.not_modified = False
        #: set when this request computes an answer others asking meanwhile wait for (GraphQLView.shared)
        self.computing: asyncio.Future[Shared | None] | None = None


class GraphQLView(GraphQL[LineageContext, None]):
    """/graphql: strawberry's view, its hooks reading the request here, on the server's loop, and executing
    on the GraphQL loop within the execution timeout."""

    def __init__(self, store: Store, limits: Limits, posts_from_kept: bool) -> None:
        super().__init__(build_schema(limits), graphql_ide="graphiql", subscription_protocols=())
        self.store = store
        self.limits = limits
        self.posts_from_kept = posts_from_kept
        self.persisted = PersistedQueries(COOKBOOK)
        # each answer counted with what keeping it costs beside its bytes (its key, the cache's entry): tiny answers
        # by the million had fit the bytes alone
        self.answers: Kept[str, bytes] = Kept(ANSWERS_KEPT_BYTES, sizeof=length_and_entry)
        #: The answers being computed, by key: on the server's loop alone, so no lock.
        self.in_flight: dict[str, asyncio.Future[Shared | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """HEAD answers as GET does (the server sends no body with it); a refusal, in JSON."""
        request_id = secrets.token_hex(8)
        method = "GET" if scope["method"] == "HEAD" else scope["method"]
        asked: Scope = {**scope, "method": method, REQUEST_ID: request_id}
        try:
            response = await self.run(Request(asked, bounded_receive(scope, receive, self.limits)))
        except (Refused, ViewRefusal) as exc:
            refused = exc if isinstance(exc, Refused) else Refused(exc.status_code, exc.reason)
            headers = {"X-Request-Id": request_id, "Cache-Control": "no-store", **refused.headers}
            response = Response(encode(error_body(refused.message, "BAD_REQUEST")), refused.status, headers, JSON)
        finally:
            reply = asked.get(REPLY)
            if reply is not None:  # an answer that failed on the way is shared as none: its waiters compute theirs
                self.shared(reply, None)
        await response(scope, receive, send)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        assert isinstance(request, Request)  # no WebSocket reaches this route
        request.scope[REPLY] = reply = Reply(request)
        return reply

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> LineageContext:
        return LineageContext(self.store, self.limits.store_calls, request.scope[REQUEST_ID])

    def should_render_graphql_ide(self, request: Any) -> bool:
        return _wants_playground(request)

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(playground_html())

    def encode_json(self, data: object) -> bytes:
        return encode(data)

    async def parse_http_body(self, request_adapter: AsyncHTTPRequestAdapter) -> Asked:
        """The parameters, from the address of a GET or the JSON body of a POST; the query a persisted hash
        names; no query, or text no store can hold, is a request error. An empty query is no query, as
        strawberry takes it too (it raised MissingQueryError past every hook: a 500)."""
        data: object
        if request_adapter.method == "GET":
            params = _parameters(request_adapter.url.partition("?")[2])  # all of it: a raw "#" too
            fields: dict[str, object] = {name: params.get(name) for name in ("query", "operationName")}
            for name in ("variables", "extensions"):
                value = params.get(name)
                if value:
                    fields[name] = decode_json(value, name)
            data = fields
        else:
            require_json(request_adapter.content_type)
            data = decode_json(await request_adapter.get_body(), "the body")
        checked = check_parameters(data)
        extensions = checked.get("extensions") or {}
        asked = Asked(self.persisted.resolve(checked.get("query") or None, extensions), checked.get("variables") or {},
                      checked.get("operationName"), extensions)  # fmt: skip
        asked.refusal = _refusal(asked)
        return asked

    async def execute_operation(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: LineageContext,
        root_value: None,
        sub_response: Response,
    ) -> Any:
        """Here, on the server's loop, what needs no GraphQL: a request error, and the answer's key (store
        version, query, variables, media type), which may answer 304 (a GET) or an answer kept for it (a GET,
        or a POST with ``posts_from_kept``). Only the rest goes to the GraphQL loop, so a revalidation never
        waits behind a heavy query."""
        assert isinstance(request_data, Asked) and isinstance(sub_response, Reply)
        if request_data.refusal is not None:
            return PreExecutionError(None, [request_data.refusal])
        if sub_response.method == "GET" or self.posts_from_kept:
            try:
                version = await asyncio.to_thread(self.store.version)
            except StoreUnavailable as exc:
                return PreExecutionError(None, [GraphQLError(str(exc), original_error=exc)])
            asked = (request_data.query, request_data.operation_name, sorted((request_data.variables or {}).items()))
            sub_response.key = etag_of(self.store.name, version, sub_response.answer_media, repr(asked))
            sub_response.not_modified = sub_response.method == "GET" and matches(
                sub_response.if_none_match, sub_response.key
            )
            sub_response.kept = None if sub_response.not_modified else self.answers.get(sub_response.key)
            if sub_response.kept is None and not sub_response.not_modified:
                shared = await self.being_computed(sub_response)
                if shared is not None:
                    sub_response.kept, sub_response.kept_status = shared
                    if shared.status != 200:  # a timeout or an absent store: never an answer to cache
                        sub_response.key = None
            if sub_response.not_modified or sub_response.kept is not None:
                return ExecutionResult(data=None, errors=None)
        work = super().execute_operation(request, request_adapter, request_data, context, root_value, sub_response)
        seconds = self.limits.timeout_seconds
        try:
            result = await asyncio.wait_for(off_loop(work), seconds)
        except TimeoutError:
            message = f"the query took longer than {seconds:g} s and was stopped"
            return PreExecutionError(None, [GraphQLError(message, extensions={"code": "TIMEOUT"})])
        if "persistedQuery" in (request_data.extensions or {}) and not isinstance(result, PreExecutionError):
            self.persisted.learn(request_data.query or "")  # it parsed and validated: worth remembering
        return result

    async def being_computed(self, reply: Reply) -> Shared | None:
        """The answer another request with the same key is computing, once it has it; None where none is, and
        this request computes it while the others asking meanwhile wait (fifty first requests for one question
        ran it fifty times), or where that request got no answer to share (each waiter then computes its own).
        A timeout or an absent store is shared as the answer: the waiters' own tries would meet it too, all at
        once, on the heaviest questions."""
        assert reply.key is not None
        computing = self.in_flight.get(reply.key)
        if computing is not None:
            return await asyncio.shield(computing)
        self.in_flight[reply.key] = reply.computing = asyncio.get_running_loop().create_future()
        return None

    def shared(self, reply: Reply, answer: Shared | None) -> None:
        """Give the requests waiting for this one's answer that answer (None: none to share), once."""
        computing, reply.computing = reply.computing, None
        if computing is not None:
            computing.set_result(answer)
            del self.in_flight[cast(str, reply.key)]

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: LineageContext,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Strawberry's execution, with its refusals answered as the GraphQL-over-HTTP spec says: an operation
        that cannot be picked is a request error, a mutation sent by GET 405."""
        context.operation_name = request_data.operation_name
        try:
            return await self.schema.execute(
                request_data.query,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=OperationType.from_http(request_adapter.method),
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as exc:
            name = exc.operation_name
            message = (
                "the document has no operation"
                if name is None
                else f"the document has no operation named {name[:200]!r}"
            )
            return PreExecutionError(None, [GraphQLError(message, extensions={"code": "OPERATION_RESOLUTION_FAILURE"})])
        except InvalidOperationTypeError:
            raise Refused(405, "only queries may be sent by GET", {"Allow": "POST"}) from None

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        """The GraphQL response: ``data`` only when the operation ran, and its errors shaped."""
        before_execution = isinstance(result, PreExecutionError)
        body: GraphQLHTTPResponse = {} if before_execution else {"data": result.data}
        errors = shape_errors(result.errors or (), before_execution, request.scope[REQUEST_ID], self.limits)
        if errors:
            body["errors"] = list(errors)
        return body

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        """The answer with its status, headers and caching: a kept answer as it was kept, a new one kept
        when it has data and no errors."""
        assert isinstance(sub_response, Reply) and isinstance(response_data, dict)
        reply = sub_response
        headers = {"X-Request-Id": reply.request_id, "Vary": "Accept, Accept-Encoding"}
        public = {"ETag": reply.key or "", "Cache-Control": f"public, max-age={CACHE_SECONDS}"}
        if reply.not_modified:
            return Response(status_code=304, headers={**headers, **public})
        content, status = reply.kept, reply.kept_status
        if content is None:
            content = self.encode_json(response_data)
            body: dict[str, Any] = dict(response_data)
            status = status_of(reply.answer_media, body)
            errors = error_codes(body)
            if reply.key is not None and "data" in body and not errors:
                if len(content) <= ANSWER_BYTES:
                    self.answers.put(reply.key, content)
                self.shared(reply, Shared(content, status))
            else:
                self.shared(reply, Shared(content, status) if errors and errors <= SHARED_ERRORS else None)
                reply.key = None
        headers.update(public if reply.key is not None and reply.method == "GET" else {"Cache-Control": "no-store"})
        if status in (503, 504):
            headers["Retry-After"] = RETRY_AFTER
        return Response(content, status, headers, media_type=f"{reply.answer_media}; charset=utf-8")


#: The parameters a GET gives in its address (GraphQL over HTTP); any other is no business of the endpoint's.
GET_PARAMETERS = frozenset({"query", "operationName", "variables", "extensions"})


def _parameters(query_string: str) -> dict[str, str]:
    """The GraphQL parameters of a GET's address, each given once and UTF-8 once its %-escapes are decoded:
    ``?query=a&query=b`` ran b, the last one winning silently, and an escape of a byte UTF-8 has not was read
    as U+FFFD, so a question other than the one sent was asked. Each is a 400 naming the parameter. The address
    is otherwise read as Starlette reads it (blank values kept)."""
    given: dict[str, str] = {}
    for name, value in parse_qsl(query_string, keep_blank_values=True, errors="surrogateescape"):
        if name in GET_PARAMETERS:
            if name in given:
                raise Refused(400, f"the parameter {name} is given more than once: give it once")
            try:
                value.encode()
            except UnicodeEncodeError as exc:
                problem = f"%-escapes at character {exc.start} give bytes it has not"
                raise Refused(400, f"the parameter {name} is not UTF-8: {problem}") from None
            given[name] = value
    return given


def _refusal(asked: Asked) -> GraphQLError | None:
    """What stops a request before anything runs: no query (or an unknown persisted hash), or text that is not
    valid Unicode (JSON allows a lone surrogate; no store can hold it)."""
    if asked.query is None:
        if "persistedQuery" in (asked.extensions or {}):
            return GraphQLError("PersistedQueryNotFound", extensions={"code": "PERSISTED_QUERY_NOT_FOUND"})
        return GraphQLError("the request has no query", extensions={"code": "BAD_REQUEST"})
    for value, where in ((asked.query, "the query"), (asked.operation_name, "operationName"),
                         (asked.variables, "variables")):  # fmt: skip
        problem = not_unicode(value, where)
        if problem:
            return GraphQLError(problem, extensions={"code": "BAD_USER_INPUT"})
    return None


def _wants_playground(request: Any) -> bool:
    """A browser opening an address (it asks for HTML) gets the playground even when the address carries a
    query, as the explorer's links and the playground's own shared addresses do; a script asking a query
    by GET gets its answer."""
    if request.method != "GET":
        return False
    accept = request.headers.get("accept", "")
    params: Mapping[str, Any] = request.query_params
    return "text/html" in accept or (params.get("query") is None and "*/*" in accept
                                     and not params.get("extensions"))  # fmt: skip


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


def _freeze_heap(_: asyncio.Task[None]) -> None:
    """A worker's store, loaded and prepared, out of the cyclic garbage collector's reach: it holds the graph
    for as long as the worker lives, and a full collection walked its objects (about 600,000 for the real
    graph) in one pause of a second or more, the one-client p99 spikes (benchmarks/README.md)."""
    gc.freeze()


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
    store: Store,
    limits: Limits = DEFAULT_LIMITS,
    close_store: bool = False,
    public_url: str | None = None,
    posts_from_kept: bool = False,
) -> Starlette:
    """The app over ``store``; with ``close_store`` it closes the store as it shuts down (one per worker), and
    once prepared holds it out of the garbage collector's reach (``_freeze_heap``).
    ``public_url`` (checked by public_base_url) is the address its absolute links and redirects name, never
    the Host header a client sends. With ``posts_from_kept`` (as `lineage serve` runs) a POST is answered
    from the kept answers too; without it (`lineage query`, which asks once) a POST reads no store version."""
    graphql = GraphQLView(store, limits, posts_from_kept)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # in the background: the server answers at once, and the first Sankey or pupil-reach need not wait
        preparing = asyncio.create_task(asyncio.to_thread(questions.prepare, store))
        preparing.add_done_callback(_log_failure)
        if close_store:
            preparing.add_done_callback(_freeze_heap)
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
                # a snapshot saved since this worker loaded it: it answers from the one it loaded until restarted
                "superseded": await asyncio.to_thread(store.superseded),
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
        """The newest releases, statements and gaps closed as Atom, its links under the public address
        (``public_url``; only without one, the address the reader asked)."""
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
            Route("/graphql", graphql, methods=["GET", "POST"]),
        ],
        exception_handlers={HTTPException: _json_error, Exception: _json_error},
        middleware=[
            Middleware(
                PreflightInJson,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["content-type"],
                expose_headers=["x-request-id", "etag"],
                allow_credentials=False,
                max_age=600,
            ),
            Middleware(GzipAsAccepted),
            Middleware(GZipMiddleware, minimum_size=1024, compresslevel=6),
        ],
    )
    app.router.redirect_slashes = False  # its redirect would name the client's Host: "/explore/" answers 404
    return app


class PreflightInJson(CORSMiddleware):
    """Starlette's CORS, whose refused preflight ("Disallowed CORS headers") is answered in JSON as every other
    refusal is: it was the one body in plain text."""

    def preflight_response(self, request_headers: Headers) -> Response:
        answer = super().preflight_response(request_headers)
        if answer.status_code < 400:
            return answer
        said = bytes(answer.body).decode()
        headers = {k: v for k, v in answer.headers.items() if k.lower() not in ("content-length", "content-type")}
        return JSONResponse(error_body(said, "BAD_REQUEST"), answer.status_code, headers=headers)


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header accepts gzip (RFC 9110, 12.5.3): named in any case, or by "*", with a
    weight above 0 ("gzip;q=0" refuses it)."""
    weights: dict[str, float] = {}
    for part in header.split(","):
        coding, _, parameters = part.strip().partition(";")
        weight = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0  # a weight that is no number accepts nothing
        weights[coding.strip().lower()] = weight
    return weights.get("gzip", weights.get("*", 0.0)) > 0


class GzipAsAccepted:
    """Tells Starlette's gzip middleware, which looks only for "gzip" in the header, what the client accepts: a
    client refusing gzip ("gzip;q=0, identity") had been sent it, and one writing "GZIP" had not."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = [(name, value) for name, value in scope["headers"] if name != b"accept-encoding"]
            said = b", ".join(value for name, value in scope["headers"] if name == b"accept-encoding")
            if accepts_gzip(said.decode("latin-1")):
                headers.append((b"accept-encoding", b"gzip"))
            scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)


def app_from_environment() -> Starlette:
    """The app over the store that $LINEAGE_STORE names, opened by this process: what each of `lineage
    serve`'s workers runs (uvicorn's app factory). Each worker holds the graph, so it collects cycles as
    seldom as the CLI's process does (lineage.stores.memory.GC_THRESHOLDS). A store it cannot open ends it with
    uvicorn's exit for an app that could not start, which stops the server: a worker that died so had been started
    again without end, each time failing alike."""
    from uvicorn.config import STARTUP_FAILURE

    from lineage.stores import open_store
    from lineage.stores.memory import GC_THRESHOLDS

    gc.set_threshold(*GC_THRESHOLDS)

    public_url = os.environ.get(PUBLIC_URL_ENV) or None
    try:  # a snapshot deleted, or Neo4j gone, since `lineage serve` started: never an empty graph
        store = open_store(os.environ[STORE_ENV], existing=True)
    except LineageError as exc:
        logging.getLogger("uvicorn.error").error("lineage: %s", exc)
        raise SystemExit(STARTUP_FAILURE) from None
    return create_app(store, close_store=True, public_url=public_url, posts_from_kept=True)


def public_base_url(text: str) -> str:
    """An address the app may name in its links and redirects: http(s), a host, perhaps a port and a path; no
    query, fragment or credentials. Without its final slash."""
    address = urlsplit(text.strip())
    if address.scheme not in ("http", "https") or not address.hostname or address.query or address.fragment:
        raise ValueError(f"{text[:200]!r} is not a public address such as https://lineage.example.org")
    if address.username is not None or address.password is not None:
        raise ValueError(f"{text[:200]!r} holds credentials: a public address must not")
    return urlunsplit((address.scheme, address.netloc, address.path.rstrip("/"), "", ""))
