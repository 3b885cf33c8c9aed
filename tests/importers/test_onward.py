"""The flows after 2018 (``onward-flows``): each kind of row as its facts, on both stores. Expected values are read
from the bundled CSV's rows, not from what the program wrote."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from importers.onward import LINKED_PARTY, OnwardFlowsImporter, load_readings
from importers.reading import BadInput
from lineage.changes import ADDED, diff
from lineage.model import CertaintyLevel, Edge, EdgeKind, NodeKind, Validity
from lineage.resources import DATA_DIR
from lineage.store import Store
from lineage.stores.memory import MemoryStore
from tests.importers.store_state import every_node, state_of

FILE = DATA_DIR / "npd_flows_2018_onward.csv"
ROWS = {number: row for number, row in enumerate(csv.DictReader(FILE.open(encoding="utf-8")), start=2)}
LRS, NPD = "RecordSet:Learning Records Service (LRS)", "RecordSet:National Pupil Database (NPD)"
DFE, TRUSTOPIA = "Organisation:department for education", "Organisation:trust systems software uk"
GB_GROUP, GAMBLING = "Organisation:gb group", "Organisation:gambling companies"
DWP, HMRC = "Organisation:dwp", "Organisation:hmrc"


def rows_of(kind: str) -> dict[int, dict[str, str]]:
    return {number: row for number, row in ROWS.items() if row["kind"] == kind}


def edge(store: Store, source: str, kind: EdgeKind, target: str):  # type: ignore[no-untyped-def]
    found = store.get_edges([(source, kind, target)])
    assert len(found) == 1, f"no {source} {kind} {target}"
    return next(iter(found.values()))


def imported(store: Store) -> Store:
    OnwardFlowsImporter().run(store, FILE)
    return store


def test_the_lrs_is_its_own_record_set_searched_by_trustopia_for_a_period(empty_store: Store) -> None:
    store = imported(empty_store)
    (number, row), *_ = ((n, r) for n, r in rows_of("access_granted").items() if "LRS" in r["dataset_as_written"])
    lrs = store.get_node(LRS)
    assert lrs is not None and lrs.props["system"] == "LRS"  # not the NPD
    access = edge(store, LRS, EdgeKind.ACCESSED_BY, TRUSTOPIA)
    assert access.props["route"] == "live search"
    assert access.props["value_text"] == row["figure"] and access.props["unit"] == row["unit"]
    assert access.props["quote"] == row["quote"]
    assert access.validity == Validity(dt.date(2018, 9, 1), dt.date(2020, 1, 31))  # "2018-09..2020-01"
    assert access.certainty.level is CertaintyLevel.REPORTED  # a regulator's finding as reported
    assert {(c.file, c.row, c.address) for c in access.citations} >= {(FILE.name, number, row["source_url"])}
    assert edge(store, LRS, EdgeKind.HELD_BY, DFE).props["role"] == "holds it and gave access"


def test_the_holders_link_carries_none_of_the_items_of_the_access_it_gave(empty_store: Store) -> None:
    """The reading after 2018: the NPD's link to DfE, its holder, carried 'child's name, gender, date of birth and
    address' as its items: what the Home Office sends to be matched (row 14's notes), not what DfE holds. The items
    of an access are the access's."""
    store = imported(empty_store)
    matching = ROWS[14]
    assert matching["to_organisation"] == "Home Office" and "what the Home Office sends" in matching["notes"]
    assert (
        edge(store, NPD, EdgeKind.ACCESSED_BY, "Organisation:home office").props["matched_on"]
        == (matching["items_as_written"])
    )
    for records in (NPD, LRS):
        assert "items_as_written" not in edge(store, records, EdgeKind.HELD_BY, DFE).props, records


def test_each_onward_share_row_is_a_cited_edge_saying_what_went(empty_store: Store) -> None:
    store = imported(empty_store)
    shares = rows_of("onward_share")
    assert len(shares) == 2
    expected = {
        (TRUSTOPIA, GB_GROUP): next(n for n, r in shares.items() if r["to_organisation"] == "GB Group"),
        (GB_GROUP, GAMBLING): next(n for n, r in shares.items() if r["from_organisation"] == "GB Group"),
    }
    for (source, target), number in expected.items():
        share = edge(store, source, EdgeKind.SHARES_ONWARD, target)
        assert share.props["what_went"] == "a service built on the data"
        assert share.props["quote"] == ROWS[number]["quote"]
        assert share.props["date_as_cited"] == ROWS[number]["date_as_cited"] == "undated"
        assert share.validity == Validity()  # no period is invented
        assert share.certainty.level is CertaintyLevel.REPORTED
        assert number in {c.row for c in share.citations if c.file == FILE.name}
    gambling = store.get_node(GAMBLING)
    assert gambling is not None and gambling.name == "Gambling companies (not named in the record)"


