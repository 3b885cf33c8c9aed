"""Exports of the graph, whole or one node's lineage, for the tools auditors and analysts already use.

GraphML and GEXF (yEd, Gephi, NetworkX), Cytoscape JSON, CSV (a nodes file and an edges file) and W3C
PROV-JSON. Every node and edge keeps its kind, certainty and citations, so a fact stays checkable
outside the project. A node's lineage is every node within ``depth`` hops in both directions, with
every edge among them; the answer says how many nodes lie just beyond, and whether a safety bound cut
the walk. Files are written whole or not at all: see ``write_atomically`` and ``write_directory``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

import networkx as nx

from lineage.errors import LineageError, NotFound
from lineage.model import (
    EDGE_COMMON_PROPS,
    EDGE_SPECS,
    NODE_SPECS,
    Certainty,
    CertaintyLevel,
    Citation,
    Edge,
    EdgeKind,
    Flow,
    Node,
    NodeKind,
    Prop,
    Validity,
    node_props,
)
from lineage.questions.statements import EXCLUDING, statements_about
from lineage.store import MAX_DEPTH, MAX_VISITED, Direction, QueryError, Store, edge_sides

if TYPE_CHECKING:
    from prov.model import ProvDocument

DEFAULT_DEPTH = 2
#: Node ids per batched expansion of the whole graph (one Neo4j query each).
_EXPAND_BATCH = 5000


class ExportError(LineageError):
    """An export or report that could not be written (unknown format, unwritable path); nothing was written."""


@dataclass(frozen=True, slots=True)
class Subgraph:
    """What an export holds. ``start`` is None for the whole graph. ``beyond`` counts the nodes one hop past
    ``depth`` (not exported); ``cut`` is True when the safety bound stopped the walk before ``depth``."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    start: Node | None = None
    depth: int | None = None
    beyond: int = 0
    cut: bool = False
    #: (release id, item id, the statement) for each item of the subgraph a source's statement excludes from a
    #: release of it: the tier rule's inclusion of it is outranked (see lineage.questions.statements)
    exclusions: tuple[tuple[str, str, Node], ...] = ()

    def describe(self) -> str:
        """One line that says what the export holds and whether anything was left out."""
        size = f"{len(self.nodes)} nodes and {len(self.edges)} edges"
        if self.start is None:
            return f"the whole graph: {size}"
        text = f"the lineage of {self.start.id} within {self.depth} hops, both directions: {size}"
        if self.cut:
            return f"{text}; CUT: the walk stopped at the bound of {MAX_VISITED} nodes before {self.depth} hops"
        if self.beyond:
            return f"{text}; {self.beyond} more nodes lie one hop further, not exported"
        return f"{text}; nothing lies beyond"


# ---- what to export --------------------------------------------------------------------------------


def collect(store: Store, node_id: str | None = None, depth: int | None = None) -> Subgraph:
    """The whole graph, or the lineage of ``node_id`` within ``depth`` hops (both directions), with the
    exclusions sources state for its releases."""
    if node_id is None:
        if depth is not None:
            raise QueryError("a depth bounds one node's lineage: give the node as well")
        found = _whole(store)
    else:
        depth = DEFAULT_DEPTH if depth is None else depth
        if not 1 <= depth <= MAX_DEPTH:
            raise QueryError(f"depth must be between 1 and {MAX_DEPTH}, got {depth}")
        found = _lineage(store, node_id, depth)
    return replace(found, exclusions=_exclusions(store, found))


def _exclusions(store: Store, subgraph: Subgraph) -> tuple[tuple[str, str, Node], ...]:
    releases = [node for node in subgraph.nodes if node.kind is NodeKind.RELEASE]
    if not releases:
        return ()
    held = {node.id for node in subgraph.nodes}
    stated = statements_about(store, releases)
    return tuple(
        (release.id, item.id, s.statement)
        for release in releases
        for s in stated.get(release.id, ())
        if s.kind in EXCLUDING
        for item in s.items
        if item.id in held
    )


