"""What the Settings tables share: a flat table over a working copy, with a header row.

The rules and the team are edited in a copy held by the model; nothing is stored
until Settings is saved.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QApplication

Index = QModelIndex | QPersistentModelIndex


class WorkingCopyTableModel(QAbstractTableModel):
    """Rows from ``row_total()``, columns from ``HEADERS``; a table has no children."""

    HEADERS: tuple[str, ...] = ()

    def row_total(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def has_row(self, index: Index) -> bool:
        return index.isValid() and 0 <= index.row() < self.row_total()

    def row_changed(self, row: int) -> None:
        """Every cell of ``row`` may look different now."""
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))


def dimmed_text() -> QBrush:
    """The text of a row that is switched off (a rule) or gone (a team member who left)."""
    return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)


def bold_font(bold: bool = True) -> QFont:
    font = QFont()
    font.setBold(bold)
    return font
