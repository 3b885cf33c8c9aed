"""What a release is said to have left out, as every format that writes a release says it (PROV's ``lineage:left_out``,
OpenLineage's ``left_out``): one reading of the subgraph's outranked inclusions and exclusions, not one a format."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from lineage.exports.attributes import certainty_attributes, citation_records, edge_attributes
from lineage.exports.subgraph import Subgraph
from lineage.model import EdgeKind


def left_out(subgraph: Subgraph, outranked: Mapping[str, tuple[str, ...]]) -> dict[str, list[dict[str, Any]]]:
    """Each release's id with what a source's statement says it left out, one record an item or data set: the rule's
    inclusion the statement outranks, as it is (``item``, its kind, certainty, rule, citations and ``outranked_by``,
    the statements' ids), in the order of the subgraph's links; then, where no inclusion is outranked, the item with
    ``excluded_by`` (the statement's id), the statement's certainty and citations. Each record's ``contested`` names
    those of its statements another cited source disagrees with: DfE's written answer that the Telegraph's 2013
    release held no key identifiers is disputed by an account of its FOI answer (data/conflicts.csv), and a left-out
    item it alone names had read as settled. ``outranked`` is the subgraph's
    :meth:`~lineage.exports.subgraph.Subgraph.outranked_links`."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    included: set[tuple[str, str]] = set()
    for edge in subgraph.edges:
        if edge.kind is not EdgeKind.INCLUDES:
            continue
        included.add((edge.source, edge.target))
        if edge.id in outranked:  # the rule's inclusion, as it is, outranked
            by = outranked[edge.id]
            found[edge.source].append(
                {
                    "item": edge.target,
                    **edge_attributes(edge, flat=False, outranked_by=by, contested=subgraph.contested(by)),
                }
            )
    for release_id, item_id, statement in sorted(subgraph.exclusions, key=lambda e: (e[0], e[1], e[2].id)):
        if (release_id, item_id) not in included:  # an exclusion with no inclusion to outrank
            said: dict[str, Any] = {"item": item_id, "excluded_by": statement.id}
            said |= certainty_attributes(statement.certainty)
            said["citations"] = citation_records(statement.citations)
            said["contested"] = list(subgraph.contested([statement.id]))
            found[release_id].append(said)
    return found


__all__ = ["left_out"]
