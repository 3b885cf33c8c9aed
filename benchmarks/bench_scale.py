"""Scaling benchmark: how each store's build time, peak memory and four reads grow with the graph, each scale's
figures beside the smallest scale's as a ratio, measured in the same run, and a chart of the curves.

    python -m benchmarks.bench_scale [--scales 0.25,1,4] [--stores memory,neo4j] [--starts 50]
        [--chart benchmarks/scale.png] [--neo4j-uri bolt://... [--neo4j-pid PID]] [--seed 7] [--chunk 50000]

At each scale, smallest first, the graph is :func:`importers.synthetic.generate` (scale 1.0: about 81k
nodes and 540k edges; generation is timed apart, as it does not depend on the store), loaded into each store
with ``write_chunked``. Then, as a server does when it starts, ``lineage.questions.prepare`` derives what the
questions share from the whole graph (kept per state of the store; its seconds are printed), and four reads
are timed, each over ``--starts`` inputs drawn at random from the graph (fixed seed, the same on every store):

- lineage: ``store.traverse(id, max_depth=3)`` downstream from random nodes;
- recipients: ``questions.recipients_of_item`` (who received this data item) for random data items' aliases;
- reach: ``questions.record_reach``, the question the /reach page asks, for random schools' URNs, over the
  academic years 2010 to 2016. Its releases are kept per span of years, so after the warm-up each call pays
  for the school's own part; the first asker of a span also walks every release's scope (see bench_api);
- search: ``store.search(text)`` for, in turn, a random school's name less its last digit (ten schools),
  "org" (every organisation, as part of a word) and a random data item's key.

Each read is timed as a user of a started server meets it: after ``prepare``, and after one warm-up call
(the first input, not counted) that fills what the question keeps. The table gives p50 / p99 ms (p99 by
nearest rank, so the slowest call when there are under 100).

Peak memory is how far the peak resident size (VmHWM, reset just before the build) rose above the resident
size at the start of the build: this Python process's for the embedded store, the server's java process for
Neo4j. For the embedded store this is resident growth, not tracemalloc as in bench_build: tracing needs a
separate untimed build, which ran 2.8 times as long as the timed one at scale 0.1 and holds memory of its own
(at 4x, minutes more on a 2-core machine: estimated, not run), while the untraced build's resident growth
agreed with tracemalloc within a few per cent there (31 and 29 MB). Memory a smaller scale freed and the process
kept is reused and not counted, which is why scales run smallest first. Neo4j gets a freshly started server
per scale unless ``--neo4j-uri`` is given (a fresh server is a cold JVM, so the smallest scales' Neo4j times
include its warm-up); a given server keeps the heap it grew before, so its growth is not comparable across
scales. tools/neo4j-dev runs the server with a 768 MB heap and a 512 MB page cache (tools/neo4j-dev/neo4j.conf):
its peak stops growing near their sum.

The baseline is the smallest scale, in the same run: each figure is printed as a ratio to it, and each cost
gets a growth word from the exponent ``b`` in ``cost ~ rows^b`` between the smallest and the largest scale
(rows = nodes + edges): flat (under 1.5x over 16x the rows, b < 0.15), sub-linear (b < 0.75), linear (roughly
proportional, b up to 1.25) or worse (super-linear). Benchmarks print; they do not assert.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from benchmarks.common import (
    MB,
    ROOT,
    add_store_options,
    chosen_stores,
    empty_neo4j_store,
    latencies_ms,
    neo4j_server,
    p50,
    p99,
    peak_rss,
    reset_peak_rss,
    rss,
    server_peak_mb,
    timed,
)
from importers.base import Batch
from importers.synthetic import CHUNK, write_chunked
from importers.synthetic_graph import MAX_SCALE, generate
from lineage import questions
from lineage.cli.text import format_table
from lineage.model import NodeKind
from lineage.store import Store
from lineage.stores.memory import MemoryStore

READS = ("lineage", "recipients", "reach", "search")
REACH_YEARS = (2010, 2016)  # a pupil's primary years, say: any span within the synthetic 2000-2024
#: What the ratios and growth words are of: the build's costs, and each read's p50.
COSTS = ("build s", "peak MB", "prepare s", *(f"{name} p50" for name in READS))
FLAT = math.log(1.5) / math.log(16)  # under 1.5x over 16x the rows


@dataclass(frozen=True, slots=True)
class Run:
    """One store at one scale: what the build cost, and each read's milliseconds per call."""

    store: str
    scale: float
    nodes: int
    edges: int
    build_s: float
    peak_mb: float | None  # None: not measured (no server process known, or no peak reset)
    prepare_s: float
    reads_ms: dict[str, list[float]]

    @property
    def rows(self) -> int:
        return self.nodes + self.edges

    def costs(self) -> dict[str, float | None]:
        """The figures of :data:`COSTS`, by name, in that order."""
        reads = (p50(self.reads_ms[name]) for name in READS)
        return dict(zip(COSTS, (self.build_s, self.peak_mb, self.prepare_s, *reads), strict=True))


