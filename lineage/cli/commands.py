"""The commands' work: each ``run_*`` reads its parsed arguments, opens the store it names, and returns the
exit code (0 done, 1 failed, 2 could not run). The importers, the API and the core meet here and nowhere else."""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from lineage import __version__
from lineage.cli.text import PROGRESS, describe_run, format_counts, format_reports, format_table, shown
from lineage.errors import LineageError
from lineage.files import WriteError, read_regular
from lineage.resources import COOKBOOK
from lineage.store import Store, unfinished_imports
from lineage.stores import OPENERS, open_store, scheme_of
from lineage.stores.memory import MemoryStore
from lineage.stores.snapshot import LOCK_WAIT, lock_of

if TYPE_CHECKING:
    import uvicorn

#: The default store, one per release: a release's rules and bundled data build its own graph on first use, so an
#: upgrade never answers from the graph an older release built (an older one stays where it was, with whatever
#: was imported into it).
DEFAULT_STORE = f"memory:.lineage/graph-{__version__}.snapshot"


#: The longest --wait for another writer, in seconds: a day.
MAX_WAIT = 86_400


class UsageError(LineageError):
    """The command was given wrong arguments: exit code 2, as argparse's own refusals."""


def _store_address(args: argparse.Namespace) -> str:
    """The store a command asked for (a command with no --store, as `lineage schema`, has $LINEAGE_STORE's)."""
    return getattr(args, "store", None) or os.environ.get("LINEAGE_STORE") or DEFAULT_STORE


def _open(args: argparse.Namespace) -> Store:
    """The store a reading command asked for; the default one is built from the bundled data on first use.
    Any other snapshot must exist: a mistyped path would otherwise answer from an empty graph."""
    address = _store_address(args)
    store = open_store(address, existing=address != DEFAULT_STORE)
    if address == DEFAULT_STORE and store.counts().total_nodes == 0:
        with _writing(address, LOCK_WAIT, "the first use's build of the default store") as built:
            _build_on_first_use(address, built)  # another process may have built it while this one waited
        store = open_store(address)
    return store


def _build_on_first_use(address: str, store: Store) -> None:
    """Build the real graph from the bundled data into the default store while it is empty, whatever the first
    command: an import into it first had left it holding that file alone, and every later question answered from
    that graph without a word."""
    if address == DEFAULT_STORE and store.counts().total_nodes == 0:
        from importers.build import build_real_graph

        print("lineage: building the real graph from the bundled data (first use)", file=sys.stderr)
        build_real_graph(store, progress=PROGRESS)


def _refuse_the_store(args: argparse.Namespace, *outputs: Path | None) -> None:
    """Refuse, before anything is read, to write a file the user asked for (None: none asked) over the snapshot
    of the store the command reads, or its lock: an export over the snapshot once replaced it, exit 0, and the
    store was lost."""
    address = _store_address(args)
    scheme, _, path = address.partition(":")
    if scheme != "memory" or not path:
        return
    own = {os.path.realpath(path): "the snapshot", os.path.realpath(lock_of(Path(path))): "the lock of the snapshot"}
    for output in outputs:
        what = own.get(os.path.realpath(output)) if output is not None else None
        if what is not None:
            raise WriteError(f"cannot write {output}: it is {what} of the store this command reads ({address})")


@contextlib.contextmanager
def _writing(address: str, wait: float, by: str) -> Iterator[Store]:
    """The store a writing command (``by``: "lineage build", named to whoever waits for it) asked for. A snapshot
    (``memory:PATH``) is read under its writer lock and saved when the command succeeds (MemoryStore.writing); Neo4j
    takes its writers in turn by itself. A ``wait`` that is no bounded number of seconds is refused: NaN waited
    forever (no time is past its deadline)."""
    if not 0 <= wait <= MAX_WAIT:  # NaN fails every comparison
        raise UsageError(f"--wait must be a number of seconds from 0 to {MAX_WAIT}, got {wait:g}")
    scheme, _, path = address.partition(":")
    if scheme == "memory" and path:
        with MemoryStore.writing(path, wait, by) as snapshot:
            yield snapshot
        return
    if address == "memory":  # said it wrote, exit 0, and kept nothing ("memory:" is refused as naming no path)
        raise UsageError(
            "--store memory is a store kept nowhere: what is written to it is lost when the command ends; give "
            "memory:PATH to keep it (or --dry-run to check a file)"
        )
    with open_store(address) as store:
        yield store


