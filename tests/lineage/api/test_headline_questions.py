"""The campaign's headline questions answered whole (issue 10), through the cookbook over HTTP, on both stores.

Expected answers come from the bundled source files (read here with the csv module), never from the
program's own output: every department and the police, the Home Office both ways, every alias, search that
finds, a dated timeline, and the applications beside the published totals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lineage.store import Store
from tests.lineage.api.test_cookbook import REGISTER, rows

FIGURES = rows("npd_sharing_figures_compiled.csv")
STATEMENTS = rows("npd_release_scope_statements.csv")
MORE = rows("npd_register_entries_more.csv")
EVENTS = rows("npd_events_from_campaign_page.csv")


def _line(file_rows: list[dict[str, str]], **match: str) -> int:
    """The spreadsheet row (header is 1) of the one row matching every column given."""
    (number,) = [n for n, row in enumerate(file_rows, start=2) if all(row[k] == v for k, v in match.items())]
    return number


def _of(parts: list[dict[str, Any]], organisation: str) -> list[dict[str, Any]]:
    return [part for part in parts if part["organisation"]["name"] == organisation]


def _names(parts: list[dict[str, Any]]) -> set[str]:
    return {part["organisation"]["name"] for part in parts}


async def test_departments_that_received_npd_data_of_unpublished_scope(ask) -> None:
    """KS4_SURNAME: the Cabinet Office by the tier rule; the Home Office, DWP, the Ministry of Justice and HMRC
    received NPD data whose items are not published, each release of theirs the register names listed."""
    data = (await ask("departments-accessing-item", item="KS4_SURNAME"))["departmentsAccessingItem"]
    receipts = data["receipts"]["nodes"]
    # the Cabinet Office's two releases approved for "tier 1 or tier 2 data" reach it by rule, never confirmed
    cabinet = [r for r in REGISTER if r["organisation"] == "Cabinet Office"]
    tiered = {r["date_as_cited"] for r in cabinet if "tier" in r["status_as_cited"]}
    by_rule = [
        r for r in receipts if r["organisation"]["name"] == "Cabinet Office" and r["release"]["id"][:8] == "Release:"
    ]
    assert tiered == {"2013-11-15", "2014-02-19"} == {r["date"] for r in by_rule}
    assert all(r["certainty"]["level"] != "CONFIRMED" for r in by_rule)
    unpublished = data["unpublishedScope"]["nodes"]
    departments = {"Home Office", "DWP", "Ministry of Justice"}
    assert departments <= _names(unpublished)
    # HMRC's only entry is "application referenced" (DS00638): a reference alone says no data went (issue 20)
    assert "HMRC (His Majesty's Revenue and Customs)" not in _names(unpublished)
    assert all(u["organisation"]["orgType"] in ("government department", "other public body", "police", "court")
               for u in unpublished)  # fmt: skip
    # every release the register files give these departments (approved or listed as recipient) is there, and no
    # application without an outcome (references read by hand)
    departments_as_cited = (
        "Home Office",
        "DWP",
        "Ministry of Justice (MOJ)",
        "HMRC (His Majesty's Revenue and Customs)",
    )
    theirs = [r for r in REGISTER if r["organisation"] in departments_as_cited]
    sent = {r["reference"] or r["date_as_cited"] for r in theirs if r["status_as_cited"].startswith("listed")}
    applied = {r["reference"] for r in theirs if r["status_as_cited"].startswith(("submitted", "application"))}
    assert sent == {"2016-09-29", "2016-06-15"} and applied == {"DS00804", "DS00689", "DS00752", "DS00638"}
    listed = {u["release"].get("reference") for u in unpublished} | {u["date"] for u in unpublished}
    assert sent <= listed and not applied & listed
    # each says how sure it is that data went: the register's "listed as recipient", as a requester quotes it
    dwp = next(u for u in unpublished if u["organisation"]["name"] == "DWP" and u["date"] == "2016-09-29")
    assert dwp["certainty"]["level"] == "REPORTED"
    assert any(c["file"] == "npd_register_entries_cited_in_foi.csv" for c in dwp["link"]["citations"])
    # no receipt, unpublished release or request is of a type that is not the state's
    assert all(r["organisation"]["orgType"] != "commercial" for r in receipts)


async def test_a_release_older_than_the_item_is_not_listed_as_holding_it(ask) -> None:
    """AP_Postcode was first collected in 2017/18: no release dated before then may hold it, even unpublished;
    the Ministry of Justice's of 15 June 2016 may hold KS4_SURNAME (collected since 2001/02), not AP_Postcode."""
    items = {r["npd_alias"]: r for r in rows("npd_data_items_2018.csv")}
    assert items["AP_Postcode"]["years_populated"].startswith("2017/18")
    assert items["KS4_SURNAME"]["years_populated"].startswith("2001/02")
    moj = next(r for r in REGISTER if r["organisation"] == "Ministry of Justice (MOJ)")["date_as_cited"]
    for alias, listed in (("KS4_SURNAME", True), ("AP_Postcode", False)):
        data = (await ask("recipients-of-item", item=alias))["recipientsOfItem"]
        nodes = data["unpublishedScope"]["nodes"]
        assert (moj in {u["date"] for u in nodes}) is listed, alias
        if alias == "AP_Postcode":
            assert all(dt.date.fromisoformat(u["date"]) >= dt.date(2017, 9, 1) for u in nodes if u["date"])
            assert any(u["date"] is None for u in nodes)  # the undated stay, their date unknown


