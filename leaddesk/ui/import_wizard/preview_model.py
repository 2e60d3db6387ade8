"""The first rows of a file as they will be imported: one column per lead field filled.

Column 0 says whether the row will be imported, imported with a note (a value
its field cannot read is kept in the lead's notes), imported with a warning (a
value kept as typed), or rejected (it names no one). A cell whose text could not
be taken as it is is tinted (blue when kept in the notes, amber when kept as
typed) and carries the reason as its tooltip.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from leaddesk.core.csv_import.row_parser import CellProblem
from leaddesk.ui.import_wizard.session import (
    PreviewRow,
    Verdict,
    format_value,
    output_label,
)
from leaddesk.ui.import_wizard.widgets import problem_background

STATUS_COLUMN = 0
VERDICT_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's ``Verdict`` on column 0; on other columns the cell's, or None when fine."""

_STATUS_TEXT = {
    Verdict.OK: "OK",
    Verdict.WARNING: "Warning",
    Verdict.NOTE: "Note",
    Verdict.REJECTED: "Rejected",
}

AnyIndex = QModelIndex | QPersistentModelIndex


def _cell_verdict(problems: list[CellProblem]) -> Verdict | None:
    if not problems:
        return None
    return Verdict.NOTE if any(problem.noted for problem in problems) else Verdict.WARNING


class ImportPreviewModel(QAbstractTableModel):
    """Read-only table over ``PreviewRow``s; the vertical header is the file's line number."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._fields: tuple[str, ...] = ()
        self._rows: list[PreviewRow] = []
        self._palette: QPalette | None = None

    def set_rows(self, fields: tuple[str, ...], rows: list[PreviewRow]) -> None:
        """Replace everything (the mapping changed: columns and values may all differ)."""
        self.beginResetModel()
        self._fields = fields
        self._rows = rows
        self.endResetModel()

    def set_palette(self, palette: QPalette) -> None:
        """Tints follow this palette (the view's) rather than the application's."""
        self._palette = palette
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, self.columnCount() - 1),
                [Qt.ItemDataRole.BackgroundRole],
            )

    @property
    def fields(self) -> tuple[str, ...]:
        return self._fields

    def column_of(self, field: str) -> int | None:
        """The model column showing lead field ``field``."""
        return self._fields.index(field) + 1 if field in self._fields else None

    def rejected_count(self) -> int:
        return sum(row.verdict is Verdict.REJECTED for row in self._rows)

    def warning_count(self) -> int:
        return sum(row.verdict is Verdict.WARNING for row in self._rows)

    def noted_count(self) -> int:
        """Rows imported with a note: a value kept in the notes instead of its field."""
        return sum(row.verdict is Verdict.NOTE for row in self._rows)

    # -- QAbstractTableModel -------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Rows of the preview; a table has no children."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """The status column and one per lead field filled."""
        return 0 if parent.isValid() else len(self._fields) + 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Formatted value, tooltip with the reason, tint for problems, verdict."""
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if index.column() == STATUS_COLUMN:
            return self._status_data(row, role)
        if index.column() > len(self._fields):
            return None
        field = self._fields[index.column() - 1]
        problems = row.problems.get(field, [])
        verdict = _cell_verdict(problems)
        if role == Qt.ItemDataRole.DisplayRole:
            if field in row.values:
                return format_value(field, row.values[field])
            return problems[0].text if problems else ""
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.StatusTipRole):
            return " ".join(problem.reason for problem in problems) or None
        if role == Qt.ItemDataRole.BackgroundRole and verdict is not None:
            return problem_background(self._current_palette(), verdict)
        if role == VERDICT_ROLE:
            return verdict
        return None

    def _status_data(self, row: PreviewRow, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return _STATUS_TEXT[row.verdict]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.StatusTipRole):
            return row.reason or None
        if role == Qt.ItemDataRole.BackgroundRole and row.verdict is not Verdict.OK:
            return problem_background(self._current_palette(), row.verdict)
        if role == VERDICT_ROLE:
            return row.verdict
        return None

    def _current_palette(self) -> QPalette:
        return self._palette if self._palette is not None else QApplication.palette()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Field labels across the top; the file's line numbers down the side."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            if 0 <= section < len(self._rows):
                return str(self._rows[section].line_number)
            return None
        if section == STATUS_COLUMN:
            return "Status"
        if 0 < section <= len(self._fields):
            return output_label(self._fields[section - 1])
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """Selectable, so the keyboard can move through cells and read tooltips."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
