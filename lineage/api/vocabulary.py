"""The model's vocabularies as the pages' JavaScript reads them: one generated ES module,
``static/shared/vocabulary.js`` (``lineage vocabulary --output lineage/api/static/shared/vocabulary.js``), so
that no page keeps a copy of its own to drift from the model. Certainty levels by their GraphQL names (the
model's member names), strongest first, with their ranks and words; what each kind of statement says; and the
colour each kind of node is drawn in (the one table here that is the pages' own, kept beside the model's kinds
so that a kind added to the model cannot be drawn in no colour); and the characters no name typed for the letter
may hold (:mod:`lineage.characters`) and how long it may be, so that /reach refuses what ``lineage letter``
refuses; and how much of a caller's value an error quotes back (:func:`lineage.errors.clip`), so that a page's own
errors cut a long value as the API's do.
tests/lineage/api/test_vocabulary.py holds the committed file to what this writes."""

from __future__ import annotations

import json
from pathlib import Path

from lineage.characters import CONTROL_RANGES, EMOJI_TAIL_RANGES, FORMAT_RANGES, LINE_BREAKS, character_tables
from lineage.errors import MAX_QUOTED
from lineage.letter import NAME_LIMIT
from lineage.model import (
    ACADEMIC_YEAR_START_MONTH,
    CERTAINTY_WORDS,
    FIRST_NPD_YEAR,
    STATEMENT_KINDS,
    STRENGTH,
    CertaintyLevel,
    NodeKind,
)

#: Where the pages import it from (/static/shared/vocabulary.js).
VOCABULARY_MODULE = Path(__file__).resolve().parent / "static" / "shared" / "vocabulary.js"

#: The colour of each kind of node in the explorer's graph: the flow's stages from cool (schools, data) to warm
#: (releases) to green (recipients), what is said about them in reds and purples, bookkeeping in greys.
NODE_COLOURS: dict[NodeKind, str] = {
    NodeKind.SCHOOL: "#8c6d31",
    NodeKind.COLLECTION: "#3182bd",
    NodeKind.DATASET: "#6baed6",
    NodeKind.DATA_ITEM: "#9ecae1",
    NodeKind.CONCEPT: "#bcbddc",
    NodeKind.CLASSIFICATION: "#756bb1",
    NodeKind.RELEASE_RULE: "#de2d26",
    NodeKind.RELEASE: "#e6550d",
    NodeKind.APPROVAL: "#fd8d3c",
    NodeKind.APPLICATION: "#fdd0a2",
    NodeKind.ORGANISATION: "#31a354",
    NodeKind.AGGREGATE_FLOW: "#74c476",
    NodeKind.RECORD_SET: "#006d2c",
    NodeKind.STATEMENT: "#a50f15",
    NodeKind.EVENT: "#c51b8a",
    NodeKind.IMPORT_RUN: "#969696",
}

_HEADER = """\
// GENERATED from lineage/model.py and lineage/api/vocabulary.py (the node colours) by
// `lineage vocabulary --output lineage/api/static/shared/vocabulary.js`: edit those, never this file. The
// model's vocabularies as the pages read them, so that no page keeps a copy of its own. Touches nothing.
"""


def vocabulary_module() -> str:
    """The module's text: each table a frozen constant, in the model's order."""
    levels = list(CertaintyLevel)
    tables = (
        ("Certainty levels as GraphQL names them, strongest first.", "CERTAINTY_LEVELS", [lv.name for lv in levels]),
        ("Each level's rank, weakest lowest: a chain is as sure as its weakest step.", "CERTAINTY_STRENGTH",
         {level.name: STRENGTH[level] for level in levels}),
        ("Each level in the words a reader sees beside a fact.", "CERTAINTY_WORDS",
         {level.name: CERTAINTY_WORDS[level] for level in levels}),
        ("What each kind of statement (a Statement's `statement`) says, in words a reader quotes.", "STATEMENT_KINDS",
         STATEMENT_KINDS),
        ("The colour each kind of node is drawn in, by the kind's GraphQL name.", "NODE_COLOURS",
         {kind.name: NODE_COLOURS[kind] for kind in NodeKind}),
        ("The characters a name may not hold, as [first, last] code points: control, then format characters.",
         "UNFIT_CHARACTERS", {"control": CONTROL_RANGES, "format": FORMAT_RANGES}),
        ("What may follow an emoji before a joiner, as [first, last] code points.", "EMOJI_TAILS", EMOJI_TAIL_RANGES),
        ("What breaks a line, which a name may not hold, in words, by code point.", "LINE_BREAKS",
         {ord(char): words for char, words in LINE_BREAKS.items()}),
        ("The academic years a question about the record may ask (by the year each starts): the NPD's first, and the "
         "month (1-12) each starts in, by which today's is the last.", "ACADEMIC_YEARS",
         {"first": FIRST_NPD_YEAR, "startMonth": ACADEMIC_YEAR_START_MONTH}),
        ("The longest name a letter takes, in characters.", "NAME_LIMIT", NAME_LIMIT),
        ("The most characters of a caller's value an error quotes back; a longer one is cut short.", "MAX_QUOTED",
         MAX_QUOTED),
    )  # fmt: skip
    # the rule's Unicode, this Python's, as ranges on one line each: the browser's own knows other characters
    characters = character_tables()
    ranges = (
        ("The letters and marks of each script within whose words a joiner or non-joiner shapes what shows, by the "
         "name each begins with, as [first, last] code points.", "SHAPING_SCRIPTS", characters["scripts"]),
        ("The symbols (category So) an emoji joiner stands between, as [first, last] code points.", "SYMBOLS",
         characters["symbols"]),
    )  # fmt: skip
    constants = [
        f"\n/** {doc} */\nexport const {name} = Object.freeze({json.dumps(value, indent=2, ensure_ascii=False)});\n"
        for doc, name, value in tables
    ] + [f"\n/** {doc} */\nexport const {name} = Object.freeze({json.dumps(value)});\n" for doc, name, value in ranges]
    return _HEADER + "".join(constants)