async def test_the_home_office_and_the_police_for_a_postcode(ask) -> None:
    """DfE returns a pupil's address on a match: the returned_on_match statements name the Home Office and the
    police, so both received Postcode_[term][yy], each by DfE's written answer."""
    returned = [r for r in STATEMENTS if r["statement"] == "returned_on_match"]
    assert {r["organisation"] for r in returned} == {"Home Office", "Police"}
    data = (await ask("departments-accessing-item", item="Postcode_[term][yy]"))["departmentsAccessingItem"]
    by_statement = [r for r in data["receipts"]["nodes"] if r["statement"]]
    assert {"Home Office", "Police forces (not named in the record)"} <= _names(by_statement)
    for receipt in by_statement:
        if receipt["organisation"]["name"] != "Cabinet Office":
            cited = {c["address"] for c in receipt["citations"]}
            assert cited & {r["source_url"] for r in returned}
            assert receipt["certainty"] == {"level": "INFERRED", "rule": "scope-words"}  # words taken to mean it


async def test_who_asks_about_pupils_without_getting_this_item(ask) -> None:
    """KS4_SURNAME: DfE returns addresses and school details on a match, not names, so the Home Office and the
    police are among those that ask about pupils, with what they send and how many; DWP checked identities."""
    data = (await ask("departments-accessing-item", item="KS4_SURNAME"))["departmentsAccessingItem"]
    asked = {a["organisation"]["name"]: a for a in data["askedAbout"]}
    assert {"Home Office", "Police forces (not named in the record)", "DWP"} <= asked.keys()
    home_office = asked["Home Office"]
    kinds = {s["kind"] for s in home_office["statements"]}
    assert {"matching_input_to_dfe", "returned_on_match"} <= kinds
    requested = {f["node"]["value"] for f in home_office["figures"] if f["link"]["kind"] == "FLOWS_FROM"}
    assert {2461.0, 6883.0} <= requested
    assert home_office["certainty"]["level"] == "CONFIRMED"  # DfE's written answers say so
    assert "Home Office" not in _names(data["receipts"]["nodes"])


async def test_who_asks_about_pupils_after_2018_with_what_they_were_given_and_under_what_agreement(ask) -> None:
    """A campaigner's reading: for KS4_SURNAME, the police's figures were all of 2012 to 2016 and DWP's only words
    were its 2018 pilot's 'Y only', reading as reassurance. A requester's words say a police force was given 2,136
    pupils' personal data in November 2019, and a campaigner's that DWP's pilot became an arrangement under which
    requests began: each is given beside what they ask, as sure as its source."""
    flows = rows("npd_flows_2018_onward.csv")
    (police,) = [r for r in flows if r["kind"] == "access_granted" and r["to_organisation"].startswith("police")]
    (dwp,) = [r for r in flows if r["kind"] == "agreement" and r["to_organisation"] == "DWP"]
    data = (await ask("departments-accessing-item", item="KS4_SURNAME"))["departmentsAccessingItem"]
    asked = {a["organisation"]["name"]: a for a in data["askedAbout"]}
    (access,) = asked["Police forces (not named in the record)"]["accesses"]
    assert (access["link"]["valueText"], access["link"]["dateAsCited"]) == (police["figure"], police["date_as_cited"])
    assert access["link"]["certainty"]["level"] == "REPORTED"  # the requester's own words
    (agreement,) = asked["DWP"]["agreements"]
    assert agreement["node"]["quote"] == dwp["quote"] and agreement["node"]["certainty"]["level"] == "REPORTED"


