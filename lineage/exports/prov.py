"""W3C PROV-JSON, through the ``prov`` package: entities, activities (approvals, each release's sharing) and agents."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from lineage.exports.attributes import certainty_attributes, citation_records, edge_attributes, node_attributes
from lineage.exports.formats import register
from lineage.exports.left_out import left_out as said_left_out
from lineage.exports.subgraph import Subgraph
from lineage.files import WriteError
from lineage.model import EDGE_SPECS, Citation, EdgeKind, Flow, NodeKind, node_key

if TYPE_CHECKING:
    from prov.model import ProvDocument

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
    (a concept, a class, a rule). PROV has no "did not use", and no relation that says nothing happened: an item
    a source's statement excludes from a release (not released, or asked for and left out) is never written as
    used by its sharing unless the inclusion is confirmed, nor as any event (``wasInvalidatedBy`` had said the
    sharing invalidated it). It is said on the sharing activity, as a ``lineage:left_out`` attribute (JSON, one
    per item): the rule's inclusion the statement outranks, with its kind, certainty, rule, citations and
    ``outranked_by``; or, where no inclusion is outranked, the item with ``excluded_by``, the statement's certainty
    and citations. Any other link a statement outranks (a secondary account's words) carries ``outranked_by``.
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
        return pairs + [(term("citation"), json.dumps(c, ensure_ascii=False)) for c in citation_records(citations)]

    def share(release_id: str) -> Any:
        return qname(f"{SHARE}:{node_key(release_id)}")

    outranked = subgraph.outranked_links()
    left_out = said_left_out(subgraph, outranked)  # a release's id -> what its sharing is said not to have used
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
            said = certainty_attributes(node.certainty)
            date = node.props.get("date")
            if isinstance(date, dt.date):
                said["date_as_cited"] = date.isoformat()
            sharing = [(PROV_LABEL, f"sharing of {node.name}"), (PROV_TYPE, term("Share"))]
            sharing += [(term("left_out"), json.dumps(one, ensure_ascii=False)) for one in left_out.get(node.id, ())]
            doc.activity(share(node.id), other_attributes=sharing + attributes(said, node.citations))
            generation = attributes(certainty_attributes(node.certainty), node.citations)
            doc.wasGeneratedBy(qname(node.id), share(node.id), other_attributes=generation)
    for edge in subgraph.edges:
        by = outranked.get(edge.id, ())
        attrs = attributes(edge_attributes(edge, outranked_by=by, contested=subgraph.contested(by)), edge.citations)
        source, target = qname(edge.source), qname(edge.target)
        if edge.kind in _DERIVATIONS:
            downstream, upstream = (source, target) if EDGE_SPECS[edge.kind].flow is Flow.BACKWARD else (target, source)
            doc.wasDerivedFrom(downstream, upstream, other_attributes=attrs)
        elif edge.kind is EdgeKind.INCLUDES:
            if edge.id not in outranked:  # an outranked one is said on the sharing (left_out)
                doc.used(share(edge.source), target, other_attributes=attrs)
        elif edge.kind is EdgeKind.APPROVED_BY:
            doc.wasInformedBy(share(edge.source), target, other_attributes=attrs)
        elif edge.kind is EdgeKind.SENT_TO:
            doc.wasAssociatedWith(share(edge.source), target, other_attributes=[*attrs, (PROV_ROLE, term("recipient"))])
        elif EDGE_SPECS[edge.kind].flow is Flow.FORWARD:
            doc.wasInfluencedBy(target, source, other_attributes=attrs)
        else:
            doc.wasInfluencedBy(source, target, other_attributes=attrs)
    return doc


def _prov_json(subgraph: Subgraph, handle: IO[bytes]) -> None:
    text = prov_document(subgraph).serialize(format="json")
    if text is None:  # prov returns the text when given no destination to write to
        raise WriteError("the PROV serializer gave no text")
    handle.write(text.encode("utf-8"))


register("prov-json", {None: _prov_json})
