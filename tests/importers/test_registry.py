"""The importer kit's registry: every source module is found, and the build order follows from what each importer
needs (the importers whose facts it reads), never from a list kept by hand."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

import importers
from importers import BUILD_ORDER, KIT, REGISTRY, build_order
from importers.base import Importer


def test_every_source_module_registers_an_importer() -> None:
    modules = {path.stem for path in Path(importers.__file__).parent.glob("*.py")} - KIT - {"__init__"}
    registering = {cls.__module__.rsplit(".", 1)[1] for cls in REGISTRY.values()}
    # No importer of their own: shared by several sources, or the graph the synthetic importer generates
    helpers = {"conflicts", "organisations", "source_kinds", "synthetic_graph"}
    assert registering == modules - helpers


def test_the_build_runs_each_importer_after_those_it_needs() -> None:
    assert set(BUILD_ORDER) == {n for n, cls in REGISTRY.items() if cls.bundled and not cls.synthetic}
    for place, name in enumerate(BUILD_ORDER):
        assert set(REGISTRY[name].needs) <= set(BUILD_ORDER[:place]), name


def _kinds(**needs: tuple[str, ...]) -> dict[str, type[Importer]]:
    def made(name: str, wanted: tuple[str, ...]) -> type[Importer]:
        class Fictional(Importer):
            bundled: ClassVar[str | None] = f"{name}.csv"

        Fictional.name, Fictional.needs = name, wanted
        return Fictional

    return {name: made(name, wanted) for name, wanted in needs.items()}


def test_ties_go_in_name_order_and_needs_are_checked() -> None:
    assert build_order(_kinds(c=(), b=("c",), a=())) == ["a", "c", "b"]
    with pytest.raises(ValueError, match="needs \\['nowhere'\\]"):
        build_order(_kinds(a=("nowhere",)))
    with pytest.raises(ValueError, match="go round in a circle"):
        build_order(_kinds(a=("b",), b=("a",)))
