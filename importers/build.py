"""Build the whole real graph from the bundled data, source by source, upstream first."""

from __future__ import annotations

import time

from importers import BUILD_ORDER, REGISTRY
from importers.base import Progress, Report
from lineage.changes import GapWatch
from lineage.errors import LineageError
from lineage.resources import DATA_DIR
from lineage.store import Store


def build_real_graph(store: Store, progress: Progress | None = None) -> list[Report]:
    """Import every bundled source in BUILD_ORDER; each file is written whole or not at all.

    Re-running it on a built store changes nothing (every importer is idempotent). A gap open before the build
    that a newer bundled file closes is recorded on that file's ImportRun; one the build opens and closes itself
    is not (see GapWatch)."""
    reports = []
    watch = GapWatch(store)
    for step, name in enumerate(BUILD_ORDER, start=1):
        importer = REGISTRY[name]()
        if progress:
            progress(step - 1, len(BUILD_ORDER), name, None)
        started = time.perf_counter()
        bundled = importer.bundled
        if bundled is None:  # build_order takes only importers with a bundled file
            raise LineageError(f"importer {name!r} has no bundled file to build from")
        reports.append(importer.run(store, DATA_DIR / bundled, gaps=watch))
        if progress:
            progress(step, len(BUILD_ORDER), name, time.perf_counter() - started)
    return reports
