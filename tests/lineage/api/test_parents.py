"""The parents' questions on the real graph, on both stores: school search, record reach, the letter, the diff and
the Atom feed. Expected answers come from the bundled CSVs read with the csv module, never from the program.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

import feedparser
import pytest

from importers.gias import GiasEstablishmentsImporter
from lineage import letter, questions
from lineage.api.app import REACH_FILES
from lineage.changes import diff, format_diff
from lineage.cli import main
from lineage.model import CERTAINTY_WORDS, CertaintyLevel, Citation, Edge, EdgeKind, Node, NodeKind
from lineage.store import Store
from lineage.stores.memory import MemoryStore
from tests import fixture_graph as g
from tests import hostile
from tests.importers import gias_fixtures as fx
from tests.lineage.api.conftest import QUERIES, make_client

DATA = Path(__file__).resolve().parents[3] / "data"
URN = 131768


#: The letter's section listing applications and arrangements without an outcome, or with one that is no release.
APPLICATIONS = "Applications and arrangements the record names without a release"


def rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


LINKS = rows("gias_links_20250422.csv")
REGISTER = rows("npd_register_entries_cited_in_foi.csv")
STATEMENTS = rows("npd_release_scope_statements.csv")
ALIASES = {row["variant"]: row for row in rows("organisation_aliases.csv")}
#: The schools the links file says 131768 came from (its "Predecessor" rows) and became ("Successor" rows).
BEFORE = {int(r["LinkURN"]) for r in LINKS if r["URN"] == str(URN) and r["LinkType"].startswith("Predecessor")}
AFTER = {int(r["LinkURN"]) for r in LINKS if r["URN"] == str(URN) and r["LinkType"].startswith("Successor")}
NAME = next(r["LinkName"] for r in LINKS if r["LinkURN"] == str(URN))


def test_a_urn_finds_its_school_and_the_schools_it_was_found_through_it(real_store: Store) -> None:
    found = questions.school_search(real_store, str(URN))
    first, *rest = found.items
    assert (first.school.id, first.school.name, first.found_by) == (f"School:{URN}", NAME, "URN")
    assert BEFORE and {int(m.school.key) for m in rest} >= BEFORE
    assert all(m.found_by == "successor" and m.through and m.through.key == str(URN) for m in rest)
    assert all(m.links and m.links[0].link.citations for m in rest)  # each GIAS link cited


def test_a_name_finds_the_school_and_a_successor_finds_the_closed_school(real_store: Store) -> None:
    by_name = questions.school_search(real_store, NAME, limit=100)
    assert f"School:{URN}" in {m.school.id for m in by_name.items if m.found_by == "name"}
    successor = next(iter(AFTER))
    successor_name = next(r["LinkName"] for r in LINKS if r["LinkURN"] == str(successor))
    through = questions.school_search(real_store, successor_name)
    closed = next(m for m in through.items if m.school.id == f"School:{URN}")
    assert closed.found_by == "successor" and closed.through and closed.through.key == str(successor)


def test_a_search_page_holds_at_most_first_and_its_total_says_when_it_is_a_lower_bound(real_store: Store) -> None:
    """The audit's case: schoolSearch(text: "academy") gave 2 schools for first 1 and 5 for first 3 (each page's
    predecessors added on), and totalCount 3799, 3800, 3800, 3801 as first grew, each called the whole answer."""
    for first in (1, 2, 3, 5):
        page = questions.school_search(real_store, "academy", limit=first)
        assert len(page.items) == first and not page.total_exact and page.truncated
    whole = questions.school_search(real_store, str(URN), limit=100)
    assert whole.total_exact and whole.total == len(whole.items) == 1 + len(BEFORE)
    cut = questions.school_search(real_store, str(URN), limit=2)
    assert [m.school.id for m in cut.items] == [m.school.id for m in whole.items[:2]]
    # each school found is followed by the schools it was before, not left for the page's end
    through = [m.through.id if m.through else m.school.id for m in questions.school_search(real_store, "academy").items]
    assert through == sorted(through, key=through.index)


def test_town_and_postcode_district_find_a_school_once_establishments_are_imported(
    empty_store: Store, tmp_path: Path
) -> None:
    GiasEstablishmentsImporter().run(empty_store, fx.write_edubaseall(tmp_path / "edubasealldata.csv"))
    district = fx.ASHGROVE["Postcode"].split()[0]
    (match,) = questions.school_search(empty_store, district).items
    assert (match.school.key, match.found_by) == (fx.ASHGROVE["URN"], "postcode")
    assert match.school.props["town"] == fx.ASHGROVE["Town"]


async def test_record_reach_holds_the_chain_the_releases_by_type_and_what_was_not_released(ask: Any) -> None:
    data = (await ask("record-reach", urn=URN, fromYear=2011, toYear=2016, first=100))["recordReach"]
    chain = data["chain"]
    assert {int(s["school"]["key"]) for s in chain["successors"]} >= AFTER
    assert {int(s["school"]["key"]) for s in chain["predecessors"]} >= BEFORE
    # tier approvals dated once 2011/12's data were in the NPD (its school census's from January 2012, the
    # timetable's autumn census; the rest from 1 September 2012), and every other release not rejected (its items
    # not published)
    tier = [r for r in REGISTER if "tier 1 or tier 2" in r["status_as_cited"]]
    in_time = [r for r in tier if dt.date.fromisoformat(r["date_as_cited"]) >= dt.date(2012, 1, 1)]
    releases = [n for g in data["groups"] for n in g["releases"]["nodes"]]
    words = {n["certaintyWords"] for n in releases}
    assert words == {"by the tier of data released", "items not published"}
    assert sum(n["certaintyWords"] == "by the tier of data released" for n in releases) == len(in_time)
    # each release under the type of organisation the aliases file gives its recipient
    telegraph = ALIASES["Daily Telegraph"]
    assert telegraph["org_type"] == "media"
    press = next(g for g in data["groups"] if g["organisationType"] == "media")
    assert "Daily Telegraph" in {r["node"]["name"] for n in press["releases"]["nodes"] for r in n["recipients"]}
    assert all(n["release"]["citations"] and all(r["link"]["citations"] for r in n["recipients"]) for n in releases)
    # Civitas's of 2012-08-08 came after the January 2012 release of 2011/12's autumn census: it may hold that
    assert any(r["organisation"] == "Civitas" for r in in_time)
    assert "Civitas" in {r["node"]["name"] for n in releases for r in n["recipients"]}
    # what was not released: the statements of that kind about these recipients, in their words
    said = {s["statement"]["quote"] for s in data["notReleased"]}
    kinds = {"not_released", "requested_then_excluded", "not_available"}
    expected = {r["quote"] for r in STATEMENTS if r["statement"] in kinds and "Telegraph" in r["organisation"]}
    assert expected and expected <= said
    assert any(r["quote"] in said for r in STATEMENTS if r["statement"] == "not_available")
    assert {d["dataset"]["name"] for d in data["datasets"]} >= {"KS2 95-96 to 17-18", "CIN 08-09 to 16-17"}


#: DfE's 2018 list of NPD data sets, the notes above the data tables' sheets and their overview, by row (header row 1).
LISTED = dict(enumerate(rows("npd_dataset_list_2018.csv"), start=2))
NOTED = dict(enumerate(rows("npd_data_tables_sheet_notes_2018.csv"), start=2))
OVERVIEW = dict(enumerate(rows("npd_datasets_overview_2018.csv"), start=2))
DISAGREE = "the sources disagree whether it holds pupils' records"


async def test_record_reach_says_what_each_source_says_of_a_data_set_the_list_calls_school_level(ask: Any) -> None:
    """The list calls 'Key Stage 2 NPD aggregated' school-level (row 29), the note above its sheet 'de-identified
    personal level data' (row 35): /reach had listed it among the data sets that may hold the child's record, saying
    neither. Both are said, neither chosen."""
    data = (await ask("record-reach", urn=URN, fromYear=2013, toYear=2018, first=100))["recordReach"]
    lines = {d["dataset"]["id"]: d for d in data["datasets"]}
    listed, note = LISTED[29], NOTED[35]
    assert listed == {"level": "school-level", "dataset": "Key Stage 2 NPD aggregated"}
    assert note["sheet"] == "SLD-KS2_NPD_05-06_to_14-15" and "personal level data" in note["note_text"]
    line = lines["Dataset:SLD-KS2_NPD_05-06_to_14-15"]
    assert line["schoolLevel"] and line["recordsDisputed"]
    assert f"calls it school-level (as \u201c{listed['dataset']}\u201d)" in line["levelSaid"]
    assert f"reads \u201c{note['note_text']}\u201d" in line["levelSaid"] and line["levelSaid"].endswith(DISAGREE)
    cited = {(c["file"], c["row"]) for c in line["dataset"]["citations"]}
    assert {("npd_dataset_list_2018.csv", 29), ("npd_data_tables_sheet_notes_2018.csv", 35)} <= cited
    # the school-level census (list row 25): no note above its sheet, so school-level, with nothing disagreeing
    assert LISTED[25]["dataset"] == "School-level Census"
    assert not any("SC_Schools" in n["sheet"] for n in NOTED.values())
    schools = lines["Dataset:SC_Schools_06-07_to_17-18_SUM"]
    assert schools["schoolLevel"] and not schools["recordsDisputed"]
    assert OVERVIEW[25]["description"] in schools["levelSaid"] and DISAGREE not in schools["levelSaid"]
    # a pupil-level data set: nothing said of a level
    ks2 = lines["Dataset:KS2_95-96_to_17-18"]
    assert (ks2["schoolLevel"], ks2["recordsDisputed"], ks2["levelSaid"]) == (False, False, None)


def test_the_letter_lists_apart_the_data_sets_whose_sources_disagree(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = printed_letter(snapshot, capsys, 2013, 2018)
    part = text[text.index("Data sets whose sources disagree whether they hold pupils' records") :]
    part = part[: part.index("\n\n", part.index("- "))]
    note = NOTED[33]  # the Key Stage 5 performance tables of 2005/06 to 2015/16, listed as row 28
    assert (note["sheet"], LISTED[28]["dataset"]) == ("SLD-KS5_PT_05-06_to_15-16", "Key Stage 5 Performance Tables")
    (line,) = [x for x in part.splitlines() if x.startswith(f"- {note['dataset_title']} (SLD-KS5 PT 05-06 to 15-16)")]
    assert f"\u201c{LISTED[28]['dataset']}\u201d" in line and f"\u201c{note['note_text']}\u201d" in line
    assert DISAGREE in line
    assert "School-level Census" not in part  # no note disagrees on the census of schools


def test_the_letter_words_one_academic_year_as_that_year(snapshot: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The overview gives the Key Stage 5 performance tables of 2016/17 alone (tab 'SLD-KS5 PT 16-17', row 31): its
    line in the letter had read "2016/17 to 2016/17", and so had a letter asking about that year alone."""
    tab, note = OVERVIEW[31], NOTED[34]
    year = tab["description"].rsplit(" ", 1)[1]
    assert (tab["tab_name"], note["sheet"], year) == ("SLD-KS5 PT 16-17", "SLD-KS5_PT_16_17", "2016/17")
    text = printed_letter(snapshot, capsys, 2016, 2016)
    assert f"(URN {URN}), in the academic year {year}." in text
    (line,) = [x for x in text.splitlines() if x.startswith(f"- {note['dataset_title']} ({tab['tab_name']})")]
    assert line.startswith(f"- {note['dataset_title']} ({tab['tab_name']}), {year}: ")
    assert f"{year} to {year}" not in text


#: The Home Office, named for its monthly exchange and the records DfE returned to it, refused to say whether pupil
#: data went on beyond it (a requester's account): the gaps answer counted it, the letter and /reach did not, so a
#: parent read its silence as nothing having gone on.
(REFUSAL,) = [r for r in rows("npd_flows_2018_onward.csv") if r["kind"] == "foi_refused"]


async def test_record_reach_says_what_a_body_it_names_refused_to_say(ask: Any) -> None:
    assert REFUSAL["from_organisation"] == "Home Office" and REFUSAL["source_kind"] == "requester"
    data = (await ask("record-reach", urn=URN, fromYear=2012, toYear=2016, first=100))["recordReach"]
    (said,) = data["refusedToSay"]
    assert (said["about"]["node"]["name"], said["statement"]["quote"]) == ("Home Office", REFUSAL["quote"])
    assert said["statement"]["certainty"]["level"] == "REPORTED" and said["statement"]["citations"]


