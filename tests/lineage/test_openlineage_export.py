"""``lineage export --format openlineage``: every event rebuilt with openlineage-python's own classes (each field
passed by name, so a wrong name, type, run id or time fails) and serialised back by its Serde to the same JSON; a
release's items as column lineage, the accesses and onward shares of the rows after 2018, on both stores. Expected
values come from the fixture drawing (tests/fixture_graph.py) and the CSV rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import attr
import pytest
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import (
    column_lineage_dataset,
    documentation_job,
    job_type_job,
    nominal_time_run,
    schema_dataset,
)
from openlineage.client.generated.base import RunFacet
from openlineage.client.serde import Serde

from importers.onward import OnwardFlowsImporter
from lineage.cli import main
from lineage.exports import export
from lineage.exports.openlineage import SCHEMAS
from lineage.model import EdgeKind
from lineage.resources import DATA_DIR
from lineage.store import Store
from lineage.stores.memory import MemoryStore
from tests import fixture_graph as g
from tests.sources import disputed_rows

FLOWS = DATA_DIR / "npd_flows_2018_onward.csv"


@attr.define
class PupilDataLineageRunFacet(RunFacet):
    """The export's own run facet, declared as openlineage-python declares custom facets."""

    certainty: str
    rule: str
    route: str
    dated: bool
    included: dict[str, dict[str, str]]
    citations: list[dict[str, Any]]
    date_is: str | None = None
    dated_by: str | None = None
    left_out: list[dict[str, Any]] | None = None
    what_went: str | None = None
    matched_on: str | None = None
    dataset_as_written: str | None = None
    notes: str | None = None

    @staticmethod
    def _get_schema() -> str:
        return SCHEMAS["pupilDataLineage"]


def _facet(cls: type, given: dict[str, Any], **built: Any) -> Any:
    given = dict(given)
    producer, schema = given.pop("_producer"), given.pop("_schemaURL")
    facet = cls(**{**given, **built}, producer=producer)
    assert facet._schemaURL == schema, (cls, schema)  # the same version of the facet's schema
    return facet


def _schema(fields: dict[str, Any]) -> Any:
    columns = [schema_dataset.SchemaDatasetFacetFields(**field) for field in fields["fields"]]
    return _facet(schema_dataset.SchemaDatasetFacet, fields, fields=columns)


def _lineage(fields: dict[str, Any]) -> Any:
    lineage = {
        name: column_lineage_dataset.Fields(
            inputFields=[column_lineage_dataset.InputField(**f) for f in column["inputFields"]]
        )
        for name, column in fields["fields"].items()
    }
    return _facet(column_lineage_dataset.ColumnLineageDatasetFacet, fields, fields=lineage)


DATASET_FACETS = {"schema": _schema, "columnLineage": _lineage}


def _dataset(cls: type, dataset: dict[str, Any]) -> Any:
    facets = {name: DATASET_FACETS[name](fields) for name, fields in dataset["facets"].items()}
    return cls(namespace=dataset["namespace"], name=dataset["name"], facets=facets)


def rebuilt(event: dict[str, Any]) -> RunEvent:
    """The event made again with openlineage-python's classes, field by field; unknown fields fail."""
    assert set(event) == {"eventType", "eventTime", "producer", "schemaURL", "run", "job", "inputs", "outputs"}
    run_facets = {
        name: _facet(
            {"pupilDataLineage": PupilDataLineageRunFacet, "nominalTime": nominal_time_run.NominalTimeRunFacet}[name],
            fields,
        )
        for name, fields in event["run"]["facets"].items()
    }
    job_facets = {
        "documentation": _facet(documentation_job.DocumentationJobFacet, event["job"]["facets"]["documentation"]),
        "jobType": _facet(job_type_job.JobTypeJobFacet, event["job"]["facets"]["jobType"]),
    }
    made = RunEvent(
        eventType=RunState(event["eventType"]),
        eventTime=event["eventTime"],
        producer=event["producer"],
        run=Run(runId=event["run"]["runId"], facets=run_facets),
        job=Job(namespace=event["job"]["namespace"], name=event["job"]["name"], facets=job_facets),
        inputs=[_dataset(InputDataset, d) for d in event["inputs"]],
        outputs=[_dataset(OutputDataset, d) for d in event["outputs"]],
    )
    assert made.schemaURL == event["schemaURL"]
    return made


