"""The explorer at /explore in headless Chromium, on the real graph in the embedded store.

Expected answers come from the bundled CSVs (the register rows, the organisation aliases, the NPD items) or
from the cookbook's own `flows` query asked over HTTP beside the page, never from what the page says about
itself. Every test ends with no console error and no request outside the app, and leaves a screenshot under
artifacts/browser/.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from lineage.errors import MAX_QUOTED
from tests.browser.browser import Browser

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
FLOWS_QUERY = (ROOT / "graphql" / "queries" / "flows.graphql").read_text()


def rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


REGISTER = rows("npd_register_entries_cited_in_foi.csv")
ALIASES = {row["variant"]: row for row in rows("organisation_aliases.csv")}
# Releases approved for tiers of data are the ones with a scope drawn (their tiers' items, at tier level); the rest
# of the register names no items, and is drawn through "items not published".
SCOPED = [r for r in REGISTER if "tier 1 or tier 2" in r["status_as_cited"]]
EVENTS = rows("npd_events_from_campaign_page.csv")


def canonical(cited: str) -> str:
    alias = ALIASES.get(cited)
    return alias["canonical"] if alias and alias["canonical"] else cited


def org_type(cited: str) -> str | None:
    alias = ALIASES.get(cited)
    return alias["org_type"] if alias else None


def flows(origin: str, **variables: Any) -> dict[str, Any]:
    """The `flows` question asked over HTTP, beside the page (not through it): the cookbook's operation."""
    response = httpx.post(f"{origin}/graphql", json={"query": FLOWS_QUERY, "variables": variables}, timeout=30)
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return body["data"]["flows"]


@pytest.fixture
def page(browser: Browser) -> Iterator[Browser]:
    yield browser
    assert browser.problems() == []  # no console error, no failed request, nothing outside the app


def drawn_links(page: Browser) -> list[tuple[str | None, str | None]]:
    return list(
        zip(
            page.attributes("#sankey path.link", "data-source"),
            page.attributes("#sankey path.link", "data-target"),
            strict=True,
        )
    )


def labels(page: Browser, stage: str) -> set[str]:
    return {label for label in page.attributes(f'#sankey g.node[data-stage="{stage}"]', "data-label") if label}


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_the_sankey_draws_every_flow_to_the_organisations_of_the_register(page: Browser, origin: str) -> None:
    page.goto("/explore")
    page.ready("flows")
    page.screenshot("flows-all")
    answer = flows(origin)
    assert page.texts("#error") == [""]
    assert page.count("#sankey path.link") == len(answer["links"]) > 0
    assert sorted(drawn_links(page)) == sorted((link["source"], link["target"]) for link in answer["links"])
    drawn = labels(page, "organisation")
    assert drawn == {
        link["target"].split(":", 1)[1] for link in answer["links"] if link["target"].startswith("organisation:")
    }
    assert drawn >= {canonical(r["organisation"]) for r in SCOPED} | {
        "Daily Telegraph",
        "British Broadcasting Corporation",
    }
    # a release whose items are not published stays in the picture (the Home Office's DSAP applications)
    assert "items not published" in labels(page, "dataset") and "Home Office" in drawn
    assert f"{answer['releasesShown']} drawn" in page.texts("#flow-summary")[0]
    # the published volumes: one chart per unit, each figure its own bar, never added up
    home_office = [r for r in rows("npd_sharing_figures_compiled.csv") if r["flow"] == "DfE (NPD) -> Home Office"]
    assert {r["unit"] for r in home_office} == {"records", "individuals"}
    for row in home_office:
        chart = f'#volume-charts section[data-unit="{row["unit"]}"] text'
        # an original figure a later source corrected says so (its row: "(original answer)")
        caveat = " (original, later corrected)" if "(original answer)" in row["measure"] else ""
        assert f"{int(row['value']):,} {row['unit']}{caveat}" in page.texts(chart)
    assert page.count("#volume-charts section[data-unit]") == len(
        {v["flow"]["unit"] for v in answer["volumes"] if v["flow"].get("value") is not None}
    )
    # and the accesses to pupil records, listed apart (the flows after 2018: none is a published volume)
    accesses = [v for v in answer["volumes"] if v["link"]["kind"] == "ACCESSED_BY"]
    listed = page.texts('#volume-charts section:has(h3:text("Accesses to pupil records")) li')
    assert accesses and len(listed) == len(accesses)
    assert any("accessed by Trust Systems Software UK Ltd (2018-09..2020-01" in text for text in listed)
    corrected = next(r for r in home_office if r["value"] == "531")
    page.click('#volume-charts g.volume:has-text("531 records")')
    assert corrected["source_url"] in page.texts("#details")[0]


