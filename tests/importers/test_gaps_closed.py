"""The gaps an import closes (issue 26, point 3): recorded on its ImportRun, told by the Atom feed and by
`lineage import`, on both stores; a gap a command opens and closes itself is not news.

EVERYTHING HERE IS FICTIONAL, as in test_register_workbook: made-up register rows (reference DS09999, data set
"FICTIONAL_SET") in CSV sheets built in tmp_path. They describe no real organisation, share or data item.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import importers.build
from importers.build import build_real_graph
from importers.register_workbook import ExternalSharesImporter
from lineage.changes import GapWatch, atom_feed
from lineage.cli import main
from lineage.errors import DamagedRecord, LineageError, NotFound, StoreUnavailable
from lineage.model import Citation, Node, NodeKind
from lineage.questions.closings import CLOSED_GAPS, ClosedGap, gaps_closed, record_closures
from lineage.questions.gaps import CLOSED_WHEN, GAP_KINDS, gaps
from lineage.store import Store
from lineage.stores.memory import MemoryStore
from tests.importers.test_register_workbook import FICTION, fictional_items

ATOM = "{http://www.w3.org/2005/Atom}"
GAP = "items-not-published:Release:DS09999"
COLUMNS = "Ref: reference, Recipient: organisation, Approved on: date_approved, Data requested: data_requested"


def shares(folder: Path, name: str, items: str) -> Path:
    """A one-sheet register edition as CSV, its header on row 3, mapped by a file beside it: DS09999 and the
    items it names (none: its items are not published)."""
    path = folder / f"{name}.csv"
    path.write_text(
        "Fictional edition\n\nRef,Recipient,Approved on,Data requested\n"
        f"DS09999,Example Analytics Ltd,2019-05-14,{items}\n",
        encoding="utf-8",
    )
    path.with_name(f"{name}.columns.yaml").write_text(
        f"sheets:\n  {name}:\n    part: dsap\n    header_row: 3\n    columns: {{{COLUMNS}}}\n", encoding="utf-8"
    )
    return path


def closing_row(path: Path) -> Citation:
    """The row of the newer edition that names the items: the source that closes the gap."""
    return Citation(f"DfE external data shares ({path.name})", path.stem, 4, ExternalSharesImporter.address)


def test_an_import_that_names_a_releases_items_records_the_gap_it_closed(empty_store: Store, tmp_path: Path) -> None:
    empty_store.write(fictional_items())
    older = shares(tmp_path, "edition-1", "")
    first = ExternalSharesImporter().run(empty_store, older, gaps=GapWatch(empty_store))
    assert first.closed_gaps == () and GAP in {g.id for g in gaps(empty_store)}

    newer = shares(tmp_path, "edition-2", "FICTIONAL_SET/Fict_Name")
    second = ExternalSharesImporter().run(empty_store, newer, gaps=GapWatch(empty_store))
    assert [(c.gap.id, c.closed_by) for c in second.closed_gaps] == [(GAP, (closing_row(newer),))]
    assert GAP not in {g.id for g in gaps(empty_store)}

    (closure,) = gaps_closed(empty_store)
    assert (closure.gap_id, closure.kind, closure.open_again) == (GAP, "items not published", False)
    assert closure.subject == empty_store.get_node("Release:DS09999")
    assert closure.authority == "Department for Education" and closure.sources == (closing_row(newer),)
    assert (closure.source, closure.path) == ("external-shares", newer.name)
    assert closure.import_run.props["path"] == newer.name and closure.import_run.props["status"] == "finished"

    assert closure.closed_at.tzinfo is not None
    assert closure.closed_at == dt.datetime.fromisoformat(str(closure.import_run.props["ended_at"]))

    newest = _feed(empty_store)[0]  # closed today: newer than any release's cited date
    assert newest.findtext(f"{ATOM}title") == "Gap closed: items not published, DS09999: Example Analytics Ltd"
    link = newest.find(f"{ATOM}link")
    assert link is not None and link.get("href", "").endswith("id=Release%3ADS09999")
    assert newest.findtext(f"{ATOM}summary") == (
        f"Gap closed on {closure.closed_at.date().isoformat()}: in the external-shares import of edition-2.csv, a "
        "source named data sets or items in it, at the certainty that source gives. The gap was: items not published."
    )
    content = newest.findtext(f"{ATOM}content") or ""
    assert f"DfE external data shares ({newer.name})" in content and "Department for Education" in content


def _feed(store: Store) -> list[ET.Element]:
    return ET.fromstring(atom_feed(store, "https://lineage.example/")).findall(f"{ATOM}entry")


def test_a_corrected_file_under_the_same_name_is_cited_for_the_gap_it_closed(empty_store: Store,
                                                                             tmp_path: Path) -> None:  # fmt: skip
    """The corrected row is cited as the first was (same file, sheet and row), so it adds no new citation to the
    release: it is still the source that closed the gap."""
    empty_store.write(fictional_items())
    ExternalSharesImporter().run(empty_store, shares(tmp_path, "edition", ""), gaps=GapWatch(empty_store))
    corrected = shares(tmp_path, "edition", "FICTIONAL_SET/Fict_Name")
    report = ExternalSharesImporter().run(empty_store, corrected, gaps=GapWatch(empty_store))
    assert [(c.gap.id, c.closed_by) for c in report.closed_gaps] == [(GAP, (closing_row(corrected),))]
    summary = _feed(empty_store)[0].findtext(f"{ATOM}summary") or ""
    assert "a source named data sets or items in it" in summary and "cites nothing" not in summary


def test_a_gap_is_told_closed_once_though_later_imports_of_the_command_name_its_subject_again(
    empty_store: Store, tmp_path: Path
) -> None:
    empty_store.write(fictional_items())
    ExternalSharesImporter().run(empty_store, shares(tmp_path, "edition-1", ""), gaps=GapWatch(empty_store))
    watch = GapWatch(empty_store)
    closing = ExternalSharesImporter().run(
        empty_store, shares(tmp_path, "edition-2", "FICTIONAL_SET/Fict_Name"), gaps=watch
    )
    later = ExternalSharesImporter().run(
        empty_store, shares(tmp_path, "edition-3", "FICTIONAL_SET/Fict_Name; FICTIONAL_SET"), gaps=watch
    )
    assert [c.gap.id for c in closing.closed_gaps] == [GAP] and later.closed_gaps == ()
    assert [c.path for c in gaps_closed(empty_store)] == ["edition-2.csv"]


def test_importing_the_same_file_again_keeps_the_gaps_its_first_import_closed(empty_store: Store,
                                                                              tmp_path: Path) -> None:  # fmt: skip
    empty_store.write(fictional_items())
    ExternalSharesImporter().run(empty_store, shares(tmp_path, "edition-1", ""), gaps=GapWatch(empty_store))
    newer = shares(tmp_path, "edition-2", "FICTIONAL_SET/Fict_Name")
    ExternalSharesImporter().run(empty_store, newer, gaps=GapWatch(empty_store))
    again = ExternalSharesImporter().run(empty_store, newer, gaps=GapWatch(empty_store))
    assert again.closed_gaps == ()
    assert [c.gap_id for c in gaps_closed(empty_store)] == [GAP]


def test_a_gap_opened_and_closed_within_one_command_is_not_news(empty_store: Store, tmp_path: Path) -> None:
    """As in a build from scratch: the command's first file opens the gap, its second closes it."""
    empty_store.write(fictional_items())
    watch = GapWatch(empty_store)
    ExternalSharesImporter().run(empty_store, shares(tmp_path, "edition-1", ""), gaps=watch)
    closing = ExternalSharesImporter().run(
        empty_store, shares(tmp_path, "edition-2", "FICTIONAL_SET/Fict_Name"), gaps=watch
    )
    assert closing.closed_gaps == () and gaps_closed(empty_store) == []


