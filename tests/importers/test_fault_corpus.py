"""The fault corpus, kept as tests: every importer in the registry, on both stores, against malformed variants
of its file (tests/importers/faults.py). A refused variant must name its place and leave the store as it
was, to the byte for a snapshot (counts and content hash on Neo4j); a BOM or CRLF copy must read as the
original; a repeated row is refused, or folds into what its first statement wrote, where the importer says
so.

The files are small whole copies (the header and the first rows) of each bundled file, under its own name;
an importer with no bundled file has a sample here (fictional, like the tests' other samples). An importer
added to the registry is taken in automatically, and this module fails until it says what a bad value in
its file is (BAD) and, for one without a bundled file, gives a sample (SAMPLES).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from importers import BUILD_ORDER, REGISTRY
from importers.base import Importer
from importers.reading import BadInput
from lineage.resources import DATA_DIR
from lineage.store import Store
from lineage.stores.memory import MemoryStore
from tests.importers import gias_fixtures as fx
from tests.importers.faults import first_rows, variants
from tests.importers.store_state import state_of
from tests.importers.test_register_workbook import COLUMNS

ROWS = 30

#: A (column, value) each importer refuses on any row of its file.
BAD: dict[str, tuple[str, str]] = {
    "npd-classifications": ("scale", "colour"),
    "npd-datasets": ("tab_name", " "),
    "npd-items": ("old_tier", "9"),
    "npd-dataset-list": ("level", "county-level"),
    "npd-release-timetable": ("Dataset", ""),
    "npd-sheet-notes": ("note_text", "Old Tier 7 = Identifiability / Sensitivity 3D"),
    "npd-category-tree": ("category_l0", ""),
    "npd-concepts": ("category_l0", ""),
    "gias-links": ("URN", "abc"),
    "gias-establishments": ("URN", "9000002A"),
    "register-foi": ("reference", "XX123"),
    "register-more": ("reference", "XX123"),
    "scope-statements": ("statement", "stole"),
    "sharing-figures": ("period", "2016-13..2017-01"),
    "campaign-events": ("date_as_cited", "2018-13"),
    "search-keywords": ("node", "not a node id"),
    "onward-flows": ("kind", "rumour"),
    "external-shares": ("Tiers", "Tier 9"),
    "synthetic": ("scale", "big"),
}
#: The importers whose files state a fact again in a row repeated word for word (their docstrings say so):
#: the repeat folds into what the first row wrote. Every other importer refuses a repeated key.
FOLDS_REPEATS = {"npd-items", "npd-concepts", "gias-links"}


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


#: File name and whole text for the importers with no bundled file. All fictional.
SAMPLES: dict[str, tuple[str, str]] = {
    "gias-establishments": ("edubasealldata.csv", fx.edubaseall_text(fx.FICTIONAL_SCHOOLS).replace("\r\n", "\n")),
    "external-shares": (
        "DSAP approved shares.csv",
        _csv(
            [
                COLUMNS,
                ["DS09999", "Example Analytics Ltd", "2019-05-14", "KS4_FSM", "", "Fictional project", "", "", "", ""],
                ["DS09998", "Example Research Trust", "03/06/2020", "", "Tier 1", "", "", "", "extract", "approved"],
            ]
        ),
    ),
    "synthetic": ("spec.csv", "scale,seed\n0.002,7\n"),
}


def base(name: str) -> tuple[str, str]:
    """An importer's small whole file: (file name, text with ``\\n`` line breaks)."""
    cls = REGISTRY[name]
    if cls.bundled is None:
        return SAMPLES[name]
    text = (DATA_DIR / cls.bundled).read_bytes().decode(cls.encoding).replace("\r\n", "\n")
    return cls.bundled, first_rows(text, ROWS)


