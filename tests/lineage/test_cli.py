"""The `lineage` command's own choices (the rest of it is tested beside what each subcommand runs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lineage.cli import main
from lineage.cli.text import shown
from lineage.stores.memory import MemoryStore


@pytest.mark.parametrize(
    "command", [["counts"], ["report", "release", "DR170518.02"], ["query", "{ counts { totalNodes } }"]]
)
def test_a_reading_command_refuses_a_snapshot_that_is_not_there(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "grpah.snapshot"
    assert main([*command, "--store", f"memory:{typo}"]) == 1
    assert f"no snapshot at {typo}" in capsys.readouterr().err
    assert not typo.exists()


@pytest.mark.parametrize(
    "command",
    [["counts"], ["claims", "--format", "md"], ["query", "{ counts { totalNodes } }"], ["export", "--format", "csv"]],
)
def test_a_reading_command_refuses_the_empty_store_rather_than_answer_from_it(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hostile-input reading, round six: `--store memory` (or LINEAGE_STORE=memory) answered every question
    from an empty graph with exit 0: an export replaced a 51 MB one with 551 bytes, and the ledger was empty."""
    output = ["--output", str(tmp_path / "out")] if command[0] == "export" else []
    assert main([*command, *output, "--store", "memory"]) == 1
    assert (
        capsys.readouterr().err
        == "lineage: memory is an empty store, kept nowhere, with no graph to read: give memory:PATH\n"
    )
    monkeypatch.setenv("LINEAGE_STORE", "memory")
    assert main([*command, *output]) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("urn", ["١٠٠٠٠٦", "100_006", "1e5"])
