"""OpenLineage events (newline-delimited JSON, one RunEvent a line), for DataHub, Marquez or OpenMetadata.

Each flow of the graph is one completed run of a job: a release (``SENT_TO``) with the NPD data sets it includes
as inputs and their items as the columns of the recipient's copy (column lineage), an access to a record set
(``ACCESSED_BY``: the LRS, the NPD by match and return) and an onward share (``SHARES_ONWARD``). Only an extract
(a release is one) outputs the recipient's copy of the records; an access or onward share by any other route
outputs what the source says went (``what_went``: "a service built on the data of ...") or the route ("searches
of ...", "match and return against ..."), and one whose source states no route says it is not stated: no recipient
is said to hold a copy of a system it searched, matched against or got a service built on. An item a source's
statement excludes from a release is never written as one of its columns unless DfE's own word names it in the release
(lineage.model.gives_way_to_exclusion: the tier rule's inclusion gives way, as every rule's does).
Every event carries the flow's certainty, route and citations in a facet of its own (``pupilDataLineage``), with
how sure each included item or data set is (``included``: a column the tier rule gives is at tier level, whatever
the sending's certainty) and, for a release, what a statement says it left out (``left_out``: the records PROV's
``lineage:left_out`` holds, naming the statements); for an access or onward share, what went, what was matched
on, the records in the source's words and the row's notes (``what_went``, ``matched_on``, ``dataset_as_written``,
``notes``, where the row gives them). Its period is the nominal time where the record dates it, and it is timed by
the flow's first day, or, undated, by the export's time (the facet says which). Written with the standard library
alone; the tests check every event with openlineage-python's own classes.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from typing import IO, Any

from lineage.exports.formats import register
from lineage.exports.left_out import left_out as said_left_out
from lineage.exports.subgraph import Subgraph
from lineage.model import EDGE_SPECS, Edge, EdgeKind, Node, NodeKind, ordered_citations, rule_of
from lineage.questions.onward import as_written, what_went

_E = EdgeKind
PRODUCER = "urn:pupil-data-lineage:export"
SPEC = "https://openlineage.io/spec"
SCHEMAS = {
    "event": f"{SPEC}/2-0-2/OpenLineage.json#/$defs/RunEvent",
    "documentation": f"{SPEC}/facets/1-1-0/DocumentationJobFacet.json#/$defs/DocumentationJobFacet",
    "jobType": f"{SPEC}/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet",
    "schema": f"{SPEC}/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet",
    "columnLineage": f"{SPEC}/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet",
    "nominalTime": f"{SPEC}/facets/1-0-1/NominalTimeRunFacet.json#/$defs/NominalTimeRunFacet",
    "pupilDataLineage": "urn:pupil-data-lineage:facets:PupilDataLineageRunFacet",
}
JOBS = "pupil-data-lineage"
NPD = "pupil-data-lineage:npd"
RECORDS = "pupil-data-lineage:records"
#: The job type of each kind of flow.
JOB_TYPES = {_E.SENT_TO: "RELEASE", _E.ACCESSED_BY: "ACCESS", _E.SHARES_ONWARD: "ONWARD_SHARE"}


def recipient(organisation: Node) -> str:
    """The namespace of what an organisation holds."""
    return f"pupil-data-lineage:recipient:{organisation.key}"


def _facet(name: str, **fields: Any) -> dict[str, Any]:
    return {"_producer": PRODUCER, "_schemaURL": SCHEMAS[name], **fields}


def _dataset(namespace: str, name: str, columns: list[str] | None = None) -> dict[str, Any]:
    facets = {} if not columns else {"schema": _facet("schema", fields=[{"name": c} for c in columns])}
    return {"namespace": namespace, "name": name, "facets": facets}


def _time(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(), dt.UTC).isoformat()


def flows(subgraph: Subgraph) -> list[Edge]:
    """The releases, accesses and onward shares with both ends in the subgraph, in the order of its edges: one
    event each. A node's lineage may hold none: a data set's releases lie two hops from it, their recipients three."""
    held = {node.id for node in subgraph.nodes}
    return [edge for edge in subgraph.edges if edge.kind in JOB_TYPES and {edge.source, edge.target} <= held]


def events(subgraph: Subgraph, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """One RunEvent per release, access and onward share of the subgraph (:func:`flows`)."""
    nodes = {node.id: node for node in subgraph.nodes}
    inclusions: dict[str, dict[str, Edge]] = defaultdict(dict)  # release -> item or data set -> the INCLUDES link
    for edge in subgraph.edges:
        if edge.kind is _E.INCLUDES and edge.target in nodes:
            inclusions[edge.source][edge.target] = edge
    outranked = subgraph.outranked_links()
    left_out = said_left_out(subgraph, outranked)  # as PROV's sharing says it: the same records
    found = []
    for edge in flows(subgraph):
        source, target = nodes[edge.source], nodes[edge.target]
        said: dict[str, Any]
        if edge.kind is _E.SENT_TO:
            used = [link for part, link in inclusions[source.id].items() if link.id not in outranked]
            inputs, output = _release(source, target, [nodes[link.target] for link in used])
            # each item's or data set's own certainty: the tier rule's are not the release's; and what a statement
            # says the release left out, which is no column, with the statements that say so
            said = {
                "included": {nodes[link.target].key: _sureness(link) for link in used},
                "left_out": left_out.get(source.id, []),
            }
        else:
            inputs, output = _access(edge, source, target)
            said = {"included": {}, **{name: as_written(edge, name) for name in _WENT if edge.props.get(name)}}
        found.append(_event(edge, source, target, inputs, output, now or dt.datetime.now(dt.UTC), said))
    return found


#: A flow's properties that say what went, in the source's words, and the compiler's notes on the row.
_WENT = ("what_went", "matched_on", "dataset_as_written", "notes")


def _access(edge: Edge, source: Node, target: Node) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """What an access or onward share drew on and what its recipient got (:func:`what_went`). The input is the
    record set itself, or what the sender had: the records the source names, or, by a route that is no extract,
    what went on (Trustopia's service built on the LRS's data, not a copy of the LRS)."""
    if source.kind is NodeKind.RECORD_SET:
        records = source.key
        drawn_on = _dataset(RECORDS, records)
    else:
        records = as_written(edge, "dataset_as_written") or "records"
        drawn_on = _dataset(recipient(source), what_went(edge, records) if edge.props.get("route") else records)
    return [drawn_on], _dataset(recipient(target), what_went(edge, records))


def _sureness(link: Edge) -> dict[str, str]:
    """How sure an inclusion is, as the claims ledger names it (the tier rule by ``tier-level``)."""
    return {"certainty": link.certainty.level.value, "rule": rule_of(link.certainty) or ""}


def _release(release: Node, organisation: Node, used: list[Node]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The NPD data sets a release includes (its items as their columns), and the recipient's copy whose columns
    come from them."""
    columns: dict[str, list[str]] = defaultdict(list)
    for node in used:
        if node.kind is NodeKind.DATA_ITEM:
            dataset, _, alias = node.key.partition("/")
            columns[dataset].append(alias)
        else:
            columns.setdefault(node.key, [])
    inputs = [_dataset(NPD, name, sorted(columns[name])) for name in sorted(columns)]
    output = _dataset(recipient(organisation), release.key, sorted({a for c in columns.values() for a in c}))
    lineage = {
        alias: {"inputFields": [{"namespace": NPD, "name": name, "field": alias}]}
        for name in sorted(columns)
        for alias in sorted(columns[name])
    }
    if lineage:
        output["facets"]["columnLineage"] = _facet("columnLineage", fields=lineage)
    return inputs, output


