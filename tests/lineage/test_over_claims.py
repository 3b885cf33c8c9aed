"""Answers that never say more than the record (issue 20), on both stores: exclusions reach a class of items and
beat every rule; no item is received before its data existed; words reach only the data sets their source names;
an application is never a release. Expected answers come from the bundled CSVs, read here with the csv module.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from lineage.errors import LineageError
from lineage.model import EdgeKind, NodeKind
from lineage.questions.items import recipients_of_item
from lineage.questions.pupils import pupil_reach
from lineage.questions.statements import EXCLUDING, statements_about
from lineage.resources import DATA_DIR
from lineage.store import Direction, Store


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


ITEMS = _rows("npd_data_items_2018.csv")
REGISTER = _rows("npd_register_entries_cited_in_foi.csv")
SCOPE = "npd_release_scope_statements.csv"


def _identifying_aliases() -> set[str]:
    """What the dictionary itself classes as identifying: identifiability 1 (instant), 2 (meaningful) and 3
    (reference numbers), and each date of birth (its alias says DOB), on the 2018 scale."""
    return {
        r["npd_alias"]
        for r in ITEMS
        if r["npd_alias"] != "N/A"  # the dictionary's placeholder for an item without an alias
        and (r["identifiability"] in ("1", "2", "3") or ("DOB" in r["npd_alias"].upper() and r["identifiability"]))
    }


def _first_year(years_populated: str) -> int | None:
    head = years_populated.strip()[:4]
    return int(head) if head.isdigit() else None


def test_the_key_identifiers_phrase_reaches_every_identifying_item_of_the_newsnight_release(real_store: Store) -> None:
    (release,) = [n for n in real_store.all_nodes(NodeKind.RELEASE) if n.key.endswith("2014-08-21/bbc-newsnight")]
    stated = [s for s in statements_about(real_store, [release])[release.id] if s.kind in EXCLUDING]
    reached = {str(item.props.get("alias") or item.key.rsplit("/", 1)[-1]) for s in stated for item in s.items}
    day = release.props["date"]
    assert isinstance(day, dt.date)
    expected = {
        r["npd_alias"]
        for r in ITEMS
        if r["npd_alias"] in _identifying_aliases()
        and (first := _first_year(r["years_populated"])) is not None
        and dt.date(first + 1, 9, 1) <= day  # in the NPD by the release's date
    }
    assert len(expected) > 60 and expected <= reached, sorted(expected - reached)


def test_no_excluded_item_is_received_by_any_rule(real_store: Store) -> None:
    """For every not-released or requested-then-excluded statement about a release, no item it reaches is a
    receipt of that release's recipient by any rule; each is under notReceived instead."""
    releases = real_store.all_nodes(NodeKind.RELEASE)
    excluded = [
        (stated.about.node, item)
        for stated_list in statements_about(real_store, releases).values()
        for stated in stated_list
        if stated.kind in EXCLUDING
        for item in stated.items
    ]
    assert {release.key for release, _ in excluded} >= {
        "npd-third-party-requests-pre-dsap/2014-08-21/bbc-newsnight",
        "npd-third-party-requests-pre-dsap/2013-02-20/daily-telegraph",
    }
    # every item of tier 1 or 2 (what the tier rule reaches) an exclusion reaches, by its alias (an item the
    # dictionary names by a field reference alone has none to ask by)
    tiered = [item for _, item in excluded if item.props.get("old_tier") in (1, 2) and item.props.get("alias")]
    aliases = sorted({str(item.props["alias"]) for item in tiered})
    assert "Y7_SURNAME" in aliases and "KS4_DOB" in aliases
    for alias in aliases:
        answer = recipients_of_item(real_store, alias)
        receipts = {(r.release.id, r.item.id) for r in answer.receipts if r.certainty.level.value != "confirmed"}
        leaked = [(release.id, item.id) for release, item in excluded if (release.id, item.id) in receipts]
        assert not leaked, leaked
        if alias == "Y7_SURNAME":
            names = {n.organisation.name for n in answer.not_received if n.organisation}
            assert {"British Broadcasting Corporation", "Daily Telegraph"} <= names


def test_no_rule_reaches_an_item_before_its_first_year_was_in_the_npd(real_store: Store) -> None:
    """School Guide, 16 December 2014: a KS4 item first populated in 2014/15 was not yet in the NPD."""
    first = {r["npd_alias"]: _first_year(r["years_populated"]) for r in ITEMS if r["dataset_title"] == "Key Stage 4"}
    late = sorted(alias for alias, year in first.items() if year == 2014)
    assert late
    releases = [n for n in real_store.all_nodes(NodeKind.RELEASE) if isinstance(n.props.get("date"), dt.date)]
    reached = real_store.expand([r.id for r in releases], frozenset({EdgeKind.INCLUDES}), frozenset())
    dated = {r.id: r.props["date"] for r in releases}
    for hop in reached:
        first_year = hop.node.props.get("first_year")
        if isinstance(first_year, int):
            assert _in_npd_by(hop.node.id, first_year) <= dated[hop.near], (hop.near, hop.node.id)
    answer = recipients_of_item(real_store, late[0])
    assert "School Guide UK Limited" not in {
        r.organisation.name for r in answer.receipts if r.release.props.get("date") == dt.date(2014, 12, 16)
    }


def test_aqa_and_the_institute_of_education_receive_names_of_key_stage_2_only(real_store: Store) -> None:
    for alias, expected in (("KS2_SURNAME", True), ("KS4_SURNAME", False), ("FSP_SURNAME", False)):
        names = {r.organisation.name for r in recipients_of_item(real_store, alias).receipts}
        assert ({"AQA", "Institute of Education (IoE)"} <= names) is expected, (alias, names)
        assert not names & {"AQA", "Institute of Education (IoE)"} or expected


def test_applications_without_an_outcome_are_never_releases(real_store: Store) -> None:
    applied = {r["reference"] for r in REGISTER if r["status_as_cited"].startswith(("submitted", "application"))}
    assert {"DS00804", "DS00638", "DR161003.02"} <= applied
    releases = {n.props.get("reference") for n in real_store.all_nodes(NodeKind.RELEASE)}
    assert not applied & releases
    reach = pupil_reach(real_store, 131768, 2012, 2016)
    listed = {r.release.props.get("reference") for r in (*reach.reaches, *reach.unpublished_scope)}
    assert not applied & listed


def test_a_release_before_the_years_were_in_the_npd_is_not_listed_and_years_are_bounded(real_store: Store) -> None:
    """A year's data enter the NPD on the 1 September after it ends: a release of 2024/25 cannot be dated before
    1 September 2025 (it once was listed from the year's first day)."""
    reach = pupil_reach(real_store, 131768, 2024, 2025)
    dates = [r.release.props.get("date") for r in (*reach.reaches, *reach.unpublished_scope)]
    assert not [d for d in dates if isinstance(d, dt.date) and d < dt.date(2025, 9, 1)]
    for years in ((0, 1), (9999, 9999), (2016, 2012)):
        with pytest.raises(LineageError):
            pupil_reach(real_store, 131768, *years)


def _lags() -> dict[str, int]:
    """Months after the 1 September that follows an academic year before its data are in the NPD, for each data set
    the table reads (timetable_datasets.csv), from the first month the timetable names for it: within the year
    collected, that month of the year itself (the autumn census's January: 8 before); after it, the first such
    month after it ends (exclusions' July: 10). The earliest of a data set's rows; any other data set's are in by
    the 1 September after a year ends, or later."""
    timetable = {r["Dataset"]: r["Month(s) when data are released"] for r in _rows("npd_release_timetable_2018.csv")}
    lags: dict[str, int] = {}
    for row in _rows("timetable_datasets.csv"):
        after = (dt.datetime.strptime(timetable[row["timetable_name"]].split()[0], "%B").month - 9) % 12
        lag = after - 12 if row["released"] == "within the year" else after
        for dataset in row["means"].split():
            key = dataset.split(":", 1)[1]
            lags[key] = min(lag, lags.get(key, lag))
    return lags


LAGS = _lags()


