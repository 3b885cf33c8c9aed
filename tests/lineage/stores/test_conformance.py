"""The conformance suite: every test runs on the embedded store and on a real Neo4j, and expects the same
answer, worked out by hand from the drawing in tests/fixture_graph.py."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from lineage.errors import ModelError, StoreError
from lineage.hops import Step
from lineage.model import Citation, Edge, EdgeKind, Node, NodeKind, Validity
from lineage.store import MAX_DEPTH, Bounded, Direction, Link, QueryError, RunStatus, Store, edge_sides
from tests import fixture_graph as g


@pytest.fixture
def store(empty_store: Store) -> Store:
    empty_store.write(g.NODES, g.EDGES)
    return empty_store


def ids(traversal) -> list[str]:
    return [reached.node.id for reached in traversal.reached.items]


# ---- writes ---------------------------------------------------------------------------------------


def test_counts_per_kind(store: Store) -> None:
    counts = store.counts()
    assert counts.nodes == {
        "Approval": 1, "Classification": 1, "Collection": 1, "Concept": 1, "DataItem": 2,
        "Dataset": 2, "Organisation": 3, "Release": 2, "School": 3,
    }  # fmt: skip
    assert counts.edges == {
        "APPROVED_BY": 1, "CLASSIFIED_AS": 1, "FEEDS": 2, "HOLDS": 2, "INCLUDES": 3, "REPRESENTS": 2,
        "SENT_TO": 2, "SHARES_ONWARD": 3, "SUBMITS": 2, "SUCCEEDED_BY": 2,
    }  # fmt: skip


def test_writing_the_same_batch_again_changes_nothing(store: Store) -> None:
    before = store.counts()
    result = store.write(g.NODES, g.EDGES)
    assert (result.nodes_created, result.edges_created) == (0, 0)
    assert store.counts() == before
    assert store.get_node(g.O1) == next(n for n in g.NODES if n.id == g.O1)


def test_the_version_changes_with_every_write_and_clear(empty_store: Store) -> None:
    versions = [empty_store.version()]
    for change in (lambda: empty_store.write(g.NODES, g.EDGES), lambda: empty_store.write(g.NODES[:1]),
                   empty_store.clear):  # fmt: skip
        change()
        versions.append(empty_store.version())
        assert empty_store.version() == versions[-1]  # and stays put while nothing changes
    assert len(set(versions)) == len(versions)


def test_first_write_reports_what_it_created(empty_store: Store) -> None:
    result = empty_store.write(g.NODES, g.EDGES)
    assert (result.nodes_created, result.edges_created) == (16, 20)


def test_upsert_merges_props_accumulates_citations_and_replaces_the_rest(store: Store) -> None:
    other = Citation("Another fictional source", "other.csv", 7, "https://example.org/other")
    old = store.get_node(g.O1)
    update = dataclasses.replace(old, name="Renamed", props={"variants": ("O'Brien",)}, citations=frozenset({other}))
    store.write([update])
    node = store.get_node(g.O1)
    assert node.name == "Renamed"
    assert node.props == {"org_type": "commercial", "variants": ("O'Brien",)}
    assert node.citations == {g.CITE, other}
    edge = next(e for e in g.EDGES if e.kind is EdgeKind.SENT_TO and e.target == g.O1)
    store.write(edges=[dataclasses.replace(edge, validity=dataclasses.replace(edge.validity, valid_to=None))])
    hop = next(h for h in store.neighbours(g.O1, Direction.UPSTREAM).hops.items if h.edge.kind is EdgeKind.SENT_TO)
    assert hop.edge.validity.valid_to is None and hop.edge.validity.valid_from == dt.date(2013, 2, 20)


def test_repeats_within_one_batch_fold_like_repeats_across_batches(empty_store: Store) -> None:
    other = Citation("Another fictional source", "other.csv", 8, "")
    o3 = next(n for n in g.NODES if n.id == g.O3)
    again = dataclasses.replace(o3, props={"variants": ("Nobody",)}, citations=frozenset({other}))
    empty_store.write([o3, again])
    node = empty_store.get_node(g.O3)
    assert node.props == {"org_type": "unknown", "variants": ("Nobody",)} and node.citations == {g.CITE, other}


def test_a_finished_import_run_stays_finished_when_a_run_of_its_file_that_does_not_finish_writes_it(
    empty_store: Store,
) -> None:
    """lineage.merge.finished_run: a run of the same file (the same ImportRun) started or interrupted after one
    finished had made the record say its data were partial, where they were whole; one that finishes replaces it."""
    cited = frozenset({Citation("pupil-data lineage import log", "classifications.csv", None, "")})

    def run(status: RunStatus, rows_written: int) -> Node:
        props = {"status": status.value, "rows_written": rows_written}
        return Node(NodeKind.IMPORT_RUN, "npd-classifications:0123456789abcdef", "a run", props, cited)

    empty_store.write([run(RunStatus.STARTED, 0)])
    empty_store.write([run(RunStatus.FINISHED, 28)])
    for unfinished in (RunStatus.STARTED, RunStatus.INTERRUPTED):
        empty_store.write([run(unfinished, 0)])
        assert empty_store.get_node(run(unfinished, 0).id) == run(RunStatus.FINISHED, 28)
    empty_store.write([run(RunStatus.FINISHED, 29)])
    assert empty_store.get_node(run(RunStatus.FINISHED, 29).id) == run(RunStatus.FINISHED, 29)


def test_edges_written_together_each_read_back_as_written(empty_store: Store) -> None:
    """Edges of one kind in one write that differ in properties, dates, certainty or citations (SUCCEEDED_BY,
    INCLUDES, SUBMITS below) and edges alike: Neo4j sends each distinct set once, and none may take another's."""
    other = Citation("Another fictional source", "other.csv", 9, "")
    edges = [
        dataclasses.replace(e, citations=frozenset({other})) if (e.source, e.kind) == (g.S2, EdgeKind.SUBMITS) else e
        for e in g.EDGES
    ]
    empty_store.write(g.NODES, edges)
    assert empty_store.get_edges((e.source, e.kind, e.target) for e in edges) == {e.id: e for e in edges}


