"""What the benchmarks share: timing, peak memory (Python's and a server's), and a Neo4j server of their own.

Benchmarks are scripts, not tests: they print numbers for a reader and assert nothing.
"""

from __future__ import annotations

import argparse
import logging
import math
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, cast

import uvicorn

from lineage.api.app import create_app
from lineage.store import Store
from lineage.stores import open_store
from lineage.stores.neo4j import Neo4jStore

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
NEO4J_DEV = ROOT / "tools" / "neo4j-dev" / "neo4j-dev.sh"
MB = 1024 * 1024


def timed(work: Callable[[], T]) -> tuple[T, float]:
    """The result of ``work`` and its wall-clock seconds."""
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def traced_peak(work: Callable[[], T]) -> tuple[T, int]:
    """The result of ``work`` and the peak bytes Python allocated while it ran (tracemalloc).

    Tracing slows Python down several times, so timings are always taken in a separate, untraced run."""
    tracemalloc.start()
    try:
        result = work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise ValueError(f"/proc/{pid}/status has no {field}")


def reset_peak_rss(pid: int) -> bool:
    """Reset a process's peak resident size (Linux 4.0+), so the next reading covers one phase only.
    False when the kernel does not allow it (the reading is then the peak since the process started)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss(pid: int) -> int:
    """A process's peak resident set size in bytes (VmHWM)."""
    return _status_kb(pid, "VmHWM") * 1024


def rss(pid: int) -> int:
    """A process's current resident set size in bytes (VmRSS)."""
    return _status_kb(pid, "VmRSS") * 1024


def latencies_ms(work: Callable[[str], int], starts: Sequence[str]) -> tuple[list[float], list[int]]:
    """Milliseconds ``work`` took from each start, and how many nodes each call reached."""
    times, reached = [], []
    for start in starts:
        count, seconds = timed(lambda start=start: work(start))
        times.append(seconds * 1000)
        reached.append(count)
    return times, reached


def p50(values: Sequence[float]) -> float:
    return statistics.median(values)


def p99(values: Sequence[float]) -> float:
    """The 99th percentile by nearest rank: a value that was measured, and with under 100 values the slowest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


@dataclass(frozen=True, slots=True)
class Neo4jServer:
    uri: str
    pid: int | None  # the server process, when known, for its memory
    own: bool  # started (and stopped) by this benchmark


@contextmanager
def neo4j_server(uri: str | None = None, pid: int | None = None) -> Iterator[Neo4jServer]:
    """The given server, or a fresh one from tools/neo4j-dev started in a temporary directory and stopped
    (and its data deleted) on exit. A fresh server per phase keeps one phase's memory out of the next."""
    if uri:
        yield Neo4jServer(uri, pid, own=False)
        return
    state = Path(tempfile.mkdtemp(prefix="lineage-bench-neo4j-"))
    try:
        started = subprocess.run(["bash", str(NEO4J_DEV), "start", str(state)], capture_output=True, text=True)
        if started.returncode != 0:
            raise SystemExit(f"tools/neo4j-dev could not start Neo4j: {started.stderr.strip()[-500:]}")
        yield Neo4jServer(started.stdout.strip().splitlines()[-1], int((state / "pid").read_text()), own=True)
    finally:
        subprocess.run(["bash", str(NEO4J_DEV), "stop", str(state)], capture_output=True)
        shutil.rmtree(state, ignore_errors=True)


def empty_neo4j_store(server: Neo4jServer) -> Neo4jStore:
    """A connection to the server's database, emptied, with the server's peak memory reset to now."""
    # The store's counts() asks about every kind, and the driver logs a warning for each kind not yet present.
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    store = cast(Neo4jStore, open_store(server.uri))
    store.clear()
    if server.pid:
        reset_peak_rss(server.pid)
    return store


def server_peak_mb(server: Neo4jServer) -> float | None:
    """The server's peak resident size in MB since the last reset, when its process is known."""
    return None if server.pid is None else peak_rss(server.pid) / MB


STORES = ("memory", "neo4j")


def add_store_options(parser: argparse.ArgumentParser, chunk: int, scale: bool = True) -> None:
    """The options every store benchmark takes: which stores, the synthetic graph, the Neo4j server
    (``scale=False`` leaves out ``--scale``, for a benchmark that takes several scales of its own)."""
    parser.add_argument("--stores", default=",".join(STORES), help="comma-separated: memory, neo4j")
    if scale:
        parser.add_argument("--scale", type=float, default=1.0, help="synthetic scale (1.0 = national, the default)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--neo4j-uri", help="use this server; its database is CLEARED (default: start our own)")
    parser.add_argument("--neo4j-pid", type=int, help="that server's process id, to read its peak memory")
    parser.add_argument("--chunk", type=int, default=chunk, help="nodes or edges per store write")


def chosen_stores(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[str]:
    stores = [name.strip() for name in args.stores.split(",") if name.strip()]
    unknown = set(stores) - set(STORES)
    if unknown:
        parser.error(f"unknown store(s) {', '.join(sorted(unknown))}; known: {', '.join(STORES)}")
    return stores


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """The app under uvicorn in a thread on a free loopback port; ``with`` gives its base address and stops it
    at the end (for the API benchmark, the explorer's benchmark and its browser tests)."""

    def __init__(self, store: Store) -> None:
        self.port = free_port()
        config = uvicorn.Config(create_app(store), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start within 30 s")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