def test_a_refusal_to_say_is_a_statement_in_the_requesters_words_not_an_edge(empty_store: Store) -> None:
    store = imported(empty_store)
    ((number, row),) = rows_of("foi_refused").items()
    hops = store.expand(["Organisation:home office"], frozenset({EdgeKind.SHARES_ONWARD}), frozenset({EdgeKind.ABOUT}))
    assert [h.edge.kind for h in hops] == [EdgeKind.ABOUT]  # nothing onward from the Home Office is invented
    statement = hops[0].node
    assert statement.props["statement"] == "refused_to_say" and statement.props["quote"] == row["quote"]
    assert statement.certainty.level is CertaintyLevel.REPORTED
    assert any("the requester's own words" in c.document and c.row == number for c in statement.citations)


def test_linked_data_sets_with_their_holders_sizes_and_sources(empty_store: Store) -> None:
    store = imported(empty_store)
    (row,) = (r for r in rows_of("linked_dataset").values() if r["to_organisation"] == "Ministry of Justice (MoJ)")
    linked = f"RecordSet:{row['dataset_as_written']}"
    node = store.get_node(linked)
    assert node is not None and node.props["system"] == "linked data set"
    assert node.props["size_as_written"] == row["figure"] and node.props["size_unit"] == row["unit"]
    assert edge(store, linked, EdgeKind.HELD_BY, "Organisation:ministry of justice").props["route"] == "linkage"
    assert edge(store, linked, EdgeKind.DERIVED_FROM, NPD).props["as_written"] == "NPD: 15 million records"
    assert edge(store, linked, EdgeKind.DERIVED_FROM, "RecordSet:Police National Computer (PNC)")
    leo = "RecordSet:Longitudinal Education Outcomes (LEO)"
    for body in ("dwp", "hmrc", "joint information systems committee"):
        assert edge(store, leo, EdgeKind.HELD_BY, f"Organisation:{body}").certainty.level is CertaintyLevel.CONFIRMED


def test_the_identifiers_sent_to_link_a_set_are_the_links_not_what_the_set_holds(empty_store: Store) -> None:
    """The reading after 2018: LEO was listed with 'name, date of birth, gender, postcode, national insurance
    number' as its items, though the privacy notice gives them as what is sent to DWP to link, and says they are
    removed after linkage (row 28's notes); the readings do not say they are the set's (flow_readings.csv)."""
    row = ROWS[28]
    assert "Identifiers are removed after linkage" in row["notes"] and row["items_as_written"]
    reading = load_readings()[FILE.name][28]
    assert not reading.items_of_records
    store = imported(empty_store)
    leo = "RecordSet:Longitudinal Education Outcomes (LEO)"
    node = store.get_node(leo)
    assert node is not None and "items_as_written" not in node.props
    assert edge(store, leo, EdgeKind.HELD_BY, DWP).props["items_as_written"] == row["items_as_written"]


def test_oversight_rows_are_events_judging_dfe_and_the_records(empty_store: Store) -> None:
    store = imported(empty_store)
    oversight = rows_of("oversight")
    events = [n for n in store.all_nodes(NodeKind.EVENT) if n.props["event_kind"] == "oversight"]
    assert len(events) == len(oversight)
    reprimand = next(e for e in events if "reprimanded" in str(e.props["quote"]))
    concerns = {h.node.id for h in store.expand([reprimand.id], frozenset({EdgeKind.CONCERNS}), frozenset())}
    assert concerns == {LRS, DFE}
    # dated 2022-11-09, the article's date, not the reprimand's (date_readings.csv row 3, which gives no period): an
    # event, it stays on that day, the latest it can have happened, and says what the date is
    assert reprimand.props["date_as_cited"] == "2022-11-09" and "not the reprimand's" in str(reprimand.props["date_is"])
    assert reprimand.validity == Validity(dt.date(2022, 11, 9), dt.date(2022, 11, 9))


#: The notes' words for a date that is not the event's own day: the report's date, or a year or month read elsewhere.
NOT_ITS_OWN_DAY = (
    "date is the article date",
    "date from the url",
    "date from the post url",
    "is inferred",
    "month comes from",
)


