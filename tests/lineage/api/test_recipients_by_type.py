"""Recipients by type (docs/adding-a-question.md's worked example), over HTTP on the real graph, on both stores.

Expected answers come from the bundled files, read here with the csv module: the organisation types of
data/organisation_aliases.csv, the register entries of data/npd_register_entries_cited_in_foi.csv, and how sure a
sending is by the rules importers/releases.py states (an approved request is taken as sent by the rule
``sent-to:approved-request``; "listed as recipient" is as sure as the row's source, a requester quoting the
register: ``reported`` by data/source_kinds.csv).
"""

from __future__ import annotations

from typing import Any

from lineage.store import Store
from tests.lineage.api.conftest import make_client
from tests.lineage.api.test_cookbook import REGISTER, rows

#: Each variant's body and type by the table; a name the table lacks is typed by the rules of
#: importers/organisations.py, none of which gives "media", and is its own body.
TABLE = {row["variant"]: (row["canonical"], row["org_type"]) for row in rows("organisation_aliases.csv")}


def _body(name: str) -> tuple[str, str]:
    return TABLE.get(name, (name, "not media"))


MORE = rows("npd_register_entries_more.csv")
QUERY = """query ($type: String!) {
  recipientsByType(organisationType: $type) {
    organisation { name }
    certainty { level }
    releases { node { id ... on Release { date } } link { certainty { level rule } citations { file row } } }
    receivedOnward { node { name } link { route citations { file row } } }
    disclosures { text to { link { certainty { level } citations { file row } } } }
  }
}"""


async def _ask(store: Store, organisation_type: str) -> dict[str, Any]:
    async with make_client(store) as http:
        response = await http.post("/graphql", json={"query": QUERY, "variables": {"type": organisation_type}})
    return response.json()


def _sending(status_as_cited: str) -> tuple[str, str | None]:
    return ("INFERRED", "sent-to:approved-request") if status_as_cited.startswith("approved") else ("REPORTED", None)


async def test_the_press_and_broadcasters_each_release_cited(real_store: Store) -> None:
    media = [(n, row) for n, row in enumerate(REGISTER, start=2) if _body(row["organisation"])[1] == "media"]
    expected: dict[str, list[tuple[str, tuple[str, str | None], int]]] = {}
    for number, row in media:
        expected.setdefault(_body(row["organisation"])[0], []).append(
            (row["date_as_cited"], _sending(row["status_as_cited"]), number)
        )
    # read by hand: the Telegraph, the Times and BBC Newsnight approved for tier 1 or 2 data; the BBC listed in 2017
    assert {name: [date for date, _, _ in found] for name, found in expected.items()} == {
        "Daily Telegraph": ["2013-02-20"],
        "Times Newspapers": ["2013-09-26"],
        "British Broadcasting Corporation": ["2014-08-21", "2017-03-21"],
    }
    assert not any(_body(row["organisation"])[1] == "media" for row in MORE)

    body = await _ask(real_store, "media")
    assert "errors" not in body
    answer = body["data"]["recipientsByType"]
    assert [part["organisation"]["name"] for part in answer] == sorted(expected, key=str.lower)
    for part in answer:
        given = [
            (
                release["node"]["date"],
                (release["link"]["certainty"]["level"], release["link"]["certainty"]["rule"]),
                [(c["file"], c["row"]) for c in release["link"]["citations"]],
            )
            for release in part["releases"]
        ]
        wanted = expected[part["organisation"]["name"]]
        assert given == [(date, sure, [("npd_register_entries_cited_in_foi.csv", n)]) for date, sure, n in wanted]
        # the organisation received NPD data as surely as its surest sending: the BBC's 2017 listing is reported
        surest = "REPORTED" if any(level == "REPORTED" for _, (level, _), _ in wanted) else "INFERRED"
        assert part["certainty"]["level"] == surest


