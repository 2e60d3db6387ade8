"""One row per column of the file: its header, what it fills, and sample values."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from leaddesk.core.csv_import.mapping import ColumnMapping
from leaddesk.ui.import_wizard.session import TARGET_CHOICES
from leaddesk.ui.import_wizard.widgets import ElidedLabel

_SEPARATOR_AFTER = {None, "full_name", "notes"}
"""Targets after which the combo draws a separator: Ignore | names | fields | extras."""


def target_combo() -> QComboBox:
    """A combo of every import target; item data is the target name ('' to ignore)."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMaxVisibleItems(20)
    for target, label in TARGET_CHOICES:
        combo.addItem(label, target or "")
        if target in _SEPARATOR_AFTER:
            combo.insertSeparator(combo.count())
    return combo


class MappingEditor(QScrollArea):
    """Emits ``target_chosen(column, target)`` when the user picks a target for a column."""

    target_chosen = Signal(int, object)  # column, target name or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mappingEditor")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.combos: list[QComboBox] = []
        self._headers: list[QLabel] = []
        self._samples: list[QLabel] = []
        self._grid_host = QWidget()
        self.setWidget(self._grid_host)

    def build(self, headers: tuple[str, ...], samples: list[list[str]]) -> None:
        """One row per header; ``samples[i]`` are the first values of column i."""
        self._grid_host = QWidget()
        grid = QGridLayout(self._grid_host)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        bold = QFont(self.font())
        bold.setBold(True)
        for column, title in enumerate(("Column in the file", "Import as", "Sample values")):
            label = QLabel(title)
            label.setFont(bold)
            grid.addWidget(label, 0, column)
        self.combos, self._headers, self._samples = [], [], []
        for column, header in enumerate(headers):
            name = ElidedLabel(header)
            name.setToolTip(header)
            combo = target_combo()
            combo.setAccessibleName(f"Import column {header} as")
            combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            values = samples[column] if column < len(samples) else []
            sample = ElidedLabel(" · ".join(values) if values else "(empty)")
            sample.setToolTip("\n".join(values))
            combo.activated.connect(
                lambda index, c=column, box=combo: self.target_chosen.emit(
                    c, box.itemData(index) or None
                )
            )
            grid.addWidget(name, column + 1, 0)
            grid.addWidget(combo, column + 1, 1)
            grid.addWidget(sample, column + 1, 2)
            self.combos.append(combo)
            self._headers.append(name)
            self._samples.append(sample)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(2, 3)
        grid.setRowStretch(len(headers) + 1, 1)
        self.setWidget(self._grid_host)  # deletes the previous grid
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        for before, after in zip(self.combos, self.combos[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def show_mapping(self, mapping: ColumnMapping) -> None:
        """Select each column's target without emitting ``target_chosen``."""
        for column, combo in enumerate(self.combos):
            target = mapping.targets[column] if column < len(mapping.targets) else None
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(target or ""))
            combo.blockSignals(False)
            # Ignored columns recede, so the eye runs down what will be imported.
            role = (
                QPalette.ColorRole.PlaceholderText
                if target is None
                else QPalette.ColorRole.WindowText
            )
            self._headers[column].setForegroundRole(role)
            self._samples[column].setForegroundRole(role)
            self._headers[column].update()
            self._samples[column].update()
