"""The ``lineage`` command: build the real graph, import one source, and show what a store holds.

    lineage build   [--store ADDR]                    the whole real graph from the bundled data
    lineage import  SOURCE PATH [--store ADDR] [--dry-run]
    lineage counts  [--store ADDR]                    nodes and edges per kind
    lineage sources                                   the importers and their bundled files
    lineage serve   [--store ADDR] [--host H] [--port P] [--workers N] [--public-url URL]
                                                      the GraphQL API and playground
    lineage query   (TEXT | --file F | --cookbook NAME) [--vars JSON] [--operation NAME] [--store ADDR]
                                                      one GraphQL query, printed as JSON
    lineage schema  [--output PATH]                   the GraphQL schema as SDL (graphql/schema.graphql)
    lineage vocabulary [--output PATH]                the model's vocabularies as the pages' ES module
                                                      (lineage/api/static/shared/vocabulary.js)
    lineage export  --format F --output PATH [--node ID [--depth N]] [--store ADDR]
                                                      the graph, or one node's lineage, as a file
    lineage report  (release REF | organisation NAME | item ALIAS) [--format html|md] [--output PATH]
                                                      an audit report, cited, with its flow picture
    lineage letter  --urn URN --from YEAR --to YEAR [--name NAME] [--format txt|md|html] [--store ADDR]
                                                      a subject access request to DfE, with its sources
    lineage diff    OLD NEW                           what changed between two builds (store addresses)
    lineage claims  [--format csv|md] [--output FILE] every fact inferred by a rule, for a reviewer to check
    lineage foi     --gap ID [--gap ID ...] [--format txt|md|html]  an FOI request for gaps in the record

ADDR is ``memory:PATH`` (the default, ``memory:.lineage/graph-VERSION.snapshot``, or $LINEAGE_STORE) or a
``bolt://`` / ``neo4j://`` URI. An embedded store with a path is saved after every write. With no
--store and no $LINEAGE_STORE, the default embedded store is built from the bundled data on first use.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from lineage import __version__
from lineage.cli.commands import (
    DEFAULT_STORE,
    UsageError,
    default_workers,
    run_build,
    run_claims,
    run_counts,
    run_diff,
    run_export,
    run_foi,
    run_import,
    run_letter,
    run_query,
    run_report,
    run_schema,
    run_serve,
    run_sources,
    run_vocabulary,
)
from lineage.cli.text import PROGRESS, shown
from lineage.errors import LineageError, clip
from lineage.keys import WHOLE_NUMBER, WHOLE_NUMBER_WORDS
from lineage.resources import COOKBOOK
from lineage.stores.memory import GC_THRESHOLDS
from lineage.stores.snapshot import LOCK_WAIT

STORE_HELP = f"store address: memory:PATH or a bolt:// / neo4j:// URI (default: $LINEAGE_STORE, else {DEFAULT_STORE})"
Arguments = Callable[[argparse.ArgumentParser], None]


def _store(command: argparse.ArgumentParser) -> None:
    command.add_argument("--store", help=STORE_HELP)


def _writes(command: argparse.ArgumentParser) -> None:
    _store(command)
    command.add_argument("--wait", type=float, default=LOCK_WAIT,
                         help="seconds to wait for another import writing to the same snapshot")  # fmt: skip
    command.add_argument("--verbose", action="store_true", help="list every reason a row was skipped or left out")


def _build_arguments(command: argparse.ArgumentParser) -> None:
    _writes(command)
    command.add_argument(
        "--fresh",
        action="store_true",
        help="empty the store first: a build into a built store adds what the bundled data state and removes "
        "nothing, so facts an older copy stated and this one does not would stay (your own imports go too)",
    )


def _import_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("source", help="importer name (see `lineage sources`)")
    command.add_argument("path", type=named_path, help="the file to import")
    command.add_argument("--dry-run", action="store_true", help="read, check and report; write nothing")
    _writes(command)


def _serve_arguments(command: argparse.ArgumentParser) -> None:
    _store(command)
    command.add_argument("--host", default="127.0.0.1", help="the address to listen on (0.0.0.0: every interface)")
    command.add_argument("--port", type=whole_number, default=8000, help="the port to listen on")
    command.add_argument("--workers", type=whole_number, default=default_workers(),
                         help="worker processes, each with its own store (one per usable CPU core here)")  # fmt: skip
    command.add_argument("--public-url", help="the address the public reaches the app at, which its links and "
                         "redirects name (default: $LINEAGE_PUBLIC_URL, else http://HOST:PORT), never a client's "
                         "Host header")  # fmt: skip


def _query_arguments(command: argparse.ArgumentParser) -> None:
    _store(command)
    command.add_argument("text", nargs="?", help="the GraphQL query")
    command.add_argument("--file", type=named_path, help="read the query from a file")
    questions = sorted(path.stem for path in COOKBOOK.glob("*.graphql"))
    command.add_argument("--cookbook", choices=questions, metavar="NAME",
                         help=f"ask one of the cookbook's questions: {', '.join(questions)}")  # fmt: skip
    command.add_argument("--vars", help="variables as a JSON object")
    command.add_argument("--operation", help="the operation to run, when the document has several")


def _schema_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--output", type=named_path, help="write to this file instead of standard output")


def _export_arguments(command: argparse.ArgumentParser) -> None:
    from lineage.exports import EXPORT_FORMATS

    _store(command)
    command.add_argument("--format", required=True, choices=list(EXPORT_FORMATS), help="the file format")
    command.add_argument("--output", type=named_path, required=True,
                         help="the file to write; for csv, a directory (nodes.csv, edges.csv)")  # fmt: skip
    command.add_argument("--node", help="export this node's lineage (both directions) instead of the graph")
    command.add_argument("--depth", type=whole_number, help="hops from --node (2 when not given)")


def _report_arguments(command: argparse.ArgumentParser) -> None:
    from lineage.reports import REPORT_FORMATS, SUBJECTS

    _store(command)
    command.add_argument("subject", choices=list(SUBJECTS), help="what the report is about")
    command.add_argument("reference", help="a release reference or id, an organisation's name, an item alias")
    command.add_argument("--format", default="html", choices=list(REPORT_FORMATS), help="the document's format")
    command.add_argument("--output", type=named_path, help="write to this file instead of standard output")


def _letter_arguments(command: argparse.ArgumentParser) -> None:
    from lineage.drafts import FORMATS

    _store(command)
    command.add_argument("--urn", type=whole_number, required=True, help="the school's URN (GIAS)")
    command.add_argument("--from", dest="from_year", type=whole_number, required=True,
                         help="first academic year (its start)")  # fmt: skip
    command.add_argument("--to", dest="to_year", type=whole_number, required=True,
                         help="last academic year (its start)")  # fmt: skip
    command.add_argument("--name", help="the child's name, written into the letter only (never stored)")
    command.add_argument("--format", default="txt", choices=list(FORMATS), help="the letter's format")


def _foi_arguments(command: argparse.ArgumentParser) -> None:
    from lineage.drafts import FORMATS

    _store(command)
    command.add_argument("--gap", action="append", required=True,
                         help="a gap's id, as the gaps question gives it (repeat: gaps of one authority)")  # fmt: skip
    command.add_argument("--format", default="txt", choices=list(FORMATS), help="the request's format")


def _claims_arguments(command: argparse.ArgumentParser) -> None:
    from lineage.claims import CLAIM_FORMATS

    _store(command)
    command.add_argument("--format", default="csv", choices=list(CLAIM_FORMATS), help="the ledger's format")
    command.add_argument("--output", type=named_path, help="write to this file instead of standard output")


def _diff_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("old", help="the older build: memory:PATH, a snapshot's path, or a bolt:// URI")
    command.add_argument("new", help="the newer build, the same way")


def _nothing(command: argparse.ArgumentParser) -> None:
    """A command without options."""


#: Every command: its name, what it does, how it runs, and its arguments.
COMMANDS: tuple[tuple[str, str, Callable[[argparse.Namespace], int], Arguments], ...] = (
    ("build", "build the whole real graph from the bundled data", run_build, _build_arguments),
    ("import", "import one source file", run_import, _import_arguments),
    ("counts", "print nodes and edges per kind, and imports that did not finish", run_counts, _store),
    ("sources", "list the importers", run_sources, _nothing),
    ("serve", "serve the GraphQL API, the playground, the explorer and the page for parents", run_serve,
     _serve_arguments),
    ("query", "run one GraphQL query through the API's own path, limits included", run_query, _query_arguments),
    ("schema", "print or write the GraphQL schema (SDL)", run_schema, _schema_arguments),
    ("vocabulary", "print or write the model's vocabularies as the pages' ES module (static/shared/vocabulary.js)",
     run_vocabulary, _schema_arguments),
    ("export", "write the graph, or one node's lineage, as GraphML, GEXF, Cytoscape, CSV or PROV", run_export,
     _export_arguments),
    ("report", "an audit report on a release, an organisation or an item, in HTML or Markdown", run_report,
     _report_arguments),
    ("letter", "a subject access request to DfE for a pupil's NPD record", run_letter, _letter_arguments),
    ("diff", "releases, organisations, statements and events changed between two builds", run_diff,
     _diff_arguments),
    ("claims", "every fact inferred by a rule, with the words and table rows it read (CSV or Markdown)",
     run_claims, _claims_arguments),
    ("foi", "a Freedom of Information request for gaps in the record, to the authority that holds them", run_foi,
     _foi_arguments),
)  # fmt: skip


class _Help(argparse.HelpFormatter):
    """Each option's help says its default, where it has one to say."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default not in (None, False, argparse.SUPPRESS) and "%(default)" not in text:
            text += " (default: %(default)s)"
        return text


