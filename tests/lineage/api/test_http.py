"""GraphQL over HTTP as the spec (graphql/graphql-over-http) says: every body answered in JSON, client
mistakes as client errors with the status each media type calls for, operation selection, quoting limits,
persisted queries, caching and compression. The embedded store suffices: nothing here depends on the store."""

from __future__ import annotations

import hashlib
import json
import socket
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from benchmarks.common import AppServer
from lineage.api.protocol import GRAPHQL_JSON
from lineage.resources import COOKBOOK
from lineage.stores.memory import MemoryStore
from tests import fixture_graph as g
from tests import hostile
from tests.lineage.api.conftest import Spy, make_client

SEARCH = "query ($t: String!) { search(text: $t) { totalCount } }"


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    store.write(g.NODES, g.EDGES)
    return store


@pytest.fixture
async def http(store: MemoryStore) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(store) as client:
        yield client


async def post(http: httpx.AsyncClient, query: str, accept: str | None = None, **variables: Any) -> httpx.Response:
    headers = {"accept": accept} if accept else {}
    return await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)


# ---- client mistakes are client errors ------------------------------------------------------------

VARIABLE_MISTAKES = [
    ("query ($urn: Int!) { schoolSuccessors(urn: $urn) { school { id } } }", {"urn": "abc"},
     "Variable '$urn' has invalid value: Int cannot represent non-integer value: 'abc'"),
    ("query ($urn: Int!) { schoolSuccessors(urn: $urn) { school { id } } }", {"urn": 1.5},
     "Variable '$urn' has invalid value: Int cannot represent non-integer value: 1.5"),
    ('query ($d: Direction!) { lineage(id: "x", direction: $d) { depth } }', {"d": "SIDEWAYS"},
     "Variable '$d' has invalid value: Value 'SIDEWAYS' does not exist in 'Direction' enum."),
    ('query ($d: Date) { lineage(id: "x", asOf: $d) { depth } }', {"d": "2013-13-45"},
     "Variable '$d' has invalid value: Value cannot represent a Date: \"2013-13-45\". month must be in 1..12"),
    (SEARCH, {"t": None}, "Variable '$t' has invalid value: Expected value of non-null type 'String!' not to be None."),
    (SEARCH, {}, "Variable '$t' has invalid value: Expected a value of non-null type 'String!' to be provided."),
]  # fmt: skip


@pytest.mark.parametrize(("query", "variables", "message"), VARIABLE_MISTAKES)
async def test_a_variable_that_does_not_coerce_is_the_callers_mistake(http, caplog, query, variables, message) -> None:
    for accept, status in ((None, 200), ("application/json", 200), (GRAPHQL_JSON, 400)):
        response = await http.post("/graphql", json={"query": query, "variables": variables},
                                   headers={"accept": accept} if accept else {})  # fmt: skip
        assert response.status_code == status
        assert response.headers["content-type"] == f"{accept or 'application/json'}; charset=utf-8"
        body = response.json()
        assert "data" not in body  # a request error: nothing ran
        assert [(e["message"], e["extensions"]) for e in body["errors"]] == [(message, {"code": "BAD_USER_INPUT"})]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]  # nothing for the operator


async def test_a_bad_literal_is_a_validation_error_not_an_internal_one(http) -> None:
    response = await post(http, '{ lineage(id: "x", asOf: "2013-13-45") { depth } }', accept=GRAPHQL_JSON)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert "month must be in 1..12" in error["message"]


async def test_a_bad_cursor_or_page_is_bad_user_input_after_execution_began(http) -> None:
    for accept, status in ((None, 200), (GRAPHQL_JSON, 203)):  # data (null) and errors: a partial response
        response = await post(http, '{ nodes(kind: SCHOOL, after: "nonsense") { totalCount } }', accept=accept)
        assert response.status_code == status
        assert response.json()["data"] is None
        error = response.json()["errors"][0]
        assert error["extensions"] == {"code": "BAD_USER_INPUT"} and error["path"] == ["nodes"]
        assert error["message"] == "after: 'nonsense' is not a cursor from this API"


