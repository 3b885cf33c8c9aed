"""Audit reports on the real graph (built once for this module on the embedded store, and once on Neo4j), and
on a tiny fictional graph whose names are hostile.

Expected answers come from the bundled CSVs (data/npd_register_entries_cited_in_foi.csv and friends),
read here with the csv module, or from small hand-made graphs: never from a report.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lineage import reports
from lineage.cli import main
from lineage.errors import LineageError, NotFound
from lineage.exports import ExportError
from lineage.files import write_text
from lineage.keys import normalise
from lineage.model import CONFIRMED, Certainty, CertaintyLevel, Citation, Edge, EdgeKind, Node, NodeKind, available_by
from lineage.store import Store
from lineage.stores.memory import MemoryStore

ROOT = Path(__file__).resolve().parents[2]


def rows(name: str) -> list[dict[str, str]]:
    with open(ROOT / "data" / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


REGISTER = rows("npd_register_entries_cited_in_foi.csv")
FIGURES_FILE = "npd_sharing_figures_compiled.csv"
FIGURES = rows(FIGURES_FILE)
CONFLICTS = rows("conflicts.csv")
ITEMS = rows("npd_data_items_2018.csv")
TIER_ROWS = [(i + 2, r) for i, r in enumerate(REGISTER) if r["status_as_cited"] == "approved (tier 1 or tier 2 data)"]
LOCRATING = next(r for r in REGISTER if r["reference"] == "DR170518.02")
VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


class Page(HTMLParser):
    """Parses a report: checks every tag is closed in order, and gathers table rows by section, each record
    (a definition list), the source list, and every link and resource attribute."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tables: dict[str, list[list[str]]] = {}
        self.records: list[dict[str, str]] = []
        self.sources: dict[str, str] = {}  # "source-N" -> its text
        self.section = ""
        self.text: list[str] | None = None
        self.cells: list[str] = []
        self.term = ""
        self.source = ""
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "section":
            self.section = attributes.get("id") or ""
        if tag == "dl":
            self.records.append({})
        if tag == "tr":
            self.cells = []
        if tag == "li" and self.section == "sources":
            self.source = attributes.get("id") or ""
        if tag in ("td", "dt", "dd", "li"):
            self.text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        text = "".join(self.text or [])
        if tag == "td":
            self.cells.append(text)
        elif tag == "tr" and self.cells:
            self.tables.setdefault(self.section, []).append(self.cells)
        elif tag == "dt":
            self.term = text
        elif tag == "dd":
            self.records[-1][self.term] = text
        elif tag == "li" and self.source:
            self.sources[self.source] = text
            self.source = ""
        if tag in ("td", "dt", "dd", "li"):
            self.text = None

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)


def check_self_contained(page: Page, citation_addresses: set[str]) -> None:
    """No script, no frame, no stylesheet or image from elsewhere; the only web links are to cited sources."""
    assert page.errors == []
    for tag, attributes in page.tags:
        assert tag not in ("script", "iframe", "object", "embed", "link", "img", "image"), tag
        assert "src" not in attributes, (tag, attributes)
        assert not any(name.startswith("on") for name in attributes), (tag, attributes)
        href = attributes.get("href") or ""
        assert not href.lower().startswith("javascript:"), href
        if href.startswith(("http:", "https:", "//")):
            assert (tag, attributes.get("class")) == ("a", "citation") and href in citation_addresses, href


def web_addresses() -> set[str]:
    return (
        {r["source_url"] for r in REGISTER}
        | {r["source_url"] for r in FIGURES}
        | {r["source_url"] for r in rows("npd_register_entries_more.csv")}
        | {r["source_url"] for r in rows("npd_release_scope_statements.csv")}
        | {r["source_url"] for r in rows("npd_flows_2018_onward.csv")}
        | {r["address"] for r in rows("search_keywords.csv")}
        | {"https://github.com/DFE-Digital/npd-find-and-explore"}
    )


def test_the_release_report_names_the_recipient_status_and_source(memory_real: MemoryStore) -> None:
    text = reports.report(memory_real, "release", "DR170518.02")
    page = Page(text)
    check_self_contained(page, web_addresses())
    assert "<svg" in text and "</svg>" in text
    [record] = page.records
    assert record["reference"] == "DR170518.02"
    assert record["status"] == LOCRATING["status_as_cited"] == "listed as recipient"
    assert [cells[0] for cells in page.tables["recipients"]] == [LOCRATING["organisation"]] == ["Locrating Ltd"]
    # the release's own source is source 1: the register row, with its address as a link
    row = REGISTER.index(LOCRATING) + 2
    assert page.sources["source-1"].startswith(f"DfE data-share register entries quoted in FOI requests (compiled), "
                                                f"npd_register_entries_cited_in_foi.csv, row {row}: ")  # fmt: skip
    assert page.sources["source-1"].endswith(LOCRATING["source_url"])
    assert ("a", {"class": "citation", "href": LOCRATING["source_url"], "rel": "noreferrer"}) in page.tags
    assert "The release's scope (data sets, items, years) is not published." in text.replace("&#x27;", "'")
    assert "approvals" not in page.tables  # submitted for approval: the record states no approval
    for cells in page.tables["recipients"]:
        assert cells[-2] and re.fullmatch(r"(\[\d+\] ?)+", cells[-1]), cells  # a certainty and its sources


def test_the_release_report_shows_what_sources_say_of_the_recipient_tied_to_no_release(
    memory_real: MemoryStore,
) -> None:
    """The Home Office's monthly exchange: the report had said no source's statement of its items was recorded,
    while DfE's written answer HL17037 says what is returned on a match, naming no release."""
    exchange = "dfe-external-data-shares-data-shares-with-home-office-as-described-in-foi/since-july-2015-monthly/"
    page = Page(reports.report(memory_real, "release", f"Release:{exchange}home-office"))
    answer = [r for r in rows("npd_release_scope_statements.csv")
              if r["source_url"].endswith("/HL17037") and r["statement"] == "returned_on_match"]  # fmt: skip
    shown = " ".join(cell for cells in page.tables["recipient-statements"] for cell in cells)
    assert answer and all(r["data_item_as_written"] in shown for r in answer)
    assert "statements" not in page.tables  # none names this release


