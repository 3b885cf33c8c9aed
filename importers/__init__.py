"""Importers, one module per source, each registered here under the name the CLI uses.

``REGISTRY`` maps a source name to its importer class; ``BUILD_ORDER`` is the order in which
``lineage build`` imports the bundled real data: upstream first, so that each importer finds in the
store what it links to (items before the concepts and releases that reach them; the concepts, which add the
items the dictionary does not list, before the sheet notes whose release rules name such items).
"""

from __future__ import annotations

from importers.base import Importer

REGISTRY: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    if cls.name in REGISTRY:
        raise ValueError(f"two importers are named {cls.name!r}")
    REGISTRY[cls.name] = cls
    return cls


BUILD_ORDER: list[str] = [
    "npd-classifications",
    "npd-datasets",
    "npd-items",
    "npd-category-tree",
    "npd-concepts",  # before the sheet notes: it adds the items only the concepts file lists, which rules name
    "npd-sheet-notes",  # before the collection lists: their FEEDS edges cite every source of a data set's title
    "npd-dataset-list",
    "npd-release-timetable",
    "gias-links",
    "register-foi",
    "register-more",
    "scope-statements",
    "sharing-figures",
    "campaign-events",
    "search-keywords",
]

# Each module registers its importers when imported; they import `register` from here.
from importers import concepts, events, gias, keywords, npd, register_workbook, releases, scope, synthetic  # noqa: E402, F401
