"""What GraphQL over HTTP needs beyond strawberry's own view, apart from any one app: bounds on what is read,
the request's parameters checked with messages in the caller's terms, the answer's media type and status as
the GraphQL-over-HTTP spec says, ETags, Apollo's automatic persisted queries, variables that do not coerce
as request errors, and every error shaped (coded, clipped, ours masked and logged) in one place."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from inspect import isawaitable
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLFormattedError,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLSyntaxError,
    get_operation_ast,
    parse,
)
from graphql.validation.validate import ValidationAbortedError
from starlette.types import Message, Receive, Scope
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from lineage.api.context import LineageContext
from lineage.api.limits import Limits
from lineage.cache import Kept, length_and_entry
from lineage.errors import LineageError, QueryError, RefusedText, clip

log = logging.getLogger("lineage.api")
JSON = "application/json"
GRAPHQL_JSON = "application/graphql-response+json"
#: The bytes of the queries registered by hash at run time (Apollo's automatic persisted queries), each counted
#: by its length and the cost of an entry (lineage.cache.length_and_entry); the cookbook's are kept apart. By
#: count alone (1,000), texts of a 126 KB comment each grew a worker by 126 MB.
PERSISTED_BYTES = 8 * 1024 * 1024
#: A body this many times the limit is read no further: the connection is closed instead.
DRAINED_AT_MOST = 16


class Refused(Exception):
    """A request that is not GraphQL over HTTP, answered with ``status`` and a JSON error before anything runs."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error_body(message: str, code: str, **extensions: object) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


def encode(data: object) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


# ---- what is read ---------------------------------------------------------------------------------


def bounded_receive(scope: Scope, receive: Receive, limits: Limits) -> Receive:
    """``receive`` for a request whose body (or GET query string) is at most ``limits.max_body_bytes``: a
    longer query string answers 414, a declared or streamed body over the limit 413. A body a little over the
    limit is read to its end first, so the client's connection stays usable for its next request."""
    limit = limits.max_body_bytes
    if len(scope.get("query_string", b"")) > limit:
        raise Refused(414, f"the query string is longer than {limit:,} bytes")
    headers = dict(scope.get("headers", ()))
    coding = headers.get(b"content-encoding", b"identity").strip().lower()
    if coding not in (b"identity", b""):  # a gzipped body had been refused as "not UTF-8", a labelled plain one run
        shown = coding.decode("latin-1")[:40]
        raise Refused(415, f"the body's content coding {shown!r} is not supported: send it uncompressed")
    declared = headers.get(b"content-length", b"")
    too_large = f"the body is larger than {limit:,} bytes"
    if declared.isdigit() and int(declared) > limit * DRAINED_AT_MOST:
        raise Refused(413, too_large, {"Connection": "close"})
    size = 0

    async def receive_within() -> Message:
        nonlocal size
        message = await receive()
        size += len(message.get("body", b""))
        if message["type"] == "http.disconnect":
            raise Refused(400, "the client closed the connection before the body ended")
        if size <= limit:
            return message
        while message.get("more_body") and size <= limit * DRAINED_AT_MOST:
            message = await receive()
            size += len(message.get("body", b""))
        raise Refused(413, too_large, {"Connection": "close"} if message.get("more_body") else {})

    return receive_within


def media_type(accept: str | None) -> str:
    """The response media type the Accept header prefers (application/json when it names none of ours);
    406 when it accepts neither."""
    if not accept:
        return JSON
    ranked = []
    for position, part in enumerate(accept.split(",")):
        name, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        chosen = {GRAPHQL_JSON: GRAPHQL_JSON, JSON: JSON, "application/*": JSON, "*/*": JSON}.get(name.lower())
        if chosen and quality > 0:
            ranked.append((-quality, position, chosen))
    if not ranked:
        raise Refused(406, f"cannot answer in any type the Accept header names; ask for {GRAPHQL_JSON} or {JSON}")
    return min(ranked)[2]


def require_json(content_type: str | None) -> None:
    """415 unless the body is sent as UTF-8 JSON (a quoted or capitalised charset is UTF-8 too)."""
    media, *options = (part.strip().lower() for part in (content_type or "").split(";"))
    charsets = [value.strip().strip('"') for key, _, value in (o.partition("=") for o in options) if key == "charset"]
    if media != JSON or any(charset not in ("utf-8", "utf8") for charset in charsets):
        raise Refused(415, f"send the request as {JSON} (UTF-8)")


