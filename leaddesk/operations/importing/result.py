"""What an import reports, and how it records values for undo.

``ImportResult`` holds the counts, a sample of the rejected rows and (in a
temporary file it owns) all of them for the error report, with the rows imported
with a note (a value kept in the notes) and their reasons. ``to_json_values`` and
``from_json_values`` store a lead's previous values in ``import_changes``.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from leaddesk.core.csv_import.row_parser import CellProblem
from leaddesk.core.csv_import.verdict import RowOutcome
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes

# How many rejected rows the result holds for showing; the error report has all.
REJECTED_SAMPLE = 50
# How the error report's Reason starts for a row that was imported with a note.
NOTED_PREFIX = "Imported with a note. "
# How many cell notes the result holds (for `import --json`); the error report has all.
NOTES_KEPT = 1000


@dataclass(frozen=True)
class RejectedRow:
    line_number: int
    cells: list[str]
    reason: str


@dataclass(frozen=True)
class ImportNote:
    """A cell of an imported row that could not be taken as it is, and what became of it."""

    line_number: int
    column: str
    """The file's header of the cell."""
    field: str
    """The target the column fills (a lead field name, or a special target)."""
    value: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line_number,
            "column": self.column,
            "field": self.field,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass(slots=True)
class _HeldRow:
    """A row with notes or warnings, counted once the writer has not skipped it."""

    line_number: int
    cells: list[str]
    problems: list[CellProblem]
    outcome: RowOutcome


@dataclass
class ImportResult:
    batch_id: int | None
    created: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0
    warnings: int = 0
    """Rows imported (created or updated) with a value kept as typed, and no note."""
    noted: int = 0
    """Rows imported with a note: a value kept in the notes, or NUL characters removed."""
    notes: list[ImportNote] = field(default_factory=list)
    """The cells behind ``noted`` and ``warnings`` (the first NOTES_KEPT of them)."""
    notes_left_off: int = 0
    rejected_sample: list[RejectedRow] = field(default_factory=list)
    headers: tuple[str, ...] = ()
    changes: Changes = field(default_factory=Changes)
    _error_rows: Any = field(default=None, repr=False)
    _error_writer: Any = field(default=None, repr=False, compare=False)
    # The current chunk's rows with problems, by id() of their values dict: the
    # writer names the ones it skips (row_skipped); the others are counted as
    # imported by settle_rows, so no count includes a row that was not imported.
    _held: dict[int, _HeldRow] = field(default_factory=dict, repr=False, compare=False)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.skipped + self.rejected

    def open_error_rows(self) -> None:
        """Start the temporary file of rejected rows; ``close`` frees it."""
        self._error_rows = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
        self._error_writer = csv.writer(self._error_rows)

    def reject(self, line_number: int, cells: list[str], reason: str) -> None:
        """Count a rejected row, keep it for the error report (and the sample)."""
        self.rejected += 1
        if len(self.rejected_sample) < REJECTED_SAMPLE:
            self.rejected_sample.append(RejectedRow(line_number, cells, reason))
        self._error_writer.writerow([*_without_nul(cells), line_number, reason])

    def hold_row(
        self,
        line_number: int,
        cells: list[str],
        values: dict[str, Any],
        problems: list[CellProblem],
        outcome: RowOutcome,
    ) -> None:
        """Note a row with problems that goes to the writer (``values`` is what it gets)."""
        self._held[id(values)] = _HeldRow(line_number, cells, problems, outcome)

    def row_skipped(self, values: dict[str, Any]) -> None:
        """Count a row the writer skipped: its notes and warnings no longer count."""
        self.skipped += 1
        self._held.pop(id(values), None)

    def settle_rows(self) -> None:
        """Count the held rows the writer did not skip: they were imported."""
        for held in sorted(self._held.values(), key=lambda row: row.line_number):
            if held.outcome is RowOutcome.NOTE:
                self.noted += 1
            else:
                self.warnings += 1
            for problem in held.problems:
                if len(self.notes) < NOTES_KEPT:
                    self.notes.append(
                        ImportNote(
                            held.line_number,
                            problem.header,
                            problem.target,
                            problem.text,
                            problem.reason,
                        )
                    )
                else:
                    self.notes_left_off += 1
            if self._error_writer is not None and held.outcome is RowOutcome.NOTE:
                reasons = "; ".join(f"{p.header}: {p.reason}" for p in held.problems)
                self._error_writer.writerow(
                    [*_without_nul(held.cells), held.line_number, f"{NOTED_PREFIX}{reasons}"]
                )
        self._held.clear()

    def close(self) -> None:
        """Free the temporary file that holds the rejected rows."""
        if self._error_rows is not None:
            self._error_rows.close()
            self._error_rows = None
            self._error_writer = None

    def __del__(self) -> None:
        self.close()

    def write_error_report(self, path: str | os.PathLike[str]) -> None:
        """The rejected rows as they were, with their line number and the reason.

        Rows imported with a note are there too, with what became of their values
        ("Imported with a note. Rating: 'Tier 1' is not a temperature ...").

        UTF-8 with a BOM so that Excel shows accents; the file's own headers first.
        """
        try:
            with open(path, "w", encoding="utf-8-sig", newline="") as stream:
                writer = csv.writer(stream)
                writer.writerow([*self.headers, "Line", "Reason"])
                if self._error_rows is not None:
                    self._error_rows.flush()
                    self._error_rows.seek(0)
                    for record in csv.reader(self._error_rows):
                        writer.writerow(record)
        except OSError as error:
            raise UserError(f"Cannot write {path}: {error.strerror or error}.") from None


def _without_nul(cells: list[str]) -> list[str]:
    """The cells without NUL characters, which no file of ours holds."""
    return [cell.replace("\x00", "") for cell in cells] if "\x00" in "".join(cells) else cells


def to_json_values(values: Mapping[str, Any]) -> dict[str, Any]:
    plain: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, dt.datetime):
            plain[name] = {"datetime": value.isoformat()}
        elif isinstance(value, dt.date):
            plain[name] = {"date": value.isoformat()}
        else:
            plain[name] = value
    return plain


def from_json_values(values: Mapping[str, Any]) -> dict[str, Any]:
    restored: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, dict) and "datetime" in value:
            restored[name] = dt.datetime.fromisoformat(value["datetime"])
        elif isinstance(value, dict) and "date" in value:
            restored[name] = dt.date.fromisoformat(value["date"])
        else:
            restored[name] = value
    return restored
