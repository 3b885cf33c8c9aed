"""bench_scale at tiny scales: a row of figures per store and scale, growth words as its docstring defines them,
and the chart written as a PNG. The figures themselves are for a reader and are not checked (benchmarks print)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import bench_scale
from lineage.store import Store

pytestmark = pytest.mark.heavy  # see pyproject.toml's markers: run first

PNG = b"\x89PNG\r\n\x1a\n"
SCALES = ("0.005", "0.01")


def run(
    stores: str, scales: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str], *more: str
) -> tuple[list[str], Path]:
    """The scale column of the figures table's rows (the first table: tables are apart by a blank line)."""
    chart = tmp_path / "scale.png"
    argv = ["--stores", stores, "--scales", ",".join(scales), "--starts", "3", "--chart", str(chart), *more]
    assert bench_scale.main(argv) == 0
    figures = capsys.readouterr().out.split("\n\n")[0].splitlines()[2:]  # after the header and its rule
    return [line.split()[1] for line in figures if line.startswith(f"{stores} ")], chart


def test_the_embedded_store_has_a_row_per_scale_and_a_png_chart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scales, chart = run("memory", SCALES, tmp_path, capsys)
    assert scales == list(SCALES)
    assert chart.read_bytes().startswith(PNG)


@pytest.mark.parametrize(
    ("cost_ratio", "word"),
    [(1.4, "flat"), (0.9, "flat"), (4.0, "sub-linear"), (16.0, "linear"), (20.0, "linear"), (64.0, "worse")],
)
def test_growth_words_over_16x_the_rows(cost_ratio: float, word: str) -> None:
    assert bench_scale.growth(16.0, cost_ratio).split()[0] == word


def test_growth_is_not_read_without_a_baseline() -> None:
    assert bench_scale.growth(16.0, None) == "n/a"
    assert bench_scale.growth(1.0, 2.0) == "n/a"  # one scale: the graph did not grow


@pytest.mark.neo4j
def test_neo4j_has_its_row_and_the_chart(
    _neo4j_store: Store, neo4j_uri: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One scale only: even a tiny build takes Neo4j some seconds."""
    try:
        scales, chart = run("neo4j", SCALES[:1], tmp_path, capsys, "--neo4j-uri", neo4j_uri)
    finally:
        _neo4j_store.clear()  # the benchmark empties the shared server's database first, and leaves its graph
    assert scales == list(SCALES[:1])
    assert chart.read_bytes().startswith(PNG)
