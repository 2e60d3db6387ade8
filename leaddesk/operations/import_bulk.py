"""SQLite bulk-write helpers for one import, all inside the import's transaction.

An import of many new leads spends most of its database time keeping things up
to date row by row that are cheaper to build once at the end: the full-text
index and the secondary indexes dedupe does not use. Each helper here takes
that work out while the import writes and puts it back before the commit.
SQLite DDL is transactional and the import's transaction holds the write
lock, so no other connection ever sees the table without them, and a rollback
(a failure, a cancel, a kill) restores them exactly as they were.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

SEARCHED_COLUMNS = "first_name, last_name, email, phone, company, job_title"

# Indexes the per-chunk duplicate lookups probe; they stay in place throughout.
DEDUPE_INDEXES = frozenset(
    {"ix_leads_email_normalized", "ix_leads_phone_normalized", "ix_leads_company_key"}
)
# Tables whose other secondary indexes are rebuilt at the end of a large import.
DEFERRED_INDEX_TABLES = ("leads", "stage_history")


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
    cycles; yet each collection walks every object alive, which at 100,000 rows
    cost a third of the parsing time. Reference counting still frees
    everything as it goes.
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

    Inserting 100,000 rows into an index one by one costs several times what
    building it from the finished table costs. Only worth it when the import adds
    more rows than the table holds (the rebuild reads the whole table), and
    never for the indexes the duplicate lookups use.
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
        deferred = [(name, sql) for name, sql in found if name not in DEDUPE_INDEXES]
        for name, _sql in deferred:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
        return cls([sql for _name, sql in deferred])

    def rebuild(self, connection: Connection) -> None:
        for statement in self._create_statements:
            connection.exec_driver_sql(statement)
        self._create_statements = []


class BulkSearchIndex:
    """Index an import's new leads in one statement instead of row by row.

    The per-row insert trigger costs about 60 µs a lead; one INSERT ... SELECT at
    the end costs a fraction. The trigger is dropped inside the import's own
    transaction and put back before it commits (see the module docstring).
    """

    TRIGGER = "leads_search_insert"

    def __init__(self, trigger_sql: str) -> None:
        self._trigger_sql = trigger_sql
        self._indexed_early: set[int] = set()

    @classmethod
    def start(cls, connection: Connection) -> BulkSearchIndex | None:
        if not is_sqlite(connection):
            return None
        trigger_sql = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (cls.TRIGGER,)
        ).scalar()
        if not trigger_sql:
            return None
        connection.exec_driver_sql(f"DROP TRIGGER {cls.TRIGGER}")
        return cls(trigger_sql)

    def index_now(self, connection: Connection, lead_ids: list[int]) -> None:
        """Index these new leads now: an update's trigger expects them indexed."""
        fresh = [lead_id for lead_id in lead_ids if lead_id not in self._indexed_early]
        for start in range(0, len(fresh), 500):
            chunk = fresh[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            connection.exec_driver_sql(
                f"INSERT INTO lead_search(rowid, {SEARCHED_COLUMNS}) "
                f"SELECT id, {SEARCHED_COLUMNS} FROM leads WHERE id IN ({marks})",
                tuple(chunk),
            )
        self._indexed_early.update(fresh)

    def finish(self, connection: Connection, batch_id: int) -> None:
        """Index every new lead not indexed yet, and put the trigger back."""
        select_new = f"SELECT id, {SEARCHED_COLUMNS} FROM leads WHERE import_batch_id = ?"
        if self._indexed_early:
            connection.exec_driver_sql("CREATE TEMP TABLE import_indexed (id INTEGER PRIMARY KEY)")
            connection.exec_driver_sql(
                "INSERT INTO import_indexed VALUES (?)", [(i,) for i in self._indexed_early]
            )
            select_new += " AND id NOT IN (SELECT id FROM import_indexed)"
        connection.exec_driver_sql(
            f"INSERT INTO lead_search(rowid, {SEARCHED_COLUMNS}) {select_new}", (batch_id,)
        )
        if self._indexed_early:
            connection.exec_driver_sql("DROP TABLE import_indexed")
        connection.exec_driver_sql(self._trigger_sql)