def test_an_event_dated_by_its_report_or_by_inference_says_so_and_cites_why(empty_store: Store) -> None:
    """The ICO's reprimand is dated 2022-11-09, the article's date (row 6's notes; huntonak.com gives 2 November),
    and the OSR's letter gives '25th September' with no year (row 21): each such event must say what its date is,
    or an answer dates the reprimand by its report."""
    store = imported(empty_store)
    expected = {n for n, row in ROWS.items() if any(words in row["notes"].lower() for words in NOT_ITS_OWN_DAY)}
    assert {3, 6, 18, 20, 21, 25, 31} <= expected
    said = {
        c.row: event
        for event in store.all_nodes(NodeKind.EVENT)
        if event.props.get("date_is")
        for c in event.citations
        if c.file == FILE.name
    }
    assert expected <= said.keys(), sorted(expected - said.keys())
    assert "article" in str(said[6].props["date_is"]) and "November 2, 2022" in str(said[6].props["dated_by"])
    assert "inferred" in str(said[21].props["date_is"]) and "25th September" in ROWS[21]["quote"]
    assert any(c.file == "date_readings.csv" for c in said[21].citations)
    own_day = next(e for e in store.all_nodes(NodeKind.EVENT) if "Assessment Notice" in str(e.props.get("quote")))
    assert "date_is" not in own_day.props  # row 23: the notice's own day, as the ICO's summary gives it


def test_a_flow_dated_by_the_document_that_describes_it_says_so(empty_store: Store) -> None:
    """The Home Office's match and return is dated 2019-07-19, the day a written answer described it (row 14's
    notes: 'Answered 19 July 2019'; it runs under the MoU of 2015); DWP's linked sets by their privacy notices'
    updates (rows 28 and 29): each flow must say what its date is."""
    store = imported(empty_store)
    notes = {14: "answered 19 july 2019", 28: "privacy notice updated", 29: "privacy notice updated"}
    assert all(words in ROWS[n]["notes"].lower() for n, words in notes.items())
    ends = [n.id for kind in (NodeKind.RECORD_SET, NodeKind.ORGANISATION) for n in store.all_nodes(kind)]
    flows = [h.edge for h in store.expand(ends, frozenset({EdgeKind.ACCESSED_BY, EdgeKind.HELD_BY}), frozenset())]
    for number in notes:
        dated = [e for e in flows if any(c.file == FILE.name and c.row == number for c in e.citations)]
        assert dated and all(e.props.get("date_is") for e in dated if e.props.get("date_as_cited")), number
        assert any(e.props.get("date_as_cited") == ROWS[number]["date_as_cited"] for e in dated), number


def test_a_date_reading_of_a_date_the_row_no_longer_gives_is_counted_not_applied(
    empty_store: Store, tmp_path: Path
) -> None:
    moved = tmp_path / FILE.name
    moved.write_text(FILE.read_text(encoding="utf-8").replace("2022-11-09,oversight", "2022-11-02,oversight"), "utf-8")
    report = OnwardFlowsImporter().run(empty_store, moved)
    reprimand = next(e for e in empty_store.all_nodes(NodeKind.EVENT) if "reprimanded" in str(e.props["quote"]))
    assert reprimand.validity == Validity(dt.date(2022, 11, 2), dt.date(2022, 11, 2))
    assert "date_is" not in reprimand.props and "dated_by" not in reprimand.props
    assert any("date_readings.csv" in reason and "2022-11-09" in reason for reason in report.left_out)


def test_importing_twice_changes_nothing_and_a_dry_run_writes_nothing(empty_store: Store) -> None:
    before = state_of(empty_store)
    report = OnwardFlowsImporter().run(empty_store, FILE, dry_run=True)
    assert state_of(empty_store) == before
    assert report.rows_read == len(ROWS) and report.rows_skipped == 0
    imported(empty_store)
    once = state_of(empty_store)
    imported(empty_store)
    assert state_of(empty_store).graph == once.graph


def test_a_malformed_row_is_refused_naming_file_row_and_column(empty_store: Store, tmp_path: Path) -> None:
    text = FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    faults = (("kind", ",onward_share,", ",onward_gossip,"), ("source_kind", "regulator_as_reported", "a friend"))
    for column, old, new in faults:
        bad = tmp_path / FILE.name
        row = next(i for i, line in enumerate(text) if old in line)
        bad.write_text("".join([*text[:row], text[row].replace(old, new, 1), *text[row + 1 :]]), encoding="utf-8")
        before = state_of(empty_store)
        with pytest.raises(BadInput) as refused:
            OnwardFlowsImporter().run(empty_store, bad)
        assert (refused.value.row, refused.value.column) == (row + 1, column)
        assert FILE.name in str(refused.value)
        assert state_of(empty_store) == before


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("2,The company,by pigeon,,,,,,because", "route"),
        ("2,The company,,,,,everything,,because", "items_of"),
        ("2,The company,,,,,records,,because", "items_of"),
        ("2,,,,,,,,because", "row_says"),
    ],
)
def test_a_reading_of_an_unknown_route_or_items_of_is_refused(tmp_path: Path, line: str, column: str) -> None:
    """An unknown route; items said to be the records' where the reading names none, or neither flow nor records;
    no words of the row read."""
    readings = tmp_path / "flow_readings.csv"
    header = "file,row,row_says,route,records,system,derived_from,items_of,role,reasoning"
    readings.write_text(f"{header}\n{FILE.name},{line}\n", encoding="utf-8")
    with pytest.raises(BadInput) as refused:
        load_readings(readings)
    assert (refused.value.row, refused.value.column) == (2, column)


