"""The claims ledger: every fact the graph holds by a rule rather than a source's statement, with what the rule read
(the source's words, the table row that maps them), so a reviewer can check each inference one by one.

A claim is a link whose certainty is ``tier_level`` or ``inferred`` (the tier rule's inclusions, a statement's words
taken to mean items, a sending inferred from an approval, a statement joined to a release by its date, ...) or a node
whose certainty names a rule (an organisation's type). ``lineage claims`` writes them as CSV or Markdown; the build
summary counts them per rule.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lineage.exports.csv_files import inert
from lineage.exports.subgraph import collect
from lineage.model import TIER_RULE, Citation, Edge, Node, NodeKind, ordered_citations, rule_of
from lineage.reports.markdown import md
from lineage.store import Store

__all__ = ["CLAIM_FORMATS", "TIER_RULE", "Claim", "by_rule", "claims", "to_csv", "to_markdown"]

COLUMNS = (
    "rule", "certainty", "subject", "link", "object", "words", "means", "outranked_by", "contested", "sources",
    "subject_id", "object_id",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Claim:
    """One inferred fact: the rule, what it links (or the node it describes), the words it read, what it takes
    them to mean, and every citation it rests on (sources, and the rows of our tables that map words)."""

    rule: str
    subject: Node
    link: str  # the edge kind; "" for a node's own inferred property (an organisation's type)
    object: Node | None
    words: str
    means: str
    sources: tuple[Citation, ...]
    #: the statements that outrank it (each excluding the item from the release): the answers never list it
    outranked_by: tuple[Node, ...] = ()
    certainty: str = ""  # the fact's level (tier level, inferred), which no source's is below

    @property
    def contested(self) -> bool:
        """What it links rests on a statement another cited source disagrees with (the Telegraph's 2013 release):
        quoted alone, the claim would state as settled what the record holds as disputed."""
        return any(node is not None and node.props.get("contested") is True for node in (self.subject, self.object))

    def row(self) -> dict[str, str]:
        cites = "; ".join(
            # a citation of many rows (an item-table rule's) names them in its document, not as one row
            f"{c.file}, {f'row {c.row}' if c.row is not None else c.document}" + (f": {c.address}" if c.address else "")
            for c in self.sources
        )
        return {
            "rule": self.rule,
            "certainty": self.certainty,
            "subject": self.subject.name,
            "link": self.link,
            "object": self.object.name if self.object else "",
            "words": self.words,
            "means": self.means,
            "outranked_by": "; ".join(statement.name for statement in self.outranked_by),
            "contested": "yes" if self.contested else "",
            "sources": cites,
            # the ids, for a reviewer to find the fact again (the explorer, `lineage query`)
            "subject_id": self.subject.id,
            "object_id": self.object.id if self.object else "",
        }


def _edge_claim(edge: Edge, nodes: dict[str, Node], rule: str, outranked_by: tuple[Node, ...]) -> Claim:
    subject, target = nodes[edge.source], nodes[edge.target]
    props, said = edge.props, subject.props
    words = str(props.get("as_written") or said.get("status") or said.get("date_as_cited") or subject.name)
    if "means" in props:
        within = props.get("within") or ()
        means = str(props["means"]) + (f" within {', '.join(within)}" if isinstance(within, tuple) and within else "")
    elif rule == TIER_RULE:
        means = f"an item of old tier {target.props.get('old_tier')}, in the NPD by the release's date"
    else:
        means = target.name
    cites = tuple(ordered_citations(edge.citations | _what_the_rule_read_of(target)))
    level = edge.certainty.level.value
    return Claim(rule, subject, edge.kind.value, target, words, means, cites, outranked_by, level)


#: The far ends whose facts a rule compares, so that a claim cites their rows: an item's (its old tier and first
#: year, for the tier rule and the words' date check), a release's or an application's (its date, for a statement
#: joined by date; which request it is, for an event the links table says concerns it), another statement's or a
#: figure's (a contradiction; the count an event gives again, as the links table reads it). Of any other a rule
#: reads no more than its link cites: an organisation's or a collection's name, a data set's rows naming and titling
#: it (which the importer chose, not the note stating its old tier nor the timetable's rows), a classification's
#: (the tier note's rule reads the item's own row).
READ_OF_FAR_END = frozenset(
    {NodeKind.DATA_ITEM, NodeKind.RELEASE, NodeKind.APPLICATION, NodeKind.STATEMENT, NodeKind.AGGREGATE_FLOW}
)


def _what_the_rule_read_of(target: Node) -> frozenset[Citation]:
    """The rows that say what a claim's far end is, where its rule read them (:data:`READ_OF_FAR_END`)."""
    return target.citations if target.kind in READ_OF_FAR_END else frozenset()


def claims(store: Store) -> list[Claim]:
    """Every claim in the store, by rule, then subject and object; an inclusion a source's statement excludes says
    which statement outranks it (the exclusions the export already finds)."""
    whole = collect(store)
    nodes = {node.id: node for node in whole.nodes}
    outranked = whole.outranked_links()  # what the exports say beside each link: one rule for both
    found = []
    for node in whole.nodes:
        rule = rule_of(node.certainty)
        if rule:
            said = str(node.props.get("org_type") or node.props.get("status") or "")
            cites = tuple(ordered_citations(node.citations))
            found.append(Claim(rule, node, "", None, node.name, said, cites, certainty=node.certainty.level.value))
    for edge in whole.edges:
        rule = rule_of(edge.certainty)
        if rule:
            statements = tuple(nodes[id_] for id_ in outranked.get(edge.id, ()))
            found.append(_edge_claim(edge, nodes, rule, statements))
    return sorted(found, key=lambda c: (c.rule, c.subject.id, c.link, c.object.id if c.object else ""))


def by_rule(found: Iterable[Claim]) -> Counter[str]:
    """How many claims each rule makes."""
    return Counter(claim.rule for claim in found)


def to_csv(found: Sequence[Claim]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({name: inert(value) for name, value in claim.row().items()} for claim in found)
    return out.getvalue()


def to_markdown(found: Sequence[Claim]) -> str:
    counts = by_rule(found)
    lines = [
        "# Claims ledger",
        "",
        "Every fact the graph holds by a rule, not by a source's statement: what the rule read and what it takes "
        "it to mean, with every source it rests on; one a source's statement outranks names it, and no answer "
        "lists it.",
        "",
        "| rule | claims |",
        "|---|---|",
        *(f"| {md(rule)} | {n} |" for rule, n in sorted(counts.items())),
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    lines += ["| " + " | ".join(md(value) for value in claim.row().values()) + " |" for claim in found]
    return "\n".join(lines) + "\n"


CLAIM_FORMATS = {"csv": to_csv, "md": to_markdown}
