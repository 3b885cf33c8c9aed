"""`lineage query`: the API's own answers, each error as one clean line, exit 2 when it could not run; and
`lineage serve --workers N`: several processes, each with its own store, answering on one port; its links and
redirects under --public-url whatever Host a client sends, and a query string over the limit refused by the app
(414 in JSON), not by the server in plain text."""

from __future__ import annotations

import http.client as http_client
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from benchmarks.common import free_port
from lineage.api.limits import DEFAULT_LIMITS
from lineage.cli import main
from lineage.stores.memory import MemoryStore
from tests import fixture_graph as g

ROOT = Path(__file__).resolve().parents[2]
RECIPIENTS = str(ROOT / "graphql" / "queries" / "recipients-of-item.graphql")


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "fixture.snapshot"
    store = MemoryStore()
    store.write(g.NODES, g.EDGES)
    store.save(path)
    return f"memory:{path}"


def run(capsys: pytest.CaptureFixture[str], snapshot: str, *args: str) -> tuple[int, str, list[str]]:
    code = main(["query", *args, "--store", snapshot])
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


USAGE_MISTAKES = [
    (["--file", "nowhere.graphql"], "lineage: cannot read --file nowhere.graphql: No such file or directory"),
    # read whole before its size was checked: the machine's memory filled, and the process was killed
    (["--file", "/dev/zero"], "lineage: cannot read --file /dev/zero: it is a character device, not a regular file"),
    ([], "lineage: give a query as TEXT, with --file or with --cookbook"),
    (["{ __typename }", "--file", RECIPIENTS],
     "lineage: give a query as TEXT, with --file or with --cookbook: only one"),
    (["--cookbook", "recipients-of-item", "--file", RECIPIENTS],
     "lineage: give a query as TEXT, with --file or with --cookbook: only one"),
    (["--file", RECIPIENTS, "--vars", "{item: 1}"],
     "lineage: --vars is not JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"),
    # each was a traceback: a number past Python's 4,300 digits, and nesting past its recursion limit
    (["--file", RECIPIENTS, "--vars", '{"item": ' + "9" * 5000 + "}"],
     "lineage: --vars is not JSON (a number of 5,000 digits: at most 4,300 are read)"),
    (["--file", RECIPIENTS, "--vars", '{"item": ' + "[" * 60_000 + "]" * 60_000 + "}"],
     "lineage: --vars is nested too deeply"),
    # the last of two "item"s was asked, silently
    (["--file", RECIPIENTS, "--vars", '{"item": "KS4_FSM", "item": "NO_SUCH_ITEM"}'],
     "lineage: --vars is not JSON read one way: it names 'item' twice in one object"),
    (["--file", RECIPIENTS, "--vars", '["KS4_FSM"]'],
     "lineage: --vars must be a JSON object, e.g. '{\"item\": \"KS4_FSM\"}'"),
    (["--file", RECIPIENTS],
     "lineage: Variable '$item' has invalid value: Expected a value of non-null type 'String!' to be provided. "
     "[BAD_USER_INPUT]"),
    (["--file", RECIPIENTS, "--vars", '{"item": 5}'],
     "lineage: Variable '$item' has invalid value: String cannot represent a non string value: 5 [BAD_USER_INPUT]"),
    (["{ nodes(kind: SIDEWAYS) { totalCount } }"],
     "lineage: Value 'SIDEWAYS' does not exist in 'NodeKind' enum. [GRAPHQL_VALIDATION_FAILED]"),
    (["query A { __typename } query B { __typename }"],
     "lineage: the document has several operations: name the one to run in operationName "
     "[OPERATION_RESOLUTION_FAILURE]"),
    (['{ node(id: "\\ud800") { id } }'], None),
]  # fmt: skip


@pytest.mark.parametrize(("args", "message"), USAGE_MISTAKES)
def test_a_query_that_cannot_run_exits_2_with_one_clean_line(capsys, snapshot, args, message) -> None:
    code, out, err = run(capsys, snapshot, *args)
    assert code == 2 and out == ""
    assert len(err) == 1 and "Traceback" not in err[0]
    if message is not None:
        assert err == [message]