def write(directory: Path, file_name: str, content: bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / file_name
    path.write_bytes(content)
    return path


@dataclass
class Place:
    """Where the corpus runs on one store: how to write to it as an import does, and how to read it."""

    writing: Callable[[], contextlib.AbstractContextManager[Store]]
    reading: Callable[[], Store]
    #: what changes with every write that reaches the store (the snapshot's bytes; Neo4j's version token, set in
    #: the transaction of every write): where it has not moved, nothing was written, and the store need not be
    #: read whole again to show it
    written: Callable[[], Hashable]
    snapshot: Path | None = None
    #: which baseline it holds now: "real" (every real importer's small file) or an importer's name
    holds: str = ""
    reset: Callable[[], None] = field(default=lambda: None)


def _baseline(place: Place, directory: Path, importers: list[str]) -> None:
    place.reset()
    with place.writing() as store:
        for name in importers:
            file_name, text = base(name)
            REGISTRY[name]().run(store, write(directory / "base", file_name, text.encode(REGISTRY[name].encoding)))


def prepared(place: Place, name: str, directory: Path) -> None:
    """Put in the store what the variants of ``name`` are compared against: every real importer's small file
    (a synthetic importer's own, alone), unless it is there already."""
    wanted = name if REGISTRY[name].synthetic else "real"
    if place.holds != wanted:
        real = [*BUILD_ORDER, *(n for n in sorted(REGISTRY) if n not in BUILD_ORDER and not REGISTRY[n].synthetic)]
        _baseline(place, directory, [name] if wanted == name else real)
        place.holds = wanted


@pytest.fixture(scope="module", params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def place(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Place]:
    if request.param == "memory":
        snapshot = tmp_path_factory.mktemp("corpus") / "graph.snapshot"

        def reset() -> None:
            snapshot.unlink(missing_ok=True)

        def written() -> bytes:
            return snapshot.read_bytes() if snapshot.exists() else b""

        yield Place(
            lambda: MemoryStore.writing(snapshot), lambda: MemoryStore.load(snapshot), written, snapshot, reset=reset
        )
        return
    store: Store = request.getfixturevalue("_neo4j_store")
    yield Place(lambda: contextlib.nullcontext(store), lambda: store, store.version, reset=store.clear)
    store.clear()


def test_every_importer_is_in_the_corpus() -> None:
    missing = sorted(
        name for name in REGISTRY if name not in BAD or (REGISTRY[name].bundled is None and name not in SAMPLES)
    )
    assert not missing, f"add {missing} to the fault corpus: a bad value for BAD, and a sample where none is bundled"


# Synthetic importers last: on Neo4j they need the store to themselves, and the real baseline is built once.
ORDER = sorted(REGISTRY, key=lambda name: (REGISTRY[name].synthetic, name))


@pytest.mark.parametrize("name", ORDER)
def test_malformed_files_are_refused_and_whole_copies_read_alike(place: Place, name: str, tmp_path: Path) -> None:
    if name not in BAD:
        pytest.fail(f"{name} is not in the fault corpus (see test_every_importer_is_in_the_corpus)")
    prepared(place, name, tmp_path.parent / "corpus-files")
    importer: Importer = REGISTRY[name]()
    file_name, text = base(name)
    # The original once more, last: a fact two sources state takes the certainty of the last one imported
    # (lineage.merge), so a whole copy reads as the original only where the original was imported last.
    with place.writing() as store:
        importer.run(store, write(tmp_path / "original", file_name, text.encode(importer.encoding)))
    problems = []
    # Nothing writes between one variant's import and the next's: the state after one is the state before the
    # next, read once, and read again only after a write (reading a store whole was most of this test's time).
    after = state_of(place.reading())
    for variant in variants(text, importer.encoding, BAD[name], "folded" if name in FOLDS_REPEATS else "refused"):
        path = write(tmp_path / variant.name, file_name, variant.content)
        before = after
        written = place.written()
        try:
            with place.writing() as store:
                importer.run(store, path)
        except BadInput as refused:
            unwritten = place.written() == written
            after = before if unwritten else state_of(place.reading())
            if variant.outcome != "refused":
                problems.append(f"{variant.name}: refused ({refused}), but it is a whole file")
            elif (variant.row, variant.column) != (None, None) and (refused.row, refused.column) != (
                variant.row,
                variant.column or refused.column,
            ):
                problems.append(f"{variant.name}: refused at the wrong place ({refused}), expected row {variant.row}")
            elif str(path) not in str(refused):
                problems.append(f"{variant.name}: the refusal does not name the file ({refused})")
            if not unwritten:
                changed = ", and it changed" if after != before else ""
                problems.append(f"{variant.name}: refused, yet something was written to the store{changed}")
            continue
        except Exception as exc:  # a traceback instead of a refusal naming the place: what the corpus is for
            problems.append(f"{variant.name}: {type(exc).__name__}: {exc} (not a refusal naming file, row, column)")
            after = state_of(place.reading())
            continue
        after = state_of(place.reading())
        if variant.outcome == "refused":
            problems.append(f"{variant.name}: accepted (it must be refused)")
        elif variant.outcome == "same" and after.graph != before.graph:
            problems.append(f"{variant.name}: read differently from the original")
        elif variant.outcome == "folded" and after.ids != before.ids:
            problems.append(f"{variant.name}: the repeated row added {sorted(after.ids - before.ids)[:3]}")
        if variant.outcome != "refused" and after.runs != before.runs + 1:
            problems.append(f"{variant.name}: {after.runs - before.runs} import runs recorded, not 1")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", ORDER)
def test_a_file_over_the_size_limit_or_no_regular_file_is_refused_before_it_is_read(
    place: Place, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probes' cases: a 2 GB file ended in MemoryError, and a directory, a FIFO and a device were "no such
    file". The limit is set one byte below the importer's small whole file, so no big file need be made. The FIFO
    has no writer: reading it would block, so its refusal shows that it was not opened. Round ten: a file whose name
    is not UTF-8 (a Latin-1 "é") was imported, its name stored as a lone surrogate that no export could write."""
    prepared(place, name, tmp_path.parent / "corpus-files")
    file_name, text = base(name)
    path = write(tmp_path / "file", file_name, text.encode(REGISTRY[name].encoding))
    size = path.stat().st_size
    monkeypatch.setenv("LINEAGE_MAX_IMPORT_BYTES", str(size - 1))
    fifo = tmp_path / "fifo" / file_name
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    latin = path.with_name(os.fsdecode(b"caf\xe9-") + file_name)
    latin.write_bytes(path.read_bytes())
    before = place.written()
    refusals = [(path, f"the file is {size:,} bytes; an import reads at most {size - 1:,}"),
                (tmp_path, "is a directory, not a file"),
                (fifo, "is not a regular file"),
                (Path("/dev/zero"), "is not a regular file"),
                (latin, "the file's name is not UTF-8 text")]  # fmt: skip
    for target, message in refusals:
        with pytest.raises(BadInput) as refused, place.writing() as store:
            REGISTRY[name]().run(store, target)
        assert str(refused.value).startswith(f"{target}: {message}")
    assert place.written() == before, "a refused file wrote to the store"


#: Cells read as numbers, years, dates, tiers or references, each given in another script's digits (Arabic-Indic).
OTHER_DIGITS = [
    ("sharing-figures", "value", "\u0661\u0662"),  # had been the figure 12.0
    ("sharing-figures", "period", "\u0662\u0660\u0661\u0666/\u0661\u0667"),  # had held always
    ("synthetic", "scale", "\u0660.\u0660\u0660\u0662"),
    ("register-foi", "reference", "DR\u0661\u0665\u0660\u0668\u0660\u0668.\u0660\u0661"),
    ("register-foi", "date_as_cited", "\u0662\u0660\u0661\u0662-\u0660\u0668-\u0660\u0668"),  # had been a date
    ("register-foi", "status_as_cited", "approved (tier \u0661 data)"),  # had been tier 1
    ("external-shares", "Tiers", "Tier \u0661"),
    ("gias-links", "URN", "\u0661\u0663\u0661\u0667\u0666\u0668"),  # parse_int's rule, already kept
    ("gias-links", "LinkEstablishedDate", "\u0660\u0661-\u0660\u0669-\u0662\u0660\u0661\u0660"),
    ("npd-items", "years_populated", "\u0662\u0660\u0660\u0662/\u0660\u0663 -"),
    ("scope-statements", "reference", "DS\u0660\u0660\u0667\u0666\u0663"),
    ("scope-statements", "date_as_cited", "March 2\u0660\u0661\u0666"),  # had been March 2016
    ("npd-datasets", "tab_name", "SC_Pupil \u0660\u0661-\u0660\u0662 to 17-18 SUM"),  # had been from 2001
    ("npd-items", "sheet", "KS2 \u0669\u0665-\u0669\u0666"),  # had been 1995
]


@pytest.mark.parametrize(("name", "column", "value"), OTHER_DIGITS)
def test_a_number_in_another_scripts_digits_is_refused_naming_its_place(
    name: str, column: str, value: str, tmp_path: Path
) -> None:
    """The hostile-input reading, round ten: parse_int takes the digits 0-9 alone, but float(), strptime, int() and
    a pattern's \\d read other scripts' digits as theirs, so a figure "\\u0661\\u0662" was 12.0, a date in them a date
    and a tier in them a tier, and a period or a reference in them was taken (a period held always). Every reader
    refuses them, naming the file, row and column."""
    file_name, text = base(name)
    rows = list(csv.reader(io.StringIO(text)))
    rows[1][rows[0].index(column)] = value
    path = write(tmp_path, file_name, _csv(rows).encode(REGISTRY[name].encoding))
    with pytest.raises(BadInput, match="digit") as refused:
        REGISTRY[name]().run(MemoryStore(), path, dry_run=True)
    assert refused.value.path.startswith(str(path))  # a workbook's refusal names its sheet too
    assert (refused.value.row, refused.value.column) == (2, column)
