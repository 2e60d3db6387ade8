"""Exporting leads to a CSV file that spreadsheets open safely and LeadDesk reads back exactly.

One column per field of ``LEAD_FIELDS``, headed by the field's label (which the
import's ``suggest_mapping`` maps back to the same field), then three read-only
columns: the score, when the lead was created and its next follow-up. Values are
written the way LeadDesk's import reads them: ISO 8601 dates, UTC date-times
with their offset, money with two decimals, yes/no, enum values, owner names.

Every text cell goes through ``neutralise`` so that no spreadsheet runs it as a
formula; the import undoes exactly that, so export -> import is lossless.

The file is streamed chunk by chunk into a temporary file beside the
destination, which replaces the destination only once it is complete: a cancel,
an error or a crash never leaves half an export under the user's file name.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Connection, Select, func, select

from leaddesk.core.csv_import.safety import neutralise
from leaddesk.core.fields import LEAD_FIELDS, FieldKind
from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.storage.queries import LeadFilter
from leaddesk.storage.schema import follow_ups, leads, owners

# Rows fetched and written per step: large enough that per-chunk costs (a
# progress signal, a cancel check, a round trip) vanish, small enough that
# memory stays flat and a cancel is answered within a fraction of a second.
CHUNK_ROWS = 2000
# SQLite allows 32766 bound parameters per statement (999 before 3.32); a
# selection of ids is read in batches well below either limit.
ID_BATCH = 500

SCORE_HEADER = "Score"
CREATED_HEADER = "Created"
NEXT_FOLLOW_UP_HEADER = "Next follow-up"


class ExportFlavour(StrEnum):
    """How the file is encoded and separated, for the program that will open it."""

    EXCEL_UTF8 = "excel-utf8"
    """UTF-8 with a byte-order mark, commas: Excel shows accents right."""
    UTF8 = "utf8"
    """Plain UTF-8, commas: for other programs and scripts."""
    EXCEL_EUROPE = "excel-europe"
    """UTF-8 with a byte-order mark, semicolons and decimal commas: Excel in European locales."""

    @property
    def label(self) -> str:
        return _FLAVOUR_LABELS[self]

    @property
    def encoding(self) -> str:
        # "utf-8-sig" writes the byte-order mark Excel needs to read the file as UTF-8.
        return "utf-8" if self is ExportFlavour.UTF8 else "utf-8-sig"

    @property
    def delimiter(self) -> str:
        return ";" if self is ExportFlavour.EXCEL_EUROPE else ","

    @property
    def decimal_mark(self) -> str:
        # Where Excel expects semicolons it also reads "1234,50" as a number.
        return "," if self is ExportFlavour.EXCEL_EUROPE else "."


_FLAVOUR_LABELS = {
    ExportFlavour.EXCEL_UTF8: "Excel (UTF-8, comma-separated)",
    ExportFlavour.UTF8: "Plain UTF-8 (comma-separated)",
    ExportFlavour.EXCEL_EUROPE: "Excel in European locales (semicolon-separated)",
}


class ExportCancelled(Exception):
    """The user cancelled the export; nothing was written under the chosen name."""


ProgressCallback = Callable[[int, int], None]
"""Called with (rows written so far, rows to write) after every chunk."""

Formatter = Callable[[Any], str]


# --- formatting cells ------------------------------------------------------------


def _format_bool(value: Any) -> str:
    return "yes" if value else "no"


def _format_date(value: dt.date) -> str:
    return value.isoformat()


def _format_datetime(value: dt.datetime) -> str:
    # Stored values are UTC already; isoformat writes the "+00:00" offset.
    return value.astimezone(dt.UTC).isoformat()


def _money_formatter(decimal_mark: str) -> Formatter:
    def format_money(cents: int) -> str:
        units, hundredths = divmod(abs(cents), 100)
        sign = "-" if cents < 0 else ""
        return f"{sign}{units}{decimal_mark}{hundredths:02d}"

    return format_money


def _formatter(kind: FieldKind, decimal_mark: str) -> Formatter | None:
    """How a non-empty stored value of ``kind`` is written; None: as it is."""
    match kind:
        case FieldKind.BOOL:
            return _format_bool
        case FieldKind.DATE:
            return _format_date
        case FieldKind.DATETIME:
            return _format_datetime
        case FieldKind.MONEY:
            return _money_formatter(decimal_mark)
        case FieldKind.INTEGER:
            return None  # the csv module writes integers as plain digits
        case _:
            return neutralise


def export_headers() -> list[str]:
    """The header row of every export, in column order."""
    return [field.label for field in LEAD_FIELDS] + [
        SCORE_HEADER,
        CREATED_HEADER,
        NEXT_FOLLOW_UP_HEADER,
    ]


def _columns() -> list[Any]:
    next_follow_up = (
        select(func.min(follow_ups.c.due_at))
        .where(follow_ups.c.lead_id == leads.c.id, follow_ups.c.done_at.is_(None))
        .correlate(leads)
        .scalar_subquery()
    )
    columns: list[Any] = [
        owners.c.name if field.kind is FieldKind.OWNER else leads.c[field.column_name]
        for field in LEAD_FIELDS
    ]
    return [*columns, leads.c.score, leads.c.created_at, next_follow_up]


def _formatters(decimal_mark: str) -> list[tuple[int, Formatter]]:
    kinds = [field.kind for field in LEAD_FIELDS] + [
        FieldKind.INTEGER,
        FieldKind.DATETIME,
        FieldKind.DATETIME,
    ]
    return [
        (index, formatter)
        for index, kind in enumerate(kinds)
        if (formatter := _formatter(kind, decimal_mark)) is not None
    ]


def _format_rows(
    rows: Iterable[Sequence[Any]], formatters: Sequence[tuple[int, Formatter]]
) -> Iterator[list[Any]]:
    for row in rows:
        cells = list(row)
        for index, formatter in formatters:
            value = cells[index]
            if value is not None:
                cells[index] = formatter(value)
        yield cells


# --- reading ---------------------------------------------------------------------


def _query(connection: Connection, lead_filter: LeadFilter) -> Select[Any]:
    return (
        select(*_columns())
        .select_from(leads.outerjoin(owners, owners.c.id == leads.c.owner_id))
        .where(*lead_filter.conditions(connection.dialect.name))
        .order_by(leads.c.id)
    )


def _count(connection: Connection, lead_filter: LeadFilter) -> int:
    query = select(func.count()).where(*lead_filter.conditions(connection.dialect.name))
    return int(connection.execute(query.select_from(leads)).scalar_one())


def _chunks_of_filter(connection: Connection, lead_filter: LeadFilter) -> Iterator[Sequence[Any]]:
    result = connection.execution_options(yield_per=CHUNK_ROWS).execute(
        _query(connection, lead_filter)
    )
    yield from result.partitions()


def _id_batches(lead_ids: Iterable[int]) -> list[list[int]]:
    ordered = sorted(set(lead_ids))
    return [ordered[start : start + ID_BATCH] for start in range(0, len(ordered), ID_BATCH)]


def _count_ids(connection: Connection, lead_filter: LeadFilter, batches: list[list[int]]) -> int:
    conditions = lead_filter.conditions(connection.dialect.name)
    return sum(
        int(
            connection.execute(
                select(func.count())
                .select_from(leads)
                .where(*conditions, leads.c.id.in_(batch))
            ).scalar_one()
        )
        for batch in batches
    )


def _chunks_of_ids(
    connection: Connection, lead_filter: LeadFilter, batches: list[list[int]]
) -> Iterator[Sequence[Any]]:
    for batch in batches:
        rows = connection.execute(_query(connection, lead_filter).where(leads.c.id.in_(batch)))
        yield rows.all()


# --- writing ---------------------------------------------------------------------


def _check_destination(path: Path) -> None:
    if path.is_dir():
        raise UserError(f"{path} is a folder; choose a file name to export to.")
    if not path.parent.is_dir():
        raise UserError(f"The folder {path.parent} does not exist; choose another place to save.")


def _cannot_write(path: Path, error: OSError) -> UserError:
    if isinstance(error, PermissionError):
        return UserError(
            f"LeadDesk may not write {path}; it may be open in another program, "
            "or the folder is read-only."
        )
    return UserError(f"Cannot write {path}: {error.strerror or error}.")


def _open_temporary(path: Path, flavour: ExportFlavour) -> tuple[Path, TextIO]:
    """A new file beside ``path`` (same file system, so it can replace ``path`` atomically)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    # newline="": the csv module writes its own CRLF line endings, and line
    # breaks inside quoted cells must reach the file unchanged.
    stream = open(temporary, "x", encoding=flavour.encoding, newline="")  # noqa: SIM115
    return temporary, stream


