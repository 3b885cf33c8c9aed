"""The explorer's first paint of the Sankey in headless Chromium, on the synthetic national-scale graph, beside
the same page on the real graph and the raw `flows` GraphQL call on each, in the same run; and the same for the
parents' page /reach (a school and five academic years, its first answer painted) beside the raw `record-reach`
call.

    python -m benchmarks.bench_explorer [--scale 1.0] [--seed 7] [--runs 3]

Each run is a fresh page load of /explore (no cache in the page), on a server that has prepared what the
whole-graph questions share, as a server does in the background as it starts; that preparation is timed
and printed apart. The page marks when it asked /graphql
for the flows, when the answer came, when the SVG was drawn and the next animation frame (painted); times
are from the start of navigation. The raw call is the cookbook's `flows` query posted with httpx, timed to
the parsed JSON. Targets: the Sankey painted in under 2 s; /reach's answer painted in under 1 s (its marks:
reach-requested, reach-received, reach-drawn, reach-painted). Needs /usr/bin/chromium (or $CHROMIUM), Node.js and
web/node_modules, as the browser tests do. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import httpx

from benchmarks.common import AppServer
from importers.build import build_real_graph
from importers.synthetic import write_chunked
from importers.synthetic_graph import generate
from lineage import questions
from lineage.model import NodeKind
from lineage.store import Store
from lineage.stores.memory import MemoryStore
from tests.browser.browser import Browser, missing

FLOWS_QUERY = (Path(__file__).resolve().parent.parent / "graphql" / "queries" / "flows.graphql").read_text()
MARKS = ("flows-requested", "flows-received", "sankey-drawn", "sankey-painted")
TARGET_MS = 2000
REACH_QUERY = (Path(__file__).resolve().parent.parent / "graphql" / "queries" / "record-reach.graphql").read_text()
REACH_MARKS = ("reach-requested", "reach-received", "reach-drawn", "reach-painted")
REACH_TARGET_MS = 1000
REACH_YEARS = (2012, 2016)
PAGE_TIMEOUT_MS = 180_000


def raw_flows_ms(base: str, runs: int) -> tuple[list[float], int]:
    """Milliseconds of each `flows` call over HTTP, and how many links the answer has."""
    times, links = [], 0
    with httpx.Client(base_url=base, timeout=PAGE_TIMEOUT_MS / 1000) as client:
        for _ in range(runs):
            started = time.perf_counter()
            response = client.post("/graphql", json={"query": FLOWS_QUERY, "variables": {}})
            body = response.json()
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200 or body.get("errors"):
                raise RuntimeError(f"flows: {response.status_code} {body.get('errors')}")
            links = len(body["data"]["flows"]["links"])
    return times, links


def page_marks(base: str, runs: int) -> tuple[list[dict[str, float]], int, int]:
    """The page's marks (ms from navigation start) per fresh load, and the links and nodes it drew."""
    browser = Browser(base)
    try:
        marks = []
        for _ in range(runs):
            browser.goto("/explore")
            browser.ready("flows", timeout=PAGE_TIMEOUT_MS)
            browser.wait_until("performance.getEntriesByName('sankey-painted').length > 0")
            if browser.evaluate("document.body.dataset.state") != "ready":
                raise RuntimeError(f"the explorer failed: {browser.texts('#error')}")
            marks.append(
                {
                    name: browser.evaluate(f"performance.getEntriesByName({name!r})[0].startTime")
                    for name in (*MARKS, "first-contentful-paint")
                    if browser.evaluate(f"performance.getEntriesByName({name!r}).length")
                }
            )
        drawn = browser.count("#sankey path.link"), browser.count("#sankey g.node")
        browser.screenshot("bench-explorer")
        problems = browser.problems()
        if problems:
            raise RuntimeError(f"the page reported problems: {problems}")
        return marks, *drawn
    finally:
        browser.close()


def raw_reach_ms(base: str, urn: int, runs: int) -> tuple[list[float], int]:
    """Milliseconds of each `record-reach` call over HTTP (the page's first page of each group), and how many
    releases the answer counts."""
    variables = {"urn": urn, "fromYear": REACH_YEARS[0], "toYear": REACH_YEARS[1]}
    times, releases = [], 0
    with httpx.Client(base_url=base, timeout=PAGE_TIMEOUT_MS / 1000) as client:
        for _ in range(runs):
            started = time.perf_counter()
            body = client.post("/graphql", json={"query": REACH_QUERY, "variables": variables}).json()
            times.append((time.perf_counter() - started) * 1000)
            if body.get("errors"):
                raise RuntimeError(f"record-reach: {body['errors']}")
            releases = body["data"]["recordReach"]["releasesCount"]
    return times, releases


