"""What an import reports, and how it records values for undo.

``ImportResult`` holds the counts, a sample of the rejected rows and (in a
temporary file it owns) all of them for the error report. ``to_json_values`` and
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

from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes

# How many rejected rows the result holds for showing; the error report has all.
REJECTED_SAMPLE = 50


@dataclass(frozen=True)
class RejectedRow:
    line_number: int
    cells: list[str]
    reason: str


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
