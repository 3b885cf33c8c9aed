"""How the model's nodes and edges become the properties Neo4j stores, and back (lineage.stores.neo4j).

A node keeps its kind, key, name and synthetic flag, certainty and validity beside the model's own
properties; each searched field folded in its own property (``search_<field>``), so that an upsert merges
them as it merges the model's properties; and its citations as a list of encoded strings. Reading back,
each distinct set of citations is decoded once.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable
from typing import Any

from neo4j.time import Date as Neo4jDate

from lineage.model import ALWAYS, Certainty, CertaintyLevel, Citation, Edge, EdgeKind, Node, NodeKind, Validity
from lineage.search import SEARCHED_PROPS, fold, searched_fields

#: A node's or an edge's parameters for a write: its id or ends, its properties, its encoded citations.
Params = dict[str, Any]
SEARCH_FIELDS = ("name", "key", *SEARCHED_PROPS)
SEARCH_PROPS = tuple(f"search_{field}" for field in SEARCH_FIELDS)
#: Properties every stored node or edge has besides the model's own.
RESERVED = frozenset(
    {"id", "kind", "key", "name", "synthetic", "citations", "certainty", "certainty_rule", "valid_from", "valid_to"}
    | {"search_text", *SEARCH_PROPS}
)


def _common_props(record: Node | Edge) -> dict[str, Any]:
    props: dict[str, Any] = {
        name: list(value) if isinstance(value, tuple) else value for name, value in record.props.items()
    }
    props.update(
        certainty=record.certainty.level.value,
        certainty_rule=record.certainty.rule,
        valid_from=record.validity.valid_from,
        valid_to=record.validity.valid_to,
    )
    return props


def node_params(node: Node) -> dict[str, Any]:
    props = _common_props(node)
    props.update(kind=node.kind.value, key=node.key, name=node.name, synthetic=node.synthetic)
    props.update(_search_props(node))
    return {"id": node.id, "props": props, "citations": _encoded(node.citations)}


def created_params(params: Params) -> Params:
    """A node's parameters (node_params) as the one map of properties a node the store does not hold yet is
    created with: its id, citations and search text (its searched fields joined a line each, as the store's
    query joins them for a merged node) beside the rest, and no nulls (an absent property is null)."""
    props = {name: value for name, value in params["props"].items() if value is not None}
    props.update(id=params["id"], citations=params["citations"])
    props["search_text"] = "\n".join(props[name] for name in SEARCH_PROPS if props.get(name))
    return props


def _search_props(node: Node) -> dict[str, str | None]:
    """The folded text of each searched field the node gives (None removes one that folds to nothing), so that
    the merged fields join into the same search text as the embedded store's (lineage.search)."""
    return {
        f"search_{field}": "\n".join(text for text in map(fold, values) if text) or None
        for field, values in searched_fields(node).items()
    }


def edge_params(edge: Edge) -> dict[str, Any]:
    return {"source": edge.source, "target": edge.target, **edge_shape_params(edge)}


def edge_shape(edge: Edge) -> Hashable:
    """What an edge is written with besides its kind and ends, equal for edges whose parameters are equal: a
    bulk load's edges share a few (every synthetic SUBMITS edge one citation and a few spans of years), so a
    write sends each once and an edge as its ends and the number of its shape."""
    return (tuple(sorted(edge.props.items())), edge.certainty, edge.validity, edge.citations)


def edge_shape_params(edge: Edge) -> Params:
    """An edge's properties and encoded citations: the parameters of its shape (edge_shape)."""
    return {"props": _common_props(edge), "citations": _encoded(edge.citations)}


@functools.lru_cache(maxsize=1 << 16)
def _encoded_once(citations: frozenset[Citation]) -> tuple[str, ...]:
    return tuple(sorted(c.encode() for c in citations))


def _encoded(citations: frozenset[Citation]) -> list[str]:
    """A record's citations as stored, encoded once per distinct set: a bulk load's rows share a few sets
    (every synthetic edge cites the generator, every tier-level edge one register row), and encoding was
    most of the time spent preparing a row."""
    return list(_encoded_once(citations))


def _native(value: Any) -> Any:
    if isinstance(value, Neo4jDate):
        return value.to_native()
    if isinstance(value, list):
        return tuple(value)
    return value


# Records read back share few distinct citations and certainties (every tier-level edge cites one
# register row): decode each once.
_citations = functools.lru_cache(maxsize=1 << 16)(lambda texts: frozenset(map(Citation.decode, texts)))
_certainty = functools.lru_cache(maxsize=1024)(lambda level, rule: Certainty(CertaintyLevel(level), rule))


def _common_fields(props: dict[str, Any]) -> dict[str, Any]:
    start, end = props.get("valid_from"), props.get("valid_to")
    return {
        "props": {k: _native(v) for k, v in props.items() if k not in RESERVED},
        "citations": _citations(tuple(props.get("citations", ()))),
        "certainty": _certainty(props["certainty"], props.get("certainty_rule")),
        "validity": ALWAYS if start is None and end is None else Validity(_native(start), _native(end)),
    }


def node_from_props(props: dict[str, Any]) -> Node:
    return Node(
        NodeKind(props["kind"]), props["key"], props["name"], synthetic=props["synthetic"], **_common_fields(props)
    )


def edge_from_props(source: str, kind: str, target: str, props: dict[str, Any]) -> Edge:
    return Edge(source, EdgeKind(kind), target, **_common_fields(props))
