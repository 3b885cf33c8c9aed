"""Every gap in the record, and who holds the answer: the facts the public record leaves open, one per release,
application, statement, figure or access to a body the record does not name, each with what is known, exactly what
is missing, the public authority that holds it, the sources, and the earlier Freedom of Information requests on the
same matter among those sources.

The kinds of gap (:data:`GAP_KINDS`): a release whose items are not published; an application whose outcome is not
stated; a release with no date, or no named recipient, and pupil data DfE passed to a body the record does not name
(an access, a published count); a body that refused to say whether data went further (onward sharing not disclosed);
an agreement to share known only from an account of it (agreement not published); a document a source says is
withheld, such as the ICO's full audit report of DfE (document withheld), asked of each body holding it;
two sources that disagree; a figure the record does not establish. A gap closes when a later import changes what
made it one (:data:`CLOSED_WHEN` says what, per kind): ``lineage diff``, the ``gapsClosed`` question
(:mod:`lineage.questions.closings`), the Atom feed and the explorer say which source closed it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from lineage.errors import LineageError, NotFound
from lineage.hops import Step
from lineage.keys import slug
from lineage.model import (
    PARTY_WORDS,
    REFUSED_TO_SAY,
    RULE_LEVELS,
    Citation,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    ordered_citations,
)
from lineage.questions.common import PUPIL_RECORDS, PerState, check_known, check_period, follow, follow_chain, quoted
from lineage.questions.records import Disclosure, disclosures, open_applications
from lineage.questions.releases import AGREEMENT, OUTCOME_NOT_STATED, find_organisation, release_walk
from lineage.questions.statements import Stated, said_by_sources, source_says
from lineage.questions.timeline import compiler_note, figure_text
from lineage.store import Store

__all__ = ["CLOSED_WHEN", "GAP_KINDS", "Gap", "GapFilter", "gap_counts", "gaps", "gaps_by_id"]

_E = EdgeKind

#: The kinds of gap, in the order a reader meets them.
ITEMS_NOT_PUBLISHED = "items not published"
DATE_NOT_GIVEN = "date not given"
RECIPIENT_NOT_NAMED = "recipient not named"
ONWARD_NOT_DISCLOSED = "onward sharing not disclosed"
AGREEMENT_NOT_PUBLISHED = "agreement not published"
DOCUMENT_WITHHELD = "document withheld"
CONTESTED = "contested"
UNVERIFIED = "unverified"
GAP_KINDS = (
    ITEMS_NOT_PUBLISHED,
    OUTCOME_NOT_STATED,
    DATE_NOT_GIVEN,
    RECIPIENT_NOT_NAMED,
    ONWARD_NOT_DISCLOSED,
    AGREEMENT_NOT_PUBLISHED,
    DOCUMENT_WITHHELD,
    CONTESTED,
    UNVERIFIED,
)
#: The authority that holds what DfE's registers leave open.
DFE = "Department for Education"
#: What to ask for, per kind of gap: the facts the record leaves open.
ASKS = {
    ITEMS_NOT_PUBLISHED: (
        "the data items and the academic years of pupils' records released",
        "the legal gateway under which they were released",
        "the approving panel's decision and its date",
        "whether the recipient was permitted to pass the data on, and whether it did",
    ),
    OUTCOME_NOT_STATED: (
        "the approving panel's decision on the application and its date",
        "whether data were released under it, and if so the data items and academic years",
        "the legal gateway relied on",
    ),
    DATE_NOT_GIVEN: ("the date on which the data were released",),
    RECIPIENT_NOT_NAMED: ("the name of the organisation that received the data",),
    ONWARD_NOT_DISCLOSED: (
        "whether pupil data received from the Department for Education were passed to any other body",
        "if so, to which bodies, when, and under what legal basis",
    ),
    # the registers give no items (data/SOURCES.md): the record that settles it is DfE's own of the release
    AGREEMENT_NOT_PUBLISHED: (
        "the agreement's text, and the date it was made or last changed",
        "the number of requests made under it each year, and how many led to pupil data being shared",
    ),
    DOCUMENT_WITHHELD: (
        "the document in full, or the parts of it that can be released, with the exemptions relied on for the rest",
    ),
    CONTESTED: (
        "the record that settles what the release held: the data items released, as the Department's own record of "
        "the release (its approval or the extract's specification) lists them",
    ),
    UNVERIFIED: ("the figure as the authority records it, with its period and what it counts",),
}
#: What to ask of an entry with no outcome that is no application (lineage.model.PARTY_WORDS): DfE's policy of
#: sharing with a body, or an arrangement with it, has no panel's decision to ask for.
SHARING_ASKS = (
    "whether pupil data were shared with it under this, and if so when, which data items and academic years",
    "the legal gateway relied on",
)
#: What to ask for where the gap's subject is a published figure, not a release: the authority's own count.
FIGURE_ASKS = {CONTESTED: ("the figure as the authority now records it, with its period and what it counts",)}
#: What the import that closed a gap of each kind did to the record: exactly what closes it here, no more (the
#: subject's other open questions, such as a release's legal gateway, may still be open).
CLOSED_WHEN = {
    ITEMS_NOT_PUBLISHED: "a source named data sets or items in it, at the certainty that source gives",
    OUTCOME_NOT_STATED: "a source stated an outcome of the application",
    DATE_NOT_GIVEN: "a source gave its date",
    RECIPIENT_NOT_NAMED: "a source named its recipient",
    ONWARD_NOT_DISCLOSED: "the record stopped holding this refusal to say",
    AGREEMENT_NOT_PUBLISHED: "a source of the agreement's own text (the government's, or Parliament's) was imported",
    DOCUMENT_WITHHELD: "the record stopped saying the document is withheld",
    CONTESTED: "the record stopped marking it contested",
    UNVERIFIED: "the record marked the figure verified",
}
#: Where earlier Freedom of Information requests are published: a cited address there is one.
FOI_SITES = ("whatdotheyknow.com/request/",)


@dataclass(frozen=True, slots=True)
class Gap:
    """One fact the record leaves open, about one node, and who holds the answer."""

    id: str  # "<kind slug>:<node id>", or of what the source gives of an access: stable across builds
    kind: str
    subject: Node
    known: tuple[str, ...]  # what sources already say of it, each as its source gives it
    missing: tuple[str, ...]  # exactly what to ask for
    authority: str
    organisations: tuple[Node, ...]  # the recipients or applicants concerned
    sources: tuple[Citation, ...]
    earlier_requests: tuple[str, ...]  # addresses of FOI requests on the same matter among the sources
    when: dt.date | None = None  # the date of what it is about, where that is a link of its subject (an access)

    @property
    def date(self) -> dt.date | None:
        day = self.when or self.subject.props.get("date")
        return day if isinstance(day, dt.date) else None


def _gap_id(kind: str, key: str) -> str:
    return f"{kind.replace(' ', '-')}:{key}"


def _earlier(citations: Iterable[Citation]) -> tuple[str, ...]:
    return tuple(sorted({c.address for c in citations if any(site in c.address for site in FOI_SITES)}))


def _described(node: Node) -> tuple[str, ...]:
    """What is public about a release or application, in words."""
    props = node.props
    # "entry", not "register entry": some sources of one say it is in no register ("not DfE NPD register")
    said = [f"reference {props['reference']}" if props.get("reference") else f"entry {node.name}"]
    if isinstance(props.get("date"), dt.date):
        said.append(f"dated {props['date']}{compiler_note(node)}")  # which date, where a column gives three kinds
    elif props.get("date_as_cited"):
        said.append(f"dated as cited: {props['date_as_cited']}{compiler_note(node)}")
    elif props.get("notes"):
        # an undated entry's notes say what its source left unseen (DS00194's "no dates/status/purpose visible")
        said.append(f"the compiler's note: {props['notes']}")
    for name, words in (
        ("register", "register"), ("status", "status"), ("status_as_cited", "status as cited"),
        ("purpose", "purpose as cited"),
    ):  # fmt: skip
        if props.get(name):
            said.append(f"{words}: {props[name]}")
    if node.strings("tiers"):
        said.append(f"approved tiers: {', '.join(node.strings('tiers'))}")
    return tuple(said)


def _said(stated: Iterable[Stated], of_recipient: bool = False) -> tuple[tuple[str, ...], tuple[Citation, ...]]:
    """What sources say of a release or application (or of its recipient, naming none), in their words and as
    each source gives it, with their citations: known already, so a gap never asks for it as if unsaid (DfE's
    written answer listing the BBC's sensitive items was left out of the gap asking for its items)."""
    stated = tuple(stated)
    return said_by_sources(stated, of_recipient), tuple(
        c for s in stated for c in ordered_citations(s.statement.citations)
    )


def _gap(kind: str, node: Node, organisations: Collection[Node], known: Iterable[str], authority: str = DFE,
         citations: Iterable[Citation] = (), link: Edge | None = None, key: str | None = None) -> Gap:  # fmt: skip
    """A gap about ``node``, citing its sources and ``citations``; or about one ``link`` of it (an access to it),
    citing that link alone and dated by it, its id made from ``key``."""
    cites = tuple(ordered_citations({*(link.citations if link else node.citations), *citations}))
    asks = FIGURE_ASKS.get(kind, ASKS[kind]) if node.kind is NodeKind.AGGREGATE_FLOW else ASKS[kind]
    if kind == OUTCOME_NOT_STATED and node.props.get("status") in PARTY_WORDS:
        asks = SHARING_ASKS
    return Gap(
        _gap_id(kind, key or node.id), kind, node, tuple(known), asks, authority,
        tuple(sorted(organisations, key=lambda o: o.id)), cites, _earlier(cites),
        link.validity.valid_from if link else None,
    )  # fmt: skip


@PerState
def _all_gaps(store: Store) -> tuple[Gap, ...]:
    """Every gap in the store, once per state of the store, in a fixed number of batched calls."""
    found: list[Gap] = []
    for traced in release_walk(store).traces:
        release = traced.release
        recipients = [r.node for r in traced.recipients]
        (own, own_cites), (others, other_cites) = _said(traced.statements), _said(traced.recipient_statements, True)
        known, cites = (*_described(release), *own, *others), (*own_cites, *other_cites)
        # the tier rule and other rules infer items; only a stated inclusion publishes them
        if all(i.link.certainty.level in RULE_LEVELS for i in traced.includes):
            found.append(_gap(ITEMS_NOT_PUBLISHED, release, recipients, known, citations=cites))
        if not isinstance(release.props.get("date"), dt.date):
            found.append(_gap(DATE_NOT_GIVEN, release, recipients, known, citations=cites))
        if not recipients:
            found.append(_gap(RECIPIENT_NOT_NAMED, release, recipients, known, citations=cites))
    for open_application in open_applications(store):
        application = open_application.application
        # the bodies it was made by and for: the Home Office's gaps hold the application it commissioned
        concerned = [r.node for r in (*open_application.applicants, *open_application.commissioned_by)]
        said, cites = _said(open_application.statements)
        known = (*_described(application), *said)
        found.append(_gap(OUTCOME_NOT_STATED, application, concerned, known, citations=cites))
    found += _statement_gaps(store)
    found += _unnamed_recipients(store)
    found += _agreements_told_of(store)
    found += _withheld_documents(store)
    found += _contested_figures(store)
    for figure in store.find_nodes(NodeKind.AGGREGATE_FLOW, "verified", [False]):
        found.append(_gap(UNVERIFIED, figure, (), [figure_text(figure)]))
    return tuple(sorted(found, key=lambda g: (GAP_KINDS.index(g.kind), g.date or dt.date.max, g.id)))


def _statement_gaps(store: Store) -> list[Gap]:
    """Refusals to say whether data went further, addressed to the body that refused; contested statements,
    to DfE, which holds the register."""
    refused = store.find_nodes(NodeKind.STATEMENT, "statement", [REFUSED_TO_SAY])
    contested = store.find_nodes(NodeKind.STATEMENT, "contested", [True])
    # what each is about, and the other side of a contradiction; then whom a release or an application concerns
    around, parties = follow_chain(store, [s.id for s in (*refused, *contested)], _STATEMENT_STEPS)
    about = {near: [h for h in hops if h.edge.kind is _E.ABOUT] for near, hops in around.items()}
    found = []
    for statement in refused:
        bodies = [h.node for h in about.get(statement.id, []) if h.node.kind is NodeKind.ORGANISATION]
        authority = bodies[0].name if bodies else str(statement.props.get("organisation_as_written", DFE))
        quote = statement.props.get("quote")
        asked = f"asked {quoted(quote)}" if quote else "asked"
        known = (
            f"{asked}; {authority} refused to say ({statement.props.get('source_kind', 'a source')})"
            + compiler_note(statement),
        )
        found.append(_gap(ONWARD_NOT_DISCLOSED, statement, bodies, known, authority))
    for statement in contested:
        subjects = [h.node for h in about.get(statement.id, [])]
        bodies = [h.node for n in subjects for h in parties.get(n.id, []) if h.node.kind is NodeKind.ORGANISATION]
        concerned = {n.id: n for n in (*subjects, *bodies) if n.kind is NodeKind.ORGANISATION}.values()
        others = [h for h in around.get(statement.id, []) if h.edge.kind is _E.CONTRADICTS]
        # each side with its row's notes, as every line quoting a statement gives them: DfE's 2017 answer on the
        # Telegraph's request (row 10) had been quoted without "CONFLICTS with FOI-based accounts above"
        said = (
            source_says(statement) + compiler_note(statement),
            *(f"another cited source disagrees: {source_says(h.node)}{compiler_note(h.node)}" for h in others),
        )
        cites = [c for n in subjects for c in n.citations] + [c for h in others for c in h.node.citations]
        found.append(_gap(CONTESTED, statement, concerned, said, citations=cites))
    return found


#: From a statement: what it is about and what contradicts it (either way); then the recipients of a release, or
#: the body making an application, it is about.
_STATEMENT_STEPS = (
    Step(outgoing=frozenset({_E.ABOUT, _E.CONTRADICTS}), incoming=frozenset({_E.CONTRADICTS}), after=(0,)),
    Step(outgoing=frozenset({_E.SENT_TO, _E.MADE_BY}), after=(1,)),
)


def _withheld_documents(store: Store) -> list[Gap]:
    """A document a source says exists but is withheld (the ICO's full audit report of DfE, which both refused
    under FOI), one gap per body holding it: what is public of it is others' quotes, given as known."""
    found = []
    for event in (e for e in store.all_nodes(NodeKind.EVENT) if e.props.get("withheld")):
        document, holders = str(event.props["withheld"]), event.strings("withheld_by")
        quote = event.props.get("quote")
        known = (
            f"{document}, withheld by {' and by '.join(holders)}",
            f"its source ({event.props.get('date_as_cited') or 'undated'}) quotes it"
            + (": " + quoted(quote) if quote else ""),
        )
        for holder in holders:
            try:
                named = [find_organisation(store, holder)]
            except NotFound:  # a body the graph names nowhere else (the ICO): the gap names it as the table does
                named = []
            found.append(_gap(DOCUMENT_WITHHELD, event, named, known, holder, key=f"{event.id}/{slug(holder)}"))
    return found


#: How the organisations table names a body the record does not name (the police forces a count is of, a force
#: given pupils' data in November 2019, companies a service was offered to).
NOT_NAMED = "(not named in the record)"


def _unnamed_recipients(store: Store) -> list[Gap]:
    """Pupil data DfE passed to a body the record does not name, one gap per access (a police force given 2,136
    pupils' data in November 2019) or published figure (the forces HCWS272 counts; a figure's FLOWS_TO is of what
    DfE passed on): DfE, which passed it, holds the name. What went from another body (a company's service, onward)
    is not DfE's to name, and is left here. An access's gap is keyed by what the source gives of it (the body, its
    date and volume as cited), not by which records a reading says it drew on, and cites that access alone."""
    by_figure: dict[str, list[Disclosure]] = defaultdict(list)
    found = []
    for disclosure in disclosures(store):
        recipient, source, link = disclosure.to.node, disclosure.source, disclosure.to.link
        if not recipient.name.endswith(NOT_NAMED):
            continue
        if source.kind is NodeKind.AGGREGATE_FLOW:
            by_figure[source.id].append(disclosure)
        elif source.id in PUPIL_RECORDS:
            known = (f"{disclosure.when}: {disclosure.text} ({disclosure.certainty_words})",)
            key = "|".join(
                (recipient.id, str(link.props.get("date_as_cited", "")), str(link.props.get("value_text", "")))
            )
            found.append(_gap(RECIPIENT_NOT_NAMED, recipient, [recipient], known, link=link, key=key))
    for said in by_figure.values():
        figure = said[0].source
        known = (f"{said[0].when}: {said[0].text} ({said[0].certainty_words})",)
        cites = [c for d in said for c in d.to.link.citations]
        found.append(_gap(RECIPIENT_NOT_NAMED, figure, [d.to.node for d in said], known, citations=cites))
    return found


#: The kinds of source (data/source_kinds.csv) that give an agreement's own text: the government's page or copy of
#: it, Parliament's, a regulator's own letter. Any other (a requester, a campaigner, the press) only tells of it.
OWN_TEXT_KINDS = frozenset({"dfe_or_government", "parliament", "regulator"})


def _agreements_told_of(store: Store) -> list[Gap]:
    """Agreements to share pupil data that the record knows only from an account of them (a requester's 'updated in
    January 2019', a campaigner's DWP arrangement formalised after its 2018 pilot): their text, and the requests
    made under them, are DfE's to give, as a party to each."""
    told = [
        event
        for event in store.find_nodes(NodeKind.EVENT, "event_kind", [AGREEMENT])
        if event.props.get("source_kind") not in OWN_TEXT_KINDS
    ]
    concerned = follow(store, [e.id for e in told], outgoing=[_E.CONCERNS])
    found = []
    for event in told:
        bodies = [h.node for h in concerned.get(event.id, []) if h.node.kind is NodeKind.ORGANISATION]
        known = (
            f"{event.props.get('date_as_cited')}: {event.props.get('source_kind')} says: "
            + quoted(event.props.get("quote"))
            + compiler_note(event),
        )
        found.append(_gap(AGREEMENT_NOT_PUBLISHED, event, bodies, known))
    return found


def _contested_figures(store: Store) -> list[Gap]:
    """Published figures another cited source contradicts, each with the other's figure, concerning the bodies
    either flows to or from, to DfE, which holds the NPD."""
    contested = store.find_nodes(NodeKind.AGGREGATE_FLOW, "contested", [True])
    around = follow(store, [f.id for f in contested], outgoing=_FIGURE_LINKS, incoming=[_E.CONTRADICTS])
    found = []
    for figure in contested:
        near = around.get(figure.id, [])
        others = [h for h in near if h.edge.kind is _E.CONTRADICTS]
        bodies = [h.node for h in near if h.edge.kind is not _E.CONTRADICTS and h.node.kind is NodeKind.ORGANISATION]
        said = (figure_text(figure), *(f"another source gives: {figure_text(h.node)}" for h in others))
        cites = [c for h in others for c in (*h.node.citations, *h.edge.citations)]
        found.append(_gap(CONTESTED, figure, {b.id: b for b in bodies}.values(), said, citations=cites))
    return found


#: What a contested figure's gap reads: the figures it contradicts, and the bodies it flows to or from.
_FIGURE_LINKS = (_E.CONTRADICTS, _E.FLOWS_TO, _E.FLOWS_FROM)


@dataclass(frozen=True, slots=True)
class GapFilter:
    """Which gaps a question keeps, one rule for the open ones and the closed ones: by kind, by an organisation
    concerned, by period (an undated gap is kept: its date is itself unknown) and by a node (its id: the gaps
    about it, or about what concerns it as recipient or applicant)."""

    kinds: Collection[str] | None = None
    organisation: str | None = None  # the organisation's id, once found
    start: dt.date | None = None
    end: dt.date | None = None
    node: str | None = None

    @classmethod
    def asked(
        cls,
        store: Store,
        kinds: Collection[str] | None = None,
        organisation: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        node: str | None = None,
    ) -> GapFilter:
        """The filter a question was asked, checked: an unknown kind, organisation or a backward period is refused,
        and so is a blank organisation or node, which would otherwise filter nothing out."""
        check_known("kind of gap", kinds or (), GAP_KINDS)
        check_period(start, end)
        if node is not None and not node.strip():
            raise LineageError("node must be a node's id (Kind:key), as search answers it, not blank")
        body = find_organisation(store, organisation).id if organisation is not None else None
        return cls(kinds, body, start, end, node)

    def keeps(self, kind: str, date: dt.date | None, subject: str, organisations: Collection[str]) -> bool:
        return (
            (not self.kinds or kind in self.kinds)
            and (self.organisation is None or self.organisation in organisations)
            and (self.node is None or self.node == subject or self.node in organisations)
            and (date is None or ((not self.start or date >= self.start) and (not self.end or date <= self.end)))
        )


def gaps(
    store: Store,
    kinds: Collection[str] | None = None,
    organisation: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    node: str | None = None,
) -> list[Gap]:
    """The gaps, filtered by kind, by an organisation concerned (its name or a variant, ignoring case), by period
    (an undated gap is kept: its date is itself unknown) and by a node (its id: the gaps about it, or about what
    concerns it as recipient or applicant). A node the store lacks is refused: its open gaps are not none (the gaps
    imports closed may be about a node since gone, so that question keeps it)."""
    keep = GapFilter.asked(store, kinds, organisation, start, end, node)
    if node is not None and store.get_node(node) is None:
        raise NotFound(f"no node {node!r}: give a node id (Kind:key), as search answers it")
    return [g for g in _all_gaps(store) if keep.keeps(g.kind, g.date, g.subject.id, {o.id for o in g.organisations})]


def gaps_by_id(store: Store, ids: Collection[str]) -> list[Gap]:
    """The gaps named, in the order given, each once (a request asking twice for one thing reads as careless); an
    unknown id is refused by name."""
    every = {g.id: g for g in _all_gaps(store)}
    missing = [i for i in ids if i not in every]
    if missing:
        raise NotFound(f"no gap has the id {', '.join(map(repr, missing))} (the gaps question lists them)")
    return [every[i] for i in dict.fromkeys(ids)]


def gap_counts(store: Store) -> Counter[tuple[str, str]]:
    """How many gaps there are, by kind and authority: for the build summary and the report."""
    return Counter((g.kind, g.authority) for g in _all_gaps(store))
