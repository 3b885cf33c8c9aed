"""The pages' vocabularies come from the model, once: static/shared/vocabulary.js is what `lineage vocabulary`
writes from it, says what the model and the README say, and no other module keeps a copy."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lineage.api.app import STATIC
from lineage.api.schema import build_schema
from lineage.api.vocabulary import VOCABULARY_MODULE
from lineage.cli import main
from lineage.model import CERTAINTY_WORDS, STATEMENT_KINDS, CertaintyLevel
from tests.lineage.api.test_cookbook import rows

ROOT = Path(__file__).resolve().parents[3]


def test_the_committed_module_is_what_the_model_generates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vocabulary"]) == 0
    assert VOCABULARY_MODULE.read_text(encoding="utf-8") == capsys.readouterr().out, (
        "static/shared/vocabulary.js has drifted from the model: run "
        "`lineage vocabulary --output lineage/api/static/shared/vocabulary.js`"
    )


def _as_javascript_reads_it() -> dict[str, object]:
    """The module's exports as a browser's JavaScript engine reads them (node's, the same V8)."""
    node = shutil.which("node")
    assert node, "node is needed (it comes with npm, which `make` uses to install web/node_modules)"
    script = f"import * as v from {json.dumps(VOCABULARY_MODULE.as_uri())}; console.log(JSON.stringify(v));"
    run = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True, text=True, check=True)
    exported: dict[str, object] = json.loads(run.stdout)
    return exported


def test_the_module_says_what_the_readme_and_the_schema_say() -> None:
    exported = _as_javascript_reads_it()
    # the README's table of certainty, strongest first, by the names GraphQL gives the levels
    certainty = (ROOT / "README.md").read_text().split("\n## Certainty\n", 1)[1].split("\n## ", 1)[0]
    table = re.findall(r"^\| `(\w+)` \|", certainty, re.MULTILINE)
    assert table == ["confirmed", "reported", "claimed", "tier_level", "inferred"]
    enum = re.search(r"^enum CertaintyLevel \{\n((?:  \w+\n)+)\}", str(build_schema()), re.MULTILINE)
    assert enum and sorted(enum[1].split()) == sorted(level.upper() for level in table)
    assert exported["CERTAINTY_LEVELS"] == [level.upper() for level in table]
    strength = exported["CERTAINTY_STRENGTH"]
    assert isinstance(strength, dict) and sorted(strength, key=strength.__getitem__, reverse=True) == [
        level.upper() for level in table
    ]
    assert exported["CERTAINTY_WORDS"] == {level.name: CERTAINTY_WORDS[level] for level in CertaintyLevel}
    assert exported["STATEMENT_KINDS"] == STATEMENT_KINDS
    # every kind of statement the data import, and the refusal the onward-sharing importer writes
    statements = {row["statement"] for row in rows("npd_release_scope_statements.csv")}
    assert statements | {"refused_to_say"} <= set(STATEMENT_KINDS)
    # a colour for every kind of node the API answers (the explorer drew statements, events, applications and
    # record sets in one grey, which its own table had no colour for), each kind told apart from the others
    kinds = re.search(r"^enum NodeKind \{\n((?:  \w+\n)+)\}", str(build_schema()), re.MULTILINE)
    colours = exported["NODE_COLOURS"]
    assert kinds and isinstance(colours, dict) and sorted(colours) == sorted(kinds[1].split())
    assert len(set(colours.values())) == len(colours)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", colour) for colour in colours.values())


def test_no_other_module_keeps_a_copy_of_a_vocabulary() -> None:
    """A level's GraphQL name, or a statement's kind, written in a page's own module is a copy that drifts."""
    words = [level.name for level in CertaintyLevel] + list(STATEMENT_KINDS)
    copied = re.compile(rf"""["'`]?\b({"|".join(words)})\b["'`]?\s*:|["'`]({"|".join(words)})["'`]""")
    modules = [path for path in STATIC.rglob("*.js") if path != VOCABULARY_MODULE]
    assert len(modules) > 20
    for path in modules:
        found = copied.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(STATIC)} restates {found}: import it from /static/shared/vocabulary.js"
