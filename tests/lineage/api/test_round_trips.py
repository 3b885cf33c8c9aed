"""Bolt round trips per cookbook operation on Neo4j: a count, never a timer.

Every query the driver sends is a ``run`` on a session or a transaction (auto-commit reads, a write's
statements, ``execute_query``), so the driver's own ``run`` methods are wrapped to count them while each
cookbook operation (graphql/queries/*.graphql) is asked over HTTP in process with the example the benchmarks
use, on the real graph, after the server has prepared as a server does when it starts (what the questions
derive from the whole graph is kept). A round trip through the Python driver costs milliseconds here, more
than Neo4j spends answering most of them, so a question's round trips bound how fast it can be.

The issue's budget (issue 23) is 3 round trips a question, 5 for the letter and record-reach, and every
operation keeps it. EXPECTED says how many each takes, and the test holds it to exactly that: it cannot grow
unseen, and a change that brings it down must say so here. A walk is one query whatever its depth
(Store.walk), and hops that start where others end are one chain (Store.chain).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import neo4j
import pytest
from neo4j._sync.work.transaction import TransactionBase

from benchmarks.bench_questions import EXAMPLES
from lineage import questions
from lineage.api.app import create_app
from lineage.store import Store

QUERIES = Path(__file__).resolve().parents[3] / "graphql" / "queries"
BUDGET, BIGGER_BUDGET = 3, 5
BIGGER = {"letter", "record-reach"}

#: Round trips each operation takes with its example.
EXPECTED: dict[str, int] = {
    "application-outcomes": 2,
    "flows": 1,  # the volumes are the disclosures the server prepares (records.disclosures), not asked again
    "items-by-classification": 1,
    # the letter and record-reach walk the school's chain of URNs once (they walked it again to refuse an
    # unknown URN, through pupil_reach)
    "letter": 2,
    "pupil-reach": 2,
    "record-reach": 2,
    "school-search": 2,
    "school-successors": 1,
    "search": 1,
    "timeline": 3,
    # the walk, then the page's records
    "lineage": 2,
    "node-links": 2,
    # the alias lookup, then one chain: the item's data sets and concepts, what feeds and restricts those, the
    # concepts' other items
    "item-provenance": 2,
    "release-trace": 2,
    # one chain (its links, its applications' links, the statements about it and them and their words), the
    # version for the kept trace of every release; the organisation found by its name is kept per state of the
    # store too (asked cold, one more: by its key)
    "organisation-receipts": 2,
    # the organisations of the type, then the releases sent to them with their links, then the disclosures (the
    # figures and holders, with what flowed to or was accessed by whom)
    "recipients-by-type": 3,
    "concept-aliases": 3,
    # the alias lookup, one chain of six steps (releases and data sets of the items and the statements meaning
    # them, releases of those data sets and what the statements are about, the statements about those and their
    # words, recipients and approvals, onward shares), one reading of the version for what is kept
    "recipients-of-item": 3,
    "departments-accessing-item": 3,
    # the version for each of its two fields (the open gaps and the organisation found by name are kept per
    # state), and the ImportRuns for the gaps imports closed: a build from scratch records none, so no more (with
    # closings, their subjects too)
    "gaps": 3,
    "foi-request": 1,
    # the start found by name, the walk as one chain (a step a level, and one past the last), then the events
    # concerning the bodies on the paths and the statements about them
    "onward-sharing": 3,
}


class RoundTrips:
    """Counts the driver's ``run`` calls, on sessions and on transactions (managed and explicit)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        self.queries: list[str] = []
        for cls in (neo4j.Session, TransactionBase):
            monkeypatch.setattr(cls, "run", self._counted(cls.run))

    def _counted(self, run: Any) -> Any:
        def counted(instance: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            self.queries.append(str(query)[:120])
            return run(instance, query, *args, **kwargs)

        return counted

    def reset(self) -> None:
        self.count = 0
        self.queries.clear()


@pytest.fixture
def round_trips(monkeypatch: pytest.MonkeyPatch) -> Iterator[RoundTrips]:
    yield RoundTrips(monkeypatch)


def test_every_cookbook_operation_is_in_the_table_within_its_budget() -> None:
    assert set(EXPECTED) == {path.stem for path in QUERIES.glob("*.graphql")} == set(EXAMPLES)
    over = {op: n for op, n in EXPECTED.items() if n > (BIGGER_BUDGET if op in BIGGER else BUDGET)}
    assert over == {}


@pytest.mark.neo4j
async def test_round_trips_per_cookbook_operation(neo4j_real: Store, round_trips: RoundTrips) -> None:
    questions.prepare(neo4j_real)
    counted: dict[str, int] = {}
    trips: Counter[str] = Counter()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(neo4j_real)), base_url="http://t"
    ) as http:
        for operation in sorted(EXPECTED):
            request = {"query": (QUERIES / f"{operation}.graphql").read_text(), "variables": EXAMPLES[operation]}
            await http.post("/graphql", json=request)  # once first: what is kept per span of years is kept
            round_trips.reset()
            response = await http.post("/graphql", json=request)
            body = response.json()
            assert response.status_code == 200 and not body.get("errors"), (operation, body.get("errors"))
            counted[operation] = round_trips.count
            trips.update(round_trips.queries)
    assert counted == EXPECTED, trips.most_common(8)
