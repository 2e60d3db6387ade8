"""Exporting leads to an Excel workbook (.xlsx) for people who work in spreadsheets.

The same columns and headers as the CSV export (so LeadDesk reads the workbook
back as its own export), but typed cells, as a spreadsheet user expects them:

- text is written as text (an inline string): a value such as '=1+1' shows as
  typed and no formula can run, without the apostrophe the CSV export adds;
- dates are dates (shown yyyy-mm-dd), date-times are the user's local times
  without microseconds, money is a number shown with two decimals, counts and
  the score are numbers, yes/no fields are TRUE/FALSE;
- temperature, stage and consent carry their labels ("Warm", "SQL", "Granted"),
  which the import reads back;
- the header row is frozen and has filters; columns are as wide as their
  first rows need.

Written by LeadDesk's own SpreadsheetML writer (xlsx_package) a chunk at a
time, so memory stays flat however many leads there are; this module decides
what each cell holds. Like the CSV export, the workbook is written beside the
destination and takes its name only once complete; a cancel or an error leaves
a file already there as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable, Generator, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Integer, Select, String, func, select, type_coerce

from leaddesk.core.fields import LEAD_FIELDS, Consent, FieldKind, Stage, Temperature
from leaddesk.core.paths import expanded
from leaddesk.errors import UserError
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
    remove_stale_parts,
    rows_query,
)
from leaddesk.operations.exporting.xlsx_package import (
    MAX_ROWS,
    STYLE_DATE,
    STYLE_DATETIME,
    STYLE_MONEY,
    SheetPackage,
    SheetTooLarge,
    bool_cells,
    number_cells,
    row_numbers,
    rows_xml,
    text_cells,
)
from leaddesk.storage.bulk_write import collector_paused
from leaddesk.storage.queries import LeadFilter
from leaddesk.storage.schema import leads, owners

XLSX_SUFFIX = ".xlsx"
SHEET_NAME = "Leads"
# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EPOCH_ORDINAL = _EXCEL_EPOCH.toordinal()
_UNIX_EPOCH_SERIAL = dt.date(1970, 1, 1).toordinal() - _EPOCH_ORDINAL
_MAX_WIDTH = 50
_LABELS: dict[str, str] = {
    member.value: member.label for enum in (Temperature, Stage, Consent) for member in enum
}


def is_xlsx_path(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names an Excel workbook (the export picks the format by this)."""
    return Path(path).suffix.lower() == XLSX_SUFFIX


# --- columns -------------------------------------------------------------------------


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


def _columns(dialect: str) -> list[_Column]:
    headers = export_headers()
    columns: list[_Column] = []
    for field in LEAD_FIELDS:
        if field.kind is FieldKind.OWNER:
            expression: Any = owners.c.name
        else:
            expression = leads.c[field.column_name]
        kind = "label" if field.name in ("temperature", "stage", "consent") else "text"
        kind = _KINDS.get(field.kind, kind)
        columns.append(_Column(field.label, _selected(expression, kind, dialect), kind))
    # Stored on the lead (storage/lead_times.py), as the CSV export reads it.
    next_follow_up = _selected(leads.c.next_follow_up_at, "datetime", dialect)
    columns += [
        _Column(headers[len(columns)], leads.c.score, "integer"),
        _Column(
            headers[len(columns) + 1],
            _selected(leads.c.created_at, "datetime", dialect),
            "datetime",
        ),
        _Column(
            headers[len(columns) + 2],
            _selected(leads.c.first_contacted_at, "datetime", dialect),
            "datetime",
        ),
        _Column(headers[len(columns) + 3], next_follow_up, "datetime"),
    ]
    # The CSV export's headers, in its order: the import knows the workbook as ours.
    assert [column.header for column in columns] == headers
    return columns


def _selected(expression: Any, kind: str, dialect: str) -> Any:
    """What to read for a column: the driver's own value, without SQLAlchemy's conversions."""
    match kind:
        case "datetime" if dialect == "sqlite":
            # Naive UTC text "YYYY-MM-DD HH:MM:SS.ffffff": whole seconds since 1970,
            # counted by SQLite (cutting the fraction rounds down, before 1970 too).
            return func.cast(func.strftime("%s", func.substr(expression, 1, 19)), Integer)
        case "datetime" | "date":
            return type_coerce(expression, String)
        case "bool":
            return type_coerce(expression, Integer)
        case _:
            return expression


# --- cells ---------------------------------------------------------------------------