def reach_marks(base: str, urn: int, runs: int) -> list[dict[str, float]]:
    """/reach's marks (ms from navigation start) per fresh load of a shared address (a school and years)."""
    browser = Browser(base)
    try:
        marks = []
        for _ in range(runs):
            browser.goto(f"/reach?urn={urn}&from={REACH_YEARS[0]}&to={REACH_YEARS[1]}")
            browser.wait_until("performance.getEntriesByName('reach-painted').length > 0", PAGE_TIMEOUT_MS)
            if browser.evaluate("document.body.dataset.state") == "error":
                raise RuntimeError(f"/reach failed: {browser.texts('#error')}")
            marks.append(
                {m: browser.evaluate(f"performance.getEntriesByName({m!r})[0].startTime") for m in REACH_MARKS}
            )
        browser.screenshot("bench-reach", full_page=False)
        problems = browser.problems()
        if problems:
            raise RuntimeError(f"the page reported problems: {problems}")
        return marks
    finally:
        browser.close()


def report(name: str, store: Store, runs: int) -> None:
    counts = store.counts()
    started = time.perf_counter()
    questions.prepare(store)  # what a server does as it starts, in the background
    prepared_ms = (time.perf_counter() - started) * 1000
    urn = int(store.list_nodes(NodeKind.SCHOOL, limit=1).items[0].key)  # any school: the answer is per years
    with AppServer(store) as base:
        raw, links = raw_flows_ms(base, runs)
        marks, drawn_links, drawn_nodes = page_marks(base, runs)
        reach_raw, reach_releases = raw_reach_ms(base, urn, runs)
        reach = reach_marks(base, urn, runs)
    med = {mark: statistics.median(m[mark] for m in marks) for mark in MARKS}
    painted = med["sankey-painted"]
    print(f"\n{name}: {counts.total_nodes:,} nodes, {counts.total_edges:,} edges; flows answer: {links:,} links")
    print(f"  drawn: {drawn_links:,} links between {drawn_nodes:,} nodes (organisations past the top 40 grouped)")
    print(f"  prepared once per store state, as the server starts (pupil-reach and flows): {prepared_ms:8.0f} ms")
    print(f"  raw `flows` call over HTTP, median of {runs}: {statistics.median(raw):8.0f} ms  (each: {_list(raw)})")
    for mark in MARKS:
        print(f"  page: {mark:<16} median {med[mark]:8.0f} ms  (each: {_list([m[mark] for m in marks])})")
    render = [m["sankey-drawn"] - m["flows-received"] for m in marks]
    print(f"  page: answer to SVG drawn (the page's own work): median {statistics.median(render):.0f} ms")
    verdict = "within" if painted < TARGET_MS else "OVER"
    print(f"  first paint of the Sankey: {painted:.0f} ms, {verdict} the {TARGET_MS} ms target")
    years = f"{REACH_YEARS[0]} to {REACH_YEARS[1]}"
    print(f"  /reach for URN {urn}, {years}: {reach_releases:,} releases that may hold the record")
    print(f"  raw `record-reach` call over HTTP, median of {runs}: {statistics.median(reach_raw):8.0f} ms  "
          f"(each: {_list(reach_raw)})")  # fmt: skip
    for mark in REACH_MARKS:
        print(f"  page: {mark:<16} median {statistics.median(m[mark] for m in reach):8.0f} ms  "
              f"(each: {_list([m[mark] for m in reach])})")  # fmt: skip
    reach_painted = statistics.median(m["reach-painted"] for m in reach)
    verdict = "within" if reach_painted < REACH_TARGET_MS else "OVER"
    ratio = reach_painted / statistics.median(reach_raw)
    print(f"  first answer of /reach painted: {reach_painted:.0f} ms ({ratio:.1f}x the raw call), {verdict} the "
          f"{REACH_TARGET_MS} ms target")  # fmt: skip


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.0f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="synthetic scale (1.0 = national, the default)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3, help="fresh page loads (and raw calls) per graph")
    args = parser.parse_args()
    reason = missing()
    if reason:
        raise SystemExit(reason)

    real = MemoryStore()
    build_real_graph(real)
    report("real graph (baseline)", real, args.runs)

    synthetic = MemoryStore()
    started = time.perf_counter()
    write_chunked(synthetic, generate(args.scale, args.seed))
    print(f"\n(synthetic graph at scale {args.scale} built in {time.perf_counter() - started:.1f} s)")
    report(f"synthetic graph, scale {args.scale}", synthetic, args.runs)


if __name__ == "__main__":
    main()