def test_the_item_report_lists_the_tier_approvals_not_as_confirmed(memory_real: MemoryStore) -> None:
    assert next(r for r in ITEMS if r["npd_alias"] == "KS4_FSM")["old_tier"] == "2"  # so "tier 1 or 2" covers it
    text = reports.report(memory_real, "item", "KS4_FSM")
    page = Page(text)
    check_self_contained(page, web_addresses())
    assert "<svg" in text
    received = page.tables["recipients"]
    assert len(received) == len(TIER_ROWS) == 10
    for (line, row), cells in zip(TIER_ROWS, sorted(received), strict=True):
        date, release, organisation, _, route, certainty, cited = cells
        # the Telegraph's FSM receipt rests on a statement another source contradicts: the report says so
        contested = "; contested: another cited source disagrees" if row["organisation"] == "Daily Telegraph" else ""
        assert date == row["date_as_cited"] and route == "direct" + contested
        assert row["organisation"] in release and organisation  # the release is named as the register cites it
        assert not certainty.startswith("confirmed"), cells  # a tier approval never confirms an item
        texts = [page.sources[f"source-{n}"] for n in re.findall(r"\d+", cited)]
        assert any(f"npd_register_entries_cited_in_foi.csv, row {line}:" in t for t in texts), texts
    row = next(r for r in ITEMS if r["npd_alias"] == "KS4_FSM")
    provenance = {(cells[1], cells[2]) for cells in page.tables["provenance"]}
    assert ("data set", row["sheet"]) in provenance
    assert {name for relation, name in provenance if relation == "classification"} == {
        f"Old tier {row['old_tier']}",
        f"Identifiability {row['identifiability']}",
        f"Sensitivity {row['sensitivity']}",
    }


def test_the_item_report_draws_a_receipt_a_statement_gives(memory_real: MemoryStore) -> None:
    """The Institute of Education got the names of year 7 pupils (a campaigner citing register line 288, row 30
    of the statements file) with no release of its own in the record: the report lists it, cited, and draws it
    (it failed with a KeyError for want of a SENT_TO link)."""
    statements = rows("npd_release_scope_statements.csv")
    row = next(
        i + 2 for i, r in enumerate(statements) if r["data_item_as_written"] == "names of year 7 pupils (age 11)"
    )
    assert statements[row - 2]["organisation"] == "Institute of Education (IoE)" and row == 30
    text = reports.report(memory_real, "item", "KS2_SURNAME")  # the data set its register line names
    page = Page(text)
    check_self_contained(page, web_addresses())
    assert "<svg" in text
    [cells] = [cells for cells in page.tables["recipients"] if cells[2] == "Institute of Education (IoE)"]
    assert cells[5].startswith("inferred"), cells  # the words reach the alias by the rule scope-words
    texts = cited_texts(page, cells[6])
    assert any(f"npd_release_scope_statements.csv, row {row}:" in t for t in texts), texts


def cited_texts(page: Page, refs: str) -> list[str]:
    """The sources a row's or record's "[1] [2]" cell points to."""
    return [page.sources[f"source-{n}"] for n in re.findall(r"\d+", refs)]


def test_the_item_report_shows_every_table_s_item_with_its_own_sources(memory_real: MemoryStore) -> None:
    expected = {i + 2: r for i, r in enumerate(ITEMS) if r["npd_alias"] == "CIN_ACADYR"}  # file row -> row
    assert len({r["sub_table"] for r in expected.values()}) > 1 and len(expected) == 6
    page = Page(reports.report(memory_real, "item", "CIN_ACADYR"))
    assert len(page.records) == len(expected)
    found = []
    for record in page.records:
        [line] = [
            int(n) for text in cited_texts(page, record["sources"])
            for n in re.findall(r"npd_data_items_2018\.csv, row (\d+):", text)
        ]  # fmt: skip
        row = expected[line]
        assert f"/{row['sub_table']}/CIN_ACADYR" in record["id"]
        assert (record["identifiability"], record["sensitivity"]) == (row["identifiability"], row["sensitivity"])
        assert record["certainty"] == "confirmed"  # each item is a row of the data tables
        found.append(line)
    assert sorted(found) == sorted(expected)  # every item once, each citing its own row
    markdown = reports.report(memory_real, "item", "CIN_ACADYR", "md")
    assert markdown.count("| property | value |") == len(expected)


def _items_of_tiers_1_and_2() -> int:
    """Items of old tier 1 or 2 in the 2018 data tables: sub-table headings (no field reference and no
    description) are not items, and a row repeated word for word is one item; a row leaving its tier empty takes
    the one its own tier note gives ("Other than PMR this is Old Tier 1": the house numbers)."""
    items = [r for r in ITEMS if r["field_reference"].strip() or r["description"].strip()]
    noted = [r for r in items if not r["old_tier"] and "Other than PMR this is Old Tier 1" in r["tier_note"]]
    return len({tuple(r.values()) for r in items if r["old_tier"] in ("1", "2")}) + len(noted)


def _tier_items_available_by(store: MemoryStore, day: dt.date) -> int:
    """Items of old tier 1 or 2 in the NPD by ``day``, by the release timetable of their data sets: the tier
    rule's reach."""
    from lineage.questions.common import follow

    items = store.find_nodes(NodeKind.DATA_ITEM, "old_tier", [1, 2])
    assert len(items) == _items_of_tiers_1_and_2()
    held = follow(store, [item.id for item in items], incoming=[EdgeKind.HOLDS])
    return sum(1 for item in items if available_by(item, day, [hop.node for hop in held.get(item.id, [])]))


#: Releases about which a DfE or campaign source states items that were not released (rows 10 and 16 of the
#: statements file): the tier rule reaches fewer items there.
EXCLUDED_BY_STATEMENT = {"Daily Telegraph", "BBC Newsnight"}


