"""No fact is surer than the sources that state it (issue 20): every node's and link's certainty in the real graph,
recomputed here from its citations, ``data/source_kinds.csv`` and ``data/publishers.csv``, on both stores.

The recomputation is the test's own: which kind of source each bundled file's rows rest on is written down
below from ``data/SOURCES.md`` (a column of the row, or one kind for the whole file), and the table is read with
the csv module. A fact stated by sources is as sure as the strongest of them; a fact a rule derives (tier
level, inferred) is no surer than the strongest source it rests on. A confirmed kind of source read at an address
outside its publishers' domains is a third party's copy, reported. Our own tables (organisation aliases,
search keywords, scope words, conflicts) are how we read the sources, not sources: they never raise a level.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from urllib.parse import urlsplit

from lineage.model import STRENGTH, CertaintyLevel, Citation, EdgeKind, NodeKind
from lineage.resources import DATA_DIR
from lineage.store import Store

#: File -> the column naming each row's kind of source, or ("=", the one kind of source of every row).
SOURCES_OF_FILES: dict[str, tuple[str, str]] = {
    # DfE's own published NPD documentation and GIAS: DfE's word
    **{
        name: ("=", "DfE guidance page")
        for name in (
            "npd_data_items_2018.csv",
            "npd_data_item_classifications_2018.csv",
            "npd_data_tables_sheet_notes_2018.csv",
            "npd_dataset_list_2018.csv",
            "npd_datasets_overview_2018.csv",
            "npd_release_timetable_2018.csv",
            "npd_category_tree_2019.csv",
            "npd_concept_categories_2019.csv",
        )
    },
    "gias_links_20250422.csv": ("=", "gov.uk"),
    # register entries as requesters quoted them in FOI requests
    "npd_register_entries_cited_in_foi.csv": ("=", "requester quoting"),
    "npd_register_entries_more.csv": ("column", "source_kind"),
    "npd_release_scope_statements.csv": ("column", "source_kind"),
    "npd_sharing_figures_compiled.csv": ("column", "source"),
    "npd_flows_2018_onward.csv": ("column", "source_kind"),
    # defenddigitalme's campaign page
    "npd_events_from_campaign_page.csv": ("=", "defenddigitalme"),
}
#: Our own tables: how the sources are read, never a source.
OUR_TABLES = {
    "organisation_aliases.csv",
    "search_keywords.csv",
    "scope_words.csv",
    "conflicts.csv",
    "dataset_spellings.csv",
    "event_links.csv",
    "date_readings.csv",
    "flow_readings.csv",
    "note_statements.csv",
    "school_level_datasets.csv",
    "statement_dates.csv",
    "statement_years.csv",
    "timetable_datasets.csv",
    "withheld_documents.csv",
}
RULE_LEVELS = {CertaintyLevel.TIER_LEVEL, CertaintyLevel.INFERRED}


def _kinds() -> list[tuple[str, CertaintyLevel]]:
    with open(DATA_DIR / "source_kinds.csv", newline="", encoding="utf-8") as handle:
        table = [(r["source_begins"].lower(), CertaintyLevel(r["certainty"])) for r in csv.DictReader(handle)]
    return sorted(table, key=lambda entry: -len(entry[0]))


KINDS = _kinds()


def _publishers() -> list[str]:
    with open(DATA_DIR / "publishers.csv", newline="", encoding="utf-8") as handle:
        return [r["domain"] for r in csv.DictReader(handle)]


PUBLISHERS = _publishers()


def _read_at_a_copy(row: dict[str, str]) -> bool:
    host = urlsplit(row.get("source_url", "")).hostname
    return host is not None and not any(host == d or host.endswith("." + d) for d in PUBLISHERS)


def _level_of_kind(kind: str) -> CertaintyLevel:
    text = " ".join(kind.split()).lower()
    return next(level for begins, level in KINDS if text.startswith(begins))


def _file_rows(name: str) -> dict[int, dict[str, str]]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
        return dict(enumerate(csv.DictReader(handle), start=2))


FILE_ROWS = {name: _file_rows(name) for name, (how, _) in SOURCES_OF_FILES.items() if how == "column"}


def source_level(citation: Citation) -> CertaintyLevel | None:
    """How sure the cited row's source is; None for our own tables."""
    if citation.file in OUR_TABLES:
        return None
    how, what = SOURCES_OF_FILES[citation.file]  # a file missing here is a new source: decide its kind above
    if how == "=":
        return _level_of_kind(what)
    assert citation.row is not None, citation
    row = FILE_ROWS[citation.file][citation.row]
    level = _level_of_kind(row[what])
    return CertaintyLevel.REPORTED if level is CertaintyLevel.CONFIRMED and _read_at_a_copy(row) else level


