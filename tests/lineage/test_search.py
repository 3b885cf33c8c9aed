"""The one definition of search both stores answer by: folding, ranking, and the kinds' order."""

from __future__ import annotations

import pytest

from lineage.model import Citation, Node, NodeKind
from lineage.search import (
    KIND_ORDER,
    PART_OF_A_WORD,
    WHOLE_FIELD,
    WHOLE_WORDS,
    SearchIndex,
    fold,
    rank,
    search_text,
)

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
        (
            "\u0662\u0660\u0661\u0663 \u06f2\u06f0\u06f1\u06f3 \u0968\u0966\u0967\u0969 \uff12\uff10\uff11\uff13",
            "2013 2013 2013 2013",
        ),  # every script's digits
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


def _node(id_: str, name: str, **props: object) -> Node:
    kind, _, key = id_.partition(":")
    return Node(NodeKind(kind), key, name, props, CITE)  # type: ignore[arg-type]


def test_every_kind_has_its_place_and_organisations_come_first() -> None:
    assert set(KIND_ORDER) == set(NodeKind)
    index = SearchIndex(
        [_node("Statement:x", "dwp match"), _node("Organisation:dwp", "DWP"), _node("Application:y", "DWP")]
    )
    assert index.page("dwp", 10, 0) == (3, ["Organisation:dwp", "Application:y", "Statement:x"])


def test_the_index_ranks_and_pages_as_rank_says_and_follows_writes() -> None:
    nodes = [
        _node("Organisation:home office", "Home Office", variants=("HO",)),
        _node("Statement:s1", "the home office returns addresses"),
        _node("Release:r1", "shortholiday"),  # "ho" inside words only
        _node("School:1", "Hope School"),
    ]
    index = SearchIndex(nodes)
    expected = sorted(
        (rank("ho", search_text(n)), KIND_ORDER[n.kind], n.id) for n in nodes if rank("ho", search_text(n)) is not None
    )
    assert index.page("ho", 10, 0) == (len(expected), [id_ for _, _, id_ in expected])
    assert index.page("ho", 2, 1) == (len(expected), [id_ for _, _, id_ in expected][1:3])
    assert index.page("home office", 10, 0) == (2, ["Organisation:home office", "Statement:s1"])
    assert index.page("ho", 10, 0, kinds=[NodeKind.SCHOOL]) == (1, ["School:1"])
    index.put(_node("School:1", "Grange Academy"))  # written again: its old words go
    assert "School:1" not in index.page("ho", 10, 0)[1]
    index.drop("Organisation:home office")
    assert index.page("home office", 10, 0) == (1, ["Statement:s1"])
