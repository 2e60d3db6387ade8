"""Opening an Excel workbook (.xlsx, .xlsm): one sheet, its header row, then its rows.

The rows come out as the CSV reader's do -- a line (here: row) number and a list
of texts -- so the mapping, the row parser, duplicates and undo are the CSV
import's own. Typed cells become the text the CSV path reads unambiguously:

- a date becomes ISO '2026-04-03' (never '03/04/2026', which a column's date
  order could turn into March); a date-time becomes ISO with the offset of the
  zone it was typed in ('2026-03-01 09:30:00+01:00'): spreadsheets hold local
  wall-clock times, and LeadDesk's own .xlsx export writes them so;
- a whole number prints without '.0' (phone numbers and postcodes typed as
  numbers), other numbers in full without an exponent;
- TRUE/FALSE as Excel shows them; a formula is read as the value Excel cached
  for it (we never evaluate one), and text such as '=1+1' stays that text.

The sheet is read by python-calamine (Rust), chosen over openpyxl's read-only
mode by measurement (benchmarks/README.md). It loads a whole sheet at once, so
the sheet loaded to detect the header is kept for the import that follows
(``_SheetMemo``) rather than loaded twice.

Every way a workbook can be unusable ends in ``UnusableFileError`` with one
sentence for the user.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, SheetTypeEnum

from leaddesk.core.csv_import.file_errors import UnusableFileError
from leaddesk.core.csv_import.reader import StrPath

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
HEADER_SEARCH_ROWS = 30
"""Rows looked at for the header row (a title or notes may stand above the table)."""

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Excel stores a workbook protected with a password as an OLE2 file whose
# directory names these streams (in UTF-16).
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")

PASSWORD_MESSAGE = (
    "This workbook is protected with a password; save a copy without the password "
    "in Excel and import that."
)
OLD_EXCEL_MESSAGE = (
    "This is an old Excel workbook (.xls); open it in Excel and save it as .xlsx or CSV first."
)
DAMAGED_MESSAGE = (
    "This Excel workbook is damaged and cannot be read; open it in Excel and save it again."
)

Cell = str | float | int | bool | dt.date | dt.datetime | dt.time | dt.timedelta


@dataclass(frozen=True, slots=True)
class SheetFormat:
    """How to read one sheet of a workbook. Detected by ``sniff_workbook``."""

    sheet: str
    """The sheet read."""
    sheets: tuple[str, ...]
    """Every worksheet of the workbook, in workbook order (for a sheet chooser)."""
    header_line_number: int
    """1-based row number of the header row, as Excel numbers rows."""
    headers: tuple[str, ...]
    row_count: int
    """Rows below the header (blank ones included): the import's progress counts these."""


def workbook_kind(path: StrPath) -> str | None:
    """'xlsx' for an Excel workbook, 'ole2' for an old .xls or a protected one, else None.

    Judged by content (a workbook saved as 'leads.csv' is still one), with the
    name deciding only for a ZIP file that is not plainly a workbook.
    """
    try:
        with open(path, "rb") as stream:
            head = stream.read(64 * 1024)
    except OSError:
        return None  # the CSV reader says why the file cannot be read
    if head.startswith(_OLE2):
        return "ole2"
    if not head.startswith(_ZIP):
        return None
    if Path(path).suffix.lower() in WORKBOOK_SUFFIXES:
        return "xlsx"
    try:
        with zipfile.ZipFile(path) as archive:
            return "xlsx" if "xl/workbook.xml" in archive.namelist() else None
    except (zipfile.BadZipFile, OSError):
        return None


def _ole2_message(path: StrPath) -> str:
    try:
        with open(path, "rb") as stream:
            head = stream.read(1024 * 1024)
    except OSError as error:
        return f"The file could not be read ({error.strerror})."
    suffix = Path(path).suffix.lower()
    if _ENCRYPTED_MARK in head or suffix in WORKBOOK_SUFFIXES:
        return PASSWORD_MESSAGE
    return OLD_EXCEL_MESSAGE


# --- loading a sheet once -----------------------------------------------------------


class _SheetMemo:
    """The last sheet loaded, kept until the import has read it to the end.

    calamine loads a whole sheet at once (a second or so at 100,000 rows);
    detecting the header, the wizard's preview and the import then share one
    load. The key includes the file's size and modification time, so a file
    saved again in between is loaded again.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._file: tuple[str, int, int] | None = None
        self._value: tuple[tuple[str, ...], str, CalamineSheet] | None = None

    def load(self, path: StrPath, sheet: str | None) -> tuple[tuple[str, ...], str, CalamineSheet]:
        """The workbook's sheet names, the sheet's name and the sheet (``None``: the first)."""
        try:
            status = os.stat(path)
        except FileNotFoundError:
            raise UnusableFileError("The file does not exist.") from None
        except OSError as error:
            raise UnusableFileError(f"The file could not be read ({error.strerror}).") from None
        file = (os.path.abspath(path), status.st_size, status.st_mtime_ns)
        with self._lock:
            value = self._value
            if value is not None and self._file == file and (sheet or value[0][0]) == value[1]:
                return value
            self._file = self._value = None  # let go of the old sheet before loading
            value = _load_sheet(path, sheet)
            self._file, self._value = file, value
            return value

    def forget(self, sheet: CalamineSheet) -> None:
        with self._lock:
            if self._value is not None and self._value[2] is sheet:
                self._file = self._value = None


_MEMO = _SheetMemo()


def _load_sheet(path: StrPath, sheet: str | None) -> tuple[tuple[str, ...], str, CalamineSheet]:
    if workbook_kind(path) == "ole2":
        raise UnusableFileError(_ole2_message(path))
    try:
        workbook = CalamineWorkbook.from_path(os.fspath(path))
    except CalamineError as error:
        if "password" in str(error).lower():
            raise UnusableFileError(PASSWORD_MESSAGE) from None
        raise UnusableFileError(DAMAGED_MESSAGE) from None
    except OSError as error:
        raise UnusableFileError(f"The file could not be read ({error.strerror}).") from None
    try:
        metadata = workbook.sheets_metadata
        names = tuple(item.name for item in metadata if item.typ == SheetTypeEnum.WorkSheet)
        if not names:
            raise UnusableFileError("This workbook has no worksheet, only charts.")
        if sheet is None:
            sheet = names[0]
        elif sheet not in names:
            raise UnusableFileError(
                f"The workbook has no sheet named '{sheet}'; its sheets are "
                + ", ".join(f"'{name}'" for name in names)
                + "."
            )
        try:
            loaded = workbook.get_sheet_by_name(sheet)
        except CalamineError:
            raise UnusableFileError(DAMAGED_MESSAGE) from None
    finally:
        workbook.close()
    return names, sheet, loaded


# --- cells as text ------------------------------------------------------------------


def _number_text(value: float) -> str:
    if value.is_integer():
        return str(int(value))
    # The shortest text that reads back as the same float, never in exponent form.
    return format(Decimal(repr(value)), "f")


def cell_text(value: Cell, zone: dt.tzinfo) -> str:
    """One cell as the text the CSV import would read the same way (see the module doc)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        return _number_text(value)
    if isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=zone) if value.tzinfo is None else value
        return moment.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    # A duration ('1:30' formatted as [h]:mm): as Excel shows it by default.
    return str(value)


