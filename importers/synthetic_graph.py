"""A synthetic national-scale graph with the real graph's shape, for scale tests and benchmarks only.

Nothing here describes a real school, organisation or person: every node is ``synthetic=True``, every
name starts with "Synthetic", and every fact cites the generator and its seed. The stores refuse to
hold synthetic and real nodes together, so this data can never leak into the real graph.

The graph is a function of ``(scale, seed)``: the same pair always gives the same nodes and edges.
At ``scale=1.0`` it is national: about 81k nodes and 540k edges. Counts:

==============================  ==============================  =====================================
what                            count at scale ``s``            edges
==============================  ==============================  =====================================
schools                         ``n(50_000)``                   SUBMITS to the collections of their phase
school successions              ``n(3_000)``                    SUCCEEDED_BY (predecessor -> successor)
collections                     12, whatever the scale          FEEDS: data set ``d`` fed by collection
                                                                ``d % 12``
data sets                       41, whatever the scale          HOLDS: item ``i`` in data set ``i % 41``
data items                      ``n(15_000)``                   CLASSIFIED_AS three classifications each;
                                                                REPRESENTS one concept each;
                                                                RESTRICTED_BY a rule where one applies
concepts                        ``n(3_500)`` under 4 categories BROADER: each concept under one category
classifications                 14 (4 tiers, 5 + 5 scores)
release rules                   2
releases                        ``n(5_000)``                    INCLUDES 1-3 data sets and up to 35 of
                                                                their items; APPROVED_BY its approval;
                                                                SENT_TO 1 organisation (2 for one in ten)
approvals                       one per release
organisations                   ``n(2_000)``, typed             SHARES_ONWARD: ``n(1_000)`` distinct
                                                                pairs (at most half of all pairs)
==============================  ==============================  =====================================

where ``n(x) = max(1, round(x * s))``.

Why one Collection node per census or assessment, not one per term and year: 50k schools x 25 years x
3 terms would be 3.75M SUBMITS edges, more than a 2-core machine should hold to test anything. Each
school instead SUBMITS once to each collection of its phase, and the edge's validity is the span in
which both the school was open and the collection ran; ``as_of`` queries select the years. This is
also the shape the real graph has (a Collection carries its terms and first and last years).

Releases approved before May 2018 are DMAP approvals of whole tiers: they include the items of their
tiers in the chosen data sets at ``tier_level`` certainty. Later ones are DSAP approvals with a
confirmed item list.

:mod:`importers.synthetic` imports it from a spec file and writes it in chunks.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from importers.base import Batch
from lineage.model import (
    ALWAYS,
    CONFIRMED,
    ORG_TYPES,
    PUPIL_LEVEL,
    SCHOOL_LEVEL,
    Certainty,
    CertaintyLevel,
    Citation,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    Scalar,
    Validity,
    node_id,
)

#: National counts of the scaled kinds (scale 1.0); see the module docstring.
NATIONAL = {
    "schools": 50_000,
    "successions": 3_000,
    "items": 15_000,
    "concepts": 3_500,
    "releases": 5_000,
    "organisations": 2_000,
    "onward_shares": 1_000,
}
DATASETS = 41
CATEGORIES = 4
MAX_SCALE = 10.0
FIRST_YEAR, LAST_YEAR = 2000, 2024  # 25 academic years of collections
DSAP_FROM = dt.date(2018, 5, 1)  # the Data Sharing Approvals Panel replaced DMAP in May 2018

PHASES = ("primary", "secondary", "all-through", "special", "alternative provision")
PHASE_WEIGHTS = (74, 16, 2, 5, 3)
ALL = frozenset(PHASES)
PRIMARY = frozenset({"primary", "all-through", "special"})
SECONDARY = frozenset({"secondary", "all-through", "special"})


@dataclass(frozen=True, slots=True)
class _Collection:
    code: str
    name: str
    terms: tuple[str, ...]
    first_year: int
    phases: frozenset[str]  # the phases of school that submit it (none: a local authority return)


COLLECTIONS = (
    _Collection("SYN-SC", "Synthetic school census", ("autumn", "spring", "summer"), FIRST_YEAR, ALL),
    _Collection("SYN-EXC", "Synthetic exclusions collection", ("autumn", "spring", "summer"), FIRST_YEAR, ALL),
    _Collection("SYN-ABS", "Synthetic absence collection", ("autumn", "spring", "summer"), 2005, ALL),
    _Collection(
        "SYN-APC", "Synthetic alternative provision census", ("spring",), 2008, frozenset({"alternative provision"})
    ),
    _Collection("SYN-EYFSP", "Synthetic early years foundation stage profile", ("summer",), 2002, PRIMARY),
    _Collection("SYN-PHON", "Synthetic phonics screening check", ("summer",), 2011, PRIMARY),
    _Collection("SYN-KS1", "Synthetic key stage 1 assessment", ("summer",), FIRST_YEAR, PRIMARY),
    _Collection("SYN-KS2", "Synthetic key stage 2 assessment", ("summer",), FIRST_YEAR, PRIMARY),
    _Collection("SYN-KS4", "Synthetic key stage 4 results", ("summer",), FIRST_YEAR, SECONDARY),
    _Collection("SYN-KS5", "Synthetic key stage 5 results", ("summer",), FIRST_YEAR, SECONDARY - {"special"}),
    _Collection("SYN-CIN", "Synthetic children in need census", ("spring",), 2008, frozenset()),
    _Collection("SYN-CLA", "Synthetic children looked after return", ("spring",), FIRST_YEAR, frozenset()),
)

#: How often each of the model's organisation types (``lineage.model.ORG_TYPES``) is drawn, relative to the others.
ORG_TYPE_WEIGHTS = {
    "government department": 3,
    "other public body": 3,
    "police": 3,
    "court": 1,
    "local authority": 15,
    "academic": 35,
    "commercial": 25,
    "media": 4,
    "charity or think tank": 8,
    "NHS body": 3,
    "other": 2,
    "unknown": 2,
}
GATEWAYS = ("Prescribed Persons Regulations 2009", "Digital Economy Act 2017 s.64", "memorandum of understanding")
SENSITIVITIES = "ABCDE"
#: (rule key, restricts items where, text)
RULES = (
    ("synthetic-no-instant-identifiers-to-srs", "identifiability 1", "instant identifiers are not released to SRS"),
    ("synthetic-no-b-items-to-srs", "sensitivity B", "highly sensitive items are not released to SRS"),
)


def scaled(what: str, scale: float) -> int:
    """The count of one scaled kind at ``scale``: ``max(1, round(national * scale))``."""
    return max(1, round(NATIONAL[what] * scale))


def generate(scale: float, seed: int, cite: Citation | None = None) -> Batch:
    """The synthetic graph at ``scale`` (1.0 = national) for ``seed``; the same pair gives the same graph.

    ``cite`` is the citation every fact carries; by default it names the generator, its seed and scale."""
    if not (0 < scale <= MAX_SCALE):  # also refuses NaN
        raise ValueError(f"scale must be above 0 and at most {MAX_SCALE}, got {scale}")
    cite = cite or Citation(f"synthetic generator, seed {seed}", f"generate(scale={scale:g}, seed={seed})")
    return _Generator(scale, random.Random(seed), frozenset({cite})).run()


class _Generator:
    """One generation: a seeded random source and the batch it fills, upstream kinds first."""

    def __init__(self, scale: float, rng: random.Random, citations: frozenset[Citation]) -> None:
        self.scale, self.rng, self.citations = scale, rng, citations
        self.batch = Batch()

    def node(self, kind: NodeKind, key: str, name: str, props: dict[str, Scalar], validity: Validity = ALWAYS) -> str:
        node = Node(kind, key, f"Synthetic {name}", props, self.citations, validity=validity, synthetic=True)
        self.batch.nodes.append(node)
        return node.id

    def edge(
        self,
        source: str,
        kind: EdgeKind,
        target: str,
        *,
        props: dict[str, Scalar] | None = None,
        certainty: Certainty = CONFIRMED,
        validity: Validity = ALWAYS,
    ) -> None:
        edge = Edge(source, kind, target, props or {}, self.citations, certainty, validity)
        self.batch.edges.append(edge)

    def date(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randrange((last - first).days + 1))

    def run(self) -> Batch:
        self.schools()
        collections = self.collections_and_datasets()
        self.submissions(collections)
        items_by_dataset = self.items()
        organisations = self.organisations()
        self.releases(items_by_dataset, organisations)
        return self.batch

    # ---- schools --------------------------------------------------------------------------------

    def schools(self) -> None:
        rng, n = self.rng, scaled("schools", self.scale)
        successions = min(scaled("successions", self.scale), n // 2)
        linked = rng.sample(range(n), 2 * successions)
        spans: dict[int, tuple[dt.date, dt.date | None]] = {}
        for predecessor, successor in zip(linked[::2], linked[1::2], strict=True):
            handover = self.date(dt.date(FIRST_YEAR + 2, 1, 1), dt.date(LAST_YEAR, 12, 31))
            spans[predecessor] = (self.date(dt.date(1950, 1, 1), handover - dt.timedelta(days=365)), handover)
            spans[successor] = (handover + dt.timedelta(days=1), None)
        self.school_phases: list[str] = rng.choices(PHASES, PHASE_WEIGHTS, k=n)
        self.school_spans: list[tuple[dt.date, dt.date | None]] = []
        for i, phase in enumerate(self.school_phases):
            opened, closed = spans.get(i) or (self.date(dt.date(1950, 1, 1), dt.date(LAST_YEAR, 6, 30)), None)
            if i not in spans and rng.random() < 0.12:
                closed = self.date(max(opened, dt.date(FIRST_YEAR, 9, 1)), dt.date(LAST_YEAR + 1, 8, 31))
            self.school_spans.append((opened, closed))
            la = rng.randrange(152)
            props: dict[str, Scalar] = {
                "urn": _urn(i),
                "la_code": f"S{la:03d}",
                "la_name": f"Synthetic local authority {la:03d}",
                "establishment_type": f"synthetic {phase} school",
                "phase": phase,
                "status": "closed" if closed else "open",
                "open_date": opened,
            }
            if closed:
                props["close_date"] = closed
            self.node(NodeKind.SCHOOL, str(_urn(i)), f"school {i:05d}", props, Validity(opened, closed))
        for predecessor, successor in zip(linked[::2], linked[1::2], strict=True):
            self.edge(
                node_id(NodeKind.SCHOOL, _urn(predecessor)),
                EdgeKind.SUCCEEDED_BY,
                node_id(NodeKind.SCHOOL, _urn(successor)),
                props={"link_type": "Successor"},
                validity=Validity(spans[successor][0]),
            )

    # ---- collections, data sets and submissions -------------------------------------------------

    def collections_and_datasets(self) -> list[str]:
        collections = [
            self.node(
                NodeKind.COLLECTION,
                c.code,
                c.name.removeprefix("Synthetic "),
                {"terms": c.terms, "first_year": c.first_year, "last_year": LAST_YEAR},
            )
            for c in COLLECTIONS
        ]
        self.datasets: list[str] = []
        for d in range(DATASETS):
            level = PUPIL_LEVEL if d < 26 else SCHOOL_LEVEL
            first = self.rng.randrange(1996, 2013)
            props: dict[str, Scalar] = {
                "level": level,
                "first_year": first,
                "last_year": LAST_YEAR,
                "description": "generated",
            }
            dataset = self.node(NodeKind.DATASET, f"Synthetic_D{d:02d}", f"data set {d:02d} ({level})", props)
            self.datasets.append(dataset)
            self.edge(collections[d % len(COLLECTIONS)], EdgeKind.FEEDS, dataset)
        return collections

    def submissions(self, collections: Sequence[str]) -> None:
        """Each school submits to every collection of its phase, for the span in which both ran."""
        for i, (phase, (opened, closed)) in enumerate(zip(self.school_phases, self.school_spans, strict=True)):
            school = node_id(NodeKind.SCHOOL, _urn(i))
            for collection, spec in zip(collections, COLLECTIONS, strict=True):
                start = max(opened, dt.date(spec.first_year, 9, 1))
                end = min(closed or dt.date.max, dt.date(LAST_YEAR + 1, 8, 31))
                if phase in spec.phases and start <= end:
                    self.edge(school, EdgeKind.SUBMITS, collection, validity=Validity(start, end))

    # ---- items, their classes, concepts and rules -----------------------------------------------

    def items(self) -> list[list[tuple[str, int]]]:
        """Items (with their old tier) per data set."""
        rng = self.rng
        classes = self.classifications()
        rules = [
            self.node(NodeKind.RELEASE_RULE, key, f"release rule: {text}", {"text": text, "applies_to": "ONS SRS"})
            for key, _, text in RULES
        ]
        categories = [
            self.node(NodeKind.CONCEPT, f"Synthetic category {c}", f"category {c}", {"level": 0})
            for c in range(CATEGORIES)
        ]
        concepts = []
        for c in range(scaled("concepts", self.scale)):
            key = f"Synthetic category {c % CATEGORIES}/Synthetic concept {c:05d}"
            concept = self.node(NodeKind.CONCEPT, key, f"concept {c:05d}", {"level": 1, "description": "generated"})
            self.edge(concept, EdgeKind.BROADER, categories[c % CATEGORIES])
            concepts.append(concept)
        items_by_dataset: list[list[tuple[str, int]]] = [[] for _ in range(DATASETS)]
        for i in range(scaled("items", self.scale)):
            d = i % DATASETS
            alias = f"SYN{d:02d}_ITEM{i:05d}"
            tier, identifiability, sensitivity = rng.randint(1, 4), rng.randint(1, 5), rng.choice(SENSITIVITIES)
            props: dict[str, Scalar] = {
                "alias": alias,
                "description": "generated",
                "first_year": rng.randrange(1996, 2019),
                "collection_term": rng.choice(("autumn", "spring", "summer", "autumn, spring, summer")),
                "old_tier": tier,
                "identifiability": identifiability,
                "sensitivity": sensitivity,
                "availability": rng.choice(("Default", "By request")),
                "available_from_ukds": rng.random() < 0.1,
            }
            item = self.node(NodeKind.DATA_ITEM, f"Synthetic_D{d:02d}/{alias}", f"item {alias}", props)
            items_by_dataset[d].append((item, tier))
            self.edge(self.datasets[d], EdgeKind.HOLDS, item)
            for scale_code in (f"old_tier:{tier}", f"identifiability:{identifiability}", f"sensitivity:{sensitivity}"):
                self.edge(item, EdgeKind.CLASSIFIED_AS, classes[scale_code])
            self.edge(item, EdgeKind.REPRESENTS, concepts[rng.randrange(len(concepts))])
            if identifiability == 1:
                self.edge(item, EdgeKind.RESTRICTED_BY, rules[0])
            if sensitivity == "B":
                self.edge(item, EdgeKind.RESTRICTED_BY, rules[1])
        return items_by_dataset

    def classifications(self) -> dict[str, str]:
        codes = [("old_tier", str(t)) for t in range(1, 5)]
        codes += [("identifiability", str(i)) for i in range(1, 6)]
        codes += [("sensitivity", s) for s in SENSITIVITIES]
        return {
            f"{scale}:{code}": self.node(
                NodeKind.CLASSIFICATION,
                f"{scale}:{code}",
                f"{scale.replace('_', ' ')} {code}",
                {"scale": scale, "code": code, "definition": "generated"},
            )
            for scale, code in codes
        }

    # ---- organisations and releases -------------------------------------------------------------

    def organisations(self) -> list[str]:
        n = scaled("organisations", self.scale)
        types = self.rng.choices(ORG_TYPES, [ORG_TYPE_WEIGHTS[org_type] for org_type in ORG_TYPES], k=n)
        organisations = [
            self.node(
                NodeKind.ORGANISATION,
                f"synthetic organisation {o:05d}",
                f"Organisation {o:05d}",
                {"org_type": org_type, "variants": (f"Synthetic Organisation {o:05d}",)},
            )
            for o, org_type in enumerate(types)
        ]
        pairs: dict[tuple[int, int], None] = {}  # insertion-ordered, so the edges come out in a fixed order
        wanted = min(scaled("onward_shares", self.scale), n * (n - 1) // 2)
        while len(pairs) < wanted:
            source, target = self.rng.sample(range(n), 2)
            pairs[source, target] = None
        for source, target in pairs:
            self.edge(organisations[source], EdgeKind.SHARES_ONWARD, organisations[target])
        return organisations

    def releases(self, items_by_dataset: Sequence[Sequence[tuple[str, int]]], organisations: Sequence[str]) -> None:
        rng = self.rng
        tier_level = Certainty(CertaintyLevel.TIER_LEVEL)
        for r in range(scaled("releases", self.scale)):
            reference = f"SYN-R{r:05d}"
            day = self.date(dt.date(2012, 1, 1), dt.date(LAST_YEAR, 12, 31))
            before_dsap = day < DSAP_FROM
            tiers = rng.choice((("1", "2"), ("1",), ("2",), ("3",), ("4",), ("2", "4"))) if before_dsap else ()
            props: dict[str, Scalar] = {
                "reference": reference,
                "register": "Synthetic register",
                "date": day,
                "status": "approved",
                "scope_published": not before_dsap,
            }
            if tiers:
                props["tiers"] = tiers
            valid = Validity(day, day + dt.timedelta(days=rng.choice((365, 730, 1095))))
            release = self.node(NodeKind.RELEASE, reference, f"release {reference}", props, valid)
            panel = "DMAP" if before_dsap else "DSAP"
            approval = self.node(
                NodeKind.APPROVAL,
                f"{panel}:{reference}",
                f"{panel} approval of {reference}",
                {
                    "panel": panel,
                    "decision_date": day - dt.timedelta(days=rng.randrange(90)),
                    "legal_gateway": rng.choice(GATEWAYS),
                    "access_route": "extract" if before_dsap else rng.choice(("extract", "secure setting")),
                },
            )
            self.edge(release, EdgeKind.APPROVED_BY, approval)
            chosen = sorted(rng.sample(range(DATASETS), rng.randint(1, 3)))
            candidates = [item for d in chosen for item, tier in items_by_dataset[d] if not tiers or str(tier) in tiers]
            for d in chosen:
                self.edge(release, EdgeKind.INCLUDES, self.datasets[d])
            for item in rng.sample(candidates, min(len(candidates), rng.randint(5, 35))):
                self.edge(release, EdgeKind.INCLUDES, item, certainty=tier_level if tiers else CONFIRMED)
            recipients = rng.sample(range(len(organisations)), min(len(organisations), 2 if rng.random() < 0.1 else 1))
            for o in recipients:
                self.edge(release, EdgeKind.SENT_TO, organisations[o], validity=valid)


def _urn(i: int) -> int:
    """Synthetic URNs start at 9,000,000, far above any real GIAS URN."""
    return 9_000_000 + i
