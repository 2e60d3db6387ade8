"""Opening any real CSV file: its encoding, delimiter and header row, then its rows.

``sniff`` looks at the first 64 KiB (and the whole header row, however long) and
returns a ``CsvFormat`` the user may correct (the import wizard shows it);
``iter_rows`` then streams the whole file through the stdlib ``csv`` module, so
memory stays flat however large it is. A cell may hold up to ``MAX_CELL_CHARS``
characters; a longer one is refused by its line and column without ever being
held whole, so a hostile file cannot make the import take more memory than that.

Every way a file can be unusable ends in ``UnusableFileError`` whose message is
one sentence for the user; no other exception escapes for any byte content.
The encoding is guessed by ``encoding_detection``, lines are read under the cell
limit by ``bounded_lines`` and the error sentences live in ``file_errors``.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple, TextIO

from leaddesk.core.csv_import.bounded_lines import MAX_CELL_CHARS, LineFeed
from leaddesk.core.csv_import.encoding_detection import (
    BINARY_FILE,
    detect_encoding,
    error_handler,
    starts_with_bom,
)
from leaddesk.core.csv_import.export_headers import is_leaddesk_export
from leaddesk.core.csv_import.file_errors import (
    UnusableFileError,
    not_in_encoding,
    unreadable_record,
)

SAMPLE_BYTES = 64 * 1024
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")

StrPath = str | os.PathLike[str]


@dataclass(frozen=True, slots=True)
class CsvFormat:
    """How to read one file. Detected by ``sniff``; every field may be overridden."""

    encoding: str
    """A Python codec name, e.g. 'utf-8-sig', 'utf-16', 'cp1252'."""
    delimiter: str
    header_line_number: int
    """1-based physical line on which the header record starts."""
    headers: tuple[str, ...]
    has_bom: bool = False
    line_ending: str = "\r\n"
    """What the file mostly uses: '\\r\\n', '\\n' or '\\r'. Informative only."""


class SourceRow(NamedTuple):
    """One record of the file, as text, with the physical line where it starts."""

    line_number: int
    values: list[str]


# --- delimiter and header detection ----------------------------------------------

_SEP_HINT = re.compile(r'"?sep=(.)"?(?:\r\n|\r|\n|$)')
_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_NUMBER_LIKE = re.compile(r"[\d\s.,:/+()-]+")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


def _is_own_export(text: str) -> bool:
    """Whether ``text`` starts with the header row of LeadDesk's own export.

    Such a file holds whatever its leads hold -- pasted terminal output full of
    control characters, say -- and LeadDesk wrote it as text, so it is no binary
    file however many of them it has.
    """
    first_line = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    for delimiter in (",", ";"):
        try:
            record = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        if record and is_leaddesk_export(_clean_headers(record)):
            return True
    return False


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Records of ``text`` with the physical line each one starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    start = 1
    for record in reader:
        records.append((start, record))
        start = reader.line_num + 1
    return records


def _is_blank(record: list[str]) -> bool:
    return not any(cell.strip() for cell in record)


def _effective_width(record: list[str]) -> int:
    width = len(record)
    while width and not record[width - 1].strip():
        width -= 1
    return width


def _consistency(records: list[tuple[int, list[str]]]) -> tuple[float, int]:
    """How regularly ``records`` split: share of records having the modal width, and it."""
    widths = Counter(len(record) for _, record in records if not _is_blank(record))
    if not widths:
        return 0.0, 0
    width, count = widths.most_common(1)[0]
    return count / widths.total(), width


def _choose_delimiter(text: str) -> str:
    best_key: tuple[float, int, int] = (0.0, 1, 0)
    best = DELIMITERS[0]
    for preference, delimiter in enumerate(DELIMITERS):
        share, width = _consistency(_records(text, delimiter))
        key = (share, width, -preference)
        if width >= 2 and key > best_key:
            best_key, best = key, delimiter
    return best


def _find_header(records: list[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    candidates = [(line, record) for line, record in records if not _is_blank(record)]
    if not candidates:
        raise UnusableFileError("The file is empty.")
    widths = Counter(_effective_width(record) for _, record in candidates)
    modal_width = widths.most_common(1)[0][0]
    # A preamble ("Notes:" in LinkedIn exports) is narrower than the table below it.
    needed = 1 if modal_width < 2 else max(2, modal_width // 2 + 1)
    for line, record in candidates:
        if _effective_width(record) >= needed:
            return line, record
    return candidates[0]


def _check_header(header: list[str]) -> None:
    cells = [cell.strip() for cell in header if cell.strip()]
    if any(_EMAIL_LIKE.fullmatch(cell) for cell in cells) or all(
        _NUMBER_LIKE.fullmatch(cell) for cell in cells
    ):
        raise UnusableFileError(
            "The file has no header row: its first line already holds data, not column names."
        )


def _clean_headers(header: list[str]) -> tuple[str, ...]:
    width = _effective_width(header)
    return tuple(
        cell.replace("\x00", "").strip().strip("\ufeff").strip() or f"Column {index + 1}"
        for index, cell in enumerate(header[:width])
    )


def _line_ending(text: str) -> str:
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    lone_lf = text.count("\n") - crlf
    counts = {"\r\n": crlf, "\n": lone_lf, "\r": lone_cr}
    return max(counts, key=lambda ending: counts[ending])


def _read_head(path: StrPath) -> bytes:
    try:
        with open(path, "rb") as stream:
            return stream.read(SAMPLE_BYTES + 1)
    except IsADirectoryError:
        raise UnusableFileError("This is a folder, not a CSV file.") from None
    except FileNotFoundError:
        raise UnusableFileError("The file does not exist.") from None
    except OSError as error:
        raise UnusableFileError(f"The file could not be read ({error.strerror}).") from None


def sniff(
    path: StrPath,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_line_number: int | None = None,
) -> CsvFormat:
    """Detect how to read ``path``; any argument given overrides what is detected.

    Raises UnusableFileError when the file cannot be used at all.
    """
    head = _read_head(path)
    if not head.strip():
        raise UnusableFileError("The file is empty.")
    is_whole_file = len(head) <= SAMPLE_BYTES
    head = head[:SAMPLE_BYTES]

    if encoding is None:
        encoding, has_bom = detect_encoding(head, is_whole_file)
    else:
        has_bom = starts_with_bom(head)
    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors=error_handler(encoding))
        text = decoder.decode(head, final=is_whole_file)
    except LookupError:
        raise UnusableFileError(f"'{encoding}' is not a known text encoding.") from None
    except UnicodeError:
        raise not_in_encoding(encoding) from None
    if len(_CONTROL_CHARS.findall(text)) > max(2, len(text) // 20) and not _is_own_export(text):
        raise UnusableFileError(BINARY_FILE)
    if not text.strip():
        raise UnusableFileError("The file is empty.")

    first_line = 1
    hint = _SEP_HINT.match(text)
    if hint and delimiter is None:
        delimiter, first_line = hint.group(1), 2
    if delimiter is None:
        delimiter = _choose_delimiter(text)
    elif len(delimiter) != 1 or delimiter in '\r\n"':
        raise UnusableFileError("The column separator must be a single character.")

    records = _records(text, delimiter)
    if not is_whole_file:
        # The sample cut its last record short: read it whole, for it may be a
        # header row longer than the sample (a table of thousands of columns).
        last_line = records[-1][0]
        try:
            records[-1] = (last_line, _record_at(path, encoding, delimiter, last_line))
        except UnusableFileError:
            if len(records) == 1:
                raise
            # A data row the import reads again, and refuses naming its column.
            records.pop()
    records = [(line, record) for line, record in records if line >= first_line]
    if header_line_number is None:
        header_line_number, header = _find_header(records)
        _check_header(header)
    else:
        header = next((record for line, record in records if line == header_line_number), [])
        if _is_blank(header):
            raise UnusableFileError(f"Line {header_line_number} holds no column names.")
    return CsvFormat(
        encoding=encoding,
        delimiter=delimiter,
        header_line_number=header_line_number,
        headers=_clean_headers(header),
        has_bom=has_bom,
        line_ending=_line_ending(text),
    )


def _record_at(path: StrPath, encoding: str, delimiter: str, line_number: int) -> list[str]:
    """The whole record starting on physical line ``line_number``."""
    fmt = CsvFormat(encoding, delimiter, header_line_number=0, headers=())
    for start, record in iter_records(path, fmt):
        if start >= line_number:
            return record if start == line_number else []
    return []


def iter_rows(path: StrPath, fmt: CsvFormat) -> Iterator[SourceRow]:
    """The records after the header, streamed; fully blank records are skipped.

    Raises UnusableFileError if the file turns out unreadable part-way through.
    """
    for line_number, values in iter_records(path, fmt):
        yield SourceRow(line_number, values)


def iter_records(
    path: StrPath,
    fmt: CsvFormat,
    on_torn: Callable[[int, list[str]], bool] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """``iter_rows`` as plain (line number, values) pairs, for the import's hot loop.

    A NamedTuple costs more to make than the csv module takes to read the record.
    With ``on_torn``, a last record whose line has no line end (the file may still
    be being written, or was cut short) goes to ``on_torn``, and is yielded only
    when it returns True (whole after all: a settled file that simply ends so).
    Raises CellTooLargeError for a cell over ``MAX_CELL_CHARS``.
    """
    try:
        errors = error_handler(fmt.encoding)
    except LookupError:
        raise UnusableFileError(f"'{fmt.encoding}' is not a known text encoding.") from None
    csv.field_size_limit(MAX_CELL_CHARS)
    try:
        with open(path, encoding=fmt.encoding, errors=errors, newline="") as stream:
            yield from _stream_records(stream, fmt, on_torn)
    except UnicodeError:
        # Not a byte that cannot be decoded (those are replaced) but a file that
        # is not in this encoding at all: UTF-16 chosen for a file without a BOM.
        raise not_in_encoding(fmt.encoding) from None
    except OSError as error:
        raise UnusableFileError(f"The file could not be read ({error.strerror}).") from None


def _stream_records(
    stream: TextIO, fmt: CsvFormat, on_torn: Callable[[int, list[str]], bool] | None
) -> Iterator[tuple[int, list[str]]]:
    feed = LineFeed(fmt.delimiter, fmt.headers)
    reader = csv.reader(feed.lines(stream), delimiter=fmt.delimiter)
    header_line = fmt.header_line_number
    start = 1
    try:
        for record in reader:
            if (
                start > header_line
                and any(record)
                and (not feed.torn or on_torn is None or on_torn(start, record))
            ):
                yield start, record
            start = feed.record_start = reader.line_num + 1
    except csv.Error as error:
        if str(error).startswith("field larger than field limit"):
            raise feed.too_large(start, stream.readline) from None
        raise unreadable_record(start) from None