def _whole(store: Store) -> Subgraph:
    nodes = [node for kind in NodeKind for node in store.all_nodes(kind)]
    ids = [node.id for node in nodes]
    every_kind = frozenset(EdgeKind)
    edges = [
        hop.edge
        for start in range(0, len(ids), _EXPAND_BATCH)
        for hop in store.expand(ids[start : start + _EXPAND_BATCH], every_kind, frozenset())
    ]
    return Subgraph(_by_id(nodes), _by_id(edges))


def _lineage(store: Store, start_id: str, depth: int) -> Subgraph:
    """Breadth first, level by level; the last level is expanded too, for the edges among the nodes at
    ``depth`` hops and to count what lies beyond."""
    start = store.get_node(start_id)
    if start is None:
        raise NotFound(f"no node has the id {start_id!r}")
    outgoing, incoming = edge_sides(Direction.BOTH)
    nodes: dict[str, Node] = {start_id: start}
    edges: dict[str, Edge] = {}
    beyond: set[str] = set()
    frontier = {start_id}
    cut = False
    for level in range(depth + 1):
        if not frontier:
            break
        if len(nodes) >= MAX_VISITED:
            cut = True
            break
        next_frontier: set[str] = set()
        for hop in store.expand(frontier, outgoing, incoming):
            far = hop.node.id
            if far not in nodes:
                if level == depth:
                    beyond.add(far)
                    continue
                nodes[far] = hop.node
                next_frontier.add(far)
            edges[hop.edge.id] = hop.edge
        frontier = next_frontier
    return Subgraph(_by_id(nodes.values()), _by_id(edges.values()), start, depth, len(beyond), cut)


def _by_id(records: Iterable[Node] | Iterable[Edge]) -> tuple[Any, ...]:
    return tuple(sorted(records, key=lambda record: record.id))


# ---- attributes, flattened -------------------------------------------------------------------------


def _mixed(props: Iterable[Prop]) -> frozenset[str]:
    """Property names the model declares with more than one type across kinds (a data set's level is a
    word, a concept's a number): exported as text, since GraphML and GEXF give an attribute one type."""
    types: dict[str, set[type]] = {}
    for prop in props:
        types.setdefault(prop.name, set()).add(prop.type)
    return frozenset(name for name, found in types.items() if len(found) > 1)


_MIXED_NODE = _mixed(p for kind in NODE_SPECS for p in node_props(kind))
_MIXED_EDGE = _mixed([*EDGE_COMMON_PROPS, *(p for spec in EDGE_SPECS.values() for p in spec.props)])


def ordered(citations: Iterable[Citation]) -> list[Citation]:
    """Citations in a stable order (document, file, row, address), so every output is the same every time."""
    return sorted(citations, key=lambda c: (c.document, c.file, c.row or 0, c.address))


def _citations(citations: Iterable[Citation]) -> list[dict[str, Any]]:
    return [{"document": c.document, "file": c.file, "row": c.row, "address": c.address} for c in ordered(citations)]


def _scalar(value: Any, as_text: bool, flat: bool) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return json.dumps(list(value), ensure_ascii=False) if flat else list(value)
    return str(value) if as_text else value


def _certainty(certainty: Certainty) -> dict[str, str]:
    return {"certainty": certainty.level.value, **({"rule": certainty.rule} if certainty.rule else {})}


def _validity(validity: Validity) -> dict[str, str]:
    ends = {"valid_from": validity.valid_from, "valid_to": validity.valid_to}
    return {name: day.isoformat() for name, day in ends.items() if day is not None}


def node_attributes(node: Node, flat: bool = True) -> dict[str, Any]:
    """A node's attributes; ``flat`` makes every value a scalar (tuples and citations as JSON text)."""
    citations = _citations(node.citations)
    return {
        "kind": node.kind.value,
        "key": node.key,
        "name": node.name,
        **_certainty(node.certainty),
        **_validity(node.validity),
        "synthetic": node.synthetic,
        "citations": json.dumps(citations, ensure_ascii=False) if flat else citations,
        **{name: _scalar(value, name in _MIXED_NODE, flat) for name, value in node.props.items()},
    }


