"""Saving what can still be read from a damaged database: a database to restore, and a CSV file.

What the command line (``leaddesk salvage OUT.csv``) and the window's
*Export what can be read* both run. The damaged database is only read,
through a read-only connection. Two files come out, side by side:

- ``OUT.sqlite3``: a fresh LeadDesk database holding every row of every table
  that can be read -- leads (those in the trash too), activities, follow-ups,
  stage history, the team, score rules, settings -- which ``leaddesk restore``
  (or *Restore… → From file…*) accepts, so the user carries on where they were;
- ``OUT.csv``: the leads outside the trash, with the export's column names, to
  look at in a spreadsheet or import anywhere.

Rows in unreadable parts are skipped and counted per table, and so are rows
whose lead could not be read (see leaddesk/storage/salvage.py).
"""

from __future__ import annotations

import csv
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, true
from sqlalchemy.exc import DBAPIError

from leaddesk.core.csv_import.safety import neutralise
from leaddesk.core.fields import LEAD_FIELDS, FieldKind
from leaddesk.errors import UserError
from leaddesk.storage.backup import make_private
from leaddesk.storage.bulk_write import BULK_CACHE_KIB
from leaddesk.storage.database import Location, create_database_engine, sqlite_file
from leaddesk.storage.health import examine
from leaddesk.storage.lead_times import refresh_lead_times_where
from leaddesk.storage.migrate import (
    HEAD_REVISION,
    create_schema,
    known_revisions,
    upgrade_to_head,
)
from leaddesk.storage.salvage import (
    TABLE_NOUNS,
    SalvageReport,
    copy_table,
    indexes_deferred,
    readable_leads,
    settle_references,
    top_row_id,
)
from leaddesk.storage.schema import metadata

Progress = Callable[[int, int], None]
DATABASE_SUFFIX = ".sqlite3"
# How each way out is named where the salvage was run.
CLI_RESTORE = "'leaddesk restore {database}'"
WINDOW_RESTORE = "Restore… (Ctrl+Shift+R), From file…"


class SalvageCancelled(Exception):
    """The user cancelled: no file was written."""


def salvaged_database_path(output: Path) -> Path:
    """Where the salvaged database goes: beside the CSV file, named after it."""
    return output.with_suffix(DATABASE_SUFFIX)


def _cell(kind: FieldKind, value: Any) -> str:
    if value is None:
        return ""
    if kind is FieldKind.MONEY and isinstance(value, int | float):
        return f"{value / 100:.2f}"
    if kind is FieldKind.BOOL:
        return "yes" if value else "no"
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    # As the export: a cell Excel would run as a formula is neutralised.
    return neutralise(str(value))


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")