def test_lineage_diff_carries_the_new_rows(empty_store: Store) -> None:
    added = {(c.change, c.node.id) for c in diff(MemoryStore(), imported(empty_store)).changes}
    assert {(ADDED, LRS), (ADDED, GB_GROUP), (ADDED, TRUSTOPIA), (ADDED, GAMBLING)} <= added
    refusals = [id_ for change, id_ in added if id_.startswith("Statement:") and "refused_to_say" in id_]
    assert len(refusals) == len(rows_of("foi_refused"))


def test_a_linked_data_sets_parties_are_never_said_to_have_received_pupil_records(empty_store: Store) -> None:
    """The audit's case: the MoJ (a linkage whose page 'does not say which way data moved') and DfE's 'LEO partners'
    were each 'named as its recipient' of the linked set, which neither source says."""
    store = imported(empty_store)
    linked = rows_of("linked_dataset")
    assert any("does not say which way data moved" in r["notes"] for r in linked.values())
    assert any("LEO partners" in r["notes"] for r in linked.values())
    for row in linked.values():
        held = store.expand([f"RecordSet:{row['dataset_as_written']}"], frozenset({EdgeKind.HELD_BY}), frozenset())
        held += store.expand(
            ["RecordSet:Longitudinal Education Outcomes (LEO)"], frozenset({EdgeKind.HELD_BY}), frozenset()
        )
        assert held
        for hop in held:
            role = str(hop.edge.props.get("role"))
            assert "recipient" not in role, (hop.edge.id, role)
            if hop.node.id != DWP:  # the one body a row says more of (the test below)
                assert "does not say pupil records went to it" in role, (hop.edge.id, role)


def test_what_a_row_says_of_a_body_in_a_linked_set_outranks_naming_it_a_party_in_either_order(
    empty_store: Store, tmp_path: Path
) -> None:
    """LEO's page names DWP among 'DfE's LEO partners' (row 27); its privacy notice says personal identifiers 'are
    sent to' DWP (row 28). The two rows make one link, which kept the first row's 'the source does not say pupil
    records went to it' beside row 28's quote that they were sent."""
    table = csv.DictReader((DATA_DIR / "flow_readings.csv").open(encoding="utf-8"))
    readings = {int(r["row"]): r for r in table if r["file"] == FILE.name}
    (sent,) = [n for n, r in ROWS.items() if r["kind"] == "linked_dataset" and "are sent to" in r["quote"]]
    assert "Work and Pensions" in ROWS[sent]["to_organisation"] and readings[sent]["role"]
    leo = f"RecordSet:{readings[sent]['records']}"
    two = tmp_path / FILE.name  # the two rows alone, row 28 first, each with its own reading
    with two.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ROWS[2]))
        writer.writeheader()
        writer.writerows([ROWS[sent], ROWS[sent - 1]])
    bundled = load_readings()[FILE.name]
    stores = [imported(empty_store), MemoryStore()]
    # each with its own reading, of its row there
    own = {at: replace(bundled[n], read=replace(bundled[n].read, row=at)) for at, n in ((2, sent), (3, sent - 1))}
    OnwardFlowsImporter({FILE.name: own}).run(stores[1], two)
    for store in stores:
        held = edge(store, leo, EdgeKind.HELD_BY, DWP)
        assert held.props["role"] == readings[sent]["role"]
        assert len({c.address for c in held.citations if c.file == FILE.name}) == 2  # both rows' sources
        assert edge(store, leo, EdgeKind.HELD_BY, HMRC).props["role"] == LINKED_PARTY


