"""/reach in headless Chromium, on the real graph in the embedded store: a parent finds a school, picks the years,
reads where the record may have gone, and downloads the letter. Expected answers come from the bundled CSVs;
every test ends with no console error and no request outside the app, and keeps screenshots under
artifacts/browser/.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator

import pytest

from lineage.characters import line_break, unfit_character
from lineage.dates import academic_year_text
from lineage.letter import NAME_LIMIT
from lineage.model import FIRST_NPD_YEAR, academic_year
from tests.browser.browser import Browser
from tests.importers.test_reading import JOINED_NAMES
from tests.lineage.api.test_cookbook import rows
from tests.lineage.api.test_parents import DISAGREE, LINKS, LISTED, NAME, NOTED, OVERVIEW, REGISTER, STATEMENTS
from tests.lineage.api.test_parents import URN as URN_NUMBER

FLOWS = rows("npd_flows_2018_onward.csv")
NOTE_STATEMENTS = rows("note_statements.csv")

pytestmark = pytest.mark.slow

URN = str(URN_NUMBER)
SUCCESSORS = {r["LinkName"] for r in LINKS if r["URN"] == URN and r["LinkType"].startswith("Successor")}


@pytest.fixture
def page(browser: Browser) -> Iterator[Browser]:
    yield browser
    assert browser.problems() == []  # no console error, no failed request, nothing outside the app


def ready(page: Browser, search: str) -> None:
    page.wait_until(f"location.search.includes({search!r}) && ['ready', 'error'].includes(document.body.dataset.state)")


def test_searching_the_urn_and_picking_2012_to_2016_shows_where_the_record_may_have_gone(page: Browser) -> None:
    page.goto("/reach")
    page.wait_until("document.body.dataset.state === 'ready'")
    page.fill("#school-text", URN)
    page.press("#school-text", "Enter")  # the keyboard alone: a form, its label, Enter
    ready(page, f"q={URN}")
    results = page.texts("#school-results li")
    assert results[0].startswith(f"{NAME} (URN {URN})")
    page.press("#school-results a", "Enter")
    ready(page, f"urn={URN}")
    assert page.evaluate("document.activeElement.id") == "from-year"  # the next thing to do has the focus
    # every year the API answers for: the NPD's first, 1995/96, and this academic year, which the picker left out
    years = page.texts("#from-year option")
    assert years[0] == academic_year_text(FIRST_NPD_YEAR) == "1995/96"
    assert years[-1] == academic_year_text(academic_year(dt.date.today()))
    page.select("#from-year", "2012")
    page.select("#to-year", "2016")
    page.press("#years-form button[type=submit]", "Enter")
    ready(page, "from=2012")
    page.screenshot("reach-131768-2012-2016")
    page.screenshot("reach-131768-2012-2016-top", full_page=False)
    assert page.texts("#error") == [""] and page.evaluate("document.body.dataset.state") == "ready"
    assert page.evaluate("document.activeElement.id") == "answer-title"  # a screen reader hears the answer next
    assert page.texts("#answer-title") == [f"{NAME} (URN {URN}), 2012/13 to 2016/17"]
    chain = " ".join(page.texts("#chain li"))
    assert SUCCESSORS and all(name in chain for name in SUCCESSORS)
    assert "before the years asked" in chain  # GIAS dates its succession 31 August 2011 (test_parents)
    assert any(line.startswith("Longitudinal Education Outcomes (LEO)") for line in page.texts("#linked li"))
    assert "KS2 95-96 to 17-18" in " ".join(page.texts("#datasets li"))
    groups = page.texts("#groups h4")
    assert any(g.startswith("Press and broadcasters") for g in groups)
    releases = " ".join(page.texts("#groups li.release"))
    assert "Times Newspapers" in releases and "DR170518.02" in releases and "DS00804" not in releases  # an application
    assert "Daily Telegraph" not in releases  # dated February 2013, before 2012/13's data were in the NPD
    assert "by the tier of data released" in releases and "items not published" in releases
    # what DfE's written answer says went to BBC Newsnight in 2014, in its words, with the release
    (newsnight,) = {
        r["quote"] for r in STATEMENTS if r["organisation"] == "BBC Newsnight" and r["statement"] == "released"
    }
    assert releases.count(newsnight) == 1  # one statement per item it names, shown once
    # numbered sources: each release's register row, with its address
    sources = " ".join(page.texts("#sources li"))
    assert next(r["source_url"] for r in REGISTER if r["reference"] == "DR170518.02") in sources
    assert page.count("#groups li.release .refs a") > 0
    # the "not released" statements, in their sources' words
    not_released = " ".join(page.texts("#not-released li"))
    quote = next(
        r["quote"] for r in STATEMENTS if r["statement"] == "not_released" and "Telegraph" in r["organisation"]
    )
    assert quote in not_released
    assert page.count("#timeline li") > 0
    # disclosures that are not releases: the police's 62 pupils of 2012 to 2016 (HCWS272), each with its source
    assert "62 pupils" in " ".join(page.texts("#disclosures li")) and page.count("#disclosures li .refs a") > 0
    # the LRS (from age 14, not the NPD) searched by Trustopia: under its own part, never among the NPD's
    (lrs,) = [r for r in FLOWS if r["kind"] == "access_granted" and "LRS" in r["dataset_as_written"]]
    assert lrs["figure"] in " ".join(page.texts("#learners li"))
    # the reprimand's date is the article's, as the letter says (date_readings.csv)
    assert "2022-11-09 (the article's date, not the reprimand's)" in " ".join(page.texts("#learners li"))
    assert lrs["figure"] not in " ".join(page.texts("#disclosures li"))
    # research access through the ONS (the statistics regulator's letters), and the census's nationality data kept,
    # each in its own part as the letter gives them, with how sure its source is
    ons = " ".join(page.texts("#ons li"))
    assert all(r["quote"] in ons for r in FLOWS if "via the ONS" in r["quote"] or "data transfer" in r["quote"])
    assert "confirmed" in ons
    # and the routes beside it: DfE's default (the SRS, some data supplied directly) and the MoJ-DfE linked data's
    routes = [r for r in rows("npd_sharing_figures_compiled.csv") if r["topic"] in {"access_route", "moj_dfe"}]
    assert len(routes) == 2 and all(f"{r['measure']}: {r['value']}" in ons for r in routes)
    kept = " ".join(page.texts("#collection-events li"))
    assert [r for r in FLOWS if "refused to delete" in r["quote"] and r["quote"] in kept]
    # beside them the figure of the census's items, whose notes give the later account: the data destroyed in 2020
    (census_items,) = [r for r in rows("npd_sharing_figures_compiled.csv") if r["topic"] == "census_items"]
    assert census_items["notes"] in kept
    # and what else the record says of the NPD: the ICO's compulsory audit of DfE, whatever the years asked
    assert [
        r for r in FLOWS if "compulsory audit" in r["quote"] and r["quote"] in " ".join(page.texts("#npd-events li"))
    ]
    # what a body it names refused to say, in the asker's words: the Home Office, whether pupil data went on
    (refusal,) = [r for r in FLOWS if r["kind"] == "foi_refused"]
    assert refusal["quote"] in " ".join(page.texts("#refused li")) and page.count("#refused li .refs a") > 0
    # what a source says was planned for a body it names, apart and as a plan: the Home Office's 2015 MoU, with its
    # row's notes as the letter gives them ("same source: nationality collection stopped 2018 and data destroyed")
    (plan,) = [r for r in STATEMENTS if r["statement"] == "planned"]
    assert plan["data_item_as_written"] in " ".join(page.texts("#planned li"))
    assert f"(the compiler's note: {plan['notes']})" in " ".join(page.texts("#planned li"))
    assert f"(the compiler's note: {refusal['notes']})" in " ".join(page.texts("#refused li"))
    assert plan["data_item_as_written"] not in releases
    # the address is the search: opened afresh it shows the same
    page.goto(f"/reach?urn={URN}&from=2012&to=2016")
    ready(page, "from=2012")
    assert " ".join(page.texts("#groups li.release")) == releases
    # as the letter says them: the years a source gives beside its quote, and what another copy of a source reads
    page.goto(f"/reach?urn={URN}&from=2011&to=2011")
    ready(page, "from=2011")
    listed = " ".join(page.texts("#groups li.release"))
    (years,) = {r["years_as_written"] for r in STATEMENTS if r["years_as_written"] and "Telegraph" in r["organisation"]}
    assert f"(years, as the source gives them: {years})" in listed
    (other,) = [r for r in NOTE_STATEMENTS if r["another_copy_reads"]]
    said = listed + " ".join(page.texts("#not-released li"))
    assert f"(another copy of its source reads {other['another_copy_reads']})" in said
    # a statement quoted in a release's or an application's line comes with each note of its rows once, as the
    # letter gives it: the Telegraph's rows 2-5, one quote and two notes; the Cabinet Office's row 32
    telegraph = STATEMENTS[2 - 2 : 5 - 1]
    assert all(listed.count(f"(the compiler's note: {notes})") == 1 for notes in {r["notes"] for r in telegraph})
    # in the file's row order, its items and notes alike (the graph's order had put row 5's first)
    assert f"({'; '.join(r['data_item_as_written'] for r in telegraph)})" in listed
    noted = [listed.index(f"(the compiler's note: {notes})") for notes in dict.fromkeys(r["notes"] for r in telegraph)]
    assert noted == sorted(noted)
    cabinet = STATEMENTS[32 - 2]
    applications = " ".join(page.texts("#applications li"))
    assert f"{cabinet['quote']} (the compiler's note: {cabinet['notes']})" in applications
    # an application comes with the agreements a source ties to it, as in the letter
    (agreement,) = [r for r in FLOWS if r["kind"] == "agreement" and "formalised" in r["quote"]]
    assert f"an agreement its source ties to it ({agreement['date_as_cited']} (" in applications
    assert agreement["quote"] in applications
    # with its kind and the ends its row gives, before its quote, as the letter gives them
    ends = f"{agreement['kind']} from {agreement['from_organisation']} to {agreement['to_organisation']}: "
    assert f"): {ends}{agreement['dataset_as_written']}" in applications


def test_a_referenced_release_or_application_says_the_register_listing_it_as_the_letter_does(page: Browser) -> None:
    """The 2017 register's four undated references read 'no date in the record' alone, on the page as in the letter:
    each now says the register listing it (its row's register column), after its date, as where it is listed."""
    page.goto(f"/reach?urn={URN}&from=2019&to=2024")
    ready(page, "from=2019")
    releases = page.texts("#groups li.release")
    undated = [r for r in REGISTER if r["reference"] and r["status_as_cited"] == "listed as recipient"]
    assert len(undated) == 4
    for entry in undated:
        (line,) = [line for line in releases if line.startswith(f"{entry['reference']} to ")]
        assert f"; no date in the record; listed in {entry['register']};" in line, line
    (home_office,) = [r for r in REGISTER if r["reference"] == "DS00804"]
    (line,) = [line for line in page.texts("#applications li") if line.startswith("DS00804 by ")]
    assert f"; listed in {home_office['register']};" in line, line


def test_one_year_asked_is_referred_back_to_as_that_year_as_the_letter_does(page: Browser) -> None:
    """The twelfth reading: for 2015/16 alone the page said "those years" in its headings and hints and "these
    years" of what went under an application before them. Every such phrase is the API's thoseYears, the letter's
    words: "that year" here (tests/lineage/api/test_parents.py holds the letter to the same)."""
    page.goto(f"/reach?urn={URN}&from=2015&to=2015")
    ready(page, "from=2015")
    answer = page.evaluate("document.querySelector('#answer').innerText")
    assert "those years" not in answer and "these years" not in answer
    assert page.texts("#datasets-title") == ["NPD data sets that cover that year"]
    assert page.texts("#timeline-title") == ["What happened in that year"]
    assert "If the child was 14 or over at any time in that year," in answer
    assert any("before data of that year were in the NPD" in line for line in page.texts("#applications li"))


def test_the_data_sets_the_list_calls_school_level_are_apart_saying_what_each_source_says(page: Browser) -> None:
    """For 2013 to 2018 the page had listed 19 school-level data sets among those that may hold the child's record,
    some twice under two spellings, saying nothing of the note above their sheets calling their data 'personal level
    data'. They are listed apart, each once, each line giving the list's level and the note's words."""
    page.goto(f"/reach?urn={URN}&from=2013&to=2018")
    ready(page, "from=2013")
    page.screenshot("reach-131768-2013-2018-school-level")
    main = " ".join(page.texts("#datasets li"))
    apart = page.texts("#school-level-datasets li")
    listed, note = LISTED[28], NOTED[34]  # the Key Stage 5 performance tables of 2016/17, its sheet SLD-KS5_PT_16_17
    assert (listed["level"], note["sheet"]) == ("school-level", "SLD-KS5_PT_16_17")
    (line,) = [x for x in apart if x.startswith(f"{note['dataset_title']} (SLD-KS5 PT 16-17)")]
    year = OVERVIEW[31]["description"].rsplit(" ", 1)[1]  # the tab's one year, "2016/17", as itself
    assert line.startswith(f"{note['dataset_title']} (SLD-KS5 PT 16-17): {year}; ") and year == "2016/17"
    assert f"calls it school-level (as \u201c{listed['dataset']}\u201d)" in line
    assert f"\u201c{note['note_text']}\u201d" in line and line.rstrip("[]0123456789 ").endswith(DISAGREE)
    assert "SLD-KS5_PT_16_17" not in main + " ".join(apart)  # once, under the overview's name (row 31)
    assert "SLD-" not in main and "KS2 95-96 to 17-18" in main
    assert any(x.startswith("School-Level Census (SC Schools 06-07 to 17-18 SUM)") for x in apart)


def test_a_name_finds_the_school(page: Browser) -> None:
    page.goto(f"/reach?q={NAME.replace(' ', '+')}")
    ready(page, "q=")
    page.screenshot("reach-search-by-name", full_page=False)
    assert any(text.startswith(f"{NAME} (URN {URN})") for text in page.texts("#school-results li"))


def test_a_urn_too_long_to_be_one_is_left_out_not_rounded(page: Browser) -> None:
    """The hostile-input reading, round two: ?urn=99999999999999999999 showed 'URN 100000000000000000000' and
    GraphQL's refusal of the variable as raw text. No URN is longer than GraphQL's Int holds (9 digits)."""
    page.goto("/reach?q=x&urn=99999999999999999999&from=2010&to=2012")
    ready(page, "urn=")
    text = page.evaluate("document.body.innerText")
    assert "100000000000000000000" not in text and "Variable '$urn'" not in text
    assert page.texts("#error") == [""] and page.evaluate("document.querySelector('#years-form').hidden")


def test_the_letter_downloads_with_the_typed_name_which_is_never_sent(
    page: Browser, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    child = "Zebedee Quintrell-Amberley"
    page.goto(f"/reach?urn={URN}&from=2012&to=2016")
    ready(page, "from=2012")
    page.fill("#child-name", child)
    path, name = page.download("#letter-download", "letter-131768-2012-2016.txt")
    page.screenshot("reach-letter", full_page=False)
    text = path.read_text(encoding="utf-8")
    assert name == f"subject-access-request-urn-{URN}-2012-2016.txt"
    assert f"Name: {child}" in text and "Article 15" in text
    sent = ("approved", "listed as recipient")  # releases; an application without an outcome is not one
    references = {r["reference"] for r in REGISTER if r["reference"] and r["status_as_cited"].startswith(sent)}
    assert references and all(reference in text for reference in references)
    assert next(r["source_url"] for r in REGISTER if r["reference"] == "DR170518.02") in text
    # nothing typed for the letter left the page, nor reached the server's logs
    sent = page.requests()
    assert sent and not any(child in r["url"] or child in r["body"] for r in sent)
    assert any('"letter"' in r["body"] or "Letter(" in r["body"] for r in sent)
    assert child not in caplog.text and child not in page.url()
    page.select("#letter-format", "html")
    path, _ = page.download("#letter-download", "letter-131768-2012-2016.html")
    assert f"Name: {child}" in path.read_text(encoding="utf-8")


def test_a_name_longer_than_a_letter_takes_is_refused_as_lineage_letter_refuses_it(page: Browser) -> None:
    """The hostile-input reading, round two: a name of any length was taken (100,000 characters made a letter of
    142 KB). The page and `lineage letter` refuse one over NAME_LIMIT alike."""
    page.goto(f"/reach?urn={URN}&from=2012&to=2016")
    ready(page, "from=2012")
    page.fill("#child-name", "A" * (NAME_LIMIT + 1))
    page.click("#letter-download")
    page.wait_until("document.querySelector('#error').textContent !== ''")
    assert f"{NAME_LIMIT} at most" in page.texts("#error")[0]
    assert not page.requests() or not any("A" * NAME_LIMIT in r["body"] for r in page.requests())


#: Names for the letter: plain, in scripts a joiner shapes, and each kind of character the rule refuses.
NAMES = [
    "Zebedee Quintrell-Amberley",
    "Zoë O\u2019Brien",
    *JOINED_NAMES,
    "Ho\u200cme Office",
    "Ho\u200dme Office",
    f"{JOINED_NAMES[0]}\u200c",  # a non-joiner after the word
    "Ada \u202eecalevoL",  # a right-to-left override
    "Ada\u00adLovelace",  # a soft hyphen
    "Ada \u001b[31mLovelace",  # an escape, which colours a terminal
    "Ada\u0085Lovelace",  # C1's next line
    "Ada \U000e0041Lovelace",  # a tag character
    "\ufeffAda",
    "\U0001f469\u200d",  # a joiner after an emoji, before nothing
    # where the browser's own Unicode once answered otherwise (the review): a Vedic mark after a joiner, Syriac
    # and Bengali beside a mark of another script, an emoji newer than the rule's Unicode
    "\u0915\u200d\u0951",
    "\u0915\u200c\u0953",
    "\u1cd0\u200d\u1cd0",
    "\u0710\u200d\u0303",
    "\u0995\u200d\u02bc",
    "\U0001fae8\u200d\U0001fae8",
]


def test_the_page_refuses_the_characters_the_letter_command_refuses(page: Browser) -> None:
    """The letter command refused a name holding a control or an invisible format character; /reach, where the
    name never leaves the browser, put it into the letter as typed (a right-to-left override reorders what DfE
    reads). The page now holds a name to lineage/characters.py's rule, read from the generated vocabulary."""
    page.goto(f"/reach?urn={URN}&from=2012&to=2016")
    ready(page, "from=2012")
    found = page.evaluate(
        f"import('/static/shared/characters.js').then((m) => {json.dumps(NAMES)}.map((n) => m.unfitCharacter(n)))"
    )
    expected = [re.sub(r" \([A-Z][A-Z -]+\)", "", unfit) if (unfit := unfit_character(n)) else None for n in NAMES]
    assert found == expected and found[0] is None and found[-1] is not None
    page.fill("#child-name", "Ada \u202eecalevoL")
    page.click("#letter-download")
    page.wait_until("document.querySelector('#error').textContent !== ''")
    assert page.texts("#error") == [
        "The name holds the invisible format character U+202E: type it as plain text on one line."
    ]
    assert not any('"letter"' in r["body"] for r in page.requests())  # refused before anything was asked


@pytest.mark.parametrize(
    ("typed", "refused"),
    [
        ("Ada\u2028Lovelace", "the line separator U+2028"),
        ("\ufeffAda Lovelace", "the invisible format character U+FEFF"),
    ],
)
def test_the_page_refuses_a_name_as_typed_as_the_letter_command_refuses_it(
    page: Browser, typed: str, refused: str
) -> None:
    """The hostile-input reading, round ten: `lineage letter` took a line or paragraph separator as a space, and
    /reach checked the name after collapsing its spaces with \\s, which holds them and the byte-order mark, so it
    took both. Both now refuse them, the page by the generated vocabulary's LINE_BREAKS, on the name as typed."""
    page.goto(f"/reach?urn={URN}&from=2012&to=2016")
    ready(page, "from=2012")
    names = ["Ada Lovelace", "Ada\tLovelace", "Ada\u2028Lovelace", "Ada\u2029Lovelace"]
    found = page.evaluate(f"import('/static/shared/characters.js').then((m) => {json.dumps(names)}.map(m.lineBreak))")
    assert found == [line_break(n) for n in names] == [None, *found[1:]]
    page.fill("#child-name", typed)
    page.click("#letter-download")
    page.wait_until("document.querySelector('#error').textContent !== ''")
    assert page.texts("#error") == [f"The name holds {refused}: type it as plain text on one line."]
    assert not any('"letter"' in r["body"] for r in page.requests())
