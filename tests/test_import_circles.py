"""No import circle in the core (lineage/ but its API and CLI): a module that imports another which (through
any others) imports it back cannot be read on its own, and hides which of them is the lower one. Every import
counts, wherever it stands (at module level, inside a function, under ``TYPE_CHECKING``): a circle hidden from
the interpreter is still one to a reader."""

from __future__ import annotations

import ast
from collections.abc import Collection, Mapping
from pathlib import Path

from tests.test_layers import imported

ROOT = Path(__file__).resolve().parent.parent


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.AST, modules: Collection[str]) -> set[str]:
    """The modules among ``modules`` that a module imports, wherever the import stands. ``from lineage.stores
    import snapshot`` imports the module snapshot; the package only where a name of its own is imported too."""
    found = {name for _, name in imported(tree)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names}
            found |= submodules & set(modules)
            if submodules <= set(modules):
                found.discard(node.module)
    return found & set(modules)


def lineage_imports() -> dict[str, set[str]]:
    """Each module of lineage/ (the core and its API and CLI adapters) and the modules of lineage/ it imports."""
    files = {_module(path): path for path in (ROOT / "lineage").rglob("*.py")}
    return {
        module: _imports(ast.parse(path.read_text(encoding="utf-8")), files) - {module}
        for module, path in files.items()
    }


def circles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Each import circle once, as the modules on it from its smallest name round to it again (Tarjan's strongly
    connected components would say which modules; this says which way round they go)."""
    found: set[tuple[str, ...]] = set()

    def visit(module: str, path: list[str]) -> None:
        for imported_module in graph.get(module, ()):
            if imported_module == path[0]:
                found.add(tuple(path))
            elif imported_module not in path and imported_module > path[0]:
                visit(imported_module, [*path, imported_module])

    for start in sorted(graph):
        visit(start, [start])
    return sorted([*circle, circle[0]] for circle in found)


def test_no_module_of_lineage_imports_itself_back() -> None:
    graph = lineage_imports()
    assert {"lineage.store", "lineage.walks", "lineage.hops", "lineage.api.context"} <= set(graph), "the wrong tree"
    assert "lineage.hops" in graph["lineage.walks"], "an import under TYPE_CHECKING or a function must count"
    assert circles(graph) == []


def test_the_check_finds_a_circle_through_several_modules() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert circles(graph) == [["a", "b", "c", "a"], ["e", "e"]]
    assert circles({"store": {"walks"}, "walks": {"store"}}) == [["store", "walks", "store"]]
