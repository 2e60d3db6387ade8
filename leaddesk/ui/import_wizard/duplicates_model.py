"""The rows an import matched to a lead, as a table: line, who, matched lead, why, done."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt

from leaddesk.operations.importing import DuplicateAction, DuplicateRow

HEADERS = ("Line", "Row", "Matched lead", "Why", "Done")
ACTION_TEXT = {
    DuplicateAction.SKIPPED: "Skipped",
    DuplicateAction.UPDATED: "Updated the lead",
    DuplicateAction.CREATED: "New lead (possible duplicate)",
    DuplicateAction.IMPORTED_ANYWAY: "Imported anyway",
}
_ParentIndex = QModelIndex | QPersistentModelIndex


class DuplicatesModel(QAbstractTableModel):
    """A read-only table over the rows an import settled (its ``duplicates_sample``)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[DuplicateRow] = []
        self._names: Mapping[int, str] = {}

    def set_rows(self, rows: Sequence[DuplicateRow], names: Mapping[int, str]) -> None:
        """Show ``rows``; ``names`` holds the matched leads' names by id."""
        self.beginResetModel()
        self._rows = list(rows)
        self._names = dict(names)
        self.endResetModel()

    def refresh(self) -> None:
        """The rows changed in place (imported anyway): repaint them."""
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(HEADERS) - 1)
            )

    def row_at(self, row: int) -> DuplicateRow:
        return self._rows[row]

    def rowCount(self, parent: _ParentIndex = QModelIndex()) -> int:  # noqa: B008
        """Rows of the table; none under a row (a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ParentIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation is Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: _ParentIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text per column; the line number right-aligned; the full reason as a tooltip."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (2, 3, 4):
            return self._text(row, column)
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