@dataclass(frozen=True, slots=True)
class Inputs:
    """The inputs of each read at one scale, drawn from the generated graph so every store gets the same."""

    node_ids: list[str]
    aliases: list[str]
    urns: list[str]
    texts: list[str]

    @classmethod
    def draw(cls, batch: Batch, count: int, seed: int) -> Inputs:
        rng = random.Random(seed)
        by_kind: dict[NodeKind, list[str]] = {}
        for node in sorted(batch.nodes, key=lambda node: node.id):
            by_kind.setdefault(node.kind, []).append(node.id)
        nodes = {node.id: node for node in batch.nodes}

        def some(ids: list[str]) -> list[str]:
            return rng.sample(ids, min(count, len(ids)))

        items = some(by_kind[NodeKind.DATA_ITEM])
        schools = some(by_kind[NodeKind.SCHOOL])
        texts = []
        for i in range(count):
            if i % 3 == 0:
                texts.append(nodes[rng.choice(schools)].name[:-1])
            elif i % 3 == 1:
                texts.append("org")
            else:
                texts.append(nodes[rng.choice(items)].key)
        return cls(
            node_ids=some(sorted(nodes)),
            aliases=[str(nodes[id_].props["alias"]) for id_ in items],
            urns=[str(nodes[id_].props["urn"]) for id_ in schools],
            texts=texts,
        )


def time_reads(store: Store, inputs: Inputs) -> dict[str, list[float]]:
    """Milliseconds per call of each read, after one warm-up call on its first input (not counted)."""
    reads: dict[str, tuple[Callable[[str], int], list[str]]] = {
        "lineage": (lambda id_: store.traverse(id_, max_depth=3).reached.total, inputs.node_ids),
        "recipients": (lambda alias: len(questions.recipients_of_item(store, alias).receipts), inputs.aliases),
        "reach": (lambda urn: len(questions.record_reach(store, int(urn), *REACH_YEARS).releases), inputs.urns),
        "search": (lambda text: store.search(text).total, inputs.texts),
    }
    timings = {}
    for name, (work, starts) in reads.items():
        work(starts[0])
        timings[name], _ = latencies_ms(work, starts)
    return timings


def build_and_read(
    name: str, store: Store, scale: float, batch: Batch, chunk: int, inputs: Inputs, peak_mb: Callable[[], float | None]
) -> Run:
    """Build the graph into an empty store, read the peak memory the build left, then prepare and time the reads."""
    _, build_s = timed(lambda: write_chunked(store, batch, chunk))
    peak = peak_mb()
    counts = store.counts()
    _, prepare_s = timed(lambda: questions.prepare(store))
    reads_ms = time_reads(store, inputs)
    return Run(name, scale, counts.total_nodes, counts.total_edges, build_s, peak, prepare_s, reads_ms)


def on_memory(scale: float, batch: Batch, chunk: int, inputs: Inputs) -> Run:
    """The embedded store; its peak is this process's resident growth (None if the peak cannot be reset)."""
    pid = os.getpid()
    gc.collect()
    before = rss(pid)
    resettable = reset_peak_rss(pid)
    return build_and_read(
        "memory", MemoryStore(), scale, batch, chunk, inputs,
        lambda: (peak_rss(pid) - before) / MB if resettable else None,
    )  # fmt: skip


