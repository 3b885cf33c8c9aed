"""The claims ledger (issue 20): every fact inferred by a rule is listed once, with the words it read and its
sources, on both stores; the command writes it as CSV a spreadsheet cannot run and as Markdown."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest

from importers.concepts import NpdConceptsImporter
from importers.npd import NpdDatasetsImporter, NpdReleaseTimetableImporter
from importers.npd_sheets import NpdItemsImporter, NpdSheetNotesImporter
from importers.scope import ScopeStatementsImporter
from lineage.claims import TIER_RULE, Claim, by_rule, claims, to_csv, to_markdown
from lineage.model import CertaintyLevel, Citation, Edge, EdgeKind, NodeKind
from lineage.resources import DATA_DIR
from lineage.store import Store
from tests.importers.test_npd import CONCEPTS, ITEMS, NOTES, OVERVIEW, run, subset

pytestmark = pytest.mark.heavy  # see pyproject.toml's markers: run first

RULE_LEVELS = (CertaintyLevel.TIER_LEVEL, CertaintyLevel.INFERRED)
#: DfE's release timetable, and its column of months.
TIMETABLE = NpdReleaseTimetableImporter.bundled
TIMETABLE_MONTHS = NpdReleaseTimetableImporter.columns[1]
#: The compiled figures, each an AggregateFlow keyed by its topic, period and measure.
FIGURES = "npd_sharing_figures_compiled.csv"
#: The files that give a release its date: the register entries, as quoted or as published.
REGISTERS = {"npd_register_entries_cited_in_foi.csv", "npd_register_entries_more.csv", "npd_third_party_register.xlsx"}


def rows_of(name: str) -> dict[int, dict[str, str]]:
    """A bundled CSV's rows by their number in the file (the header is row 1)."""
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return dict(enumerate(csv.DictReader(handle), start=2))


def row_runs(rows: Iterable[int]) -> str:
    """Row numbers as a citation of many rows names them: 3-5, 9."""
    runs: list[list[int]] = []
    for row in sorted(rows):
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return ", ".join(f"{first}-{last}" if first != last else str(first) for first, last in runs)


@pytest.fixture(scope="module")
def ledger(real_store: Store) -> list[Claim]:
    """The real graph's ledger on each store, read once for the module: the tests only read it, and each reading
    took 5 to 9 s on Neo4j (issue 22)."""
    return claims(real_store)


def test_every_inferred_link_is_a_claim_once(real_store: Store, ledger: list[Claim]) -> None:
    nodes = [n for kind in NodeKind for n in real_store.all_nodes(kind)]
    edges = {h.edge.id: h.edge for h in real_store.expand([n.id for n in nodes], frozenset(EdgeKind), frozenset())}
    expected = Counter(
        e.certainty.rule or TIER_RULE for e in edges.values() if e.certainty.level in RULE_LEVELS
    ) + Counter(n.certainty.rule for n in nodes if n.certainty.rule)
    found = ledger
    assert by_rule(found) == expected and expected["scope-words"] > 0 and expected[TIER_RULE] > 0
    # the words of the BBC's exclusion are read by the rule, with the table row that maps them
    newsnight = [
        c for c in found if c.rule == "scope-words" and c.subject.name.startswith("BBC Newsnight: not released")
    ]
    assert newsnight and all(c.words.startswith("key identifiers") for c in newsnight)
    assert all(
        {s.file for s in c.sources} >= {"npd_release_scope_statements.csv", "scope_words.csv"} for c in newsnight
    )


