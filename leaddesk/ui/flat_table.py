"""A table model of records under fixed column headers, with no rows under rows.

The small lists in dialogs (backups, the trash, import history, an import's
duplicates) share this part: they hold their records and answer the shape
questions Qt asks; each says only what one of its cells shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

ModelIndex = QModelIndex | QPersistentModelIndex
Record = TypeVar("Record")


class FlatTableModel(QAbstractTableModel, Generic[Record]):
    """Records as rows, ``headers`` as columns; subclasses say what a cell shows."""

    headers: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._records: list[Record] = []

    def set_records(self, records: Iterable[Record]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record_at(self, row: int) -> Record | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def refresh(self) -> None:
        """The records changed in place: repaint every cell."""
        if self._records:
            last = self.index(len(self._records) - 1, len(self.headers) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """A flat table: rows only under the invisible root."""
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation is Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        return self.cell(self._records[index.row()], index.column(), role)

    def cell(self, record: Record, column: int, role: int) -> Any:
        """What ``record`` shows in ``column`` for ``role``; None for nothing."""
        raise NotImplementedError


def select_only_row(view: QAbstractItemView, row: int) -> None:
    """Select exactly this row and make it current, whatever keys are held.

    QTableView.selectRow reads the keyboard's modifiers: with Ctrl or Shift held (or
    a stale modifier state after a shortcut), it toggles or extends instead.
    """
    model = view.model()
    selection = view.selectionModel()
    if model is None or selection is None or not 0 <= row < model.rowCount():
        return
    index = model.index(row, 0)
    flags = QItemSelectionModel.SelectionFlag
    selection.setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)


def lay_out_list_dialog(
    dialog: QDialog,
    widgets: Sequence[QWidget],
    actions: Sequence[QWidget],
    stretch: Sequence[QWidget] = (),
) -> None:
    """A list dialog's layout: ``widgets`` top to bottom (those in ``stretch`` take the
    spare height), then a row of ``actions`` on the left and Close on the right."""
    close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    close.rejected.connect(dialog.reject)
    row = QHBoxLayout()
    for action in actions:
        row.addWidget(action)
    row.addStretch(1)
    row.addWidget(close)
    layout = QVBoxLayout(dialog)
    for widget in widgets:
        layout.addWidget(widget, 1 if widget in stretch else 0)
    layout.addLayout(row)