def on_neo4j(scale: float, batch: Batch, chunk: int, inputs: Inputs, uri: str | None, pid: int | None) -> Run:
    """Neo4j, on a fresh server unless one is given; its peak is the server's resident growth (None when its
    process is not known)."""
    with neo4j_server(uri, pid) as server:
        store = empty_neo4j_store(server)
        before = None if server.pid is None else rss(server.pid) / MB

        def peak_mb() -> float | None:
            peak = server_peak_mb(server)
            return None if peak is None or before is None else peak - before

        run = build_and_read("neo4j", store, scale, batch, chunk, inputs, peak_mb)
        store.close()
    return run


# ---- reporting ------------------------------------------------------------------------------------


def _number(value: float | None) -> str:
    """Two decimals below 1, where small scales' figures are, one below 100, none above; n/a for None."""
    if value is None:
        return "n/a"
    return f"{value:.2f}" if value < 1 else f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def _ms(values: Sequence[float]) -> str:
    return f"{_number(p50(values))} / {_number(p99(values))}"


def ratio(value: float | None, base: float | None) -> float | None:
    return None if value is None or base is None or base <= 0 else value / base


def growth(rows_ratio: float, cost_ratio: float | None) -> str:
    """The growth word for a cost that grew ``cost_ratio`` times while the graph grew ``rows_ratio`` times, and
    the exponent it comes from."""
    if cost_ratio is None or cost_ratio <= 0 or rows_ratio <= 1:
        return "n/a"
    exponent = math.log(cost_ratio) / math.log(rows_ratio)
    word = "flat" if exponent < FLAT else "sub-linear" if exponent < 0.75 else "linear" if exponent <= 1.25 else "worse"
    return f"{word} (b={exponent:.2f})"


def by_store(runs: Sequence[Run]) -> dict[str, list[Run]]:
    """Each store's runs, smallest scale first."""
    grouped: dict[str, list[Run]] = {}
    for run in sorted(runs, key=lambda run: run.scale):
        grouped.setdefault(run.store, []).append(run)
    return grouped


def tables(runs: Sequence[Run]) -> list[str]:
    """The figures, the same as ratios to each store's smallest scale, and the growth words."""
    figures = [
        (run.store, f"{run.scale:g}", f"{run.nodes:,}", f"{run.edges:,}", _number(run.build_s),
         f"{run.rows / run.build_s:,.0f}", _number(run.peak_mb), _number(run.prepare_s),
         *(_ms(run.reads_ms[name]) for name in READS))
        for runs_of_store in by_store(runs).values()
        for run in runs_of_store
    ]  # fmt: skip
    header = ("store", "scale", "nodes", "edges", "build s", "rows/s", "peak MB", "prepare s")
    out = [format_table((*header, *(f"{name} p50 / p99 ms" for name in READS)), figures)]
    ratios, words = [], []
    for store, mine in by_store(runs).items():
        base, last = mine[0].costs(), mine[-1].costs()
        for run in mine:
            cells = (ratio(value, base[cost]) for cost, value in run.costs().items())
            ratios.append((store, f"{run.scale:g}", f"{run.rows / mine[0].rows:.1f}x",
                           *("n/a" if r is None else f"{r:.2f}x" for r in cells)))  # fmt: skip
        grew = mine[-1].rows / mine[0].rows
        words.append((store, f"{grew:.1f}x", *(growth(grew, ratio(last[cost], base[cost])) for cost in COSTS)))
    out.append(format_table(("store", "scale", "rows", *COSTS), ratios))
    out.append(format_table(("store", "rows grew", *COSTS), words))
    return out


def _two_and_five(value: float, _: object) -> str:
    """Minor tick labels on a log axis: 2 and 5 times a power of ten, so a narrow range still reads, plainly."""
    return f"{value:g}" if value > 0 and round(value / 10 ** math.floor(math.log10(value))) in (2, 5) else ""


