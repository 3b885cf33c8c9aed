"""The synthetic generator and its importer: labelled, deterministic, of the documented size and shape, and
never mixed with real data. Expected counts come from the formula in importers.synthetic_graph's docstring,
n(x) = max(1, round(x * scale)), worked out by hand for scale 0.01 (and 0.004 for the importer), not from the
generator's output."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest

from importers import BUILD_ORDER, REGISTRY
from importers.base import Batch
from importers.reading import BadInput
from importers.synthetic import SyntheticImporter, write_chunked
from importers.synthetic_graph import ORG_TYPE_WEIGHTS, generate
from lineage.errors import StoreError
from lineage.model import ORG_TYPES, CertaintyLevel, Citation, Edge, EdgeKind, Node, NodeKind
from lineage.store import Store, WriteResult
from lineage.stores.memory import MemoryStore

SCALE, SEED = 0.01, 7

# National counts x 0.01 (the docstring's table), and the kinds fixed whatever the scale.
NODES_AT_1PC = {
    "School": 500,
    "Collection": 12,
    "Dataset": 41,
    "DataItem": 150,
    "Concept": 35 + 4,  # concepts and the 4 categories
    "Classification": 4 + 5 + 5,
    "ReleaseRule": 2,
    "Release": 50,
    "Approval": 50,
    "Organisation": 20,
}
EXACT_EDGES_AT_1PC = {
    "SUCCEEDED_BY": 30,
    "FEEDS": 41,  # one per data set
    "HOLDS": 150,  # each item in one data set
    "CLASSIFIED_AS": 3 * 150,  # old tier, identifiability, sensitivity
    "REPRESENTS": 150,
    "BROADER": 35,
    "APPROVED_BY": 50,
    "SHARES_ONWARD": 10,
}
# At scale 0.004: 200 schools, 60 items, 14 concepts, 20 releases and approvals, 8 organisations.
NODES_AT_04PM = {
    **NODES_AT_1PC,
    "School": 200,
    "DataItem": 60,
    "Concept": 14 + 4,
    "Release": 20,
    "Approval": 20,
    "Organisation": 8,
}


@pytest.fixture(scope="module")
def batch() -> Batch:
    return generate(SCALE, SEED)


def by_id(batch: Batch) -> dict[str, Node]:
    return {node.id: node for node in batch.nodes}


def edges_of(batch: Batch, kind: EdgeKind) -> list[Edge]:
    return [edge for edge in batch.edges if edge.kind is kind]


def spec(tmp_path: Path, text: str, name: str = "spec.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- the generated batch ---------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_graph_and_another_seed_another(batch: Batch) -> None:
    again = generate(SCALE, SEED)
    assert again.nodes == batch.nodes and again.edges == batch.edges
    other = generate(SCALE, SEED + 1)
    assert other.nodes != batch.nodes and other.edges != batch.edges


def test_counts_follow_the_documented_formula(batch: Batch) -> None:
    assert Counter(node.kind.value for node in batch.nodes) == NODES_AT_1PC
    edges = Counter(edge.kind.value for edge in batch.edges)
    assert {kind: edges[kind] for kind in EXACT_EDGES_AT_1PC} == EXACT_EDGES_AT_1PC
    assert 50 <= edges["SENT_TO"] <= 100  # one recipient per release, two for about one in ten
    assert len({edge.id for edge in batch.edges}) == len(batch.edges)  # no edge generated twice


def test_every_node_is_synthetic_says_so_and_cites_the_generator(batch: Batch) -> None:
    cite = Citation(f"synthetic generator, seed {SEED}", f"generate(scale=0.01, seed={SEED})")
    assert all(node.synthetic and node.name.startswith("Synthetic ") for node in batch.nodes)
    assert {node.citations for node in batch.nodes} == {frozenset({cite})}
    assert {edge.citations for edge in batch.edges} == {frozenset({cite})}


def test_schools_submit_by_phase_and_only_while_open(batch: Batch) -> None:
    nodes = by_id(batch)
    schools = [node for node in batch.nodes if node.kind is NodeKind.SCHOOL]
    phases = Counter(school.props["phase"] for school in schools)
    for phase, share in (("primary", 0.74), ("secondary", 0.16), ("special", 0.05)):
        assert abs(phases[phase] / len(schools) - share) < 0.07, phase
    submits = edges_of(batch, EdgeKind.SUBMITS)
    # Collections per phase, from COLLECTIONS in the docstring's order: the census, exclusions and absence for
    # all; EYFSP, phonics, KS1, KS2 for primary; KS4, KS5 for secondary; the AP census for AP.
    most = {"primary": 7, "secondary": 5, "all-through": 9, "special": 8, "alternative provision": 4}
    per_school = Counter(edge.source for edge in submits)
    assert all(1 <= per_school[s.id] <= most[s.props["phase"]] for s in schools)
    # A school open through 2011-2025 submits all of its phase's; only closed ones may submit fewer.
    assert all(per_school[s.id] == most[s.props["phase"]] for s in schools if s.props["status"] == "open")
    assert sum(s.props["status"] == "closed" for s in schools) < 0.3 * len(schools)
    for edge in submits:
        school, collection = nodes[edge.source], nodes[edge.target]
        assert school.validity.valid_from <= edge.validity.valid_from <= edge.validity.valid_to
        assert school.validity.valid_to is None or edge.validity.valid_to <= school.validity.valid_to
        assert edge.validity.valid_from >= dt.date(collection.props["first_year"], 9, 1)
        assert edge.validity.valid_to <= dt.date(2025, 8, 31)
    ks4 = {edge.source for edge in submits if edge.target == "Collection:SYN-KS4"}
    assert {nodes[s].props["phase"] for s in ks4} <= {"secondary", "all-through", "special"}
    assert not [edge for edge in submits if edge.target in ("Collection:SYN-CIN", "Collection:SYN-CLA")]


def test_successors_open_the_day_after_their_predecessor_closes(batch: Batch) -> None:
    nodes = by_id(batch)
    for edge in edges_of(batch, EdgeKind.SUCCEEDED_BY):
        closed, opened = nodes[edge.source].props["close_date"], nodes[edge.target].props["open_date"]
        assert opened - closed == dt.timedelta(days=1)


def test_releases_before_may_2018_are_dmap_tier_approvals_and_later_dsap_item_lists(batch: Batch) -> None:
    nodes = by_id(batch)
    for edge in edges_of(batch, EdgeKind.APPROVED_BY):
        release, approval = nodes[edge.source], nodes[edge.target]
        dmap = release.props["date"] < dt.date(2018, 5, 1)
        assert approval.props["panel"] == ("DMAP" if dmap else "DSAP")
        assert ("tiers" in release.props) == dmap
    for edge in edges_of(batch, EdgeKind.INCLUDES):
        release, included = nodes[edge.source], nodes[edge.target]
        if included.kind is NodeKind.DATA_ITEM and "tiers" in release.props:
            assert edge.certainty.level is CertaintyLevel.TIER_LEVEL
            assert str(included.props["old_tier"]) in release.props["tiers"]
        else:
            assert edge.certainty.level is CertaintyLevel.CONFIRMED


def test_organisations_are_typed_with_the_models_types(batch: Batch) -> None:
    assert set(ORG_TYPE_WEIGHTS) == set(ORG_TYPES)  # a weight for each of the model's types, and no other
    types = [node.props["org_type"] for node in batch.nodes if node.kind is NodeKind.ORGANISATION]
    assert set(types) <= set(ORG_TYPES) and len(set(types)) >= 3


@pytest.mark.parametrize("scale", [0, -1, 10.5, float("nan")])
def test_a_scale_out_of_range_is_refused(scale: float) -> None:
    with pytest.raises(ValueError, match="scale"):
        generate(scale, SEED)


def test_chunked_writes_are_bounded_and_put_nodes_first(batch: Batch) -> None:
    sizes: list[tuple[int, int]] = []

    class Recording(MemoryStore):
        def write(self, nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> WriteResult:
            nodes, edges = list(nodes), list(edges)
            sizes.append((len(nodes), len(edges)))
            return super().write(nodes, edges)

    write_chunked(Recording(), batch, chunk=1000)
    node_writes = [min(1000, len(batch.nodes) - start) for start in range(0, len(batch.nodes), 1000)]
    assert [n for n, _ in sizes[: len(node_writes)]] == node_writes
    assert all(e == 0 for _, e in sizes[: len(node_writes)]) and all(n == 0 for n, _ in sizes[len(node_writes) :])
    assert sum(e for _, e in sizes) == len(batch.edges) and max(e for _, e in sizes) == 1000


# ---- on both stores -----------------------------------------------------------------------------------


def test_a_chunked_write_stores_the_whole_graph_once(empty_store: Store, batch: Batch) -> None:
    result = write_chunked(empty_store, batch, chunk=2000)
    assert (result.nodes_created, result.edges_created) == (len(batch.nodes), len(batch.edges))
    counts = empty_store.counts()
    assert counts.nodes == NODES_AT_1PC
    assert counts.edges == dict(Counter(edge.kind.value for edge in batch.edges))
    assert not empty_store.holds_synthetic(False)
    again = write_chunked(empty_store, batch, chunk=2000)
    assert (again.nodes_created, again.edges_created) == (0, 0) and empty_store.counts() == counts


def test_the_importer_generates_from_a_spec_and_is_idempotent(empty_store: Store, tmp_path: Path) -> None:
    path = spec(tmp_path, "scale,seed\n0.004,11\n")
    report = SyntheticImporter().run(empty_store, path)
    counts = empty_store.counts()
    assert counts.nodes == {**NODES_AT_04PM, "ImportRun": 1}
    assert report.nodes_created == sum(NODES_AT_04PM.values())  # the ImportRun is the run's own, not the graph's
    run = empty_store.list_nodes(NodeKind.IMPORT_RUN).items[0]
    assert run.synthetic and "synthetic" in run.name.lower()
    school = empty_store.get_node("School:9000000")
    assert school.synthetic and school.citations == {Citation("synthetic generator, seed 11", "spec.csv", 2)}
    again = SyntheticImporter().run(empty_store, path)
    assert (again.nodes_created, again.edges_created) == (0, 0) and empty_store.counts() == counts


def test_a_store_holding_real_data_refuses_synthetic_data(empty_store: Store, tmp_path: Path) -> None:
    real = Node(NodeKind.ORGANISATION, "home office", "Home Office", citations=frozenset({Citation("doc", "f.csv", 2)}))
    empty_store.write([real])
    with pytest.raises(StoreError, match="already holds real"):
        SyntheticImporter().run(empty_store, spec(tmp_path, "scale,seed\n0.004,11\n"))
    with pytest.raises(StoreError, match="already holds real"):
        write_chunked(empty_store, generate(0.004, 11))
    assert empty_store.counts().nodes == {"Organisation": 1}


def test_a_store_holding_synthetic_data_refuses_real_data(empty_store: Store) -> None:
    write_chunked(empty_store, generate(0.001, 3))
    before = empty_store.counts()
    real = Node(NodeKind.ORGANISATION, "home office", "Home Office", citations=frozenset({Citation("doc", "f.csv", 2)}))
    with pytest.raises(StoreError, match="already holds synthetic"):
        empty_store.write([real])
    assert empty_store.counts() == before


@pytest.mark.parametrize(
    ("text", "row", "column"),
    [
        ("", 1, None),  # empty: no header row
        ("scale,seeds\n1,7\n", 1, None),  # renamed column
        ("scale,seed\nbig,7\n", 2, "scale"),
        ("scale,seed\n1_0,7\n", 2, "scale"),  # float() read it as 10
        ("scale,seed\n0,7\n", 2, "scale"),
        ("scale,seed\n11,7\n", 2, "scale"),
        ("scale,seed\n0.01,\n", 2, "seed"),
        ("scale,seed\n0.01,seven\n", 2, "seed"),
        ("scale,seed\n0.01,7\n0.02,8\n", 3, None),  # two rows: the second is one too many
        ("scale,seed\n", 2, None),  # no row
        ("scale,seed\n0.01\n", 2, "seed"),  # truncated row: the seed is missing
    ],
)
def test_a_bad_spec_is_refused_and_writes_nothing(
    empty_store: Store, tmp_path: Path, text: str, row: int | None, column: str | None
) -> None:
    with pytest.raises(BadInput) as refused:
        SyntheticImporter().run(empty_store, spec(tmp_path, text))
    assert (refused.value.row, refused.value.column) == (row, column)
    assert "spec.csv" in str(refused.value)
    assert empty_store.counts().total_nodes == 0


def test_it_is_registered_but_never_part_of_the_real_build() -> None:
    assert REGISTRY["synthetic"] is SyntheticImporter
    assert SyntheticImporter.bundled is None and "synthetic" not in BUILD_ORDER


@pytest.mark.slow
def test_national_scale_has_the_documented_size() -> None:
    national = generate(1.0, SEED)
    assert Counter(node.kind.value for node in national.nodes) == {
        "School": 50_000, "Collection": 12, "Dataset": 41, "DataItem": 15_000, "Concept": 3_504,
        "Classification": 14, "ReleaseRule": 2, "Release": 5_000, "Approval": 5_000, "Organisation": 2_000,
    }  # fmt: skip
    assert 500_000 <= len(national.edges) <= 580_000  # "about 540k" in the docstring