def test_a_period_redraws_the_sankey_for_the_releases_of_that_period(page: Browser, origin: str) -> None:
    page.goto("/explore")
    page.ready("flows")
    everything = page.count("#sankey path.link")
    page.fill("#flow-filters input[name=from]", "2013-01-01")
    page.fill("#flow-filters input[name=to]", "2013-12-31")
    page.click("#flow-filters button[type=submit]")
    page.wait_until("location.search.includes('from=2013-01-01')")
    page.ready("flows")
    page.screenshot("flows-2013")
    in_2013 = flows(origin, **{"from": "2013-01-01", "to": "2013-12-31"})
    assert page.count("#sankey path.link") == len(in_2013["links"]) != everything
    dated_2013 = [r for r in REGISTER if r["date_as_cited"].startswith("2013-") and r["status_as_cited"] != "rejected"]
    expected = {canonical(r["organisation"]) for r in dated_2013}
    assert labels(page, "organisation") == expected
    assert "Daily Telegraph" in expected and "Civitas" not in expected  # Civitas's release is of 2012
    assert "University of Cambridge Institute of Criminology" in expected  # its items are not published
    # the register's recipients it gives no date for may be of 2013 (the Home Office's exchange, since July 2015, not)
    undated = [r for r in REGISTER if r["status_as_cited"].startswith("listed as recipient") and not r["date_as_cited"]]
    assert f"{len(undated)} releases with no date in the record are left out" in page.texts("#flow-summary")[0]
    # the address is the view: opened afresh, it draws the same
    shared = page.url()
    page.goto(urlsplit(shared).path + "?" + urlsplit(shared).query)
    page.ready("flows")
    assert page.count("#sankey path.link") == len(in_2013["links"])


def test_filters_on_classification_and_organisation_type_narrow_every_column_exactly(
    page: Browser, origin: str
) -> None:
    page.goto("/explore?ident=5&orgtype=media")
    page.ready("flows")
    page.screenshot("flows-identifiability-5-media")
    classes = labels(page, "classification")
    assert classes and all(re.fullmatch(r"identifiability 5, sensitivity \w", c) for c in classes)
    assert labels(page, "organisation type") == {"media"}
    media = [r for r in SCOPED if org_type(r["organisation"]) == "media"]
    assert {canonical(r["organisation"]) for r in media} == {
        "Daily Telegraph", "Times Newspapers", "British Broadcasting Corporation"
    }  # fmt: skip
    assert labels(page, "organisation") == {canonical(r["organisation"]) for r in media}
    # every column counts only the media releases: no link carries more than there are
    counts = [int(n or 0) for n in page.attributes("#sankey path.link", "data-releases")]
    assert counts and max(counts) == len(media) == 3
    everything = {(link["source"], link["target"]): link["releases"] for link in flows(origin)["links"]}
    drawn = drawn_links(page)
    assert set(drawn) <= set(everything)
    assert any(everything[link] > len(media) for link in drawn)  # unfiltered, the same links carry more
    filtered = flows(origin, identifiability=[5], organisationTypes=["media"])
    assert sorted(drawn) == sorted((link["source"], link["target"]) for link in filtered["links"])
    assert page.count("#sankey path.link.unsplit") == 0
    assert page.count("#flow-caveat:not([hidden])") == 1
    # a box applies at once, and the choices stay those of the whole period
    assert set(page.attributes("#filter-orgtype input", "value")) > {"media"}
    page.click('#filter-orgtype input[value="media"]')
    page.wait_until("!location.search.includes('orgtype')")
    page.ready("flows")
    assert len(labels(page, "organisation type")) > 1


def test_a_classification_of_the_sankey_offers_its_scales_and_their_nodes(page: Browser, origin: str) -> None:
    """The filter's choices and the nodes a classification stands for come from the answer's own fields."""
    page.goto("/explore")
    page.ready("flows")
    scaled = [c for c in flows(origin)["classifications"] if c["identifiability"] is not None]
    assert scaled
    assert page.attributes("#filter-ident input", "value") == sorted({str(c["identifiability"]) for c in scaled})
    assert page.attributes("#filter-sens input", "value") == sorted({c["sensitivity"] for c in scaled})
    page.click('#sankey g.node[data-stage="classification"][data-label="identifiability 5, sensitivity C"] text')
    page.wait_for("#details ul.candidates a")
    page.screenshot("flows-classification-candidates")
    assert page.texts("#details ul.candidates a") == ["Identifiability 5", "Sensitivity C"]
    page.click('#details ul.candidates a:has-text("Sensitivity C")')
    page.ready("node")
    assert page.texts("#node-title") == ["Sensitivity C (classification)"]


