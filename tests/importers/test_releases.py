"""register-foi and sharing-figures on both stores. Expectations come from the CSVs, read here with the csv
module, or from rows checked by hand against them (quoted below)."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from importers.figures import SharingFiguresImporter
from importers.reading import BadInput
from importers.releases import RegisterFoiImporter
from lineage.model import Certainty, CertaintyLevel, Citation, EdgeKind, Node, NodeKind, Validity
from lineage.resources import DATA_DIR
from lineage.store import Direction, Store
from lineage.stores.memory import MemoryStore

REGISTER = DATA_DIR / "npd_register_entries_cited_in_foi.csv"
FIGURES = DATA_DIR / "npd_sharing_figures_compiled.csv"
ITEMS = DATA_DIR / "npd_data_items_2018.csv"
TEST_CITE = Citation("release importer tests", "tests/importers/test_releases.py", None, "")


def lines(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line in the file, row) for every data row; the header is line 1."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return [(number, dict(zip(header, cells, strict=True))) for number, cells in enumerate(reader, start=2)]


@cache
def register_rows() -> list[tuple[int, dict[str, str]]]:
    return lines(REGISTER)


@cache
def alias_rows() -> list[tuple[int, dict[str, str]]]:
    return lines(DATA_DIR / "organisation_aliases.csv")


@cache
def figure_rows() -> list[tuple[int, dict[str, str]]]:
    return lines(FIGURES)


def register_row(**match: str) -> tuple[int, dict[str, str]]:
    found = [(n, row) for n, row in register_rows() if all(row[k] == v for k, v in match.items())]
    assert len(found) == 1, match
    return found[0]


@cache
def tier_items() -> tuple[Node, ...]:
    """Minimal DataItem nodes for every old tier 1 or 2 item of the data tables (key sheet/alias, as the model
    says), with their real old tier and cited to their CSV line, plus the first few tier 4 items (which no
    tier 1/2 release reaches). The npd-items importer is written elsewhere; these stand in for it."""
    nodes: dict[str, Node] = {}
    tier4 = 0
    for number, row in lines(ITEMS):
        tier = row["old_tier"]
        if tier not in ("1", "2") and not (tier == "4" and tier4 < 5):
            continue
        tier4 += tier == "4"
        key = f"{row['sheet']}/{row['npd_alias']}"
        cite = Citation("NPD Data Tables (October 2018)", ITEMS.name, number, "")
        old = nodes.get(key)
        cites = frozenset({cite}) | (old.citations if old else frozenset())
        nodes[key] = Node(
            NodeKind.DATA_ITEM, key, row["npd_alias"], {"alias": row["npd_alias"], "old_tier": int(tier)}, cites
        )
    return tuple(nodes.values())


def expected_tier12_items() -> set[str]:
    return {f"DataItem:{row['sheet']}/{row['npd_alias']}" for _, row in lines(ITEMS) if row["old_tier"] in ("1", "2")}


def tier_releases() -> list[tuple[int, dict[str, str]]]:
    return [(n, row) for n, row in register_rows() if "tier 1 or tier 2" in row["status_as_cited"]]


def hops(store: Store, id_: str, kind: EdgeKind, direction: Direction = Direction.BOTH):
    found = store.neighbours(id_, direction, edge_kinds=[kind], limit=1000).hops
    assert found.total <= 1000
    return found.items


# ---- register-foi ---------------------------------------------------------------------------------------


def test_daily_telegraph_2013_release(empty_store: Store) -> None:
    number, row = register_row(organisation="Daily Telegraph")
    assert (row["date_as_cited"], row["reference"]) == ("2013-02-20", "")  # checked by hand against the CSV
    RegisterFoiImporter().run(empty_store, REGISTER)
    cite = Citation(RegisterFoiImporter.document, REGISTER.name, number, row["source_url"])

    release = empty_store.get_node("Release:npd-third-party-requests-pre-dsap/2013-02-20/daily-telegraph")
    assert release is not None and release.citations == {cite}
    assert release.props == {
        "register": row["register"],
        "date": dt.date(2013, 2, 20),
        "status": row["status_as_cited"],
        "tiers": ("1", "2"),
        "scope_published": False,
    }
    (sent,) = hops(empty_store, release.id, EdgeKind.SENT_TO)
    assert sent.node.id == "Organisation:daily telegraph" and sent.node.props["org_type"] == "media"
    assert sent.node.certainty == Certainty(CertaintyLevel.INFERRED, "org-type:alias-table")
    # the register says approved, not sent: the sending is inferred by a named rule
    assert sent.edge.certainty == Certainty(CertaintyLevel.INFERRED, "sent-to:approved-request")
    assert sent.edge.citations == {cite}
    (approval,) = hops(empty_store, release.id, EdgeKind.APPROVED_BY)
    # a requester quoting the register is an account of it (data/source_kinds.csv), not DfE's own word
    assert approval.edge.certainty.level is CertaintyLevel.REPORTED
    assert approval.node.props == {}  # the row names no panel and no legal gateway, so neither is set


def test_ds00804_home_office(empty_store: Store) -> None:
    number, row = register_row(reference="DS00804")
    assert row["organisation"] == "Home Office"
    other_home_office = [n for n, r in register_rows() if r["organisation"] == "Home Office"]
    RegisterFoiImporter().run(empty_store, REGISTER)

    # "submitted for DSAP approval" says nothing of data leaving DfE: an application, and no Release
    assert row["status_as_cited"] == "submitted for DSAP approval"
    assert empty_store.get_node("Release:DS00804") is None
    application = empty_store.get_node("Application:DS00804")
    assert application.citations == {Citation(RegisterFoiImporter.document, REGISTER.name, number, row["source_url"])}
    (sent,) = hops(empty_store, application.id, EdgeKind.MADE_BY)
    assert sent.node.id == "Organisation:home office"
    # its variants: as this file names it, and as the alias table gives it (an abbreviation the figures use)
    table = [(n, r) for n, r in alias_rows() if r["canonical"] == "Home Office"]
    assert [r["variant"] for _, r in table] == ["HO"]
    assert sent.node.props == {"org_type": "government department", "variants": ("HO", "Home Office")}
    assert sent.node.certainty.rule == "org-type:government-department"
    # cited by the rows naming it, the row naming it as a commissioner (DS00763), and the table's row
    commissioning = [n for n, r in register_rows() if "commissioned by Home Office" in r["organisation"]]
    assert len(commissioning) == 1
    register_cited = {c.row for c in sent.node.citations if c.file == REGISTER.name}
    assert register_cited == set(other_home_office) | set(commissioning)
    assert {c.row for c in sent.node.citations if c.file == "organisation_aliases.csv"} == {n for n, _ in table}
    # the row names the applicant as a requester quoted it: reported
    assert sent.edge.certainty == Certainty(CertaintyLevel.REPORTED)
    # the record says the application was submitted, not approved: no Release, no Approval, the status kept
    assert hops(empty_store, application.id, EdgeKind.LED_TO) == ()
    assert application.props["status"] == "submitted for approval"
    assert application.props["status_as_cited"] == row["status_as_cited"]


@pytest.mark.parametrize("reference", ["DS00638", "DR161003.02"])
def test_an_application_named_by_a_reference_or_a_released_form_is_not_said_submitted(
    empty_store: Store, reference: str
) -> None:
    """The reading of answers' case: 'application referenced' (DS00638) and 'application form released (redacted)
    in FOI response' (DR161003.02) were given the status 'submitted for approval', which neither row says: its
    outcome is not stated, and its words are kept."""
    _, row = register_row(reference=reference)
    assert row["status_as_cited"].startswith(("application referenced", "application form released"))
    RegisterFoiImporter().run(empty_store, REGISTER)
    (application,) = [a for a in empty_store.all_nodes(NodeKind.APPLICATION) if a.props.get("reference") == reference]
    assert application.props["status"] == "not stated"
    assert application.props["status_as_cited"] == row["status_as_cited"]
    assert hops(empty_store, application.id, EdgeKind.LED_TO) == ()


def test_dr170518_02_locrating(empty_store: Store) -> None:
    _, row = register_row(reference="DR170518.02")
    assert (row["organisation"], row["status_as_cited"]) == ("Locrating Ltd", "listed as recipient")
    RegisterFoiImporter().run(empty_store, REGISTER)
    (sent,) = hops(empty_store, "Release:DR170518.02", EdgeKind.SENT_TO)
    assert sent.node.id == "Organisation:locrating" and sent.node.props["org_type"] == "commercial"
    assert sent.node.certainty.rule == "org-type:company-suffix"
    assert sent.edge.certainty.level is CertaintyLevel.REPORTED  # listed as a recipient, as a requester quotes it
    assert hops(empty_store, "Release:DR170518.02", EdgeKind.APPROVED_BY) == ()  # no approval is stated


def test_counts_follow_the_rows(empty_store: Store) -> None:
    rows = [row for _, row in register_rows()]
    rejected = [row for row in rows if row["status_as_cited"] == "rejected"]
    assert [row["organisation"] for row in rejected] == ["Early Excellence Limited"]
    # data went (or was approved to go) only where the record says approved or listed as recipient; an
    # application submitted, referenced or whose form was released says nothing of data leaving DfE
    kept = [row for row in rows if row["status_as_cited"].startswith(("approved", "listed as recipient"))]
    assert len(kept) == 23
    # checked by hand: one redacted name and one group ("Local Authorities") name no single body, both applications
    unnamed = [row for row in rows if row["organisation"].startswith("(") or row["organisation"] == "Local Authorities"]
    assert len(unnamed) == 2 and not [row for row in unnamed if row in kept]
    # an Approval only where the record says the application was approved
    approvals = [row for row in kept if row["status_as_cited"].startswith("approved")]

    report = RegisterFoiImporter().run(empty_store, REGISTER)
    counts = empty_store.counts()
    assert (report.rows_read, report.rows_skipped) == (len(rows), 0)  # a refused application is kept too
    assert counts.nodes["Application"] == len(rows)
    assert counts.nodes["Release"] == len(kept)
    assert counts.edges["SENT_TO"] == len(kept)
    assert counts.nodes["Approval"] == counts.edges["APPROVED_BY"] == len(approvals) == 10
    # Early Excellence's rejection is in the graph as an application, and no release
    (made,) = hops(empty_store, "Organisation:early excellence", EdgeKind.MADE_BY)
    assert made.node.props["status"] == "rejected" and hops(empty_store, made.node.id, EdgeKind.LED_TO) == ()
    assert "legal_gateway" not in {p for n in empty_store.list_nodes(NodeKind.APPROVAL, 1000).items for p in n.props}
    # both FFT spellings meet on one organisation
    fft = empty_store.get_node("Organisation:fischer family trust education")
    assert fft.props["variants"] == ("FFT Education Ltd", "Fischer Family Trust Education Limited (FFT)")


def test_without_items_the_tiers_stay_on_the_release_and_the_report_says_why(empty_store: Store) -> None:
    report = RegisterFoiImporter().run(empty_store, REGISTER)
    assert "INCLUDES" not in empty_store.counts().edges
    reason = "INCLUDES at tier level (no DataItem of old tier 1/2 in the store yet)"
    assert report.left_out[reason] == len(tier_releases())
    for _, row in tier_releases():
        found = empty_store.search(row["organisation"], [NodeKind.RELEASE]).items
        assert any(node.props.get("tiers") == ("1", "2") for node in found), row


def test_tier_level_includes_reach_every_old_tier_1_and_2_item(empty_store: Store) -> None:
    empty_store.write(tier_items())
    report = RegisterFoiImporter().run(empty_store, REGISTER)
    expected = expected_tier12_items()
    assert len(expected) == 251  # distinct sheet/alias pairs of old tier 1 or 2 in the CSV (checked by hand)
    included = hops(
        empty_store, "Release:npd-third-party-requests-pre-dsap/2013-02-20/daily-telegraph", EdgeKind.INCLUDES
    )
    assert {hop.node.id for hop in included} == expected
    assert {hop.edge.certainty for hop in included} == {Certainty(CertaintyLevel.TIER_LEVEL)}
    assert empty_store.counts().edges["INCLUDES"] == len(expected) * len(tier_releases())
    assert not any(k.startswith("INCLUDES") for k in report.left_out)


def test_importing_twice_changes_nothing(empty_store: Store) -> None:
    first = RegisterFoiImporter().run(empty_store, REGISTER)
    figures = SharingFiguresImporter().run(empty_store, FIGURES)
    before = empty_store.counts()
    again = RegisterFoiImporter().run(empty_store, REGISTER)
    figures_again = SharingFiguresImporter().run(empty_store, FIGURES)
    assert first.nodes_created > 0 and figures.nodes_created > 0
    assert (again.nodes_created, again.edges_created) == (0, 0)
    assert (figures_again.nodes_created, figures_again.edges_created) == (0, 0)
    assert empty_store.counts() == before
    # a later import keeps the variants an earlier one recorded
    moj = empty_store.get_node("Organisation:ministry of justice")
    assert moj.props["variants"] == ("Ministry of Justice (MOJ)", "MoJ")


# ---- sharing-figures ----------------------------------------------------------------------------------


def figure(measure: str, period: str) -> tuple[int, dict[str, str]]:
    (found,) = [(n, row) for n, row in figure_rows() if row["measure"] == measure and row["period"] == period]
    return found


def test_home_office_records_returned_flow_to_the_home_office(empty_store: Store) -> None:
    number, row = figure("records returned (corrected)", "2015-07..2016-09")
    assert (row["flow"], row["value"]) == ("DfE (NPD) -> Home Office", "531")
    SharingFiguresImporter().run(empty_store, FIGURES)
    node = empty_store.get_node(f"AggregateFlow:home_office:2015-07..2016-09:{row['measure']}")
    assert node.props["value"] == 531.0 and node.props["unit"] == row["unit"] and node.props["verified"] is True
    assert node.validity == Validity(dt.date(2015, 7, 1), dt.date(2016, 9, 30))
    assert node.citations == {Citation(row["source"], FIGURES.name, number, row["source_url"])}
    (flows,) = hops(empty_store, node.id, EdgeKind.FLOWS_TO)
    assert flows.node.id == "Organisation:home office" and flows.edge.validity == node.validity


def _sides(flow: str) -> tuple[list[str], list[str]]:
    """(senders, receivers) of a published flow as the figures file writes it."""
    if "<->" in flow:
        both = [side.strip() for side in flow.split("<->")]
        return both, both
    sender, _, receiver = flow.partition("->")
    return ([sender.strip()], [receiver.strip()]) if receiver else ([], [])


@pytest.mark.parametrize(("kind", "side"), [(EdgeKind.FLOWS_TO, 1), (EdgeKind.FLOWS_FROM, 0)])
def test_flows_reach_only_named_bodies(empty_store: Store, kind: EdgeKind, side: int) -> None:
    """A flow goes to the body on its receiving side and comes from the one on its sending side, never to or
    from DfE itself, never a group ("third parties"); the police, counted together, are one node."""
    bodies = {
        "Home Office": "Organisation:home office",
        "MoJ": "Organisation:ministry of justice",
        "Police": "Organisation:police forces",
    }
    verified = [(n, row) for n, row in figure_rows() if row["topic"] != "unverified"]
    expected = sorted((bodies[name], n) for n, row in verified for name in _sides(row["flow"])[side] if name in bodies)
    named = {name for _, row in verified for name in _sides(row["flow"])[side]}
    groups = named & {"third parties", "researchers", "applicants", "external"}
    assert named - groups - set(bodies) <= {"DfE", "DfE (NPD)", "NPD", "school census"}  # the holder, or no body

    report = SharingFiguresImporter().run(empty_store, FIGURES)
    assert empty_store.counts().nodes["AggregateFlow"] == len(figure_rows())
    flows = sorted(
        (id_, next(iter(h.edge.citations)).row)
        for id_ in bodies.values()
        for h in hops(empty_store, id_, kind, Direction.BOTH)
    )
    assert flows == expected and flows
    assert empty_store.counts().edges[kind.value] == len(flows)
    group_rows = [n for n, row in verified for name in _sides(row["flow"])[side] if name in groups]
    assert report.left_out[f"{kind} (names a group of bodies, not one organisation)"] == len(group_rows)
    assert empty_store.get_node("Organisation:dfe") is None
    police = empty_store.get_node("Organisation:police forces")
    assert police.name == "Police forces (not named in the record)" and police.props["org_type"] == "police"


def test_figures_keep_what_is_published(empty_store: Store) -> None:
    SharingFiguresImporter().run(empty_store, FIGURES)
    _, police = figure("pupils whose information was shared (corrected)", "2012-04..2016-10")
    node = empty_store.get_node(f"AggregateFlow:police:2012-04..2016-10:{police['measure']}")
    assert node.props["value"] == float(police["value"]) == 62.0
    _, refused = figure("NPD extract applications refused per year", "2012..2016 (to 15 Dec)")
    node = empty_store.get_node(f"AggregateFlow:third_party:{refused['period']}:{refused['measure']}")
    assert node.props["value_text"] == refused["value"] and "value" not in node.props
    # a period with the compiler's note after it is read with the note (to 15 December 2016), and kept as text; the
    # reading of answers found the timeline left it out as undated, with DfE's refusals per year
    assert node.props["period"] == refused["period"]
    assert node.validity == Validity(dt.date(2012, 1, 1), dt.date(2016, 12, 15))
    foi = dict(figure_rows())[6]  # an end year in brackets: its month not given
    assert (foi["topic"], foi["period"]) == ("police", "2012-04..(2016)")
    node = empty_store.get_node(f"AggregateFlow:police:{foi['period']}:{foi['measure']}")
    assert node.validity == Validity(dt.date(2012, 4, 1), dt.date(2016, 12, 31))
    (current,) = [row for _, row in figure_rows() if row["period"] == "current"]
    assert empty_store.find_nodes(NodeKind.AGGREGATE_FLOW, "measure", [current["measure"]])[0].validity == Validity()
    for _, row in figure_rows():
        if row["topic"] == "unverified":
            node = empty_store.get_node(f"AggregateFlow:unverified:{row['period']}:{row['measure']}")
            assert node.props["verified"] is False and node.props["notes"] == row["notes"]


def test_a_figure_draws_on_a_collection_it_names(empty_store: Store) -> None:
    (number,) = [n for n, row in figure_rows() if row["flow"] == "school census"]
    empty_store.write([Node(NodeKind.COLLECTION, "school census", "School census", {}, frozenset({TEST_CITE}))])
    SharingFiguresImporter().run(empty_store, FIGURES)
    (drawn,) = hops(empty_store, "Collection:school census", EdgeKind.DRAWS_ON, Direction.DOWNSTREAM)
    assert next(iter(drawn.edge.citations)).row == number


# ---- bad input -----------------------------------------------------------------------------------------

REGISTER_HEADER = "register,reference,date_as_cited,organisation,status_as_cited,cited_context,source_url"
FEBRUARY_30 = ',"February 30, 2017",'  # a date cell in the register's other way of writing one
GOOD = "Example register (fictional),DS09999,,Example Analytics Ltd,listed as recipient,test,https://example.org/x"


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("", "the file is empty"),
        ("register,reference,date,organisation,status_as_cited,cited_context,source_url\n", "missing column"),
        (f"{REGISTER_HEADER}\n{GOOD.replace(',,', ',20-02-2013,')}\n", r"row 2, column 'date_as_cited'"),
        # read as words, as "October 2013" is: the release was undated, and a gap asked DfE for its date
        (f"{REGISTER_HEADER}\n{GOOD.replace(',,', FEBRUARY_30)}\n", r"row 2, column 'date_as_cited'"),
        (
            f"{REGISTER_HEADER}\n{GOOD.replace(',,', ',15 August 2017,')}\n",
            r"row 2, column 'date_as_cited'",
        ),  # day first
        (f"{REGISTER_HEADER}\n{GOOD.replace('DS09999', 'X-1')}\n", r"row 2, column 'reference'"),
        (f"{REGISTER_HEADER}\n{GOOD}\n{GOOD}\n", r"row 3, column 'reference': duplicate key 'DS09999'"),
        (
            f"{REGISTER_HEADER}\n{GOOD.replace('DS09999', '').replace('Example Analytics Ltd', '')}\n",
            r"row 2, column 'reference'.*a reference, or an organisation",
        ),
        (f"{REGISTER_HEADER}\n{GOOD.replace('https://example.org/x', '')}\n", r"row 2, column 'source_url'"),
        (f"{REGISTER_HEADER}\n{GOOD.rsplit(',', 1)[0]}\n", r"row 2.*truncated"),
    ],
)
def test_bad_register_files_write_nothing(tmp_path: Path, body: str, match: str) -> None:
    store = MemoryStore()
    path = tmp_path / "register.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(BadInput, match=match):
        RegisterFoiImporter().run(store, path)
    assert store.counts().total_nodes == 0


FIGURES_HEADER = "topic,period,flow,measure,value,unit,source,source_url,notes"
FIGURE = (
    "example,2016-01..2016-02,DfE (NPD) -> Example Analytics Ltd,records (fictional),5,records,"
    "Parliament written answer (fictional),https://example.org/y,"
)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (f"{FIGURES_HEADER}\n{FIGURE}\n{FIGURE}\n", r"row 3, column 'topic, period, measure': duplicate key"),
        (f"{FIGURES_HEADER}\n{FIGURE.replace('2016-02', '2016-13')}\n", r"row 2, column 'period'"),
        # refused by the model, naming neither the file nor the row
        (
            f"{FIGURES_HEADER}\n{FIGURE.replace('2016-01..2016-02', '2016-02..2016-01')}\n",
            r"row 2, column 'period': the period's start, 2016-02-01, is after its end, 2016-01-31",
        ),
        (f"{FIGURES_HEADER}\n{FIGURE.replace('https://example.org/y', '')}\n", r"row 2, column 'source_url'"),
        (f"{FIGURES_HEADER}\n{FIGURE.replace('example,', ',', 1)}\n", r"row 2, column 'topic'"),
        # 400 nines overflow a float: stored as inf, it broke the API and was written as Infinity, not JSON
        (f"{FIGURES_HEADER}\n{FIGURE.replace(',5,', ',' + '9' * 400 + ',')}\n", r"row 2, column 'value'.*too large"),
        (
            f"{FIGURES_HEADER}\n{FIGURE.replace('Parliament written', 'A blog')}\n",
            r"row 2, column 'source'.*unknown kind",
        ),
    ],
)
def test_bad_figure_files_write_nothing(tmp_path: Path, body: str, match: str) -> None:
    store = MemoryStore()
    path = tmp_path / "figures.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(BadInput, match=match):
        SharingFiguresImporter().run(store, path)
    assert store.counts().total_nodes == 0


def test_the_fictional_good_rows_do_import(tmp_path: Path) -> None:
    """The bad-input cases above fail for the reason they name: the same rows, unbroken, import."""
    store = MemoryStore()
    (tmp_path / "register.csv").write_text(f"{REGISTER_HEADER}\n{GOOD}\n", encoding="utf-8")
    (tmp_path / "figures.csv").write_text(f"{FIGURES_HEADER}\n{FIGURE}\n", encoding="utf-8")
    RegisterFoiImporter().run(store, tmp_path / "register.csv")
    SharingFiguresImporter().run(store, tmp_path / "figures.csv")
    assert store.counts().nodes["Release"] == 1 and store.counts().edges["FLOWS_TO"] == 1


@pytest.mark.parametrize(("value", "quoted"), [("2.5", "2.5"), ("1,234.5", "1,234.5"), ("5", "5")])
def test_a_figure_is_quoted_as_its_row_gives_it(tmp_path: Path, value: str, quoted: str) -> None:
    """A figure of 2.5 had been quoted as 2 and one of 1,234.5 as 1,234 (rounded to a whole number) in the timeline,
    the gaps and an FOI request, which then misquoted its source to the authority asked."""
    from lineage.questions.gaps import gaps
    from lineage.questions.timeline import figure_text

    store = MemoryStore()
    path = tmp_path / "figures.csv"
    unverified = FIGURE.replace("example,", "unverified,", 1).replace(",5,", f',"{value}",')
    path.write_text(f"{FIGURES_HEADER}\n{unverified}\n", encoding="utf-8")
    SharingFiguresImporter().run(store, path)
    (figure,) = store.all_nodes(NodeKind.AGGREGATE_FLOW)
    assert f": {quoted} records" in figure_text(figure)
    (gap,) = [g for g in gaps(store) if g.subject.id == figure.id]
    assert any(f": {quoted} records" in known for known in gap.known)


def test_the_statement_dates_table_refuses_a_bad_date_and_keeps_only_the_rows_it_read(tmp_path: Path) -> None:
    """Our table dating written answers, and reports that date a statement only as 'last year': a date that is
    not a day is refused by file and row; each entry names the source it read, so a statements file whose row now
    cites another source is not dated by it."""
    from importers.scope import load_dates
    from lineage.dates import latest_day

    bundled = load_dates()
    with open(DATA_DIR / "npd_release_scope_statements.csv", newline="", encoding="utf-8") as handle:
        statements = list(csv.DictReader(handle))
    for (file, row), dated in bundled.items():
        stated = statements[row - 2]
        assert file == "npd_release_scope_statements.csv" and stated["source_url"] == dated.source_url
        assert latest_day(stated["date_as_cited"]) is None  # only where the row gives no date of its own
        # the day the notes give (a written answer's), or the end of the month of the report the date words name
        report_month = dated.day.strftime("as reported %B %Y") in stated["date_as_cited"]
        assert report_month or dated.day.strftime("%-d %b %Y") in stated["notes"].replace("July", "Jul")
        assert not report_month or (dated.day + dt.timedelta(days=1)).day == 1  # the month's last day
    bad = tmp_path / "statement_dates.csv"
    bad.write_text(
        "file,row,row_says,source_url,date,reasoning\nx.csv,3,a,https://example.org,22 Nov 2016,why\n",
        encoding="utf-8",
    )
    with pytest.raises(BadInput, match=r"statement_dates\.csv.*row 2"):
        load_dates(bad)


def test_an_original_figure_a_later_source_corrected_says_so(empty_store: Store) -> None:
    """The audit's case: the Home Office's 2,462 individuals and 520 records (written answer 48634) and the
    police's 31 requests, each corrected by HCWS272, were answered as figures like any other, the timeline
    giving 'access requests made: 31' alone."""
    from lineage.questions.timeline import timeline

    SharingFiguresImporter().run(empty_store, DATA_DIR / SharingFiguresImporter.bundled)
    with open(DATA_DIR / SharingFiguresImporter.bundled, newline="", encoding="utf-8") as handle:
        rows = {n: r for n, r in enumerate(csv.DictReader(handle), start=2)}
    originals = {n for n, r in rows.items() if "(original answer)" in r["measure"] or "later corrected" in r["source"]}
    assert originals == {2, 9, 10}  # read by hand: the rows HCWS272 corrects (rows 3 to 5, 11 and 12)
    figures = {next(iter(n.citations)).row: n for n in empty_store.all_nodes(NodeKind.AGGREGATE_FLOW)}
    assert {row for row, node in figures.items() if node.props.get("corrected_later")} == originals
    entries = [e for e in timeline(empty_store).entries if e.node.id == figures[2].id]
    assert entries and all("a later source corrected it" in e.text for e in entries)


def test_a_statement_only_the_notes_quote_is_kept_while_the_row_still_quotes_it(tmp_path: Path) -> None:
    """note_statements.csv reads a second sentence of a row's source from the row's notes (DfE's answer on the
    Telegraph: 'did not contain any data items that are sensitive'). Each entry names the source and the words it
    read: a statements file whose row no longer quotes them states nothing more, and the import says why."""
    from importers.scope import ScopeStatementsImporter, load_notes

    with open(DATA_DIR / "npd_release_scope_statements.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    notes = load_notes()
    assert notes
    for (file, at), note in notes.items():
        assert file == "npd_release_scope_statements.csv"
        assert note.source_url == rows[at - 2]["source_url"] and note.quote in rows[at - 2]["notes"]
        assert note.another_copy_reads in rows[at - 2]["notes"]  # TheyWorkForYou's 'highly sensitive'

    def statements_from(edited: list[dict[str, str]]) -> tuple[list[Node], Counter[str]]:
        path = tmp_path / "npd_release_scope_statements.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(edited)
        store = MemoryStore()
        report = ScopeStatementsImporter().run(store, path)
        return [n for n in store.all_nodes(NodeKind.STATEMENT) if n.props.get("read_from")], report.left_out

    (at,) = {at for _, at in notes}
    read, _ = statements_from(rows)
    note = notes[("npd_release_scope_statements.csv", at)]
    assert [(n.props["statement"], n.props["items_as_written"], n.props["quote"]) for n in read] == [
        (note.statement, note.items_as_written, note.quote)
    ]
    assert read[0].props["another_copy_reads"] == note.another_copy_reads == "highly sensitive"
    assert note.items_as_written in note.quote  # the words as the notes quote them, never our reading of them
    assert {c.row for c in read[0].citations} == {at, 2}  # the statements file's row and the table's
    rows[at - 2] = {**rows[at - 2], "notes": "NOT RELEASED per DfE PQ answer 31 Oct 2017"}
    read, left_out = statements_from(rows)
    assert read == [] and any("note_statements.csv row 2" in reason for reason in left_out)
    # a statements file without the row the table reads says so too, where nothing was said (hostile-input reading)
    read, left_out = statements_from(rows[: at - 2])
    assert read == [] and any(f"note_statements.csv row 2: no row {at}" in reason for reason in left_out)


def test_a_reference_another_file_gives_another_body_is_refused_writing_nothing(tmp_path: Path) -> None:
    """Hostile input, round three: a copy of a register giving Locrating's reference to another company was joined to
    Locrating's application, which was then made by both, and listed by each body's answer as its own, without a
    word. The second file's row is refused, naming the first's."""
    store = MemoryStore()
    first, second = tmp_path / "register.csv", tmp_path / "copy.csv"
    first.write_text(f"{REGISTER_HEADER}\n{GOOD}\n", encoding="utf-8")
    second.write_text(
        f"{REGISTER_HEADER}\n{GOOD.replace('Example Analytics Ltd', 'Other Example Ltd')}\n", encoding="utf-8"
    )
    RegisterFoiImporter().run(store, first)
    before = store.counts()
    with pytest.raises(BadInput, match=r"copy.csv, row 2, column 'organisation': DS09999 is already the application of "
                       r"Example Analytics Ltd \(register.csv row 2\), not of 'Other Example Ltd'"):  # fmt: skip
        RegisterFoiImporter().run(store, second)
    assert store.counts() == before
    RegisterFoiImporter().run(store, first)  # the same body again: a re-import, which changes nothing
    assert store.counts() == before


def test_a_register_row_naming_no_old_tier_is_refused_naming_its_cells(tmp_path: Path) -> None:
    """The hostile-input reading, round six: the register files' "Tier 12" was read as tier 1."""
    from importers.releases import RegisterMoreImporter

    source = DATA_DIR / RegisterMoreImporter.bundled
    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("tier_or_scope")
    tiered = next(n for n, row in enumerate(rows) if row[column] == "Tier 1")
    rows[tiered][column] = "Tier 12"
    path = tmp_path / source.name
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    where = f"row {tiered + 1}, column 'status_as_cited, tier_or_scope': names tier 12"
    with pytest.raises(BadInput, match=where):
        RegisterMoreImporter().run(MemoryStore(), path)


