"""Validation in linear time, off the event loop: documents whose fragments spread each other twice per
level are measured once per fragment and refused for their figure, and /healthz answers while a query runs.

Expected figures are worked out by hand: in a chain where each of F0..F(n-1) spreads the next twice and
F(n) selects one field, F(n) counts 1 and each level doubles, so the operation's figure is 2**n."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from graphql import parse

import lineage.api.schema
from lineage.api.limits import alias_figure, cost_figure, depth_figure, measure
from lineage.api.schema import build_schema
from tests import fixture_graph as g

#: How long the blocked resolution waits at most for the test, so that a failing test cannot hang the run.
WAIT = 60.0

SCHEMA = build_schema()._schema


def doubling(n: int, leaf: str = "__typename") -> str:
    """query { ...F0 } and fragments F0..F(n-1) each spreading the next twice; F(n) selects ``leaf``."""
    fragments = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(n))
    return f"query {{ ...F0 }} {fragments} fragment F{n} on Query {{ {leaf} }}"


@pytest.mark.parametrize("n", [22, 44, 88])
def test_each_fragment_is_measured_once(n: int) -> None:
    document = parse(doubling(n, "a: __typename"))
    selections = 1 + 2 * n + 1  # the operation's spread, two spreads per fragment, the last one's field
    for figure, expected in ((cost_figure(50), 2**n), (alias_figure(), 2**n), (depth_figure(), 0)):
        measured = measure(figure, SCHEMA, document)
        assert measured.visits == selections
        assert [value for _, value in measured.operations] == [expected]


def test_a_chain_of_hundreds_of_fragments_does_not_exhaust_the_stack() -> None:
    n = 280  # about 1,960 tokens: the longest chain the token limit lets through
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(n))
    document = parse(f"query {{ ...F0 }} {chain} fragment F{n} on Query {{ __typename }}")
    assert [value for _, value in measure(cost_figure(50), SCHEMA, document).operations] == [1]


def test_an_answer_s_page_multiplies_its_connections_not_the_whole_answer() -> None:
    """recordReach's first pages each group's releases, not its one answer: every field of the answer had cost a
    page's worth, which pushed the record-reach query to the limit with fields a parent needs (the LRS's accesses)
    and made room only by dropping others. Worked out by hand: releases { totalCount } 1 + 30 x 1 = 31, groups
    1 + 1 (label) + 31 = 33, recordReach 1 + 1 (fromYear) + 33 = 35; a fragment on the answer, measured apart from
    the field that sets its page, takes the largest page (100): releases 101, groups 102, recordReach 1 + 102."""
    paged = (
        "{ recordReach(urn: 1, fromYear: 2012, toYear: 2013, first: 30) "
        "{ fromYear groups { label releases { totalCount } } } }"
    )
    assert [value for _, value in measure(cost_figure(50), SCHEMA, parse(paged)).operations] == [35]
    apart = (
        "{ recordReach(urn: 1, fromYear: 2012, toYear: 2013, first: 30) { ...Answer } } "
        "fragment Answer on RecordReach { groups { releases { totalCount } } }"
    )
    assert [value for _, value in measure(cost_figure(50), SCHEMA, parse(apart)).operations] == [103]


@pytest.mark.parametrize("n", [22, 40])
async def test_a_small_document_of_doubling_fragments_is_refused_for_its_cost(client, n: int) -> None:
    started = time.perf_counter()
    result = await client.query(doubling(n))
    assert time.perf_counter() - started < 5  # a guard against exponential blow-up, not a timing
    assert "data" not in result
    cost = next(e for e in result["errors"] if e["extensions"]["code"] == "COST_LIMIT")
    assert cost["extensions"] == {"code": "COST_LIMIT", "cost": 2**n, "limit": 20_000}


async def test_doubling_aliases_and_depth_through_fragments_are_refused(client) -> None:
    result = await client.query(doubling(30, "a: __typename"))
    codes = {e["extensions"]["code"] for e in result["errors"]}
    assert {"ALIAS_LIMIT", "COST_LIMIT"} <= codes
    aliases = next(e for e in result["errors"] if e["extensions"]["code"] == "ALIAS_LIMIT")
    assert aliases["extensions"]["aliases"] == 2**30
    # five levels of links, each through a fragment spread twice: depth 1 (node) + 3 per level
    levels = 5
    level = "fragment L{i} on Node {{ links {{ nodes {{ target {{ ...L{j} ...L{j} }} }} }} }}"
    fragments = " ".join(level.format(i=i, j=i + 1) for i in range(levels))
    deep = f'query {{ node(id: "{g.S1}") {{ ...L0 }} }} {fragments} fragment L{levels} on Node {{ id }}'
    result = await client.query(deep)
    depth = next(e for e in result["errors"] if e["extensions"]["code"] == "DEPTH_LIMIT")
    assert depth["extensions"] == {"code": "DEPTH_LIMIT", "depth": 1 + 3 * levels, "limit": 12}


async def test_a_selection_too_costly_to_validate_is_refused_saying_so(client) -> None:
    """Hostile input, round three: 708 repeated fields in one selection (under the token limit) spent graphql-core's
    budget for comparing fields, and the answer was its bare 'Validation aborted.'. It names the limit now; one field
    fewer than the budget allows is answered."""
    result = await client.query("{" + "__typename " * 708 + "}")
    (error,) = result["errors"]
    assert error["extensions"] == {"code": "VALIDATION_LIMIT"}
    assert error["message"].startswith("the document is too costly to validate") and "fewer fields" in error["message"]
    assert (await client.query("{" + "__typename " * 700 + "}"))["data"] == {"__typename": "Query"}


async def test_healthz_answers_while_a_query_is_being_resolved(client, monkeypatch) -> None:
    """Resolution blocks (as turning a huge answer into objects does) until /healthz has been answered: the loop
    that answers HTTP must not wait for it. Held by events, not by time, so that a loaded machine cannot make a
    slow answer look like a blocked loop (it failed so at a load average of 9, with a 1.5 s sleep)."""
    converted = lineage.api.schema.graph_node
    started, released = threading.Event(), threading.Event()

    def blocked_conversion(node):  # blocking, as CPU work is, until the test has had its answer
        started.set()
        released.wait(WAIT)
        return converted(node)

    monkeypatch.setattr(lineage.api.schema, "graph_node", blocked_conversion)
    query = asyncio.create_task(client.query("query ($id: ID!) { node(id: $id) { id } }", id=g.S1))
    try:
        assert await asyncio.to_thread(started.wait, WAIT), "the query never reached its resolution"
        health = await client.http.get("/healthz")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert not query.done()  # /healthz was answered while the query was still being resolved
    finally:
        released.set()
    assert (await query)["data"] == {"node": {"id": g.S1}}
