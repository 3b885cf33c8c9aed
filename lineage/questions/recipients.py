"""Recipients by type: the companies, the press, the police, ... that the record says received pupil data, each with
the releases that went to it, the onward shares that reached it and the pupil data that went to it otherwise (a
published figure of what DfE passed on, an access), as a campaigner asks "which newspapers were given pupil data,
and when?".
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
    each with its SENT_TO link and that link's sources, who shared data onward with it, and the pupil data the
    record says went to it otherwise."""

    organisation: Node
    releases: tuple[Related, ...]
    received_onward: tuple[Related, ...]  # each sharer, and its SHARES_ONWARD link, cited
    disclosures: tuple[Disclosure, ...]

    @property
    def certainty(self) -> Certainty:
        """That it received pupil data: as sure as the surest of its releases' sendings, the onward shares to it
        and its other disclosures."""
        links = [*self.releases, *self.received_onward, *(d.to for d in self.disclosures)]
        return surest(r.link.certainty for r in links)


def recipients_by_type(store: Store, organisation_type: str) -> list[RecipientReleases]:
    """Every organisation of that type (as ``data/organisation_aliases.csv`` gives it) that the record says pupil
    data went to, by name: by a release, an onward share or another disclosure, each listed. Neither the police
    nor GB Group had a release, yet a written statement counts 62 pupils' data passed to the police, and a
    regulator's finding as reported says GB Group was given a service built on LRS data. Applications are not
    releases: they are in organisation_receipts. A type the model does not know is refused, naming those it does:
    unknown is not none.
    """
    check_known("organisation type", [organisation_type], ORG_TYPES)
    organisations = store.find_nodes(NodeKind.ORGANISATION, "org_type", [organisation_type])
    reached = follow(store, [o.id for o in organisations], incoming=[_E.SENT_TO, _E.SHARES_ONWARD])
    disclosed: dict[str, list[Disclosure]] = {}
    for disclosure in disclosures(store):
        disclosed.setdefault(disclosure.to.node.id, []).append(disclosure)
    found = []
    for organisation in organisations:
        hops = reached.get(organisation.id, [])
        releases = sorted(related(hops, [_E.SENT_TO]), key=lambda r: dated_order(r.node))
        onward = [r for r in related(hops, [_E.SHARES_ONWARD]) if r.node.id != organisation.id]
        if releases or onward or organisation.id in disclosed:
            found.append(
                RecipientReleases(
                    organisation, tuple(releases), tuple(onward), tuple(disclosed.get(organisation.id, ()))
                )
            )
    return sorted(found, key=lambda recipient: (recipient.organisation.name.lower(), recipient.organisation.id))