async def test_only_a_cursor_the_api_gave_is_accepted(http) -> None:
    """Cursors int() read were taken as ours: "offset:03", "offset:+3", "offset:\u0663" (an Arabic-Indic 3) and others
    paged from 4, "offset:3_0" from 31; only OFFSET:3 was refused."""
    query = "query ($after: String) { nodes(kind: SCHOOL, first: 1, after: $after) { pageInfo { endCursor } } }"
    given = (await post(http, query)).json()["data"]["nodes"]["pageInfo"]["endCursor"]
    assert "errors" not in (await post(http, query, after=given)).json()
    for after in hostile.CURSORS:
        body = (await post(http, query, after=after)).json()
        assert body["data"] is None, after
        assert body["errors"][0]["message"] == f"after: {after[:40]!r} is not a cursor from this API", after


async def test_an_unknown_id_is_not_found(http) -> None:
    body = (await post(http, "query ($id: ID!) { lineage(id: $id) { depth } }", id="School:1")).json()
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND"}
    assert body["errors"][0]["message"] == "no node 'School:1' in the graph"


async def test_a_good_answer_is_200_in_either_media_type(http) -> None:
    for accept in ("application/json", GRAPHQL_JSON, f"{GRAPHQL_JSON}, application/json;q=0.9", "*/*"):
        response = await post(http, SEARCH, accept=accept, t="o'brien")
        assert response.status_code == 200 and response.json() == {"data": {"search": {"totalCount": 1}}}
    assert (
        (await post(http, SEARCH, accept="application/json;q=0.5, " + GRAPHQL_JSON, t="x"))
        .headers["content-type"]
        .startswith(GRAPHQL_JSON)
    )


# ---- every body answered in JSON ------------------------------------------------------------------

NOT_GRAPHQL = [
    (b"123", "application/json", 400, "the body must be a JSON object with a query, not a number"),
    (b"null", "application/json", 400, "the body must be a JSON object with a query, not null"),
    (b'"{ __typename }"', "application/json", 400, "the body must be a JSON object with a query, not a string"),
    (b"[]", "application/json", 400,
     "a batch of operations (a JSON array) is not supported: send one object per request"),
    (b'{"query": "{ \xff }"}', "application/json", 400, "the body is not UTF-8"),
    # json.loads reads UTF-16 and UTF-32 bytes too: a body sent as UTF-8 and written in either had run
    ('{"query": "{ __typename }"}'.encode("utf-16"), "application/json", 400, "the body is not UTF-8"),
    ('{"query": "{ __typename }"}'.encode("utf-32"), "application/json", 400, "the body is not UTF-8"),
    (b'{"query": ', "application/json", 400, "the body is not JSON (Expecting value: line 1 column 11 (char 10))"),
    (b"[" * 100_000, "application/json", 400, "the body is nested too deeply"),
    (b'{"query": "{ __typename }", "variables": {"n": ' + b"9" * 5000 + b"}}", "application/json", 400,
     "the body is not JSON (a number of 5,000 digits: at most 4,300 are read)"),  # not Python's advice to raise it
    (b'{"query": 5}', "application/json", 400, "query must be a string or null, not a number"),
    # Python's json read NaN and Infinity, which are not JSON, and a number past a double's range as infinity
    (b'{"query": "{ __typename }", "variables": {"n": NaN}}', "application/json", 400,
     "the body is not JSON (NaN is not a JSON number)"),
    (b'{"query": "{ __typename }", "variables": {"n": -Infinity}}', "application/json", 400,
     "the body is not JSON (-Infinity is not a JSON number)"),
    (b'{"query": "{ __typename }", "variables": {"n": 1e400}}', "application/json", 400,
     "the body is not JSON (a number beyond ±1.8e308: no larger is read)"),
    # a name given twice in one object: the last one ran, silently, whichever a proxy or another reader keeps
    (b'{"query": "{ __typename }", "query": "{ counts { totalNodes } }"}', "application/json", 400,
     "the body is not JSON read one way: it names 'query' twice in one object"),
    (b'{"query": "' + SEARCH.encode() + b'", "variables": {"t": "a", "t": "b"}}', "application/json", 400,
     "the body is not JSON read one way: it names 't' twice in one object"),
    (b'{"query": "{ __typename }", "' + b"q" * 1000 + b'": 1, "' + b"q" * 1000 + b'": 2}', "application/json", 400,
     "the body is not JSON read one way: it names '" + "q" * 200 + "…' (1,000 characters) twice in one object"),
    (b'{"query": "{ __typename }", "variables": [7]}', "application/json", 400,
     "variables must be an object or null, not an array"),
    (b"{}", "application/json", 200, "the request has no query"),
    (b"{ __typename }", "text/plain", 415, "send the request as application/json (UTF-8)"),
    (b"{ __typename }", "", 415, "send the request as application/json (UTF-8)"),
    (b'{"query": "{ __typename }"}', "application/json; charset=latin-1", 415,
     "send the request as application/json (UTF-8)"),
    (b'{"query": "{ __typename }"}', "application/json; charset='utf-8'", 415,
     "send the request as application/json (UTF-8)"),  # only double quotes quote a value (RFC 9110)
]  # fmt: skip