def test_the_organisation_report_says_a_tier_release_includes_items_at_tier_level(memory_real: MemoryStore) -> None:
    for line, entry in TIER_ROWS:
        items = _tier_items_available_by(memory_real, dt.date.fromisoformat(entry["date_as_cited"]))
        page = Page(reports.report(memory_real, "organisation", entry["organisation"]))
        [cells] = [cells for cells in page.tables["releases"] if cells[0] == entry["date_as_cited"]]
        count = int(cells[4].split()[0])
        assert cells[4] == f"{count} items or data sets, tier level", cells
        if entry["organisation"] in EXCLUDED_BY_STATEMENT:
            assert count < items, cells
        else:
            assert count == items, cells
        assert not cells[5].startswith("confirmed"), cells  # an approval of tiers confirms no item
        cited = cited_texts(page, cells[6])
        assert len(cited) == len(set(cited)) < 10, cited  # the inclusions' citations, each once
        assert sum(f"npd_register_entries_cited_in_foi.csv, row {line}:" in text for text in cited) == 1


def test_the_organisation_report_lists_its_releases_and_volumes(memory_real: MemoryStore) -> None:
    page = Page(reports.report(memory_real, "organisation", "Home Office"))
    check_self_contained(page, web_addresses())
    sent = ("approved", "listed as recipient")  # an application submitted for approval is not a release
    cited = sorted(
        r["reference"] for r in REGISTER if r["organisation"] == "Home Office" and r["status_as_cited"].startswith(sent)
    )
    # and the monthly exchange the second register file describes, dated only in its words
    more = [
        r["date_as_cited"]
        for r in rows("npd_register_entries_more.csv")
        if r["status_as_cited"] == "the monthly exchange"
    ]
    shown = sorted(cells[1].split(":")[0] for cells in page.tables["releases"])
    assert shown == sorted([*cited, *more]) == ["since July 2015 (monthly)"]
    corrected = next(r for r in FIGURES if r["measure"] == "records returned (corrected)")
    volume = next(cells for cells in page.tables["volumes"] if cells[0] == corrected["measure"])
    assert volume[1] == corrected["period"] and volume[2] == f"{corrected['value']} {corrected['unit']}"
    assert any(text.endswith(corrected["source_url"]) for text in page.sources.values())


FLOWS_AFTER_2018 = rows("npd_flows_2018_onward.csv")


def test_the_organisation_report_lists_the_records_it_reached_and_the_events_about_it(
    memory_real: MemoryStore,
) -> None:
    """Trustopia received no release, but a regulator's finding as reported says it searched the LRS
    (npd_flows_2018_onward.csv, row 2): its report must say so, not leave every table empty; and DfE's report
    lists the events that judge it (the ICO's reprimand, row 6) with the source's words."""
    row = 2
    access = FLOWS_AFTER_2018[row - 2]
    page = Page(reports.report(memory_real, "organisation", "Trustopia"))
    check_self_contained(page, web_addresses())
    (reached,) = page.tables["accessed"]
    (reading,) = [r for r in rows("flow_readings.csv") if r["row"] == str(row)]  # how the row is read
    (alias,) = [r for r in rows("organisation_aliases.csv") if r["variant"] == access["to_organisation"]]
    assert reached[0] == reading["records"] and reached[1] == access["date_as_cited"]
    went = f"{reading['records']} to {alias['canonical']} ({reading['route']}): {access['figure']} {access['unit']}"
    assert reached[2] == went  # what recipientsByType and the parents' page say of it, in the same words
    assert reached[3:6] == [access["quote"], access["notes"], "reported"]  # the notes: the LRS is not the NPD
    assert any(f"npd_flows_2018_onward.csv, row {row}:" in text for text in cited_texts(page, reached[-1]))
    reprimand = FLOWS_AFTER_2018[6 - 2]
    page = Page(reports.report(memory_real, "organisation", "Department for Education"))
    event = next(cells for cells in page.tables["events"] if cells[3] == reprimand["quote"])
    assert event[2] == reprimand["kind"] and "date is the article date" in reprimand["notes"]
    assert event[0] == f"{reprimand['date_as_cited']} (the article's date, not the reprimand's)"
    assert any("npd_flows_2018_onward.csv, row 6:" in text for text in cited_texts(page, event[-1]))


def test_the_organisation_report_lists_a_figure_of_an_exchange_both_ways_once(memory_real: MemoryStore) -> None:
    """The Home Office MoU (npd_sharing_figures_compiled.csv, row 16: 'DfE <-> Home Office') flows both ways: it
    is one figure, listed once, not as a volume to the Home Office and again as what it sent DfE."""
    mou = FIGURES[16 - 2]
    assert mou["flow"] == "DfE <-> Home Office"
    page = Page(reports.report(memory_real, "organisation", "Home Office"))
    listed = [
        (table, cells)
        for table in ("volumes", "sent", "both-ways")
        for cells in page.tables.get(table, [])
        if cells[0] == mou["measure"]
    ]
    assert [table for table, _ in listed] == ["both-ways"]
    assert any("npd_sharing_figures_compiled.csv, row 16:" in t for t in cited_texts(page, listed[0][1][-1]))
    page = Page(reports.report(memory_real, "item", "KS4_FSM"))
    (home_office,) = [cells for cells in page.tables["asked-about"] if cells[0] == "Home Office"]
    assert home_office[2].count(mou["measure"]) == 1