def test_an_edge_to_a_node_that_exists_nowhere_writes_nothing(empty_store: Store) -> None:
    dangling = Edge(g.R1, EdgeKind.SENT_TO, "Organisation:ghost", citations=frozenset({g.CITE}))
    with pytest.raises(StoreError, match="Organisation:ghost"):
        empty_store.write(g.NODES, [*g.EDGES, dangling])
    assert empty_store.counts().total_nodes == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda n: dataclasses.replace(n, citations=frozenset()), "cites none"),
        (lambda n: dataclasses.replace(n, props={"colour": "red"}), "unknown property 'colour'"),
        (lambda n: dataclasses.replace(n, props={"org_type": 3}), "must be str"),
        (lambda n: dataclasses.replace(n, key=" "), "non-empty natural key"),
    ],
)
def test_a_node_that_breaks_the_model_fails_the_whole_batch(empty_store: Store, change, message: str) -> None:
    broken = change(next(n for n in g.NODES if n.id == g.O3))
    with pytest.raises(ModelError, match=message):
        empty_store.write([*g.NODES[:-1], broken], g.EDGES)
    assert empty_store.counts().total_nodes == 0


def test_an_edge_between_the_wrong_kinds_is_refused(store: Store) -> None:
    wrong = Edge(g.O1, EdgeKind.HOLDS, g.I1, citations=frozenset({g.CITE}))
    with pytest.raises(ModelError, match="HOLDS goes from"):
        store.write(edges=[wrong])
    assert store.counts().edges["HOLDS"] == 2


def test_real_and_synthetic_data_never_share_a_graph(store: Store) -> None:
    real = dataclasses.replace(next(n for n in g.NODES if n.id == g.O3), key="real", synthetic=False)
    with pytest.raises(StoreError, match="synthetic and real"):
        store.write([real])
    with pytest.raises(StoreError, match="mixes synthetic and real"):
        store.write([real, g.NODES[0]])
    assert store.get_node("Organisation:real") is None


# ---- lookups --------------------------------------------------------------------------------------


def test_quotes_backticks_and_unicode_survive_the_round_trip(store: Store) -> None:
    assert store.get_node(g.O1).name == g.O1_NAME
    assert store.get_node(g.O2).name == g.O2_NAME
    assert store.get_node(g.R1).props["date"] == dt.date(2013, 2, 20)
    assert store.get_node(g.R1).props["tiers"] == ("1", "2")


def test_unknown_ids_are_absent_not_errors(store: Store) -> None:
    assert store.get_node("School:0") is None
    assert store.get_nodes([g.S1, "School:0", "not even an id"]).keys() == {g.S1}


def test_list_nodes_pages_in_id_order(store: Store) -> None:
    page = store.list_nodes(NodeKind.ORGANISATION, limit=2)
    assert [n.id for n in page.items] == [g.O3, g.O1]
    assert page.total == 3 and page.truncated
    rest = store.list_nodes(NodeKind.ORGANISATION, limit=2, offset=2)
    assert [n.id for n in rest.items] == [g.O2] and not rest.truncated


def test_list_nodes_gives_every_node_one_at_a_time_and_the_total_past_the_end(store: Store) -> None:
    every = tuple(sorted(g.NODES, key=lambda node: node.id))
    whole = store.list_nodes(limit=1000)
    assert whole.items == every and whole.total == len(every) and not whole.truncated
    pages = [store.list_nodes(limit=1, offset=k) for k in range(len(every))]
    assert tuple(node for page in pages for node in page.items) == every
    assert {page.total for page in pages} == {len(every)}
    for offset in (len(every), len(every) + 5):
        assert store.list_nodes(limit=10, offset=offset) == Bounded((), len(every), offset)
    assert store.list_nodes(NodeKind.ORGANISATION, limit=0) == Bounded((), 3, 0)
    assert store.list_nodes(NodeKind.STATEMENT) == Bounded((), 0, 0)  # a kind the graph does not hold


