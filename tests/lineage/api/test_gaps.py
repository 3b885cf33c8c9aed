"""Every gap in the record and the request that would fill it (issue 26), over HTTP on both stores; expected
answers from the bundled CSVs."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

import pytest

from lineage import foi
from lineage.errors import LineageError
from lineage.questions.gaps import gaps, gaps_by_id
from lineage.resources import DATA_DIR
from lineage.store import Store
from tests.lineage.api.test_cookbook import REGISTER

FIGURES = DATA_DIR / "npd_sharing_figures_compiled.csv"
FOI_REQUEST = """query ($gaps: [String!]!, $format: String!) {
  foiRequest(gaps: $gaps, format: $format) { text authority gaps filename } }"""


def _row(**match: str) -> dict[str, str]:
    (found,) = [r for r in REGISTER if all(r[k] == v for k, v in match.items())]
    return found


async def test_the_ministry_of_justice_2016_release_has_its_items_unpublished(ask: Any) -> None:
    row = _row(organisation="Ministry of Justice (MOJ)", date_as_cited="2016-06-15")
    assert row["status_as_cited"] == "listed as recipient"
    data = (await ask("gaps", kinds=["items not published"], organisation="Ministry of Justice"))["gaps"]
    (gap,) = [g for g in data["nodes"] if g["date"] == "2016-06-15"]
    assert gap["authority"] == "Department for Education" and gap["kind"] == "items not published"
    assert any("data items" in m for m in gap["missing"]) and any("legal gateway" in m for m in gap["missing"])
    assert row["source_url"] in {c["address"] for c in gap["citations"]}
    assert row["source_url"] in gap["earlierRequests"]  # the request that quoted the register is on WhatDoTheyKnow


async def test_an_application_submitted_for_approval_has_no_stated_outcome(ask: Any, client_for: Any,
                                                                           real_store: Store) -> None:  # fmt: skip
    row = _row(reference="DS00804")
    assert row["status_as_cited"] == "submitted for DSAP approval"
    data = (await ask("gaps", kinds=["outcome not stated"], organisation="Home Office"))["gaps"]
    gap = next(g for g in data["nodes"] if g["subject"]["id"] == "Application:DS00804")
    assert any("decision" in m for m in gap["missing"])
    variables = {"gaps": [gap["id"]], "format": "txt"}
    async with client_for(real_store) as http:
        body = (await http.post("/graphql", json={"query": FOI_REQUEST, "variables": variables})).json()
    request = body["data"]["foiRequest"]
    text = request["text"]
    assert request["authority"] == "Department for Education" and "section 1 of the Freedom of Information Act" in text
    assert "DS00804" in text and row["source_url"] in text  # what is public, with its address
    for asked in gap["missing"]:
        assert asked in text


def test_a_request_goes_to_one_authority_and_names_only_known_gaps(real_store: Store) -> None:
    found = gaps(real_store)
    kinds = {g.kind for g in found}
    assert {"items not published", "outcome not stated", "contested", "unverified"} <= kinds
    with pytest.raises(LineageError, match="no gap has the id"):
        gaps_by_id(real_store, ["items-not-published:Release:nowhere"])
    with pytest.raises(LineageError, match="no kind of gap "):
        gaps(real_store, kinds=["everything"])
    several = [g for g in found if g.authority == "Department for Education"][:3]
    drafted = foi.write(several, "md")
    assert drafted.text.count("Please provide:") == 3 and drafted.authority == "Department for Education"
    # a gap named twice is asked for once: the request had repeated it, a section each time
    twice = gaps_by_id(real_store, [several[0].id, several[1].id, several[0].id])
    assert [g.id for g in twice] == [several[0].id, several[1].id]


def test_a_new_source_giving_the_items_closes_the_gap_and_the_diff_says_which(memory_real: Store) -> None:
    """A later import that states the Ministry of Justice release's items (a confirmed INCLUDES, cited) closes its
    'items not published' gap; lineage diff names the gap and the source that closed it."""
    from importers.build import build_real_graph
    from lineage.changes import diff, format_diff
    from lineage.model import Citation, Edge, EdgeKind, Node
    from lineage.stores.memory import MemoryStore

    (gap,) = [g for g in gaps(memory_real, ["items not published"], "Ministry of Justice") if g.date]
    newer = MemoryStore()
    build_real_graph(newer)
    answer = Citation("an FOI answer giving the release's items (test)", "answer.csv", 2, "https://example.org/a")
    release = gap.subject
    newer.write(
        [Node(release.kind, release.key, release.name, release.props, release.citations | {answer})],
        [Edge(release.id, EdgeKind.INCLUDES, "DataItem:KS4/KS4_FSM", citations=frozenset({answer}))],
    )
    changed = diff(memory_real, newer)
    (closed,) = [c for c in changed.closed if c.gap.id == gap.id]
    assert closed.closed_by == (answer,)
    text = format_diff(changed)
    assert f"closed gap {gap.id}" in text and answer.address in text


async def test_the_home_offices_refusal_to_say_is_a_gap_whose_request_goes_to_the_home_office(ask: Any) -> None:
    """The requester asked whether pupil data went beyond the Home Office, and it refused to say (the flows file's
    foi_refused row): the request that would fill the gap is addressed to the Home Office, not DfE."""
    from tests.lineage.api.test_cookbook import rows

    (refused,) = [r for r in rows("npd_flows_2018_onward.csv") if r["kind"] == "foi_refused"]
    data = (await ask("gaps", kinds=["onward sharing not disclosed"]))["gaps"]
    (gap,) = data["nodes"]
    assert gap["authority"] == "Home Office" and [o["name"] for o in gap["organisations"]] == ["Home Office"]
    assert refused["source_url"] in {c["address"] for c in gap["citations"]}
    text = (await ask("foi-request", gaps=[gap["id"]], format="txt"))["foiRequest"]["text"]
    assert text.startswith("To: Home Office (Freedom of Information)")
    assert "whether pupil data received from the Department for Education were passed to any other body" in text


GAPS_CLOSED = """query ($kinds: [String!], $node: String) {
  gapsClosed(kinds: $kinds, node: $node) { nodes {
    gapId kind subjectName authority closedAt openAgain whatClosed
    subject { id } source path importRun { id ... on ImportRun { path } } citations { document file row }
  } } }"""


async def test_the_gaps_an_import_closed_are_asked_by_kind_and_node(empty_store: Store, client_for: Any,
                                                                    tmp_path: Any) -> None:  # fmt: skip
    """Fictional rows (tests/importers/test_gaps_closed.py): the second edition names DS09999's items."""
    from importers.register_workbook import ExternalSharesImporter
    from lineage.changes import GapWatch
    from tests.importers.test_gaps_closed import GAP, shares
    from tests.importers.test_register_workbook import fictional_items

    empty_store.write(fictional_items())
    ExternalSharesImporter().run(empty_store, shares(tmp_path, "edition-1", ""), gaps=GapWatch(empty_store))
    newer = shares(tmp_path, "edition-2", "FICTIONAL_SET/Fict_Name")
    ExternalSharesImporter().run(empty_store, newer, gaps=GapWatch(empty_store))
    async with client_for(empty_store) as http:

        async def asked(**variables: Any) -> Any:
            body = (await http.post("/graphql", json={"query": GAPS_CLOSED, "variables": variables})).json()
            return body["errors"] if body.get("errors") else body["data"]["gapsClosed"]["nodes"]

        (closed,) = await asked(node="Release:DS09999")
        assert (closed["gapId"], closed["kind"], closed["openAgain"]) == (GAP, "items not published", False)
        assert closed["whatClosed"] == "a source named data sets or items in it, at the certainty that source gives"
        assert (
            closed["subject"] == {"id": "Release:DS09999"}
            and closed["path"] == closed["importRun"]["path"] == newer.name
        )
        assert closed["citations"] == [{"document": f"DfE external data shares ({newer.name})", "file": "edition-2",
                                        "row": 4}]  # fmt: skip
        assert closed["closedAt"].endswith("+00:00")
        assert await asked(kinds=["outcome not stated"]) == [] and await asked(node="Release:DS09998") == []
        (refused,) = await asked(kinds=["everything"])
        assert "no kind of gap 'everything': one of " in refused["message"]