def test_an_access_row_says_what_went_as_every_answer_says_it(memory_real: MemoryStore) -> None:
    """An access's row gives when and what went in the words recipientsByType and the parents' page give it: the
    Home Office's match and return (npd_flows_2018_onward.csv, row 14) names no amount, so what went is the records
    as the source writes them (the report's 'how much' was blank), by the route named once (it had read "(match and
    return): match and return against ..."); DfE's access for a police force (row 13) names no route, and says how
    much."""
    table = {r["variant"]: r["canonical"] for r in rows("organisation_aliases.csv")}

    def body(name: str) -> str:
        return table.get(name, name)  # a name the table lacks is its own body

    readings = {int(r["row"]): r for r in rows("flow_readings.csv")}
    matched, police = FLOWS_AFTER_2018[14 - 2], FLOWS_AFTER_2018[13 - 2]
    assert (matched["figure"], readings[14]["route"], police["figure"]) == ("", "match and return", "2,136")
    assert 13 not in readings  # no route read
    home_office, records = body(matched["to_organisation"]), readings[14]["records"]
    page = Page(reports.report(memory_real, "organisation", home_office))
    (row,) = [cells for cells in page.tables["accessed"] if cells[3] == matched["quote"]]
    # what went by the route, never the NPD itself (the OpenLineage export's words, README After 2018)
    went = f"{records} to {home_office}: match and return against {matched['dataset_as_written']}"
    # the answer's date, which date_readings.csv says describes the matching the MoU sets out, not the flow's own
    (reading,) = [r for r in rows("date_readings.csv") if (r["file"], r["row"]) == ("npd_flows_2018_onward.csv", "14")]
    assert row[:3] == [records, f"{matched['date_as_cited']} ({reading['date_is']})", went]
    dfe, force = body(police["from_organisation"]), body(police["to_organisation"])
    page = Page(reports.report(memory_real, "organisation", dfe))
    (row,) = [cells for cells in page.tables["gave-access"] if cells[3] == police["quote"]]
    # the force in its row's own words too: one force, where the body is the police forces the record does not name
    to = f"{force} (as its source words it: {police['to_organisation']})"
    assert row[:3] == [force, police["date_as_cited"], f"{dfe} to {to}: {police['figure']} {police['unit']}"]


def test_an_onward_row_says_what_went_and_the_rows_notes(memory_real: MemoryStore) -> None:
    """The reading after 2018: GB Group's report gave 'Received onward from Trust Systems Software UK Ltd' and its
    type alone, though the row says what went was a service built on the LRS's data, not the records (row 4's
    notes), and row 5's notes give GB Group's denial. An onward row says what went as the letter does."""
    trustopia, gb_group = FLOWS_AFTER_2018[4 - 2], FLOWS_AFTER_2018[5 - 2]
    assert "not of raw records" in trustopia["notes"] and "strenuously denied" in gb_group["notes"]
    page = Page(reports.report(memory_real, "organisation", "GB Group"))
    (received,) = page.tables["received-onward"]
    assert "a service built on the data" in received[2] and trustopia["quote"] in received[2]
    assert received[3] == trustopia["notes"]
    (shared,) = page.tables["shared-onward"]
    assert gb_group["quote"] in shared[2] and shared[3] == gb_group["notes"]


def test_what_sources_say_of_an_organisation_quotes_them_and_includes_its_applications(
    memory_real: MemoryStore,
) -> None:
    """The reading after 2018: the Home Office's refusal to say whether data went further had an empty 'in its
    words' (a refusal names no items: the question refused is its quote, npd_flows_2018_onward.csv row 12), and
    DWP's report said no source's statement was recorded, beside DfE's account of its 2018 check (the statements
    file, row 41), which is about the application."""
    refused = FLOWS_AFTER_2018[12 - 2]
    page = Page(reports.report(memory_real, "organisation", "Home Office"))
    (row,) = [cells for cells in page.tables["statements"] if cells[0] == "asked, and it refused to say"]
    assert refused["quote"] in row[1]
    checked = rows("npd_release_scope_statements.csv")[41 - 2]
    assert checked["organisation"].startswith("Department for Work and Pensions")
    page = Page(reports.report(memory_real, "organisation", "DWP"))
    assert any(checked["quote"] in cells[1] for cells in page.tables["statements"])


def test_each_figure_is_in_one_list_of_an_organisation_s_receipts(memory_real: MemoryStore) -> None:
    """What the organisation report's tables and organisationReceipts list: a published figure linked to and from
    the same body is the exchange both ways its row gives ('A <-> B': rows 16 and 36 of
    npd_sharing_figures_compiled.csv), in both_ways alone; every other figure in one of the other two lists."""
    from lineage import questions

    exchanges = {(row["flow"], row["measure"]) for row in FIGURES if "<->" in row["flow"]}
    assert len(exchanges) == 2
    bodies = {
        hop.node.name
        for figure in memory_real.all_nodes(NodeKind.AGGREGATE_FLOW)
        for hop in memory_real.expand([figure.id], frozenset({EdgeKind.FLOWS_TO, EdgeKind.FLOWS_FROM}), frozenset())
    }
    both_ways = set()
    for body in sorted(bodies):
        answer = questions.organisation_receipts(memory_real, body)
        lists = (answer.aggregate_flows, answer.flows_from, answer.both_ways)
        listed = [r.node.id for figures in lists for r in figures]
        assert len(listed) == len(set(listed)), body
        both_ways |= {(str(r.node.props["flow"]), str(r.node.props["measure"])) for r in answer.both_ways}
    assert both_ways == exchanges


def test_the_reports_say_an_original_figure_was_corrected(memory_real: MemoryStore) -> None:
    """The police's 31 access requests (npd_sharing_figures_compiled.csv, row 2: 'Parliament written answer
    (original, later corrected)') were corrected to 33 by HCWS272 (row 3): no report gives the 31 without it."""
    original, corrected = FIGURES[2 - 2], FIGURES[3 - 2]
    assert "later corrected" in original["source"] and corrected["measure"] == f"{original['measure']} (corrected)"
    page = Page(reports.report(memory_real, "organisation", "Police forces"))
    (row,) = [cells for cells in page.tables["sent"] if cells[0] == original["measure"]]
    assert row[2] == f"{original['value']} {original['unit']} (the original figure: a later source corrected it)"
    (row,) = [cells for cells in page.tables["sent"] if cells[0] == corrected["measure"]]
    assert row[2] == f"{corrected['value']} {corrected['unit']}"
    # the FOI answer (row 6) and the corrected 16 that shared data (row 4) disagree, as conflicts.csv says
    shared = FIGURES[4 - 2]
    assert any((c["file"], c["row"], c["contradicted_by_row"]) == (FIGURES_FILE, "6", "4") for c in CONFLICTS)
    (row,) = [cells for cells in page.tables.get("volumes", []) + page.tables["sent"] if cells[0] == shared["measure"]]
    assert row[2] == f"{shared['value']} {shared['unit']} (contested: another cited source disagrees)"
    page = Page(reports.report(memory_real, "item", "KS4_FSM"))
    (police,) = [cells for cells in page.tables["asked-about"] if cells[0].startswith("Police forces")]
    assert (
        f"{original['measure']} ({original['period']}): {original['value']} "
        "(the original figure: a later source corrected it)"
    ) in police[2]


