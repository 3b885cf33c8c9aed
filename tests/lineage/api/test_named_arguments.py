"""A refused argument is named as the caller gave it: the GraphQL argument, never the name some shared check
inside gives the value, and an error in the query text says where (line and column), as GraphQL errors do."""

from __future__ import annotations

import pytest

from lineage.store import MAX_SEARCH_TEXT

pytestmark = pytest.mark.usefixtures("fixture_store")

#: Each argument refused as search text, with a query that gives it (two fields take ``text``).
SEARCHED = [
    ("text", "query ($s: String!) { search(text: $s) { totalCount } }"),
    ("text", "query ($s: String!) { schoolSearch(text: $s) { totalCount } }"),
    ("name", "query ($s: String!) { organisationReceipts(name: $s) { organisation { id } } }"),
    ("from", "query ($s: String!) { onwardSharing(from: $s) { total } }"),
    ("concept", "query ($s: String!) { conceptAliases(concept: $s) { concept { id } } }"),
    ("dataset", "query ($s: String!) { itemsByClassification(dataset: $s) { totalCount } }"),
    ("organisation", "query ($s: String!) { gaps(organisation: $s) { totalCount } }"),
]


@pytest.mark.parametrize(("name", "query"), SEARCHED)
async def test_a_refused_search_argument_is_named_as_given(client, name: str, query: str) -> None:
    for value, message in (
        ("!!", f"{name} must hold a letter or a digit"),
        ("x" * (MAX_SEARCH_TEXT + 1), f"{name} is longer than {MAX_SEARCH_TEXT} characters"),
    ):
        body = await client.query(query, s=value)
        assert [e["message"] for e in body["errors"]] == [message], body
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}


@pytest.mark.parametrize(("name", "query"), SEARCHED)
async def test_a_refused_search_argument_written_in_the_query_is_named_as_given(client, name: str, query: str) -> None:
    """The argument is named by the value it holds, whether a variable gives it or the query's text does."""
    written = query.replace("query ($s: String!) ", "").replace("$s", '"!!"')
    body = await client.query(written)
    assert [e["message"] for e in body["errors"]] == [f"{name} must hold a letter or a digit"], body


@pytest.mark.parametrize(
    ("literal", "detail"),
    [
        ('"2020-13-01"', "month must be in 1..12"),
        ('"1 May 2020"', "YYYY-MM-DD"),
        ("20200101", "string"),
        # what fromisoformat reads, and no answer writes: a week date (30 December 2019) and a date without dashes
        ('"2020-W01-1"', "YYYY-MM-DD"),
        ('"20200101"', "YYYY-MM-DD"),
    ],
)
async def test_a_bad_date_in_the_query_text_says_where_it_is(client, literal: str, detail: str) -> None:
    body = await client.query(f"{{\n  gaps(\n    from: {literal}) {{ totalCount }} }}")
    [error] = body["errors"]
    written = literal.strip('"')
    assert error["message"].startswith(f'Value cannot represent a Date: "{written}".')
    assert detail in error["message"]
    assert error["locations"] == [{"line": 3, "column": 11}]
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}


@pytest.mark.parametrize("field", ["gaps", "gapsClosed"])
@pytest.mark.parametrize(
    ("argument", "value", "message"),
    [
        ("organisation", "", "organisation must hold a letter or a digit"),
        ("node", "", "node must be a node's id (Kind:key), as search answers it, not blank"),
        ("node", "  ", "node must be a node's id (Kind:key), as search answers it, not blank"),
    ],
)
async def test_a_blank_gap_filter_is_refused_not_dropped(client, field: str, argument: str, value: str,
                                                          message: str) -> None:  # fmt: skip
    body = await client.query(f"query ($s: String) {{ {field}({argument}: $s) {{ totalCount }} }}", s=value)
    assert [e["message"] for e in body["errors"]] == [message], body
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}


async def test_an_unknown_timeline_kind_is_quoted_even_when_blank(client) -> None:
    body = await client.query('{ timeline(kinds: ["", "Pause "]) { undated } }')
    [error] = body["errors"]
    assert error["message"].startswith("no kind of event or figure '', 'Pause ': one of "), error
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
