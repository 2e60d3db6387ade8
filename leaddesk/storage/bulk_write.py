"""SQLite bulk-write helpers for one long write, all inside its transaction.

An import of many new leads spends most of its database time keeping things up
to date row by row that are cheaper to build once at the end: the secondary
indexes dedupe does not use (``DeferredIndexes``; the full-text index is in
bulk_search_index). Each helper here takes that work out while the import
writes and puts it back before the commit. SQLite DDL is transactional and the
import's transaction holds the write lock, so no other connection ever sees
the table without them, and a rollback (a failure, a cancel, a kill) restores
them exactly as they were.

The rest make any long write quicker: a larger page cache, rows staged in a
temporary table and moved into their table by one statement (``StagedRows``),
statements run on a helper thread, values every row shares written into the
statement (``sql_literal``), and for the import and the export alike the
cyclic garbage collector paused and a short interpreter switch interval while
a helper thread runs statements.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

# Indexes the per-chunk duplicate lookups probe; they stay in place throughout.
DEDUPE_INDEXES = frozenset(
    {"ix_leads_email_normalized", "ix_leads_phone_normalized", "ix_leads_company_key"}
)
# Indexes a large import keeps up to date as it writes (on its helper thread, see
# StagedRows): an import's new leads reach each of them in a few places only --
# a handful of temperatures, stages, owners, sources or scores, then the rank or
# id order the leads arrive in -- so keeping them costs little more than
# building them, and it is done while the import reads on instead of at the end.
# Indexes on names, companies or dates reach everywhere: rebuilt at the end.
KEPT_LIVE_INDEXES = frozenset(
    {
        "ix_leads_board",
        "ix_leads_stage_board",
        "ix_leads_owner_id",
        "ix_leads_score",
        "ix_leads_import_batch_id",
        "ix_leads_live_score",
        "ix_leads_live_owner",
        "ix_leads_live_source",
        # Keyed on what a new lead does not have yet (trashed, last activity,
        # next follow-up): every new lead goes to the end, in id order, so keeping
        # them costs less than the table scan each rebuild needs. The partial one
        # holds only leads without a first name, few in most files.
        "ix_leads_live",
        "ix_leads_live_last_activity",
        "ix_leads_live_next_follow_up",
        "ix_leads_live_unnamed",
        # Partial on the leads whose speed-to-lead deadline runs: an import of
        # history adds none, one of fresh enquiries adds them in created order.
        "ix_leads_live_awaiting",
    }
)
# Tables whose other secondary indexes are rebuilt at the end of a large import.
# Not stage_history: its new entries arrive in index order (by lead id, one
# batch), so keeping its indexes costs little, and that on the helper thread
# that writes them (StatementsOffThread), not on the import's.
DEFERRED_INDEX_TABLES = ("leads",)


def is_sqlite(connection: Connection) -> bool:
    return connection.dialect.name == "sqlite"


def sqlite_value(value: Any) -> Any:
    """A Python value as SQLAlchemy's SQLite types store it."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    if isinstance(value, str):
        return str(value)  # plain str, also for the StrEnum members
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        utc = value.astimezone(dt.UTC) if value.tzinfo else value
        return utc.replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def sql_literal(value: str | int | None) -> str:
    """``value`` written into a statement: a value every row of a bulk insert shares.

    Binding a value costs the driver as much for every row as SQLite's own work
    on it; written into the statement it is read once. Text with a NUL
    character is refused (SQLite would cut it there).
    """
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    raise ValueError(f"not a value for a statement: {value!r}")


def cached_converter(convert: Callable[[Any], Any], limit: int = 4096) -> Callable[[Any], Any]:
    """``convert`` memoised: dates and moments of one file repeat a lot."""
    memo: dict[Any, Any] = {}

    def converted(value: Any) -> Any:
        try:
            return memo[value]
        except KeyError:
            if len(memo) >= limit:
                memo.clear()
            result = memo[value] = convert(value)
            return result

    return converted


# Page cache for the import's connection while it writes (KiB, as SQLite takes a
# negative size): the new rows, their indexes and the search index being built
# stay in memory instead of being spilled and read back. Bounded so that a
# million-row import stays within its memory budget; durability is untouched.
BULK_CACHE_KIB = 32_768