def _in_npd_by(dataset: str, year: int, lag: int | None = None) -> dt.date:
    """The first day a data set's data of ``year`` (by the year it starts) can be in the NPD, by LAGS (a node id
    or a data set's key, or the name a reach gives it), or by ``lag``."""
    key = dataset.split(":", 1)[-1].split("/")[0].replace(" ", "_")
    month = (year + 1) * 12 + 8 + (LAGS.get(key, 0) if lag is None else lag)  # September is month 8, from 0
    return dt.date(month // 12, month % 12 + 1, 1)


@pytest.mark.parametrize("years", [(2010, 2016), (2012, 2016), (2013, 2013), (2016, 2016)])
def test_no_release_reaches_a_pupils_year_before_that_year_was_in_the_npd(real_store: Store, years: tuple) -> None:
    """The audit's case: the Daily Telegraph's release of 20 February 2013 was matched to 2012/13, a year whose
    data were not in the NPD until 1 September 2013 (its source says "5 years worth of data (2008-2012)"), and
    releases dated within 2013/14 were listed for a pupil's 2013/14. The school census alone is released within
    the year collected (its autumn census in January): FFT's release of July 2013 may hold 2012/13's census, the
    Telegraph's still not, as its source's years end with 2011/12 (statement_years.csv)."""
    telegraph = _rows("npd_release_scope_statements.csv")[9 - 2]
    assert telegraph["years_as_written"] == "5 years worth of data (2008-2012)"  # five years: 2007/08 to 2011/12
    (read,) = [r for r in _rows("statement_years.csv") if r["row"] == "9"]
    assert read["years_end"] == "2011"
    census = {"SC_Pupil_01-02_to_17-18_SUM", "SC_Addresses_05-06_to_17-18_SUM", "census"}
    assert {LAGS[key] for key in census} == {-8}  # the January of the year its autumn census is taken
    earliest = min(LAGS.values())
    reach = pupil_reach(real_store, 131768, *years)
    for matched in reach.reaches:
        day = matched.release.props.get("date")
        for name, _lo, hi in matched.spans:
            assert not isinstance(day, dt.date) or _in_npd_by(name, hi) <= day, (matched.release.id, name, hi)
    for listed in reach.unpublished_scope:
        day = listed.release.props.get("date")
        assert not isinstance(day, dt.date) or _in_npd_by("", years[0], earliest) <= day, listed.release.id
    dated = {"/".join(r.release.key.rsplit("/", 2)[-2:]): r for r in reach.reaches}
    if years == (2010, 2016):
        assert {hi for _name, _lo, hi in dated["2013-02-20/daily-telegraph"].spans} == {2011}
    if years == (
        2012,
        2016,
    ):  # both dated within 2012/13: the Telegraph's years end before it, FFT's may hold its census
        assert "2013-02-20/daily-telegraph" not in dated and "2013-09-26/times-newspapers" in dated
        fft = dated["2013-07-29/fischer-family-trust-education"]
        within = {key for key, lag in LAGS.items() if lag < 0}  # in the NPD before the year ends
        assert fft.spans and {name.replace(" ", "_") for name, _lo, _hi in fft.spans} <= within
    if years == (2013, 2013):
        days = [r.release.props.get("date") for r in reach.reaches]
        assert not [d for d in days if isinstance(d, dt.date) and d < _in_npd_by("", 2013, earliest)]


def test_every_question_taking_a_period_refuses_one_that_ends_before_it_starts(real_store: Store) -> None:
    from lineage.questions.flows import flows
    from lineage.questions.gaps import gaps
    from lineage.questions.timeline import timeline

    later, earlier = dt.date(2016, 1, 1), dt.date(2012, 1, 1)
    for ask in (timeline, flows, gaps):
        with pytest.raises(LineageError, match="after its end"):
            ask(real_store, later, earlier) if ask is not gaps else gaps(real_store, start=later, end=earlier)


def test_words_reach_only_the_data_sets_their_source_names(real_store: Store) -> None:
    """School Guide's 'where all pupils attending the school lived' is said of the school census (its row's data
    set words): no other data set's postcode (the Young Person's Matched data's 2000/01 home postcode) is meant.
    The Telegraph's 'SEN and FSM indicators, ethnicity and language' comes from a page naming census data for the
    KS2, KS4 and KS5 data sets: no Pupil Referral Unit census item is meant."""
    statements = {n: r for n, r in enumerate(_rows(SCOPE), start=2)}
    assert statements[48]["dataset_as_written"] == "school census"
    assert statements[8]["source_url"] == statements[9]["source_url"]
    assert "KS2, KS4 and KS5" in statements[9]["dataset_as_written"]
    (guide,) = [
        s for s in real_store.all_nodes(NodeKind.STATEMENT) if any((c.file, c.row) == (SCOPE, 48) for c in s.citations)
    ]
    (telegraph,) = [
        s for s in real_store.all_nodes(NodeKind.STATEMENT) if any((c.file, c.row) == (SCOPE, 8) for c in s.citations)
    ]
    meant = {
        statement.id: {
            h.node.id for h in real_store.expand([statement.id], frozenset({EdgeKind.REFERS_TO}), frozenset())
        }
        for statement in (guide, telegraph)
    }
    assert "DataItem:SC_Addresses_05-06_to_17-18_SUM/Postcode_[term][yy]" in meant[guide.id]
    assert not [i for i in meant[guide.id] if not i.startswith(("DataItem:SC_Pupil", "DataItem:SC_Addresses"))]
    assert "DataItem:KS5_01-02_to_17-18/KS5_ETHNIC" in meant[telegraph.id]  # KS4_ETHNIC: first 2014/15, later
    assert not [i for i in meant[telegraph.id] if i.startswith("DataItem:PRU_")]


def test_a_written_answer_reaches_no_item_first_collected_after_it_was_answered(real_store: Store) -> None:
    """The audit's case: the police's 'address and school details' (a written answer of 22 November 2016, its date
    only in the row's notes) reached AP_Postcode (first populated 2017/18) and YPMAD items of 2016/17, as if the
    answer spoke of data not yet collected."""
    statements = _rows("npd_release_scope_statements.csv")
    police = statements[40 - 2]
    assert police["organisation"] == "Police" and police["date_as_cited"] == ""
    assert "answered 22 Nov 2016" in police["notes"]
    answered = dt.date(2016, 11, 22)
    first = {r["npd_alias"]: (r["sheet"], _first_year(r["years_populated"])) for r in ITEMS}
    late = sorted(a for a, (sheet, year) in first.items() if year is not None and _in_npd_by(sheet, year) > answered)
    assert "AP_Postcode" in late
    for alias in ("AP_Postcode", *late[:5]):
        names = {r.organisation.name for r in recipients_of_item(real_store, alias).receipts}
        assert not any("olice" in name for name in names), (alias, names)
    (node,) = [
        s for s in real_store.all_nodes(NodeKind.STATEMENT) if any((c.file, c.row) == (SCOPE, 40) for c in s.citations)
    ]
    assert node.props["latest_date"] == answered and "statement_dates.csv" in str(node.props["dated_by"])
    for stated in real_store.all_nodes(NodeKind.STATEMENT):
        day = stated.props.get("latest_date")
        if not isinstance(day, dt.date):
            continue
        for hop in real_store.expand([stated.id], frozenset({EdgeKind.REFERS_TO}), frozenset()):
            year = hop.node.props.get("first_year")
            assert not isinstance(year, int) or _in_npd_by(hop.node.id, year) <= day, (stated.id, hop.node.id)


def test_a_filter_value_the_model_does_not_know_is_refused_never_answered_empty(real_store: Store) -> None:
    """The audit's case: flows for organisation type "Government department" (the type is "government department"),
    sensitivity "b" or identifiability 99, items of sensitivity "b", and the gaps about node "zzz" each answered
    nothing at all, which a reader would quote as "none"; recipientsByType refused such a value already."""
    from lineage.errors import NotFound
    from lineage.model import IDENTIFIABILITY, ORG_TYPES, SENSITIVITY
    from lineage.questions.flows import FlowFilter, flows
    from lineage.questions.gaps import gaps
    from lineage.questions.items import items_by_classification
    from lineage.questions.recipients import recipients_by_type

    scales = _rows("npd_data_item_classifications_2018.csv")
    assert tuple(int(r["code"]) for r in scales if r["scale"] == "identifiability") == IDENTIFIABILITY
    assert tuple(r["code"] for r in scales if r["scale"] == "sensitivity") == SENSITIVITY
    assert "government department" in ORG_TYPES
    for only in (
        FlowFilter(organisation_types=frozenset({"Government department"})),
        FlowFilter(sensitivity=frozenset({"b"})),
        FlowFilter(identifiability=frozenset({99})),
    ):
        with pytest.raises(LineageError, match="one of"):
            flows(real_store, only=only)
    assert flows(real_store, only=FlowFilter(organisation_types=frozenset({"government department"}))).links
    with pytest.raises(LineageError, match="no sensitivity 'b': one of A, B, C, D, E"):
        items_by_classification(real_store, sensitivity=["b"])
    assert items_by_classification(real_store, sensitivity=["B"])
    with pytest.raises(LineageError, match="no organisation type 'Government department'"):
        recipients_by_type(real_store, "Government department")
    with pytest.raises(NotFound, match="no node 'zzz'"):
        gaps(real_store, node="zzz")


def test_the_home_office_figure_an_event_repeats_is_linked_to_it_not_counted_again(real_store: Store) -> None:
    """defenddigitalme's 6,883 requested and 1,780 returned (npd_flows_2018_onward.csv, row 15) are the figures of
    npd_sharing_figures_compiled.csv, rows 13 and 14, from the same post: the timeline gives the event and both
    figures, so the event must concern those figures, or a reader counts the same matches twice."""
    from lineage.questions.timeline import timeline

    event_row = _rows("npd_flows_2018_onward.csv")[15 - 2]
    figures = _rows("npd_sharing_figures_compiled.csv")
    requested, returned = figures[13 - 2], figures[14 - 2]
    assert event_row["figure"] == f"{int(requested['value']):,} requested; {int(returned['value']):,} returned"
    assert event_row["source_url"] == requested["source_url"] == returned["source_url"]
    (event,) = [
        e
        for e in timeline(real_store).entries
        if e.node.kind is NodeKind.EVENT
        and any(c.file == "npd_flows_2018_onward.csv" and c.row == 15 for c in e.citations)
    ]
    concerned = {r.node.props.get("measure") for r in event.concerns if r.node.kind is NodeKind.AGGREGATE_FLOW}
    assert concerned == {requested["measure"], returned["measure"]}


@pytest.mark.parametrize("item", ["KS4_FSM", "KS4_ETHNIC"])
def test_who_asks_dfe_about_pupils_gives_each_published_figure_once(real_store: Store, item: str) -> None:
    """The Home Office MoU (npd_sharing_figures_compiled.csv, row 16, 'DfE <-> Home Office') flows both ways, so it
    is linked to the Home Office twice; recipientsOfItem's and departmentsAccessingItem's askedAbout gave it twice
    among the Home Office's figures, 12 for the file's 11 rows of its topic, as the item report did until 0.9.0."""
    figures = _rows("npd_sharing_figures_compiled.csv")
    home_office = [r for r in figures if r["topic"] == "home_office"]
    assert figures[16 - 2]["flow"] == "DfE <-> Home Office" and len(home_office) == 11
    asked = {a.organisation.name: a for a in recipients_of_item(real_store, item).asked_about}
    for answer in asked.values():
        ids = [f.node.id for f in answer.flows]
        assert len(ids) == len(set(ids)), (answer.organisation.name, ids)
    assert sorted(str(f.node.props.get("measure")) for f in asked["Home Office"].flows) == sorted(
        r["measure"] for r in home_office
    )


def test_the_police_figures_two_sources_disagree_on_are_contested_both_ways(real_store: Store) -> None:
    """DfE's FOI answer (npd_sharing_figures_compiled.csv, row 6) counts 31 police requests, 'only 21' supplying
    information; HCWS272 corrected DfE's counts to 33 requests (row 3), 16 sharing data (row 4). A reader of
    either alone quoted it as settled: conflicts.csv says the 21 and the 16 disagree, so both figures say so and
    the gap names both; the 33, which a shorter period could square with the 31, is not contested, and the FOI
    answer's text says that what is contested is its 21, not its 31 (the reading of answers' case)."""
    from lineage.questions.gaps import CONTESTED, gaps
    from lineage.questions.timeline import figure_text

    figures = _rows("npd_sharing_figures_compiled.csv")
    foi, shared, requests = figures[6 - 2], figures[4 - 2], figures[3 - 2]
    assert (foi["value"], shared["value"]) == ("31", "16") and "only 21" in foi["notes"]
    assert "FOI answer" in foi["source"] and "HCWS272" in shared["source"]
    (conflict,) = [
        (n, c) for n, c in enumerate(_rows("conflicts.csv"), start=2) if c["file"] == "npd_sharing_figures_compiled.csv"
    ]
    row, table = conflict
    assert (table["row"], table["contradicted_by_row"]) == ("6", "4")
    nodes = {n.props.get("measure"): n for n in real_store.all_nodes(NodeKind.AGGREGATE_FLOW)}
    # what the FOI answer says that is contested is its 21 (in its notes), not its 31: the text says which
    assert "21" in table["row_part"] and "not its 31" in table["row_part"]
    for figure, disagrees in ((foi, f"disagrees with {table['row_part']}"), (shared, "disagrees")):
        node = nodes[figure["measure"]]
        assert node.props.get("contested") is True
        noted = f" (the compiler's note: {figure['notes']})" if figure["notes"] else ""
        assert figure_text(node).endswith(
            f"{figure['value']} {figure['unit']} (contested: another cited source {disagrees}){noted}"
        )
    assert "contested" not in nodes[requests["measure"]].props
    (edge,) = real_store.get_edges(
        [(nodes[foi["measure"]].id, EdgeKind.CONTRADICTS, nodes[shared["measure"]].id)]
    ).values()
    assert edge.certainty.rule == "contradicts:conflicts-table"
    assert ("conflicts.csv", row) in {(c.file, c.row) for c in edge.citations}
    found = {g.subject.id: g for g in gaps(real_store, kinds=[CONTESTED])}
    gap = found[nodes[foi["measure"]].id]
    assert any(f"{shared['value']} {shared['unit']}" in said for said in gap.known)
    assert [o.name for o in gap.organisations] == ["Police forces (not named in the record)"]
    assert "figure" in gap.missing[0] and nodes[shared["measure"]].id in found


def test_an_alias_the_dictionary_gives_no_year_is_in_the_npd_no_earlier_than_its_data_set(real_store: Store) -> None:
    """The reading of answers' case: YPMAD_FSMEligibilityage15, an alias only the 2019 concepts file lists, in the
    YPMAD 16-17 table (the dictionary's rows for that sheet say 2016/17), was received by the Daily Telegraph in
    February 2013 through its words 'Free School Meals indicator', and YPMAD_l_post_latest by the police through
    a written answer of 22 November 2016. Its data set's first year now bounds it, and the whole graph holds so."""
    sheet_years = {_first_year(r["years_populated"]) for r in ITEMS if r["sheet"] == "YPMAD 16-17"}
    assert sheet_years == {2016}
    in_npd = dt.date(2016 + 1, 9, 1)
    for alias in ("YPMAD_FSMEligibilityage15", "YPMAD_l_post_latest"):
        answer = recipients_of_item(real_store, alias)
        (item,) = answer.items
        assert "first_year" not in item.props and item.props["in_dictionary"] is False
        early = [r.release.id for r in answer.receipts if (r.release.props.get("date") or in_npd) < in_npd]
        early += [u.release.id for u in answer.unpublished_scope if (u.date or in_npd) < in_npd]
        assert early == [], (alias, early)
        assert not any("olice" in r.organisation.name for r in answer.receipts)
    # every link a rule draws from a dated release or statement to an item its data set places later
    datasets = real_store.all_nodes(NodeKind.DATASET)
    holds = real_store.expand([d.id for d in datasets], frozenset({EdgeKind.HOLDS}), frozenset())
    first_of = {d.id: d.props.get("first_year") for d in datasets}
    table_year = {h.node.id: first_of[h.near] for h in holds if isinstance(first_of[h.near], int)}
    dated = {
        n.id: day
        for kind, prop in ((NodeKind.RELEASE, "date"), (NodeKind.STATEMENT, "latest_date"))
        for n in real_store.all_nodes(kind)
        if isinstance(day := n.props.get(prop), dt.date)
    }
    links = real_store.expand(list(dated), frozenset({EdgeKind.INCLUDES, EdgeKind.REFERS_TO}), frozenset())
    for hop in links:
        year = hop.node.props.get("first_year", table_year.get(hop.node.id))
        assert not isinstance(year, int) or _in_npd_by(hop.node.id, year) <= dated[hop.near], (hop.near, hop.node.id)


def test_locratings_where_they_live_reaches_the_school_censuss_addresses_alone(real_store: Store) -> None:
    """The reading of answers' case: Locrating's own description of the NPD it used ('including where they live',
    row 42) reached 49 address items of every data set, children-in-need postcodes and the YPMAD postcode history
    among them, though its next rows name the national school census (row 45). The words now reach the school
    census's addresses alone (scope_words.csv): its postcodes and, since the second reading of 20 facts, its own
    address lines, which the rows limited to its data sets had missed."""
    statements = _rows("npd_release_scope_statements.csv")
    described, census = statements[42 - 2], statements[45 - 2]
    assert described["organisation"] == census["organisation"] == "Locrating Ltd"
    assert (
        described["data_item_as_written"] == "where they live"
        and census["dataset_as_written"] == "national school census"
    )
    census_sets = next(
        r["means"].split() for r in _rows("scope_datasets.csv") if r["dataset_as_written"] == "national school census"
    )
    words = [r for r in _rows("scope_words.csv") if r["words"] == "where they live"]
    limited = [r for r in words if r["within"]]
    assert limited and all(sorted(r["within"].split()) == sorted(census_sets) for r in limited)
    # the rows naming no data set name the census's own address lines (the concepts file, rows 356-360), aliases
    # no rule places in one of its tables, which the limited rows therefore reached none of
    lines = {r["npd_alias"] for r in _rows("npd_concept_categories_2019.csv") if r["concept"] == "Address lines 1 to 5"}
    census_lines = {alias for alias in lines if alias.endswith("_[term][yy]")}
    assert len(census_lines) == 5
    assert {r["means"].removeprefix("DataItem:unplaced/") for r in words if not r["within"]} == census_lines
    (statement,) = [
        n
        for n in real_store.all_nodes(NodeKind.STATEMENT)
        if any((c.file, c.row) == ("npd_release_scope_statements.csv", 42) for c in n.citations)
    ]
    reached = real_store.expand([statement.id], frozenset({EdgeKind.REFERS_TO}), frozenset())
    placed = {h.node.key.split("/")[0] for h in reached if h.node.key.split("/")[0] != "unplaced"}
    assert placed and placed <= {s.split(":", 1)[1] for s in census_sets}
    assert {h.node.name for h in reached if h.node.key.startswith("unplaced/")} == census_lines
    names = {r.organisation.name for r in recipients_of_item(real_store, "CIN_PostCode").receipts}
    assert "Locrating Ltd" not in names


def test_the_timeline_places_a_figure_whose_period_carries_a_note(real_store: Store) -> None:
    """The reading of answers' case: DfE's refusals per year (written answer 57722, '2012..2016 (to 15 Dec)') and
    the FOI answer's police counts ('2012-04..(2016)') were undated to the timeline, which left them out and gave one
    side of the contested police figures alone."""
    from lineage.questions.timeline import timeline

    figures = _rows("npd_sharing_figures_compiled.csv")
    noted = [r for r in figures if r["period"] in ("2012..2016 (to 15 Dec)", "2012-04..(2016)")]
    assert len(noted) == 3
    entries = timeline(real_store, dt.date(2012, 1, 1), dt.date(2024, 12, 31)).entries
    placed = {(e.node.props.get("period"), e.node.props.get("measure")) for e in entries}
    assert {(r["period"], r["measure"]) for r in noted} <= placed
    after = timeline(real_store, dt.date(2016, 12, 16), dt.date(2016, 12, 31), kinds=["figure"]).entries
    assert "2012..2016 (to 15 Dec)" not in {e.node.props.get("period") for e in after}  # its note ends it on the 15th
    # an academic year ("2016/17": 6.6 million pupils) is placed from 1 September to 31 August; it had been undated
    (year,) = [r for r in figures if r["period"] == "2016/17"]
    for day, placed_then in ((dt.date(2016, 9, 1), True), (dt.date(2017, 8, 31), True), (dt.date(2017, 9, 1), False)):
        then = timeline(real_store, day, day, kinds=["figure"]).entries
        assert (year["measure"] in {e.node.props.get("measure") for e in then}) is placed_then, day


def test_a_request_dated_only_as_last_year_by_a_report_reaches_no_item_collected_after_the_report(
    real_store: Store,
) -> None:
    """The reading of 20 facts' case: the Ministry of Defence's rejected request, 'last year (as reported June
    2015)', names no date of its own, so its words were never checked against time: its 'home address' reached the
    YPMAD 16-17 postcodes and KS4_PPCODE (2014/15), and 'ethnicity' KS4_ETHNIC (2014/15). statement_dates.csv now
    bounds it by the report's month."""
    statements = _rows("npd_release_scope_statements.csv")
    rows = [n for n, r in enumerate(statements, start=2) if r["date_as_cited"] == "last year (as reported June 2015)"]
    dates = {
        int(r["row"]): r["date"]
        for r in _rows("statement_dates.csv")
        if r["file"] == "npd_release_scope_statements.csv"
    }
    assert rows and all(dates.get(n) == "2015-06-30" for n in rows)
    first = {r["npd_alias"]: _first_year(r["years_populated"]) for r in ITEMS}
    late = ["KS4_PPCODE", "KS4_ETHNIC", "AP_Postcode"]
    assert all((first[a] or 0) >= 2014 for a in late)  # in the NPD from 1 September 2015 at the earliest
    for alias in (*late, "YPMAD_l_post_0708"):
        names = {r.organisation.name for r in recipients_of_item(real_store, alias).receipts}
        refused = {n.organisation.name for n in recipients_of_item(real_store, alias).not_received}
        assert not any("Defence" in name for name in names | refused), (alias, names, refused)


def test_dfes_answer_that_no_highly_sensitive_item_went_to_the_telegraph_outranks_the_tier_rule(
    real_store: Store,
) -> None:
    """The Telegraph's 2013 release was approved for 'tier 1 or tier 2 data', so the tier rule reached the
    children-in-need and looked-after items of those tiers. DfE's written answer says the request 'did not contain
    any data items that are sensitive' ('highly sensitive' in another copy), a sentence only row 10's notes quote:
    either copy excludes what the dictionary calls highly sensitive (sensitivity B). BBC Newsnight's answer says
    its request held looked-after indicators, so its items stay."""
    notes = _rows("npd_release_scope_statements.csv")[10 - 2]["notes"]
    assert "did not contain any data items that are sensitive" in notes and "highly sensitive" in notes
    (highly,) = [
        r["code"] for r in _rows("npd_data_item_classifications_2018.csv") if "Highly sensitive" in r["definition"]
    ]
    (release,) = [n for n in real_store.all_nodes(NodeKind.RELEASE) if n.key.endswith("2013-02-20/daily-telegraph")]
    day = release.props["date"]
    assert isinstance(day, dt.date)
    tiered = {
        r["npd_alias"]
        for r in ITEMS
        if r["sensitivity"] == highly
        and r["old_tier"] in ("1", "2")
        and r["npd_alias"] != "N/A"
        and (first := _first_year(r["years_populated"])) is not None
        and dt.date(first + 1, 9, 1) <= day
    }
    assert len(tiered) > 20
    for alias in tiered:
        answer = recipients_of_item(real_store, alias)
        # by its release (the tier rule), or by a campaigner's account reaching it (KS4_FSM_CLA): both give way
        received = {r.organisation.name for r in answer.receipts}
        assert "Daily Telegraph" not in received, alias
        assert "Daily Telegraph" in {n.organisation.name for n in answer.not_received}, alias
    assert "British Broadcasting Corporation" in {
        r.organisation.name for r in recipients_of_item(real_store, "KS4_CLA_6_MONTHS").receipts
    }
    # the children-in-need and looked-after sheets are each 'personal level data of sensitivity level B' by the
    # dictionary's own note on the sheet: their aliases only the concepts file lists, which the campaigner's
    # 'Ethnicity' reached, are as sensitive (helper-39's reading)
    sheets = {r["dataset_title"] for r in ITEMS if "sensitivity level B" in r["tier_note"]}
    assert sheets == {"Children In Need", "Children Looked After"}
    dictionary = {r["npd_alias"] for r in ITEMS}
    concepts = {r["npd_alias"] for r in _rows("npd_concept_categories_2019.csv")}
    for alias in ("CIN_Ethnicity", "cla_ETHNIC"):
        assert alias in concepts and alias not in dictionary
        answer = recipients_of_item(real_store, alias)
        assert "Daily Telegraph" not in {r.organisation.name for r in answer.receipts}, alias
        assert "Daily Telegraph" in {n.organisation.name for n in answer.not_received if n.organisation}, alias


def test_a_conflict_with_what_a_rows_notes_quote_is_drawn_to_that_statement(real_store: Store) -> None:
    """The auditor's reading: the campaigner's 'Ethnicity' (and SEN, FSM, Language) was shown contradicted by DfE's
    'key identifiers of name, address, ...', though conflicts.csv says what contradicts them is the answer's other
    sentence, which row 10's notes quote ('did not contain any data items that are sensitive'). Each now
    contradicts the statement note_statements.csv reads from the notes; row 9's identifying items still contradict
    the row's own words."""
    statements = _rows("npd_release_scope_statements.csv")
    notes = {(r["file"], int(r["row"])): r for r in _rows("note_statements.csv")}
    conflicts = [r for r in _rows("conflicts.csv") if r["file"] == "npd_release_scope_statements.csv"]
    assert {r["contradicted_by_part"] for r in conflicts} == {"notes", ""}
    (release,) = [n for n in real_store.all_nodes(NodeKind.RELEASE) if n.key.endswith("2013-02-20/daily-telegraph")]
    said = statements_about(real_store, [release])[release.id]
    for conflict in conflicts:
        first = statements[int(conflict["row"]) - 2]
        (stated,) = [s for s in said if s.statement.props.get("quote") == first["quote"]
                     and s.statement.props.get("items_as_written") == first["data_item_as_written"]]  # fmt: skip
        second = int(conflict["contradicted_by_row"])
        if conflict["contradicted_by_part"] == "notes":
            expected = notes[("npd_release_scope_statements.csv", second)]["quote"]
        else:
            expected = statements[second - 2]["quote"]
        assert [r.node.props["quote"] for r in stated.contradicted_by] == [expected], conflict["row"]


def test_words_reaching_an_alias_cite_the_row_that_makes_it_one(real_store: Store) -> None:
    """The reading of 20 facts: a statement's words reach an item through a concept (DfE's 'ethnicity' for BBC
    Newsnight, the concept's alias cla_ETHNIC) or a class of items, but the link cited the statement and the words
    table alone, not the concepts file's row making cla_ETHNIC an alias of that concept: a reviewer could not check
    the last step. It now cites it."""
    concepts = _rows("npd_concept_categories_2019.csv")
    (at,) = [n for n, r in enumerate(concepts, start=2) if r["npd_alias"] == "cla_ETHNIC"]
    (release,) = [n for n in real_store.all_nodes(NodeKind.RELEASE) if n.key.endswith("2014-08-21/bbc-newsnight")]
    (ethnicity,) = [
        s
        for s in statements_about(real_store, [release])[release.id]
        if s.statement.props.get("items_as_written") == "ethnicity"
    ]
    (item,) = [i for i in ethnicity.items if i.props.get("alias") == "cla_ETHNIC"]
    cited = {(c.file, c.row) for c in ethnicity.link_to(item).citations}
    assert ("npd_concept_categories_2019.csv", at) in cited
    assert {"npd_release_scope_statements.csv", "scope_words.csv"} <= {file for file, _ in cited}


def test_a_release_holds_no_year_its_data_sets_timetable_had_not_yet_put_in_the_npd(real_store: Store) -> None:
    """The campaigner's reading after 2018: every year was taken to enter the NPD on the 1 September after it
    ends, but DfE's release timetable puts Key Stage 4 in October ('October (unamended)') and children in need in
    March: Times Newspapers' release of 26 September 2013 was given KS4_SENTYPE (first populated 2012/13), and the
    Cabinet Office's of 15 November 2013 the children-in-need year 2012/13, which reached the NPD in March 2014."""
    timetable = {r["Dataset"]: r["Month(s) when data are released"] for r in _rows("npd_release_timetable_2018.csv")}
    assert timetable["Key Stage 4"].startswith("October") and timetable["Children in Need"] == "March"
    dated = {
        f"{r['date_as_cited']}: {r['organisation']}": dt.date.fromisoformat(r["date_as_cited"])
        for r in REGISTER
        if r["date_as_cited"][:2] == "20"
    }
    (sentype,) = [r for r in ITEMS if r["npd_alias"] == "KS4_SENTYPE"]
    first = _first_year(sentype["years_populated"])
    assert first == 2012
    names = {r.organisation.name for r in recipients_of_item(real_store, "KS4_SENTYPE").receipts}
    assert "Times Newspapers" not in names and "Cabinet Office" in names  # 26 September against 15 November 2013
    reach = pupil_reach(real_store, 131768, 2012, 2012)
    reaches = {r.release.name: {n: (lo, hi) for n, lo, hi in r.spans} for r in reach.reaches}
    for release, spans in reaches.items():
        day = dated[release]
        cin = next((span for name, span in spans.items() if name.startswith("CIN")), None)
        ks4 = spans.get("KS4")
        # a year's data are in no earlier than the timetable's first month after the year ends
        assert cin is None or day >= dt.date(2014, 3, 1), (release, cin)
        assert ks4 is None or day >= dt.date(2013, 10, 1), (release, ks4)
    assert any(name.startswith("CIN") for spans in reaches.values() for name in spans)  # later releases still do


def test_the_written_answers_address_returned_on_a_match_is_the_school_censuss_alone(real_store: Store) -> None:
    """The campaigner's reading: DfE's 'a pupil's address' returned to the Home Office (HL17037) and the police
    (52645) reached every data set's addresses: children-in-need postcodes, alternative provision, the YPMAD
    postcode history back to 2001. The words now reach the school census's addresses (scope_words.csv), as
    Locrating's 'where they live' does."""
    statements = _rows("npd_release_scope_statements.csv")
    returned = [
        r for r in statements if r["statement"] == "returned_on_match" and "address" in r["data_item_as_written"]
    ]
    assert {r["organisation"] for r in returned} == {"Home Office", "Police"}
    census_sets = {s for r in _rows("scope_words.csv") if r["words"] == "where they live" for s in r["within"].split()}
    address_rows = [
        r
        for r in _rows("scope_words.csv")
        if r["words"].startswith("a pupil\u2019s address") and "Pupil address" in r["means"]
    ]
    assert address_rows and all(set(r["within"].split()) == census_sets for r in address_rows)
    returning = {
        n.id
        for n in real_store.all_nodes(NodeKind.STATEMENT)
        if n.props.get("statement") == "returned_on_match" and "address" in str(n.props.get("items_as_written"))
    }
    assert len(returning) == 2
    reached = real_store.expand(sorted(returning), frozenset({EdgeKind.REFERS_TO}), frozenset())
    held = {h.node.key.split("/")[0] for h in reached if h.node.key.split("/")[0] != "unplaced"}  # the school's URN
    assert held and held <= {s.split(":", 1)[1] for s in census_sets}
    # and the census's own address lines, aliases no rule places in one of its tables (the concepts file, rows
    # 356-360): the row limited to the census's data sets had reached none of them (the second reading of 20 facts)
    lines = {r["npd_alias"] for r in _rows("npd_concept_categories_2019.csv") if r["concept"] == "Address lines 1 to 5"}
    census_lines = {alias for alias in lines if alias.endswith("_[term][yy]")}
    assert len(census_lines) == 5
    for statement in sorted(returning):
        reached_lines = real_store.expand([statement], frozenset({EdgeKind.REFERS_TO}), frozenset())
        assert census_lines <= {h.node.name for h in reached_lines}, statement
    for alias in ("CIN_PostCode", "AP_Postcode", "YPMAD_l_post_0102"):
        answer = recipients_of_item(real_store, alias)
        assert not {"Home Office", "Police forces (not named in the record)"} & {
            r.organisation.name for r in answer.receipts
        }, alias


def test_words_naming_a_category_reach_the_items_of_every_concept_beneath_it(real_store: Store) -> None:
    """The campaigner's reading: the Army's refused request for 'absence and exclusion data' (the press report,
    via the MoD) reached nothing, because the words mean the NPD's categories Absence and Exclusions, which no item
    represents; every absence and exclusion item lost the refusal. A category now means every concept beneath it."""
    statements = _rows("npd_release_scope_statements.csv")
    (asked,) = [r for r in statements if r["data_item_as_written"] == "absence and exclusion data"]
    assert asked["statement"] == "requested_application_rejected"
    categories = _rows("npd_concept_categories_2019.csv")
    excluded = {
        r["npd_alias"]
        for r in categories
        if r["category_l0"] == "Absence and exclusion" and r["category_l1"] == "Exclusions"
    }
    assert "PermanentExclusionInd_ex[yy]" in excluded
    answer = recipients_of_item(real_store, "PermanentExclusionInd_ex[yy]")
    assert "Ministry of Defence" in {r.organisation.name for r in answer.not_received if r.organisation}


def test_the_timetable_s_names_reach_the_data_sets_their_titles_do_not_give(real_store: Store) -> None:
    """The parents' reading: the timetable's 'Absence' (October), 'National Client Caseload Information' (March)
    and 'Post-16 Learning Aims (PLAMS)' (February) found no data set titled so, and their pupil-level data sets
    were taken to be in the NPD on the 1 September after a year ended: Times Newspapers' release of 26 September
    2013 was said to hold 2012/13 of Pupil Absence, NCCIS and PLAMS. data/timetable_datasets.csv now names them."""
    timetable = {r["Dataset"]: r["Month(s) when data are released"] for r in _rows("npd_release_timetable_2018.csv")}
    named = {r["timetable_name"]: r["means"].split() for r in _rows("timetable_datasets.csv")}
    first_month = {"Absence": "October", "National Client Caseload Information": "March"}
    first_month["Post-16 Learning Aims (PLAMS)"] = "February"
    for name, month in first_month.items():
        assert timetable[name].startswith(month) and named[name]
    reach = pupil_reach(real_store, 131768, 2012, 2012)
    spans = {r.release.name: {n for n, _, _ in r.spans} for r in reach.reaches}
    held = {dataset.split(":", 1)[1].split("_")[0] for name in first_month for dataset in named[name]}
    assert held == {"Absence", "NCCIS", "PLAMS"}
    # 26 September 2013: none of the three; 15 November 2013: absence's two terms (October), not NCCIS (March)
    assert not {n.split(" ")[0] for n in spans["2013-09-26: Times Newspapers"]} & held
    assert {n.split(" ")[0] for n in spans["2013-11-15: Cabinet Office"]} & held == {"Absence"}


def test_locratings_year_group_and_school_are_the_school_censuss_not_the_attainment_tables(real_store: Store) -> None:
    """The reading of 20 inferred facts: Locrating's own words 'break that down by year group' reached the concept
    'Year group', whose aliases are the attainment tables' (KS2_YEARGRP ...), so KS2_YEARGRP listed Locrating as
    a receipt; 'what school they go to' reached every table's URN. Its next rows name the national school census:
    the words now mean the census's own aliases."""
    statements = _rows("npd_release_scope_statements.csv")
    school, year, census = statements[43 - 2], statements[44 - 2], statements[45 - 2]
    assert (school["data_item_as_written"], year["data_item_as_written"]) == ("what school they go to", "year group")
    assert census["organisation"] == "Locrating Ltd" and census["dataset_as_written"] == "national school census"
    meant = {
        r["words"]: r["means"]
        for r in _rows("scope_words.csv")
        if r["words"] in ("year group", "what school they go to")
    }
    assert meant == {
        "year group": "DataItem:unplaced/NCyearActual_[term][yy]",
        "what school they go to": "DataItem:unplaced/URN_[term][yy]",
    }
    by_words = {}
    for node in real_store.all_nodes(NodeKind.STATEMENT):
        if node.props.get("items_as_written") in meant and "Locrating" in node.name:
            hops = real_store.expand([node.id], frozenset({EdgeKind.REFERS_TO}), frozenset())
            by_words[node.props["items_as_written"]] = {h.node.id for h in hops}
    assert by_words == {words: {target} for words, target in meant.items()}
    for alias in ("KS2_YEARGRP", "KS4_URN"):
        assert "Locrating Ltd" not in {r.organisation.name for r in recipients_of_item(real_store, alias).receipts}


def test_a_statement_quoted_from_one_copy_of_its_source_says_what_another_copy_reads(real_store: Store) -> None:
    """The gaps reader's case: DfE's 'did not contain any data items that are sensitive' on the Telegraph's 2013
    request is the copy the row cites (streetguide.co.uk); the row's notes say TheyWorkForYou's copy reads 'highly
    sensitive', on which the contradiction turns (conflicts.csv). The letter, the gaps and the draft to DfE quoted
    the one copy as the answer's words."""
    from lineage.letter import write
    from lineage.questions.gaps import CONTESTED, gaps
    from lineage.questions.records import record_reach

    row = _rows("npd_release_scope_statements.csv")[10 - 2]
    assert "TheyWorkForYou text says 'highly sensitive'" in row["notes"]
    (note,) = [
        r
        for r in _rows("note_statements.csv")
        if (r["file"], r["row"]) == (row_file := "npd_release_scope_statements.csv", "10")
    ]
    quoted = f"\u201c{note['quote']}\u201d (another copy of its source reads \u201chighly sensitive\u201d)"
    school = next(iter(real_store.all_nodes(NodeKind.SCHOOL)))
    letter = write(record_reach(real_store, int(school.key), 2008, 2012)).text
    assert quoted in letter
    assert letter.count(f"\u201c{note['quote']}\u201d") == letter.count(quoted)  # never the one copy alone
    contested = [g for g in gaps(real_store, kinds=[CONTESTED]) if g.subject.props.get("quote") == note["quote"]]
    assert contested and all(any(quoted in said for said in g.known) for g in contested), row_file


def test_a_contested_statements_gap_concerns_the_releases_recipient_and_gives_the_other_side(
    real_store: Store,
) -> None:
    """The gaps reader's case: the eight gaps of the Telegraph's contested statements concerned no organisation, so
    asking for the Telegraph's gaps found one, and each gave its own side alone. The pairs are conflicts.csv's."""
    from lineage.questions.gaps import CONTESTED, gaps

    pairs = [
        (int(r["row"]), int(r["contradicted_by_row"]))
        for r in _rows("conflicts.csv")
        if r["file"] == "npd_release_scope_statements.csv"
    ]
    statements = _rows("npd_release_scope_statements.csv")
    telegraph = {n for pair in pairs for n in pair if "Telegraph" in statements[n - 2]["organisation"]}
    assert len(telegraph) >= 7
    found = gaps(real_store, kinds=[CONTESTED], organisation="Daily Telegraph")
    rows = {c.row for g in found for c in g.subject.citations if c.file == "npd_release_scope_statements.csv"}
    assert telegraph <= rows
    for gap in found:
        others = [said for said in gap.known if said.startswith("another cited source disagrees: ")]
        assert others, gap.id
        assert all(any(s in said for s in ("says: released", "says: not released")) for said in others), gap.id


def test_a_statement_says_the_years_its_source_gives_where_its_quote_does_not(real_store: Store) -> None:
    """The gaps reader's case: the requester's account of the Telegraph's release gives its years ('5 years worth of
    data (2008-2012)', row 9, from the same page), which no answer said, and the draft to DfE asked for them."""
    from lineage.letter import write
    from lineage.questions.gaps import gaps
    from lineage.questions.records import record_reach

    row = _rows("npd_release_scope_statements.csv")[9 - 2]
    years = row["years_as_written"]
    assert years == "5 years worth of data (2008-2012)" and years not in row["quote"]
    said = f"\u201c{row['quote']}\u201d (years, as the source gives them: {years})"
    school = next(iter(real_store.all_nodes(NodeKind.SCHOOL)))
    assert said in write(record_reach(real_store, int(school.key), 2008, 2012)).text
    telegraph = gaps(real_store, organisation="Daily Telegraph")
    assert any(said in known for gap in telegraph for known in gap.known)


def test_the_gaps_of_a_body_hold_the_applications_made_for_it(real_store: Store) -> None:
    """The gaps reader's case: the Home Office's gaps left out DS00763, the LSE's application 'commissioned by Home
    Office and Youth Endowment Fund' (the register entries cited in FOI, row 35), with no outcome stated."""
    from lineage.questions.gaps import OUTCOME_NOT_STATED, gaps

    (entry,) = [r for r in REGISTER if r["reference"] == "DS00763"]
    assert "commissioned by Home Office and Youth Endowment Fund" in entry["organisation"]
    for body in ("Home Office", "Youth Endowment Fund"):
        found = gaps(real_store, kinds=[OUTCOME_NOT_STATED], organisation=body)
        assert "outcome-not-stated:Application:DS00763" in {g.id for g in found}, body


def test_a_body_is_found_by_the_abbreviation_its_source_gives(real_store: Store) -> None:
    """The reading after 2018: the gov.uk page names LEO's partners with their abbreviations ('Joint Information
    Systems Committee (Jisc)', flows row 27); the aliases table named the body without it, so 'Jisc' found nothing."""
    row = _rows("npd_flows_2018_onward.csv")[27 - 2]
    assert "Joint Information Systems Committee (Jisc)" in row["to_organisation"]
    found = real_store.search("Jisc", [NodeKind.ORGANISATION], limit=5).items
    assert [n.id for n in found] == ["Organisation:joint information systems committee"]


def test_a_release_stays_within_the_years_its_source_gives_and_the_census_sheets_are_alike(real_store: Store) -> None:
    """The fourth reading of 20 facts: the Telegraph's source gives its years ('2008-2012', read as 2007/08 to
    2011/12: statement_years.csv), yet it was listed for a child's 2006/07; and the dictionary's second sheet of
    the pupil-level school census (its rows 1643-1652, titled as SC_Pupil's) was left out of the census's timetable
    rows, so BBC Newsnight's release of August 2014, which DfE says held ethnicity, was not listed for 2013/14."""
    (read,) = _rows("statement_years.csv")
    assert (read["row"], read["years_begin"], read["years_end"]) == ("9", "2007", "2011")
    sheets = {r["sheet"] for r in ITEMS if r["dataset_title"].startswith("School Census Pupil Level")}
    assert sheets == {"SC_Pupil_01-02_to_17-18_SUM", "census"}
    assert {LAGS[sheet] for sheet in sheets} == {-8}

    def listed(year: int) -> set[str]:
        return {r.release.name for r in pupil_reach(real_store, 131768, year, year).reaches}

    assert "2013-02-20: Daily Telegraph" not in listed(2006) and "2013-02-20: Daily Telegraph" in listed(2007)
    assert "2014-08-21: BBC Newsnight" in listed(2013)


def test_a_walk_following_the_data_goes_through_a_body_only_where_it_shared_onward(real_store: Store) -> None:
    """The LRS is held by DfE and was searched by Trustopia, which passed a service built on it to GB Group,
    and GB Group to gambling companies (flows rows 2, 4 and 5). Downstream of the LRS the lineage walk also gave,
    through DfE, the police (row 13: access to DfE's data, the record not saying which), LEO and PPMD (derived
    from DfE's records: rows 27 and 29) and LEO's partners; and upstream of LEO, through DfE and DWP, the LRS,
    the NPD, DWP's applications and a 2016 release to DWP, which no source links to LEO."""
    flows = _rows("npd_flows_2018_onward.csv")
    assert [flows[row - 2]["kind"] for row in (2, 4, 5, 13)] == ["access_granted", "onward_share", "onward_share",
                                                                 "access_granted"]  # fmt: skip
    lrs = "RecordSet:Learning Records Service (LRS)"
    downstream = real_store.traverse(lrs, Direction.DOWNSTREAM, max_depth=5, limit=1000)
    assert {r.node.id for r in downstream.reached.items} == {
        "Organisation:department for education",
        "Organisation:trust systems software uk",
        "Organisation:gb group",
        "Organisation:gambling companies",
    }
    assert real_store.paths(lrs, "Organisation:police forces", max_depth=5).paths.total == 0
    leo = "RecordSet:Longitudinal Education Outcomes (LEO)"
    upstream = real_store.traverse(leo, Direction.UPSTREAM, max_depth=5, limit=1000)
    assert {r.node.id for r in upstream.reached.items} == {"Organisation:department for education", "Organisation:dwp"}


def test_exclusions_are_in_the_npd_the_july_after_the_year_and_the_january_censuses_within_it(
    real_store: Store,
) -> None:
    """The timetable read again, row by row (npd_release_timetable_2018.csv). Exclusions' "July" was read as the 1
    September after a year: the data sets are "collected in the termly School Census" a census after an exclusion
    began (overview rows 19-20; items rows 1451, 1454), and DfE's tables of October 2018 hold them to 2016/17 only
    (overview row 20), so it is the July after the year, and Times Newspapers' release of 26 September 2013
    (register row 5) was said to match 2012/13's exclusions, in the NPD from July 2014. The early years and
    alternative provision censuses' June, in the year each census is of (their tables hold 2017/18 by October 2018:
    overview rows 5-7), was read as after it, so FFT's release of 29 July 2013 (register row 4) never held
    AP_APPUPILSTABLEID, populated from 2012/13 (items row 1262)."""
    timed = {r["Dataset"]: r["Month(s) when data are released"] for r in _rows("npd_release_timetable_2018.csv")}
    assert (timed["Exclusions"], timed["Early Years Census"], timed["Alternative Provision"]) == (
        "July",
        "June",
        "June",
    )
    assert timed["Key Stage 2"] == "August (unamended), December (amended), February (final)"
    overview = _rows("npd_datasets_overview_2018.csv")
    assert [overview[row - 2]["tab_name"] for row in (5, 6, 7, 20)] == [
        "Early Years Census 07-08 to 17-18", "Alt Provision 07-08 to 17-18", "AP Addresses 17-18",
        "Exclusions 05-06 to 16-17",
    ]  # fmt: skip
    lags = {
        dataset: real_store.get_node(f"Dataset:{dataset}").props.get("release_lag_months")  # type: ignore[union-attr]
        for dataset in ("Exclusions_05-06_to_16-17", "Early_Years_Census_07-08_to_17-18",
                        "Alt_Provision_07-08_to_17-18", "AP_Addresses_17-18", "KS2_95-96_to_17-18")
    }  # fmt: skip
    # months after the 1 September that follows a year: July of the next year 10; June of the year itself 3 before
    # it; August of the year (before the December and February the row names after it) 1 before
    assert lags == {
        "Exclusions_05-06_to_16-17": 10, "Early_Years_Census_07-08_to_17-18": -3, "Alt_Provision_07-08_to_17-18": -3,
        "AP_Addresses_17-18": -3, "KS2_95-96_to_17-18": -1,
    }  # fmt: skip
    assert [(REGISTER[row - 2]["date_as_cited"], REGISTER[row - 2]["organisation"]) for row in (4, 5)] == [
        ("2013-07-29", "Fischer Family Trust Education Limited (FFT)"), ("2013-09-26", "Times Newspapers"),
    ]  # fmt: skip
    reaches = {r.release.name: r for r in pupil_reach(real_store, 131768, 2012, 2012).reaches}
    assert not [m for m in reaches["2013-09-26: Times Newspapers"].matched if m.startswith("Exclusions")]
    fft = reaches["2013-07-29: Fischer Family Trust Education Limited (FFT)"]
    assert "Alt Provision 07-08 to 17-18: 2012/13" in fft.matched  # one year, as itself
    assert next(r for r in ITEMS if r["npd_alias"] == "AP_APPUPILSTABLEID")["years_populated"] == "2012/2013 -"
    names = {r.release.name for r in recipients_of_item(real_store, "AP_APPUPILSTABLEID").receipts}
    assert "2013-07-29: Fischer Family Trust Education Limited (FFT)" in names


def test_a_release_holds_no_item_outside_the_years_and_data_sets_its_source_gives(real_store: Store) -> None:
    """The fifth reading of answers: the Telegraph's source gives its data as "census data for KS2, KS4 and KS5
    datasets", "5 years worth of data (2008-2012)" (statements row 9; statement_years.csv: 2007/08 to 2011/12),
    which bounded a pupil's years alone; the tier rule's items populated only before then (KS4_REFUGEE, 2001/02 to
    2004/05, items row 15; Y7_AGE_START, 2000/01 to 2006/07, row 1330) or held in other data sets (the early years
    foundation stage profile's, children in need's) were still listed as its items, the Telegraph among
    KS4_REFUGEE's recipients, and a campaigner's "Ethnicity" for it reached the alternative provision census's."""
    from lineage.claims import claims
    from lineage.questions.releases import release_walk

    (read,) = _rows("statement_years.csv")
    assert (read["years_begin"], read["years_end"]) == ("2007", "2011")
    populated = {
        r["npd_alias"]: r["years_populated"] for r in ITEMS if r["npd_alias"] in ("KS4_REFUGEE", "Y7_AGE_START")
    }
    assert populated == {"KS4_REFUGEE": "2001/02 - 2004/05", "Y7_AGE_START": "2000/01 - 2006/07"}
    telegraph = "Release:npd-third-party-requests-pre-dsap/2013-02-20/daily-telegraph"
    (trace,) = [t for t in release_walk(real_store).traces if t.release.id == telegraph]
    ended = [
        r.node.name for r in trace.includes if isinstance(last := r.node.props.get("last_year"), int) and last < 2007
    ]
    assert trace.includes and ended == []
    named = {"KS2_95-96_to_17-18", "KS4", "KS4_01-02_to_17-18", "KS5_01-02_to_17-18", "SC_Pupil_01-02_to_17-18_SUM"}
    assert _rows("npd_release_scope_statements.csv")[9 - 2]["dataset_as_written"] == (
        "census data for KS2, KS4 and KS5 datasets"
    )
    assert {r.node.key.split("/")[0] for r in trace.includes} <= named | {"census"}  # the census's second sheet
    (ethnicity,) = [s for s in trace.statements if s.statement.props.get("items_as_written") == "Ethnicity"]

    # an item no dictionary sheet places (keyed unplaced/) is bounded by the data sets its rule reads, one of which
    # may hold it (AP_Ethnicity: the alternative provision census's two); with none, it is not bounded
    def held(item) -> set[str]:
        possible = {d.split(":", 1)[1] for d in item.strings("datasets_possible")}
        return possible if item.key.startswith("unplaced/") else {item.key.split("/")[0]}

    assert ethnicity.items and not [i for i in ethnicity.items if held(i) and not held(i) & (named | {"census"})]
    assert "AP_Ethnicity" not in {i.name for i in ethnicity.items}
    for alias in populated:
        assert "Daily Telegraph" not in {r.organisation.name for r in recipients_of_item(real_store, alias).receipts}
    # the ledger keeps the rule's inclusion, and says which statement outranks it
    outranked = {c.object.name: c.outranked_by for c in claims(real_store) if c.subject.id == telegraph and c.object}
    assert {s.props.get("years_as_written") for s in outranked["KS4_REFUGEE"]} == {"5 years worth of data (2008-2012)"}


def test_the_test_serial_number_is_one_of_the_reference_numbers_dfe_says_were_not_released(real_store: Store) -> None:
    """The fifth reading of answers: DfE's written answers say the Telegraph's and BBC Newsnight's releases held no
    "key identifiers of name, address, postcode, date of birth or reference numbers" (statements rows 10 and 16),
    and DfE's own concepts file files KS4_EXAMNO among the pupil reference numbers (row 928); the dictionary scores
    its identifiability 4, outside the identifier classes the words were read as, so both stayed its recipients by
    the tier rule, and the Ministry of Defence's refused "exam number" (row 18) was missing from its answers."""
    concept = _rows("npd_concept_categories_2019.csv")[928 - 2]
    assert (concept["category_l1"], concept["npd_alias"]) == ("Pupil reference numbers", "KS4_EXAMNO")
    statements = _rows("npd_release_scope_statements.csv")
    assert {statements[row - 2]["data_item_as_written"] for row in (10, 16)} == {
        "key identifiers of name, address, postcode, date of birth or reference numbers"
    }
    assert statements[18 - 2]["statement"] == "requested_application_rejected"
    answer = recipients_of_item(real_store, "KS4_EXAMNO")
    received = {r.organisation.name for r in answer.receipts}
    assert received and not received & {"Daily Telegraph", "British Broadcasting Corporation"}
    refused = [n for n in answer.not_received if n.stated.kind == "requested_application_rejected"]
    assert [n.stated.statement.props["items_as_written"] for n in refused] == ["exam number"]


def test_the_house_number_takes_the_old_tier_its_own_tier_note_gives(real_store: Store) -> None:
    """The fifth reading of answers: the dictionary leaves the house number's old tier empty (PAON_[term][yy], items
    row 1240; AP_PAON, row 1275) where its own row's tier note says "Other than PMR this is Old Tier 1", as it does
    beside the flat number, whose tier is 1 (SAON_[term][yy], row 1239): the tier rule reached the flat number and
    never the house number, so no answer said who may have had a child's house number."""
    rows = {r["npd_alias"]: r for r in ITEMS}
    paon, saon = rows["PAON_[term][yy]"], rows["SAON_[term][yy]"]
    assert (paon["old_tier"], saon["old_tier"]) == ("", "1") and paon["sheet"] == saon["sheet"]
    assert paon["tier_note"] == saon["tier_note"] and paon["tier_note"].startswith("Other than PMR this is Old Tier 1")
    assert paon["years_populated"] == saon["years_populated"]
    house, flat = (recipients_of_item(real_store, alias) for alias in ("PAON_[term][yy]", "SAON_[term][yy]"))
    assert house.receipts
    assert {(r.release.id, r.certainty.level) for r in house.receipts} == {
        (r.release.id, r.certainty.level) for r in flat.receipts
    }
    (item,) = house.items
    classed = real_store.expand([item.id], frozenset({EdgeKind.CLASSIFIED_AS}), frozenset())
    (tier,) = [hop for hop in classed if hop.node.props.get("scale") == "old_tier"]
    assert item.props["old_tier"] == 1 and tier.node.id == "Classification:old_tier:1"
    assert (tier.edge.certainty.level.value, tier.edge.certainty.rule) == ("inferred", "old-tier:row-tier-note")
    # the ledger cites what the rule read, the item's own row, not the rows that first used the tier (the sixth
    # reading of 20 facts: KS4_UPN's and the children-in-need notes had been cited)
    from lineage.claims import claims

    (said,) = [c for c in claims(real_store) if c.rule == "old-tier:row-tier-note" and c.subject.id == item.id]
    assert [(c.file, c.row) for c in said.sources] == [("npd_data_items_2018.csv", 1240)]


def test_the_flows_of_a_period_after_2018_give_its_accesses_and_no_route_as_a_volume(real_store: Store) -> None:
    """The fifth reading of answers: the flows of 2019 and 2020 gave no access to pupil records (the flows file's
    rows 2, 13, 14: Trustopia's searches of the LRS, a police force's November 2019, the Home Office's matching),
    and gave as a volume to the Ministry of Justice the route by which researchers reach its linked data (figures
    row 36: a route, no number nor unit), which the same answers say the source does not show went to it."""
    from lineage.questions.flows import flows

    route = _rows("npd_sharing_figures_compiled.csv")[36 - 2]
    assert (route["value"], route["unit"]) == ("ONS SRS (DfE extract); ADR UK Research Fellowship scheme", "")
    accesses = [_rows("npd_flows_2018_onward.csv")[row - 2] for row in (2, 13, 14)]
    assert {r["kind"] for r in accesses} == {"access_granted"}
    found = flows(real_store, dt.date(2019, 1, 1), dt.date(2020, 12, 31)).volumes
    accessed = {(v.flow.name, v.organisation.name) for v in found if v.link.kind is EdgeKind.ACCESSED_BY}
    assert accessed == {
        ("Learning Records Service (LRS)", "Trust Systems Software UK Ltd"),
        ("Department for Education", "Police forces (not named in the record)"),
        ("National Pupil Database (NPD)", "Home Office"),
    }
    assert not [
        v for v in found if ("npd_sharing_figures_compiled.csv", 36) in {(c.file, c.row) for c in v.flow.citations}
    ]


def test_onward_sharing_goes_through_a_body_it_reached_only_where_it_shared_onward(real_store: Store) -> None:
    """The review of the diff: the auditor's onward-sharing question, unlike the lineage walk, still went on from
    DWP, a 2016 release's recipient (register, Aug 2017 edition), to LEO, which the government's pages say is
    derived from DWP's own records (flows rows 27-28), and to LEO's partners, as if the release's data went there."""
    from lineage.questions.onward import onward_sharing

    answer = onward_sharing(real_store, "Release:npd-third-party-register-aug-2017-edition/2016-09-29/dwp")
    reached = {step.node.name for path in answer.paths for step in path.steps}
    assert reached == {"DWP"}
    from_lrs = onward_sharing(real_store, "Learning Records Service (LRS)")
    assert "Gambling companies (not named in the record)" in {s.node.name for p in from_lrs.paths for s in p.steps}


def test_a_release_s_stated_data_sets_bound_only_items_a_data_set_is_known_to_hold(real_store: Store) -> None:
    """The review of the diff: the Telegraph's "census data for KS2, KS4 and KS5 datasets" (statements row 9) had
    dropped it from the census's own free school meals and first language items, which no dictionary sheet places
    (keyed unplaced/) though its statements name them (rows 3 and 4); and a bound read from statements about a
    release had dropped Locrating, whose own words are about itself, from the census's address lines."""
    statements = _rows("npd_release_scope_statements.csv")
    assert [statements[row - 2]["data_item_as_written"] for row in (3, 4)] == [
        "Free School Meals indicator",
        "Language",
    ]
    for alias, body in (
        ("FSMeligible_[term][yy]", "Daily Telegraph"),
        ("FirstLanguage_[term][yy]", "Daily Telegraph"),
        ("AddressLine1_[term][yy]", "Locrating Ltd"),
    ):
        answer = recipients_of_item(real_store, alias)
        assert answer.items[0].key.startswith("unplaced/") or alias.startswith("AddressLine1")
        assert body in {r.organisation.name for r in answer.receipts}, alias


def test_a_figure_is_said_with_what_its_notes_add_of_refusals_and_withdrawals(real_store: Store) -> None:
    """The timeline and an organisation's receipts gave the Home Office's 20 requests, its 25 occasions and the
    register's 887 requests without the refusals, withdrawals and rejections their notes count ("18 granted, 2
    refused"): a campaigner quoting "887 requests" from DfE to third parties counted 15 rejections as flows."""
    from lineage.questions.timeline import FIGURE, timeline

    figures = _rows("npd_sharing_figures_compiled.csv")
    noted = [figures[row - 2] for row in (7, 8, 19)]
    assert [r["value"] for r in noted] == ["20", "25", "887"] and "2 refused" in noted[0]["notes"]
    said = {e.text for e in timeline(real_store).entries if e.kind == FIGURE}
    for row in noted:
        value = f"{int(row['value']):,} {row['unit']}"
        wanted = f"{row['flow']}: {row['measure']}: {value} (the compiler's note: {row['notes']})"
        assert wanted in said, (wanted, sorted(t for t in said if row["measure"] in t))


def test_an_undated_applications_foi_request_says_its_compilers_note_and_purpose(real_store: Store) -> None:
    """The FOI drafts' case: an application's gap said its compiler's note only beside a date, and never its
    purpose, so DS00194's draft left out 'no dates/status/purpose visible; DfE reply not visible in stored page'
    (npd_register_entries_more.csv row 9), and the Troubled Families evaluation's its purpose and note (row 23)."""
    from lineage.foi import write
    from lineage.questions.gaps import OUTCOME_NOT_STATED, gaps_by_id

    more = _rows("npd_register_entries_more.csv")
    chester, troubled = more[9 - 2], more[23 - 2]
    assert chester["reference"] == "DS00194" and not chester["date_as_cited"] and chester["notes"]
    assert not troubled["date_as_cited"] and troubled["purpose_as_cited"] and troubled["notes"]
    key = "not-dfe-npd-register-cross-government-evaluation/undated/troubled-families-analysts-dclg-ons-commissioned"
    ids = [f"{OUTCOME_NOT_STATED.replace(' ', '-')}:Application:{name}" for name in ("DS00194", key)]
    drafted = " ".join(write(gaps_by_id(real_store, ids)).text.split())
    for row in (chester, troubled):
        assert f"the compiler's note: {row['notes']}" in drafted, row["organisation"]
    assert f"purpose as cited: {troubled['purpose_as_cited']}" in drafted
