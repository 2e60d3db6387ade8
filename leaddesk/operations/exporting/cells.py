"""The export's portable path: cells formatted and quoted column by column.

Part of the export (leaddesk.operations.exporting): each chunk is handled a
column at a time, so a column with nothing to escape or quote costs one scan at
C speed, and rows are joined with ``str.join``, quoting exactly as
``csv.QUOTE_MINIMAL`` does. Other databases than SQLite always go this way, and
on SQLite a chunk the line scans cannot settle (sqlite_lines).
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from leaddesk.core.csv_import.safety import ESCAPE, FORMULA_TRIGGERS, neutralise
from leaddesk.operations.exporting.flavour import LINE_END, QUOTE, ExportFlavour

# --- cells -------------------------------------------------------------------------

# A cell starting with one of these may change under ``neutralise``: a formula
# trigger, or an apostrophe that could be taken for an escape.
_MAY_NEED_ESCAPE = FORMULA_TRIGGERS | {ESCAPE}
# Such a cell anywhere in a column joined by NUL characters, except the first.
_ESCAPE_CANDIDATE_AFTER_NUL = re.compile("\0[" + re.escape("".join(sorted(_MAY_NEED_ESCAPE))) + "]")


def _needs_quotes(cell: str, delimiter: str) -> bool:
    return QUOTE in cell or delimiter in cell or "\r" in cell or "\n" in cell


def quoted(cell: str, delimiter: str) -> str:
    """``cell`` as ``csv.QUOTE_MINIMAL`` writes it (with CRLF line endings)."""
    if _needs_quotes(cell, delimiter):
        return QUOTE + cell.replace(QUOTE, QUOTE + QUOTE) + QUOTE
    return cell


def _text_cells(values: Sequence[str], delimiter: str) -> Sequence[str]:
    """A column of text (NULL already read as ''), neutralised and quoted.

    Most columns of most chunks have nothing to escape or quote. Scanning the
    column joined into one string settles that at C speed; only the columns
    where something was found are rebuilt cell by cell.
    """
    # NUL is none of the characters looked for, so joining cannot hide one.
    joined = "\0".join(values)
    first = values[0] if values else ""
    if first[:1] in _MAY_NEED_ESCAPE or _ESCAPE_CANDIDATE_AFTER_NUL.search(joined):
        values = [neutralise(value) if value[:1] in _MAY_NEED_ESCAPE else value for value in values]
    # The escape apostrophe never needs quotes: the cells before escaping tell.
    if _needs_quotes(joined, delimiter):
        values = [quoted(value, delimiter) for value in values]
    return values


_SQLITE_DATETIME_LENGTH = len("2026-11-17 10:30:00.000000")
_STR_OR_NONE = frozenset({str, type(None)})


def _datetime_text(value: str | dt.datetime) -> str:
    """ISO 8601 in UTC with its offset, as ``datetime.isoformat`` writes it."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        # UTCDateTime keeps naive values only where they are UTC (SQLite).
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def _is_sqlite_datetime_text(values: Sequence[object]) -> TypeGuard[Sequence[str | None]]:
    """Whether the column holds SQLite's naive UTC text, "YYYY-MM-DD HH:MM:SS.ffffff"."""
    if not _STR_OR_NONE.issuperset(map(type, values)):
        return False
    texts = typing.cast(Sequence[str | None], values)
    return {_SQLITE_DATETIME_LENGTH}.issuperset(map(len, filter(None, texts)))


def datetime_cells(values: Sequence[str | dt.datetime | None]) -> list[str]:
    if _is_sqlite_datetime_text(values):
        # Rewriting the text gives what _datetime_text would, several times faster.
        return [
            ""
            if text is None
            else f"{text[:10]}T{text[11:19] if text.endswith('.000000') else text[11:]}+00:00"
            for text in values
        ]
    return ["" if value is None else _datetime_text(value) for value in values]


def _money_text(cents: int, decimal_mark: str) -> str:
    """'1234.50' (or '1234,50'): no grouping, two decimals, so import reads it exactly."""
    units, hundredths = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    return f"{sign}{units}{decimal_mark}{hundredths:02d}"


def _money_cells(values: Sequence[int | None], decimal_mark: str) -> list[str]:
    return ["" if cents is None else _money_text(cents, decimal_mark) for cents in values]


# --- columns -------------------------------------------------------------------------

ColumnFormatter = Callable[[Sequence[Any], ExportFlavour], Sequence[str]]


@dataclass(frozen=True, slots=True)
class ExportColumn:
    header: str
    expression: Any
    """What to select. The database already writes the cell where it can."""
    format_cells: ColumnFormatter | None = None
    """Turns one chunk of this column into cells; None: the selected values are the cells."""
    stored: Any = None
    """On SQLite, what ``printf`` prints before the cell is finished (see
    sqlite_lines.sqlite_cell)."""


def format_text(values: Sequence[str], flavour: ExportFlavour) -> Sequence[str]:
    return _text_cells(values, flavour.delimiter)


def format_datetimes(values: Sequence[Any], flavour: ExportFlavour) -> list[str]:
    return datetime_cells(values)


def format_money(values: Sequence[Any], flavour: ExportFlavour) -> list[str]:
    return _money_cells(values, flavour.decimal_mark)


# --- the general way ---------------------------------------------------------------


def column_lines(
    rows: Sequence[Sequence[Any]], columns: Sequence[ExportColumn], flavour: ExportFlavour
) -> str:
    """The CSV text of one chunk of rows handled column by column, each line ending in CRLF."""
    cells: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for index, column in enumerate(columns):
        if column.format_cells is not None:
            cells[index] = column.format_cells(cells[index], flavour)
    lines = map(flavour.delimiter.join, zip(*cells, strict=True))
    return LINE_END.join(lines) + LINE_END
