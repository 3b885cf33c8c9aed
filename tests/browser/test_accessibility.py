"""What anyone opening the pages meets, in headless Chromium on the real graph: axe-core's WCAG 2 A and AA rules
(axe-core from web/node_modules, put into the page) on the playground, /reach and the explorer's views; the
cookbook as the playground's tabs; /reach used from the keyboard alone, from the search to the letter; and
/reach and /explore on a phone's screen, 390 by 844. Screenshots are kept under artifacts/browser/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.browser import Browser
from tests.lineage.api.test_parents import NAME, REGISTER
from tests.lineage.api.test_parents import URN as URN_NUMBER

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
COOKBOOK = json.loads((ROOT / "graphql" / "cookbook.json").read_text(encoding="utf-8"))["operations"]
URN = str(URN_NUMBER)
READY = "['ready', 'error'].includes(document.body.dataset.state)"
EDITORS = "document.querySelector('.graphiql-query-editor .CodeMirror') && location.search.includes('tab=')"
QUERY = "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()"
VARIABLES = "document.querySelector('.graphiql-editor-tool .CodeMirror').CodeMirror.getValue()"
RESPONSE = "document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()"
#: Each page and view axe is run on, and what says it has drawn.
PAGES = {
    "playground": ("/graphql?tab=record-reach", EDITORS),
    "reach-search": (f"/reach?q={URN}", READY),
    "reach-answer": (f"/reach?urn={URN}&from=2012&to=2016", READY),
    "explore-flows": ("/explore", READY),
    "explore-node": ("/explore?view=node&id=Organisation:daily telegraph", READY),
    "explore-timeline": ("/explore?from=2018-01-01&to=2018-12-31", READY),
    "explore-search": ("/explore?view=search&q=telegraph", READY),
}


@pytest.fixture
def page(browser: Browser) -> Iterator[Browser]:
    yield browser
    assert browser.problems() == []  # no console error, no failed request, nothing outside the app


@pytest.fixture
def small(phone: Browser) -> Iterator[Browser]:
    yield phone
    assert phone.problems() == []


def serious(page: Browser) -> list[tuple[str, str, list[str]]]:
    return [(v["id"], v["help"], v["targets"][:5]) for v in page.axe() if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_or_critical_violation_of_wcag_2_a_or_aa(page: Browser, name: str) -> None:
    address, drawn = PAGES[name]
    page.goto(address)
    page.wait_until(drawn)
    assert page.evaluate("document.body.dataset.state") != "error"
    page.screenshot(f"axe-{name}", full_page=False)
    assert serious(page) == []


def test_the_playground_opens_every_cookbook_operation_as_a_tab_and_the_address_names_one(page: Browser) -> None:
    trace = next(n for n, entry in enumerate(COOKBOOK) if entry["name"] == "release-trace")
    page.goto("/graphql?tab=release-trace")
    page.wait_until(EDITORS)
    page.wait_until(f"{VARIABLES}.includes('DR170518.02')")
    tabs = page.texts(".graphiql-tab-button")
    operations = list((ROOT / "graphql" / "queries").glob("*.graphql"))
    assert len(tabs) == len(COOKBOOK) == len(operations) and tabs[trace] == "ReleaseTrace"
    assert page.attributes(".graphiql-tab-button[aria-current]", "id") == [f"graphiql-session-tab-{trace}"]
    query = page.evaluate(QUERY)
    assert query.splitlines()[0] == f"# {COOKBOOK[trace]['asks']}"
    assert json.loads(page.evaluate(VARIABLES)) == {"reference": "DR170518.02"}
    page.click(".graphiql-execute-button")
    page.wait_until(f"{RESPONSE}.includes('Release:DR170518.02')")
    page.screenshot("playground-release-trace", full_page=False)
    assert page.evaluate("location.search") == "?tab=release-trace"
    # another tab: its own question and example, and the address follows
    page.click('.graphiql-tab-button:text-is("SchoolSearch")')
    page.wait_until("location.search === '?tab=school-search'")
    assert json.loads(page.evaluate(VARIABLES)) == next(
        e["variables"] for e in COOKBOOK if e["name"] == "school-search"
    )
    # opened afresh, with nothing named, the first of the README's questions; tabs GraphiQL kept from an earlier
    # visit (as it does by default) do not hide the cookbook
    old = {"id": "x", "hash": "x", "title": "Old", "query": "{ counts { totalNodes } }", "variables": None,
           "headers": None, "operationName": None, "response": None}  # fmt: skip
    page.evaluate(
        f"localStorage.setItem('graphiql:tabState', {json.dumps(json.dumps({'activeTabIndex': 0, 'tabs': [old]}))})"
    )
    page.goto("/graphql")
    page.wait_until(EDITORS)
    assert page.evaluate("location.search") == f"?tab={COOKBOOK[0]['name']}"
    assert page.evaluate(QUERY).startswith(f"# {COOKBOOK[0]['asks']}\n")
    assert page.texts(".graphiql-tab-button") == tabs


def test_a_question_shared_by_the_explorer_opens_as_a_tab_beside_the_cookbook(page: Browser) -> None:
    page.goto("/explore?view=node&id=Organisation:daily telegraph")
    page.ready("node")
    shared = page.attributes("#playground-link", "href")[0] or ""
    page.goto(shared)
    page.wait_until("document.querySelector('.graphiql-query-editor .CodeMirror')")
    page.wait_until(f"{VARIABLES}.includes('daily telegraph')")
    tabs = page.texts(".graphiql-tab-button")
    assert len(tabs) == len(COOKBOOK) + 1 and tabs[-1] == "NodeLinks"
    assert page.attributes(".graphiql-tab-button[aria-current]", "id") == [f"graphiql-session-tab-{len(COOKBOOK)}"]
    assert page.evaluate(QUERY) == parse_qs(urlsplit(shared).query)["query"][0]


def test_reach_from_the_keyboard_alone_from_the_search_to_the_letter(page: Browser) -> None:
    page.goto("/reach")
    page.wait_until("document.body.dataset.state === 'ready'")

    def tab_to(wanted: str, most: int = 600) -> None:
        for _ in range(most):
            page.keys("Tab")
            if page.focused() == wanted:
                return
        raise AssertionError(f"Tab never reached {wanted}")

    tab_to("school-text")
    page.type(URN)
    page.keys("Enter")
    page.wait_until(f"location.search.includes('q={URN}') && {READY}")
    page.keys("Tab", "Tab")  # the search's button, then the first school found
    assert page.focused() == f"a: {NAME} (URN {URN})"
    page.keys("Enter")
    page.wait_until(f"location.search.includes('urn={URN}') && {READY}")
    assert page.focused() == "from-year"  # the next thing to do has the focus
    page.type("2012")  # a select chooses the option its typed words begin
    page.keys("Tab")
    page.type("2016")
    page.keys("Tab")
    assert page.focused().startswith("button: Show where the record may have gone")
    page.keys("Enter")
    page.wait_until(f"location.search.includes('from=2012') && location.search.includes('to=2016') && {READY}")
    assert page.focused() == "answer-title"
    assert "DR170518.02" in " ".join(page.texts("#groups li.release"))
    tab_to("child-name")  # through every release and source link, in the order they are read
    page.type("Ada Keyboard")
    page.keys("Tab")
    assert page.focused() == "letter-format"
    page.keys("Tab")
    assert page.focused() == "letter-download"
    path, name = page.download_by_key("Enter", "letter-keyboard-131768-2012-2016.txt")
    page.screenshot("reach-keyboard-letter", full_page=False)
    text = path.read_text(encoding="utf-8")
    assert name == f"subject-access-request-urn-{URN}-2012-2016.txt" and "Name: Ada Keyboard" in text
    assert next(r["source_url"] for r in REGISTER if r["reference"] == "DR170518.02") in text


def sideways(page: Browser) -> int:
    """How far the page scrolls sideways (0: it does not)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def box(page: Browser, selector: str) -> dict[str, float]:
    return dict(page.evaluate(f"document.querySelector({json.dumps(selector)}).getBoundingClientRect().toJSON()"))