async def test_the_police_with_their_figures(ask) -> None:
    """organisation-receipts for "police": the police, their requests (33, corrected) and what was shared (16
    requests, 62 pupils), each cited to the written statement."""
    data = (await ask("organisation-receipts", name="police"))["organisationReceipts"]
    assert data["organisation"]["name"] == "Police forces (not named in the record)"
    assert data["organisation"]["orgType"] == "police"
    hcws272 = {r["source_url"] for r in FIGURES if r["source"].startswith("Written ministerial statement HCWS272")}
    shared = {f["node"]["value"]: f for f in data["aggregateFlows"]}
    asked = {f["node"]["value"]: f for f in data["flowsFrom"]}
    expected = {float(r["value"]) for r in FIGURES if r["topic"] == "police" and r["flow"] == "DfE (NPD) -> Police"}
    assert set(shared) == expected == {16.0, 62.0}
    assert 33.0 in asked
    for figure in (shared[16.0], shared[62.0], asked[33.0]):
        assert {c["address"] for c in figure["link"]["citations"]} <= hcws272


async def test_the_home_office_both_ways_and_what_it_commissioned(ask) -> None:
    data = (await ask("organisation-receipts", name="Home Office"))["organisationReceipts"]
    sent = {(f["node"]["measure"], f["node"]["value"]) for f in data["flowsFrom"]}
    back = {(f["node"]["measure"], f["node"]["value"]) for f in data["aggregateFlows"]}
    inbound = {
        (r["measure"], float(r["value"])) for r in FIGURES if r["flow"] == "Home Office -> DfE (NPD)" and r["value"]
    }
    outbound = {(r["measure"], float(r["value"])) for r in FIGURES if r["flow"] == "DfE (NPD) -> Home Office"}
    assert inbound <= sent and ("individuals in requests (corrected)", 2461.0) in sent
    assert outbound <= back and ("records returned (corrected)", 531.0) in back
    exchange = {(r["measure"], None) for r in FIGURES if r["flow"] == "DfE <-> Home Office"}
    assert not sent & back  # what it asks and what it gets back are separate flows, and an exchange is neither
    assert {(f["node"]["measure"], f["node"]["value"]) for f in data["bothWays"]} == exchange
    (lse,) = [a for a in data["commissioned"] if a["application"]["reference"] == "DS00763"]
    row = next(r for r in REGISTER if r["reference"] == "DS00763")
    assert "commissioned by Home Office" in row["organisation"]
    assert lse["madeBy"]["node"]["name"] == "LSE"
    assert {c["node"]["name"] for c in lse["commissionedBy"]} == {"Home Office", "Youth Endowment Fund"}


async def test_a_figure_of_an_exchange_both_ways_is_given_once(ask) -> None:
    """A row whose flow is 'A <-> B' (DfE's MoU with the Home Office, row 16; the MoJ-DfE linked data, row 36) is
    one figure: organisationReceipts gives it in bothWays alone, each cited to its row's source, and never also
    in aggregateFlows or flowsFrom, where a reader adding up what went each way would count it twice."""
    exchanges = [(n, row) for n, row in enumerate(FIGURES, start=2) if "<->" in row["flow"]]
    assert [n for n, _ in exchanges] == [16, 36]  # read by hand: the MoU, and the MoJ-DfE linked data share
    for _, row in exchanges:
        (other,) = [side.strip() for side in row["flow"].split("<->") if side.strip() != "DfE"]
        data = (await ask("organisation-receipts", name=other))["organisationReceipts"]
        (figure,) = [f for f in data["bothWays"] if f["node"]["measure"] == row["measure"]]
        assert (figure["node"]["flow"], figure["node"]["period"]) == (row["flow"], row["period"])
        assert figure["node"]["valueText"] == (row["value"] or None)
        assert {c["address"] for c in figure["link"]["citations"]} == {row["source_url"]}
        one_way = [f["node"]["measure"] for f in [*data["aggregateFlows"], *data["flowsFrom"]]]
        assert row["measure"] not in one_way


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("immigration", "Organisation:home office"),
        ("Department for Work and Pensions", "Organisation:dwp"),
        ("HMRC", "Organisation:hmrc"),
        ("MoJ", "Organisation:ministry of justice"),
        ("ONS", "Organisation:office for national statistics"),
        ("HO", "Organisation:home office"),
    ],
)
async def test_search_finds_an_organisation_by_name_abbreviation_or_keyword_first(ask, text: str, found: str) -> None:
    data = (await ask("search", text=text))["search"]
    assert data["nodes"][0]["id"] == found


