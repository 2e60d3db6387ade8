"""What an import reports, and how it records values for undo.

``ImportResult`` holds the counts, a sample of the rejected rows and (in a
temporary file it owns) all of them for the error report; likewise every row the
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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes

# How many rejected rows the result holds for showing; the error report has all.
REJECTED_SAMPLE = 50
# How many duplicate rows the result holds for review; the report and --json have all.
DUPLICATE_SAMPLE = 1000


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


@dataclass
class ImportResult:
    batch_id: int | None
    created: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0
    warnings: int = 0
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
    # Lines of the chunk being written that were kept with a warning.
    _warned_lines: set[int] = field(default_factory=set, repr=False)

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
        self._error_writer.writerow([*cells, line_number, reason])

    def warn(self, line_number: int) -> None:
        """Count a row kept with a warning (until it turns out to be skipped)."""
        self.warnings += 1
        self._warned_lines.add(line_number)

    def forget_warnings(self, skipped_lines: Iterable[int]) -> None:
        """The chunk is written: its skipped rows were not imported, so not "with a warning"."""
        if self._warned_lines:
            self.warnings -= sum(1 for line in skipped_lines if line in self._warned_lines)
            self._warned_lines.clear()

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
        with their line number and the reason, in the file's order.

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
                yield row.line_number, [*cells, str(row.line_number), reason]


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