def test_a_click_on_a_sankey_organisation_opens_its_node_view_with_its_cited_link(page: Browser) -> None:
    page.goto("/explore")
    page.ready("flows")
    page.click('#sankey g.node[data-stage="organisation"][data-label="Daily Telegraph"] text')
    page.ready("node")
    assert query_of(page.url()) == {"view": ["node"], "id": ["Organisation:daily telegraph"]}
    assert page.texts("#node-title") == ["Daily Telegraph (organisation)"]
    telegraph = [i for i, r in enumerate(REGISTER) if canonical(r["organisation"]) == "Daily Telegraph"]
    assert len(telegraph) == 1  # one register row, so one release sent to it
    # (its application and the statements about it are links too)
    sent = "window.explorer.cy.edges('.link').filter((e) => e.id().includes('|SENT_TO|'))"
    assert page.evaluate(f"{sent}.length") == len(telegraph)
    assert page.count("#details") == 1 and "Daily Telegraph" in page.texts("#details h3")
    x, y = page.evaluate(
        """(() => {
          const edge = window.explorer.cy.edges('.link').filter((e) => e.id().includes('|SENT_TO|'))[0];
          const at = edge.renderedMidpoint();
          const box = document.querySelector('#graph').getBoundingClientRect();
          return [box.left + at.x, box.top + at.y];
        })()"""
    )
    page.click_at(x, y)
    page.screenshot("node-daily-telegraph-link")
    panel = page.texts("#details")[0]
    assert f"npd_register_entries_cited_in_foi.csv, row {telegraph[0] + 2}" in panel
    assert REGISTER[telegraph[0]]["source_url"] in panel
    assert "inferred" in panel or "confirmed" in panel or "tier level" in panel
    playground = page.attributes("#playground-link", "href")[0] or ""
    asked = query_of(playground)
    assert urlsplit(playground).path == "/graphql" and "node(id: $id)" in asked["query"][0]
    assert json.loads(asked["variables"][0])["id"] == "Organisation:daily telegraph"


def test_the_keyboard_reaches_a_sankey_organisation_and_a_links_sources(page: Browser) -> None:
    page.goto("/explore")
    page.ready("flows")
    page.press('#sankey g.node[data-stage="organisation"][data-label="Daily Telegraph"]', "Enter")
    page.ready("node")
    assert page.texts("#node-title") == ["Daily Telegraph (organisation)"]
    (row,) = [i for i, r in enumerate(REGISTER) if canonical(r["organisation"]) == "Daily Telegraph"]
    page.press("#details details.links summary", "Enter")  # the links the graph draws, as a list
    page.press("#details details.links button", "Enter")
    panel = page.texts("#details")[0]
    assert f"npd_register_entries_cited_in_foi.csv, row {row + 2}" in panel
    assert REGISTER[row]["source_url"] in panel


def test_a_search_for_telegraph_finds_the_daily_telegraph_and_opens_it(page: Browser) -> None:
    page.goto("/explore")
    page.ready("flows")
    page.fill("#search-text", "telegraph")
    page.click("#search-form button")
    page.ready("search")
    page.screenshot("search-telegraph")
    assert query_of(page.url()) == {"view": ["search"], "q": ["telegraph"]}
    organisations = page.texts('#search-results li[data-kind="ORGANISATION"] a')
    assert organisations == ["Daily Telegraph"]  # the one organisation the register and aliases name so
    schools = page.texts('#search-results li[data-kind="SCHOOL"] a')
    assert "Telegraph Hill School" in schools  # GIAS links, data/gias_links_20250422.csv
    page.click('#search-results li[data-kind="ORGANISATION"] a')
    page.ready("node")
    assert page.texts("#node-title") == ["Daily Telegraph (organisation)"]


