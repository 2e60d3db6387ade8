"""Before LeadDesk writes to a database file: is it LeadDesk's, may it be written, is it whole?

Everything here reads the file through a read-only SQLite connection (or not
at all), so a file that turns out to be someone else's, read-only or damaged
is left exactly as it was: no journal mode change, no migration, no checkpoint.

- ``examine`` runs at start: it refuses a file that is not a LeadDesk database,
  says why a database must be opened read-only, and checks it for damage with
  ``PRAGMA quick_check`` within a time budget, or in full with
  ``integrity_check`` after an unclean shutdown (a session marker left behind by
  a process that ended without closing the database; within its own time budget,
  the rest left to the window's background check) or when damage was seen
  before.
- Damage, once seen (at start or by a failing statement), is remembered in the
  data folder, so no later run writes to that database until a complete check
  passes (after a restore, say).
- ``explain`` turns what SQLite and the operating system report (locked, full,
  read-only, malformed) into the one sentence the user reads.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import json
import logging
import os
import shutil
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from leaddesk.errors import (
    DamagedDatabaseError,
    DatabaseBusyError,
    DiskFullError,
    ReadOnlyDatabaseError,
    UserError,
)

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
# A file holding both is LeadDesk's (alembic_version alone could be any
# Alembic-managed application's).
LEADDESK_TABLES = frozenset({"alembic_version", "leads"})
# How long the start-up quick check may take before it is left unfinished: it
# reads every page, so on a very large database it would delay every command.
QUICK_CHECK_SECONDS = 0.25
# How long the full check after an unclean shutdown may delay the start. A check
# that runs out of time is left to the window's background check, marked due
# (ui/safety/integrity_watch.py), so a large database opens without waiting for it.
CRASH_CHECK_SECONDS = 2.0
# The file and its write-ahead log as they were at the last complete check that
# passed: while they are unchanged, the check is not repeated.
LAST_CHECK_FILE = "last-check.json"
SESSIONS_FOLDER = "sessions"
DAMAGE_FILE = "database-damaged.json"
# When the window's daily full check of a database last passed.
FULL_CHECK_FILE = "last-full-check.json"
FULL_CHECK_INTERVAL = 24 * 60 * 60.0
# Free space below which a "disk I/O error" is most likely a full disk.
NEARLY_FULL_BYTES = 1 << 20

DISK_FULL_MESSAGE = "The disk is full; free some space and try again (nothing was changed)."

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 11, 13, 26


# --- messages --------------------------------------------------------------------------


def damaged_error(path: Path) -> DamagedDatabaseError:
    return DamagedDatabaseError(
        f"The database {path} is damaged: LeadDesk cannot read all of it and will not change "
        "it; restore a backup ('leaddesk restore latest') or save what can be read "
        "('leaddesk salvage OUT.csv')."
    )


def read_only_error(path: Path, reason: str) -> ReadOnlyDatabaseError:
    return ReadOnlyDatabaseError(
        f"LeadDesk cannot change {path} because {reason}; reading, listing and exporting "
        "still work."
    )


def _not_leaddesk(path: Path, what: str) -> UserError:
    return UserError(
        f"{path} is {what}, not a LeadDesk database; LeadDesk leaves it untouched "
        "(choose another file, or an empty folder for a new database)."
    )


# --- reading a file without writing to it ------------------------------------------------


def is_writable(path: Path) -> bool:
    """Whether this process may write ``path`` (a test replaces it: root may write anything)."""
    return os.access(path, os.W_OK)


def read_only_reason(path: Path) -> str | None:
    """Why LeadDesk may not write the database at ``path``, or None."""
    folder = path.parent
    if path.exists() and not is_writable(path):
        return "the file is read-only"
    if folder.is_dir() and not is_writable(folder):
        # SQLite needs its journal files beside the database to write it.
        return f"its folder {folder} is read-only"
    return None


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write to ``path`` (nor its journal) by construction.

    In a folder that cannot be written and with no write-ahead log beside the
    file, SQLite could not create the shared-memory file a WAL database needs,
    so the file is opened as immutable: nobody can change it there anyway.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    if not is_writable(path.parent) and not wal.exists():
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What a check found: ``problem`` is None when it found nothing."""

    problem: str | None
    finished: bool