def test_the_tier_level_words_say_no_more_than_the_register(memory_real: MemoryStore) -> None:
    """The register says a release was 'approved (tier 1 or tier 2 data)' (npd_register_entries_cited_in_foi.csv,
    rows 2 to 11): data of a tier, one or the other, not every item of both. No reader's words for tier level say
    it was approved for whole tiers; they say the release may not have held the item."""
    from lineage.model import CERTAINTY_WORDS

    assert [line for line, _ in TIER_ROWS] == list(range(2, 12))
    status = TIER_ROWS[0][1]["status_as_cited"]
    civitas = TIER_ROWS[0][1]
    assert civitas["organisation"] == "Civitas"
    page = reports.report(
        memory_real, "release", f"npd-third-party-requests-pre-dsap/{civitas['date_as_cited']}/civitas"
    )
    vocabulary = (ROOT / "lineage/api/static/shared/vocabulary.js").read_text(encoding="utf-8")
    reach = (ROOT / "lineage/api/static/reach/reach.html").read_text(encoding="utf-8")
    for words in (CERTAINTY_WORDS[CertaintyLevel.TIER_LEVEL], page, vocabulary, reach):
        assert "whole tier" not in " ".join(words.split())
    assert "may not" in CERTAINTY_WORDS[CertaintyLevel.TIER_LEVEL]
    assert status.removeprefix("approved (").removesuffix(")") in page and "may not have held" in page


STATEMENTS_FILE = "npd_release_scope_statements.csv"
STATEMENTS = rows(STATEMENTS_FILE)


def test_the_release_report_shows_both_sides_of_a_contested_release(memory_real: MemoryStore) -> None:
    """The Daily Telegraph's 2013 release: a campaigner's account of a DfE FOI letter says it held SEN status;
    DfE's written answer says it held nothing sensitive. Both are shown, each cited, the contest named."""
    telegraph = next(r for r in REGISTER if r["organisation"] == "Daily Telegraph")
    page = Page(
        reports.report(
            memory_real, "release", f"npd-third-party-requests-pre-dsap/{telegraph['date_as_cited']}/daily-telegraph"
        )
    )
    check_self_contained(page, web_addresses())
    sen = next(n for n, r in enumerate(STATEMENTS, start=2) if r["data_item_as_written"] == "SEN status indicator")
    answer = int(
        next(c["contradicted_by_row"] for c in CONFLICTS if (c["file"], c["row"]) == (STATEMENTS_FILE, str(sen)))
    )
    said = next(cells for cells in page.tables["statements"] if cells[1].startswith("SEN status indicator: \u201c"))
    assert said[0] == "released to it"
    assert STATEMENTS[answer - 2]["source_kind"] in said[3]  # contested by DfE's written answer
    cited = cited_texts(page, said[-1])
    assert any(f"npd_release_scope_statements.csv, row {sen}:" in text for text in cited)
    assert any(f"npd_release_scope_statements.csv, row {answer}:" in text for text in cited)


def test_the_organisation_report_lists_a_refused_application_and_what_it_asked_for(memory_real: MemoryStore) -> None:
    page = Page(reports.report(memory_real, "organisation", "Ministry of Defence"))
    refused = [r for r in STATEMENTS if r["statement"] == "requested_application_rejected"]
    (row,) = [cells for cells in page.tables["applications"] if cells[2] == "rejected"]
    asked = row[4].split("; ")
    assert sorted(asked) == sorted(r["data_item_as_written"] for r in refused) and "home address" in asked
    assert "releases" not in page.tables  # refused: no release is drawn


MORE_ENTRIES = rows("npd_register_entries_more.csv")


def test_an_application_row_says_no_outcome_is_stated_where_none_is(memory_real: MemoryStore) -> None:
    """The Home Office's DS00804 and DS00689 (npd_register_entries_cited_in_foi.csv, rows 36-37) are "submitted for
    DSAP approval", with no outcome in any source: the report's outcome column gave "submitted for approval" alone,
    as if that were where they ended, where the gaps answer lists each as an outcome not stated. The MoD's refusal
    (npd_register_entries_more.csv row 2) is an outcome, and says no more."""
    register = rows("npd_register_entries_cited_in_foi.csv")
    pending = [register[row - 2] for row in (36, 37)]
    assert {(e["organisation"], e["status_as_cited"]) for e in pending} == {
        ("Home Office", "submitted for DSAP approval")
    }
    page = Page(reports.report(memory_real, "organisation", "Home Office"))
    for entry in pending:
        (row,) = [cells for cells in page.tables["applications"] if cells[1].startswith(entry["reference"])]
        assert row[2] == "submitted for approval: outcome not stated"
    page = Page(reports.report(memory_real, "organisation", "Ministry of Defence"))
    assert [cells[2] for cells in page.tables["applications"]] == [MORE_ENTRIES[2 - 2]["status_as_cited"]]