def test_a_node_view_says_how_many_more_links_and_loads_the_next_page(page: Browser) -> None:
    page.goto("/explore?view=node&id=Dataset:KS4")
    page.ready("node")
    items = [r for r in rows("npd_data_items_2018.csv") if r["sheet"] == "KS4"]
    shown = page.evaluate("window.explorer.cy.edges('.link').length")
    more = page.evaluate("window.explorer.cy.nodes('.more').map(n => n.data('label'))")
    assert shown == 25 and len(more) == 1
    total = shown + int(more[0].removesuffix(" more"))
    assert total >= len(items) > 1000  # every KS4 item is held by the data set
    assert f"25 of {total} links shown" in page.texts("#details")[0]
    # two clicks before the answer: the page is asked for once, counted once, remembered once
    page.evaluate("(() => { const b = document.querySelector('#details button.more'); b.click(); b.click(); })()")
    page.wait_until("window.explorer.cy.edges('.link').length === 50")
    page.ready("node")
    page.screenshot("node-ks4-two-pages")
    assert page.evaluate("window.explorer.cy.nodes('.more').map(n => n.data('label'))") == [f"{total - 50} more"]
    assert query_of(page.url())["open"] == ["Dataset:KS4"]
    page.goto(urlsplit(page.url()).path + "?" + urlsplit(page.url()).query)  # the shared address
    page.ready("node")
    assert page.evaluate("window.explorer.cy.edges('.link').length") == 50


def test_an_unknown_node_is_named_in_an_error(page: Browser) -> None:
    page.goto("/explore?view=node&id=Organisation:no such body")
    page.ready("node")
    assert page.texts("#error") == ["no node with id “Organisation:no such body” in the graph"]


def test_a_shared_link_opens_at_most_200_pages_and_says_it_dropped_the_rest(page: Browser) -> None:
    """Hostile input: each `open=` of a shared link was one request, one after another, with no cap, so a link
    naming thousands of nodes had the viewer's browser send thousands. Here 230 of KS4's items (the NPD items CSV):
    200 are asked for, the viewer is told that the link asked for 230, and the address keeps the 200."""
    aliases = Counter(r["npd_alias"] for r in rows("npd_data_items_2018.csv") if r["sheet"] == "KS4")
    items = [f"DataItem:KS4/{alias}" for alias, rows_of_it in aliases.items() if rows_of_it == 1][:230]  # no sub-table
    link = "/explore?" + urlencode([("view", "node"), ("id", "Dataset:KS4"), *(("open", item) for item in items)])
    page.goto(link)
    page.ready("node", timeout=120_000)
    asked = [json.loads(r["body"])["variables"]["id"] for r in page.requests() if "query NodeLinks" in r["body"]]
    assert asked == ["Dataset:KS4", *items[:200]]
    assert page.evaluate("document.body.dataset.state") == "ready"
    assert page.texts("#node-caveat") == [
        "This link asks to open 230 more pages of links: only the first 200 are opened (no one opens more by hand), "
        "and the address now keeps those alone."
    ]
    assert query_of(page.url())["open"] == items[:200]


def test_a_long_view_name_is_cut_short_as_the_api_cuts_a_long_value(page: Browser) -> None:
    """Hostile input: ?view= of 100,000 characters came back whole in the error banner and in body[data-view]; now
    as the API quotes a long value (lineage.errors.clip): its first MAX_QUOTED characters and its length."""
    page.goto("/explore")
    page.ready("flows")
    page.evaluate(
        "(() => { history.pushState(null, '', '/explore?view=' + 'v'.repeat(100000)); "
        "dispatchEvent(new PopStateEvent('popstate')); })()"
    )
    cut = "v" * MAX_QUOTED
    page.ready(f"{cut}… (100,000 characters)")
    assert page.texts("#error") == [f"unknown view “{cut}…” (100,000 characters) (flows, node or search)"]


def test_the_timeline_under_the_sankey_shares_its_period(page: Browser) -> None:
    """In 2018: the May pause and the September access model, each cited to its row of the campaign page, each
    date with what date_readings.csv says it is (the pause's year is the page's)."""
    page.goto("/explore?from=2018-01-01&to=2018-12-31")
    page.ready("flows")
    page.screenshot("flows-2018-timeline")
    entries = page.attributes("#timeline-strip g.entry", "aria-label")
    pause = next(n for n, r in enumerate(EVENTS, start=2) if r["kind"] == "pause")
    access = next(n for n, r in enumerate(EVENTS, start=2) if r["kind"] == "access_model")
    read = {int(r["row"]): r for r in rows("date_readings.csv") if r["file"] == "npd_events_from_campaign_page.csv"}
    when = {n: f"{EVENTS[n - 2]['date_as_cited']} ({read[n]['date_is']}): " for n in (pause, access)}
    assert when[pause].startswith("2018-05 (") and when[access].startswith("2018-09-25 (")
    assert all(any(label and label.startswith(when[n]) for label in entries) for n in (pause, access)), entries
    assert all(label and not label.startswith(("2011", "2019", "2020")) for label in entries)  # the period's only
    page.press(f'#timeline-strip g.entry[aria-label^="{when[pause]}"]', "Enter")
    assert f"npd_events_from_campaign_page.csv, row {pause}" in page.texts("#details")[0]
    page.click(f'#timeline-strip g.entry[aria-label^="{when[access]}"]')
    assert f"npd_events_from_campaign_page.csv, row {access}" in page.texts("#details")[0]


