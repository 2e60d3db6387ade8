"""Before LeadDesk writes to a file: is it LeadDesk's, may it be written, is it whole?

The damaged databases are made at test time (tests/fixtures/damaged_database.py).
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from leaddesk.errors import DamagedDatabaseError, ReadOnlyDatabaseError, UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.storage import health
from leaddesk.storage.database import Location, open_database
from leaddesk.storage.schema import leads
from tests.fixtures.damaged_database import damage_a_page, leaddesk_database, sqlite_url


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_listing(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


# --- only LeadDesk databases are touched -----------------------------------------------


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"Meeting notes\n" * 500)
    with pytest.raises(UserError, match="not an SQLite database, not a LeadDesk database"):
        open_database(Location(tmp_path / "data", sqlite_url(path)))
    assert path.read_bytes() == b"Meeting notes\n" * 500


@pytest.mark.parametrize("tables", [["contacts"], ["leads"], ["alembic_version"]])
def test_another_programs_sqlite_database_is_refused_byte_for_byte_untouched(
    tmp_path: Path, tables: list[str]
) -> None:
    """Even one with its own ``leads`` table; before, its journal mode was changed."""
    path = tmp_path / "crm.sqlite"
    with sqlite3.connect(path) as connection:
        for table in tables:
            connection.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT)")
            connection.execute(f"INSERT INTO {table} (name) VALUES ('theirs')")
    connection.close()
    before, files = digest(path), folder_listing(tmp_path)

    with pytest.raises(UserError) as caught:
        open_database(Location(tmp_path / "data", sqlite_url(path)))

    assert "another program's SQLite database, not a LeadDesk database" in str(caught.value)
    assert "untouched" in str(caught.value)
    assert digest(path) == before
    assert folder_listing(tmp_path) == files  # no journal, no data folder, no backup


def test_an_sqlite_file_with_no_tables_becomes_a_leaddesk_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    sqlite3.connect(path).close()
    with sqlite3.connect(path) as connection:  # a header, but nothing in it
        connection.execute("PRAGMA user_version = 0")
        connection.execute("VACUUM")
    connection.close()
    database = open_database(Location(tmp_path, sqlite_url(path)))
    with database.reading() as connection:
        assert connection.execute(select(func.count()).select_from(leads)).scalar() == 0
    database.close()


# --- damage ------------------------------------------------------------------------------


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    path = leaddesk_database(tmp_path / "data")
    damage_a_page(path)
    return path


def test_a_damaged_database_is_opened_read_only_and_never_written(damaged: Path) -> None:
    data_dir = damaged.parent
    before = digest(damaged)
    database = open_database(Location(data_dir, sqlite_url(damaged)))
    assert isinstance(database.refusal, DamagedDatabaseError)
    ctx = OperationContext(db=database, actor="Test")

    with pytest.raises(DamagedDatabaseError) as caught:
        create_lead(ctx, {"first_name": "Lost"})
    message = str(caught.value)
    assert "is damaged" in message
    assert "leaddesk restore latest" in message
    assert "leaddesk salvage OUT.csv" in message
    assert message.count(".") <= 3  # one sentence, whatever the file name

    # Reading what does not touch the damaged page still works.
    with database.reading() as connection:
        assert connection.execute(select(leads.c.first_name).where(leads.c.id == 1)).scalar() == (
            "Lead1"
        )
    database.close()
    assert digest(damaged) == before


def test_damage_is_remembered_until_a_complete_check_passes(
    damaged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = damaged.parent
    open_database(Location(data_dir, sqlite_url(damaged))).close()
    assert (data_dir / health.DAMAGE_FILE).is_file()

    # A later start whose quick check would not finish still knows: a full check
    # runs (no budget) and finds the damage again.
    monkeypatch.setattr(health, "QUICK_CHECK_SECONDS", 0.0)
    again = open_database(Location(data_dir, sqlite_url(damaged)))
    assert again.read_only
    again.close()

    # The file is replaced by a whole one (as a restore does): writable again.
    good = leaddesk_database(tmp_path / "good")
    damaged.write_bytes(good.read_bytes())
    repaired = open_database(Location(data_dir, sqlite_url(damaged)))
    assert not repaired.read_only
    assert not (data_dir / health.DAMAGE_FILE).exists()
    repaired.close()


def test_damage_found_by_a_statement_makes_the_database_read_only(
    damaged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quick check that ran out of time missed it; the first read that hits it does not."""
    data_dir = damaged.parent
    monkeypatch.setattr(health, "QUICK_CHECK_SECONDS", 0.0)
    database = open_database(Location(data_dir, sqlite_url(damaged)))
    assert not database.read_only
    before = digest(damaged)

    with pytest.raises(DamagedDatabaseError), database.reading() as connection:
        connection.execute(select(leads.c.notes)).fetchall()
    ctx = OperationContext(db=database, actor="Test")
    with pytest.raises(DamagedDatabaseError):
        create_lead(ctx, {"first_name": "Lost"})
    database.close()
    assert digest(damaged) == before
    assert health.remembered_damage(data_dir, damaged) is not None