async def test_a_damaged_record_of_closings_leaves_the_open_gaps_answered(client_for: Any) -> None:
    """gapsClosed is null with its error (the store's fault, masked as internal), and gaps beside it in the
    cookbook's operation is still answered."""
    from lineage.model import Citation, Node, NodeKind
    from lineage.questions.closings import CLOSED_GAPS
    from lineage.resources import COOKBOOK
    from lineage.stores.memory import MemoryStore

    store = MemoryStore()
    cite = frozenset({Citation("pupil-data lineage import log", "edition.csv", None, "")})
    store.write([Node(NodeKind.IMPORT_RUN, "x:0123", "a run", {"status": "finished", CLOSED_GAPS: "not json"}, cite)])
    async with client_for(store) as http:
        query = (COOKBOOK / "gaps.graphql").read_text(encoding="utf-8")
        body = (await http.post("/graphql", json={"query": query, "variables": {}})).json()
    assert body["data"]["gaps"]["totalCount"] == 0 and body["data"]["gapsClosed"] is None
    (error,) = body["errors"]
    assert error["path"] == ["gapsClosed"] and error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


def test_an_unverified_figure_is_said_as_every_answer_says_a_figure(real_store: Store) -> None:
    """The gap quotes the figure with its flow, its value as the compiled figures give it (2385, not "2385.0")
    and the caveat that the record does not establish it, as the timeline and the flows do."""
    with FIGURES.open(encoding="utf-8", newline="") as handle:
        claimed = [row for row in csv.DictReader(handle) if row["topic"] == "unverified"]
    said = {g.known for g in gaps(real_store, kinds=["unverified"])}
    caveat = "(unverified: the record does not establish it)"
    assert claimed and said == {
        (f"{r['flow']}: {r['measure']}: {int(r['value']):,} {r['unit']} {caveat} (the compiler's note: {r['notes']})",)
        for r in claimed
    }
    # the request asks the authority for the figure: it had told it the record's figure "need not be repeated"
    drafted = foi.write(gaps(real_store, kinds=["unverified"])[:1], "txt").text
    assert "need not be repeated" not in drafted and "(please say where your records differ)" in drafted


