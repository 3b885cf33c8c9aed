"""A node's or edge's fields as flat attributes for the export formats: kind, certainty and rule, validity,
citations (JSON, or a list where the format holds one) and the model's properties."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from lineage.exports.subgraph import Subgraph
from lineage.model import (
    EDGE_COMMON_PROPS,
    EDGE_SPECS,
    NODE_SPECS,
    Certainty,
    Citation,
    Edge,
    Node,
    Prop,
    Validity,
    node_props,
    ordered_citations,
    rule_of,
)


def _mixed(props: Iterable[Prop]) -> frozenset[str]:
    """Property names the model declares with more than one type across kinds (a data set's level is a
    word, a concept's a number): exported as text, since GraphML and GEXF give an attribute one type."""
    types: dict[str, set[type]] = {}
    for prop in props:
        types.setdefault(prop.name, set()).add(prop.type)
    return frozenset(name for name, found in types.items() if len(found) > 1)


_MIXED_NODE = _mixed(p for kind in NODE_SPECS for p in node_props(kind))
_MIXED_EDGE = _mixed([*EDGE_COMMON_PROPS, *(p for spec in EDGE_SPECS.values() for p in spec.props)])


def citation_records(citations: Iterable[Citation]) -> list[dict[str, Any]]:
    """Each citation as a record, in the one citation order."""
    return [
        {"document": c.document, "file": c.file, "row": c.row, "address": c.address}
        for c in ordered_citations(citations)
    ]


def _scalar(value: Any, as_text: bool, flat: bool) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return json.dumps(list(value), ensure_ascii=False) if flat else list(value)
    return str(value) if as_text else value


def certainty_attributes(certainty: Certainty) -> dict[str, str]:
    """How sure a fact is, as attributes: its level, and the rule it holds by (the tier rule's, named, too)."""
    rule = rule_of(certainty)
    return {"certainty": certainty.level.value, **({"rule": rule} if rule else {})}


def _validity(validity: Validity) -> dict[str, str]:
    ends = {"valid_from": validity.valid_from, "valid_to": validity.valid_to}
    return {name: day.isoformat() for name, day in ends.items() if day is not None}


def node_attributes(node: Node, flat: bool = True) -> dict[str, Any]:
    """A node's attributes; ``flat`` makes every value a scalar (tuples and citations as JSON text)."""
    citations = citation_records(node.citations)
    return {
        "kind": node.kind.value,
        "key": node.key,
        "name": node.name,
        **certainty_attributes(node.certainty),
        **_validity(node.validity),
        "synthetic": node.synthetic,
        "citations": json.dumps(citations, ensure_ascii=False) if flat else citations,
        **{name: _scalar(value, name in _MIXED_NODE, flat) for name, value in node.props.items()},
    }


def edge_attributes(
    edge: Edge, flat: bool = True, outranked_by: tuple[str, ...] = (), contested: tuple[str, ...] = ()
) -> dict[str, Any]:
    """An edge's attributes (not its ends); ``flat`` as for nodes; ``outranked_by``, the statements whose exclusion
    outranks it (Subgraph.outranked_links), said beside it with ``contested``, those of them another cited source
    disagrees with (Subgraph.contested), as a release's left_out says them."""
    citations = citation_records(edge.citations)
    outranked = {"outranked_by": outranked_by, "contested": contested} if outranked_by else {}
    return {
        "kind": edge.kind.value,
        **certainty_attributes(edge.certainty),
        **{name: "; ".join(ids) if flat else list(ids) for name, ids in outranked.items()},
        **_validity(edge.validity),
        "citations": json.dumps(citations, ensure_ascii=False) if flat else citations,
        **{name: _scalar(value, name in _MIXED_EDGE, flat) for name, value in edge.props.items()},
    }


def edge_records(subgraph: Subgraph, flat: bool = True) -> list[tuple[Edge, dict[str, Any]]]:
    """Each edge of the subgraph with its attributes, an inclusion a statement outranks saying which, and which of
    those another source disputes (the flat formats' one way to write their edges)."""
    outranked = subgraph.outranked_links()
    return [
        (edge, edge_attributes(edge, flat, by := outranked.get(edge.id, ()), subgraph.contested(by)))
        for edge in subgraph.edges
    ]