def within(mine: Any, theirs: Any) -> bool:
    """Whether every field of ``mine`` is in ``theirs`` with the same value (their classes add empty defaults)."""
    if isinstance(mine, dict):
        return isinstance(theirs, dict) and all(k in theirs and within(v, theirs[k]) for k, v in mine.items())
    if isinstance(mine, list):
        return isinstance(theirs, list) and len(mine) == len(theirs) and all(map(within, mine, theirs))
    return bool(mine == theirs)


def exported(store: Store, path: Path) -> list[dict[str, Any]]:
    export(store, "openlineage", path)
    lines = path.read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    for event in events:
        assert within(event, Serde.to_dict(rebuilt(event))), event["job"]["name"]
    return events


def test_a_release_is_a_job_with_its_items_as_column_lineage(empty_store: Store, tmp_path: Path) -> None:
    empty_store.write(g.NODES, g.EDGES)
    events = exported(empty_store, tmp_path / "events.jsonl")
    jobs = {e["job"]["facets"]["jobType"]["jobType"] for e in events}
    assert jobs == {"RELEASE", "ONWARD_SHARE"}  # the fixture draws releases and onward shares, no access
    r1 = next(e for e in events if e["job"]["name"] == f"release:{g.R1.partition(':')[2]}->{g.O1.partition(':')[2]}")
    # R1 includes I1 (tier level) and I2 (named): both are columns of the recipient's copy, from their data set
    (output,) = r1["outputs"]
    columns = output["facets"]["columnLineage"]["fields"]
    items = {g.I1.partition(":")[2], g.I2.partition(":")[2]}
    assert {f"{field['name']}/{name}" for name, c in columns.items() for field in c["inputFields"]} == items
    assert r1["run"]["facets"]["nominalTime"]["nominalStartTime"].startswith("2013-02-20")
    assert r1["run"]["facets"]["pupilDataLineage"]["certainty"] == "confirmed"
    # the sending is confirmed, but I1 is a column by the tier rule alone: the event says so, column by column
    included = r1["run"]["facets"]["pupilDataLineage"]["included"]
    assert included == {
        g.I1.partition(":")[2]: {"certainty": "tier_level", "rule": "tier-level"},
        g.I2.partition(":")[2]: {"certainty": "confirmed", "rule": ""},
    }


def test_the_accesses_and_onward_shares_after_2018_are_events_citing_their_rows(
    empty_store: Store, tmp_path: Path
) -> None:
    OnwardFlowsImporter().run(empty_store, FLOWS)
    with FLOWS.open(encoding="utf-8", newline="") as handle:
        rows = {n: r for n, r in enumerate(csv.DictReader(handle), start=2)}
    events = exported(empty_store, tmp_path / "events.jsonl")
    by_type: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        by_type.setdefault(event["job"]["facets"]["jobType"]["jobType"], []).append(event)
    assert len(by_type["ONWARD_SHARE"]) == sum(r["kind"] == "onward_share" for r in rows.values())
    accesses = [r for r in rows.values() if r["kind"] == "access_granted"]
    assert len(by_type["ACCESS"]) == len(accesses)
    (lrs,) = [e for e in by_type["ACCESS"] if e["inputs"][0]["name"] == "Learning Records Service (LRS)"]
    facet = lrs["run"]["facets"]["pupilDataLineage"]
    (row,) = [r for r in accesses if "LRS" in r["dataset_as_written"]]
    assert facet["route"] == "live search" and facet["certainty"] == "reported"
    assert row["source_url"] in {c["address"] for c in facet["citations"]}
    assert lrs["run"]["facets"]["nominalTime"]["nominalEndTime"].startswith("2020-01-31")
    undated = [e for e in by_type["ONWARD_SHARE"] if not e["run"]["facets"]["pupilDataLineage"]["dated"]]
    assert len(undated) == 2 and all("nominalTime" not in e["run"]["facets"] for e in undated)  # no date invented
    # the Home Office's matching is dated by the written answer that describes it, not by its own first day: the
    # facet says so, as the CSV does (date_readings.csv), where it said the answer's day as the access's
    with (DATA_DIR / "date_readings.csv").open(encoding="utf-8", newline="") as handle:
        readings = {int(r["row"]): r for r in csv.DictReader(handle) if r["file"] == FLOWS.name}
    (home_office,) = [e for e in by_type["ACCESS"] if e["outputs"][0]["namespace"].endswith("home office")]
    facet = home_office["run"]["facets"]["pupilDataLineage"]
    (row,) = [n for n, r in rows.items() if r["kind"] == "access_granted" and "Home Office" in r["to_organisation"]]
    assert facet["date_is"] == readings[row]["date_is"] and "date_readings.csv" in facet["dated_by"]
    assert "date_is" not in lrs["run"]["facets"]["pupilDataLineage"]