def chart(runs: Sequence[Run], path: Path) -> None:
    """One PNG: build rows/s, peak MB and each read's p50 against the scale (log), a line per store."""
    panels: list[tuple[str, Callable[[Run], float | None]]] = [
        ("build rows/s", lambda run: run.rows / run.build_s),
        ("peak MB (resident growth)", lambda run: run.peak_mb),
        *((f"{name} p50 ms", lambda run, name=name: p50(run.reads_ms[name])) for name in READS),
    ]
    figure = Figure(figsize=(15, 8), layout="constrained")
    FigureCanvasAgg(figure)
    scales = sorted({run.scale for run in runs})
    for axes, (title, value) in zip(figure.subplots(2, 3).flat, panels, strict=True):
        for store, mine in by_store(runs).items():
            ys = [value(run) for run in mine]
            axes.plot([run.scale for run in mine], [math.nan if y is None else y for y in ys], marker="o", label=store)
        axes.set_xscale("log")
        axes.minorticks_off()
        axes.set_xticks(scales, labels=[f"{scale:g}" for scale in scales])
        if title.endswith(" ms"):
            axes.set_yscale("log")
            axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
            axes.yaxis.set_minor_formatter(FuncFormatter(_two_and_five))
        axes.set_title(title)
        axes.set_xlabel("synthetic scale (1 = national)")
        axes.legend()
    figure.suptitle("Synthetic graph by scale, per store (bench_scale)")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)


def parse_scales(parser: argparse.ArgumentParser, text: str) -> list[float]:
    """The scales asked for, smallest first (resident growth is only counted right in that order)."""
    try:
        scales = sorted({float(part) for part in text.split(",") if part.strip()})
    except ValueError:
        parser.error(f"--scales takes comma-separated numbers, not {text!r}")
    if not scales or not all(0 < scale <= MAX_SCALE for scale in scales):
        parser.error(f"--scales must each be above 0 and at most {MAX_SCALE:g}, got {text!r}")
    return scales


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="0.25,1,4", help="comma-separated synthetic scales (1.0 = national)")
    parser.add_argument("--starts", type=int, default=50, help="inputs per read (random, fixed seed)")
    parser.add_argument("--chart", type=Path, default=ROOT / "benchmarks" / "scale.png", help="the PNG to write")
    add_store_options(parser, CHUNK, scale=False)
    args = parser.parse_args(argv)
    stores = chosen_stores(parser, args)
    scales = parse_scales(parser, args.scales)
    if args.starts < 1:
        parser.error("--starts must be at least 1")

    runs: list[Run] = []
    notes = []
    for scale in scales:
        batch, generate_s = timed(partial(generate, scale, args.seed))
        inputs = Inputs.draw(batch, args.starts, args.seed)
        notes.append(
            f"generate(scale={scale:g}, seed={args.seed}): {len(batch.nodes):,} nodes, {len(batch.edges):,} edges "
            f"in {generate_s:.1f} s; not in the build times"
        )
        for name in stores:
            if name == "memory":
                runs.append(on_memory(scale, batch, args.chunk, inputs))
            else:
                runs.append(on_neo4j(scale, batch, args.chunk, inputs, args.neo4j_uri, args.neo4j_pid))
    for table in tables(runs):
        print(table)
        print()
    notes += [
        f"reads: {args.starts} inputs each (seed {args.seed}), after prepare and one warm-up call not counted; "
        f"reach over {REACH_YEARS[0]}-{REACH_YEARS[1]}",
        "peak MB: resident growth during the build, of this process (memory) or the server's java process (neo4j)",
        "ratios: each store's figures over its smallest scale's; b: the exponent in cost ~ rows^b, smallest to "
        "largest scale (flat < 0.15, sub-linear < 0.75, linear <= 1.25, worse above)",
    ]
    if "neo4j" in stores and args.neo4j_uri and args.neo4j_pid is None:
        notes.append("neo4j: no --neo4j-pid, so the server's memory is not measured")
    elif "neo4j" in stores and args.neo4j_uri:
        notes.append(
            "neo4j: one given server for every scale; the heap it grew before is reused, not counted, so its peak "
            "MB is not comparable across scales (leave out --neo4j-uri for a fresh server per scale)"
        )
    chart(runs, args.chart)
    notes.append(f"chart: {args.chart}")
    for note in notes:
        print(f"- {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