class HourOffsets(dict[int, int]):
    """A zone's offset from UTC in seconds, by hour since 1970 (UTC), looked up once an hour.

    An hour in which the offset changes maps to ``CHANGING``: its moments are
    worked out one by one.
    """

    CHANGING = 1 << 40

    def __init__(self, zone: dt.tzinfo) -> None:
        super().__init__()
        self.zone = zone

    def offset(self, seconds: int) -> int:
        offset = dt.datetime.fromtimestamp(seconds, self.zone).utcoffset()
        return 0 if offset is None else int(offset.total_seconds())

    def __missing__(self, hour: int) -> int:
        start = self.offset(hour * 3600)
        offset = start if start == self.offset(hour * 3600 + 3599) else self.CHANGING
        self[hour] = offset
        return offset


def local_serials(moments: Sequence[Any], offsets: HourOffsets) -> list[str | None]:
    """Moments (seconds since 1970, UTC) as Excel serial numbers of their local time.

    On SQLite the moments arrive as those seconds; other databases hand over
    date-times (or their text), counted here first.
    """
    changing, serial_1970 = offsets.CHANGING, _UNIX_EPOCH_SERIAL
    try:
        return [
            None
            if seconds is None
            else repr(
                (
                    seconds
                    + (
                        offset
                        if (offset := offsets[seconds // 3600]) != changing
                        else offsets.offset(seconds)
                    )
                )
                / 86400
                + serial_1970
            )
            for seconds in moments
        ]
    except TypeError:  # not seconds
        return local_serials([_seconds(moment) for moment in moments], offsets)


def _seconds(moment: str | dt.datetime | None) -> int | None:
    """Whole seconds since 1970 of a date-time another database hands over."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)  # stored as UTC (UTCDateTime)
    return int(moment.replace(microsecond=0).timestamp())


def _day_serials(days: Sequence[str | dt.date | None]) -> list[str | None]:
    return [
        None
        if day is None
        else str(
            (dt.date.fromisoformat(day) if isinstance(day, str) else day).toordinal()
            - _EPOCH_ORDINAL
        )
        for day in days
    ]


CellBuilder = Callable[[int, Sequence[Any], Sequence[str]], list[str] | None]


def _cell_builders(columns: Sequence[_Column], zone: dt.tzinfo) -> list[CellBuilder]:
    """For each column: its values and the chunk's row numbers -> its cells."""
    offsets = HourOffsets(zone)
    labels = _LABELS

    def builder(kind: str) -> CellBuilder:
        match kind:
            case "label":
                return lambda col, values, rows: text_cells(
                    col, [labels.get(value, value) for value in values], rows
                )
            case "integer":
                return lambda col, values, rows: number_cells(
                    col, [None if value is None else str(value) for value in values], rows
                )
            case "money":
                return lambda col, values, rows: number_cells(
                    col,
                    [None if cents is None else repr(cents / 100) for cents in values],
                    rows,
                    STYLE_MONEY,
                )
            case "date":
                return lambda col, values, rows: number_cells(
                    col, _day_serials(values), rows, STYLE_DATE
                )
            case "datetime":
                return lambda col, values, rows: number_cells(
                    col, local_serials(values, offsets), rows, STYLE_DATETIME
                )
            case "bool":
                return bool_cells
            case _:
                return text_cells

    return [builder(column.kind) for column in columns]


def _widths(columns: Sequence[_Column], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Column widths from the first chunk: wide enough for most values, not all."""
    fixed = {"date": 12, "datetime": 18, "money": 14, "bool": 8}
    widths = []
    for col, column in enumerate(columns):
        width = len(column.header) + 4  # room for the filter arrow
        if column.kind in fixed:
            width = max(width, fixed[column.kind])
        else:
            lengths = sorted(
                len(str(_LABELS.get(values[col], values[col])))
                for values in rows
                if values[col] not in (None, "")
            )
            if lengths:
                width = max(width, lengths[int(len(lengths) * 0.9)] + 2)
        widths.append(min(_MAX_WIDTH, width))
    return widths


class _SheetWriter:
    """Writes chunks of lead rows as typed cells into one sheet."""

    def __init__(self, file: IO[bytes], columns: Sequence[_Column], zone: dt.tzinfo) -> None:
        self.columns = columns
        self.package = SheetPackage(file, SHEET_NAME, [column.header for column in columns])
        self.builders = _cell_builders(columns, zone)
        self.total = 0
        self.started = False

    @property
    def rows_written(self) -> int:
        return self.package.rows_written

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        if not self.started:
            self.package.start(_widths(self.columns, rows), self.total)
            self.started = True
        if not rows:
            return
        first = self.rows_written + 2  # the header is row 1
        numbers = row_numbers(first, len(rows))
        values = list(zip(*rows, strict=True))
        empty = len(rows)
        # A column with no value in this chunk (many, in most lists) costs one count.
        cells = [
            None if values[col].count(None) == empty else build(col, values[col], numbers)
            for col, build in enumerate(self.builders)
        ]
        self.package.write_rows(rows_xml(first, cells, len(rows)), len(rows))

    def finish(self) -> None:
        if not self.started:
            self.write_rows([])
        self.package.finish()


# --- reading -------------------------------------------------------------------------


def _chunks(
    connection: Connection,
    columns: Sequence[_Column],
    lead_filter: LeadFilter,
    lead_ids: Iterable[int] | None,
) -> tuple[int, Generator[Sequence[Sequence[Any]], None, None]]:
    """How many leads will be exported, and their rows a chunk at a time."""
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

    def read() -> Generator[Sequence[Sequence[Any]], None, None]:
        for batch in batches:
            query = rows_query(export_columns, batch)
            with connection.execution_options(yield_per=CHUNK_ROWS).execute(query) as result:
                yield from result.partitions()

    return total, _read_ahead(read())


def _read_ahead(
    chunks: Generator[Sequence[Sequence[Any]], None, None],
) -> Generator[Sequence[Sequence[Any]], None, None]:
    """``chunks``, each next one read on a helper thread while this one is written.

    SQLite lets go of the interpreter lock while it steps through rows, so
    reading and building the sheet's XML overlap. Only the helper touches the
    connection until the generator is closed.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="leaddesk-xlsx-read") as helper:
        try:
            pending = helper.submit(next, chunks, None)
            while (chunk := pending.result()) is not None:
                pending = helper.submit(next, chunks, None)
                yield chunk
        finally:
            # Closed early (a cancel, an error): the read in flight ends first.
            pending.exception()
            helper.submit(chunks.close).result()


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
    with date-times shown in ``zone`` (None: this machine's zone). More leads
    than a sheet has rows is a ``UserError``, before anything is written.
    """
    if zone is None:
        from leaddesk.core.agenda import system_zone

        zone = system_zone()
    destination = expanded(path)
    check_destination(destination)
    remove_stale_parts(destination.parent)
    temporary = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.part")
    try:
        stream = open(temporary, "xb")  # noqa: SIM115 - closed by the with below
    except OSError as error:
        raise cannot_write(destination, error) from None
    try:
        with stream:
            written = _write_workbook(
                ctx, stream, zone, lead_filter, lead_ids, progress, should_cancel
            )
            # On disk before it takes the user's file name (see export_leads).
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, destination)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, SheetTooLarge):
            raise UserError(
                "These leads are too much text for one Excel workbook; export them to a CSV file."
            ) from None
        if isinstance(error, OSError):
            raise cannot_write(destination, error) from None
        raise
    return written


def _write_workbook(
    ctx: OperationContext,
    stream: IO[bytes],
    zone: dt.tzinfo,
    lead_filter: LeadFilter,
    lead_ids: Iterable[int] | None,
    progress: ProgressCallback | None,
    should_cancel: Callable[[], bool] | None,
) -> int:
    """Write the workbook into ``stream``; return how many leads it holds.

    On any error (a cancel too) the helper threads have stopped before this
    returns, and ``stream`` holds no workbook.
    """
    with ctx.db.reading() as connection, connection.begin(), collector_paused():
        columns = _columns(connection.dialect.name)
        total, chunks = _chunks(connection, columns, lead_filter, lead_ids)
        # closing(): however this ends, the reading ends before its connection goes.
        with closing(chunks):
            if total > MAX_ROWS - 1:
                raise UserError(
                    f"An Excel sheet holds at most {MAX_ROWS - 1:,} leads and {total:,} "
                    "would be exported: choose fewer leads or export to a CSV file."
                )
            writer = _SheetWriter(stream, columns, zone)
            writer.total = total
            try:
                if progress is not None:
                    progress(0, total)
                for rows in chunks:
                    if should_cancel is not None and should_cancel():
                        raise ExportCancelled("The export was cancelled.")
                    writer.write_rows(rows)
                    if progress is not None:
                        progress(writer.rows_written, total)
                writer.finish()
            except BaseException:
                writer.package.abandon()
                raise
    return writer.rows_written
