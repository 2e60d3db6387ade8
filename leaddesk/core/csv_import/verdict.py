"""Whether a parsed row can be imported: one rule for the import and its preview.

A row is rejected only when it cannot become a lead at all: it names no one (no
name, email or phone), or it is a broken record (a CSV record with more filled
cells than the header has: a stray quote or separator shifted its values). A
value an optional field cannot read never costs the row -- the row parser keeps
its text in the notes -- so such a row is imported with a note, and one whose
value was kept as typed, with a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from leaddesk.core.csv_import.row_parser import ParsedRow

NO_IDENTITY_IN_ROW = "The row has no name, email or phone."
IDENTIFYING_VALUES = ("first_name", "last_name", "email", "phone")


class RowOutcome(StrEnum):
    """How a row that can be imported is counted (once: a note outweighs a warning)."""

    CLEAN = "clean"
    WARNING = "warning"
    """A value was kept as typed (an email that looks wrong, an unknown source)."""
    NOTE = "note"
    """A value its field could not read went to the notes, or NUL characters were removed."""


def rejection_reason(parsed: ParsedRow) -> str | None:
    """Why the row cannot be imported (one sentence), or None when it can."""
    if not any(parsed.values.get(name) for name in IDENTIFYING_VALUES):
        return NO_IDENTITY_IN_ROW
    return None


def row_outcome(parsed: ParsedRow) -> RowOutcome:
    """How an importable row counts: with a note, with a warning, or clean."""
    if not parsed.problems:
        return RowOutcome.CLEAN
    if any(problem.noted for problem in parsed.problems):
        return RowOutcome.NOTE
    return RowOutcome.WARNING


def warning_text(parsed: ParsedRow) -> str:
    """What was kept as typed or in the notes, for an importable row; empty when nothing."""
    return "; ".join(f"{problem.header}: {problem.reason}" for problem in parsed.problems)


def broken_record_reason(line_number: int, cells: Sequence[str], header_cells: int) -> str | None:
    """Why a CSV record with more filled cells than its header is rejected, or None.

    Trailing empty cells are fine (spreadsheets add them); a filled cell beyond
    the header means the record's values moved, and no column can be trusted.
    """
    if len(cells) <= header_cells:
        return None
    width = len(cells)
    while width > header_cells and not cells[width - 1].strip():
        width -= 1
    if width <= header_cells:
        return None
    return (
        f"Line {line_number} has {width} cells, the header has {header_cells}: "
        "a broken record (a stray quote or separator)."
    )


def without_broken_records(
    records: list[tuple[int, list[str]]], header_cells: int
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, list[str], str]]]:
    """A chunk of CSV records split into the whole ones and the broken ones with a reason.

    One length check for the common chunk, where no record is longer than the header.
    """
    if max(len(cells) for _line, cells in records) <= header_cells:
        return records, []
    kept: list[tuple[int, list[str]]] = []
    broken: list[tuple[int, list[str], str]] = []
    for line_number, cells in records:
        reason = broken_record_reason(line_number, cells, header_cells)
        if reason is None:
            kept.append((line_number, cells))
        else:
            broken.append((line_number, cells, reason))
    return kept, broken
