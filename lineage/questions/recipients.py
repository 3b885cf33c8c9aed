"""Recipients by type: the companies, the press, the police, ... that the record says received NPD data, each with
the releases that went to it, as a campaigner asks "which newspapers were given pupil data, and when?".
"""

from __future__ import annotations

from dataclasses import dataclass

from lineage.model import ORG_TYPES, Certainty, EdgeKind, Node, NodeKind, surest
from lineage.questions.common import Related, check_known, dated_order, follow, related
from lineage.store import Store

_E = EdgeKind


@dataclass(frozen=True, slots=True)
class RecipientReleases:
    """An organisation of the type asked, and every release the record says went to it, oldest first (undated
    last), each with its SENT_TO link and that link's sources."""

    organisation: Node
    releases: tuple[Related, ...]

    @property
    def certainty(self) -> Certainty:
        """That it received NPD data: as sure as the surest of its releases' sendings."""
        return surest(release.link.certainty for release in self.releases)


def recipients_by_type(store: Store, organisation_type: str) -> list[RecipientReleases]:
    """Every organisation of that type (as ``data/organisation_aliases.csv`` gives it) that a release went to, by
    name, with its releases: two batched calls. Applications, onward shares and access are not releases: they are
    in organisation_receipts. A type the model does not know is refused, naming those it does: unknown is not none.
    """
    check_known("organisation type", [organisation_type], ORG_TYPES)
    organisations = store.find_nodes(NodeKind.ORGANISATION, "org_type", [organisation_type])
    sent = follow(store, [organisation.id for organisation in organisations], incoming=[_E.SENT_TO])
    found = [
        RecipientReleases(organisation, tuple(sorted(related(sent[organisation.id], [_E.SENT_TO]),
                                                     key=lambda release: dated_order(release.node))))
        for organisation in organisations
        if organisation.id in sent
    ]  # fmt: skip
    return sorted(found, key=lambda recipient: (recipient.organisation.name.lower(), recipient.organisation.id))
