"""Text search, defined once for both stores: what a node is found by, and how its matches rank.

A node is found by its name, its key and the words of the properties a reader looks things up by (an item's
alias, an organisation's variants, a release's reference, descriptions, a figure's measure and notes, an
event's text, a statement's words and quote, the keywords of ``data/search_keywords.csv``). Each is folded: accents
dropped, case ignored, every script's digits read as ASCII ones (Arabic-Indic "\u0662\u0660\u0661\u0663" and
full-width "\uff12\uff10\uff11\uff13" are "2013"), punctuation and ``_`` read as spaces, so "country of birth" finds
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

import heapq
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable
from itertools import islice

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
            NodeKind.RECORD_SET,
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


class _AsciiDigits(dict[int, str]):
    """A ``str.translate`` table giving each decimal digit of any script (Unicode's Nd) as its ASCII digit, and
    any other character as itself (a LookupError says so). It holds the digits met, at most Unicode's few
    hundred: a search of other characters, however many, adds nothing."""

    def __missing__(self, code: int) -> str:
        digit = unicodedata.decimal(chr(code), None)
        if digit is None:
            raise LookupError(code)
        self[code] = found = str(digit)
        return found


_ASCII_DIGITS = _AsciiDigits()


def fold(text: str) -> str:
    """Lower case without accents, every script's digits ASCII, apostrophes dropped, every other run of
    punctuation or ``_`` one space. NFKD folds full-width and superscript digits; not another script's
    ("\u0662\u0660\u0661\u0663" stays Arabic-Indic), which the table then does."""
    if text.isascii():  # most text: nothing to decompose (a bulk load folds every name and key)
        plain = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(char for char in decomposed if not unicodedata.combining(char)).translate(_ASCII_DIGITS)
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


def _order(id_: str) -> tuple[int, str]:
    """Where an id stands among matches as close as each other: by kind (:data:`KIND_ORDER`), then id."""
    return KIND_ORDER[kind_of(id_)], id_


class SearchIndex:
    """Nodes' search texts, with their whole fields and their words indexed, so that a search finds its matches
    among the words (a query's longest word is part of some word of every text holding the query) rather than
    by reading every text, and ranks a common word's thousands of matches by set operations: what the embedded
    store answers from; Neo4j says the same in Cypher over its TEXT index."""

    def __init__(self, nodes: Iterable[Node] = ()) -> None:
        self._texts: dict[str, str] = {}
        self._fields: dict[str, set[str]] = defaultdict(set)
        self._words: dict[str, set[str]] = defaultdict(set)
        self._ordered: list[str] | None = None  # every id by kind, then id; made again after writes
        self._vocabulary: str | None = None  # every word, a line each; made again after writes
        for node in nodes:
            self.put(node)

    def put(self, node: Node) -> None:
        """Index a node written (again)."""
        self.drop(node.id)
        text = self._texts[node.id] = search_text(node)
        for line in text.split("\n"):
            self._fields[line].add(node.id)
            for word in line.split(" "):
                self._words[word].add(node.id)

    def drop(self, id_: str) -> None:
        self._ordered = self._vocabulary = None
        text = self._texts.pop(id_, None)
        for line in text.split("\n") if text else ():
            self._discard(self._fields, line, id_)
            for word in line.split(" "):
                self._discard(self._words, word, id_)

    @staticmethod
    def _discard(index: dict[str, set[str]], key: str, id_: str) -> None:
        held = index.get(key)
        if held is not None:
            held.discard(id_)
            if not held:
                del index[key]

    def page(
        self, needle: str, limit: int, offset: int, kinds: Collection[NodeKind] | None = None
    ) -> tuple[int, list[str]]:
        """How many nodes (of these kinds) the folded needle matches, and the ids of one page of them, closest
        first (:func:`rank`), then by kind and id."""
        # Every text holding the needle holds each of its words within one of its own: the candidates are the
        # texts with the needle's rarest word ("synthetic school 0012" is found among the schools "0012" is in,
        # not among the 80,000 nodes that say "synthetic").
        by_word = [self._holding(word) for word in set(needle.split(" "))]
        rarest = min(by_word, key=lambda holding: sum(len(self._words[word]) for word in holding))
        found: set[str] = set().union(*(self._words[word] for word in rarest))
        if " " in needle:
            found = {id_ for id_ in found if needle in self._texts[id_]}
        if kinds is not None:
            found = {id_ for id_ in found if kind_of(id_) in kinds}
        exact = self._fields.get(needle, set()) & found
        if " " in needle:
            words = {id_ for id_ in found - exact if rank(needle, self._texts[id_]) == WHOLE_WORDS}
        else:
            words = (self._words.get(needle, set()) & found) - exact
        wanted = offset + limit
        ids: list[str] = []
        for group in (exact, words, found - exact - words):
            if len(ids) >= wanted:
                break
            ids += self._first(group, wanted - len(ids))
        return len(found), ids[offset:wanted]

    def _holding(self, part: str) -> list[str]:
        """The indexed words that hold ``part``, found by one scan of the vocabulary (a word a line)."""
        if self._vocabulary is None:
            self._vocabulary = "\n".join(self._words)
        vocabulary, found = self._vocabulary, []
        at = vocabulary.find(part)
        while at != -1:
            end = vocabulary.find("\n", at)
            end = len(vocabulary) if end == -1 else end
            found.append(vocabulary[vocabulary.rfind("\n", 0, at) + 1 : end])
            at = vocabulary.find(part, end)
        return found

    def _first(self, group: set[str], count: int) -> list[str]:
        """The first ``count`` of a group by kind, then id: sorted when small, else read off the ordered ids."""
        if len(group) <= _FEW:
            return heapq.nsmallest(count, group, key=_order)
        if self._ordered is None:
            self._ordered = sorted(self._texts, key=_order)
        return list(islice((id_ for id_ in self._ordered if id_ in group), count))


#: A group of matches this small is sorted itself; a larger one is read off the ids in order.
_FEW = 2_000