def test_a_number_is_read_in_the_digits_0_to_9_as_the_api_reads_it(
    urn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hostile-input reading, round two: `lineage letter --urn ١٠٠٠٠٦` (Arabic-Indic digits) and `100_006`
    answered, as int() reads them, while the API refuses both."""
    with pytest.raises(SystemExit) as refused:
        main(["letter", "--urn", urn, "--from", "2012", "--to", "2013"])
    assert refused.value.code == 2 and "expected a whole number (the digits 0-9, 18 at most)" in capsys.readouterr().err


def test_a_path_is_printed_back_with_its_control_characters_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hostile-input reading, round two: a path's escape sequences recoloured the terminal when printed back,
    and a line break in it forged a line of our own ('lineage: wrote fake.graphml')."""
    typo = tmp_path / "a\x1b[2Jb\nlineage: wrote fake.graphml"
    assert main(["counts", "--store", f"memory:{typo}"]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and len(err.splitlines()) == 1 and err.startswith("lineage: no snapshot at")
    assert "a\\x1b[2Jb\\nlineage: wrote fake.graphml" in err


def test_a_path_is_printed_back_with_its_format_characters_escaped_but_the_joiners(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hostile-input reading, round twelve: a right-to-left override in a path showed the rest of the refusal
    backwards ("evil\\u202evsc.exe: no such file" read as "evil elif hcus on :exe.csv"), and a zero-width space hid
    that the name was not the one typed. A Persian name's non-joiner, which shapes its word, is printed as it is."""
    for typed, printed in (("evil\u202evsc.exe", "evil\\u202evsc.exe"), ("fi\u200ble.csv", "fi\\u200ble.csv"),
                           ("\u0645\u06cc\u200c\u062e.csv", "\u0645\u06cc\u200c\u062e.csv")):  # fmt: skip
        assert main(["import", "sharing-figures", str(tmp_path / typed)]) == 1
        assert capsys.readouterr().err == f"lineage: {tmp_path / printed}: no such file\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["counts", "--", "\x1b]0;owned\x07\x1b[2J"],
        ["export", "--format", "csv", "--output", "x", "\x1b[2J", "y\nlineage: ok"],
    ],
    ids=["after a command", "among a command's own"],
)
def test_an_argument_not_recognised_is_printed_back_escaped(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """The hostile-input reading, round eight: argparse quotes most arguments it refuses, but printed those it did
    not recognise as given, so their escape sequences retitled and cleared the terminal."""
    with pytest.raises(SystemExit) as refused:
        main(argv)
    err = capsys.readouterr().err
    last = err.splitlines()[-1]  # a line break given is no line of ours
    assert refused.value.code == 2 and last.startswith("lineage: error: unrecognized arguments: ")
    assert "\x1b" not in err and "\x07" not in err and last.endswith(shown(" ".join(argv[-2:])))


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("bolt://user:secretpw@127.0.0.1:1", "Neo4j address 'bolt://***@127.0.0.1:1' holds a user and password"),
        ("neo4j://user:secret@pw@127.0.0.1:1", "Neo4j address 'neo4j://***@127.0.0.1:1' holds a user and password"),
        ("bolt://:secretpw@[::1", "Neo4j address 'bolt://***@[::1' holds a user and password"),
        ("http://user:secretpw@127.0.0.1", "unknown store 'http://***@127.0.0.1'"),
        ("bolt://[::1", "Neo4j address 'bolt://[::1' is not a valid URI (Invalid IPv6 URL)"),
        ("bolt://127.0.0.1:port", "Neo4j address 'bolt://127.0.0.1:port' is not a valid URI (Port could not be cast"),
        ("bolt://127.0.0.1:1?a=b", "Neo4j address 'bolt://127.0.0.1:1?a=b' is not one the driver takes: Routing"),
    ],
)
def test_a_store_address_that_cannot_be_used_is_one_line_that_shows_no_password(
    address: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Credentials in a Neo4j address were a traceback quoting the password; a bad host or port a ValueError's."""
    assert main(["counts", "--store", address]) == 1
    out, err = capsys.readouterr()
    assert not out and err.startswith(f"lineage: {said}") and err.count("\n") == 1
    assert "secret" not in err
    if "user and password" in said:
        assert "NEO4J_USER and NEO4J_PASSWORD" in err


@pytest.mark.parametrize(
    "command",
    [
        ["counts"],
        ["import", "npd-classifications", "data/npd_data_item_classifications_2018.csv"],
        ["build"],
        ["query", "{ counts { id } }"],
    ],
)
def test_a_snapshot_address_without_its_path_is_refused(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """``memory:`` (a ``memory:$SNAPSHOT`` whose variable was unset) was the empty store of ``memory``: a build
    into it exited 0 having saved nothing, and counts answered an empty graph."""
    assert main([*command, "--store", "memory:"]) == 1
    out, err = capsys.readouterr()
    assert not out
    assert err == "lineage: store 'memory:' names no snapshot: give memory:PATH, or memory for an empty store\n"


def test_an_import_may_start_a_new_snapshot(tmp_path: Path) -> None:
    fresh = tmp_path / "new.snapshot"
    data = Path(__file__).resolve().parents[2] / "data" / "npd_data_item_classifications_2018.csv"
    assert main(["import", "npd-classifications", str(data), "--store", f"memory:{fresh}"]) == 0
    assert fresh.exists()


def test_an_import_shows_each_stage_and_ends_with_its_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = Path(__file__).resolve().parents[2] / "data" / "npd_data_item_classifications_2018.csv"
    with open(data, encoding="utf-8") as handle:
        rows = sum(1 for _ in handle) - 1  # one header line; no cell of this file spans lines
    assert main(["import", "npd-classifications", str(data), "--store", f"memory:{tmp_path / 'g.snapshot'}"]) == 0
    out, err = capsys.readouterr()
    # into a log (standard error is no terminal here): one plain line per stage begun and done, no redrawing
    assert "\r" not in err
    stages = err.splitlines()
    assert stages[0] == "[0/2] reading and checking npd_data_item_classifications_2018.csv"
    assert any(s.startswith(f"[1/2] read {rows:,} rows of ") and " done in " in s for s in stages)
    assert stages[-1].startswith("[2/2] wrote ") and " done in " in stages[-1]
    assert "npd-classifications" in out  # the summary table


def test_on_a_terminal_the_progress_redraws_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = Path(__file__).resolve().parents[2] / "data" / "npd_data_item_classifications_2018.csv"
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["import", "npd-classifications", str(data), "--store", f"memory:{tmp_path / 'g.snapshot'}"]) == 0
    _, err = capsys.readouterr()
    stages = [line.strip() for line in err.replace("\r", "\n").splitlines() if line.strip()]
    assert stages[0].startswith("[..] 0/2 reading and checking npd_data_item_classifications_2018.csv")
    assert stages[-1].startswith("[##] 2/2 wrote ") and " done in " in stages[-1]


def test_the_summary_fits_100_columns_and_verbose_gives_every_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = Path(__file__).resolve().parents[2] / "data" / "npd_data_items_2018.csv"
    assert main(["import", "npd-items", str(data), "--dry-run", "--store", "memory"]) == 0
    out, _ = capsys.readouterr()
    assert max(map(len, out.splitlines())) <= 100
    assert "would write" in out and "a dry run: nothing was written" in out
    assert main(["import", "npd-items", str(data), "--dry-run", "--store", "memory", "--verbose"]) == 0
    verbose, _ = capsys.readouterr()
    reasons = [line for line in verbose.splitlines() if line.startswith("  npd-items, ")]
    assert len(reasons) > len([line for line in out.splitlines() if line.startswith("  npd-items, ")])


@pytest.mark.parametrize("command", ["schema", "vocabulary"])
def test_schema_and_vocabulary_write_only_over_a_regular_file(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the export fixes left (a helper's finding): `lineage schema --output` and `vocabulary --output` wrote
    with write_text, through a symbolic link into its target and into a FIFO (blocking), and not atomically."""
    target = tmp_path / "target.txt"
    target.write_text("kept", encoding="utf-8")
    link = tmp_path / "link.graphql"
    link.symlink_to(target)
    fifo = tmp_path / "pipe.graphql"
    os.mkfifo(fifo)
    for path in (link, fifo):
        assert main([command, "--output", str(path)]) == 1
        assert "not a regular file" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "kept" and link.is_symlink()
    written = tmp_path / "out.txt"
    assert main([command, "--output", str(written)]) == 0 and written.stat().st_size > 0


def test_a_fresh_build_keeps_nothing_an_older_copy_of_the_data_stated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hostile-input reading: a build into a built store adds what the bundled data state and removes nothing,
    so a conflict our table no longer names, or a statement it no longer reads, stayed in the default store after
    the table was corrected. `lineage build --fresh` empties the store first; a plain build still keeps it (and a
    user's own imports), and says so in its help."""
    from lineage.model import CONFIRMED, Citation, Edge, EdgeKind, Node, NodeKind
    from lineage.stores.memory import MemoryStore

    snapshot = tmp_path / "graph.snapshot"
    cited = frozenset({Citation("an older copy of the bundled data", "conflicts.csv", 99, "")})
    said = {"statement": "released"}
    stale = Node(NodeKind.STATEMENT, "older/statement", "a statement the data no longer make", said, cited, CONFIRMED)
    with MemoryStore.writing(snapshot) as store:
        home_office = Node(NodeKind.ORGANISATION, "home office", "Home Office", {}, cited)
        store.write([stale, home_office], [Edge(stale.id, EdgeKind.ABOUT, home_office.id, citations=cited)])
    assert main(["build", "--store", f"memory:{snapshot}"]) == 0
    assert MemoryStore.load(snapshot).get_node(stale.id) is not None  # a plain build removes nothing
    assert main(["build", "--store", f"memory:{snapshot}", "--fresh"]) == 0
    rebuilt = MemoryStore.load(snapshot)
    assert rebuilt.get_node(stale.id) is None and rebuilt.counts().total_nodes > 30_000
    capsys.readouterr()


def test_each_release_builds_its_own_default_store() -> None:
    """After an upgrade the default store answered from the graph the older release had built (its rules, its
    data), since it is built on first use only: each release's default store is its own, named by its version."""
    import tomllib

    from lineage.cli.commands import DEFAULT_STORE

    with open(Path(__file__).resolve().parents[2] / "pyproject.toml", "rb") as handle:
        release = tomllib.load(handle)["project"]["version"]
    assert f"memory:.lineage/graph-{release}.snapshot" == DEFAULT_STORE


def test_standard_output_that_cannot_be_written_is_named_and_the_command_fails() -> None:
    """Hostile input, round three: a full disk (/dev/full) gave a traceback, and standard output closed (`>&-`) gave
    exit 0 with nothing written. Each is now one line naming it, and exit 1."""
    lineage = Path(sys.executable).with_name("lineage")
    with open("/dev/full", "w") as full:
        done = subprocess.run([lineage, "schema"], stdout=full, stderr=subprocess.PIPE, text=True, check=False)
    assert (done.returncode, done.stderr) == (1, "lineage: cannot write standard output: No space left on device\n")
    done = subprocess.run(
        [lineage, "schema"], stderr=subprocess.PIPE, text=True, check=False, preexec_fn=lambda: os.close(1)
    )
    assert (done.returncode, done.stderr) == (1, "lineage: standard output is closed: nothing could be written\n")


def test_a_path_that_is_no_snapshot_or_no_folder_is_refused_saying_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hostile input, round three: `lineage diff /dev/zero ...` said there was no snapshot at /dev/zero (--store says
    what it is), and a snapshot whose folder is a file said only 'File exists'."""
    assert main(["diff", "/dev/zero", "/dev/zero"]) == 1
    assert (
        capsys.readouterr().err == "lineage: /dev/zero: cannot be read: it is a character device, not a regular file\n"
    )
    a_file = tmp_path / "a file"
    a_file.write_text("")
    assert main(["build", "--store", f"memory:{a_file}/graph.snapshot"]) == 1
    err = capsys.readouterr().err
    assert err.endswith(f"the snapshot's lock cannot be taken ({a_file} is not a folder)\n"), err


def test_an_import_as_the_first_command_builds_the_default_store_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hostile-input reading, round four: `lineage import` as the first command wrote its file alone into the
    default store, which is built from the bundled data only while it is empty; it then held 19 nodes, and every
    question answered from them (KS4_FSM: not found) without a word."""
    from lineage.cli.commands import DEFAULT_STORE
    from lineage.model import NodeKind
    from lineage.resources import DATA_DIR
    from lineage.stores.memory import MemoryStore

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINEAGE_STORE", raising=False)
    assert main(["import", "npd-release-timetable", str(DATA_DIR / "npd_release_timetable_2018.csv")]) == 0
    assert "building the real graph from the bundled data (first use)" in capsys.readouterr().err
    store = MemoryStore.load(tmp_path / DEFAULT_STORE.partition(":")[2])
    assert store.counts().total_nodes > 30_000
    assert store.find_nodes(NodeKind.DATA_ITEM, "alias", ["KS4_FSM"])


@pytest.mark.parametrize("command", ["schema", "vocabulary"])
def test_schema_and_vocabulary_never_write_over_the_stores_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """The hostile-input reading, round four: `lineage schema --output` over $LINEAGE_STORE's snapshot replaced it,
    exit 0, and the store was lost; export, report and claims already refused that path."""
    from lineage.stores.memory import MemoryStore

    snapshot = tmp_path / "graph.snapshot"
    with MemoryStore.writing(snapshot):
        pass
    before = snapshot.read_bytes()
    monkeypatch.setenv("LINEAGE_STORE", f"memory:{snapshot}")
    for output in (snapshot, tmp_path / "graph.snapshot.lock"):
        assert main([command, "--output", str(output)]) == 1
        assert "of the store this command reads" in capsys.readouterr().err
    assert snapshot.read_bytes() == before
    assert main([command, "--output", str(tmp_path / "out.txt")]) == 0  # anywhere else, written


@pytest.mark.parametrize("command", [["import", "npd-classifications"], ["build"]])
def test_a_write_to_the_store_kept_nowhere_is_refused(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    """The hostile-input reading, round four: `--store memory` (no path) on import or build said it wrote 1,702
    nodes, exit 0, and kept none of them."""
    from lineage.resources import DATA_DIR

    data = [str(DATA_DIR / "npd_data_item_classifications_2018.csv")] if command[0] == "import" else []
    assert main([*command, *data, "--store", "memory"]) == 2
    err = capsys.readouterr().err
    assert "--store memory is a store kept nowhere" in err and "wrote" not in err
    if data:  # a dry run keeps nothing by design: checked, as before
        assert main([*command, *data, "--store", "memory", "--dry-run"]) == 0


def test_a_dry_run_against_a_snapshot_that_is_not_there_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The review of the diff: a dry run against a mistyped snapshot path checked the file against an empty graph,
    and said so as if against the store."""
    from lineage.resources import DATA_DIR

    missing = tmp_path / "grahp.snapshot"
    data = str(DATA_DIR / "npd_data_item_classifications_2018.csv")
    assert main(["import", "npd-classifications", data, "--dry-run", "--store", f"memory:{missing}"]) == 1
    assert f"no snapshot at {missing}" in capsys.readouterr().err
    assert not missing.exists()


def test_a_name_too_long_for_the_file_system_is_one_line_and_a_long_legal_one_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hostile input, round five: a --store name of 300 characters was a traceback (ENAMETOOLONG) in every
    reading command; a legal name of 249 characters ran a whole import, then failed to save (its temporary name
    was over 255) with a traceback; an --output of 250 characters was refused, though the file system takes it."""
    too_long = tmp_path / ("a" * 300)
    assert main(["counts", "--store", f"memory:{too_long}"]) == 1
    err = capsys.readouterr().err
    assert (
        err.startswith(f"lineage: {tmp_path}/aaa") and err.endswith(": File name too long\n") and err.count("\n") == 1
    )
    snapshot = tmp_path / ("s" * 244 + ".snapshot")  # 253 bytes: its lock's name, as its save's, is cut
    classifications = "data/npd_data_item_classifications_2018.csv"
    assert main(["import", "npd-classifications", classifications, "--store", f"memory:{snapshot}"]) == 0
    assert MemoryStore.load(snapshot).counts().total_nodes > 0
    report = tmp_path / ("r" * 245 + ".graphql")  # written as every output is (lineage.files)
    assert main(["schema", "--output", str(report)]) == 0 and report.read_text(encoding="utf-8").startswith('"""')
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 3 and snapshot.name in names and report.name in names


def test_an_import_of_a_file_that_is_not_there_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hostile input, round five: an import of a mistyped file took the snapshot's lock first, leaving its folders
    and a lock file behind a refusal, after reading the snapshot whole."""
    snapshot = tmp_path / "typo" / "deep" / "graph.snapshot"
    missing = tmp_path / "nowhere.csv"
    assert main(["import", "npd-classifications", str(missing), "--store", f"memory:{snapshot}"]) == 1
    assert capsys.readouterr().err == f"lineage: {missing}: no such file\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--format", "csv", "--output", ""],
        ["claims", "--format", "md", "--output", " "],
        ["import", "npd-items", ""],
        ["query", "--file", ""],
    ],
)
def test_an_empty_path_is_refused_not_read_as_the_current_folder(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hostile-input reading, round six: `export --format csv --output "$OUT"` with OUT unset wrote nodes.csv
    and edges.csv into the current folder, over any there (Path("") is ".")."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as refused:
        main([*command, "--store", "memory:none.snapshot"])
    assert refused.value.code == 2
    assert "is empty: name a file or folder (is a variable unset?)" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_a_dash_as_output_is_refused_not_written_as_a_file_of_that_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hostile-input reading, round six: `--output -` wrote a file named "-" where other tools write to
    standard output."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as refused:
        main(["claims", "--format", "md", "--output", "-", "--store", "memory:none.snapshot"])
    assert refused.value.code == 2
    assert "'-' is no file here: leave --output out to write to standard output" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_counts_prints_an_unfinished_imports_file_name_and_error_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hostile input, round seven: an import killed while writing a file whose name holds escape sequences left its
    run "started", and `lineage counts` printed the name and the error raw: the terminal was cleared and retitled."""
    from lineage.model import Citation, Node, NodeKind

    name, error = "e\x1b]0;owned\x07\x1b[2J.csv", "stopped\x1b[31m"
    run = Node(
        NodeKind.IMPORT_RUN,
        "search-keywords/abc",
        f"search-keywords import of {name}",
        {"source": "search-keywords", "path": name, "started_at": "2026-12-07T17:00:00+00:00", "status": "started",
         "error": error},
        frozenset({Citation("pupil-data lineage import log", name, None, "")}),
    )  # fmt: skip
    snapshot = tmp_path / "graph.snapshot"
    with MemoryStore.writing(snapshot) as store:
        store.write([run], [])
    assert main(["counts", "--store", f"memory:{snapshot}"]) == 0
    (line,) = [line for line in capsys.readouterr().out.splitlines() if line.startswith("unfinished import")]
    assert "\x1b" not in line and "\x07" not in line
    assert "e\\x1b]0;owned\\x07\\x1b[2J.csv" in line and "stopped\\x1b[31m" in line


def test_a_long_id_in_a_refusal_is_cut_short_as_the_api_cuts_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hostile-input reading, round thirteen: `lineage foi --gap ID` repeated an id of 100,000 characters in
    full in its refusal, where the API quotes 200 of them and says how many there were; the terminal shows the same.
    An apostrophe in the prose ("the reader's") opens no quote: the words after it are kept whole."""
    from lineage.errors import clip
    from tests import fixture_graph as g

    snapshot = tmp_path / "graph.snapshot"
    with MemoryStore.writing(snapshot) as store:
        store.write(g.NODES, g.EDGES)
    long_id = "x" * 100_000
    assert main(["foi", "--gap", long_id, "--store", f"memory:{snapshot}"]) == 1
    said = f"lineage: no gap has the id '{'x' * 200}…' (100,000 characters) (the gaps question lists them)\n"
    assert capsys.readouterr().err == said
    prose = f"the reader's words {'word ' * 60}and 'y'"
    assert clip(prose) == prose
