"""The one definition of search both stores answer by: folding, ranking, and the kinds' order."""

from __future__ import annotations

import pytest

from lineage.model import Citation, Node, NodeKind
from lineage.search import KIND_ORDER, PART_OF_A_WORD, WHOLE_FIELD, WHOLE_WORDS, fold, rank, ranked, search_text

CITE = frozenset({Citation("test", "test", 1, "")})


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Country-of-Birth", "country of birth"),
        ("KS4_FSM", "ks4 fsm"),
        ("Postcode_[term][yy]", "postcode term yy"),
        ("pupil\u2019s address", "pupils address"),  # a typographic apostrophe, as the statements write it
        ("Ōtautahi  Café", "otautahi cafe"),
        ("2,461", "2 461"),
        ("!!!", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_rank_is_a_whole_field_then_whole_words_then_part_of_a_word() -> None:
    text = "home office\nthe home office returns addresses"
    assert rank("home office", text) == WHOLE_FIELD
    assert rank("returns", text) == WHOLE_WORDS
    assert rank("address", text) == PART_OF_A_WORD
    assert rank("office returns", text) == WHOLE_WORDS
    assert rank("home office the", text) is None  # a match never runs across two fields


def test_a_figure_is_found_by_its_value_as_published_and_as_digits() -> None:
    figure = Node(NodeKind.AGGREGATE_FLOW, "t:p:m", "individuals", {"value": 2461.0, "measure": "individuals"}, CITE)
    assert rank(fold("2,461"), search_text(figure)) == WHOLE_FIELD
    assert rank(fold("2461"), search_text(figure)) == WHOLE_FIELD


def test_every_kind_has_its_place_and_organisations_come_first() -> None:
    assert set(KIND_ORDER) == set(NodeKind)
    candidates = [("Statement:x", "dwp match"), ("Organisation:dwp", "dwp"), ("Application:y", "dwp")]
    assert ranked("dwp", candidates) == ["Organisation:dwp", "Application:y", "Statement:x"]
