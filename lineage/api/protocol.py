"""GraphQL over HTTP, apart from any one app: reading a request (refusing what is not GraphQL over HTTP),
the media type of the answer and the status each answer gets, as the GraphQL-over-HTTP spec says, picking
the operation, ETags, and Apollo's automatic persisted queries."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import OperationDefinitionNode
from starlette.requests import ClientDisconnect, Request

from lineage.api.limits import Limits

JSON = "application/json"
GRAPHQL_JSON = "application/graphql-response+json"
#: Queries registered by hash at run time (Apollo's automatic persisted queries); the cookbook's are kept apart.
PERSISTED_QUERIES = 1_000


class Refused(Exception):
    """A request that is not GraphQL over HTTP, answered with ``status`` and a JSON error before anything runs."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class GraphQLRequest:
    query: str | None
    variables: dict[str, Any]
    operation_name: str | None
    extensions: dict[str, Any]


def error_body(message: str, code: str, **extensions: object) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


def encode(data: object) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


# ---- reading the request --------------------------------------------------------------------------


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


def _decode_json(text: str | bytes, what: str) -> object:
    try:
        return json.loads(text)
    except RecursionError:
        raise Refused(400, f"{what} is nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, and UnicodeDecodeError for bytes that are not UTF-8
        reason = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else f"not JSON ({exc})"
        raise Refused(400, f"{what} is {reason}") from None


def _kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _graphql_request(data: object) -> GraphQLRequest:
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
    return GraphQLRequest(data.get("query"), data.get("variables") or {}, data.get("operationName"),
                          data.get("extensions") or {})  # fmt: skip


async def _body(request: Request, limit: int) -> bytes:
    """The body, at most ``limit`` bytes. A larger one is read to its end (up to a bound) and refused with
    413, so the client's connection stays usable for its next request."""
    declared = request.headers.get("content-length", "")
    drain = declared.isdigit() and int(declared) <= limit * 16
    if declared.isdigit() and not drain:
        raise Refused(413, f"the body is larger than {limit:,} bytes", {"Connection": "close"})
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size <= limit:
                chunks.append(chunk)
            elif size > limit * 16:
                raise Refused(413, f"the body is larger than {limit:,} bytes", {"Connection": "close"})
    except ClientDisconnect:
        raise Refused(400, "the client closed the connection before the body ended") from None
    if size > limit:
        raise Refused(413, f"the body is larger than {limit:,} bytes")
    return b"".join(chunks)


async def read_request(request: Request, limits: Limits) -> GraphQLRequest:
    if request.method in ("GET", "HEAD"):
        if len(request.url.query) > limits.max_body_bytes:
            raise Refused(414, f"the query string is longer than {limits.max_body_bytes:,} bytes")
        params = request.query_params
        data: dict[str, object] = {k: params.get(k) for k in ("query", "operationName")}
        for name in ("variables", "extensions"):
            if params.get(name):
                data[name] = _decode_json(params[name], name)
        return _graphql_request(data)
    media, *options = (part.strip().lower() for part in request.headers.get("content-type", "").split(";"))
    charsets = [value.strip().strip('"') for key, _, value in (o.partition("=") for o in options) if key == "charset"]
    if media != JSON or any(charset not in ("utf-8", "utf8") for charset in charsets):
        raise Refused(415, f"send the request as {JSON} (UTF-8)")
    return _graphql_request(_decode_json(await _body(request, limits.max_body_bytes), "the body"))


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
    kept up to PERSISTED_QUERIES, the least recently used going first."""

    def __init__(self, cookbook: Path) -> None:
        self.cookbook = {sha256(text): text for text in (p.read_text() for p in sorted(cookbook.glob("*.graphql")))}
        self.learned: OrderedDict[str, str] = OrderedDict()

    def resolve(self, request: GraphQLRequest) -> tuple[str | None, str | None]:
        """(the query text, the hash to remember it by once it validates)."""
        persisted = request.extensions.get("persistedQuery")
        if persisted is None:
            return request.query, None
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise Refused(400, "extensions.persistedQuery must be {version: 1, sha256Hash: ...}")
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str):
            raise Refused(400, "extensions.persistedQuery.sha256Hash must be a string")
        digest = digest.lower()
        if request.query is not None:
            if sha256(request.query) != digest:
                raise Refused(400, "provided sha does not match query")
            return request.query, digest
        known = self.cookbook.get(digest) or self.learned.get(digest)
        if known is not None and digest in self.learned:
            self.learned.move_to_end(digest)
        return known, None

    def learn(self, digest: str, query: str) -> None:
        if digest not in self.cookbook:
            self.learned[digest] = query
            if len(self.learned) > PERSISTED_QUERIES:
                self.learned.popitem(last=False)


# ---- answering ------------------------------------------------------------------------------------


def status_of(media: str, body: dict[str, Any]) -> int:
    codes = {error["extensions"]["code"] for error in body.get("errors", ())}
    if "STORE_UNAVAILABLE" in codes:
        return 503
    if "TIMEOUT" in codes:
        return 504
    if media == JSON:
        return 200
    if "data" not in body:  # a request error: nothing ran
        return 400
    return 203 if codes else 200


def pick_operation(document: Any, name: str | None) -> OperationDefinitionNode | str:
    """The operation to run, or why none can be picked (the spec's GetOperation)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        if len(operations) == 1:
            return operations[0]
        return "the document has several operations: name the one to run in operationName"
    for operation in operations:
        if operation.name is not None and operation.name.value == name:
            return operation
    return f"the document has no operation named {name[:200]!r}"


def etag_of(*parts: object) -> str:
    return 'W/"' + hashlib.sha256(repr(parts).encode()).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags
