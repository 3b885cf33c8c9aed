"""Fifty users at once: N concurrent clients for a bounded time against `lineage serve` on 127.0.0.1, the
public endpoint as deployed (worker processes, GET answers cached by ETag) beside today's single-process
serving (one worker, every question POSTed and answered afresh), in the same run, on the real graph.

    python -m benchmarks.bench_load [--stores memory,neo4j] [--clients 50] [--seconds 30] [--workers N]
        [--get-share 0.5] [--neo4j-uri bolt://HOST:PORT] [--wrk-only]

The clients mix the cookbook's recipients-of-item, release-trace, pupil-reach and search over a few dozen
variable sets each. In the deployed run ``--get-share`` of them ask by GET with the query's persisted hash
and remember each address's ETag (as a browser or CDN revalidating), the others POST the whole query; in
the baseline every client POSTs. Printed per store and run: requests/s, p50/p95/p99 latency, errors (any
status but 200/304, or an answer with errors) and the server's peak resident memory (all its processes),
then the ratios deployed/baseline. The clients run on the same machine as the server, and take their share
of its cores. Goals on the 2-core development machine: embedded >= 300 requests/s with p99 < 250 ms,
Neo4j >= 100 requests/s with p99 < 500 ms, no errors.

When wrk (a C load generator: ``apt-get install wrk``) is installed, each store is also measured as issue 23
sets its goal: ``--clients`` connections POSTing one question (recipients-of-item of KS4_FSM) for
``--seconds``, against one worker and against ``--workers``; the clients then cost the server almost nothing.
It says when wrk is missing and skips those runs.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import MB, ROOT, free_port, neo4j_server, p50, rss
from importers.build import build_real_graph
from lineage.cli.commands import default_workers
from lineage.model import NodeKind
from lineage.store import Store
from lineage.stores import open_store
from lineage.stores.memory import MemoryStore

QUERIES = ROOT / "graphql" / "queries"
QUESTIONS = ("recipients-of-item", "release-trace", "pupil-reach", "search")
SEARCH_WORDS = ["academy", "police", "university", "council", "research", "census", "school", "fsm", "health",
                "department", "trust", "ks4", "times", "education", "pupil"]  # fmt: skip


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    posted: list[float] = field(default_factory=list)  # the POSTs' latencies again, apart
    errors: int = 0
    not_modified: int = 0


#: The variable sets that GET clients follow, as shared links (filled by run_store: the first few per question).
SHARED: dict[str, list[dict[str, Any]]] = {}
LINKS_PER_QUESTION = 3


def variable_sets(store: Store, rng: random.Random, per_question: int = 12) -> dict[str, list[dict[str, Any]]]:
    """Variables that name what the graph holds (an unknown one would answer NOT_FOUND, counted an error)."""
    items = sorted({str(n.props["alias"]) for n in store.all_nodes(NodeKind.DATA_ITEM) if n.props.get("alias")})
    releases = sorted(str(n.props["reference"]) for n in store.all_nodes(NodeKind.RELEASE) if n.props.get("reference"))
    schools = [int(n.props["urn"]) for n in store.list_nodes(NodeKind.SCHOOL, limit=1000).items]
    spans = [(first, first + rng.randint(0, 6)) for first in range(2002, 2016)]
    return {
        "recipients-of-item": [{"item": i} for i in ["KS4_FSM", *rng.sample(items, per_question - 1)]],
        "release-trace": [{"reference": r} for r in rng.sample(releases, min(per_question, len(releases)))],
        "pupil-reach": [{"urn": u, "fromYear": f, "toYear": t} for u, (f, t) in
                        zip(rng.sample(schools, per_question), rng.choices(spans, k=per_question), strict=True)],
        "search": [{"text": w} for w in SEARCH_WORDS[:per_question]],
    }  # fmt: skip


def _process_tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, queue = [], [pid]
    while queue:
        current = queue.pop()
        tree.append(current)
        queue += children.get(current, [])
    return tree


def tree_rss(pid: int) -> int:
    total = 0
    for member in _process_tree(pid):
        with suppress(OSError, ValueError):  # a process that ended meanwhile
            total += rss(member)
    return total


@contextmanager
def serving(address: str, workers: int) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`lineage serve` on a free loopback port, until it answers /healthz."""
    port = free_port()
    command = [sys.executable, "-m", "lineage.cli", "serve", "--store", address, "--port", str(port),
               "--workers", str(workers)]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"lineage serve on {address} did not start")
            time.sleep(0.2)
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=30)


async def client(base: str, use_get: bool, plan: list[tuple[str, dict[str, Any]]], texts: dict[str, str],
                 deadline: float, tally: Tally, seed: int) -> None:  # fmt: skip
    rng = random.Random(seed)
    if use_get:  # shared links: a few addresses that many follow
        plan = [(name, variables) for name, variables in plan if variables in SHARED[name]]
    etags: dict[str, str] = {}
    async with httpx.AsyncClient(base_url=base, timeout=30, headers={"accept": "application/json"}) as http:
        while time.monotonic() < deadline:
            name, variables = rng.choice(plan)
            started = time.perf_counter()
            try:
                if use_get:
                    extensions = {
                        "persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(texts[name].encode()).hexdigest()}
                    }
                    params = {"variables": json.dumps(variables), "extensions": json.dumps(extensions)}
                    key = f"{name}{params['variables']}"
                    headers = {"if-none-match": etags[key]} if key in etags else {}
                    response = await http.get("/graphql", params=params, headers=headers)
                    if "etag" in response.headers:
                        etags[key] = response.headers["etag"]
                else:
                    response = await http.post("/graphql", json={"query": texts[name], "variables": variables})
            except httpx.HTTPError:
                tally.errors += 1
                continue
            tally.latencies.append((time.perf_counter() - started) * 1000)
            if not use_get:
                tally.posted.append(tally.latencies[-1])
            if response.status_code == 304:
                tally.not_modified += 1
            elif response.status_code != 200 or "errors" in response.json():
                tally.errors += 1


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else float("nan")


async def load(base: str, server: subprocess.Popen[bytes], clients: int, seconds: float, get_share: float,
               plan: list[tuple[str, dict[str, Any]]]) -> dict[str, float]:  # fmt: skip
    texts = {name: (QUERIES / f"{name}.graphql").read_text() for name in QUESTIONS}
    tally = Tally()
    peak = 0
    deadline = time.monotonic() + seconds
    getters = round(clients * get_share)
    started = time.perf_counter()
    cpu = time.process_time()
    tasks = [asyncio.create_task(client(base, i < getters, plan, texts, deadline, tally, i)) for i in range(clients)]
    while not all(task.done() for task in tasks):
        peak = max(peak, tree_rss(server.pid))
        await asyncio.sleep(0.5)
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    clients_cpu = (time.process_time() - cpu) / elapsed
    values = tally.latencies
    return {"requests/s": len(values) / elapsed, "p50 ms": p50(values) if values else float("nan"),
            "p95 ms": percentile(values, 0.95), "p99 ms": percentile(values, 0.99), "errors": tally.errors,
            "POST p99 ms": percentile(tally.posted, 0.99), "304 share": tally.not_modified / max(1, len(values)),
            "server RSS MB": peak / MB, "clients' cores": clients_cpu}  # fmt: skip


#: The question wrk POSTs, with its example: the issue's measure of an uncached question's cost.
WRK_QUESTION = ("recipients-of-item", {"item": "KS4_FSM"})
#: wrk's script after the request: the JSON header, and each answer's status counted (per thread, then summed).
WRK_STATUSES = """wrk.headers["Content-Type"] = "application/json"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + count end
  end
  for status, count in pairs(total) do io.write(string.format("status %d %d\\n", status, count)) end
end
"""
_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk(base: str, clients: int, seconds: float) -> dict[str, float]:
    """wrk's figures for ``clients`` connections POSTing WRK_QUESTION for ``seconds``: requests/s, p50/p90/p99
    latency and the answers that were not 2xx or 3xx."""
    name, variables = WRK_QUESTION
    body = json.dumps({"query": (QUERIES / f"{name}.graphql").read_text(), "variables": variables})
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(f"wrk.method = 'POST'\nwrk.body = {json.dumps(body)}\n" + WRK_STATUSES)
        script.flush()
        command = ["wrk", "-t2", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--latency", "-s", script.name,
                   f"{base}/graphql"]  # fmt: skip
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = {"requests/s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}  # type: ignore[union-attr]
    for share, value, unit in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE):
        figures[f"p{share} ms"] = float(value) * _WRK_UNITS[unit]
    statuses = {int(status): int(count) for status, count in re.findall(r"^status (\d+) (\d+)$", output, re.MULTILINE)}
    figures["errors"] = float(sum(count for status, count in statuses.items() if status != 200))
    figures.update({f"status {status}": float(count) for status, count in sorted(statuses.items()) if status != 200})
    return figures


def run_wrk(name: str, address: str, args: argparse.Namespace) -> None:
    """One question POSTed by wrk's connections, against one worker and against ``--workers``."""
    if shutil.which("wrk") is None:
        print(f"{name:7} wrk is not installed (apt-get install wrk): the one-question POST runs are skipped")
        return
    for workers in sorted({1, args.workers}):
        with serving(address, workers) as (base, _):
            question, variables = WRK_QUESTION
            query = (QUERIES / f"{question}.graphql").read_text()
            for _ in range(workers * 4):  # each worker's first answer waits for what it prepares as it starts
                httpx.post(f"{base}/graphql", json={"query": query, "variables": variables}, timeout=300)
            wrk(base, args.clients, min(3.0, args.seconds))  # warm up
            figures = wrk(base, args.clients, args.seconds)
        label = f"wrk: {workers} worker(s), one question POSTed"
        print(f"{name:7} {label:34} " + "  ".join(f"{k} {v:,.1f}" for k, v in figures.items()), flush=True)


def run_store(name: str, address: str, store: Store, args: argparse.Namespace) -> list[tuple[str, dict[str, float]]]:
    if args.wrk_only:
        run_wrk(name, address, args)
        return []
    sets = variable_sets(store, random.Random(args.seed))
    SHARED.update({question: values[:LINKS_PER_QUESTION] for question, values in sets.items()})
    plan = [(question, variables) for question in QUESTIONS for variables in sets[question]]
    rows = []
    runs = (
        ("today: 1 process, POST", 1, 0.0),
        (f"deployed: {args.workers} workers, GET+cache", args.workers, args.get_share),
    )
    for label, workers, share in runs:
        with serving(address, workers) as (base, server):
            asyncio.run(load(base, server, args.clients, min(3.0, args.seconds), share, plan))  # warm up
            rows.append((label, asyncio.run(load(base, server, args.clients, args.seconds, share, plan))))
            print(f"{name:7} {label:34} " + "  ".join(f"{k} {v:,.1f}" for k, v in rows[-1][1].items()), flush=True)
    run_wrk(name, address, args)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", default="memory,neo4j")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument(
        "--get-share", type=float, default=0.8, help="the share of clients following shared links (GET)"
    )
    parser.add_argument("--neo4j-uri", help="use this server; its database is CLEARED (default: start our own)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--wrk-only", action="store_true", help="only the one-question POST runs, by wrk")
    args = parser.parse_args()
    print(f"{args.clients} clients for {args.seconds:g} s each run, {os.cpu_count()} cores, real graph\n")
    results = {}
    for name in args.stores.split(","):
        if name == "memory":
            store = MemoryStore()
            build_real_graph(store)
            with tempfile.TemporaryDirectory() as folder:
                store.save(Path(folder) / "graph.snapshot")
                results[name] = run_store(name, f"memory:{folder}/graph.snapshot", store, args)
        elif name == "neo4j":
            with neo4j_server(args.neo4j_uri) as server:
                store = open_store(server.uri)
                store.clear()
                build_real_graph(store)
                results[name] = run_store(name, server.uri, store, args)
                store.close()
        else:
            parser.error(f"unknown store {name!r}")
    print("\nstore    measure        today (1 process, POST)  deployed  deployed/today")
    for name, ((_, today), (_, deployed)) in ((name, rows) for name, rows in results.items() if rows):
        for measure in ("requests/s", "p50 ms", "p95 ms", "p99 ms", "POST p99 ms", "errors", "server RSS MB"):
            ratio = deployed[measure] / today[measure] if today[measure] else float("nan")
            print(f"{name:8} {measure:14} {today[measure]:>23,.1f}  {deployed[measure]:>8,.1f}  {ratio:>13.2f}x")


if __name__ == "__main__":
    main()
