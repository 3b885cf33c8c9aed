"""What a release says about itself agrees: the package's version, the changelog's newest entry, the command's
--version; and the checks before a commit are those `make lint` runs."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from lineage.cli import main

ROOT = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_the_changelog_starts_with_this_version() -> None:
    headings = re.findall(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(), re.MULTILINE)
    assert headings and headings[0] == VERSION


def test_lineage_version_says_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0 and capsys.readouterr().out.strip() == f"lineage {VERSION}"


def _tool(command: str) -> str:
    """A check's tool, with ruff's subcommand: "ruff check", "ruff format", "mypy", "eslint"."""
    words = command.split()
    name = words[0].rsplit("/", 1)[-1]  # $(BIN)/ruff, web/node_modules/.bin/eslint
    return f"{name} {words[1]}" if name == "ruff" else name


def _hooks() -> list[dict[str, str]]:
    hooks: list[dict[str, str]] = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    return hooks


def _makefile_lint_lines() -> list[str]:
    lint = re.search(r"^lint:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert lint
    return [line.strip() for line in lint[1].splitlines()]


def test_the_pre_commit_hooks_run_what_make_lint_runs() -> None:
    """The hooks and `make lint` are two doors to the same checks: a tool in one and not the other drifts."""
    linted = {_tool(line) for line in _makefile_lint_lines()}
    assert linted == {_tool(hook["entry"]) for hook in _hooks()} == {"ruff check", "ruff format", "mypy", "eslint"}


def test_the_eslint_hook_and_make_lint_lint_the_same_javascript_with_the_same_config() -> None:
    """Every JavaScript file `make lint` names is one the hook checks as it is committed, and no other, each
    with the same ESLint config: pinned in web/package.json, never fetched as the hook runs."""
    makefile = (ROOT / "Makefile").read_text()
    named = re.search(r"^JS_LINTED := (.+)$", makefile, re.MULTILINE)
    assert named
    (line,) = [line for line in _makefile_lint_lines() if _tool(line) == "eslint"]
    (hook,) = [hook for hook in _hooks() if _tool(hook["entry"]) == "eslint"]
    assert line == f"{hook['entry']} $(JS_LINTED)" and hook["language"] == "system"
    by_make = {
        found.relative_to(ROOT).as_posix()
        for path in named[1].split()
        for found in ([ROOT / path] if path.endswith(".js") else (ROOT / path).rglob("*.js"))
    }
    written = [*(ROOT / "lineage").rglob("*.js"), *(ROOT / "tests").rglob("*.js"), *(ROOT / "web").glob("*.js")]
    by_hook = {path for path in (p.relative_to(ROOT).as_posix() for p in written) if re.search(hook["files"], path)}
    assert "lineage/api/static/explore.js" in by_make and "tests/browser/driver.js" in by_make
    assert by_make == by_hook
    pinned = json.loads((ROOT / "web" / "package.json").read_text())["devDependencies"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned["eslint"])