@pytest.mark.parametrize(
    ("node", "said"),
    [
        # D2's neighbours are its collection and its item: its releases lie two hops away, their recipients three
        (g.D2, "0 OpenLineage events, one per release"),
        (g.R1, "1 OpenLineage event, one per release"),  # R1 SENT_TO O1
        (None, "5 OpenLineage events, one per release"),  # two releases sent, three onward shares
    ],
)
def test_the_command_says_how_many_events_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], node: str | None, said: str
) -> None:
    """It once said a data set's lineage was written, 1235 nodes and 1234 edges, over an empty file."""
    store = MemoryStore()
    store.write(g.NODES, g.EDGES)
    store.save(tmp_path / "graph.snapshot")
    out = tmp_path / "events.jsonl"
    lineage = ["--node", node, "--depth", "1"] if node else []
    assert main(["export", "--format", "openlineage", "--output", str(out), *lineage,
                 "--store", f"memory:{tmp_path / 'graph.snapshot'}"]) == 0  # fmt: skip
    assert capsys.readouterr().out.startswith(f"lineage: wrote {out}: {said}")
    assert len(out.read_text(encoding="utf-8").splitlines()) == int(said.split()[0])


@pytest.mark.parametrize("broken", ["runId", "eventTime"])
def test_the_classes_refuse_what_the_spec_refuses(broken: str) -> None:
    """The check has teeth: a run id that is no UUID, or a time that is no time, is refused by the classes."""
    event = {
        "eventType": "COMPLETE",
        "eventTime": "2020-01-01T00:00:00+00:00",
        "producer": "urn:pupil-data-lineage:export",
        "schemaURL": SCHEMAS["event"],
        "run": {"runId": "1517753d-f12f-5f74-bea6-a4f1f21f87e4", "facets": {}},
        "job": {"namespace": "n", "name": "j", "facets": {}},
        "inputs": [],
        "outputs": [],
    }
    if broken == "runId":
        event["run"] = {"runId": "not a uuid", "facets": {}}
    else:
        event["eventTime"] = "last year"
    with pytest.raises((ValueError, KeyError)):
        RunEvent(
            eventType=RunState.COMPLETE,
            eventTime=str(event["eventTime"]),
            producer=str(event["producer"]),
            run=Run(runId=event["run"]["runId"]),  # type: ignore[index]
            job=Job(namespace="n", name="j"),
        )


def test_no_release_lists_as_a_column_an_item_a_statement_excludes(memory_real: MemoryStore) -> None:
    """DfE's written answer says the Telegraph's 2013 release held no names (npd_release_scope_statements.csv,
    row 10: "It did not contain key identifiers of name, address, ..."). The tier rule's inclusions of the name
    items had been kept as columns: the export let every inclusion naming no rule outrank the exclusion, and the
    tier rule names none."""
    from lineage.exports.openlineage import events
    from lineage.exports.subgraph import collect

    with open(DATA_DIR / "npd_release_scope_statements.csv", newline="", encoding="utf-8") as handle:
        (said,) = [r for n, r in enumerate(csv.DictReader(handle), start=2) if n == 10]
    assert said["statement"] == "not_released" and "name" in said["data_item_as_written"]
    (telegraph,) = [
        e
        for e in events(collect(memory_real))
        if e["job"]["name"].startswith("release:") and "telegraph" in e["job"]["name"]
    ]
    included = telegraph["run"]["facets"]["pupilDataLineage"]["included"]
    assert included  # the rule's other items are still there, at tier level
    names = [column for column in included if column.rpartition("/")[2].upper().startswith(("SURNAME", "FORENAME"))]
    assert names == [], names


