"""Importers, one module per source, each registered here under the name the CLI uses.

``REGISTRY`` maps a source name to its importer class; ``BUILD_ORDER`` is the order in which the whole
real graph is built from the bundled data (upstream sources first, so edges find their ends).
"""

from __future__ import annotations

from importers.base import Importer

REGISTRY: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    if cls.name in REGISTRY:
        raise ValueError(f"two importers are named {cls.name!r}")
    REGISTRY[cls.name] = cls
    return cls


#: The order in which `lineage build` imports the bundled sources (filled as importers land).
BUILD_ORDER: list[str] = []