def check_integrity(
    connection: sqlite3.Connection,
    *,
    full: bool,
    budget: float | None,
    should_stop: Callable[[], bool] | None = None,
) -> CheckResult:
    """``PRAGMA quick_check`` (or ``integrity_check``), stopped after ``budget`` seconds.

    ``should_stop``: read as the check goes; True stops it unfinished (the window's
    daily check gives way to an import).
    """
    deadline = time.monotonic() + budget if budget is not None else None
    if deadline is not None or should_stop is not None:

        def stop() -> bool:
            if deadline is not None and time.monotonic() > deadline:
                return True
            return should_stop is not None and should_stop()

        connection.set_progress_handler(stop, 20_000)
    pragma = "integrity_check" if full else "quick_check"
    try:
        messages = [row[0] for row in connection.execute(f"PRAGMA {pragma}(5)")]
    except sqlite3.OperationalError as error:
        if "interrupt" in str(error):
            return CheckResult(None, finished=False)
        return CheckResult(str(error), finished=True)
    except sqlite3.DatabaseError as error:
        return CheckResult(str(error), finished=True)
    finally:
        connection.set_progress_handler(None, 0)
    if messages == ["ok"]:
        return CheckResult(None, finished=True)
    return CheckResult("; ".join(str(message) for message in messages[:3]), finished=True)


# --- sessions: a marker per open database, gone at a clean exit --------------------------


