"""Backups of the SQLite database file, and putting one back.

A backup is taken with SQLite's online backup API while LeadDesk keeps working:
the copy reads one consistent snapshot (a read transaction held for the whole
copy, which in WAL mode blocks no writer) a batch of pages at a time with a
short pause between batches, into a temporary file in the backup folder. The
copy is checked with ``PRAGMA integrity_check`` and only then renamed into
place, so a file with a backup's name is always a whole, verified database.

File names carry the time (UTC) and the kind, and for a copy taken before a
schema upgrade the revision it upgraded to::

    leaddesk-2026-11-17T103000Z-daily.sqlite3
    leaddesk-2026-11-17T103000Z-pre-migration-0003_merges.sqlite3

Only these files are LeadDesk's: anything else in the folder is never listed
or removed. Daily, pre-migration and pre-restore copies are pruned to the last
few (RETENTION); a backup the user asked for is kept until they delete it.

Restoring checks the chosen file first (a LeadDesk database of a schema this
version knows, passing ``integrity_check``) on a private copy beside the
database; only then is the current database backed up and replaced with one
``os.replace``. Nothing here knows Alembic: the caller says which revisions
it knows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from leaddesk.core.paths import expanded
from leaddesk.errors import UserError

log = logging.getLogger(__name__)

BACKUP_FOLDER_NAME = "backups"
SUFFIX = ".sqlite3"
# Pages copied per step, and the pause between steps: a writer in another
# connection gets the file between batches (WAL needs none of it, a rollback
# journal does), and a 100 MB database still copies in well under a minute.
PAGES_PER_STEP = 256
PAUSE_SECONDS = 0.005
# A temporary copy older than this was left by a backup that was killed.
STALE_TEMPORARY_SECONDS = 3600
TEMPORARY_SUFFIX = ".tmp"
OWNER_ONLY = 0o600

Progress = Callable[[int, int], None]


class BackupKind(StrEnum):
    DAILY = "daily"
    PRE_MIGRATION = "pre-migration"
    PRE_RESTORE = "pre-restore"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return {
            BackupKind.DAILY: "Daily",
            BackupKind.PRE_MIGRATION: "Before upgrade",
            BackupKind.PRE_RESTORE: "Before restore",
            BackupKind.MANUAL: "Manual",
        }[self]


# How many copies of each kind are kept (manual ones: all of them).
RETENTION: dict[BackupKind, int] = {
    BackupKind.DAILY: 7,
    BackupKind.PRE_MIGRATION: 3,
    BackupKind.PRE_RESTORE: 3,
}

_STAMP_FORMAT = "%Y-%m-%dT%H%M%SZ"
_NAME = re.compile(
    r"^(?P<stem>.+?)-(?P<stamp>\d{4}-\d{2}-\d{2}T\d{6}Z)-"
    r"(?P<kind>daily|pre-migration|pre-restore|manual)"
    r"(?:-(?P<revision>[0-9A-Za-z_]+?))?(?:~(?P<serial>\d+))?\.sqlite3$"
)


class BackupCancelled(Exception):
    """The user stopped a backup; its temporary file is gone, nothing else changed."""


class BackupError(UserError):
    """A backup or a restore could not be made; one sentence, nothing changed."""


@dataclass(frozen=True, slots=True)
class BackupFile:
    """One of LeadDesk's backups in a backup folder."""

    path: Path
    kind: BackupKind
    taken_at: dt.datetime
    # The schema revision a pre-migration copy was taken for (upgrading to it).
    revision: str | None
    size: int

    def as_json(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "kind": self.kind.value,
            "taken_at": self.taken_at.isoformat(),
            "revision": self.revision,
            "size": self.size,
        }


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """What a restore did: the revision of the restored file, the copy of the old one."""

    revision: str
    pre_restore: BackupFile | None


# -- where --------------------------------------------------------------------


def default_backup_folder(data_dir: Path) -> Path:
    return data_dir / BACKUP_FOLDER_NAME


def stored_backup_folder(database: Path) -> str:
    """The folder set in Settings → Backups ('' for the default), read without SQLAlchemy.

    Read straight from the file so it works before a migration and on a database
    too damaged to open normally (then: the default).
    """
    if not database.is_file():
        return ""
    try:
        connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = connection.execute(
                "SELECT value FROM settings WHERE key = 'backup_folder'"
            ).fetchone()
        finally:
            connection.close()
        value = json.loads(row[0]) if row else ""
    except (sqlite3.Error, ValueError, TypeError):
        return ""
    return value if isinstance(value, str) else ""


def backup_folder(data_dir: Path, database: Path) -> Path:
    """Where backups of ``database`` go: the folder from the settings, else data_dir/backups."""
    chosen = stored_backup_folder(database).strip()
    return expanded(chosen) if chosen else default_backup_folder(data_dir)