def test_the_explorer_on_a_phone_reads_top_to_bottom_and_lists_the_flows(small: Browser) -> None:
    small.goto("/explore")
    small.ready("flows")
    small.screenshot("phone-explore-flows")
    assert sideways(small) == 0
    assert box(small, "#details")["top"] >= box(small, "#content")["bottom"]  # the panel under the drawing
    sankey = box(small, "#sankey svg")
    assert 0 < sankey["width"] <= 390 and sankey["right"] <= 390  # the Sankey fits the screen
    # the flows to organisations as a list, open: the organisations the Sankey draws, each a button
    assert small.count("#flow-list details[open]") == 1
    listed = set(small.attributes("#flow-list li[data-label]", "data-label"))
    drawn = set(small.attributes('#sankey g.node[data-stage="organisation"]', "data-label"))
    assert listed == drawn and "Daily Telegraph" in listed
    small.click('#flow-list li[data-label="Daily Telegraph"] button')
    small.ready("node")
    small.screenshot("phone-explore-node")
    assert small.texts("#node-title") == ["Daily Telegraph (organisation)"]
    assert sideways(small) == 0
    assert box(small, "#details")["top"] >= box(small, "#graph")["bottom"]
    assert box(small, "#graph")["right"] <= 390


def test_the_explorers_timeline_and_volumes_fit_a_phone(small: Browser) -> None:
    small.goto("/explore?from=2018-01-01&to=2018-12-31")
    small.ready("flows")
    small.screenshot("phone-explore-2018")
    assert sideways(small) == 0
    assert small.count("#timeline-strip g.entry") > 0
    for drawing in ("#timeline-strip svg", "#volume-charts svg"):
        assert box(small, drawing)["right"] <= 390, drawing
        # drawn at the screen's width, not a desktop's drawing shrunk: its words stay their size
        assert int(small.attributes(drawing, "width")[0] or 0) == round(box(small, drawing)["width"]) < 390, drawing


def test_reach_on_a_phone_has_no_sideways_scroll(small: Browser) -> None:
    small.goto(f"/reach?urn={URN}&from=2012&to=2016")
    small.wait_until(READY)
    small.screenshot("phone-reach-131768-2012-2016")
    small.screenshot("phone-reach-131768-2012-2016-top", full_page=False)
    assert small.evaluate("document.body.dataset.state") == "ready"
    assert sideways(small) == 0
    assert serious(small) == []