def _whole_number(digits: str) -> int:
    """A whole number in JSON, refused in the caller's terms where it has more digits than this Python reads
    (its own refusal tells the reader to raise the bound with sys.set_int_max_str_digits)."""
    most, length = sys.get_int_max_str_digits(), len(digits.lstrip("-"))
    if most and length > most:  # 0: no bound
        raise ValueError(f"a number of {length:,} digits: at most {most:,} are read")
    return int(digits)


def _not_json(constant: str) -> float:
    """NaN, Infinity and -Infinity, which Python's json reads but JSON has not (RFC 8259, 6)."""
    raise ValueError(f"{constant} is not a JSON number")


def _finite(digits: str) -> float:
    """A number with a fraction or an exponent, refused where it is past a double's range (Python reads 1e400 as
    infinity, which no JSON number is)."""
    number = float(digits)
    if math.isinf(number):
        raise ValueError("a number beyond ±1.8e308: no larger is read")
    return number


class _NamedTwice(ValueError):
    """An object that gives one name twice: JSON does not say which value it holds (RFC 8259, 4)."""


def _named_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object of JSON, refused where it gives a name twice: Python keeps the last value, silently, where
    another reader of the same text (a proxy, a log) may keep the first."""
    found = dict(pairs)
    if len(found) < len(pairs):
        seen: set[str] = set()
        for name, _ in pairs:
            if name in seen:
                raise _NamedTwice(name)
            seen.add(name)
    return found


def decode_json(text: str | bytes, what: str) -> object:
    """JSON sent by a caller (a body, a GET parameter, the CLI's --vars), refused with a message naming ``what``.
    Bytes are read as UTF-8 alone (a UTF-8 byte-order mark dropped): json.loads reads UTF-16 and UTF-32 bytes too, so
    a body sent as UTF-8 (require_json) and written in UTF-16 had run, read otherwise than a proxy or log reads it."""
    try:
        if isinstance(text, bytes):
            text = text.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        return json.loads(
            text, parse_int=_whole_number, parse_float=_finite, parse_constant=_not_json, object_pairs_hook=_named_once
        )
    except RecursionError:
        raise Refused(400, f"{what} is nested too deeply") from None
    except _NamedTwice as exc:
        message = f"{what} is not JSON read one way: it names {exc.args[0]!r} twice in one object"
        raise Refused(400, clip(message)) from None
    except ValueError as exc:  # JSONDecodeError, and UnicodeDecodeError for bytes that are not UTF-8
        reason = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else f"not JSON ({exc})"
        raise Refused(400, f"{what} is {reason}") from None


def _kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def check_parameters(data: object) -> dict[str, Any]:
    """The request's parameters, refusing a body of the wrong shape with a clear message."""
    if isinstance(data, list):
        raise Refused(400, "a batch of operations (a JSON array) is not supported: send one object per request")
    if not isinstance(data, dict):
        raise Refused(400, f"the body must be a JSON object with a query, not {_kind(data)}")
    for name, wanted in (("query", str), ("operationName", str), ("variables", dict), ("extensions", dict)):
        value = data.get(name)
        if value is not None and not isinstance(value, wanted):
            expected = "a string" if wanted is str else "an object"
            raise Refused(400, f"{name} must be {expected} or null, not {_kind(value)}")
    return data


def not_unicode(value: object, where: str) -> str | None:
    """Where a lone surrogate hides in a string (JSON allows "\\ud800"; no store can hold it), if anywhere."""
    stack = [(value, where)]
    while stack:
        item, place = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                return f"{place} is not valid Unicode: a lone surrogate at character {exc.start}"
        elif isinstance(item, dict):
            stack += [(v, f"{place}.{k}") for k, v in item.items()] + [(k, f"a key of {place}") for k in item]
        elif isinstance(item, list):
            stack += [(v, f"{place}[{i}]") for i, v in enumerate(item)]
    return None


# ---- persisted queries ----------------------------------------------------------------------------


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class PersistedQueries:
    """Apollo's automatic persisted queries: a client sends a query's SHA-256 hash alone, and the query
    once when the server does not know it yet. The cookbook's files are known from the start; others are
    kept up to PERSISTED_BYTES, the least recently used going first."""

    def __init__(self, cookbook: Path) -> None:
        self.cookbook = {sha256(text): text for text in (p.read_text() for p in sorted(cookbook.glob("*.graphql")))}
        self.learned: Kept[str, str] = Kept(PERSISTED_BYTES, sizeof=length_and_entry)

    def resolve(self, query: str | None, extensions: dict[str, Any]) -> str | None:
        """The query text a request asks for, checked against its hash when it sends both."""
        persisted = extensions.get("persistedQuery")
        if persisted is None:
            return query
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise Refused(400, "extensions.persistedQuery must be {version: 1, sha256Hash: ...}")
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str):
            raise Refused(400, "extensions.persistedQuery.sha256Hash must be a string")
        if query is not None:
            if sha256(query) != digest.lower():
                raise Refused(400, "provided sha does not match query")
            return query
        return self.cookbook.get(digest.lower()) or self.learned.get(digest.lower())

    def learn(self, query: str) -> None:
        """Remembers a query that parsed and validated, by its hash."""
        digest = sha256(query)
        if digest not in self.cookbook:
            self.learned.put(digest, query)


