"""Import leads from a CSV file or a sheet of an Excel workbook.

One import is one transaction: it either lands whole or not at all -- a cancel,
an unreadable record half-way, a crash or a kill leave the database as it was.
The file is streamed in chunks, so a million rows need no more memory than a
few thousand. Duplicates (of leads already there, or of earlier rows of the
same file) are settled by leaddesk.core.dedupe's rule -- an email decides; a
phone or a close name at the same company only where one side has no email --
and handled by the chosen DuplicatePolicy.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import chain, islice
from operator import attrgetter, methodcaller

from sqlalchemy import Connection, update

from leaddesk.core.csv_import.cell_problems import ParsedRow
from leaddesk.core.csv_import.column_values import sample_columns
from leaddesk.core.csv_import.file_errors import NO_DATA_ROWS, TORN_LAST_LINE, UnusableFileError
from leaddesk.core.csv_import.mapping import FULL_NAME, ColumnMapping, suggest_mapping
from leaddesk.core.csv_import.mapping_explanation import ColumnReason, explain_mapping
from leaddesk.core.csv_import.reader import CsvFormat
from leaddesk.core.csv_import.row_parser import RowParser
from leaddesk.core.csv_import.source import SourceFormat, iter_source_records, sniff_source
from leaddesk.core.csv_import.verdict import (
    IDENTIFYING_VALUES,
    rejection_reason,
    row_outcome,
    without_broken_records,
)
from leaddesk.core.csv_import.xlsx_reader import SheetFormat
from leaddesk.core.import_merge import DuplicatePolicy
from leaddesk.core.paths import readable_name
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing.batch_writer import (
    ImportBatchWriter,
    ParsedLine,
    contact_columns,
    status_columns,
)
from leaddesk.operations.importing.result import ImportResult
from leaddesk.storage.bulk_write import bulk_page_cache, collector_paused, quick_lock_handover
from leaddesk.storage.schema import import_batches
from leaddesk.storage.settings_store import read_settings

CHUNK_ROWS = 2000
SAMPLE_ROWS = 200
# A last line without its line end is whole (Google Sheets writes none) only when
# the file was last written this long before the import began reading it.
SETTLED_SECONDS = 2.0
IDENTIFYING_TARGETS = frozenset({"first_name", "last_name", FULL_NAME, "email", "phone"})


class ImportCancelled(Exception):
    """The user cancelled; the transaction was rolled back and nothing changed."""


@dataclass(frozen=True)
class ImportOptions:
    fmt: SourceFormat | None = None
    """How to read the file (for a workbook: which sheet); None detects it."""
    mapping: ColumnMapping | None = None
    """Which column is which field; None suggests one from the headers."""
    policy: DuplicatePolicy = DuplicatePolicy.SKIP
    dry_run: bool = False
    """Do everything, report the counts, then roll back."""
    default_region: str | None = None
    """Country for phone numbers without a country code; None uses the setting."""


def prepare_import(
    path: str | os.PathLike[str], fmt: SourceFormat | None = None, *, sheet: str | None = None
) -> tuple[SourceFormat, ColumnMapping]:
    """Detect how to read the file and suggest a mapping; refuse an unusable file.

    ``sheet`` chooses a workbook's sheet (None: the first). The mapping is
    proposed by the headers and confirmed by the first rows' values. A file
    without a row below its header is refused: importing it would only record
    an empty import.
    """
    try:
        fmt = fmt or sniff_source(path, sheet=sheet)
    except UnusableFileError as error:
        raise UserError(str(error)) from None
    samples = sample_values(path, fmt)
    return fmt, suggest_mapping(fmt.headers, samples)


def sample_values(path: str | os.PathLike[str], fmt: SourceFormat) -> list[list[str]]:
    """The first rows' cells, column by column; a file without rows is a UserError."""
    sample = [cells for _line, cells in islice(read_records(path, fmt), SAMPLE_ROWS)]
    if not sample:
        raise UserError(NO_DATA_ROWS)
    return sample_columns(sample, len(fmt.headers))