def test_no_access_or_onward_share_but_an_extract_gives_its_recipient_a_copy_of_the_records(
    empty_store: Store, tmp_path: Path
) -> None:
    """Rows 2, 4, 5 and 14 of npd_flows_2018_onward.csv are no extract: Trustopia searched the LRS (row 2's notes:
    "not a list of items Trustopia retrieved"), passed on "an age-verification service built on LRS data, not ...
    raw records" (row 4), which GB Group, who "strenuously denied" it, offered on (row 5), and DfE returns the Home
    Office "information relating to those individuals" it matches (row 14). Each had been written as the
    recipient's copy of the LRS database or of the NPD, with none of the row's words: every event now names what
    went or the route, and carries the route (flow_readings.csv), what went, what was matched on and the notes."""
    OnwardFlowsImporter().run(empty_store, FLOWS)
    with FLOWS.open(encoding="utf-8", newline="") as handle:
        rows = {n: r for n, r in enumerate(csv.DictReader(handle), start=2)}
    with (DATA_DIR / "flow_readings.csv").open(encoding="utf-8", newline="") as handle:
        readings = {int(r["row"]): r for r in csv.DictReader(handle) if r["file"] == FLOWS.name}
    flows = {
        n: readings[n] for n, r in rows.items() if r["kind"] in ("access_granted", "onward_share") and n in readings
    }
    assert {n: r["route"] for n, r in flows.items()} == {
        2: "live search",
        4: "service built on the data",
        5: "service built on the data",
        14: "match and return",
    }
    # the words by which the README names each route (After 2018): "live search (searches of a live system ...)"
    words = {"live search": "searches of", "service built on the data": "service built on the data"}
    events = exported(empty_store, tmp_path / "events.jsonl")
    for number, reading in flows.items():
        row = rows[number]
        (event,) = [
            e
            for e in events
            if (FLOWS.name, number)
            in {(c["file"], c["row"]) for c in e["run"]["facets"]["pupilDataLineage"]["citations"]}
        ]
        facet = event["run"]["facets"]["pupilDataLineage"]
        systems = {row["dataset_as_written"], reading["records"]} - {""}
        held = [
            d for d in event["inputs"] + event["outputs"] if d["namespace"].startswith("pupil-data-lineage:recipient:")
        ]
        assert held and all(d["name"] not in systems for d in held), (number, held)  # no one holds a copy of the system
        (output,) = event["outputs"]
        assert words.get(reading["route"], reading["route"]) in output["name"], (number, output["name"])
        assert facet["route"] == reading["route"] and facet["notes"] == row["notes"], number
        assert facet["dataset_as_written"] == row["dataset_as_written"], number
        if reading["route"] == "match and return":  # what the Home Office sends to match on, not what it gets
            assert facet["matched_on"] == row["items_as_written"]
        if row["kind"] == "onward_share":  # the service, not the records
            assert "service built on the data" in facet["what_went"]


def test_a_flow_whose_source_states_no_route_says_it_is_not_stated_not_that_there_was_none(
    empty_store: Store, tmp_path: Path
) -> None:
    """The twelfth reading: DfE's access for a police force (npd_flows_2018_onward.csv row 13, no reading in
    flow_readings.csv) went out as "pupils' personal data (the source gives no route)", which reads as the source
    saying there was no route; the row's quote says the data "was provided", and its notes that DfE's answer is not
    in the page as read. The output says what its source leaves out: the route is not stated there."""
    with FLOWS.open(encoding="utf-8", newline="") as handle:
        row = list(csv.DictReader(handle))[13 - 2]
    with (DATA_DIR / "flow_readings.csv").open(encoding="utf-8", newline="") as handle:
        assert (FLOWS.name, "13") not in {(r["file"], r["row"]) for r in csv.DictReader(handle)}
    assert "was provided" in row["quote"] and "not in the page as read" in row["notes"]
    OnwardFlowsImporter().run(empty_store, FLOWS)
    (event,) = [
        e
        for e in exported(empty_store, tmp_path / "events.jsonl")
        if (FLOWS.name, 13) in {(c["file"], c["row"]) for c in e["run"]["facets"]["pupilDataLineage"]["citations"]}
    ]
    (output,) = event["outputs"]
    assert output["name"] == f"{row['dataset_as_written']} (route not stated in its source)"
    assert event["run"]["facets"]["pupilDataLineage"]["route"] == ""


def test_only_an_extract_is_named_as_the_recipients_copy_of_the_records() -> None:
    """The one route by which the records themselves go (README, After 2018): an extract's output is the records."""
    from lineage.model import Edge
    from lineage.questions.onward import what_went

    def went(route: str) -> str:
        edge = Edge("RecordSet:NPD", EdgeKind.ACCESSED_BY, "Organisation:x", props={"route": route} if route else {})
        return what_went(edge, "NPD")

    assert went("extract") == "NPD"
    assert all(
        went(route) != "NPD" and "NPD" in went(route) for route in ("linkage", "secure access through the ONS", "")
    )


