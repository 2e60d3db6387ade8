"""Where the data lives and how a connection to it is opened."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, NoSuchModuleError

from leaddesk.core.paths import expanded
from leaddesk.errors import DamagedDatabaseError, ReadOnlyDatabaseError, UserError
from leaddesk.storage.health import SessionMarker, examine, explain, note_checked
from leaddesk.storage.write_lock import WRITE_OPTION

APP_NAME = "LeadDesk"
DATABASE_FILE = "leaddesk.sqlite3"
DATA_DIR_ENV = "LEADDESK_DATA_DIR"
DATABASE_URL_ENV = "LEADDESK_DATABASE_URL"


@dataclass(frozen=True, slots=True)
class Location:
    """The data directory (settings, logs, backups) and the database URL."""

    data_dir: Path
    url: str


def default_data_dir() -> Path:
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def resolve_location(
    data_dir: str | os.PathLike[str] | None = None,
    database_url: str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> Location:
    """Command-line options win over environment variables, which win over defaults."""
    chosen_dir = data_dir or environ.get(DATA_DIR_ENV) or None
    directory = expanded(chosen_dir) if chosen_dir else default_data_dir()
    # --data-dir on the command line also overrides a database URL from the
    # environment: the user asked for the database in that folder.
    url = database_url or (None if data_dir else environ.get(DATABASE_URL_ENV)) or None
    if url is None:
        url = f"sqlite:///{(directory / DATABASE_FILE).resolve()}"
    return Location(data_dir=directory, url=url)


# How long a write waits for another connection's write to finish (also read by
# the connect hook at each new connection, so a test can shorten it).
BUSY_TIMEOUT_MS = 5000


def _enable_sqlite_pragmas(engine: Engine, *, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy: pysqlite's own implicit BEGIN
        # does not cover reads, which would break one-transaction-per-action.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        if engine.url.database not in (None, "", ":memory:") and not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
            # FULL: a committed lead survives a power cut, not only a crash.
            cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A write takes the write lock at its start (waiting up to the busy
        # timeout for another writer): a deferred BEGIN that reads and then
        # writes fails at once when another connection wrote meanwhile, as
        # SQLite cannot wait without risking a deadlock. Reads stay deferred,
        # so they never wait for a writer in WAL mode.
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL; None for other databases and in-memory ones."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.database.startswith("file:"):  # a URI filename: checked by SQLite alone
        return None
    return expanded(parsed.database).resolve()


def create_database_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for ``url`` with LeadDesk's connection settings applied.

    ``read_only`` (an SQLite file only): every connection is opened read-only,
    so SQLite itself refuses a write that slipped past ``Database.transaction``.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UserError(
            f"'{url}' is not a database URL such as sqlite:///path/to/file.db."
        ) from None
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite and parsed.database and parsed.database != ":memory:":
        folder = expanded(parsed.database).resolve().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UserError(
                f"Cannot create the data folder {folder}: {error.strerror or error}."
            ) from None
    options: dict[str, Any] = {}
    path = sqlite_file(url) if read_only else None
    if path is not None:
        from leaddesk.storage.health import connect_read_only

        options["creator"] = lambda: connect_read_only(path)
    try:
        engine = create_engine(parsed, **options)
    except (NoSuchModuleError, ImportError) as error:
        raise UserError(
            f"LeadDesk cannot use the database '{parsed.render_as_string(hide_password=True)}': "
            f"{error}."
        ) from None
    if is_sqlite:
        _enable_sqlite_pragmas(engine, read_only=path is not None)
    return engine


class Database:
    """An open, migrated database: hands out connections and sessions.

    ``refusal`` is set when the database was opened read-only (a read-only file
    or folder, damage): every write raises it, reads work as usual.
    """

    def __init__(
        self,
        engine: Engine,
        location: Location,
        *,
        refusal: ReadOnlyDatabaseError | None = None,
        session: SessionMarker | None = None,
        verified: bool = False,
    ) -> None:
        self.engine = engine
        self.location = location
        self.refusal = refusal
        self._session = session
        # Opened after a complete check passed: a clean close records the file
        # as checked, so the next start need not read it all again.
        self._verified = verified
        self._file = sqlite_file(str(engine.url))
        # Told (on whatever thread found it) when damage is found after opening:
        # the window's bar shows it at once (ui/safety/database_banner.py).
        self.damage_listeners: list[Callable[[DamagedDatabaseError], None]] = []

    def mark_damaged(self, error: DamagedDatabaseError) -> None:
        """Refuse every write from now on, and tell the listeners."""
        self.refusal = error
        for listener in list(self.damage_listeners):
            listener(error)

    @property
    def display_url(self) -> str:
        """The URL without a password, or the file path for SQLite."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database:
            return url.database
        return url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def read_only(self) -> bool:
        return self.refusal is not None

    @contextmanager
    def _explained(self) -> Iterator[None]:
        """SQLite's and the disk's failures as the user's one sentence (UserError)."""
        try:
            yield
        except DBAPIError as error:
            explained = explain(error.orig, self._file, self.location.data_dir)
            if explained is None:
                raise
            if isinstance(explained, DamagedDatabaseError):
                self.mark_damaged(explained)
            raise explained from error
        except (OSError, sqlite3.Error) as error:
            # sqlite3's own errors: from code that uses the driver's connection.
            explained = explain(error, self._file, self.location.data_dir)
            if explained is None:
                raise
            if isinstance(explained, DamagedDatabaseError):
                self.mark_damaged(explained)
            raise explained from error

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One unit of work that writes: commits on success, rolls back everything on error.

        It starts by taking the write lock (waiting for another writer up to the
        busy timeout), so it never fails half-way for want of it.
        """
        if self.refusal is not None:
            raise type(self.refusal)(str(self.refusal))
        with self._explained(), self.engine.connect() as connection:
            connection.execution_options(**{WRITE_OPTION: True})
            with connection.begin():
                yield connection

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self._explained(), self.engine.connect() as connection:
            yield connection

    def reopen(self) -> None:
        """Open the file again after it was replaced (a restore): checked as at start.

        A database that was opened read-only for damage becomes writable once the
        new file passes its check; this object stays the one every view holds.
        """
        path = self._file
        if path is None:
            return
        self.close()
        examination = examine(path, self.location.data_dir)
        refusal = examination.refusal
        url = self.engine.url.render_as_string(hide_password=False)
        self.engine = create_database_engine(url, read_only=refusal is not None)
        self.refusal = refusal
        self._verified = examination.verified
        if refusal is None:
            self._session = SessionMarker.create(self.location.data_dir, path)

    def close(self) -> None:
        self.engine.dispose()
        if self._verified and self.refusal is None and self._file is not None:
            note_checked(self.location.data_dir, self._file)
        if self._session is not None:
            self._session.release()
            self._session = None


def open_database(location: Location, *, migrate: bool = True) -> Database:
    """Open (creating if needed) and migrate the database at ``location``.

    An SQLite file is examined first, without writing to it: a file that is not
    a LeadDesk database is refused, and a read-only or damaged one is opened
    read-only (and neither migrated nor given a journal mode).
    """
    path = sqlite_file(location.url)
    examination = examine(path, location.data_dir) if path is not None else None
    refusal = examination.refusal if examination is not None else None
    engine = create_database_engine(location.url, read_only=refusal is not None)
    try:
        if refusal is not None:
            _check_current_schema(engine, refusal)
        elif migrate:
            from leaddesk.storage.backup import backup_folder
            from leaddesk.storage.migrate import upgrade_to_head

            # Found only when there is something to migrate: it reads the settings.
            folder = partial(backup_folder, location.data_dir, path) if path else None
            upgrade_to_head(engine, backup_dir=folder)
    except DatabaseError as error:
        # OperationalError (locked, read-only, unreachable) and a file that
        # is not a database at all are both the user's to fix.
        engine.dispose()
        explained = explain(error.orig, path, location.data_dir)
        raise explained or UserError(f"Cannot open the database: {error.orig}.") from None
    except BaseException:
        engine.dispose()
        raise
    session = None
    if path is not None and refusal is None:
        from leaddesk.storage.backup import make_private

        make_private(path)
        session = SessionMarker.create(location.data_dir, path)
    verified = examination is not None and examination.verified
    return Database(engine, location, refusal=refusal, session=session, verified=verified)


def _check_current_schema(engine: Engine, refusal: ReadOnlyDatabaseError) -> None:
    """A database that cannot be written cannot be upgraded either: refuse an old one."""
    from leaddesk.storage.migrate import HEAD_REVISION, current_revision

    revision = current_revision(engine)
    if revision != HEAD_REVISION:
        raise UserError(
            f"This database needs an upgrade to schema {HEAD_REVISION} (it is at "
            f"{revision or 'none'}), which LeadDesk cannot do now: {refusal}"
        )
