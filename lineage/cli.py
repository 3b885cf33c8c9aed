"""The ``lineage`` command: build the real graph, import one source, and show what a store holds.

    lineage build   [--store ADDR]                    the whole real graph from the bundled data
    lineage import  SOURCE PATH [--store ADDR] [--dry-run]
    lineage counts  [--store ADDR]                    nodes and edges per kind
    lineage sources                                   the importers and their bundled files
    lineage serve   [--store ADDR] [--host H] [--port P] [--workers N]   the GraphQL API and playground
    lineage query   (TEXT | --file F | --cookbook NAME) [--vars JSON] [--operation NAME] [--store ADDR]
                                                      one GraphQL query, printed as JSON
    lineage schema  [--output PATH]                   the GraphQL schema as SDL (graphql/schema.graphql)
    lineage export  --format F --output PATH [--node ID [--depth N]] [--store ADDR]
                                                      the graph, or one node's lineage, as a file
    lineage report  (release REF | organisation NAME | item ALIAS) [--format html|md] [--output PATH]
                                                      an audit report, cited, with its flow picture
    lineage letter  --urn URN --from YEAR --to YEAR [--name NAME] [--format txt|md|html] [--store ADDR]
                                                      a subject access request to DfE, with its sources
    lineage diff    OLD NEW                           what changed between two builds (store addresses)

ADDR is ``memory:PATH`` (the default, ``memory:.lineage/graph.snapshot``, or $LINEAGE_STORE) or a
``bolt://`` / ``neo4j://`` URI. An embedded store with a path is saved after every write. With no
--store and no $LINEAGE_STORE, the default embedded store is built from the bundled data on first use.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lineage.errors import LineageError
from lineage.model import Node
from lineage.resources import COOKBOOK
from lineage.store import Counts, Store, unfinished_imports
from lineage.stores import open_store
from lineage.stores.memory import LOCK_WAIT, MemoryStore

if TYPE_CHECKING:
    from importers.base import Report

DEFAULT_STORE = "memory:.lineage/graph.snapshot"


class UsageError(LineageError):
    """The command was given wrong arguments: exit code 2, as argparse's own refusals."""


def _store_address(args: argparse.Namespace) -> str:
    return args.store or os.environ.get("LINEAGE_STORE") or DEFAULT_STORE


def _open(args: argparse.Namespace) -> Store:
    """The store a reading command asked for; the default one is built from the bundled data on first use.
    Any other snapshot must exist: a mistyped path would otherwise answer from an empty graph."""
    address = _store_address(args)
    scheme, _, path = address.partition(":")
    if scheme == "memory" and path and address != DEFAULT_STORE and not Path(path).exists():
        raise LineageError(
            f"no snapshot at {path}: check the path, or build one with `lineage build --store {address}`"
        )
    store = open_store(address)
    if address == DEFAULT_STORE and store.counts().total_nodes == 0:
        from importers.build import build_real_graph

        with _writing(address, LOCK_WAIT) as built:
            if built.counts().total_nodes == 0:  # another process may have built it while this one waited
                print("lineage: building the real graph from the bundled data (first use)", file=sys.stderr)
                build_real_graph(built, progress=_progress)
        store = open_store(address)
    return store


@contextlib.contextmanager
def _writing(address: str, wait: float) -> Iterator[Store]:
    """The store a writing command asked for. A snapshot (``memory:PATH``) is read under its writer lock and
    saved when the command succeeds (MemoryStore.writing); Neo4j takes its writers in turn by itself."""
    scheme, _, path = address.partition(":")
    if scheme == "memory" and path:
        with MemoryStore.writing(path, wait) as snapshot:
            yield snapshot
        return
    with open_store(address) as store:
        yield store


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table: the CLI's summaries must read well in any terminal and in CI logs."""
    cells = [list(map(str, header)), *[list(map(str, row)) for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(
            cell.rjust(w) if cell.isdigit() else cell.ljust(w) for cell, w in zip(row, widths, strict=True)
        )

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *map(line, cells[1:])])


def format_counts(counts: Counts) -> str:
    rows = [("node", kind, n) for kind, n in counts.nodes.items()]
    rows += [("edge", kind, n) for kind, n in counts.edges.items()]
    rows += [("total", "nodes", counts.total_nodes), ("total", "edges", counts.total_edges)]
    return format_table(("", "kind", "count"), rows)


def _cmd_counts(args: argparse.Namespace) -> int:
    with _open(args) as store:
        print(format_counts(store.counts()))
        runs = unfinished_imports(store)
    for run in runs:
        print(f"unfinished import: {describe_run(run)}")
    return 0