def _event(
    edge: Edge,
    source: Node,
    target: Node,
    inputs: list[dict[str, Any]],
    output: dict[str, Any],
    now: dt.datetime,
    said: dict[str, Any],
) -> dict[str, Any]:
    first = edge.validity.valid_from or _date(source)
    last = edge.validity.valid_to or (first if edge.validity.valid_from is None else None)
    run_facets: dict[str, Any] = {
        "pupilDataLineage": _facet(
            "pupilDataLineage",
            certainty=edge.certainty.level.value,
            rule=rule_of(edge.certainty) or "",
            route=str(edge.props.get("route", "")),
            dated=first is not None,
            # where the date is not the flow's own day (a written answer's that describes it), as the CSV says it
            **{name: str(edge.props[name]) for name in ("date_is", "dated_by") if edge.props.get(name)},
            **said,
            citations=[
                {"document": c.document, "file": c.file, "row": c.row, "address": c.address}
                for c in ordered_citations(edge.citations)
            ],
        )
    }
    if first is not None:
        nominal = {"nominalStartTime": _time(first)} | ({"nominalEndTime": _time(last)} if last else {})
        run_facets["nominalTime"] = _facet("nominalTime", **nominal)
    sentence = f"{source.name} {EDGE_SPECS[edge.kind].sentence} {target.name}"
    job = {
        "namespace": JOBS,
        "name": f"{JOB_TYPES[edge.kind].lower()}:{source.key}->{target.key}",
        "facets": {
            "documentation": _facet("documentation", description=sentence),
            "jobType": _facet(
                "jobType", processingType="BATCH", integration="PUPIL_DATA_LINEAGE", jobType=JOB_TYPES[edge.kind]
            ),
        },
    }
    return {
        "eventType": "COMPLETE",
        "eventTime": _time(first) if first else now.isoformat(),
        "producer": PRODUCER,
        "schemaURL": SCHEMAS["event"],
        "run": {"runId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"pupil-data-lineage:{edge.id}")), "facets": run_facets},
        "job": job,
        "inputs": inputs,
        "outputs": [output],
    }


def _date(node: Node) -> dt.date | None:
    date = node.props.get("date")
    return date if isinstance(date, dt.date) else None


def _openlineage(subgraph: Subgraph, handle: IO[bytes]) -> None:
    for event in events(subgraph):
        handle.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")


def _summary(subgraph: Subgraph) -> str:
    """What the file holds: events, not the nodes and edges it was once said to hold when it held none."""
    count = len(flows(subgraph))
    return (
        f"{count} OpenLineage event{'' if count == 1 else 's'}, one per release, access or onward share with both "
        f"ends in {subgraph.describe()}"
    )


register("openlineage", {None: _openlineage}, _summary)

__all__ = ["events", "flows", "recipient"]