def test_a_query_that_ran_with_an_error_prints_its_answer_and_exits_1(capsys, snapshot) -> None:
    code, out, err = run(capsys, snapshot, "--file", RECIPIENTS, "--vars", '{"item": "NO_SUCH_ITEM"}')
    assert code == 1
    assert json.loads(out)["data"] is None
    assert err == ["lineage: no NPD data item has the alias 'NO_SUCH_ITEM' [NOT_FOUND]"]


def test_a_good_query_exits_0(capsys, snapshot) -> None:
    code, out, err = run(
        capsys, snapshot, "query A { counts { totalNodes } } query B { __typename }", "--operation", "A"
    )
    assert (code, json.loads(out), err) == (0, {"data": {"counts": {"totalNodes": 16}}}, [])


def test_a_cookbook_question_by_name_is_its_file(capsys, snapshot) -> None:
    variables = '{"item": "KS4_FSM"}'
    by_name = run(capsys, snapshot, "--cookbook", "recipients-of-item", "--vars", variables)
    assert by_name == run(capsys, snapshot, "--file", RECIPIENTS, "--vars", variables) and by_name[0] == 0


@pytest.mark.parametrize("args", [["--file"], ["--cookbook", "no-such-question"]])
def test_a_missing_option_value_or_unknown_question_is_argparses_usage_error(capsys, args) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["query", *args])
    assert exited.value.code == 2


def serve_command(snapshot: str, port: int, *options: str) -> list[str]:
    return [sys.executable, "-m", "lineage.cli", "serve", "--store", snapshot, "--port", str(port), *options]