def test_a_build_from_scratch_records_no_gap_closed(real_store: Store) -> None:
    """No gap of the real record was open before a build from scratch began, so none is news."""
    runs = real_store.all_nodes(NodeKind.IMPORT_RUN)
    assert runs and all(CLOSED_GAPS not in run.props for run in runs)
    assert not [e for e in _feed(real_store) if (e.findtext(f"{ATOM}title") or "").startswith("Gap closed")]


def test_a_build_onto_a_store_records_the_gaps_its_files_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build whose one bundled file (here the fictional edition) closes a gap open before it began."""
    store = MemoryStore()
    store.write(fictional_items())
    ExternalSharesImporter().run(store, shares(tmp_path, "edition-1", ""), gaps=GapWatch(store))
    newer = shares(tmp_path, "edition-2", "FICTIONAL_SET/Fict_Name")
    monkeypatch.setattr(importers.build, "BUILD_ORDER", ("external-shares",))
    monkeypatch.setattr(ExternalSharesImporter, "bundled", str(newer))
    (report,) = build_real_graph(store)
    assert [c.gap.id for c in report.closed_gaps] == [GAP]
    assert [(c.gap_id, c.path) for c in gaps_closed(store)] == [(GAP, newer.name)]


def test_each_import_of_a_file_adds_to_the_gaps_its_run_records(tmp_path: Path) -> None:
    """A run closes a gap, a later import opens it again, the same file imported again closes it again: its
    run keeps both closings, each dated by the run's end then."""
    store = MemoryStore()
    store.write(fictional_items())
    ExternalSharesImporter().run(store, shares(tmp_path, "edition-1", ""), gaps=GapWatch(store))
    (gap,) = [g for g in gaps(store) if g.id == GAP]
    (run,) = store.all_nodes(NodeKind.IMPORT_RUN)
    once = record_closures(dataclasses.replace(run, props={**run.props, "ended_at": "2026-12-01T10:00:00+00:00"}),
                           [ClosedGap(gap, ())])  # fmt: skip
    again = dataclasses.replace(once, props={**once.props, "ended_at": "2026-12-02T10:00:00+00:00"})
    store.write([record_closures(again, [ClosedGap(gap, (closing_row(tmp_path / "edition-1.csv"),))])])
    found = [(c.gap_id, c.closed_at.day, len(c.sources)) for c in gaps_closed(store)]
    assert found == [(GAP, 2, 1), (GAP, 1, 0)]  # newest first


