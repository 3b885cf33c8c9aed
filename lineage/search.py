"""Text search, defined once for both stores: what a node is found by, and how its matches rank.

A node is found by its name, its key and the words of the properties a reader looks things up by (an item's
alias, an organisation's variants, a release's reference, descriptions, a figure's measure and notes, an
event's text, a statement's words and quote, the keywords of ``data/search_keywords.csv``). Each is folded: accents
dropped, case ignored, punctuation and ``_`` read as spaces, so "country of birth" finds
"country-of-birth" and "KS4 FSM" finds ``KS4_FSM``. A query is folded the same way and matches a node whose
folded text holds it; matches rank by how closely they match (a whole field, then whole words, then part of a
word), then by id. Both stores keep the same folded text per node and rank through this module, so their
answers are the same by construction.

>>> fold("Pupil's  Country-of-Birth (É)")
'pupils country of birth e'
>>> rank("home office", "home office\\nho")
0
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from lineage.model import Node, NodeKind, Scalar, kind_of

#: The properties searched, besides a node's name and key, in the order their words are kept. A figure's value
#: is searched as published ("2,461") and as digits ("2461").
SEARCHED_PROPS = (
    "alias",
    "variants",
    "reference",
    "title",
    "description",
    "flow",
    "measure",
    "value",
    "value_text",
    "notes",
    "text",
    "items_as_written",
    "organisation_as_written",
    "purpose",
    "quote",
    "keywords",
    "town",
    "postcode",
)
#: Among matches as close as each other, the kinds a reader most likely looks for come first.
KIND_ORDER = {
    kind: place
    for place, kind in enumerate(
        (
            NodeKind.ORGANISATION,
            NodeKind.RELEASE,
            NodeKind.APPLICATION,
            NodeKind.APPROVAL,
            NodeKind.STATEMENT,
            NodeKind.AGGREGATE_FLOW,
            NodeKind.EVENT,
            NodeKind.COLLECTION,
            NodeKind.DATASET,
            NodeKind.DATA_ITEM,
            NodeKind.CONCEPT,
            NodeKind.CLASSIFICATION,
            NodeKind.RELEASE_RULE,
            NodeKind.SCHOOL,
            NodeKind.IMPORT_RUN,
        )
    )
}
#: How a match ranks, closest first.
WHOLE_FIELD, WHOLE_WORDS, PART_OF_A_WORD = 0, 1, 2
_APOSTROPHES = re.compile(r"['\u2019]")
_SEPARATORS = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lower case without accents, apostrophes dropped, every other run of punctuation or ``_`` one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_SEPARATORS.sub(" ", _APOSTROPHES.sub("", plain.casefold())).split())


def searched_fields(node: Node) -> dict[str, list[str]]:
    """The node's searched values, unfolded, by field: its name, its key, then :data:`SEARCHED_PROPS` it gives."""
    fields = {"name": [node.name], "key": [node.key]}
    for prop in SEARCHED_PROPS:
        if prop in node.props:
            fields[prop] = _words(node.props[prop])
    return fields


def _words(value: Scalar) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float | int) and not isinstance(value, bool) and float(value).is_integer():
        return [f"{value:,.0f}", f"{value:.0f}"]
    return [str(value)]


def field_texts(node: Node) -> list[str]:
    """The lines of a node's search text: each searched value folded, in field order, empty ones left out."""
    return [folded for values in searched_fields(node).values() for folded in map(fold, values) if folded]


def search_text(node: Node) -> str:
    """The one text a node is searched in: its folded fields, a line each."""
    return "\n".join(field_texts(node))


def rank(needle: str, text: str) -> int | None:
    """How closely a folded search text matches a folded query (:data:`WHOLE_FIELD` closest), or None."""
    if needle not in text:
        return None
    lines = text.split("\n")
    if needle in lines:
        return WHOLE_FIELD
    words = f" {needle} "
    return WHOLE_WORDS if any(words in f" {line} " for line in lines) else PART_OF_A_WORD


def ranked(needle: str, candidates: Iterable[tuple[str, str]]) -> list[str]:
    """The ids of the candidates (id, search text) that match: closest first, then by kind (:data:`KIND_ORDER`),
    then by id."""
    scored = [
        (score, KIND_ORDER[kind_of(id_)], id_) for id_, text in candidates if (score := rank(needle, text)) is not None
    ]
    return [id_ for _, _, id_ in sorted(scored)]