# ---- neighbours -----------------------------------------------------------------------------------


def test_neighbours_show_a_self_loop_once_and_a_cycle_both_ways(store: Store) -> None:
    hops = store.neighbours(g.O2).hops
    assert [h.edge.id for h in hops.items] == [
        f"{g.O1}|SHARES_ONWARD|{g.O2}",
        f"{g.O2}|SHARES_ONWARD|{g.O1}",
        f"{g.O2}|SHARES_ONWARD|{g.O2}",
        f"{g.R2}|SENT_TO|{g.O2}",
    ]
    assert hops.total == 4 and not hops.truncated


def test_neighbours_of_an_unknown_node_say_so(store: Store) -> None:
    result = store.neighbours("Organisation:ghost")
    assert result.start is None and result.hops.total == 0


def test_links_name_each_hop_by_ids_with_the_far_kind(store: Store) -> None:
    """O2's links both ways, as neighbours drew them (the self-loop once), by ids and the far node's kind."""
    both = frozenset(EdgeKind)
    found = sorted(store.links([g.O2], both, both))
    assert found == sorted(
        [
            Link(g.O2, g.O1, EdgeKind.SHARES_ONWARD, g.O2, NodeKind.ORGANISATION),
            Link(g.O2, g.O2, EdgeKind.SHARES_ONWARD, g.O1, NodeKind.ORGANISATION),
            Link(g.O2, g.O2, EdgeKind.SHARES_ONWARD, g.O2, NodeKind.ORGANISATION),
            Link(g.O2, g.R2, EdgeKind.SENT_TO, g.O2, NodeKind.RELEASE),
        ]
    )
    assert {link.far for link in found} == {g.O1, g.O2, g.R2}


def test_links_on_a_date_leave_out_what_did_not_hold_then(store: Store) -> None:
    """R1 was sent to O1 for 2013-02-20..2014-02-19: on 2015-01-01 that link did not hold; its items did."""
    outgoing = frozenset({EdgeKind.SENT_TO, EdgeKind.INCLUDES})
    found = store.links([g.R1], outgoing, frozenset(), as_of=dt.date(2015, 1, 1))
    assert sorted(link.far for link in found) == sorted([g.I1, g.I2])


def test_edges_are_fetched_by_their_ends_and_kind(store: Store) -> None:
    wanted = [(g.R1, EdgeKind.INCLUDES, g.I1), (g.R1, EdgeKind.SENT_TO, g.O1), (g.R1, EdgeKind.SENT_TO, g.O2)]
    edges = store.get_edges(wanted)
    assert set(edges) == {f"{g.R1}|INCLUDES|{g.I1}", f"{g.R1}|SENT_TO|{g.O1}"}  # R1 was never sent to O2
    assert edges[f"{g.R1}|INCLUDES|{g.I1}"].certainty == g.TIER
    assert edges[f"{g.R1}|SENT_TO|{g.O1}"].validity == g.R1_DATES


def test_a_record_set_its_access_and_an_onward_share_keep_their_route_and_words(store: Store) -> None:
    """The kinds added for the flows after 2018 round-trip alike: a record set, an access with its route, figure
    and period, an onward share saying what went; and a walk downstream follows them (fictional names)."""
    cite = frozenset({Citation("Conformance fixture (fictional)", "tests/lineage/stores/test_conformance.py", 1)})
    records = dataclasses.replace(
        g.NODES[0], kind=NodeKind.RECORD_SET, key="Fictional records", name="Fictional records",
        props={"system": "LRS", "size_as_written": "up to 3"}, citations=cite,
    )  # fmt: skip
    said = {"route": "live search", "value_text": "1,234", "quote": '`x` "y"'}
    period = Validity(dt.date(2018, 9, 1), dt.date(2020, 1, 31))
    access = Edge(records.id, EdgeKind.ACCESSED_BY, g.O1, said, cite, validity=period)
    went = {"route": "service built on the data", "what_went": "a service"}
    onward = Edge(g.O1, EdgeKind.SHARES_ONWARD, g.O3, went, cite)
    store.write([records], [access, onward])
    assert store.get_node(records.id) == records
    found = store.get_edges([(records.id, EdgeKind.ACCESSED_BY, g.O1), (g.O1, EdgeKind.SHARES_ONWARD, g.O3)])
    assert found == {access.id: access, onward.id: onward}
    assert {g.O1, g.O3} <= set(ids(store.traverse(records.id, Direction.DOWNSTREAM, max_depth=2)))


# ---- traversal ------------------------------------------------------------------------------------

