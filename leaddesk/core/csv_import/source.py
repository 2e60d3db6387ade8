"""The import's source: a CSV file or a sheet of an Excel workbook, read the same way.

Either gives a header and then rows of text with their line (or row) number,
which is all the mapping, the row parser and the import need. Which reader a
file gets is decided by its content (``xlsx_reader.workbook_kind``), so an old
.xls or a password-protected workbook gets its own sentence rather than the
CSV reader's "binary file".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from leaddesk.core.csv_import.file_errors import UnusableFileError
from leaddesk.core.csv_import.reader import CsvFormat, SourceRow, StrPath, iter_records, sniff
from leaddesk.core.csv_import.xlsx_reader import (
    SheetFormat,
    iter_sheet_records,
    sniff_workbook,
    workbook_kind,
)

SourceFormat = CsvFormat | SheetFormat
"""How to read a file: its encoding and delimiter, or its sheet; both have the header."""


def is_workbook(path: StrPath) -> bool:
    """Whether ``path`` is an Excel file (a readable workbook, an old .xls or a protected one)."""
    return workbook_kind(path) is not None


def sniff_source(
    path: StrPath,
    *,
    sheet: str | None = None,
    header_line_number: int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    zone: dt.tzinfo | None = None,
) -> SourceFormat:
    """Detect how to read ``path``: a workbook's ``sheet`` (None: the first), or a CSV file.

    Any argument given overrides what is detected; ``encoding`` and
    ``delimiter`` concern CSV files only. Raises UnusableFileError when the
    file cannot be used, or when a sheet is named for a file that is not a
    workbook.
    """
    if is_workbook(path):
        return sniff_workbook(
            path, sheet=sheet, header_line_number=header_line_number, zone=_zone(zone)
        )
    if sheet is not None:
        raise UnusableFileError("This file is not an Excel workbook, so it has no sheets.")
    return sniff(
        path, encoding=encoding, delimiter=delimiter, header_line_number=header_line_number
    )


def iter_source_records(
    path: StrPath,
    fmt: SourceFormat,
    *,
    zone: dt.tzinfo | None = None,
    on_torn: Callable[[int, list[str]], bool] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """The records after the header as (line or row number, texts); blank ones skipped.

    ``zone``: where a workbook's date-times were typed; None is this machine's zone.
    ``on_torn``: a CSV file's last record without its line end (see ``iter_records``);
    a sheet has no line ends to lose.
    """
    if isinstance(fmt, SheetFormat):
        return iter_sheet_records(path, fmt, zone=_zone(zone))
    return iter_records(path, fmt, on_torn)


def iter_source_rows(path: StrPath, fmt: SourceFormat) -> Iterator[SourceRow]:
    """``iter_source_records`` as ``SourceRow``s, for the wizard."""
    for line_number, values in iter_source_records(path, fmt):
        yield SourceRow(line_number, values)


def _zone(zone: dt.tzinfo | None) -> dt.tzinfo:
    if zone is not None:
        return zone
    from leaddesk.core.agenda import system_zone  # only workbooks need it

    return system_zone()