def _scope_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "npd_release_scope_statements.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_gap_says_what_sources_already_say_of_its_release_or_application(real_store: Store) -> None:
    """A campaigner's reading of the gaps: BBC Newsnight's 2014 release's gap asked DfE for its data items as if
    unsaid, though DfE's written answer lists its sensitive items and says it held no key identifiers; AQA's
    application's gap gave no word of the campaigner's account of what was matched. What sources say is known."""
    bbc = [r for r in _scope_rows() if r["organisation"] == "BBC Newsnight" and r["source_kind"].startswith("DfE")]
    assert len(bbc) >= 2
    (gap,) = [g for g in gaps(real_store, kinds=["items not published"]) if "bbc-newsnight" in g.subject.id]
    known = " ".join(gap.known)
    assert all(r["quote"] in known for r in bbc)
    assert {r["source_url"] for r in bbc} <= {c.address for c in gap.sources}
    aqa = [r for r in _scope_rows() if r["organisation"].startswith("AQA")]
    (applied,) = [g for g in gaps(real_store, kinds=["outcome not stated"]) if g.subject.id.endswith("/aqa")]
    assert aqa and all(r["quote"] in " ".join(applied.known) for r in aqa)
    drafted = foi.write([gap], "txt").text
    assert "Already public" not in drafted and "each as its source gives it" in drafted
    assert "which I have read" not in drafted  # the requester signs it, and may not have read them


def test_dfe_s_policy_of_sharing_is_asked_what_went_under_it_not_a_panel_s_decision(real_store: Store) -> None:
    """The ONS entry is DfE's guidance that it 'may also share' pupil data with the ONS: its gap asked for 'the
    approving panel's decision on the application', which there never was."""
    more = list(csv.DictReader((DATA_DIR / "npd_register_entries_more.csv").open(encoding="utf-8")))
    (policy,) = [r for r in more if "may also share" in r["status_as_cited"]]
    (gap,) = [g for g in gaps(real_store, kinds=["outcome not stated"]) if g.subject.props.get("status") == "policy"]
    assert policy["source_url"] in {c.address for c in gap.sources}
    assert not any("decision" in asked for asked in gap.missing)
    assert any("shared with it under this" in asked for asked in gap.missing)


def test_pupil_data_dfe_passed_to_a_body_the_record_does_not_name_is_a_gap_for_dfe(real_store: Store) -> None:
    """A campaigner's reading of the gaps: no 'recipient not named' gap was ever made, as the record's unnamed
    police forces are one node standing for them all; a police force given 2,136 pupils' data in November 2019 (a
    requester's words) and the forces HCWS272's counts are of were no gap. DfE, which passed the data, holds the
    names."""
    flows = list(csv.DictReader((DATA_DIR / "npd_flows_2018_onward.csv").open(encoding="utf-8")))
    (access,) = [r for r in flows if r["kind"] == "access_granted" and r["to_organisation"].startswith("police")]
    figures = list(csv.DictReader(FIGURES.open(encoding="utf-8")))
    counted = [r for r in figures if r["flow"] == "DfE (NPD) -> Police" and r["source"].startswith("Written minis")]
    found = gaps(real_store, kinds=["recipient not named"])
    # ids by what the sources give (the body, the date and volume as cited; the figure), stable across builds
    access_id = f"recipient-not-named:Organisation:police forces|{access['date_as_cited']}|{access['figure']}"
    figure_ids = {f"recipient-not-named:AggregateFlow:police:{r['period']}:{r['measure']}" for r in counted}
    assert {g.id for g in found} == {access_id, *figure_ids}
    (dated,) = [g for g in found if g.id == access_id]
    assert dated.date == dt.date(2019, 11, 1) and {c.row for c in dated.sources} == {
        n for n, r in enumerate(flows, start=2) if r is access
    }  # that access's row alone, not every row naming the police
    known = " ".join(k for g in found for k in g.known)
    assert f"{access['date_as_cited']}: " in known and access["figure"] in known
    assert counted and all(f"{r['value']} {r['unit']}" in known for r in counted)
    assert all(any("name of the organisation" in m for m in g.missing) for g in found)