def test_a_linked_sets_coverage_dates_neither_its_holding_as_the_sets_own_nor_what_it_is_made_from(
    empty_store: Store,
) -> None:
    """The reading of answers' case: the MoJ-DfE linked set's '2000..2021' is the police records' span (the row's
    notes), yet its links to the NPD and the PNC held only then, so asOf 2005 gave the set as made from the NPD.
    The holding says what its date is (date_readings.csv); what a set is made from no linked row dates."""
    number, row = next((n, r) for n, r in rows_of("linked_dataset").items() if "Police National Computer" in r["notes"])
    assert row["date_as_cited"] == "2000..2021"
    with (DATA_DIR / "date_readings.csv").open(encoding="utf-8", newline="") as handle:
        (reading,) = [r for r in csv.DictReader(handle) if (r["file"], r["row"]) == (FILE.name, str(number))]
    imported(empty_store)
    (linked,) = [n for n in empty_store.all_nodes(NodeKind.RECORD_SET) if n.key == row["dataset_as_written"]]
    hops = empty_store.expand([linked.id], frozenset({EdgeKind.HELD_BY, EdgeKind.DERIVED_FROM}), frozenset())
    held = [h.edge for h in hops if h.edge.kind is EdgeKind.HELD_BY]
    derived = [h.edge for h in hops if h.edge.kind is EdgeKind.DERIVED_FROM]
    assert held and all(e.props["date_is"] == reading["date_is"] for e in held)
    assert len(derived) == 2 and all(e.validity == Validity() for e in derived)
    # and when it is held, as far as the table can say (holds): not before the year its police records end, so
    # lineage(asOf: 2005) no longer gives the set as held by the MoJ (the reading after 2018)
    assert reading["holds"] == "2021.." and all(e.validity == Validity(dt.date(2021, 1, 1), None) for e in held)
    hops = empty_store.expand([linked.id], frozenset({EdgeKind.HELD_BY}), frozenset(), as_of=dt.date(2005, 6, 1))
    assert hops == []


def test_a_standing_arrangement_a_later_answer_describes_holds_from_when_its_figures_begin(
    empty_store: Store,
) -> None:
    """The reading after 2018: the Home Office's matching is dated by the written answer of 19 July 2019 that
    describes it, so lineage(asOf: 2019-06-01) from the NPD never reached the Home Office, though the published
    figures count its requests from July 2015 (npd_sharing_figures_compiled.csv rows 8-11)."""
    with (DATA_DIR / "date_readings.csv").open(encoding="utf-8", newline="") as handle:
        (reading,) = [r for r in csv.DictReader(handle) if (r["file"], r["row"]) == (FILE.name, "14")]
    with (DATA_DIR / "npd_sharing_figures_compiled.csv").open(encoding="utf-8", newline="") as handle:
        figures = list(csv.DictReader(handle))[8 - 2 : 11 - 1]
    assert {f["topic"] for f in figures} == {"home_office"} and {f["period"][:7] for f in figures} == {"2015-07"}
    assert ROWS[14]["date_as_cited"] == "2019-07-19" and reading["holds"] == "2015-07.."
    imported(empty_store)
    matching = edge(empty_store, NPD, EdgeKind.ACCESSED_BY, "Organisation:home office")
    assert matching.validity == Validity(dt.date(2015, 7, 1), None)
    assert matching.props["date_as_cited"] == "2019-07-19"  # the row's date, still as cited, and what it is
    for day in (dt.date(2015, 7, 1), dt.date(2019, 6, 1)):
        assert empty_store.expand([NPD], frozenset({EdgeKind.ACCESSED_BY}), frozenset(), as_of=day), day
    assert not empty_store.expand([NPD], frozenset({EdgeKind.ACCESSED_BY}), frozenset(), as_of=dt.date(2015, 6, 30))