def run_counts(args: argparse.Namespace) -> int:
    with _open(args) as store:
        print(format_counts(store.counts()))
        runs = unfinished_imports(store)
    for run in runs:
        print(f"unfinished import: {describe_run(run)}")
    return 0


def run_sources(_: argparse.Namespace) -> int:
    from importers import BUILD_ORDER, REGISTRY

    rows = [
        (name, cls.bundled or "-", "yes" if name in BUILD_ORDER else "no") for name, cls in sorted(REGISTRY.items())
    ]
    print(format_table(("source", "bundled file", "in build"), rows))
    return 0


def run_import(args: argparse.Namespace) -> int:
    from importers import REGISTRY
    from importers.reading import refuse_not_a_file, refuse_too_large

    importer_cls = REGISTRY.get(args.source)
    if importer_cls is None:
        raise LineageError(f"unknown source {args.source!r}; known: {', '.join(sorted(REGISTRY))}")
    address = _store_address(args)
    # the file first: a missing one had taken the snapshot's lock, made its folders and read it whole before
    # saying so
    refuse_not_a_file(Path(args.path))
    refuse_too_large(Path(args.path))
    if args.dry_run:  # checked against the store as any reading command opens it (a mistyped path is refused),
        # or, in the empty store (memory), as the file alone
        with open_store(address) if address == "memory" else _open(args) as store:
            report = importer_cls().run(store, args.path, dry_run=True, progress=PROGRESS)
    else:
        from lineage.changes import GapWatch

        with _writing(address, args.wait, f"lineage import {importer_cls.name}") as store:
            _build_on_first_use(address, store)
            report = importer_cls().run(store, args.path, progress=PROGRESS, gaps=GapWatch(store))
    print(format_reports([report], args.verbose))
    return 0


def run_build(args: argparse.Namespace) -> int:
    from importers.build import build_real_graph
    from lineage.claims import by_rule, claims
    from lineage.questions.gaps import gap_counts

    with _writing(_store_address(args), args.wait, "lineage build") as store:
        if args.fresh:  # a snapshot is saved whole when the build ends: until then, readers read the old one
            store.clear()
        reports = build_real_graph(store, progress=PROGRESS)
        counts = store.counts()
        inferred = by_rule(claims(store))
        open_gaps = gap_counts(store)
    print(format_reports(reports, args.verbose))
    print()
    print(format_counts(counts))
    print()
    print(format_table(("rule", "facts it infers (lineage claims lists them)"), sorted(inferred.items())))
    print()
    gaps_table = [(kind, authority, n) for (kind, authority), n in sorted(open_gaps.items())]
    print(
        format_table(("gap in the record", "who holds the answer", "gaps (lineage foi drafts a request)"), gaps_table)
    )
    return 0