def _write_csv(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with open(path, "x", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([lead_field.label for lead_field in LEAD_FIELDS])
        for values in rows:
            writer.writerow([_cell(field.kind, values[field.name]) for field in LEAD_FIELDS])
        stream.flush()
        os.fsync(stream.fileno())


def _source_revision(source: Connection) -> str:
    """The damaged database's schema version, when this LeadDesk knows it (else its own)."""
    try:
        revision = source.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except DBAPIError:
        return HEAD_REVISION
    return revision if revision in known_revisions() else HEAD_REVISION


def _with_schema(path: Path, step: Callable[[Engine], object]) -> None:
    """``step`` on an engine for the new database at ``path``; its SQLite error as raised."""
    engine = create_database_engine(f"sqlite:///{path}")
    try:
        step(engine)
    except DBAPIError as error:
        # The new file's problem, said as such by the caller.
        if isinstance(error.orig, sqlite3.Error):
            raise error.orig from None
        raise
    finally:
        engine.dispose()


def _copy_everything(
    source: Connection,
    target_path: Path,
    report: SalvageReport,
    step: Callable[[int], None],
    tops: dict[str, int],
) -> None:
    """Every table in one transaction; then the rows pointing at a lost one are settled."""
    target = sqlite3.connect(target_path, isolation_level=None)
    try:
        # Checked once every table is in (settle_references), not row by row.
        target.execute("PRAGMA foreign_keys = OFF")
        # A file under a temporary name, synced and renamed only once complete: a
        # crash leaves a .part file, never a half-made database under the name.
        target.execute("PRAGMA journal_mode = MEMORY")
        target.execute("PRAGMA synchronous = OFF")
        target.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        target.execute("BEGIN")
        with indexes_deferred(target):
            for table in metadata.sorted_tables:
                report.tables[table.name] = copy_table(
                    source, target, table.name, tops[table.name], step=step
                )
            settle_references(target, report.tables)
        report.trashed = int(
            target.execute("SELECT count(*) FROM leads WHERE deleted_at IS NOT NULL").fetchone()[0]
        )
        target.execute("COMMIT")
    finally:
        target.close()


def _refresh_lead_times(engine: Engine) -> None:
    """Every lead's stored last activity and next follow-up, from the rows saved.

    A lead's copied times may name an activity or a follow-up that could not be
    read; the board, the table and the exports show the stored ones.
    """
    with engine.begin() as connection:
        refresh_lead_times_where(connection, true())


def _settle_file(path: Path) -> None:
    """One file, synced, no write-ahead log: what a restore is given, and read-only readers
    leave no -wal or -shm file beside."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = DELETE")
    finally:
        connection.close()
    with open(path, "rb+") as stream:
        os.fsync(stream.fileno())


def _leads_to_csv(database: Path, output: Path, report: SalvageReport) -> None:
    """The salvaged database's leads outside the trash, to the CSV file ``output``."""
    engine = create_database_engine(f"sqlite:///{database}", read_only=True)
    try:
        with engine.connect() as connection:
            _write_csv(output, readable_leads(connection, report))
    finally:
        engine.dispose()


def _check_output(output: Path, database: Path) -> Path:
    if output.suffix.lower() in (DATABASE_SUFFIX, ".sqlite", ".db"):
        raise UserError(
            f"Name the CSV file to write (such as {output.with_suffix('.csv').name}); "
            f"the salvaged database is written beside it."
        )
    target = salvaged_database_path(output)
    if target.resolve() == database:
        raise UserError("The salvage cannot replace the damaged database itself.")
    return target


def salvage_to_csv(
    location: Location,
    output: Path,
    *,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> SalvageReport:
    """What the database at ``location`` still holds, to ``output`` (CSV) and its .sqlite3.

    ``progress(done, total)`` counts row ids looked at; ``should_cancel`` is
    read between ranges of rows (then SalvageCancelled, and no file is left behind).
    """
    database = sqlite_file(location.url)
    if database is None:
        raise UserError("Salvage reads SQLite database files only; give it --data-dir.")
    if not database.is_file():
        raise UserError(f"There is no database at {database}.")
    target = _check_output(output, database)
    # Refuses a file that is not LeadDesk's; damage is no reason to stop here.
    examine(database, location.data_dir)
    report = SalvageReport(database=target)
    engine = create_database_engine(location.url, read_only=True)
    staged_database, staged_csv = _temporary(target), _temporary(output)
    try:
        with engine.connect() as connection:
            tops = {
                table.name: top_row_id(connection, table.name, report.problems)
                for table in metadata.sorted_tables
            }
            total, done = max(1, sum(tops.values())), 0

            def step(ids: int) -> None:
                nonlocal done
                if should_cancel is not None and should_cancel():
                    raise SalvageCancelled
                done += ids
                if progress is not None:
                    progress(min(done, total), total)

            # The rows go into the schema they were written for; the upgrades
            # (with their data steps) then bring them to this version's.
            revision = _source_revision(connection)
            _with_schema(staged_database, lambda engine: create_schema(engine, revision))
            _copy_everything(connection, staged_database, report, step, tops)
        _with_schema(staged_database, upgrade_to_head)
        if any(report.tables[name].unreadable for name in ("activities", "follow_ups")):
            _with_schema(staged_database, _refresh_lead_times)
        _settle_file(staged_database)
        _leads_to_csv(staged_database, staged_csv, report)
        report.unreadable_ids = report.tables["leads"].unreadable
        make_private(staged_database)
        os.replace(staged_database, target)
        os.replace(staged_csv, output)
    except BaseException as error:
        for path in (staged_database, staged_csv):
            for suffix in ("", "-wal", "-shm", "-journal"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
        if isinstance(error, OSError) and not isinstance(error, FileNotFoundError):
            raise UserError(f"Cannot write {output}: {error.strerror or error}.") from None
        if isinstance(error, sqlite3.Error):  # the new database's own connection
            raise UserError(f"Cannot write {target}: {error}.") from None
        raise
    finally:
        engine.dispose()
    return report


def _counted(count: int, plural: str) -> str:
    noun = plural
    if count == 1:
        noun = plural[:-3] + "y" if plural.endswith("ies") else plural.removesuffix("s")
    return f"{count:,} {noun}"


def salvage_summary(
    report: SalvageReport, output: Path, restore_hint: str = CLI_RESTORE
) -> tuple[str, str | None]:
    """What was saved, per table, and what could not be read (None when everything could)."""
    tables = report.tables
    database = report.database or salvaged_database_path(output)
    kept = "; ".join(
        _counted(tables[name].copied if name in tables else 0, TABLE_NOUNS[name])
        + (
            f", {report.trashed:,} of them in the trash"
            if name == "leads" and report.trashed
            else ""
        )
        for name in ("leads", "activities", "follow_ups", "stage_history")
    )
    hint = restore_hint.format(database=database)
    saved = (
        f"Saved {_counted(report.read, 'leads')} to {output}, and all that could be read to "
        f"{database} ({kept}): restore that file with {hint} to carry on."
    )
    lost = [
        f"{_counted(count.unreadable, TABLE_NOUNS.get(name, name))}"
        for name, count in tables.items()
        if count.unreadable
    ]
    left_out = sum(count.left_out for count in tables.values())
    if not (lost or left_out or (report.problems and not tables)):
        return saved, None
    parts = []
    if lost:
        parts.append(
            ", ".join(lost)
            + " could not be read and were skipped (counted by id: some may never have been used)"
        )
    if left_out:
        parts.append(f"{left_out:,} rows belonging to those leads were left out")
    sentence = "; ".join(parts) or "parts of the database could not be read"
    return saved, sentence[0].upper() + sentence[1:] + "."