def _try_lock(fd: int) -> bool:
    """Take the marker's lock without waiting; False when another open file holds it.

    The operating system releases the lock when its process ends, however it
    ends: a marker whose lock can be taken was left by a process that is gone.
    """
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class SessionMarker:
    """``data/sessions/<pid>-<n>.open``, naming the database, locked while it is open."""

    _live: set[SessionMarker] = set()  # noqa: RUF012 - shared on purpose
    _guard = threading.Lock()
    _count = 0

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def create(cls, data_dir: Path, database: Path) -> SessionMarker | None:
        """A held marker for ``database``; None where the data folder cannot be written."""
        with cls._guard:
            cls._count += 1
            name = f"{os.getpid()}-{cls._count}.open"
        try:
            folder = data_dir / SESSIONS_FOLDER
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(folder / name, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
        except OSError:
            return None
        if not _try_lock(fd):
            os.close(fd)
            return None
        # One byte first: Windows locks byte 0 (and then no one else may read it).
        os.write(fd, b"\n" + os.fsencode(str(database)))
        marker = cls(folder / name, fd)
        with cls._guard:
            cls._live.add(marker)
        return marker

    def release(self) -> None:
        """The clean end of a session: the marker goes."""
        with self._guard:
            self._live.discard(self)
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(fd)

    @classmethod
    def release_all(cls) -> None:
        """At interpreter exit: a normal exit is a clean end, whatever was left open."""
        for marker in list(cls._live):
            marker.release()


def _marker_names(marker: Path, database: Path) -> bool:
    try:
        return marker.read_bytes()[1:] == os.fsencode(str(database))
    except OSError:
        return False


def crashed_sessions(data_dir: Path, database: Path) -> list[Path]:
    """Markers for ``database`` whose process ended without closing it."""
    folder = data_dir / SESSIONS_FOLDER
    if not folder.is_dir():
        return []
    crashed = []
    for marker in folder.glob("*.open"):
        if not _marker_names(marker, database):
            continue
        try:
            fd = os.open(marker, os.O_RDWR)
        except OSError:
            continue
        try:
            if _try_lock(fd):
                crashed.append(marker)
        finally:
            os.close(fd)
    return crashed


# --- damage, remembered ------------------------------------------------------------------


def remembered_damage(data_dir: Path, database: Path) -> str | None:
    try:
        record = json.loads((data_dir / DAMAGE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("database") != os.fsdecode(database):
        return None
    return str(record.get("problem") or "damaged")


def remember_damage(data_dir: Path, database: Path, problem: str) -> None:
    """Write down that ``database`` is damaged, so later runs open it read-only too."""
    log.error("database %s is damaged: %s", database, problem)
    record = {"database": os.fsdecode(database), "problem": problem, "seen": time.time()}
    with contextlib.suppress(OSError, UnicodeEncodeError):
        (data_dir / DAMAGE_FILE).write_text(json.dumps(record), encoding="utf-8")


def forget_damage(data_dir: Path) -> None:
    with contextlib.suppress(OSError):
        (data_dir / DAMAGE_FILE).unlink()


# --- unchanged since the last check ----------------------------------------------------


def _stamp(database: Path) -> list[int]:
    """Size and modification time of the database file and of its write-ahead log.

    An empty log counts as none: opening the database (even read-only) makes one.
    """
    stamp = []
    for path in (database, database.with_name(database.name + "-wal")):
        try:
            status = path.stat()
        except OSError:
            stamp += [0, 0]
            continue
        stamp += [status.st_size, status.st_mtime_ns] if status.st_size else [0, 0]
    return stamp


def _checked_unchanged(data_dir: Path, database: Path) -> bool:
    try:
        record = json.loads((data_dir / LAST_CHECK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(record, dict)
        and record.get("database") == os.fsdecode(database)
        and record.get("stamp") == _stamp(database)
    )


def note_checked(data_dir: Path, database: Path) -> None:
    """Record the file as it is now as checked (after a passing check, or at a clean close).

    A clean close moves the write-ahead log into the file; the writes it holds
    are LeadDesk's own through SQLite, not the outside damage the check is for.
    """
    record = {"database": os.fsdecode(database), "stamp": _stamp(database)}
    with contextlib.suppress(OSError, UnicodeEncodeError):
        (data_dir / LAST_CHECK_FILE).write_text(json.dumps(record), encoding="utf-8")


def full_check_due(data_dir: Path, database: Path, now: float) -> bool:
    """Whether the daily full check of ``database`` is due (``now``: seconds since the epoch)."""
    try:
        record = json.loads((data_dir / FULL_CHECK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    if not isinstance(record, dict) or record.get("database") != os.fsdecode(database):
        return True
    last = record.get("at")
    return not isinstance(last, int | float) or not 0 <= now - last < FULL_CHECK_INTERVAL


def note_full_check(data_dir: Path, database: Path, now: float | None) -> None:
    """Record that a full check of ``database`` passed at ``now``.

    ``now`` None: the full check after an unclean shutdown ran out of time at
    start, so it is due at once (``full_check_after_crash`` says so).
    """
    record: dict[str, object] = {"database": os.fsdecode(database), "at": now}
    if now is None:
        record["after_crash"] = True
    with contextlib.suppress(OSError, UnicodeEncodeError):
        (data_dir / FULL_CHECK_FILE).write_text(json.dumps(record), encoding="utf-8")


def full_check_after_crash(data_dir: Path, database: Path) -> bool:
    """Whether the full check of ``database`` after an unclean shutdown is still to finish."""
    try:
        record = json.loads((data_dir / FULL_CHECK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(record, dict)
        and record.get("database") == os.fsdecode(database)
        and record.get("after_crash") is True
    )


# --- at start ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Examination:
    """What LeadDesk found before opening a database file."""

    new: bool  # no LeadDesk database there yet: it will be created
    refusal: ReadOnlyDatabaseError | None  # why every write is refused, if it is
    verified: bool = False  # a complete check passed (or the file is unchanged since one)


def _table_names(connection: sqlite3.Connection) -> set[str]:
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {str(name) for (name,) in rows}


def _is_sqlite_file(path: Path) -> bool:
    with open(path, "rb") as file:
        return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def examine(path: Path, data_dir: Path, *, budget: float | None = None) -> Examination:
    """Check the file at ``path`` before anything writes to it; raise UserError to refuse it.

    ``budget``: seconds the quick check may take (default QUICK_CHECK_SECONDS).
    """
    reason = read_only_reason(path)
    try:
        empty = not path.exists() or path.stat().st_size == 0
        if not empty and not _is_sqlite_file(path):
            raise _not_leaddesk(path, "not an SQLite database")
    except OSError as error:
        raise UserError(f"Cannot open the database {path}: {error.strerror or error}.") from None
    if empty:
        return _new_database(path, reason)
    try:
        connection = connect_read_only(path)
    except sqlite3.Error as error:
        raise UserError(f"Cannot open the database {path}: {error}.") from None
    try:
        try:
            tables = _table_names(connection)
        except sqlite3.DatabaseError as error:
            # Even the list of tables is unreadable: damaged, whoever's it is.
            remember_damage(data_dir, path, str(error))
            return Examination(new=False, refusal=damaged_error(path))
        if not tables:
            return _new_database(path, reason)
        if not tables >= LEADDESK_TABLES:
            raise _not_leaddesk(path, "another program's SQLite database")
        if budget is None:
            budget = QUICK_CHECK_SECONDS
        verdict = _find_damage(connection, path, data_dir, budget, can_write=reason is None)
        if verdict is None:
            return Examination(new=False, refusal=damaged_error(path))
    finally:
        connection.close()
    refusal = read_only_error(path, reason) if reason else None
    return Examination(new=False, refusal=refusal, verified=verdict)


def _new_database(path: Path, reason: str | None) -> Examination:
    if reason is not None:
        raise UserError(f"Cannot create the database {path} because {reason}.")
    return Examination(new=True, refusal=None, verified=True)


def _find_damage(
    connection: sqlite3.Connection, path: Path, data_dir: Path, budget: float, *, can_write: bool
) -> bool | None:
    """None when the database is damaged (checked now, or seen before and not yet repaired).

    Otherwise whether it is known whole: True after a complete check (now or of
    the unchanged file), False when the check ran out of time.
    """
    crashed = crashed_sessions(data_dir, path) if can_write else []
    remembered = remembered_damage(data_dir, path)
    full = bool(crashed or remembered)
    if not full and _checked_unchanged(data_dir, path):
        return True
    if remembered:
        # Unbudgeted: only a complete check that passes lets LeadDesk write again.
        budget_now: float | None = None
    else:
        budget_now = CRASH_CHECK_SECONDS if crashed else budget
    started = time.monotonic()
    result = check_integrity(connection, full=full, budget=budget_now)
    log.info(
        "%s of %s: %s in %.3f s",
        "integrity_check" if full else "quick_check",
        path,
        result.problem or ("ok" if result.finished else "unfinished"),
        time.monotonic() - started,
    )
    if result.problem is not None:
        remember_damage(data_dir, path, result.problem)
        return None
    if not result.finished:
        if crashed:
            # The window's background check does it in full; until then the
            # database is used as after any start whose check ran out of time.
            note_full_check(data_dir, path, None)
            _forget_sessions(crashed)
        return None if remembered is not None else False
    note_checked(data_dir, path)
    if remembered:
        forget_damage(data_dir)
    _forget_sessions(crashed)
    return True


def _forget_sessions(markers: list[Path]) -> None:
    for marker in markers:
        with contextlib.suppress(OSError):
            marker.unlink()


# --- what went wrong, in one sentence ------------------------------------------------------


def _primary_code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _code_from_text(text: str) -> int | None:
    """For errors without a code (raised by a driver or a test as plain text)."""
    for needle, code in (
        ("database is locked", SQLITE_BUSY),
        ("database table is locked", SQLITE_LOCKED),
        ("database or disk is full", SQLITE_FULL),
        ("attempt to write a readonly database", SQLITE_READONLY),
        ("disk image is malformed", SQLITE_CORRUPT),
        ("file is not a database", SQLITE_NOTADB),
        ("disk i/o error", SQLITE_IOERR),
    ):
        if needle in text:
            return code
    return None


def _disk_nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def explain(
    error: BaseException | None, database: Path | None, data_dir: Path | None
) -> UserError | None:
    """The user's sentence for ``error`` (an sqlite3 or OS error), or None for a bug.

    A damaged database reported by a statement is remembered, so that no later
    run writes to it either.
    """
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(DISK_FULL_MESSAGE)
    if not isinstance(error, sqlite3.Error):
        return None
    code = _primary_code(error) or _code_from_text(str(error).lower())
    where = database if database is not None else Path("the database")
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseBusyError()
    if code == SQLITE_FULL:
        return DiskFullError(DISK_FULL_MESSAGE)
    if code == SQLITE_READONLY:
        return read_only_error(where, "it is read-only")
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        if database is not None and data_dir is not None:
            remember_damage(data_dir, database, str(error))
        return damaged_error(where)
    if code == SQLITE_IOERR:
        if _disk_nearly_full(database.parent if database is not None else Path.cwd()):
            return DiskFullError(DISK_FULL_MESSAGE)
        return UserError(
            f"The disk reported an error while LeadDesk used {where} ({error}); "
            "check the drive and try again."
        )
    return None


atexit.register(SessionMarker.release_all)