def test_lineage_import_lists_the_gaps_it_closed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snapshot = tmp_path / "g.snapshot"
    with MemoryStore.writing(snapshot, 0) as store:
        store.write(fictional_items())
    address = f"memory:{snapshot}"
    assert main(["import", "external-shares", str(shares(tmp_path, "edition-1", "")), "--store", address]) == 0
    assert "gaps in the record closed" not in capsys.readouterr().out
    newer = shares(tmp_path, "edition-2", "FICTIONAL_SET/Fict_Name")
    assert main(["import", "external-shares", str(newer), "--store", address]) == 0
    out = capsys.readouterr().out
    assert "gaps in the record closed" in out and f"{GAP}: items not published" in out
    (closure,) = gaps_closed(MemoryStore.load(snapshot))
    assert closure.sources == (closing_row(newer),)


class _GoesAwayAfter(MemoryStore):
    """A store that answers its first ``writes`` writes, then is gone, as a Neo4j server lost mid-command."""

    def __init__(self, writes: int) -> None:
        super().__init__()
        self.writes = writes

    def write(self, nodes=(), edges=()):  # type: ignore[no-untyped-def]
        if self.writes == 0:
            raise StoreUnavailable("the test's store went away")
        self.writes -= 1
        return super().write(nodes, edges)


def test_a_store_lost_before_the_record_of_closed_gaps_says_which_gaps_and_keeps_the_data_whole(
    tmp_path: Path,
) -> None:
    store = _GoesAwayAfter(writes=10)
    store.write(fictional_items())
    ExternalSharesImporter().run(store, shares(tmp_path, "edition-1", ""), gaps=GapWatch(store))
    store.writes = 2  # the run's "started" and its data: then the store is gone
    newer = shares(tmp_path, "edition-2", "FICTIONAL_SET/Fict_Name")
    refused = f"the record of the gaps {newer.name} closed \\({GAP}\\) could not be written: the test's store went away"
    with pytest.raises(LineageError, match=refused):
        ExternalSharesImporter().run(store, newer, gaps=GapWatch(store))
    runs = {n.props["path"]: n for n in store.all_nodes(NodeKind.IMPORT_RUN)}
    assert runs[newer.name].props["status"] == "finished"
    assert "DataItem:FICTIONAL_SET/Fict_Name" in {
        h.node.id for h in store.neighbours("Release:DS09999").hops.items if h.edge.kind.value == "INCLUDES"
    }