@contextmanager
def bulk_page_cache(connection: Connection) -> Iterator[None]:
    """A larger SQLite page cache for this connection, restored afterwards."""
    if not is_sqlite(connection):
        yield
        return
    previous = int(connection.exec_driver_sql("PRAGMA cache_size").scalar() or -2000)
    connection.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {previous}")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while an import runs.

    An import makes a few objects per cell and keeps almost none, and none form
    cycles; yet each collection walks every object alive, a large share of the
    parsing time of a big file. Reference counting still frees everything as
    it goes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class DeferredIndexes:
    """Secondary indexes dropped while an import writes, rebuilt before it commits.

    Inserting a large import's rows into an index one by one costs several times
    what building it from the finished table costs. Only worth it when the import adds
    more rows than the table holds (the rebuild reads the whole table), and
    never for the indexes the duplicate lookups use or those cheap to keep
    (KEPT_LIVE_INDEXES).
    """

    def __init__(self, create_statements: list[str]) -> None:
        self._create_statements = create_statements

    @classmethod
    def drop(cls, connection: Connection) -> DeferredIndexes:
        marks = ", ".join("?" for _ in DEFERRED_INDEX_TABLES)
        found = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) ORDER BY name",
            DEFERRED_INDEX_TABLES,
        ).all()
        kept = DEDUPE_INDEXES | KEPT_LIVE_INDEXES
        deferred = [(name, sql) for name, sql in found if name not in kept]
        for name, _sql in deferred:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
        return cls([sql for _name, sql in deferred])

    def rebuild(self, connection: Connection) -> None:
        # SQLite may sort each index's keys on helper threads, which is quicker
        # on more than one core.
        previous = int(connection.exec_driver_sql("PRAGMA threads").scalar() or 0)
        connection.exec_driver_sql(f"PRAGMA threads = {min(4, os.cpu_count() or 1)}")
        try:
            for statement in self._create_statements:
                connection.exec_driver_sql(statement)
        finally:
            connection.exec_driver_sql(f"PRAGMA threads = {previous}")
        self._create_statements = []


class StagedRows:
    """A bulk insert's rows staged in a temporary table, then moved by one statement.

    Binding the rows needs the interpreter (the import's thread does it, into a
    table without indexes); moving them into their table, with the indexes
    kept up to date, is one INSERT ... SELECT that runs without it, on a helper
    thread (StatementsOffThread). The temporary table is made and dropped
    inside the import's transaction: a rollback or a kill leaves nothing behind.
    """

    TABLE = "leaddesk_staged_rows"
    ROW_NUMBER = "rowid"
    """Each staged row's number in its batch, 1 upwards: every move empties the table."""

    def __init__(self, connection: Connection, width: int) -> None:
        """A staging table of ``width`` untyped columns, c1 to c<width>."""
        self.width = width
        columns = ", ".join(f"c{number}" for number in range(1, width + 1))
        connection.exec_driver_sql(f"CREATE TEMP TABLE {self.TABLE} ({columns})")

    def stage(self, connection: Connection, rows: list[tuple[Any, ...]], width: int) -> None:
        """Put ``rows`` (each ``width`` values: c1 onwards) in the staging table."""
        columns = ", ".join(f"c{number}" for number in range(1, width + 1))
        marks = ", ".join("?" for _ in range(width))
        connection.exec_driver_sql(
            f"INSERT INTO temp.{self.TABLE} ({columns}) VALUES ({marks})", rows
        )

    def move_statement(self, table: str, columns: list[str], sources: list[str]) -> str:
        """The statement that moves the staged rows: ``sources`` are c<n> or literals."""
        return (
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {', '.join(sources)} FROM temp.{self.TABLE} ORDER BY rowid"
        )

    def move(self, connection: Connection, statement: str) -> None:
        """Run a ``move_statement`` and empty the staging table."""
        connection.exec_driver_sql(statement)
        connection.exec_driver_sql(f"DELETE FROM temp.{self.TABLE}")

    def drop(self, connection: Connection) -> None:
        connection.exec_driver_sql(f"DROP TABLE temp.{self.TABLE}")


class StatementsOffThread:
    """Bulk statements of an import run on a helper thread while the import reads on.

    SQLite lets go of Python's interpreter lock while it runs a statement, so a
    chunk's INSERT ... SELECT statements (its search index entries, its first
    stage history entries) run while the import parses the next chunk. Only
    one thread uses the connection at a time: the import calls ``settle``
    before it uses the connection itself, and ``close`` before its transaction
    ends (commit or rollback).
    """

    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None
        self._pending: Future[None] | None = None

    def run(self, work: Callable[[], None]) -> None:
        """Start ``work`` on the helper once the work before it is done."""
        self.settle()
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="leaddesk-import")
        self._pending = self._executor.submit(work)

    def settle(self) -> None:
        """Wait until the helper is done with the connection; raise what its work raised."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        """Wait for work in flight, also after an error (whose exception is already on its way)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            wait([pending])
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None


# How long a thread keeps Python's interpreter lock once another asks for it
# (the default is 5 ms): a helper thread that runs SQLite statements needs the
# lock for a moment at each start and end, and must not wait that long each time.
# Once the import's own thread is about as busy as its helper, every wait shows
# (benchmarks/README.md has 0.5 ms against 0.1 ms).
HANDOVER_SECONDS = 0.0001


_handover_lock = threading.Lock()
_handover_users = 0
_handover_previous = 0.0


@contextmanager
def quick_lock_handover() -> Iterator[None]:
    """A short interpreter switch interval while helper threads run statements.

    Counted, so that an export and an import running at once (each on its own
    worker thread) leave the interval as it was only when the last one ends.
    """
    global _handover_users, _handover_previous
    with _handover_lock:
        if _handover_users == 0:
            _handover_previous = sys.getswitchinterval()
            sys.setswitchinterval(min(_handover_previous, HANDOVER_SECONDS))
        _handover_users += 1
    try:
        yield
    finally:
        with _handover_lock:
            _handover_users -= 1
            if _handover_users == 0:
                sys.setswitchinterval(_handover_previous)