# -- permissions ----------------------------------------------------------------


def make_private(database: Path) -> None:
    """Owner-only access (0600) for the database and its -wal/-shm files, on POSIX."""
    if sys.platform == "win32":
        return  # the user's profile folder is private already; no POSIX modes
    for path in (database, *_side_files(database)):
        with contextlib.suppress(OSError):
            if path.exists() and path.stat().st_mode & 0o777 != OWNER_ONLY:
                path.chmod(OWNER_ONLY)


def _side_files(database: Path) -> tuple[Path, ...]:
    return tuple(database.with_name(database.name + suffix) for suffix in ("-wal", "-shm"))


# -- listing and pruning --------------------------------------------------------


def parse_backup_name(path: Path) -> tuple[BackupKind, dt.datetime, str | None] | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    taken = dt.datetime.strptime(match["stamp"], _STAMP_FORMAT).replace(tzinfo=dt.UTC)
    return BackupKind(match["kind"]), taken, match["revision"]


def list_backups(folder: Path) -> list[BackupFile]:
    """LeadDesk's backups in ``folder``, newest first (an absent folder has none)."""
    found: list[BackupFile] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        parsed = parse_backup_name(path)
        if parsed is None:
            continue
        try:
            size = path.stat().st_size
        except OSError:
            continue  # removed meanwhile (pruned by another LeadDesk)
        kind, taken_at, revision = parsed
        found.append(BackupFile(path, kind, taken_at, revision, size))
    found.sort(key=lambda backup: (backup.taken_at, backup.path.name), reverse=True)
    return found


def latest_backup(folder: Path) -> BackupFile | None:
    backups = list_backups(folder)
    return backups[0] if backups else None


def prune_backups(folder: Path, kind: BackupKind) -> list[Path]:
    """Remove the copies of ``kind`` beyond its RETENTION; returns what was removed.

    Pre-migration copies are kept one per revision (the newest) before counting:
    retrying an upgrade that failed must not fill the disk with copies.
    """
    keep = RETENTION.get(kind)
    if keep is None:
        return []
    backups = [backup for backup in list_backups(folder) if backup.kind is kind]
    kept: list[BackupFile] = []
    removed: list[Path] = []
    revisions: set[str | None] = set()
    for backup in backups:  # newest first
        duplicate = kind is BackupKind.PRE_MIGRATION and backup.revision in revisions
        if duplicate or len(kept) >= keep:
            with contextlib.suppress(FileNotFoundError):
                backup.path.unlink()
            removed.append(backup.path)
            continue
        revisions.add(backup.revision)
        kept.append(backup)
    return removed


def _remove_stale_temporaries(folder: Path, now: float, pattern: str = "*") -> None:
    """Remove LeadDesk's temporary copies (``.<pattern>.tmp``) left by a killed process."""
    with contextlib.suppress(OSError):
        for path in folder.glob(f".{pattern}{TEMPORARY_SUFFIX}"):
            with contextlib.suppress(OSError):
                if now - path.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                    path.unlink()


# -- taking a backup ------------------------------------------------------------


def _sqlite_error_sentence(error: BaseException) -> str:
    if isinstance(error, OSError) and error.errno == 28:  # ENOSPC
        return "the disk is full"
    text = str(error).strip().rstrip(".") or type(error).__name__
    return "the disk is full" if "database or disk is full" in text else text