@pytest.mark.parametrize(("body", "content_type", "status", "message"), NOT_GRAPHQL)
async def test_every_body_is_answered_in_json(http, body: bytes, content_type: str, status: int, message: str) -> None:
    response = await http.post("/graphql", content=body, headers={"content-type": content_type})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["message"] == message


async def test_a_utf8_body_with_a_byte_order_mark_is_read(http) -> None:
    """A UTF-8 body may start with a byte-order mark (RFC 8259 lets a reader ignore it): read, as a CSV's is."""
    body = b"\xef\xbb\xbf" + b'{"query": "{ __typename }"}'
    response = await http.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_JSON])
async def test_an_empty_query_is_answered_as_no_query(http, caplog, accept: str) -> None:
    """An empty query (by POST or GET) answered 500, without CORS headers, logged twice: strawberry raised
    MissingQueryError past every hook. It is answered as a body with no query is."""
    headers = {"accept": accept, "origin": "https://elsewhere.example"}
    no_query = await http.post("/graphql", json={}, headers=headers)
    assert no_query.json() == {
        "errors": [{"message": "the request has no query", "extensions": {"code": "BAD_REQUEST"}}]
    }
    for empty in (await http.post("/graphql", json={"query": ""}, headers=headers),
                  await http.get("/graphql", params={"query": ""}, headers=headers)):  # fmt: skip
        assert (empty.status_code, empty.json()) == (no_query.status_code, no_query.json())
        assert empty.headers["access-control-allow-origin"] == "*"
    assert not [record for record in caplog.records if record.levelname == "ERROR"]


async def test_an_oversized_body_is_413_in_json(http) -> None:
    huge = json.dumps({"query": SEARCH, "variables": {"t": "x" * 5_000_000}})  # a 5 MB id
    response = await http.post("/graphql", content=huge, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["errors"][0] == {
        "message": "the body is larger than 131,072 bytes",
        "extensions": {"code": "BAD_REQUEST"},
    }


async def test_wrong_methods_and_media_types_are_answered_in_json(http) -> None:
    response = await http.put("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 405 and response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    response = await post(http, "{ __typename }", accept="text/csv")
    assert response.status_code == 406 and "Accept" in response.json()["errors"][0]["message"]
    response = await http.get("/nowhere")
    assert response.status_code == 404 and response.json()["errors"]


@pytest.mark.parametrize(
    "content_type",
    ['application/json;charset="utf-8"', "application/json; charset=UTF-8", 'application/json; charset="UTF8"'],
)
async def test_a_quoted_or_capitalised_utf8_charset_is_accepted(http, content_type: str) -> None:
    """RFC 9110 lets a parameter's value be quoted, and charset names ignore case."""
    body = b'{"query": "{ counts { totalNodes } }"}'
    response = await http.post("/graphql", content=body, headers={"content-type": content_type})
    assert (response.status_code, response.json()) == (200, {"data": {"counts": {"totalNodes": 16}}})


@pytest.mark.parametrize(
    ("repeated", "name"),
    [
        ("query=" + quote("{ counts { totalNodes } }") + "&query=" + quote("{ counts { totalEdges } }"), "query"),
        ("query=" + quote("{ __typename }") + "&query=" + quote("{ __typename }"), "query"),  # even the same twice
        ("query=" + quote(SEARCH) + "&variables=" + quote('{"t": "a"}') + "&variables=" + quote('{"t": "b"}'),
         "variables"),
        ("query=" + quote("query A { __typename } query B { __typename }") + "&operationName=A&operationName=B",
         "operationName"),
        ("query=" + quote("{ __typename }") + "&extensions=%7B%7D&extensions=%7B%7D", "extensions"),
    ],
)  # fmt: skip
async def test_a_get_parameter_given_twice_is_refused_naming_it(http, repeated: str, name: str) -> None:
    """?query=a&query=b ran b: the last of a repeated parameter won, silently, so what ran depended on which copy
    a proxy or a client library kept. Which one is meant is the caller's to say."""
    for accept in ("application/json", GRAPHQL_JSON):
        response = await http.get(f"/graphql?{repeated}", headers={"accept": accept})
        assert response.status_code == 400
        assert response.json() == {"errors": [{
            "message": f"the parameter {name} is given more than once: give it once",
            "extensions": {"code": "BAD_REQUEST"},
        }]}  # fmt: skip
    other = await http.get("/graphql?query=" + quote("{ counts { totalNodes } }") + "&x=1&x=2")  # not ours to read
    assert other.json() == {"data": {"counts": {"totalNodes": 16}}}


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("query=%7B__typename%7D%FF",
         "the parameter query is not UTF-8: %-escapes at character 12 give bytes it has not"),
        # é sent in Latin-1, as a form in that charset sends it: "caf\ufffd" was searched for
        ("query=" + quote(SEARCH) + "&variables=" + quote('{"t": "caf') + "%E9%22%7D",
         "the parameter variables is not UTF-8: %-escapes at character 10 give bytes it has not"),
        # a lone surrogate, escaped as UTF-8 would have it were it allowed: three U+FFFD were asked
        ("query=" + quote(SEARCH) + "&variables=" + quote('{"t": "') + "%ED%A0%80%22%7D",
         "the parameter variables is not UTF-8: %-escapes at character 7 give bytes it has not"),
    ],
)  # fmt: skip
async def test_a_get_parameter_whose_escapes_are_not_utf8_is_refused(http, address: str, message: str) -> None:
    """Escapes of bytes that are not UTF-8 were read as U+FFFD, each, so a question was asked other than the
    one sent; the answer said nothing of it (or a parse error named a character the caller never wrote)."""
    response = await http.get(f"/graphql?{address}", headers={"accept": "application/json"})
    assert (response.status_code, response.json()) == (400, {
        "errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]
    })  # fmt: skip


