"""The rows an import matched to a lead, as a table: line, who, matched lead, why, done."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QLocale, Qt

from leaddesk.operations.importing import DuplicateAction, DuplicateRow
from leaddesk.ui.flat_table import FlatTableModel

HEADERS = ("Line", "Row", "Matched lead", "Why", "Done")
ACTION_TEXT = {
    DuplicateAction.SKIPPED: "Skipped",
    DuplicateAction.UPDATED: "Updated the lead",
    DuplicateAction.CREATED: "New lead (possible duplicate)",
    DuplicateAction.IMPORTED_ANYWAY: "Imported anyway",
}


class DuplicatesModel(FlatTableModel[DuplicateRow]):
    """A read-only table over the rows an import settled (its ``duplicates_sample``)."""

    headers = HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._names: Mapping[int, str] = {}

    def set_rows(self, rows: Sequence[DuplicateRow], names: Mapping[int, str]) -> None:
        """Show ``rows``; ``names`` holds the matched leads' names by id."""
        self._names = dict(names)
        self.set_records(rows)

    def cell(self, record: DuplicateRow, column: int, role: int) -> Any:
        """Text per column; the line number right-aligned; the full reason as a tooltip."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (2, 3, 4):
            return self._text(record, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: DuplicateRow, column: int) -> str:
        if column == 0:
            return QLocale().toString(row.line_number)
        if column == 1:
            return row.who
        if column == 2:
            name = self._names.get(row.matched_lead, "")
            return f"{name} (#{row.matched_lead})" if name else f"#{row.matched_lead}"
        if column == 3:
            return str(row.reason)
        text = ACTION_TEXT[row.action]
        return f"{text} (#{row.lead})" if row.lead is not None else text
