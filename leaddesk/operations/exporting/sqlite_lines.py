"""The export's fast path on SQLite: each lead written as one line by the database.

Part of the export (leaddesk.operations.exporting), which selects these lines
(``_line``) and reads them a chunk at a time as undecoded UTF-8 (sqlite_chunks).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import lt
from typing import Any

from sqlalchemy import String, case, func, literal_column, type_coerce

from leaddesk.core.csv_import.safety import ESCAPE, FORMULA_TRIGGERS
from leaddesk.operations.exporting.cells import (
    ExportColumn,
    column_lines,
    format_datetimes,
    format_money,
    format_text,
)
from leaddesk.operations.exporting.flavour import LINE_END, QUOTE, ExportFlavour

# --- lines written by SQLite -----------------------------------------------------------
#
# On SQLite the database writes each lead as one line, ``printf`` joining its
# cells: fetching one value per lead instead of ~40 makes the read much quicker. Each cell
# is preceded by a mark telling its kind: control characters no value is
# expected to hold, and counting them proves it (see line_chunk_text). Then a few
# scans of the whole chunk at C speed do what the column functions of cells do
# cell by cell; any chunk they cannot settle is read again and goes the general
# way, so the file is the same either way (the tests compare it byte for byte).

_TEXT_MARK = "\x1f"
_PLAIN_MARK = "\x1d"
"""Cells written as they are: numbers, dates, yes/no, money (formatted by SQLite)."""
ROW_MARK = "\x1e"
_CELL_MARKS = _TEXT_MARK + _PLAIN_MARK
_MARKS = _CELL_MARKS + ROW_MARK
# The lines arrive as the UTF-8 bytes SQLite stores (see sqlite_chunks), where the
# marks, triggers and quotes are single bytes no multi-byte character contains.
_B_TEXT, _B_PLAIN, _B_ROW = (mark.encode() for mark in (_TEXT_MARK, _PLAIN_MARK, ROW_MARK))
_B_MARKS = re.escape(_MARKS).encode()
_B_QUOTE, _B_ESCAPE = QUOTE.encode(), ESCAPE.encode()
_B_TRIGGERS = "".join(sorted(FORMULA_TRIGGERS)).encode("ascii")
# A text cell that ``neutralise`` changes: apostrophes, then a formula trigger.
_SQLITE_NEEDS_ESCAPE = re.compile(
    _B_TEXT + b"(" + re.escape(_B_ESCAPE) + b"*[" + re.escape(_B_TRIGGERS) + b"])"
)
# Such a cell other than the common "+" of a phone number.
_SQLITE_RARE_ESCAPE = re.compile(
    _B_TEXT + b"[" + re.escape(_B_ESCAPE + _B_TRIGGERS.replace(b"+", b"")) + b"]"
)
# SQLite's text for a UTCDateTime, "YYYY-MM-DD HH:MM:SS.ffffff" (GLOB matches whole).
_SQLITE_DATETIME_GLOB: Any = literal_column(
    "'"
    + "[0-9]" * 4
    + "-"
    + "[0-9]" * 2
    + "-"
    + "[0-9]" * 2
    + " "
    + ":".join(["[0-9]" * 2] * 3)
    + "."
    + "[0-9]" * 6
    + "'"
)


def _sqlite_needs_quotes(delimiter: str) -> re.Pattern[bytes]:
    """A text cell that ``_needs_quotes``; possessive, so each cell is scanned once."""
    special = re.escape((QUOTE + delimiter).encode("ascii")) + b"\r\n"
    return re.compile(
        _B_TEXT + b"([^" + _B_MARKS + special + b"]*+[" + special + b"][^" + _B_MARKS + b"]*+)"
    )


_SQLITE_NEEDS_QUOTES = {
    flavour: _sqlite_needs_quotes(flavour.delimiter) for flavour in ExportFlavour
}
# The cell marks left at the end, as the delimiter.
_SQLITE_DELIMITERS = {
    flavour: bytes.maketrans(_B_TEXT + _B_PLAIN, flavour.delimiter.encode("ascii") * 2)
    for flavour in ExportFlavour
}


def _quote_match(match: re.Match[bytes]) -> bytes:
    return _B_TEXT + _B_QUOTE + match[1].replace(_B_QUOTE, _B_QUOTE + _B_QUOTE) + _B_QUOTE


@dataclass(frozen=True, slots=True)
class SqliteLines:
    """What to select on SQLite, and how to make CSV text of it (see line_chunk_text)."""

    columns: Sequence[ExportColumn]
    """The export's columns: a chunk the marks cannot settle is read again with them."""
    marks: str
    """Each cell's mark, in column order."""
    read_again: Callable[[list[int]], Sequence[Sequence[Any]]]
    """The value rows of these leads, in id order."""
    lock: threading.Lock
    """Held by whoever uses the export's connection (see sqlite_chunks)."""


