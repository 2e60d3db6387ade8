"""Exporting leads to a CSV file that spreadsheets open safely and LeadDesk reads back exactly.

One column per field of ``LEAD_FIELDS``, headed by the field's label (which the
import's ``suggest_mapping`` maps back to that field), then four read-only
columns: the score, when the lead was created and first contacted (the import
restores both) and the next open follow-up. Values are written the way
LeadDesk's import reads them: ISO 8601 dates, UTC date-times with their offset,
money with two decimals, yes/no, the values of temperature, stage and consent,
owners by name.

Every text cell goes through ``neutralise`` so that no spreadsheet runs it as a
formula; the import undoes exactly that, so export -> import is lossless.

The file is streamed a chunk at a time into a temporary file beside the
destination, which replaces the destination only once it is complete: a
cancel, an error or a crash never leaves half an export under the user's name.

Speed: fetching ~40 values per lead into Python is most of the time, so on SQLite
the database writes each lead as one line (``printf``, cells preceded by
marks telling text from the rest, date-times and money finished in SQL) and
hands it over as undecoded UTF-8; neutralising, quoting and the delimiters are
then settled by a few scans of each whole chunk (see sqlite_lines). A chunk
those scans cannot settle is read again and goes the general way, which other
databases always take: each chunk handled column by column, so a column with
nothing to escape or quote costs one scan at C speed, and rows joined with
``str.join``, quoting exactly as ``csv.QUOTE_MINIMAL`` does (the tests compare
the file byte for byte with ``csv.writer``'s, and the two ways with each other).

This module reads and writes; the flavours are in flavour, the general
way's cells in cells, the SQLite lines in sqlite_lines and their reading in
sqlite_chunks.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import (
    Connection,
    Select,
    String,
    case,
    cast,
    func,
    select,
    type_coerce,
)

from leaddesk.core.csv_import.export_headers import (
    EXPORT_CREATED_HEADER,
    EXPORT_FIRST_CONTACTED_HEADER,
    EXPORT_NEXT_FOLLOW_UP_HEADER,
    EXPORT_SCORE_HEADER,
)
from leaddesk.core.fields import LEAD_FIELDS, FieldKind
from leaddesk.core.paths import expanded
from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.exporting.cells import (
    ExportColumn,
    column_lines,
    format_datetimes,
    format_money,
    format_text,
    quoted,
)
from leaddesk.operations.exporting.flavour import LINE_END, ExportFlavour
from leaddesk.operations.exporting.sqlite_chunks import read_line_chunks
from leaddesk.operations.exporting.sqlite_lines import (
    LineChunk,
    SqliteLines,
    line_chunk_text,
    sqlite_cell,
)
from leaddesk.storage.bulk_write import collector_paused
from leaddesk.storage.queries import LeadFilter
from leaddesk.storage.schema import leads, owners

# Rows read and written per step: per-chunk costs (a progress signal, a cancel
# check) vanish at this size, memory stays flat, and a cancel is answered
# within a fraction of a second.
CHUNK_ROWS = 2000
# A selection of ids is read in batches far below SQLite's limit on bound
# parameters per statement (999 before SQLite 3.32).
ID_BATCH = 500


# Shared with the import, which recognises its own exports by their headers.
SCORE_HEADER = EXPORT_SCORE_HEADER
CREATED_HEADER = EXPORT_CREATED_HEADER
FIRST_CONTACTED_HEADER = EXPORT_FIRST_CONTACTED_HEADER
NEXT_FOLLOW_UP_HEADER = EXPORT_NEXT_FOLLOW_UP_HEADER


class ExportCancelled(Exception):
    """The user cancelled the export; nothing was written under the chosen name."""


ProgressCallback = Callable[[int, int], None]
"""Called with (leads written so far, leads to write) at the start and after every chunk."""


def _as_text(expression: Any) -> Any:
    """``expression`` as text, '' for NULL (the csv module writes None as '' too)."""
    return func.coalesce(cast(expression, String), "")


def _raw(expression: Any) -> Any:
    # type_coerce to String: the driver's own value, without SQLAlchemy's per-row
    # conversion to datetime objects, which would cost more than formatting.
    return type_coerce(expression, String)


def _field_column(kind: FieldKind, stored: Any, header: str) -> ExportColumn:
    match kind:
        case FieldKind.BOOL:
            yes_no = case({True: "yes", False: "no"}, value=stored, else_="")
            return ExportColumn(header, yes_no, stored=yes_no)
        case FieldKind.INTEGER | FieldKind.DATE:
            # SQLite stores dates as ISO text already; other databases cast to it.
            return ExportColumn(header, _as_text(stored), stored=stored)
        case FieldKind.DATETIME:
            return ExportColumn(header, _raw(stored), format_datetimes, stored)
        case FieldKind.MONEY:
            return ExportColumn(header, stored, format_money, stored)
        case _:
            return ExportColumn(header, func.coalesce(stored, ""), format_text, stored)


def _export_columns() -> list[ExportColumn]:
    columns = [
        _field_column(
            field.kind,
            owners.c.name if field.kind is FieldKind.OWNER else leads.c[field.column_name],
            field.label,
        )
        for field in LEAD_FIELDS
    ]
    # The next open follow-up as stored on the lead (storage/lead_times.py), as
    # the board and the lead table show it: one column read, not a search of the
    # lead's follow-ups per row.
    next_follow_up = leads.c.next_follow_up_at
    return [
        *columns,
        ExportColumn(SCORE_HEADER, _as_text(leads.c.score), stored=leads.c.score),
        ExportColumn(
            CREATED_HEADER, _raw(leads.c.created_at), format_datetimes, leads.c.created_at
        ),
        ExportColumn(
            FIRST_CONTACTED_HEADER,
            _raw(leads.c.first_contacted_at),
            format_datetimes,
            leads.c.first_contacted_at,
        ),
        ExportColumn(NEXT_FOLLOW_UP_HEADER, _raw(next_follow_up), format_datetimes, next_follow_up),
    ]


def export_headers() -> list[str]:
    """The header row of every export, in column order."""
    return [column.header for column in _export_columns()]


# --- reading -------------------------------------------------------------------------


def _matching_ids(connection: Connection, lead_filter: LeadFilter) -> Select[Any]:
    return select(leads.c.id).where(*lead_filter.conditions(connection.dialect.name))


def rows_query(columns: Sequence[ExportColumn], matching_ids: Select[Any]) -> Select[Any]:
    return _query_of(*(column.expression for column in columns), matching_ids=matching_ids)


def _query_of(*selected: Any, matching_ids: Select[Any]) -> Select[Any]:
    # "id IN (matching ids)" rather than the filter itself: SQLite without table
    # statistics answers "deleted_at IS NULL" from an index and would then sort
    # every whole row by id; this way only ids are looked up, and rows come in
    # id order as they are read.
    return (
        select(*selected)
        .select_from(leads.outerjoin(owners, owners.c.id == leads.c.owner_id))
        .where(leads.c.id.in_(matching_ids))
        .order_by(leads.c.id)
    )


def _count(connection: Connection, matching_ids: Select[Any]) -> int:
    return int(
        connection.execute(select(func.count()).select_from(matching_ids.subquery())).scalar_one()
    )


Chunks = Generator[Sequence[Sequence[Any]] | LineChunk, None, None]


def _stream(connection: Connection, query: Select[Any]) -> Chunks:
    """The rows of ``query`` a chunk at a time, as plain sequences."""
    with connection.execution_options(yield_per=CHUNK_ROWS).execute(query) as result:
        yield from result.partitions()


Layout = Sequence[ExportColumn] | SqliteLines
"""The columns selected, or on SQLite the lines (see choose_layout)."""


def choose_layout(
    connection: Connection, columns: Sequence[ExportColumn], flavour: ExportFlavour
) -> Layout:
    if connection.dialect.name != "sqlite":
        return columns
    # The chunks are read on a helper thread (sqlite_chunks); a chunk
    # read again here waits until the helper has let go of the connection.
    lock = threading.Lock()

    def read_again(lead_ids: list[int]) -> list[Sequence[Any]]:
        rows: list[Sequence[Any]] = []
        with lock:
            for start in range(0, len(lead_ids), ID_BATCH):
                batch = select(leads.c.id).where(leads.c.id.in_(lead_ids[start : start + ID_BATCH]))
                rows += connection.execute(rows_query(columns, batch)).all()
        return rows

    cells = [sqlite_cell(column, flavour) for column in columns]
    return SqliteLines(columns, "".join(mark for mark, _value in cells), read_again, lock)


def _line(layout: SqliteLines, flavour: ExportFlavour) -> Any:
    """One lead's marked line, which SQLite's printf writes (sqlite_lines)."""
    cells = [sqlite_cell(column, flavour) for column in layout.columns]
    line_format = "".join(mark + "%s" for mark, _value in cells)
    return type_coerce(
        func.printf(line_format, *(type_coerce(value, String) for _mark, value in cells)), String
    )


def _stream_batches(connection: Connection, queries: Iterable[Select[Any]]) -> Chunks:
    for query in queries:
        yield from _stream(connection, query)


def _read(
    connection: Connection,
    layout: Layout,
    flavour: ExportFlavour,
    lead_filter: LeadFilter,
    lead_ids: Iterable[int] | None,
    *,
    counted: bool,
) -> tuple[int, Chunks]:
    """How many leads will be exported (0 unless ``counted``; always on SQLite), and their rows."""
    matching_ids = _matching_ids(connection, lead_filter)
    if isinstance(layout, SqliteLines):
        return read_line_chunks(
            connection,
            _line(layout, flavour),
            matching_ids,
            lead_ids,
            chunk_rows=CHUNK_ROWS,
            id_batch=ID_BATCH,
            lock=layout.lock,
        )
    if lead_ids is None:
        total = _count(connection, matching_ids) if counted else 0
        return total, _stream(connection, rows_query(layout, matching_ids))
    ordered = sorted(set(lead_ids))
    batches = [
        matching_ids.where(leads.c.id.in_(ordered[start : start + ID_BATCH]))
        for start in range(0, len(ordered), ID_BATCH)
    ]
    total = sum(_count(connection, batch) for batch in batches) if counted else 0
    queries = (rows_query(layout, batch) for batch in batches)
    return total, _stream_batches(connection, queries)


# --- writing -------------------------------------------------------------------------


def chunk_text(
    rows: Sequence[Sequence[Any]] | LineChunk, columns: Layout, flavour: ExportFlavour
) -> str | bytes:
    """The CSV text of one chunk of rows, each line ending in CRLF (as UTF-8 bytes on SQLite)."""
    if isinstance(rows, LineChunk):
        assert isinstance(columns, SqliteLines)
        return line_chunk_text(rows, columns, flavour)
    assert not isinstance(columns, SqliteLines)
    return column_lines(rows, columns, flavour)


def _write(stream: TextIO, text: str | bytes) -> None:
    if isinstance(text, str):
        stream.write(text)
    else:
        # UTF-8 already, and every flavour is UTF-8 (the byte-order mark went
        # out with the header).
        stream.flush()
        stream.buffer.write(text)


def check_destination(path: Path) -> None:
    if path.is_dir():
        raise UserError(f"{path} is a folder; choose a file name to export to.")
    if not path.parent.is_dir():
        raise UserError(f"There is no folder {path.parent}; choose another place to export to.")


def cannot_write(path: Path, error: OSError) -> UserError:
    if isinstance(error, PermissionError):
        return UserError(
            f"LeadDesk may not write {path}: the folder is read-only "
            "or the file is open in another program."
        )
    return UserError(f"Cannot write {path}: {error.strerror or error}.")


# An export's own temporary file: ".<name>.<8 hex digits>.part" (see _open_temporary).
_PART_FILE = re.compile(r"\..+\.[0-9a-f]{8}\.part")
# A part file untouched for this long is left from an export that was killed or
# lost its power: a running export writes to its file many times a second.
STALE_PART_SECONDS = 60.0


def remove_stale_parts(folder: Path) -> int:
    """Delete the temporary files interrupted exports left in ``folder``; return how many."""
    removed = 0
    cutoff = time.time() - STALE_PART_SECONDS
    try:
        candidates = [entry for entry in os.scandir(folder) if _PART_FILE.fullmatch(entry.name)]
    except OSError:
        return 0
    for entry in candidates:
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue  # gone already, or not ours to delete: the export goes on
    return removed


def _open_temporary(path: Path, flavour: ExportFlavour) -> tuple[Path, TextIO]:
    """A new file beside ``path``: on the same file system, so it can replace it atomically."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    # newline="": line endings are written as given, inside quoted cells too.
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
    """Write the leads matching ``lead_filter`` to a CSV file at ``path``; return how many.

    ``lead_ids`` (a selection) narrows the export to those leads. Leads in the
    trash are never exported. ``should_cancel()`` is asked before each chunk
    and ends the export with ``ExportCancelled``; a destination that cannot be
    written raises ``UserError``. Either way a file already at ``path`` stays
    as it was.
    """
    destination = expanded(path)
    check_destination(destination)
    remove_stale_parts(destination.parent)
    columns = _export_columns()
    header = flavour.delimiter.join(quoted(column.header, flavour.delimiter) for column in columns)
    try:
        temporary, stream = _open_temporary(destination, flavour)
    except OSError as error:
        raise cannot_write(destination, error) from None
    written = 0
    try:
        with stream:
            stream.write(header + LINE_END)
            # One read transaction: the count and every chunk see the same leads.
            # No cyclic garbage collection meanwhile: each chunk makes thousands
            # of tuples, none in a cycle, and each collection walks them all.
            with ctx.db.reading() as connection, connection.begin(), collector_paused():
                layout = choose_layout(connection, columns, flavour)
                total, chunks = _read(
                    connection,
                    layout,
                    flavour,
                    lead_filter,
                    lead_ids,
                    counted=progress is not None,
                )
                # closing(): a cancel ends the statement before its connection goes.
                with closing(chunks):
                    if progress is not None:
                        progress(0, total)
                    for rows in chunks:
                        if should_cancel is not None and should_cancel():
                            raise ExportCancelled("The export was cancelled.")
                        if rows:
                            _write(stream, chunk_text(rows, layout, flavour))
                        written += len(rows)
                        if progress is not None:
                            progress(written, total)
            stream.flush()
            # On disk before it takes the user's file name: a power cut just
            # after the rename must not leave an empty file there.
            os.fsync(stream.fileno())
        os.replace(temporary, destination)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise cannot_write(destination, error) from None
        raise
    return written
