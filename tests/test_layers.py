"""The layers, as the README draws them, enforced on every import the code makes (module level or inside a
function): the core imports no adapter and no importer; the importers and the API import the core only; the
CLI alone wires everything. A wrong-way import fails here, naming the file and the line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Each layer: the files it holds, and the packages it may not import.
LAYERS = {
    "core": (lambda path: path.parts[0] == "lineage" and path.parts[1] not in ("api", "cli"),
             ("importers", "lineage.api", "lineage.cli")),
    "importers": (lambda path: path.parts[0] == "importers", ("lineage.api", "lineage.cli")),
    "api": (lambda path: path.parts[:2] == ("lineage", "api"), ("importers", "lineage.cli")),
}  # fmt: skip


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import in a module, wherever it stands."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            if node.module == "lineage":  # from lineage import cli
                found += [(node.lineno, f"lineage.{alias.name}") for alias in node.names]
    return found


def _files(layer: str) -> list[Path]:
    held = LAYERS[layer][0]
    return sorted(
        path.relative_to(ROOT)
        for package in ("lineage", "importers")
        for path in (ROOT / package).rglob("*.py")
        if held(path.relative_to(ROOT))
    )


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_no_layer_imports_the_wrong_way(layer: str) -> None:
    files = _files(layer)
    assert files, f"the {layer} layer holds no file: the test reads the wrong tree"
    forbidden = LAYERS[layer][1]
    wrong = [
        f"{path}:{line} imports {module}"
        for path in files
        for line, module in imported(ast.parse((ROOT / path).read_text(encoding="utf-8")))
        if any(module == banned or module.startswith(f"{banned}.") for banned in forbidden)
    ]
    assert wrong == []


def test_the_check_sees_an_import_inside_a_function() -> None:
    tree = ast.parse("def f():\n    from importers.organisations import normalise\n    from lineage import cli\n")
    assert imported(tree) == [(2, "importers.organisations"), (3, "lineage"), (3, "lineage.cli")]