DOWNSTREAM_OF_KS4 = [g.I2, g.CL, g.K, g.R1, g.R2, g.A1, g.O1, g.O2]


def test_downstream_follows_the_data_through_releases_to_recipients(store: Store) -> None:
    result = store.traverse(g.D2, Direction.DOWNSTREAM, max_depth=3)
    assert ids(result) == DOWNSTREAM_OF_KS4
    assert [r.degree for r in result.reached.items] == [1, 2, 2, 2, 2, 3, 3, 3]
    assert result.reached.total == 8 and not result.reached.truncated


def test_a_cycle_and_a_self_loop_do_not_grow_the_answer(store: Store) -> None:
    assert ids(store.traverse(g.D2, max_depth=6)) == DOWNSTREAM_OF_KS4


def test_each_result_carries_its_shortest_paths_with_citations(store: Store) -> None:
    reached = {r.node.id: r for r in store.traverse(g.D2, max_depth=3).reached.items}
    (path,) = reached[g.O2].paths
    assert [e.id for e in path] == [f"{g.D2}|HOLDS|{g.I2}", f"{g.R2}|INCLUDES|{g.I2}", f"{g.R2}|SENT_TO|{g.O2}"]
    assert all(e.citations == {g.CITE} for e in path)
    assert reached[g.O2].path_count == 1


def test_path_counts_and_path_limits(store: Store) -> None:
    reached = {r.node.id: r for r in store.traverse(g.S1, Direction.DOWNSTREAM, max_depth=2).reached.items}
    # C is reached directly and (at depth 2, not shortest) through S2: one shortest path.
    assert reached[g.C].degree == 1 and reached[g.C].path_count == 1
    deeper = {r.node.id: r for r in store.traverse(g.S1, max_depth=3, max_paths=1).reached.items}
    assert deeper[g.D2].path_count == 1 and len(deeper[g.D2].paths) == 1


def test_upstream_goes_against_the_data(store: Store) -> None:
    assert ids(store.traverse(g.O2, Direction.UPSTREAM, max_depth=2)) == [g.O1, g.R2, g.I2, g.R1]


def _records_held_by_o1_whose_own_records_o3_accesses(store: Store) -> str:
    """Fictional: a record set O1 holds, and O3's access to O1's own records (which of them, not said)."""
    records = dataclasses.replace(
        g.NODES[0], kind=NodeKind.RECORD_SET, key="Fictional records", name="Fictional records", props={}
    )
    held = Edge(records.id, EdgeKind.HELD_BY, g.O1, {}, frozenset({g.CITE}))
    store.write([records], [held, Edge(g.O1, EdgeKind.ACCESSED_BY, g.O3, {}, frozenset({g.CITE}))])
    return records.id


def test_a_walk_following_the_data_leaves_an_organisation_only_by_what_it_shared_onward(store: Store) -> None:
    """The records O1 holds reach O1, and O2 by O1's onward share; not O3, whose access was to O1's own records,
    nor, upstream from O3, the records, the release sent to O1 or anything O2 shared with O1."""
    records = _records_held_by_o1_whose_own_records_o3_accesses(store)
    assert ids(store.traverse(records, Direction.DOWNSTREAM, max_depth=4)) == [g.O1, g.O2]
    assert ids(store.traverse(g.O3, Direction.UPSTREAM, max_depth=4)) == [g.O1]
    assert store.paths(records, g.O3, max_depth=4).paths.total == 0
    assert store.paths(g.R1, g.O3, direction=Direction.UPSTREAM, max_depth=4).paths.total == 0
    (onward,) = store.paths(records, g.O2, max_depth=4).paths.items
    assert [edge.kind for edge in onward] == [EdgeKind.HELD_BY, EdgeKind.SHARES_ONWARD]
    # a neighbourhood is no flow: both ways, O3 is two hops from the records
    assert g.O3 in ids(store.traverse(records, Direction.BOTH, max_depth=2))


