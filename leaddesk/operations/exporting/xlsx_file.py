"""Exporting leads to an Excel workbook (.xlsx) for people who work in spreadsheets.

The same columns and headers as the CSV export (so LeadDesk reads the workbook
back as its own export), but typed cells, as a spreadsheet user expects them:

- text is written as text (``write_string``): a value such as '=1+1' shows as
  typed and no formula can run, without the apostrophe the CSV export adds;
- dates are dates (shown yyyy-mm-dd), date-times are the user's local times
  without microseconds, money is a number shown with two decimals, counts and
  the score are numbers, yes/no fields are TRUE/FALSE;
- temperature, stage and consent carry their labels ("Warm", "SQL", "Granted"),
  which the import reads back;
- the header row is frozen and has filters; columns are as wide as their
  first rows need.

Written by XlsxWriter in constant-memory mode: each row goes to disk as it is
written, so memory stays flat however many leads there are. Like the CSV
export, the workbook is written beside the destination and takes its name only
once complete; a cancel or an error leaves a file already there as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Select, func, select

from leaddesk.core.fields import LEAD_FIELDS, Consent, FieldKind, Stage, Temperature
from leaddesk.core.paths import expanded
from leaddesk.operations.context import OperationContext
from leaddesk.operations.exporting.cells import ExportColumn
from leaddesk.operations.exporting.export_file import (
    CHUNK_ROWS,
    ID_BATCH,
    ExportCancelled,
    ProgressCallback,
    cannot_write,
    check_destination,
    export_headers,
    rows_query,
)
from leaddesk.storage.bulk_write import collector_paused
from leaddesk.storage.queries import LeadFilter
from leaddesk.storage.schema import follow_ups, leads, owners

XLSX_SUFFIX = ".xlsx"
SHEET_NAME = "Leads"
# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EPOCH_ORDINAL = _EXCEL_EPOCH.toordinal()
_MAX_WIDTH = 50
_LABELS: dict[str, str] = {
    member.value: member.label for enum in (Temperature, Stage, Consent) for member in enum
}


def is_xlsx_path(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names an Excel workbook (the export picks the format by this)."""
    return Path(path).suffix.lower() == XLSX_SUFFIX


# --- columns -------------------------------------------------------------------------

CellWriter = Callable[[int, int, Any], object]
"""Writes one value into (row, column) of the sheet."""


@dataclass(frozen=True, slots=True)
class _Column:
    header: str
    expression: Any
    kind: str
    """'text', 'label', 'integer', 'money', 'date', 'datetime' or 'bool'."""


_KINDS = {
    FieldKind.INTEGER: "integer",
    FieldKind.MONEY: "money",
    FieldKind.DATE: "date",
    FieldKind.DATETIME: "datetime",
    FieldKind.BOOL: "bool",
}


def _columns() -> list[_Column]:
    headers = export_headers()
    columns: list[_Column] = []
    for field in LEAD_FIELDS:
        if field.kind is FieldKind.OWNER:
            expression: Any = owners.c.name
        else:
            expression = leads.c[field.column_name]
        kind = "label" if field.name in ("temperature", "stage", "consent") else "text"
        columns.append(_Column(field.label, expression, _KINDS.get(field.kind, kind)))
    next_follow_up = (
        select(func.min(follow_ups.c.due_at))
        .where(follow_ups.c.lead_id == leads.c.id, follow_ups.c.done_at.is_(None))
        .correlate(leads)
        .scalar_subquery()
    )
    columns += [
        _Column(headers[len(columns)], leads.c.score, "integer"),
        _Column(headers[len(columns) + 1], leads.c.created_at, "datetime"),
        _Column(headers[len(columns) + 2], next_follow_up, "datetime"),
    ]
    # The CSV export's headers, in its order: the import knows the workbook as ours.
    assert [column.header for column in columns] == headers
    return columns


class _SheetWriter:
    """Writes typed cells into one constant-memory worksheet."""

    def __init__(self, path: Path, columns: Sequence[_Column], zone: dt.tzinfo) -> None:
        import xlsxwriter  # ~0.1 s to import: only when a workbook is written

        self.workbook = xlsxwriter.Workbook(
            str(path),
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
        )
        self.sheet = self.workbook.add_worksheet(SHEET_NAME)
        self.columns = columns
        self.zone = zone
        workbook = self.workbook
        self.header_format = workbook.add_format({"bold": True, "bottom": 1})
        self.date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.money_format = workbook.add_format({"num_format": "#,##0.00"})
        self.writers: list[CellWriter] = [self._writer(column.kind) for column in columns]
        self.widths = [len(column.header) + 4 for column in columns]  # room for the filter arrow
        self.rows_written = 0

    def _writer(self, kind: str) -> CellWriter:
        sheet = self.sheet
        # XlsxWriter is untyped: its bound methods are named as what they are.
        write_string: Callable[..., object] = sheet.write_string
        write_number: Callable[..., object] = sheet.write_number
        write_boolean: Callable[..., object] = sheet.write_boolean
        zone = self.zone
        match kind:
            case "label":
                return lambda row, col, value: write_string(row, col, _LABELS.get(value, value))
            case "integer":
                return write_number
            case "money":
                money = self.money_format
                return lambda row, col, cents: write_number(row, col, cents / 100, money)
            case "date":
                date_format = self.date_format
                return lambda row, col, day: write_number(
                    row, col, day.toordinal() - _EPOCH_ORDINAL, date_format
                )
            case "datetime":
                moment_format = self.datetime_format
                return lambda row, col, moment: write_number(
                    row, col, _excel_moment(moment, zone), moment_format
                )
            case "bool":
                return write_boolean
            case _:
                return write_string

    def write_header(self) -> None:
        for col, column in enumerate(self.columns):
            self.sheet.write_string(0, col, column.header, self.header_format)

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        if self.rows_written == 0:
            self._measure(rows)
        writers = self.writers
        row_number = self.rows_written
        for values in rows:
            row_number += 1
            for col, value in enumerate(values):
                # '' is left empty too: an empty text cell is no value for a filter.
                if value is not None and value != "":
                    writers[col](row_number, col, value)
        self.rows_written = row_number

    def _measure(self, rows: Sequence[Sequence[Any]]) -> None:
        """Column widths from the first chunk: wide enough for most values, not all."""
        fixed = {"date": 12, "datetime": 18, "money": 14, "bool": 8}
        for col, column in enumerate(self.columns):
            if column.kind in fixed:
                width = fixed[column.kind]
            else:
                lengths = sorted(
                    len(str(_LABELS.get(values[col], values[col])))
                    for values in rows
                    if values[col] not in (None, "")
                )
                width = lengths[int(len(lengths) * 0.9)] + 2 if lengths else 0
            self.widths[col] = min(_MAX_WIDTH, max(self.widths[col], width))

    def finish(self) -> None:
        """Widths, frozen header and filters; then the workbook is written out."""
        last_column = len(self.columns) - 1
        for col, width in enumerate(self.widths):
            self.sheet.set_column(col, col, width)
        self.sheet.freeze_panes(1, 0)
        self.sheet.autofilter(0, 0, max(1, self.rows_written), last_column)
        self.workbook.close()


