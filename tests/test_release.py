"""What a release says about itself agrees: the package's version, the changelog's newest entry, the command's
--version."""

from __future__ import annotations

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
    """A check's tool, with ruff's subcommand: "ruff check", "ruff format", "mypy"."""
    words = command.removeprefix("$(BIN)/").split()
    return " ".join(words[:2]) if words[0] == "ruff" else words[0]


def test_the_pre_commit_hooks_run_what_make_lint_runs() -> None:
    """The hooks and `make lint` are two doors to the same checks: a tool in one and not the other drifts."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    lint = re.search(r"^lint:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert lint
    linted = {_tool(line.strip()) for line in lint[1].splitlines()}
    assert linted == {_tool(hook["entry"]) for hook in hooks} == {"ruff check", "ruff format", "mypy"}