def test_upstream_past_an_organisation_reached_again_by_its_onward_share_goes_by_that_share(store: Store) -> None:
    """O3 accessed O1's own records, and O2 shared onward with O3: upstream, O1 is one hop away by the access
    and goes on only where reached by O2's share from it, so what O1 was sent (R1) is three hops away, by
    O1's share with O2, never by the access, as are the records O1 holds."""
    records = _records_held_by_o1_whose_own_records_o3_accesses(store)
    store.write([], [Edge(g.O2, EdgeKind.SHARES_ONWARD, g.O3, {}, frozenset({g.CITE}))])
    reached = {r.node.id: r for r in store.traverse(g.O3, Direction.UPSTREAM, max_depth=3).reached.items}
    assert (reached[g.O1].degree, reached[g.O2].degree, reached[g.R1].degree) == (1, 1, 3)
    assert [[e.id for e in path] for path in reached[g.O1].paths] == [[f"{g.O1}|ACCESSED_BY|{g.O3}"]]
    assert [[e.id for e in path] for path in reached[g.R1].paths] == [
        [f"{g.O2}|SHARES_ONWARD|{g.O3}", f"{g.O1}|SHARES_ONWARD|{g.O2}", f"{g.R1}|SENT_TO|{g.O1}"]
    ]
    assert reached[g.R1].path_count == 1 and reached[records].degree == 3
    (walked,) = store.paths(g.O3, g.R1, direction=Direction.UPSTREAM, max_depth=3).paths.items
    assert [edge.kind for edge in walked] == [EdgeKind.SHARES_ONWARD, EdgeKind.SHARES_ONWARD, EdgeKind.SENT_TO]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2013, 6, 1), [g.R2, g.I2]),  # O1 -> O2 not yet shared
        (dt.date(2014, 1, 1), [g.O1, g.R2, g.I2, g.R1]),  # first day of the onward share
        (dt.date(2014, 2, 19), [g.O1, g.R2, g.I2, g.R1]),  # last day of R1
        (dt.date(2014, 2, 20), [g.O1, g.R2, g.I2]),  # R1 has ended
    ],
)
def test_as_at_a_date_includes_both_boundary_days(store: Store, as_of: dt.date, expected: list[str]) -> None:
    assert ids(store.traverse(g.O2, Direction.UPSTREAM, max_depth=2, as_of=as_of)) == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (None, [g.S2, g.S3]),
        (dt.date(2017, 1, 1), [g.S2]),
        (dt.date(2015, 8, 31), []),
        (dt.date(2019, 8, 31), [g.S2, g.S3]),
    ],
)
def test_school_successors_as_at(store: Store, as_of: dt.date | None, expected: list[str]) -> None:
    result = store.traverse(g.S1, max_depth=5, edge_kinds={EdgeKind.SUCCEEDED_BY}, as_of=as_of)
    assert ids(result) == expected


@pytest.mark.parametrize("as_of", [None, dt.date(2017, 1, 1), dt.date(2015, 8, 31)])
@pytest.mark.parametrize("start", [g.S1, g.S2, g.S3, "School:0"])
def test_a_chain_walked_each_way_at_once_is_the_walk_each_way(store: Store, start: str, as_of: dt.date | None) -> None:
    """traverse_each (a school's successors and predecessors, which Neo4j fetches in one query) answers as
    traverse does, direction by direction: nodes, degrees, paths and their records."""
    directions = (Direction.UPSTREAM, Direction.DOWNSTREAM, Direction.BOTH)
    kinds = {EdgeKind.SUCCEEDED_BY}
    walks = store.traverse_each(start, directions, max_depth=5, edge_kinds=kinds, as_of=as_of, max_paths=2)
    expected = [store.traverse(start, d, max_depth=5, edge_kinds=kinds, as_of=as_of, max_paths=2) for d in directions]
    assert walks == expected
    assert (walks[0].start is None) == (start == "School:0")


def test_a_wider_walk_each_way_at_once_is_the_walk_each_way(store: Store) -> None:
    """Any kinds, backward ones (INCLUDES) too, with a depth limit, paging and node kinds."""
    directions = (Direction.DOWNSTREAM, Direction.UPSTREAM)
    options = {"max_depth": 2, "node_kinds": {NodeKind.RELEASE, NodeKind.ORGANISATION}, "limit": 2, "offset": 1}
    for start in (g.D2, g.O2, g.I2):
        assert store.traverse_each(start, directions, **options) == [  # type: ignore[arg-type]
            store.traverse(start, d, **options)  # type: ignore[arg-type]
            for d in directions
        ]


def _by_ids(links: tuple[Link, ...]) -> set[tuple[str, str]]:
    return {(link.near, link.edge_id) for link in links}


def test_a_walk_gives_each_level_from_the_nodes_the_last_one_reached_first(store: Store) -> None:
    """Downstream of KS4, by the drawing: its item; the item's concept, classification and both releases
    including it; what those releases were approved by and sent to. A level never goes back to a node seen."""
    levels = store.walk([g.D2], edge_sides(Direction.DOWNSTREAM), 4)
    assert [_by_ids(level) for level in levels.links] == [
        {(g.D2, f"{g.D2}|HOLDS|{g.I2}")},
        {
            (g.I2, f"{g.I2}|REPRESENTS|{g.K}"),
            (g.I2, f"{g.I2}|CLASSIFIED_AS|{g.CL}"),
            (g.I2, f"{g.R1}|INCLUDES|{g.I2}"),
            (g.I2, f"{g.R2}|INCLUDES|{g.I2}"),
        },
        {(g.R1, f"{g.R1}|APPROVED_BY|{g.A1}"), (g.R1, f"{g.R1}|SENT_TO|{g.O1}"), (g.R2, f"{g.R2}|SENT_TO|{g.O2}")},
        # O1 and O2 share onward with each other and O2 with itself: every link from them, though none is new
        {(g.O1, f"{g.O1}|SHARES_ONWARD|{g.O2}"), (g.O2, f"{g.O2}|SHARES_ONWARD|{g.O1}"),
         (g.O2, f"{g.O2}|SHARES_ONWARD|{g.O2}")},
    ]  # fmt: skip
    assert {link.far_kind for link in levels.links[2]} == {NodeKind.APPROVAL, NodeKind.ORGANISATION}
    assert not levels.cut


