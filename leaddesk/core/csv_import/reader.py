"""Opening any real CSV file: its encoding, delimiter and header row, then its rows.

``sniff`` looks at the first 64 KiB (and the whole header row, however long) and
returns a ``CsvFormat`` the user may correct (the import wizard shows it);
``iter_rows`` then streams the whole file through the stdlib ``csv`` module, so
memory stays flat however large it is. A cell may hold up to ``MAX_CELL_CHARS``
characters; a longer one is refused by its line and column without ever being
held whole, so a hostile file cannot make the import take more memory than that.

Every way a file can be unusable ends in ``UnusableFileError`` whose message is
one sentence for the user; no other exception escapes for any byte content.
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

from leaddesk.core.csv_import.export_headers import is_leaddesk_export

SAMPLE_BYTES = 64 * 1024
MAX_CELL_CHARS = 1024 * 1024
"""The longest cell LeadDesk takes (1 MB of text): far above any real lead's notes."""
# Lines are read in pieces of this many characters; a longer line is read piece by
# piece while its cells are measured, so a giant cell is refused before it is held.
_PIECE_CHARS = MAX_CELL_CHARS
_SMALL_PIECE_CHARS = 64 * 1024
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")

StrPath = str | os.PathLike[str]


NO_DATA_ROWS = "The file has column names but no rows of leads below them."
"""Why a file with a header and nothing else cannot be imported (a user's mistake)."""


class UnusableFileError(Exception):
    """A file that cannot be imported at all. The message is one sentence for a user."""


class CellTooLargeError(UnusableFileError):
    """A cell longer than ``MAX_CELL_CHARS``, named by its line and column."""

    def __init__(self, line_number: int, column: str, chars: int) -> None:
        super().__init__(
            f"Line {line_number}, column {column} is {_megabytes(chars)}; "
            f"LeadDesk takes cells up to {_megabytes(MAX_CELL_CHARS)}."
        )
        self.line_number = line_number
        self.column = column
        self.chars = chars


TORN_LAST_LINE = "The last line has no line end: the file may be incomplete."
"""Why the last record of a file that does not end in a line end is not imported."""


def _megabytes(chars: int) -> str:
    size = chars / (1024 * 1024)
    return f"{size:.0f} MB" if size >= 10 or size == int(size) else f"{size:.1f} MB"


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


# --- decoding without ever failing -------------------------------------------------

_UTF8_FALLBACK = "leaddesk-utf8-fallback"
_CP1252_FALLBACK = "leaddesk-cp1252-fallback"


def _decode_undefined_cp1252(error: UnicodeError) -> tuple[str, int]:
    # cp1252 leaves five bytes undefined; browsers (WHATWG) decode them as the C1
    # controls latin-1 gives them, so the file still reads and the bytes survive.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


def _decode_stray_bytes_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    # A file that is UTF-8 for its first 64 KiB can still hold a Windows-1252 name
    # further down (files pasted together from two exports): read those bytes as
    # cp1252 instead of failing the import half-way or writing U+FFFD into names.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    stray = error.object[error.start : error.end]
    return stray.decode("cp1252", errors=_CP1252_FALLBACK), error.end


codecs.register_error(_CP1252_FALLBACK, _decode_undefined_cp1252)
codecs.register_error(_UTF8_FALLBACK, _decode_stray_bytes_as_cp1252)


def _error_handler(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    if name in ("utf-8", "utf-8-sig"):
        return _UTF8_FALLBACK
    if name == "cp1252":
        return _CP1252_FALLBACK
    return "replace"


# --- encoding detection ------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
    (b"\x89PNG", "binary"),
    (b"%PDF", "binary"),
    (b"\xff\xd8\xff", "binary"),
    (b"GIF8", "binary"),
    (b"\x1f\x8b", "binary"),
    (b"SQLite format 3\x00", "binary"),
    (b"\x7fELF", "binary"),
)

_BINARY_MESSAGES = {
    "zip": "This looks like a ZIP archive or an Excel workbook; save it as CSV first.",
    "xls": "This looks like an Excel workbook; save it as CSV first.",
    "binary": "This looks like a binary file, not a CSV export.",
}

# Characters that occur in Western text read as cp1252 besides letters; anything
# else, or runs of three or more non-ASCII letters (typical of Cyrillic or Greek
# bytes read as cp1252), means the guess is unsure and charset-normalizer decides.
_WESTERN_SYMBOLS = frozenset("€£¥¢©®°±§¶·«»–—‘’‚“”„†‡•…‰‹›×÷¤¦¨ª¬¯²³´µ¸¹º¼½¾¿¡\u00a0")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