def describe_run(run: Node) -> str:
    """One unfinished ImportRun in a line: its status is what decides whether its data can be trusted whole."""
    props = run.props
    why = f": {props['error']}" if props.get("error") else ""
    return (
        f"{props.get('source')} of {props.get('path')}, started {props.get('started_at')}, {props.get('status')}"
        f"{why} (what it wrote may be missing or partial: run it again)"
    )


def _cmd_sources(_: argparse.Namespace) -> int:
    from importers import BUILD_ORDER, REGISTRY

    rows = [
        (name, cls.bundled or "-", "yes" if name in BUILD_ORDER else "no") for name, cls in sorted(REGISTRY.items())
    ]
    print(format_table(("source", "bundled file", "in build"), rows))
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from importers import REGISTRY

    importer_cls = REGISTRY.get(args.source)
    if importer_cls is None:
        raise LineageError(f"unknown source {args.source!r}; known: {', '.join(sorted(REGISTRY))}")
    address = _store_address(args)
    if args.dry_run:
        with open_store(address) as store:
            report = importer_cls().run(store, args.path, dry_run=True, progress=_progress)
    else:
        with _writing(address, args.wait) as store:
            report = importer_cls().run(store, args.path, progress=_progress)
    print(format_reports([report], args.verbose))
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from importers.build import build_real_graph

    with _writing(_store_address(args), args.wait) as store:
        reports = build_real_graph(store, progress=_progress)
        counts = store.counts()
    print(format_reports(reports, args.verbose))
    print()
    print(format_counts(counts))
    return 0


def default_workers() -> int:
    """One worker per CPU core this process may run on: each worker is a process with its own store and
    event loops, so the cores serve requests in parallel."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from lineage.api.app import STORE_ENV

    if args.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {args.workers}")
    with _open(args):  # builds the default graph on first use, and says now if the store is not there
        pass
    os.environ[STORE_ENV] = _store_address(args)  # each worker opens the store itself
    uvicorn.run("lineage.api.app:app_from_environment", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="info")  # fmt: skip
    return 0


def _cmd_query(args: argparse.Namespace) -> int:
    """Prints the answer (JSON) when the operation ran, and each error as one line on standard error.
    Exit 0 when it answered without errors, 1 when it ran with errors, 2 when it could not run at all
    (no query, an unreadable --file, --vars that are not a JSON object, a query or variables refused)."""
    import asyncio
    import json

    from lineage.api.client import execute_over_http

    if sum(map(bool, (args.file, args.text, args.cookbook))) > 1:
        raise UsageError("give a query as TEXT, with --file or with --cookbook: only one")
    if args.cookbook:
        args.file = COOKBOOK / f"{args.cookbook}.graphql"
    if args.file:
        try:
            text = args.file.read_text()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read --file {args.file}: {getattr(exc, 'strerror', None) or exc}") from None
    else:
        text = args.text
    if not text:
        raise UsageError("give a query as TEXT, with --file or with --cookbook")
    try:
        variables = json.loads(args.vars) if args.vars else {}
    except json.JSONDecodeError as exc:
        raise UsageError(f"--vars is not JSON: {exc}") from None
    if not isinstance(variables, dict):
        raise UsageError('--vars must be a JSON object, e.g. \'{"item": "KS4_FSM"}\'')
    with _open(args) as store:
        status, body = asyncio.run(execute_over_http(store, text, variables, args.operation))
    if "data" in body:
        print(json.dumps(body, indent=2, ensure_ascii=False))
    for error in body.get("errors", ()):
        code = error.get("extensions", {}).get("code", "ERROR")
        print(f"lineage: {' '.join(error['message'].split())} [{code}]", file=sys.stderr)
    if "data" not in body and status < 500:
        return 2
    return 0 if status == 200 and not body.get("errors") else 1


def _cmd_schema(args: argparse.Namespace) -> int:
    from lineage.api.schema import build_schema

    sdl = str(build_schema()) + "\n"
    if args.output:
        args.output.write_text(sdl)
    else:
        print(sdl, end="")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from lineage.exports import export

    with _open(args) as store:
        subgraph, paths = export(store, args.format, args.output, args.node, args.depth)
    print(f"lineage: wrote {', '.join(map(str, paths))}: {subgraph.describe()}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from lineage.reports import report, write_report

    with _open(args) as store:
        text = report(store, args.subject, args.reference, args.format)
    if args.output:
        write_report(text, args.output)
    else:
        print(text, end="")
    return 0


def _cmd_letter(args: argparse.Namespace) -> int:
    from lineage import letter, questions

    with _open(args) as store:
        answer = questions.record_reach(store, args.urn, args.from_year, args.to_year)
    print(letter.write(answer, args.format, args.name).text, end="")
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from lineage.changes import diff, format_diff

    with _open_existing(args.old) as old, _open_existing(args.new) as new:
        print(format_diff(diff(old, new)), end="")
    return 0


def _open_existing(address: str) -> Store:
    """A build to compare: a store address, or a snapshot file's path; a snapshot that is not there is refused."""
    if ":" not in address:
        address = f"memory:{address}"
    scheme, _, path = address.partition(":")
    if scheme == "memory" and not (path and Path(path).is_file()):
        raise LineageError(f"no snapshot at {path or '(no path)'}: `lineage build --store memory:PATH` makes one")
    return open_store(address)