def test_an_application_row_gives_its_tiers_purpose_and_the_notes_on_its_date(memory_real: MemoryStore) -> None:
    """The University of Exeter's entry DR170124.04 (npd_register_entries_more.csv, row 16) is dated under a column
    of three kinds of date, its notes say: the report gave the date bare, as the application's own, where the gaps and
    the letter say what it may be. The Ministry of Defence's (row 2) gave no tier, purpose or notes (its partners
    and 'made on behalf of the MoD'), though the row gives each."""
    exeter, defence = MORE_ENTRIES[16 - 2], MORE_ENTRIES[2 - 2]
    assert exeter["organisation"] == "University of Exeter" and "which one applies" in exeter["notes"]
    page = Page(reports.report(memory_real, "organisation", exeter["organisation"]))
    (row,) = [cells for cells in page.tables["applications"] if cells[1].startswith(exeter["reference"])]
    assert (row[0], row[7]) == (
        dt.datetime.strptime(exeter["date_as_cited"], "%B %d, %Y").date().isoformat(),
        exeter["notes"],
    )
    assert defence["tier_or_scope"] == "Tier 1" and "Royal Holloway" in defence["notes"]
    page = Page(reports.report(memory_real, "organisation", "Ministry of Defence"))
    (row,) = page.tables["applications"]
    assert (row[3], row[5], row[7]) == (
        defence["tier_or_scope"].removeprefix("Tier "),
        defence["purpose_as_cited"],
        defence["notes"],
    )


def test_a_statement_row_gives_the_notes_on_its_row(memory_real: MemoryStore) -> None:
    """The Cabinet Office's extraction of names and addresses (npd_release_scope_statements.csv, row 32) is in no
    register, and its notes say its link to the Cabinet Office's register entries is 'NOT established': the report
    quoted the words alone, beside two tier-level releases to the same body."""
    extraction = STATEMENTS[32 - 2]
    assert extraction["organisation"] == "Cabinet Office" and "NOT established" in extraction["notes"]
    page = Page(reports.report(memory_real, "organisation", extraction["organisation"]))
    (row,) = [cells for cells in page.tables["statements"] if extraction["quote"] in cells[1]]
    assert row[4] == extraction["notes"]


def test_a_statement_taken_to_mean_items_names_them_not_their_ids(memory_real: MemoryStore) -> None:
    """Locrating's 'where they live' (npd_release_scope_statements.csv row 42) is taken to mean the census's address
    lines (scope_words.csv), which the dictionary lists in no sheet: the reports gave their ids
    (DataItem:unplaced/AddressLine1_[term][yy]) where every other column gives names. Each is named, and said to be
    in no table, in the release's and the organisation's reports, in HTML and Markdown."""
    said = STATEMENTS[42 - 2]
    assert (said["organisation"], said["data_item_as_written"]) == ("Locrating Ltd", "where they live")
    meant = [r["means"] for r in rows("scope_words.csv") if r["words"] == said["data_item_as_written"]]
    aliases = [m.removeprefix("DataItem:unplaced/") for m in meant if m.startswith("DataItem:unplaced/")]
    assert len(aliases) == 5 and not {r["npd_alias"] for r in ITEMS} & set(aliases)
    expected = [f"{alias}, not placed in a table" for alias in aliases]
    for subject, name, table in (
        ("release", LOCRATING["reference"], "recipient-statements"), ("organisation", "Locrating", "statements")
    ):  # fmt: skip
        page = Page(reports.report(memory_real, subject, name))
        (row,) = [cells for cells in page.tables[table] if cells[1].startswith("where they live: ")]
        assert set(expected) <= set(row[2].split("; ")), subject
        assert not any("DataItem:" in cells[2] for cells in page.tables[table]), subject
        markdown = reports.report(memory_real, subject, name, "md")
        escaped = [e.replace("_", "\\_").replace("[", "\\[").replace("]", "\\]") for e in expected]
        assert all(e in markdown for e in escaped) and "DataItem:unplaced" not in markdown, subject


def test_the_item_report_names_each_table_s_item_by_its_data_set_not_its_key(memory_real: MemoryStore) -> None:
    """Where an item comes from had given each table's item by its key (KS4/KS4 Exam Table/KS4_UPN,
    unplaced/AddressLine1_[term][yy]): it names the item within its data set, by the data set's name (the sheet KS4,
    which no overview tab names), or says no table is known to hold it."""
    ks4 = [r for r in ITEMS if r["npd_alias"] == "KS4_UPN"]
    assert {r["sheet"] for r in ks4} == {"KS4"} and len({r["sub_table"] for r in ks4}) == len(ks4) == 2
    page = Page(reports.report(memory_real, "item", "KS4_UPN"))
    shown = {cells[0] for cells in page.tables["provenance"]}
    assert shown == {f"{r['sub_table']}/KS4_UPN in KS4" for r in ks4}
    page = Page(reports.report(memory_real, "item", "AddressLine1_[term][yy]"))
    assert {cells[0] for cells in page.tables["provenance"]} == {"AddressLine1_[term][yy], not placed in a table"}


def test_an_access_row_gives_the_notes_on_its_row(memory_real: MemoryStore) -> None:
    """The Home Office's match and return (npd_flows_2018_onward.csv, row 14), whose quote names what the Home Office
    sends and whose notes say so, and DfE's data for a police force (row 13), whose notes say the force is not in the
    page as read: the report gave the quote alone."""
    matched, police = FLOWS_AFTER_2018[14 - 2], FLOWS_AFTER_2018[13 - 2]
    assert "what the Home Office sends" in matched["notes"] and "the force, is not in" in police["notes"]
    page = Page(reports.report(memory_real, "organisation", "Home Office"))
    (row,) = [cells for cells in page.tables["accessed"] if cells[3] == matched["quote"]]
    assert row[4] == matched["notes"]
    page = Page(reports.report(memory_real, "organisation", "Department for Education"))
    (row,) = [cells for cells in page.tables["gave-access"] if cells[3] == police["quote"]]
    assert row[4] == police["notes"]


def test_the_item_report_lists_who_did_not_get_it_the_unpublished_releases_and_who_asks(
    memory_real: MemoryStore,
) -> None:
    page = Page(reports.report(memory_real, "item", "KS4_SURNAME"))
    check_self_contained(page, web_addresses())
    newsnight = next(r for r in STATEMENTS if r["organisation"] == "BBC Newsnight" and r["statement"] == "not_released")
    row = next(cells for cells in page.tables["not-received"] if cells[0] == "British Broadcasting Corporation")
    said = f"{newsnight['data_item_as_written']}: \u201c{newsnight['quote']}\u201d"  # its words, then its quote
    assert (row[1], row[2]) == ("not released to it", said)
    assert "Ministry of Justice" in {cells[2] for cells in page.tables["unpublished"]}
    assert {"Home Office", "Police forces (not named in the record)"} <= {
        cells[0] for cells in page.tables["asked-about"]
    }