def strongest(citations: Iterable[Citation]) -> CertaintyLevel | None:
    levels = [level for level in map(source_level, citations) if level is not None]
    return max(levels, key=STRENGTH.__getitem__, default=None)


def test_the_recomputed_certainty_of_every_node_and_link_equals_the_stored_one(real_store: Store) -> None:
    wrong: list[str] = []
    facts = [
        (node.id, node.citations, node.certainty)
        for kind in NodeKind
        if kind is not NodeKind.IMPORT_RUN  # our own record of an import, not a fact about the world
        for node in real_store.all_nodes(kind)
    ]
    node_ids = [node_id for node_id, _, _ in facts]
    every = frozenset(EdgeKind)
    edges = {hop.edge.id: hop.edge for hop in real_store.expand(node_ids, every, frozenset())}
    facts += [(edge.id, edge.citations, edge.certainty) for edge in edges.values()]
    assert len(facts) > 30_000
    for fact, citations, certainty in facts:
        sources = strongest(citations)
        assert sources is not None, f"{fact} cites no source"
        if certainty.level in RULE_LEVELS or certainty.rule:
            if STRENGTH[certainty.level] > STRENGTH[sources]:
                wrong.append(f"{fact}: {certainty.level} by {certainty.rule} above its sources' {sources}")
        elif certainty.level is not sources:
            wrong.append(f"{fact}: stored {certainty.level}, its sources say {sources}")
    assert not wrong, f"{len(wrong)} facts: " + "; ".join(wrong[:20])


def test_register_rows_quoted_by_requesters_are_reported_not_confirmed(real_store: Store) -> None:
    """Civitas 2012: only the FOI file names it, and a requester's quoting is an account of the register."""
    (application,) = [
        node
        for node in real_store.all_nodes(NodeKind.APPLICATION)
        if node.key == "npd-third-party-requests-pre-dsap/2012-08-08/civitas"
    ]
    assert {c.file for c in application.citations} == {"npd_register_entries_cited_in_foi.csv"}
    assert application.certainty.level is CertaintyLevel.REPORTED


STATEMENTS_FILE = "npd_release_scope_statements.csv"


def test_a_written_answer_read_from_a_third_partys_copy_is_reported(real_store: Store) -> None:
    """DfE's written answer of 31 October 2017 is cited from streetguide.co.uk (npd_release_scope_statements.csv,
    row 10), whose copy says "sensitive" where TheyWorkForYou's says "highly sensitive" (the row's notes): a copy,
    not Parliament's page. Row 33's written answer, read at questions-statements.parliament.uk, stays confirmed."""
    statements = {
        citation.row: node
        for node in real_store.all_nodes(NodeKind.STATEMENT)
        for citation in node.citations
        if citation.file == STATEMENTS_FILE
    }
    # the statement's own row, beside the day our dates table reads for it
    assert all(
        c.address.startswith("https://streetguide.co.uk/")
        for c in statements[10].citations
        if c.file == STATEMENTS_FILE
    )
    assert statements[10].certainty.level is CertaintyLevel.REPORTED
    assert all(
        c.address.startswith("https://questions-statements.parliament.uk/")
        for c in statements[33].citations
        if c.file == STATEMENTS_FILE
    )
    assert statements[33].certainty.level is CertaintyLevel.CONFIRMED