def _row_texts(row: Sequence[Cell], zone: dt.tzinfo) -> list[str]:
    return [cell if type(cell) is str else cell_text(cell, zone) for cell in row]


# --- the header row -----------------------------------------------------------------


def _effective_width(row: Sequence[Cell]) -> int:
    width = len(row)
    while width and (row[width - 1] == "" or str(row[width - 1]).strip() == ""):
        width -= 1
    return width


def _find_header(rows: Sequence[tuple[int, Sequence[Cell]]]) -> tuple[int, Sequence[Cell]]:
    candidates = [(number, row) for number, row in rows if _effective_width(row)]
    if not candidates:
        raise UnusableFileError("The sheet is empty.")
    widest = max(_effective_width(row) for _number, row in candidates)
    # A title above the table ("Trade fair contacts") is narrower than the table.
    needed = 1 if widest < 2 else max(2, widest // 2 + 1)
    for number, row in candidates:
        if _effective_width(row) >= needed:
            return number, row
    return candidates[0]


def _check_header(header: Sequence[Cell]) -> None:
    cells = [cell for cell in header[: _effective_width(header)] if str(cell).strip()]
    if cells and not any(isinstance(cell, str) and "@" not in cell for cell in cells):
        raise UnusableFileError(
            "The sheet has no header row: its first row already holds data, not column names."
        )


def _clean_headers(header: Sequence[Cell], zone: dt.tzinfo) -> tuple[str, ...]:
    width = _effective_width(header)
    return tuple(
        cell_text(cell, zone).strip() or f"Column {index + 1}"
        for index, cell in enumerate(header[:width])
    )


def _first_row_number(loaded: CalamineSheet) -> int:
    start = loaded.start
    return 1 if start is None else start[0] + 1


def sniff_workbook(
    path: StrPath,
    *,
    sheet: str | None = None,
    header_line_number: int | None = None,
    zone: dt.tzinfo = dt.UTC,
) -> SheetFormat:
    """How to read ``sheet`` of the workbook at ``path`` (None: its first worksheet).

    Raises UnusableFileError for a damaged, protected or old (.xls) workbook,
    an unknown sheet or an empty one.
    """
    names, name, loaded = _MEMO.load(path, sheet)
    first = _first_row_number(loaded)
    rows: list[tuple[int, Sequence[Cell]]] = []
    wanted = HEADER_SEARCH_ROWS if header_line_number is None else header_line_number - first + 1
    for number, row in enumerate(loaded.iter_rows(), first):
        if len(rows) >= max(1, wanted):
            break
        rows.append((number, row))
    if not any(_effective_width(row) for _number, row in rows):
        raise UnusableFileError(f"The sheet '{name}' is empty.")
    if header_line_number is None:
        header_line_number, header = _find_header(rows)
        _check_header(header)
    else:
        header = next((row for number, row in rows if number == header_line_number), [])
        if not _effective_width(header):
            raise UnusableFileError(f"Row {header_line_number} holds no column names.")
    last = first + loaded.height - 1
    return SheetFormat(
        sheet=name,
        sheets=names,
        header_line_number=header_line_number,
        headers=_clean_headers(header, zone),
        row_count=max(0, last - header_line_number),
    )


def iter_sheet_records(
    path: StrPath, fmt: SheetFormat, *, zone: dt.tzinfo = dt.UTC
) -> Iterator[tuple[int, list[str]]]:
    """The rows below the header as (row number, texts); fully blank rows are skipped.

    ``zone`` is where the workbook's date-times were typed (the user's zone).
    """
    _names, _name, loaded = _MEMO.load(path, fmt.sheet)
    header_line = fmt.header_line_number
    row_texts = _row_texts
    finished = False
    try:
        for number, row in enumerate(loaded.iter_rows(), _first_row_number(loaded)):
            # any(): the common test; a row of zeros or FALSE only is not blank either.
            if number > header_line and (any(row) or any(cell != "" for cell in row)):
                yield number, row_texts(row, zone)
        finished = True
    except CalamineError:
        raise UnusableFileError(DAMAGED_MESSAGE) from None
    finally:
        if finished:
            # Read to the end: the import is done with it; its memory goes.
            _MEMO.forget(loaded)
