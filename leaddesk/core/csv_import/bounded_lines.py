"""A CSV file's lines for ``csv.reader``, read in bounded pieces under a cell-size limit.

Owns ``MAX_CELL_CHARS`` and ``CellTooLargeError``: a line too long to read at once is
read piece by piece while its cells are measured, so a cell over the limit is refused by
its line and column without ever being held whole. It also notes a torn last line (one
with no line end), which the reader passes to its caller to judge.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TextIO

from leaddesk.core.csv_import.file_errors import UnusableFileError, unreadable_record

MAX_CELL_CHARS = 1024 * 1024
"""The longest cell LeadDesk takes (1 MB of text): far above any real lead's notes."""
# Lines are read in pieces of this many characters; a longer line is read piece by
# piece while its cells are measured, so a giant cell is refused before it is held.
_PIECE_CHARS = MAX_CELL_CHARS
_SMALL_PIECE_CHARS = 64 * 1024


class CellTooLargeError(UnusableFileError):
    """A cell longer than ``MAX_CELL_CHARS``, named by its line and column."""

    def __init__(self, line_number: int, column: str, chars: int) -> None:
        super().__init__(
            f"Line {line_number}, column {column} is {megabytes(chars)}; "
            f"LeadDesk takes cells up to {megabytes(MAX_CELL_CHARS)}."
        )
        self.line_number = line_number
        self.column = column
        self.chars = chars


def megabytes(chars: int) -> str:
    """``chars`` as a size a user reads, e.g. '1 MB' or '2.5 MB'."""
    size = chars / (1024 * 1024)
    return f"{size:.0f} MB" if size >= 10 or size == int(size) else f"{size:.1f} MB"


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


class LineFeed:
    """The file's lines for csv.reader, read in bounded pieces.

    It keeps the lines of the record being read (``record_start`` is set by the
    reader's loop) so that a line too long to read at once can be measured from
    the state the csv module is in; ``torn`` is set when the file's last line has
    no line end.
    """

    def __init__(self, delimiter: str, headers: tuple[str, ...]) -> None:
        self.delimiter = delimiter
        self.headers = headers
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
            raise unreadable_record(held_from)

    def _scan_held(self) -> _CellScan:
        scan = _CellScan(self.delimiter)
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
                f"{megabytes(MAX_CELL_CHARS)}, more than LeadDesk takes."
            )
        return self._measured(scan, line_number, readline)

    def _measured(
        self, scan: _CellScan, line_number: int, readline: Callable[[int], str]
    ) -> UnusableFileError:
        self.held.clear()
        while scan.over_length is None and (piece := readline(_SMALL_PIECE_CHARS)):
            scan.feed(piece)
        if scan.over_length is None and scan.state == _IN_QUOTED:
            return unreadable_record(line_number)
        chars = scan.finish() or 0
        column = scan.over or 0
        headers = self.headers
        name = headers[column] if column < len(headers) else f"Column {column + 1}"
        return CellTooLargeError(line_number, name, chars)