class _ProgressLine:
    """The stage an import is at. On a terminal, one line of standard error rewritten in place (``open`` while a
    stage runs, so that an error then starts a line of its own); into a log, one plain line per stage done."""

    open = False

    def __call__(self, step: int, total: int, name: str, seconds: float | None) -> None:
        done = "" if seconds is None else f" done in {seconds:.1f} s"
        if not sys.stderr.isatty():
            print(f"[{step}/{total}] {name}{done}", file=sys.stderr, flush=True)
            return
        bar = "#" * step + "." * (total - step)
        line = f"\r[{bar}] {step}/{total} {name}{done}".ljust(78)
        print(line, end="\n" if seconds is not None else "", file=sys.stderr, flush=True)
        self.open = seconds is None

    def end(self) -> str:
        """What ends an open line before a message: a line break, or nothing."""
        was, self.open = self.open, False
        return "\n" if was else ""


_progress = _ProgressLine()


#: The summary's width: it reads in a narrow terminal and in CI logs.
WIDTH = 100


def format_reports(reports: Sequence[Report], verbose: bool = False) -> str:
    """The runs' counts as a table, then why rows were skipped or facts left out: the commonest reason of each
    run, or every reason with ``verbose`` (all of them are on each run's ImportRun node too)."""
    dry = any(report.dry_run for report in reports)
    header = ("source", "read", "would write" if dry else "written", "skipped", "left out", "nodes", "edges",
              "new nodes", "new edges")  # fmt: skip
    rows = [
        (r.source, r.rows_read, r.rows_written, r.rows_skipped, sum(r.left_out.values()), r.nodes, r.edges,
         r.nodes_created, r.edges_created)
        for r in reports
    ]  # fmt: skip
    lines = [format_table(header, rows)]
    whys = [
        (report.source, kind, reason, count)
        for report in reports
        for kind, reasons in (("skipped", report.skipped), ("left out", report.left_out))
        for reason, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))[: None if verbose else 1]
    ]
    if whys:
        lines.append("")
        lines.append("why" + ("" if verbose else " (the commonest reason of each; --verbose gives every one)") + ":")
        lines += [_shorten(f"  {source}, {kind} {count}x: {reason}", verbose) for source, kind, reason, count in whys]
    if dry:
        lines.append("")
        lines.append("a dry run: nothing was written")
    return "\n".join(lines)


def _shorten(line: str, whole: bool) -> str:
    return line if whole or len(line) <= WIDTH else line[: WIDTH - 1] + "…"


STORE_HELP = f"store address: memory:PATH or a bolt:// / neo4j:// URI (default: $LINEAGE_STORE, else {DEFAULT_STORE})"
Arguments = Callable[[argparse.ArgumentParser], None]


def _store(command: argparse.ArgumentParser) -> None:
    command.add_argument("--store", help=STORE_HELP)


def _writes(command: argparse.ArgumentParser) -> None:
    _store(command)
    command.add_argument("--wait", type=float, default=LOCK_WAIT,
                         help="seconds to wait for another import writing to the same snapshot")  # fmt: skip
    command.add_argument("--verbose", action="store_true", help="list every reason a row was skipped or left out")


def _import_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("source", help="importer name (see `lineage sources`)")
    command.add_argument("path", type=Path, help="the file to import")
    command.add_argument("--dry-run", action="store_true", help="read, check and report; write nothing")
    _writes(command)


def _serve_arguments(command: argparse.ArgumentParser) -> None:
    _store(command)
    command.add_argument("--host", default="127.0.0.1", help="the address to listen on (0.0.0.0: every interface)")
    command.add_argument("--port", type=int, default=8000, help="the port to listen on")
    command.add_argument("--workers", type=int, default=default_workers(),
                         help="worker processes, each with its own store (one per usable CPU core here)")  # fmt: skip