# ---- answering ------------------------------------------------------------------------------------


def error_codes(body: dict[str, Any]) -> set[str]:
    """The codes of a GraphQL response's errors."""
    return {error["extensions"]["code"] for error in body.get("errors") or ()}


def status_of(media: str, body: dict[str, Any]) -> int:
    codes = error_codes(body)
    if "STORE_UNAVAILABLE" in codes:
        return 503
    if "TIMEOUT" in codes:
        return 504
    if media == JSON:
        return 200
    if "data" not in body:  # a request error: nothing ran
        return 400
    return 203 if codes else 200


def etag_of(*parts: object) -> str:
    return 'W/"' + hashlib.sha256(repr(parts).encode()).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


class RequestRefused(Exception):
    """A request error found as execution begins (the operation cannot be picked, the variables do not
    coerce): nothing ran, so the GraphQL-over-HTTP spec answers it with no ``data``. It carries graphql's
    errors, coded."""

    def __init__(self, errors: list[GraphQLError]) -> None:
        super().__init__("the request cannot be executed")
        self.errors = errors


class CoercingExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, picking the operation the request names as graphql does (strawberry would run
    the first of several when none is named), and raising the errors that stop it before it starts (strawberry
    answers an exception before execution as a request error) rather than returning them as a result with
    ``data: null``."""

    @classmethod
    def build(
        cls,
        schema: GraphQLSchema,
        document: DocumentNode,
        root_value: Any = None,
        context_value: Any = None,
        raw_variable_values: dict[str, Any] | None = None,
        operation_name: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if isinstance(context_value, LineageContext):
            operation_name = context_value.operation_name
        executor = super().build(
            schema, document, root_value, context_value, raw_variable_values, operation_name, *args, **kwargs
        )
        if not isinstance(executor, list):
            return executor
        if get_operation_ast(document, operation_name) is None:
            message = "the document has several operations: name the one to run in operationName"
            raise RequestRefused([GraphQLError(message, extensions={"code": "OPERATION_RESOLUTION_FAILURE"})])
        raise RequestRefused([with_code(error, "BAD_USER_INPUT") for error in executor])


# ---- shaping errors -------------------------------------------------------------------------------

INTERNAL_MESSAGE = "Internal error: the server could not answer"
UNAVAILABLE_MESSAGE = "the graph store is unavailable: try again shortly"


class NamedRefusals(SchemaExtension):
    """A text the core refuses as search text (:class:`~lineage.errors.RefusedText`, "search text must hold a
    letter or a digit") named as the caller gave it: by the argument of the field asked that holds it ("name must
    hold a letter or a digit"). The core knows no GraphQL argument, and a question that searches for what one
    argument names (organisationReceipts' ``name``, onwardSharing's ``from``, gaps' ``organisation``) is asked
    the same, and keeps the same answers, whichever argument it came as. Where two arguments hold the same text,
    each is refused alike, and the first is named; where none holds it, the core's words stand."""

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo[Any], *args: Any, **kwargs: Any
    ) -> Any:
        if not kwargs:  # most fields take no argument: nothing to name
            return _next(root, info, *args, **kwargs)
        try:
            result = _next(root, info, *args, **kwargs)
        except RefusedText as refused:
            raise named(refused, kwargs) from None
        return _named_when_done(result, kwargs) if isawaitable(result) else result


async def _named_when_done(result: Awaitable[Any], arguments: Mapping[str, Any]) -> Any:
    try:
        return await result
    except RefusedText as refused:
        raise named(refused, arguments) from None


def named(refused: RefusedText, arguments: Mapping[str, Any]) -> QueryError:
    """The refusal, naming the first of ``arguments`` (GraphQL's names) that holds the refused text; else as is."""
    argument = next((name for name, value in arguments.items() if value == refused.text), None)
    return refused if argument is None else QueryError(f"{argument} {refused.problem}")


def with_code(error: GraphQLError, code: str, message: str | None = None) -> GraphQLError:
    """The same error (place, path, cause) with ``extensions.code`` set, keeping a code already there."""
    extensions = {"code": code, **(error.extensions or {})}
    return GraphQLError(
        error.message if message is None else message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=extensions,
    )


#: What graphql-core's "Validation aborted." means: its validation spends a budget of work (comparing a selection's
#: fields with one another, following shared fragments), so that a small document cannot keep it busy; 708 repeated
#: fields in one selection spend it. The caller learns which limit, and what to change.
VALIDATION_ABORTED = (
    "the document is too costly to validate: comparing its fields with one another (repeated or overlapping fields, "
    "or fragments spread many times) exceeds the validator's budget; ask for fewer fields in one selection"
)


def stopped_by_token_limit(error: GraphQLSyntaxError, max_tokens: int) -> bool:
    """Whether the token limit, not the syntax, stopped the parser: allowed one token more, it gets past the
    place it stopped (a syntax error stops it at the same place again)."""
    try:
        parse(error.source or "", max_tokens=max_tokens + 1)
    except GraphQLSyntaxError as again:
        return again.positions != error.positions
    return True


def code_of(error: GraphQLError, before_execution: bool, limits: Limits) -> str:
    """What kind of failure an error is: coded where it was found, else as its cause's class declares
    (lineage.errors: the caller's, the store's or ours). Before execution an uncoded error is the document's
    (it does not parse, or does not validate); any other exception is ours."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    original = error.original_error
    if isinstance(original, LineageError):
        return original.code
    if isinstance(error, GraphQLSyntaxError):
        return "TOKEN_LIMIT" if stopped_by_token_limit(error, limits.max_tokens) else "GRAPHQL_PARSE_FAILED"
    if isinstance(error, ValidationAbortedError):
        return "VALIDATION_LIMIT"
    if before_execution and original is None:
        return "GRAPHQL_VALIDATION_FAILED"
    if isinstance(original, GraphQLError) and _raised_in(original, COERCING_ARGUMENTS):
        return "BAD_USER_INPUT"
    return "INTERNAL_SERVER_ERROR"


#: Where graphql-core coerces a field's arguments from the caller's document and variables as it executes: a
#: refusal raised there is of the caller's values (an explicit null for a variable with a default, used where a
#: value is required), never our fault; any other error raised in execution is.
COERCING_ARGUMENTS = "graphql.execution.values"


def _raised_in(error: Exception, module: str) -> bool:
    """Whether ``error`` was raised by code of ``module`` (its traceback's innermost frame)."""
    frame = error.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and frame.tb_frame.f_globals.get("__name__") == module


def _unwrapped(errors: Sequence[GraphQLError]) -> list[GraphQLError]:
    """The errors, each request refusal (strawberry wraps the exception) as the errors it carries."""
    unwrapped = []
    for error in errors:
        refused = error.original_error
        unwrapped += refused.errors if isinstance(refused, RequestRefused) else [error]
    return unwrapped


def shape_errors(
    errors: Sequence[GraphQLError], before_execution: bool, request_id: str, limits: Limits
) -> list[GraphQLFormattedError]:
    """Every error coded and its quotes clipped, as the response carries it. Our own faults are masked (the
    caller learns the request id, never the detail) and logged here, once each, with the request id and the
    traceback; an unavailable store is logged without one, as its cause is outside the program."""
    shaped = []
    for error in _unwrapped(errors):
        code = code_of(error, before_execution, limits)
        if code == "INTERNAL_SERVER_ERROR":
            cause = error.original_error or error
            log.error("request %s: internal error at %s", request_id, error.path, exc_info=cause)
            message = f"{INTERNAL_MESSAGE} (request {request_id})."
            extensions = {"code": code, "requestId": request_id}
            shaped.append(GraphQLError(message, error.nodes, path=error.path, extensions=extensions))
        elif code == "STORE_UNAVAILABLE":
            log.warning("request %s: %s", request_id, error.original_error or error.message)
            shaped.append(with_code(GraphQLError(UNAVAILABLE_MESSAGE, error.nodes, path=error.path), code))
        else:
            message = VALIDATION_ABORTED if code == "VALIDATION_LIMIT" else clip(error.message)
            shaped.append(with_code(error, code, message))
    return [error.formatted for error in shaped]