@contextmanager
def served(
    snapshot: str, *options: str, stop: signal.Signals = signal.SIGINT, host: str = "127.0.0.1"
) -> Iterator[tuple[httpx.Client, subprocess.Popen[str], list[str]]]:
    """`lineage serve` over the fixture graph in a process of its own, on ``host``: a client once it answers, the
    process, and (filled in as it stops) the lines it printed. Stopped by ``stop`` at the end if it still runs, when
    it must exit 0: a supervisor reads any other exit as a failure."""
    port = free_port()
    printed: list[str] = []
    # a file, not a pipe: the access log of long addresses would fill a pipe nobody reads, and block the server
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(
            serve_command(snapshot, port, "--host", host, *options), stdout=log, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            address = f"[{host}]" if ":" in host else host
            with httpx.Client(base_url=f"http://{address}:{port}", timeout=5) as http:
                while True:
                    try:
                        if http.get("/healthz").json()["nodes"] == 16:
                            break
                    except httpx.TransportError:
                        pass
                    assert time.monotonic() < deadline and server.poll() is None, "lineage serve did not start"
                    time.sleep(0.2)
                yield http, server, printed
        finally:
            stopped_here = server.poll() is None
            if stopped_here:
                os.killpg(server.pid, stop)
            exit_code = server.wait(timeout=60)
            log.seek(0)
            printed += log.read().splitlines()
    assert not stopped_here or exit_code == 0, printed


def test_serve_starts_the_workers_asked_for_each_answering(snapshot: str) -> None:
    with served(snapshot, "--workers", "2") as (http, _, printed):
        answers = {http.post("/graphql", json={"query": "{ counts { totalNodes } }"}).text for _ in range(20)}
    assert answers == {'{"data":{"counts":{"totalNodes":16}}}'}
    started = [line for line in printed if "Started server process" in line]
    assert len(started) == 2, printed  # uvicorn's line per worker process


def test_serve_names_its_public_address_and_answers_long_addresses_in_json(snapshot: str) -> None:
    public = "https://lineage.example.org/data"
    with served(snapshot, "--workers", "1", "--public-url", public + "/") as (http, _, _):
        hostile = {"Host": "evil.example"}
        home = http.get("/", headers=hostile)
        assert (home.status_code, home.headers["location"]) == (307, f"{public}/graphql")
        feed = ET.fromstring(http.get("/feeds/releases.atom", headers=hostile).content)
        links = [e.get("href") for e in feed.iter() if e.tag.endswith("}link")]
        assert links[:2] == [f"{public}/feeds/releases.atom", f"{public}/reach"]
        assert len(links) == 3 and links[2].startswith(f"{public}/explore?view=node")  # the fixture's dated release
        assert http.get("/explore/", headers=hostile).status_code == 404  # no redirect naming the client's Host
        # httptools, the server's default, refuses an address over 64 KiB in plain text; the limit is 128 KiB.
        # (http.client: httpx refuses to send a query string over 64 KiB itself.)
        for length, status in ((70_000, 200), (140_000, 414), (600_000, 414)):
            connection = http_client.HTTPConnection(http.base_url.host, http.base_url.port, timeout=10)
            connection.request("GET", "/graphql?query=" + "a" * length, headers={"accept": "application/json"})
            response = connection.getresponse()
            media, body = response.getheader("content-type", "").split(";")[0], json.loads(response.read())
            connection.close()
            assert (response.status, media) == (status, "application/json")
        assert body["errors"] == [
            {"message": "the query string is longer than 131,072 bytes", "extensions": {"code": "BAD_REQUEST"}}
        ]


def test_serve_stopped_by_sigterm_exits_0(snapshot: str) -> None:
    """A service manager stops a server with SIGTERM, and reads any exit but 0 as a failure (served checks it)."""
    with served(snapshot, "--workers", "1", stop=signal.SIGTERM) as (http, _, _):
        assert http.get("/healthz").status_code == 200


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_names_a_port_already_taken_and_exits_1(snapshot: str, workers: str) -> None:
    """uvicorn said only "[Errno 98] Address already in use", naming no port, and exited 3, after the store had
    been opened."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = serve_command(snapshot, port, "--workers", workers)
        finished = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert finished.returncode == 1, finished.stderr
    assert finished.stderr.splitlines() == [f"lineage: cannot serve on 127.0.0.1 port {port}: Address already in use"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_takes_connections_once_it_says_where_it_serves(snapshot: str, workers: str) -> None:
    """Found trying the wheel from outside: "lineage: serving on ..." was printed with the port bound but not yet
    listening, so a client that took the line as its cue (as scripts do) was refused until a worker had loaded the
    store. A connection made at once now waits, and is answered."""
    port = free_port()
    command = serve_command(snapshot, port, "--workers", workers)
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert server.stderr is not None
        line = server.stderr.readline()
        assert line.startswith(f"lineage: serving on 127.0.0.1 port {port}"), line
        with socket.create_connection(("127.0.0.1", port), timeout=60) as early:  # refused before the change
            early.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            assert early.recv(12) == b"HTTP/1.1 200"
    finally:
        os.killpg(server.pid, signal.SIGINT)
        assert server.wait(timeout=60) == 0


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_answers_on_an_ipv6_address(snapshot: str, workers: str) -> None:
    with served(snapshot, "--workers", workers, host="::1") as (http, _, _):
        assert http.get("/healthz").json()["nodes"] == 16


def _resolving_to(monkeypatch: pytest.MonkeyPatch, host: str, *addresses: str) -> None:
    """``host`` resolves to ``addresses`` alone, in order, as /etc/hosts may make a name (ip6-localhost: ::1) resolve,
    which this machine's does not."""
    resolve = socket.getaddrinfo

    def resolved(name: str, port: int, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        if name != host:
            return resolve(name, port, *args, **kwargs)
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port, 0, 0)) if ":" in address
            else (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))
            for address in addresses
        ]  # fmt: skip

    monkeypatch.setattr(socket, "getaddrinfo", resolved)