def export_leads(
    ctx: OperationContext,
    path: str | os.PathLike[str],
    *,
    lead_filter: LeadFilter = LeadFilter(),  # noqa: B008 - frozen dataclass
    lead_ids: Iterable[int] | None = None,
    flavour: ExportFlavour = ExportFlavour.EXCEL_UTF8,
    progress: ProgressCallback | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> int:
    """Write the leads matching ``lead_filter`` (and among ``lead_ids``, if given) to ``path``.

    Leads in the trash are never exported. Returns the number of leads written.
    Raises ``ExportCancelled`` when ``should_cancel()`` turns true (checked
    between chunks) and ``UserError`` when ``path`` cannot be written; in both
    cases an existing file at ``path`` is left untouched.
    """
    destination = Path(path).expanduser()
    _check_destination(destination)
    formatters = _formatters(flavour.decimal_mark)
    try:
        temporary, stream = _open_temporary(destination, flavour)
    except OSError as error:
        raise _cannot_write(destination, error) from None
    written = 0
    try:
        with stream, ctx.db.reading() as connection:
            writer = csv.writer(
                stream,
                delimiter=flavour.delimiter,
                lineterminator="\r\n",
                quoting=csv.QUOTE_MINIMAL,
            )
            writer.writerow(export_headers())
            # One read transaction: the count and every chunk see the same snapshot.
            with connection.begin():
                if lead_ids is None:
                    total = _count(connection, lead_filter)
                    chunks = _chunks_of_filter(connection, lead_filter)
                else:
                    batches = _id_batches(lead_ids)
                    total = _count_ids(connection, lead_filter, batches)
                    chunks = _chunks_of_ids(connection, lead_filter, batches)
                if progress is not None:
                    progress(0, total)
                for chunk in chunks:
                    if should_cancel is not None and should_cancel():
                        raise ExportCancelled("The export was cancelled.")
                    writer.writerows(_format_rows(chunk, formatters))
                    written += len(chunk)
                    if progress is not None:
                        progress(written, total)
            stream.flush()
            # On disk before it takes the user's name: a power cut right after
            # the rename must not leave an empty file there.
            os.fsync(stream.fileno())
        os.replace(temporary, destination)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _cannot_write(destination, error) from None
        raise
    return written
