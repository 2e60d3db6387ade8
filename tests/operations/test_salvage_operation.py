"""The salvage itself: progress to the end, a cancel that leaves nothing, a file it cannot write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from leaddesk.errors import UserError
from leaddesk.operations import salvage
from leaddesk.operations.salvage import SalvageCancelled, salvage_to_csv
from leaddesk.storage.database import Location
from tests.fixtures.damaged_database import (
    add_history,
    damage_a_page,
    leaddesk_database,
    sqlite_url,
)


@pytest.fixture
def damaged(tmp_path: Path) -> Location:
    folder = tmp_path / "data"
    path = leaddesk_database(folder, leads=600)
    add_history(path)
    damage_a_page(path)
    return Location(folder, sqlite_url(path))


def test_progress_runs_to_its_total(damaged: Location, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    report = salvage_to_csv(damaged, tmp_path / "out.csv", progress=lambda *p: seen.append(p))
    assert seen[-1][0] == seen[-1][1]
    assert all(done <= total for done, total in seen)
    assert report.tables["activities"].copied == 2 * report.tables["leads"].copied


def test_a_cancelled_salvage_leaves_no_file(damaged: Location, tmp_path: Path) -> None:
    calls = 0

    def cancel_half_way() -> bool:
        nonlocal calls
        calls += 1
        return calls > 5

    with pytest.raises(SalvageCancelled):
        salvage_to_csv(damaged, tmp_path / "out.csv", should_cancel=cancel_half_way)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data"]


def test_a_database_it_cannot_write_is_one_sentence(
    damaged: Location, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.OperationalError("unable to open database file")

    # Where the new database is made: a folder it may not write, say.
    monkeypatch.setattr(salvage, "upgrade_to_head", refused)
    with pytest.raises(UserError) as said:
        salvage_to_csv(damaged, tmp_path / "out.csv")
    assert str(said.value) == (
        f"Cannot write {tmp_path / 'out.sqlite3'}: unable to open database file."
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data"]
