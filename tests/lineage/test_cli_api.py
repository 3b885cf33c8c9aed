"""`lineage query`: the API's own answers, each error as one clean line, exit 2 when it could not run; and
`lineage serve --workers N`: several processes, each with its own store, answering on one port."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from benchmarks.common import free_port
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
    ([], "lineage: give a query as TEXT, with --file or with --cookbook"),
    (["{ __typename }", "--file", RECIPIENTS],
     "lineage: give a query as TEXT, with --file or with --cookbook: only one"),
    (["--cookbook", "recipients-of-item", "--file", RECIPIENTS],
     "lineage: give a query as TEXT, with --file or with --cookbook: only one"),
    (["--file", RECIPIENTS, "--vars", "{item: 1}"],
     "lineage: --vars is not JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
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


def test_serve_starts_the_workers_asked_for_each_answering(snapshot: str) -> None:
    port = free_port()
    command = [sys.executable, "-m", "lineage.cli", "serve", "--store", snapshot, "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
            while True:
                try:
                    if http.get("/healthz").json()["nodes"] == 16:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline and server.poll() is None, "lineage serve did not start"
                time.sleep(0.2)
            answers = {http.post("/graphql", json={"query": "{ counts { totalNodes } }"}).text for _ in range(20)}
        assert answers == {'{"data":{"counts":{"totalNodes":16}}}'}
    finally:
        os.killpg(server.pid, signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    started = [line for line in output.splitlines() if "Started server process" in line]
    assert len(started) == 2, output  # uvicorn's line per worker process