def explain_columns(
    path: str | os.PathLike[str], fmt: SourceFormat, mapping: ColumnMapping
) -> tuple[ColumnReason, ...]:
    """Why each column fills what it fills, judged on the file's first rows."""
    return explain_mapping(mapping, sample_values(path, fmt))


def check_mapping(mapping: ColumnMapping) -> None:
    if not IDENTIFYING_TARGETS & set(mapping.mapped_targets):
        raise UserError(
            "No column of this file identifies a lead; map a name, email or phone column."
        )


def read_records(
    path: str | os.PathLike[str],
    fmt: SourceFormat,
    on_torn: Callable[[int, list[str]], bool] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """The file's records with their line numbers; an unreadable one is a UserError.

    ``on_torn`` receives a last record whose line has no line end, and says
    whether it is read as a record after all.
    """
    try:
        yield from iter_source_records(path, fmt, on_torn=on_torn)
    except UnusableFileError as error:
        raise UserError(str(error)) from None


_PROBLEMS = attrgetter("problems")


def _parse(
    parser: RowParser, rows: list[tuple[int, list[str]]], result: ImportResult
) -> list[ParsedLine]:
    """Parsed rows worth importing; the others are rejected with their reason.

    Rows with a note or a warning are held by the result, which counts them
    once the writer has not skipped them.
    """
    all_values, parsed_whole = parser.parse_chunk_values([cells for _line, cells in rows])
    # The common chunk, settled without the cost of rejection_reason's general
    # rule (a noticeable share of the parsing): no problems, and everyone named --
    # by the first identifying field, or else by any (asked only of the rest).
    first, *others = IDENTIFYING_VALUES
    if not any(map(_PROBLEMS, parsed_whole.values())) and (
        all(map(methodcaller("get", first), all_values))
        or all(values.get(first) or any(map(values.get, others)) for values in all_values)
    ):
        return [
            (line_number, cells, values)
            for (line_number, cells), values in zip(rows, all_values, strict=True)
        ]
    kept: list[ParsedLine] = []
    for index, ((line_number, cells), values) in enumerate(zip(rows, all_values, strict=True)):
        parsed = parsed_whole.get(index)
        if (parsed is None or not parsed.problems) and any(map(values.get, IDENTIFYING_VALUES)):
            kept.append((line_number, cells, values))
            continue
        if parsed is None:
            parsed = ParsedRow(values, [])
        reason = rejection_reason(parsed)
        if reason is not None:
            result.reject(line_number, cells, reason)
            continue
        result.hold_row(line_number, cells, values, parsed.problems, row_outcome(parsed))
        kept.append((line_number, cells, values))
    return kept


def _file_state(path: str | os.PathLike[str]) -> tuple[int, int]:
    """What tells that a file changed: its size and modification time."""
    try:
        status = os.stat(path)
    except OSError as error:
        raise UserError(f"{readable_name(path)} could not be read ({error.strerror}).") from None
    return status.st_size, status.st_mtime_ns


def _check_unchanged(path: str | os.PathLike[str], before: tuple[int, int]) -> None:
    """Refuse a file another program wrote to while it was read (raised before the commit)."""
    try:
        after = _file_state(path)
    except UserError:
        after = (-1, -1)
    if after != before:
        raise UserError(
            f"{readable_name(path)} changed while it was being read; import it again once "
            "the other program has finished writing it."
        )


@dataclass(frozen=True)
class _Reading:
    """How one file is read: its records (the sample first), parser and size.

    ``state`` is the file's size and time before anything was read, checked again
    after its last record; ``torn`` receives a last record without its line end.
    """

    fmt: SourceFormat
    mapping: ColumnMapping
    records: Iterator[tuple[int, list[str]]]
    parser: RowParser
    total_bytes: int
    bytes_per_row: float
    expected_rows: int
    state: tuple[int, int]
    torn: list[tuple[int, list[str]]]


def _torn_judge(
    path: str | os.PathLike[str],
    fmt: SourceFormat,
    state: tuple[int, int],
    started: float,
    torn: list[tuple[int, list[str]]],
) -> Callable[[int, list[str]], bool]:
    """Whether a last record without its line end is whole; the others go to ``torn``.

    Whole: a complete record (its quotes closed, or the reader would have refused
    it; the header's number of cells) of a file unchanged since the import began
    and last written more than SETTLED_SECONDS before that -- a file another
    program has finished, which simply ends without a line end.
    """

    def judge(line_number: int, cells: list[str]) -> bool:
        settled = state[1] < (started - SETTLED_SECONDS) * 1e9
        if len(cells) == len(fmt.headers) and settled and _file_state(path) == state:
            return True
        torn.append((line_number, cells))
        return False

    return judge


def _start_reading(
    ctx: OperationContext, path: str | os.PathLike[str], options: ImportOptions
) -> _Reading:
    """Check the file and mapping, read a sample, and build the parser from it."""
    started = time.time()  # the file system's clock, as the file's time is
    state = _file_state(path)
    fmt, suggested = prepare_import(path, options.fmt)
    mapping = options.mapping or suggested
    check_mapping(mapping)
    torn: list[tuple[int, list[str]]] = []
    rows = read_records(path, fmt, _torn_judge(path, fmt, state, started, torn))
    sample = list(islice(rows, SAMPLE_ROWS))
    if isinstance(fmt, SheetFormat):
        # A sheet knows its rows: progress counts them (a "byte" is a row).
        total_bytes, bytes_per_row = max(1, fmt.row_count), 1.0
    else:
        total_bytes = max(1, state[0])
        sample_bytes = sum(len(fmt.delimiter.join(cells)) + 2 for _line, cells in sample)
        bytes_per_row = max(1.0, sample_bytes / max(1, len(sample)))
    with ctx.db.reading() as connection:
        region = options.default_region or read_settings(connection)["default_region"] or None
    parser = RowParser.from_sample(
        mapping,
        [cells for _line, cells in sample],
        default_region=region,
        now=ctx.clock.now(),
        # A workbook's text cells are never escaped: an apostrophe is the user's. A
        # CSV file's are unescaped only when it is LeadDesk's own export (None).
        undo_export_escaping=False if isinstance(fmt, SheetFormat) else None,
    )
    return _Reading(
        fmt=fmt,
        mapping=mapping,
        records=chain(sample, rows),
        parser=parser,
        total_bytes=total_bytes,
        bytes_per_row=bytes_per_row,
        expected_rows=int(total_bytes / bytes_per_row) + len(sample),
        state=state,
        torn=torn,
    )


def import_csv(
    ctx: OperationContext,
    path: str | os.PathLike[str],
    options: ImportOptions = ImportOptions(),
    *,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> ImportResult:
    """Import the leads of one CSV file in one transaction.

    ``progress(done, total)`` is called after each chunk (in bytes, estimated);
    ``should_cancel()`` is asked before each chunk. Raises UserError for a file
    that cannot be used (nothing is written) and ImportCancelled on cancel.
    """
    reading = _start_reading(ctx, path, options)
    result: ImportResult | None = None
    writer: ImportBatchWriter | None = None
    try:
        with ctx.db.transaction() as connection, ExitStack() as stack:
            batch_id = _start_batch(ctx, connection, readable_name(path), options, reading.mapping)
            stack.enter_context(bulk_page_cache(connection))
            stack.enter_context(collector_paused())
            stack.enter_context(quick_lock_handover())
            writer = ImportBatchWriter(
                ctx,
                connection,
                batch_id,
                options.policy,
                reading.expected_rows,
                status_columns=status_columns(reading.mapping),
                contact_columns=contact_columns(reading.mapping),
            )
            # Unwound before the transaction ends: its helper thread lets go of
            # the connection before the commit or the rollback.
            stack.callback(writer.close)
            writer.result.headers = reading.fmt.headers
            _write_chunks(writer, reading, progress, should_cancel)
            _finish_reading(path, reading, writer.result)
            writer.finish()
            result = writer.result
            _finish_batch(ctx, connection, batch_id, result)
            result.changes = _changes(writer, readable_name(path))
            if options.dry_run:
                raise _DryRunFinished
    except _DryRunFinished:
        assert result is not None
        result.batch_id = None
        result.changes = Changes()
    except BaseException:
        # Cancelled or failed: nothing was written, and the rejected rows go too.
        if writer is not None:
            writer.result.close()
        raise
    if progress is not None:
        progress(reading.total_bytes, reading.total_bytes)
    assert result is not None
    return result


def _start_batch(
    ctx: OperationContext,
    connection: Connection,
    file_name: str,
    options: ImportOptions,
    mapping: ColumnMapping,
) -> int:
    """The import's row in ``import_batches``; its id marks everything the import writes."""
    return int(
        connection.execute(
            import_batches.insert()
            .values(
                file_name=file_name,
                policy=options.policy.value,
                mapping={"headers": list(mapping.headers), "targets": list(mapping.targets)},
                started_at=ctx.clock.now(),
                created_by=ctx.actor,
            )
            .returning(import_batches.c.id)
        ).scalar_one()
    )


def _write_chunks(
    writer: ImportBatchWriter,
    reading: _Reading,
    progress: Callable[[int, int], None] | None,
    should_cancel: Callable[[], bool] | None,
) -> None:
    """Parse and write the file a chunk at a time, asking for a cancel before each."""
    total_bytes, bytes_per_row = reading.total_bytes, reading.bytes_per_row
    while True:
        if should_cancel is not None and should_cancel():
            raise ImportCancelled
        raw = list(islice(reading.records, CHUNK_ROWS))
        if not raw:
            break
        if isinstance(reading.fmt, CsvFormat):
            raw, broken = without_broken_records(raw, len(reading.fmt.headers))
            for line_number, cells, reason in broken:
                writer.result.reject(line_number, cells, reason)
        chunk = _parse(reading.parser, raw, writer.result)
        if chunk:
            writer.process_chunk(chunk)
        writer.result.settle_rows()
        done_rows = writer.result.rows
        if progress is not None:
            progress(min(total_bytes, int(done_rows * bytes_per_row)), total_bytes)


def _finish_reading(path: str | os.PathLike[str], reading: _Reading, result: ImportResult) -> None:
    """Reject a torn last record; refuse the whole file if it changed while read."""
    _check_unchanged(path, reading.state)
    for line_number, cells in reading.torn:
        # A writer stopped (or still writing) mid-line: the row may be cut short.
        result.reject(line_number, cells, TORN_LAST_LINE)


def _finish_batch(
    ctx: OperationContext, connection: Connection, batch_id: int, result: ImportResult
) -> None:
    connection.execute(
        update(import_batches)
        .where(import_batches.c.id == batch_id)
        .values(
            created=result.created,
            updated=result.updated,
            skipped=result.skipped,
            rejected=result.rejected,
            finished_at=ctx.clock.now(),
        )
    )


def _changes(writer: ImportBatchWriter, file_name: str) -> Changes:
    """What the import changed, for the views to refresh."""
    return Changes(
        created=frozenset(chain.from_iterable(writer.created_ranges)),
        # A lead a new one may duplicate shows the mark too (writer.marked_ids).
        updated=frozenset(writer.updated_ids | writer.marked_ids),
        board=bool(writer.result.created or writer.updated_ids),
        # New team members: owner lists (the form, Settings) read them again.
        settings=writer.owners_added > 0,
        description=f"Import {file_name}",
    )


class _DryRunFinished(Exception):
    """Raised inside the transaction to roll a dry run back."""