def test_a_contested_release_is_asked_of_dfe_s_own_record_not_of_a_register_that_lists_no_items(
    real_store: Store,
) -> None:
    """A campaigner's reading of the gaps: the Telegraph's contested gaps asked for the items 'as the register lists
    them', though the register entries give no items (data/SOURCES.md says so of them)."""
    sources = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    assert "No data items or purposes are given" in sources
    contested = [g for g in gaps(real_store, kinds=["contested"]) if g.subject.kind.value == "Statement"]
    assert contested and not any("as the register lists them" in m for g in contested for m in g.missing)


def test_a_gap_quoting_a_source_gives_its_rows_notes(real_store: Store) -> None:
    """The Cabinet Office's extraction of 16-18 year olds' names and addresses (npd_release_scope_statements.csv
    row 32) was quoted in its application's request without its row's notes: "link to held Cabinet Office entries
    (2013-11-15, 2014-02-19) NOT established", which the letter's line of it gives."""
    row = _scope_rows()[32 - 2]
    assert row["organisation"] == "Cabinet Office" and "NOT established" in row["notes"]
    (gap,) = [g for g in gaps(real_store, kinds=["outcome not stated"]) if g.subject.id.endswith("/cabinet-office")]
    drafted = foi.write([gap], "txt").text
    assert f"\u201c{row['quote']}\u201d (the compiler's note: {row['notes']})" in drafted


def test_a_contested_or_refused_gap_gives_each_side_with_its_rows_notes(real_store: Store) -> None:
    """The FOI requests a contested statement or a refusal makes quoted each side without its row's notes, which
    every other line quoting a statement gives: DfE's 2017 answer on the Telegraph's request (row 10: "CONFLICTS with
    FOI-based accounts above; TheyWorkForYou text says 'highly sensitive'") and the Home Office's refusal."""
    row = _scope_rows()[10 - 2]
    assert "CONFLICTS with FOI-based accounts above" in row["notes"]
    noted = f"\u201c{row['quote']}\u201d (the compiler's note: {row['notes']})"
    contested = [g for g in gaps(real_store, kinds=["contested"]) if g.subject.kind.value == "Statement"]
    assert any(noted in known for g in contested for known in g.known)
    assert any("another cited source disagrees: " in k and noted in k for g in contested for k in g.known)
    (refusal,) = [r for r in csv.DictReader((DATA_DIR / "npd_flows_2018_onward.csv").open(encoding="utf-8"))
                  if r["kind"] == "foi_refused"]  # fmt: skip
    (gap,) = gaps(real_store, kinds=["onward sharing not disclosed"])
    assert refusal["notes"] and gap.known[0].endswith(f" (the compiler's note: {refusal['notes']})")


def test_an_agreement_the_record_knows_only_from_an_account_of_it_is_a_gap_for_dfe(real_store: Store) -> None:
    """A campaigner's reading of the gaps: the Home Office-DfE agreement 'updated in January 2019' (a requester's
    words) and the arrangement DWP's 2018 pilot became (a campaigner's) were no gap, though neither text is in the
    record; the umbrella MoU and HMRC's, which the government's own pages give, are not gaps."""
    flows = list(csv.DictReader((DATA_DIR / "npd_flows_2018_onward.csv").open(encoding="utf-8")))
    agreements = [r for r in flows if r["kind"] == "agreement"]
    told = [r for r in agreements if r["source_kind"] not in ("dfe_or_government", "parliament", "regulator")]
    assert {r["source_kind"] for r in told} == {"requester", "campaigner"} and len(agreements) > len(told)
    found = gaps(real_store, kinds=["agreement not published"])
    assert sorted(g.known[0].split("\u201c")[1].split("\u201d")[0] for g in found) == sorted(r["quote"] for r in told)
    # with the compiler's notes on the row, where it has them (the seventh reading: the events' notes were lost)
    noted = {r["quote"]: r["notes"] for r in told if r["notes"]}
    assert noted and all(
        f"(the compiler's note: {noted[q]})" in g.known[0] for g in found for q in noted if q in g.known[0]
    )
    assert all(g.authority == "Department for Education" for g in found)
    assert {"Home Office", "DWP"} <= {o.name for g in found for o in g.organisations}


