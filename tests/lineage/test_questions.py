"""The whole-graph questions on the hand-drawn fixture graph (tests/fixture_graph.py), on both stores.

`flows` and `pupil-reach` derive from every release at once and keep what they derived for as long as the
store does not change: these tests check the answers worked out by hand from the fixture's drawing, and
that a write is seen by the next question.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from lineage import questions
from lineage.errors import RefusedText
from lineage.model import Certainty, Edge, EdgeKind, Node, NodeKind
from lineage.questions.gaps import GapFilter
from lineage.questions.onward import find_start
from lineage.store import Store
from tests.fixture_graph import CITE, D2, EDGES, NODES, O1_NAME, O2_NAME, O3, R1, R2, TIER
from tests.lineage.api.conftest import Spy

CONFIRMED = Certainty()
CENSUS = "collection:School census, autumn"
KS4, PUPIL_LEVEL = "dataset:Key Stage 4", "dataset:School census pupil level"
FSM_CLASS, TIER_2 = "classification:identifiability 5, sensitivity C", "classification:old tier 2"
COMMERCIAL, ACADEMIC = "organisation type:commercial", "organisation type:academic"


def links(answer: questions.Flows) -> dict[tuple[str, str], tuple[int, Certainty]]:
    return {(link.source, link.target): (link.releases, link.certainty) for link in answer.links}


def test_flows_of_every_release_with_the_weakest_certainty_of_each_link(empty_store: Store) -> None:
    empty_store.write(NODES, EDGES)
    answer = questions.flows(empty_store)
    # R1 includes I2 (confirmed) and I1 (tier level) and goes to O1; R2 includes I2 and goes to O2
    assert links(answer) == {
        (CENSUS, KS4): (2, CONFIRMED),
        (CENSUS, PUPIL_LEVEL): (1, TIER),
        (KS4, FSM_CLASS): (2, CONFIRMED),
        (PUPIL_LEVEL, TIER_2): (1, TIER),
        (FSM_CLASS, COMMERCIAL): (1, CONFIRMED),
        (FSM_CLASS, ACADEMIC): (1, CONFIRMED),
        (TIER_2, COMMERCIAL): (1, TIER),
        (COMMERCIAL, f"organisation:{O1_NAME}"): (1, TIER),
        (ACADEMIC, f"organisation:{O2_NAME}"): (1, CONFIRMED),
    }
    assert (answer.releases_counted, answer.releases_without_scope) == (2, 0)
    # the classification column's values, each with the scales it is of, so no reader parses a label
    assert answer.classifications == (
        questions.FlowClass(FSM_CLASS.removeprefix("classification:"), identifiability=5, sensitivity="C"),
        questions.FlowClass(TIER_2.removeprefix("classification:"), old_tier=2),
    )


def test_flows_in_a_period_leave_out_undated_releases(empty_store: Store) -> None:
    empty_store.write(NODES, EDGES)
    answer = questions.flows(empty_store, dt.date(2013, 1, 1), dt.date(2013, 12, 31))
    assert answer.releases_counted == 1  # R1 of 2013-02-20; R2 has no date
    assert {target for _, target in links(answer)} >= {f"organisation:{O1_NAME}"}
    assert f"organisation:{O2_NAME}" not in {target for _, target in links(answer)}
    assert questions.flows(empty_store, dt.date(2014, 1, 1)).releases_counted == 0


def test_a_write_is_seen_by_the_next_flows_and_pupil_reach(empty_store: Store) -> None:
    empty_store.write(NODES, EDGES)
    questions.prepare(empty_store)
    before = questions.pupil_reach(empty_store, 9000001, 2001, 2020)
    release = Node(NodeKind.RELEASE, "DS00099", "DS00099", {"reference": "DS00099", "date": dt.date(2016, 5, 1)},
                   frozenset({CITE}), synthetic=True)  # fmt: skip
    empty_store.write(
        [release],
        [
            Edge(release.id, EdgeKind.INCLUDES, D2, citations=frozenset({CITE})),
            Edge(release.id, EdgeKind.SENT_TO, O3, citations=frozenset({CITE})),
        ],
    )
    after = links(questions.flows(empty_store))
    assert after[(CENSUS, KS4)] == (3, CONFIRMED)
    assert after[("organisation type:unknown", "organisation:Nobody Ltd")] == (1, CONFIRMED)
    assert ("dataset:Key Stage 4", "classification:whole data set") in after
    reach = questions.pupil_reach(empty_store, 9000001, 2001, 2020)
    assert {r.release.id for r in reach.reaches} == {r.release.id for r in before.reaches} | {release.id}


def test_pupil_reach_answers_each_span_of_years_for_itself(empty_store: Store) -> None:
    empty_store.write(NODES, EDGES)
    # KS4 and the school census pupil level cover the years from 2001
    assert {r.release.id for r in questions.pupil_reach(empty_store, 9000001, 2001, 2020).reaches} == {R1, R2}
    assert questions.pupil_reach(empty_store, 9000001, 1995, 1999).reaches == ()
    assert questions.pupil_reach(empty_store, 9000002, 1995, 2001).reaches != ()


def test_callers_arriving_during_a_computation_wait_for_it_rather_than_repeat_it(empty_store: Store) -> None:
    calls = []

    def slow_count(store: Store) -> int:
        calls.append(store.version())
        time.sleep(0.2)
        return store.counts().total_nodes

    per_state = questions.PerState(slow_count)
    answers: list[int] = []
    threads = [threading.Thread(target=lambda: answers.append(per_state(empty_store))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [0, 0, 0, 0] and len(calls) == 1
    empty_store.write(NODES, EDGES)
    assert per_state(empty_store) == len(NODES) and len(calls) == 2


def test_what_is_kept_is_bounded_and_the_least_recently_asked_goes_first(empty_store: Store) -> None:
    computed: list[int] = []

    def square(store: Store, n: int) -> int:
        computed.append(n)
        return n * n

    per_state = questions.PerState(square, keep=2)
    assert [per_state(empty_store, n) for n in (1, 2, 1, 3, 1, 2)] == [1, 4, 1, 9, 1, 4]
    # 1 and 2 kept; 1 asked again (kept); 3 pushes out 2, the least recently asked; 1 still kept; 2 again
    assert computed == [1, 2, 3, 2]


def test_a_filter_narrows_every_column_to_the_releases_whose_paths_pass(empty_store: Store) -> None:
    empty_store.write(NODES, EDGES)
    # identifiability 5 is KS4_FSM's alone: R1's tier-level old-tier-2 path goes, so O1 is reached confirmed
    by_class = questions.flows(empty_store, only=questions.FlowFilter(identifiability=frozenset({5})))
    assert links(by_class) == {
        (CENSUS, KS4): (2, CONFIRMED),
        (KS4, FSM_CLASS): (2, CONFIRMED),
        (FSM_CLASS, COMMERCIAL): (1, CONFIRMED),
        (FSM_CLASS, ACADEMIC): (1, CONFIRMED),
        (COMMERCIAL, f"organisation:{O1_NAME}"): (1, CONFIRMED),
        (ACADEMIC, f"organisation:{O2_NAME}"): (1, CONFIRMED),
    }
    # academic recipients: R2 only, so the census -> KS4 link carries one release, not both
    by_type = questions.flows(empty_store, only=questions.FlowFilter(organisation_types=frozenset({"academic"})))
    assert links(by_type) == {
        (CENSUS, KS4): (1, CONFIRMED),
        (KS4, FSM_CLASS): (1, CONFIRMED),
        (FSM_CLASS, ACADEMIC): (1, CONFIRMED),
        (ACADEMIC, f"organisation:{O2_NAME}"): (1, CONFIRMED),
    }
    assert [c.label for c in by_class.classifications] == [FSM_CLASS.removeprefix("classification:")]
    assert questions.flows(empty_store, only=questions.FlowFilter(sensitivity=frozenset({"B"}))).links == ()


def test_a_question_reads_the_version_once_for_all_it_keeps(empty_store: Store) -> None:
    """Within at_one_state (the API's call of each question), every value kept per state checks one reading of
    the store's version; outside it, each reads its own."""
    counted = Spy(empty_store)
    first, second = questions.PerState(lambda store: 1), questions.PerState(lambda store: 2)

    def both(store: Store) -> tuple[int, int]:
        return first(store), second(store)

    assert questions.common.at_one_state(both, counted) == (1, 2) and counted.calls["version"] == 1
    assert both(counted) == (1, 2) and counted.calls["version"] == 3


def test_a_search_text_is_refused_in_no_caller_s_words(empty_store: Store) -> None:
    """Each question that searches for what it is asked refuses a text with no letter or digit as search text, the
    text kept: the API names the argument that held it (tests/lineage/api/test_named_arguments.py), the core
    knowing none of the API's names."""
    asks = [
        lambda text: questions.organisation_receipts(empty_store, text),
        lambda text: questions.onward_sharing(empty_store, text),
        lambda text: questions.concept_aliases(empty_store, text),
        lambda text: questions.items_by_classification(empty_store, dataset=text),
        lambda text: questions.school_search(empty_store, text),
        lambda text: GapFilter.asked(empty_store, organisation=text),
    ]
    for ask in asks:
        with pytest.raises(RefusedText) as refused:
            ask("!!")
        assert (str(refused.value), refused.value.text) == ("search text must hold a letter or a digit", "!!")


def test_an_organisation_is_found_once_per_state_whichever_question_names_it(empty_store: Store) -> None:
    """organisationReceipts' name, gaps' organisation and onwardSharing's from name the same organisation: it is
    looked up once per state of the store, not once for each argument it came as."""
    empty_store.write(NODES, EDGES)
    counted = Spy(empty_store)
    found = questions.find_organisation(counted, O2_NAME)
    assert GapFilter.asked(counted, organisation=O2_NAME).organisation == found.id
    assert find_start(counted, O2_NAME) == found
    assert counted.calls["get_node"] == 1