def test_the_letter_says_what_a_body_it_names_refused_to_say(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = printed_letter(snapshot, capsys)
    part = text[text.index("What bodies named here refused to say") :]
    note = f" (the compiler's note: {REFUSAL['notes']})"  # the request's status line: 'refused by Home Office'
    assert f"Home Office: asked, and it refused to say: \u201c{REFUSAL['quote']}\u201d{note}; reported" in part


async def test_a_group_pages_on_by_itself(ask: Any) -> None:
    first = (await ask("record-reach", urn=URN, fromYear=2012, toYear=2016, first=1))["recordReach"]
    group = max(first["groups"], key=lambda g: g["releases"]["totalCount"])
    after = group["releases"]["pageInfo"]["endCursor"]
    page = (await ask("record-reach", urn=URN, fromYear=2012, toYear=2016, first=100, group=group["label"],
                      after=after))["recordReach"]  # fmt: skip
    (only,) = page["groups"]
    assert only["label"] == group["label"] and len(only["releases"]["nodes"]) == group["releases"]["totalCount"] - 1


async def test_an_unknown_group_or_a_cursor_that_is_none_of_ours_is_refused(real_store: Store) -> None:
    """The probe's cases: an unknown group and a garbage cursor answered an empty list, as if nothing went."""
    query = (QUERIES / "record-reach.graphql").read_text()
    years = {"urn": URN, "fromYear": 2012, "toYear": 2016}
    cases = [
        ({"group": "Aliens"}, "unknown group 'Aliens': a group is one of Charities and think tanks, Companies, "),
        ({"group": "Companies", "after": "garbage"}, "after: 'garbage' is not a cursor from this API"),
        ({"group": "Courts", "after": hostile.cursor("offset:3")}, None),  # a group this answer has not: empty
        ({"after": hostile.cursor("offset:3")}, "after pages one group of recipients: give its label as group too"),
        *(({"group": "Companies", "after": cursor}, "is not a cursor from this API") for cursor in hostile.CURSORS),
    ]
    async with make_client(real_store) as http:
        for variables, message in cases:
            body = (await http.post("/graphql", json={"query": query, "variables": {**years, **variables}})).json()
            if message is None:
                assert "errors" not in body and body["data"]["recordReach"]["groups"] == [], variables
                continue
            (error,) = body["errors"]
            assert body["data"] is None and error["extensions"]["code"] == "BAD_USER_INPUT", variables
            assert error["message"].startswith(message) or message in error["message"], (variables, error)


async def test_the_letter_takes_no_name_and_lists_the_register_references(ask: Any) -> None:
    data = (await ask("letter", urn=URN, fromYear=2012, toYear=2016, format="txt"))["letter"]
    sent = ("approved", "listed as recipient")
    references = {r["reference"] for r in REGISTER if r["reference"] and r["status_as_cited"].startswith(sent)}
    assert references and references <= set(data["references"])
    assert data["namePlaceholder"] in data["text"] and "Article 15" in data["text"]
    assert next(r["source_url"] for r in REGISTER if r["reference"] == "DR170518.02") in data["text"]


async def test_the_letter_field_has_no_argument_for_a_name(real_store: Store) -> None:
    query = '{ __type(name: "Query") { fields { name args { name } } } }'
    async with make_client(real_store) as http:
        fields = (await http.post("/graphql", json={"query": query})).json()["data"]["__type"]["fields"]
    (field,) = [f for f in fields if f["name"] == "letter"]
    assert {a["name"] for a in field["args"]} == {"urn", "fromYear", "toYear", "format"}


@pytest.fixture(scope="module")
def snapshot(memory_real: MemoryStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("builds") / "graph.snapshot"
    memory_real.save(path)
    return path


def letter_args(snapshot: Path, first: int = 2012, last: int = 2016) -> list[str]:
    """`lineage letter` for URN's school in the academic years first to last, from the snapshot."""
    return ["letter", "--store", f"memory:{snapshot}", "--urn", str(URN), "--from", str(first), "--to", str(last)]


def printed_letter(snapshot: Path, capsys: pytest.CaptureFixture[str], first: int = 2012, last: int = 2016) -> str:
    """What `lineage letter` (letter_args) prints, once it has exited 0."""
    assert main(letter_args(snapshot, first, last)) == 0
    return capsys.readouterr().out


def test_lineage_letter_prints_a_letter_naming_a_release_reference_with_sources(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = printed_letter(snapshot, capsys)
    row = next(r for r in REGISTER if r["reference"] == "DR170518.02")
    assert "DR170518.02" in text and row["source_url"] in text and "Sources" in text
    assert letter.NAME_PLACEHOLDER in text  # no name typed: a blank, never a made-up one
    assert main([*letter_args(snapshot), "--name", "Ada <b>Lovelace</b>", "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert "Ada &lt;b&gt;Lovelace&lt;/b&gt;" in page and "<b>Lovelace" not in page


@pytest.mark.parametrize(
    ("name", "character"),
    [
        ("Ada\x1b[31m Lovelace", "the control character U+001B"),
        ("Ada\nDear Sir", "the control character U+000A"),
        # round ten: taken as a space, where the importers refuse it in a cell
        ("Ada\u2028Lovelace", "the line separator U+2028"),
        ("Ada\u2029Lovelace", "the paragraph separator U+2029"),
        # reorders what shows, as the importers refuse it in a source's cell (lineage.characters)
        ("Ada \u202eecalevoL", "the invisible format character U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        # shows nothing between Latin letters
        (
            "Ada Love\u200dlace",
            "the invisible format character U+200D (ZERO WIDTH JOINER), outside a word of a script it shapes",
        ),
    ],
)
def test_lineage_letter_refuses_a_name_holding_a_control_character(
    snapshot: Path, capsys: pytest.CaptureFixture[str], name: str, character: str
) -> None:
    """A pasted terminal escape, a line break or a right-to-left override went into the letter as it was."""
    args = letter_args(snapshot)
    assert main([*args, "--name", name]) == 1
    out, err = capsys.readouterr()
    assert not out
    assert err == f"lineage: the name holds {character}: type it as plain text on one line\n"


def test_lineage_letter_refuses_a_name_before_it_reads_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped name was refused only once the whole record had been read and the letter's answer found
    (about a second each time on the real graph): it is checked first, so even a store not there yet is not
    the error given."""
    assert main([*letter_args(tmp_path / "none.snapshot"), "--name", "Ada\nDear Sir"]) == 1
    out, err = capsys.readouterr()
    assert not out
    assert err == "lineage: the name holds the control character U+000A: type it as plain text on one line\n"


def test_lineage_letter_takes_a_name_whose_script_needs_a_joiner(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Persian name written with its non-joiners ("Fatemeh-Zahra Mina", as a parent types it in Persian)
    was refused as holding an invisible format character."""
    name = "\u0641\u0627\u0637\u0645\u0647\u200c\u0632\u0647\u0631\u0627 \u0645\u06cc\u200c\u0646\u0627"
    args = letter_args(snapshot)
    assert main([*args, "--name", name]) == 0
    out, err = capsys.readouterr()
    assert name in out and letter.NAME_PLACEHOLDER not in out and not err


def test_lineage_letter_refuses_a_name_longer_than_a_letter_takes(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hostile-input reading, round two: a 100,000-character name made a letter of 142 KB. A full name with
    room to spare (NAME_LIMIT) is taken; one character more is refused, saying so, as /reach refuses it."""
    args = letter_args(snapshot)
    assert main([*args, "--name", "A" * letter.NAME_LIMIT]) == 0
    capsys.readouterr()
    assert main([*args, "--name", "A" * (letter.NAME_LIMIT + 1)]) == 1
    capsys.readouterr()
    # spaces count as one wherever they are, in every format (the HTML letter had taken 100,000 of them)
    assert main([*args, "--name", "A B", "--format", "html"]) == 0
    plain = capsys.readouterr().out
    assert main([*args, "--name", "A" + " " * 100_000 + "B", "--format", "html"]) == 0
    assert capsys.readouterr().out == plain
    assert main([*args, "--name", "A" * (letter.NAME_LIMIT + 1)]) == 1
    out, err = capsys.readouterr()
    limit = letter.NAME_LIMIT
    assert not out
    assert err == f"lineage: the name is {limit + 1} characters long: a letter takes one of {limit} at most\n"


def test_lineage_diff_of_a_build_against_itself_prints_no_change(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(snapshot), f"memory:{snapshot}"]) == 0
    out = capsys.readouterr().out
    released = len([r for r in REGISTER if r["status_as_cited"].startswith(("approved", "listed as recipient"))])
    assert out.startswith("no change:") and f"{released + 1} releases" in out  # + the Home Office's monthly one


def test_diff_says_what_was_added_removed_and_changed_each_cited(empty_store: Store) -> None:
    """On the fictional fixture graph (synthetic, as a changed real graph would be invented), both stores."""
    old = MemoryStore()
    old.write(g.NODES, g.EDGES)
    empty_store.write(g.NODES, g.EDGES)
    cite = Citation("A test register", "test.csv", 2, "https://example.org/register")
    added = Node(NodeKind.RELEASE, "DS99999", "DS99999: Test Ltd", {"reference": "DS99999"}, frozenset({cite}),
                 synthetic=True)  # fmt: skip
    empty_store.write([added], [Edge(g.R2, EdgeKind.SENT_TO, g.O3, citations=frozenset({cite}))])
    answer = diff(old, empty_store)
    assert {(c.change, c.node.id) for c in answer.changes} == {("added", added.id), ("changed", g.R2)}
    assert next(c for c in answer.changes if c.node.id == g.R2).fields == ("SENT_TO",)
    assert "source: A test register, test.csv, row 2: https://example.org/register" in format_diff(answer)
    back = diff(empty_store, old).changes
    assert {(c.change, c.node.id) for c in back} == {("removed", added.id), ("changed", g.R2)}
    assert format_diff(diff(old, old)).startswith("no change:")


async def test_the_atom_feed_reads_in_a_feed_parser_newest_first(real_store: Store) -> None:
    async with make_client(real_store) as http:
        response = await http.get("/feeds/releases.atom")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.text)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.title and feed.entries
    updated = [entry.updated_parsed for entry in feed.entries]
    assert updated == sorted(updated, reverse=True)
    newest = max(dt.date.fromisoformat(r["date_as_cited"]) for r in REGISTER if r["date_as_cited"][:4].isdigit()
                 and len(r["date_as_cited"]) == 10 and r["status_as_cited"] != "rejected")  # fmt: skip
    releases = [e for e in feed.entries if e.title.startswith("Release")]
    assert releases[0].updated.startswith(newest.isoformat())
    assert all(e.link.startswith("http://test/explore?view=node") and e.id.startswith("urn:uuid:") for e in releases)
    assert all("Sources:" in e.content[0].value for e in feed.entries)


async def test_the_reach_page_asks_only_the_cookbook_and_loads_only_the_apps_files(real_store: Store) -> None:
    from tests.lineage.api.test_explore_page import Assets, imported_from, module_graph, on_disk

    async with make_client(real_store) as http:
        page = await http.get("/reach")
        parser = Assets()
        parser.feed(page.text)
        local = [url for url in parser.urls if not url.startswith("data:")]
        assert page.status_code == 200 and set(local) == {
            "/reach/reach.css", "/reach/reach.js", "/feeds/releases.atom", "/static/favicon.svg"
        }  # fmt: skip
        assert parser.modules == ["/reach/reach.js"]
        for url in local:
            assert (await http.get(url)).status_code == 200, url
        for name in ("explore.js", "reach.html", "..%2Fexplore.js", "nothing.js"):  # its own files only
            assert (await http.get(f"/reach/{name}")).status_code == 404, name
        modules = await module_graph(http, "/reach/reach.js")
        own = {url.removeprefix("/reach/") for url in modules if url.startswith("/reach/")}
        assert len(modules) == len(own) + len(imported_from(modules, "shared"))  # its own, and the shared ones
        # a module written but not listed is never served; one listed but not imported is dead
        assert own == {name for name in REACH_FILES if name.endswith(".js")} == on_disk("reach")
        script = modules["/reach/reach.js"]
        named = set(re.findall(r'"([a-z-]+)"', script.split("];", 1)[0].split("OPERATIONS = [", 1)[1]))
        assert named == {"school-search", "record-reach", "timeline", "letter"}
        for name in named:  # each one source, served as the explorer's are
            served = await http.get(f"/cookbook/{name}.graphql")
            assert served.status_code == 200 and served.text == (QUERIES / f"{name}.graphql").read_text()
        for url, text in modules.items():
            assert not re.search(r"https?://|\bquery [A-Z]", text), url  # no copy of an operation, no other host
            assert text.startswith("// "), f"{url} opens without its header comment"


async def test_applications_without_an_outcome_are_listed_apart_never_as_releases(ask: Any) -> None:
    """URN 131768, 2012-2016: no application is a release, HMRC's DS00638 (a reference alone) among none of them;
    each application without an outcome is listed apart, and the letter asks DfE about it."""
    no_outcome = ("submitted", "application", "pending")
    applied = {r["reference"] for r in REGISTER if r["reference"] and r["status_as_cited"].startswith(no_outcome)}
    assert {"DS00804", "DS00638", "DR161003.02"} <= applied
    data = (await ask("record-reach", urn=URN, fromYear=2011, toYear=2016, first=100))["recordReach"]
    released = {n["reference"] for g in data["groups"] for n in g["releases"]["nodes"]}
    assert not applied & released
    listed = {a["application"]["reference"] for a in data["applications"]}
    assert applied <= listed
    hmrc = next(a for a in data["applications"] if a["application"]["reference"] == "DS00638")
    assert [n["node"]["name"] for n in hmrc["applicants"]] == ["HMRC (His Majesty's Revenue and Customs)"]
    letter_text = (await ask("letter", urn=URN, fromYear=2012, toYear=2016, format="txt"))["letter"]["text"]
    releases_part, applications_part = letter_text.split(APPLICATIONS)
    assert "DS00638" not in releases_part and "DS00638" in applications_part


async def test_an_arrangement_or_policy_no_release_came_of_is_asked_about_as_without_an_outcome(ask: Any) -> None:
    """The reading of answers' case: the Home Office's 2013 pilot study with DfE, and DfE's guidance that it 'may
    also share' pupil data with the ONS, were neither releases nor applications without an outcome, so the letter
    and /reach left them out for a pupil of 2012-2016. They are listed with the applications, to be asked about;
    the monthly exchange, which the record gives as a release, is not."""
    more = rows("npd_register_entries_more.csv")
    pilot, policy = more[21 - 2], more[24 - 2]
    assert pilot["status_as_cited"] == "pilot study" and pilot["date_as_cited"] == "2013"
    assert policy["status_as_cited"] == "'may also share'"
    data = (await ask("record-reach", urn=URN, fromYear=2012, toYear=2016, first=100))["recordReach"]
    listed = {(a["application"]["statusAsCited"], a["application"]["dateAsCited"]) for a in data["applications"]}
    assert {(pilot["status_as_cited"], pilot["date_as_cited"]), (policy["status_as_cited"], None)} <= listed
    assert not any(a["application"]["statusAsCited"] == "the monthly exchange" for a in data["applications"])
    text = (await ask("letter", urn=URN, fromYear=2012, toYear=2016, format="txt"))["letter"]["text"]
    part = text.split(APPLICATIONS)[1].split("Other disclosures")[0]
    assert "status as cited: pilot study" in part and "status as cited: 'may also share'" in part


async def test_a_body_not_given_an_item_is_said_so_as_of_the_day_its_source_says_it(ask: Any) -> None:
    """The reading of answers' case: 'Home Office: not available to it: information on nationality' came undated,
    as if for ever, though written answer 48634 says it as of 27 October 2016 (statement_dates.csv), after a
    memorandum that planned to hand nationality over once collected (row 37). The seventh reading: it is about the
    "Home Office and police"; one statement about two bodies is listed once, and was named for the Home Office
    alone, narrowing what DfE said."""
    statement = rows("npd_release_scope_statements.csv")[38 - 2]
    assert statement["statement"] == "not_available" and statement["date_as_cited"] == ""
    (dated,) = [
        r for r in rows("statement_dates.csv") if (r["file"], r["row"]) == ("npd_release_scope_statements.csv", "38")
    ]
    text = (await ask("letter", urn=URN, fromYear=2012, toYear=2016, format="txt"))["letter"]["text"]
    part = text.split("What the record says was not released")[1].split("Please reply")[0]
    (line,) = [line for line in part.splitlines() if statement["quote"] in line]
    assert statement["organisation"] == "Home Office and police"
    assert line.startswith(f"- Home Office and police (as of {dated['date']}): not available to it"), line
    # /reach gives it so too (StatedScope.asOf), and one about a release is dated by the release
    data = (await ask("record-reach", urn=URN, fromYear=2012, toYear=2016, first=100))["recordReach"]
    as_of = {s["about"]["node"]["name"]: s["asOf"] for s in data["notReleased"]}
    assert as_of["Home Office"] == dated["date"]
    assert all(when is None for name, when in as_of.items() if name != "Home Office"), as_of
    assert {s["subject"] for s in data["notReleased"] if s["statement"]["quote"] == statement["quote"]} == {
        statement["organisation"]
    }


async def test_the_letter_asks_for_the_learning_records_service_record_citing_the_reprimand(ask: Any) -> None:
    """The LRS (learners from age 14) is not the NPD: the letter asks DfE for that record too, should the child have
    been 14 or over, and lists the ICO's reprimand of November 2022 with its source (the flows file)."""
    from tests.lineage.api.test_cookbook import rows

    reprimand = [r for r in rows("npd_flows_2018_onward.csv") if r["kind"] == "oversight" and "reprimand" in r["quote"]]
    assert reprimand
    data = (await ask("record-reach", urn=URN, fromYear=2012, toYear=2016))["recordReach"]
    assert data["learnerRecords"]["recordSet"]["name"].startswith("Learning Records Service")
    text = (await ask("letter", urn=URN, fromYear=2012, toYear=2016, format="txt"))["letter"]["text"]
    part = text.split("The Learning Records Service")[1]
    assert "14 or over" in part
    # the date is the article's (the row's notes), said once, with what it is: not the reprimand's own day
    assert all("date is the article date" in r["notes"] for r in reprimand)
    lines = [line for line in part.splitlines() if line.startswith("- 2022-11-09")]
    assert lines and all(line.startswith("- 2022-11-09 (the article's date") for line in lines)
    assert all(line.count("2022-11-09") == 1 for line in lines)
    assert any(r["source_url"] in text for r in reprimand)


async def test_an_access_to_the_learning_records_service_is_asked_about_only_under_its_age_condition(ask: Any) -> None:
    """A campaigner's reading: Trustopia's searches of the LRS (learners from age 14; 'The LRS is not the NPD', the
    row's notes) were listed among the NPD's other disclosures, with no age condition, in a letter about a primary
    school in 2017 to 2020. They belong under the LRS's own part, which asks only should the child have been 14."""
    from tests.lineage.api.test_cookbook import rows

    (access,) = [
        r
        for r in rows("npd_flows_2018_onward.csv")
        if r["kind"] == "access_granted" and "LRS" in r["dataset_as_written"]
    ]
    assert "The LRS is not the NPD" in access["notes"] and access["figure"] == "22,000"
    data = (await ask("record-reach", urn=URN, fromYear=2017, toYear=2020, first=100))["recordReach"]
    assert not [d for d in data["disclosures"] if access["figure"] in d["text"]]
    (listed,) = [d for d in data["learnerRecords"]["accesses"] if access["figure"] in d["text"]]
    assert access["source_url"] in {c["address"] for c in listed["to"]["link"]["citations"]}
    text = (await ask("letter", urn=URN, fromYear=2017, toYear=2020, format="txt"))["letter"]["text"]
    others, learners = text.split("Other disclosures the record names")[1].split("The Learning Records Service")
    assert access["figure"] not in others
    condition, *listed_lines = learners.split("\n- ")
    assert "If my child was 14 or over" in condition
    assert any(line.startswith(f"{access['date_as_cited']}: ") for line in listed_lines)


async def test_an_application_a_source_says_data_went_under_is_quoted_not_called_silent(ask: Any) -> None:
    """The audit's case: the register (as a campaigner cites it) gives AQA's entry of October 2013 no outcome,
    yet the same campaigner says KS2 data went to AQA; the letter said the record was silent on whether data
    went, and gave "no date in the record" for "October 2013". Both answers now quote what the source says."""
    more = rows("npd_register_entries_more.csv")
    (aqa_entry,) = [r for r in more if r["organisation"] == "AQA"]
    assert aqa_entry["status_as_cited"] == "" and aqa_entry["date_as_cited"] == "October 2013"
    said = [r for r in STATEMENTS if r["organisation"] == "AQA" and r["statement"] == "released"]
    assert said
    data = (await ask("record-reach", urn=URN, fromYear=2012, toYear=2016, first=100))["recordReach"]
    (aqa,) = [a for a in data["applications"] if [n["node"]["name"] for n in a["applicants"]] == ["AQA"]]
    assert aqa["application"]["dateAsCited"] == "October 2013" and aqa["application"]["statusAsCited"] is None
    assert {s["statement"]["quote"] for s in aqa["statements"]} == {r["quote"] for r in said}
    assert {s["kind"] for s in aqa["statements"]} == {"released"}
    text = (await ask("letter", urn=URN, fromYear=2012, toYear=2016, format="txt"))["letter"]["text"]
    applications_part = text.split(APPLICATIONS)[1]
    (line,) = [line for line in applications_part.splitlines() if "by AQA" in line]
    assert "dated as cited: October 2013" in line and "status: not stated" in line
    assert "released to it" in line and said[0]["quote"] in line
    assert "without saying whether data was released" not in text


async def test_the_letter_marks_a_contested_statement_as_contested(ask: Any) -> None:
    """The audit's case: the Telegraph's 'not released' statements, which data/conflicts.csv says another
    source disagrees with, were quoted in the letter as settled (the /reach page marked them)."""
    conflicts = [r for r in rows("conflicts.csv") if r["file"] == "npd_release_scope_statements.csv"]
    contested_rows = {int(r["row"]) for r in conflicts} | {int(r["contradicted_by_row"]) for r in conflicts}
    not_released = [
        (n, r)
        for n, r in enumerate(STATEMENTS, start=2)
        if r["statement"] == "not_released" and "Telegraph" in r["organisation"]
    ]
    assert not_released and any(n in contested_rows for n, _ in not_released)
    data = (await ask("record-reach", urn=URN, fromYear=2011, toYear=2016, first=100))["recordReach"]
    marked = {s["statement"]["quote"] for s in data["notReleased"] if s["contested"]}
    text = (await ask("letter", urn=URN, fromYear=2011, toYear=2016, format="txt"))["letter"]["text"]
    part = text.split("What the record says was not released")[1]
    for n, r in not_released:
        (line,) = {line for line in part.splitlines() if r["quote"] in line and "Telegraph" in line}
        assert ("(contested: another cited source disagrees)" in line) is (n in contested_rows), (n, line)
        assert (r["quote"] in marked) is (n in contested_rows)


async def test_the_letter_and_reach_name_the_disclosures_that_are_not_releases(ask: Any) -> None:
    """The audit's case: the letter left out the police's 62 pupils of 2012-2016 (HCWS272) and a police force's
    access of November 2019 to 2,136 pupils, because neither is a release. Both now come, each only for years
    whose data were in the NPD by its end: the police's figures of 2012 to 2016 are not asked about for 2018/19."""
    figures = rows("npd_sharing_figures_compiled.csv")
    (police,) = [r for r in figures if r["measure"] == "pupils whose information was shared (corrected)"]
    assert (police["value"], police["period"]) == ("62", "2012-04..2016-10")
    flows = rows("npd_flows_2018_onward.csv")
    (access,) = [r for r in flows if r["date_as_cited"] == "2019-11" and r["kind"] == "access_granted"]
    assert access["figure"] == "2,136"
    for years, present, absent in (((2012, 2016), ["62", "2,136"], []), ((2018, 2021), ["2,136"], ["62"])):
        data = (await ask("record-reach", urn=URN, fromYear=years[0], toYear=years[1], first=100))["recordReach"]
        said = [d["text"] for d in data["disclosures"]]
        assert all(d["to"]["link"]["citations"] for d in data["disclosures"])
        text = (await ask("letter", urn=URN, fromYear=years[0], toYear=years[1], format="txt"))["letter"]["text"]
        part = text.split("Other disclosures the record names")[1]
        for figure in present:
            assert any(f": {figure} pupils" in line for line in said) and f": {figure} pupils" in part, (years, figure)
        for figure in absent:
            assert not any(f": {figure} pupils" in line for line in said) and f": {figure} pupils" not in part


async def test_each_disclosure_says_what_kind_of_source_it_rests_on(ask: Any) -> None:
    """The reading of answers' case: the letter called every disclosure a published figure of what the Department
    passed on, and put a requester's own words (a police force's access of November 2019, the request's words, DfE's
    answer not read) beside HCWS272's corrected count as if both were DfE's. Each now says how sure it is, as its
    source kind gives it (data/source_kinds.csv)."""
    kinds = {r["source_begins"]: r["certainty"] for r in rows("source_kinds.csv")}
    flows = rows("npd_flows_2018_onward.csv")
    (access,) = [r for r in flows if r["date_as_cited"] == "2019-11" and r["kind"] == "access_granted"]
    figures = rows("npd_sharing_figures_compiled.csv")
    (police,) = [r for r in figures if r["measure"] == "pupils whose information was shared (corrected)"]
    expected = {
        f": {access['figure']} pupils": kinds[access["source_kind"]],
        f": {police['value']} pupils": next(
            level for begins, level in kinds.items() if police["source"].startswith(begins)
        ),
    }
    assert expected == {": 2,136 pupils": "reported", ": 62 pupils": "confirmed"}
    data = (await ask("record-reach", urn=URN, fromYear=2012, toYear=2016, first=100))["recordReach"]
    text = (await ask("letter", urn=URN, fromYear=2012, toYear=2016, format="txt"))["letter"]["text"]
    part = text.split("Other disclosures the record names")[1].split("The Learning Records Service")[0]
    assert "published figures" not in part
    for figure, level in expected.items():
        words = CERTAINTY_WORDS[CertaintyLevel(level)]
        (disclosure,) = [d for d in data["disclosures"] if figure in d["text"]]
        assert disclosure["certaintyWords"] == words
        (line,) = [line for line in part.splitlines() if figure in line]
        assert line.split(" [")[0].endswith(f"; {words}"), line


async def test_an_application_by_a_group_names_it_as_the_register_words_it(ask: Any) -> None:
    """The audit's case: DS00565's register row names 'Local Authorities', a group rather than one body, so no
    MADE_BY is drawn, and the letter said 'applicant not named'."""
    (row,) = [r for r in REGISTER if r["reference"] == "DS00565"]
    assert row["organisation"] == "Local Authorities"
    data = (await ask("record-reach", urn=URN, fromYear=2012, toYear=2016, first=100))["recordReach"]
    (entry,) = [a for a in data["applications"] if a["application"]["reference"] == "DS00565"]
    assert entry["applicants"] == [] and entry["application"]["applicantAsCited"] == row["organisation"]
    text = (await ask("letter", urn=URN, fromYear=2012, toYear=2016, format="txt"))["letter"]["text"]
    (line,) = [line for line in text.splitlines() if line.startswith("- DS00565")]
    assert f"by {row['organisation']} (as the register words it" in line and "applicant not named" not in line


async def test_an_application_whose_sources_date_what_went_before_the_years_is_marked_not_dropped(ask: Any) -> None:
    """The audit's case: for a pupil of 2015/16 the letter and /reach asked about the Cabinet Office's extraction of
    "June 2011, and 2013", AQA's of October 2013 and the Institute of Education's of February 2014 as about any
    other, though their sources date what went before 2015/16's data entered the NPD (1 September 2016). They are
    marked so, not dropped: a source may name an arrangement's first extractions only, and none says it ended.
    An application with no source dating what went (the Bell Foundation's entry of 13 June 2017) is not marked:
    data go after an application, so its own date says nothing of when they went."""
    statements = rows("npd_release_scope_statements.csv")
    went: dict[str, list[int]] = {}  # applicant -> the years its "released" statements' dates end in
    for r in statements:
        if r["statement"] == "released" and r["organisation"] in {
            "AQA",
            "Institute of Education (IoE)",
            "Cabinet Office",
        }:
            went.setdefault(r["organisation"], []).append(
                max(int(y) for y in re.findall(r"\b(\d{4})\b", r["date_as_cited"]))
            )
    assert {name: max(years) for name, years in went.items()} == {
        "AQA": 2013,
        "Institute of Education (IoE)": 2014,
        "Cabinet Office": 2013,
    }  # all before 2016, when 2015/16's data entered the NPD
    more = rows("npd_register_entries_more.csv")
    (bell,) = [r for r in more if r["reference"] == "DR170330.03"]
    assert bell["date_as_cited"].endswith("2017") and not bell["status_as_cited"]
    assert not [r for r in statements if r["reference"] == "DR170330.03"]
    for years, marked, those in (((2015, 2015), True, "that year"), ((2012, 2016), False, "those years")):
        data = (await ask("record-reach", urn=URN, fromYear=years[0], toYear=years[1], first=100))["recordReach"]
        by_applicant = {n["node"]["name"]: a for a in data["applications"] for n in a["applicants"]}
        text = (await ask("letter", urn=URN, fromYear=years[0], toYear=years[1], format="txt"))["letter"]["text"]
        part = text.split(APPLICATIONS)[1].split("Other disclosures")[0]
        for name in went:
            assert by_applicant[name]["wentBeforeTheYears"] is marked, (years, name)
            (line,) = [line for line in part.splitlines() if f"by {name};" in line]
            assert (f"before data of {those} were in the NPD" in line) is marked, (years, line)
        assert "DR170330.03" in {a["application"]["reference"] for a in data["applications"]}
        (bells,) = [a for a in data["applications"] if a["application"]["reference"] == "DR170330.03"]
        assert bells["wentBeforeTheYears"] is False


async def test_a_school_succeeded_before_or_during_the_years_asked_is_said_so(ask: Any) -> None:
    """The campaigner's reading: the letter for URN 131768 named it as the school 'in the academic years 2012/13 to
    2016/17', though GIAS records it succeeded by URN 135943 on 31 August 2011. The letter and /reach now say when,
    from the links file's own row; a split, after which a school may go on, says nothing of the kind."""
    ((successor, day),) = [
        (int(r["LinkURN"]), dt.datetime.strptime(r["LinkEstablishedDate"], "%d-%m-%Y").date())
        for r in LINKS
        if r["URN"] == str(URN) and r["LinkType"] == "Successor" and r["LinkEstablishedDate"]
    ]
    said = f"as succeeded by {next(r['LinkName'] for r in LINKS if r['LinkURN'] == str(successor))} (URN {successor})"
    dated = f"dating the link {day.day} {day:%B %Y}"
    assert day < dt.date(2012, 9, 1)
    for years, when in (((2012, 2016), "before the years asked"), ((2010, 2016), "during the years asked")):
        variables = {"urn": URN, "fromYear": years[0], "toYear": years[1]}
        text = (await ask("letter", **variables))["letter"]["text"]
        note = (await ask("record-reach", **variables))["recordReach"]["schoolNote"]
        assert said in note and dated in note and when in note, note
        assert note in " ".join(text.split())  # the letter says it as /reach does

    # in 2017 to 2020 the school it became had itself been succeeded, and its successor split: each is said
    # (the campaigner's reading of the years after 2018), from the links file's rows
    def link(urn: int, kind: str) -> tuple[int, dt.date]:
        (row,) = [r for r in LINKS if r["URN"] == str(urn) and r["LinkType"] == kind and r["LinkEstablishedDate"]]
        return int(row["LinkURN"]), dt.datetime.strptime(row["LinkEstablishedDate"], "%d-%m-%Y").date()

    second, second_day = link(successor, "Successor")
    third, third_day = link(second, "Successor - Split School")
    note = (await ask("record-reach", urn=URN, fromYear=2017, toYear=2020))["recordReach"]["schoolNote"]
    assert f"URN {successor} as succeeded by" in note and f"(URN {second}), dating the link {second_day.day} " in note
    assert f"URN {second} as split, " in note and f"(URN {third}) being a school split from it" in note
    assert (
        f"{third_day.day} {third_day:%B %Y}, during the years asked" in note and "after a split either school" in note
    )
    # the school it became was succeeded after 2016/17 (31 August 2017): nothing to say for 2012 to 2016
    assert (await ask("record-reach", urn=successor, fromYear=2012, toYear=2016))["recordReach"]["schoolNote"] is None
    # a school whose only successors are splits may go on after them: nothing to say
    successors: dict[str, set[str]] = {}
    for r in LINKS:
        if r["LinkType"].startswith("Successor"):
            successors.setdefault(r["URN"], set()).add(r["LinkType"])
    split = next(
        r
        for r in LINKS
        if successors.get(r["URN"]) == {"Successor - Split School"}
        and r["LinkType"] == "Successor - Split School"
        and r["LinkEstablishedDate"]
    )
    later = int(split["LinkEstablishedDate"][-4:]) + 1
    reach = (await ask("record-reach", urn=int(split["URN"]), fromYear=later, toYear=later + 1))["recordReach"]
    assert reach["schoolNote"] is None


def test_a_school_gias_links_both_ways_is_not_said_to_have_succeeded_it(real_store: Store) -> None:
    """The review's case: GIAS gives some pairs of schools each as the other's predecessor (Mount House School and
    Mount Kelly, amalgamated on 22 January 2015); the note said one had been succeeded by the other, an order the
    record does not give."""
    before = {(r["URN"], r["LinkURN"]) for r in LINKS if r["LinkType"].startswith("Predecessor")}
    looped = sorted({(int(a), int(b)) for a, b in before if (b, a) in before})
    assert (113573, 113572) in looped
    for urn, other in looped:
        reach = questions.record_reach(real_store, urn, 2012, 2020)
        assert reach.school_note is None or f"(URN {other})" not in reach.school_note, (urn, reach.school_note)


async def test_the_letter_and_reach_name_the_linked_data_sets_for_a_parent_to_ask_about(ask: Any) -> None:
    """The campaigner's reading after 2018: a parent asking about 2017 to 2020 was told nothing of LEO, Pupil Parent
    Matched Data or the MoJ-DfE linked set, though the record names them and who holds them or is party to them
    (DWP is sent the identifiers LEO is linked on). Each is listed, as /reach and the letter alike say it."""
    flows = rows("npd_flows_2018_onward.csv")
    linked = [r for r in flows if r["kind"] == "linked_dataset"]
    assert linked
    variables = {"urn": URN, "fromYear": 2017, "toYear": 2020}
    reach = (await ask("record-reach", **variables))["recordReach"]
    text = " ".join((await ask("letter", **variables))["letter"]["text"].split())
    said = [h["text"] for h in reach["linked"]]
    for row in linked:
        name = row["dataset_as_written"]
        assert any(name.split(" (")[0] in line for line in said), (name, said)
    sent = next(r for r in linked if "are sent to" in r["quote"])
    (leo_dwp,) = [line for line in said if line.startswith("Longitudinal Education Outcomes") and ": DWP," in line]
    assert "is sent personal identifiers" in leo_dwp and "Work and Pensions" in sent["to_organisation"]
    assert "Linked data sets the record names" in text and all(line in text for line in said)
    assert all(h["citations"] for h in reach["linked"])


async def test_dfe_s_policy_of_sharing_with_a_body_is_never_called_its_application(ask: Any) -> None:
    """A campaigner's reading: DfE's guidance 'We may also share selected individual pupil data with the Office for
    National Statistics' was listed as 'application by Office for National Statistics (ONS) (policy), by Office for
    National Statistics': the ONS applied for nothing. So too the Home Office's 2013 pilot, an arrangement."""
    from tests.lineage.api.test_cookbook import rows

    (policy,) = [r for r in rows("npd_register_entries_more.csv") if "may also share" in r["status_as_cited"]]
    assert policy["quote"].startswith("We may also share") and "Office for National Statistics" in policy["quote"]
    text = (await ask("letter", urn=URN, fromYear=2017, toYear=2020, format="txt"))["letter"]["text"]
    (line,) = [line for line in text.splitlines() if policy["status_as_cited"] in line]
    assert "application by" not in line and ", by " not in line
    assert "DfE's stated policy of sharing with Office for National Statistics" in line
    assert ", with Office for National Statistics;" in line


async def test_a_release_comes_with_what_sources_say_went_in_it_each_quote_once(ask: Any) -> None:
    """The parents' reading: BBC Newsnight's release of 2014 was listed "by the tier of data released", and the
    letter's only words on it were what did not go, though DfE's written answer lists the sensitive items it held;
    the Telegraph's gave only the denial of its contested items. Both now come with what sources say went, each
    quote once with the items it names (it is one statement per item in the graph), a contested one marked."""
    newsnight = [r for r in STATEMENTS if r["organisation"] == "BBC Newsnight" and r["statement"] == "released"]
    (quote,) = {r["quote"] for r in newsnight}
    telegraph = [r for r in STATEMENTS if "Telegraph" in r["organisation"] and r["statement"] == "released"]
    assert len(newsnight) == 5 and telegraph
    text = (await ask("letter", urn=URN, fromYear=2011, toYear=2016, format="txt"))["letter"]["text"]
    releases = text.split("Releases that may hold my child's record")[1].split(APPLICATIONS)[0]
    (line,) = [line for line in releases.splitlines() if "entry 2014-08-21: BBC Newsnight" in line]
    assert line.count(quote) == 1 and all(r["data_item_as_written"] in line for r in newsnight)
    assert "DfE, parliamentary written answer says: released to it: " in line
    (line,) = [line for line in releases.splitlines() if "entry 2013-02-20: Daily Telegraph" in line]
    for row in {r["quote"]: r for r in telegraph}.values():
        quoted, years = row["quote"], row["years_as_written"]
        assert line.count(quoted) == 1
        said = line.split(quoted)[1]
        for notes in {r["notes"] for r in telegraph if r["quote"] == quoted}:  # each of its rows' notes, once
            said = said.replace(f" (the compiler's note: {notes})", "", 1)
        given = f" (years, as the source gives them: {years})" if years else ""  # the row's own years, as it gives them
        assert said.startswith(f"\u201d{given} (contested: another cited source disagrees)"), said
    data = (await ask("record-reach", urn=URN, fromYear=2011, toYear=2016, first=100))["recordReach"]
    found = [
        r for g in data["groups"] for r in g["releases"]["nodes"] if r["release"]["name"] == "2014-08-21: BBC Newsnight"
    ]
    assert {s["statement"]["itemsAsWritten"] for s in found[0]["statements"]} == {
        r["data_item_as_written"] for r in newsnight
    }


async def test_a_release_says_the_kind_of_source_it_rests_on(ask: Any) -> None:
    """The seventh reading: the letter's releases gave how sure their items are ("items not published") and no word
    of what the release itself rests on, while the same register was "reported" under what was not released. Every
    register row in the bundled files is a requester's quote of DfE's register (source_kinds.csv: "requester
    quoting" is reported, the register-foi file's kind), never DfE's own register."""
    (kind,) = [r for r in rows("source_kinds.csv") if r["source_begins"] == "requester quoting"]
    words = CERTAINTY_WORDS[CertaintyLevel(kind["certainty"])]
    text = (await ask("letter", urn=URN, fromYear=2011, toYear=2016, format="txt"))["letter"]["text"]
    releases = text.split("Releases that may hold my child's record")[1].split(APPLICATIONS)[0]
    listed = [line for line in releases.splitlines() if line.startswith("- ")]
    assert listed and all(f"; its source: {words}" in line for line in listed)
    data = (await ask("record-reach", urn=URN, fromYear=2011, toYear=2016, first=100))["recordReach"]
    levels = {r["release"]["certainty"]["level"] for g in data["groups"] for r in g["releases"]["nodes"]}
    assert levels == {kind["certainty"].upper()}


async def test_what_a_source_says_went_to_a_recipient_naming_no_release_is_quoted_as_such(ask: Any) -> None:
    """DfE's written answer HL17037 says what is returned to the Home Office on a match; it names no release, so the
    monthly exchange is listed with it, said of the Home Office and naming no release, never as the exchange's
    items (those are still not published)."""
    returned = [r for r in STATEMENTS if r["organisation"] == "Home Office" and r["statement"] == "returned_on_match"]
    (quote,) = {r["quote"] for r in returned}
    text = (await ask("letter", urn=URN, fromYear=2015, toYear=2016, format="txt"))["letter"]["text"]
    (line,) = [line for line in text.splitlines() if "status: the monthly exchange" in line]
    assert "items not published" in line and line.count(quote) == 1
    # its start as the requester words it: the line had said "no date in the record" beside it
    (exchange,) = [r for r in rows("npd_register_entries_more.csv") if r["status_as_cited"] == "the monthly exchange"]
    assert f"dated as cited: {exchange['date_as_cited']};" in line and "no date in the record" not in line
    assert "DfE, parliamentary written answer says of Home Office, naming no release: returned to it on a match" in line


async def test_the_letter_does_not_say_undated_releases_cover_the_years(ask: Any) -> None:
    """The parents' reading: for 2019-2024 the letter said the record lists releases "covering" those years, and
    listed the register's undated recipients of its August 2017 edition. The record gives no date for them; the
    letter says so of them, and no longer says the releases cover the years."""
    undated = [r for r in REGISTER if r["status_as_cited"] == "listed as recipient" and not r["date_as_cited"]]
    assert len(undated) == 4
    text = (await ask("letter", urn=URN, fromYear=2019, toYear=2024, format="txt"))["letter"]["text"]
    assert "covering" not in text
    assert "those it dates were made once data of 2019/20 were in the NPD, and it gives no date" in text
    for entry in undated:
        (line,) = [line for line in text.splitlines() if line.startswith(f"- {entry['reference']}, to ")]
        assert "no date in the record" in line


async def test_one_year_asked_is_referred_back_to_as_that_year(ask: Any) -> None:
    """The twelfth reading: for a pupil of 2015/16 alone the letter said "those years" and "these years" (the data
    sets "which cover those years", the LRS "if my child was 14 or over in any of those years", what went "before
    these years were in the NPD"), as /reach did. A single year is "that year", wherever the letter or the page
    (thoseYears) refers back to it; a span is "those years". The Cabinet Office's, AQA's and the Institute of
    Education's sources date what went before 2015/16's data entered the NPD (npd_release_scope_statements.csv; see
    the test above), and the LRS and the school-level data sets are said for every year, so each wording is there."""
    for (first, last), those in (((2015, 2015), "that year"), ((2012, 2016), "those years")):
        data = (await ask("record-reach", urn=URN, fromYear=first, toYear=last, first=1))["recordReach"]
        assert data["thoseYears"] == those
        text = (await ask("letter", urn=URN, fromYear=first, toYear=last, format="txt"))["letter"]["text"]
        assert "these years" not in text and (first != last or "those years" not in text), (first, last)
        assert f"If my child was 14 or over at any time in {those}, " in text
        assert f"which cover {those} or give no years" in text
        # all three went before 2015/16's data entered the NPD, none before 2012/13's
        assert (f"before data of {those} were in the NPD" in text) is (first == last)
        assert f"once data of {first}/{(first + 1) % 100:02d} were in the NPD" in text


async def test_a_match_and_return_says_what_went_by_it_not_that_the_npd_went(ask: Any) -> None:
    """The twelfth reading: the Home Office's match and return (npd_flows_2018_onward.csv row 14, read as "match and
    return" in flow_readings.csv: DfE returns "information relating to those individuals") read in the letter and on
    /reach as "National Pupil Database (NPD) to Home Office (match and return): National Pupil Database (NPD)", as
    if the NPD itself went. It says what went by the route, as the OpenLineage export does, naming the route once:
    it had read "(match and return): match and return against National Pupil Database (NPD)"."""
    (matched,) = [r for r in rows("npd_flows_2018_onward.csv") if r["date_as_cited"] == "2019-07-19"]
    (reading,) = [r for r in rows("flow_readings.csv") if (r["file"], r["row"]) == ("npd_flows_2018_onward.csv", "14")]
    assert reading["route"] == "match and return" and "information relating to those individuals" in matched["notes"]
    data = (await ask("record-reach", urn=URN, fromYear=2019, toYear=2019, first=1))["recordReach"]
    (line,) = [d["text"] for d in data["disclosures"] if d["when"].startswith(matched["date_as_cited"])]
    went = f"{reading['route']} against {matched['dataset_as_written']}"
    said = f"{matched['to_organisation']}: {went} (the compiler's note:"
    assert said in line and f"({reading['route']})" not in line, line
    text = (await ask("letter", urn=URN, fromYear=2019, toYear=2019, format="txt"))["letter"]["text"]
    assert said in text


def test_an_undated_release_s_note_refers_back_to_one_year_as_that_year(memory_real: MemoryStore) -> None:
    """The twelfth reading: pupil-reach's note on the 2017 register's four undated recipients said whether each
    "came after these years were in the NPD is unknown" for 2019/20 alone; it says "that year" (dates.those_years)."""
    undated = {
        r["reference"] for r in REGISTER if r["status_as_cited"] == "listed as recipient" and not r["date_as_cited"]
    }
    assert len(undated) == 4
    for (first, last), those in (((2019, 2019), "that year"), ((2019, 2024), "those years")):
        reach = questions.pupil_reach(memory_real, URN, first, last)
        notes = [r.note or "" for r in reach.unpublished_scope if r.release.props.get("reference") in undated]
        assert len(notes) == len(undated), (first, last)
        assert all(f"whether it came after data of {those} were in the NPD is unknown" in n for n in notes), notes[0]


async def test_a_referenced_release_or_application_says_the_register_listing_it(ask: Any) -> None:
    """The parents' reading: the 2017 register's four undated references read 'no date in the record' and nothing
    else, so a parent of a pupil at school after 2019 could not tell they come from its August 2017 edition (the
    register column of their rows). Said after its date, as where it is listed, never as a date of its own."""
    undated = [r for r in REGISTER if r["reference"] and r["status_as_cited"] == "listed as recipient"]
    assert {r["register"] for r in undated} == {"NPD third-party register (Aug 2017 edition)"}
    text = (await ask("letter", urn=URN, fromYear=2019, toYear=2024, format="txt"))["letter"]["text"]
    for entry in undated:
        (line,) = [line for line in text.splitlines() if line.startswith(f"- {entry['reference']}, to ")]
        assert f"; no date in the record; listed in {entry['register']}; " in line, line
    # an application named by its reference alike (the register-foi file's DSAP references)
    (home_office,) = [r for r in REGISTER if r["reference"] == "DS00804"]
    (line,) = [line for line in text.splitlines() if line.startswith("- DS00804, by ")]
    assert f"; listed in {home_office['register']}; " in line, line
    # one without a reference is named by its register already: said once
    (premier_league,) = [r for r in REGISTER if r["organisation"].startswith("The Football Association")]
    text = (await ask("letter", urn=URN, fromYear=2015, toYear=2016, format="txt"))["letter"]["text"]
    listed = [line for line in text.splitlines() if premier_league["organisation"] in line]
    assert listed and all(line.count(premier_league["register"]) == 1 for line in listed)


async def test_the_reach_gives_the_register_listing_a_referenced_release_or_application(ask: Any) -> None:
    """/reach had worked out where a release or an application is listed in its own copy of listed_in, as the API
    did not give it: the answer's listedIn gives it, as the register column of its row says (the 2017 register's
    undated DR170221.02, "NPD third-party register (Aug 2017 edition)"; DSAP's DS00804), and null for an entry
    with no reference, which its register names already (the Premier League's, row 12)."""
    reach = (await ask("record-reach", urn=URN, fromYear=2019, toYear=2024, first=100))["recordReach"]
    releases = {found["reference"]: found for group in reach["groups"] for found in group["releases"]["nodes"]}
    undated = [r for r in REGISTER if r["reference"] and r["status_as_cited"] == "listed as recipient"]
    assert "DR170221.02" in {r["reference"] for r in undated}
    for entry in undated:
        assert releases[entry["reference"]]["listedIn"] == entry["register"]
    (home_office,) = [r for r in REGISTER if r["reference"] == "DS00804"]
    (application,) = [a for a in reach["applications"] if a["application"]["reference"] == "DS00804"]
    assert application["listedIn"] == home_office["register"] == "DfE external data shares (DSAP era)"
    (premier_league,) = [r for r in REGISTER if r["organisation"].startswith("The Football Association")]
    reach = (await ask("record-reach", urn=URN, fromYear=2015, toYear=2016, first=100))["recordReach"]
    (unreferenced,) = [
        found
        for group in reach["groups"]
        for found in group["releases"]["nodes"]
        if any(r["node"]["name"].startswith("The Football Association") for r in found["recipients"])
    ]
    assert unreferenced["reference"].startswith(premier_league["register"]) and unreferenced["listedIn"] is None


async def test_a_standing_arrangement_a_written_answer_describes_is_asked_about_for_later_years(ask: Any) -> None:
    """The parents' reading: the Home Office's matching, which DfE's written answer of 19 July 2019 describes as the
    MoU sets it out (in place since July 2015), was left out of every letter from 2019/20 on, as if it had ended
    the day it was described. A date that is not the flow's own (date_readings.csv) bounds nothing."""
    (reading,) = [r for r in rows("date_readings.csv") if "the matching the Home Office" in r["date_is"]]
    assert "Home Office" in reading["date_is"] and reading["date_as_cited"] == "2019-07-19"
    for years in ((2012, 2016), (2019, 2024)):
        text = (await ask("letter", urn=URN, fromYear=years[0], toYear=years[1], format="txt"))["letter"]["text"]
        part = text.split("Other disclosures the record names")[1]
        assert f"2019-07-19 ({reading['date_is']})" in part, years


async def test_the_lrs_part_says_what_was_passed_on_and_what_each_finding_found(ask: Any) -> None:
    """The parents' reading: the letter's LRS part named Trustopia's searches but not their supply to GB Group, nor
    GB Group's to gambling companies (flows rows 4 and 5), and gave the ICO's finding as 'oversight: learning records
    service database (LRS)', saying nothing of what it found. Each names its route, a service built on the data
    (flow_readings.csv), once: it had read "(service built on the data): a service built on the data of ..."."""
    flows = rows("npd_flows_2018_onward.csv")
    onward = [r for r in flows if r["kind"] == "onward_share" and "LRS" in r["dataset_as_written"].upper()]
    routes = {(r["row"], r["route"]) for r in rows("flow_readings.csv") if r["file"] == "npd_flows_2018_onward.csv"}
    assert {(str(flows.index(row) + 2), "service built on the data") for row in onward} <= routes
    assert {r["to_organisation"] for r in onward} >= {"GB Group"} and len(onward) == 2
    (finding,) = [r for r in flows if r["kind"] == "oversight" and "let Trustopia access" in r["quote"]]
    text = (await ask("letter", urn=URN, fromYear=2012, toYear=2016, format="txt"))["letter"]["text"]
    part = text.split("The Learning Records Service")[1].split("What the record says was not released")[0]
    lines = part.splitlines()
    for row in onward:
        to = f" to {row['to_organisation'].split(' (')[0]}".lower()  # the alias table's canonical name begins so
        said = f": a service built on the data of {row['dataset_as_written']}"
        assert any(
            to in line.lower() and said in line and "(service built on the data)" not in line for line in lines
        ), to
    assert any(finding["quote"] in line for line in lines)
    # each in its source's words: "service built on the data" alone read as if the records themselves went on
    assert all(any(row["quote"] in line for line in lines) for row in onward)
    data = (await ask("record-reach", urn=URN, fromYear=2012, toYear=2016))["recordReach"]["learnerRecords"]
    assert len(data["onward"]) == len(onward) and all(d["to"]["link"]["citations"] for d in data["onward"])


async def test_each_lrs_finding_says_how_sure_its_source_is(ask: Any) -> None:
    """A fresh reading of the letter: the LRS part gave the ICO's reprimand, its finding, the 12,600 users, the
    £10,030,000 fine it considered and the LRS clause of 1 April 2020 with no certainty, though each rests on the
    press's or a law firm's account of the ICO (source_kind regulator_as_reported) or on a third party's copy of
    Parliament's answer (parallelparliament.co.uk), while the line above them said 'reported' of Trustopia's access.
    Each says how sure it is, as source_kinds.csv reads its kind and publishers.csv its address."""
    kinds = {r["source_begins"]: r["certainty"] for r in rows("source_kinds.csv")}
    publishers = {r["domain"] for r in rows("publishers.csv")}

    def sure(row: dict[str, str]) -> CertaintyLevel:
        host = row["source_url"].split("/")[2]
        own = any(host == d or host.endswith(f".{d}") for d in publishers)
        level = kinds[row["source_kind"]]
        return CertaintyLevel("reported" if level == "confirmed" and not own else level)

    findings = [
        r
        for r in rows("npd_flows_2018_onward.csv")
        if r["kind"] in {"oversight", "figure", "policy_change"} and "LRS" in r["dataset_as_written"].upper()
    ]
    assert len(findings) == 5 and {sure(r) for r in findings} == {CertaintyLevel.REPORTED}
    text = (await ask("letter", urn=URN, fromYear=2012, toYear=2016, format="txt"))["letter"]["text"]
    part = text.split("The Learning Records Service")[1].split("What the record says was not released")[0]
    for row in findings:
        (line,) = [line for line in part.splitlines() if row["quote"] in line]
        assert re.sub(r"( \[\d+\])+$", "", line).endswith(f"; {CERTAINTY_WORDS[sure(row)]}"), line
    data = (await ask("record-reach", urn=URN, fromYear=2012, toYear=2016))["recordReach"]["learnerRecords"]
    assert {o["node"]["certainty"]["level"] for o in data["oversight"]} == {sure(r).name for r in findings}
    page = Path(letter.__file__).parent / "api" / "static" / "reach" / "answer.js"  # the /reach page draws it so
    assert "CERTAINTY_WORDS[o.node.certainty.level]" in page.read_text(encoding="utf-8")


async def test_a_research_body_or_law_firm_is_not_called_a_campaigner_or_the_press(ask: Any) -> None:
    """A fresh reading of the letter: the MoJ-DfE linked data set rests on ADR UK's page (source_kind research_body,
    'a research body's account of the record' in source_kinds.csv) and GB Group's service on a law firm's briefing
    (Simmons & Simmons: 'as the press or a law firm quotes it'), yet each line called its source 'a campaigner's,
    requester's or press account, or a third party's copy'. The words for reported name both."""
    kinds = {r["source_begins"]: r["why"] for r in rows("source_kinds.csv")}
    assert "research body" in kinds["research_body"] and "law firm" in kinds["regulator_as_reported"]
    flows = rows("npd_flows_2018_onward.csv")
    (linked,) = [r for r in flows if r["kind"] == "linked_dataset" and r["source_kind"] == "research_body"]
    (briefed,) = [r for r in flows if r["to_organisation"].startswith("gambling") and "Law-firm" in r["notes"]]
    text = (await ask("letter", urn=URN, fromYear=2012, toYear=2016, format="txt"))["letter"]["text"]
    (line,) = [line for line in text.splitlines() if line.startswith(f"- {linked['dataset_as_written']}:")]
    assert "research body" in line.split("; ")[-1], line
    (line,) = [line for line in text.splitlines() if briefed["quote"] in line]
    assert "law firm" in line.split("; ")[-1], line


async def test_an_application_names_the_bodies_its_entry_says_it_was_made_for(ask: Any) -> None:
    """A fresh reading of the letter: DS00763's register entry reads 'LSE commissioned by Home Office and Youth
    Endowment Fund' (npd_register_entries_cited_in_foi.csv), but the letter listed it as 'DS00763, by LSE', so a
    parent asking about the Home Office's part in the record read of none. Both, in the letter and on /reach."""
    made = [r for r in REGISTER if " commissioned by " in r["organisation"]]
    assert [r["reference"] for r in made] == ["DS00763"]
    text = (await ask("letter", urn=URN, fromYear=2016, toYear=2018, format="txt"))["letter"]["text"]
    part = text.split(APPLICATIONS)[1].split("Other disclosures")[0]
    for row in made:
        applicant, bodies = row["organisation"].split(" commissioned by ")
        (line,) = [line for line in part.splitlines() if line.startswith(f"- {row['reference']}, by {applicant}")]
        assert f"commissioned by {', '.join(bodies.split(' and '))}" in line, line
    data = (await ask("record-reach", urn=URN, fromYear=2016, toYear=2018))["recordReach"]["applications"]
    (open_application,) = [a for a in data if a["application"]["reference"] == "DS00763"]
    commissioned = open_application["commissionedBy"]
    assert {c["node"]["name"] for c in commissioned} == set(made[0]["organisation"].split(" by ")[1].split(" and "))
    assert all(c["link"]["citations"] for c in commissioned)
    page = Path(letter.__file__).parent / "api" / "static" / "reach" / "answer.js"  # the /reach page draws it so
    assert "open.commissionedBy" in page.read_text(encoding="utf-8")


async def test_a_match_confirmed_as_a_flag_alone_is_asked_about_with_the_applications(ask: Any) -> None:
    """The parents' reading: DfE checked 185 children's identities for DWP in 2018 and 'confirmed this to DWP as a
    'Y' only' (the register, as a requester quotes it); an outcome, but no release, so the letter named it nowhere.
    It is listed with the applications a parent may ask DfE about, with the source's words, and is no gap."""
    (flagged,) = [r for r in rows("npd_register_entries_more.csv") if "'Y' only" in r["status_as_cited"]]
    assert "185 child identities" in flagged["quote"]
    (said,) = [r for r in STATEMENTS if r["statement"] == "match_flag_only"]
    text = (await ask("letter", urn=URN, fromYear=2016, toYear=2018, format="txt"))["letter"]["text"]
    part = text.split(APPLICATIONS)[1].split("Other disclosures")[0]
    (line,) = [line for line in part.splitlines() if "(match flag only)" in line]
    assert f"status as cited: {flagged['status_as_cited']}" in line and said["quote"] in line
    data = (await ask("gaps", first=100))["gaps"]
    assert data["nodes"] and not [g for g in data["nodes"] if "match flag" in g["subject"]["name"]]


def test_the_lrs_part_follows_only_what_was_passed_on_of_the_lrs() -> None:
    """The review of the diff: the LRS part followed every onward share of a body given access to the LRS, so what
    such a body passed on of the NPD would have been listed as the LRS's."""
    from lineage.model import Citation, Edge, EdgeKind, Node, NodeKind
    from lineage.questions.records import learner_records
    from lineage.stores.memory import MemoryStore

    cited = frozenset({Citation("a fictional source", "f.csv", 2, "https://example.org")})
    lrs = Node(NodeKind.RECORD_SET, "LRS", "Learning Records Service (LRS)", {"system": "LRS"}, cited)
    bodies = [Node(NodeKind.ORGANISATION, key, key, {}, cited) for key in ("a", "b", "c")]
    edges = [
        Edge(lrs.id, EdgeKind.ACCESSED_BY, bodies[0].id, {"route": "live search"}, citations=cited),
        Edge(bodies[0].id, EdgeKind.SHARES_ONWARD, bodies[1].id, {"dataset_as_written": "the LRS"}, citations=cited),
        Edge(
            bodies[0].id,
            EdgeKind.SHARES_ONWARD,
            bodies[2].id,
            {"dataset_as_written": "an NPD extract"},
            citations=cited,
        ),
    ]
    store = MemoryStore()
    store.write([lrs, *bodies], edges)
    found = learner_records(store)
    assert found is not None and [d.to.node.key for d in found.onward] == ["b"]


def test_what_is_said_of_a_recipient_goes_with_it_to_its_group() -> None:
    """The read-through of the diff: a release to two bodies of different types, split into a group per type, took
    what sources say of either recipient into both groups, so one body's statement stood beside the other."""
    from lineage.model import CONFIRMED, Citation, Edge, EdgeKind, Node, NodeKind
    from lineage.questions.common import Related
    from lineage.questions.pupils import Reach
    from lineage.questions.records import RecordRelease, _grouped
    from lineage.questions.statements import Stated

    cited = frozenset({Citation("a fictional source", "f.csv", 2, "https://example.org")})
    release = Node(NodeKind.RELEASE, "R", "R", {}, cited)
    press = Node(NodeKind.ORGANISATION, "p", "A paper", {"org_type": "media"}, cited)
    police = Node(NodeKind.ORGANISATION, "f", "A force", {"org_type": "police"}, cited)
    sent = [Related(body, Edge(release.id, EdgeKind.SENT_TO, body.id, citations=cited)) for body in (press, police)]
    said = Node(NodeKind.STATEMENT, "s", "s", {"statement": "released"}, cited)
    of_press = Stated(said, Related(press, Edge(said.id, EdgeKind.ABOUT, press.id, citations=cited)), (), (), ())
    found = RecordRelease(Reach(release, (press, police), (), CONFIRMED, False), tuple(sent), (), (of_press,))
    groups = {g.org_type: g.releases[0] for g in _grouped([found])}
    assert groups["media"].recipient_statements == (of_press,) and groups["police"].recipient_statements == ()


async def test_an_application_comes_with_the_agreements_a_source_ties_to_it_and_no_other(ask: Any) -> None:
    """The reading after 2018: the letter gave DWP's 2018 check of 185 children, a 'Y' only, and nowhere what the
    same source says came after it: 'Since then, a data-sharing arrangement has been formalised and requests begun
    based on it' (npd_flows_2018_onward.csv row 31, dated by a comment: date_readings.csv). The seventh reading:
    every agreement with an applicant was given as "named with" each of its applications, so HMRC's 2019
    memorandum (row 30, HMRC disclosing to DfE) stood under DS00638, and the Home Office's 2019 agreement under its
    2013 pilot; no source ties them. Only a row of event_links.csv does."""
    flows = rows("npd_flows_2018_onward.csv")
    agreement = flows[31 - 2]
    assert agreement["kind"] == "agreement" and "formalised" in agreement["quote"]
    (reading,) = [r for r in rows("date_readings.csv") if (r["file"], r["row"]) == ("npd_flows_2018_onward.csv", "31")]
    text = (await ask("letter", urn=URN, fromYear=2012, toYear=2023, format="txt"))["letter"]["text"]
    applications = text.split(APPLICATIONS)[1].split("Other disclosures the record names")[0]
    (line,) = [line for line in applications.splitlines() if "a 'Y' only" in line and "Work and Pensions" in line]
    said = f"an agreement its source ties to it ({agreement['date_as_cited']} ({reading['date_is']}); reported"
    assert said in line and agreement["quote"] in line
    tied = {(r["file"], r["row"]) for r in rows("event_links.csv") if r["concerns"].startswith("Application:")}
    untied = [
        r["quote"]
        for n, r in enumerate(flows, 2)
        if r["kind"] == "agreement" and ("npd_flows_2018_onward.csv", str(n)) not in tied
    ]
    assert len(untied) == 3  # rows 11, 16 and 30: the Home Office's two and HMRC's
    hmrc = [line for line in applications.splitlines() if "DS00638, by HMRC" in line]
    assert hmrc and all(quote not in applications for quote in untied)
    assert applications.count("an agreement its source ties to it") == 1


async def test_an_agreement_under_an_application_says_its_kind_and_ends_as_its_row_gives_them(ask: Any) -> None:
    """A reading after an event's text gained its row's ends: the agreement DWP's application comes with (row 31 of
    npd_flows_2018_onward.csv) was quoted ("a data-sharing arrangement has been formalised") without who was to
    give what to whom, which its row gives (from Department for Education to DWP) and its line among the NPD's
    events says. The letter and /reach now give its kind and ends, as its row words them, before its quote."""
    agreement = rows("npd_flows_2018_onward.csv")[31 - 2]
    assert agreement["kind"] == "agreement" and agreement["from_organisation"] and agreement["to_organisation"]
    assert agreement["from_organisation"] not in agreement["quote"]  # the quote alone does not say who gives it
    text = (await ask("letter", urn=URN, fromYear=2012, toYear=2023, format="txt"))["letter"]["text"]
    applications = text.split(APPLICATIONS)[1].split("Other disclosures the record names")[0]
    (line,) = [line for line in applications.splitlines() if agreement["quote"] in line]
    sure = CERTAINTY_WORDS[CertaintyLevel.REPORTED]  # a campaigner's account
    said = f"{sure}): {_ends(agreement)}{agreement['dataset_as_written']}"
    assert said in line and line.index(said) < line.index(f"\u201c{agreement['quote']}\u201d"), line
    data = (await ask("record-reach", urn=URN, fromYear=2012, toYear=2023, first=100))["recordReach"]
    (event,) = [a["node"] for o in data["applications"] for a in o["agreements"]]
    assert event["quote"] == agreement["quote"] and event["text"].startswith(_ends(agreement))


async def test_an_applications_date_comes_with_the_note_saying_which_date_it_is(ask: Any) -> None:
    """The seventh reading: the letter said DR170124.04 was "dated 15 August 2017", a date its row puts under three
    kinds of date at once, which its notes say are not told apart (npd_register_entries_more.csv row 16)."""
    row = rows("npd_register_entries_more.csv")[16 - 2]
    assert row["reference"] == "DR170124.04" and "not distinguished" in row["notes"]
    text = (await ask("letter", urn=URN, fromYear=2015, toYear=2016, format="txt"))["letter"]["text"]
    (line,) = [line for line in text.splitlines() if line.startswith("- DR170124.04")]
    assert f"dated 15 August 2017 (the compiler's note: {row['notes']});" in line
    data = (await ask("record-reach", urn=URN, fromYear=2015, toYear=2016, first=100))["recordReach"]
    (found,) = [a for a in data["applications"] if a["application"]["id"] == "Application:DR170124.04"]
    assert found["application"]["notes"] == row["notes"]


def test_lineage_diff_reads_a_snapshot_whose_name_holds_a_colon(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hostile input, round five: a timestamped copy ("graph-10:00.snapshot") was refused as an unknown store."""
    stamped = tmp_path / "graph-10:00.snapshot"
    with MemoryStore.writing(stamped) as store:
        store.write(g.NODES, g.EDGES)
    assert main(["diff", str(stamped), f"memory:{stamped}"]) == 0
    assert capsys.readouterr().out.startswith("no change:")
    # and the empty store is no build to compare (the review: every node was "added")
    assert main(["diff", "memory", str(stamped)]) == 1
    assert "memory is an empty store, kept nowhere, with no graph to read" in capsys.readouterr().err


def test_lineage_diff_refuses_a_build_of_the_record_against_a_synthetic_graph(
    snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hostile input, round twelve: the real build against a synthetic one (the fixture graph) listed every synthetic
    release as added to the record, or every real one as removed, and each real gap as closed."""
    synthetic = tmp_path / "synthetic.snapshot"
    with MemoryStore.writing(synthetic) as store:
        store.write(g.NODES, g.EDGES)
    for old, new, words in ((snapshot, synthetic, "real data and the new one synthetic"),
                            (synthetic, snapshot, "synthetic data and the new one real")):  # fmt: skip
        assert main(["diff", str(old), str(new)]) == 1
        out, err = capsys.readouterr()
        assert not out and err.startswith(f"lineage: the old build holds {words} data: a diff compares two builds")
    assert main(["diff", str(synthetic), str(synthetic)]) == 0  # two synthetic graphs compare
    assert capsys.readouterr().out.startswith("no change:")


def test_diff_says_an_application_refused_and_a_figure_corrected(memory_real: MemoryStore) -> None:
    """The fifth reading of answers: a build whose DS00804 became "rejected", and whose Home Office figure of 531
    records returned became 999, was said to hold "no change": applications and published figures were not
    compared. Each is now, with what changed."""
    from dataclasses import replace

    from lineage.model import NodeKind

    application = memory_real.get_node("Application:DS00804")
    (figure,) = [f for f in memory_real.all_nodes(NodeKind.AGGREGATE_FLOW) if f.props.get("value") == 531.0]
    assert application is not None and application.props.get("status") != "rejected"
    changed = MemoryStore.of(
        [
            *(n for kind in NodeKind for n in memory_real.all_nodes(kind) if n.id not in (application.id, figure.id)),
            replace(application, props={**application.props, "status": "rejected"}),
            replace(figure, props={**figure.props, "value": 999.0}),
        ],
        [hop.edge for kind in NodeKind for hop in memory_real.expand(
            [n.id for n in memory_real.all_nodes(kind)], frozenset(EdgeKind), frozenset())],
    )  # fmt: skip
    answer = diff(memory_real, changed)
    assert {(c.change, c.node.id, c.fields) for c in answer.changes} == {
        ("changed", application.id, ("status",)),
        ("changed", figure.id, ("value",)),
    }


def test_the_letter_gives_what_a_linked_data_set_s_source_says_was_sent_to_a_body(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """LEO's privacy notice names the identifiers sent to DWP to match; the letter named the linked set and DWP's
    part in it, and not them."""
    (notice,) = [r for r in rows("npd_flows_2018_onward.csv") if r["source_title"].endswith("LEO): privacy notice")]
    (line,) = [
        s
        for s in printed_letter(snapshot, capsys).splitlines()
        if s.startswith("- Longitudinal Education Outcomes (LEO): DWP")
    ]
    assert f"({notice['items_as_written']}, as the source gives them)" in line


async def test_a_linked_data_set_s_line_says_what_it_draws_on_from_its_holder_once(ask: Any) -> None:
    """LEO's privacy notice: identifiers are sent to DWP 'who match the records against their Customer Information
    System'. DWP's line gave its part, then 'the set also draws on DWP (as the source words it: their Customer
    Information System)': DWP and its system twice. Each is said once, in the source's words, with the items sent."""
    (notice,) = [r for r in rows("npd_flows_2018_onward.csv") if r["source_title"].endswith("LEO): privacy notice")]
    system = notice["quote"].split(" against ")[1].rstrip(".")
    assert system == "their Customer Information System"
    variables = {"urn": URN, "fromYear": 2017, "toYear": 2020}
    said = [h["text"] for h in (await ask("record-reach", **variables))["recordReach"]["linked"]]
    text = (await ask("letter", **variables))["letter"]["text"]
    for lines in (said, [line[2:] for line in text.splitlines() if line.startswith("- ")]):
        (line,) = [s for s in lines if s.startswith(f"{notice['dataset_as_written']}: DWP,")]
        assert line.count(system) == 1 and line.count("Customer Information System") == 1, line
        assert line.count("DWP") == 1 and f"({notice['items_as_written']}, as the source gives them)" in line, line
        # the other parties' lines still say what the set draws on from DWP
        others = [s for s in lines if s.startswith(notice["dataset_as_written"]) and s != line]
        assert others and all(f"draws on DWP (as the source words it: {system})" in s for s in others)


def test_the_letter_gives_the_compiler_s_notes_on_each_onward_share(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reading of the answers: GB Group's denial of the Sunday Times's account ("strenuously denied", as
    Decision Marketing reported it) is in the notes of the row that names its service to gambling companies; the
    letter quoted the row and left the denial out, and a parent would repeat the account as settled."""
    onward = [r for r in rows("npd_flows_2018_onward.csv") if r["kind"] == "onward_share" and r["notes"]]
    assert any("strenuously denied" in r["notes"] for r in onward)
    lines = printed_letter(snapshot, capsys, 2018, 2020).splitlines()
    for row in onward:
        (line,) = [s for s in lines if row["quote"] in s]
        assert f"(the compiler's note: {row['notes']})" in line


async def test_a_linked_data_set_s_line_gives_its_notes_and_what_else_it_draws_on(ask: Any) -> None:
    """A fresh reading of the letter after 2018: the MoJ-DfE linked set's row notes 'NPD covers children born after
    31 August 1985, England only', yet the letter said the record 'does not say whose records are in them'; and the
    PPMD line named DWP alone, where its row says 'PPMD also uses data from HMRC which is held by DWP'. The letter
    and /reach give the row's notes and, in the readings table's words, what else the set is derived from."""
    flows = rows("npd_flows_2018_onward.csv")
    linked = {n: r for n, r in enumerate(flows, 2) if r["kind"] == "linked_dataset"}
    (moj,) = [r for r in linked.values() if r["to_organisation"].startswith("Ministry of Justice")]
    assert "born after 31 August 1985" in moj["notes"]
    ((ppmd_row, ppmd),) = [(n, r) for n, r in linked.items() if "(PPMD)" in r["dataset_as_written"]]
    assert "HMRC" in ppmd["quote"] and "which is held by DWP" in ppmd["quote"]
    (reading,) = [
        r for r in rows("flow_readings.csv") if r["file"] == "npd_flows_2018_onward.csv" and r["row"] == str(ppmd_row)
    ]
    (hmrc,) = [p.partition("=")[2] for p in reading["derived_from"].split(";") if p.startswith("Organisation:hmrc=")]
    assert "which is held by DWP" in hmrc
    variables = {"urn": URN, "fromYear": 2017, "toYear": 2020}
    said = [h["text"] for h in (await ask("record-reach", **variables))["recordReach"]["linked"]]
    text = (await ask("letter", **variables))["letter"]["text"]
    for lines in (said, [line[2:] for line in text.splitlines() if line.startswith("- ")]):
        (line,) = [s for s in lines if s.startswith(f"{moj['dataset_as_written']}: Ministry of Justice,")]
        assert f"(the compiler's note: {moj['notes']})" in line, line
        (line,) = [s for s in lines if s.startswith("Pupil Parent Matched Data (PPMD): DWP,")]
        assert f"(the compiler's note: {ppmd['notes']})" in line, line
        assert f"HMRC (His Majesty's Revenue and Customs) (as the source words it: {hmrc})" in line, line


async def test_a_linked_data_set_s_line_gives_the_notes_of_every_row_naming_its_body(ask: Any) -> None:
    """The ninth reading: LEO's gov.uk page (notes: its partners are 'DfE's LEO partners'; researchers get access
    'via the ONS Secure Research Service') and its privacy notice both name DWP; DWP's line cited both rows and gave
    the notice's notes alone, where HMRC's and Jisc's lines gave the page's. Each line gives the notes of every row
    naming its body."""
    leo = [r for r in rows("npd_flows_2018_onward.csv") if r["dataset_as_written"].startswith("Longitudinal Education")]
    naming_dwp = [r for r in leo if "(DWP)" in r["to_organisation"]]
    assert len(naming_dwp) == 2 and "ONS Secure Research Service" in naming_dwp[0]["notes"]
    variables = {"urn": URN, "fromYear": 2017, "toYear": 2020}
    said = [h["text"] for h in (await ask("record-reach", **variables))["recordReach"]["linked"]]
    text = (await ask("letter", **variables))["letter"]["text"]
    for lines in (said, [line[2:] for line in text.splitlines() if line.startswith("- ")]):
        (line,) = [s for s in lines if s.startswith("Longitudinal Education Outcomes (LEO): DWP,")]
        assert all(row["notes"] in line for row in naming_dwp), line


async def test_a_linked_data_set_s_line_gives_the_set_s_size_as_its_source_gives_it(ask: Any) -> None:
    """The ninth reading: the MoJ-DfE set's line gave 'PNC: 1.65 million records', as the set draws on the PNC, and
    not the NPD's 15 million its reading derives the set from (flow_readings.csv); nor did LEO's lines give its
    'around 39 million individuals'. Each line gives its set's size, with what it counts, as the row gives them."""
    flows = rows("npd_flows_2018_onward.csv")
    sized = {n: r for n, r in enumerate(flows, 2) if r["kind"] == "linked_dataset" and r["figure"]}
    ((moj_row, moj),) = [(n, r) for n, r in sized.items() if r["to_organisation"].startswith("Ministry of Justice")]
    (reading,) = [
        r for r in rows("flow_readings.csv") if r["file"] == "npd_flows_2018_onward.csv" and r["row"] == str(moj_row)
    ]
    assert "RecordSet:National Pupil Database (NPD)=NPD: 15 million records" in reading["derived_from"]
    assert "NPD 15 million" in moj["figure"]
    assert any(r["dataset_as_written"].startswith("Longitudinal Education Outcomes") for r in sized.values())
    variables = {"urn": URN, "fromYear": 2017, "toYear": 2020}
    said = [h["text"] for h in (await ask("record-reach", **variables))["recordReach"]["linked"]]
    text = (await ask("letter", **variables))["letter"]["text"]
    for lines in (said, [line[2:] for line in text.splitlines() if line.startswith("- ")]):
        for row in sized.values():
            of_set = [s for s in lines if s.startswith(f"{row['dataset_as_written'].removesuffix(' data')}: ")]
            size = f"; the set's size, as its source gives it: {row['figure']} {row['unit']}"
            assert of_set and all(size in s for s in of_set), of_set


def letter_part(text: str, heading: str) -> tuple[str, list[str]]:
    """The letter's part under ``heading``, up to its linked data sets' part, and its lines that list something."""
    part = text.split(heading)[1].split("Linked data sets")[0]
    return part, [line for line in part.splitlines() if line.startswith("- ")]


async def test_the_letter_and_reach_say_what_the_record_says_of_npd_data_reached_through_the_ons(ask: Any) -> None:
    """A fresh reading of the letter after 2018: the OSR's own letter says 'access to NPD data for research was made
    available via the ONS' (25 September, its year inferred as 2018), and another that a data transfer 'will be
    necessary' in some cases; the letter named the ONS only as DfE's policy that it 'may also share', under sources
    that 'give no outcome', and /reach nowhere. Each is given in its words, with its notes, how sure and its sources."""
    flows = rows("npd_flows_2018_onward.csv")
    tied = [r for r in rows("event_links.csv") if r["file"] == "npd_flows_2018_onward.csv"]
    ons = [flows[int(r["row"]) - 2] for r in tied if r["concerns"] == "Organisation:office for national statistics"]
    assert {r["source_kind"] for r in ons} == {"regulator"}  # the regulator's own letters: confirmed
    assert any("made available via the ONS" in r["quote"] for r in ons)
    assert any("data transfer will be necessary" in r["quote"] for r in ons)
    variables = {"urn": URN, "fromYear": 2017, "toYear": 2020}
    reach = (await ask("record-reach", **variables))["recordReach"]["onsAccess"]
    assert [e["node"]["quote"] for e in reach] == [r["quote"] for r in sorted(ons, key=lambda r: r["date_as_cited"])]
    assert all(e["link"]["citations"] for e in reach)
    text = (await ask("letter", **variables))["letter"]["text"]
    part, lines = letter_part(text, "NPD data reached through the Office for National Statistics")
    for row in ons:
        (line,) = [line for line in lines if f"\u201c{row['quote']}\u201d" in line]
        assert line.startswith(f"- {row['date_as_cited']}") and f"(the compiler's note: {row['notes']})" in line
        assert line.split("; ")[-1].startswith(CERTAINTY_WORDS[CertaintyLevel.CONFIRMED]), line
    assert "not data sent to researchers" in " ".join(part.split())


async def test_the_letter_and_reach_give_the_routes_to_npd_data_beside_the_ons(ask: Any) -> None:
    """The tenth reading: the figures file gives DfE's default route for personal data, the ONS Secure Research
    Service, with 'some direct supply' in its notes, and the MoJ-DfE linked data reached there as a DfE extract; no
    letter or /reach gave either, and the ONS part said the sources on it name no transfer. Each is given there,
    whatever the years asked, with its period, its value, its notes, how sure and its source."""
    routes = [r for r in rows("npd_sharing_figures_compiled.csv") if r["topic"] in {"access_route", "moj_dfe"}]
    assert {r["value"] for r in routes} == {
        "ONS Secure Research Service",
        "ONS SRS (DfE extract); ADR UK Research Fellowship scheme",
    }
    assert any("some direct supply" in r["notes"] for r in routes)
    variables = {"urn": URN, "fromYear": 2019, "toYear": 2022}
    figures = (await ask("record-reach", **variables))["recordReach"]["onsFigures"]
    assert sorted((f["when"], [c["address"] for c in f["citations"]]) for f in figures) == sorted(
        (r["period"], [r["source_url"]]) for r in routes
    )
    text = (await ask("letter", **variables))["letter"]["text"]
    part, lines = letter_part(text, "NPD data reached through the Office for National Statistics")
    for row in routes:
        (line,) = [line for line in lines if f": {row['measure']}: {row['value']}" in line]
        assert line.startswith(f"- {row['period']}: {row['flow']}"), line
        assert not row["notes"] or f"(the compiler's note: {row['notes']})" in line, line
    assert "it names none" not in " ".join(part.split())


async def test_the_letter_and_reach_say_the_census_s_nationality_data_is_kept(ask: Any) -> None:
    """A fresh reading of the letter after 2018: the record says schools were told to stop collecting pupils'
    nationality and country of birth, 'but historic data will not be deleted', and that DfE 'has refused to delete'
    what was collected on about 8.6 million children since September 2016; a letter asking how long a child's data
    will be kept said nothing of it. Each event of the school census is given in its words and its items, with its
    notes, how sure and its sources, and /reach gives the same."""
    flows = rows("npd_flows_2018_onward.csv")
    tied = [r for r in rows("event_links.csv") if r["file"] == "npd_flows_2018_onward.csv"]
    census = [flows[int(r["row"]) - 2] for r in tied if r["concerns"] == "Collection:PLASC/School Census"]
    assert any("will not be deleted" in r["quote"] for r in census)
    assert any("has refused to delete" in r["quote"] and "8.6 million" in r["figure"] for r in census)
    variables = {"urn": URN, "fromYear": 2017, "toYear": 2020}
    reach = (await ask("record-reach", **variables))["recordReach"]["collectionEvents"]
    assert sorted(e["node"]["quote"] for e in reach) == sorted(r["quote"] for r in census)
    assert all(e["link"]["citations"] for e in reach)
    text = (await ask("letter", **variables))["letter"]["text"]
    _, lines = letter_part(text, "What the record says of the NPD's data collections")
    for row in census:
        (line,) = [line for line in lines if f"\u201c{row['quote']}\u201d" in line]
        assert line.startswith(f"- {row['date_as_cited']}") and f"({row['items_as_written']})" in line, line
        assert f"(the compiler's note: {row['notes']})" in line, line
        assert line.split("; ")[-1].startswith(CERTAINTY_WORDS[CertaintyLevel.REPORTED]), line


async def test_the_letter_and_reach_give_the_census_items_figure_whose_notes_say_the_data_were_destroyed_later(
    ask: Any,
) -> None:
    """The census part gave 2018's 'historic data will not be deleted' and an undated 'has refused to delete', and
    nothing of the figures file's account that the nationality data were destroyed in 2020 (its notes, citing a
    campaigner's page): a parent would take the items as still held. The figure of the census's items is given
    there, whatever the years asked, with its period, its value, its notes, how sure and its source."""
    (figure,) = [r for r in rows("npd_sharing_figures_compiled.csv") if r["topic"] == "census_items"]
    assert "data destroyed 2020" in figure["notes"]
    variables = {"urn": URN, "fromYear": 2012, "toYear": 2013}
    (entry,) = (await ask("record-reach", **variables))["recordReach"]["collectionFigures"]
    assert entry["when"] == figure["period"] and figure["value"] in entry["text"] and figure["notes"] in entry["text"]
    assert entry["certainty"]["level"] == CertaintyLevel.REPORTED.name
    assert [c["address"] for c in entry["citations"]] == [figure["source_url"]]
    text = (await ask("letter", **variables))["letter"]["text"]
    _, lines = letter_part(text, "What the record says of the NPD's data collections")
    (line,) = [line for line in lines if f"(the compiler's note: {figure['notes']})" in line]
    assert line.startswith(f"- {figure['period']}: {figure['flow']}: {figure['measure']}: {figure['value']}"), line
    assert line.split("; ")[-1].startswith(CERTAINTY_WORDS[CertaintyLevel.REPORTED]), line


async def test_the_letter_and_reach_say_what_else_the_record_says_of_the_npd(ask: Any) -> None:
    """A fresh reading of the letter after 2018: the ICO's compulsory audit of DfE (its assessment notice of
    19 December 2019; its outcome, 7 October 2020: '139 recommendations for improvement'), the statistics regulator's
    recommendation on onward sharing, the Home Office's sharing agreement (updated January 2019) and its 6,883
    requests to match against the NPD were in no letter, whatever the years asked. Each event the readings table
    reads as the NPD's, but the ONS's (given apart), is given in its words, dated as its source dates it, with its
    notes, how sure and its sources, and /reach gives the same; and with the ends its row gives, in the row's words
    (the Home Office's agreement had read "agreement: National Pupil Database", naming neither DfE nor the Home
    Office)."""
    flows = rows("npd_flows_2018_onward.csv")
    tied = [r for r in rows("event_links.csv") if r["file"] == "npd_flows_2018_onward.csv"]
    ons = {int(r["row"]) for r in tied if r["concerns"] == "Organisation:office for national statistics"}
    npd = {
        int(r["row"])
        for r in rows("flow_readings.csv")
        if r["file"] == "npd_flows_2018_onward.csv" and r["records"] == "National Pupil Database (NPD)"
    }
    events = [
        r
        for number, r in enumerate(flows, start=2)
        if r["kind"] in {"oversight", "policy_change", "agreement", "figure"} and number in npd - ons
    ]
    assert any("compulsory audit" in r["quote"] and r["figure"].startswith("139") for r in events)
    assert {"oversight", "agreement", "figure"} <= {r["kind"] for r in events}
    variables = {"urn": URN, "fromYear": 2012, "toYear": 2016}  # years before most of them: given whatever the years
    reach = (await ask("record-reach", **variables))["recordReach"]["npdEvents"]
    assert sorted(e["node"]["quote"] for e in reach) == sorted(r["quote"] for r in events)
    assert all(e["link"]["citations"] for e in reach)
    ends = {r["quote"]: _ends(r) for r in events}
    assert any(" from " in said and " to " in said for said in ends.values())
    assert all(ends[e["node"]["quote"]] in e["node"]["text"] for e in reach)
    text = (await ask("letter", **variables))["letter"]["text"]
    _, lines = letter_part(text, "What else the record says of the NPD")
    assert len(lines) == len(events)
    for row in events:
        (line,) = [line for line in lines if f"\u201c{row['quote']}\u201d" in line]
        assert ends[row["quote"]] in line, line
        assert f"(the compiler's note: {row['notes']})" in line, line
        assert not row["figure"] or row["figure"] in line, line
        level = CertaintyLevel.CONFIRMED if row["source_kind"] == "regulator" else CertaintyLevel.REPORTED
        assert line.split("; ")[-1].startswith(CERTAINTY_WORDS[level]), line


async def test_the_letter_and_reach_give_every_finding_of_the_ico_s_compulsory_audit_of_dfe(ask: Any) -> None:
    """The parents' reading: of the ICO's compulsory audit of DfE, its assessment notice (flows row 23) and outcome
    (row 24) were in the letter, but not the finding its executive summary gives (row 25: 'no formal proactive
    oversight of any function of information governance, including ... data sharing ... within the DfE'), which was
    in no part of the letter or /reach. Every oversight row its notes or quote name as the ICO's audit is given."""
    flows = rows("npd_flows_2018_onward.csv")
    audit = {
        number: r
        for number, r in enumerate(flows, start=2)
        if r["kind"] == "oversight" and "audit" in (said := f"{r['quote']} {r['notes']}").lower() and "ICO" in said
    }
    assert sorted(audit) == [23, 24, 25]
    assert "no formal proactive oversight" in audit[25]["quote"]
    variables = {"urn": URN, "fromYear": 2019, "toYear": 2024}
    reach = (await ask("record-reach", **variables))["recordReach"]["npdEvents"]
    assert {r["quote"] for r in audit.values()} <= {e["node"]["quote"] for e in reach}
    text = (await ask("letter", **variables))["letter"]["text"]
    _, lines = letter_part(text, "What else the record says of the NPD")
    for row in audit.values():
        (line,) = [line for line in lines if f"\u201c{row['quote']}\u201d" in line]
        assert line.startswith(f"- {row['date_as_cited']}") and f": oversight: {row['dataset_as_written']}" in line
        assert line.split("; ")[-1].startswith(CERTAINTY_WORDS[CertaintyLevel.REPORTED]), line


def _ends(row: dict[str, str]) -> str:
    """An event row's kind and the ends it gives, in its words, as its line begins to say it."""
    given = [f"{word} {row[f'{word}_organisation']}" for word in ("from", "to") if row[f"{word}_organisation"]]
    return " ".join([row["kind"].replace("_", " "), *given]) + ": "


async def test_the_letter_and_reach_give_the_research_body_s_figure_of_records_shared_with_the_home_office(
    ask: Any,
) -> None:
    """EPI's statement of 26 April 2018: 'zero to 507 requests per month, resulting in zero to 94 educational records
    per month shared with the HO', under the DfE-HO MoU. The Home Office's other figures were in the letter and
    /reach, and this one in neither. It is given with the NPD's other figures, in its words, its figure and notes,
    as a research body's account."""
    flows = rows("npd_flows_2018_onward.csv")
    (epi,) = [
        r for r in flows if r["source_kind"] == "research_body" and r["to_organisation"].startswith("Home Office")
    ]
    assert (flows.index(epi) + 2, epi["kind"]) == (10, "figure") and "94 educational records" in epi["quote"]
    variables = {"urn": URN, "fromYear": 2012, "toYear": 2016}
    (event,) = [
        e["node"]
        for e in (await ask("record-reach", **variables))["recordReach"]["npdEvents"]
        if e["node"]["quote"] == epi["quote"]
    ]
    assert (event["notes"], event["certainty"]["level"]) == (epi["notes"], "REPORTED")
    assert epi["figure"] in event["text"] and epi["unit"] in event["text"]
    text = (await ask("letter", **variables))["letter"]["text"]
    _, lines = letter_part(text, "What else the record says of the NPD")
    (line,) = [line for line in lines if f"\u201c{epi['quote']}\u201d" in line]
    assert line.startswith(f"- {epi['date_as_cited']}") and f"{epi['figure']} {epi['unit']}" in line, line
    assert f"(the compiler's note: {epi['notes']})" in line, line
    assert line.split("; ")[-1].startswith(CERTAINTY_WORDS[CertaintyLevel.REPORTED]), line
    assert "research body's account" in CERTAINTY_WORDS[CertaintyLevel.REPORTED]


async def test_a_statement_quoted_in_a_release_or_an_application_line_gives_each_note_of_its_rows_once(
    ask: Any,
) -> None:
    """A reading after the statement lines gained their notes: a statement quoted inside a release's or an
    application's line still came without its row's notes. The Cabinet Office's extraction (row 32) was quoted
    without "link to held Cabinet Office entries (2013-11-15, 2014-02-19) NOT established", Locrating's words
    (rows 42-46) without "link to DR170518.02 ... assumed, not stated by source". Rows 2-5 share one quote and two
    notes: each is given once."""
    cabinet = STATEMENTS[32 - 2]
    assert cabinet["organisation"] == "Cabinet Office" and "NOT established" in cabinet["notes"]
    telegraph = STATEMENTS[2 - 2 : 5 - 1]
    assert len({r["quote"] for r in telegraph}) == 1 and len({r["notes"] for r in telegraph}) == 2
    locrating = [r for r in STATEMENTS if r["organisation"] == "Locrating Ltd"]
    assert locrating and all("not stated by source" in r["notes"] for r in locrating)
    variables = {"urn": URN, "fromYear": 2011, "toYear": 2011}
    text = (await ask("letter", **variables, format="txt"))["letter"]["text"]
    releases, applications = text.split("Releases that may hold my child's record")[1].split(APPLICATIONS)

    def noted(row: dict[str, str]) -> str:
        return f" (the compiler's note: {row['notes']})"

    (line,) = [line for line in applications.splitlines() if cabinet["quote"] in line]
    assert f"\u201c{cabinet['quote']}\u201d{noted(cabinet)}" in line, line
    (line,) = [line for line in releases.splitlines() if telegraph[0]["quote"] in line]
    assert all(line.count(noted(row)) == 1 for row in telegraph), line
    (line,) = [line for line in releases.splitlines() if "to Locrating Ltd" in line]
    assert all(f"\u201c{row['quote']}\u201d{noted(row)}" in line for row in locrating), line
    # /reach's query asks each statement a release's or an application's line quotes for its notes
    data = (await ask("record-reach", first=100, **variables))["recordReach"]
    found = [r for g in data["groups"] for r in g["releases"]["nodes"]]
    said = [
        *(s for r in found for s in r["statements"] + r["recipientStatements"]),
        *(s for a in data["applications"] for s in a["statements"]),
    ]
    given = {(s["statement"]["quote"], s["statement"]["notes"]) for s in said}
    assert {(r["quote"], r["notes"]) for r in (cabinet, *telegraph, *locrating)} <= given


async def test_the_rows_of_one_quote_are_given_in_the_source_s_row_order(ask: Any) -> None:
    """Rows 2-5 of the statements file share the Telegraph's quote, naming its items in that order ("SEN status
    indicator, Free School Meals indicator, Language, Ethnicity"), row 2's notes apart from those of rows 3-5: the
    letter and /reach gave the items and notes in the graph's order (row 5's first on the embedded store), not the
    file's."""
    telegraph = STATEMENTS[2 - 2 : 5 - 1]
    assert len({r["quote"] for r in telegraph}) == 1 and telegraph[0]["notes"] != telegraph[1]["notes"]
    variables = {"urn": URN, "fromYear": 2011, "toYear": 2011}
    text = (await ask("letter", **variables, format="txt"))["letter"]["text"]
    (line,) = [line for line in text.splitlines() if telegraph[0]["quote"] in line]
    items = "; ".join(r["data_item_as_written"] for r in telegraph)
    assert f"{items}: \u201c{telegraph[0]['quote']}\u201d" in line, line
    notes = [f" (the compiler's note: {n})" for n in dict.fromkeys(r["notes"] for r in telegraph)]
    assert line.index(notes[0]) < line.index(notes[1]), line
    data = (await ask("record-reach", first=100, **variables))["recordReach"]
    releases = [r for g in data["groups"] for r in g["releases"]["nodes"]]
    (release,) = [r for r in releases if r["release"]["name"] == "2013-02-20: Daily Telegraph"]
    said = [s["statement"] for s in release["statements"] if s["statement"]["quote"] == telegraph[0]["quote"]]
    assert [s["itemsAsWritten"] for s in said] == [r["data_item_as_written"] for r in telegraph]
    assert [c["row"] for s in said for c in s["citations"]] == [2, 3, 4, 5]


async def test_the_letter_and_reach_give_the_home_office_s_planned_nationality_as_a_plan_beside_the_refusal(
    ask: Any,
) -> None:
    """The 2015 MoU, as a campaigner quotes it: DfE 'would hand over "(Once collected) nationality" data'; DfE's
    answer of October 2016: the data that can be requested 'does not include information on nationality'. The letter
    and /reach gave the answer alone, dropping the plan where they describe what the Home Office gets. The plan is
    given apart, as a plan, never among what went, beside what was not released; each with its row's notes, as an
    event's or a flow's line gives them: the plan's "same source: nationality collection stopped 2018 and data
    destroyed" had been in neither, nor the answer's "contrast MoU 15.2.6 above"."""
    scope = rows("npd_release_scope_statements.csv")
    (plan,) = [r for r in scope if r["organisation"] == "Home Office" and r["statement"] == "planned"]
    assert (scope.index(plan) + 2, plan["data_item_as_written"]) == (37, "(Once collected) nationality")
    (refusal,) = [r for r in scope if r["statement"] == "not_available" and "nationality" in r["data_item_as_written"]]
    variables = {"urn": URN, "fromYear": 2012, "toYear": 2016}
    data = (await ask("record-reach", first=100, **variables))["recordReach"]
    (planned,) = data["planned"]
    assert (planned["kind"], planned["subject"], planned["statement"]["quote"]) == (
        "planned",
        plan["organisation"],
        plan["quote"],
    )
    assert planned["statement"]["certainty"]["level"] == "REPORTED"  # a campaigner quoting the MoU
    assert "nationality collection stopped 2018 and data destroyed" in plan["notes"]
    assert planned["statement"]["notes"] == plan["notes"]
    assert refusal["notes"] in {s["statement"]["notes"] for s in data["notReleased"]}
    assert refusal["quote"] in {s["statement"]["quote"] for s in data["notReleased"]}
    went = [
        s for g in data["groups"] for r in g["releases"]["nodes"] for s in r["statements"] + r["recipientStatements"]
    ]
    assert went and plan["quote"] not in {s["statement"]["quote"] for s in went}
    text = (await ask("letter", **variables))["letter"]["text"]
    releases, rest = text.split("What the record says was not released")
    assert plan["quote"] not in releases
    said = f"- {plan['organisation']} (as of {plan['date_as_cited']}): planned: {plan['data_item_as_written']}: "
    (line,) = [line for line in rest.split("What the record says was planned")[1].splitlines() if line.startswith(said)]
    note = f" (the compiler's note: {plan['notes']})"
    assert line.startswith(f"{said}\u201c{plan['quote']}\u201d{note}; {CERTAINTY_WORDS[CertaintyLevel.REPORTED]}"), line
    not_released = rest.split("What the record says was planned")[0]
    assert f"\u201c{refusal['quote']}\u201d (the compiler's note: {refusal['notes']}); " in not_released


async def test_record_reach_answers_on_a_synthetic_graph_whose_data_sets_say_school_level() -> None:
    """The read-through of release 0.21.0: a synthetic graph's data sets of level "school-level" carry no name from
    DfE's list (no ``listed_as``), and recordReach's ``levelSaid`` read that name, so /reach on a synthetic graph
    answered an internal error. A data set is listed apart only where DfE's list names it so."""
    from importers.synthetic_graph import generate
    from lineage.api.client import execute_over_http

    batch = generate(0.0005, seed=7)
    store = MemoryStore()
    store.write(batch.nodes, batch.edges)
    school_level = [n for n in store.all_nodes(NodeKind.DATASET) if n.props.get("level") == "school-level"]
    assert school_level and not any("listed_as" in n.props for n in school_level)
    urn = int(min(store.all_nodes(NodeKind.SCHOOL), key=lambda n: n.key).key)
    query = (QUERIES / "record-reach.graphql").read_text()
    status, body = await execute_over_http(store, query, {"urn": urn, "fromYear": 2010, "toYear": 2016, "first": 100})
    assert status == 200 and "errors" not in body, body.get("errors")
    held = body["data"]["recordReach"]["datasets"]
    assert held and not any(line["schoolLevel"] or line["levelSaid"] for line in held)