def _query_arguments(command: argparse.ArgumentParser) -> None:
    _store(command)
    command.add_argument("text", nargs="?", help="the GraphQL query")
    command.add_argument("--file", type=Path, help="read the query from a file")
    questions = sorted(path.stem for path in COOKBOOK.glob("*.graphql"))
    command.add_argument("--cookbook", choices=questions, metavar="NAME",
                         help=f"ask one of the cookbook's questions: {', '.join(questions)}")  # fmt: skip
    command.add_argument("--vars", help="variables as a JSON object")
    command.add_argument("--operation", help="the operation to run, when the document has several")


def _schema_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--output", type=Path, help="write to this file instead of standard output")


def _export_arguments(command: argparse.ArgumentParser) -> None:
    from lineage.exports import EXPORT_FORMATS

    _store(command)
    command.add_argument("--format", required=True, choices=list(EXPORT_FORMATS), help="the file format")
    command.add_argument("--output", type=Path, required=True,
                         help="the file to write; for csv, a directory (nodes.csv, edges.csv)")  # fmt: skip
    command.add_argument("--node", help="export this node's lineage (both directions) instead of the graph")
    command.add_argument("--depth", type=int, help="hops from --node (2 when not given)")


def _report_arguments(command: argparse.ArgumentParser) -> None:
    from lineage.reports import REPORT_FORMATS, SUBJECTS

    _store(command)
    command.add_argument("subject", choices=list(SUBJECTS), help="what the report is about")
    command.add_argument("reference", help="a release reference or id, an organisation's name, an item alias")
    command.add_argument("--format", default="html", choices=list(REPORT_FORMATS), help="the document's format")
    command.add_argument("--output", type=Path, help="write to this file instead of standard output")


def _letter_arguments(command: argparse.ArgumentParser) -> None:
    from lineage.letter import LETTER_FORMATS

    _store(command)
    command.add_argument("--urn", type=int, required=True, help="the school's URN (GIAS)")
    command.add_argument("--from", dest="from_year", type=int, required=True, help="first academic year (its start)")
    command.add_argument("--to", dest="to_year", type=int, required=True, help="last academic year (its start)")
    command.add_argument("--name", help="the child's name, written into the letter only (never stored)")
    command.add_argument("--format", default="txt", choices=list(LETTER_FORMATS), help="the letter's format")


def _diff_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("old", help="the older build: memory:PATH, a snapshot's path, or a bolt:// URI")
    command.add_argument("new", help="the newer build, the same way")


def _nothing(command: argparse.ArgumentParser) -> None:
    """A command without options."""


#: Every command: its name, what it does, how it runs, and its arguments.
COMMANDS: tuple[tuple[str, str, Callable[[argparse.Namespace], int], Arguments], ...] = (
    ("build", "build the whole real graph from the bundled data", _cmd_build, _writes),
    ("import", "import one source file", _cmd_import, _import_arguments),
    ("counts", "print nodes and edges per kind, and imports that did not finish", _cmd_counts, _store),
    ("sources", "list the importers", _cmd_sources, _nothing),
    ("serve", "serve the GraphQL API, the playground, the explorer and the page for parents", _cmd_serve,
     _serve_arguments),
    ("query", "run one GraphQL query through the API's own path, limits included", _cmd_query, _query_arguments),
    ("schema", "print or write the GraphQL schema (SDL)", _cmd_schema, _schema_arguments),
    ("export", "write the graph, or one node's lineage, as GraphML, GEXF, Cytoscape, CSV or PROV", _cmd_export,
     _export_arguments),
    ("report", "an audit report on a release, an organisation or an item, in HTML or Markdown", _cmd_report,
     _report_arguments),
    ("letter", "a subject access request to DfE for a pupil's NPD record", _cmd_letter, _letter_arguments),
    ("diff", "releases, organisations, statements and events changed between two builds", _cmd_diff,
     _diff_arguments),
)  # fmt: skip


class _Help(argparse.HelpFormatter):
    """Each option's help says its default, where it has one to say."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default not in (None, False, argparse.SUPPRESS) and "%(default)" not in text:
            text += " (default: %(default)s)"
        return text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lineage", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_, func, arguments in COMMANDS:
        command = sub.add_parser(name, help=help_, description=help_, formatter_class=_Help)
        command.set_defaults(func=func)
        arguments(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # The Neo4j driver warns of every retry on standard error; a lost store is reported here, in one line.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except LineageError as exc:
        print(f"{_progress.end()}lineage: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1
    except KeyboardInterrupt:
        print(f"{_progress.end()}lineage: interrupted (see `lineage counts` for what did not finish)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
