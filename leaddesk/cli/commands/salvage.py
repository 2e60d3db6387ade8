"""``leaddesk salvage OUT.csv``: save every lead that can still be read from a damaged database.

The database is only read (through a read-only connection): the leads go to
a CSV file with the export's column names, so the file can be imported into
a new or restored database. Leads in unreadable parts are skipped and counted.
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from leaddesk.errors import UserError


def _cell(kind: Any, value: Any) -> str:
    from leaddesk.core.csv_import.safety import neutralise
    from leaddesk.core.fields import FieldKind

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


def _write(path: Path, rows: Any) -> None:
    from leaddesk.core.fields import LEAD_FIELDS

    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with open(temporary, "x", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow([lead_field.label for lead_field in LEAD_FIELDS])
            for values in rows:
                writer.writerow([_cell(field.kind, values[field.name]) for field in LEAD_FIELDS])
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError) and not isinstance(error, FileNotFoundError):
            raise UserError(f"Cannot write {path}: {error.strerror or error}.") from None
        raise


def run(args: argparse.Namespace) -> int:
    from leaddesk.storage.database import create_database_engine, resolve_location, sqlite_file
    from leaddesk.storage.health import examine
    from leaddesk.storage.salvage import SalvageReport, readable_leads

    location = resolve_location(args.data_dir, args.database_url)
    database = sqlite_file(location.url)
    if database is None:
        raise UserError("Salvage reads SQLite database files only; give it --data-dir.")
    if not database.is_file():
        raise UserError(f"There is no database at {database}.")
    # Refuses a file that is not LeadDesk's; damage is no reason to stop here.
    examine(database, location.data_dir)
    engine = create_database_engine(location.url, read_only=True)
    report = SalvageReport()
    try:
        with engine.connect() as connection:
            _write(args.output, readable_leads(connection, report))
    finally:
        engine.dispose()
    print(f"Saved {report.read} lead{'s' if report.read != 1 else ''} to {args.output}.")
    if report.unreadable_ids or report.problems:
        print(
            f"leaddesk: {report.unreadable_ids} lead ids could not be read and were skipped "
            "(some may never have been used)"
            + ("" if report.owners_readable else "; owners are shown by their number")
            + ".",
            file=sys.stderr,
        )
    return 0
