"""The `lineage` command's own choices (the rest of it is tested beside what each subcommand runs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lineage.cli import main


@pytest.mark.parametrize(
    "command", [["counts"], ["report", "release", "DS00804"], ["query", "{ counts { totalNodes } }"]]
)
def test_a_reading_command_refuses_a_snapshot_that_is_not_there(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "grpah.snapshot"
    assert main([*command, "--store", f"memory:{typo}"]) == 1
    assert f"no snapshot at {typo}" in capsys.readouterr().err
    assert not typo.exists()


def test_an_import_may_start_a_new_snapshot(tmp_path: Path) -> None:
    fresh = tmp_path / "new.snapshot"
    data = Path(__file__).resolve().parents[2] / "data" / "npd_data_item_classifications_2018.csv"
    assert main(["import", "npd-classifications", str(data), "--store", f"memory:{fresh}"]) == 0
    assert fresh.exists()