def _new_private_file(path: Path) -> None:
    """Create ``path`` empty and owner-only before SQLite writes into it."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    os.close(descriptor)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_folder(folder: Path) -> None:
    if sys.platform == "win32":
        return  # folders cannot be opened for fsync there; NTFS journals the rename
    with contextlib.suppress(OSError):
        _fsync(folder)


def integrity_problem(connection: sqlite3.Connection) -> str | None:
    """None when ``PRAGMA integrity_check`` says ok, else its first complaint."""
    rows = connection.execute("PRAGMA integrity_check").fetchall()
    return None if rows == [("ok",)] else str(rows[0][0] if rows else "no answer")


def copy_database(
    source: sqlite3.Connection,
    target: Path,
    *,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    verify: bool = True,
) -> None:
    """Copy the database behind ``source`` to ``target`` (a new file), verified, atomically.

    Raises BackupCancelled, BackupError (with the sentence), or sqlite3.Error when
    the source cannot be read; ``target`` exists afterwards only when all went well.
    """
    temporary = target.with_name(f".{target.name}.{os.getpid()}{TEMPORARY_SUFFIX}")

    def step(_status: int, remaining: int, total: int) -> None:
        if should_cancel is not None and should_cancel():
            raise BackupCancelled
        if progress is not None:
            progress(total - remaining, total)
        if remaining:
            time.sleep(PAUSE_SECONDS)

    try:
        _new_private_file(temporary)
        destination = sqlite3.connect(temporary, isolation_level=None)
        try:
            # One snapshot for the whole copy: without it a write by another
            # connection between two batches would restart the copy from page 1.
            started = not source.in_transaction
            if started:
                source.execute("BEGIN")
                source.execute("SELECT count(*) FROM sqlite_master").fetchone()
            try:
                source.backup(destination, pages=PAGES_PER_STEP, progress=step)
            finally:
                if started:
                    source.execute("COMMIT")
            # The copy is a plain file: no -wal/-shm beside it in the backup folder.
            destination.execute("PRAGMA journal_mode = DELETE").fetchone()
            problem = integrity_problem(destination) if verify else None
        finally:
            destination.close()
        if problem is not None:
            raise BackupError(f"The copy failed its integrity check ({problem}).")
        _fsync(temporary)
        os.replace(temporary, target)
        _fsync_folder(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def open_read_only(database: Path) -> sqlite3.Connection:
    """A connection that can never write to ``database`` (nor create it)."""
    if not database.is_file():
        raise BackupError(f"There is no database at {database}.")
    return sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)


def backup_name(database: Path, kind: BackupKind, now: dt.datetime, revision: str | None) -> str:
    stamp = now.astimezone(dt.UTC).strftime(_STAMP_FORMAT)
    detail = f"-{revision}" if revision else ""
    return f"{database.stem}-{stamp}-{kind.value}{detail}{SUFFIX}"


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    serial = 1
    while target.exists():
        serial += 1
        target = folder / name.replace(SUFFIX, f"~{serial}{SUFFIX}")
    return target


def take_backup(
    database: Path,
    folder: Path,
    kind: BackupKind,
    *,
    revision: str | None = None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    source: sqlite3.Connection | None = None,
) -> BackupFile:
    """A verified backup of ``database`` in ``folder``; prunes older copies of ``kind``.

    ``source`` is an already open connection to read from (restore holds one);
    otherwise the database is opened read-only for the copy.
    """
    moment = now or dt.datetime.now(dt.UTC)
    revision = revision if kind is BackupKind.PRE_MIGRATION else None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(
            f"Cannot create the backup folder {folder}: {_sqlite_error_sentence(error)}."
        ) from None
    _remove_stale_temporaries(folder, time.time())
    target = _free_name(folder, backup_name(database, kind, moment, revision))
    connection = source or open_read_only(database)
    try:
        copy_database(connection, target, progress=progress, should_cancel=should_cancel)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(
            f"Could not back up {database.name} to {folder}: {_sqlite_error_sentence(error)}."
        ) from None
    finally:
        if source is None:
            connection.close()
    prune_backups(folder, kind)
    log.info("backed up %s to %s", database, target)
    return BackupFile(target, kind, moment, revision, target.stat().st_size)


def backup_to_file(
    database: Path,
    target: Path,
    *,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> Path:
    """A verified copy of ``database`` at ``target``, a file the user named."""
    target = expanded(target)
    if target.is_dir():
        raise BackupError(f"{target} is a folder; name the backup file to write.")
    if target.resolve() == database.resolve():
        raise BackupError("The backup cannot replace the database itself.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    connection = open_read_only(database)
    try:
        if target.exists():
            # Replaced only once the new copy is whole; until then the old one stays.
            staged = target.with_name(f".{target.name}.new{TEMPORARY_SUFFIX}")
            copy_database(connection, staged, progress=progress, should_cancel=should_cancel)
            os.replace(staged, target)
        else:
            copy_database(connection, target, progress=progress, should_cancel=should_cancel)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(
            f"Could not back up the database to {target}: {_sqlite_error_sentence(error)}."
        ) from None
    finally:
        connection.close()
    return target


# -- restoring ------------------------------------------------------------------


def check_restorable(path: Path, known_revisions: Collection[str], name: str = "") -> str:
    """The schema revision of the LeadDesk database at ``path``; BackupError if it is not one.

    Reads only: a file that is not a LeadDesk database is left exactly as it was.
    ``name`` is how the messages call the file (default: its name).
    """
    name = name or path.name
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not {"alembic_version", "leads"} <= tables:
                raise BackupError(f"{name} is not a LeadDesk database.")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(row[0]) if row else ""
            if revision not in known_revisions:
                raise BackupError(
                    f"{name} was made by another version of LeadDesk (schema "
                    f"{revision or 'unknown'}); this version cannot restore it."
                )
            problem = integrity_problem(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error) or "malformed" in str(error):
            raise BackupError(f"{name} is not a LeadDesk database, or it is damaged.") from None
        raise BackupError(f"Cannot read {name}: {_sqlite_error_sentence(error)}.") from None
    if problem is not None:
        raise BackupError(f"{name} is damaged ({problem}); choose another backup.")
    return revision


def _stage_copy(source: Path, database: Path) -> Path:
    """A private byte copy of ``source`` beside ``database`` (same disk: the rename is atomic)."""
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}.")
    staged = database.with_name(f".{database.name}.restore-{os.getpid()}{TEMPORARY_SUFFIX}")
    try:
        _new_private_file(staged)
    except FileExistsError:
        staged.unlink()
        _new_private_file(staged)
    try:
        with source.open("rb") as reading, staged.open("wb") as writing:
            shutil.copyfileobj(reading, writing, 1024 * 1024)
            writing.flush()
            os.fsync(writing.fileno())
    except OSError as error:
        with contextlib.suppress(OSError):
            staged.unlink()
        raise BackupError(
            f"Could not copy {source.name}: {_sqlite_error_sentence(error)}."
        ) from None
    return staged


def _hold_exclusively(database: Path) -> sqlite3.Connection:
    """A connection that is the database's only one until it is closed.

    Leaving WAL mode needs every other connection gone: if another LeadDesk has
    the file open, this fails rather than replace the file under it. The
    exclusive lock then keeps anyone from writing until the file is replaced.
    """
    connection = sqlite3.connect(database, isolation_level=None, timeout=2)
    try:
        mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()
        if mode is None or str(mode[0]).lower() != "delete":
            raise sqlite3.OperationalError("database is locked")
        connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("COMMIT")
    except sqlite3.OperationalError as error:
        connection.close()
        if "locked" in str(error) or "busy" in str(error):
            raise BackupError(
                "Another LeadDesk window or command is using the database; "
                "close it and try the restore again."
            ) from None
        raise
    except BaseException:
        connection.close()
        raise
    return connection


def _keep_current(database: Path, folder: Path, now: dt.datetime) -> BackupFile | None:
    """Back the current database up before it is replaced: even a damaged one is kept."""
    try:
        guard = _hold_exclusively(database)
    except sqlite3.DatabaseError:
        guard = None  # too damaged to open: its bytes are copied instead
    if guard is not None:
        try:
            return take_backup(database, folder, BackupKind.PRE_RESTORE, now=now, source=guard)
        except BackupError as error:
            log.warning("the database being replaced did not back up cleanly: %s", error)
        finally:
            guard.close()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = _free_name(folder, backup_name(database, BackupKind.PRE_RESTORE, now, None))
    try:
        _new_private_file(target)
        shutil.copyfile(database, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            target.unlink()
        raise BackupError(
            f"Could not keep a copy of the current database: {_sqlite_error_sentence(error)}; "
            "nothing was restored."
        ) from None
    prune_backups(folder, BackupKind.PRE_RESTORE)
    return BackupFile(target, BackupKind.PRE_RESTORE, now, None, target.stat().st_size)


@dataclass(frozen=True, slots=True)
class PreparedRestore:
    """A backup copied beside the database and checked, ready to be put in its place."""

    source: Path
    staged: Path
    revision: str

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.staged.unlink()


def prepare_restore(
    database: Path, source: Path, known_revisions: Collection[str]
) -> PreparedRestore:
    """Copy ``source`` beside ``database`` and check it; the slow half of a restore.

    Touches neither the database nor ``source``: it may run while LeadDesk works.
    """
    if database.exists() and source.resolve() == database.resolve():
        raise BackupError("That file is the database itself; choose a backup.")
    _remove_stale_temporaries(database.parent, time.time(), f"{database.name}.restore-*")
    staged = _stage_copy(source, database)
    try:
        revision = check_restorable(staged, known_revisions, source.name)
    except BaseException:
        with contextlib.suppress(OSError):
            staged.unlink()
        raise
    return PreparedRestore(source, staged, revision)


def finish_restore(
    database: Path, prepared: PreparedRestore, folder: Path, *, now: dt.datetime | None = None
) -> RestoreResult:
    """Back the current database up, then put the prepared copy in its place.

    Every connection of this process to ``database`` must be closed (dispose the
    engine) before; another process holding it open makes this refuse.
    """
    moment = now or dt.datetime.now(dt.UTC)
    try:
        pre_restore = _keep_current(database, folder, moment) if database.exists() else None
        # Left over from the replaced file, they would be read as part of the new one.
        for side in (*_side_files(database), database.with_name(database.name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                side.unlink()
        os.replace(prepared.staged, database)
        _fsync_folder(database.parent)
    except BaseException:
        prepared.discard()
        raise
    make_private(database)
    log.info("restored %s from %s", database, prepared.source)
    return RestoreResult(prepared.revision, pre_restore)


def restore_database(
    database: Path,
    source: Path,
    folder: Path,
    known_revisions: Collection[str],
    *,
    now: dt.datetime | None = None,
) -> RestoreResult:
    """Replace ``database`` with the backup ``source``; the current one is backed up first."""
    prepared = prepare_restore(database, source, known_revisions)
    return finish_restore(database, prepared, folder, now=now)