def test_the_ledger_reads_back_as_csv_and_markdown(memory_real: Store) -> None:
    found = claims(memory_real)
    table = list(csv.DictReader(io.StringIO(to_csv(found))))
    assert len(table) == len(found)
    # what the 20 facts' reading could not check from the file alone: each fact's level, and where to find it again
    assert {row["certainty"] for row in table} == {"tier_level", "inferred"}
    sample = table[:: max(1, len(table) // 50)]
    assert all(memory_real.get_node(row["subject_id"]) is not None for row in sample)
    assert all(memory_real.get_node(row["object_id"]) is not None for row in sample if row["object_id"])
    assert not [cell for row in table for cell in row.values() if cell[:1] in ("=", "+", "-", "@")]
    text = to_markdown(found)
    assert text.startswith("# Claims ledger") and f"| {TIER_RULE} | {by_rule(found)[TIER_RULE]} |" in text


def test_an_inclusion_a_statement_excludes_says_what_outranks_it(ledger: list[Claim]) -> None:
    """KS3_UPN is of old tier 1, so the tier rule includes it in BBC Newsnight's release; DfE's written answer says
    the release held no reference numbers: the ledger names that statement beside the inclusion."""
    found = [c for c in ledger if c.link == "INCLUDES" and c.subject.key.endswith("2014-08-21/bbc-newsnight")]
    upn = next(c for c in found if c.object is not None and c.object.props.get("alias") == "KS3_UPN")
    assert upn.rule == TIER_RULE and len(upn.outranked_by) == 1
    (statement,) = upn.outranked_by
    assert statement.props["statement"] == "not_released"
    assert "key identifiers" in str(statement.props["items_as_written"])
    fsm = [c for c in found if c.object is not None and str(c.object.props.get("alias", "")).startswith("KS4_FSM")]
    assert fsm and all(c.outranked_by == () for c in fsm)  # free school meals is no identifier: not excluded


def test_a_claim_cites_the_rows_that_say_what_its_far_end_is(ledger: list[Claim]) -> None:
    """The tier rule reads an item's old tier and first year from its dictionary row: a reviewer is given that row
    (npd_data_items_2018.csv) beside the release's, and a statement joined to a release by its date the release's
    register row beside the statement's."""
    found = ledger
    with open(DATA_DIR / "npd_data_items_2018.csv", newline="", encoding="utf-8") as handle:
        aliases = {n: r["npd_alias"] for n, r in enumerate(csv.DictReader(handle), start=2)}
    tiered = [c for c in found if c.rule == TIER_RULE]
    assert len(tiered) > 2_000
    for claim in tiered:
        assert claim.object is not None
        dictionary = [s.row for s in claim.sources if s.file == "npd_data_items_2018.csv" and s.row]
        assert dictionary, claim.row()
        assert {aliases[row] for row in dictionary} <= {claim.object.name, "N/A"}, claim.row()  # N/A: by reference
    dated = [c for c in found if c.rule == "about:organisation-and-date"]
    assert dated
    for claim in dated:
        files = {s.file for s in claim.sources}
        assert "npd_release_scope_statements.csv" in files and files & REGISTERS, claim.row()


def test_an_event_s_claim_cites_the_figure_or_request_the_links_table_compares_it_with(ledger: list[Claim]) -> None:
    """The links table ties an event to a figure by the count both give ("the same count ... (npd_sharing_figures_
    compiled.csv, row 13)", event_links.csv rows 19 and 20) and to DWP's 2018 request by the register's row (row 22:
    npd_register_entries_more.csv row 7), which an event-links claim cites beside the event's row and the table's.
    It cited the request's row but not the figure's: the ledger read the far end's rows by kind, and had no figure
    among the kinds a rule compares. Each event-links claim on a figure or a request cites the figure's row (by its
    topic, period and measure) or the rows its reasoning names."""
    figures = {f"AggregateFlow:{r['topic']}:{r['period']}:{r['measure']}": n for n, r in rows_of(FIGURES).items()}
    links = rows_of("event_links.csv")
    expected = {
        n: {(FIGURES, figures[r["concerns"]])} if r["concerns"] in figures else set()
        for n, r in links.items()
        if r["concerns"].startswith(("AggregateFlow:", "Application:"))
    }
    for n, rows in expected.items():
        rows.update((file, int(row)) for file, row in re.findall(r"([\w.]+\.csv), row (\d+)", links[n]["reasoning"]))
    assert expected[19] == {(FIGURES, 13)} and expected[20] == {(FIGURES, 14)} and len(expected) == 5
    assert expected[22] == {("npd_register_entries_more.csv", 7)}
    for n, rows in expected.items():
        (claim,) = [
            c
            for c in ledger
            if c.rule == "event-links" and ("event_links.csv", n) in {(s.file, s.row) for s in c.sources}
        ]
        assert rows and rows <= {(s.file, s.row) for s in claim.sources}, claim.row()


def test_a_claim_on_a_data_set_cites_the_rows_naming_it_not_the_note_stating_its_old_tier(ledger: list[Claim]) -> None:
    """The ledger added every row of a claim's far end to what its rule read: of a data set, the note above its
    sheet stating its old tier and the timetable's rows, on which neither a FEEDS link (by its title or the
    timetable's name) nor words meaning it rest. The words "Key stage 2 data (juniors)" and "prior attainment at Key
    Stage 2" (statements rows 27 and 31), which the words table takes to mean Key Stage 2's data set, cite the
    statement, the table's row, the items' first row of its sheet and the overview's row naming it, not the note
    above the sheet; no claim on a data set the items name cites a notes row."""
    items, notes, statements = rows_of(ITEMS), rows_of(NOTES), rows_of("npd_release_scope_statements.csv")
    words = {" ".join(r["words"].split()).casefold(): (n, r["means"]) for n, r in rows_of("scope_words.csv").items()}
    sheet = "KS2_95-96_to_17-18"
    (tier_note,) = [n for n, r in notes.items() if r["sheet"] == sheet]
    assert notes[tier_note]["note_text"].startswith("(Old Tier 4")
    (overview,) = [n for n, r in rows_of(OVERVIEW).items() if r["tab_name"] == sheet.replace("_", " ")]
    naming = {(ITEMS, min(n for n, r in items.items() if r["sheet"] == sheet)), (OVERVIEW, overview)}
    for row in (27, 31):
        said = statements[row]["data_item_as_written"]
        word_row, means = words[" ".join(said.split()).casefold()]
        assert means == f"Dataset:{sheet}"
        (claim,) = [
            c for c in ledger
            if c.rule == "scope-words" and c.object is not None and c.object.id == means
            and ("npd_release_scope_statements.csv", row) in {(s.file, s.row) for s in c.subject.citations}
        ]  # fmt: skip
        cited = {(s.file, s.row) for s in claim.sources}
        assert cited == {("npd_release_scope_statements.csv", row), ("scope_words.csv", word_row)} | naming, said
    named = {r["sheet"] for r in items.values()}
    on_data_sets = [c for c in ledger if c.object is not None and c.object.kind is NodeKind.DATASET]
    assert {c.link for c in on_data_sets} >= {"FEEDS", "REFERS_TO"}
    for claim in on_data_sets:
        assert not {notes[s.row]["sheet"] for s in claim.sources if s.file == NOTES} & named, claim.row()


def test_a_commissioner_claim_gives_the_words_it_read(ledger: list[Claim]) -> None:
    """The rule commissioned-by:named-in-entry reads "LSE commissioned by Home Office and Youth Endowment Fund"
    (npd_register_entries_cited_in_foi.csv): the ledger gave the application's status as its words."""
    with open(DATA_DIR / "npd_register_entries_cited_in_foi.csv", newline="", encoding="utf-8") as handle:
        named = {r["organisation"] for r in csv.DictReader(handle) if "commissioned by" in r["organisation"].lower()}
    found = [c for c in ledger if c.rule == "commissioned-by:named-in-entry"]
    assert named and found
    assert {c.words for c in found} == named


def test_an_inclusion_two_statements_exclude_names_both(ledger: list[Claim]) -> None:
    """The review's case: a children-in-need identifier in the Telegraph's release is ruled out by DfE's 'key
    identifiers' and by its 'no sensitive items' alike; the ledger kept whichever came last, the exports both. The
    items are those the dictionary's own row classes both ways (sensitivity B, identifiability 1 to 3)."""
    with (DATA_DIR / "npd_data_items_2018.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    both = {r["npd_alias"] for r in rows if r["sensitivity"] == "B" and r["identifiability"] in ("1", "2", "3")}
    found = [
        c
        for c in ledger
        if c.link == "INCLUDES"
        and c.subject.key.endswith("2013-02-20/daily-telegraph")
        and c.object is not None
        and c.object.props.get("alias") in both
        and c.object.props.get("sensitivity") == "B"
        and c.object.props.get("identifiability") in (1, 2, 3)
    ]
    assert len(found) >= 5
    # and, held in none of the data sets its source names (statements row 9), by that statement too
    bounded = "These identifying and sensitive items, or identifying data items"
    for claim in found:
        said = {str(s.props["items_as_written"]) for s in claim.outranked_by} - {bounded}
        assert len(said) == 2 and "data items that are sensitive" in said, (claim.object, said)


def test_a_secondary_accounts_words_reaching_an_item_the_release_excludes_say_what_outranks_them(
    ledger: list[Claim],
) -> None:
    """The third reading of 20 facts: a campaigner's 'Ethnicity' for the Telegraph (the statements file, row 5)
    reaches the children-in-need and looked-after ethnicity items, which DfE's 'no sensitive items' for the same
    release excludes (sensitivity B: the dictionary's notes on the two data sets' sheets). No answer lists the
    Telegraph as their recipient, yet the ledger gave the two links with nothing beside them."""
    with (DATA_DIR / "npd_data_items_2018.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    level_b = {r["sheet"] for r in rows if "sensitivity level B" in r["tier_note"]}
    assert {"CIN_08-09_to_16-17", "CLA_05-06_to_16-17"} <= level_b
    with (DATA_DIR / "npd_release_scope_statements.csv").open(newline="", encoding="utf-8") as handle:
        said = list(csv.DictReader(handle))[5 - 2]
    assert (said["statement"], said["source_kind"]) == ("released", "campaigner, from a DfE FOI letter")
    found = {
        c.object.name: c
        for c in ledger
        if c.link == "REFERS_TO"
        and c.object is not None
        and any((s.file, s.row) == ("npd_release_scope_statements.csv", 5) for s in c.sources)
    }
    sensitive = {name for name, c in found.items() if c.object is not None and c.object.key.split("/")[0] in level_b}
    assert sensitive == {"CIN_Ethnicity", "cla_ETHNIC"}
    # (the data sets its source names, "census data for KS2, KS4 and KS5 datasets", row 9, bound it too)
    named = ("KS2_", "KS4", "KS5_", "SC_Pupil_", "census")
    bounded = {"These identifying and sensitive items, or identifying data items"}
    for alias in sensitive:
        words = {str(s.props["items_as_written"]) for s in found[alias].outranked_by}
        assert words == {"data items that are sensitive"} | bounded, alias
    others = [c for name, c in found.items() if name not in sensitive]
    within = [c for c in others if c.object is not None and c.object.key.startswith(named)]
    # (an alias no sheet places is bounded where the data sets its rule reads are known: AP_, the AP census's two)
    beyond = [c for c in others if c not in within and c.object is not None and (
        not c.object.key.startswith("unplaced/") or c.object.strings("datasets_possible"))]  # fmt: skip
    assert within and all(c.outranked_by == () for c in within)  # ethnicity in them: no statement excludes it
    assert beyond and all({str(s.props["items_as_written"]) for s in c.outranked_by} == bounded for c in beyond)


def test_a_claim_resting_on_a_disputed_statement_says_so(memory_real: Store) -> None:
    """The seventh reading: the ledger had no word of a dispute, so a reviewer quoting the Telegraph's "not
    released: data items that are sensitive" reaching an item quoted one side as settled. Every claim made from a
    statement of a row data/conflicts.csv pairs (either side) says so; every claim from another statement does not."""
    with (DATA_DIR / "conflicts.csv").open(newline="", encoding="utf-8") as f:
        pairs = list(csv.DictReader(f))
    disputed = {(r["file"], int(r["row"])) for r in pairs} | {(r["file"], int(r["contradicted_by_row"])) for r in pairs}
    from_statements = [c for c in claims(memory_real) if c.subject.kind is NodeKind.STATEMENT]
    assert from_statements
    for claim in from_statements:
        rows = {(c.file, c.row) for c in claim.subject.citations}
        assert claim.row()["contested"] == ("yes" if rows & disputed else ""), claim.subject.name
    assert any(claim.contested for claim in from_statements) and not all(c.contested for c in from_statements)


def test_a_table_placed_by_the_dictionarys_aliases_cites_the_dictionary_rows_the_rule_read(ledger: list[Claim]) -> None:
    """An alias only the 2019 concepts file lists (CLA_...) is placed in the table every CLA_ alias of the dictionary
    is in (rule item-table:alias-prefix): the ledger cited the concept row alone, which names no table. Each such
    claim cites, beside the concept rows naming it, the dictionary's rows of its prefix, which the rule read, in one
    citation naming them as runs of rows."""

    def of_prefix(name: str, column: str) -> dict[str, set[int]]:
        with (DATA_DIR / name).open(encoding="utf-8") as handle:
            found: dict[str, set[int]] = {}
            for number, row in enumerate(csv.DictReader(handle), start=2):
                if row[column].upper().startswith("CLA_") and not row[column].endswith("[yy]"):
                    found.setdefault(row[column], set()).add(number)
            return found

    dictionary = of_prefix("npd_data_items_2018.csv", "npd_alias")
    read = sorted({row for rows in dictionary.values() for row in rows})
    named = row_runs(read)
    unlisted = {alias: rows for alias, rows in of_prefix("npd_concept_categories_2019.csv", "npd_alias").items()
                if alias not in dictionary}  # fmt: skip
    assert read and unlisted
    placed = {c.object.name: c for c in ledger if c.rule == "item-table:alias-prefix" and c.object is not None}
    for alias, rows in unlisted.items():
        cited = placed[alias].sources
        assert {c.row for c in cited if c.file == "npd_concept_categories_2019.csv"} == rows, alias
        (rule_read,) = [c for c in cited if c.file == "npd_data_items_2018.csv"]
        assert (
            rule_read.row is None and f": rows {named}, every alias it lists with the prefix CLA_" in rule_read.document
        )


def test_a_statement_s_words_cite_the_rows_that_put_the_item_within_their_reach(
    real_store: Store, ledger: list[Claim]
) -> None:
    """The rule scope-words cited the statement and the words table's row, not what put an item within reach: the
    rows placing it in its data set and those its date check read. AQA's "date of birth" (statements row 29) reaches
    KS2_DOB, an alias the concepts file alone lists, which item-table:alias-prefix places in Key Stage 2's table by
    the dictionary's KS2_ rows; its first year is the table's, its tab name's in the overview; its data are released
    when the timetable's "Key Stage 2" row says, as our table reads that row; not the note above its sheet, which
    states its old tier (the notes' row had been cited beside the overview's). AQA's "candidate's name" (row 28)
    reaches KS2_FORENAMES, which its own dictionary row places and dates: the overview's row is not read for it."""
    statements = rows_of("npd_release_scope_statements.csv")
    assert [(statements[n]["organisation"], statements[n]["data_item_as_written"]) for n in (28, 29)] == [
        ("AQA", "candidate\u2019s name"), ("AQA", "date of birth")
    ]  # fmt: skip
    items = rows_of("npd_data_items_2018.csv")
    concepts = rows_of("npd_concept_categories_2019.csv")
    assert "KS2_DOB" in {r["npd_alias"] for r in concepts.values()} - {r["npd_alias"] for r in items.values()}
    prefixed = [
        n for n, r in items.items() if r["npd_alias"].upper().startswith("KS2_") and "[yy]" not in r["npd_alias"]
    ]
    (forenames,) = [n for n, r in items.items() if r["npd_alias"] == "KS2_FORENAMES"]
    (sheet,) = {items[n]["sheet"] for n in prefixed}
    (title,) = {items[n]["dataset_title"] for n in prefixed}
    (overview,) = [
        n for n, r in rows_of("npd_datasets_overview_2018.csv").items() if r["tab_name"] == sheet.replace("_", " ")
    ]
    (timetable,) = [n for n, r in rows_of("npd_release_timetable_2018.csv").items() if r["Dataset"] == title]
    (reading,) = [n for n, r in rows_of("timetable_datasets.csv").items() if r["timetable_name"] == title]
    timing = {("npd_release_timetable_2018.csv", timetable), ("timetable_datasets.csv", reading)}

    def link(row: int, alias: str) -> tuple[frozenset[Citation], dict[str, str]]:
        """The REFERS_TO link from the statement of ``row`` to the item ``alias``, and its claim's row."""
        (claim,) = [
            c for c in ledger
            if c.rule == "scope-words" and c.object is not None and c.object.name == alias
            and ("npd_release_scope_statements.csv", row) in {(s.file, s.row) for s in c.subject.citations}
        ]  # fmt: skip
        assert claim.object is not None
        edge = real_store.get_edges([(claim.subject.id, EdgeKind.REFERS_TO, claim.object.id)])
        (found,) = edge.values()
        return found.citations, claim.row()

    cited, row = link(29, "KS2_DOB")
    rows = {(c.file, c.row) for c in cited}
    assert rows >= timing | {("npd_datasets_overview_2018.csv", overview)}, rows
    (placement,) = [c for c in cited if c.file == "npd_data_items_2018.csv" and c.row is None]
    assert f": rows {row_runs(prefixed)}, every alias it lists with the prefix KS2_" in placement.document
    assert all(f"{file}, row {number}" in row["sources"] for file, number in timing)
    assert "npd_data_tables_sheet_notes_2018.csv" not in {c.file for c in cited}, rows
    cited, row = link(28, "KS2_FORENAMES")
    rows = {(c.file, c.row) for c in cited}
    assert rows >= timing | {("npd_data_items_2018.csv", forenames)}, rows
    assert "npd_datasets_overview_2018.csv" not in {c.file for c in cited}
    assert all(f"{file}, row {number}" in row["sources"] for file, number in timing)


def test_a_statement_dated_by_the_dates_table_cites_its_row_as_its_words_links_do(
    real_store: Store, ledger: list[Claim]
) -> None:
    """Where a statement's row gives no date, statement_dates.csv gives the day its words are checked against (the
    MoD's "absence and exclusion data", statements row 25, by 30 June 2015: its row 15), but neither the statement
    nor its words' links cited that row: an auditor could not see where the day came from. Each statement the table
    dates cites its row, and so does every scope-words claim from it."""
    dated = {
        int(r["row"]): n
        for n, r in rows_of("statement_dates.csv").items()
        if r["file"] == "npd_release_scope_statements.csv"
    }
    assert dated[25] == 15
    by_row = {
        c.row: n
        for n in real_store.all_nodes(NodeKind.STATEMENT)
        for c in n.citations
        if c.file == "npd_release_scope_statements.csv"
    }
    for statement_row, dates_row in dated.items():
        assert ("statement_dates.csv", dates_row) in {(c.file, c.row) for c in by_row[statement_row].citations}
    claims = [c for c in ledger if c.rule == "scope-words" and c.subject.id == by_row[25].id]
    assert claims and all("statement_dates.csv, row 15" in c.row()["sources"] for c in claims)


def _date_of_birth_link(
    store: Store,
    tmp_path: Path,
    *,
    sheet: str = "KS2_95-96_to_17-18",
    also_held_in: str | None = None,
    statement_row: int = 29,
) -> Edge:
    """The REFERS_TO link from the "date of birth" of the statement of ``statement_row`` (AQA's, by default) to
    KS2_DOB, an alias the concepts file alone lists, held in Key Stage 2's table by the dictionary's KS2_ rows where
    ``sheet`` is theirs, and in ``also_held_in`` by a stand-in HOLDS link (no bundled item is held by two data sets).
    The tables are titled (Key Stage 1's by its notes row) and timed."""
    files = {
        ITEMS: subset(tmp_path, ITEMS, lambda row: row["sheet"] == sheet),
        CONCEPTS: subset(tmp_path, CONCEPTS, lambda row: row["npd_alias"] == "KS2_DOB"),
    }
    for importer in (
        NpdDatasetsImporter, NpdItemsImporter, NpdConceptsImporter, NpdSheetNotesImporter, NpdReleaseTimetableImporter
    ):  # fmt: skip
        run(importer, store, files.get(str(importer.bundled)))
    (item,) = [n for n in store.all_nodes(NodeKind.DATA_ITEM) if n.name == "KS2_DOB"]
    assert "first_year" not in item.props
    if also_held_in is not None:
        stand_in = frozenset({Citation("claims ledger tests", "tests/lineage/test_claims.py")})
        store.write(edges=[Edge(also_held_in, EdgeKind.HOLDS, item.id, citations=stand_in)])
    run(ScopeStatementsImporter, store)
    (statement,) = [
        n for n in store.all_nodes(NodeKind.STATEMENT)
        if ("npd_release_scope_statements.csv", statement_row) in {(c.file, c.row) for c in n.citations}
    ]  # fmt: skip
    (edge,) = store.get_edges([(statement.id, EdgeKind.REFERS_TO, item.id)]).values()
    return edge


def test_a_statement_s_words_cite_the_first_year_of_the_data_set_whose_year_the_date_check_took(
    empty_store: Store, tmp_path: Path
) -> None:
    """An item the dictionary gives no first year takes the earliest its data sets give (lineage.model.available_by),
    but the date check's citations had named every data set giving a year. Of Key Stage 1's table (overview row 10,
    first year 1997) and Key Stage 2's (row 11, 1995), Key Stage 2's row alone gives the year AQA's "date of birth"
    is checked by."""
    tabs = rows_of(OVERVIEW)
    assert (tabs[10]["tab_name"], tabs[11]["tab_name"]) == ("KS1 97-98 to 17-18", "KS2 95-96 to 17-18")
    edge = _date_of_birth_link(empty_store, tmp_path, also_held_in="Dataset:KS1_97-98_to_17-18")
    assert [c.row for c in edge.citations if c.file == OVERVIEW] == [11]
    assert NOTES not in {c.file for c in edge.citations}


def test_a_statement_s_words_cite_the_release_timetable_of_the_data_set_whose_lag_the_date_check_took(
    empty_store: Store, tmp_path: Path
) -> None:
    """An item held by several data sets is in the NPD once the earliest of them can have it (the least release lag,
    lineage.model.available_by), but the date check's citations had named every holder's timetable rows. Key Stage
    2's data, released in "August (unamended)" (timetable row 6), within the year of the tests as our table reads
    it (timetable_datasets.csv row 10), come before Key Stage 1's "September (version 1)" (row 5): AQA's "date of
    birth", held in both, cites Key Stage 2's rows alone."""
    timetable, names = rows_of(TIMETABLE), rows_of("timetable_datasets.csv")
    assert (timetable[5]["Dataset"], timetable[6]["Dataset"]) == ("Key Stage 1", "Key Stage 2")
    assert timetable[5][TIMETABLE_MONTHS].startswith("September")
    assert timetable[6][TIMETABLE_MONTHS].startswith("August")
    assert (names[10]["timetable_name"], names[10]["released"]) == ("Key Stage 2", "within the year")
    edge = _date_of_birth_link(empty_store, tmp_path, also_held_in="Dataset:KS1_97-98_to_17-18")
    assert [c.row for c in edge.citations if c.file == TIMETABLE] == [6]
    assert [c.row for c in edge.citations if c.file == "timetable_datasets.csv"] == [10]


def test_a_statement_s_words_cite_no_release_timetable_for_an_item_no_first_year_dates(
    empty_store: Store, tmp_path: Path
) -> None:
    """An item with no first year, its own or any of its data sets', is assumed available (lineage.model.available_by
    reads no release lag for it), but the date check's citations had named its data sets' timetable rows all the
    same. Such items are in the bundled data: the dictionary's sheet "KS4" (items row 2) names no years and is not the
    overview's tab "KS4 01-02 to 17-18" (row 14), and of its items KS4_EBACC (row 324, "2009/10 (A) - 2012/13")
    gives none the dictionary reads, though the timetable's row 7 times Key Stage 4. No statement's words reach such
    an item, so KS2_DOB stands in for one, held in Key Stage 4's table alone: the Ministry of Defence's "date of
    birth" (statements row 20, dated 30 June 2015 by statement_dates.csv row 10) reaches it, and cites neither the
    timetable nor our reading of it."""
    statements, items, timetable = rows_of("npd_release_scope_statements.csv"), rows_of(ITEMS), rows_of(TIMETABLE)
    assert (statements[20]["data_item_as_written"], statements[20]["dataset_as_written"]) == ("date of birth", "")
    assert rows_of("statement_dates.csv")[10]["row"] == "20"
    assert rows_of(OVERVIEW)[14]["tab_name"] == "KS4 01-02 to 17-18"
    assert (items[324]["sheet"], items[324]["npd_alias"], items[324]["years_populated"]) == (
        "KS4", "KS4_EBACC", "2009/10 (A) - 2012/13"
    )  # fmt: skip
    assert timetable[7]["Dataset"] == "Key Stage 4"
    edge = _date_of_birth_link(empty_store, tmp_path, sheet="KS4", also_held_in="Dataset:KS4", statement_row=20)
    assert not {TIMETABLE, "timetable_datasets.csv"} & {c.file for c in edge.citations}, edge.citations