def test_the_markdown_report(memory_real: MemoryStore) -> None:
    text = reports.report(memory_real, "release", "DR170518.02", "md")
    assert text.startswith("# Audit report: Release DR170518.02: Locrating Ltd\n")
    assert f"| status | {LOCRATING['status_as_cited']} |" in text
    assert f"[{LOCRATING['source_url'].replace('_', chr(92) + '_')}]({LOCRATING['source_url']})" in text
    assert '<div class="flow">\n<svg' in text and "\n\n" not in text[text.index("<svg") : text.index("</svg>")]
    item = reports.report(memory_real, "item", "KS4_FSM", "md")
    table = item[item.index("## Who received it, or may have") :].split("\n\n")[1].splitlines()
    assert table[0].startswith("| date | release | organisation |") and len(table) == 2 + len(TIER_ROWS)
    assert all("| confirmed |" not in line for line in table[2:])


def test_unknown_subjects_are_errors(memory_real: MemoryStore) -> None:
    with pytest.raises(NotFound, match="DS99999"):
        reports.report(memory_real, "release", "DS99999")
    with pytest.raises(NotFound, match="Nobody At All"):
        reports.report(memory_real, "organisation", "Nobody At All")
    with pytest.raises(NotFound, match="NO_SUCH_ALIAS"):
        reports.report(memory_real, "item", "NO_SUCH_ALIAS")
    with pytest.raises(LineageError, match="unknown report format 'pdf'"):
        reports.report(memory_real, "release", "DR170518.02", "pdf")


@pytest.mark.neo4j
def test_the_reports_are_the_same_from_neo4j(neo4j_real: Store, memory_real: MemoryStore) -> None:
    for subject, reference in (("release", "DR170518.02"), ("item", "KS4_FSM"), ("organisation", "Home Office")):
        text = reports.report(neo4j_real, subject, reference)
        assert text == reports.report(memory_real, subject, reference), subject
    assert LOCRATING["source_url"] in reports.report(neo4j_real, "release", "DR170518.02")


# ---- hand-made graphs -------------------------------------------------------------------------------

ONWARD_CITE = Citation("Onward fixture (fictional)", "tests/lineage/test_reports.py", 1, "https://example.org/onward")
A, B, C, D, E = "Alder Analytics", "Birch Research", "Cedar Media", "Damson Data", "Elm Insight"


def _onward_graph(store: Store) -> None:
    """Release R1 sent to A and B; B shares onward with C, A with D, D with E, and E with itself."""

    def organisation(name: str) -> Node:
        props = {"org_type": "commercial"}
        return Node(NodeKind.ORGANISATION, normalise(name), name, props, frozenset({ONWARD_CITE}), synthetic=True)

    def edge(source: Node, kind: EdgeKind, target: Node) -> Edge:
        return Edge(source.id, kind, target.id, citations=frozenset({ONWARD_CITE}))

    a, b, c, d, e = map(organisation, (A, B, C, D, E))
    release = Node(NodeKind.RELEASE, "R1", "R1", {"reference": "R1"}, frozenset({ONWARD_CITE}), synthetic=True)
    store.write(
        [a, b, c, d, e, release],
        [
            edge(release, EdgeKind.SENT_TO, a), edge(release, EdgeKind.SENT_TO, b),
            edge(b, EdgeKind.SHARES_ONWARD, c), edge(a, EdgeKind.SHARES_ONWARD, d),
            edge(d, EdgeKind.SHARES_ONWARD, e), edge(e, EdgeKind.SHARES_ONWARD, e),
        ],
    )  # fmt: skip


def test_an_organisation_report_lists_only_its_own_onward_shares(empty_store: Store) -> None:
    _onward_graph(empty_store)

    def first_cells(name: str, section: str) -> list[str]:
        return [cells[0] for cells in Page(reports.report(empty_store, "organisation", name)).tables.get(section, [])]

    assert first_cells(A, "shared-onward") == [D]  # not C: B shared with C
    assert first_cells(B, "shared-onward") == [C]
    assert first_cells(D, "shared-onward") == [E]  # D received no release, yet shares onward
    assert first_cells(D, "received-onward") == [A] and first_cells(D, "releases") == []
    assert first_cells(E, "shared-onward") == []  # sharing with itself is not sharing onward
    page = Page(reports.report(empty_store, "organisation", D))
    assert page.tables["shared-onward"][0][-2:] == ["confirmed", "[1]"]
    assert page.sources["source-1"].endswith(ONWARD_CITE.address)


LINKY = "Visit https://evil.example/x, WWW.evil.example or mail a@evil.example"


def test_names_never_become_links_in_markdown(empty_store: Store) -> None:
    cited = frozenset({Citation("Fictional register", "linky.csv", 2, "https://example.org/register")})
    organisation = Node(NodeKind.ORGANISATION, "linky", LINKY, {"org_type": "commercial"}, cited, synthetic=True)
    props = {"reference": "DS90002", "status": LINKY}
    release = Node(NodeKind.RELEASE, "DS90002", f"DS90002: {LINKY}", props, cited, synthetic=True)
    empty_store.write([organisation, release], [Edge(release.id, EdgeKind.SENT_TO, organisation.id, citations=cited)])
    for subject, reference in (("release", "DS90002"), ("organisation", LINKY)):
        markdown = reports.report(empty_store, subject, reference, "md")
        # outside the picture (an HTML block, where GitHub makes no link) and the sources
        prose = markdown[: markdown.index('<div class="flow">')]
        prose += markdown[markdown.index("</svg>") : markdown.index("## Sources")]
        assert r"Visit https\://evil.example/x, WWW\.evil.example or mail a\@evil.example" in prose, subject
        assert not re.search(r"[^\\]://|www\.|[^\\]@", prose, re.IGNORECASE), subject  # nothing GitHub links
        sources = markdown[markdown.index("## Sources") :]
        assert "[https://example.org/register](https://example.org/register)" in sources  # the one link: cited


