"""Organisation names: one key per body, a type by table or named rule, and an alias table that cites the
real data for every entry."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from importers.organisations import (
    ALIASES_FILE,
    GROUP,
    NOT_NAMED,
    SEVERAL_BODIES,
    TABLE_RULE,
    Resolved,
    classify,
    load_aliases,
    resolve,
    resolve_each,
)
from importers.reading import BadInput
from lineage.keys import normalise
from lineage.model import CertaintyLevel
from lineage.resources import DATA_DIR


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Fischer Family Trust Education Limited (FFT)", "fischer family trust education"),
        ("FFT Education Ltd", "fft education"),
        ("The Football Association Premier League Ltd", "football association premier league"),
        ("Behavioural Insights Team Ltd (BIT)", "behavioural insights team"),
        ("HMRC (His Majesty's Revenue and Customs)", "hmrc"),
        ("  Home   Office ", "home office"),
        ("HOME OFFICE", "home office"),
        ("Example Widgets plc", "example widgets"),  # fictional
        ("Smith & Jones Ltd.", "smith and jones"),  # fictional
        ("(organisation not visible in excerpt)", ""),
        ("", ""),
    ],
)
def test_normalise(name: str, key: str) -> None:
    assert normalise(name) == key


@pytest.mark.parametrize(
    ("name", "org_type", "rule"),
    [
        ("University of Chester", "academic", "org-type:university"),
        ("Example College London", "academic", "org-type:university"),  # fictional
        ("Example Constabulary", "police", "org-type:police"),  # fictional
        ("Metropolitan Police Service", "police", "org-type:police"),
        ("Example Borough Council", "local authority", "org-type:council"),  # fictional
        ("Example County Council", "local authority", "org-type:council"),  # fictional
        ("Home Office", "government department", "org-type:government-department"),
        ("HMRC (His Majesty's Revenue and Customs)", "government department", "org-type:government-department"),
        ("Department for Example Affairs", "government department", "org-type:government-department"),  # fictional
        ("Ministry of Justice (MOJ)", "government department", "org-type:government-department"),
        ("NHS England", "NHS body", "org-type:nhs"),
        ("Example University Hospitals NHS Trust", "NHS body", "org-type:nhs"),  # fictional: NHS before university
        ("The Gatsby Charitable Foundation", "charity or think tank", "org-type:charity-name"),
        ("Locrating Ltd", "commercial", "org-type:company-suffix"),
        ("SearchSmartly Limited", "commercial", "org-type:company-suffix"),
        ("Example Holdings plc", "commercial", "org-type:company-suffix"),  # fictional
        # "Trust" alone decides nothing: it could be an NHS trust, a charity or an academy trust.
        ("Example Learning Trust", "unknown", None),  # fictional
        ("SQW", "unknown", None),
    ],
)
def test_classify_by_rule_names_the_rule(name: str, org_type: str, rule: str | None) -> None:
    found = classify(name)
    assert (found.org_type, found.rule) == (org_type, rule)
    if rule is None:
        assert found.certainty.level is CertaintyLevel.CONFIRMED  # nothing inferred: the type stays unknown
    else:
        assert found.certainty.level is CertaintyLevel.INFERRED and found.certainty.rule == rule


@pytest.mark.parametrize(
    ("name", "org_type"),
    [
        ("Daily Telegraph", "media"),
        ("Times Newspapers", "media"),
        ("BBC Newsnight", "media"),
        ("British Broadcasting Corporation", "media"),
        ("Civitas", "charity or think tank"),
        ("Great Ormond Street Hospital", "NHS body"),
        # the rule would say government department ("Home Office"); the table wins
        ("LSE commissioned by Home Office and Youth Endowment Fund", "academic"),
    ],
)
def test_the_table_wins_and_says_so(name: str, org_type: str) -> None:
    found = classify(name)
    assert (found.org_type, found.rule) == (org_type, TABLE_RULE)


def test_variants_of_one_body_meet_on_one_key() -> None:
    fft = [resolve("Fischer Family Trust Education Limited (FFT)"), resolve("FFT Education Ltd")]
    moj = [resolve("Ministry of Justice (MOJ)"), resolve("MoJ")]
    bbc = [resolve("BBC Newsnight"), resolve("British Broadcasting Corporation")]
    for pair in (fft, moj, bbc):
        assert all(isinstance(found, Resolved) for found in pair)
        assert pair[0].id == pair[1].id
    assert fft[0].id == "Organisation:fischer family trust education"
    assert fft[0].classification.org_type == "commercial"  # left to the rules by the table: a limited company


def test_groups_and_missing_names_give_no_organisation() -> None:
    assert resolve("Local Authorities") is GROUP
    assert resolve("third parties") is GROUP
    assert resolve("(organisation not visible in excerpt)") is NOT_NAMED


def test_the_police_counted_together_are_one_cited_body() -> None:
    """The record counts police requests together and names no force: one node stands for them."""
    police = resolve("Police")
    assert isinstance(police, Resolved) and police.id == "Organisation:police forces"
    assert police.name == "Police forces (not named in the record)"
    assert (police.classification.org_type, police.classification.rule) == ("police", TABLE_RULE)


def test_a_name_for_several_bodies_denotes_each() -> None:
    """A DfE written answer states "Home Office and police": it is about both, each, not a third body."""
    both = resolve_each("Home Office and police")
    assert [body.id for body in both] == ["Organisation:home office", "Organisation:police forces"]
    assert resolve("Home Office and police") is SEVERAL_BODIES  # where one body is wanted, it names none


def _lines(path: Path) -> dict[int, list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        found = {}
        for cells in reader:
            found[reader.line_num] = cells
        return found


#: The files naming organisations in a column, and that column.
ORGANISATION_COLUMN = {
    "npd_register_entries_cited_in_foi.csv": "organisation",
    "npd_register_entries_more.csv": "organisation",
    "npd_release_scope_statements.csv": "organisation",
}


#: Entries whose variant the data writes inside a cell rather than as the whole of it: an abbreviation in a
#: figure's measure, a commissioner inside an applicant's name. Named here, so no other entry may do so.
WITHIN_A_CELL = {
    "HO": "measure",
    "ONS": "organisation",
    "Youth Endowment Fund": "organisation",
    "Trustopia": "from_organisation",
}
#: The flows after 2018 name bodies on either side of a flow.
SIDES = ("from_organisation", "to_organisation")


def test_every_alias_entry_cites_a_data_line_that_holds_its_variant() -> None:
    """The table is justified by the real data: each variant appears, as cited, on the line its source names
    (the organisation column of a register or statements file, or one side of the flow in the figures file;
    for the entries of WITHIN_A_CELL, as words inside the cell named there)."""
    table = load_aliases()
    assert table.by_variant
    for entry in table.by_variant.values():
        file, _, line = entry.source.partition(":")
        cells = _lines(DATA_DIR / file)[int(line)]
        with (DATA_DIR / file).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        if entry.variant in WITHIN_A_CELL:
            cell = cells[header.index(WITHIN_A_CELL[entry.variant])]
            assert re.search(rf"\b{re.escape(entry.variant)}\b", cell), entry
        elif file in ORGANISATION_COLUMN:
            assert cells[header.index(ORGANISATION_COLUMN[file])] == entry.variant, entry
        elif file == "npd_flows_2018_onward.csv":
            assert entry.variant in {cells[header.index(side)] for side in SIDES}, entry
        else:
            assert file == "npd_sharing_figures_compiled.csv"
            sides = [side.strip() for side in cells[2].replace("<->", "->").split("->")]
            assert entry.variant in sides, entry
        assert entry.note, entry


def test_a_broken_alias_table_is_refused(tmp_path: Path) -> None:
    header = ALIASES_FILE.read_text(encoding="utf-8").splitlines()[0]
    bad = tmp_path / "aliases.csv"
    bad.write_text(f"{header}\nExample Ltd,Example Ltd,spaceship,x.csv:2,fictional\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"row 2.*unknown org_type 'spaceship'"):
        load_aliases(bad)
    bad.write_text(f"{header}\nExample Ltd,Example,,x.csv:2,fictional\nEXAMPLE LTD.,Other,,x.csv:3,dup\n")
    with pytest.raises(BadInput, match=r"row 3, column 'variant'.*already on row 2"):
        load_aliases(bad)
    bad.write_text(f"{header}\nExample Ltd,Example,,,fictional\n")
    with pytest.raises(BadInput, match=r"row 2, column 'source'"):
        load_aliases(bad)