def _binary_kind(head: bytes) -> str | None:
    for signature, kind in _BINARY_SIGNATURES:
        if head.startswith(signature):
            if kind == "zip" and b"xl/" not in head and b"[Content_Types]" not in head:
                return "binary"
            return kind
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    # Text with mostly ASCII characters in UTF-16 has a NUL in every other byte.
    pairs = len(head) // 2
    if pairs < 2:
        return None
    nul_at_even = head[0 : pairs * 2 : 2].count(0)
    nul_at_odd = head[1 : pairs * 2 : 2].count(0)
    if nul_at_odd > pairs * 0.4 and nul_at_even < pairs * 0.05:
        return "utf-16-le"
    if nul_at_even > pairs * 0.4 and nul_at_odd < pairs * 0.05:
        return "utf-16-be"
    return None


def _is_plausible_cp1252(head: bytes) -> bool:
    text = head.decode("cp1252", errors=_CP1252_FALLBACK)
    for run in _NON_ASCII_RUN.findall(text):
        if len(run) >= 3 and run.isalpha():
            return False
        if any(not char.isalpha() and char not in _WESTERN_SYMBOLS for char in run):
            return False
    return True


def _guess_with_charset_normalizer(head: bytes) -> str:
    from charset_normalizer import from_bytes  # slow to import; needed for few files

    best = from_bytes(head).best()
    if best is None:
        return "cp1252"
    try:
        name = codecs.lookup(best.encoding).name
    except LookupError:
        return "cp1252"
    # Latin-1 and its cousins are strict subsets of what cp1252 reads well.
    if name in ("latin-1", "iso8859-1", "iso8859-15", "ascii"):
        return "cp1252"
    return name


def _detect_encoding(head: bytes, is_whole_file: bool) -> tuple[str, bool]:
    """The codec for ``head`` and whether the file starts with a byte-order mark."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, True
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16, False
    kind = _binary_kind(head)
    # A few stray NULs in a text file are removed from its cells on import; many
    # (over 1% of the bytes, and more than a broken export leaves) mean binary.
    if kind is not None or head.count(0) > max(8, len(head) // 100):
        raise UnusableFileError(_BINARY_MESSAGES[kind or "binary"])
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=is_whole_file)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", False
    if _is_plausible_cp1252(head):
        return "cp1252", False
    return _guess_with_charset_normalizer(head), False


# --- delimiter and header detection ----------------------------------------------

_SEP_HINT = re.compile(r'"?sep=(.)"?(?:\r\n|\r|\n|$)')
_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_NUMBER_LIKE = re.compile(r"[\d\s.,:/+()-]+")


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
        encoding, has_bom = _detect_encoding(head, is_whole_file)
    else:
        has_bom = any(head.startswith(bom) for bom, _ in _BOMS)
    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors=_error_handler(encoding))
        text = decoder.decode(head, final=is_whole_file)
    except LookupError:
        raise UnusableFileError(f"'{encoding}' is not a known text encoding.") from None
    except UnicodeError:
        raise _not_in_encoding(encoding) from None
    if len(_CONTROL_CHARS.findall(text)) > max(2, len(text) // 20) and not _is_own_export(text):
        raise UnusableFileError(_BINARY_MESSAGES["binary"])
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
        errors = _error_handler(fmt.encoding)
    except LookupError:
        raise UnusableFileError(f"'{fmt.encoding}' is not a known text encoding.") from None
    csv.field_size_limit(MAX_CELL_CHARS)
    try:
        with open(path, encoding=fmt.encoding, errors=errors, newline="") as stream:
            yield from _stream_records(stream, fmt, on_torn)
    except UnicodeError:
        # Not a byte that cannot be decoded (those are replaced) but a file that
        # is not in this encoding at all: UTF-16 chosen for a file without a BOM.
        raise _not_in_encoding(fmt.encoding) from None
    except OSError as error:
        raise UnusableFileError(f"The file could not be read ({error.strerror}).") from None


def _not_in_encoding(encoding: str) -> UnusableFileError:
    return UnusableFileError(f"The file is not written in the '{encoding}' text encoding.")


def _stream_records(
    stream: TextIO, fmt: CsvFormat, on_torn: Callable[[int, list[str]], bool] | None
) -> Iterator[tuple[int, list[str]]]:
    feed = _Feed(fmt)
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
        raise _unreadable(start) from None


def _unreadable(line_number: int) -> UnusableFileError:
    return UnusableFileError(
        f"The record starting on line {line_number} could not be read; it may hold a quote "
        "that is never closed."
    )


# --- cells over the limit, found without holding them ------------------------------

_START, _IN_FIELD, _IN_QUOTED, _QUOTE_IN_QUOTED = range(4)


class _CellScan:
    """Measures the cells of records as the csv module splits them, text piece by piece.

    Used only on lines too long to read at once: it finds the first cell over
    ``MAX_CELL_CHARS`` and, fed on, that cell's whole length, holding nothing.
    """

    def __init__(self, delimiter: str) -> None:
        self.delimiter = delimiter
        self._special = re.compile("[" + re.escape(delimiter) + "\r\n]")
        self.state = _START
        self.column = 0
        self.length = 0
        self.over: int | None = None
        """The column of the first cell over the limit, once one is seen."""
        self.over_length: int | None = None
        """That cell's whole length, once it has ended."""

    def _grow(self, chars: int) -> None:
        self.length += chars
        if self.over is None and self.length > MAX_CELL_CHARS:
            self.over = self.column

    def _end_field(self, char: str) -> None:
        if self.over is not None:
            self.over_length = self.length
        self.column = self.column + 1 if char == self.delimiter else 0
        self.length = 0
        self.state = _START

    def feed(self, text: str) -> None:
        index, end = 0, len(text)
        while index < end and self.over_length is None:
            state = self.state
            if state == _IN_QUOTED:
                found = text.find('"', index)
                if found < 0:
                    self._grow(end - index)
                    return
                self._grow(found - index)
                self.state, index = _QUOTE_IN_QUOTED, found + 1
            elif state == _IN_FIELD:
                match = self._special.search(text, index)
                if match is None:
                    self._grow(end - index)
                    return
                self._grow(match.start() - index)
                index = match.start()
                self._end_field(text[index])
                index += 1
            else:
                char = text[index]
                if char == '"':
                    if state == _QUOTE_IN_QUOTED:
                        self._grow(1)  # a doubled quote: one quote in the cell
                    self.state = _IN_QUOTED
                    index += 1
                elif char == self.delimiter or char in "\r\n":
                    self._end_field(char)
                    index += 1
                else:
                    self.state = _IN_FIELD  # a character after a closing quote is kept

    def finish(self) -> int | None:
        """The length of the cell over the limit (to the end of the file if it never ends)."""
        if self.over is not None and self.over_length is None:
            self.over_length = self.length
        return self.over_length