# ---- hostile names -----------------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script> & O\'Brien | *bold* [link](javascript:alert(1)) `tick`\n\n¿Ωμέγα?'
QUOTED_ADDRESS = 'https://example.org/a"onmouseover="alert(1)'


def _hostile_graph(store: Store) -> None:
    """A fictional release to a fictional organisation, with a hostile name and hostile source addresses."""
    cite = Citation("Fictional <b>register</b> & co", "hostile.csv", 2, QUOTED_ADDRESS)
    trap = Citation("Fictional notes", "notes.csv", 3, "javascript:alert(1)")

    def node(kind: NodeKind, key: str, name: str, **props: str) -> Node:
        return Node(kind, key, name, props, frozenset({cite, trap}), synthetic=True)

    def edge(source: Node, kind: EdgeKind, target: Node, certainty: Certainty = CONFIRMED) -> Edge:
        return Edge(source.id, kind, target.id, citations=frozenset({cite}), certainty=certainty)

    release = node(NodeKind.RELEASE, "DS90001", f"DS90001: {HOSTILE}", reference="DS90001", status=HOSTILE)
    organisation = node(NodeKind.ORGANISATION, "hostile", HOSTILE, org_type="commercial")
    approval = node(NodeKind.APPROVAL, "DSAP:DS90001", "DSAP approval", legal_gateway=HOSTILE)
    item = node(NodeKind.DATA_ITEM, "T/X_Y", "X&Y <i>", alias="X&Y")
    store.write(
        [release, organisation, approval, item],
        [
            edge(release, EdgeKind.SENT_TO, organisation),
            edge(release, EdgeKind.APPROVED_BY, approval),
            edge(release, EdgeKind.INCLUDES, item, Certainty(CertaintyLevel.TIER_LEVEL)),
        ],
    )


def test_hostile_names_are_escaped(empty_store: Store) -> None:
    _hostile_graph(empty_store)
    for subject, reference in (("release", "DS90001"), ("organisation", HOSTILE), ("item", "X&Y")):
        text = reports.report(empty_store, subject, reference)
        page = Page(text)
        check_self_contained(page, {QUOTED_ADDRESS})
        assert "<script" not in text.lower() and "<i>" not in text and "<b>register" not in text
        cells = [cell for table in page.tables.values() for cells in table for cell in cells]
        assert HOSTILE in cells or f"DS90001: {HOSTILE}" in cells, subject  # escaped, then read back whole
        assert page.sources["source-1"] == f"Fictional <b>register</b> & co, hostile.csv, row 2: {QUOTED_ADDRESS}"
        assert page.sources["source-2"] == "Fictional notes, notes.csv, row 3: javascript:alert(1)"  # text, no link
    markdown = reports.report(empty_store, "release", "DS90001", "md")
    assert "<script" not in markdown.lower()
    # outside the picture (an HTML block, which Markdown leaves alone), brackets are escaped: no link to run
    prose = markdown[: markdown.index('<div class="flow">')] + markdown[markdown.index("</svg>") :]
    assert "javascript:alert(1))" in prose and not re.search(r"(?<!\\)\]\(javascript:", prose)
    assert "\n\n" not in markdown[markdown.index("<svg") : markdown.index("</svg>")]  # one HTML block
    recipients = markdown[markdown.index("## Recipients") :].split("\n\n")[1].splitlines()
    assert len(re.split(r"(?<!\\)\|", recipients[2])) == len(re.split(r"(?<!\\)\|", recipients[0]))  # no cell broken


def test_the_report_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = MemoryStore()
    _hostile_graph(store)
    store.save(tmp_path / "graph.snapshot")
    address = f"memory:{tmp_path / 'graph.snapshot'}"
    assert main(["report", "release", "DS90001", "--format", "md", "--store", address]) == 0
    assert capsys.readouterr().out.startswith("# Audit report: Release DS90001: ")
    out = tmp_path / "report.html"
    assert main(["report", "item", "X&Y", "--output", str(out), "--store", address]) == 0
    assert Page(out.read_text(encoding="utf-8")).errors == []
    assert main(["report", "item", "NOPE", "--output", str(tmp_path / "nope.html"), "--store", address]) == 1
    assert "no NPD data item has the alias 'NOPE'" in capsys.readouterr().err
    assert not (tmp_path / "nope.html").exists()
    with pytest.raises(ExportError, match="is a directory"):
        write_text(tmp_path, "text")  # the writer a report's --output goes through


def test_a_row_cites_the_sources_of_what_it_says_not_every_row_naming_its_body(memory_real: MemoryStore) -> None:
    """The auditor's reading: the Home Office's 'Records it reached' row, a match and return confirmed by one written
    answer (npd_flows_2018_onward.csv row 14), also cited the rows naming the NPD anywhere (ADR UK's MoJ linked set,
    a requester's words, OSR and ICO letters); DR170518.02's recipient row cited Locrating's own pages, whose notes
    say the link to that release is 'assumed, not stated by source'. A row cites the link it states."""
    page = Page(reports.report(memory_real, "organisation", "Home Office"))
    (matched,) = [cells for cells in page.tables["accessed"] if "match and return" in cells[2]]
    flows = {f"npd_flows_2018_onward.csv, row {n}:" for n in range(2, len(FLOWS_AFTER_2018) + 2)}
    cited = [prefix for prefix in flows for text in cited_texts(page, matched[-1]) if prefix in text]
    assert cited == ["npd_flows_2018_onward.csv, row 14:"]
    register = rows("npd_register_entries_cited_in_foi.csv")
    (at,) = [n for n, r in enumerate(register, start=2) if r["reference"] == "DR170518.02"]
    page = Page(reports.report(memory_real, "release", "DR170518.02"))
    (recipient,) = page.tables["recipients"]
    texts = cited_texts(page, recipient[-1])
    assert texts and all("npd_register_entries_cited_in_foi.csv" in text for text in texts), texts
    assert any(f"npd_register_entries_cited_in_foi.csv, row {at}:" in text for text in texts)
