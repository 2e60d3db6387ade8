"""The salvage itself: progress to the end, a cancel that leaves nothing, a file it cannot write,
and stored times that name only what was saved."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from leaddesk.errors import UserError
from leaddesk.operations import salvage
from leaddesk.operations.salvage import SalvageCancelled, salvage_to_csv
from leaddesk.storage.database import Location, open_database
from tests.fixtures.damaged_database import (
    add_history,
    damage_a_page,
    leaddesk_database,
    leads_leaf_page,
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
    monkeypatch.setattr(salvage, "create_schema", refused)
    with pytest.raises(UserError) as said:
        salvage_to_csv(damaged, tmp_path / "out.csv")
    assert str(said.value) == (
        f"Cannot write {tmp_path / 'out.sqlite3'}: unable to open database file."
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data"]


def test_a_database_of_an_older_version_is_salvaged_into_this_versions_schema(
    tmp_path: Path,
) -> None:
    from alembic import command
    from alembic.config import Config

    from leaddesk.storage.database import create_database_engine
    from leaddesk.storage.migrate import HEAD_REVISION, migrations_path

    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "leaddesk.sqlite3"
    engine = create_database_engine(sqlite_url(path))
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003_merges")  # before leads had sla_applies
        connection.exec_driver_sql(
            "INSERT INTO import_batches (id, file_name, policy, mapping, created, updated, "
            "skipped, rejected, started_at) "
            "VALUES (1, 'old.csv', 'skip', '{}', 1, 0, 0, 0, '2026-11-17 10:30:00')"
        )
        # Created a year before its import: history, which 0004 gives no countdown.
        connection.exec_driver_sql(
            "INSERT INTO leads (first_name, created_at, updated_at, import_batch_id) "
            "VALUES ('Early', '2025-11-17 10:30:00', '2026-11-17 10:30:00', 1)"
        )
    engine.dispose()

    # What the ordinary upgrade makes of it, for comparison.
    upgraded = tmp_path / "upgraded"
    upgraded.mkdir()
    shutil.copy(path, upgraded / "leaddesk.sqlite3")
    open_database(Location(upgraded, sqlite_url(upgraded / "leaddesk.sqlite3"))).close()

    report = salvage_to_csv(Location(folder, sqlite_url(path)), tmp_path / "out.csv")

    assert report.tables["leads"].copied == 1
    assert report.tables["import_batches"].copied == 1
    assert _rows(tmp_path / "out.sqlite3", "SELECT sla_applies FROM leads") == [(0,)]
    assert _rows(tmp_path / "out.sqlite3", "SELECT version_num FROM alembic_version") == [
        (HEAD_REVISION,)
    ]
    # The upgrades' data steps ran on the salvaged rows too (sla_applies, say).
    every_column = "SELECT * FROM leads"
    assert _rows(tmp_path / "out.sqlite3", every_column) == _rows(
        upgraded / "leaddesk.sqlite3", every_column
    )


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(sql).fetchall()
    connection.close()
    return rows


# Leads whose stored last activity or next follow-up is not what their rows say.
WRONG_TIMES = """
SELECT count(*) FROM leads WHERE
  last_activity_at IS NOT (SELECT max(occurred_at) FROM activities WHERE lead_id = leads.id)
  OR next_follow_up_at IS NOT
     (SELECT min(due_at) FROM follow_ups WHERE lead_id = leads.id AND done_at IS NULL)
"""


def test_lost_follow_ups_are_not_named_as_a_leads_next_one(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    path = leaddesk_database(folder, leads=600)
    add_history(path)
    with sqlite3.connect(path) as connection:
        # As the operations keep them (storage/lead_times.py).
        connection.execute(
            "UPDATE leads SET"
            " last_activity_at = (SELECT max(occurred_at) FROM activities"
            " WHERE lead_id = leads.id), next_follow_up_at = (SELECT min(due_at) FROM follow_ups"
            " WHERE lead_id = leads.id AND done_at IS NULL)"
        )
    connection.close()
    assert _rows(path, WRONG_TIMES) == [(0,)]
    damage_a_page(path, leads_leaf_page(path, "follow_ups"))

    report = salvage_to_csv(Location(folder, sqlite_url(path)), tmp_path / "out.csv")

    assert report.tables["follow_ups"].unreadable > 0
    assert report.tables["leads"].unreadable == 0
    # The board, the table and the exports read these: a lead whose follow-up
    # was lost shows none, not one the agenda does not have.
    assert _rows(tmp_path / "out.sqlite3", WRONG_TIMES) == [(0,)]
    assert (
        _rows(
            tmp_path / "out.sqlite3", "SELECT count(*) FROM leads WHERE next_follow_up_at IS NULL"
        )[0][0]
        > 0
    )
