"""The model's own rules, independent of any store."""

from __future__ import annotations

import datetime as dt

import pytest

from lineage.errors import ModelError
from lineage.model import (
    EDGE_SPECS,
    NODE_SPECS,
    Certainty,
    CertaintyLevel,
    Citation,
    EdgeKind,
    NodeKind,
    Validity,
    kind_of,
)


def test_every_kind_has_a_spec() -> None:
    assert set(NODE_SPECS) == set(NodeKind)
    assert set(EDGE_SPECS) == set(EdgeKind)


def test_no_model_property_collides_with_what_neo4j_stores_beside_it() -> None:
    from lineage.stores.neo4j_records import RESERVED

    assert not {p.name for spec in NODE_SPECS.values() for p in spec.props} & RESERVED


def test_an_inferred_fact_names_its_rule_and_only_it_does() -> None:
    assert Certainty(CertaintyLevel.INFERRED, "tier-to-items").rule == "tier-to-items"
    with pytest.raises(ModelError):
        Certainty(CertaintyLevel.INFERRED)
    with pytest.raises(ModelError):
        Certainty(CertaintyLevel.CONFIRMED, "a rule")


def test_validity_is_inclusive_at_both_ends() -> None:
    term = Validity(dt.date(2016, 9, 1), dt.date(2018, 8, 31))
    assert term.holds_on(dt.date(2016, 9, 1)) and term.holds_on(dt.date(2018, 8, 31))
    assert not term.holds_on(dt.date(2016, 8, 31)) and not term.holds_on(dt.date(2018, 9, 1))
    with pytest.raises(ModelError):
        Validity(dt.date(2018, 1, 2), dt.date(2018, 1, 1))


def test_citation_encoding_round_trips_quotes_and_unicode() -> None:
    citation = Citation('FOI "answer"', "register's sheet", 12, "https://example.org/ō")
    assert Citation.decode(citation.encode()) == citation


def test_node_ids_name_their_kind() -> None:
    assert kind_of("School:100000") is NodeKind.SCHOOL
    assert kind_of("Organisation:a:b") is NodeKind.ORGANISATION
    with pytest.raises(ModelError, match="does not start with a node kind"):
        kind_of("Pupil:1")
