"""What the commands print: plain tables that read in any terminal and in CI logs, the progress of a build,
and the summary of import runs within :data:`WIDTH` columns."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lineage.characters import FORMAT, ZWJ, ZWNJ
from lineage.model import Node
from lineage.store import Counts

if TYPE_CHECKING:
    from importers.base import Report


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


def describe_run(run: Node) -> str:
    """One unfinished ImportRun in a line for the terminal: its status is what decides whether its data can be
    trusted whole. Its file's name and error are the store's, written as given: shown escaped."""
    props = run.props
    why = f": {props['error']}" if props.get("error") else ""
    return shown(
        f"{props.get('source')} of {props.get('path')}, started {props.get('started_at')}, {props.get('status')}"
        f"{why} (what it wrote may be missing or partial: run it again)"
    )


def shown(text: str) -> str:
    """Text for the terminal with each control character written as its escape (``\\x1b``, ``\\n``): a path
    given on the command line is printed back in messages, and its escape sequences recoloured the terminal or
    retitled its window, and a line break in it forged a line of our own ("lineage: wrote ..."). So is each format
    character (:data:`lineage.characters.FORMAT`, ``\\u202e``) but the joiners, which shape the words of some
    scripts: a right-to-left override (U+202E) in a file's name showed the rest of the message backwards, the file
    and the refusal misread, and a zero-width space hid that a name was not the one typed."""
    return "".join(ch.encode("unicode_escape").decode() if _escaped(ch) else ch for ch in text)


def _escaped(char: str) -> bool:
    return unicodedata.category(char) == "Cc" or (char not in (ZWNJ, ZWJ) and FORMAT.match(char) is not None)


class ProgressLine:
    """The stage an import is at. On a terminal, one line of standard error rewritten in place (``open`` while a
    stage runs, so that an error then starts a line of its own); into a log, one plain line per stage done."""

    open = False

    def __call__(self, step: int, total: int, name: str, seconds: float | None) -> None:
        done = "" if seconds is None else f" done in {seconds:.1f} s"
        name = shown(name)
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


#: The one progress line of this process.
PROGRESS = ProgressLine()


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
    closed = [(report, c) for report in reports for c in report.closed_gaps]
    if closed:
        lines.append("")
        lines.append("gaps in the record closed (each recorded on its ImportRun, for the Atom feed):")
        lines += [_shorten(f"  {c.gap.id}: {c.gap.kind}, {c.gap.subject.name} ({r.source})", verbose)
                  for r, c in closed]  # fmt: skip
    if dry:
        lines.append("")
        lines.append("a dry run: nothing was written")
    return "\n".join(lines)


def _shorten(line: str, whole: bool) -> str:
    return line if whole or len(line) <= WIDTH else line[: WIDTH - 1] + "…"