async def test_search_finds_the_nationality_collection_and_a_published_figure(ask) -> None:
    census = next(r for r in FIGURES if r["topic"] == "census_items")
    assert "country-of-birth" in census["measure"]  # spelled with hyphens: found ignoring punctuation
    data = (await ask("search", text="country of birth"))["search"]
    assert f"AggregateFlow:census_items:{census['period']}:{census['measure']}" in {n["id"] for n in data["nodes"]}
    figure = next(r for r in FIGURES if r["value"] == "2461")
    data = (await ask("search", text="2,461"))["search"]
    assert f"AggregateFlow:{figure['topic']}:{figure['period']}:{figure['measure']}" in {n["id"] for n in data["nodes"]}


async def test_the_timeline_from_2015_to_2019(ask) -> None:
    """The memorandum, the nationality collection, the May 2018 pause and the September 2018 access model, each
    cited to its row."""
    data = (await ask("timeline", **{"from": "2015-01-01", "to": "2019-12-31"}))["timeline"]
    entries = data["entries"]["nodes"]
    assert data["entries"]["totalCount"] == len(entries)
    cited = {(c["file"], c["row"]) for e in entries for c in e["citations"]}
    memorandum = _line(FIGURES, topic="home_office", period="2015-12-18")
    nationality = _line(FIGURES, topic="census_items")
    pause = _line(EVENTS, kind="pause")
    access_model = _line(EVENTS, kind="access_model")
    assert {
        ("npd_sharing_figures_compiled.csv", memorandum),
        ("npd_sharing_figures_compiled.csv", nationality),
        ("npd_events_from_campaign_page.csv", pause),
        ("npd_events_from_campaign_page.csv", access_model),
    } <= cited
    pause_entry = next(e for e in entries if e["kind"] == "pause")
    assert (pause_entry["validFrom"], pause_entry["validTo"]) == ("2018-05-01", "2018-05-31")
    assert pause_entry["certainty"]["level"] == "REPORTED"  # a campaign's page, cited as such
    starts = [e["validFrom"] or "0000" for e in entries]
    assert starts == sorted(starts)
    # nothing that ends before the period or starts after it
    assert all((e["validTo"] or "9999") >= "2015-01-01" and (e["validFrom"] or "0000") <= "2019-12-31" for e in entries)


async def test_the_timeline_by_kind_and_an_unknown_kind(ask, real_store: Store) -> None:
    data = (await ask("timeline", kinds=["pause", "access_model"]))["timeline"]
    assert sorted(e["kind"] for e in data["entries"]["nodes"]) == ["access_model", "pause"]
    # the campaign page's kinds, published figures, and the dated rows after 2018 that are not flows between
    # bodies (agreements, policy changes, oversight, figures: data/SOURCES.md section E)
    onward = {r["kind"] for r in rows("npd_flows_2018_onward.csv")} & {
        "agreement",
        "policy_change",
        "oversight",
        "figure",
    }
    assert {r["kind"] for r in EVENTS} | {"figure"} | onward == set(data["kinds"])
    from lineage import questions
    from lineage.errors import LineageError

    with pytest.raises(LineageError, match="no kind of event or figure 'nonsense': one of "):
        questions.timeline(real_store, kinds=["nonsense"])


def test_the_timeline_says_a_figure_is_unverified_beside_its_value(real_store: Store) -> None:
    """The rows whose topic is "unverified" (npd_sharing_figures_compiled.csv: 2,385 distributions, 7,321 matching
    requests) are not established facts: the timeline, and the explorer and the letter that quote its text, gave
    their values bare, while the reports marked them."""
    from lineage.questions.timeline import timeline

    unverified = [row for row in FIGURES if row["topic"] == "unverified"]
    assert len(unverified) == 2
    entries = timeline(real_store).entries
    for row in unverified:
        (entry,) = [e for e in entries if e.node.props.get("measure") == row["measure"]]
        assert row["value"] in entry.text.replace(",", "") and "unverified" in entry.text, entry.text


def test_an_empty_list_of_kinds_keeps_every_kind_in_the_timeline_as_in_the_gaps(real_store: Store) -> None:
    """timeline(kinds: []) answered no entry at all, while gaps(kinds: []) answers every gap: an empty filter
    filters nothing, never an answer that the record holds no event."""
    from lineage.questions.gaps import gaps
    from lineage.questions.timeline import timeline

    every = timeline(real_store)
    assert every.entries
    assert timeline(real_store, kinds=[]) == every
    assert gaps(real_store, kinds=[]) == gaps(real_store)


