"""The export formats by name, each registered by its own module: the files it writes and how."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from lineage.exports.subgraph import Subgraph
from lineage.files import WriteError

Writer = Callable[[Subgraph, IO[bytes]], None]
#: Format name -> the files it writes: a name for the file at PATH (None), or names inside the directory PATH.
EXPORT_FORMATS: dict[str, dict[str | None, Writer]] = {}


def register(name: str, writers: dict[str | None, Writer]) -> None:
    if name in EXPORT_FORMATS:
        raise ValueError(f"two export formats are named {name!r}")
    EXPORT_FORMATS[name] = writers


def writers(fmt: str) -> dict[str | None, Writer]:
    found = EXPORT_FORMATS.get(fmt)
    if found is None:
        raise WriteError(f"unknown export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")
    return found
