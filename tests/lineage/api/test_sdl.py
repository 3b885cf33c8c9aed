"""graphql/schema.graphql is the published contract: it must be exactly what the code serves."""

from __future__ import annotations

from pathlib import Path

from lineage.api.schema import build_schema

SDL = Path(__file__).resolve().parents[3] / "graphql" / "schema.graphql"


def test_the_exported_sdl_matches_the_code() -> None:
    assert SDL.read_text() == str(build_schema()) + "\n", (
        "graphql/schema.graphql has drifted from the code: run `lineage schema --output graphql/schema.graphql`"
    )


def test_the_public_schema_is_read_only() -> None:
    schema = build_schema()
    assert schema.as_str().count("type Mutation") == 0 and schema.as_str().count("type Subscription") == 0