def test_serve_listens_on_the_ipv6_address_a_name_resolves_to(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hostile-input reading, round sixteen: the socket's family was told from a ':' in the host, so a name
    resolving to IPv6 alone was bound as IPv4, and refused ("Address family for hostname not supported")."""
    from lineage.cli.commands import _listening_socket

    _resolving_to(monkeypatch, "ip6-localhost", "::1")
    with _listening_socket("ip6-localhost", 0, 8) as listening:
        assert (listening.family, listening.getsockname()[0]) == (socket.AF_INET6, "::1")


def test_serve_listens_on_the_first_address_of_a_name_that_binds(monkeypatch: pytest.MonkeyPatch) -> None:
    from lineage.cli.commands import _listening_socket

    # 2001:db8::/32 is for documentation: no interface has it
    _resolving_to(monkeypatch, "lineage.test", "2001:db8::1", "127.0.0.1")
    with _listening_socket("lineage.test", 0, 8) as listening:
        assert (listening.family, listening.getsockname()[0]) == (socket.AF_INET, "127.0.0.1")


def test_serve_names_a_host_that_stopped_resolving_before_it_was_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """The read-through of round sixteen: `serve` checks its --host resolves before it opens the store, which can
    take a while; a name that stopped resolving by the time it was bound ended in socket.gaierror's traceback."""
    from lineage.cli.commands import _listening_socket
    from lineage.errors import LineageError

    def gone(*_: object, **__: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", gone)
    with pytest.raises(LineageError, match=r"^cannot serve on lineage\.test port 8000: Name or service not known$"):
        _listening_socket("lineage.test", 8000, 8)


def test_serve_names_each_address_of_a_name_that_none_binds(monkeypatch: pytest.MonkeyPatch) -> None:
    from lineage.cli.commands import _listening_socket
    from lineage.errors import LineageError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        _resolving_to(monkeypatch, "lineage.test", "2001:db8::1", "127.0.0.1")
        with pytest.raises(LineageError) as refused:
            _listening_socket("lineage.test", port, 8)
    assert str(refused.value) == (
        f"cannot serve on lineage.test port {port}: 2001:db8::1: Cannot assign requested address; "
        "127.0.0.1: Address already in use"
    )


def serving_workers(server: subprocess.Popen[str]) -> list[int]:
    """The processes uvicorn started to serve (not multiprocessing's resource tracker, a child too)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def test_serve_stops_and_exits_1_when_a_worker_cannot_open_the_store(snapshot: str, tmp_path: Path) -> None:
    """The store gone while `serve --workers 2` ran (its snapshot deleted; Neo4j stopped is alike): a worker that
    died was started again, failed to open the store, and was started again without end; and when uvicorn stopped
    on a worker that could not start, `lineage serve` exited 0, as if asked to stop."""
    own = tmp_path / "graph.snapshot"
    shutil.copy(snapshot.removeprefix("memory:"), own)
    with served(f"memory:{own}", "--workers", "2") as (_, server, printed):
        own.unlink()
        os.kill(serving_workers(server)[0], signal.SIGKILL)
        exit_code = server.wait(timeout=60)
    assert exit_code == 1, printed
    assert any(line.endswith(f"lineage: no snapshot at {own}: check the path, or build one with "
                             f"`lineage build --store memory:{own}`") for line in printed), printed  # fmt: skip
    assert printed[-1].startswith("lineage: stopped serving on 127.0.0.1 port "), printed
    assert printed[-1].endswith(f": the server could not start over the store memory:{own} (its error is above)")


@pytest.mark.parametrize(
    "address", ["lineage.example.org", "ftp://lineage.example.org", "https://a@b.org", "https://b.org/?q"]
)
def test_serve_refuses_a_public_url_that_is_no_address(capsys: pytest.CaptureFixture[str], address: str) -> None:
    assert main(["serve", "--store", "memory", "--public-url", address]) == 2
    assert capsys.readouterr().err.startswith(f"lineage: --public-url: {address!r}")


def test_serve_takes_its_public_url_from_the_environment_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINEAGE_PUBLIC_URL", "lineage.example.org")
    assert main(["serve", "--store", "memory"]) == 2
    assert capsys.readouterr().err.startswith("lineage: --public-url: 'lineage.example.org'")


@pytest.mark.parametrize("port", ["-1", "65536", "99999"])
def test_serve_refuses_a_port_there_is_none_of(capsys: pytest.CaptureFixture[str], port: str) -> None:
    """Each was uvicorn's traceback (OverflowError: bind(): port must be 0-65535), after the store was opened."""
    assert main(["serve", "--store", "memory", "--port", port]) == 2
    assert capsys.readouterr().err == f"lineage: --port must be from 0 to 65535, got {port}\n"


def test_serve_refuses_port_0_unless_told_the_address_it_is_reached_at(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hostile-input reading, round six: `serve --port 0` listened on a port the system picked, and its
    redirect to /graphql and its feed's links named port 0."""
    from lineage.api.app import PUBLIC_URL_ENV

    monkeypatch.delenv(PUBLIC_URL_ENV, raising=False)
    assert main(["serve", "--store", "memory", "--port", "0"]) == 2
    assert capsys.readouterr().err.startswith("lineage: --port 0 lets the system pick a port that the app's links")


def test_serve_refuses_more_workers_than_its_cores_serve(capsys: pytest.CaptureFixture[str]) -> None:
    """Hostile input, round three: --workers 99999 started 282 workers of about 205 MB in 15 seconds, until the
    kernel killed processes, another server among them."""
    most = 4 * len(os.sched_getaffinity(0))
    assert main(["serve", "--store", "memory", "--workers", "99999"]) == 2
    assert capsys.readouterr().err == (
        f"lineage: --workers must be from 1 to {most} (4 per CPU core this process may use), got 99999\n"
    )


def test_query_refuses_a_file_larger_than_a_request_having_read_no_more(
    capsys: pytest.CaptureFixture[str], snapshot: str, tmp_path: Path
) -> None:
    """A 200 MB file took 763 MB before the request's limit refused it: it is refused reading one byte past it."""
    big = tmp_path / "big.graphql"
    big.write_text("{ __typename }" + " " * DEFAULT_LIMITS.max_body_bytes)
    code, out, err = run(capsys, snapshot, "--file", str(big))
    assert (code, out) == (2, "")
    assert err == [f"lineage: cannot read --file {big}: it holds more than {DEFAULT_LIMITS.max_body_bytes:,} bytes"]


def test_serve_refuses_a_host_there_is_no_address_for(capsys: pytest.CaptureFixture[str]) -> None:
    """uvicorn said only "[Errno -2] Name or service not known" (exit 3), naming no host, after the store opened."""
    assert main(["serve", "--store", "memory", "--host", "not a host"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lineage: --host 'not a host' is no address to serve on: "), err
    assert err.count("\n") == 1


def test_each_serving_worker_collects_cycles_as_seldom_as_the_cli(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`serve --workers N` starts processes that run uvicorn's app factory, never the CLI's main: each holds the
    graph, so each sets the thresholds the CLI sets (lineage.stores.memory.GC_THRESHOLDS)."""
    import gc

    from lineage.api.app import STORE_ENV, app_from_environment
    from lineage.stores.memory import GC_THRESHOLDS

    before = gc.get_threshold()
    snapshot = tmp_path / "graph.snapshot"
    MemoryStore().save(snapshot)
    monkeypatch.setenv(STORE_ENV, f"memory:{snapshot}")
    try:
        gc.set_threshold(700, 10, 10)  # Python's default, as a fresh worker starts
        app_from_environment()
        assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        gc.set_threshold(*before)


def test_a_worker_started_again_refuses_a_snapshot_moved_since_the_server_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Hostile input, round five: the snapshot moved away while `serve --workers 2` ran, and a worker killed then
    was started again by uvicorn over an empty graph; its /healthz said "ok" with 0 nodes, and its answers were
    empty, as if the record held nothing. It now refuses to start, naming the snapshot, with uvicorn's exit for
    an app that could not start: its exit 1 had had it started again without end."""
    from lineage.api.app import STORE_ENV, app_from_environment

    moved = tmp_path / "graph.snapshot"
    monkeypatch.setenv(STORE_ENV, f"memory:{moved}")
    uvicorn_log = logging.getLogger("uvicorn.error")
    uvicorn_log.addHandler(caplog.handler)
    try:
        with pytest.raises(SystemExit) as exited:
            app_from_environment()
    finally:
        uvicorn_log.removeHandler(caplog.handler)
    assert exited.value.code == 3  # uvicorn's STARTUP_FAILURE
    assert caplog.messages[0].startswith(f"lineage: no snapshot at {moved}: check the path")