def test_a_walk_stops_at_its_bound_and_says_so(store: Store) -> None:
    """Two nodes seen after the first level, six after the second: a bound of three stops the third."""
    levels = store.walk([g.D2], edge_sides(Direction.DOWNSTREAM), 3, cap=3)
    assert [len(level) for level in levels.links] == [1, 4, 0] and levels.cut
    assert store.walk([g.D2], edge_sides(Direction.DOWNSTREAM), 2, cap=3) == store.walk(
        [g.D2], edge_sides(Direction.DOWNSTREAM), 2
    )  # the bound is looked at before a level, never after the last


def test_a_walk_with_nowhere_to_go_gives_empty_levels(store: Store) -> None:
    levels = store.walk([g.O3, "School:0"], edge_sides(Direction.BOTH), 3)
    assert levels.links == ((), (), ()) and not levels.cut


def test_a_walk_on_a_date_leaves_out_what_did_not_hold_then(store: Store) -> None:
    """S1 became S2 on 2015-09-01; S2 became S3 for 2018-09-01..2019-08-31 only."""
    succeeded = (frozenset({EdgeKind.SUCCEEDED_BY}), frozenset())
    assert [_by_ids(level) for level in store.walk([g.S1], succeeded, 2, as_of=dt.date(2017, 1, 1)).links] == [
        {(g.S1, f"{g.S1}|SUCCEEDED_BY|{g.S2}")},
        set(),
    ]


def test_a_chain_answers_each_step_from_the_far_ends_of_the_steps_it_names(store: Store) -> None:
    """From KS4_FSM: the releases including it; where those were sent; then from the item itself and those
    recipients, the concept it represents and the onward shares."""
    steps = [
        Step(incoming=frozenset({EdgeKind.INCLUDES})),
        Step(outgoing=frozenset({EdgeKind.SENT_TO}), after=(1,)),
        Step(outgoing=frozenset({EdgeKind.REPRESENTS, EdgeKind.SHARES_ONWARD}), after=(0, 2)),
    ]
    found = store.chain([g.I2], steps)
    assert [{(hop.near, hop.edge.id, hop.node.id) for hop in hops} for hops in found] == [
        {(g.I2, f"{g.R1}|INCLUDES|{g.I2}", g.R1), (g.I2, f"{g.R2}|INCLUDES|{g.I2}", g.R2)},
        {(g.R1, f"{g.R1}|SENT_TO|{g.O1}", g.O1), (g.R2, f"{g.R2}|SENT_TO|{g.O2}", g.O2)},
        {
            (g.I2, f"{g.I2}|REPRESENTS|{g.K}", g.K),
            (g.O1, f"{g.O1}|SHARES_ONWARD|{g.O2}", g.O2),
            (g.O2, f"{g.O2}|SHARES_ONWARD|{g.O1}", g.O1),
            (g.O2, f"{g.O2}|SHARES_ONWARD|{g.O2}", g.O2),
        },
    ]
    sent = {hop.edge.id: hop for hop in found[1]}[f"{g.R1}|SENT_TO|{g.O1}"]
    assert sent.node.name == g.O1_NAME and sent.edge.validity == g.R1_DATES  # the records, not ids alone


def test_a_chain_on_a_date_and_from_nothing(store: Store) -> None:
    """On 2015-01-01 R1 no longer held: the chain goes on from R2 alone. A chain from no node finds nothing."""
    steps = [Step(incoming=frozenset({EdgeKind.INCLUDES})), Step(outgoing=frozenset({EdgeKind.SENT_TO}), after=(1,))]
    found = store.chain([g.I2], steps, as_of=dt.date(2015, 1, 1))
    assert [[hop.node.id for hop in hops] for hops in found] == [[g.R2], [g.O2]]
    assert store.chain(["School:0"], steps) == [[], []]


@pytest.mark.parametrize("after", [(1,), (), (0, 2)])
def test_a_chain_step_starts_from_earlier_steps_only(store: Store, after: tuple[int, ...]) -> None:
    steps = [Step(incoming=frozenset({EdgeKind.INCLUDES})), Step(outgoing=frozenset({EdgeKind.SENT_TO}), after=after)]
    if after == (1,):
        steps.reverse()
    with pytest.raises(QueryError, match="earlier steps"):
        store.chain([g.I2], steps)


