"""Backups and restore of the SQLite file: verified copies, retention, refusals, 0600.

Covers: a round trip (a lead added after the backup is gone after the restore,
and the pre-restore copy holds it); a damaged backup (garbage in a middle page)
and a foreign SQLite file refused with the current database untouched; a
database another connection holds open is not replaced; retention (7 daily, 3
pre-migration one per revision); a backup taken while another connection
writes completes, is consistent and does not stall the writer; owner-only files.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.storage import backup as backup_module
from leaddesk.storage.backup import (
    BackupError,
    BackupKind,
    backup_name,
    backup_to_file,
    check_restorable,
    list_backups,
    prune_backups,
    restore_database,
    take_backup,
)
from leaddesk.storage.database import Database
from leaddesk.storage.migrate import HEAD_REVISION, known_revisions
from leaddesk.storage.schema import leads
from tests.conftest import TEST_NOW


def database_path(db: Database) -> Path:
    return Path(db.engine.url.database or "")


def names(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT first_name FROM leads ORDER BY id")]
    finally:
        connection.close()


def add_leads(ctx: OperationContext, *first_names: str) -> None:
    for name in first_names:
        create_lead(ctx, {"first_name": name})


def test_a_backup_is_a_verified_copy_named_by_time_and_kind(ctx, db, tmp_path):
    add_leads(ctx, "Walter")  # still in the -wal file: the database is open
    folder = tmp_path / "copies"

    made = take_backup(database_path(db), folder, BackupKind.MANUAL, now=TEST_NOW)

    assert made.path.name == "leaddesk-2026-11-17T103000Z-manual.sqlite3"
    assert names(made.path) == ["Walter"]
    assert list_backups(folder) == [made]
    # A plain file: no -wal or -shm left beside it, no temporary file either.
    assert sorted(path.name for path in folder.iterdir()) == [made.path.name]
    with sqlite3.connect(made.path) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copy.close()


def test_restore_brings_back_the_backup_and_keeps_the_replaced_database(ctx, db, tmp_path):
    add_leads(ctx, "Anna")
    folder = tmp_path / "copies"
    made = take_backup(database_path(db), folder, BackupKind.DAILY, now=TEST_NOW)
    add_leads(ctx, "Bruno")  # after the backup
    db.close()

    later = TEST_NOW + dt.timedelta(hours=1)
    result = restore_database(database_path(db), made.path, folder, known_revisions(), now=later)

    assert names(database_path(db)) == ["Anna"]
    assert result.revision == HEAD_REVISION
    assert result.pre_restore is not None
    assert result.pre_restore.kind is BackupKind.PRE_RESTORE
    assert names(result.pre_restore.path) == ["Anna", "Bruno"]
    # The same engine reads the restored file once its old connections are gone.
    with db.reading() as connection:
        assert list(connection.execute(select(leads.c.first_name)).scalars()) == ["Anna"]


def _damage_a_middle_page(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.close()
    assert pages > 4
    with path.open("r+b") as file:
        file.seek(page_size * (pages // 2))
        file.write(b"\xa5\x5a garbage " * (page_size // 10))


@pytest.fixture
def filled(ctx: OperationContext) -> OperationContext:
    add_leads(ctx, *(f"Lead {number} " + "x" * 300 for number in range(60)))
    return ctx


def test_a_damaged_backup_is_refused_and_the_database_is_untouched(filled, db, tmp_path):
    folder = tmp_path / "copies"
    made = take_backup(database_path(db), folder, BackupKind.MANUAL, now=TEST_NOW)
    _damage_a_middle_page(made.path)
    db.close()
    before = database_path(db).read_bytes()

    with pytest.raises(BackupError, match="damaged"):
        restore_database(database_path(db), made.path, folder, known_revisions())

    assert database_path(db).read_bytes() == before
    assert [backup.kind for backup in list_backups(folder)] == [BackupKind.MANUAL]
    assert not list(database_path(db).parent.glob(".*.tmp"))


def test_a_foreign_sqlite_file_is_refused_and_left_as_it_was(db, tmp_path):
    foreign = tmp_path / "recipes.sqlite3"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE leads (name TEXT)")
        connection.execute("INSERT INTO leads VALUES ('soup')")
    connection.close()
    foreign_bytes = foreign.read_bytes()
    db.close()
    before = database_path(db).read_bytes()

    with pytest.raises(BackupError, match=r"^recipes\.sqlite3 is not a LeadDesk database\.$"):
        restore_database(database_path(db), foreign, tmp_path / "copies", known_revisions())

    assert foreign.read_bytes() == foreign_bytes
    assert database_path(db).read_bytes() == before
    assert not (tmp_path / "copies").exists()


def test_a_file_that_is_no_database_or_from_a_newer_version_is_refused(db, tmp_path):
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("meeting notes\n" * 500)
    with pytest.raises(BackupError, match="not a LeadDesk database"):
        check_restorable(text_file, known_revisions())

    newer = tmp_path / "newer.sqlite3"
    backup_to_file(database_path(db), newer)
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_future'")
    connection.close()
    with pytest.raises(BackupError, match=r"another version of LeadDesk \(schema 0099_future\)"):
        check_restorable(newer, known_revisions())


def test_a_database_another_connection_holds_is_not_replaced(ctx, db, tmp_path):
    add_leads(ctx, "Anna")
    folder = tmp_path / "copies"
    made = take_backup(database_path(db), folder, BackupKind.MANUAL, now=TEST_NOW)
    add_leads(ctx, "Bruno")
    # db's engine still has its pooled connection open: another LeadDesk, in effect.
    with pytest.raises(BackupError, match="Another LeadDesk window or command"):
        restore_database(database_path(db), made.path, folder, known_revisions())
    assert names(database_path(db)) == ["Anna", "Bruno"]
    assert [backup.kind for backup in list_backups(folder)] == [BackupKind.MANUAL]


def test_eight_daily_backups_keep_the_last_seven(db, tmp_path):
    folder = tmp_path / "copies"
    days = [TEST_NOW + dt.timedelta(days=day) for day in range(8)]
    for moment in days:
        take_backup(database_path(db), folder, BackupKind.DAILY, now=moment)
    manual = take_backup(database_path(db), folder, BackupKind.MANUAL, now=TEST_NOW)

    kept = list_backups(folder)
    assert [backup.taken_at for backup in kept if backup.kind is BackupKind.DAILY] == sorted(
        days[1:], reverse=True
    )
    assert manual in kept  # a backup the user asked for is never pruned


def test_pre_migration_copies_keep_one_per_revision_and_three_revisions(db, tmp_path):
    folder = tmp_path / "copies"
    attempts = ["0003_a", "0003_a", "0004_b", "0005_c", "0005_c", "0006_d"]
    for hour, revision in enumerate(attempts):
        take_backup(
            database_path(db),
            folder,
            BackupKind.PRE_MIGRATION,
            revision=revision,
            now=TEST_NOW + dt.timedelta(hours=hour),
        )

    kept = list_backups(folder)
    assert [(backup.revision, backup.taken_at.hour - TEST_NOW.hour) for backup in kept] == [
        ("0006_d", 5),
        ("0005_c", 4),
        ("0004_b", 2),
    ]
    assert prune_backups(folder, BackupKind.PRE_MIGRATION) == []


def test_a_backup_taken_while_another_connection_writes_is_consistent(
    filled, db, tmp_path, monkeypatch
):
    # Small batches: the copy takes many steps, with writes committed between them.
    monkeypatch.setattr(backup_module, "PAGES_PER_STEP", 2)
    monkeypatch.setattr(backup_module, "PAUSE_SECONDS", 0.002)
    path = database_path(db)
    writer = sqlite3.connect(path, isolation_level=None, timeout=5, check_same_thread=False)
    writer.execute("CREATE TABLE tally (n INTEGER PRIMARY KEY)")
    stop = threading.Event()
    slowest = [0.0]
    written = [0]

    def write() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            writer.execute("INSERT INTO tally (n) VALUES (?)", (written[0],))
            slowest[0] = max(slowest[0], time.perf_counter() - started)
            written[0] += 1

    thread = threading.Thread(target=write)
    thread.start()
    try:
        while written[0] < 20:
            time.sleep(0.001)
        made = take_backup(path, tmp_path / "copies", BackupKind.MANUAL, now=TEST_NOW)
        during = written[0]
    finally:
        stop.set()
        thread.join()
        writer.close()

    copy = sqlite3.connect(made.path)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tally = [row[0] for row in copy.execute("SELECT n FROM tally ORDER BY n")]
    finally:
        copy.close()
    # One snapshot: every write up to some moment, none after it, no gap.
    assert tally == list(range(len(tally)))
    assert 20 <= len(tally) <= during
    assert during > len(tally)  # the writer kept going during the copy...
    assert slowest[0] < 1.0  # ...and was never held up waiting for it


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_database_and_its_backups_are_owner_only(db, tmp_path):
    path = database_path(db)
    assert path.stat().st_mode & 0o777 == 0o600
    made = take_backup(path, tmp_path / "copies", BackupKind.DAILY, now=TEST_NOW)
    assert made.path.stat().st_mode & 0o777 == 0o600
    to_file = backup_to_file(path, tmp_path / "mine.sqlite3")
    assert to_file.stat().st_mode & 0o777 == 0o600


def test_a_killed_backup_leaves_no_file_with_a_backup_name(db, tmp_path, monkeypatch):
    folder = tmp_path / "copies"

    def refuse(*_args: object) -> str:
        return "page 3 is damaged"

    monkeypatch.setattr(backup_module, "integrity_problem", refuse)
    with pytest.raises(BackupError, match="integrity check"):
        take_backup(database_path(db), folder, BackupKind.DAILY, now=TEST_NOW)
    assert list(folder.iterdir()) == []


def test_backup_names_parse_back() -> None:
    name = backup_name(Path("leaddesk.sqlite3"), BackupKind.PRE_MIGRATION, TEST_NOW, "0003_x")
    assert name == "leaddesk-2026-11-17T103000Z-pre-migration-0003_x.sqlite3"
    assert backup_module.parse_backup_name(Path(name)) == (
        BackupKind.PRE_MIGRATION,
        TEST_NOW,
        "0003_x",
    )
    assert backup_module.parse_backup_name(Path("holiday.sqlite3")) is None