async def test_a_refused_application_is_no_release(real_store: Store) -> None:
    """The Ministry of Defence's only register entry is a rejected request (npd_register_entries_more.csv): an
    application, never a release, so no government department's list names it."""
    (mod,) = [row for row in MORE if _body(row["organisation"])[0] == "Ministry of Defence"]
    assert mod["status_as_cited"] == "rejected"
    assert not [row for row in REGISTER if _body(row["organisation"])[0] == "Ministry of Defence"]
    answer = (await _ask(real_store, "government department"))["data"]["recipientsByType"]
    names = {part["organisation"]["name"] for part in answer}
    # the Cabinet Office's tier approvals are releases (REGISTER; typed by the rule org-type:government-department)
    assert "Ministry of Defence" not in names and "Cabinet Office" in names


async def test_the_police_had_no_release_but_are_listed_by_the_data_passed_to_them(real_store: Store) -> None:
    """No register entry names the police, so the answer had been empty, read as "the police got nothing"; yet
    HCWS272 counts 62 pupils' data shared with them (npd_sharing_figures_compiled.csv) and an FOI answer a force's
    search of 2,136 pupils (npd_flows_2018_onward.csv). Each such row is listed, cited, and the police are as
    surely recipients as the surest of them."""
    police = {TABLE[name][0] for name, (_, kind) in TABLE.items() if kind == "police"}
    assert not [row for row in [*REGISTER, *MORE] if _body(row["organisation"])[0] in police]
    figures = {
        n for n, row in enumerate(rows("npd_sharing_figures_compiled.csv"), start=2)
        if row["flow"].replace(" ", "").endswith("->Police") and (row["value"] or "").strip()
    }  # fmt: skip
    flows = {
        n for n, row in enumerate(rows("npd_flows_2018_onward.csv"), start=2)
        if _body(row["to_organisation"])[0] in police
    }  # fmt: skip
    assert 5 in figures and 13 in flows  # HCWS272's 62 pupils; the force's 2,136 pupils
    body = await _ask(real_store, "police")
    assert "errors" not in body
    (part,) = body["data"]["recipientsByType"]
    assert part["organisation"]["name"] in police and part["releases"] == []
    cited = {(c["file"], c["row"]) for d in part["disclosures"] for c in d["to"]["link"]["citations"]}
    assert {("npd_sharing_figures_compiled.csv", n) for n in figures} <= cited
    assert {("npd_flows_2018_onward.csv", n) for n in flows} <= cited
    (pupils,) = [r for n, r in enumerate(rows("npd_sharing_figures_compiled.csv"), start=2) if n == 5]
    assert any(pupils["value"] in d["text"] for d in part["disclosures"])  # HCWS272's 62 pupils
    assert part["certainty"]["level"] == "CONFIRMED"  # HCWS272, at Parliament's own address


async def test_companies_reached_by_an_onward_share_are_listed_with_its_route(real_store: Store) -> None:
    """GB Group and the gambling companies had no release and no figure: the record has them only as the
    receivers of onward shares (npd_flows_2018_onward.csv rows 4 and 5, each from a commercial body), and the
    answer had left them out, read as "GB Group got nothing". Each is listed with the share, its route as
    flow_readings.csv gives it (a service built on the data, not the records), and its row."""
    onward = {
        n: row for n, row in enumerate(rows("npd_flows_2018_onward.csv"), start=2)
        if row["kind"] == "onward_share" and _body(row["to_organisation"])[1] == "commercial"
    }  # fmt: skip
    routes = {int(r["row"]): r["route"] for r in rows("flow_readings.csv") if r["route"]}
    assert set(onward) == {4, 5}
    body = await _ask(real_store, "commercial")
    assert "errors" not in body
    answer = {part["organisation"]["name"]: part for part in body["data"]["recipientsByType"]}
    for n, row in onward.items():
        part = answer[_body(row["to_organisation"])[0]]
        assert part["releases"] == [] and part["disclosures"] == []
        (share,) = part["receivedOnward"]
        assert share["node"]["name"] in row["from_organisation"]  # the sharer, as the row names it
        assert share["link"]["route"] == routes[n]
        assert {"file": "npd_flows_2018_onward.csv", "row": n} in share["link"]["citations"]


async def test_an_unknown_type_is_refused_not_answered_empty(real_store: Store) -> None:
    body = await _ask(real_store, "newspaper")
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "media" in error["message"]