def edge_attributes(edge: Edge, flat: bool = True) -> dict[str, Any]:
    """An edge's attributes (not its ends); ``flat`` as for nodes."""
    citations = _citations(edge.citations)
    return {
        "kind": edge.kind.value,
        **_certainty(edge.certainty),
        **_validity(edge.validity),
        "citations": json.dumps(citations, ensure_ascii=False) if flat else citations,
        **{name: _scalar(value, name in _MIXED_EDGE, flat) for name, value in edge.props.items()},
    }


# ---- the formats -----------------------------------------------------------------------------------


#: Characters XML 1.0 cannot carry, even escaped: most control characters, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(what: str, attributes: Mapping[str, Any]) -> None:
    """Refuse a value an XML reader would reject, naming the record and the property, before anything is
    written: the file would be written "successfully" and then fail to load."""
    for name, value in attributes.items():
        found = _NOT_XML.search(value) if isinstance(value, str) else None
        if found:
            raise ExportError(
                f"{what}: property {name!r} holds {found.group()!r} at position {found.start()}, "
                "a character XML cannot carry; nothing was written"
            )


def _networkx(subgraph: Subgraph) -> nx.MultiDiGraph:
    """The subgraph for networkx's XML writers; an edge's key is its own id, which GraphML writes as the id."""
    graph = nx.MultiDiGraph(description=subgraph.describe(), cut=subgraph.cut)
    for node in subgraph.nodes:
        attributes = node_attributes(node)
        _xml_safe(f"node {node.id!r}", {"id": node.id, **attributes})
        graph.add_node(node.id, **attributes)
    for edge in subgraph.edges:
        attributes = edge_attributes(edge)
        _xml_safe(f"edge {edge.id!r}", {"id": edge.id, **attributes})
        graph.add_edge(edge.source, edge.target, key=edge.id, **attributes)
    return graph


def _graphml(subgraph: Subgraph, handle: IO[bytes]) -> None:
    nx.write_graphml(_networkx(subgraph), handle, encoding="utf-8")


def _gexf(subgraph: Subgraph, handle: IO[bytes]) -> None:
    graph = _networkx(subgraph)
    graph.graph = {"name": subgraph.describe()}  # GEXF keeps a graph's name, not its other attributes
    for node in subgraph.nodes:  # networkx writes a "key" attribute as "networkx_key": the id holds the key
        data = graph.nodes[node.id]
        del data["key"]
        data["label"] = node.name
    nx.set_edge_attributes(graph, {(e.source, e.target, e.id): e.id for e in subgraph.edges}, "id")
    nx.write_gexf(graph, handle, encoding="utf-8")


def cytoscape(subgraph: Subgraph) -> dict[str, Any]:
    """Cytoscape.js elements JSON: every field under ``data``, citations as a list of objects."""
    nodes = [{"data": {"id": n.id, "label": n.name, **node_attributes(n, flat=False)}} for n in subgraph.nodes]
    edges = [
        {"data": {"id": e.id, "source": e.source, "target": e.target, **edge_attributes(e, flat=False)}}
        for e in subgraph.edges
    ]
    return {
        "data": {"description": subgraph.describe(), "cut": subgraph.cut},
        "elements": {"nodes": nodes, "edges": edges},
    }


