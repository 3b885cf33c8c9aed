"""A small, hand-made graph that the conformance suite loads into every store.

Every name is fictional and every node is marked synthetic: it describes no real school or
organisation. It has what breaks stores: a cycle (O1 <-> O2), a self-loop (O2), validity dates whose
boundaries the tests probe, an edge kind whose data flows against its direction (INCLUDES), and names
with quotes, backticks and non-Latin letters. The expected answers in the tests are worked out by hand
from the drawing below, not from any store's output.

    S1 -SUCCEEDED_BY(2015-09-01..)-> S2 -SUCCEEDED_BY(2018-09-01..2019-08-31)-> S3
    S1, S2 -SUBMITS-> C -FEEDS-> D1 -HOLDS-> I1 -REPRESENTS-> K
                        -FEEDS-> D2 -HOLDS-> I2 -REPRESENTS-> K ; I2 -CLASSIFIED_AS-> CL
    R1 (2013-02-20..2014-02-19) -INCLUDES-> I2 (confirmed), I1 (tier level); -APPROVED_BY-> A1
    R1 -SENT_TO(2013-02-20..2014-02-19)-> O1 -SHARES_ONWARD(2014-01-01..)-> O2 -SHARES_ONWARD-> O1, O2
    R2 -INCLUDES-> I2 ; R2 -SENT_TO-> O2 ; O3 stands alone
"""

from __future__ import annotations

import datetime as dt

from lineage.model import ALWAYS, Certainty, CertaintyLevel, Citation, Edge, EdgeKind, Node, NodeKind, Validity

CITE = Citation("Conformance fixture (fictional)", "tests/fixture_graph.py", 1, "tests/fixture_graph.py")
TIER = Certainty(CertaintyLevel.TIER_LEVEL)
D = dt.date

O1_NAME = 'O\'Brien & "Sons" `Analytics` Ltd'
O2_NAME = "Ōtautahi Research 研究所"

S1, S2, S3 = "School:9000001", "School:9000002", "School:9000003"
C = "Collection:SC-AUT"
D1, D2 = "Dataset:SC_Pupil", "Dataset:KS4"
I1, I2 = "DataItem:SC_Pupil/FSM_[term][yy]", "DataItem:KS4/KS4_FSM"
K = "Concept:Demographics/Free school meals"
CL = "Classification:sensitivity:C"
R1, R2 = "Release:DR130220.01", "Release:DS00001"
A1 = "Approval:DMAP:DR130220.01"
O1 = 'Organisation:o\'brien & "sons" `analytics`'
O2 = "Organisation:ōtautahi research 研究所"
O3 = "Organisation:nobody"


def _node(id_: str, name: str, props: dict | None = None, validity: Validity = ALWAYS) -> Node:
    kind, _, key = id_.partition(":")
    return Node(NodeKind(kind), key, name, props or {}, frozenset({CITE}), validity=validity, synthetic=True)


def _edge(source: str, kind: EdgeKind, target: str, validity: Validity = ALWAYS, **extra) -> Edge:
    return Edge(source, kind, target, citations=frozenset({CITE}), validity=validity, **extra)


R1_DATES = Validity(D(2013, 2, 20), D(2014, 2, 19))

NODES = [
    _node(S1, "Ashgrove Primary School", {"urn": 9000001}),
    _node(S2, "Ashgrove Academy", {"urn": 9000002}, Validity(D(2015, 9, 1))),
    _node(S3, "Ashgrove Sixth Form", {"urn": 9000003}),
    _node(C, "School census, autumn", {"terms": ("autumn",)}),
    _node(D1, "School census pupil level", {"first_year": 2001, "level": "pupil-level"}),
    _node(D2, "Key Stage 4", {"first_year": 2001}),
    _node(I1, "FSM_[term][yy]", {"alias": "FSM_[term][yy]", "old_tier": 2}),
    _node(I2, "KS4_FSM", {"alias": "KS4_FSM", "identifiability": 5, "sensitivity": "C"}),
    _node(K, "Free school meals", {"level": 1}),
    _node(CL, "Sensitivity C", {"scale": "sensitivity", "code": "C"}),
    _node(R1, "DR130220.01", {"reference": "DR130220.01", "date": D(2013, 2, 20), "tiers": ("1", "2")}, R1_DATES),
    _node(R2, "DS00001", {"reference": "DS00001"}),
    _node(A1, "DMAP approval of DR130220.01", {"panel": "DMAP"}),
    _node(O1, O1_NAME, {"org_type": "commercial"}),
    _node(O2, O2_NAME, {"org_type": "academic"}),
    _node(O3, "Nobody Ltd", {"org_type": "unknown"}),
]

EDGES = [
    _edge(S1, EdgeKind.SUCCEEDED_BY, S2, Validity(D(2015, 9, 1)), props={"link_type": "Successor"}),
    _edge(S2, EdgeKind.SUCCEEDED_BY, S3, Validity(D(2018, 9, 1), D(2019, 8, 31))),
    _edge(S1, EdgeKind.SUBMITS, C),
    _edge(S2, EdgeKind.SUBMITS, C),
    _edge(C, EdgeKind.FEEDS, D1),
    _edge(C, EdgeKind.FEEDS, D2),
    _edge(D1, EdgeKind.HOLDS, I1),
    _edge(D2, EdgeKind.HOLDS, I2),
    _edge(I1, EdgeKind.REPRESENTS, K),
    _edge(I2, EdgeKind.REPRESENTS, K),
    _edge(I2, EdgeKind.CLASSIFIED_AS, CL),
    _edge(R1, EdgeKind.INCLUDES, I2),
    _edge(R1, EdgeKind.INCLUDES, I1, certainty=TIER),
    _edge(R1, EdgeKind.APPROVED_BY, A1),
    _edge(R1, EdgeKind.SENT_TO, O1, R1_DATES),
    _edge(O1, EdgeKind.SHARES_ONWARD, O2, Validity(D(2014, 1, 1))),
    _edge(O2, EdgeKind.SHARES_ONWARD, O1),
    _edge(O2, EdgeKind.SHARES_ONWARD, O2),
    _edge(R2, EdgeKind.INCLUDES, I2),
    _edge(R2, EdgeKind.SENT_TO, O2),
]