def test_a_release_says_what_a_statement_left_out_and_which_statement(memory_real: MemoryStore) -> None:
    """DfE's written answers say the Telegraph's 2013 release and BBC Newsnight's 2014 one held no names
    (npd_release_scope_statements.csv rows 10 and 16: "key identifiers of name, address, ..."). The release events
    had dropped the tier rule's inclusions of those items without a word, where PROV says it left them out
    (lineage:left_out): each is now in the facet's left_out with the statements that outrank it, and every
    inclusion of the release is either a column or left out."""
    from lineage.exports.openlineage import events
    from lineage.exports.subgraph import collect

    with open(DATA_DIR / "npd_release_scope_statements.csv", newline="", encoding="utf-8") as handle:
        rows = {n: r for n, r in enumerate(csv.DictReader(handle), start=2)}
    subgraph = collect(memory_real)
    nodes = {node.id: node for node in subgraph.nodes}
    found = events(subgraph)
    for number, name in ((10, "telegraph"), (16, "bbc")):
        said = rows[number]
        assert said["statement"] == "not_released" and "name" in said["data_item_as_written"]
        (event,) = [e for e in found if e["job"]["name"].startswith("release:") and name in e["job"]["name"]]
        facet = event["run"]["facets"]["pupilDataLineage"]
        release = f"Release:{event['job']['name'].removeprefix('release:').rpartition('->')[0]}"
        stating = {
            node.id
            for node in subgraph.nodes
            if any((c.file, c.row) == ("npd_release_scope_statements.csv", number) for c in node.citations)
            and node.id.startswith("Statement:")
        }
        assert stating, number
        outranked = {record["item"]: record["outranked_by"] for record in facet["left_out"] if "outranked_by" in record}
        names = {
            item
            for item in outranked
            if item.startswith("DataItem:") and item.rpartition("/")[2].upper().startswith(("SURNAME", "FORENAME"))
        }
        assert names, number  # the names are said to be left out ...
        assert all(stating & set(outranked[item]) for item in names), number  # ... by the row's statement
        includes = {e.target for e in subgraph.edges if e.kind is EdgeKind.INCLUDES and e.source == release}
        columns = set(facet["included"])
        assert {nodes[t].key for t in includes} == columns | {nodes[t].key for t in outranked}, number  # none dropped
        assert not columns & {nodes[t].key for t in outranked}, number


def test_what_a_contested_statement_left_out_says_it_is_contested(memory_real: MemoryStore) -> None:
    """DfE's written answer that the Telegraph's 2013 release held no key identifiers (npd_release_scope_statements.csv
    row 10) is disputed by a requester's account of DfE's FOI answer that identifying items were matched (row 9:
    data/conflicts.csv): the event said the names were left out by it with no word of the dispute, where the letter
    and the reports quote both sides. BBC Newsnight's (row 16), which no cited source disputes, says none."""
    from lineage.exports.openlineage import events
    from lineage.exports.subgraph import collect

    disputed = disputed_rows("npd_release_scope_statements.csv")
    assert 10 in disputed and 16 not in disputed
    with open(DATA_DIR / "npd_register_entries_cited_in_foi.csv", newline="", encoding="utf-8") as handle:
        register = list(csv.DictReader(handle))
    for register_row, statement_row in ((3, 10), (10, 16)):
        entry = register[register_row - 2]
        assert entry["organisation"] in ("Daily Telegraph", "BBC Newsnight")
        name = entry["organisation"].lower().replace(" ", "-")
        release = f"Release:npd-third-party-requests-pre-dsap/{entry['date_as_cited']}/{name}"
        subgraph = collect(memory_real, release, 1)
        (stating,) = [
            node.id
            for node in subgraph.nodes
            if node.id.startswith("Statement:")
            and "not_released/key-identifiers" in node.id
            and any((c.file, c.row) == ("npd_release_scope_statements.csv", statement_row) for c in node.citations)
        ]
        (event,) = [e for e in events(subgraph) if e["job"]["name"].startswith(f"release:{release[8:]}->")]
        left_out = event["run"]["facets"]["pupilDataLineage"]["left_out"]
        by_it = [r for r in left_out if stating in r.get("outranked_by", ()) or r.get("excluded_by") == stating]
        assert by_it, statement_row
        expected = [stating] if statement_row in disputed else []
        assert all([s for s in r["contested"] if s == stating] == expected for r in by_it), statement_row