async def test_head_answers_as_get_does(http) -> None:
    address = "/graphql?query=" + quote("{ counts { totalNodes } }")
    got = await http.get(address, headers={"accept": "application/json"})
    head = await http.head(address, headers={"accept": "application/json"})
    assert head.status_code == got.status_code == 200
    for name in ("etag", "cache-control", "content-type", "content-length"):
        assert head.headers[name] == got.headers[name], name


@pytest.mark.parametrize("name", hostile.FILE_NAMES)
@pytest.mark.parametrize("folder", ["cookbook", "static", "static/explore", "static/shared", "static/vendor", "reach"])
async def test_an_unknown_file_is_404_in_json(http, caplog, folder: str, name: str) -> None:
    """The other folders answered 404 in plain text, and /cookbook/ 500 to a name too long for a file name."""
    response = await http.get(f"/{folder}/{name}")
    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"] == {"code": "NOT_FOUND"}
    assert not [record for record in caplog.records if record.levelname == "ERROR"]


def test_the_connection_stays_usable_after_bodies_that_are_not_graphql(store: MemoryStore) -> None:
    """Over a real server: one keep-alive connection, refused bodies first (an oversized one among them),
    then a good request on the same socket."""

    def request(body: bytes) -> bytes:
        return (b"POST /graphql HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)  # fmt: skip

    def response(sock: socket.socket) -> tuple[int, dict[str, Any]]:
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, _, rest = data.partition(b"\r\n\r\n")
        length = int(
            next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
        )
        while len(rest) < length:
            rest += sock.recv(65536)
        return int(head.split()[1]), json.loads(rest[:length])

    with AppServer(store) as base, socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), 10) as sock:
        for body, status in (
            (b"123", 400),
            (b'{"query": "\xff"}', 400),
            (b'{"query": ""}', 200),
            (b"x" * 200_000, 413),
        ):
            sock.sendall(request(body))
            assert response(sock)[0] == status
        sock.sendall(request(b'{"query": "{ counts { totalNodes } }"}'))
        assert response(sock) == (200, {"data": {"counts": {"totalNodes": 16}}})


# ---- operations, and how much of the input an error quotes -----------------------------------------


async def test_several_operations_need_an_operation_name(http) -> None:
    document = "query A { counts { totalNodes } } query B { counts { totalEdges } }"
    for accept, status in ((None, 200), (GRAPHQL_JSON, 400)):
        response = await http.post("/graphql", json={"query": document}, headers={"accept": accept or "*/*"})
        assert response.status_code == status
        assert response.json() == {"errors": [{
            "message": "the document has several operations: name the one to run in operationName",
            "extensions": {"code": "OPERATION_RESOLUTION_FAILURE"},
        }]}  # fmt: skip
    body = (await http.post("/graphql", json={"query": document, "operationName": "B"})).json()
    assert body == {"data": {"counts": {"totalEdges": 20}}}
    body = (await http.post("/graphql", json={"query": document, "operationName": "C"})).json()
    assert body["errors"][0]["message"] == "the document has no operation named 'C'"