def default_workers() -> int:
    """One worker per CPU core this process may run on: each worker is a process with its own store and
    event loops, so the cores serve requests in parallel."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


#: The most workers a core serves: each is a process holding the store (an embedded one holds the whole graph,
#: about 200 MB), and 99,999 of them had filled the machine's memory within seconds.
WORKERS_PER_CORE = 4

#: The longest request head (request line and headers) the server reads, as a multiple of the app's limit on a GET
#: query string: a longer query string reaches the app, which answers 414 in JSON; only a head longer than this
#: is refused by the server itself, in plain text. (httptools stops every address at 64 KiB, below that limit.)
REQUEST_HEAD_LIMITS = 8


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from lineage.api.app import PUBLIC_URL_ENV, STORE_ENV, public_base_url
    from lineage.api.limits import DEFAULT_LIMITS

    most = WORKERS_PER_CORE * default_workers()
    if not 1 <= args.workers <= most:
        raise UsageError(
            f"--workers must be from 1 to {most} ({WORKERS_PER_CORE} per CPU core this process may use), "
            f"got {args.workers}"
        )
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be from 0 to 65535, got {args.port}")
    given_url = args.public_url or os.environ.get(PUBLIC_URL_ENV)
    if args.port == 0 and not given_url:  # its redirects and its feed's links had named port 0
        raise UsageError("--port 0 lets the system pick a port that the app's links cannot name: give a port, or "
                         "--public-url for the address it is reached at")  # fmt: skip
    try:  # said now, naming the host, not after the store is opened (a first build takes a while): bound later
        socket.getaddrinfo(args.host, args.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UsageError(f"--host {args.host!r} is no address to serve on: {getattr(exc, 'strerror', exc)}") from None
    try:
        host = f"[{args.host}]" if ":" in args.host else args.host  # an IPv6 address
        public_url = public_base_url(given_url or f"http://{host}:{args.port}")
    except ValueError as exc:
        raise UsageError(f"--public-url: {exc}") from None
    with _open(args):  # builds the default graph on first use, and says now if the store is not there
        pass
    os.environ[STORE_ENV] = _store_address(args)  # each worker opens the store itself
    os.environ[PUBLIC_URL_ENV] = public_url
    config = uvicorn.Config(
        "lineage.api.app:app_from_environment",
        factory=True,
        workers=args.workers,
        log_level="info",
        http="h11",
        h11_max_incomplete_event_size=REQUEST_HEAD_LIMITS * DEFAULT_LIMITS.max_body_bytes,
    )
    listening = _listening_socket(args.host, args.port, config.backlog)
    port = listening.getsockname()[1]
    print(f"lineage: serving on {args.host} port {port}, reached at {public_url} (Ctrl-C stops it)", file=sys.stderr)
    if not _served_until_asked_to_stop(config, listening):
        raise LineageError(
            f"stopped serving on {args.host} port {port}: the server could not start over the store "
            f"{_store_address(args)} (its error is above)"
        )
    return 0


def _listening_socket(host: str, port: int, backlog: int) -> socket.socket:
    """The socket every worker answers on, bound before any starts: a port already taken, or one the system
    refuses, is named here, where uvicorn said only "[Errno 98] Address already in use". It binds the first address
    ``host`` resolves to that binds (reusing a port whose last connections are closing), of whatever family: the
    family had been told from a ':' in the host, so a name resolving to IPv6 alone (ip6-localhost) could not be
    served. It listens at once, so a client that connects once told where the server is waits for a worker rather
    than being refused."""
    try:  # checked before the store was opened, but a name may stop resolving since
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise LineageError(f"cannot serve on {host} port {port}: {getattr(exc, 'strerror', None) or exc}") from None
    failures = []
    for family, kind, protocol, _, address in addresses:
        listening = socket.socket(family, kind, protocol)
        try:
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listening.bind(address)
            listening.listen(backlog)
        except OSError as exc:
            listening.close()
            why = exc.strerror or str(exc)
            failures.append(why if address[0] == host else f"{address[0]}: {why}")  # the address, where host names it
            continue
        return listening
    raise LineageError(f"cannot serve on {host} port {port}: {'; '.join(failures)}")


def _served_until_asked_to_stop(config: uvicorn.Config, listening: socket.socket) -> bool:
    """Serve until SIGINT or SIGTERM stops the server (True), or until it stopped because it could not start: a
    worker that could not open the store, or an app that failed as it started (False). uvicorn.run returned alike
    from both with several workers, and `lineage serve` had exited 0 as if it had been stopped."""
    import uvicorn
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    if config.workers == 1:
        server = uvicorn.Server(config)
        try:
            server.run(sockets=[listening])
        except KeyboardInterrupt:  # uvicorn stops on SIGINT or SIGTERM, then raises the signal again
            return True
        except SystemExit as exc:  # uvicorn's exit when the app could not start
            if exc.code != STARTUP_FAILURE:
                raise
        return server.started
    supervisor = Multiprocess(config, sockets=[listening])
    supervisor.run()
    return all(worker.exitcode != STARTUP_FAILURE for worker in supervisor.processes)


def run_query(args: argparse.Namespace) -> int:
    """Prints the answer (JSON) when the operation ran, and each error as one line on standard error.
    Exit 0 when it answered without errors, 1 when it ran with errors, 2 when it could not run at all
    (no query, an unreadable --file, --vars that are not a JSON object, a query or variables refused)."""
    import asyncio
    import json

    from lineage.api.client import execute_over_http
    from lineage.api.limits import DEFAULT_LIMITS
    from lineage.api.protocol import Refused, decode_json

    if sum(map(bool, (args.file, args.text, args.cookbook))) > 1:
        raise UsageError("give a query as TEXT, with --file or with --cookbook: only one")
    if args.cookbook:
        args.file = COOKBOOK / f"{args.cookbook}.graphql"
    if args.file:
        try:  # no more than a request may carry: a device such as /dev/zero had filled the memory
            text = read_regular(args.file, DEFAULT_LIMITS.max_body_bytes).decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read --file {args.file}: {getattr(exc, 'strerror', None) or exc}") from None
    else:
        text = args.text
    if not text:
        raise UsageError("give a query as TEXT, with --file or with --cookbook")
    try:
        variables = decode_json(args.vars, "--vars") if args.vars else {}
    except Refused as exc:  # not JSON, nested too deeply, a number too long to read
        raise UsageError(exc.message) from None
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


def run_schema(args: argparse.Namespace) -> int:
    from lineage.api.schema import build_schema

    _refuse_the_store(args, args.output)
    return _print_or_write(str(build_schema()) + "\n", args.output)


def run_vocabulary(args: argparse.Namespace) -> int:
    from lineage.api.vocabulary import vocabulary_module

    _refuse_the_store(args, args.output)
    return _print_or_write(vocabulary_module(), args.output)


def run_export(args: argparse.Namespace) -> int:
    from lineage.exports import export, output_paths, summary

    _refuse_the_store(args, *output_paths(args.format, args.output))
    with _open(args) as store:
        subgraph, paths = export(store, args.format, args.output, args.node, args.depth)
    print(f"lineage: wrote {shown(', '.join(map(str, paths)))}: {summary(args.format, subgraph)}")
    return 0


def run_report(args: argparse.Namespace) -> int:
    from lineage.reports import report

    _refuse_the_store(args, args.output)
    with _open(args) as store:
        text = report(store, args.subject, args.reference, args.format)
    return _print_or_write(text, args.output)


def run_letter(args: argparse.Namespace) -> int:
    from lineage import letter, questions

    name = letter.checked_name(args.name)
    with _open(args) as store:
        answer = questions.record_reach(store, args.urn, args.from_year, args.to_year)
    print(letter.write(answer, args.format, name).text, end="")
    return 0


def run_foi(args: argparse.Namespace) -> int:
    from lineage import foi
    from lineage.questions.gaps import gaps_by_id

    with _open(args) as store:
        print(foi.write(gaps_by_id(store, args.gap), args.format).text, end="")
    return 0


def run_claims(args: argparse.Namespace) -> int:
    from lineage.claims import CLAIM_FORMATS, claims

    _refuse_the_store(args, args.output)
    with _open(args) as store:
        text = CLAIM_FORMATS[args.format](claims(store))
    return _print_or_write(text, args.output)


def _print_or_write(text: str, output: Path | None) -> int:
    """Print the text, or write it to ``output`` as every command writes a file: whole or not at all, and only
    over a regular file (a symbolic link or a pipe there is refused, not replaced or written through)."""
    from lineage.files import write_text

    if output is None:
        print(text, end="")
    else:
        write_text(output, text)
    return 0


def run_diff(args: argparse.Namespace) -> int:
    from lineage.changes import diff, format_diff

    with _open_existing(args.old) as old, _open_existing(args.new) as new:
        print(format_diff(diff(old, new)), end="")
    return 0


def _open_existing(address: str) -> Store:
    """A build to compare: a store address, or a snapshot file's path (a path with a colon in it too, as a
    timestamped copy's "graph-10:00.snapshot" has, where no store's scheme comes before it); a snapshot that is not
    there is refused, and what is there but is no file (a device, a folder) is refused by the store, saying what
    it is; the empty store (``memory``), with nothing to compare, is refused as every reader refuses it."""
    if scheme_of(address) not in OPENERS:
        address = f"memory:{address}"
    return open_store(address, existing=True)