def _figures_with_period(tmp_path: Path, row: int, period: str) -> Path:
    """A copy of the bundled figures whose row ``row`` (as the file numbers it) gives ``period``."""
    with open(DATA_DIR / SharingFiguresImporter.bundled, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[row - 1][rows[0].index("period")] = period
    path = tmp_path / SharingFiguresImporter.bundled
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


#: The Home Office's 531 records returned (HCWS272), over 2015-07..2016-09: a volume in the flows.
RETURNED = 12


@pytest.mark.parametrize("period", ["07/2015..09/2016", "31/02/2019", "15.03.2019"])
def test_a_period_of_dates_written_otherwise_is_refused_not_read_as_none(tmp_path: Path, period: str) -> None:
    """The hostile-input reading, round six: "07/2015..09/2016" was read as words, holding always, so the Home
    Office's records returned stood in the flows of 1996."""
    path = _figures_with_period(tmp_path, RETURNED, period)
    with pytest.raises(BadInput, match=rf"row {RETURNED}, column 'period': .* is a date in figures but not as YYYY"):
        SharingFiguresImporter().run(MemoryStore(), path)


def test_a_figure_the_record_gives_no_date_is_left_out_of_a_period_and_counted(tmp_path: Path) -> None:
    """A volume with no date stood in every period asked (1996 among them), where an undated release is left out
    of a period and counted."""
    from lineage.questions.flows import flows

    store = MemoryStore()
    SharingFiguresImporter().run(store, _figures_with_period(tmp_path, RETURNED, "as reported in 2017"))
    (returned,) = [n for n in store.all_nodes(NodeKind.AGGREGATE_FLOW) if next(iter(n.citations)).row == RETURNED]
    assert returned.props["measure"] == "records returned (corrected)" and returned.validity == Validity()
    in_1996 = flows(store, dt.date(1996, 1, 1), dt.date(1996, 12, 31))
    assert not in_1996.volumes and in_1996.volumes_undated == 1
    whole = flows(store)
    assert returned.id in {v.flow.id for v in whole.volumes} and whole.volumes_undated == 0


def test_bodies_named_wholly_in_another_script_have_releases_of_their_own(tmp_path: Path) -> None:
    """The hostile-input reading, round six: keys kept only a-z and 0-9, so two universities named in Chinese,
    approved on one day, had one key, and the import refused them as one row given twice. (Fictional rows.)"""
    with (DATA_DIR / RegisterFoiImporter.bundled).open(encoding="utf-8") as handle:
        header = handle.readline()
    rows = [
        f"NPD third-party requests (pre-DSAP),,2012-08-08,{name},approved (tier 1 or tier 2 data),x,https://example.org/{n}"
        for n, name in enumerate(["北京大学", "清华大学"])
    ]
    path = tmp_path / "register.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    store = MemoryStore()
    RegisterFoiImporter().run(store, path)
    releases = store.all_nodes(NodeKind.RELEASE)
    assert sorted(r.id for r in releases) == [
        "Release:npd-third-party-requests-pre-dsap/2012-08-08/北京大学",
        "Release:npd-third-party-requests-pre-dsap/2012-08-08/清华大学",
    ]
