"""Whether anybody committed to an SQLite file since the last look, for almost nothing.

``PRAGMA data_version`` on a connection changes only when another connection
commits to the file. The watch keeps one read-only connection of its own (not
one of the engine's pooled connections, which the window writes through and
which a window must not hold on to), so every commit shows: the command line's,
another window's, and the window's own, which the caller tells apart by what it
announced itself. Asking costs one pragma: no file is read, no lock is taken.
"""

from __future__ import annotations

import sqlite3

from leaddesk.storage.database import Database, sqlite_file
from leaddesk.storage.health import connect_read_only


class DataVersionWatch:
    """``changed()`` is True once after every commit to the database's file."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._engine = db.engine
        self._connection: sqlite3.Connection | None = None
        self._version: int | None = None
        self._connect()

    @staticmethod
    def supported(db: Database) -> bool:
        """Only an SQLite file has a data version (a server database has no such counter)."""
        return sqlite_file(str(db.engine.url)) is not None

    def _connect(self) -> None:
        path = sqlite_file(str(self._db.engine.url))
        if path is None:
            raise ValueError("only an SQLite file can be watched")
        self._engine = self._db.engine
        self._connection = connect_read_only(path)
        self._version = self._read()

    def _read(self) -> int | None:
        if self._connection is None:
            return None
        try:
            row = self._connection.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            # The file is being replaced (a restore) or is gone for a moment: no
            # answer this time; the next look tries again.
            return None
        return int(row[0])

    def changed(self) -> bool:
        """Whether a commit happened since the last call (or since the watch began)."""
        if self._db.engine is not self._engine:
            # The database was opened again (a restore replaced the file): all is new.
            self.close()
            self._connect()
            return True
        version = self._read()
        if version is None or version == self._version:
            return False
        self._version = version
        return True

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
