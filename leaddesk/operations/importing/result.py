"""What an import reports, and how it records values for undo.

``ImportResult`` holds the counts, a sample of the rejected rows and (in a
temporary file it owns) all of them for the error report, with the rows imported
with a note (a value kept in the notes) and their reasons; likewise every row the
duplicate rule settled (skipped, updated, or created beside a possible duplicate)
with the lead it matched and why. ``to_json_values`` and ``from_json_values``
store a lead's previous values in ``import_changes``.
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from leaddesk.core.csv_import.row_parser import CellProblem
from leaddesk.core.csv_import.verdict import RowOutcome
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes

# How many rejected rows the result holds for showing; the error report has all.
REJECTED_SAMPLE = 50
# How many duplicate rows the result holds for review; the report and --json have all.
DUPLICATE_SAMPLE = 1000
# How the error report's Reason starts for a row that was imported with a note.
NOTED_PREFIX = "Imported with a note. "
# How many cell notes the result holds (for `import --json`); the error report has all.
NOTES_KEPT = 1000


@dataclass(frozen=True)
class RejectedRow:
    line_number: int
    cells: list[str]
    reason: str


class DuplicateAction(StrEnum):
    """What the import did with a row the duplicate rule matched to a lead."""

    SKIPPED = "skipped"
    UPDATED = "updated"
    # A possible duplicate (another email): imported as a new lead, listed for review.
    CREATED = "created"
    # Skipped first, then created by "Import these anyway" (part of the same import).
    IMPORTED_ANYWAY = "imported anyway"


@dataclass(slots=True)
class DuplicateRow:
    """One row the duplicate rule settled: the lead it matched, why, and what was done."""

    line_number: int
    matched_lead: int
    reason: str
    action: DuplicateAction
    lead: int | None = None
    """The lead the row itself became (created, or imported anyway)."""
    who: str = ""
    """The row's name, email or phone, for showing."""

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "line": self.line_number,
            "matched_lead": self.matched_lead,
            "reason": str(self.reason),
            "action": str(self.action),
        }
        if self.lead is not None:
            found["lead"] = self.lead
        return found


SettledRow = list[Any]
"""A settled row as the import writes it: line, matched lead, reason, action, its own
lead (or ""), then its cells as read."""
SETTLED_CELLS = 5
"""Where a ``SettledRow``'s cells start."""


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
    countdowns: int = 0
    """New leads whose first-contact (speed-to-lead) countdown runs; history gets none."""
    possible_duplicates: int = 0
    """New leads that may duplicate one (same phone or name, another email): for review."""
    duplicate_count: int = 0
    duplicates_sample: list[DuplicateRow] = field(default_factory=list)
    _duplicate_rows: Any = field(default=None, repr=False)
    _duplicate_writer: Any = field(default=None, repr=False, compare=False)
    # The cells and values of the skipped rows of the sample, by line: "Import these anyway".
    anyway_rows: dict[int, tuple[list[str], dict[str, Any]]] = field(
        default_factory=dict, repr=False
    )
    # line -> the lead "Import these anyway" created for it (the file is not rewritten).
    _imported_anyway: dict[int, int] = field(default_factory=dict, repr=False)
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

    def add_duplicates(
        self,
        rows: list[SettledRow],
        shown: Sequence[tuple[DuplicateRow, dict[str, Any] | None]] = (),
    ) -> None:
        """Keep a chunk's settled rows (in line order) for the report and --json, and the
        first of them (``shown``, with a skipped row's values) for review."""
        if not rows:
            return
        if self._duplicate_rows is None:
            # A private file, not a list: a re-import of a million rows settles a
            # million rows, which must not be held in memory.
            self._duplicate_rows = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
            self._duplicate_writer = csv.writer(self._duplicate_rows)
        self._duplicate_writer.writerows(rows)
        self.duplicate_count += len(rows)
        for (row, values), settled in zip(shown, rows, strict=False):
            self.duplicates_sample.append(row)
            if values is not None:
                self.anyway_rows[row.line_number] = (settled[SETTLED_CELLS:], values)

    def iter_duplicates(self) -> Iterator[tuple[DuplicateRow, list[str]]]:
        """Every settled row, in line order, as it stands now, with its cells as read."""
        if self._duplicate_rows is None:
            return
        stream = self._duplicate_rows
        stream.flush()
        stream.seek(0)
        try:
            for line, matched, reason, action, lead, *cells in csv.reader(stream):
                row = DuplicateRow(
                    int(line),
                    int(matched),
                    reason,
                    DuplicateAction(action),
                    lead=int(lead) if lead else None,
                )
                anyway = self._imported_anyway.get(row.line_number)
                if anyway is not None and row.action is DuplicateAction.SKIPPED:
                    row.action, row.lead = DuplicateAction.IMPORTED_ANYWAY, anyway
                yield row, cells
        finally:
            stream.seek(0, os.SEEK_END)

    def duplicates_json(self) -> list[dict[str, Any]]:
        """``[{line, matched_lead, reason, action}]`` of every settled row (``lead`` too
        for a row that became a lead)."""
        return [row.as_json() for row, _cells in self.iter_duplicates()]

    def mark_imported_anyway(self, created: Mapping[int, int]) -> None:
        """Skipped rows (line -> new lead id) that "Import these anyway" created."""
        self._imported_anyway.update(created)
        for line in created:
            self.anyway_rows.pop(line, None)
        for row in self.duplicates_sample:
            lead = created.get(row.line_number)
            if lead is not None and row.action is DuplicateAction.SKIPPED:
                row.action, row.lead = DuplicateAction.IMPORTED_ANYWAY, lead
        self.created += len(created)
        self.skipped -= len(created)

    def close(self) -> None:
        """Free the temporary files that hold the rejected and the settled rows."""
        if self._error_rows is not None:
            self._error_rows.close()
            self._error_rows = None
            self._error_writer = None
        if self._duplicate_rows is not None:
            self._duplicate_rows.close()
            self._duplicate_rows = None
            self._duplicate_writer = None

    def __del__(self) -> None:
        self.close()

    def write_error_report(self, path: str | os.PathLike[str]) -> None:
        """The rows not imported as they were -- rejected, or skipped as a duplicate --
        with their line number and the reason.

        Rows imported with a note are there too, with what became of their values
        ("Imported with a note. Rating: 'Tier 1' is not a temperature ...").

        UTF-8 with a BOM so that Excel shows accents; the file's own headers first.
        """
        try:
            with open(path, "w", encoding="utf-8-sig", newline="") as stream:
                writer = csv.writer(stream)
                writer.writerow([*self.headers, "Line", "Reason"])
                writer.writerows(
                    cells
                    for _line, cells in heapq.merge(
                        self._rejected_report_rows(), self._skipped_report_rows()
                    )
                )
        except OSError as error:
            raise UserError(f"Cannot write {path}: {error.strerror or error}.") from None

    def _rejected_report_rows(self) -> Iterator[tuple[int, list[str]]]:
        if self._error_rows is None:
            return
        self._error_rows.flush()
        self._error_rows.seek(0)
        for record in csv.reader(self._error_rows):
            yield int(record[-2]), record

    def _skipped_report_rows(self) -> Iterator[tuple[int, list[str]]]:
        for row, cells in self.iter_duplicates():
            if row.action is DuplicateAction.SKIPPED:
                reason = f"Skipped: {row.reason} as lead {row.matched_lead}"
                yield row.line_number, [*_without_nul(cells), str(row.line_number), reason]


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