def test_a_closed_gap_a_later_import_opened_again_is_marked_open(empty_store: Store, tmp_path: Path) -> None:
    """The run's record says the gap closed; the store holds it open now (as after an older edition imported
    again): the feed keeps the closing, and says it is open again."""
    empty_store.write(fictional_items())
    ExternalSharesImporter().run(empty_store, shares(tmp_path, "edition-1", ""), gaps=GapWatch(empty_store))
    (gap,) = [g for g in gaps(empty_store) if g.id == GAP]
    (run,) = empty_store.all_nodes(NodeKind.IMPORT_RUN)
    empty_store.write([record_closures(run, [ClosedGap(gap, ())])])
    summary = _feed(empty_store)[0].findtext(f"{ATOM}summary") or ""
    assert summary.endswith("That import cites nothing about its subject. The gap is open in the record now.")


NAIVE = (
    '[{"gap": "g", "kind": "k", "subject": "s", "subject_name": "n", "date": null, "organisations": [], '
    '"authority": "a", "closed_at": "2026-12-01T10:00:00", "closed_by": []}]'
)


@pytest.mark.parametrize(
    ("record", "why"), [("[{}]", "'closed_at'"), ("not json", "Expecting value"), (NAIVE, "names no time zone")]
)
def test_an_unreadable_record_of_closed_gaps_is_refused_naming_its_run(record: str, why: str) -> None:
    """Fields missing, not JSON, or a time with no zone (it could not be placed beside the others): refused when
    read, and when a closing would be added to it."""
    store = MemoryStore()
    cite = frozenset({Citation("pupil-data lineage import log", "edition.csv", None, "")})
    run = Node(NodeKind.IMPORT_RUN, "external-shares:0123", "a run", {"status": "finished", CLOSED_GAPS: record}, cite)
    store.write([run])
    refused = f"ImportRun ImportRun:external-shares:0123: its closed_gaps record is unreadable \\(.*{why}"
    with pytest.raises(DamagedRecord, match=refused):
        gaps_closed(store)
    with pytest.raises(DamagedRecord, match=refused):
        record_closures(dataclasses.replace(run, props={**run.props, "ended_at": "2026-12-01T10:00:00+00:00"}), [])
    feed = ET.fromstring(atom_feed(store, "https://lineage.example/"))  # the releases and statements still are news
    assert "The gaps imports closed are left out: ImportRun ImportRun:external-shares:0123" in (
        feed.findtext(f"{ATOM}subtitle") or ""
    )


def test_what_closes_a_gap_is_said_for_every_kind() -> None:
    assert set(CLOSED_WHEN) == set(GAP_KINDS)


def test_closed_gaps_are_filtered_as_open_ones_are(empty_store: Store, tmp_path: Path) -> None:
    """By the organisation concerned (Example Analytics Ltd, DS09999's recipient), by the period its release's
    date (2019-05-14) falls in, and by node: the recipient's id finds it as the gaps question does."""
    empty_store.write(fictional_items())
    ExternalSharesImporter().run(empty_store, shares(tmp_path, "edition-1", ""), gaps=GapWatch(empty_store))
    newer = shares(tmp_path, "edition-2", "FICTIONAL_SET/Fict_Name")
    ExternalSharesImporter().run(empty_store, newer, gaps=GapWatch(empty_store))

    def found(**asked: object) -> list[str]:
        return [c.gap_id for c in gaps_closed(empty_store, **asked)]  # type: ignore[arg-type]

    cite = frozenset({FICTION})
    empty_store.write([Node(NodeKind.ORGANISATION, "example research trust", "Example Research Trust", {}, cite)])
    assert found(organisation="Example Analytics Ltd") == [GAP] == found(node="Organisation:example analytics")
    assert found(organisation="Example Research Trust") == [] == found(node="Organisation:example research trust")
    with pytest.raises(NotFound, match="no organisation is named 'Example Nobody'"):
        found(organisation="Example Nobody")
    assert found(start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31)) == [GAP]
    assert found(start=dt.date(2020, 1, 1)) == [] == found(end=dt.date(2019, 5, 13))
    assert found(kinds=["outcome not stated"]) == [] == found(node="Release:DS09998")
    with pytest.raises(LineageError, match="no kind of gap 'everything': one of "):
        found(kinds=["everything"])


