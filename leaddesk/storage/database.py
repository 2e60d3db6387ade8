"""Where the data lives and how a connection to it is opened."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError

from leaddesk.errors import UserError

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
    directory = Path(chosen_dir).expanduser() if chosen_dir else default_data_dir()
    # --data-dir on the command line also overrides a database URL from the
    # environment: the user asked for the database in that folder.
    url = database_url or (None if data_dir else environ.get(DATABASE_URL_ENV)) or None
    if url is None:
        url = f"sqlite:///{(directory / DATABASE_FILE).resolve()}"
    return Location(data_dir=directory, url=url)


def _enable_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy: pysqlite's own implicit BEGIN
        # does not cover reads, which would break one-transaction-per-action.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            # FULL: a committed lead survives a power cut, not only a crash.
            cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def create_database_engine(url: str) -> Engine:
    """An engine for ``url`` with LeadDesk's connection settings applied."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UserError(
            f"'{url}' is not a database URL such as sqlite:///path/to/file.db."
        ) from None
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite and parsed.database and parsed.database != ":memory:":
        folder = Path(parsed.database).expanduser().resolve().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UserError(
                f"Cannot create the data folder {folder}: {error.strerror or error}."
            ) from None
    try:
        engine = create_engine(parsed)
    except (NoSuchModuleError, ImportError) as error:
        raise UserError(
            f"LeadDesk cannot use the database '{parsed.render_as_string(hide_password=True)}': "
            f"{error}."
        ) from None
    if is_sqlite:
        _enable_sqlite_pragmas(engine)
    return engine


def sqlite_path(engine: Engine) -> Path | None:
    """The database file of an SQLite engine; None for a server or an in-memory database."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


class Database:
    """An open, migrated database: hands out connections and sessions."""

    def __init__(self, engine: Engine, location: Location) -> None:
        self.engine = engine
        self.location = location

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

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One unit of work: commits on success, rolls back everything on error."""
        with self.engine.begin() as connection:
            yield connection

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    def close(self) -> None:
        self.engine.dispose()


def open_database(location: Location, *, migrate: bool = True) -> Database:
    """Open (creating if needed) and migrate the database at ``location``."""
    from leaddesk.storage.backup import backup_folder, make_private
    from leaddesk.storage.migrate import upgrade_to_head

    engine = create_database_engine(location.url)
    path = sqlite_path(engine)
    if migrate:
        try:
            # Found only when there is something to migrate: it reads the settings.
            folder = partial(backup_folder, location.data_dir, path) if path else None
            upgrade_to_head(engine, backup_dir=folder)
        except DatabaseError as error:
            # OperationalError (locked, read-only, unreachable) and a file that
            # is not a database at all are both the user's to fix.
            engine.dispose()
            raise UserError(f"Cannot open the database: {error.orig}.") from None
        except BaseException:
            engine.dispose()
            raise
    if path is not None:
        make_private(path)
    return Database(engine, location)
