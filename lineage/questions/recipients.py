"""Recipients by type: the companies, the press, the police, ... that the record says received NPD data, each with
the releases that went to it and the pupil data that went to it otherwise (a published figure of what DfE passed
on, an access), as a campaigner asks "which newspapers were given pupil data, and when?".
"""

from __future__ import annotations

from dataclasses import dataclass

from lineage.model import ORG_TYPES, Certainty, EdgeKind, Node, NodeKind, surest
from lineage.questions.common import Related, check_known, dated_order, follow, related
from lineage.questions.records import Disclosure, disclosures
from lineage.store import Store

_E = EdgeKind


@dataclass(frozen=True, slots=True)
class RecipientReleases:
    """An organisation of the type asked, every release the record says went to it, oldest first (undated last),
    each with its SENT_TO link and that link's sources, and the pupil data the record says went to it otherwise."""

    organisation: Node
    releases: tuple[Related, ...]
    disclosures: tuple[Disclosure, ...]

    @property
    def certainty(self) -> Certainty:
        """That it received pupil data: as sure as the surest of its releases' sendings and other disclosures."""
        return surest([*(r.link.certainty for r in self.releases), *(d.to.link.certainty for d in self.disclosures)])


def recipients_by_type(store: Store, organisation_type: str) -> list[RecipientReleases]:
    """Every organisation of that type (as ``data/organisation_aliases.csv`` gives it) that a release or other
    disclosure went to, by name, with its releases and those disclosures: the police had no release, yet a written
    statement counts 62 pupils' data passed to them. Applications and onward shares are not releases: they are in
    organisation_receipts. A type the model does not know is refused, naming those it does: unknown is not none.
    """
    check_known("organisation type", [organisation_type], ORG_TYPES)
    organisations = store.find_nodes(NodeKind.ORGANISATION, "org_type", [organisation_type])
    sent = follow(store, [organisation.id for organisation in organisations], incoming=[_E.SENT_TO])
    disclosed: dict[str, list[Disclosure]] = {}
    for disclosure in disclosures(store):
        disclosed.setdefault(disclosure.to.node.id, []).append(disclosure)
    found = [
        RecipientReleases(
            organisation,
            tuple(sorted(related(sent.get(organisation.id, []), [_E.SENT_TO]), key=lambda r: dated_order(r.node))),
            tuple(disclosed.get(organisation.id, ())),
        )
        for organisation in organisations
        if organisation.id in sent or organisation.id in disclosed
    ]
    return sorted(found, key=lambda recipient: (recipient.organisation.name.lower(), recipient.organisation.id))