def test_records_fetch_nodes_and_edges_at_once(store: Store) -> None:
    keys = [(g.R1, EdgeKind.INCLUDES, g.I1), (g.R1, EdgeKind.SENT_TO, g.O2)]
    nodes, edges = store.records([g.R1, g.O1, "School:0"], keys)
    assert nodes == store.get_nodes([g.R1, g.O1]) and set(nodes) == {g.R1, g.O1}
    assert edges == store.get_edges(keys) and set(edges) == {f"{g.R1}|INCLUDES|{g.I1}"}
    assert store.records([], []) == ({}, {})


def test_all_nodes_of_a_kind_by_id(store: Store) -> None:
    assert [n.id for n in store.all_nodes(NodeKind.ORGANISATION)] == sorted([g.O1, g.O2, g.O3])
    assert store.all_nodes(NodeKind.EVENT) == []


def test_node_kinds_filter_results_not_the_walk(store: Store) -> None:
    result = store.traverse(g.D2, max_depth=3, node_kinds={NodeKind.ORGANISATION})
    assert ids(result) == [g.O1, g.O2] and result.reached.total == 2


def test_depth_limit_is_exact(store: Store) -> None:
    assert ids(store.traverse(g.D2, max_depth=1)) == [g.I2]
    assert ids(store.traverse(g.D2, max_depth=2)) == DOWNSTREAM_OF_KS4[:5]


def test_a_cut_answer_says_so_and_gives_the_total(store: Store) -> None:
    page = store.traverse(g.D2, max_depth=3, limit=3, offset=2).reached
    assert [r.node.id for r in page.items] == [g.K, g.R1, g.R2]
    assert page.total == 8 and page.truncated
    counted = store.traverse(g.D2, max_depth=3, limit=0).reached
    assert counted.items == () and counted.total == 8 and counted.truncated


def test_both_directions(store: Store) -> None:
    assert ids(store.traverse(g.O3, Direction.BOTH)) == []
    result = store.traverse(g.A1, Direction.BOTH, max_depth=2)
    assert ids(result) == [g.R1, g.I2, g.I1, g.O1]  # ids in order: KS4 before SC_Pupil


def test_a_busy_node_is_walked_like_any_other_and_the_next_write_is_seen(store: Store) -> None:
    """A release including 120 items and sent to one body: a walk looks for one kind of edge among many
    (the embedded store groups a busy node's edges by kind on first use) and must see the next write."""
    busy = "Release:DS09999"
    items = [f"DataItem:KS4/KS4_X{i:03}" for i in range(120)]
    in_2016 = dt.date(2016, 1, 1), dt.date(2016, 12, 31)
    store.write(
        [g._node(busy, "DS09999", {"reference": "DS09999"}), *(g._node(i, i[11:], {"alias": i[11:]}) for i in items)],
        [
            *(g._edge(busy, EdgeKind.INCLUDES, i) for i in [*items, g.I2]),
            g._edge(busy, EdgeKind.SENT_TO, g.O3, Validity(*in_2016)),
        ],
    )
    organisations = {NodeKind.ORGANISATION}
    # all three at degree 3, so in id order: "nobody" first
    assert ids(store.traverse(g.D2, max_depth=3, node_kinds=organisations)) == [g.O3, g.O1, g.O2]
    assert ids(store.traverse(g.D2, max_depth=3, node_kinds=organisations, as_of=dt.date(2017, 1, 1))) == [g.O2]
    upstream = store.traverse(g.O3, Direction.UPSTREAM, max_depth=2, limit=0).reached
    assert upstream.total == 1 + 120 + 1  # the release, its items and KS4_FSM
    assert ids(store.traverse(busy, max_depth=1)) == [g.O3]
    store.write([], [g._edge(busy, EdgeKind.SENT_TO, g.O2)])
    assert ids(store.traverse(busy, max_depth=1)) == [g.O3, g.O2]


def test_unknown_start_is_not_an_empty_answer(store: Store) -> None:
    result = store.traverse("School:0")
    assert result.start is None and result.reached.total == 0
    assert store.traverse(g.O3).start is not None


@pytest.mark.parametrize("depth", [0, -1, MAX_DEPTH + 1])
def test_depth_out_of_bounds_is_refused(store: Store, depth: int) -> None:
    with pytest.raises(QueryError, match="depth"):
        store.traverse(g.D2, max_depth=depth)


# ---- paths ----------------------------------------------------------------------------------------


def test_paths_between_two_nodes_shortest_first(store: Store) -> None:
    result = store.paths(g.S1, g.O1, max_depth=6)
    assert result.paths.total == 5
    assert [len(p) for p in result.paths.items] == [5, 5, 6, 6, 6]
    first = result.paths.items[0]
    assert [e.id for e in first] == [
        f"{g.S1}|SUBMITS|{g.C}",
        f"{g.C}|FEEDS|{g.D2}",
        f"{g.D2}|HOLDS|{g.I2}",
        f"{g.R1}|INCLUDES|{g.I2}",
        f"{g.R1}|SENT_TO|{g.O1}",
    ]
    assert store.paths(g.S1, g.O1, max_depth=5).paths.total == 2
    assert store.paths(g.S1, g.O1, max_depth=4).paths.total == 0