def test_a_date_reading_whose_holds_is_no_period_is_refused(tmp_path: Path) -> None:
    from importers.events import load_dates

    with (DATA_DIR / "date_readings.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["holds"] = "for a while"
    copy = tmp_path / "date_readings.csv"
    with copy.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(BadInput) as refused:
        load_dates(copy)
    assert (refused.value.row, refused.value.column) == (2, "holds")


def test_a_newer_copy_with_a_row_added_above_gets_no_reading_written_for_another_row(
    empty_store: Store, tmp_path: Path
) -> None:
    """The hostile-input reading, round two: our tables read rows by number alone, so a copy of the file with one
    row added at the top took every reading one row down. Invented rows became the LRS's items ('pupil names') and
    a live search of it, citing flow_readings.csv, with no word. Each reading now applies only while its row still
    begins a cell with the words it read; the others are counted, naming the table's row. (The last linked data set
    goes to a number no reading reads: a linked set whose records no reading names is refused, as before.)"""
    lines = FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    (access,) = [n for n, r in ROWS.items() if r["kind"] == "access_granted" and "LRS" in r["dataset_as_written"]]
    added = lines[access - 1].replace(ROWS[access]["quote"], "An invented row, read by no reading.")
    last = max(n for n, r in ROWS.items() if r["kind"] == "linked_dataset")
    assert last + 1 not in load_readings()[FILE.name]
    whole, cut = tmp_path / "whole" / FILE.name, tmp_path / FILE.name
    whole.parent.mkdir()
    whole.write_text("".join([lines[0], added, *lines[1:]]), encoding="utf-8")
    with pytest.raises(BadInput) as refused:  # the last linked set goes to a number no reading reads
        OnwardFlowsImporter().run(empty_store, whole)
    assert refused.value.row == last + 1 and every_node(empty_store) == []
    cut.write_text("".join([lines[0], added, *lines[1 : last - 1], *lines[last:]]), encoding="utf-8")
    report = OnwardFlowsImporter().run(empty_store, cut)
    assert not empty_store.get_edges([(LRS, EdgeKind.ACCESSED_BY, TRUSTOPIA)])  # no reading says what went, or how
    assert not empty_store.get_edges([(DFE, EdgeKind.ACCESSED_BY, TRUSTOPIA)])  # nor is it drawn from DfE instead
    readings = load_readings()[FILE.name]
    said = " | ".join(report.left_out)
    assert all(
        f"flow_readings.csv row {r.citation.row}: {FILE.name} row {n} no longer" in said
        for n, r in readings.items()
        if n != last
    )
    nodes = every_node(empty_store)
    hops = empty_store.expand([n.id for n in nodes], frozenset(EdgeKind), frozenset())
    cited = [*nodes, *(hop.edge for hop in hops)]
    assert not [fact for fact in cited if any(c.file == "flow_readings.csv" for c in fact.citations)]


def test_a_reading_that_reads_nothing_is_counted_not_dropped_without_a_word(empty_store: Store) -> None:
    """A role on a row that is no linked data set's, and a reading of a row the file lacks, were dropped silently
    (the hostile-input reading): each is counted, naming the readings table's row."""
    bundled = load_readings()[FILE.name]
    (access,) = [n for n, r in ROWS.items() if r["kind"] == "access_granted" and "LRS" in r["dataset_as_written"]]
    lacking = replace(bundled[access], read=replace(bundled[access].read, row=999))  # a reading of row 999
    readings = {**bundled, access: replace(bundled[access], role="searched it"), 999: lacking}
    report = OnwardFlowsImporter({FILE.name: readings}).run(empty_store, FILE)
    said = " | ".join(report.left_out)
    where = f"flow_readings.csv row {bundled[access].citation.row}"
    assert f"{where}: only a linked data set's row names its parties" in said
    assert "no row 999" in said


def test_a_copy_under_another_name_is_read_as_the_file_our_tables_name(empty_store: Store, tmp_path: Path) -> None:
    """The review of round two: the readings went by the file's name alone, so the same rows copied as
    npd_flows_2019.csv got none: Trustopia's search of the LRS was drawn as an access to DfE's records, and the
    linked data sets were dropped. A reading holds while its row says what it read, whatever the copy is called."""
    copy = tmp_path / "npd_flows_2019.csv"
    copy.write_bytes(FILE.read_bytes())
    report = OnwardFlowsImporter().run(empty_store, copy)
    assert edge(empty_store, LRS, EdgeKind.ACCESSED_BY, TRUSTOPIA).props["route"] == "live search"
    assert not empty_store.get_edges([(DFE, EdgeKind.ACCESSED_BY, TRUSTOPIA)])
    assert not any("no reading" in reason for reason in report.left_out)


def test_a_date_reading_is_not_applied_to_another_row_of_the_same_date(empty_store: Store, tmp_path: Path) -> None:
    """The second review: date_readings.csv was checked only against the date a row gives, so rows 3 and 6 (both
    dated 2022-11-09, each an article's date) swapped gave each event the other's reading and reasoning."""
    lines = FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    assert ROWS[3]["date_as_cited"] == ROWS[6]["date_as_cited"]
    lines[2], lines[5] = lines[5], lines[2]
    swapped = tmp_path / FILE.name
    swapped.write_text("".join(lines), encoding="utf-8")
    report = OnwardFlowsImporter().run(empty_store, swapped)
    said = " | ".join(report.left_out)
    assert all(f"date_readings.csv row {n}: {FILE.name} row {row} no longer" in said for n, row in ((2, 3), (3, 6)))
    swapped_events = [e for e in empty_store.all_nodes(NodeKind.EVENT) if e.props.get("quote") in
                      (ROWS[3]["quote"], ROWS[6]["quote"])]  # fmt: skip
    assert len(swapped_events) == 2 and not [e for e in swapped_events if "dated_by" in e.props]


def test_an_event_keeps_its_rows_notes_as_the_links_do(empty_store: Store) -> None:
    """The review after 2018: every Event from the file dropped its row's notes, which the links (ACCESSED_BY,
    SHARES_ONWARD, HELD_BY) keep: row 15's "'has returned' refers back to the HO as subject", row 17's "apparently a
    slip for 2018", row 8's "No fine was issued", row 7's "the source does not give the date the count refers to"."""
    store = imported(empty_store)
    events = rows_of("figure") | rows_of("policy_change") | rows_of("agreement") | rows_of("oversight")
    said = {"'has returned' refers back to the HO": 15, "apparently a slip for 2018": 17, "No fine was issued": 8}
    said["the source does not give the date the count refers to"] = 7
    assert all(words in ROWS[number]["notes"] and number in events for words, number in said.items())
    by_row = {c.row: event for event in store.all_nodes(NodeKind.EVENT) for c in event.citations if c.file == FILE.name}
    assert events.keys() <= by_row.keys()
    for number, row in events.items():
        assert by_row[number].props.get("notes") == " ".join(row["notes"].split()), number
    # under the name the links give them (row 4: Trustopia's onward share with GB Group)
    assert edge(store, TRUSTOPIA, EdgeKind.SHARES_ONWARD, GB_GROUP).props["notes"] == " ".join(ROWS[4]["notes"].split())


def test_an_events_text_says_who_it_is_from_and_to_as_its_row_words_them(empty_store: Store) -> None:
    """Row 30, HMRC's 2019 care leavers MoU with DfE, read "agreement: no records named": a line quoting it in any
    answer (organisation-receipts, onward-sharing, the letter, /reach) did not say which way it runs. Every event
    row's text names the ends its row gives, in the row's words, after the row's kind and before what it names."""
    store = imported(empty_store)
    assert (ROWS[30]["kind"], ROWS[30]["from_organisation"]) == ("agreement", "HMRC")
    assert ROWS[30]["to_organisation"] == "Department for Education (DfE)" and not ROWS[30]["dataset_as_written"]
    events = rows_of("figure") | rows_of("policy_change") | rows_of("agreement") | rows_of("oversight")
    assert any(not (row["from_organisation"] or row["to_organisation"]) for row in events.values())
    by_row = {c.row: event for event in store.all_nodes(NodeKind.EVENT) for c in event.citations if c.file == FILE.name}
    for number, row in events.items():
        ends = [f"{word} {' '.join(row[f'{word}_organisation'].split())}" for word in ("from", "to")]
        given = [end for end, column in zip(ends, ("from", "to"), strict=True) if row[f"{column}_organisation"]]
        kind = row["kind"].replace("_", " ")
        assert str(by_row[number].props["text"]).startswith(" ".join([kind, *given]) + ": "), number
    assert by_row[30].props["text"] == "agreement from HMRC to Department for Education (DfE): no records named"


def test_a_third_partys_copy_is_labelled_a_copy_not_the_publishers_own_page(empty_store: Store) -> None:
    """The review after 2018: the letter's sources listed the Umbrella MoU's docslib copy as "(the government's own
    page)" and Parallel Parliament's copy of a written answer as "(Parliament)" (rows 16 and 9), though neither
    address is a publisher's own (data/publishers.csv) and each fact is reported: the label contradicted it."""
    with (DATA_DIR / "publishers.csv").open(encoding="utf-8", newline="") as handle:
        own = [r["domain"] for r in csv.DictReader(handle)]
    copies = {16: "docslib.org", 9: "parallelparliament.co.uk"}
    for number, host in copies.items():
        assert host in ROWS[number]["source_url"] and not any(host.endswith(domain) for domain in own)
    assert ROWS[16]["source_kind"] == "dfe_or_government" and ROWS[9]["source_kind"] == "parliament"
    store = imported(empty_store)
    events = list(store.all_nodes(NodeKind.EVENT))
    for number in copies:
        (cited,) = {c for e in events for c in e.citations if c.file == FILE.name and c.row == number}
        assert cited.document.startswith(ROWS[number]["source_title"]), number
        assert "a third party's copy" in cited.document, cited.document
        assert not cited.document.endswith(("(the government's own page)", "(Parliament)")), cited.document
        event = next(e for e in events if cited in e.citations)
        assert event.certainty.level is CertaintyLevel.REPORTED
    # a page at the publisher's own address keeps its label (row 27: LEO's page on gov.uk)
    assert "gov.uk" in ROWS[27]["source_url"] and ROWS[27]["source_kind"] == "dfe_or_government"
    held = edge(store, "RecordSet:Longitudinal Education Outcomes (LEO)", EdgeKind.HELD_BY, HMRC)
    (own_page,) = [c for c in held.citations if c.file == FILE.name and c.row == 27]
    assert own_page.document == f"{ROWS[27]['source_title']} (the government's own page)"


def test_a_date_a_reading_says_is_not_when_a_fact_holds_is_never_its_validity(empty_store: Store) -> None:
    """The review after 2018: LEO's holders held it only on 2022-04 (HMRC, Jisc) and 2023-02-10 (DWP), and DWP the
    Pupil Parent Matched Data only on 2024-02-20, so lineage(asOf: 2023-06-01) from LEO gave no holder, though
    date_readings.csv rows 15-17 say those dates are "not when its partners came to hold it", "not when the linkage
    began", "not when the study began". Where a reading gives no period (holds), a link holds over a period unknown,
    keeping its date as cited and what it is, and an event stays on its date as cited (the latest it can have
    happened, the timeline saying what the date is); the rule is one for every importer reading the table."""
    from importers.events import CampaignEventsImporter

    with (DATA_DIR / "date_readings.csv").open(encoding="utf-8", newline="") as handle:
        readings = {number: r for number, r in enumerate(csv.DictReader(handle), start=2)}
    leo_rows = {15: 27, 16: 28, 17: 29}
    for number, row in leo_rows.items():
        assert (readings[number]["file"], readings[number]["row"]) == (FILE.name, str(row))
        assert "not when" in readings[number]["date_is"] and not readings[number]["holds"]
    store = imported(empty_store)
    CampaignEventsImporter().run(store, DATA_DIR / "npd_events_from_campaign_page.csv")
    leo, ppmd = "RecordSet:Longitudinal Education Outcomes (LEO)", "RecordSet:Pupil Parent Matched Data (PPMD)"
    asked = frozenset({EdgeKind.HELD_BY})
    held = {(h.edge.source, h.node.id) for h in store.expand([leo, ppmd], asked, frozenset(), dt.date(2023, 6, 1))}
    jisc = "Organisation:joint information systems committee"
    assert {(leo, DWP), (leo, HMRC), (leo, jisc), (ppmd, DWP)} <= held
    for records, body, row in ((leo, HMRC, 27), (leo, DWP, 28), (ppmd, DWP, 29)):
        link = edge(store, records, EdgeKind.HELD_BY, body)
        assert link.validity == Validity(), (records, body)
        assert link.props["date_as_cited"] == ROWS[row]["date_as_cited"]  # the date, still as cited
        assert link.props["date_is"] in {readings[n]["date_is"] for n in leo_rows}  # and what it is
    # wherever a reading is applied: every fact citing one holds when its holds says; without it, a flow over a
    # period unknown and an event or statement, and the links saying what it is about, on its date as cited
    nodes = every_node(store)
    facts = [*nodes, *(h.edge for h in store.expand([n.id for n in nodes], frozenset(EdgeKind), frozenset()))]
    read = [(c.row, f) for f in facts if "date_is" in f.props for c in f.citations if c.file == "date_readings.csv"]
    assert {number for number, _ in read} == readings.keys()  # each reading is applied, to both files' facts
    for number, fact in read:
        if not (holds := readings[number]["holds"]):
            cited = str(fact.props["date_as_cited"])
            day = dt.date.fromisoformat((cited.split("..")[0] + "-01-01")[:10])
            flow = isinstance(fact, Edge)
            # a flow or holding over a period unknown; an event or a statement, and what it is about, on its date
            assert (fact.validity if flow else fact.validity.valid_from) == (Validity() if flow else day), fact.id
            about = [] if flow else store.expand([fact.id], frozenset({EdgeKind.CONCERNS, EdgeKind.ABOUT}), frozenset())
            own = [h for h in about if h.edge.certainty.rule != "event-links"]  # the row's, not the table's
            assert all(h.edge.validity == fact.validity for h in own), fact.id
            continue
        begins = holds.split("..")[0]  # YYYY, YYYY-MM or YYYY-MM-DD: its first day
        assert fact.validity.valid_from == dt.date.fromisoformat((begins + "-01-01")[:10]), (number, fact.id)


def test_a_link_keeps_the_body_it_reaches_as_the_row_words_it(empty_store: Store) -> None:
    """The review after 2018: row 13's recipient is "police force (not named)", one force, but its link reaches the
    node for the police forces the record does not name, and the gaps and the letter wrote "Department for Education
    to Police forces (not named in the record)". The link keeps the row's own words, for an answer to print."""
    row = ROWS[13]
    assert row["to_organisation"] == "police force (not named)" and "the force" in row["notes"]
    store = imported(empty_store)
    police = "Organisation:police forces"
    node = store.get_node(police)
    assert node is not None and node.name.startswith("Police forces")  # the group's node, as before
    access = edge(store, DFE, EdgeKind.ACCESSED_BY, police)
    assert access.props["organisation_as_written"] == row["to_organisation"]
    assert access.props["value_text"] == row["figure"]
    # each link to a body the row names keeps its words: an onward share's recipient, a linked set's holder
    share = edge(store, GB_GROUP, EdgeKind.SHARES_ONWARD, GAMBLING)
    assert share.props["organisation_as_written"] == ROWS[5]["to_organisation"] == "gambling companies (not named)"
    moj = edge(
        store, f"RecordSet:{ROWS[26]['dataset_as_written']}", EdgeKind.HELD_BY, "Organisation:ministry of justice"
    )
    assert moj.props["organisation_as_written"] == ROWS[26]["to_organisation"]
    # the holder of searched records, the row's sender (row 2: DfE holds the LRS)
    assert edge(store, LRS, EdgeKind.HELD_BY, DFE).props["organisation_as_written"] == ROWS[2]["from_organisation"]