async def test_lineage_as_at_a_date_agrees_with_the_figures_dates(ask) -> None:
    """The memorandum's figure holds on 18 December 2015 alone: the Home Office reaches it as at that day only."""
    memorandum = next(r for r in FIGURES if r["topic"] == "home_office" and r["period"] == "2015-12-18")
    figure = f"AggregateFlow:home_office:2015-12-18:{memorandum['measure']}"
    for as_of, reached in (("2015-12-18", True), ("2016-01-01", False)):
        data = (await ask("lineage", id="Organisation:home office", direction="BOTH", depth=1, asOf=as_of))["lineage"]
        assert (figure in {n["node"]["id"] for n in data["reached"]["nodes"]}) is reached, as_of


async def test_applications_by_outcome_beside_the_published_refusals(ask) -> None:
    """PQ 57722 gives refusals per year for 2012-2016; the record names one rejection by date (Early Excellence,
    2017) and one with no year of its own (the MoD's, 'last year' as reported in June 2015)."""
    published = next(r for r in FIGURES if r["measure"] == "NPD extract applications refused per year")
    per_year = {int(y): int(n) for y, n in (part.split(":") for part in published["value"].split("; "))}
    # the rows by year, each application in one (a period's rows name again those dated in it)
    data = [row for row in (await ask("application-outcomes"))["applicationOutcomes"] if row["period"] is None]
    rejected = {row["year"]: row for row in data if row["status"] == "rejected"}
    assert {year: row["published"][0]["value"] for year, row in rejected.items() if row["published"]} == per_year
    assert all(row["published"][0]["rule"] == "figure-per-year" for row in rejected.values() if row["published"])
    early = next(r for r in REGISTER if r["status_as_cited"] == "rejected")
    assert rejected[int(early["date_as_cited"][:4])]["named"] == 1
    mod = next(r for r in MORE if r["status_as_cited"] == "rejected")
    assert mod["date_as_cited"].startswith("last year")
    assert rejected[None]["named"] == 1 and rejected[None]["published"] == []
    assert sum(row["named"] for row in data) == len({a["id"] for row in data for a in row["applications"]})
    # "towards the end of September 2014 (survey launch)" names 2014: the HSCIC's survey sample is of that year
    hscic = next(r for r in MORE if r["organisation"].startswith("Health and Social Care Information Centre"))
    assert hscic["date_as_cited"].startswith("towards the end of September 2014")
    (row,) = [row for row in data if any(hscic["organisation"] in a["name"] for a in row["applications"])]
    assert row["year"] == 2014


async def test_the_outcomes_register_figures_count_over_their_periods_stand_beside_the_named_applications(ask) -> None:
    """The analyst's reading: defenddigitalme's counts of the register (887 requests in 2012-2016, '15 rejections
    recorded'; 121 in January to May 2017, '8 rejected') were in no answer about outcomes, which gave only the
    written answer's refusals per year. Each now stands beside the applications named with that outcome then."""
    in_2012_2016, in_2017 = (
        next(r for r in FIGURES if r["measure"] == measure)
        for measure in ("requests in the third-party register", "requests in register for the period")
    )
    assert "3 not pursued; 15 rejections recorded" in in_2012_2016["notes"]
    assert "21 not pursued; 8 rejected" in in_2017["notes"]
    data = (await ask("application-outcomes"))["applicationOutcomes"]
    periods = {(row["status"], row["period"]): row for row in data if row["period"]}
    expected = {
        ("rejected", in_2012_2016["period"]): 15,
        ("not pursued", in_2012_2016["period"]): 3,
        ("rejected", in_2017["period"]): 8,
        ("not pursued", in_2017["period"]): 21,
    }
    assert {key: [p["value"] for p in row["published"]] for key, row in periods.items()} == {
        key: [value] for key, value in expected.items()
    }
    assert all(row["year"] is None and row["published"][0]["rule"] == "figure-notes-count" for row in periods.values())
    # the one rejection the register names in those months, Early Excellence's of 23 January 2017
    (early,) = [r for r in REGISTER if r["status_as_cited"] == "rejected"]
    assert early["date_as_cited"].startswith("2017-01")
    assert [a["name"].split(":")[0] for a in periods[("rejected", in_2017["period"])]["applications"]] == [
        early["date_as_cited"]
    ]
    assert periods[("rejected", in_2012_2016["period"])]["named"] == 0
    assert {row["published"][0]["figure"]["certainty"]["level"] for row in periods.values()} == {"REPORTED"}