def _cytoscape(subgraph: Subgraph, handle: IO[bytes]) -> None:
    handle.write(json.dumps(cytoscape(subgraph), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _csv_table(rows: list[dict[str, Any]], first: list[str], handle: IO[bytes]) -> None:
    rest = sorted({name for row in rows for name in row} - set(first))
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    writer = csv.DictWriter(text, fieldnames=[*first, *rest])
    writer.writeheader()
    writer.writerows(rows)
    text.flush()
    text.detach()


#: The first columns of the CSV files, in this order; properties follow, sorted by name.
NODE_COLUMNS = ["id", "kind", "key", "name", "certainty", "rule", "valid_from", "valid_to", "synthetic", "citations"]
EDGE_COLUMNS = ["id", "source", "target", "kind", "certainty", "rule", "valid_from", "valid_to", "citations"]


def _csv_nodes(subgraph: Subgraph, handle: IO[bytes]) -> None:
    _csv_table([{"id": n.id, **node_attributes(n)} for n in subgraph.nodes], NODE_COLUMNS, handle)


def _csv_edges(subgraph: Subgraph, handle: IO[bytes]) -> None:
    rows = [{"id": e.id, "source": e.source, "target": e.target, **edge_attributes(e)} for e in subgraph.edges]
    _csv_table(rows, EDGE_COLUMNS, handle)


# ---- W3C PROV --------------------------------------------------------------------------------------

PROV_VOCABULARY = "urn:pupil-data-lineage:vocabulary#"
PROV_NODES = "urn:pupil-data-lineage:node:"
#: Node kinds that are PROV activities (a release is also an entity: see ``prov_document``) and agents.
_ACTIVITIES = frozenset({NodeKind.APPROVAL, NodeKind.IMPORT_RUN})
_AGENTS = frozenset({NodeKind.ORGANISATION})
_DERIVATIONS = frozenset({EdgeKind.SUBMITS, EdgeKind.FEEDS, EdgeKind.HOLDS, EdgeKind.DRAWS_ON})
SHARE = "share"
#: Attributes PROV says otherwise: the name is prov:label, the key the local part of the qualified name, and
#: citations are one lineage:citation each. (False flags are left out too: only synthetic data says so.)
_PROV_SAID = frozenset({"name", "key", "citations"})


def prov_name(id_: str) -> str:
    """A node id as a PROV qualified name: its kind is the prefix (one namespace per kind, ``share`` for a
    release's sharing) and its key, percent-encoded where PROV-N needs it, the local part."""
    prefix, _, key = id_.partition(":")
    return f"{prefix}:{quote(key, safe=':/')}"


def prov_document(subgraph: Subgraph) -> ProvDocument:
    """The subgraph in the W3C PROV data model.

    Items, data sets, collections, schools, concepts, classifications, rules, published figures and
    releases are entities; approvals and import runs are activities; organisations are agents. A release
    is also the sharing: an activity ``share:<release key>`` that used what the release includes, was
    informed by its approval, was associated with its recipients (role ``recipient``) and generated the
    release entity; it carries the release's certainty and citations. A release's date is the date as its
    source cites it, and no source says the data was shared on that day: so the sharing has no PROV start,
    end or generation time, and the date stays an attribute, ``lineage:date_as_cited``. Data flowing into a
    data set or item (SUBMITS, FEEDS, HOLDS) and a figure drawn on a data set (DRAWS_ON) are derivations;
    other links are influences, downstream influenced by upstream, or a described node by its description
    (a concept, a class, a rule). PROV has no "did not use": an item a source's statement excludes from a
    release (not released, or asked for and left out) is never written as used by its sharing unless the
    inclusion is confirmed: it is written ``wasInvalidatedBy`` the sharing, as the questions let the statement
    outrank the tier rule (the inclusion itself, with its kind, certainty and citations, and ``lineage:excluded_by``; an
    exclusion with no inclusion to outrank is written so too, with the statement's certainty and citations).
    Every record carries the kind, certainty and each citation (JSON) in the
    project's vocabulary; nodes their name as ``prov:label``.
    Relations have no identifier of their own: PROV gives them blank ones; their ends and kind name them.
    """
    from prov.constants import PROV_LABEL, PROV_ROLE, PROV_TYPE
    from prov.model import ProvDocument  # imported when asked for, like the Neo4j driver

    doc = ProvDocument()
    vocab = doc.add_namespace("lineage", PROV_VOCABULARY)
    namespaces = {kind.value: doc.add_namespace(kind.value, f"{PROV_NODES}{kind.value}:") for kind in NodeKind}
    namespaces[SHARE] = doc.add_namespace(SHARE, f"{PROV_NODES}{SHARE}:")
    terms: dict[str, Any] = {}
    names: dict[str, Any] = {}

    def term(name: str) -> Any:
        found = terms.get(name)
        if found is None:
            found = terms[name] = vocab[name]
        return found

    def qname(id_: str) -> Any:
        found = names.get(id_)
        if found is None:
            prefix, _, local = prov_name(id_).partition(":")
            found = names[id_] = namespaces[prefix][local]
        return found

    def attributes(attrs: Mapping[str, Any], citations: Iterable[Citation]) -> list[tuple[Any, Any]]:
        pairs = [(term(name), value) for name, value in attrs.items() if name not in _PROV_SAID and value is not False]
        return pairs + [(term("citation"), json.dumps(c, ensure_ascii=False)) for c in _citations(citations)]

    def share(release_id: str) -> Any:
        return qname(f"{SHARE}:{release_id.partition(':')[2]}")

    excluded: dict[tuple[str, str], list[Node]] = defaultdict(list)
    for release_id, item_id, statement in subgraph.exclusions:
        excluded[(release_id, item_id)].append(statement)
    for node in subgraph.nodes:
        attrs = [
            (PROV_LABEL, node.name),
            (PROV_TYPE, term(node.kind.value)),
            *attributes(node_attributes(node), node.citations),
        ]
        if node.kind in _AGENTS:
            doc.agent(qname(node.id), attrs)
        elif node.kind in _ACTIVITIES:
            doc.activity(qname(node.id), other_attributes=attrs)
        else:
            doc.entity(qname(node.id), attrs)
        if node.kind is NodeKind.RELEASE:
            said = _certainty(node.certainty)
            date = node.props.get("date")
            if isinstance(date, dt.date):
                said["date_as_cited"] = date.isoformat()
            sharing = [(PROV_LABEL, f"sharing of {node.name}"), (PROV_TYPE, term("Share"))]
            doc.activity(share(node.id), other_attributes=sharing + attributes(said, node.citations))
            generation = attributes(_certainty(node.certainty), node.citations)
            doc.wasGeneratedBy(qname(node.id), share(node.id), other_attributes=generation)
    for edge in subgraph.edges:
        attrs = attributes(edge_attributes(edge), edge.citations)
        source, target = qname(edge.source), qname(edge.target)
        if edge.kind in _DERIVATIONS:
            downstream, upstream = (source, target) if EDGE_SPECS[edge.kind].flow is Flow.BACKWARD else (target, source)
            doc.wasDerivedFrom(downstream, upstream, other_attributes=attrs)
        elif edge.kind is EdgeKind.INCLUDES:
            statements = excluded.pop((edge.source, edge.target), None)
            if statements is None or edge.certainty.level is CertaintyLevel.CONFIRMED:
                doc.used(share(edge.source), target, other_attributes=attrs)
            else:  # the tier rule's inclusion, outranked: the link as it is, with what outranks it
                said = [(term("excluded_by"), statement.id) for statement in statements]
                doc.wasInvalidatedBy(target, share(edge.source), other_attributes=[*attrs, *said])
        elif edge.kind is EdgeKind.APPROVED_BY:
            doc.wasInformedBy(share(edge.source), target, other_attributes=attrs)
        elif edge.kind is EdgeKind.SENT_TO:
            doc.wasAssociatedWith(share(edge.source), target, other_attributes=[*attrs, (PROV_ROLE, term("recipient"))])
        elif EDGE_SPECS[edge.kind].flow is Flow.FORWARD:
            doc.wasInfluencedBy(target, source, other_attributes=attrs)
        else:
            doc.wasInfluencedBy(source, target, other_attributes=attrs)
    for (release_id, item_id), statements in sorted(excluded.items()):  # an exclusion with no inclusion to outrank
        for statement in statements:
            said = {"excluded_by": statement.id, **_certainty(statement.certainty)}
            doc.wasInvalidatedBy(
                qname(item_id), share(release_id), other_attributes=attributes(said, statement.citations)
            )
    return doc


def _prov_json(subgraph: Subgraph, handle: IO[bytes]) -> None:
    handle.write(prov_document(subgraph).serialize(format="json").encode("utf-8"))


# ---- writing ---------------------------------------------------------------------------------------

Writer = Callable[[Subgraph, IO[bytes]], None]
#: Format name -> the files it writes: a name for the file at PATH (None), or names inside the directory PATH.
FORMATS: dict[str, dict[str | None, Writer]] = {
    "graphml": {None: _graphml},
    "gexf": {None: _gexf},
    "cytoscape": {None: _cytoscape},
    "csv": {"nodes.csv": _csv_nodes, "edges.csv": _csv_edges},
    "prov-json": {None: _prov_json},
}


def output_paths(fmt: str, output: Path) -> list[Path]:
    """The files an export writes: PATH itself, or for CSV ``nodes.csv`` and ``edges.csv`` in the directory
    PATH (created if missing; its parent must exist)."""
    return [output if name is None else output / name for name in _writers(fmt)]


def _writers(fmt: str) -> dict[str | None, Writer]:
    writers = FORMATS.get(fmt)
    if writers is None:
        raise ExportError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}")
    return writers


def export(
    store: Store, fmt: str, output: Path, node_id: str | None = None, depth: int | None = None
) -> tuple[Subgraph, list[Path]]:
    """Export the whole graph or one node's lineage in ``fmt`` to ``output``: every file whole, or none."""
    writers = _writers(fmt)
    subgraph = collect(store, node_id, depth)
    single = writers.get(None)
    if single is not None:
        write_atomically(output, partial(single, subgraph))
    else:
        write_directory(output, {name: partial(writer, subgraph) for name, writer in writers.items() if name})
    return subgraph, output_paths(fmt, output)


Write = Callable[[IO[bytes]], None]


def _failed(path: Path, exc: Exception) -> ExportError:
    """Any failure while writing, as the one error the callers expect, naming the file."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return ExportError(f"cannot write {path}: {reason}")


def _write(handle: IO[bytes], write: Write) -> None:
    os.fchmod(handle.fileno(), 0o644)  # readable like any file the user writes, not private like a temporary one
    write(handle)


def write_atomically(path: Path, write: Write) -> None:
    """Write a file to a temporary file beside it, then rename it into place: a reader sees the old file or
    the new one whole. On any failure the temporary file goes and the old file stays as it was."""
    name = None
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            _write(handle, write)
        os.replace(name, path)
    except Exception as exc:
        raise _failed(path, exc) from exc
    finally:
        if name is not None and os.path.exists(name):
            os.unlink(name)


def write_directory(output: Path, files: Mapping[str, Write]) -> None:
    """Write files into the directory ``output``, all of them or none.

    Every file is first written whole into a temporary directory. A new directory is that temporary one
    renamed, so it appears at once with every file in it. Into an existing directory (the temporary one is
    made inside it, so a mount point works too) the files are renamed one after the other, so that is not
    atomic for a reader: looking in between, one may find some files new and others old, or for an instant
    one missing. A failed rename puts the old files back. On any failure nothing the export made is left,
    and an existing directory holds what it held.
    """
    fresh = not output.exists()
    if not fresh and not output.is_dir():
        raise ExportError(f"cannot write into {output}: it is not a directory")
    where = output.parent if fresh else output
    try:
        staging = Path(tempfile.mkdtemp(dir=where, prefix=f".{output.name}.", suffix=".tmp"))
    except Exception as exc:
        raise _failed(output, exc) from exc
    path = output
    try:
        for name, write in files.items():
            path = output / name
            with open(staging / name, "xb") as handle:
                _write(handle, write)
        path = output
        if fresh:
            os.chmod(staging, 0o755)  # like any directory the user makes, not private like a temporary one
            os.rename(staging, output)  # fails, writing nothing, if a non-empty directory appeared meanwhile
        else:
            _move_into(staging, output, list(files))
    except Exception as exc:
        raise _failed(path, exc) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_into(staging: Path, output: Path, names: list[str]) -> None:
    """Rename each new file over the old one, keeping the old ones aside until all are in; if a rename fails,
    put the old files back (and take away new ones that had no old one)."""
    moved: list[str] = []
    try:
        for name in names:
            if (output / name).exists():
                os.replace(output / name, staging / f"{name}.old")
            os.replace(staging / name, output / name)
            moved.append(name)
    except BaseException:
        for name in names:
            if (staging / f"{name}.old").exists():
                os.replace(staging / f"{name}.old", output / name)
            elif name in moved:
                os.unlink(output / name)
        raise
