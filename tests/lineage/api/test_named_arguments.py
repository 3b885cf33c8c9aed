"""A refused argument is named as the caller gave it: the GraphQL argument, never the name some shared check
inside gives the value, and an error in the query text says where (line and column), as GraphQL errors do."""

from __future__ import annotations

import pytest

from lineage.store import MAX_SEARCH_TEXT

pytestmark = pytest.mark.usefixtures("fixture_store")

SEARCHED = {
    "text": "query ($s: String!) { search(text: $s) { totalCount } }",
    "text ": "query ($s: String!) { schoolSearch(text: $s) { totalCount } }",
    "name": "query ($s: String!) { organisationReceipts(name: $s) { organisation { id } } }",
    "from": "query ($s: String!) { onwardSharing(from: $s) { total } }",
    "concept": "query ($s: String!) { conceptAliases(concept: $s) { concept { id } } }",
    "dataset": "query ($s: String!) { itemsByClassification(dataset: $s) { totalCount } }",
    "organisation": "query ($s: String!) { gaps(organisation: $s) { totalCount } }",
}


@pytest.mark.parametrize("argument", SEARCHED)
async def test_a_refused_search_argument_is_named_as_given(client, argument: str) -> None:
    name = argument.strip()
    for value, message in (
        ("!!", f"{name} must hold a letter or a digit"),
        ("x" * (MAX_SEARCH_TEXT + 1), f"{name} is longer than {MAX_SEARCH_TEXT} characters"),
    ):
        body = await client.query(SEARCHED[argument], s=value)
        assert [e["message"] for e in body["errors"]] == [message], body
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