def test_lineage_diff_says_a_subject_left_only_when_it_did(tmp_path: Path) -> None:
    """A corrected file under the same name cites its release as before: the newer build holds no new source on
    it, and the release is still there."""
    from lineage.changes import diff, format_diff

    def built(folder: str, items: str) -> MemoryStore:
        (tmp_path / folder).mkdir()
        store = MemoryStore()
        store.write(fictional_items())
        ExternalSharesImporter().run(store, shares(tmp_path / folder, "edition", items))
        return store

    changed = diff(built("older", ""), built("corrected", "FICTIONAL_SET/Fict_Name"))
    (closed,) = changed.closed
    assert (closed.gap.id, closed.closed_by, closed.gone) == (GAP, (), False)
    text = format_diff(changed)
    assert "closed by: no new source on its subject" in text and "left the record" not in text


def test_a_file_imported_again_and_interrupted_keeps_what_its_first_import_closed(tmp_path: Path) -> None:
    """The same file is the same ImportRun: it stays "finished", its data whole from the import that finished
    (lineage.merge.finished_run), and the gap it closed stays told."""

    class RefusesOneWrite(MemoryStore):
        refuse = False

        def write(self, nodes=(), edges=()):  # type: ignore[no-untyped-def]
            if self.refuse and any(n.kind is not NodeKind.IMPORT_RUN for n in nodes):
                raise LineageError("the test refuses this write")
            return super().write(nodes, edges)

    store = RefusesOneWrite()
    store.write(fictional_items())
    ExternalSharesImporter().run(store, shares(tmp_path, "edition-1", ""), gaps=GapWatch(store))
    newer = shares(tmp_path, "edition-2", "FICTIONAL_SET/Fict_Name")
    ExternalSharesImporter().run(store, newer, gaps=GapWatch(store))
    store.refuse = True
    with pytest.raises(LineageError, match="the test refuses this write"):
        ExternalSharesImporter().run(store, newer, gaps=GapWatch(store))
    (closure,) = gaps_closed(store)
    assert closure.gap_id == GAP and closure.import_run.props["status"] == "finished"


def test_a_closing_names_the_file_that_closed_it_though_the_same_bytes_came_again_under_another_name(
    empty_store: Store, tmp_path: Path
) -> None:
    """Its ImportRun is known by the file's content, and names the file last imported with it."""
    empty_store.write(fictional_items())
    ExternalSharesImporter().run(empty_store, shares(tmp_path, "edition-1", ""), gaps=GapWatch(empty_store))
    newer = shares(tmp_path, "edition-2", "FICTIONAL_SET/Fict_Name")
    ExternalSharesImporter().run(empty_store, newer, gaps=GapWatch(empty_store))
    renamed = newer.with_name("renamed.csv")
    renamed.write_bytes(newer.read_bytes())
    renamed.with_name("renamed.columns.yaml").write_text(
        newer.with_name("edition-2.columns.yaml").read_text(encoding="utf-8").replace("edition-2:", "renamed:"),
        encoding="utf-8",
    )
    ExternalSharesImporter().run(empty_store, renamed, gaps=GapWatch(empty_store))
    (closure,) = gaps_closed(empty_store)
    assert closure.import_run.props["path"] == "renamed.csv" and closure.path == "edition-2.csv"
    assert "external-shares import of edition-2.csv" in closure.summary


def test_a_run_with_no_end_time_is_not_given_closings() -> None:
    """On Neo4j, a run read between its two writes by a second import of the same file has no end yet."""
    cite = frozenset({Citation("pupil-data lineage import log", "edition.csv", None, "")})
    run = Node(NodeKind.IMPORT_RUN, "external-shares:0123", "a run", {"status": "started", "ended_at": ""}, cite)
    with pytest.raises(DamagedRecord, match="ImportRun ImportRun:external-shares:0123 has no end time"):
        record_closures(run, [])