def _excel_moment(moment: dt.datetime, zone: dt.tzinfo) -> float:
    """An aware date-time as Excel's serial number of the local time, whole seconds."""
    local = moment.astimezone(zone)
    seconds = local.hour * 3600 + local.minute * 60 + local.second
    return local.toordinal() - _EPOCH_ORDINAL + seconds / 86400


# --- reading -------------------------------------------------------------------------


def _chunks(
    connection: Connection,
    columns: Sequence[_Column],
    lead_filter: LeadFilter,
    lead_ids: Iterable[int] | None,
) -> tuple[int, Iterable[Sequence[Sequence[Any]]]]:
    """How many leads will be exported, and their typed rows a chunk at a time."""
    export_columns = [ExportColumn(column.header, column.expression) for column in columns]
    matching: Select[Any] = select(leads.c.id).where(
        *lead_filter.conditions(connection.dialect.name)
    )
    if lead_ids is None:
        batches = [matching]
    else:
        ordered = sorted(set(lead_ids))
        batches = [
            matching.where(leads.c.id.in_(ordered[start : start + ID_BATCH]))
            for start in range(0, len(ordered), ID_BATCH)
        ]
    total = sum(
        int(connection.execute(select(func.count()).select_from(batch.subquery())).scalar_one())
        for batch in batches
    )

    def read() -> Iterable[Sequence[Sequence[Any]]]:
        for batch in batches:
            query = rows_query(export_columns, batch)
            with connection.execution_options(yield_per=CHUNK_ROWS).execute(query) as result:
                yield from result.partitions()

    return total, read()


# --- the operation -------------------------------------------------------------------


def export_leads_xlsx(
    ctx: OperationContext,
    path: str | os.PathLike[str],
    *,
    lead_filter: LeadFilter = LeadFilter(),  # noqa: B008 - frozen dataclass
    lead_ids: Iterable[int] | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: Callable[[], bool] | None = None,
    zone: dt.tzinfo | None = None,
) -> int:
    """Write the leads matching ``lead_filter`` to an Excel workbook at ``path``; return how many.

    As ``export_leads`` (a selection, the trash, progress, cancel, errors),
    with date-times shown in ``zone`` (None: this machine's zone).
    """
    if zone is None:
        from leaddesk.core.agenda import system_zone

        zone = system_zone()
    destination = expanded(path)
    check_destination(destination)
    columns = _columns()
    temporary = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.part")
    try:
        # The workbook is written at the end; claim the name now, as the CSV export does.
        temporary.open("x").close()
    except OSError as error:
        raise cannot_write(destination, error) from None
    writer = _SheetWriter(temporary, columns, zone)
    try:
        writer.write_header()
        with ctx.db.reading() as connection, connection.begin(), collector_paused():
            total, chunks = _chunks(connection, columns, lead_filter, lead_ids)
            if progress is not None:
                progress(0, total)
            for rows in chunks:
                if should_cancel is not None and should_cancel():
                    raise ExportCancelled("The export was cancelled.")
                writer.write_rows(rows)
                if progress is not None:
                    progress(writer.rows_written, total)
        writer.finish()
        # On disk before it takes the user's file name (see export_leads).
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, destination)
    except BaseException as error:
        from xlsxwriter.exceptions import XlsxWriterException

        _abandon(writer)
        temporary.unlink(missing_ok=True)
        if isinstance(error, XlsxWriterException) and isinstance(error.__context__, OSError):
            raise cannot_write(destination, error.__context__) from None
        if isinstance(error, OSError):
            raise cannot_write(destination, error) from None
        raise
    return writer.rows_written


def _abandon(writer: _SheetWriter) -> None:
    """Close a workbook that will not be kept, so its temporary row data goes too.

    XlsxWriter has no way to abandon a workbook: closing writes it (to the
    temporary name, deleted next), which also removes its row data file.
    """
    from xlsxwriter.exceptions import XlsxWriterException

    if writer.workbook.fileclosed:
        return
    with contextlib.suppress(XlsxWriterException, OSError):
        writer.workbook.close()