@dataclass(frozen=True, slots=True)
class LineChunk:
    """One chunk as SQLite joined it: its lead ids and lines, as UTF-8 bytes."""

    count: int
    ids: bytes
    """The lead ids, comma-separated, in the order of ``text``."""
    text: bytes
    """The marked lines (sqlite_lines), joined by the row mark."""

    def __len__(self) -> int:
        return self.count

    def lead_ids(self) -> list[int]:
        return [int(lead_id) for lead_id in self.ids.split(b",")]

    def in_id_order(self) -> bool:
        ids = self.lead_ids()
        return len(ids) == self.count and all(map(lt, ids, ids[1:]))


def sqlite_datetime(stored: Any) -> Any:
    """SQLite's text for a date-time as datetime_cells rewrites it, NULL for NULL.

    A value in any other shape is written as the row mark, which sends its
    chunk the general way (see line_chunk_text).
    """
    iso = func.replace(func.replace(stored, " ", "T"), ".000000", "")
    return case(
        (stored.is_(None), None),
        (stored.op("GLOB")(_SQLITE_DATETIME_GLOB), type_coerce(iso, String) + "+00:00"),
        else_=ROW_MARK,
    )


def sqlite_cell(column: ExportColumn, flavour: ExportFlavour) -> tuple[str, Any]:
    """The mark of ``column`` and what ``printf`` prints for it (NULL prints as '')."""
    stored = column.stored
    if column.format_cells is format_text:
        # printf would end the text at a NUL character: such a text is written
        # as the row mark instead, which sends its chunk the general way.
        has_nul = func.instr(stored, literal_column("char(0)")) > 0
        return _TEXT_MARK, case((stored.is_(None), None), (has_nul, ROW_MARK), else_=stored)
    if column.format_cells is format_datetimes:
        return _PLAIN_MARK, sqlite_datetime(stored)
    if column.format_cells is format_money:
        units, hundredths = func.abs(stored) // 100, func.abs(stored) % 100
        sign = case((stored < 0, "-"), else_="")
        text = func.printf("%s%d%s%02d", sign, units, flavour.decimal_mark, hundredths)
        return _PLAIN_MARK, case((stored.is_(None), None), else_=text)
    return _PLAIN_MARK, stored


def _neutralised(text: bytes) -> bytes:
    """``text`` with every text cell neutralised as ``neutralise`` does."""
    if _SQLITE_RARE_ESCAPE.search(text):
        return _SQLITE_NEEDS_ESCAPE.sub(_B_TEXT + _B_ESCAPE + b"\\1", text)
    return text.replace(_B_TEXT + b"+", _B_TEXT + _B_ESCAPE + b"+")


def line_chunk_text(chunk: LineChunk, plan: SqliteLines, flavour: ExportFlavour) -> bytes | str:
    """The CSV text of one chunk of marked lines, as UTF-8."""
    text, count = chunk.text, chunk.count
    settled = (
        text.count(_B_ROW) == count - 1
        and all(text.count(mark.encode()) == count * plan.marks.count(mark) for mark in _CELL_MARKS)
        and chunk.in_id_order()
    )
    if settled:
        text = _SQLITE_NEEDS_QUOTES[flavour].sub(_quote_match, _neutralised(text))
        # Each line starts with its first cell's mark, which goes; the other
        # marks become the delimiter.
        text = text.replace(_B_ROW + plan.marks[0].encode(), LINE_END.encode())[1:]
        return text.translate(_SQLITE_DELIMITERS[flavour]) + LINE_END.encode()
    # A value holds a mark, or a date-time is in another shape: the general way.
    return column_lines(plan.read_again(sorted(chunk.lead_ids())), plan.columns, flavour)