def test_a_contested_statement_shows_its_words_and_the_other_side(page: Browser) -> None:
    """The campaigner's account that the Daily Telegraph got the SEN status indicator, which DfE's written
    answer contradicts: its node view says it is contested and links the written answer, with its source."""
    from lineage.keys import normalise, slug

    statements = rows("npd_release_scope_statements.csv")
    row = next(r for r in statements if r["data_item_as_written"] == "SEN status indicator")
    conflict = next(
        c
        for c in rows("conflicts.csv")
        if c["file"] == "npd_release_scope_statements.csv" and int(c["row"]) == statements.index(row) + 2
    )
    answer = statements[int(conflict["contradicted_by_row"]) - 2]
    key = "/".join((slug(normalise(row["organisation"])), row["statement"], slug(row["data_item_as_written"]),
                    slug(row["source_kind"])))  # fmt: skip
    page.goto(f"/explore?view=node&id=Statement:{key}")
    page.ready("node")
    page.screenshot("node-contested-statement")
    panel = page.texts("#details")[0]
    assert "SEN status indicator" in panel and "contested" in panel and row["source_url"] in panel
    contradicting = "window.explorer.cy.edges('.link').filter((e) => e.id().includes('|CONTRADICTS|'))"
    assert page.evaluate(f"{contradicting}.length") >= 1
    assert page.evaluate(f"{contradicting}.some((e) => e.data('target').includes('/not_released/'))")
    assert answer["statement"] == "not_released"


def test_a_node_view_shows_its_gaps_and_drafts_the_request_that_would_fill_one(page: Browser) -> None:
    """The application DS00804 was 'submitted for DSAP approval' (the FOI file's row): its outcome is a gap, and the
    button drafts a Freedom of Information request to DfE naming it."""
    (row,) = [r for r in rows("npd_register_entries_cited_in_foi.csv") if r["reference"] == "DS00804"]
    assert row["status_as_cited"] == "submitted for DSAP approval"
    page.goto("/explore?view=node&id=Application:DS00804")
    page.ready("node")
    # ready only once the gaps have come: a reader or a test moving on earlier cut their request short
    assert page.count("#details .gaps h4") == 1
    gaps = " ".join(page.texts("#details .gaps li"))
    assert "outcome not stated" in gaps and "Department for Education" in gaps
    page.click("#details .gaps li button")
    page.wait_until("document.querySelector('#details .foi-text') !== null")
    page.screenshot("node-ds00804-foi-request")
    (text,) = page.texts("#details .foi-text")
    assert "Freedom of Information Act 2000" in text and "DS00804" in text and row["source_url"] in text


def test_a_node_view_shows_the_gaps_imports_closed_with_their_sources(tmp_path: Path, browser_available: None) -> None:
    """On a fictional store (tests/importers/test_gaps_closed.py): the second edition names DS09999's items, so its
    node view lists that gap as closed, what the record now says, the import and the row that closed it."""
    from benchmarks.common import AppServer
    from importers.register_workbook import ExternalSharesImporter
    from lineage.changes import GapWatch
    from lineage.stores.memory import MemoryStore
    from tests.importers.test_gaps_closed import shares
    from tests.importers.test_register_workbook import fictional_items

    store = MemoryStore()
    store.write(fictional_items())
    ExternalSharesImporter().run(store, shares(tmp_path, "edition-1", ""), gaps=GapWatch(store))
    ExternalSharesImporter().run(store, shares(tmp_path, "edition-2", "FICTIONAL_SET/Fict_Name"), gaps=GapWatch(store))
    with AppServer(store) as base:
        page = Browser(base)
        try:
            page.goto("/explore?view=node&id=Release:DS09999")
            page.ready("node")
            assert page.count("#details .gaps-closed > li") == 1
            page.screenshot("node-ds09999-gaps-closed")
            (closed,) = page.texts("#details .gaps-closed > li")
        finally:
            page.close()
    assert "items not published" in closed and "external-shares import of edition-2.csv" in closed
    assert "a source named data sets or items in it" in closed
    assert "DfE external data shares (edition-2.csv), edition-2, row 4" in closed
