"""Importers, one module per source. A module here registers its importers with :func:`register` (a class with
its ``name``, ``bundled`` file and ``needs``), and is found and imported by this package: adding an importer is
adding its file.

``REGISTRY`` maps a source name to its importer class. ``BUILD_ORDER`` is the order in which ``lineage build``
imports the bundled real data: each importer after those it ``needs`` (the importers whose facts it reads from
the store: items before the concepts and releases that reach them, the concepts before the sheet notes whose
rules name their items, every title of a data set before the collection lists that copy its citations), ties in
name order. Synthetic importers and those without a bundled file are not in it.
"""

from __future__ import annotations

import importlib
import pkgutil

from importers.base import Importer

REGISTRY: dict[str, type[Importer]] = {}
#: Modules of this package that are the kit, not sources.
KIT = frozenset({"base", "build", "reading"})


def register(cls: type[Importer]) -> type[Importer]:
    if cls.name in REGISTRY:
        raise ValueError(f"two importers are named {cls.name!r}")
    REGISTRY[cls.name] = cls
    return cls


def build_order(registry: dict[str, type[Importer]]) -> list[str]:
    """The importers of the real build, each after those it needs, ties in name order; a need that is no importer
    or that loops is an error of the code, said at import time."""
    wanted = {name for name, cls in registry.items() if cls.bundled and not cls.synthetic}
    for name in sorted(wanted):
        unknown = [need for need in registry[name].needs if need not in wanted]
        if unknown:
            raise ValueError(f"importer {name!r} needs {unknown}, which the build does not import")
    order: list[str] = []
    while len(order) < len(wanted):
        ready = sorted(n for n in wanted - set(order) if set(registry[n].needs) <= set(order))
        if not ready:
            raise ValueError(f"the needs of {sorted(wanted - set(order))} go round in a circle")
        order.append(ready[0])
    return order


for _module in pkgutil.iter_modules(__path__):
    if _module.name not in KIT:
        importlib.import_module(f"{__name__}.{_module.name}")

BUILD_ORDER: list[str] = build_order(REGISTRY)