def test_the_quick_check_stops_at_its_budget(tmp_path: Path) -> None:
    path = leaddesk_database(tmp_path, leads=300)
    connection = health.connect_read_only(path)
    assert health.check_integrity(connection, full=False, budget=0.0) == health.CheckResult(
        None, finished=False
    )
    assert health.check_integrity(connection, full=False, budget=5.0) == health.CheckResult(
        None, finished=True
    )
    connection.close()


def test_the_check_is_skipped_while_the_file_is_unchanged_since_it_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = leaddesk_database(tmp_path, leads=10)
    checks: list[bool] = []
    real_check = health.check_integrity

    def recording(
        connection: sqlite3.Connection, *, full: bool, budget: float | None
    ) -> health.CheckResult:
        checks.append(full)
        return real_check(connection, full=full, budget=budget)

    monkeypatch.setattr(health, "check_integrity", recording)
    database = open_database(Location(tmp_path, sqlite_url(path)))  # changed: checked
    database.close()
    open_database(Location(tmp_path, sqlite_url(path))).close()  # unchanged: skipped
    damage_a_page(path)
    reopened = open_database(Location(tmp_path, sqlite_url(path)))  # changed: checked
    assert checks == [False, False]
    assert reopened.read_only
    reopened.close()


# --- unclean shutdown ----------------------------------------------------------------------