def test_paths_carry_certainty_and_cut_with_a_total(store: Store) -> None:
    result = store.paths(g.S1, g.O1, max_depth=5, limit=1)
    assert len(result.paths.items) == 1 and result.paths.total == 2 and result.paths.truncated
    tier_path = store.paths(g.D1, g.O1, max_depth=3).paths.items[0]
    assert tier_path[1].certainty.level == "tier_level"


def test_paths_with_an_unknown_end(store: Store) -> None:
    result = store.paths(g.S1, "Organisation:ghost")
    assert result.source is not None and result.target is None and result.paths.total == 0


# ---- lookups by property and text search ------------------------------------------------------------


def test_find_nodes_by_a_model_property(store: Store) -> None:
    assert [n.id for n in store.find_nodes(NodeKind.DATA_ITEM, "alias", ["KS4_FSM", "nothing"])] == [g.I2]
    assert [n.id for n in store.find_nodes(NodeKind.SCHOOL, "urn", [9000003, 9000001])] == [g.S1, g.S3]
    assert store.find_nodes(NodeKind.SCHOOL, "urn", []) == []


def test_find_nodes_refuses_a_property_the_kind_does_not_have(store: Store) -> None:
    with pytest.raises(QueryError, match="no property"):
        store.find_nodes(NodeKind.SCHOOL, "alias} RETURN 1 //", ["x"])


@pytest.mark.parametrize(
    ("text", "kinds", "expected"),
    [
        ("ashgrove", None, [g.S1, g.S2, g.S3]),
        ("ASHGROVE ACADEMY", None, [g.S2]),
        ("研究", None, [g.O2]),
        ('"sons" `analytics`', None, [g.O1]),
        ("fsm", None, [g.I2, g.I1]),
        ("free school", None, [g.K]),
        ("fsm", [NodeKind.DATA_ITEM], [g.I2, g.I1]),
        ("DR130220", None, [g.R1, g.A1]),  # as close as each other: a release before its approval
        ("' OR 1=1 //", None, []),
        ("OTAUTAHI", None, [g.O2]),  # the accent on Ō is ignored
        ("o'brien", None, [g.O1]),  # so is the apostrophe, on both sides
        ("ks4-fsm", None, [g.I2]),  # punctuation and _ read as spaces
        # a URN in other scripts' digits: Arabic-Indic, extended (Persian), Devanagari, full-width
        ("\u0669\u0660\u0660\u0660\u0660\u0660\u0661", None, [g.S1]),
        ("\u06f9\u06f0\u06f0\u06f0\u06f0\u06f0\u06f2", None, [g.S2]),
        ("\u096f\u0966\u0966\u0966\u0966\u0966\u0969", None, [g.S3]),
        ("\uff19\uff10\uff10\uff10\uff10\uff10\uff11", None, [g.S1]),
    ],
)
def test_search_by_name_key_or_alias_ignoring_case(store: Store, text, kinds, expected) -> None:
    found = store.search(text, kinds)
    assert [n.id for n in found.items] == expected and found.total == len(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # D2's key is "KS4", a whole field; I2's alias holds "ks4" as a word: by id alone I2 would come first
        ("ks4", [g.D2, g.I2]),
        # whole words of both names: then by id
        ("census", [g.C, g.D1]),
        # part of a word only, of every school: then by id
        ("grove", [g.S1, g.S2, g.S3]),
    ],
)
def test_search_ranks_a_whole_field_then_whole_words_then_part_of_a_word(store: Store, text, expected) -> None:
    assert [n.id for n in store.search(text).items] == expected


def test_search_reads_every_scripts_digits_as_digits(empty_store: Store) -> None:
    """Digits are folded to ASCII on both sides: a year written in Arabic-Indic digits was found by those digits
    alone, never by "2013", and they found nothing written "2013" (NFKD folds full-width digits, but not another
    script's)."""
    arabic, devanagari, full_width = "\u0662\u0660\u0661\u0663", "\u0968\u0966\u0967\u0969", "\uff12\uff10\uff11\uff13"
    cite = Citation("A test source", "test.csv", 2, "https://example.org/source")
    written = Node(
        NodeKind.EVENT, "e1", f"\u0627\u0644\u0639\u0627\u0645 {arabic}", {}, frozenset({cite}), synthetic=True
    )
    empty_store.write([written], [])
    for text in ("2013", arabic, devanagari, full_width):
        assert [n.id for n in empty_store.search(text).items] == [written.id], text


def test_search_pages_and_refuses_empty_or_huge_text(store: Store) -> None:
    page = store.search("a", limit=2)
    assert len(page.items) == 2 and page.truncated and page.total > 2
    for text in ("  ", "x" * 201):
        with pytest.raises(QueryError):
            store.search(text)