def test_an_entry_its_source_says_is_in_no_register_is_not_called_a_register_entry(real_store: Store) -> None:
    """The analyst's reading: the Troubled Families evaluation's row says it is 'not DfE NPD register', yet its gap,
    and the FOI request drafted from it, called it 'register entry not-dfe-npd-register-...', its internal key."""
    with (DATA_DIR / "npd_register_entries_more.csv").open(encoding="utf-8", newline="") as handle:
        more = list(csv.DictReader(handle))
    (row,) = [r for r in more if r["organisation"].startswith("Troubled Families")]
    assert row["register"].startswith("not DfE NPD register") and not row["reference"] and not row["date_as_cited"]
    (gap,) = [
        g
        for g in gaps(real_store)
        if g.subject.name.endswith("application by " + row["organisation"] + " (not stated)")
    ]
    assert gap.known[0] == f"entry undated: application by {row['organisation']} (not stated)"
    drafted = foi.write([gap], "txt").text
    assert "register entry" not in drafted and "not-dfe-npd-register" not in drafted


def test_a_document_its_holders_withhold_is_a_gap_for_each_of_them(real_store: Store) -> None:
    """The analyst's reading: the ICO's full audit report of DfE is unpublished, and both DfE and the ICO refused FOI
    requests for it (the row's notes), yet no gap asked for it and the ICO was named as no authority to ask."""
    with (DATA_DIR / "npd_flows_2018_onward.csv").open(encoding="utf-8", newline="") as handle:
        (audit,) = [r for r in csv.DictReader(handle) if "refused FOI requests for it" in r["notes"]]
    assert "both DfE and the ICO" in audit["notes"]
    withheld = [g for g in gaps(real_store) if g.kind == "document withheld"]
    assert {g.authority for g in withheld} == {"Department for Education", "Information Commissioner's Office"}
    for gap in withheld:
        assert any(audit["quote"] in said for said in gap.known)
        assert ("npd_flows_2018_onward.csv", audit["source_url"]) in {(c.file, c.address) for c in gap.sources}
        assert gap.missing == ("the document in full, or the parts of it that can be released, with the exemptions "
                               "relied on for the rest",)  # fmt: skip
    drafted = foi.write([g for g in withheld if g.authority.startswith("Information")], "txt").text
    assert drafted.startswith("To: Information Commissioner's Office (Freedom of Information)")


def test_an_applications_date_says_which_date_it_is_where_its_row_does(memory_real: Store) -> None:
    """The seventh reading: DR170124.04 was 'dated 2017-08-15' in its gap and letter, though its row puts the date
    under 'Date first Extract sent / Date permission for re-use granted / Date Application Rejected' and its notes
    say which one applies is not distinguished (npd_register_entries_more.csv row 16): an extract, a permission or
    a rejection, not an application's date."""
    with (DATA_DIR / "npd_register_entries_more.csv").open(newline="", encoding="utf-8") as f:
        row = list(csv.DictReader(f))[16 - 2]
    assert row["reference"] == "DR170124.04" and "not distinguished" in row["notes"]
    (gap,) = [g for g in gaps(memory_real) if g.subject.id == "Application:DR170124.04"]
    assert f"dated 2017-08-15 (the compiler's note: {row['notes']})" in gap.known


def test_a_body_the_source_names_otherwise_is_given_in_its_words_too(memory_real: Store) -> None:
    """The seventh reading: a police force given 2,136 pupils' data in November 2019 is "police force (not named)"
    in its row (npd_flows_2018_onward.csv row 13), one force; its gap and the letter said "Police forces"."""
    with (DATA_DIR / "npd_flows_2018_onward.csv").open(newline="", encoding="utf-8") as f:
        row = list(csv.DictReader(f))[13 - 2]
    assert row["to_organisation"] == "police force (not named)"
    (gap,) = [g for g in gaps(memory_real, kinds=["recipient not named"]) if row["date_as_cited"] in g.id]
    assert f"(as its source words it: {row['to_organisation']})" in gap.known[0]