async def test_contested_receipts_and_unverified_figures_say_so_in_the_cookbook(ask) -> None:
    """The Telegraph's FSM receipt rests on a campaigner's account that DfE's written answer contradicts
    (data/conflicts.csv): the cookbook's answer carries ``contested``; an unverified figure on the timeline
    carries ``verified: false``."""
    conflicts = [r for r in rows("conflicts.csv") if r["file"] == "npd_release_scope_statements.csv"]
    contested_rows = {int(r["row"]) for r in conflicts} | {int(r["contradicted_by_row"]) for r in conflicts}
    fsm_row = _line(
        STATEMENTS, organisation="The Telegraph (Daily Telegraph)", data_item_as_written="Free School Meals indicator"
    )
    assert fsm_row in contested_rows
    data = (await ask("recipients-of-item", item="KS4_FSM"))["recipientsOfItem"]
    telegraph = [e["node"] for e in data["receipts"]["edges"] if e["node"]["organisation"]["name"] == "Daily Telegraph"]
    assert telegraph and all(r["statement"]["contested"] is True for r in telegraph)
    unverified = [r for r in FIGURES if r["topic"] == "unverified"]
    assert unverified
    timeline = (await ask("timeline", kinds=["figure"]))["timeline"]["entries"]["nodes"]
    flags = [e["node"].get("verified") for e in timeline]
    assert False in flags and True in flags


async def test_a_receipt_names_every_rule_it_rests_on_not_the_weakest_alone(ask) -> None:
    """The reading of 20 facts: an item reached by the tier rule, in a release taken as sent because it was
    approved, showed one rule, 'sent-to:approved-request', as sure as an item a source names in such a release:
    that it rests on the tier too went unsaid. A receipt now names each rule of its chain."""
    items = rows("npd_data_items_2018.csv")
    (estab,) = [r for r in items if r["npd_alias"] == "KS4_ESTAB"]
    assert estab["old_tier"] == "1"
    tiered = {r["organisation"] for r in REGISTER if r["status_as_cited"] == "approved (tier 1 or tier 2 data)"}
    answer = (await ask("recipients-of-item", item="KS4_ESTAB"))["recipientsOfItem"]
    receipts = [e["node"] for e in answer["receipts"]["edges"]]
    by_tier = [r for r in receipts if r["release"]["status"] == "approved (tier 1 or tier 2 data)"]
    assert by_tier and {r["release"]["name"].split(": ", 1)[1] for r in by_tier} <= tiered
    assert all(r["rules"] == ["tier-level", "sent-to:approved-request"] for r in by_tier)
    assert all(r["certainty"]["rule"] == "sent-to:approved-request" for r in by_tier)  # the weakest, as before


def test_an_application_dated_by_its_month_stands_beside_a_figure_of_a_period_holding_that_month() -> None:
    """The review of the diff: an application dated 'February 2017' was taken to span all of 2017, so it was never
    among the applications of January to May 2017 beside that period's published rejections; and a figure of
    distributions 'logged on public register' would have been read as counting register requests."""
    from lineage.model import Citation, Node, NodeKind, Validity
    from lineage.questions import application_outcomes
    from lineage.stores.memory import MemoryStore

    cited = frozenset({Citation("a fictional source", "f.csv", 2, "https://example.org")})
    in_february = Node(NodeKind.APPLICATION, "A", "A", {"status": "rejected", "date_as_cited": "February 2017"}, cited)
    in_june = Node(NodeKind.APPLICATION, "B", "B", {"status": "rejected", "date_as_cited": "June 2017"}, cited)
    spring = Validity(dt.date(2017, 1, 1), dt.date(2017, 5, 31))
    counted = Node(NodeKind.AGGREGATE_FLOW, "r", "r", {"measure": "requests in register for the period",
                   "period": "2017-01..2017-05", "notes": "8 rejected"}, cited, validity=spring)  # fmt: skip
    logged = Node(NodeKind.AGGREGATE_FLOW, "l", "l", {"measure": "distributions logged on public register (claimed)",
                  "period": "2017-01..2017-05", "notes": "3 rejected"}, cited, validity=spring)  # fmt: skip
    store = MemoryStore()
    store.write([in_february, in_june, counted, logged], [])
    (row,) = [r for r in application_outcomes(store) if r.period]
    assert [p.value for p in row.published] == [8]
    assert [a.key for a in row.applications] == ["A"]
