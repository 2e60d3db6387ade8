"""Backing the database up and restoring it: what the window and the command line call.

The file work is in leaddesk/storage/backup.py; this adds where the backups of
a database go, when the daily one is due, and a restore that the window can
run under its feet: its engine is closed before the file is replaced, the
restored file is brought up to this version's schema, and the returned
Changes make every view read everything again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import make_url, select
from sqlalchemy.exc import ArgumentError

from leaddesk.core.paths import expanded
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.storage.backup import (
    BackupFile,
    BackupKind,
    PreparedRestore,
    Progress,
    RestoreResult,
    backup_folder,
    backup_name,
    backup_to_file,
    finish_restore,
    latest_backup,
    list_backups,
    prepare_restore,
    take_backup,
)
from leaddesk.storage.database import Database, Location, create_database_engine
from leaddesk.storage.migrate import known_revisions, upgrade_to_head
from leaddesk.storage.schema import leads

TEAM_MODE_SENTENCE = (
    "This database is on a server (team mode): backing it up is the server's job, "
    "so ask whoever runs it."
)
# A daily backup is due when the newest one is older than this.
DAILY_INTERVAL = dt.timedelta(hours=24)


def database_file(location: Location) -> Path:
    """The SQLite file at ``location``; team mode (a server URL) is refused in one sentence."""
    try:
        url = make_url(location.url)
    except ArgumentError:
        raise UserError(f"'{location.url}' is not a database URL.") from None
    if url.get_backend_name() != "sqlite":
        raise UserError(TEAM_MODE_SENTENCE)
    if not url.database or url.database == ":memory:":
        raise UserError("An in-memory database has nothing to back up.")
    return expanded(url.database)


def backups_folder(location: Location) -> Path:
    """Where the backups of the database at ``location`` go (Settings → Backups)."""
    return backup_folder(location.data_dir, database_file(location))


def backups_of(location: Location) -> list[BackupFile]:
    """LeadDesk's backups of this database, newest first."""
    return list_backups(backups_folder(location))


def back_up(
    location: Location,
    target: Path | None = None,
    *,
    kind: BackupKind = BackupKind.MANUAL,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> Path:
    """A verified backup: to ``target`` when given, else into the backup folder."""
    database = database_file(location)
    if target is not None:
        return backup_to_file(database, target, progress=progress, should_cancel=should_cancel)
    folder = backup_folder(location.data_dir, database)
    backup = take_backup(
        database, folder, kind, now=now, progress=progress, should_cancel=should_cancel
    )
    return backup.path


def suggested_backup_file(location: Location, now: dt.datetime) -> Path:
    """Where File → Back up… proposes to write: the backup folder, under a manual backup's name."""
    database = database_file(location)
    folder = backup_folder(location.data_dir, database)
    return folder / backup_name(database, BackupKind.MANUAL, now, None)


def daily_backup_due(location: Location, now: dt.datetime) -> bool:
    """No daily backup in the last DAILY_INTERVAL (and the database is a file that exists)."""
    try:
        database = database_file(location)
    except UserError:
        return False
    if not database.is_file():
        return False
    folder = backup_folder(location.data_dir, database)
    dailies = [b for b in list_backups(folder) if b.kind is BackupKind.DAILY]
    return not dailies or now - dailies[0].taken_at >= DAILY_INTERVAL


def resolve_backup(location: Location, name: str) -> Path:
    """The file ``name`` names: a path, or 'latest' for the newest backup in the folder."""
    if name == "latest":
        folder = backups_folder(location)
        newest = latest_backup(folder)
        if newest is None:
            raise UserError(f"There is no backup in {folder} yet.")
        return newest.path
    path = expanded(name)
    if not path.is_file():
        raise UserError(f"There is no backup file at {path}.")
    return path


def prepare_restore_file(location: Location, source: Path) -> PreparedRestore:
    """Copy and check the backup ``source``; the database is untouched (a background step)."""
    return prepare_restore(database_file(location), source, known_revisions())


def finish_restore_file(
    location: Location, prepared: PreparedRestore, now: dt.datetime | None = None
) -> RestoreResult:
    """Put a prepared backup in place of the database and bring it to this schema."""
    database = database_file(location)
    folder = backup_folder(location.data_dir, database)
    result = finish_restore(database, prepared, folder, now=now)
    engine = create_database_engine(location.url)
    try:
        upgrade_to_head(engine, backup_dir=folder)
    finally:
        engine.dispose()
    return result


def restore_file(location: Location, source: Path, now: dt.datetime | None = None) -> RestoreResult:
    """Replace the database at ``location`` with ``source`` (nothing of this process holds it)."""
    return finish_restore_file(location, prepare_restore_file(location, source), now)


def _lead_ids(db: Database) -> frozenset[int]:
    with db.reading() as connection:
        return frozenset(connection.execute(select(leads.c.id)).scalars())


def restore_backup(ctx: OperationContext, prepared: PreparedRestore) -> Outcome[RestoreResult]:
    """The window's restore of a prepared backup: its database object then reads the new file.

    Every lead is announced as gone and back, so each view reads it all again.
    """
    try:
        before = _lead_ids(ctx.db)
    except Exception:  # a damaged database is what restore is for
        before = frozenset()
    ctx.db.close()  # the pooled connections; the engine opens new ones on the new file
    result = finish_restore_file(ctx.db.location, prepared, ctx.clock.now())
    # Checked as at start: a database opened read-only for its damage is writable
    # again once the restored file passes.
    ctx.db.reopen()
    after = _lead_ids(ctx.db)
    changes = Changes(
        created=after,
        deleted=before,
        board=True,
        settings=True,
        description="Restore backup",
    )
    return Outcome(changes, result)
