"""The export formats by name, each registered by its own module: the files it writes and how."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from lineage.exports.subgraph import Subgraph
from lineage.files import WriteError

Writer = Callable[[Subgraph, IO[bytes]], None]
Summary = Callable[[Subgraph], str]
#: Format name -> the files it writes: a name for the file at PATH (None), or names inside the directory PATH.
EXPORT_FORMATS: dict[str, dict[str | None, Writer]] = {}
#: Format name -> what its files hold, in words, for a format that writes other than the subgraph's nodes and edges.
SUMMARIES: dict[str, Summary] = {}


def register(name: str, writers: dict[str | None, Writer], summary: Summary | None = None) -> None:
    if name in EXPORT_FORMATS:
        raise ValueError(f"two export formats are named {name!r}")
    EXPORT_FORMATS[name] = writers
    if summary is not None:
        SUMMARIES[name] = summary


def summary(fmt: str, subgraph: Subgraph) -> str:
    """What an export of ``subgraph`` in ``fmt`` holds, in one line: by default its nodes and edges."""
    return SUMMARIES.get(fmt, Subgraph.describe)(subgraph)


def writers(fmt: str) -> dict[str | None, Writer]:
    found = EXPORT_FORMATS.get(fmt)
    if found is None:
        raise WriteError(f"unknown export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")
    return found