async def test_an_error_quotes_at_most_200_characters_of_input(http) -> None:
    long_id = "School:" + "9" * 100_000
    body = (await post(http, "query ($id: ID!) { lineage(id: $id) { depth } }", id=long_id)).json()
    message = body["errors"][0]["message"]
    assert message == f"no node '{long_id[:200]}…' ({len(long_id):,} characters) in the graph"
    body = (
        await post(http, "query ($n: Int!) { nodes(kind: SCHOOL, first: $n) { totalCount } }", n="7" * 100_000)
    ).json()
    assert len(body["errors"][0]["message"]) < 400


# ---- persisted queries, caching, compression -------------------------------------------------------


def persisted(digest: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


async def test_the_cookbook_is_persisted_by_its_sha256(http) -> None:
    text = (COOKBOOK / "search.graphql").read_text()
    digest = hashlib.sha256(text.encode()).hexdigest()
    params = {"extensions": json.dumps(persisted(digest)), "variables": json.dumps({"text": "ōtautahi"})}
    response = await http.get("/graphql", params=params, headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response.json()["data"]["search"]["totalCount"] == 1


async def test_a_query_is_persisted_once_sent_with_its_hash(http) -> None:
    query = "{ counts { totalNodes } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    unknown = (await http.post("/graphql", json={"extensions": persisted(digest)})).json()
    assert unknown == {"errors": [{"message": "PersistedQueryNotFound",
                                   "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]}  # fmt: skip
    registered = await http.post("/graphql", json={"query": query, "extensions": persisted(digest)})
    assert registered.json() == {"data": {"counts": {"totalNodes": 16}}}
    again = await http.post("/graphql", json={"extensions": persisted(digest.upper())})
    assert again.json() == {"data": {"counts": {"totalNodes": 16}}}
    wrong = await http.post("/graphql", json={"query": "{ __typename }", "extensions": persisted(digest)})
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["message"] == "provided sha does not match query"


async def test_get_answers_carry_an_etag_per_store_version_and_answer_304(http, store: MemoryStore) -> None:
    params = {"query": "{ counts { totalNodes } }"}
    first = await http.get("/graphql", params=params, headers={"accept": "application/json"})
    assert first.status_code == 200 and first.json() == {"data": {"counts": {"totalNodes": 16}}}
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    assert "Accept" in first.headers["vary"]
    again = await http.get("/graphql", params=params, headers={"accept": "application/json", "if-none-match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    store.write([g.NODES[0]])  # a write changes the store's version, so the answer may have changed
    changed = await http.get("/graphql", params=params, headers={"accept": "application/json", "if-none-match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    refused = await http.get("/graphql", params={"query": "{ nodes(kind: SCHOOL, first: 101) { totalCount } }"},
                             headers={"accept": "application/json"})  # fmt: skip
    assert refused.headers["cache-control"] == "no-store" and "etag" not in refused.headers
    posted = await post(http, "{ counts { totalNodes } }")
    assert "etag" not in posted.headers


async def test_servers_on_different_snapshots_never_share_an_etag(tmp_path) -> None:
    """The version was the process's count of writes, 0 in every server: after `lineage import` and a restart, a
    browser's If-None-Match got 304 and kept its stale count. Two workers on one snapshot share their ETags."""
    paths = [tmp_path / "before.snapshot", tmp_path / "after.snapshot"]
    for path, nodes in zip(paths, (g.NODES[:-1], g.NODES), strict=True):
        store = MemoryStore()
        store.write(nodes)
        store.save(path)
    params, accept = {"query": "{ counts { totalNodes } }"}, {"accept": "application/json"}
    etags, answers = [], []
    for path in [paths[0], paths[0], paths[1]]:  # the first snapshot twice (two workers), then the import's
        async with make_client(MemoryStore.load(path)) as client:
            headers = accept | ({"if-none-match": etags[0]} if etags else {})
            answer = await client.get("/graphql", params=params, headers=headers)
        etags.append(answer.headers["etag"])
        status = answer.status_code
        answers.append(answer.json()["data"]["counts"]["totalNodes"] if status == 200 else status)
    assert answers == [len(g.NODES) - 1, 304, len(g.NODES)]
    assert etags[0] == etags[1] != etags[2]


async def test_large_answers_are_compressed(http) -> None:
    fields = "nodes { id name citations { document file address } }"
    query = "{ " + " ".join(f'a{i}: search(text: "o", first: 100) {{ {fields} }}' for i in range(10)) + " }"
    response = await http.post("/graphql", json={"query": query}, headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < len(response.content) / 3
    # the fixture names with an "o", ignoring accents (Ōtautahi too): the schools, the census and its data set,
    # the concept, the approval and the three organisations
    assert len(response.json()["data"]["a9"]["nodes"]) == 10
    small = await http.post("/graphql", json={"query": "{ __typename }"}, headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in small.headers
    # as the client weighs it (RFC 9110): "gzip;q=0" had been sent gzip, and "GZIP" had not
    for accepted, gzipped in (("gzip;q=0, identity", False), ("GZIP", True), ("*", True), ("br, *;q=0", False)):
        answer = await http.post("/graphql", json={"query": query}, headers={"accept-encoding": accepted})
        assert (answer.headers.get("content-encoding") == "gzip") is gzipped, accepted


async def test_a_body_in_a_content_coding_is_refused_as_unsupported(http) -> None:
    """Hostile input, round three: a gzipped body was refused as 'not UTF-8', and a plain one labelled gzip ran."""
    body = b'{"query": "{ __typename }"}'
    for coding in ("gzip", "br"):
        answer = await http.post(
            "/graphql", content=body, headers={"content-type": "application/json", "content-encoding": coding}
        )
        assert answer.status_code == 415
        assert answer.json()["errors"][0]["message"] == (
            f"the body's content coding {coding!r} is not supported: send it uncompressed"
        )
    plain = {"content-type": "application/json", "content-encoding": "identity"}
    assert (await http.post("/graphql", content=body, headers=plain)).json() == {"data": {"__typename": "Query"}}


async def test_a_get_answer_is_kept_for_the_next_visitor_until_the_store_changes(
    store: MemoryStore, client_for
) -> None:
    spy = Spy(store)
    params = {"query": "{ counts { totalNodes } }"}
    async with client_for(spy) as http:
        answers = [await http.get("/graphql", params=params, headers={"accept": "application/json"}) for _ in range(3)]
        assert spy.calls["counts"] == 1  # the second and third visitors (no If-None-Match) got the kept answer
        assert {a.text for a in answers} == {'{"data":{"counts":{"totalNodes":16}}}'}
        assert len({a.headers["etag"] for a in answers}) == 1
        store.write([g.NODES[0]])
        await http.get("/graphql", params=params, headers={"accept": "application/json"})
        assert spy.calls["counts"] == 2


def test_queries_kept_by_hash_and_parsed_documents_are_bounded_by_bytes_not_count() -> None:
    """The hostile-input reading, round six: each request a unique text of a 126 KB comment and its hash; by
    count alone (1,000 persisted, 256 parsed) 2,000 of them grew a worker from 252 to 609 MB in 40 s."""
    from graphql import parse

    from lineage.api.limits import Limits, Prepared, RememberedDocuments, schema_extensions
    from lineage.api.protocol import PERSISTED_BYTES, PersistedQueries

    texts = [f"#{i:04d}{'x' * 126_000}\n{{ counts {{ totalNodes }} }}" for i in range(80)]  # 10 MB in all
    assert sum(map(len, texts)) > PERSISTED_BYTES
    kept = PersistedQueries(COOKBOOK)
    for text in texts:
        kept.learn(text)
    first, last = (hashlib.sha256(t.encode()).hexdigest() for t in (texts[0], texts[-1]))
    assert kept.resolve(None, persisted(first)) is None  # the least recently learned, gone
    assert kept.resolve(None, persisted(last)) == texts[-1]
    # the parsed documents a worker keeps, as its schema's extension keeps them: 300 such texts are 38 MB
    (remembering,) = [e for e in schema_extensions(Limits()) if getattr(e, "func", None) is RememberedDocuments]
    remembered = remembering.args[0]  # type: ignore[attr-defined]
    document = parse(texts[0])
    for i in range(300):
        remembered.put(str(i), Prepared(document, ()))
    assert remembered.get("0") is None and remembered.get("299") is not None
