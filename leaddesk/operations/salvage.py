"""Saving what can still be read from a damaged database to a CSV file.

What the command line (``leaddesk salvage OUT.csv``) and the window's
*Export what can be read* both run. The database is only read, through a
read-only connection; the leads go to a CSV file with the export's column
names, so the file can be imported into a new or restored database. Leads in
unreadable parts are skipped and counted (see leaddesk/storage/salvage.py).
"""

from __future__ import annotations

import csv
import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from leaddesk.core.csv_import.safety import neutralise
from leaddesk.core.fields import LEAD_FIELDS, FieldKind
from leaddesk.errors import UserError
from leaddesk.storage.database import Location, create_database_engine, sqlite_file
from leaddesk.storage.health import examine
from leaddesk.storage.salvage import SalvageReport, highest_lead_id, readable_leads

Progress = Callable[[int, int], None]


class SalvageCancelled(Exception):
    """The user cancelled: no file was written."""


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


def _write(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    """All of ``rows`` to ``path``, or nothing: written beside it, then renamed into place."""
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


def salvage_to_csv(
    location: Location,
    output: Path,
    *,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> SalvageReport:
    """Every lead of the database at ``location`` that can be read, to the CSV file ``output``.

    ``progress(done, total)`` counts lead ids looked at; ``should_cancel`` is
    read between leads (then SalvageCancelled, and no file is left behind).
    """
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
            total = highest_lead_id(connection, SalvageReport())

            def rows() -> Iterable[dict[str, Any]]:
                for values in readable_leads(connection, report):
                    if should_cancel is not None and should_cancel():
                        raise SalvageCancelled
                    if progress is not None:
                        progress(report.read + report.unreadable_ids, max(1, total))
                    yield values

            _write(output, rows())
    finally:
        engine.dispose()
    return report


def salvage_summary(report: SalvageReport, output: Path) -> tuple[str, str | None]:
    """What was saved, and what could not be read (None when everything could)."""
    saved = f"Saved {report.read} lead{'s' if report.read != 1 else ''} to {output}."
    if not (report.unreadable_ids or report.problems):
        return saved, None
    skipped = (
        f"{report.unreadable_ids} lead ids could not be read and were skipped "
        "(some may never have been used)"
        + ("" if report.owners_readable else "; owners are shown by their number")
        + "."
    )
    return saved, skipped