class _Parser(argparse.ArgumentParser):
    """The command line's parser, whose refusals print what they quote with its control characters escaped
    (:func:`shown`): argparse quotes most arguments as Python does, but not those it does not recognise, whose
    escape sequences retitled or cleared the terminal (``lineage counts $'\\e]0;owned\\a'``)."""

    def error(self, message: str) -> NoReturn:
        super().error(shown(message))


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lineage", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_, func, arguments in COMMANDS:
        command = sub.add_parser(name, help=help_, description=help_, formatter_class=_Help)
        command.set_defaults(func=func)
        arguments(command)
    return parser


def named_path(text: str) -> Path:
    """A path an argument names: an empty one (a variable unset, ``--output "$OUT"``) is refused, where Path("")
    is the current folder, into which an export then wrote nodes.csv and edges.csv over any there; and "-", which
    other tools read as standard output, and which had written a file of that name."""
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: name a file or folder (is a variable unset?)")
    if text.strip() == "-":  # read as a file named "-", where a reader of other tools expects standard output
        raise argparse.ArgumentTypeError("'-' is no file here: leave --output out to write to standard output")
    return Path(text)


def whole_number(text: str) -> int:
    """An argument's whole number, in the digits 0-9 (int() reads other scripts' digits and 1_0 too, which the
    API refuses)."""
    if not WHOLE_NUMBER.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"expected {WHOLE_NUMBER_WORDS}, got {text!r}")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    # The Neo4j driver warns of every retry on standard error; a lost store is reported here, in one line.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    gc.set_threshold(*GC_THRESHOLDS)
    signal.signal(signal.SIGTERM, _terminated)
    args = _parser().parse_args(argv)
    if sys.stdout is None:  # started with it closed (`>&-`): every answer vanished, and the exit said all was well
        print("lineage: standard output is closed: nothing could be written", file=sys.stderr)
        return 1
    stdout, sys.stdout = sys.stdout, _Output(sys.stdout)
    try:
        code: int = args.func(args)
        sys.stdout.flush()  # a full disk is met here, where it can be named, not as the interpreter exits
        return code
    except LineageError as exc:
        print(f"{PROGRESS.end()}lineage: {shown(clip(str(exc)))}", file=sys.stderr)  # a 100 KB id cut short
        if isinstance(exc, _OutputFailed):  # what is still buffered can never be written: drop it
            os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
        return 2 if isinstance(exc, UsageError) else 1
    except KeyboardInterrupt as exc:
        stopped = "terminated" if isinstance(exc, _Terminated) else "interrupted"
        print(f"{PROGRESS.end()}lineage: {stopped} (see `lineage counts` for what did not finish)", file=sys.stderr)
        return 128 + signal.SIGTERM if isinstance(exc, _Terminated) else 130
    except BrokenPipeError:  # the reader went first (`lineage query ... | head`): nothing more to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
        return 141
    except OSError as exc:  # a file the command named that the system refuses (a name too long): named, not a trace
        if exc.filename is None:
            raise
        name = str(exc.filename)
        name = name if len(name) <= 200 else f"{name[:100]}…{name[-60:]}"
        print(f"{PROGRESS.end()}lineage: {shown(name)}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        sys.stdout = stdout


class _Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`, a service stopped), met as Ctrl-C is, so that what a command was writing is cleaned up:
    by default it ended the process at once, and an export stopped so left its half-written files in a hidden
    folder among the user's, one more each time."""


def _terminated(signum: int, frame: object) -> NoReturn:
    raise _Terminated


class _OutputFailed(LineageError):
    """Standard output could not be written (a full disk: `> /dev/full`)."""


@contextlib.contextmanager
def _writing() -> Iterator[None]:
    """A failure to write standard output, named as such (a reader that went first is left to main: BrokenPipe)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _OutputFailed(f"cannot write standard output: {exc.strerror or exc}") from None


class _Output:
    """Standard output, whose failure to write is named: it had been a traceback (ENOSPC on /dev/full)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        with _writing():
            return self._stream.write(text)

    def flush(self) -> None:
        with _writing():
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