class _Feed:
    """The file's lines for csv.reader, read in bounded pieces.

    It keeps the lines of the record being read (``record_start`` is set by the
    reader's loop) so that a line too long to read at once can be measured from
    the state the csv module is in; ``torn`` is set when the file's last line has
    no line end.
    """

    def __init__(self, fmt: CsvFormat) -> None:
        self.fmt = fmt
        self.record_start = 1
        self.torn = False
        self.held: list[str] = []

    def lines(self, stream: TextIO) -> Iterator[str]:
        readline = stream.readline
        held = self.held
        held_from = 1
        while line := readline(_PIECE_CHARS):
            if self.record_start != held_from:
                held.clear()
                held_from = self.record_start
            if line[-1] not in "\r\n":
                if len(line) == _PIECE_CHARS:
                    line = self._whole_line(line, readline, held_from)
                self.torn = line[-1] not in "\r\n"
            held.append(line)
            yield line
        if held and self.record_start == held_from:
            # The csv module asks for more at the end of the file only when a
            # quoted cell is still open: everything after its quote would be one cell.
            raise _unreadable(held_from)

    def _scan_held(self) -> _CellScan:
        scan = _CellScan(self.fmt.delimiter)
        for text in self.held:
            scan.feed(text)
        return scan

    def _whole_line(self, first: str, readline: Callable[[int], str], line_number: int) -> str:
        """A line longer than one piece, read whole unless a cell in it is over the limit."""
        scan = self._scan_held()
        pieces = [first]
        scan.feed(first)
        piece = first
        while (
            scan.over is None
            and piece[-1] not in "\r\n"
            and (piece := readline(_SMALL_PIECE_CHARS))
        ):
            pieces.append(piece)
            scan.feed(piece)
        if scan.over is not None:
            pieces.clear()
            raise self._measured(scan, line_number, readline)
        return "".join(pieces)

    def too_large(self, line_number: int, readline: Callable[[int], str]) -> UnusableFileError:
        """The error for the record the csv module found a cell over the limit in."""
        scan = self._scan_held()
        if scan.over is None:
            return UnusableFileError(
                f"The record starting on line {line_number} has a cell over "
                f"{_megabytes(MAX_CELL_CHARS)}, more than LeadDesk takes."
            )
        return self._measured(scan, line_number, readline)

    def _measured(
        self, scan: _CellScan, line_number: int, readline: Callable[[int], str]
    ) -> UnusableFileError:
        self.held.clear()
        while scan.over_length is None and (piece := readline(_SMALL_PIECE_CHARS)):
            scan.feed(piece)
        if scan.over_length is None and scan.state == _IN_QUOTED:
            return _unreadable(line_number)
        chars = scan.finish() or 0
        column = scan.over or 0
        headers = self.fmt.headers
        name = headers[column] if column < len(headers) else f"Column {column + 1}"
        return CellTooLargeError(line_number, name, chars)
