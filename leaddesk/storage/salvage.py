"""Reading what can still be read from a damaged database, a range of row ids at a time.

A damaged page makes every query that touches it fail ("database disk image
is malformed"), so a whole-table read saves nothing. Leads are read by id
range instead; a range that fails is halved until the single ids that cannot
be read are known, and those alone are skipped. Values come back as the
driver gives them (no SQLAlchemy type processing, which could choke on a
damaged value where the raw text still reads).

The leads alone go to a CSV file; every table goes, row by readable row, into
a fresh LeadDesk database (``copy_table``) that a restore accepts.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from leaddesk.core.fields import LEAD_FIELDS, FieldKind

# Ids per query while the reading goes well.
SALVAGE_CHUNK = 256
# How far past the last id found a read looks when the highest id cannot be read.
PROBE_PAST_END = 100_000


@dataclass
class SalvageReport:
    """How a salvage went: leads read, and the ids (or ranges) that could not be read."""

    read: int = 0
    unreadable_ids: int = 0
    owners_readable: bool = True
    problems: list[str] = field(default_factory=list)
    # The salvage into a fresh database: where it went, each table's count, and
    # how many of its leads are in the trash.
    database: Path | None = None
    tables: dict[str, TableCount] = field(default_factory=dict)
    trashed: int = 0


def _owner_names(connection: Connection, report: SalvageReport) -> dict[int, str]:
    try:
        rows = connection.exec_driver_sql("SELECT id, name FROM owners").fetchall()
    except DBAPIError as error:
        report.owners_readable = False
        report.problems.append(f"team members: {error.orig}")
        return {}
    return {int(owner_id): str(name) for owner_id, name in rows}


def highest_lead_id(connection: Connection, report: SalvageReport) -> int:
    """The highest lead id, or a generous guess when the table's last page is damaged."""
    for sql in ("SELECT max(id) FROM leads", "SELECT max(lead_id) FROM activities"):
        try:
            value = connection.exec_driver_sql(sql).scalar()
        except DBAPIError as error:
            report.problems.append(f"{sql}: {error.orig}")
            continue
        if value is not None:
            return int(value) + (0 if "leads" in sql else PROBE_PAST_END)
    return PROBE_PAST_END


def _statement() -> str:
    columns = ", ".join(f'"{lead_field.column_name}"' for lead_field in LEAD_FIELDS)
    return (
        f"SELECT id, {columns} FROM leads "
        "WHERE id BETWEEN ? AND ? AND deleted_at IS NULL ORDER BY id"
    )


def _ranges_read(
    connection: Connection, low: int, high: int, report: SalvageReport
) -> Iterator[tuple[Any, ...]]:
    """The leads of ids ``low..high`` (see ``rows_by_range``)."""

    def unreadable() -> None:
        report.unreadable_ids += 1

    return rows_by_range(connection, _statement(), low, high, unreadable)


def rows_by_range(
    connection: Connection,
    statement: str,
    low: int,
    high: int,
    unreadable: Callable[[], None],
) -> Iterator[tuple[Any, ...]]:
    """The rows ``statement`` gives for ids ``low..high``, halving a range that fails.

    ``statement`` takes the first and last id as its two parameters;
    ``unreadable`` is called once for each single id that cannot be read.
    """
    pending = [(low, high)]
    while pending:
        start, end = pending.pop()
        try:
            rows = connection.exec_driver_sql(statement, (start, end)).fetchall()
        except DBAPIError:
            if start == end:
                unreadable()
                continue
            middle = (start + end) // 2
            # Upper half first on the stack, so ids come out in order.
            pending.extend([(middle + 1, end), (start, middle)])
            continue
        yield from (tuple(row) for row in rows)


def readable_leads(connection: Connection, report: SalvageReport) -> Iterator[dict[str, Any]]:
    """Every lead outside the trash that can be read, as field name -> value as stored.

    The owner is the team member's name (or their id, when the team cannot be read).
    """
    owners = _owner_names(connection, report)
    top = highest_lead_id(connection, report)
    for low in range(1, top + 1, SALVAGE_CHUNK):
        for row in _ranges_read(connection, low, min(top, low + SALVAGE_CHUNK - 1), report):
            values = dict(zip((f.name for f in LEAD_FIELDS), row[1:], strict=True))
            for lead_field in LEAD_FIELDS:
                if lead_field.kind is FieldKind.OWNER and values[lead_field.name] is not None:
                    owner_id = values[lead_field.name]
                    values[lead_field.name] = owners.get(owner_id, owner_id)
            report.read += 1
            yield values


# --- every table, into a fresh database ------------------------------------------------

# Where a table's highest row id cannot be read, its ids are looked through up to
# this one: a range with no rows is a single index seek, so this costs little.
UNKNOWN_TOP = 2_000_000
# What the user calls each table, in the summary of a salvage.
TABLE_NOUNS = {
    "leads": "leads",
    "activities": "activities",
    "follow_ups": "follow-ups",
    "stage_history": "stage changes",
    "owners": "team members",
    "merges": "merges",
    "import_batches": "imports",
    "import_changes": "import changes",
    "score_rules": "score rules",
    "settings": "settings",
    "mapping_presets": "saved mappings",
}


