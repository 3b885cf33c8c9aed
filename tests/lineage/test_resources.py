"""Where the program finds what it reads: in a checkout, the repository's own folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lineage import resources
from lineage.errors import LineageError

ROOT = Path(__file__).resolve().parents[2]


def test_a_checkout_reads_its_own_folders() -> None:
    assert not resources.INSTALLED
    assert resources.DATA_DIR == ROOT / "data" and resources.COOKBOOK == ROOT / "graphql" / "queries"


def test_only_the_served_libraries_are_found_by_name() -> None:
    assert resources.vendor_file("graphiql.js") == ROOT / "web/node_modules/graphiql/graphiql.min.js"
    for name in ("nothing.js", "../package.json", "graphiql/graphiql.min.js", ""):
        assert resources.vendor_file(name) is None, name


def test_a_malformed_served_table_is_refused_naming_the_file(tmp_path: Path) -> None:
    package = tmp_path / "package.json"
    package.write_text(json.dumps({"served": {"react.js": 3}}))
    with pytest.raises(LineageError, match=f'{package}: "served" must map'):
        resources.served_libraries(package)