OPEN_AND_WAIT = """
import sys, time
from pathlib import Path
from leaddesk.storage.database import Location, open_database
folder = Path(sys.argv[1])
database = open_database(Location(folder, "sqlite:///" + str(folder / "leaddesk.sqlite3")))
print("open", flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9")
def test_after_a_kill_the_next_start_runs_a_full_integrity_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    path = leaddesk_database(data_dir, leads=50)
    with subprocess.Popen(
        [sys.executable, "-c", OPEN_AND_WAIT, str(data_dir)], stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "open"
        checks: list[bool] = []
        real_check = health.check_integrity

        def recording(
            connection: sqlite3.Connection, *, full: bool, budget: float | None
        ) -> object:
            checks.append(full)
            return real_check(connection, full=full, budget=budget)

        monkeypatch.setattr(health, "check_integrity", recording)
        # Still running: its session is live, not a crash.
        assert health.crashed_sessions(data_dir, path) == []
        open_database(Location(data_dir, sqlite_url(path))).close()
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert len(health.crashed_sessions(data_dir, path)) == 1
    open_database(Location(data_dir, sqlite_url(path))).close()  # after the kill: full
    open_database(Location(data_dir, sqlite_url(path))).close()  # unchanged since: none
    assert checks == [True]
    assert list((data_dir / health.SESSIONS_FOLDER).glob("*.open")) == []


def _crash(data_dir: Path) -> None:
    """A LeadDesk that opened the database in ``data_dir`` and was killed."""
    with subprocess.Popen(
        [sys.executable, "-c", OPEN_AND_WAIT, str(data_dir)], stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "open"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9")
def test_the_full_check_after_a_kill_keeps_to_its_budget_and_is_left_to_the_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    path = leaddesk_database(data_dir, leads=1200)
    _crash(data_dir)
    checks: list[tuple[bool, health.CheckResult]] = []
    real_check = health.check_integrity

    def recording(
        connection: sqlite3.Connection, *, full: bool, budget: float | None
    ) -> health.CheckResult:
        result = real_check(connection, full=full, budget=budget)
        checks.append((full, result))
        return result

    monkeypatch.setattr(health, "check_integrity", recording)
    monkeypatch.setattr(health, "CRASH_CHECK_SECONDS", 0.0)  # a database too big to wait for

    database = open_database(Location(data_dir, sqlite_url(path)))
    # Opened as usual, writable, without waiting for the whole check...
    assert checks == [(True, health.CheckResult(None, finished=False))]
    assert not database.read_only
    database.close()
    # ...which is now the window's to run, at once rather than in a day.
    assert health.full_check_after_crash(data_dir, path)
    assert health.full_check_due(data_dir, path, now=0.0)
    # The next start does not spend the budget again (nor, the file being unchanged
    # since its last passing check, any check at all).
    open_database(Location(data_dir, sqlite_url(path))).close()
    assert [full for full, _result in checks] == [True]
    health.note_full_check(data_dir, path, 1000.0)  # the window's check passed
    assert not health.full_check_after_crash(data_dir, path)


def test_a_clean_close_leaves_no_session_marker(tmp_path: Path) -> None:
    path = leaddesk_database(tmp_path, leads=1)
    database = open_database(Location(tmp_path, sqlite_url(path)))
    assert len(list((tmp_path / health.SESSIONS_FOLDER).glob("*.open"))) == 1
    database.close()
    assert list((tmp_path / health.SESSIONS_FOLDER).glob("*.open")) == []


# --- read-only files and folders -----------------------------------------------------------


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_database_is_read_but_never_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_only: str
) -> None:
    """Permissions are simulated (the suite may run as root, who may write anything)."""
    path = leaddesk_database(tmp_path / "data", leads=20)
    data_dir = path.parent
    before = digest(path)
    target = path if read_only == "file" else data_dir
    monkeypatch.setattr(health, "is_writable", lambda candidate: candidate != target)

    database = open_database(Location(data_dir, sqlite_url(path)))
    with database.reading() as connection:
        assert connection.execute(select(func.count()).select_from(leads)).scalar() == 20
    ctx = OperationContext(db=database, actor="Test")
    with pytest.raises(ReadOnlyDatabaseError) as caught:
        create_lead(ctx, {"first_name": "New"})
    assert "read-only" in str(caught.value)
    assert "reading, listing and exporting still work" in str(caught.value)
    # SQLite itself refuses too: the connection was opened read-only.
    with pytest.raises(ReadOnlyDatabaseError), database.reading() as connection:
        connection.exec_driver_sql("DELETE FROM leads")
    database.close()
    assert digest(path) == before


def test_no_database_can_be_created_in_a_read_only_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "is_writable", lambda candidate: candidate != tmp_path)
    with pytest.raises(UserError, match=r"Cannot create the database .* is read-only"):
        open_database(Location(tmp_path, sqlite_url(tmp_path / "leaddesk.sqlite3")))
    assert not (tmp_path / "leaddesk.sqlite3").exists()


# --- one sentence for what SQLite and the disk report ---------------------------------------


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (sqlite3.OperationalError("database is locked"), "Another LeadDesk is busy"),
        (sqlite3.OperationalError("database or disk is full"), "The disk is full"),
        (OSError(28, "No space left on device"), "The disk is full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (sqlite3.DatabaseError("database disk image is malformed"), "is damaged"),
    ],
)
def test_explain_gives_one_sentence(error: BaseException, expected: str, tmp_path: Path) -> None:
    explained = health.explain(error, tmp_path / "db.sqlite3", None)
    assert explained is not None
    assert expected in str(explained)


def test_explain_leaves_a_bug_alone() -> None:
    assert health.explain(ValueError("bug"), None, None) is None
    assert health.explain(sqlite3.OperationalError("no such column: x"), None, None) is None