@dataclass
class TableCount:
    """One table's salvage: rows copied, ids that could not be read, rows left out."""

    copied: int = 0
    unreadable: int = 0
    # Read, but what they belong to (their lead, say) could not be: kept out, so
    # that the new database holds no row pointing at nothing.
    left_out: int = 0


def table_columns(connection: Connection | sqlite3.Connection, table: str) -> list[str]:
    rows = (
        connection.exec_driver_sql(f'PRAGMA table_info("{table}")').fetchall()
        if isinstance(connection, Connection)
        else connection.execute(f'PRAGMA table_info("{table}")').fetchall()
    )
    return [str(row[1]) for row in rows]


def top_row_id(connection: Connection, table: str, problems: list[str]) -> int:
    """The table's highest row id; UNKNOWN_TOP when the page holding it is damaged.

    0 for a table the database does not have (written by an older LeadDesk).
    """
    try:
        value = connection.exec_driver_sql(f'SELECT max(rowid) FROM "{table}"').scalar()
    except DBAPIError as error:
        if "no such table" in str(error.orig):
            return 0
        problems.append(f"{table}: {error.orig}")
        return UNKNOWN_TOP
    return int(value or 0)


def _insert(target: sqlite3.Connection, insert: str, rows: list[Any], count: TableCount) -> None:
    """The rows, all at once; one at a time when one of them breaks a constraint.

    A value a damaged page garbled may read back; its row is left out, not the range's.
    """
    target.execute("SAVEPOINT salvage_rows")
    try:
        target.executemany(insert, rows)
        count.copied += len(rows)
    except sqlite3.IntegrityError:
        target.execute("ROLLBACK TO salvage_rows")
        for row in rows:
            try:
                target.execute(insert, row)
                count.copied += 1
            except sqlite3.IntegrityError:
                count.left_out += 1
    target.execute("RELEASE salvage_rows")


def copy_table(
    source: Connection,
    target: sqlite3.Connection,
    table: str,
    top: int,
    *,
    step: Callable[[int], None],
) -> TableCount:
    """Every readable row of ``table`` (row ids 1..``top``) into the same table of ``target``.

    The columns both have are copied, values as stored. The rows a new database
    starts with (the default score rules) are replaced once a row is read.
    ``step(ids)`` is called after each range of ids looked at (progress, cancel).
    """
    count = TableCount()
    wanted = set(table_columns(target, table))
    columns = [name for name in table_columns(source, table) if name in wanted]
    if not columns:  # not in the source (an older schema): the new table stays as made
        step(top)
        return count
    names = ", ".join(f'"{name}"' for name in columns)
    select = f'SELECT {names} FROM "{table}" WHERE rowid BETWEEN ? AND ? ORDER BY rowid'
    insert = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'

    def unreadable() -> None:
        count.unreadable += 1

    cleared = False
    for low in range(1, top + 1, SALVAGE_CHUNK):
        high = min(top, low + SALVAGE_CHUNK - 1)
        rows = list(rows_by_range(source, select, low, high, unreadable))
        if rows and not cleared:
            target.execute(f'DELETE FROM "{table}"')
            cleared = True
        if rows:
            _insert(target, insert, rows, count)
        step(high - low + 1)
    return count


def _reference(target: sqlite3.Connection, table: str, key: int) -> tuple[str, bool]:
    """The column of ``table``'s foreign key number ``key``, and whether it may be empty."""
    column = next(
        str(row[3])
        for row in target.execute(f'PRAGMA foreign_key_list("{table}")')
        if row[0] == key
    )
    not_null = {
        str(row[1]): bool(row[3]) for row in target.execute(f'PRAGMA table_info("{table}")')
    }
    return column, not not_null[column]


def settle_references(target: sqlite3.Connection, counts: dict[str, TableCount]) -> None:
    """Rows pointing at a row that could not be read: the reference goes, or the row.

    A lead whose team member is lost keeps going without an owner; an activity
    (follow-up, stage change) whose lead is lost is left out, and counted.
    """
    while problems := target.execute("PRAGMA foreign_key_check").fetchall():
        for table, rowid, _parent, key in problems:
            column, may_be_empty = _reference(target, table, key)
            if may_be_empty:
                target.execute(f'UPDATE "{table}" SET "{column}" = NULL WHERE rowid = ?', (rowid,))
                continue
            target.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
            counts[table].copied -= 1
            counts[table].left_out += 1


@contextmanager
def indexes_deferred(target: sqlite3.Connection) -> Iterator[None]:
    """The plain indexes and the triggers dropped while rows go in; made once at the end.

    Each lead copied would otherwise update a dozen indexes and the search index
    one row at a time. Unique indexes stay: they keep what they kept in the
    source. The search index (external content) is rebuilt from the leads.
    """
    saved = target.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
        "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY type"
    ).fetchall()
    for kind, name, _sql in saved:
        target.execute(f'DROP {"INDEX" if kind == "index" else "TRIGGER"} "{name}"')
    yield
    for _kind, _name, sql in saved:  # indexes first ("index" < "trigger")
        target.execute(sql)
    tables = {row[0] for row in target.execute("SELECT name FROM sqlite_master")}
    if "lead_search" in tables:
        target.execute("INSERT INTO lead_search(lead_search) VALUES ('rebuild')")
